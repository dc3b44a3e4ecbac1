/*
 * Markdown for $GITHUB_STEP_SUMMARY or a pull-request comment: the
 * verdict, the gates, counts per plugin and severity, and the most
 * severe findings that no exception hides.
 */
#include "report.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_TOP 10

/* A byte of a cell: pipes escaped, backticks flattened. */
static void cell_char(FILE *out, int c)
{
	if (c == '|')
		fputs("\\|", out);
	else if (c == '`')
		fputc('\'', out);
	else
		fputc(c, out);
}

/* A table cell of untrusted text; line breaks and controls escaped. */
static void cell(FILE *out, const char *s)
{
	gk_report_put(out, s, cell_char);
}

static const char *verdict_mark(const char *v)
{
	if (!strcmp(v, "fail"))
		return "\xe2\x9d\x8c fail";
	if (!strcmp(v, "warn"))
		return "\xe2\x9a\xa0\xef\xb8\x8f warn";
	return "\xe2\x9c\x85 pass";
}

static void heading(FILE *out, const struct gk_report *r)
{
	fprintf(out, "## gatekeeper: %s\n\n",
		verdict_mark(r->verdict ? r->verdict : "pass"));
	fprintf(out, "Scan %lld of `", (long long)r->scan);
	cell(out, r->root);
	fputc('`', out);
	if (r->branch) {
		fputs(" on `", out);
		cell(out, r->branch);
		fputc('`', out);
	}
	if (r->commit_id) {
		char *short_id = gk_strndup(r->commit_id, 12);

		fputs(" at `", out);
		cell(out, short_id);
		fputc('`', out);
		free(short_id);
	}
	fprintf(out, ": %zu finding(s), %zu suppressed by exceptions, "
		"%lld file(s) scanned.", r->nfindings, r->nsuppressed,
		(long long)r->files_scanned);
	if (r->baseline) {
		fputs(" Baseline: ", out);
		cell(out, r->baseline);
		fputc('.', out);
	}
	fputs("\n\n", out);
}

static void gates_table(FILE *out, const struct gk_report *r)
{
	size_t i;

	fputs("### Gates\n\n| Gate | Mode | Result | Found | Allowed |"
	      " Description |\n|---|---|---|---:|---:|---|\n", out);
	for (i = 0; i < r->ngates; i++) {
		const struct gk_gate_result *g = &r->gates[i];

		fputs("| ", out);
		cell(out, g->id);
		fprintf(out, " | %s | %s | %lld | %lld | ", g->mode,
			verdict_mark(g->verdict), (long long)g->count,
			(long long)g->max);
		cell(out, g->description);
		fputs(" |\n", out);
	}
	fputc('\n', out);
}

static void count_row(FILE *out, const struct gk_report *r,
		      const char *plugin)
{
	size_t c[5] = { 0 }, i, total = 0;

	for (i = 0; i < r->nfindings; i++) {
		const struct gk_frec *f = &r->findings[i];

		if (strcmp(f->plugin ? f->plugin : "", plugin) != 0 ||
		    f->severity < 0 || f->severity > 4)
			continue;
		c[f->severity]++;
		total++;
	}
	if (!total)
		return;
	fputs("| ", out);
	cell(out, plugin);
	fprintf(out, " | %zu | %zu | %zu | %zu | %zu | %zu |\n", c[4], c[3],
		c[2], c[1], c[0], total);
}

static void counts_table(FILE *out, const struct gk_report *r)
{
	size_t i;

	if (!r->nfindings)
		return;
	fputs("### Findings by plugin and severity\n\n| Plugin | critical |"
	      " high | medium | low | info | total |\n"
	      "|---|---:|---:|---:|---:|---:|---:|\n", out);
	for (i = 0; i < r->plugins.n; i++)
		count_row(out, r, r->plugins.v[i]);
	fputc('\n', out);
}

static void finding_row(FILE *out, const struct gk_frec *f)
{
	fprintf(out, "| %s | `", gk_severity_name(f->severity));
	cell(out, f->rule);
	fputs("` | `", out);
	cell(out, f->path && *f->path ? f->path : "(no file)");
	if (f->line > 0)
		fprintf(out, ":%d", f->line);
	fputs("` | ", out);
	cell(out, f->message ? f->message : f->title);
	fputs(" |\n", out);
}

static void top_findings(FILE *out, const struct gk_report *r, size_t top)
{
	size_t i, shown = 0, open = r->nfindings - r->nsuppressed;

	if (!open)
		return;
	fputs("### Top findings\n\n| Severity | Rule | Location | Message |\n"
	      "|---|---|---|---|\n", out);
	for (i = 0; i < r->nfindings && shown < top; i++) {
		if (r->notes[i].exception)
			continue;
		finding_row(out, &r->findings[i]);
		shown++;
	}
	if (open > shown)
		fprintf(out, "\n_%zu more finding(s) not shown._\n",
			open - shown);
	fputc('\n', out);
}

int gk_report_markdown(const struct gk_report *r, FILE *out,
		       const struct gk_report_opts *o)
{
	heading(out, r);
	gates_table(out, r);
	counts_table(out, r);
	top_findings(out, r, o && o->markdown_top ? o->markdown_top
						  : DEFAULT_TOP);
	return 0;
}
