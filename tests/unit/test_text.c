/* test_text.c: cleaning, match keys, the Turkish fold and offset maps (common/text.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "olay/text.h"
#include "olay/utf8.h"

static char *key_of(enum olay_lang lang, const char *s)
{
	char *k = NULL;
	size_t kl;
	assert_int_equal(text_key(lang, s, strlen(s), 0, &k, &kl, NULL), 0);
	assert_int_equal(strlen(k), kl);
	return k;
}

static char *clean_of(const char *s)
{
	char *c = NULL;
	size_t cl;
	assert_int_equal(text_clean(s, strlen(s), 0, &c, &cl, NULL, NULL), 0);
	return c;
}

#define ASSERT_KEY(lang, in, want)                \
	do {                                      \
		char *k_ = key_of(lang, in);      \
		assert_string_equal(k_, want);    \
		free(k_);                         \
	} while (0)

#define ASSERT_CLEAN(in, want)                    \
	do {                                      \
		char *c_ = clean_of(in);          \
		assert_string_equal(c_, want);    \
		free(c_);                         \
	} while (0)

static void turkish_case(void **state)
{
	ASSERT_KEY(LANG_TR, "İSTANBUL", "istanbul");
	ASSERT_KEY(LANG_TR, "ISPARTA", "ısparta");
	ASSERT_KEY(LANG_TR, "Dışişleri Bakanı MEVLÜT ÇAVUŞOĞLU", "dışişleri bakanı mevlüt çavuşoğlu");
	/* outside Turkish, I is i; İ is i everywhere */
	ASSERT_KEY(LANG_EN, "ISIS in İzmir", "isis in izmir");
	ASSERT_KEY(LANG_UND, "Straße ΣΟΦΙΑ", "straße σοφια");
}

static void arabic_key(void **state)
{
	/* diacritics and tatweel out, alef forms, alef maqsura, teh marbuta, hamza seats */
	ASSERT_KEY(LANG_AR, "أَحْمَد", "احمد");
	ASSERT_KEY(LANG_AR, "إسرائيل آمنة", "اسراييل امنه");
	ASSERT_KEY(LANG_AR, "مصطفـــى", "مصطفي");
	ASSERT_KEY(LANG_AR, "مؤتمر ٢٠١٨ و۱۲", "موتمر 2018 و12");
	/* decomposed alef + madda composes (NFC) and is then unified */
	ASSERT_KEY(LANG_AR, "\xd8\xa7\xd9\x93" "ب", "اب");
	ASSERT_KEY(LANG_AR, "Meeting ON Syria", "meeting on syria");
}

static void cleaning(void **state)
{
	ASSERT_CLEAN("  a\n b\t\tc  ", "a b c");
	ASSERT_CLEAN("\xe2\x80\x9cquoted\xe2\x80\x9d \xc2\xabtoo\xc2\xbb", "\"quoted\" \"too\"");
	ASSERT_CLEAN("Türkiye\xe2\x80\x99ye \xe2\x80\x94 dash \xe2\x80\x93 en", "Türkiye'ye - dash - en");
	/* C1 controls read as Windows-1252: 0x92 was a right single quote */
	ASSERT_CLEAN("Türkiye\xc2\x92ye", "Türkiye'ye");
	ASSERT_CLEAN("\xc2\x93yes\xc2\x94", "\"yes\"");
	/* zero width, bidi marks, soft hyphen, BOM removed */
	ASSERT_CLEAN("a\xe2\x80\x8b" "b\xe2\x80\x8f" "c\xc2\xad" "d\xef\xbb\xbf" "e", "abcde");
	/* NFC: e + combining acute -> é */
	ASSERT_CLEAN("caf" "e\xcc\x81", "caf\xc3\xa9");
	/* cleaning keeps case and Arabic marks */
	ASSERT_CLEAN("Ahmed أَحْمَد", "Ahmed أَحْمَد");
	/* invalid bytes become U+FFFD */
	ASSERT_CLEAN("a\xff" "b", "a\xef\xbf\xbd" "b");
	/* NO-BREAK SPACE and ideographic space are white space */
	ASSERT_CLEAN("a\xc2\xa0\xe3\x80\x80" "b", "a b");
}

static void key_is_idempotent(void **state)
{
	const char *samples[] = {
		"İSTANBUL'da \xe2\x80\x9c" "DAEŞ\xe2\x80\x9d ISIS", "أَحْمَد إسرائيل ٢٠١٨ مصطفـــى",
		"Straße  \n Ærø café\xcc\x81", "Türkiye\xc2\x92ye",
	};
	for (size_t i = 0; i < sizeof(samples) / sizeof(*samples); i++)
		for (int lang = LANG_UND; lang <= LANG_EN; lang++) {
			char *k1 = key_of(lang, samples[i]);
			char *k2 = key_of(lang, k1);
			assert_string_equal(k1, k2);
			free(k1);
			free(k2);
		}
}

static void fold(void **state)
{
	char *k = key_of(LANG_TR, "Çavuşoğlu IĞDIR Şırnak Üsküdar"), *f = NULL;
	size_t fl;
	struct offmap km = OFFMAP_INIT, fm = OFFMAP_INIT;
	assert_int_equal(text_fold_tr(k, strlen(k), NULL, &f, &fl, NULL), 0);
	assert_string_equal(f, "cavusoglu igdir sirnak uskudar");
	free(f);
	free(k);
	/* the fold's map leads back to the original through the key's map */
	const char *orig = "Çavuşoğlu IĞDIR";
	size_t kl;
	assert_int_equal(text_key(LANG_TR, orig, strlen(orig), 100, &k, &kl, &km), 0);
	assert_int_equal(text_fold_tr(k, kl, &km, &f, &fl, &fm), 0);
	assert_string_equal(f, "cavusoglu igdir");
	/* "igdir" starts at fold offset 10, original 100 + 13 (Ç ş ğ are two bytes each) */
	assert_int_equal(offmap_lookup(&fm, 10), 100 + 13);
	assert_int_equal(offmap_lookup(&fm, fl), 100 + strlen(orig));
	free(f);
	free(k);
	offmap_release(&km);
	offmap_release(&fm);
}

/* Every character boundary of the output maps to a character boundary of the input
 * within range, monotonically; each output character maps to where it came from. */
static void check_map(const char *in, size_t n, size_t base, const char *out, size_t outlen,
		      const struct offmap *m)
{
	size_t prev = 0;
	assert_true(m->n > 0 || outlen == 0);
	for (size_t i = 1; i < m->n; i++)
		assert_true(m->anchors[2 * i] > m->anchors[2 * (i - 1)]);
	for (size_t k = 0; k <= outlen; k++) {
		if (k < outlen && ((unsigned char)out[k] & 0xC0) == 0x80)
			continue;
		size_t o = offmap_lookup(m, k);
		assert_true(o >= base && o <= base + n);
		assert_true(o >= prev);
		o -= base;
		assert_true(o == n || ((unsigned char)in[o] & 0xC0) != 0x80);
		prev = o + base;
	}
}

static void maps(void **state)
{
	const char *cases[] = {
		"plain ascii text",
		"  Türkiye\xc2\x92ye  \n\n  İSTANBUL  ",
		"\xe2\x80\x9cHer t\xc3\xbcrl\xc3\xbc\xe2\x80\x9d dedi \xe2\x80\x94 ok",
		"أَحْمَد  إسرائيل ٢٠١٨ مصطفـــى",
		"caf" "e\xcc\x81 \xcc\x81\xcc\x81 x",
		"I",
		"",
		"   ",
	};
	struct offmap m = OFFMAP_INIT;
	for (size_t c = 0; c < sizeof(cases) / sizeof(*cases); c++)
		for (int lang = LANG_UND; lang <= LANG_EN; lang++) {
			const char *in = cases[c];
			size_t n = strlen(in), kl;
			char *k;
			assert_int_equal(text_key(lang, in, n, 7, &k, &kl, &m), 0);
			check_map(in, n, 7, k, kl, &m);
			free(k);
			assert_int_equal(text_clean(in, n, 7, &k, &kl, &m, NULL), 0);
			check_map(in, n, 7, k, kl, &m);
			free(k);
		}
	/* exact positions: "İSTANBUL'da" in a Turkish key */
	const char *in = "  \xe2\x80\x9cİSTANBUL\xe2\x80\x9d'da";
	size_t kl;
	char *k;
	assert_int_equal(text_key(LANG_TR, in, strlen(in), 0, &k, &kl, &m), 0);
	assert_string_equal(k, "\"istanbul\"'da");
	assert_int_equal(offmap_lookup(&m, 0), 2);      /* the opening quote */
	assert_int_equal(offmap_lookup(&m, 1), 5);      /* İ */
	assert_int_equal(offmap_lookup(&m, 2), 7);      /* S */
	assert_int_equal(offmap_lookup(&m, 9), 14);     /* closing quote */
	assert_int_equal(offmap_lookup(&m, 10), 17);    /* apostrophe */
	assert_int_equal(offmap_lookup(&m, kl), strlen(in));
	free(k);
	offmap_release(&m);
}

static void mapped_input(void **state)
{
	/* "ab" + "cd" where "cd" sat 10 bytes later in the original (a joined wrap) */
	struct offmap src = OFFMAP_INIT, m = OFFMAP_INIT;
	assert_int_equal(offmap_add(&src, 0, 100), 0);
	assert_int_equal(offmap_add(&src, 2, 112), 0);
	char *k;
	size_t kl;
	assert_int_equal(text_key_mapped(LANG_EN, "ABCD", 4, &src, &k, &kl, &m), 0);
	assert_string_equal(k, "abcd");
	assert_int_equal(offmap_lookup(&m, 0), 100);
	assert_int_equal(offmap_lookup(&m, 1), 101);
	assert_int_equal(offmap_lookup(&m, 2), 112);
	assert_int_equal(offmap_lookup(&m, 4), 114);
	free(k);
	offmap_release(&src);
	offmap_release(&m);
}

static void slices_and_trim(void **state)
{
	/* anchors (0,100) (5,120): a slice from 3 to 8 starts at 103, jumps at its 2 */
	struct offmap m = OFFMAP_INIT, sl = OFFMAP_INIT;
	assert_int_equal(offmap_add(&m, 0, 100), 0);
	assert_int_equal(offmap_add(&m, 5, 120), 0);
	assert_int_equal(offmap_slice(&m, 3, 8, &sl), 0);
	assert_int_equal(offmap_lookup(&sl, 0), 103);
	assert_int_equal(offmap_lookup(&sl, 1), 104);
	assert_int_equal(offmap_lookup(&sl, 2), 120);
	assert_int_equal(offmap_lookup(&sl, 5), 123);
	/* a slice after the last anchor runs on from it */
	assert_int_equal(offmap_slice(&m, 9, 12, &sl), 0);
	assert_int_equal(sl.n, 1);
	assert_int_equal(offmap_lookup(&sl, 1), 125);
	offmap_release(&m);
	offmap_release(&sl);

	const char *s = " \xc2\xa0\xe2\x80\x8b" "ab c\t\xe2\x80\x8f ";
	size_t a = 0, b = strlen(s);
	text_trim(s, &a, &b);
	assert_int_equal(a, 6);
	assert_int_equal(b - a, 4);
	assert_memory_equal(s + a, "ab c", 4);
}

static void langs(void **state)
{
	assert_int_equal(lang_from_code("tr"), LANG_TR);
	assert_int_equal(lang_from_code("AR"), LANG_AR);
	assert_int_equal(lang_from_code("en-GB"), LANG_EN);
	assert_int_equal(lang_from_code("eng"), LANG_UND);
	assert_int_equal(lang_from_code(NULL), LANG_UND);
	assert_int_equal(lang_from_code("x"), LANG_UND);
	assert_string_equal(lang_code(LANG_AR), "ar");
	assert_string_equal(lang_code(LANG_UND), "und");
}

static void stats(void **state)
{
	struct text_stats st = {0, 0};
	char *c;
	const char *in = "T\xc2\x92" "a\xe2\x80\x8b" "b\x01";
	assert_int_equal(text_clean(in, strlen(in), 0, &c, NULL, NULL, &st), 0);
	assert_string_equal(c, "T'ab");
	assert_int_equal(st.c1_fixed, 1);
	assert_int_equal(st.controls_removed, 2);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(turkish_case), cmocka_unit_test(arabic_key),
		cmocka_unit_test(cleaning),     cmocka_unit_test(key_is_idempotent),
		cmocka_unit_test(fold),         cmocka_unit_test(maps),
		cmocka_unit_test(mapped_input), cmocka_unit_test(slices_and_trim),
		cmocka_unit_test(langs),
		cmocka_unit_test(stats),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
