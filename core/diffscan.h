/*
 * Scanning what git says was added instead of the working tree:
 *   staged   the lines `git diff --cached` adds, read from the index, so a
 *            key that is staged and then deleted from the working copy
 *            still blocks the commit;
 *   history  the lines each commit of a range adds (default: all refs),
 *            with commit, author, email and date on every finding.
 * Each changed file becomes one in-memory file holding only its added
 * lines; the host maps reported lines back to the file's own lines.
 */
#ifndef GK_DIFFSCAN_H
#define GK_DIFFSCAN_H

#include "session.h"

#include <stdint.h>

struct gk_diffscan_stats {
	int64_t scanned, skipped, bytes;
};

/*
 * Runs a staged (range NULL, staged set) or history scan of s->root with
 * jobs worker threads.  Returns 0, -1 when git failed, or -2 when the
 * root is not a git work tree (logged).
 */
int gk_diffscan_run(struct gk_session *s, int staged, const char *range,
		    int jobs, struct gk_diffscan_stats *st);

#endif
