/*
 * Grype JSON reports: each matches[] entry pairs a vulnerability with the
 * artifact (package) it was found in.
 */
#include "report.h"

#include <stdio.h>
#include <string.h>

#include "image.h"

/* Highest v3 base score among cvss[] entries. */
static double cvss_v3_max(const cJSON *list, double best)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, list) {
		const char *ver = ct_json_str(c, "version");
		const cJSON *m = ct_json_object(c, "metrics");
		const cJSON *score = cJSON_GetObjectItemCaseSensitive(
			m, "baseScore");

		if (ver && ver[0] == '3' && cJSON_IsNumber(score) &&
		    score->valuedouble > best && score->valuedouble <= 10.0)
			best = score->valuedouble;
	}
	return best;
}

/* Also the scores of related records (the CVE behind a GHSA). */
static double match_cvss(const cJSON *match, const cJSON *vuln)
{
	double best = cvss_v3_max(ct_json_array(vuln, "cvss"), 0);
	const cJSON *rel;

	cJSON_ArrayForEach(rel, ct_json_array(match, "relatedVulnerabilities"))
		best = cvss_v3_max(ct_json_array(rel, "cvss"), best);
	return best;
}

static const char *os_class(const char *type)
{
	static const char *const os_types[] = { "apk", "deb", "rpm",
						"alpm", "portage", NULL };
	size_t i;

	for (i = 0; type && os_types[i]; i++)
		if (strcmp(type, os_types[i]) == 0)
			return "os-pkgs";
	return "lang-pkgs";
}

/* Licenses as strings (older Grype) or objects with a value. */
static const char *licenses_join(const cJSON *list, struct ct_buf *out)
{
	const cJSON *l;

	ct_buf_reset(out);
	cJSON_ArrayForEach(l, list) {
		const char *v = cJSON_IsString(l) ? l->valuestring
						  : ct_json_str(l, "value");

		if (!v || !*v)
			continue;
		if (out->len)
			ct_buf_addc(out, ',');
		ct_buf_add(out, v);
	}
	return out->len ? ct_buf_str(out) : NULL;
}

static void artifact_read(struct ct_scan *s, struct ct_pkg *p,
			  const cJSON *art, char *epoch, size_t cap)
{
	const cJSON *meta = ct_json_object(art, "metadata");
	const cJSON *ep = cJSON_GetObjectItemCaseSensitive(meta, "epoch");

	p->name = ct_json_str(art, "name");
	p->version = ct_json_str(art, "version");
	p->ecosystem = ct_json_str(art, "type");
	p->purl = ct_json_str(art, "purl");
	p->arch = meta ? ct_json_str(meta, "architecture") : NULL;
	if (cJSON_IsNumber(ep) && ep->valuedouble >= 1 && ep->valuedouble < 1e9)
		snprintf(epoch, cap, "%d", ep->valueint);
	p->epoch = *epoch ? epoch : NULL;
	p->licenses = licenses_join(ct_json_array(art, "licenses"), &s->t[7]);
}

static void match_read(struct ct_scan *s, struct ct_vuln *v,
		       const cJSON *match, char *epoch, size_t cap)
{
	const cJSON *vj = ct_json_object(match, "vulnerability");
	const cJSON *art = ct_json_object(match, "artifact");
	const cJSON *fix = ct_json_object(vj, "fix");
	const cJSON *loc = cJSON_GetArrayItem(ct_json_array(art, "locations"),
					      0);
	const cJSON *url0 = cJSON_GetArrayItem(ct_json_array(vj, "urls"), 0);

	memset(v, 0, sizeof(*v));
	v->id = ct_json_str(vj, "id");
	artifact_read(s, &v->pkg, art, epoch, cap);
	v->fixed = ct_json_join(ct_json_array(fix, "versions"), ", ",
				&s->t[6]);
	v->status = ct_json_str(fix, "state");
	if (v->status && !*v->status)
		v->status = NULL;
	v->severity = ct_json_str(vj, "severity");
	v->url = ct_json_str(vj, "dataSource");
	if ((!v->url || !*v->url) && cJSON_IsString(url0))
		v->url = url0->valuestring;
	if (v->url && !*v->url)
		v->url = NULL;
	v->target = ct_json_str(loc, "path");
	v->klass = os_class(v->pkg.ecosystem);
	v->source = ct_json_str(vj, "namespace");
	v->cvss = match_cvss(match, vj);
	v->nrefs = (size_t)cJSON_GetArraySize(ct_json_array(vj, "urls"));
}

/* The scanned thing: an image's user input, or a directory path. */
static const char *source_name(const cJSON *root, int *is_image)
{
	const cJSON *src = ct_json_object(root, "source");
	const cJSON *target = cJSON_GetObjectItemCaseSensitive(src, "target");
	const char *type = ct_json_str(src, "type");

	*is_image = type && strcmp(type, "image") == 0;
	if (cJSON_IsString(target))
		return target->valuestring;
	return ct_json_str(target, "userInput");
}

void ct_grype_scan(struct ct_scan *s, const cJSON *root)
{
	struct ct_artifact a = { "grype", NULL, { NULL, NULL }, NULL };
	const cJSON *distro = ct_json_object(root, "distro");
	const cJSON *match;
	struct ct_image img;
	struct ct_buf parent;
	struct ct_vuln v;
	int is_image;

	a.name = source_name(root, &is_image);
	a.os.family = ct_json_str(distro, "name");
	a.os.name = ct_json_str(distro, "version");
	ct_buf_init(&parent, CT_MAX_TEXT);
	if (is_image && ct_image_parse(a.name, &img) == 0 &&
	    ct_image_component(s, &img, &parent) == 0)
		a.parent = ct_buf_str(&parent);
	cJSON_ArrayForEach(match, ct_json_array(root, "matches")) {
		char epoch[24] = "";

		match_read(s, &v, match, epoch, sizeof(epoch));
		if (!v.id || !*v.id || !v.pkg.name || !*v.pkg.name)
			s->skipped++;
		else
			ct_vuln_emit(s, &a, &v);
	}
	ct_buf_release(&parent);
}
