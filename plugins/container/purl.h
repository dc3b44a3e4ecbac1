/*
 * Package URLs (https://github.com/package-url/purl-spec): the canonical
 * string for a set of parts, and the parts for a package named by a Trivy
 * or Grype report.
 */
#ifndef CT_PURL_H
#define CT_PURL_H

#include "buf.h"

#define CT_PURL_MAXQ 8

struct ct_purl_qualifier {
	const char *key;
	const char *value;
};

/* Parts of a purl; NULL means absent.  Strings are borrowed. */
struct ct_purl {
	const char *type;
	const char *ns;
	const char *name;
	const char *version;
	const char *subpath;
	struct ct_purl_qualifier q[CT_PURL_MAXQ];
	size_t nq;
};

/* The operating system a report names, for OS package purls. */
struct ct_os {
	const char *family; /* "alpine", "debian", ... or NULL */
	const char *name;   /* its version: "3.10.2", "10.1" */
};

/*
 * Appends the canonical form of p to out: type and names normalised per
 * type, qualifiers sorted, empty qualifiers dropped, components
 * percent-encoded.  Returns 0, or -1 (out untouched in meaning) when p
 * breaks the specification: no type, a bad type or qualifier key, no
 * name.
 */
int ct_purl_build(const struct ct_purl *p, struct ct_buf *out);

/*
 * The purl type for an ecosystem name as Trivy ("alpine", "pip", "gomod",
 * "jar") or Grype ("apk", "python", "go-module", "java-archive") spell it;
 * "generic" when unknown.
 */
const char *ct_purl_type_for(const char *ecosystem);

/*
 * Appends the purl of one package: name split into namespace and name as
 * the type wants ("@scope/x", "group:artifact", "host/path/mod"), OS
 * packages namespaced by os->family with a distro qualifier.  arch and
 * epoch may be NULL.  Returns 0 or -1 as ct_purl_build().
 */
int ct_purl_for_package(const char *type, const char *name,
			const char *version, const struct ct_os *os,
			const char *arch, const char *epoch,
			struct ct_buf *out);

#endif
