/* test_patterns.c: patterns compiled into regexes over the tagged token string. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "olay/extract.h"

#include "engine_fixture.h"

static int compile(struct cpattern *cp, int lang, const char *text, struct diags *d)
{
	eng.env.lang = lang;
	eng.env.gap = 6;
	return cpattern_compile(cp, text, 0, "t.rules", 7, 11, &eng.env, d);
}

/* Match cp against a tagged string; the span of the first group of kind k, or "". */
static int match(const struct cpattern *cp, const char *ts, int kind, char *out, size_t n)
{
	pcre2_match_data *md = pcre2_match_data_create(64, NULL);
	int rc = pcre2_match(cp->re, (PCRE2_SPTR)ts, strlen(ts), 0, 0, md, NULL);
	out[0] = '\0';
	if (rc > 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		for (int g = 1; g < rc; g++)
			if (cp->groups[g] == kind && ov[2 * g] != PCRE2_UNSET) {
				snprintf(out, n, "%.*s", (int)(ov[2 * g + 1] - ov[2 * g]), ts + ov[2 * g]);
				break;
			}
	}
	pcre2_match_data_free(md);
	return rc > 0;
}

static void test_turkish(void **state)
{
	(void)state;
	struct cpattern cp;
	struct diags d = {0};
	assert_int_equal(compile(&cp, RL_TR, "$ +:ile &meet", &d), 0);
	assert_int_equal(d.n, 0);
	assert_true(cp.has_src && cp.has_tgt);
	assert_false(cp.passive);
	/* indexed by the set's words, in folded form: görüş* -> gorus, a prefix */
	int found = 0;
	for (size_t i = 0; i < cp.nreq; i++)
		found |= strcmp(cp.req[i].key, "gorus") == 0 && cp.req[i].prefix;
	assert_true(found);
	char a0[32], a1[32], ts[256], out[64];
	placeholder(a0, sizeof a0, 0, "nom", 0);
	placeholder(a1, sizeof a1, 0, "ile", 1);
	snprintf(ts, sizeof ts, "%s , %s ile dun gorustu . ", a0, a1);
	assert_true(match(&cp, ts, PG_REST, out, sizeof out));
	assert_string_equal(out, "tu");
	assert_true(match(&cp, ts, PG_TRIGGER, out, sizeof out));
	assert_string_equal(out, "gorustu ");
	/* the target must carry the ile case */
	placeholder(a1, sizeof a1, 0, "dat", 1);
	snprintf(ts, sizeof ts, "%s , %s gorustu . ", a0, a1);
	assert_false(match(&cp, ts, PG_TRIGGER, out, sizeof out));
	cpattern_release(&cp);

	assert_int_equal(compile(&cp, RL_TR, "+ $:by kabul edil*", &d), 0);
	assert_true(cp.passive);
	cpattern_release(&cp);
	diags_release(&d);
}

static void test_compound(void **state)
{
	(void)state;
	struct cpattern cp;
	struct diags d = {0};
	assert_int_equal(compile(&cp, RL_EN, "$ met +:with", &d), 0);
	char a[3][32], ts[256], out[128];
	placeholder(a[0], 32, 0, "nom", 0);
	placeholder(a[1], 32, 0, "nom", 1);
	placeholder(a[2], 32, 0, "with", 2);
	snprintf(ts, sizeof ts, "%s and %s met with %s . ", a[0], a[1], a[2]);
	assert_true(match(&cp, ts, PG_SRC, out, sizeof out));
	char want[128];
	snprintf(want, sizeof want, "%s and %s ", a[0], a[1]);
	assert_string_equal(out, want);
	assert_true(match(&cp, ts, PG_TGT, out, sizeof out));
	snprintf(want, sizeof want, "%s ", a[2]);
	assert_string_equal(out, want);
	cpattern_release(&cp);
	diags_release(&d);
}

static void test_arabic_proclitics(void **state)
{
	(void)state;
	struct cpattern cp;
	struct diags d = {0};
	assert_int_equal(compile(&cp, RL_AR, "{التقى} $ +:ب", &d), 0);
	char a0[32], a1[32], ts[256], out[64];
	placeholder(a0, sizeof a0, 0, "nom", 0);
	placeholder(a1, sizeof a1, 0, "ب", 1);
	/* the key writes ى as ي; و in front is a proclitic */
	snprintf(ts, sizeof ts, "والتقي %s %s . ", a0, a1);
	assert_true(match(&cp, ts, PG_PREFIX, out, sizeof out));
	assert_string_equal(out, "وال");
	cpattern_release(&cp);
	diags_release(&d);
}

static void test_errors(void **state)
{
	(void)state;
	struct cpattern cp;
	struct diags d = {0};
	assert_int_equal(compile(&cp, RL_EN, "$ met +:behind", &d), 1);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.msgs[0], "t.rules:7:17: unknown case marker 'behind' for language 'en'");
	assert_int_equal(compile(&cp, RL_EN, "$ (met | ) +", &d), 1);
	assert_string_equal(d.msgs[1], "t.rules:7:20: empty alternative");
	assert_int_equal(compile(&cp, RL_EN, "$ /[a-/ +", &d), 1);
	assert_non_null(strstr(d.msgs[2], "t.rules:7:13: bad regex /[a-/"));
	assert_int_equal(compile(&cp, RL_EN, "met with", &d), 1);
	assert_non_null(strstr(d.msgs[3], "no actor slot"));
	assert_int_equal(compile(&cp, RL_EN, "$ &nothing +", &d), 1);
	assert_non_null(strstr(d.msgs[4], "t.rules:7:13: unknown set '&nothing'"));
	assert_int_equal(compile(&cp, RL_EN, "$ (met +", &d), 1);
	assert_non_null(strstr(d.msgs[5], "'(' without ')'"));
	diags_release(&d);
}

static int has_req(const struct cpattern *cp, const char *key, int prefix)
{
	for (size_t i = 0; i < cp->nreq; i++)
		if (strcmp(cp->req[i].key, key) == 0 && cp->req[i].prefix == prefix)
			return 1;
	return 0;
}

static void test_regex_index(void **state)
{
	(void)state;
	struct cpattern cp;
	struct diags d = {0};
	/* an anchored regex is indexed by its literal start, folded; a one-letter class counts */
	assert_int_equal(compile(&cp, RL_TR, "$ +:acc {/^[öo]ldür(?=dü|üyor)/}", &d), 0);
	assert_true(has_req(&cp, "oldur", 1));
	cpattern_release(&cp);
	/* a quantified letter ends the literal start */
	assert_int_equal(compile(&cp, RL_EN, "$ {/^atta?ck/} +", &d), 0);
	assert_true(has_req(&cp, "att", 1));
	cpattern_release(&cp);
	/* Arabic proclitics in a class are stripped by the index anyway */
	assert_int_equal(compile(&cp, RL_AR, "{/^[وف]?حث$/} $ +", &d), 0);
	assert_true(has_req(&cp, "حث", 1));
	cpattern_release(&cp);
	/* no literal start: tried on every sentence of the language */
	assert_int_equal(compile(&cp, RL_EN, "$ {/(?:met|meets)/} +", &d), 0);
	assert_int_equal(cp.nreq, 0);
	cpattern_release(&cp);
	assert_int_equal(d.n, 0);
	diags_release(&d);
}

/* The regex without its guards (each "(?=(?:" ... "))" the compiler puts before words). */
static char *strip_guards(const char *re)
{
	char *out = malloc(strlen(re) + 1);
	size_t k = 0;
	for (const char *p = re; *p;) {
		if (strncmp(p, "(?=(?:", 6) == 0) {
			int depth = 0;
			do {
				if (*p == '\\' && p[1])
					p++;
				else if (*p == '(')
					depth++;
				else if (*p == ')')
					depth--;
				p++;
			} while (*p && depth > 0);
			continue;
		}
		out[k++] = *p++;
	}
	out[k] = '\0';
	return out;
}

/* Every match and capture of cp is that of its regex without guards. */
static void same_as_unguarded(const struct cpattern *cp, const char *const *sentences, size_t n)
{
	char *plain = strip_guards(cp->regex);
	assert_true(strlen(plain) < strlen(cp->regex)); /* it had a guard */
	int err;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)plain, PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);
	assert_non_null(re);
	pcre2_jit_compile(cp->re, PCRE2_JIT_COMPLETE);
	pcre2_match_data *m1 = pcre2_match_data_create(64, NULL), *m2 = pcre2_match_data_create(64, NULL);
	int matched = 0;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(sentences[i]);
		for (PCRE2_SIZE start = 0; start <= len; start++) {
			int r1 = pcre2_match(cp->re, (PCRE2_SPTR)sentences[i], len, start, 0, m1, NULL);
			int r2 = pcre2_match(re, (PCRE2_SPTR)sentences[i], len, start, 0, m2, NULL);
			assert_int_equal(r1, r2);
			if (r1 <= 0)
				continue;
			matched++;
			PCRE2_SIZE *o1 = pcre2_get_ovector_pointer(m1), *o2 = pcre2_get_ovector_pointer(m2);
			for (int g = 0; g < 2 * r1; g++)
				assert_int_equal(o1[g], o2[g]);
		}
	}
	assert_true(matched > 0);
	pcre2_match_data_free(m1);
	pcre2_match_data_free(m2);
	pcre2_code_free(re);
	free(plain);
}

static void test_guards(void **state)
{
	(void)state;
	struct cpattern cp;
	struct diags d = {0};
	char a0[32], a1[32], ts[8][256];
	const char *tsv[8];
	placeholder(a0, sizeof a0, 0, "nom", 0);
	placeholder(a1, sizeof a1, 0, "مع", 1);
	/* Arabic: proclitics, ل + ال written لل, words that are prefixes of others, a word
	 * that starts with ل (a proclitic or the word's own letter) */
	assert_int_equal(compile(&cp, RL_AR, "{(لقاء | لقاءات | الاجتماع | اجتماع | قاء | مباحثات)} $ +:مع", &d), 0);
	assert_int_equal(d.n, 0);
	assert_non_null(strstr(cp.regex, "(?=(?:"));
	const char *words[] = {"لقاء", "للقاء", "وللقاء", "ولقاءات", "للاجتماع", "بالاجتماع",
			       "فاجتماع", "مباحثات"};
	for (int i = 0; i < 8; i++) {
		snprintf(ts[i], sizeof ts[i], "قال %s %s مع %s . ", words[i], a0, a1);
		tsv[i] = ts[i];
	}
	same_as_unguarded(&cp, tsv, 8);
	cpattern_release(&cp);
	/* alternatives after a slot, in English and Turkish */
	placeholder(a1, sizeof a1, 0, "with", 1);
	assert_int_equal(compile(&cp, RL_EN, "$ (met | meets | meeting | talked) +:with", &d), 0);
	snprintf(ts[0], sizeof ts[0], "%s met %s . ", a0, a1);
	snprintf(ts[1], sizeof ts[1], "%s was meeting with %s and talked with %s . ", a0, a1, a1);
	snprintf(ts[2], sizeof ts[2], "%s , meets %s . ", a0, a1);
	tsv[0] = ts[0], tsv[1] = ts[1], tsv[2] = ts[2];
	same_as_unguarded(&cp, tsv, 3);
	cpattern_release(&cp);
	placeholder(a1, sizeof a1, 0, "ile", 1);
	assert_int_equal(compile(&cp, RL_TR, "$ +:ile (gorustu | gorus* | bulustu)", &d), 0);
	snprintf(ts[0], sizeof ts[0], "%s dun %s ile gorusmek istedi . ", a0, a1);
	snprintf(ts[1], sizeof ts[1], "%s %s ile bulustu ve gorustu . ", a0, a1);
	tsv[0] = ts[0], tsv[1] = ts[1];
	same_as_unguarded(&cp, tsv, 2);
	cpattern_release(&cp);
	/* a predicate among the words: the guard asks its callout */
	assert_int_equal(compile(&cp, RL_EN, "$ (met | /^talk/) +", &d), 0);
	assert_non_null(strstr(cp.regex, "|(?C1)))"));
	cpattern_release(&cp);
	assert_int_equal(d.n, 0);
	diags_release(&d);
}

/* An unmarked slot takes no passive agent, nor in English the place of the action (in,
 * at); a slot marked so does. */
static void test_bare_slot_cases(void **state)
{
	(void)state;
	struct cpattern cp;
	struct diags d = {0};
	char a0[32], a1[32], ts[256], out[64];
	placeholder(a0, sizeof a0, 0, "nom", 0);
	assert_int_equal(compile(&cp, RL_EN, "$:nom {killed} .. +", &d), 0);
	const char *refused[] = {"in", "at", "by"};
	for (int i = 0; i < 3; i++) {
		placeholder(a1, sizeof a1, 0, refused[i], 1);
		snprintf(ts, sizeof ts, "%s killed three people %s %s . ", a0, refused[i], a1);
		assert_false(match(&cp, ts, PG_TGT, out, sizeof out));
	}
	placeholder(a1, sizeof a1, 0, "nom", 1);
	snprintf(ts, sizeof ts, "%s killed three %s soldiers . ", a0, a1);
	assert_true(match(&cp, ts, PG_TGT, out, sizeof out));
	cpattern_release(&cp);
	assert_int_equal(compile(&cp, RL_EN, "$:nom {opened} .. +:in", &d), 0);
	placeholder(a1, sizeof a1, 0, "in", 1);
	snprintf(ts, sizeof ts, "%s opened an embassy in %s . ", a0, a1);
	assert_true(match(&cp, ts, PG_TGT, out, sizeof out));
	cpattern_release(&cp);
	/* Arabic في also names the group a member belongs to: taken */
	assert_int_equal(compile(&cp, RL_AR, "{اعتقلت} $:nom .. +", &d), 0);
	placeholder(a1, sizeof a1, 0, "في", 1);
	snprintf(ts, sizeof ts, "اعتقلت %s قياديا في %s . ", a0, a1);
	assert_true(match(&cp, ts, PG_TGT, out, sizeof out));
	cpattern_release(&cp);
	assert_int_equal(d.n, 0);
	diags_release(&d);
}

/* The placeholder's bytes (patterns.h) and snprintf's contract: the length it needs,
 * nothing written past n. */
static void test_placeholder_bytes(void **state)
{
	(void)state;
	char b[32];
	assert_int_equal(placeholder(b, sizeof b, 'w', "nom", 12), 10);
	assert_memory_equal(b, "\x01w\x02nom\x02" "12\x03", 11);
	assert_int_equal(placeholder(b, sizeof b, 0, "مع", 0), 10);
	assert_memory_equal(b, "\x01-\x02مع\x02" "0\x03", 11);
	memset(b, 'z', sizeof b);
	assert_int_equal(placeholder(b, 5, 0, "nom", 3), 9);
	assert_int_equal(b[0], '\0');
	assert_int_equal(b[5], 'z');
}

/* Deferred regexes (the engine compiles them all at once, in parallel): the pattern is
 * generated the same, cp->re stays empty until cpattern_compile_regex(), which then makes
 * the same regex; a regex PCRE2 refuses gives its error code and no code. */
static void test_deferred_regex(void **state)
{
	(void)state;
	struct cpattern now, later;
	struct diags d = {0};
	assert_int_equal(compile(&now, RL_TR, "$ +:ile &meet", &d), 0);
	eng.env.defer_regex = 1;
	int rc = compile(&later, RL_TR, "$ +:ile &meet", &d);
	eng.env.defer_regex = 0;
	assert_int_equal(rc, 0);
	assert_int_equal(d.n, 0);
	assert_null(later.re);
	assert_int_equal(later.regex_len, now.regex_len);
	assert_memory_equal(later.regex, now.regex, now.regex_len);
	assert_int_equal(cpattern_compile_regex(&later), 0);
	assert_non_null(later.re);
	char a0[32], a1[32], ts[256], out[64];
	placeholder(a0, sizeof a0, 0, "nom", 0);
	placeholder(a1, sizeof a1, 0, "ile", 1);
	snprintf(ts, sizeof ts, "%s , %s ile dun gorustu . ", a0, a1);
	assert_true(match(&later, ts, PG_TRIGGER, out, sizeof out));
	assert_string_equal(out, "gorustu ");
	cpattern_release(&now);
	cpattern_release(&later);

	struct cpattern bad;
	memset(&bad, 0, sizeof bad);
	bad.regex = strdup("(unclosed");
	bad.regex_len = strlen(bad.regex);
	assert_int_not_equal(cpattern_compile_regex(&bad), 0);
	assert_null(bad.re);
	cpattern_release(&bad);
	diags_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_turkish),
		cmocka_unit_test(test_compound),
		cmocka_unit_test(test_arabic_proclitics),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_regex_index),
		cmocka_unit_test(test_guards),
		cmocka_unit_test(test_bare_slot_cases),
		cmocka_unit_test(test_deferred_regex),
		cmocka_unit_test(test_placeholder_bytes),
	};
	return cmocka_run_group_tests(tests, engine_setup, engine_teardown);
}
