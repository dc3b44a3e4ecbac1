/*
 * gitleaks compatibility, host side (docs/gitleaks.md):
 *   - the gitleaks configuration (--gitleaks-config FILE, else
 *     ROOT/.gitleaks.toml) and the files its [extend] path names, read and
 *     parsed for the secret plugin's "gitleaks" setting;
 *   - the ignore files ROOT/.gitleaksignore and ROOT/.gatekeeperignore;
 *   - the filtered host API every plugin gets: findings an ignore entry
 *     names, and the hashes in gatekeeper's own reports, are dropped.
 */
#ifndef GK_GITLEAKS_H
#define GK_GITLEAKS_H

#include "host.h"
#include "util.h"

#include <cjson/cJSON.h>

#define GK_GITLEAKS_FILE ".gitleaks.toml"
#define GK_GITLEAKS_MAX_BYTES (4 * 1024 * 1024)
#define GK_GITLEAKS_MAX_EXTEND 4 /* files in one [extend] chain */
#define GK_IGNORE_MAX_BYTES (4 * 1024 * 1024)

/*
 * Reads explicit (when not NULL) or ROOT/.gitleaks.toml when it exists,
 * then the chain of [extend] path files, each relative to the directory
 * of the file naming it; a chain that starts in the scanned tree must
 * stay in it.  *out is a new array, the file extended by all others
 * first, each parsed object with "source" set to its path; NULL when
 * there is no configuration.  Returns 0, or -1 after logging one located
 * line.
 */
int gk_gitleaks_read(const char *root, const char *explicit, cJSON **out);

/* json (a plugin's configuration object, taken) with "gitleaks" set to
 * a copy of configs; a new string. */
char *gk_gitleaks_plugin_json(char *json, const cJSON *configs);

/* One gitleaks-style entry: [commit:]path:rule:line. */
struct gk_ignore_entry {
	char *commit; /* NULL: any commit, and the working tree */
	char *path;
	char *rule;
	int line;
};

/* Ignore entries.  fingerprints is sorted. */
struct gk_ignore {
	struct gk_strvec fingerprints;
	struct gk_ignore_entry *entries;
	size_t nentries;
};

/* Reads ROOT/.gitleaksignore and ROOT/.gatekeeperignore when present; a
 * line it cannot read is a warning.  Returns 0, or -1 when a file exists
 * but cannot be read. */
int gk_ignore_load(struct gk_ignore *ig, const char *root);
void gk_ignore_release(struct gk_ignore *ig);

/* Does an entry name this finding?  commit may be NULL; line is the line
 * in the original file. */
int gk_ignore_has(const struct gk_ignore *ig, const char *fingerprint,
		  const char *commit, const char *path, const char *rule,
		  int line);

/* Is this secret one of the hex digests a gatekeeper report (JSON, SARIF,
 * and so a baseline) holds, in a file that is such a report? */
int gk_gitleaks_own_report(const struct gk_file *file, const char *secret);

#endif
