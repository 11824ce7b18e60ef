/* csvin.h: read RFC 4180 CSV records (libcsv) with the line each record starts on.
 * A struct csvin owns the fields of the record last returned until the next call. */
#ifndef OLAY_CSVIN_H
#define OLAY_CSVIN_H

#include <stddef.h>
#include <stdio.h>

struct csvin;

struct csvin *csvin_open(FILE *f, unsigned char delimiter);
void csvin_free(struct csvin *c);

/* Next record: 1 and fields, lens, n (and line, the line it starts on), 0 at the end,
 * -1 on a read error or a malformed file (then csvin_error() says why). */
int csvin_next(struct csvin *c, char ***fields, size_t **lens, size_t *n, unsigned long *line);
const char *csvin_error(const struct csvin *c);

#endif
