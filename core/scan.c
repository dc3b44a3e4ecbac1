#include "scan.h"

#include "log.h"
#include "commands.h"
#include "diffscan.h"
#include "policy.h"
#include "proc.h"
#include "report.h"
#include "session.h"
#include "walk.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define HEAD_BYTES 8192
#define MAX_JOBS 64

struct workq {
	struct gk_session *s;
	const struct gk_strvec *files;
	size_t next;
	pthread_mutex_t lock;
	int64_t max_size;
	int64_t scanned, skipped, bytes;
	int64_t oversize; /* skipped for max_file_size */
};

/* ---- one file --------------------------------------------------------- */

/* Does plugin l take reports of this kind? */
static int takes_report(const struct gk_loaded *l, const char *kind)
{
	const char *const *k;

	if (l->desc->struct_size < offsetof(struct gk_plugin, report_kinds) +
				   sizeof(l->desc->report_kinds))
		return 0;
	for (k = l->desc->report_kinds; k && *k; k++)
		if (strcmp(*k, kind) == 0)
			return 1;
	return 0;
}

static int plugin_wants(const struct gk_loaded *l, const struct gk_file *f)
{
	size_t head = f->size < HEAD_BYTES ? f->size : HEAD_BYTES;

	if (f->origin == GK_ORIGIN_REPORT)
		return takes_report(l, f->kind);
	return !l->desc->wants ||
	       l->desc->wants(l->state, f->path, f->data, head);
}

void gk_scan_hand(struct gk_session *s, struct gk_hfile *hf)
{
	size_t i;

	for (i = 0; i < s->plugins.n; i++) {
		struct gk_loaded *l = &s->plugins.v[i];

		if (!l->initialised || !plugin_wants(l, &hf->file))
			continue;
		if (l->desc->scan_file(l->state, &hf->file) != 0)
			gk_warn("%s: '%s': could not be scanned",
				l->desc->name, hf->file.path);
	}
}

static int is_binary(const unsigned char *data, size_t size)
{
	return memchr(data, 0, size < HEAD_BYTES ? size : HEAD_BYTES) != NULL;
}

/* Maps and scans one file; returns 1 scanned, 0 skipped. */
/*
 * Files up to this size are read into the worker's own buffer; larger
 * ones are mapped.  Reading is cheaper for the many small files of a
 * repository: every unmap makes the other cores flush their TLBs.
 */
#define READ_MAX (1024 * 1024)

/* A worker's reusable buffer for files it reads rather than maps. */
struct wbuf {
	unsigned char *data;
	size_t cap;
};

static int read_whole(int fd, struct wbuf *b, size_t size)
{
	size_t got = 0;

	if (size + 1 > b->cap) {
		b->cap = size + 1 > 65536 ? size + 1 : 65536;
		b->data = gk_realloc(b->data, b->cap);
	}
	while (got < size) {
		ssize_t n = read(fd, b->data + got, size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	return got == size ? 0 : -1;
}

/* The file's bytes: read into b, or mapped (*map set); NULL on error. */
static const unsigned char *file_bytes(int fd, size_t size, struct wbuf *b,
				       void **map)
{
	*map = NULL;
	if (size == 0)
		return (const unsigned char *)"";
	if (size <= READ_MAX)
		return read_whole(fd, b, size) == 0 ? b->data : NULL;
	*map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (*map == MAP_FAILED) {
		*map = NULL;
		return NULL;
	}
	return *map;
}

static void count_oversize(struct workq *q, const char *rel, off_t size)
{
	gk_info("'%s': skipped, %lld bytes is over the size limit", rel,
		(long long)size);
	pthread_mutex_lock(&q->lock);
	q->oversize++;
	pthread_mutex_unlock(&q->lock);
}

static int open_rel(struct workq *q, const char *rel)
{
	char *abs = gk_asprintf("%s/%s", q->s->root, rel);
	int fd = open(abs, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);

	free(abs);
	if (fd < 0 && errno == ENOENT)
		gk_info("'%s': vanished before it was read", rel);
	else if (fd < 0 && errno == ELOOP)
		gk_debug("'%s': a symbolic link, not followed", rel);
	else if (fd < 0)
		gk_warn("'%s': %s", rel, strerror(errno));
	return fd;
}

/* Reads and scans one file; returns 1 scanned, 0 skipped. */
static int scan_path(struct workq *q, struct wbuf *b, const char *rel,
		     int64_t *bytes)
{
	int fd = open_rel(q, rel);
	const unsigned char *data = NULL;
	struct gk_hfile hf;
	struct stat st;
	void *map = NULL;
	int rc = 0;

	if (fd < 0)
		return 0;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		goto out;
	if (st.st_size > q->max_size) {
		count_oversize(q, rel, st.st_size);
		goto out;
	}
	data = file_bytes(fd, (size_t)st.st_size, b, &map);
	if (!data) {
		gk_warn("'%s': %s", rel, errno ? strerror(errno)
					       : "could not be read");
		goto out;
	}
	if (is_binary(data, (size_t)st.st_size)) {
		gk_debug("'%s': skipped, binary", rel);
		goto out;
	}
	memset(&hf, 0, sizeof(hf));
	hf.file.path = rel;
	hf.file.data = data;
	hf.file.size = (size_t)st.st_size;
	hf.file.origin = GK_ORIGIN_WORKTREE;
	gk_scan_hand(q->s, &hf);
	*bytes = st.st_size;
	rc = 1;
out:
	if (map)
		munmap(map, (size_t)st.st_size);
	close(fd);
	return rc;
}

static void *worker_main(void *arg)
{
	struct workq *q = arg;
	struct wbuf b = { NULL, 0 };

	for (;;) {
		size_t i;
		int64_t bytes = 0;
		int ok;

		pthread_mutex_lock(&q->lock);
		i = q->next++;
		pthread_mutex_unlock(&q->lock);
		if (i >= q->files->n)
			break;
		errno = 0;
		ok = scan_path(q, &b, q->files->v[i], &bytes);
		pthread_mutex_lock(&q->lock);
		if (ok) {
			q->scanned++;
			q->bytes += bytes;
		} else {
			q->skipped++;
		}
		pthread_mutex_unlock(&q->lock);
	}
	free(b.data);
	return NULL;
}

static int job_count(const struct gk_options *o)
{
	long n = o->jobs ? o->jobs : sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		n = 1;
	return n > MAX_JOBS ? MAX_JOBS : (int)n;
}

static void run_workers(struct workq *q, int jobs)
{
	pthread_t tids[MAX_JOBS];
	int i, started = 0;

	pthread_mutex_init(&q->lock, NULL);
	for (i = 0; i < jobs && (size_t)i < q->files->n; i++)
		if (pthread_create(&tids[started], NULL, worker_main, q) == 0)
			started++;
	if (started == 0)
		worker_main(q);
	for (i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	pthread_mutex_destroy(&q->lock);
}

/* ---- reports named by the user ------------------------------------- */

/*
 * The report's path as shown in findings: relative to the root when under
 * it, else absolute (never relative to wherever gatekeeper was started).
 */
static char *display_path(const char *root, const char *path)
{
	char real[PATH_MAX];
	size_t n = strlen(root);

	if (!realpath(path, real))
		return gk_strdup(path);
	if (strncmp(real, root, n) == 0 && real[n] == '/')
		return gk_strdup(real + n + 1);
	return gk_strdup(real);
}

static void feed_report(struct gk_session *s, const char *path,
			const char *kind, struct workq *q)
{
	struct gk_hfile hf;
	char *data = NULL, *shown;
	size_t len = 0;

	if (gk_file_read(path, (size_t)1 << 30, &data, &len) < 0) {
		gk_warn("%s report '%s': %s", kind, path,
			errno == EFBIG ? "file too large" : strerror(errno));
		q->skipped++;
		return;
	}
	shown = display_path(s->root, path);
	memset(&hf, 0, sizeof(hf));
	hf.file.path = shown;
	hf.file.data = (const unsigned char *)data;
	hf.file.size = len;
	hf.file.origin = GK_ORIGIN_REPORT;
	hf.file.kind = kind;
	gk_scan_hand(s, &hf);
	q->scanned++;
	q->bytes += (int64_t)len;
	free(shown);
	free(data);
}

/* A report path from gatekeeper.yaml: relative to the root. */
static char *config_report_path(const struct gk_session *s, const char *p)
{
	return p[0] == '/' ? gk_strdup(p) : gk_asprintf("%s/%s", s->root, p);
}

/* Config report paths are relative to the root; flags to the cwd. */
static void feed_reports(struct gk_session *s, struct workq *q)
{
	const struct gk_options *o = s->opts;
	const char *kinds[] = { "trivy", "grype" };
	const struct gk_strvec *flags[] = { &o->trivy_reports,
					    &o->grype_reports };
	const struct gk_strvec *conf[] = { &s->config.trivy_reports,
					   &s->config.grype_reports };
	size_t k, i;

	for (k = 0; k < 2; k++) {
		for (i = 0; i < flags[k]->n; i++)
			feed_report(s, flags[k]->v[i], kinds[k], q);
		for (i = 0; i < conf[k]->n; i++) {
			char *p = config_report_path(s, conf[k]->v[i]);

			feed_report(s, p, kinds[k], q);
			free(p);
		}
	}
}

/* ---- the scan command ----------------------------------------------- */

/*
 * The branch and commit checked out at root, from one git call; both stay
 * NULL outside a repository or before its first commit.
 */
static void git_head(const char *root, char **branch, char **commit)
{
	/* --abbrev-ref applies to the names after it: commit, then branch */
	const char *argv[] = { "git", "rev-parse", "HEAD", "--abbrev-ref",
			       "HEAD", NULL };
	char *out = NULL, *nl;
	size_t len = 0;

	*branch = *commit = NULL;
	if (gk_proc_capture(argv, root, 4096, &out, &len) != 0 || !len) {
		free(out);
		return;
	}
	nl = strchr(out, '\n');
	if (nl) {
		*nl = '\0';
		*commit = gk_strdup(out);
		nl[1 + strcspn(nl + 1, "\r\n")] = '\0';
		*branch = nl[1] ? gk_strdup(nl + 1) : NULL;
	}
	free(out);
}

static int64_t begin_scan(struct gk_session *s)
{
	struct gk_scan_meta m = { 0 };
	char *branch, *commit;
	int64_t id;

	git_head(s->root, &branch, &commit);
	m.root = s->root;
	m.branch = branch;
	m.commit_id = commit;
	m.mode = s->opts->staged    ? "staged"
		 : s->opts->history ? "history"
				    : "worktree";
	id = gk_store_scan_begin(s->run.db, &m);
	free(branch);
	free(commit);
	return id;
}

static void finish_plugins(struct gk_session *s)
{
	size_t i;

	for (i = 0; i < s->plugins.n; i++) {
		struct gk_loaded *l = &s->plugins.v[i];

		if (l->initialised && l->desc->finish &&
		    l->desc->finish(l->state) != 0)
			gk_warn("%s: finish failed", l->desc->name);
	}
}

/*
 * ROOT/.gatekeeper, made on first use with a .gitignore so the database
 * (paths and secret hashes) is not committed by accident.  A scanned tree
 * that holds .gatekeeper as a link or a file could steer the database
 * elsewhere: that is refused.  NULL after logging.
 */
static char *state_dir(const char *root)
{
	char *dir = gk_asprintf("%s/.gatekeeper", root);
	struct stat st;

	if (lstat(dir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return dir;
		gk_error("'%s' is not a directory (a link or a file in the "
			 "scanned tree?); use --db to store scans elsewhere",
			 dir);
		free(dir);
		return NULL;
	}
	if (mkdir(dir, 0755) == 0) {
		char *ignore = gk_asprintf("%s/.gitignore", dir);
		FILE *f = fopen(ignore, "wx");

		if (f) {
			fputs("# gatekeeper's database: not for commits\n*\n",
			      f);
			fclose(f);
		}
		free(ignore);
	}
	return dir;
}

static char *default_db(const struct gk_session *s)
{
	char *dir, *db;

	if (s->opts->db)
		return gk_strdup(s->opts->db);
	dir = state_dir(s->root);
	if (!dir)
		return NULL;
	db = gk_asprintf("%s/gatekeeper.db", dir);
	free(dir);
	return db;
}

static int walk_and_scan(struct gk_session *s, struct workq *q)
{
	struct gk_strvec files = { 0 };
	struct gk_walk_stats ws;
	int is_git;

	if (gk_walk(s->root, &s->config.exclude, &files, &ws, &is_git)) {
		gk_strvec_release(&files);
		return -1;
	}
	gk_info("walk: %zu file(s) listed (%s), %zu excluded, %zu special",
		files.n, is_git ? "git" : "file system", ws.excluded,
		ws.special);
	q->s = s;
	q->files = &files;
	q->max_size = s->config.max_file_size;
	run_workers(q, job_count(s->opts));
	if (q->oversize)
		gk_warn("%lld file(s) over max_file_size (%lld bytes) not "
			"scanned; -v names them", (long long)q->oversize,
			(long long)q->max_size);
	q->skipped += (int64_t)ws.special;
	gk_strvec_release(&files);
	return 0;
}

/* Staged or history mode: what git says was added, not the tree. */
static int diff_scan(struct gk_session *s, struct workq *q)
{
	struct gk_diffscan_stats st;
	int rc = gk_diffscan_run(s, s->opts->staged, s->opts->history_range,
				 job_count(s->opts), &st);

	q->scanned += st.scanned;
	q->skipped += st.skipped;
	q->bytes += st.bytes;
	return rc;
}

static int evaluate(struct gk_session *s, int64_t scan, const char **verdict)
{
	return gk_policy_run(&s->config, s->opts->baseline, s->run.db,
			     s->db_path, scan, verdict);
}

static int count_findings(sqlite3 *db, int64_t scan, int64_t *n)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM findings "
			       "WHERE scan_id = ?", -1, &st, NULL))
		return -1;
	sqlite3_bind_int64(st, 1, scan);
	if (sqlite3_step(st) == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return 0;
}

/* Hands every file (or every change) and named report to the plugins. */
static int collect(struct gk_session *s, struct workq *q)
{
	int rc;

	if (s->opts->staged || s->opts->history) {
		rc = diff_scan(s, q);
		rc = rc == -2 ? GK_EXIT_USAGE : rc ? GK_EXIT_RUNTIME : 0;
	} else {
		rc = walk_and_scan(s, q) ? GK_EXIT_RUNTIME : GK_EXIT_PASS;
	}
	feed_reports(s, q);
	return rc;
}

/* Plugins' finish() once all findings are stored and readable. */
static void run_finish(struct gk_session *s)
{
	if (gk_writer_flush(&s->run.writer) != 0)
		return;
	s->run.ro = gk_store_open(s->db_path, 1);
	finish_plugins(s);
	if (s->run.ro)
		gk_store_close(s->run.ro);
	s->run.ro = NULL;
}

/* Gates, the scans row, the reports; the exit status. */
static int conclude(struct gk_session *s, int64_t scan,
		    const struct workq *q)
{
	struct gk_scan_stats st = { q->scanned, q->skipped, q->bytes, 0 };
	const char *verdict = "pass";
	int rc = evaluate(s, scan, &verdict);

	count_findings(s->run.db, scan, &st.findings);
	if (gk_store_scan_end(s->run.db, scan, &st, rc ? "error" : verdict))
		return GK_EXIT_RUNTIME;
	if (rc)
		return rc;
	rc = gk_report_emit(s->opts, &s->config, s->run.db, scan);
	if (rc)
		return rc;
	return strcmp(verdict, "fail") == 0 ? GK_EXIT_FAIL : GK_EXIT_PASS;
}

static int scan_body(struct gk_session *s, int64_t scan)
{
	struct workq q;
	int rc;

	memset(&q, 0, sizeof(q));
	if (gk_writer_start(&s->run.writer, s->run.db, scan))
		return GK_EXIT_RUNTIME;
	rc = collect(s, &q);
	run_finish(s);
	if (gk_writer_stop(&s->run.writer))
		return GK_EXIT_RUNTIME;
	if (rc) {
		struct gk_scan_stats st = { q.scanned, q.skipped, q.bytes, 0 };

		gk_store_scan_end(s->run.db, scan, &st, "error");
		return rc;
	}
	return conclude(s, scan, &q);
}

/*
 * A report named on the command line that cannot be read is a usage
 * error: a CI step that lost its Trivy output must not pass the gate.
 */
static int check_report(const char *path, const char *shown)
{
	if (access(path, R_OK) != 0)
		return gk_error("report '%s': %s", shown, strerror(errno));
	if (!gk_is_file(path))
		return gk_error("report '%s': not a file", shown);
	return 0;
}

static int check_named_reports(const struct gk_options *o)
{
	const struct gk_strvec *lists[] = { &o->trivy_reports,
					    &o->grype_reports };
	size_t k, i;

	for (k = 0; k < 2; k++)
		for (i = 0; i < lists[k]->n; i++)
			if (check_report(lists[k]->v[i], lists[k]->v[i]))
				return -1;
	return 0;
}

/* The same for the reports gatekeeper.yaml names. */
static int check_config_reports(const struct gk_session *s)
{
	const struct gk_strvec *lists[] = { &s->config.trivy_reports,
					    &s->config.grype_reports };
	size_t k, i;
	int rc = 0;

	for (k = 0; k < 2 && rc == 0; k++)
		for (i = 0; i < lists[k]->n && rc == 0; i++) {
			char *p = config_report_path(s, lists[k]->v[i]);

			rc = check_report(p, lists[k]->v[i]);
			free(p);
		}
	return rc;
}

int gk_cmd_scan(struct gk_options *o)
{
	struct gk_session s;
	const char *root = o->args.n ? o->args.v[0] : ".";
	char *db = NULL;
	int64_t scan;
	int rc;

	if (o->args.n > 1)
		return gk_error("scan takes one PATH, not %zu", o->args.n),
		       GK_EXIT_USAGE;
	if (o->staged && o->history)
		return gk_error("--staged and --history exclude each other"),
		       GK_EXIT_USAGE;
	if (check_named_reports(o) || gk_report_check_formats(o))
		return GK_EXIT_USAGE;
	rc = gk_session_open(&s, o, root);
	if (rc == GK_EXIT_PASS && check_config_reports(&s))
		rc = GK_EXIT_USAGE;
	if (rc == GK_EXIT_PASS && o->sbom &&
	    !gk_strvec_has(&s.plugins.names, "sbom")) {
		gk_error("--sbom needs the sbom plugin, which is not "
			 "installed");
		rc = GK_EXIT_USAGE;
	}
	if (rc == GK_EXIT_PASS) {
		db = default_db(&s);
		rc = db ? gk_session_store(&s, db) : GK_EXIT_USAGE;
	}
	if (rc == GK_EXIT_PASS) {
		scan = begin_scan(&s);
		rc = scan < 0 ? GK_EXIT_RUNTIME : gk_session_init_plugins(&s);
	}
	if (rc == GK_EXIT_PASS)
		rc = scan_body(&s, scan);
	free(db);
	gk_session_close(&s);
	return rc;
}
