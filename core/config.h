/*
 * gatekeeper.yaml: scan settings, report inputs, plugin sections and the
 * policy (gates, exceptions; read by policy.c from the kept document).
 *
 *   scan:
 *     exclude: [glob, ...]      paths left out of the walk
 *     max_file_size: 10MB       larger files are skipped and counted
 *     plugins: [secret, ...]    which plugins run (default: all found)
 *   reports:
 *     trivy: [file, ...]        report files to ingest
 *     grype: [file, ...]
 *   <plugin name>: {...}        handed to that plugin's init() as JSON
 */
#ifndef GK_CONFIG_H
#define GK_CONFIG_H

#include "util.h"
#include "ydoc.h"

#include <stdint.h>

#define GK_CONFIG_FILE "gatekeeper.yaml"
#define GK_DEFAULT_MAX_FILE_SIZE (10 * 1024 * 1024)
#define GK_CONFIG_MAX_BYTES (4 * 1024 * 1024)

struct gk_config {
	char *path; /* the file read, or NULL: built-in defaults */
	struct gk_ynode *doc;
	struct gk_strvec exclude;
	int64_t max_file_size;
	struct gk_strvec plugins;
	struct gk_strvec trivy_reports;
	struct gk_strvec grype_reports;
};

void gk_config_init(struct gk_config *c);
void gk_config_release(struct gk_config *c);

/*
 * Loads explicit (when not NULL) or ROOT/gatekeeper.yaml when it exists.
 * Returns 0, or -1 after logging one line naming file, line and column.
 */
int gk_config_load(struct gk_config *c, const char *root, const char *explicit);

/* Parses a document already in memory; name is used in messages. */
int gk_config_parse(struct gk_config *c, const char *name, const char *data,
		    size_t len);

/*
 * The JSON object handed to a plugin's init(): its section of the file
 * (or {}), plus "rules_dir".  The caller frees it.
 */
char *gk_config_plugin_json(const struct gk_config *c, const char *plugin,
			    const char *rules_dir);

/*
 * A top-level key must be a setting or the name of a plugin in names
 * (every plugin found, run or not), and a plugin's section a mapping.
 * Returns 0, or -1 after logging file, line and column.
 */
int gk_config_check_keys(const struct gk_config *c,
			 const struct gk_strvec *names);

#endif
