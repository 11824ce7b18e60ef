/* test_extract.c: sentences coded end to end with the engine's own test rules: tagging
 * and morphology per language, agents, counterparts, dated roles, compounds, negation,
 * modality and passive. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "olay/extract.h"

#include "engine_fixture.h"

/* Code text and describe the result: "SRC CODE TGT[ neg][ intent][ passive]; ..." */
static const char *code(int lang, int date, const char *text)
{
	static char out[512];
	assert_int_equal(extract_text(&eng, &ws, lang, date, text, -1, NULL), 0);
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = 0; i < ws.nms; i++) {
		const struct mention *m = &ws.ms[i];
		n += (size_t)snprintf(out + n, sizeof out - n, "%s%s %s %s%s%s%s", i ? "; " : "",
				      m->src_code[0] ? m->src_code : "-", m->code,
				      m->tgt_code[0] ? m->tgt_code : "-", m->negated ? " neg" : "",
				      m->intent ? " intent" : "", m->passive ? " passive" : "");
	}
	return out;
}

/* The case marks of the tagged actors, "code:mark ...". */
static const char *marks(int lang, const char *text)
{
	static char out[512];
	assert_int_equal(extract_text(&eng, &ws, lang, 20200101, text, -1, NULL), 0);
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = 0; i < ws.tg.nacts; i++) {
		const struct tagged_actor *a = &ws.tg.acts[i];
		n += (size_t)snprintf(out + n, sizeof out - n, "%s%s:%s", i ? " " : "",
				      a->is_place ? "place" : a->code, a->mark);
	}
	return out;
}

static void test_turkish_morphology(void **state)
{
	(void)state;
	assert_string_equal(marks(RL_TR, "Rusya'yla Rusyayla Rusya ile Suriye'yi Suriyeyi Rusya'nın"),
			    "RUS:ile RUS:ile RUS:ile SYR:acc SYR:acc RUS:gen");
	assert_string_equal(marks(RL_TR, "Şam'a Türkiye'den Rusya tarafından"), "SYRGOV:dat TUR:abl RUS:by");
	/* a seat in the locative is a place; typed without Turkish letters it still matches */
	assert_string_equal(marks(RL_TR, "Moskova'da Turkiye'ye"), "place:loc TUR:dat");
	/* a word that only starts with a name is not the name */
	assert_string_equal(marks(RL_TR, "Türkmenler geldi."), "");
	/* short names too */
	assert_string_equal(marks(RL_TR, "AB'ye AB ile"), "IGOEUREEC:dat IGOEUREEC:ile");
	/* short names in capitals match only text in capitals */
	assert_string_equal(marks(RL_TR, "Ab'ye ab AB'ye"), "IGOEUREEC:dat");
	/* capitalised names match only capitalised text */
	assert_string_equal(marks(RL_TR, "Kalın geldi, kalın duvar"), "TURSPY:nom");
}

static void test_agents(void **state)
{
	(void)state;
	assert_string_equal(marks(RL_TR, "Rusya Dışişleri Bakanı, Türkiye'nin Dışişleri Bakanı'na"),
			    "RUSGOV:nom TURGOV:dat");
	assert_string_equal(marks(RL_TR, "Rus ordusu"), "RUSMIL:nom");
	assert_string_equal(marks(RL_AR, "وزير الخارجية الروسي ووزير خارجية تركيا"), "RUSGOV:nom TURGOV:nom");
	/* ل + ال writes لل: the alef comes back for the dictionary */
	assert_string_equal(marks(RL_AR, "للكرملين وللجيش الروسي"), "RUSGOV:ل RUSMIL:ل");
	assert_string_equal(marks(RL_EN, "Russia's foreign minister, the foreign minister of Turkey and Russian troops"),
			    "RUSGOV:nom TURGOV:nom RUSMIL:nom");
	/* nisba accusative and dual forms: فلسطينيا, جنديان روسيان, مواطنتين تركيتين */
	assert_string_equal(marks(RL_AR, "قتل جنديان روسيان ومواطنتين تركيتين و20 اسيرا سوريا"),
			    "RUS:nom TUR:nom SYR:nom");
	/* the agent of a passive before a noun with a nisba: `من قبل الطائرات الروسية` */
	assert_string_equal(marks(RL_AR, "من قبل الطائرات الروسية"), "RUS:by");
	/* a demonym on a topic or a frontier is no party; on other nouns it is */
	assert_string_equal(marks(RL_EN, "the Turkish conflict, the Russian border, Russian jets"), "RUS:nom");
	assert_string_equal(marks(RL_AR, "النزاع السوري والأزمة الروسية والطائرات الروسية"), "RUS:nom");
	assert_string_equal(marks(RL_TR, "Rus ekonomisi ve Türk mallarına"), "TUR:dat");
	/* a state in a place phrase is a place, a state spoken about is a topic: no party */
	assert_string_equal(marks(RL_AR, "في جنوب سوريا وحول روسيا وتركيا"), "place:في place:topic TUR:nom");
	assert_string_equal(marks(RL_EN, "in northern Syria, about Russia, Turkey"), "place:in place:topic TUR:nom");
	assert_string_equal(marks(RL_TR, "Suriye'nin kuzeyinde, Rusya konusunda Türkiye"),
			    "place:loc place:topic TUR:nom");
	/* the capital named after a genitive state, a seat with ب: places */
	assert_string_equal(marks(RL_TR, "Suriye'nin başkenti Şam'a"), "place:loc SYRGOV:dat");
	assert_string_equal(marks(RL_AR, "بالكرملين"), "place:ب");
	/* a former office holder is an elite: eski, السابق, former */
	assert_string_equal(marks(RL_TR, "Eski Rus Dışişleri Bakanı"), "RUSELI:nom");
	assert_string_equal(marks(RL_AR, "وزير الخارجية الروسي السابق"), "RUSELI:nom");
	assert_string_equal(marks(RL_EN, "the former Russian foreign minister"), "RUSELI:nom");
	/* a body + role word + its holder is one actor, the body's */
	assert_string_equal(marks(RL_EN, "NATO foreign minister Lavrov"), "IGOWSTNAT:nom");
	assert_string_equal(marks(RL_AR, "وزير خارجية الناتو لافروف"), "IGOWSTNAT:nom");
	/* another country before a national institution; a seat between a genitive state and
	 * an agent names the post */
	assert_string_equal(marks(RL_TR, "Rusya Genelkurmay Başkanlığı ve Genelkurmay Başkanlığı"), "RUSMIL:nom TURMIL:nom");
	assert_string_equal(marks(RL_TR, "Rusya'nın Ankara Dışişleri Bakanı"), "RUSGOV:nom");
	/* an office holder the dictionary does not know gives the phrase its case */
	assert_string_equal(marks(RL_TR, "Rusya'nın Ankara Dışişleri Bakanı Andrei Kelin'i"), "RUSGOV:acc");
	/* after a -li adjective a plural noun in -leri is accusative; a -li word with a case is
	 * a person; a person of another country is not the holder of the agent phrase */
	assert_string_equal(marks(RL_TR, "Rusyalı orduları, Rus orduları, Rusyalıyı"), "RUSMIL:acc RUSMIL:nom RUS:acc");
	assert_string_equal(marks(RL_TR, "Rus Dışişleri Bakanı Erdoğan"), "RUSGOV:nom TURGOV:nom");
	/* English: the noun after a demonym stays a word of its own (`seized an Iranian tanker`) */
	assert_string_equal(marks(RL_EN, "a Russian tanker"), "RUS:nom");
	assert_int_equal(ws.tg.acts[0].first, ws.tg.acts[0].last);
	/* Arabic too: the noun before the nisba stays a word (`الغارات الإسرائيلية` as a trigger) */
	assert_string_equal(marks(RL_AR, "على الغارات الروسية"), "RUS:علي");
	assert_int_equal(ws.tg.acts[0].first, ws.tg.acts[0].last);
	/* an agent with no country is no actor */
	assert_string_equal(marks(RL_EN, "the foreign minister"), "");
	/* a person right after the agent phrase is that person */
	assert_string_equal(code(RL_TR, 20200101, "Rus Dışişleri Bakanı Lavrov, Erdoğan ile görüştü."),
			    "RUSGOV 040 TURGOV");
}

static void test_roles_by_date(void **state)
{
	(void)state;
	assert_string_equal(code(RL_TR, 20160810, "Çavuşoğlu, Rusya'yı suçladı."), "TURGOV 112 RUS");
	assert_string_equal(code(RL_TR, 20240101, "Çavuşoğlu, Rusya'yı suçladı."), "TURELI 112 RUS");
	assert_string_equal(code(RL_TR, 0, "Çavuşoğlu, Rusya'yı suçladı."), "TURELI 112 RUS");
}

static void test_counterpart(void **state)
{
	(void)state;
	assert_string_equal(code(RL_TR, 20200101, "Erdoğan, Rus mevkidaşıyla görüştü."), "RUSGOV 040 TURGOV");
	assert_string_equal(code(RL_AR, 20200101, "التقى أردوغان بنظيره الروسي."), "RUSGOV 040 TURGOV");
	/* the same code on both sides is no event */
	assert_string_equal(code(RL_TR, 20200101, "Türkiye, Türkiye'yi suçladı."), "");
	/* a state does not act on itself: the state and its government, two organs of it */
	assert_string_equal(code(RL_TR, 20200101, "Erdoğan, Türkiye'yi suçladı."), "");
	assert_string_equal(code(RL_TR, 20200101, "Erdoğan, Türk ordusunu suçladı."), "");
	assert_string_equal(code(RL_EN, 20200101, "Erdogan met with Turkey."), "");
	/* a counterpart with no country attached cannot be resolved */
	assert_string_equal(code(RL_TR, 20200101, "Erdoğan, mevkidaşıyla görüştü."), "");
}

static void test_compounds_and_symmetry(void **state)
{
	(void)state;
	/* one event per pair, in code order, for a symmetric rule */
	assert_string_equal(code(RL_AR, 20200101, "واتفقت تركيا وروسيا."), "RUS 040 TUR");
	assert_string_equal(code(RL_EN, 20200101, "Erdogan and Lavrov met."), "RUSGOV 040 TURGOV");
	/* names joined by a hyphen are two actors joined as by a conjunction */
	assert_string_equal(code(RL_EN, 20200101, "Erdogan-Lavrov met."), "RUSGOV 040 TURGOV");
	/* coordinated demonyms share the agent; an article before a later member is no bar */
	assert_string_equal(code(RL_EN, 20200101, "Russian and Turkish troops met."), "RUSMIL 040 TURMIL");
	assert_string_equal(code(RL_EN, 20200101, "Russia and the Turkish army met."), "RUS 040 TURMIL");
	/* a seat opening the sentence as its dateline is a place */
	assert_string_equal(marks(RL_EN, "MOSCOW - Turkey"), "place:in TUR:nom");
	assert_string_equal(code(RL_EN, 20200101, "Russia and Turkey met with NATO."),
			    "RUS 040 TUR; IGOWSTNAT 040 RUS; IGOWSTNAT 040 TUR");
}

static void test_negation_modality_passive(void **state)
{
	(void)state;
	assert_string_equal(code(RL_TR, 20200101, "Erdoğan, Lavrov ile görüşmedi."), "RUSGOV 040 TURGOV neg");
	assert_string_equal(code(RL_TR, 20200101, "Erdoğan, Lavrov ile görüşecek."), "RUSGOV 036 TURGOV intent");
	assert_string_equal(code(RL_EN, 20200101, "Erdogan never met with Lavrov."), "RUSGOV 040 TURGOV neg");
	assert_string_equal(code(RL_AR, 20200101, "لم يلتقي أردوغان لافروف."), "RUSGOV 040 TURGOV neg");
	/* an actor between the negation word and the trigger does not count in the window */
	assert_string_equal(code(RL_EN, 20200101, "Not even Russia attacked Syria."), "RUS 190 SYR neg");
	assert_string_equal(code(RL_AR, 20200101, "سيلتقي أردوغان لافروف."), "RUSGOV 036 TURGOV intent");
	assert_string_equal(code(RL_TR, 20200101, "Lavrov, Erdoğan tarafından kabul edildi."),
			    "TURGOV 043 RUSGOV passive");
	assert_string_equal(code(RL_EN, 20200101, "Syria was attacked by Russia."), "RUS 190 SYR passive");
	/* the subject is the actor nearest to the verb, not the speaker before it (ar, en) */
	assert_string_equal(code(RL_EN, 20200101, "Turkey said Russia attacked Syria."), "RUS 190 SYR");
	/* one trigger, one reading: SVO Turkey->Russia, not also VSO Russia->Syria */
	assert_string_equal(code(RL_EN, 20200101, "Turkey accused Russia of helping Syria."), "TUR 112 RUS");
	/* `by $` written as a word reads as `$:by` */
	assert_string_equal(code(RL_EN, 20200101, "Lavrov was received by Erdogan."), "TURGOV 043 RUSGOV passive");
}

static void test_quotes(void **state)
{
	(void)state;
	/* "our army" inside a quotation is the speaker's; the event names the speaker */
	assert_string_equal(code(RL_TR, 20200101, "Erdoğan, \"Ordumuz Suriye'ye saldırdı\" dedi."), "TURMIL 190 SYR");
	assert_int_equal(ws.nms, 1);
	assert_true(ws.ms[0].speaker >= 0);
	assert_string_equal(ws.tg.acts[ws.ms[0].speaker].code, "TURGOV");
	assert_string_equal(code(RL_EN, 20200101, "\"Our army struck Syria,\" Erdogan said."), "TURMIL 190 SYR");
	/* without a speaker, "ours" cannot be resolved */
	assert_string_equal(code(RL_TR, 20200101, "\"Ordumuz Suriye'ye saldırdı.\""), "");
	/* a gap does not cross a quotation mark */
	assert_string_equal(code(RL_TR, 20200101, "Rusya, \"Suriye'ye saldırdı\" dedi."), "");
	/* scare quotes around one to three words are no quotation: the gap crosses them */
	assert_string_equal(code(RL_TR, 20200101, "Rusya, \"sert\" biçimde Suriye'ye saldırdı."), "RUS 190 SYR");
	assert_string_equal(code(RL_EN, 20200101, "Russia attacked \"rebel\" Syria."), "RUS 190 SYR");
	/* an ordinal's period is no sentence end for the gaps */
	assert_string_equal(code(RL_TR, 20200101, "Rusya, 19. kez Suriye'ye saldırdı."), "RUS 190 SYR");
	/* outside a quotation there is no speaker */
	code(RL_TR, 20200101, "Rusya, Suriye'ye saldırdı.");
	assert_int_equal(ws.nms, 1);
	assert_int_equal(ws.ms[0].speaker, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_turkish_morphology),
		cmocka_unit_test(test_agents),
		cmocka_unit_test(test_roles_by_date),
		cmocka_unit_test(test_counterpart),
		cmocka_unit_test(test_compounds_and_symmetry),
		cmocka_unit_test(test_negation_modality_passive),
		cmocka_unit_test(test_quotes),
	};
	return cmocka_run_group_tests(tests, engine_setup, engine_teardown);
}
