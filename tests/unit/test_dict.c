/* test_dict.c: the trie dictionary: prefixes, several values per key, growth, the frozen
 * form. */
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

/* The frozen form answers as the trie it is built from: random keys over a small alphabet
 * (so many share prefixes, chains and branches), several values per key and values
 * shared by keys; every prefix walk and prefix test of random texts and of the keys
 * themselves, in order and with their values in insertion order, checked against a plain
 * list of the keys. A later dict_add drops the frozen form and its key is found. */
static unsigned rnd_state = 12345;
static unsigned rnd(void)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 16) & 0x7fff;
}

struct ref_key { char s[24]; size_t n; uint32_t vals[4]; int nv; };

/* the expected hits of s[0..n): keys that are prefixes of it, shortest first */
static void check_walk(const struct dict *d, const struct ref_key *keys, int nk, const char *s, size_t n)
{
	struct dict_hit hits[32];
	size_t nh = dict_prefixes(d, s, n, hits, 32);
	size_t want = 0;
	for (size_t len = 1; len <= n; len++)
		for (int k = 0; k < nk; k++)
			if (keys[k].n == len && memcmp(keys[k].s, s, len) == 0) {
				assert_true(want < nh);
				assert_int_equal(hits[want].len, len);
				int v = 0;
				for (int32_t h = hits[want].head; h >= 0; h = d->vals[h].next, v++) {
					assert_true(v < keys[k].nv);
					assert_int_equal(d->vals[h].value, keys[k].vals[v]);
				}
				assert_int_equal(v, keys[k].nv);
				want++;
			}
	assert_int_equal(nh, want);
	/* a prefix test of every leading part */
	for (size_t len = 1; len <= n; len++) {
		int some = 0;
		for (int k = 0; k < nk && !some; k++)
			some = keys[k].n >= len && memcmp(keys[k].s, s, len) == 0;
		assert_int_equal(dict_has_prefix(d, s, len), some);
	}
}

static void test_frozen(void **state)
{
	(void)state;
	static const char alpha[] = "ab\xc3\xa7 \xff";
	enum { NK = 800, NRANDOM = 500 };
	static struct ref_key keys[NK];
	int nk = 0;
	struct dict d;
	assert_int_equal(dict_init(&d), 0);
	for (int i = 0; i < 1500; i++) {
		char k[24];
		size_t n = 1 + rnd() % 12;
		for (size_t j = 0; j < n; j++)
			k[j] = alpha[rnd() % (sizeof alpha - 1)];
		uint32_t v = rnd() % 50; /* values shared by several keys */
		int at = -1;
		for (int q = 0; q < nk; q++)
			if (keys[q].n == n && memcmp(keys[q].s, k, n) == 0)
				at = q;
		if (at < 0 && nk == NRANDOM)
			continue;
		if (at < 0) {
			at = nk++;
			memcpy(keys[at].s, k, n);
			keys[at].n = n;
		} else if (keys[at].nv == 4) {
			continue;
		}
		keys[at].vals[keys[at].nv++] = v;
		assert_int_equal(dict_add(&d, k, n, v), 0);
	}
	/* a wide node: every byte after "wz", and one long chain */
	char w[3] = "wz";
	for (int b = 1; b < 256; b += 3) { /* `wza` among them */
		w[2] = (char)b;
		memcpy(keys[nk].s, w, 3);
		keys[nk].n = 3;
		keys[nk].vals[0] = 1000u + (uint32_t)b;
		keys[nk].nv = 1;
		nk++;
		assert_int_equal(dict_add(&d, w, 3, 1000u + (uint32_t)b), 0);
	}
	const char *chain = "wzabcdefghijklmnopqrstu";
	memcpy(keys[nk].s, chain, strlen(chain));
	keys[nk].n = strlen(chain);
	keys[nk].vals[0] = 7;
	keys[nk].nv = 1;
	nk++;
	assert_int_equal(dict_add(&d, chain, strlen(chain), 7), 0);

	for (int frozen = 0; frozen < 2; frozen++) {
		if (frozen)
			assert_int_equal(dict_freeze(&d), 0);
		assert_true((d.fz != NULL) == frozen);
		for (int k = 0; k < nk; k++) {
			char t[40];
			memcpy(t, keys[k].s, keys[k].n);
			size_t n = keys[k].n + rnd() % 8;
			for (size_t j = keys[k].n; j < n; j++)
				t[j] = alpha[rnd() % (sizeof alpha - 1)];
			check_walk(&d, keys, nk, t, n);
			check_walk(&d, keys, nk, t, keys[k].n - 1); /* ends inside a label */
		}
		for (int i = 0; i < 3000; i++) {
			char t[20];
			size_t n = rnd() % 20;
			for (size_t j = 0; j < n; j++)
				t[j] = alpha[rnd() % (sizeof alpha - 1)];
			check_walk(&d, keys, nk, t, n);
		}
		check_walk(&d, keys, nk, "wzabcdefghijklmnopqrstuvw", 25);
		check_walk(&d, keys, nk, "wzabcdefghijkX", 14);
	}
	/* at most max hits, the shortest */
	struct dict_hit hits[2];
	assert_int_equal(dict_prefixes(&d, chain, strlen(chain), hits, 1), 1);
	assert_int_equal(hits[0].len, 3);
	/* a key added after freezing: the frozen form goes, the key is found */
	assert_int_equal(dict_add(&d, "wzabcdefgh", 10, 99), 0);
	assert_null(d.fz);
	size_t n = dict_prefixes(&d, "wzabcdefghij", 12, hits, 2);
	assert_int_equal(n, 2);
	assert_int_equal(hits[1].len, 10);
	assert_int_equal(d.vals[hits[1].head].value, 99);
	assert_int_equal(d.maxlen, strlen(chain));
	assert_int_equal(dict_freeze(&d), 0);
	assert_int_equal(dict_prefixes(&d, "wzabcdefghij", 12, hits, 2), 2);
	assert_int_equal(d.vals[hits[1].head].value, 99);
	dict_release(&d);
}

/* Keys of every length around the filter's probes (1, 2, 3, 4, 7, 8, 10 bytes): each is
 * found at the start of a longer text and of a text just as long, and a text that shares
 * only a part of a key's leading bytes finds nothing. */
static void test_filter_lengths(void **state)
{
	(void)state;
	static const char *const keys[] = {"a", "bc", "def", "ghij", "klmnopq", "rstuvwxy", "z123456789"};
	enum { NKEYS = sizeof keys / sizeof keys[0] };
	struct dict d;
	assert_int_equal(dict_init(&d), 0);
	for (uint32_t k = 0; k < NKEYS; k++)
		assert_int_equal(dict_add(&d, keys[k], strlen(keys[k]), k), 0);
	assert_int_equal(dict_freeze(&d), 0);
	struct dict_hit hits[4];
	for (uint32_t k = 0; k < NKEYS; k++) {
		char t[32];
		size_t n = strlen(keys[k]);
		memcpy(t, keys[k], n);
		memcpy(t + n, " and more", 10);
		for (size_t len = n; len <= n + 9; len += 9) {
			assert_int_equal(dict_prefixes(&d, t, len, hits, 4), 1);
			assert_int_equal(hits[0].len, n);
			assert_int_equal(d.vals[hits[0].head].value, k);
		}
		/* the last byte changed: no key (and no shorter one: the keys share no prefix) */
		if (n > 1) {
			t[n - 1] = '#';
			assert_int_equal(dict_prefixes(&d, t, n + 9, hits, 4), 0);
		}
	}
	assert_int_equal(dict_prefixes(&d, "xyz", 3, hits, 4), 0);
	assert_int_equal(dict_prefixes(&d, "ab", 2, hits, 4), 1); /* `a` */
	dict_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_wide_node),
		cmocka_unit_test(test_frozen),
		cmocka_unit_test(test_filter_lengths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
