/* extract.h: the olay-extract engine: load and check a rule set, code one sentence, code
 * one document into mention records, and run the examples of every rule.
 *
 * Ownership and threads: struct engine owns everything compiled from the rules (the
 * lexicon, the PCRE2 codes, the trigger index); after engine_load() it is read-only and
 * is shared by all threads, but for each pattern's JIT code, made once before its first
 * match under a lock (engine_jit_all() makes them all). Each thread owns one struct extract_ws (match data, match
 * context with match/depth/heap limits, JIT stack, scratch buffers). Results of
 * extract_sentence() live in the workspace until its next call. Nothing here exits. */
#ifndef OLAY_EXTRACT_H
#define OLAY_EXTRACT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <pcre2.h>

#include "olay/actors.h"
#include "olay/buf.h"
#include "olay/dict.h"
#include "olay/patterns.h"
#include "olay/rules.h"

/* A keyed word list split once into words (a phrase of up to 8; 'x*' a stem). */
struct phrase {
	const char *w[8]; /* into the list's strings */
	uint32_t len[8];
	int nw;
};
/* A list of phrases, and for finding those that may stand at a word without trying them
 * all: by[0] indexes them by their first word, by[1] by their last (phrase_at()'s dir > 0
 * and dir < 0). A word that is a stem ('x*') cannot be hashed: those are listed apart. */
struct phrase_index {
	int32_t *head;	/* open hash of words: phrase + 1 heading the chain of one word, 0 empty */
	int32_t *next;	/* per phrase: the next one with the same word, -1 none */
	/* stems of STEM_KEY bytes or more, the same way by their first STEM_KEY bytes */
	int32_t *shead, *snext;
	int32_t *stems; /* phrases whose word is a shorter stem */
	uint32_t mask;
	size_t nstems;
};
struct phrases {
	struct phrase *v;
	size_t n;
	struct phrase_index by[2];
};

struct lang_rt {
	pcre2_code *neg_suffix, *fut_suffix, *fut_prefix_re;
	struct rl_list neg_words, fut_words, fut_prefix, speech; /* keyed */
	struct phrases neg_ph, fut_ph, speech_ph;		  /* the same, split */
	int gap;
};

struct rule_rt {
	const struct code_row *row, *intent_row; /* intent_row: the rule's or the default */
};

struct engine {
	struct ruleset rs;
	struct lexicon lx;
	struct pattern_env env;
	struct cpattern *pats;
	size_t npats;
	/* per pattern, dense, what the candidate filter reads: the groups of mandatory
	 * literals are hot_gid[hot_gend[g0 + k] .. hot_gend[g0 + k + 1]) */
	struct pat_hot {
		uint64_t need_marks;
		int32_t g0;
		uint16_t ngroups;
		int16_t min_actors;
		int32_t m0;	      /* its mandatory elements: hot_mel[m0 .. m0 + nmseq) */
		uint16_t nmseq, last; /* last: the last with a bounded distance, 0 none */
	} *hot;
	int32_t *hot_gend, *hot_gid;
	/* cpattern.mseq, mseq_dist, mseq_mark of all patterns, in one array: what the order
	 * and distance tests read for every candidate */
	struct pat_mel {
		int16_t el, dist;
		uint8_t mbit;	  /* a slot's mark: the bit number of mark_bit(mark) */
		const char *mark; /* the cpattern's */
	} *hot_mel;
	_Atomic unsigned char *jit_ready; /* per pattern: JIT-compiled (lazily, engine_jit) */
	struct rule_rt *rules;
	struct country { char iso3[4]; char *name; double lat, lon; } *countries; /* sorted */
	size_t ncountries;
	int *always[RL_NLANG];	    /* patterns without a required token */
	struct dict lits[RL_NLANG]; /* every mandatory literal -> id*2 + prefix */
	struct lit_pats { int *v; size_t n; } *lit_pats; /* literal id -> patterns it triggers */
	size_t nlits, litcap;
	size_t nalways[RL_NLANG];
	struct lang_rt lang[RL_NLANG];
	int keep_negated;
	int explain;
};

/* Load rules from dir and compile them. Every problem goes to d; returns 0 when the rules
 * can be used (d->n == 0), 1 when they have errors, -1 when out of memory. */
int engine_load(struct engine *e, const char *dir, struct diags *d);
void engine_release(struct engine *e);
/* JIT-compile every pattern now (--check-rules); otherwise each is compiled before its
 * first match. */
void engine_jit_all(const struct engine *e);

struct mention {
	int pattern, rule;
	int src, tgt; /* indexes into the workspace's tagging.acts, -1 none */
	char src_code[40], tgt_code[40], src_role[16], tgt_role[16];
	char code[8];
	int negated, intent, symmetric, passive;
	uint32_t trig_ks, trig_ke; /* key span of the trigger */
	int location;		   /* tagging.acts index of the place, or -1 */
	int speaker;		   /* tagging.acts index, or -1 */
	int specificity;
};

struct extract_ws {
	pcre2_match_data *md, *pred_md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
	struct tagging tg;
	struct buf ts;		 /* tagged token string */
	uint32_t *unit_off;	 /* per unit: offset in ts */
	int *unit_tok;		 /* per unit: first token */
	int *unit_last;		 /* per unit: last token */
	int *unit_speaker;	 /* per unit inside a quotation: its speaker's actor, else -1 */
	size_t nunits, unitcap;
	uint32_t *stamp;	 /* per pattern: candidate mark */
	uint32_t *lit_seen;	 /* per literal id: == gen when in the sentence */
	int32_t *lit_first, *lit_last; /* per literal id seen: its first and last token */
	int32_t *next_act;	       /* per token t: the first token >= t in an actor, or -1 */
	size_t nacap;
	/* the distance test (gaps_fit()): per token its unit (-1: left out of the tagged
	 * string); per literal id seen (lit_slot) a bitset of the units holding it, uw words
	 * each; the most units a compound of actors spans (creach) */
	int32_t *tok_unit;
	size_t tucap;
	uint64_t *lit_bits;
	size_t lbcap, nlslots, uw;
	int32_t *lit_slot;
	int creach;
	int32_t *ph_unit; /* the units of the actor placeholders, in order */
	/* per tagged actor, for slot_fits(): the bit number of mark_bit() of its mark, and
	 * whether an unmarked slot takes it */
	uint8_t *act_mbit, *act_any;
	size_t actcap;
	size_t nph, phcap;
	uint32_t gen;
	int *cands;
	size_t ncands, candcap;
	struct mention *ms;
	size_t nms, mcap;
	unsigned long limit_hits; /* matches stopped by the match limit */
	/* callout state: per /regex/ (the engine's predicate) asked about in the sentence, a
	 * row: per unit, 0 unknown, 1 no, 2 yes; pred_gen[i] == gen when pred_row[i] is this
	 * sentence's */
	uint8_t *pred_cache;
	size_t pcap, nprows;
	uint32_t *pred_gen, *pred_row;
	const struct engine *e;
	const struct cpattern *cur;
	const char *key;
};

int extract_ws_init(struct extract_ws *ws, const struct engine *e);
void extract_ws_release(struct extract_ws *ws);

/* Code one sentence: tag, find candidate rules, match, resolve. only_rule >= 0 restricts to
 * that rule (examples). Mentions in ws->ms (negated ones included, flagged), sorted by
 * trigger position. explain (may be NULL) receives the --explain text. 0 or -1 (OOM). */
/* The centroid row of places/countries.tsv for an ISO alpha-3 code, or NULL. */
const struct country *engine_country(const struct engine *e, const char *iso3);

int extract_sentence(const struct engine *e, struct extract_ws *ws,
		     const struct sentence_view *sv, int only_rule, struct buf *explain);

struct doc_result {
	struct buf out;	    /* mention lines */
	struct buf explain; /* --explain text */
	unsigned long long mentions, sentences, negated_dropped;
	char reason[256];   /* non-empty: the document is rejected for this */
};

/* Code one document record (olay-normalize output) into JSON lines appended to r->out.
 * Returns 0, 1 when rejected (r->reason says why), -1 when out of memory. */
int extract_document(const struct engine *e, struct extract_ws *ws, json_t *doc,
		     struct doc_result *r);

/* As extract_document(), reading the fields where they lie in the line (no jansson tree).
 * Returns 2 when the line is not one it reads itself (invalid JSON, unusual escapes): then
 * parse it with jansson and call extract_document(), which says what is wrong. */
int extract_document_line(const struct engine *e, struct extract_ws *ws, const char *line,
			  size_t len, struct doc_result *r);

/* Code one sentence given as plain text (an example, a test): cleaned, keyed, folded and
 * tagged exactly as normalize and extract_document() would. Mentions in ws->ms. */
int extract_text(const struct engine *e, struct extract_ws *ws, int lang, int date,
		 const char *text, int only_rule, struct buf *explain);

/* Run every example of every rule through the same cleaning, keying, tagging and matching
 * as documents; failures go to d. Returns the number of examples run, or -1 (OOM). */
long engine_check_examples(const struct engine *e, struct extract_ws *ws, struct diags *d);

#endif
