/* test_entity.c: name keys across scripts, and within-document resolution. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "olay/entity.h"

static void assert_key(const char *name, const char *want)
{
	char key[256];
	int n = entity_key(name, key, sizeof key);
	assert_int_equal(n, (int)strlen(want));
	assert_string_equal(key, want);
}

static void same_key(const char *a, const char *b)
{
	char ka[256], kb[256];
	assert_true(entity_key(a, ka, sizeof ka) > 0);
	assert_true(entity_key(b, kb, sizeof kb) > 0);
	assert_string_equal(ka, kb);
}

static void test_keys_across_scripts(void **state)
{
	(void)state;
	same_key("Sergey Lavrov", "سيرغي لافروف");
	same_key("Sergei Lavrov", "Sergey LAVROV");
	same_key("Mevlüt Çavuşoğlu", "Mevlut Cavusoglu");
	same_key("Mevlüt Çavuşoğlu", "مولود جاويش أوغلو");
	same_key("Mevlüt Çavuşoğlu", "ميلفوت كافاسوغلو");
	same_key("Mehmet Yılmaz", "محمد يلماز");
	same_key("Ahmed Şara", "أحمد الشرع");
	same_key("Dışişleri Bakanı Hakan Fidan", "Hakan Fidan");
	assert_key("Sergey Lavrov", "srglr");
	assert_key("İbrahim Kalın", "brhmkln");
}

static void test_keys_keep_people_apart(void **state)
{
	(void)state;
	char a[64], b[64];
	entity_key("Hakan Fidan", a, sizeof a);
	entity_key("Hulusi Akar", b, sizeof b);
	assert_string_not_equal(a, b);
	/* titles only: nothing left */
	assert_key("the minister", "");
	assert_key("الوزير", "");
	assert_key("Bakan", "");
	assert_int_equal(entity_name_tokens("Dışişleri Bakanı"), 0);
	assert_int_equal(entity_name_tokens("Bakan Mevlüt Çavuşoğlu"), 2);
	/* too small a buffer is an error, not a cut key */
	char tiny[3];
	assert_int_equal(entity_key("Sergey Lavrov", tiny, sizeof tiny), -1);
}

static struct entity_actor person(const char *given, const char *text, const char *name,
				  long sentence)
{
	struct entity_actor a;
	memset(&a, 0, sizeof a);
	a.given = given;
	a.text = text;
	a.name = name;
	a.country = "TUR";
	a.role = "GOV";
	a.code = "TURGOV";
	a.sentence = sentence;
	return a;
}

static void test_resolution(void **state)
{
	(void)state;
	struct entity_doc d;
	entity_doc_init(&d);
	struct entity_actor full = person("mevlut-cavusoglu", "Mevlüt Çavuşoğlu", NULL, 0);
	struct entity_actor sur = person(NULL, "Çavuşoğlu", NULL, 2);
	struct entity_actor title = person(NULL, "Bakan", NULL, 3);
	struct entity_actor before = person(NULL, "Çavuşoğlu", NULL, 0); /* same sentence, earlier */
	before.start = -1;
	assert_int_equal(entity_doc_add(&d, &title), 0); /* order of adding does not matter */
	assert_int_equal(entity_doc_add(&d, &sur), 0);
	assert_int_equal(entity_doc_add(&d, &full), 0);
	assert_int_equal(entity_doc_add(&d, &before), 0);
	assert_int_equal(entity_doc_resolve(&d), 0);
	assert_string_equal(full.id, "mevlut-cavusoglu");
	assert_int_equal(full.how, ENTITY_GIVEN);
	assert_string_equal(sur.id, "mevlut-cavusoglu");
	assert_int_equal(sur.how, ENTITY_DOCUMENT);
	assert_string_equal(title.id, "mevlut-cavusoglu");
	/* named before the full name: not resolved, keyed by itself */
	assert_string_equal(before.id, "x:ksgl");
	assert_int_equal(before.how, ENTITY_KEY);

	/* two ministers named earlier: the title stays unresolved and takes its code */
	entity_doc_clear(&d);
	struct entity_actor a = person(NULL, "Ali Kaya", NULL, 0);
	struct entity_actor b = person(NULL, "Veli Demir", NULL, 1);
	struct entity_actor t = person(NULL, "the minister", NULL, 2);
	entity_doc_add(&d, &a);
	entity_doc_add(&d, &b);
	entity_doc_add(&d, &t);
	assert_int_equal(entity_doc_resolve(&d), 0);
	assert_string_equal(t.id, "TURGOV");
	assert_int_equal(t.how, ENTITY_AMBIGUOUS);
	assert_string_equal(a.id, "x:lk");

	/* a common noun is a group of its code, not a name to key */
	entity_doc_clear(&d);
	struct entity_actor soldiers = person(NULL, "askerleri", "soldiers", 0);
	soldiers.code = "TURMIL";
	struct entity_actor troops = person(NULL, "özel kuvvetler", "special forces", 0);
	troops.code = "TURMIL";
	struct entity_actor named = person(NULL, "Ali Kaya", NULL, 1);
	struct entity_actor bakan = person(NULL, "Bakan", NULL, 2);
	entity_doc_add(&d, &soldiers);
	entity_doc_add(&d, &troops);
	entity_doc_add(&d, &named);
	entity_doc_add(&d, &bakan);
	assert_int_equal(entity_doc_resolve(&d), 0);
	assert_string_equal(soldiers.id, "TURMIL");
	assert_int_equal(soldiers.how, ENTITY_CODE);
	assert_string_equal(named.id, "x:lk");
	/* the title is Ali Kaya: the two-word common noun does not compete */
	assert_string_equal(bakan.id, "x:lk");
	assert_int_equal(bakan.how, ENTITY_DOCUMENT);
	entity_doc_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_across_scripts),
		cmocka_unit_test(test_keys_keep_people_apart),
		cmocka_unit_test(test_resolution),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
