/* utf8.c: strict UTF-8 validation and decoding (RFC 3629). */
#include "olay/utf8.h"

#include <string.h>

int utf8_decode(const char *str, size_t n, size_t i, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str + i;
	size_t left = n - i;
	unsigned char c = s[0];
	*cp = c;
	if (c < 0x80)
		return 1;
	int len;
	uint32_t v, min;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2; v = c & 0x1F; min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3; v = c & 0x0F; min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4; v = c & 0x07; min = 0x10000;
	} else {
		return 0;
	}
	if (left < (size_t)len)
		return 0;
	for (int k = 1; k < len; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[k] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return len;
}

/* The length (1-4) of the valid sequence at s (left > 0 bytes), or 0: the same test as
 * utf8_decode's (RFC 3629, Table 3-7 of the Unicode standard), without the code point. */
static inline int seq_len(const unsigned char *s, size_t left)
{
	unsigned c = s[0];
	if (c < 0x80)
		return 1;
	if (c < 0xC2)
		return 0; /* a continuation byte, or an overlong two-byte lead */
	if (c < 0xE0)
		return left >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c < 0xF0) {
		/* E0: no overlongs (A0-BF); ED: no surrogates (80-9F) */
		unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
		return left >= 3 && s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 ? 3 : 0;
	}
	if (c < 0xF5) {
		/* F0: no overlongs (90-BF); F4: nothing above U+10FFFF (80-8F) */
		unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
		return left >= 4 && s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 &&
		       (s[3] & 0xC0) == 0x80 ? 4 : 0;
	}
	return 0;
}

/* Blocks of text that are ASCII and two-byte sequences only (Turkish, Arabic, most Latin
 * scripts: what olay reads), checked whole. Each block test takes a block s that starts a
 * character and returns how many of its bytes are whole valid characters: all of them, or
 * all but the last when the last byte leads a two-byte sequence; 0 when the block has
 * anything else (a longer sequence, or an error), which the caller then reads one
 * sequence at a time. A two-byte sequence is valid exactly when its lead is C2-DF and a
 * continuation (80-BF) follows: the block is valid when its continuations are exactly
 * the bytes after its leads. */

/* Eight bytes in a word, the first in the lowest byte whatever the machine's order. */
static inline uint64_t load8(const unsigned char *s)
{
	uint64_t w;
	memcpy(&w, s, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

/* Eight bytes, as words (SWAR): bit 7 of each byte says what the byte is. */
static inline int block8(const unsigned char *s)
{
	const uint64_t highs = 0x8080808080808080ULL, low7 = 0x7F7F7F7F7F7F7F7FULL;
	uint64_t w = load8(s), hi = w & highs;
	if (!hi)
		return 8;
	/* bit 6 and bit 5 of each byte moved to its bit 7 */
	uint64_t cont = hi & ~(w << 1);			 /* 10xxxxxx */
	uint64_t lead = hi & (w << 1) & ~(w << 2);	 /* 110xxxxx */
	lead &= (w & 0x1E1E1E1E1E1E1E1EULL) + low7;	 /* not C0 or C1: bits 4-1 not all 0 */
	if ((cont | lead) != hi || cont != lead << 8)
		return 0;
	return lead >> 56 ? 7 : 8;
}

#if defined(__SSE2__) && !defined(OLAY_NO_SIMD)
#include <emmintrin.h>

/* Sixteen bytes at once (SSE2), the same test: bytes are compared as signed numbers with
 * their top bit flipped, so that 80-BF is 00-3F, C2-DF is 42-5F and ASCII is negative. */
static inline int block16(const unsigned char *s)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)s);
	unsigned hi = (unsigned)_mm_movemask_epi8(x);
	if (!hi)
		return 16;
	__m128i t = _mm_xor_si128(x, _mm_set1_epi8((char)0x80));
	unsigned cont = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(t, _mm_set1_epi8(0x40))) & hi;
	unsigned lead = (unsigned)_mm_movemask_epi8(_mm_and_si128(
		_mm_cmpgt_epi8(t, _mm_set1_epi8(0x41)), _mm_cmplt_epi8(t, _mm_set1_epi8(0x60))));
	if ((cont | lead) != hi || cont != ((lead << 1) & 0xFFFF))
		return 0;
	return lead & 0x8000 ? 15 : 16;
}

/* For utf8_valid_plain: block16's test over the bytes before the first '"', '\\' or
 * control character of the block, if any: then *stop is set and the count is of the bytes
 * before it, which must all be whole characters. 0 without *stop: read one at a time. */
static inline int plain16(const unsigned char *s, int *stop)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)s);
	__m128i sp = _mm_or_si128(
		_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')), _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))),
		_mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1F)), x)); /* x <= 0x1F */
	unsigned spec = (unsigned)_mm_movemask_epi8(sp), hi = (unsigned)_mm_movemask_epi8(x);
	unsigned in = 0xFFFF;
	if (spec) {
		in = (1u << __builtin_ctz(spec)) - 1; /* the bytes before the special one */
		hi &= in;
	}
	int n = spec ? __builtin_ctz(spec) : 16;
	if (hi) {
		__m128i t = _mm_xor_si128(x, _mm_set1_epi8((char)0x80));
		unsigned cont = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(t, _mm_set1_epi8(0x40))) & hi;
		unsigned lead = (unsigned)_mm_movemask_epi8(_mm_and_si128(
			_mm_cmpgt_epi8(t, _mm_set1_epi8(0x41)), _mm_cmplt_epi8(t, _mm_set1_epi8(0x60)))) & in;
		if ((cont | lead) != hi || cont != ((lead << 1) & in))
			return 0;
		if (lead >> (n - 1) & 1) /* the last byte leads: its sequence goes on */
			return spec ? 0 : 15;
	}
	*stop = spec != 0;
	return n;
}
#endif

int utf8_valid(const char *str, size_t n, size_t *bad)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		int k;
#if defined(__SSE2__) && !defined(OLAY_NO_SIMD)
		while (n - i >= 16 && (k = block16(s + i)) > 0)
			i += (size_t)k;
#endif
		while (n - i >= 8 && (k = block8(s + i)) > 0)
			i += (size_t)k;
		/* what the blocks do not take: one sequence at a time, to the end of a block */
		size_t stop = n - i > 16 ? i + 16 : n;
		while (i < stop) {
			int len = seq_len(s + i, n - i);
			if (len == 0) {
				if (bad)
					*bad = i;
				return 0;
			}
			i += (size_t)len;
		}
	}
	return 1;
}

size_t utf8_valid_plain(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	size_t i = 0;
	while (i < n) {
		int k;
#if defined(__SSE2__) && !defined(OLAY_NO_SIMD)
		int stop = 0;
		while (n - i >= 16 && (k = plain16(s + i, &stop)) > 0 && !stop)
			i += (size_t)k;
		if (stop)
			return i + (size_t)k;
#endif
		/* words with no '"', '\\' or control character (the SWAR test is exact for
		 * "some byte is") that block8 takes */
		for (; n - i >= 8; i += (size_t)k) {
			uint64_t w = load8(s + i), q = w ^ (ones * '"'), b = w ^ (ones * '\\');
			if ((((q - ones) & ~q) | ((b - ones) & ~b) | ((w - ones * 0x20) & ~w)) & highs ||
			    (k = block8(s + i)) == 0)
				break;
		}
		/* one character at a time, to the end of a block or of the run */
		size_t end = n - i > 16 ? i + 16 : n;
		while (i < end) {
			unsigned c = s[i];
			if (c < 0x80) {
				if (c < 0x20 || c == '"' || c == '\\')
					return i;
				i++;
				continue;
			}
			int len = seq_len(s + i, n - i);
			if (len == 0)
				return i;
			i += (size_t)len;
		}
	}
	return n;
}

int utf8_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = 0xC0 | (cp >> 6);
		o[1] = 0x80 | (cp & 0x3F);
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = 0xE0 | (cp >> 12);
		o[1] = 0x80 | ((cp >> 6) & 0x3F);
		o[2] = 0x80 | (cp & 0x3F);
		return 3;
	}
	o[0] = 0xF0 | (cp >> 18);
	o[1] = 0x80 | ((cp >> 12) & 0x3F);
	o[2] = 0x80 | ((cp >> 6) & 0x3F);
	o[3] = 0x80 | (cp & 0x3F);
	return 4;
}
