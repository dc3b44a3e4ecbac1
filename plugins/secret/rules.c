/*
 * Loading secret rules from YAML files (format: docs/rules.md).
 *
 * A file holds a mapping whose "rules" key is a list of rule mappings.  A
 * rule that fails to load is logged as one line naming the file, the line
 * and the rule id, counted in st->nerrors and skipped; the other rules of
 * the file still load.  A rule's regex is compiled here and JIT-compiled
 * on its first use (secret_rule_jit()).
 */
#include "secret.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

/* What the loader of one file carries from rule to rule. */
struct loader {
	struct secret_state *st;
	const char *file;
	yaml_document_t *doc;
	int line;       /* 1-based line of the rule being read */
	const char *id; /* the rule's id once known, else "?" */
};

static const char *const known_keys[] = {
	"id", "title", "description", "help", "message", "regex",
	"secret_group", "keywords", "entropy", "path", "allowlist",
	"severity", "tags", "precision", "multiline", "generic", NULL
};

static const char *const severity_names[] = {
	"info", "low", "medium", "high", "critical", NULL
};

static const char *const precision_names[] = {
	"very-high", "high", "medium", "low", NULL
};

static void rule_log(struct loader *ld, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void rule_log(struct loader *ld, int level, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ld->st->api->log(ld->st->host, level, "'%s' line %d: rule '%s': %s",
			 ld->file, ld->line, ld->id, msg);
}

static int name_index(const char *const *names, const char *s)
{
	int i;

	for (i = 0; names[i]; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

static yaml_node_t *map_get(yaml_document_t *doc, yaml_node_t *map,
			    const char *key)
{
	yaml_node_pair_t *p;

	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);

		if (k && k->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)k->data.scalar.value, key) == 0)
			return yaml_document_get_node(doc, p->value);
	}
	return NULL;
}

static const char *scalar_of(yaml_node_t *n)
{
	if (!n || n->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)n->data.scalar.value;
}

/* A scalar field: NULL when absent; logs and fails when not a scalar. */
static int get_scalar(struct loader *ld, yaml_node_t *map, const char *key,
		      const char **out)
{
	yaml_node_t *n = map_get(ld->doc, map, key);

	*out = NULL;
	if (!n)
		return 0;
	*out = scalar_of(n);
	if (!*out) {
		rule_log(ld, GK_LOG_ERROR, "'%s' must be a string", key);
		return -1;
	}
	return 0;
}

static int dup_field(struct loader *ld, yaml_node_t *map, const char *key,
		     const char *dflt, char **out)
{
	const char *s;

	if (get_scalar(ld, map, key, &s))
		return -1;
	if (!s)
		s = dflt;
	*out = s ? strdup(s) : NULL;
	return (s && !*out) ? -1 : 0;
}

static void strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* A list of strings: a sequence of scalars, or one scalar. */
static int get_list(struct loader *ld, yaml_node_t *map, const char *key,
		    char ***out, size_t *nout)
{
	yaml_node_t *n = map_get(ld->doc, map, key);
	yaml_node_item_t *it;
	size_t cap;

	*out = NULL;
	*nout = 0;
	if (!n)
		return 0;
	if (n->type == YAML_SCALAR_NODE)
		cap = 1;
	else if (n->type == YAML_SEQUENCE_NODE)
		cap = (size_t)(n->data.sequence.items.top -
			       n->data.sequence.items.start);
	else
		goto bad;
	*out = calloc(cap + 1, sizeof(char *));
	if (!*out)
		return -1;
	if (n->type == YAML_SCALAR_NODE) {
		(*out)[(*nout)++] = strdup(scalar_of(n));
		return (*out)[0] ? 0 : -1;
	}
	for (it = n->data.sequence.items.start;
	     it < n->data.sequence.items.top; it++) {
		const char *s = scalar_of(yaml_document_get_node(ld->doc, *it));

		if (!s)
			goto bad;
		(*out)[*nout] = strdup(s);
		if (!(*out)[(*nout)++])
			return -1;
	}
	return 0;
bad:
	rule_log(ld, GK_LOG_ERROR, "'%s' must be a list of strings", key);
	return -1;
}

/* Compiles a pattern; jit: JIT-compile it now (else secret_rule_jit()). */
static pcre2_code *compile(struct loader *ld, const char *field,
			   const char *pattern, int jit)
{
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off;
	pcre2_code *re;
	uint32_t ncap = 0;
	int err;

	re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
			   PCRE2_MULTILINE, &err, &off, NULL);
	if (!re) {
		pcre2_get_error_message(err, msg, sizeof(msg));
		rule_log(ld, GK_LOG_ERROR, "invalid %s at offset %zu: %s",
			 field, (size_t)off, (const char *)msg);
		return NULL;
	}

	/* Without JIT support the interpreter runs the same pattern. */
	if (jit)
		(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);

	pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &ncap);
	if (ncap > ld->st->max_groups)
		ld->st->max_groups = ncap;
	return re;
}

static int compile_list(struct loader *ld, const char *field, char **src,
			size_t n, pcre2_code ***out)
{
	size_t i;

	if (n == 0)
		return 0;
	*out = calloc(n, sizeof(**out));
	if (!*out)
		return -1;
	for (i = 0; i < n; i++) {
		(*out)[i] = compile(ld, field, src[i], 1);
		if (!(*out)[i])
			return -1;
	}
	return 0;
}

static int parse_texts(struct loader *ld, yaml_node_t *m,
		       struct secret_rule *r)
{
	char *msg = NULL;

	if (dup_field(ld, m, "title", r->id, &r->title) ||
	    dup_field(ld, m, "description", "", &r->description) ||
	    dup_field(ld, m, "help", NULL, &r->help) ||
	    dup_field(ld, m, "message", NULL, &r->message) ||
	    dup_field(ld, m, "precision", "high", &r->precision))
		return -1;
	if (name_index(precision_names, r->precision) < 0) {
		rule_log(ld, GK_LOG_ERROR, "unknown precision '%s'",
			 r->precision);
		return -1;
	}
	if (!r->message) {
		size_t len = strlen(r->title) + sizeof(" found");

		msg = malloc(len);
		if (!msg)
			return -1;
		snprintf(msg, len, "%s found", r->title);
		r->message = msg;
	}
	return 0;
}

static int parse_severity(struct loader *ld, yaml_node_t *m,
			  struct secret_rule *r)
{
	const char *s;

	if (get_scalar(ld, m, "severity", &s))
		return -1;
	r->severity = s ? name_index(severity_names, s) : GK_SEV_MEDIUM;
	if (r->severity < 0) {
		rule_log(ld, GK_LOG_ERROR, "unknown severity '%s'", s);
		return -1;
	}
	return 0;
}

static int parse_bool(struct loader *ld, yaml_node_t *m, const char *key,
		      int *out)
{
	const char *s;

	if (get_scalar(ld, m, key, &s))
		return -1;
	*out = 0;
	if (!s || strcmp(s, "false") == 0 || strcmp(s, "no") == 0)
		return 0;
	if (strcmp(s, "true") == 0 || strcmp(s, "yes") == 0) {
		*out = 1;
		return 0;
	}
	rule_log(ld, GK_LOG_ERROR, "'%s' must be true or false", key);
	return -1;
}

static int parse_number(struct loader *ld, yaml_node_t *m, const char *key,
			double lo, double hi, double *out)
{
	const char *s;
	char *end;

	if (get_scalar(ld, m, key, &s))
		return -1;
	if (!s)
		return 0;
	errno = 0;
	*out = strtod(s, &end);
	if (errno || end == s || *end || !(*out >= lo && *out <= hi)) {
		rule_log(ld, GK_LOG_ERROR,
			 "'%s' must be a number from %g to %g", key, lo, hi);
		return -1;
	}
	return 0;
}

static int parse_patterns(struct loader *ld, yaml_node_t *m,
			  struct secret_rule *r)
{
	const char *regex, *path;
	uint32_t ncap = 0;
	double group = -1;

	if (get_scalar(ld, m, "regex", &regex) ||
	    get_scalar(ld, m, "path", &path))
		return -1;
	if (!regex && !path) {
		rule_log(ld, GK_LOG_ERROR, "needs a regex or a path");
		return -1;
	}
	if (path && !(r->path_re = compile(ld, "path", path, 1)))
		return -1;
	if (!regex)
		return 0;
	if (!(r->re = compile(ld, "regex", regex, 0)))
		return -1;
	pcre2_pattern_info(r->re, PCRE2_INFO_CAPTURECOUNT, &ncap);
	if (parse_number(ld, m, "secret_group", 0, 99, &group))
		return -1;
	r->group = group < 0 ? (ncap > 0) : (uint32_t)group;
	if (r->group > ncap || (group >= 0 && group != (double)r->group)) {
		rule_log(ld, GK_LOG_ERROR,
			 "secret_group %g but the regex has %u groups", group,
			 (unsigned)ncap);
		return -1;
	}
	return 0;
}

static int parse_keywords(struct loader *ld, yaml_node_t *m,
			  struct secret_rule *r)
{
	size_t i, j;

	if (get_list(ld, m, "keywords", &r->keywords, &r->nkeywords))
		return -1;
	for (i = 0; i < r->nkeywords; i++) {
		char *k = r->keywords[i];
		size_t len = strlen(k);

		if (len < 2 || len > SECRET_MAX_KEYWORD) {
			rule_log(ld, GK_LOG_ERROR,
				 "keyword '%s' must be 2 to %d bytes", k,
				 SECRET_MAX_KEYWORD);
			return -1;
		}
		for (j = 0; j < len; j++)
			if (k[j] >= 'A' && k[j] <= 'Z')
				k[j] = (char)(k[j] - 'A' + 'a');
	}
	return 0;
}

static int parse_allowlist(struct loader *ld, yaml_node_t *m,
			   struct secret_rule *r)
{
	yaml_node_t *al = map_get(ld->doc, m, "allowlist");
	char **res = NULL, **paths = NULL;
	size_t nres = 0, npaths = 0, i;
	int rc = -1;

	if (!al)
		return 0;
	if (al->type != YAML_MAPPING_NODE) {
		rule_log(ld, GK_LOG_ERROR, "'allowlist' must be a mapping");
		return -1;
	}
	if (get_list(ld, al, "regexes", &res, &nres) ||
	    get_list(ld, al, "paths", &paths, &npaths) ||
	    get_list(ld, al, "stopwords", &r->stopwords, &r->nstopwords))
		goto done;
	r->nallow_res = nres;
	r->nallow_paths = npaths;
	if (compile_list(ld, "allowlist regex", res, nres, &r->allow_res) ||
	    compile_list(ld, "allowlist path", paths, npaths,
			 &r->allow_paths))
		goto done;
	for (i = 0; i < r->nstopwords; i++) {
		char *norm = secret_stopword_norm(
			(const unsigned char *)r->stopwords[i],
			strlen(r->stopwords[i]));

		if (!norm)
			goto done;
		free(r->stopwords[i]);
		r->stopwords[i] = norm;
	}
	rc = 0;
done:
	strv_free(res, nres);
	strv_free(paths, npaths);
	return rc;
}

/* "secret" followed by the rule's own tags, comma-separated. */
static int parse_tags(struct loader *ld, yaml_node_t *m,
		      struct secret_rule *r)
{
	char **tags;
	size_t ntags, i, len = sizeof("secret");

	if (get_list(ld, m, "tags", &tags, &ntags)) {
		strv_free(tags, ntags);
		return -1;
	}
	for (i = 0; i < ntags; i++)
		len += strlen(tags[i]) + 1;
	r->tags = malloc(len);
	if (r->tags) {
		strcpy(r->tags, "secret");
		for (i = 0; i < ntags; i++)
			if (strcmp(tags[i], "secret") != 0) {
				strcat(r->tags, ",");
				strcat(r->tags, tags[i]);
			}
	}
	strv_free(tags, ntags);
	return r->tags ? 0 : -1;
}

static void warn_unknown_keys(struct loader *ld, yaml_node_t *m)
{
	yaml_node_pair_t *p;

	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
	     p++) {
		const char *k = scalar_of(yaml_document_get_node(ld->doc,
								 p->key));

		if (!k || name_index(known_keys, k) < 0)
			rule_log(ld, GK_LOG_WARN, "unknown field '%s' ignored",
				 k ? k : "?");
	}
}

static int valid_id(const char *id)
{
	const char *p;

	if (!id || !*id)
		return 0;
	for (p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '-' || *p == '_' || *p == '.'))
			return 0;
	return 1;
}

static int parse_rule(struct loader *ld, yaml_node_t *m,
		      struct secret_rule *r)
{
	const char *id;

	if (m->type != YAML_MAPPING_NODE) {
		rule_log(ld, GK_LOG_ERROR, "a rule must be a mapping");
		return -1;
	}
	id = scalar_of(map_get(ld->doc, m, "id"));
	if (!valid_id(id)) {
		rule_log(ld, GK_LOG_ERROR,
			 "needs an id made of a-z, 0-9, '-', '_' and '.'");
		return -1;
	}
	ld->id = id;
	r->id = strdup(id);
	if (!r->id)
		return -1;
	warn_unknown_keys(ld, m);
	if (parse_texts(ld, m, r) || parse_severity(ld, m, r) ||
	    parse_patterns(ld, m, r) || parse_keywords(ld, m, r) ||
	    parse_number(ld, m, "entropy", 0, 8, &r->entropy) ||
	    parse_bool(ld, m, "multiline", &r->multiline) ||
	    parse_bool(ld, m, "generic", &r->generic) ||
	    parse_allowlist(ld, m, r) || parse_tags(ld, m, r))
		return -1;
	return 0;
}

static int is_disabled(const struct secret_state *st, const char *id)
{
	size_t i;

	for (i = 0; i < st->ndisabled; i++)
		if (strcmp(st->disabled[i], id) == 0)
			return 1;
	return 0;
}

static int is_duplicate(const struct secret_state *st, const char *id)
{
	size_t i;

	for (i = 0; i < st->nrules; i++)
		if (strcmp(st->rules[i].id, id) == 0)
			return 1;
	return 0;
}

/* Takes the parsed rule into st unless it is disabled or a duplicate. */
static int rule_keep(struct loader *ld, struct secret_rule *r)
{
	struct secret_state *st = ld->st;

	if (is_disabled(st, r->id))
		return 0;
	if (is_duplicate(st, r->id)) {
		rule_log(ld, GK_LOG_ERROR, "duplicate id");
		st->nerrors++;
		return 0;
	}
	if (st->nrules == st->cap_rules) {
		size_t cap = st->cap_rules ? st->cap_rules * 2 : 64;
		struct secret_rule *n = realloc(st->rules, cap * sizeof(*n));

		if (!n)
			return 0;
		st->rules = n;
		st->cap_rules = cap;
	}
	st->rules[st->nrules++] = *r;
	memset(r, 0, sizeof(*r));
	return 1;
}

static size_t load_rules(struct loader *ld, yaml_node_t *seq)
{
	yaml_node_item_t *it;
	size_t added = 0;

	for (it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++) {
		yaml_node_t *m = yaml_document_get_node(ld->doc, *it);
		struct secret_rule r;

		memset(&r, 0, sizeof(r));
		ld->line = (int)m->start_mark.line + 1;
		ld->id = "?";
		if (parse_rule(ld, m, &r) == 0)
			added += (size_t)rule_keep(ld, &r);
		else
			ld->st->nerrors++;
		secret_rule_release(&r);
	}
	return added;
}

static void file_error(struct secret_state *st, const char *file, int line,
		       const char *what)
{
	st->api->log(st->host, GK_LOG_ERROR, "'%s' line %d: %s", file, line,
		     what);
	st->nerrors++;
}

/* A file or directory that cannot be opened: errno says why. */
static void open_error(struct secret_state *st, const char *path)
{
	st->api->log(st->host, GK_LOG_ERROR, "'%s': %s", path,
		     strerror(errno));
	st->nerrors++;
}

static size_t load_document(struct secret_state *st, const char *file,
			    yaml_document_t *doc)
{
	struct loader ld = { st, file, doc, 1, "?" };
	yaml_node_t *root = yaml_document_get_root_node(doc);
	yaml_node_t *seq = map_get(doc, root, "rules");

	if (!seq || seq->type != YAML_SEQUENCE_NODE) {
		file_error(st, file, root ? (int)root->start_mark.line + 1 : 1,
			   "expected a list under 'rules:'");
		return 0;
	}
	return load_rules(&ld, seq);
}

static size_t load_file(struct secret_state *st, const char *file)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	size_t added = 0;
	FILE *f = fopen(file, "rb");

	if (!f) {
		open_error(st, file);
		return 0;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	if (!yaml_parser_load(&parser, &doc)) {
		char what[256];

		snprintf(what, sizeof(what), "yaml syntax error: %s",
			 parser.problem ? parser.problem : "unknown");
		file_error(st, file, (int)parser.problem_mark.line + 1, what);
		goto done;
	}
	added = load_document(st, file, &doc);
	yaml_document_delete(&doc);
done:
	yaml_parser_delete(&parser);
	fclose(f);
	return added;
}

static int has_yaml_suffix(const char *name)
{
	size_t len = strlen(name);

	return (len > 5 && strcmp(name + len - 5, ".yaml") == 0) ||
	       (len > 4 && strcmp(name + len - 4, ".yml") == 0);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.yaml names of a directory, sorted; NULL and *n = 0 when none. */
static char **list_yaml(DIR *d, size_t *n)
{
	char **names = NULL;
	size_t cap = 0;
	struct dirent *e;

	*n = 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || !has_yaml_suffix(e->d_name))
			continue;
		if (*n == cap) {
			char **g;

			cap = cap ? cap * 2 : 16;
			g = realloc(names, cap * sizeof(*g));
			if (!g)
				break;
			names = g;
		}
		names[*n] = strdup(e->d_name);
		if (names[*n])
			(*n)++;
	}
	if (*n)
		qsort(names, *n, sizeof(*names), cmp_str);
	return names;
}

static size_t load_dir(struct secret_state *st, const char *dir)
{
	DIR *d = opendir(dir);
	char **names;
	size_t n, i, added = 0;

	if (!d) {
		open_error(st, dir);
		return 0;
	}
	names = list_yaml(d, &n);
	closedir(d);
	if (n == 0)
		st->api->log(st->host, GK_LOG_WARN, "'%s': no .yaml rule files",
			     dir);
	for (i = 0; i < n; i++) {
		size_t len = strlen(dir) + strlen(names[i]) + 2;
		char *path = malloc(len);

		if (path) {
			snprintf(path, len, "%s/%s", dir, names[i]);
			added += load_file(st, path);
		}
		free(path);
	}
	strv_free(names, n);
	return added;
}

size_t secret_rules_load_path(struct secret_state *st, const char *path)
{
	struct stat sb;

	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return load_dir(st, path);
	return load_file(st, path);
}

static void code_list_free(pcre2_code **v, size_t n)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < n; i++)
		pcre2_code_free(v[i]);
	free(v);
}

void secret_rule_release(struct secret_rule *r)
{
	free(r->id);
	free(r->title);
	free(r->description);
	free(r->help);
	free(r->message);
	free(r->tags);
	free(r->precision);
	pcre2_code_free(r->re);
	pcre2_code_free(r->path_re);
	strv_free(r->keywords, r->nkeywords);
	code_list_free(r->allow_res, r->nallow_res);
	code_list_free(r->allow_paths, r->nallow_paths);
	strv_free(r->stopwords, r->nstopwords);
	secret_allowlists_free(r->allowlists, r->nallowlists);
	memset(r, 0, sizeof(*r));
}

/* ---- JIT on first use ---------------------------------------------------- */

struct secret_jit {
	pthread_mutex_t lock; /* held while compiling */
	atomic_uchar *done;   /* per rule: its regex is JIT-compiled */
};

int secret_jit_init(struct secret_state *st)
{
	struct secret_jit *j = calloc(1, sizeof(*j));

	if (!j)
		return -1;
	j->done = calloc(st->nrules ? st->nrules : 1, sizeof(*j->done));
	if (!j->done || pthread_mutex_init(&j->lock, NULL)) {
		free(j->done);
		free(j);
		return -1;
	}
	st->jit = j;
	return 0;
}

void secret_jit_free(struct secret_state *st)
{
	if (!st->jit)
		return;
	pthread_mutex_destroy(&st->jit->lock);
	free(st->jit->done);
	free(st->jit);
	st->jit = NULL;
}

/*
 * Every thread checks the flag before matching, so no thread matches a
 * pattern while another JIT-compiles it.
 */
void secret_rule_jit(const struct secret_state *st, uint32_t ri)
{
	struct secret_jit *j = st->jit;

	if (!j || atomic_load_explicit(&j->done[ri], memory_order_acquire))
		return;
	pthread_mutex_lock(&j->lock);
	if (!atomic_load_explicit(&j->done[ri], memory_order_relaxed)) {
		(void)pcre2_jit_compile(st->rules[ri].re, PCRE2_JIT_COMPLETE);
		atomic_store_explicit(&j->done[ri], 1, memory_order_release);
	}
	pthread_mutex_unlock(&j->lock);
}
