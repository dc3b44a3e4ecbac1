/*
 * The keyword table of the prefilter.  Every distinct keyword of every
 * regex rule is stored once, with the rules that listed it, sorted by
 * its first two bytes: bucket[p] .. bucket[p + 1] are the keywords that
 * start with the byte pair p, and bit p of first2 says whether there are
 * any.  A scan looks up the pair at each position of the lower-cased file
 * and compares only the few keywords of that bucket.
 */
#include "secret.h"

#include <stdlib.h>
#include <string.h>

#define NPAIRS 65536u

static unsigned pair_of(const char *s)
{
	return (unsigned)(unsigned char)s[0] << 8 | (unsigned char)s[1];
}

static int cmp_keyword(const void *a, const void *b)
{
	const struct secret_keyword *x = a, *y = b;
	unsigned px = pair_of(x->text), py = pair_of(y->text);

	if (px != py)
		return px < py ? -1 : 1;
	return strcmp(x->text, y->text);
}

static struct secret_keyword *find_or_add(struct secret_state *st,
					  const char *text, size_t *cap)
{
	struct secret_keyword *k;
	size_t i;

	for (i = 0; i < st->nkeywords; i++)
		if (strcmp(st->keywords[i].text, text) == 0)
			return &st->keywords[i];
	if (st->nkeywords == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;

		k = realloc(st->keywords, ncap * sizeof(*k));
		if (!k)
			return NULL;
		st->keywords = k;
		*cap = ncap;
	}
	k = &st->keywords[st->nkeywords];
	memset(k, 0, sizeof(*k));
	k->text = strdup(text);
	if (!k->text)
		return NULL;
	k->len = strlen(text);
	st->nkeywords++;
	return k;
}

static int keyword_add_rule(struct secret_keyword *k, uint32_t rule)
{
	uint32_t *g;

	if (k->nrules && k->rules[k->nrules - 1] == rule)
		return 0;
	g = realloc(k->rules, (k->nrules + 1) * sizeof(*g));
	if (!g)
		return -1;
	k->rules = g;
	k->rules[k->nrules++] = rule;
	return 0;
}

static int collect(struct secret_state *st)
{
	size_t cap = 0, i, j;

	for (i = 0; i < st->nrules; i++) {
		const struct secret_rule *r = &st->rules[i];

		if (r->re && r->nkeywords == 0)
			st->any_unkeyed = 1;
		for (j = 0; r->re && j < r->nkeywords; j++) {
			struct secret_keyword *k;

			k = find_or_add(st, r->keywords[j], &cap);
			if (!k || keyword_add_rule(k, (uint32_t)i))
				return -1;
		}
	}
	return 0;
}

int secret_prefilter_build(struct secret_state *st)
{
	size_t i;

	if (collect(st))
		return -1;
	st->bucket = calloc(NPAIRS + 1, sizeof(*st->bucket));
	st->first2 = calloc(NPAIRS / 8, 1);
	if (!st->bucket || !st->first2)
		return -1;
	if (st->nkeywords)
		qsort(st->keywords, st->nkeywords, sizeof(*st->keywords),
		      cmp_keyword);

	/* Counting pass, then prefix sums: bucket[p] = first index of p. */
	for (i = 0; i < st->nkeywords; i++) {
		unsigned p = pair_of(st->keywords[i].text);

		st->bucket[p + 1]++;
		st->first2[p >> 3] |= (uint8_t)(1u << (p & 7));
	}
	for (i = 1; i <= NPAIRS; i++)
		st->bucket[i] += st->bucket[i - 1];
	return 0;
}

void secret_prefilter_release(struct secret_state *st)
{
	size_t i;

	for (i = 0; i < st->nkeywords; i++) {
		free(st->keywords[i].text);
		free(st->keywords[i].rules);
	}
	free(st->keywords);
	free(st->bucket);
	free(st->first2);
	st->keywords = NULL;
	st->bucket = NULL;
	st->first2 = NULL;
	st->nkeywords = 0;
}
