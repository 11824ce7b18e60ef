/* entity.h: entity ids for actors the dictionary does not know, and the resolution of short
 * mentions (surname only, title only) to the full name written earlier in the document.
 *
 * Keys: entity_key() reduces a name to a transliteration-insensitive consonant skeleton,
 * so `Sergey Lavrov`, `Sergei Lavrov` and `سيرغي لافروف` give the same key ("srglr").
 * An unknown actor's id is "x:" + that key: a pure function of the name, hence stable
 * across runs, documents and shards. docs/FORMAT.md ("Entity ids") gives the table.
 *
 * Ownership: entity_key() writes into a caller buffer. struct entity_doc borrows the
 * strings of the actors added to it (they must outlive entity_doc_resolve()) and owns the
 * resolved id strings it returns until entity_doc_release(). No global state; every
 * function is thread-safe on distinct structs. */
#ifndef OLAY_ENTITY_H
#define OLAY_ENTITY_H

#include <stddef.h>

/* The key of a name: title words (`Bakan`, `الوزير`, `minister`) and Arabic/Latin articles
 * dropped, accents and case folded, letters mapped to consonant classes, vowels dropped,
 * repeats collapsed. Writes a NUL-terminated ASCII key; returns its length, 0 when
 * nothing of the name is left (a title only, or punctuation), -1 when out does not fit. */
int entity_key(const char *name, char *out, size_t cap);

/* The number of name tokens left after title words are dropped (0: a title only). */
int entity_name_tokens(const char *name);

/* How an actor's id was found. */
enum entity_how {
	ENTITY_GIVEN,     /* the dictionary id from extract */
	ENTITY_DOCUMENT,  /* a short mention resolved to a full name earlier in the document */
	ENTITY_KEY,       /* an unknown name: "x:" + its key */
	ENTITY_CODE,      /* a title nobody in the document explains, or a common noun
			   * (`askerleri` "soldiers"): its CAMEO actor code */
	ENTITY_AMBIGUOUS  /* a short mention that fits several names: left unresolved ("x:") */
};

struct entity_actor {
	/* in: borrowed */
	const char *given;   /* entity from extract, NULL when none */
	const char *text;    /* as written (falls back to name) */
	const char *name, *code, *country, *group, *role, *lang;
	long sentence, start; /* position in the document, for "named earlier" */
	/* out: owned by the entity_doc */
	const char *id;
	enum entity_how how;
};

/* The actors of one document. */
struct entity_doc {
	struct entity_actor **actors;
	size_t n, cap;
	char **owned;
	size_t nowned, capowned;
};

void entity_doc_init(struct entity_doc *d);
/* Add an actor (borrowed; the struct must stay put until resolve). Returns 0, -1 on ENOMEM. */
int entity_doc_add(struct entity_doc *d, struct entity_actor *a);
/* Set id and how of every actor added. The result depends only on the set of actors, not
 * the order they were added in. Returns 0, -1 on ENOMEM. */
int entity_doc_resolve(struct entity_doc *d);
/* Forget the actors and free the ids, keeping the struct for the next document. */
void entity_doc_clear(struct entity_doc *d);
void entity_doc_release(struct entity_doc *d);

const char *entity_how_name(enum entity_how how);

#endif
