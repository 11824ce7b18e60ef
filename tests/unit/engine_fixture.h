/* engine_fixture.h: the cmocka group fixture the engine's unit tests share: the small rule
 * set of tests/golden/extract/basic/rules (not the shipped rules, which change with every
 * rule edit) loaded into `eng`, with one worker state `ws`. Include once per test file,
 * after cmocka.h, and pass engine_setup/engine_teardown to cmocka_run_group_tests(). */
#ifndef OLAY_TEST_ENGINE_FIXTURE_H
#define OLAY_TEST_ENGINE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "olay/extract.h"

static struct engine eng;
static struct extract_ws ws;

static int engine_setup(void **state)
{
	(void)state;
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/tests/golden/extract/basic/rules", getenv("OLAY_SOURCE_DIR"));
	struct diags d = {0};
	int rc = engine_load(&eng, dir, &d);
	for (size_t i = 0; i < d.n; i++)
		fprintf(stderr, "%s\n", d.msgs[i]);
	diags_release(&d);
	return rc || extract_ws_init(&ws, &eng);
}

static int engine_teardown(void **state)
{
	(void)state;
	extract_ws_release(&ws);
	engine_release(&eng);
	return 0;
}

#endif
