/* test_extract_json.c: the scanner that reads documents in place: what it accepts, what it
 * leaves to jansson, and string, integer and array access. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "olay/extract_json.h"

static int scan(const char *s)
{
	struct jscan js = {0};
	int rc = jscan_object(&js, s, strlen(s));
	jscan_release(&js);
	return rc;
}

static void test_fields(void **state)
{
	(void)state;
	const char *s = " {\"doc_id\":\"d1\", \"n\": -12, \"text\":\"a\\\"b\\u00e7\\ud83d\\ude00\\n\","
			"\"sentences\":[{\"n\":0,\"map\":[0,5,3,9]}], \"x\":{\"y\":[true,false,null,1.5e3]}} ";
	struct jscan js = {0};
	assert_int_equal(jscan_object(&js, s, strlen(s)), JSCAN_OK);
	assert_int_equal(js.n, 5);
	const struct jspan *v = jscan_get(&js, "doc_id");
	assert_true(jspan_is_string(v));
	struct buf tmp = BUF_INIT;
	const char *p;
	size_t n;
	assert_int_equal(jspan_string(v, &tmp, &p, &n), JSCAN_OK);
	assert_int_equal(n, 2);
	assert_memory_equal(p, "d1", 2);
	assert_int_equal(jspan_string(jscan_get(&js, "text"), &tmp, &p, &n), JSCAN_OK);
	assert_int_equal(n, strlen("a\"bç😀\n"));
	assert_memory_equal(p, "a\"bç😀\n", n);
	long long x;
	assert_true(jspan_int(jscan_get(&js, "n"), &x));
	assert_int_equal(x, -12);
	assert_null(jscan_get(&js, "missing"));
	/* the elements of an array, in turn */
	const struct jspan *sents = jscan_get(&js, "sentences");
	assert_true(jspan_is_array(sents));
	const char *pos = NULL;
	struct jspan el;
	assert_true(jspan_next(sents, &pos, &el));
	assert_true(jspan_is_object(&el));
	assert_false(jspan_next(sents, &pos, &el));
	struct jscan sj = {0};
	assert_int_equal(jscan_object(&sj, el.p, el.n), JSCAN_OK);
	const struct jspan *map = jscan_get(&sj, "map");
	long long want[] = {0, 5, 3, 9}, got;
	pos = NULL;
	for (int i = 0; i < 4; i++) {
		assert_true(jspan_next(map, &pos, &el));
		assert_true(jspan_int(&el, &got));
		assert_int_equal(got, want[i]);
	}
	assert_false(jspan_next(map, &pos, &el));
	/* a real is not an integer */
	struct jspan real = {"1.5", 3};
	assert_false(jspan_int(&real, &got));
	jscan_release(&sj);
	jscan_release(&js);
	buf_release(&tmp);
}

/* Whatever the scanner accepts, jansson accepts too (the scanner may leave more to it). */
static void test_conservative(void **state)
{
	(void)state;
	static const char *cases[] = {
		"{\"a\":1,\"a\":2}",	  /* duplicate key */
		"{\"a\":{\"b\":1,\"b\":2}}", /* nested duplicate */
		"{\"a\":\"\\u0000\"}",	  /* NUL */
		"{\"a\":\"\\ud800\"}",	  /* lone surrogate */
		"{\"a\":\"\\udc00x\"}",
		"{\"a\":1} x",		  /* trailing garbage */
		"{\"a\":01}",		  /* leading zero */
		"{\"a\":1.}",
		"{\"a\":99999999999999999999}", /* too big an integer */
		"{\"a\":1e999}",
		"{\"a\":[1,]}",
		"{\"a\":\"tab\there\"}", /* raw control character */
		"{\"a\":\"\xff\"}",	/* not UTF-8 */
		"[1,2]",		/* not an object */
		"{\"a\":tru}",
		"{\"a\\u0062\":1}",	/* escaped key: left to jansson */
		"",
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = scan(cases[i]);
		json_error_t err;
		json_t *j = json_loads(cases[i], JSON_REJECT_DUPLICATES, &err);
		if (rc == JSCAN_OK)
			assert_non_null(j);
		assert_int_equal(rc, JSCAN_FALLBACK);
		json_decref(j);
	}
	assert_int_equal(scan("{}"), JSCAN_OK);
	assert_int_equal(scan("{\"a\":[],\"b\":{},\"c\":-0.5E-3,\"d\":\"\\/\"}"), JSCAN_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_conservative),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
