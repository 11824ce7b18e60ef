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

struct slot {
	char *line;
	size_t len;
	char where[256];
	json_t *rec;
	char parse_error[200];
	struct doc_result res;
	int rc;
};

static int check_rules(struct stage *st, const char *dir)
{
	struct engine e;
	struct diags d = {0};
	int rc = engine_load(&e, dir, &d);
	long n = 0;
	if (rc >= 0) {
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

static void process(const struct engine *e, struct extract_ws *ws, struct slot *s)
{
	json_error_t err;
	/* read in place; jansson for the lines the scanner leaves to it and for rejects */
	s->rc = extract_document_line(e, ws, s->line, s->len, &s->res);
	if (s->rc == 0 || s->rc < 0) {
		free(s->line);
		s->line = NULL;
		return;
	}
	if (s->rc == 1) {
		s->rec = json_loadb(s->line, s->len, JSON_REJECT_DUPLICATES, &err);
		if (s->rec)
			return;
	}
	buf_reset(&s->res.out);
	buf_reset(&s->res.explain);
	s->res.mentions = s->res.sentences = s->res.negated_dropped = 0;
	s->rec = json_loadb(s->line, s->len, JSON_REJECT_DUPLICATES, &err);
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
		free(s->line);
		s->line = NULL;
	}
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
			jobs = atoi(optarg);
			if (jobs < 1 || jobs > 1024)
				stage_usage_error(&st, "'-j' wants a thread count from 1 to 1024, not '%s'", optarg);
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
	struct slot *batch = calloc(BATCH_DOCS, sizeof(*batch));
	if (!ws || !batch)
		stage_die(&st, "out of memory");
	for (int t = 0; t < nthreads; t++)
		if (extract_ws_init(&ws[t], &e))
			stage_die(&st, "out of memory");
	json_object_seed(0); /* before threads: jansson seeds its hashes once */

	int done = 0;
	while (!done) {
		/* read a batch in order, code it in parallel, write it in order */
		size_t n = 0, bytes = 0;
		const char *line;
		size_t len;
		while (n < BATCH_DOCS && bytes < BATCH_BYTES && (line = stage_next_line(&st, &len))) {
			size_t i = 0;
			while (i < len && (line[i] == ' ' || line[i] == '\t'))
				i++;
			if (i == len)
				continue;
			struct slot *s = &batch[n++];
			s->line = malloc(len + 1);
			if (!s->line)
				stage_die(&st, "out of memory");
			memcpy(s->line, line, len + 1);
			s->len = len;
			snprintf(s->where, sizeof s->where, "%s", stage_where(&st));
			st.nread++;
			bytes += len;
		}
		if (n == 0)
			break;
		if (n < BATCH_DOCS && bytes < BATCH_BYTES)
			done = 1;
#pragma omp parallel for schedule(dynamic, 1)
		for (size_t i = 0; i < n; i++)
			process(&e, &ws[omp_get_thread_num()], &batch[i]);
		for (size_t i = 0; i < n; i++) {
			struct slot *s = &batch[i];
			if (s->parse_error[0])
				stage_reject(&st, s->where, NULL, s->line, "%s", s->parse_error);
			else if (s->rc < 0)
				stage_die(&st, "out of memory coding %s", s->where);
			else if (s->rc > 0)
				stage_reject(&st, s->where, s->rec, NULL, "%s", s->res.reason);
			else {
				if (s->res.explain.len)
					fwrite(s->res.explain.p, 1, s->res.explain.len, stderr);
				if (s->res.out.len)
					stage_write_raw(&st, s->res.out.p, s->res.out.len);
				st.nwritten += s->res.mentions;
				stage_count(&st, c_sent, s->res.sentences);
				stage_count(&st, c_neg, s->res.negated_dropped);
			}
			stage_progress(&st);
			json_decref(s->rec);
			free(s->line);
			buf_release(&s->res.out);
			buf_release(&s->res.explain);
			memset(s, 0, sizeof *s);
		}
	}
	for (int t = 0; t < nthreads; t++)
		extract_ws_release(&ws[t]);
	free(ws);
	free(batch);
	engine_release(&e);
	return stage_finish(&st);
}
