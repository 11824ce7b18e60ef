/* test_dict.c: the trie dictionary: prefixes, several values per key, growth. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "olay/dict.h"

static void test_prefixes(void **state)
{
	(void)state;
	struct dict d;
	assert_int_equal(dict_init(&d), 0);
	assert_int_equal(dict_add(&d, "rus", 3, 1), 0);
	assert_int_equal(dict_add(&d, "rusya", 5, 2), 0);
	assert_int_equal(dict_add(&d, "rusya", 5, 3), 0);
	assert_int_equal(dict_add(&d, "türkiye cumhuriyeti", strlen("türkiye cumhuriyeti"), 4), 0);
	struct dict_hit hits[8];
	const char *s = "rusyayla görüştü";
	size_t n = dict_prefixes(&d, s, strlen(s), hits, 8);
	assert_int_equal(n, 2);
	assert_int_equal(hits[0].len, 3); /* shortest first */
	assert_int_equal(d.vals[hits[0].head].value, 1);
	assert_int_equal(hits[1].len, 5);
	int32_t v = hits[1].head; /* insertion order */
	assert_int_equal(d.vals[v].value, 2);
	v = d.vals[v].next;
	assert_int_equal(d.vals[v].value, 3);
	assert_int_equal(d.vals[v].next, -1);
	s = "türkiye cumhuriyeti'nin";
	n = dict_prefixes(&d, s, strlen(s), hits, 8);
	assert_int_equal(n, 1);
	assert_int_equal(hits[0].len, strlen("türkiye cumhuriyeti"));
	assert_int_equal(dict_prefixes(&d, "ru", 2, hits, 8), 0);
	assert_true(dict_has_prefix(&d, "ru", 2));
	assert_false(dict_has_prefix(&d, "rx", 2));
	/* max bounds the hits written */
	s = "rusya";
	assert_int_equal(dict_prefixes(&d, s, 5, hits, 1), 1);
	dict_release(&d);
}

static void test_growth(void **state)
{
	(void)state;
	struct dict d;
	assert_int_equal(dict_init(&d), 0);
	char key[32];
	for (unsigned i = 0; i < 20000; i++) {
		snprintf(key, sizeof key, "name%u", i);
		assert_int_equal(dict_add(&d, key, strlen(key), i), 0);
	}
	struct dict_hit hits[8];
	for (unsigned i = 0; i < 20000; i += 997) {
		snprintf(key, sizeof key, "name%u", i);
		size_t n = dict_prefixes(&d, key, strlen(key), hits, 8);
		assert_true(n >= 1);
		assert_int_equal(hits[n - 1].len, strlen(key));
		assert_int_equal(d.vals[hits[n - 1].head].value, i);
	}
	dict_release(&d);
}

/* A node with many children (every byte after "k") is walked through its row; children
 * added before and after it got the row are all found, and absent bytes are not. */
static void test_wide_node(void **state)
{
	(void)state;
	struct dict d;
	assert_int_equal(dict_init(&d), 0);
	char key[4] = "kx";
	for (int b = 1; b < 256; b += 2) {
		key[1] = (char)b;
		assert_int_equal(dict_add(&d, key, 2, (uint32_t)b), 0);
		key[2] = 'z'; /* a deeper key under each: one child, then the row's child */
		assert_int_equal(dict_add(&d, key, 3, (uint32_t)b + 1000), 0);
	}
	struct dict_hit hits[8];
	for (int b = 1; b < 256; b++) {
		key[1] = (char)b;
		key[2] = 'z';
		size_t n = dict_prefixes(&d, key, 3, hits, 8);
		if (b % 2 == 0) {
			assert_int_equal(n, 0);
			assert_false(dict_has_prefix(&d, key, 2));
			continue;
		}
		assert_int_equal(n, 2);
		assert_int_equal(d.vals[hits[0].head].value, (uint32_t)b);
		assert_int_equal(d.vals[hits[1].head].value, (uint32_t)b + 1000);
	}
	dict_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_wide_node),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
