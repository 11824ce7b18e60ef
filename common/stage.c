/* stage.c: the I/O, accounting and exit-status conventions every stage follows. */
#include "olay/stage.h"
#include "olay/utf8.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define REJECTS_SHOWN 20

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void stage_init(struct stage *st, const char *name, const char *usage, const char *help)
{
	memset(st, 0, sizeof(*st));
	st->name = name;
	st->usage = usage;
	st->help = help;
	st->read_label = "read";
	st->written_label = "written";
	st->t_start = st->t_last_progress = now_seconds();
	/* A closed pipe must surface as EPIPE from write, so it can end the stage quietly. */
	signal(SIGPIPE, SIG_IGN);
}

static void vreport(const struct stage *st, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", st->name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void stage_log(const struct stage *st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(st, fmt, ap);
	va_end(ap);
}

void stage_die(const struct stage *st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(st, fmt, ap);
	va_end(ap);
	exit(OLAY_EXIT_FAILURE);
}

void stage_usage_error(struct stage *st, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", st->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", st->name);
	exit(OLAY_EXIT_FAILURE);
}

static void print_help(const struct stage *st)
{
	printf("Usage: %s %s\n\n%s\n", st->name, st->usage, st->help);
	printf("Common options:\n"
	       "  -o, --output FILE   write to FILE instead of standard output\n"
	       "      --rejects FILE  write each rejected record, with its source and reason,\n"
	       "                      to FILE as JSON Lines\n"
	       "      --strict        stop at the first rejected record (exit 2)\n"
	       "      --rules DIR     the rule sets (default: $OLAY_RULES, else the rules/\n"
	       "                      of the source tree or of the installation)\n"
	       "      --progress      print records/s and MB/s on stderr (default when stderr\n"
	       "                      is a terminal)\n"
	       "  -h, --help          show this help\n"
	       "      --version       show the version\n\n"
	       "Files are read in order; none, or '-', means standard input.\n"
	       "A summary line on stderr accounts for every record read.\n\n"
	       "Exit status:\n"
	       "  0  success\n"
	       "  1  some records were rejected (the rest were processed)\n"
	       "  2  usage or system error (bad option, unreadable input, write failure,\n"
	       "     out of memory, bad rules), or a rejected record with --strict\n");
}

int stage_option(struct stage *st, int c, const char *arg)
{
	switch (c) {
	case 'o':
		st->output_path = arg;
		return 1;
	case STAGE_OPT_REJECTS:
		st->rejects_path = arg;
		return 1;
	case STAGE_OPT_STRICT:
		st->strict = 1;
		return 1;
	case STAGE_OPT_RULES:
		st->rules_dir = arg;
		return 1;
	case STAGE_OPT_PROGRESS:
		st->progress = 1;
		return 1;
	case 'h':
		print_help(st);
		exit(fflush(stdout) == 0 ? OLAY_EXIT_OK : OLAY_EXIT_FAILURE);
	case STAGE_OPT_VERSION:
		printf("%s %s\n", st->name, OLAY_VERSION);
		exit(fflush(stdout) == 0 ? OLAY_EXIT_OK : OLAY_EXIT_FAILURE);
	case '?':
		/* getopt_long already said what was wrong */
		fprintf(stderr, "Try '%s --help' for more information.\n", st->name);
		exit(OLAY_EXIT_FAILURE);
	}
	return 0;
}

void stage_open(struct stage *st, int argc, char **argv)
{
	static char *stdin_only[] = {"-"};
	if (optind < argc) {
		st->inputs = argv + optind;
		st->ninputs = argc - optind;
	} else {
		st->inputs = stdin_only;
		st->ninputs = 1;
	}
	if (st->output_path && strcmp(st->output_path, "-") != 0) {
		st->out = fopen(st->output_path, "w");
		if (!st->out)
			stage_die(st, "cannot open output '%s': %s", st->output_path, strerror(errno));
	} else {
		st->out = stdout;
	}
	if (st->rejects_path) {
		st->rejects = fopen(st->rejects_path, "w");
		if (!st->rejects)
			stage_die(st, "cannot open rejects file '%s': %s", st->rejects_path,
				  strerror(errno));
	}
	if (isatty(STDERR_FILENO))
		st->progress = 1;
	st->input_index = -1;
}

const char *stage_rules_dir(struct stage *st)
{
	if (st->rules_dir)
		return st->rules_dir;
	const char *env = getenv("OLAY_RULES");
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = '\0';
	/* an installed executable uses the installed rules, a built one the tree's */
	int installed = strncmp(exe, OLAY_INSTALL_BINDIR "/", strlen(OLAY_INSTALL_BINDIR "/")) == 0;
	if (env && *env)
		st->rules_dir = env;
	else if (!installed && access(OLAY_RULES_DIR_BUILD, R_OK) == 0)
		st->rules_dir = OLAY_RULES_DIR_BUILD;
	else
		st->rules_dir = OLAY_RULES_DIR_INSTALL;
	return st->rules_dir;
}

int stage_parse_jobs(struct stage *st, const char *arg)
{
	char *end;
	errno = 0;
	long v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < 1 || v > 1024)
		stage_usage_error(st, "'-j' wants a thread count from 1 to 1024, not '%s'", arg);
	return (int)v;
}

size_t stage_parse_size(struct stage *st, const char *option, const char *arg, size_t min)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(arg, &end, 10);
	int shift = 0;
	switch (*end) {
	case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	}
	if (shift)
		end++;
	if (errno || end == arg || *end || *arg == '-' || v > (1ULL << 40) >> shift ||
	    (v << shift) < min)
	{
		if (min)
			stage_usage_error(st, "%s: '%s' is not a size of %zu bytes or more (k, M, G allowed)",
					  option, arg, min);
		stage_usage_error(st, "%s: '%s' is not a size in bytes (k, M, G allowed)", option, arg);
	}
	return (size_t)(v << shift);
}

int stage_counter(struct stage *st, const char *name)
{
	for (int i = 0; i < st->ncounters; i++)
		if (strcmp(st->counters[i].name, name) == 0)
			return i;
	if (st->ncounters == STAGE_MAX_COUNTERS)
		stage_die(st, "BUG: too many counters");
	st->counters[st->ncounters].name = name;
	st->counters[st->ncounters].n = 0;
	return st->ncounters++;
}

void stage_count(struct stage *st, int counter, unsigned long long n)
{
	st->counters[counter].n += n;
}

static int open_next_input(struct stage *st)
{
	while (++st->input_index < st->ninputs) {
		const char *name = st->inputs[st->input_index];
		st->in_name = name;
		st->line = 0;
		if (strcmp(name, "-") == 0) {
			st->in = stdin;
			st->in_name = "-";
			return 1;
		}
		st->in = fopen(name, "r");
		if (st->in)
			return 1;
		stage_log(st, "cannot open '%s': %s", name, strerror(errno));
		st->open_failed = 1;
	}
	st->in = NULL;
	return 0;
}

const char *stage_next_line(struct stage *st, size_t *len)
{
	for (;;) {
		if (!st->in && !open_next_input(st))
			return NULL;
		errno = 0;
		ssize_t n = getline(&st->linebuf, &st->linecap, st->in);
		if (n >= 0) {
			st->line++;
			st->bytes_in += (unsigned long long)n;
			if (n > 0 && st->linebuf[n - 1] == '\n')
				st->linebuf[--n] = '\0';
			if (n > 0 && st->linebuf[n - 1] == '\r')
				st->linebuf[--n] = '\0';
			if (len)
				*len = (size_t)n;
			return st->linebuf;
		}
		if (ferror(st->in)) {
			stage_log(st, "error reading '%s': %s", st->in_name,
				  strerror(errno ? errno : EIO));
			st->open_failed = 1;
		}
		if (st->in != stdin)
			fclose(st->in);
		st->in = NULL;
	}
}

const char *stage_where(const struct stage *st)
{
	static char buf[1024];
	snprintf(buf, sizeof buf, "%.1000s:%lu", st->in_name ? st->in_name : "-", st->line);
	return buf;
}

json_t *record_parse(const char *line, size_t len, char *why, size_t whylen)
{
	json_error_t err;
	json_t *rec = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &err);
	if (!rec) {
		snprintf(why, whylen, "invalid JSON at column %d: %s", err.column, err.text);
		return NULL;
	}
	if (!json_is_object(rec)) {
		snprintf(why, whylen, "record is not a JSON object");
		json_decref(rec);
		return NULL;
	}
	return rec;
}

json_t *stage_next_record(struct stage *st)
{
	const char *line;
	size_t len;
	while ((line = stage_next_line(st, &len)) != NULL) {
		size_t i = 0;
		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i == len)
			continue;
		st->nread++;
		stage_progress(st);
		char why[256];
		json_t *rec = record_parse(line, len, why, sizeof why);
		if (!rec) {
			stage_reject(st, NULL, NULL, line, "%s", why);
			continue;
		}
		return rec;
	}
	return NULL;
}

size_t stage_read_batch(struct stage *st, struct line_batch *b, size_t max_lines, size_t max_bytes)
{
	size_t bytes = 0, len;
	const char *line;
	b->n = 0;
	if (b->cap < max_lines) {
		struct batch_line *nl = realloc(b->lines, max_lines * sizeof *nl);
		if (!nl)
			stage_die(st, "out of memory");
		memset(nl + b->cap, 0, (max_lines - b->cap) * sizeof *nl);
		b->lines = nl;
		b->cap = max_lines;
	}
	while (b->n < max_lines && bytes < max_bytes && (line = stage_next_line(st, &len))) {
		if (strspn(line, " \t") == len)
			continue;
		struct batch_line *l = &b->lines[b->n++];
		if (l->cap < len + 1) {
			char *p = realloc(l->line, len + 1);
			if (!p)
				stage_die(st, "out of memory");
			l->line = p;
			l->cap = len + 1;
		}
		memcpy(l->line, line, len + 1);
		l->len = len;
		memcpy(l->where, stage_where(st), sizeof l->where);
		st->nread++;
		bytes += len;
	}
	return b->n;
}

void line_batch_release(struct line_batch *b)
{
	for (size_t i = 0; i < b->cap; i++)
		free(b->lines[i].line);
	free(b->lines);
	b->lines = NULL;
	b->n = b->cap = 0;
}

static void check_write(struct stage *st, FILE *f, const char *what)
{
	if (!ferror(f))
		return;
	if (errno == EPIPE)
		exit(OLAY_EXIT_OK);
	stage_die(st, "write error on %s: %s", what, strerror(errno));
}

static const char *output_name(const struct stage *st)
{
	return st->output_path ? st->output_path : "standard output";
}

void stage_write_raw(struct stage *st, const char *buf, size_t len)
{
	errno = 0;
	if (fwrite(buf, 1, len, st->out) != len)
		check_write(st, st->out, output_name(st));
}

void stage_write_record(struct stage *st, const char *line, size_t len)
{
	stage_write_raw(st, line, len);
	st->nwritten++;
}

void stage_write(struct stage *st, json_t *rec)
{
	errno = 0;
	if (json_dumpf(rec, st->out, JSON_COMPACT | JSON_REAL_PRECISION(10)) != 0 ||
	    fputc('\n', st->out) == EOF) {
		if (errno == 0 && !ferror(st->out))
			stage_die(st, "cannot encode a record as JSON (out of memory?)");
		check_write(st, st->out, output_name(st));
	}
	st->nwritten++;
}

void stage_reject(struct stage *st, const char *where, json_t *rec, const char *raw,
		  const char *fmt, ...)
{
	char reason[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	if (!where)
		where = stage_where(st);
	st->nrejected++;
	if (st->nrejected <= REJECTS_SHOWN)
		fprintf(stderr, "%s: %s: %s\n", st->name, where, reason);
	else if (st->nrejected == REJECTS_SHOWN + 1)
		fprintf(stderr, "%s: more rejects not shown%s\n", st->name,
			st->rejects_path ? " (see the rejects file)" : "; use --rejects FILE");
	if (st->rejects) {
		json_t *r = json_object();
		json_object_set_new(r, "stage", json_string(st->name));
		json_object_set_new(r, "source", json_string(where));
		json_object_set_new(r, "reason", json_string(reason));
		if (rec) {
			json_object_set(r, "record", rec);
		} else if (raw) {
			size_t n = strnlen(raw, 200);
			/* keep the excerpt on a UTF-8 character boundary */
			while (n > 0 && n < strlen(raw) && ((unsigned char)raw[n] & 0xC0) == 0x80)
				n--;
			json_object_set_new(r, "record", utf8_valid(raw, n, NULL)
							     ? json_stringn(raw, n)
							     : json_string("(not UTF-8)"));
		}
		errno = 0;
		if (json_dumpf(r, st->rejects, JSON_COMPACT) != 0 || fputc('\n', st->rejects) == EOF)
			check_write(st, st->rejects, st->rejects_path);
		json_decref(r);
	}
	if (st->strict)
		stage_die(st, "stopping at the first rejected record (--strict)");
}

void stage_drop(struct stage *st, int counter, const char *where, json_t *rec, const char *fmt, ...)
{
	char reason[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	st->counters[counter].n++;
	if (!st->rejects)
		return;
	json_t *r = json_object();
	json_object_set_new(r, "stage", json_string(st->name));
	json_object_set_new(r, "source", json_string(where ? where : stage_where(st)));
	json_object_set_new(r, "reason", json_string(reason));
	json_object_set_new(r, "dropped", json_string(st->counters[counter].name));
	if (rec)
		json_object_set(r, "record", rec);
	errno = 0;
	if (json_dumpf(r, st->rejects, JSON_COMPACT) != 0 || fputc('\n', st->rejects) == EOF)
		check_write(st, st->rejects, st->rejects_path);
	json_decref(r);
}

void stage_progress(struct stage *st)
{
	if (!st->progress)
		return;
	double t = now_seconds();
	if (t - st->t_last_progress < 1.0)
		return;
	st->t_last_progress = t;
	double dt = t - st->t_start;
	fprintf(stderr, "\r%s: %llu records, %.0f records/s, %.1f MB/s   ", st->name, st->nread,
		st->nread / dt, st->bytes_in / dt / 1e6);
}

int stage_finish(struct stage *st)
{
	errno = 0;
	if (fflush(st->out) != 0)
		check_write(st, st->out, output_name(st));
	if (st->out != stdout && fclose(st->out) != 0)
		stage_die(st, "write error on %s: %s", output_name(st), strerror(errno));
	if (st->rejects) {
		if (fflush(st->rejects) != 0 || fclose(st->rejects) != 0)
			stage_die(st, "write error on %s: %s", st->rejects_path, strerror(errno));
	}
	if (st->progress && st->t_last_progress > st->t_start)
		fputc('\n', stderr);
	fprintf(stderr, "%s: %llu %s, %llu %s, %llu rejected", st->name, st->nread,
		st->read_label, st->nwritten, st->written_label, st->nrejected);
	for (int i = 0; i < st->ncounters; i++)
		fprintf(stderr, ", %llu %s", st->counters[i].n, st->counters[i].name);
	fputc('\n', stderr);
	free(st->linebuf);
	st->linebuf = NULL;
	if (st->open_failed)
		return OLAY_EXIT_FAILURE;
	return st->nrejected ? OLAY_EXIT_REJECTED : OLAY_EXIT_OK;
}
