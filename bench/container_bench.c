/*
 * Benchmark harness: feeds one report file to the container plugin as a
 * named Trivy report through the mock host and prints the findings and
 * components it got and the time scan_file took.  The file is read into
 * memory first, as the host does; that time is not counted.
 *   usage: container_bench REPORT [kind]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../tests/support/mock_host.h"

const struct gk_plugin *gk_plugin_entry(void);

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const struct gk_plugin *p = gk_plugin_entry();
	gk_host *h = mock_host_new("/");
	void *state = NULL;
	struct gk_file file;
	size_t len;
	double t0, t1;
	char *data;

	if (argc < 2 || !(data = slurp(argv[1], &len))) {
		fprintf(stderr, "usage: container_bench REPORT [kind]\n");
		return 2;
	}
	if (p->init(h, mock_host_api(), "{}", &state))
		return 3;
	file.path = argv[1];
	file.data = (const unsigned char *)data;
	file.size = len;
	file.origin = GK_ORIGIN_REPORT;
	file.kind = argc > 2 ? argv[2] : "trivy";
	t0 = now();
	p->scan_file(state, &file);
	t1 = now();
	printf("bytes %zu findings %zu components %zu warnings %zu "
	       "seconds %.3f MB/s %.1f\n", len, mock_host_nfindings(h),
	       mock_host_ncomponents(h), mock_host_nlogs(h, GK_LOG_WARN),
	       t1 - t0, (double)len / 1e6 / (t1 - t0));
	p->fini(state);
	mock_host_free(h);
	free(data);
	return 0;
}
