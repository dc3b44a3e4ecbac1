#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SEEN_MAX ((size_t)1 << 24)

void ct_scan_init(struct ct_scan *s, const struct ct_state *st,
		  const struct gk_file *file)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	s->st = st;
	s->file = file;
	for (i = 0; i < CT_NTEXT; i++)
		ct_buf_init(&s->t[i], CT_MAX_TEXT);
}

void ct_scan_release(struct ct_scan *s)
{
	size_t i;

	for (i = 0; i < CT_NTEXT; i++)
		ct_buf_release(&s->t[i]);
	for (i = 0; i < s->seen.cap; i++)
		free(s->seen.slot[i]);
	free(s->seen.slot);
}

static size_t hash_str(const char *s)
{
	size_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Doubles the table; 0 on success. */
static int seen_grow(struct ct_seen *set)
{
	size_t cap = set->cap ? set->cap * 2 : 256, i;
	char **slot;

	if (cap > SEEN_MAX)
		return -1;
	slot = calloc(cap, sizeof(*slot));
	if (!slot)
		return -1;
	for (i = 0; i < set->cap; i++) {
		size_t j;

		if (!set->slot[i])
			continue;
		j = hash_str(set->slot[i]) & (cap - 1);
		while (slot[j])
			j = (j + 1) & (cap - 1);
		slot[j] = set->slot[i];
	}
	free(set->slot);
	set->slot = slot;
	set->cap = cap;
	return 0;
}

int ct_seen_add(struct ct_seen *set, const char *s)
{
	size_t j;

	if ((set->n + 1) * 2 > set->cap && seen_grow(set))
		return 0;
	j = hash_str(s) & (set->cap - 1);
	for (; set->slot[j]; j = (j + 1) & (set->cap - 1))
		if (strcmp(set->slot[j], s) == 0)
			return 0;
	set->slot[j] = strdup(s);
	if (!set->slot[j])
		return 0;
	set->n++;
	return 1;
}

void ct_log(const struct ct_scan *s, int level, const char *fmt, ...)
{
	const struct gk_host_api *api = s->st->api;
	char msg[512];
	va_list ap;

	if (api->log_enabled && !api->log_enabled(s->st->host, level))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	api->log(s->st->host, level, "'%s': %s", s->file->path, msg);
}

static int band_of(double cvss)
{
	if (cvss >= 9.0)
		return GK_SEV_CRITICAL;
	if (cvss >= 7.0)
		return GK_SEV_HIGH;
	if (cvss >= 4.0)
		return GK_SEV_MEDIUM;
	return GK_SEV_LOW;
}

int ct_severity_map(const char *name, double cvss)
{
	static const struct {
		const char *name;
		int sev;
	} map[] = {
		{ "critical", GK_SEV_CRITICAL }, { "high", GK_SEV_HIGH },
		{ "medium", GK_SEV_MEDIUM },     { "moderate", GK_SEV_MEDIUM },
		{ "low", GK_SEV_LOW },           { "negligible", GK_SEV_INFO },
		{ "info", GK_SEV_INFO },
	};
	size_t i;

	for (i = 0; name && i < sizeof(map) / sizeof(map[0]); i++)
		if (strcasecmp(name, map[i].name) == 0)
			return map[i].sev;
	return cvss > 0 ? band_of(cvss) : GK_SEV_MEDIUM;
}

int ct_emit_finding(const struct ct_scan *s, const struct gk_finding *f)
{
	return s->st->api->finding_emit(s->st->host, s->file, f);
}

int ct_emit_component(const struct ct_scan *s, const struct gk_component *c)
{
	return s->st->api->component_emit(s->st->host, s->file, c);
}

void ct_fingerprint(const struct ct_scan *s, const char *key, char out[65])
{
	struct ct_buf b;

	ct_buf_init(&b, CT_MAX_TEXT + 16);
	ct_buf_add(&b, "container|");
	ct_buf_add(&b, key);
	s->st->api->sha256_hex(ct_buf_str(&b), b.len, out);
	ct_buf_release(&b);
}
