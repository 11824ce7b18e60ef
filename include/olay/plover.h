/* plover.h: the CAMEO -> PLOVER table (rules/cameo/plover.tsv) and PLOVER-style records.
 *
 * Ownership: the table owns its strings; plover_lookup() returns a borrowed entry;
 * plover_record() returns a new reference. Read-only after loading: safe to share. */
#ifndef OLAY_PLOVER_H
#define OLAY_PLOVER_H

#include <jansson.h>
#include <stddef.h>

struct plover_entry {
	char code[8];
	char *type, *mode, *context; /* mode, context: "" when PLOVER gives none */
};

struct plover_table {
	struct plover_entry *e;
	size_t n, cap;
};

/* 0, or -1 and "FILE:LINE: what is wrong" in err. */
int plover_table_load(struct plover_table *t, const char *path, char *err, size_t errlen);
void plover_table_release(struct plover_table *t);

/* The entry of a CAMEO code, else of its three-digit parent, else of its root's base code
 * ("19" -> "190"); NULL when PLOVER has no type for it (roots 01 and 02). */
const struct plover_entry *plover_lookup(const struct plover_table *t, const char *code);

/* The PLOVER-style record of a linked event (docs/FORMAT.md, "plover"). */
json_t *plover_record(const struct plover_entry *p, json_t *ev);

#endif
