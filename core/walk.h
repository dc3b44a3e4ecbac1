/*
 * Lists the files of a scan root once: inside a git work tree the tracked
 * files and the untracked ones git does not ignore; elsewhere a recursive
 * walk that skips .git, never follows a symbolic link and skips FIFOs,
 * sockets and devices.  Excludes apply to both.
 */
#ifndef GK_WALK_H
#define GK_WALK_H

#include "util.h"

struct gk_walk_stats {
	size_t excluded; /* matched an exclude glob */
	size_t special;  /* links, FIFOs, sockets, devices */
	size_t errors;   /* directories that could not be read */
};

/*
 * Fills files with paths relative to root ('/'-separated, sorted).
 * is_git tells which way was used.  Returns 0, or -1 when root cannot be
 * listed at all (logged).
 */
int gk_walk(const char *root, const struct gk_strvec *exclude,
	    struct gk_strvec *files, struct gk_walk_stats *stats, int *is_git);

/* True when path is left out by one of the globs. */
int gk_walk_excluded(const struct gk_strvec *exclude, const char *path);

/* Does git say root is inside a work tree?  (Runs git.) */
int gk_git_work_tree(const char *root);

/* Paths the host never scans: its own database and report directory. */
int gk_walk_internal(const char *path);

#endif
