/* test_rules.c: parsing rule files and the file:line:col of every problem. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "olay/rules.h"

static int has_msg(const struct diags *d, const char *want)
{
	for (size_t i = 0; i < d->n; i++)
		if (strstr(d->msgs[i], want))
			return 1;
	return 0;
}

static void test_actor(void **state)
{
	(void)state;
	struct ruleset rs;
	memset(&rs, 0, sizeof rs);
	struct diags d = {0};
	const char *text = "# comment\n"
			   "actor mevlut-cavusoglu   # trailing comment\n"
			   "  type person\n"
			   "  country TUR\n"
			   "  code TURGOV\n"
			   "  roles [TURGOV 2014-08-29..2023-06-04] [TURELI 2023-06-05..]\n"
			   "  tr Mevlüt Çavuşoğlu | Çavuşoğlu\n"
			   "  adj.ar تركي\n";
	assert_int_equal(ruleset_parse(&rs, "a.actors", text, "actors", -1, &d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(rs.nactors, 1);
	const struct rl_actor *a = &rs.actors[0];
	assert_string_equal(a->id, "mevlut-cavusoglu");
	assert_string_equal(a->code, "TURGOV");
	assert_int_equal(a->nroles, 2);
	assert_int_equal(a->roles[0].from, 20140829);
	assert_int_equal(a->roles[0].to, 20230604);
	assert_int_equal(a->roles[1].to, 0);
	assert_int_equal(a->names[RL_TR].n, 2);
	assert_string_equal(a->names[RL_TR].v[1].s, "Çavuşoğlu");
	assert_int_equal(a->names[RL_TR].v[1].col, 25);
	assert_int_equal(a->adj[RL_AR].n, 1);
	ruleset_release(&rs);
	diags_release(&d);
}

static void test_errors(void **state)
{
	(void)state;
	struct ruleset rs;
	memset(&rs, 0, sizeof rs);
	struct diags d = {0};
	const char *text = "actor X\n"
			   "  type planet\n"
			   "  roles [TURGOV 2014-13-01..]\n"
			   "  tr A |  | B\n"
			   "  xx.tr foo\n"
			   "  colour red\n"
			   "thing Y\n"
			   "  type state\n";
	ruleset_parse(&rs, "b.actors", text, "actors", -1, &d);
	assert_true(has_msg(&d, "b.actors:2:8: unknown actor type 'planet'"));
	assert_true(has_msg(&d, "b.actors:3:9: bad date in role"));
	assert_true(has_msg(&d, "b.actors:4:11: empty item in a list"));
	assert_true(has_msg(&d, "b.actors:6:3: unknown property 'colour'"));
	assert_true(has_msg(&d, "b.actors:7:1: unknown block 'thing'"));
	/* the properties of an unknown block are not reported again */
	assert_true(has_msg(&d, "b.actors:5:3: unknown property 'xx.tr'"));
	assert_int_equal(d.n, 6);
	ruleset_release(&rs);
	diags_release(&d);
	memset(&rs, 0, sizeof rs);
	ruleset_parse(&rs, "c.actors", "  type state\n", "actors", -1, &d);
	assert_true(has_msg(&d, "c.actors:1:3: property outside a block"));
	ruleset_release(&rs);
	diags_release(&d);
}

static void test_events(void **state)
{
	(void)state;
	struct ruleset rs;
	memset(&rs, 0, sizeof rs);
	struct diags d = {0};
	const char *text = "language tr\n"
			   "  negation-suffix /^m[ae](?:d[ıi]|z)/\n"
			   "  future-prefix /^[وف]?س(?!يطر)[يتنا]/\n"
			   "  modal-word hazır | niyetinde\n"
			   "set &meet = görüş* | bir araya gel*\n"
			   "rule tr.meet\n"
			   "  code 040\n"
			   "  symmetric\n"
			   "  gap 4\n"
			   "  pattern $ +:ile &meet\n"
			   "  example @2016-08-10 Çavuşoğlu, Lavrov ile görüştü. => TURGOV 040 RUSGOV; TUR 040 RUS\n"
			   "  example Erdoğan, Putin ile görüşmedi. => none\n"
			   "  example Erdoğan, Putin ile görüştü. => TUR 040\n"
			   "  example no arrow here\n";
	ruleset_parse(&rs, "tr.rules", text, "rules", RL_TR, &d);
	assert_int_equal(rs.lang[RL_TR].defined, 1);
	assert_string_equal(rs.lang[RL_TR].negation_suffix.s, "^m[ae](?:d[ıi]|z)");
	assert_int_equal(rs.lang[RL_TR].future_prefix.n, 1); /* a /regex/ is one item */
	assert_int_equal(rs.lang[RL_TR].modal_word.n, 2);
	assert_int_equal(rs.nsets, 1);
	assert_string_equal(rs.sets[0].name, "meet");
	assert_int_equal(rs.nrules, 1);
	const struct rl_rule *r = &rs.rules[0];
	assert_int_equal(r->symmetric, 1);
	assert_int_equal(r->gap, 4);
	assert_int_equal(r->patterns.n, 1);
	assert_int_equal(r->patterns.v[0].col, 11);
	assert_int_equal(r->nexamples, 2);
	assert_int_equal(r->examples[0].date, 20160810);
	assert_int_equal(r->examples[0].nexpect, 2);
	assert_string_equal(r->examples[0].expect[1].tgt, "RUS");
	assert_string_equal(r->examples[0].sentence, "Çavuşoğlu, Lavrov ile görüştü.");
	assert_int_equal(r->examples[1].nexpect, 0);
	assert_int_equal(r->examples[1].date, 20200101);
	assert_true(has_msg(&d, "tr.rules:13:42: expectation 'TUR 040' is not"));
	assert_true(has_msg(&d, "tr.rules:14:11: example without '=> EXPECT'"));
	ruleset_release(&rs);
	diags_release(&d);
}

static void test_language_dir(void **state)
{
	(void)state;
	struct ruleset rs;
	memset(&rs, 0, sizeof rs);
	struct diags d = {0};
	ruleset_parse(&rs, "x.rules", "language ar\n", "rules", RL_TR, &d);
	assert_true(has_msg(&d, "x.rules:1:10: 'language ar' does not name this directory's language 'tr'"));
	ruleset_release(&rs);
	diags_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_actor),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_language_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
