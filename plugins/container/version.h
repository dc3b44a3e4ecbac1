/*
 * Version ordering and fixed-version selection for report findings.
 *
 * The ordering is one rule for every ecosystem: an optional numeric
 * epoch ("1:"), then runs of digits compared as numbers and runs of other
 * characters compared bytewise, where '~' sorts before anything, even the
 * end (so 1.0~rc1 < 1.0), and letters before other punctuation.  It
 * orders Debian, Alpine, RPM, semver release and PEP 440 release
 * versions as their ecosystems do; pre-release suffixes written without
 * '~' ("1.0.0-rc1") sort after the release.
 */
#ifndef CT_VERSION_H
#define CT_VERSION_H

#include "buf.h"

/* <0, 0 or >0 as a sorts before, equal to or after b. */
int ct_version_cmp(const char *a, const char *b);

/*
 * Iterates a fixed-version list as Trivy writes it ("1.2.3, 2.0.1"):
 * sets *item and *len to the next trimmed, non-empty entry and returns 1,
 * or returns 0 at the end.  *cursor starts at the list.
 */
int ct_version_next(const char **cursor, const char **item, size_t *len);

/*
 * Appends to out the lowest version of list above installed; when none
 * is above it (or installed is NULL), the lowest of the list.  Returns the
 * number of entries in the list.
 */
size_t ct_version_pick_fix(const char *list, const char *installed,
			   struct ct_buf *out);

#endif
