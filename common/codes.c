/* codes.c: the CAMEO event code table. */
#include "olay/codes.h"
#include "olay/rules.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int row_cmp(const void *a, const void *b)
{
	return strcmp(((const struct code_row *)a)->code, ((const struct code_row *)b)->code);
}

static int is_code(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 4)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int codes_load(struct codes *c, const char *path, struct diags *d)
{
	memset(c, 0, sizeof(*c));
	FILE *f = fopen(path, "r");
	if (!f) {
		diags_add(d, path, 0, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	char *line = NULL;
	size_t cap = 0, alloc = 0;
	ssize_t len;
	int lineno = 0, header = 0, rc = 0;
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		if (!header && strncmp(line, "code\t", 5) == 0) {
			header = 1;
			continue;
		}
		char *fields[5];
		int nf = 0;
		char *p = line;
		while (nf < 5) {
			fields[nf++] = p;
			char *tab = strchr(p, '\t');
			if (!tab)
				break;
			*tab = '\0';
			p = tab + 1;
		}
		if (nf < 5) {
			diags_add(d, path, lineno, 1, "expected 5 tab-separated fields, got %d", nf);
			continue;
		}
		char *end;
		errno = 0;
		long quad = strtol(fields[2], &end, 10);
		int bad_quad = *end || quad < 1 || quad > 4;
		double g = strtod(fields[3], &end);
		int bad_g = *end || g < -10 || g > 10;
		if (!is_code(fields[0]) || !is_code(fields[1]) || strlen(fields[1]) != 2 ||
		    strncmp(fields[0], fields[1], 2) != 0) {
			diags_add(d, path, lineno, 1, "bad code or root '%s' '%s'", fields[0], fields[1]);
			continue;
		}
		if (bad_quad || bad_g) {
			diags_add(d, path, lineno, 1, "bad quad '%s' or goldstein '%s'", fields[2],
				  fields[3]);
			continue;
		}
		if (c->n == alloc) {
			alloc = alloc ? alloc * 2 : 256;
			struct code_row *r = realloc(c->rows, alloc * sizeof(*r));
			if (!r) {
				rc = -1;
				break;
			}
			c->rows = r;
		}
		struct code_row *r = &c->rows[c->n];
		snprintf(r->code, sizeof r->code, "%s", fields[0]);
		snprintf(r->root, sizeof r->root, "%s", fields[1]);
		r->quad = (int)quad;
		r->goldstein = g;
		r->name = strdup(fields[4]);
		if (!r->name) {
			rc = -1;
			break;
		}
		c->n++;
	}
	free(line);
	fclose(f);
	if (rc) {
		diags_add(d, path, 0, 0, "out of memory");
		return -1;
	}
	if (c->n > 1)
		qsort(c->rows, c->n, sizeof(*c->rows), row_cmp);
	for (size_t i = 1; i < c->n; i++)
		if (strcmp(c->rows[i].code, c->rows[i - 1].code) == 0)
			diags_add(d, path, 0, 0, "duplicate code '%s'", c->rows[i].code);
	return 0;
}

void codes_release(struct codes *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->rows[i].name);
	free(c->rows);
	c->rows = NULL;
	c->n = 0;
}

const struct code_row *codes_find(const struct codes *c, const char *code)
{
	struct code_row key;
	snprintf(key.code, sizeof key.code, "%s", code);
	return bsearch(&key, c->rows, c->n, sizeof(*c->rows), row_cmp);
}

void codes_default_intent(const char *code, char out[8])
{
	static const struct { const char *prefix, *intent; } table[] = {
		/* most specific first: material cooperation has its own intents */
		{"061", "0311"}, {"062", "0312"}, {"063", "0313"}, {"064", "0314"},
		{"04", "036"},	 {"05", "032"},	  {"06", "031"},   {"07", "033"},
		{"08", "035"},	 {"09", "030"},	  {"15", "138"},   {"16", "131"},
		{"17", "130"},	 {"18", "138"},	  {"19", "138"},   {"20", "138"},
	};
	out[0] = '\0';
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (strncmp(code, table[i].prefix, strlen(table[i].prefix)) == 0) {
			snprintf(out, 8, "%s", table[i].intent);
			return;
		}
}
