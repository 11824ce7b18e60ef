/* export.c: the export formats (gdelt.c and plover.c hold GDELT's and PLOVER's tables). */
#include "olay/export.h"
#include "olay/gdelt.h"
#include "olay/link.h"
#include "olay/plover.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- olay's CSV columns ---- */

static const char *const csv_columns[] = {
	"event_id", "date",
	"source_code", "source_name", "source_country", "source_group", "source_role", "source_entity",
	"target_code", "target_name", "target_country", "target_group", "target_role", "target_entity",
	"code", "root", "quad", "goldstein", "num_mentions", "num_sources", "num_articles",
	"location_name", "location_country", "location_lat", "location_lon", "languages",
	"doc_id", "sentence", "url", "rule", "evidence"};
#define NCSV ((int)(sizeof csv_columns / sizeof *csv_columns))

static const char *const mention_columns[] = {
	"event_id", "mention_id", "doc_id", "date", "publisher", "url", "sentence",
	"source_start", "source_end", "target_start", "target_end", "trigger_start",
	"trigger_end", "evidence_start", "evidence_end", "code", "rule", "rule_file", "lang",
	"confidence", "evidence"};

static const char *const stats_columns[] = {
	"period", "source_country", "target_country", "country", "root", "quad", "events",
	"mentions", "goldstein_sum", "goldstein_mean"};

enum period { BY_DAY, BY_WEEK, BY_MONTH };

struct exporter {
	struct export_options opt;
	int cols[NCSV], ncols;
	struct gdelt_countries countries;
	struct plover_table plover;
	/* stats */
	enum period period;
	int g_dyad, g_country, g_root, g_quad;
	json_t *agg; /* key -> [events, mentions, goldstein sum] */
	/* json */
	unsigned long long nevents, rows;
};

int export_format_parse(const char *name, enum export_format *f)
{
	static const char *const names[] = {"csv", "gdelt", "mentions", "jsonl", "json",
					    "plover", "stats"};
	for (int i = 0; i < 7; i++)
		if (strcmp(name, names[i]) == 0) {
			*f = (enum export_format)i;
			return 0;
		}
	return -1;
}

static int parse_columns(struct exporter *x, const char *spec, char *err, size_t errlen)
{
	x->ncols = 0;
	if (!spec) {
		for (int i = 0; i < NCSV; i++)
			x->cols[x->ncols++] = i;
		return 0;
	}
	for (const char *p = spec; *p;) {
		size_t n = strcspn(p, ",");
		int found = -1;
		for (int i = 0; i < NCSV; i++)
			if (strlen(csv_columns[i]) == n && strncmp(csv_columns[i], p, n) == 0)
				found = i;
		if (found < 0 || x->ncols == NCSV) {
			char all[1024] = "";
			for (int i = 0; i < NCSV; i++) {
				strcat(all, i ? "," : "");
				strcat(all, csv_columns[i]);
			}
			snprintf(err, errlen, "--columns: '%.*s' is not a column (%s)", (int)n, p, all);
			return -1;
		}
		x->cols[x->ncols++] = found;
		p += n + (p[n] == ',');
	}
	if (x->ncols == 0) {
		snprintf(err, errlen, "--columns: no column named");
		return -1;
	}
	return 0;
}

static int parse_by(struct exporter *x, const char *spec, char *err, size_t errlen)
{
	int groups = 0;
	x->period = BY_DAY;
	for (const char *p = spec ? spec : ""; *p;) {
		size_t n = strcspn(p, ",");
		char w[32];
		snprintf(w, sizeof w, "%.*s", (int)(n < 31 ? n : 31), p);
		if (strcmp(w, "day") == 0) x->period = BY_DAY;
		else if (strcmp(w, "week") == 0) x->period = BY_WEEK;
		else if (strcmp(w, "month") == 0) x->period = BY_MONTH;
		else if (strcmp(w, "dyad") == 0) x->g_dyad = groups = 1;
		else if (strcmp(w, "country") == 0) x->g_country = groups = 1;
		else if (strcmp(w, "root") == 0) x->g_root = groups = 1;
		else if (strcmp(w, "quad") == 0) x->g_quad = groups = 1;
		else {
			snprintf(err, errlen, "--by: '%s' is not day, week, month, dyad, country, "
					      "root or quad", w);
			return -1;
		}
		p += n + (p[n] == ',');
	}
	if (!groups)
		x->g_dyad = x->g_root = 1; /* the default: daily dyads by root */
	return 0;
}

static void rules_path(const struct exporter *x, const char *rel, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s/%s", x->opt.rules_dir ? x->opt.rules_dir : "rules", rel);
}

struct exporter *exporter_new(const struct export_options *opt, char *err, size_t errlen)
{
	struct exporter *x = calloc(1, sizeof *x);
	char path[4096];
	if (!x) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	x->opt = *opt;
	if (!x->opt.delimiter)
		x->opt.delimiter = ',';
	if (opt->columns && opt->format != EXPORT_CSV) {
		snprintf(err, errlen, "--columns applies to --format csv only");
		goto fail;
	}
	if (opt->by && opt->format != EXPORT_STATS) {
		snprintf(err, errlen, "--by applies to --format stats only");
		goto fail;
	}
	if (parse_columns(x, opt->columns, err, errlen))
		goto fail;
	if (opt->format == EXPORT_STATS) {
		if (parse_by(x, opt->by, err, errlen))
			goto fail;
		if (!(x->agg = json_object())) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
	}
	if (opt->format == EXPORT_GDELT) {
		rules_path(x, "places/countries.tsv", path, sizeof path);
		if (gdelt_countries_load(&x->countries, path, err, errlen))
			goto fail;
	}
	if (opt->format == EXPORT_PLOVER) {
		rules_path(x, "cameo/plover.tsv", path, sizeof path);
		if (plover_table_load(&x->plover, path, err, errlen))
			goto fail;
	}
	return x;
fail:
	exporter_free(x);
	return NULL;
}

void exporter_free(struct exporter *x)
{
	if (!x)
		return;
	gdelt_countries_release(&x->countries);
	plover_table_release(&x->plover);
	json_decref(x->agg);
	free(x);
}

unsigned long long exporter_rows(const struct exporter *x)
{
	return x->rows;
}

static void header_row(struct csvout *out, const char *const *names, const int *idx, int n)
{
	for (int i = 0; i < n; i++)
		csvout_field(out, names[idx ? idx[i] : i]);
	csvout_end_row(out);
}

void exporter_begin(struct exporter *x, struct csvout *out)
{
	switch (x->opt.format) {
	case EXPORT_CSV:
		header_row(out, csv_columns, x->cols, x->ncols);
		break;
	case EXPORT_MENTIONS:
		header_row(out, mention_columns, NULL,
			   (int)(sizeof mention_columns / sizeof *mention_columns));
		break;
	case EXPORT_STATS:
		header_row(out, stats_columns, NULL,
			   (int)(sizeof stats_columns / sizeof *stats_columns));
		break;
	case EXPORT_JSON:
		csvout_raw(out, "[", 1);
		break;
	default:
		break;
	}
}

/* ---- checking ---- */

static const char *str(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int digits(const char *s, size_t lo, size_t hi)
{
	size_t n = s ? strlen(s) : 0;
	return n >= lo && n <= hi && strspn(s, "0123456789") == n;
}

#define FAIL(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

static int check_actor(json_t *a, const char *side, char *err, size_t errlen)
{
	if (!a || json_is_null(a))
		return 0;
	if (!json_is_object(a))
		FAIL("'%s' is not an object or null", side);
	static const char *const f[] = {"code", "name", "country", "group", "role", "entity"};
	for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
		json_t *v = json_object_get(a, f[i]);
		if (v && !json_is_null(v) && !json_is_string(v))
			FAIL("'%s.%s' is not a string", side, f[i]);
	}
	return 0;
}

int export_check_event(json_t *ev, char *err, size_t errlen)
{
	static const char *const need[] = {"event_id", "date", "code", "root", "quad", "goldstein",
					   "num_mentions", "num_sources", "num_articles",
					   "languages", "mentions"};
	for (size_t i = 0; i < sizeof need / sizeof *need; i++)
		if (!json_object_get(ev, need[i]))
			FAIL("event has no '%s'", need[i]);
	const char *id = str(ev, "event_id");
	if (!id || strlen(id) != 16 || strspn(id, "0123456789abcdef") != 16)
		FAIL("'event_id' is not 16 lower-case hex digits");
	long days;
	json_t *date = json_object_get(ev, "date");
	if (!json_is_null(date) && (!str(ev, "date") || link_parse_date(str(ev, "date"), &days)))
		FAIL("'date' is not a YYYY-MM-DD date or null");
	if (!json_is_string(json_object_get(ev, "code")))
		FAIL("'code' is not a string (CAMEO codes are strings: \"040\")");
	if (!digits(str(ev, "code"), 2, 4))
		FAIL("'code' \"%.16s\" is not a CAMEO event code", str(ev, "code"));
	if (!digits(str(ev, "root"), 2, 2) || strncmp(str(ev, "root"), str(ev, "code"), 2) != 0)
		FAIL("'root' is not the two-digit root of 'code'");
	json_t *q = json_object_get(ev, "quad");
	if (!json_is_integer(q) || json_integer_value(q) < 1 || json_integer_value(q) > 4)
		FAIL("'quad' is not an integer 1-4");
	if (!json_is_number(json_object_get(ev, "goldstein")))
		FAIL("'goldstein' is not a number");
	static const char *const counts[] = {"num_mentions", "num_sources", "num_articles"};
	for (int i = 0; i < 3; i++) {
		json_t *v = json_object_get(ev, counts[i]);
		if (!json_is_integer(v) || json_integer_value(v) < 0)
			FAIL("'%s' is not a non-negative integer", counts[i]);
	}
	if (check_actor(json_object_get(ev, "source"), "source", err, errlen) ||
	    check_actor(json_object_get(ev, "target"), "target", err, errlen))
		return -1;
	json_t *langs = json_object_get(ev, "languages"), *v;
	size_t i;
	if (!json_is_array(langs))
		FAIL("'languages' is not an array");
	json_array_foreach(langs, i, v) if (!json_is_string(v)) FAIL("'languages' holds a non-string");
	json_t *loc = json_object_get(ev, "location");
	if (loc && !json_is_null(loc)) {
		if (!json_is_object(loc))
			FAIL("'location' is not an object or null");
		static const char *const ll[] = {"lat", "lon"};
		for (int k = 0; k < 2; k++) {
			json_t *c = json_object_get(loc, ll[k]);
			if (c && !json_is_null(c) && !json_is_number(c))
				FAIL("'location.%s' is not a number", ll[k]);
		}
	}
	json_t *ms = json_object_get(ev, "mentions");
	if (!json_is_array(ms))
		FAIL("'mentions' is not an array");
	json_array_foreach(ms, i, v) {
		if (!json_is_object(v))
			FAIL("mentions[%zu] is not an object", i);
		if (!str(v, "mention_id") || !str(v, "doc_id"))
			FAIL("mentions[%zu] has no string 'mention_id' and 'doc_id'", i);
		json_t *s = json_object_get(v, "sentence");
		if (s && !json_is_null(s) && !json_is_integer(s))
			FAIL("mentions[%zu].sentence is not an integer", i);
	}
	return 0;
}

json_t *export_first_mention(json_t *ev)
{
	json_t *ms = json_object_get(ev, "mentions"), *m;
	const char *date = str(ev, "date");
	size_t i;
	json_array_foreach(ms, i, m) if (date && str(m, "date") && strcmp(str(m, "date"), date) == 0) return m;
	return json_array_get(ms, 0);
}

/* ---- rows ---- */

static void int_field(struct csvout *out, json_t *v)
{
	if (json_is_integer(v))
		csvout_fieldf(out, "%lld", (long long)json_integer_value(v));
	else
		csvout_field(out, NULL);
}

static void num_field(struct csvout *out, json_t *v, const char *fmt)
{
	if (json_is_number(v))
		csvout_fieldf(out, fmt, json_number_value(v));
	else
		csvout_field(out, NULL);
}

static void csv_row(struct exporter *x, json_t *ev, struct csvout *out)
{
	json_t *m = export_first_mention(ev), *loc = json_object_get(ev, "location");
	json_t *sides[2] = {json_object_get(ev, "source"), json_object_get(ev, "target")};
	static const char *const af[] = {"code", "name", "country", "group", "role", "entity"};
	for (int k = 0; k < x->ncols; k++) {
		int c = x->cols[k];
		if (c >= 2 && c < 14) {
			csvout_field(out, str(sides[(c - 2) / 6], af[(c - 2) % 6]));
			continue;
		}
		const char *name = csv_columns[c];
		if (!strcmp(name, "event_id") || !strcmp(name, "date") || !strcmp(name, "code") ||
		    !strcmp(name, "root"))
			csvout_field(out, str(ev, name));
		else if (!strcmp(name, "quad") || !strncmp(name, "num_", 4))
			int_field(out, json_object_get(ev, name));
		else if (!strcmp(name, "goldstein"))
			num_field(out, json_object_get(ev, name), "%.1f");
		else if (!strcmp(name, "location_name"))
			csvout_field(out, str(loc, "name"));
		else if (!strcmp(name, "location_country"))
			csvout_field(out, str(loc, "country"));
		else if (!strcmp(name, "location_lat"))
			num_field(out, json_object_get(loc, "lat"), "%.4f");
		else if (!strcmp(name, "location_lon"))
			num_field(out, json_object_get(loc, "lon"), "%.4f");
		else if (!strcmp(name, "languages")) {
			char buf[256] = "";
			json_t *l;
			size_t i;
			json_array_foreach(json_object_get(ev, "languages"), i, l) {
				if (strlen(buf) + strlen(json_string_value(l)) + 2 >= sizeof buf)
					break;
				strcat(buf, i ? ";" : "");
				strcat(buf, json_string_value(l));
			}
			csvout_field(out, buf);
		} else if (!strcmp(name, "doc_id") || !strcmp(name, "url"))
			csvout_field(out, str(m, name));
		else if (!strcmp(name, "sentence"))
			int_field(out, json_object_get(m, "sentence"));
		else if (!strcmp(name, "rule"))
			csvout_field(out, str(json_object_get(m, "rule"), "id"));
		else if (!strcmp(name, "evidence"))
			csvout_field(out, str(json_object_get(m, "evidence"), "text"));
	}
	csvout_end_row(out);
	x->rows++;
}

static void mention_rows(struct exporter *x, json_t *ev, struct csvout *out)
{
	json_t *m;
	size_t i;
	json_array_foreach(json_object_get(ev, "mentions"), i, m) {
		json_t *rule = json_object_get(m, "rule");
		csvout_field(out, str(ev, "event_id"));
		csvout_field(out, str(m, "mention_id"));
		csvout_field(out, str(m, "doc_id"));
		csvout_field(out, str(m, "date"));
		csvout_field(out, str(m, "publisher"));
		csvout_field(out, str(m, "url"));
		int_field(out, json_object_get(m, "sentence"));
		static const char *const spans[] = {"source", "target", "trigger", "evidence"};
		for (int k = 0; k < 4; k++) {
			json_t *o = json_object_get(m, spans[k]);
			int_field(out, json_object_get(o, "start"));
			int_field(out, json_object_get(o, "end"));
		}
		csvout_field(out, str(m, "code") ? str(m, "code") : str(ev, "code"));
		csvout_field(out, str(rule, "id"));
		json_t *line = json_object_get(rule, "line");
		if (str(rule, "file") && json_is_integer(line))
			csvout_fieldf(out, "%s:%lld", str(rule, "file"), (long long)json_integer_value(line));
		else
			csvout_field(out, str(rule, "file"));
		csvout_field(out, str(m, "lang"));
		num_field(out, json_object_get(m, "confidence"), "%g");
		csvout_field(out, str(json_object_get(m, "evidence"), "text"));
		csvout_end_row(out);
		x->rows++;
	}
}

static void json_out(struct csvout *out, json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(10));
	if (!s) {
		out->failed = 1;
		return;
	}
	csvout_raw(out, s, strlen(s));
	free(s);
}

/* ---- stats ---- */

static void period_of(enum period p, const char *date, char *buf, size_t cap)
{
	long days;
	link_parse_date(date, &days);
	if (p == BY_MONTH) {
		snprintf(buf, cap, "%.7s", date);
	} else if (p == BY_WEEK) {
		/* ISO 8601 week: the week's Thursday decides the year */
		long wd = ((days + 3) % 7 + 7) % 7; /* Monday 0; 1970-01-01 was a Thursday */
		long thu = days - wd + 3;
		char jan1[11];
		link_format_date(thu, jan1);
		memcpy(jan1 + 4, "-01-01", 7);
		long j;
		link_parse_date(jan1, &j);
		snprintf(buf, cap, "%.4s-W%02d", jan1, (int)((thu - j) / 7 + 1));
	} else {
		snprintf(buf, cap, "%s", date);
	}
}

static int stats_add(struct exporter *x, const char *key, json_t *ev)
{
	json_t *a = json_object_get(x->agg, key);
	if (!a) {
		a = json_pack("[iif]", 0, 0, 0.0);
		if (!a || json_object_set_new(x->agg, key, a))
			return -1;
	}
	json_integer_set(json_array_get(a, 0), json_integer_value(json_array_get(a, 0)) + 1);
	json_integer_set(json_array_get(a, 1), json_integer_value(json_array_get(a, 1)) +
						       json_integer_value(json_object_get(ev, "num_mentions")));
	json_real_set(json_array_get(a, 2), json_real_value(json_array_get(a, 2)) +
						    json_number_value(json_object_get(ev, "goldstein")));
	return 0;
}

static int stats_event(struct exporter *x, json_t *ev)
{
	char period[16], key[512], qbuf[4];
	period_of(x->period, str(ev, "date"), period, sizeof period);
	const char *sc = str(json_object_get(ev, "source"), "country");
	const char *tc = str(json_object_get(ev, "target"), "country");
	snprintf(qbuf, sizeof qbuf, "%d", (int)json_integer_value(json_object_get(ev, "quad")));
	const char *root = x->g_root ? str(ev, "root") : "";
	const char *quad = x->g_root || x->g_quad ? qbuf : "";
	const char *dsc = x->g_dyad && sc ? sc : "", *dtc = x->g_dyad && tc ? tc : "";
	if (!x->g_country) {
		snprintf(key, sizeof key, "%s\x1f%s\x1f%s\x1f\x1f%s\x1f%s", period, dsc, dtc, root, quad);
		return stats_add(x, key, ev);
	}
	/* by country: the event counts once for each distinct country among its actors */
	const char *cs[2] = {sc ? sc : "", tc && (!sc || strcmp(tc, sc)) ? tc : NULL};
	for (int i = 0; i < 2; i++) {
		if (!cs[i])
			continue;
		snprintf(key, sizeof key, "%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s", period, dsc, dtc, cs[i],
			 root, quad);
		if (stats_add(x, key, ev))
			return -1;
	}
	return 0;
}

static int cmp_keys(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void stats_rows(struct exporter *x, struct csvout *out)
{
	size_t n = json_object_size(x->agg), i = 0;
	const char **keys = malloc((n ? n : 1) * sizeof *keys);
	if (!keys) {
		out->failed = 1;
		return;
	}
	const char *k;
	json_t *v;
	json_object_foreach(x->agg, k, v) keys[i++] = k;
	qsort(keys, n, sizeof *keys, cmp_keys);
	for (i = 0; i < n; i++) {
		json_t *a = json_object_get(x->agg, keys[i]);
		for (const char *p = keys[i];;) {
			size_t len = strcspn(p, "\x1f");
			csvout_fieldn(out, p, len);
			if (!p[len])
				break;
			p += len + 1;
		}
		long long events = json_integer_value(json_array_get(a, 0));
		double sum = json_real_value(json_array_get(a, 2));
		csvout_fieldf(out, "%lld", events);
		csvout_fieldf(out, "%lld", (long long)json_integer_value(json_array_get(a, 1)));
		csvout_fieldf(out, "%.1f", sum);
		csvout_fieldf(out, "%.2f", sum / (double)events);
		csvout_end_row(out);
		x->rows++;
	}
	free(keys);
}

/* ---- dispatch ---- */

int exporter_event(struct exporter *x, json_t *ev, struct csvout *out, const char **drop,
		   char *err, size_t errlen)
{
	*drop = NULL;
	if (export_check_event(ev, err, errlen))
		return -1;
	const struct plover_entry *p;
	json_t *r;
	if (!str(ev, "date") && (x->opt.format == EXPORT_GDELT || x->opt.format == EXPORT_STATS)) {
		*drop = "undated"; /* GDELT rows and daily counts need a date */
		return 0;
	}
	switch (x->opt.format) {
	case EXPORT_CSV:
		csv_row(x, ev, out);
		break;
	case EXPORT_GDELT:
		gdelt_row(&x->countries, ev, out);
		x->rows++;
		break;
	case EXPORT_MENTIONS:
		mention_rows(x, ev, out);
		break;
	case EXPORT_JSONL:
		json_out(out, ev);
		csvout_raw(out, "\n", 1);
		x->rows++;
		break;
	case EXPORT_JSON:
		csvout_raw(out, x->nevents ? ",\n" : "\n", x->nevents ? 2 : 1);
		json_out(out, ev);
		x->rows++;
		break;
	case EXPORT_PLOVER:
		if (!(p = plover_lookup(&x->plover, str(ev, "code")))) {
			*drop = "no PLOVER type";
			return 0;
		}
		if (!(r = plover_record(p, ev))) {
			out->failed = 1;
			break;
		}
		json_out(out, r);
		json_decref(r);
		csvout_raw(out, "\n", 1);
		x->rows++;
		break;
	case EXPORT_STATS:
		if (stats_event(x, ev))
			out->failed = 1;
		break;
	}
	x->nevents++;
	return 1;
}

void exporter_end(struct exporter *x, struct csvout *out)
{
	if (x->opt.format == EXPORT_JSON)
		csvout_raw(out, x->nevents ? "\n]\n" : "]\n", x->nevents ? 3 : 2);
	else if (x->opt.format == EXPORT_STATS)
		stats_rows(x, out);
}
