/*
 * Package URLs: the specification's own build cases, then the purls the
 * plugin derives from report packages and image references.
 */
#include "ct_test.h"

#include <cjson/cJSON.h>

#include "../../../plugins/container/image.h"
#include "../../../plugins/container/purl.h"

static const char *str_or_null(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* One "build" case: parts in, canonical string or failure out. */
static void run_build_case(const cJSON *t)
{
	const cJSON *in = cJSON_GetObjectItem(t, "input"), *q;
	const cJSON *want = cJSON_GetObjectItem(t, "expected_output");
	struct ct_purl p;
	struct ct_buf out;
	int rc;

	memset(&p, 0, sizeof(p));
	p.type = str_or_null(in, "type");
	p.ns = str_or_null(in, "namespace");
	p.name = str_or_null(in, "name");
	p.version = str_or_null(in, "version");
	p.subpath = str_or_null(in, "subpath");
	cJSON_ArrayForEach(q, cJSON_GetObjectItem(in, "qualifiers")) {
		assert_true(p.nq < CT_PURL_MAXQ);
		p.q[p.nq].key = q->string;
		p.q[p.nq++].value = q->valuestring;
	}
	ct_buf_init(&out, 4096);
	rc = ct_purl_build(&p, &out);
	if (cJSON_IsTrue(cJSON_GetObjectItem(t, "expected_failure"))) {
		assert_int_equal(rc, -1);
	} else {
		assert_int_equal(rc, 0);
		assert_string_equal(ct_buf_str(&out), want->valuestring);
	}
	ct_buf_release(&out);
}

static void specification_build_cases(void **unused)
{
	static const char *const files[] = {
		"purl/apk-test.json",  "purl/deb-test.json",
		"purl/docker-test.json", "purl/npm-test.json",
		"purl/pypi-test.json", "purl/specification-test.json",
	};
	size_t i, ran = 0;

	(void)unused;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		size_t len;
		char *json = ct_read_fixture(files[i], &len);
		cJSON *root = cJSON_Parse(json);
		const cJSON *t;

		assert_non_null(root);
		cJSON_ArrayForEach(t, cJSON_GetObjectItem(root, "tests")) {
			const char *type = str_or_null(t, "test_type");

			if (type && strcmp(type, "build") == 0) {
				run_build_case(t);
				ran++;
			}
		}
		cJSON_Delete(root);
		free(json);
	}
	/* the sum over the six files of
	 * jq '[.tests[]|select(.test_type=="build")]|length' FILE */
	assert_int_equal(ran, 28);
}

static void package_purls(void **unused)
{
	static const struct ct_os alpine = { "alpine", "3.19.1" };
	static const struct ct_os ubuntu = { "ubuntu", "22.04" };
	static const struct {
		const char *eco, *name, *version, *arch, *epoch;
		const struct ct_os *os;
		const char *want;
	} cases[] = {
		{ "alpine", "musl", "1.2.4-r2", "x86_64", NULL, &alpine,
		  "pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=3.19.1" },
		{ "ubuntu", "libc6", "2.35-0ubuntu3.6", NULL, NULL, &ubuntu,
		  "pkg:deb/ubuntu/libc6@2.35-0ubuntu3.6?distro=ubuntu-22.04" },
		{ "pip", "Django_Rest", "3.1", NULL, NULL, NULL,
		  "pkg:pypi/django-rest@3.1" },
		{ "yarn", "@Babel/Core", "7.24.0", NULL, NULL, NULL,
		  "pkg:npm/%40babel/core@7.24.0" },
		{ "gomod", "github.com/Azure/go-autorest", "v14.2.0", NULL,
		  NULL, NULL,
		  "pkg:golang/github.com/Azure/go-autorest@v14.2.0" },
		{ "jar", "org.apache.logging.log4j:log4j-core", "2.14.1", NULL,
		  NULL, NULL,
		  "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1" },
		{ "cargo", "openssl", "0.10.55", NULL, NULL, NULL,
		  "pkg:cargo/openssl@0.10.55" },
		{ "composer", "Symfony/Http-Kernel", "5.4.0", NULL, NULL, NULL,
		  "pkg:composer/symfony/http-kernel@5.4.0" },
		{ "bundler", "rails", "7.0.0", NULL, NULL, NULL,
		  "pkg:gem/rails@7.0.0" },
		{ "nuget", "Newtonsoft.Json", "12.0.1", NULL, NULL, NULL,
		  "pkg:nuget/Newtonsoft.Json@12.0.1" },
		{ "whatever", "thing", "1+2", NULL, NULL, NULL,
		  "pkg:generic/thing@1%2B2" },
	};
	struct ct_buf out;
	size_t i;

	(void)unused;
	ct_buf_init(&out, 4096);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ct_buf_reset(&out);
		assert_int_equal(ct_purl_for_package(
					 ct_purl_type_for(cases[i].eco),
					 cases[i].name, cases[i].version,
					 cases[i].os, cases[i].arch,
					 cases[i].epoch, &out), 0);
		assert_string_equal(ct_buf_str(&out), cases[i].want);
	}
	ct_buf_release(&out);
}

static void image_purls(void **unused)
{
	static const struct {
		const char *ref, *want;
	} cases[] = {
		{ "alpine", "pkg:docker/alpine@latest" },
		{ "alpine:3.19", "pkg:docker/alpine@3.19" },
		{ "docker.io/library/nginx:1.25", "pkg:docker/nginx@1.25" },
		{ "bitnami/redis:7.2", "pkg:docker/bitnami/redis@7.2" },
		{ "ghcr.io/org/app:1.0@sha256:abcd",
		  "pkg:docker/org/app@sha256:abcd?repository_url=ghcr.io" },
		{ "localhost:5000/app",
		  "pkg:docker/app@latest?repository_url=localhost:5000" },
		{ "registry.example.com:5000/team/svc:2",
		  "pkg:docker/team/svc@2?repository_url=registry.example.com:5000" },
	};
	struct ct_image img;
	struct ct_buf out;
	size_t i;

	(void)unused;
	ct_buf_init(&out, 4096);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ct_buf_reset(&out);
		assert_int_equal(ct_image_parse(cases[i].ref, &img), 0);
		assert_int_equal(ct_image_purl(&img, &out), 0);
		assert_string_equal(ct_buf_str(&out), cases[i].want);
	}
	assert_int_equal(ct_image_parse("${BASE}:1", &img), -1);
	assert_int_equal(ct_image_parse("", &img), -1);
	ct_buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(specification_build_cases),
		cmocka_unit_test(package_purls),
		cmocka_unit_test(image_purls),
	};

	return cmocka_run_group_tests_name("container_purl", tests, NULL,
					   NULL);
}
