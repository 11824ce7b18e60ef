/* olay-normalize: clean article text, drop boilerplate, split sentences with match keys
 * and offsets into the original text (docs/FORMAT.md, "Document + sentences"). */
#include "olay/buf.h"
#include "olay/norm.h"
#include "olay/sentences.h"
#include "olay/stage.h"

#include <errno.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"Clean each document's text and split it into sentences: line wraps joined, boilerplate\n"
	"(navigation, link lists, credits, repeated captions; rules/boilerplate/) removed and\n"
	"listed under \"removed\", Unicode normalised, each sentence with its byte span in the\n"
	"original text, its match key and the key's offset map.\n\n"
	"Options:\n"
	"      --max-sentence BYTES  cut sentences longer than this at the best point within it\n"
	"                            and mark them \"split\" (default 8192; 0: no limit)\n"
	"      --keep-boilerplate    remove nothing; only reflow, clean and split\n"
	"  -j, --jobs N              threads (default 1: normalize is seldom the slow stage, and\n"
	"                            idle threads would take CPU from extract in a pipeline); the\n"
	"                            output is the same for any number\n";

enum { OPT_MAX_SENTENCE = STAGE_OPT_FIRST_OWN, OPT_KEEP_BOILERPLATE };

#define BATCH_LINES 256          /* records normalized in parallel, then written in order; */
#define BATCH_PER_THREAD 16      /* fewer per thread keep a batch's output in cache */
#define BATCH_BYTES (16u << 20)

struct slot {
	int rc;
	struct norm_line r;
};

int main(int argc, char **argv)
{
	static const struct option options[] = {
		STAGE_COMMON_OPTIONS,
		{"max-sentence", required_argument, NULL, OPT_MAX_SENTENCE},
		{"keep-boilerplate", no_argument, NULL, OPT_KEEP_BOILERPLATE},
		{"jobs", required_argument, NULL, 'j'},
		{NULL, 0, NULL, 0}};
	struct stage st;
	struct norm_opts opts = {NULL, SENTENCE_MAX_DEFAULT};
	int keep = 0, jobs = 1, c;
	char *end;

	stage_init(&st, "olay-normalize", "[OPTIONS] [FILE...]", help);
	while ((c = getopt_long(argc, argv, STAGE_COMMON_SHORTOPTS "j:", options, NULL)) != -1) {
		if (stage_option(&st, c, optarg))
			continue;
		switch (c) {
		case OPT_MAX_SENTENCE:
			errno = 0;
			unsigned long long v = strtoull(optarg, &end, 10);
			if (errno || *end || end == optarg || optarg[0] == '-')
				stage_usage_error(&st, "invalid --max-sentence '%s': expected bytes",
						  optarg);
			opts.max_sentence = (size_t)v;
			break;
		case OPT_KEEP_BOILERPLATE:
			keep = 1;
			break;
		case 'j':
			jobs = stage_parse_jobs(&st, optarg);
			break;
		default:
			stage_usage_error(&st, "unknown option");
		}
	}
	struct boilerplate *bp = NULL;
	if (!keep) {
		char dir[4096], err[4400];
		snprintf(dir, sizeof dir, "%s/boilerplate", stage_rules_dir(&st));
		if (boilerplate_load(&bp, dir, err, sizeof err) < 0)
			stage_die(&st, "%s", err);
		opts.bp = bp;
	}
	stage_open(&st, argc, argv);
	int sentence_counter = stage_counter(&st, "sentences");
	int split_counter = stage_counter(&st, "cut at --max-sentence");

	omp_set_num_threads(jobs);
	int nthreads = jobs;
	struct buf *scratch = calloc((size_t)nthreads, sizeof(*scratch));
	size_t batch_lines = (size_t)nthreads * BATCH_PER_THREAD;
	if (batch_lines > BATCH_LINES)
		batch_lines = BATCH_LINES;
	struct slot *batch = calloc(batch_lines, sizeof(*batch));
	if (!scratch || !batch)
		stage_die(&st, "out of memory");
	json_object_seed(0); /* before threads: jansson seeds its hashes once */

	/* Read a batch of lines in order, normalize them in parallel, write them in order: the
	 * output is the same for any number of threads. Lines, not records, are read so that a
	 * line in jansson's compact form is never parsed into a tree (see norm_line()). */
	struct line_batch lines = LINE_BATCH_INIT;
	size_t n;
	while ((n = stage_read_batch(&st, &lines, batch_lines, BATCH_BYTES)) > 0) {
#pragma omp parallel for schedule(dynamic, 1)
		for (size_t i = 0; i < n; i++)
			batch[i].rc = norm_line(&opts, lines.lines[i].line, lines.lines[i].len,
						&scratch[omp_get_thread_num()], &batch[i].r);
		for (size_t i = 0; i < n; i++) {
			struct slot *s = &batch[i];
			const struct batch_line *l = &lines.lines[i];
			if (s->rc < 0)
				stage_die(&st, "%s: out of memory", l->where);
			if (s->r.why) {
				stage_reject(&st, l->where, s->r.rec, s->r.rec ? NULL : l->line, "%s",
					     s->r.why);
			} else {
				stage_write_record(&st, s->r.out.p, s->r.out.len);
				stage_count(&st, sentence_counter, s->r.c.sentences);
				stage_count(&st, split_counter, s->r.c.split_long);
			}
			stage_progress(&st);
		}
	}
	line_batch_release(&lines);
	for (size_t i = 0; i < batch_lines; i++)
		norm_line_release(&batch[i].r);
	for (int t = 0; t < nthreads; t++)
		buf_release(&scratch[t]);
	free(batch);
	free(scratch);
	boilerplate_free(bp);
	return stage_finish(&st);
}
