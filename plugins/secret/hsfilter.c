/*
 * The vectorscan keyword search: every keyword of st->keywords as one
 * case-insensitive literal of a single database, so a file is read once
 * by a SIMD matcher instead of byte by byte (prefilter.c's walk).
 *
 * Compiling the database takes a few milliseconds, more than the walk
 * needs for a small commit.  So in auto mode the walk scans the first
 * SECRET_HS_AFTER bytes of a run and the database is compiled by the
 * first scan after them, under a lock, and published through an atomic
 * pointer; scans that meanwhile find it busy or not yet ready walk.  A
 * forced "prefilter: vectorscan" compiles it in init() instead.  If the
 * platform lacks what vectorscan needs (SSSE3 on x86) or compiling fails,
 * auto mode logs that at debug level and keeps walking.
 *
 * A scratch space is not thread-safe: each top-level scan clones one.
 */
#include "secret.h"

#include <hs/hs.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define SECRET_HS_AFTER (1u << 20) /* bytes walked before compiling */

struct secret_hs {
	pthread_mutex_t lock;             /* held while compiling */
	_Atomic(hs_database_t *) db;      /* NULL until compiled */
	hs_scratch_t *proto;              /* set before db is published */
	atomic_size_t walked;             /* bytes scanned without db */
	atomic_int failed;                /* compiling failed: walk always */
};

/* The matcher's arguments: the keywords' texts, lengths and ids. */
struct lits {
	const char **text;
	size_t *len;
	unsigned *flags, *ids;
};

static void lits_free(struct lits *l)
{
	free(l->text);
	free(l->len);
	free(l->flags);
	free(l->ids);
}

/* 0, or -1 when a keyword spans lines (hits are ordered per line). */
static int lits_fill(const struct secret_state *st, struct lits *l)
{
	size_t i, n = st->nkeywords;

	l->text = calloc(n, sizeof(*l->text));
	l->len = calloc(n, sizeof(*l->len));
	l->flags = calloc(n, sizeof(*l->flags));
	l->ids = calloc(n, sizeof(*l->ids));
	if (!l->text || !l->len || !l->flags || !l->ids)
		return -1;
	for (i = 0; i < n; i++) {
		if (memchr(st->keywords[i].text, '\n', st->keywords[i].len))
			return -1;
		l->text[i] = st->keywords[i].text;
		l->len[i] = st->keywords[i].len;
		l->flags[i] = HS_FLAG_CASELESS;
		l->ids[i] = (unsigned)i;
	}
	return 0;
}

/* Compiles the database and its first scratch; 0, or -1 with why set. */
static int compile(const struct secret_state *st, hs_database_t **db,
		   hs_scratch_t **scratch, const char **why)
{
	hs_compile_error_t *err = NULL;
	struct lits l = { 0 };
	int rc = -1;

	*why = "no memory, or a keyword spans lines";
	if (hs_valid_platform() != HS_SUCCESS) {
		*why = "this CPU lacks the instructions vectorscan needs";
		return -1;
	}
	if (lits_fill(st, &l))
		goto done;
	if (hs_compile_lit_multi(l.text, l.flags, l.ids, l.len,
				 (unsigned)st->nkeywords, HS_MODE_BLOCK,
				 NULL, db, &err) != HS_SUCCESS) {
		*why = "the keywords did not compile";
		goto done;
	}
	if (hs_alloc_scratch(*db, scratch) != HS_SUCCESS) {
		hs_free_database(*db);
		*db = NULL;
		goto done;
	}
	rc = 0;
done:
	hs_free_compile_error(err);
	lits_free(&l);
	return rc;
}

/* Compiles and publishes the database unless another thread is at it. */
static hs_database_t *build(const struct secret_state *st)
{
	struct secret_hs *hs = st->hs;
	hs_database_t *db = NULL;
	hs_scratch_t *scratch = NULL;
	const char *why;

	if (pthread_mutex_trylock(&hs->lock))
		return NULL;
	db = atomic_load_explicit(&hs->db, memory_order_acquire);
	if (!db && !atomic_load(&hs->failed)) {
		if (compile(st, &db, &scratch, &why) == 0) {
			hs->proto = scratch;
			atomic_store_explicit(&hs->db, db,
					      memory_order_release);
		} else {
			atomic_store(&hs->failed, 1);
			st->api->log(st->host, GK_LOG_DEBUG,
				     "vectorscan prefilter not used: %s; "
				     "using the builtin one", why);
		}
	}
	pthread_mutex_unlock(&hs->lock);
	return db;
}

int secret_hs_init(struct secret_state *st)
{
	hs_database_t *db;
	const char *why;

	st->hs = calloc(1, sizeof(*st->hs));
	if (!st->hs || pthread_mutex_init(&st->hs->lock, NULL)) {
		free(st->hs);
		st->hs = NULL;
		return -1;
	}
	if (st->engine != SECRET_ENGINE_VECTORSCAN || st->nkeywords == 0)
		return 0;
	if (compile(st, &db, &st->hs->proto, &why) == 0) {
		atomic_store(&st->hs->db, db);
		return 0;
	}
	st->api->log(st->host, GK_LOG_ERROR,
		     "config: prefilter 'vectorscan' cannot be used: %s", why);
	return -1;
}

void secret_hs_free(struct secret_state *st)
{
	if (!st->hs)
		return;
	hs_free_scratch(st->hs->proto);
	hs_free_database(atomic_load(&st->hs->db));
	pthread_mutex_destroy(&st->hs->lock);
	free(st->hs);
	st->hs = NULL;
}

/* The database when this scan should use it, else NULL. */
static hs_database_t *database_for(const struct secret_state *st,
				   size_t size)
{
	struct secret_hs *hs = st->hs;
	hs_database_t *db;

	if (!hs || st->engine == SECRET_ENGINE_BUILTIN)
		return NULL;
	db = atomic_load_explicit(&hs->db, memory_order_acquire);
	if (db || atomic_load(&hs->failed))
		return db;
	if (atomic_fetch_add(&hs->walked, size) + size < SECRET_HS_AFTER)
		return NULL;
	return build(st);
}

struct hs_scratch *secret_hs_scratch(const struct secret_state *st,
				     size_t size)
{
	hs_scratch_t *s = NULL;

	if (!database_for(st, size))
		return NULL;
	if (hs_clone_scratch(st->hs->proto, &s) != HS_SUCCESS)
		return NULL;
	return s;
}

void secret_hs_scratch_free(struct hs_scratch *s)
{
	hs_free_scratch(s);
}

/* Adapts vectorscan's callback to the caller's. */
struct relay {
	int (*fn)(void *arg, uint32_t kw, size_t end);
	void *arg;
};

static int on_match(unsigned int id, unsigned long long from,
		    unsigned long long to, unsigned int flags, void *ctx)
{
	const struct relay *r = ctx;

	(void)from;
	(void)flags;
	return r->fn(r->arg, id, (size_t)to);
}

int secret_hs_scan(const struct secret_state *st, struct hs_scratch *s,
		   const unsigned char *data, size_t size,
		   int (*fn)(void *arg, uint32_t kw, size_t end), void *arg)
{
	struct relay r = { fn, arg };
	hs_database_t *db = atomic_load_explicit(&st->hs->db,
						 memory_order_acquire);
	hs_error_t rc;

	rc = hs_scan(db, (const char *)data, (unsigned)size, 0, s, on_match,
		     &r);
	if (rc == HS_SCAN_TERMINATED)
		return 1;
	return rc == HS_SUCCESS ? 0 : -1;
}
