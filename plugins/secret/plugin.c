/*
 * The secret plugin's descriptor and hooks.
 *
 * Configuration (a JSON object; the host adds rules_dir):
 *   rules_dir       the rules/ directory; the YAML files of
 *                   <rules_dir>/secrets load in sorted order
 *   extra_rules     a list of further YAML files or directories
 *   disabled_rules  a list of rule ids not to load
 *   decode_depth    levels of base64, hex and percent-encoding decoded
 *                   and scanned again (default 2, 0: none; decode.h)
 *   prefilter       the keyword search: auto (default), builtin or
 *                   vectorscan (hsfilter.c); all find the same
 *   gitleaks        parsed gitleaks configurations, added by the host
 *                   (gitleaks.c); without useDefault and with rules of
 *                   their own, they replace the rules of rules_dir
 * init() fails when the configuration is not an object, when a path of
 * extra_rules cannot be read, when no rule at all could be loaded, or
 * when a gitleaks configuration holds a bad rule.  Any other key is
 * warned about and ignored.
 */
#include "decode.h"
#include "secret.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char default_help[] =
	"Treat the credential as leaked: revoke or rotate it at its "
	"provider, remove it from the file and from the history, and load "
	"it at run time from the environment or a secret manager.  If the "
	"value is not a secret, add 'gatekeeper:allow' to its line.";

static void state_free(struct secret_state *st)
{
	size_t i;

	if (!st)
		return;
	for (i = 0; i < st->nrules; i++)
		secret_rule_release(&st->rules[i]);
	free(st->rules);
	for (i = 0; i < st->ndisabled; i++)
		free(st->disabled[i]);
	free(st->disabled);
	secret_prefilter_release(st);
	secret_hs_free(st);
	secret_jit_free(st);
	secret_jit_stacks_free(st);
	free(st);
}

/* The strings of a JSON array (or one JSON string), in *out. */
static int json_strings(const cJSON *v, char ***out, size_t *n)
{
	const cJSON *it;
	size_t cap = (size_t)(cJSON_IsArray(v) ? cJSON_GetArraySize(v) : 1);

	*n = 0;
	*out = calloc(cap + 1, sizeof(char *));
	if (!*out)
		return -1;
	if (cJSON_IsString(v)) {
		(*out)[0] = strdup(v->valuestring);
		*n = (*out)[0] != NULL;
		return *n ? 0 : -1;
	}
	cJSON_ArrayForEach(it, v)
	{
		if (!cJSON_IsString(it) || *n == cap)
			return -1;
		(*out)[*n] = strdup(it->valuestring);
		if (!(*out)[(*n)++])
			return -1;
	}
	return 0;
}

static int read_disabled(struct secret_state *st, const cJSON *cfg)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(cfg,
							  "disabled_rules");

	if (!v)
		return 0;
	if (json_strings(v, &st->disabled, &st->ndisabled) == 0)
		return 0;
	st->api->log(st->host, GK_LOG_ERROR,
		     "config: 'disabled_rules' must be a list of rule ids");
	return -1;
}

static void load_builtin(struct secret_state *st, const cJSON *cfg)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(cfg, "rules_dir");
	size_t len;
	char *dir;

	if (!cJSON_IsString(v)) {
		st->api->log(st->host, GK_LOG_WARN,
			     "config: no 'rules_dir'; built-in rules not "
			     "loaded");
		return;
	}
	len = strlen(v->valuestring) + sizeof("/secrets");
	dir = malloc(len);
	if (!dir)
		return;
	snprintf(dir, len, "%s/secrets", v->valuestring);
	secret_rules_load_path(st, dir);
	free(dir);
}

/* A rules path the user named must be there to read: 0, or -1 logged. */
static int check_readable(struct secret_state *st, const char *path)
{
	if (access(path, R_OK) == 0)
		return 0;
	st->api->log(st->host, GK_LOG_ERROR, "'%s': %s", path,
		     strerror(errno));
	return -1;
}

static int load_extra(struct secret_state *st, const cJSON *cfg)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(cfg, "extra_rules");
	char **paths;
	size_t n, i;
	int rc;

	if (!v)
		return 0;
	rc = json_strings(v, &paths, &n);
	if (rc)
		st->api->log(st->host, GK_LOG_ERROR,
			     "config: 'extra_rules' must be a list of paths");
	for (i = 0; rc == 0 && i < n; i++) {
		rc = check_readable(st, paths[i]);
		if (rc == 0)
			secret_rules_load_path(st, paths[i]);
	}
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	return rc;
}

/* Keys of the configuration; the host adds rules_dir and gitleaks. */
static const char *const known_keys[] = {
	"rules_dir", "extra_rules", "disabled_rules", "decode_depth",
	"prefilter", "gitleaks",
};

static void warn_unknown_keys(struct secret_state *st, const cJSON *cfg)
{
	const cJSON *it;
	size_t i;

	cJSON_ArrayForEach(it, cfg)
	{
		int known = 0;

		for (i = 0; i < sizeof(known_keys) / sizeof(*known_keys); i++)
			known |= !strcmp(it->string, known_keys[i]);
		if (!known)
			st->api->log(st->host, GK_LOG_WARN,
				     "unknown setting '%s'", it->string);
	}
}

static void announce(struct secret_state *st)
{
	size_t i;

	for (i = 0; i < st->nrules; i++) {
		const struct secret_rule *r = &st->rules[i];
		struct gk_rule_info info = {
			.id = r->id,
			.title = r->title,
			.description = r->description,
			.help = r->help ? r->help : default_help,
			.tags = r->tags,
			.precision = r->precision,
			.severity = r->severity,
		};

		st->api->rule_add(st->host, &info);
	}
}

static int load_all(struct secret_state *st, const char *config_json)
{
	cJSON *cfg = cJSON_Parse(config_json ? config_json : "{}");
	const cJSON *gitleaks;
	int rc = -1;

	if (!cJSON_IsObject(cfg)) {
		st->api->log(st->host, GK_LOG_ERROR,
			     "config: not a JSON object");
		goto done;
	}
	warn_unknown_keys(st, cfg);
	gitleaks = cJSON_GetObjectItemCaseSensitive(cfg, "gitleaks");
	if (read_disabled(st, cfg))
		goto done;
	if (secret_decode_configure(st, cfg) ||
	    secret_prefilter_configure(st, cfg))
		goto done;
	if (!gitleaks || secret_gitleaks_keeps_defaults(gitleaks))
		load_builtin(st, cfg);
	if (load_extra(st, cfg))
		goto done;
	if (gitleaks && secret_gitleaks_load(st, gitleaks))
		goto done;
	rc = 0;
done:
	cJSON_Delete(cfg);
	return rc;
}

static int secret_init(gk_host *h, const struct gk_host_api *api,
		       const char *config_json, void **state)
{
	struct secret_state *st = calloc(1, sizeof(*st));
	int rc = -1;

	if (!st)
		return -1;
	st->host = h;
	st->api = api;
	secret_jit_stacks_init(st);
	if (load_all(st, config_json))
		goto done;
	if (st->nrules == 0) {
		api->log(h, GK_LOG_ERROR,
			 "no secret rule could be loaded (%zu errors)",
			 st->nerrors);
		goto done;
	}
	if (secret_prefilter_build(st) || secret_jit_init(st) ||
	    secret_hs_init(st))
		goto done;
	announce(st);
	api->log(h, GK_LOG_DEBUG, "%zu secret rules loaded, %zu keywords",
		 st->nrules, st->nkeywords);
	*state = st;
	st = NULL;
	rc = 0;
done:
	state_free(st);
	return rc;
}

static int secret_wants_hook(void *state, const char *path,
			     const unsigned char *head, size_t headlen)
{
	return secret_wants(state, path, head, headlen);
}

static int secret_scan_file(void *state, const struct gk_file *file)
{
	return secret_scan(state, file);
}

static void secret_fini(void *state)
{
	state_free(state);
}

static const struct gk_plugin descriptor = {
	.abi_version = GK_PLUGIN_ABI_VERSION,
	.struct_size = sizeof(struct gk_plugin),
	.name = "secret",
	.version = "0.1.0",
	.description = "finds credentials, keys and tokens in files",
	.rules = NULL,
	.nrules = 0,
	.init = secret_init,
	.wants = secret_wants_hook,
	.scan_file = secret_scan_file,
	.finish = NULL,
	.fini = secret_fini,
};

const struct gk_plugin *gk_plugin_entry(void)
{
	return &descriptor;
}
