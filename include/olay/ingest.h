/* ingest.h: build olay document records from raw article bytes and known fields.
 *
 * struct ingester owns its encoder, date finder, publisher patterns and the sets of doc_ids
 * and texts seen (for unique ids and exact-duplicate detection). Not thread-safe. */
#ifndef OLAY_INGEST_H
#define OLAY_INGEST_H

#include <stdio.h>
#include <jansson.h>

#include "olay/dates.h"
#include "olay/encoding.h"
#include "olay/publishers.h"
#include "olay/strmap.h"

/* The record fields ingest understands, and the names they have in CSV headers and JSON
 * Lines inputs (defaults: id, date, title, url, text, lang, publisher). */
enum ingest_field { F_ID, F_DATE, F_TITLE, F_URL, F_TEXT, F_LANG, F_PUBLISHER, NFIELDS };
extern const char *const ingest_field_keys[NFIELDS];

struct ingest_options {
	const char *field_name[NFIELDS]; /* input name of each field */
	const char *date;     /* --date: the date when nothing else gives one */
	const char *lang;     /* --lang: force the language */
	const char *encoding; /* --encoding: force a code page */
	int strict_utf8;
	size_t max_bytes;
};

struct ingester {
	struct ingest_options opt;
	struct encoder enc;
	struct date_finder *dates;
	struct publishers *pubs;
	struct strmap ids;   /* doc_ids written */
	struct strmap texts; /* fingerprint of whitespace-normalised text -> doc_id */
	unsigned long long repaired_bytes, bad_fields;
};

/* 0, or -1 with messages on err (bad publisher rules, unknown --encoding). */
int ingester_init(struct ingester *in, const struct ingest_options *opt, const char *rules_dir,
		  FILE *err);
void ingester_release(struct ingester *in);

enum ingest_status { INGEST_OK, INGEST_REJECT, INGEST_DUPLICATE, INGEST_NOMEM };

/* Make a document from raw[0..n) (the article text as read) and fields, an object with the
 * record's other fields under their output names (doc_id etc. already mapped; borrowed;
 * unknown fields are copied through). fallback_id names the document when fields has no id.
 * On INGEST_OK *doc is a new record. On INGEST_REJECT or INGEST_DUPLICATE, why holds the
 * reason. warn, when not NULL, receives non-fatal notes (a bad date field) to log. */
enum ingest_status ingest_document(struct ingester *in, const char *raw, size_t n, json_t *fields,
				   const char *fallback_id, const char *source_file, long source_line,
				   json_t **doc, char *why, size_t whylen, char *warn, size_t warnlen);

#endif
