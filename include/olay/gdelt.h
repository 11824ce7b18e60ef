/* gdelt.h: GDELT 2.0 Events rows (61 tab-separated columns) from linked events, and the
 * country table (rules/places/countries.tsv) that turns ISO 3166 alpha-3 codes into the
 * FIPS 10-4 codes GDELT writes in its Geo fields.
 *
 * Ownership: the table owns its strings and is read-only after loading (safe to share).
 * gdelt_row() borrows the event and appends one row to the caller's csvout. */
#ifndef OLAY_GDELT_H
#define OLAY_GDELT_H

#include <jansson.h>
#include <stddef.h>

#include "olay/csvout.h"

#define GDELT_COLUMNS 61

struct gdelt_country {
	char iso3[4], fips[3];
	char *name;
};

struct gdelt_countries {
	struct gdelt_country *c;
	size_t n, cap;
};

/* 0, or -1 and "FILE:LINE: what is wrong" in err. */
int gdelt_countries_load(struct gdelt_countries *t, const char *path, char *err, size_t errlen);
void gdelt_countries_release(struct gdelt_countries *t);
/* NULL when the code is not in the table. */
const struct gdelt_country *gdelt_country(const struct gdelt_countries *t, const char *iso3);

/* GLOBALEVENTID: the event id's 64 bits cut to 53, so that it is exact in a double (R, JS,
 * spreadsheets) and stable across runs. event_id must be 16 hex digits. */
unsigned long long gdelt_event_number(const char *event_id);

/* Append the event's row (a checked event: export_check_event). */
void gdelt_row(const struct gdelt_countries *t, json_t *ev, struct csvout *out);

#endif
