/*
 * What every command that runs plugins sets up: the scan root, its
 * configuration, the loaded plugins and their host handles, the store.
 */
#ifndef GK_SESSION_H
#define GK_SESSION_H

#include "cli.h"
#include "config.h"
#include "host.h"
#include "loader.h"

struct gk_session {
	struct gk_options *opts;
	char *root;       /* absolute */
	char *db_path;
	char *rules_dir;
	struct gk_config config;
	struct gk_plugins plugins;
	struct gk_host *hosts; /* one per plugin */
	size_t nhosts;
	struct gk_run run;
};

/*
 * Resolves the root, reads the configuration and loads the plugins.
 * Returns GK_EXIT_PASS or the exit status to stop with.
 */
int gk_session_open(struct gk_session *s, struct gk_options *o,
		    const char *root);

/* Opens the store at db_path (":memory:" allowed). */
int gk_session_store(struct gk_session *s, const char *db_path);

/* Calls every plugin's init; returns GK_EXIT_PASS or an exit status. */
int gk_session_init_plugins(struct gk_session *s);

void gk_session_close(struct gk_session *s);

#endif
