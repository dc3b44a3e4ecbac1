#include "image.h"

#include "purl.h"
#include "rules.h"

#include <stdio.h>
#include <string.h>

static int copy_part(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		return -1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

static int is_registry(const char *s, size_t n)
{
	return memchr(s, '.', n) || memchr(s, ':', n) ||
	       (n == 9 && memcmp(s, "localhost", 9) == 0);
}

static int is_docker_hub(const char *r)
{
	return strcmp(r, "docker.io") == 0 ||
	       strcmp(r, "index.docker.io") == 0 ||
	       strcmp(r, "registry-1.docker.io") == 0;
}

/* Splits "name[:tag]" (no digest left) into repo and tag. */
static int split_tag(const char *s, size_t n, struct ct_image *img)
{
	const char *slash = NULL, *colon = NULL, *p;

	for (p = s; p < s + n; p++) {
		if (*p == '/')
			slash = p;
		else if (*p == ':')
			colon = p;
	}
	if (colon && (!slash || colon > slash)) {
		if (copy_part(img->tag, sizeof(img->tag), colon + 1,
			      (size_t)(s + n - colon - 1)))
			return -1;
		n = (size_t)(colon - s);
	}
	return copy_part(img->repo, sizeof(img->repo), s, n);
}

int ct_image_parse(const char *ref, struct ct_image *img)
{
	const char *at, *slash;
	size_t n;

	memset(img, 0, sizeof(*img));
	if (!ref || !*ref || strpbrk(ref, " \t\r\n$"))
		return -1;
	at = strchr(ref, '@');
	n = at ? (size_t)(at - ref) : strlen(ref);
	if (at && copy_part(img->digest, sizeof(img->digest), at + 1,
			    strlen(at + 1)))
		return -1;
	slash = memchr(ref, '/', n);
	if (slash && is_registry(ref, (size_t)(slash - ref))) {
		if (copy_part(img->registry, sizeof(img->registry), ref,
			      (size_t)(slash - ref)))
			return -1;
		n -= (size_t)(slash + 1 - ref);
		ref = slash + 1;
	}
	if (split_tag(ref, n, img) || !img->repo[0])
		return -1;
	if (is_docker_hub(img->registry)) {
		img->registry[0] = '\0';
		if (strncmp(img->repo, "library/", 8) == 0)
			memmove(img->repo, img->repo + 8,
				strlen(img->repo + 8) + 1);
	}
	return 0;
}

int ct_image_purl(const struct ct_image *img, struct ct_buf *out)
{
	struct ct_purl p;
	char ns[512];
	const char *slash = strrchr(img->repo, '/');

	memset(&p, 0, sizeof(p));
	p.type = "docker";
	p.name = img->repo;
	if (slash) {
		snprintf(ns, sizeof(ns), "%.*s", (int)(slash - img->repo),
			 img->repo);
		p.ns = ns;
		p.name = slash + 1;
	}
	p.version = img->digest[0] ? img->digest
		    : img->tag[0]  ? img->tag
				   : "latest";
	p.q[0].key = "repository_url";
	p.q[0].value = img->registry;
	p.nq = 1;
	return ct_purl_build(&p, out);
}

int ct_image_component(struct ct_scan *s, const struct ct_image *img,
		       struct ct_buf *out)
{
	struct gk_component c;
	char name[800];

	ct_buf_reset(out);
	if (ct_image_purl(img, out) || out->failed)
		return -1;
	if (!ct_seen_add(&s->seen, ct_buf_str(out)))
		return 0;
	snprintf(name, sizeof(name), "%s%s%s", img->registry,
		 img->registry[0] ? "/" : "", img->repo);
	memset(&c, 0, sizeof(c));
	c.name = name;
	c.version = img->digest[0] ? img->digest
		    : img->tag[0]  ? img->tag
				   : "latest";
	c.ecosystem = "docker";
	c.purl = ct_buf_str(out);
	c.type = "container";
	ct_emit_component(s, &c);
	return 0;
}

static void unpinned_emit(struct ct_scan *s, const struct ct_image *img,
			  const char *ref, int line, const char *what)
{
	int latest = !img->tag[0] || strcmp(img->tag, "latest") == 0;
	const struct gk_rule_info *rule = ct_rule(
		latest ? CT_RULE_IMAGE_LATEST : CT_RULE_IMAGE_UNPINNED);
	struct ct_buf *msg = &s->t[1], *key = &s->t[2];
	struct gk_finding f;

	ct_buf_reset(msg);
	if (!img->tag[0])
		ct_buf_addf(msg, "%s '%s' has no tag and floats with 'latest'",
			    what, ref);
	else if (latest)
		ct_buf_addf(msg, "%s '%s' uses the moving 'latest' tag", what,
			    ref);
	else
		ct_buf_addf(msg, "%s '%s' is pinned by tag, not by digest",
			    what, ref);
	ct_buf_reset(key);
	ct_buf_addf(key, "image|%s", ref);

	memset(&f, 0, sizeof(f));
	f.rule = rule->id;
	f.severity = rule->severity;
	f.title = rule->title;
	f.message = ct_buf_str(msg);
	f.line = line;
	f.end_line = line;
	f.fingerprint_key = ct_buf_str(key);
	ct_emit_finding(s, &f);
}

void ct_image_check(struct ct_scan *s, const char *ref, int line,
		    const char *what)
{
	struct ct_image img;

	if (ct_image_parse(ref, &img))
		return;
	ct_image_component(s, &img, &s->t[0]);
	if (!img.digest[0])
		unpinned_emit(s, &img, ref, line, what);
}
