/*
 * The two keyword searches of the secret plugin, builtin and vectorscan
 * ("prefilter" in the configuration), find the same: every case of
 * tests/fixtures/secret/cases.tsv and tests/accuracy/corpus.tsv, and
 * texts made to stress the order of hits (many keywords on one line,
 * overlapping keywords, mixed case, more secrets than a file reports),
 * give the same findings, field by field and in the same order, and the
 * same log lines.  Runs from the repository root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../support/fixture.h"
#include "../../support/mock_host.h"

const struct gk_plugin *gk_plugin_entry(void);

static char cwd[4096];

/* One plugin instance per search, each with its own mock host. */
struct pair {
	gk_host *h[2];
	void *state[2];
	size_t compared, findings;
};

static const char *const engines[2] = { "builtin", "vectorscan" };

static int init_engine(struct pair *p, int i)
{
	char cfg[8192];

	snprintf(cfg, sizeof(cfg),
		 "{\"rules_dir\": \"%s/rules\", \"prefilter\": \"%s\"}", cwd,
		 engines[i]);
	p->h[i] = mock_host_new(cwd);
	return gk_plugin_entry()->init(p->h[i], mock_host_api(), cfg,
				       &p->state[i]);
}

static int setup(void **ts)
{
	struct pair *p = calloc(1, sizeof(*p));

	assert_non_null(p);
	*ts = p;
	assert_int_equal(init_engine(p, 0), 0);
	return init_engine(p, 1);
}

static int teardown(void **ts)
{
	struct pair *p = *ts;
	int i;

	for (i = 0; i < 2; i++) {
		if (p->state[i])
			gk_plugin_entry()->fini(p->state[i]);
		mock_host_free(p->h[i]);
	}
	free(p);
	return 0;
}

static void same_string(const char *a, const char *b, const char *what)
{
	if (!a || !b) {
		assert_ptr_equal(a, b);
		return;
	}
	if (strcmp(a, b) != 0)
		print_message("%s differs: '%s' against '%s'\n", what, a, b);
	assert_string_equal(a, b);
}

static void same_finding(const struct mock_finding *a,
			 const struct mock_finding *b)
{
	same_string(a->rule, b->rule, "rule");
	same_string(a->message, b->message, "message");
	same_string(a->snippet, b->snippet, "snippet");
	same_string(a->secret_hash, b->secret_hash, "hash");
	same_string(a->fingerprint_key, b->fingerprint_key, "key");
	assert_int_equal(a->line, b->line);
	assert_int_equal(a->column, b->column);
	assert_int_equal(a->end_line, b->end_line);
	assert_int_equal(a->end_column, b->end_column);
}

/* Scans data with both searches and asserts the same outcome. */
static void compare(struct pair *p, const char *path, const void *data,
		    size_t len)
{
	size_t i, n;
	int rc[2], e;

	for (e = 0; e < 2; e++) {
		mock_host_reset(p->h[e]);
		rc[e] = mock_scan(gk_plugin_entry(), p->h[e], &p->state[e],
				  NULL, path, data, len);
	}
	assert_int_equal(rc[0], rc[1]);
	n = mock_host_nfindings(p->h[0]);
	if (n != mock_host_nfindings(p->h[1]))
		print_message("'%s': %zu findings against %zu\n", path, n,
			      mock_host_nfindings(p->h[1]));
	assert_int_equal(n, mock_host_nfindings(p->h[1]));
	for (i = 0; i < n; i++)
		same_finding(mock_host_finding(p->h[0], i),
			     mock_host_finding(p->h[1], i));
	for (i = 0; mock_host_log_line(p->h[0], i); i++)
		same_string(mock_host_log_line(p->h[0], i),
			    mock_host_log_line(p->h[1], i), "log line");
	assert_null(mock_host_log_line(p->h[1], i));
	p->compared++;
	p->findings += n;
}

/*
 * Compares every row of a .tsv file: path in column path_col, escaped
 * text in the last column (text_col).  Also compares the whole file.
 */
static void compare_tsv(struct pair *p, const char *file, int path_col,
			int text_col)
{
	size_t len;
	char *buf = fixture_read(file, &len), *line, *save = NULL;

	compare(p, file, buf, len);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[8] = { 0 }, *s2 = NULL;
		int i;

		if (line[0] == '#')
			continue;
		for (i = 0; i < text_col; i++)
			f[i] = strtok_r(i ? NULL : line, "\t", &s2);
		f[text_col] = strtok_r(NULL, "", &s2);
		if (!f[path_col] || !f[text_col])
			continue;
		compare(p, f[path_col], f[text_col], fixture_unescape(f[text_col]));
	}
	free(buf);
}

static void fixture_cases_agree(void **ts)
{
	struct pair *p = *ts;

	compare_tsv(p, "tests/fixtures/secret/cases.tsv", 2, 3);
	print_message("%zu scans, %zu findings\n", p->compared, p->findings);
	assert_true(p->findings > 500);
}

static void accuracy_corpus_agrees(void **ts)
{
	struct pair *p = *ts;

	compare_tsv(p, "tests/accuracy/corpus.tsv", 3, 4);
	print_message("%zu scans, %zu findings\n", p->compared, p->findings);
	assert_true(p->findings > 500);
}

/* Keywords alone, in mixed case, overlapping, at the edges of a text. */
static const char *const keyword_texts[] = {
	"ApI_KeY ApIkEy aPi-KeY tokentokentoken secretsecret passwd\n",
	"x\n\n\nkey\n", "ke", "key", "\nsecret", "token\r\npassword\r\n",
	"-----BEGIN RSA PRIVATE KEY-----\n-----END RSA PRIVATE KEY-----\n",
};

static void keyword_texts_agree(void **ts)
{
	struct pair *p = *ts;
	size_t i;

	for (i = 0; i < sizeof(keyword_texts) / sizeof(*keyword_texts); i++)
		compare(p, "words.txt", keyword_texts[i],
			strlen(keyword_texts[i]));
}

/*
 * Every case of cases.tsv on one line, then with a line each: many rules
 * hit one line, in an order the searches must agree on.
 */
static void all_cases_on_one_line_agree(void **ts)
{
	struct pair *p = *ts;
	size_t len, n = 0, k;
	char *buf = fixture_read("tests/fixtures/secret/cases.tsv", &len);
	char *out = malloc(len + 1), *line, *save = NULL;
	int sep;

	assert_non_null(out);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *text = strrchr(line, '\t');

		if (line[0] == '#' || !text)
			continue;
		k = fixture_unescape(text + 1);
		memcpy(out + n, text + 1, k);
		n += k;
		out[n++] = ' ';
	}
	for (sep = 0; sep < 2; sep++) {
		for (k = 0; k < n; k++)
			if (out[k] == (sep ? ' ' : '\n'))
				out[k] = sep ? '\n' : ' ';
		compare(p, "all.txt", out, n);
	}
	print_message("%zu findings\n", p->findings);
	assert_true(p->findings > 200);
	free(out);
	free(buf);
}

/* Lines of several secrets, repeated past the findings limit of a file. */
static void the_findings_limit_cuts_at_the_same_place(void **ts)
{
	struct pair *p = *ts;
	size_t n = 0, size = 2u << 20, i;
	char *buf = malloc(size);

	assert_non_null(buf);
	for (i = 0; n + 300 < size; i++)
		n += (size_t)sprintf(buf + n,
				     "password=Xq%06zuLm9 token=ghp_%06zu"
				     "abcdefghijklmnopqrstuvwxyz1234 "
				     "api_key=Vb7%06zuPw3Kd\n",
				     i, i, i);
	compare(p, "many.env", buf, n);
	assert_true(mock_host_nlogs(p->h[0], GK_LOG_WARN) > 0);
	assert_non_null(strstr(mock_host_log_line(p->h[0], 0),
			       "more than 10000 secrets"));
	free(buf);
}

static void a_bad_prefilter_value_refuses_to_start(void **ts)
{
	gk_host *h = mock_host_new(cwd);
	void *state = NULL;
	char cfg[8192];

	(void)ts;
	snprintf(cfg, sizeof(cfg),
		 "{\"rules_dir\": \"%s/rules\", \"prefilter\": \"fast\"}",
		 cwd);
	assert_int_not_equal(gk_plugin_entry()->init(h, mock_host_api(), cfg,
						     &state),
			     0);
	assert_non_null(strstr(mock_host_log_line(h, 0),
			       "'prefilter' must be auto, builtin or "
			       "vectorscan"));
	mock_host_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_bad_prefilter_value_refuses_to_start),
		cmocka_unit_test_setup_teardown(fixture_cases_agree, setup,
						teardown),
		cmocka_unit_test_setup_teardown(accuracy_corpus_agrees, setup,
						teardown),
		cmocka_unit_test_setup_teardown(keyword_texts_agree, setup,
						teardown),
		cmocka_unit_test_setup_teardown(all_cases_on_one_line_agree,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			the_findings_limit_cuts_at_the_same_place, setup,
			teardown),
	};

	if (!getcwd(cwd, sizeof(cwd)))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
