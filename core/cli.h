/*
 * The command line: gatekeeper COMMAND [OPTIONS] [ARGS].  Parsing fills a
 * struct gk_options; commands read it.  Flags follow DESIGN.md's contract.
 */
#ifndef GK_CLI_H
#define GK_CLI_H

#include "util.h"

#include <stdio.h>

enum { GK_EXIT_PASS = 0, GK_EXIT_FAIL = 1, GK_EXIT_USAGE = 2,
       GK_EXIT_RUNTIME = 3 };

/* One --format request: fmt to path, or to stdout when path is NULL. */
struct gk_format_req {
	char *format;
	char *path;
};

struct gk_options {
	const char *command;
	struct gk_strvec args;   /* positional arguments after the command */
	struct gk_format_req *formats;
	size_t nformats;
	const char *output;
	const char *db;
	const char *config;
	const char *plugin_dir;
	struct gk_strvec plugins;
	int staged;
	int history;
	const char *history_range;
	const char *baseline;
	const char *sbom;
	struct gk_strvec trivy_reports;
	struct gk_strvec grype_reports;
	const char *gitleaks_config;
	const char *scan_id;     /* gate/report --scan ID */
	const char *root_filter; /* diff/scans --root PATH */
	const char *sarif_category; /* --sarif-category NAME */
	int jobs;
	int quiet;
	int verbose;
	int no_color;
	int force;
	int help;
};

/* Parses argv; 0, or GK_EXIT_USAGE after printing the problem. */
int gk_cli_parse(struct gk_options *o, int argc, char **argv);
void gk_options_release(struct gk_options *o);
void gk_cli_usage(FILE *out);

#endif
