/*
 * Report files: recognition by content, parsing, and the emission of
 * vulnerability findings and package components shared by both formats.
 */
#include "report.h"

#include "version.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

enum report_kind { KIND_NONE, KIND_TRIVY, KIND_GRYPE };

static const char *const kind_names[] = { "unknown", "trivy", "grype" };

const char *ct_json_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

const cJSON *ct_json_array(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsArray(v) ? v : NULL;
}

const cJSON *ct_json_object(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsObject(v) ? v : NULL;
}

const char *ct_json_join(const cJSON *arr, const char *sep,
			 struct ct_buf *out)
{
	const cJSON *e;
	int first = 1;

	ct_buf_reset(out);
	cJSON_ArrayForEach(e, arr) {
		if (!cJSON_IsString(e) || !*e->valuestring)
			continue;
		if (!first)
			ct_buf_add(out, sep);
		ct_buf_add(out, e->valuestring);
		first = 0;
	}
	return ct_buf_str(out);
}

static int ends_with_json(const char *path)
{
	size_t n = path ? strlen(path) : 0;

	return n >= 5 && strcasecmp(path + n - 5, ".json") == 0;
}

/* Does the head hold needle?  (memmem over a bounded head.) */
static int head_has(const unsigned char *head, size_t n, const char *needle)
{
	return memmem(head, n, needle, strlen(needle)) != NULL;
}

/*
 * Every *.json file is wanted: the host also asks wants() about the
 * reports the user named, and those must reach scan_file to be judged
 * (and warned about) whatever their content.  Files of the tree are then
 * filtered cheaply by looks_like_report() before any parsing.
 */
int ct_report_wants(const char *path, const unsigned char *head, size_t n)
{
	(void)head;
	(void)n;
	return ends_with_json(path);
}

/* The first bytes of a tree file open a JSON document and mention a key
 * every report format has near its start. */
static int looks_like_report(const unsigned char *data, size_t size)
{
	size_t n = size < 8192 ? size : 8192, i = 0;

	if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < n && isspace(data[i]))
		i++;
	if (i == n || (data[i] != '{' && data[i] != '['))
		return 0;
	return head_has(data, n, "\"SchemaVersion\"") ||
	       head_has(data, n, "\"Target\"") ||
	       head_has(data, n, "\"matches\"");
}

static int is_trivy_object(const cJSON *r)
{
	return cJSON_IsObject(r) &&
	       cJSON_HasObjectItem(r, "SchemaVersion") &&
	       (cJSON_HasObjectItem(r, "Results") ||
		ct_json_str(r, "ArtifactName"));
}

/* The bare array of results written before SchemaVersion existed. */
static int is_trivy_legacy(const cJSON *r)
{
	const cJSON *e;
	int vulns = 0;

	if (!cJSON_IsArray(r) || !cJSON_GetArraySize(r))
		return 0;
	cJSON_ArrayForEach(e, r) {
		if (!cJSON_IsObject(e) || !ct_json_str(e, "Target"))
			return 0;
		vulns |= cJSON_HasObjectItem(e, "Vulnerabilities");
	}
	return vulns;
}

static int is_grype(const cJSON *r)
{
	return cJSON_IsObject(r) && ct_json_array(r, "matches") &&
	       (ct_json_object(r, "descriptor") ||
		ct_json_object(r, "source"));
}

static enum report_kind recognise(const cJSON *root)
{
	if (is_trivy_object(root) || is_trivy_legacy(root))
		return KIND_TRIVY;
	if (is_grype(root))
		return KIND_GRYPE;
	return KIND_NONE;
}

static int named(const struct ct_scan *s)
{
	return s->file->origin == GK_ORIGIN_REPORT;
}

/* The document is not a report we know: loud only when named as one. */
static void not_a_report(const struct ct_scan *s, const char *why)
{
	if (named(s))
		ct_log(s, GK_LOG_WARN, "named as a %s report but %s; ignored",
		       s->file->kind ? s->file->kind : "vulnerability", why);
	else
		ct_log(s, GK_LOG_DEBUG, "%s; not a report", why);
}

static void scan_document(struct ct_scan *s, const cJSON *root)
{
	enum report_kind kind = recognise(root);
	const char *asked = s->file->kind;

	if (kind == KIND_NONE) {
		not_a_report(s, "its JSON is neither a trivy nor a grype "
				"report");
		return;
	}
	if (named(s) && asked && strcasecmp(asked, kind_names[kind]) != 0)
		ct_log(s, GK_LOG_WARN, "named as a %s report but its content "
		       "is a %s report; read as %s", asked, kind_names[kind],
		       kind_names[kind]);
	if (kind == KIND_TRIVY)
		ct_trivy_scan(s, root);
	else
		ct_grype_scan(s, root);
	if (s->skipped)
		ct_log(s, GK_LOG_WARN, "%zu entries with missing or mistyped "
		       "fields were skipped", s->skipped);
}

int ct_report_scan(struct ct_scan *s)
{
	cJSON *root;

	if (!named(s) && !looks_like_report(s->file->data, s->file->size))
		return 0;
	if (s->file->size > CT_MAX_REPORT) {
		ct_log(s, GK_LOG_WARN, "report of %zu bytes exceeds the "
		       "%zu byte limit; ignored", s->file->size, CT_MAX_REPORT);
		return 0;
	}
	root = cJSON_ParseWithLength((const char *)s->file->data,
				     s->file->size);
	if (!root) {
		ct_log(s, GK_LOG_WARN, "not valid JSON (truncated, malformed, "
		       "or nested deeper than %d levels); report ignored",
		       CJSON_NESTING_LIMIT);
		return 0;
	}
	scan_document(s, root);
	cJSON_Delete(root);
	return 0;
}

static int purl_usable(const char *purl)
{
	return purl && strncmp(purl, "pkg:", 4) == 0 && strchr(purl + 4, '/');
}

/* The report's purl when it has one, else one built from the parts. */
static int pkg_purl(const struct ct_artifact *a, const struct ct_pkg *pkg,
		    struct ct_buf *purl)
{
	ct_buf_reset(purl);
	if (purl_usable(pkg->purl)) {
		ct_buf_add(purl, pkg->purl);
		return purl->failed ? -1 : 0;
	}
	if (ct_purl_for_package(ct_purl_type_for(pkg->ecosystem), pkg->name,
				pkg->version, &a->os, pkg->arch, pkg->epoch,
				purl) || purl->failed) {
		ct_buf_reset(purl);
		return -1;
	}
	return 0;
}

int ct_pkg_emit(struct ct_scan *s, const struct ct_artifact *a,
		const struct ct_pkg *pkg, struct ct_buf *purl)
{
	struct gk_component c;

	if (!pkg->name || !*pkg->name)
		return -1;
	if (pkg_purl(a, pkg, purl))
		return -1;
	if (!ct_seen_add(&s->seen, ct_buf_str(purl)))
		return 0;
	memset(&c, 0, sizeof(c));
	c.name = pkg->name;
	c.version = pkg->version;
	c.ecosystem = ct_purl_type_for(pkg->ecosystem);
	c.purl = ct_buf_str(purl);
	c.type = "library";
	c.licenses = pkg->licenses;
	c.parent = a->parent;
	ct_emit_component(s, &c);
	return 0;
}

/* artifact|purl type|package|installed|id, lowercased: two tools that
 * report one vulnerability in one package of one artifact agree. */
static void vuln_key(struct ct_buf *key, const struct ct_artifact *a,
		     const struct ct_vuln *v)
{
	const char *parts[5];
	size_t i;
	char *p;

	parts[0] = a->name ? a->name : "";
	parts[1] = ct_purl_type_for(v->pkg.ecosystem);
	parts[2] = v->pkg.name;
	parts[3] = v->pkg.version ? v->pkg.version : "";
	parts[4] = v->id;
	ct_buf_reset(key);
	for (i = 0; i < 5; i++) {
		if (i)
			ct_buf_addc(key, '|');
		ct_buf_add(key, parts[i]);
	}
	for (p = key->p; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
}

static void vuln_message(struct ct_buf *msg, const struct ct_vuln *v,
			 const char *fix)
{
	ct_buf_reset(msg);
	ct_buf_addf(msg, "%s in %s %s: ", v->id, v->pkg.name,
		    v->pkg.version ? v->pkg.version : "(unknown version)");
	if (*fix)
		ct_buf_addf(msg, "fixed in %s", fix);
	else
		ct_buf_add(msg, "no fixed version");
}

static void add_field(struct ct_buf *x, const char *name, const char *value)
{
	if (!value)
		return;
	ct_buf_addf(x, ",\"%s\":", name);
	ct_buf_add_json(x, value);
}

static void add_fixed_list(struct ct_buf *x, const char *list)
{
	const char *cursor = list, *item;
	size_t len;
	int first = 1;

	ct_buf_add(x, ",\"fixed_versions\":[");
	while (list && ct_version_next(&cursor, &item, &len)) {
		char one[256];

		if (len >= sizeof(one))
			len = sizeof(one) - 1;
		memcpy(one, item, len);
		one[len] = '\0';
		if (!first)
			ct_buf_addc(x, ',');
		ct_buf_add_json(x, one);
		first = 0;
	}
	ct_buf_addc(x, ']');
}

static void vuln_extra(struct ct_buf *x, const struct ct_artifact *a,
		       const struct ct_vuln *v, const char *purl,
		       const char *status)
{
	ct_buf_reset(x);
	ct_buf_add(x, "{\"tool\":");
	ct_buf_add_json(x, a->tool);
	add_field(x, "artifact", a->name);
	add_field(x, "target", v->target);
	add_field(x, "class", v->klass);
	add_field(x, "status", status);
	add_field(x, "severity_source", v->severity);
	add_field(x, "primary_url", v->url);
	add_field(x, "data_source", v->source);
	add_field(x, "purl", *purl ? purl : NULL);
	add_fixed_list(x, v->fixed);
	ct_buf_addf(x, ",\"references\":%zu}", v->nrefs);
}

void ct_vuln_emit(struct ct_scan *s, const struct ct_artifact *a,
		  const struct ct_vuln *v)
{
	struct ct_buf *purl = &s->t[0], *fix = &s->t[1], *msg = &s->t[2];
	struct ct_buf *key = &s->t[3], *extra = &s->t[4], *title = &s->t[5];
	struct gk_finding f;
	char fp[65];
	size_t nfix;

	ct_pkg_emit(s, a, &v->pkg, purl);
	ct_buf_reset(fix);
	nfix = ct_version_pick_fix(v->fixed, v->pkg.version, fix);
	vuln_message(msg, v, ct_buf_str(fix));
	vuln_key(key, a, v);
	ct_fingerprint(s, ct_buf_str(key), fp);
	vuln_extra(extra, a, v, ct_buf_str(purl),
		   v->status ? v->status : nfix ? "fixed" : "affected");
	ct_buf_reset(title);
	if (!v->title || !*v->title)
		ct_buf_addf(title, "%s in %s", v->id, v->pkg.name);

	memset(&f, 0, sizeof(f));
	f.rule = v->id;
	f.severity = ct_severity_map(v->severity, v->cvss);
	f.title = title->len ? ct_buf_str(title) : v->title;
	f.message = ct_buf_str(msg);
	f.fingerprint_key = ct_buf_str(key);
	f.fingerprint = fp;
	f.package = v->pkg.name;
	f.ecosystem = ct_purl_type_for(v->pkg.ecosystem);
	f.installed = v->pkg.version;
	f.fixed = nfix ? ct_buf_str(fix) : NULL;
	f.advisory = v->id;
	f.cvss = v->cvss;
	f.extra_json = extra->failed ? NULL : ct_buf_str(extra);
	ct_emit_finding(s, &f);
}
