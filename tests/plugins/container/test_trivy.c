/*
 * Trivy reports: every corpus file yields the findings and components a
 * walk of its JSON (written here, apart from the plugin) predicts, with
 * exact severities, fixed versions and purls; Trivy's quirks; bad input.
 */
#include "ct_test.h"

#include <cjson/cJSON.h>

#include "../../../plugins/container/internal.h"
#include "../../../plugins/container/version.h"

/* ---- the independent count ------------------------------------------ */

struct expect {
	size_t findings;
	size_t components;
};

static int key_seen(char **keys, size_t n, const char *k)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(keys[i], k) == 0)
			return 1;
	return 0;
}

/* Adds type|name|version (name lowercased) to keys when new. */
static void key_add(char **keys, size_t *n, const char *type,
		    const char *name, const char *version)
{
	char k[512], *p;

	snprintf(k, sizeof(k), "%s|%s|%s", type ? type : "", name,
		 version ? version : "");
	for (p = k; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	if (!key_seen(keys, *n, k))
		keys[(*n)++] = strdup(k);
}

static const char *str_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void count_result(const cJSON *res, struct expect *e, char **keys,
			 size_t *nkeys)
{
	const char *type = str_of(res, "Type");
	const cJSON *x;

	cJSON_ArrayForEach(x, cJSON_GetObjectItem(res, "Vulnerabilities")) {
		e->findings++;
		key_add(keys, nkeys, type, str_of(x, "PkgName"),
			str_of(x, "InstalledVersion"));
	}
	cJSON_ArrayForEach(x, cJSON_GetObjectItem(res, "Packages"))
		key_add(keys, nkeys, type, str_of(x, "Name"),
			str_of(x, "Version"));
	cJSON_ArrayForEach(x, cJSON_GetObjectItem(res, "Misconfigurations"))
		e->findings += strcmp(str_of(x, "Status"), "FAIL") == 0;
	cJSON_ArrayForEach(x, cJSON_GetObjectItem(res, "Secrets"))
		e->findings++;
}

/* Findings: vulnerabilities + failed misconfigurations + secrets.
 * Components: distinct packages, plus the image when it has a tag. */
static struct expect count_trivy(const char *json)
{
	cJSON *root = cJSON_Parse(json);
	const cJSON *results, *res, *meta;
	struct expect e = { 0, 0 };
	char *keys[4096];
	size_t nkeys = 0, i;

	assert_non_null(root);
	results = cJSON_IsArray(root) ? root
				      : cJSON_GetObjectItem(root, "Results");
	cJSON_ArrayForEach(res, results)
		count_result(res, &e, keys, &nkeys);
	meta = cJSON_GetObjectItem(root, "Metadata");
	if (cJSON_GetArraySize(cJSON_GetObjectItem(meta, "RepoTags")) > 0)
		e.components++;
	e.components += nkeys;
	for (i = 0; i < nkeys; i++)
		free(keys[i]);
	cJSON_Delete(root);
	return e;
}

/* ---- the corpus ------------------------------------------------------ */

/*
 * Hand-checked numbers next to the computed ones, with the jq that
 * gives the findings (vulns + FAIL misconfigs + secrets):
 *   jq '[(if type=="array" then .[] else (.Results//[])[] end)
 *        | (.Vulnerabilities//[]|length)
 *          + ([.Misconfigurations[]?|select(.Status=="FAIL")]|length)
 *          + (.Secrets//[]|length)] | add // 0' FILE
 */
static const struct corpus_case {
	const char *file;
	size_t findings, components;
} corpus[] = {
	{ "trivy/alpine-310.image.json", 4, 3 },         /* 2 pkgs + image */
	{ "trivy/alpine-310.v0.19-legacy-array.json", 8, 2 },
	{ "trivy/alpine-310.v0.20-schema2.json", 8, 2 },
	{ "trivy/alpine-39-skip.no-findings.json", 0, 1 }, /* the image */
	{ "trivy/debian-buster.image.json", 2, 3 },
	{ "trivy/dockerfile.misconfig.json", 1, 0 },
	{ "trivy/npm-package-lock.repo.json", 1, 12 },
	{ "trivy/pip-requirements.repo.json", 2, 7 },
	{ "trivy/secrets.repo.json", 2, 0 },
};

static void corpus_counts(void **unused)
{
	size_t i;

	(void)unused;
	for (i = 0; i < sizeof(corpus) / sizeof(corpus[0]); i++) {
		struct ct_env e;
		struct expect want;
		size_t len;
		char *json = ct_read_fixture(corpus[i].file, &len);

		want = count_trivy(json);
		assert_int_equal(want.findings, corpus[i].findings);
		assert_int_equal(want.components, corpus[i].components);
		ct_env_open(&e);
		assert_int_equal(ct_scan_as(&e, corpus[i].file, "trivy", json,
					    len), 0);
		assert_int_equal(mock_host_nfindings(e.h), want.findings);
		assert_int_equal(mock_host_ncomponents(e.h), want.components);
		assert_int_equal(mock_host_nlogs(e.h, GK_LOG_WARN), 0);
		ct_env_close(&e);
		free(json);
	}
}

/* Runs one fixture as a named trivy report into a fresh env. */
static void run_fixture(struct ct_env *e, const char *file)
{
	size_t len;
	char *json = ct_read_fixture(file, &len);

	ct_env_open(e);
	assert_int_equal(ct_scan_as(e, file, "trivy", json, len), 0);
	free(json);
}

static void alpine_image_values(void **unused)
{
	const struct mock_finding *f;
	const struct mock_component *c;
	struct ct_env e;

	(void)unused;
	run_fixture(&e, "trivy/alpine-310.image.json");
	f = ct_find(e.h, "CVE-2019-1549", "libcrypto1.1");
	assert_non_null(f);
	assert_int_equal(f->severity, GK_SEV_MEDIUM);
	assert_string_equal(f->installed, "1.1.1c-r0");
	assert_string_equal(f->fixed, "1.1.1d-r0");
	assert_string_equal(f->advisory, "CVE-2019-1549");
	assert_string_equal(f->ecosystem, "apk");
	assert_string_equal(f->title, "openssl: information disclosure in fork()");
	assert_true(f->cvss > 5.29 && f->cvss < 5.31); /* nvd 5.3 > redhat 4.8 */
	assert_string_equal(f->path, "trivy/alpine-310.image.json");
	assert_non_null(strstr(f->extra_json, "\"class\":\"os-pkgs\""));
	assert_non_null(strstr(f->extra_json, "\"status\":\"fixed\""));
	assert_non_null(strstr(f->extra_json,
			       "\"primary_url\":\"https://avd.aquasec.com/nvd/"
			       "cve-2019-1549\""));
	assert_non_null(strstr(f->extra_json, "\"references\":20"));
	c = ct_component(e.h, "pkg:apk/alpine/libcrypto1.1@1.1.1c-r0"
			      "?arch=x86_64&distro=3.10.2");
	assert_non_null(c);
	assert_string_equal(c->parent, "pkg:docker/aquasecurity/"
				       "trivy-test-images@alpine-310"
				       "?repository_url=ghcr.io");
	assert_non_null(ct_component(e.h, c->parent));
	ct_env_close(&e);
}

/* Before PkgIdentifier existed: the purl is built from the parts. */
static void legacy_values(void **unused)
{
	const struct mock_finding *f;
	struct ct_env e;

	(void)unused;
	run_fixture(&e, "trivy/alpine-310.v0.19-legacy-array.json");
	f = ct_find(e.h, "CVE-2019-1547", "libssl1.1");
	assert_non_null(f);
	assert_int_equal(f->severity, GK_SEV_LOW);
	assert_string_equal(f->fixed, "1.1.1d-r0");
	assert_true(f->cvss > 5.49 && f->cvss < 5.51); /* redhat V3 only */
	assert_non_null(ct_component(e.h, "pkg:apk/alpine/libssl1.1@1.1.1c-r0"
					  "?distro=3.10.2"));
	ct_env_close(&e);
}

static void debian_values(void **unused)
{
	const struct mock_finding *f;
	struct ct_env e;

	(void)unused;
	run_fixture(&e, "trivy/debian-buster.image.json");
	f = ct_find(e.h, "CVE-2019-18224", "libidn2-0");
	assert_non_null(f);
	assert_int_equal(f->severity, GK_SEV_CRITICAL);
	assert_string_equal(f->fixed, "2.0.5-1+deb10u1");
	assert_true(f->cvss > 9.79 && f->cvss < 9.81);
	f = ct_find(e.h, "CVE-2019-18276", "bash");
	assert_non_null(f);
	assert_int_equal(f->severity, GK_SEV_LOW);
	assert_null(f->fixed);
	assert_non_null(strstr(f->extra_json, "\"status\":\"affected\""));
	assert_non_null(ct_component(e.h, "pkg:deb/debian/bash@5.0-4"
					  "?arch=amd64&distro=debian-10.1"));
	ct_env_close(&e);
}

static void language_values(void **unused)
{
	const struct mock_finding *f;
	struct ct_env e;

	(void)unused;
	run_fixture(&e, "trivy/pip-requirements.repo.json");
	f = ct_find(e.h, "CVE-2019-14806", "Werkzeug");
	assert_non_null(f);
	assert_int_equal(f->severity, GK_SEV_HIGH);
	assert_string_equal(f->fixed, "0.15.3");
	assert_string_equal(f->ecosystem, "pypi");
	assert_non_null(strstr(f->extra_json, "\"target\":\"requirements.txt\""));
	assert_non_null(ct_component(e.h, "pkg:pypi/werkzeug@0.11"));
	assert_non_null(ct_component(e.h, "pkg:pypi/python-gitlab@2.0.0"));
	ct_env_close(&e);

	run_fixture(&e, "trivy/npm-package-lock.repo.json");
	f = ct_find(e.h, "CVE-2019-11358", "jquery");
	assert_non_null(f);
	assert_int_equal(f->severity, GK_SEV_MEDIUM);
	assert_string_equal(f->fixed, "3.4.0");
	assert_string_equal(mock_host_component(e.h, 1)->licenses, "MIT");
	assert_non_null(ct_component(e.h, "pkg:npm/jquery@3.3.9"));
	ct_env_close(&e);
}

static void misconfig_and_secret_values(void **unused)
{
	const struct mock_finding *f;
	struct ct_env e;

	(void)unused;
	run_fixture(&e, "trivy/dockerfile.misconfig.json");
	f = ct_find(e.h, "DS-0002", NULL);
	assert_non_null(f);
	assert_int_equal(f->severity, GK_SEV_HIGH);
	assert_string_equal(f->path, "Dockerfile");
	assert_string_equal(f->title, "Image user should not be 'root'");
	ct_env_close(&e);

	run_fixture(&e, "trivy/secrets.repo.json");
	f = ct_find(e.h, "aws-access-key-id", NULL);
	assert_non_null(f);
	assert_int_equal(f->severity, GK_SEV_CRITICAL);
	assert_string_equal(f->path, "deploy.sh");
	assert_int_equal(f->line, 3);
	assert_int_equal(f->end_line, 3);
	assert_null(f->snippet);
	assert_string_equal(f->extra_json,
			    "{\"tool\":\"trivy\",\"class\":\"secret\"}");
	f = ct_find(e.h, "mysecret", NULL);
	assert_non_null(f);
	assert_int_equal(f->severity, GK_SEV_HIGH);
	assert_int_equal(f->line, 7);
	ct_env_close(&e);
}

/* ---- quirks ---------------------------------------------------------- */

static size_t scan_text(struct ct_env *e, const char *path, const char *kind,
			const char *json)
{
	ct_env_open(e);
	assert_int_equal(ct_scan_as(e, path, kind, json, strlen(json)), 0);
	return mock_host_nfindings(e->h);
}

static int holds(const char *field, const char *needle)
{
	return field && strstr(field, needle) != NULL;
}

/* No field the host shows or stores holds the secret (the host keeps
 * fingerprint_key only as a hash). */
static void assert_secret_absent(const struct mock_finding *f,
				 const char *secret)
{
	const char *const fields[] = {
		f->rule, f->title, f->message, f->path, f->snippet,
		f->secret_hash, f->fingerprint, f->package, f->extra_json,
	};
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		assert_false(holds(fields[i], secret));
}

/* A report written with masking off carries the secret in Match and
 * Code: none of that text leaves the plugin. */
static void unmasked_secret_not_kept(void **unused)
{
	static const char fmt[] =
		"{\"SchemaVersion\":2,\"ArtifactName\":\".\",\"Results\":["
		"{\"Target\":\"env.sh\",\"Class\":\"secret\",\"Secrets\":["
		"{\"RuleID\":\"github-pat\",\"Severity\":\"CRITICAL\","
		"\"Title\":\"GitHub Personal Access Token\",\"StartLine\":2,"
		"\"EndLine\":2,\"Match\":\"export GH=%s\",\"Code\":{\"Lines\":"
		"[{\"Number\":2,\"Content\":\"export GH=%s\"}]}}]}]}";
	char secret[64], json[1024];
	const struct mock_finding *f;
	struct ct_env e;

	(void)unused;
	snprintf(secret, sizeof(secret), "%s%s", "ghp_",
		 "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1eF3hJ5");
	snprintf(json, sizeof(json), fmt, secret, secret);
	assert_int_equal(scan_text(&e, "r.json", "trivy", json), 1);
	f = mock_host_finding(e.h, 0);
	assert_string_equal(f->rule, "github-pat");
	assert_string_equal(f->title, "GitHub Personal Access Token");
	assert_int_equal(f->severity, GK_SEV_CRITICAL);
	assert_int_equal(f->line, 2);
	assert_null(f->snippet);
	assert_secret_absent(f, secret);
	assert_secret_absent(f, secret + 4);
	ct_env_close(&e);
}

/* The plugin has no settings: a key is warned about, a section that is
 * no object fails init. */
static void config_section_is_checked(void **unused)
{
	const struct gk_plugin *p = gk_plugin_entry();
	gk_host *h = mock_host_new("/src");
	void *state = NULL;

	(void)unused;
	assert_int_equal(p->init(h, mock_host_api(),
				 "{\"rules_dir\":\"/r\",\"trivy\":1}", &state),
			 0);
	assert_int_equal(mock_host_nlogs(h, GK_LOG_WARN), 1);
	assert_int_equal(ct_logs_with(h, "unknown setting 'trivy'"), 1);
	p->fini(state);
	state = NULL;
	assert_int_not_equal(p->init(h, mock_host_api(), "[1]", &state), 0);
	assert_null(state);
	mock_host_free(h);
}

static void vulnerabilities_null_or_missing(void **unused)
{
	static const char json[] =
		"{\"SchemaVersion\":2,\"ArtifactName\":\"app\",\"Results\":["
		"{\"Target\":\"a\",\"Type\":\"npm\",\"Vulnerabilities\":null,"
		"\"Packages\":[{\"Name\":\"left-pad\",\"Version\":\"1.3.0\"}]},"
		"{\"Target\":\"b\",\"Type\":\"npm\"}]}";
	struct ct_env e;

	(void)unused;
	assert_int_equal(scan_text(&e, "r.json", "trivy", json), 0);
	assert_int_equal(mock_host_nlogs(e.h, GK_LOG_WARN), 0);
	assert_int_equal(mock_host_ncomponents(e.h), 1);
	assert_non_null(ct_component(e.h, "pkg:npm/left-pad@1.3.0"));
	ct_env_close(&e);
}

static const char joined_fix[] =
	"{\"SchemaVersion\":2,\"ArtifactName\":\"app\",\"Results\":["
	"{\"Target\":\"go.sum\",\"Class\":\"lang-pkgs\",\"Type\":\"gomod\","
	"\"Vulnerabilities\":[{\"VulnerabilityID\":\"GHSA-xxxx\","
	"\"PkgName\":\"golang.org/x/net\",\"InstalledVersion\":\"%s\","
	"\"FixedVersion\":\"0.23.0, 0.17.0, 0.7.0\",\"Severity\":\"HIGH\"}]}]}";

static void fixed_versions_joined(void **unused)
{
	static const struct {
		const char *installed, *fixed;
	} cases[] = {
		{ "0.5.0", "0.7.0" },   /* all above: the lowest */
		{ "0.10.0", "0.17.0" }, /* 0.7.0 is below: skipped */
		{ "0.20.0", "0.23.0" },
		{ "0.30.0", "0.7.0" },  /* none above: the lowest listed */
	};
	char json[sizeof(joined_fix) + 32], purl[64];
	const struct mock_finding *f;
	struct ct_env e;
	size_t i;

	(void)unused;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(json, sizeof(json), joined_fix, cases[i].installed);
		assert_int_equal(scan_text(&e, "r.json", "trivy", json), 1);
		f = mock_host_finding(e.h, 0);
		assert_string_equal(f->fixed, cases[i].fixed);
		assert_non_null(strstr(f->extra_json,
				       "\"fixed_versions\":[\"0.23.0\","
				       "\"0.17.0\",\"0.7.0\"]"));
		snprintf(purl, sizeof(purl), "pkg:golang/golang.org/x/net@%s",
			 cases[i].installed);
		assert_non_null(ct_component(e.h, purl));
		ct_env_close(&e);
	}
}

static void unknown_schema_version_warns(void **unused)
{
	static const char json[] =
		"{\"SchemaVersion\":3,\"ArtifactName\":\"app\",\"Results\":["
		"{\"Target\":\"a\",\"Type\":\"pip\",\"Vulnerabilities\":["
		"{\"VulnerabilityID\":\"CVE-1\",\"PkgName\":\"x\","
		"\"InstalledVersion\":\"1\",\"Severity\":\"LOW\"}]}]}";
	struct ct_env e;

	(void)unused;
	assert_int_equal(scan_text(&e, "odd.json", "trivy", json), 1);
	assert_int_equal(mock_host_nlogs(e.h, GK_LOG_WARN), 1);
	assert_int_equal(ct_logs_with(e.h, "'odd.json'"), 1);
	assert_int_equal(ct_logs_with(e.h, "SchemaVersion 3"), 1);
	ct_env_close(&e);
}

/* The same vulnerability in the same package of the same artifact, from
 * an old and a new report: one fingerprint each, the same ones. */
static void two_reports_one_finding(void **unused)
{
	struct ct_env a, b;
	size_t i, j, same = 0;

	(void)unused;
	run_fixture(&a, "trivy/alpine-310.v0.19-legacy-array.json");
	run_fixture(&b, "trivy/alpine-310.v0.20-schema2.json");
	assert_int_equal(mock_host_nfindings(a.h), 8);
	for (i = 0; i < 8; i++)
		for (j = 0; j < 8; j++)
			same += strcmp(mock_host_finding(a.h, i)->fingerprint,
				       mock_host_finding(b.h, j)->fingerprint)
				== 0;
	assert_int_equal(same, 8);
	ct_env_close(&a);
	ct_env_close(&b);
}

/* ---- bad input ------------------------------------------------------- */

static void truncated_report_warns(void **unused)
{
	struct ct_env e;
	size_t len;
	char *json = ct_read_fixture("trivy/debian-buster.image.json", &len);

	(void)unused;
	ct_env_open(&e);
	assert_int_equal(ct_scan_as(&e, "cut.json", "trivy", json, len / 2),
			 0);
	assert_int_equal(mock_host_nfindings(e.h), 0);
	assert_int_equal(mock_host_nlogs(e.h, GK_LOG_WARN), 1);
	assert_int_equal(ct_logs_with(e.h, "'cut.json': not valid JSON"), 1);
	/* the host adds the plugin's name; the plugin does not */
	assert_int_equal(ct_logs_with(e.h, "container:"), 0);
	ct_env_close(&e);
	free(json);
}

static void deep_nesting_warns(void **unused)
{
	size_t depth = 10000, i;
	char *json = malloc(2 * depth + 1);
	struct ct_env e;

	(void)unused;
	assert_non_null(json);
	for (i = 0; i < depth; i++) {
		json[i] = '[';
		json[2 * depth - 1 - i] = ']';
	}
	json[2 * depth] = '\0';
	ct_env_open(&e);
	assert_int_equal(ct_scan_as(&e, "deep.json", "trivy", json,
				    2 * depth), 0);
	assert_int_equal(mock_host_nlogs(e.h, GK_LOG_WARN), 1);
	assert_int_equal(ct_logs_with(e.h, "'deep.json'"), 1);
	ct_env_close(&e);
	free(json);
}

/* Another tool's JSON, or a file that only looks like a report: a
 * warning when named as a report, silence when met in the tree. */
static void not_a_report(void **unused)
{
	static const char *const docs[] = {
		"{\"name\":\"app\",\"version\":\"1.0.0\",\"Target\":1}",
		"{\"SchemaVersion\":2}",
		"{\"version\":\"2.1.0\",\"runs\":[],\"matches\":1}",
		"[{\"Target\":\"x\"}]",
		"[]",
		"<html>502 Bad Gateway</html>",
		"",
	};
	struct ct_env e;
	size_t i;

	(void)unused;
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		assert_int_equal(scan_text(&e, "x.json", "trivy", docs[i]), 0);
		assert_int_equal(mock_host_nlogs(e.h, GK_LOG_WARN), 1);
		assert_int_equal(ct_logs_with(e.h, "'x.json': named as a trivy") +
				 ct_logs_with(e.h, "'x.json': not valid JSON"),
				 1);
		ct_env_close(&e);
		ct_env_open(&e);
		ct_scan_as(&e, "x.json", NULL, docs[i], strlen(docs[i]));
		assert_int_equal(mock_host_nfindings(e.h), 0);
		assert_int_equal(mock_host_nlogs(e.h, GK_LOG_WARN), 0);
		ct_env_close(&e);
	}
}

static void wrong_types_are_skipped(void **unused)
{
	static const char json[] =
		"{\"SchemaVersion\":2,\"ArtifactName\":\"app\",\"Results\":["
		"{\"Target\":\"a\",\"Type\":\"pip\",\"Vulnerabilities\":["
		"{\"VulnerabilityID\":7,\"PkgName\":\"x\"},"
		"{\"VulnerabilityID\":\"CVE-2\",\"PkgName\":[\"x\"]},"
		"\"oops\","
		"{\"VulnerabilityID\":\"CVE-3\",\"PkgName\":\"y\","
		"\"InstalledVersion\":{},\"Severity\":4,\"CVSS\":\"high\","
		"\"FixedVersion\":12}]},"
		"{\"Target\":\"b\",\"Vulnerabilities\":\"none\"},"
		"{\"Target\":5}]}";
	const struct mock_finding *f;
	struct ct_env e;

	(void)unused;
	assert_int_equal(scan_text(&e, "w.json", "trivy", json), 1);
	f = mock_host_finding(e.h, 0);
	assert_string_equal(f->rule, "CVE-3");
	assert_int_equal(f->severity, GK_SEV_MEDIUM);
	assert_null(f->fixed);
	assert_int_equal(mock_host_nlogs(e.h, GK_LOG_WARN), 1);
	assert_int_equal(ct_logs_with(e.h, "'w.json': 5 entries"), 1);
	ct_env_close(&e);
}

static void oversized_report_refused(void **unused)
{
	static const unsigned char tiny[] = "{}";
	struct gk_file f = { "huge.json", tiny, CT_MAX_REPORT + 1,
			     GK_ORIGIN_REPORT, "trivy" };
	struct ct_env e;

	(void)unused;
	ct_env_open(&e); /* the size is checked before any byte is read */
	assert_int_equal(e.p->scan_file(e.state, &f), 0);
	assert_int_equal(ct_logs_with(e.h, "'huge.json': report of"), 1);
	ct_env_close(&e);
}

/* A report found in the tree is read like a named one. */
static void tree_report_recognised(void **unused)
{
	struct ct_env e;
	size_t len;
	char *json = ct_read_fixture("trivy/debian-buster.image.json", &len);

	(void)unused;
	ct_env_open(&e);
	assert_true(e.p->wants(e.state, "ci/trivy.json",
			       (const unsigned char *)json, 8192));
	assert_false(e.p->wants(e.state, "notes.txt",
				(const unsigned char *)json, 8192));
	/* other JSON of the tree is wanted but dropped unparsed, silently */
	assert_int_equal(ct_scan_as(&e, "package.json", NULL, "{\"name\":1}",
				    11), 0);
	assert_int_equal(ct_scan_as(&e, "tsconfig.json", NULL,
				    "{ // comment\n}", 14), 0);
	assert_int_equal(mock_host_nlogs(e.h, GK_LOG_DEBUG), 0);
	assert_int_equal(ct_scan_as(&e, "ci/trivy.json", NULL, json, len), 0);
	assert_int_equal(mock_host_nfindings(e.h), 2);
	ct_env_close(&e);
	free(json);
}

/* ---- mappings -------------------------------------------------------- */

static void severity_mapping(void **unused)
{
	static const struct {
		const char *name;
		double cvss;
		int want;
	} cases[] = {
		{ "CRITICAL", 0, GK_SEV_CRITICAL }, { "HIGH", 0, GK_SEV_HIGH },
		{ "MEDIUM", 0, GK_SEV_MEDIUM },     { "LOW", 0, GK_SEV_LOW },
		{ "UNKNOWN", 0, GK_SEV_MEDIUM },    { "UNKNOWN", 9.8, GK_SEV_CRITICAL },
		{ "UNKNOWN", 7.0, GK_SEV_HIGH },    { "UNKNOWN", 3.1, GK_SEV_LOW },
		{ NULL, 0, GK_SEV_MEDIUM },         { "Critical", 0, GK_SEV_CRITICAL },
		{ "Negligible", 9.0, GK_SEV_INFO }, { "Unknown", 5.0, GK_SEV_MEDIUM },
		{ "moderate", 0, GK_SEV_MEDIUM },   { "LOW", 9.8, GK_SEV_LOW },
	};
	size_t i;

	(void)unused;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(ct_severity_map(cases[i].name, cases[i].cvss),
				 cases[i].want);
}

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static void version_order(void **unused)
{
	static const struct {
		const char *a, *b;
		int want;
	} cases[] = {
		{ "1.1.1c-r0", "1.1.1d-r0", -1 }, { "1.1.1d-r2", "1.1.1d-r0", 1 },
		{ "2.0.5-1", "2.0.5-1+deb10u1", -1 }, { "1:1.0", "2.0", 1 },
		{ "1.0~rc1", "1.0", -1 },           { "0.10.0", "0.9.9", 1 },
		{ "v1.2.3", "v1.2.3", 0 },          { "1.02", "1.2", 0 },
		{ "1.0", "1.0.1", -1 },             { "1.0", "1.0.0", -1 },
	};
	size_t i;

	(void)unused;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(sign(ct_version_cmp(cases[i].a, cases[i].b)),
				 cases[i].want);
		assert_int_equal(sign(ct_version_cmp(cases[i].b, cases[i].a)),
				 -cases[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(corpus_counts),
		cmocka_unit_test(alpine_image_values),
		cmocka_unit_test(legacy_values),
		cmocka_unit_test(debian_values),
		cmocka_unit_test(language_values),
		cmocka_unit_test(misconfig_and_secret_values),
		cmocka_unit_test(vulnerabilities_null_or_missing),
		cmocka_unit_test(fixed_versions_joined),
		cmocka_unit_test(unknown_schema_version_warns),
		cmocka_unit_test(two_reports_one_finding),
		cmocka_unit_test(truncated_report_warns),
		cmocka_unit_test(deep_nesting_warns),
		cmocka_unit_test(not_a_report),
		cmocka_unit_test(wrong_types_are_skipped),
		cmocka_unit_test(unmasked_secret_not_kept),
		cmocka_unit_test(config_section_is_checked),
		cmocka_unit_test(oversized_report_refused),
		cmocka_unit_test(tree_report_recognised),
		cmocka_unit_test(severity_mapping),
		cmocka_unit_test(version_order),
	};

	return cmocka_run_group_tests_name("container_trivy", tests, NULL,
					   NULL);
}
