/* test_codes.c: the CAMEO code table and the default intent of each root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "olay/codes.h"
#include "olay/rules.h"

static void test_load_and_find(void **state)
{
	(void)state;
	char path[4096];
	snprintf(path, sizeof path, "%s/rules/cameo/codes.tsv", getenv("OLAY_SOURCE_DIR"));
	struct codes c;
	struct diags d = {0};
	assert_int_equal(codes_load(&c, path, &d), 0);
	assert_int_equal(d.n, 0);
	const struct code_row *r = codes_find(&c, "040");
	assert_non_null(r);
	assert_string_equal(r->root, "04");
	assert_int_equal(r->quad, 1);
	r = codes_find(&c, "190");
	assert_non_null(r);
	assert_int_equal(r->quad, 4);
	assert_true(r->goldstein < 0);
	assert_null(codes_find(&c, "999"));
	assert_null(codes_find(&c, ""));
	codes_release(&c);
	diags_release(&d);
}

static void test_bad_lines(void **state)
{
	(void)state;
	char path[] = "/tmp/olay-test-codes-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs("code\troot\tquad\tgoldstein\tname\n040\t04\t1\t1.0\tConsult\n"
	      "041\t05\t1\t1.0\twrong root\n042\t04\t9\t1.0\tbad quad\nshort\tline\n",
	      f);
	fclose(f);
	struct codes c;
	struct diags d = {0};
	codes_load(&c, path, &d);
	assert_int_equal(c.n, 1);
	assert_int_equal(d.n, 3);
	char want[4200];
	snprintf(want, sizeof want, "%s:3:1: ", path);
	assert_memory_equal(d.msgs[0], want, strlen(want));
	snprintf(want, sizeof want, "%s:5:1: expected 5", path);
	assert_memory_equal(d.msgs[2], want, strlen(want));
	codes_release(&c);
	diags_release(&d);
	unlink(path);
}

static void test_default_intent(void **state)
{
	(void)state;
	char out[8];
	static const char *cases[][2] = {
		{"040", "036"}, {"042", "036"}, {"057", "032"}, {"061", "0311"}, {"064", "0314"},
		{"060", "031"}, {"070", "033"}, {"0871", "035"}, {"090", "030"}, {"112", ""},
		{"020", ""},	{"030", ""},	{"150", "138"}, {"163", "131"}, {"173", "130"},
		{"190", "138"}, {"2041", "138"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		codes_default_intent(cases[i][0], out);
		assert_string_equal(out, cases[i][1]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_and_find),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_default_intent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
