/*
 * A small read-only tree of one YAML document, built with libyaml and
 * bounded in depth and size.  Scalars keep their text and position so
 * configuration errors can name file, line and column.
 */
#ifndef GK_YDOC_H
#define GK_YDOC_H

#include <stddef.h>

enum gk_ynode_kind { GK_Y_SCALAR, GK_Y_SEQ, GK_Y_MAP };

/*
 * A map's children alternate key, value: kids[2i] is a key scalar,
 * kids[2i+1] its value.  line and column are 1-based.
 */
struct gk_ynode {
	enum gk_ynode_kind kind;
	char *text;    /* scalars only */
	int quoted;    /* scalar was written in quotes */
	int line, column;
	struct gk_ynode **kids;
	size_t nkids;
};

#define GK_YDOC_MAX_DEPTH 64
#define GK_YDOC_MAX_NODES 200000

/*
 * Parses data (len bytes) named file in messages.  Returns the root (an
 * empty map for an empty document), or NULL with a message in err:
 * "'gatekeeper.yaml' line 3 column 5: mapping values are not allowed".
 * The caller frees the tree with gk_ynode_free.
 */
struct gk_ynode *gk_ydoc_parse(const char *file, const char *data, size_t len,
			       char *err, size_t errlen);
void gk_ynode_free(struct gk_ynode *n);

/* The value of key in a map, or NULL. */
const struct gk_ynode *gk_ymap_get(const struct gk_ynode *map,
				   const char *key);
/* A scalar's text, or NULL when n is absent or not a scalar. */
const char *gk_yscalar(const struct gk_ynode *n);
/* YAML booleans: 1, 0, or -1 when n is not one. */
int gk_ybool(const struct gk_ynode *n);

/* A JSON text of the subtree (scalars typed as YAML 1.2 core does). */
char *gk_ynode_to_json(const struct gk_ynode *n);

#endif
