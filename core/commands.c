#include "log.h"
#include "report.h"
#include "scan.h"
#include "session.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int gk_report_emit(struct gk_options *o, sqlite3 *db, int64_t scan);

static int use_colour(const struct gk_options *o, FILE *out)
{
	const char *nc = getenv("NO_COLOR");

	if (o->no_color || (nc && *nc) || out != stdout)
		return 0;
	return isatty(fileno(stdout));
}

static int write_one(const struct gk_report *r, const char *fmt,
		     const char *path, const struct gk_options *o)
{
	struct gk_report_opts ro = { 0, o->quiet };
	FILE *out = stdout;
	int rc;

	if (path && !(out = fopen(path, "w")))
		return gk_error("report: cannot write '%s': %s", path,
				strerror(errno));
	ro.color = use_colour(o, out);
	rc = gk_report_write(r, fmt, out, &ro);
	if (out != stdout && fclose(out) != 0)
		rc = gk_error("report: cannot write '%s'", path);
	return rc;
}

/* Writes every requested format; text to stdout when none was asked. */
int gk_report_emit(struct gk_options *o, sqlite3 *db, int64_t scan)
{
	struct gk_report r;
	size_t i;
	int rc = 0;

	for (i = 0; i < o->nformats; i++)
		if (!gk_report_known(o->formats[i].format))
			return gk_error("unknown format '%s' (text, json)",
					o->formats[i].format), GK_EXIT_USAGE;
	if (gk_report_load(&r, db, scan))
		return GK_EXIT_RUNTIME;
	if (o->nformats == 0)
		rc = write_one(&r, "text", o->output, o);
	for (i = 0; i < o->nformats && rc == 0; i++)
		rc = write_one(&r, o->formats[i].format,
			       o->formats[i].path ? o->formats[i].path
						  : o->output, o);
	gk_report_release(&r);
	return rc ? GK_EXIT_RUNTIME : GK_EXIT_PASS;
}

int gk_cmd_plugins(struct gk_options *o)
{
	struct gk_session s;
	size_t i;
	int rc = gk_session_open(&s, o, o->args.n ? o->args.v[0] : ".");

	for (i = 0; rc == GK_EXIT_PASS && i < s.plugins.n; i++) {
		const struct gk_plugin *p = s.plugins.v[i].desc;

		printf("%-10s %-8s %s\n           %s\n", p->name, p->version,
		       p->description ? p->description : "",
		       s.plugins.v[i].path);
	}
	gk_session_close(&s);
	return rc;
}

static int print_rules(sqlite3 *db)
{
	sqlite3_stmt *st;
	int n = 0;

	if (sqlite3_prepare_v2(db, "SELECT plugin, id, severity, title FROM "
			       "rules ORDER BY plugin, id", -1, &st, NULL))
		return gk_error("rules: %s", sqlite3_errmsg(db));
	while (sqlite3_step(st) == SQLITE_ROW) {
		printf("%-10s %-40s %-8s %s\n", sqlite3_column_text(st, 0),
		       sqlite3_column_text(st, 1), sqlite3_column_text(st, 2),
		       sqlite3_column_text(st, 3) ? (const char *)
		       sqlite3_column_text(st, 3) : "");
		n++;
	}
	sqlite3_finalize(st);
	fprintf(stderr, "%d rule(s)\n", n);
	return 0;
}

int gk_cmd_rules(struct gk_options *o)
{
	struct gk_session s;
	int rc = gk_session_open(&s, o, o->args.n ? o->args.v[0] : ".");

	if (rc == GK_EXIT_PASS)
		rc = gk_session_store(&s, ":memory:");
	if (rc == GK_EXIT_PASS)
		rc = gk_session_init_plugins(&s);
	if (rc == GK_EXIT_PASS && print_rules(s.run.db))
		rc = GK_EXIT_RUNTIME;
	gk_session_close(&s);
	return rc;
}
