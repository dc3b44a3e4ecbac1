/*
 * Reports are rendered from the database only, so `gatekeeper report`
 * can re-render any earlier scan.  gk_report_load reads one scan's row,
 * findings (most severe first, then path and line) and gate results.
 */
#ifndef GK_REPORT_H
#define GK_REPORT_H

#include "policy.h"
#include "store.h"

#include <sqlite3.h>
#include <stdio.h>

struct gk_report {
	int64_t scan;
	char *root, *branch, *commit_id, *started, *finished, *tool_version;
	char *verdict, *mode;
	int64_t files_scanned, files_skipped, bytes_scanned;
	struct gk_frec *findings;
	size_t nfindings;
	struct gk_gate_result *gates;
	size_t ngates;
};

struct gk_report_opts {
	int color;  /* ANSI colours in text output */
	int quiet;
};

int gk_report_load(struct gk_report *r, sqlite3 *db, int64_t scan);
void gk_report_release(struct gk_report *r);

/* True when fmt is a format this build can write. */
int gk_report_known(const char *fmt);

/* Writes r as fmt to out; 0, or -1 on an unknown format or I/O error. */
int gk_report_write(const struct gk_report *r, const char *fmt, FILE *out,
		    const struct gk_report_opts *o);

int gk_report_json(const struct gk_report *r, FILE *out);
int gk_report_text(const struct gk_report *r, FILE *out,
		   const struct gk_report_opts *o);

#endif
