/*
 * GitHub Actions workflow commands: an annotation per finding, most
 * severe first, at most annotations_max per level (GitHub shows only so
 * many per step), then one notice for the rest; one line per gate that
 * did not pass.  Suppressed findings are not annotated.
 */
#include "report.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX 10

/* A byte of message data: '%' encoded as GitHub reads it back. */
static void data_char(FILE *out, int c)
{
	if (c == '%')
		fputs("%25", out);
	else
		fputc(c, out);
}

/* A byte of a property value: also ':' and ','. */
static void property_char(FILE *out, int c)
{
	if (c == ':')
		fputs("%3A", out);
	else if (c == ',')
		fputs("%2C", out);
	else
		data_char(out, c);
}

/* Untrusted text as message data or a property; line breaks and other
 * controls are escaped, so no text can start a workflow command. */
static void put_data(FILE *out, const char *s, int property)
{
	gk_report_put(out, s, property ? property_char : data_char);
}

static void put_position(FILE *out, const struct gk_frec *f)
{
	if (f->line <= 0)
		return;
	fprintf(out, ",line=%d,endLine=%d", f->line,
		f->end_line >= f->line ? f->end_line : f->line);
	if (f->column > 0 && f->end_line <= f->line)
		fprintf(out, ",col=%d,endColumn=%d", f->column,
			f->end_column >= f->column ? f->end_column
						   : f->column);
}

static void annotate(FILE *out, const struct gk_report *r,
		     const struct gk_frec *f, const char *level)
{
	char *path = gk_report_location(r, f);

	fprintf(out, "::%s file=", level);
	put_data(out, path, 1);
	put_position(out, f);
	fputs(",title=", out);
	put_data(out, f->plugin, 1);
	fputc('/', out);
	put_data(out, f->rule, 1);
	fprintf(out, " (%s)::", gk_severity_name(f->severity));
	put_data(out, f->message ? f->message : f->title, 0);
	fputc('\n', out);
	free(path);
}

static size_t level_slot(const char *level)
{
	return !strcmp(level, "error") ? 0 : !strcmp(level, "warning") ? 1 : 2;
}

static void annotate_gates(FILE *out, const struct gk_report *r)
{
	size_t i;

	for (i = 0; i < r->ngates; i++) {
		const struct gk_gate_result *g = &r->gates[i];

		if (!strcmp(g->verdict, "pass"))
			continue;
		fprintf(out, "::%s title=gatekeeper gate ",
			!strcmp(g->verdict, "fail") ? "error" : "warning");
		put_data(out, g->id, 1);
		fputs("::", out);
		put_data(out, g->description ? g->description : g->id, 0);
		fputs(": ", out);
		put_data(out, g->message, 0);
		fputc('\n', out);
	}
}

int gk_report_github(const struct gk_report *r, FILE *out,
		     const struct gk_report_opts *o)
{
	size_t cap = o && o->annotations_max ? o->annotations_max
					     : DEFAULT_MAX;
	size_t shown[3] = { 0 }, rest = 0, i;

	for (i = 0; i < r->nfindings; i++) {
		const struct gk_frec *f = &r->findings[i];
		const char *level = gk_severity_level(f->severity);
		size_t slot = level_slot(level);

		if (r->notes[i].exception)
			continue;
		if (shown[slot] == cap) {
			rest++;
			continue;
		}
		shown[slot]++;
		annotate(out, r, f, slot == 2 ? "notice" : level);
	}
	if (rest)
		fprintf(out, "::notice title=gatekeeper::%zu more finding(s) "
			"not annotated; see the full report\n", rest);
	annotate_gates(out, r);
	return 0;
}
