/*
 * The Dockerfile checks.  Instructions are walked once, stage by stage;
 * per-instruction checks emit as they go, and the final stage's user and
 * health check are judged at the end.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dockerfile.h"
#include "image.h"
#include "internal.h"
#include "rules.h"

#define MAX_GLOBALS 64
#define MAX_WORD 1024

struct stage {
	char name[128];                /* "AS name", lowercased, or "" */
	const struct ct_instr *from;
	const struct ct_instr *user;   /* the last USER, or NULL */
	const struct ct_instr *health; /* the last HEALTHCHECK, or NULL */
};

struct global_arg {
	char name[128];
	char value[512];
	int has_value;
};

struct df_ctx {
	struct ct_scan *s;
	struct ct_dockerfile df;
	struct stage *stages;
	size_t nstages;
	struct global_arg globals[MAX_GLOBALS];
	size_t nglobals;
};

/* A finding of rule at instruction in, with the strings given. */
static void df_finding(struct gk_finding *f, const struct gk_rule_info *rule,
		       const struct ct_instr *in, const char *msg,
		       const char *snippet, const char *fkey)
{
	memset(f, 0, sizeof(*f));
	f->rule = rule->id;
	f->severity = rule->severity;
	f->title = rule->title;
	f->message = msg;
	f->line = in->line;
	f->end_line = in->end_line;
	f->snippet = snippet;
	f->fingerprint_key = fkey;
}

/* Emits a finding of rule for instruction in; key excludes the line. */
static void df_emit(struct df_ctx *c, const char *rule_id,
		    const struct ct_instr *in, const char *key,
		    const char *snippet, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void df_emit(struct df_ctx *c, const char *rule_id,
		    const struct ct_instr *in, const char *key,
		    const char *snippet, const char *fmt, ...)
{
	const struct gk_rule_info *rule = ct_rule(rule_id);
	struct gk_finding f;
	char msg[512], fkey[700];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(fkey, sizeof(fkey), "%s|%s", rule_id, key);
	df_finding(&f, rule, in, msg, snippet, fkey);
	ct_emit_finding(c->s, &f);
}

/* Does pattern p match subject[0..n)? */
static int re_match(const struct df_ctx *c, enum ct_pattern p,
		    const char *subject, size_t n, size_t *start)
{
	pcre2_match_data *md;
	int rc;

	md = pcre2_match_data_create(1, NULL);
	if (!md)
		return 0;
	rc = pcre2_match(c->s->st->re[p], (PCRE2_SPTR)subject, n, 0, 0, md,
			 NULL);
	if (rc > 0 && start)
		*start = pcre2_get_ovector_pointer(md)[0];
	pcre2_match_data_free(md);
	return rc > 0;
}

/*
 * Reads the next shell-like word of *p into out (quotes removed, the
 * escape character honoured); 0 when no word is left.
 */
static int next_word(const char **p, char esc, char *out, size_t cap)
{
	const char *s = *p;
	size_t n = 0;
	char quote = 0;

	while (*s && isspace((unsigned char)*s))
		s++;
	if (!*s)
		return 0;
	for (; *s && (quote || !isspace((unsigned char)*s)); s++) {
		if (!quote && (*s == '"' || *s == '\'')) {
			quote = *s;
			continue;
		}
		if (quote && *s == quote) {
			quote = 0;
			continue;
		}
		if (*s == esc && s[1] && quote != '\'')
			s++;
		if (n + 1 < cap)
			out[n++] = *s;
	}
	out[n] = '\0';
	*p = s;
	return 1;
}

static const struct global_arg *global_find(const struct df_ctx *c,
					    const char *name, size_t n)
{
	size_t i;

	for (i = c->nglobals; i-- > 0;)
		if (strlen(c->globals[i].name) == n &&
		    strncmp(c->globals[i].name, name, n) == 0)
			return &c->globals[i];
	return NULL;
}

/* Expands one "$NAME" or "${NAME[:-word|:+word]}" at *p into out;
 * an unknown name without a default stays as written. */
static void expand_one(const struct df_ctx *c, const char **p,
		       struct ct_buf *out)
{
	const char *s = *p + 1, *name, *word = NULL, *end;
	int braced = *s == '{', plus = 0;
	const struct global_arg *g;
	size_t n;

	s += braced;
	for (name = s; isalnum((unsigned char)*s) || *s == '_'; s++)
		;
	n = (size_t)(s - name);
	end = s;
	if (braced) {
		end = strchr(s, '}');
		if (!end || n == 0) {
			ct_buf_addc(out, '$');
			*p += 1;
			return;
		}
		if (*s == ':' && (s[1] == '-' || s[1] == '+')) {
			plus = s[1] == '+';
			word = s + 2;
		}
		end++;
	}
	g = global_find(c, name, n);
	if (plus && g && g->has_value && *g->value)
		ct_buf_addn(out, word, (size_t)(end - 1 - word));
	else if (!plus && g && g->has_value && *g->value)
		ct_buf_add(out, g->value);
	else if (word && !plus)
		ct_buf_addn(out, word, (size_t)(end - 1 - word));
	else if (!plus)
		ct_buf_addn(out, *p, (size_t)(end - *p));
	*p = end;
}

/* The FROM image with the global ARGs substituted. */
static const char *expand(const struct df_ctx *c, const char *in,
			  struct ct_buf *out)
{
	ct_buf_reset(out);
	while (*in) {
		if (*in == '$' && (in[1] == '{' || isalpha((unsigned char)in[1]) ||
				   in[1] == '_'))
			expand_one(c, &in, out);
		else
			ct_buf_addc(out, *in++);
	}
	return ct_buf_str(out);
}

static void lower_copy(char *dst, size_t cap, const char *src)
{
	size_t i;

	for (i = 0; i + 1 < cap && src[i]; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[i] = '\0';
}

static const struct stage *stage_named(const struct df_ctx *c,
				       const char *name)
{
	char lower[128];
	size_t i;

	lower_copy(lower, sizeof(lower), name);
	for (i = 0; i + 1 < c->nstages; i++)
		if (c->stages[i].name[0] &&
		    strcmp(c->stages[i].name, lower) == 0)
			return &c->stages[i];
	return NULL;
}

static void on_from(struct df_ctx *c, const struct ct_instr *in)
{
	char word[MAX_WORD], image[MAX_WORD] = "";
	struct stage *st = &c->stages[c->nstages++];
	const struct stage *parent;
	const char *p = in->args;
	int want_alias = 0;

	memset(st, 0, sizeof(*st));
	st->from = in;
	while (next_word(&p, c->df.escape, word, sizeof(word))) {
		if (want_alias)
			lower_copy(st->name, sizeof(st->name), word);
		want_alias = strcasecmp(word, "as") == 0;
		if (!image[0] && strncmp(word, "--", 2) != 0)
			memcpy(image, word, sizeof(word));
	}
	parent = image[0] ? stage_named(c, image) : NULL;
	if (parent) {
		st->user = parent->user;
		st->health = parent->health;
		return;
	}
	if (!image[0] || strcasecmp(image, "scratch") == 0)
		return;
	ct_image_check(c->s, expand(c, image, &c->s->t[3]), in->line,
		       "base image");
}

/* Names that say their value is a credential; public keys, key ids and
 * paths to secret files are not. */
static int secret_name(const char *name)
{
	static const char *const strong[] = { "PASSWORD", "PASSWD", "SECRET",
					      "TOKEN", "APIKEY", "PRIVATEKEY",
					      NULL };
	static const char *const benign = " GPG PGP PUBLIC PUB FILE PATH DIR "
					  "URL URI ID NAME HOST ENDPOINT SIZE "
					  "LENGTH TYPE ALGORITHM FINGERPRINT "
					  "SERVER VERSION ";
	char up[128], word[132];
	const char *w;
	size_t i, n;
	int hit = 0;

	for (i = 0; i + 1 < sizeof(up) && name[i]; i++)
		up[i] = (char)toupper((unsigned char)name[i]);
	up[i] = '\0';
	for (i = 0; strong[i]; i++)
		hit |= strstr(up, strong[i]) != NULL;
	for (w = up; *w; w += n + (w[n] != '\0')) {
		n = strcspn(w, "_-.");
		snprintf(word, sizeof(word), " %.*s ", (int)n, w);
		if (strstr(benign, word))
			return 0;
		hit |= strcmp(word, " KEY ") == 0;
	}
	return hit;
}

static void secret_emit(struct df_ctx *c, const struct ct_instr *in,
			const char *name, const char *value)
{
	const struct gk_rule_info *rule = ct_rule(CT_RULE_SECRET_ENV);
	char msg[400], snippet[300], key[300], hash[65];
	struct gk_finding f;

	snprintf(msg, sizeof(msg), "%s %s is given a literal value, stored "
		 "in the image", in->cmd, name);
	snprintf(snippet, sizeof(snippet), "%s %s=****", in->cmd, name);
	snprintf(key, sizeof(key), "%s|%s", rule->id, name);
	c->s->st->api->sha256_hex(value, strlen(value), hash);

	df_finding(&f, rule, in, msg, snippet, key);
	f.secret_hash = hash;
	/* marked so that policies treat it as the secret it is */
	f.extra_json = "{\"class\":\"secret\"}";
	ct_emit_finding(c->s, &f);
}

static void check_secret(struct df_ctx *c, const struct ct_instr *in,
			 const char *name, const char *value)
{
	if (value && *value && !strchr(value, '$') && secret_name(name))
		secret_emit(c, in, name, value);
}

static void global_add(struct df_ctx *c, const char *name,
		       const char *value)
{
	struct global_arg *g;

	if (c->nglobals == MAX_GLOBALS)
		return;
	g = &c->globals[c->nglobals++];
	snprintf(g->name, sizeof(g->name), "%.127s", name);
	snprintf(g->value, sizeof(g->value), "%.511s", value ? value : "");
	g->has_value = value != NULL;
}

/* ARG name[=value] ...; before the first FROM they feed FROM lines. */
static void on_arg(struct df_ctx *c, const struct ct_instr *in)
{
	const char *p = in->args;
	char word[MAX_WORD];

	while (next_word(&p, c->df.escape, word, sizeof(word))) {
		char *eq = strchr(word, '=');

		if (eq)
			*eq++ = '\0';
		if (c->nstages == 0)
			global_add(c, word, eq);
		check_secret(c, in, word, eq);
	}
}

/* ENV name=value ..., or the legacy ENV name value. */
static void on_env(struct df_ctx *c, const struct ct_instr *in)
{
	const char *p = in->args;
	char word[MAX_WORD], rest[MAX_WORD];

	if (!next_word(&p, c->df.escape, word, sizeof(word)))
		return;
	if (!strchr(word, '=')) {
		while (*p && isspace((unsigned char)*p))
			p++;
		snprintf(rest, sizeof(rest), "%s", p);
		check_secret(c, in, word, rest);
		return;
	}
	do {
		char *eq = strchr(word, '=');

		if (!eq)
			continue;
		*eq++ = '\0';
		check_secret(c, in, word, eq);
	} while (next_word(&p, c->df.escape, word, sizeof(word)));
}

/* Length of the shell command at s: up to ; | && or a newline. */
static size_t command_len(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (s[i] == ';' || s[i] == '\n' || s[i] == '|' ||
		    (s[i] == '&' && s[i + 1] == '&'))
			break;
	return i;
}

static int lists_cleaned(const struct df_ctx *c, const char *a, size_t n)
{
	return re_match(c, CT_RE_APT_LISTS, a, n, NULL) ||
	       (strstr(a, "--mount=") && strstr(a, "type=cache") &&
		strstr(a, "/var/lib/apt"));
}

static void check_apt(struct df_ctx *c, const struct ct_instr *in)
{
	const char *a = in->args;
	size_t n = strlen(a), off = 0, start, len;
	int installs = 0, recommends = 0;

	while (off < n && re_match(c, CT_RE_APT_INSTALL, a + off, n - off,
				   &start)) {
		len = command_len(a + off + start);
		installs++;
		if (!re_match(c, CT_RE_APT_NORECOMMENDS, a + off + start, len,
			      NULL))
			recommends++;
		off += start + (len ? len : 1);
	}
	if (recommends)
		df_emit(c, CT_RULE_APT_RECOMMENDS, in, in->args, NULL,
			"apt-get install without --no-install-recommends");
	if (installs && !lists_cleaned(c, a, n))
		df_emit(c, CT_RULE_APT_LISTS, in, in->args, NULL,
			"apt-get install leaves /var/lib/apt/lists in the "
			"layer");
}

static void on_run(struct df_ctx *c, const struct ct_instr *in)
{
	size_t n = strlen(in->args);

	if (re_match(c, CT_RE_PIPE_SHELL, in->args, n, NULL))
		df_emit(c, CT_RULE_PIPE_SHELL, in, in->args, NULL,
			"a download is piped straight into a shell");
	if (re_match(c, CT_RE_SUDO, in->args, n, NULL))
		df_emit(c, CT_RULE_SUDO, in, in->args, NULL,
			"RUN uses sudo");
	check_apt(c, in);
}

static int is_url(const char *w)
{
	while (*w == '[')
		w++;
	return strncasecmp(w, "http://", 7) == 0 ||
	       strncasecmp(w, "https://", 8) == 0;
}

static void on_add(struct df_ctx *c, const struct ct_instr *in)
{
	const char *p = in->args;
	char word[MAX_WORD], url[MAX_WORD] = "";
	int checksum = 0, nwords = 0;

	while (next_word(&p, c->df.escape, word, sizeof(word))) {
		if (strncmp(word, "--", 2) == 0) {
			checksum |= strncmp(word, "--checksum=", 11) == 0;
			continue;
		}
		nwords++;
		if (is_url(word) && !url[0])
			memcpy(url, word, sizeof(word));
	}
	if (url[0] && !checksum && nwords >= 2)
		df_emit(c, CT_RULE_ADD_URL, in, url, NULL,
			"ADD downloads a remote file without a checksum");
}

static int port_is_ssh(const char *w)
{
	char *end;
	long lo = strtol(w, &end, 10), hi = lo;

	if (end == w)
		return 0;
	if (*end == '-')
		hi = strtol(end + 1, &end, 10);
	if (*end && *end != '/')
		return 0;
	return lo <= 22 && 22 <= hi;
}

static void on_expose(struct df_ctx *c, const struct ct_instr *in)
{
	const char *p = in->args;
	char word[MAX_WORD], snippet[300];

	while (next_word(&p, c->df.escape, word, sizeof(word)))
		if (port_is_ssh(word)) {
			snprintf(snippet, sizeof(snippet), "EXPOSE %.280s",
				 in->args);
			df_emit(c, CT_RULE_EXPOSE_SSH, in, word, snippet,
				"port 22 (SSH) is exposed");
			return;
		}
}

static int user_is_root(const char *args)
{
	size_t n = strcspn(args, ": \t");

	return (n == 4 && strncmp(args, "root", 4) == 0) ||
	       (n == 1 && args[0] == '0');
}

/* The final stage decides who the container runs as, and its probe. */
static void check_final_stage(struct df_ctx *c)
{
	const struct stage *st;

	if (!c->nstages)
		return;
	st = &c->stages[c->nstages - 1];
	if (!st->user)
		df_emit(c, CT_RULE_ROOT_USER, st->from, "no-user", NULL,
			"the final stage sets no USER: the container runs "
			"as root");
	else if (user_is_root(st->user->args))
		df_emit(c, CT_RULE_ROOT_USER, st->user, "root", "USER root",
			"the final USER is root");
	if (!st->health)
		df_emit(c, CT_RULE_NO_HEALTHCHECK, st->from, "final", NULL,
			"the final stage has no HEALTHCHECK");
}

static void on_instruction(struct df_ctx *c, const struct ct_instr *in)
{
	struct stage *st = c->nstages ? &c->stages[c->nstages - 1] : NULL;
	const char *cmd = in->cmd;

	if (strcmp(cmd, "FROM") == 0)
		on_from(c, in);
	else if (strcmp(cmd, "ARG") == 0)
		on_arg(c, in);
	else if (!st)
		return;
	else if (strcmp(cmd, "ENV") == 0)
		on_env(c, in);
	else if (strcmp(cmd, "RUN") == 0)
		on_run(c, in);
	else if (strcmp(cmd, "ADD") == 0)
		on_add(c, in);
	else if (strcmp(cmd, "EXPOSE") == 0)
		on_expose(c, in);
	else if (strcmp(cmd, "USER") == 0)
		st->user = in;
	else if (strcmp(cmd, "HEALTHCHECK") == 0)
		st->health = in;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

int ct_dockerfile_wants(const char *path)
{
	const char *b = base_name(path);
	size_t n = strlen(b);

	if (n > 13 && strcasecmp(b + n - 13, ".dockerignore") == 0)
		return 0;
	return strcasecmp(b, "Dockerfile") == 0 ||
	       strcasecmp(b, "Containerfile") == 0 ||
	       strncasecmp(b, "Dockerfile.", 11) == 0 ||
	       strncasecmp(b, "Containerfile.", 14) == 0 ||
	       (n > 11 && strcasecmp(b + n - 11, ".Dockerfile") == 0) ||
	       (n > 14 && strcasecmp(b + n - 14, ".Containerfile") == 0);
}

int ct_dockerfile_scan(struct ct_scan *s)
{
	struct df_ctx c;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.s = s;
	if (ct_dockerfile_parse((const char *)s->file->data, s->file->size,
				&c.df))
		return -1;
	if (c.df.truncated)
		ct_log(s, GK_LOG_WARN, "a Dockerfile limit was reached (%d "
		       "instructions, %zu bytes a line); the rest is unchecked",
		       CT_DF_MAX_INSTR, CT_DF_MAX_LINE);
	c.stages = calloc(c.df.n ? c.df.n : 1, sizeof(*c.stages));
	if (!c.stages) {
		ct_dockerfile_release(&c.df);
		return -1;
	}
	for (i = 0; i < c.df.n; i++)
		on_instruction(&c, &c.df.ins[i]);
	check_final_stage(&c);
	free(c.stages);
	ct_dockerfile_release(&c.df);
	return 0;
}
