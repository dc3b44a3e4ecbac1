/*
 * Secret rules from gitleaks configurations (docs/gitleaks.md).
 *
 * The host reads .gitleaks.toml and the files it extends and hands them
 * over parsed, as a list, the configuration every other one extends first.
 * Configurations apply in that order: each one's [extend] disabledRules
 * removes rules loaded before it, then its [[rules]] are added (a rule
 * whose id is already loaded replaces it), then its global allowlists are
 * applied to every rule loaded so far ([allowlist] and [[allowlists]],
 * narrowed by targetRules).
 *
 * A gitleaks rule becomes a struct secret_rule: description is the title,
 * the regex is translated from Go RE2 to PCRE2 and matched over the rest
 * of the file from the line a keyword is on (gitleaks matches whole
 * files), severity is high.  An allowlist that tests only the secret with
 * OR goes into the rule's flat lists; others are kept whole for
 * secret_allowlisted().  Any bad rule or allowlist fails the load, naming
 * the configuration and the rule.
 */
#include "secret.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_GITLEAKS_RULES 4096

/* Where the loader is, for messages. */
struct gl {
	struct secret_state *st;
	const char *source; /* the configuration file */
	const char *id;     /* the rule, or NULL */
	int commits_warned;
};

static const char *const rule_keys[] = {
	"id", "description", "regex", "secretGroup", "entropy", "keywords",
	"path", "tags", "allowlist", "allowlists", NULL
};

static void gl_log(struct gl *g, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void gl_log(struct gl *g, int level, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (g->id)
		g->st->api->log(g->st->host, level, "gitleaks: '%s': rule '%s': "
				"%s", g->source, g->id, msg);
	else
		g->st->api->log(g->st->host, level, "gitleaks: '%s': %s",
				g->source, msg);
}

/* ---- Go RE2 to PCRE2 ----------------------------------------------------- */

/* The translation being written: out has room for 5 bytes per input. */
struct tr {
	const unsigned char *s;
	size_t i;
	char *out;
	size_t n;
	int in_class;
	char *err;
	size_t errlen;
};

static int tr_fail(struct tr *t, const char *what)
{
	snprintf(t->err, t->errlen, "%s at offset %zu", what, t->i);
	return -1;
}

static void tr_put(struct tr *t, const char *s, size_t n)
{
	memcpy(t->out + t->n, s, n);
	t->n += n;
}

/* Length of the UTF-8 sequence led by c (1 for ASCII), 0 when invalid. */
static size_t utf8_lead(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

/* Go matches code points, PCRE2 (without UTF) bytes: a code point above
 * ASCII becomes its UTF-8 bytes in a group. */
static int tr_codepoint(struct tr *t, unsigned long cp)
{
	unsigned char u[4];
	char hex[8];
	size_t k, j;

	if (cp < 0x80) {
		k = (size_t)snprintf(hex, sizeof(hex), "\\x%02lx", cp);
		tr_put(t, hex, k);
		return 0;
	}
	if (t->in_class)
		return tr_fail(t, "a non-ASCII character in a character class "
				  "is not supported");
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return tr_fail(t, "an invalid code point");
	k = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
	u[0] = (unsigned char)((0xf00u >> k) | (cp >> (6 * (k - 1))));
	for (j = 1; j < k; j++)
		u[j] = (unsigned char)(0x80 | ((cp >> (6 * (k - 1 - j))) & 0x3f));
	tr_put(t, "(?:", 3);
	for (j = 0; j < k; j++) {
		snprintf(hex, sizeof(hex), "\\x%02x", u[j]);
		tr_put(t, hex, 4);
	}
	tr_put(t, ")", 1);
	return 0;
}

/* \xHH or \x{H...}; i is on the 'x'. */
static int tr_hex(struct tr *t)
{
	const char *p = (const char *)t->s + t->i + 1;
	unsigned long cp;
	char *end;

	if (*p == '{') {
		cp = strtoul(p + 1, &end, 16);
		if (end == p + 1 || *end != '}' || end - p > 9)
			return tr_fail(t, "a bad \\x{...} escape");
		t->i += (size_t)(end - p) + 2;
		return tr_codepoint(t, cp);
	}
	if (!strchr("0123456789abcdefABCDEF", p[0]) || !p[0] ||
	    !strchr("0123456789abcdefABCDEF", p[1]) || !p[1])
		return tr_fail(t, "a bad \\x escape");
	cp = strtoul((char[]){ p[0], p[1], '\0' }, NULL, 16);
	t->i += 3;
	return tr_codepoint(t, cp);
}

/* Go's octal: \0 and up to two more digits, or \1-\7 and one or two
 * more (a lone \1-\9 would be a backreference, which RE2 refuses). */
static int tr_octal(struct tr *t)
{
	const unsigned char *p = t->s + t->i;
	unsigned long cp = 0;
	size_t k = 0, max = 3;

	while (k < max && p[k] >= '0' && p[k] <= '7')
		cp = cp * 8 + (unsigned long)(p[k++] - '0');
	if (p[0] != '0' && k < 2)
		return tr_fail(t, "backreferences are not RE2 syntax");
	t->i += k;
	return tr_codepoint(t, cp);
}

/* \Q...\E: copied as it is, up to and with the \E (or the end). */
static int tr_quoted(struct tr *t)
{
	const char *start = (const char *)t->s + t->i - 1;
	const char *e = strstr(start + 2, "\\E");
	size_t n = e ? (size_t)(e - start) + 2 : strlen(start);
	size_t j;

	for (j = 0; j < n; j++)
		if (start[j] & 0x80)
			return tr_fail(t, "non-ASCII text in \\Q...\\E is not "
					  "supported");
	tr_put(t, start, n);
	t->i += n - 1;
	return 0;
}

/* A backslash escape; i is on the backslash. */
static int tr_escape(struct tr *t)
{
	unsigned char c = t->s[++t->i];

	if (c == '\0')
		return tr_fail(t, "a trailing backslash");
	if (c == 'Q')
		return tr_quoted(t);
	if (c == 'x')
		return tr_hex(t);
	if (c >= '0' && c <= '9')
		return tr_octal(t);
	if (c == 'v') { /* RE2: the VT character; PCRE2: a class */
		t->i++;
		return tr_codepoint(t, 0x0b);
	}
	if (c == 'Z' || c == 'G' || c == 'K' || c == 'R' || c == 'X')
		return tr_fail(t, "this escape is not RE2 syntax");
	if (c & 0x80)
		return tr_fail(t, "an escaped non-ASCII character");
	tr_put(t, (const char *)t->s + t->i - 1, 2);
	t->i++;
	return 0;
}

/* One UTF-8 character above ASCII, as its own group of bytes. */
static int tr_utf8(struct tr *t)
{
	size_t k = utf8_lead(t->s[t->i]), j;

	if (t->in_class)
		return tr_fail(t, "a non-ASCII character in a character class "
				  "is not supported");
	for (j = 1; j < k; j++)
		if ((t->s[t->i + j] & 0xc0) != 0x80)
			k = 0;
	if (!k)
		return tr_fail(t, "invalid UTF-8");
	tr_put(t, "(?:", 3);
	tr_put(t, (const char *)t->s + t->i, k);
	tr_put(t, ")", 1);
	t->i += k;
	return 0;
}

/* '[' opening a class: a leading '^' and ']' belong to it. */
static void tr_class_open(struct tr *t)
{
	tr_put(t, "[", 1);
	t->i++;
	t->in_class = 1;
	if (t->s[t->i] == '^') {
		tr_put(t, "^", 1);
		t->i++;
	}
	if (t->s[t->i] == ']') {
		tr_put(t, "\\]", 2);
		t->i++;
	}
}

/* Inside a class: [:name:] passes, other '[' are literal for Go. */
static void tr_class_bracket(struct tr *t)
{
	const char *p = (const char *)t->s + t->i;
	const char *e = strstr(p, ":]");

	if (p[1] == ':' && e) {
		tr_put(t, p, (size_t)(e - p) + 2);
		t->i += (size_t)(e - p) + 2;
		return;
	}
	tr_put(t, "\\[", 2);
	t->i++;
}

static int tr_step(struct tr *t)
{
	unsigned char c = t->s[t->i];

	if (c == '\\')
		return tr_escape(t);
	if (c & 0x80)
		return tr_utf8(t);
	if (t->in_class) {
		if (c == '[') {
			tr_class_bracket(t);
			return 0;
		}
		t->in_class = c != ']';
	} else if (c == '[') {
		tr_class_open(t);
		return 0;
	} else if (c == '{' && t->s[t->i + 1] == ',') {
		/* RE2 reads "{," literally; newer PCRE2 as {0,n}. */
		tr_put(t, "\\", 1);
	}
	tr_put(t, (const char *)&t->s[t->i], 1);
	t->i++;
	return 0;
}

char *secret_re2_to_pcre2(const char *re, char *err, size_t errlen)
{
	struct tr t;
	size_t len = strlen(re);

	memset(&t, 0, sizeof(t));
	t.s = (const unsigned char *)re;
	t.out = malloc(len * 5 + 1);
	t.err = err;
	t.errlen = errlen;
	if (!t.out) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	while (t.s[t.i])
		if (tr_step(&t)) {
			free(t.out);
			return NULL;
		}
	t.out[t.n] = '\0';
	return t.out;
}

/* ---- reading the JSON ---------------------------------------------------- */

static const cJSON *get(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static void strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

/* A list of strings (absent: none).  -1 after logging when not one. */
static int get_strings(struct gl *g, const cJSON *o, const char *key,
		       char ***out, size_t *n)
{
	const cJSON *v = get(o, key), *it;

	*out = NULL;
	*n = 0;
	if (!v)
		return 0;
	if (!cJSON_IsArray(v))
		goto bad;
	*out = calloc((size_t)cJSON_GetArraySize(v) + 1, sizeof(char *));
	if (!*out)
		return -1;
	cJSON_ArrayForEach(it, v) {
		if (!cJSON_IsString(it))
			goto bad;
		if (!((*out)[*n] = strdup(it->valuestring)))
			return -1;
		(*n)++;
	}
	return 0;
bad:
	gl_log(g, GK_LOG_ERROR, "'%s' must be a list of strings", key);
	return -1;
}

static const char *get_string(struct gl *g, const cJSON *o, const char *key,
			      int *bad)
{
	const cJSON *v = get(o, key);

	if (!v)
		return NULL;
	if (cJSON_IsString(v))
		return v->valuestring;
	gl_log(g, GK_LOG_ERROR, "'%s' must be a string", key);
	*bad = 1;
	return NULL;
}

/* ---- compiling ----------------------------------------------------------- */

static pcre2_code *gl_compile(struct gl *g, const char *field,
			      const char *re2, int jit)
{
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off;
	char why[256];
	char *pattern = secret_re2_to_pcre2(re2, why, sizeof(why));
	pcre2_code *re;
	uint32_t ncap = 0;
	int err;

	if (!pattern) {
		gl_log(g, GK_LOG_ERROR, "%s: %s", field, why);
		return NULL;
	}
	re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
			   PCRE2_DOLLAR_ENDONLY, &err, &off, NULL);
	free(pattern);
	if (!re) {
		pcre2_get_error_message(err, msg, sizeof(msg));
		gl_log(g, GK_LOG_ERROR, "%s: %s (translated, at offset %zu)",
		       field, (const char *)msg, (size_t)off);
		return NULL;
	}
	if (jit)
		(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &ncap);
	if (ncap > g->st->max_groups)
		g->st->max_groups = ncap;
	return re;
}

static int compile_all(struct gl *g, const char *field, char **src, size_t n,
		       pcre2_code ***out)
{
	size_t i;

	*out = n ? calloc(n, sizeof(**out)) : NULL;
	if (n && !*out)
		return -1;
	for (i = 0; i < n; i++)
		if (!((*out)[i] = gl_compile(g, field, src[i], 0)))
			return -1;
	return 0;
}

static void codes_free(pcre2_code **v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		pcre2_code_free(v[i]);
	free(v);
}

/* ---- allowlists ---------------------------------------------------------- */

void secret_allowlists_free(struct secret_allowlist *a, size_t n)
{
	size_t i;

	for (i = 0; a && i < n; i++) {
		codes_free(a[i].res, a[i].nres);
		codes_free(a[i].paths, a[i].npaths);
		strv_free(a[i].stopwords, a[i].nstopwords);
	}
	free(a);
}

static int normalise_stopwords(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char *norm = secret_stopword_norm((const unsigned char *)v[i],
						  strlen(v[i]));

		if (!norm)
			return -1;
		free(v[i]);
		v[i] = norm;
	}
	return 0;
}

static int read_target(struct gl *g, const cJSON *j, struct secret_allowlist *a)
{
	int bad = 0;
	const char *cond = get_string(g, j, "condition", &bad);
	const char *tgt = get_string(g, j, "regexTarget", &bad);

	if (bad)
		return -1;
	a->and = cond && strcmp(cond, "AND") == 0;
	if (cond && !a->and && strcmp(cond, "OR") != 0) {
		gl_log(g, GK_LOG_ERROR, "condition must be OR or AND");
		return -1;
	}
	if (!tgt || strcmp(tgt, "secret") == 0)
		a->target = SECRET_TARGET_SECRET;
	else if (strcmp(tgt, "match") == 0)
		a->target = SECRET_TARGET_MATCH;
	else if (strcmp(tgt, "line") == 0)
		a->target = SECRET_TARGET_LINE;
	else {
		gl_log(g, GK_LOG_ERROR, "regexTarget must be secret, match or "
		       "line");
		return -1;
	}
	return 0;
}

/* Commits cannot be seen by a plugin: the list is ignored, once said. */
static void note_commits(struct gl *g, const cJSON *j)
{
	if (!get(j, "commits") || g->commits_warned)
		return;
	g->commits_warned = 1;
	gl_log(g, GK_LOG_WARN, "allowlist 'commits' is not supported and "
	       "ignored; use .gitleaksignore or .gatekeeperignore entries");
}

static int read_allowlist(struct gl *g, const cJSON *j,
			  struct secret_allowlist *a)
{
	char **res = NULL, **paths = NULL;
	int rc = -1;

	memset(a, 0, sizeof(*a));
	if (!cJSON_IsObject(j)) {
		gl_log(g, GK_LOG_ERROR, "an allowlist must be a table");
		return -1;
	}
	note_commits(g, j);
	if (read_target(g, j, a) ||
	    get_strings(g, j, "regexes", &res, &a->nres) ||
	    get_strings(g, j, "paths", &paths, &a->npaths) ||
	    get_strings(g, j, "stopwords", &a->stopwords, &a->nstopwords) ||
	    normalise_stopwords(a->stopwords, a->nstopwords) ||
	    compile_all(g, "allowlist regex", res, a->nres, &a->res) ||
	    compile_all(g, "allowlist path", paths, a->npaths, &a->paths))
		goto done;
	rc = 0;
done:
	strv_free(res, a->nres);
	strv_free(paths, a->npaths);
	return rc;
}

/* Can the rule's flat lists (secret regexes, paths, stopwords, any one
 * of which allows) say the same? */
static int flat(const struct secret_allowlist *a)
{
	int kinds = (a->nres > 0) + (a->npaths > 0) + (a->nstopwords > 0);

	return (a->target == SECRET_TARGET_SECRET || a->nres == 0) &&
	       (!a->and || kinds <= 1);
}

static int append_codes(pcre2_code ***v, size_t *n, pcre2_code *const *add,
			size_t nadd)
{
	pcre2_code **g;
	size_t i;

	if (!nadd)
		return 0;
	g = realloc(*v, (*n + nadd) * sizeof(*g));
	if (!g)
		return -1;
	*v = g;
	for (i = 0; i < nadd; i++)
		if (!(g[(*n)++] = pcre2_code_copy(add[i])))
			return -1;
	return 0;
}

static int append_strings(char ***v, size_t *n, char *const *add,
			  size_t nadd)
{
	char **g;
	size_t i;

	if (!nadd)
		return 0;
	g = realloc(*v, (*n + nadd + 1) * sizeof(*g));
	if (!g)
		return -1;
	*v = g;
	for (i = 0; i < nadd; i++)
		if (!(g[(*n)++] = strdup(add[i])))
			return -1;
	return 0;
}

/* A copy of a (codes copied, not shared) at the end of r's allowlists. */
static int attach(struct secret_rule *r, const struct secret_allowlist *a)
{
	struct secret_allowlist *g, *c;

	g = realloc(r->allowlists, (r->nallowlists + 1) * sizeof(*g));
	if (!g)
		return -1;
	r->allowlists = g;
	c = &g[r->nallowlists++];
	memset(c, 0, sizeof(*c));
	c->and = a->and;
	c->target = a->target;
	return append_codes(&c->res, &c->nres, a->res, a->nres) ||
	       append_codes(&c->paths, &c->npaths, a->paths, a->npaths) ||
	       append_strings(&c->stopwords, &c->nstopwords, a->stopwords,
			      a->nstopwords);
}

/* Adds allowlist a to rule r: into the flat lists when they can hold it. */
static int allow_add(struct secret_rule *r, const struct secret_allowlist *a)
{
	if (!flat(a))
		return attach(r, a);
	return append_codes(&r->allow_res, &r->nallow_res, a->res, a->nres) ||
	       append_codes(&r->allow_paths, &r->nallow_paths, a->paths,
			    a->npaths) ||
	       append_strings(&r->stopwords, &r->nstopwords, a->stopwords,
			      a->nstopwords);
}

/* A rule's allowlists: [[rules.allowlists]] and the older [rules.allowlist]. */
static int rule_allowlists(struct gl *g, const cJSON *j,
			   struct secret_rule *r)
{
	const cJSON *list = get(j, "allowlists"), *one = get(j, "allowlist");
	const cJSON *it;
	struct secret_allowlist a;
	int rc = 0;

	if (list && !cJSON_IsArray(list)) {
		gl_log(g, GK_LOG_ERROR, "'allowlists' must be an array of "
		       "tables");
		return -1;
	}
	cJSON_ArrayForEach(it, list) {
		rc = read_allowlist(g, it, &a) || allow_add(r, &a);
		codes_free(a.res, a.nres);
		codes_free(a.paths, a.npaths);
		strv_free(a.stopwords, a.nstopwords);
		if (rc)
			return -1;
	}
	if (one) {
		rc = read_allowlist(g, one, &a) || allow_add(r, &a);
		codes_free(a.res, a.nres);
		codes_free(a.paths, a.npaths);
		strv_free(a.stopwords, a.nstopwords);
	}
	return rc ? -1 : 0;
}

/* ---- rules --------------------------------------------------------------- */

static int valid_id(const char *id)
{
	const char *p;

	if (!id || !*id || strlen(id) > 128)
		return 0;
	for (p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		      *p == '.'))
			return 0;
	return 1;
}

static void warn_unknown(struct gl *g, const cJSON *j)
{
	const cJSON *it;
	size_t k;

	cJSON_ArrayForEach(it, j) {
		for (k = 0; rule_keys[k]; k++)
			if (strcmp(rule_keys[k], it->string) == 0)
				break;
		if (!rule_keys[k])
			gl_log(g, GK_LOG_WARN, "unknown field '%s' ignored",
			       it->string);
	}
}

static char *concat(const char *a, const char *b)
{
	size_t len = strlen(a) + strlen(b) + 1;
	char *s = malloc(len);

	if (s)
		snprintf(s, len, "%s%s", a, b);
	return s;
}

static int rule_texts(struct gl *g, const cJSON *j, struct secret_rule *r)
{
	int bad = 0;
	const char *d = get_string(g, j, "description", &bad);

	if (bad)
		return -1;
	r->title = strdup(d && *d ? d : r->id);
	r->description = strdup(d ? d : "");
	r->message = concat(r->title, " (gitleaks rule)");
	r->severity = GK_SEV_HIGH;
	r->generic = strncmp(r->id, "generic", 7) == 0;
	r->multiline = 1;
	return r->title && r->description && r->message ? 0 : -1;
}

static int rule_group(struct gl *g, const cJSON *j, struct secret_rule *r)
{
	const cJSON *v = get(j, "secretGroup");
	uint32_t ncap = 0;

	pcre2_pattern_info(r->re, PCRE2_INFO_CAPTURECOUNT, &ncap);
	r->group = ncap > 0;
	if (!v)
		return 0;
	if (!cJSON_IsNumber(v) || v->valuedouble < 0 ||
	    v->valuedouble > ncap || v->valuedouble != (int)v->valuedouble) {
		gl_log(g, GK_LOG_ERROR, "secretGroup must be a group of the "
		       "regex (it has %u)", (unsigned)ncap);
		return -1;
	}
	r->group = (uint32_t)v->valuedouble;
	return 0;
}

static int rule_patterns(struct gl *g, const cJSON *j, struct secret_rule *r)
{
	int bad = 0;
	const char *regex = get_string(g, j, "regex", &bad);
	const char *path = get_string(g, j, "path", &bad);

	if (bad)
		return -1;
	if ((!regex || !*regex) && !path) {
		gl_log(g, GK_LOG_ERROR, "needs a regex or a path");
		return -1;
	}
	if (path && !(r->path_re = gl_compile(g, "path", path, 1)))
		return -1;
	if (!regex || !*regex)
		return 0;
	if (!(r->re = gl_compile(g, "regex", regex, 0)))
		return -1;
	return rule_group(g, j, r);
}

static int rule_numbers(struct gl *g, const cJSON *j, struct secret_rule *r)
{
	const cJSON *v = get(j, "entropy");

	if (!v)
		return 0;
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0 &&
				    v->valuedouble <= 8)) {
		gl_log(g, GK_LOG_ERROR, "entropy must be a number from 0 to 8");
		return -1;
	}
	r->entropy = v->valuedouble;
	return 0;
}

/* Keywords are lower-cased; one the prefilter cannot hold (shorter than
 * two or longer than SECRET_MAX_KEYWORD bytes) drops them all, so the
 * rule runs on every file rather than missing some. */
static int rule_keywords(struct gl *g, const cJSON *j, struct secret_rule *r)
{
	size_t i, k, len;

	if (get_strings(g, j, "keywords", &r->keywords, &r->nkeywords))
		return -1;
	for (i = 0; i < r->nkeywords; i++) {
		len = strlen(r->keywords[i]);
		if (len < 2 || len > SECRET_MAX_KEYWORD) {
			strv_free(r->keywords, r->nkeywords);
			r->keywords = NULL;
			r->nkeywords = 0;
			return 0;
		}
		for (k = 0; k < len; k++)
			if (r->keywords[i][k] >= 'A' && r->keywords[i][k] <= 'Z')
				r->keywords[i][k] += 'a' - 'A';
	}
	return 0;
}

static int rule_tags(struct gl *g, const cJSON *j, struct secret_rule *r)
{
	char **tags;
	size_t n, i, len = sizeof("secret");

	if (get_strings(g, j, "tags", &tags, &n))
		return -1;
	for (i = 0; i < n; i++)
		len += strlen(tags[i]) + 1;
	r->tags = malloc(len);
	if (r->tags) {
		strcpy(r->tags, "secret");
		for (i = 0; i < n; i++) {
			strcat(r->tags, ",");
			strcat(r->tags, tags[i]);
		}
	}
	strv_free(tags, n);
	return r->tags ? 0 : -1;
}

static int rule_read(struct gl *g, const cJSON *j, struct secret_rule *r)
{
	const cJSON *id = get(j, "id");

	memset(r, 0, sizeof(*r));
	g->id = NULL;
	if (!cJSON_IsObject(j)) {
		gl_log(g, GK_LOG_ERROR, "a rule must be a table");
		return -1;
	}
	if (!cJSON_IsString(id) || !valid_id(id->valuestring)) {
		gl_log(g, GK_LOG_ERROR, "a rule needs an id made of letters, "
		       "digits, '-', '_' and '.'");
		return -1;
	}
	g->id = id->valuestring;
	if (!(r->id = strdup(id->valuestring)))
		return -1;
	warn_unknown(g, j);
	return rule_texts(g, j, r) || rule_patterns(g, j, r) ||
	       rule_numbers(g, j, r) || rule_keywords(g, j, r) ||
	       rule_tags(g, j, r) || rule_allowlists(g, j, r);
}

static long find_rule(const struct secret_state *st, const char *id)
{
	size_t i;

	for (i = 0; i < st->nrules; i++)
		if (strcmp(st->rules[i].id, id) == 0)
			return (long)i;
	return -1;
}

/* Takes r into st: replaces a rule of the same id, else appends. */
static int rule_put(struct secret_state *st, struct secret_rule *r)
{
	long at = find_rule(st, r->id);

	if (at >= 0) {
		secret_rule_release(&st->rules[at]);
		st->rules[at] = *r;
		return 0;
	}
	if (st->nrules == st->cap_rules) {
		size_t cap = st->cap_rules ? st->cap_rules * 2 : 64;
		struct secret_rule *n = realloc(st->rules, cap * sizeof(*n));

		if (!n)
			return -1;
		st->rules = n;
		st->cap_rules = cap;
	}
	st->rules[st->nrules++] = *r;
	return 0;
}

static int add_rules(struct gl *g, const cJSON *cfg)
{
	const cJSON *rules = get(cfg, "rules"), *it;
	struct secret_rule r;
	int rc = 0;

	if (rules && !cJSON_IsArray(rules)) {
		gl_log(g, GK_LOG_ERROR, "'rules' must be an array of tables");
		return -1;
	}
	if (cJSON_GetArraySize(rules) > MAX_GITLEAKS_RULES) {
		gl_log(g, GK_LOG_ERROR, "more than %d rules",
		       MAX_GITLEAKS_RULES);
		return -1;
	}
	cJSON_ArrayForEach(it, rules) {
		if (rule_read(g, it, &r) == 0 && rule_put(g->st, &r) == 0)
			continue;
		secret_rule_release(&r);
		g->st->nerrors++;
		rc = -1;
	}
	g->id = NULL;
	return rc;
}

/* ---- configurations ------------------------------------------------------ */

static void disable_rules(struct gl *g, const cJSON *cfg)
{
	const cJSON *ids = get(get(cfg, "extend"), "disabledRules"), *it;
	struct secret_state *st = g->st;
	long at;

	cJSON_ArrayForEach(it, ids) {
		if (!cJSON_IsString(it))
			continue;
		at = find_rule(st, it->valuestring);
		if (at < 0) {
			gl_log(g, GK_LOG_WARN, "disabledRules: no rule '%s'",
			       it->valuestring);
			continue;
		}
		secret_rule_release(&st->rules[at]);
		memmove(&st->rules[at], &st->rules[at + 1],
			(st->nrules - (size_t)at - 1) * sizeof(*st->rules));
		st->nrules--;
	}
}

static int targeted(const cJSON *targets, const char *id)
{
	const cJSON *it;

	if (cJSON_GetArraySize(targets) == 0)
		return 1;
	cJSON_ArrayForEach(it, targets)
		if (cJSON_IsString(it) && strcmp(it->valuestring, id) == 0)
			return 1;
	return 0;
}

/* One global allowlist, applied to each rule it targets. */
static int global_allowlist(struct gl *g, const cJSON *j)
{
	const cJSON *targets = get(j, "targetRules");
	struct secret_allowlist a;
	size_t i;
	int rc;

	if (targets && !cJSON_IsArray(targets)) {
		gl_log(g, GK_LOG_ERROR, "'targetRules' must be a list of ids");
		return -1;
	}
	rc = read_allowlist(g, j, &a);
	for (i = 0; rc == 0 && i < g->st->nrules; i++)
		if (targeted(targets, g->st->rules[i].id))
			rc = allow_add(&g->st->rules[i], &a);
	codes_free(a.res, a.nres);
	codes_free(a.paths, a.npaths);
	strv_free(a.stopwords, a.nstopwords);
	return rc;
}

static int global_allowlists(struct gl *g, const cJSON *cfg)
{
	const cJSON *list = get(cfg, "allowlists"), *one = get(cfg, "allowlist");
	const cJSON *it;

	if (one && global_allowlist(g, one))
		return -1;
	if (list && !cJSON_IsArray(list)) {
		gl_log(g, GK_LOG_ERROR, "'allowlists' must be an array of "
		       "tables");
		return -1;
	}
	cJSON_ArrayForEach(it, list)
		if (global_allowlist(g, it))
			return -1;
	return 0;
}

static const char *source_of(const cJSON *cfg)
{
	const cJSON *s = get(cfg, "source");

	return cJSON_IsString(s) ? s->valuestring : ".gitleaks.toml";
}

int secret_gitleaks_keeps_defaults(const cJSON *gl)
{
	const cJSON *cfg;
	int rules = 0;

	cJSON_ArrayForEach(cfg, gl) {
		if (cJSON_IsTrue(get(get(cfg, "extend"), "useDefault")))
			return 1;
		rules |= cJSON_GetArraySize(get(cfg, "rules")) > 0;
	}
	return !rules;
}

int secret_gitleaks_load(struct secret_state *st, const cJSON *gl)
{
	struct gl g = { st, NULL, NULL, 0 };
	const cJSON *cfg;

	if (!cJSON_IsArray(gl)) {
		st->api->log(st->host, GK_LOG_ERROR,
			     "config: 'gitleaks' must be a list of parsed "
			     "configurations");
		return -1;
	}
	if (secret_gitleaks_keeps_defaults(gl))
		st->api->log(st->host, GK_LOG_INFO, "gitleaks: gatekeeper's "
			     "own rules run too (useDefault, or no rules)");
	cJSON_ArrayForEach(cfg, gl) {
		g.source = source_of(cfg);
		disable_rules(&g, cfg);
		if (add_rules(&g, cfg) || global_allowlists(&g, cfg))
			return -1;
	}
	return 0;
}

/* ---- judging a match ----------------------------------------------------- */

static int any_match(pcre2_code *const *res, size_t n, const void *s,
		     size_t len, pcre2_match_data *md,
		     pcre2_match_context *mc)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (pcre2_match(res[i], s, len, 0, 0, md, mc) >= 0)
			return 1;
	return 0;
}

static int stopword_hit(const struct secret_allowlist *a,
			const struct secret_texts *t)
{
	char *norm = secret_stopword_norm(t->secret, t->secret_len);
	size_t i;
	int hit = 0;

	for (i = 0; norm && i < a->nstopwords && !hit; i++)
		hit = strcmp(norm, a->stopwords[i]) == 0;
	free(norm);
	return hit;
}

static int allows(const struct secret_allowlist *a,
		  const struct secret_texts *t, pcre2_match_data *md,
		  pcre2_match_context *mc)
{
	const unsigned char *s = a->target == SECRET_TARGET_LINE ? t->line
				 : a->target == SECRET_TARGET_MATCH ? t->match
								    : t->secret;
	size_t len = a->target == SECRET_TARGET_LINE ? t->line_len
		     : a->target == SECRET_TARGET_MATCH ? t->match_len
							: t->secret_len;
	const char *path = t->path ? t->path : "";
	int tests = 0, passed = 0;

	if (a->npaths && ++tests)
		passed += any_match(a->paths, a->npaths, path, strlen(path),
				    md, mc);
	if (a->nres && ++tests)
		passed += any_match(a->res, a->nres, s, len, md, mc);
	if (a->nstopwords && ++tests)
		passed += stopword_hit(a, t);
	return a->and ? tests && passed == tests : passed > 0;
}

int secret_allowlisted(const struct secret_rule *r,
		       const struct secret_texts *t, pcre2_match_data *md,
		       pcre2_match_context *mc)
{
	size_t i;

	for (i = 0; i < r->nallowlists; i++)
		if (allows(&r->allowlists[i], t, md, mc))
			return 1;
	return 0;
}
