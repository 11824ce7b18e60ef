/* text.c: cleaning, match keys and offset maps (docs/FORMAT.md "Match key", "Offset maps").
 *
 * One pass per string: decode a character, read C1 controls as Windows-1252, compose it
 * with its combining marks (NFC, via utf8proc only when there are marks or the character
 * is not NFC by itself), clean it, optionally key it, and append it. Each appended
 * character is checked against the offset map formula; an anchor is written only where
 * the formula would be wrong. ASCII takes a short path: no utf8proc, no decoding. */
#include "olay/text.h"
#include "olay/utf8.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ---- offset maps ---- */

void offmap_init(struct offmap *m)
{
	m->anchors = NULL;
	m->n = m->cap = 0;
}

void offmap_release(struct offmap *m)
{
	free(m->anchors);
	offmap_init(m);
}

void offmap_clear(struct offmap *m)
{
	m->n = 0;
}

int offmap_add(struct offmap *m, size_t k, size_t o)
{
	if (m->n > 0 && m->anchors[2 * (m->n - 1)] == k) {
		m->anchors[2 * (m->n - 1) + 1] = o;
		return 0;
	}
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 8;
		size_t *a = realloc(m->anchors, cap * 2 * sizeof(*a));
		if (!a) {
			errno = ENOMEM;
			return -1;
		}
		m->anchors = a;
		m->cap = cap;
	}
	m->anchors[2 * m->n] = k;
	m->anchors[2 * m->n + 1] = o;
	m->n++;
	return 0;
}

size_t offmap_lookup(const struct offmap *m, size_t k)
{
	if (!m || m->n == 0)
		return k;
	size_t lo = 0, hi = m->n; /* last anchor with k_i <= k lies in [lo, hi) */
	if (k < m->anchors[0])
		return m->anchors[1]; /* before the first anchor: clamp to it */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->anchors[2 * mid] <= k)
			lo = mid;
		else
			hi = mid;
	}
	return m->anchors[2 * lo + 1] + (k - m->anchors[2 * lo]);
}

int offmap_slice(const struct offmap *m, size_t a, size_t b, struct offmap *out)
{
	offmap_clear(out);
	if (offmap_add(out, 0, offmap_lookup(m, a)) < 0)
		return -1;
	if (!m || m->n == 0)
		return 0;
	size_t lo = 0, hi = m->n; /* first anchor with k_i > a */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->anchors[2 * mid] <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < m->n && m->anchors[2 * i] <= b; i++)
		if (offmap_add(out, m->anchors[2 * i] - a, m->anchors[2 * i + 1]) < 0)
			return -1;
	return 0;
}

/* ---- languages ---- */

enum olay_lang lang_from_code(const char *code)
{
	if (!code || !code[0] || !code[1])
		return LANG_UND;
	if (code[2] != '\0' && code[2] != '-' && code[2] != '_')
		return LANG_UND;
	char a = (char)(code[0] | 0x20), b = (char)(code[1] | 0x20);
	if (a == 't' && b == 'r')
		return LANG_TR;
	if (a == 'a' && b == 'r')
		return LANG_AR;
	if (a == 'e' && b == 'n')
		return LANG_EN;
	return LANG_UND;
}

const char *lang_code(enum olay_lang lang)
{
	switch (lang) {
	case LANG_TR: return "tr";
	case LANG_AR: return "ar";
	case LANG_EN: return "en";
	default: return "und";
	}
}

/* ---- character classes ---- */

#define CP_REMOVE 0xFFFFFFFFu
#define CP_SPACE 0xFFFFFFFEu

/* Windows-1252 for 0x80-0x9F; 0 where the code page leaves the byte undefined. */
static const uint16_t cp1252_c1[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

int text_is_space(unsigned int cp)
{
	if (cp < 0x80)
		return cp == ' ' || (cp >= '\t' && cp <= '\r');
	return cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
	       cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

static int is_invisible(uint32_t cp)
{
	return text_is_space(cp) || (cp >= 0x200B && cp <= 0x200F) || cp == 0xFEFF || cp == 0xAD ||
	       cp == 0x2060 || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

void text_trim(const char *s, size_t *start, size_t *end)
{
	while (*start < *end) {
		uint32_t cp;
		int l = utf8_decode(s, *end, *start, &cp);
		if (l == 0 || !is_invisible(cp))
			break;
		*start += (size_t)l;
	}
	while (*end > *start) {
		size_t i = *end - 1;
		while (i > *start && ((unsigned char)s[i] & 0xC0) == 0x80)
			i--;
		uint32_t cp;
		int l = utf8_decode(s, *end, i, &cp);
		if (l == 0 || !is_invisible(cp))
			break;
		*end = i;
	}
}

/* The cleaned form of a non-ASCII, non-C1 code point: itself, a replacement, CP_REMOVE or
 * CP_SPACE. Lists what news text carries: typographic quotes and dashes, invisible format
 * characters left by editors and bidi-aware sites, tatweel used to stretch Arabic words. */
static uint32_t clean_char(uint32_t cp)
{
	if (cp < 0x2000) {
		if (cp < 0xA0)
			return CP_REMOVE; /* a C1 control Windows-1252 leaves undefined */
		if (cp < 0x600) {
			switch (cp) {
			case 0xA0: return CP_SPACE;
			case 0xAD: return CP_REMOVE; /* soft hyphen */
			case 0xAB: case 0xBB: return '"';
			case 0xB4: case 0x2BC: return '\'';
			case 0x34F: return CP_REMOVE; /* combining grapheme joiner */
			}
			return cp;
		}
		if (cp < 0x700) {
			if (cp <= 0x605 || cp == 0x61C || cp == 0x640 || cp == 0x6DD)
				return CP_REMOVE; /* number signs, ALM, tatweel, end of ayah */
			return cp;
		}
		switch (cp) {
		case 0x70F: case 0x890: case 0x891: case 0x8E2: case 0x180E: return CP_REMOVE;
		case 0x1680: return CP_SPACE;
		}
		return cp;
	}
	if (cp < 0x2070) {
		if (cp <= 0x200A) return CP_SPACE;
		if (cp <= 0x200F) return CP_REMOVE; /* zero-width, LRM, RLM */
		if (cp <= 0x2015) return '-';
		if (cp >= 0x2018 && cp <= 0x201B) return '\'';
		if (cp >= 0x201C && cp <= 0x201F) return '"';
		switch (cp) {
		case 0x2028: case 0x2029: case 0x202F: case 0x205F: return CP_SPACE;
		case 0x2032: case 0x2035: case 0x2039: case 0x203A: return '\'';
		case 0x2033: case 0x2036: return '"';
		}
		if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F))
			return CP_REMOVE; /* bidi embeddings, word joiner, isolates */
		return cp;
	}
	switch (cp) {
	case 0x2212: case 0x2E3A: case 0x2E3B: case 0xFE58: case 0xFE63: case 0xFF0D: return '-';
	case 0x3000: return CP_SPACE;
	case 0x301D: case 0x301E: case 0x301F: case 0xFF02: return '"';
	case 0xFF07: return '\'';
	case 0xFEFF: return CP_REMOVE;
	}
	if ((cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xFFF9 && cp <= 0xFFFB) ||
	    (cp >= 0xE0000 && cp <= 0xE0FFF) || (cp >= 0x1D173 && cp <= 0x1D17A))
		return CP_REMOVE; /* variation selectors, annotation marks, tags */
	return cp;
}

/* The key form of a cleaned non-ASCII code point (CP_REMOVE for Arabic marks). Arabic
 * folding applies in every language so that an undetermined document still matches. */
static uint32_t key_char(uint32_t cp, enum olay_lang lang)
{
	if (cp >= 0x600 && cp < 0x700) {
		if (cp >= 0x660 && cp <= 0x669) return '0' + (cp - 0x660);
		if (cp >= 0x6F0 && cp <= 0x6F9) return '0' + (cp - 0x6F0);
		if ((cp >= 0x610 && cp <= 0x61A) || (cp >= 0x64B && cp <= 0x65F) || cp == 0x670 ||
		    (cp >= 0x6D6 && cp <= 0x6DC) || (cp >= 0x6DF && cp <= 0x6E4) ||
		    cp == 0x6E7 || cp == 0x6E8 || (cp >= 0x6EA && cp <= 0x6ED))
			return CP_REMOVE;
		switch (cp) {
		case 0x622: case 0x623: case 0x625: case 0x671: return 0x627; /* alef */
		case 0x649: case 0x626: case 0x6CC: return 0x64A;             /* yeh */
		case 0x629: return 0x647;                                     /* teh marbuta -> heh */
		case 0x624: return 0x648;                                     /* waw with hamza */
		case 0x6A9: return 0x643;                                     /* keheh -> kaf */
		case 0x66B: return '.';
		case 0x66C: return ',';
		}
		return cp;
	}
	if (cp == 0x130)
		return 'i';
	(void)lang;
	return (uint32_t)utf8proc_tolower((utf8proc_int32_t)cp);
}

/* ---- NFC: which code points are not NFC on their own (singletons, exclusions) ---- */

static uint8_t nfc_unstable[0x110000 / 8];
/* Latin letters (U+00C0-U+024F) that are their own lower case and NFC by themselves. */
static uint8_t latin_lower_plain[0x250 - 0xC0];
static int is_unstable(uint32_t cp);
static pthread_once_t nfc_once = PTHREAD_ONCE_INIT;

static void nfc_build(void)
{
	for (uint32_t cp = 0x80; cp < 0x110000; cp++) {
		if (cp >= 0xD800 && cp < 0xE000)
			continue;
		const utf8proc_property_t *p = utf8proc_get_property((utf8proc_int32_t)cp);
		if (p->decomp_type != 0 || p->decomp_seqindex == UINT16_MAX)
			continue; /* no canonical decomposition: stable alone */
		utf8proc_uint8_t in[5], *out = NULL;
		utf8proc_ssize_t len = utf8proc_encode_char((utf8proc_int32_t)cp, in);
		utf8proc_ssize_t r = utf8proc_map(in, len, &out, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
		if (r < 0 || r != len || memcmp(out, in, (size_t)len) != 0)
			nfc_unstable[cp >> 3] |= (uint8_t)(1u << (cp & 7));
		free(out);
	}
	for (uint32_t cp = 0xC0; cp < 0x250; cp++)
		latin_lower_plain[cp - 0xC0] = cp != 0x130 && cp != 0xD7 && cp != 0xF7 && !is_unstable(cp) &&
					      (uint32_t)utf8proc_tolower((utf8proc_int32_t)cp) == cp;
}

static int is_unstable(uint32_t cp)
{
	return (nfc_unstable[cp >> 3] >> (cp & 7)) & 1;
}

/* A code point that NFC may compose onto the character before it. */
static int combines_back(uint32_t cp)
{
	if (cp < 0x300)
		return 0;
	if (cp >= 0x600 && cp < 0x700) /* Arabic: the marks only (hamza and madda compose) */
		return (cp >= 0x610 && cp <= 0x61A) || (cp >= 0x64B && cp <= 0x65F) || cp == 0x670 ||
		       (cp >= 0x6D6 && cp <= 0x6DC) || (cp >= 0x6DF && cp <= 0x6E4) || cp == 0x6E7 ||
		       cp == 0x6E8 || (cp >= 0x6EA && cp <= 0x6ED);
	const utf8proc_property_t *p = utf8proc_get_property((utf8proc_int32_t)cp);
	if (p->combining_class != 0)
		return 1;
	if (p->comb_index != UINT16_MAX && (p->comb_index & 0x8000))
		return 1;
	return (cp >= 0x1161 && cp <= 0x1175) || (cp >= 0x11A8 && cp <= 0x11C2); /* Hangul V, T */
}

/* A two-byte letter the pass leaves as it is: in a key, only lower-case Latin and the
 * Arabic letters that are not unified. */
static int plain2(uint32_t cp, int key)
{
	if (cp >= 0x621 && cp <= 0x64A) {
		if (cp == 0x640)
			return 0; /* tatweel */
		return !key || !(cp == 0x622 || cp == 0x623 || cp == 0x624 || cp == 0x625 ||
				 cp == 0x626 || cp == 0x629 || cp == 0x649);
	}
	if (cp >= 0xC0 && cp < 0x250 && cp != 0xD7 && cp != 0xF7)
		return !key ? !is_unstable(cp) : latin_lower_plain[cp - 0xC0];
	return 0;
}

/* Does the character at s[i] combine onto the one before it? */
static int next_combines(const char *s, size_t n, size_t i)
{
	unsigned char b = (unsigned char)s[i];
	if (b < 0xCC)
		return 0; /* below U+0300: no combining marks */
	if ((b == 0xD8 || b == 0xD9 || b == 0xDB) && i + 1 < n)
		return combines_back(((uint32_t)(b & 0x1F) << 6) | ((unsigned char)s[i + 1] & 0x3F));
	uint32_t cp;
	int l = utf8_decode(s, n, i, &cp);
	return l > 0 && !(cp >= 0x80 && cp <= 0x9F) && combines_back(cp);
}

/* ---- the one pass ---- */

enum mode { MODE_CLEAN, MODE_KEY };

/* Longest combining sequence composed as one; longer runs of marks are cut, which keeps
 * utf8proc's insertion sort linear on hostile input. */
#define MAX_SEGMENT_BYTES 256

struct writer {
	char *buf;
	size_t len, cap;
	struct offmap *map;
	const struct offmap *src; /* NULL: offset i is base + i */
	size_t base;
	size_t cursor; /* index of the src anchor at or before the last offset asked */
	size_t last_k, last_o;
	int anchored;
	/* linear run: output offset base_k came from src offset base_i, and the mapping is
	 * linear from there until the next src anchor at next_src_k */
	size_t base_k, base_i, next_src_k;
	size_t last_src_end; /* src offset just after the last appended character */
	int appended;
	int pending_space;
	size_t space_src;
	int failed;
};

static size_t writer_orig(struct writer *w, size_t i)
{
	const struct offmap *m = w->src;
	if (!m)
		return w->base + i;
	if (m->n == 0)
		return i;
	if (i < m->anchors[2 * w->cursor])
		w->cursor = 0; /* went back: restart the scan (rare) */
	while (w->cursor + 1 < m->n && m->anchors[2 * (w->cursor + 1)] <= i)
		w->cursor++;
	if (i < m->anchors[0])
		return m->anchors[1];
	return m->anchors[2 * w->cursor + 1] + (i - m->anchors[2 * w->cursor]);
}

static int writer_reserve(struct writer *w, size_t more)
{
	if (w->len + more + 1 <= w->cap)
		return 0;
	size_t cap = w->cap ? w->cap : 64;
	while (cap < w->len + more + 1)
		cap *= 2;
	char *b = realloc(w->buf, cap);
	if (!b) {
		w->failed = 1;
		return -1;
	}
	w->buf = b;
	w->cap = cap;
	return 0;
}

/* Note that output offset w->len comes from src offset i. */
static void writer_anchor(struct writer *w, size_t i)
{
	if (!w->map)
		return;
	/* the common case: the character follows the last one in src and in output, and no
	 * src anchor lies between, so the formula holds without a lookup */
	if (w->anchored && i == w->base_i + (w->len - w->base_k) && i < w->next_src_k)
		return;
	size_t o = writer_orig(w, i);
	w->base_k = w->len;
	w->base_i = i;
	w->next_src_k = SIZE_MAX;
	if (w->src && w->cursor + 1 < w->src->n)
		w->next_src_k = w->src->anchors[2 * (w->cursor + 1)];
	if (w->src && w->src->n && i < w->src->anchors[0])
		w->next_src_k = w->src->anchors[0];
	if (w->anchored && o == w->last_o + (w->len - w->last_k))
		return;
	if (offmap_add(w->map, w->len, o) < 0) {
		w->failed = 1;
		return;
	}
	w->anchored = 1;
	w->last_k = w->len;
	w->last_o = o;
}

/* Write the space a run of white space left pending, unless nothing came before it.
 * 0, or -1 when out of memory (w->failed). */
static int writer_flush_space(struct writer *w)
{
	if (!w->pending_space)
		return 0;
	w->pending_space = 0;
	if (!w->appended)
		return 0;
	if (writer_reserve(w, 1) < 0)
		return -1;
	writer_anchor(w, w->space_src);
	w->buf[w->len++] = ' ';
	return 0;
}

/* Append the ASCII bytes s[i..j) that map one to one (already cleaned and keyed in out). */
static void writer_run(struct writer *w, const char *bytes, size_t i, size_t j)
{
	if (writer_flush_space(w) < 0)
		return;
	if (writer_reserve(w, j - i) < 0)
		return;
	size_t k0 = w->len;
	writer_anchor(w, i);
	/* src anchors inside the run move the mapping on */
	while (w->map && w->next_src_k < j) {
		size_t si = w->next_src_k;
		w->len = k0 + (si - i);
		writer_anchor(w, si);
	}
	memcpy(w->buf + k0, bytes, j - i);
	w->len = k0 + (j - i);
	w->last_src_end = j;
	w->appended = 1;
}

/* Append code point cp (already cleaned and keyed) that came from src [i, end). */
static void writer_put(struct writer *w, uint32_t cp, size_t i, size_t end)
{
	if (writer_flush_space(w) < 0)
		return;
	if (writer_reserve(w, 4) < 0)
		return;
	writer_anchor(w, i);
	if (cp < 0x80)
		w->buf[w->len++] = (char)cp;
	else
		w->len += (size_t)utf8_encode(cp, w->buf + w->len);
	w->last_src_end = end;
	w->appended = 1;
}

static void writer_space(struct writer *w, size_t i)
{
	if (!w->pending_space) {
		w->pending_space = 1;
		w->space_src = i;
	}
}

/* End a pass: anchor the end of the output (it maps to the end of the last character
 * appended), NUL-terminate it and hand it to *out; on any failure free it, clear the map
 * and return -1 with ENOMEM. */
static int writer_finish(struct writer *w, char **out, size_t *outlen)
{
	if (w->failed)
		goto fail;
	if (w->map) {
		size_t o = writer_orig(w, w->appended ? w->last_src_end : 0);
		if (!w->anchored || o != w->last_o + (w->len - w->last_k))
			if (offmap_add(w->map, w->len, o) < 0)
				goto fail;
	}
	w->buf[w->len] = '\0';
	*out = w->buf;
	if (outlen)
		*outlen = w->len;
	return 0;
fail:
	free(w->buf);
	if (w->map)
		offmap_clear(w->map);
	errno = ENOMEM;
	return -1;
}

struct pass {
	enum mode mode;
	enum olay_lang lang;
	struct text_stats *stats;
};

/* Clean (and key) one composed code point from src [i, end), then append it. */
static void process_char(struct writer *w, const struct pass *p, uint32_t cp, size_t i, size_t end)
{
	if (cp < 0x80) {
		if (cp < 0x20 || cp == 0x7F) {
			if (cp == ' ' || (cp >= '\t' && cp <= '\r'))
				writer_space(w, i);
			else if (p->stats)
				p->stats->controls_removed++;
			return;
		}
		if (cp == ' ') {
			writer_space(w, i);
			return;
		}
		if (cp == '`')
			cp = '\'';
		if (p->mode == MODE_KEY && cp >= 'A' && cp <= 'Z')
			cp = (p->lang == LANG_TR && cp == 'I') ? 0x131 : cp + 32;
		writer_put(w, cp, i, end);
		return;
	}
	uint32_t c = clean_char(cp);
	if (c == CP_REMOVE) {
		if (p->stats)
			p->stats->controls_removed++;
		return;
	}
	if (c == CP_SPACE) {
		writer_space(w, i);
		return;
	}
	if (p->mode == MODE_KEY && c >= 0x80) {
		c = key_char(c, p->lang);
		if (c == CP_REMOVE)
			return;
	}
	writer_put(w, c, i, end);
}

/* Decode the character at s[i]: its code point with C1 read as Windows-1252 (0 when the
 * byte is undefined there), its length; invalid bytes read as U+FFFD of length 1. */
static uint32_t decode(const char *s, size_t n, size_t i, int *len, const struct pass *p)
{
	uint32_t cp;
	int l = utf8_decode(s, n, i, &cp);
	if (l == 0) {
		*len = 1;
		return 0xFFFD;
	}
	*len = l;
	if (cp >= 0x80 && cp <= 0x9F) {
		uint32_t w = cp1252_c1[cp - 0x80];
		if (p->stats) {
			if (w)
				p->stats->c1_fixed++;
		}
		return w ? w : 0x9F; /* undefined: stays a C1 control, removed below */
	}
	return cp;
}

static void process_segment(struct writer *w, const struct pass *p, const char *s, size_t n,
			    size_t i, uint32_t first, int firstlen, size_t segend)
{
	/* Compose [i, segend) with utf8proc; the first character as decoded (C1 read). */
	utf8proc_uint8_t tmp[MAX_SEGMENT_BYTES + 8];
	size_t tl = (size_t)utf8proc_encode_char((utf8proc_int32_t)first, tmp);
	memcpy(tmp + tl, s + i + firstlen, segend - i - firstlen);
	tl += segend - i - firstlen;
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t r = utf8proc_map(tmp, (utf8proc_ssize_t)tl, &out,
					  UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (r < 0) {
		if (r == UTF8PROC_ERROR_NOMEM)
			w->failed = 1;
		/* not expected (the bytes were validated): fall back to the uncomposed characters */
		size_t j = i;
		while (j < segend) {
			int l;
			uint32_t cp = decode(s, n, j, &l, p);
			process_char(w, p, cp, j, j + (size_t)l);
			j += (size_t)l;
		}
		return;
	}
	/* Composed characters map to the start of the segment, then run on from it. */
	size_t j = 0;
	while (j < (size_t)r) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t l = utf8proc_iterate(out + j, r - (utf8proc_ssize_t)j, &cp);
		if (l <= 0)
			break;
		size_t at = j == 0 ? i : i + j;
		if (at >= segend)
			at = segend - 1;
		process_char(w, p, (uint32_t)cp, at, segend);
		j += (size_t)l;
	}
	free(out);
}

static int run_pass(const struct pass *p, const char *s, size_t n, const struct offmap *src,
		    size_t base, char **out, size_t *outlen, struct offmap *map)
{
	pthread_once(&nfc_once, nfc_build);
	struct writer w;
	memset(&w, 0, sizeof(w));
	w.map = map;
	w.src = src;
	w.base = base;
	if (map)
		offmap_clear(map);
	writer_reserve(&w, n + n / 8 + 8); /* on failure w.failed stops the loop */

	size_t i = 0;
	char run[256];
	int key = p->mode == MODE_KEY, turkish = p->lang == LANG_TR;
	while (i < n && !w.failed) {
		unsigned char b = (unsigned char)s[i];
		/* a run of characters that map to themselves byte for byte (printable ASCII, only
		 * lower-cased in a key; Latin and Arabic letters the pass leaves alone): copied */
		size_t j = i, ol = 0;
		while (j < n && ol < sizeof run - 2) {
			unsigned char c = (unsigned char)s[j];
			if (c > 0x20 && c < 0x7F && c != '`') {
				if (key && c >= 'A' && c <= 'Z') {
					if (turkish && c == 'I')
						break;
					c += 32;
				}
				if (j + 1 < n && (unsigned char)s[j + 1] >= 0x80 && next_combines(s, n, j + 1))
					break;
				run[ol++] = (char)c;
				j++;
				continue;
			}
			if (c >= 0xC2 && c < 0xE0 && j + 1 < n && ((unsigned char)s[j + 1] & 0xC0) == 0x80) {
				uint32_t cp = ((uint32_t)(c & 0x1F) << 6) | ((unsigned char)s[j + 1] & 0x3F);
				if (!plain2(cp, key))
					break;
				if (j + 2 < n && (unsigned char)s[j + 2] >= 0x80 && next_combines(s, n, j + 2))
					break;
				run[ol++] = (char)c;
				run[ol++] = s[j + 1];
				j += 2;
				continue;
			}
			break;
		}
		if (j > i) {
			writer_run(&w, run, i, j);
			i = j;
			continue;
		}
		/* ASCII not followed by a combining mark: no decoding, no utf8proc */
		if (b < 0x80 && (i + 1 >= n || (unsigned char)s[i + 1] < 0x80)) {
			process_char(&w, p, b, i, i + 1);
			i++;
			continue;
		}
		int len;
		uint32_t cp = b < 0x80 ? (len = 1, b) : decode(s, n, i, &len, p);
		size_t end = i + (size_t)len;
		/* extend over what may compose onto this character */
		size_t segend = end;
		while (segend < n && (unsigned char)s[segend] >= 0x80 && segend - i < MAX_SEGMENT_BYTES) {
			uint32_t next;
			int nl = utf8_decode(s, n, segend, &next);
			if (nl == 0 || (next >= 0x80 && next <= 0x9F) || !combines_back(next))
				break;
			segend += (size_t)nl;
		}
		if (segend == end && (cp < 0x80 || !is_unstable(cp)))
			process_char(&w, p, cp, i, end);
		else
			process_segment(&w, p, s, n, i, cp, len, segend);
		i = segend;
	}
	return writer_finish(&w, out, outlen);
}

int text_clean(const char *s, size_t n, size_t base, char **out, size_t *outlen,
	       struct offmap *map, struct text_stats *stats)
{
	struct pass p = {MODE_CLEAN, LANG_UND, stats};
	return run_pass(&p, s, n, NULL, base, out, outlen, map);
}

int text_clean_mapped(const char *s, size_t n, const struct offmap *src, char **out,
		      size_t *outlen, struct offmap *map, struct text_stats *stats)
{
	static const struct offmap identity = OFFMAP_INIT;
	struct pass p = {MODE_CLEAN, LANG_UND, stats};
	return run_pass(&p, s, n, src ? src : &identity, 0, out, outlen, map);
}

int text_key(enum olay_lang lang, const char *s, size_t n, size_t base, char **key,
	     size_t *keylen, struct offmap *map)
{
	struct pass p = {MODE_KEY, lang, NULL};
	return run_pass(&p, s, n, NULL, base, key, keylen, map);
}

int text_key_mapped(enum olay_lang lang, const char *s, size_t n, const struct offmap *src,
		    char **key, size_t *keylen, struct offmap *map)
{
	static const struct offmap identity = OFFMAP_INIT;
	struct pass p = {MODE_KEY, lang, NULL};
	return run_pass(&p, s, n, src ? src : &identity, 0, key, keylen, map);
}

/* ---- ASCII fold of a Turkish key ---- */

static uint32_t fold_char(uint32_t cp)
{
	switch (cp) {
	case 0xE7: case 0xC7: return 'c';
	case 0x11F: case 0x11E: return 'g';
	case 0x131: case 0x130: case 0xEE: case 0xCE: return 'i';
	case 0xF6: case 0xD6: return 'o';
	case 0x15F: case 0x15E: return 's';
	case 0xFC: case 0xDC: case 0xFB: case 0xDB: return 'u';
	case 0xE2: case 0xC2: return 'a';
	}
	return cp;
}

int text_fold_tr(const char *key, size_t n, const struct offmap *keymap, char **fold,
		 size_t *foldlen, struct offmap *map)
{
	static const struct offmap identity = OFFMAP_INIT;
	struct writer w;
	memset(&w, 0, sizeof(w));
	w.map = map;
	w.src = keymap ? keymap : &identity;
	if (map)
		offmap_clear(map);
	writer_reserve(&w, n + 8); /* on failure w.failed stops the loop */
	size_t i = 0;
	while (i < n && !w.failed) {
		unsigned char b = (unsigned char)key[i];
		if (b < 0x80) {
			/* a key is already clean: white space is kept as it is, not collapsed */
			if (w.len + 1 >= w.cap && writer_reserve(&w, 1) < 0)
				break;
			writer_anchor(&w, i);
			w.buf[w.len++] = (char)b;
			w.last_src_end = i + 1;
			w.appended = 1;
			i++;
			continue;
		}
		uint32_t cp;
		int l = utf8_decode(key, n, i, &cp);
		if (l == 0) {
			cp = 0xFFFD;
			l = 1;
		}
		writer_put(&w, fold_char(cp), i, i + (size_t)l);
		i += (size_t)l;
	}
	return writer_finish(&w, fold, foldlen);
}
