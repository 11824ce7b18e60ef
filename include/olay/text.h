/* text.h: the cleaned text of a sentence, its match key, the ASCII-folded Turkish key,
 * and the offset maps that lead every byte of them back to the original document.
 *
 * The match key is a pure function of (text, language): a rule literal and the sentence
 * that should match it give the same key. docs/FORMAT.md ("Match key", "Offset maps")
 * is the contract; this is its one implementation. Extract calls text_key() on rule
 * literals and dictionary names, normalize on every sentence.
 *
 * Ownership: the caller owns every struct offmap and every output string. Output strings
 * are malloc()ed, NUL-terminated, and freed by the caller with free(). An output map is
 * cleared and then filled; map arguments may be NULL when no map is wanted.
 * Thread-safety: all functions are reentrant; the only shared state is a read-only table
 * built once under pthread_once. Errors: functions returning int return 0, or -1 with
 * errno ENOMEM (the outputs are then untouched or freed). Invalid UTF-8 never fails: each
 * invalid byte becomes U+FFFD. */
#ifndef OLAY_TEXT_H
#define OLAY_TEXT_H

#include <stddef.h>

/* Offset map: n anchors (k_i, o_i) stored flat as anchors[2i] = k_i, anchors[2i+1] = o_i,
 * k_i strictly increasing. Output offset k maps to o_i + (k - k_i) for the last k_i <= k. */
struct offmap {
	size_t *anchors;
	size_t n, cap; /* anchors (pairs) used and allocated */
};
#define OFFMAP_INIT {NULL, 0, 0}

void offmap_init(struct offmap *m);
void offmap_release(struct offmap *m);
void offmap_clear(struct offmap *m);
/* Append an anchor; k must be >= the last k (an equal k replaces the last anchor). */
int offmap_add(struct offmap *m, size_t k, size_t o);
/* The offset that k maps to; k itself when the map is empty. */
size_t offmap_lookup(const struct offmap *m, size_t k);
/* The map of the slice [a, b) of what m maps: out takes k in [0, b - a] to
 * offmap_lookup(m, a + k). out is cleared first. */
int offmap_slice(const struct offmap *m, size_t a, size_t b, struct offmap *out);

enum olay_lang { LANG_UND, LANG_TR, LANG_AR, LANG_EN };
/* "tr", "ar", "en" (case-insensitive, a region suffix like "tr-TR" allowed); else LANG_UND. */
enum olay_lang lang_from_code(const char *code);
/* "tr", "ar", "en", "und". */
const char *lang_code(enum olay_lang lang);

/* What cleaning changed, added to by text_clean() (never reset by it). */
struct text_stats {
	size_t c1_fixed;         /* C1 controls read as the Windows-1252 characters they were */
	size_t controls_removed; /* control, format, zero-width, bidi, soft hyphen, tatweel */
};

/* The cleaned text of s[0..n): NFC; C1 controls (U+0080-U+009F) replaced by their
 * Windows-1252 characters; control, zero-width, bidi and format characters, soft hyphens
 * and tatweel removed; quotes to '"', apostrophes to '\'', dashes to '-'; white space runs
 * (line breaks included) to one space; no white space at either end.
 * Offsets: the map takes an output offset to base + an offset in s. */
int text_clean(const char *s, size_t n, size_t base, char **out, size_t *outlen,
	       struct offmap *map, struct text_stats *stats);

/* The match key of s[0..n) in language lang: the cleaned text, then digits to ASCII,
 * Arabic diacritics removed and letters unified, lower case (Turkish: I -> ı, İ -> i).
 * text_key(lang, text_key(lang, s)) == text_key(lang, s). The map takes a key offset to
 * base + an offset in s. */
int text_key(enum olay_lang lang, const char *s, size_t n, size_t base, char **key,
	     size_t *keylen, struct offmap *map);

/* As text_key() and text_clean(), but the offsets of s are themselves mapped by src (an
 * offset i in s stands for offmap_lookup(src, i)); src NULL means identity. Normalize uses
 * these on reflowed text whose map leads back to the original document. */
int text_key_mapped(enum olay_lang lang, const char *s, size_t n, const struct offmap *src,
		    char **key, size_t *keylen, struct offmap *map);
int text_clean_mapped(const char *s, size_t n, const struct offmap *src, char **out,
		      size_t *outlen, struct offmap *map, struct text_stats *stats);

/* The ASCII fold of a Turkish key: ç->c, ğ->g, ı->i, ö->o, ş->s, ü->u, â->a, î->i, û->u
 * (and their capitals to the lower-case ASCII letter). Offsets of key are mapped by
 * keymap (NULL: identity), so passing a key's map gives a fold map into the original. */
int text_fold_tr(const char *key, size_t n, const struct offmap *keymap, char **fold,
		 size_t *foldlen, struct offmap *map);

/* 1 if the code point is white space for cleaning (ASCII and Unicode spaces, line and
 * paragraph separators). */
int text_is_space(unsigned int cp);

/* Narrow [*start, *end) of s past white space and invisible characters (zero-width, bidi
 * marks, BOM, soft hyphen) at either end. */
void text_trim(const char *s, size_t *start, size_t *end);

#endif
