#include "mock_host.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mock_log {
	int level;
	char *text;
};

struct gk_host {
	pthread_mutex_t lock;
	char *root;
	struct mock_finding *findings;
	size_t nfindings, cap_findings;
	struct mock_component *components;
	size_t ncomponents, cap_components;
	struct gk_rule_info *rules;
	size_t nrules, cap_rules;
	struct mock_log *logs;
	size_t nlogs, cap_logs;
};

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void *grow(void *p, size_t *cap, size_t n, size_t elem)
{
	if (n < *cap)
		return p;
	*cap = *cap ? *cap * 2 : 16;
	p = realloc(p, *cap * elem);
	if (!p)
		abort();
	return p;
}

static int m_log_enabled(gk_host *h, int level)
{
	(void)h;
	(void)level;
	return 1;
}

static void m_log(gk_host *h, int level, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&h->lock);
	h->logs = grow(h->logs, &h->cap_logs, h->nlogs, sizeof(*h->logs));
	h->logs[h->nlogs].level = level;
	h->logs[h->nlogs].text = strdup(buf);
	h->nlogs++;
	pthread_mutex_unlock(&h->lock);
}

static int m_rule_add(gk_host *h, const struct gk_rule_info *r)
{
	struct gk_rule_info *c;

	if (!r || !r->id || !*r->id)
		return -1;
	pthread_mutex_lock(&h->lock);
	h->rules = grow(h->rules, &h->cap_rules, h->nrules, sizeof(*h->rules));
	c = &h->rules[h->nrules++];
	c->id = dup_or_null(r->id);
	c->title = dup_or_null(r->title);
	c->description = dup_or_null(r->description);
	c->help = dup_or_null(r->help);
	c->help_uri = dup_or_null(r->help_uri);
	c->tags = dup_or_null(r->tags);
	c->precision = dup_or_null(r->precision);
	c->severity = r->severity;
	pthread_mutex_unlock(&h->lock);
	return 0;
}

static int m_finding_emit(gk_host *h, const struct gk_file *file,
			  const struct gk_finding *f)
{
	struct mock_finding *m;

	if (!f || !f->rule)
		return -1;
	pthread_mutex_lock(&h->lock);
	h->findings = grow(h->findings, &h->cap_findings, h->nfindings,
			   sizeof(*h->findings));
	m = &h->findings[h->nfindings++];
	memset(m, 0, sizeof(*m));
	m->rule = strdup(f->rule);
	m->title = dup_or_null(f->title);
	m->message = dup_or_null(f->message);
	m->path = dup_or_null(f->path ? f->path : file ? file->path : NULL);
	m->snippet = dup_or_null(f->snippet);
	m->secret_hash = dup_or_null(f->secret_hash);
	m->fingerprint_key = dup_or_null(f->fingerprint_key);
	m->fingerprint = dup_or_null(f->fingerprint);
	m->package = dup_or_null(f->package);
	m->ecosystem = dup_or_null(f->ecosystem);
	m->installed = dup_or_null(f->installed);
	m->fixed = dup_or_null(f->fixed);
	m->advisory = dup_or_null(f->advisory);
	m->extra_json = dup_or_null(f->extra_json);
	m->severity = f->severity;
	m->line = f->line;
	m->column = f->column;
	m->end_line = f->end_line;
	m->end_column = f->end_column;
	m->cvss = f->cvss;
	pthread_mutex_unlock(&h->lock);
	return 0;
}

static int m_component_emit(gk_host *h, const struct gk_file *file,
			    const struct gk_component *c)
{
	struct mock_component *m;

	if (!c || !c->name)
		return -1;
	pthread_mutex_lock(&h->lock);
	h->components = grow(h->components, &h->cap_components,
			     h->ncomponents, sizeof(*h->components));
	m = &h->components[h->ncomponents++];
	m->name = strdup(c->name);
	m->version = dup_or_null(c->version);
	m->ecosystem = dup_or_null(c->ecosystem);
	m->purl = dup_or_null(c->purl);
	m->type = dup_or_null(c->type);
	m->licenses = dup_or_null(c->licenses);
	m->path = dup_or_null(c->path ? c->path : file ? file->path : NULL);
	m->hashes = dup_or_null(c->hashes);
	m->parent = dup_or_null(c->parent);
	pthread_mutex_unlock(&h->lock);
	return 0;
}

static void m_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	size_t i;

	EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
	for (i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static int m_query(gk_host *h, const char *sql, gk_row_fn row, void *arg)
{
	(void)sql;
	(void)row;
	(void)arg;
	m_log(h, GK_LOG_ERROR, "mock host: query() is not supported");
	return -1;
}

static const char *m_scan_root(gk_host *h)
{
	return h->root;
}

static int64_t m_scan_id(gk_host *h)
{
	(void)h;
	return 1;
}

static const struct gk_host_api mock_api = {
	.abi_version = GK_PLUGIN_ABI_VERSION,
	.struct_size = sizeof(struct gk_host_api),
	.log_enabled = m_log_enabled,
	.log = m_log,
	.rule_add = m_rule_add,
	.finding_emit = m_finding_emit,
	.component_emit = m_component_emit,
	.sha256_hex = m_sha256_hex,
	.query = m_query,
	.scan_root = m_scan_root,
	.scan_id = m_scan_id,
};

const struct gk_host_api *mock_host_api(void)
{
	return &mock_api;
}

gk_host *mock_host_new(const char *root)
{
	gk_host *h = calloc(1, sizeof(*h));

	if (!h)
		abort();
	pthread_mutex_init(&h->lock, NULL);
	h->root = strdup(root ? root : "/");
	return h;
}

static void finding_release(struct mock_finding *m)
{
	char **fields[] = { &m->rule, &m->title, &m->message, &m->path,
			    &m->snippet, &m->secret_hash, &m->fingerprint_key,
			    &m->fingerprint, &m->package, &m->ecosystem,
			    &m->installed, &m->fixed, &m->advisory,
			    &m->extra_json };
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		free(*fields[i]);
}

static void component_release(struct mock_component *m)
{
	char **fields[] = { &m->name, &m->version, &m->ecosystem, &m->purl,
			    &m->type, &m->licenses, &m->path, &m->hashes,
			    &m->parent };
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		free(*fields[i]);
}

void mock_host_reset(gk_host *h)
{
	size_t i;

	for (i = 0; i < h->nfindings; i++)
		finding_release(&h->findings[i]);
	for (i = 0; i < h->ncomponents; i++)
		component_release(&h->components[i]);
	for (i = 0; i < h->nlogs; i++)
		free(h->logs[i].text);
	h->nfindings = h->ncomponents = h->nlogs = 0;
}

void mock_host_free(gk_host *h)
{
	size_t i;

	if (!h)
		return;
	mock_host_reset(h);
	for (i = 0; i < h->nrules; i++) {
		struct gk_rule_info *r = &h->rules[i];

		free((char *)r->id);
		free((char *)r->title);
		free((char *)r->description);
		free((char *)r->help);
		free((char *)r->help_uri);
		free((char *)r->tags);
		free((char *)r->precision);
	}
	free(h->rules);
	free(h->findings);
	free(h->components);
	free(h->logs);
	free(h->root);
	pthread_mutex_destroy(&h->lock);
	free(h);
}

size_t mock_host_nfindings(gk_host *h)
{
	return h->nfindings;
}

const struct mock_finding *mock_host_finding(gk_host *h, size_t i)
{
	return i < h->nfindings ? &h->findings[i] : NULL;
}

size_t mock_host_ncomponents(gk_host *h)
{
	return h->ncomponents;
}

const struct mock_component *mock_host_component(gk_host *h, size_t i)
{
	return i < h->ncomponents ? &h->components[i] : NULL;
}

size_t mock_host_nrules(gk_host *h)
{
	return h->nrules;
}

const struct gk_rule_info *mock_host_rule(gk_host *h, size_t i)
{
	return i < h->nrules ? &h->rules[i] : NULL;
}

size_t mock_host_nlogs(gk_host *h, int level)
{
	size_t i, n = 0;

	for (i = 0; i < h->nlogs; i++)
		if (h->logs[i].level <= level)
			n++;
	return n;
}

const char *mock_host_log_line(gk_host *h, size_t i)
{
	return i < h->nlogs ? h->logs[i].text : NULL;
}

size_t mock_host_count_rule(gk_host *h, const char *rule)
{
	size_t i, n = 0;

	for (i = 0; i < h->nfindings; i++)
		if (strcmp(h->findings[i].rule, rule) == 0)
			n++;
	return n;
}

int mock_scan(const struct gk_plugin *p, gk_host *h, void **state,
	      const char *config_json, const char *path, const void *data,
	      size_t len)
{
	struct gk_file file = { path, data, len, GK_ORIGIN_WORKTREE, NULL };
	size_t head = len < 8192 ? len : 8192;

	if (!*state && p->init &&
	    p->init(h, &mock_api, config_json ? config_json : "{}", state))
		return -100;
	if (p->wants && !p->wants(*state, path, data, head))
		return 1;
	return p->scan_file(*state, &file);
}
