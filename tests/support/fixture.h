/* Reading test fixtures: whole files and the escaped text of .tsv rows. */
#ifndef GK_FIXTURE_H
#define GK_FIXTURE_H

#include <stddef.h>

/*
 * The whole file at path, NUL-terminated, its length in *len; the caller
 * frees it.  Fails the running cmocka test when it cannot be read.
 */
char *fixture_read(const char *path, size_t *len);

/* Undoes the \n, \t, \\ and \xHH escapes of s in place; the new length. */
size_t fixture_unescape(char *s);

#endif
