/*
 * Unit tests: the TOML reader.  Valid documents against the exact JSON
 * they become; invalid ones against the exact located message; the whole
 * of gitleaks' default configuration.  Runs from the repository root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "toml.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CORPUS "tests/fixtures/gitleaks/gitleaks.toml"
/* grep -c '^\[\[rules\]\]' tests/fixtures/gitleaks/gitleaks.toml */
#define CORPUS_RULES 222

struct valid_case {
	const char *toml;
	const char *json;
};

static const struct valid_case valid[] = {
	{ "", "{}" },
	{ "# only a comment\n\n", "{}" },
	{ "a = 1\nb = \"two\"\r\nc = true", "{\"a\":1,\"b\":\"two\",\"c\":true}" },
	{ "a.b.c = 1\na.b.d = 2", "{\"a\":{\"b\":{\"c\":1,\"d\":2}}}" },
	{ "\"q.k\" = 1\n'lit k' = 2\n\"\" = 3",
	  "{\"q.k\":1,\"lit k\":2,\"\":3}" },
	{ " a . \"b\" = 1", "{\"a\":{\"b\":1}}" },
	{ "[t]\nx = 1\n[t.u]\ny = 2", "{\"t\":{\"x\":1,\"u\":{\"y\":2}}}" },
	{ "[a.b]\n[a]\nc = 1", "{\"a\":{\"b\":{},\"c\":1}}" },
	{ "[[r]]\nid = 1\n[[r]]\nid = 2\n[r.sub]\nz = 3",
	  "{\"r\":[{\"id\":1},{\"id\":2,\"sub\":{\"z\":3}}]}" },
	{ "[[r]]\n[[r.al]]\nx = 1\n[[r.al]]\n[[r]]",
	  "{\"r\":[{\"al\":[{\"x\":1},{}]},{}]}" },
	{ "[f]\napple.color = 1\n[f.apple.texture]\ns = 2",
	  "{\"f\":{\"apple\":{\"color\":1,\"texture\":{\"s\":2}}}}" },
	{ "s = \"tab\\t nl\\n q\\\" bs\\\\ u\\u00e9 U\\U0001F600\"",
	  "{\"s\":\"tab\\t nl\\n q\\\" bs\\\\ u\xc3\xa9 U\xf0\x9f\x98\x80\"}" },
	{ "s = 'C:\\dir\\\"x'", "{\"s\":\"C:\\\\dir\\\\\\\"x\"}" },
	{ "s = \"\"\"\nline1\nline2\"\"\"", "{\"s\":\"line1\\nline2\"}" },
	{ "s = \"\"\"a \\\n    b \\\n\n  c\"\"\"", "{\"s\":\"a b c\"}" },
	{ "s = \"\"\"q\"\"\"\"\"", "{\"s\":\"q\\\"\\\"\"}" },
	{ "s = '''\n\\raw\n'''", "{\"s\":\"\\\\raw\\n\"}" },
	{ "s = ''''x'''", "{\"s\":\"'x\"}" },
	{ "i = [+1, -0, 1_000, 0xDEAD_beef, 0o17, 0b101]",
	  "{\"i\":[1,0,1000,3735928559,15,5]}" },
	{ "f = [1.5, -2e3, 6.25E-1, 1_0.0_1]",
	  "{\"f\":[1.5,-2000,0.625,10.01]}" },
	{ "f = [inf, -inf, nan]", "{\"f\":[null,null,null]}" },
	{ "d = [1979-05-27T07:32:00Z, 1979-05-27 00:32:00.5-07:00, "
	  "1979-05-27, 07:32:00, 2000-02-29t01:02:03]",
	  "{\"d\":[\"1979-05-27T07:32:00Z\",\"1979-05-27 00:32:00.5-07:00\","
	  "\"1979-05-27\",\"07:32:00\",\"2000-02-29t01:02:03\"]}" },
	{ "a = [\n  1, # one\n  [2, 'x'],\n  {k = 3},\n]",
	  "{\"a\":[1,[2,\"x\"],{\"k\":3}]}" },
	{ "t = { a = 1, b.c = \"d\" }", "{\"t\":{\"a\":1,\"b\":{\"c\":\"d\"}}}" },
	{ "t = {}\nu = []", "{\"t\":{},\"u\":[]}" },
	{ "b = [true, false]", "{\"b\":[true,false]}" },
};

struct invalid_case {
	const char *toml;
	const char *error;
};

static const struct invalid_case invalid[] = {
	{ "a = 1\na = 2", "line 2 column 1: duplicate key 'a'" },
	{ "a.b = 1\na.b = 2", "line 2 column 1: duplicate key 'a.b'" },
	{ "[t]\n[t]", "line 2 column 1: 't' is already defined" },
	{ "a = 1\n[a]", "line 2 column 1: 'a' is already defined" },
	{ "[a]\nb.c = 1\n[a.b]", "line 3 column 1: 'a.b' is already defined" },
	{ "[a.b.c]\n[a]\nb.d = 1",
	  "line 3 column 1: 'b' cannot be extended here" },
	{ "t = {a = 1}\n[t.b]",
	  "line 2 column 1: 't' is not a table that can be extended" },
	{ "t = {a = 1}\nt.b = 2",
	  "line 2 column 1: 't' cannot be extended here" },
	{ "a = [1]\n[[a]]", "line 2 column 1: 'a' is not an array of tables" },
	{ "[[a]]\n[a]", "line 2 column 1: 'a' is already defined" },
	{ "a = ", "line 1 column 5: expected a value" },
	{ "a =\n1", "line 1 column 4: expected a value" },
	{ "a = 1 2", "line 1 column 7: expected the end of the line" },
	{ "= 1", "line 1 column 1: expected a key" },
	{ "a 1", "line 1 column 3: expected '=' after the key" },
	{ "s = \"open", "line 1 column 5: unterminated string" },
	{ "s = \"\"\"open\n", "line 1 column 5: unterminated string" },
	{ "s = \"\\x\"", "line 1 column 6: invalid escape sequence" },
	{ "s = \"\\u00\"", "line 1 column 10: expected 4 hex digits after "
			   "'\\u'" },
	{ "s = \"\\uD800\"", "line 1 column 6: '\\u' names no Unicode "
			     "scalar value" },
	{ "s = \"\\u0000\"", "line 1 column 6: U+0000 is not supported" },
	{ "s = \"a\x01\"", "line 1 column 7: control character in a string" },
	{ "s = \"\"\"a\"\"\"\"\"\"", "line 1 column 14: too many quotes" },
	{ "x = 1 # \x7f", "line 1 column 9: control character in a comment" },
	{ "x = \"\xc3\x28\"", "line 1 column 6: invalid UTF-8" },
	{ "n = 012", "line 1 column 5: invalid number" },
	{ "n = 1__0", "line 1 column 5: invalid number" },
	{ "n = 1.", "line 1 column 5: invalid number" },
	{ "n = 0x", "line 1 column 5: invalid number" },
	{ "n = 9223372036854775808",
	  "line 1 column 5: integer out of range" },
	{ "d = 1979-02-29", "line 1 column 5: invalid date or time" },
	{ "d = 07:60:00", "line 1 column 5: invalid date or time" },
	{ "b = tru", "line 1 column 5: expected a value" },
	{ "a = [1 2]", "line 1 column 8: expected ',' or ']' in an array" },
	{ "a = [,]", "line 1 column 6: expected a value" },
	{ "t = {a = 1,}", "line 1 column 12: expected a key" },
	{ "t = {a = 1\n}",
	  "line 1 column 11: expected ',' or '}' in an inline table" },
	{ "[a\nb]", "line 1 column 3: expected ']' to close the header" },
	{ "[[a]\n", "line 1 column 4: expected ']]' to close the header" },
	{ "\"\"\"k\"\"\" = 1",
	  "line 1 column 1: a multi-line string cannot be a key" },
	{ "x = 1\r", "line 1 column 6: expected the end of the line" },
};

static void valid_documents_become_exact_json(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		char err[256];
		cJSON *j = gk_toml_parse("t.toml", valid[i].toml,
					 strlen(valid[i].toml), err,
					 sizeof(err));
		char *text;

		if (!j)
			fail_msg("case %zu: %s", i, err);
		text = cJSON_PrintUnformatted(j);
		if (strcmp(text, valid[i].json) != 0)
			fail_msg("case %zu: got %s", i, text);
		cJSON_free(text);
		cJSON_Delete(j);
	}
}

static void invalid_documents_name_the_position(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		char err[256], want[256];
		cJSON *j = gk_toml_parse("t.toml", invalid[i].toml,
					 strlen(invalid[i].toml), err,
					 sizeof(err));

		if (j)
			fail_msg("case %zu: accepted", i);
		snprintf(want, sizeof(want), "'t.toml' %s", invalid[i].error);
		if (strcmp(err, want) != 0)
			fail_msg("case %zu: got [%s]", i, err);
	}
}

static void nesting_is_bounded(void **state)
{
	char doc[4 + 2 * (GK_TOML_MAX_DEPTH + 1) + 1], err[256];
	size_t i, n = 0;
	cJSON *j;

	(void)state;
	memcpy(doc, "a = ", 4);
	n = 4;
	for (i = 0; i <= GK_TOML_MAX_DEPTH; i++)
		doc[n++] = '[';
	for (i = 0; i <= GK_TOML_MAX_DEPTH; i++)
		doc[n++] = ']';
	doc[n] = '\0';
	j = gk_toml_parse("t.toml", doc, n, err, sizeof(err));
	assert_null(j);
	assert_string_equal(err, "'t.toml' line 1 column 69: nested deeper "
				 "than 64 levels");

	/* One level less is fine. */
	memmove(doc + 4, doc + 5, n - 5);
	n -= 2;
	doc[n] = '\0';
	j = gk_toml_parse("t.toml", doc, n, err, sizeof(err));
	assert_non_null(j);
	cJSON_Delete(j);
}

static void a_document_may_be_unterminated_and_not_nul_ended(void **state)
{
	const char text[] = { 'a', '=', '1', 'b' };
	char err[256];
	cJSON *j = gk_toml_parse("t.toml", text, 3, err, sizeof(err));

	(void)state;
	assert_non_null(j);
	assert_int_equal(cJSON_GetObjectItem(j, "a")->valueint, 1);
	cJSON_Delete(j);
}

static void gitleaks_default_config_parses(void **state)
{
	char *data, err[256];
	size_t len;
	cJSON *j, *rules, *al;

	(void)state;
	assert_int_equal(gk_file_read(CORPUS, 1 << 22, &data, &len), 0);
	j = gk_toml_parse("gitleaks.toml", data, len, err, sizeof(err));
	free(data);
	if (!j)
		fail_msg("%s", err);
	rules = cJSON_GetObjectItem(j, "rules");
	assert_int_equal(cJSON_GetArraySize(rules), CORPUS_RULES);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(rules, 0),
						"id")->valuestring,
			    "1password-secret-key");
	al = cJSON_GetObjectItem(j, "allowlist");
	assert_true(cJSON_IsArray(cJSON_GetObjectItem(al, "paths")));
	assert_string_equal(cJSON_GetObjectItem(j, "title")->valuestring,
			    "gitleaks config");
	cJSON_Delete(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_documents_become_exact_json),
		cmocka_unit_test(invalid_documents_name_the_position),
		cmocka_unit_test(nesting_is_bounded),
		cmocka_unit_test(a_document_may_be_unterminated_and_not_nul_ended),
		cmocka_unit_test(gitleaks_default_config_parses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
