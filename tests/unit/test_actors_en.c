/* test_actors_en.c: English prepositions mark the actor they stand before across the whole
 * noun phrase: determiners, possessive pronouns, adjectives and a genitive between them
 * (`with Russia's foreign minister`, `with his Russian counterpart`, `by Russia's army`),
 * so that `+:with`, `$:by`, `+:on` match without the preposition written as a literal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "olay/extract.h"

#include "engine_fixture.h"

/* The tagged actors of an English text, "code:mark ...". */
static const char *marks(const char *text)
{
	static char out[512];
	assert_int_equal(extract_text(&eng, &ws, RL_EN, 20200101, text, -1, NULL), 0);
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = 0; i < ws.tg.nacts; i++) {
		const struct tagged_actor *a = &ws.tg.acts[i];
		n += (size_t)snprintf(out + n, sizeof out - n, "%s%s:%s", i ? " " : "",
				      a->is_place ? "place" : a->code, a->mark);
	}
	return out;
}

/* The events of an English text, "SRC CODE TGT[ passive]; ..." */
static const char *code(const char *text)
{
	static char out[512];
	assert_int_equal(extract_text(&eng, &ws, RL_EN, 20200101, text, -1, NULL), 0);
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = 0; i < ws.nms; i++) {
		const struct mention *m = &ws.ms[i];
		n += (size_t)snprintf(out + n, sizeof out - n, "%s%s %s %s%s", i ? "; " : "",
				      m->src_code[0] ? m->src_code : "-", m->code,
				      m->tgt_code[0] ? m->tgt_code : "-", m->passive ? " passive" : "");
	}
	return out;
}

static void test_possessive_phrase(void **state)
{
	(void)state;
	/* a genitive heading an agent: the phrase takes the preposition */
	assert_string_equal(marks("talks with Russia's foreign minister"), "RUSGOV:with");
	assert_string_equal(marks("attacked by Russia's army"), "RUSMIL:by");
	assert_string_equal(marks("a visit to Turkey's foreign minister"), "TURGOV:to");
	/* possessive pronouns, articles and adjectives the dictionary does not know */
	assert_string_equal(marks("talks with his Russian counterpart"), "RUS:with");
	assert_string_equal(marks("met with the visiting Russian foreign minister"), "RUSGOV:with");
	assert_string_equal(marks("criticised by its Turkish partners"), "TUR:by");
	assert_string_equal(marks("talks with the EU"), "IGOEUREEC:with");
}

static void test_genitive_before_a_noun(void **state)
{
	(void)state;
	/* the possessor of a thing: `on`, `against`, `by` reach it, others leave it genitive */
	assert_string_equal(marks("sanctions on Russia's banks"), "RUS:on");
	assert_string_equal(marks("agreed with Russia's help"), "RUS:gen");
	assert_string_equal(marks("in Erdogan's talks"), "TURGOV:gen");
	/* no preposition, or another word between: unchanged */
	assert_string_equal(marks("Russia's foreign minister"), "RUSGOV:nom");
	assert_string_equal(marks("with Turkey and Russia"), "TUR:with RUS:nom");
	assert_string_equal(marks("met with officials, Russian banks"), "RUS:nom");
}

static void test_events(void **state)
{
	(void)state;
	assert_string_equal(code("Erdogan met with Russia's foreign minister."), "RUSGOV 040 TURGOV");
	assert_string_equal(code("Cavusoglu met with his Russian counterpart."), "RUSGOV 040 TURGOV");
	assert_string_equal(code("Syria was attacked by Russia's army."), "RUSMIL 190 SYR passive");
	assert_string_equal(code("Syria was attacked by its Russian allies."), "RUS 190 SYR passive");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_possessive_phrase),
		cmocka_unit_test(test_genitive_before_a_noun),
		cmocka_unit_test(test_events),
	};
	return cmocka_run_group_tests(tests, engine_setup, engine_teardown);
}
