/* boilerplate.c: boilerplate rules (data) and the line-layout mechanisms (see boilerplate.h).
 *
 * Each language's patterns of one kind are compiled into one alternation, each branch
 * tagged with (*MARK:index), so a line costs one JIT match per kind however many patterns
 * there are; the mark names the rule, and so the reason. Line patterns only look at short
 * lines, because boilerplate lines are short and body paragraphs are not. */
#include "olay/boilerplate.h"
#include "olay/utf8.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pcre2.h>
#include <sys/stat.h>

#define LINE_MAX_BYTES 600   /* longer lines are never whole-line boilerplate */
#define LINK_MAX_BYTES 300   /* a link-list line: a headline, not a paragraph */
#define LINK_MAX_WORDS 25
#define LABEL_MAX_BYTES 80   /* a section label above a link list */
#define LABEL_MAX_WORDS 6
#define REPEAT_MIN_BYTES 16  /* a caption doubled inside one line: each half at least this */
#define SCRIPT_MIN_LETTERS 12

enum bp_kind { BP_LINE, BP_SPAN, BP_HEADER, BP_SCRIPT, BP_NKINDS };
enum bp_script { SCRIPT_LATIN, SCRIPT_ARABIC };

struct bp_rule {
	enum bp_kind kind;
	char *reason;
	char *where; /* "FILE:LINE" */
	char *pattern;
	enum bp_script script;
	int lang; /* enum olay_lang, or -1 for all.txt */
};

/* The combined patterns of a language. Whole-line and header patterns, and span patterns
 * written with a leading ^, are matched anchored at the line start: one attempt per line,
 * which matters because (*MARK) hides the anchor from PCRE2's own optimisation. */
enum { SET_LINE, SET_HEADER, SET_SPAN_START, SET_SPAN, NSETS };

struct bp_set {
	pcre2_code *re[NSETS]; /* combined patterns; NULL when the set has none */
	int only[NSETS];       /* the rule of a set of one, compiled without (*MARK); else -1 */
	int script_rule;       /* index of the script rule, or -1 */
};

struct boilerplate {
	struct bp_rule *rules;
	size_t n, cap;
	struct bp_set sets[4]; /* by enum olay_lang: all.txt + the language's file */
};

void bp_spans_init(struct bp_spans *s)
{
	s->v = NULL;
	s->n = s->cap = 0;
}

void bp_spans_release(struct bp_spans *s)
{
	free(s->v);
	bp_spans_init(s);
}

int bp_spans_add(struct bp_spans *s, size_t start, size_t end, const char *reason)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		struct bp_span *v = realloc(s->v, cap * sizeof(*v));
		if (!v) {
			errno = ENOMEM;
			return -1;
		}
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n].start = start;
	s->v[s->n].end = end;
	s->v[s->n].reason = reason;
	s->n++;
	return 0;
}

/* ---- loading ---- */

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *const kind_names[BP_NKINDS] = {"line", "span", "list-header", "script"};

/* Read one rule file into bp->rules with lang tag; a missing file is no error. */
static int load_file(struct boilerplate *bp, const char *dir, const char *name, int lang,
		     char *err, size_t errlen)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		return fail(err, errlen, "cannot open '%s': %s", path, strerror(errno));
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int lineno = 0, rc = 0;
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		size_t bad;
		if (!utf8_valid(line, (size_t)len, &bad)) {
			rc = fail(err, errlen, "%s:%d:%zu: not UTF-8", path, lineno, bad + 1);
			break;
		}
		char *p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#')
			continue;
		/* KIND REASON PATTERN: the pattern is the rest of the line */
		char *kind = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		char *kind_end = p;
		while (*p == ' ' || *p == '\t')
			p++;
		char *reason = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		char *reason_end = p;
		while (*p == ' ' || *p == '\t')
			p++;
		char *pattern = p;
		*kind_end = '\0';
		*reason_end = '\0';
		int k;
		for (k = 0; k < BP_NKINDS; k++)
			if (strcmp(kind, kind_names[k]) == 0)
				break;
		if (k == BP_NKINDS) {
			rc = fail(err, errlen,
				  "%s:%d: unknown kind '%s' (line, span, list-header or script)", path,
				  lineno, kind);
			break;
		}
		if (*reason == '\0' || *pattern == '\0') {
			rc = fail(err, errlen, "%s:%d: expected '%s REASON %s'", path, lineno, kind,
				  k == BP_SCRIPT ? "SCRIPT" : "PATTERN");
			break;
		}
		struct bp_rule r = {(enum bp_kind)k, NULL, NULL, NULL, SCRIPT_LATIN, lang};
		if (k == BP_SCRIPT) {
			if (strcmp(pattern, "latin") == 0)
				r.script = SCRIPT_LATIN;
			else if (strcmp(pattern, "arabic") == 0)
				r.script = SCRIPT_ARABIC;
			else {
				rc = fail(err, errlen, "%s:%d: unknown script '%s' (latin or arabic)",
					  path, lineno, pattern);
				break;
			}
		} else {
			int code;
			PCRE2_SIZE off;
			pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
						       PCRE2_UTF | PCRE2_UCP, &code, &off, NULL);
			if (!re) {
				PCRE2_UCHAR msg[256];
				pcre2_get_error_message(code, msg, sizeof msg);
				rc = fail(err, errlen, "%s:%d:%zu: bad pattern: %s", path, lineno,
					  (size_t)(pattern - line) + off + 1, (char *)msg);
				break;
			}
			uint32_t backrefs = 0;
			pcre2_pattern_info(re, PCRE2_INFO_BACKREFMAX, &backrefs);
			pcre2_code_free(re);
			if (backrefs) {
				rc = fail(err, errlen,
					  "%s:%d: back references are not allowed (patterns are combined)",
					  path, lineno);
				break;
			}
		}
		if (bp->n == bp->cap) {
			size_t ncap = bp->cap ? 2 * bp->cap : 64;
			struct bp_rule *v = realloc(bp->rules, ncap * sizeof(*v));
			if (!v) {
				rc = fail(err, errlen, "out of memory");
				break;
			}
			bp->rules = v;
			bp->cap = ncap;
		}
		char where[4200];
		snprintf(where, sizeof where, "%s:%d", path, lineno);
		r.reason = strdup(reason);
		r.where = strdup(where);
		r.pattern = strdup(pattern);
		if (!r.reason || !r.where || !r.pattern) {
			free(r.reason);
			free(r.where);
			free(r.pattern);
			rc = fail(err, errlen, "out of memory");
			break;
		}
		bp->rules[bp->n++] = r;
	}
	free(line);
	fclose(f);
	return rc;
}

/* Compile the rules of one kind that apply to language lang into one alternation. */
static int applies(const struct bp_rule *r, enum bp_kind kind, int lang)
{
	return r->kind == kind && (r->lang == -1 || r->lang == lang);
}

static int in_set(const struct bp_rule *r, int set, int lang)
{
	switch (set) {
	case SET_LINE: return applies(r, BP_LINE, lang);
	case SET_HEADER: return applies(r, BP_HEADER, lang);
	case SET_SPAN_START: return applies(r, BP_SPAN, lang) && r->pattern[0] == '^';
	default: return applies(r, BP_SPAN, lang) && r->pattern[0] != '^';
	}
}

static int compile_set(struct boilerplate *bp, int lang, int kind, pcre2_code **out,
		       int *only, char *err, size_t errlen)
{
	size_t size = 1, count = 0;
	for (size_t i = 0; i < bp->n; i++)
		if (in_set(&bp->rules[i], kind, lang)) {
			size += strlen(bp->rules[i].pattern) + 40;
			count++;
		}
	*out = NULL;
	*only = -1;
	if (count == 0)
		return 0;
	char *src = malloc(size), *p = src;
	if (!src)
		return fail(err, errlen, "out of memory");
	for (size_t i = 0; i < bp->n; i++)
		if (in_set(&bp->rules[i], kind, lang)) {
			if (count == 1) { /* alone: no mark, so PCRE2 keeps its start optimisations */
				p += sprintf(p, "%s", bp->rules[i].pattern);
				*only = (int)i;
			} else {
				p += sprintf(p, "%s(?:(*MARK:%zu)(?:%s))", p == src ? "" : "|", i,
					     bp->rules[i].pattern);
			}
		}
	int code;
	PCRE2_SIZE off;
	/* anchored at compile time: JIT does not take PCRE2_ANCHORED at match time */
	uint32_t anchored = kind == SET_SPAN ? 0 : PCRE2_ANCHORED;
	*out = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
			     PCRE2_UTF | PCRE2_UCP | anchored, &code, &off, NULL);
	free(src);
	if (!*out) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(code, msg, sizeof msg);
		return fail(err, errlen, "cannot combine the boilerplate patterns: %s", (char *)msg);
	}
	pcre2_jit_compile(*out, PCRE2_JIT_COMPLETE); /* without JIT it still works, slower */
	return 0;
}

int boilerplate_load(struct boilerplate **out, const char *dir, char *err, size_t errlen)
{
	static const char *const files[] = {"all.txt", "und.txt", "tr.txt", "ar.txt", "en.txt"};
	static const int file_lang[] = {-1, LANG_UND, LANG_TR, LANG_AR, LANG_EN};
	struct stat sb;
	*out = NULL;
	if (stat(dir, &sb) < 0 || !S_ISDIR(sb.st_mode))
		return fail(err, errlen, "cannot open boilerplate rules '%s': %s", dir,
			    stat(dir, &sb) < 0 ? strerror(errno) : "not a directory");
	struct boilerplate *bp = calloc(1, sizeof(*bp));
	if (!bp)
		return fail(err, errlen, "out of memory");
	int rc = 0;
	for (size_t f = 0; f < 5 && rc == 0; f++)
		rc = load_file(bp, dir, files[f], file_lang[f], err, errlen);
	for (int lang = 0; lang < 4 && rc == 0; lang++) {
		bp->sets[lang].script_rule = -1;
		for (int k = 0; k < NSETS && rc == 0; k++)
			rc = compile_set(bp, lang, k, &bp->sets[lang].re[k], &bp->sets[lang].only[k],
					 err, errlen);
		for (size_t i = 0; i < bp->n; i++)
			if (applies(&bp->rules[i], BP_SCRIPT, lang))
				bp->sets[lang].script_rule = (int)i;
	}
	if (rc < 0) {
		boilerplate_free(bp);
		return -1;
	}
	*out = bp;
	return 0;
}

void boilerplate_free(struct boilerplate *bp)
{
	if (!bp)
		return;
	for (size_t i = 0; i < bp->n; i++) {
		free(bp->rules[i].reason);
		free(bp->rules[i].where);
		free(bp->rules[i].pattern);
	}
	for (int l = 0; l < 4; l++)
		for (int k = 0; k < NSETS; k++)
			pcre2_code_free(bp->sets[l].re[k]);
	free(bp->rules);
	free(bp);
}

size_t boilerplate_count(const struct boilerplate *bp)
{
	return bp ? bp->n : 0;
}

/* ---- finding ---- */

struct bp_line {
	size_t s, e;   /* the line, without its line break */
	size_t ts, te; /* trimmed of white space; te is cut short by a doubled caption */
	size_t full_te; /* te before that cut */
	int blank;
	const char *reason; /* whole line removed */
};

static void trim(const char *t, size_t *s, size_t *e)
{
	text_trim(t, s, e);
}

static size_t count_words(const char *t, size_t s, size_t e)
{
	size_t w = 0;
	int in = 0;
	for (size_t i = s; i < e; i++) {
		int sp = t[i] == ' ' || t[i] == '\t';
		if (!sp && !in)
			w++;
		in = !sp;
	}
	return w;
}

static int ends_with(const char *t, size_t s, size_t e, const char *suffix)
{
	size_t l = strlen(suffix);
	return e - s >= l && memcmp(t + e - l, suffix, l) == 0;
}

static int ends_ellipsis(const char *t, size_t s, size_t e)
{
	return ends_with(t, s, e, "\xe2\x80\xa6") || ends_with(t, s, e, "...");
}

/* Ends like a sentence: . ! ? ؟ (not an ellipsis). */
static int ends_sentence(const char *t, size_t s, size_t e)
{
	if (e == s || ends_ellipsis(t, s, e))
		return 0;
	char c = t[e - 1];
	return c == '.' || c == '!' || c == '?' || ends_with(t, s, e, "\xd8\x9f");
}

/* A line that could be a link in a list: a short headline, not a sentence. */
static int link_like(const char *t, const struct bp_line *l)
{
	return !l->blank && !l->reason && l->te - l->ts <= LINK_MAX_BYTES &&
	       count_words(t, l->ts, l->te) <= LINK_MAX_WORDS && !ends_sentence(t, l->ts, l->te);
}

static int label_like(const char *t, const struct bp_line *l)
{
	return link_like(t, l) && l->te - l->ts <= LABEL_MAX_BYTES &&
	       count_words(t, l->ts, l->te) <= LABEL_MAX_WORDS && !ends_ellipsis(t, l->ts, l->te);
}

/* Letters of the line in the script, and all letters. */
static int mostly_script(const char *t, size_t s, size_t e, enum bp_script script)
{
	size_t letters = 0, in = 0, most_out = (e - s) / 10 + 1;
	for (size_t i = s; i < e && letters - in < most_out;) {
		uint32_t cp;
		int l = utf8_decode(t, e, i, &cp);
		if (l == 0) {
			i++;
			continue;
		}
		i += (size_t)l;
		int latin = cp < 0x80 ? ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')
				      : ((cp >= 0xC0 && cp < 0x250 && cp != 0xD7 && cp != 0xF7) ||
					 (cp >= 0x1E00 && cp <= 0x1EFF));
		int arabic = (cp >= 0x620 && cp <= 0x64A) || (cp >= 0x66E && cp <= 0x6D3) ||
			     (cp >= 0x750 && cp <= 0x77F) || (cp >= 0x8A0 && cp <= 0x8C9) ||
			     (cp >= 0xFB50 && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFC);
		if (latin || arabic)
			letters++;
		if ((script == SCRIPT_LATIN && latin) || (script == SCRIPT_ARABIC && arabic))
			in++;
	}
	/* (letters are at most the bytes, so past most_out others the line cannot qualify) */
	return letters >= SCRIPT_MIN_LETTERS && in * 10 >= letters * 9;
}

/* The rule that matched: the set's only rule, or the one its (*MARK) names. */
static const struct bp_rule *marked(const struct boilerplate *bp, const struct bp_set *set,
				    int kind, pcre2_match_data *md)
{
	if (set->only[kind] >= 0)
		return &bp->rules[set->only[kind]];
	PCRE2_SPTR mark = pcre2_get_mark(md);
	if (!mark)
		return NULL;
	size_t i = strtoul((const char *)mark, NULL, 10);
	return i < bp->n ? &bp->rules[i] : NULL;
}

static int span_cmp(const void *a, const void *b)
{
	const struct bp_span *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

static int match(const pcre2_code *re, const char *t, size_t s, size_t e, size_t from,
		 pcre2_match_data *md, uint32_t options)
{
	return pcre2_match(re, (PCRE2_SPTR)(t + s), e - s, from - s, PCRE2_NO_UTF_CHECK | options,
			   md, NULL);
}

int boilerplate_find(const struct boilerplate *bp, enum olay_lang lang, const char *t, size_t n,
		     struct bp_spans *out)
{
	const struct bp_set *set = &bp->sets[lang < 4 ? lang : 0];
	size_t nl = 0, cap = 64;
	struct bp_line *lines = malloc(cap * sizeof(*lines));
	struct bp_spans inl;
	bp_spans_init(&inl);
	pcre2_match_data *md = pcre2_match_data_create(32, NULL);
	int rc = -1;
	if (!lines || !md)
		goto done;

	for (size_t s = 0; s <= n;) {
		const char *nlp = memchr(t + s, '\n', n - s);
		size_t e = nlp ? (size_t)(nlp - t) : n;
		if (nl == cap) {
			cap *= 2;
			struct bp_line *v = realloc(lines, cap * sizeof(*v));
			if (!v)
				goto done;
			lines = v;
		}
		struct bp_line *l = &lines[nl++];
		l->s = s;
		l->e = e;
		l->ts = s;
		l->te = e;
		trim(t, &l->ts, &l->te);
		l->full_te = l->te;
		l->blank = l->ts == l->te;
		l->reason = NULL;
		if (!nlp)
			break;
		s = e + 1;
	}

	const char *prev_content = NULL;
	size_t prev_len = 0;
	for (size_t i = 0; i < nl; i++) {
		struct bp_line *l = &lines[i];
		if (l->blank)
			continue;
		/* a caption doubled inside the line: X X, X(AA)X(AA) */
		size_t len = l->te - l->ts;
		for (size_t sep = 0; sep <= 2 && len <= 2 * LINE_MAX_BYTES; sep++) {
			if (len < 2 * REPEAT_MIN_BYTES + sep || (len - sep) % 2)
				continue;
			size_t h = (len - sep) / 2;
			if (memcmp(t + l->ts, t + l->ts + h + sep, h) == 0 &&
			    (sep == 0 || t[l->ts + h] == ' ') && (sep < 2 || t[l->ts + h + 1] == ' ')) {
				if (bp_spans_add(&inl, l->ts + h + sep, l->te, "repeat") < 0)
					goto done;
				l->te = l->ts + h;
				trim(t, &l->ts, &l->te);
				break;
			}
		}
		/* the same line again, back to back (blank lines between do not count) */
		if (prev_content && prev_len == l->te - l->ts && prev_len >= 10 &&
		    memcmp(prev_content, t + l->ts, prev_len) == 0) {
			l->reason = "repeat";
			continue;
		}
		prev_content = t + l->ts;
		prev_len = l->te - l->ts;
		if (l->te - l->ts <= LINE_MAX_BYTES && set->re[SET_LINE] &&
		    match(set->re[SET_LINE], t, l->ts, l->te, l->ts, md, 0) >= 0) {
			const struct bp_rule *r = marked(bp, set, SET_LINE, md);
			l->reason = r ? r->reason : "boilerplate";
			continue;
		}
		if (set->script_rule >= 0 &&
		    mostly_script(t, l->ts, l->te, bp->rules[set->script_rule].script)) {
			l->reason = bp->rules[set->script_rule].reason;
			continue;
		}
		if (set->re[SET_SPAN] || set->re[SET_SPAN_START]) {
			size_t from = l->ts, first = inl.n;
			int at_start = set->re[SET_SPAN_START] != NULL;
			while (from < l->te) {
				int which = at_start ? SET_SPAN_START : SET_SPAN;
				if (at_start) {
					at_start = 0;
					if (match(set->re[SET_SPAN_START], t, l->ts, l->te, from, md, 0) < 0)
						continue;
				} else if (!set->re[SET_SPAN] ||
					   match(set->re[SET_SPAN], t, l->ts, l->te, from, md, 0) < 0) {
					break;
				}
				PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
				size_t ms = l->ts + ov[0], me = l->ts + ov[1];
				const struct bp_rule *r = marked(bp, set, which, md);
				if (me > ms) {
					size_t a = ms, b = me;
					trim(t, &a, &b);
					if (b > a && bp_spans_add(&inl, a, b, r ? r->reason : "boilerplate") < 0)
						goto done;
				}
				from = me > ms ? me : ms + 1;
			}
			/* spans that leave nothing of the line: the whole line goes */
			if (inl.n > first) {
				int only_space = 1;
				for (size_t x = l->ts, k = first; x < l->te; x++) {
					while (k < inl.n && inl.v[k].end <= x)
						k++;
					if (k < inl.n && x >= inl.v[k].start)
						continue;
					if (t[x] != ' ' && t[x] != '\t')
						only_space = 0;
				}
				if (only_space) {
					l->reason = inl.v[first].reason;
					inl.n = first;
				}
			}
		}
		if (!l->reason && set->re[SET_HEADER] && l->te - l->ts <= LINE_MAX_BYTES &&
		    match(set->re[SET_HEADER], t, l->ts, l->te, l->ts, md, 0) >= 0) {
			/* a list header: it and every link-like line after it */
			const struct bp_rule *r = marked(bp, set, SET_HEADER, md);
			l->reason = r ? r->reason : "related";
			size_t j = i + 1;
			for (; j < nl; j++) {
				if (lines[j].blank)
					continue;
				if (!link_like(t, &lines[j]))
					break;
				/* a line a line rule knows (a credit, an ad) ends the list */
				if (set->re[SET_LINE] && lines[j].te - lines[j].ts <= LINE_MAX_BYTES &&
				    match(set->re[SET_LINE], t, lines[j].ts, lines[j].te, lines[j].ts, md, 0) >= 0)
					break;
				lines[j].reason = l->reason;
			}
			i = j - 1;
		}
	}

	/* link lists without a header: runs of link-like lines, mostly cut off with an
	 * ellipsis, and the short label above them */
	for (size_t i = 0; i < nl;) {
		if (!link_like(t, &lines[i])) {
			i++;
			continue;
		}
		size_t j = i, ell = 0;
		while (j < nl && link_like(t, &lines[j])) {
			ell += ends_ellipsis(t, lines[j].ts, lines[j].te);
			j++;
		}
		if (j - i >= 3 && ell >= 2 && 2 * ell >= j - i) {
			for (size_t k = i; k < j; k++)
				lines[k].reason = "related";
			size_t h = i;
			while (h > 0 && lines[h - 1].blank)
				h--;
			if (h > 0 && label_like(t, &lines[h - 1]) && (h == 1 || lines[h - 2].blank || lines[h - 2].reason))
				lines[h - 1].reason = "related";
		}
		i = j;
	}

	/* Output: whole-line removals merged over blank lines, and the inline spans. */
	if (inl.n > 1)
		qsort(inl.v, inl.n, sizeof(*inl.v), span_cmp);
	size_t k = 0;
	for (size_t i = 0; i < nl; i++) {
		while (k < inl.n && inl.v[k].start < lines[i].s) {
			if (bp_spans_add(out, inl.v[k].start, inl.v[k].end, inl.v[k].reason) < 0)
				goto done;
			k++;
		}
		if (!lines[i].reason)
			continue;
		size_t j = i, last = i;
		while (j + 1 < nl && (lines[j + 1].blank || lines[j + 1].reason == lines[i].reason ||
				      (lines[j + 1].reason && strcmp(lines[j + 1].reason, lines[i].reason) == 0))) {
			j++;
			if (!lines[j].blank)
				last = j;
		}
		/* drop inline spans inside a removed line */
		while (k < inl.n && inl.v[k].start < lines[last].e)
			k++;
		if (bp_spans_add(out, lines[i].ts, lines[last].full_te, lines[i].reason) < 0)
			goto done;
		i = last;
	}
	for (; k < inl.n; k++)
		if (bp_spans_add(out, inl.v[k].start, inl.v[k].end, inl.v[k].reason) < 0)
			goto done;
	rc = 0;
done:
	if (rc < 0)
		errno = ENOMEM;
	free(lines);
	bp_spans_release(&inl);
	pcre2_match_data_free(md);
	return rc;
}
