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

/* Untrusted text, escaped where it could steer the terminal. */
static void put(FILE *out, const char *s)
{
	gk_report_put(out, s, NULL);
}

static void print_package(FILE *out, const struct gk_frec *f)
{
	fputs("  ", out);
	put(out, f->package);
	fputc(' ', out);
	put(out, f->installed ? f->installed : "?");
	fputs(" -> ", out);
	put(out, f->fixed && *f->fixed ? f->fixed : "no fix");
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
	put(out, f->rule);
	fputs("  ", out);
	put(out, f->title);
	if (f->snippet) {
		fputs("  [", out);
		put(out, f->snippet);
		fputc(']', out);
	}
	if (f->package)
		print_package(out, f);
	if (f->commit_id && *f->commit_id) {
		char *short_id = gk_strndup(f->commit_id, 12);

		fputs("  commit ", out);
		put(out, short_id);
		free(short_id);
	}
	if (note->exception) {
		fputs("  (suppressed: ", out);
		put(out, note->reason);
		fputc(')', out);
	}
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
		fputs("gate ", out);
		put(out, g->id);
		fprintf(out, ": %s (%lld found, %lld allowed)", g->verdict,
			(long long)g->count, (long long)g->max);
		if (g->description) {
			fputs(" - ", out);
			put(out, g->description);
		}
		fputc('\n', out);
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
			fputs(i ? "\n" : "", out);
			put(out, *last ? last : "(no file)");
			fputc('\n', out);
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
		"low %zu, info %zu; %zu suppressed) in %lld file(s)",
		r->verdict ? r->verdict : "pass", r->nfindings, counts[4],
		counts[3], counts[2], counts[1], counts[0], r->nsuppressed,
		(long long)r->files_scanned);
	if (r->files_skipped)
		fprintf(out, " (%lld skipped)", (long long)r->files_skipped);
	fprintf(out, ", scan %lld\n", (long long)r->scan);
	return 0;
}
