/* Unit tests of the modules behind olay-ingest: sha256, utf8, langid, dates, encoding,
 * strmap, csvin. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "olay/csvin.h"
#include "olay/dates.h"
#include "olay/encoding.h"
#include "olay/langid.h"
#include "olay/sha256.h"
#include "olay/strmap.h"
#include "olay/utf8.h"

static void test_sha256_vectors(void **state)
{
	char hex[65];
	sha256_hex("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	sha256_hex(two, strlen(two), hex);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* a million 'a's, fed in uneven pieces */
	struct sha256 c;
	unsigned char d[32];
	char block[1001];
	memset(block, 'a', sizeof block);
	sha256_init(&c);
	for (int i = 0; i < 1000; i++)
		sha256_update(&c, block, i % 2 ? 999 : 1001);
	sha256_final(&c, d);
	assert_int_equal(d[0], 0xcd);
	assert_int_equal(d[31], 0xd0);
}

static void test_utf8(void **state)
{
	size_t bad = 99;
	assert_true(utf8_valid("Türkiye تركيا", strlen("Türkiye تركيا"), &bad));
	assert_false(utf8_valid("ab\xC0\xAF", 4, &bad)); /* overlong '/' */
	assert_int_equal(bad, 2);
	assert_false(utf8_valid("\xED\xA0\x80", 3, &bad)); /* surrogate */
	assert_false(utf8_valid("x\xE2\x82", 3, &bad));   /* truncated */
	assert_int_equal(bad, 1);
	uint32_t cp;
	assert_int_equal(utf8_decode("İ", 2, 0, &cp), 2);
	assert_int_equal(cp, 0x130);
	char out[4];
	assert_int_equal(utf8_encode(0x1F600, out), 4);
}

static void test_langid(void **state)
{
	const char *ar = "اتفقت تركيا وروسيا على تنسيق العمليات في سوريا. Minister of Foreign Affairs of Turkey attends a meeting (AA)";
	assert_string_equal(langid_detect(ar, strlen(ar)), "ar");
	const char *tr = "Bakan, Rusya ile görüşmelerin devam edeceğini söyledi ve bu konuda açıklama yaptı.";
	assert_string_equal(langid_detect(tr, strlen(tr)), "tr");
	const char *en = "The minister said that the talks with Russia would continue for the time being.";
	assert_string_equal(langid_detect(en, strlen(en)), "en");
	const char *fr = "Le ministre a rencontré son homologue à Paris pour discuter de la crise.";
	assert_string_equal(langid_detect(fr, strlen(fr)), "und");
	const char *fa = "وزیر امور خارجه ایران گفت که گفتگو با روسیه ادامه پیدا می‌کند و چیزی تغییر نکرد";
	assert_string_equal(langid_detect(fa, strlen(fa)), "und");
	assert_string_equal(langid_detect("", 0), "und");
}

static void check_date(struct date_finder *f, const char *text, const char *lang, const char *want)
{
	char out[11];
	int found = date_find_in_text(f, text, strlen(text), lang, out);
	if (!want) {
		assert_false(found);
		return;
	}
	assert_true(found);
	assert_string_equal(out, want);
}

static void test_dates(void **state)
{
	struct date_finder *f = date_finder_new();
	assert_non_null(f);
	check_date(f, "Görüşme 29 Aralık 2018 tarihinde yapıldı.", "tr", "2018-12-29");
	check_date(f, "ŞUBAT ayında, 3 ŞUBAT 2020 günü", "tr", "2020-02-03");
	check_date(f, "في ٢٩ ديسمبر ٢٠١٨ أعلنت", "ar", "2018-12-29");
	check_date(f, "في 1 تشرين الثاني 2015", "ar", "2015-11-01");
	check_date(f, "on December 29, 2018 and 2 Jan 2019", "en", "2018-12-29");
	check_date(f, "seen 2 Jan 2019 after December 29, 2018", "en", "2019-01-02");
	check_date(f, "on 03/04/2019", "en", "2019-03-04");
	check_date(f, "on 03/04/2019", "tr", "2019-04-03");
	check_date(f, "dated 31 February 2019 only", "en", NULL);
	check_date(f, "29 February 2020 leap", "en", "2020-02-29");
	check_date(f, "29 February 2019 not leap", "en", NULL);
	check_date(f, "DECEMBER 29 : no year here", "en", NULL);
	char out[11];
	const char *dl = " date 2025-09-17 PODCAST\n\ntext";
	assert_true(date_find_dateline(f, dl, strlen(dl), out));
	assert_string_equal(out, "2025-09-17");
	const char *late = "a\nb\nc\nd\ne\nf\ndate 2025-09-17\n";
	assert_false(date_find_dateline(f, late, strlen(late), out));
	assert_true(date_valid("2024-02-29"));
	assert_false(date_valid("2023-02-29"));
	assert_false(date_valid("2023-2-28"));
	date_finder_free(f);
}

static void test_encoding(void **state)
{
	struct encoder e;
	assert_int_equal(encoder_init(&e, NULL, 0), 0);
	struct buf out = BUF_INIT;
	struct enc_result r;
	/* stray cp1252 quotes in UTF-8 text are repaired byte by byte */
	const char *stray = "Ş says \x93hi\x94";
	assert_int_equal(encoder_decode(&e, stray, strlen(stray), &out, &r), ENC_OK);
	assert_string_equal(out.p, "Ş says \xE2\x80\x9Chi\xE2\x80\x9D");
	assert_int_equal(r.repaired, 2);
	assert_string_equal(r.encoding, "windows-1254");
	/* a wholly cp1254 document */
	const char *cp1254 = "D\xFD\xFE i\xFEleri ve \xDDran g\xF6r\xFC\xFEt\xFC";
	assert_int_equal(encoder_decode(&e, cp1254, strlen(cp1254), &out, &r), ENC_OK);
	assert_string_equal(out.p, "Dış işleri ve İran görüştü");
	assert_string_equal(r.encoding, "windows-1254");
	/* BOM dropped, CRLF and CR to LF */
	const char *crlf = "\xEF\xBB\xBF" "a\r\nb\rc";
	assert_int_equal(encoder_decode(&e, crlf, strlen(crlf), &out, &r), ENC_OK);
	assert_string_equal(out.p, "a\nb\nc");
	assert_int_equal(encoder_decode(&e, "a\0b", 3, &out, &r), ENC_NUL);
	assert_int_equal(r.offset, 1);
	assert_int_equal(encoder_decode(&e, " \n\t", 3, &out, &r), ENC_EMPTY);
	struct encoder strict;
	assert_int_equal(encoder_init(&strict, NULL, 1), 0);
	assert_int_equal(encoder_decode(&strict, "ok \x93", 4, &out, &r), ENC_INVALID);
	assert_int_equal(r.offset, 3);
	struct encoder bogus;
	assert_int_equal(encoder_init(&bogus, "NO-SUCH-CHARSET-42", 0), -1);
	buf_release(&out);
}

static void test_strmap(void **state)
{
	struct strmap m = STRMAP_INIT;
	char key[32], val[32];
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof key, "k%d", i);
		snprintf(val, sizeof val, "v%d", i * 2);
		assert_int_equal(strmap_put(&m, key, val), 0);
	}
	assert_int_equal(m.n, 1000);
	assert_string_equal(strmap_get(&m, "k500"), "v1000");
	assert_null(strmap_get(&m, "k1000"));
	assert_int_equal(strmap_put(&m, "k1", NULL), 0);
	assert_string_equal(strmap_get(&m, "k1"), "");
	assert_int_equal(m.n, 1000);
	strmap_release(&m);
}

static void test_csvin(void **state)
{
	const char *csv = "id,text\n1,\"multi\nline, \"\"quoted\"\"\"\n\n2,plain\n3,\"unterminated\n";
	FILE *f = fmemopen((void *)csv, strlen(csv), "r");
	struct csvin *c = csvin_open(f, ',');
	char **fields;
	size_t *lens, n;
	unsigned long line;
	assert_int_equal(csvin_next(c, &fields, &lens, &n, &line), 1);
	assert_int_equal(line, 1);
	assert_int_equal(csvin_next(c, &fields, &lens, &n, &line), 1);
	assert_int_equal(line, 2);
	assert_string_equal(fields[1], "multi\nline, \"quoted\"");
	assert_int_equal(csvin_next(c, &fields, &lens, &n, &line), 1);
	assert_int_equal(line, 5);
	assert_string_equal(fields[1], "plain");
	/* libcsv (non-strict) closes an unterminated quote at end of input */
	int r = csvin_next(c, &fields, &lens, &n, &line);
	assert_true(r == 1 || r == -1);
	if (r == 1)
		assert_int_equal(line, 6);
	csvin_free(c);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_vectors), cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_langid),         cmocka_unit_test(test_dates),
		cmocka_unit_test(test_encoding),       cmocka_unit_test(test_strmap),
		cmocka_unit_test(test_csvin),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
