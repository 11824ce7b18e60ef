/* test_export.c: CSV quoting, GDELT ids and rows, PLOVER lookups, the event contract. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "olay/csvout.h"
#include "olay/export.h"
#include "olay/gdelt.h"
#include "olay/plover.h"

static void test_csv_quoting(void **state)
{
	(void)state;
	struct csvout c;
	csvout_init(&c, ',', 1);
	csvout_field(&c, "plain");
	csvout_field(&c, NULL);
	csvout_field(&c, "a,b");
	csvout_field(&c, "say \"hi\"");
	csvout_field(&c, "two\nlines");
	csvout_field(&c, "حلب;x");
	csvout_end_row(&c);
	assert_string_equal(c.buf, "plain,,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",حلب;x\n");
	csvout_clear(&c);
	c.delim = ';';
	csvout_field(&c, "a,b");
	csvout_field(&c, "حلب;x");
	csvout_end_row(&c);
	assert_string_equal(c.buf, "a,b;\"حلب;x\"\n");
	csvout_release(&c);

	/* GDELT: no quoting, tabs and line breaks flattened so a row stays 61 fields */
	csvout_init(&c, '\t', 0);
	csvout_field(&c, "a\tb");
	csvout_field(&c, "x\ny \"q\"");
	csvout_end_row(&c);
	assert_string_equal(c.buf, "a b\tx y \"q\"\n");
	csvout_release(&c);
}

static void test_gdelt_number(void **state)
{
	(void)state;
	assert_true(gdelt_event_number("0000000000000001") == 1);
	assert_true(gdelt_event_number("ffffffffffffffff") == (1ULL << 53) - 1);
	assert_true(gdelt_event_number("19760f41b93f0408") == 6209224442840072ULL);
}

static char *write_tmp(const char *text)
{
	static char path[64];
	snprintf(path, sizeof path, "/tmp/olay-test-export-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

static void test_plover_table(void **state)
{
	(void)state;
	struct plover_table t;
	char err[256];
	char *p = write_tmp("# comment\ncode\tevent_type\tmode\tcontext\tname\n"
			    "040\tCONSULT\t\t\tConsult\n041\tCONSULT\tphone\t\tPhone\n"
			    "190\tASSAULT\t\tmilitary\tForce\n1124\tACCUSE\tallege\tmilitary;legal\tx\n");
	assert_int_equal(plover_table_load(&t, p, err, sizeof err), 0);
	unlink(p);
	assert_string_equal(plover_lookup(&t, "041")->mode, "phone");
	assert_string_equal(plover_lookup(&t, "0411")->code, "041"); /* parent */
	assert_string_equal(plover_lookup(&t, "19")->code, "190");   /* root */
	assert_null(plover_lookup(&t, "010"));
	json_t *ev = json_pack("{s:s, s:s, s:s, s:s, s:[]}", "event_id", "0000000000000001",
			       "date", "2020-01-01", "code", "1124", "root", "11", "mentions");
	json_t *r = plover_record(plover_lookup(&t, "1124"), ev);
	assert_int_equal(json_array_size(json_object_get(r, "context")), 2);
	assert_string_equal(json_string_value(json_array_get(json_object_get(r, "context"), 1)), "legal");
	json_decref(r);
	json_decref(ev);
	plover_table_release(&t);

	p = write_tmp("code\tevent_type\tmode\tcontext\n04x\tCONSULT\t\t\n");
	assert_int_equal(plover_table_load(&t, p, err, sizeof err), -1);
	unlink(p);
	assert_non_null(strstr(err, ":2: '04x' is not a CAMEO code"));
}

static void test_event_contract(void **state)
{
	(void)state;
	char err[256];
	json_t *ev = json_loads("{\"event_id\":\"19760f41b93f0408\",\"date\":\"2018-12-29\","
				"\"source\":{\"code\":\"RUS\"},\"target\":null,\"code\":\"040\","
				"\"root\":\"04\",\"quad\":1,\"goldstein\":1.0,\"num_mentions\":1,"
				"\"num_sources\":1,\"num_articles\":1,\"languages\":[\"ar\"],"
				"\"mentions\":[{\"mention_id\":\"a:0:0\",\"doc_id\":\"a\"}]}",
				0, NULL);
	assert_non_null(ev);
	assert_int_equal(export_check_event(ev, err, sizeof err), 0);
	json_object_set_new(ev, "code", json_integer(40));
	assert_int_equal(export_check_event(ev, err, sizeof err), -1);
	assert_non_null(strstr(err, "'code' is not a string"));
	json_object_set_new(ev, "code", json_string("040"));
	json_object_set_new(ev, "date", json_string("2018-02-30"));
	assert_int_equal(export_check_event(ev, err, sizeof err), -1);
	json_object_set_new(ev, "date", json_string("2018-12-29"));
	json_object_del(ev, "num_sources");
	assert_int_equal(export_check_event(ev, err, sizeof err), -1);
	assert_string_equal(err, "event has no 'num_sources'");
	json_decref(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_gdelt_number),
		cmocka_unit_test(test_plover_table),
		cmocka_unit_test(test_event_contract),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
