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
			       " files_skipped, bytes_scanned FROM scans "
			       "WHERE id = ?", -1, &st, NULL))
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

static int load_findings(struct gk_report *r, sqlite3 *db)
{
	sqlite3_stmt *st;
	size_t alloc = 0;
	int rc;

	if (sqlite3_prepare_v2(db,
			       "SELECT plugin, rule, severity_level, title, message,"
			       " path, line, col, end_line, end_col, fingerprint,"
			       " snippet, secret_hash, package, ecosystem,"
			       " installed, fixed, advisory, cvss, commit_id,"
			       " author, email, date, extra FROM findings "
			       "WHERE scan_id = ? ORDER BY severity_level DESC,"
			       " path, line, col, rule, id", -1, &st, NULL))
		return gk_error("report: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, r->scan);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (r->nfindings == alloc) {
			alloc = alloc ? alloc * 2 : 64;
			r->findings = gk_realloc(r->findings,
						 alloc * sizeof(*r->findings));
		}
		read_finding(st, &r->findings[r->nfindings++]);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : gk_error("report: %s",
						 sqlite3_errmsg(db));
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

int gk_report_load(struct gk_report *r, sqlite3 *db, int64_t scan)
{
	memset(r, 0, sizeof(*r));
	if (load_scan(r, db, scan) || load_findings(r, db) ||
	    load_gates(r, db)) {
		gk_report_release(r);
		return -1;
	}
	return 0;
}

void gk_report_release(struct gk_report *r)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		gk_frec_release(&r->findings[i]);
	free(r->findings);
	for (i = 0; i < r->ngates; i++) {
		free(r->gates[i].id);
		free(r->gates[i].description);
		free(r->gates[i].verdict);
		free(r->gates[i].mode);
		free(r->gates[i].message);
	}
	free(r->gates);
	free(r->root);
	free(r->branch);
	free(r->commit_id);
	free(r->started);
	free(r->finished);
	free(r->tool_version);
	free(r->verdict);
	free(r->mode);
	memset(r, 0, sizeof(*r));
}

static const char *const formats[] = { "text", "json" };

int gk_report_known(const char *fmt)
{
	size_t i;

	for (i = 0; i < GK_ARRAY_SIZE(formats); i++)
		if (!strcmp(fmt, formats[i]))
			return 1;
	return 0;
}

int gk_report_write(const struct gk_report *r, const char *fmt, FILE *out,
		    const struct gk_report_opts *o)
{
	int rc;

	if (!strcmp(fmt, "json"))
		rc = gk_report_json(r, out);
	else if (!strcmp(fmt, "text"))
		rc = gk_report_text(r, out, o);
	else
		return gk_error("unknown report format '%s'", fmt);
	if (fflush(out) != 0 || ferror(out))
		return gk_error("report: write error");
	return rc;
}
