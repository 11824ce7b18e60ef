/* sentences.h: split a cleaned paragraph into sentences, for Turkish, Arabic and English.
 *
 * The input is one paragraph as text_clean() writes it: single spaces, no line breaks,
 * quotes unified to '"' and apostrophes to '\''. A sentence ends at . ! ? ؟ … (and runs of
 * them) followed by white space or the end, with any closing quotes and brackets kept on
 * it; not after an abbreviation (Dr. Prof. St. vb. Mr. U.S. Gen.), an initial, a Turkish
 * ordinal (15. yüzyıl), before a lower-case word, or inside a quotation that closes in the
 * paragraph. A quotation that closes and continues with its attribution ("..." dedi.
 * "...!" he said. "...". قال) stays one sentence with it, so the speaker and what was said
 * are seen together. Arabic commas never end a sentence. A sentence longer than max_bytes
 * is cut at the best point within the limit (a sentence end inside a quotation, then a
 * comma, then a space, else between characters) and the cut is reported.
 *
 * Ownership: the caller owns the struct sentence_list (sentence_list_init/_release); the
 * split reasons are static strings. Thread-safety: reentrant, no shared state. Errors: -1
 * with errno ENOMEM. */
#ifndef OLAY_SENTENCES_H
#define OLAY_SENTENCES_H

#include <stddef.h>

#include "olay/text.h"

struct sentence_span {
	size_t start, end;  /* byte span in the paragraph, no white space at either end */
	const char *split;  /* NULL, or why this piece ends where it does (a --max-sentence cut) */
};

struct sentence_list {
	struct sentence_span *v;
	size_t n, cap;
};

void sentence_list_init(struct sentence_list *l);
void sentence_list_release(struct sentence_list *l);

#define SENTENCE_MAX_DEFAULT 8192

struct sentence_opts {
	enum olay_lang lang;
	size_t max_bytes;  /* 0: no limit */
	int whole;         /* 1: the paragraph is one unit (a headline); only max_bytes cuts it */
};

/* Append the sentences of p[0..n) to out (not cleared). */
int sentences_split(const char *p, size_t n, const struct sentence_opts *opts,
		    struct sentence_list *out);

#endif
