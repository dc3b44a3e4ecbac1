#include "session.h"

#include "gitleaks.h"
#include "log.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int gk_session_open(struct gk_session *s, struct gk_options *o,
		    const char *root)
{
	char real[PATH_MAX];
	const struct gk_strvec *only;

	memset(s, 0, sizeof(*s));
	s->opts = o;
	gk_config_init(&s->config);
	if (!realpath(root, real) || !gk_is_dir(real)) {
		gk_error("'%s': not a directory", root);
		return GK_EXIT_USAGE;
	}
	s->root = gk_strdup(real);
	s->run.root = s->root;
	if (gk_config_load(&s->config, s->root, o->config))
		return GK_EXIT_USAGE;
	only = o->plugins.n ? &o->plugins : &s->config.plugins;
	if (gk_plugins_load(&s->plugins, o->plugin_dir, only) ||
	    gk_config_check_keys(&s->config, &s->plugins.names))
		return GK_EXIT_USAGE;
	s->rules_dir = gk_rules_dir();
	return GK_EXIT_PASS;
}

int gk_session_store(struct gk_session *s, const char *db_path)
{
	if (strcmp(db_path, ":memory:") == 0)
		s->db_path = gk_asprintf("file:gatekeeper-%ld?mode=memory"
					 "&cache=shared", (long)getpid());
	else
		s->db_path = gk_strdup(db_path);
	s->run.db = gk_store_open(s->db_path, 0);
	return s->run.db ? GK_EXIT_PASS : GK_EXIT_RUNTIME;
}

/*
 * The configuration JSON of plugin l; the secret plugin also gets the
 * gitleaks configuration.  NULL after logging when that cannot be read.
 */
static char *plugin_json(struct gk_session *s, const struct gk_loaded *l)
{
	char *json = gk_config_plugin_json(&s->config, l->desc->name,
					   s->rules_dir);
	cJSON *gl = NULL;

	if (strcmp(l->desc->name, "secret") != 0)
		return json;
	if (gk_gitleaks_read(s->root, s->opts->gitleaks_config, &gl)) {
		free(json);
		return NULL;
	}
	if (gl)
		json = gk_gitleaks_plugin_json(json, gl);
	cJSON_Delete(gl);
	return json;
}

static int init_one(struct gk_session *s, size_t i)
{
	struct gk_loaded *l = &s->plugins.v[i];
	struct gk_host *h = &s->hosts[i];
	char *json;
	int rc = 0;

	gk_host_init(h, &s->run, l);
	if (l->desc->init) {
		json = plugin_json(s, l);
		if (!json)
			return -1;
		h->in_init = 1;
		rc = l->desc->init(h, gk_host_api(), json, &l->state);
		h->in_init = 0;
		free(json);
	}
	gk_host_rules_done(h);
	if (rc)
		return gk_error("%s: the plugin could not start (see the "
				"messages above)", l->desc->name);
	l->initialised = 1;
	return 0;
}

int gk_session_init_plugins(struct gk_session *s)
{
	struct gk_ignore *ig;
	size_t i;
	int rc = 0;

	ig = gk_calloc(1, sizeof(*ig));
	if (gk_ignore_load(ig, s->root)) {
		gk_ignore_release(ig);
		free(ig);
		return GK_EXIT_USAGE;
	}
	s->run.ignore = ig;
	s->hosts = gk_calloc(s->plugins.n, sizeof(*s->hosts));
	s->nhosts = s->plugins.n;
	/* One transaction for every rule the plugins announce. */
	if (gk_store_exec(s->run.db, "BEGIN IMMEDIATE"))
		return GK_EXIT_RUNTIME;
	for (i = 0; i < s->plugins.n && rc == 0; i++)
		if (init_one(s, i))
			rc = -1;
	if (gk_store_exec(s->run.db, rc ? "ROLLBACK" : "COMMIT"))
		return GK_EXIT_RUNTIME;
	return rc ? GK_EXIT_USAGE : GK_EXIT_PASS;
}

void gk_session_close(struct gk_session *s)
{
	size_t i;

	gk_plugins_unload(&s->plugins);
	if (s->run.ignore)
		gk_ignore_release(s->run.ignore);
	free(s->run.ignore);
	for (i = 0; i < s->nhosts; i++)
		gk_host_release(&s->hosts[i]);
	free(s->hosts);
	if (s->run.ro)
		gk_store_close(s->run.ro);
	if (s->run.db)
		gk_store_close(s->run.db);
	gk_config_release(&s->config);
	free(s->root);
	free(s->db_path);
	free(s->rules_dir);
	memset(s, 0, sizeof(*s));
}
