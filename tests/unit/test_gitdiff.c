/* Unit tests: parsing git diff -U0 and git log -p output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "gitdiff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct seen {
	char text[2048];
	int blocks;
};

/* Records "commit|path|line:text;line:text" per block. */
static int record(void *arg, const struct gk_diff_commit *c,
		  struct gk_diff_file *f)
{
	struct seen *s = arg;
	size_t i, n = strlen(s->text);
	const char *p = f->data.data;

	n += (size_t)snprintf(s->text + n, sizeof(s->text) - n, "%s%s|%s%s",
			      s->blocks ? "\n" : "", c ? c->id : "-", f->path,
			      f->binary ? "|binary" : "");
	for (i = 0; i < f->nlines; i++) {
		size_t len = strcspn(p, "\n");

		n += (size_t)snprintf(s->text + n, sizeof(s->text) - n,
				      "|%d:%.*s", f->line_map[i], (int)len, p);
		p += len + 1;
	}
	s->blocks++;
	gk_diff_file_free(f);
	return 0;
}

static void parse_text(const char *text, struct seen *s)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");

	memset(s, 0, sizeof(*s));
	assert_non_null(in);
	assert_int_equal(gk_gitdiff_parse(in, 1 << 20, record, s), 0);
	fclose(in);
}

static void staged_diff_added_lines(void **state)
{
	const char *diff =
		"diff --git a/app.py b/app.py\n"
		"index 1..2 100644\n"
		"--- a/app.py\n"
		"+++ b/app.py\n"
		"@@ -3,0 +4,2 @@ def f():\n"
		"+key = 1\n"
		"++++ looks like a header\n"
		"@@ -10 +12 @@\n"
		"-old\n"
		"+new\n"
		"diff --git a/gone.txt b/gone.txt\n"
		"deleted file mode 100644\n"
		"--- a/gone.txt\n"
		"+++ /dev/null\n"
		"@@ -1 +0,0 @@\n"
		"-bye\n"
		"diff --git a/new file.env b/new file.env\n"
		"--- /dev/null\n"
		"+++ b/new file.env\t\n"
		"@@ -0,0 +1 @@\n"
		"+t=1\n"
		"diff --git a/img.png b/img.png\n"
		"new file mode 100644\n"
		"Binary files /dev/null and b/img.png differ\n";
	struct seen s;

	(void)state;
	parse_text(diff, &s);
	/* The deleted file yields nothing; the binary one is flagged. */
	assert_string_equal(s.text,
			    "-|app.py|4:key = 1|5:+++ looks like a header"
			    "|12:new\n"
			    "-|new file.env|1:t=1\n"
			    "-|img.png|binary");
}

static void log_blocks_carry_commits(void **state)
{
	const char *log =
		"\001aaa111\037Ann\037ann@example.invalid\0372026-01-02T03:04:05Z\n"
		"\n"
		"diff --git a/a.txt b/a.txt\n"
		"new file mode 100644\n"
		"--- /dev/null\n"
		"+++ b/a.txt\n"
		"@@ -0,0 +1,2 @@\n"
		"+one\n"
		"+two\n"
		"\001bbb222\037Bob\037bob@example.invalid\0372026-01-03T00:00:00Z\n"
		"\n"
		"diff --git a/\"sp ace\" b/\"sp ace\"\n"
		"--- /dev/null\n"
		"+++ \"b/tab\\there\"\n"
		"@@ -0,0 +7 @@\n"
		"+x\n";
	struct seen s;

	(void)state;
	parse_text(log, &s);
	assert_string_equal(s.text, "aaa111|a.txt|1:one|2:two\n"
				    "bbb222|tab\there|7:x");
}

static void unquote_octal_escapes(void **state)
{
	char *p;

	(void)state;
	p = gk_git_unquote("\"caf\\303\\251.txt\"", 17);
	assert_string_equal(p, "caf\xc3\xa9.txt");
	free(p);
	p = gk_git_unquote("plain", 5);
	assert_string_equal(p, "plain");
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(staged_diff_added_lines),
		cmocka_unit_test(log_blocks_carry_commits),
		cmocka_unit_test(unquote_octal_escapes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
