/*
 * Gate evaluation: the read-only connection and its authorizer, the SQL
 * functions gates use, and storing what the policy decided.
 */
#include "policy.h"

#include "cli.h"
#include "log.h"
#include "store.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* What one gate selected: the count and the first member ids. */
struct tally {
	int64_t count;
	int64_t *ids;
	size_t nids;
};

struct suppression {
	int64_t id;
	const struct gk_exception *e;
};

/* Everything an evaluation decides, gathered before anything is stored. */
struct decision {
	const struct gk_policy *p;
	const struct gk_baseline *base;
	struct tally *tallies;
	struct suppression *supp;
	size_t nsupp;
	const char *verdict;
};

static void sql_quote(struct gk_buf *b, const char *s)
{
	gk_buf_adds(b, "'");
	for (; *s; s++)
		gk_buf_add(b, *s == '\'' ? "''" : s, *s == '\'' ? 2 : 1);
	gk_buf_adds(b, "'");
}

/* The built-in selectors of g, each " AND ...". */
static void add_selectors(struct gk_buf *b, const struct gk_gate *g)
{
	if (g->plugin) {
		gk_buf_adds(b, " AND plugin = ");
		sql_quote(b, g->plugin);
	}
	if (g->severity >= 0)
		gk_buf_addf(b, " AND severity_level >= %d", g->severity);
	if (g->rule) {
		gk_buf_adds(b, " AND gk_wildcard(");
		sql_quote(b, g->rule);
		gk_buf_adds(b, ", rule)");
	}
	if (g->path) {
		gk_buf_adds(b, " AND gk_glob(");
		sql_quote(b, g->path);
		gk_buf_adds(b, ", path)");
	}
	if (g->new_only)
		gk_buf_adds(b, " AND gk_is_new(fingerprint, gk_copy)");
}

/*
 * The user's `where` is applied to a subquery holding only the scan's
 * findings, so whatever it says it cannot count another scan's; the
 * policy loader has checked that its brackets balance, and the line
 * break ends a trailing "--" comment before the closing bracket.  For
 * `new`, gk_copy numbers the findings of one fingerprint in path and
 * line order, as the baseline's copies are matched.
 */
char *gk_gate_sql(const struct gk_gate *g)
{
	struct gk_buf b;

	gk_buf_init(&b, 0);
	gk_buf_adds(&b, "SELECT id FROM (SELECT *");
	if (g->new_only)
		gk_buf_adds(&b, ", row_number() OVER (PARTITION BY "
			    "fingerprint ORDER BY path, line, col, "
			    "commit_id, id) AS gk_copy");
	gk_buf_adds(&b, " FROM findings WHERE scan_id = ?1) WHERE NOT "
		    "gk_excepted(fingerprint, rule, path)");
	add_selectors(&b, g);
	if (g->where)
		gk_buf_addf(&b, " AND (%s\n)", g->where);
	gk_buf_adds(&b, " ORDER BY severity_level DESC, id");
	return gk_buf_detach(&b);
}

/* ---- SQL functions -------------------------------------------------- */

static const char *arg_text(sqlite3_value **argv, int i)
{
	return (const char *)sqlite3_value_text(argv[i]);
}

static void glob_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *pat = arg_text(argv, 0), *s = arg_text(argv, 1);
	int path = *(const int *)sqlite3_user_data(ctx);

	(void)argc;
	if (!pat || !s) {
		sqlite3_result_int(ctx, 0);
		return;
	}
	sqlite3_result_int(ctx, path ? gk_glob_match(pat, s)
				     : gk_wildcard_match(pat, s));
}

/* gk_excepted(fingerprint, rule, path): a live exception matches. */
static void excepted_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const struct decision *d = sqlite3_user_data(ctx);
	size_t i;

	(void)argc;
	for (i = 0; d && i < d->p->nexceptions; i++) {
		if (gk_exception_matches(&d->p->exceptions[i],
					 arg_text(argv, 0), arg_text(argv, 1),
					 arg_text(argv, 2))) {
			sqlite3_result_int(ctx, 1);
			return;
		}
	}
	sqlite3_result_int(ctx, 0);
}

/*
 * gk_is_new(fingerprint, copy): the baseline holds fewer than copy
 * findings with this fingerprint (there is no baseline: all are new).
 */
static void is_new_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const struct decision *d = sqlite3_user_data(ctx);
	sqlite3_int64 copy = sqlite3_value_int64(argv[1]);

	(void)argc;
	sqlite3_result_int(ctx, !d || !d->base ||
				(sqlite3_int64)gk_baseline_count(
					d->base, arg_text(argv, 0)) < copy);
}

/* Points gk_excepted and gk_is_new at d (NULL: nothing excepted). */
static void bind_functions(sqlite3 *ro, struct decision *d)
{
	int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;

	sqlite3_create_function(ro, "gk_excepted", 3, flags, d, excepted_fn,
				NULL, NULL);
	sqlite3_create_function(ro, "gk_is_new", 2, flags, d, is_new_fn, NULL,
				NULL);
}

/* ---- the read-only connection ---------------------------------------- */

static const char *const readable_tables[] = {
	"findings", "scans", "rules", "components", "gate_results",
	"vulnerabilities", "suppressions", "gate_findings",
};

/*
 * The functions a gate may call: pure functions over values (core,
 * aggregate, date, JSON, the window functions gates use) and our own.
 * Left out are those that reach outside the query (load_extension,
 * fts3_tokenizer), report on the engine (sqlite_*, changes) or make
 * large or random values (zeroblob, randomblob, random).
 */
static const char *const callable[] = {
	"->", "->>", "abs", "avg", "char", "coalesce", "concat",
	"concat_ws", "count", "date", "datetime", "dense_rank", "format",
	"gk_excepted", "gk_glob", "gk_is_new", "gk_wildcard", "glob",
	"group_concat", "hex", "ifnull", "iif", "instr", "json",
	"json_array", "json_array_length", "json_extract", "json_object",
	"json_quote", "json_type", "json_valid", "julianday", "length",
	"like", "likelihood", "likely", "lower", "ltrim", "max", "min",
	"nullif", "octet_length", "printf", "quote", "rank", "replace",
	"round", "row_number", "rtrim", "sign", "strftime", "string_agg",
	"substr", "substring", "sum", "time", "total", "trim", "typeof",
	"unicode", "unixepoch", "unlikely", "upper",
};

static int allowed_function(const char *name)
{
	size_t i;

	for (i = 0; name && i < GK_ARRAY_SIZE(callable); i++)
		if (!strcasecmp(name, callable[i]))
			return 1;
	return 0;
}

/*
 * Allows plain reads of our own tables in the main database and calls
 * to the functions above; denies every write, ATTACH, PRAGMA, other
 * function and anything else.
 */
static int authorize(void *arg, int action, const char *a, const char *b,
		     const char *db, const char *trigger)
{
	size_t i;

	(void)arg;
	(void)trigger;
	switch (action) {
	case SQLITE_SELECT:
	case SQLITE_RECURSIVE:
		return SQLITE_OK;
	case SQLITE_FUNCTION:
		return allowed_function(b) ? SQLITE_OK : SQLITE_DENY;
	case SQLITE_READ:
		if (!db || strcmp(db, "main") != 0)
			return SQLITE_DENY;
		for (i = 0; i < GK_ARRAY_SIZE(readable_tables); i++)
			if (!strcmp(a, readable_tables[i]))
				return SQLITE_OK;
		return SQLITE_DENY;
	default:
		return SQLITE_DENY;
	}
}

static const int glob_path = 1, glob_plain = 0;

sqlite3 *gk_policy_open_ro(const char *path)
{
	sqlite3 *db = gk_store_open(path, 1);
	int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;

	if (!db)
		return NULL;
	sqlite3_create_function(db, "gk_glob", 2, flags, (void *)&glob_path,
				glob_fn, NULL, NULL);
	sqlite3_create_function(db, "gk_wildcard", 2, flags,
				(void *)&glob_plain, glob_fn, NULL, NULL);
	bind_functions(db, NULL);
	sqlite3_set_authorizer(db, authorize, NULL);
	sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
	return db;
}

/* ---- evaluation ------------------------------------------------------ */

/* Prepares one statement, refusing a tail: 0, or -2 (logged). */
static int prepare_gate(sqlite3 *ro, const struct gk_gate *g,
			const char *sql, sqlite3_stmt **st)
{
	const char *tail = NULL;

	if (sqlite3_prepare_v2(ro, sql, -1, st, &tail) == SQLITE_OK &&
	    !(tail && tail[strspn(tail, " \t\r\n;")]))
		return 0;
	gk_error("config: gate '%s' (line %d): its selection is not allowed "
		 "or not valid SQL: %s", g->id, g->line,
		 *st ? "more than one statement" : sqlite3_errmsg(ro));
	sqlite3_finalize(*st);
	*st = NULL;
	return -2;
}

/* Runs a gate's selection: 0, -1 runtime error, -2 bad SQL. */
static int gate_select(const struct gk_gate *g, sqlite3 *ro, int64_t scan,
		       struct tally *t)
{
	char *sql = gk_gate_sql(g);
	sqlite3_stmt *st = NULL;
	int rc = prepare_gate(ro, g, sql, &st), step;

	if (rc == 0) {
		sqlite3_bind_int64(st, 1, scan);
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			if (t->nids < GK_GATE_MAX_MEMBERS) {
				if (!t->ids)
					t->ids = gk_calloc(GK_GATE_MAX_MEMBERS,
							   sizeof(*t->ids));
				t->ids[t->nids++] = sqlite3_column_int64(st, 0);
			}
			t->count++;
		}
		if (step != SQLITE_DONE)
			rc = gk_error("gate '%s': %s", g->id,
				      sqlite3_errmsg(ro));
	}
	sqlite3_finalize(st);
	free(sql);
	return rc;
}

static const struct gk_exception *first_match(const struct gk_policy *p,
					      sqlite3_stmt *st)
{
	size_t i;

	for (i = 0; i < p->nexceptions; i++)
		if (gk_exception_matches(&p->exceptions[i],
					 (const char *)sqlite3_column_text(st, 1),
					 (const char *)sqlite3_column_text(st, 2),
					 (const char *)sqlite3_column_text(st, 3)))
			return &p->exceptions[i];
	return NULL;
}

/* Finds the findings a live exception hides. */
static int collect_suppressions(struct decision *d, sqlite3 *ro,
				int64_t scan)
{
	sqlite3_stmt *st;
	size_t alloc = 0;
	int rc;

	if (d->p->nexceptions == 0)
		return 0;
	if (sqlite3_prepare_v2(ro, "SELECT id, fingerprint, rule, path FROM "
			       "findings WHERE scan_id = ?1", -1, &st, NULL))
		return gk_error("policy: %s", sqlite3_errmsg(ro));
	sqlite3_bind_int64(st, 1, scan);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const struct gk_exception *e = first_match(d->p, st);

		if (!e)
			continue;
		if (d->nsupp == alloc) {
			alloc = alloc ? alloc * 2 : 16;
			d->supp = gk_realloc(d->supp, alloc * sizeof(*d->supp));
		}
		d->supp[d->nsupp].id = sqlite3_column_int64(st, 0);
		d->supp[d->nsupp++].e = e;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : gk_error("policy: %s",
						 sqlite3_errmsg(ro));
}

static void log_unused_exceptions(const struct decision *d)
{
	size_t i, k;

	for (i = 0; i < d->p->nexceptions; i++) {
		const struct gk_exception *e = &d->p->exceptions[i];
		int used = 0;

		for (k = 0; k < d->nsupp && !used; k++)
			used = d->supp[k].e == e;
		if (!used && !e->expired)
			gk_info("policy: exception '%s' matched no finding",
				e->name);
	}
}

static void decide_verdict(struct decision *d)
{
	int failed = 0, warned = 0;
	size_t i;

	for (i = 0; i < d->p->ngates; i++) {
		const struct gk_gate *g = &d->p->gates[i];

		if (d->tallies[i].count <= g->max)
			continue;
		failed |= !g->warn_only;
		warned |= g->warn_only;
	}
	d->verdict = failed ? "fail" : warned ? "warn" : "pass";
}

/* Runs every gate and exception over scan through ro into d. */
static int decide(struct decision *d, sqlite3 *ro, int64_t scan)
{
	size_t i;
	int rc = 0;

	bind_functions(ro, d);
	for (i = 0; i < d->p->ngates && rc == 0; i++)
		rc = gate_select(&d->p->gates[i], ro, scan, &d->tallies[i]);
	if (rc == 0)
		rc = collect_suppressions(d, ro, scan);
	bind_functions(ro, NULL);
	if (rc == 0) {
		log_unused_exceptions(d);
		decide_verdict(d);
	}
	return rc;
}

/* ---- storing the decision --------------------------------------------- */

/* Runs sql binding ?1 = a, ?2 = b, and ?3, ?4 to t1, t2 when given. */
static int exec_bound(sqlite3 *db, const char *sql, int64_t a, int64_t b,
		      const char *t1, const char *t2)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL))
		return gk_error("store: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	if (t1)
		sqlite3_bind_text(st, 3, t1, -1, SQLITE_STATIC);
	if (t2)
		sqlite3_bind_text(st, 4, t2, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : gk_error("store: %s",
						 sqlite3_errmsg(db));
}

static int clear_decision(sqlite3 *rw, int64_t scan)
{
	return exec_bound(rw, "DELETE FROM gate_results WHERE scan_id = ?1",
			  scan, 0, NULL, NULL) ||
	       exec_bound(rw, "DELETE FROM gate_findings WHERE scan_id = ?1",
			  scan, 0, NULL, NULL) ||
	       exec_bound(rw, "DELETE FROM suppressions WHERE scan_id = ?1",
			  scan, 0, NULL, NULL);
}

static int store_gate(sqlite3 *rw, int64_t scan, const struct gk_gate *g,
		      const struct tally *t)
{
	const char *v = t->count <= g->max ? "pass"
			: g->warn_only	   ? "warn" : "fail";
	char *msg = gk_asprintf("%lld finding(s), %lld allowed",
				(long long)t->count, (long long)g->max);
	size_t i;
	int rc = gk_store_gate_put(rw, scan, g->id, g->description, v,
				   t->count, g->max,
				   g->warn_only ? "warn" : "fail", msg);

	for (i = 0; rc == 0 && i < t->nids; i++)
		rc = exec_bound(rw, "INSERT INTO gate_findings (scan_id, "
				"finding_id, gate_id) VALUES (?1, ?2, ?3)",
				scan, t->ids[i], g->id, NULL);
	free(msg);
	return rc;
}

static int store_rows(const struct decision *d, sqlite3 *rw, int64_t scan)
{
	size_t i;

	if (clear_decision(rw, scan))
		return -1;
	for (i = 0; i < d->p->ngates; i++)
		if (store_gate(rw, scan, &d->p->gates[i], &d->tallies[i]))
			return -1;
	for (i = 0; i < d->nsupp; i++)
		if (exec_bound(rw, "INSERT INTO suppressions (scan_id, "
			       "finding_id, exception, reason) "
			       "VALUES (?1, ?2, ?3, ?4)", scan, d->supp[i].id,
			       d->supp[i].e->name, d->supp[i].e->reason))
			return -1;
	return exec_bound(rw, "UPDATE scans SET baseline = ?3 WHERE id = ?1",
			  scan, 0, d->base ? d->base->source : NULL, NULL);
}

/* Replaces the scan's stored decision in one transaction. */
static int store_decision(const struct decision *d, sqlite3 *rw,
			  int64_t scan)
{
	if (gk_store_exec(rw, "BEGIN IMMEDIATE"))
		return -1;
	if (store_rows(d, rw, scan)) {
		sqlite3_exec(rw, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return gk_store_exec(rw, "COMMIT");
}

static void decision_release(struct decision *d)
{
	size_t i;

	for (i = 0; d->tallies && i < d->p->ngates; i++)
		free(d->tallies[i].ids);
	free(d->tallies);
	free(d->supp);
}

int gk_policy_evaluate(const struct gk_policy *p,
		       const struct gk_baseline *base, sqlite3 *ro,
		       sqlite3 *rw, int64_t scan, const char **verdict)
{
	struct decision d;
	int rc;

	memset(&d, 0, sizeof(d));
	d.p = p;
	d.base = base && base->source ? base : NULL;
	d.tallies = gk_calloc(p->ngates, sizeof(*d.tallies));
	rc = decide(&d, ro, scan);
	if (rc == 0 && rw && store_decision(&d, rw, scan))
		rc = -1;
	if (rc == 0)
		*verdict = d.verdict;
	decision_release(&d);
	return rc;
}

int gk_policy_run(const struct gk_config *c, const char *baseline_spec,
		  sqlite3 *rw, const char *db_path, int64_t scan,
		  const char **verdict)
{
	struct gk_policy p;
	struct gk_baseline b;
	sqlite3 *ro = NULL;
	int rc = GK_EXIT_USAGE, brc;

	memset(&b, 0, sizeof(b));
	if (gk_policy_load(&p, c, NULL))
		goto out;
	brc = gk_baseline_load(&b, rw, baseline_spec, scan);
	if (brc) {
		rc = brc == -2 ? GK_EXIT_USAGE : GK_EXIT_RUNTIME;
		goto out;
	}
	rc = GK_EXIT_RUNTIME;
	ro = gk_policy_open_ro(db_path);
	if (!ro)
		goto out;
	brc = gk_policy_evaluate(&p, &b, ro, rw, scan, verdict);
	rc = brc == -2 ? GK_EXIT_USAGE : brc ? GK_EXIT_RUNTIME : GK_EXIT_PASS;
out:
	if (ro)
		gk_store_close(ro);
	gk_baseline_release(&b);
	gk_policy_release(&p);
	return rc;
}
