/*
 * gatekeeper plugin ABI.
 *
 * A plugin is a shared object that exports one function, gk_plugin_entry(),
 * returning a pointer to a constant struct gk_plugin.  The host reads the
 * first two fields (abi_version, struct_size) before anything else and
 * refuses a plugin built against another ABI version.
 *
 * Rules for both sides:
 *   - New fields are only ever appended to the structs below; struct_size
 *     tells each side how much of the other's struct it may read.
 *   - The host owns all I/O, threads and storage.  A plugin never opens the
 *     database, never writes files except through the host, never exits.
 *   - scan_file() runs on several threads at once.  State built in init()
 *     is read-only afterwards; anything mutable must be per call.
 *   - Every string the host hands to a plugin stays valid for the duration
 *     of the call only.  Every string a plugin hands to the host is copied
 *     before the host call returns.
 */
#ifndef GATEKEEPER_PLUGIN_H
#define GATEKEEPER_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#define GK_PLUGIN_ABI_VERSION 1u
#define GK_PLUGIN_ENTRY_SYMBOL "gk_plugin_entry"

/* Ordered: a comparison "at or above" is a plain integer comparison. */
enum gk_severity {
	GK_SEV_INFO = 0,
	GK_SEV_LOW = 1,
	GK_SEV_MEDIUM = 2,
	GK_SEV_HIGH = 3,
	GK_SEV_CRITICAL = 4,
	GK_SEV_DEFAULT = -1 /* in a finding: use the rule's severity */
};

enum gk_log_level {
	GK_LOG_ERROR = 0,
	GK_LOG_WARN = 1,
	GK_LOG_INFO = 2,
	GK_LOG_DEBUG = 3
};

/* What produced the bytes a plugin is asked to scan. */
enum gk_file_origin {
	GK_ORIGIN_WORKTREE = 0, /* a file of the scanned tree, whole */
	GK_ORIGIN_STAGED = 1,   /* the lines a staged change adds */
	GK_ORIGIN_HISTORY = 2,  /* the lines one commit adds */
	GK_ORIGIN_REPORT = 3    /* a file named on the command line */
};

/*
 * A rule a plugin can raise.  Static rules come with the descriptor; rules
 * loaded from data at init() time are announced with host->rule_add().
 * tags is a comma-separated list ("secret,aws").  help is plain text;
 * help_uri may be NULL.  precision is "very-high", "high", "medium" or
 * "low" as SARIF consumers expect (NULL: "medium").
 */
struct gk_rule_info {
	const char *id;
	const char *title;
	const char *description;
	const char *help;
	const char *help_uri;
	const char *tags;
	const char *precision;
	int severity; /* enum gk_severity */
};

/*
 * One file handed to scan_file().  path is relative to the scanned root,
 * with '/' separators.  data is not NUL-terminated; size may be 0.
 * For GK_ORIGIN_REPORT, path is the file as named on the command line or
 * in gatekeeper.yaml: relative to the root when inside it.
 * For GK_ORIGIN_STAGED and GK_ORIGIN_HISTORY, data holds only the added
 * lines; the host maps line numbers back to the original file itself, so
 * a plugin always reports lines counted in data.
 */
struct gk_file {
	const char *path;
	const unsigned char *data;
	size_t size;
	int origin; /* enum gk_file_origin */
	/*
	 * For GK_ORIGIN_REPORT: the kind of report the user named it as
	 * ("trivy", "grype"); NULL for files of the tree.
	 */
	const char *kind;
};

/*
 * A finding.  Zero-initialise it and fill what applies; NULL or 0 means
 * absent.  Lines and columns are 1-based, columns count bytes, end_column
 * is inclusive.  The host computes the fingerprint from plugin, rule, path
 * and fingerprint_key unless fingerprint is set.  snippet must already be
 * redacted: the host stores it as given.
 */
struct gk_finding {
	const char *rule;
	int severity; /* enum gk_severity, or GK_SEV_DEFAULT */
	const char *title;
	const char *message;
	const char *path; /* NULL: the path of the file being scanned */
	int line, column, end_line, end_column;
	const char *snippet;
	const char *secret_hash;     /* hex SHA-256 of the raw secret */
	const char *fingerprint_key; /* content the fingerprint depends on */
	const char *fingerprint;     /* overrides the computed one */
	const char *package;
	const char *ecosystem;
	const char *installed;
	const char *fixed;
	const char *advisory;
	double cvss;      /* 0: unknown */
	const char *extra_json; /* a JSON object, or NULL */
};

/* A component for the SBOM.  parent names another component's purl. */
struct gk_component {
	const char *name;
	const char *version;
	const char *ecosystem;
	const char *purl;
	const char *type; /* "library", "container", "application", ... */
	const char *licenses;
	const char *path; /* NULL: the file being scanned */
	const char *hashes;
	const char *parent;
};

/* Opaque: the host's handle for one loaded plugin. */
typedef struct gk_host gk_host;

/* Row callback of host->query(); return non-zero to stop. */
typedef int (*gk_row_fn)(void *arg, int ncols, const char *const *values,
			 const char *const *names);

/*
 * Services the host offers.  Look at struct_size before using a field
 * added after ABI version 1.  All functions are safe to call from
 * scan_file() on any thread, except query(), which only finish() may use.
 */
struct gk_host_api {
	uint32_t abi_version;
	uint32_t struct_size;

	int (*log_enabled)(gk_host *h, int level);
	void (*log)(gk_host *h, int level, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));

	/* 0 on success, -1 on a bad rule (logged). Only during init(). */
	int (*rule_add)(gk_host *h, const struct gk_rule_info *rule);

	/* file is the one being scanned, or NULL from finish(). */
	int (*finding_emit)(gk_host *h, const struct gk_file *file,
			    const struct gk_finding *f);
	int (*component_emit)(gk_host *h, const struct gk_file *file,
			      const struct gk_component *c);

	/* out receives 64 hex digits and a NUL. */
	void (*sha256_hex)(const void *data, size_t len, char out[65]);

	/*
	 * A read-only query over the database.  ?1 is bound to the current
	 * scan id.  Returns 0, or -1 with the error logged.
	 */
	int (*query)(gk_host *h, const char *sql, gk_row_fn row, void *arg);

	/* The scanned root as given on the command line, absolute. */
	const char *(*scan_root)(gk_host *h);
	int64_t (*scan_id)(gk_host *h);
};

/*
 * The descriptor.  Every hook but scan_file is optional (NULL).
 *
 * init:      called once before any file.  config_json is the plugin's
 *            section of gatekeeper.yaml as a JSON object (never NULL:
 *            "{}" when absent).  The host adds "rules_dir": the absolute
 *            path of the rules/ directory (build tree or install).
 *            Stores its state in *state.  Non-zero refuses to run.
 * wants:     does the plugin want this file?  head holds up to the first
 *            8 KiB.  Without wants, the plugin gets every file.
 * scan_file: scan one file; emits through the host.  Non-zero means the
 *            file could not be scanned (the host counts and logs it).
 * finish:    once after all files, single-threaded; may use query().
 * fini:      releases state.
 */
struct gk_plugin {
	uint32_t abi_version; /* GK_PLUGIN_ABI_VERSION */
	uint32_t struct_size; /* sizeof(struct gk_plugin) */
	const char *name;
	const char *version;
	const char *description;
	const struct gk_rule_info *rules;
	size_t nrules;

	int (*init)(gk_host *h, const struct gk_host_api *api,
		    const char *config_json, void **state);
	int (*wants)(void *state, const char *path, const unsigned char *head,
		     size_t headlen);
	int (*scan_file)(void *state, const struct gk_file *file);
	int (*finish)(void *state);
	void (*fini)(void *state);

	/*
	 * The kinds of report the user can name for this plugin ("trivy",
	 * "grype"), NULL-terminated; NULL for none.  A named report goes only
	 * to the plugins that list its kind, without asking wants().
	 */
	const char *const *report_kinds;
};

typedef const struct gk_plugin *(*gk_plugin_entry_fn)(void);

#endif
