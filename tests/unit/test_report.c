/*
 * Unit tests: every report format rendered from one fixture database
 * (tests/fixtures/policy/scans.sql, scan 2, evaluated with
 * tests/fixtures/reports/policy.yaml) compared with golden files, and the
 * SARIF rules GitHub code scanning holds uploads to.
 * GK_UPDATE_GOLDEN=1 rewrites the golden files instead of comparing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "config.h"
#include "log.h"
#include "policy.h"
#include "report.h"
#include "store.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIXTURE "tests/fixtures/policy/scans.sql"
#define POLICY "tests/fixtures/reports/policy.yaml"
#define GOLDEN "tests/fixtures/reports/"

struct fx {
	char dir[32];
	char *path;
	sqlite3 *rw;
	struct gk_report r;
};

static void exec_file(sqlite3 *db, const char *file)
{
	char *sql = NULL;
	size_t len = 0;

	assert_int_equal(gk_file_read(file, 1 << 20, &sql, &len), 0);
	assert_int_equal(gk_store_exec(db, sql), 0);
	free(sql);
}

static void evaluate_policy(struct fx *f)
{
	struct gk_config c;
	struct gk_policy p;
	sqlite3 *ro = gk_policy_open_ro(f->path);
	const char *verdict = NULL;
	char *yaml = NULL;
	size_t len = 0;

	assert_non_null(ro);
	gk_config_init(&c);
	assert_int_equal(gk_file_read(POLICY, 1 << 20, &yaml, &len), 0);
	assert_int_equal(gk_config_parse(&c, POLICY, yaml, len), 0);
	assert_int_equal(gk_policy_load(&p, &c, "2026-06-01"), 0);
	assert_int_equal(gk_policy_evaluate(&p, NULL, ro, f->rw, 2, &verdict),
			 0);
	assert_string_equal(verdict, "fail");
	assert_int_equal(gk_store_exec(f->rw, "UPDATE scans SET verdict = "
				       "'fail' WHERE id = 2"), 0);
	gk_policy_release(&p);
	gk_config_release(&c);
	gk_store_close(ro);
	free(yaml);
}

static int fx_setup(void **state)
{
	struct fx *f = gk_calloc(1, sizeof(*f));

	strcpy(f->dir, "/tmp/gk-report-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->path = gk_asprintf("%s/gatekeeper.db", f->dir);
	f->rw = gk_store_open(f->path, 0);
	assert_non_null(f->rw);
	exec_file(f->rw, FIXTURE);
	evaluate_policy(f);
	assert_int_equal(gk_report_load(&f->r, f->rw, 2), 0);
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;
	char *cmd = gk_asprintf("rm -rf '%s'", f->dir);

	gk_report_release(&f->r);
	gk_store_close(f->rw);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(f->path);
	free(f);
	return 0;
}

/* Renders r as fmt into a new string. */
static char *render(const struct gk_report *r, const char *fmt,
		    const struct gk_report_opts *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	assert_int_equal(gk_report_write(r, fmt, out, o), 0);
	fclose(out);
	return buf;
}

/* ---- golden files --------------------------------------------------- */

static const struct {
	const char *format, *file;
} goldens[] = {
	{ "text", "golden.txt" },      { "json", "golden.json" },
	{ "sarif", "golden.sarif" },   { "junit", "golden.junit.xml" },
	{ "markdown", "golden.md" },   { "github", "golden.github.txt" },
};

static void compare_golden(const char *fmt, const char *file,
			   const char *got)
{
	char *path = gk_asprintf(GOLDEN "%s", file), *want = NULL;
	const char *update = getenv("GK_UPDATE_GOLDEN");
	size_t len = 0;

	if (update && *update) {
		FILE *out = fopen(path, "w");

		assert_non_null(out);
		fputs(got, out);
		fclose(out);
	} else {
		assert_int_equal(gk_file_read(path, 1 << 22, &want, &len), 0);
		if (strcmp(want, got) != 0)
			fail_msg("%s differs from %s:\n%s", fmt, path, got);
	}
	free(want);
	free(path);
}

static void every_format_matches_its_golden_file(void **state)
{
	struct fx *f = *state;
	struct gk_report_opts o;
	size_t i;

	memset(&o, 0, sizeof(o));
	for (i = 0; i < GK_ARRAY_SIZE(goldens); i++) {
		char *got = render(&f->r, goldens[i].format, &o);

		compare_golden(goldens[i].format, goldens[i].file, got);
		free(got);
	}
}

static void coloured_text_only_when_asked(void **state)
{
	struct fx *f = *state;
	struct gk_report_opts o;
	char *plain, *colour;

	memset(&o, 0, sizeof(o));
	plain = render(&f->r, "text", &o);
	o.color = 1;
	colour = render(&f->r, "text", &o);
	assert_null(strchr(plain, '\033'));
	assert_non_null(strstr(colour, "\033[1;31mcritical"));
	free(plain);
	free(colour);
}

/* ---- SARIF ---------------------------------------------------------- */

static cJSON *sarif(const struct fx *f, const struct gk_report_opts *o)
{
	char *text = render(&f->r, "sarif", o);
	cJSON *doc = cJSON_Parse(text);

	assert_non_null(doc);
	free(text);
	return doc;
}

static const char *str_at(const cJSON *o, const char *a, const char *b)
{
	const cJSON *x = cJSON_GetObjectItem(o, a);

	return cJSON_GetStringValue(b ? cJSON_GetObjectItem(x, b) : x);
}

/* Every ruleId has exactly one rule, and ruleIndex points at it. */
static void check_rules(const cJSON *run)
{
	const cJSON *rules = cJSON_GetObjectItem(
		cJSON_GetObjectItem(str_at(run, "tool", NULL) ? NULL
				    : cJSON_GetObjectItem(run, "tool"),
				    "driver"), "rules");
	const cJSON *res, *a, *b;

	cJSON_ArrayForEach(a, rules) {
		int same = 0;

		cJSON_ArrayForEach(b, rules)
			same += !strcmp(str_at(a, "id", NULL),
					str_at(b, "id", NULL));
		assert_int_equal(same, 1);
		assert_non_null(str_at(a, "shortDescription", "text"));
		assert_non_null(str_at(a, "help", "markdown"));
		assert_non_null(cJSON_GetObjectItem(
			cJSON_GetObjectItem(a, "properties"),
			"security-severity"));
	}
	cJSON_ArrayForEach(res, cJSON_GetObjectItem(run, "results")) {
		int i = cJSON_GetObjectItem(res, "ruleIndex")->valueint;

		assert_string_equal(str_at(res, "ruleId", NULL),
				    str_at(cJSON_GetArrayItem(rules, i), "id",
					   NULL));
	}
}

/* Result uris: relative, no scheme, percent-encoded, never empty. */
static void check_uris(const cJSON *run)
{
	const cJSON *res;

	cJSON_ArrayForEach(res, cJSON_GetObjectItem(run, "results")) {
		const cJSON *loc = cJSON_GetArrayItem(
			cJSON_GetObjectItem(res, "locations"), 0);
		const char *uri = str_at(cJSON_GetObjectItem(
						 loc, "physicalLocation"),
					 "artifactLocation", "uri");

		assert_non_null(uri);
		assert_true(*uri && *uri != '/');
		assert_null(strchr(uri, ':'));
		assert_null(strchr(uri, ' '));
	}
}

static const cJSON *run_of(const cJSON *doc, const char *category)
{
	const cJSON *run;

	cJSON_ArrayForEach(run, cJSON_GetObjectItem(doc, "runs"))
		if (!strcmp(str_at(run, "automationDetails", "id"), category))
			return run;
	fail_msg("no run %s", category);
	return NULL;
}

static const cJSON *result_of(const cJSON *run, const char *rule)
{
	const cJSON *res;

	cJSON_ArrayForEach(res, cJSON_GetObjectItem(run, "results"))
		if (!strcmp(str_at(res, "ruleId", NULL), rule))
			return res;
	fail_msg("no result for %s", rule);
	return NULL;
}

static void sarif_meets_github_rules(void **state)
{
	struct fx *f = *state;
	struct gk_report_opts o;
	cJSON *doc;
	const cJSON *run;

	memset(&o, 0, sizeof(o));
	doc = sarif(f, &o);
	cJSON_ArrayForEach(run, cJSON_GetObjectItem(doc, "runs")) {
		check_rules(run);
		check_uris(run);
		assert_string_equal(str_at(cJSON_GetObjectItem(
						   run, "originalUriBaseIds"),
					   "%SRCROOT%", "uri"),
				    "file:///work/demo%20repo/");
	}
	run = run_of(doc, "gatekeeper/container/");
	assert_string_equal(str_at(cJSON_GetArrayItem(cJSON_GetObjectItem(
		cJSON_GetObjectItem(cJSON_GetObjectItem(run, "tool"),
				    "driver"), "rules"), 0),
				   "properties", "security-severity"), "9.8");
	cJSON_Delete(doc);
}

static void sarif_marks_suppressed_results(void **state)
{
	struct fx *f = *state;
	struct gk_report_opts o;
	cJSON *doc;
	const cJSON *s;

	memset(&o, 0, sizeof(o));
	doc = sarif(f, &o);
	s = cJSON_GetArrayItem(cJSON_GetObjectItem(
		result_of(run_of(doc, "gatekeeper/secret/"), "generic-api-key"),
		"suppressions"), 0);
	assert_string_equal(str_at(s, "kind", NULL), "external");
	assert_string_equal(str_at(s, "justification", NULL),
			    "documentation example, not a real key");
	/* the expired exception hides nothing */
	assert_null(cJSON_GetObjectItem(
		result_of(run_of(doc, "gatekeeper/deps/"), "CVE-2023-0002"),
		"suppressions"));
	cJSON_Delete(doc);
}

static int total_results(const cJSON *doc)
{
	const cJSON *run;
	int n = 0;

	cJSON_ArrayForEach(run, cJSON_GetObjectItem(doc, "runs"))
		n += cJSON_GetArraySize(cJSON_GetObjectItem(run, "results"));
	return n;
}

static void sarif_caps_keep_the_most_severe(void **state)
{
	struct fx *f = *state;
	struct gk_report_opts o;
	char *full;
	cJSON *doc;

	memset(&o, 0, sizeof(o));
	o.sarif_max_results = 1;
	doc = sarif(f, &o);
	assert_int_equal(total_results(doc), 4);
	result_of(run_of(doc, "gatekeeper/secret/"), "github-pat");
	cJSON_Delete(doc);

	memset(&o, 0, sizeof(o));
	full = render(&f->r, "sarif", &o);
	o.sarif_max_bytes = strlen(full) * 3 / 4;
	doc = sarif(f, &o);
	assert_true(total_results(doc) < (int)f->r.nfindings);
	assert_true(total_results(doc) > 0);
	result_of(run_of(doc, "gatekeeper/container/"), "CVE-2024-9999");
	cJSON_Delete(doc);
	free(full);
}

static void sarif_category_is_configurable(void **state)
{
	struct fx *f = *state;
	struct gk_report_opts o;
	cJSON *doc;

	memset(&o, 0, sizeof(o));
	o.sarif_category = "ci/{plugin}/scan";
	doc = sarif(f, &o);
	run_of(doc, "ci/secret/scan/");
	cJSON_Delete(doc);
	o.sarif_category = "nightly";
	doc = sarif(f, &o);
	run_of(doc, "nightly/deps/");
	cJSON_Delete(doc);
}

/* ---- annotations ---------------------------------------------------- */

static int count_lines(const char *text, const char *prefix)
{
	const char *p = text;
	int n = 0;

	for (; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		n += !strncmp(p, prefix, strlen(prefix));
	return n;
}

static void annotations_are_capped_per_level(void **state)
{
	struct fx *f = *state;
	struct gk_report_opts o;
	char *text;

	memset(&o, 0, sizeof(o));
	o.annotations_max = 1;
	text = render(&f->r, "github", &o);
	assert_int_equal(count_lines(text, "::error file="), 1);
	assert_int_equal(count_lines(text, "::warning file="), 1);
	assert_int_equal(count_lines(text, "::notice file="), 1);
	assert_int_equal(count_lines(text, "::notice title=gatekeeper::"), 1);
	assert_int_equal(count_lines(text, "::error title=gatekeeper gate "
				     "no-secrets::"), 1);
	free(text);
}

/* ---- untrusted text ------------------------------------------------ */

static char *put_to_string(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	gk_report_put(out, s, NULL);
	fclose(out);
	return buf;
}

static const struct {
	const char *in, *shown, *fixed;
} untrusted[] = {
	{ "plain é € \xf0\x9f\x98\x80", "plain é € \xf0\x9f\x98\x80",
	  "plain é € \xf0\x9f\x98\x80" },
	{ "esc\x1b[31mred", "esc\\x1b[31mred", "esc\x1b[31mred" },
	{ "\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07", "\x1b]0;pwned\x07" },
	{ "p\nq\r\tz\x7f", "p\\x0aq\\x0d\\x09z\\x7f", "p\nq\r\tz\x7f" },
	{ "bad\xff.txt", "bad\\xff.txt", "bad\xef\xbf\xbd.txt" },
	{ "csi\xc2\x9b", "csi\\xc2\\x9b", "csi\xc2\x9b" },
	{ "over\xc0\xaf", "over\\xc0\\xaf", "over\xef\xbf\xbd\xef\xbf\xbd" },
	{ "sur\xed\xa0\x80", "sur\\xed\\xa0\\x80",
	  "sur\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
	{ "cut\xe2\x82", "cut\\xe2\\x82", "cut\xef\xbf\xbd\xef\xbf\xbd" },
	{ "non\xef\xbf\xbe", "non\\xef\\xbf\\xbe", "non\xef\xbf\xbe" },
	{ "big\xf4\x90\x80\x80", "big\\xf4\\x90\\x80\\x80",
	  "big\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
};

static void untrusted_text_is_escaped_or_fixed(void **unused)
{
	size_t i;

	(void)unused;
	for (i = 0; i < GK_ARRAY_SIZE(untrusted); i++) {
		char *shown = put_to_string(untrusted[i].in);
		char *fixed = gk_report_utf8_fix(untrusted[i].in);

		assert_string_equal(shown, untrusted[i].shown);
		assert_string_equal(fixed, untrusted[i].fixed);
		free(shown);
		free(fixed);
	}
}

static void replace(char **field, const char *s)
{
	free(*field);
	*field = gk_strdup(s);
}

/* No byte below 0x20 but the format's own line breaks and indents, no
 * DEL, and well-formed UTF-8. */
static void assert_clean(const char *fmt, const char *text)
{
	char *fixed = gk_report_utf8_fix(text);
	const char *p;

	for (p = text; *p; p++)
		if (((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t') ||
		    *p == 0x7f)
			fail_msg("%s holds byte 0x%02x", fmt, *p);
	if (strcmp(fixed, text) != 0)
		fail_msg("%s is not UTF-8", fmt);
	free(fixed);
}

static void hostile_strings_stay_inert_in_every_format(void **state)
{
	static const char *const formats[] = {
		"text", "markdown", "github", "junit", "json", "sarif",
	};
	struct fx *f = *state;
	struct gk_report_opts o;
	size_t i;

	memset(&o, 0, sizeof(o));
	for (i = 0; i < f->r.nfindings; i++) {
		replace(&f->r.findings[i].path, "esc\x1b[31m\xffred.txt");
		replace(&f->r.findings[i].title, "\x1b]0;pwned\x07");
		replace(&f->r.findings[i].message, "p\nq\r::error::x");
		replace(&f->r.findings[i].rule, "r\x9b\xc2\x9b");
	}
	for (i = 0; i < GK_ARRAY_SIZE(formats); i++) {
		char *got = render(&f->r, formats[i], &o);

		assert_clean(formats[i], got);
		if (strcmp(formats[i], "json") && strcmp(formats[i], "sarif"))
			assert_non_null(strstr(got, "esc\\x1b[31m\\xffred.txt"));
		if (!strcmp(formats[i], "github"))
			assert_null(strstr(got, "\n::error::x"));
		free(got);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
		T(every_format_matches_its_golden_file),
		T(coloured_text_only_when_asked),
		T(sarif_meets_github_rules),
		T(sarif_marks_suppressed_results),
		T(sarif_caps_keep_the_most_severe),
		T(sarif_category_is_configurable),
		T(annotations_are_capped_per_level),
		T(hostile_strings_stay_inert_in_every_format),
		cmocka_unit_test(untrusted_text_is_escaped_or_fixed),
#undef T
	};

	gk_log_set_level(GK_LOG_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
