/*
 * Unit tests: scan history and diff over tests/fixtures/policy/scans.sql,
 * where scan 2 moved one finding, kept one, fixed one and added five.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "history.h"
#include "log.h"
#include "store.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIXTURE "tests/fixtures/policy/scans.sql"
#define ROOT "/work/demo repo"

static int setup(void **state)
{
	sqlite3 *db = gk_store_open(":memory:", 0);
	char *sql = NULL;
	size_t len = 0;

	assert_non_null(db);
	assert_int_equal(gk_file_read(FIXTURE, 1 << 20, &sql, &len), 0);
	assert_int_equal(gk_store_exec(db, sql), 0);
	free(sql);
	*state = db;
	return 0;
}

static int teardown(void **state)
{
	gk_store_close(*state);
	return 0;
}

static void counts_between_two_scans(void **state)
{
	struct gk_diff d;

	assert_int_equal(gk_diff_load(&d, *state, 1, 2), 0);
	assert_int_equal(d.nadded, 5);
	assert_int_equal(d.nfixed, 1);
	assert_int_equal(d.nunchanged, 2);
	assert_string_equal(d.fixed[0].rule, "aws-access-key-id");
	/* most severe first; the moved finding keeps its new line */
	assert_string_equal(d.added[0].rule, "CVE-2024-9999");
	assert_string_equal(d.unchanged[0].rule, "CVE-2023-0001");
	assert_int_equal(d.unchanged[1].line, 5);
	gk_diff_release(&d);
	assert_int_equal(gk_diff_load(&d, *state, 2, 1), 0);
	assert_int_equal(d.nadded, 1);
	assert_int_equal(d.nfixed, 5);
	gk_diff_release(&d);
}

static void latest_scans_of_a_root(void **state)
{
	int64_t id = 0;

	assert_int_equal(gk_history_latest(*state, NULL, 0, &id), 1);
	assert_int_equal(id, 3);
	assert_int_equal(gk_history_latest(*state, ROOT, 1, &id), 1);
	assert_int_equal(id, 2);
	assert_int_equal(gk_history_latest(*state, "/elsewhere", 0, &id), 0);
	assert_int_equal(gk_history_exists(*state, 2), 1);
	assert_int_equal(gk_history_exists(*state, 9), 0);
}

static char *capture(int (*fn)(const struct gk_diff *, FILE *),
		     const struct gk_diff *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	assert_int_equal(fn(d, out), 0);
	fclose(out);
	return buf;
}

static void json_has_the_three_lists(void **state)
{
	struct gk_diff d;
	char *text;
	cJSON *doc;

	assert_int_equal(gk_diff_load(&d, *state, 1, 2), 0);
	text = capture(gk_diff_json, &d);
	doc = cJSON_Parse(text);
	assert_non_null(doc);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "new")), 5);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "fixed")),
			 1);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc,
								"unchanged")),
			 2);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(
		cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "fixed"), 0),
		"fingerprint")), "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
	cJSON_Delete(doc);
	free(text);
	text = capture(gk_diff_text, &d);
	assert_non_null(strstr(text, "diff scan 1..2: 5 new, 1 fixed, "
			       "2 unchanged\n"));
	free(text);
	gk_diff_release(&d);
}

static void scans_list_filters_by_root(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	cJSON *doc;

	assert_int_equal(gk_scans_list(*state, "/elsewhere", 1, out), 0);
	assert_int_equal(gk_scans_list(*state, ROOT, 1, out), 0);
	fclose(out);
	assert_string_equal(strtok(buf, "\n"), "[]");
	doc = cJSON_Parse(buf + strlen(buf) + 1);
	assert_int_equal(cJSON_GetArraySize(doc), 3);
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(doc, 0),
					     "id")->valueint, 3);
	cJSON_Delete(doc);
	free(buf);
}

/* A root holding a terminal escape is listed escaped. */
static void scans_list_escapes_the_root(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_int_equal(gk_store_exec(*state,
		"INSERT INTO scans (id, root, started, tool_version, status)"
		" VALUES (5, 'r' || char(27) || '[2J', '2026-01-11T10:00:00Z',"
		" '0.0.0-test', 'done')"), 0);
	assert_int_equal(gk_scans_list(*state, "r\x1b[2J", 0, out), 0);
	fclose(out);
	assert_null(strchr(buf, '\x1b'));
	assert_non_null(strstr(buf, " r\\x1b[2J\n"));
	free(buf);
}

/* Scan 4: scan 1's A, plus a second copy of it further down the file. */
static void add_scan_with_a_twice(sqlite3 *db)
{
	assert_int_equal(gk_store_exec(db,
		"INSERT INTO scans (id, root, branch, started, tool_version,"
		" status) VALUES (4, '" ROOT "', 'main',"
		" '2026-01-10T10:00:00Z', '0.0.0-test', 'done');"
		"INSERT INTO findings (scan_id, plugin, rule, severity,"
		" severity_level, path, line, fingerprint) VALUES"
		" (4, 'secret', 'github-pat', 'high', 3, 'src/app.py', 2,"
		"  'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'),"
		" (4, 'secret', 'github-pat', 'high', 3, 'src/app.py', 9,"
		"  'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')"), 0);
}

/* One fingerprint found once, then twice: one unchanged, one new. */
static void duplicate_fingerprints_count_as_copies(void **state)
{
	struct gk_diff d;

	add_scan_with_a_twice(*state);
	assert_int_equal(gk_diff_load(&d, *state, 1, 4), 0);
	assert_int_equal(d.nadded, 1);
	assert_int_equal(d.nfixed, 2);
	assert_int_equal(d.nunchanged, 1);
	assert_int_equal(d.unchanged[0].line, 2);
	assert_int_equal(d.added[0].line, 9);
	gk_diff_release(&d);
	assert_int_equal(gk_diff_load(&d, *state, 4, 1), 0);
	assert_int_equal(d.nadded, 2);
	assert_int_equal(d.nfixed, 1);
	assert_int_equal(d.nunchanged, 1);
	assert_int_equal(d.fixed[0].line, 9);
	gk_diff_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(counts_between_two_scans,
						setup, teardown),
		cmocka_unit_test_setup_teardown(latest_scans_of_a_root, setup,
						teardown),
		cmocka_unit_test_setup_teardown(json_has_the_three_lists,
						setup, teardown),
		cmocka_unit_test_setup_teardown(scans_list_filters_by_root,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			duplicate_fingerprints_count_as_copies, setup,
			teardown),
		cmocka_unit_test_setup_teardown(scans_list_escapes_the_root,
						setup, teardown),
	};

	gk_log_set_level(GK_LOG_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
