/* dict.c: byte trie, children inline or in a row by byte; the frozen form (dict_freeze)
 * walked instead once built. */
#include "olay/dict.h"

#include <stdlib.h>
#include <string.h>

/* SSE2 finds a child among a frozen node's 16 inline bytes in one comparison; the loop
 * below it is the portable way (tests/unit/test_dict_portable.c builds this file with
 * OLAY_DICT_PORTABLE to test it on x86-64 too). */
#if defined(__SSE2__) && !defined(OLAY_DICT_PORTABLE)
#define DICT_SSE2 1
#include <emmintrin.h>
#endif

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

static void free_frozen(struct dict_frozen *fz)
{
	if (!fz)
		return;
	free(fz->nodes);
	free(fz->rows);
	free(fz->labs);
	free(fz->filt);
	free(fz);
}

static void unfreeze(struct dict *d)
{
	free_frozen(d->fz);
	d->fz = NULL;
}

void dict_release(struct dict *d)
{
	unfreeze(d);
	free(d->nodes);
	free(d->tabs);
	free(d->vals);
	memset(d, 0, sizeof(*d));
}

int dict_add(struct dict *d, const char *key, size_t n, uint32_t value)
{
	unfreeze(d); /* it would miss the new key */
	if (n > d->maxlen)
		d->maxlen = n;
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

_Static_assert(sizeof(struct dict_fnode) == 32, "a frozen node is half a cache line");

/* The children of node m in byte order, into kb[] and kid[] (room for 256); the count. */
static int kids_of(const struct dict *d, uint32_t m, uint8_t *kb, int32_t *kid)
{
	const struct dict_node *nd = &d->nodes[m];
	int n = 0;
	if (nd->row >= 0) {
		const int32_t *row = d->tabs + (size_t)nd->row * 256;
		for (int b = 0; b < 256; b++)
			if (row[b] >= 0) {
				kb[n] = (uint8_t)b;
				kid[n++] = row[b];
			}
		return n;
	}
	for (int k = 0; k < nd->nkids; k++) { /* insertion sort of at most DICT_INLINE */
		int j = n++;
		for (; j > 0 && kb[j - 1] > nd->kb[k]; j--) {
			kb[j] = kb[j - 1];
			kid[j] = kid[j - 1];
		}
		kb[j] = nd->kb[k];
		kid[j] = nd->kid[k];
	}
	return n;
}

/* The filter's prefix lengths, shortest first: a key of len bytes (len >= 2) is entered by
 * its leading flens[j] bytes, flens[j] the longest that is <= len. A key the text starts
 * with is then found by the probe of that length, so the filter never drops a walk that
 * would find a key; it only lets through some that find none (a bit shared by hashing). */
static const unsigned flens[] = {2, 4, 8}; /* frozen_prefixes probes these three */
#define DICT_NFLENS (sizeof flens / sizeof flens[0])

/* s's leading len bytes (2, 4 or 8; s has them) as one integer. A fixed-size copy per
 * length, so that each compiles to one load. */
static inline uint64_t lead(const unsigned char *s, unsigned len)
{
	uint16_t x2;
	uint32_t x4;
	uint64_t x8;
	switch (len) {
	case 2:
		memcpy(&x2, s, 2);
		return x2;
	case 4:
		memcpy(&x4, s, 4);
		return x4;
	default:
		memcpy(&x8, s, 8);
		return x8;
	}
}

/* The filter bit of s's leading len bytes: hashed by a multiply whose top bits are the
 * index. */
static inline uint64_t filt_hash(const unsigned char *s, unsigned len, unsigned shift)
{
	return ((lead(s, len) + len) * 0x9E3779B97F4A7C15ull) >> shift;
}

static inline int filt_has(const struct dict_frozen *fz, const unsigned char *s, unsigned len)
{
	uint64_t h = filt_hash(s, len, fz->fshift);
	return (fz->filt[h / 64] >> (h % 64)) & 1;
}

/* Fill the filter from the keys of the trie: each node with a value ends a key, whose
 * leading bytes are read back up its parents. 0 or -1. */
static int build_filter(const struct dict *d, struct dict_frozen *fz)
{
	int32_t *parent = malloc(d->nnodes * sizeof(*parent));
	uint32_t *depth = malloc(d->nnodes * sizeof(*depth));
	uint8_t *by = malloc(d->nnodes); /* the byte from the parent */
	unsigned char key[8];
	if (!parent || !depth || !by)
		goto fail;
	parent[0] = -1;
	depth[0] = 0;
	size_t nkeys = 0;
	uint8_t kb[256];
	int32_t kid[256];
	/* a child is always added after its parent: one pass in index order */
	for (uint32_t m = 0; m < d->nnodes; m++) {
		if (d->nodes[m].head >= 0 && depth[m] >= 2)
			nkeys++;
		int nk = kids_of(d, m, kb, kid);
		for (int k = 0; k < nk; k++) {
			parent[kid[k]] = (int32_t)m;
			depth[kid[k]] = depth[m] + 1;
			by[kid[k]] = kb[k];
		}
	}
	/* about 16 bits per key: few texts get through on a shared bit */
	unsigned lg = 9;
	while (lg < 22 && ((size_t)1 << lg) < nkeys * 16)
		lg++;
	fz->fshift = 64 - lg;
	fz->filt = calloc(((size_t)1 << lg) / 64, sizeof(uint64_t));
	if (!fz->filt)
		goto fail;
	for (uint32_t m = 1; m < d->nnodes; m++) {
		if (d->nodes[m].head < 0)
			continue;
		if (depth[m] == 1) {
			fz->one[by[m] / 64] |= 1ull << (by[m] % 64);
			continue;
		}
		unsigned len = flens[0];
		for (size_t j = 1; j < DICT_NFLENS && flens[j] <= depth[m]; j++)
			len = flens[j];
		uint32_t a = m; /* up to the node at depth len, then its bytes backwards */
		while (depth[a] > len)
			a = (uint32_t)parent[a];
		for (unsigned i = len; i-- > 0; a = (uint32_t)parent[a])
			key[i] = by[a];
		uint64_t h = filt_hash(key, len, fz->fshift);
		fz->filt[h / 64] |= 1ull << (h % 64);
	}
	free(parent);
	free(depth);
	free(by);
	return 0;
fail:
	free(parent);
	free(depth);
	free(by);
	return -1;
}

/* The frozen form: frozen nodes are the root and every node with a value or with other
 * than one child; the chain of one-child nodes without a value in front of each becomes
 * its label, the first byte kept by the parent (kb), the rest in the node itself or in
 * labs. Breadth-first, so each node's children are consecutive, in byte order. Every
 * frozen node but the root stands for a distinct node of the trie and every label byte
 * after the first for another, so nnodes bounds the nodes and the label bytes. */
int dict_freeze(struct dict *d)
{
	unfreeze(d);
	struct dict_frozen *fz = calloc(1, sizeof(*fz));
	uint32_t *of = malloc(d->nnodes * sizeof(*of)); /* the trie node a frozen node ends at */
	uint8_t *fb = malloc(d->nnodes);		/* a frozen node's first label byte */
	uint8_t *lb = malloc(d->nnodes);		/* a label, while it is followed */
	if (!fz || !of || !fb || !lb)
		goto fail;
	/* a node never straddles two cache lines */
	size_t nbytes = (d->nnodes * sizeof(*fz->nodes) + 63) / 64 * 64;
	fz->nodes = aligned_alloc(64, nbytes);
	fz->labs = malloc(d->nnodes);
	if (!fz->nodes || !fz->labs)
		goto fail;
	memset(fz->nodes, 0, nbytes);
	fz->nodes[0].head = d->nodes[0].head;
	of[0] = 0;
	fz->nnodes = 1;
	uint8_t kb[256], cb[256];
	int32_t kid[256], cn[256];
	for (size_t q = 0; q < fz->nnodes; q++) {
		int nk = kids_of(d, of[q], kb, kid);
		fz->nodes[q].kids = (uint32_t)fz->nnodes;
		fz->nodes[q].nkids = (uint16_t)nk;
		for (int k = 0; k < nk; k++) {
			uint32_t m = (uint32_t)kid[k];
			uint16_t nlab = 0;
			while (d->nodes[m].head < 0 && nlab < UINT16_MAX && kids_of(d, m, cb, cn) == 1) {
				lb[nlab++] = cb[0];
				m = (uint32_t)cn[0];
			}
			size_t f = fz->nnodes++;
			struct dict_fnode *fn = &fz->nodes[f];
			fn->head = d->nodes[m].head;
			fn->nlab = nlab;
			if (nlab <= 4) {
				memcpy(fn->lab.b, lb, nlab);
			} else {
				fn->lab.off = (uint32_t)fz->nlabs;
				memcpy(fz->labs + fz->nlabs, lb, nlab);
				fz->nlabs += nlab;
			}
			fb[f] = kb[k];
			of[f] = m;
		}
	}
	/* the children's first bytes: inline, or a row for a wide node (the root's: root[]) */
	for (size_t q = 1; q < fz->nnodes; q++) {
		struct dict_fnode *fn = &fz->nodes[q];
		if (fn->nkids <= DICT_FKIDS) {
			memcpy(fn->kb.b, fb + fn->kids, fn->nkids);
			continue;
		}
		uint16_t *r = realloc(fz->rows, (fz->nrows + 1) * 256 * sizeof(*r));
		if (!r)
			goto fail;
		fz->rows = r;
		r += fz->nrows * 256;
		for (int b = 0; b < 256; b++)
			r[b] = 0xffff;
		for (uint32_t k = 0; k < fn->nkids; k++)
			r[fb[fn->kids + k]] = (uint16_t)k;
		fn->kb.row = (uint32_t)fz->nrows++;
	}
	for (int b = 0; b < 256; b++)
		fz->root[b] = -1;
	for (uint32_t k = 0; k < fz->nodes[0].nkids; k++)
		fz->root[fb[1 + k]] = (int32_t)(1 + k);
	if (build_filter(d, fz))
		goto fail;
	free(of);
	free(fb);
	free(lb);
	d->fz = fz;
	return 0;
fail:
	free(of);
	free(fb);
	free(lb);
	free_frozen(fz);
	return -1;
}

/* The frozen node a walk reaches from node f with byte b, or -1. */
static inline int32_t frozen_kid(const struct dict_frozen *fz, const struct dict_fnode *f,
				 unsigned char b)
{
	if (f->nkids > DICT_FKIDS) {
		uint16_t o = fz->rows[(size_t)f->kb.row * 256 + b];
		return o == 0xffff ? -1 : (int32_t)(f->kids + o);
	}
#ifdef DICT_SSE2
	/* the bytes past nkids are zero, and masked off */
	__m128i v = _mm_loadu_si128((const __m128i *)f->kb.b);
	unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)b)));
	m &= (1u << f->nkids) - 1;
	return m ? (int32_t)(f->kids + (uint32_t)__builtin_ctz(m)) : -1;
#else
	for (uint32_t k = 0; k < f->nkids; k++) /* in byte order */
		if (f->kb.b[k] >= b)
			return f->kb.b[k] == b ? (int32_t)(f->kids + k) : -1;
	return -1;
#endif
}

static inline const uint8_t *frozen_label(const struct dict_frozen *fz, const struct dict_fnode *f)
{
	return f->nlab <= 4 ? f->lab.b : fz->labs + f->lab.off;
}

/* The first len bytes (len <= 4) of a 4-byte word, in memory order: a mask that compares
 * a short label and the text in one step. */
static const uint8_t lead_mask[5][4] = {
	{0, 0, 0, 0}, {0xff, 0, 0, 0}, {0xff, 0xff, 0, 0}, {0xff, 0xff, 0xff, 0}, {0xff, 0xff, 0xff, 0xff},
};

/* dict_prefixes() over the frozen form. i counts the bytes of s the walk has read. A step
 * has one branch that depends on the text (go on or stop) where it can: a short label is
 * compared in one masked 4-byte comparison when the text has 4 bytes left, and a hit is
 * recorded by moving the count, not by a branch. */
static size_t frozen_prefixes(const struct dict_frozen *fz, const unsigned char *s, size_t n,
			      struct dict_hit *hits, size_t max)
{
	size_t nh = 0;
	if (n == 0)
		return 0;
	/* the filter: every probe the text is long enough for (they do not depend on each
	 * other, so their loads overlap) */
	int may = (int)((fz->one[s[0] / 64] >> (s[0] % 64)) & 1);
	if (n >= 2)
		may |= filt_has(fz, s, 2);
	if (n >= 4)
		may |= filt_has(fz, s, 4);
	if (n >= 8)
		may |= filt_has(fz, s, 8);
	if (!may)
		return 0;
	int32_t c = fz->root[s[0]];
	size_t i = 1;
	while (c >= 0) {
		const struct dict_fnode *f = &fz->nodes[c];
		size_t nlab = f->nlab;
		if (nlab <= 4 && n - i >= 4) {
			uint32_t x, lab, mask;
			memcpy(&x, s + i, 4);
			memcpy(&lab, f->lab.b, 4);
			memcpy(&mask, lead_mask[nlab], 4);
			if ((x ^ lab) & mask)
				break;
			i += nlab;
		} else if (nlab) {
			if (n - i < nlab)
				break; /* the text ends inside the label */
			const uint8_t *lab = frozen_label(fz, f);
			for (size_t k = 0; k < nlab; k++)
				if (s[i + k] != lab[k])
					return nh;
			i += nlab;
		}
		if (nh < max) {
			/* written always, counted only when the node ends a key */
			hits[nh].len = i;
			hits[nh].head = f->head;
			nh += f->head >= 0;
		}
		if (i == n)
			break;
		c = frozen_kid(fz, f, s[i++]);
	}
	return nh;
}

size_t dict_prefixes(const struct dict *d, const char *s, size_t n, struct dict_hit *hits,
		     size_t max)
{
	if (d->fz)
		return frozen_prefixes(d->fz, (const unsigned char *)s, n, hits, max);
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
	/* the plain trie, kept beside a frozen form: no caller is hot */
	uint32_t node = 0;
	for (size_t i = 0; i < n; i++) {
		long c = step(d, node, (unsigned char)s[i]);
		if (c < 0)
			return 0;
		node = (uint32_t)c;
	}
	return 1;
}
