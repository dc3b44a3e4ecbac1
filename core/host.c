#include "host.h"

#include "gitleaks.h"
#include "log.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Queued records beyond which emitting threads wait for the writer. */
#define WRITER_HIGH_WATER 20000
#define FIELD_MAX 4096

void gk_fingerprint(const char *plugin, const char *rule, const char *path,
		    const char *key, char out[33])
{
	struct gk_buf b;
	char hex[65];

	gk_buf_init(&b, 0);
	gk_buf_add(&b, plugin, strlen(plugin) + 1);
	gk_buf_add(&b, rule, strlen(rule) + 1);
	gk_buf_add(&b, path ? path : "", strlen(path ? path : "") + 1);
	gk_buf_adds(&b, key ? key : "");
	gk_sha256_hex(b.data, b.len, hex);
	gk_buf_release(&b);
	memcpy(out, hex, 32);
	out[32] = '\0';
}

/* ---- the writer ------------------------------------------------------ */

static void write_batch(struct gk_writer *w, struct gk_frec *f, size_t nf,
			struct gk_crec *c, size_t nc)
{
	size_t i;

	if (!w->failed && gk_store_put(w->db, w->scan, f, nf, c, nc))
		w->failed = 1;
	for (i = 0; i < nf; i++)
		gk_frec_release(&f[i]);
	for (i = 0; i < nc; i++)
		gk_crec_release(&c[i]);
	free(f);
	free(c);
}

static void *writer_main(void *arg)
{
	struct gk_writer *w = arg;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		struct gk_frec *f;
		struct gk_crec *c;
		size_t nf, nc;

		while (!w->nf && !w->nc && !w->done)
			pthread_cond_wait(&w->wake, &w->lock);
		if (!w->nf && !w->nc && w->done)
			break;
		f = w->f;
		nf = w->nf;
		c = w->c;
		nc = w->nc;
		w->f = NULL;
		w->c = NULL;
		w->nf = w->af = w->nc = w->ac = 0;
		w->started++;
		pthread_cond_broadcast(&w->room);
		pthread_mutex_unlock(&w->lock);
		write_batch(w, f, nf, c, nc);
		pthread_mutex_lock(&w->lock);
		w->started--;
		pthread_cond_broadcast(&w->room);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

int gk_writer_start(struct gk_writer *w, sqlite3 *db, int64_t scan)
{
	memset(w, 0, sizeof(*w));
	w->db = db;
	w->scan = scan;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	pthread_cond_init(&w->room, NULL);
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0)
		return gk_error("cannot start the writer thread");
	return 0;
}

int gk_writer_flush(struct gk_writer *w)
{
	pthread_mutex_lock(&w->lock);
	pthread_cond_signal(&w->wake);
	while (w->nf || w->nc || w->started)
		pthread_cond_wait(&w->room, &w->lock);
	pthread_mutex_unlock(&w->lock);
	return w->failed ? -1 : 0;
}

int gk_writer_stop(struct gk_writer *w)
{
	pthread_mutex_lock(&w->lock);
	w->done = 1;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	pthread_cond_destroy(&w->room);
	return w->failed ? -1 : 0;
}

static void writer_wait_room(struct gk_writer *w)
{
	while (w->nf + w->nc >= WRITER_HIGH_WATER && !w->failed)
		pthread_cond_wait(&w->room, &w->lock);
}

static void writer_add_finding(struct gk_writer *w, struct gk_frec *r)
{
	pthread_mutex_lock(&w->lock);
	writer_wait_room(w);
	if (w->nf == w->af) {
		w->af = w->af ? w->af * 2 : 256;
		w->f = gk_realloc(w->f, w->af * sizeof(*w->f));
	}
	w->f[w->nf++] = *r;
	if (w->nf + w->nc >= 512)
		pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
}

static void writer_add_component(struct gk_writer *w, struct gk_crec *r)
{
	pthread_mutex_lock(&w->lock);
	writer_wait_room(w);
	if (w->nc == w->ac) {
		w->ac = w->ac ? w->ac * 2 : 256;
		w->c = gk_realloc(w->c, w->ac * sizeof(*w->c));
	}
	w->c[w->nc++] = *r;
	if (w->nf + w->nc >= 512)
		pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
}

/* ---- per-plugin handles and rules ----------------------------------- */

static int rule_cmp(const void *a, const void *b)
{
	return strcmp(((const struct gk_rule_sev *)a)->id,
		      ((const struct gk_rule_sev *)b)->id);
}

static void rule_remember(struct gk_host *h, const char *id, int severity)
{
	h->rules = gk_realloc(h->rules, (h->nrules + 1) * sizeof(*h->rules));
	h->rules[h->nrules].id = gk_strdup(id);
	h->rules[h->nrules].severity = severity;
	h->nrules++;
}

static int rule_severity(const struct gk_host *h, const char *id)
{
	struct gk_rule_sev key = { (char *)id, 0 };
	const struct gk_rule_sev *r;

	if (!h->nrules)
		return GK_SEV_MEDIUM;
	r = bsearch(&key, h->rules, h->nrules, sizeof(*h->rules), rule_cmp);
	return r ? r->severity : GK_SEV_MEDIUM;
}

static int valid_severity(int s)
{
	return s >= GK_SEV_INFO && s <= GK_SEV_CRITICAL;
}

static int store_rule(struct gk_host *h, const struct gk_rule_info *r)
{
	if (!r || !r->id || !*r->id)
		return gk_error("%s: a rule without an id",
				h->plugin->desc->name);
	if (!valid_severity(r->severity))
		return gk_error("%s: rule '%s': severity %d out of range",
				h->plugin->desc->name, r->id, r->severity);
	rule_remember(h, r->id, r->severity);
	return gk_store_rule_put(h->run->db, h->plugin->desc->name, r);
}

void gk_host_init(struct gk_host *h, struct gk_run *run, struct gk_loaded *l)
{
	size_t i;

	memset(h, 0, sizeof(*h));
	h->run = run;
	h->plugin = l;
	l->host = h;
	for (i = 0; i < l->desc->nrules; i++)
		if (store_rule(h, &l->desc->rules[i]))
			h->rule_errors++;
}

void gk_host_rules_done(struct gk_host *h)
{
	if (h->nrules)
		qsort(h->rules, h->nrules, sizeof(*h->rules), rule_cmp);
}

void gk_host_release(struct gk_host *h)
{
	size_t i;

	for (i = 0; i < h->nrules; i++)
		free(h->rules[i].id);
	free(h->rules);
	h->rules = NULL;
	h->nrules = 0;
}

/* ---- the API table -------------------------------------------------- */

static int api_log_enabled(gk_host *h, int level)
{
	(void)h;
	return gk_log_enabled(level);
}

static void api_log(gk_host *h, int level, const char *fmt, ...)
{
	va_list ap;

	if (!gk_log_enabled(level))
		return;
	va_start(ap, fmt);
	gk_vlog(level, h && h->plugin ? h->plugin->desc->name : NULL, fmt, ap);
	va_end(ap);
}

static int api_rule_add(gk_host *h, const struct gk_rule_info *r)
{
	if (!h->in_init)
		return gk_error("%s: rule_add outside init",
				h->plugin->desc->name);
	return store_rule(h, r);
}

/* A bounded copy of a plugin's string: NULL stays NULL. */
static char *field(const char *s)
{
	size_t n;

	if (!s)
		return NULL;
	n = strnlen(s, FIELD_MAX);
	return gk_strndup(s, n);
}

static int map_line(const struct gk_hfile *hf, int line)
{
	if (!hf || !hf->line_map || !hf->nlines || line < 1)
		return line;
	if ((size_t)line > hf->nlines)
		return hf->line_map[hf->nlines - 1];
	return hf->line_map[line - 1];
}

static void frec_fill_location(struct gk_frec *r, const struct gk_hfile *hf,
			       const struct gk_finding *f)
{
	r->line = map_line(hf, f->line);
	r->end_line = map_line(hf, f->end_line ? f->end_line : f->line);
	r->column = f->column;
	r->end_column = f->end_column;
	if (hf) {
		r->commit_id = field(hf->commit_id);
		r->author = field(hf->author);
		r->email = field(hf->email);
		r->date = field(hf->date);
	}
}

/*
 * Findings the user has said to ignore, and the digests in gatekeeper's
 * own reports, which look like secrets to a scanner but are none.
 */
static int ignored(const gk_host *h, const struct gk_hfile *hf,
		   const struct gk_finding *f, const char *fp)
{
	const char *path = f->path ? f->path : hf ? hf->file.path : "";

	if (f->secret_hash && gk_gitleaks_own_report(hf ? &hf->file : NULL,
						     f->fingerprint_key))
		return 1;
	return h->run->ignore &&
	       gk_ignore_has(h->run->ignore, fp, hf ? hf->commit_id : NULL,
			     path, f->rule, map_line(hf, f->line));
}

static int api_finding_emit(gk_host *h, const struct gk_file *file,
			    const struct gk_finding *f)
{
	const struct gk_hfile *hf = (const struct gk_hfile *)file;
	struct gk_frec r;
	char fp[33];

	if (!f || !f->rule || !*f->rule)
		return gk_error("%s: a finding without a rule",
				h->plugin->desc->name);
	if (!f->fingerprint)
		gk_fingerprint(h->plugin->desc->name, f->rule,
			       f->path ? f->path : file ? file->path : "",
			       f->fingerprint_key, fp);
	if (ignored(h, hf, f, f->fingerprint ? f->fingerprint : fp))
		return 0;
	memset(&r, 0, sizeof(r));
	r.plugin = gk_strdup(h->plugin->desc->name);
	r.rule = field(f->rule);
	r.severity = valid_severity(f->severity) ? f->severity
						 : rule_severity(h, f->rule);
	r.title = field(f->title);
	r.message = field(f->message);
	r.path = field(f->path ? f->path : file ? file->path : "");
	frec_fill_location(&r, hf, f);
	r.snippet = field(f->snippet);
	r.secret_hash = field(f->secret_hash);
	r.package = field(f->package);
	r.ecosystem = field(f->ecosystem);
	r.installed = field(f->installed);
	r.fixed = field(f->fixed);
	r.advisory = field(f->advisory);
	r.cvss = f->cvss;
	r.extra = f->extra_json ? gk_strdup(f->extra_json) : NULL;
	r.fingerprint = field(f->fingerprint ? f->fingerprint : fp);
	writer_add_finding(&h->run->writer, &r);
	return 0;
}

static int api_component_emit(gk_host *h, const struct gk_file *file,
			      const struct gk_component *c)
{
	struct gk_crec r;

	if (!c || !c->name || !*c->name)
		return gk_error("%s: a component without a name",
				h->plugin->desc->name);
	memset(&r, 0, sizeof(r));
	r.plugin = gk_strdup(h->plugin->desc->name);
	r.name = field(c->name);
	r.version = field(c->version);
	r.ecosystem = field(c->ecosystem);
	r.purl = field(c->purl);
	r.type = field(c->type);
	r.licenses = field(c->licenses);
	r.path = field(c->path ? c->path : file ? file->path : NULL);
	r.hashes = field(c->hashes);
	r.parent = field(c->parent);
	writer_add_component(&h->run->writer, &r);
	return 0;
}

static int api_query(gk_host *h, const char *sql, gk_row_fn row, void *arg)
{
	sqlite3_stmt *st;
	int rc, n, i;

	if (!h->run->ro)
		return gk_error("%s: query() is only available in finish()",
				h->plugin->desc->name);
	if (sqlite3_prepare_v2(h->run->ro, sql, -1, &st, NULL))
		return gk_error("%s: query: %s", h->plugin->desc->name,
				sqlite3_errmsg(h->run->ro));
	if (sqlite3_bind_parameter_count(st) >= 1)
		sqlite3_bind_int64(st, 1, h->run->scan);
	n = sqlite3_column_count(st);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *vals[64], *names[64];

		for (i = 0; i < n && i < 64; i++) {
			vals[i] = (const char *)sqlite3_column_text(st, i);
			names[i] = sqlite3_column_name(st, i);
		}
		if (row && row(arg, i, vals, names))
			break;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return gk_error("%s: query: %s", h->plugin->desc->name,
				sqlite3_errmsg(h->run->ro));
	return 0;
}

static const char *api_scan_root(gk_host *h)
{
	return h->run->root;
}

static int64_t api_scan_id(gk_host *h)
{
	return h->run->scan;
}

static const struct gk_host_api host_api = {
	.abi_version = GK_PLUGIN_ABI_VERSION,
	.struct_size = sizeof(struct gk_host_api),
	.log_enabled = api_log_enabled,
	.log = api_log,
	.rule_add = api_rule_add,
	.finding_emit = api_finding_emit,
	.component_emit = api_component_emit,
	.sha256_hex = gk_sha256_hex,
	.query = api_query,
	.scan_root = api_scan_root,
	.scan_id = api_scan_id,
};

const struct gk_host_api *gk_host_api(void)
{
	return &host_api;
}
