/* utf8.h: UTF-8 validation and decoding. Pure functions over caller-owned buffers. */
#ifndef OLAY_UTF8_H
#define OLAY_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* 1 if s[0..n) is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF), else 0 and
 * *bad (if not NULL) is the byte offset of the first invalid sequence. */
int utf8_valid(const char *s, size_t n, size_t *bad);

/* The length of the longest prefix of s[0..n) made of whole valid characters none of
 * which is '"', '\\' or a control character below 0x20: the text of a JSON string up to
 * its end, its next escape, or the first byte that makes it invalid. */
size_t utf8_valid_plain(const char *s, size_t n);

/* Decode the character at s[i] (i < n). Returns its length in bytes (1-4) and stores the
 * code point in *cp, or returns 0 for an invalid sequence (then *cp is the byte). */
int utf8_decode(const char *s, size_t n, size_t i, uint32_t *cp);

/* Encode cp into out (at least 4 bytes); returns the length. */
int utf8_encode(uint32_t cp, char *out);

#endif
