/*
 * Shared between the files of the container plugin: the state built by
 * init() (read-only afterwards), the per-call scan context, and the
 * helpers every input format uses to emit.
 */
#ifndef CT_INTERNAL_H
#define CT_INTERNAL_H

#include <gatekeeper/plugin.h>

#include "buf.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* Reports larger than this are refused with a warning. */
#define CT_MAX_REPORT ((size_t)512 * 1024 * 1024)
/* Cap of any one string the plugin builds (message, extra_json, ...). */
#define CT_MAX_TEXT ((size_t)64 * 1024)

/* Patterns of the Dockerfile checks, compiled once by init(). */
enum ct_pattern {
	CT_RE_PIPE_SHELL,
	CT_RE_SUDO,
	CT_RE_APT_INSTALL,
	CT_RE_APT_NORECOMMENDS,
	CT_RE_APT_LISTS,
	CT_RE_COUNT
};

struct ct_state {
	gk_host *host;
	const struct gk_host_api *api;
	pcre2_code *re[CT_RE_COUNT];
};

#define CT_NTEXT 8

/* A set of strings (component purls already emitted by one call). */
struct ct_seen {
	char **slot;
	size_t n, cap;
};

/* Everything one scan_file() call owns. */
struct ct_scan {
	const struct ct_state *st;
	const struct gk_file *file;
	struct ct_buf t[CT_NTEXT]; /* scratch text, reset by each user */
	struct ct_seen seen;
	size_t skipped;          /* entries ignored for their types */
};

void ct_scan_init(struct ct_scan *s, const struct ct_state *st,
		  const struct gk_file *file);
void ct_scan_release(struct ct_scan *s);

/* 1 when s was not in the set (and is now), 0 when it was or on OOM. */
int ct_seen_add(struct ct_seen *set, const char *s);

/* Logging with the file named (the host adds the plugin's name). */
void ct_log(const struct ct_scan *s, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Severity from a report's name for it (CRITICAL, High, negligible...).
 * Unknown or missing names take the CVSS v3 score's band when cvss > 0,
 * else medium.  See docs/container.md.
 */
int ct_severity_map(const char *name, double cvss);

/* Emitting; both return the host's result. */
int ct_emit_finding(const struct ct_scan *s, const struct gk_finding *f);
int ct_emit_component(const struct ct_scan *s, const struct gk_component *c);

/* Hex SHA-256 of "container|" + key into out. */
void ct_fingerprint(const struct ct_scan *s, const char *key, char out[65]);

/* Report formats (report.c, trivy.c, grype.c). */
int ct_report_wants(const char *path, const unsigned char *head, size_t n);
int ct_report_scan(struct ct_scan *s);

/* Dockerfiles and compose files (dockerfile.c, compose.c). */
int ct_dockerfile_wants(const char *path);
int ct_dockerfile_scan(struct ct_scan *s);
int ct_compose_wants(const char *path);
int ct_compose_scan(struct ct_scan *s);

#endif
