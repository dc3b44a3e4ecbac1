/*
 * The host side of the plugin API for one run: the table of services
 * plugins call, the per-plugin handles, and the single writer that batches
 * findings and components into the store from any number of threads.
 */
#ifndef GK_HOST_H
#define GK_HOST_H

#include "loader.h"
#include "store.h"

#include <gatekeeper/plugin.h>
#include <pthread.h>
#include <sqlite3.h>

/*
 * What the host knows about the file a plugin is scanning, beyond what the
 * plugin sees.  The struct gk_file handed to plugins is its first member.
 * line_map, when set, maps a line of data (1-based index) to the line of
 * the original file; commit fields label history findings.
 */
struct gk_hfile {
	struct gk_file file;
	const int *line_map;
	size_t nlines;
	const char *commit_id, *author, *email, *date;
};

struct gk_rule_sev {
	char *id;
	int severity;
};

struct gk_run;
struct gk_ignore;

/* One plugin's handle: what host->...(h, ...) receives. */
struct gk_host {
	struct gk_run *run;
	struct gk_loaded *plugin;
	struct gk_rule_sev *rules; /* sorted by id after init */
	size_t nrules;
	int in_init;
	int rule_errors;
};

struct gk_writer {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake, room;
	struct gk_frec *f;
	size_t nf, af;
	struct gk_crec *c;
	size_t nc, ac;
	int done, failed, started;
	sqlite3 *db;
	int64_t scan;
};

struct gk_run {
	sqlite3 *db;      /* the writer's connection */
	sqlite3 *ro;      /* read-only, for plugins' query() */
	int64_t scan;
	char *root;
	struct gk_writer writer;
	pthread_mutex_t count_lock;
	int64_t emitted;
	/* Ignore-file entries: findings they name are never stored. */
	struct gk_ignore *ignore;
};

const struct gk_host_api *gk_host_api(void);

/* Starts the writer thread on db for scan. */
int gk_writer_start(struct gk_writer *w, sqlite3 *db, int64_t scan);
/* Waits until everything queued is stored; the writer keeps running. */
int gk_writer_flush(struct gk_writer *w);
/* Flushes, stops the thread; returns -1 when any batch failed. */
int gk_writer_stop(struct gk_writer *w);

/* Sets up h for plugin l in run; rules from the descriptor are added. */
void gk_host_init(struct gk_host *h, struct gk_run *run, struct gk_loaded *l);
void gk_host_release(struct gk_host *h);
/* Sorts the rule table once init() has added its rules. */
void gk_host_rules_done(struct gk_host *h);

/* The fingerprint of a finding: 32 hex digits and a NUL into out. */
void gk_fingerprint(const char *plugin, const char *rule, const char *path,
		    const char *key, char out[33]);

#endif
