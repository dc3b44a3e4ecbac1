/*
 * JUnit XML: one test case per gate, so CI systems that read test
 * results show the policy.  A failed gate's case carries a failure that
 * lists its findings; a warning gate passes with them in system-out.
 */
#include "report.h"

#include "util.h"

#include <string.h>

/* A byte of text or an attribute value with XML's five escaped. */
static void xml_char(FILE *out, int c)
{
	if (c == '&')
		fputs("&amp;", out);
	else if (c == '<')
		fputs("&lt;", out);
	else if (c == '>')
		fputs("&gt;", out);
	else if (c == '"')
		fputs("&quot;", out);
	else if (c == '\'')
		fputs("&apos;", out);
	else
		fputc(c, out);
}

/* Untrusted text: what XML 1.0 forbids and what is not UTF-8 becomes
 * "\xNN" text, so the document stays well-formed. */
static void xml_text(FILE *out, const char *s)
{
	gk_report_put(out, s, xml_char);
}

static void list_members(FILE *out, const struct gk_report *r,
			 const struct gk_gate_result *g)
{
	size_t i;

	for (i = 0; i < g->nmembers; i++) {
		const struct gk_frec *f = &r->findings[g->members[i]];

		fprintf(out, "%s ", gk_severity_name(f->severity));
		xml_text(out, f->plugin);
		fputc('/', out);
		xml_text(out, f->rule);
		fputc(' ', out);
		xml_text(out, f->path && *f->path ? f->path : "(no file)");
		if (f->line > 0)
			fprintf(out, ":%d", f->line);
		fputs(": ", out);
		xml_text(out, f->message ? f->message : f->title);
		fputc('\n', out);
	}
	if (g->count > (int64_t)g->nmembers)
		fprintf(out, "... and %lld more\n",
			(long long)g->count - (long long)g->nmembers);
}

static void gate_case(FILE *out, const struct gk_report *r,
		      const struct gk_gate_result *g)
{
	int failed = !strcmp(g->verdict, "fail");
	int warned = !strcmp(g->verdict, "warn");

	fputs("    <testcase classname=\"gatekeeper.gates\" name=\"", out);
	xml_text(out, g->id);
	if (!failed && !warned) {
		fputs("\"/>\n", out);
		return;
	}
	fputs("\">\n", out);
	if (failed) {
		fputs("      <failure type=\"gate\" message=\"", out);
		xml_text(out, g->description ? g->description : g->message);
		fputs("\">", out);
		xml_text(out, g->message);
		fputc('\n', out);
		list_members(out, r, g);
		fputs("</failure>\n", out);
	} else if (warned) {
		fputs("      <system-out>warning: ", out);
		xml_text(out, g->message);
		fputc('\n', out);
		list_members(out, r, g);
		fputs("</system-out>\n", out);
	}
	fputs("    </testcase>\n", out);
}

int gk_report_junit(const struct gk_report *r, FILE *out)
{
	size_t i, failures = 0;

	for (i = 0; i < r->ngates; i++)
		failures += !strcmp(r->gates[i].verdict, "fail");
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fprintf(out, "<testsuites name=\"gatekeeper\" tests=\"%zu\" "
		"failures=\"%zu\" errors=\"0\">\n", r->ngates, failures);
	fprintf(out, "  <testsuite name=\"gatekeeper gates\" tests=\"%zu\" "
		"failures=\"%zu\" errors=\"0\" skipped=\"0\">\n", r->ngates,
		failures);
	fprintf(out, "    <properties>\n      <property name=\"scan\" "
		"value=\"%lld\"/>\n      <property name=\"verdict\" value=\"",
		(long long)r->scan);
	xml_text(out, r->verdict ? r->verdict : "pass");
	fprintf(out, "\"/>\n      <property name=\"findings\" value=\"%zu\"/>"
		"\n    </properties>\n", r->nfindings);
	for (i = 0; i < r->ngates; i++)
		gate_case(out, r, &r->gates[i]);
	fputs("  </testsuite>\n</testsuites>\n", out);
	return 0;
}
