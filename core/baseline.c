#include "baseline.h"

#include "log.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REPORT_BYTES ((size_t)512 << 20)

static void add_fp(struct gk_baseline *b, size_t *alloc, const char *fp)
{
	if (!fp || !*fp)
		return;
	if (b->n == *alloc) {
		*alloc = *alloc ? *alloc * 2 : 64;
		b->fps = gk_realloc(b->fps, *alloc * sizeof(*b->fps));
	}
	b->fps[b->n++] = gk_strdup(fp);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int from_scan(struct gk_baseline *b, sqlite3 *db, int64_t id)
{
	sqlite3_stmt *st;
	size_t alloc = 0;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT fingerprint FROM findings"
			       " WHERE scan_id = ?", -1, &st, NULL))
		return gk_error("baseline: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		add_fp(b, &alloc, (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return gk_error("baseline: %s", sqlite3_errmsg(db));
	b->source = gk_asprintf("scan %lld", (long long)id);
	return 0;
}

/* Runs sql (one int64 column) with ?1 = scan; 1 found, 0 none, -1. */
static int scan_lookup(sqlite3 *db, const char *sql, int64_t scan,
		       int64_t *out)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL))
		return gk_error("baseline: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, scan);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : gk_error("baseline: %s",
						 sqlite3_errmsg(db));
}

static int from_last(struct gk_baseline *b, sqlite3 *db, int64_t scan)
{
	int64_t prev = 0;
	int rc = scan_lookup(db,
			     "SELECT p.id FROM scans p JOIN scans s ON s.id = ?1"
			     " WHERE p.root = s.root AND p.branch IS s.branch"
			     " AND p.id < s.id AND p.status = 'done'"
			     " ORDER BY p.id DESC LIMIT 1", scan, &prev);

	if (rc < 0)
		return -1;
	if (rc == 0) {
		gk_info("baseline: no earlier scan of this root and branch; "
			"every finding is new");
		return 0;
	}
	return from_scan(b, db, prev);
}

static void sarif_fps(struct gk_baseline *b, size_t *alloc,
		      const cJSON *runs)
{
	const cJSON *run, *res;

	cJSON_ArrayForEach(run, runs) {
		cJSON_ArrayForEach(res, cJSON_GetObjectItem(run, "results")) {
			const cJSON *pf = cJSON_GetObjectItem(res,
							      "partialFingerprints");

			add_fp(b, alloc, cJSON_GetStringValue(cJSON_GetObjectItem(
					 pf, GK_SARIF_FINGERPRINT_KEY)));
		}
	}
}

static void json_fps(struct gk_baseline *b, size_t *alloc,
		     const cJSON *findings)
{
	const cJSON *f;

	cJSON_ArrayForEach(f, findings)
		add_fp(b, alloc, cJSON_GetStringValue(
				 cJSON_GetObjectItem(f, "fingerprint")));
}

/* Reads fingerprints from doc; -2 when it is neither of our reports. */
static int from_doc(struct gk_baseline *b, const cJSON *doc,
		    const char *path)
{
	const cJSON *runs = cJSON_GetObjectItem(doc, "runs");
	const cJSON *findings = cJSON_GetObjectItem(doc, "findings");
	size_t alloc = 0;

	if (cJSON_IsArray(runs))
		sarif_fps(b, &alloc, runs);
	else if (cJSON_IsArray(findings))
		json_fps(b, &alloc, findings);
	else
		return gk_error("baseline '%s': neither a gatekeeper JSON "
				"report nor a SARIF log", path), -2;
	if (cJSON_IsArray(runs) && b->n == 0 &&
	    cJSON_GetArraySize(runs) > 0)
		gk_warn("baseline '%s': no result carries a '%s' "
			"fingerprint", path, GK_SARIF_FINGERPRINT_KEY);
	b->source = gk_asprintf("report '%s'", path);
	return 0;
}

static int from_file(struct gk_baseline *b, const char *path)
{
	char *data = NULL;
	size_t len = 0;
	cJSON *doc;
	int rc;

	if (gk_file_read(path, MAX_REPORT_BYTES, &data, &len) < 0)
		return gk_error("baseline '%s': %s", path,
				errno == EFBIG ? "file too large"
					       : strerror(errno)), -2;
	doc = cJSON_ParseWithLength(data, len);
	free(data);
	if (!doc)
		return gk_error("baseline '%s': not valid JSON", path), -2;
	rc = from_doc(b, doc, path);
	cJSON_Delete(doc);
	return rc;
}

static int is_scan_id(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

static int from_id(struct gk_baseline *b, sqlite3 *db, const char *spec)
{
	int64_t id = strtoll(spec, NULL, 10), found = 0;
	int rc = scan_lookup(db, "SELECT id FROM scans WHERE id = ?1", id,
			     &found);

	if (rc < 0)
		return -1;
	if (rc == 0)
		return gk_error("baseline: no scan with id %s", spec), -2;
	return from_scan(b, db, id);
}

int gk_baseline_load(struct gk_baseline *b, sqlite3 *db, const char *spec,
		     int64_t scan)
{
	int rc;

	memset(b, 0, sizeof(*b));
	if (!spec || !*spec)
		return 0;
	if (!strcmp(spec, "last"))
		rc = from_last(b, db, scan);
	else if (is_scan_id(spec))
		rc = from_id(b, db, spec);
	else
		rc = from_file(b, spec);
	if (rc == 0 && b->n)
		qsort(b->fps, b->n, sizeof(*b->fps), cmp_str);
	if (rc == 0 && b->source)
		gk_info("baseline: %s, %zu fingerprint(s)", b->source, b->n);
	return rc;
}

void gk_baseline_release(struct gk_baseline *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		free(b->fps[i]);
	free(b->fps);
	free(b->source);
	memset(b, 0, sizeof(*b));
}

int gk_baseline_has(const struct gk_baseline *b, const char *fp)
{
	return fp && b->n &&
	       bsearch(&fp, b->fps, b->n, sizeof(*b->fps), cmp_str) != NULL;
}

size_t gk_baseline_count(const struct gk_baseline *b, const char *fp)
{
	char **hit;
	size_t lo, hi;

	if (!gk_baseline_has(b, fp))
		return 0;
	hit = bsearch(&fp, b->fps, b->n, sizeof(*b->fps), cmp_str);
	lo = hi = (size_t)(hit - b->fps);
	while (lo > 0 && !strcmp(b->fps[lo - 1], fp))
		lo--;
	while (hi + 1 < b->n && !strcmp(b->fps[hi + 1], fp))
		hi++;
	return hi - lo + 1;
}
