/* entity.c: transliteration-insensitive name keys and within-document resolution. */
#include "olay/entity.h"
#include "olay/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Title and function words, folded (accents stripped, lower case, ı as i, Arabic without
 * hamza seats). A name made only of these is a title-only mention (`Bakan`, `الوزير`,
 * `the minister`); inside a longer name they are dropped before keying, so `Bakan Ahmet
 * Yılmaz` and `Ahmet Yılmaz` are one person. Function words of other kinds stay. */
static const char *const title_words[] = {
	/* tr */
	"bakan", "bakani", "bakanimiz", "bakanligi", "disisleri", "savunma", "icisleri",
	"cumhurbaskani", "cumhurbaskanimiz", "baskan", "baskani", "baskanimiz", "basbakan",
	"basbakani", "sozcu", "sozcusu", "buyukelci", "buyukelcisi", "genelkurmay", "lider",
	"lideri", "sayin", "orgeneral", "pasa", "milli", "istihbarat", "mit",
	/* ar */
	"الوزير", "وزير", "الرييس", "رييس", "الرئيس", "رئيس", "الوزراء", "الخارجيه", "الخارجية",
	"خارجيه", "خارجية", "الدفاع", "دفاع", "الزعيم", "زعيم", "المتحدث", "متحدث", "السفير",
	"سفير", "الملك", "الامير", "الشيخ", "العاهل", "القايد", "القائد",
	/* en */
	"the", "minister", "president", "prime", "foreign", "defense", "defence", "interior",
	"secretary", "spokesman", "spokeswoman", "spokesperson", "ambassador", "leader",
	"general", "king", "prince", "sheikh", "mr", "mrs", "ms", "dr", "chief", "top",
	"diplomat", "premier", "chancellor",
};

/* Fold a UTF-8 string: NFD, marks stripped, case folded, dotless ı as i. Caller frees. */
static char *fold(const char *s, size_t n)
{
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t len = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &out,
					    UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
						    UTF8PROC_CASEFOLD);
	if (len < 0)
		return NULL;
	/* ı (C4 B1) -> i, in place: the string only shrinks */
	char *r = (char *)out, *w = r;
	for (char *p = r; *p;) {
		if ((unsigned char)p[0] == 0xC4 && (unsigned char)p[1] == 0xB1) {
			*w++ = 'i';
			p += 2;
		} else {
			*w++ = *p++;
		}
	}
	*w = '\0';
	return r;
}

static int is_title_word(const char *folded)
{
	for (size_t i = 0; i < sizeof title_words / sizeof *title_words; i++)
		if (strcmp(folded, title_words[i]) == 0)
			return 1;
	return 0;
}

/* Token separators: white space, hyphen, apostrophes (`Kalın'ın`), punctuation. */
static int is_separator(uint32_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '-' || c == '\'' || c == 0x2019 ||
	       c == '.' || c == ',' || c == '"' || c == '(' || c == ')' || c == 0x060C ||
	       c == 0x2010 || c == 0x2013 || c == 0x00A0;
}

/* Iterate the folded tokens of a name. Returns the next token's bounds or 0 at the end. */
static int next_token(const char *s, size_t n, size_t *pos, size_t *ts, size_t *te)
{
	size_t i = *pos;
	uint32_t c;
	int k;
	while (i < n && (k = utf8_decode(s, n, i, &c)) > 0 && is_separator(c))
		i += (size_t)k;
	if (i >= n) {
		*pos = n;
		return 0;
	}
	*ts = i;
	while (i < n) {
		k = utf8_decode(s, n, i, &c);
		if (k <= 0)
			k = 1, c = 0;
		if (is_separator(c))
			break;
		i += (size_t)k;
	}
	*te = i;
	*pos = i;
	return 1;
}

/* Consonant class of one Arabic letter: 0 drops it (long vowels, ع, hamza, ة, and the
 * labials و ف ڤ, because the press writes Latin v as و in one name and as ف in the next:
 * جاويش أوغلو and كافاسوغلو for Çavuşoğlu, لافروف for Lavrov). */
static char arabic_class(uint32_t c)
{
	switch (c) {
	case 0x0628: case 0x067E: return 'b';                               /* ب پ */
	case 0x062A: case 0x0637: case 0x062F: case 0x0636: return 't';     /* ت ط د ض */
	case 0x062B: case 0x0633: case 0x0634: case 0x0635: return 's';     /* ث س ش ص */
	case 0x062D: case 0x062E: case 0x0647: return 'h';                  /* ح خ ه */
	case 0x0630: case 0x0632: case 0x0638: return 'z';                  /* ذ ز ظ */
	case 0x0631: return 'r';
	case 0x063A: case 0x06AF: return 'g';                               /* غ گ */
	case 0x062C: case 0x0686: case 0x0642: case 0x0643: case 0x06A9:
		return 'k';                                             /* ج چ ق ك ک */
	case 0x0644: return 'l';
	case 0x0645: return 'm';
	case 0x0646: return 'n';
	}
	return 0;
}

/* Append the classes of one folded Latin token. Vowels, y, and the labials f, v, w, ph
 * are dropped (see arabic_class); the rest map to the class their Arabic letters take.
 * c, ç, j, k, q share a class with ج and ك: Turkish c is ج, a foreign c is ك, and the
 * text's language does not tell which kind of name it is. */
static void latin_classes(const char *t, size_t n, char *out, size_t *len,
			  size_t cap, int *overflow)
{
	for (size_t i = 0; i < n; i++) {
		char c = t[i], nx = i + 1 < n ? t[i + 1] : 0, k = 0;
		if (nx == 'h' && (c == 's' || c == 'c' || c == 'k' || c == 'g' || c == 't' ||
				  c == 'd' || c == 'p')) {
			/* digraphs of English/French transliteration */
			k = c == 's' ? 's' : c == 'c' ? 'k' : c == 'k' ? 'h' : c == 'g' ? 'g'
			    : c == 't' ? 't' : c == 'd' ? 'z' : 0;
			i++;
		} else if (c == 'c' && nx == 'k') {
			k = 'k';
			i++;
		} else {
			switch (c) {
			case 'b': case 'p': k = 'b'; break;
			case 'd': case 't': k = 't'; break;
			case 'g': k = 'g'; break;
			case 'h': k = 'h'; break;
			case 'c': case 'j': case 'k': case 'q': k = 'k'; break;
			case 'l': case 'm': case 'n': case 'r': case 's': case 'z': k = c; break;
			case 'x': k = 'k'; break;
			default:
				if (c >= '0' && c <= '9')
					k = c;
			}
		}
		if (!k || (*len > 0 && out[*len - 1] == k))
			continue;
		if (*len + 1 >= cap) {
			*overflow = 1;
			return;
		}
		out[(*len)++] = k;
	}
}

static void arabic_classes(const char *t, size_t n, char *out, size_t *len, size_t cap,
			   int *overflow)
{
	size_t i = 0;
	uint32_t c;
	int k;
	/* the article ال is not part of the name (`الشرع` is `Şara`) */
	if (n > 6 && memcmp(t, "\xD8\xA7\xD9\x84", 4) == 0)
		i = 4;
	for (; i < n; i += (size_t)(k > 0 ? k : 1)) {
		k = utf8_decode(t, n, i, &c);
		char cls = k > 0 ? arabic_class(c) : 0;
		if (!cls && k > 0 && c < 0x80 && c >= '0' && c <= '9')
			cls = (char)c;
		if (!cls || (*len > 0 && out[*len - 1] == cls))
			continue;
		if (*len + 1 >= cap) {
			*overflow = 1;
			return;
		}
		out[(*len)++] = cls;
	}
}

static int token_is_arabic(const char *t, size_t n)
{
	uint32_t c;
	return utf8_decode(t, n, 0, &c) > 0 && c >= 0x0600 && c <= 0x06FF;
}

int entity_key(const char *name, char *out, size_t cap)
{
	if (cap == 0)
		return -1;
	out[0] = '\0';
	if (!name)
		return 0;
	char *f = fold(name, strlen(name));
	if (!f)
		return 0;
	size_t n = strlen(f), pos = 0, ts, te, len = 0;
	int overflow = 0;
	while (!overflow && next_token(f, n, &pos, &ts, &te)) {
		char save = f[te];
		f[te] = '\0';
		int drop = is_title_word(f + ts) || strcmp(f + ts, "al") == 0 ||
			   strcmp(f + ts, "el") == 0;
		f[te] = save;
		if (drop)
			continue;
		if (token_is_arabic(f + ts, te - ts))
			arabic_classes(f + ts, te - ts, out, &len, cap, &overflow);
		else
			latin_classes(f + ts, te - ts, out, &len, cap, &overflow);
	}
	free(f);
	if (overflow)
		return -1;
	out[len] = '\0';
	return (int)len;
}

int entity_name_tokens(const char *name)
{
	if (!name)
		return 0;
	char *f = fold(name, strlen(name));
	if (!f)
		return 0;
	size_t n = strlen(f), pos = 0, ts, te;
	int count = 0;
	while (next_token(f, n, &pos, &ts, &te)) {
		char save = f[te];
		f[te] = '\0';
		if (!is_title_word(f + ts) && strcmp(f + ts, "al") != 0 && strcmp(f + ts, "el") != 0)
			count++;
		f[te] = save;
	}
	free(f);
	return count;
}

const char *entity_how_name(enum entity_how how)
{
	switch (how) {
	case ENTITY_GIVEN: return "dictionary";
	case ENTITY_DOCUMENT: return "document";
	case ENTITY_KEY: return "key";
	case ENTITY_CODE: return "code";
	case ENTITY_AMBIGUOUS: return "ambiguous";
	}
	return "?";
}

void entity_doc_init(struct entity_doc *d)
{
	memset(d, 0, sizeof *d);
}

int entity_doc_add(struct entity_doc *d, struct entity_actor *a)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 16;
		void *p = realloc(d->actors, cap * sizeof *d->actors);
		if (!p)
			return -1;
		d->actors = p;
		d->cap = cap;
	}
	a->id = NULL;
	a->how = ENTITY_GIVEN;
	d->actors[d->n++] = a;
	return 0;
}

static const char *own(struct entity_doc *d, const char *prefix, const char *s)
{
	if (d->nowned == d->capowned) {
		size_t cap = d->capowned ? 2 * d->capowned : 16;
		void *p = realloc(d->owned, cap * sizeof *d->owned);
		if (!p)
			return NULL;
		d->owned = p;
		d->capowned = cap;
	}
	size_t lp = strlen(prefix), ls = strlen(s);
	char *r = malloc(lp + ls + 1);
	if (!r)
		return NULL;
	memcpy(r, prefix, lp);
	memcpy(r + lp, s, ls + 1);
	d->owned[d->nowned++] = r;
	return r;
}

static int str_eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static int earlier(const struct entity_actor *a, const struct entity_actor *b)
{
	return a->sentence < b->sentence || (a->sentence == b->sentence && a->start < b->start);
}

/* What the actor is called in the text: decides title-only mentions. */
static const char *actor_text(const struct entity_actor *a)
{
	return a->text && *a->text ? a->text : a->name;
}

/* The name an unknown actor is keyed by: its canonical name when extract gave one (the
 * written text may carry a country or an agent phrase: `Fransa Dışişleri Bakanı X`). */
static const char *actor_name(const struct entity_actor *a)
{
	return a->name && *a->name ? a->name : a->text;
}

/* Any upper-case letter? Names are capitalised; the agents extract builds from common
 * nouns (`askerleri` "soldiers", `diplomatları` "diplomats") are not. */
static int has_upper(const char *s)
{
	uint32_t c;
	int k;
	size_t n = s ? strlen(s) : 0;
	for (size_t i = 0; i < n; i += (size_t)(k > 0 ? k : 1)) {
		k = utf8_decode(s, n, i, &c);
		if (k > 0 && utf8proc_category((utf8proc_int32_t)c) == UTF8PROC_CATEGORY_LU)
			return 1;
	}
	return 0;
}

static int has_latin(const char *s)
{
	for (; s && *s; s++)
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
			return 1;
	return 0;
}

/* A common noun, not a name: its canonical name is in lower case, or its Latin text is.
 * Such an actor is a group of people of its CAMEO code, not someone to key by name. */
static int is_common_noun(const struct entity_actor *a)
{
	return (a->name && *a->name && !has_upper(a->name)) ||
	       (a->text && has_latin(a->text) && !has_upper(a->text));
}

/* A person-like full name: two or more name tokens, not a state (its id is not its
 * country) and not a group. Only these can explain a title-only mention. */
static int is_person_name(const struct entity_actor *a)
{
	return entity_name_tokens(actor_name(a)) >= 2 && !a->group &&
	       !(a->given && str_eq(a->given, a->country));
}

/* Does the short key equal the last tokens of the long name's key? Token-aligned: the
 * long name is keyed from each token boundary to the end and compared. */
static int key_is_tail(const char *shortkey, const struct entity_actor *full)
{
	const char *t = actor_name(full);
	if (!t)
		return 0;
	size_t n = strlen(t), pos = 0, ts, te;
	char key[512];
	while (next_token(t, n, &pos, &ts, &te)) {
		if (ts == 0)
			continue; /* the whole name is not a tail of itself */
		if (entity_key(t + ts, key, sizeof key) > 0 && strcmp(key, shortkey) == 0)
			return 1;
	}
	return 0;
}

int entity_doc_resolve(struct entity_doc *d)
{
	char key[512];
	/* pass 1: ids of given and full names */
	for (size_t i = 0; i < d->n; i++) {
		struct entity_actor *a = d->actors[i];
		if (a->given && *a->given) {
			a->id = a->given;
			a->how = ENTITY_GIVEN;
			continue;
		}
		a->id = NULL;
		if (a->code && *a->code && entity_name_tokens(actor_text(a)) > 0 &&
		    is_common_noun(a)) {
			a->id = a->code;
			a->how = ENTITY_CODE;
			continue;
		}
		if (entity_name_tokens(actor_text(a)) >= 2 &&
		    entity_key(actor_name(a), key, sizeof key) > 0) {
			if (!(a->id = own(d, "x:", key)))
				return -1;
			a->how = ENTITY_KEY;
		}
	}
	/* pass 2: short mentions against the full names written earlier. Candidates are
	 * compared by id only, so the result depends on the set of actors, not their order. */
	for (size_t i = 0; i < d->n; i++) {
		struct entity_actor *a = d->actors[i];
		if (a->id)
			continue;
		int ntok = entity_name_tokens(actor_text(a));
		int klen = ntok ? entity_key(actor_name(a), key, sizeof key) : 0;
		const char *found = NULL;
		int nfound = 0;
		for (size_t j = 0; j < d->n; j++) {
			struct entity_actor *b = d->actors[j];
			/* only names explain a short mention: not common nouns, not other
			 * short mentions */
			if (b == a || !b->id || b->how == ENTITY_DOCUMENT || b->how == ENTITY_CODE ||
			    !earlier(b, a))
				continue;
			int fits;
			if (ntok == 0) /* title only: a person of the same country and role */
				fits = is_person_name(b) &&
				       (!a->country || str_eq(a->country, b->country)) &&
				       (!a->role || !b->role || str_eq(a->role, b->role));
			else
				fits = klen > 0 && key_is_tail(key, b);
			if (fits && !str_eq(found, b->id)) {
				if (found) {
					nfound = 2; /* two different people fit: leave it */
					break;
				}
				found = b->id;
				nfound = 1;
			}
		}
		if (nfound == 1) {
			a->id = found;
			a->how = ENTITY_DOCUMENT;
		} else if (ntok == 0 && a->code && *a->code) {
			a->id = a->code;
			a->how = nfound > 1 ? ENTITY_AMBIGUOUS : ENTITY_CODE;
		} else {
			if (klen <= 0) {
				const char *t = actor_text(a);
				if (entity_key(t, key, sizeof key) <= 0)
					snprintf(key, sizeof key, "%s", "unknown");
			}
			if (!(a->id = own(d, "x:", key)))
				return -1;
			a->how = nfound > 1 ? ENTITY_AMBIGUOUS : ENTITY_KEY;
		}
	}
	return 0;
}

void entity_doc_clear(struct entity_doc *d)
{
	for (size_t i = 0; i < d->nowned; i++)
		free(d->owned[i]);
	d->nowned = 0;
	d->n = 0;
}

void entity_doc_release(struct entity_doc *d)
{
	entity_doc_clear(d);
	free(d->actors);
	free(d->owned);
	entity_doc_init(d);
}
