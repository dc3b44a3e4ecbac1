#include "store.h"

#include "log.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define BUSY_TIMEOUT_MS 10000

/* Each entry moves the schema from version i to i + 1. */
static const char *const migrations[] = {
	"CREATE TABLE scans ("
	"  id INTEGER PRIMARY KEY,"
	"  root TEXT NOT NULL,"
	"  branch TEXT, commit_id TEXT,"
	"  started TEXT NOT NULL, finished TEXT,"
	"  tool_version TEXT NOT NULL, mode TEXT NOT NULL DEFAULT 'worktree',"
	"  flags TEXT,"
	"  files_scanned INTEGER NOT NULL DEFAULT 0,"
	"  files_skipped INTEGER NOT NULL DEFAULT 0,"
	"  bytes_scanned INTEGER NOT NULL DEFAULT 0,"
	"  findings INTEGER NOT NULL DEFAULT 0,"
	"  verdict TEXT, status TEXT NOT NULL DEFAULT 'running');"
	"CREATE TABLE rules ("
	"  plugin TEXT NOT NULL, id TEXT NOT NULL, title TEXT,"
	"  description TEXT, help TEXT, help_uri TEXT, tags TEXT,"
	"  precision TEXT, severity TEXT NOT NULL,"
	"  PRIMARY KEY (plugin, id));"
	"CREATE TABLE findings ("
	"  id INTEGER PRIMARY KEY,"
	"  scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,"
	"  plugin TEXT NOT NULL, rule TEXT NOT NULL,"
	"  severity TEXT NOT NULL, severity_level INTEGER NOT NULL,"
	"  title TEXT, message TEXT, path TEXT NOT NULL DEFAULT '',"
	"  line INTEGER NOT NULL DEFAULT 0, col INTEGER NOT NULL DEFAULT 0,"
	"  end_line INTEGER NOT NULL DEFAULT 0,"
	"  end_col INTEGER NOT NULL DEFAULT 0,"
	"  fingerprint TEXT NOT NULL, snippet TEXT, secret_hash TEXT,"
	"  package TEXT, ecosystem TEXT, installed TEXT, fixed TEXT,"
	"  advisory TEXT, cvss REAL,"
	"  commit_id TEXT NOT NULL DEFAULT '', author TEXT, email TEXT,"
	"  date TEXT, extra TEXT,"
	"  UNIQUE (scan_id, fingerprint, path, line, col, commit_id));"
	"CREATE INDEX findings_by_scan ON findings(scan_id);"
	"CREATE INDEX findings_by_fingerprint ON findings(fingerprint);"
	"CREATE INDEX findings_by_rule ON findings(rule);"
	"CREATE TABLE components ("
	"  id INTEGER PRIMARY KEY,"
	"  scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,"
	"  plugin TEXT NOT NULL, name TEXT NOT NULL, version TEXT,"
	"  ecosystem TEXT, purl TEXT, type TEXT, licenses TEXT, path TEXT,"
	"  hashes TEXT, parent TEXT);"
	"CREATE INDEX components_by_scan ON components(scan_id);"
	"CREATE TABLE vulnerabilities ("
	"  id TEXT NOT NULL, ecosystem TEXT NOT NULL, package TEXT NOT NULL,"
	"  aliases TEXT, summary TEXT, severity TEXT, cvss REAL,"
	"  ranges TEXT, modified TEXT,"
	"  PRIMARY KEY (id, ecosystem, package));"
	"CREATE TABLE gate_results ("
	"  scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,"
	"  gate_id TEXT NOT NULL, description TEXT, verdict TEXT NOT NULL,"
	"  count INTEGER NOT NULL, max INTEGER NOT NULL, mode TEXT NOT NULL,"
	"  message TEXT, PRIMARY KEY (scan_id, gate_id));",
	/* 2: what the policy decided per finding, and the baseline used. */
	"CREATE TABLE suppressions ("
	"  scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,"
	"  finding_id INTEGER NOT NULL REFERENCES findings(id)"
	"    ON DELETE CASCADE,"
	"  exception TEXT NOT NULL, reason TEXT NOT NULL,"
	"  PRIMARY KEY (scan_id, finding_id));"
	"CREATE TABLE gate_findings ("
	"  scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,"
	"  gate_id TEXT NOT NULL,"
	"  finding_id INTEGER NOT NULL REFERENCES findings(id)"
	"    ON DELETE CASCADE,"
	"  PRIMARY KEY (scan_id, gate_id, finding_id));"
	"ALTER TABLE scans ADD COLUMN baseline TEXT;",
	/*
	 * 3: one problem is one finding however many reports or files name
	 * it: a fingerprint already says plugin, rule, path and content, or
	 * (package findings) artifact, package and advisory.
	 */
	"CREATE UNIQUE INDEX findings_once ON findings"
	"  (scan_id, fingerprint, line, col, commit_id);",
};

static const char *const severity_names[] = {
	"info", "low", "medium", "high", "critical",
};

int gk_store_schema_version(void)
{
	return (int)GK_ARRAY_SIZE(migrations);
}

const char *gk_severity_name(int sev)
{
	if (sev < 0 || sev >= (int)GK_ARRAY_SIZE(severity_names))
		return "medium";
	return severity_names[sev];
}

int gk_severity_parse(const char *word)
{
	size_t i;

	if (!word)
		return -1;
	for (i = 0; i < GK_ARRAY_SIZE(severity_names); i++)
		if (strcasecmp(word, severity_names[i]) == 0)
			return (int)i;
	return -1;
}

void gk_frec_release(struct gk_frec *r)
{
	char *fields[] = { r->plugin, r->rule, r->title, r->message,
			   r->path, r->snippet, r->fingerprint,
			   r->secret_hash, r->package, r->ecosystem,
			   r->installed, r->fixed, r->advisory, r->commit_id,
			   r->author, r->email, r->date, r->extra };
	size_t i;

	for (i = 0; i < GK_ARRAY_SIZE(fields); i++)
		free(fields[i]);
	memset(r, 0, sizeof(*r));
}

void gk_crec_release(struct gk_crec *r)
{
	char *fields[] = { r->plugin, r->name, r->version, r->ecosystem,
			   r->purl, r->type, r->licenses, r->path,
			   r->hashes, r->parent };
	size_t i;

	for (i = 0; i < GK_ARRAY_SIZE(fields); i++)
		free(fields[i]);
	memset(r, 0, sizeof(*r));
}

/* The database's file name for messages. */
static const char *db_name(sqlite3 *db)
{
	const char *name = sqlite3_db_filename(db, "main");

	return name && *name ? name : ":memory:";
}

int gk_store_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	gk_error("store: '%s': %s", db_name(db), msg ? msg : "unknown error");
	sqlite3_free(msg);
	return -1;
}

static int user_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL))
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Brings the schema to the newest version; the caller holds a write
 * transaction, so two processes never migrate one database at once. */
static int migrate_locked(sqlite3 *db, const char *path)
{
	int v = user_version(db);
	int target = (int)GK_ARRAY_SIZE(migrations);

	if (v < 0)
		return gk_error("store: '%s': not a gatekeeper database", path);
	if (v > target)
		return gk_error("store: '%s': schema version %d is newer than "
				"this gatekeeper (%d)", path, v, target);
	for (; v < target; v++) {
		char *bump = gk_asprintf("PRAGMA user_version = %d", v + 1);
		int rc = gk_store_exec(db, migrations[v]) ||
			 gk_store_exec(db, bump);

		free(bump);
		if (rc)
			return gk_error("store: '%s': migration to version %d "
					"failed", path, v + 1);
	}
	return 0;
}

static int migrate(sqlite3 *db, const char *path)
{
	if (gk_store_exec(db, "BEGIN IMMEDIATE"))
		return -1;
	if (migrate_locked(db, path)) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return gk_store_exec(db, "COMMIT");
}

/* Like mkdir -p for the directory holding path. */
static void make_parent_dir(const char *path)
{
	char *dir = gk_strdup(path);
	char *p;

	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			gk_debug("store: cannot create '%s': %s", dir,
				 strerror(errno));
		*p = '/';
	}
	free(dir);
}

/*
 * Switching a new database to WAL needs a moment alone with it; another
 * process opening it at the same time makes the switch report busy, which
 * the busy handler does not cover.  Retry for as long as it would wait.
 */
static int set_wal(sqlite3 *db)
{
	int waited = 0;

	for (;;) {
		int rc = sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL,
				      NULL, NULL);

		if (rc == SQLITE_OK)
			return 0;
		if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
			return gk_store_exec(db, "PRAGMA journal_mode = WAL");
		if (waited >= BUSY_TIMEOUT_MS)
			return gk_error("store: '%s': database is locked",
					db_name(db));
		sqlite3_sleep(20);
		waited += 20;
	}
}

sqlite3 *gk_store_open(const char *path, int readonly)
{
	sqlite3 *db = NULL;
	int flags = readonly ? SQLITE_OPEN_READONLY
			     : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;

	if (!readonly && strcmp(path, ":memory:") != 0)
		make_parent_dir(path);
	flags |= SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_URI;
	if (sqlite3_open_v2(path, &db, flags, NULL)) {
		gk_error("store: '%s': %s", path,
			 db ? sqlite3_errmsg(db) : "cannot open");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(db, 1);
	if (readonly) {
		if (user_version(db) < 1) {
			gk_error("store: '%s': not a gatekeeper database", path);
			sqlite3_close(db);
			return NULL;
		}
		return db;
	}
	if (set_wal(db) ||
	    gk_store_exec(db, "PRAGMA foreign_keys = ON") ||
	    gk_store_exec(db, "PRAGMA synchronous = NORMAL") ||
	    migrate(db, path)) {
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

void gk_store_close(sqlite3 *db)
{
	sqlite3_close(db);
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static int step_done(sqlite3 *db, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return 0;
	return gk_error("store: '%s': %s", db_name(db), sqlite3_errmsg(db));
}

int64_t gk_store_scan_begin(sqlite3 *db, const struct gk_scan_meta *m)
{
	sqlite3_stmt *st;
	char now[32];
	int rc;

	if (sqlite3_prepare_v2(db,
			       "INSERT INTO scans (root, branch, commit_id, "
			       "started, tool_version, mode, flags) "
			       "VALUES (?, ?, ?, ?, ?, ?, ?)", -1, &st, NULL))
		return gk_error("store: '%s': %s", db_name(db), sqlite3_errmsg(db));
	gk_now_iso(now);
	bind_text(st, 1, m->root);
	bind_text(st, 2, m->branch);
	bind_text(st, 3, m->commit_id);
	bind_text(st, 4, now);
	bind_text(st, 5, GK_VERSION);
	bind_text(st, 6, m->mode ? m->mode : "worktree");
	bind_text(st, 7, m->flags);
	rc = step_done(db, st);
	sqlite3_finalize(st);
	return rc ? -1 : sqlite3_last_insert_rowid(db);
}

int gk_store_scan_end(sqlite3 *db, int64_t scan,
		      const struct gk_scan_stats *s, const char *verdict)
{
	sqlite3_stmt *st;
	char now[32];
	int rc;

	if (sqlite3_prepare_v2(db,
			       "UPDATE scans SET finished = ?, files_scanned = ?,"
			       " files_skipped = ?, bytes_scanned = ?,"
			       " findings = ?, verdict = ?, status = 'done' "
			       "WHERE id = ?", -1, &st, NULL))
		return gk_error("store: '%s': %s", db_name(db), sqlite3_errmsg(db));
	gk_now_iso(now);
	bind_text(st, 1, now);
	sqlite3_bind_int64(st, 2, s->files_scanned);
	sqlite3_bind_int64(st, 3, s->files_skipped);
	sqlite3_bind_int64(st, 4, s->bytes_scanned);
	sqlite3_bind_int64(st, 5, s->findings);
	bind_text(st, 6, verdict);
	sqlite3_bind_int64(st, 7, scan);
	rc = step_done(db, st);
	sqlite3_finalize(st);
	return rc;
}

int gk_store_rule_put(sqlite3 *db, const char *plugin,
		      const struct gk_rule_info *r)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db,
			       "INSERT OR REPLACE INTO rules (plugin, id, title,"
			       " description, help, help_uri, tags, precision,"
			       " severity) VALUES (?,?,?,?,?,?,?,?,?)", -1, &st,
			       NULL))
		return gk_error("store: '%s': %s", db_name(db), sqlite3_errmsg(db));
	bind_text(st, 1, plugin);
	bind_text(st, 2, r->id);
	bind_text(st, 3, r->title);
	bind_text(st, 4, r->description);
	bind_text(st, 5, r->help);
	bind_text(st, 6, r->help_uri);
	bind_text(st, 7, r->tags);
	bind_text(st, 8, r->precision);
	bind_text(st, 9, gk_severity_name(r->severity));
	rc = step_done(db, st);
	sqlite3_finalize(st);
	return rc;
}

static const char insert_finding_sql[] =
	"INSERT OR IGNORE INTO findings (scan_id, plugin, rule, severity,"
	" severity_level, title, message, path, line, col, end_line, end_col,"
	" fingerprint, snippet, secret_hash, package, ecosystem, installed,"
	" fixed, advisory, cvss, commit_id, author, email, date, extra)"
	" VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

static void bind_finding(sqlite3_stmt *st, int64_t scan,
			 const struct gk_frec *f)
{
	const char *texts[] = { f->snippet, f->secret_hash, f->package,
				f->ecosystem, f->installed, f->fixed,
				f->advisory };
	int i;

	sqlite3_bind_int64(st, 1, scan);
	bind_text(st, 2, f->plugin);
	bind_text(st, 3, f->rule);
	bind_text(st, 4, gk_severity_name(f->severity));
	sqlite3_bind_int(st, 5, f->severity);
	bind_text(st, 6, f->title);
	bind_text(st, 7, f->message);
	bind_text(st, 8, f->path ? f->path : "");
	sqlite3_bind_int(st, 9, f->line);
	sqlite3_bind_int(st, 10, f->column);
	sqlite3_bind_int(st, 11, f->end_line);
	sqlite3_bind_int(st, 12, f->end_column);
	bind_text(st, 13, f->fingerprint);
	for (i = 0; i < (int)GK_ARRAY_SIZE(texts); i++)
		bind_text(st, 14 + i, texts[i]);
	if (f->cvss > 0)
		sqlite3_bind_double(st, 21, f->cvss);
	else
		sqlite3_bind_null(st, 21);
	bind_text(st, 22, f->commit_id ? f->commit_id : "");
	bind_text(st, 23, f->author);
	bind_text(st, 24, f->email);
	bind_text(st, 25, f->date);
	bind_text(st, 26, f->extra);
}

static void bind_component(sqlite3_stmt *st, int64_t scan,
			   const struct gk_crec *c)
{
	const char *texts[] = { c->plugin, c->name, c->version, c->ecosystem,
				c->purl, c->type, c->licenses, c->path,
				c->hashes, c->parent };
	int i;

	sqlite3_bind_int64(st, 1, scan);
	for (i = 0; i < (int)GK_ARRAY_SIZE(texts); i++)
		bind_text(st, 2 + i, texts[i]);
}

static int put_rows(sqlite3 *db, int64_t scan, const struct gk_frec *f,
		    size_t n, const struct gk_crec *c, size_t m)
{
	sqlite3_stmt *fs = NULL, *cs = NULL;
	int rc = -1;
	size_t i;

	if (sqlite3_prepare_v2(db, insert_finding_sql, -1, &fs, NULL) ||
	    sqlite3_prepare_v2(db,
			       "INSERT INTO components (scan_id, plugin, name,"
			       " version, ecosystem, purl, type, licenses, path,"
			       " hashes, parent) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
			       -1, &cs, NULL)) {
		gk_error("store: '%s': %s", db_name(db), sqlite3_errmsg(db));
		goto out;
	}
	for (i = 0; i < n; i++) {
		bind_finding(fs, scan, &f[i]);
		if (step_done(db, fs))
			goto out;
		sqlite3_reset(fs);
	}
	for (i = 0; i < m; i++) {
		bind_component(cs, scan, &c[i]);
		if (step_done(db, cs))
			goto out;
		sqlite3_reset(cs);
	}
	rc = 0;
out:
	sqlite3_finalize(fs);
	sqlite3_finalize(cs);
	return rc;
}

int gk_store_put(sqlite3 *db, int64_t scan, const struct gk_frec *f,
		 size_t n, const struct gk_crec *c, size_t m)
{
	if (gk_store_exec(db, "BEGIN IMMEDIATE"))
		return -1;
	if (put_rows(db, scan, f, n, c, m)) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return gk_store_exec(db, "COMMIT");
}

int gk_store_gate_put(sqlite3 *db, int64_t scan, const char *gate,
		      const char *description, const char *verdict,
		      int64_t count, int64_t max, const char *mode,
		      const char *message)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db,
			       "INSERT OR REPLACE INTO gate_results (scan_id,"
			       " gate_id, description, verdict, count, max, mode,"
			       " message) VALUES (?,?,?,?,?,?,?,?)", -1, &st,
			       NULL))
		return gk_error("store: '%s': %s", db_name(db), sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, scan);
	bind_text(st, 2, gate);
	bind_text(st, 3, description);
	bind_text(st, 4, verdict);
	sqlite3_bind_int64(st, 5, count);
	sqlite3_bind_int64(st, 6, max);
	bind_text(st, 7, mode);
	bind_text(st, 8, message);
	rc = step_done(db, st);
	sqlite3_finalize(st);
	return rc;
}
