#include "gitleaks.h"

#include "log.h"
#include "toml.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the configuration --------------------------------------------------- */

static int path_inside(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 &&
	       (path[n] == '/' || path[n] == '\0' || (n == 1 && *dir == '/'));
}

/* Reads and parses one file; *doc gets "source". */
static int read_one(const char *path, const char *shown, cJSON **doc)
{
	char *data = NULL, err[512];
	size_t len = 0;

	if (gk_file_read(path, GK_GITLEAKS_MAX_BYTES, &data, &len) < 0)
		return gk_error("gitleaks: '%s': %s", shown,
				errno == EFBIG ? "file too large"
					       : strerror(errno));
	*doc = gk_toml_parse(shown, data, len, err, sizeof(err));
	free(data);
	if (!*doc)
		return gk_error("gitleaks: %s", err);
	cJSON_AddStringToObject(*doc, "source", shown);
	return 0;
}

/* The file doc's [extend] path names, absolute; NULL when none. */
static int extend_path(const cJSON *doc, const char *real, char **next)
{
	const cJSON *p = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "extend"),
					     "path");
	char *dir, *slash;

	*next = NULL;
	if (!p)
		return 0;
	if (!cJSON_IsString(p) || !*p->valuestring)
		return gk_error("gitleaks: '%s': [extend] path must be a "
				"file name", cJSON_GetObjectItem(doc, "source")
						     ->valuestring);
	if (p->valuestring[0] == '/') {
		*next = gk_strdup(p->valuestring);
		return 0;
	}
	dir = gk_strdup(real);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	*next = gk_asprintf("%s/%s", dir, p->valuestring);
	free(dir);
	return 0;
}

/* One file of the chain: resolved, checked against the root, parsed. */
static int chain_step(const char *path, const char *shown, const char *root,
		      char real[PATH_MAX], cJSON **doc)
{
	if (!realpath(path, real))
		return gk_error("gitleaks: '%s': %s", shown, strerror(errno));
	if (root && !path_inside(real, root))
		return gk_error("gitleaks: '%s': [extend] path leaves the "
				"scanned tree", shown);
	return read_one(real, shown, doc);
}

int gk_gitleaks_read(const char *root, const char *explicit, cJSON **out)
{
	char real[PATH_MAX], *path, *next = NULL;
	const char *inside = explicit ? NULL : root;
	cJSON *list = cJSON_CreateArray(), *doc = NULL;
	int depth = 0, rc = -1;

	*out = NULL;
	path = explicit ? gk_strdup(explicit)
			: gk_asprintf("%s/%s", root, GK_GITLEAKS_FILE);
	if (!explicit && !gk_is_file(path)) {
		rc = 0;
		goto done;
	}
	while (path) {
		if (++depth > GK_GITLEAKS_MAX_EXTEND) {
			gk_error("gitleaks: '%s': [extend] chain longer than "
				 "%d files", path, GK_GITLEAKS_MAX_EXTEND);
			goto done;
		}
		if (chain_step(path, path, inside, real, &doc))
			goto done;
		cJSON_InsertItemInArray(list, 0, doc);
		if (extend_path(doc, real, &next))
			goto done;
		free(path);
		path = next;
	}
	*out = list;
	list = NULL;
	rc = 0;
done:
	free(path);
	cJSON_Delete(list);
	return rc;
}

char *gk_gitleaks_plugin_json(char *json, const cJSON *configs)
{
	cJSON *j = cJSON_Parse(json);
	char *text, *out;

	free(json);
	if (!j)
		j = cJSON_CreateObject();
	cJSON_DeleteItemFromObject(j, "gitleaks");
	cJSON_AddItemToObject(j, "gitleaks", cJSON_Duplicate(configs, 1));
	text = cJSON_PrintUnformatted(j);
	out = gk_strdup(text ? text : "{}");
	cJSON_free(text);
	cJSON_Delete(j);
	return out;
}

/* ---- ignore files -------------------------------------------------------- */

static int is_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* [commit:]path:rule:line, split from the right; 0 when it is one. */
static int split_entry(char *s, struct gk_ignore_entry *e)
{
	char *c1 = strrchr(s, ':'), *c2, *end, *colon;
	long line;

	if (!c1)
		return -1;
	*c1 = '\0';
	line = strtol(c1 + 1, &end, 10);
	c2 = strrchr(s, ':');
	if (*end || end == c1 + 1 || line < 1 || line > INT_MAX || !c2 ||
	    c2 == s || !c2[1])
		return -1;
	*c2 = '\0';
	e->line = (int)line;
	e->rule = gk_strdup(c2 + 1);
	colon = strchr(s, ':');
	if (colon && colon - s >= 7 && colon - s <= 64 &&
	    is_hex(s, (size_t)(colon - s))) {
		*colon = '\0';
		e->commit = gk_strdup(s);
		s = colon + 1;
	}
	e->path = gk_strdup(s);
	return 0;
}

static void add_entry(struct gk_ignore *ig, const struct gk_ignore_entry *e)
{
	ig->entries = gk_realloc(ig->entries,
				 (ig->nentries + 1) * sizeof(*ig->entries));
	ig->entries[ig->nentries++] = *e;
}

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && strchr(" \t\r", end[-1]))
		*--end = '\0';
	return s;
}

static void read_line(struct gk_ignore *ig, const char *file, int n,
		      char *line)
{
	struct gk_ignore_entry e = { 0 };
	char *s = trim(line);

	if (!*s || *s == '#')
		return;
	if (strlen(s) == 32 && is_hex(s, 32)) {
		gk_strvec_push(&ig->fingerprints, s);
		return;
	}
	if (split_entry(s, &e) == 0) {
		add_entry(ig, &e);
		return;
	}
	free(e.rule);
	gk_warn("ignore: '%s' line %d: neither a fingerprint nor "
		"[commit:]path:rule:line; ignored", file, n);
}

static int read_file(struct gk_ignore *ig, const char *root, const char *name)
{
	char *path = gk_asprintf("%s/%s", root, name), *data = NULL, *line;
	char *save = NULL;
	size_t len;
	int n = 0, rc = 0;

	if (!gk_is_file(path))
		goto done;
	if (gk_file_read(path, GK_IGNORE_MAX_BYTES, &data, &len) < 0) {
		rc = gk_error("ignore: '%s': %s", name,
			      errno == EFBIG ? "file too large"
					     : strerror(errno));
		goto done;
	}
	for (line = data; line; line = save) {
		save = strchr(line, '\n');
		if (save)
			*save++ = '\0';
		read_line(ig, name, ++n, line);
	}
done:
	free(data);
	free(path);
	return rc;
}

int gk_ignore_load(struct gk_ignore *ig, const char *root)
{
	memset(ig, 0, sizeof(*ig));
	if (read_file(ig, root, ".gitleaksignore") ||
	    read_file(ig, root, ".gatekeeperignore"))
		return -1;
	if (ig->fingerprints.n)
		qsort(ig->fingerprints.v, ig->fingerprints.n, sizeof(char *),
		      cmp_str);
	return 0;
}

void gk_ignore_release(struct gk_ignore *ig)
{
	size_t i;

	gk_strvec_release(&ig->fingerprints);
	for (i = 0; i < ig->nentries; i++) {
		free(ig->entries[i].commit);
		free(ig->entries[i].path);
		free(ig->entries[i].rule);
	}
	free(ig->entries);
	memset(ig, 0, sizeof(*ig));
}

static int entry_has(const struct gk_ignore_entry *e, const char *commit,
		     const char *path, const char *rule, int line)
{
	if (e->line != line || strcmp(e->path, path) || strcmp(e->rule, rule))
		return 0;
	return !e->commit ||
	       (commit && strncmp(commit, e->commit, strlen(e->commit)) == 0);
}

int gk_ignore_has(const struct gk_ignore *ig, const char *fingerprint,
		  const char *commit, const char *path, const char *rule,
		  int line)
{
	size_t i;

	if (!ig)
		return 0;
	if (fingerprint && ig->fingerprints.n &&
	    bsearch(&fingerprint, ig->fingerprints.v, ig->fingerprints.n,
		    sizeof(char *), cmp_str))
		return 1;
	for (i = 0; i < ig->nentries; i++)
		if (entry_has(&ig->entries[i], commit, path, rule, line))
			return 1;
	return 0;
}

/* ---- gatekeeper's own reports -------------------------------------------- */

/* The first bytes of a JSON or SARIF report written by gatekeeper. */
static int looks_like_report(const struct gk_file *file)
{
	size_t n = file->size < 2048 ? file->size : 2048;
	const char *s = (const char *)file->data;
	char head[2049];

	if (!s || n == 0)
		return 0;
	memcpy(head, s, n);
	head[n] = '\0';
	if (memchr(head, '\0', n))
		return 0;
	s = head + strspn(head, " \t\r\n");
	return *s == '{' && strstr(s, "\"tool\"") &&
	       (strstr(s, "\"name\":\t\"gatekeeper\"") ||
		strstr(s, "\"name\": \"gatekeeper\"") ||
		strstr(s, "\"name\":\"gatekeeper\""));
}

int gk_gitleaks_own_report(const struct gk_file *file, const char *secret)
{
	size_t n = secret ? strlen(secret) : 0;

	return (n == 32 || n == 64) && is_hex(secret, n) && file &&
	       looks_like_report(file);
}
