/* rules.c: parse the rule files of docs/RULES.md into plain data, with diagnostics. */
#include "olay/rules.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *const rl_lang_codes[RL_NLANG] = {"tr", "ar", "en"};

int rl_lang_index(const char *code)
{
	if (!code)
		return -1;
	if (strcmp(code, "tr") == 0)
		return RL_TR;
	if (strcmp(code, "ar") == 0)
		return RL_AR;
	if (strcmp(code, "en") == 0 || strcmp(code, "und") == 0)
		return RL_EN;
	return -1;
}

void diags_add(struct diags *d, const char *file, int line, int col, const char *fmt, ...)
{
	char msg[2048];
	int n;
	if (line > 0 && col > 0)
		n = snprintf(msg, sizeof msg, "%s:%d:%d: ", file, line, col);
	else if (line > 0)
		n = snprintf(msg, sizeof msg, "%s:%d: ", file, line);
	else
		n = snprintf(msg, sizeof msg, "%s: ", file);
	if (n < 0 || (size_t)n >= sizeof msg)
		n = 0;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
	va_end(ap);
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		char **m = realloc(d->msgs, cap * sizeof(*m));
		if (!m)
			return; /* the message is lost, but d->n > 0 already says something is wrong */
		d->msgs = m;
		d->cap = cap;
	}
	char *s = strdup(msg);
	if (s)
		d->msgs[d->n++] = s;
}

void diags_release(struct diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->msgs[i]);
	free(d->msgs);
	memset(d, 0, sizeof(*d));
}

int rl_parse_date(const char *s, size_t n)
{
	if (n != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	int v[3] = {0, 0, 0}, k = 0;
	for (size_t i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			k++;
			continue;
		}
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v[k] = v[k] * 10 + (s[i] - '0');
	}
	if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31)
		return -1;
	return v[0] * 10000 + v[1] * 100 + v[2];
}

/* --- small helpers ------------------------------------------------------------------ */

#define GROW(arr, n, extra)                                                         \
	do {                                                                        \
		void *p_ = realloc((arr), ((n) + (extra)) * sizeof(*(arr)));        \
		if (!p_)                                                            \
			return -1;                                                  \
		(arr) = p_;                                                         \
		memset((arr) + (n), 0, (extra) * sizeof(*(arr)));                   \
	} while (0)

static int col_of(const char *line, const char *p)
{
	int col = 1;
	for (const char *q = line; q < p; q++)
		if (((unsigned char)*q & 0xC0) != 0x80)
			col++;
	return col;
}

static char *dupn(const char *s, size_t n)
{
	char *r = malloc(n + 1);
	if (r) {
		memcpy(r, s, n);
		r[n] = '\0';
	}
	return r;
}

static void trim(const char **s, const char **e)
{
	while (*s < *e && isspace((unsigned char)**s))
		(*s)++;
	while (*e > *s && isspace((unsigned char)(*e)[-1]))
		(*e)--;
}

static int list_add(struct rl_list *l, const char *s, size_t n, int line, int col)
{
	GROW(l->v, l->n, 1);
	l->v[l->n].s = dupn(s, n);
	if (!l->v[l->n].s)
		return -1;
	l->v[l->n].line = line;
	l->v[l->n].col = col;
	l->n++;
	return 0;
}

/* A `a | b | c` list: items trimmed, empty items reported. */
static int list_parse(struct rl_list *l, const char *file, const char *line, int lineno,
		      const char *v, const char *end, struct diags *d)
{
	const char *p = v;
	if (end - v >= 2 && *v == '/' && end[-1] == '/') /* a /regex/ is one item, '|' and all */
		return list_add(l, v, (size_t)(end - v), lineno, col_of(line, v));
	for (;;) {
		const char *bar = p;
		while (bar < end && *bar != '|')
			bar++;
		const char *s = p, *e = bar;
		trim(&s, &e);
		if (s == e)
			diags_add(d, file, lineno, col_of(line, s), "empty item in a list");
		else if (list_add(l, s, (size_t)(e - s), lineno, col_of(line, s)))
			return -1;
		if (bar >= end)
			break;
		p = bar + 1;
	}
	return 0;
}

static void list_release(struct rl_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].s);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* `key.tr` -> base "key" and lang; returns lang index, -1 when no language suffix, -2 bad */
static int split_lang(const char *k, size_t kn, size_t *basen)
{
	for (size_t i = 0; i < kn; i++)
		if (k[i] == '.') {
			char code[8];
			size_t cn = kn - i - 1;
			if (cn >= sizeof code)
				return -2;
			memcpy(code, k + i + 1, cn);
			code[cn] = '\0';
			*basen = i;
			int l = rl_lang_index(code);
			return l < 0 || strcmp(code, "und") == 0 ? -2 : l;
		}
	*basen = kn;
	int l;
	char code[8];
	if (kn < sizeof code) {
		memcpy(code, k, kn);
		code[kn] = '\0';
		l = rl_lang_index(code);
		if (l >= 0 && strcmp(code, "und") != 0) {
			*basen = 0;
			return l;
		}
	}
	return -1;
}

static int keyis(const char *k, size_t kn, const char *w)
{
	return strlen(w) == kn && memcmp(k, w, kn) == 0;
}

static int set_string(char **dst, const char *file, int lineno, int col, const char *v,
		      const char *end, const char *what, struct diags *d)
{
	if (*dst) {
		diags_add(d, file, lineno, col, "'%s' given twice", what);
		free(*dst);
	}
	*dst = dupn(v, (size_t)(end - v));
	return *dst ? 0 : -1;
}

static int is_id(const char *s, const char *e)
{
	if (s == e)
		return 0;
	for (; s < e; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '.' && *s != '-')
			return 0;
	return 1;
}

/* `[TURGOV 2014-08-29..2023-06-04] [TURSPY 2010-05-27..]` */
static int parse_roles(struct rl_actor *a, const char *file, const char *line, int lineno,
		       const char *p, const char *end, struct diags *d)
{
	while (p < end) {
		while (p < end && isspace((unsigned char)*p))
			p++;
		if (p >= end)
			break;
		const char *start = p;
		if (*p != '[') {
			diags_add(d, file, lineno, col_of(line, p), "expected '[CODE FROM..TO]'");
			return 0;
		}
		const char *close = memchr(p, ']', (size_t)(end - p));
		if (!close) {
			diags_add(d, file, lineno, col_of(line, p), "missing ']'");
			return 0;
		}
		p++;
		const char *cs = p;
		while (p < close && !isspace((unsigned char)*p))
			p++;
		size_t cn = (size_t)(p - cs);
		while (p < close && isspace((unsigned char)*p))
			p++;
		const char *dots = strstr(p, "..");
		struct rl_role r;
		memset(&r, 0, sizeof r);
		if (cn == 0 || cn >= sizeof r.code || !dots || dots > close) {
			diags_add(d, file, lineno, col_of(line, start),
				  "expected '[CODE FROM..TO]' with dates YYYY-MM-DD");
			p = close + 1;
			continue;
		}
		memcpy(r.code, cs, cn);
		r.from = dots == p ? 0 : rl_parse_date(p, (size_t)(dots - p));
		r.to = dots + 2 == close ? 0 : rl_parse_date(dots + 2, (size_t)(close - dots - 2));
		if (r.from < 0 || r.to < 0) {
			diags_add(d, file, lineno, col_of(line, start),
				  "bad date in role (want YYYY-MM-DD)");
		} else if (r.from && r.to && r.from > r.to) {
			diags_add(d, file, lineno, col_of(line, start), "role ends before it starts");
		} else {
			GROW(a->roles, a->nroles, 1);
			a->roles[a->nroles++] = r;
		}
		p = close + 1;
	}
	return 0;
}

static int parse_example(struct rl_rule *r, const char *file, const char *line, int lineno,
			 const char *v, const char *end, struct diags *d)
{
	struct rl_example ex;
	memset(&ex, 0, sizeof ex);
	ex.line = lineno;
	ex.col = col_of(line, v);
	ex.date = 20200101;
	if (*v == '@') {
		const char *sp = v;
		while (sp < end && !isspace((unsigned char)*sp))
			sp++;
		ex.date = rl_parse_date(v + 1, (size_t)(sp - v - 1));
		if (ex.date < 0) {
			diags_add(d, file, lineno, col_of(line, v), "bad example date (want @YYYY-MM-DD)");
			return 0;
		}
		v = sp;
		while (v < end && isspace((unsigned char)*v))
			v++;
	}
	const char *arrow = NULL;
	for (const char *q = v; q + 2 <= end; q++)
		if (q[0] == '=' && q[1] == '>')
			arrow = q;
	if (!arrow) {
		diags_add(d, file, lineno, ex.col, "example without '=> EXPECT'");
		return 0;
	}
	const char *ss = v, *se = arrow;
	trim(&ss, &se);
	if (ss == se) {
		diags_add(d, file, lineno, ex.col, "example without a sentence");
		return 0;
	}
	const char *p = arrow + 2, *e = end;
	trim(&p, &e);
	if ((size_t)(e - p) == 4 && memcmp(p, "none", 4) == 0) {
		/* nothing expected */
	} else {
		while (p < e) {
			const char *semi = memchr(p, ';', (size_t)(e - p));
			const char *ie = semi ? semi : e, *is = p;
			trim(&is, &ie);
			char buf[128];
			size_t bn = (size_t)(ie - is);
			struct rl_expect x;
			memset(&x, 0, sizeof x);
			char extra[8];
			if (bn >= sizeof buf) {
				diags_add(d, file, lineno, col_of(line, is), "expectation too long");
				return 0;
			}
			memcpy(buf, is, bn);
			buf[bn] = '\0';
			if (sscanf(buf, "%31s %7s %31s %7s", x.src, x.code, x.tgt, extra) != 3) {
				diags_add(d, file, lineno, col_of(line, is),
					  "expectation '%s' is not 'SOURCE CODE TARGET' or 'none'", buf);
				return 0;
			}
			GROW(ex.expect, ex.nexpect, 1);
			ex.expect[ex.nexpect++] = x;
			p = semi ? semi + 1 : e;
		}
	}
	ex.sentence = dupn(ss, (size_t)(se - ss));
	if (!ex.sentence)
		return -1;
	GROW(r->examples, r->nexamples, 1);
	r->examples[r->nexamples++] = ex;
	return 0;
}

enum block { B_NONE, B_ACTOR, B_AGENT, B_PLACE, B_RULE, B_LANGUAGE, B_SKIP };

struct parser {
	struct ruleset *rs;
	const char *file;
	int lang; /* of an events file */
	enum block block;
	struct diags *d;
};

static int regex_value(struct rl_str *dst, const char *file, const char *line, int lineno,
		       const char *v, const char *end, struct diags *d)
{
	if (end - v < 2 || *v != '/' || end[-1] != '/') {
		diags_add(d, file, lineno, col_of(line, v), "expected a /regex/");
		return 0;
	}
	free(dst->s);
	dst->s = dupn(v + 1, (size_t)(end - v - 2));
	dst->line = lineno;
	dst->col = col_of(line, v);
	return dst->s ? 0 : -1;
}

static int property(struct parser *ps, const char *line, int lineno, const char *k,
		    size_t kn, const char *v, const char *end)
{
	struct ruleset *rs = ps->rs;
	const char *file = ps->file;
	struct diags *d = ps->d;
	int col = col_of(line, k), vcol = col_of(line, v);
	size_t basen;
	int lang = split_lang(k, kn, &basen);
	if (lang == -2) {
		diags_add(d, file, lineno, col, "unknown language in '%.*s'", (int)kn, k);
		return 0;
	}
	if (v == end && !(ps->block == B_RULE && keyis(k, kn, "symmetric"))) {
		diags_add(d, file, lineno, col, "'%.*s' without a value", (int)kn, k);
		return 0;
	}
	switch (ps->block) {
	case B_ACTOR: {
		struct rl_actor *a = &rs->actors[rs->nactors - 1];
		if (lang >= 0 && basen == 0)
			return list_parse(&a->names[lang], file, line, lineno, v, end, d);
		if (lang >= 0 && keyis(k, basen, "adj"))
			return list_parse(&a->adj[lang], file, line, lineno, v, end, d);
		if (lang >= 0 && keyis(k, basen, "seat"))
			return list_parse(&a->seat[lang], file, line, lineno, v, end, d);
		if (keyis(k, kn, "type")) {
			static const char *types[] = {"state", "igo", "group", "person", "org"};
			int ok = 0;
			for (size_t i = 0; i < 5; i++)
				ok |= keyis(v, (size_t)(end - v), types[i]);
			if (!ok)
				diags_add(d, file, lineno, vcol,
					  "unknown actor type '%.*s' (state, igo, group, person, org)",
					  (int)(end - v), v);
			return set_string(&a->type, file, lineno, col, v, end, "type", d);
		}
		if (keyis(k, kn, "code"))
			return set_string(&a->code, file, lineno, col, v, end, "code", d);
		if (keyis(k, kn, "country")) {
			if (end - v != 3 || !isupper((unsigned char)v[0]))
				diags_add(d, file, lineno, vcol, "country must be ISO 3166 alpha-3");
			return set_string(&a->country, file, lineno, col, v, end, "country", d);
		}
		if (keyis(k, kn, "group"))
			return set_string(&a->group, file, lineno, col, v, end, "group", d);
		if (keyis(k, kn, "roles"))
			return parse_roles(a, file, line, lineno, v, end, d);
		break;
	}
	case B_AGENT: {
		struct rl_agent *a = &rs->agents[rs->nagents - 1];
		if (lang >= 0 && basen == 0)
			return list_parse(&a->names[lang], file, line, lineno, v, end, d);
		break;
	}
	case B_PLACE: {
		struct rl_place *p = &rs->places[rs->nplaces - 1];
		if (lang >= 0 && basen == 0)
			return list_parse(&p->names[lang], file, line, lineno, v, end, d);
		if (keyis(k, kn, "type"))
			return set_string(&p->type, file, lineno, col, v, end, "type", d);
		if (keyis(k, kn, "country"))
			return set_string(&p->country, file, lineno, col, v, end, "country", d);
		if (keyis(k, kn, "lat") || keyis(k, kn, "lon")) {
			char buf[64], *e;
			size_t n = (size_t)(end - v) < sizeof buf - 1 ? (size_t)(end - v) : sizeof buf - 1;
			memcpy(buf, v, n);
			buf[n] = '\0';
			double x = strtod(buf, &e);
			int lat = k[1] == 'a';
			if (*e || e == buf || (lat ? (x < -90 || x > 90) : (x < -180 || x > 180))) {
				diags_add(d, file, lineno, vcol, "bad %s '%s'", lat ? "latitude" : "longitude", buf);
				return 0;
			}
			if (lat) {
				p->lat = x;
				p->has_lat = 1;
			} else {
				p->lon = x;
				p->has_lon = 1;
			}
			return 0;
		}
		break;
	}
	case B_RULE: {
		struct rl_rule *r = &rs->rules[rs->nrules - 1];
		if (keyis(k, kn, "code")) {
			r->code_line = lineno;
			r->code_col = vcol;
			return set_string(&r->code, file, lineno, col, v, end, "code", d);
		}
		if (keyis(k, kn, "intent")) {
			r->intent_line = lineno;
			r->intent_col = vcol;
			return set_string(&r->intent, file, lineno, col, v, end, "intent", d);
		}
		if (keyis(k, kn, "symmetric")) {
			r->symmetric = 1;
			return 0;
		}
		if (keyis(k, kn, "gap")) {
			int g = atoi(v);
			if (g < 0 || g > 30)
				diags_add(d, file, lineno, vcol, "gap must be 0..30");
			else
				r->gap = g;
			return 0;
		}
		if (keyis(k, kn, "pattern"))
			return list_add(&r->patterns, v, (size_t)(end - v), lineno, vcol);
		if (keyis(k, kn, "example"))
			return parse_example(r, file, line, lineno, v, end, d);
		break;
	}
	case B_LANGUAGE: {
		struct rl_language *l = &rs->lang[ps->lang];
		if (keyis(k, kn, "negation-suffix"))
			return regex_value(&l->negation_suffix, file, line, lineno, v, end, d);
		if (keyis(k, kn, "future-suffix"))
			return regex_value(&l->future_suffix, file, line, lineno, v, end, d);
		if (keyis(k, kn, "negation-word"))
			return list_parse(&l->negation_word, file, line, lineno, v, end, d);
		if (keyis(k, kn, "future-prefix"))
			return list_parse(&l->future_prefix, file, line, lineno, v, end, d);
		if (keyis(k, kn, "future-word"))
			return list_parse(&l->future_word, file, line, lineno, v, end, d);
		if (keyis(k, kn, "modal-word"))
			return list_parse(&l->modal_word, file, line, lineno, v, end, d);
		if (keyis(k, kn, "speech-verb"))
			return list_parse(&l->speech_verb, file, line, lineno, v, end, d);
		if (keyis(k, kn, "gap")) {
			int g = atoi(v);
			if (g < 0 || g > 30)
				diags_add(d, file, lineno, vcol, "gap must be 0..30");
			else
				l->gap = g;
			return 0;
		}
		break;
	}
	case B_NONE:
		diags_add(d, file, lineno, col, "property outside a block");
		return 0;
	case B_SKIP:
		return 0;
	}
	diags_add(d, file, lineno, col, "unknown property '%.*s'", (int)kn, k);
	return 0;
}

static int block_start(struct parser *ps, const char *line, int lineno, const char *k,
		       size_t kn, const char *v, const char *end, const char *kind)
{
	struct ruleset *rs = ps->rs;
	const char *file = ps->file;
	struct diags *d = ps->d;
	int vcol = col_of(line, v);
	const char *w = v; /* first word of the value */
	while (w < end && !isspace((unsigned char)*w))
		w++;
	const char *rest = w;
	while (rest < end && isspace((unsigned char)*rest))
		rest++;
	int events = strcmp(kind, "rules") == 0;
	ps->block = B_SKIP;
	if (keyis(k, kn, "actor") && strcmp(kind, "actors") == 0) {
		if (!is_id(v, w) || rest != end) {
			diags_add(d, file, lineno, vcol, "actor id must be one word of [A-Za-z0-9_.-]");
			return 0;
		}
		GROW(rs->actors, rs->nactors, 1);
		struct rl_actor *a = &rs->actors[rs->nactors++];
		a->id = dupn(v, (size_t)(w - v));
		a->file = file;
		a->line = lineno;
		ps->block = B_ACTOR;
		return a->id ? 0 : -1;
	}
	if (keyis(k, kn, "agent") && strcmp(kind, "agents") == 0) {
		if (v == w) {
			diags_add(d, file, lineno, vcol, "agent without a role code");
			return 0;
		}
		GROW(rs->agents, rs->nagents, 1);
		struct rl_agent *a = &rs->agents[rs->nagents++];
		a->role = dupn(v, (size_t)(w - v));
		a->label = dupn(rest, (size_t)(end - rest));
		a->file = file;
		a->line = lineno;
		ps->block = B_AGENT;
		return a->role && a->label ? 0 : -1;
	}
	if (keyis(k, kn, "place") && strcmp(kind, "places") == 0) {
		if (!is_id(v, w) || rest != end) {
			diags_add(d, file, lineno, vcol, "place id must be one word of [A-Za-z0-9_.-]");
			return 0;
		}
		GROW(rs->places, rs->nplaces, 1);
		struct rl_place *p = &rs->places[rs->nplaces++];
		p->id = dupn(v, (size_t)(w - v));
		p->file = file;
		p->line = lineno;
		ps->block = B_PLACE;
		return p->id ? 0 : -1;
	}
	if (keyis(k, kn, "rule") && events) {
		if (!is_id(v, w) || rest != end) {
			diags_add(d, file, lineno, vcol, "rule id must be one word of [A-Za-z0-9_.-]");
			return 0;
		}
		GROW(rs->rules, rs->nrules, 1);
		struct rl_rule *r = &rs->rules[rs->nrules++];
		r->id = dupn(v, (size_t)(w - v));
		r->file = file;
		r->line = lineno;
		r->lang = ps->lang;
		r->gap = -1;
		ps->block = B_RULE;
		return r->id ? 0 : -1;
	}
	if (keyis(k, kn, "set") && events) {
		/* set &name = alternatives */
		ps->block = B_NONE;
		const char *eq = memchr(v, '=', (size_t)(end - v));
		const char *ns = v, *ne = eq ? eq : end;
		trim(&ns, &ne);
		if (!eq || ns == ne || *ns != '&' || !is_id(ns + 1, ne)) {
			diags_add(d, file, lineno, vcol, "expected 'set &name = a | b c | ...'");
			return 0;
		}
		const char *ts = eq + 1, *te = end;
		trim(&ts, &te);
		if (ts == te) {
			diags_add(d, file, lineno, col_of(line, eq), "empty set");
			return 0;
		}
		GROW(rs->sets, rs->nsets, 1);
		struct rl_set *s = &rs->sets[rs->nsets++];
		s->name = dupn(ns + 1, (size_t)(ne - ns - 1));
		s->text = dupn(ts, (size_t)(te - ts));
		s->lang = ps->lang;
		s->file = file;
		s->line = lineno;
		s->col = col_of(line, ts);
		return s->name && s->text ? 0 : -1;
	}
	if (keyis(k, kn, "language") && events) {
		char code[8] = "";
		if ((size_t)(w - v) < sizeof code)
			memcpy(code, v, (size_t)(w - v));
		int l = rl_lang_index(code);
		if (w != end || l < 0 || l != ps->lang) {
			diags_add(d, file, lineno, vcol, "'language %.*s' does not name this directory's language '%s'",
				  (int)(end - v), v, ps->lang >= 0 ? rl_lang_codes[ps->lang] : "?");
			return 0;
		}
		struct rl_language *lg = &rs->lang[l];
		if (lg->defined) {
			diags_add(d, file, lineno, 1, "language '%s' already defined at %s:%d",
				  rl_lang_codes[l], lg->file, lg->line);
			return 0;
		}
		lg->defined = 1;
		lg->file = file;
		lg->line = lineno;
		ps->block = B_LANGUAGE;
		return 0;
	}
	diags_add(d, file, lineno, 1, "unknown block '%.*s' in a .%s file", (int)kn, k, kind);
	return 0;
}

int ruleset_parse(struct ruleset *rs, const char *file, const char *text, const char *kind,
		  int lang, struct diags *d)
{
	struct parser ps = {rs, file, lang, B_NONE, d};
	const char *p = text;
	int lineno = 0;
	while (*p) {
		const char *nl = strchr(p, '\n');
		const char *eol = nl ? nl : p + strlen(p);
		lineno++;
		const char *line = p;
		/* a comment starts with '#' at the line start or after white space */
		const char *end = eol;
		for (const char *q = line; q < eol; q++)
			if (*q == '#' && (q == line || isspace((unsigned char)q[-1]))) {
				end = q;
				break;
			}
		while (end > line && isspace((unsigned char)end[-1]))
			end--;
		p = nl ? nl + 1 : eol;
		if (end == line)
			continue;
		int indented = isspace((unsigned char)*line);
		const char *k = line;
		while (k < end && isspace((unsigned char)*k))
			k++;
		if (k == end)
			continue;
		const char *ke = k;
		while (ke < end && !isspace((unsigned char)*ke))
			ke++;
		const char *v = ke;
		while (v < end && isspace((unsigned char)*v))
			v++;
		int rc = indented ? property(&ps, line, lineno, k, (size_t)(ke - k), v, end)
				  : block_start(&ps, line, lineno, k, (size_t)(ke - k), v, end, kind);
		if (rc)
			return -1;
	}
	return 0;
}

/* --- directory walk ------------------------------------------------------------------ */

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *read_file(const char *path, struct diags *d)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		diags_add(d, path, 0, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	struct stat sb;
	char *buf = NULL;
	if (fstat(fileno(f), &sb) == 0 && (buf = malloc((size_t)sb.st_size + 1)) != NULL) {
		size_t n = fread(buf, 1, (size_t)sb.st_size, f);
		buf[n] = '\0';
		if (ferror(f)) {
			diags_add(d, path, 0, 0, "read error: %s", strerror(errno));
			free(buf);
			buf = NULL;
		} else if (strlen(buf) != n) {
			diags_add(d, path, 0, 0, "contains a NUL byte");
		}
	} else {
		diags_add(d, path, 0, 0, "cannot read: %s", strerror(errno));
	}
	fclose(f);
	return buf;
}

/* Parse every DIR/SUB/ *.EXT file in name order. */
static int load_files(struct ruleset *rs, const char *sub, const char *ext, const char *kind,
		      int lang, struct diags *d)
{
	char dirpath[4096];
	snprintf(dirpath, sizeof dirpath, "%s/%s", rs->dir, sub);
	DIR *dir = opendir(dirpath);
	if (!dir)
		return 0; /* a missing part is an empty part */
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	size_t el = strlen(ext);
	while ((de = readdir(dir)) != NULL) {
		size_t nl = strlen(de->d_name);
		if (de->d_name[0] == '.' || nl <= el || strcmp(de->d_name + nl - el, ext) != 0)
			continue;
		char **nn = realloc(names, (n + 1) * sizeof(*names));
		if (!nn || !(nn[n] = strdup(de->d_name))) {
			free(nn ? nn : names);
			closedir(dir);
			return -1;
		}
		names = nn;
		n++;
	}
	closedir(dir);
	if (n > 1)
		qsort(names, n, sizeof(*names), name_cmp);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		char path[8192];
		snprintf(path, sizeof path, "%s/%s", dirpath, names[i]);
		char **nf = rc ? NULL : realloc(rs->files, (rs->nfiles + 1) * sizeof(*rs->files));
		if (!nf || !(nf[rs->nfiles] = strdup(path))) {
			if (nf)
				rs->files = nf;
			rc = -1;
		} else {
			rs->files = nf;
			const char *fname = rs->files[rs->nfiles++];
			char *text = read_file(fname, d);
			if (text && ruleset_parse(rs, fname, text, kind, lang, d))
				rc = -1;
			free(text);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int ruleset_load(struct ruleset *rs, const char *dir, struct diags *d)
{
	memset(rs, 0, sizeof(*rs));
	struct stat sb;
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		diags_add(d, dir, 0, 0, "not a rules directory");
		return -1;
	}
	rs->dir = strdup(dir);
	if (!rs->dir)
		return -1;
	char path[4096];
	snprintf(path, sizeof path, "%s/cameo/codes.tsv", dir);
	codes_load(&rs->codes, path, d);
	if (load_files(rs, "actors", ".actors", "actors", -1, d) ||
	    load_files(rs, "agents", ".agents", "agents", -1, d) ||
	    load_files(rs, "places", ".places", "places", -1, d))
		return -1;
	for (int l = 0; l < RL_NLANG; l++) {
		char sub[64];
		snprintf(sub, sizeof sub, "events/%s", rl_lang_codes[l]);
		if (load_files(rs, sub, ".rules", "rules", l, d))
			return -1;
	}
	return 0;
}

const char *ruleset_relpath(const struct ruleset *rs, const char *file)
{
	size_t n = rs->dir ? strlen(rs->dir) : 0;
	if (n && strncmp(file, rs->dir, n) == 0 && file[n] == '/')
		return file + n + 1;
	return file;
}

void ruleset_release(struct ruleset *rs)
{
	for (size_t i = 0; i < rs->nactors; i++) {
		struct rl_actor *a = &rs->actors[i];
		free(a->id), free(a->type), free(a->code), free(a->country), free(a->group);
		free(a->roles);
		for (int l = 0; l < RL_NLANG; l++)
			list_release(&a->names[l]), list_release(&a->adj[l]), list_release(&a->seat[l]);
	}
	free(rs->actors);
	for (size_t i = 0; i < rs->nagents; i++) {
		free(rs->agents[i].role), free(rs->agents[i].label);
		for (int l = 0; l < RL_NLANG; l++)
			list_release(&rs->agents[i].names[l]);
	}
	free(rs->agents);
	for (size_t i = 0; i < rs->nplaces; i++) {
		struct rl_place *p = &rs->places[i];
		free(p->id), free(p->type), free(p->country);
		for (int l = 0; l < RL_NLANG; l++)
			list_release(&p->names[l]);
	}
	free(rs->places);
	for (size_t i = 0; i < rs->nrules; i++) {
		struct rl_rule *r = &rs->rules[i];
		free(r->id), free(r->code), free(r->intent);
		list_release(&r->patterns);
		for (size_t j = 0; j < r->nexamples; j++)
			free(r->examples[j].sentence), free(r->examples[j].expect);
		free(r->examples);
	}
	free(rs->rules);
	for (size_t i = 0; i < rs->nsets; i++)
		free(rs->sets[i].name), free(rs->sets[i].text);
	free(rs->sets);
	for (int l = 0; l < RL_NLANG; l++) {
		struct rl_language *lg = &rs->lang[l];
		free(lg->negation_suffix.s), free(lg->future_suffix.s);
		list_release(&lg->negation_word), list_release(&lg->future_prefix);
		list_release(&lg->future_word), list_release(&lg->modal_word);
		list_release(&lg->speech_verb);
	}
	codes_release(&rs->codes);
	for (size_t i = 0; i < rs->nfiles; i++)
		free(rs->files[i]);
	free(rs->files);
	free(rs->dir);
	memset(rs, 0, sizeof(*rs));
}
