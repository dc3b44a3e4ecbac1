/*
 * Gates: each selects findings of one scan and allows at most max of them;
 * a breach fails the run (mode fail) or only warns (mode warn).  Gates run
 * as queries on a read-only connection whose authorizer allows reading the
 * findings table and nothing else.
 *
 *   gates:
 *     - id: no-secrets
 *       description: any secret fails the run
 *       plugin: secret          exact plugin name
 *       rule: "aws-*"           glob over the rule id
 *       severity: high          at or above
 *       path: "src/"            glob over the path
 *       where: "fixed <> ''"    an SQL boolean over the findings columns
 *       max: 0                  allowed count (default 0)
 *       mode: fail              fail | warn
 */
#ifndef GK_POLICY_H
#define GK_POLICY_H

#include "config.h"

#include <sqlite3.h>
#include <stdint.h>

struct gk_gate {
	char *id, *description, *plugin, *rule, *path, *where;
	int severity; /* -1: any */
	int64_t max;
	int warn_only;
	int line; /* where it was defined, 0 for the built-in policy */
};

struct gk_gate_result {
	char *id, *description, *verdict, *mode, *message;
	int64_t count, max;
};

struct gk_policy {
	struct gk_gate *gates;
	size_t ngates;
	const char *source; /* file name, or "built-in default policy" */
};

/*
 * Reads the gates of c, or the built-in default policy when c has no
 * gates key.  Returns 0, or -1 after logging file, line and column.
 */
int gk_policy_load(struct gk_policy *p, const struct gk_config *c);
void gk_policy_release(struct gk_policy *p);

/*
 * Opens path read-only with the gate authorizer installed.  (For
 * ":memory:" databases pass the writer's handle's file name.)
 */
sqlite3 *gk_policy_open_ro(const char *path);

/*
 * Checks every gate's SQL against ro (a configuration error names the
 * gate), counts, stores results through rw when not NULL, and returns the
 * verdict "pass", "warn" or "fail" through verdict.  Returns 0, -1 on a
 * runtime error, or -2 on a configuration error (exit 2).
 */
int gk_policy_evaluate(const struct gk_policy *p, sqlite3 *ro, sqlite3 *rw,
		       int64_t scan, const char **verdict);

/* The SQL WHERE clause selecting a gate's findings (?1 = scan id). */
char *gk_gate_sql(const struct gk_gate *g);

#endif
