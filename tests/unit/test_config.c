/* Unit tests: gatekeeper.yaml parsing, located errors, plugin sections. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "config.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

static int parse(struct gk_config *c, const char *text)
{
	gk_config_init(c);
	return gk_config_parse(c, "gatekeeper.yaml", text, strlen(text));
}

static void settings_are_read(void **state)
{
	struct gk_config c;
	const char *text = "scan:\n"
			   "  exclude: [\"tests/\", \"*.min.js\"]\n"
			   "  max_file_size: 2MB\n"
			   "  plugins: secret\n"
			   "reports:\n"
			   "  trivy: [a.json, b.json]\n";

	(void)state;
	assert_int_equal(parse(&c, text), 0);
	assert_int_equal(c.exclude.n, 2);
	assert_string_equal(c.exclude.v[1], "*.min.js");
	assert_int_equal(c.max_file_size, 2 * 1024 * 1024);
	assert_int_equal(c.plugins.n, 1);
	assert_string_equal(c.plugins.v[0], "secret");
	assert_int_equal(c.trivy_reports.n, 2);
	assert_int_equal(c.grype_reports.n, 0);
	gk_config_release(&c);
}

static void defaults_without_keys(void **state)
{
	struct gk_config c;

	(void)state;
	assert_int_equal(parse(&c, ""), 0);
	assert_int_equal(c.max_file_size, GK_DEFAULT_MAX_FILE_SIZE);
	assert_int_equal(c.exclude.n, 0);
	gk_config_release(&c);
	/* An explicit empty document is empty too. */
	assert_int_equal(parse(&c, "---\n...\n"), 0);
	assert_int_equal(c.exclude.n, 0);
	gk_config_release(&c);
	assert_int_equal(parse(&c, "# only a comment\n"), 0);
	gk_config_release(&c);
}

static const char *const broken[] = {
	"scan:\n  exclude: [a, b\n",        /* unterminated flow list */
	"scan: [1, 2]\n",                   /* scan must be a mapping */
	"scan:\n  max_file_size: huge\n",
	"scan:\n  exclude: {a: 1}\n",
	"- just\n- a list\n",
	"a: &x [*x]\n",                     /* alias to an open anchor */
	"key: value\n\tbad: tab\n",
};

static void broken_documents_fail(void **state)
{
	size_t i;

	(void)state;
	gk_log_set_level(-1); /* the messages are expected */
	for (i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		struct gk_config c;

		if (parse(&c, broken[i]) != -1)
			fail_msg("case %zu parsed: %s", i, broken[i]);
		gk_config_release(&c);
	}
	gk_log_set_level(GK_LOG_WARN);
}

static void error_names_line_and_column(void **state)
{
	char err[256];
	struct gk_ynode *n;

	(void)state;
	n = gk_ydoc_parse("g.yaml", "a: 1\nb: [x,\n", 12, err, sizeof(err));
	assert_null(n);
	assert_non_null(strstr(err, "'g.yaml' line 3 column 1"));
}

static void deep_nesting_is_bounded(void **state)
{
	char text[4096], err[256];
	struct gk_ynode *n;
	size_t i;

	(void)state;
	for (i = 0; i < 1000; i++)
		text[i] = '[';
	text[i] = '\0';
	n = gk_ydoc_parse("deep.yaml", text, strlen(text), err, sizeof(err));
	assert_null(n);
	assert_non_null(strstr(err, "nesting too deep"));
}

static void plugin_section_becomes_json(void **state)
{
	struct gk_config c;
	char *json;

	(void)state;
	assert_int_equal(parse(&c, "secret:\n  entropy: 3.5\n  off: [a]\n"
				   "  name: 'x'\n  flag: true\n"), 0);
	json = gk_config_plugin_json(&c, "secret", "/r");
	assert_string_equal(json, "{\"entropy\":3.5,\"off\":[\"a\"],"
				  "\"name\":\"x\",\"flag\":true,"
				  "\"rules_dir\":\"/r\"}");
	free(json);
	json = gk_config_plugin_json(&c, "container", NULL);
	assert_string_equal(json, "{}");
	free(json);
	gk_config_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(settings_are_read),
		cmocka_unit_test(defaults_without_keys),
		cmocka_unit_test(broken_documents_fail),
		cmocka_unit_test(error_names_line_and_column),
		cmocka_unit_test(deep_nesting_is_bounded),
		cmocka_unit_test(plugin_section_becomes_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
