#include "policy.h"

#include "log.h"
#include "store.h"

#include <stdlib.h>
#include <string.h>

#define MAX_GATES 256

static const struct gk_gate default_gates[] = {
	{ "secrets", "any secret fails the run", "secret", NULL, NULL, NULL,
	  -1, 0, 0, 0 },
	{ "fixable-high", "any critical or high finding with a fix fails "
	  "the run", NULL, NULL, NULL, "fixed IS NOT NULL AND fixed <> ''",
	  GK_SEV_HIGH, 0, 0, 0 },
	{ "config-high", "any config finding of high severity fails the run",
	  "config", NULL, NULL, NULL, GK_SEV_HIGH, 0, 0, 0 },
};

static char *dup_or_null(const char *s)
{
	return s ? gk_strdup(s) : NULL;
}

static void gate_copy(struct gk_gate *dst, const struct gk_gate *src)
{
	*dst = *src;
	dst->id = dup_or_null(src->id);
	dst->description = dup_or_null(src->description);
	dst->plugin = dup_or_null(src->plugin);
	dst->rule = dup_or_null(src->rule);
	dst->path = dup_or_null(src->path);
	dst->where = dup_or_null(src->where);
}

static int gate_error(const char *file, const struct gk_ynode *n,
		      const char *what, const char *id)
{
	return gk_error("config: '%s' line %d column %d: gate '%s': %s", file,
			n->line, n->column, id ? id : "?", what);
}

static const char *const gate_keys[] = {
	"id", "description", "plugin", "rule", "severity", "path", "where",
	"max", "mode", "new",
};

static int check_gate_keys(const char *file, const struct gk_ynode *g,
			   const char *id)
{
	size_t i, k;

	for (i = 0; i + 1 < g->nkids; i += 2) {
		int known = 0;

		for (k = 0; k < GK_ARRAY_SIZE(gate_keys); k++)
			known |= !strcmp(gate_keys[k], g->kids[i]->text);
		if (!known) {
			char *msg = gk_asprintf("unknown key '%s'",
						g->kids[i]->text);
			int rc = gate_error(file, g->kids[i], msg, id);

			free(msg);
			return rc;
		}
	}
	return 0;
}

static int scalar_field(const char *file, const struct gk_ynode *g,
			const char *key, const char *id, char **out)
{
	const struct gk_ynode *n = gk_ymap_get(g, key);

	if (!n)
		return 0;
	if (n->kind != GK_Y_SCALAR) {
		char *msg = gk_asprintf("'%s' must be a string", key);
		int rc = gate_error(file, n, msg, id);

		free(msg);
		return rc;
	}
	*out = gk_strdup(n->text);
	return 0;
}

static int read_numbers(const char *file, const struct gk_ynode *g,
			struct gk_gate *gate)
{
	const struct gk_ynode *n;
	char *end;

	n = gk_ymap_get(g, "severity");
	if (n) {
		gate->severity = gk_severity_parse(gk_yscalar(n));
		if (gate->severity < 0)
			return gate_error(file, n, "severity must be info, low,"
					  " medium, high or critical",
					  gate->id);
	}
	n = gk_ymap_get(g, "max");
	if (n) {
		const char *s = gk_yscalar(n);

		gate->max = s ? strtoll(s, &end, 10) : -1;
		if (!s || !*s || *end || gate->max < 0)
			return gate_error(file, n, "max must be a whole number"
					  " of 0 or more", gate->id);
	}
	n = gk_ymap_get(g, "mode");
	if (n) {
		const char *s = gk_yscalar(n);

		if (!s || (strcmp(s, "fail") && strcmp(s, "warn")))
			return gate_error(file, n, "mode must be fail or warn",
					  gate->id);
		gate->warn_only = !strcmp(s, "warn");
	}
	return 0;
}

static int read_gate(const char *file, const struct gk_ynode *g,
		     struct gk_gate *gate)
{
	memset(gate, 0, sizeof(*gate));
	gate->severity = -1;
	gate->line = g->line;
	if (g->kind != GK_Y_MAP)
		return gate_error(file, g, "a gate must be a mapping", NULL);
	if (scalar_field(file, g, "id", NULL, &gate->id))
		return -1;
	if (!gate->id || !*gate->id)
		return gate_error(file, g, "a gate needs an id", NULL);
	if (check_gate_keys(file, g, gate->id) ||
	    scalar_field(file, g, "description", gate->id,
			 &gate->description) ||
	    scalar_field(file, g, "plugin", gate->id, &gate->plugin) ||
	    scalar_field(file, g, "rule", gate->id, &gate->rule) ||
	    scalar_field(file, g, "path", gate->id, &gate->path) ||
	    scalar_field(file, g, "where", gate->id, &gate->where))
		return -1;
	return read_numbers(file, g, gate);
}

static void gate_release(struct gk_gate *g)
{
	free(g->id);
	free(g->description);
	free(g->plugin);
	free(g->rule);
	free(g->path);
	free(g->where);
}

static int load_default(struct gk_policy *p)
{
	size_t i;

	p->source = "built-in default policy";
	p->ngates = GK_ARRAY_SIZE(default_gates);
	p->gates = gk_calloc(p->ngates, sizeof(*p->gates));
	for (i = 0; i < p->ngates; i++)
		gate_copy(&p->gates[i], &default_gates[i]);
	return 0;
}

static int duplicate_id(const struct gk_policy *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->ngates; i++)
		if (!strcmp(p->gates[i].id, id))
			return 1;
	return 0;
}

int gk_policy_load(struct gk_policy *p, const struct gk_config *c)
{
	const struct gk_ynode *gates = gk_ymap_get(c->doc, "gates");
	const char *file = c->path ? c->path : GK_CONFIG_FILE;
	size_t i;

	memset(p, 0, sizeof(*p));
	if (!gates)
		return load_default(p);
	p->source = file;
	if (gates->kind != GK_Y_SEQ)
		return gate_error(file, gates, "'gates' must be a list", "-");
	if (gates->nkids > MAX_GATES)
		return gate_error(file, gates, "too many gates", "-");
	p->gates = gk_calloc(gates->nkids, sizeof(*p->gates));
	for (i = 0; i < gates->nkids; i++) {
		struct gk_gate *g = &p->gates[p->ngates];

		if (read_gate(file, gates->kids[i], g)) {
			gate_release(g);
			return -1;
		}
		if (duplicate_id(p, g->id)) {
			int rc = gate_error(file, gates->kids[i],
					    "duplicate gate id", g->id);

			gate_release(g);
			return rc;
		}
		p->ngates++;
	}
	return 0;
}

void gk_policy_release(struct gk_policy *p)
{
	size_t i;

	for (i = 0; i < p->ngates; i++)
		gate_release(&p->gates[i]);
	free(p->gates);
	memset(p, 0, sizeof(*p));
}

/* ---- evaluation ----------------------------------------------------- */

static void sql_quote(struct gk_buf *b, const char *s)
{
	gk_buf_adds(b, "'");
	for (; *s; s++)
		gk_buf_add(b, *s == '\'' ? "''" : s, *s == '\'' ? 2 : 1);
	gk_buf_adds(b, "'");
}

char *gk_gate_sql(const struct gk_gate *g)
{
	struct gk_buf b;

	gk_buf_init(&b, 0);
	gk_buf_adds(&b, "scan_id = ?1");
	if (g->plugin) {
		gk_buf_adds(&b, " AND plugin = ");
		sql_quote(&b, g->plugin);
	}
	if (g->severity >= 0)
		gk_buf_addf(&b, " AND severity_level >= %d", g->severity);
	if (g->rule) {
		gk_buf_adds(&b, " AND gk_wildcard(");
		sql_quote(&b, g->rule);
		gk_buf_adds(&b, ", rule)");
	}
	if (g->path) {
		gk_buf_adds(&b, " AND gk_glob(");
		sql_quote(&b, g->path);
		gk_buf_adds(&b, ", path)");
	}
	if (g->where)
		gk_buf_addf(&b, " AND (%s)", g->where);
	return gk_buf_detach(&b);
}

static void glob_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *pat = (const char *)sqlite3_value_text(argv[0]);
	const char *s = (const char *)sqlite3_value_text(argv[1]);
	int path = *(const int *)sqlite3_user_data(ctx);

	(void)argc;
	if (!pat || !s) {
		sqlite3_result_int(ctx, 0);
		return;
	}
	sqlite3_result_int(ctx, path ? gk_glob_match(pat, s)
				     : gk_wildcard_match(pat, s));
}

static const char *const readable_tables[] = {
	"findings", "scans", "rules", "components", "gate_results",
	"vulnerabilities",
};

/*
 * Allows plain reads of our own tables and calls to functions; denies
 * every write, ATTACH, PRAGMA and anything else.
 */
static int authorize(void *arg, int action, const char *a, const char *b,
		     const char *db, const char *trigger)
{
	size_t i;

	(void)arg;
	(void)b;
	(void)trigger;
	switch (action) {
	case SQLITE_SELECT:
	case SQLITE_FUNCTION:
		return SQLITE_OK;
	case SQLITE_READ:
		if (db && strcmp(db, "main") != 0)
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

	if (!db)
		return NULL;
	sqlite3_create_function(db, "gk_glob", 2,
				SQLITE_UTF8 | SQLITE_DETERMINISTIC,
				(void *)&glob_path, glob_fn, NULL, NULL);
	sqlite3_create_function(db, "gk_wildcard", 2,
				SQLITE_UTF8 | SQLITE_DETERMINISTIC,
				(void *)&glob_plain, glob_fn, NULL, NULL);
	sqlite3_set_authorizer(db, authorize, NULL);
	sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
	return db;
}

/* Counts a gate's findings: 0, -1 runtime error, -2 bad SQL. */
static int gate_count(const struct gk_gate *g, sqlite3 *ro, int64_t scan,
		      int64_t *count)
{
	char *where = gk_gate_sql(g);
	char *sql = gk_asprintf("SELECT count(*) FROM findings WHERE %s",
				where);
	const char *tail = NULL;
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if (sqlite3_prepare_v2(ro, sql, -1, &st, &tail) != SQLITE_OK ||
	    (tail && tail[strspn(tail, " \t\r\n;")])) {
		gk_error("config: gate '%s': its selection is not allowed or "
			 "not valid SQL: %s", g->id,
			 st ? "more than one statement" : sqlite3_errmsg(ro));
		rc = -2;
	} else {
		sqlite3_bind_int64(st, 1, scan);
		if (sqlite3_step(st) == SQLITE_ROW)
			*count = sqlite3_column_int64(st, 0);
		else
			rc = gk_error("gate '%s': %s", g->id,
				      sqlite3_errmsg(ro));
	}
	sqlite3_finalize(st);
	free(sql);
	free(where);
	return rc;
}

int gk_policy_evaluate(const struct gk_policy *p, sqlite3 *ro, sqlite3 *rw,
		       int64_t scan, const char **verdict)
{
	size_t i;
	int failed = 0, warned = 0;

	for (i = 0; i < p->ngates; i++) {
		const struct gk_gate *g = &p->gates[i];
		const char *v = "pass";
		int64_t count = 0;
		int rc = gate_count(g, ro, scan, &count);
		char *msg;

		if (rc)
			return rc;
		if (count > g->max) {
			v = g->warn_only ? "warn" : "fail";
			failed |= !g->warn_only;
			warned |= g->warn_only;
		}
		msg = gk_asprintf("%lld finding(s), %lld allowed",
				  (long long)count, (long long)g->max);
		if (rw && gk_store_gate_put(rw, scan, g->id, g->description, v,
					    count, g->max,
					    g->warn_only ? "warn" : "fail",
					    msg)) {
			free(msg);
			return -1;
		}
		free(msg);
	}
	*verdict = failed ? "fail" : warned ? "warn" : "pass";
	return 0;
}
