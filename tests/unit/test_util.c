/* Unit tests: globs, sizes, bounded buffers, SHA-256. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	const char *pattern, *path;
	int match;
} glob_cases[] = {
	{ "*.txt", "a.txt", 1 },
	{ "*.txt", "dir/sub/a.txt", 1 },     /* no slash: any component */
	{ "*.txt", "a.txt.bak", 0 },
	{ "tests/fixtures/", "tests/fixtures/a/b.json", 1 },
	{ "tests/fixtures/", "tests/fixtures2/a", 0 },
	{ "src/*.c", "src/a.c", 1 },
	{ "src/*.c", "src/x/a.c", 0 },          /* '*' stays in one level */
	{ "src/**/*.c", "src/x/y/a.c", 1 },
	{ "src/**/*.c", "src/a.c", 1 },         /* '**' may be empty */
	{ "**/node_modules/**", "a/node_modules/b/c.js", 1 },
	{ "/top.txt", "top.txt", 1 },
	{ "/top.txt", "sub/top.txt", 0 },
	{ "file?.md", "file1.md", 1 },
	{ "file?.md", "file10.md", 0 },
	{ "[ab].c", "b.c", 1 },
	{ "[!ab].c", "b.c", 0 },
	{ "vendor", "vendor/lib/x.go", 1 },    /* a component named vendor */
	{ "*", "", 1 },
};

static void glob_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < GK_ARRAY_SIZE(glob_cases); i++) {
		int got = gk_glob_match(glob_cases[i].pattern,
					glob_cases[i].path);

		if (got != glob_cases[i].match)
			fail_msg("glob '%s' on '%s': got %d",
				 glob_cases[i].pattern, glob_cases[i].path, got);
	}
}

static void wildcard_crosses_slashes(void **state)
{
	(void)state;
	assert_true(gk_wildcard_match("aws-*", "aws-access-key-id"));
	assert_false(gk_wildcard_match("aws-*", "gcp-key"));
	assert_true(gk_wildcard_match("*", "a/b/c"));
}

static void glob_does_not_explode(void **state)
{
	/* A pathological pattern must finish quickly and not match. */
	(void)state;
	assert_false(gk_glob_match("**/**/**/**/**/**/**/**/**/**/**/x",
				   "a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/y"));
}

static const struct {
	const char *text;
	int64_t bytes;
} size_cases[] = {
	{ "10", 10 },           { "10MB", 10485760 }, { "512k", 524288 },
	{ "1 GiB", 1073741824 }, { "2KB", 2048 },     { "", -1 },
	{ "-5", -1 },           { "lots", -1 },       { "5XB", -1 },
};

static void size_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < GK_ARRAY_SIZE(size_cases); i++)
		assert_int_equal(gk_parse_size(size_cases[i].text),
				 size_cases[i].bytes);
}

static void buffer_cap_holds(void **state)
{
	struct gk_buf b;

	(void)state;
	gk_buf_init(&b, 8);
	assert_int_equal(gk_buf_adds(&b, "12345"), 0);
	assert_int_equal(gk_buf_adds(&b, "6789"), -1); /* would reach 9 */
	assert_string_equal(b.data, "12345");
	assert_int_equal(gk_buf_adds(&b, "678"), 0);
	assert_int_equal(b.len, 8);
	gk_buf_release(&b);
}

static void sha256_known_answer(void **state)
{
	char hex[65];

	(void)state;
	/* FIPS 180-2 example: SHA-256("abc"). */
	gk_sha256_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
				 "b00361a396177a9cb410ff61f20015ad");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(glob_table),
		cmocka_unit_test(wildcard_crosses_slashes),
		cmocka_unit_test(glob_does_not_explode),
		cmocka_unit_test(size_table),
		cmocka_unit_test(buffer_cap_holds),
		cmocka_unit_test(sha256_known_answer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
