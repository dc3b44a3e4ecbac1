/*
 * libFuzzer target for the secret plugin: the plugin is initialised once
 * with the shipped rules (GK_RULES_DIR, or ./rules from the repository
 * root) against the mock host, then every input is handed to wants() and
 * scan_file() as one file.  The first input byte picks the file path so
 * path-scoped rules run too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../support/mock_host.h"

const struct gk_plugin *gk_plugin_entry(void);
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static gk_host *host;
static void *state;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("GK_RULES_DIR");
	char cwd[4096], cfg[8400];

	(void)argc;
	(void)argv;
	if (!dir) {
		if (!getcwd(cwd, sizeof(cwd)))
			abort();
		snprintf(cfg, sizeof(cfg), "{\"rules_dir\": \"%s/rules\"}", cwd);
	} else {
		snprintf(cfg, sizeof(cfg), "{\"rules_dir\": \"%s\"}", dir);
	}
	host = mock_host_new("/");
	if (gk_plugin_entry()->init(host, mock_host_api(), cfg, &state)) {
		fprintf(stderr, "fuzz_secret: init failed: %s\n",
			mock_host_log_line(host, 0));
		abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = { "a.env", "keys/client.p12",
					     "config/app.yaml", "" };
	const char *path = paths[size ? data[0] % 4 : 0];
	const struct gk_plugin *p = gk_plugin_entry();
	size_t head = size < 8192 ? size : 8192;
	struct gk_file file = { path, data, size, GK_ORIGIN_WORKTREE, NULL };

	mock_host_reset(host);
	if (p->wants(state, path, data, head))
		p->scan_file(state, &file);
	return 0;
}
