/* export.h: linked events out as olay's CSV, GDELT 2.0 Events, a Mentions table, JSON
 * Lines, one JSON array, PLOVER JSON, or aggregate statistics (docs/FORMAT.md, "Export
 * formats").
 *
 * Ownership: exporter_new() loads the tables its format needs from the rules directory and
 * owns them. exporter_event() borrows the event and appends rows to the caller's csvout.
 * Errors are values: a message in the caller's buffer. One exporter per thread. */
#ifndef OLAY_EXPORT_H
#define OLAY_EXPORT_H

#include <jansson.h>
#include <stddef.h>

#include "olay/csvout.h"

enum export_format {
	EXPORT_CSV,
	EXPORT_GDELT,
	EXPORT_MENTIONS,
	EXPORT_JSONL,
	EXPORT_JSON,
	EXPORT_PLOVER,
	EXPORT_STATS
};

struct export_options {
	enum export_format format;
	const char *columns; /* csv: comma-separated column names, NULL for all */
	char delimiter;      /* csv, mentions, stats; 0 for ',' */
	const char *by;      /* stats: "day|week|month" and any of "dyad,country,root,quad" */
	const char *rules_dir;
};

struct exporter;

/* Parse a format name; 0 or -1. */
int export_format_parse(const char *name, enum export_format *f);

/* NULL and a message in err when an option is wrong or a table cannot be read. */
struct exporter *exporter_new(const struct export_options *opt, char *err, size_t errlen);
void exporter_free(struct exporter *x);

/* The header (csv, mentions, stats) or the opening bracket (json). */
void exporter_begin(struct exporter *x, struct csvout *out);

/* One event: 1 exported (rows appended), 0 dropped for a documented reason (*drop names
 * it: "no PLOVER type" for a code PLOVER does not cover, "undated" for an event without a
 * date in gdelt and stats), -1 rejected with the reason in err (nothing appended). */
int exporter_event(struct exporter *x, json_t *ev, struct csvout *out, const char **drop,
		   char *err, size_t errlen);

/* Rows that come at the end (stats) or the closing bracket (json). */
void exporter_end(struct exporter *x, struct csvout *out);

/* Rows written so far (mentions: one per mention; stats: one per group). */
unsigned long long exporter_rows(const struct exporter *x);

/* Check a linked event against the contract; 0, or -1 and the reason. */
int export_check_event(json_t *ev, char *err, size_t errlen);

/* The mention an event's single-valued evidence comes from: the first listed whose date is
 * the event's date (the earliest), else the first. Borrowed; NULL if there is none. */
json_t *export_first_mention(json_t *ev);

/* Read a tab-separated table: '#' lines and blank lines skipped, the first other line is
 * the header and must start with the expected column names. row() gets each line's
 * columns (at least ncols, NUL-terminated) and "FILE:LINE"; a non-zero return stops with
 * its message. Returns 0, or -1 and the message in err. */
int export_tsv_read(const char *path, const char *const *header, int ncols,
		    int (*row)(void *ctx, char **cols, const char *where, char *err, size_t errlen),
		    void *ctx, char *err, size_t errlen);

#endif
