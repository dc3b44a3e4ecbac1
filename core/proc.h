/* Running a helper program (git) without a shell and reading its output. */
#ifndef GK_PROC_H
#define GK_PROC_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/*
 * Runs argv[0] (looked up in PATH) in directory cwd with stdin from
 * /dev/null and stderr discarded, collecting at most max bytes of stdout
 * into *out (NUL-terminated, caller frees).  Returns the exit status
 * (0..255), or -1 when it could not run or its output exceeded max.
 */
int gk_proc_capture(const char *const argv[], const char *cwd, size_t max,
		    char **out, size_t *len);

/*
 * Starts argv in cwd with its stdout on a pipe, returned as a stream the
 * caller reads; *pid receives the child.  NULL when it could not start.
 */
FILE *gk_proc_open(const char *const argv[], const char *cwd, pid_t *pid);

/* Closes the stream and waits: the exit status, or -1. */
int gk_proc_close(FILE *f, pid_t pid);

#endif
