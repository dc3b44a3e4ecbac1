/*
 * Compose files: every services.<name>.image becomes a container
 * component and, when not pinned by digest, a finding.  Read as a stream
 * of libyaml events with a bounded nesting depth.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "image.h"
#include "internal.h"

#define MAX_DEPTH 64
#define MAX_KEY 128

struct level {
	int mapping;        /* a mapping (else a sequence) */
	int want_key;       /* the next scalar is a key */
	char key[MAX_KEY];  /* the key whose value is being read */
};

struct walk {
	struct ct_scan *s;
	struct level stack[MAX_DEPTH];
	int depth;
	int too_deep;
};

/* services (depth 1 key) -> <name> (depth 2) -> image (depth 3). */
static int at_image(const struct walk *w)
{
	return w->depth == 3 && w->stack[0].mapping && w->stack[1].mapping &&
	       w->stack[2].mapping && !w->stack[2].want_key &&
	       strcmp(w->stack[0].key, "services") == 0 &&
	       strcmp(w->stack[2].key, "image") == 0;
}

static void on_scalar(struct walk *w, const yaml_event_t *ev)
{
	struct level *top = w->depth ? &w->stack[w->depth - 1] : NULL;
	const char *value = (const char *)ev->data.scalar.value;
	char what[MAX_KEY + 16];

	if (!top || !top->mapping)
		return;
	if (top->want_key) {
		snprintf(top->key, sizeof(top->key), "%s", value);
		top->want_key = 0;
		return;
	}
	if (at_image(w)) {
		snprintf(what, sizeof(what), "service '%s'", w->stack[1].key);
		ct_image_check(w->s, value, (int)ev->start_mark.line + 1, what);
	}
	top->want_key = 1;
}

static void on_open(struct walk *w, int mapping)
{
	struct level *l;

	if (w->depth == MAX_DEPTH) {
		w->too_deep = 1;
		return;
	}
	l = &w->stack[w->depth++];
	l->mapping = mapping;
	l->want_key = 1;
	l->key[0] = '\0';
}

static void on_close(struct walk *w)
{
	if (w->depth > 0)
		w->depth--;
	if (w->depth > 0)
		w->stack[w->depth - 1].want_key = 1;
}

/* Handles one event; 0 at the end of the stream. */
static int on_event(struct walk *w, const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_STREAM_END_EVENT:
		return 0;
	case YAML_MAPPING_START_EVENT:
		on_open(w, 1);
		break;
	case YAML_SEQUENCE_START_EVENT:
		on_open(w, 0);
		break;
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		on_close(w);
		break;
	case YAML_SCALAR_EVENT:
		on_scalar(w, ev);
		break;
	case YAML_ALIAS_EVENT:
		if (w->depth && w->stack[w->depth - 1].mapping)
			w->stack[w->depth - 1].want_key ^= 1;
		break;
	default:
		break;
	}
	return !w->too_deep;
}

int ct_compose_scan(struct ct_scan *s)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	struct walk w;
	int more = 1;

	memset(&w, 0, sizeof(w));
	w.s = s;
	if (!yaml_parser_initialize(&parser))
		return -1;
	yaml_parser_set_input_string(&parser, s->file->data, s->file->size);
	while (more) {
		if (!yaml_parser_parse(&parser, &ev)) {
			ct_log(s, GK_LOG_WARN, "yaml error at line %zu: %s",
			       parser.problem_mark.line + 1,
			       parser.problem ? parser.problem : "unknown");
			break;
		}
		more = on_event(&w, &ev);
		yaml_event_delete(&ev);
	}
	if (w.too_deep)
		ct_log(s, GK_LOG_WARN, "nested deeper than %d levels; the rest "
		       "is unchecked", MAX_DEPTH);
	yaml_parser_delete(&parser);
	return 0;
}

int ct_compose_wants(const char *path)
{
	const char *b = strrchr(path, '/');
	size_t n;

	b = b ? b + 1 : path;
	n = strlen(b);
	if (n < 5 || (strcasecmp(b + n - 4, ".yml") != 0 &&
		      strcasecmp(b + n - 5, ".yaml") != 0))
		return 0;
	return strncasecmp(b, "docker-compose", 14) == 0 ||
	       strncasecmp(b, "compose.", 8) == 0 ||
	       strncasecmp(b, "compose-", 8) == 0;
}
