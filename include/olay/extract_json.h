/* extract_json.h: a validating scanner for one JSON Lines record, so olay-extract can read a
 * document's fields where they lie in the line instead of building a jansson tree (the
 * biggest cost of reading normalized documents, whose maps are long integer arrays).
 *
 * The scanner is conservative: it accepts only what jansson (with JSON_REJECT_DUPLICATES)
 * accepts, and returns JSCAN_FALLBACK for anything it does not handle itself (a \u0000
 * escape, lone surrogates, very deep nesting, any error), in which case the caller reads
 * the line with jansson as before and gets jansson's own error message.
 *
 * Ownership: spans point into the caller's line, which must outlive them; struct jscan owns
 * only its field array (jscan_release). Pure functions otherwise; reentrant. */
#ifndef OLAY_EXTRACT_JSON_H
#define OLAY_EXTRACT_JSON_H

#include <stddef.h>

#include "olay/buf.h"

enum { JSCAN_OK = 0, JSCAN_FALLBACK = 1, JSCAN_NOMEM = -1 };

/* A value as it is written in the line: a string token includes its quotes. */
struct jspan {
	const char *p;
	size_t n;
};

struct jfield {
	struct jspan key, val; /* key without quotes (never has escapes: else FALLBACK) */
	/* a field of a listed element (jscan_object_elems) whose value is an array: its
	 * leading integers, read as they were scanned, are iv[i0 .. i0 + ni); all_ints says
	 * whether that is every element (else element ni is the first that is not one) */
	size_t i0, ni;
	int all_ints;
};

/* An element of the array listed by jscan_object_elems(). */
struct jelem {
	struct jspan v; /* the element as written */
	size_t f, nf;	/* an object's fields: ef[f .. f + nf); nf is 0 for any other value */
};

struct jscan {
	struct jfield *f; /* the top-level fields */
	size_t n, cap;
	/* jscan_object_elems(): the elements of one top-level array, and the fields of those
	 * that are objects, all in order */
	struct jelem *e;
	size_t ne, ecap;
	struct jfield *ef;
	size_t nef, efcap;
	long long *iv; /* the integers of the listed elements' arrays */
	size_t niv, ivcap;
	int has_elems; /* that array was there */
};

/* Scan s[0..n) as one JSON object and list its top-level fields in order. */
int jscan_object(struct jscan *js, const char *s, size_t n);

/* The same, and in the same pass also list the elements of the top-level array named
 * array_key (when there is one, has_elems) and the fields of the elements that are
 * objects, with the integers of their arrays (the integers a JSON number written without
 * fraction or exponent gives, as jspan_int): a document's sentences and their offset maps
 * are then read without a second scan. */
int jscan_object_elems(struct jscan *js, const char *s, size_t n, const char *array_key);
void jscan_release(struct jscan *js);

/* The value of a field, or NULL. */
const struct jspan *jscan_get(const struct jscan *js, const char *key);

/* Kinds of a value token. */
int jspan_is_string(const struct jspan *v);
int jspan_is_array(const struct jspan *v);
int jspan_is_object(const struct jspan *v);

/* A string's contents: *out points into the line when it has no escapes, else into tmp
 * (reset first). JSCAN_OK, JSCAN_FALLBACK (not a string), or JSCAN_NOMEM. */
int jspan_string(const struct jspan *v, struct buf *tmp, const char **out, size_t *len);

/* An integer written without fraction or exponent; 0 when it is not one. */
int jspan_int(const struct jspan *v, long long *out);

/* The elements of an array, in turn: start with *pos = NULL; returns 0 at the end. */
int jspan_next(const struct jspan *array, const char **pos, struct jspan *elem);

/* How many bytes at the start of s[0..n) need no escape in a JSON string (none is '"',
 * '\\' or a control character below 0x20). */
size_t json_plain_len(const char *s, size_t n);

#endif
