/* olay-link: one entity per person or state, one event per happening. */
#include "olay/link.h"
#include "olay/stage.h"

#include <errno.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"Read mentions (olay-extract) and write linked events, one JSON object per line.\n"
	"Short mentions (surname or title only) resolve to the full name written earlier in\n"
	"the document; unknown names get an id from a transliteration-insensitive key (x:...).\n"
	"Mentions with the same source entity, target entity and code whose dates chain\n"
	"within the window become one event; a symmetric event merges with its mirror.\n"
	"Linked events may be read again with new mentions: link shards, then link their\n"
	"outputs together, and get the same bytes as one run over everything.\n"
	"Mentions without a date merge only within their document (date null).\n\n"
	"Options:\n"
	"      --window DAYS   merge mentions whose dates chain within DAYS (default 1)\n"
	"      --by code|root  merge on the full event code (default) or its two-digit root\n"
	"      --one-a-day     Phoenix's filter: one event per date, source, target and code;\n"
	"                      mirrors of symmetric events stay apart\n"
	"  -j, --jobs N        threads parsing the input (default: $OMP_NUM_THREADS, else\n"
	"                      all cores); the output is the same for any number\n"
	"      --memory SIZE   sort buffers (default 64M; k, M, G suffixes, at least 8k): what\n"
	"                      does not fit is spilled to temporary files in $TMPDIR\n";

enum { OPT_WINDOW = STAGE_OPT_FIRST_OWN, OPT_BY, OPT_ONE_A_DAY, OPT_MEMORY };

int main(int argc, char **argv)
{
	struct stage st;
	struct link_options opt = {.window = 1};
	static const struct option options[] = {
		STAGE_COMMON_OPTIONS,
		{"window", required_argument, NULL, OPT_WINDOW},
		{"by", required_argument, NULL, OPT_BY},
		{"one-a-day", no_argument, NULL, OPT_ONE_A_DAY},
		{"memory", required_argument, NULL, OPT_MEMORY},
		{"jobs", required_argument, NULL, 'j'},
		{NULL, 0, NULL, 0}};
	int c, jobs = 0;
	char *end;

	stage_init(&st, "olay-link", "[OPTIONS] [FILE...]", help);
	st.read_label = "mentions read";
	st.written_label = "events written";
	while ((c = getopt_long(argc, argv, STAGE_COMMON_SHORTOPTS "j:", options, NULL)) != -1) {
		if (stage_option(&st, c, optarg))
			continue;
		switch (c) {
		case OPT_WINDOW:
			opt.window = (int)strtol(optarg, &end, 10);
			if (*end || end == optarg || opt.window < 0 || opt.window > 3650)
				stage_usage_error(&st, "--window '%s' is not a number of days 0-3650",
						  optarg);
			break;
		case OPT_BY:
			if (strcmp(optarg, "root") == 0)
				opt.by_root = 1;
			else if (strcmp(optarg, "code") != 0)
				stage_usage_error(&st, "--by '%s': expected 'code' or 'root'", optarg);
			break;
		case 'j':
			jobs = stage_parse_jobs(&st, optarg);
			break;
		case OPT_ONE_A_DAY:
			opt.one_a_day = 1;
			break;
		case OPT_MEMORY:
			opt.memory = stage_parse_size(&st, "--memory", optarg, 8192);
			break;
		default:
			stage_usage_error(&st, "unknown option");
		}
	}
	stage_open(&st, argc, argv);

	struct link_store *ls = link_store_new(&opt);
	if (!ls)
		stage_die(&st, "cannot create a temporary file (TMPDIR) or out of memory");
	if (jobs)
		omp_set_num_threads(jobs);
	/* records are parsed and encoded by worker threads a batch at a time, then added in
	 * input order: rejects are reported in order and the store sees the same sequence
	 * for any number of threads (its result depends only on the set anyway) */
	enum { BATCH = 4096, PARSE_FAILED = -2 };
	struct parsed {
		json_t *rec; /* kept only when rejected */
		struct link_buf enc;
		int n;
		char err[512];
	};
	struct parsed *items = calloc(BATCH, sizeof *items);
	struct line_batch batch = LINE_BATCH_INIT;
	if (!items)
		stage_die(&st, "out of memory");
	while (stage_read_batch(&st, &batch, BATCH, (size_t)16 << 20) > 0) {
		long nb = (long)batch.n;
#pragma omp parallel for schedule(dynamic, 64)
		for (long i = 0; i < nb; i++) {
			struct parsed *it = &items[i];
			const struct batch_line *l = &batch.lines[i];
			it->enc.n = 0;
			it->rec = record_parse(l->line, l->len, it->err, sizeof it->err);
			if (!it->rec) {
				it->n = PARSE_FAILED;
				continue;
			}
			it->n = link_encode(it->rec, &it->enc, it->err, sizeof it->err);
			if (it->n != 0) {
				json_decref(it->rec);
				it->rec = NULL;
			}
		}
		for (size_t i = 0; i < batch.n; i++) {
			struct parsed *it = &items[i];
			const struct batch_line *l = &batch.lines[i];
			if (it->n == PARSE_FAILED)
				stage_reject(&st, l->where, NULL, l->line, "%s", it->err);
			else if (it->n == 0)
				stage_reject(&st, l->where, it->rec, NULL, "%s", it->err);
			else if (it->n < 0 || link_store_put(ls, it->enc.p, it->enc.n))
				stage_die(&st, "out of memory or temporary files (TMPDIR) unwritable "
					       "at %s", l->where);
			json_decref(it->rec);
			it->rec = NULL;
		}
		stage_progress(&st);
	}
	for (size_t i = 0; i < BATCH; i++)
		link_buf_release(&items[i].enc);
	free(items);
	line_batch_release(&batch);
	if (link_store_run(ls))
		stage_die(&st, "out of memory or temporary files (TMPDIR) unwritable while linking");
	const char *ev;
	size_t len;
	int more;
	while ((more = link_store_next(ls, &ev, &len)) > 0)
		stage_write_record(&st, ev, len);
	if (more < 0)
		stage_die(&st, "cannot read back the temporary files (TMPDIR): %s", strerror(errno));
	const struct link_stats *s = link_store_stats(ls);
	stage_count(&st, stage_counter(&st, "merged"), s->mentions - s->events);
	stage_count(&st, stage_counter(&st, "resolved in document"), s->resolved);
	stage_count(&st, stage_counter(&st, "ambiguous"), s->ambiguous);
	stage_count(&st, stage_counter(&st, "undated"), s->undated);
	link_store_free(ls);
	return stage_finish(&st);
}
