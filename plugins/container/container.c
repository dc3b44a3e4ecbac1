/*
 * The container plugin: Trivy and Grype reports become vulnerability
 * findings and SBOM components; Dockerfiles and compose files are
 * checked for unpinned images and risky build steps.  See
 * docs/container.md.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "internal.h"
#include "rules.h"

static const char *const patterns[CT_RE_COUNT] = {
	[CT_RE_PIPE_SHELL] =
		"\\b(?:curl|wget)\\b[^;&\\n]*\\|\\s*(?:sudo\\s+(?:-\\S+\\s+)*)?"
		"(?:\\S*/)?(?:env\\s+)?(?:ba|da|z|k|a)?sh\\b"
		"|\\b(?:ba|da|z|k)?sh\\b[^;&|\\n]*(?:\\$\\(|<\\(|`)\\s*"
		"(?:curl|wget)\\b",
	[CT_RE_SUDO] =
		"(?:^|[;&|(`\\n]|\\bthen\\b|\\bdo\\b|\\belse\\b)\\s*sudo\\b",
	[CT_RE_APT_INSTALL] =
		"\\bapt(?:-get)?\\s+(?:(?:-o\\s+\\S+|-\\S+)\\s+)*install\\b",
	[CT_RE_APT_NORECOMMENDS] =
		"--no-install-recommends"
		"|Install-Recommends=[\"']?(?:false|0|no)\\b",
	[CT_RE_APT_LISTS] = "\\brm\\s+[^;&|\\n]*/var/lib/apt/lists",
};

static void state_free(struct ct_state *st)
{
	size_t i;

	if (!st)
		return;
	for (i = 0; i < CT_RE_COUNT; i++)
		pcre2_code_free(st->re[i]);
	free(st);
}

static int compile_patterns(struct ct_state *st)
{
	PCRE2_SIZE where;
	int err, i;

	for (i = 0; i < CT_RE_COUNT; i++) {
		st->re[i] = pcre2_compile((PCRE2_SPTR)patterns[i],
					  PCRE2_ZERO_TERMINATED, 0, &err,
					  &where, NULL);
		if (!st->re[i]) {
			st->api->log(st->host, GK_LOG_ERROR,
				     "pattern %d does not compile "
				     "at offset %zu", i, (size_t)where);
			return -1;
		}
	}
	return 0;
}

/*
 * The plugin has no settings: its section of the configuration must be
 * an object, and each key but the host's rules_dir is warned about.
 */
static int check_config(const struct ct_state *st, const char *config_json)
{
	cJSON *cfg = cJSON_Parse(config_json ? config_json : "{}");
	const cJSON *it;

	if (!cJSON_IsObject(cfg)) {
		cJSON_Delete(cfg);
		st->api->log(st->host, GK_LOG_ERROR,
			     "config: not a JSON object");
		return -1;
	}
	cJSON_ArrayForEach(it, cfg) {
		if (strcmp(it->string, "rules_dir") != 0)
			st->api->log(st->host, GK_LOG_WARN,
				     "unknown setting '%s' (the plugin has "
				     "none)", it->string);
	}
	cJSON_Delete(cfg);
	return 0;
}

static int ct_init(gk_host *h, const struct gk_host_api *api,
		   const char *config_json, void **state)
{
	struct ct_state *st = calloc(1, sizeof(*st));

	if (!st)
		return -1;
	st->host = h;
	st->api = api;
	if (check_config(st, config_json) || compile_patterns(st)) {
		state_free(st);
		return -1;
	}
	*state = st;
	return 0;
}

static int ct_wants(void *state, const char *path, const unsigned char *head,
		    size_t headlen)
{
	(void)state;
	return ct_dockerfile_wants(path) || ct_compose_wants(path) ||
	       ct_report_wants(path, head, headlen);
}

static int ct_scan_file(void *state, const struct gk_file *file)
{
	struct ct_scan s;
	int rc;

	ct_scan_init(&s, state, file);
	if (file->origin == GK_ORIGIN_REPORT)
		rc = ct_report_scan(&s);
	else if (file->origin != GK_ORIGIN_WORKTREE)
		rc = 0;
	else if (ct_dockerfile_wants(file->path))
		rc = ct_dockerfile_scan(&s);
	else if (ct_compose_wants(file->path))
		rc = ct_compose_scan(&s);
	else
		rc = ct_report_scan(&s);
	ct_scan_release(&s);
	return rc;
}

static void ct_fini(void *state)
{
	state_free(state);
}

static const char *const report_kinds[] = { "trivy", "grype", NULL };

static const struct gk_plugin descriptor = {
	.abi_version = GK_PLUGIN_ABI_VERSION,
	.struct_size = sizeof(struct gk_plugin),
	.name = "container",
	.version = "0.1.0",
	.description = "Trivy and Grype reports, Dockerfile and compose checks",
	.rules = ct_rules,
	.nrules = CT_NRULES,
	.init = ct_init,
	.wants = ct_wants,
	.scan_file = ct_scan_file,
	.fini = ct_fini,
	.report_kinds = report_kinds,
};

const struct gk_plugin *gk_plugin_entry(void);

const struct gk_plugin *gk_plugin_entry(void)
{
	return &descriptor;
}
