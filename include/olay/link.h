/* link.h: from mentions to linked events.
 *
 * A link_store collects mentions (or linked events, whose mentions it takes back: link's
 * own output is re-linkable, so partial results of shards merge by linking them again),
 * resolves entities within each document (entity.h), then clusters mentions into events:
 * same source entity, target entity and code (or root), dates chained within the window.
 * Every step sorts first, so the events depend only on the set of mentions: not on input
 * order, not on how the input was split into shards.
 *
 * Memory is bounded: mentions go through three external sorts (link_sort.h) with a fixed
 * buffer budget, by document (to resolve actors), by event key (to chain events), by
 * date and event id (the output order); what does not fit is spilled to unlinked
 * temporary files under $TMPDIR. Memory holds the buffers, one document's mentions and
 * one event's mentions at a time: nothing per mention or per event stays in memory.
 *
 * Ownership: link_encode() and link_store_add() borrow the record. The line returned by
 * link_store_next() belongs to the store and stays valid until the next call.
 * Library code: errors come back as values (-1 and a message in the caller's buffer).
 * link_encode() is thread-safe; the store is not: one store per thread. */
#ifndef OLAY_LINK_H
#define OLAY_LINK_H

#include <jansson.h>
#include <stddef.h>

struct link_options {
	int window;    /* days: mentions whose dates chain within this gap are one event */
	int by_root;   /* merge on the two-digit root instead of the full code */
	int one_a_day; /* Phoenix: one event per (date, source, target, code), mirrors apart */
	size_t memory; /* bytes of sort buffers (0: LINK_DEFAULT_MEMORY) */
};

#define LINK_DEFAULT_MEMORY ((size_t)64 << 20)

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

/* A growable byte buffer of encoded mentions (link_encode's output). */
struct link_buf {
	char *p;
	size_t n, cap;
};
void link_buf_release(struct link_buf *b);

/* Check a mention, or every mention of a linked event, and append it encoded to out (for
 * link_store_put). Returns the number of mentions (>= 1), 0 and a reason in err when the
 * record is not a valid mention or event (nothing of it is appended), -1 when out of
 * memory. Thread-safe: worker threads may encode records in parallel. */
int link_encode(json_t *rec, struct link_buf *out, char *err, size_t errlen);

/* Add mentions encoded by link_encode(). Returns 0, -1 on error (memory, temporary file). */
int link_store_put(struct link_store *ls, const char *enc, size_t len);

/* link_encode() then link_store_put(): the number of mentions added, 0 (invalid, reason in
 * err), -1 on error. */
int link_store_add(struct link_store *ls, json_t *rec, char *err, size_t errlen);

/* Resolve entities and build the events. Returns 0, -1 on error (memory, temporary file). */
int link_store_run(struct link_store *ls);

/* After link_store_run(): the number of events, and the events one at a time in order of
 * date then event_id (undated last), each one line of compact JSON ending in a newline.
 * Returns 1 and the line, 0 after the last, -1 on error (memory, temporary file). */
size_t link_store_nevents(const struct link_store *ls);
int link_store_next(struct link_store *ls, const char **line, size_t *len);

const struct link_stats *link_store_stats(const struct link_store *ls);

/* 64-bit hash used for event ids (FNV-1a, then a mixing step). */
unsigned long long link_hash(const char *s, size_t n);

/* Days since 1970-01-01 of a valid `YYYY-MM-DD`; 0 and *days set, else -1. */
int link_parse_date(const char *s, long *days);
/* The `YYYY-MM-DD` of a day counted as link_parse_date() counts it. */
void link_format_date(long days, char out[11]);

#endif
