/* link.c: the mention store, entity resolution per document, event clustering. */
#include "olay/link.h"
#include "olay/entity.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- interned strings: ids, codes, dates, doc ids and publishers repeat a lot ---- */

struct intern {
	char **slots;
	size_t cap, n;
};

unsigned long long link_hash(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	/* FNV's low bits are weak on short keys: finish with splitmix64's mixer */
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h;
}

static const char *intern_get(struct intern *t, const char *s)
{
	if (!s)
		return NULL;
	if (2 * (t->n + 1) > t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 1024;
		char **slots = calloc(cap, sizeof *slots);
		if (!slots)
			return NULL;
		for (size_t i = 0; i < t->cap; i++) {
			if (!t->slots[i])
				continue;
			size_t j = link_hash(t->slots[i], strlen(t->slots[i])) & (cap - 1);
			while (slots[j])
				j = (j + 1) & (cap - 1);
			slots[j] = t->slots[i];
		}
		free(t->slots);
		t->slots = slots;
		t->cap = cap;
	}
	size_t len = strlen(s);
	size_t j = link_hash(s, len) & (t->cap - 1);
	while (t->slots[j]) {
		if (strcmp(t->slots[j], s) == 0)
			return t->slots[j];
		j = (j + 1) & (t->cap - 1);
	}
	char *c = malloc(len + 1);
	if (!c)
		return NULL;
	memcpy(c, s, len + 1);
	t->slots[j] = c;
	t->n++;
	return c;
}

static void intern_release(struct intern *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->slots[i]);
	free(t->slots);
	memset(t, 0, sizeof *t);
}

/* ---- the store ----
 *
 * Memory holds 32 bytes per mention (struct mref); everything else about a mention is one
 * record in the spill file, read back twice: per document to resolve its actors, per event
 * to write it. A record: a fixed header (struct rec_fixed), then NREC_STR strings (u32
 * length or NONE, bytes, NUL), then the four JSON pieces of the mention as an event lists
 * it: the head `{"mention_id":...` (every field but the actors, evidence and meta), each
 * actor's object without its closing brace and the fields link sets (or `null`), and the
 * tail `"evidence":...}`. Writing an event copies these bytes instead of parsing JSON. */

enum {
	S_MENTION_ID, S_DOC_ID, S_DATE, S_LANG, S_PUBKEY, S_CODE, S_ROOT,
	S_SRC, /* 7 strings each side: given, text, name, code, country, group, role */
	S_TGT = S_SRC + 7,
	NREC_STR = S_TGT + 7
};
#define NONE 0xFFFFFFFFu

struct rec_fixed {
	int32_t days, sentence, start[2];
	uint8_t symmetric, has_location, undated, present[2], pad[3];
	uint32_t lpiece[4];
};

/* A record read back: strings point into buf. */
struct rec {
	struct rec_fixed f;
	const char *s[NREC_STR];
	const char *piece[4];
	char *buf;
	const struct mref *ref;
};

enum { MREF_UNDATED = 1, MREF_SWAPPED = 2 }; /* then 3 bits of how per side */

struct mref {
	long long off;   /* the spill record */
	const char *doc; /* interned doc_id: groups a document */
	const char *key; /* interned event key, after resolution */
	int32_t days;
	uint8_t flags;
};

static enum entity_how mref_how(const struct mref *r, int side)
{
	return (enum entity_how)((r->flags >> (2 + 3 * side)) & 7);
}

struct event {
	size_t first, n; /* a run of ls->m */
	char date[11];   /* "" when undated */
	char id[17];
};

struct link_store {
	struct link_options opt;
	struct intern strings;
	struct mref *m;
	size_t n, cap;
	struct event *ev;
	size_t nev;
	struct link_stats stats;
	FILE *spill;
	long long spill_len;
};

struct link_store *link_store_new(const struct link_options *opt)
{
	struct link_store *ls = calloc(1, sizeof *ls);
	if (!ls)
		return NULL;
	ls->opt = *opt;
	if (!(ls->spill = tmpfile())) {
		free(ls);
		return NULL;
	}
	return ls;
}

void link_store_free(struct link_store *ls)
{
	if (!ls)
		return;
	if (ls->spill)
		fclose(ls->spill);
	free(ls->m);
	free(ls->ev);
	intern_release(&ls->strings);
	free(ls);
}

int link_parse_date(const char *s, long *days)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return -1;
	long y = atol(s), m = atol(s + 5), d = atol(s + 8);
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && leap))
		return -1;
	/* days from civil (H. Hinnant) */
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	*days = era * 146097 + doe - 719468;
	return 0;
}

/* ---- validation ---- */

static const char *str_field(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A span object {start, end}: both integers, 0 <= start <= end. Absent spans are fine. */
static int check_span(json_t *o, const char *what, char *err, size_t errlen)
{
	json_t *s = json_object_get(o, "start"), *e = json_object_get(o, "end");
	if (!s && !e)
		return 0;
	if (!json_is_integer(s) || !json_is_integer(e)) {
		snprintf(err, errlen, "%s span needs integer 'start' and 'end'", what);
		return -1;
	}
	json_int_t a = json_integer_value(s), b = json_integer_value(e);
	if (a < 0 || b < a) {
		snprintf(err, errlen, "%s span [%lld,%lld) is malformed", what, (long long)a,
			 (long long)b);
		return -1;
	}
	return 0;
}

static int is_code(const char *s, size_t minlen, size_t maxlen)
{
	size_t n = s ? strlen(s) : 0;
	if (n < minlen || n > maxlen)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int check_actor(json_t *a, const char *what, char *err, size_t errlen)
{
	if (json_is_null(a) || !a)
		return 0;
	if (!json_is_object(a)) {
		snprintf(err, errlen, "'%s' is not an object or null", what);
		return -1;
	}
	static const char *const strs[] = {"text", "code", "name", "country", "group", "role",
					   "entity", "entity_given"};
	for (size_t i = 0; i < sizeof strs / sizeof *strs; i++) {
		json_t *v = json_object_get(a, strs[i]);
		if (v && !json_is_null(v) && !json_is_string(v)) {
			snprintf(err, errlen, "'%s.%s' is not a string", what, strs[i]);
			return -1;
		}
	}
	static const char *const ids[] = {"entity", "entity_given"};
	for (int i = 0; i < 2; i++) {
		const char *id = str_field(a, ids[i]);
		for (const char *p = id; p && *p; p++)
			if ((unsigned char)*p < 0x20) {
				snprintf(err, errlen, "'%s.%s' holds a control character", what, ids[i]);
				return -1;
			}
	}
	if (!str_field(a, "entity") && !str_field(a, "text") && !str_field(a, "name") &&
	    !str_field(a, "code")) {
		snprintf(err, errlen, "'%s' has no 'entity', 'text', 'name' or 'code'", what);
		return -1;
	}
	return check_span(a, what, err, errlen);
}

static int check_mention(json_t *m, char *err, size_t errlen)
{
	static const char *const req[] = {"mention_id", "doc_id", "code"};
	for (size_t i = 0; i < sizeof req / sizeof *req; i++)
		if (!str_field(m, req[i]) || !*str_field(m, req[i])) {
			snprintf(err, errlen, "field '%s' is missing or not a non-empty string", req[i]);
			return -1;
		}
	json_t *d = json_object_get(m, "date");
	long days;
	/* no date is allowed (an undated article): such a mention links within its document */
	if (d && !json_is_null(d) &&
	    (!json_is_string(d) || link_parse_date(json_string_value(d), &days) != 0)) {
		snprintf(err, errlen, "'date' is not a YYYY-MM-DD date");
		return -1;
	}
	if (!is_code(str_field(m, "code"), 2, 4)) {
		snprintf(err, errlen, "'code' \"%.20s\" is not a CAMEO event code", str_field(m, "code"));
		return -1;
	}
	json_t *root = json_object_get(m, "root");
	if (root && !json_is_null(root) && !is_code(json_string_value(root), 2, 2)) {
		snprintf(err, errlen, "'root' is not a two-digit string");
		return -1;
	}
	json_t *q = json_object_get(m, "quad");
	if (q && !json_is_null(q) &&
	    (!json_is_integer(q) || json_integer_value(q) < 1 || json_integer_value(q) > 4)) {
		snprintf(err, errlen, "'quad' is not an integer 1-4");
		return -1;
	}
	json_t *g = json_object_get(m, "goldstein");
	if (g && !json_is_null(g) && !json_is_number(g)) {
		snprintf(err, errlen, "'goldstein' is not a number");
		return -1;
	}
	json_t *s = json_object_get(m, "sentence");
	if (!json_is_integer(s) || json_integer_value(s) < 0) {
		snprintf(err, errlen, "'sentence' is missing or not a non-negative integer");
		return -1;
	}
	json_t *src = json_object_get(m, "source"), *tgt = json_object_get(m, "target");
	if ((!src || json_is_null(src)) && (!tgt || json_is_null(tgt))) {
		snprintf(err, errlen, "mention has no actors (source and target are both null)");
		return -1;
	}
	if (check_actor(src, "source", err, errlen) || check_actor(tgt, "target", err, errlen))
		return -1;
	static const char *const spans[] = {"trigger", "evidence"};
	for (size_t i = 0; i < 2; i++) {
		json_t *o = json_object_get(m, spans[i]);
		if (o && !json_is_null(o)) {
			if (!json_is_object(o)) {
				snprintf(err, errlen, "'%s' is not an object", spans[i]);
				return -1;
			}
			if (check_span(o, spans[i], err, errlen))
				return -1;
		}
	}
	static const char *const opt_strs[] = {"lang", "publisher", "url"};
	for (size_t i = 0; i < 3; i++) {
		json_t *v = json_object_get(m, opt_strs[i]);
		if (v && !json_is_null(v) && !json_is_string(v)) {
			snprintf(err, errlen, "'%s' is not a string or null", opt_strs[i]);
			return -1;
		}
	}
	return 0;
}

/* ---- adding ---- */

/* The source counted in num_sources: the publisher, else the URL's host. */
static int source_key(json_t *m, char *buf, size_t cap)
{
	const char *p = str_field(m, "publisher");
	if (p && *p) {
		snprintf(buf, cap, "%s", p);
		return 1;
	}
	const char *u = str_field(m, "url");
	if (!u || !*u)
		return 0;
	const char *h = strstr(u, "://");
	h = h ? h + 3 : u;
	if (strncmp(h, "www.", 4) == 0)
		h += 4;
	size_t n = strcspn(h, "/?#:");
	if (n == 0 || n >= cap)
		return 0;
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)tolower((unsigned char)h[i]);
	buf[n] = '\0';
	return 1;
}

#define INTERN(ls, s) intern_get(&(ls)->strings, (s))

/* Dump o compactly; NULL when out of memory. */
static char *dump(json_t *o)
{
	return json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10) | JSON_ENCODE_ANY);
}

struct bytes {
	char *p;
	size_t n, cap;
	int failed;
};

static void put(struct bytes *b, const void *s, size_t n)
{
	if (b->failed)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->n + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->failed = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void put_str(struct bytes *b, const char *s)
{
	put(b, s, strlen(s));
}

static void put_rec_str(struct bytes *b, const char *s)
{
	uint32_t n = s ? (uint32_t)strlen(s) : NONE;
	put(b, &n, sizeof n);
	if (s)
		put(b, s, strlen(s) + 1);
}

/* The mention's four JSON pieces (see the top of this section). */
static int json_pieces(json_t *m, char *ps[4], uint32_t len[4])
{
	json_t *h = json_object(), *t = json_object(), *v;
	const char *k;
	int rc = -1;
	ps[0] = ps[1] = ps[2] = ps[3] = NULL;
	if (!h || !t)
		goto out;
	/* every field passes through (speaker, modality, confidence, what extract adds
	 * later), in the mention's order; the actors, evidence and meta go last */
	json_object_foreach(m, k, v) {
		if (strcmp(k, "source") && strcmp(k, "target") && strcmp(k, "evidence") &&
		    strcmp(k, "meta"))
			json_object_set(h, k, v);
	}
	static const char *const tail[] = {"evidence", "meta"};
	for (size_t i = 0; i < 2; i++)
		if (json_object_get(m, tail[i]))
			json_object_set(t, tail[i], json_object_get(m, tail[i]));
	ps[0] = dump(h);
	ps[3] = dump(t);
	static const char *const sides[] = {"source", "target"};
	for (int s = 0; s < 2; s++) {
		json_t *a = json_object_get(m, sides[s]);
		if (!json_is_object(a)) {
			ps[1 + s] = strdup("null");
			continue;
		}
		json_t *c = json_copy(a);
		if (!c)
			goto out;
		json_object_del(c, "entity");
		json_object_del(c, "entity_given");
		json_object_del(c, "resolved");
		ps[1 + s] = dump(c);
		json_decref(c);
	}
	for (int i = 0; i < 4; i++)
		if (!ps[i])
			goto out;
	/* cut the head's and the actors' closing braces, the tail's opening one */
	for (int i = 0; i < 4; i++)
		len[i] = (uint32_t)strlen(ps[i]);
	len[0]--;
	for (int s = 1; s < 3; s++)
		if (strcmp(ps[s], "null") != 0)
			len[s]--;
	memmove(ps[3], ps[3] + 1, len[3]);
	len[3]--;
	rc = 0;
out:
	json_decref(h);
	json_decref(t);
	return rc;
}

/* The dictionary's id of an actor: after a first link it is kept in entity_given unless
 * the id came from the dictionary ("resolved":"dictionary" or no "resolved" at all). */
static const char *given_id(json_t *a)
{
	const char *resolved = str_field(a, "resolved");
	return resolved && strcmp(resolved, "dictionary") != 0 ? str_field(a, "entity_given")
							      : str_field(a, "entity");
}

static const char *nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

static int add_mention(struct link_store *ls, json_t *m)
{
	if (ls->n == ls->cap) {
		size_t cap = ls->cap ? 2 * ls->cap : 1024;
		void *p = realloc(ls->m, cap * sizeof *ls->m);
		if (!p)
			return -1;
		ls->m = p;
		ls->cap = cap;
	}
	struct rec_fixed f;
	memset(&f, 0, sizeof f);
	char code[8], root[3], pk[512];
	snprintf(code, sizeof code, "%s", str_field(m, "code"));
	const char *r = str_field(m, "root");
	snprintf(root, sizeof root, "%.2s", r ? r : code);
	const char *date = str_field(m, "date");
	long days = 0;
	if (date)
		link_parse_date(date, &days);
	f.days = (int32_t)days;
	f.undated = !date;
	f.sentence = (int32_t)json_integer_value(json_object_get(m, "sentence"));
	f.symmetric = json_is_true(json_object_get(m, "symmetric"));
	f.has_location = json_is_object(json_object_get(m, "location"));
	const char *s[NREC_STR];
	memset(s, 0, sizeof s);
	s[S_MENTION_ID] = str_field(m, "mention_id");
	s[S_DOC_ID] = str_field(m, "doc_id");
	s[S_DATE] = date;
	s[S_LANG] = str_field(m, "lang") ? str_field(m, "lang") : "und";
	s[S_PUBKEY] = source_key(m, pk, sizeof pk) ? pk : NULL;
	s[S_CODE] = code;
	s[S_ROOT] = root;
	static const char *const sides[] = {"source", "target"};
	for (int k = 0; k < 2; k++) {
		json_t *a = json_object_get(m, sides[k]);
		if (!json_is_object(a))
			continue;
		f.present[k] = 1;
		json_t *st = json_object_get(a, "start");
		f.start[k] = json_is_integer(st) ? (int32_t)json_integer_value(st) : 0;
		const char **d = s + (k ? S_TGT : S_SRC);
		d[0] = nonempty(given_id(a));
		d[1] = nonempty(str_field(a, "text"));
		d[2] = nonempty(str_field(a, "name"));
		d[3] = nonempty(str_field(a, "code"));
		d[4] = nonempty(str_field(a, "country"));
		d[5] = nonempty(str_field(a, "group"));
		d[6] = nonempty(str_field(a, "role"));
	}
	char *ps[4];
	if (json_pieces(m, ps, f.lpiece))
		goto oom;
	struct bytes b = {0};
	uint32_t total = 0;
	put(&b, &total, sizeof total);
	put(&b, &f, sizeof f);
	for (int i = 0; i < NREC_STR; i++)
		put_rec_str(&b, s[i]);
	for (int i = 0; i < 4; i++)
		put(&b, ps[i], f.lpiece[i]);
	for (int i = 0; i < 4; i++)
		free(ps[i]);
	if (b.failed)
		goto oom;
	total = (uint32_t)(b.n - sizeof total);
	memcpy(b.p, &total, sizeof total);
	struct mref *x = &ls->m[ls->n];
	memset(x, 0, sizeof *x);
	x->off = ls->spill_len;
	x->days = f.days;
	x->flags = f.undated ? MREF_UNDATED : 0;
	if (!(x->doc = INTERN(ls, s[S_DOC_ID])) || fwrite(b.p, 1, b.n, ls->spill) != b.n) {
		free(b.p);
		return -1;
	}
	ls->spill_len += (long long)b.n;
	free(b.p);
	ls->n++;
	ls->stats.mentions++;
	ls->stats.undated += f.undated;
	return 0;
oom:
	return -1;
}

int link_store_add(struct link_store *ls, json_t *rec, char *err, size_t errlen)
{
	json_t *ms = json_object_get(rec, "mentions");
	if (json_object_get(rec, "event_id") || ms) {
		/* a linked event (a partial result): check all of its mentions first, so a bad
		 * one rejects the whole event and nothing of it is half-added */
		if (!json_is_array(ms) || json_array_size(ms) == 0) {
			snprintf(err, errlen, "event has no 'mentions' array to re-link");
			return 0;
		}
		size_t i;
		json_t *m;
		char sub[400];
		json_array_foreach(ms, i, m) {
			if (!json_is_object(m)) {
				snprintf(err, errlen, "mentions[%zu] is not an object", i);
				return 0;
			}
			if (check_mention(m, sub, sizeof sub)) {
				snprintf(err, errlen, "mentions[%zu]: %s", i, sub);
				return 0;
			}
		}
		json_array_foreach(ms, i, m) if (add_mention(ls, m)) return -1;
		return (int)json_array_size(ms);
	}
	if (check_mention(rec, err, errlen))
		return 0;
	return add_mention(ls, rec) ? -1 : 1;
}

/* Read a record back. Returns 0, -1 on a read error or out of memory. */
static int read_rec(struct link_store *ls, const struct mref *x, struct rec *r)
{
	uint32_t total;
	int fd = fileno(ls->spill);
	memset(r, 0, sizeof *r);
	r->ref = x;
	if (pread(fd, &total, sizeof total, (off_t)x->off) != (ssize_t)sizeof total ||
	    total < sizeof r->f || !(r->buf = malloc(total)))
		return -1;
	if (pread(fd, r->buf, total, (off_t)(x->off + (long long)sizeof total)) != (ssize_t)total) {
		free(r->buf);
		r->buf = NULL;
		return -1;
	}
	memcpy(&r->f, r->buf, sizeof r->f);
	char *p = r->buf + sizeof r->f;
	for (int i = 0; i < NREC_STR; i++) {
		uint32_t n;
		memcpy(&n, p, sizeof n);
		p += sizeof n;
		r->s[i] = n == NONE ? NULL : p;
		if (n != NONE)
			p += n + 1;
	}
	for (int i = 0; i < 4; i++) {
		r->piece[i] = p;
		p += r->f.lpiece[i];
	}
	return 0;
}

static void rec_release(struct rec *r)
{
	free(r->buf);
	r->buf = NULL;
}

/* ---- running ---- */

static int cmp_doc(const void *a, const void *b)
{
	const struct mref *x = a, *y = b;
	/* grouping only: documents are interned, so their addresses tell them apart */
	if (x->doc != y->doc)
		return (uintptr_t)x->doc < (uintptr_t)y->doc ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

static int cmp_key(const void *a, const void *b)
{
	const struct mref *x = a, *y = b;
	int c = x->key == y->key ? 0 : strcmp(x->key, y->key);
	if (c)
		return c;
	/* ties in (key, day) may fall in any order: chaining looks at days only, and an
	 * event's mentions are sorted again by mention_id when it is written */
	return x->days < y->days ? -1 : x->days > y->days;
}

static void fill_actor(struct entity_actor *e, const struct rec *r, int side)
{
	const char *const *s = r->s + (side ? S_TGT : S_SRC);
	memset(e, 0, sizeof *e);
	e->given = s[0];
	e->text = s[1];
	e->name = s[2];
	e->code = s[3];
	e->country = s[4];
	e->group = s[5];
	e->role = s[6];
	e->lang = r->s[S_LANG];
	e->sentence = r->f.sentence;
	e->start = r->f.start[side];
}

/* The event key of one resolved mention (see docs/FORMAT.md, "Events"). */
static int mention_key(struct link_store *ls, struct mref *x, const struct rec *r,
		       const struct entity_actor *e)
{
	const char *s = r->f.present[0] ? e[0].id : "", *t = r->f.present[1] ? e[1].id : "";
	int swapped = 0;
	/* a symmetric event (meet, agree) is its own mirror: order the pair */
	if (r->f.symmetric && !ls->opt.one_a_day && strcmp(s, t) > 0) {
		const char *tmp = s;
		s = t;
		t = tmp;
		swapped = 1;
	}
	const char *code = ls->opt.by_root ? r->s[S_ROOT] : r->s[S_CODE];
	/* an undated mention cannot be placed in time: it merges only inside its document
	 * (the story filter), never across documents */
	const char *doc = r->f.undated ? r->s[S_DOC_ID] : "";
	size_t n = strlen(s) + strlen(t) + strlen(code) + strlen(doc) + 8;
	char *buf = malloc(n);
	if (!buf)
		return -1;
	snprintf(buf, n, "%s\x1f%s\x1f%s%s%s", s, t, code, r->f.undated ? "\x1f@" : "", doc);
	x->key = INTERN(ls, buf);
	free(buf);
	if (!x->key)
		return -1;
	x->flags = (uint8_t)((r->f.undated ? MREF_UNDATED : 0) | (swapped ? MREF_SWAPPED : 0) |
			     (r->f.present[0] ? e[0].how << 2 : 0) |
			     (r->f.present[1] ? e[1].how << 5 : 0));
	return 0;
}

/* Resolve each document's actors (entity.h) and give every mention its key. */
static int resolve_documents(struct link_store *ls)
{
	struct entity_doc d;
	struct rec *recs = NULL;
	struct entity_actor *acts = NULL;
	size_t cap = 0, nrec = 0;
	int rc = -1;
	entity_doc_init(&d);
	if (ls->n > 1)
		qsort(ls->m, ls->n, sizeof *ls->m, cmp_doc);
	for (size_t i = 0; i < ls->n;) {
		size_t j = i;
		while (j < ls->n && ls->m[j].doc == ls->m[i].doc)
			j++;
		if (j - i > cap) {
			cap = j - i;
			free(recs);
			free(acts);
			recs = calloc(cap, sizeof *recs);
			acts = calloc(2 * cap, sizeof *acts);
			if (!recs || !acts)
				goto out;
		}
		entity_doc_clear(&d);
		for (nrec = 0; nrec < j - i; nrec++)
			if (read_rec(ls, &ls->m[i + nrec], &recs[nrec]))
				goto out;
		for (size_t k = 0; k < nrec; k++)
			for (int s = 0; s < 2; s++) {
				if (!recs[k].f.present[s])
					continue;
				fill_actor(&acts[2 * k + s], &recs[k], s);
				if (entity_doc_add(&d, &acts[2 * k + s]))
					goto out;
			}
		if (entity_doc_resolve(&d))
			goto out;
		for (size_t k = 0; k < nrec; k++) {
			if (mention_key(ls, &ls->m[i + k], &recs[k], &acts[2 * k]))
				goto out;
			for (int s = 0; s < 2; s++) {
				if (!recs[k].f.present[s])
					continue;
				enum entity_how how = acts[2 * k + s].how;
				ls->stats.resolved += how == ENTITY_DOCUMENT;
				ls->stats.ambiguous += how == ENTITY_AMBIGUOUS;
				ls->stats.unknown += how == ENTITY_KEY;
			}
		}
		while (nrec > 0)
			rec_release(&recs[--nrec]);
		i = j;
	}
	rc = 0;
out:
	while (nrec > 0)
		rec_release(&recs[--nrec]);
	entity_doc_release(&d);
	free(recs);
	free(acts);
	return rc;
}

static int cmp_event(const void *a, const void *b)
{
	const struct event *x = a, *y = b;
	if (!*x->date || !*y->date) /* undated events last */
		return *x->date ? -1 : *y->date ? 1 : strcmp(x->id, y->id);
	int c = strcmp(x->date, y->date);
	return c ? c : strcmp(x->id, y->id);
}

static void format_date(long z, char out[11])
{
	/* civil from days (H. Hinnant) */
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	int d = (int)(doy - (153 * mp + 2) / 5 + 1), m = (int)(mp < 10 ? mp + 3 : mp - 9);
	int y = (int)(yoe + era * 400 + (m <= 2));
	char tmp[40];
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
	memcpy(out, tmp, 10);
	out[10] = '\0';
}

int link_store_run(struct link_store *ls)
{
	if (fflush(ls->spill) != 0)
		return -1;
	if (resolve_documents(ls))
		return -1;
	if (ls->n > 1)
		qsort(ls->m, ls->n, sizeof *ls->m, cmp_key);
	/* chain: sorted by key then date, a mention joins the event before it when the key
	 * is the same and its date is within the window of the previous mention's date */
	long window = ls->opt.one_a_day ? 0 : ls->opt.window;
	size_t nev = 0;
	for (size_t i = 0; i < ls->n; i++)
		if (i == 0 || ls->m[i - 1].key != ls->m[i].key ||
		    (long)ls->m[i].days - ls->m[i - 1].days > window)
			nev++;
	free(ls->ev);
	ls->ev = calloc(nev ? nev : 1, sizeof *ls->ev);
	if (!ls->ev)
		return -1;
	ls->nev = 0;
	for (size_t i = 0; i < ls->n;) {
		size_t j = i + 1;
		while (j < ls->n && ls->m[j - 1].key == ls->m[j].key &&
		       (long)ls->m[j].days - ls->m[j - 1].days <= window)
			j++;
		struct event *e = &ls->ev[ls->nev++];
		const struct mref *first = &ls->m[i];
		e->first = i;
		e->n = j - i;
		if (!(first->flags & MREF_UNDATED))
			format_date(first->days, e->date);
		size_t klen = strlen(first->key), n = klen + 1 + strlen(e->date);
		char *buf = malloc(n + 1);
		if (!buf)
			return -1;
		snprintf(buf, n + 1, "%s\x1f%s", first->key, e->date);
		snprintf(e->id, sizeof e->id, "%016llx", link_hash(buf, n));
		free(buf);
		i = j;
	}
	if (ls->nev > 1)
		qsort(ls->ev, ls->nev, sizeof *ls->ev, cmp_event);
	ls->stats.events = ls->nev;
	return 0;
}

size_t link_store_nevents(const struct link_store *ls)
{
	return ls->nev;
}

const struct link_stats *link_store_stats(const struct link_store *ls)
{
	return &ls->stats;
}

/* ---- writing an event ---- */

static int cmp_str(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	if (!x || !y)
		return x ? 1 : y ? -1 : 0;
	return strcmp(x, y);
}

/* Distinct non-null strings in v[0..n) (sorted in place). */
static size_t count_distinct(const char **v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_str);
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i] && (i == 0 || !v[i - 1] || strcmp(v[i], v[i - 1]) != 0))
			c++;
	return c;
}

/* The resolved id of one side: a field of the key (the pair is in key order, so a
 * swapped mirror takes the other field). Writes at most cap bytes with a NUL. */
static const char *side_id(const struct mref *x, int side, char *buf, size_t cap)
{
	int field = (x->flags & MREF_SWAPPED) ? !side : side;
	const char *p = x->key;
	for (int i = 0; i < field; i++)
		p = strchr(p, '\x1f') + 1;
	size_t n = strcspn(p, "\x1f");
	if (n >= cap)
		n = cap - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return buf;
}

/* The event's actor: the identity fields of the mention's actor, with the resolved id. */
static json_t *event_actor(json_t *a, const char *id)
{
	if (!json_is_object(a))
		return json_null();
	json_t *o = json_object();
	static const char *const keep[] = {"code", "name", "country", "group", "role"};
	for (size_t i = 0; i < sizeof keep / sizeof *keep; i++) {
		json_t *v = json_object_get(a, keep[i]);
		json_object_set(o, keep[i], v ? v : json_null());
	}
	json_object_set_new(o, "entity", json_string(id));
	return o;
}

/* A JSON string; ids are plain ASCII as a rule, so only the rest goes through jansson. */
static void put_json_string(struct bytes *b, const char *s)
{
	int plain = 1;
	for (const unsigned char *p = (const unsigned char *)s; *p && plain; p++)
		plain = *p >= 0x20 && *p != '"' && *p != '\\';
	if (plain) {
		put(b, "\"", 1);
		put_str(b, s);
		put(b, "\"", 1);
		return;
	}
	json_t *j = json_string(s);
	char *d = j ? dump(j) : NULL;
	if (d)
		put_str(b, d);
	else
		b->failed = 1;
	free(d);
	json_decref(j);
}

/* An actor as the event lists it: what extract wrote, the resolved id, and what the
 * dictionary gave when link found the id itself, so that linking this output again
 * starts from the same facts. */
static void put_actor(struct bytes *b, const struct rec *r, int side)
{
	const char *body = r->piece[1 + side];
	size_t n = r->f.lpiece[1 + side];
	if (!r->f.present[side]) {
		put_str(b, "null");
		return;
	}
	char id[1024];
	enum entity_how how = mref_how(r->ref, side);
	const char *given = r->s[(side ? S_TGT : S_SRC)];
	put(b, body, n);
	if (n > 0 && body[n - 1] != '{')
		put(b, ",", 1);
	put_str(b, "\"entity\":");
	put_json_string(b, side_id(r->ref, side, id, sizeof id));
	if (how != ENTITY_GIVEN) {
		put_str(b, ",\"entity_given\":");
		if (given)
			put_json_string(b, given);
		else
			put_str(b, "null");
	}
	put_str(b, ",\"resolved\":\"");
	put_str(b, entity_how_name(how));
	put_str(b, "\"}");
}

static void put_mention(struct bytes *b, const struct rec *r)
{
	put(b, r->piece[0], r->f.lpiece[0]);
	put_str(b, ",\"source\":");
	put_actor(b, r, 0);
	put_str(b, ",\"target\":");
	put_actor(b, r, 1);
	if (r->f.lpiece[3] > 1)
		put(b, ",", 1);
	put(b, r->piece[3], r->f.lpiece[3]);
}

static json_t *parse_mention(const struct rec *r)
{
	struct bytes b = {0};
	put_mention(&b, r);
	json_t *j = b.failed ? NULL : json_loadb(b.p, b.n, 0, NULL);
	free(b.p);
	return j;
}

static int cmp_rec_mid(const void *a, const void *b)
{
	return strcmp(((const struct rec *)a)->s[S_MENTION_ID],
		      ((const struct rec *)b)->s[S_MENTION_ID]);
}

char *link_store_event(struct link_store *ls, size_t k, size_t *len)
{
	const struct event *e = &ls->ev[k];
	struct rec *recs = calloc(e->n, sizeof *recs);
	const char **docs = malloc(e->n * sizeof *docs), **pubs = malloc(e->n * sizeof *pubs),
		   **langs = malloc(e->n * sizeof *langs);
	json_t *ev = NULL, *repj = NULL, *locj = NULL;
	struct bytes b = {0};
	char *head = NULL, id[1024];
	size_t nrec = 0;
	if (!recs || !docs || !pubs || !langs)
		goto fail;
	for (nrec = 0; nrec < e->n; nrec++)
		if (read_rec(ls, &ls->m[e->first + nrec], &recs[nrec]))
			goto fail;
	qsort(recs, e->n, sizeof *recs, cmp_rec_mid);
	/* the earliest mention: smallest date, then smallest id (recs are in id order) */
	const struct rec *rep = &recs[0];
	for (size_t i = 1; i < e->n; i++)
		if (recs[i].f.days < rep->f.days)
			rep = &recs[i];
	for (size_t i = 0; i < e->n; i++) {
		docs[i] = recs[i].s[S_DOC_ID];
		pubs[i] = recs[i].s[S_PUBKEY];
		langs[i] = recs[i].s[S_LANG];
	}
	size_t ndocs = count_distinct(docs, e->n), npubs = count_distinct(pubs, e->n);
	count_distinct(langs, e->n);
	if (!(repj = parse_mention(rep)))
		goto fail;

	ev = json_object();
	json_object_set_new(ev, "event_id", json_string(e->id));
	json_object_set_new(ev, "date", *e->date ? json_string(e->date) : json_null());
	json_object_set_new(ev, "source", event_actor(json_object_get(repj, "source"),
						      side_id(rep->ref, 0, id, sizeof id)));
	json_object_set_new(ev, "target", event_actor(json_object_get(repj, "target"),
						      side_id(rep->ref, 1, id, sizeof id)));
	static const char *const same[] = {"code", "root", "quad", "goldstein", "symmetric"};
	for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
		json_t *v = json_object_get(repj, same[i]);
		json_object_set(ev, same[i], v ? v : json_null());
	}
	json_object_set_new(ev, "root", json_string(rep->s[S_ROOT]));
	if (!json_is_boolean(json_object_get(ev, "symmetric")))
		json_object_set_new(ev, "symmetric", json_false());
	/* the earliest mention's place, else the first place a mention names */
	json_t *loc = json_object_get(repj, "location");
	for (size_t i = 0; (!loc || json_is_null(loc)) && i < e->n; i++) {
		if (!recs[i].f.has_location)
			continue;
		if (!(locj = parse_mention(&recs[i])))
			goto fail;
		loc = json_object_get(locj, "location");
	}
	json_object_set(ev, "location", loc ? loc : json_null());
	json_object_set_new(ev, "num_mentions", json_integer((json_int_t)e->n));
	json_object_set_new(ev, "num_sources", json_integer((json_int_t)(npubs ? npubs : 1)));
	json_object_set_new(ev, "num_articles", json_integer((json_int_t)ndocs));
	json_t *lj = json_array();
	for (size_t i = 0; i < e->n; i++)
		if (i == 0 || strcmp(langs[i], langs[i - 1]) != 0)
			json_array_append_new(lj, json_string(langs[i]));
	json_object_set_new(ev, "languages", lj);
	if (!(head = dump(ev)))
		goto fail;
	put(&b, head, strlen(head) - 1); /* without its closing brace */
	put_str(&b, ",\"mentions\":[");
	for (size_t i = 0; i < e->n; i++) {
		if (i)
			put(&b, ",", 1);
		put_mention(&b, &recs[i]);
	}
	put_str(&b, "]}");
	if (b.failed)
		goto fail;
	*len = b.n;
	goto out;
fail:
	free(b.p);
	b.p = NULL;
out:
	while (nrec > 0)
		rec_release(&recs[--nrec]);
	free(recs);
	free(head);
	json_decref(ev);
	json_decref(repj);
	json_decref(locj);
	free(docs);
	free(pubs);
	free(langs);
	return b.p;
}
