/* actors.c: tokens, the name dictionaries, morphology per language, and the combination
 * of agents with countries and people. docs/ENGINE.md explains the choices. */
#include "olay/actors.h"
#include "olay/buf.h"
#include "olay/text.h"
#include "olay/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* strcmp(a, b) == 0, with the first bytes compared inline: the marks and types asked
 * about ("nom", "gen", "loc", a preposition, ...) mostly differ there. */
static inline int streq(const char *a, const char *b)
{
	return a[0] == b[0] && (a[0] == '\0' || strcmp(a + 1, b + 1) == 0);
}

/* --- tokens ---------------------------------------------------------------------------- */

/* Length of the punctuation character at s[i], or 0. The apostrophe and the hyphen are
 * parts of words (`rusya'yla`, `didn't`, `al-assad`) unless a word starts with them. */
static inline int punct_len(const char *s, size_t n, size_t i, int inner)
{
	static const unsigned char ascii_punct[128] = {
		['"'] = 1, ['('] = 1, [')'] = 1, ['['] = 1, [']'] = 1, ['{'] = 1, ['}'] = 1,
		[','] = 1, ['.'] = 1, [';'] = 1, [':'] = 1, ['!'] = 1, ['?'] = 1, ['\''] = 2,
	};
	unsigned char c = (unsigned char)s[i];
	if (c < 0x80)
		return ascii_punct[c] == 1 || (ascii_punct[c] == 2 && !inner);
	if (i + 1 < n && c == 0xD8 &&
	    ((unsigned char)s[i + 1] == 0x8C || (unsigned char)s[i + 1] == 0x9B ||
	     (unsigned char)s[i + 1] == 0x9F))
		return 2; /* ، ؛ ؟ */
	if (i + 1 < n && c == 0xC2 && ((unsigned char)s[i + 1] == 0xAB || (unsigned char)s[i + 1] == 0xBB))
		return 2; /* « » */
	if (i + 2 < n && c == 0xE2 && (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0xA6)
		return 3; /* … */
	return 0;
}

static int push_tok(struct token **toks, size_t *cap, size_t nt, size_t ks, size_t ke)
{
	if (nt == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		struct token *t = realloc(*toks, c * sizeof(*t));
		if (!t)
			return -1;
		*toks = t;
		*cap = c;
	}
	(*toks)[nt].ks = (uint32_t)ks;
	(*toks)[nt].ke = (uint32_t)ke;
	return 0;
}

int tokenize(const char *key, size_t n, struct token **toks, size_t *cap)
{
	size_t nt = 0, i = 0;
	while (i < n) {
		while (i < n && key[i] == ' ')
			i++;
		if (i >= n)
			break;
		size_t s = i;
		while (i < n && key[i] != ' ')
			i++;
		size_t e = i;
		/* leading punctuation, one token each */
		int pl;
		while (s < e && (pl = punct_len(key, e, s, 0)) > 0) {
			if (push_tok(toks, cap, nt++, s, s + (size_t)pl))
				return -1;
			s += (size_t)pl;
		}
		/* trailing punctuation: find where it starts */
		size_t tail = e;
		for (;;) {
			size_t p = tail;
			if (p <= s)
				break;
			/* step back one character */
			size_t q = p - 1;
			while (q > s && ((unsigned char)key[q] & 0xC0) == 0x80)
				q--;
			int l = punct_len(key, e, q, 0);
			if (l <= 0 || q + (size_t)l != p)
				break;
			tail = q;
		}
		/* an ordinal inside the sentence (`19. yaptırım paketi`) is one word, not a number
		 * and a sentence end */
		if (e - tail == 1 && key[tail] == '.' && tail > s && tail - s <= 3) {
			size_t d = s, more = e;
			while (d < tail && key[d] >= '0' && key[d] <= '9')
				d++;
			while (more < n && key[more] == ' ')
				more++;
			if (d == tail && more < n)
				tail = e;
		}
		if (tail > s && push_tok(toks, cap, nt++, s, tail))
			return -1;
		while (tail < e) {
			int l = punct_len(key, e, tail, 0);
			if (l <= 0)
				l = 1;
			if (push_tok(toks, cap, nt++, tail, tail + (size_t)l))
				return -1;
			tail += (size_t)l;
		}
	}
	return (int)nt;
}

static enum olay_lang text_lang(int l)
{
	return l == RL_TR ? LANG_TR : l == RL_AR ? LANG_AR : LANG_EN;
}

int rule_key(int l, const char *s, size_t n, char **out, size_t *outlen)
{
	char *key;
	size_t kn;
	if (text_key(text_lang(l), s, n, 0, &key, &kn, NULL))
		return -1;
	if (l != RL_TR) {
		*out = key;
		*outlen = kn;
		return 0;
	}
	int rc = text_fold_tr(key, kn, NULL, out, outlen, NULL);
	free(key);
	return rc;
}

size_t view_orig(const struct sentence_view *sv, size_t k)
{
	if (!sv->map || sv->nmap == 0)
		return k;
	size_t lo = 0, hi = sv->nmap;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (sv->map[2 * mid] <= k)
			lo = mid;
		else
			hi = mid;
	}
	if (sv->map[2 * lo] > k)
		return sv->map[1];
	return sv->map[2 * lo + 1] + (k - sv->map[2 * lo]);
}

static int is_upper_at(const char *s, size_t n, size_t i)
{
	uint32_t cp;
	if (i >= n || utf8_decode(s, n, i, &cp) == 0)
		return 0;
	utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
	return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

static int starts_upper(const char *s)
{
	return is_upper_at(s, strlen(s), 0);
}

/* A short name written all in capitals, two or three letters (WHO, US, AB): an ordinary
 * word when written otherwise (`who`, `us`, `ab`). */
static int all_upper(const char *s)
{
	size_t n = strlen(s), i = 0;
	int letters = 0;
	while (i < n) {
		uint32_t cp;
		size_t l = utf8_decode(s, n, i, &cp);
		if (!l)
			return 0;
		utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
		if (c == UTF8PROC_CATEGORY_LL)
			return 0;
		letters += c == UTF8PROC_CATEGORY_LU;
		i += l;
	}
	return letters >= 2 && letters <= 3; /* not `Nato`, `Deaş`: longer ones are written so too */
}

/* Whether the document text of key span [ks, ke) has no lower-case letter. */
static int upper_span(const struct sentence_view *sv, size_t ks, size_t ke)
{
	for (size_t k = ks; k < ke;) {
		size_t o = view_orig(sv, k);
		uint32_t cp;
		if (o < sv->doclen && utf8_decode(sv->doc, sv->doclen, o, &cp) &&
		    utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_LL)
			return 0;
		k++;
		while (k < ke && ((unsigned char)sv->key[k] & 0xC0) == 0x80)
			k++;
	}
	return 1;
}

/* --- lexicon --------------------------------------------------------------------------- */

static int add_name(struct lexicon *lx, int l, const struct rl_str *name, int kind,
		    uint32_t index, const char *file, struct diags *d)
{
	char *key;
	size_t kn;
	if (rule_key(l, name->s, strlen(name->s), &key, &kn))
		return -1;
	if (kn == 0) {
		diags_add(d, file, name->line, name->col, "name '%s' is empty as a match key", name->s);
		free(key);
		return 0;
	}
	struct name_entry *e = realloc(lx->entries, (lx->nentries + 1) * sizeof(*e));
	if (!e) {
		free(key);
		return -1;
	}
	lx->entries = e;
	e = &lx->entries[lx->nentries];
	e->kind = (uint8_t)kind;
	e->cap = l != RL_AR && starts_upper(name->s) ? 1 + all_upper(name->s) : 0;
	e->index = index;
	int rc = dict_add(&lx->names[l], key, kn, (uint32_t)lx->nentries);
	lx->nentries++;
	free(key);
	return rc;
}

/* Arabic nisba adjectives: the bare form plus the forms the engine adds: feminine and
 * plural (ة, ية, ون, ين), the accusative (فلسطينيا, without ال) and the duals (إسرائيليان,
 * لبنانيتان, لبنانيتين). After a final ya the suffixes that repeat it are left out. */
static int add_nisba(struct lexicon *lx, const struct rl_str *adj, uint32_t index,
		     const char *file, struct diags *d)
{
	static const char *pre[] = {"", "ال"};
	static const struct { const char *s; int after_ya, with_al; } suf[] = {
		{"", 1, 1},   {"ة", 1, 1},   {"ية", 0, 1},   {"ون", 1, 1},   {"ين", 1, 1},	 {"يون", 0, 1},
		{"يين", 0, 1}, {"ا", 1, 0},   {"يا", 0, 0},   {"ان", 1, 1},   {"يان", 0, 1},	 {"تان", 1, 1},
		{"تين", 1, 1}, {"يتان", 0, 1}, {"يتين", 0, 1},
	};
	size_t n = strlen(adj->s);
	int ends_ya = n >= 2 && memcmp(adj->s + n - 2, "ي", 2) == 0;
	for (size_t p = 0; p < 2; p++)
		for (size_t s = 0; s < sizeof suf / sizeof suf[0]; s++) {
			if (ends_ya && !suf[s].after_ya)
				continue; /* تركي + ية would double the ya */
			if (p == 1 && (!suf[s].with_al || strncmp(adj->s, "ال", strlen("ال")) == 0))
				continue;
			char buf[512];
			snprintf(buf, sizeof buf, "%s%s%s", pre[p], adj->s, suf[s].s);
			struct rl_str v = *adj;
			v.s = buf;
			if (add_name(lx, RL_AR, &v, NK_ADJ, index, file, d))
				return -1;
		}
	return 0;
}

static const char *const marker_words[RL_NLANG][16] = {
	{"ile", "tarafından", NULL},
	{"مع", "من", "إلى", "على", "ضد", "عن", "في", "لدى", NULL},
	{"with", "to", "by", "against", "from", "on", "of", "at", "in", "between", NULL},
};

/* Nouns a demonym before (tr, en) or after (ar) them does not make a party: topics and
 * frontiers (`the Syrian conflict`, `Syrian border`, `النزاع السوري`, `Rus ekonomisi`).
 * `Russian jets`, `a Russian city` (attacked), `Syrian territory` (violated) stay parties.
 * Turkish entries are stems (the case and possessive follow); Arabic ones are matched
 * with the proclitics of the word stripped. */
static const char *const nonparty_words[RL_NLANG][64] = {
	{"sorun", "kriz", "catisma", "mesele", "dosya", "sinir", "ekonomi", "lira",
	 "devrim", "anayasa", "secim", "cozum", "sorunu", NULL},
	{"النزاع", "نزاع", "الصراع", "صراع", "الأزمة", "أزمة", "الحرب", "حرب", "القضية", "قضية",
	 "الملف", "ملف", "الشأن", "الوضع", "الأوضاع", "الحدود", "حدود", "الثورة", "ثورة",
	 "الاقتصاد", "اقتصاد", "الليرة", "الحل", "حل", "التسوية", "الانتخابات", "الدستور",
	 "المسألة", "مسألة", "العملية السياسية", NULL},
	{"conflict", "conflicts", "crisis", "war", "issue", "issues", "question", "file", "dossier",
	 "situation", "border", "borders", "frontier", "revolution", "economy", "lira", "rouble",
	 "ruble", "currency", "settlement", "solution", "elections", "election", "constitution",
	 "problem", "problems", "question", "case", "language", "peace process", NULL},
};

/* Words that make a name the topic of what is said, not a party: before it (ar, en:
 * `حول سوريا`, `بشأن روسيا`, `about Syria`) or after it (tr: `Suriye konusunda`,
 * `Suriye'ye ilişkin`). Not `hakkında` (`İsrail hakkında soruşturma` targets Israel) nor
 * `over` (`flew over Greece's islands`). */
static const char *const topic_words[RL_NLANG][16] = {
	{"konusunda", "konusundaki", "konusunu", "konusuna", "iliskin", "dair",
	 "meselesinde", "meselesini", "dosyasinda", NULL},
	{"حول", "بشأن", "بخصوص", "حيال", "إزاء", "وحول", "وبشأن", NULL},
	{"about", "regarding", "concerning", NULL},
};

/* Words that make a name part of a place phrase: ar, en: before it, after a locative
 * (`في جنوب لبنان`, `بمطار القاهرة`, `in northern Syria`, `inside Syria`); tr: after a
 * nominative or genitive name, in the locative or ablative (`Suriye'nin kuzeyinde`),
 * stems. Not a border (`Ukrayna sınırında yığınak` is aimed at Ukraine). */
static const char *const area_words[RL_NLANG][48] = {
	{"kuzey", "guney", "dogu", "bati", "topraklar", "bolge", "icinde", "icindeki",
	 "kirsal", "baskent", "sehr", "kent", NULL},
	{"شمال", "جنوب", "شرق", "غرب", "وسط", "شمالي", "جنوبي", "شرقي", "غربي", "مطار", "مدينة",
	 "ريف", "محافظة", "منطقة", "عاصمة", "العاصمة", "أراضي", "الأراضي", "داخل", "حدود",
	 "شمال شرق", "شمال غرب", "جنوب شرق", "جنوب غرب", "شمالى", "جنوبى", "أنحاء", NULL},
	{"northern", "southern", "eastern", "western", "central", "northeastern", "northwestern",
	 "southeastern", "southwestern", "north", "south", "east", "west", "northeast", "northwest",
	 "southeast", "southwest", "inside", "across", "throughout", "war-torn", "neighbouring",
	 "neighboring", NULL},
};

/* The match keys of a NULL-ended word list, into out (as long as the list). 0 or -1. */
static int key_words(int l, const char *const *words, char **out)
{
	for (int m = 0; words[m]; m++) {
		size_t kn;
		if (rule_key(l, words[m], strlen(words[m]), &out[m], &kn))
			return -1;
	}
	return 0;
}

int lexicon_build(struct lexicon *lx, const struct ruleset *rs, struct diags *d)
{
	memset(lx, 0, sizeof(*lx));
	lx->rs = rs;
	for (int l = 0; l < RL_NLANG; l++)
		if (dict_init(&lx->names[l]))
			return -1;
	for (int l = 0; l < RL_NLANG; l++) {
		for (size_t i = 0; i < rs->nactors; i++) {
			const struct rl_actor *a = &rs->actors[i];
			for (size_t j = 0; j < a->names[l].n; j++)
				if (add_name(lx, l, &a->names[l].v[j], NK_ACTOR, (uint32_t)i, a->file, d))
					return -1;
			for (size_t j = 0; j < a->seat[l].n; j++)
				if (add_name(lx, l, &a->seat[l].v[j], NK_SEAT, (uint32_t)i, a->file, d))
					return -1;
			for (size_t j = 0; j < a->adj[l].n; j++)
				if (l == RL_AR ? add_nisba(lx, &a->adj[l].v[j], (uint32_t)i, a->file, d)
					       : add_name(lx, l, &a->adj[l].v[j], NK_ADJ, (uint32_t)i, a->file, d))
					return -1;
		}
		for (size_t i = 0; i < rs->nagents; i++)
			for (size_t j = 0; j < rs->agents[i].names[l].n; j++)
				if (add_name(lx, l, &rs->agents[i].names[l].v[j], NK_AGENT, (uint32_t)i,
					     rs->agents[i].file, d))
					return -1;
		for (size_t i = 0; i < rs->nplaces; i++)
			for (size_t j = 0; j < rs->places[i].names[l].n; j++)
				if (add_name(lx, l, &rs->places[i].names[l].v[j], NK_PLACE, (uint32_t)i,
					     rs->places[i].file, d))
					return -1;
		if (key_words(l, marker_words[l], lx->markers[l]) ||
		    key_words(l, nonparty_words[l], lx->nonparty[l]) ||
		    key_words(l, topic_words[l], lx->topic[l]) || key_words(l, area_words[l], lx->area[l]))
			return -1;
		static const char *conj[RL_NLANG] = {"ve", "و", "and"};
		snprintf(lx->conj[l], sizeof lx->conj[l], "%s", conj[l]);
	}
	/* the names are in: the compact read-only trie the tagger walks */
	for (int l = 0; l < RL_NLANG; l++)
		if (dict_freeze(&lx->names[l]))
			return -1;
	lx->counterpart_agents = calloc(rs->nagents + 1, sizeof(int));
	if (!lx->counterpart_agents)
		return -1;
	for (size_t i = 0; i < rs->nagents; i++)
		lx->counterpart_agents[i] = streq(rs->agents[i].role, "COUNTERPART");
	return 0;
}

void lexicon_release(struct lexicon *lx)
{
	for (int l = 0; l < RL_NLANG; l++) {
		dict_release(&lx->names[l]);
		for (int m = 0; m < 16; m++)
			free(lx->markers[l][m]);
		for (int m = 0; m < 64; m++)
			free(lx->nonparty[l][m]);
		for (int m = 0; m < 16; m++)
			free(lx->topic[l][m]);
		for (int m = 0; m < 48; m++)
			free(lx->area[l][m]);
	}
	free(lx->entries);
	free(lx->counterpart_agents);
	memset(lx, 0, sizeof(*lx));
}

/* --- morphology ------------------------------------------------------------------------ */

static inline int has(const char *s, size_t n, const char *w)
{
	/* the first byte first: most words asked about are not the one at hand */
	return w[0] == (n ? s[0] : '\0') && strlen(w) == n && memcmp(s, w, n) == 0;
}

/* A suffix and its length: the tables below are read for every name with a suffix. */
struct sfx {
	const char *s;
	size_t n;
};
#define SFX(x) {x, sizeof(x) - 1}

static int eat(const char **s, size_t *n, const struct sfx *alts)
{
	for (size_t i = 0; alts[i].s; i++) {
		size_t l = alts[i].n;
		if (l <= *n && memcmp(*s, alts[i].s, l) == 0) {
			*s += l;
			*n -= l;
			return 1;
		}
	}
	return 0;
}

/* The case a Turkish suffix (ASCII-folded, after the name) marks: plural, possessive, then
 * case, each optional, and the whole suffix must be read. NULL when it is not a suffix (a
 * different word that starts with the name). `-li` (ABD'li) makes an adjective. */
static const char *tr_suffix_case(const char *s, size_t n, int prefer_poss, int *poss1pl)
{
	static const struct sfx plural[] = {SFX("lar"), SFX("ler"), {NULL, 0}};
	static const struct sfx poss1[] = {SFX("imiz"), SFX("umuz"), SFX("miz"), SFX("muz"), {NULL, 0}};
	static const struct sfx poss[] = {SFX("iniz"), SFX("unuz"), SFX("niz"), SFX("nuz"), SFX("leri"),
					  SFX("lari"), SFX("si"), SFX("su"), SFX("i"), SFX("u"), {NULL, 0}};
	static const struct { struct sfx suf; const char *mark; } cases[] = {
		{SFX(""), "nom"}, {SFX("ndaki"), "loc"}, {SFX("ndeki"), "loc"}, {SFX("daki"), "loc"}, {SFX("deki"), "loc"},
		{SFX("taki"), "loc"}, {SFX("teki"), "loc"}, {SFX("ndan"), "abl"}, {SFX("nden"), "abl"}, {SFX("dan"), "abl"},
		{SFX("den"), "abl"}, {SFX("tan"), "abl"}, {SFX("ten"), "abl"}, {SFX("nda"), "loc"}, {SFX("nde"), "loc"},
		{SFX("da"), "loc"}, {SFX("de"), "loc"}, {SFX("ta"), "loc"}, {SFX("te"), "loc"}, {SFX("nin"), "gen"},
		{SFX("nun"), "gen"}, {SFX("in"), "gen"}, {SFX("un"), "gen"}, {SFX("yla"), "ile"}, {SFX("yle"), "ile"},
		{SFX("la"), "ile"}, {SFX("le"), "ile"}, {SFX("ya"), "dat"}, {SFX("ye"), "dat"}, {SFX("na"), "dat"},
		{SFX("ne"), "dat"}, {SFX("a"), "dat"}, {SFX("e"), "dat"}, {SFX("yi"), "acc"}, {SFX("yu"), "acc"},
		{SFX("ni"), "acc"}, {SFX("nu"), "acc"}, {SFX("i"), "acc"}, {SFX("u"), "acc"}, {SFX("dir"), "nom"},
		{SFX("dur"), "nom"}, {SFX("tir"), "nom"}, {SFX("tur"), "nom"}, {SFX("li"), "adj"}, {SFX("lu"), "adj"},
		{SFX("liler"), "adj"}, {SFX("lular"), "adj"}, {SFX("lilar"), "adj"}, {SFX("ca"), "nom"}, {SFX("ce"), "nom"},
		/* a -li word as a person: `Filistinliyi`, `ABD'lilere`, `İsraillilerin` */
		{SFX("liyi"), "acc"}, {SFX("luyu"), "acc"}, {SFX("lileri"), "acc"}, {SFX("lulari"), "acc"}, {SFX("liye"), "dat"},
		{SFX("luya"), "dat"}, {SFX("lilere"), "dat"}, {SFX("lulara"), "dat"}, {SFX("linin"), "gen"}, {SFX("lunun"), "gen"},
		{SFX("lilerin"), "gen"}, {SFX("lularin"), "gen"}, {SFX("liden"), "abl"}, {SFX("lilerden"), "abl"},
	};
	*poss1pl = 0;
	if (n && *s == '\'') {
		s++;
		n--;
	}
	/* every reading (plural? possessive? case) that consumes the whole suffix; a lone -i
	 * is possessive after an agent stem (`mevkidaşı`) and accusative after a name */
	const char *best = NULL;
	int best_score = -1;
	for (int use_pl = 0; use_pl < 2; use_pl++)
		for (int use_poss = 0; use_poss < 3; use_poss++) {
			const char *p = s;
			size_t m = n;
			if (use_pl && !eat(&p, &m, plural))
				continue;
			if (use_poss == 1 && !eat(&p, &m, poss1))
				continue;
			if (use_poss == 2 && !eat(&p, &m, poss))
				continue;
			for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
				if (m == cases[c].suf.n && memcmp(p, cases[c].suf.s, m) == 0) {
					int score = (use_poss != 0) == (prefer_poss != 0) ? 2 : 1;
					if (score > best_score) {
						best_score = score;
						best = cases[c].mark;
						*poss1pl = use_poss == 1;
					}
					break;
				}
		}
	return best;
}

/* Arabic pronoun suffixes an agent may carry (`نظيره`, `جيشنا`). */
static int ar_suffix(const char *s, size_t n, int *poss1pl)
{
	static const char *const sufs[] = {"ه", "ها", "هم", "هما", "هن", "كم", "كما", "نا", "ي", "يه", NULL};
	*poss1pl = has(s, n, "نا");
	for (size_t i = 0; sufs[i]; i++)
		if (has(s, n, sufs[i]))
			return 1;
	return 0;
}

/* Proclitic chains in front of an Arabic word: [و ف]? [ب ل ك]?; offsets of the stem. */
static int ar_proclitics(const char *s, size_t n, size_t *offs, char *conj, const char **mark)
{
	int k = 0;
	size_t i = 0;
	offs[k] = 0, conj[k] = 0, mark[k] = NULL;
	k++;
	char c = 0;
	if (n >= 4 && (memcmp(s, "و", 2) == 0 || memcmp(s, "ف", 2) == 0)) {
		c = memcmp(s, "و", 2) == 0 ? 'w' : 0;
		i = 2;
		offs[k] = i, conj[k] = c, mark[k] = NULL;
		k++;
	}
	if (n >= i + 4) {
		const char *m = NULL;
		if (memcmp(s + i, "ب", 2) == 0)
			m = "ب";
		else if (memcmp(s + i, "ل", 2) == 0)
			m = "ل";
		else if (memcmp(s + i, "ك", 2) == 0)
			m = "nom";
		if (m) {
			offs[k] = i + 2, conj[k] = c, mark[k] = m;
			k++;
		}
	}
	return k;
}

/* --- tagging --------------------------------------------------------------------------- */

struct item {
	int kind, index, first, last;
	int place_alt; /* a place of the same name, for a seat in the locative */
	uint32_t ks, ke;
	const char *mark;
	char conj;
	int poss1pl;
};

static inline int tok_is(const struct sentence_view *sv, const struct token *t, const char *w)
{
	return w && has(sv->key + t->ks, t->ke - t->ks, w);
}

static int kind_rank(int kind, int loc)
{
	if (loc && kind == NK_PLACE)
		return -1;
	static const int rank[] = {[NK_ACTOR] = 0, [NK_SEAT] = 1, [NK_AGENT] = 2, [NK_ADJ] = 3, [NK_PLACE] = 4};
	return rank[kind];
}

/* Pick the best entry among a dictionary node's values for a match at key offset ks. */
static int pick_entry(const struct lexicon *lx, int l, const struct sentence_view *sv,
		      int32_t head, size_t ks, size_t ke, int loc, int *place_alt)
{
	const struct dict *dc = &lx->names[l];
	int best = -1, best_rank = 100;
	int upper = -1, caps = -1;
	*place_alt = -1;
	for (int32_t v = head; v >= 0; v = dc->vals[v].next) {
		const struct name_entry *e = &lx->entries[dc->vals[v].value];
		if (e->kind == NK_PLACE && *place_alt < 0)
			*place_alt = (int)e->index;
		if (e->cap) {
			if (upper < 0)
				upper = is_upper_at(sv->doc, sv->doclen, view_orig(sv, ks));
			if (!upper)
				continue;
			if (e->cap == 2) {
				if (caps < 0)
					caps = upper_span(sv, ks, ke);
				if (!caps)
					continue;
			}
		}
		int r = kind_rank(e->kind, loc);
		if (r < best_rank) {
			best_rank = r;
			best = (int)dc->vals[v].value;
		}
	}
	return best;
}

/* English words that may stand between a preposition and the name it marks, inside one
 * noun phrase: determiners, possessive pronouns and adjectives the dictionary does not
 * know (`with the visiting Iraqi PM`, `by its Western partners`). */
static const char *const en_np_words[] = {
	"the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "this",
	"these", "those", "both", "visiting", "new", "top", "senior", "outgoing", "incoming",
	"acting", "interim", "fellow", "former", "then", "late", "current", "newly", "elected",
	"western", "eastern", "northern", "southern", "central", "war-torn", "neighbouring",
	"neighboring", "allied", "rival", "regional", "local", "so-called", "self-declared",
	"breakaway", "embattled", "besieged", "key", "close", "foreign", "top-level",
	"high-level", "two", "three", "several", "some", "other", "all", NULL,
};

/* The preposition in front of the noun phrase item k heads, or NULL: back over the words
 * above and over adjectives and genitives of the phrase (`his Russian`, `Russia's`), at
 * most six tokens. origs[] are the items' marks from their suffixes. */
static const char *en_np_marker(const struct lexicon *lx, const struct sentence_view *sv,
				const struct token *toks, const struct item *items,
				const char *const *origs, size_t k)
{
	int p = items[k].first - 1;
	size_t j = k;
	for (int steps = 0; p >= 0 && steps < 6; steps++) {
		while (j > 0 && items[j - 1].first > p)
			j--;
		if (j > 0 && items[j - 1].last == p) {
			/* an adjective (`Russian`) or a genitive (`Russia's`) in the phrase */
			const struct item *pv = &items[j - 1];
			if (pv->conj || !(streq(origs[j - 1], "gen") ||
					  (pv->kind == NK_ADJ && streq(origs[j - 1], "nom"))))
				return NULL;
			p = pv->first - 1;
			continue;
		}
		for (int m = 0; lx->markers[RL_EN][m]; m++)
			if (tok_is(sv, &toks[p], lx->markers[RL_EN][m]))
				return lx->markers[RL_EN][m];
		int np = 0;
		for (int w = 0; en_np_words[w] && !np; w++)
			np = tok_is(sv, &toks[p], en_np_words[w]);
		if (!np)
			return NULL;
		p--;
	}
	return NULL;
}

static int find_items(const struct lexicon *lx, const struct sentence_view *sv,
		      struct tagging *tg, struct item **items, size_t *nitems, size_t *icap)
{
	int l = sv->lang;
	const struct token *toks = tg->toks;
	size_t nt = tg->ntoks;
	*nitems = 0;
	for (size_t i = 0; i < nt;) {
		size_t offs[3];
		char conjs[3];
		const char *marks[3];
		int noffs = 1;
		offs[0] = 0, conjs[0] = 0, marks[0] = NULL;
		if (l == RL_AR)
			noffs = ar_proclitics(sv->key + toks[i].ks, toks[i].ke - toks[i].ks, offs, conjs, marks);
		struct item best;
		int found = 0;
		size_t best_len = 0;
		for (int o = 0; o < noffs; o++) {
			size_t ks = toks[i].ks + offs[o];
			struct dict_hit hits[32];
			/* `للكرملين`, `للجيش`: ل before ال drops the alef; walk with it put back */
			static __thread struct buf alef;
			size_t restored = 0;
			const char *walk = sv->key + ks;
			size_t walkn = sv->keylen - ks;
			if (l == RL_AR && marks[o] && streq(marks[o], "ل") && walkn > 2 &&
			    memcmp(walk, "ل", 2) == 0) {
				buf_reset(&alef);
				if (walkn > lx->names[l].maxlen)
					walkn = lx->names[l].maxlen; /* no name is longer */
				if (buf_add(&alef, "ا", 2) || buf_add(&alef, walk, walkn))
					return -1;
				walk = alef.p;
				walkn = alef.len;
				restored = 2;
			}
			size_t nh = dict_prefixes(&lx->names[l], walk, walkn, hits, 32);
			for (size_t h = nh; h-- > 0;) {
				if (hits[h].len <= restored)
					continue; /* only the alef put back */
				size_t ke = ks + hits[h].len - restored;
				if (found && hits[h].len - restored <= best_len)
					break;
				/* the token the match ends in */
				size_t j = i;
				while (j < nt && toks[j].ke < ke)
					j++;
				if (j >= nt || toks[j].ks >= ke)
					continue; /* ends in white space between tokens: impossible, keys are tokens */
				const char *mark = marks[o] ? marks[o] : "nom";
				int poss1pl = 0;
				if (ke < toks[j].ke) {
					/* the name ends inside a word: only a suffix of the language may follow */
					const char *suf = sv->key + ke;
					size_t sn = toks[j].ke - ke;
					int32_t v0 = hits[h].head;
					int is_agent = lx->entries[lx->names[l].vals[v0].value].kind == NK_AGENT;
					if (l == RL_TR) {
						const char *m = tr_suffix_case(suf, sn, is_agent, &poss1pl);
						if (!m)
							continue;
						mark = m;
					} else if (l == RL_EN) {
						if (!has(suf, sn, "'s") && !has(suf, sn, "'"))
							continue;
						mark = "gen";
					} else {
						if (!ar_suffix(suf, sn, &poss1pl))
							continue;
					}
				}
				int loc = streq(mark, "loc");
				int place_alt;
				int e = pick_entry(lx, l, sv, hits[h].head, ks, ke, loc, &place_alt);
				if (e < 0)
					continue;
				best.place_alt = place_alt;
				best.kind = lx->entries[e].kind;
				best.index = (int)lx->entries[e].index;
				best.first = (int)i;
				best.last = (int)j;
				best.ks = (uint32_t)ks;
				best.ke = (uint32_t)ke;
				best.mark = mark;
				best.conj = conjs[o];
				best.poss1pl = poss1pl;
				best_len = hits[h].len - restored;
				found = 1;
				break;
			}
		}
		if (!found) {
			i++;
			continue;
		}
		if (*nitems == *icap) {
			size_t c = *icap ? *icap * 2 : 16;
			struct item *it = realloc(*items, c * sizeof(*it));
			if (!it)
				return -1;
			*items = it;
			*icap = c;
		}
		(*items)[(*nitems)++] = best;
		i = (size_t)best.last + 1;
	}
	/* case from the words around the name; en_np_marker reads the marks as the suffixes
	 * gave them, not as this loop leaves them */
	static __thread const char **origs;
	static __thread size_t origcap;
	if (l == RL_EN && *nitems > origcap) {
		const char **o = realloc(origs, *nitems * sizeof(*o));
		if (!o)
			return -1;
		origs = o;
		origcap = *nitems;
	}
	if (l == RL_EN)
		for (size_t k = 0; k < *nitems; k++)
			origs[k] = (*items)[k].mark;
	for (size_t k = 0; k < *nitems; k++) {
		struct item *it = &(*items)[k];
		if (l == RL_TR) {
			if (streq(it->mark, "nom") && (size_t)it->last + 1 < nt) {
				const struct token *n1 = &toks[it->last + 1];
				if (tok_is(sv, n1, lx->markers[RL_TR][0]))
					it->mark = "ile";
				else if (tok_is(sv, n1, lx->markers[RL_TR][1]))
					it->mark = "by";
			}
		} else if (l == RL_EN) {
			if (it->first == 0)
				continue;
			if (tok_is(sv, &toks[it->first - 1], "our"))
				it->poss1pl = 1;
			/* the preposition before the whole noun phrase: `with his Russian counterpart`,
			 * `with Russia's president`, `by Assad's forces`, `with the visiting Iraqi PM`,
			 * `sanctions on Turkey's defence industry`. A genitive before a noun that is
			 * no agent takes only `on`, `against`, `by`: `with China's help`, `in
			 * Erdogan's talks with Putin` keep the genitive */
			int gen = streq(it->mark, "gen");
			if (!streq(it->mark, "nom") && !gen)
				continue;
			int heads = k + 1 < *nitems && (*items)[k + 1].first == it->last + 1 &&
				    (*items)[k + 1].kind == NK_AGENT;
			const char *m = en_np_marker(lx, sv, toks, *items, origs, k);
			if (m && gen && !heads && !streq(m, "on") && !streq(m, "against") && !streq(m, "by"))
				m = NULL;
			if (m)
				it->mark = m;
		} else if (it->first > 0 && (!it->mark || streq(it->mark, "nom"))) {
			const struct token *p1 = &toks[it->first - 1];
			if (l == RL_AR && it->first > 1 && tok_is(sv, p1, "قبل") &&
			    tok_is(sv, &toks[it->first - 2], "من"))
				it->mark = "by";
			else
				for (int m = 0; lx->markers[l][m]; m++)
					if (tok_is(sv, p1, lx->markers[l][m])) {
						it->mark = lx->markers[l][m];
						break;
					}
		}
	}
	return 0;
}

const char *actor_code_on(const struct rl_actor *a, int date)
{
	if (date > 0)
		for (size_t i = 0; i < a->nroles; i++)
			if ((!a->roles[i].from || a->roles[i].from <= date) &&
			    (!a->roles[i].to || date <= a->roles[i].to))
				return a->roles[i].code;
	return a->code ? a->code : a->id;
}

static const char *english_name(const struct rl_actor *a)
{
	return a->names[RL_EN].n ? a->names[RL_EN].v[0].s : a->id;
}

static int is_state(const struct ruleset *rs, const struct item *it)
{
	if (it->kind == NK_ADJ || it->kind == NK_SEAT)
		return 1;
	if (it->kind != NK_ACTOR)
		return 0;
	const struct rl_actor *a = &rs->actors[it->index];
	return a->type && streq(a->type, "state");
}

/* A group, organisation or international body (not a state or person), by name or by its
 * adjective (`PKK'lı`). */
static int is_body(const struct ruleset *rs, const struct item *it)
{
	if ((it->kind != NK_ACTOR && it->kind != NK_ADJ) || !rs->actors[it->index].type)
		return 0;
	const char *t = rs->actors[it->index].type;
	return streq(t, "group") || streq(t, "igo") || streq(t, "org");
}

/* For a national institution named without its country (`Genelkurmay Başkanlığı`, an org
 * coded TURMIL), an agent of its role (MIL), so that another country's name before it
 * gives that country's institution; -1 when it is none. */
static int institution_role(const struct ruleset *rs, const struct item *it)
{
	const struct rl_actor *a = &rs->actors[it->index];
	if (!a->type || !streq(a->type, "org") || !a->country || !a->code || strlen(a->code) != 6 ||
	    strncmp(a->code, a->country, 3))
		return -1;
	for (size_t i = 0; i < rs->nagents; i++)
		if (streq(rs->agents[i].role, a->code + 3))
			return (int)i;
	return -1;
}

/* Whether a person named after an agent phrase can hold it: the phrase's country (if any)
 * is the person's (`ABD'li yetkililer Esad rejimini` is two actors). */
static int same_country(const struct ruleset *rs, const struct tagged_actor *ta, const struct item *person)
{
	const char *pc = rs->actors[person->index].country;
	if (ta->country_actor < 0 || !pc)
		return 1;
	const struct rl_actor *c = &rs->actors[ta->country_actor];
	const char *cc = c->country ? c->country : c->code;
	return !cc || strncmp(cc, pc, 3) == 0;
}

static int is_person(const struct ruleset *rs, const struct item *it)
{
	return it->kind == NK_ACTOR && rs->actors[it->index].type &&
	       streq(rs->actors[it->index].type, "person");
}

/* dst = a + b, cut to fit size bytes with its NUL, as snprintf(dst, size, "%s%s", a, b)
 * would write it: describe() runs for every actor, and these are short copies. */
static void put2(char *dst, size_t size, const char *a, const char *b)
{
	size_t k = 0;
	for (; *a && k + 1 < size; a++)
		dst[k++] = *a;
	for (; *b && k + 1 < size; b++)
		dst[k++] = *b;
	dst[k] = '\0';
}

/* Fill code, role, country, name, entity, group of a tagged actor. */
static void describe(const struct lexicon *lx, struct tagged_actor *ta, int date)
{
	const struct ruleset *rs = lx->rs;
	ta->code[0] = ta->role[0] = ta->country[0] = '\0';
	ta->group = NULL;
	if (ta->actor >= 0) {
		const struct rl_actor *a = &rs->actors[ta->actor];
		const char *code = actor_code_on(a, date);
		put2(ta->code, sizeof ta->code, code, "");
		if (a->country)
			put2(ta->country, sizeof ta->country, a->country, "");
		ta->group = a->group;
		ta->name = english_name(a);
		ta->entity = a->id;
		size_t cl = strlen(code);
		if (a->country && cl > 3 && strncmp(code, a->country, 3) == 0)
			put2(ta->role, sizeof ta->role, code + 3, "");
		if (ta->agent >= 0 && cl == 3 && !ta->counterpart) {
			/* a person without a dated role: the agent phrase gives it */
			put2(ta->code, sizeof ta->code, code, rs->agents[ta->agent].role);
			put2(ta->role, sizeof ta->role, rs->agents[ta->agent].role, "");
		}
		return;
	}
	if (ta->country_actor >= 0) {
		const struct rl_actor *c = &rs->actors[ta->country_actor];
		int person = c->type && streq(c->type, "person") && c->country;
		/* `Esad rejimi`: a person's country with the agent's role */
		const char *ccode = person ? c->country : c->code ? c->code : c->id;
		if (c->country)
			put2(ta->country, sizeof ta->country, c->country, "");
		ta->name = english_name(c);
		ta->entity = c->id;
		ta->group = c->group;
		const char *role = ta->agent >= 0 ? rs->agents[ta->agent].role : "GOV";
		if (!ta->counterpart) {
			put2(ta->code, sizeof ta->code, ccode, role);
			put2(ta->role, sizeof ta->role, role, "");
		} else {
			put2(ta->code, sizeof ta->code, ccode, "");
		}
		return;
	}
	ta->name = ta->agent >= 0 ? rs->agents[ta->agent].label : "";
	ta->entity = "";
}

static int push_act(struct tagging *tg, const struct tagged_actor *ta)
{
	if (tg->nacts == tg->actcap) {
		size_t c = tg->actcap ? tg->actcap * 2 : 16;
		struct tagged_actor *a = realloc(tg->acts, c * sizeof(*a));
		if (!a)
			return -1;
		tg->acts = a;
		tg->actcap = c;
	}
	tg->acts[tg->nacts++] = *ta;
	return 0;
}

/* A plain word (not punctuation) at token t. */
static int is_word(const struct sentence_view *sv, const struct token *t)
{
	return t->ke > t->ks && punct_len(sv->key, t->ke, t->ks, 0) == 0;
}

/* Whether the noun at token t is one a demonym does not make a party (nonparty_words). */
static int nonparty_noun(const struct lexicon *lx, const struct sentence_view *sv, int l,
			 const struct token *t)
{
	const char *w = sv->key + t->ks;
	size_t n = t->ke - t->ks;
	size_t offs[3];
	char conj[3];
	const char *mark[3];
	int no = l == RL_AR ? ar_proclitics(w, n, offs, conj, mark) : 1;
	if (l != RL_AR)
		offs[0] = 0;
	for (int m = 0; lx->nonparty[l][m]; m++) {
		const char *k = lx->nonparty[l][m];
		size_t kn = strlen(k);
		for (int o = 0; o < no; o++)
			if (l == RL_TR ? (n >= kn && memcmp(w, k, kn) == 0)
				       : has(w + offs[o], n - offs[o], k))
				return 1;
	}
	return 0;
}

static const char *tr_word_case(const char *s, size_t n);

static int in_list(const struct sentence_view *sv, const struct token *t, char *const *list, int stem)
{
	size_t n = t->ke - t->ks;
	for (int m = 0; list[m]; m++) {
		if (stem ? n && sv->key[t->ks] == list[m][0] && n >= strlen(list[m]) &&
				   memcmp(sv->key + t->ks, list[m], strlen(list[m])) == 0
			 : has(sv->key + t->ks, n, list[m]))
			return 1;
	}
	return 0;
}

/* Whether token t is a locative preposition (ar في, en in). */
static int loc_prep(const struct lexicon *lx, const struct sentence_view *sv, int l, const struct token *t)
{
	if (l == RL_AR)
		return tok_is(sv, t, lx->markers[RL_AR][6]) || tok_is(sv, t, "فى") || tok_is(sv, t, "وفي");
	return tok_is(sv, t, "in"); /* `at southern Israel` is where rockets are fired */
}

/* Whether a former-office word stands by the actor: tr `eski` and en `former`, `ex-`
 * before it (an article or the country between: `the former Turkish foreign minister`);
 * ar `السابق`, `السابقة` right after it. */
static int former(const struct sentence_view *sv, const struct tagging *tg, const struct tagged_actor *ta, int l)
{
	const struct token *toks = tg->toks;
	if (l == RL_AR) {
		if ((size_t)ta->last + 1 >= tg->ntoks)
			return 0;
		const struct token *n1 = &toks[ta->last + 1];
		return tok_is(sv, n1, "السابق") || tok_is(sv, n1, "السابقة") || tok_is(sv, n1, "السابقه");
	}
	const char *w = l == RL_TR ? "eski" : "former";
	for (int p = ta->first - 1; p >= 0 && p >= ta->first - 2; p--) {
		if (tok_is(sv, &toks[p], w) || tok_is(sv, &toks[p], "ex"))
			return 1;
		if (!(l == RL_EN && (tok_is(sv, &toks[p], "the") || tok_is(sv, &toks[p], "a"))))
			break;
	}
	/* `ex-president` and `eski` inside the phrase: `Türkiye'nin eski Dışişleri Bakanı` */
	for (int q = ta->first; q <= ta->last; q++)
		if (tok_is(sv, &toks[q], w) ||
		    (l == RL_EN && toks[q].ke - toks[q].ks > 3 && memcmp(sv->key + toks[q].ks, "ex-", 3) == 0))
			return 1;
	return 0;
}

/* A name that is no party where it stands: 1 a place phrase (`في جنوب لبنان`, `in northern
 * Syria`, `Suriye'nin kuzeyinde`), 2 a topic (`حول سوريا`, `about Syria`, `Suriye
 * konusunda`). 0 otherwise. */
static int not_a_party(const struct lexicon *lx, const struct sentence_view *sv,
		       const struct tagging *tg, const struct item *it, int l)
{
	const struct token *toks = tg->toks;
	int nt = (int)tg->ntoks;
	if (l == RL_TR) {
		if (it->last + 1 >= nt)
			return 0;
		const struct token *n1 = &toks[it->last + 1];
		if (in_list(sv, n1, lx->topic[l], 0))
			return 2;
		/* `Ukrayna'nın başkenti Kiev'e`: the capital is the place named */
		if (streq(it->mark, "gen") && n1->ke - n1->ks >= 7 && memcmp(sv->key + n1->ks, "baskent", 7) == 0)
			return 1;
		if ((streq(it->mark, "nom") || streq(it->mark, "gen")) && in_list(sv, n1, lx->area[l], 1)) {
			const char *c = tr_word_case(sv->key + n1->ks, n1->ke - n1->ks);
			if (streq(c, "loc") || streq(c, "abl"))
				return 1;
		}
		return 0;
	}
	if (it->first == 0)
		return 0;
	int p = it->first - 1;
	if (l == RL_EN && p > 0 && (tok_is(sv, &toks[p], "the") || tok_is(sv, &toks[p], "a")))
		p--;
	if (in_list(sv, &toks[p], lx->topic[l], 0))
		return 2;
	if (l == RL_EN) {
		if (tok_is(sv, &toks[p], "inside") || tok_is(sv, &toks[p], "across") ||
		    tok_is(sv, &toks[p], "throughout"))
			return 1;
		if (in_list(sv, &toks[p], lx->area[l], 0) && p > 0) {
			int q = p - 1;
			if (q > 0 && tok_is(sv, &toks[q], "the"))
				q--;
			return loc_prep(lx, sv, l, &toks[q]) ? 1 : 0;
		}
		return 0;
	}
	/* Arabic: the area noun with its own ب/في (`بجنوب لبنان`, `في جنوب لبنان`) */
	const char *w = sv->key + toks[p].ks;
	size_t wn = toks[p].ke - toks[p].ks;
	size_t off = wn > 4 && (memcmp(w, "و", 2) == 0 || memcmp(w, "ف", 2) == 0) ? 2 : 0;
	if (off == 0 && tok_is(sv, &toks[p], "داخل"))
		return 1;
	if (wn > off + 4 && memcmp(w + off, "ب", 2) == 0) {
		struct token t2 = {toks[p].ks + (uint32_t)off + 2, toks[p].ke};
		if (in_list(sv, &t2, lx->area[l], 0))
			return 1;
	}
	if (off == 0 && in_list(sv, &toks[p], lx->area[l], 0) && p > 0 && loc_prep(lx, sv, l, &toks[p - 1]))
		return 1;
	return 0;
}

/* The case a Turkish noun's ending shows, for `Fransız mallarını`: the longest ending
 * that reads as plural/possessive/case; nom when none does. */
static const char *tr_word_case(const char *s, size_t n)
{
	int p1;
	for (size_t k = n > 9 ? 7 : (n > 2 ? n - 2 : 0); k > 0; k--) {
		const char *m = tr_suffix_case(s + n - k, k, 0, &p1);
		if (m && !streq(m, "adj"))
			return m;
	}
	return "nom";
}

/* The case of an Arabic word from its proclitic or the preposition before it. */
static const char *ar_word_case(const struct lexicon *lx, const struct sentence_view *sv,
				const struct token *toks, int t)
{
	const char *w = sv->key + toks[t].ks;
	size_t n = toks[t].ke - toks[t].ks;
	size_t off = n > 4 && (memcmp(w, "و", 2) == 0 || memcmp(w, "ف", 2) == 0) ? 2 : 0;
	if (n > off + 4 && memcmp(w + off, "ب", 2) == 0)
		return "ب";
	if (n > off + 4 && memcmp(w + off, "ل", 2) == 0 && memcmp(w + off, "ال", 4) != 0)
		return "ل";
	if (t > 1 && tok_is(sv, &toks[t - 1], "قبل") && tok_is(sv, &toks[t - 2], "من"))
		return "by"; /* `من قبل شركائها الغربيين`: the agent of a passive */
	if (t > 0)
		for (int m = 0; lx->markers[RL_AR][m]; m++)
			if (tok_is(sv, &toks[t - 1], lx->markers[RL_AR][m]))
				return lx->markers[RL_AR][m];
	return "nom";
}

/* Names joined by a hyphen, both capitalised in the text (`Erdoğan-Putin görüşmesi`,
 * `İslam İşbirliği Teşkilatı-Arap Ligi`): the hyphen is a token of its own, so each name is
 * found (a name with a hyphen in the dictionary, `Bosna-Hersek`, still matches across it).
 * `al-Assad`, `pro-Russian`, `anti-Israel` stay one word. */
static int split_hyphens(const struct sentence_view *sv, struct tagging *tg)
{
	for (size_t i = 0; i < tg->ntoks; i++) {
		struct token t = tg->toks[i];
		/* only a hyphen inside the word can split it: look for one before the rest */
		if (t.ke - t.ks < 3 || !memchr(sv->key + t.ks + 1, '-', t.ke - t.ks - 2) ||
		    !is_upper_at(sv->doc, sv->doclen, view_orig(sv, t.ks)))
			continue;
		static const char *const prefixes[] = {"pro-", "anti-", "non-", "ex-", "post-", "pre-", "neo-", "pan-", NULL};
		int pre = 0;
		for (int q = 0; prefixes[q] && !pre; q++)
			pre = t.ke - t.ks > strlen(prefixes[q]) &&
			      memcmp(sv->key + t.ks, prefixes[q], strlen(prefixes[q])) == 0;
		if (pre)
			continue;
		for (uint32_t p = t.ks + 1; p + 1 < t.ke; p++) {
			if (sv->key[p] != '-' || !is_upper_at(sv->doc, sv->doclen, view_orig(sv, p + 1)))
				continue;
			/* [ks, p) [p, p+1) [p+1, ke): two more tokens */
			if (tg->ntoks + 2 > tg->tokcap) {
				size_t c = tg->tokcap * 2 + 2;
				struct token *nt = realloc(tg->toks, c * sizeof(*nt));
				if (!nt)
					return -1;
				tg->toks = nt;
				tg->tokcap = c;
			}
			memmove(&tg->toks[i + 3], &tg->toks[i + 1], (tg->ntoks - i - 1) * sizeof(*tg->toks));
			tg->toks[i].ke = p;
			tg->toks[i + 1].ks = p;
			tg->toks[i + 1].ke = p + 1;
			tg->toks[i + 2].ks = p + 1;
			tg->toks[i + 2].ke = t.ke;
			tg->ntoks += 2;
			i++; /* the rest is looked at as a token of its own */
			break;
		}
	}
	return 0;
}

int tag_sentence(const struct lexicon *lx, const struct sentence_view *sv, struct tagging *tg)
{
	static __thread struct item *items;
	static __thread size_t icap;
	size_t nitems = 0;
	const struct ruleset *rs = lx->rs;
	int l = sv->lang;
	int nt = tokenize(sv->key, sv->keylen, &tg->toks, &tg->tokcap);
	if (nt < 0)
		return -1;
	tg->ntoks = (size_t)nt;
	if (l != RL_AR && split_hyphens(sv, tg))
		return -1;
	tg->nacts = 0;
	if (tg->tacap < tg->ntoks + 1) {
		int *ta = realloc(tg->tok_actor, (tg->ntoks + 1) * sizeof(*ta));
		if (!ta)
			return -1;
		tg->tok_actor = ta;
		tg->tacap = tg->ntoks + 1;
	}
	for (size_t i = 0; i < tg->ntoks; i++)
		tg->tok_actor[i] = -1;
	if (find_items(lx, sv, tg, &items, &nitems, &icap))
		return -1;

	for (size_t k = 0; k < nitems; k++) {
		struct item *it = &items[k];
		struct item *nx = k + 1 < nitems && items[k + 1].first == it->last + 1 ? &items[k + 1] : NULL;
		struct tagged_actor ta;
		memset(&ta, 0, sizeof ta);
		ta.first = it->first;
		ta.last = it->last;
		ta.ks = it->ks;
		ta.ke = it->ke;
		ta.actor = ta.agent = ta.country_actor = ta.place = -1;
		ta.mark = it->mark;
		ta.conj = it->conj;
		ta.poss1pl = it->poss1pl;
		int adj_form = streq(it->mark, "adj");
		int consumed = 0;
		/* country before the agent: `Rusya Dışişleri Bakanı`, `Russian foreign minister` */
		int person_country = is_person(rs, it) && rs->actors[it->index].country;
		int en_prep = l == RL_EN && !streq(it->mark, "nom") && !streq(it->mark, "gen");
		/* `İran'ın Ankara Büyükelçisi`: the seat names the post, the genitive the country */
		const struct item *nx2 = k + 2 < nitems && nx && items[k + 2].first == nx->last + 1 ? &items[k + 2] : NULL;
		int post = l == RL_TR && nx && nx->kind == NK_SEAT && streq(nx->mark, "nom") && nx2 &&
			   nx2->kind == NK_AGENT && streq(it->mark, "gen") && is_state(rs, it) &&
			   it->kind != NK_SEAT;
		if (post) {
			ta.country_actor = it->index;
			ta.agent = nx2->index;
			ta.last = nx2->last;
			ta.ke = nx2->ke;
			ta.mark = nx2->mark;
			ta.poss1pl = nx2->poss1pl;
			consumed = 2;
		} else if (l != RL_AR && nx && nx->kind == NK_AGENT && is_body(rs, it) &&
			   (adj_form || en_prep || streq(it->mark, "nom") || streq(it->mark, "gen"))) {
			/* a group or body with a role word is the body, with its own code, also when
			 * the holder is named after it: `PKK'lı teröristler`, `Hamas lideri`,
			 * `NATO Genel Sekreteri`, `Hamas leader` */
			ta.actor = it->index;
			ta.agent = nx->index;
			ta.last = nx->last;
			ta.ke = nx->ke;
			ta.mark = en_prep ? it->mark : nx->mark;
			ta.poss1pl = nx->poss1pl;
			consumed = 1;
		} else if (l != RL_AR && nx && is_state(rs, it) && it->kind != NK_SEAT && nx->kind == NK_ACTOR &&
			   institution_role(rs, nx) >= 0 &&
			   (adj_form || streq(it->mark, "nom") || streq(it->mark, "gen"))) {
			/* `Rusya Genelkurmay Başkanlığı`: another country's institution of that name */
			ta.country_actor = it->index;
			ta.agent = institution_role(rs, nx);
			ta.last = nx->last;
			ta.ke = nx->ke;
			ta.mark = nx->mark;
			consumed = 1;
		} else if (l != RL_AR && nx && nx->kind == NK_AGENT && (is_state(rs, it) || person_country) &&
		    (adj_form || en_prep || streq(it->mark, "nom") || streq(it->mark, "gen"))) {
			ta.country_actor = it->index;
			ta.agent = nx->index;
			ta.last = nx->last;
			ta.ke = nx->ke;
			/* English prepositions come before the phrase, Turkish suffixes after it */
			ta.mark = en_prep ? it->mark : nx->mark;
			ta.poss1pl = nx->poss1pl;
			size_t al = it->ke - it->ks;
			int li = adj_form || (al > 2 && (memcmp(sv->key + it->ke - 2, "li", 2) == 0 ||
							  memcmp(sv->key + it->ke - 2, "lu", 2) == 0));
			if (l == RL_TR && li) {
				/* after a -li adjective the noun has no possessive: `Filistinli
				 * sivilleri` is accusative, as `Rus askerleri` is not */
				const struct token *lt = &tg->toks[nx->last];
				ta.mark = tr_word_case(sv->key + lt->ks, lt->ke - lt->ks);
			}
			consumed = 1;
		} else if (it->kind == NK_AGENT) {
			ta.agent = it->index;
			/* country after the agent: `وزير الخارجية الروسي`, `foreign minister of Russia` */
			if (l == RL_AR && nx && is_body(rs, nx) && !nx->conj && streq(nx->mark, "nom")) {
				/* `زعيم حماس`, `الأمين العام لحلف الناتو`: the body */
				ta.actor = nx->index;
				ta.last = nx->last;
				ta.ke = nx->ke;
				consumed = 1;
			} else if (l == RL_AR && nx && is_state(rs, nx) && nx->kind != NK_SEAT && !nx->conj &&
			    streq(nx->mark, "nom")) {
				ta.country_actor = nx->index;
				ta.last = nx->last;
				ta.ke = nx->ke;
				consumed = 1;
			} else if (l == RL_EN && k + 1 < nitems && items[k + 1].first == it->last + 2 &&
				   is_state(rs, &items[k + 1]) && streq(items[k + 1].mark, "of")) {
				ta.country_actor = items[k + 1].index;
				ta.last = items[k + 1].last;
				ta.ke = items[k + 1].ke;
				consumed = 1;
			}
		}
		k += (size_t)consumed;
		/* a person named right after the agent phrase is the same actor (a body's office
		 * holder stays the body: `NATO Genel Sekreteri Rutte` is NATO) */
		if (ta.agent >= 0 && k + 1 < nitems && items[k + 1].first == ta.last + 1 &&
		    is_person(rs, &items[k + 1]) && same_country(rs, &ta, &items[k + 1]) &&
		    (l != RL_AR || (!items[k + 1].conj && streq(items[k + 1].mark, "nom")))) {
			k++;
			if (ta.actor < 0)
				ta.actor = items[k].index;
			ta.last = items[k].last;
			ta.ke = items[k].ke;
			if (l == RL_TR)
				ta.mark = items[k].mark;
		}
		/* tr: an office holder the dictionary does not know, `Büyükelçisi Andrei Kelin'i`:
		 * the capitalised name belongs to the phrase, and its suffix gives the case */
		if (l == RL_TR && ta.agent >= 0 && ta.actor < 0 && streq(ta.mark, "nom")) {
			int limit = k + 1 < nitems ? items[k + 1].first : (int)tg->ntoks;
			for (int j = ta.last + 1; j <= ta.last + 3 && j < limit; j++) {
				const struct token *tj = &tg->toks[j];
				if (!is_word(sv, tj) || !is_upper_at(sv->doc, sv->doclen, view_orig(sv, tj->ks)))
					break;
				const char *ap = memchr(sv->key + tj->ks, '\'', tj->ke - tj->ks);
				if (!ap)
					continue;
				int p1;
				const char *m = tr_suffix_case(ap, (size_t)(sv->key + tj->ke - ap), 0, &p1);
				if (m && !streq(m, "adj")) {
					ta.mark = m;
					ta.last = j;
					ta.ke = tj->ke;
				}
				break;
			}
		}
		if (ta.agent >= 0 && ta.actor < 0 && lx->counterpart_agents[ta.agent])
			ta.counterpart = 1;
		if (ta.actor < 0 && ta.country_actor < 0 && ta.agent < 0) {
			/* a name on its own */
			if (l == RL_TR && it->kind == NK_ADJ && !streq(it->mark, "nom") && !streq(it->mark, "adj") &&
			    !streq(it->mark, "gen")) {
				/* `Filistinliyi`, `İsraillilere`: the demonym with a case is a person */
				ta.actor = it->index;
			} else if (it->kind == NK_ADJ || adj_form) {
				/* `Russian and French foreign ministers`, `Rus ve Türk Dışişleri
				 * Bakanları`: the first demonym takes the agent of the second */
				const struct item *n1 = k + 1 < nitems ? &items[k + 1] : NULL;
				const struct item *n2 = k + 2 < nitems ? &items[k + 2] : NULL;
				if (l != RL_AR && n1 && n2 && n1->first == it->last + 2 &&
				    tok_is(sv, &tg->toks[it->last + 1], lx->conj[l]) && is_state(rs, n1) &&
				    n1->kind != NK_SEAT && n2->kind == NK_AGENT && n2->first == n1->last + 1) {
					ta.country_actor = it->index;
					ta.agent = n2->index;
					if (l == RL_TR)
						ta.mark = n2->mark;
					describe(lx, &ta, sv->date);
					if (push_act(tg, &ta))
						return -1;
					for (int q = ta.first; q <= ta.last; q++)
						tg->tok_actor[q] = (int)tg->nacts - 1;
					continue;
				}
				/* a demonym with a noun stands for its state: `Fransız malları`,
				 * `Russian jets`, `الطائرات الروسية` */
				int t = l == RL_AR ? it->first - 1 : it->last + 1;
				int free_tok = t >= 0 && (size_t)t < tg->ntoks && is_word(sv, &tg->toks[t]) &&
					       !(nx && nx->first == t) &&
					       !(k > 0 && items[k - 1].last >= t) &&
					       (tg->ntoks == 0 || tg->tok_actor[t] < 0);
				if (!free_tok || (l != RL_AR && streq(it->mark, "gen")) ||
				    tok_is(sv, &tg->toks[t], lx->conj[l]) ||
				    nonparty_noun(lx, sv, l, &tg->toks[t]))
					continue;
				ta.actor = it->index;
				if (l == RL_AR) {
					/* the noun's case and conjunction; the noun itself stays a word
					 * (`الغارات الإسرائيلية`: a trigger before the actor) */
					ta.mark = ar_word_case(lx, sv, tg->toks, t);
					ta.conj = sv->key[tg->toks[t].ks] == "و"[0] &&
							  sv->key[tg->toks[t].ks + 1] == "و"[1] ? 'w' : 0;
				} else if (l == RL_EN) {
					/* `seized an Iranian tanker`: the noun stays a word of its own, for
					 * the patterns that name it */
				} else {
					ta.last = t;
					ta.ke = tg->toks[t].ke;
					if (l == RL_TR)
						ta.mark = tr_word_case(sv->key + tg->toks[t].ks,
								       tg->toks[t].ke - tg->toks[t].ks);
				}
				describe(lx, &ta, sv->date);
				if (push_act(tg, &ta))
					return -1;
				for (int q = ta.first; q <= ta.last; q++)
					tg->tok_actor[q] = (int)tg->nacts - 1;
				continue;
			}
			if (it->kind == NK_PLACE) {
				ta.place = it->index;
				ta.is_place = 1;
			} else if (it->kind == NK_SEAT) {
				ta.country_actor = it->index;
				/* a dateline, `KYIV -`, `ANKARA (AA) -`: where the story was filed */
				if (it->first == 0 && (size_t)it->last + 1 < tg->ntoks) {
					const struct token *n1 = &tg->toks[it->last + 1];
					if (tok_is(sv, n1, "-") || tok_is(sv, n1, "--") || tok_is(sv, n1, "—") ||
					    tok_is(sv, n1, "–") || tok_is(sv, n1, "("))
						it->mark = l == RL_TR ? "loc" : l == RL_AR ? lx->markers[RL_AR][6] : "in";
					ta.mark = it->mark;
				}
				/* `Moskova'da`, `في موسكو`, `بالقاهرة`, `in Moscow`: the place, not the government */
				if (streq(it->mark, "loc") || streq(it->mark, "in") || streq(it->mark, "at") ||
				    (l == RL_AR && (streq(it->mark, lx->markers[RL_AR][6]) || streq(it->mark, "ب")))) {
					ta.is_place = 1;
					ta.place = it->place_alt;
				}
			} else {
				ta.actor = it->index;
				if (l == RL_TR && streq(it->mark, "loc") && is_state(rs, it))
					ta.is_place = 1;
			}
			/* `في جنوب لبنان`, `in northern Syria`: a place; `حول سوريا`: a topic */
			int np = ta.is_place || it->kind == NK_PLACE || !is_state(rs, it) ? 0
											 : not_a_party(lx, sv, tg, it, l);
			if (np == 1) {
				ta.is_place = 1;
				ta.place = it->kind == NK_SEAT ? it->place_alt : -1;
				ta.mark = l == RL_TR ? "loc" : l == RL_AR ? lx->markers[RL_AR][6] : "in";
			} else if (np == 2) {
				ta.is_place = 1; /* neither place nor party: no location either */
				ta.place = -1;
				ta.mark = "topic";
			}
		} else if (ta.agent >= 0 && ta.actor < 0 && ta.country_actor < 0 && !ta.counterpart) {
			/* an agent phrase with no country is not an actor, unless it is "ours"
			 * (`Genelkurmay Başkanımız`, `جيشنا`, `our army`): the speaker's, in a quote */
			if (!ta.poss1pl)
				continue;
			ta.ours = 1;
		}
		describe(lx, &ta, sv->date);
		if (!ta.is_place && ta.country[0] && (ta.agent >= 0 || (ta.actor >= 0 && is_person(rs, it))) &&
		    former(sv, tg, &ta, l)) {
			/* `eski Dışişleri Bakanı`, `وزير الخارجية السابق`, `former foreign minister` */
			snprintf(ta.code, sizeof ta.code, "%.3sELI", ta.country);
			snprintf(ta.role, sizeof ta.role, "ELI");
		}
		if (push_act(tg, &ta))
			return -1;
		if (!ta.is_place)
			for (int t = ta.first; t <= ta.last; t++)
				tg->tok_actor[t] = (int)tg->nacts - 1;
	}
	return 0;
}

void tagging_release(struct tagging *tg)
{
	free(tg->toks);
	free(tg->acts);
	free(tg->tok_actor);
	memset(tg, 0, sizeof(*tg));
}
