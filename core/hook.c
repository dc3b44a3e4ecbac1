/*
 * gatekeeper hook install [PATH]: makes git's pre-commit hook of the
 * repository at PATH run `gatekeeper scan --staged`, so a commit that
 * adds a secret is stopped before it exists.
 */
#include "commands.h"

#include "log.h"
#include "proc.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Where git looks for hooks (honours core.hooksPath and worktrees). */
static char *hooks_dir(const char *repo)
{
	const char *argv[] = { "git", "rev-parse", "--path-format=absolute",
			       "--git-path", "hooks", NULL };
	char *out = NULL;
	size_t len = 0;

	if (gk_proc_capture(argv, repo, 8192, &out, &len) != 0 || !len) {
		free(out);
		return NULL;
	}
	out[strcspn(out, "\r\n")] = '\0';
	return out;
}

static int write_hook(const char *path, const char *exe)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return gk_error("hook: cannot write '%s': %s", path,
				strerror(errno));
	fprintf(f, "#!/bin/sh\n"
		   "# Written by `gatekeeper hook install`: stops a commit "
		   "whose staged\n"
		   "# changes fail the policy (a secret, by default).\n"
		   "exec '%s' scan --staged -q \"$@\"\n", exe);
	if (fclose(f) != 0 || chmod(path, 0755) != 0)
		return gk_error("hook: cannot write '%s': %s", path,
				strerror(errno));
	return 0;
}

int gk_cmd_hook(struct gk_options *o)
{
	const char *repo = o->args.n > 1 ? o->args.v[1] : ".";
	char *dir, *path, *exe, *self;
	int rc;

	if (!o->args.n || strcmp(o->args.v[0], "install") != 0)
		return gk_error("usage: gatekeeper hook install [PATH]"),
		       GK_EXIT_USAGE;
	dir = hooks_dir(repo);
	if (!dir)
		return gk_error("hook: '%s' is not a git repository", repo),
		       GK_EXIT_USAGE;
	mkdir(dir, 0755);
	path = gk_asprintf("%s/pre-commit", dir);
	exe = gk_exe_dir();
	self = exe ? gk_asprintf("%s/gatekeeper", exe) : gk_strdup("gatekeeper");
	if (gk_is_file(path) && !o->force)
		rc = gk_error("hook: '%s' exists (--force replaces it)", path);
	else
		rc = write_hook(path, self);
	if (rc == 0)
		printf("installed %s\n", path);
	free(dir);
	free(path);
	free(exe);
	free(self);
	return rc ? GK_EXIT_USAGE : GK_EXIT_PASS;
}
