/* patterns.c: parse event patterns and compile them into PCRE2 regexes over the tagged
 * token string (see patterns.h for the string's form). */
#include "olay/patterns.h"
#include "olay/buf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MATCH_ACT_ANY "\x01[w-]\x02[^\x02]*\x02[0-9]+\x03 "
/* a gap crosses neither a quotation mark nor the end of a sentence inside a quotation */
#define GAP_TOKEN "(?![\".!?] |؟ )[^ ]+ "
#define WORD_TOKEN "[^ \x01][^ ]* "

uint64_t mark_bit(const char *mark)
{
	uint64_t h = 1469598103934665603ULL;
	for (const unsigned char *p = (const unsigned char *)mark; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return 1ULL << (h % 64);
}

int placeholder(char *out, size_t n, char conj, const char *mark, int index)
{
	/* written by hand, not with snprintf: the engine writes one per actor per sentence */
	char num[16];
	size_t k = sizeof num;
	unsigned v = index < 0 ? 0u - (unsigned)index : (unsigned)index;
	do
		num[--k] = (char)('0' + v % 10);
	while ((v /= 10) && k > 1);
	if (index < 0)
		num[--k] = '-';
	size_t ml = strlen(mark), nl = sizeof num - k, len = 3 + ml + 1 + nl + 1;
	if (len < n) {
		char *o = out;
		*o++ = '\x01';
		*o++ = conj ? conj : '-';
		*o++ = '\x02';
		memcpy(o, mark, ml), o += ml;
		*o++ = '\x02';
		memcpy(o, num + k, nl), o += nl;
		*o++ = '\x03';
		*o = '\0';
	} else if (n) {
		out[0] = '\0'; /* too small: nothing, as its length says */
	}
	return (int)len;
}

/* --- lexing ------------------------------------------------------------------------------ */

enum lx_kind { T_WORD, T_LPAR, T_RPAR, T_BAR, T_LBRACE, T_RBRACE, T_QMARK, T_REGEX, T_END };

struct ptok {
	int kind;
	const char *s;
	size_t n;
	int col; /* column in the pattern line */
	int opt; /* a trailing '?' was attached */
};

/* --- AST ----------------------------------------------------------------------------------- */

enum pn_kind { PN_SEQ, PN_ALT, PN_LIT, PN_SLOT, PN_GAP, PN_PRED, PN_TRIG, PN_OPT };

struct pn {
	int kind;
	int child, next; /* first child, next sibling; -1 none */
	char *lit;	 /* PN_LIT: keyed literal (may hold several tokens separated by spaces) */
	int star;	 /* PN_LIT: last token is a stem */
	int slot;	 /* PN_SLOT: 0 = source, 1 = target */
	char *mark;	 /* PN_SLOT: keyed marker, NULL = any */
	int pred;	 /* PN_PRED: callout number */
	int lit_opens;	 /* PN_PRED: every token the regex accepts begins with lit (gen_guard) */
	int col;
};

struct pc {
	const char *text, *file;
	int line, col0;
	struct pattern_env *env;
	struct diags *d;
	struct cpattern *cp;
	struct pn *nodes;
	size_t nn, ncap;
	struct ptok *toks;
	size_t nt, tcap, pos;
	int error, oom, depth, ntrig, nsrc, ntgt;
	/* mandatory_groups(): the most tokens the elements since the last mandatory one can
	 * take, and how far that one may reach past its own token (-1: no bound) */
	int pend, last_after;
	const char *set_name; /* while parsing a set: report there */
	const struct rl_set *set;
};

#define ERR(pc, c, ...)                                                                       \
	do {                                                                                  \
		if ((pc)->set)                                                                \
			diags_add((pc)->d, (pc)->set->file, (pc)->set->line, (pc)->set->col,  \
				  __VA_ARGS__);                                               \
		else                                                                          \
			diags_add((pc)->d, (pc)->file, (pc)->line, (pc)->col0 + (c), __VA_ARGS__); \
		(pc)->error = 1;                                                              \
	} while (0)

static int lex(struct pc *pc, const char *text, size_t *count)
{
	size_t start = pc->nt;
	const char *p = text;
	while (*p) {
		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		if (pc->nt + 1 >= pc->tcap) {
			size_t c = pc->tcap ? pc->tcap * 2 : 32;
			struct ptok *t = realloc(pc->toks, c * sizeof(*t));
			if (!t)
				return -1;
			pc->toks = t;
			pc->tcap = c;
		}
		struct ptok *t = &pc->toks[pc->nt++];
		memset(t, 0, sizeof *t);
		t->s = p;
		t->col = pc->set ? 0 : (int)(p - text);
		switch (*p) {
		case '(': t->kind = T_LPAR, t->n = 1, p++; continue;
		case ')': t->kind = T_RPAR, t->n = 1, p++; continue;
		case '|': t->kind = T_BAR, t->n = 1, p++; continue;
		case '{': t->kind = T_LBRACE, t->n = 1, p++; continue;
		case '}': t->kind = T_RBRACE, t->n = 1, p++; continue;
		case '?': t->kind = T_QMARK, t->n = 1, p++; continue;
		}
		if (*p == '/') {
			const char *q = p + 1;
			while (*q && *q != '/') {
				if (*q == '\\' && q[1])
					q++;
				q++;
			}
			if (!*q) {
				ERR(pc, t->col, "unterminated /regex/");
				pc->nt--;
				break;
			}
			t->kind = T_REGEX;
			t->s = p + 1;
			t->n = (size_t)(q - p - 1);
			p = q + 1;
			if (*p == '?') {
				t->opt = 1;
				p++;
			}
			continue;
		}
		const char *q = p;
		while (*q && !isspace((unsigned char)*q) && !strchr("(){}|", *q))
			q++;
		t->kind = T_WORD;
		t->n = (size_t)(q - p);
		if (t->n > 1 && q[-1] == '?') {
			t->opt = 1;
			t->n--;
		}
		p = q;
	}
	*count = pc->nt - start;
	return 0;
}

static int new_node(struct pc *pc, int kind, int col)
{
	if (pc->nn == pc->ncap) {
		size_t c = pc->ncap ? pc->ncap * 2 : 32;
		struct pn *n = realloc(pc->nodes, c * sizeof(*n));
		if (!n) {
			pc->oom = 1;
			return -1;
		}
		pc->nodes = n;
		pc->ncap = c;
	}
	struct pn *n = &pc->nodes[pc->nn];
	memset(n, 0, sizeof *n);
	n->kind = kind;
	n->child = n->next = -1;
	n->col = col;
	return (int)pc->nn++;
}

static void append_child(struct pc *pc, int parent, int child)
{
	if (pc->nodes[parent].child < 0) {
		pc->nodes[parent].child = child;
		return;
	}
	int c = pc->nodes[parent].child;
	while (pc->nodes[c].next >= 0)
		c = pc->nodes[c].next;
	pc->nodes[c].next = child;
}

static int parse_alts(struct pc *pc, int close_kind);

static int wrap_opt(struct pc *pc, int node, int col)
{
	int o = new_node(pc, PN_OPT, col);
	if (o >= 0)
		append_child(pc, o, node);
	return o;
}

static const char *const markers_tr[] = {"nom", "acc", "dat", "loc", "abl", "gen", "ile", "by", NULL};
static const char *const markers_ar[] = {"nom", "ب", "ل", "مع", "من", "الى", "إلى", "على", "ضد", "عن", "في", "لدى", "by", NULL};
static const char *const markers_en[] = {"nom", "gen", "with", "to", "by", "against", "from", "on", "of", "at", "in", "between", NULL};

static int parse_slot(struct pc *pc, const struct ptok *t)
{
	int n = new_node(pc, PN_SLOT, t->col);
	if (n < 0)
		return -1;
	struct pn *node = &pc->nodes[n];
	node->slot = t->s[0] == '+';
	if (node->slot)
		pc->ntgt++;
	else
		pc->nsrc++;
	if (t->n > 2 && t->s[1] == ':') {
		const char *m = t->s + 2;
		size_t mn = t->n - 2;
		int l = pc->env->lang;
		const char *const *list = l == RL_TR ? markers_tr : l == RL_AR ? markers_ar : markers_en;
		int ok = 0;
		for (size_t i = 0; list[i]; i++)
			ok |= strlen(list[i]) == mn && memcmp(list[i], m, mn) == 0;
		if (!ok) {
			ERR(pc, t->col, "unknown case marker '%.*s' for language '%s'", (int)mn, m,
			    rl_lang_codes[l]);
			return n;
		}
		if (mn == 2 && memcmp(m, "by", 2) == 0)
			pc->cp->passive |= node->slot == 0;
		size_t kn;
		if (strncmp(m, "by", mn) == 0 || !(m[0] & 0x80)) {
			node->mark = strndup(m, mn);
		} else if (rule_key(l, m, mn, &node->mark, &kn)) {
			pc->oom = 1;
			return -1;
		}
		if (!node->mark) {
			pc->oom = 1;
			return -1;
		}
	} else if (t->n != 1) {
		ERR(pc, t->col, "expected '%c' or '%c:MARK', got '%.*s'", t->s[0], t->s[0], (int)t->n, t->s);
	}
	return n;
}

static int parse_set(struct pc *pc, const struct ptok *t)
{
	const struct ruleset *rs = pc->env->rs;
	const struct rl_set *set = NULL;
	for (size_t i = 0; i < rs->nsets; i++)
		if (rs->sets[i].lang == pc->env->lang && strlen(rs->sets[i].name) == t->n - 1 &&
		    memcmp(rs->sets[i].name, t->s + 1, t->n - 1) == 0)
			set = &rs->sets[i];
	if (!set) {
		ERR(pc, t->col, "unknown set '%.*s' (define it with 'set %.*s = ...' in events/%s/)",
		    (int)t->n, t->s, (int)t->n, t->s, rl_lang_codes[pc->env->lang]);
		return new_node(pc, PN_GAP, t->col);
	}
	if (pc->depth > 8) {
		ERR(pc, t->col, "sets nested too deep (a set that names itself?)");
		return new_node(pc, PN_GAP, t->col);
	}
	/* lex the set's text after the pattern's tokens and parse it as alternatives */
	size_t save_pos = pc->pos, count;
	const struct rl_set *save_set = pc->set;
	size_t end_before = pc->nt;
	pc->set = set;
	if (lex(pc, set->text, &count)) {
		pc->oom = 1;
		return -1;
	}
	/* an end marker so parse_alts stops */
	if (pc->nt + 1 > pc->tcap) {
		struct ptok *tk = realloc(pc->toks, (pc->tcap + 8) * sizeof(*tk));
		if (!tk) {
			pc->oom = 1;
			return -1;
		}
		pc->toks = tk;
		pc->tcap += 8;
	}
	memset(&pc->toks[pc->nt], 0, sizeof(struct ptok));
	pc->toks[pc->nt++].kind = T_END;
	pc->pos = end_before;
	pc->depth++;
	int n = parse_alts(pc, T_END);
	pc->depth--;
	pc->pos = save_pos;
	pc->set = save_set;
	return n;
}

static int parse_literal(struct pc *pc, const struct ptok *t)
{
	int star = t->n > 1 && t->s[t->n - 1] == '*';
	size_t n = t->n - (size_t)star;
	char *key;
	size_t kn;
	if (rule_key(pc->env->lang, t->s, n, &key, &kn)) {
		pc->oom = 1;
		return -1;
	}
	if (kn == 0) {
		ERR(pc, t->col, "literal '%.*s' is empty as a match key", (int)t->n, t->s);
		free(key);
		return new_node(pc, PN_GAP, t->col);
	}
	int node = new_node(pc, PN_LIT, t->col);
	if (node < 0) {
		free(key);
		return -1;
	}
	pc->nodes[node].lit = key;
	pc->nodes[node].star = star;
	return node;
}

/* Is re (n bytes) one alternative from its start to its end: no '|' outside a group or a
 * class? Conservatively no when it uses a construct that could hide one from this scan
 * (\Q...\E, comments, option settings such as extended mode, verbs). */
static int single_branch(const char *re, size_t n)
{
	int depth = 0;
	for (size_t i = 0; i < n; i++) {
		char c = re[i];
		if (c == '\\') {
			if (i + 1 < n && (re[i + 1] == 'Q' || re[i + 1] == 'E'))
				return 0;
			i++;
		} else if (c == '[') {
			/* a class: `]` right after `[` or `[^` is a member */
			size_t j = i + 1;
			if (j < n && re[j] == '^')
				j++;
			if (j < n && re[j] == ']')
				j++;
			while (j < n && re[j] != ']') {
				if (re[j] == '\\' || (re[j] == '[' && j + 1 < n && re[j + 1] == ':'))
					return 0; /* escapes and POSIX classes inside: not worth reading */
				j++;
			}
			if (j >= n)
				return 0;
			i = j;
		} else if (c == '(') {
			if (i + 1 < n && re[i + 1] == '*')
				return 0;
			if (i + 1 < n && re[i + 1] == '?' &&
			    !(i + 2 < n && (re[i + 2] == ':' || re[i + 2] == '=' || re[i + 2] == '!' ||
					    (re[i + 2] == '<' && i + 3 < n && (re[i + 3] == '=' || re[i + 3] == '!')))))
				return 0;
			depth++;
		} else if (c == ')') {
			depth--;
		} else if (c == '|' && depth == 0) {
			return 0;
		}
	}
	return 1;
}

static int parse_pred(struct pc *pc, const struct ptok *t)
{
	struct pattern_env *env = pc->env;
	char *src = strndup(t->s, t->n), *key = NULL;
	size_t kn = t->n;
	if (!src) {
		pc->oom = 1;
		return -1;
	}
	if (env->lang == RL_TR) {
		/* the tokens are ASCII-folded: fold the regex's letters the same way */
		if (rule_key(RL_TR, src, t->n, &key, &kn)) {
			free(src);
			pc->oom = 1;
			return -1;
		}
		/* text_key lower-cases: keep escapes like \S, \W as written */
		for (size_t i = 0; i + 1 < kn && i + 1 < t->n; i++)
			if (key[i] == '\\' && src[i] == '\\')
				key[i + 1] = src[i + 1];
	} else {
		key = src;
		src = NULL;
	}
	int errcode;
	PCRE2_SIZE erroff;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)key, kn, PCRE2_UTF, &errcode, &erroff, NULL);
	char *lit_prefix = NULL;
	int lit_opens = 0;
	if (re && kn > 1 && key[0] == '^') {
		size_t start = 1;
		/* Arabic `^[وف]?حث`: optional proclitics are stripped by the index anyway */
		if (env->lang == RL_AR && key[1] == '[') {
			const char *close = memchr(key + 2, ']', kn - 2);
			int only_proclitics = close != NULL;
			for (const char *q = key + 2; only_proclitics && q < close; q += 2)
				only_proclitics = close - q >= 2 && strstr("وفبلكس", (char[]){q[0], q[1], 0}) != NULL;
			if (only_proclitics)
				start = (size_t)(close - key) + 1 + (close[1] == '?');
		}
		/* the literal start; a class of one letter (`[oo]` once folded from `[öo]`) is
		 * that letter */
		char lit[256];
		size_t ln = 0, i = start;
		while (i < kn && ln < sizeof lit - 1) {
			if (key[i] == '[' && i + 3 < kn && key[i + 1] != '^' && !(key[i + 1] & 0x80)) {
				const char *close = memchr(key + i + 1, ']', kn - i - 1);
				int same = close != NULL && close > key + i + 1;
				for (const char *q = key + i + 1; same && q < close; q++)
					same = *q == key[i + 1];
				if (!same || (close + 1 < key + kn && strchr("?*{", close[1])))
					break;
				lit[ln++] = key[i + 1];
				i = (size_t)(close - key) + 1;
				continue;
			}
			if (strchr("\\^$.|?*+()[]{}", key[i]))
				break;
			/* a character a quantifier applies to is not certain */
			size_t cl = 1;
			while (i + cl < kn && ((unsigned char)key[i + cl] & 0xC0) == 0x80)
				cl++;
			if (i + cl < kn && strchr("?*{", key[i + cl]))
				break;
			memcpy(lit + ln, key + i, cl < sizeof lit - 1 - ln ? cl : 0);
			ln += cl < sizeof lit - 1 - ln ? cl : 0;
			i += cl;
		}
		size_t pn;
		/* in the key form of the sentences (a raw Arabic regex may write أ for ا) */
		if (ln >= 2 && rule_key(env->lang, lit, ln, &lit_prefix, &pn) == 0 && pn < 2) {
			free(lit_prefix);
			lit_prefix = NULL;
		}
		/* every token the regex accepts then begins with those bytes (after a proclitic
		 * class), when the regex is one branch and they are already in key form */
		lit_opens = lit_prefix && pn == ln && memcmp(lit_prefix, lit, ln) == 0 &&
			    single_branch(key, kn);
	}
	free(src);
	if (!re) {
		free(key);
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(errcode, msg, sizeof msg);
		ERR(pc, t->col, "bad regex /%.*s/: %s at offset %zu", (int)t->n, t->s, (char *)msg,
		    (size_t)erroff);
		return new_node(pc, PN_GAP, t->col);
	}
	if (pc->cp->npreds >= 16) {
		free(key);
		free(lit_prefix);
		pcre2_code_free(re);
		ERR(pc, t->col, "too many /regex/ elements in one pattern (16 at most)");
		return new_node(pc, PN_GAP, t->col);
	}
	/* the same /regex/ written again (a set is expanded into every pattern naming it) is
	 * the same predicate: the engine then asks it once per token for all of them */
	size_t idx = 0;
	while (idx < env->npreds && !(env->pred_len[idx] == kn && memcmp(env->pred_src[idx], key, kn) == 0))
		idx++;
	if (idx < env->npreds) {
		free(key);
		pcre2_code_free(re);
	} else {
		if (env->npreds == env->predcap) {
			size_t c = env->predcap ? env->predcap * 2 : 16;
			pcre2_code **p = realloc(env->preds, c * sizeof(*p));
			if (p)
				env->preds = p;
			char **ps = realloc(env->pred_src, c * sizeof(*ps));
			if (ps)
				env->pred_src = ps;
			size_t *pl = realloc(env->pred_len, c * sizeof(*pl));
			if (pl)
				env->pred_len = pl;
			if (!p || !ps || !pl) {
				free(key);
				free(lit_prefix);
				pcre2_code_free(re);
				pc->oom = 1;
				return -1;
			}
			env->predcap = c;
		}
		pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
		env->preds[env->npreds] = re;
		env->pred_src[env->npreds] = key;
		env->pred_len[env->npreds++] = kn;
	}
	pc->cp->preds[pc->cp->npreds++] = (int)idx;
	int node = new_node(pc, PN_PRED, t->col);
	if (node < 0)
		return -1;
	pc->nodes[node].pred = pc->cp->npreds;
	/* `^öldür(?=...)`: the literal start of an anchored regex indexes it like a stem */
	if (lit_prefix) {
		pc->nodes[node].lit = lit_prefix;
		pc->nodes[node].star = 1;
		pc->nodes[node].lit_opens = lit_opens;
	}
	return node;
}

/* One element, or -2 at the end of a sequence. */
static int parse_elem(struct pc *pc)
{
	/* a copy: parsing a set appends tokens and may move pc->toks */
	struct ptok tv = pc->toks[pc->pos];
	const struct ptok *t = &tv;
	int node;
	switch (t->kind) {
	case T_END: case T_RPAR: case T_BAR: case T_RBRACE:
		return -2;
	case T_QMARK:
		ERR(pc, t->col, "'?' must follow an element");
		pc->pos++;
		return new_node(pc, PN_GAP, t->col);
	case T_LPAR:
		pc->pos++;
		node = parse_alts(pc, T_RPAR);
		if (pc->toks[pc->pos].kind != T_RPAR)
			ERR(pc, t->col, "'(' without ')'");
		else
			pc->pos++;
		break;
	case T_LBRACE: {
		pc->pos++;
		if (++pc->ntrig > 1)
			ERR(pc, t->col, "more than one { trigger }");
		node = new_node(pc, PN_TRIG, t->col);
		if (node < 0)
			return -1;
		int inner;
		while ((inner = parse_elem(pc)) >= 0)
			append_child(pc, node, inner);
		if (inner == -1)
			return -1;
		if (pc->toks[pc->pos].kind != T_RBRACE)
			ERR(pc, t->col, "'{' without '}'");
		else
			pc->pos++;
		break;
	}
	case T_REGEX:
		pc->pos++;
		node = parse_pred(pc, t);
		if (node >= 0 && t->opt)
			node = wrap_opt(pc, node, t->col);
		return node;
	default: {
		pc->pos++;
		if ((t->s[0] == '$' || t->s[0] == '+') && (t->n == 1 || t->s[1] == ':'))
			node = parse_slot(pc, t);
		else if ((t->n == 2 && memcmp(t->s, "..", 2) == 0) || (t->n == 1 && t->s[0] == '^'))
			node = new_node(pc, PN_GAP, t->col);
		else if (t->n == 1 && t->s[0] == '*')
			node = new_node(pc, PN_SEQ, t->col); /* TABARI's verb position: the trigger run */
		else if (t->s[0] == '&' && t->n > 1)
			node = parse_set(pc, t);
		else
			node = parse_literal(pc, t);
		if (node >= 0 && t->opt)
			node = wrap_opt(pc, node, t->col);
		return node;
	}
	}
	if (node >= 0 && pc->toks[pc->pos].kind == T_QMARK) {
		pc->pos++;
		node = wrap_opt(pc, node, t->col);
	}
	return node;
}

/* `+ was received by $`, `... من قبل $`, `$ tarafından`: the slot is the agent of a
 * passive, as if written `$:by` (an unmarked slot does not take a `by` actor). */
static void passive_words(struct pc *pc, int seq)
{
	int l = pc->env->lang;
	const char *by = l == RL_TR ? pc->env->lx->markers[RL_TR][1] : l == RL_AR ? "من قبل" : "by";
	int prev = -1;
	for (int c = pc->nodes[seq].child; c >= 0; prev = c, c = pc->nodes[c].next) {
		struct pn *n = &pc->nodes[c];
		int nx = n->next;
		if (l != RL_TR && n->kind == PN_LIT && !n->star && strcmp(n->lit, by) == 0 && nx >= 0 &&
		    pc->nodes[nx].kind == PN_SLOT && !pc->nodes[nx].mark) {
			pc->nodes[nx].mark = strdup("by");
			pc->cp->passive |= pc->nodes[nx].slot == 0;
			/* the slot takes the word along */
			if (prev < 0)
				pc->nodes[seq].child = nx;
			else
				pc->nodes[prev].next = nx;
		} else if (l == RL_TR && n->kind == PN_SLOT && !n->mark && nx >= 0 &&
			   pc->nodes[nx].kind == PN_LIT && !pc->nodes[nx].star &&
			   strcmp(pc->nodes[nx].lit, by) == 0) {
			n->mark = strdup("by");
			pc->cp->passive |= n->slot == 0;
			n->next = pc->nodes[nx].next;
		}
	}
}

static int parse_seq(struct pc *pc)
{
	int seq = new_node(pc, PN_SEQ, pc->toks[pc->pos].col);
	if (seq < 0)
		return -1;
	int e;
	while ((e = parse_elem(pc)) >= 0)
		append_child(pc, seq, e);
	if (e == -1)
		return -1;
	passive_words(pc, seq);
	return seq;
}

static int parse_alts(struct pc *pc, int close_kind)
{
	int alt = new_node(pc, PN_ALT, pc->toks[pc->pos].col);
	if (alt < 0)
		return -1;
	for (;;) {
		int col = pc->toks[pc->pos].col;
		int s = parse_seq(pc);
		if (s < 0)
			return -1;
		if (pc->nodes[s].child < 0)
			ERR(pc, col, "empty alternative");
		append_child(pc, alt, s);
		if (pc->toks[pc->pos].kind != T_BAR)
			break;
		pc->pos++;
	}
	int k = pc->toks[pc->pos].kind;
	if (k != close_kind) {
		if (k == T_RPAR)
			ERR(pc, pc->toks[pc->pos].col, "')' without '('");
		else if (k == T_RBRACE)
			ERR(pc, pc->toks[pc->pos].col, "'}' without '{'");
	}
	return alt;
}

/* --- code generation ---------------------------------------------------------------------- */

#define MAX_GROUPS 1000

struct gen {
	struct pc *pc;
	struct buf re;
	uint8_t groups[MAX_GROUPS + 1];
	int ngroups;
	int in_trig;
};

static int add_group(struct gen *g, int kind)
{
	if (g->ngroups >= MAX_GROUPS) {
		/* reported once; the pattern is dropped, not the run */
		if (g->ngroups++ == MAX_GROUPS)
			ERR(g->pc, 0, "pattern too complex (more than %d captured parts)", MAX_GROUPS);
		return buf_adds(&g->re, "(?:");
	}
	g->groups[++g->ngroups] = (uint8_t)kind;
	return buf_addc(&g->re, '(');
}

static int add_escaped(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (strchr("\\^$.|?*+()[]{}", s[i]) && s[i] && buf_addc(b, '\\'))
			return -1;
		if (buf_addc(b, s[i]))
			return -1;
	}
	return 0;
}

static int gen_node(struct gen *g, int n);
static int gen_guard(struct pc *pc, int n, struct buf *b);

/* A Turkish noun with a third-person possessive, perhaps with a case after it (`krizi`,
 * `konusunda`, `topraklarını`), not a past-tense verb (`geldi`, `etti`): a bare name right
 * before one modifies it (`Suriye konusunda`), so a gap may skip that name. */
#define IZAFET_HEAD "[a-z]*[^dt \\x01-\\x03][iu] |[a-z]*s?[iu](?:nd[ae]n?|n[aeiu]|n[iu]n|yl[ae]) "

static int gen_gap(struct gen *g)
{
	char tmp[256];
	/* Turkish marks its objects by case, so a gap may skip an oblique actor (`Soçi'de
	 * Suriye'yi görüştü`) but not a nominative one, which would be a subject of its own,
	 * unless it only modifies the next noun */
	if (g->pc->env->lang == RL_TR)
		snprintf(tmp, sizeof tmp, "(?:(?!\x01[w-]\x02nom\x02[0-9]+\x03 (?!" IZAFET_HEAD "))" GAP_TOKEN "){0,%d}?",
			 g->pc->env->gap);
	else
		snprintf(tmp, sizeof tmp, "(?:" GAP_TOKEN "){0,%d}?", g->pc->env->gap);
	return buf_adds(&g->re, tmp);
}

static int gen_lit(struct gen *g, struct pn *node)
{
	struct buf *b = &g->re;
	int l = g->pc->env->lang;
	struct token *toks = NULL;
	size_t cap = 0;
	int nt = tokenize(node->lit, strlen(node->lit), &toks, &cap);
	if (nt < 0)
		return -1;
	int rc = 0;
	for (int i = 0; i < nt && !rc; i++) {
		const char *s = node->lit + toks[i].ks;
		size_t n = toks[i].ke - toks[i].ks;
		if (l == RL_AR && i == 0) {
			/* proclitics in front: و ف, then ب ل ك or the future س; لل for ل + ال */
			if (g->in_trig)
				rc |= add_group(g, PG_PREFIX);
			else
				rc |= buf_adds(b, "(?:");
			if (n > 4 && memcmp(s, "ال", 4) == 0) {
				rc |= buf_adds(b, "(?:و|ف)?(?:(?:ب|ك)?ال|لل))");
				s += 4;
				n -= 4;
			} else {
				rc |= buf_adds(b, "(?:و|ف)?(?:ب|ل|ك|س)?)");
			}
		}
		rc |= add_escaped(b, s, n);
		if (node->star && i == nt - 1) {
			if (g->in_trig)
				rc |= add_group(g, PG_REST) || buf_adds(b, "[^ ]*)");
			else
				rc |= buf_adds(b, "[^ ]*");
		}
		rc |= buf_addc(b, ' ');
	}
	free(toks);
	return rc ? -1 : 0;
}

static int gen_slot(struct gen *g, struct pn *node)
{
	struct buf *b = &g->re;
	int l = g->pc->env->lang;
	const struct lexicon *lx = g->pc->env->lx;
	char actm[256];
	const char *mark = node->mark;
	const char *word = NULL; /* the preposition/postposition token the mark comes from */
	if (mark) {
		if (l == RL_TR && strcmp(mark, "ile") == 0)
			word = lx->markers[RL_TR][0];
		else if (l == RL_TR && strcmp(mark, "by") == 0)
			word = lx->markers[RL_TR][1];
		else if (l == RL_AR && strcmp(mark, "by") == 0)
			word = "من قبل";
		else if (l != RL_TR && strcmp(mark, "nom") && strcmp(mark, "gen") && strcmp(mark, "ب") &&
			 strcmp(mark, "ل"))
			word = mark;
	}
	struct buf mk = BUF_INIT;
	if (!mark) /* any case but the agent of a passive, which only $:by takes, and in
		    * English the place of the action (in, at), which only a slot marked so takes;
		    * Arabic في also names the group one belongs to (قيادي في حزب الله) */
		buf_adds(&mk, l == RL_EN ? "(?!(?:by|in|at)\x02)[^\x02]*" : "(?!by\x02)[^\x02]*");
	else
		add_escaped(&mk, mark, strlen(mark));
	snprintf(actm, sizeof actm, "\x01[w-]\x02(?:%s)\x02[0-9]+\x03 ", mk.p ? mk.p : "");
	buf_release(&mk);
	/* A compound is `A ve B`, `A, B ve C` (a comma alone does not join: the Turkish
	 * subject is set off by one, `Erdoğan, Rusya ile ...`); in Arabic the conjunction is
	 * usually a proclitic of the next member (`تركيا وروسيا`). Greedy, so the longest
	 * reading is tried first and a shorter one when the rest of the pattern needs it. */
	const char *member = "\x01[w-]\x02nom\x02[0-9]+\x03 ";
	const char *comma = "(?:,|،) ";
	char conj[64];
	snprintf(conj, sizeof conj, "%s ", lx->conj[l]);
	int rc = 0;
	if (l == RL_TR) {
		/* the case suffix is on the last member: `Rusya ve Türkiye'ye` */
		rc |= add_group(g, node->slot ? PG_TGT : PG_SRC);
		/* `Rusya ile Ukrayna (arasında)` joins two as well */
		rc |= buf_adds(b, "(?:(?:") || buf_adds(b, member) || buf_adds(b, comma) ||
		      buf_adds(b, ")*(?:") || buf_adds(b, member) || buf_adds(b, conj) ||
		      buf_adds(b, "|\x01[w-]\x02ile\x02[0-9]+\x03 ile ))?");
		rc |= buf_adds(b, actm) || buf_adds(b, ")");
		if (word) {
			rc |= buf_adds(b, "(?:");
			rc |= add_escaped(b, word, strlen(word));
			rc |= buf_adds(b, " )?");
		}
	} else {
		/* the preposition is before the first member: `with Russia and Turkey` */
		if (word) {
			rc |= buf_adds(b, "(?:");
			rc |= add_escaped(b, word, strlen(word));
			rc |= buf_adds(b, " )?");
		}
		rc |= add_group(g, node->slot ? PG_TGT : PG_SRC);
		rc |= buf_adds(b, actm);
		if (l == RL_AR)
			rc |= buf_adds(b, "(?:(?:(?:,|،) )?(?:و ") || buf_adds(b, member) ||
			      buf_adds(b, "|\x01w\x02nom\x02[0-9]+\x03 ))*)");
		else
			/* English headlines join with a comma alone: `Erdogan, Putin discuss Syria` */
			rc |= buf_adds(b, "(?:") || buf_adds(b, comma) || buf_adds(b, member) ||
			      buf_adds(b, ")*(?:(?:, )?") || buf_adds(b, conj) || buf_adds(b, member) ||
			      buf_adds(b, ")?)");
	}
	return rc ? -1 : 0;
}

static int is_slot_like(struct pc *pc, int n)
{
	return n >= 0 && pc->nodes[n].kind == PN_SLOT;
}

static int gen_seq_children(struct gen *g, int first)
{
	struct pc *pc = g->pc;
	for (int c = first; c >= 0; c = pc->nodes[c].next) {
		if (gen_node(g, c))
			return -1;
		int nx = pc->nodes[c].next;
		/* noun phrases, adverbs and places stand between actors and verbs */
		if (nx >= 0 && (is_slot_like(pc, c) || is_slot_like(pc, nx)) &&
		    pc->nodes[c].kind != PN_GAP && pc->nodes[nx].kind != PN_GAP) {
			if (gen_gap(g))
				return -1;
			/* Turkish puts the object next to the verb: before the target slot the
			 * gap is greedy, so the target is the actor nearest to what follows it
			 * (`Irak'ın kuzeyindeki PKK hedeflerine` -> PKK) */
			if (pc->env->lang == RL_TR && pc->nodes[nx].kind == PN_SLOT && pc->nodes[nx].slot == 1 &&
			    g->re.len && g->re.p[g->re.len - 1] == '?')
				g->re.p[--g->re.len] = '\0';
		}
	}
	return 0;
}

static int gen_node(struct gen *g, int n)
{
	struct pc *pc = g->pc;
	struct pn *node = &pc->nodes[n];
	struct buf *b = &g->re;
	switch (node->kind) {
	case PN_SEQ:
		return gen_seq_children(g, node->child);
	case PN_ALT: {
		/* alternatives of words: a guard (one alternative: its own parts have theirs) */
		if (node->child >= 0 && pc->nodes[node->child].next >= 0 && gen_guard(pc, n, b))
			return -1;
		if (buf_adds(b, "(?:"))
			return -1;
		for (int c = node->child; c >= 0; c = pc->nodes[c].next) {
			if (gen_node(g, c))
				return -1;
			if (pc->nodes[c].next >= 0 && buf_addc(b, '|'))
				return -1;
		}
		return buf_addc(b, ')');
	}
	case PN_OPT:
		if (buf_adds(b, "(?:") || gen_node(g, node->child))
			return -1;
		return buf_adds(b, ")?");
	case PN_TRIG: {
		if (add_group(g, PG_TRIGGER))
			return -1;
		g->in_trig++;
		int rc = gen_seq_children(g, node->child);
		g->in_trig--;
		return rc || buf_addc(b, ')');
	}
	case PN_LIT:
		return gen_lit(g, node);
	case PN_SLOT:
		return gen_slot(g, node);
	case PN_GAP:
		return gen_gap(g);
	case PN_PRED: {
		char tmp[64];
		snprintf(tmp, sizeof tmp, "(?C%d)" WORD_TOKEN, node->pred);
		return buf_adds(b, tmp);
	}
	}
	return 0;
}

/* --- the guard of a pattern that opens with words ------------------------------------------ */

/* A pattern whose first element is a literal or an alternative of literals (a trigger set)
 * is tried by PCRE2 at every token, each alternative in turn; in Arabic each also with its
 * optional proclitics, which leaves PCRE2 no first byte to look for. A lookahead in front,
 * `(?=` the proclitics, then the first words factored into a trie `)`, fails at a token
 * none of them begins at after a few byte comparisons. It accepts a superset of what the
 * first element accepts (no end of word, any proclitic), so what matches, and every
 * capture, is what the pattern alone gives. */

/* outside Arabic, PCRE2 itself skips to the bytes that can open a few words */
#define GUARD_MIN_WORDS 2

struct wlist {
	char **v;
	size_t n, cap;
	int preds[16]; /* /regex/ predicates that may open a match instead: their callouts */
	int npreds;
};

static int wlist_add(struct wlist *w, const char *s, size_t n)
{
	if (w->n == w->cap) {
		size_t c = w->cap ? w->cap * 2 : 16;
		char **v = realloc(w->v, c * sizeof(*v));
		if (!v)
			return -1;
		w->v = v;
		w->cap = c;
	}
	char *k = malloc(n + 1);
	if (!k)
		return -1;
	memcpy(k, s, n);
	k[n] = '\0';
	w->v[w->n++] = k;
	return 0;
}

static void wlist_free(struct wlist *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->v[i]);
	free(w->v);
}

/* The words (Arabic: without a leading ال) and predicates one of which opens every match
 * of node n: 1 when known, 0 when the node may open otherwise (a slot, a gap, an optional
 * part), -1 when out of memory. */
static int first_words(struct pc *pc, int n, struct wlist *out)
{
	struct pn *node = &pc->nodes[n];
	switch (node->kind) {
	case PN_LIT: {
		struct token *toks = NULL;
		size_t cap = 0;
		int nt = tokenize(node->lit, strlen(node->lit), &toks, &cap);
		if (nt <= 0) {
			free(toks);
			return nt < 0 ? -1 : 0;
		}
		const char *s = node->lit + toks[0].ks;
		size_t len = toks[0].ke - toks[0].ks;
		free(toks);
		if (pc->env->lang == RL_AR && len > 4 && memcmp(s, "ال", 4) == 0)
			s += 4, len -= 4;
		if (len == 0)
			return 0;
		return wlist_add(out, s, len) ? -1 : 1;
	}
	case PN_ALT:
		if (node->child < 0)
			return 0;
		for (int c = node->child; c >= 0; c = pc->nodes[c].next) {
			int rc = first_words(pc, c, out);
			if (rc <= 0)
				return rc;
		}
		return 1;
	case PN_SEQ:
	case PN_TRIG:
		return node->child >= 0 ? first_words(pc, node->child, out) : 0;
	case PN_PRED:
		/* Arabic, where the guard runs at every token (the proclitics leave PCRE2 no
		 * first byte to look for): a regex whose matches all begin with a literal is
		 * that literal, as a word, so the guard asks no callout at every token (the
		 * element's own callout runs where the guard passes). Not yet elsewhere:
		 * tests/unit/test_patterns.c expects the callout in an English guard. */
		if (node->lit_opens && pc->env->lang == RL_AR) {
			const char *s = node->lit;
			size_t len = strlen(s);
			if (pc->env->lang == RL_AR && len > 4 && memcmp(s, "ال", 4) == 0)
				s += 4, len -= 4;
			return wlist_add(out, s, len) ? -1 : 1;
		}
		if (out->npreds == (int)(sizeof out->preds / sizeof out->preds[0]))
			return 0;
		out->preds[out->npreds++] = node->pred;
		return 1;
	default:
		return 0;
	}
}

static int cmp_word(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_byte(struct buf *b, unsigned char c)
{
	if (c >= 0x80 || isalnum(c))
		return buf_addc(b, (char)c);
	char tmp[8];
	snprintf(tmp, sizeof tmp, "\\x%02x", c);
	return buf_adds(b, tmp);
}

/* Sorted words v[lo..hi), equal in their first depth bytes, as a factored regex. */
static int emit_trie(struct buf *b, char **v, size_t lo, size_t hi, size_t depth)
{
	for (size_t i = lo; i < hi; i++)
		if (v[i][depth] == '\0')
			return 0; /* a word ends here: what follows does not matter */
	size_t groups = 0;
	for (size_t i = lo; i < hi; i++)
		if (i == lo || v[i][depth] != v[i - 1][depth])
			groups++;
	if (groups > 1 && buf_adds(b, "(?:"))
		return -1;
	for (size_t i = lo; i < hi;) {
		size_t j = i;
		while (j < hi && v[j][depth] == v[i][depth])
			j++;
		if (i > lo && buf_addc(b, '|'))
			return -1;
		if (add_byte(b, (unsigned char)v[i][depth]) || emit_trie(b, v, i, j, depth + 1))
			return -1;
		i = j;
	}
	return groups > 1 ? buf_addc(b, ')') : 0;
}

/* The guard for node n, appended to b: nothing when n does not open with words (or a
 * predicate), or when they are too few to be worth it. */
static int gen_guard(struct pc *pc, int n, struct buf *b)
{
	struct wlist w = {0};
	int rc = first_words(pc, n, &w);
	int ar = pc->env->lang == RL_AR;
	if (rc <= 0 || (!ar && w.n + (size_t)w.npreds < GUARD_MIN_WORDS)) {
		wlist_free(&w);
		return rc < 0 ? -1 : 0;
	}
	if (w.n)
		qsort(w.v, w.n, sizeof(*w.v), cmp_word);
	/* gen_lit's proclitics, any combination: و ف, then ب ل ك س, then ال or the ل of لل; a
	 * predicate asks its callout, which the engine answers per token as the pattern would */
	int err = buf_adds(b, "(?=(?:");
	if (w.n && ar)
		err = err || buf_adds(b, "(?:و|ف)?(?:ب|ل|ك|س)?(?:ال|ل)?");
	if (w.n)
		err = err || emit_trie(b, w.v, 0, w.n, 0);
	for (int i = 0; i < w.npreds && !err; i++) {
		char tmp[32];
		snprintf(tmp, sizeof tmp, "%s(?C%d)", w.n || i ? "|" : "", w.preds[i]);
		err = buf_adds(b, tmp);
	}
	err = err || buf_adds(b, "))");
	wlist_free(&w);
	return err ? -1 : 0;
}

/* --- analysis ------------------------------------------------------------------------------ */

static int is_trigger_part(struct pc *pc, int n)
{
	int k = pc->nodes[n].kind;
	if (k == PN_OPT)
		return is_trigger_part(pc, pc->nodes[n].child);
	return k == PN_LIT || k == PN_ALT || k == PN_PRED;
}

/* Without { }, the first run of literal elements is the trigger: wrap it. */
static int default_trigger(struct pc *pc, int top)
{
	/* top is an ALT of one SEQ (the pattern) */
	int seq = pc->nodes[top].child;
	if (pc->nodes[seq].next >= 0)
		return 0; /* a top-level alternative: no single run */
	int prev = -1, c = pc->nodes[seq].child;
	while (c >= 0 && !is_trigger_part(pc, c)) {
		prev = c;
		c = pc->nodes[c].next;
	}
	if (c < 0)
		return 0;
	int last = c;
	while (pc->nodes[last].next >= 0 && is_trigger_part(pc, pc->nodes[last].next))
		last = pc->nodes[last].next;
	int t = new_node(pc, PN_TRIG, pc->nodes[c].col);
	if (t < 0)
		return -1;
	/* t takes the children c..last */
	pc->nodes[t].child = c;
	pc->nodes[t].next = pc->nodes[last].next;
	pc->nodes[last].next = -1;
	if (prev < 0)
		pc->nodes[seq].child = t;
	else
		pc->nodes[prev].next = t;
	return 0;
}

/* Literal tokens every match must contain, and the mandatory literal count. */
struct reqset {
	struct preq *v;
	size_t n, cap;
	int none;
};

static void reqset_free(struct reqset *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].key);
	free(r->v);
	r->v = NULL;
	r->n = r->cap = 0;
}

/* Room for one more in r (doubling: a set of many words is gathered word by word). */
static int reqset_grow(struct reqset *r, size_t more)
{
	if (r->n + more <= r->cap)
		return 0;
	size_t c = r->cap ? r->cap * 2 : 4;
	while (c < r->n + more)
		c *= 2;
	struct preq *v = realloc(r->v, c * sizeof(*v));
	if (!v)
		return -1;
	r->v = v;
	r->cap = c;
	return 0;
}

static int reqset_add(struct reqset *r, const char *key, size_t n, int prefix)
{
	if (reqset_grow(r, 1))
		return -1;
	struct preq *v = r->v;
	v[r->n].key = strndup(key, n);
	v[r->n].prefix = prefix;
	if (!v[r->n].key)
		return -1;
	r->n++;
	return 0;
}

/* Move the tokens of from to the end of r (from is left empty). */
static int reqset_take(struct reqset *r, struct reqset *from)
{
	if (reqset_grow(r, from->n))
		return -1;
	memcpy(r->v + r->n, from->v, from->n * sizeof(*from->v));
	r->n += from->n;
	free(from->v);
	from->v = NULL;
	from->n = from->cap = 0;
	return 0;
}

static size_t reqset_minlen(const struct reqset *r)
{
	size_t m = (size_t)-1;
	for (size_t i = 0; i < r->n; i++)
		if (strlen(r->v[i].key) < m)
			m = strlen(r->v[i].key);
	return m;
}

static int required(struct pc *pc, int n, struct reqset *out, int *spec)
{
	struct pn *node = &pc->nodes[n];
	memset(out, 0, sizeof *out);
	*spec = 0;
	switch (node->kind) {
	case PN_LIT: {
		struct token *toks = NULL;
		size_t cap = 0;
		int nt = tokenize(node->lit, strlen(node->lit), &toks, &cap);
		if (nt < 0)
			return -1;
		/* the longest token of the literal is the rarest guess */
		int best = -1;
		size_t bl = 0;
		for (int i = 0; i < nt; i++) {
			size_t s = toks[i].ks, l = toks[i].ke - toks[i].ks;
			if (pc->env->lang == RL_AR && l > 4 && memcmp(node->lit + s, "ال", 4) == 0)
				l -= 4;
			if (l > bl) {
				bl = l;
				best = i;
			}
		}
		*spec = 2 * nt;
		int rc = 0;
		if (best >= 0) {
			size_t s = toks[best].ks, l = toks[best].ke - toks[best].ks;
			if (pc->env->lang == RL_AR && l > 4 && memcmp(node->lit + s, "ال", 4) == 0)
				s += 4, l -= 4;
			rc = reqset_add(out, node->lit + s, l, node->star && best == nt - 1);
		} else {
			out->none = 1;
		}
		free(toks);
		return rc;
	}
	case PN_SEQ: case PN_TRIG: {
		struct reqset best = {NULL, 0, 0, 1};
		for (int c = node->child; c >= 0; c = pc->nodes[c].next) {
			struct reqset r;
			int s;
			if (required(pc, c, &r, &s))
				return -1;
			*spec += s;
			if (!r.none && (best.none || r.n < best.n ||
					(r.n == best.n && reqset_minlen(&r) > reqset_minlen(&best)))) {
				reqset_free(&best);
				best = r;
			} else {
				reqset_free(&r);
			}
		}
		*out = best;
		return 0;
	}
	case PN_ALT: {
		int min_spec = -1;
		for (int c = node->child; c >= 0; c = pc->nodes[c].next) {
			struct reqset r;
			int s;
			if (required(pc, c, &r, &s))
				return -1;
			if (min_spec < 0 || s < min_spec)
				min_spec = s;
			if (r.none)
				out->none = 1;
			if (!out->none && reqset_take(out, &r)) {
				reqset_free(&r);
				return -1;
			}
			reqset_free(&r);
		}
		if (out->none)
			reqset_free(out);
		*spec = min_spec < 0 ? 0 : min_spec;
		return 0;
	}
	case PN_SLOT:
		*spec = node->mark ? 1 : 0;
		out->none = 1;
		return 0;
	case PN_PRED:
		*spec = 1;
		if (node->lit)
			return reqset_add(out, node->lit, strlen(node->lit), 1);
		out->none = 1;
		return 0;
	default:
		out->none = 1;
		return 0;
	}
}

/* The most tokens of the tagged string node n can take (-1: no bound: a slot takes a
 * compound of any length). Gaps as gen_seq_children() puts them between siblings. */
static int max_width(struct pc *pc, int n)
{
	struct pn *node = &pc->nodes[n];
	switch (node->kind) {
	case PN_LIT: {
		struct token *toks = NULL;
		size_t cap = 0;
		int nt = tokenize(node->lit, strlen(node->lit), &toks, &cap);
		free(toks);
		return nt < 0 ? -1 : nt;
	}
	case PN_PRED:
		return 1;
	case PN_GAP:
		return pc->env->gap;
	case PN_OPT:
		return max_width(pc, node->child);
	case PN_ALT: {
		int w = 0;
		for (int c = node->child; c >= 0; c = pc->nodes[c].next) {
			int cw = max_width(pc, c);
			if (cw < 0)
				return -1;
			w = cw > w ? cw : w;
		}
		return w;
	}
	case PN_SEQ:
	case PN_TRIG: {
		int w = 0;
		for (int c = node->child; c >= 0; c = pc->nodes[c].next) {
			int cw = max_width(pc, c), nx = pc->nodes[c].next;
			if (cw < 0)
				return -1;
			w += cw;
			if (nx >= 0 && (is_slot_like(pc, c) || is_slot_like(pc, nx)) &&
			    pc->nodes[c].kind != PN_GAP && pc->nodes[nx].kind != PN_GAP)
				w += pc->env->gap;
		}
		return w;
	}
	default:
		return -1;
	}
}

/* Sums of widths where -1 is no bound. */
static int add_width(int a, int b)
{
	return a < 0 || b < 0 || a > INT16_MAX - b ? -1 : a + b;
}

/* The next mandatory element: the greatest distance in tokens of the tagged string from
 * the token of the one before (its word, or its slot's marked actor) to its own, as far as
 * the pattern knows it: the elements between and how far each of the two may reach from
 * its token (before: to its start; after: to its end). A slot's own reach (the members of
 * a compound, the preposition taken along) depends on the sentence: the engine adds it. */
static int16_t next_dist(struct pc *pc, int before, int after)
{
	int d = add_width(add_width(pc->pend, pc->last_after), add_width(before, 1));
	pc->pend = 0;
	pc->last_after = after;
	return (int16_t)d;
}

/* All mandatory literal groups of a sequence (see struct cpattern). */
static int add_mseq(struct cpattern *cp, int16_t el, const char *mark, int16_t dist)
{
	int16_t *dv = realloc(cp->mseq_dist, (cp->nmseq + 1) * sizeof(*dv));
	if (!dv)
		return -1;
	cp->mseq_dist = dv;
	dv[cp->nmseq] = cp->nmseq ? dist : -1;
	int16_t *v = realloc(cp->mseq, (cp->nmseq + 1) * sizeof(*v));
	if (!v)
		return -1;
	cp->mseq = v;
	char **m = realloc(cp->mseq_mark, (cp->nmseq + 1) * sizeof(*m));
	if (!m)
		return -1;
	cp->mseq_mark = m;
	m[cp->nmseq] = NULL;
	if (mark && !(m[cp->nmseq] = strdup(mark)))
		return -1;
	v[cp->nmseq++] = el;
	return 0;
}

static int add_group_req(struct pc *pc, struct cpattern *cp, const struct reqset *r, int width)
{
	if (r->none || !r->n) {
		pc->pend = add_width(pc->pend, width);
		return 0;
	}
	struct preq *g = realloc(cp->glit, (cp->nglit + r->n) * sizeof(*g));
	if (!g)
		return -1;
	cp->glit = g;
	int *e = realloc(cp->gend, (cp->ngroups_req + 1) * sizeof(*e));
	if (!e)
		return -1;
	cp->gend = e;
	/* the group's word may be any of an alternative's: width - 1 tokens on either side */
	int reach = width < 0 ? -1 : width - 1;
	if (cp->ngroups_req >= INT16_MAX) { /* (past that, left out of the order: fewer tests) */
		pc->pend = add_width(pc->pend, width);
	} else {
		if (!cp->nmseq) /* the first: what stands before it, and its own reach */
			cp->lead = add_width(pc->pend, reach);
		if (add_mseq(cp, (int16_t)cp->ngroups_req, NULL, next_dist(pc, reach, reach)))
			return -1;
	}
	for (size_t i = 0; i < r->n; i++) {
		g[cp->nglit].key = strdup(r->v[i].key);
		g[cp->nglit].prefix = r->v[i].prefix;
		if (!g[cp->nglit].key)
			return -1;
		cp->nglit++;
	}
	cp->gend[cp->ngroups_req++] = (int)cp->nglit;
	return 0;
}

static int mandatory_groups(struct pc *pc, int seq)
{
	for (int c = pc->nodes[seq].child; c >= 0; c = pc->nodes[c].next) {
		struct pn *node = &pc->nodes[c];
		int nx = node->next;
		if (node->kind == PN_TRIG || node->kind == PN_SEQ) {
			if (mandatory_groups(pc, c))
				return -1;
		} else if (node->kind == PN_SLOT) {
			/* a slot always takes an actor's placeholder, in its place in the order,
			 * and one of its actors carries the slot's mark */
			if (add_mseq(pc->cp, MSEQ_SLOT, node->mark, next_dist(pc, 0, 0)))
				return -1;
		} else if (node->kind == PN_LIT) {
			/* each word of a phrase must be there */
			struct token *toks = NULL;
			size_t cap = 0;
			int nt = tokenize(node->lit, strlen(node->lit), &toks, &cap);
			if (nt < 0)
				return -1;
			for (int i = 0; i < nt; i++) {
				size_t s = toks[i].ks, l = toks[i].ke - toks[i].ks;
				if (pc->env->lang == RL_AR && l > 4 && memcmp(node->lit + s, "ال", 4) == 0)
					s += 4, l -= 4;
				struct reqset r = {NULL, 0, 0, 0};
				int rc = reqset_add(&r, node->lit + s, l, node->star && i == nt - 1);
				if (!rc)
					rc = add_group_req(pc, pc->cp, &r, 1);
				reqset_free(&r);
				if (rc) {
					free(toks);
					return -1;
				}
			}
			free(toks);
		} else if (node->kind == PN_ALT || (node->kind == PN_PRED && node->lit)) {
			struct reqset r;
			int spec;
			if (required(pc, c, &r, &spec))
				return -1;
			int rc = add_group_req(pc, pc->cp, &r, max_width(pc, c));
			reqset_free(&r);
			if (rc)
				return -1;
		} else {
			pc->pend = add_width(pc->pend, max_width(pc, c));
		}
		/* the gap gen_seq_children() puts between a slot and its neighbour */
		if (nx >= 0 && (is_slot_like(pc, c) || is_slot_like(pc, nx)) && node->kind != PN_GAP &&
		    pc->nodes[nx].kind != PN_GAP)
			pc->pend = add_width(pc->pend, pc->env->gap);
	}
	return 0;
}

int cpattern_compile(struct cpattern *cp, const char *text, int rule, const char *file,
		     int line, int col, struct pattern_env *env, struct diags *d)
{
	memset(cp, 0, sizeof(*cp));
	cp->rule = rule;
	cp->text = text;
	cp->line = line;
	cp->col = col;
	struct pc pc;
	memset(&pc, 0, sizeof pc);
	pc.text = text;
	pc.file = file;
	pc.line = line;
	pc.col0 = col;
	pc.env = env;
	pc.d = d;
	pc.cp = cp;
	size_t count;
	int rc = 1, top = -1;
	struct gen g;
	memset(&g, 0, sizeof g);
	if (lex(&pc, text, &count))
		goto oom;
	if (pc.nt + 1 > pc.tcap) {
		struct ptok *t = realloc(pc.toks, (pc.nt + 1) * sizeof(*t));
		if (!t)
			goto oom;
		pc.toks = t;
		pc.tcap = pc.nt + 1;
	}
	memset(&pc.toks[pc.nt], 0, sizeof(struct ptok));
	pc.toks[pc.nt].kind = T_END;
	pc.toks[pc.nt].col = (int)strlen(text);
	pc.nt++;
	top = parse_alts(&pc, T_END);
	if (top < 0 || pc.oom)
		goto oom;
	if (pc.toks[pc.pos].kind != T_END)
		ERR(&pc, pc.toks[pc.pos].col, "unexpected '%.*s'", (int)pc.toks[pc.pos].n, pc.toks[pc.pos].s);
	if (pc.nsrc > 1 || pc.ntgt > 1)
		ERR(&pc, 0, "a pattern has at most one '$' and one '+'");
	if (pc.nsrc + pc.ntgt == 0)
		ERR(&pc, 0, "pattern has no actor slot ('$' or '+'): it can never code an event");
	if (pc.ntrig == 0 && default_trigger(&pc, top))
		goto oom;
	cp->has_src = pc.nsrc > 0;
	cp->has_tgt = pc.ntgt > 0;
	/* what a sentence must have for this pattern to be worth trying: the slots of the
	 * top-level sequence (and its trigger) are mandatory */
	{
		int seq = pc.nodes[top].next < 0 ? pc.nodes[top].child : -1;
		if (seq >= 0 && pc.nodes[seq].next >= 0)
			seq = -1; /* top-level alternatives: nothing is certain */
		int nslots = 0;
		for (int c = seq >= 0 ? pc.nodes[seq].child : -1; c >= 0; c = pc.nodes[c].next) {
			int inner = pc.nodes[c].kind == PN_TRIG ? pc.nodes[c].child : -1;
			for (int n = inner >= 0 ? inner : c; n >= 0; n = inner >= 0 ? pc.nodes[n].next : -1) {
				if (pc.nodes[n].kind == PN_SLOT) {
					nslots++;
					if (pc.nodes[n].mark)
						cp->need_marks |= mark_bit(pc.nodes[n].mark);
				}
				if (inner < 0)
					break;
			}
		}
		cp->min_actors = nslots;
		if (nslots == 1 && env->rs->rules[rule].symmetric && !cp->has_tgt)
			cp->min_actors = 2; /* a compound */
	}
	struct reqset req;
	if (required(&pc, top, &req, &cp->specificity))
		goto oom;
	cp->lead = -1; /* (a slot first, or no single sequence: mandatory_groups() sets none) */
	if (pc.nodes[top].child >= 0 && pc.nodes[pc.nodes[top].child].next < 0 &&
	    mandatory_groups(&pc, pc.nodes[top].child))
		goto oom;
	if (!req.none) {
		cp->req = req.v;
		cp->nreq = req.n;
	} else {
		reqset_free(&req);
	}
	if (pc.error)
		goto done;
	g.pc = &pc;
	/* a match starts at a token; a pattern opening with a slot starts at an actor's \x01,
	 * which only ever opens a token, and is left without the assertion so that PCRE2 can
	 * look for that byte first */
	int first = pc.nodes[top].next < 0 && pc.nodes[top].child >= 0 &&
			    pc.nodes[pc.nodes[top].child].next < 0
		    ? pc.nodes[pc.nodes[top].child].child
		    : -1;
	int bare_slot = first >= 0 && pc.nodes[first].kind == PN_SLOT &&
			(!pc.nodes[first].mark || env->lang == RL_TR ||
			 !strcmp(pc.nodes[first].mark, "nom") || !strcmp(pc.nodes[first].mark, "gen") ||
			 !strcmp(pc.nodes[first].mark, "ب") || !strcmp(pc.nodes[first].mark, "ل"));
	/* a pattern opening with one word: its guard (alternatives have their own) */
	int open = top;
	while (open >= 0 && (pc.nodes[open].kind == PN_SEQ || pc.nodes[open].kind == PN_TRIG ||
			     (pc.nodes[open].kind == PN_ALT && pc.nodes[open].child >= 0 &&
			      pc.nodes[pc.nodes[open].child].next < 0)))
		open = pc.nodes[open].child;
	/* a match of a pattern opening with a /regex/ starts at a token it accepts */
	if (open >= 0 && pc.nodes[open].kind == PN_PRED)
		cp->open_pred = pc.nodes[open].pred;
	if (buf_adds(&g.re, bare_slot ? "" : "(?<![^ ])") ||
	    (open >= 0 && pc.nodes[open].kind == PN_LIT && gen_guard(&pc, top, &g.re)) ||
	    gen_node(&g, top))
		goto oom;
	if (pc.error)
		goto done;
	/* JIT compilation is left to the engine, which does it lazily, pattern by pattern */
	if (!(cp->regex = buf_detach(&g.re, &cp->regex_len)))
		goto oom;
	int errcode = env->defer_regex ? 0 : cpattern_compile_regex(cp);
	if (errcode) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(errcode, msg, sizeof msg);
		ERR(&pc, 0, "pattern does not compile: %s", (char *)msg);
		goto done;
	}
	cp->ngroups = g.ngroups;
	cp->groups = malloc((size_t)g.ngroups + 1);
	if (!cp->groups)
		goto oom;
	memcpy(cp->groups, g.groups, (size_t)g.ngroups + 1);
	rc = 0;
	goto done;
oom:
	rc = -1;
done:
	buf_release(&g.re);
	for (size_t i = 0; i < pc.nn; i++)
		free(pc.nodes[i].lit), free(pc.nodes[i].mark);
	free(pc.nodes);
	free(pc.toks);
	if (rc)
		cpattern_release(cp);
	return rc;
}

int cpattern_compile_regex(struct cpattern *cp)
{
	int errcode;
	PCRE2_SIZE erroff;
	/* PCRE2_USE_OFFSET_LIMIT: the engine may tell a search where no match can start
	 * any more (it changes nothing else in the compiled code) */
	cp->re = pcre2_compile((PCRE2_SPTR)cp->regex, cp->regex_len, PCRE2_USE_OFFSET_LIMIT,
			       &errcode, &erroff, NULL);
	return cp->re ? 0 : errcode;
}

void cpattern_release(struct cpattern *cp)
{
	if (cp->re)
		pcre2_code_free(cp->re);
	free(cp->regex);
	free(cp->groups);
	for (size_t i = 0; i < cp->nreq; i++)
		free(cp->req[i].key);
	free(cp->req);
	for (size_t i = 0; i < cp->nglit; i++)
		free(cp->glit[i].key);
	free(cp->glit);
	free(cp->gid);
	free(cp->gend);
	for (size_t i = 0; i < cp->nmseq && cp->mseq_mark; i++)
		free(cp->mseq_mark[i]);
	free(cp->mseq_mark);
	free(cp->mseq_dist);
	cp->mseq_dist = NULL;
	free(cp->mseq);
	cp->mseq = NULL;
	cp->mseq_mark = NULL;
	cp->nmseq = 0;
	cp->glit = NULL;
	cp->gid = NULL;
	cp->gend = NULL;
	cp->nglit = cp->ngroups_req = 0;
	cp->re = NULL;
	cp->regex = NULL;
	cp->groups = NULL;
	cp->req = NULL;
	cp->nreq = 0;
}
