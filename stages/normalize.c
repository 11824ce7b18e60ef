/* olay-normalize: clean article text, drop boilerplate, split sentences with match keys
 * and offsets into the original text (docs/FORMAT.md, "Document + sentences"). */
#include "olay/norm.h"
#include "olay/sentences.h"
#include "olay/stage.h"

#include <errno.h>
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
	"      --keep-boilerplate    remove nothing; only reflow, clean and split\n";

enum { OPT_MAX_SENTENCE = STAGE_OPT_FIRST_OWN, OPT_KEEP_BOILERPLATE };

int main(int argc, char **argv)
{
	static const struct option options[] = {
		STAGE_COMMON_OPTIONS,
		{"max-sentence", required_argument, NULL, OPT_MAX_SENTENCE},
		{"keep-boilerplate", no_argument, NULL, OPT_KEEP_BOILERPLATE},
		{NULL, 0, NULL, 0}};
	struct stage st;
	struct norm_opts opts = {NULL, SENTENCE_MAX_DEFAULT};
	int keep = 0, c;
	char *end;

	stage_init(&st, "olay-normalize", "[OPTIONS] [FILE...]", help);
	while ((c = getopt_long(argc, argv, STAGE_COMMON_SHORTOPTS, options, NULL)) != -1) {
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

	json_t *rec;
	while ((rec = stage_next_record(&st)) != NULL) {
		json_t *text = json_object_get(rec, "text"), *lang = json_object_get(rec, "lang");
		if (!text)
			stage_reject(&st, NULL, rec, NULL, "missing field 'text'");
		else if (!json_is_string(text))
			stage_reject(&st, NULL, rec, NULL, "field 'text' is not a string");
		else if (lang && !json_is_null(lang) && !json_is_string(lang))
			stage_reject(&st, NULL, rec, NULL, "field 'lang' is not a string");
		else {
			json_t *sentences, *removed, *counts;
			struct norm_counts nc = {0};
			if (norm_document(&opts, lang_from_code(json_string_value(lang)),
					  json_string_value(text), json_string_length(text), &sentences,
					  &removed, &counts, &nc) < 0)
				stage_die(&st, "%s: out of memory", stage_where(&st));
			json_object_set_new(rec, "sentences", sentences);
			json_object_set_new(rec, "removed", removed);
			json_object_set_new(rec, "norm", counts);
			stage_count(&st, sentence_counter, nc.sentences);
			stage_count(&st, split_counter, nc.split_long);
			stage_write(&st, rec);
		}
		json_decref(rec);
	}
	boilerplate_free(bp);
	return stage_finish(&st);
}
