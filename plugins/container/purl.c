#include "purl.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Types whose namespace and name are case-insensitive, kept lowercase. */
static const char *const lower_ns[] = { "apk", "bitbucket", "composer",
					"deb", "github", "npm", "rpm", NULL };
static const char *const lower_name[] = { "apk", "bitbucket", "composer",
					  "deb", "github", "hex", "npm",
					  "pypi", NULL };

static int in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

/* Unreserved characters pass; ':' too, as the specification allows. */
static int keeps(unsigned char c)
{
	return isalnum(c) || c == '.' || c == '-' || c == '_' || c == '~' ||
	       c == ':';
}

/* Appends n bytes of s percent-encoded; fold: 1 lowercases, 2 also
 * turns '_' into '-' (PyPI names). */
static void add_encoded(struct ct_buf *b, const char *s, size_t n, int fold)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (fold)
			c = (unsigned char)tolower(c);
		if (fold == 2 && c == '_')
			c = '-';
		if (keeps(c)) {
			ct_buf_addc(b, (char)c);
			continue;
		}
		ct_buf_addc(b, '%');
		ct_buf_addc(b, hex[c >> 4]);
		ct_buf_addc(b, hex[c & 15]);
	}
}

/* Appends '/'-separated segments, each encoded, empty ones dropped. */
static void add_segments(struct ct_buf *b, const char *s, int fold,
			 int skip_dots)
{
	while (*s) {
		size_t n = strcspn(s, "/");
		int dots = (n == 1 && s[0] == '.') ||
			   (n == 2 && s[0] == '.' && s[1] == '.');

		if (n && !(skip_dots && dots)) {
			ct_buf_addc(b, '/');
			add_encoded(b, s, n, fold);
		}
		s += n;
		if (*s == '/')
			s++;
	}
}

static int type_valid(const char *t)
{
	if (!t || !isalpha((unsigned char)*t))
		return 0;
	for (; *t; t++)
		if (!isalnum((unsigned char)*t) && !strchr(".+-", *t))
			return 0;
	return 1;
}

static int key_valid(const char *k)
{
	if (!k || !*k || isdigit((unsigned char)*k))
		return 0;
	for (; *k; k++)
		if (!isalnum((unsigned char)*k) && !strchr(".-_", *k))
			return 0;
	return 1;
}

static int qualifier_cmp(const void *a, const void *b)
{
	const struct ct_purl_qualifier *x = a, *y = b;

	return strcasecmp(x->key, y->key);
}

static void add_qualifiers(struct ct_buf *b, const struct ct_purl *p)
{
	struct ct_purl_qualifier q[CT_PURL_MAXQ];
	size_t i, n = 0;
	const char *sep = "?";

	for (i = 0; i < p->nq && i < CT_PURL_MAXQ; i++)
		if (p->q[i].value && *p->q[i].value)
			q[n++] = p->q[i];
	qsort(q, n, sizeof(q[0]), qualifier_cmp);
	for (i = 0; i < n; i++) {
		ct_buf_add(b, sep);
		add_encoded(b, q[i].key, strlen(q[i].key), 1);
		ct_buf_addc(b, '=');
		add_encoded(b, q[i].value, strlen(q[i].value), 0);
		sep = "&";
	}
}

static int parts_valid(const struct ct_purl *p)
{
	size_t i;

	if (!type_valid(p->type) || !p->name || !*p->name)
		return 0;
	for (i = 0; i < p->nq && i < CT_PURL_MAXQ; i++)
		if (!key_valid(p->q[i].key))
			return 0;
	return 1;
}

int ct_purl_build(const struct ct_purl *p, struct ct_buf *out)
{
	char type[32];
	size_t i, n;
	int fold;

	if (!parts_valid(p) || strlen(p->type) >= sizeof(type))
		return -1;
	n = strlen(p->type);
	for (i = 0; i <= n; i++)
		type[i] = (char)tolower((unsigned char)p->type[i]);

	ct_buf_add(out, "pkg:");
	ct_buf_add(out, type);
	if (p->ns)
		add_segments(out, p->ns, in_list(lower_ns, type), 0);
	fold = in_list(lower_name, type) ? 1 : 0;
	if (fold && strcmp(type, "pypi") == 0)
		fold = 2;
	ct_buf_addc(out, '/');
	add_encoded(out, p->name, strlen(p->name), fold);
	if (p->version && *p->version) {
		ct_buf_addc(out, '@');
		add_encoded(out, p->version, strlen(p->version), 0);
	}
	add_qualifiers(out, p);
	if (p->subpath && *p->subpath) {
		ct_buf_addc(out, '#');
		add_segments(out, p->subpath, 0, 1);
	}
	return 0;
}

struct type_alias {
	const char *purl_type;
	const char *names; /* space-separated, with spaces at both ends */
};

static const struct type_alias aliases[] = {
	{ "apk", " alpine wolfi chainguard apk " },
	{ "deb", " debian ubuntu deb dpkg " },
	{ "rpm", " redhat centos rocky alma fedora amazon oracle photon "
		 "suse opensuse opensuse.leap opensuse.tumbleweed sles "
		 "cbl-mariner azurelinux rpm " },
	{ "pypi", " pip pipenv poetry uv python-pkg python pypi " },
	{ "npm", " npm yarn pnpm bun node-pkg javascript " },
	{ "golang", " gomod gobinary go-module golang go " },
	{ "maven", " jar pom gradle sbt java-archive jenkins-plugin maven " },
	{ "cargo", " cargo rust-binary rust-crate " },
	{ "composer", " composer composer-vendor php-composer " },
	{ "gem", " gemspec bundler gem " },
	{ "nuget", " nuget dotnet-core packages-props dotnet dotnet-deps " },
	{ "pub", " pub dart-pub " },
	{ "hex", " hex mix-lock " },
	{ "cocoapods", " cocoapods pod " },
	{ "conda", " conda-pkg conda-environment conda " },
	{ "conan", " conan conan-lock " },
	{ "swift", " swift " },
	{ "bitnami", " bitnami " },
};

const char *ct_purl_type_for(const char *ecosystem)
{
	char word[64];
	size_t i, n;

	if (!ecosystem || !*ecosystem)
		return "generic";
	n = strlen(ecosystem);
	if (n + 3 > sizeof(word))
		return "generic";
	word[0] = ' ';
	for (i = 0; i < n; i++)
		word[i + 1] = (char)tolower((unsigned char)ecosystem[i]);
	word[n + 1] = ' ';
	word[n + 2] = '\0';
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strstr(aliases[i].names, word))
			return aliases[i].purl_type;
	return "generic";
}

/* Splits name at its last (or first) sep into ns and rest; 0 when it
 * has no such separator or does not fit. */
static int split_name(const char *name, char sep, int last, char *ns,
		      size_t cap, const char **rest)
{
	const char *at = last ? strrchr(name, sep) : strchr(name, sep);
	size_t n;

	if (!at || at == name || !at[1])
		return 0;
	n = (size_t)(at - name);
	if (n >= cap)
		return 0;
	memcpy(ns, name, n);
	ns[n] = '\0';
	*rest = at + 1;
	return 1;
}

static void split_for_type(struct ct_purl *p, const char *name, char *ns,
			   size_t cap)
{
	const char *t = p->type;
	const char *rest = NULL;
	int ok = 0;

	if (strcmp(t, "npm") == 0 && name[0] == '@')
		ok = split_name(name, '/', 0, ns, cap, &rest);
	else if (strcmp(t, "golang") == 0 || strcmp(t, "swift") == 0)
		ok = split_name(name, '/', 1, ns, cap, &rest);
	else if (strcmp(t, "composer") == 0)
		ok = split_name(name, '/', 0, ns, cap, &rest);
	else if (strcmp(t, "maven") == 0)
		ok = split_name(name, ':', 0, ns, cap, &rest);
	p->name = ok ? rest : name;
	p->ns = ok ? ns : NULL;
}

static int is_os_type(const char *t)
{
	return strcmp(t, "apk") == 0 || strcmp(t, "deb") == 0 ||
	       strcmp(t, "rpm") == 0;
}

/* OS packages: namespace from the family, distro qualifier. */
static void add_os_parts(struct ct_purl *p, const struct ct_os *os,
			 char *distro, size_t cap)
{
	if (!os || !os->family || !*os->family)
		return;
	p->ns = os->family;
	if (!os->name || !*os->name)
		return;
	if (strcmp(p->type, "apk") == 0)
		snprintf(distro, cap, "%s", os->name);
	else
		snprintf(distro, cap, "%s-%s", os->family, os->name);
	p->q[p->nq].key = "distro";
	p->q[p->nq++].value = distro;
}

int ct_purl_for_package(const char *type, const char *name,
			const char *version, const struct ct_os *os,
			const char *arch, const char *epoch,
			struct ct_buf *out)
{
	struct ct_purl p;
	char ns[512], distro[128];

	memset(&p, 0, sizeof(p));
	if (!name || !*name)
		return -1;
	p.type = type;
	p.version = version;
	if (is_os_type(type)) {
		p.name = name;
		add_os_parts(&p, os, distro, sizeof(distro));
	} else {
		split_for_type(&p, name, ns, sizeof(ns));
	}
	p.q[p.nq].key = "arch";
	p.q[p.nq++].value = arch;
	if (epoch && strcmp(epoch, "0") != 0) {
		p.q[p.nq].key = "epoch";
		p.q[p.nq++].value = epoch;
	}
	return ct_purl_build(&p, out);
}
