/* Unit tests: schema, migrations, scans, batched writes, read-only use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "host.h"
#include "log.h"
#include "store.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *temp_db(void)
{
	char dir[] = "/tmp/gk-store-XXXXXX";

	assert_non_null(mkdtemp(dir));
	return gk_asprintf("%s/sub/gatekeeper.db", dir);
}

static void remove_db(char *path)
{
	char *cmd = gk_asprintf("rm -rf '%.*s'", (int)(strlen(path) -
						    strlen("/sub/gatekeeper.db")),
				path);

	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(path);
}

static int64_t scalar(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void new_database_is_migrated(void **state)
{
	char *path = temp_db();
	sqlite3 *db = gk_store_open(path, 0);

	(void)state;
	assert_non_null(db);
	assert_int_equal(scalar(db, "PRAGMA user_version"), gk_store_schema_version());
	assert_int_equal(scalar(db, "SELECT count(*) FROM sqlite_master WHERE "
				"type='table' AND name IN ('scans','findings',"
				"'components','rules','gate_results',"
				"'vulnerabilities')"), 6);
	gk_store_close(db);
	/* Opening again leaves the version alone. */
	db = gk_store_open(path, 0);
	assert_int_equal(scalar(db, "PRAGMA user_version"), gk_store_schema_version());
	gk_store_close(db);
	remove_db(path);
}

static void newer_schema_is_refused(void **state)
{
	char *path = temp_db();
	sqlite3 *db = gk_store_open(path, 0);

	(void)state;
	assert_int_equal(gk_store_exec(db, "PRAGMA user_version = 99"), 0);
	gk_store_close(db);
	gk_log_set_level(-1);
	assert_null(gk_store_open(path, 0));
	gk_log_set_level(GK_LOG_WARN);
	remove_db(path);
}

static struct gk_frec finding(const char *fp, const char *path, int line)
{
	struct gk_frec f;

	memset(&f, 0, sizeof(f));
	f.plugin = "secret";
	f.rule = "github-pat";
	f.severity = GK_SEV_HIGH;
	f.path = (char *)path;
	f.line = line;
	f.fingerprint = (char *)fp;
	return f;
}

static void duplicates_collapse_but_lines_differ(void **state)
{
	char *path = temp_db();
	sqlite3 *db = gk_store_open(path, 0);
	struct gk_scan_meta m = { "/r", NULL, NULL, NULL, NULL };
	struct gk_frec f[4];
	int64_t scan;

	(void)state;
	scan = gk_store_scan_begin(db, &m);
	assert_true(scan > 0);
	f[0] = finding("aa", "a.txt", 1);
	f[1] = finding("aa", "a.txt", 1); /* the same problem twice */
	f[2] = finding("aa", "a.txt", 7); /* the same secret again */
	f[3] = finding("bb", "b.txt", 0);
	assert_int_equal(gk_store_put(db, scan, f, 4, NULL, 0), 0);
	assert_int_equal(scalar(db, "SELECT count(*) FROM findings"), 3);
	assert_int_equal(scalar(db, "SELECT count(*) FROM findings WHERE "
				"severity='high' AND severity_level=3"), 3);
	gk_store_close(db);
	remove_db(path);
}

static void readonly_connection_cannot_write(void **state)
{
	char *path = temp_db();
	sqlite3 *db = gk_store_open(path, 0);
	sqlite3 *ro;

	(void)state;
	gk_store_close(db);
	ro = gk_store_open(path, 1);
	assert_non_null(ro);
	gk_log_set_level(-1);
	assert_int_equal(gk_store_exec(ro, "DELETE FROM scans"), -1);
	gk_log_set_level(GK_LOG_WARN);
	gk_store_close(ro);
	remove_db(path);
}

static void scan_end_records_counts(void **state)
{
	sqlite3 *db = gk_store_open(":memory:", 0);
	struct gk_scan_meta m = { "/r", "main", "abc", "worktree", NULL };
	struct gk_scan_stats st = { 5, 2, 100, 0 };
	int64_t scan;

	(void)state;
	scan = gk_store_scan_begin(db, &m);
	assert_int_equal(gk_store_scan_end(db, scan, &st, "pass"), 0);
	assert_int_equal(scalar(db, "SELECT files_scanned + files_skipped * 10"
				" + bytes_scanned * 100 FROM scans"), 10025);
	gk_store_close(db);
}

static void fingerprint_ignores_nothing_but_lines(void **state)
{
	char a[33], b[33], c[33];

	(void)state;
	gk_fingerprint("secret", "github-pat", "a.txt", "tok", a);
	gk_fingerprint("secret", "github-pat", "a.txt", "tok", b);
	assert_string_equal(a, b);
	gk_fingerprint("secret", "github-pat", "b.txt", "tok", c);
	assert_string_not_equal(a, c);
	gk_fingerprint("secret", "github-pat", "a.txt", "tok2", c);
	assert_string_not_equal(a, c);
	/* Field boundaries count: ("ab","c") differs from ("a","bc"). */
	gk_fingerprint("p", "ab", "c", "", a);
	gk_fingerprint("p", "a", "bc", "", b);
	assert_string_not_equal(a, b);
	assert_int_equal(strlen(a), 32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(new_database_is_migrated),
		cmocka_unit_test(newer_schema_is_refused),
		cmocka_unit_test(duplicates_collapse_but_lines_differ),
		cmocka_unit_test(readonly_connection_cannot_write),
		cmocka_unit_test(scan_end_records_counts),
		cmocka_unit_test(fingerprint_ignores_nothing_but_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
