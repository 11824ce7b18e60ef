/* extract_doc.c: documents in, mention records out; and the examples of the rules, run
 * through the same path as documents. */
#include "olay/extract.h"
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

static json_t *orig_span(const struct sentence_view *sv, uint32_t ks, uint32_t ke)
{
	size_t a = view_orig(sv, ks), b = view_orig(sv, ke);
	if (a > sv->doclen)
		a = sv->doclen;
	if (b > sv->doclen || b < a)
		b = a > sv->doclen ? sv->doclen : (b < a ? a : sv->doclen);
	json_t *o = json_object();
	json_object_set_new(o, "text", json_stringn(sv->doc + a, b - a));
	json_object_set_new(o, "start", json_integer((json_int_t)a));
	json_object_set_new(o, "end", json_integer((json_int_t)b));
	return o;
}

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *actor_json(const struct engine *e, const struct sentence_view *sv,
			  const struct tagged_actor *a, const char *code, const char *role)
{
	if (!a)
		return json_null();
	(void)e;
	json_t *o = orig_span(sv, a->ks, a->ke);
	json_object_set_new(o, "code", json_string(code));
	json_object_set_new(o, "name", json_string(a->name ? a->name : ""));
	json_object_set_new(o, "country", str_or_null(a->country));
	json_object_set_new(o, "group", str_or_null(a->group));
	json_object_set_new(o, "role", str_or_null(role));
	json_object_set_new(o, "entity", json_string(a->entity ? a->entity : ""));
	return o;
}

static json_t *location_json(const struct engine *e, const struct sentence_view *sv,
			     const struct tagged_actor *a)
{
	const struct ruleset *rs = &e->rs;
	json_t *o = json_object();
	if (a->place >= 0) {
		const struct rl_place *p = &rs->places[a->place];
		json_object_set_new(o, "id", json_string(p->id));
		json_object_set_new(o, "name", json_string(p->names[RL_EN].n ? p->names[RL_EN].v[0].s : p->id));
		json_object_set_new(o, "type", str_or_null(p->type));
		json_object_set_new(o, "country", str_or_null(p->country));
		json_object_set_new(o, "lat", json_real(p->lat));
		json_object_set_new(o, "lon", json_real(p->lon));
	} else {
		/* a state in the locative: its centroid from places/countries.tsv; a seat with
		 * no place entry has no coordinates */
		int ai = a->actor >= 0 ? a->actor : a->country_actor;
		const struct rl_actor *c = &rs->actors[ai];
		const struct country *cc = a->actor >= 0 ? engine_country(e, c->country) : NULL;
		json_object_set_new(o, "id", json_string(c->id));
		json_object_set_new(o, "name", json_string(cc ? cc->name : a->name ? a->name : c->id));
		json_object_set_new(o, "type", json_string(a->actor >= 0 ? "country" : "seat"));
		json_object_set_new(o, "country", str_or_null(c->country));
		json_object_set_new(o, "lat", cc ? json_real(cc->lat) : json_null());
		json_object_set_new(o, "lon", cc ? json_real(cc->lon) : json_null());
	}
	json_t *span = orig_span(sv, a->ks, a->ke);
	json_object_update(o, span);
	json_decref(span);
	return o;
}

static json_t *mention_json(const struct engine *e, const struct extract_ws *ws,
			    const struct sentence_view *sv, const struct mention *m, json_t *doc,
			    const char *doc_id, json_int_t n, int k, size_t s_start, size_t s_end)
{
	const struct tagging *tg = &ws->tg;
	const struct rl_rule *r = &e->rs.rules[m->rule];
	const struct cpattern *cp = &e->pats[m->pattern];
	const struct code_row *row = codes_find(&e->rs.codes, m->code);
	json_t *o = json_object();
	char id[512];
	snprintf(id, sizeof id, "%s:%lld:%d", doc_id, (long long)n, k);
	json_object_set_new(o, "mention_id", json_string(id));
	json_object_set_new(o, "doc_id", json_string(doc_id));
	json_object_set_new(o, "sentence", json_integer(n));
	static const char *const copied[] = {"date", "lang", "publisher", "url", "source_file"};
	for (size_t i = 0; i < 5; i++) {
		json_t *v = json_object_get(doc, copied[i]);
		json_object_set(o, copied[i], v ? v : json_null());
	}
	json_object_set_new(o, "source", actor_json(e, sv, m->src >= 0 ? &tg->acts[m->src] : NULL,
						    m->src_code, m->src_role));
	json_object_set_new(o, "target", actor_json(e, sv, m->tgt >= 0 ? &tg->acts[m->tgt] : NULL,
						    m->tgt_code, m->tgt_role));
	/* "our army": the country is the speaker's */
	for (int side = 0; side < 2 && m->speaker >= 0; side++) {
		int a = side ? m->tgt : m->src;
		if (a >= 0 && tg->acts[a].ours && tg->acts[m->speaker].country[0])
			json_object_set_new(json_object_get(o, side ? "target" : "source"), "country",
					    json_string(tg->acts[m->speaker].country));
	}
	json_object_set_new(o, "code", json_string(m->code));
	json_object_set_new(o, "root", json_string(row ? row->root : ""));
	json_object_set_new(o, "quad", json_integer(row ? row->quad : 0));
	json_object_set_new(o, "goldstein", json_real(row ? row->goldstein : 0));
	json_object_set_new(o, "symmetric", json_boolean(m->symmetric));
	json_object_set_new(o, "passive", json_boolean(m->passive));
	json_object_set_new(o, "negated", json_boolean(m->negated));
	json_object_set_new(o, "modality", json_string(m->intent ? "intent" : "act"));
	json_t *rule = json_object();
	json_object_set_new(rule, "id", json_string(r->id));
	json_object_set_new(rule, "file", json_string(ruleset_relpath(&e->rs, r->file)));
	json_object_set_new(rule, "line", json_integer(cp->line));
	json_object_set_new(rule, "pattern", json_string(cp->text));
	json_object_set_new(o, "rule", rule);
	json_object_set_new(o, "trigger", orig_span(sv, m->trig_ks, m->trig_ke));
	json_object_set_new(o, "location", m->location >= 0 ? location_json(e, sv, &tg->acts[m->location])
							    : json_null());
	json_object_set_new(o, "speaker", m->speaker >= 0 ? actor_json(e, sv, &tg->acts[m->speaker],
								       tg->acts[m->speaker].code,
								       tg->acts[m->speaker].role)
							  : json_null());
	json_t *ev = json_object();
	json_object_set_new(ev, "text", json_stringn(sv->doc + s_start, s_end - s_start));
	json_object_set_new(ev, "start", json_integer((json_int_t)s_start));
	json_object_set_new(ev, "end", json_integer((json_int_t)s_end));
	json_object_set_new(o, "evidence", ev);
	json_t *meta = json_object();
	const char *key;
	json_t *val;
	json_object_foreach(doc, key, val)
		if (!is_skipped(key))
			json_object_set(meta, key, val);
	json_object_set_new(o, "meta", meta);
	return o;
}

/* A JSON array of integers [k0,o0,...] into anchors; the keys must rise and stay inside
 * keylen, the offsets inside the document. */
static int read_map(json_t *arr, size_t keylen, size_t doclen, size_t **anchors, size_t *n,
		    size_t *cap, char *why, size_t whylen, const char *name)
{
	if (!json_is_array(arr) || json_array_size(arr) % 2) {
		snprintf(why, whylen, "'%s' is not an array of [key, original] offset pairs", name);
		return 1;
	}
	size_t m = json_array_size(arr);
	if (m / 2 > *cap) {
		size_t *a = realloc(*anchors, m * sizeof(*a));
		if (!a)
			return -1;
		*anchors = a;
		*cap = m / 2;
	}
	size_t last = 0;
	for (size_t i = 0; i < m; i++) {
		json_t *v = json_array_get(arr, i);
		if (!json_is_integer(v) || json_integer_value(v) < 0) {
			snprintf(why, whylen, "'%s'[%zu] is not a non-negative integer", name, i);
			return 1;
		}
		size_t x = (size_t)json_integer_value(v);
		if (i % 2 == 0 && ((i && x < last) || x > keylen)) {
			snprintf(why, whylen, "'%s'[%zu]: key offset %zu out of order or past the key", name, i, x);
			return 1;
		}
		if (i % 2 == 1 && x > doclen) {
			snprintf(why, whylen, "'%s'[%zu]: offset %zu is past the end of 'text'", name, i, x);
			return 1;
		}
		if (i % 2 == 0)
			last = x;
		(*anchors)[i] = x;
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

int extract_document(const struct engine *e, struct extract_ws *ws, json_t *doc,
		     struct doc_result *r)
{
	static __thread size_t *anchors;
	static __thread size_t acap;
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
	for (size_t i = 0; i < ns; i++) {
		json_t *s = json_array_get(sents, i);
		json_int_t n, a, b;
		const char *bad = NULL;
		if (!json_is_object(s))
			bad = "is not an object";
		else if (!get_int(s, "n", &n) || !get_int(s, "start", &a) || !get_int(s, "end", &b))
			bad = "lacks integer 'n', 'start' or 'end'";
		else if (a < 0 || b < a || (size_t)b > sv.doclen)
			bad = "has 'start'/'end' outside 'text'";
		else if (!json_is_string(json_object_get(s, "key")))
			bad = "lacks a string 'key'";
		else if (!json_is_array(json_object_get(s, "map")))
			bad = "lacks the array 'map'";
		if (bad) {
			snprintf(r->reason, sizeof r->reason, "sentence %zu %s", i, bad);
			return 1;
		}
	}
	int k = 0;
	for (size_t i = 0; i < ns; i++) {
		json_t *s = json_array_get(sents, i);
		json_int_t n = 0, a = 0, b = 0;
		get_int(s, "n", &n);
		get_int(s, "start", &a);
		get_int(s, "end", &b);
		json_t *jkey = json_object_get(s, "key"), *jmap = json_object_get(s, "map");
		json_t *jfold = json_object_get(s, "fold"), *jfmap = json_object_get(s, "fmap");
		char *fold = NULL;
		struct offmap fm = OFFMAP_INIT;
		char why[200];
		int rc;
		sv.key = json_string_value(jkey);
		sv.keylen = json_string_length(jkey);
		rc = read_map(jmap, sv.keylen, sv.doclen, &anchors, &sv.nmap, &acap, why, sizeof why, "map");
		if (rc == 0 && sv.lang == RL_TR) {
			if (json_is_string(jfold) && jfmap) {
				sv.key = json_string_value(jfold);
				sv.keylen = json_string_length(jfold);
				rc = read_map(jfmap, sv.keylen, sv.doclen, &anchors, &sv.nmap, &acap, why,
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
			/* coded whole or not at all */
			r->out.len = 0;
			r->mentions = r->sentences = r->negated_dropped = 0;
			return 1;
		}
		sv.map = fold ? fm.anchors : anchors;
		if (fold)
			sv.nmap = fm.n;
		if (!utf8_valid(sv.key, sv.keylen, NULL)) {
			free(fold);
			offmap_release(&fm);
			snprintf(r->reason, sizeof r->reason, "sentence %zu: 'key' is not valid UTF-8", i);
			return 1;
		}
		if (e->explain) {
			char head[256];
			snprintf(head, sizeof head, "explain %s:%lld [%s] ", doc_id, (long long)n,
				 rl_lang_codes[sv.lang]);
			buf_adds(&r->explain, head);
			buf_add(&r->explain, sv.key, sv.keylen);
			buf_addc(&r->explain, '\n');
		}
		r->sentences++;
		k = 0; /* mention ids count within the sentence */
		rc = extract_sentence(e, ws, &sv, -1, e->explain ? &r->explain : NULL);
		for (size_t j = 0; rc == 0 && j < ws->nms; j++) {
			const struct mention *m = &ws->ms[j];
			if (m->negated && !e->keep_negated) {
				r->negated_dropped++;
				continue;
			}
			json_t *o = mention_json(e, ws, &sv, m, doc, doc_id, n, k++, (size_t)a, (size_t)b);
			char *line = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10));
			json_decref(o);
			if (!line || buf_adds(&r->out, line) || buf_addc(&r->out, '\n'))
				rc = -1;
			free(line);
			r->mentions++;
		}
		free(fold);
		offmap_release(&fm);
		if (rc)
			return -1;
	}
	return 0;
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
