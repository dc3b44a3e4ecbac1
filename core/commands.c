#include "commands.h"

#include "history.h"
#include "log.h"
#include "report.h"
#include "scan.h"
#include "session.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- reports ---------------------------------------------------------- */

static int use_colour(const struct gk_options *o, FILE *out)
{
	const char *nc = getenv("NO_COLOR");

	if (o->no_color || (nc && *nc) || out != stdout)
		return 0;
	return isatty(fileno(stdout));
}

/* The SARIF category: --sarif-category, else sarif.category of c. */
static const char *sarif_category(const struct gk_options *o,
				  const struct gk_config *c)
{
	const struct gk_ynode *sarif;

	if (o->sarif_category)
		return o->sarif_category;
	sarif = c ? gk_ymap_get(c->doc, "sarif") : NULL;
	return sarif ? gk_yscalar(gk_ymap_get(sarif, "category")) : NULL;
}

/*
 * GitHub's step summary file collects what every step writes to it, so
 * a report sent there is appended; any other file is replaced.
 */
static const char *open_mode(const char *path)
{
	const char *summary = getenv("GITHUB_STEP_SUMMARY");

	return summary && *summary && !strcmp(summary, path) ? "a" : "w";
}

static int write_one(const struct gk_report *r, const char *fmt,
		     const char *path, const struct gk_options *o,
		     const struct gk_config *c)
{
	struct gk_report_opts ro;
	FILE *out = stdout;
	int rc;

	if (path && !(out = fopen(path, open_mode(path))))
		return gk_error("report: cannot write '%s': %s", path,
				strerror(errno));
	memset(&ro, 0, sizeof(ro));
	ro.quiet = o->quiet;
	ro.color = use_colour(o, out);
	ro.sarif_category = sarif_category(o, c);
	rc = gk_report_write(r, fmt, out, &ro);
	if (out != stdout && fclose(out) != 0)
		rc = gk_error("report: cannot write '%s'", path);
	return rc;
}

/* Checks every requested format before anything is written. */
/* Where format i goes: its own file, --output, or NULL for stdout. */
static const char *destination(const struct gk_options *o, size_t i)
{
	return o->formats[i].path ? o->formats[i].path : o->output;
}

static int same_place(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int gk_report_check_formats(const struct gk_options *o)
{
	size_t i, j;

	for (i = 0; i < o->nformats; i++) {
		if (!gk_report_known(o->formats[i].format))
			return gk_error("unknown format '%s' (%s)",
					o->formats[i].format,
					gk_report_format_names());
		for (j = 0; j < i; j++)
			if (same_place(destination(o, i), destination(o, j)))
				return gk_error("formats '%s' and '%s' would "
						"both go to %s; give one a "
						"file: --format %s=FILE",
						o->formats[j].format,
						o->formats[i].format,
						destination(o, i)
							? destination(o, i)
							: "stdout",
						o->formats[i].format);
	}
	return 0;
}

int gk_report_emit(struct gk_options *o, const struct gk_config *c,
		   sqlite3 *db, int64_t scan)
{
	struct gk_report r;
	size_t i;
	int rc = 0;

	if (gk_report_check_formats(o))
		return GK_EXIT_USAGE;
	if (gk_report_load(&r, db, scan))
		return GK_EXIT_RUNTIME;
	if (o->nformats == 0)
		rc = write_one(&r, "text", o->output, o, c);
	for (i = 0; i < o->nformats && rc == 0; i++)
		rc = write_one(&r, o->formats[i].format,
			       o->formats[i].path ? o->formats[i].path
						  : o->output, o, c);
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
	size_t a = 0;
	int rc;

	if (o->args.n && !strcmp(o->args.v[0], "list"))
		a = 1;
	else if (o->args.n && !strcmp(o->args.v[0], "test"))
		return gk_error("rules test is not available in this build"),
		       GK_EXIT_USAGE;
	rc = gk_session_open(&s, o, o->args.n > a ? o->args.v[a] : ".");

	if (rc == GK_EXIT_PASS)
		rc = gk_session_store(&s, ":memory:");
	if (rc == GK_EXIT_PASS)
		rc = gk_session_init_plugins(&s);
	if (rc == GK_EXIT_PASS && print_rules(s.run.db))
		rc = GK_EXIT_RUNTIME;
	gk_session_close(&s);
	return rc;
}

/* ---- commands over the database ---------------------------------------- */

/* The root, database and configuration a database command works on. */
struct dbcmd {
	char *root;
	char *db_path;
	sqlite3 *db;
	struct gk_config config;
};

static void dbcmd_close(struct dbcmd *d)
{
	if (d->db)
		gk_store_close(d->db);
	free(d->root);
	free(d->db_path);
	gk_config_release(&d->config);
}

/*
 * Resolves root (a directory) and opens its database: --db, else
 * ROOT/.gatekeeper/gatekeeper.db, which must exist.  Returns GK_EXIT_*.
 */
static int dbcmd_open(struct dbcmd *d, const struct gk_options *o,
		      const char *root, int readonly)
{
	char real[PATH_MAX];

	memset(d, 0, sizeof(*d));
	gk_config_init(&d->config);
	if (!realpath(root, real) || !gk_is_dir(real))
		return gk_error("'%s': not a directory", root), GK_EXIT_USAGE;
	d->root = gk_strdup(real);
	d->db_path = o->db ? gk_strdup(o->db)
			   : gk_asprintf("%s/.gatekeeper/gatekeeper.db", real);
	if (!gk_is_file(d->db_path))
		return gk_error("no database at '%s' (run 'gatekeeper scan' "
				"first)", d->db_path), GK_EXIT_USAGE;
	d->db = gk_store_open(d->db_path, readonly);
	return d->db ? GK_EXIT_PASS : GK_EXIT_RUNTIME;
}

/* A scan id from the command line: it must exist. */
static int named_scan(sqlite3 *db, const char *arg, int64_t *scan)
{
	char *end;
	long long id = strtoll(arg, &end, 10);
	int rc;

	if (!*arg || *end || id <= 0)
		return gk_error("'%s' is not a scan id", arg), GK_EXIT_USAGE;
	rc = gk_history_exists(db, id);
	if (rc < 0)
		return GK_EXIT_RUNTIME;
	if (rc == 0)
		return gk_error("no scan with id %lld", id), GK_EXIT_USAGE;
	*scan = id;
	return GK_EXIT_PASS;
}

/* --scan ID, else the latest scan of the root, else the latest one. */
static int pick_scan(const struct gk_options *o, const struct dbcmd *d,
		     int64_t *scan)
{
	int rc;

	if (o->scan_id)
		return named_scan(d->db, o->scan_id, scan);
	rc = gk_history_latest(d->db, d->root, 0, scan);
	if (rc == 0)
		rc = gk_history_latest(d->db, NULL, 0, scan);
	if (rc < 0)
		return GK_EXIT_RUNTIME;
	if (rc == 0)
		return gk_error("'%s' holds no finished scan", d->db_path),
		       GK_EXIT_USAGE;
	return GK_EXIT_PASS;
}

static int store_verdict(sqlite3 *db, int64_t scan, const char *verdict)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "UPDATE scans SET verdict = ? WHERE id = ?",
			       -1, &st, NULL))
		return gk_error("gate: %s", sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, verdict, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, scan);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : gk_error("gate: %s",
						 sqlite3_errmsg(db));
}

static const char *path_arg(const struct gk_options *o)
{
	return o->args.n ? o->args.v[0] : ".";
}

int gk_cmd_gate(struct gk_options *o)
{
	struct dbcmd d;
	const char *verdict = "pass";
	int64_t scan = 0;
	int rc = dbcmd_open(&d, o, path_arg(o), 0);

	if (rc == GK_EXIT_PASS &&
	    gk_config_load(&d.config, d.root, o->config))
		rc = GK_EXIT_USAGE;
	if (rc == GK_EXIT_PASS)
		rc = pick_scan(o, &d, &scan);
	if (rc == GK_EXIT_PASS)
		rc = gk_policy_run(&d.config, o->baseline, d.db, d.db_path,
				   scan, &verdict);
	if (rc == GK_EXIT_PASS && store_verdict(d.db, scan, verdict))
		rc = GK_EXIT_RUNTIME;
	if (rc == GK_EXIT_PASS)
		rc = gk_report_emit(o, &d.config, d.db, scan);
	if (rc == GK_EXIT_PASS && !strcmp(verdict, "fail"))
		rc = GK_EXIT_FAIL;
	dbcmd_close(&d);
	return rc;
}

int gk_cmd_report(struct gk_options *o)
{
	struct dbcmd d;
	int64_t scan = 0;
	int rc = dbcmd_open(&d, o, path_arg(o), 0);

	if (rc == GK_EXIT_PASS &&
	    gk_config_load(&d.config, d.root, o->config))
		rc = GK_EXIT_USAGE;
	if (rc == GK_EXIT_PASS)
		rc = pick_scan(o, &d, &scan);
	if (rc == GK_EXIT_PASS)
		rc = gk_report_emit(o, &d.config, d.db, scan);
	dbcmd_close(&d);
	return rc;
}

/* text or json from the first --format; its file or --output. */
static int listing_format(const struct gk_options *o, int *json,
			  const char **path)
{
	const char *fmt = o->nformats ? o->formats[0].format : "text";

	*json = !strcmp(fmt, "json");
	*path = o->nformats && o->formats[0].path ? o->formats[0].path
						  : o->output;
	if (!*json && strcmp(fmt, "text") != 0)
		return gk_error("'%s' lists as text or json, not '%s'",
				o->command, fmt), GK_EXIT_USAGE;
	return GK_EXIT_PASS;
}

/* Opens the database of --root (or .) with the root as a filter. */
static int open_listing(struct dbcmd *d, const struct gk_options *o)
{
	int rc = dbcmd_open(d, o, o->root_filter ? o->root_filter : ".", 1);

	if (rc == GK_EXIT_PASS && !o->root_filter) {
		free(d->root);
		d->root = NULL;
	}
	return rc;
}

static FILE *open_out(const char *path)
{
	FILE *out = path ? fopen(path, "w") : stdout;

	if (!out)
		gk_error("cannot write '%s': %s", path, strerror(errno));
	return out;
}

static int close_out(FILE *out, const char *path, int rc)
{
	if (out && out != stdout && fclose(out) != 0)
		return gk_error("cannot write '%s'", path), GK_EXIT_RUNTIME;
	return rc;
}

int gk_cmd_scans(struct gk_options *o)
{
	struct dbcmd d;
	const char *path = NULL;
	FILE *out = NULL;
	int json = 0;
	int rc = listing_format(o, &json, &path);

	memset(&d, 0, sizeof(d));
	if (rc == GK_EXIT_PASS)
		rc = open_listing(&d, o);
	if (rc == GK_EXIT_PASS && !(out = open_out(path)))
		rc = GK_EXIT_RUNTIME;
	if (rc == GK_EXIT_PASS && gk_scans_list(d.db, d.root, json, out))
		rc = GK_EXIT_RUNTIME;
	rc = close_out(out, path, rc);
	dbcmd_close(&d);
	return rc;
}

/* diff [A [B]]: by default the two latest scans; B defaults to the latest. */
static int diff_pair(const struct gk_options *o, const struct dbcmd *d,
		     int64_t *from, int64_t *to)
{
	int rc;

	if (o->args.n > 2)
		return gk_error("diff takes at most two scan ids"),
		       GK_EXIT_USAGE;
	if (o->args.n == 2)
		return named_scan(d->db, o->args.v[0], from) ||
		       named_scan(d->db, o->args.v[1], to) ? GK_EXIT_USAGE
							   : GK_EXIT_PASS;
	rc = gk_history_latest(d->db, d->root, 0, to);
	if (rc > 0 && o->args.n == 1)
		return named_scan(d->db, o->args.v[0], from);
	if (rc > 0)
		rc = gk_history_latest(d->db, d->root, 1, from);
	if (rc < 0)
		return GK_EXIT_RUNTIME;
	if (rc == 0)
		return gk_error("diff needs two finished scans in '%s'",
				d->db_path), GK_EXIT_USAGE;
	return GK_EXIT_PASS;
}

int gk_cmd_diff(struct gk_options *o)
{
	struct dbcmd d;
	struct gk_diff df;
	const char *path = NULL;
	int64_t from = 0, to = 0;
	FILE *out = NULL;
	int json = 0;
	int rc = listing_format(o, &json, &path);

	memset(&d, 0, sizeof(d));
	memset(&df, 0, sizeof(df));
	if (rc == GK_EXIT_PASS)
		rc = open_listing(&d, o);
	if (rc == GK_EXIT_PASS)
		rc = diff_pair(o, &d, &from, &to);
	if (rc == GK_EXIT_PASS && gk_diff_load(&df, d.db, from, to))
		rc = GK_EXIT_RUNTIME;
	if (rc == GK_EXIT_PASS && !(out = open_out(path)))
		rc = GK_EXIT_RUNTIME;
	if (rc == GK_EXIT_PASS &&
	    (json ? gk_diff_json(&df, out) : gk_diff_text(&df, out)))
		rc = GK_EXIT_RUNTIME;
	rc = close_out(out, path, rc);
	gk_diff_release(&df);
	dbcmd_close(&d);
	return rc;
}

/* Writes all of data to a new file at path (replaced when force). */
static int write_new(const char *path, const char *data, int force)
{
	int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (force ? O_TRUNC
							    : O_EXCL);
	int fd = open(path, flags, 0644);
	size_t len = strlen(data);
	ssize_t n;

	if (fd < 0 && errno == EEXIST)
		return gk_error("init: '%s' already exists (--force replaces "
				"it)", path), GK_EXIT_USAGE;
	if (fd < 0)
		return gk_error("init: '%s': %s", path, strerror(errno)),
		       GK_EXIT_RUNTIME;
	n = write(fd, data, len);
	if (close(fd) != 0 || n != (ssize_t)len)
		return gk_error("init: cannot write '%s'", path),
		       GK_EXIT_RUNTIME;
	return GK_EXIT_PASS;
}

/* init [PATH]: writes PATH/gatekeeper.yaml (or --config FILE). */
int gk_cmd_init(struct gk_options *o)
{
	char *path = o->config ? gk_strdup(o->config)
			       : gk_asprintf("%s/%s", path_arg(o),
					     GK_CONFIG_FILE);
	int rc = write_new(path, gk_policy_default_yaml, o->force);

	if (rc == GK_EXIT_PASS)
		gk_info("init: wrote '%s'", path);
	free(path);
	return rc;
}
