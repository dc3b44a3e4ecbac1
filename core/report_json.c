#include "report.h"

#include "log.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

static void add_str(cJSON *o, const char *key, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

static void add_package_fields(cJSON *o, const struct gk_frec *f)
{
	cJSON *extra;

	if (!f->package && !f->advisory)
		return;
	add_str(o, "package", f->package);
	add_str(o, "ecosystem", f->ecosystem);
	add_str(o, "installed", f->installed);
	add_str(o, "fixed", f->fixed);
	add_str(o, "advisory", f->advisory);
	if (f->cvss > 0)
		cJSON_AddNumberToObject(o, "cvss", f->cvss);
	extra = f->extra ? cJSON_Parse(f->extra) : NULL;
	if (extra)
		cJSON_AddItemToObject(o, "extra", extra);
}

cJSON *gk_finding_json(const struct gk_frec *f)
{
	cJSON *o = cJSON_CreateObject();

	add_str(o, "plugin", f->plugin);
	add_str(o, "rule", f->rule);
	add_str(o, "severity", gk_severity_name(f->severity));
	add_str(o, "title", f->title);
	add_str(o, "message", f->message);
	add_str(o, "path", f->path);
	cJSON_AddNumberToObject(o, "line", f->line);
	cJSON_AddNumberToObject(o, "end_line", f->end_line);
	cJSON_AddNumberToObject(o, "column", f->column);
	cJSON_AddNumberToObject(o, "end_column", f->end_column);
	add_str(o, "fingerprint", f->fingerprint);
	if (f->snippet)
		add_str(o, "snippet", f->snippet);
	if (f->secret_hash)
		add_str(o, "secret_sha256", f->secret_hash);
	if (f->commit_id && *f->commit_id) {
		add_str(o, "commit", f->commit_id);
		add_str(o, "author", f->author);
		add_str(o, "email", f->email);
		add_str(o, "date", f->date);
	}
	add_package_fields(o, f);
	return o;
}

/* A finding with what the policy decided about it. */
static cJSON *report_finding(const struct gk_report *r, size_t i)
{
	cJSON *o = gk_finding_json(&r->findings[i]);
	cJSON *s;

	if (!r->notes[i].exception)
		return o;
	s = cJSON_AddObjectToObject(o, "suppressed");
	add_str(s, "exception", r->notes[i].exception);
	add_str(s, "reason", r->notes[i].reason);
	return o;
}

static cJSON *gate_json(const struct gk_gate_result *g)
{
	cJSON *o = cJSON_CreateObject();

	add_str(o, "id", g->id);
	add_str(o, "description", g->description);
	add_str(o, "verdict", g->verdict);
	add_str(o, "mode", g->mode);
	cJSON_AddNumberToObject(o, "count", (double)g->count);
	cJSON_AddNumberToObject(o, "max", (double)g->max);
	return o;
}

static cJSON *report_json(const struct gk_report *r)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *tool = cJSON_AddObjectToObject(root, "tool");
	cJSON *scan = cJSON_AddObjectToObject(root, "scan");
	cJSON *findings = cJSON_AddArrayToObject(root, "findings");
	cJSON *gates = cJSON_AddArrayToObject(root, "gates");
	size_t i;

	add_str(tool, "name", "gatekeeper");
	add_str(tool, "version", r->tool_version);
	cJSON_AddNumberToObject(scan, "id", (double)r->scan);
	add_str(scan, "root", r->root);
	add_str(scan, "mode", r->mode);
	add_str(scan, "branch", r->branch);
	add_str(scan, "commit", r->commit_id);
	add_str(scan, "started", r->started);
	add_str(scan, "finished", r->finished);
	cJSON_AddNumberToObject(scan, "files_scanned", (double)r->files_scanned);
	cJSON_AddNumberToObject(scan, "files_skipped", (double)r->files_skipped);
	cJSON_AddNumberToObject(scan, "bytes_scanned", (double)r->bytes_scanned);
	if (r->baseline)
		add_str(scan, "baseline", r->baseline);
	for (i = 0; i < r->nfindings; i++)
		cJSON_AddItemToArray(findings, report_finding(r, i));
	for (i = 0; i < r->ngates; i++)
		cJSON_AddItemToArray(gates, gate_json(&r->gates[i]));
	add_str(root, "verdict", r->verdict ? r->verdict : "pass");
	return root;
}

int gk_report_json(const struct gk_report *r, FILE *out)
{
	cJSON *root = report_json(r);
	char *raw = cJSON_Print(root);
	char *text = raw ? gk_report_utf8_fix(raw) : NULL;
	int rc = 0;

	if (!text || fputs(text, out) < 0 || fputc('\n', out) == EOF)
		rc = gk_error("report: cannot write JSON");
	free(text);
	cJSON_free(raw);
	cJSON_Delete(root);
	return rc;
}
