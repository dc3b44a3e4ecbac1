/*
 * Scanning one file for secrets.
 *
 * 1. Rules with a path and no regex report the file itself when its path
 *    matches.
 * 2. Every keyword occurrence is found in one pass over the file
 *    (prefilter.c, hsfilter.c).  At the first hit of a rule on a line, the
 *    rule's regex runs over that whole line; a multiline rule runs from
 *    that line to the end of the file.  covered[] remembers how far each
 *    rule has run so no text is matched twice by one rule.
 * 3. Each match is checked (allow comment, entropy, allowlist, stopwords)
 *    and kept as a candidate.  At the end the candidates are sorted, a
 *    generic rule's candidate is dropped when a specific rule found the
 *    same (or an overlapping) secret, and the rest are emitted with spans.
 * 4. Encoded runs (decode.c) that decode to text are scanned the same way,
 *    as a nested scan of the decoded bytes, down to the configured depth.
 *    Their candidates are lifted into the outer scan at the encoded run's
 *    span, carrying a copy of the decoded secret; one that overlaps a
 *    candidate found in the plain text is dropped, as the plain finding
 *    already covers that span.
 *
 * All state here is per call: struct secret_state is only read.
 */
#include "decode.h"
#include "secret.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OFF SIZE_MAX /* covered[] value of a rule that must not run */

struct cand {
	uint32_t rule;
	int dropped;
	size_t start, len; /* the secret, as offsets into the file */
	unsigned char *own; /* decoded: the secret itself, owned; else NULL */
	size_t own_len;
	char *how;          /* decoded: "base64", "hex, base64", ...; owned */
};

struct scan {
	const struct secret_state *st;
	const struct gk_file *file;
	const unsigned char *data;
	size_t size;
	size_t *covered;        /* per rule: offset its regex has run to */
	unsigned char *warned;  /* per rule: a limit warning was logged */
	pcre2_match_data *md;
	pcre2_match_context *mc;
	pcre2_jit_stack *js;
	int js_owned;
	struct cand *cands;
	size_t ncands, cap;
	int binary; /* only path-only rules apply */
	int full;   /* SECRET_MAX_FINDINGS reached */
	int failed; /* out of memory */
	int nested; /* a scan of decoded text: collects, never emits */
	int depth;  /* how many more levels of encoding to decode */
	size_t *budget; /* decoded bytes still allowed for the whole file */
	struct secret_pass **pass; /* the file's keyword pass, made once */
	size_t hit_ls, hit_le;     /* the last hit's line, its end or OFF */
};

static const char *const allow_markers[] = {
	"gatekeeper:allow", "gitleaks:allow", NULL
};

static void jit_stack_free(void *js)
{
	pcre2_jit_stack_free(js);
}

void secret_jit_stacks_init(struct secret_state *st)
{
	st->jit_stack_key_made =
		pthread_key_create(&st->jit_stack_key, jit_stack_free) == 0;
}

void secret_jit_stacks_free(struct secret_state *st)
{
	if (!st->jit_stack_key_made)
		return;
	jit_stack_free(pthread_getspecific(st->jit_stack_key));
	pthread_setspecific(st->jit_stack_key, NULL);
	pthread_key_delete(st->jit_stack_key);
	st->jit_stack_key_made = 0;
}

/* This thread's JIT stack; *owned when it is the caller's to free. */
static pcre2_jit_stack *thread_jit_stack(const struct secret_state *st,
					 int *owned)
{
	pcre2_jit_stack *js;

	*owned = !st->jit_stack_key_made;
	if (*owned)
		return pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	js = pthread_getspecific(st->jit_stack_key);
	if (!js) {
		js = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
		if (js && pthread_setspecific(st->jit_stack_key, js) != 0)
			*owned = 1;
	}
	return js;
}

/* Creates the match data and context on first use. */
static int matcher_ready(struct scan *sc)
{
	if (sc->md)
		return 1;
	sc->md = pcre2_match_data_create(sc->st->max_groups + 1, NULL);
	sc->mc = pcre2_match_context_create(NULL);
	sc->js = thread_jit_stack(sc->st, &sc->js_owned);
	if (!sc->md || !sc->mc) {
		sc->failed = 1;
		return 0;
	}
	pcre2_set_match_limit(sc->mc, SECRET_MATCH_LIMIT);
	pcre2_set_depth_limit(sc->mc, SECRET_DEPTH_LIMIT);
	if (sc->js)
		pcre2_jit_stack_assign(sc->mc, NULL, sc->js);
	return 1;
}

static int re_matches(struct scan *sc, const pcre2_code *re,
		      const void *s, size_t len)
{
	if (!matcher_ready(sc))
		return 0;
	return pcre2_match(re, s, len, 0, 0, sc->md, sc->mc) >= 0;
}

static int any_matches(struct scan *sc, pcre2_code *const *res, size_t n,
		       const void *s, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (re_matches(sc, res[i], s, len))
			return 1;
	return 0;
}

static int has_marker(const unsigned char *s, size_t len)
{
	size_t i;

	for (i = 0; allow_markers[i]; i++)
		if (memmem(s, len, allow_markers[i],
			   strlen(allow_markers[i])))
			return 1;
	return 0;
}

/* Does a line touched by data[from, to) carry an allow comment? */
static int span_marked(const struct scan *sc, size_t from, size_t to)
{
	const unsigned char *nl;

	while (from > 0 && sc->data[from - 1] != '\n')
		from--;
	nl = to < sc->size ? memchr(sc->data + to, '\n', sc->size - to)
			   : NULL;
	to = nl ? (size_t)(nl - sc->data) : sc->size;
	return has_marker(sc->data + from, to - from);
}

static int stopped(const struct secret_rule *r, const unsigned char *s,
		   size_t len, int *failed)
{
	char *norm;
	size_t i;
	int hit = 0;

	if (r->nstopwords == 0)
		return 0;
	norm = secret_stopword_norm(s, len);
	if (!norm) {
		*failed = 1;
		return 1;
	}
	for (i = 0; i < r->nstopwords && !hit; i++)
		hit = strcmp(norm, r->stopwords[i]) == 0;
	free(norm);
	return hit;
}

static void push(struct scan *sc, uint32_t rule, size_t start, size_t len)
{
	struct cand *c;

	if (sc->ncands == SECRET_MAX_FINDINGS) {
		sc->full = 1;
		sc->st->api->log(sc->st->host, GK_LOG_WARN,
				 "'%s': more than %d secrets; the rest of "
				 "the file is not reported",
				 sc->file->path, SECRET_MAX_FINDINGS);
		return;
	}
	if (sc->ncands == sc->cap) {
		size_t cap = sc->cap ? sc->cap * 2 : 16;

		c = realloc(sc->cands, cap * sizeof(*c));
		if (!c) {
			sc->failed = 1;
			return;
		}
		sc->cands = c;
		sc->cap = cap;
	}
	c = &sc->cands[sc->ncands++];
	memset(c, 0, sizeof(*c));
	c->rule = rule;
	c->start = start;
	c->len = len;
}

/* The secret of a candidate: decoded bytes, or its span of the data. */
static const unsigned char *cand_secret(const struct scan *sc,
					const struct cand *c, size_t *len)
{
	*len = c->own ? c->own_len : c->len;
	return c->own ? c->own : sc->data + c->start;
}

/*
 * One match of rule ri: [m0, m1) is the whole match, [s0, s1) the secret
 * group, as file offsets.  wide: the region spans lines, so the allow
 * comment was not checked for the region as a whole.
 */
/*
 * Allowlists of a gitleaks rule, which may look at the path, the secret,
 * the whole match or the lines the match stands on.
 */
static int gitleaks_allowed(struct scan *sc, const struct secret_rule *r,
			    size_t m0, size_t m1, size_t s0, size_t s1)
{
	struct secret_texts t;
	const unsigned char *nl;
	size_t ls = m0, le;

	while (ls > 0 && sc->data[ls - 1] != '\n')
		ls--;
	nl = memchr(sc->data + m1, '\n', sc->size - m1);
	le = nl ? (size_t)(nl - sc->data) : sc->size;
	t.path = sc->file->path;
	t.secret = sc->data + s0;
	t.secret_len = s1 - s0;
	t.match = sc->data + m0;
	t.match_len = m1 - m0;
	t.line = sc->data + ls;
	t.line_len = le - ls;
	return secret_allowlisted(r, &t, sc->md, sc->mc);
}

static void consider(struct scan *sc, uint32_t ri, int wide, size_t m0,
		     size_t m1, size_t s0, size_t s1)
{
	const struct secret_rule *r = &sc->st->rules[ri];
	const unsigned char *s = sc->data + s0;
	size_t len = s1 - s0;

	if (s1 <= s0)
		return;
	if (wide && span_marked(sc, m0 < s0 ? m0 : s0, m1 > s1 ? m1 : s1))
		return;
	if (r->entropy > 0 && secret_entropy(s, len) < r->entropy)
		return;
	if (any_matches(sc, r->allow_res, r->nallow_res, s, len))
		return;
	if (stopped(r, s, len, &sc->failed))
		return;
	if (r->nallowlists && gitleaks_allowed(sc, r, m0, m1, s0, s1))
		return;
	push(sc, ri, s0, len);
}

static void limit_warning(struct scan *sc, uint32_t ri, int rc)
{
	PCRE2_UCHAR msg[128];

	if (sc->warned[ri])
		return;
	sc->warned[ri] = 1;
	pcre2_get_error_message(rc, msg, sizeof(msg));
	sc->st->api->log(sc->st->host, GK_LOG_WARN,
			 "'%s': rule '%s': %s; part of the file is not "
			 "checked by this rule",
			 sc->file->path, sc->st->rules[ri].id,
			 (const char *)msg);
}

/* Runs rule ri over data[rs, re) and considers every match. */
static void run_region(struct scan *sc, uint32_t ri, size_t rs, size_t re,
		       int wide)
{
	const struct secret_rule *r = &sc->st->rules[ri];
	size_t len = re - rs, off = 0;

	if (!matcher_ready(sc))
		return;
	secret_rule_jit(sc->st, ri);
	while (off <= len && !sc->full && !sc->failed) {
		PCRE2_SIZE *ov;
		size_t m0, m1, s0, s1, next;
		int rc;

		rc = pcre2_match(r->re, sc->data + rs, len, off, 0, sc->md,
				 sc->mc);
		if (rc == PCRE2_ERROR_NOMATCH)
			break;
		if (rc < 0) {
			limit_warning(sc, ri, rc);
			break;
		}
		ov = pcre2_get_ovector_pointer(sc->md);
		m0 = ov[0];
		m1 = ov[1];
		s0 = ov[2 * r->group];
		s1 = ov[2 * r->group + 1];
		next = m1 > m0 ? m1 : m0 + 1;
		off = next > off ? next : off + 1;
		if (s0 != PCRE2_UNSET && (size_t)rc > r->group)
			consider(sc, ri, wide, rs + m0, rs + m1, rs + s0,
				 rs + s1);
	}
}

static size_t line_end(const struct scan *sc, size_t pos)
{
	const unsigned char *nl = memchr(sc->data + pos, '\n', sc->size - pos);

	return nl ? (size_t)(nl - sc->data) : sc->size;
}

/*
 * Keyword k occurs at pos, on the line starting at ls; *le caches that
 * line's end (OFF until known).  Runs each of k's rules that has not yet
 * run over this line.
 */
static void keyword_hit(struct scan *sc, const struct secret_keyword *k,
			size_t pos, size_t ls, size_t *le)
{
	size_t i;

	for (i = 0; i < k->nrules && !sc->full; i++) {
		uint32_t ri = k->rules[i];

		if (sc->covered[ri] > pos)
			continue;
		if (sc->st->rules[ri].multiline) {
			sc->covered[ri] = OFF;
			run_region(sc, ri, ls, sc->size, 1);
			continue;
		}
		if (*le == OFF)
			*le = line_end(sc, pos);
		sc->covered[ri] = *le + 1;
		if (!has_marker(sc->data + ls, *le - ls))
			run_region(sc, ri, ls, *le, 0);
	}
}

/* secret_pass_run() callback: caches the end of the hit's line. */
static int on_keyword(void *arg, uint32_t kw, size_t pos, size_t ls)
{
	struct scan *sc = arg;

	if (ls != sc->hit_ls) {
		sc->hit_ls = ls;
		sc->hit_le = OFF;
	}
	keyword_hit(sc, &sc->st->keywords[kw], pos, ls, &sc->hit_le);
	return sc->full || sc->failed;
}

/* Rules without keywords run over the whole file. */
static void run_unkeyed(struct scan *sc)
{
	size_t i;

	for (i = 0; i < sc->st->nrules && !sc->full; i++) {
		const struct secret_rule *r = &sc->st->rules[i];

		if (r->nkeywords || sc->covered[i] == OFF)
			continue;
		sc->covered[i] = OFF;
		run_region(sc, (uint32_t)i, 0, sc->size, 1);
	}
}

static int path_applies(struct scan *sc, const struct secret_rule *r)
{
	const char *path = sc->file->path ? sc->file->path : "";
	size_t len = strlen(path);

	if (r->path_re && !re_matches(sc, r->path_re, path, len))
		return 0;
	return !any_matches(sc, r->allow_paths, r->nallow_paths, path, len);
}

static void emit(struct scan *sc, const struct secret_rule *r,
		 struct gk_finding *f)
{
	f->rule = r->id;
	f->severity = r->severity;
	f->title = r->title;
	if (!f->message)
		f->message = r->message;
	sc->st->api->finding_emit(sc->st->host, sc->file, f);
}

/*
 * Decides which rules run on this file: covered[] is OFF for a rule whose
 * path does not apply, and for every regex rule of a binary file.
 * Path-only rules that apply report the file here.
 */
static int scan_open(struct scan *sc)
{
	const struct secret_state *st = sc->st;
	size_t i;

	sc->binary = !sc->nested && secret_is_binary(sc->data, sc->size);
	sc->covered = calloc(st->nrules, sizeof(*sc->covered));
	sc->warned = calloc(st->nrules, 1);
	if (!sc->covered || !sc->warned)
		return -1;
	for (i = 0; i < st->nrules; i++) {
		const struct secret_rule *r = &st->rules[i];
		int applies = path_applies(sc, r);

		if (!r->re && applies && !sc->nested) {
			struct gk_finding f = { 0 };

			emit(sc, r, &f);
		}
		if (!r->re || !applies || sc->binary)
			sc->covered[i] = OFF;
	}
	return sc->failed ? -1 : 0;
}

static int cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	return 0;
}

static int overlap(const struct cand *a, const struct cand *b)
{
	return a->start < b->start + b->len && b->start < a->start + a->len;
}

/*
 * Drops a generic rule's candidate where a specific rule has its secret,
 * or a secret overlapping it (a generic value may run on past a token:
 * "token=<token>&page=2"; or be the base64 text a specific token was
 * decoded from).
 */
static void drop_generic(struct scan *sc)
{
	size_t i, j;

	for (i = 0; i < sc->ncands; i++) {
		struct cand *g = &sc->cands[i];
		const unsigned char *gs;
		size_t glen;

		if (!sc->st->rules[g->rule].generic)
			continue;
		gs = cand_secret(sc, g, &glen);
		for (j = 0; j < sc->ncands && !g->dropped; j++) {
			const struct cand *s = &sc->cands[j];
			const unsigned char *ss;
			size_t slen;

			if (sc->st->rules[s->rule].generic)
				continue;
			ss = cand_secret(sc, s, &slen);
			g->dropped = (slen == glen && memcmp(ss, gs, glen) == 0) ||
				     overlap(g, s);
		}
	}
}

/*
 * Drops a decoded candidate whose span a plain-text candidate overlaps,
 * unless that one was itself dropped (a generic value over the encoded
 * run, where the decoded text holds a specific token).
 */
static void drop_covered(struct scan *sc)
{
	size_t i, j;

	for (i = 0; i < sc->ncands; i++) {
		struct cand *d = &sc->cands[i];

		for (j = 0; d->how && j < sc->ncands && !d->dropped; j++) {
			const struct cand *p = &sc->cands[j];

			d->dropped = !p->how && !p->dropped && overlap(p, d);
		}
	}
}

/* Moves a line cursor forward to offset to (to <= size). */
static void advance(const struct scan *sc, size_t *pos, size_t *line,
		    size_t *ls, size_t to)
{
	while (*pos < to) {
		const unsigned char *nl = memchr(sc->data + *pos, '\n',
						 to - *pos);

		if (!nl) {
			*pos = to;
			break;
		}
		(*line)++;
		*pos = *ls = (size_t)(nl - sc->data) + 1;
	}
}

static void emit_cand(struct scan *sc, const struct cand *c, size_t line,
		      size_t col, size_t eline, size_t ecol)
{
	const struct secret_rule *r = &sc->st->rules[c->rule];
	struct gk_finding f = { 0 };
	char hash[65], snip[16], msg[512];
	char *key = NULL;
	size_t len;
	const unsigned char *s = cand_secret(sc, c, &len);

	sc->st->api->sha256_hex(s, len, hash);
	secret_redact(s, len, snip, sizeof(snip));
	if (!memchr(s, '\0', len)) {
		key = malloc(len + 1);
		if (!key) {
			sc->failed = 1;
			return;
		}
		memcpy(key, s, len);
		key[len] = '\0';
	}
	f.line = (int)line;
	f.column = (int)col;
	f.end_line = (int)eline;
	f.end_column = (int)ecol;
	f.snippet = snip;
	f.secret_hash = hash;
	f.fingerprint_key = key ? key : hash;
	if (c->how) {
		snprintf(msg, sizeof(msg), "%s (%s-decoded)", r->message,
			 c->how);
		f.message = msg;
	}
	emit(sc, r, &f);
	free(key);
}

static void report(struct scan *sc)
{
	size_t pos = 0, line = 1, ls = 0, i;

	if (sc->ncands > 1)
		qsort(sc->cands, sc->ncands, sizeof(*sc->cands), cmp_cand);
	drop_generic(sc);
	drop_covered(sc);
	for (i = 0; i < sc->ncands && !sc->failed; i++) {
		const struct cand *c = &sc->cands[i];
		size_t epos, eline, els, last = c->start + c->len - 1;

		if (c->dropped)
			continue;
		advance(sc, &pos, &line, &ls, c->start);
		epos = pos;
		eline = line;
		els = ls;
		advance(sc, &epos, &eline, &els, last);
		emit_cand(sc, c, line, c->start - ls + 1, eline,
			  last - els + 1);
	}
}

static void scan_release(struct scan *sc)
{
	size_t i;

	for (i = 0; i < sc->ncands; i++) {
		free(sc->cands[i].own);
		free(sc->cands[i].how);
	}
	pcre2_match_data_free(sc->md);
	pcre2_match_context_free(sc->mc);
	if (sc->js_owned)
		pcre2_jit_stack_free(sc->js);
	free(sc->covered);
	free(sc->warned);
	free(sc->cands);
}

static int collect(struct scan *sc);

/* Copies what a nested candidate found into a lifted one. */
static int lift_one(struct cand *to, const struct scan *sub,
		    const struct cand *c, const char *kind)
{
	size_t len, hlen = strlen(kind) + (c->how ? strlen(c->how) + 2 : 0);
	const unsigned char *s = cand_secret(sub, c, &len);

	to->own = malloc(len ? len : 1);
	to->how = malloc(hlen + 1);
	if (!to->own || !to->how)
		return -1;
	memcpy(to->own, s, len);
	to->own_len = len;
	snprintf(to->how, hlen + 1, "%s%s%s", kind, c->how ? ", " : "",
		 c->how ? c->how : "");
	return 0;
}

/* Takes the candidates of a nested scan at the encoded run's span. */
static void lift(struct scan *sc, struct scan *sub,
		 const struct secret_decoded *d)
{
	size_t i;

	drop_generic(sub);
	drop_covered(sub);
	if (span_marked(sc, d->start, d->start + d->len))
		return;
	for (i = 0; i < sub->ncands && !sc->full && !sc->failed; i++) {
		const struct cand *c = &sub->cands[i];

		if (c->dropped)
			continue;
		push(sc, c->rule, d->start, d->len);
		if (!sc->full && !sc->failed &&
		    lift_one(&sc->cands[sc->ncands - 1], sub, c, d->kind))
			sc->failed = 1;
	}
}

/* secret_decode_each() callback: scans one decoded run. */
static int on_decoded(void *arg, const struct secret_decoded *d)
{
	struct scan *sc = arg;
	struct scan sub = { 0 };

	sub.st = sc->st;
	sub.file = sc->file;
	sub.data = d->data;
	sub.size = d->size;
	sub.nested = 1;
	sub.depth = sc->depth - 1;
	sub.budget = sc->budget;
	sub.pass = sc->pass;
	if (collect(&sub) == 0)
		lift(sc, &sub, d);
	else
		sc->failed = 1;
	scan_release(&sub);
	return sc->full || sc->failed;
}

/*
 * Finds the candidates of sc->data: rules without keywords, the keyword
 * pass, then the encoded runs while depth remains.  0, or -1 on no memory.
 */
static int collect(struct scan *sc)
{
	if (scan_open(sc))
		return -1;
	run_unkeyed(sc);
	if (sc->st->nkeywords && sc->size > 1 && !sc->binary) {
		if (!*sc->pass)
			*sc->pass = secret_pass_new(sc->st, sc->size);
		sc->hit_ls = 0;
		sc->hit_le = OFF;
		if (!*sc->pass ||
		    secret_pass_run(*sc->pass, sc->data, sc->size, on_keyword,
				    sc))
			return -1;
	}
	if (sc->depth > 0 && !sc->binary && !sc->full &&
	    secret_decode_each(sc->data, sc->size, sc->budget, on_decoded,
			       sc))
		sc->failed = 1;
	return sc->failed ? -1 : 0;
}

int secret_scan(const struct secret_state *st, const struct gk_file *file)
{
	struct scan sc = { 0 };
	struct secret_pass *pass = NULL;
	size_t budget = SECRET_DECODE_BUDGET;
	int rc = -1;

	sc.st = st;
	sc.pass = &pass;
	sc.file = file;
	sc.data = file->data;
	sc.size = file->data ? file->size : 0;
	sc.depth = secret_decode_depth(st);
	sc.budget = &budget;
	if (sc.size > SECRET_MAX_FILE) {
		st->api->log(st->host, GK_LOG_INFO,
			     "'%s': larger than %u bytes, not scanned",
			     file->path, SECRET_MAX_FILE);
		return 0;
	}
	if (collect(&sc) == 0) {
		report(&sc);
		rc = sc.failed ? -1 : 0;
	}
	scan_release(&sc);
	secret_pass_free(pass);
	return rc;
}

int secret_wants(const struct secret_state *st, const char *path,
		 const unsigned char *head, size_t headlen)
{
	struct gk_file file = { path, NULL, 0, GK_ORIGIN_WORKTREE, NULL };
	struct scan sc = { 0 };
	size_t i;
	int want = 0;

	if (!secret_is_binary(head, headlen))
		return 1;
	sc.st = st;
	sc.file = &file;
	for (i = 0; i < st->nrules && !want; i++)
		want = !st->rules[i].re && path_applies(&sc, &st->rules[i]);
	scan_release(&sc);
	return want;
}
