/* dict.c: byte trie with hashed transitions. */
#include "olay/dict.h"

#include <stdlib.h>
#include <string.h>

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

/* a node gets a row of 256 children once it has this many */
#define DENSE_MIN 6

int dict_init(struct dict *d)
{
	memset(d, 0, sizeof(*d));
	d->cap = 1024;
	d->slots = calloc(d->cap, sizeof(*d->slots));
	d->nodecap = 256;
	d->nodes = malloc(d->nodecap * sizeof(*d->nodes));
	if (!d->slots || !d->nodes) {
		dict_release(d);
		return -1;
	}
	d->nodes[0] = (struct dict_node){-1, -1, -1, 0};
	for (int b = 0; b < 256; b++)
		d->root[b] = -1;
	d->nnodes = 1; /* the root */
	return 0;
}

void dict_release(struct dict *d)
{
	free(d->slots);
	free(d->nodes);
	free(d->tabs);
	free(d->vals);
	memset(d, 0, sizeof(*d));
}

static long find(const struct dict *d, uint64_t key)
{
	size_t mask = d->cap - 1;
	for (size_t i = mix(key) & mask;; i = (i + 1) & mask) {
		if (d->slots[i].key == 0)
			return -1;
		if (d->slots[i].key == key + 1)
			return d->slots[i].child;
	}
}

static void put(struct dict_slot *slots, size_t cap, uint64_t key, uint32_t node)
{
	size_t mask = cap - 1;
	size_t i = mix(key) & mask;
	while (slots[i].key)
		i = (i + 1) & mask;
	slots[i].key = key + 1;
	slots[i].child = node;
}

static int grow_table(struct dict *d)
{
	size_t cap = d->cap * 2;
	struct dict_slot *slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return -1;
	for (size_t i = 0; i < d->cap; i++)
		if (d->slots[i].key)
			put(slots, cap, d->slots[i].key - 1, d->slots[i].child);
	free(d->slots);
	d->slots = slots;
	d->cap = cap;
	return 0;
}

static int grow_nodes(struct dict *d)
{
	size_t c = d->nodecap * 2;
	struct dict_node *nd = realloc(d->nodes, c * sizeof(*nd));
	if (!nd)
		return -1;
	d->nodes = nd;
	d->nodecap = c;
	return 0;
}

/* give node a row of children by byte, filled from the hash table */
static int make_dense(struct dict *d, uint32_t node)
{
	if (d->ntabs == d->tabcap) {
		size_t c = d->tabcap ? d->tabcap * 2 : 16;
		int32_t *t = realloc(d->tabs, c * 256 * sizeof(*t));
		if (!t)
			return -1;
		d->tabs = t;
		d->tabcap = c;
	}
	int32_t *row = d->tabs + d->ntabs * 256;
	for (int b = 0; b < 256; b++) {
		long c = find(d, (uint64_t)node << 8 | (unsigned)b);
		row[b] = c < 0 ? -1 : (int32_t)c;
	}
	d->nodes[node].dense = (int32_t)d->ntabs++;
	return 0;
}

int dict_add(struct dict *d, const char *key, size_t n, uint32_t value)
{
	uint32_t node = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char byte = (unsigned char)key[i];
		uint64_t k = (uint64_t)node << 8 | byte;
		long c = find(d, k);
		if (c < 0) {
			if ((d->used + 1) * 2 > d->cap && grow_table(d))
				return -1;
			if (d->nnodes == d->nodecap && grow_nodes(d))
				return -1;
			c = (long)d->nnodes++;
			if (c >= (1 << 24) - 2)
				return -1; /* node numbers must fit beside the byte in only[], apart from -1, -2 */
			d->nodes[c] = (struct dict_node){-1, -1, -1, 0};
			/* most nodes deep in a name have one child: found without hashing */
			struct dict_node *pn = &d->nodes[node];
			pn->only = pn->only == -1 ? (int32_t)((uint32_t)byte << 24 | (uint32_t)c) : -2;
			if (node == 0)
				d->root[byte] = (int32_t)c;
			put(d->slots, d->cap, k, (uint32_t)c);
			d->used++;
			pn->nkids++;
			if (node != 0 && pn->dense >= 0)
				d->tabs[(size_t)pn->dense * 256 + byte] = (int32_t)c;
			else if (node != 0 && pn->nkids >= DENSE_MIN && make_dense(d, node))
				return -1;
		}
		node = (uint32_t)c;
	}
	if (d->nvals == d->valcap) {
		size_t cap = d->valcap ? d->valcap * 2 : 256;
		struct dict_value *v = realloc(d->vals, cap * sizeof(*v));
		if (!v)
			return -1;
		d->vals = v;
		d->valcap = cap;
	}
	/* append at the tail so values keep insertion order */
	int32_t idx = (int32_t)d->nvals++;
	d->vals[idx].value = value;
	d->vals[idx].next = -1;
	if (d->nodes[node].head < 0) {
		d->nodes[node].head = idx;
	} else {
		int32_t t = d->nodes[node].head;
		while (d->vals[t].next >= 0)
			t = d->vals[t].next;
		d->vals[t].next = idx;
	}
	return 0;
}

static inline long step(const struct dict *d, uint32_t node, unsigned char b)
{
	if (node == 0)
		return d->root[b];
	const struct dict_node *nd = &d->nodes[node];
	int32_t o = nd->only;
	if (o == -1)
		return -1;
	if (o != -2)
		return (uint32_t)o >> 24 == b ? (long)((uint32_t)o & 0xFFFFFF) : -1;
	int32_t r = nd->dense;
	if (r >= 0)
		return d->tabs[(size_t)r * 256 + b];
	return find(d, (uint64_t)node << 8 | b);
}

size_t dict_prefixes(const struct dict *d, const char *s, size_t n, struct dict_hit *hits,
		     size_t max)
{
	size_t nh = 0;
	uint32_t node = 0;
	for (size_t i = 0; i < n; i++) {
		long c = step(d, node, (unsigned char)s[i]);
		if (c < 0)
			break;
		node = (uint32_t)c;
		if (d->nodes[node].head >= 0 && nh < max) {
			hits[nh].len = i + 1;
			hits[nh].head = d->nodes[node].head;
			nh++;
		}
	}
	return nh;
}

int dict_has_prefix(const struct dict *d, const char *s, size_t n)
{
	uint32_t node = 0;
	for (size_t i = 0; i < n; i++) {
		long c = step(d, node, (unsigned char)s[i]);
		if (c < 0)
			return 0;
		node = (uint32_t)c;
	}
	return 1;
}
