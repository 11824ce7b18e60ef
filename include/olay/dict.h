/* dict.h: a multi-pattern dictionary over byte strings: a trie whose transitions live in
 * one open-addressing hash table, so memory grows with the names, not with the alphabet.
 * dict_prefixes() walks a text once from a start offset and reports every key that is a
 * prefix of it: one walk finds all names starting at a token, longest last. A node with
 * many children (the first letters of names) gets a row of 256 children instead, so the
 * busy top of the trie is walked without hashing.
 *
 * Ownership: a struct dict owns its nodes and values. Build single-threaded with
 * dict_add(); afterwards it is read-only and may be shared by any number of threads. */
#ifndef OLAY_DICT_H
#define OLAY_DICT_H

#include <stddef.h>
#include <stdint.h>

struct dict {
	struct dict_slot { uint64_t key; uint32_t child; } *slots; /* key (parent << 8 | byte) + 1, 0 = empty */
	size_t cap, used;
	struct dict_node {	 /* what a step reads, in one place */
		int32_t head;	 /* first value index, -1 none */
		int32_t only;	 /* its one child (byte << 24 | node), -1 none, -2 several */
		int32_t dense;	 /* row of tabs when it has several children, -1 none (hashed) */
		uint32_t nkids;	 /* children */
	} *nodes;
	int32_t *tabs;	 /* rows of 256 children by byte, -1 none */
	size_t ntabs, tabcap;
	int32_t root[256]; /* the root's children by byte, -1 none */
	size_t nnodes, nodecap;
	struct dict_value { uint32_t value; int32_t next; } *vals;
	size_t nvals, valcap;
};

struct dict_hit {
	size_t len;   /* bytes of the text the key covers */
	int32_t head; /* first value: d->vals[head].value, then .next until -1 */
};

int dict_init(struct dict *d);
void dict_release(struct dict *d);
/* Add key -> value (a key may carry several values, kept in insertion order). 0 or -1. */
int dict_add(struct dict *d, const char *key, size_t n, uint32_t value);
/* Every key that is a prefix of s[0..n), shortest first, into hits (at most max).
 * Returns the number found. */
size_t dict_prefixes(const struct dict *d, const char *s, size_t n, struct dict_hit *hits,
		     size_t max);
/* 1 if some key starts with s[0..n) (the walk can go on), else 0. */
int dict_has_prefix(const struct dict *d, const char *s, size_t n);

#endif
