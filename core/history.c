#include "history.h"

#include "log.h"
#include "report.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

int gk_history_latest(sqlite3 *db, const char *root, int skip, int64_t *id)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT id FROM scans WHERE status = 'done'"
			       " AND (?1 IS NULL OR root = ?1) ORDER BY id DESC"
			       " LIMIT 1 OFFSET ?2", -1, &st, NULL))
		return gk_error("history: %s", sqlite3_errmsg(db));
	if (root)
		sqlite3_bind_text(st, 1, root, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, skip);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : gk_error("history: %s",
						 sqlite3_errmsg(db));
}

int gk_history_exists(sqlite3 *db, int64_t id)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM scans WHERE id = ?", -1, &st,
			       NULL))
		return gk_error("history: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : gk_error("history: %s",
						 sqlite3_errmsg(db));
}

/*
 * The findings of a scan, each with its copy number k: the k-th finding
 * of its fingerprint in path and line order.  Two scans are compared as
 * multisets: copy k of a fingerprint matches copy k in the other scan.
 */
#define COPIES(scan)                                                        \
	"(SELECT id, fingerprint, row_number() OVER (PARTITION BY"           \
	" fingerprint ORDER BY path, line, col, commit_id, id) AS k"         \
	" FROM findings WHERE scan_id = " scan ")"

/* Findings of scan `in` whose copy has a match in `other` (test "NOT
 * NULL") or none (test "NULL"). */
#define DIFF_SQL(in, other, test)                                           \
	"SELECT " GK_FINDING_COLUMNS " FROM " COPIES(in) " c JOIN findings f" \
	" ON f.id = c.id LEFT JOIN " COPIES(other) " o ON o.fingerprint ="    \
	" c.fingerprint AND o.k = c.k WHERE o.id IS " test " ORDER BY"       \
	" f.severity_level DESC, f.path, f.line, f.col, f.rule, f.id"

int gk_diff_load(struct gk_diff *d, sqlite3 *db, int64_t from, int64_t to)
{
	memset(d, 0, sizeof(*d));
	d->from = from;
	d->to = to;
	if (gk_findings_query(db, DIFF_SQL("?2", "?1", "NULL"), from, to,
			      &d->added, &d->nadded) ||
	    gk_findings_query(db, DIFF_SQL("?1", "?2", "NULL"), from, to,
			      &d->fixed, &d->nfixed) ||
	    gk_findings_query(db, DIFF_SQL("?2", "?1", "NOT NULL"), from, to,
			      &d->unchanged, &d->nunchanged))
		return -1;
	return 0;
}

static void free_list(struct gk_frec *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		gk_frec_release(&f[i]);
	free(f);
}

void gk_diff_release(struct gk_diff *d)
{
	free_list(d->added, d->nadded);
	free_list(d->fixed, d->nfixed);
	free_list(d->unchanged, d->nunchanged);
	memset(d, 0, sizeof(*d));
}

static void text_section(FILE *out, const char *name,
			 const struct gk_frec *f, size_t n)
{
	size_t i;

	fprintf(out, "%s (%zu)\n", name, n);
	for (i = 0; i < n; i++) {
		fprintf(out, "  %-8s ", gk_severity_name(f[i].severity));
		gk_report_put(out, f[i].plugin, NULL);
		fputc('/', out);
		gk_report_put(out, f[i].rule, NULL);
		fputs("  ", out);
		gk_report_put(out, f[i].path && *f[i].path ? f[i].path
							   : "(no file)", NULL);
		if (f[i].line > 0)
			fprintf(out, ":%d", f[i].line);
		fputs("  ", out);
		gk_report_put(out, f[i].title, NULL);
		fputc('\n', out);
	}
	fputc('\n', out);
}

int gk_diff_text(const struct gk_diff *d, FILE *out)
{
	text_section(out, "new", d->added, d->nadded);
	text_section(out, "fixed", d->fixed, d->nfixed);
	text_section(out, "unchanged", d->unchanged, d->nunchanged);
	fprintf(out, "diff scan %lld..%lld: %zu new, %zu fixed, %zu unchanged\n",
		(long long)d->from, (long long)d->to, d->nadded, d->nfixed,
		d->nunchanged);
	return 0;
}

static void json_section(cJSON *root, const char *name,
			 const struct gk_frec *f, size_t n)
{
	cJSON *arr = cJSON_AddArrayToObject(root, name);
	size_t i;

	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, gk_finding_json(&f[i]));
}

/* The text of o, well-formed UTF-8 whatever its strings hold; deletes
 * o.  The caller frees the text. */
static char *print_json(cJSON *o)
{
	char *raw = cJSON_Print(o);
	char *text = gk_report_utf8_fix(raw ? raw : "null");

	cJSON_free(raw);
	cJSON_Delete(o);
	return text;
}

int gk_diff_json(const struct gk_diff *d, FILE *out)
{
	cJSON *root = cJSON_CreateObject();
	char *text;
	int rc = 0;

	json_section(root, "new", d->added, d->nadded);
	json_section(root, "fixed", d->fixed, d->nfixed);
	json_section(root, "unchanged", d->unchanged, d->nunchanged);
	text = print_json(root);
	if (fputs(text, out) < 0 || fputc('\n', out) == EOF)
		rc = gk_error("diff: cannot write JSON");
	free(text);
	return rc;
}

static const char *col_text(sqlite3_stmt *st, int i, const char *dflt)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return s ? s : dflt;
}

/* One scan a line; the root, a path from anywhere, is escaped. */
static void scan_text(FILE *out, sqlite3_stmt *st)
{
	fprintf(out, "%6lld  %-20s  %-7s %8lld  %-12.12s %-10.10s ",
		(long long)sqlite3_column_int64(st, 0), col_text(st, 1, "-"),
		col_text(st, 2, "-"), (long long)sqlite3_column_int64(st, 3),
		col_text(st, 4, "-"), col_text(st, 5, "-"));
	gk_report_put(out, col_text(st, 6, "-"), NULL);
	fputc('\n', out);
}

static cJSON *scan_json(sqlite3_stmt *st)
{
	static const char *const keys[] = { "started", "verdict", NULL,
					    "branch", "commit", "root",
					    "status", "finished" };
	cJSON *o = cJSON_CreateObject();
	int i;

	cJSON_AddNumberToObject(o, "id", (double)sqlite3_column_int64(st, 0));
	for (i = 1; i <= 8; i++) {
		const char *s = (const char *)sqlite3_column_text(st, i);

		if (i == 3)
			cJSON_AddNumberToObject(o, "findings",
						(double)sqlite3_column_int64(st,
									     3));
		else if (s)
			cJSON_AddStringToObject(o, keys[i - 1], s);
		else
			cJSON_AddNullToObject(o, keys[i - 1]);
	}
	return o;
}

int gk_scans_list(sqlite3 *db, const char *root, int json, FILE *out)
{
	cJSON *arr = json ? cJSON_CreateArray() : NULL;
	sqlite3_stmt *st;
	char *text;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT id, started, verdict, findings,"
			       " branch, commit_id, root, status, finished"
			       " FROM scans WHERE ?1 IS NULL OR root = ?1"
			       " ORDER BY id DESC", -1, &st, NULL)) {
		cJSON_Delete(arr);
		return gk_error("scans: %s", sqlite3_errmsg(db));
	}
	if (root)
		sqlite3_bind_text(st, 1, root, -1, SQLITE_STATIC);
	if (!json)
		fprintf(out, "%6s  %-20s  %-7s %8s  %-12s %-10s %s\n", "id",
			"started", "verdict", "findings", "branch", "commit",
			"root");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (json)
			cJSON_AddItemToArray(arr, scan_json(st));
		else
			scan_text(out, st);
	}
	sqlite3_finalize(st);
	if (json) {
		text = print_json(arr);
		fprintf(out, "%s\n", text);
		free(text);
	}
	return rc == SQLITE_DONE ? 0 : gk_error("scans: %s",
						 sqlite3_errmsg(db));
}
