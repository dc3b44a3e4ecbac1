/*
 * libFuzzer target for the container plugin: every input is scanned as a
 * named Trivy report, a named Grype report, a report found in the tree, a
 * Dockerfile and a compose file, through the mock host.  Built and run
 * by tests/fuzz/run.sh (FUZZ_ONLY=container sh tests/fuzz/run.sh 60),
 * which links it with every source of plugins/container and the mock
 * host.
 */
#include <stddef.h>
#include <stdint.h>

#include "../support/mock_host.h"

const struct gk_plugin *gk_plugin_entry(void);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static gk_host *host;
static void *state;

static void scan_as(const char *path, int origin, const char *kind,
		    const uint8_t *data, size_t size)
{
	const struct gk_plugin *p = gk_plugin_entry();
	struct gk_file f = { path, data, size, origin, kind };

	p->scan_file(state, &f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct gk_plugin *p = gk_plugin_entry();

	if (!host) {
		host = mock_host_new("/");
		if (p->init(host, mock_host_api(), "{}", &state))
			return 0;
	}
	scan_as("r.json", GK_ORIGIN_REPORT, "trivy", data, size);
	scan_as("g.json", GK_ORIGIN_REPORT, "grype", data, size);
	scan_as("tree.json", GK_ORIGIN_WORKTREE, NULL, data, size);
	scan_as("Dockerfile", GK_ORIGIN_WORKTREE, NULL, data, size);
	scan_as("compose.yaml", GK_ORIGIN_WORKTREE, NULL, data, size);
	mock_host_reset(host);
	return 0;
}
