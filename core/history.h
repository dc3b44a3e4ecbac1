/*
 * Scan history: the scans a database holds, and what changed between two
 * of them.  Findings are matched by fingerprint, so a finding that only
 * moved lines is unchanged; as multisets, so with n copies of a
 * fingerprint before and m after, min(n, m) are unchanged and the rest
 * new or fixed: the copies past the first min(n, m) in path and line
 * order.
 */
#ifndef GK_HISTORY_H
#define GK_HISTORY_H

#include "store.h"

#include <sqlite3.h>
#include <stdio.h>

/* Findings of scan `to` absent from `from`, and the other way round. */
struct gk_diff {
	int64_t from, to;
	struct gk_frec *added, *fixed, *unchanged;
	size_t nadded, nfixed, nunchanged;
};

/*
 * The id of the latest finished scan of root (NULL: of any root), or of
 * the one before it when skip is 1.  Returns 1 found, 0 none, -1 error.
 */
int gk_history_latest(sqlite3 *db, const char *root, int skip,
		      int64_t *id);

/* 1 when a scan with this id exists, 0 when not, -1 on an error. */
int gk_history_exists(sqlite3 *db, int64_t id);

/* Loads the difference between two scans; release d in every case. */
int gk_diff_load(struct gk_diff *d, sqlite3 *db, int64_t from, int64_t to);
void gk_diff_release(struct gk_diff *d);

/* Sections of new, fixed and unchanged findings, then one summary line. */
int gk_diff_text(const struct gk_diff *d, FILE *out);
/* {"new": [...], "fixed": [...], "unchanged": [...]} */
int gk_diff_json(const struct gk_diff *d, FILE *out);

/* Lists the scans of root (NULL: all), newest first. */
int gk_scans_list(sqlite3 *db, const char *root, int json, FILE *out);

#endif
