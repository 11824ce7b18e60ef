/* link.c: the mention store, entity resolution per document, event clustering. */
#define _GNU_SOURCE /* qsort_r */
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

/* ---- the store ---- */

/* What resolution needs of an actor. Many mentions name an actor the same way, so these
 * are interned too: a mention holds a pointer. Strings point into the intern table. */
struct actor {
	const char *given, *text, *name, *code, *country, *group, *role;
};

struct actors {
	struct actor **slots;
	size_t cap, n;
};

struct side {
	const struct actor *a; /* NULL: no actor on this side */
	const char *id;        /* resolved, interned */
	int start;
	unsigned char how;
};

/* Per mention, kept small: memory grows with mentions (docs/FORMAT.md, "Memory"). */
struct mention {
	const char *mention_id, *doc_id, *date, *lang, *pubkey, *code, *root;
	int days, sentence;
	unsigned char symmetric, has_location;
	struct side src, tgt;
	const char *key; /* event key, interned */
	/* The mention as the event lists it lives in the spill file, in four pieces, so
	 * that writing an event copies bytes instead of parsing JSON again: the head
	 * `{"mention_id":...` up to the actors, each actor's object without its closing
	 * brace and without the fields link sets (or `null`), and the tail `"evidence":...}`. */
	long long off;
	unsigned lhead, lsrc, ltgt, ltail;
};

/* Mention ids are unique: a bump arena instead of the intern table. */
struct arena {
	char **chunks;
	size_t nchunks, used, size;
};

static const char *arena_strdup(struct arena *a, const char *s)
{
	size_t n = strlen(s) + 1;
	if (!a->nchunks || a->used + n > a->size) {
		size_t size = n > (1 << 20) ? n : (1 << 20);
		void *p = realloc(a->chunks, (a->nchunks + 1) * sizeof *a->chunks);
		if (!p)
			return NULL;
		a->chunks = p;
		if (!(a->chunks[a->nchunks] = malloc(size)))
			return NULL;
		a->nchunks++;
		a->used = 0;
		a->size = size;
	}
	char *r = a->chunks[a->nchunks - 1] + a->used;
	memcpy(r, s, n);
	a->used += n;
	return r;
}

static void arena_release(struct arena *a)
{
	for (size_t i = 0; i < a->nchunks; i++)
		free(a->chunks[i]);
	free(a->chunks);
	memset(a, 0, sizeof *a);
}

struct event {
	size_t first, n; /* a run of ls->order */
	const char *date;
	char id[17];
};

struct link_store {
	struct link_options opt;
	struct intern strings;
	struct actors actors;
	struct arena ids;
	struct mention *m;
	size_t n, cap;
	size_t *order;
	struct event *ev;
	size_t nev;
	struct link_stats stats;
	FILE *spill; /* mentions' JSON pieces, kept out of memory */
	long long spill_len;
	char *buf; /* reading pieces back */
	size_t bufcap;
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
	for (size_t i = 0; i < ls->actors.cap; i++)
		free(ls->actors.slots[i]);
	free(ls->actors.slots);
	arena_release(&ls->ids);
	free(ls->buf);
	free(ls->m);
	free(ls->order);
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

static size_t actor_hash(const struct actor *a)
{
	/* the strings are interned: their addresses identify them */
	const char *const f[] = {a->given, a->text, a->name, a->code, a->country, a->group, a->role};
	return (size_t)link_hash((const char *)f, sizeof f);
}

static int actor_eq(const struct actor *a, const struct actor *b)
{
	return a->given == b->given && a->text == b->text && a->name == b->name &&
	       a->code == b->code && a->country == b->country && a->group == b->group &&
	       a->role == b->role;
}

static const struct actor *actor_get(struct actors *t, const struct actor *a)
{
	if (2 * (t->n + 1) > t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 1024;
		struct actor **slots = calloc(cap, sizeof *slots);
		if (!slots)
			return NULL;
		for (size_t i = 0; i < t->cap; i++) {
			if (!t->slots[i])
				continue;
			size_t j = actor_hash(t->slots[i]) & (cap - 1);
			while (slots[j])
				j = (j + 1) & (cap - 1);
			slots[j] = t->slots[i];
		}
		free(t->slots);
		t->slots = slots;
		t->cap = cap;
	}
	size_t j = actor_hash(a) & (t->cap - 1);
	while (t->slots[j]) {
		if (actor_eq(t->slots[j], a))
			return t->slots[j];
		j = (j + 1) & (t->cap - 1);
	}
	struct actor *c = malloc(sizeof *c);
	if (!c)
		return NULL;
	*c = *a;
	t->slots[j] = c;
	t->n++;
	return c;
}

static int take_side(struct link_store *ls, struct side *sd, json_t *a)
{
	memset(sd, 0, sizeof *sd);
	if (!json_is_object(a))
		return 0;
	/* after a first link, the dictionary's id is kept in entity_given unless the id came
	 * from the dictionary ("resolved":"dictionary" or no "resolved" at all) */
	const char *resolved = str_field(a, "resolved");
	const char *given = (resolved && strcmp(resolved, "dictionary") != 0)
				    ? str_field(a, "entity_given")
				    : str_field(a, "entity");
	struct actor e;
	const char *f[] = {given, str_field(a, "text"), str_field(a, "name"),
			   str_field(a, "code"), str_field(a, "country"), str_field(a, "group"),
			   str_field(a, "role")};
	const char **dst[] = {&e.given, &e.text, &e.name, &e.code, &e.country, &e.group, &e.role};
	for (int i = 0; i < 7; i++) {
		*dst[i] = f[i] && *f[i] ? INTERN(ls, f[i]) : NULL;
		if (f[i] && *f[i] && !*dst[i])
			return -1;
	}
	if (!(sd->a = actor_get(&ls->actors, &e)))
		return -1;
	json_t *st = json_object_get(a, "start");
	sd->start = json_is_integer(st) ? (int)json_integer_value(st) : 0;
	return 0;
}

/* Dump o compactly; NULL when out of memory. */
static char *dump(json_t *o)
{
	return json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10) | JSON_ENCODE_ANY);
}

/* Write the mention's JSON pieces to the spill file (see struct mention). */
static int spill_mention(struct link_store *ls, struct mention *x, json_t *m)
{
	/* every field passes through (speaker, modality, confidence, what extract adds
	 * later), in the mention's order; the actors, evidence and meta go last */
	static const char *const tail[] = {"evidence", "meta"};
	json_t *h = json_object(), *t = json_object(), *v;
	const char *k;
	char *ps[4] = {NULL, NULL, NULL, NULL};
	int rc = -1;
	if (!h || !t)
		goto out;
	json_object_foreach(m, k, v) {
		if (strcmp(k, "source") && strcmp(k, "target") && strcmp(k, "evidence") &&
		    strcmp(k, "meta"))
			json_object_set(h, k, v);
	}
	for (size_t i = 0; i < sizeof tail / sizeof *tail; i++)
		if (json_object_get(m, tail[i]))
			json_object_set(t, tail[i], json_object_get(m, tail[i]));
	ps[0] = dump(h);
	ps[3] = dump(t);
	const char *sides[] = {"source", "target"};
	for (int k = 0; k < 2; k++) {
		json_t *a = json_object_get(m, sides[k]);
		if (!json_is_object(a)) {
			ps[1 + k] = strdup("null");
			continue;
		}
		json_t *c = json_copy(a);
		if (!c)
			goto out;
		json_object_del(c, "entity");
		json_object_del(c, "entity_given");
		json_object_del(c, "resolved");
		ps[1 + k] = dump(c);
		json_decref(c);
	}
	for (int k = 0; k < 4; k++)
		if (!ps[k])
			goto out;
	/* cut the head's and the actors' closing braces, the tail's opening one */
	size_t len[4];
	for (int k = 0; k < 4; k++)
		len[k] = strlen(ps[k]);
	len[0]--;
	for (int k = 1; k < 3; k++)
		if (strcmp(ps[k], "null") != 0)
			len[k]--;
	x->off = ls->spill_len;
	x->lhead = (unsigned)len[0];
	x->lsrc = (unsigned)len[1];
	x->ltgt = (unsigned)len[2];
	x->ltail = (unsigned)(len[3] - 1);
	for (int k = 0; k < 4; k++) {
		const char *p = ps[k] + (k == 3);
		size_t n = k == 3 ? len[3] - 1 : len[k];
		if (fwrite(p, 1, n, ls->spill) != n)
			goto out;
		ls->spill_len += (long long)n;
	}
	rc = 0;
out:
	for (int k = 0; k < 4; k++)
		free(ps[k]);
	json_decref(h);
	json_decref(t);
	return rc;
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
	struct mention *x = &ls->m[ls->n];
	memset(x, 0, sizeof *x);
	char code[8], root[3], pk[512];
	snprintf(code, sizeof code, "%s", str_field(m, "code"));
	const char *r = str_field(m, "root");
	snprintf(root, sizeof root, "%.2s", r ? r : code);
	x->mention_id = arena_strdup(&ls->ids, str_field(m, "mention_id"));
	x->doc_id = INTERN(ls, str_field(m, "doc_id"));
	x->date = str_field(m, "date") ? INTERN(ls, str_field(m, "date")) : NULL;
	x->lang = str_field(m, "lang") ? INTERN(ls, str_field(m, "lang")) : INTERN(ls, "und");
	x->pubkey = source_key(m, pk, sizeof pk) ? INTERN(ls, pk) : NULL;
	x->code = INTERN(ls, code);
	x->root = INTERN(ls, root);
	if (!x->mention_id || !x->doc_id || (str_field(m, "date") && !x->date) || !x->lang ||
	    !x->code || !x->root)
		return -1;
	long days = 0;
	if (x->date)
		link_parse_date(x->date, &days);
	else
		ls->stats.undated++;
	x->days = (int)days;
	x->sentence = (int)json_integer_value(json_object_get(m, "sentence"));
	x->symmetric = json_is_true(json_object_get(m, "symmetric"));
	if (take_side(ls, &x->src, json_object_get(m, "source")) ||
	    take_side(ls, &x->tgt, json_object_get(m, "target")))
		return -1;
	if (spill_mention(ls, x, m))
		return -1;
	x->has_location = json_is_object(json_object_get(m, "location"));
	ls->n++;
	ls->stats.mentions++;
	return 0;
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

/* ---- running ---- */

static int cmp_doc(const void *a, const void *b, void *ctx)
{
	const struct mention *m = ctx;
	const struct mention *x = &m[*(const size_t *)a], *y = &m[*(const size_t *)b];
	int c = strcmp(x->doc_id, y->doc_id);
	return c ? c : strcmp(x->mention_id, y->mention_id);
}

static int cmp_key(const void *a, const void *b, void *ctx)
{
	const struct mention *m = ctx;
	const struct mention *x = &m[*(const size_t *)a], *y = &m[*(const size_t *)b];
	int c = x->key == y->key ? 0 : strcmp(x->key, y->key);
	if (c)
		return c;
	if (x->days != y->days)
		return x->days < y->days ? -1 : 1;
	return strcmp(x->mention_id, y->mention_id);
}

static void fill_actor(struct entity_actor *e, const struct side *sd, const struct mention *x)
{
	memset(e, 0, sizeof *e);
	e->given = sd->a->given;
	e->text = sd->a->text;
	e->name = sd->a->name;
	e->code = sd->a->code;
	e->country = sd->a->country;
	e->group = sd->a->group;
	e->role = sd->a->role;
	e->lang = x->lang;
	e->sentence = x->sentence;
	e->start = sd->start;
}

static int resolve_documents(struct link_store *ls)
{
	struct entity_doc d;
	struct entity_actor *acts = NULL;
	size_t cap = 0;
	entity_doc_init(&d);
	qsort_r(ls->order, ls->n, sizeof *ls->order, cmp_doc, ls->m);
	for (size_t i = 0; i < ls->n;) {
		size_t j = i;
		while (j < ls->n && ls->m[ls->order[j]].doc_id == ls->m[ls->order[i]].doc_id)
			j++;
		/* the document's actors exist only while it is resolved */
		if (2 * (j - i) > cap) {
			cap = 2 * (j - i);
			free(acts);
			if (!(acts = malloc(cap * sizeof *acts)))
				goto oom;
		}
		entity_doc_clear(&d);
		for (size_t k = i; k < j; k++) {
			struct mention *x = &ls->m[ls->order[k]];
			struct side *sides[] = {&x->src, &x->tgt};
			for (int s = 0; s < 2; s++) {
				struct entity_actor *e = &acts[2 * (k - i) + s];
				if (!sides[s]->a)
					continue;
				fill_actor(e, sides[s], x);
				if (entity_doc_add(&d, e))
					goto oom;
			}
		}
		if (entity_doc_resolve(&d))
			goto oom;
		for (size_t k = i; k < j; k++) {
			struct mention *x = &ls->m[ls->order[k]];
			struct side *sides[] = {&x->src, &x->tgt};
			for (int s = 0; s < 2; s++) {
				struct side *sd = sides[s];
				const struct entity_actor *e = &acts[2 * (k - i) + s];
				if (!sd->a)
					continue;
				sd->how = (unsigned char)e->how;
				if (!(sd->id = INTERN(ls, e->id)))
					goto oom;
				ls->stats.resolved += sd->how == ENTITY_DOCUMENT;
				ls->stats.ambiguous += sd->how == ENTITY_AMBIGUOUS;
				ls->stats.unknown += sd->how == ENTITY_KEY;
			}
		}
		i = j;
	}
	entity_doc_release(&d);
	free(acts);
	return 0;
oom:
	entity_doc_release(&d);
	free(acts);
	return -1;
}

static int make_keys(struct link_store *ls)
{
	char buf[2048];
	for (size_t i = 0; i < ls->n; i++) {
		struct mention *x = &ls->m[i];
		const char *s = x->src.a ? x->src.id : "";
		const char *t = x->tgt.a ? x->tgt.id : "";
		/* a symmetric event (meet, agree) is its own mirror: order the pair */
		if (x->symmetric && !ls->opt.one_a_day && strcmp(s, t) > 0) {
			const char *tmp = s;
			s = t;
			t = tmp;
		}
		/* an undated mention cannot be placed in time: it merges only inside its
		 * document (the story filter), never across documents */
		snprintf(buf, sizeof buf, "%s\x1f%s\x1f%s%s%s", s, t, ls->opt.by_root ? x->root : x->code,
			 x->date ? "" : "\x1f@", x->date ? "" : x->doc_id);
		if (!(x->key = INTERN(ls, buf)))
			return -1;
	}
	return 0;
}

static int cmp_event(const void *a, const void *b)
{
	const struct event *x = a, *y = b;
	if (!x->date || !y->date) /* undated events last */
		return x->date ? -1 : y->date ? 1 : strcmp(x->id, y->id);
	int c = strcmp(x->date, y->date);
	return c ? c : strcmp(x->id, y->id);
}

int link_store_run(struct link_store *ls)
{
	if (fflush(ls->spill) != 0)
		return -1;
	free(ls->order);
	ls->order = malloc((ls->n ? ls->n : 1) * sizeof *ls->order);
	if (!ls->order)
		return -1;
	for (size_t i = 0; i < ls->n; i++)
		ls->order[i] = i;
	if (resolve_documents(ls) || make_keys(ls))
		return -1;
	qsort_r(ls->order, ls->n, sizeof *ls->order, cmp_key, ls->m);
	/* chain: sorted by key then date, a mention joins the event before it when the key
	 * is the same and its date is within the window of the previous mention's date */
	long window = ls->opt.one_a_day ? 0 : ls->opt.window;
	size_t nev = 0;
	for (size_t i = 0; i < ls->n; i++) {
		const struct mention *x = &ls->m[ls->order[i]];
		if (i == 0) {
			nev++;
			continue;
		}
		const struct mention *p = &ls->m[ls->order[i - 1]];
		if (p->key != x->key || x->days - p->days > window)
			nev++;
	}
	free(ls->ev);
	ls->ev = calloc(nev ? nev : 1, sizeof *ls->ev);
	if (!ls->ev)
		return -1;
	ls->nev = 0;
	char buf[2100];
	for (size_t i = 0; i < ls->n;) {
		size_t j = i + 1;
		while (j < ls->n) {
			const struct mention *p = &ls->m[ls->order[j - 1]], *x = &ls->m[ls->order[j]];
			if (p->key != x->key || x->days - p->days > window)
				break;
			j++;
		}
		struct event *e = &ls->ev[ls->nev++];
		const struct mention *first = &ls->m[ls->order[i]];
		e->first = i;
		e->n = j - i;
		e->date = first->date;
		int len = snprintf(buf, sizeof buf, "%s\x1f%s", first->key,
				   first->date ? first->date : "");
		snprintf(e->id, sizeof e->id, "%016llx",
			 link_hash(buf, (size_t)len < sizeof buf ? (size_t)len : sizeof buf - 1));
		i = j;
	}
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

/* ---- building an event record ---- */

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

/* The event's actor: the identity fields of the mention's actor, with the resolved id. */
static json_t *event_actor(json_t *a, const struct side *sd)
{
	if (!sd->a || !json_is_object(a))
		return json_null();
	json_t *o = json_object();
	static const char *const keep[] = {"code", "name", "country", "group", "role"};
	for (size_t i = 0; i < sizeof keep / sizeof *keep; i++) {
		json_t *v = json_object_get(a, keep[i]);
		json_object_set(o, keep[i], v ? v : json_null());
	}
	json_object_set_new(o, "entity", json_string(sd->id));
	return o;
}

struct bytes {
	char *p;
	size_t n, cap;
	int failed;
};

static void put(struct bytes *b, const char *s, size_t n)
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
static void put_actor(struct bytes *b, const char *body, size_t n, const struct side *sd)
{
	if (!sd->a) {
		put_str(b, "null");
		return;
	}
	put(b, body, n);
	if (n > 0 && body[n - 1] != '{')
		put(b, ",", 1);
	put_str(b, "\"entity\":");
	put_json_string(b, sd->id);
	if (sd->how != ENTITY_GIVEN) {
		put_str(b, ",\"entity_given\":");
		if (sd->a->given)
			put_json_string(b, sd->a->given);
		else
			put_str(b, "null");
	}
	put_str(b, ",\"resolved\":\"");
	put_str(b, entity_how_name((enum entity_how)sd->how));
	put_str(b, "\"}");
}

/* Append the mention's JSON, from its pieces in the spill file. */
static int put_mention(struct link_store *ls, struct bytes *b, const struct mention *x)
{
	size_t n = (size_t)x->lhead + x->lsrc + x->ltgt + x->ltail;
	if (n + 1 > ls->bufcap) {
		char *p = realloc(ls->buf, n + 1);
		if (!p)
			return -1;
		ls->buf = p;
		ls->bufcap = n + 1;
	}
	if (pread(fileno(ls->spill), ls->buf, n, (off_t)x->off) != (ssize_t)n)
		return -1;
	const char *p = ls->buf;
	put(b, p, x->lhead);
	p += x->lhead;
	put_str(b, ",\"source\":");
	put_actor(b, p, x->lsrc, &x->src);
	p += x->lsrc;
	put_str(b, ",\"target\":");
	put_actor(b, p, x->ltgt, &x->tgt);
	p += x->ltgt;
	if (x->ltail > 1)
		put(b, ",", 1);
	put(b, p, x->ltail);
	return b->failed ? -1 : 0;
}

/* One mention, parsed (for the event's own fields). NULL on error. */
static json_t *load_mention(struct link_store *ls, const struct mention *x)
{
	struct bytes b = {0};
	json_t *j = NULL;
	if (put_mention(ls, &b, x) == 0)
		j = json_loadb(b.p, b.n, 0, NULL);
	free(b.p);
	return j;
}

static int cmp_mid(const void *a, const void *b, void *ctx)
{
	const struct mention *m = ctx;
	return strcmp(m[*(const size_t *)a].mention_id, m[*(const size_t *)b].mention_id);
}

char *link_store_event(struct link_store *ls, size_t k, size_t *len)
{
	const struct event *e = &ls->ev[k];
	size_t *idx = malloc(e->n * sizeof *idx);
	const char **docs = malloc(e->n * sizeof *docs), **pubs = malloc(e->n * sizeof *pubs),
		   **langs = malloc(e->n * sizeof *langs);
	json_t *ev = NULL, *repj = NULL, *locj = NULL;
	struct bytes b = {0};
	char *head = NULL;
	if (!idx || !docs || !pubs || !langs)
		goto fail;
	for (size_t i = 0; i < e->n; i++) {
		idx[i] = ls->order[e->first + i];
		docs[i] = ls->m[idx[i]].doc_id;
		pubs[i] = ls->m[idx[i]].pubkey;
		langs[i] = ls->m[idx[i]].lang;
	}
	const struct mention *rep = &ls->m[idx[0]]; /* earliest date, then smallest id */
	size_t ndocs = count_distinct(docs, e->n), npubs = count_distinct(pubs, e->n);
	count_distinct(langs, e->n);
	qsort_r(idx, e->n, sizeof *idx, cmp_mid, ls->m);
	if (!(repj = load_mention(ls, rep)))
		goto fail;

	ev = json_object();
	json_object_set_new(ev, "event_id", json_string(e->id));
	json_object_set_new(ev, "date", e->date ? json_string(e->date) : json_null());
	json_object_set_new(ev, "source", event_actor(json_object_get(repj, "source"), &rep->src));
	json_object_set_new(ev, "target", event_actor(json_object_get(repj, "target"), &rep->tgt));
	static const char *const same[] = {"code", "root", "quad", "goldstein", "symmetric"};
	for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
		json_t *v = json_object_get(repj, same[i]);
		json_object_set(ev, same[i], v ? v : json_null());
	}
	json_object_set_new(ev, "root", json_string(rep->root));
	if (!json_is_boolean(json_object_get(ev, "symmetric")))
		json_object_set_new(ev, "symmetric", json_false());
	/* the earliest mention's place, else the first place a mention names */
	json_t *loc = json_object_get(repj, "location");
	for (size_t i = 0; (!loc || json_is_null(loc)) && i < e->n; i++) {
		if (!ls->m[idx[i]].has_location)
			continue;
		if (!(locj = load_mention(ls, &ls->m[idx[i]])))
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
		if (put_mention(ls, &b, &ls->m[idx[i]]))
			goto fail;
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
	free(head);
	json_decref(ev);
	json_decref(repj);
	json_decref(locj);
	free(idx);
	free(docs);
	free(pubs);
	free(langs);
	return b.p;
}
