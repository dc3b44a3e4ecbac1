/*
 * Vulnerability reports (Trivy, Grype): the records both formats reduce
 * to, and the emission they share.  All strings are borrowed from the
 * parsed report for the duration of one call.
 */
#ifndef CT_REPORT_H
#define CT_REPORT_H

#include <cjson/cJSON.h>

#include "internal.h"
#include "purl.h"

/* What a report is about. */
struct ct_artifact {
	const char *tool;   /* "trivy" or "grype" */
	const char *name;   /* image or directory the tool scanned */
	struct ct_os os;
	const char *parent; /* purl of the image component, or NULL */
};

/* One package, from a package list or named by a vulnerability. */
struct ct_pkg {
	const char *name;
	const char *version;
	const char *ecosystem; /* the tool's spelling: "alpine", "python" */
	const char *purl;      /* the report's own purl, or NULL */
	const char *arch;
	const char *epoch;
	const char *licenses;  /* comma-separated, or NULL */
};

struct ct_vuln {
	const char *id;
	struct ct_pkg pkg;
	const char *fixed;     /* ", "-separated list, or NULL */
	const char *severity;  /* the tool's word for it */
	const char *status;
	const char *title;
	const char *url;
	const char *target;
	const char *klass;     /* "os-pkgs", "lang-pkgs" */
	const char *source;    /* data source name */
	double cvss;           /* highest v3 base score, 0 when none */
	size_t nrefs;
};

/* cJSON accessors that answer NULL / 0 for a missing or mistyped key. */
const char *ct_json_str(const cJSON *o, const char *key);
const cJSON *ct_json_array(const cJSON *o, const char *key);
const cJSON *ct_json_object(const cJSON *o, const char *key);
/* Joins the strings of an array with sep into out; returns out's text. */
const char *ct_json_join(const cJSON *arr, const char *sep,
			 struct ct_buf *out);

/*
 * Emits the component for pkg once per call and leaves its purl in
 * purl.  Returns 0, or -1 when the package has no usable name.
 */
int ct_pkg_emit(struct ct_scan *s, const struct ct_artifact *a,
		const struct ct_pkg *pkg, struct ct_buf *purl);

/* Emits one vulnerability finding and its package component. */
void ct_vuln_emit(struct ct_scan *s, const struct ct_artifact *a,
		  const struct ct_vuln *v);

/* The two formats, over a recognised document. */
void ct_trivy_scan(struct ct_scan *s, const cJSON *root);
void ct_grype_scan(struct ct_scan *s, const cJSON *root);

#endif
