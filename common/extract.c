/* extract.c: the engine: load and lint a rule set, compile it, and code one sentence. */
#include "olay/extract.h"
#include "olay/text.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MATCH_LIMIT 200000
#define DEPTH_LIMIT 2000
#define HEAP_LIMIT_KIB 16384
#define WINDOW 2 /* negation and modal words: tokens before (ar, en) or after (tr) */

/* --- loading and linting ------------------------------------------------------------ */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(**(const char *const *const *)a, **(const char *const *const *)b);
}

/* Report ids used twice: ids[i] points at the id field of item i. */
static int check_dups(const char **ids, size_t n, const char *what, const char *const *files,
		      const int *lines, struct diags *d)
{
	const char ***idx = malloc(n * sizeof(*idx));
	if (!idx && n)
		return -1;
	for (size_t i = 0; i < n; i++)
		idx[i] = &ids[i];
	if (n > 1)
		qsort(idx, n, sizeof(*idx), cmp_str);
	for (size_t i = 1; i < n; i++)
		if (strcmp(*idx[i], *idx[i - 1]) == 0) {
			size_t a = (size_t)(idx[i - 1] - ids), b = (size_t)(idx[i] - ids);
			if (a > b) {
				size_t t = a;
				a = b;
				b = t;
			}
			diags_add(d, files[b], lines[b], 1, "duplicate %s id '%s' (first at %s:%d)", what,
				  ids[b], files[a], lines[a]);
		}
	free(idx);
	return 0;
}

static int lint_ids(const struct ruleset *rs, struct diags *d)
{
	size_t n = rs->nactors > rs->nrules ? rs->nactors : rs->nrules;
	if (rs->nplaces > n)
		n = rs->nplaces;
	const char **ids = malloc((n + 1) * sizeof(*ids));
	const char **files = malloc((n + 1) * sizeof(*files));
	int *lines = malloc((n + 1) * sizeof(*lines));
	int rc = -1;
	if (!ids || !files || !lines)
		goto out;
	for (size_t i = 0; i < rs->nactors; i++)
		ids[i] = rs->actors[i].id, files[i] = rs->actors[i].file, lines[i] = rs->actors[i].line;
	if (check_dups(ids, rs->nactors, "actor", files, lines, d))
		goto out;
	for (size_t i = 0; i < rs->nrules; i++)
		ids[i] = rs->rules[i].id, files[i] = rs->rules[i].file, lines[i] = rs->rules[i].line;
	if (check_dups(ids, rs->nrules, "rule", files, lines, d))
		goto out;
	for (size_t i = 0; i < rs->nplaces; i++)
		ids[i] = rs->places[i].id, files[i] = rs->places[i].file, lines[i] = rs->places[i].line;
	if (check_dups(ids, rs->nplaces, "place", files, lines, d))
		goto out;
	rc = 0;
out:
	free(ids);
	free(files);
	free(lines);
	return rc;
}

static int is_upper_code(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s);
	if (n < min || n > max)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
			return 0;
	return 1;
}

static void lint_actors(const struct ruleset *rs, struct diags *d)
{
	for (size_t i = 0; i < rs->nactors; i++) {
		const struct rl_actor *a = &rs->actors[i];
		if (!a->type)
			diags_add(d, a->file, a->line, 1, "actor '%s' has no 'type'", a->id);
		if (!a->code && !a->nroles)
			diags_add(d, a->file, a->line, 1, "actor '%s' has no 'code'", a->id);
		else if (a->code && !is_upper_code(a->code, 3, 15))
			diags_add(d, a->file, a->line, 1, "actor '%s': code '%s' is not a CAMEO actor code",
				  a->id, a->code);
		int named = 0;
		for (int l = 0; l < RL_NLANG; l++)
			named |= a->names[l].n || a->seat[l].n || a->adj[l].n;
		if (!named)
			diags_add(d, a->file, a->line, 1, "actor '%s' has no names", a->id);
		for (size_t r = 0; r < a->nroles; r++) {
			if (!is_upper_code(a->roles[r].code, 3, 15))
				diags_add(d, a->file, a->line, 1, "actor '%s': role code '%s' is not a CAMEO actor code",
					  a->id, a->roles[r].code);
			for (size_t q = 0; q < r; q++) {
				const struct rl_role *x = &a->roles[q], *y = &a->roles[r];
				int xf = x->from ? x->from : 0, xt = x->to ? x->to : 99999999;
				int yf = y->from ? y->from : 0, yt = y->to ? y->to : 99999999;
				if (xf <= yt && yf <= xt)
					diags_add(d, a->file, a->line, 1,
						  "actor '%s': dated roles '%s' and '%s' overlap", a->id,
						  x->code, y->code);
			}
		}
	}
	for (size_t i = 0; i < rs->nagents; i++) {
		const struct rl_agent *a = &rs->agents[i];
		if (strcmp(a->role, "COUNTERPART") != 0 && !is_upper_code(a->role, 3, 3))
			diags_add(d, a->file, a->line, 1, "agent role '%s' is not a three-letter CAMEO role",
				  a->role);
	}
	for (size_t i = 0; i < rs->nplaces; i++) {
		const struct rl_place *p = &rs->places[i];
		if (!p->has_lat || !p->has_lon)
			diags_add(d, p->file, p->line, 1, "place '%s' needs 'lat' and 'lon'", p->id);
	}
}

static int key_list(int l, const struct rl_list *in, struct rl_list *out)
{
	out->v = calloc(in->n + 1, sizeof(*out->v));
	if (!out->v)
		return -1;
	for (size_t i = 0; i < in->n; i++) {
		const char *s = in->v[i].s;
		size_t n = strlen(s);
		int star = n > 1 && s[n - 1] == '*';
		char *key;
		size_t kn;
		if (rule_key(l, s, n - (size_t)star, &key, &kn))
			return -1;
		if (star) {
			char *k2 = realloc(key, kn + 2);
			if (!k2) {
				free(key);
				return -1;
			}
			key = k2;
			key[kn] = '*';
			key[kn + 1] = '\0';
		}
		out->v[out->n].s = key;
		out->v[out->n].line = in->v[i].line;
		out->v[out->n].col = in->v[i].col;
		out->n++;
	}
	return 0;
}

static void free_list(struct rl_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].s);
	free(l->v);
}

static pcre2_code *compile_regex(int l, const struct rl_str *src, const char *file,
				 struct diags *d)
{
	if (!src->s)
		return NULL;
	char *key = NULL;
	size_t kn = strlen(src->s);
	const char *re = src->s;
	if (l == RL_TR) {
		/* the engine reads the ASCII fold: fold the regex's letters too */
		if (rule_key(RL_TR, src->s, kn, &key, &kn))
			return NULL;
		for (size_t i = 0; i + 1 < kn && i + 1 < strlen(src->s); i++)
			if (key[i] == '\\' && src->s[i] == '\\')
				key[i + 1] = src->s[i + 1];
		re = key;
	}
	int err;
	PCRE2_SIZE off;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)re, kn, PCRE2_UTF, &err, &off, NULL);
	if (!c) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(err, msg, sizeof msg);
		diags_add(d, file, src->line, src->col, "bad regex: %s at offset %zu", (char *)msg, (size_t)off);
	} else {
		pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
	}
	free(key);
	return c;
}

static uint32_t word_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static int is_stem(const char *w, size_t wn)
{
	return wn && w[wn - 1] == '*';
}

#define STEM_KEY 4 /* bytes: two Arabic letters, four Latin */

/* The key word of phrase p for index side last, as hashed: a whole word, or a stem's first
 * STEM_KEY bytes. */
static void index_key(const struct phrase *p, int last, const char **w, uint32_t *wn)
{
	*w = p->w[last ? p->nw - 1 : 0];
	*wn = p->len[last ? p->nw - 1 : 0];
	if (is_stem(*w, *wn))
		*wn = STEM_KEY;
}

/* Chain phrase i into the open hash head/next under its key (index_key()). */
static void index_add(const struct phrases *ph, int last, int32_t *head, int32_t *next,
		      uint32_t mask, size_t i)
{
	const char *w, *qw;
	uint32_t wn, qn;
	index_key(&ph->v[i], last, &w, &wn);
	for (uint32_t h = word_hash(w, wn) & mask;; h = (h + 1) & mask) {
		int32_t j = head[h] - 1;
		if (j < 0) {
			head[h] = (int32_t)i + 1;
			return;
		}
		index_key(&ph->v[j], last, &qw, &qn);
		if (qn == wn && memcmp(qw, w, wn) == 0) {
			next[i] = j;
			head[h] = (int32_t)i + 1;
			return;
		}
	}
}

/* Index the phrases of ph by their first (last: 1) word (struct phrase_index). */
static int index_phrases(struct phrases *ph, int last)
{
	struct phrase_index *x = &ph->by[last];
	size_t cap = 16;
	while (cap < 2 * ph->n)
		cap *= 2;
	x->head = calloc(cap, sizeof(*x->head));
	x->shead = calloc(cap, sizeof(*x->shead));
	x->next = malloc((ph->n + 1) * sizeof(*x->next));
	x->snext = malloc((ph->n + 1) * sizeof(*x->snext));
	x->stems = malloc((ph->n + 1) * sizeof(*x->stems));
	if (!x->head || !x->shead || !x->next || !x->snext || !x->stems)
		return -1;
	x->mask = (uint32_t)cap - 1;
	for (size_t i = ph->n; i-- > 0;) { /* backwards: a chain lists its phrases in order */
		const struct phrase *p = &ph->v[i];
		x->next[i] = x->snext[i] = -1;
		if (!p->nw)
			continue; /* never stands anywhere */
		const char *w = p->w[last ? p->nw - 1 : 0];
		uint32_t wn = p->len[last ? p->nw - 1 : 0];
		if (!is_stem(w, wn))
			index_add(ph, last, x->head, x->next, x->mask, i);
		else if (wn - 1 >= STEM_KEY)
			index_add(ph, last, x->shead, x->snext, x->mask, i);
		else
			x->stems[x->nstems++] = (int32_t)i;
	}
	/* the stems were listed backwards */
	for (size_t a = 0, b = x->nstems; b > a + 1; a++, b--) {
		int32_t t = x->stems[a];
		x->stems[a] = x->stems[b - 1];
		x->stems[b - 1] = t;
	}
	return 0;
}

static void free_phrases(struct phrases *ph)
{
	for (int k = 0; k < 2; k++)
		free(ph->by[k].head), free(ph->by[k].next), free(ph->by[k].stems),
			free(ph->by[k].shead), free(ph->by[k].snext);
	free(ph->v);
}

/* Split each entry of a keyed list at spaces, once (phrase_at() reads the words), and
 * index the phrases by their first and last words. */
static int split_list(const struct rl_list *list, struct phrases *out)
{
	out->v = calloc(list->n + 1, sizeof(*out->v));
	if (!out->v)
		return -1;
	out->n = list->n;
	for (size_t i = 0; i < list->n; i++) {
		struct phrase *ph = &out->v[i];
		for (const char *p = list->v[i].s; *p && ph->nw < 8;) {
			const char *sp = strchr(p, ' ');
			size_t l = sp ? (size_t)(sp - p) : strlen(p);
			ph->w[ph->nw] = p;
			ph->len[ph->nw++] = (uint32_t)l;
			p = sp ? sp + 1 : p + l;
		}
	}
	return index_phrases(out, 0) || index_phrases(out, 1) ? -1 : 0;
}

static int load_languages(struct engine *e, struct diags *d)
{
	for (int l = 0; l < RL_NLANG; l++) {
		const struct rl_language *src = &e->rs.lang[l];
		struct lang_rt *rt = &e->lang[l];
		rt->gap = src->gap > 0 ? src->gap : 6;
		rt->neg_suffix = compile_regex(l, &src->negation_suffix, src->file, d);
		rt->fut_suffix = compile_regex(l, &src->future_suffix, src->file, d);
		/* future-prefix may be a /regex/ on the verb (Arabic س with its exceptions) */
		for (size_t i = 0; i < src->future_prefix.n; i++) {
			const struct rl_str *fp = &src->future_prefix.v[i];
			size_t n = strlen(fp->s);
			if (n >= 2 && fp->s[0] == '/' && fp->s[n - 1] == '/') {
				struct rl_str re = *fp;
				char *body = strndup(fp->s + 1, n - 2);
				if (!body)
					return -1;
				re.s = body;
				rt->fut_prefix_re = compile_regex(l, &re, src->file, d);
				free(body);
			}
		}
		struct rl_list modal = {NULL, 0};
		/* future and modal words do the same: one list */
		size_t n = src->future_word.n + src->modal_word.n;
		modal.v = malloc((n + 1) * sizeof(*modal.v));
		if (!modal.v)
			return -1;
		for (size_t i = 0; i < src->future_word.n; i++)
			modal.v[modal.n++] = src->future_word.v[i];
		for (size_t i = 0; i < src->modal_word.n; i++)
			modal.v[modal.n++] = src->modal_word.v[i];
		int rc = key_list(l, &src->negation_word, &rt->neg_words) ||
			 key_list(l, &modal, &rt->fut_words) ||
			 key_list(l, &src->future_prefix, &rt->fut_prefix) ||
			 key_list(l, &src->speech_verb, &rt->speech);
		free(modal.v);
		if (rc || split_list(&rt->neg_words, &rt->neg_ph) ||
		    split_list(&rt->fut_words, &rt->fut_ph) || split_list(&rt->speech, &rt->speech_ph))
			return -1;
	}
	return 0;
}

static int lint_rules(struct engine *e, struct diags *d)
{
	const struct ruleset *rs = &e->rs;
	e->rules = calloc(rs->nrules + 1, sizeof(*e->rules));
	if (!e->rules)
		return -1;
	for (size_t i = 0; i < rs->nrules; i++) {
		const struct rl_rule *r = &rs->rules[i];
		struct rule_rt *rt = &e->rules[i];
		if (!r->code) {
			diags_add(d, r->file, r->line, 1, "rule '%s' has no 'code'", r->id);
		} else if (!(rt->row = codes_find(&rs->codes, r->code))) {
			diags_add(d, r->file, r->code_line, r->code_col, "unknown CAMEO event code '%s'", r->code);
		}
		if (r->intent) {
			if (!(rt->intent_row = codes_find(&rs->codes, r->intent)))
				diags_add(d, r->file, r->intent_line, r->intent_col, "unknown CAMEO intent code '%s'", r->intent);
		} else if (rt->row) {
			char ic[8];
			codes_default_intent(rt->row->code, ic);
			if (ic[0])
				rt->intent_row = codes_find(&rs->codes, ic);
		}
		if (!r->patterns.n)
			diags_add(d, r->file, r->line, 1, "rule '%s' has no pattern", r->id);
		if (!r->nexamples)
			diags_add(d, r->file, r->line, 1, "rule '%s' has no example", r->id);
	}
	return 0;
}

/* The id of a literal (a token, or a stem when prefix) in language l, added if new. */
static int literal_id(struct engine *e, int l, const char *k, int prefix)
{
	size_t kn = strlen(k);
	struct dict_hit hits[64];
	size_t nh = dict_prefixes(&e->lits[l], k, kn, hits, 64);
	if (nh && hits[nh - 1].len == kn)
		for (int32_t v = hits[nh - 1].head; v >= 0; v = e->lits[l].vals[v].next)
			if ((int)(e->lits[l].vals[v].value & 1) == prefix)
				return (int)(e->lits[l].vals[v].value >> 1);
	if (e->nlits == e->litcap) {
		size_t c = e->litcap ? e->litcap * 2 : 256;
		struct lit_pats *lp = realloc(e->lit_pats, c * sizeof(*lp));
		if (!lp)
			return -1;
		memset(lp + e->litcap, 0, (c - e->litcap) * sizeof(*lp));
		e->lit_pats = lp;
		e->litcap = c;
	}
	int id = (int)e->nlits++;
	if (dict_add(&e->lits[l], k, kn, (uint32_t)id * 2 + (uint32_t)prefix))
		return -1;
	return id;
}

/* One lock for the few lazy JIT compilations of a run; readers do not take it once a
 * pattern is ready. */
static pthread_mutex_t jit_lock = PTHREAD_MUTEX_INITIALIZER;

/* JIT-compile pattern p before its first match, once, whichever thread gets there first;
 * the others wait for it (never the interpreter: its limits are not the JIT's). */
static void engine_jit(const struct engine *e, size_t p)
{
	if (atomic_load_explicit(&e->jit_ready[p], memory_order_acquire))
		return;
	pthread_mutex_lock(&jit_lock);
	if (!atomic_load_explicit(&e->jit_ready[p], memory_order_relaxed)) {
		pcre2_jit_compile(e->pats[p].re, PCRE2_JIT_COMPLETE);
		atomic_store_explicit(&e->jit_ready[p], 1, memory_order_release);
	}
	pthread_mutex_unlock(&jit_lock);
}

void engine_jit_all(const struct engine *e)
{
	long np = (long)e->npats;
#pragma omp parallel for schedule(dynamic, 16)
	for (long p = 0; p < np; p++)
		engine_jit(e, (size_t)p);
}

/* The dense copy of what find_candidates() tests for every candidate (struct pat_hot). */
static int build_hot(struct engine *e)
{
	size_t ng = 0, nq = 0, nm = 0;
	for (size_t p = 0; p < e->npats; p++) {
		ng += e->pats[p].ngroups_req + 1;
		nq += e->pats[p].nglit;
		nm += e->pats[p].nmseq;
	}
	e->hot = calloc(e->npats + 1, sizeof(*e->hot));
	e->hot_gend = calloc(ng + 1, sizeof(*e->hot_gend));
	e->hot_gid = calloc(nq + 1, sizeof(*e->hot_gid));
	e->hot_mel = calloc(nm + 1, sizeof(*e->hot_mel));
	if (!e->hot || !e->hot_gend || !e->hot_gid || !e->hot_mel || ng > INT32_MAX ||
	    nq > INT32_MAX || nm > INT32_MAX)
		return -1;
	size_t g = 0, q = 0, m = 0;
	for (size_t p = 0; p < e->npats; p++) {
		const struct cpattern *cp = &e->pats[p];
		struct pat_hot *h = &e->hot[p];
		h->need_marks = cp->need_marks;
		h->min_actors = (int16_t)(cp->min_actors < INT16_MAX ? cp->min_actors : INT16_MAX);
		h->ngroups = (uint16_t)cp->ngroups_req;
		h->g0 = (int32_t)g;
		if (cp->ngroups_req > UINT16_MAX)
			return -1;
		e->hot_gend[g++] = (int32_t)q;
		for (size_t k = 0; k < cp->ngroups_req; k++)
			e->hot_gend[g++] = (int32_t)q + cp->gend[k];
		for (size_t k = 0; k < cp->nglit; k++)
			e->hot_gid[q++] = cp->gid[k];
		if (cp->nmseq > UINT16_MAX)
			return -1;
		h->m0 = (int32_t)m;
		h->nmseq = (uint16_t)cp->nmseq;
		for (size_t k = 0; k < cp->nmseq; k++) {
			struct pat_mel *x = &e->hot_mel[m++];
			x->el = cp->mseq[k];
			x->dist = cp->mseq_dist[k];
			x->mark = cp->mseq_mark[k];
			x->mbit = x->mark ? (uint8_t)__builtin_ctzll(mark_bit(x->mark)) : 0;
			if (k && x->dist >= 0)
				h->last = (uint16_t)k;
		}
	}
	return 0;
}

static int compile_patterns(struct engine *e, struct diags *d)
{
	const struct ruleset *rs = &e->rs;
	size_t n = 0;
	for (size_t i = 0; i < rs->nrules; i++)
		n += rs->rules[i].patterns.n;
	e->pats = calloc(n + 1, sizeof(*e->pats));
	if (!e->pats)
		return -1;
	e->env.rs = rs;
	e->env.lx = &e->lx;
	e->env.defer_regex = 1;
	for (size_t i = 0; i < rs->nrules; i++) {
		const struct rl_rule *r = &rs->rules[i];
		e->env.lang = r->lang;
		e->env.gap = r->gap >= 0 ? r->gap : e->lang[r->lang].gap;
		for (size_t p = 0; p < r->patterns.n; p++) {
			const struct rl_str *pt = &r->patterns.v[p];
			int rc = cpattern_compile(&e->pats[e->npats], pt->s, (int)i, r->file, pt->line,
						  pt->col, &e->env, d);
			if (rc < 0)
				return -1;
			if (rc == 0)
				e->npats++;
		}
	}
	e->env.defer_regex = 0;
	/* PCRE2 compilation is most of the loading time and needs nothing but the regex:
	 * all patterns at once on the run's threads; failures reported after, in order */
	int *err = calloc(e->npats + 1, sizeof(*err));
	if (!err)
		return -1;
#pragma omp parallel for schedule(dynamic, 16)
	for (long p = 0; p < (long)e->npats; p++)
		err[p] = cpattern_compile_regex(&e->pats[p]);
	size_t kept = 0;
	for (size_t p = 0; p < e->npats; p++) {
		struct cpattern *cp = &e->pats[p];
		if (err[p]) {
			PCRE2_UCHAR msg[256];
			pcre2_get_error_message(err[p], msg, sizeof msg);
			diags_add(d, rs->rules[cp->rule].file, cp->line, cp->col,
				  "pattern does not compile: %s", (char *)msg);
			cpattern_release(cp);
			continue;
		}
		e->pats[kept++] = *cp;
	}
	e->npats = kept;
	free(err);
	/* JIT compilation is lazy (engine_jit): most patterns are never tried on a corpus,
	 * and compiling them all was most of the loading time */
	e->jit_ready = calloc(e->npats + 1, sizeof(*e->jit_ready));
	if (!e->jit_ready)
		return -1;
	/* the index: a pattern is tried only when one of its required tokens is present */
	for (int l = 0; l < RL_NLANG; l++)
		if (dict_init(&e->lits[l]))
			return -1;
	/* and only when every group of mandatory literals has a token in the sentence; one
	 * dictionary of literals serves both: a literal id lists the patterns it triggers */
	for (size_t p = 0; p < e->npats; p++) {
		struct cpattern *cp = &e->pats[p];
		int l = rs->rules[cp->rule].lang;
		cp->gid = malloc((cp->nglit + 1) * sizeof(*cp->gid));
		if (!cp->gid)
			return -1;
		for (size_t q = 0; q < cp->nglit; q++)
			if ((cp->gid[q] = literal_id(e, l, cp->glit[q].key, cp->glit[q].prefix)) < 0)
				return -1;
	}
	if (build_hot(e))
		return -1;
	for (size_t p = 0; p < e->npats; p++) {
		const struct cpattern *cp = &e->pats[p];
		int l = rs->rules[cp->rule].lang;
		if (!cp->nreq) {
			int *a = realloc(e->always[l], (e->nalways[l] + 1) * sizeof(*a));
			if (!a)
				return -1;
			e->always[l] = a;
			a[e->nalways[l]++] = (int)p;
			continue;
		}
		for (size_t q = 0; q < cp->nreq; q++) {
			int id = literal_id(e, l, cp->req[q].key, cp->req[q].prefix);
			if (id < 0)
				return -1;
			struct lit_pats *lp = &e->lit_pats[id];
			if (lp->n && lp->v[lp->n - 1] == (int)p)
				continue;
			int *v = realloc(lp->v, (lp->n + 1) * sizeof(*v));
			if (!v)
				return -1;
			lp->v = v;
			lp->v[lp->n++] = (int)p;
		}
	}
	return 0;
}

static int cmp_country(const void *a, const void *b)
{
	return strcmp(((const struct country *)a)->iso3, ((const struct country *)b)->iso3);
}

/* places/countries.tsv: iso3, iso2, fips, name, lat, lon (centroids for a country named
 * as the place of an event). Missing file: no centroids. */
static int load_countries(struct engine *e, struct diags *d)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/places/countries.tsv", e->rs.dir);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	char line[1024];
	int lineno = 0;
	size_t cap = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (lineno == 1 || !line[0] || line[0] == '#')
			continue;
		char *fld[6];
		int nf = 0;
		for (char *p = line; nf < 6; ) {
			fld[nf++] = p;
			char *tab = strchr(p, '\t');
			if (!tab)
				break;
			*tab = '\0';
			p = tab + 1;
		}
		char *end1, *end2;
		double lat = nf == 6 ? strtod(fld[4], &end1) : 0, lon = nf == 6 ? strtod(fld[5], &end2) : 0;
		if (nf != 6 || strlen(fld[0]) != 3 || *end1 || *end2) {
			diags_add(d, path, lineno, 1, "expected iso3, iso2, fips, name, lat, lon");
			continue;
		}
		if (e->ncountries == cap) {
			cap = cap ? cap * 2 : 256;
			struct country *c = realloc(e->countries, cap * sizeof(*c));
			if (!c) {
				fclose(f);
				return -1;
			}
			e->countries = c;
		}
		struct country *c = &e->countries[e->ncountries];
		memcpy(c->iso3, fld[0], 4);
		c->name = strdup(fld[3]);
		c->lat = lat;
		c->lon = lon;
		if (!c->name) {
			fclose(f);
			return -1;
		}
		e->ncountries++;
	}
	fclose(f);
	if (e->ncountries > 1)
		qsort(e->countries, e->ncountries, sizeof(*e->countries), cmp_country);
	return 0;
}

const struct country *engine_country(const struct engine *e, const char *iso3)
{
	struct country key;
	snprintf(key.iso3, sizeof key.iso3, "%s", iso3 ? iso3 : "");
	if (!e->ncountries)
		return NULL;
	return bsearch(&key, e->countries, e->ncountries, sizeof(*e->countries), cmp_country);
}

int engine_load(struct engine *e, const char *dir, struct diags *d)
{
	memset(e, 0, sizeof(*e));
	size_t before = d->n;
	int rc = ruleset_load(&e->rs, dir, d);
	if (rc < 0 && !e->rs.dir)
		return d->n > before ? 1 : -1;
	if (rc < 0)
		return -1;
	if (lint_ids(&e->rs, d) || load_countries(e, d))
		return -1;
	lint_actors(&e->rs, d);
	if (lexicon_build(&e->lx, &e->rs, d) || load_languages(e, d) || lint_rules(e, d) ||
	    compile_patterns(e, d))
		return -1;
	/* the trigger literals are all in: walks read the compact frozen trie */
	for (int l = 0; l < RL_NLANG; l++)
		if (dict_freeze(&e->lits[l]))
			return -1;
	return d->n > before ? 1 : 0;
}

void engine_release(struct engine *e)
{
	for (size_t p = 0; p < e->npats; p++)
		cpattern_release(&e->pats[p]);
	free(e->pats);
	free(e->jit_ready);
	free(e->hot), free(e->hot_gend), free(e->hot_gid), free(e->hot_mel);
	for (size_t i = 0; i < e->env.npreds; i++)
		pcre2_code_free(e->env.preds[i]), free(e->env.pred_src[i]);
	free(e->env.preds), free(e->env.pred_src), free(e->env.pred_len);
	for (int l = 0; l < RL_NLANG; l++) {
		dict_release(&e->lits[l]);
		free(e->always[l]);
		struct lang_rt *rt = &e->lang[l];
		if (rt->neg_suffix)
			pcre2_code_free(rt->neg_suffix);
		if (rt->fut_suffix)
			pcre2_code_free(rt->fut_suffix);
		if (rt->fut_prefix_re)
			pcre2_code_free(rt->fut_prefix_re);
		free_list(&rt->neg_words), free_list(&rt->fut_words);
		free_list(&rt->fut_prefix), free_list(&rt->speech);
		free_phrases(&rt->neg_ph), free_phrases(&rt->fut_ph), free_phrases(&rt->speech_ph);
	}
	for (size_t i = 0; i < e->nlits; i++)
		free(e->lit_pats[i].v);
	free(e->lit_pats);
	free(e->rules);
	for (size_t i = 0; i < e->ncountries; i++)
		free(e->countries[i].name);
	free(e->countries);
	lexicon_release(&e->lx);
	ruleset_release(&e->rs);
	memset(e, 0, sizeof(*e));
}

/* --- per-thread workspace ---------------------------------------------------------- */

static size_t unit_at(const struct extract_ws *ws, size_t off);

static int pred_at(struct extract_ws *ws, int pred, size_t off, size_t slen);

static int callout(pcre2_callout_block *cb, void *data)
{
	struct extract_ws *ws = data;
	const struct cpattern *cp = ws->cur;
	uint32_t n = cb->callout_number;
	if (!cp || n < 1 || (int)n > cp->npreds)
		return 1;
	const char *s = (const char *)cb->subject + cb->current_position;
	if (*s == '\x01' || *s == ' ')
		return 1;
	return pred_at(ws, cp->preds[n - 1], cb->current_position, cb->subject_length) ? 0 : 1;
}

/* Does /regex/ pred accept the token at offset off of the tagged string (of length len)?
 * The same token is asked about again and again as gaps shift, and by every pattern with
 * the same /regex/: remembered per sentence (a token from its start). */
static int pred_at(struct extract_ws *ws, int pred, size_t off, size_t slen)
{
	const char *s = ws->ts.p + off;
	size_t u = unit_at(ws, off);
	uint8_t scratch = 0, *c = &scratch;
	if (off == ws->unit_off[u]) {
		if (ws->pred_gen[pred] != ws->gen) {
			size_t need = (ws->nprows + 1) * ws->nunits;
			if (need > ws->pcap) {
				size_t cap = need * 2;
				uint8_t *pc = realloc(ws->pred_cache, cap);
				if (pc) {
					ws->pred_cache = pc;
					ws->pcap = cap;
				}
			}
			if (need <= ws->pcap) {
				ws->pred_gen[pred] = ws->gen;
				ws->pred_row[pred] = (uint32_t)ws->nprows++;
				memset(ws->pred_cache + (size_t)ws->pred_row[pred] * ws->nunits, 0, ws->nunits);
			}
		}
		if (ws->pred_gen[pred] == ws->gen)
			c = &ws->pred_cache[(size_t)ws->pred_row[pred] * ws->nunits + u];
	}
	if (*c)
		return *c == 2;
	const char *sp = memchr(s, ' ', slen - off);
	size_t len = sp ? (size_t)(sp - s) : slen - off;
	int rc = pcre2_match(ws->e->env.preds[pred], (PCRE2_SPTR)s, len, 0, 0, ws->pred_md, NULL);
	*c = rc >= 0 ? 2 : 1;
	return rc >= 0;
}

int extract_ws_init(struct extract_ws *ws, const struct engine *e)
{
	memset(ws, 0, sizeof(*ws));
	ws->e = e;
	int maxg = 1;
	for (size_t p = 0; p < e->npats; p++)
		if (e->pats[p].ngroups + 1 > maxg)
			maxg = e->pats[p].ngroups + 1;
	ws->md = pcre2_match_data_create((uint32_t)maxg, NULL);
	ws->pred_md = pcre2_match_data_create(16, NULL);
	ws->mctx = pcre2_match_context_create(NULL);
	ws->jit = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	ws->stamp = calloc(e->npats + 1, sizeof(*ws->stamp));
	ws->lit_seen = calloc(e->nlits + 1, sizeof(*ws->lit_seen));
	ws->pred_gen = calloc(e->env.npreds + 1, sizeof(*ws->pred_gen));
	ws->pred_row = calloc(e->env.npreds + 1, sizeof(*ws->pred_row));
	ws->lit_first = calloc(e->nlits + 1, sizeof(*ws->lit_first));
	ws->lit_last = calloc(e->nlits + 1, sizeof(*ws->lit_last));
	ws->lit_slot = calloc(e->nlits + 1, sizeof(*ws->lit_slot));
	if (!ws->md || !ws->pred_md || !ws->mctx || !ws->jit || !ws->stamp || !ws->lit_seen ||
	    !ws->lit_first || !ws->lit_last || !ws->lit_slot || !ws->pred_gen || !ws->pred_row) {
		extract_ws_release(ws);
		return -1;
	}
	/* no rule can hang the stage */
	pcre2_set_match_limit(ws->mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(ws->mctx, DEPTH_LIMIT);
	pcre2_set_heap_limit(ws->mctx, HEAP_LIMIT_KIB);
	pcre2_jit_stack_assign(ws->mctx, NULL, ws->jit);
	pcre2_set_callout(ws->mctx, callout, ws);
	return 0;
}

void extract_ws_release(struct extract_ws *ws)
{
	if (ws->md)
		pcre2_match_data_free(ws->md);
	if (ws->pred_md)
		pcre2_match_data_free(ws->pred_md);
	if (ws->mctx)
		pcre2_match_context_free(ws->mctx);
	if (ws->jit)
		pcre2_jit_stack_free(ws->jit);
	tagging_release(&ws->tg);
	buf_release(&ws->ts);
	free(ws->unit_off);
	free(ws->unit_tok);
	free(ws->unit_last);
	free(ws->unit_speaker);
	free(ws->stamp);
	free(ws->lit_seen);
	free(ws->lit_first);
	free(ws->lit_last);
	free(ws->next_act);
	free(ws->tok_unit);
	free(ws->ph_unit);
	free(ws->act_mbit);
	free(ws->act_any);
	free(ws->lit_bits);
	free(ws->lit_slot);
	free(ws->pred_gen);
	free(ws->pred_row);
	free(ws->pred_cache);
	free(ws->cands);
	free(ws->ms);
	memset(ws, 0, sizeof(*ws));
}

/* --- one sentence ------------------------------------------------------------------- */

static int token_is(const struct sentence_view *sv, const struct token *t, const char *w)
{
	size_t n = strlen(w);
	return t->ke - t->ks == n && memcmp(sv->key + t->ks, w, n) == 0;
}

/* A hyphen inside a word between two actors (`Erdoğan-Putin`): a conjunction. */
static int hyphen_join(const struct sentence_view *sv, const struct tagging *tg, size_t i)
{
	return i > 0 && i + 1 < tg->ntoks && tg->tok_actor[i - 1] >= 0 && tg->tok_actor[i + 1] >= 0 &&
	       token_is(sv, &tg->toks[i], "-") && tg->toks[i].ks == tg->toks[i - 1].ke;
}

static int build_tagged(struct extract_ws *ws, const struct sentence_view *sv)
{
	const struct tagging *tg = &ws->tg;
	buf_reset(&ws->ts);
	ws->nunits = 0;
	if (ws->unitcap < tg->ntoks + 1) {
		size_t c = tg->ntoks + 16;
		uint32_t *o = realloc(ws->unit_off, c * sizeof(*o));
		if (o)
			ws->unit_off = o;
		int *t = realloc(ws->unit_tok, c * sizeof(*t));
		if (t)
			ws->unit_tok = t;
		int *la = realloc(ws->unit_last, c * sizeof(*la));
		if (la)
			ws->unit_last = la;
		int *sp = realloc(ws->unit_speaker, c * sizeof(*sp));
		if (sp)
			ws->unit_speaker = sp;
		if (!o || !t || !la || !sp)
			return -1;
		ws->unitcap = c;
	}
	/* scare quotes: a pair of '"' around one to three words ("constructive" talks, برد
	 * "كاسح") is no quotation; the marks are left out, so the patterns' gaps cross it */
	static __thread unsigned char *skip;
	static __thread size_t skipcap;
	if (skipcap < tg->ntoks + 1) {
		unsigned char *sk = realloc(skip, tg->ntoks + 1);
		if (!sk)
			return -1;
		skip = sk;
		skipcap = tg->ntoks + 1;
	}
	memset(skip, 0, tg->ntoks + 1);
	for (size_t i = 0, open = (size_t)-1; i < tg->ntoks; i++) {
		if (tg->toks[i].ke - tg->toks[i].ks != 1 || sv->key[tg->toks[i].ks] != '"')
			continue;
		if (open == (size_t)-1) {
			open = i;
			continue;
		}
		int words = i - open >= 2 && i - open <= 4;
		for (size_t j = open + 1; j < i && words; j++)
			words = tg->tok_actor[j] < 0 && tg->toks[j].ke - tg->toks[j].ks > 1; /* no actor, no . , ! */
		if (words)
			skip[open] = skip[i] = 1;
		open = (size_t)-1;
	}
	if (ws->tucap < tg->ntoks + 1) {
		int32_t *tu = realloc(ws->tok_unit, (tg->ntoks + 1) * sizeof(*tu));
		if (!tu)
			return -1;
		ws->tok_unit = tu;
		ws->tucap = tg->ntoks + 1;
	}
	if (ws->phcap < tg->nacts + 1) {
		int32_t *pu = realloc(ws->ph_unit, (tg->nacts + 1) * sizeof(*pu));
		if (!pu)
			return -1;
		ws->ph_unit = pu;
		ws->phcap = tg->nacts + 1;
	}
	ws->nph = 0;
	for (size_t i = 0; i < tg->ntoks;) {
		ws->tok_unit[i] = -1;
		/* `the US and the European Union`: the article before a later member of a compound
		 * is left out, so the compound is `A and B` */
		if (sv->lang == RL_EN && i > 0 && i + 1 < tg->ntoks && tg->tok_actor[i] < 0 &&
		    tg->tok_actor[i + 1] >= 0 && token_is(sv, &tg->toks[i], "the") &&
		    (token_is(sv, &tg->toks[i - 1], "and") || token_is(sv, &tg->toks[i - 1], ",")) &&
		    i > 1 && tg->tok_actor[i - 2] >= 0)
			skip[i] = 1;
		if (skip[i]) {
			i++;
			continue;
		}
		ws->unit_off[ws->nunits] = (uint32_t)ws->ts.len;
		ws->unit_tok[ws->nunits] = (int)i;
		int a = tg->tok_actor[i];
		if (a >= 0) {
			const struct tagged_actor *ta = &tg->acts[a];
			/* written in place: the mark, three separators, the index, room for the NUL */
			size_t room = strlen(ta->mark) + 32;
			if (buf_grow(&ws->ts, room))
				return -1;
			ws->ts.len += (size_t)placeholder(ws->ts.p + ws->ts.len, room, ta->conj, ta->mark, a);
			ws->unit_last[ws->nunits] = ta->last;
			for (size_t q = i; q <= (size_t)ta->last; q++)
				ws->tok_unit[q] = (int32_t)ws->nunits;
			if (ws->nph < ws->phcap) /* (an actor stands once) */
				ws->ph_unit[ws->nph++] = (int32_t)ws->nunits;
			i = (size_t)ta->last + 1;
		} else if (hyphen_join(sv, tg, i)) {
			/* `Erdoğan-Putin görüşmesi`: the hyphen joins the two names as a conjunction */
			if (buf_adds(&ws->ts, ws->e->lx.conj[sv->lang]))
				return -1;
			ws->unit_last[ws->nunits] = (int)i;
			ws->tok_unit[i] = (int32_t)ws->nunits;
			i++;
		} else {
			/* the word and its space, written in place (most units are words) */
			size_t n = tg->toks[i].ke - tg->toks[i].ks;
			if (buf_grow(&ws->ts, n + 1))
				return -1;
			memcpy(ws->ts.p + ws->ts.len, sv->key + tg->toks[i].ks, n);
			ws->ts.len += n;
			ws->ts.p[ws->ts.len++] = ' ';
			ws->ts.p[ws->ts.len] = '\0';
			ws->unit_last[ws->nunits] = (int)i;
			ws->tok_unit[i] = (int32_t)ws->nunits++;
			i++;
			continue;
		}
		if (buf_addc(&ws->ts, ' '))
			return -1;
		ws->nunits++;
	}
	if (!ws->ts.p && buf_grow(&ws->ts, 1))
		return -1;
	/* the longest run of units a compound may take (gaps_fit()): actors, commas and the
	 * words that join them (patterns.c, gen_slot()) */
	const char *conj = ws->e->lx.conj[sv->lang];
	size_t cn = strlen(conj);
	ws->creach = 0;
	for (size_t u = 0, run = 0; u < ws->nunits; u++) {
		const char *t = ws->ts.p + ws->unit_off[u];
		size_t n = (u + 1 < ws->nunits ? ws->unit_off[u + 1] : ws->ts.len) - ws->unit_off[u] - 1;
		int join = *t == '\x01' || (n == 1 && *t == ',') || (n == cn && memcmp(t, conj, n) == 0) ||
			   (n == 3 && memcmp(t, "ile", 3) == 0) || (n == 2 && (memcmp(t, "،", 2) == 0 || memcmp(t, "و", 2) == 0));
		run = join ? run + 1 : 0;
		if ((int)run > ws->creach)
			ws->creach = (int)run;
	}
	return 0;
}

static size_t unit_at(const struct extract_ws *ws, size_t off)
{
	size_t lo = 0, hi = ws->nunits;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (ws->unit_off[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static int add_cand(struct extract_ws *ws, int p)
{
	if (ws->stamp[p] == ws->gen)
		return 0;
	ws->stamp[p] = ws->gen;
	if (ws->ncands == ws->candcap) {
		size_t c = ws->candcap ? ws->candcap * 2 : 64;
		int *a = realloc(ws->cands, c * sizeof(*a));
		if (!a)
			return -1;
		ws->cands = a;
		ws->candcap = c;
	}
	ws->cands[ws->ncands++] = p;
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Offsets where an Arabic word may start after its proclitics (و ف, ب ل ك, ال, لل). */
static int ar_offsets(const char *s, size_t n, size_t *offs)
{
	int k = 0;
	offs[k++] = 0;
	size_t a = 0;
	if (n > 2 && (memcmp(s, "و", 2) == 0 || memcmp(s, "ف", 2) == 0))
		offs[k++] = a = 2;
	size_t b = a;
	if (n > a + 2 && (memcmp(s + a, "ب", 2) == 0 || memcmp(s + a, "ل", 2) == 0 ||
			  memcmp(s + a, "ك", 2) == 0 || memcmp(s + a, "س", 2) == 0))
		offs[k++] = b = a + 2;
	if (n > b + 4 && memcmp(s + b, "ال", 4) == 0)
		offs[k++] = b + 4;
	else if (n > a + 4 && memcmp(s + a, "لل", 4) == 0)
		offs[k++] = a + 4;
	return k;
}

/* The candidates: patterns one of whose required tokens is in the sentence, every group
 * of mandatory literals present and, unless explaining (which reports them), the actors
 * they ask for tagged (nactors, have: see extract_sentence()). */
static int find_candidates(const struct engine *e, struct extract_ws *ws,
			   const struct sentence_view *sv, int only_rule, int explain,
			   int nactors, uint64_t have)
{
	int l = sv->lang;
	ws->ncands = 0;
	if (++ws->gen == 0) {
		memset(ws->stamp, 0, e->npats * sizeof(*ws->stamp));
		memset(ws->lit_seen, 0, e->nlits * sizeof(*ws->lit_seen));
		memset(ws->pred_gen, 0, e->env.npreds * sizeof(*ws->pred_gen));
		ws->gen = 1;
	}
	ws->nprows = 0;
	const struct tagging *tg = &ws->tg;
	if (ws->nacap < tg->ntoks + 1) {
		int32_t *na = realloc(ws->next_act, (tg->ntoks + 1) * sizeof(*na));
		if (!na)
			return -1;
		ws->next_act = na;
		ws->nacap = tg->ntoks + 1;
	}
	ws->nlslots = 0;
	ws->uw = (ws->nunits + 63) / 64;
	if (!ws->uw)
		ws->uw = 1;
	ws->next_act[tg->ntoks] = -1;
	for (size_t i = tg->ntoks; i-- > 0;)
		ws->next_act[i] = tg->tok_actor[i] >= 0 ? (int32_t)i : ws->next_act[i + 1];
	for (size_t i = 0; i < tg->ntoks; i++) {
		if (tg->tok_actor[i] >= 0)
			continue;
		const char *s = sv->key + tg->toks[i].ks;
		size_t n = tg->toks[i].ke - tg->toks[i].ks;
		if (hyphen_join(sv, tg, i)) { /* read as the conjunction (build_tagged) */
			s = e->lx.conj[l];
			n = strlen(s);
		}
		size_t offs[6];
		int noffs = 1;
		offs[0] = 0;
		if (l == RL_AR)
			noffs = ar_offsets(s, n, offs);
		for (int o = 0; o < noffs; o++) {
			struct dict_hit hits[64];
			size_t nh = dict_prefixes(&e->lits[l], s + offs[o], n - offs[o], hits, 64);
			for (size_t h = 0; h < nh; h++) {
				int whole = hits[h].len == n - offs[o];
				for (int32_t v = hits[h].head; v >= 0; v = e->lits[l].vals[v].next) {
					uint32_t val = e->lits[l].vals[v].value;
					if (!whole && !(val & 1))
						continue;
					int32_t u = ws->tok_unit[i];
					if (ws->lit_seen[val >> 1] == ws->gen) {
						ws->lit_last[val >> 1] = (int32_t)i;
						if (u >= 0)
							ws->lit_bits[(size_t)ws->lit_slot[val >> 1] * ws->uw + (size_t)u / 64] |=
								1ULL << (u % 64);
						continue;
					}
					ws->lit_seen[val >> 1] = ws->gen;
					ws->lit_first[val >> 1] = ws->lit_last[val >> 1] = (int32_t)i;
					if ((ws->nlslots + 1) * ws->uw > ws->lbcap) {
						size_t c = (ws->nlslots + 1) * ws->uw * 2;
						uint64_t *lb = realloc(ws->lit_bits, c * sizeof(*lb));
						if (!lb)
							return -1;
						ws->lit_bits = lb;
						ws->lbcap = c;
					}
					ws->lit_slot[val >> 1] = (int32_t)ws->nlslots;
					uint64_t *bits = ws->lit_bits + ws->nlslots++ * ws->uw;
					memset(bits, 0, ws->uw * sizeof(*bits));
					if (u >= 0)
						bits[u / 64] |= 1ULL << (u % 64);
					const struct lit_pats *lp = &e->lit_pats[val >> 1];
					for (size_t q = 0; q < lp->n; q++)
						if (add_cand(ws, lp->v[q]))
							return -1;
				}
			}
		}
	}
	for (size_t i = 0; i < e->nalways[l]; i++)
		if (add_cand(ws, e->always[l][i]))
			return -1;
	size_t k = 0;
	for (size_t i = 0; i < ws->ncands; i++) {
		const struct pat_hot *h = &e->hot[ws->cands[i]];
		if (!explain && (nactors < h->min_actors || (h->need_marks & ~have)))
			continue;
		if (only_rule >= 0 && e->pats[ws->cands[i]].rule != only_rule)
			continue;
		int ok = 1;
		const int32_t *ge = e->hot_gend + h->g0;
		for (size_t g = 0, q = (size_t)ge[0]; g < h->ngroups && ok; g++) {
			int any = 0;
			for (; q < (size_t)ge[g + 1]; q++)
				any |= ws->lit_seen[e->hot_gid[q]] == ws->gen;
			ok = any;
		}
		if (ok)
			ws->cands[k++] = ws->cands[i];
	}
	ws->ncands = k;
	if (k > 1)
		qsort(ws->cands, ws->ncands, sizeof(*ws->cands), cmp_int);
	return 0;
}

/* Does a word of list (keyed; 'x*' a stem; several tokens a phrase) sit at unit u?
 * dir > 0: the phrase starts at u; dir < 0: it ends at u. */
static int unit_text(const struct extract_ws *ws, const struct sentence_view *sv, long u,
		     const char **s, size_t *n)
{
	if (u < 0 || (size_t)u >= ws->nunits)
		return 0;
	int t = ws->unit_tok[u];
	if (ws->tg.tok_actor[t] >= 0)
		return 0;
	*s = sv->key + ws->tg.toks[t].ks;
	*n = ws->tg.toks[t].ke - ws->tg.toks[t].ks;
	return 1;
}

static int word_eq(const char *w, size_t wn, const char *s, size_t n)
{
	if (wn && w[wn - 1] == '*')
		return n >= wn - 1 && memcmp(w, s, wn - 1) == 0;
	return wn == n && memcmp(w, s, n) == 0;
}

static int phrase_at(const struct extract_ws *ws, const struct sentence_view *sv, long u,
		     const struct phrase *ph, int dir)
{
	int nw = ph->nw;
	long start = dir > 0 ? u : u - nw + 1;
	for (int i = 0; i < nw; i++) {
		const char *s;
		size_t n;
		if (!unit_text(ws, sv, start + i, &s, &n) || !word_eq(ph->w[i], ph->len[i], s, n))
			return 0;
	}
	return nw > 0;
}

/* Does a phrase of list stand at unit u (dir > 0: start there; dir < 0: end there)? The
 * index gives the phrases whose first (last) word is u's, and the stems: only those are
 * tried. */
static int list_at(const struct extract_ws *ws, const struct sentence_view *sv,
		   const struct phrases *list, long u, int dir)
{
	const char *s;
	size_t n;
	if (!unit_text(ws, sv, u, &s, &n))
		return 0;
	const struct phrase_index *x = &list->by[dir < 0];
	/* the phrases of u's word, then the stems u's first STEM_KEY bytes begin */
	for (int stem = 0; stem < 2; stem++) {
		size_t kn = stem ? STEM_KEY : n;
		if (kn > n)
			break;
		const int32_t *head = stem ? x->shead : x->head, *next = stem ? x->snext : x->next;
		for (uint32_t h = word_hash(s, kn) & x->mask;; h = (h + 1) & x->mask) {
			int32_t j = head[h] - 1;
			if (j < 0)
				break;
			const char *qw;
			uint32_t qn;
			index_key(&list->v[j], dir < 0, &qw, &qn);
			if (qn != kn || memcmp(qw, s, kn) != 0)
				continue;
			for (; j >= 0; j = next[j])
				if (phrase_at(ws, sv, u, &list->v[j], dir))
					return 1;
			break;
		}
	}
	for (size_t i = 0; i < x->nstems; i++)
		if (phrase_at(ws, sv, u, &list->v[x->stems[i]], dir))
			return 1;
	return 0;
}

static int window_has(const struct extract_ws *ws, const struct sentence_view *sv,
		      const struct phrases *list, size_t u0, size_t u1, int after)
{
	/* an actor between does not count (`لم يجر أردوغان اتصالا`: the light verb's subject) */
	long u = after ? (long)u1 : (long)u0;
	for (int seen = 0; seen < WINDOW;) {
		u += after ? 1 : -1;
		if (u < 0 || (size_t)u >= ws->nunits)
			break;
		if (ws->ts.p[ws->unit_off[u]] == '\x01')
			continue;
		seen++;
		if (list_at(ws, sv, list, u, after ? 1 : -1))
			return 1;
	}
	return 0;
}

static int push_mention(struct extract_ws *ws, const struct mention *m)
{
	if (ws->nms == ws->mcap) {
		size_t c = ws->mcap ? ws->mcap * 2 : 16;
		struct mention *a = realloc(ws->ms, c * sizeof(*a));
		if (!a)
			return -1;
		ws->ms = a;
		ws->mcap = c;
	}
	ws->ms[ws->nms++] = *m;
	return 0;
}

static int members(const char *s, size_t n, int *out, int max)
{
	int k = 0;
	for (size_t i = 0; i < n && k < max; i++) {
		if (s[i] != '\x01')
			continue;
		/* \x01 C \x02 MARK \x02 INDEX \x03 */
		size_t j = i + 3;
		while (j < n && s[j] != '\x02')
			j++;
		out[k++] = atoi(s + j + 1);
		i = j;
	}
	return k;
}

/* Counterparts take the other party's role and their own country. */
static int resolve_counterpart(const struct tagged_actor *self, const struct tagged_actor *other,
			       const char *other_role, char *code, char *role)
{
	if (!self->counterpart)
		return 1;
	if (!self->country[0] || !other || !other_role[0])
		return 0;
	snprintf(code, 40, "%.23s%.15s", self->code, other_role);
	snprintf(role, 16, "%s", other_role);
	return 1;
}

/* The party an actor's code names: the code without its role (`TURGOV` -> `TUR`,
 * `CYPTRKGOV` -> `CYPTRK`); its length. */
static size_t party_len(const char *code, const char *role)
{
	size_t n = strlen(code), r = strlen(role);
	return r && n > r && strcmp(code + n - r, role) == 0 ? n - r : n;
}

/* A state does not act on itself: `Turkey` and a Turkish official, two Turkish ministries,
 * `Lavrov said Russia ...`. Both sides of one party are dropped when one side is the party
 * itself (no role), both have one role, or both are organs of the state; a government and
 * its opposition, rebels, civilians or media are real domestic events and stay. */
static int same_state(const struct mention *m)
{
	static const char *const organs[] = {"GOV", "MIL", "COP", "JUD", "LEG", "SPY", "ELI", NULL};
	size_t sn = party_len(m->src_code, m->src_role), tn = party_len(m->tgt_code, m->tgt_role);
	if (sn != tn || sn < 3 || memcmp(m->src_code, m->tgt_code, sn) != 0)
		return 0;
	if (!m->src_role[0] || !m->tgt_role[0] || strcmp(m->src_role, m->tgt_role) == 0)
		return 1;
	int so = 0, to = 0;
	for (int i = 0; organs[i]; i++) {
		so |= strcmp(m->src_role, organs[i]) == 0;
		to |= strcmp(m->tgt_role, organs[i]) == 0;
	}
	return so && to;
}

/* snprintf(dst, n, "%s", src) without the formatting (make_event() copies four per event). */
static void copy_str(char *dst, size_t n, const char *src)
{
	size_t l = strlen(src);
	if (l >= n)
		l = n - 1;
	memcpy(dst, src, l);
	dst[l] = '\0';
}

static int make_event(const struct engine *e, struct extract_ws *ws, const struct mention *base,
		      int s, int t)
{
	const struct tagging *tg = &ws->tg;
	struct mention m = *base;
	m.src = s;
	m.tgt = t;
	const struct tagged_actor *sa = s >= 0 ? &tg->acts[s] : NULL, *ta = t >= 0 ? &tg->acts[t] : NULL;
	m.src_code[0] = m.tgt_code[0] = m.src_role[0] = m.tgt_role[0] = '\0';
	if (sa) {
		copy_str(m.src_code, sizeof m.src_code, sa->code);
		copy_str(m.src_role, sizeof m.src_role, sa->role);
	}
	if (ta) {
		copy_str(m.tgt_code, sizeof m.tgt_code, ta->code);
		copy_str(m.tgt_role, sizeof m.tgt_role, ta->role);
	}
	/* "our army" in a quotation: the speaker's country */
	const struct tagged_actor *sp = m.speaker >= 0 ? &tg->acts[m.speaker] : NULL;
	for (int side = 0; side < 2; side++) {
		const struct tagged_actor *x = side ? ta : sa;
		if (!x || !x->ours)
			continue;
		if (!sp || !sp->country[0])
			return 0;
		const char *role = e->rs.agents[x->agent].role;
		snprintf(side ? m.tgt_code : m.src_code, sizeof m.src_code, "%s%s", sp->country, role);
		snprintf(side ? m.tgt_role : m.src_role, sizeof m.src_role, "%s", role);
	}
	if (sa && !resolve_counterpart(sa, ta, ta ? ta->role : "", m.src_code, m.src_role))
		return 0;
	if (ta && !resolve_counterpart(ta, sa, sa ? sa->role : "", m.tgt_code, m.tgt_role))
		return 0;
	if (m.symmetric && sa && ta) {
		/* no direction: source and target in dictionary order of their codes */
		int c = strcmp(m.src_code, m.tgt_code);
		if (c > 0 || (c == 0 && s > t)) {
			char tc[40], tr[16];
			memcpy(tc, m.src_code, sizeof tc);
			memcpy(m.src_code, m.tgt_code, sizeof tc);
			memcpy(m.tgt_code, tc, sizeof tc);
			memcpy(tr, m.src_role, sizeof tr);
			memcpy(m.src_role, m.tgt_role, sizeof tr);
			memcpy(m.tgt_role, tr, sizeof tr);
			m.src = t;
			m.tgt = s;
		}
	}
	if (sa && ta && strcmp(m.src_code, m.tgt_code) == 0)
		return 0; /* an actor does not act on itself; one code on both sides says nothing */
	if (sa && ta && same_state(&m))
		return 0;
	return push_mention(ws, &m);
}

static int sym_order(const struct extract_ws *ws, int a, int b)
{
	const struct tagged_actor *x = &ws->tg.acts[a], *y = &ws->tg.acts[b];
	int c = strcmp(x->code, y->code);
	if (!c)
		c = strcmp(x->entity ? x->entity : "", y->entity ? y->entity : "");
	return c ? c : a - b;
}

static int on_match(const struct engine *e, struct extract_ws *ws, const struct sentence_view *sv,
		    int p, PCRE2_SIZE *ov, int ngroups)
{
	const struct cpattern *cp = &e->pats[p];
	const struct rl_rule *r = &e->rs.rules[cp->rule];
	const struct lang_rt *lrt = &e->lang[sv->lang];
	const char *ts = ws->ts.p;
	int src[16], tgt[16], ns = 0, nt = 0;
	size_t t0 = ov[0], t1 = ov[1];
	int neg = 0, fut = 0;
	for (int g = 1; g < ngroups && g <= cp->ngroups; g++) {
		PCRE2_SIZE a = ov[2 * g], b = ov[2 * g + 1];
		if (a == PCRE2_UNSET)
			continue;
		switch (cp->groups[g]) {
		case PG_SRC:
			ns = members(ts + a, b - a, src, 16);
			break;
		case PG_TGT:
			nt = members(ts + a, b - a, tgt, 16);
			break;
		case PG_TRIGGER:
			t0 = a, t1 = b;
			break;
		case PG_REST:
			if (lrt->neg_suffix &&
			    pcre2_match(lrt->neg_suffix, (PCRE2_SPTR)ts + a, b - a, 0, 0, ws->pred_md, NULL) >= 0)
				neg = 1;
			if (lrt->fut_suffix &&
			    pcre2_match(lrt->fut_suffix, (PCRE2_SPTR)ts + a, b - a, 0, 0, ws->pred_md, NULL) >= 0)
				fut = 1;
			break;
		case PG_PREFIX:
			for (size_t i = 0; i < lrt->fut_prefix.n && !lrt->fut_prefix_re; i++) {
				const char *fp = lrt->fut_prefix.v[i].s;
				size_t fl = strlen(fp);
				for (size_t k = a; k + fl <= b; k++)
					if (memcmp(ts + k, fp, fl) == 0)
						fut = 1;
			}
			break;
		}
	}
	if (t1 > t0 && ts[t1 - 1] == ' ')
		t1--;
	size_t u0 = unit_at(ws, t0), u1 = unit_at(ws, t1 > t0 ? t1 - 1 : t0);
	/* a /regex/ in the trigger: its inflection is what follows the regex's match */
	for (size_t u = u0; u <= u1 && cp->npreds; u++) {
		const char *tok;
		size_t tn;
		if (!unit_text(ws, sv, (long)u, &tok, &tn))
			continue;
		for (int q = 0; q < cp->npreds; q++) {
			if (pcre2_match(e->env.preds[cp->preds[q]], (PCRE2_SPTR)tok, tn, 0, 0, ws->pred_md, NULL) < 0)
				continue;
			PCRE2_SIZE end = pcre2_get_ovector_pointer(ws->pred_md)[1];
			if (lrt->neg_suffix && pcre2_match(lrt->neg_suffix, (PCRE2_SPTR)tok + end, tn - end, 0, 0,
							   ws->pred_md, NULL) >= 0)
				neg = 1;
			if (lrt->fut_suffix && pcre2_match(lrt->fut_suffix, (PCRE2_SPTR)tok + end, tn - end, 0, 0,
							   ws->pred_md, NULL) >= 0)
				fut = 1;
			break;
		}
	}
	/* a future prefix written as a /regex/ is tried on the trigger's first word */
	if (lrt->fut_prefix_re) {
		const char *tok;
		size_t tn;
		if (unit_text(ws, sv, (long)u0, &tok, &tn) &&
		    pcre2_match(lrt->fut_prefix_re, (PCRE2_SPTR)tok, tn, 0, 0, ws->pred_md, NULL) >= 0)
			fut = 1;
	}
	int after = sv->lang == RL_TR;
	if (window_has(ws, sv, &lrt->neg_ph, u0, u1, after))
		neg = 1;
	/* also between the trigger and the match's far end: `did not open an investigation` */
	size_t m0 = unit_at(ws, ov[0]), m1 = unit_at(ws, ov[1] > ov[0] ? ov[1] - 1 : ov[0]);
	for (size_t u = after ? u1 + 1 : m0; !neg && (after ? u <= m1 : u < u0); u++)
		neg = list_at(ws, sv, &lrt->neg_ph, (long)u, 1);
	if (window_has(ws, sv, &lrt->fut_ph, u0, u1, after))
		fut = 1;
	struct mention m;
	memset(&m, 0, sizeof m);
	m.pattern = p;
	m.rule = cp->rule;
	m.negated = neg;
	m.symmetric = r->symmetric;
	m.passive = cp->passive;
	m.specificity = cp->specificity;
	m.location = -1;
	m.speaker = ws->unit_speaker[u0];
	m.trig_ks = ws->tg.toks[ws->unit_tok[u0]].ks;
	m.trig_ke = ws->tg.toks[ws->unit_last[u1]].ke;
	const struct rule_rt *rt = &e->rules[cp->rule];
	const struct code_row *row = rt->row;
	if (fut && rt->intent_row) {
		row = rt->intent_row;
		m.intent = 1;
	} else if (fut) {
		m.intent = 1;
	}
	if (!row)
		return 0;
	copy_str(m.code, sizeof m.code, row->code);
	if (cp->has_src && cp->has_tgt) {
		for (int i = 0; i < ns; i++)
			for (int j = 0; j < nt; j++)
				if (src[i] != tgt[j] && make_event(e, ws, &m, src[i], tgt[j]))
					return -1;
	} else if (cp->has_src && r->symmetric && ns >= 2) {
		for (int i = 0; i < ns; i++)
			for (int j = i + 1; j < ns; j++) {
				int a = src[i], b = src[j];
				if (sym_order(ws, a, b) > 0) {
					int t = a;
					a = b;
					b = t;
				}
				if (a != b && make_event(e, ws, &m, a, b))
					return -1;
			}
	} else if (cp->has_src && !r->symmetric) {
		/* a symmetric event needs two parties: one actor alone is no meeting */
		for (int i = 0; i < ns; i++)
			if (make_event(e, ws, &m, src[i], -1))
				return -1;
	} else if (!cp->has_src && !r->symmetric) {
		for (int j = 0; j < nt; j++)
			if (make_event(e, ws, &m, -1, tgt[j]))
				return -1;
	}
	return 0;
}

/* Keep the better of two mentions of the same pair: more specific pattern, longer
 * trigger, then the rule and pattern written first. */
static int better(const struct mention *a, const struct mention *b)
{
	if (a->specificity != b->specificity)
		return a->specificity > b->specificity;
	uint32_t la = a->trig_ke - a->trig_ks, lb = b->trig_ke - b->trig_ks;
	if (la != lb)
		return la > lb;
	return a->pattern < b->pattern;
}

/* How far a mention's actors stand from its trigger, in key bytes. */
static uint32_t reach(const struct extract_ws *ws, const struct mention *m)
{
	uint32_t d = 0;
	for (int side = 0; side < 2; side++) {
		int a = side ? m->tgt : m->src;
		if (a < 0)
			continue;
		uint32_t ks = ws->tg.acts[a].ks;
		d += ks > m->trig_ks ? ks - m->trig_ks : m->trig_ks - ks;
	}
	return d;
}

/* Of two rival readings of one trigger, whether a is the one to keep: not one that makes
 * the agent of a passive (`by X`, `من قبل X`) its target, then the one whose actors stand
 * nearer the trigger, then the more specific. */
static int rival_better(const struct extract_ws *ws, const struct mention *a, const struct mention *b)
{
	int ab = a->tgt >= 0 && strcmp(ws->tg.acts[a->tgt].mark, "by") == 0;
	int bb = b->tgt >= 0 && strcmp(ws->tg.acts[b->tgt].mark, "by") == 0;
	if (ab != bb)
		return bb;
	uint32_t ra = reach(ws, a), rb = reach(ws, b);
	if (ra != rb)
		return ra < rb;
	return better(a, b);
}

/* One trigger, one reading. Dropped: a mention with one party where a mention of the same
 * trigger has both (`ceasefire` between two parties is not also each party's alone), and
 * the weaker of two directed readings of one trigger and root that put one actor on both
 * sides (SVO and VSO: `روسيا اتهمت أوكرانيا ب... الروسي` is not also Ukraine accusing;
 * `Turkey was criticized by X` is not Turkey criticizing X). */
static void drop_rival_readings(const struct engine *e, struct extract_ws *ws, struct buf *explain)
{
	size_t n = ws->nms;
	if (n < 2)
		return;
	static __thread unsigned char *gone;
	static __thread size_t gcap;
	if (gcap < n) {
		unsigned char *g = realloc(gone, n);
		if (!g)
			return;
		gone = g;
		gcap = n;
	}
	memset(gone, 0, n);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			const struct mention *a = &ws->ms[i], *b = &ws->ms[j];
			if (i == j || gone[i] || gone[j] || a->trig_ks != b->trig_ks)
				continue;
			int lose = -1; /* which of i, j */
			if ((a->src < 0 || a->tgt < 0) && b->src >= 0 && b->tgt >= 0)
				lose = 0;
			else if (!a->symmetric && !b->symmetric && i < j && a->src >= 0 && a->tgt >= 0 &&
				 b->src >= 0 && b->tgt >= 0 && memcmp(a->code, b->code, 2) == 0 &&
				 (a->src == b->tgt || a->tgt == b->src))
				lose = rival_better(ws, a, b) ? 1 : 0;
			if (lose < 0)
				continue;
			gone[lose ? j : i] = 1;
			if (explain) {
				const struct mention *l = lose ? b : a, *w = lose ? a : b;
				char line[512];
				snprintf(line, sizeof line,
					 "  dropped %s (line %d) [%d]->[%d]: a rival reading of the trigger, %s (line %d) [%d]->[%d] kept\n",
					 e->rs.rules[l->rule].id, e->pats[l->pattern].line, l->src, l->tgt,
					 e->rs.rules[w->rule].id, e->pats[w->pattern].line, w->src, w->tgt);
				buf_adds(explain, line);
			}
		}
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!gone[i])
			ws->ms[k++] = ws->ms[i];
	ws->nms = k;
}

static int same_pair(const struct mention *a, const struct mention *b)
{
	if (a->src == b->src && a->tgt == b->tgt)
		return 1;
	return (a->symmetric || b->symmetric) && a->src == b->tgt && a->tgt == b->src;
}

static int cmp_mention(const void *x, const void *y)
{
	const struct mention *a = x, *b = y;
	if (a->trig_ks != b->trig_ks)
		return a->trig_ks < b->trig_ks ? -1 : 1;
	if (a->src != b->src)
		return a->src - b->src;
	if (a->tgt != b->tgt)
		return a->tgt - b->tgt;
	return a->pattern - b->pattern;
}

static int is_locative(int lang, const char *mark)
{
	if (lang == RL_TR)
		return strcmp(mark, "loc") == 0;
	if (lang == RL_AR)
		return strcmp(mark, "في") == 0 || strcmp(mark, "ب") == 0;
	return strcmp(mark, "in") == 0 || strcmp(mark, "at") == 0;
}

static void explain_actors(const struct extract_ws *ws, const struct sentence_view *sv, struct buf *x)
{
	char line[512];
	buf_adds(x, "  actors:");
	if (!ws->tg.nacts)
		buf_adds(x, " none");
	for (size_t i = 0; i < ws->tg.nacts; i++) {
		const struct tagged_actor *a = &ws->tg.acts[i];
		snprintf(line, sizeof line, " [%zu] '%.*s' %s %s%s%s%s;", i, (int)(a->ke - a->ks),
			 sv->key + a->ks, a->is_place ? "place" : a->ours ? "ours" : a->code, a->mark,
			 a->counterpart ? " counterpart" : "", a->conj ? " conj" : "",
			 a->poss1pl ? " 1pl" : "");
		buf_adds(x, line);
	}
	buf_addc(x, '\n');
	buf_adds(x, "  tagged: ");
	for (size_t i = 0; i < ws->ts.len; i++) {
		char c = ws->ts.p[i];
		if (c == '\x01')
			buf_addc(x, '<');
		else if (c == '\x02')
			buf_addc(x, ':');
		else if (c == '\x03')
			buf_addc(x, '>');
		else
			buf_addc(x, c);
	}
	buf_addc(x, '\n');
}

static int unit_actor(const struct extract_ws *ws, size_t u)
{
	int a = ws->tg.tok_actor[ws->unit_tok[u]];
	return a >= 0 && !ws->tg.acts[a].ours && !ws->tg.acts[a].counterpart ? a : -1;
}

/* Quotations and their speakers: the units between a pair of '"' get the actor nearest to
 * a speech verb outside all quotations (`Erdoğan, "..." dedi`, `"...", he said`, `وقال X
 * "..."`), the nominative preferred; -1 when there is no speech verb or no such actor. */
static void find_speakers(const struct engine *e, struct extract_ws *ws,
			  const struct sentence_view *sv)
{
	const struct lang_rt *lrt = &e->lang[sv->lang];
	size_t n = ws->nunits;
	int in = 0, any = 0;
	for (size_t u = 0; u < n; u++) {
		const char *t;
		size_t tn;
		int quote = unit_text(ws, sv, (long)u, &t, &tn) && tn == 1 && *t == '"';
		ws->unit_speaker[u] = quote ? -2 : in ? -3 : -1; /* -3: inside, speaker unknown */
		if (quote) {
			in = !in;
			any = 1;
		}
	}
	if (!any || !lrt->speech.n)
		return;
	/* the speech verb outside the quotations, and the actor nearest to it */
	int speaker = -1;
	for (size_t u = 0; u < n && speaker < 0; u++) {
		if (ws->unit_speaker[u] != -1)
			continue;
		if (!list_at(ws, sv, &lrt->speech_ph, (long)u, 1))
			continue;
		size_t best_d = (size_t)-1;
		for (size_t v = 0; v < n; v++) {
			int a;
			if (ws->unit_speaker[v] != -1 || (a = unit_actor(ws, v)) < 0)
				continue;
			size_t d = v < u ? u - v : v - u;
			/* a nominative actor is the likelier speaker */
			if (strcmp(ws->tg.acts[a].mark, "nom") != 0)
				d += 1000;
			if (d < best_d) {
				best_d = d;
				speaker = a;
			}
		}
	}
	for (size_t u = 0; u < n; u++)
		if (ws->unit_speaker[u] == -3)
			ws->unit_speaker[u] = speaker;
		else if (ws->unit_speaker[u] < 0)
			ws->unit_speaker[u] = -1;
}

/* The start of the trigger group of a match, or PCRE2_UNSET. */
static PCRE2_SIZE trigger_start(const struct cpattern *cp, const PCRE2_SIZE *ov, int rc)
{
	for (int g = 1; g < rc && g <= cp->ngroups; g++)
		if (cp->groups[g] == PG_TRIGGER)
			return ov[2 * g];
	return PCRE2_UNSET;
}

/* A match that starts with its source slot took the leftmost actor the gap reaches
 * ("Erdogan said Israel attacked the PA", "X accused Y of firing at Z"): the subject of a
 * verb is the actor nearest to it. Tried from each later actor before the trigger; the
 * last match with the same trigger wins, its ovector copied to near. Arabic and English
 * (the Turkish subject comes first, set off by a comma). 0 when the first match stands. */
static int nearer_source(struct extract_ws *ws, const struct cpattern *cp, const PCRE2_SIZE *ov,
			 int rc, PCRE2_SIZE *near)
{
	int src_first = 0;
	PCRE2_SIZE src_end = 0;
	for (int g = 1; g < rc && g <= cp->ngroups; g++)
		if (cp->groups[g] == PG_SRC && ov[2 * g] == ov[0]) {
			src_first = 1;
			src_end = ov[2 * g + 1];
		}
	PCRE2_SIZE trig = trigger_start(cp, ov, rc);
	if (!src_first || trig == PCRE2_UNSET || trig <= ov[0])
		return 0;
	const char *ts = ws->ts.p;
	int moved = 0;
	/* not from a later member of the source's own compound (`Russia and Turkey agreed`) */
	PCRE2_SIZE next = src_end;
	memcpy(near, ov, 2 * (size_t)rc * sizeof(*near));
	for (;;) {
		while (next < trig && ts[next] != '\x01')
			next++;
		if (next >= trig)
			break;
		int rc2 = pcre2_match(cp->re, (PCRE2_SPTR)ts, ws->ts.len, next, 0, ws->md, ws->mctx);
		if (rc2 != rc)
			break;
		PCRE2_SIZE *ov2 = pcre2_get_ovector_pointer(ws->md);
		if (ov2[0] >= trig || trigger_start(cp, ov2, rc2) != trig)
			break;
		memcpy(near, ov2, 2 * (size_t)rc * sizeof(*near));
		moved = 1;
		next = ov2[0] + 1;
		for (int g = 1; g < rc && g <= cp->ngroups; g++)
			if (cp->groups[g] == PG_SRC && ov2[2 * g] == ov2[0] && ov2[2 * g + 1] > next)
				next = ov2[2 * g + 1];
	}
	return moved;
}

/* Does a slot asking for mark (NULL: an unmarked slot) take actor a? As the slot's regex
 * (patterns.c, gen_slot()): its own mark exactly, or for an unmarked slot any mark but the
 * agent of a passive and, in English, the place of the action. */
static int slot_takes(const char *mark, const struct tagged_actor *a, int lang)
{
	if (mark)
		return strcmp(a->mark, mark) == 0;
	return strcmp(a->mark, "by") != 0 &&
	       (lang != RL_EN || (strcmp(a->mark, "in") != 0 && strcmp(a->mark, "at") != 0));
}

/* slot_takes() for a mandatory element and tagged actor a, from what extract_sentence()
 * noted of each actor: a marked slot compares the mark only when its mark_bit() is the
 * actor's. */
static inline int slot_fits(const struct extract_ws *ws, const struct pat_mel *m, int a)
{
	if (!m->mark)
		return ws->act_any[a];
	return ws->act_mbit[a] == m->mbit && strcmp(ws->tg.acts[a].mark, m->mark) == 0;
}

/* Can the mandatory elements of the pattern's sequence stand in their order in the
 * sentence, all after token pos? Each takes a token after the one before: a slot an
 * actor's that carries the slot's mark (a compound of a slot has one such member: the
 * last in Turkish, the first in Arabic and English), a group of words one holding one of
 * them (find_candidates() saw them all, with their first and last token). Placed as early
 * as what is known allows, so a "no" is certain. */
static int in_order(const struct extract_ws *ws, const struct engine *e, int p, long pos)
{
	long nt = (long)ws->tg.ntoks;
	const struct pat_hot *h = &e->hot[p];
	const struct pat_mel *mel = e->hot_mel + h->m0;
	const int32_t *ge = e->hot_gend + h->g0;
	for (size_t k = 0; k < h->nmseq; k++) {
		int el = mel[k].el;
		if (el == MSEQ_SLOT) {
			/* the actor placeholders from token pos + 1 on, in the units they stand */
			long t = pos + 1 < nt ? ws->next_act[pos + 1] : -1;
			while (t >= 0) {
				int32_t u = ws->tok_unit[t];
				long next = t + 1;
				if (u >= 0 && ws->ts.p[ws->unit_off[u]] == '\x01') {
					if (slot_fits(ws, &mel[k], ws->tg.tok_actor[ws->unit_tok[u]])) {
						pos = ws->unit_last[u];
						break;
					}
					next = ws->unit_last[u] + 1;
				}
				t = next < nt ? ws->next_act[next] : -1;
			}
			if (t < 0)
				return 0;
			continue;
		}
		long best = -1;
		for (size_t q = (size_t)ge[el]; q < (size_t)ge[el + 1]; q++) {
			int id = e->hot_gid[q];
			if (ws->lit_seen[id] != ws->gen)
				continue;
			long t = ws->lit_first[id] > pos ? ws->lit_first[id] : ws->lit_last[id] > pos ? pos + 1 : -1;
			if (t >= 0 && (best < 0 || t < best))
				best = t;
		}
		if (best < 0)
			return 0;
		pos = best;
	}
	return 1;
}

#define FIT_WORDS 16 /* gaps_fit() reads sentences of up to 1024 units */

/* r = the units 1 to d after those of s (w words; d < 0: any after the first). */
static void units_after(const uint64_t *s, uint64_t *r, size_t w, long d)
{
	if (d < 0 || d >= (long)(64 * w)) {
		size_t i = 0;
		while (i < w && !s[i])
			i++;
		memset(r, 0, w * sizeof(*r));
		if (i == w)
			return;
		uint64_t low = s[i] & (~s[i] + 1); /* the first unit's bit */
		r[i] = ~((low << 1) - 1);	      /* the bits above it */
		for (size_t j = i + 1; j < w; j++)
			r[j] = ~0ULL;
		return;
	}
	/* shifts 1..c done, doubled until d */
	uint64_t t[FIT_WORDS];
	for (size_t i = w; i-- > 0;)
		r[i] = s[i] << 1 | (i ? s[i - 1] >> 63 : 0);
	for (long c = 1; c < d;) {
		long k = c < d - c ? c : d - c;
		size_t q = (size_t)k / 64;
		unsigned b = (unsigned)(k % 64);
		for (size_t i = 0; i < w; i++) {
			uint64_t lo = i >= q ? r[i - q] : 0, lo2 = i >= q + 1 ? r[i - q - 1] : 0;
			t[i] = b ? lo << b | lo2 >> (64 - b) : lo;
		}
		for (size_t i = 0; i < w; i++)
			r[i] |= t[i];
		c += k;
	}
}

/* r = the units 1 to d before those of s (w words; d < 0: any before the last), as
 * units_after() the other way. */
static void units_before(const uint64_t *s, uint64_t *r, size_t w, long d)
{
	if (d < 0 || d >= (long)(64 * w)) {
		size_t i = w;
		while (i > 0 && !s[i - 1])
			i--;
		memset(r, 0, w * sizeof(*r));
		if (i == 0)
			return;
		i--;
		uint64_t high = 1ULL << (63 - __builtin_clzll(s[i])); /* the last unit's bit */
		r[i] = high - 1;				      /* the bits below it */
		for (size_t j = 0; j < i; j++)
			r[j] = ~0ULL;
		return;
	}
	uint64_t t[FIT_WORDS];
	for (size_t i = 0; i < w; i++)
		r[i] = s[i] >> 1 | (i + 1 < w ? s[i + 1] << 63 : 0);
	for (long c = 1; c < d;) {
		long k = c < d - c ? c : d - c;
		size_t q = (size_t)k / 64;
		unsigned b = (unsigned)(k % 64);
		for (size_t i = 0; i < w; i++) {
			uint64_t hi = i + q < w ? r[i + q] : 0, hi2 = i + q + 1 < w ? r[i + q + 1] : 0;
			t[i] = b ? hi >> b | hi2 << (64 - b) : hi;
		}
		for (size_t i = 0; i < w; i++)
			r[i] |= t[i];
		c += k;
	}
}

#define FIT_SETS 16 /* the window of gaps_fit() for patterns of up to 16 bounded elements */

/* Can the mandatory elements stand, all at unit from or after, each within its greatest
 * distance of the one before (cpattern.mseq_dist; a slot reaches further by the members of
 * a compound and the preposition it takes along: creach and two units)? A set of units
 * per element: where its word is (find_candidates() saw them) or where an actor it takes
 * stands, and within reach of one of the element before. A "no" is certain: the regex
 * cannot match.
 * With lead >= 0 (cpattern.lead: the first element is a group of words and a match starts
 * at most lead units before its word), also where a match can start: *lo .. *hi, units
 * (else 0 and the last unit). The first element's units that have a chain of the others
 * after them, by a pass back over the sets: a match puts its first element at one of
 * them, and starts from lead units before it to that unit. */
static int gaps_fit(const struct extract_ws *ws, const struct engine *e, int p, size_t from,
		    int lang, int lead, long *lo, long *hi)
{
	const struct pat_hot *h = &e->hot[p];
	size_t w = ws->uw, last = h->last;
	*lo = 0;
	*hi = ws->nunits ? (long)ws->nunits - 1 : 0;
	if (w > FIT_WORDS || (!last && lead < 0) || !h->nmseq)
		return 1; /* no distance to test (the order test saw the rest) */
	if (last + 1 > FIT_SETS)
		lead = -1;
	const struct pat_mel *mel = e->hot_mel + h->m0;
	const int32_t *ge = e->hot_gend + h->g0;
	uint64_t sets[FIT_SETS * FIT_WORDS], occ[FIT_WORDS], near[FIT_WORDS];
	long before = lang == RL_TR ? ws->creach : 2, after = lang == RL_TR ? 1 : ws->creach;
	uint64_t *set = sets, *prev = sets;
	for (size_t k = 0; k <= last; k++) {
		int el = mel[k].el;
		memset(occ, 0, w * sizeof(*occ));
		if (el == MSEQ_SLOT) {
			for (size_t i = 0; i < ws->nph; i++) {
				int32_t u = ws->ph_unit[i];
				if (slot_fits(ws, &mel[k], ws->tg.tok_actor[ws->unit_tok[u]]))
					occ[u / 64] |= 1ULL << (u % 64);
			}
		} else {
			for (size_t q = (size_t)ge[el]; q < (size_t)ge[el + 1]; q++) {
				int id = e->hot_gid[q];
				if (ws->lit_seen[id] != ws->gen)
					continue;
				const uint64_t *b = ws->lit_bits + (size_t)ws->lit_slot[id] * w;
				for (size_t i = 0; i < w; i++)
					occ[i] |= b[i];
			}
		}
		/* each set kept for the pass back (windows), else one after the other */
		set = lead >= 0 ? sets + k * w : sets + (k % 2) * w;
		if (k == 0) {
			for (size_t i = 0; i < w; i++)
				set[i] = occ[i] & (from / 64 > i ? 0 : from / 64 < i ? ~0ULL : ~0ULL << (from % 64));
		} else {
			long d = mel[k].dist;
			if (d >= 0)
				d += (mel[k - 1].el == MSEQ_SLOT ? after : 0) + (el == MSEQ_SLOT ? before : 0);
			units_after(prev, near, w, d);
			for (size_t i = 0; i < w; i++)
				set[i] = near[i] & occ[i];
		}
		uint64_t any = 0;
		for (size_t i = 0; i < w; i++)
			any |= set[i];
		if (!any)
			return 0;
		prev = set;
	}
	if (lead < 0)
		return 1;
	/* back: keep in set k - 1 the units with one of set k within reach after them */
	for (size_t k = last; k > 0; k--) {
		long d = mel[k].dist;
		if (d >= 0)
			d += (mel[k - 1].el == MSEQ_SLOT ? after : 0) + (mel[k].el == MSEQ_SLOT ? before : 0);
		units_before(sets + k * w, near, w, d);
		for (size_t i = 0; i < w; i++)
			sets[(k - 1) * w + i] &= near[i];
	}
	/* (not empty: each unit of set k has one of set k - 1 before it within reach) */
	size_t a = 0, b = w;
	while (a < w && !sets[a])
		a++;
	while (b > a && !sets[b - 1])
		b--;
	if (a == w)
		return 0;
	long first = (long)(a * 64) + __builtin_ctzll(sets[a]);
	long lastu = (long)((b - 1) * 64) + 63 - __builtin_clzll(sets[b - 1]);
	*lo = first - lead > 0 ? first - lead : 0;
	*hi = lastu;
	return 1;
}

int extract_sentence(const struct engine *e, struct extract_ws *ws,
		     const struct sentence_view *sv, int only_rule, struct buf *explain)
{
	ws->nms = 0;
	if (tag_sentence(&e->lx, sv, &ws->tg) || build_tagged(ws, sv))
		return -1;
	if (explain)
		explain_actors(ws, sv, explain);
	if (!ws->tg.nacts)
		return 0;
	uint64_t have = 0;
	int nactors = 0;
	if (ws->actcap < ws->tg.nacts) {
		uint8_t *mb = realloc(ws->act_mbit, ws->tg.nacts);
		if (mb)
			ws->act_mbit = mb;
		uint8_t *an = realloc(ws->act_any, ws->tg.nacts);
		if (an)
			ws->act_any = an;
		if (!mb || !an)
			return -1;
		ws->actcap = ws->tg.nacts;
	}
	for (size_t i = 0; i < ws->tg.nacts; i++) {
		const struct tagged_actor *a = &ws->tg.acts[i];
		uint64_t bit = mark_bit(a->mark);
		ws->act_mbit[i] = (uint8_t)__builtin_ctzll(bit);
		ws->act_any[i] = (uint8_t)slot_takes(NULL, a, sv->lang);
		if (!a->is_place) {
			have |= bit;
			nactors++;
		}
	}
	if (find_candidates(e, ws, sv, only_rule, explain != NULL, nactors, have))
		return -1;
	find_speakers(e, ws, sv);
	if (explain) {
		for (size_t u = 0; u < ws->nunits; u++)
			if (ws->unit_speaker[u] >= 0) {
				char line[128];
				snprintf(line, sizeof line, "  quotation speaker: [%d]\n", ws->unit_speaker[u]);
				buf_adds(explain, line);
				break;
			}
	}
	ws->key = sv->key;
	for (size_t c = 0; c < ws->ncands; c++) {
		int p = ws->cands[c];
		const struct cpattern *cp = &e->pats[p];
		/* (without --explain, find_candidates() has left out these) */
		if (explain && (nactors < cp->min_actors || (cp->need_marks & ~have))) {
			const struct rl_rule *r = &e->rs.rules[cp->rule];
			char line[1024];
			snprintf(line, sizeof line, "  skipped %s (%s:%d) '%s': %s\n", r->id,
				 ruleset_relpath(&e->rs, r->file), cp->line, cp->text,
				 nactors < cp->min_actors ? "too few actors" : "no actor in the case a slot asks for");
			buf_adds(explain, line);
			continue;
		}
		/* the mandatory elements in their order (not with --explain, which reports
		 * the try) */
		long lo = 0, hi = 0;
		if (!explain && (!in_order(ws, e, p, -1) ||
				 !gaps_fit(ws, e, p, 0, sv->lang, cp->lead, &lo, &hi)))
			continue;
		ws->cur = cp;
		engine_jit(e, (size_t)p);
		PCRE2_SIZE start = 0;
		size_t before = ws->nms;
		int fired = 0, limit = 0;
		if (cp->open_pred) {
			/* every match starts at a word the opening /regex/ accepts: from the first */
			size_t u = 0;
			for (; u < ws->nunits; u++) {
				const char *t = ws->ts.p + ws->unit_off[u];
				if (*t != '\x01' && *t != ' ' &&
				    pred_at(ws, cp->preds[cp->open_pred - 1], ws->unit_off[u], ws->ts.len))
					break;
			}
			start = u < ws->nunits ? ws->unit_off[u] : ws->ts.len;
		}
		while (start < ws->ts.len) {
			/* no match starts outside the window gaps_fit() found (not with --explain,
			 * where it is not computed) */
			int window = !explain && cp->lead >= 0;
			if (window) {
				if (start < ws->unit_off[lo])
					start = ws->unit_off[lo];
				if (start > ws->unit_off[hi])
					break;
				pcre2_set_offset_limit(ws->mctx, ws->unit_off[hi]);
			}
			int rc = pcre2_match(cp->re, (PCRE2_SPTR)ws->ts.p, ws->ts.len, start, 0, ws->md, ws->mctx);
			if (window)
				pcre2_set_offset_limit(ws->mctx, PCRE2_UNSET);
			if (rc == PCRE2_ERROR_NOMATCH)
				break;
			if (rc < 0) {
				ws->limit_hits++;
				limit = 1;
				break;
			}
			fired = 1;
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(ws->md);
			PCRE2_SIZE near[2 * 64];
			if (sv->lang != RL_TR && rc <= 64 && nearer_source(ws, cp, ov, rc, near))
				ov = near;
			if (on_match(e, ws, sv, p, ov, rc))
				return -1;
			start = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
			/* another match needs its mandatory elements after this one (not with
			 * --explain, which would report a later try stopped by the match limit) */
			if (!explain && start < ws->ts.len &&
			    (!in_order(ws, e, p, (long)ws->unit_tok[unit_at(ws, start)] - 1) ||
			     !gaps_fit(ws, e, p, unit_at(ws, start), sv->lang, cp->lead, &lo, &hi)))
				break;
		}
		if (explain) {
			const struct rl_rule *r = &e->rs.rules[cp->rule];
			char line[1024];
			snprintf(line, sizeof line, "  tried %s (%s:%d) '%s': %s\n", r->id,
				 ruleset_relpath(&e->rs, r->file), cp->line, cp->text,
				 limit ? "stopped by the match limit"
				 : !fired ? "no match"
				 : ws->nms == before ? "matched, but no pair of distinct, resolved actors"
						     : "fired");
			buf_adds(explain, line);
		}
	}
	ws->cur = NULL;
	/* one mention per pair: the most specific match wins */
	size_t k = 0;
	for (size_t i = 0; i < ws->nms; i++) {
		size_t j;
		for (j = 0; j < k; j++)
			if (same_pair(&ws->ms[j], &ws->ms[i]))
				break;
		if (j == k) {
			ws->ms[k++] = ws->ms[i];
		} else {
			if (explain) {
				const struct mention *lose = better(&ws->ms[i], &ws->ms[j]) ? &ws->ms[j] : &ws->ms[i];
				const struct mention *win = lose == &ws->ms[j] ? &ws->ms[i] : &ws->ms[j];
				char line[512];
				snprintf(line, sizeof line,
					 "  dropped %s (line %d) for the same pair: %s (line %d) is more specific\n",
					 e->rs.rules[lose->rule].id, e->pats[lose->pattern].line,
					 e->rs.rules[win->rule].id, e->pats[win->pattern].line);
				buf_adds(explain, line);
			}
			if (better(&ws->ms[i], &ws->ms[j]))
				ws->ms[j] = ws->ms[i];
		}
	}
	ws->nms = k;
	drop_rival_readings(e, ws, explain);
	if (ws->nms > 1)
		qsort(ws->ms, ws->nms, sizeof(*ws->ms), cmp_mention);
	/* the place the sentence names, in the locative */
	int loc = -1;
	for (size_t i = 0; i < ws->tg.nacts && loc < 0; i++)
		if (ws->tg.acts[i].is_place && is_locative(sv->lang, ws->tg.acts[i].mark))
			loc = (int)i;
	for (size_t i = 0; i < ws->nms; i++)
		ws->ms[i].location = loc;
	return 0;
}
