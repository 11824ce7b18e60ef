/* norm.h: normalize one document: boilerplate out, line wraps joined, paragraphs cleaned,
 * sentences split, each sentence with its match key and offset maps (docs/FORMAT.md,
 * "Document + sentences"). This is all of olay-normalize's work on a record; the stage
 * only reads, calls norm_document() and writes.
 *
 * Ownership: norm_document() borrows text and the options and returns new references in
 * *sentences, *removed and *counts. Thread-safety: reentrant; the boilerplate rules are
 * shared read-only. Errors: -1 with errno ENOMEM (outputs then NULL). */
#ifndef OLAY_NORM_H
#define OLAY_NORM_H

#include <stddef.h>
#include <jansson.h>

#include "olay/boilerplate.h"
#include "olay/text.h"

struct norm_opts {
	const struct boilerplate *bp; /* NULL: keep boilerplate */
	size_t max_sentence;          /* bytes; 0: no limit */
};

struct norm_counts {
	size_t reflowed;         /* line breaks inside a paragraph joined */
	size_t dehyphenated;     /* wrapped words whose hyphen was dropped */
	size_t c1_fixed;         /* C1 controls read as Windows-1252 */
	size_t controls_removed; /* invisible and control characters dropped */
	size_t removed_blocks;   /* boilerplate spans removed (hyphen/wrap joins not counted) */
	size_t split_long;       /* sentences cut at max_sentence */
	size_t sentences;
};

/* Normalize text[0..n) of language lang. *sentences and *removed are JSON arrays as in
 * docs/FORMAT.md, *counts the `norm` object; c (if not NULL) is added to. */
int norm_document(const struct norm_opts *opts, enum olay_lang lang, const char *text, size_t n,
		  json_t **sentences, json_t **removed, json_t **counts, struct norm_counts *c);

#endif
