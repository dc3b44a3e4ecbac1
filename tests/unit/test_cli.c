/* Unit tests: the command line and the plugin descriptor check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cli.h"
#include "loader.h"
#include "log.h"

#include <string.h>

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void scan_options_are_read(void **state)
{
	char *argv[] = { "gatekeeper", "scan", "repo", "--format", "json",
			 "--format=sarif=out.sarif", "--db", ":memory:",
			 "--plugins", "secret,container", "-j", "3",
			 "--trivy-report", "a.json", "--trivy-report=b.json",
			 "-q", "--no-color" };
	struct gk_options o;

	(void)state;
	assert_int_equal(gk_cli_parse(&o, ARGC(argv), argv), 0);
	assert_string_equal(o.command, "scan");
	assert_int_equal(o.args.n, 1);
	assert_string_equal(o.args.v[0], "repo");
	assert_int_equal(o.nformats, 2);
	assert_string_equal(o.formats[0].format, "json");
	assert_null(o.formats[0].path);
	assert_string_equal(o.formats[1].format, "sarif");
	assert_string_equal(o.formats[1].path, "out.sarif");
	assert_string_equal(o.db, ":memory:");
	assert_int_equal(o.plugins.n, 2);
	assert_string_equal(o.plugins.v[1], "container");
	assert_int_equal(o.jobs, 3);
	assert_int_equal(o.trivy_reports.n, 2);
	assert_string_equal(o.trivy_reports.v[1], "b.json");
	assert_true(o.quiet && o.no_color);
	gk_options_release(&o);
}

static const char *const bad_lines[][4] = {
	{ "gatekeeper", NULL },
	{ "gatekeeper", "frobnicate", NULL },
	{ "gatekeeper", "scan", "--bogus", NULL },
	{ "gatekeeper", "scan", "--db", NULL },   /* value missing */
	{ "gatekeeper", "scan", "-j", "zero" },
	{ "gatekeeper", "scan", "-j", "0" },
};

static void usage_errors_exit_2(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++) {
		struct gk_options o;
		int argc = 0;

		while (argc < 4 && bad_lines[i][argc])
			argc++;
		if (gk_cli_parse(&o, argc, (char **)bad_lines[i]) !=
		    GK_EXIT_USAGE)
			fail_msg("case %zu was accepted", i);
		gk_options_release(&o);
	}
}

static void attached_values_and_history_ranges(void **state)
{
	char *argv[] = { "gatekeeper", "scan", "-j2", "--history",
			 "main..topic", "/", "-h" };
	char *argv2[] = { "gatekeeper", "scan", "--history", "/" };
	struct gk_options o;

	(void)state;
	assert_int_equal(gk_cli_parse(&o, ARGC(argv), argv), 0);
	assert_int_equal(o.jobs, 2);
	assert_true(o.history);
	assert_string_equal(o.history_range, "main..topic");
	assert_string_equal(o.args.v[0], "/");
	assert_true(o.help);
	gk_options_release(&o);
	/* A directory after --history is the PATH, not a range. */
	assert_int_equal(gk_cli_parse(&o, ARGC(argv2), argv2), 0);
	assert_null(o.history_range);
	assert_string_equal(o.args.v[0], "/");
	gk_options_release(&o);
}

static void double_dash_ends_options(void **state)
{
	char *argv[] = { "gatekeeper", "scan", "--", "-odd-dir" };
	struct gk_options o;

	(void)state;
	assert_int_equal(gk_cli_parse(&o, ARGC(argv), argv), 0);
	assert_string_equal(o.args.v[0], "-odd-dir");
	gk_options_release(&o);
}

static int dummy_scan(void *s, const struct gk_file *f)
{
	(void)s;
	(void)f;
	return 0;
}

static void descriptor_checks(void **state)
{
	struct gk_plugin good = { .abi_version = GK_PLUGIN_ABI_VERSION,
				  .struct_size = sizeof(struct gk_plugin),
				  .name = "x", .version = "1",
				  .scan_file = dummy_scan };
	struct gk_plugin p;

	(void)state;
	gk_log_set_level(-1);
	assert_int_equal(gk_plugin_check(&good, "x.so"), 0);
	p = good;
	p.abi_version = 2;
	assert_int_equal(gk_plugin_check(&p, "x.so"), -1);
	p = good;
	p.struct_size = 8;
	assert_int_equal(gk_plugin_check(&p, "x.so"), -1);
	p = good;
	p.name = "";
	assert_int_equal(gk_plugin_check(&p, "x.so"), -1);
	p = good;
	p.scan_file = NULL;
	assert_int_equal(gk_plugin_check(&p, "x.so"), -1);
	assert_int_equal(gk_plugin_check(NULL, "x.so"), -1);
	gk_log_set_level(GK_LOG_WARN);
}

static void missing_plugin_is_an_error(void **state)
{
	struct gk_plugins ps = { 0 };
	struct gk_strvec only = { 0 };

	(void)state;
	gk_strvec_push(&only, "no-such-plugin");
	gk_log_set_level(-1);
	assert_int_equal(gk_plugins_load(&ps, NULL, &only), -1);
	assert_int_equal(gk_plugins_load(&ps, "/nonexistent", &only), -1);
	gk_log_set_level(GK_LOG_WARN);
	gk_plugins_unload(&ps);
	gk_strvec_release(&only);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scan_options_are_read),
		cmocka_unit_test(usage_errors_exit_2),
		cmocka_unit_test(attached_values_and_history_ranges),
		cmocka_unit_test(double_dash_ends_options),
		cmocka_unit_test(descriptor_checks),
		cmocka_unit_test(missing_plugin_is_an_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
