/* boilerplate.h: find what a news page adds around an article (navigation, "related /
 * latest / most read" link lists, "View on <site>" lines, section labels, credit lines,
 * captions repeated back to back) so normalize can drop it and say what it dropped.
 *
 * The patterns are data: rules/boilerplate/all.txt for every language, then <lang>.txt
 * (see the comments at the top of all.txt for the format). Two mechanisms are built in
 * because they are about layout, not words: a line or caption repeated verbatim back to
 * back ("repeat"), and a run of short headline-like lines most of which end in an
 * ellipsis ("related"), with the short section label above it.
 *
 * Ownership: a struct boilerplate owns its compiled patterns. Thread-safety: after
 * boilerplate_load() it is read-only and can be shared by threads; boilerplate_find()
 * allocates its own match data. Errors: boilerplate_load() returns -1 and writes
 * "FILE:LINE: what is wrong" into err; boilerplate_find() returns -1 with errno ENOMEM. */
#ifndef OLAY_BOILERPLATE_H
#define OLAY_BOILERPLATE_H

#include <stddef.h>

#include "olay/text.h"

struct bp_span {
	size_t start, end;  /* byte span in the text, trimmed of white space */
	const char *reason; /* "related", "view-on", "label", "repeat", ...; owned by the rules */
};

struct bp_spans {
	struct bp_span *v;
	size_t n, cap;
};

void bp_spans_init(struct bp_spans *s);
void bp_spans_release(struct bp_spans *s);
int bp_spans_add(struct bp_spans *s, size_t start, size_t end, const char *reason);

struct boilerplate;

/* Load DIR/all.txt and DIR/<lang>.txt for tr, ar, en (each optional; DIR must exist). */
int boilerplate_load(struct boilerplate **out, const char *dir, char *err, size_t errlen);
void boilerplate_free(struct boilerplate *bp);

/* Number of patterns loaded (for --help and tests). */
size_t boilerplate_count(const struct boilerplate *bp);

/* Append to out the boilerplate spans of text[0..n) in language lang, sorted by start and
 * not overlapping. A span that is a whole line covers the line without its line break. */
int boilerplate_find(const struct boilerplate *bp, enum olay_lang lang, const char *text,
		     size_t n, struct bp_spans *out);

#endif
