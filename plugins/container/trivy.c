/*
 * Trivy JSON reports: SchemaVersion 2 (any Trivy version since 0.20) and
 * the bare array of results written before it.  Vulnerabilities become
 * findings ruled by their id; failed misconfigurations and secrets become
 * findings with their lines; packages become components.
 */
#include "report.h"

#include <stdio.h>
#include <string.h>

#include "image.h"

/* Passed and excepted misconfigurations: counted, never reported. */
struct misconf_count {
	size_t passed, excepted;
};

static double cvss_v3_max(const cJSON *cvss)
{
	const cJSON *src, *score;
	double best = 0;

	cJSON_ArrayForEach(src, cvss) {
		score = cJSON_GetObjectItemCaseSensitive(src, "V3Score");
		if (cJSON_IsNumber(score) && score->valuedouble > best &&
		    score->valuedouble <= 10.0)
			best = score->valuedouble;
	}
	return best;
}

static size_t array_size(const cJSON *o, const char *key)
{
	const cJSON *a = ct_json_array(o, key);

	return a ? (size_t)cJSON_GetArraySize(a) : 0;
}

static void vuln_read(struct ct_vuln *v, const cJSON *j, const cJSON *res)
{
	const cJSON *ident = ct_json_object(j, "PkgIdentifier");
	const cJSON *ds = ct_json_object(j, "DataSource");

	memset(v, 0, sizeof(*v));
	v->id = ct_json_str(j, "VulnerabilityID");
	v->pkg.name = ct_json_str(j, "PkgName");
	v->pkg.version = ct_json_str(j, "InstalledVersion");
	v->pkg.ecosystem = ct_json_str(res, "Type");
	v->pkg.purl = ident ? ct_json_str(ident, "PURL") : NULL;
	v->fixed = ct_json_str(j, "FixedVersion");
	v->severity = ct_json_str(j, "Severity");
	v->status = ct_json_str(j, "Status");
	v->title = ct_json_str(j, "Title");
	v->url = ct_json_str(j, "PrimaryURL");
	v->target = ct_json_str(res, "Target");
	v->klass = ct_json_str(res, "Class");
	v->source = ds ? ct_json_str(ds, "Name") : NULL;
	v->cvss = cvss_v3_max(ct_json_object(j, "CVSS"));
	v->nrefs = array_size(j, "References");
}

static void vulns_scan(struct ct_scan *s, const struct ct_artifact *a,
		       const cJSON *res)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(res,
							     "Vulnerabilities");
	const cJSON *j;
	struct ct_vuln v;

	if (!list || cJSON_IsNull(list))
		return;
	if (!cJSON_IsArray(list)) {
		s->skipped++;
		return;
	}
	cJSON_ArrayForEach(j, list) {
		vuln_read(&v, j, res);
		if (!v.id || !*v.id || !v.pkg.name || !*v.pkg.name) {
			s->skipped++;
			continue;
		}
		ct_vuln_emit(s, a, &v);
	}
}

/* OS packages carry Release and Epoch apart from Version. */
static const char *pkg_version(const cJSON *j, char *buf, size_t cap)
{
	const char *ver = ct_json_str(j, "Version");
	const char *rel = ct_json_str(j, "Release");

	if (!ver || !rel || !*rel)
		return ver;
	snprintf(buf, cap, "%s-%s", ver, rel);
	return buf;
}

static void package_read(struct ct_scan *s, const struct ct_artifact *a,
			 const cJSON *j, const cJSON *res)
{
	const cJSON *ident = ct_json_object(j, "Identifier");
	const cJSON *epoch = cJSON_GetObjectItemCaseSensitive(j, "Epoch");
	char version[512], epoch_text[24] = "";
	struct ct_pkg p;

	memset(&p, 0, sizeof(p));
	p.name = ct_json_str(j, "Name");
	p.version = pkg_version(j, version, sizeof(version));
	p.ecosystem = ct_json_str(res, "Type");
	p.purl = ident ? ct_json_str(ident, "PURL") : NULL;
	p.arch = ct_json_str(j, "Arch");
	if (cJSON_IsNumber(epoch) && epoch->valuedouble >= 1 &&
	    epoch->valuedouble < 1e9)
		snprintf(epoch_text, sizeof(epoch_text), "%d", epoch->valueint);
	p.epoch = epoch_text[0] ? epoch_text : NULL;
	p.licenses = ct_json_join(ct_json_array(j, "Licenses"), ",", &s->t[1]);
	if (!*p.licenses)
		p.licenses = NULL;
	if (ct_pkg_emit(s, a, &p, &s->t[0]))
		s->skipped++;
}

static void packages_scan(struct ct_scan *s, const struct ct_artifact *a,
			  const cJSON *res)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(res, "Packages");
	const cJSON *j;

	if (!list || cJSON_IsNull(list))
		return;
	if (!cJSON_IsArray(list)) {
		s->skipped++;
		return;
	}
	cJSON_ArrayForEach(j, list)
		package_read(s, a, j, res);
}

static int json_int(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 1e9)
		return 0;
	return v->valueint;
}

static void misconf_emit(struct ct_scan *s, const cJSON *m, const char *id,
			 const char *target)
{
	const cJSON *cause = ct_json_object(m, "CauseMetadata");
	struct ct_buf *key = &s->t[0], *extra = &s->t[1];
	const char *msg = ct_json_str(m, "Message");
	struct gk_finding f;

	ct_buf_reset(key);
	ct_buf_addf(key, "misconfig|%s|%s|%s", id, msg ? msg : "",
		    cause && ct_json_str(cause, "Resource")
			    ? ct_json_str(cause, "Resource") : "");
	ct_buf_reset(extra);
	ct_buf_add(extra, "{\"tool\":\"trivy\",\"class\":\"config\"");
	ct_buf_add(extra, ",\"status\":\"FAIL\",\"type\":");
	ct_buf_add_json(extra, ct_json_str(m, "Type"));
	ct_buf_add(extra, ",\"resolution\":");
	ct_buf_add_json(extra, ct_json_str(m, "Resolution"));
	ct_buf_add(extra, ",\"primary_url\":");
	ct_buf_add_json(extra, ct_json_str(m, "PrimaryURL"));
	ct_buf_addc(extra, '}');

	memset(&f, 0, sizeof(f));
	f.rule = id;
	f.severity = ct_severity_map(ct_json_str(m, "Severity"), 0);
	f.title = ct_json_str(m, "Title");
	f.message = msg ? msg : ct_json_str(m, "Description");
	f.path = target;
	f.line = cause ? json_int(cause, "StartLine") : 0;
	f.end_line = cause ? json_int(cause, "EndLine") : 0;
	f.fingerprint_key = ct_buf_str(key);
	f.extra_json = extra->failed ? NULL : ct_buf_str(extra);
	ct_emit_finding(s, &f);
}

static void misconfs_scan(struct ct_scan *s, const cJSON *res,
			  struct misconf_count *count)
{
	const cJSON *list = ct_json_array(res, "Misconfigurations");
	const char *target = ct_json_str(res, "Target");
	const cJSON *m;

	cJSON_ArrayForEach(m, list) {
		const char *status = ct_json_str(m, "Status");
		const char *id = ct_json_str(m, "ID");

		if (!id)
			id = ct_json_str(m, "AVDID");
		if (status && strcmp(status, "PASS") == 0)
			count->passed++;
		else if (status && strcmp(status, "EXCEPTION") == 0)
			count->excepted++;
		else if (!status || !id || !target || strcmp(status, "FAIL"))
			s->skipped++;
		else
			misconf_emit(s, m, id, target);
	}
}

/*
 * A Trivy secret: rule, title, severity and lines only.  Match and
 * Code hold the line around the secret, masked by Trivy unless it ran
 * with masking off or the report was written by hand, so no text of
 * them is kept: the match reaches only the fingerprint, as a hash.
 */
static void secret_emit(struct ct_scan *s, const cJSON *j, const char *rule,
			const char *target)
{
	struct ct_buf *key = &s->t[0], *msg = &s->t[1];
	const char *title = ct_json_str(j, "Title");
	const char *match = ct_json_str(j, "Match");
	struct gk_finding f;

	ct_buf_reset(key);
	ct_buf_addf(key, "secret|%s|%s", rule, match ? match : "");
	ct_buf_reset(msg);
	ct_buf_addf(msg, "%s found by trivy in %s", title ? title : rule,
		    target);

	memset(&f, 0, sizeof(f));
	f.rule = rule;
	f.severity = ct_severity_map(ct_json_str(j, "Severity"), 0);
	f.title = title;
	f.message = ct_buf_str(msg);
	f.path = target;
	f.line = json_int(j, "StartLine");
	f.end_line = json_int(j, "EndLine");
	f.fingerprint_key = ct_buf_str(key);
	f.extra_json = "{\"tool\":\"trivy\",\"class\":\"secret\"}";
	ct_emit_finding(s, &f);
}

static void secrets_scan(struct ct_scan *s, const cJSON *res)
{
	const cJSON *list = ct_json_array(res, "Secrets");
	const char *target = ct_json_str(res, "Target");
	const cJSON *j;

	cJSON_ArrayForEach(j, list) {
		const char *rule = ct_json_str(j, "RuleID");

		if (!rule || !*rule || !target)
			s->skipped++;
		else
			secret_emit(s, j, rule, target);
	}
}

static void result_scan(struct ct_scan *s, const struct ct_artifact *a,
			const cJSON *res, struct misconf_count *count)
{
	if (!cJSON_IsObject(res) || !ct_json_str(res, "Target")) {
		s->skipped++;
		return;
	}
	packages_scan(s, a, res);
	vulns_scan(s, a, res);
	misconfs_scan(s, res, count);
	secrets_scan(s, res);
}

static void results_scan(struct ct_scan *s, const struct ct_artifact *a,
			 const cJSON *results)
{
	struct misconf_count count = { 0, 0 };
	const cJSON *res;

	cJSON_ArrayForEach(res, results)
		result_scan(s, a, res, &count);
	if (count.passed || count.excepted)
		ct_log(s, GK_LOG_INFO, "%zu misconfiguration checks passed, "
		       "%zu excepted (not reported)", count.passed,
		       count.excepted);
}

/* Legacy targets read "artifact (family version)". */
struct legacy_names {
	char artifact[1024];
	char family[64];
	char os[64];
};

static void legacy_split(const char *target, struct legacy_names *n)
{
	const char *open = strrchr(target, '(');
	size_t len = strlen(target);

	memset(n, 0, sizeof(*n));
	if (!open || open == target || open[-1] != ' ' ||
	    target[len - 1] != ')') {
		snprintf(n->artifact, sizeof(n->artifact), "%s", target);
		return;
	}
	snprintf(n->artifact, sizeof(n->artifact), "%.*s",
		 (int)(open - 1 - target), target);
	if (sscanf(open + 1, "%63s %63[^)]", n->family, n->os) != 2)
		n->family[0] = n->os[0] = '\0';
}

static void legacy_scan(struct ct_scan *s, const cJSON *root)
{
	struct ct_artifact a = { "trivy", NULL, { NULL, NULL }, NULL };
	struct legacy_names n;
	const cJSON *first = cJSON_GetArrayItem(root, 0);

	legacy_split(ct_json_str(first, "Target"), &n);
	a.name = n.artifact;
	if (n.family[0]) {
		a.os.family = n.family;
		a.os.name = n.os;
	}
	results_scan(s, &a, root);
}

static void schema_check(struct ct_scan *s, const cJSON *root)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root,
							  "SchemaVersion");
	char *text;

	if (cJSON_IsNumber(v) && v->valuedouble == 2)
		return;
	text = cJSON_PrintUnformatted(v);
	ct_log(s, GK_LOG_WARN, "unknown trivy SchemaVersion %.40s; read as "
	       "version 2", text ? text : "?");
	cJSON_free(text);
}

/* The image an image report is about: its first tag, else digest. */
static const char *image_ref(const cJSON *root)
{
	const cJSON *meta = ct_json_object(root, "Metadata");
	const char *type = ct_json_str(root, "ArtifactType");
	const cJSON *e;

	if (!meta || !type || strcmp(type, "container_image") != 0)
		return NULL;
	e = cJSON_GetArrayItem(ct_json_array(meta, "RepoTags"), 0);
	if (!cJSON_IsString(e))
		e = cJSON_GetArrayItem(ct_json_array(meta, "RepoDigests"), 0);
	return cJSON_IsString(e) ? e->valuestring : NULL;
}

static void schema2_scan(struct ct_scan *s, const cJSON *root)
{
	struct ct_artifact a = { "trivy", NULL, { NULL, NULL }, NULL };
	const cJSON *os = ct_json_object(ct_json_object(root, "Metadata"), "OS");
	const cJSON *results = cJSON_GetObjectItemCaseSensitive(root,
								"Results");
	struct ct_image img;
	struct ct_buf parent;

	schema_check(s, root);
	a.name = ct_json_str(root, "ArtifactName");
	a.os.family = os ? ct_json_str(os, "Family") : NULL;
	a.os.name = os ? ct_json_str(os, "Name") : NULL;
	ct_buf_init(&parent, CT_MAX_TEXT);
	if (ct_image_parse(image_ref(root), &img) == 0 &&
	    ct_image_component(s, &img, &parent) == 0)
		a.parent = ct_buf_str(&parent);
	if (results && !cJSON_IsNull(results) && !cJSON_IsArray(results))
		s->skipped++;
	else
		results_scan(s, &a, results);
	ct_buf_release(&parent);
}

void ct_trivy_scan(struct ct_scan *s, const cJSON *root)
{
	if (cJSON_IsArray(root))
		legacy_scan(s, root);
	else
		schema2_scan(s, root);
}
