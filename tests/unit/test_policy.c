/*
 * Unit tests: gate selectors, exceptions, baselines and the gate
 * authorizer, over a database built from tests/fixtures/policy/scans.sql.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "baseline.h"
#include "config.h"
#include "log.h"
#include "policy.h"
#include "report.h"
#include "store.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FIXTURE "tests/fixtures/policy/scans.sql"
#define TODAY "2026-06-01"
#define FP_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define FP_G "gggggggggggggggggggggggggggggggg"

/* A fixture database in a temporary directory, its writer and reader. */
struct fx {
	char dir[32];
	char *path;
	sqlite3 *rw, *ro;
	struct gk_config config;
	struct gk_policy policy;
};

static int fx_setup(void **state)
{
	struct fx *f = gk_calloc(1, sizeof(*f));
	char *sql = NULL;
	size_t len = 0;

	strcpy(f->dir, "/tmp/gk-policy-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->path = gk_asprintf("%s/gatekeeper.db", f->dir);
	f->rw = gk_store_open(f->path, 0);
	assert_non_null(f->rw);
	assert_int_equal(gk_file_read(FIXTURE, 1 << 20, &sql, &len), 0);
	assert_int_equal(gk_store_exec(f->rw, sql), 0);
	free(sql);
	f->ro = gk_policy_open_ro(f->path);
	assert_non_null(f->ro);
	gk_config_init(&f->config);
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;
	char *cmd = gk_asprintf("rm -rf '%s'", f->dir);

	gk_policy_release(&f->policy);
	gk_config_release(&f->config);
	gk_store_close(f->ro);
	gk_store_close(f->rw);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(f->path);
	free(f);
	return 0;
}

/* Parses yaml as gatekeeper.yaml; returns gk_policy_load's result. */
static int load(struct fx *f, const char *yaml)
{
	gk_policy_release(&f->policy);
	gk_config_release(&f->config);
	gk_config_init(&f->config);
	if (gk_config_parse(&f->config, "gatekeeper.yaml", yaml, strlen(yaml)))
		return -1;
	return gk_policy_load(&f->policy, &f->config, TODAY);
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

static int64_t gate_count(struct fx *f, const char *gate)
{
	char *sql = gk_asprintf("SELECT count FROM gate_results WHERE "
				"scan_id = 2 AND gate_id = '%s'", gate);
	int64_t n = scalar(f->rw, sql);

	free(sql);
	return n;
}

/* Evaluates scan 2 with base; returns the verdict (NULL on an error). */
static const char *evaluate(struct fx *f, const struct gk_baseline *base)
{
	const char *verdict = NULL;

	if (gk_policy_evaluate(&f->policy, base, f->ro, f->rw, 2, &verdict))
		return NULL;
	return verdict;
}

/* ---- selectors ----------------------------------------------------- */

static const struct {
	const char *selector;
	int64_t count;
} selectors[] = {
	{ "plugin: secret", 2 },
	{ "rule: \"CVE-*\"", 3 },
	{ "rule: \"github-*\"", 1 },
	{ "severity: high", 4 },
	{ "severity: critical", 1 },
	{ "path: \"deploy/\"", 1 },
	{ "path: \"*.txt\"", 2 },
	{ "path: \"docs/**\"", 1 },
	{ "where: \"fixed IS NOT NULL AND fixed <> ''\"", 2 },
	{ "where: \"cvss >= 9\"", 1 },
	{ "plugin: config\n    severity: high", 1 },
	{ "new: true", 7 }, /* no baseline: everything is new */
	{ "new: false", 7 },
};

static void each_selector_counts_its_findings(void **state)
{
	struct fx *f = *state;
	size_t i;

	for (i = 0; i < GK_ARRAY_SIZE(selectors); i++) {
		char *yaml = gk_asprintf("gates:\n  - id: g\n    %s\n",
					 selectors[i].selector);

		assert_int_equal(load(f, yaml), 0);
		assert_string_equal(evaluate(f, NULL),
				    selectors[i].count ? "fail" : "pass");
		if (gate_count(f, "g") != selectors[i].count)
			fail_msg("selector '%s': %lld, want %lld",
				 selectors[i].selector,
				 (long long)gate_count(f, "g"),
				 (long long)selectors[i].count);
		free(yaml);
	}
}

static void max_and_warn_mode_decide_the_verdict(void **state)
{
	struct fx *f = *state;

	assert_int_equal(load(f, "gates:\n  - id: g\n    plugin: secret\n"
			      "    max: 2\n"), 0);
	assert_string_equal(evaluate(f, NULL), "pass");
	assert_int_equal(load(f, "gates:\n  - id: g\n    plugin: secret\n"
			      "    mode: warn\n"), 0);
	assert_string_equal(evaluate(f, NULL), "warn");
	assert_int_equal(load(f, "gates:\n  - id: w\n    plugin: secret\n"
			      "    mode: warn\n  - id: f\n    plugin: config\n"),
			 0);
	assert_string_equal(evaluate(f, NULL), "fail");
	assert_int_equal(scalar(f->rw, "SELECT count(*) FROM gate_results "
				"WHERE scan_id = 2"), 2);
}

static void gate_members_are_stored(void **state)
{
	struct fx *f = *state;

	assert_int_equal(load(f, "gates:\n  - id: g\n    severity: high\n"), 0);
	assert_non_null(evaluate(f, NULL));
	assert_int_equal(scalar(f->rw, "SELECT count(*) FROM gate_findings "
				"WHERE scan_id = 2 AND gate_id = 'g'"), 4);
}

static void default_policy_without_gates(void **state)
{
	struct fx *f = *state;

	assert_int_equal(load(f, "scan:\n  exclude: [x]\n"), 0);
	assert_string_equal(f->policy.source, "built-in default policy");
	assert_int_equal(f->policy.ngates, 3);
	assert_string_equal(evaluate(f, NULL), "fail");
	assert_int_equal(gate_count(f, "secrets"), 2);
	assert_int_equal(gate_count(f, "fixable-high"), 2);
	assert_int_equal(gate_count(f, "config-high"), 1);
}

/*
 * The default `secrets` gate takes secrets from any plugin that marks
 * them (extra.class), and an extra that is no JSON breaks nothing.
 */
static void default_secrets_gate_takes_marked_secrets(void **state)
{
	struct fx *f = *state;

	assert_int_equal(gk_store_exec(f->rw,
		"INSERT INTO findings (scan_id, plugin, rule, severity,"
		" severity_level, path, fingerprint, extra) VALUES"
		" (2, 'container', 'aws-access-key-id', 'critical', 4,"
		"  'deploy.sh', 'iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii',"
		"  '{\"tool\":\"trivy\",\"class\":\"secret\"}'),"
		" (2, 'container', 'odd', 'low', 1, 'x',"
		"  'jjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjj', 'not json'),"
		" (2, 'container', 'CVE-1', 'low', 1, 'y',"
		"  'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk', '{\"class\":\"os-pkgs\"}')"),
		0);
	assert_int_equal(load(f, "{}\n"), 0);
	assert_string_equal(evaluate(f, NULL), "fail");
	assert_int_equal(gate_count(f, "secrets"), 3);
}

/* What `gatekeeper init` writes is exactly the built-in default. */
static void init_file_is_the_default_policy(void **state)
{
	struct fx *f = *state;
	struct gk_policy builtin;
	size_t i;

	assert_int_equal(load(f, "{}\n"), 0);
	builtin = f->policy;
	memset(&f->policy, 0, sizeof(f->policy));
	assert_int_equal(load(f, gk_policy_default_yaml), 0);
	assert_string_equal(f->policy.source, GK_CONFIG_FILE);
	assert_int_equal(f->policy.ngates, builtin.ngates);
	for (i = 0; i < builtin.ngates; i++) {
		char *a = gk_gate_sql(&builtin.gates[i]);
		char *b = gk_gate_sql(&f->policy.gates[i]);

		assert_string_equal(builtin.gates[i].id, f->policy.gates[i].id);
		assert_string_equal(a, b);
		assert_int_equal(builtin.gates[i].warn_only,
				 f->policy.gates[i].warn_only);
		free(a);
		free(b);
	}
	gk_policy_release(&builtin);
}

/* ---- bad policies --------------------------------------------------- */

static const char *const bad_policies[] = {
	"gates:\n  - id: g\n    severity: extreme\n",
	"gates:\n  - id: g\n    mode: maybe\n",
	"gates:\n  - id: g\n    max: -1\n",
	"gates:\n  - id: g\n    max: 99999999999999999999999\n",
	"gates:\n  - id: g\n    new: perhaps\n",
	"gates:\n  - id: g\n    colour: red\n",
	"gates:\n  - description: no id\n",
	"gates:\n  - id: g\n  - id: g\n",
	"gates: {}\n",
	"exceptions:\n  - fingerprint: " FP_A "\n",
	"exceptions:\n  - rule: x\n    reason: \"\"\n",
	"exceptions:\n  - reason: matches nothing named\n",
	"exceptions:\n  - rule: x\n    reason: r\n    expires: 2026-13-01\n",
	"exceptions:\n  - rule: x\n    reason: r\n    expires: soon\n",
	"exceptions:\n  - rule: x\n    reason: r\n    expires: 2027-02-30\n",
	"exceptions:\n  - rule: x\n    reason: r\n    expires: 2026-02-29\n",
	"exceptions:\n  - rule: x\n    reason: r\n    owner: me\n",
	"gates:\n  - id: g\n    plugin: [a, b]\n",
	"gates:\n  - id: g\n  bad indent: [\n",
};

static void bad_policies_are_refused(void **state)
{
	struct fx *f = *state;
	size_t i;

	for (i = 0; i < GK_ARRAY_SIZE(bad_policies); i++)
		if (load(f, bad_policies[i]) != -1)
			fail_msg("accepted: %s", bad_policies[i]);
}

/* ---- exceptions ----------------------------------------------------- */

static void live_fingerprint_exception_hides_and_is_recorded(void **state)
{
	struct fx *f = *state;

	assert_int_equal(load(f, "gates:\n  - id: g\n    plugin: secret\n"
			      "exceptions:\n  - fingerprint: " FP_G "\n"
			      "    reason: documentation example\n"
			      "    expires: 2026-06-01\n"), 0);
	assert_int_equal(f->policy.exceptions[0].expired, 0);
	assert_non_null(evaluate(f, NULL));
	assert_int_equal(gate_count(f, "g"), 1);
	assert_int_equal(scalar(f->rw, "SELECT count(*) FROM suppressions s "
				"JOIN findings f ON f.id = s.finding_id WHERE "
				"s.scan_id = 2 AND f.fingerprint = '" FP_G
				"' AND s.reason = 'documentation example'"), 1);
}

static void rule_and_path_exception_hides(void **state)
{
	struct fx *f = *state;

	assert_int_equal(load(f, "gates:\n  - id: g\n    rule: \"CVE-*\"\n"
			      "exceptions:\n  - rule: \"CVE-2023-*\"\n"
			      "    path: requirements.txt\n"
			      "    reason: not reachable\n"), 0);
	assert_non_null(evaluate(f, NULL));
	assert_int_equal(gate_count(f, "g"), 1);
	assert_int_equal(scalar(f->rw, "SELECT count(*) FROM suppressions "
				"WHERE scan_id = 2"), 2);
}

static void expired_exception_hides_nothing(void **state)
{
	struct fx *f = *state;

	assert_int_equal(load(f, "gates:\n  - id: g\n    plugin: secret\n"
			      "exceptions:\n  - id: old-waiver\n"
			      "    fingerprint: " FP_A "\n"
			      "    reason: rotated last year\n"
			      "    expires: 2026-05-31\n"), 0);
	assert_int_equal(f->policy.exceptions[0].expired, 1);
	assert_string_equal(f->policy.exceptions[0].name, "old-waiver");
	assert_string_equal(evaluate(f, NULL), "fail");
	assert_int_equal(gate_count(f, "g"), 2);
	assert_int_equal(scalar(f->rw, "SELECT count(*) FROM suppressions"), 0);
}

/* Re-evaluating replaces what an earlier evaluation stored. */
static void evaluation_replaces_the_stored_decision(void **state)
{
	struct fx *f = *state;

	assert_int_equal(load(f, "gates:\n  - id: g\n    plugin: secret\n"
			      "exceptions:\n  - fingerprint: " FP_A "\n"
			      "    reason: r\n"), 0);
	assert_non_null(evaluate(f, NULL));
	assert_int_equal(load(f, "gates:\n  - id: h\n    plugin: deps\n"), 0);
	assert_non_null(evaluate(f, NULL));
	assert_int_equal(scalar(f->rw, "SELECT count(*) FROM gate_results "
				"WHERE gate_id = 'g'"), 0);
	assert_int_equal(scalar(f->rw, "SELECT count(*) FROM suppressions"), 0);
}

/* ---- baselines ------------------------------------------------------ */

static void baseline_from_scan_id_leaves_out_old_findings(void **state)
{
	struct fx *f = *state;
	struct gk_baseline b;

	assert_int_equal(gk_baseline_load(&b, f->rw, "1", 2), 0);
	assert_string_equal(b.source, "scan 1");
	assert_int_equal(b.n, 3);
	assert_true(gk_baseline_has(&b, FP_A));
	assert_false(gk_baseline_has(&b, FP_G));
	assert_int_equal(load(f, "gates:\n  - id: new\n    new: true\n"
			      "  - id: new-high\n    new: true\n"
			      "    severity: high\n"), 0);
	assert_string_equal(evaluate(f, &b), "fail");
	assert_int_equal(gate_count(f, "new"), 5);
	assert_int_equal(gate_count(f, "new-high"), 2);
	assert_int_equal(scalar(f->rw, "SELECT count(*) FROM scans WHERE "
				"id = 2 AND baseline = 'scan 1'"), 1);
	gk_baseline_release(&b);
}

/* Scan 1 found A once; a second copy of A in scan 2 is new. */
static void second_copy_of_a_baselined_finding_is_new(void **state)
{
	struct fx *f = *state;
	struct gk_baseline b;

	assert_int_equal(gk_store_exec(f->rw,
		"INSERT INTO findings (scan_id, plugin, rule, severity,"
		" severity_level, path, line, fingerprint) VALUES"
		" (2, 'secret', 'github-pat', 'high', 3, 'src/app.py', 40,"
		"  '" FP_A "')"), 0);
	assert_int_equal(gk_baseline_load(&b, f->rw, "1", 2), 0);
	assert_int_equal(gk_baseline_count(&b, FP_A), 1);
	assert_int_equal(load(f, "gates:\n  - id: new\n    new: true\n"
			      "    rule: github-pat\n"), 0);
	assert_string_equal(evaluate(f, &b), "fail");
	assert_int_equal(gate_count(f, "new"), 1);
	assert_int_equal(scalar(f->rw, "SELECT f.line FROM gate_findings g"
				" JOIN findings f ON f.id = g.finding_id"
				" WHERE g.gate_id = 'new'"), 40);
	gk_baseline_release(&b);

	/* with both copies in the baseline, neither is new */
	assert_int_equal(gk_baseline_load(&b, f->rw, "2", 2), 0);
	assert_int_equal(gk_baseline_count(&b, FP_A), 2);
	assert_string_equal(evaluate(f, &b), "pass");
	assert_int_equal(gate_count(f, "new"), 0);
	gk_baseline_release(&b);
}

static void baseline_last_is_the_previous_scan_of_the_branch(void **state)
{
	struct fx *f = *state;
	struct gk_baseline b;

	assert_int_equal(gk_baseline_load(&b, f->rw, "last", 2), 0);
	assert_string_equal(b.source, "scan 1");
	gk_baseline_release(&b);
	/* scan 3 is the first of its branch: no baseline, all new */
	assert_int_equal(gk_baseline_load(&b, f->rw, "last", 3), 0);
	assert_null(b.source);
	assert_int_equal(b.n, 0);
	gk_baseline_release(&b);
}

static void bad_baselines_are_usage_errors(void **state)
{
	struct fx *f = *state;
	char *junk = gk_asprintf("%s/junk.json", f->dir);
	FILE *fp = fopen(junk, "w");
	struct gk_baseline b;

	assert_non_null(fp);
	fputs("{\"something\": []}", fp);
	fclose(fp);
	assert_int_equal(gk_baseline_load(&b, f->rw, "99", 2), -2);
	gk_baseline_release(&b);
	assert_int_equal(gk_baseline_load(&b, f->rw, "/nonexistent.sarif", 2),
			 -2);
	gk_baseline_release(&b);
	assert_int_equal(gk_baseline_load(&b, f->rw, junk, 2), -2);
	gk_baseline_release(&b);
	free(junk);
}

/* Writes scan 1 as fmt to a file and loads that file as a baseline. */
static void baseline_from_report(struct fx *f, const char *fmt)
{
	char *path = gk_asprintf("%s/old.%s", f->dir, fmt);
	struct gk_report_opts o;
	struct gk_report r;
	struct gk_baseline b;
	FILE *out = fopen(path, "w");

	memset(&o, 0, sizeof(o));
	assert_non_null(out);
	assert_int_equal(gk_report_load(&r, f->rw, 1), 0);
	assert_int_equal(gk_report_write(&r, fmt, out, &o), 0);
	fclose(out);
	gk_report_release(&r);
	assert_int_equal(gk_baseline_load(&b, f->rw, path, 2), 0);
	assert_int_equal(b.n, 3);
	assert_true(gk_baseline_has(&b, FP_A));
	assert_int_equal(load(f, "gates:\n  - id: new\n    new: true\n"), 0);
	assert_non_null(evaluate(f, &b));
	assert_int_equal(gate_count(f, "new"), 5);
	gk_baseline_release(&b);
	free(path);
}

static void baseline_from_json_report(void **state)
{
	baseline_from_report(*state, "json");
}

static void baseline_from_sarif_report(void **state)
{
	baseline_from_report(*state, "sarif");
}

/* ---- the authorizer ------------------------------------------------- */

static const char *const refused_sql[] = {
	"DELETE FROM findings",
	"UPDATE findings SET severity_level = 0",
	"INSERT INTO gate_results VALUES (2, 'x', '', 'pass', 0, 0, 'fail', '')",
	"ATTACH DATABASE ':memory:' AS other",
	"PRAGMA user_version = 7",
	"PRAGMA journal_mode",
	"SELECT * FROM sqlite_master",
	"CREATE TEMP TABLE t (x)",
};

static void authorizer_refuses_writes_attach_and_pragma(void **state)
{
	struct fx *f = *state;
	size_t i;

	for (i = 0; i < GK_ARRAY_SIZE(refused_sql); i++) {
		sqlite3_stmt *st = NULL;
		int rc = sqlite3_prepare_v2(f->ro, refused_sql[i], -1, &st,
					    NULL);

		sqlite3_finalize(st);
		if (rc == SQLITE_OK)
			fail_msg("allowed: %s", refused_sql[i]);
	}
	assert_int_equal(scalar(f->ro, "SELECT count(*) FROM findings f JOIN "
				"rules r ON r.id = f.rule"), 7);
}

/* Refused when the policy is read: not one bracketed expression. */
static const char *const unbalanced_where[] = {
	"1=1) OR (1=1",
	"1) UNION SELECT id FROM findings WHERE (1",
	"1); DELETE FROM findings WHERE (1",
	"1); ATTACH DATABASE ':memory:' AS x; SELECT (1",
	"rule = 'x' OR (1=1",
	"rule = 'it''s",
	"1 /* open",
	"rule = 'x'; SELECT 1",
	"",
};

static void unbalanced_where_is_refused_on_load(void **state)
{
	struct fx *f = *state;
	size_t i;

	for (i = 0; i < GK_ARRAY_SIZE(unbalanced_where); i++) {
		char *yaml = gk_asprintf("gates:\n  - id: sneaky\n"
					 "    where: \"%s\"\n",
					 unbalanced_where[i]);

		if (load(f, yaml) != -1)
			fail_msg("where accepted: %s", unbalanced_where[i]);
		free(yaml);
	}
}

/* Balanced wheres count only the scan's findings, whatever they say. */
static const struct {
	const char *where;
	int64_t count;
} scoped_where[] = {
	{ "1=1", 7 },
	{ "1=1 OR scan_id <> 2", 7 },
	{ "EXISTS (SELECT 1 FROM findings WHERE scan_id = 1)", 7 },
	{ "path <> ')' AND rule NOT LIKE '%(%' -- a ) in a comment", 7 },
	{ "message LIKE '%|%' /* ( */", 1 },
	{ "[rule] = 'github-pat' AND \\\"plugin\\\" = 'secret'", 1 },
};

static void where_cannot_leave_the_scan(void **state)
{
	struct fx *f = *state;
	size_t i;

	for (i = 0; i < GK_ARRAY_SIZE(scoped_where); i++) {
		char *yaml = gk_asprintf("gates:\n  - id: g\n    where: \"%s\"\n",
					 scoped_where[i].where);

		assert_int_equal(load(f, yaml), 0);
		assert_non_null(evaluate(f, NULL));
		if (gate_count(f, "g") != scoped_where[i].count)
			fail_msg("where '%s': %lld, want %lld",
				 scoped_where[i].where,
				 (long long)gate_count(f, "g"),
				 (long long)scoped_where[i].count);
		free(yaml);
	}
}

/* Refused when the gate is prepared: not a plain read. */
static const char *const refused_where[] = {
	"(SELECT count(*) FROM sqlite_master) > 0",
	"(SELECT count(*) FROM pragma_table_info('findings')) > 0",
	"no_such_column = 1",
	"load_extension('x') IS NULL",
	"sqlite_version() <> ''",
	"length(zeroblob(1000000000)) > 0",
	"fts3_tokenizer('simple') IS NULL",
};

static void gate_where_that_is_not_a_read_is_a_config_error(void **state)
{
	struct fx *f = *state;
	const char *verdict = NULL;
	size_t i;

	for (i = 0; i < GK_ARRAY_SIZE(refused_where); i++) {
		char *yaml = gk_asprintf("gates:\n  - id: sneaky\n"
					 "    where: \"%s\"\n", refused_where[i]);

		assert_int_equal(load(f, yaml), 0);
		if (gk_policy_evaluate(&f->policy, NULL, f->ro, f->rw, 2,
				       &verdict) != -2)
			fail_msg("where accepted: %s", refused_where[i]);
		free(yaml);
	}
	assert_int_equal(scalar(f->rw, "SELECT count(*) FROM findings"), 11);
}

static void policy_run_maps_errors_to_exit_codes(void **state)
{
	struct fx *f = *state;
	const char *verdict = NULL;

	assert_int_equal(load(f, "gates:\n  - id: g\n    where: \"1); "
			      "DELETE FROM findings WHERE (1\"\n"), -1);
	assert_int_equal(gk_policy_run(&f->config, NULL, f->rw, f->path, 2,
				       &verdict), 2);
	assert_int_equal(load(f, "gates:\n  - id: g\n    where: "
			      "\"load_extension('x') IS NULL\"\n"), 0);
	assert_int_equal(gk_policy_run(&f->config, NULL, f->rw, f->path, 2,
				       &verdict), 2);
	assert_int_equal(load(f, "gates:\n  - id: g\n    plugin: secret\n"),
			 0);
	assert_int_equal(gk_policy_run(&f->config, "42", f->rw, f->path, 2,
				       &verdict), 2);
	assert_int_equal(gk_policy_run(&f->config, "last", f->rw, f->path, 2,
				       &verdict), 0);
	assert_string_equal(verdict, "fail");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
		T(each_selector_counts_its_findings),
		T(max_and_warn_mode_decide_the_verdict),
		T(gate_members_are_stored),
		T(default_policy_without_gates),
		T(default_secrets_gate_takes_marked_secrets),
		T(init_file_is_the_default_policy),
		T(bad_policies_are_refused),
		T(live_fingerprint_exception_hides_and_is_recorded),
		T(rule_and_path_exception_hides),
		T(expired_exception_hides_nothing),
		T(evaluation_replaces_the_stored_decision),
		T(baseline_from_scan_id_leaves_out_old_findings),
		T(second_copy_of_a_baselined_finding_is_new),
		T(baseline_last_is_the_previous_scan_of_the_branch),
		T(bad_baselines_are_usage_errors),
		T(baseline_from_json_report),
		T(baseline_from_sarif_report),
		T(authorizer_refuses_writes_attach_and_pragma),
		T(unbalanced_where_is_refused_on_load),
		T(where_cannot_leave_the_scan),
		T(gate_where_that_is_not_a_read_is_a_config_error),
		T(policy_run_maps_errors_to_exit_codes),
#undef T
	};

	gk_log_set_level(GK_LOG_ERROR - 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
