/*
 * Dockerfile and compose checks: each rule has a true positive and a near
 * miss that stays silent; the parser's features are checked through the
 * lines and images its findings name.
 */
#include "ct_test.h"

#include "../../../plugins/container/rules.h"

static const struct df_case {
	const char *name;
	const char *text;
	const char *rule;
	size_t count;
} cases[] = {
	/* base images */
	{ "latest tag", "FROM alpine:latest\n", CT_RULE_IMAGE_LATEST, 1 },
	{ "no tag", "FROM alpine\n", CT_RULE_IMAGE_LATEST, 1 },
	{ "tag only", "FROM alpine:3.19\n", CT_RULE_IMAGE_UNPINNED, 1 },
	{ "digest pinned", "FROM alpine:3.19@sha256:0123abcd\n",
	  CT_RULE_IMAGE_UNPINNED, 0 },
	{ "digest pinned, no latest", "FROM alpine@sha256:0123abcd\n",
	  CT_RULE_IMAGE_LATEST, 0 },
	{ "scratch", "FROM scratch\n", CT_RULE_IMAGE_LATEST, 0 },
	{ "derived stage",
	  "FROM golang:1.22@sha256:aa AS build\nFROM build\n"
	  "FROM Build AS again\n",
	  CT_RULE_IMAGE_LATEST, 0 },
	{ "platform flag",
	  "FROM --platform=$BUILDPLATFORM node:20 AS web\n",
	  CT_RULE_IMAGE_UNPINNED, 1 },
	{ "ARG substituted", "ARG TAG=latest\nFROM alpine:${TAG}\n",
	  CT_RULE_IMAGE_LATEST, 1 },
	{ "ARG default", "ARG BASE\nFROM ${BASE:-debian}:12\n",
	  CT_RULE_IMAGE_UNPINNED, 1 },
	{ "ARG unresolved", "ARG BASE\nFROM ${BASE}\n",
	  CT_RULE_IMAGE_LATEST, 0 },
	{ "ARG pinned",
	  "ARG IMG=alpine:3.19@sha256:ff\nFROM $IMG\n",
	  CT_RULE_IMAGE_UNPINNED, 0 },
	/* user */
	{ "no USER", "FROM a@sha256:1\nRUN true\n", CT_RULE_ROOT_USER, 1 },
	{ "USER root last", "FROM a@sha256:1\nUSER app\nUSER root\n",
	  CT_RULE_ROOT_USER, 1 },
	{ "USER 0:0", "FROM a@sha256:1\nUSER 0:0\n", CT_RULE_ROOT_USER, 1 },
	{ "USER app last", "FROM a@sha256:1\nUSER root\nRUN x\nUSER app\n",
	  CT_RULE_ROOT_USER, 0 },
	{ "USER 10001", "FROM a@sha256:1\nUSER 10001:10001\n",
	  CT_RULE_ROOT_USER, 0 },
	{ "USER inherited from stage",
	  "FROM a@sha256:1 AS base\nUSER app\nFROM base\n",
	  CT_RULE_ROOT_USER, 0 },
	{ "USER in builder only",
	  "FROM a@sha256:1 AS b\nUSER app\nFROM c@sha256:2\n",
	  CT_RULE_ROOT_USER, 1 },
	/* ADD */
	{ "ADD url", "FROM a\nADD https://example.com/x.tgz /opt/\n",
	  CT_RULE_ADD_URL, 1 },
	{ "ADD url json form",
	  "FROM a\nADD [\"http://example.com/x\", \"/x\"]\n",
	  CT_RULE_ADD_URL, 1 },
	{ "ADD url with checksum",
	  "FROM a\nADD --checksum=sha256:ab https://example.com/x /x\n",
	  CT_RULE_ADD_URL, 0 },
	{ "ADD local", "FROM a\nADD app.tar.gz /opt/\n", CT_RULE_ADD_URL, 0 },
	{ "COPY url-like", "FROM a\nCOPY https.conf /etc/\n",
	  CT_RULE_ADD_URL, 0 },
	/* curl | sh */
	{ "curl pipe sh", "FROM a\nRUN curl -fsSL https://x.sh | sh\n",
	  CT_RULE_PIPE_SHELL, 1 },
	{ "wget pipe sudo bash",
	  "FROM a\nRUN wget -qO- https://x | sudo -E bash -s -- -y\n",
	  CT_RULE_PIPE_SHELL, 1 },
	{ "bash -c curl",
	  "FROM a\nRUN bash -c \"$(curl -fsSL https://x/install.sh)\"\n",
	  CT_RULE_PIPE_SHELL, 1 },
	{ "curl pipe tar", "FROM a\nRUN curl -fsSL https://x.tgz | tar xz\n",
	  CT_RULE_PIPE_SHELL, 0 },
	{ "curl then verify",
	  "FROM a\nRUN curl -o i.sh https://x && sha256sum -c s && sh i.sh\n",
	  CT_RULE_PIPE_SHELL, 0 },
	{ "curl pipe shasum",
	  "FROM a\nRUN curl -fsSL https://x | shasum -a 256\n",
	  CT_RULE_PIPE_SHELL, 0 },
	/* apt */
	{ "apt recommends",
	  "FROM a\nRUN apt-get update && apt-get install -y curl && "
	  "rm -rf /var/lib/apt/lists/*\n",
	  CT_RULE_APT_RECOMMENDS, 1 },
	{ "apt no recommends",
	  "FROM a\nRUN apt-get update && apt-get install -y "
	  "--no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n",
	  CT_RULE_APT_RECOMMENDS, 0 },
	{ "apt lists kept",
	  "FROM a\nRUN apt-get update && apt-get install -y "
	  "--no-install-recommends curl\n",
	  CT_RULE_APT_LISTS, 1 },
	{ "apt lists removed",
	  "FROM a\nRUN apt-get update \\\n && apt-get install -y "
	  "--no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*\n",
	  CT_RULE_APT_LISTS, 0 },
	{ "apt cache mount",
	  "FROM a\nRUN --mount=type=cache,target=/var/lib/apt "
	  "apt-get update && apt-get install -y --no-install-recommends x\n",
	  CT_RULE_APT_LISTS, 0 },
	{ "apt-get without install",
	  "FROM a\nRUN apt-get update && apt-get upgrade -y\n",
	  CT_RULE_APT_LISTS, 0 },
	/* secrets in ENV / ARG */
	{ "ENV password", "FROM a\nENV DB_PASSWORD=hunter2\n",
	  CT_RULE_SECRET_ENV, 1 },
	{ "ENV legacy token", "FROM a\nENV GITHUB_TOKEN ghp_abc\n",
	  CT_RULE_SECRET_ENV, 1 },
	{ "ARG secret default", "ARG API_KEY=abc123\nFROM a\n",
	  CT_RULE_SECRET_ENV, 1 },
	{ "ENV two pairs", "FROM a\nENV A=1 AWS_SECRET_ACCESS_KEY=\"x y\"\n",
	  CT_RULE_SECRET_ENV, 1 },
	{ "ENV from variable", "FROM a\nENV DB_PASSWORD=${DB_PASSWORD}\n",
	  CT_RULE_SECRET_ENV, 0 },
	{ "ARG without value", "FROM a\nARG NPM_TOKEN\n",
	  CT_RULE_SECRET_ENV, 0 },
	{ "ENV gpg key", "FROM a\nENV GPG_KEY 7169605F62C751356D054A26\n",
	  CT_RULE_SECRET_ENV, 0 },
	{ "ENV password file",
	  "FROM a\nENV POSTGRES_PASSWORD_FILE=/run/secrets/pw\n",
	  CT_RULE_SECRET_ENV, 0 },
	{ "ENV keyboard", "FROM a\nENV KEYBOARD=us\n", CT_RULE_SECRET_ENV, 0 },
	/* sudo */
	{ "sudo", "FROM a\nRUN sudo apt-get update\n", CT_RULE_SUDO, 1 },
	{ "sudo after &&", "FROM a\nRUN make && sudo make install\n",
	  CT_RULE_SUDO, 1 },
	{ "installing sudo",
	  "FROM a\nRUN apt-get install -y --no-install-recommends sudo\n",
	  CT_RULE_SUDO, 0 },
	/* EXPOSE */
	{ "expose 22", "FROM a\nEXPOSE 80 22/tcp\n", CT_RULE_EXPOSE_SSH, 1 },
	{ "expose range", "FROM a\nEXPOSE 20-25\n", CT_RULE_EXPOSE_SSH, 1 },
	{ "expose 2222", "FROM a\nEXPOSE 2222 8022\n", CT_RULE_EXPOSE_SSH, 0 },
	/* HEALTHCHECK */
	{ "no healthcheck", "FROM a\nUSER app\n", CT_RULE_NO_HEALTHCHECK, 1 },
	{ "healthcheck",
	  "FROM a\nHEALTHCHECK CMD wget -q --spider http://localhost/\n",
	  CT_RULE_NO_HEALTHCHECK, 0 },
	{ "healthcheck none", "FROM a\nHEALTHCHECK NONE\n",
	  CT_RULE_NO_HEALTHCHECK, 0 },
	{ "healthcheck in builder only",
	  "FROM a AS b\nHEALTHCHECK CMD true\nFROM c\n",
	  CT_RULE_NO_HEALTHCHECK, 1 },
	/* the parser */
	{ "comment in continuation",
	  "FROM a\nRUN apt-get update && \\\n# a comment\n"
	  "    curl https://x | sh\n",
	  CT_RULE_PIPE_SHELL, 1 },
	{ "commented out", "FROM a\n# RUN curl https://x | sh\n",
	  CT_RULE_PIPE_SHELL, 0 },
	{ "heredoc body",
	  "FROM a\nRUN <<EOF\nset -e\ncurl -fsSL https://x | bash\nEOF\n",
	  CT_RULE_PIPE_SHELL, 1 },
	{ "heredoc ends",
	  "FROM a\nRUN <<-\"EOT\" bash\n\techo hi\n\tEOT\nEXPOSE 22\n",
	  CT_RULE_EXPOSE_SSH, 1 },
	{ "escape directive",
	  "# escape=`\nFROM a\nRUN curl https://x `\n  | sh\n",
	  CT_RULE_PIPE_SHELL, 1 },
	{ "lowercase keywords", "from alpine:latest\nexpose 22\n",
	  CT_RULE_EXPOSE_SSH, 1 },
	{ "crlf lines", "FROM a\r\nRUN sudo x\r\n", CT_RULE_SUDO, 1 },
};

static void run_cases(void **unused)
{
	size_t i;

	(void)unused;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ct_env e;
		size_t got;

		ct_env_open(&e);
		assert_int_equal(ct_scan_as(&e, "Dockerfile", NULL,
					    cases[i].text,
					    strlen(cases[i].text)), 0);
		got = mock_host_count_rule(e.h, cases[i].rule);
		if (got != cases[i].count)
			fail_msg("case '%s': %s raised %zu times, want %zu",
				 cases[i].name, cases[i].rule, got,
				 cases[i].count);
		ct_env_close(&e);
	}
}

static const char multi[] =
	"# syntax=docker/dockerfile:1\n"          /* 1 */
	"ARG GO=1.22\n"                           /* 2 */
	"FROM golang:${GO} AS build\n"            /* 3 */
	"RUN go build \\\n"                       /* 4 */
	"    -o /app .\n"                         /* 5 */
	"FROM gcr.io/distroless/static:nonroot\n" /* 6 */
	"COPY --from=build /app /app\n"           /* 7 */
	"ENV API_TOKEN=s3cr3t\n"                  /* 8 */
	"USER root\n";                            /* 9 */

static void lines_components_and_redaction(void **unused)
{
	const struct mock_finding *f;
	struct ct_env e;

	(void)unused;
	ct_env_open(&e);
	ct_scan_as(&e, "svc/Dockerfile", NULL, multi, strlen(multi));
	f = ct_find(e.h, CT_RULE_IMAGE_UNPINNED, NULL);
	assert_non_null(f);
	assert_int_equal(f->line, 3);
	assert_int_equal(f->severity, GK_SEV_LOW);
	assert_non_null(strstr(f->message, "'golang:1.22'"));
	assert_int_equal(mock_host_count_rule(e.h, CT_RULE_IMAGE_UNPINNED), 2);
	f = ct_find(e.h, CT_RULE_SECRET_ENV, NULL);
	assert_non_null(f);
	assert_int_equal(f->line, 8);
	assert_int_equal(f->severity, GK_SEV_HIGH);
	assert_string_equal(f->snippet, "ENV API_TOKEN=****");
	assert_null(strstr(f->message, "s3cr3t"));
	assert_non_null(f->secret_hash);
	f = ct_find(e.h, CT_RULE_ROOT_USER, NULL);
	assert_non_null(f);
	assert_int_equal(f->line, 9);
	f = ct_find(e.h, CT_RULE_NO_HEALTHCHECK, NULL);
	assert_int_equal(f->line, 6);
	assert_non_null(ct_component(e.h, "pkg:docker/golang@1.22"));
	assert_non_null(ct_component(e.h, "pkg:docker/distroless/static@nonroot"
					  "?repository_url=gcr.io"));
	assert_int_equal(mock_host_ncomponents(e.h), 2);
	assert_string_equal(mock_host_component(e.h, 0)->type, "container");
	ct_env_close(&e);
}

/* A continued RUN reports its first and last line; a heredoc too. */
static void instruction_spans(void **unused)
{
	static const char text[] =
		"FROM a\n"
		"RUN echo start && \\\n"
		"    sudo true\n"
		"RUN <<EOF\n"
		"sudo ls\n"
		"EOF\n";
	static const int spans[2][2] = { { 2, 3 }, { 4, 6 } };
	const struct mock_finding *f;
	struct ct_env e;
	size_t i, n = 0;

	(void)unused;
	ct_env_open(&e);
	ct_scan_as(&e, "Dockerfile", NULL, text, strlen(text));
	assert_int_equal(mock_host_count_rule(e.h, CT_RULE_SUDO), 2);
	for (i = 0; i < mock_host_nfindings(e.h); i++) {
		f = mock_host_finding(e.h, i);
		if (strcmp(f->rule, CT_RULE_SUDO) != 0)
			continue;
		assert_int_equal(f->line, spans[n][0]);
		assert_int_equal(f->end_line, spans[n++][1]);
	}
	assert_int_equal(n, 2);
	ct_env_close(&e);
}

static void file_names(void **unused)
{
	static const struct {
		const char *path;
		int wanted;
	} names[] = {
		{ "Dockerfile", 1 },           { "app/Dockerfile", 1 },
		{ "Dockerfile.prod", 1 },      { "api.Dockerfile", 1 },
		{ "Containerfile", 1 },        { "docker-compose.yml", 1 },
		{ "compose.yaml", 1 },         { "docker-compose.prod.yaml", 1 },
		{ "Dockerfile.dockerignore", 0 }, { "README.md", 0 },
		{ "dockerfiles/notes.txt", 0 }, { "compose.toml", 0 },
	};
	struct ct_env e;
	size_t i;

	(void)unused;
	ct_env_open(&e);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (e.p->wants(e.state, names[i].path,
			       (const unsigned char *)"x", 1) !=
		    names[i].wanted)
			fail_msg("wants('%s') != %d", names[i].path,
				 names[i].wanted);
	ct_env_close(&e);
}

static const char compose[] =
	"services:\n"                                   /* 1 */
	"  web:\n"                                      /* 2 */
	"    image: nginx\n"                            /* 3 */
	"    ports: [\"80:80\"]\n"                      /* 4 */
	"  db:\n"                                       /* 5 */
	"    image: postgres:16\n"                      /* 6 */
	"    environment:\n"                            /* 7 */
	"      image: not-an-image\n"                   /* 8 */
	"  cache:\n"                                    /* 9 */
	"    image: redis:7@sha256:0123\n"              /* 10 */
	"  app:\n"                                      /* 11 */
	"    build: .\n"                                /* 12 */
	"  env:\n"                                      /* 13 */
	"    image: ${REGISTRY}/app:${TAG}\n"           /* 14 */
	"x-other:\n"                                    /* 15 */
	"  image: busybox\n";                           /* 16 */

static void compose_images(void **unused)
{
	const struct mock_finding *f;
	struct ct_env e;

	(void)unused;
	ct_env_open(&e);
	assert_int_equal(ct_scan_as(&e, "deploy/docker-compose.yml", NULL,
				    compose, strlen(compose)), 0);
	assert_int_equal(mock_host_nfindings(e.h), 2);
	f = ct_find(e.h, CT_RULE_IMAGE_LATEST, NULL);
	assert_non_null(f);
	assert_int_equal(f->line, 3);
	assert_non_null(strstr(f->message, "service 'web'"));
	f = ct_find(e.h, CT_RULE_IMAGE_UNPINNED, NULL);
	assert_non_null(f);
	assert_int_equal(f->line, 6);
	assert_int_equal(mock_host_ncomponents(e.h), 3);
	assert_non_null(ct_component(e.h, "pkg:docker/redis@sha256:0123"));
	assert_int_equal(mock_host_nlogs(e.h, GK_LOG_WARN), 0);
	ct_env_close(&e);
}

static void compose_bad_yaml(void **unused)
{
	static const char bad[] = "services:\n  web:\n    image: [unclosed\n";
	char deep[400];
	struct ct_env e;
	size_t i;

	(void)unused;
	ct_env_open(&e);
	assert_int_equal(ct_scan_as(&e, "compose.yaml", NULL, bad,
				    strlen(bad)), 0);
	assert_int_equal(ct_logs_with(e.h, "'compose.yaml': yaml error"), 1);
	ct_env_close(&e);
	for (i = 0; i < 150; i++)
		deep[i] = '[';
	deep[i] = '\0';
	ct_env_open(&e);
	assert_int_equal(ct_scan_as(&e, "compose.yaml", NULL, deep,
				    strlen(deep)), 0);
	assert_int_equal(ct_logs_with(e.h, "nested deeper than 64"), 1);
	ct_env_close(&e);
}

/* Every static rule describes itself for reports and SARIF. */
static void rules_are_described(void **unused)
{
	const struct gk_plugin *p = gk_plugin_entry();
	size_t i;

	(void)unused;
	assert_int_equal(p->abi_version, GK_PLUGIN_ABI_VERSION);
	assert_int_equal(p->nrules, 11);
	for (i = 0; i < p->nrules; i++) {
		const struct gk_rule_info *r = &p->rules[i];

		assert_non_null(r->title);
		assert_non_null(r->description);
		assert_non_null(strstr(r->help, "Why: "));
		assert_non_null(strstr(r->help, "Fix: "));
		assert_non_null(strstr(r->tags, "container"));
		assert_true(r->severity >= GK_SEV_INFO &&
			    r->severity <= GK_SEV_CRITICAL);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(run_cases),
		cmocka_unit_test(lines_components_and_redaction),
		cmocka_unit_test(instruction_spans),
		cmocka_unit_test(file_names),
		cmocka_unit_test(compose_images),
		cmocka_unit_test(compose_bad_yaml),
		cmocka_unit_test(rules_are_described),
	};

	return cmocka_run_group_tests_name("container_dockerfile", tests,
					   NULL, NULL);
}
