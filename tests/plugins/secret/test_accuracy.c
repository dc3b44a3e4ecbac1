/*
 * The secret plugin's accuracy over the labelled corpus of
 * tests/accuracy/corpus.tsv (written by tests/accuracy/gen_corpus.py):
 * fake tokens of every family and hard negatives.  Prints precision and
 * recall per family and fails when either falls below 0.95, overall or
 * for any one family.  Runs from the repository root.
 *
 * A positive is found when a rule of its family (the first tag after
 * "secret") reports a finding on the expected line.  Every other finding
 * counts against the precision of its rule's family; further findings of
 * the expected family on the expected line are not counted at all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../support/fixture.h"
#include "../../support/mock_host.h"

const struct gk_plugin *gk_plugin_entry(void);

#define CORPUS "tests/accuracy/corpus.tsv"
#define MAX_FAMILIES 512
#define MIN_SCORE 0.95
#define MAX_REPORTED 40 /* misses and false alarms printed */

static char cwd[4096];

struct family {
	char name[48];
	int positives, found, false_alarms;
};

struct tally {
	struct family fam[MAX_FAMILIES];
	size_t nfam;
	int positives, negatives, found, false_alarms, reported;
};

struct sample {
	char *label, *family, *path, *text;
	int line;
	size_t len;
};

static struct family *family_of(struct tally *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nfam; i++)
		if (strcmp(t->fam[i].name, name) == 0)
			return &t->fam[i];
	assert_true(t->nfam < MAX_FAMILIES);
	snprintf(t->fam[t->nfam].name, sizeof(t->fam[0].name), "%s", name);
	return &t->fam[t->nfam++];
}

/* The family of a rule: its first tag after "secret". */
static void rule_family(gk_host *h, const char *rule, char *out, size_t n)
{
	size_t i;

	snprintf(out, n, "%s", rule);
	for (i = 0; i < mock_host_nrules(h); i++) {
		const struct gk_rule_info *r = mock_host_rule(h, i);
		const char *t = r->tags ? strchr(r->tags, ',') : NULL;

		if (strcmp(r->id, rule) != 0 || !t)
			continue;
		snprintf(out, n, "%.*s", (int)strcspn(t + 1, ","), t + 1);
		return;
	}
}

static int parse_sample(char *line, struct sample *s)
{
	char *f[5], *save = NULL;
	int i;

	f[0] = strtok_r(line, "\t", &save);
	for (i = 1; i < 4; i++)
		f[i] = strtok_r(NULL, "\t", &save);
	f[4] = strtok_r(NULL, "", &save);
	if (!f[4])
		return -1;
	s->label = f[0];
	s->family = f[1];
	s->line = atoi(f[2]);
	s->path = f[3];
	s->text = f[4];
	s->len = fixture_unescape(f[4]);
	return 0;
}

static void report_one(struct tally *t, int lineno, const char *what,
		       const char *fam, const struct mock_finding *m)
{
	if (t->reported++ >= MAX_REPORTED)
		return;
	if (m)
		print_message("corpus line %d: %s %s: %s at %d:%d\n", lineno,
			      what, fam, m->rule, m->line, m->column);
	else
		print_message("corpus line %d: %s %s\n", lineno, what, fam);
}

/* Scans one sample and counts what it found. */
static void judge(struct tally *t, gk_host *h, void **state,
		  const struct sample *s, int lineno)
{
	int positive = strcmp(s->label, "pos") == 0, found = 0;
	size_t i;

	mock_host_reset(h);
	assert_int_equal(mock_scan(gk_plugin_entry(), h, state, NULL,
				   s->path, s->text, s->len),
			 0);
	for (i = 0; i < mock_host_nfindings(h); i++) {
		const struct mock_finding *m = mock_host_finding(h, i);
		char fam[48];

		rule_family(h, m->rule, fam, sizeof(fam));
		if (positive && strcmp(fam, s->family) == 0 &&
		    m->line == s->line) {
			found = 1;
			continue;
		}
		family_of(t, fam)->false_alarms++;
		t->false_alarms++;
		report_one(t, lineno, positive ? "stray" : "false alarm",
			   s->family, m);
	}
	if (!positive) {
		t->negatives++;
		return;
	}
	t->positives++;
	family_of(t, s->family)->positives++;
	family_of(t, s->family)->found += found;
	t->found += found;
	if (!found)
		report_one(t, lineno, "missed", s->family, NULL);
}

static double ratio(int num, int den)
{
	return den ? (double)num / (double)den : 1.0;
}

/* Prints the table; returns the number of families below MIN_SCORE. */
static int print_table(const struct tally *t)
{
	size_t i;
	int failing = 0;

	print_message("%-22s %5s %5s %5s %9s %7s\n", "family", "pos",
		      "found", "false", "precision", "recall");
	for (i = 0; i < t->nfam; i++) {
		const struct family *f = &t->fam[i];
		double p = ratio(f->found, f->found + f->false_alarms);
		double r = ratio(f->found, f->positives);
		int bad = p < MIN_SCORE || r < MIN_SCORE;

		failing += bad;
		print_message("%-22s %5d %5d %5d %9.3f %7.3f%s\n", f->name,
			      f->positives, f->found, f->false_alarms, p, r,
			      bad ? "  << below 0.95" : "");
	}
	return failing;
}

static void corpus_meets_precision_and_recall(void **ts)
{
	static struct tally t;
	gk_host *h = mock_host_new(cwd);
	char cfg[8192], *line, *save = NULL;
	size_t len;
	void *state = NULL;
	int lineno = 0, failing;
	char *buf;
	FILE *f;
	double p, r;

	(void)ts;
	snprintf(cfg, sizeof(cfg), "{\"rules_dir\": \"%s/rules\"}", cwd);
	assert_int_equal(gk_plugin_entry()->init(h, mock_host_api(), cfg,
						 &state),
			 0);
	f = fopen(CORPUS, "rb");
	assert_non_null(f);
	buf = calloc(1, 4u << 20);
	assert_non_null(buf);
	len = fread(buf, 1, (4u << 20) - 1, f);
	fclose(f);
	assert_true(len > 0 && len < (4u << 20) - 1);

	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct sample s = { 0 };

		lineno++;
		if (line[0] == '#')
			continue;
		assert_int_equal(parse_sample(line, &s), 0);
		judge(&t, h, &state, &s, lineno);
	}
	failing = print_table(&t);
	p = ratio(t.found, t.found + t.false_alarms);
	r = ratio(t.found, t.positives);
	print_message("overall: %d positives in %zu families, %d negatives; "
		      "precision %.3f, recall %.3f\n",
		      t.positives, t.nfam, t.negatives, p, r);

	free(buf);
	gk_plugin_entry()->fini(state);
	mock_host_free(h);
	assert_true(t.positives >= 300 && t.negatives >= 300);
	assert_true(p >= MIN_SCORE && r >= MIN_SCORE);
	assert_int_equal(failing, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(corpus_meets_precision_and_recall),
	};

	if (!getcwd(cwd, sizeof(cwd)))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
