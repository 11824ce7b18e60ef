/* norm_doc.c: one document through boilerplate, reflow, cleaning and sentence splitting.
 *
 * Reflow works on lines of the original text. A paragraph is built as "reflowed" bytes
 * (the kept pieces of its lines, joined) with an offset map back to the original; it is
 * then cleaned (text_clean_mapped), split (sentences_split), and each sentence keyed with
 * its map composed all the way back to the original text. So every offset written is an
 * offset into the text as ingest wrote it. */
#define _GNU_SOURCE /* memmem */
#include "olay/norm.h"
#include "olay/buf.h"
#include "olay/sentences.h"
#include "olay/utf8.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define WRAP_MIN_WIDTH 40     /* lines narrower than this were not wrapped by a layout */
#define WRAP_MAX_WIDTH 200    /* wider lines are paragraphs of their own, not wraps */
#define WRAP_FILL_PERCENT 60  /* a wrapped line fills at least this much of the width */
#define HEADLINE_MAX_BYTES 300
#define REPEAT_MIN_BYTES 20   /* shorter sentences may repeat on purpose ("Evet.") */
#define EVIDENCE_WINDOW 4096  /* bytes each side of a wrapped word searched for its spelling */

struct line {
	size_t s, e, ts, te; /* the line and its trimmed content */
	size_t chars;        /* characters of the trimmed content */
	int kept;            /* some content survives boilerplate removal */
	size_t width;        /* widest line of its block of consecutive kept lines */
};

struct para {
	char *buf;
	size_t len, cap;
	struct offmap map; /* reflowed offset -> original offset */
	size_t lines;
};

struct doc {
	const struct norm_opts *opts;
	enum olay_lang lang;
	const char *t;
	size_t n;
	struct bp_spans removed; /* boilerplate, sorted: what reflow skips */
	struct bp_spans joins;   /* hyphen/wrap joins and repeated sentences, added at the end */
	struct buf *out;  /* the JSON being written */
	size_t nsent;     /* sentences written */
	int failed;       /* out of memory while writing */
	struct norm_counts c;
	size_t npara;
	char *prev_text; /* the last sentence written, to drop a verbatim repeat */
	size_t prev_len;
	/* scratch reused across paragraphs and sentences */
	struct offmap pmap, smap, kmap, fmap;
	struct sentence_list sl;
};

static int para_reserve(struct para *p, size_t more)
{
	if (p->len + more <= p->cap)
		return 0;
	size_t cap = p->cap ? p->cap : 256;
	while (cap < p->len + more)
		cap *= 2;
	char *b = realloc(p->buf, cap);
	if (!b)
		return -1;
	p->buf = b;
	p->cap = cap;
	return 0;
}

/* Note that reflowed offset p->len is original offset o. */
static int para_anchor(struct para *p, size_t o)
{
	struct offmap *m = &p->map;
	if (m->n > 0) {
		size_t k = m->anchors[2 * (m->n - 1)], ko = m->anchors[2 * (m->n - 1) + 1];
		if (ko + (p->len - k) == o)
			return 0;
	}
	return offmap_add(m, p->len, o);
}

static int para_append(struct para *p, const char *t, size_t a, size_t b)
{
	if (b <= a)
		return 0;
	if (para_reserve(p, b - a) < 0 || para_anchor(p, a) < 0)
		return -1;
	memcpy(p->buf + p->len, t + a, b - a);
	p->len += b - a;
	return 0;
}

static int para_space(struct para *p, size_t o)
{
	if (para_reserve(p, 1) < 0 || para_anchor(p, o) < 0)
		return -1;
	p->buf[p->len++] = ' ';
	return 0;
}

/* Drop the last nbytes of the paragraph (a wrap hyphen) and the anchors past the end. */
static void para_truncate(struct para *p, size_t nbytes)
{
	p->len -= nbytes;
	while (p->map.n > 0 && p->map.anchors[2 * (p->map.n - 1)] > p->len)
		p->map.n--;
}

/* ---- characters at line edges ---- */

static uint32_t first_char(const char *t, size_t s, size_t e)
{
	uint32_t cp = 0;
	if (s < e && utf8_decode(t, e, s, &cp) == 0)
		cp = 0xFFFD;
	return cp;
}

static size_t last_char_at(const char *t, size_t s, size_t e)
{
	size_t i = e - 1;
	while (i > s && ((unsigned char)t[i] & 0xC0) == 0x80)
		i--;
	return i;
}

static int is_alnum_cp(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
	utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
	       c == UTF8PROC_CATEGORY_ND;
}

static int is_letter_cp(uint32_t cp)
{
	return is_alnum_cp(cp) && !(cp >= '0' && cp <= '9') &&
	       utf8proc_category((utf8proc_int32_t)cp) != UTF8PROC_CATEGORY_ND;
}

static int is_lower_cp(uint32_t cp)
{
	return cp < 0x80 ? (cp >= 'a' && cp <= 'z')
			 : utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_LL;
}

static int is_upper_cp(uint32_t cp)
{
	return cp < 0x80 ? (cp >= 'A' && cp <= 'Z')
			 : utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_LU;
}

/* The line ends like a sentence or a clause that may stand alone. */
static int ends_closed(const char *t, size_t s, size_t e)
{
	if (e == s)
		return 1;
	size_t i = last_char_at(t, s, e);
	uint32_t cp = first_char(t, i, e);
	switch (cp) {
	case '.': case '!': case '?': case ':': case '"': case 0x201D: case 0xBB: case 0x2026:
	case 0x061F: case 0x06D4: case ')':
		return 1;
	}
	return 0;
}

static int ends_ellipsis(const char *t, size_t s, size_t e)
{
	return (e - s >= 3 && memcmp(t + e - 3, "\xe2\x80\xa6", 3) == 0) ||
	       (e - s >= 3 && memcmp(t + e - 3, "...", 3) == 0);
}

/* Hyphen at the end of t[s..e): its length in bytes (ASCII hyphen, U+2010, soft hyphen),
 * when it follows a letter or digit; else 0. */
static size_t wrap_hyphen(const char *t, size_t s, size_t e)
{
	if (e - s < 2)
		return 0;
	size_t i = last_char_at(t, s, e);
	uint32_t cp = first_char(t, i, e);
	if (cp != '-' && cp != 0x2010 && cp != 0xAD)
		return 0;
	size_t j = last_char_at(t, s, i);
	return is_alnum_cp(first_char(t, j, i)) ? e - i : 0;
}

static int occurs(const char *t, size_t n, const char *needle, size_t nl)
{
	return memmem(t, n, needle, nl) != NULL;
}

/* Is the hyphen of a wrapped word part of the word (El-Nusra, 2015-2016, well-known)?
 * Evidence from the document first: the word written elsewhere with or without it. */
static int hyphen_belongs(const char *t, size_t n, const struct line *a, const struct line *b,
			  size_t hyph)
{
	size_t he = a->te - hyph; /* the hyphen's offset */
	size_t ws = he;
	while (ws > a->ts && t[ws - 1] != ' ')
		ws--;
	size_t we = b->ts;
	while (we < b->te) {
		uint32_t cp;
		int cl = utf8_decode(t, b->te, we, &cp);
		if (cl == 0 || !is_alnum_cp(cp))
			break;
		we += (size_t)cl;
	}
	uint32_t after = first_char(t, b->ts, b->te);
	uint32_t before = first_char(t, last_char_at(t, a->ts, he), he);
	if (!is_letter_cp(after) || !is_letter_cp(before))
		return 1; /* digits: ranges and codes keep it */
	size_t l1 = he - ws, l2 = we - b->ts;
	/* evidence is looked for near the wrap only, so a long text with many wraps stays
	 * linear */
	size_t lo = he > EVIDENCE_WINDOW ? he - EVIDENCE_WINDOW : 0;
	size_t hi = n - he > EVIDENCE_WINDOW ? he + EVIDENCE_WINDOW : n;
	if (l1 + l2 + 1 < 256 && l1 > 0 && l2 > 0) {
		char word[256];
		memcpy(word, t + ws, l1);
		memcpy(word + l1, t + b->ts, l2);
		if (occurs(t + lo, hi - lo, word, l1 + l2))
			return 0;
		word[l1] = '-';
		memcpy(word + l1 + 1, t + b->ts, l2);
		if (occurs(t + lo, hi - lo, word, l1 + l2 + 1))
			return 1;
	}
	if (is_upper_cp(after))
		return 1; /* El-Nusra, Jean-Marc, Türkiye-Rusya */
	return !is_lower_cp(before);
}

/* ---- JSON output, written directly: the sentences are most of the output ---- */

static void put(struct doc *d, const char *s, size_t n)
{
	if (buf_add(d->out, s, n) < 0)
		d->failed = 1;
}

#define PUTS(d, lit) put(d, "" lit, sizeof(lit) - 1) /* lit: a string literal only */

static void put_uint(struct doc *d, size_t v)
{
	char tmp[24], *p = tmp + sizeof tmp;
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(d, p, (size_t)(tmp + sizeof tmp - p));
}

static const unsigned char must_escape[256] = {
	[0 ... 0x1F] = 1, ['"'] = 1, ['\\'] = 1,
};

/* A JSON string: UTF-8 as it is, only '"', '\\' and control characters escaped. */
static void put_str(struct doc *d, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF"; /* as jansson writes them */
	if (buf_grow(d->out, n + 2) < 0) {
		d->failed = 1;
		return;
	}
	PUTS(d, "\"");
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!must_escape[c])
			continue;
		put(d, s + run, i - run);
		run = i + 1;
		char esc[6] = {'\\', (char)c, 0, 0, 0, 0};
		size_t el = 2;
		switch (c) {
		case '"': case '\\': break;
		case '\n': esc[1] = 'n'; break;
		case '\t': esc[1] = 't'; break;
		case '\r': esc[1] = 'r'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		default:
			esc[1] = 'u'; esc[2] = '0'; esc[3] = '0';
			esc[4] = hex[c >> 4]; esc[5] = hex[c & 15];
			el = 6;
		}
		put(d, esc, el);
	}
	put(d, s + run, n - run);
	PUTS(d, "\"");
}

static void put_map(struct doc *d, const struct offmap *m)
{
	PUTS(d, "[");
	for (size_t i = 0; i < 2 * m->n; i++) {
		if (i)
			PUTS(d, ",");
		put_uint(d, m->anchors[i]);
	}
	PUTS(d, "]");
}

/* ---- sentences ---- */

static int emit_sentence(struct doc *d, const char *P, const struct offmap *pm, size_t a,
			 size_t b, const char *split, int headline)
{
	size_t start = offmap_lookup(pm, a), end = offmap_lookup(pm, b);
	size_t len = b - a;
	if (!split && len >= REPEAT_MIN_BYTES && d->prev_text && d->prev_len == len &&
	    memcmp(d->prev_text, P + a, len) == 0) {
		d->c.removed_blocks++;
		return bp_spans_add(&d->joins, start, end, "repeat");
	}
	char *copy = realloc(d->prev_text, len ? len : 1);
	if (!copy)
		return -1;
	memcpy(copy, P + a, len);
	d->prev_text = copy;
	d->prev_len = len;

	char *key = NULL, *fold = NULL;
	size_t keylen, foldlen;
	int rc = -1;
	if (offmap_slice(pm, a, b, &d->smap) < 0 ||
	    text_key_mapped(d->lang, P + a, len, &d->smap, &key, &keylen, &d->kmap) < 0)
		goto out;
	if (d->lang == LANG_TR &&
	    text_fold_tr(key, keylen, &d->kmap, &fold, &foldlen, &d->fmap) < 0)
		goto out;
	if (d->nsent)
		PUTS(d, ",");
	PUTS(d, "{\"n\":");
	put_uint(d, d->nsent);
	PUTS(d, ",\"para\":");
	put_uint(d, d->npara);
	PUTS(d, ",\"start\":");
	put_uint(d, start);
	PUTS(d, ",\"end\":");
	put_uint(d, end);
	if (headline)
		PUTS(d, ",\"headline\":true");
	PUTS(d, ",\"text\":");
	put_str(d, P + a, len);
	PUTS(d, ",\"key\":");
	put_str(d, key, keylen);
	PUTS(d, ",\"map\":");
	put_map(d, &d->kmap);
	if (fold) {
		PUTS(d, ",\"fold\":");
		put_str(d, fold, foldlen);
		PUTS(d, ",\"fmap\":");
		put_map(d, &d->fmap);
	}
	if (split) {
		PUTS(d, ",\"split\":");
		put_str(d, split, strlen(split));
	}
	PUTS(d, "}");
	d->nsent++;
	d->c.sentences++;
	rc = d->failed ? -1 : 0;
out:
	free(key);
	free(fold);
	return rc;
}

/* A headline: the first paragraph, one short line that ends like a title (a word, ! or ?)
 * and has more text after it. */
static int is_headline(const struct doc *d, const struct para *p, const char *P, size_t Plen,
		       int last)
{
	if (last || d->npara != 0 || d->nsent != 0 || p->lines != 1 || Plen > HEADLINE_MAX_BYTES)
		return 0;
	char c = P[Plen - 1];
	return c != '.' && c != '"' && c != '\'' && c != ')' && c != ':' && c != ',' && c != ';';
}

static int flush_para(struct doc *d, struct para *p, int last)
{
	if (p->len == 0)
		return 0;
	char *P = NULL;
	size_t Plen;
	struct text_stats st = {0, 0};
	int rc = -1;
	if (text_clean_mapped(p->buf, p->len, &p->map, &P, &Plen, &d->pmap, &st) < 0)
		goto out;
	d->c.c1_fixed += st.c1_fixed;
	d->c.controls_removed += st.controls_removed;
	if (Plen == 0) {
		rc = 0;
		goto out;
	}
	int headline = is_headline(d, p, P, Plen, last);
	struct sentence_opts so = {d->lang, d->opts->max_sentence, headline};
	d->sl.n = 0;
	if (sentences_split(P, Plen, &so, &d->sl) < 0)
		goto out;
	for (size_t i = 0; i < d->sl.n; i++) {
		const struct sentence_span *sp = &d->sl.v[i];
		if (sp->split)
			d->c.split_long++;
		if (emit_sentence(d, P, &d->pmap, sp->start, sp->end, sp->split, headline) < 0)
			goto out;
	}
	d->npara++;
	rc = 0;
out:
	free(P);
	p->len = 0;
	p->lines = 0;
	offmap_clear(&p->map);
	return rc;
}

/* ---- the document ---- */

/* Append the kept pieces of line l (its trimmed content minus removed spans; a removed
 * span inside becomes a space). *k is the cursor into the sorted removed spans. */
static int append_line(struct doc *d, struct para *p, const struct line *l, size_t *k)
{
	const struct bp_spans *r = &d->removed;
	size_t x = l->ts, e = l->te;
	while (*k < r->n && r->v[*k].end <= x)
		(*k)++;
	for (size_t j = *k; x < e; j++) {
		size_t stop = j < r->n && r->v[j].start < e ? r->v[j].start : e;
		if (stop > x && para_append(p, d->t, x, stop) < 0)
			return -1;
		if (stop >= e)
			break;
		if (para_space(p, r->v[j].start) < 0)
			return -1;
		x = r->v[j].end > x ? r->v[j].end : x;
	}
	p->lines++;
	return 0;
}

static int kept_content(const struct bp_spans *r, size_t *k, const char *t, size_t s, size_t e)
{
	while (*k < r->n && r->v[*k].end <= s)
		(*k)++;
	size_t x = s;
	for (size_t j = *k; x < e; j++) {
		size_t stop = j < r->n && r->v[j].start < e ? r->v[j].start : e;
		for (size_t i = x; i < stop; i++)
			if (t[i] != ' ' && t[i] != '\t')
				return 1;
		if (stop >= e)
			break;
		x = r->v[j].end > x ? r->v[j].end : x;
	}
	return 0;
}

static int span_cmp(const void *a, const void *b)
{
	const struct bp_span *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start ? 1 : (x->end > y->end) - (x->end < y->end);
}

static size_t count_chars(const char *t, size_t s, size_t e)
{
	size_t c = 0;
	for (size_t i = s; i < e; i++)
		c += ((unsigned char)t[i] & 0xC0) != 0x80;
	return c;
}

static int build(struct doc *d)
{
	const char *t = d->t;
	size_t n = d->n;
	if (d->opts->bp && boilerplate_find(d->opts->bp, d->lang, t, n, &d->removed) < 0)
		return -1;
	d->c.removed_blocks = d->removed.n;

	/* lines and the blocks of consecutive kept lines */
	size_t nl = 0, cap = 64;
	struct line *L = malloc(cap * sizeof(*L));
	if (!L)
		return -1;
	size_t k = 0;
	for (size_t s = 0; s <= n;) {
		const char *nlp = memchr(t + s, '\n', n - s);
		size_t e = nlp ? (size_t)(nlp - t) : n;
		if (nl == cap) {
			struct line *v = realloc(L, 2 * cap * sizeof(*L));
			if (!v) {
				free(L);
				return -1;
			}
			L = v;
			cap *= 2;
		}
		struct line *l = &L[nl++];
		l->s = s;
		l->e = e;
		l->ts = s;
		l->te = e;
		text_trim(t, &l->ts, &l->te);
		l->kept = l->ts < l->te && kept_content(&d->removed, &k, t, l->ts, l->te);
		l->chars = count_chars(t, l->ts, l->te);
		if (!nlp)
			break;
		s = e + 1;
	}
	for (size_t i = 0; i < nl;) {
		if (!L[i].kept) {
			i++;
			continue;
		}
		size_t j = i, w = 0;
		for (; j < nl && L[j].kept; j++)
			w = L[j].chars > w ? L[j].chars : w;
		for (size_t x = i; x < j; x++)
			L[x].width = w;
		i = j;
	}

	struct para p = {NULL, 0, 0, OFFMAP_INIT, 0};
	int rc = -1;
	const struct line *prev = NULL;
	int blank_between = 0;
	k = 0;
	for (size_t i = 0; i < nl; i++) {
		const struct line *l = &L[i];
		if (!l->kept) {
			/* a removed line ends the paragraph; a blank line may be a page break */
			if (l->ts < l->te)
				prev = NULL;
			blank_between = 1;
			continue;
		}
		int join = 0, drop = 0;
		size_t hyph = 0;
		if (prev) {
			hyph = wrap_hyphen(t, prev->ts, prev->te);
			uint32_t first = first_char(t, l->ts, l->te);
			/* a line as wide as its neighbours was wrapped by a layout, unless it ends
			 * with an ellipsis: that is a headline in a list */
			int filled = prev->width >= WRAP_MIN_WIDTH && prev->width <= WRAP_MAX_WIDTH &&
				     prev->chars * 100 >= prev->width * WRAP_FILL_PERCENT &&
				     !ends_ellipsis(t, prev->ts, prev->te);
			if (!blank_between) {
				if (hyph && is_alnum_cp(first))
					join = 2;
				else if (filled || (is_lower_cp(first) && !ends_closed(t, prev->ts, prev->te)))
					join = 1;
			} else if (!ends_closed(t, prev->ts, prev->te) && is_lower_cp(first) &&
				   first < 0x250 && prev->chars >= WRAP_MIN_WIDTH) {
				join = 1; /* a page break inside a sentence */
			}
			if (join == 2)
				drop = !hyphen_belongs(t, n, prev, l, hyph);
		}
		if (!join) {
			if (flush_para(d, &p, 0) < 0)
				goto out;
		} else if (join == 1) {
			d->c.reflowed++;
			if (para_space(&p, prev->te) < 0)
				goto out;
		} else {
			d->c.reflowed++;
			if (drop) {
				d->c.dehyphenated++;
				para_truncate(&p, hyph);
				if (bp_spans_add(&d->joins, prev->te - hyph, l->ts, "hyphen") < 0)
					goto out;
			} else if (bp_spans_add(&d->joins, prev->te, l->ts, "wrap") < 0) {
				goto out;
			}
		}
		if (append_line(d, &p, l, &k) < 0)
			goto out;
		prev = l;
		blank_between = 0;
	}
	if (flush_para(d, &p, 1) < 0)
		goto out;
	for (size_t i = 0; i < d->joins.n; i++)
		if (bp_spans_add(&d->removed, d->joins.v[i].start, d->joins.v[i].end,
				 d->joins.v[i].reason) < 0)
			goto out;
	if (d->removed.n > 1)
		qsort(d->removed.v, d->removed.n, sizeof(*d->removed.v), span_cmp);
	rc = 0;
out:
	free(p.buf);
	offmap_release(&p.map);
	free(L);
	return rc;
}

int norm_document(const struct norm_opts *opts, enum olay_lang lang, const char *text, size_t n,
		  struct buf *out, struct norm_counts *c)
{
	struct doc d;
	memset(&d, 0, sizeof(d));
	d.opts = opts;
	d.lang = lang;
	d.t = text;
	d.n = n;
	d.out = out;
	bp_spans_init(&d.removed);
	bp_spans_init(&d.joins);
	sentence_list_init(&d.sl);
	size_t mark = out->len;
	PUTS(&d, "\"sentences\":[");
	int rc = build(&d);
	PUTS(&d, "],\"removed\":[");
	for (size_t i = 0; rc == 0 && i < d.removed.n; i++) {
		const struct bp_span *r = &d.removed.v[i];
		if (i)
			PUTS(&d, ",");
		PUTS(&d, "{\"start\":");
		put_uint(&d, r->start);
		PUTS(&d, ",\"end\":");
		put_uint(&d, r->end);
		PUTS(&d, ",\"reason\":");
		put_str(&d, r->reason, strlen(r->reason));
		PUTS(&d, "}");
	}
	static const char *const names[] = {"reflowed", "dehyphenated", "c1_fixed",
					    "controls_removed", "removed_blocks", "split_long"};
	size_t values[] = {d.c.reflowed, d.c.dehyphenated, d.c.c1_fixed, d.c.controls_removed,
			   d.c.removed_blocks, d.c.split_long};
	PUTS(&d, "],\"norm\":{");
	for (size_t i = 0; i < 6; i++) {
		if (i)
			PUTS(&d, ",");
		put_str(&d, names[i], strlen(names[i]));
		PUTS(&d, ":");
		put_uint(&d, values[i]);
	}
	PUTS(&d, "}");
	if (rc == 0 && d.failed)
		rc = -1;
	if (rc == 0 && c) {
		c->reflowed += d.c.reflowed;
		c->dehyphenated += d.c.dehyphenated;
		c->c1_fixed += d.c.c1_fixed;
		c->controls_removed += d.c.controls_removed;
		c->removed_blocks += d.c.removed_blocks;
		c->split_long += d.c.split_long;
		c->sentences += d.c.sentences;
	}
	if (rc < 0) {
		out->len = mark;
		if (out->p)
			out->p[mark] = '\0';
		errno = ENOMEM;
	}
	bp_spans_release(&d.removed);
	bp_spans_release(&d.joins);
	sentence_list_release(&d.sl);
	offmap_release(&d.pmap);
	offmap_release(&d.smap);
	offmap_release(&d.kmap);
	offmap_release(&d.fmap);
	free(d.prev_text);
	return rc;
}
