/* extract_json.c: a conservative validating scanner for JSON Lines records (see the header). */
#include "olay/extract_json.h"
#include "olay/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 32
#define MAX_KEYS 256 /* per object, for the duplicate check; more: fall back */

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* After a member or an element: 1 when a ',' follows (p moved to the next one), 0 when the
 * closing byte does (p moved past it), -1 when anything else does. */
static inline int next_item(const char **pp, const char *end, char close)
{
	const char *p = skip_ws(*pp, end);
	if (p < end && *p == ',') {
		*pp = skip_ws(p + 1, end);
		return 1;
	}
	if (p < end && *p == close) {
		*pp = p + 1;
		return 0;
	}
	return -1;
}

static int hex4(const char *p, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (unsigned)(c - 'A' + 10);
		else
			return 0;
	}
	return 1;
}

#if defined(__SSE2__) && !defined(OLAY_NO_SIMD)
#include <emmintrin.h>

/* Of sixteen bytes, the mask of those that end a JSON string's plain run ('"', '\\', or a
 * control character), and in *high those with the top bit set (not ASCII). */
static inline unsigned special16(const char *p, unsigned *high)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i sp = _mm_or_si128(
		_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')), _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))),
		_mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1F)), x)); /* x <= 0x1F */
	*high = (unsigned)_mm_movemask_epi8(x);
	return (unsigned)_mm_movemask_epi8(sp);
}
#endif

/* Whether one of eight bytes (a word) is '"', '\\' or a control character: the SWAR tests
 * are exact for "some byte is". */
static inline int special8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
	return ((((q - ones) & ~q) | ((b - ones) & ~b) | ((w - ones * 0x20) & ~w)) & highs) != 0;
}

size_t json_plain_len(const char *s, size_t n)
{
	size_t i = 0;
#if defined(__SSE2__) && !defined(OLAY_NO_SIMD)
	for (unsigned h; n - i >= 16; i += 16) {
		unsigned m = special16(s + i, &h);
		if (m)
			return i + (size_t)__builtin_ctz(m);
	}
#endif
	for (; n - i >= 8; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		if (special8(w))
			break;
	}
	while (i < n && (unsigned char)s[i] >= 0x20 && s[i] != '"' && s[i] != '\\')
		i++;
	return i;
}

/* p at '"'; returns the end of the token or NULL; *esc says whether it has escapes. The
 * text between escapes is checked as UTF-8 as its end is found (utf8_valid_plain). */
static const char *scan_string(const char *p, const char *end, int *esc)
{
	p++;
	*esc = 0;
	for (;;) {
		p += utf8_valid_plain(p, (size_t)(end - p));
		if (p >= end)
			return NULL;
		if (*p == '"')
			return p + 1;
		if (*p != '\\')
			return NULL; /* a control character, or not UTF-8 */
		*esc = 1;
		if (p + 1 >= end)
			return NULL;
		char e = p[1];
		if (e == 'u') {
			unsigned v;
			if (p + 6 > end || !hex4(p + 2, &v) || v == 0)
				return NULL; /* \u0000: jansson refuses it without JSON_ALLOW_NUL */
			p += 6;
			if (v >= 0xDC00 && v <= 0xDFFF)
				return NULL;
			if (v >= 0xD800 && v <= 0xDBFF) {
				unsigned w;
				if (p + 6 > end || p[0] != '\\' || p[1] != 'u' || !hex4(p + 2, &w) ||
				    w < 0xDC00 || w > 0xDFFF)
					return NULL;
				p += 6;
			}
			continue;
		}
		if (!strchr("\"\\/bfnrt", e) || !e)
			return NULL;
		p += 2;
	}
}

static const char *scan_number(const char *p, const char *end)
{
	const char *s = p;
	if (p < end && *p == '-')
		p++;
	if (p >= end || *p < '0' || *p > '9')
		return NULL;
	if (*p == '0')
		p++;
	else
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	int real = 0;
	if (p < end && *p == '.') {
		real = 1;
		p++;
		if (p >= end || *p < '0' || *p > '9')
			return NULL;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		real = 1;
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		const char *d = p;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
		if (p == d || p - d > 2)
			return NULL; /* no digits, or a real jansson may find out of range */
	}
	if (!real && p - s > 18)
		return NULL; /* may not fit jansson's integer */
	return p;
}

/* What a scan lists: nothing (nested values), the top-level fields, or the fields of an
 * element of the array jscan_object_elems() asks for. */
enum { REC_NONE, REC_TOP, REC_ELEM };

/* The scan's state besides the position: what to list, and where. */
struct scan {
	struct jscan *js;
	const char *ekey; /* the top-level array whose elements are listed, or NULL */
	size_t ekeylen;
	int oom;
};

static const char *scan_value(const char *p, const char *end, int depth, struct scan *sc, int rec);

/* Append a field to *f (n of cap); 0, or -1 when out of memory. */
static int push_field(struct jfield **f, size_t *n, size_t *cap, struct jspan key, const char *vs,
		      const char *ve)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		struct jfield *nf = realloc(*f, c * sizeof(*nf));
		if (!nf)
			return -1;
		*f = nf;
		*cap = c;
	}
	(*f)[*n].key = key;
	(*f)[*n].val.p = vs;
	(*f)[*n].val.n = (size_t)(ve - vs);
	(*f)[*n].i0 = (*f)[*n].ni = 0;
	(*f)[*n].all_ints = 0;
	(*n)++;
	return 0;
}

/* scan_array for an array value of a listed element: its leading integers are read into
 * sc->js->iv as they are scanned (an offset map is mostly that). *ni and *all as in
 * struct jfield. */
static const char *scan_int_array(const char *p, const char *end, int depth, struct scan *sc,
				  size_t *ni, int *all)
{
	struct jscan *js = sc->js;
	*ni = 0;
	*all = 1;
	if (depth > MAX_DEPTH)
		return NULL; /* as scan_value */
	p = skip_ws(p + 1, end);
	if (p < end && *p == ']')
		return p + 1;
	for (;;) {
		const char *d = p < end && *p == '-' ? p + 1 : p;
		if (*all && d < end && *d >= '0' && *d <= '9' && depth + 1 <= MAX_DEPTH) {
			/* digits: an integer unless a fraction or exponent follows (then a real,
			 * which scan_number checks; it ends the integers); a leading zero stands
			 * alone, and what follows it is the array's to refuse */
			const char *q = d;
			unsigned long long x = 0;
			if (*q == '0')
				q++;
			else
				while (q < end && *q >= '0' && *q <= '9')
					x = x * 10 + (unsigned)(*q++ - '0');
			if (q < end && (*q == '.' || *q == 'e' || *q == 'E')) {
				*all = 0;
				if (!(p = scan_number(p, end)))
					return NULL;
			} else {
				if (q - p > 18)
					return NULL; /* may not fit jansson's integer (as scan_number) */
				if (js->niv == js->ivcap) {
					size_t c = js->ivcap ? js->ivcap * 2 : 256;
					long long *v = realloc(js->iv, c * sizeof(*v));
					if (!v) {
						sc->oom = 1;
						return NULL;
					}
					js->iv = v;
					js->ivcap = c;
				}
				js->iv[js->niv++] = p < d ? -(long long)x : (long long)x;
				(*ni)++;
				p = q;
			}
		} else {
			*all = 0;
			if (!(p = scan_value(p, end, depth + 1, sc, REC_NONE)))
				return NULL;
		}
		int more = next_item(&p, end, ']');
		if (more <= 0)
			return more ? NULL : p;
	}
}

static const char *scan_elems(const char *p, const char *end, int depth, struct scan *sc);

static const char *scan_object(const char *p, const char *end, int depth, struct scan *sc, int rec)
{
	struct jspan keys[MAX_KEYS];
	size_t nk = 0;
	p = skip_ws(p + 1, end);
	if (p < end && *p == '}')
		return p + 1;
	for (;;) {
		if (p >= end || *p != '"')
			return NULL;
		int esc;
		const char *ke = scan_string(p, end, &esc);
		if (!ke || esc || nk == MAX_KEYS)
			return NULL;
		struct jspan key = {p + 1, (size_t)(ke - p - 2)};
		for (size_t i = 0; i < nk; i++)
			if (keys[i].n == key.n && memcmp(keys[i].p, key.p, key.n) == 0)
				return NULL; /* a duplicate key: jansson says which */
		keys[nk++] = key;
		p = skip_ws(ke, end);
		if (p >= end || *p != ':')
			return NULL;
		p = skip_ws(p + 1, end);
		const char *vs = p;
		size_t i0 = sc->js ? sc->js->niv : 0, ni = 0;
		int all = 0;
		if (rec == REC_TOP && sc->ekey && p < end && *p == '[' && key.n == sc->ekeylen &&
		    memcmp(key.p, sc->ekey, key.n) == 0 && depth + 1 <= MAX_DEPTH) {
			sc->js->has_elems = 1;
			p = scan_elems(p, end, depth + 1, sc);
		} else if (rec == REC_ELEM && p < end && *p == '[') {
			p = scan_int_array(p, end, depth + 1, sc, &ni, &all);
		} else {
			p = scan_value(p, end, depth + 1, sc, REC_NONE);
		}
		if (!p)
			return NULL;
		if (rec == REC_TOP && push_field(&sc->js->f, &sc->js->n, &sc->js->cap, key, vs, p))
			goto oom;
		if (rec == REC_ELEM) {
			if (push_field(&sc->js->ef, &sc->js->nef, &sc->js->efcap, key, vs, p))
				goto oom;
			struct jfield *f = &sc->js->ef[sc->js->nef - 1];
			f->i0 = i0;
			f->ni = ni;
			f->all_ints = all;
		}
		int more = next_item(&p, end, '}');
		if (more <= 0)
			return more ? NULL : p;
	}
oom:
	sc->oom = 1;
	return NULL;
}

static const char *scan_array(const char *p, const char *end, int depth, struct scan *sc)
{
	p = skip_ws(p + 1, end);
	if (p < end && *p == ']')
		return p + 1;
	for (;;) {
		p = scan_value(p, end, depth + 1, sc, REC_NONE);
		if (!p)
			return NULL;
		int more = next_item(&p, end, ']');
		if (more <= 0)
			return more ? NULL : p;
	}
}

/* scan_array for the array whose elements are listed (depth as scan_value's for it). */
static const char *scan_elems(const char *p, const char *end, int depth, struct scan *sc)
{
	struct jscan *js = sc->js;
	p = skip_ws(p + 1, end);
	if (p < end && *p == ']')
		return p + 1;
	for (;;) {
		if (js->ne == js->ecap) {
			size_t c = js->ecap ? js->ecap * 2 : 16;
			struct jelem *e = realloc(js->e, c * sizeof(*e));
			if (!e) {
				sc->oom = 1;
				return NULL;
			}
			js->e = e;
			js->ecap = c;
		}
		size_t f = js->nef;
		const char *vs = p;
		p = scan_value(p, end, depth + 1, sc, REC_ELEM);
		if (!p)
			return NULL;
		struct jelem *el = &js->e[js->ne++];
		el->v.p = vs;
		el->v.n = (size_t)(p - vs);
		el->f = f;
		el->nf = js->nef - f;
		int more = next_item(&p, end, ']');
		if (more <= 0)
			return more ? NULL : p;
	}
}

static const char *scan_value(const char *p, const char *end, int depth, struct scan *sc, int rec)
{
	if (p >= end || depth > MAX_DEPTH)
		return NULL;
	int esc;
	switch (*p) {
	case '{':
		return scan_object(p, end, depth, sc, rec);
	case '[':
		return scan_array(p, end, depth, sc);
	case '"':
		return scan_string(p, end, &esc);
	case 't':
		return end - p >= 4 && memcmp(p, "true", 4) == 0 ? p + 4 : NULL;
	case 'f':
		return end - p >= 5 && memcmp(p, "false", 5) == 0 ? p + 5 : NULL;
	case 'n':
		return end - p >= 4 && memcmp(p, "null", 4) == 0 ? p + 4 : NULL;
	default:
		return scan_number(p, end);
	}
}

int jscan_object_elems(struct jscan *js, const char *s, size_t n, const char *array_key)
{
	js->n = js->ne = js->nef = js->niv = 0;
	js->has_elems = 0;
	const char *end = s + n, *p = skip_ws(s, end);
	if (p >= end || *p != '{')
		return JSCAN_FALLBACK;
	struct scan sc = {js, array_key, array_key ? strlen(array_key) : 0, 0};
	p = scan_value(p, end, 0, &sc, REC_TOP);
	if (sc.oom)
		return JSCAN_NOMEM;
	if (!p || skip_ws(p, end) != end)
		return JSCAN_FALLBACK;
	return JSCAN_OK;
}

int jscan_object(struct jscan *js, const char *s, size_t n)
{
	return jscan_object_elems(js, s, n, NULL);
}

void jscan_release(struct jscan *js)
{
	free(js->f);
	free(js->e);
	free(js->ef);
	free(js->iv);
	memset(js, 0, sizeof(*js));
}

const struct jspan *jscan_get(const struct jscan *js, const char *key)
{
	size_t kl = strlen(key);
	for (size_t i = 0; i < js->n; i++)
		if (js->f[i].key.n == kl && memcmp(js->f[i].key.p, key, kl) == 0)
			return &js->f[i].val;
	return NULL;
}

int jspan_is_string(const struct jspan *v)
{
	return v && v->n >= 2 && v->p[0] == '"';
}

int jspan_is_array(const struct jspan *v)
{
	return v && v->n >= 2 && v->p[0] == '[';
}

int jspan_is_object(const struct jspan *v)
{
	return v && v->n >= 2 && v->p[0] == '{';
}

int jspan_string(const struct jspan *v, struct buf *tmp, const char **out, size_t *len)
{
	if (!jspan_is_string(v))
		return JSCAN_FALLBACK;
	const char *s = v->p + 1, *end = v->p + v->n - 1;
	if (!memchr(s, '\\', (size_t)(end - s))) {
		*out = s;
		*len = (size_t)(end - s);
		return JSCAN_OK;
	}
	buf_reset(tmp);
	if (buf_grow(tmp, (size_t)(end - s)))
		return JSCAN_NOMEM;
	for (const char *p = s; p < end;) {
		if (*p != '\\') {
			const char *q = memchr(p, '\\', (size_t)(end - p));
			if (!q)
				q = end;
			if (buf_add(tmp, p, (size_t)(q - p)))
				return JSCAN_NOMEM;
			p = q;
			continue;
		}
		char e = p[1], c = 0;
		switch (e) {
		case '"': c = '"'; break;
		case '\\': c = '\\'; break;
		case '/': c = '/'; break;
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		case 'u': {
			unsigned v1, v2;
			hex4(p + 2, &v1);
			p += 6;
			if (v1 >= 0xD800 && v1 <= 0xDBFF) {
				hex4(p + 2, &v2);
				v1 = 0x10000 + ((v1 - 0xD800) << 10) + (v2 - 0xDC00);
				p += 6;
			}
			char u[4];
			if (buf_add(tmp, u, (size_t)utf8_encode(v1, u)))
				return JSCAN_NOMEM;
			continue;
		}
		}
		if (buf_addc(tmp, c))
			return JSCAN_NOMEM;
		p += 2;
	}
	*out = tmp->p;
	*len = tmp->len;
	return JSCAN_OK;
}

int jspan_int(const struct jspan *v, long long *out)
{
	if (!v || !v->n)
		return 0;
	long long x = 0;
	size_t i = v->p[0] == '-';
	if (i == v->n)
		return 0;
	for (; i < v->n; i++) {
		if (v->p[i] < '0' || v->p[i] > '9')
			return 0;
		x = x * 10 + (v->p[i] - '0');
	}
	*out = v->p[0] == '-' ? -x : x;
	return 1;
}

int jspan_next(const struct jspan *array, const char **pos, struct jspan *elem)
{
	const char *end = array->p + array->n - 1; /* the closing ']' */
	const char *p = *pos ? *pos : array->p + 1;
	p = skip_ws(p, end);
	if (p < end && *p == ',')
		p = skip_ws(p + 1, end);
	if (p >= end)
		return 0;
	struct scan sc = {NULL, NULL, 0, 0};
	const char *q = scan_value(p, end, 0, &sc, REC_NONE);
	if (!q)
		return 0; /* cannot happen on a scanned line */
	elem->p = p;
	elem->n = (size_t)(q - p);
	*pos = q;
	return 1;
}
