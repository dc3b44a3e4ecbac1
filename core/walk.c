#include "walk.h"

#include "log.h"
#include "proc.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define GIT_LIST_MAX (512u * 1024 * 1024)
#define WALK_MAX_DEPTH 256

int gk_walk_excluded(const struct gk_strvec *exclude, const char *path)
{
	size_t i;

	for (i = 0; i < exclude->n; i++)
		if (gk_glob_match(exclude->v[i], path))
			return 1;
	return 0;
}

int gk_walk_internal(const char *path)
{
	return strncmp(path, ".gatekeeper/", 12) == 0;
}

static int path_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Adds path when it is a regular file.  regular says the caller's lstat
 * already found it one; otherwise it is checked here (links are not
 * followed).
 */
static void consider(const char *root, const char *rel, int regular,
		     const struct gk_strvec *exclude, struct gk_strvec *files,
		     struct gk_walk_stats *st)
{
	struct stat sb;
	char *abs;

	if (gk_walk_internal(rel))
		return;
	if (gk_walk_excluded(exclude, rel)) {
		st->excluded++;
		return;
	}
	if (regular) {
		gk_strvec_push(files, rel);
		return;
	}
	abs = gk_asprintf("%s/%s", root, rel);
	if (lstat(abs, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		st->special++;
		free(abs);
		return;
	}
	free(abs);
	gk_strvec_push(files, rel);
}

static int git_list(const char *root, const struct gk_strvec *exclude,
		    struct gk_strvec *files, struct gk_walk_stats *st)
{
	const char *argv[] = { "git", "-c", "core.quotepath=off", "ls-files",
			       "-z", "-co", "--exclude-standard", NULL };
	char *out = NULL, *p;
	size_t len = 0;
	int rc = gk_proc_capture(argv, root, GIT_LIST_MAX, &out, &len);

	if (rc != 0) {
		free(out);
		return -1;
	}
	for (p = out; p < out + len; p += strlen(p) + 1) {
		if (!*p)
			continue;
		/* ls-files -co repeats a path that is both; skip neighbours. */
		if (files->n && strcmp(files->v[files->n - 1], p) == 0)
			continue;
		consider(root, p, 0, exclude, files, st);
	}
	free(out);
	return 0;
}

int gk_git_work_tree(const char *root)
{
	const char *argv[] = { "git", "rev-parse", "--is-inside-work-tree",
			       NULL };
	char *out = NULL;
	size_t len = 0;
	int rc = gk_proc_capture(argv, root, 4096, &out, &len);
	int yes = rc == 0 && out && strncmp(out, "true", 4) == 0;

	free(out);
	return yes;
}

static void fs_walk(const char *root, const char *rel, int depth,
		    const struct gk_strvec *exclude, struct gk_strvec *files,
		    struct gk_walk_stats *st)
{
	char *abs = rel[0] ? gk_asprintf("%s/%s", root, rel) : gk_strdup(root);
	DIR *d = opendir(abs);
	struct dirent *e;

	if (!d) {
		gk_warn("walk: '%s': %s", rel[0] ? rel : root, strerror(errno));
		st->errors++;
		free(abs);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		struct stat sb;
		char *kid, *kid_abs;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    !strcmp(e->d_name, ".git"))
			continue;
		kid = rel[0] ? gk_asprintf("%s/%s", rel, e->d_name)
			     : gk_strdup(e->d_name);
		kid_abs = gk_asprintf("%s/%s", abs, e->d_name);
		if (lstat(kid_abs, &sb) < 0) {
			st->errors++;
		} else if (S_ISDIR(sb.st_mode)) {
			char *slash = gk_asprintf("%s/", kid);

			if (!strcmp(kid, ".gatekeeper"))
				;
			else if (gk_walk_excluded(exclude, kid) ||
				 gk_walk_excluded(exclude, slash))
				st->excluded++;
			else if (depth < WALK_MAX_DEPTH)
				fs_walk(root, kid, depth + 1, exclude, files,
					st);
			free(slash);
		} else if (S_ISREG(sb.st_mode)) {
			consider(root, kid, 1, exclude, files, st);
		} else {
			st->special++;
		}
		free(kid);
		free(kid_abs);
	}
	closedir(d);
	free(abs);
}

int gk_walk(const char *root, const struct gk_strvec *exclude,
	    struct gk_strvec *files, struct gk_walk_stats *stats, int *is_git)
{
	memset(stats, 0, sizeof(*stats));
	*is_git = 0;
	if (!gk_is_dir(root))
		return gk_error("walk: '%s': not a directory", root);
	if (gk_git_work_tree(root) && git_list(root, exclude, files, stats) == 0)
		*is_git = 1;
	else
		fs_walk(root, "", 0, exclude, files, stats);
	if (files->n)
		qsort(files->v, files->n, sizeof(*files->v), path_cmp);
	return 0;
}
