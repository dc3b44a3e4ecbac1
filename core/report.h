/*
 * Reports are rendered from the database only, so `gatekeeper report`
 * and `gatekeeper gate` can re-render any earlier scan.  gk_report_load
 * reads one scan's row, its findings (most severe first, then path and
 * line) with what the policy decided about each, its gate results and
 * the rules that fired.  Every string in a struct gk_report is owned by
 * it; gk_report_release frees them.
 */
#ifndef GK_REPORT_H
#define GK_REPORT_H

#include "cli.h"
#include "config.h"
#include "policy.h"
#include "store.h"

#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdio.h>

/* A row of the rules table. */
struct gk_rule_row {
	char *plugin, *id, *title, *description, *help, *help_uri, *tags;
	char *precision;
	int severity;
};

/* What the policy decided about one finding: exception NULL if none. */
struct gk_fnote {
	int64_t id;
	char *exception, *reason;
};

struct gk_report {
	int64_t scan;
	char *root, *branch, *commit_id, *started, *finished, *tool_version;
	char *verdict, *mode, *baseline;
	int64_t files_scanned, files_skipped, bytes_scanned;
	struct gk_frec *findings;
	struct gk_fnote *notes; /* parallel to findings */
	size_t nfindings, nsuppressed;
	struct gk_gate_result *gates;
	size_t ngates;
	struct gk_rule_row *rules; /* sorted by plugin, id */
	size_t nrules;
	struct gk_strvec plugins; /* known to the database, sorted */
};

/* Limits of 0 take the defaults named beside them. */
struct gk_report_opts {
	int color; /* ANSI colours in text output */
	int quiet;
	const char *sarif_category;  /* "gatekeeper/{plugin}" */
	size_t sarif_max_results;    /* 25000 per run (GitHub's limit) */
	size_t sarif_max_bytes;      /* 10 MB uncompressed */
	size_t annotations_max;      /* 10 per level (GitHub shows 10) */
	size_t markdown_top;         /* 10 findings */
};

int gk_report_load(struct gk_report *r, sqlite3 *db, int64_t scan);
void gk_report_release(struct gk_report *r);

/* The rule row of plugin's rule id, or NULL when the table has none. */
const struct gk_rule_row *gk_report_rule(const struct gk_report *r,
					 const char *plugin, const char *id);

/* True when fmt is a format this build can write. */
int gk_report_known(const char *fmt);
/* The formats, comma-separated, for messages. */
const char *gk_report_format_names(void);

/* Writes r as fmt to out; 0, or -1 on an unknown format or I/O error. */
int gk_report_write(const struct gk_report *r, const char *fmt, FILE *out,
		    const struct gk_report_opts *o);

int gk_report_json(const struct gk_report *r, FILE *out);
int gk_report_text(const struct gk_report *r, FILE *out,
		   const struct gk_report_opts *o);
int gk_report_sarif(const struct gk_report *r, FILE *out,
		    const struct gk_report_opts *o);
int gk_report_junit(const struct gk_report *r, FILE *out);
int gk_report_markdown(const struct gk_report *r, FILE *out,
		       const struct gk_report_opts *o);
int gk_report_github(const struct gk_report *r, FILE *out,
		     const struct gk_report_opts *o);

/*
 * Findings of the statement sql (its columns start with those of
 * GK_FINDING_COLUMNS) with ?1 = a and ?2 = b bound, appended to *out.
 * Returns 0 or -1 (logged).  The caller releases each and frees *out.
 */
#define GK_FINDING_COLUMNS                                                   \
	"f.plugin, f.rule, f.severity_level, f.title, f.message, f.path,"    \
	" f.line, f.col, f.end_line, f.end_col, f.fingerprint, f.snippet,"   \
	" f.secret_hash, f.package, f.ecosystem, f.installed, f.fixed,"      \
	" f.advisory, f.cvss, f.commit_id, f.author, f.email, f.date,"       \
	" f.extra"
int gk_findings_query(sqlite3 *db, const char *sql, int64_t a, int64_t b,
		      struct gk_frec **out, size_t *n);

/* A finding as the JSON report writes it; the caller deletes it. */
cJSON *gk_finding_json(const struct gk_frec *f);

/*
 * Where a finding points, relative to the root, for SARIF and
 * annotations: its own path; for a finding without one, the target its
 * report names when that is a relative file path, else the Dockerfile;
 * a path outside the root becomes its last component.  Caller frees.
 */
char *gk_report_location(const struct gk_report *r, const struct gk_frec *f);

/* The string value of key in the JSON object text extra, or NULL. */
char *gk_extra_string(const char *extra, const char *key);

/* Writes one byte of a printable run with the format's own escaping. */
typedef void gk_report_putc_fn(FILE *out, int c);

/*
 * Writes untrusted text s (NULL: nothing) so that it cannot steer a
 * terminal or break a line: each byte of a control character (C0 with
 * tab and newline, DEL, C1), of U+FFFE or U+FFFF, or that is not part of
 * well-formed UTF-8 is written as the text "\xNN"; every other byte
 * goes through put (NULL: written as it is).  Text, Markdown, GitHub and
 * JUnit output write every stored string through it.
 */
void gk_report_put(FILE *out, const char *s, gk_report_putc_fn *put);

/*
 * A copy of text with each byte that is not part of well-formed UTF-8
 * replaced by U+FFFD: cJSON copies string bytes as they are, so JSON
 * and SARIF output go through it.  The caller frees the copy.
 */
char *gk_report_utf8_fix(const char *text);

/* Severity as an annotation or SARIF level: error, warning or note. */
const char *gk_severity_level(int sev);

/*
 * Writes the reports o asks for (text to stdout when none) for scan,
 * with settings from c (may be NULL).  Returns a GK_EXIT_* status.
 */
int gk_report_emit(struct gk_options *o, const struct gk_config *c,
		   sqlite3 *db, int64_t scan);

#endif
