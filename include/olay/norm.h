/* norm.h: normalize one document: boilerplate out, line wraps joined, paragraphs cleaned,
 * sentences split, each sentence with its match key and offset maps (docs/FORMAT.md,
 * "Document + sentences"). This is all of olay-normalize's work on a record; the stage
 * only reads, calls norm_document() and writes.
 *
 * Ownership: norm_document() borrows text and the options and appends to the caller's
 * buffer. Thread-safety: reentrant; the boilerplate rules are shared read-only. Errors: -1
 * with errno ENOMEM (the buffer is then as it was). */
#ifndef OLAY_NORM_H
#define OLAY_NORM_H

#include <stddef.h>

#include <jansson.h>

#include "olay/buf.h"

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

/* Normalize text[0..n) of language lang: append to out the members normalize adds to the
 * record, as compact JSON without braces: "sentences":[...],"removed":[...],"norm":{...}
 * (docs/FORMAT.md). The counts are added to c when it is not NULL. Writing JSON here,
 * not through jansson, is what keeps normalize fast: the sentences, keys and maps are
 * most of its output. */
int norm_document(const struct norm_opts *opts, enum olay_lang lang, const char *text, size_t n,
		  struct buf *out, struct norm_counts *c);

/* The fields normalize reads from a record line, found without building a JSON tree. */
struct norm_record {
	int text_state;      /* 0 missing, 1 a string, 2 not a string */
	const char *text;    /* the unescaped text (in the scratch buffer or the line) */
	size_t text_len;
	int lang_state;      /* 0 missing or null, 1 a string, 2 another type */
	char lang[16];       /* the code, cut at 15 bytes */
};

/* Read a record line on the fast path: 1 when line[0..len) is a flat JSON object (values
 * strings, integers, true, false, null; keys unique; none of the members normalize adds)
 * written exactly as jansson writes it compactly, so the line itself can be written back
 * with the new members appended; r then holds its fields (the text unescaped into
 * scratch when it has escapes). 0 when the line needs the full JSON parser (anything else,
 * including invalid JSON, which the parser then reports). -1 with errno ENOMEM. */
int norm_scan_record(const char *line, size_t len, struct buf *scratch, struct norm_record *r);

/* One record line through normalize: the output line or the reason it is rejected. */
struct norm_line {
	struct buf out;    /* the output record and its newline, when not rejected */
	const char *why;   /* NULL, or why the record is rejected */
	char why_buf[300]; /* (why may point here) */
	json_t *rec;       /* the parsed record when it parsed and is rejected, for --rejects */
	struct norm_counts c;
};

/* Normalize the record line[0..len) (without its newline) into r: r->out holds the record
 * with the members normalize adds, or r->why says why it is rejected (not JSON, not an
 * object, no text, ...; the same words stage_next_record() uses). scratch is a caller's
 * buffer reused between calls. Returns 0, or -1 with errno ENOMEM. Thread-safe: each
 * thread passes its own r and scratch; call json_object_seed(0) before starting threads. */
int norm_line(const struct norm_opts *opts, const char *line, size_t len, struct buf *scratch,
	      struct norm_line *r);
void norm_line_release(struct norm_line *r);

#endif
