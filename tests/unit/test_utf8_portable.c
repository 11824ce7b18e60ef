/* test_utf8_portable.c: the cases of test_utf8.c on the portable code: utf8.c and
 * extract_json.c built here with OLAY_NO_SIMD, which leaves out their SSE2 blocks (the
 * library's copies of these functions are not linked: this file defines them). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#define OLAY_NO_SIMD 1
#include "../../common/extract_json.c"
#include "../../common/utf8.c"

#include "utf8_scan_cases.h"

int main(void)
{
	const struct CMUnitTest tests[] = {UTF8_SCAN_TESTS};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
