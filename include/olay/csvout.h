/* csvout.h: a growable output buffer that writes delimited rows: RFC 4180 quoting through
 * libcsv (a field is quoted only when it holds the delimiter, a quote or a line break), or,
 * for GDELT's tab-separated files, no quoting at all (tabs and line breaks in a field become
 * spaces, as GDELT has no way to escape them). Also takes raw bytes, for JSON output.
 *
 * Ownership: the struct owns its buffer; csvout_release() frees it. Out of memory is
 * sticky: every call after it does nothing and csvout_failed() says so. One per thread. */
#ifndef OLAY_CSVOUT_H
#define OLAY_CSVOUT_H

#include <stddef.h>

struct csvout {
	char *buf;
	size_t len, cap;
	char delim;
	int quote;   /* 1: RFC 4180 quoting; 0: none, tabs and newlines flattened */
	int nfields; /* fields in the current row */
	int failed;
};

void csvout_init(struct csvout *c, char delim, int quote);
/* A field; NULL is an empty field. */
void csvout_field(struct csvout *c, const char *s);
void csvout_fieldn(struct csvout *c, const char *s, size_t n);
void csvout_fieldf(struct csvout *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* End the row with LF. */
void csvout_end_row(struct csvout *c);
void csvout_raw(struct csvout *c, const char *s, size_t n);
/* Forget the bytes (after they were written), keep the memory. */
void csvout_clear(struct csvout *c);
int csvout_failed(const struct csvout *c);
void csvout_release(struct csvout *c);

#endif
