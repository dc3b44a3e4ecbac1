#include "config.h"

#include "log.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const known_keys[] = {
	"version", "scan", "reports", "gates", "exceptions", "sarif",
};

void gk_config_init(struct gk_config *c)
{
	memset(c, 0, sizeof(*c));
	c->max_file_size = GK_DEFAULT_MAX_FILE_SIZE;
}

void gk_config_release(struct gk_config *c)
{
	free(c->path);
	gk_ynode_free(c->doc);
	gk_strvec_release(&c->exclude);
	gk_strvec_release(&c->plugins);
	gk_strvec_release(&c->trivy_reports);
	gk_strvec_release(&c->grype_reports);
	memset(c, 0, sizeof(*c));
}

static int where_error(const char *name, const struct gk_ynode *n,
		       const char *what)
{
	return gk_error("config: '%s' line %d column %d: %s", name, n->line,
			n->column, what);
}

/* A scalar or a list of scalars into sv. */
static int read_strings(const char *name, const struct gk_ynode *n,
			const char *key, struct gk_strvec *sv)
{
	size_t i;

	if (!n)
		return 0;
	if (n->kind == GK_Y_SCALAR) {
		gk_strvec_push(sv, n->text);
		return 0;
	}
	if (n->kind != GK_Y_SEQ) {
		char msg[128];

		snprintf(msg, sizeof(msg), "'%s' must be a list of strings",
			 key);
		return where_error(name, n, msg);
	}
	for (i = 0; i < n->nkids; i++) {
		if (n->kids[i]->kind != GK_Y_SCALAR) {
			char msg[128];

			snprintf(msg, sizeof(msg),
				 "'%s' must be a list of strings", key);
			return where_error(name, n->kids[i], msg);
		}
		gk_strvec_push(sv, n->kids[i]->text);
	}
	return 0;
}

/* An error for the first key of map not in keys (NULL-terminated). */
static int only_keys(const char *name, const struct gk_ynode *map,
		     const char *section, const char *const *keys)
{
	size_t i, k;

	for (i = 0; i + 1 < map->nkids; i += 2) {
		const char *key = map->kids[i]->text;

		for (k = 0; keys[k] && strcmp(keys[k], key); k++)
			;
		if (!keys[k]) {
			char *msg = gk_asprintf("unknown key '%s' in '%s'", key,
						section);
			int rc = where_error(name, map->kids[i], msg);

			free(msg);
			return rc;
		}
	}
	return 0;
}

static int read_scan_section(struct gk_config *c, const char *name,
			     const struct gk_ynode *scan)
{
	static const char *const keys[] = { "exclude", "max_file_size",
					    "plugins", NULL };

	const struct gk_ynode *size;

	if (!scan)
		return 0;
	if (scan->kind != GK_Y_MAP)
		return where_error(name, scan, "'scan' must be a mapping");
	if (only_keys(name, scan, "scan", keys))
		return -1;
	if (read_strings(name, gk_ymap_get(scan, "exclude"), "exclude",
			 &c->exclude) ||
	    read_strings(name, gk_ymap_get(scan, "plugins"), "plugins",
			 &c->plugins))
		return -1;
	size = gk_ymap_get(scan, "max_file_size");
	if (size) {
		c->max_file_size = gk_parse_size(gk_yscalar(size));
		if (c->max_file_size <= 0)
			return where_error(name, size,
					   "max_file_size must be a size "
					   "such as 10MB");
	}
	return 0;
}

static int read_reports_section(struct gk_config *c, const char *name,
				const struct gk_ynode *reports)
{
	static const char *const report_keys[] = { "trivy", "grype", NULL };

	if (!reports)
		return 0;
	if (reports->kind != GK_Y_MAP)
		return where_error(name, reports,
				   "'reports' must be a mapping");
	if (only_keys(name, reports, "reports", report_keys))
		return -1;
	return read_strings(name, gk_ymap_get(reports, "trivy"), "trivy",
			    &c->trivy_reports) ||
	       read_strings(name, gk_ymap_get(reports, "grype"), "grype",
			    &c->grype_reports);
}

int gk_config_parse(struct gk_config *c, const char *name, const char *data,
		    size_t len)
{
	char err[512];

	c->doc = gk_ydoc_parse(name, data, len, err, sizeof(err));
	if (!c->doc)
		return gk_error("config: %s", err);
	if (c->doc->kind == GK_Y_SCALAR && !c->doc->quoted &&
	    (!*c->doc->text || !strcmp(c->doc->text, "~") ||
	     !strcmp(c->doc->text, "null"))) {
		/* "---" alone, or an explicit null: an empty document */
		c->doc->kind = GK_Y_MAP;
		free(c->doc->text);
		c->doc->text = NULL;
	}
	if (c->doc->kind != GK_Y_MAP)
		return where_error(name, c->doc,
				   "the top level must be a mapping");
	if (read_scan_section(c, name, gk_ymap_get(c->doc, "scan")) ||
	    read_reports_section(c, name, gk_ymap_get(c->doc, "reports")))
		return -1;
	return 0;
}

/* Does path, links resolved, stay under root? */
static int inside_root(const char *root, const char *path)
{
	char *r = realpath(root, NULL), *p = realpath(path, NULL);
	size_t n = r ? strlen(r) : 0;
	int in = r && p && strncmp(r, p, n) == 0 && (p[n] == '/' || !p[n]);

	free(r);
	free(p);
	return in;
}

int gk_config_load(struct gk_config *c, const char *root, const char *explicit)
{
	char *path, *data = NULL;
	size_t len = 0;
	int rc;

	path = explicit ? gk_strdup(explicit)
			: gk_asprintf("%s/%s", root, GK_CONFIG_FILE);
	if (!explicit && !gk_is_file(path)) {
		free(path);
		return 0;
	}
	if (!explicit && !inside_root(root, path)) {
		rc = gk_error("config: '%s' leads out of the scanned tree; "
			      "name it with --config if that is meant", path);
		free(path);
		return rc;
	}
	if (gk_file_read(path, GK_CONFIG_MAX_BYTES, &data, &len) < 0) {
		rc = gk_error("config: '%s': %s", path,
			      errno == EFBIG ? "file too large"
					     : strerror(errno));
		free(path);
		return rc;
	}
	c->path = path;
	rc = gk_config_parse(c, path, data, len);
	free(data);
	return rc;
}

char *gk_config_plugin_json(const struct gk_config *c, const char *plugin,
			    const char *rules_dir)
{
	const struct gk_ynode *sec = gk_ymap_get(c->doc, plugin);
	char *text = gk_ynode_to_json(sec && sec->kind == GK_Y_MAP ? sec : NULL);
	cJSON *j = cJSON_Parse(text);
	char *out;

	free(text);
	if (!j)
		j = cJSON_CreateObject();
	cJSON_DeleteItemFromObject(j, "rules_dir");
	if (rules_dir)
		cJSON_AddStringToObject(j, "rules_dir", rules_dir);
	text = cJSON_PrintUnformatted(j);
	out = gk_strdup(text ? text : "{}");
	cJSON_free(text);
	cJSON_Delete(j);
	return out;
}

int gk_config_check_keys(const struct gk_config *c,
			 const struct gk_strvec *names)
{
	const char *file = c->path ? c->path : GK_CONFIG_FILE;
	size_t i, k;

	if (!c->doc || c->doc->kind != GK_Y_MAP)
		return 0;
	for (i = 0; i + 1 < c->doc->nkids; i += 2) {
		const struct gk_ynode *key = c->doc->kids[i];
		const struct gk_ynode *val = c->doc->kids[i + 1];
		int plugin = gk_strvec_has(names, key->text);
		int known = plugin;

		for (k = 0; k < GK_ARRAY_SIZE(known_keys); k++)
			known |= strcmp(known_keys[k], key->text) == 0;
		if (!known)
			return gk_error("config: '%s' line %d column %d: unknown "
					"key '%s' (neither a setting nor a "
					"plugin's name)", file, key->line,
					key->column, key->text);
		if (plugin && val->kind != GK_Y_MAP &&
		    !(val->kind == GK_Y_SCALAR && !*val->text))
			return where_error(file, val, "a plugin's section "
					   "must be a mapping");
	}
	return 0;
}
