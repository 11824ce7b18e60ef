/* link.h: from mentions to linked events.
 *
 * A link_store collects mentions (or linked events, whose mentions it takes back: link's
 * own output is re-linkable, so partial results of shards merge by linking them again),
 * resolves entities within each document (entity.h), then clusters mentions into events:
 * same source entity, target entity and code (or root), dates chained within the window.
 * Every step sorts first, so the events depend only on the set of mentions: not on input
 * order, not on how the input was split into shards.
 *
 * Ownership: link_store_add() borrows the record; the store keeps 32 bytes of it in memory
 * and the rest in an unlinked temporary file (tmpfile(3), under $TMPDIR), so memory holds
 * the unique strings (event keys, documents, ids) and 32 bytes per mention.
 * link_store_event() returns a string the caller must free().
 * Library code: errors come back as values (-1 and a message in the caller's buffer).
 * Not thread-safe: one store per thread. */
#ifndef OLAY_LINK_H
#define OLAY_LINK_H

#include <jansson.h>
#include <stddef.h>

struct link_options {
	int window;    /* days: mentions whose dates chain within this gap are one event */
	int by_root;   /* merge on the two-digit root instead of the full code */
	int one_a_day; /* Phoenix: one event per (date, source, target, code), mirrors apart */
};

struct link_stats {
	unsigned long long mentions; /* accepted mentions */
	unsigned long long events;   /* events after link_store_run() */
	unsigned long long resolved; /* actors resolved to a name earlier in their document */
	unsigned long long ambiguous; /* short mentions that fit several names: unresolved */
	unsigned long long unknown;  /* actors keyed by their name (x:...) */
	unsigned long long undated;  /* mentions without a date, linked within their document */
};

struct link_store;

/* NULL when out of memory. */
struct link_store *link_store_new(const struct link_options *opt);
void link_store_free(struct link_store *ls);

/* Add a mention, or every mention of a linked event. Returns the number of mentions added
 * (>= 1), 0 and a reason in err when the record is not a valid mention or event (nothing of
 * it is kept), -1 when out of memory. */
int link_store_add(struct link_store *ls, json_t *rec, char *err, size_t errlen);

/* Resolve entities and build the events. Returns 0, -1 when out of memory. */
int link_store_run(struct link_store *ls);

/* The events, in order of date then event_id. link_store_event() returns event i as one
 * line of compact JSON (no newline), malloc'd, its length in *len; NULL on error (out of
 * memory, or the spill file could not be read back). */
size_t link_store_nevents(const struct link_store *ls);
char *link_store_event(struct link_store *ls, size_t i, size_t *len);

const struct link_stats *link_store_stats(const struct link_store *ls);

/* 64-bit hash used for event ids (FNV-1a, then a mixing step). */
unsigned long long link_hash(const char *s, size_t n);

/* Days since 1970-01-01 of a valid `YYYY-MM-DD`; 0 and *days set, else -1. */
int link_parse_date(const char *s, long *days);

#endif
