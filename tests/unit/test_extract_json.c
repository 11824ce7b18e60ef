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

/* One pass lists the elements of the named array and the fields of its objects. */
static void test_elems(void **state)
{
	(void)state;
	const char *s = "{\"x\":[{\"a\":1}],\"sentences\":[ {\"n\":0,\"map\":[0, 5,3 ,9],\"o\":{\"p\":[1]}},"
			"7, {}, {\"key\":\"k\"} ],\"y\":{\"sentences\":[{\"z\":1}]}}";
	struct jscan js = {0};
	assert_int_equal(jscan_object_elems(&js, s, strlen(s), "sentences"), JSCAN_OK);
	assert_int_equal(js.n, 3);
	assert_true(js.has_elems);
	assert_int_equal(js.ne, 4);
	assert_int_equal(js.nef, 4); /* nested objects and other arrays are not listed */
	assert_int_equal(js.e[0].nf, 3);
	assert_int_equal(js.e[1].nf, 0);
	assert_int_equal(js.e[1].v.n, 1);
	assert_memory_equal(js.e[1].v.p, "7", 1);
	assert_int_equal(js.e[2].nf, 0);
	assert_true(jspan_is_object(&js.e[2].v));
	assert_int_equal(js.e[3].nf, 1);
	const struct jfield *f = &js.ef[js.e[3].f];
	assert_int_equal(f->key.n, 3);
	assert_memory_equal(f->key.p, "key", 3);
	assert_int_equal(f->val.n, 3);
	/* the map's integers, read as it was scanned */
	f = &js.ef[js.e[0].f + 1];
	assert_memory_equal(f->key.p, "map", 3);
	assert_true(f->all_ints);
	assert_int_equal(f->ni, 4);
	long long want[] = {0, 5, 3, 9};
	for (int i = 0; i < 4; i++)
		assert_int_equal(js.iv[f->i0 + i], want[i]);
	assert_false(js.ef[js.e[0].f].all_ints); /* "n" is no array */
	/* scanned again, as another document: the lists start afresh */
	assert_int_equal(jscan_object_elems(&js, "{\"sentences\":[]}", 16, "sentences"), JSCAN_OK);
	assert_true(js.has_elems);
	assert_int_equal(js.ne, 0);
	assert_int_equal(jscan_object_elems(&js, "{\"sentences\":{}}", 16, "sentences"), JSCAN_OK);
	assert_false(js.has_elems);
	/* a bad element anywhere still makes the record the scanner's to leave */
	const char *bad = "{\"sentences\":[{\"n\":0},{\"n\":0,\"n\":1}]}";
	assert_int_equal(jscan_object_elems(&js, bad, strlen(bad), "sentences"), JSCAN_FALLBACK);
	jscan_release(&js);
}

/* The integers of a listed element's arrays: those before the first element that is not
 * one (a real, a string, null, an array), and whether that was all of them. */
static void test_int_arrays(void **state)
{
	(void)state;
	static const struct {
		const char *arr;
		size_t ni;  /* integers before the end or the first other element */
		int all;    /* every element an integer */
		long long last;
	} cases[] = {
		{"[]", 0, 1, 0},
		{"[ ]", 0, 1, 0},
		{"[-0]", 1, 1, 0},
		{"[ -12 , 3 ]", 2, 1, 3},
		{"[0,10,200]", 3, 1, 200},
		{"[1,2.5]", 1, 0, 1},
		{"[1,2e3,4]", 1, 0, 1},
		{"[1,2E3]", 1, 0, 1},
		{"[1,0.5]", 1, 0, 1},
		{"[\"1\"]", 0, 0, 0},
		{"[1, null, 3]", 1, 0, 1},
		{"[[1],2]", 0, 0, 0},
		{"[999999999999999999]", 1, 1, 999999999999999999LL},
		{"[-99999999999999999]", 1, 1, -99999999999999999LL},
	};
	struct jscan js = {0};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char line[96];
		snprintf(line, sizeof line, "{\"s\":[{\"x\":1,\"a\":%s}]}", cases[i].arr);
		assert_int_equal(jscan_object_elems(&js, line, strlen(line), "s"), JSCAN_OK);
		assert_int_equal(js.ne, 1);
		assert_int_equal(js.e[0].nf, 2);
		const struct jfield *f = &js.ef[js.e[0].f + 1];
		assert_int_equal(f->ni, cases[i].ni);
		assert_int_equal(f->all_ints, cases[i].all);
		if (f->ni)
			assert_int_equal(js.iv[f->i0 + f->ni - 1], cases[i].last);
		assert_int_equal(f->i0 + f->ni, js.niv);
	}
	/* what the scan refuses in an array is left to jansson as anywhere else */
	static const char *const bad[] = {"[01]", "[1,]", "[-]", "[1 2]", "[9999999999999999999]",
					  "[-999999999999999999]", "[1.]", "[1e]", "[1e999]"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char line[96];
		snprintf(line, sizeof line, "{\"s\":[{\"a\":%s}]}", bad[i]);
		assert_int_equal(jscan_object_elems(&js, line, strlen(line), "s"), JSCAN_FALLBACK);
		json_error_t err;
		json_t *j = json_loads(line, JSON_REJECT_DUPLICATES, &err);
		if (j && i != 4 && i != 5 && i != 8) /* the scanner may leave more to jansson */
			fail_msg("jansson takes '%s'", line);
		json_decref(j);
	}
	jscan_release(&js);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_elems),
		cmocka_unit_test(test_int_arrays),
		cmocka_unit_test(test_conservative),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
