/* Running a helper program (git) without a shell and reading its output. */
#ifndef GK_PROC_H
#define GK_PROC_H

#include <stddef.h>

/*
 * Runs argv[0] (looked up in PATH) in directory cwd with stdin from
 * /dev/null and stderr discarded, collecting at most max bytes of stdout
 * into *out (NUL-terminated, caller frees).  Returns the exit status
 * (0..255), or -1 when it could not run or its output exceeded max.
 */
int gk_proc_capture(const char *const argv[], const char *cwd, size_t max,
		    char **out, size_t *len);

#endif
