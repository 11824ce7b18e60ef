/* link.c: the mention store, entity resolution per document, event clustering. */
#include "olay/link.h"
#include "olay/entity.h"
#include "olay/link_sort.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* ---- the store ----
 *
 * A mention is encoded once (link_encode) as one record: a fixed header (struct rec_fixed),
 * NREC_STR strings (u32 length or NONE, bytes, NUL), then the four JSON pieces of the
 * mention as an event lists it: the head `{"mention_id":...` (every field but the actors,
 * evidence and meta), each actor's object without its closing brace and the fields link
 * sets (or `null`), and the tail `"evidence":...}`. Writing an event copies these bytes
 * instead of parsing JSON. Records then flow through three external sorts (link_sort.h):
 *   by_doc:  key doc_id; value the record. Read a document at a time to resolve actors.
 *   by_key:  key event key, NUL, day (biased, big-endian), mention_id; value a flags byte
 *            then the record. Read an event at a time to chain and write events.
 *   by_date: key date (0xFF... when undated) and event_id; value the event's line. */

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

/* A record read back: strings point into the record's bytes. */
struct rec {
	struct rec_fixed f;
	const char *s[NREC_STR];
	const char *piece[4];
	const char *key; /* the event key, after resolution (NUL-terminated) */
	uint8_t flags;
};

enum { MREF_UNDATED = 1, MREF_SWAPPED = 2 }; /* then 3 bits of how per side */

static enum entity_how rec_how(const struct rec *r, int side)
{
	return (enum entity_how)((r->flags >> (2 + 3 * side)) & 7);
}

struct link_store {
	struct link_options opt;
	struct link_sort *by_doc, *by_key, *by_date;
	size_t nev;
	struct link_stats stats;
};

static size_t sort_memory(const struct link_options *opt)
{
	/* two sorters are live at once (one read, one written) */
	return (opt->memory ? opt->memory : LINK_DEFAULT_MEMORY) / 2;
}

struct link_store *link_store_new(const struct link_options *opt)
{
	struct link_store *ls = calloc(1, sizeof *ls);
	if (!ls)
		return NULL;
	ls->opt = *opt;
	if (!(ls->by_doc = link_sort_new(sort_memory(opt)))) {
		free(ls);
		return NULL;
	}
	return ls;
}

void link_store_free(struct link_store *ls)
{
	if (!ls)
		return;
	link_sort_free(ls->by_doc);
	link_sort_free(ls->by_key);
	link_sort_free(ls->by_date);
	free(ls);
}

void link_buf_release(struct link_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
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

static int dump_cb(const char *buf, size_t n, void *data)
{
	struct bytes *b = data;
	put(b, buf, n);
	return b->failed ? -1 : 0;
}

/* v compactly, as dump() writes it, appended to b. */
static void put_json(struct bytes *b, json_t *v)
{
	if (json_dump_callback(v, dump_cb, b,
			       JSON_COMPACT | JSON_REAL_PRECISION(10) | JSON_ENCODE_ANY))
		b->failed = 1;
}

static void put_json_string(struct bytes *b, const char *s);

/* The members of o but the skipped keys, `"k":v` joined by commas, in o's order: what
 * dump() writes between the braces of a copy of o without them. */
static void put_members(struct bytes *b, json_t *o, const char *const *skip, size_t nskip)
{
	const char *k;
	json_t *v;
	int first = 1;
	json_object_foreach(o, k, v) {
		size_t i = 0;
		while (i < nskip && strcmp(k, skip[i]) != 0)
			i++;
		if (i < nskip)
			continue;
		if (!first)
			put(b, ",", 1);
		first = 0;
		put_json_string(b, k);
		put(b, ":", 1);
		put_json(b, v);
	}
}

/* Append the mention's four JSON pieces (see the top of this section) to b, their lengths
 * in len. */
static void put_pieces(struct bytes *b, json_t *m, uint32_t len[4])
{
	/* every field passes through (speaker, modality, confidence, what extract adds
	 * later), in the mention's order; the actors, evidence and meta go last */
	static const char *const last[] = {"source", "target", "evidence", "meta"};
	static const char *const link_sets[] = {"entity", "entity_given", "resolved"};
	size_t at = b->n;
	put(b, "{", 1);
	put_members(b, m, last, 4);
	len[0] = (uint32_t)(b->n - at);
	for (int s = 0; s < 2; s++) {
		json_t *a = json_object_get(m, last[s]);
		at = b->n;
		if (!json_is_object(a)) {
			put_str(b, "null");
		} else {
			put(b, "{", 1);
			put_members(b, a, link_sets, 3);
		}
		len[1 + s] = (uint32_t)(b->n - at);
	}
	at = b->n;
	for (size_t i = 2; i < 4; i++) {
		json_t *v = json_object_get(m, last[i]);
		if (!v)
			continue;
		if (b->n > at)
			put(b, ",", 1);
		put_str(b, i == 2 ? "\"evidence\":" : "\"meta\":");
		put_json(b, v);
	}
	put(b, "}", 1);
	len[3] = (uint32_t)(b->n - at);
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

/* Append mention m (checked) to out: u32 key length, u32 value length, the key (doc_id),
 * the value (the record). Returns 0, -1 when out of memory. */
static int encode_mention(json_t *m, struct link_buf *out)
{
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
	struct bytes b = {out->p, out->n, out->cap, 0};
	uint32_t h[2] = {(uint32_t)strlen(s[S_DOC_ID]), 0};
	size_t at = b.n;
	put(&b, h, sizeof h);
	put_str(&b, s[S_DOC_ID]);
	size_t val = b.n;
	put(&b, &f, sizeof f);
	for (int i = 0; i < NREC_STR; i++)
		put_rec_str(&b, s[i]);
	put_pieces(&b, m, f.lpiece);
	if (!b.failed)
		memcpy(b.p + val, &f, sizeof f); /* now with the pieces' lengths */
	out->p = b.p;
	out->cap = b.cap;
	if (b.failed)
		return -1;
	h[1] = (uint32_t)(b.n - val);
	memcpy(b.p + at, h, sizeof h);
	out->n = b.n;
	return 0;
}

int link_encode(json_t *rec, struct link_buf *out, char *err, size_t errlen)
{
	json_t *ms = json_object_get(rec, "mentions");
	size_t n0 = out->n;
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
		json_array_foreach(ms, i, m) {
			if (encode_mention(m, out)) {
				out->n = n0;
				return -1;
			}
		}
		return (int)json_array_size(ms);
	}
	if (check_mention(rec, err, errlen))
		return 0;
	if (encode_mention(rec, out)) {
		out->n = n0;
		return -1;
	}
	return 1;
}

/* The record's fixed header, strings and pieces; the key and flags are the caller's. */
static void parse_rec(const char *p, struct rec *r)
{
	memset(r, 0, sizeof *r);
	memcpy(&r->f, p, sizeof r->f);
	p += sizeof r->f;
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
}

int link_store_put(struct link_store *ls, const char *enc, size_t len)
{
	if (!ls->by_doc)
		return -1;
	for (size_t at = 0; at + 8 <= len;) {
		uint32_t h[2];
		memcpy(h, enc + at, sizeof h);
		const char *key = enc + at + 8, *val = key + h[0];
		if (link_sort_add(ls->by_doc, key, h[0], val, h[1]))
			return -1;
		struct rec_fixed f;
		memcpy(&f, val, sizeof f);
		ls->stats.mentions++;
		ls->stats.undated += f.undated;
		at += 8 + (size_t)h[0] + h[1];
	}
	return 0;
}

int link_store_add(struct link_store *ls, json_t *rec, char *err, size_t errlen)
{
	struct link_buf b = {0};
	int n = link_encode(rec, &b, err, errlen);
	if (n > 0 && link_store_put(ls, b.p, b.n))
		n = -1;
	link_buf_release(&b);
	return n;
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
static const char *side_id(const struct rec *x, int side, char *buf, size_t cap)
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
	enum entity_how how = rec_how(r, side);
	const char *given = r->s[(side ? S_TGT : S_SRC)];
	put(b, body, n);
	if (n > 0 && body[n - 1] != '{')
		put(b, ",", 1);
	put_str(b, "\"entity\":");
	put_json_string(b, side_id(r, side, id, sizeof id));
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

/* Event line of recs[0..n) (sorted here by mention_id) into b, with its newline. */
static int build_event(struct rec *recs, size_t n, const char *date, const char *eid,
		       struct bytes *b)
{
	const char **docs = malloc(n * sizeof *docs), **pubs = malloc(n * sizeof *pubs),
		   **langs = malloc(n * sizeof *langs);
	json_t *ev = NULL, *repj = NULL, *locj = NULL;
	char *head = NULL, id[1024];
	int rc = -1;
	if (!docs || !pubs || !langs)
		goto out;
	qsort(recs, n, sizeof *recs, cmp_rec_mid);
	/* the earliest mention: smallest date, then smallest id (recs are in id order) */
	const struct rec *rep = &recs[0];
	for (size_t i = 1; i < n; i++)
		if (recs[i].f.days < rep->f.days)
			rep = &recs[i];
	for (size_t i = 0; i < n; i++) {
		docs[i] = recs[i].s[S_DOC_ID];
		pubs[i] = recs[i].s[S_PUBKEY];
		langs[i] = recs[i].s[S_LANG];
	}
	size_t ndocs = count_distinct(docs, n), npubs = count_distinct(pubs, n);
	count_distinct(langs, n);
	if (!(repj = parse_mention(rep)))
		goto out;

	ev = json_object();
	json_object_set_new(ev, "event_id", json_string(eid));
	json_object_set_new(ev, "date", *date ? json_string(date) : json_null());
	json_object_set_new(ev, "source", event_actor(json_object_get(repj, "source"),
						      side_id(rep, 0, id, sizeof id)));
	json_object_set_new(ev, "target", event_actor(json_object_get(repj, "target"),
						      side_id(rep, 1, id, sizeof id)));
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
	for (size_t i = 0; (!loc || json_is_null(loc)) && i < n; i++) {
		if (!recs[i].f.has_location)
			continue;
		if (!(locj = parse_mention(&recs[i])))
			goto out;
		loc = json_object_get(locj, "location");
	}
	json_object_set(ev, "location", loc ? loc : json_null());
	json_object_set_new(ev, "num_mentions", json_integer((json_int_t)n));
	json_object_set_new(ev, "num_sources", json_integer((json_int_t)(npubs ? npubs : 1)));
	json_object_set_new(ev, "num_articles", json_integer((json_int_t)ndocs));
	json_t *lj = json_array();
	for (size_t i = 0; i < n; i++)
		if (i == 0 || strcmp(langs[i], langs[i - 1]) != 0)
			json_array_append_new(lj, json_string(langs[i]));
	json_object_set_new(ev, "languages", lj);
	if (!(head = dump(ev)))
		goto out;
	put(b, head, strlen(head) - 1); /* without its closing brace */
	put_str(b, ",\"mentions\":[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			put(b, ",", 1);
		put_mention(b, &recs[i]);
	}
	put_str(b, "]}");
	put(b, "\n", 1);
	rc = b->failed ? -1 : 0;
out:
	free(head);
	json_decref(ev);
	json_decref(repj);
	json_decref(locj);
	free(docs);
	free(pubs);
	free(langs);
	return rc;
}

/* ---- running ---- */

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

void link_format_date(long z, char out[11])
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


/* The event key of one resolved mention (see docs/FORMAT.md, "Events"), as by_key sorts
 * it: the key, NUL, the day (biased, big-endian), the mention_id. Sets *flags. */
static void mention_key(const struct link_options *opt, const struct rec *r,
			const struct entity_actor *e, struct bytes *kb, uint8_t *flags)
{
	const char *s = r->f.present[0] ? e[0].id : "", *t = r->f.present[1] ? e[1].id : "";
	int swapped = 0;
	/* a symmetric event (meet, agree) is its own mirror: order the pair */
	if (r->f.symmetric && !opt->one_a_day && strcmp(s, t) > 0) {
		const char *tmp = s;
		s = t;
		t = tmp;
		swapped = 1;
	}
	kb->n = 0;
	put_str(kb, s);
	put(kb, "\x1f", 1);
	put_str(kb, t);
	put(kb, "\x1f", 1);
	put_str(kb, opt->by_root ? r->s[S_ROOT] : r->s[S_CODE]);
	/* an undated mention cannot be placed in time: it merges only inside its document
	 * (the story filter), never across documents */
	if (r->f.undated) {
		put(kb, "\x1f@", 2);
		put_str(kb, r->s[S_DOC_ID]);
	}
	uint32_t day = (uint32_t)r->f.days ^ 0x80000000u;
	unsigned char be[5] = {0, (unsigned char)(day >> 24), (unsigned char)(day >> 16),
			       (unsigned char)(day >> 8), (unsigned char)day};
	put(kb, be, sizeof be);
	put_str(kb, r->s[S_MENTION_ID]);
	*flags = (uint8_t)((r->f.undated ? MREF_UNDATED : 0) | (swapped ? MREF_SWAPPED : 0) |
			   (r->f.present[0] ? e[0].how << 2 : 0) |
			   (r->f.present[1] ? e[1].how << 5 : 0));
}

/* A group of items read from a sorter, copied (the sorter's pointers do not last):
 * [u32 key length][u32 value length][key][value] each. */
struct group {
	struct bytes items;
	size_t n;
	struct rec *recs;
	struct entity_actor *acts;
	size_t cap;
};

static int group_add(struct group *g, const char *k, uint32_t kl, const char *v, uint32_t vl)
{
	uint32_t h[2] = {kl, vl};
	put(&g->items, h, sizeof h);
	put(&g->items, k, kl);
	put(&g->items, v, vl);
	g->n++;
	return g->items.failed ? -1 : 0;
}

/* Parse the group's records into g->recs; the value starts with `skip` bytes (flags). */
static int group_parse(struct group *g, size_t skip)
{
	if (g->n > g->cap) {
		size_t cap = g->n * 2;
		free(g->recs);
		free(g->acts);
		g->recs = malloc(cap * sizeof *g->recs);
		g->acts = malloc(2 * cap * sizeof *g->acts);
		if (!g->recs || !g->acts) {
			g->cap = 0;
			return -1;
		}
		g->cap = cap;
	}
	const char *p = g->items.p;
	for (size_t i = 0; i < g->n; i++) {
		uint32_t h[2];
		memcpy(h, p, sizeof h);
		const char *k = p + 8, *v = k + h[0];
		parse_rec(v + skip, &g->recs[i]);
		g->recs[i].key = k;
		g->recs[i].flags = skip ? (uint8_t)v[0] : 0;
		p = v + h[1];
	}
	return 0;
}

static void group_clear(struct group *g)
{
	g->items.n = 0;
	g->n = 0;
}

static void group_release(struct group *g)
{
	free(g->items.p);
	free(g->recs);
	free(g->acts);
	memset(g, 0, sizeof *g);
}

/* One document: resolve its actors (entity.h), key its mentions into by_key. */
static int resolve_document(struct link_store *ls, struct group *g, struct entity_doc *d,
			    struct bytes *kb, struct bytes *vb)
{
	if (group_parse(g, 0))
		return -1;
	entity_doc_clear(d);
	for (size_t k = 0; k < g->n; k++)
		for (int s = 0; s < 2; s++) {
			if (!g->recs[k].f.present[s])
				continue;
			fill_actor(&g->acts[2 * k + s], &g->recs[k], s);
			if (entity_doc_add(d, &g->acts[2 * k + s]))
				return -1;
		}
	if (entity_doc_resolve(d))
		return -1;
	const char *p = g->items.p;
	for (size_t k = 0; k < g->n; k++) {
		uint32_t h[2];
		memcpy(h, p, sizeof h);
		const char *v = p + 8 + h[0];
		p = v + h[1];
		uint8_t flags;
		mention_key(&ls->opt, &g->recs[k], &g->acts[2 * k], kb, &flags);
		vb->n = 0;
		put(vb, &flags, 1);
		put(vb, v, h[1]);
		if (kb->failed || vb->failed ||
		    link_sort_add(ls->by_key, kb->p, (uint32_t)kb->n, vb->p, (uint32_t)vb->n))
			return -1;
		for (int s = 0; s < 2; s++) {
			if (!g->recs[k].f.present[s])
				continue;
			enum entity_how how = g->acts[2 * k + s].how;
			ls->stats.resolved += how == ENTITY_DOCUMENT;
			ls->stats.ambiguous += how == ENTITY_AMBIGUOUS;
			ls->stats.unknown += how == ENTITY_KEY;
		}
	}
	return 0;
}

/* Sorted by document: resolve each document's actors and give every mention its key. */
static int resolve_documents(struct link_store *ls, struct group *g)
{
	struct entity_doc d;
	struct bytes kb = {0}, vb = {0}, cur = {0};
	int rc = -1, more;
	entity_doc_init(&d);
	if (link_sort_finish(ls->by_doc) || !(ls->by_key = link_sort_new(sort_memory(&ls->opt))))
		goto out;
	group_clear(g);
	do {
		const char *k, *v;
		uint32_t kl, vl;
		if ((more = link_sort_next(ls->by_doc, &k, &kl, &v, &vl)) < 0)
			goto out;
		if (g->n && (!more || kl != cur.n || memcmp(k, cur.p, kl) != 0)) {
			if (resolve_document(ls, g, &d, &kb, &vb))
				goto out;
			group_clear(g);
		}
		if (more) {
			if (g->n == 0) {
				cur.n = 0;
				put(&cur, k, kl);
			}
			if (cur.failed || group_add(g, k, kl, v, vl))
				goto out;
		}
	} while (more);
	rc = 0;
out:
	entity_doc_release(&d);
	free(kb.p);
	free(vb.p);
	free(cur.p);
	link_sort_free(ls->by_doc);
	ls->by_doc = NULL;
	return rc;
}

/* One event from the group's mentions: its line and its by_date key (date, then event_id;
 * undated events last). Touches only g: worker threads build events in parallel. */
static int build_group_event(struct group *g, struct bytes *line, char sk[26])
{
	if (group_parse(g, 1))
		return -1;
	/* the first in key order has the smallest day */
	const struct rec *first = &g->recs[0];
	char date[11] = "", eid[17];
	if (!(first->flags & MREF_UNDATED))
		link_format_date(first->f.days, date);
	struct bytes kd = {0};
	put_str(&kd, first->key);
	put(&kd, "\x1f", 1);
	put_str(&kd, date);
	if (kd.failed)
		return -1;
	snprintf(eid, sizeof eid, "%016llx", link_hash(kd.p, kd.n));
	free(kd.p);
	memset(sk, 0xff, 10);
	if (*date)
		memcpy(sk, date, 10);
	memcpy(sk + 10, eid, 16);
	line->n = 0;
	return build_event(g->recs, g->n, date, eid, line);
}

/* Events are built a batch at a time on worker threads, then added in order. */
#define EVENT_BATCH 256
#define EVENT_BATCH_BYTES ((size_t)8 << 20)

struct event_batch {
	struct group g[EVENT_BATCH];
	struct bytes line[EVENT_BATCH];
	char sk[EVENT_BATCH][26];
	int failed[EVENT_BATCH];
	size_t n, bytes;
};

static int flush_events(struct link_store *ls, struct event_batch *eb)
{
	long n = (long)eb->n;
#pragma omp parallel for schedule(dynamic, 1)
	for (long i = 0; i < n; i++)
		eb->failed[i] = build_group_event(&eb->g[i], &eb->line[i], eb->sk[i]);
	for (size_t i = 0; i < eb->n; i++) {
		if (eb->failed[i] || link_sort_add(ls->by_date, eb->sk[i], 26, eb->line[i].p,
						   (uint32_t)eb->line[i].n))
			return -1;
		group_clear(&eb->g[i]);
		ls->nev++;
	}
	eb->n = eb->bytes = 0;
	return 0;
}

/* Sorted by (key, day, mention_id): a mention joins the event before it when the key is
 * the same and its day is within the window of the previous mention's day. */
static int chain_events(struct link_store *ls)
{
	struct bytes cur = {0};
	long window = ls->opt.one_a_day ? 0 : ls->opt.window, prev = 0;
	int rc = -1, more;
	struct event_batch *eb = calloc(1, sizeof *eb);
	if (!eb || link_sort_finish(ls->by_key) ||
	    !(ls->by_date = link_sort_new(sort_memory(&ls->opt))))
		goto out;
	do {
		const char *k, *v;
		uint32_t kl, vl;
		if ((more = link_sort_next(ls->by_key, &k, &kl, &v, &vl)) < 0)
			goto out;
		size_t elen = more ? strlen(k) : 0; /* the event key before the NUL */
		long day = 0;
		if (more) {
			const unsigned char *u = (const unsigned char *)k + elen + 1;
			uint32_t b = (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 |
				     (uint32_t)u[2] << 8 | u[3];
			day = (long)(int32_t)(b ^ 0x80000000u);
		}
		struct group *g = &eb->g[eb->n];
		if (g->n && (!more || elen != cur.n || memcmp(k, cur.p, elen) != 0 ||
			     day - prev > window)) {
			/* the event is complete: the next one starts a new group */
			eb->bytes += g->items.n;
			if (++eb->n == EVENT_BATCH || eb->bytes >= EVENT_BATCH_BYTES || !more) {
				if (flush_events(ls, eb))
					goto out;
			}
			g = &eb->g[eb->n];
		}
		if (more) {
			if (g->n == 0) {
				cur.n = 0;
				put(&cur, k, elen);
			}
			prev = day;
			if (cur.failed || group_add(g, k, kl, v, vl))
				goto out;
		}
	} while (more);
	rc = flush_events(ls, eb) || link_sort_finish(ls->by_date) ? -1 : 0;
out:
	free(cur.p);
	if (eb) {
		for (size_t i = 0; i < EVENT_BATCH; i++) {
			group_release(&eb->g[i]);
			free(eb->line[i].p);
		}
		free(eb);
	}
	link_sort_free(ls->by_key);
	ls->by_key = NULL;
	return rc;
}

int link_store_run(struct link_store *ls)
{
	struct group g;
	memset(&g, 0, sizeof g);
	int rc = ls->by_doc ? 0 : -1;
	if (!rc)
		rc = resolve_documents(ls, &g);
	if (!rc)
		rc = chain_events(ls);
	group_release(&g);
	ls->stats.events = ls->nev;
	return rc;
}

size_t link_store_nevents(const struct link_store *ls)
{
	return ls->nev;
}

int link_store_next(struct link_store *ls, const char **line, size_t *len)
{
	const char *k;
	uint32_t kl, vl;
	if (!ls->by_date)
		return -1;
	int rc = link_sort_next(ls->by_date, &k, &kl, line, &vl);
	*len = vl;
	return rc;
}

const struct link_stats *link_store_stats(const struct link_store *ls)
{
	return &ls->stats;
}
