#include "report.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

static const char *const sev_colour[] = {
	"\033[2m", "\033[36m", "\033[33m", "\033[31m", "\033[1;31m",
};

static const char *colour(const struct gk_report_opts *o, int sev)
{
	if (!o->color || sev < 0 || sev > 4)
		return "";
	return sev_colour[sev];
}

static const char *reset(const struct gk_report_opts *o)
{
	return o->color ? "\033[0m" : "";
}

static void print_finding(FILE *out, const struct gk_frec *f,
			  const struct gk_fnote *note,
			  const struct gk_report_opts *o)
{
	fprintf(out, "  %s%-8s%s ", colour(o, f->severity),
		gk_severity_name(f->severity), reset(o));
	if (f->line > 0 && f->column > 0)
		fprintf(out, "%d:%d ", f->line, f->column);
	else if (f->line > 0)
		fprintf(out, "%d ", f->line);
	fprintf(out, "%s  %s", f->rule, f->title ? f->title : "");
	if (f->snippet)
		fprintf(out, "  [%s]", f->snippet);
	if (f->package)
		fprintf(out, "  %s %s -> %s", f->package,
			f->installed ? f->installed : "?",
			f->fixed && *f->fixed ? f->fixed : "no fix");
	if (f->commit_id && *f->commit_id)
		fprintf(out, "  commit %.12s", f->commit_id);
	if (note->exception)
		fprintf(out, "  (suppressed: %s)", note->reason);
	fputc('\n', out);
}

/* Findings grouped by file: sorted by path for this view. */
static int by_path(const void *a, const void *b)
{
	const struct gk_frec *x = *(const struct gk_frec *const *)a;
	const struct gk_frec *y = *(const struct gk_frec *const *)b;
	int c = strcmp(x->path ? x->path : "", y->path ? y->path : "");

	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return y->severity - x->severity;
}

static void print_gates(FILE *out, const struct gk_report *r)
{
	size_t i;

	for (i = 0; i < r->ngates; i++) {
		const struct gk_gate_result *g = &r->gates[i];

		if (strcmp(g->verdict, "pass") == 0)
			continue;
		fprintf(out, "gate %s: %s (%lld found, %lld allowed)%s%s\n",
			g->id, g->verdict, (long long)g->count,
			(long long)g->max, g->description ? " - " : "",
			g->description ? g->description : "");
	}
}

static void print_findings(FILE *out, const struct gk_report *r,
			   const struct gk_report_opts *o)
{
	const struct gk_frec **sorted;
	const char *last = NULL;
	size_t i;

	sorted = gk_calloc(r->nfindings, sizeof(*sorted));
	for (i = 0; i < r->nfindings; i++)
		sorted[i] = &r->findings[i];
	qsort(sorted, r->nfindings, sizeof(*sorted), by_path);
	for (i = 0; i < r->nfindings; i++) {
		const struct gk_frec *f = sorted[i];
		const char *path = f->path ? f->path : "";

		if (!last || strcmp(last, path) != 0) {
			last = path;
			fprintf(out, "%s%s\n", i ? "\n" : "",
				*last ? last : "(no file)");
		}
		print_finding(out, f, &r->notes[f - r->findings], o);
	}
	free(sorted);
	if (r->nfindings)
		fputc('\n', out);
}

int gk_report_text(const struct gk_report *r, FILE *out,
		   const struct gk_report_opts *o)
{
	size_t i, counts[5] = { 0 };

	for (i = 0; i < r->nfindings; i++)
		if (r->findings[i].severity >= 0 &&
		    r->findings[i].severity <= 4)
			counts[r->findings[i].severity]++;
	print_findings(out, r, o);
	print_gates(out, r);
	fprintf(out, "%s: %zu finding(s) (critical %zu, high %zu, medium %zu, "
		"low %zu, info %zu; %zu suppressed) in %lld file(s), "
		"scan %lld\n", r->verdict ? r->verdict : "pass", r->nfindings,
		counts[4], counts[3], counts[2], counts[1], counts[0],
		r->nsuppressed, (long long)r->files_scanned,
		(long long)r->scan);
	return 0;
}
