#include "policy.h"

#include "log.h"
#include "store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_GATES 256
#define MAX_EXCEPTIONS 4096
#define DEFAULT_SOURCE "built-in default policy"

const char gk_policy_default_yaml[] =
	"# gatekeeper.yaml: what `gatekeeper scan` checks and when it fails.\n"
	"# This is the built-in default policy: without this file the same\n"
	"# gates apply.  docs/policy.md describes every key.\n"
	"#\n"
	"# scan:\n"
	"#   exclude: [\"vendor/\", \"**/*.min.js\"]\n"
	"#   max_file_size: 10MB\n"
	"\n"
	"# A gate selects findings and allows at most `max` of them (default\n"
	"# 0).  Selectors, all optional and combined with AND: plugin, rule\n"
	"# (a glob), severity (at or above), path (a glob), new: true (absent\n"
	"# from the --baseline scan) and where (SQL over the findings columns).\n"
	"# mode: fail exits 1 on a breach; mode: warn only reports it.\n"
	"gates:\n"
	"  - id: secrets\n"
	"    description: any secret fails the run, whichever plugin found it\n"
	"    # the secret plugin's findings, and those other plugins mark as\n"
	"    # secrets (Trivy's, read by the container plugin)\n"
	"    where: \"plugin = 'secret' OR\n"
	"      (json_valid(extra) AND json_extract(extra, '$.class') = 'secret')\"\n"
	"    mode: fail\n"
	"  - id: fixable-high\n"
	"    description: any critical or high finding with a fix fails the run\n"
	"    severity: high\n"
	"    where: \"fixed IS NOT NULL AND fixed <> ''\"\n"
	"    mode: fail\n"
	"  - id: config-high\n"
	"    description: any config finding of high severity fails the run\n"
	"    plugin: config\n"
	"    severity: high\n"
	"    mode: fail\n"
	"\n"
	"# Exceptions hide findings from the gates; reports mark them\n"
	"# suppressed.  A reason is required; past `expires` an exception\n"
	"# hides nothing and the run says so.\n"
	"# exceptions:\n"
	"#   - fingerprint: 0123456789abcdef0123456789abcdef\n"
	"#     reason: test key, revoked\n"
	"#     expires: 2026-12-31\n"
	"#   - rule: \"generic-*\"\n"
	"#     path: \"docs/**\"\n"
	"#     reason: examples in the documentation\n";

/* ---- shared field readers ------------------------------------------ */

/*
 * Logs what is wrong at node n of file: about the gate or exception id
 * of this kind ("gate 'x': ..."), about a gate or exception not yet
 * named (id NULL: "gate: ..."), or about the list (kind NULL).
 */
static int node_error(const char *file, const struct gk_ynode *n,
		      const char *what, const char *kind, const char *id)
{
	if (kind && id)
		return gk_error("config: '%s' line %d column %d: %s '%s': %s",
				file, n->line, n->column, kind, id, what);
	return gk_error("config: '%s' line %d column %d: %s%s%s", file,
			n->line, n->column, kind ? kind : "", kind ? ": " : "",
			what);
}

static int check_keys(const char *file, const struct gk_ynode *m,
		      const char *const *keys, size_t nkeys,
		      const char *kind, const char *id)
{
	size_t i, k;

	for (i = 0; i + 1 < m->nkids; i += 2) {
		int known = 0;

		for (k = 0; k < nkeys; k++)
			known |= !strcmp(keys[k], m->kids[i]->text);
		if (!known) {
			char *msg = gk_asprintf("unknown key '%s'",
						m->kids[i]->text);
			int rc = node_error(file, m->kids[i], msg, kind, id);

			free(msg);
			return rc;
		}
	}
	return 0;
}

/* A scalar value of key into *out (left NULL when absent). */
static int scalar_field(const char *file, const struct gk_ynode *m,
			const char *key, const char *kind, const char *id,
			char **out)
{
	const struct gk_ynode *n = gk_ymap_get(m, key);

	if (!n)
		return 0;
	if (n->kind != GK_Y_SCALAR) {
		char *msg = gk_asprintf("'%s' must be a string", key);
		int rc = node_error(file, n, msg, kind, id);

		free(msg);
		return rc;
	}
	*out = gk_strdup(n->text);
	return 0;
}

/* ---- gates ---------------------------------------------------------- */

static const char *const gate_keys[] = {
	"id", "description", "plugin", "rule", "severity", "path", "where",
	"max", "mode", "new",
};

static int gate_error(const char *file, const struct gk_ynode *n,
		      const char *what, const char *id)
{
	return node_error(file, n, what, "gate", id);
}

static int read_severity_max(const char *file, const struct gk_ynode *g,
			     struct gk_gate *gate)
{
	const struct gk_ynode *n = gk_ymap_get(g, "severity");
	char *end;

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

		errno = 0;
		gate->max = s ? strtoll(s, &end, 10) : -1;
		if (!s || !*s || *end || gate->max < 0 || errno == ERANGE)
			return gate_error(file, n, "max must be a whole number"
					  " from 0 to 9223372036854775807",
					  gate->id);
	}
	return 0;
}

static int read_mode_new(const char *file, const struct gk_ynode *g,
			 struct gk_gate *gate)
{
	const struct gk_ynode *n = gk_ymap_get(g, "mode");

	if (n) {
		const char *s = gk_yscalar(n);

		if (!s || (strcmp(s, "fail") && strcmp(s, "warn")))
			return gate_error(file, n, "mode must be fail or warn",
					  gate->id);
		gate->warn_only = !strcmp(s, "warn");
	}
	n = gk_ymap_get(g, "new");
	if (n) {
		gate->new_only = gk_ybool(n);
		if (gate->new_only < 0)
			return gate_error(file, n, "new must be true or false",
					  gate->id);
	}
	return 0;
}

/* Past the quoted string or name at p (quote doubled inside), or NULL
 * when it does not end. */
static const char *skip_quoted(const char *p)
{
	char q = *p == '[' ? ']' : *p;

	for (p++; *p; p++) {
		if (*p != q)
			continue;
		if (q != ']' && p[1] == q)
			p++;
		else
			return p + 1;
	}
	return NULL;
}

/* Past the comment at p (NULL when it does not end); p itself when
 * none starts there. */
static const char *skip_comment(const char *p)
{
	const char *end;

	if (p[0] == '-' && p[1] == '-')
		return p + strcspn(p, "\n");
	if (p[0] != '/' || p[1] != '*')
		return p;
	end = strstr(p + 2, "*/");
	return end ? end + 2 : NULL;
}

/*
 * NULL when w reads, as SQLite tokenises it, as one bracketed unit:
 * every string, quoted name and comment ends, brackets balance outside
 * them and no ';' stands outside them.  Else what is wrong.  Gates wrap
 * w in brackets, so a balanced w cannot close them and add a clause.
 */
static const char *where_problem(const char *w)
{
	int depth = 0;

	while (*w) {
		const char *next = skip_comment(w);

		if (!next)
			return "an unterminated comment";
		if (next != w) {
			w = next;
			continue;
		}
		if (strchr("'\"`[", *w)) {
			w = skip_quoted(w);
			if (!w)
				return "an unterminated string or quoted name";
			continue;
		}
		if (*w == ';')
			return "a ';'";
		depth += *w == '(' ? 1 : *w == ')' ? -1 : 0;
		if (depth < 0)
			return "a ')' without its '('";
		w++;
	}
	return depth ? "a '(' without its ')'" : NULL;
}

static int check_where(const char *file, const struct gk_ynode *g,
		       const struct gk_gate *gate)
{
	const char *why;
	char *msg;
	int rc;

	if (!gate->where)
		return 0;
	why = *gate->where ? where_problem(gate->where) : "nothing";
	if (!why)
		return 0;
	msg = gk_asprintf("'where' must be one SQL expression, but it has %s",
			  why);
	rc = gate_error(file, gk_ymap_get(g, "where"), msg, gate->id);
	free(msg);
	return rc;
}

static int read_gate(const char *file, const struct gk_ynode *g,
		     struct gk_gate *gate)
{
	memset(gate, 0, sizeof(*gate));
	gate->severity = -1;
	gate->line = g->line;
	if (g->kind != GK_Y_MAP)
		return node_error(file, g, "a gate must be a mapping", NULL,
				  NULL);
	if (scalar_field(file, g, "id", "gate", NULL, &gate->id))
		return -1;
	if (!gate->id || !*gate->id)
		return node_error(file, g, "a gate needs an id", NULL, NULL);
	if (check_keys(file, g, gate_keys, GK_ARRAY_SIZE(gate_keys), "gate",
		       gate->id) ||
	    scalar_field(file, g, "description", "gate", gate->id,
			 &gate->description) ||
	    scalar_field(file, g, "plugin", "gate", gate->id, &gate->plugin) ||
	    scalar_field(file, g, "rule", "gate", gate->id, &gate->rule) ||
	    scalar_field(file, g, "path", "gate", gate->id, &gate->path) ||
	    scalar_field(file, g, "where", "gate", gate->id, &gate->where) ||
	    check_where(file, g, gate))
		return -1;
	return read_severity_max(file, g, gate) || read_mode_new(file, g, gate)
		       ? -1 : 0;
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

static int duplicate_gate(const struct gk_policy *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->ngates; i++)
		if (!strcmp(p->gates[i].id, id))
			return 1;
	return 0;
}

static int load_gates(struct gk_policy *p, const char *file,
		      const struct gk_ynode *gates)
{
	size_t i;

	if (gates->kind != GK_Y_SEQ)
		return node_error(file, gates, "'gates' must be a list", NULL,
				  NULL);
	if (gates->nkids > MAX_GATES)
		return node_error(file, gates, "too many gates", NULL, NULL);
	p->gates = gk_calloc(gates->nkids, sizeof(*p->gates));
	for (i = 0; i < gates->nkids; i++) {
		struct gk_gate *g = &p->gates[p->ngates];

		if (read_gate(file, gates->kids[i], g)) {
			gate_release(g);
			return -1;
		}
		if (duplicate_gate(p, g->id)) {
			int rc = gate_error(file, gates->kids[i],
					    "duplicate gate id", g->id);

			gate_release(g);
			return rc;
		}
		p->ngates++;
	}
	return 0;
}

/* The gates of the built-in default policy, parsed from its YAML. */
static int load_default_gates(struct gk_policy *p)
{
	char err[256];
	struct gk_ynode *doc = gk_ydoc_parse(DEFAULT_SOURCE,
					     gk_policy_default_yaml,
					     strlen(gk_policy_default_yaml),
					     err, sizeof(err));
	int rc;

	if (!doc)
		return gk_error("policy: %s", err);
	rc = load_gates(p, DEFAULT_SOURCE, gk_ymap_get(doc, "gates"));
	gk_ynode_free(doc);
	return rc;
}

/* ---- exceptions ----------------------------------------------------- */

static const char *const exception_keys[] = {
	"id", "fingerprint", "rule", "path", "reason", "expires",
};

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

/* "YYYY-MM-DD", a day that exists (no 2027-02-30). */
static int valid_date(const char *s)
{
	int y, m, d, used = 0;

	if (!s || strlen(s) != 10 ||
	    sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 || used != 10)
		return 0;
	return s[4] == '-' && s[7] == '-' && strspn(s, "0123456789-") == 10 &&
	       m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

static char *exception_name(const struct gk_exception *e, const char *id)
{
	if (id)
		return gk_strdup(id);
	if (e->fingerprint)
		return gk_asprintf("fingerprint %s", e->fingerprint);
	return gk_asprintf("rule %s path %s", e->rule ? e->rule : "*",
			   e->path ? e->path : "**");
}

static int read_expiry(const char *file, const struct gk_ynode *x,
		       struct gk_exception *e, const char *today)
{
	const struct gk_ynode *n = gk_ymap_get(x, "expires");
	const char *s = gk_yscalar(n);

	if (!n)
		return 0;
	if (!valid_date(s))
		return node_error(file, n, "expires must be a date "
				  "YYYY-MM-DD", "exception", e->name);
	memcpy(e->expires, s, sizeof(e->expires));
	e->expired = strcmp(today, e->expires) > 0;
	if (e->expired)
		gk_warn("policy: '%s' line %d: exception '%s' expired on %s "
			"and hides nothing", file, e->line, e->name,
			e->expires);
	return 0;
}

static int read_exception(const char *file, const struct gk_ynode *x,
			  struct gk_exception *e, const char *today)
{
	char *id = NULL;
	int rc = -1;

	memset(e, 0, sizeof(*e));
	e->line = x->line;
	if (x->kind != GK_Y_MAP)
		return node_error(file, x, "an exception must be a mapping",
				  NULL, NULL);
	if (scalar_field(file, x, "id", "exception", NULL, &id) ||
	    scalar_field(file, x, "fingerprint", "exception", id,
			 &e->fingerprint) ||
	    scalar_field(file, x, "rule", "exception", id, &e->rule) ||
	    scalar_field(file, x, "path", "exception", id, &e->path) ||
	    scalar_field(file, x, "reason", "exception", id, &e->reason))
		goto out;
	e->name = exception_name(e, id);
	if (check_keys(file, x, exception_keys,
		       GK_ARRAY_SIZE(exception_keys), "exception", e->name))
		goto out;
	if (!e->fingerprint && !e->rule && !e->path)
		node_error(file, x, "name a fingerprint, or a rule and a path",
			   "exception", e->name);
	else if (!e->reason || !*e->reason)
		node_error(file, x, "a reason is required", "exception",
			   e->name);
	else
		rc = read_expiry(file, x, e, today);
out:
	free(id);
	return rc;
}

static void exception_release(struct gk_exception *e)
{
	free(e->name);
	free(e->fingerprint);
	free(e->rule);
	free(e->path);
	free(e->reason);
}

static int load_exceptions(struct gk_policy *p, const char *file,
			   const struct gk_ynode *xs, const char *today)
{
	size_t i;

	if (xs->kind != GK_Y_SEQ)
		return node_error(file, xs, "'exceptions' must be a list",
				  NULL, NULL);
	if (xs->nkids > MAX_EXCEPTIONS)
		return node_error(file, xs, "too many exceptions", NULL,
				  NULL);
	p->exceptions = gk_calloc(xs->nkids, sizeof(*p->exceptions));
	for (i = 0; i < xs->nkids; i++) {
		struct gk_exception *e = &p->exceptions[p->nexceptions];

		if (read_exception(file, xs->kids[i], e, today)) {
			exception_release(e);
			return -1;
		}
		p->nexceptions++;
	}
	return 0;
}

int gk_exception_matches(const struct gk_exception *e, const char *fp,
			 const char *rule, const char *path)
{
	if (e->expired)
		return 0;
	if (e->fingerprint && (!fp || strcmp(e->fingerprint, fp) != 0))
		return 0;
	if (e->rule && (!rule || !gk_wildcard_match(e->rule, rule)))
		return 0;
	if (e->path && (!path || !gk_glob_match(e->path, path)))
		return 0;
	return 1;
}

/* ---- the policy ----------------------------------------------------- */

int gk_policy_load(struct gk_policy *p, const struct gk_config *c,
		   const char *today)
{
	const struct gk_ynode *gates = gk_ymap_get(c->doc, "gates");
	const struct gk_ynode *xs = gk_ymap_get(c->doc, "exceptions");
	const char *file = c->path ? c->path : GK_CONFIG_FILE;
	char now[32];

	memset(p, 0, sizeof(*p));
	if (!today) {
		gk_now_iso(now);
		now[10] = '\0';
		today = now;
	}
	p->source = gates ? file : DEFAULT_SOURCE;
	if (gates ? load_gates(p, file, gates) : load_default_gates(p))
		return -1;
	return xs ? load_exceptions(p, file, xs, today) : 0;
}

void gk_policy_release(struct gk_policy *p)
{
	size_t i;

	for (i = 0; i < p->ngates; i++)
		gate_release(&p->gates[i]);
	free(p->gates);
	for (i = 0; i < p->nexceptions; i++)
		exception_release(&p->exceptions[i]);
	free(p->exceptions);
	memset(p, 0, sizeof(*p));
}
