/* Unit tests: the file walk, with and without git. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "log.h"
#include "util.h"
#include "walk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[64];

static void put(const char *rel, const char *text)
{
	char *p = gk_asprintf("%s/%s", root, rel);
	FILE *f = fopen(p, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(p);
}

/* Runs a shell command in which every "@" stands for the root. */
static void sh(const char *tmpl, const char *dir)
{
	struct gk_buf b;
	const char *p;

	gk_buf_init(&b, 0);
	for (p = tmpl; *p; p++)
		if (*p == '@')
			gk_buf_adds(&b, dir);
		else
			gk_buf_add(&b, p, 1);
	assert_int_equal(system(b.data), 0);
	gk_buf_release(&b);
}

static int setup(void **state)
{
	(void)state;
	strcpy(root, "/tmp/gk-walk-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	sh("mkdir -p @/a/b @/.git-like @/skip", root);
	put("top.txt", "t");
	put("a/one.c", "1");
	put("a/b/two.c", "2");
	put("skip/x.txt", "x");
	put(".git-like/keep", "k");
	sh("ln -s /etc @/etc-link; ln -s top.txt @/file-link; "
	   "mkfifo @/fifo", root);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sh("rm -rf @", root);
	return 0;
}

static char *joined(const struct gk_strvec *sv)
{
	struct gk_buf b;
	size_t i;

	gk_buf_init(&b, 0);
	for (i = 0; i < sv->n; i++)
		gk_buf_addf(&b, "%s%s", i ? "," : "", sv->v[i]);
	return gk_buf_detach(&b);
}

static void plain_walk_skips_links_and_fifos(void **state)
{
	struct gk_strvec ex = { 0 }, files = { 0 };
	struct gk_walk_stats st;
	int is_git;
	char *got;

	(void)state;
	gk_strvec_push(&ex, "skip/");
	assert_int_equal(gk_walk(root, &ex, &files, &st, &is_git), 0);
	got = joined(&files);
	assert_string_equal(got, ".git-like/keep,a/b/two.c,a/one.c,top.txt");
	assert_int_equal(is_git, 0);
	assert_int_equal(st.special, 3);  /* two links and a FIFO */
	assert_int_equal(st.excluded, 1); /* the skip directory */
	free(got);
	gk_strvec_release(&files);
	gk_strvec_release(&ex);
}

static void git_walk_lists_tracked_and_untracked(void **state)
{
	struct gk_strvec ex = { 0 }, files = { 0 };
	struct gk_walk_stats st;
	int is_git;
	char *got;

	(void)state;
	sh("cd @ && git init -q && printf 'ignored.log\\n' > .gitignore", root);
	put("ignored.log", "i");
	sh("cd @ && git add top.txt a/one.c && rm -f fifo", root);
	put("a/new.txt", "n");
	gk_strvec_push(&ex, "*.c");
	assert_int_equal(gk_walk(root, &ex, &files, &st, &is_git), 0);
	got = joined(&files);
	assert_int_equal(is_git, 1);
	/* Ignored file absent; links counted special; *.c excluded. */
	assert_string_equal(got, ".git-like/keep,.gitignore,a/new.txt,"
				 "skip/x.txt,top.txt");
	assert_int_equal(st.excluded, 2);
	assert_int_equal(st.special, 2);
	free(got);
	gk_strvec_release(&files);
	gk_strvec_release(&ex);
}

static void missing_root_is_an_error(void **state)
{
	struct gk_strvec ex = { 0 }, files = { 0 };
	struct gk_walk_stats st;
	int is_git;

	(void)state;
	gk_log_set_level(-1);
	assert_int_equal(gk_walk("/nonexistent/gk", &ex, &files, &st, &is_git),
			 -1);
	gk_log_set_level(GK_LOG_WARN);
}

static void internal_paths(void **state)
{
	(void)state;
	assert_true(gk_walk_internal(".gatekeeper/gatekeeper.db"));
	assert_false(gk_walk_internal("src/.gatekeeper.yaml"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_walk_skips_links_and_fifos),
		cmocka_unit_test(git_walk_lists_tracked_and_untracked),
		cmocka_unit_test(missing_root_is_an_error),
		cmocka_unit_test(internal_paths),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
