/* codes.h: the CAMEO event code table (rules/cameo/codes.tsv): code -> root, QuadClass,
 * Goldstein, name, and the intent code a future or modal verb turns a code into.
 *
 * Ownership: a struct codes owns its rows; lookups return pointers into it, valid until
 * codes_release(). Read-only after codes_load(), so it can be shared by threads. */
#ifndef OLAY_CODES_H
#define OLAY_CODES_H

#include <stddef.h>

struct code_row {
	char code[8];
	char root[4];
	int quad;
	double goldstein;
	char *name;
};

struct codes {
	struct code_row *rows; /* sorted by code */
	size_t n;
};

struct diags;

/* Load path into c. Bad lines are reported to d as "file:line:col: ..."; returns 0, or -1
 * when the file cannot be read or out of memory (also reported to d). */
int codes_load(struct codes *c, const char *path, struct diags *d);
void codes_release(struct codes *c);

/* The row of code, or NULL. */
const struct code_row *codes_find(const struct codes *c, const char *code);

/* The intent (03x/13x) code for an act code, by the default table of docs/RULES.md, written
 * to out (at least 8 bytes); "" when the code stays unchanged. */
void codes_default_intent(const char *code, char out[8]);

#endif
