#include "report.h"

#include "log.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? gk_strdup((const char *)s) : NULL;
}

static int load_scan(struct gk_report *r, sqlite3 *db, int64_t scan)
{
	sqlite3_stmt *st;
	int rc = -1;

	if (sqlite3_prepare_v2(db,
			       "SELECT root, branch, commit_id, started, finished,"
			       " tool_version, verdict, mode, files_scanned,"
			       " files_skipped, bytes_scanned, baseline FROM scans"
			       " WHERE id = ?", -1, &st, NULL))
		return gk_error("report: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, scan);
	if (sqlite3_step(st) == SQLITE_ROW) {
		r->scan = scan;
		r->root = col_dup(st, 0);
		r->branch = col_dup(st, 1);
		r->commit_id = col_dup(st, 2);
		r->started = col_dup(st, 3);
		r->finished = col_dup(st, 4);
		r->tool_version = col_dup(st, 5);
		r->verdict = col_dup(st, 6);
		r->mode = col_dup(st, 7);
		r->files_scanned = sqlite3_column_int64(st, 8);
		r->files_skipped = sqlite3_column_int64(st, 9);
		r->bytes_scanned = sqlite3_column_int64(st, 10);
		r->baseline = col_dup(st, 11);
		rc = 0;
	} else {
		gk_error("report: no scan with id %lld", (long long)scan);
	}
	sqlite3_finalize(st);
	return rc;
}

static void read_finding(sqlite3_stmt *st, struct gk_frec *f)
{
	memset(f, 0, sizeof(*f));
	f->plugin = col_dup(st, 0);
	f->rule = col_dup(st, 1);
	f->severity = sqlite3_column_int(st, 2);
	f->title = col_dup(st, 3);
	f->message = col_dup(st, 4);
	f->path = col_dup(st, 5);
	f->line = sqlite3_column_int(st, 6);
	f->column = sqlite3_column_int(st, 7);
	f->end_line = sqlite3_column_int(st, 8);
	f->end_column = sqlite3_column_int(st, 9);
	f->fingerprint = col_dup(st, 10);
	f->snippet = col_dup(st, 11);
	f->secret_hash = col_dup(st, 12);
	f->package = col_dup(st, 13);
	f->ecosystem = col_dup(st, 14);
	f->installed = col_dup(st, 15);
	f->fixed = col_dup(st, 16);
	f->advisory = col_dup(st, 17);
	f->cvss = sqlite3_column_double(st, 18);
	f->commit_id = col_dup(st, 19);
	f->author = col_dup(st, 20);
	f->email = col_dup(st, 21);
	f->date = col_dup(st, 22);
	f->extra = col_dup(st, 23);
}

#define NCOLUMNS 24

/* Reads rows of st into *out; note (may be NULL) gets the extra columns. */
static int read_rows(sqlite3 *db, sqlite3_stmt *st, struct gk_frec **out,
		     size_t *n, struct gk_fnote **notes)
{
	size_t alloc = *n;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == alloc) {
			alloc = alloc ? alloc * 2 : 64;
			*out = gk_realloc(*out, alloc * sizeof(**out));
			if (notes)
				*notes = gk_realloc(*notes,
						    alloc * sizeof(**notes));
		}
		read_finding(st, &(*out)[*n]);
		if (notes) {
			(*notes)[*n].id = sqlite3_column_int64(st, NCOLUMNS);
			(*notes)[*n].exception = col_dup(st, NCOLUMNS + 1);
			(*notes)[*n].reason = col_dup(st, NCOLUMNS + 2);
		}
		(*n)++;
	}
	return rc == SQLITE_DONE ? 0 : gk_error("report: %s",
						 sqlite3_errmsg(db));
}

int gk_findings_query(sqlite3 *db, const char *sql, int64_t a, int64_t b,
		      struct gk_frec **out, size_t *n)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL))
		return gk_error("report: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	rc = read_rows(db, st, out, n, NULL);
	sqlite3_finalize(st);
	return rc;
}

static int load_findings(struct gk_report *r, sqlite3 *db)
{
	sqlite3_stmt *st;
	size_t i;
	int rc;

	if (sqlite3_prepare_v2(db,
			       "SELECT " GK_FINDING_COLUMNS ", f.id, s.exception,"
			       " s.reason FROM findings f LEFT JOIN suppressions s"
			       " ON s.scan_id = f.scan_id AND s.finding_id = f.id"
			       " WHERE f.scan_id = ? ORDER BY f.severity_level"
			       " DESC, f.path, f.line, f.col, f.rule, f.id", -1,
			       &st, NULL))
		return gk_error("report: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, r->scan);
	rc = read_rows(db, st, &r->findings, &r->nfindings, &r->notes);
	sqlite3_finalize(st);
	for (i = 0; i < r->nfindings; i++)
		r->nsuppressed += r->notes[i].exception != NULL;
	return rc;
}

static int load_gates(struct gk_report *r, sqlite3 *db)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db,
			       "SELECT gate_id, description, verdict, mode, message,"
			       " count, max FROM gate_results WHERE scan_id = ? "
			       "ORDER BY rowid", -1, &st, NULL))
		return gk_error("report: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, r->scan);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct gk_gate_result *g;

		r->gates = gk_realloc(r->gates,
				      (r->ngates + 1) * sizeof(*r->gates));
		g = &r->gates[r->ngates++];
		memset(g, 0, sizeof(*g));
		g->id = col_dup(st, 0);
		g->description = col_dup(st, 1);
		g->verdict = col_dup(st, 2);
		g->mode = col_dup(st, 3);
		g->message = col_dup(st, 4);
		g->count = sqlite3_column_int64(st, 5);
		g->max = sqlite3_column_int64(st, 6);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : gk_error("report: %s",
						 sqlite3_errmsg(db));
}

/* ---- gate members: finding ids mapped to indices -------------------- */

struct id_index {
	int64_t id;
	size_t index;
};

static int by_id(const void *a, const void *b)
{
	int64_t x = ((const struct id_index *)a)->id;
	int64_t y = ((const struct id_index *)b)->id;

	return x < y ? -1 : x > y;
}

static struct gk_gate_result *gate_named(struct gk_report *r, const char *id)
{
	size_t i;

	for (i = 0; id && i < r->ngates; i++)
		if (!strcmp(r->gates[i].id, id))
			return &r->gates[i];
	return NULL;
}

static void add_member(struct gk_report *r, const struct id_index *map,
		       sqlite3_stmt *st)
{
	struct gk_gate_result *g = gate_named(
		r, (const char *)sqlite3_column_text(st, 0));
	struct id_index key = { sqlite3_column_int64(st, 1), 0 };
	const struct id_index *hit;

	hit = bsearch(&key, map, r->nfindings, sizeof(*map), by_id);
	if (!g || !hit)
		return;
	g->members = gk_realloc(g->members,
				(g->nmembers + 1) * sizeof(*g->members));
	g->members[g->nmembers++] = hit->index;
}

/* Members are listed in report order (most severe first). */
static int by_index(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

static int load_members(struct gk_report *r, sqlite3 *db)
{
	struct id_index *map = gk_calloc(r->nfindings, sizeof(*map));
	sqlite3_stmt *st = NULL;
	size_t i;
	int rc = -1;

	for (i = 0; i < r->nfindings; i++) {
		map[i].id = r->notes[i].id;
		map[i].index = i;
	}
	qsort(map, r->nfindings, sizeof(*map), by_id);
	if (sqlite3_prepare_v2(db, "SELECT gate_id, finding_id FROM "
			       "gate_findings WHERE scan_id = ?", -1, &st,
			       NULL)) {
		gk_error("report: %s", sqlite3_errmsg(db));
		goto out;
	}
	sqlite3_bind_int64(st, 1, r->scan);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		add_member(r, map, st);
	rc = rc == SQLITE_DONE ? 0 : gk_error("report: %s",
					       sqlite3_errmsg(db));
	for (i = 0; i < r->ngates; i++)
		if (r->gates[i].nmembers > 1)
			qsort(r->gates[i].members, r->gates[i].nmembers,
			      sizeof(size_t), by_index);
out:
	sqlite3_finalize(st);
	free(map);
	return rc;
}

/* ---- rules ------------------------------------------------------------ */

static int load_rules(struct gk_report *r, sqlite3 *db)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db,
			       "SELECT plugin, id, title, description, help,"
			       " help_uri, tags, precision, severity FROM rules"
			       " WHERE EXISTS (SELECT 1 FROM findings f WHERE"
			       " f.scan_id = ? AND f.plugin = rules.plugin AND"
			       " f.rule = rules.id) ORDER BY plugin, id", -1,
			       &st, NULL))
		return gk_error("report: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, r->scan);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct gk_rule_row *w;

		r->rules = gk_realloc(r->rules,
				      (r->nrules + 1) * sizeof(*r->rules));
		w = &r->rules[r->nrules++];
		w->plugin = col_dup(st, 0);
		w->id = col_dup(st, 1);
		w->title = col_dup(st, 2);
		w->description = col_dup(st, 3);
		w->help = col_dup(st, 4);
		w->help_uri = col_dup(st, 5);
		w->tags = col_dup(st, 6);
		w->precision = col_dup(st, 7);
		w->severity = gk_severity_parse(
			(const char *)sqlite3_column_text(st, 8));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : gk_error("report: %s",
						 sqlite3_errmsg(db));
}

/* Plugins whose rules the database holds, and those of this scan. */
static int load_plugins(struct gk_report *r, sqlite3 *db)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT plugin FROM rules UNION SELECT "
			       "plugin FROM findings WHERE scan_id = ? "
			       "ORDER BY 1", -1, &st, NULL))
		return gk_error("report: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, r->scan);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		gk_strvec_push(&r->plugins,
			       (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : gk_error("report: %s",
						 sqlite3_errmsg(db));
}

static int cmp_rule(const void *key, const void *elem)
{
	const struct gk_rule_row *k = key, *e = elem;
	int c = strcmp(k->plugin, e->plugin);

	return c ? c : strcmp(k->id, e->id);
}

const struct gk_rule_row *gk_report_rule(const struct gk_report *r,
					 const char *plugin, const char *id)
{
	struct gk_rule_row key;

	if (!plugin || !id || !r->nrules)
		return NULL;
	memset(&key, 0, sizeof(key));
	key.plugin = (char *)plugin;
	key.id = (char *)id;
	return bsearch(&key, r->rules, r->nrules, sizeof(*r->rules),
		       cmp_rule);
}

/* ---- the report ------------------------------------------------------- */

int gk_report_load(struct gk_report *r, sqlite3 *db, int64_t scan)
{
	memset(r, 0, sizeof(*r));
	if (load_scan(r, db, scan) || load_findings(r, db) ||
	    load_gates(r, db) || load_members(r, db) || load_rules(r, db) ||
	    load_plugins(r, db)) {
		gk_report_release(r);
		return -1;
	}
	return 0;
}

static void release_gates(struct gk_report *r)
{
	size_t i;

	for (i = 0; i < r->ngates; i++) {
		free(r->gates[i].id);
		free(r->gates[i].description);
		free(r->gates[i].verdict);
		free(r->gates[i].mode);
		free(r->gates[i].message);
		free(r->gates[i].members);
	}
	free(r->gates);
}

static void release_rules(struct gk_report *r)
{
	size_t i;

	for (i = 0; i < r->nrules; i++) {
		struct gk_rule_row *w = &r->rules[i];

		free(w->plugin);
		free(w->id);
		free(w->title);
		free(w->description);
		free(w->help);
		free(w->help_uri);
		free(w->tags);
		free(w->precision);
	}
	free(r->rules);
}

void gk_report_release(struct gk_report *r)
{
	char *fields[] = { r->root, r->branch, r->commit_id, r->started,
			   r->finished, r->tool_version, r->verdict, r->mode,
			   r->baseline };
	size_t i;

	for (i = 0; i < r->nfindings; i++) {
		gk_frec_release(&r->findings[i]);
		free(r->notes[i].exception);
		free(r->notes[i].reason);
	}
	free(r->findings);
	free(r->notes);
	release_gates(r);
	release_rules(r);
	gk_strvec_release(&r->plugins);
	for (i = 0; i < GK_ARRAY_SIZE(fields); i++)
		free(fields[i]);
	memset(r, 0, sizeof(*r));
}

char *gk_extra_string(const char *extra, const char *key)
{
	cJSON *x = extra ? cJSON_Parse(extra) : NULL;
	const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(x, key));
	char *out = v && *v ? gk_strdup(v) : NULL;

	cJSON_Delete(x);
	return out;
}

/* A relative file path: no scheme, no leading '/', no spaces or "..". */
static int plausible_path(const char *s)
{
	return s && *s && *s != '/' && !strchr(s, ':') && !strchr(s, ' ') &&
	       !strstr(s, "..");
}

char *gk_report_location(const struct gk_report *r,
			 const struct gk_frec *f)
{
	size_t n = r->root ? strlen(r->root) : 0;
	const char *p = f->path, *slash;
	char *target;

	if (!p || !*p) {
		target = gk_extra_string(f->extra, "target");
		if (plausible_path(target))
			return target;
		free(target);
		return gk_strdup("Dockerfile");
	}
	if (*p != '/')
		return gk_strdup(p);
	if (n && !strncmp(p, r->root, n) && p[n] == '/' && p[n + 1])
		return gk_strdup(p + n + 1);
	slash = strrchr(p, '/');
	return gk_strdup(slash[1] ? slash + 1 : "Dockerfile");
}

const char *gk_severity_level(int sev)
{
	if (sev >= GK_SEV_HIGH)
		return "error";
	return sev == GK_SEV_MEDIUM ? "warning" : "note";
}

static const char *const formats[] = {
	"text", "json", "sarif", "junit", "markdown", "github",
};

int gk_report_known(const char *fmt)
{
	size_t i;

	for (i = 0; i < GK_ARRAY_SIZE(formats); i++)
		if (!strcmp(fmt, formats[i]))
			return 1;
	return 0;
}

const char *gk_report_format_names(void)
{
	return "text, json, sarif, junit, markdown, github";
}

int gk_report_write(const struct gk_report *r, const char *fmt, FILE *out,
		    const struct gk_report_opts *o)
{
	int rc;

	if (!strcmp(fmt, "json"))
		rc = gk_report_json(r, out);
	else if (!strcmp(fmt, "text"))
		rc = gk_report_text(r, out, o);
	else if (!strcmp(fmt, "sarif"))
		rc = gk_report_sarif(r, out, o);
	else if (!strcmp(fmt, "junit"))
		rc = gk_report_junit(r, out);
	else if (!strcmp(fmt, "markdown"))
		rc = gk_report_markdown(r, out, o);
	else if (!strcmp(fmt, "github"))
		rc = gk_report_github(r, out, o);
	else
		return gk_error("unknown report format '%s'", fmt);
	if (fflush(out) != 0 || ferror(out))
		return gk_error("report: write error");
	return rc;
}
