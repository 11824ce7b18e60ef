/* rules.h: the rule files under rules/ (docs/RULES.md) parsed into plain data: actors,
 * agents, places, event rules, synonym sets and per-language settings; and the diagnostics
 * list every loader reports to, as "file:line:col: what is wrong".
 *
 * Ownership: a struct ruleset owns every string and array in it; ruleset_release() frees
 * them. Diagnostics own their messages. Nothing here is shared between threads while being
 * built; a loaded ruleset is read-only. Parsing checks the syntax of each file on its own;
 * what needs the whole set (unknown codes, duplicate ids, patterns, examples) is checked by
 * the engine (extract.h), which reports to the same diagnostics list. */
#ifndef OLAY_RULES_H
#define OLAY_RULES_H

#include <stddef.h>

#include "olay/codes.h"

struct diags {
	char **msgs;
	size_t n, cap;
};
void diags_add(struct diags *d, const char *file, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void diags_release(struct diags *d);

/* Languages, as indexes of the per-language arrays below. */
enum { RL_TR, RL_AR, RL_EN, RL_NLANG };
int rl_lang_index(const char *code); /* "tr" -> RL_TR, "und" -> RL_EN, else -1 */
extern const char *const rl_lang_codes[RL_NLANG];

struct rl_str {
	char *s;
	int line, col;
};
struct rl_list {
	struct rl_str *v;
	size_t n;
};

struct rl_role {
	char code[16];
	int from, to; /* YYYYMMDD; 0 = open end */
};

struct rl_actor {
	char *id, *type, *code, *country, *group;
	struct rl_role *roles;
	size_t nroles;
	struct rl_list names[RL_NLANG], adj[RL_NLANG], seat[RL_NLANG];
	const char *file;
	int line;
};

struct rl_agent {
	char *role, *label;
	struct rl_list names[RL_NLANG];
	const char *file;
	int line;
};

struct rl_place {
	char *id, *type, *country;
	double lat, lon;
	int has_lat, has_lon;
	struct rl_list names[RL_NLANG];
	const char *file;
	int line;
};

struct rl_expect {
	char src[32], code[8], tgt[32]; /* "-" for a missing actor */
};

struct rl_example {
	int date; /* YYYYMMDD */
	char *sentence;
	struct rl_expect *expect; /* none: nexpect == 0 */
	size_t nexpect;
	int line, col;
};

struct rl_rule {
	char *id, *code, *intent;
	int symmetric, gap, lang;
	struct rl_list patterns;
	struct rl_example *examples;
	size_t nexamples;
	const char *file;
	int line, code_line, code_col, intent_line, intent_col;
};

struct rl_set {
	char *name, *text; /* name without '&'; text: the alternatives as written */
	int lang;
	const char *file;
	int line, col;
};

struct rl_language {
	int defined, gap;
	struct rl_str negation_suffix, future_suffix; /* regexes without slashes; s NULL if none */
	struct rl_list negation_word, future_prefix, future_word, modal_word, speech_verb;
	const char *file;
	int line;
};

struct ruleset {
	char *dir;
	char **files; /* paths as reported in diagnostics; items point into these */
	size_t nfiles;
	struct codes codes;
	struct rl_actor *actors;
	size_t nactors;
	struct rl_agent *agents;
	size_t nagents;
	struct rl_place *places;
	size_t nplaces;
	struct rl_rule *rules;
	size_t nrules;
	struct rl_set *sets;
	size_t nsets;
	struct rl_language lang[RL_NLANG];
};

/* Read every rule file under dir (sorted by name, so the order is stable). Syntax errors go
 * to d; returns -1 only when dir itself or memory is missing, else 0 (check d->n). */
int ruleset_load(struct ruleset *rs, const char *dir, struct diags *d);
void ruleset_release(struct ruleset *rs);

/* Parse one file's text into rs (used by ruleset_load, and by tests on strings). kind is
 * "actors", "agents", "places" or "rules"; lang the language of an events file or -1. */
int ruleset_parse(struct ruleset *rs, const char *file, const char *text, const char *kind,
		  int lang, struct diags *d);

/* The file path relative to the rules directory, as mentions report it. */
const char *ruleset_relpath(const struct ruleset *rs, const char *file);

/* YYYY-MM-DD -> YYYYMMDD, or -1 if malformed. */
int rl_parse_date(const char *s, size_t n);

#endif
