/* olay-export: write events as CSV, GDELT, JSON, PLOVER or aggregates (not yet implemented: passes records through). */
#include "olay/stage.h"

static const char help[] =
	"write events as CSV, GDELT, JSON, PLOVER or aggregates (not yet implemented: passes records through).\n";

int main(int argc, char **argv)
{
	struct stage st;
	static const struct option options[] = {STAGE_COMMON_OPTIONS, {NULL, 0, NULL, 0}};
	int c;

	stage_init(&st, "olay-export", "[OPTIONS] [FILE...]", help);
	while ((c = getopt_long(argc, argv, STAGE_COMMON_SHORTOPTS, options, NULL)) != -1)
		if (!stage_option(&st, c, optarg))
			stage_usage_error(&st, "unknown option");
	stage_open(&st, argc, argv);

	json_t *rec;
	while ((rec = stage_next_record(&st)) != NULL) {
		stage_write(&st, rec);
		json_decref(rec);
	}
	return stage_finish(&st);
}
