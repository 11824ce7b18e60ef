/* olay-export: linked events as CSV, GDELT, Mentions, JSON, PLOVER or daily aggregates. */
#include "olay/export.h"
#include "olay/stage.h"

#include <string.h>

static const char help[] =
	"Read linked events (olay-link) and write them in one format (docs/FORMAT.md,\n"
	"\"Export formats\"). Events that break the event contract are rejected, never\n"
	"written as a malformed row.\n\n"
	"Options:\n"
	"      --format F       csv (default): olay's columns, a header, RFC 4180 quoting\n"
	"                       gdelt: GDELT 2.0 Events, 61 tab-separated columns, no header\n"
	"                       mentions: one row per mention (GDELT Mentions-style CSV)\n"
	"                       jsonl, json: the events as JSON Lines, or one JSON array\n"
	"                       plover: PLOVER-style JSON Lines (rules/cameo/plover.tsv)\n"
	"                       stats: aggregates in long CSV\n"
	"      --columns LIST   csv: the columns to write, in order, comma-separated\n"
	"      --delimiter C    csv, mentions, stats: field separator (default ','; 'tab')\n"
	"      --by LIST        stats: day, week or month, and any of dyad, country, root,\n"
	"                       quad (default: day,dyad,root)\n";

enum { OPT_FORMAT = STAGE_OPT_FIRST_OWN, OPT_COLUMNS, OPT_DELIMITER, OPT_BY };

int main(int argc, char **argv)
{
	struct stage st;
	struct export_options opt = {.format = EXPORT_CSV};
	static const struct option options[] = {
		STAGE_COMMON_OPTIONS,
		{"format", required_argument, NULL, OPT_FORMAT},
		{"columns", required_argument, NULL, OPT_COLUMNS},
		{"delimiter", required_argument, NULL, OPT_DELIMITER},
		{"by", required_argument, NULL, OPT_BY},
		{NULL, 0, NULL, 0}};
	int c;

	stage_init(&st, "olay-export", "[OPTIONS] [FILE...]", help);
	st.read_label = "events read";
	st.written_label = "exported";
	while ((c = getopt_long(argc, argv, STAGE_COMMON_SHORTOPTS, options, NULL)) != -1) {
		if (stage_option(&st, c, optarg))
			continue;
		switch (c) {
		case OPT_FORMAT:
			if (export_format_parse(optarg, &opt.format))
				stage_usage_error(&st, "--format '%s': expected csv, gdelt, mentions, "
						       "jsonl, json, plover or stats", optarg);
			break;
		case OPT_COLUMNS:
			opt.columns = optarg;
			break;
		case OPT_DELIMITER:
			if (strcmp(optarg, "tab") == 0 || strcmp(optarg, "\\t") == 0)
				opt.delimiter = '\t';
			else if (strlen(optarg) == 1 && optarg[0] != '"' && optarg[0] != '\n')
				opt.delimiter = optarg[0];
			else
				stage_usage_error(&st, "--delimiter '%s': expected one character or 'tab'",
						  optarg);
			break;
		case OPT_BY:
			opt.by = optarg;
			break;
		default:
			stage_usage_error(&st, "unknown option");
		}
	}
	char err[1024];
	opt.rules_dir = stage_rules_dir(&st);
	struct exporter *x = exporter_new(&opt, err, sizeof err);
	if (!x)
		stage_usage_error(&st, "%s", err);
	stage_open(&st, argc, argv);

	struct csvout out;
	csvout_init(&out, opt.format == EXPORT_GDELT ? '\t' : opt.delimiter ? opt.delimiter : ',',
		    opt.format != EXPORT_GDELT);
	exporter_begin(x, &out);
	json_t *ev;
	while ((ev = stage_next_record(&st)) != NULL) {
		const char *drop;
		int r = exporter_event(x, ev, &out, &drop, err, sizeof err);
		if (r < 0)
			stage_reject(&st, NULL, ev, NULL, "%s", err);
		else if (r == 0)
			stage_count(&st, stage_counter(&st, drop), 1);
		else
			st.nwritten++;
		json_decref(ev);
		if (csvout_failed(&out))
			stage_die(&st, "out of memory");
		if (out.len >= 1 << 16) {
			stage_write_raw(&st, out.buf, out.len);
			csvout_clear(&out);
		}
	}
	exporter_end(x, &out);
	if (csvout_failed(&out))
		stage_die(&st, "out of memory");
	stage_write_raw(&st, out.buf, out.len);
	stage_count(&st, stage_counter(&st, "rows"), exporter_rows(x));
	csvout_release(&out);
	exporter_free(x);
	return stage_finish(&st);
}
