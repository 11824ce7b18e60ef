/* csvin.c: a pull interface over libcsv's push parser. The file is fed line by line so
 * that each record's first line is known for error messages. */
#include "olay/csvin.h"

#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct record {
	char **fields;
	size_t *lens;
	size_t n, cap;
	unsigned long line;
};

struct csvin {
	FILE *f;
	struct csv_parser p;
	char *linebuf;
	size_t linecap;
	unsigned long line;       /* lines fed so far */
	unsigned long rec_start;  /* line the record being parsed started on (0: none yet) */
	struct record *queue;     /* records completed, not yet returned */
	size_t nq, qhead, qcap;
	struct record cur;        /* being built */
	struct record out;        /* returned last */
	int eof, failed;
	char err[128];
};

static void record_free(struct record *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->fields[i]);
	free(r->fields);
	free(r->lens);
	memset(r, 0, sizeof *r);
}

static void on_field(void *data, size_t len, void *ctx)
{
	struct csvin *c = ctx;
	struct record *r = &c->cur;
	if (c->rec_start == 0)
		c->rec_start = c->line;
	if (r->n == r->cap) {
		size_t nc = r->cap ? 2 * r->cap : 16;
		char **f = realloc(r->fields, nc * sizeof *f);
		size_t *l = f ? realloc(r->lens, nc * sizeof *l) : NULL;
		if (!f || !l) {
			if (f)
				r->fields = f;
			c->failed = 1;
			return;
		}
		r->fields = f;
		r->lens = l;
		r->cap = nc;
	}
	char *s = malloc(len + 1);
	if (!s) {
		c->failed = 1;
		return;
	}
	if (len)
		memcpy(s, data, len);
	s[len] = '\0';
	r->fields[r->n] = s;
	r->lens[r->n] = len;
	r->n++;
}

static void on_record(int term, void *ctx)
{
	struct csvin *c = ctx;
	if (c->cur.n == 0 && term != -1) /* libcsv reports blank lines as empty records */
		return;
	c->cur.line = c->rec_start ? c->rec_start : c->line;
	c->rec_start = 0;
	if (c->nq == c->qcap) {
		size_t nc = c->qcap ? 2 * c->qcap : 8;
		struct record *q = realloc(c->queue, nc * sizeof *q);
		if (!q) {
			c->failed = 1;
			record_free(&c->cur);
			return;
		}
		c->queue = q;
		c->qcap = nc;
	}
	c->queue[c->nq++] = c->cur;
	memset(&c->cur, 0, sizeof c->cur);
}

struct csvin *csvin_open(FILE *f, unsigned char delimiter)
{
	struct csvin *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	if (csv_init(&c->p, CSV_APPEND_NULL) != 0) {
		free(c);
		return NULL;
	}
	csv_set_delim(&c->p, delimiter);
	c->f = f;
	return c;
}

void csvin_free(struct csvin *c)
{
	if (!c)
		return;
	csv_free(&c->p);
	for (size_t i = c->qhead; i < c->nq; i++)
		record_free(&c->queue[i]);
	free(c->queue);
	record_free(&c->cur);
	record_free(&c->out);
	free(c->linebuf);
	free(c);
}

const char *csvin_error(const struct csvin *c)
{
	return c->err;
}

int csvin_next(struct csvin *c, char ***fields, size_t **lens, size_t *n, unsigned long *line)
{
	record_free(&c->out);
	while (c->qhead == c->nq) {
		c->qhead = c->nq = 0;
		if (c->eof || c->failed) {
			if (c->failed && !c->err[0])
				snprintf(c->err, sizeof c->err, "out of memory");
			return c->failed ? -1 : 0;
		}
		errno = 0;
		ssize_t len = getline(&c->linebuf, &c->linecap, c->f);
		if (len < 0) {
			if (ferror(c->f)) {
				snprintf(c->err, sizeof c->err, "read error: %s", strerror(errno));
				return -1;
			}
			c->eof = 1;
			if (csv_fini(&c->p, on_field, on_record, c) != 0) {
				snprintf(c->err, sizeof c->err, "line %lu: %s (an unclosed quote?)",
					 c->rec_start ? c->rec_start : c->line,
					 csv_strerror(csv_error(&c->p)));
				return -1;
			}
			continue;
		}
		c->line++;
		if ((size_t)len != csv_parse(&c->p, c->linebuf, (size_t)len, on_field, on_record, c)) {
			snprintf(c->err, sizeof c->err, "line %lu: %s", c->line,
				 csv_strerror(csv_error(&c->p)));
			return -1;
		}
	}
	c->out = c->queue[c->qhead++];
	*fields = c->out.fields;
	*lens = c->out.lens;
	*n = c->out.n;
	*line = c->out.line;
	return 1;
}
