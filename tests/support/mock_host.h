/*
 * A mock host for plugin tests: implements struct gk_host_api by keeping
 * every rule, finding, component and log line in memory, so a plugin's
 * tests link without the real host.  All strings are copies owned by the
 * mock; mock_host_free() releases them.
 */
#ifndef GK_MOCK_HOST_H
#define GK_MOCK_HOST_H

#include <gatekeeper/plugin.h>

struct mock_finding {
	char *rule, *title, *message, *path, *snippet, *secret_hash;
	char *fingerprint_key, *fingerprint, *package, *ecosystem;
	char *installed, *fixed, *advisory, *extra_json;
	int severity, line, column, end_line, end_column;
	double cvss;
};

struct mock_component {
	char *name, *version, *ecosystem, *purl, *type, *licenses, *path;
	char *hashes, *parent;
};

struct mock_host_state;

/* A new empty host; scan_root() answers root (may be NULL: "/"). */
gk_host *mock_host_new(const char *root);
void mock_host_free(gk_host *h);
const struct gk_host_api *mock_host_api(void);

size_t mock_host_nfindings(gk_host *h);
const struct mock_finding *mock_host_finding(gk_host *h, size_t i);
size_t mock_host_ncomponents(gk_host *h);
const struct mock_component *mock_host_component(gk_host *h, size_t i);
size_t mock_host_nrules(gk_host *h);
const struct gk_rule_info *mock_host_rule(gk_host *h, size_t i);
/* Number of log lines at level or more severe (lower). */
size_t mock_host_nlogs(gk_host *h, int level);
/* The i-th log line of any level, or NULL. */
const char *mock_host_log_line(gk_host *h, size_t i);
/* Forgets findings, components and logs; keeps rules. */
void mock_host_reset(gk_host *h);
/* Count of findings with this rule id. */
size_t mock_host_count_rule(gk_host *h, const char *rule);

/*
 * Runs one plugin over one in-memory file: init (when state is NULL it is
 * created and returned through *state), wants, scan_file.  Returns the
 * scan_file result, 1 when the plugin did not want the file, or -100 when
 * init failed.
 */
int mock_scan(const struct gk_plugin *p, gk_host *h, void **state,
	      const char *config_json, const char *path, const void *data,
	      size_t len);

#endif
