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

int dict_init(struct dict *d)
{
	memset(d, 0, sizeof(*d));
	d->cap = 1024;
	d->slots = calloc(d->cap, sizeof(*d->slots));
	d->child = malloc(d->cap * sizeof(*d->child));
	d->nodecap = 256;
	d->head = malloc(d->nodecap * sizeof(*d->head));
	d->only = malloc(d->nodecap * sizeof(*d->only));
	if (!d->slots || !d->child || !d->head || !d->only) {
		dict_release(d);
		return -1;
	}
	d->head[0] = -1;
	d->only[0] = -1;
	for (int b = 0; b < 256; b++)
		d->root[b] = -1;
	d->nnodes = 1; /* the root */
	return 0;
}

void dict_release(struct dict *d)
{
	free(d->slots);
	free(d->child);
	free(d->head);
	free(d->only);
	free(d->vals);
	memset(d, 0, sizeof(*d));
}

static long find(const struct dict *d, uint64_t key)
{
	size_t mask = d->cap - 1;
	for (size_t i = mix(key) & mask;; i = (i + 1) & mask) {
		if (d->slots[i] == 0)
			return -1;
		if (d->slots[i] == key + 1)
			return d->child[i];
	}
}

static void put(uint64_t *slots, uint32_t *child, size_t cap, uint64_t key, uint32_t node)
{
	size_t mask = cap - 1;
	size_t i = mix(key) & mask;
	while (slots[i])
		i = (i + 1) & mask;
	slots[i] = key + 1;
	child[i] = node;
}

static int grow_table(struct dict *d)
{
	size_t cap = d->cap * 2;
	uint64_t *slots = calloc(cap, sizeof(*slots));
	uint32_t *child = malloc(cap * sizeof(*child));
	if (!slots || !child) {
		free(slots);
		free(child);
		return -1;
	}
	for (size_t i = 0; i < d->cap; i++)
		if (d->slots[i])
			put(slots, child, cap, d->slots[i] - 1, d->child[i]);
	free(d->slots);
	free(d->child);
	d->slots = slots;
	d->child = child;
	d->cap = cap;
	return 0;
}

int dict_add(struct dict *d, const char *key, size_t n, uint32_t value)
{
	uint32_t node = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t k = (uint64_t)node << 8 | (unsigned char)key[i];
		long c = find(d, k);
		if (c < 0) {
			if ((d->used + 1) * 2 > d->cap && grow_table(d))
				return -1;
			if (d->nnodes == d->nodecap) {
				int32_t *h = realloc(d->head, d->nodecap * 2 * sizeof(*h));
				if (!h)
					return -1;
				d->head = h;
				int32_t *o = realloc(d->only, d->nodecap * 2 * sizeof(*o));
				if (!o)
					return -1;
				d->only = o;
				d->nodecap *= 2;
			}
			c = (long)d->nnodes++;
			if (c >= (1 << 24) - 2)
				return -1; /* node numbers must fit beside the byte in only[], apart from -1, -2 */
			d->head[c] = -1;
			d->only[c] = -1;
			/* most nodes deep in a name have one child: found without hashing */
			d->only[node] = d->only[node] == -1 ? (int32_t)((uint32_t)(unsigned char)key[i] << 24 | (uint32_t)c)
							     : -2;
			if (node == 0)
				d->root[(unsigned char)key[i]] = (int32_t)c;
			put(d->slots, d->child, d->cap, k, (uint32_t)c);
			d->used++;
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
	if (d->head[node] < 0) {
		d->head[node] = idx;
	} else {
		int32_t t = d->head[node];
		while (d->vals[t].next >= 0)
			t = d->vals[t].next;
		d->vals[t].next = idx;
	}
	return 0;
}

static long step(const struct dict *d, uint32_t node, unsigned char b)
{
	if (node == 0)
		return d->root[b];
	int32_t o = d->only[node];
	if (o == -1)
		return -1;
	if (o != -2)
		return (uint32_t)o >> 24 == b ? (long)((uint32_t)o & 0xFFFFFF) : -1;
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
		if (d->head[node] >= 0 && nh < max) {
			hits[nh].len = i + 1;
			hits[nh].head = d->head[node];
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
