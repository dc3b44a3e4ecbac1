/*
 * The keyword prefilter.  Every distinct keyword of every regex rule is
 * stored once, with the rules that listed it, sorted by its first two
 * bytes: bucket[p] .. bucket[p + 1] are the keywords that start with the
 * byte pair p, and bit p of first2 says whether there are any.
 *
 * Two searches find the keywords of a text and report them in the same
 * order.  The builtin walk looks up the pair at each position of a
 * lower-cased copy and compares only the few keywords of that bucket.
 * vectorscan (hsfilter.c) reports hits by their end; they are gathered
 * per line, first hit of each keyword only, and sorted by start.
 */
#include "secret.h"

#include <cjson/cJSON.h>
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

int secret_prefilter_configure(struct secret_state *st, const cJSON *cfg)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(cfg, "prefilter");
	static const char *const names[] = { "auto", "builtin", "vectorscan" };
	int i;

	st->engine = SECRET_ENGINE_AUTO;
	if (!v)
		return 0;
	for (i = 0; cJSON_IsString(v) && i < 3; i++)
		if (strcmp(v->valuestring, names[i]) == 0) {
			st->engine = i;
			return 0;
		}
	st->api->log(st->host, GK_LOG_ERROR,
		     "config: 'prefilter' must be auto, builtin or vectorscan");
	return -1;
}

#define NO_SLOT UINT32_MAX

/* A keyword's first hit on the current line. */
struct hit {
	size_t pos;
	uint32_t kw;
};

struct secret_pass {
	const struct secret_state *st;
	struct hs_scratch *scratch; /* NULL: the builtin walk */
	uint32_t *slot;             /* per keyword: its index in hits */
	struct hit *hits;           /* at most one per keyword */
	size_t nhits;

	/* One run of secret_pass_run(). */
	const unsigned char *data;
	size_t size;
	size_t ls, le;   /* the line of the gathered hits: [ls, le) */
	size_t from;     /* the start of the line after the last one seen */
	secret_hit_fn fn;
	void *arg;
	int stop;
};

struct secret_pass *secret_pass_new(const struct secret_state *st,
				    size_t size)
{
	struct secret_pass *p = calloc(1, sizeof(*p));
	size_t n = st->nkeywords ? st->nkeywords : 1;

	if (!p)
		return NULL;
	p->st = st;
	p->slot = malloc(n * sizeof(*p->slot));
	p->hits = malloc(n * sizeof(*p->hits));
	if (!p->slot || !p->hits) {
		secret_pass_free(p);
		return NULL;
	}
	memset(p->slot, 0xff, n * sizeof(*p->slot));
	p->scratch = secret_hs_scratch(st, size);
	return p;
}

void secret_pass_free(struct secret_pass *p)
{
	if (!p)
		return;
	secret_hs_scratch_free(p->scratch);
	free(p->slot);
	free(p->hits);
	free(p);
}

/* ---- the builtin walk ---------------------------------------------------- */

static unsigned char *lower_copy(const unsigned char *s, size_t len)
{
	unsigned char *out = malloc(len ? len : 1);
	size_t i;

	if (!out)
		return NULL;
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		out[i] = (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
	}
	return out;
}

/* Reports the keywords starting at position i of the lower-cased text. */
static void keywords_at(struct secret_pass *p, const unsigned char *low,
			size_t i)
{
	const struct secret_state *st = p->st;
	unsigned pair = (unsigned)low[i] << 8 | low[i + 1];
	uint32_t j;

	if (!(st->first2[pair >> 3] & (1u << (pair & 7))))
		return;
	for (j = st->bucket[pair]; j < st->bucket[pair + 1] && !p->stop; j++) {
		const struct secret_keyword *k = &st->keywords[j];

		if (k->len <= p->size - i &&
		    memcmp(low + i + 2, k->text + 2, k->len - 2) == 0)
			p->stop = p->fn(p->arg, j, i, p->ls);
	}
}

static int walk(struct secret_pass *p)
{
	unsigned char *low = lower_copy(p->data, p->size);
	size_t i;

	if (!low)
		return -1;
	for (i = 0; i + 1 < p->size && !p->stop; i++) {
		if (low[i] == '\n') {
			p->ls = i + 1;
			continue;
		}
		keywords_at(p, low, i);
	}
	free(low);
	return 0;
}

/* ---- ordering vectorscan's hits ------------------------------------------ */

static int cmp_hit(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	if (x->pos != y->pos)
		return x->pos < y->pos ? -1 : 1;
	return x->kw < y->kw ? -1 : x->kw > y->kw;
}

/* Reports the gathered hits of the current line in order of start. */
static void flush(struct secret_pass *p)
{
	size_t i;

	if (p->nhits > 1)
		qsort(p->hits, p->nhits, sizeof(*p->hits), cmp_hit);
	for (i = 0; i < p->nhits; i++) {
		if (!p->stop)
			p->stop = p->fn(p->arg, p->hits[i].kw, p->hits[i].pos,
					p->ls);
		p->slot[p->hits[i].kw] = NO_SLOT;
	}
	p->nhits = 0;
}

/* Finds the line holding pos, which lies at or after p->from. */
static void open_line(struct secret_pass *p, size_t pos)
{
	const unsigned char *nl;

	nl = memrchr(p->data + p->from, '\n', pos - p->from);
	p->ls = nl ? (size_t)(nl - p->data) + 1 : p->from;
	nl = memchr(p->data + pos, '\n', p->size - pos);
	p->le = nl ? (size_t)(nl - p->data) : p->size;
	p->from = p->le + 1;
}

/* secret_hs_scan() callback: a keyword ends at end. */
static int on_end(void *arg, uint32_t kw, size_t end)
{
	struct secret_pass *p = arg;
	size_t pos = end - p->st->keywords[kw].len;
	uint32_t s;

	if (p->nhits && pos > p->le)
		flush(p);
	if (p->stop)
		return 1;
	if (!p->nhits)
		open_line(p, pos);
	s = p->slot[kw];
	if (s == NO_SLOT) {
		p->slot[kw] = (uint32_t)p->nhits;
		p->hits[p->nhits].pos = pos;
		p->hits[p->nhits++].kw = kw;
	} else if (pos < p->hits[s].pos) {
		p->hits[s].pos = pos;
	}
	return 0;
}

static int gather(struct secret_pass *p)
{
	int rc = secret_hs_scan(p->st, p->scratch, p->data, p->size, on_end,
				p);

	if (rc != 0)
		p->stop = 1;
	flush(p);
	return rc < 0 ? -1 : 0;
}

int secret_pass_run(struct secret_pass *p, const unsigned char *data,
		    size_t size, secret_hit_fn fn, void *arg)
{
	p->data = data;
	p->size = size;
	p->ls = p->le = p->from = 0;
	p->fn = fn;
	p->arg = arg;
	p->stop = 0;
	p->nhits = 0;
	if (size < 2 || p->st->nkeywords == 0)
		return 0;
	return p->scratch ? gather(p) : walk(p);
}
