/* Unit tests: log lines stay one line and carry no terminal controls. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "log.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void control_characters_are_escaped(void **state)
{
	char path[] = "/tmp/gk-log-XXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	char *text = NULL;
	size_t len = 0;

	(void)state;
	assert_true(fd >= 0 && saved >= 0);
	fflush(stderr);
	dup2(fd, 2);
	gk_warn("'%s': odd name", "a\033[31mred\nb.txt");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fd);
	assert_int_equal(gk_file_read(path, 4096, &text, &len), 0);
	assert_string_equal(text, "gatekeeper: warning: "
				  "'a\\x1b[31mred\\x0ab.txt': odd name\n");
	free(text);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(control_characters_are_escaped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
