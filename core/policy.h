/*
 * The policy: gates and exceptions from gatekeeper.yaml, or the built-in
 * default policy (gk_policy_default_yaml, which `gatekeeper init` writes).
 *
 * A gate selects findings of one scan and allows at most max of them; a
 * breach fails the run (mode fail) or only warns (mode warn).
 *
 *   gates:
 *     - id: no-secrets
 *       description: any secret fails the run
 *       plugin: secret          exact plugin name
 *       rule: "aws-*"           glob over the rule id
 *       severity: high          at or above
 *       path: "src/"            glob over the path
 *       new: true               fingerprint absent from the baseline
 *       where: "fixed <> ''"    an SQL boolean over the findings columns
 *       max: 0                  allowed count (default 0)
 *       mode: fail              fail | warn
 *   exceptions:
 *     - fingerprint: 0123...    or rule and/or path globs
 *       reason: revoked test key  required
 *       expires: 2026-12-31     last day it applies (optional)
 *
 * An exception hides the findings it matches from every gate and marks
 * them suppressed in reports; past its expiry date it hides nothing and
 * the run logs a warning naming it.
 *
 * A `where` must be one bracketed expression (checked on load) and is
 * applied to a subquery of the scan's findings only.  Gates run as
 * queries on a read-only connection whose authorizer allows reading our
 * own tables and calling a fixed list of functions (docs/policy.md):
 * a `where` that writes, attaches, calls a pragma or another function,
 * or reads anything else is a configuration error naming the gate.
 */
#ifndef GK_POLICY_H
#define GK_POLICY_H

#include "baseline.h"
#include "config.h"

#include <sqlite3.h>
#include <stdint.h>

struct gk_gate {
	char *id, *description, *plugin, *rule, *path, *where;
	int severity; /* -1: any */
	int new_only; /* only fingerprints absent from the baseline */
	int64_t max;
	int warn_only;
	int line; /* where it was defined */
};

struct gk_exception {
	char *name; /* its id, or what it matches: for messages */
	char *fingerprint, *rule, *path, *reason;
	char expires[11]; /* YYYY-MM-DD, or "" for never */
	int expired;      /* set by gk_policy_load from today's date */
	int line;
};

/*
 * A gate's stored result as reports read it back; members are indices
 * into the report's findings (at most GK_GATE_MAX_MEMBERS are stored).
 */
struct gk_gate_result {
	char *id, *description, *verdict, *mode, *message;
	int64_t count, max;
	size_t *members, nmembers;
};

#define GK_GATE_MAX_MEMBERS 1000

struct gk_policy {
	struct gk_gate *gates;
	size_t ngates;
	struct gk_exception *exceptions;
	size_t nexceptions;
	const char *source; /* file name, or "built-in default policy" */
};

/* The commented gatekeeper.yaml holding the built-in default policy. */
extern const char gk_policy_default_yaml[];

/*
 * Reads the gates and exceptions of c; the gates of the built-in default
 * policy when c has no gates key.  today ("YYYY-MM-DD", NULL for the
 * current UTC date) decides which exceptions have expired; each expired
 * one is logged as a warning.  Returns 0, or -1 after logging file, line
 * and column.  Release p in every case.
 */
int gk_policy_load(struct gk_policy *p, const struct gk_config *c,
		   const char *today);
void gk_policy_release(struct gk_policy *p);

/*
 * Opens path read-only with the gate authorizer and our SQL functions
 * installed.  (For ":memory:" databases pass the writer's shared-cache
 * URI.)  Returns NULL after logging why.
 */
sqlite3 *gk_policy_open_ro(const char *path);

/*
 * Evaluates every gate of p over scan through ro (a configuration error
 * names the gate), with findings matched by a live exception hidden and,
 * for `new` gates, findings whose fingerprint is in base (may be NULL:
 * every finding is new) left out.  When rw is not NULL, replaces the
 * scan's gate results, gate members and suppressions in one transaction.
 * Sets *verdict to "pass", "warn" or "fail".  Returns 0, -1 on a runtime
 * error, or -2 on a configuration error (exit 2).
 */
int gk_policy_evaluate(const struct gk_policy *p,
		       const struct gk_baseline *base, sqlite3 *ro,
		       sqlite3 *rw, int64_t scan, const char **verdict);

/*
 * Everything `scan` and `gate` do after the findings are stored: loads
 * the policy of c and the baseline named by baseline_spec (may be NULL),
 * evaluates scan on a new read-only connection to db_path and stores the
 * results through rw.  Returns a GK_EXIT_* status: 0 evaluated (the
 * verdict says how), 2 a configuration error, 3 a runtime error.
 */
int gk_policy_run(const struct gk_config *c, const char *baseline_spec,
		  sqlite3 *rw, const char *db_path, int64_t scan,
		  const char **verdict);

/* The statement selecting the ids of a gate's findings, most severe
 * first (?1 = scan id).  The caller frees it. */
char *gk_gate_sql(const struct gk_gate *g);

/* True when the live exception e matches the finding. */
int gk_exception_matches(const struct gk_exception *e, const char *fp,
			 const char *rule, const char *path);

#endif
