/* sentences.c: sentence boundaries in a cleaned paragraph (see sentences.h).
 *
 * One left-to-right scan finds candidate ends (a run of terminators, then closing quotes
 * and brackets, then a space or the end) and keeps those that no rule vetoes. The vetoes
 * are what news text needs: titles and initials before a name, Turkish ordinals, quoted
 * speech that runs on into its attribution, an omission mark "(...)". Lists of words are
 * per language and small; they are data of this module, not of the rules/ tree, because
 * they describe the languages' orthography, not any publisher. */
#include "olay/sentences.h"
#include "olay/utf8.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

void sentence_list_init(struct sentence_list *l)
{
	l->v = NULL;
	l->n = l->cap = 0;
}

void sentence_list_release(struct sentence_list *l)
{
	free(l->v);
	sentence_list_init(l);
}

static int list_add(struct sentence_list *l, size_t start, size_t end, const char *split)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct sentence_span *v = realloc(l->v, cap * sizeof(*v));
		if (!v) {
			errno = ENOMEM;
			return -1;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n].start = start;
	l->v[l->n].end = end;
	l->v[l->n].split = split;
	l->n++;
	return 0;
}

/* ---- word lists ---- */

/* Words that a period after them does not end the sentence: titles and ranks before a
 * name, and abbreviations that are nearly always followed by more of the sentence. */
static const char *const abbrev_en[] = {
	"Mr", "Mrs", "Ms", "Mx", "Dr", "Prof", "St", "Gen", "Lt", "Col", "Maj", "Capt", "Cpt",
	"Sgt", "Cpl", "Pvt", "Adm", "Cmdr", "Brig", "Gov", "Sen", "Rep", "Rev", "Hon", "Pres",
	"Sec", "Amb", "Supt", "Insp", "Messrs", "Mme", "Mlle", "Jr", "Sr", "Mt", "Ft", "No",
	"Nos", "Vol", "Art", "Fig", "vs", "cf", "approx", "ca", "Jan", "Feb", "Apr", "Jun",
	"Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "e.g", "i.e", "al", NULL};
static const char *const abbrev_tr[] = {
	"Dr", "Prof", "Doç", "Yrd", "Yard", "Av", "Op", "Uzm", "Öğr", "Gör", "Arş", "Alb", "Bnb",
	"Yzb", "Tğm", "Ütğm", "Org", "Orgn", "Korg", "Tümg", "Tuğg", "Kur", "Kd", "Sn", "Hz", "St",
	"No", "Cad", "Sok", "Mah", "Bul", "Apt", "Tel", "bkz", "örn", "Ecz", "Müh", "Mim", "Öğrt",
	"Gn", "Kom", "Bşk", "Gen", "Mr", NULL};
static const char *const abbrev_ar[] = {NULL}; /* single letters (د. م. أ.) are initials */

/* Words that attribute a quotation to its speaker: a quotation that ends a sentence and
 * is followed by one of these (within a few words) stays one unit with it. Prefixes. */
static const char *const attrib_en[] = {
	"said", "says", "say", "told", "tells", "added", "adds", "asked", "asks", "stated",
	"noted", "continued", "explained", "wrote", "writes", "declared", "insisted", "warned",
	"according", "replied", "answered", "claimed", "argued", "announced", NULL};
static const char *const attrib_tr[] = {
	"dedi", "diye", "demiş", "demişti", "diyerek", "diyen", "söyle", "ifade", "açıkla",
	"belirt", "kaydet", "vurgula", "konuş", "sordu", "yanıt", "cevap", "ekle", "sözler",
	"şeklinde", "değerlendir", "aktar", "seslen", "dile getir", NULL};
static const char *const attrib_ar[] = {
	"قال", "قالت", "يقول", "تقول", "أضاف", "اضاف", "أضافت", "اضافت", "يضيف", "تضيف", "تابع",
	"تابعت", "أكد", "اكد", "أكدت", "اكدت", "يؤكد", "أوضح", "اوضح", "أوضحت", "اوضحت",
	"مضيفا", "مضيفاً", "مضيفة", "قائلا", "قائلاً", "قائلة", "حسب", "بحسب", "وفق", "وفقا",
	"وفقاً", "صرح", "صرّح", "أشار", "اشار", "أشارت", "اشارت", "أعلن", "اعلن", "أعلنت", NULL};

#define ABBREV_MAX_BYTES 7 /* the longest entry above: approx, Messrs, Ütğm */

static const char *const *abbrevs(enum olay_lang lang)
{
	return lang == LANG_TR ? abbrev_tr : lang == LANG_AR ? abbrev_ar : abbrev_en;
}

static const char *const *attribs(enum olay_lang lang)
{
	return lang == LANG_TR ? attrib_tr : lang == LANG_AR ? attrib_ar : attrib_en;
}

/* Does s[0..n) start with prefix? ASCII letters compare without case, other bytes exactly. */
static int word_prefix(const char *s, size_t n, const char *prefix)
{
	size_t pl = strlen(prefix);
	if (pl > n)
		return 0;
	for (size_t i = 0; i < pl; i++) {
		unsigned char a = (unsigned char)s[i], b = (unsigned char)prefix[i];
		if (a < 0x80 && b < 0x80 ? (a | 0x20) != (b | 0x20) : a != b)
			return 0;
	}
	return 1;
}

static int word_eq(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && word_prefix(s, n, word);
}

/* ---- characters ---- */

static uint32_t char_at(const char *p, size_t n, size_t i, int *len)
{
	uint32_t cp;
	int l = utf8_decode(p, n, i, &cp);
	*len = l ? l : 1;
	return l ? cp : 0xFFFD;
}

/* Start of the character that ends just before i. */
static size_t char_before(const char *p, size_t i)
{
	if (i == 0)
		return 0;
	i--;
	while (i > 0 && ((unsigned char)p[i] & 0xC0) == 0x80)
		i--;
	return i;
}

/* The terminator at p[i], if any: 1 for '.', 2 for other sentence enders, 3 for an
 * ellipsis; *len its length. */
static int terminator_at(const char *p, size_t n, size_t i, int *len)
{
	unsigned char c = (unsigned char)p[i];
	*len = 1;
	if (c == '.')
		return 1;
	if (c == '!' || c == '?')
		return 2;
	if (c < 0x80)
		return 0;
	uint32_t cp = char_at(p, n, i, len);
	switch (cp) {
	case 0x061F: /* ؟ */
	case 0x06D4: /* Arabic full stop */
	case 0x203C: case 0x2047: case 0x2048: case 0x2049: case 0xFF01: case 0xFF1F:
		return 2;
	case 0x2026:
		return 3;
	}
	return 0;
}

static int is_closer(unsigned char c)
{
	return c == '"' || c == '\'' || c == ')' || c == ']';
}

static int is_arabic_letter(uint32_t cp)
{
	return (cp >= 0x620 && cp <= 0x64A) || (cp >= 0x671 && cp <= 0x6D3);
}

static int is_lower_latin(uint32_t cp)
{
	if (cp < 0x80)
		return cp >= 'a' && cp <= 'z';
	return cp < 0x250 && utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_LL;
}

static int is_letter(uint32_t cp)
{
	if (cp < 0x80)
		return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
	utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
	return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

/* ---- quotations ---- */

/* Pair the '"' of the paragraph into quotations, in order: a quote followed by a
 * non-space opens one, the next quote closes it. Cleaning made all quotes '"', so the
 * direction is lost; a stray quote before a space cannot open and is skipped.
 * closes[k] is the offset of the quote that closes the quotation opened at opens[k]. */
struct quotes {
	size_t *opens, *closes;
	size_t n;
};

static int quotes_find(const char *p, size_t n, struct quotes *q)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		count += p[i] == '"';
	q->n = 0;
	q->opens = q->closes = NULL;
	if (count < 2)
		return 0;
	q->opens = malloc(count * sizeof(size_t));
	q->closes = malloc(count * sizeof(size_t));
	if (!q->opens || !q->closes) {
		free(q->opens);
		free(q->closes);
		errno = ENOMEM;
		return -1;
	}
	size_t open = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		if (p[i] != '"')
			continue;
		int after_space = i + 1 == n || p[i + 1] == ' ';
		if (open == SIZE_MAX) {
			if (!after_space)
				open = i;
		} else {
			q->opens[q->n] = open;
			q->closes[q->n] = i;
			q->n++;
			open = SIZE_MAX;
		}
	}
	return 0;
}

/* Is offset i strictly inside a quotation (after its opening quote, before its closing)? */
static int quotes_inside(const struct quotes *q, size_t i, size_t *k)
{
	while (*k < q->n && q->closes[*k] < i)
		(*k)++;
	return *k < q->n && q->opens[*k] < i && i <= q->closes[*k];
}

/* ---- boundaries ---- */

/* The word ending at offset e (exclusive), without opening quotes or brackets. */
static size_t word_start(const char *p, size_t e)
{
	size_t s = e;
	while (s > 0 && p[s - 1] != ' ')
		s--;
	while (s < e && (p[s] == '"' || p[s] == '(' || p[s] == '[' || p[s] == '\''))
		s++;
	return s;
}

/* Words that begin sentences and hardly ever follow an initialism or an ordinal: after
 * "U.S." or "5." they mean the sentence ended there. */
static const char *const starters_en[] = {
	"The", "This", "That", "These", "Those", "It", "He", "She", "They", "We", "I", "But",
	"And", "In", "On", "At", "A", "An", "However", "Meanwhile", "Officials", "There", NULL};
static const char *const starters_tr[] = {
	"Bu", "Şu", "O", "Ancak", "Ama", "Fakat", "Ayrıca", "Öte", "Bunun", "Bununla", "Buna",
	"Daha", "Sonra", "Öte yandan", "Bakan", "Açıklamada", "Biz", "Ben", NULL};

/* Is the word after offset i (past the period, spaces and quotes) a sentence starter? */
static int starts_sentence(const char *p, size_t n, size_t i, enum olay_lang lang)
{
	const char *const *list = lang == LANG_TR ? starters_tr : lang == LANG_EN || lang == LANG_UND ? starters_en : NULL;
	if (!list)
		return 0;
	while (i < n && (p[i] == '.' || p[i] == ' ' || p[i] == '"' || p[i] == '\''))
		i++;
	size_t e = i;
	while (e < n && p[e] != ' ' && p[e] != ',')
		e++;
	for (; *list; list++) {
		size_t l = strlen(*list);
		if (l == e - i && memcmp(p + i, *list, l) == 0)
			return 1;
	}
	return 0;
}

/* A period after this word does not end a sentence. */
static int period_vetoed(const char *p, size_t n, size_t ws, size_t we, enum olay_lang lang)
{
	if (we <= ws)
		return 0;
	for (const char *const *a = abbrevs(lang); *a && we - ws <= ABBREV_MAX_BYTES; a++)
		if (word_eq(p + ws, we - ws, *a))
			return 1;
	/* an initial: one letter (J. Smith, د. محمد) */
	int l;
	uint32_t cp = char_at(p, n, ws, &l);
	if (ws + (size_t)l == we && is_letter(cp))
		return 1;
	/* an initialism with inner periods: U.S, A.Ş, e.g */
	int dots = 0, letters_ok = 1;
	for (size_t i = ws; i < we;) {
		uint32_t c = char_at(p, n, i, &l);
		if (c == '.')
			dots++;
		else if (!is_letter(c))
			letters_ok = 0;
		i += (size_t)l;
	}
	if (dots > 0 && letters_ok && we - ws <= 12)
		return !starts_sentence(p, n, we + 1, lang); /* ... in the U.S. The talks */
	/* a Turkish ordinal: 15. yüzyıl, 2. Ordu */
	if (lang == LANG_TR && we - ws <= 3) {
		size_t i = ws;
		while (i < we && p[i] >= '0' && p[i] <= '9')
			i++;
		if (i == we)
			return !starts_sentence(p, n, we + 1, lang); /* yüzde 5. Ancak */
	}
	return 0;
}

/* Does an attribution word come soon after offset i (the space after a closing quote)? */
static int attribution_follows(const char *p, size_t n, size_t i, enum olay_lang lang)
{
	size_t limit = i + (lang == LANG_AR ? 40 : 100);
	int words = 0, max_words = lang == LANG_AR ? 2 : 6;
	while (i < n && i < limit && words < max_words) {
		while (i < n && p[i] == ' ')
			i++;
		size_t s = i;
		while (i < n && p[i] != ' ')
			i++;
		size_t e = i;
		if (e == s)
			break;
		words++;
		/* the Arabic conjunctions و and ف attach to the verb: وأضاف */
		if (lang == LANG_AR && e - s > 2 && ((unsigned char)p[s] == 0xD9) &&
		    ((unsigned char)p[s + 1] == 0x88 || (unsigned char)p[s + 1] == 0x81))
			for (const char *const *a = attribs(lang); *a; a++)
				if (word_prefix(p + s + 2, e - s - 2, *a))
					return 1;
		for (const char *const *a = attribs(lang); *a; a++)
			if (word_prefix(p + s, e - s, *a))
				return 1;
		/* the word ends the tail: a sentence end */
		int tl;
		if (terminator_at(p, n, char_before(p, e), &tl))
			break;
	}
	return 0;
}

/* The first character of the next word at or after i, skipping opening quotes/brackets. */
static uint32_t next_word_char(const char *p, size_t n, size_t i)
{
	while (i < n && (p[i] == ' ' || p[i] == '"' || p[i] == '(' || p[i] == '[' || p[i] == '\''))
		i++;
	if (i >= n)
		return 0;
	int l;
	return char_at(p, n, i, &l);
}

/* ---- cutting long sentences ---- */

static const char split_quote[] = "max-sentence: cut at a sentence end inside a quotation";
static const char split_comma[] = "max-sentence: cut after a comma";
static const char split_space[] = "max-sentence: cut at a space";
static const char split_char[] = "max-sentence: cut inside a word (no space within the limit)";
static const char split_rest[] = "max-sentence: rest of a cut sentence";

/* How good a cut at the space p[s] is: 3 after a sentence end, 2 after a comma, 1 else. */
static int cut_rank(const char *p, size_t n, size_t s)
{
	size_t e = s;
	while (e > 0 && is_closer((unsigned char)p[e - 1]))
		e--;
	if (e == 0)
		return 1;
	size_t c = char_before(p, e);
	int tl;
	if (terminator_at(p, n, c, &tl))
		return 3;
	unsigned char b = (unsigned char)p[e - 1];
	if (b == ',' || b == ';' || b == ':')
		return 2;
	if (e >= 2 && (unsigned char)p[e - 2] == 0xD8 && (b == 0x8C || b == 0x9B)) /* ، ؛ */
		return 2;
	return 1;
}

static int add_unit(struct sentence_list *out, const char *p, size_t n, size_t a, size_t b,
		    size_t max)
{
	int cut = 0;
	while (max && b - a > max) {
		size_t lo = a + max / 4, hi = a + max, best = 0;
		int best_rank = 0;
		for (size_t s = hi; s > lo; s--) {
			if (p[s] != ' ')
				continue;
			int r = cut_rank(p, n, s);
			if (r > best_rank) {
				best_rank = r;
				best = s;
				if (r == 3)
					break;
			}
		}
		if (best_rank == 0) /* no space in the window: any space, else a character */
			for (size_t s = lo; s > a; s--)
				if (p[s] == ' ') {
					best = s;
					best_rank = 1;
					break;
				}
		const char *why = best_rank == 3 ? split_quote : best_rank == 2 ? split_comma : split_space;
		size_t next;
		if (best_rank == 0) {
			best = hi;
			while (best > a + 1 && ((unsigned char)p[best] & 0xC0) == 0x80)
				best--;
			why = split_char;
			next = best;
		} else {
			next = best + 1;
		}
		if (list_add(out, a, best, why) < 0)
			return -1;
		a = next;
		cut = 1;
	}
	return list_add(out, a, b, cut ? split_rest : NULL);
}

static int has_words(const char *p, size_t n, const struct sentence_span *sp)
{
	for (size_t i = sp->start; i < sp->end;) {
		int l;
		uint32_t cp = char_at(p, n, i, &l);
		if (is_letter(cp) || (cp >= '0' && cp <= '9'))
			return 1;
		i += (size_t)l;
	}
	return 0;
}

/* A piece without a letter or digit (a stray quote after a quotation, "...") is no
 * sentence: it joins the one before it, or the one after it at the start. */
static void merge_wordless(struct sentence_list *out, size_t first, const char *p, size_t n)
{
	size_t w = first;
	for (size_t r = first; r < out->n; r++) {
		struct sentence_span sp = out->v[r];
		if (w > first && !sp.split && !out->v[w - 1].split && !has_words(p, n, &sp)) {
			out->v[w - 1].end = sp.end;
			continue;
		}
		out->v[w++] = sp;
	}
	struct sentence_span *a = &out->v[first];
	if (w - first >= 2 && !a->split && !a[1].split && !has_words(p, n, a)) {
		a[1].start = a->start;
		memmove(a, a + 1, (w - first - 1) * sizeof(*a));
		w--;
	}
	out->n = w;
}

static const unsigned char may_end[256] = {
	['.'] = 1, ['!'] = 1, ['?'] = 1, [0xD8] = 1, [0xDB] = 1, [0xE2] = 1, [0xEF] = 1,
};

int sentences_split(const char *p, size_t n, const struct sentence_opts *opts,
		    struct sentence_list *out)
{
	enum olay_lang lang = opts->lang;
	while (n > 0 && p[n - 1] == ' ')
		n--;
	size_t i = 0;
	while (i < n && p[i] == ' ')
		i++;
	if (i >= n)
		return 0;
	if (opts->whole)
		return add_unit(out, p, n, i, n, opts->max_bytes);

	struct quotes q;
	if (quotes_find(p, n, &q) < 0)
		return -1;
	size_t qk = 0, start = i, first = out->n;
	int rc = 0;
	while (i < n) {
		/* only these bytes start a terminator: . ! ? and the lead bytes of ؟ ۔ … ‼ ！ */
		if (!may_end[(unsigned char)p[i]]) {
			i++;
			continue;
		}
		int tl, kind = terminator_at(p, n, i, &tl);
		if (!kind) {
			i += (unsigned char)p[i] < 0x80 ? 1 : (size_t)tl;
			continue;
		}
		size_t t = i, j = i;
		int period_only = kind == 1, ellipsis = kind == 3, dots = 0;
		while (j < n && (kind = terminator_at(p, n, j, &tl)) != 0) {
			if (kind != 1)
				period_only = 0;
			else
				dots++;
			if (kind == 3)
				ellipsis = 1;
			j += (size_t)tl;
		}
		if (dots >= 3)
			ellipsis = 1, period_only = 0;
		size_t k = j;
		int closed_quote = t > 0 && p[t - 1] == '"'; /* "...". قال */
		while (k < n && is_closer((unsigned char)p[k])) {
			if (p[k] == '"')
				closed_quote = 1;
			k++;
		}
		i = k;
		int boundary = 1;
		uint32_t next = next_word_char(p, n, k);
		if (k < n && p[k] != ' ') {
			/* no space: only Arabic run together (سوريا.وقال) ends a sentence */
			int l1, l2;
			uint32_t before = char_at(p, n, char_before(p, t), &l1);
			uint32_t after = char_at(p, n, k, &l2);
			boundary = closed_quote == 0 && is_arabic_letter(before) && is_arabic_letter(after);
		} else if (k >= n) {
			boundary = 1;
		} else if (quotes_inside(&q, k, &qk)) {
			boundary = 0;
		} else if (is_lower_latin(next)) {
			boundary = 0;
		} else if (period_only && dots == 1 &&
			   period_vetoed(p, n, word_start(p, t), t, lang)) {
			boundary = 0;
		} else if (ellipsis && t > 0 && (p[t - 1] == '(' || p[t - 1] == '[')) {
			boundary = 0; /* an omission mark (...) */
		} else if (closed_quote && attribution_follows(p, n, k, lang)) {
			boundary = 0;
		}
		if (!boundary || k >= n)
			continue;
		if (add_unit(out, p, n, start, k, opts->max_bytes) < 0) {
			rc = -1;
			goto done;
		}
		start = k;
		while (start < n && p[start] == ' ')
			start++;
		i = start;
	}
	if (start < n)
		rc = add_unit(out, p, n, start, n, opts->max_bytes);
	if (rc == 0)
		merge_wordless(out, first, p, n);
done:
	free(q.opens);
	free(q.closes);
	return rc;
}
