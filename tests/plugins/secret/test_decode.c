/*
 * Decoding in the secret plugin: base64, hex and percent-encoded runs are
 * decoded and scanned, findings point at the encoded span, depth and size
 * are bounded, and binary or image data stays silent.  Runs from the
 * repository root.  Tokens are built here from a seeded generator, never
 * written out literally.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../support/mock_host.h"

const struct gk_plugin *gk_plugin_entry(void);

static char cwd[4096];
static uint32_t seed = 20250301u;

struct fixture {
	gk_host *h;
	void *state;
};

static int init_with(struct fixture *fx, const char *extra)
{
	char cfg[8192];

	snprintf(cfg, sizeof(cfg), "{\"rules_dir\": \"%s/rules\"%s}", cwd,
		 extra ? extra : "");
	fx->h = mock_host_new(cwd);
	return gk_plugin_entry()->init(fx->h, mock_host_api(), cfg,
				       &fx->state);
}

static int setup(void **ts)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	assert_int_equal(init_with(fx, NULL), 0);
	*ts = fx;
	return 0;
}

static int teardown(void **ts)
{
	struct fixture *fx = *ts;

	if (fx->state)
		gk_plugin_entry()->fini(fx->state);
	mock_host_free(fx->h);
	free(fx);
	return 0;
}

static size_t scan_str(struct fixture *fx, const char *s)
{
	mock_host_reset(fx->h);
	assert_int_equal(mock_scan(gk_plugin_entry(), fx->h, &fx->state, NULL,
				   "app.yaml", s, strlen(s)),
			 0);
	return mock_host_nfindings(fx->h);
}

static const struct mock_finding *finding(struct fixture *fx, size_t i)
{
	const struct mock_finding *m = mock_host_finding(fx->h, i);

	assert_non_null(m);
	return m;
}

/* ---- building test data ------------------------------------------ */

static uint32_t next_random(void)
{
	seed = seed * 1103515245u + 12345u;
	return seed >> 8;
}

/* Writes prefix and n random letters and digits into out. */
static void fake_token(char *out, const char *prefix, size_t n)
{
	static const char cs[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
				 "opqrstuvwxyz0123456789";
	size_t i, p = strlen(prefix);

	memcpy(out, prefix, p);
	for (i = 0; i < n; i++)
		out[p + i] = cs[next_random() % (sizeof(cs) - 1)];
	out[p + n] = '\0';
}

/* A GitHub-style personal token: the prefix and 36 characters. */
static void github_token(char *out)
{
	fake_token(out, "gh", 0);
	fake_token(out + 2, "p_", 36);
}

static void base64_of(const unsigned char *in, size_t n, char *out)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
				  "qrstuvwxyz0123456789+/";
	size_t i, o = 0;

	for (i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;

		v |= i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0;
		v |= i + 2 < n ? in[i + 2] : 0;
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = i + 1 < n ? b64[v >> 6 & 63] : '=';
		out[o++] = i + 2 < n ? b64[v & 63] : '=';
	}
	out[o] = '\0';
}

static void b64_str(const char *in, char *out)
{
	base64_of((const unsigned char *)in, strlen(in), out);
}

static void hex_str(const char *in, char *out)
{
	size_t i;

	for (i = 0; in[i]; i++)
		sprintf(out + 2 * i, "%02x", (unsigned char)in[i]);
	out[2 * strlen(in)] = '\0';
}

/* ---- tests ---------------------------------------------------------- */

static void base64_finding_points_at_the_encoded_span(void **ts)
{
	struct fixture *fx = *ts;
	char tok[64], plain[128], enc[256], text[512], hash[65];

	github_token(tok);
	snprintf(plain, sizeof(plain), "GITHUB_TOKEN=%s", tok);
	b64_str(plain, enc);
	snprintf(text, sizeof(text), "name: ci\nenv: %s\n", enc);
	assert_int_equal(scan_str(fx, text), 1);
	assert_string_equal(finding(fx, 0)->rule, "github-pat");
	assert_int_equal(finding(fx, 0)->line, 2);
	assert_int_equal(finding(fx, 0)->column, 6);
	assert_int_equal(finding(fx, 0)->end_line, 2);
	assert_int_equal(finding(fx, 0)->end_column, 5 + (int)strlen(enc));
	assert_string_equal(finding(fx, 0)->message,
			    "GitHub personal access token found "
			    "(base64-decoded)");
	assert_string_equal(finding(fx, 0)->fingerprint_key, tok);
	assert_string_equal(finding(fx, 0)->snippet, "ghp_***");
	mock_host_api()->sha256_hex(tok, strlen(tok), hash);
	assert_string_equal(finding(fx, 0)->secret_hash, hash);
}

static void hex_and_percent_runs_are_decoded(void **ts)
{
	struct fixture *fx = *ts;
	char tok[64], plain[128], enc[256], text[512];

	github_token(tok);
	snprintf(plain, sizeof(plain), "export GITHUB_TOKEN=%s", tok);
	hex_str(plain, enc);
	snprintf(text, sizeof(text), "blob = %s\n", enc);
	assert_int_equal(scan_str(fx, text), 1);
	assert_int_equal(finding(fx, 0)->column, 8);
	assert_int_equal(finding(fx, 0)->end_column, 7 + (int)strlen(enc));
	assert_non_null(strstr(finding(fx, 0)->message, "(hex-decoded)"));

	snprintf(text, sizeof(text),
		 "see https://ci.example/run?env=GITHUB_TOKEN%%3D%s%%26x%%3D1\n",
		 tok);
	assert_int_equal(scan_str(fx, text), 1);
	assert_string_equal(finding(fx, 0)->rule, "github-pat");
	assert_non_null(strstr(finding(fx, 0)->message, "(percent-decoded)"));
}

static void depth_is_bounded_and_configurable(void **ts)
{
	struct fixture *fx = *ts, fx0 = { 0 }, bad = { 0 };
	char tok[64], one[512], two[512], three[1024], text[2100];

	github_token(tok);
	b64_str(tok, one);
	b64_str(one, two);
	b64_str(two, three);
	snprintf(text, sizeof(text), "a: %s\nb: %s\nc: %s\n", one, two, three);
	assert_int_equal(scan_str(fx, text), 2);
	assert_int_equal(finding(fx, 0)->line, 1);
	assert_int_equal(finding(fx, 1)->line, 2);
	assert_non_null(strstr(finding(fx, 1)->message,
			       "(base64, base64-decoded)"));

	assert_int_equal(init_with(&fx0, ", \"decode_depth\": 0"), 0);
	mock_host_reset(fx0.h);
	assert_int_equal(mock_scan(gk_plugin_entry(), fx0.h, &fx0.state, NULL,
				   "a.yaml", text, strlen(text)),
			 0);
	assert_int_equal(mock_host_nfindings(fx0.h), 0);
	gk_plugin_entry()->fini(fx0.state);
	mock_host_free(fx0.h);

	assert_int_not_equal(init_with(&bad, ", \"decode_depth\": \"two\""), 0);
	mock_host_free(bad.h);
}

static void binary_and_image_data_stay_silent(void **ts)
{
	struct fixture *fx = *ts;
	unsigned char raw[3000];
	char *text = malloc(8192);
	size_t i;

	assert_non_null(text);
	for (i = 0; i < sizeof(raw); i++)
		raw[i] = (unsigned char)(next_random() & 0xff);
	memcpy(raw, "\x89PNG\r\n\x1a\n", 8);
	strcpy(text, "background: url(data:image/png;base64,");
	base64_of(raw, sizeof(raw), text + strlen(text));
	strcat(text, ");\n");
	assert_int_equal(scan_str(fx, text), 0);

	/* Random bytes as hex, and base64 of prose with no secret. */
	for (i = 0; i < 64; i++)
		sprintf(text + 2 * i, "%02x", raw[100 + i]);
	strcpy(text + 128, "\n");
	assert_int_equal(scan_str(fx, text), 0);
	strcpy(text, "doc: ");
	b64_str("the password is chosen by the user at first login",
		text + strlen(text));
	assert_int_equal(scan_str(fx, text), 0);
	free(text);
}

static void allow_comment_and_plain_findings_win(void **ts)
{
	struct fixture *fx = *ts;
	char tok[64], enc[256], text[512];

	github_token(tok);
	b64_str(tok, enc);
	snprintf(text, sizeof(text), "k: %s # gatekeeper:allow\n", enc);
	assert_int_equal(scan_str(fx, text), 0);

	/* The token is the plain finding; its encoded twin elsewhere on
	 * the line is a second one, at its own span. */
	snprintf(text, sizeof(text), "k: %s %s\n", tok, enc);
	assert_int_equal(scan_str(fx, text), 2);
	assert_null(strstr(finding(fx, 0)->message, "decoded"));
	assert_int_equal(finding(fx, 1)->column, 5 + (int)strlen(tok));
}

static void a_token_twice_is_reported_at_each_line(void **ts)
{
	struct fixture *fx = *ts;
	char tok[64], enc[256], text[1024];

	github_token(tok);
	b64_str(tok, enc);
	snprintf(text, sizeof(text), "a: %s\nfiller\nb: %s and %s\nc: %s\n"
		 "d: %s\n", tok, tok, tok, enc, enc);
	assert_int_equal(scan_str(fx, text), 5);
	assert_int_equal(finding(fx, 0)->line, 1);
	assert_int_equal(finding(fx, 1)->line, 3);
	assert_int_equal(finding(fx, 2)->line, 3);
	assert_true(finding(fx, 2)->column > finding(fx, 1)->column);
	assert_int_equal(finding(fx, 3)->line, 4);
	assert_int_equal(finding(fx, 4)->line, 5);
	assert_string_equal(finding(fx, 4)->fingerprint_key,
			    finding(fx, 0)->fingerprint_key);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* 4 MiB of base64 text lines, and one 4 MiB base64 line: both bounded. */
static void large_encoded_input_is_bounded(void **ts)
{
	struct fixture *fx = *ts;
	size_t size = 4u << 20, n = 0, i;
	char *text = malloc(size + 1), line[128];
	struct timespec t0;
	double s;

	assert_non_null(text);
	b64_str("password reset mail sent to the user, see docs", line);
	while (n + strlen(line) + 1 < size) {
		memcpy(text + n, line, strlen(line));
		n += strlen(line);
		text[n++] = '\n';
	}
	text[n] = '\0';
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(scan_str(fx, text), 0);
	for (i = 0; i < n; i++)
		if (text[i] == '\n')
			text[i] = 'Q';
	assert_int_equal(scan_str(fx, text), 0);
	s = seconds_since(&t0);
	print_message("8 MiB of base64 text: %.3f s\n", s);
	assert_true(s < 20.0);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			base64_finding_points_at_the_encoded_span, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			hex_and_percent_runs_are_decoded, setup, teardown),
		cmocka_unit_test_setup_teardown(
			depth_is_bounded_and_configurable, setup, teardown),
		cmocka_unit_test_setup_teardown(
			binary_and_image_data_stay_silent, setup, teardown),
		cmocka_unit_test_setup_teardown(
			allow_comment_and_plain_findings_win, setup, teardown),
		cmocka_unit_test_setup_teardown(
			a_token_twice_is_reported_at_each_line, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			large_encoded_input_is_bounded, setup, teardown),
	};

	if (!getcwd(cwd, sizeof(cwd)))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
