/* csvout.c: delimited rows into a buffer; quoting by libcsv. */
#include "olay/csvout.h"

#include <csv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void csvout_init(struct csvout *c, char delim, int quote)
{
	memset(c, 0, sizeof *c);
	c->delim = delim;
	c->quote = quote;
}

static int reserve(struct csvout *c, size_t n)
{
	if (c->failed)
		return -1;
	if (c->len + n + 1 <= c->cap)
		return 0;
	size_t cap = c->cap ? c->cap : 4096;
	while (cap < c->len + n + 1)
		cap *= 2;
	char *p = realloc(c->buf, cap);
	if (!p) {
		c->failed = 1;
		return -1;
	}
	c->buf = p;
	c->cap = cap;
	return 0;
}

void csvout_raw(struct csvout *c, const char *s, size_t n)
{
	if (reserve(c, n))
		return;
	memcpy(c->buf + c->len, s, n);
	c->len += n;
	c->buf[c->len] = '\0';
}

static int needs_quotes(const struct csvout *c, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == c->delim || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			return 1;
	return 0;
}

void csvout_fieldn(struct csvout *c, const char *s, size_t n)
{
	if (c->nfields++ > 0)
		csvout_raw(c, &c->delim, 1);
	if (!s || n == 0)
		return;
	if (!c->quote) {
		if (reserve(c, n))
			return;
		for (size_t i = 0; i < n; i++) {
			char ch = s[i];
			c->buf[c->len++] = (ch == '\t' || ch == '\n' || ch == '\r') ? ' ' : ch;
		}
		c->buf[c->len] = '\0';
		return;
	}
	if (!needs_quotes(c, s, n)) {
		csvout_raw(c, s, n);
		return;
	}
	/* at most every byte doubled, plus two quotes */
	if (reserve(c, 2 * n + 2))
		return;
	c->len += csv_write2(c->buf + c->len, c->cap - c->len, s, n, '"');
	c->buf[c->len] = '\0';
}

void csvout_field(struct csvout *c, const char *s)
{
	csvout_fieldn(c, s, s ? strlen(s) : 0);
}

void csvout_fieldf(struct csvout *c, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		csvout_field(c, NULL);
		return;
	}
	if ((size_t)n < sizeof small) {
		csvout_fieldn(c, small, (size_t)n);
		return;
	}
	char *big = malloc((size_t)n + 1);
	if (!big) {
		c->failed = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	csvout_fieldn(c, big, (size_t)n);
	free(big);
}

void csvout_end_row(struct csvout *c)
{
	csvout_raw(c, "\n", 1);
	c->nfields = 0;
}

void csvout_clear(struct csvout *c)
{
	c->len = 0;
	c->nfields = 0;
	if (c->buf)
		c->buf[0] = '\0';
}

int csvout_failed(const struct csvout *c)
{
	return c->failed;
}

void csvout_release(struct csvout *c)
{
	free(c->buf);
	memset(c, 0, sizeof *c);
}
