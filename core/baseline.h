/*
 * A baseline: the fingerprints an earlier run found, each as many times as
 * it was found, so a gate with `new: true` selects only findings absent
 * from it: with n copies of a fingerprint in the baseline, the copies of
 * a scan past the first n (in path and line order) are new.  It comes from the
 * previous scan of the same root and branch ("last"), from a scan id, or
 * from a JSON or SARIF report an earlier run wrote.
 */
#ifndef GK_BASELINE_H
#define GK_BASELINE_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

/* The partialFingerprints key under which SARIF carries ours. */
#define GK_SARIF_FINGERPRINT_KEY "gatekeeper/v1"

struct gk_baseline {
	char *source;      /* "scan 3", "report 'old.sarif'"; NULL: none */
	char **fps;        /* sorted, with repeats, owned */
	size_t n;
};

/*
 * Fills b from spec ("last", a scan id or a report file) relative to scan,
 * reading scans through db.  "last" with no earlier scan leaves b empty
 * with source NULL: every finding is new.  Returns 0, -1 on a runtime
 * error, or -2 when spec names no scan or no usable report (exit 2).
 * Release b with gk_baseline_release in every case.
 */
int gk_baseline_load(struct gk_baseline *b, sqlite3 *db, const char *spec,
		     int64_t scan);
void gk_baseline_release(struct gk_baseline *b);

/* True when fingerprint fp is in b. */
int gk_baseline_has(const struct gk_baseline *b, const char *fp);
/* How many times fp is in b. */
size_t gk_baseline_count(const struct gk_baseline *b, const char *fp);

#endif
