/*
 * The secret plugin's internal interface, shared by its source files.
 *
 * init() loads YAML rules into a struct secret_state (rules.c), builds the
 * keyword table (prefilter.c) and then never changes the state again:
 * scan_file() (scan.c) reads it from many threads at once and keeps all
 * mutable data in a per-call struct.  Two things are finished on first
 * use, each behind its own lock and published through an atomic: a rule's
 * JIT code (secret_rule_jit()) and the vectorscan keyword database
 * (hsfilter.c).  Neither changes what a scan finds.
 */
#ifndef SECRET_PLUGIN_H
#define SECRET_PLUGIN_H

#define PCRE2_CODE_UNIT_WIDTH 8

#include <cjson/cJSON.h>
#include <gatekeeper/plugin.h>
#include <pcre2.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

/* Bounds chosen for untrusted rule files and scanned data. */
#define SECRET_MAX_KEYWORD 64          /* bytes in one keyword */
#define SECRET_MAX_FILE (64u << 20)    /* larger files are skipped */
#define SECRET_MAX_FINDINGS 10000      /* per file */
#define SECRET_MATCH_LIMIT 200000u     /* pcre2_set_match_limit */
#define SECRET_DEPTH_LIMIT 2000u       /* pcre2_set_depth_limit */
#define SECRET_BINARY_HEAD 8192        /* bytes looked at for a NUL */

/*
 * One loaded rule.  Every string and compiled pattern is owned by the rule
 * and released by secret_rule_release().  keywords are lower-case;
 * stopwords are normalised by secret_stopword_norm().
 */
struct secret_rule {
	char *id, *title, *description, *help, *message, *tags, *precision;
	int severity;
	pcre2_code *re;       /* NULL: a path-only rule */
	pcre2_code *path_re;  /* NULL: every path */
	uint32_t group;       /* capture group holding the secret */
	double entropy;       /* 0: no threshold */
	int multiline;        /* the regex may span lines */
	int generic;          /* dropped where a specific rule has the secret */
	char **keywords;
	size_t nkeywords;
	pcre2_code **allow_res;   /* applied to the secret */
	size_t nallow_res;
	pcre2_code **allow_paths; /* applied to the file path */
	size_t nallow_paths;
	char **stopwords;
	size_t nstopwords;
	struct secret_allowlist *allowlists; /* beyond the flat lists above */
	size_t nallowlists;
};

/* What a gitleaks allowlist's regexes are applied to. */
enum secret_target { SECRET_TARGET_SECRET, SECRET_TARGET_MATCH,
		     SECRET_TARGET_LINE };

/*
 * A gitleaks allowlist the flat lists of a rule cannot express: regexes
 * against the whole match or line, or criteria joined by AND.  Each
 * non-empty criterion (paths, regexes, stopwords) is one test; with and,
 * all must hold to allow a match, else any one.
 */
struct secret_allowlist {
	int and;
	int target; /* enum secret_target */
	pcre2_code **res;
	size_t nres;
	pcre2_code **paths;
	size_t npaths;
	char **stopwords; /* normalised by secret_stopword_norm() */
	size_t nstopwords;
};

/* The texts a match is judged on by secret_allowlisted(). */
struct secret_texts {
	const char *path;
	const unsigned char *secret, *match, *line;
	size_t secret_len, match_len, line_len;
};

/* Which keyword search a scan uses (configuration key "prefilter"). */
enum secret_engine {
	SECRET_ENGINE_AUTO,       /* vectorscan once worth it, else builtin */
	SECRET_ENGINE_BUILTIN,    /* the byte-pair walk of prefilter.c */
	SECRET_ENGINE_VECTORSCAN  /* vectorscan from the first file */
};

/* A distinct keyword and the rules that listed it. */
struct secret_keyword {
	char *text;
	size_t len;
	uint32_t *rules;
	size_t nrules;
};

struct secret_state {
	gk_host *host;
	const struct gk_host_api *api;
	struct secret_rule *rules;
	size_t nrules, cap_rules;
	size_t nerrors;           /* rules or files that failed to load */
	uint32_t max_groups;      /* largest capture count of any regex */
	char **disabled;          /* rule ids the configuration turns off */
	size_t ndisabled;

	/* The keyword table, grouped by the keyword's first two bytes. */
	struct secret_keyword *keywords;
	size_t nkeywords;
	uint32_t *bucket;         /* 65537 entries: start of each group */
	uint8_t *first2;          /* 8192 bytes: bit set = group non-empty */
	int any_unkeyed;          /* some regex rule has no keywords */
	int engine;               /* enum secret_engine */
	struct secret_hs *hs;     /* vectorscan's database (hsfilter.c) */
	struct secret_jit *jit;   /* which rules' regexes are JIT-compiled */
	int decode_set;           /* decode_depth was configured */
	int decode_depth;         /* levels of encoding decoded (decode.h) */

	/*
	 * Each scanning thread's PCRE2 JIT stack, made on its first match
	 * and freed when the thread ends: a stack is a mapping of its own,
	 * and one per file cost a map and an unmap per file.
	 */
	pthread_key_t jit_stack_key;
	int jit_stack_key_made;
};

/* Sets up and tears down the per-thread JIT stacks of st. */
void secret_jit_stacks_init(struct secret_state *st);
void secret_jit_stacks_free(struct secret_state *st);

/* Loads every *.yaml of a directory (sorted), or one file.  Errors are
 * logged and counted in st->nerrors; returns the number of rules added. */
size_t secret_rules_load_path(struct secret_state *st, const char *path);
void secret_rule_release(struct secret_rule *r);

/* Builds the keyword table over st->rules.  0, or -1 on no memory. */
int secret_prefilter_build(struct secret_state *st);
void secret_prefilter_release(struct secret_state *st);

/* Reads "prefilter" (builtin, vectorscan or auto) into st->engine; 0, or
 * -1 after logging a bad value. */
int secret_prefilter_configure(struct secret_state *st, const cJSON *cfg);

/*
 * A keyword hit: keyword kw of st->keywords starts at pos, on the line
 * that starts at ls.  Non-zero stops the pass.
 */
typedef int (*secret_hit_fn)(void *arg, uint32_t kw, size_t pos, size_t ls);

/*
 * The per-call memory of keyword passes, made for one top-level file
 * of size bytes and reused by the nested scans of its decoded text
 * (one pass at a time).  NULL on no memory.
 */
struct secret_pass *secret_pass_new(const struct secret_state *st,
				    size_t size);
void secret_pass_free(struct secret_pass *p);

/*
 * Finds every keyword in data[0, size), ignoring ASCII case, and calls fn
 * in order of position; at one position, in the order of st->keywords.
 * Within a line only the first hit of each keyword is reported, which is
 * all a rule needs.  0, or -1 when memory ran out or vectorscan failed.
 */
int secret_pass_run(struct secret_pass *p, const unsigned char *data,
		    size_t size, secret_hit_fn fn, void *arg);

/*
 * The vectorscan side (hsfilter.c).  secret_hs_init() compiles the
 * keyword database now when st->engine is SECRET_ENGINE_VECTORSCAN (-1
 * when it cannot), else prepares to compile it on first use.
 */
int secret_hs_init(struct secret_state *st);
void secret_hs_free(struct secret_state *st);

/*
 * A scratch space for a file of size bytes, or NULL for the builtin walk:
 * the engine is builtin, the database is still not worth compiling (auto
 * mode, little text scanned so far) or could not be built.  The caller
 * frees it with secret_hs_scratch_free().
 */
struct hs_scratch *secret_hs_scratch(const struct secret_state *st,
				     size_t size);
void secret_hs_scratch_free(struct hs_scratch *s);

/* Calls fn(arg, kw, end) for each keyword hit, in order of end offset;
 * non-zero from fn stops.  0, 1 when stopped, or -1 on a scan error. */
int secret_hs_scan(const struct secret_state *st, struct hs_scratch *s,
		   const unsigned char *data, size_t size,
		   int (*fn)(void *arg, uint32_t kw, size_t end), void *arg);

/*
 * Rule regexes are compiled at init() and JIT-compiled on first use, so a
 * scan of a few files pays only for the rules it runs.  secret_jit_init()
 * makes the flags for st->nrules rules (0, or -1 on no memory);
 * secret_rule_jit() JIT-compiles rule ri once, from any thread, before
 * its first match; without JIT support PCRE2 interprets the pattern.
 */
int secret_jit_init(struct secret_state *st);
void secret_jit_free(struct secret_state *st);
void secret_rule_jit(const struct secret_state *st, uint32_t ri);

/* Scans one file and emits its findings.  0, or -1 on no memory. */
int secret_scan(const struct secret_state *st, const struct gk_file *file);

/* wants(): text files, and binary files a path-only rule applies to. */
int secret_wants(const struct secret_state *st, const char *path,
		 const unsigned char *head, size_t headlen);

/* Does a head of a file look binary (a NUL byte in it)? */
int secret_is_binary(const unsigned char *data, size_t len);

/* Shannon entropy of the bytes, in bits per byte. */
double secret_entropy(const unsigned char *s, size_t len);

/* Lower-cases and keeps only [a-z0-9]: a malloc'd string, or NULL. */
char *secret_stopword_norm(const unsigned char *s, size_t len);

/* Writes the redacted form of a secret into out (at least 16 bytes). */
void secret_redact(const unsigned char *s, size_t len, char *out,
		   size_t outlen);

/*
 * gitleaks configurations (gitleaks.c, docs/gitleaks.md).  gl is the
 * "gitleaks" value of the plugin's configuration: a list of parsed
 * configuration objects, the one extended by all others first.
 */
/* Do gatekeeper's own rules run too (useDefault, or no [[rules]])? */
int secret_gitleaks_keeps_defaults(const cJSON *gl);
/* Adds, replaces and disables rules and applies allowlists; 0, or -1
 * after logging each bad rule by id. */
int secret_gitleaks_load(struct secret_state *st, const cJSON *gl);
/* A Go RE2 pattern as PCRE2 reads it: a malloc'd string, or NULL with a
 * one-line reason in err. */
char *secret_re2_to_pcre2(const char *re, char *err, size_t errlen);
/* Does one of r->allowlists allow this match?  md and mc as for
 * pcre2_match(). */
int secret_allowlisted(const struct secret_rule *r,
		       const struct secret_texts *t, pcre2_match_data *md,
		       pcre2_match_context *mc);
void secret_allowlists_free(struct secret_allowlist *a, size_t n);

const struct gk_plugin *gk_plugin_entry(void);

#endif
