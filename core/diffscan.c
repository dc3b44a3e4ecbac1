#include "diffscan.h"

#include "gitdiff.h"
#include "log.h"
#include "proc.h"
#include "scan.h"
#include "walk.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define QUEUE_MAX 256
#define MAX_WORKERS 64

struct item {
	struct gk_hfile hf;
	struct gk_diff_file *df;
	char *commit_id, *author, *email, *date;
	struct item *next;
};

struct queue {
	pthread_mutex_t lock;
	pthread_cond_t more, room;
	struct item *head, *tail;
	size_t n;
	int closed;
	struct gk_session *s;
	struct gk_diffscan_stats *st;
	int64_t max_size;
};

static void item_free(struct item *it)
{
	gk_diff_file_free(it->df);
	free(it->commit_id);
	free(it->author);
	free(it->email);
	free(it->date);
	free(it);
}

static void queue_push(struct queue *q, struct item *it)
{
	pthread_mutex_lock(&q->lock);
	while (q->n >= QUEUE_MAX)
		pthread_cond_wait(&q->room, &q->lock);
	if (q->tail)
		q->tail->next = it;
	else
		q->head = it;
	q->tail = it;
	q->n++;
	pthread_cond_signal(&q->more);
	pthread_mutex_unlock(&q->lock);
}

static struct item *queue_pop(struct queue *q)
{
	struct item *it;

	pthread_mutex_lock(&q->lock);
	while (!q->head && !q->closed)
		pthread_cond_wait(&q->more, &q->lock);
	it = q->head;
	if (it) {
		q->head = it->next;
		if (!q->head)
			q->tail = NULL;
		q->n--;
		pthread_cond_signal(&q->room);
	}
	pthread_mutex_unlock(&q->lock);
	return it;
}

static void count(struct queue *q, int scanned, size_t bytes)
{
	pthread_mutex_lock(&q->lock);
	if (scanned) {
		q->st->scanned++;
		q->st->bytes += (int64_t)bytes;
	} else {
		q->st->skipped++;
	}
	pthread_mutex_unlock(&q->lock);
}

static void *worker(void *arg)
{
	struct queue *q = arg;
	struct item *it;

	while ((it = queue_pop(q)) != NULL) {
		gk_scan_hand(q->s, &it->hf);
		count(q, 1, it->df->data.len);
		item_free(it);
	}
	return NULL;
}

static char *dup_or_null(const char *s)
{
	return s ? gk_strdup(s) : NULL;
}

/* What happens to a block: scanned, skipped (and counted), or left out. */
enum block_fate { BLOCK_SCAN, BLOCK_SKIP, BLOCK_LEAVE };

static enum block_fate block_fate(struct queue *q, const struct gk_diff_file *f)
{
	if (gk_walk_internal(f->path) ||
	    gk_walk_excluded(&q->s->config.exclude, f->path))
		return BLOCK_LEAVE;
	if (f->binary) {
		gk_debug("'%s': binary change skipped", f->path);
		return BLOCK_SKIP;
	}
	if (f->truncated)
		gk_warn("'%s': more than %lld bytes added; the rest is not "
			"scanned", f->path, (long long)q->max_size);
	return BLOCK_SCAN;
}

/* Parser callback: one file block of one commit becomes one work item. */
static int on_block(void *arg, const struct gk_diff_commit *c,
		    struct gk_diff_file *f)
{
	struct queue *q = arg;
	enum block_fate fate = block_fate(q, f);
	struct item *it;

	if (fate != BLOCK_SCAN) {
		if (fate == BLOCK_SKIP)
			count(q, 0, 0);
		gk_diff_file_free(f);
		return 0;
	}
	it = gk_calloc(1, sizeof(*it));
	it->df = f;
	if (c) {
		it->commit_id = dup_or_null(c->id);
		it->author = dup_or_null(c->author);
		it->email = dup_or_null(c->email);
		it->date = dup_or_null(c->date);
	}
	it->hf.file.path = f->path;
	it->hf.file.data = (const unsigned char *)f->data.data;
	it->hf.file.size = f->data.len;
	it->hf.file.origin = c ? GK_ORIGIN_HISTORY : GK_ORIGIN_STAGED;
	it->hf.line_map = f->line_map;
	it->hf.nlines = f->nlines;
	it->hf.commit_id = it->commit_id;
	it->hf.author = it->author;
	it->hf.email = it->email;
	it->hf.date = it->date;
	queue_push(q, it);
	return 0;
}

static void build_argv(const char **argv, int staged, const char *range)
{
	size_t n = 0;

	argv[n++] = "git";
	argv[n++] = "-c";
	argv[n++] = "core.quotepath=off";
	if (staged) {
		argv[n++] = "diff";
		argv[n++] = "--cached";
	} else {
		argv[n++] = "log";
		argv[n++] = "-p";
		argv[n++] = GK_GITDIFF_LOG_FORMAT;
	}
	argv[n++] = "-U0";
	argv[n++] = "--no-color";
	argv[n++] = "--no-ext-diff";
	argv[n++] = "--no-textconv";
	argv[n++] = "--no-renames";
	argv[n++] = "--diff-filter=AM";
	argv[n++] = "--src-prefix=a/";
	argv[n++] = "--dst-prefix=b/";
	if (!staged) {
		if (range && *range) {
			argv[n++] = "--end-of-options";
			argv[n++] = range;
		} else {
			argv[n++] = "--all";
		}
	}
	argv[n] = NULL;
}

/* A .git (directory or file) in root or above it. */
static int has_dot_git(const char *root)
{
	char *dir = gk_strdup(root), *slash;
	int found = 0;

	while (!found) {
		char *p = gk_asprintf("%s/.git", *dir ? dir : "");
		struct stat st;

		found = stat(p, &st) == 0;
		free(p);
		slash = strrchr(dir, '/');
		if (!slash)
			break;
		*slash = '\0';
		if (!*dir && slash == dir)
			break;
	}
	free(dir);
	return found;
}

/* Asks git only when no .git is in sight (GIT_DIR and the like). */
static int is_work_tree(const char *root)
{
	if (has_dot_git(root))
		return 1;
	return gk_git_work_tree(root);
}

/* Does git accept range?  (It would fail midway through the scan.) */
static int valid_range(const char *root, const char *range)
{
	const char *argv[] = { "git", "rev-list", "--max-count=0",
			       "--end-of-options", range, NULL };
	char *out = NULL;
	size_t len = 0;
	int rc = gk_proc_capture(argv, root, 4096, &out, &len);

	free(out);
	return rc == 0;
}

static int feed(struct queue *q, int staged, const char *range)
{
	const char *argv[24];
	FILE *in;
	pid_t pid;
	int rc, status;

	build_argv(argv, staged, range);
	in = gk_proc_open(argv, q->s->root, &pid);
	if (!in)
		return gk_error("cannot run git in '%s'", q->s->root);
	rc = gk_gitdiff_parse(in, (size_t)q->max_size, on_block, q);
	status = gk_proc_close(in, pid);
	if (rc == 0 && status != 0)
		return gk_error("git %s failed in '%s'%s%s", argv[3],
				q->s->root, range ? " for range " : "",
				range ? range : "");
	return rc ? gk_error("could not read git's output") : 0;
}

int gk_diffscan_run(struct gk_session *s, int staged, const char *range,
		    int jobs, struct gk_diffscan_stats *st)
{
	pthread_t tids[MAX_WORKERS];
	struct queue q;
	int i, started = 0, rc;

	if (!is_work_tree(s->root)) {
		gk_error("'%s' is not a git work tree; --%s needs one",
			 s->root, staged ? "staged" : "history");
		return -2;
	}
	if (!staged && range && *range && !valid_range(s->root, range)) {
		gk_error("--history: '%s' is not a revision range git knows "
			 "in '%s'", range, s->root);
		return -2;
	}
	memset(&q, 0, sizeof(q));
	memset(st, 0, sizeof(*st));
	pthread_mutex_init(&q.lock, NULL);
	pthread_cond_init(&q.more, NULL);
	pthread_cond_init(&q.room, NULL);
	q.s = s;
	q.st = st;
	q.max_size = s->config.max_file_size;
	for (i = 0; i < jobs && i < MAX_WORKERS; i++)
		if (pthread_create(&tids[started], NULL, worker, &q) == 0)
			started++;
	if (started == 0)
		return gk_error("cannot start worker threads");
	rc = feed(&q, staged, range);
	pthread_mutex_lock(&q.lock);
	q.closed = 1;
	pthread_cond_broadcast(&q.more);
	pthread_mutex_unlock(&q.lock);
	for (i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	pthread_mutex_destroy(&q.lock);
	pthread_cond_destroy(&q.more);
	pthread_cond_destroy(&q.room);
	return rc;
}
