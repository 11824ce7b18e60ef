/* test_utf8.c: utf8_valid() and the JSON scanner's strings as the library is built (on
 * x86-64: sixteen-byte SSE2 blocks, then eight-byte words); test_utf8_portable.c runs the
 * same cases on the portable code. Also utf8_decode() and utf8_encode(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "olay/extract_json.h"
#include "olay/utf8.h"

#include "utf8_scan_cases.h"

static void test_decode_encode(void **state)
{
	(void)state;
	char out[4];
	for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		int n = utf8_encode(cp, out);
		uint32_t back = 0;
		assert_int_equal(utf8_decode(out, (size_t)n, 0, &back), n);
		assert_int_equal(back, cp);
		assert_true(utf8_valid(out, (size_t)n, NULL));
	}
	uint32_t cp;
	assert_int_equal(utf8_decode("\xc3", 1, 0, &cp), 0);
	assert_int_equal(cp, 0xC3); /* an invalid sequence gives its byte */
	assert_int_equal(utf8_decode("\xed\xa0\x80", 3, 0, &cp), 0);
	assert_int_equal(utf8_decode("a\xc3\xa7", 3, 1, &cp), 2);
	assert_int_equal(cp, 0xE7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UTF8_SCAN_TESTS,
		cmocka_unit_test(test_decode_encode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
