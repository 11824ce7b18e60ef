/* test_link.c: dates, ids, and the clustering rules of the link store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "olay/link.h"
#include "olay/link_sort.h"

static void test_dates(void **state)
{
	(void)state;
	long d;
	assert_int_equal(link_parse_date("1970-01-01", &d), 0);
	assert_int_equal(d, 0);
	assert_int_equal(link_parse_date("2000-03-01", &d), 0);
	assert_int_equal(d, 11017);
	assert_int_equal(link_parse_date("2016-02-29", &d), 0);
	assert_int_equal(link_parse_date("2017-02-29", &d), -1);
	assert_int_equal(link_parse_date("2017-13-01", &d), -1);
	assert_int_equal(link_parse_date("2017-1-01", &d), -1);
	assert_int_equal(link_parse_date("20170101", &d), -1);
	assert_int_equal(link_parse_date(NULL, &d), -1);
}

static void test_hash_is_fixed(void **state)
{
	(void)state;
	/* ids are promised stable across runs and versions: pin the function */
	assert_true(link_hash("abc", 3) == link_hash("abc", 3));
	assert_true(link_hash("abc", 3) != link_hash("abd", 3));
	char hex[17];
	const char *key = "RUS\x1fUKR\x1f" "190\x1f" "2020-01-01"; /* tests/golden/link/window */
	snprintf(hex, sizeof hex, "%016llx", link_hash(key, strlen(key)));
	assert_string_equal(hex, "a0d8c7115e5e153b");
}

static json_t *mention(const char *id, const char *doc, const char *date, const char *src,
		       const char *tgt, const char *code, int symmetric)
{
	json_t *m = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:{s:s, s:s}, s:{s:s, s:s}, s:b}",
			      "mention_id", id, "doc_id", doc, "date", date, "lang", "en", "code",
			      code, "sentence", 0, "source", "entity", src, "code", src, "target",
			      "entity", tgt, "code", tgt, "symmetric", symmetric);
	assert_non_null(m);
	return m;
}

static size_t link_all(struct link_options *opt, json_t **ms, size_t n, json_t **first)
{
	struct link_store *ls = link_store_new(opt);
	char err[256];
	for (size_t i = 0; i < n; i++)
		assert_int_equal(link_store_add(ls, ms[i], err, sizeof err), 1);
	assert_int_equal(link_store_run(ls), 0);
	size_t nev = link_store_nevents(ls);
	if (first) {
		size_t len;
		const char *line;
		assert_int_equal(link_store_next(ls, &line, &len), 1);
		assert_true(len > 0 && line[len - 1] == '\n');
		*first = json_loadb(line, len, 0, NULL);
		assert_non_null(*first);
	}
	link_store_free(ls);
	return nev;
}

static void test_clustering(void **state)
{
	(void)state;
	json_t *ms[] = {
		mention("a:0:0", "a", "2020-01-01", "TUR", "RUS", "040", 1),
		mention("b:0:0", "b", "2020-01-02", "RUS", "TUR", "040", 1), /* mirror, next day */
		mention("c:0:0", "c", "2020-01-02", "RUS", "TUR", "042", 0), /* other code */
		mention("d:0:0", "d", "2020-01-05", "TUR", "RUS", "040", 1), /* 3 days later */
	};
	struct link_options opt = {.window = 1};
	json_t *ev;
	assert_int_equal(link_all(&opt, ms, 4, &ev), 3);
	assert_string_equal(json_string_value(json_object_get(ev, "date")), "2020-01-01");
	assert_int_equal(json_integer_value(json_object_get(ev, "num_mentions")), 2);
	assert_int_equal(json_integer_value(json_object_get(ev, "num_articles")), 2);
	json_decref(ev);
	opt.window = 3; /* now the 5th chains to the 2nd */
	assert_int_equal(link_all(&opt, ms, 4, NULL), 2);
	opt.window = 1;
	opt.by_root = 1; /* 042 joins 040's root; the mirror merge still holds */
	assert_int_equal(link_all(&opt, ms, 4, NULL), 2);
	opt.by_root = 0;
	opt.one_a_day = 1; /* mirrors apart, days apart */
	assert_int_equal(link_all(&opt, ms, 4, NULL), 4);
	for (size_t i = 0; i < 4; i++)
		json_decref(ms[i]);
}

static void test_undated(void **state)
{
	(void)state;
	/* no date: merged inside its document (story filter), never across documents */
	json_t *ms[] = {
		mention("a:0:0", "a", "x", "TUR", "RUS", "040", 1),
		mention("a:1:0", "a", "x", "RUS", "TUR", "040", 1),
		mention("b:0:0", "b", "x", "TUR", "RUS", "040", 1),
		mention("c:0:0", "c", "2020-01-01", "TUR", "RUS", "040", 1),
	};
	for (int i = 0; i < 3; i++)
		json_object_set_new(ms[i], "date", json_null());
	struct link_options opt = {.window = 1};
	json_t *ev;
	assert_int_equal(link_all(&opt, ms, 4, &ev), 3);
	/* dated events first */
	assert_string_equal(json_string_value(json_object_get(ev, "date")), "2020-01-01");
	json_decref(ev);
	for (size_t i = 0; i < 4; i++)
		json_decref(ms[i]);
}

static void test_rejects(void **state)
{
	(void)state;
	struct link_options opt = {.window = 1};
	struct link_store *ls = link_store_new(&opt);
	char err[256];
	json_t *m = mention("a:0:0", "a", "2020-01-01", "TUR", "RUS", "040", 0);
	json_object_set_new(m, "date", json_string("2020-02-30"));
	assert_int_equal(link_store_add(ls, m, err, sizeof err), 0);
	assert_non_null(strstr(err, "'date' is not a YYYY-MM-DD date"));
	json_object_set_new(m, "date", json_string("2020-01-01"));
	json_object_set_new(m, "source", json_null());
	json_object_set_new(m, "target", json_null());
	assert_int_equal(link_store_add(ls, m, err, sizeof err), 0);
	assert_non_null(strstr(err, "no actors"));
	json_object_set_new(m, "source", json_pack("{s:s, s:i, s:i}", "code", "TUR", "start", 9, "end", 3));
	assert_int_equal(link_store_add(ls, m, err, sizeof err), 0);
	assert_non_null(strstr(err, "[9,3) is malformed"));
	json_decref(m);
	assert_int_equal(link_store_run(ls), 0);
	assert_int_equal(link_store_nevents(ls), 0);
	link_store_free(ls);
}

static unsigned long long rng(unsigned long long *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* The external sort: many runs (more than one merge can take), order by key then value,
 * duplicates kept, nothing lost; and the same with everything in memory. */
static void test_external_sort(void **state)
{
	(void)state;
	for (int round = 0; round < 2; round++) {
		struct link_sort *s = link_sort_new(round ? (size_t)64 << 20 : 4096);
		unsigned long long x = 88172645463325252ULL;
		const size_t n = 30000;
		for (size_t i = 0; i < n; i++) {
			char k[32], v[32];
			int kl = snprintf(k, sizeof k, "k%llu", rng(&x) % 5000);
			int vl = snprintf(v, sizeof v, "v%llu", rng(&x) % 7);
			assert_int_equal(link_sort_add(s, k, (uint32_t)kl, v, (uint32_t)vl), 0);
		}
		assert_int_equal(link_sort_finish(s), 0);
		if (round == 0)
			assert_true(link_sort_runs(s) >= 1 && link_sort_spilled(s) > 0);
		else
			assert_int_equal(link_sort_spilled(s), 0);
		char pk[32] = "", pv[32] = "";
		size_t got = 0;
		const char *k, *v;
		uint32_t kl, vl;
		int rc;
		while ((rc = link_sort_next(s, &k, &kl, &v, &vl)) == 1) {
			char ck[32], cv[32];
			snprintf(ck, sizeof ck, "%.*s", (int)kl, k);
			snprintf(cv, sizeof cv, "%.*s", (int)vl, v);
			int c = strcmp(pk, ck);
			assert_true(c < 0 || (c == 0 && strcmp(pv, cv) <= 0));
			strcpy(pk, ck);
			strcpy(pv, cv);
			got++;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(got, n);
		assert_int_equal(link_sort_items(s), n);
		link_sort_free(s);
	}
}

/* All the events' lines of one run over ms (in the order given by perm). */
static char *link_lines(size_t memory, json_t **ms, const size_t *perm, size_t n)
{
	struct link_options opt = {.window = 1, .memory = memory};
	struct link_store *ls = link_store_new(&opt);
	char err[256];
	for (size_t i = 0; i < n; i++)
		assert_int_equal(link_store_add(ls, ms[perm[i]], err, sizeof err), 1);
	assert_int_equal(link_store_run(ls), 0);
	size_t cap = 1 << 20, used = 0, len, nev = 0;
	char *all = malloc(cap);
	const char *line;
	while (link_store_next(ls, &line, &len) == 1) {
		while (used + len + 1 > cap)
			all = realloc(all, cap *= 2);
		memcpy(all + used, line, len);
		used += len;
		nev++;
	}
	all[used] = '\0';
	assert_int_equal(nev, link_store_nevents(ls));
	link_store_free(ls);
	return all;
}

/* Memory holds a budget, not the mentions: with a budget far smaller than the input
 * (every sort spills to many runs) and in shuffled order, the bytes are the same. */
static void test_spilled_same_bytes(void **state)
{
	(void)state;
	static const char *const ids[] = {"TUR", "RUS", "SYR", "IRN", "USA"};
	static const char *const codes[] = {"040", "042", "190"};
	const size_t n = 3000;
	json_t **ms = malloc(n * sizeof *ms);
	size_t *perm = malloc(n * sizeof *perm), *ident = malloc(n * sizeof *ident);
	unsigned long long x = 12345;
	for (size_t i = 0; i < n; i++) {
		char id[32], doc[16], date[16];
		snprintf(doc, sizeof doc, "d%llu", rng(&x) % 200);
		snprintf(id, sizeof id, "%s:%zu:0", doc, i);
		snprintf(date, sizeof date, "2020-01-%02llu", 1 + rng(&x) % 28);
		size_t a = rng(&x) % 5, b = (a + 1 + rng(&x) % 4) % 5, c = rng(&x) % 3;
		ms[i] = mention(id, doc, date, ids[a], ids[b], codes[c], c == 0);
		ident[i] = perm[i] = i;
	}
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = rng(&x) % (i + 1), t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
	}
	char *big = link_lines(0, ms, ident, n), *small = link_lines(4096, ms, perm, n);
	assert_true(strlen(big) > 100000);
	assert_string_equal(big, small);
	free(big);
	free(small);
	for (size_t i = 0; i < n; i++)
		json_decref(ms[i]);
	free(ms);
	free(perm);
	free(ident);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_hash_is_fixed),
		cmocka_unit_test(test_clustering),
		cmocka_unit_test(test_undated),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_external_sort),
		cmocka_unit_test(test_spilled_same_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
