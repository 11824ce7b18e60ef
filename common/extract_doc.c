/* extract_doc.c: documents in, mention records out; and the examples of the rules, run
 * through the same path as documents. */
#include "olay/extract.h"
#include "olay/extract_json.h"
#include "olay/text.h"
#include "olay/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Top-level document fields that are not copied to a mention's meta. */
static const char *const skip_meta[] = {"doc_id", "date", "lang", "publisher", "url",
					"source_file", "text", "sentences", "removed", NULL};

static int is_skipped(const char *k)
{
	for (size_t i = 0; skip_meta[i]; i++)
		if (strcmp(k, skip_meta[i]) == 0)
			return 1;
	return 0;
}

/* --- writing mentions -------------------------------------------------------------
 * Mentions are written straight into the output buffer, in the same bytes jansson's
 * compact encoder gives (its string escapes, "%.10g" reals with ".0"), without building
 * objects: the document's own fields are encoded once per document. */

/* Bytes appended in place (the buffer stays NUL-terminated, as buf.h has it): the writer's
 * many small pieces without a call each. */
static inline int jw_put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap && buf_grow(b, n))
		return -1;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

/* Literal bytes, such as a key with its quotes, colon and the comma before it. */
#define JW_LIT(b, lit) jw_put((b), (lit), sizeof(lit) - 1)

static int jw_str(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	/* most strings need no escape: one run, copied in place between the quotes */
	size_t i = json_plain_len(s, n);
	if (b->len + n + 3 > b->cap && buf_grow(b, n + 2))
		return -1;
	char *o = b->p + b->len;
	o[0] = '"';
	memcpy(o + 1, s, i);
	b->len += 1 + i;
	int rc = 0;
	while (i < n && !rc) {
		unsigned char c = (unsigned char)s[i++];
		char esc[7] = {'\\', 0, 0, 0, 0, 0, 0};
		size_t el = 2;
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			esc[1] = 'u', esc[2] = '0', esc[3] = '0', esc[4] = hex[c >> 4], esc[5] = hex[c & 15];
			el = 6;
		}
		/* then the next run of bytes that need no escape */
		size_t run = json_plain_len(s + i, n - i);
		rc = jw_put(b, esc, el) || jw_put(b, s + i, run);
		i += run;
	}
	return rc || jw_put(b, "\"", 1);
}

static int jw_cstr(struct buf *b, const char *s)
{
	return s && *s ? jw_str(b, s, strlen(s)) : JW_LIT(b, "null");
}

/* v in decimal, as "%lld" writes it, ending just before end; returns where it starts. */
static char *fmt_int(char *end, long long v)
{
	char *p = end;
	unsigned long long u = v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	return p;
}

/* An integer. */
static int jw_int(struct buf *b, long long v)
{
	char tmp[24], *p = fmt_int(tmp + sizeof tmp, v);
	return jw_put(b, p, (size_t)(tmp + sizeof tmp - p));
}

/* A real as jansson writes it ("%.10g", and ".0" when that looks like an integer). The
 * reals written are few (Goldstein scores, coordinates): each thread keeps the text of the
 * last ones it wrote, by their bits. */
static int jw_real(struct buf *b, double v)
{
	static __thread struct {
		uint64_t bits;
		char text[40];
		size_t len;
	} cache[64];
	uint64_t bits;
	memcpy(&bits, &v, sizeof bits);
	unsigned slot = (unsigned)((bits * 0x9E3779B97F4A7C15ULL) >> 58);
	if (!cache[slot].len || cache[slot].bits != bits) {
		char tmp[64];
		snprintf(tmp, sizeof tmp, "%.10g", v);
		if (!strpbrk(tmp, ".eE"))
			strcat(tmp, ".0"); /* as jansson: a real stays a real */
		size_t n = strlen(tmp);
		if (n >= sizeof cache[slot].text)
			return jw_put(b, tmp, n);
		memcpy(cache[slot].text, tmp, n);
		cache[slot].len = n;
		cache[slot].bits = bits;
	}
	return jw_put(b, cache[slot].text, cache[slot].len);
}

/* "text","start","end" of key span [ks, ke) in the original document */
static int jw_span(struct buf *b, const struct sentence_view *sv, uint32_t ks, uint32_t ke)
{
	size_t a = view_orig(sv, ks), z = view_orig(sv, ke);
	if (a > sv->doclen)
		a = sv->doclen;
	if (z > sv->doclen || z < a)
		z = a > sv->doclen ? sv->doclen : (z < a ? a : sv->doclen);
	return JW_LIT(b, "\"text\":") || jw_str(b, sv->doc + a, z - a) || JW_LIT(b, ",\"start\":") ||
	       jw_int(b, (long long)a) || JW_LIT(b, ",\"end\":") || jw_int(b, (long long)z);
}

static int jw_actor(struct buf *b, const struct sentence_view *sv, const struct tagged_actor *a,
		    const char *code, const char *role, const char *country)
{
	if (!a)
		return JW_LIT(b, "null");
	return JW_LIT(b, "{") || jw_span(b, sv, a->ks, a->ke) || JW_LIT(b, ",\"code\":") ||
	       jw_cstr(b, code && *code ? code : "") || JW_LIT(b, ",\"name\":") ||
	       jw_str(b, a->name ? a->name : "", a->name ? strlen(a->name) : 0) ||
	       JW_LIT(b, ",\"country\":") || jw_cstr(b, country) || JW_LIT(b, ",\"group\":") ||
	       jw_cstr(b, a->group) || JW_LIT(b, ",\"role\":") || jw_cstr(b, role) ||
	       JW_LIT(b, ",\"entity\":") ||
	       jw_str(b, a->entity ? a->entity : "", a->entity ? strlen(a->entity) : 0) ||
	       JW_LIT(b, "}");
}

static int jw_location(struct buf *b, const struct engine *e, const struct sentence_view *sv,
		       const struct tagged_actor *a)
{
	const struct ruleset *rs = &e->rs;
	int rc;
	if (a->place >= 0) {
		const struct rl_place *p = &rs->places[a->place];
		const char *name = p->names[RL_EN].n ? p->names[RL_EN].v[0].s : p->id;
		rc = JW_LIT(b, "{\"id\":") || jw_cstr(b, p->id) || JW_LIT(b, ",\"name\":") ||
		     jw_cstr(b, name) || JW_LIT(b, ",\"type\":") || jw_cstr(b, p->type) ||
		     JW_LIT(b, ",\"country\":") || jw_cstr(b, p->country) || JW_LIT(b, ",\"lat\":") ||
		     jw_real(b, p->lat) || JW_LIT(b, ",\"lon\":") || jw_real(b, p->lon);
	} else {
		/* a state in the locative: its centroid from places/countries.tsv; a seat with
		 * no place entry has no coordinates */
		int ai = a->actor >= 0 ? a->actor : a->country_actor;
		const struct rl_actor *c = &rs->actors[ai];
		const struct country *cc = a->actor >= 0 ? engine_country(e, c->country) : NULL;
		rc = JW_LIT(b, "{\"id\":") || jw_cstr(b, c->id) || JW_LIT(b, ",\"name\":") ||
		     jw_cstr(b, cc ? cc->name : a->name ? a->name : c->id) || JW_LIT(b, ",\"type\":") ||
		     jw_cstr(b, a->actor >= 0 ? "country" : "seat") || JW_LIT(b, ",\"country\":") ||
		     jw_cstr(b, c->country) || JW_LIT(b, ",\"lat\":") ||
		     (cc ? jw_real(b, cc->lat) : JW_LIT(b, "null")) || JW_LIT(b, ",\"lon\":") ||
		     (cc ? jw_real(b, cc->lon) : JW_LIT(b, "null"));
	}
	return rc || JW_LIT(b, ",") || jw_span(b, sv, a->ks, a->ke) || JW_LIT(b, "}");
}

/* What every mention of a document repeats, encoded once: the copied fields as they follow
 * "sentence" (,"date":...,"source_file":...) and meta. The buffers are the thread's,
 * reused from one document to the next. */
struct doc_json {
	struct buf copied, meta;
};

static const char *const copied_fields[5] = {"date", "lang", "publisher", "url", "source_file"};

static struct doc_json *doc_json_reset(void)
{
	static __thread struct doc_json dj;
	buf_reset(&dj.copied);
	buf_reset(&dj.meta);
	return &dj;
}

/* ,"name": for a copied field */
static int add_copied_key(struct buf *b, const char *name)
{
	return buf_add(b, ",\"", 2) || buf_adds(b, name) || buf_add(b, "\":", 2);
}

static int doc_json_init(struct doc_json *dj, json_t *doc)
{
	const size_t flags = JSON_COMPACT | JSON_REAL_PRECISION(10) | JSON_ENCODE_ANY;
	for (int i = 0; i < 5; i++) {
		json_t *v = json_object_get(doc, copied_fields[i]);
		char *t = v ? json_dumps(v, flags) : NULL;
		int err = (v && !t) || add_copied_key(&dj->copied, copied_fields[i]) ||
			  buf_adds(&dj->copied, t ? t : "null");
		free(t);
		if (err)
			return -1;
	}
	json_t *meta = json_object();
	const char *key;
	json_t *val;
	json_object_foreach(doc, key, val)
		if (!is_skipped(key))
			json_object_set(meta, key, val);
	char *t = json_dumps(meta, flags);
	json_decref(meta);
	int err = !t || buf_adds(&dj->meta, t);
	free(t);
	return err ? -1 : 0;
}

static int jw_mention(struct buf *b, const struct engine *e, const struct extract_ws *ws,
		      const struct sentence_view *sv, const struct mention *m, const struct doc_json *dj,
		      const char *doc_id, size_t idlen, long long n, int k, size_t s_start, size_t s_end)
{
	const struct tagging *tg = &ws->tg;
	const struct rl_rule *r = &e->rs.rules[m->rule];
	const struct cpattern *cp = &e->pats[m->pattern];
	const struct code_row *row = codes_find(&e->rs.codes, m->code);
	const struct tagged_actor *sa = m->src >= 0 ? &tg->acts[m->src] : NULL;
	const struct tagged_actor *ta = m->tgt >= 0 ? &tg->acts[m->tgt] : NULL;
	const struct tagged_actor *sp = m->speaker >= 0 ? &tg->acts[m->speaker] : NULL;
	/* "our army": the country is the speaker's */
	const char *sc = sa && sa->ours && sp && sp->country[0] ? sp->country : sa ? sa->country : NULL;
	const char *tc = ta && ta->ours && sp && sp->country[0] ? sp->country : ta ? ta->country : NULL;
	/* the mention id, doc_id:n:k, cut at 511 bytes as it always was */
	char id[512], num[48], *nend = num + sizeof num;
	char *np = fmt_int(nend, k);
	*--np = ':';
	np = fmt_int(np, n);
	*--np = ':';
	size_t nl = (size_t)(nend - np); /* ":n:k" */
	size_t il = idlen < sizeof id - 1 ? idlen : sizeof id - 1;
	memcpy(id, doc_id, il);
	size_t tl = nl < sizeof id - 1 - il ? nl : sizeof id - 1 - il;
	memcpy(id + il, np, tl);
	int rc = JW_LIT(b, "{\"mention_id\":") || jw_str(b, id, il + tl) ||
		 JW_LIT(b, ",\"doc_id\":") || jw_str(b, doc_id, idlen) ||
		 JW_LIT(b, ",\"sentence\":") || jw_int(b, n) ||
		 jw_put(b, dj->copied.p, dj->copied.len);
	rc |= JW_LIT(b, ",\"source\":") || jw_actor(b, sv, sa, m->src_code, m->src_role, sc);
	rc |= JW_LIT(b, ",\"target\":") || jw_actor(b, sv, ta, m->tgt_code, m->tgt_role, tc);
	rc |= JW_LIT(b, ",\"code\":") || jw_cstr(b, m->code) || JW_LIT(b, ",\"root\":") ||
	      jw_str(b, row ? row->root : "", row ? strlen(row->root) : 0) ||
	      JW_LIT(b, ",\"quad\":") || jw_int(b, row ? row->quad : 0) ||
	      JW_LIT(b, ",\"goldstein\":") || jw_real(b, row ? row->goldstein : 0);
	rc |= (m->symmetric ? JW_LIT(b, ",\"symmetric\":true") : JW_LIT(b, ",\"symmetric\":false")) ||
	      (m->passive ? JW_LIT(b, ",\"passive\":true") : JW_LIT(b, ",\"passive\":false")) ||
	      (m->negated ? JW_LIT(b, ",\"negated\":true") : JW_LIT(b, ",\"negated\":false")) ||
	      (m->intent ? JW_LIT(b, ",\"modality\":\"intent\"") : JW_LIT(b, ",\"modality\":\"act\""));
	rc |= JW_LIT(b, ",\"rule\":{\"id\":") || jw_cstr(b, r->id) || JW_LIT(b, ",\"file\":") ||
	      jw_cstr(b, ruleset_relpath(&e->rs, r->file)) || JW_LIT(b, ",\"line\":") ||
	      jw_int(b, cp->line) || JW_LIT(b, ",\"pattern\":") ||
	      jw_str(b, cp->text, strlen(cp->text)) || JW_LIT(b, "}");
	rc |= JW_LIT(b, ",\"trigger\":{") || jw_span(b, sv, m->trig_ks, m->trig_ke) || JW_LIT(b, "}");
	rc |= JW_LIT(b, ",\"location\":") ||
	      (m->location >= 0 ? jw_location(b, e, sv, &tg->acts[m->location]) : JW_LIT(b, "null"));
	rc |= JW_LIT(b, ",\"speaker\":") ||
	      jw_actor(b, sv, sp, sp ? sp->code : NULL, sp ? sp->role : NULL, sp ? sp->country : NULL);
	rc |= JW_LIT(b, ",\"evidence\":{\"text\":") || jw_str(b, sv->doc + s_start, s_end - s_start) ||
	      JW_LIT(b, ",\"start\":") || jw_int(b, (long long)s_start) || JW_LIT(b, ",\"end\":") ||
	      jw_int(b, (long long)s_end) || JW_LIT(b, "}");
	rc |= JW_LIT(b, ",\"meta\":") || jw_put(b, dj->meta.p, dj->meta.len) || JW_LIT(b, "}\n");
	return rc ? -1 : 0;
}

/* An array of integers as either reader has it: a jansson array, or a field of the line
 * whose integers the scan read (struct jfield). */
struct intsrc {
	json_t *j;
	const struct jfield *f;
	const long long *iv;
	int is_span;
};

static int intsrc_ok(const struct intsrc *a)
{
	return a->is_span ? a->f && jspan_is_array(&a->f->val) : json_is_array(a->j);
}

/* A JSON array of integers [k0,o0,...] into anchors; the keys must rise and stay inside
 * keylen, the offsets inside the document. */
static int read_map(const struct intsrc *arr, size_t keylen, size_t doclen, size_t **anchors,
		    size_t *n, size_t *cap, char *why, size_t whylen, const char *name)
{
	if (!intsrc_ok(arr)) {
		snprintf(why, whylen, "'%s' is not an array of [key, original] offset pairs", name);
		return 1;
	}
	size_t m = 0, last = 0;
	for (;;) {
		long long v = 0;
		int is_int;
		if (arr->is_span) {
			if (m == arr->f->ni && arr->f->all_ints)
				break;
			is_int = m < arr->f->ni;
			v = is_int ? arr->iv[arr->f->i0 + m] : 0;
		} else {
			if (m >= json_array_size(arr->j))
				break;
			json_t *x = json_array_get(arr->j, m);
			is_int = json_is_integer(x);
			v = is_int ? json_integer_value(x) : 0;
		}
		if (!is_int || v < 0) {
			snprintf(why, whylen, "'%s'[%zu] is not a non-negative integer", name, m);
			return 1;
		}
		size_t x = (size_t)v;
		if (m % 2 == 0 && ((m && x < last) || x > keylen)) {
			snprintf(why, whylen, "'%s'[%zu]: key offset %zu out of order or past the key", name, m, x);
			return 1;
		}
		if (m % 2 == 1 && x > doclen) {
			snprintf(why, whylen, "'%s'[%zu]: offset %zu is past the end of 'text'", name, m, x);
			return 1;
		}
		if (m % 2 == 0)
			last = x;
		if (m + 1 > 2 * *cap) {
			size_t c = *cap ? *cap * 2 : 32;
			size_t *an = realloc(*anchors, 2 * c * sizeof(*an));
			if (!an)
				return -1;
			*anchors = an;
			*cap = c;
		}
		(*anchors)[m++] = x;
	}
	if (m % 2) {
		snprintf(why, whylen, "'%s' is not an array of [key, original] offset pairs", name);
		return 1;
	}
	*n = m / 2;
	return 0;
}

static int get_int(json_t *o, const char *k, json_int_t *v)
{
	json_t *x = json_object_get(o, k);
	if (!json_is_integer(x))
		return 0;
	*v = json_integer_value(x);
	return 1;
}

/* One sentence as either reader has it; strings are decoded when it is coded. */
struct src_sentence {
	long long n, a, b;
	json_t *jkey, *jfold;	    /* jansson reader */
	struct jspan skey, sfold;   /* line reader; p NULL when absent */
	struct intsrc map, fmap;
	int has_fold;		    /* fold and fmap both given */
	int key_checked;	    /* key and fold are known to be UTF-8 (the line reader's scan) */
};

static int src_string(json_t *j, const struct jspan *sp, struct buf *tmp, const char **out,
		      size_t *len)
{
	if (j) {
		*out = json_string_value(j);
		*len = json_string_length(j);
		return 0;
	}
	return jspan_string(sp, tmp, out, len) == JSCAN_OK ? 0 : -1;
}

/* Code the sentences of a checked document; 0, 1 (rejected: r->reason), -1 (OOM). */
static int code_sentences(const struct engine *e, struct extract_ws *ws, const struct src_sentence *ss,
			  size_t ns, const struct sentence_view *svp, const char *doc_id,
			  struct doc_result *r, const struct doc_json *dj)
{
	static __thread size_t *anchors;
	static __thread size_t acap;
	static __thread struct buf keytmp, foldtmp;
	struct sentence_view sv = *svp;
	size_t idlen = strlen(doc_id);
	for (size_t i = 0; i < ns; i++) {
		const struct src_sentence *s = &ss[i];
		char *fold = NULL;
		struct offmap fm = OFFMAP_INIT;
		char why[200];
		int rc;
		if (src_string(s->jkey, &s->skey, &keytmp, &sv.key, &sv.keylen))
			return -1;
		rc = read_map(&s->map, sv.keylen, sv.doclen, &anchors, &sv.nmap, &acap, why, sizeof why, "map");
		if (rc == 0 && sv.lang == RL_TR) {
			if (s->has_fold) {
				if (src_string(s->jfold, &s->sfold, &foldtmp, &sv.key, &sv.keylen))
					return -1;
				rc = read_map(&s->fmap, sv.keylen, sv.doclen, &anchors, &sv.nmap, &acap, why,
					      sizeof why, "fmap");
			} else {
				/* no fold given: make it from the key, as normalize would */
				struct offmap km = {anchors, sv.nmap, acap};
				size_t fl;
				if (text_fold_tr(sv.key, sv.keylen, &km, &fold, &fl, &fm))
					return -1;
				sv.key = fold;
				sv.keylen = fl;
			}
		}
		if (rc) {
			free(fold);
			offmap_release(&fm);
			if (rc < 0)
				return -1;
			snprintf(r->reason, sizeof r->reason, "sentence %zu: %s", i, why);
			return 1;
		}
		sv.map = fold ? fm.anchors : anchors;
		if (fold)
			sv.nmap = fm.n;
		if (!(s->key_checked && !fold) && !utf8_valid(sv.key, sv.keylen, NULL)) {
			free(fold);
			offmap_release(&fm);
			snprintf(r->reason, sizeof r->reason, "sentence %zu: 'key' is not valid UTF-8", i);
			return 1;
		}
		if (e->explain) {
			char head[256];
			snprintf(head, sizeof head, "explain %s:%lld [%s] ", doc_id, s->n, rl_lang_codes[sv.lang]);
			buf_adds(&r->explain, head);
			buf_add(&r->explain, sv.key, sv.keylen);
			buf_addc(&r->explain, '\n');
		}
		r->sentences++;
		int k = 0; /* mention ids count within the sentence */
		rc = extract_sentence(e, ws, &sv, -1, e->explain ? &r->explain : NULL);
		for (size_t j = 0; rc == 0 && j < ws->nms; j++) {
			const struct mention *m = &ws->ms[j];
			if (m->negated && !e->keep_negated) {
				r->negated_dropped++;
				continue;
			}
			if (jw_mention(&r->out, e, ws, &sv, m, dj, doc_id, idlen, s->n, k++, (size_t)s->a,
				       (size_t)s->b))
				rc = -1;
			r->mentions++;
		}
		free(fold);
		offmap_release(&fm);
		if (rc)
			return -1;
	}
	return 0;
}

/* Check the sentences (one bad sentence rejects the document) and code them. */
static int code_document(const struct engine *e, struct extract_ws *ws, struct src_sentence *ss,
			 size_t ns, const struct sentence_view *sv, const char *doc_id,
			 const struct doc_json *dj, struct doc_result *r)
{
	int status = code_sentences(e, ws, ss, ns, sv, doc_id, r, dj);
	if (status == 1) {
		/* coded whole or not at all */
		r->out.len = 0;
		r->mentions = r->sentences = r->negated_dropped = 0;
	}
	return status;
}

/* The first problem of a sentence's fields, or NULL. */
static const char *sentence_problem(int is_object, int ints_ok, long long a, long long b,
				    size_t doclen, int key_ok, int map_ok)
{
	if (!is_object)
		return "is not an object";
	if (!ints_ok)
		return "lacks integer 'n', 'start' or 'end'";
	if (a < 0 || b < a || (size_t)b > doclen)
		return "has 'start'/'end' outside 'text'";
	if (!key_ok)
		return "lacks a string 'key'";
	if (!map_ok)
		return "lacks the array 'map'";
	return NULL;
}

static struct src_sentence *grow_sentences(struct src_sentence **ss, size_t *cap, size_t n)
{
	if (n > *cap) {
		size_t c = n + 16;
		struct src_sentence *v = realloc(*ss, c * sizeof(*v));
		if (!v)
			return NULL;
		*ss = v;
		*cap = c;
	}
	return *ss;
}

int extract_document(const struct engine *e, struct extract_ws *ws, json_t *doc,
		     struct doc_result *r)
{
	static __thread struct src_sentence *ss;
	static __thread size_t sscap;
	r->reason[0] = '\0';
	json_t *jid = json_object_get(doc, "doc_id"), *jtext = json_object_get(doc, "text");
	json_t *sents = json_object_get(doc, "sentences");
	if (!json_is_string(jid)) {
		snprintf(r->reason, sizeof r->reason, "field 'doc_id' is missing or not a string");
		return 1;
	}
	if (!json_is_string(jtext)) {
		snprintf(r->reason, sizeof r->reason, "field 'text' is missing or not a string");
		return 1;
	}
	if (!json_is_array(sents)) {
		snprintf(r->reason, sizeof r->reason,
			 "field 'sentences' is missing or not an array (run olay-normalize first)");
		return 1;
	}
	const char *doc_id = json_string_value(jid);
	struct sentence_view sv;
	memset(&sv, 0, sizeof sv);
	sv.doc = json_string_value(jtext);
	sv.doclen = json_string_length(jtext);
	json_t *jlang = json_object_get(doc, "lang");
	int l = rl_lang_index(json_is_string(jlang) ? json_string_value(jlang) : "und");
	sv.lang = l < 0 ? RL_EN : l;
	json_t *jdate = json_object_get(doc, "date");
	if (json_is_string(jdate))
		sv.date = rl_parse_date(json_string_value(jdate), json_string_length(jdate));
	if (sv.date < 0)
		sv.date = 0;
	/* check every sentence before writing any mention: a document is coded whole or rejected */
	size_t ns = json_array_size(sents);
	if (!grow_sentences(&ss, &sscap, ns + 1))
		return -1;
	for (size_t i = 0; i < ns; i++) {
		json_t *s = json_array_get(sents, i);
		struct src_sentence *x = &ss[i];
		memset(x, 0, sizeof *x);
		json_int_t n = 0, a = 0, b = 0;
		int ints = json_is_object(s) && get_int(s, "n", &n) && get_int(s, "start", &a) &&
			   get_int(s, "end", &b);
		x->n = n, x->a = a, x->b = b;
		x->jkey = json_object_get(s, "key");
		x->map.j = json_object_get(s, "map");
		x->jfold = json_object_get(s, "fold");
		x->fmap.j = json_object_get(s, "fmap");
		x->has_fold = json_is_string(x->jfold) && x->fmap.j;
		const char *bad = sentence_problem(json_is_object(s), ints, a, b, sv.doclen,
						   json_is_string(x->jkey), json_is_array(x->map.j));
		if (bad) {
			snprintf(r->reason, sizeof r->reason, "sentence %zu %s", i, bad);
			return 1;
		}
	}
	struct doc_json *dj = doc_json_reset();
	if (doc_json_init(dj, doc))
		return -1;
	return code_document(e, ws, ss, ns, &sv, doc_id, dj, r);
}

/* A value as written, without the white space between tokens: compact, like the rest. */
static int add_compact(struct buf *b, const char *p, size_t n)
{
	int in_str = 0;
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			if (buf_add(b, p + run, i - run))
				return -1;
			run = i + 1;
		}
	}
	return buf_add(b, p + run, n - run);
}

/* The same, reading the fields where they lie in the line. */
int extract_document_line(const struct engine *e, struct extract_ws *ws, const char *line,
			  size_t len, struct doc_result *r)
{
	static __thread struct jscan js;
	static __thread struct src_sentence *ss;
	static __thread size_t sscap;
	static __thread struct buf idbuf, textbuf, tmp;
	r->reason[0] = '\0';
	int rc = jscan_object_elems(&js, line, len, "sentences");
	if (rc == JSCAN_NOMEM)
		return -1;
	if (rc != JSCAN_OK)
		return 2;
	const struct jspan *jid = jscan_get(&js, "doc_id"), *jtext = jscan_get(&js, "text");
	const struct jspan *sents = jscan_get(&js, "sentences");
	if (!jspan_is_string(jid)) {
		snprintf(r->reason, sizeof r->reason, "field 'doc_id' is missing or not a string");
		return 1;
	}
	if (!jspan_is_string(jtext)) {
		snprintf(r->reason, sizeof r->reason, "field 'text' is missing or not a string");
		return 1;
	}
	if (!jspan_is_array(sents)) {
		snprintf(r->reason, sizeof r->reason,
			 "field 'sentences' is missing or not an array (run olay-normalize first)");
		return 1;
	}
	const char *p;
	size_t pn;
	if (jspan_string(jid, &tmp, &p, &pn) != JSCAN_OK)
		return -1;
	buf_reset(&idbuf);
	if (buf_add(&idbuf, p, pn) || buf_grow(&idbuf, 1))
		return -1;
	idbuf.p[idbuf.len] = '\0';
	if (memchr(idbuf.p, '\0', idbuf.len))
		return 2; /* jansson's strings stop at a NUL: let it decide */
	struct sentence_view sv;
	memset(&sv, 0, sizeof sv);
	if (jspan_string(jtext, &textbuf, &sv.doc, &sv.doclen) != JSCAN_OK)
		return -1;
	const struct jspan *jlang = jscan_get(&js, "lang"), *jdate = jscan_get(&js, "date");
	char code[16] = "und";
	if (jspan_is_string(jlang) && jspan_string(jlang, &tmp, &p, &pn) == JSCAN_OK && pn < sizeof code) {
		memcpy(code, p, pn);
		code[pn] = '\0';
	}
	int l = rl_lang_index(code);
	sv.lang = l < 0 ? RL_EN : l;
	if (jspan_is_string(jdate) && jspan_string(jdate, &tmp, &p, &pn) == JSCAN_OK)
		sv.date = rl_parse_date(p, pn);
	if (sv.date < 0)
		sv.date = 0;
	/* the sentences, checked before any is coded; their fields were listed by the scan */
	size_t ns = js.ne;
	if (!grow_sentences(&ss, &sscap, ns + 1))
		return -1;
	for (size_t i = 0; i < ns; i++) {
		const struct jelem *el = &js.e[i];
		struct src_sentence *x = &ss[i];
		memset(x, 0, sizeof *x);
		x->map.is_span = x->fmap.is_span = 1;
		x->key_checked = 1; /* the scan checked its UTF-8 */
		int obj = jspan_is_object(&el->v);
		const struct jspan *vn = NULL, *va = NULL, *vb = NULL, *vk = NULL, *vm = NULL, *vf = NULL,
				   *vfm = NULL;
		const struct jfield *fm = NULL, *ffm = NULL;
		/* one pass over the fields (keys are never repeated in a scanned line) */
		for (size_t k = 0; k < el->nf; k++) {
			const struct jfield *f = &js.ef[el->f + k];
			const char *kp = f->key.p;
			switch (f->key.n) {
			case 1:
				if (kp[0] == 'n')
					vn = &f->val;
				break;
			case 3:
				if (memcmp(kp, "key", 3) == 0)
					vk = &f->val;
				else if (memcmp(kp, "map", 3) == 0)
					vm = &f->val, fm = f;
				else if (memcmp(kp, "end", 3) == 0)
					vb = &f->val;
				break;
			case 4:
				if (memcmp(kp, "fold", 4) == 0)
					vf = &f->val;
				else if (memcmp(kp, "fmap", 4) == 0)
					vfm = &f->val, ffm = f;
				break;
			case 5:
				if (memcmp(kp, "start", 5) == 0)
					va = &f->val;
				break;
			}
		}
		int ints = obj && jspan_int(vn, &x->n) && jspan_int(va, &x->a) && jspan_int(vb, &x->b);
		const char *bad = sentence_problem(obj, ints, x->a, x->b, sv.doclen, jspan_is_string(vk),
						   jspan_is_array(vm));
		if (bad) {
			snprintf(r->reason, sizeof r->reason, "sentence %zu %s", i, bad);
			return 1;
		}
		x->skey = *vk;
		x->map.f = fm;
		x->fmap.f = ffm;
		x->map.iv = x->fmap.iv = js.iv;
		x->has_fold = jspan_is_string(vf) && vfm;
		if (x->has_fold)
			x->sfold = *vf;
	}
	/* the document's own fields, as written, for every mention */
	struct doc_json *dj = doc_json_reset();
	struct buf *meta = &dj->meta;
	int err = buf_addc(meta, '{');
	int first = 1;
	for (size_t i = 0; i < js.n && !err; i++) {
		const struct jfield *f = &js.f[i];
		char key[64];
		if (f->key.n < sizeof key) {
			memcpy(key, f->key.p, f->key.n);
			key[f->key.n] = '\0';
			if (is_skipped(key))
				continue;
		}
		err |= (!first && buf_addc(meta, ',')) || buf_addc(meta, '"') ||
		       buf_add(meta, f->key.p, f->key.n) || buf_add(meta, "\":", 2) ||
		       add_compact(meta, f->val.p, f->val.n);
		first = 0;
	}
	err |= buf_addc(meta, '}');
	for (int i = 0; i < 5 && !err; i++) {
		const struct jspan *v = jscan_get(&js, copied_fields[i]);
		err |= add_copied_key(&dj->copied, copied_fields[i]) ||
		       (v ? add_compact(&dj->copied, v->p, v->n) : buf_add(&dj->copied, "null", 4));
	}
	return err ? -1 : code_document(e, ws, ss, ns, &sv, idbuf.p, dj, r);
}

/* --- examples ------------------------------------------------------------------------ */

static const char *const lang_names[RL_NLANG] = {"tr", "ar", "en"};

static int prefix_ok(const char *want, const char *got)
{
	if (strcmp(want, "-") == 0)
		return !got[0];
	return got[0] && strncmp(got, want, strlen(want)) == 0;
}

int extract_text(const struct engine *e, struct extract_ws *ws, int lang, int date,
		 const char *text, int only_rule, struct buf *explain)
{
	enum olay_lang tl = lang_from_code(lang_names[lang]);
	char *clean = NULL, *key = NULL, *fold = NULL;
	size_t cn = 0, kn = 0, fn = 0;
	struct offmap km = OFFMAP_INIT, fm = OFFMAP_INIT;
	int rc = text_clean(text, strlen(text), 0, &clean, &cn, NULL, NULL);
	if (!rc)
		rc = text_key(tl, clean, cn, 0, &key, &kn, &km);
	if (!rc && lang == RL_TR)
		rc = text_fold_tr(key, kn, &km, &fold, &fn, &fm);
	struct sentence_view sv;
	memset(&sv, 0, sizeof sv);
	sv.lang = lang;
	sv.doc = clean;
	sv.doclen = cn;
	sv.date = date;
	sv.key = fold ? fold : key;
	sv.keylen = fold ? fn : kn;
	sv.map = fold ? fm.anchors : km.anchors;
	sv.nmap = fold ? fm.n : km.n;
	if (!rc && explain) {
		buf_adds(explain, "explain [");
		buf_adds(explain, lang_names[lang]);
		buf_adds(explain, "] ");
		buf_add(explain, sv.key, sv.keylen);
		buf_addc(explain, '\n');
	}
	if (!rc)
		rc = extract_sentence(e, ws, &sv, only_rule, explain);
	free(clean), free(key), free(fold);
	offmap_release(&km), offmap_release(&fm);
	return rc;
}

long engine_check_examples(const struct engine *e, struct extract_ws *ws, struct diags *d)
{
	long count = 0;
	for (size_t ri = 0; ri < e->rs.nrules; ri++) {
		const struct rl_rule *r = &e->rs.rules[ri];
		int has_pattern = 0;
		for (size_t p = 0; p < e->npats; p++)
			has_pattern |= e->pats[p].rule == (int)ri;
		if (!has_pattern)
			continue; /* its patterns are already reported */
		for (size_t x = 0; x < r->nexamples; x++) {
			const struct rl_example *ex = &r->examples[x];
			if (extract_text(e, ws, r->lang, ex->date, ex->sentence, (int)ri, NULL))
				return -1;
			count++;
			/* what the rule gave, for the message */
			char got[512] = "";
			size_t gl = 0;
			int nact = 0;
			for (size_t i = 0; i < ws->nms; i++) {
				const struct mention *m = &ws->ms[i];
				if (m->negated)
					continue;
				nact++;
				gl += (size_t)snprintf(got + gl, sizeof got > gl ? sizeof got - gl : 0, "%s%s %s %s",
						       gl ? "; " : "", m->src_code[0] ? m->src_code : "-", m->code,
						       m->tgt_code[0] ? m->tgt_code : "-");
				if (gl >= sizeof got)
					gl = sizeof got - 1;
			}
			if (!nact)
				snprintf(got, sizeof got, "none");
			if (ex->nexpect == 0 && nact) {
				diags_add(d, r->file, ex->line, ex->col, "example of '%s' expects none, got %s",
					  r->id, got);
			}
			for (size_t q = 0; q < ex->nexpect; q++) {
				const struct rl_expect *want = &ex->expect[q];
				int ok = 0;
				for (size_t i = 0; i < ws->nms && !ok; i++) {
					const struct mention *m = &ws->ms[i];
					ok = !m->negated && strcmp(m->code, want->code) == 0 &&
					     ((prefix_ok(want->src, m->src_code) && prefix_ok(want->tgt, m->tgt_code)) ||
					      /* a symmetric event has no direction */
					      (m->symmetric && prefix_ok(want->src, m->tgt_code) &&
					       prefix_ok(want->tgt, m->src_code)));
				}
				if (!ok)
					diags_add(d, r->file, ex->line, ex->col,
						  "example of '%s' expects '%s %s %s', got %s", r->id, want->src,
						  want->code, want->tgt, got);
			}
		}
	}
	return count;
}
