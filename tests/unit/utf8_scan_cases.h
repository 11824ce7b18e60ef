/* utf8_scan_cases.h: the cases of utf8_valid() and of the JSON scanner's strings, shared by
 * test_utf8.c (the library as built: SSE2 blocks on x86-64) and test_utf8_portable.c (the
 * same sources built with OLAY_NO_SIMD: the portable word-at-a-time blocks). Both block
 * paths take text in blocks of 8 or 16 bytes, so every valid and malformed sequence is put
 * at every position relative to a block, after and before ASCII, two-byte characters (the
 * blocks' fast case) and longer ones, and compared with a plain reference decoder. Include
 * once, after cmocka.h, olay/utf8.h and olay/extract_json.h. */
#ifndef OLAY_TEST_UTF8_SCAN_CASES_H
#define OLAY_TEST_UTF8_SCAN_CASES_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

/* The reference: decode each sequence to its code point and check the code point (RFC 3629:
 * shortest form, no surrogates, at most U+10FFFF). Written without the library's code. */
static int ref_valid(const unsigned char *s, size_t n, size_t *bad)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t len = c < 0x80 ? 1 : c >= 0xC0 && c < 0xE0 ? 2 : c >= 0xE0 && c < 0xF0 ? 3 :
			     c >= 0xF0 && c < 0xF8 ? 4 : 0;
		int ok = len > 0 && i + len <= n;
		uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
		for (size_t k = 1; ok && k < len; k++) {
			ok = (s[i + k] & 0xC0) == 0x80;
			cp = cp << 6 | (s[i + k] & 0x3F);
		}
		static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
		if (ok && len > 1)
			ok = cp >= min[len] && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
		if (!ok) {
			*bad = i;
			return 0;
		}
		i += len;
	}
	return 1;
}

/* The reference of utf8_valid_plain: the prefix of whole valid characters before the first
 * '"', '\\' or control character, or the first invalid sequence. */
static size_t ref_plain(const unsigned char *s, size_t n)
{
	size_t i = 0, bad;
	while (i < n) {
		unsigned c = s[i];
		size_t len = c < 0x80 ? 1 : c >= 0xC0 && c < 0xE0 ? 2 : c >= 0xE0 && c < 0xF0 ? 3 :
			     c >= 0xF0 && c < 0xF8 ? 4 : 0;
		if (len == 0 || i + len > n || !ref_valid(s + i, len, &bad) ||
		    (len == 1 && (c < 0x20 || c == '"' || c == '\\')))
			return i;
		i += len;
	}
	return n;
}

/* Sequences put at every position: valid ones of every length and every class of
 * malformed one. */
static const char *const seqs[] = {
	/* valid */
	"a", "\xc2\x80", "\xc3\xa7", "\xdf\xbf", "\xd8\xa7", "\xe0\xa0\x80", "\xe2\x80\x9c",
	"\xed\x9f\xbf", "\xee\x80\x80", "\xef\xbf\xbf", "\xf0\x90\x80\x80", "\xf0\x9f\x98\x80",
	"\xf4\x8f\xbf\xbf",
	/* a lone continuation byte */
	"\x80", "\xbf", "\xc3\xa7\xa7",
	/* overlong forms */
	"\xc0\x80", "\xc1\xbf", "\xe0\x80\x80", "\xe0\x9f\xbf", "\xf0\x80\x80\x80", "\xf0\x8f\xbf\xbf",
	/* surrogates */
	"\xed\xa0\x80", "\xed\xbf\xbf",
	/* above U+10FFFF, and bytes that never occur */
	"\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xf8\x88\x80\x80\x80", "\xfe", "\xff",
	/* truncated: followed by ASCII, by a lead, or by the end */
	"\xc3", "\xc3" "a", "\xc3\xc3\xa7", "\xe2\x80", "\xe2\x80" "a", "\xe2" "a", "\xf0\x9f\x98",
	"\xf0\x9f\x98" "a", "\xf0\x9f" "a", "\xd8\xd8\xa7",
};

/* What stands before and after a sequence: ASCII, two-byte characters, and a mix with a
 * three-byte one (which leaves the blocks' fast case). */
static size_t fill(char *out, int kind, size_t bytes)
{
	size_t o = 0;
	while (o < bytes) {
		if (kind == 0 || (kind == 1 && bytes - o == 1) || (kind == 2 && o % 5 == 4)) {
			out[o++] = 'x';
		} else if (kind == 3 && o % 11 == 7 && bytes - o >= 3) {
			memcpy(out + o, "\xe2\x80\xa6", 3);
			o += 3;
		} else if (bytes - o >= 2) {
			memcpy(out + o, o % 4 ? "\xd8\xb3" : "\xc5\x9f", 2);
			o += 2;
		} else {
			out[o++] = 'y';
		}
	}
	return o;
}

static void test_utf8_positions(void **state)
{
	(void)state;
	char s[256];
	long checked = 0;
	for (size_t q = 0; q < sizeof seqs / sizeof seqs[0]; q++)
		for (int pk = 0; pk < 4; pk++)
			for (size_t pre = 0; pre <= 40; pre++)
				for (int sk = 0; sk < 4; sk++)
					for (size_t post = 0; post <= 24; post += post < 4 ? 1 : 5) {
						size_t n = fill(s, pk, pre);
						size_t ql = strlen(seqs[q]);
						memcpy(s + n, seqs[q], ql);
						n += ql;
						n += fill(s + n, sk, post);
						size_t bad = 9999, want_bad = 9999;
						int want = ref_valid((const unsigned char *)s, n, &want_bad);
						int got = utf8_valid(s, n, &bad);
						if (got != want || (!want && bad != want_bad))
							fail_msg("seq %zu after %zu bytes (kind %d), %zu after (kind %d): "
								 "got %d at %zu, want %d at %zu",
								 q, pre, pk, post, sk, got, bad, want, want_bad);
						/* bad is left alone on success, and NULL is allowed */
						assert_int_equal(utf8_valid(s, n, NULL), want);
						checked++;
					}
	assert_true(checked > 10000);
}

/* utf8_valid_plain: every sequence, and every byte that ends a run, at every position. */
static void test_plain_positions(void **state)
{
	(void)state;
	static const char *const enders[] = {"\"", "\\", "\x01", "\x1f", "\n", "\xc3\"", "\xe2\x80\\"};
	char s[256];
	for (int pass = 0; pass < 2; pass++) {
		size_t nq = pass ? sizeof enders / sizeof enders[0] : sizeof seqs / sizeof seqs[0];
		for (size_t q = 0; q < nq; q++)
			for (int pk = 0; pk < 4; pk++)
				for (size_t pre = 0; pre <= 40; pre++)
					for (int sk = 0; sk < 4; sk++)
						for (size_t post = 0; post <= 24; post += post < 4 ? 1 : 5) {
							const char *seq = pass ? enders[q] : seqs[q];
							size_t n = fill(s, pk, pre), ql = strlen(seq);
							memcpy(s + n, seq, ql);
							n += ql;
							n += fill(s + n, sk, post);
							size_t want = ref_plain((const unsigned char *)s, n);
							size_t got = utf8_valid_plain(s, n);
							if (got != want)
								fail_msg("%s %zu after %zu bytes (kind %d), %zu after "
									 "(kind %d): got %zu, want %zu",
									 pass ? "ender" : "seq", q, pre, pk, post, sk,
									 got, want);
						}
	}
}

/* Random strings of valid characters and stray bytes, against the reference. */
static void test_utf8_random(void **state)
{
	(void)state;
	static const char *const pieces[] = {"a", " ", "\xc3\xa7", "\xd8\xa7", "\xd9\x84", "\xc4\xb1",
					     "\xe2\x80\x9c", "\xf0\x9f\x98\x80", "\x80", "\xc3", "\xe2",
					     "\xed\xa0\x80", "\xc0\xaf", "\xff"};
	uint64_t x = 88172645463325252ULL;
	char s[200];
	for (int t = 0; t < 200000; t++) {
		size_t n = 0;
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		size_t want_len = x % 80;
		int stray = (x >> 8) % 4 == 0; /* one in four strings may have an error */
		while (n < want_len) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			size_t k = stray && x % 60 == 0 ? 8 + (x >> 8) % 6 : (x >> 8) % 8;
			size_t pl = strlen(pieces[k]);
			memcpy(s + n, pieces[k], pl);
			n += pl;
		}
		size_t bad = 0, want_bad = 0;
		int want = ref_valid((const unsigned char *)s, n, &want_bad);
		int got = utf8_valid(s, n, &bad);
		assert_int_equal(got, want);
		if (!want)
			assert_int_equal(bad, want_bad);
		assert_int_equal(utf8_valid_plain(s, n), ref_plain((const unsigned char *)s, n));
		/* and with a special byte somewhere */
		if (n) {
			char keep = s[x % n];
			s[x % n] = "\"\\\x01\t"[(x >> 5) % 4];
			assert_int_equal(utf8_valid_plain(s, n), ref_plain((const unsigned char *)s, n));
			s[x % n] = keep;
		}
	}
}

/* The scanner's strings: a record {"k":"...","z":1} with the sequence, an escape or a
 * special byte at every position of its string value. The scanner takes it when jansson
 * does and leaves it otherwise (for these cases the two agree exactly). */
static int scan_record(const char *val, size_t vn, struct jspan *got)
{
	char line[300];
	size_t n = 0;
	memcpy(line, "{\"k\":\"", 6);
	n = 6;
	memcpy(line + n, val, vn);
	n += vn;
	memcpy(line + n, "\",\"z\":1}", 8);
	n += 8;
	struct jscan js = {0};
	int rc = jscan_object(&js, line, n);
	if (rc == JSCAN_OK) {
		const struct jspan *v = jscan_get(&js, "k");
		assert_non_null(v);
		got->p = NULL;
		got->n = v->n;
		assert_non_null(jscan_get(&js, "z"));
	}
	json_error_t err;
	json_t *j = json_loadb(line, n, JSON_REJECT_DUPLICATES, &err);
	if ((rc == JSCAN_OK) != (j != NULL))
		fail_msg("scanner %d, jansson %s, for '%.*s'", rc, j ? "accepts" : err.text, (int)n, line);
	json_decref(j);
	jscan_release(&js);
	return rc;
}

static void test_scan_positions(void **state)
{
	(void)state;
	static const char *const specials[] = {
		"\\\"", "\\\\", "\\/", "\\n", "\\u00e7", "\\ud83d\\ude00", /* escapes: taken */
		"\"", "\\", "\\x", "\\u12", "\\ud800", "\x01", "\x1f", "\t", /* left to jansson */
	};
	char s[256];
	for (int pass = 0; pass < 2; pass++) {
		size_t nq = pass ? sizeof specials / sizeof specials[0] : sizeof seqs / sizeof seqs[0];
		for (size_t q = 0; q < nq; q++)
			for (int pk = 0; pk < 4; pk++)
				for (size_t pre = 0; pre <= 36; pre++)
					for (size_t post = 0; post <= 20; post += post < 3 ? 1 : 6) {
						const char *seq = pass ? specials[q] : seqs[q];
						size_t n = fill(s, pk, pre), ql = strlen(seq);
						memcpy(s + n, seq, ql);
						n += ql;
						n += fill(s + n, pk, post);
						struct jspan v;
						int rc = scan_record(s, n, &v);
						size_t bad;
						int want = pass ? q < 6 : ref_valid((const unsigned char *)s, n, &bad);
						assert_int_equal(rc, want ? JSCAN_OK : JSCAN_FALLBACK);
						if (rc == JSCAN_OK)
							assert_int_equal(v.n, n + 2); /* the token, quotes and all */
					}
	}
}

/* json_plain_len (the writer's runs of bytes that need no escape): the first '"', '\\' or
 * control character at every position, after every kind of byte that needs none. */
static void test_plain_len(void **state)
{
	(void)state;
	static const char specials[] = {'"', '\\', 0x00, 0x01, '\n', 0x1F};
	static const char plain[] = {'a', ' ', 0x7F, (char)0x80, (char)0xC3, (char)0xFF, '/', '!'};
	char s[64] = {0};
	for (size_t n = 0; n <= 48; n++) {
		for (size_t i = 0; i < n; i++)
			s[i] = plain[(i * 7 + n) % sizeof plain];
		assert_int_equal(json_plain_len(s, n), n);
		for (size_t at = 0; at < n; at++)
			for (size_t k = 0; k < sizeof specials; k++) {
				char keep = s[at];
				s[at] = specials[k];
				if (json_plain_len(s, n) != at)
					fail_msg("special %zu at %zu of %zu: %zu", k, at, n, json_plain_len(s, n));
				/* a second special after the first changes nothing */
				if (at + 1 < n) {
					char keep2 = s[n - 1];
					s[n - 1] = '"';
					assert_int_equal(json_plain_len(s, n), at);
					s[n - 1] = keep2;
				}
				s[at] = keep;
			}
	}
}

#define UTF8_SCAN_TESTS                                                                          \
	cmocka_unit_test(test_utf8_positions), cmocka_unit_test(test_utf8_random),               \
		cmocka_unit_test(test_scan_positions), cmocka_unit_test(test_plain_len),          \
		cmocka_unit_test(test_plain_positions)

#endif
