/*
 * gitleaks configurations in the secret plugin: gitleaks' default
 * configuration loads whole and finds tokens built from each provider's
 * format; [extend] useDefault and disabledRules; allowlists; the RE2 to
 * PCRE2 translation.  Runs from the repository root.
 *
 * The host's TOML reader is compiled in, since plugin tests link no core
 * library: the tests feed the plugin what the host would.
 */
#include "../../../core/util.c"
#include "../../../core/toml.c"
#undef fail

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../../plugins/secret/secret.h"
#include "../../support/mock_host.h"

#define CORPUS "tests/fixtures/gitleaks/gitleaks.toml"
/* grep -c '^\[\[rules\]\]' tests/fixtures/gitleaks/gitleaks.toml */
#define CORPUS_RULES 222

static char cwd[4096];

/*
 * The plugin configuration for rules_dir <cwd>/rules and the TOML
 * documents given, the first extended by the others.  Caller frees.
 */
static char *config_for(const char *const *docs, size_t n)
{
	cJSON *cfg = cJSON_CreateObject(), *list;
	char err[256], dir[4200], *out;
	size_t i;

	snprintf(dir, sizeof(dir), "%s/rules", cwd);
	cJSON_AddStringToObject(cfg, "rules_dir", dir);
	list = cJSON_AddArrayToObject(cfg, "gitleaks");
	for (i = 0; i < n; i++) {
		cJSON *d = gk_toml_parse("t.toml", docs[i], strlen(docs[i]),
					 err, sizeof(err));

		if (!d)
			fail_msg("%s", err);
		cJSON_AddItemToArray(list, d);
	}
	out = cJSON_PrintUnformatted(cfg);
	cJSON_Delete(cfg);
	return out;
}

static char *config_one(const char *doc)
{
	return config_for(&doc, 1);
}

static int init_with(gk_host *h, const char *cfg, void **state)
{
	*state = NULL;
	return gk_plugin_entry()->init(h, mock_host_api(), cfg, state);
}

static void fini(void *state)
{
	if (state)
		gk_plugin_entry()->fini(state);
}

static int log_has(gk_host *h, const char *a, const char *b)
{
	const char *line;
	size_t i;

	for (i = 0; (line = mock_host_log_line(h, i)) != NULL; i++)
		if (strstr(line, a) && (!b || strstr(line, b)))
			return 1;
	return 0;
}

/* Scans text as path with state; the number of findings. */
static size_t scan_text(gk_host *h, void *state, const char *path,
			const char *text)
{
	mock_host_reset(h);
	assert_int_equal(mock_scan(gk_plugin_entry(), h, &state, NULL, path,
				   text, strlen(text)),
			 0);
	return mock_host_nfindings(h);
}

static size_t builtin_rules(void)
{
	char dir[4200], cfg[4300];
	gk_host *h = mock_host_new(NULL);
	void *st;
	size_t n;

	snprintf(dir, sizeof(dir), "%s/rules", cwd);
	snprintf(cfg, sizeof(cfg), "{\"rules_dir\": \"%s\"}", dir);
	assert_int_equal(init_with(h, cfg, &st), 0);
	n = mock_host_nrules(h);
	fini(st);
	mock_host_free(h);
	return n;
}

static void corpus_loads_every_rule(void **ts)
{
	char *data, *cfg;
	size_t len;
	gk_host *h = mock_host_new(NULL);
	void *st;

	(void)ts;
	assert_int_equal(gk_file_read(CORPUS, 1 << 22, &data, &len), 0);
	cfg = config_one(data);
	free(data);
	assert_int_equal(init_with(h, cfg, &st), 0);
	assert_int_equal(mock_host_nrules(h), CORPUS_RULES);
	assert_int_equal(mock_host_nlogs(h, GK_LOG_ERROR), 0);
	assert_int_equal(((struct secret_state *)st)->nerrors, 0);
	free(cfg);
	fini(st);
	mock_host_free(h);
}

struct positive {
	const char *rule;
	const char *text;
};

/* Tokens made up from each provider's documented shape. */
static const struct positive positives[] = {
	{ "github-pat", "token: ghp_Xq3vT9mK2pL8wR4nB7cY1zD6fH0jA5sE2gUi\n" },
	{ "aws-access-token", "id = AKIAQ7RXZT4W2YLNKP3D\n" },
	{ "gitlab-pat", "GITLAB=glpat-Rk8v2Nq5Tz1Lw7Yb4Xc9\n" },
	{ "slack-bot-token",
	  "url: xoxb-1234567890-9876543210-QwErTy7UiOp3AsDf\n" },
	{ "stripe-access-token",
	  "key = \"sk_live_4eC39HqLyjWDarjtT1zdp7dc\"\n" },
	{ "npm-access-token",
	  "//registry/:_authToken=npm_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8\n" },
};

static void corpus_rules_find_true_positives(void **ts)
{
	char *data, *cfg;
	size_t len, i;
	gk_host *h = mock_host_new(NULL);
	void *st;

	(void)ts;
	assert_int_equal(gk_file_read(CORPUS, 1 << 22, &data, &len), 0);
	cfg = config_one(data);
	free(data);
	assert_int_equal(init_with(h, cfg, &st), 0);
	for (i = 0; i < sizeof(positives) / sizeof(positives[0]); i++) {
		scan_text(h, st, "src/app.conf", positives[i].text);
		if (mock_host_count_rule(h, positives[i].rule) != 1)
			fail_msg("%s: %zu findings", positives[i].rule,
				 mock_host_count_rule(h, positives[i].rule));
	}

	/* The global allowlist of paths: lock files are not scanned. */
	assert_int_equal(scan_text(h, st, "web/package-lock.json",
				   positives[0].text), 0);
	free(cfg);
	fini(st);
	mock_host_free(h);
}

static const char own_rule[] =
	"[[rules]]\n"
	"id = \"acme-key\"\n"
	"description = \"Acme key\"\n"
	"regex = '''acme_key\\s*=\\s*\"([a-z0-9]{16})\"'''\n"
	"keywords = [\"acme_key\"]\n";

static void without_use_default_only_gitleaks_rules_run(void **ts)
{
	char *cfg = config_one(own_rule);
	gk_host *h = mock_host_new(NULL);
	void *st;

	(void)ts;
	assert_int_equal(init_with(h, cfg, &st), 0);
	assert_int_equal(mock_host_nrules(h), 1);
	assert_string_equal(mock_host_rule(h, 0)->id, "acme-key");
	assert_string_equal(mock_host_rule(h, 0)->title, "Acme key");
	assert_int_equal(scan_text(h, st, "a.txt",
				   "acme_key = \"k3j4h5g6f7d8s9a0\"\n"), 1);
	assert_string_equal(mock_host_finding(h, 0)->rule, "acme-key");
	assert_int_equal(mock_host_finding(h, 0)->column, 13);
	free(cfg);
	fini(st);
	mock_host_free(h);
}

static void use_default_adds_to_own_rules(void **ts)
{
	const char *docs[] = { "[extend]\nuseDefault = true\n", own_rule };
	char *cfg = config_for(docs, 2);
	gk_host *h = mock_host_new(NULL);
	size_t base = builtin_rules();
	void *st;

	(void)ts;
	assert_int_equal(init_with(h, cfg, &st), 0);
	assert_int_equal(mock_host_nrules(h), base + 1);
	free(cfg);
	fini(st);
	mock_host_free(h);
}

static void disabled_rules_remove_rules_by_id(void **ts)
{
	const char *doc = "[extend]\nuseDefault = true\n"
			  "disabledRules = [\"github-pat\"]\n";
	char *cfg = config_one(doc);
	gk_host *h = mock_host_new(NULL);
	size_t base = builtin_rules();
	void *st;

	(void)ts;
	assert_int_equal(init_with(h, cfg, &st), 0);
	assert_int_equal(mock_host_nrules(h), base - 1);
	scan_text(h, st, "a.txt", positives[0].text);
	assert_int_equal(mock_host_count_rule(h, "github-pat"), 0);
	free(cfg);
	fini(st);
	mock_host_free(h);
}

static void allowlist_only_config_keeps_defaults(void **ts)
{
	const char *doc = "[allowlist]\n"
			  "regexes = ['''^ghp_Xq3''']\n";
	char *cfg = config_one(doc);
	gk_host *h = mock_host_new(NULL);
	size_t base = builtin_rules();
	void *st;

	(void)ts;
	assert_int_equal(init_with(h, cfg, &st), 0);
	assert_int_equal(mock_host_nrules(h), base);
	assert_int_equal(scan_text(h, st, "a.txt", positives[0].text), 0);
	assert_int_equal(scan_text(h, st, "a.txt",
				   "t: ghp_Yq3vT9mK2pL8wR4nB7cY1zD6fH0jA5sE2gUi\n"),
			 1);
	free(cfg);
	fini(st);
	mock_host_free(h);
}

static void rule_without_regex_or_path_is_named(void **ts)
{
	const char *doc = "[[rules]]\nid = \"empty-rule\"\n"
			  "description = \"nothing to match\"\n";
	char *cfg = config_one(doc);
	gk_host *h = mock_host_new(NULL);
	void *st;

	(void)ts;
	assert_int_not_equal(init_with(h, cfg, &st), 0);
	assert_true(log_has(h, "rule 'empty-rule'", "needs a regex or a path"));
	free(cfg);
	mock_host_free(h);
}

static void bad_regex_is_named(void **ts)
{
	const char *doc = "[[rules]]\nid = \"broken\"\nregex = '''(abc'''\n";
	char *cfg = config_one(doc);
	gk_host *h = mock_host_new(NULL);
	void *st;

	(void)ts;
	assert_int_not_equal(init_with(h, cfg, &st), 0);
	assert_true(log_has(h, "rule 'broken'", "regex"));
	free(cfg);
	mock_host_free(h);
}

static void allowlist_regex_applies_to_the_secret(void **ts)
{
	const char *doc[] = {
		"[[rules]]\nid = \"acme-key\"\n"
		"regex = '''acme_key\\s*=\\s*\"([a-z0-9]{16})\"'''\n"
		"[[rules.allowlists]]\nregexes = ['''acme''', '''^0000''']\n",
	};
	char *cfg = config_for(doc, 1);
	gk_host *h = mock_host_new(NULL);
	void *st;

	(void)ts;
	assert_int_equal(init_with(h, cfg, &st), 0);
	/* "acme" is in the match but not in the secret: still reported. */
	assert_int_equal(scan_text(h, st, "a.txt",
				   "acme_key = \"k3j4h5g6f7d8s9a0\"\n"), 1);
	assert_int_equal(scan_text(h, st, "a.txt",
				   "acme_key = \"0000h5g6f7d8s9a0\"\n"), 0);
	free(cfg);
	fini(st);
	mock_host_free(h);
}

static void stopwords_match_the_whole_secret(void **ts)
{
	const char *doc[] = {
		"[[rules]]\nid = \"acme-key\"\n"
		"regex = '''acme_key\\s*=\\s*\"([a-z0-9]{16,20})\"'''\n"
		"[rules.allowlist]\nstopwords = [\"example0example0\"]\n",
	};
	char *cfg = config_for(doc, 1);
	gk_host *h = mock_host_new(NULL);
	void *st;

	(void)ts;
	assert_int_equal(init_with(h, cfg, &st), 0);
	assert_int_equal(scan_text(h, st, "a.txt",
				   "acme_key = \"example0example0\"\n"), 0);
	assert_int_equal(scan_text(h, st, "a.txt",
				   "acme_key = \"example0example0k3j\"\n"), 1);
	free(cfg);
	fini(st);
	mock_host_free(h);
}

static const struct secret_rule *rule_of(void *st, const char *id)
{
	const struct secret_state *s = st;
	size_t i;

	for (i = 0; i < s->nrules; i++)
		if (strcmp(s->rules[i].id, id) == 0)
			return &s->rules[i];
	return NULL;
}

/* Match and line targets and AND are judged by secret_allowlisted(). */
static void match_line_and_and_allowlists(void **ts)
{
	const char *doc[] = {
		"[[rules]]\nid = \"k\"\nregex = '''key=(\\w+)'''\n"
		"[[rules.allowlists]]\nregexTarget = \"line\"\n"
		"regexes = ['''^# example''']\n"
		"[[rules.allowlists]]\nregexTarget = \"match\"\n"
		"regexes = ['''^key=test''']\n"
		"[[rules.allowlists]]\ncondition = \"AND\"\n"
		"paths = ['''\\.md$''']\nstopwords = [\"abc123\"]\n",
	};
	char *cfg = config_for(doc, 1);
	gk_host *h = mock_host_new(NULL);
	pcre2_match_data *md = pcre2_match_data_create(4, NULL);
	const struct secret_rule *r;
	struct secret_texts t = { "a.txt", (const unsigned char *)"abc123",
				  (const unsigned char *)"key=abc123",
				  (const unsigned char *)"x key=abc123", 6,
				  10, 12 };
	void *st;

	(void)ts;
	assert_int_equal(init_with(h, cfg, &st), 0);
	r = rule_of(st, "k");
	assert_non_null(r);
	assert_int_equal(r->nallowlists, 3);
	assert_int_equal(secret_allowlisted(r, &t, md, NULL), 0);
	t.path = "docs/a.md";
	assert_int_equal(secret_allowlisted(r, &t, md, NULL), 1);
	t.path = "a.txt";
	t.line = (const unsigned char *)"# example key=abc123";
	t.line_len = strlen((const char *)t.line);
	assert_int_equal(secret_allowlisted(r, &t, md, NULL), 1);
	t.line = (const unsigned char *)"x";
	t.line_len = 1;
	t.match = (const unsigned char *)"key=testing";
	t.match_len = 11;
	assert_int_equal(secret_allowlisted(r, &t, md, NULL), 1);
	/* And the scan applies them: only the third line is reported. */
	assert_int_equal(scan_text(h, st, "a.txt", "# example key=q1w2e3\n"
				   "key=testing9\nkey=r4t5y6\n"), 1);
	assert_int_equal(mock_host_finding(h, 0)->line, 3);
	assert_int_equal(scan_text(h, st, "docs/a.md", "key=abc123\n"), 0);
	assert_int_equal(scan_text(h, st, "docs/a.txt", "key=abc123\n"), 1);
	pcre2_match_data_free(md);
	free(cfg);
	fini(st);
	mock_host_free(h);
}

struct re_case {
	const char *re2;
	const char *pcre2; /* NULL: refused */
};

static const struct re_case re_cases[] = {
	{ "(?i)ab[c-e]+$", "(?i)ab[c-e]+$" },
	{ "a{,3}", "a\\{,3}" },
	{ "\\v\\x41\\x{20AC}", "\\x0b\\x41(?:\\xe2\\x82\\xac)" },
	{ "caf\xc3\xa9+", "caf(?:\xc3\xa9)+" },
	{ "[]a[.]", "[\\]a\\[.]" },
	{ "[[:alnum:]_]", "[[:alnum:]_]" },
	{ "\\Q*+\\E\\z", "\\Q*+\\E\\z" },
	{ "\\101\\0", "\\x41\\x00" },
	{ "(?P<n>x)\\s", "(?P<n>x)\\s" },
	{ "[\xc3\xa9]", NULL },
	{ "(a)\\1", NULL },
	{ "a\\Z", NULL },
	{ "a\\", NULL },
};

static void re2_is_translated_or_refused(void **ts)
{
	size_t i;

	(void)ts;
	for (i = 0; i < sizeof(re_cases) / sizeof(re_cases[0]); i++) {
		char err[128];
		char *out = secret_re2_to_pcre2(re_cases[i].re2, err,
						sizeof(err));

		if (!re_cases[i].pcre2) {
			if (out)
				fail_msg("case %zu: accepted as %s", i, out);
			continue;
		}
		if (!out || strcmp(out, re_cases[i].pcre2) != 0)
			fail_msg("case %zu: got %s (%s)", i, out ? out : "-",
				 out ? "" : err);
		free(out);
	}
}

static void dollar_ends_only_the_text(void **ts)
{
	const char *doc[] = {
		"[[rules]]\nid = \"tail\"\n"
		"regex = '''tok_([a-z0-9]{12})$'''\n",
	};
	char *cfg = config_for(doc, 1);
	gk_host *h = mock_host_new(NULL);
	void *st;

	(void)ts;
	assert_int_equal(init_with(h, cfg, &st), 0);
	/* As in Go: $ is the end of the text, not of each line. */
	assert_int_equal(scan_text(h, st, "a", "tok_a1b2c3d4e5f6\nmore\n"),
			 0);
	assert_int_equal(scan_text(h, st, "a", "x\ntok_a1b2c3d4e5f6"), 1);
	free(cfg);
	fini(st);
	mock_host_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(corpus_loads_every_rule),
		cmocka_unit_test(corpus_rules_find_true_positives),
		cmocka_unit_test(without_use_default_only_gitleaks_rules_run),
		cmocka_unit_test(use_default_adds_to_own_rules),
		cmocka_unit_test(disabled_rules_remove_rules_by_id),
		cmocka_unit_test(allowlist_only_config_keeps_defaults),
		cmocka_unit_test(rule_without_regex_or_path_is_named),
		cmocka_unit_test(bad_regex_is_named),
		cmocka_unit_test(allowlist_regex_applies_to_the_secret),
		cmocka_unit_test(stopwords_match_the_whole_secret),
		cmocka_unit_test(match_line_and_and_allowlists),
		cmocka_unit_test(re2_is_translated_or_refused),
		cmocka_unit_test(dollar_ends_only_the_text),
	};

	if (!getcwd(cwd, sizeof(cwd)))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
