/*
 * Helpers shared by the container plugin's tests: fixture loading and
 * running the plugin over a file as a named report or a tree file.
 * Static inline so each test binary takes only what it uses.
 */
#ifndef CT_TEST_H
#define CT_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../support/mock_host.h"

#define FIXTURES "tests/fixtures/container/"

const struct gk_plugin *gk_plugin_entry(void);

/* The whole file, NUL-terminated; *len gets its size.  Fails the test
 * when it cannot be read. */
static inline char *ct_read_fixture(const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	long n;
	char *buf;

	snprintf(path, sizeof(path), FIXTURES "%s", name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s (run from the repository root)", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* A mock host with the plugin initialised on it. */
struct ct_env {
	gk_host *h;
	void *state;
	const struct gk_plugin *p;
};

static inline void ct_env_open(struct ct_env *e)
{
	e->p = gk_plugin_entry();
	e->h = mock_host_new("/src");
	e->state = NULL;
	assert_int_equal(e->p->init(e->h, mock_host_api(), "{}", &e->state),
			 0);
}

static inline void ct_env_close(struct ct_env *e)
{
	e->p->fini(e->state);
	mock_host_free(e->h);
}

/* scan_file over data as a report named with kind (NULL: a tree file,
 * through wants() as the host would). */
static inline int ct_scan_as(struct ct_env *e, const char *path,
			     const char *kind, const void *data, size_t len)
{
	struct gk_file f = { path, data, len, GK_ORIGIN_REPORT, kind };

	if (!kind)
		return mock_scan(e->p, e->h, &e->state, "{}", path, data, len);
	return e->p->scan_file(e->state, &f);
}

/* The first finding with this rule (and this package when not NULL). */
static inline const struct mock_finding *
ct_find(gk_host *h, const char *rule, const char *package)
{
	size_t i;

	for (i = 0; i < mock_host_nfindings(h); i++) {
		const struct mock_finding *f = mock_host_finding(h, i);

		if (strcmp(f->rule, rule) == 0 &&
		    (!package || (f->package && !strcmp(f->package, package))))
			return f;
	}
	return NULL;
}

static inline const struct mock_component *ct_component(gk_host *h,
							const char *purl)
{
	size_t i;

	for (i = 0; i < mock_host_ncomponents(h); i++)
		if (mock_host_component(h, i)->purl &&
		    strcmp(mock_host_component(h, i)->purl, purl) == 0)
			return mock_host_component(h, i);
	return NULL;
}

/* Log lines, of any level, that contain needle. */
static inline size_t ct_logs_with(gk_host *h, const char *needle)
{
	size_t i, n = 0;
	const char *line;

	for (i = 0; (line = mock_host_log_line(h, i)) != NULL; i++)
		if (strstr(line, needle))
			n++;
	return n;
}

#endif
