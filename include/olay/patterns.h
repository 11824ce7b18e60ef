/* patterns.h: event patterns (docs/RULES.md, "Pattern elements") compiled into PCRE2
 * regexes over a sentence's *tagged token string*: every token followed by one space,
 * every tagged actor replaced by one placeholder token
 *     \x01 C \x02 MARK \x02 INDEX \x03
 * where C is 'w' for an Arabic و-prefixed actor and '-' otherwise, MARK its case or
 * preposition (nom, acc, ile, by, with, مع, ...) and INDEX its place in the sentence's
 * actor list. Slots, literals, stems, gaps, alternatives, sets and the trigger become
 * regex constructs; capturing groups are made only for what the engine reads back (the
 * source and target slots, the trigger, the inflection after a trigger stem, an Arabic
 * trigger's proclitics), and groups[] says which is which. /regex/ token predicates are
 * callouts (?Cn) that the engine answers per token.
 *
 * Ownership: a struct cpattern owns its regex and tables (cpattern_release). Compiled
 * and JIT-compiled once, then read-only and shared by all threads; each thread brings its
 * own match data. */
#ifndef OLAY_PATTERNS_H
#define OLAY_PATTERNS_H

#include <stddef.h>
#include <stdint.h>

#include <pcre2.h>

#include "olay/actors.h"
#include "olay/rules.h"

enum pg_kind { PG_NONE, PG_SRC, PG_TGT, PG_TRIGGER, PG_REST, PG_PREFIX };

struct preq {
	char *key;  /* a token (or stem) that every match contains; match-key form */
	int prefix; /* stem: the token starts with key */
};

struct cpattern {
	/* what the engine reads for every candidate pattern of every sentence, first, in one
	 * cache line */
	int rule;	     /* index into rs->rules */
	int min_actors;	     /* actors a sentence needs for a match */
	uint64_t need_marks; /* mark_bit() of every case a mandatory slot asks for */
	pcre2_code *re;
	size_t ngroups_req;
	int *gend; /* group k is glit[gend[k-1] .. gend[k]) */
	/* every group here must have one token in the sentence: all the mandatory literals
	 * (a phrase gives one group per word, an alternative one group for all its words);
	 * gid[] are the engine's literal ids, filled by the engine */
	int *gid;
	/* the mandatory elements of the top-level sequence in their order: a group number
	 * or MSEQ_SLOT; each takes tokens after the one before (the engine's order test) */
	int16_t *mseq;
	char **mseq_mark; /* per mseq element: the mark a slot asks for, NULL for any */
	/* per mseq element after the first: the greatest distance in units (tokens of the
	 * tagged string) from the one before, but for what a slot reaches past its marked
	 * actor (the engine adds it); -1 when there is no bound */
	int16_t *mseq_dist;
	size_t nmseq;
	/* how many units before the word of its first mandatory element (a group of words)
	 * a match may start: what may stand before it and how far the group's word reaches
	 * into its element; -1 when there is no bound or the first is a slot */
	int lead;
	int npreds;
	int has_src, has_tgt, passive;
	/* the rest */
	int specificity;
	const char *text; /* as written, borrowed from the ruleset */
	int line, col;
	char *regex;
	size_t regex_len;
	uint8_t *groups; /* enum pg_kind per capture group number */
	int ngroups;
	int preds[16];	 /* callout number n (1..) -> predicate index, preds[n-1] */
	int open_pred;	 /* the callout number of a /regex/ that opens every match, or 0 */
	struct preq *req; /* one of these tokens is in every match; none: always tried */
	size_t nreq;
	struct preq *glit;
	size_t nglit;
};

enum { MSEQ_SLOT = -1 };

/* What compiling needs from the rest of the rule set. */
struct pattern_env {
	int lang, gap;
	const struct ruleset *rs;
	const struct lexicon *lx;
	/* token predicates (/regex/), shared by all patterns of the engine, one per distinct
	 * regex (pred_src, pred_len: as compiled) */
	pcre2_code **preds;
	char **pred_src;
	size_t *pred_len;
	size_t npreds, predcap;
	/* 1: cpattern_compile() leaves the regex in cp->regex for cpattern_compile_regex(), so
	 * that the engine can compile all patterns' regexes in parallel */
	int defer_regex;
};

/* Compile text (a pattern of rule `rule`, written at file:line:col) into cp. Problems go
 * to d as file:line:col messages; returns 0, 1 when the pattern is unusable (reported),
 * or -1 when out of memory. */
int cpattern_compile(struct cpattern *cp, const char *text, int rule, const char *file,
		     int line, int col, struct pattern_env *env, struct diags *d);
void cpattern_release(struct cpattern *cp);
/* PCRE2-compile cp->regex (left there by cpattern_compile() under env->defer_regex) into
 * cp->re: 0, or the PCRE2 error code. Safe to run for distinct patterns at once. */
int cpattern_compile_regex(struct cpattern *cp);

/* A bit standing for a case mark (nom, dat, مع, with, ...), for the quick test of whether a
 * sentence has the actors a pattern asks for. Collisions only cost a useless try. */
uint64_t mark_bit(const char *mark);

/* The regex fragment of a placeholder and its parse: the tagged-string form of actor i. */
int placeholder(char *out, size_t n, char conj, const char *mark, int index);

#endif
