/*
 * Prototype, not part of gatekeeper: how fast a Hyperscan-style literal
 * matcher (Debian's libvectorscan) finds every rule keyword, ignoring
 * case, in the files named on standard input.  It stands for the
 * multi-pattern prefilter that would replace the plugin's byte-pair walk;
 * bench/run.sh times it beside ripgrep's keyword floor.
 *
 *   usage: hs_floor KEYWORDS.txt < file-list
 *   prints: files, bytes, keyword hits, lines with a hit
 */
#include <hs/hs.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_KEYWORDS 4096

struct tally {
	const unsigned char *data;
	size_t size;
	unsigned long long hits, lines;
	size_t last_line_end; /* end of the last line counted */
};

static int on_match(unsigned int id, unsigned long long from,
		    unsigned long long to, unsigned int flags, void *arg)
{
	struct tally *t = arg;

	(void)id;
	(void)from;
	(void)flags;
	t->hits++;
	if (to > t->last_line_end) {
		t->lines++;
		t->last_line_end = to;
		while (t->last_line_end < t->size &&
		       t->data[t->last_line_end - 1] != '\n')
			t->last_line_end++;
	}
	return 0;
}

/* Reads one keyword a line; the caller frees each string and the array. */
static size_t read_keywords(const char *path, char **words)
{
	FILE *f = fopen(path, "r");
	char buf[256];
	size_t n = 0;

	if (!f)
		return 0;
	while (n < MAX_KEYWORDS && fgets(buf, sizeof(buf), f)) {
		buf[strcspn(buf, "\n")] = '\0';
		if (buf[0])
			words[n++] = strdup(buf);
	}
	fclose(f);
	return n;
}

static hs_database_t *compile(char **words, size_t n)
{
	static unsigned flags[MAX_KEYWORDS], ids[MAX_KEYWORDS];
	static size_t lens[MAX_KEYWORDS];
	hs_compile_error_t *err = NULL;
	hs_database_t *db = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		flags[i] = HS_FLAG_CASELESS;
		ids[i] = (unsigned)i;
		lens[i] = strlen(words[i]);
	}
	if (hs_compile_lit_multi((const char *const *)words, flags, ids, lens,
				 (unsigned)n, HS_MODE_BLOCK, NULL, &db,
				 &err) != HS_SUCCESS) {
		fprintf(stderr, "hs_floor: %s\n", err ? err->message : "?");
		hs_free_compile_error(err);
		return NULL;
	}
	return db;
}

/* Scans one file; 0 on success or an unreadable file, -1 on a scan error. */
static int scan_file(const char *path, hs_database_t *db, hs_scratch_t *s,
		     struct tally *t, unsigned long long *bytes)
{
	struct stat st;
	int fd = open(path, O_RDONLY), rc = 0;
	void *map;

	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size == 0) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return 0;
	t->data = map;
	t->size = (size_t)st.st_size;
	t->last_line_end = 0;
	if (hs_scan(db, map, (unsigned)st.st_size, 0, s, on_match, t) !=
	    HS_SUCCESS)
		rc = -1;
	*bytes += (unsigned long long)st.st_size;
	munmap(map, (size_t)st.st_size);
	return rc;
}

int main(int argc, char **argv)
{
	static char *words[MAX_KEYWORDS];
	struct tally t = { 0 };
	unsigned long long files = 0, bytes = 0;
	hs_scratch_t *scratch = NULL;
	hs_database_t *db;
	char path[4096];
	size_t n;

	if (argc != 2 || !(n = read_keywords(argv[1], words)))
		return fprintf(stderr, "usage: hs_floor KEYWORDS < files\n"), 2;
	db = compile(words, n);
	if (!db || hs_alloc_scratch(db, &scratch) != HS_SUCCESS)
		return 3;

	while (fgets(path, sizeof(path), stdin)) {
		path[strcspn(path, "\n")] = '\0';
		if (scan_file(path, db, scratch, &t, &bytes))
			return fprintf(stderr, "hs_floor: scan failed\n"), 3;
		files++;
	}
	printf("%llu files, %llu bytes, %llu hits, %llu lines\n", files,
	       bytes, t.hits, t.lines);
	hs_free_scratch(scratch);
	hs_free_database(db);
	return 0;
}
