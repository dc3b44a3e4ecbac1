/*
 * The SQLite store: one file holding every scan, its findings, components,
 * rules and gate results.  WAL mode, a busy timeout, schema version in
 * user_version with forward migrations.  Only the writer connection
 * changes anything; gates and reports read through a read-only one.
 */
#ifndef GK_STORE_H
#define GK_STORE_H

#include <gatekeeper/plugin.h>
#include <sqlite3.h>
#include <stdint.h>


/* A finding as stored: every string owned (may be NULL). */
struct gk_frec {
	char *plugin, *rule, *title, *message, *path, *snippet;
	char *fingerprint, *secret_hash, *package, *ecosystem, *installed;
	char *fixed, *advisory, *commit_id, *author, *email, *date, *extra;
	int severity, line, column, end_line, end_column;
	double cvss;
};

struct gk_crec {
	char *plugin, *name, *version, *ecosystem, *purl, *type, *licenses;
	char *path, *hashes, *parent;
};

/* The schema version this build migrates databases to. */
int gk_store_schema_version(void);

void gk_frec_release(struct gk_frec *r);
void gk_crec_release(struct gk_crec *r);

struct gk_scan_meta {
	const char *root, *branch, *commit_id, *mode, *flags;
};

struct gk_scan_stats {
	int64_t files_scanned, files_skipped, bytes_scanned;
	int64_t findings;
};

/*
 * Opens (creating and migrating unless readonly) the database at path;
 * ":memory:" for none.  Creates the parent directory of a new file.
 * Returns a handle or NULL after logging why.
 */
sqlite3 *gk_store_open(const char *path, int readonly);
void gk_store_close(sqlite3 *db);

/* Inserts a scans row; returns its id, or -1. */
int64_t gk_store_scan_begin(sqlite3 *db, const struct gk_scan_meta *m);
int gk_store_scan_end(sqlite3 *db, int64_t scan,
		      const struct gk_scan_stats *st, const char *verdict);

int gk_store_rule_put(sqlite3 *db, const char *plugin,
		      const struct gk_rule_info *r);

/*
 * Writes n findings and m components of one scan in one transaction.
 * A finding whose fingerprint, line, column and commit repeat one
 * already stored for the scan is dropped (two reports of one problem).
 */
int gk_store_put(sqlite3 *db, int64_t scan, const struct gk_frec *f,
		 size_t n, const struct gk_crec *c, size_t m);

int gk_store_gate_put(sqlite3 *db, int64_t scan, const char *gate,
		      const char *description, const char *verdict,
		      int64_t count, int64_t max, const char *mode,
		      const char *message);

/* Severity names: "info".."critical"; -1 for an unknown word. */
const char *gk_severity_name(int sev);
int gk_severity_parse(const char *word);

/* Runs one statement with no result; 0 or -1 (logged). */
int gk_store_exec(sqlite3 *db, const char *sql);

#endif
