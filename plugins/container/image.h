/*
 * Container image references ("registry:5000/team/app:1.2@sha256:...")
 * as Dockerfiles, compose files and reports name them.
 */
#ifndef CT_IMAGE_H
#define CT_IMAGE_H

#include "internal.h"

struct ct_image {
	char registry[256]; /* "" for Docker Hub */
	char repo[512];     /* "library/" dropped for Docker Hub */
	char tag[128];      /* "" when absent */
	char digest[160];   /* "sha256:..." or "" */
};

/* Parses ref; 0, or -1 when it is empty, too long or holds spaces. */
int ct_image_parse(const char *ref, struct ct_image *img);

/* Appends the pkg:docker purl: version is the digest, else the tag,
 * else "latest"; a registry other than Docker Hub is repository_url. */
int ct_image_purl(const struct ct_image *img, struct ct_buf *out);

/*
 * Emits a "container" component for img (once per purl per call) and
 * leaves its purl in out.  Returns 0, -1 when no purl could be built.
 */
int ct_image_component(struct ct_scan *s, const struct ct_image *img,
		       struct ct_buf *out);

/*
 * The check every image reference gets: emits its container component
 * and, unless pinned by digest, a container-image-latest or
 * container-image-unpinned finding at line (what names the reference in
 * the message: "base image", "service 'web'").  A reference that does
 * not parse (unresolved variables) is skipped.
 */
void ct_image_check(struct ct_scan *s, const char *ref, int line,
		    const char *what);

#endif
