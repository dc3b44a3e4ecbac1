/*
 * Finding, loading and checking plugins.  A plugin is loaded from, in this
 * order: the --plugin-dir directory, the build tree beside the executable
 * (plugins/<name>/<name>.so) and the install directory; never from the
 * scanned tree.  The first plugin of a name wins.
 */
#ifndef GK_LOADER_H
#define GK_LOADER_H

#include "util.h"

#include <gatekeeper/plugin.h>

struct gk_loaded {
	const struct gk_plugin *desc;
	void *dl;
	char *path;
	void *state;
	int initialised;
	struct gk_host *host; /* this plugin's handle, set by the run */
};

struct gk_plugins {
	struct gk_loaded *v;
	size_t n;
	struct gk_strvec names; /* every plugin found, loaded or not */
};

/*
 * Loads every plugin found, or only those named in only (when non-empty).
 * A plugin built for another ABI, a broken shared object, or a name in
 * only that no directory holds is an error: returns -1 after logging.
 */
int gk_plugins_load(struct gk_plugins *ps, const char *plugin_dir,
		    const struct gk_strvec *only);
/* Calls fini on initialised plugins, closes them, frees ps's contents. */
void gk_plugins_unload(struct gk_plugins *ps);

/* Checks a descriptor; 0 when usable, else -1 after logging for path. */
int gk_plugin_check(const struct gk_plugin *p, const char *path);

/* The rules/ directory: beside the executable, else the install one. */
char *gk_rules_dir(void);

#endif
