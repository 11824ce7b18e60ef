/* dict.h: a multi-pattern dictionary over byte strings: a trie whose nodes keep up to four
 * children inline (byte, node) and a node with more a row of 256 children by byte, so a
 * step reads one node record and perhaps one row entry, and memory grows with the names, not
 * with the alphabet. dict_prefixes() walks a text once from a start offset and reports every
 * key that is a prefix of it: one walk finds all names starting at a token, longest last.
 *
 * dict_freeze() adds a compact read-only copy of the trie that dict_prefixes() then walks
 * instead (same answers; dict_has_prefix(), which no hot path calls, keeps the plain trie): chains of nodes with one child and
 * no value become one node with a label of several bytes, the nodes are laid out
 * breadth-first with each node's children side by side, and a node record (half a cache
 * line) holds its short label and the first bytes of its children, so a step reads one
 * record instead of one scattered record per byte. A bit filter over the keys' leading
 * bytes (2, 4 or 8 of them) answers most walks that would find nothing without reading a
 * node. dict_add() after it drops the copy.
 *
 * Ownership: a struct dict owns its nodes and values. Build single-threaded with
 * dict_add() (and dict_freeze()); afterwards it is read-only and may be shared by any
 * number of threads. */
#ifndef OLAY_DICT_H
#define OLAY_DICT_H

#include <stddef.h>
#include <stdint.h>

#define DICT_INLINE 4
#define DICT_FKIDS 16 /* children bytes a frozen node keeps inline */

struct dict {
	struct dict_node {
		int32_t head;		 /* first value index, -1 none */
		int32_t row;		 /* row of tabs when it has more than DICT_INLINE children, else -1 */
		uint8_t nkids;		 /* inline children (when row < 0) */
		uint8_t kb[DICT_INLINE]; /* their bytes */
		int32_t kid[DICT_INLINE]; /* their nodes */
	} *nodes;			 /* node 0 is the root, with a row from the start */
	size_t nnodes, nodecap;
	int32_t *tabs; /* rows of 256 children by byte, -1 none */
	size_t ntabs, tabcap;
	struct dict_value { uint32_t value; int32_t next; } *vals;
	size_t nvals, valcap;
	size_t maxlen; /* bytes of the longest key */
	/* the frozen form (dict_freeze), or fz == NULL */
	struct dict_frozen {
		int32_t root[256]; /* the root's child by byte, -1 none */
		struct dict_fnode {
			uint32_t kids;	/* first child; the nkids children follow it, in byte order */
			int32_t head;	/* first value, -1 none */
			union {
				uint8_t b[4]; /* the label's bytes after the first, nlab <= 4 */
				uint32_t off; /* else where they are in labs */
			} lab;
			uint16_t nkids;
			uint16_t nlab;
			union {
				uint8_t b[DICT_FKIDS]; /* the first label byte of each child, nkids <=
							* DICT_FKIDS */
				uint32_t row;	       /* else its row in rows */
			} kb;
		} *nodes;
		uint16_t *rows; /* rows of 256 by byte: the child's offset from kids, or 0xffff */
		uint8_t *labs;	/* labels longer than 4 bytes, after their first */
		size_t nnodes, nrows, nlabs;
		/* a filter in front of the walk: a key of one byte sets its bit in one[]; a
		 * longer key sets the bit its leading L bytes hash to in filt, L the longest of
		 * DICT_FLENS (2, 4, 8) it has. A text none of whose leading 2, 4, 8 bytes has its
		 * bit set (nor its first byte in one[]) starts with no key: no walk. */
		uint64_t one[4];
		uint64_t *filt;
		unsigned fshift; /* 64 - log2(bits of filt) */
		} *fz;
};

struct dict_hit {
	size_t len;   /* bytes of the text the key covers */
	int32_t head; /* first value: d->vals[head].value, then .next until -1 */
};

int dict_init(struct dict *d);
void dict_release(struct dict *d);
/* Add key -> value (a key may carry several values, kept in insertion order). 0 or -1. */
int dict_add(struct dict *d, const char *key, size_t n, uint32_t value);
/* Build the frozen form once the keys are in (it is dropped again by a later dict_add).
 * Value indices (dict_hit.head, vals[]) do not change. 0 or -1 (out of memory; the dict is
 * then still usable unfrozen). */
int dict_freeze(struct dict *d);
/* Every key that is a prefix of s[0..n), shortest first, into hits (at most max).
 * Returns the number found. */
size_t dict_prefixes(const struct dict *d, const char *s, size_t n, struct dict_hit *hits,
		     size_t max);
/* 1 if some key starts with s[0..n) (the walk can go on), else 0. */
int dict_has_prefix(const struct dict *d, const char *s, size_t n);

#endif
