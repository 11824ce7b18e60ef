/* stage.h: what every olay stage shares: options, input files, JSON Lines records,
 * output, rejects, progress, the summary line and the exit status.
 *
 * Ownership: a struct stage owns its streams and counters. stage_next_record() returns a
 * new reference the caller must json_decref(). stage_write() and stage_reject() borrow the
 * record they are given. Only main() and stage_finish() decide the exit status; library
 * code returns errors as values.
 *
 * Exit codes (also printed by --help):
 *   0  success: every record read was written, merged or counted as a documented drop
 *   1  some records were rejected (the rest processed)
 *   2  usage or system error: bad option, unreadable input, write failure, out of memory,
 *      bad rules; with --strict, the first rejected record
 * A closed pipe on stdout (`| head`) ends the stage quietly with status 0. */
#ifndef OLAY_STAGE_H
#define OLAY_STAGE_H

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <jansson.h>

enum olay_exit { OLAY_EXIT_OK = 0, OLAY_EXIT_REJECTED = 1, OLAY_EXIT_FAILURE = 2 };

/* Long options every stage accepts; put STAGE_COMMON_OPTIONS in the stage's option table. */
enum {
	STAGE_OPT_REJECTS = 0x1000,
	STAGE_OPT_STRICT,
	STAGE_OPT_PROGRESS,
	STAGE_OPT_VERSION,
	STAGE_OPT_RULES,
	STAGE_OPT_FIRST_OWN = 0x1100 /* stages number their own long-only options from here */
};
#define STAGE_COMMON_OPTIONS                                              \
	{"output", required_argument, NULL, 'o'},                         \
	{"rejects", required_argument, NULL, STAGE_OPT_REJECTS},          \
	{"strict", no_argument, NULL, STAGE_OPT_STRICT},                  \
	{"progress", no_argument, NULL, STAGE_OPT_PROGRESS},              \
	{"rules", required_argument, NULL, STAGE_OPT_RULES},              \
	{"help", no_argument, NULL, 'h'},                                 \
	{"version", no_argument, NULL, STAGE_OPT_VERSION}
#define STAGE_COMMON_SHORTOPTS "o:h"

#define STAGE_MAX_COUNTERS 8

struct stage {
	const char *name;  /* "olay-normalize" */
	const char *usage; /* "[OPTIONS] [FILE...]" */
	const char *help;  /* the stage's own paragraph and options, for --help */

	const char *output_path; /* NULL: stdout */
	const char *rejects_path;
	const char *rules_dir; /* --rules, else $OLAY_RULES, else the tree's or installed rules/ */
	int strict, progress;

	FILE *out, *rejects;
	char **inputs; /* files to read, "-" for stdin */
	int ninputs;

	/* reading state */
	int input_index;
	FILE *in;
	const char *in_name; /* current input's name as given */
	unsigned long line;  /* current line in the current input */
	char *linebuf;
	size_t linecap;
	int open_failed; /* an input could not be opened or read */

	/* accounting */
	const char *read_label, *written_label; /* "read", "written" unless the stage says */
	unsigned long long nread, nwritten, nrejected;
	struct { const char *name; unsigned long long n; } counters[STAGE_MAX_COUNTERS];
	int ncounters;
	unsigned long long bytes_in;
	double t_start, t_last_progress;
};

/* Start a stage: names, help text. Ignores SIGPIPE so a closed pipe is seen as EPIPE. */
void stage_init(struct stage *st, const char *name, const char *usage, const char *help);

/* Handle option c (from getopt_long) if it is a common option: returns 1 if handled,
 * 0 if not the stage's business. --help and --version print and exit 0. */
int stage_option(struct stage *st, int c, const char *arg);

/* Unknown option or bad argument: print "NAME: MSG" and a hint, exit 2. */
void stage_usage_error(struct stage *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

/* The rules directory: --rules DIR, else $OLAY_RULES, else the source tree's rules/ when
 * it exists (a build directory), else the installed share/olay/rules. */
const char *stage_rules_dir(struct stage *st);

/* Option values: a thread count for -j (1 to 1024), and a size in bytes with an optional
 * k/K, m/M or g/G suffix (at least min). A bad value is a usage error (exit 2) naming the
 * option and the value. */
int stage_parse_jobs(struct stage *st, const char *arg);
size_t stage_parse_size(struct stage *st, const char *option, const char *arg, size_t min);

/* After option parsing: take the operands (argv[optind..]) as inputs and open output and
 * rejects files. Exits 2 when an output cannot be opened. */
void stage_open(struct stage *st, int argc, char **argv);

/* Add a named counter for the summary line ("duplicate", "merged"); returns its index. */
int stage_counter(struct stage *st, const char *name);
void stage_count(struct stage *st, int counter, unsigned long long n);

/* Next raw line from the inputs (without its newline); NULL at the end of all inputs.
 * st->in_name and st->line say where it came from. Blank lines are returned too. */
const char *stage_next_line(struct stage *st, size_t *len);

/* Next JSON object from the inputs, skipping blank lines. A line that is not valid JSON
 * or not an object is rejected (counted, reported) and skipped. NULL at the end. */
json_t *stage_next_record(struct stage *st);

/* Lines read ahead for worker threads: stages that code records in parallel read a batch
 * in input order, process it under OpenMP, and write the results in the same order, so the
 * output is identical for any number of threads. A line_batch owns its lines; they stay
 * valid until the next stage_read_batch() on it. */
struct batch_line {
	char *line; /* NUL-terminated, without its newline */
	size_t len, cap;
	char where[1024]; /* "FILE:LINE" (a path over 1000 bytes is cut) */
};
struct line_batch {
	struct batch_line *lines;
	size_t n, cap;
};
#define LINE_BATCH_INIT {NULL, 0, 0}

/* Read up to max_lines non-blank lines, stopping early once max_bytes are read; each is
 * counted as read. Returns how many (b->n); 0 at the end of the input. */
size_t stage_read_batch(struct stage *st, struct line_batch *b, size_t max_lines, size_t max_bytes);
void line_batch_release(struct line_batch *b);

/* "FILE:LINE" of the record last returned, in a static buffer. */
const char *stage_where(const struct stage *st);

/* Write one record as a compact JSON line. On EPIPE exits 0 quietly; on any other write
 * error prints it and exits 2. Counts it as written. */
void stage_write(struct stage *st, json_t *rec);
/* Write raw bytes to the output (export's CSV); same error handling, counts nothing. */
void stage_write_raw(struct stage *st, const char *buf, size_t len);
/* Write one record already serialised as a JSON line (with its newline) and count it as
 * written: for stages that serialise records in worker threads. */
void stage_write_record(struct stage *st, const char *line, size_t len);

/* Parse one JSON Lines record: the object (a new reference), or NULL with the reason in
 * why ("invalid JSON at column 3: ...", "record is not a JSON object"). Touches no stage
 * state, so worker threads may call it. */
json_t *record_parse(const char *line, size_t len, char *why, size_t whylen);

/* Reject a record: count it, say "NAME: WHERE: REASON" on stderr (the first 20 in full),
 * write it to --rejects with its source and reason. rec may be NULL (raw is then used).
 * where NULL means stage_where(st). With --strict, exits 2. */
void stage_reject(struct stage *st, const char *where, json_t *rec, const char *raw,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Drop a record for a documented reason that is not an error (an exact duplicate):
 * count it under the named counter and, with --rejects, write it there with "dropped" set
 * to the counter's name. Not printed, not a reject, not fatal with --strict. */
void stage_drop(struct stage *st, int counter, const char *where, json_t *rec, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Log a message "NAME: MSG" on stderr. */
void stage_log(const struct stage *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Fatal system error: "NAME: MSG", exit 2. */
void stage_die(const struct stage *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

/* Print a progress line if asked for and a second has passed. */
void stage_progress(struct stage *st);

/* Flush and close everything, print the summary line, return the exit status. */
int stage_finish(struct stage *st);

#endif
