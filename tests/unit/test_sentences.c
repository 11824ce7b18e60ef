/* test_sentences.c: sentence boundaries (common/sentences.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "olay/sentences.h"

/* Split p and compare with the expected sentences, given as a NULL-terminated list. */
static void check(enum olay_lang lang, size_t max, const char *p, const char *const *want)
{
	struct sentence_list l;
	struct sentence_opts o = {lang, max, 0};
	sentence_list_init(&l);
	assert_int_equal(sentences_split(p, strlen(p), &o, &l), 0);
	size_t n = 0;
	while (want[n])
		n++;
	for (size_t i = 0; i < l.n && i < n; i++) {
		char got[2048];
		size_t len = l.v[i].end - l.v[i].start;
		assert_true(len < sizeof got);
		memcpy(got, p + l.v[i].start, len);
		got[len] = '\0';
		if (strcmp(got, want[i]) != 0)
			fail_msg("sentence %zu: got '%s', want '%s'", i, got, want[i]);
	}
	if (l.n != n)
		fail_msg("%zu sentences, want %zu", l.n, n);
	sentence_list_release(&l);
}

#define CHECK(lang, p, ...)                                              \
	do {                                                             \
		const char *const want_[] = {__VA_ARGS__, NULL};         \
		check(lang, 0, p, want_);                                \
	} while (0)

static void abbreviations(void **state)
{
	CHECK(LANG_EN, "Dr. Smith met Prof. Jones in St. Louis. They talked.",
	      "Dr. Smith met Prof. Jones in St. Louis.", "They talked.");
	CHECK(LANG_EN, "Mr. Biden and Gen. Milley spoke. The U.S. Army agreed.",
	      "Mr. Biden and Gen. Milley spoke.", "The U.S. Army agreed.");
	CHECK(LANG_TR, "Prof. Dr. Ahmet Yılmaz konuştu. Sağlık vb. konular ele alındı.",
	      "Prof. Dr. Ahmet Yılmaz konuştu.", "Sağlık vb. konular ele alındı.");
	CHECK(LANG_EN, "John F. Kennedy spoke. Then he left.", "John F. Kennedy spoke.",
	      "Then he left.");
	/* an abbreviation that is not a title still ends a sentence before a capital */
	CHECK(LANG_EN, "They sold tools, pipes etc. The company grew.",
	      "They sold tools, pipes etc.", "The company grew.");
}

static void numbers(void **state)
{
	CHECK(LANG_TR, "Toplantıya 1.500 kişi katıldı ve 3.5 saat sürdü. Sonra bitti.",
	      "Toplantıya 1.500 kişi katıldı ve 3.5 saat sürdü.", "Sonra bitti.");
	CHECK(LANG_TR, "15. yüzyıldan beri sürüyor. 2. Ordu geldi.",
	      "15. yüzyıldan beri sürüyor.", "2. Ordu geldi.");
	CHECK(LANG_EN, "It was 2016. 15 people died.", "It was 2016.", "15 people died.");
	/* an initialism or an ordinal before a word that starts sentences ends one */
	CHECK(LANG_EN, "Troops left the U.S. The talks went on.", "Troops left the U.S.",
	      "The talks went on.");
	CHECK(LANG_TR, "Oran yüzde 5. Ancak artış sürdü.", "Oran yüzde 5.", "Ancak artış sürdü.");
}

static void ellipses_and_marks(void **state)
{
	CHECK(LANG_EN, "He waited... Then it ended. Was it real? Yes! The talks (...) went on.",
	      "He waited...", "Then it ended.", "Was it real?", "Yes!", "The talks (...) went on.");
	CHECK(LANG_EN, "He said\xe2\x80\xa6 nothing at all.", "He said\xe2\x80\xa6 nothing at all.");
	/* Arabic: ؟ ends a sentence, the comma does not; run-together sentences split */
	CHECK(LANG_AR, "هل ستنجح المحادثات؟ لا أحد يعرف، لكن الأمل قائم. قال أوغلو.وأكد لافروف ذلك.",
	      "هل ستنجح المحادثات؟", "لا أحد يعرف، لكن الأمل قائم.", "قال أوغلو.",
	      "وأكد لافروف ذلك.");
}

static void quotations(void **state)
{
	/* a quotation ending a sentence stays with its attribution */
	CHECK(LANG_TR, "Bakan \"Bu iş bitti. Yeni bir dönem başladı.\" dedi. Sonra çıktı.",
	      "Bakan \"Bu iş bitti. Yeni bir dönem başladı.\" dedi.", "Sonra çıktı.");
	CHECK(LANG_TR, "Lavrov, \"Görüşmeler sürecek.\" diye konuştu.",
	      "Lavrov, \"Görüşmeler sürecek.\" diye konuştu.");
	CHECK(LANG_EN, "\"We will not leave,\" he said. \"Never!\" said Gen. Mattis. \"It is over.\" Erdogan said.",
	      "\"We will not leave,\" he said.", "\"Never!\" said Gen. Mattis.",
	      "\"It is over.\" Erdogan said.");
	CHECK(LANG_AR, "وأضاف \"نحن مستعدون للحوار،\" وتابع أن الحل ممكن. \"سنواصل العمل\". قال أوغلو.",
	      "وأضاف \"نحن مستعدون للحوار،\" وتابع أن الحل ممكن.", "\"سنواصل العمل\". قال أوغلو.");
	/* not an attribution: a new sentence after the quotation */
	CHECK(LANG_EN, "\"It is done.\" The next day, troops moved.", "\"It is done.\"",
	      "The next day, troops moved.");
	/* an unclosed quotation does not swallow the paragraph */
	CHECK(LANG_EN, "He said \"we agree. Then we left. Done.", "He said \"we agree.",
	      "Then we left.", "Done.");
	/* a stray quote after a quotation is no sentence of its own */
	CHECK(LANG_TR, "Sonra gitti. \"Bu sistem işliyor.\" '", "Sonra gitti.",
	      "\"Bu sistem işliyor.\" '");
}

static void long_sentences(void **state)
{
	const char *p = "aaaa bbbb, cccc dddd. eeee ffff gggg";
	struct sentence_list l;
	struct sentence_opts o = {LANG_EN, 12, 1};
	sentence_list_init(&l);
	assert_int_equal(sentences_split(p, strlen(p), &o, &l), 0);
	assert_true(l.n >= 3);
	for (size_t i = 0; i < l.n; i++) {
		assert_true(l.v[i].end - l.v[i].start <= 12);
		assert_non_null(l.v[i].split);
		if (i)
			assert_true(l.v[i].start >= l.v[i - 1].end);
	}
	/* the first cut prefers the comma */
	assert_int_equal(l.v[0].end, 10);
	assert_string_equal(l.v[0].split, "max-sentence: cut after a comma");
	sentence_list_release(&l);

	/* no space at all: cut between characters, never inside one */
	char buf[100];
	for (int i = 0; i < 33; i++)
		memcpy(buf + 3 * i, "\xe2\x80\x94", 3);
	buf[99] = '\0';
	struct sentence_opts o2 = {LANG_EN, 10, 0};
	sentence_list_init(&l);
	assert_int_equal(sentences_split(buf, 99, &o2, &l), 0);
	assert_int_equal(l.n, 11);
	for (size_t i = 0; i < l.n; i++)
		assert_int_equal((l.v[i].end - l.v[i].start) % 3, 0);
	sentence_list_release(&l);
}

static void whole_and_empty(void **state)
{
	struct sentence_list l;
	struct sentence_opts o = {LANG_TR, 0, 1};
	const char *h = "MİT Başkanı Şam'da! Şara ile görüştü";
	sentence_list_init(&l);
	assert_int_equal(sentences_split(h, strlen(h), &o, &l), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].end, strlen(h));
	l.n = 0;
	assert_int_equal(sentences_split("   ", 3, &o, &l), 0);
	assert_int_equal(l.n, 0);
	sentence_list_release(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(abbreviations),  cmocka_unit_test(numbers),
		cmocka_unit_test(ellipses_and_marks), cmocka_unit_test(quotations),
		cmocka_unit_test(long_sentences), cmocka_unit_test(whole_and_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
