/*
 * Reading what git says was added: the output of `git diff -U0` and
 * `git log -p -U0` is parsed line by line into one block per changed file
 * (per commit, for log), holding only the added lines and, for each, its
 * line number in the new file.
 */
#ifndef GK_GITDIFF_H
#define GK_GITDIFF_H

#include "util.h"

#include <stdio.h>

/* Marks a commit header line in the log format gk_gitdiff expects. */
#define GK_GITDIFF_COMMIT_MARK '\001'
/* The --format argument that produces such headers. */
#define GK_GITDIFF_LOG_FORMAT "--format=%x01%H%x1f%an%x1f%ae%x1f%aI"

struct gk_diff_commit {
	char *id, *author, *email, *date;
};

/*
 * One file's additions.  data holds the added lines, each ended by '\n';
 * line_map[i] is the new-file line of data's line i + 1.  binary is set
 * when git reported a binary change (data is then empty).
 */
struct gk_diff_file {
	char *path;
	struct gk_buf data;
	int *line_map;
	size_t nlines, alloc;
	int binary;
	int truncated; /* more was added than max_bytes allowed */
};

/*
 * Called for each file block.  The callback takes ownership of f (free it
 * with gk_diff_file_free); commit is NULL for a plain diff.  Non-zero
 * stops the parse.
 */
typedef int (*gk_diff_fn)(void *arg, const struct gk_diff_commit *commit,
			  struct gk_diff_file *f);

/*
 * Parses a stream.  max_bytes bounds the added text kept per file block.
 * Returns 0, the callback's non-zero value, or -1 on a read error.
 */
int gk_gitdiff_parse(FILE *in, size_t max_bytes, gk_diff_fn fn, void *arg);

void gk_diff_file_free(struct gk_diff_file *f);

/* Undoes git's C-style quoting of a path ("a\tb" → a<TAB>b). */
char *gk_git_unquote(const char *s, size_t len);

#endif
