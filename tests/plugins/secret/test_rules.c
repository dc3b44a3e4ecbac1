/*
 * Loading secret rules: the shipped rules/ directory, bad rule files and
 * the configuration keys.  Runs from the repository root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../support/mock_host.h"

const struct gk_plugin *gk_plugin_entry(void);

static char cwd[4096];

/* {"rules_dir": "<cwd>/<rel>"<extra>} in a static buffer. */
static const char *config(const char *rel, const char *extra)
{
	static char buf[16384];

	snprintf(buf, sizeof(buf), "{\"rules_dir\": \"%s/%s\"%s}", cwd, rel,
		 extra ? extra : "");
	return buf;
}

/* Inits the plugin; returns init's result, state in *state. */
static int init_with(gk_host *h, const char *cfg, void **state)
{
	const struct gk_plugin *p = gk_plugin_entry();

	*state = NULL;
	return p->init(h, mock_host_api(), cfg, state);
}

static void fini(void *state)
{
	if (state)
		gk_plugin_entry()->fini(state);
}

static int log_has(gk_host *h, const char *a, const char *b, const char *c)
{
	const char *line;
	size_t i;

	for (i = 0; (line = mock_host_log_line(h, i)) != NULL; i++)
		if (strstr(line, a) && (!b || strstr(line, b)) &&
		    (!c || strstr(line, c)))
			return 1;
	return 0;
}

static const struct gk_rule_info *rule_by_id(gk_host *h, const char *id)
{
	size_t i;

	for (i = 0; i < mock_host_nrules(h); i++)
		if (strcmp(mock_host_rule(h, i)->id, id) == 0)
			return mock_host_rule(h, i);
	return NULL;
}

static void descriptor_checks_abi(void **ts)
{
	const struct gk_plugin *p = gk_plugin_entry();

	(void)ts;
	assert_int_equal(p->abi_version, GK_PLUGIN_ABI_VERSION);
	assert_int_equal(p->struct_size, sizeof(struct gk_plugin));
	assert_string_equal(p->name, "secret");
	assert_non_null(p->scan_file);
}

static void real_rules_load_without_errors(void **ts)
{
	gk_host *h = mock_host_new(cwd);
	void *st;
	size_t i;

	(void)ts;
	assert_int_equal(init_with(h, config("rules", NULL), &st), 0);
	for (i = 0; i < mock_host_nlogs(h, GK_LOG_WARN); i++)
		print_message("log: %s\n", mock_host_log_line(h, i));
	assert_int_equal(mock_host_nlogs(h, GK_LOG_WARN), 0);
	assert_true(mock_host_nrules(h) >= 40);
	for (i = 0; i < mock_host_nrules(h); i++) {
		const struct gk_rule_info *r = mock_host_rule(h, i);

		assert_non_null(r->title);
		assert_non_null(r->help);
		assert_non_null(r->precision);
		assert_true(strncmp(r->tags, "secret", 6) == 0);
		assert_in_range(r->severity, GK_SEV_INFO, GK_SEV_CRITICAL);
	}
	fini(st);
	mock_host_free(h);
}

static void severities_follow_the_kind_of_key(void **ts)
{
	gk_host *h = mock_host_new(cwd);
	void *st;

	(void)ts;
	assert_int_equal(init_with(h, config("rules", NULL), &st), 0);
	assert_int_equal(rule_by_id(h, "aws-access-key-id")->severity,
			 GK_SEV_CRITICAL);
	assert_int_equal(rule_by_id(h, "private-key-rsa")->severity,
			 GK_SEV_CRITICAL);
	assert_int_equal(rule_by_id(h, "github-pat")->severity, GK_SEV_HIGH);
	assert_int_equal(rule_by_id(h, "stripe-test-key")->severity,
			 GK_SEV_LOW);
	assert_int_equal(rule_by_id(h, "generic-secret")->severity,
			 GK_SEV_MEDIUM);
	assert_string_equal(rule_by_id(h, "github-pat")->tags,
			    "secret,github");
	fini(st);
	mock_host_free(h);
}

static void bad_rules_are_logged_and_skipped(void **ts)
{
	gk_host *h = mock_host_new(cwd);
	void *st;

	(void)ts;
	assert_int_equal(init_with(h, config("tests/fixtures/secret/rules-bad",
					     NULL),
				   &st),
			 0);
	assert_int_equal(mock_host_nrules(h), 1);
	assert_string_equal(mock_host_rule(h, 0)->id, "good-rule");
	assert_true(log_has(h, "a-mixed.yaml' line 9: rule 'bad-regex'",
			    "invalid regex at offset 7",
			    "missing closing parenthesis"));
	assert_true(log_has(h, "a-mixed.yaml' line 13: rule 'no-pattern'",
			    "needs a regex or a path", NULL));
	assert_true(log_has(h, "a-mixed.yaml' line 17: rule 'good-rule'",
			    "duplicate id", NULL));
	assert_true(log_has(h, "a-mixed.yaml' line 21: rule 'bad-severity'",
			    "unknown severity 'urgent'", NULL));
	assert_true(log_has(h, "b-broken.yaml' line ", "yaml syntax error",
			    NULL));
	assert_int_equal(mock_host_nlogs(h, GK_LOG_ERROR), 5);
	fini(st);
	mock_host_free(h);
}

static void zero_loadable_rules_fail_init(void **ts)
{
	gk_host *h = mock_host_new(cwd);
	void *st;

	(void)ts;
	assert_int_not_equal(
		init_with(h, config("tests/fixtures/secret/rules-none", NULL),
			  &st),
		0);
	assert_null(st);
	assert_true(log_has(h, "only.yaml' line 3: rule 'only-bad'",
			    "invalid regex", NULL));
	assert_true(log_has(h, "no secret rule could be loaded", NULL, NULL));
	mock_host_free(h);
}

static void missing_rules_dir_fails_init(void **ts)
{
	gk_host *h = mock_host_new(cwd);
	void *st;

	(void)ts;
	assert_int_not_equal(init_with(h, config("no/such/dir", NULL), &st),
			     0);
	assert_int_not_equal(init_with(h, "{}", &st), 0);
	assert_int_not_equal(init_with(h, "[1, 2]", &st), 0);
	assert_int_not_equal(init_with(h, "{not json", &st), 0);
	mock_host_free(h);
}

static void disabled_and_extra_rules(void **ts)
{
	gk_host *h = mock_host_new(cwd);
	char extra[8192];
	size_t before;
	void *st;

	(void)ts;
	assert_int_equal(init_with(h, config("rules", NULL), &st), 0);
	before = mock_host_nrules(h);
	fini(st);
	mock_host_free(h);

	h = mock_host_new(cwd);
	snprintf(extra, sizeof(extra),
		 ", \"disabled_rules\": [\"jwt\", \"generic-secret\"], "
		 "\"extra_rules\": [\"%s/tests/fixtures/secret/rules-custom/secrets\"]",
		 cwd);
	assert_int_equal(init_with(h, config("rules", extra), &st), 0);
	assert_int_equal(mock_host_nrules(h), before - 2 + 3);
	assert_null(rule_by_id(h, "jwt"));
	assert_non_null(rule_by_id(h, "custom-key"));
	fini(st);
	mock_host_free(h);
}

/* A rules file the user named and that cannot be read stops the run. */
static void unreadable_extra_rules_fail_init(void **ts)
{
	gk_host *h = mock_host_new(cwd);
	void *st;

	(void)ts;
	assert_int_not_equal(
		init_with(h, config("rules", ", \"extra_rules\": "
				    "[\"/nonexistent.yaml\"]"), &st),
		0);
	assert_null(st);
	assert_true(log_has(h, "'/nonexistent.yaml': No such file or "
			    "directory", NULL, NULL));
	assert_false(log_has(h, "line 0", NULL, NULL));
	mock_host_free(h);
}

/* The rules directory that cannot be opened is named without a line. */
static void missing_rules_dir_message_has_no_line(void **ts)
{
	gk_host *h = mock_host_new(cwd);
	void *st;

	(void)ts;
	assert_int_not_equal(init_with(h, config("no/such/dir", NULL), &st),
			     0);
	assert_true(log_has(h, "no/such/dir/secrets': No such file", NULL,
			    NULL));
	assert_false(log_has(h, "line 0", NULL, NULL));
	mock_host_free(h);
}

static void unknown_settings_are_warned(void **ts)
{
	gk_host *h = mock_host_new(cwd);
	void *st;

	(void)ts;
	assert_int_equal(init_with(h, config("rules", ", \"disabled_rule\": "
					     "[\"jwt\"]"), &st),
			 0);
	assert_true(log_has(h, "unknown setting 'disabled_rule'", NULL, NULL));
	assert_int_equal(mock_host_nlogs(h, GK_LOG_WARN), 1);
	assert_non_null(rule_by_id(h, "jwt"));
	fini(st);
	mock_host_free(h);
}

/* The rule files are scanned like any file: they must raise nothing. */
static void rule_files_do_not_trigger_themselves(void **ts)
{
	gk_host *h = mock_host_new(cwd);
	struct dirent *e;
	DIR *d;
	void *st;
	int files = 0;

	(void)ts;
	assert_int_equal(init_with(h, config("rules", NULL), &st), 0);
	d = opendir("rules/secrets");
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		char path[600], data[65536];
		FILE *f;
		size_t n;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "rules/secrets/%s", e->d_name);
		f = fopen(path, "rb");
		assert_non_null(f);
		n = fread(data, 1, sizeof(data), f);
		fclose(f);
		mock_host_reset(h);
		assert_int_equal(mock_scan(gk_plugin_entry(), h, &st, NULL,
					   path, data, n),
				 0);
		if (mock_host_nfindings(h))
			print_message("%s: %s\n", path,
				      mock_host_finding(h, 0)->rule);
		assert_int_equal(mock_host_nfindings(h), 0);
		files++;
	}
	closedir(d);
	assert_true(files >= 10);
	fini(st);
	mock_host_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(descriptor_checks_abi),
		cmocka_unit_test(real_rules_load_without_errors),
		cmocka_unit_test(severities_follow_the_kind_of_key),
		cmocka_unit_test(bad_rules_are_logged_and_skipped),
		cmocka_unit_test(zero_loadable_rules_fail_init),
		cmocka_unit_test(missing_rules_dir_fails_init),
		cmocka_unit_test(disabled_and_extra_rules),
		cmocka_unit_test(unreadable_extra_rules_fail_init),
		cmocka_unit_test(missing_rules_dir_message_has_no_line),
		cmocka_unit_test(unknown_settings_are_warned),
		cmocka_unit_test(rule_files_do_not_trigger_themselves),
	};

	if (!getcwd(cwd, sizeof(cwd)))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
