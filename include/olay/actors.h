/* actors.h: a sentence's tokens and the actors, agents and places tagged in them.
 *
 * Tokens are cut from a match key (for Turkish, its ASCII fold) at spaces, with
 * punctuation at either end of a word cut off as tokens of its own, so `Rusya'yla,` gives
 * `rusya'yla` and `,`. Tagging walks the name dictionary (dict.h) from every token start
 * (Arabic: also after the proclitics و ف ب ل ك and their chains), keeps the longest name
 * that ends at a token end or before a suffix the language allows (Turkish case and
 * possessive suffixes with or without apostrophe; English 's; Arabic pronoun suffixes),
 * reads the case from the suffix, proclitic or adjacent preposition/postposition, and then
 * combines agents with countries and people (see docs/ENGINE.md).
 *
 * Ownership: struct lexicon is built once (lexicon_build) and read-only afterwards, shared
 * by all threads. struct tagging is a per-thread workspace, reused sentence after
 * sentence; tag_sentence() refills it. Library code: errors are returned, never fatal. */
#ifndef OLAY_ACTORS_H
#define OLAY_ACTORS_H

#include <stddef.h>
#include <stdint.h>

#include "olay/dict.h"
#include "olay/rules.h"

struct token {
	uint32_t ks, ke; /* byte span in the key (Turkish: fold) */
};

/* Cut key[0..n) into tokens; returns the count, or -1 if out of memory. *toks is grown. */
int tokenize(const char *key, size_t n, struct token **toks, size_t *cap);

/* Key form of a rule literal or name in language l (Turkish: the ASCII-folded key): the
 * same text_key()/text_fold_tr() a sentence goes through. Returns 0 or -1 (ENOMEM). */
int rule_key(int l, const char *s, size_t n, char **out, size_t *outlen);

enum name_kind { NK_ACTOR, NK_SEAT, NK_ADJ, NK_AGENT, NK_PLACE };

struct name_entry {
	uint8_t kind, cap; /* cap: 1 written capitalised, matches only capitalised text; 2 written
			    * all in capitals (WHO, US, AB), matches only text in capitals */
	uint32_t index;    /* into rs->actors / agents / places */
};

/* The dictionaries of one rule set, one per language. */
struct lexicon {
	const struct ruleset *rs;
	struct dict names[RL_NLANG];
	struct name_entry *entries;
	size_t nentries;
	char *markers[RL_NLANG][16]; /* keyed prepositions/postpositions (see actors.c) */
	char conj[RL_NLANG][16];     /* keyed `ve`, `و`, `and` */
	int *counterpart_agents;     /* agent index -> 1 if role COUNTERPART */
	char *nonparty[RL_NLANG][64]; /* keyed nouns a demonym does not make a party (actors.c) */
	char *topic[RL_NLANG][16];    /* keyed words that make a name a topic (actors.c) */
	char *area[RL_NLANG][48];     /* keyed words that make a name part of a place phrase */
};

int lexicon_build(struct lexicon *lx, const struct ruleset *rs, struct diags *d);
void lexicon_release(struct lexicon *lx);

/* One tagged actor (or place) of a sentence. */
struct tagged_actor {
	int first, last;   /* tokens, inclusive */
	uint32_t ks, ke;   /* key span of the name itself (without proclitics and suffix) */
	int actor;	   /* rs->actors index, or -1 (agent + country) */
	int agent;	   /* rs->agents index, or -1 */
	int country_actor; /* the state the country comes from, or -1 */
	int place;	   /* rs->places index when this is a place, else -1 */
	int is_place;	   /* a place mention (locative), not an actor */
	int counterpart;   /* agent role COUNTERPART, resolved against the other party */
	int poss1pl;	   /* Turkish -mIz / Arabic -نا / English `our`: the speaker's side */
	int ours;	   /* an agent with poss1pl and no country: takes the speaker's country */
	char conj;	   /* 'w': Arabic و-prefixed (second member of a compound) */
	const char *mark;  /* case: "nom", "acc", ..., a preposition; never NULL */
	char code[40], role[16], country[4];
	const char *name, *entity, *group;
};

struct tagging {
	struct token *toks;
	size_t ntoks, tokcap;
	struct tagged_actor *acts;
	size_t nacts, actcap;
	int *tok_actor; /* per token: index into acts, or -1 */
	size_t tacap;
};

struct sentence_view {
	int lang;		    /* RL_TR, RL_AR, RL_EN */
	const char *key;	    /* key (Turkish: fold) */
	size_t keylen;
	const size_t *map;	    /* anchors [k0,o0,...] from key to the document, may be NULL */
	size_t nmap;		    /* pairs */
	const char *doc;	    /* the original document text, for capitalisation */
	size_t doclen;
	int date;		    /* YYYYMMDD, 0 if none */
};

size_t view_orig(const struct sentence_view *sv, size_t k);

/* Tokenise and tag sv into tg. Returns 0 or -1 (out of memory). */
int tag_sentence(const struct lexicon *lx, const struct sentence_view *sv, struct tagging *tg);
void tagging_release(struct tagging *tg);

/* The CAMEO code an actor has on date (YYYYMMDD, 0: none): the dated role that holds,
 * else its code. */
const char *actor_code_on(const struct rl_actor *a, int date);

#endif
