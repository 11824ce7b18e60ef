/* export_tsv.c: the small TSV tables export reads (countries, CAMEO -> PLOVER). */
#include "olay/export.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLS 16

int export_tsv_read(const char *path, const char *const *header, int ncols,
		    int (*row)(void *ctx, char **cols, const char *where, char *err, size_t errlen),
		    void *ctx, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	char *line = NULL, where[1024];
	size_t cap = 0;
	ssize_t n;
	unsigned long lineno = 0;
	int seen_header = 0, rc = 0;
	while ((n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		snprintf(where, sizeof where, "%s:%lu", path, lineno);
		char *cols[MAX_COLS];
		int nc = 0;
		for (char *p = line; nc < MAX_COLS;) {
			cols[nc++] = p;
			char *t = strchr(p, '\t');
			if (!t)
				break;
			*t = '\0';
			p = t + 1;
		}
		if (nc < ncols) {
			snprintf(err, errlen, "%s: %d columns, expected %d", where, nc, ncols);
			rc = -1;
			break;
		}
		if (!seen_header) {
			seen_header = 1;
			for (int i = 0; i < ncols; i++)
				if (strcmp(cols[i], header[i]) != 0) {
					snprintf(err, errlen, "%s: column %d is '%s', expected '%s'", where,
						 i + 1, cols[i], header[i]);
					rc = -1;
					break;
				}
			if (rc)
				break;
			continue;
		}
		if (row(ctx, cols, where, err, errlen)) {
			rc = -1;
			break;
		}
	}
	if (!rc && ferror(f)) {
		snprintf(err, errlen, "error reading '%s': %s", path, strerror(errno));
		rc = -1;
	}
	if (!rc && !seen_header) {
		snprintf(err, errlen, "'%s' has no header line", path);
		rc = -1;
	}
	free(line);
	fclose(f);
	return rc;
}
