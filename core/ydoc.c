#include "ydoc.h"

#include "util.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct builder {
	yaml_parser_t parser;
	const char *file;
	size_t nodes;
	char *err;
	size_t errlen;
	/* Anchors seen so far: aliases are resolved by copying their node. */
	struct {
		char *name;
		struct gk_ynode *node;
	} anchors[64];
	size_t nanchors;
};

static struct gk_ynode *node_new(enum gk_ynode_kind kind,
				 const yaml_mark_t *mark)
{
	struct gk_ynode *n = gk_calloc(1, sizeof(*n));

	n->kind = kind;
	n->line = (int)mark->line + 1;
	n->column = (int)mark->column + 1;
	return n;
}

static void node_add(struct gk_ynode *parent, struct gk_ynode *kid)
{
	parent->kids = gk_realloc(parent->kids,
				  (parent->nkids + 1) * sizeof(*parent->kids));
	parent->kids[parent->nkids++] = kid;
}

void gk_ynode_free(struct gk_ynode *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->nkids; i++)
		gk_ynode_free(n->kids[i]);
	free(n->kids);
	free(n->text);
	free(n);
}

static struct gk_ynode *node_copy(const struct gk_ynode *n, size_t *budget)
{
	struct gk_ynode *c;
	size_t i;

	if (*budget == 0)
		return NULL;
	(*budget)--;
	c = gk_calloc(1, sizeof(*c));
	*c = *n;
	c->text = n->text ? gk_strdup(n->text) : NULL;
	c->kids = NULL;
	c->nkids = 0;
	for (i = 0; i < n->nkids; i++) {
		struct gk_ynode *k = node_copy(n->kids[i], budget);

		if (!k) {
			gk_ynode_free(c);
			return NULL;
		}
		node_add(c, k);
	}
	return c;
}

static int fail(struct builder *b, const yaml_mark_t *mark, const char *what)
{
	snprintf(b->err, b->errlen, "'%s' line %zu column %zu: %s", b->file,
		 (size_t)mark->line + 1, (size_t)mark->column + 1, what);
	return -1;
}

static int parser_fail(struct builder *b)
{
	const char *what = b->parser.problem ? b->parser.problem : "syntax error";

	return fail(b, &b->parser.problem_mark, what);
}

static void remember_anchor(struct builder *b, const unsigned char *anchor,
			    struct gk_ynode *n)
{
	if (!anchor || b->nanchors == GK_ARRAY_SIZE(b->anchors))
		return;
	b->anchors[b->nanchors].name = gk_strdup((const char *)anchor);
	b->anchors[b->nanchors].node = n;
	b->nanchors++;
}

static int build_node(struct builder *b, yaml_event_t *ev, int depth,
		      struct gk_ynode **out);

static int build_children(struct builder *b, struct gk_ynode *n,
			  yaml_event_type_t end, int depth)
{
	for (;;) {
		yaml_event_t ev;
		struct gk_ynode *kid = NULL;
		int rc;

		if (!yaml_parser_parse(&b->parser, &ev))
			return parser_fail(b);
		if (ev.type == end) {
			yaml_event_delete(&ev);
			break;
		}
		rc = build_node(b, &ev, depth + 1, &kid);
		yaml_event_delete(&ev);
		if (rc)
			return rc;
		node_add(n, kid);
	}
	if (n->kind == GK_Y_MAP) {
		size_t i;

		for (i = 0; i < n->nkids; i += 2)
			if (n->kids[i]->kind != GK_Y_SCALAR) {
				yaml_mark_t m = { 0, (size_t)n->kids[i]->line - 1,
						  (size_t)n->kids[i]->column - 1 };

				return fail(b, &m, "a mapping key must be a scalar");
			}
	}
	return 0;
}

static int build_alias(struct builder *b, yaml_event_t *ev,
		       struct gk_ynode **out)
{
	size_t i, budget;

	for (i = 0; i < b->nanchors; i++) {
		if (strcmp(b->anchors[i].name,
			   (const char *)ev->data.alias.anchor) != 0)
			continue;
		budget = GK_YDOC_MAX_NODES - b->nodes;
		*out = node_copy(b->anchors[i].node, &budget);
		if (!*out)
			return fail(b, &ev->start_mark, "too many nodes");
		b->nodes = GK_YDOC_MAX_NODES - budget;
		return 0;
	}
	return fail(b, &ev->start_mark, "unknown alias");
}

static int build_node(struct builder *b, yaml_event_t *ev, int depth,
		      struct gk_ynode **out)
{
	struct gk_ynode *n;
	int rc = 0;

	if (depth > GK_YDOC_MAX_DEPTH)
		return fail(b, &ev->start_mark, "nesting too deep");
	if (++b->nodes > GK_YDOC_MAX_NODES)
		return fail(b, &ev->start_mark, "too many nodes");
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		n = node_new(GK_Y_SCALAR, &ev->start_mark);
		n->text = gk_strndup((const char *)ev->data.scalar.value,
				     ev->data.scalar.length);
		n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
		remember_anchor(b, ev->data.scalar.anchor, n);
		break;
	case YAML_SEQUENCE_START_EVENT:
		n = node_new(GK_Y_SEQ, &ev->start_mark);
		rc = build_children(b, n, YAML_SEQUENCE_END_EVENT, depth);
		if (!rc)
			remember_anchor(b, ev->data.sequence_start.anchor, n);
		break;
	case YAML_MAPPING_START_EVENT:
		n = node_new(GK_Y_MAP, &ev->start_mark);
		rc = build_children(b, n, YAML_MAPPING_END_EVENT, depth);
		if (!rc)
			remember_anchor(b, ev->data.mapping_start.anchor, n);
		break;
	case YAML_ALIAS_EVENT:
		return build_alias(b, ev, out);
	default:
		return fail(b, &ev->start_mark, "unexpected YAML event");
	}
	if (rc) {
		gk_ynode_free(n);
		return rc;
	}
	*out = n;
	return 0;
}

/* Reads events up to the first document's root node. */
static int build_document(struct builder *b, struct gk_ynode **root)
{
	yaml_mark_t start = { 0, 0, 0 };

	for (;;) {
		yaml_event_t ev;
		int rc = 0;

		if (!yaml_parser_parse(&b->parser, &ev))
			return parser_fail(b);
		switch (ev.type) {
		case YAML_STREAM_START_EVENT:
		case YAML_DOCUMENT_START_EVENT:
			break;
		case YAML_STREAM_END_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			yaml_event_delete(&ev);
			if (!*root)
				*root = node_new(GK_Y_MAP, &start);
			return 0;
		default:
			if (*root)
				rc = fail(b, &ev.start_mark, "more than one node");
			else
				rc = build_node(b, &ev, 0, root);
		}
		yaml_event_delete(&ev);
		if (rc)
			return rc;
	}
}

struct gk_ynode *gk_ydoc_parse(const char *file, const char *data, size_t len,
			       char *err, size_t errlen)
{
	struct builder b;
	struct gk_ynode *root = NULL;
	size_t i;
	int rc;

	memset(&b, 0, sizeof(b));
	b.file = file;
	b.err = err;
	b.errlen = errlen;
	if (!yaml_parser_initialize(&b.parser)) {
		snprintf(err, errlen, "'%s': cannot start the YAML parser", file);
		return NULL;
	}
	yaml_parser_set_input_string(&b.parser, (const unsigned char *)data,
				     len);
	rc = build_document(&b, &root);
	yaml_parser_delete(&b.parser);
	for (i = 0; i < b.nanchors; i++)
		free(b.anchors[i].name);
	if (rc) {
		gk_ynode_free(root);
		return NULL;
	}
	return root;
}

const struct gk_ynode *gk_ymap_get(const struct gk_ynode *map, const char *key)
{
	size_t i;

	if (!map || map->kind != GK_Y_MAP)
		return NULL;
	for (i = 0; i + 1 < map->nkids; i += 2)
		if (strcmp(map->kids[i]->text, key) == 0)
			return map->kids[i + 1];
	return NULL;
}

const char *gk_yscalar(const struct gk_ynode *n)
{
	return n && n->kind == GK_Y_SCALAR ? n->text : NULL;
}

int gk_ybool(const struct gk_ynode *n)
{
	const char *s = gk_yscalar(n);

	if (!s || n->quoted)
		return -1;
	if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE") ||
	    !strcmp(s, "yes") || !strcmp(s, "on"))
		return 1;
	if (!strcmp(s, "false") || !strcmp(s, "False") ||
	    !strcmp(s, "FALSE") || !strcmp(s, "no") || !strcmp(s, "off"))
		return 0;
	return -1;
}

static cJSON *scalar_json(const struct gk_ynode *n)
{
	char *end;
	double d;

	if (n->quoted)
		return cJSON_CreateString(n->text);
	if (gk_ybool(n) >= 0)
		return cJSON_CreateBool(gk_ybool(n));
	if (!strcmp(n->text, "null") || !strcmp(n->text, "~") || !*n->text)
		return cJSON_CreateNull();
	errno = 0;
	d = strtod(n->text, &end);
	if (!errno && end != n->text && !*end &&
	    strspn(n->text, "+-0123456789.eE") == strlen(n->text))
		return cJSON_CreateNumber(d);
	return cJSON_CreateString(n->text);
}

static cJSON *node_json(const struct gk_ynode *n)
{
	cJSON *j;
	size_t i;

	if (n->kind == GK_Y_SCALAR)
		return scalar_json(n);
	if (n->kind == GK_Y_SEQ) {
		j = cJSON_CreateArray();
		for (i = 0; i < n->nkids; i++)
			cJSON_AddItemToArray(j, node_json(n->kids[i]));
		return j;
	}
	j = cJSON_CreateObject();
	for (i = 0; i + 1 < n->nkids; i += 2)
		cJSON_AddItemToObject(j, n->kids[i]->text,
				      node_json(n->kids[i + 1]));
	return j;
}

char *gk_ynode_to_json(const struct gk_ynode *n)
{
	cJSON *j = n ? node_json(n) : cJSON_CreateObject();
	char *s = cJSON_PrintUnformatted(j);
	char *out = gk_strdup(s ? s : "{}");

	cJSON_free(s);
	cJSON_Delete(j);
	return out;
}
