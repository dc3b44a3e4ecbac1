/*
 * SARIF 2.1.0, shaped for GitHub code scanning: one run per plugin (the
 * run's automationDetails.id carries the category), every rule that fired
 * described once in tool.driver.rules, results located relative to
 * %SRCROOT%, and the upload limits kept by dropping the least severe
 * results with a warning.
 */
#include "report.h"

#include "baseline.h"
#include "log.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#ifndef GK_HOMEPAGE
#define GK_HOMEPAGE "https://github.com/gatekeeper-scanner/gatekeeper"
#endif

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define MAX_RUNS 20
#define MAX_RESULTS 25000
#define MAX_BYTES ((size_t)10 << 20)
#define DEFAULT_CATEGORY "gatekeeper/{plugin}"

/* One run: the findings of one plugin, in report order. */
struct run {
	const char *plugin;
	size_t *idx, n;
	const char **rules; /* distinct rule ids, sorted */
	size_t nrules;
};

struct sarif {
	const struct gk_report *r;
	const struct gk_report_opts *o;
	struct run runs[MAX_RUNS];
	size_t nruns;
	size_t budget; /* only findings[0..budget) are written */
	size_t max_results;
	size_t no_run, over_cap; /* left out: past MAX_RUNS, past the cap */
};

/* ---- small helpers -------------------------------------------------- */

static const char *nonempty(const char *s, const char *fallback)
{
	return s && *s ? s : fallback;
}

static double severity_score(int sev)
{
	static const double score[] = { 0.0, 3.0, 5.5, 8.0, 9.5 };

	return sev >= 0 && sev <= 4 ? score[sev] : 5.5;
}

/* Percent-encodes everything but unreserved characters and '/'. */
static void uri_encode(struct gk_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~/", c))
			gk_buf_add(b, s, 1);
		else
			gk_buf_addf(b, "%%%c%c", hex[c >> 4], hex[c & 15]);
	}
}

/* "github-pat" -> "GithubPat": the rule's name as SARIF likes it. */
static char *pascal_name(const char *id)
{
	char *out = gk_malloc(strlen(id) + 2), *o = out;
	int up = 1;

	for (; *id; id++) {
		if (!((*id >= 'a' && *id <= 'z') || (*id >= 'A' && *id <= 'Z') ||
		      (*id >= '0' && *id <= '9'))) {
			up = 1;
			continue;
		}
		*o++ = up && *id >= 'a' && *id <= 'z' ? (char)(*id - 32) : *id;
		up = 0;
	}
	*o = '\0';
	if (o == out)
		strcpy(out, "Rule");
	return out;
}

/* ---- planning the runs ------------------------------------------------ */

static struct run *run_for(struct sarif *s, const char *plugin)
{
	size_t i;

	for (i = 0; i < s->nruns; i++)
		if (!strcmp(s->runs[i].plugin, plugin))
			return &s->runs[i];
	return NULL;
}

static int cmp_run(const void *a, const void *b)
{
	return strcmp(((const struct run *)a)->plugin,
		      ((const struct run *)b)->plugin);
}

static void add_run(struct sarif *s, const char *plugin)
{
	if (s->nruns < MAX_RUNS && !run_for(s, plugin))
		s->runs[s->nruns++].plugin = plugin;
}

/*
 * Creates a run for each plugin the database knows, so a category whose
 * findings are all fixed still uploads (and so closes its alerts), then
 * for each plugin that reported; at most MAX_RUNS, in name order.
 */
static void plan_runs(struct sarif *s)
{
	size_t i;

	for (i = 0; i < s->r->plugins.n; i++)
		add_run(s, s->r->plugins.v[i]);
	for (i = 0; i < s->budget; i++)
		add_run(s, nonempty(s->r->findings[i].plugin, "gatekeeper"));
	if (s->nruns == 0)
		add_run(s, "gatekeeper");
	qsort(s->runs, s->nruns, sizeof(*s->runs), cmp_run);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void collect_rules(struct sarif *s, struct run *run)
{
	size_t i, k = 0;

	run->rules = gk_calloc(run->n, sizeof(*run->rules));
	for (i = 0; i < run->n; i++)
		run->rules[i] = nonempty(s->r->findings[run->idx[i]].rule, "?");
	qsort(run->rules, run->n, sizeof(*run->rules), cmp_str);
	for (i = 0; i < run->n; i++)
		if (k == 0 || strcmp(run->rules[k - 1], run->rules[i]))
			run->rules[k++] = run->rules[i];
	run->nrules = k;
}

/*
 * Fills each run with its findings, most severe first, up to the cap;
 * counts what is left out.
 */
static void fill_runs(struct sarif *s)
{
	size_t i;

	s->no_run = s->over_cap = 0;
	for (i = 0; i < s->nruns; i++)
		s->runs[i].idx = gk_calloc(s->budget, sizeof(size_t));
	for (i = 0; i < s->budget; i++) {
		struct run *run = run_for(
			s, nonempty(s->r->findings[i].plugin, "gatekeeper"));

		if (!run)
			s->no_run++;
		else if (run->n == s->max_results)
			s->over_cap++;
		else
			run->idx[run->n++] = i;
	}
	for (i = 0; i < s->nruns; i++)
		collect_rules(s, &s->runs[i]);
}

static void runs_release(struct sarif *s)
{
	size_t i;

	for (i = 0; i < s->nruns; i++) {
		free(s->runs[i].idx);
		free(s->runs[i].rules);
	}
	memset(s->runs, 0, sizeof(s->runs));
	s->nruns = 0;
}

static size_t rule_index(const struct run *run, const char *id)
{
	const char **hit = bsearch(&id, run->rules, run->nrules,
				   sizeof(*run->rules), cmp_str);

	return hit ? (size_t)(hit - run->rules) : 0;
}

/* ---- rules ------------------------------------------------------------- */

/* What a rule's results in one run say about it. */
struct rule_facts {
	const struct gk_frec *first;
	int severity;
	double cvss;
};

static void rule_facts(const struct sarif *s, const struct run *run,
		       const char *id, struct rule_facts *rf)
{
	size_t i;

	memset(rf, 0, sizeof(*rf));
	rf->severity = -1;
	for (i = 0; i < run->n; i++) {
		const struct gk_frec *f = &s->r->findings[run->idx[i]];

		if (strcmp(nonempty(f->rule, "?"), id) != 0)
			continue;
		if (!rf->first)
			rf->first = f;
		if (f->severity > rf->severity)
			rf->severity = f->severity;
		if (f->cvss > rf->cvss)
			rf->cvss = f->cvss;
	}
}

static int web_uri(const char *s)
{
	return s && (!strncmp(s, "https://", 8) || !strncmp(s, "http://", 7));
}

/* An advisory's page when its id says where one is. */
static char *advisory_uri(const struct gk_frec *f)
{
	char *u = gk_extra_string(f->extra, "primary_url");

	if (web_uri(u))
		return u;
	free(u);
	if (f->advisory && !strncmp(f->advisory, "CVE-", 4))
		return gk_asprintf("https://nvd.nist.gov/vuln/detail/%s",
				   f->advisory);
	if (f->advisory && !strncmp(f->advisory, "GHSA-", 5))
		return gk_asprintf("https://github.com/advisories/%s",
				   f->advisory);
	return NULL;
}

static void add_tags(cJSON *props, const char *tags, const char *plugin)
{
	cJSON *arr = cJSON_AddArrayToObject(props, "tags");
	struct gk_strvec seen = { 0 };
	const char *p = tags ? tags : "";
	size_t i;

	gk_strvec_push(&seen, "security");
	gk_strvec_push(&seen, plugin);
	while (*p) {
		size_t n = strcspn(p, ",");
		char *t = gk_strndup(p, n);

		if (*t && !gk_strvec_has(&seen, t))
			gk_strvec_push(&seen, t);
		free(t);
		p += n + (p[n] == ',');
	}
	for (i = 0; i < seen.n; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(seen.v[i]));
	gk_strvec_release(&seen);
}

/* Help for a rule the rules table does not describe (an advisory). */
static char *synth_help(const struct gk_frec *f, const char *text)
{
	if (!f->package)
		return gk_strdup(text);
	if (f->fixed && *f->fixed)
		return gk_asprintf("%s\n\nUpgrade %s from %s to %s.", text,
				   f->package, nonempty(f->installed, "?"),
				   f->fixed);
	return gk_asprintf("%s\n\nNo fixed version of %s is known.", text,
			   f->package);
}

static void add_text(cJSON *o, const char *key, const char *text)
{
	cJSON_AddStringToObject(cJSON_AddObjectToObject(o, key), "text", text);
}

static void add_help(cJSON *rule, const char *title, const char *help)
{
	cJSON *h = cJSON_AddObjectToObject(rule, "help");
	char *md = gk_asprintf("**%s**\n\n%s", title, help);

	cJSON_AddStringToObject(h, "text", help);
	cJSON_AddStringToObject(h, "markdown", md);
	free(md);
}

static void add_rule_props(cJSON *rule, const struct rule_facts *rf,
			   const struct gk_rule_row *row, const char *plugin)
{
	cJSON *props = cJSON_AddObjectToObject(rule, "properties");
	double score = rf->cvss > 0 ? rf->cvss : severity_score(rf->severity);
	char buf[16];

	add_tags(props, row ? row->tags : NULL, plugin);
	snprintf(buf, sizeof(buf), "%.1f", score);
	cJSON_AddStringToObject(props, "security-severity", buf);
	cJSON_AddStringToObject(props, "precision",
				nonempty(row ? row->precision : NULL,
					 rf->first->advisory ? "high"
							     : "medium"));
}

static cJSON *rule_json(const struct sarif *s, const struct run *run,
			const char *id)
{
	const struct gk_rule_row *row = gk_report_rule(s->r, run->plugin, id);
	cJSON *rule = cJSON_CreateObject();
	struct rule_facts rf;
	const char *title, *desc;
	char *name = pascal_name(id), *help, *uri;

	rule_facts(s, run, id, &rf);
	title = nonempty(row ? row->title : rf.first->title, id);
	desc = nonempty(row ? row->description : rf.first->message, title);
	help = row && row->help && *row->help ? gk_strdup(row->help)
					      : synth_help(rf.first, desc);
	uri = row && web_uri(row->help_uri) ? gk_strdup(row->help_uri)
					    : advisory_uri(rf.first);
	cJSON_AddStringToObject(rule, "id", id);
	cJSON_AddStringToObject(rule, "name", name);
	add_text(rule, "shortDescription", title);
	add_text(rule, "fullDescription", desc);
	add_help(rule, title, help);
	if (uri)
		cJSON_AddStringToObject(rule, "helpUri", uri);
	cJSON_AddStringToObject(cJSON_AddObjectToObject(rule,
							"defaultConfiguration"),
				"level", gk_severity_level(rf.severity));
	add_rule_props(rule, &rf, row, run->plugin);
	free(name);
	free(help);
	free(uri);
	return rule;
}

/* ---- results ----------------------------------------------------------- */

static cJSON *region_json(const struct gk_frec *f)
{
	cJSON *g = cJSON_CreateObject();
	int line = f->line > 0 ? f->line : 1;
	int col = f->column > 0 ? f->column : 1;
	int end = f->end_line >= line ? f->end_line : line;

	cJSON_AddNumberToObject(g, "startLine", line);
	cJSON_AddNumberToObject(g, "startColumn", col);
	cJSON_AddNumberToObject(g, "endLine", end);
	/* Ours is inclusive; SARIF's endColumn is the column after it. */
	if (f->end_column > 0 && (end > line || f->end_column + 1 > col))
		cJSON_AddNumberToObject(g, "endColumn", f->end_column + 1);
	return g;
}

static cJSON *location_json(const struct gk_report *r,
			    const struct gk_frec *f)
{
	cJSON *locs = cJSON_CreateArray();
	cJSON *loc = cJSON_CreateObject();
	cJSON *phys = cJSON_AddObjectToObject(loc, "physicalLocation");
	cJSON *art = cJSON_AddObjectToObject(phys, "artifactLocation");
	char *path = gk_report_location(r, f);
	struct gk_buf uri;

	gk_buf_init(&uri, 0);
	uri_encode(&uri, path);
	cJSON_AddStringToObject(art, "uri", uri.data);
	cJSON_AddStringToObject(art, "uriBaseId", "%SRCROOT%");
	cJSON_AddItemToObject(phys, "region", region_json(f));
	cJSON_AddItemToArray(locs, loc);
	gk_buf_release(&uri);
	free(path);
	return locs;
}

static void add_fingerprints(cJSON *res, const struct gk_frec *f,
			     size_t occurrence)
{
	cJSON *fp = cJSON_AddObjectToObject(res, "partialFingerprints");
	const char *ours = nonempty(f->fingerprint, "0");
	char hash[65], line_hash[48];

	gk_sha256_hex(ours, strlen(ours), hash);
	snprintf(line_hash, sizeof(line_hash), "%.16s:%zu", hash, occurrence);
	cJSON_AddStringToObject(fp, "primaryLocationLineHash", line_hash);
	cJSON_AddStringToObject(fp, GK_SARIF_FINGERPRINT_KEY, ours);
}

static void add_result_props(cJSON *res, const struct gk_frec *f)
{
	cJSON *p = cJSON_AddObjectToObject(res, "properties");

	cJSON_AddStringToObject(p, "severity", gk_severity_name(f->severity));
	if (f->package) {
		cJSON_AddStringToObject(p, "package", f->package);
		if (f->installed)
			cJSON_AddStringToObject(p, "installed", f->installed);
		if (f->fixed && *f->fixed)
			cJSON_AddStringToObject(p, "fixed", f->fixed);
	}
	if (f->commit_id && *f->commit_id)
		cJSON_AddStringToObject(p, "commit", f->commit_id);
}

static void add_suppression(cJSON *res, const struct gk_fnote *note)
{
	cJSON *arr, *s;

	if (!note->exception)
		return;
	arr = cJSON_AddArrayToObject(res, "suppressions");
	s = cJSON_CreateObject();
	cJSON_AddStringToObject(s, "kind", "external");
	cJSON_AddStringToObject(s, "status", "accepted");
	cJSON_AddStringToObject(s, "justification",
				nonempty(note->reason, note->exception));
	cJSON_AddItemToArray(arr, s);
}

static cJSON *result_json(const struct sarif *s, const struct run *run,
			  size_t k, size_t occurrence)
{
	size_t i = run->idx[k];
	const struct gk_frec *f = &s->r->findings[i];
	const char *id = nonempty(f->rule, "?");
	cJSON *res = cJSON_CreateObject();

	cJSON_AddStringToObject(res, "ruleId", id);
	cJSON_AddNumberToObject(res, "ruleIndex",
				(double)rule_index(run, id));
	cJSON_AddStringToObject(res, "level", gk_severity_level(f->severity));
	add_text(res, "message",
		 nonempty(f->message, nonempty(f->title, id)));
	cJSON_AddItemToObject(res, "locations", location_json(s->r, f));
	add_fingerprints(res, f, occurrence);
	add_suppression(res, &s->r->notes[i]);
	add_result_props(res, f);
	return res;
}

struct fp_pos {
	const char *fp;
	size_t k;
};

static int cmp_fp_pos(const void *a, const void *b)
{
	const struct fp_pos *x = a, *y = b;
	int c = strcmp(x->fp, y->fp);

	return c ? c : (x->k > y->k) - (x->k < y->k);
}

/*
 * occ[k]: one more than the number of results before k in the run that
 * share its fingerprint, so repeated matches hash apart.
 */
static size_t *occurrences(const struct sarif *s, const struct run *run)
{
	struct fp_pos *order = gk_calloc(run->n, sizeof(*order));
	size_t *occ = gk_calloc(run->n, sizeof(size_t));
	size_t k, n = 0;

	for (k = 0; k < run->n; k++) {
		order[k].fp = nonempty(s->r->findings[run->idx[k]].fingerprint,
				       "");
		order[k].k = k;
	}
	qsort(order, run->n, sizeof(*order), cmp_fp_pos);
	for (k = 0; k < run->n; k++) {
		n = k && !strcmp(order[k - 1].fp, order[k].fp) ? n + 1 : 1;
		occ[order[k].k] = n;
	}
	free(order);
	return occ;
}

/* ---- runs and the log -------------------------------------------------- */

/* The run's category: the template with {plugin} filled in. */
static char *category(const struct sarif *s, const char *plugin)
{
	const char *t = nonempty(s->o ? s->o->sarif_category : NULL,
				 DEFAULT_CATEGORY);
	const char *at = strstr(t, "{plugin}");

	if (at)
		return gk_asprintf("%.*s%s%s", (int)(at - t), t, plugin,
				   at + strlen("{plugin}"));
	if (s->nruns > 1)
		return gk_asprintf("%s/%s", t, plugin);
	return gk_strdup(t);
}

static void add_automation(cJSON *run_o, const struct sarif *s,
			   const char *plugin)
{
	char *cat = category(s, plugin);
	size_t n = strlen(cat);
	char *id = gk_asprintf("%s%s", cat, n && cat[n - 1] == '/' ? "" : "/");

	cJSON_AddStringToObject(cJSON_AddObjectToObject(run_o,
							"automationDetails"),
				"id", id);
	free(id);
	free(cat);
}

static void add_base_ids(cJSON *run_o, const struct gk_report *r)
{
	cJSON *base = cJSON_AddObjectToObject(run_o, "originalUriBaseIds");
	cJSON *src = cJSON_AddObjectToObject(base, "%SRCROOT%");
	struct gk_buf uri;

	gk_buf_init(&uri, 0);
	gk_buf_adds(&uri, "file://");
	uri_encode(&uri, nonempty(r->root, "/"));
	if (uri.data[uri.len - 1] != '/')
		gk_buf_adds(&uri, "/");
	cJSON_AddStringToObject(src, "uri", uri.data);
	gk_buf_release(&uri);
}

static cJSON *driver_json(const struct sarif *s, const struct run *run)
{
	cJSON *tool = cJSON_CreateObject();
	cJSON *d = cJSON_AddObjectToObject(tool, "driver");
	cJSON *rules;
	size_t i;

	cJSON_AddStringToObject(d, "name", "gatekeeper");
	cJSON_AddStringToObject(d, "version",
				nonempty(s->r->tool_version, GK_VERSION));
	cJSON_AddStringToObject(d, "informationUri", GK_HOMEPAGE);
	rules = cJSON_AddArrayToObject(d, "rules");
	for (i = 0; i < run->nrules; i++)
		cJSON_AddItemToArray(rules, rule_json(s, run, run->rules[i]));
	return tool;
}

static cJSON *run_json(const struct sarif *s, const struct run *run)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *results;
	size_t *occ = occurrences(s, run);
	size_t k;

	cJSON_AddItemToObject(o, "tool", driver_json(s, run));
	add_automation(o, s, run->plugin);
	add_base_ids(o, s->r);
	results = cJSON_AddArrayToObject(o, "results");
	for (k = 0; k < run->n; k++)
		cJSON_AddItemToArray(results, result_json(s, run, k, occ[k]));
	free(occ);
	return o;
}

/* Renders the log with findings[0..budget); the caller frees it. */
static char *render(struct sarif *s)
{
	cJSON *log = cJSON_CreateObject();
	cJSON *runs;
	size_t i;
	char *raw, *text;

	cJSON_AddStringToObject(log, "$schema", SARIF_SCHEMA);
	cJSON_AddStringToObject(log, "version", "2.1.0");
	runs = cJSON_AddArrayToObject(log, "runs");
	plan_runs(s);
	fill_runs(s);
	for (i = 0; i < s->nruns; i++)
		cJSON_AddItemToArray(runs, run_json(s, &s->runs[i]));
	runs_release(s);
	raw = cJSON_Print(log);
	cJSON_Delete(log);
	text = gk_report_utf8_fix(raw ? raw : "");
	cJSON_free(raw);
	return text;
}

static void warn_left_out(const struct sarif *s, size_t cap)
{
	size_t by_size = s->r->nfindings - s->budget;

	if (s->no_run)
		gk_warn("sarif: %zu result(s) of plugins past the first %d "
			"left out", s->no_run, MAX_RUNS);
	if (s->over_cap)
		gk_warn("sarif: %zu less severe result(s) left out to stay "
			"within %zu results per run", s->over_cap,
			s->max_results);
	if (by_size)
		gk_warn("sarif: %zu less severe result(s) left out to stay "
			"within %zu bytes", by_size, cap);
}

int gk_report_sarif(const struct gk_report *r, FILE *out,
		    const struct gk_report_opts *o)
{
	struct sarif s;
	size_t cap = o && o->sarif_max_bytes ? o->sarif_max_bytes : MAX_BYTES;
	char *text;
	int rc = 0;

	memset(&s, 0, sizeof(s));
	s.r = r;
	s.o = o;
	s.budget = r->nfindings;
	s.max_results = o && o->sarif_max_results ? o->sarif_max_results
						  : MAX_RESULTS;
	for (;;) {
		size_t len, fewer;

		text = render(&s);
		len = strlen(text);
		if (len <= cap || s.budget == 0)
			break;
		free(text);
		fewer = (size_t)((double)s.budget * (double)cap / (double)len *
				 0.9);
		s.budget = fewer < s.budget ? fewer : s.budget - 1;
	}
	warn_left_out(&s, cap);
	if (fputs(text, out) < 0 || fputc('\n', out) == EOF)
		rc = gk_error("report: cannot write SARIF");
	free(text);
	return rc;
}
