/* dict.c: byte trie, children inline or in a row by byte. */
#include "olay/dict.h"

#include <stdlib.h>
#include <string.h>

/* give node a row of children by byte, filled from its inline children */
static int make_row(struct dict *d, uint32_t node)
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
	for (int b = 0; b < 256; b++)
		row[b] = -1;
	struct dict_node *nd = &d->nodes[node];
	for (int k = 0; k < nd->nkids; k++)
		row[nd->kb[k]] = nd->kid[k];
	nd->row = (int32_t)d->ntabs++;
	return 0;
}

static inline long step(const struct dict *d, uint32_t node, unsigned char b)
{
	const struct dict_node *nd = &d->nodes[node];
	if (nd->row >= 0)
		return d->tabs[(size_t)nd->row * 256 + b];
	for (int k = 0; k < nd->nkids; k++)
		if (nd->kb[k] == b)
			return nd->kid[k];
	return -1;
}

static void node_init(struct dict_node *nd)
{
	memset(nd, 0, sizeof(*nd));
	nd->head = -1;
	nd->row = -1;
}

int dict_init(struct dict *d)
{
	memset(d, 0, sizeof(*d));
	d->nodecap = 256;
	d->nodes = malloc(d->nodecap * sizeof(*d->nodes));
	if (!d->nodes)
		return -1;
	node_init(&d->nodes[0]);
	d->nnodes = 1; /* the root */
	if (make_row(d, 0)) {
		dict_release(d);
		return -1;
	}
	return 0;
}

void dict_release(struct dict *d)
{
	free(d->nodes);
	free(d->tabs);
	free(d->vals);
	memset(d, 0, sizeof(*d));
}

int dict_add(struct dict *d, const char *key, size_t n, uint32_t value)
{
	uint32_t node = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char byte = (unsigned char)key[i];
		long c = step(d, node, byte);
		if (c < 0) {
			if (d->nnodes == d->nodecap) {
				struct dict_node *nd = realloc(d->nodes, d->nodecap * 2 * sizeof(*nd));
				if (!nd)
					return -1;
				d->nodes = nd;
				d->nodecap *= 2;
			}
			if (d->nnodes >= INT32_MAX)
				return -1;
			c = (long)d->nnodes++;
			node_init(&d->nodes[c]);
			struct dict_node *pn = &d->nodes[node];
			if (pn->row < 0 && pn->nkids == DICT_INLINE && make_row(d, node))
				return -1;
			if (pn->row >= 0) {
				d->tabs[(size_t)pn->row * 256 + byte] = (int32_t)c;
			} else {
				pn->kb[pn->nkids] = byte;
				pn->kid[pn->nkids++] = (int32_t)c;
			}
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
