#include "proc.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int spawn_child(const char *const argv[], const char *cwd, int out_fd,
		       pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	int rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (cwd)
		posix_spawn_file_actions_addchdir_np(&fa, cwd);
	rc = posix_spawnp(pid, argv[0], &fa, NULL, (char *const *)argv,
			  environ);
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

static int read_all(int fd, size_t max, struct gk_buf *b)
{
	char chunk[65536];
	int over = 0;

	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (!over && gk_buf_add(b, chunk, (size_t)n) < 0)
			over = 1;
	}
	(void)max;
	return over ? -1 : 0;
}

int gk_proc_capture(const char *const argv[], const char *cwd, size_t max,
		    char **out, size_t *len)
{
	struct gk_buf b;
	int fds[2], status, over;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	if (spawn_child(argv, cwd, fds[1], &pid) != 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	close(fds[1]);
	gk_buf_init(&b, max);
	over = read_all(fds[0], max, &b);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (over || !WIFEXITED(status)) {
		gk_buf_release(&b);
		return -1;
	}
	*len = b.len;
	*out = gk_buf_detach(&b);
	return WEXITSTATUS(status);
}

FILE *gk_proc_open(const char *const argv[], const char *cwd, pid_t *pid)
{
	int fds[2];
	FILE *f;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return NULL;
	if (spawn_child(argv, cwd, fds[1], pid) != 0) {
		close(fds[0]);
		close(fds[1]);
		return NULL;
	}
	close(fds[1]);
	f = fdopen(fds[0], "r");
	if (!f) {
		close(fds[0]);
		kill(*pid, SIGTERM);
		waitpid(*pid, NULL, 0);
	}
	return f;
}

int gk_proc_close(FILE *f, pid_t pid)
{
	int status;

	fclose(f);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
