/* olay-ingest: read articles (text files, directories, CSV, JSON Lines, stdin) and write
 * one document record per article. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "olay/buf.h"
#include "olay/csvin.h"
#include "olay/dates.h"
#include "olay/ingest.h"
#include "olay/stage.h"
#include "olay/utf8.h"

static const char help[] =
	"Read news articles and write one JSON document record per article (docs/FORMAT.md).\n"
	"Inputs: text files (one article each), directories (walked recursively in sorted\n"
	"order, hidden entries skipped), CSV (.csv), JSON Lines (.jsonl, .ndjson, .json), or\n"
	"standard input (JSON Lines when it starts with '{', else one text article).\n\n"
	"Options:\n"
	"      --format F       read every input as F: auto (default: by extension), text,\n"
	"                       csv or jsonl\n"
	"      --field KEY=NAME the CSV column or JSON field holding KEY, one of id, date,\n"
	"                       title, url, text, lang, publisher (default: KEY itself)\n"
	"      --delimiter C    CSV field separator (default ',')\n"
	"      --date DATE      the date (YYYY-MM-DD) of documents that give none\n"
	"      --lang L         force the language: tr, ar, en or und\n"
	"      --encoding NAME  decode every input from this code page (iconv name)\n"
	"      --strict-utf8    reject invalid UTF-8 (with its byte offset) instead of\n"
	"                       repairing it from the script's Windows code page\n"
	"      --max-bytes N    reject documents over N bytes (default 16777216; K, M allowed)\n\n"
	"Documents that are empty, contain a NUL byte or are too large are rejected with the\n"
	"reason. Exact duplicates (same text after white space normalisation) are written\n"
	"once and counted as 'duplicate'.\n";

enum { OPT_FORMAT = STAGE_OPT_FIRST_OWN, OPT_FIELD, OPT_DELIM, OPT_DATE, OPT_LANG, OPT_ENCODING,
       OPT_STRICT_UTF8, OPT_MAX_BYTES };
enum format { FMT_AUTO, FMT_TEXT, FMT_CSV, FMT_JSONL };

struct ingest_run {
	struct stage st;
	struct ingester in;
	enum format format;
	unsigned char delimiter;
	int dup_counter, repaired_counter;
};

static const char *output_key(enum ingest_field f)
{
	return f == F_ID ? "doc_id" : ingest_field_keys[f];
}

static void emit(struct ingest_run *r, const char *raw, size_t n, json_t *fields,
		 const char *fallback_id, const char *file, long line)
{
	struct stage *st = &r->st;
	char where[4096], why[512], warn[256];
	if (line > 0)
		snprintf(where, sizeof where, "%s:%ld", file, line);
	else
		snprintf(where, sizeof where, "%s", file);
	st->nread++;
	stage_progress(st);
	json_t *doc;
	switch (ingest_document(&r->in, raw, n, fields, fallback_id, file, line, &doc, why, sizeof why,
				warn, sizeof warn)) {
	case INGEST_OK:
		if (warn[0])
			stage_log(st, "%s: %s", where, warn);
		stage_write(st, doc);
		json_decref(doc);
		break;
	case INGEST_DUPLICATE:
		stage_drop(st, r->dup_counter, where, fields, "%s", why);
		break;
	case INGEST_REJECT: {
		json_t *rec = json_deep_copy(fields);
		if (!json_object_get(rec, "text") && utf8_valid(raw, n < 200 ? n : 200, NULL))
			json_object_set_new(rec, "text_start", json_stringn(raw, n < 200 ? n : 200));
		stage_reject(st, where, rec, NULL, "%s", why);
		json_decref(rec);
		break;
	}
	case INGEST_NOMEM:
		stage_die(st, "out of memory at %s", where);
	}
}

/* The file name without directories and its last extension. */
static char *base_id(const char *path)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	char *id = strdup(b);
	char *dot = strrchr(id, '.');
	if (dot && dot != id)
		*dot = '\0';
	return id;
}

static enum format format_of(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (dot && strcasecmp(dot, ".csv") == 0)
		return FMT_CSV;
	if (dot && (strcasecmp(dot, ".jsonl") == 0 || strcasecmp(dot, ".ndjson") == 0 ||
		    strcasecmp(dot, ".json") == 0))
		return FMT_JSONL;
	return FMT_TEXT;
}

static void read_text(struct ingest_run *r, FILE *f, const char *path)
{
	struct buf raw = BUF_INIT;
	size_t limit = r->in.opt.max_bytes ? r->in.opt.max_bytes + 1 : (size_t)-1;
	char chunk[65536];
	size_t got;
	while (raw.len < limit && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (buf_add(&raw, chunk, got))
			stage_die(&r->st, "out of memory reading '%s'", path);
	if (ferror(f)) {
		stage_log(&r->st, "error reading '%s': %s", path, strerror(errno));
		r->st.open_failed = 1;
		buf_release(&raw);
		return;
	}
	char *id = strcmp(path, "-") == 0 ? strdup("stdin") : base_id(path);
	json_t *fields = json_object();
	emit(r, raw.p ? raw.p : "", raw.len, fields, id, path, 0);
	json_decref(fields);
	free(id);
	buf_release(&raw);
}

/* A JSON Lines record's fields under olay's names: the text field comes out separately,
 * the other known fields are renamed, unknown fields are kept as they are. */
static json_t *map_fields(struct ingest_run *r, json_t *rec, json_t **text)
{
	json_t *fields = json_deep_copy(rec);
	*text = NULL;
	for (int k = 0; k < NFIELDS; k++) {
		const char *name = r->in.opt.field_name[k];
		json_t *v = json_object_get(fields, name);
		if (!v)
			continue;
		json_incref(v);
		json_object_del(fields, name);
		if (k == F_TEXT)
			*text = v;
		else
			json_object_set_new(fields, output_key(k), v);
	}
	return fields;
}

static void read_jsonl(struct ingest_run *r, FILE *f, const char *path)
{
	struct stage *st = &r->st;
	char *line = NULL, where[4096];
	size_t cap = 0;
	ssize_t len;
	long lineno = 0;
	char *base = strcmp(path, "-") == 0 ? strdup("stdin") : base_id(path);
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (strspn(line, " \t") == (size_t)len)
			continue;
		snprintf(where, sizeof where, "%s:%ld", path, lineno);
		char why[256];
		json_t *rec = record_parse(line, (size_t)len, why, sizeof why);
		if (!rec) {
			st->nread++;
			stage_reject(st, where, NULL, line, "%s", why);
			continue;
		}
		json_t *text;
		json_t *fields = map_fields(r, rec, &text);
		const char *tname = r->in.opt.field_name[F_TEXT];
		if (!json_is_string(text)) {
			st->nread++;
			stage_reject(st, where, rec, NULL,
				     text ? "field '%s' is not a string" : "no field '%s'", tname);
		} else {
			char id[4200];
			snprintf(id, sizeof id, "%s-%ld", base, lineno);
			emit(r, json_string_value(text), json_string_length(text), fields, id, path, lineno);
		}
		json_decref(text);
		json_decref(fields);
		json_decref(rec);
	}
	if (ferror(f)) {
		stage_log(st, "error reading '%s': %s", path, strerror(errno));
		st->open_failed = 1;
	}
	free(line);
	free(base);
}

/* A CSV cell as a JSON string; cells that are not UTF-8 are repaired like article text. */
static json_t *cell_string(struct ingest_run *r, const char *s, size_t n)
{
	if (utf8_valid(s, n, NULL))
		return json_stringn(s, n);
	struct buf out = BUF_INIT;
	struct enc_result er;
	json_t *v = encoder_decode(&r->in.enc, s, n, &out, &er) == ENC_OK ? json_stringn(out.p, out.len)
									    : json_string("");
	buf_release(&out);
	return v;
}

static void read_csv(struct ingest_run *r, FILE *f, const char *path)
{
	struct stage *st = &r->st;
	struct csvin *c = csvin_open(f, r->delimiter);
	if (!c)
		stage_die(st, "out of memory");
	char **cells, **header = NULL;
	size_t *lens, n, nheader = 0;
	unsigned long line;
	int col[NFIELDS], ret;
	char *base = strcmp(path, "-") == 0 ? strdup("stdin") : base_id(path);

	if ((ret = csvin_next(c, &cells, &lens, &n, &line)) <= 0) {
		if (ret < 0) {
			stage_log(st, "%s: %s", path, csvin_error(c));
			st->open_failed = 1;
		}
		goto out;
	}
	header = calloc(n, sizeof *header);
	nheader = n;
	for (size_t i = 0; i < n; i++) {
		/* a UTF-8 BOM before the first column name */
		const char *h = cells[i];
		if (i == 0 && strncmp(h, "\xEF\xBB\xBF", 3) == 0)
			h += 3;
		header[i] = strdup(h);
	}
	for (int k = 0; k < NFIELDS; k++) {
		col[k] = -1;
		for (size_t i = 0; i < nheader; i++)
			if (strcmp(header[i], r->in.opt.field_name[k]) == 0)
				col[k] = (int)i;
	}
	if (col[F_TEXT] < 0) {
		struct buf cols = BUF_INIT;
		for (size_t i = 0; i < nheader; i++) {
			buf_adds(&cols, i ? ", " : "");
			buf_adds(&cols, header[i]);
		}
		stage_log(st, "%s: no column '%s' in the header (columns: %s); use --field text=NAME",
			  path, r->in.opt.field_name[F_TEXT], cols.p ? cols.p : "");
		buf_release(&cols);
		st->open_failed = 1;
		goto out;
	}
	while ((ret = csvin_next(c, &cells, &lens, &n, &line)) > 0) {
		char where[4096];
		snprintf(where, sizeof where, "%s:%lu", path, line);
		json_t *fields = json_object();
		for (size_t i = 0; i < n && i < nheader; i++) {
			int known = -1;
			for (int k = 0; k < NFIELDS; k++)
				if (col[k] == (int)i)
					known = k;
			if (known == F_TEXT)
				continue;
			json_object_set_new(fields, known >= 0 ? output_key(known) : header[i],
					    cell_string(r, cells[i], lens[i]));
		}
		if (n != nheader) {
			st->nread++;
			stage_reject(st, where, fields, NULL, "record has %zu fields, the header has %zu",
				     n, nheader);
		} else {
			char id[4200];
			snprintf(id, sizeof id, "%s-%lu", base, line);
			emit(r, cells[col[F_TEXT]], lens[col[F_TEXT]], fields, id, path, (long)line);
		}
		json_decref(fields);
	}
	if (ret < 0) {
		stage_log(st, "%s: %s", path, csvin_error(c));
		st->open_failed = 1;
	}
out:
	for (size_t i = 0; i < nheader; i++)
		free(header[i]);
	free(header);
	free(base);
	csvin_free(c);
}

static void read_stream(struct ingest_run *r, FILE *f, const char *path, enum format fmt)
{
	if (fmt == FMT_AUTO) {
		/* standard input: JSON Lines when it starts with '{', else one article */
		int ch;
		while ((ch = getc(f)) == ' ' || ch == '\n' || ch == '\r' || ch == '\t')
			;
		if (ch == EOF)
			return; /* nothing on standard input: no article */
		ungetc(ch, f);
		fmt = ch == '{' ? FMT_JSONL : FMT_TEXT;
	}
	switch (fmt) {
	case FMT_CSV: read_csv(r, f, path); break;
	case FMT_JSONL: read_jsonl(r, f, path); break;
	default: read_text(r, f, path); break;
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void read_path(struct ingest_run *r, const char *path, int top)
{
	struct stage *st = &r->st;
	if (strcmp(path, "-") == 0) {
		read_stream(r, stdin, "-", r->format);
		return;
	}
	struct stat sb;
	if (stat(path, &sb) != 0) {
		stage_log(st, "cannot open '%s': %s", path, strerror(errno));
		st->open_failed = 1;
		return;
	}
	if (S_ISDIR(sb.st_mode)) {
		DIR *d = opendir(path);
		if (!d) {
			stage_log(st, "cannot open directory '%s': %s", path, strerror(errno));
			st->open_failed = 1;
			return;
		}
		char **names = NULL;
		size_t n = 0;
		struct dirent *de;
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			char **nn = realloc(names, (n + 1) * sizeof *names);
			if (!nn)
				stage_die(st, "out of memory");
			names = nn;
			names[n++] = strdup(de->d_name);
		}
		closedir(d);
		qsort(names, n, sizeof *names, cmp_str);
		for (size_t i = 0; i < n; i++) {
			struct buf p = BUF_INIT;
			buf_adds(&p, path);
			if (p.len && p.p[p.len - 1] != '/')
				buf_addc(&p, '/');
			buf_adds(&p, names[i]);
			read_path(r, p.p, 0);
			buf_release(&p);
			free(names[i]);
		}
		free(names);
		return;
	}
	if (!top && !S_ISREG(sb.st_mode))
		return; /* sockets, fifos found while walking a directory */
	FILE *f = fopen(path, "rb");
	if (!f) {
		stage_log(st, "cannot open '%s': %s", path, strerror(errno));
		st->open_failed = 1;
		return;
	}
	read_stream(r, f, path, r->format == FMT_AUTO ? format_of(path) : r->format);
	fclose(f);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		STAGE_COMMON_OPTIONS,
		{"format", required_argument, NULL, OPT_FORMAT},
		{"field", required_argument, NULL, OPT_FIELD},
		{"delimiter", required_argument, NULL, OPT_DELIM},
		{"date", required_argument, NULL, OPT_DATE},
		{"lang", required_argument, NULL, OPT_LANG},
		{"encoding", required_argument, NULL, OPT_ENCODING},
		{"strict-utf8", no_argument, NULL, OPT_STRICT_UTF8},
		{"max-bytes", required_argument, NULL, OPT_MAX_BYTES},
		{NULL, 0, NULL, 0}};
	struct ingest_run r = {0};
	struct stage *st = &r.st;
	struct ingest_options opt = {.max_bytes = 16u << 20};
	for (int k = 0; k < NFIELDS; k++)
		opt.field_name[k] = ingest_field_keys[k];
	r.delimiter = ',';
	int c;

	stage_init(st, "olay-ingest", "[OPTIONS] [FILE|DIR...]", help);
	while ((c = getopt_long(argc, argv, STAGE_COMMON_SHORTOPTS, options, NULL)) != -1) {
		if (stage_option(st, c, optarg))
			continue;
		switch (c) {
		case OPT_FORMAT:
			if (!strcmp(optarg, "auto")) r.format = FMT_AUTO;
			else if (!strcmp(optarg, "text")) r.format = FMT_TEXT;
			else if (!strcmp(optarg, "csv")) r.format = FMT_CSV;
			else if (!strcmp(optarg, "jsonl")) r.format = FMT_JSONL;
			else stage_usage_error(st, "--format: expected auto, text, csv or jsonl, not '%s'", optarg);
			break;
		case OPT_FIELD: {
			const char *eq = strchr(optarg, '=');
			int k = -1;
			for (int i = 0; eq && i < NFIELDS; i++)
				if (strlen(ingest_field_keys[i]) == (size_t)(eq - optarg) &&
				    !strncmp(optarg, ingest_field_keys[i], (size_t)(eq - optarg)))
					k = i;
			if (k < 0 || !eq[1])
				stage_usage_error(st, "--field: expected KEY=NAME with KEY one of id, date, title, url, text, lang, publisher, not '%s'", optarg);
			opt.field_name[k] = eq + 1;
			break;
		}
		case OPT_DELIM:
			if (strlen(optarg) != 1)
				stage_usage_error(st, "--delimiter: expected one character, not '%s'", optarg);
			r.delimiter = (unsigned char)optarg[0];
			break;
		case OPT_DATE:
			if (!date_valid(optarg))
				stage_usage_error(st, "--date: not a date YYYY-MM-DD: '%s'", optarg);
			opt.date = optarg;
			break;
		case OPT_LANG:
			if (strcmp(optarg, "tr") && strcmp(optarg, "ar") && strcmp(optarg, "en") && strcmp(optarg, "und"))
				stage_usage_error(st, "--lang: expected tr, ar, en or und, not '%s'", optarg);
			opt.lang = optarg;
			break;
		case OPT_ENCODING: opt.encoding = optarg; break;
		case OPT_STRICT_UTF8: opt.strict_utf8 = 1; break;
		case OPT_MAX_BYTES: opt.max_bytes = stage_parse_size(st, "--max-bytes", optarg, 0); break;
		default: stage_usage_error(st, "unknown option");
		}
	}
	stage_open(st, argc, argv);
	if (ingester_init(&r.in, &opt, stage_rules_dir(st), stderr))
		stage_die(st, "cannot start (see above)");
	r.dup_counter = stage_counter(st, "duplicate");
	for (int i = 0; i < st->ninputs; i++)
		read_path(&r, st->inputs[i], 1);
	if (r.in.repaired_bytes) {
		r.repaired_counter = stage_counter(st, "bytes repaired");
		stage_count(st, r.repaired_counter, r.in.repaired_bytes);
	}
	ingester_release(&r.in);
	return stage_finish(st);
}
