/* link_sort.c: external sort in bounded memory (see link_sort.h). */
#define _GNU_SOURCE /* O_TMPFILE */
#include "olay/link_sort.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MIN_MEM 4096
#define MAX_FAN 64         /* runs merged at once; more are merged in rounds first */
#define RUN_BUF (64 * 1024) /* stdio buffer per run */

struct run {
	FILE *f;
	char *buf; /* current item: key then value */
	size_t cap;
	uint32_t klen, vlen;
};

struct link_sort {
	size_t mem;
	char *arena; /* items: u32 klen, u32 vlen, key, value */
	size_t acap, aused;
	char **idx; /* items of the buffer, sorted before a run is written */
	size_t n, icap, pos;
	struct run *runs;
	unsigned nruns, rcap;
	unsigned *heap; /* indices into runs, smallest item on top */
	unsigned nheap;
	int finished, merging;
	unsigned long long items, spilled;
};

struct link_sort *link_sort_new(size_t mem)
{
	struct link_sort *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->mem = mem < MIN_MEM ? MIN_MEM : mem;
	return s;
}

static void run_close(struct run *r)
{
	if (r->f)
		fclose(r->f);
	free(r->buf);
	memset(r, 0, sizeof *r);
}

void link_sort_free(struct link_sort *s)
{
	if (!s)
		return;
	for (unsigned i = 0; i < s->nruns; i++)
		run_close(&s->runs[i]);
	free(s->runs);
	free(s->heap);
	free(s->arena);
	free(s->idx);
	free(s);
}

static int cmp_bytes(const char *a, uint32_t na, const char *b, uint32_t nb)
{
	int c = memcmp(a, b, na < nb ? na : nb);
	return c ? c : (na > nb) - (na < nb);
}

static int cmp_item(const char *a, const char *b)
{
	uint32_t ka, va, kb, vb;
	memcpy(&ka, a, 4);
	memcpy(&va, a + 4, 4);
	memcpy(&kb, b, 4);
	memcpy(&vb, b + 4, 4);
	int c = cmp_bytes(a + 8, ka, b + 8, kb);
	return c ? c : cmp_bytes(a + 8 + ka, va, b + 8 + kb, vb);
}

static int cmp_idx(const void *x, const void *y)
{
	return cmp_item(*(char *const *)x, *(char *const *)y);
}

/* An unnamed temporary file under $TMPDIR: gone when closed or when the process ends.
 * O_TMPFILE never gives it a name, so even kill -9 leaves nothing behind; where the file
 * system lacks O_TMPFILE, mkstemp + unlink leaves a name for an instant only. */
static FILE *temp_file(void)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	int fd = -1;
#ifdef O_TMPFILE
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
#endif
	if (fd < 0) {
		char path[4096];
		snprintf(path, sizeof path, "%s/olay-link.XXXXXX", dir);
		fd = mkstemp(path);
		if (fd < 0)
			return NULL;
		unlink(path);
	}
	FILE *f = fdopen(fd, "w+");
	if (!f)
		close(fd);
	return f;
}

static struct run *new_run(struct link_sort *s)
{
	if (s->nruns == s->rcap) {
		unsigned cap = s->rcap ? 2 * s->rcap : 16;
		struct run *r = realloc(s->runs, cap * sizeof *r);
		if (!r)
			return NULL;
		s->runs = r;
		s->rcap = cap;
	}
	struct run *r = &s->runs[s->nruns];
	memset(r, 0, sizeof *r);
	if (!(r->f = temp_file()))
		return NULL;
	setvbuf(r->f, NULL, _IOFBF, RUN_BUF);
	s->nruns++;
	return r;
}

static int put_item(struct link_sort *s, FILE *f, const char *k, uint32_t kl, const char *v,
		    uint32_t vl)
{
	uint32_t h[2] = {kl, vl};
	if (fwrite(h, sizeof h, 1, f) != 1 || fwrite(k, 1, kl, f) != kl ||
	    fwrite(v, 1, vl, f) != vl)
		return -1;
	s->spilled += 8 + (unsigned long long)kl + vl;
	return 0;
}

/* Sort the buffer and write it as a run. */
static int flush_buffer(struct link_sort *s)
{
	if (s->n == 0)
		return 0;
	if (s->n > 1)
		qsort(s->idx, s->n, sizeof *s->idx, cmp_idx);
	struct run *r = new_run(s);
	if (!r)
		return -1;
	for (size_t i = 0; i < s->n; i++) {
		const char *it = s->idx[i];
		uint32_t kl, vl;
		memcpy(&kl, it, 4);
		memcpy(&vl, it + 4, 4);
		if (put_item(s, r->f, it + 8, kl, it + 8 + kl, vl))
			return -1;
	}
	if (fflush(r->f))
		return -1;
	s->n = 0;
	s->aused = 0;
	return 0;
}

int link_sort_add(struct link_sort *s, const void *key, uint32_t klen, const void *val,
		  uint32_t vlen)
{
	size_t need = 8 + (size_t)klen + vlen;
	if (s->finished)
		return -1;
	if (s->n > 0 && s->aused + need + (s->n + 1) * sizeof *s->idx > s->mem &&
	    flush_buffer(s))
		return -1;
	if (s->aused + need > s->acap) {
		/* the arena grows to the budget (an item larger than that gets its own) */
		size_t cap = s->acap ? 2 * s->acap : 65536;
		if (cap > s->mem)
			cap = s->mem;
		if (cap < s->aused + need)
			cap = s->aused + need;
		char *a = realloc(s->arena, cap);
		if (!a)
			return -1;
		/* re-point the index at the moved arena */
		for (size_t i = 0; i < s->n; i++)
			s->idx[i] = a + (s->idx[i] - s->arena);
		s->arena = a;
		s->acap = cap;
	}
	if (s->n == s->icap) {
		size_t cap = s->icap ? 2 * s->icap : 1024;
		char **p = realloc(s->idx, cap * sizeof *p);
		if (!p)
			return -1;
		s->idx = p;
		s->icap = cap;
	}
	char *it = s->arena + s->aused;
	uint32_t h[2] = {klen, vlen};
	memcpy(it, h, sizeof h);
	if (klen)
		memcpy(it + 8, key, klen);
	if (vlen)
		memcpy(it + 8 + klen, val, vlen);
	s->idx[s->n++] = it;
	s->aused += need;
	s->items++;
	return 0;
}

/* Read a run's next item into its buffer: 1, 0 at its end, -1 on error. */
static int run_read(struct run *r)
{
	uint32_t h[2];
	size_t got = fread(h, 1, sizeof h, r->f);
	if (got == 0 && feof(r->f))
		return 0;
	if (got != sizeof h)
		return -1;
	size_t need = (size_t)h[0] + h[1];
	if (need > r->cap) {
		size_t cap = r->cap ? r->cap : 4096;
		while (cap < need)
			cap *= 2;
		char *b = realloc(r->buf, cap);
		if (!b)
			return -1;
		r->buf = b;
		r->cap = cap;
	}
	if (need && fread(r->buf, 1, need, r->f) != need)
		return -1;
	r->klen = h[0];
	r->vlen = h[1];
	return 1;
}

static int run_less(const struct run *a, const struct run *b)
{
	int c = cmp_bytes(a->buf, a->klen, b->buf, b->klen);
	if (!c)
		c = cmp_bytes(a->buf + a->klen, a->vlen, b->buf + b->klen, b->vlen);
	return c < 0;
}

static void heap_down(struct link_sort *s, struct run *runs, unsigned i)
{
	for (;;) {
		unsigned l = 2 * i + 1, m = i;
		if (l < s->nheap && run_less(&runs[s->heap[l]], &runs[s->heap[m]]))
			m = l;
		if (l + 1 < s->nheap && run_less(&runs[s->heap[l + 1]], &runs[s->heap[m]]))
			m = l + 1;
		if (m == i)
			return;
		unsigned t = s->heap[i];
		s->heap[i] = s->heap[m];
		s->heap[m] = t;
		i = m;
	}
}

/* Start merging runs[0..n): rewind each, read its first item, build the heap. */
static int heap_start(struct link_sort *s, struct run *runs, unsigned n)
{
	free(s->heap);
	s->heap = malloc((n ? n : 1) * sizeof *s->heap);
	if (!s->heap)
		return -1;
	s->nheap = 0;
	for (unsigned i = 0; i < n; i++) {
		if (fseek(runs[i].f, 0, SEEK_SET))
			return -1;
		int rc = run_read(&runs[i]);
		if (rc < 0)
			return -1;
		if (rc)
			s->heap[s->nheap++] = i;
	}
	for (unsigned i = s->nheap / 2; i-- > 0;)
		heap_down(s, runs, i);
	return 0;
}

/* The heap's top run has been consumed: advance it. */
static int heap_pop(struct link_sort *s, struct run *runs)
{
	int rc = run_read(&runs[s->heap[0]]);
	if (rc < 0)
		return -1;
	if (rc == 0)
		s->heap[0] = s->heap[--s->nheap];
	if (s->nheap)
		heap_down(s, runs, 0);
	return 0;
}

/* Too many runs for one merge: merge the first MAX_FAN into one run, until few are left. */
static int merge_rounds(struct link_sort *s)
{
	while (s->nruns > MAX_FAN) {
		struct run *out = new_run(s);
		if (!out)
			return -1;
		struct run merged = *out; /* runs may move as the array grows: keep a copy */
		s->nruns--;
		if (heap_start(s, s->runs, MAX_FAN))
			return -1;
		while (s->nheap) {
			struct run *r = &s->runs[s->heap[0]];
			if (put_item(s, merged.f, r->buf, r->klen, r->buf + r->klen, r->vlen) ||
			    heap_pop(s, s->runs))
				return -1;
		}
		if (fflush(merged.f))
			return -1;
		for (unsigned i = 0; i < MAX_FAN; i++)
			run_close(&s->runs[i]);
		memmove(s->runs, s->runs + MAX_FAN, (s->nruns - MAX_FAN) * sizeof *s->runs);
		s->nruns -= MAX_FAN;
		s->runs[s->nruns++] = merged;
	}
	return 0;
}

int link_sort_finish(struct link_sort *s)
{
	if (s->finished)
		return -1;
	s->finished = 1;
	if (s->nruns == 0) {
		/* everything fits in memory: no file at all */
		if (s->n > 1)
			qsort(s->idx, s->n, sizeof *s->idx, cmp_idx);
		s->pos = 0;
		return 0;
	}
	if (flush_buffer(s))
		return -1;
	free(s->arena);
	free(s->idx);
	s->arena = NULL;
	s->idx = NULL;
	s->acap = s->icap = 0;
	if (merge_rounds(s) || heap_start(s, s->runs, s->nruns))
		return -1;
	s->merging = 1;
	return 0;
}

int link_sort_next(struct link_sort *s, const char **key, uint32_t *klen, const char **val,
		   uint32_t *vlen)
{
	if (!s->finished)
		return -1;
	if (!s->merging) {
		if (s->pos >= s->n)
			return 0;
		const char *it = s->idx[s->pos++];
		memcpy(klen, it, 4);
		memcpy(vlen, it + 4, 4);
		*key = it + 8;
		*val = it + 8 + *klen;
		return 1;
	}
	/* the item returned last time is consumed now, so its pointers stayed valid */
	if (s->merging == 2 && heap_pop(s, s->runs))
		return -1;
	s->merging = 2;
	if (!s->nheap)
		return 0;
	struct run *r = &s->runs[s->heap[0]];
	*key = r->buf;
	*klen = r->klen;
	*val = r->buf + r->klen;
	*vlen = r->vlen;
	return 1;
}

unsigned long long link_sort_items(const struct link_sort *s)
{
	return s->items;
}

unsigned link_sort_runs(const struct link_sort *s)
{
	return s->nruns;
}

unsigned long long link_sort_spilled(const struct link_sort *s)
{
	return s->spilled;
}
