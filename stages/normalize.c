/* olay-normalize: clean article text, drop boilerplate, split sentences with match keys
 * and offsets into the original text (docs/FORMAT.md, "Document + sentences"). */
#include "olay/buf.h"
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

	struct buf out = BUF_INIT, scratch = BUF_INIT;
	struct norm_counts nc = {0};
	const char *line;
	size_t len;
	/* Records are read here rather than with stage_next_record(), so that a line already
	 * in jansson's compact form is neither parsed into a tree nor written out again: see
	 * norm_scan_record(). Other lines take the same path stage_next_record() takes. */
	while ((line = stage_next_line(&st, &len)) != NULL) {
		if (len == strspn(line, " \t"))
			continue;
		st.nread++;
		stage_progress(&st);
		struct norm_record r;
		int fast = norm_scan_record(line, len, &scratch, &r);
		if (fast < 0)
			stage_die(&st, "%s: out of memory", stage_where(&st));
		buf_reset(&out);
		size_t sentences = nc.sentences, cut = nc.split_long;
		if (fast && r.text_state == 1 && r.lang_state != 2) {
			if (buf_add(&out, line, len - 1) < 0 || (len > 2 && buf_addc(&out, ',') < 0) ||
			    norm_document(&opts, lang_from_code(r.lang_state ? r.lang : NULL), r.text,
					  r.text_len, &out, &nc) < 0 ||
			    buf_adds(&out, "}\n") < 0)
				stage_die(&st, "%s: out of memory", stage_where(&st));
		} else {
			json_error_t err;
			json_t *rec = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &err);
			if (!rec) {
				stage_reject(&st, NULL, NULL, line, "invalid JSON at column %d: %s",
					     err.column, err.text);
				continue;
			}
			json_t *text = json_object_get(rec, "text"), *lang = json_object_get(rec, "lang");
			const char *why = !json_is_object(rec) ? "record is not a JSON object"
					  : !text ? "missing field 'text'"
					  : !json_is_string(text) ? "field 'text' is not a string"
					  : lang && !json_is_null(lang) && !json_is_string(lang)
						  ? "field 'lang' is not a string"
						  : NULL;
			if (why) {
				stage_reject(&st, NULL, json_is_object(rec) ? rec : NULL, line, "%s", why);
				json_decref(rec);
				continue;
			}
			/* a second run replaces what the first added */
			json_object_del(rec, "sentences");
			json_object_del(rec, "removed");
			json_object_del(rec, "norm");
			char *head = json_dumps(rec, JSON_COMPACT | JSON_REAL_PRECISION(10));
			if (!head || buf_add(&out, head, strlen(head) - 1) < 0 ||
			    (strlen(head) > 2 && buf_addc(&out, ',') < 0) ||
			    norm_document(&opts, lang_from_code(json_string_value(lang)),
					  json_string_value(text), json_string_length(text), &out,
					  &nc) < 0 ||
			    buf_adds(&out, "}\n") < 0)
				stage_die(&st, "%s: out of memory", stage_where(&st));
			free(head);
			json_decref(rec);
		}
		stage_write_raw(&st, out.p, out.len);
		st.nwritten++; /* stage_write_raw() counts nothing */
		stage_count(&st, sentence_counter, nc.sentences - sentences);
		stage_count(&st, split_counter, nc.split_long - cut);
	}
	buf_release(&out);
	buf_release(&scratch);
	boilerplate_free(bp);
	return stage_finish(&st);
}
