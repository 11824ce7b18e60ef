/* olay-extract: code event mentions in normalized documents with the rule sets. */
#include "olay/extract.h"
#include "olay/stage.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"Code the sentences of normalized documents (olay-normalize output) with the rules:\n"
	"one JSON line per event mention (docs/FORMAT.md, \"Mention\").\n\n"
	"Options:\n"
	"  -j, --jobs N        threads (default: $OMP_NUM_THREADS, else all cores); the\n"
	"                      output is the same for any N\n"
	"      --keep-negated  write negated mentions too, with \"negated\": true\n"
	"      --explain       per sentence, on stderr: the actors tagged, the patterns\n"
	"                      tried, which fired and why the others did not\n"
	"      --check-rules DIR  lint the rules in DIR and run every example in them;\n"
	"                      messages are file:line:col; exit 2 if there is any\n";

enum { OPT_KEEP_NEGATED = STAGE_OPT_FIRST_OWN, OPT_EXPLAIN, OPT_CHECK_RULES };

#define BATCH_DOCS 512
#define BATCH_BYTES (16u << 20)

/* One document of a batch and its result. */
struct slot {
	json_t *rec; /* the jansson tree, only for lines the in-place reader leaves to it */
	char parse_error[200];
	struct doc_result res;
	int rc;
};

/* Lines read ahead and their results: one batch is coded while the previous one is
 * written and the next one read. */
struct half {
	struct line_batch lines;
	struct slot *slots;
	size_t n;
};

static int check_rules(struct stage *st, const char *dir)
{
	struct engine e;
	struct diags d = {0};
	int rc = engine_load(&e, dir, &d);
	long n = 0;
	if (rc >= 0) {
		engine_jit_all(&e);
		struct extract_ws ws;
		if (extract_ws_init(&ws, &e) || (n = engine_check_examples(&e, &ws, &d)) < 0)
			rc = -1;
		extract_ws_release(&ws);
	}
	for (size_t i = 0; i < d.n; i++)
		fprintf(stderr, "%s\n", d.msgs[i]);
	if (rc < 0)
		stage_die(st, "out of memory while checking '%s'", dir);
	if (d.n == 0)
		stage_log(st, "'%s': %zu actors, %zu agents, %zu places, %zu rules, %zu patterns, %ld examples: ok",
			  dir, e.rs.nactors, e.rs.nagents, e.rs.nplaces, e.rs.nrules, e.npats, n);
	else
		stage_log(st, "'%s': %zu problems", dir, d.n);
	int status = d.n ? OLAY_EXIT_FAILURE : OLAY_EXIT_OK;
	diags_release(&d);
	engine_release(&e);
	return status;
}

static void process(const struct engine *e, struct extract_ws *ws, const struct batch_line *l,
		    struct slot *s)
{
	json_error_t err;
	buf_reset(&s->res.out);
	buf_reset(&s->res.explain);
	s->res.mentions = s->res.sentences = s->res.negated_dropped = 0;
	s->res.reason[0] = '\0';
	s->parse_error[0] = '\0';
	s->rec = NULL;
	/* read in place; jansson for the lines the scanner leaves to it and for rejects */
	s->rc = extract_document_line(e, ws, l->line, l->len, &s->res);
	if (s->rc == 0 || s->rc < 0)
		return;
	if (s->rc == 1) {
		s->rec = json_loadb(l->line, l->len, JSON_REJECT_DUPLICATES, &err);
		if (s->rec)
			return;
	}
	buf_reset(&s->res.out);
	buf_reset(&s->res.explain);
	s->res.mentions = s->res.sentences = s->res.negated_dropped = 0;
	s->rec = json_loadb(l->line, l->len, JSON_REJECT_DUPLICATES, &err);
	if (!s->rec) {
		snprintf(s->parse_error, sizeof s->parse_error, "invalid JSON at column %d: %s",
			 err.column, err.text);
		return;
	}
	if (!json_is_object(s->rec)) {
		snprintf(s->parse_error, sizeof s->parse_error, "record is not a JSON object");
		return;
	}
	s->rc = extract_document(e, ws, s->rec, &s->res);
	if (s->rc == 0) {
		/* freeing a large document is work too: do it here, in parallel */
		json_decref(s->rec);
		s->rec = NULL;
	}
}

/* Write a coded batch in input order. */
static void write_half(struct stage *st, struct half *h, int c_sent, int c_neg)
{
	for (size_t i = 0; i < h->n; i++) {
		struct slot *s = &h->slots[i];
		const struct batch_line *l = &h->lines.lines[i];
		if (s->parse_error[0])
			stage_reject(st, l->where, NULL, l->line, "%s", s->parse_error);
		else if (s->rc < 0)
			stage_die(st, "out of memory coding %s", l->where);
		else if (s->rc > 0)
			stage_reject(st, l->where, s->rec, NULL, "%s", s->res.reason);
		else {
			if (s->res.explain.len)
				fwrite(s->res.explain.p, 1, s->res.explain.len, stderr);
			/* one record per mention line */
			const char *p = s->res.out.p, *end = p + s->res.out.len;
			while (p < end) {
				const char *nl = memchr(p, '\n', (size_t)(end - p));
				size_t len = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
				stage_write_record(st, p, len);
				p += len;
			}
			stage_count(st, c_sent, s->res.sentences);
			stage_count(st, c_neg, s->res.negated_dropped);
		}
		stage_progress(st);
		if (s->rec) {
			json_decref(s->rec);
			s->rec = NULL;
		}
		/* let the document and its mentions go: kept, every index would hold on to the
		 * largest document it ever saw (a third more memory for nothing faster) */
		struct batch_line *bl = &h->lines.lines[i];
		free(bl->line);
		bl->line = NULL;
		bl->cap = 0;
		buf_release(&s->res.out);
		buf_release(&s->res.explain);
	}
	h->n = 0;
}

int main(int argc, char **argv)
{
	struct stage st;
	static const struct option options[] = {
		STAGE_COMMON_OPTIONS,
		{"jobs", required_argument, NULL, 'j'},
		{"keep-negated", no_argument, NULL, OPT_KEEP_NEGATED},
		{"explain", no_argument, NULL, OPT_EXPLAIN},
		{"check-rules", required_argument, NULL, OPT_CHECK_RULES},
		{NULL, 0, NULL, 0}};
	int c, jobs = 0, keep_negated = 0, explain = 0;
	const char *check_dir = NULL;

	stage_init(&st, "olay-extract", "[OPTIONS] [FILE...]", help);
	while ((c = getopt_long(argc, argv, STAGE_COMMON_SHORTOPTS "j:", options, NULL)) != -1) {
		if (stage_option(&st, c, optarg))
			continue;
		switch (c) {
		case 'j':
			jobs = stage_parse_jobs(&st, optarg);
			break;
		case OPT_KEEP_NEGATED: keep_negated = 1; break;
		case OPT_EXPLAIN: explain = 1; break;
		case OPT_CHECK_RULES: check_dir = optarg; break;
		default: stage_usage_error(&st, "unknown option");
		}
	}
	if (check_dir)
		return check_rules(&st, check_dir);

	if (jobs)
		omp_set_num_threads(jobs);
	/* rules first: bad rules stop the stage before it reads anything */
	struct engine e;
	struct diags d = {0};
	const char *dir = stage_rules_dir(&st);
	int rc = engine_load(&e, dir, &d);
	for (size_t i = 0; i < d.n; i++)
		fprintf(stderr, "%s\n", d.msgs[i]);
	if (rc < 0)
		stage_die(&st, "out of memory loading the rules in '%s'", dir);
	if (rc > 0)
		stage_die(&st, "bad rules in '%s' (%zu problems); see 'olay-extract --check-rules'", dir, d.n);
	diags_release(&d);
	e.keep_negated = keep_negated;
	e.explain = explain;

	stage_open(&st, argc, argv);
	st.read_label = "documents read";
	st.written_label = "mentions written";
	int c_sent = stage_counter(&st, "sentences"), c_neg = stage_counter(&st, "negated dropped");
	int nthreads = omp_get_max_threads();
	struct extract_ws *ws = calloc((size_t)nthreads, sizeof(*ws));
	struct half halves[2] = {{LINE_BATCH_INIT, NULL, 0}, {LINE_BATCH_INIT, NULL, 0}};
	for (int k = 0; k < 2; k++)
		if (!(halves[k].slots = calloc(BATCH_DOCS, sizeof(struct slot))))
			stage_die(&st, "out of memory");
	if (!ws)
		stage_die(&st, "out of memory");
	for (int t = 0; t < nthreads; t++)
		if (extract_ws_init(&ws[t], &e))
			stage_die(&st, "out of memory");
	json_object_seed(0); /* before threads: jansson seeds its hashes once */

	/* Batches in input order: while the threads code batch k, one of them first writes
	 * batch k-1 (in order) and reads batch k+1, so reading and writing overlap the coding.
	 * The output is the same for any number of threads. */
	struct half *cur = &halves[0], *other = &halves[1];
	cur->n = stage_read_batch(&st, &cur->lines, BATCH_DOCS, BATCH_BYTES);
	while (cur->n > 0) {
		struct half *c = cur, *o = other;
#pragma omp parallel
#pragma omp single
		{
			for (size_t i = 0; i < c->n; i++) {
#pragma omp task firstprivate(i)
				process(&e, &ws[omp_get_thread_num()], &c->lines.lines[i], &c->slots[i]);
			}
			write_half(&st, o, c_sent, c_neg);
			o->n = stage_read_batch(&st, &o->lines, BATCH_DOCS, BATCH_BYTES);
		}
		cur = o;
		other = c;
	}
	write_half(&st, other, c_sent, c_neg);
	for (int t = 0; t < nthreads; t++)
		extract_ws_release(&ws[t]);
	free(ws);
	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; i < BATCH_DOCS; i++) {
			buf_release(&halves[k].slots[i].res.out);
			buf_release(&halves[k].slots[i].res.explain);
		}
		free(halves[k].slots);
		line_batch_release(&halves[k].lines);
	}
	engine_release(&e);
	return stage_finish(&st);
}
