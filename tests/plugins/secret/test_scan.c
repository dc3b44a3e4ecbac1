/*
 * Scanning with the secret plugin: one true positive and one near miss per
 * rule (tests/fixtures/secret/cases.tsv), exact spans, redaction, hashes,
 * allow comments, generic de-duplication, allowlists and stopwords, odd
 * input.  Runs from the repository root.  No credential appears in this
 * file: tokens come from the fixtures, and expected values are digests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../support/fixture.h"
#include "../../support/mock_host.h"

const struct gk_plugin *gk_plugin_entry(void);

#define FIX "tests/fixtures/secret/"

static char cwd[4096];

struct fixture {
	gk_host *h;
	void *state;
};

static const char *config(const char *rel)
{
	static char buf[8192];

	snprintf(buf, sizeof(buf), "{\"rules_dir\": \"%s/%s\"}", cwd, rel);
	return buf;
}

static struct fixture *fixture_new(const char *rules)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	fx->h = mock_host_new(cwd);
	assert_int_equal(gk_plugin_entry()->init(fx->h, mock_host_api(),
						 config(rules), &fx->state),
			 0);
	return fx;
}

static int setup_real(void **ts)
{
	*ts = fixture_new("rules");
	return 0;
}

static int setup_custom(void **ts)
{
	*ts = fixture_new(FIX "rules-custom");
	return 0;
}

static int teardown(void **ts)
{
	struct fixture *fx = *ts;

	gk_plugin_entry()->fini(fx->state);
	mock_host_free(fx->h);
	free(fx);
	return 0;
}

/* Scans data as the file path; returns the number of findings. */
static size_t scan(struct fixture *fx, const char *path, const void *data,
		   size_t len)
{
	int rc;

	mock_host_reset(fx->h);
	rc = mock_scan(gk_plugin_entry(), fx->h, &fx->state, NULL, path, data,
		       len);
	assert_int_equal(rc, 0);
	return mock_host_nfindings(fx->h);
}

static size_t scan_str(struct fixture *fx, const char *path, const char *s)
{
	return scan(fx, path, s, strlen(s));
}

static const struct mock_finding *finding(struct fixture *fx, size_t i)
{
	const struct mock_finding *m = mock_host_finding(fx->h, i);

	assert_non_null(m);
	return m;
}

static void assert_span(const struct mock_finding *m, const char *rule,
			int line, int col, int end_col)
{
	assert_string_equal(m->rule, rule);
	assert_int_equal(m->line, line);
	assert_int_equal(m->end_line, line);
	assert_int_equal(m->column, col);
	assert_int_equal(m->end_column, end_col);
}

/* ---- the table of cases ------------------------------------------- */

#define MAX_TALLY 1024 /* more than the rules we ship */

struct tally {
	char rule[64];
	int hits, misses;
};

static struct tally *tally_of(struct tally *t, size_t *n, const char *rule)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp(t[i].rule, rule) == 0)
			return &t[i];
	snprintf(t[*n].rule, sizeof(t[*n].rule), "%s", rule);
	return &t[(*n)++];
}

/* Checks one case; prints and returns 1 when it does not hold. */
static int check_case(struct fixture *fx, const char *rule, const char *kind,
		      const char *path, char *text, int lineno)
{
	size_t len = fixture_unescape(text);
	size_t n = scan(fx, path, text, len);
	size_t i;

	if (strcmp(kind, "hit") == 0 &&
	    mock_host_count_rule(fx->h, rule) > 0)
		return 0;
	if (strcmp(kind, "miss") == 0 && n == 0)
		return 0;
	print_message("cases.tsv line %d: %s %s: %zu findings\n", lineno,
		      rule, kind, n);
	for (i = 0; i < n; i++)
		print_message("   found %s at %d:%d\n", finding(fx, i)->rule,
			      finding(fx, i)->line, finding(fx, i)->column);
	return 1;
}

static void every_rule_has_a_hit_and_a_miss(void **ts)
{
	struct fixture *fx = *ts;
	static struct tally t[MAX_TALLY];
	size_t ntally = 0, len, i;
	char *buf = fixture_read(FIX "cases.tsv", &len);
	char *line, *save = NULL;
	int failures = 0, lineno = 0;

	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[4], *s2 = NULL;

		lineno++;
		if (line[0] == '#')
			continue;
		f[0] = strtok_r(line, "\t", &s2);
		f[1] = strtok_r(NULL, "\t", &s2);
		f[2] = strtok_r(NULL, "\t", &s2);
		f[3] = strtok_r(NULL, "", &s2);
		assert_non_null(f[3]);
		failures += check_case(fx, f[0], f[1], f[2], f[3], lineno);
		assert_true(ntally < MAX_TALLY);
		tally_of(t, &ntally, f[0])->hits += f[1][0] == 'h';
		tally_of(t, &ntally, f[0])->misses += f[1][0] == 'm';
	}
	free(buf);

	for (i = 0; i < mock_host_nrules(fx->h); i++) {
		const char *id = mock_host_rule(fx->h, i)->id;
		struct tally *r;

		assert_true(ntally < MAX_TALLY);
		r = tally_of(t, &ntally, id);

		if (r->hits == 0 || r->misses == 0) {
			print_message("rule %s: %d hits, %d misses in table\n",
				      id, r->hits, r->misses);
			failures++;
		}
	}
	assert_int_equal(failures, 0);
}

/* ---- exact positions, redaction, hashes ---------------------------- */

/* sha256 of the fake token on line 2 of positions.env (sha256sum). */
static const char positions_hash[] =
	"15cb760e541bd64aad62c7338cabd243ee9dc9745a32f0a0b7439287fc563dc9";

static void spans_snippets_and_hashes_are_exact(void **ts)
{
	struct fixture *fx = *ts;
	unsigned char *buf;
	size_t len;

	buf = (unsigned char *)fixture_read(FIX "positions.env", &len);
	assert_int_equal(scan(fx, "positions.env", buf, len), 4);

	/* Line 2: GITHUB_TOKEN=<token>; the generic rule is dropped. */
	assert_span(finding(fx, 0), "github-pat", 2, 14, 53);
	assert_string_equal(finding(fx, 0)->snippet, "ghp_***");
	assert_string_equal(finding(fx, 0)->secret_hash, positions_hash);
	assert_int_equal(finding(fx, 0)->severity, GK_SEV_HIGH);
	assert_string_equal(finding(fx, 0)->message,
			    "GitHub personal access token found");
	assert_memory_equal(finding(fx, 0)->fingerprint_key, buf + 67,
			    40);

	assert_span(finding(fx, 1), "aws-access-key-id", 3, 26, 45);
	assert_string_equal(finding(fx, 1)->snippet, "AKIA***");
	assert_string_equal(
		finding(fx, 1)->secret_hash,
		"99d15b09db622929fce476e36c081d3cacf63c30b931bcfa515d7f5265ac1219");

	/* Lines 4 and 5 carry allow comments.  Line 6 repeats line 2's
	 * token: a second finding with the same key and hash. */
	assert_span(finding(fx, 2), "github-pat", 6, 3, 42);
	assert_string_equal(finding(fx, 2)->secret_hash, positions_hash);
	assert_string_equal(finding(fx, 2)->fingerprint_key,
			    finding(fx, 0)->fingerprint_key);

	/* Line 8 is the last line and has no newline. */
	assert_span(finding(fx, 3), "huggingface-token", 8, 6, 42);
	assert_string_equal(finding(fx, 3)->snippet, "hf_h***");
	assert_int_equal(mock_host_count_rule(fx->h, "generic-secret"), 0);
	assert_int_equal(mock_host_count_rule(fx->h, "stripe-live-secret-key"),
			 0);
	free(buf);
}

static void messages_never_hold_the_secret(void **ts)
{
	struct fixture *fx = *ts;
	unsigned char *buf;
	size_t len, i, n;

	buf = (unsigned char *)fixture_read(FIX "positions.env", &len);
	n = scan(fx, "positions.env", buf, len);
	for (i = 0; i < n; i++) {
		const struct mock_finding *m = finding(fx, i);

		assert_null(strstr(m->message, m->fingerprint_key));
		assert_null(strstr(m->title, m->fingerprint_key));
		assert_null(strstr(m->snippet, m->fingerprint_key));
		assert_null(m->extra_json);
	}
	free(buf);
}

static void short_secrets_show_fewer_characters(void **ts)
{
	struct fixture *fx = *ts;

	(void)fx;
	assert_int_equal(scan_str(fx, "a.py", "prod_key = \"Zq8Xw3L\"\n"), 0);
	assert_int_equal(scan_str(fx, "a.py", "prod_key = \"Zq8Xw3Lk\"\n"),
			 1);
	assert_string_equal(finding(fx, 0)->snippet, "Zq8X***");
	assert_int_equal(scan_str(fx, "a.py", "QQ123456QQ\n"), 1);
	assert_string_equal(finding(fx, 0)->snippet, "123***");
}

static void trivy_fixture_token_is_found(void **ts)
{
	struct fixture *fx = *ts;
	unsigned char *buf;
	size_t len;

	buf = (unsigned char *)fixture_read(FIX "trivy-secrets.repo.json", &len);
	scan(fx, "trivy-secrets.repo.json", buf, len);
	assert_int_equal(mock_host_count_rule(fx->h, "github-pat"), 2);
	assert_span(finding(fx, 0), "github-pat", 78, 47, 86);
	/* printf %s ghp_0123...XYZ | sha256sum */
	assert_string_equal(
		finding(fx, 0)->secret_hash,
		"cfba07816b54a55152bc4bae1d943bb7f0bea83426665a4ef26a0f664d7064a3");
	assert_int_equal(finding(fx, 1)->line, 82);
	free(buf);
}

/* ---- rules of tests/fixtures/secret/rules-custom ---------------------- */

static void allowlist_applies_to_the_secret_not_the_key(void **ts)
{
	struct fixture *fx = *ts;

	assert_int_equal(scan_str(fx, "a.py", "demo_key = \"Zq8Xw3Lk9Pv2\"\n"),
			 1);
	assert_string_equal(finding(fx, 0)->rule, "custom-key");
	assert_int_equal(scan_str(fx, "a.py", "prod_key = \"demoZq8Xw3Lk\"\n"),
			 0);
}

static void stopword_needs_the_whole_secret(void **ts)
{
	struct fixture *fx = *ts;

	assert_int_equal(scan_str(fx, "a.py", "prod_key = \"changeme\"\n"), 0);
	assert_int_equal(scan_str(fx, "a.py", "prod_key = \"CHANGE_ME\"\n"),
			 0);
	assert_int_equal(
		scan_str(fx, "a.py", "prod_key = \"k9QchangemeZ2\"\n"), 1);
}

static void path_scoped_rule_needs_its_path(void **ts)
{
	struct fixture *fx = *ts;

	assert_int_equal(scan_str(fx, "app.cfg", "x scoped_ab12cd34ef\n"), 1);
	assert_int_equal(scan_str(fx, "app.txt", "x scoped_ab12cd34ef\n"), 0);
}

static void unkeyed_rule_scans_the_whole_file(void **ts)
{
	struct fixture *fx = *ts;

	assert_int_equal(scan_str(fx, "a", "a\nQQ111111QQ\nb QQ222222QQ"), 2);
	assert_int_equal(finding(fx, 1)->line, 3);
	assert_int_equal(finding(fx, 1)->column, 5);
	assert_int_equal(scan_str(fx, "a", "QQ333333QQ # gatekeeper:allow\n"),
			 0);
}

/* ---- odd input ------------------------------------------------------ */

/* A token of the positions fixture, copied out of it. */
static void fixture_token(char *out, size_t line_off, size_t len)
{
	size_t flen;
	unsigned char *buf = (unsigned char *)fixture_read(FIX "positions.env", &flen);

	memcpy(out, buf + line_off, len);
	out[len] = '\0';
	free(buf);
}

static void non_utf8_bytes_do_not_break_scanning(void **ts)
{
	struct fixture *fx = *ts;
	unsigned char data[4096];
	char tok[64];
	size_t i, n = 0;

	fixture_token(tok, 67, 40);
	for (i = 0; i < 1000; i++)
		data[n++] = (unsigned char)(0x80 + (i * 37) % 0x7f);
	data[n++] = 0xff;
	memcpy(data + n, tok, 40);
	n += 40;
	data[n++] = 0xc3;
	for (i = 0; i < 500; i++)
		data[n++] = (unsigned char)(0x80 + (i * 11) % 0x7f);
	assert_int_equal(scan(fx, "bin.txt", data, n), 1);
	assert_string_equal(finding(fx, 0)->rule, "github-pat");
	assert_int_equal(finding(fx, 0)->column, 1002);
}

static void binary_files_are_declined(void **ts)
{
	struct fixture *fx = *ts;
	static const char data[] = "abc\0def";
	int rc;

	mock_host_reset(fx->h);
	rc = mock_scan(gk_plugin_entry(), fx->h, &fx->state, NULL, "a.bin",
		       data, sizeof(data));
	assert_int_equal(rc, 1);
	assert_int_equal(scan(fx, "keys/client.pfx", data, sizeof(data)), 1);
	assert_string_equal(finding(fx, 0)->rule, "pkcs12-file");
	assert_int_equal(finding(fx, 0)->line, 0);
	assert_int_equal(scan(fx, "empty.txt", "", 0), 0);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* A line of 1 MiB: prefix, then the filler pattern repeated. */
static double time_long_line(struct fixture *fx, const char *prefix,
			     const char *fill)
{
	size_t size = 1u << 20, plen = strlen(prefix), flen = strlen(fill);
	char *buf = malloc(size);
	struct timespec t0;
	size_t i;

	assert_non_null(buf);
	memcpy(buf, prefix, plen);
	for (i = plen; i < size; i++)
		buf[i] = fill[(i - plen) % flen];
	clock_gettime(CLOCK_MONOTONIC, &t0);
	scan(fx, "long.txt", buf, size);
	free(buf);
	return seconds_since(&t0);
}

static void megabyte_lines_do_not_hang(void **ts)
{
	static const char *const cases[][2] = {
		{ "", "ghp_" },
		{ "token = ", "a" },
		{ "password=", "password=Ab1" },
		{ "-----BEGIN RSA PRIVATE KEY-----", "QUJD" },
		{ "", "eyJhbGc." },
		{ "postgres://", "u:p" },
		{ "heroku ", "0123abcd-" },
		{ "", "-----BEGIN OPENSSH PRIVATE KEY----- " },
	};
	struct fixture *fx = *ts;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double s = time_long_line(fx, cases[i][0], cases[i][1]);

		print_message("1 MiB line '%s%s...': %.3f s\n", cases[i][0],
			      cases[i][1], s);
		assert_true(s < 10.0);
	}
}

/* Lines of ordinary code, some with the words the keywords look for. */
static const char *const source_lines[] = {
	"static int parse_token(struct lexer *lx, const char *password)\n",
	"{\n",
	"\tif (lx->pos >= lx->len) /* the secret is never logged */\n",
	"\t\treturn -1;\n",
	"\tconst char *api_key = getenv(\"API_KEY\");\n",
	"\tfor (size_t i = 0; i < n; i++) sum += tokens[i].weight * 3;\n",
	"\t/* aws region and heroku app names are configured elsewhere */\n",
	"\tmemcpy(buf, src, sizeof(buf)); // see RFC 7519 for eyJ parts\n",
	"}\n",
	"\n",
};

#if defined(__SANITIZE_ADDRESS__)
#define TIME_BUDGET 10.0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TIME_BUDGET 10.0
#endif
#endif
#ifndef TIME_BUDGET
#define TIME_BUDGET 1.0
#endif

static void ten_megabytes_of_source_scan_quickly(void **ts)
{
	struct fixture *fx = *ts;
	size_t size = 10u << 20, n = 0, i = 0;
	char *buf = malloc(size);
	struct timespec t0;
	double s;

	assert_non_null(buf);
	while (n < size) {
		const char *l = source_lines[i++ % 10];
		size_t len = strlen(l);

		len = len < size - n ? len : size - n;
		memcpy(buf + n, l, len);
		n += len;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(scan(fx, "big.c", buf, size), 0);
	s = seconds_since(&t0);
	print_message("10 MiB of source: %.3f s\n", s);
	assert_true(s < TIME_BUDGET);
	free(buf);
}

struct worker {
	struct fixture *fx;
	const unsigned char *data;
	size_t len;
	int rc;
};

static void *scan_many(void *arg)
{
	struct worker *w = arg;
	struct gk_file file = { "positions.env", w->data, w->len,
				GK_ORIGIN_WORKTREE, NULL };
	int i;

	for (i = 0; i < 50 && w->rc == 0; i++)
		w->rc = gk_plugin_entry()->scan_file(w->fx->state, &file);
	return NULL;
}

static void scan_file_runs_on_many_threads(void **ts)
{
	struct fixture *fx = *ts;
	struct worker w[4];
	pthread_t th[4];
	unsigned char *buf;
	size_t len, i;

	buf = (unsigned char *)fixture_read(FIX "positions.env", &len);
	mock_host_reset(fx->h);
	for (i = 0; i < 4; i++) {
		w[i] = (struct worker){ fx, buf, len, 0 };
		assert_int_equal(pthread_create(&th[i], NULL, scan_many, &w[i]),
				 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(w[i].rc, 0);
	}
	assert_int_equal(mock_host_nfindings(fx->h), 4 * 50 * 4);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(every_rule_has_a_hit_and_a_miss,
						setup_real, teardown),
		cmocka_unit_test_setup_teardown(
			spans_snippets_and_hashes_are_exact, setup_real,
			teardown),
		cmocka_unit_test_setup_teardown(messages_never_hold_the_secret,
						setup_real, teardown),
		cmocka_unit_test_setup_teardown(trivy_fixture_token_is_found,
						setup_real, teardown),
		cmocka_unit_test_setup_teardown(
			non_utf8_bytes_do_not_break_scanning, setup_real,
			teardown),
		cmocka_unit_test_setup_teardown(binary_files_are_declined,
						setup_real, teardown),
		cmocka_unit_test_setup_teardown(megabyte_lines_do_not_hang,
						setup_real, teardown),
		cmocka_unit_test_setup_teardown(
			ten_megabytes_of_source_scan_quickly, setup_real,
			teardown),
		cmocka_unit_test_setup_teardown(scan_file_runs_on_many_threads,
						setup_real, teardown),
		cmocka_unit_test_setup_teardown(
			short_secrets_show_fewer_characters, setup_custom,
			teardown),
		cmocka_unit_test_setup_teardown(
			allowlist_applies_to_the_secret_not_the_key,
			setup_custom, teardown),
		cmocka_unit_test_setup_teardown(stopword_needs_the_whole_secret,
						setup_custom, teardown),
		cmocka_unit_test_setup_teardown(path_scoped_rule_needs_its_path,
						setup_custom, teardown),
		cmocka_unit_test_setup_teardown(
			unkeyed_rule_scans_the_whole_file, setup_custom,
			teardown),
	};

	if (!getcwd(cwd, sizeof(cwd)))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
