/*
 * Grype reports: counts from the JSON, exact values, and the fingerprint
 * a Trivy report of the same artifact shares.
 */
#include "ct_test.h"

#include <cjson/cJSON.h>

/* Findings: matches[] (jq '.matches|length' FILE).  Components: distinct
 * artifacts (jq '[.matches[].artifact|.name+.version]|unique|length'),
 * plus the image for image sources. */
static size_t count_matches(const char *json, size_t *components)
{
	cJSON *root = cJSON_Parse(json);
	const cJSON *m, *src;
	size_t n;

	assert_non_null(root);
	n = (size_t)cJSON_GetArraySize(cJSON_GetObjectItem(root, "matches"));
	*components = 0;
	cJSON_ArrayForEach(m, cJSON_GetObjectItem(root, "matches")) {
		const cJSON *a = cJSON_GetObjectItem(m, "artifact");
		const cJSON *prev;
		int dup = 0;

		for (prev = cJSON_GetObjectItem(root, "matches")->child;
		     prev != m; prev = prev->next)
			dup |= cJSON_Compare(cJSON_GetObjectItem(prev, "artifact"),
					     a, 1);
		*components += !dup;
	}
	src = cJSON_GetObjectItem(root, "source");
	if (strcmp(cJSON_GetObjectItem(src, "type")->valuestring, "image") == 0)
		(*components)++;
	cJSON_Delete(root);
	return n;
}

static const struct {
	const char *file;
	size_t findings, components;
} corpus[] = {
	{ "grype/grype-dir.json", 2, 2 },
	{ "grype/grype-image.json", 2, 3 },
	{ "grype/grype-empty.json", 0, 0 },
};

static void corpus_counts(void **unused)
{
	size_t i, len, comps;

	(void)unused;
	for (i = 0; i < sizeof(corpus) / sizeof(corpus[0]); i++) {
		char *json = ct_read_fixture(corpus[i].file, &len);
		struct ct_env e;

		assert_int_equal(count_matches(json, &comps),
				 corpus[i].findings);
		assert_int_equal(comps, corpus[i].components);
		ct_env_open(&e);
		assert_int_equal(ct_scan_as(&e, corpus[i].file, "grype", json,
					    len), 0);
		assert_int_equal(mock_host_nfindings(e.h), corpus[i].findings);
		assert_int_equal(mock_host_ncomponents(e.h),
				 corpus[i].components);
		assert_int_equal(mock_host_nlogs(e.h, GK_LOG_WARN), 0);
		ct_env_close(&e);
		ct_env_open(&e); /* found in the tree: the same */
		ct_scan_as(&e, "scans/grype.json", NULL, json, len);
		assert_int_equal(mock_host_nfindings(e.h), corpus[i].findings);
		ct_env_close(&e);
		free(json);
	}
}

static void exact_values(void **unused)
{
	const struct mock_finding *f;
	const struct mock_component *c;
	struct ct_env e;
	size_t len;
	char *json = ct_read_fixture("grype/grype-image.json", &len);

	(void)unused;
	ct_env_open(&e);
	assert_int_equal(ct_scan_as(&e, "g.json", "grype", json, len), 0);
	f = ct_find(e.h, "CVE-1999-0001", "package-1");
	assert_non_null(f);
	assert_int_equal(f->severity, GK_SEV_LOW);
	assert_string_equal(f->installed, "1.1.1");
	assert_string_equal(f->fixed, "1.2.1"); /* of 1.2.1, 2.1.3, 3.4.0 */
	assert_true(f->cvss > 8.19 && f->cvss < 8.21);
	assert_string_equal(f->ecosystem, "rpm");
	assert_non_null(strstr(f->extra_json, "\"status\":\"fixed\""));
	assert_non_null(strstr(f->extra_json, "\"tool\":\"grype\""));
	f = ct_find(e.h, "CVE-1999-0002", "package-2");
	assert_non_null(f);
	assert_int_equal(f->severity, GK_SEV_CRITICAL);
	assert_null(f->fixed);
	/* no purl in the report: built, with the epoch and distro */
	c = ct_component(e.h, "pkg:rpm/centos/package-1@1.1.1"
			      "?arch=x86_64&distro=centos-8.0&epoch=2");
	assert_non_null(c);
	assert_string_equal(c->parent, "pkg:docker/user-input@latest");
	c = ct_component(e.h, "pkg:deb/package-2@2.2.2");
	assert_non_null(c);
	assert_string_equal(c->licenses, "Apache-2.0,MIT");
	ct_env_close(&e);
	free(json);
}

static const char trivy_one[] =
	"{\"SchemaVersion\":2,\"ArtifactName\":\"registry.example/app:1.0\","
	"\"ArtifactType\":\"container_image\",\"Results\":[{\"Target\":"
	"\"registry.example/app:1.0 (debian 12.5)\",\"Class\":\"os-pkgs\","
	"\"Type\":\"debian\",\"Vulnerabilities\":[{\"VulnerabilityID\":"
	"\"CVE-2024-1\",\"PkgName\":\"zlib1g\",\"InstalledVersion\":"
	"\"1:1.2.13.dfsg-1\",\"Severity\":\"HIGH\"}]}]}";

static const char grype_one[] =
	"{\"matches\":[{\"vulnerability\":{\"id\":\"CVE-2024-1\","
	"\"severity\":\"High\",\"fix\":{\"versions\":[],\"state\":"
	"\"not-fixed\"}},\"artifact\":{\"name\":\"zlib1g\",\"version\":"
	"\"1:1.2.13.dfsg-1\",\"type\":\"deb\"}}],\"source\":{\"type\":"
	"\"image\",\"target\":{\"userInput\":\"registry.example/app:1.0\"}},"
	"\"descriptor\":{\"name\":\"grype\"}}";

/* One vulnerability in one package, seen by two tools: one fingerprint. */
static void trivy_and_grype_agree(void **unused)
{
	struct ct_env e;
	const struct mock_finding *a, *b;

	(void)unused;
	ct_env_open(&e);
	ct_scan_as(&e, "trivy.json", "trivy", trivy_one, strlen(trivy_one));
	ct_scan_as(&e, "grype.json", "grype", grype_one, strlen(grype_one));
	assert_int_equal(mock_host_nfindings(e.h), 2);
	a = mock_host_finding(e.h, 0);
	b = mock_host_finding(e.h, 1);
	assert_string_equal(a->fingerprint, b->fingerprint);
	assert_string_equal(a->fingerprint_key, b->fingerprint_key);
	assert_string_equal(a->fingerprint_key, "registry.example/app:1.0|deb|"
						"zlib1g|1:1.2.13.dfsg-1|"
						"cve-2024-1");
	ct_env_close(&e);
}

/* A Grype report named as a Trivy one is read, with a warning. */
static void kind_mismatch_warns(void **unused)
{
	struct ct_env e;

	(void)unused;
	ct_env_open(&e);
	ct_scan_as(&e, "g.json", "trivy", grype_one, strlen(grype_one));
	assert_int_equal(mock_host_nfindings(e.h), 1);
	assert_int_equal(mock_host_nlogs(e.h, GK_LOG_WARN), 1);
	assert_int_equal(ct_logs_with(e.h, "'g.json': named as a trivy"), 1);
	ct_env_close(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(corpus_counts),
		cmocka_unit_test(exact_values),
		cmocka_unit_test(trivy_and_grype_agree),
		cmocka_unit_test(kind_mismatch_warns),
	};

	return cmocka_run_group_tests_name("container_grype", tests, NULL,
					   NULL);
}
