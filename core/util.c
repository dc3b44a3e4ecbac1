#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void out_of_memory(void)
{
	fputs("gatekeeper: error: out of memory\n", stderr);
	abort();
}

void *gk_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *gk_calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *gk_realloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *gk_strdup(const char *s)
{
	return gk_strndup(s, strlen(s));
}

char *gk_strndup(const char *s, size_t n)
{
	char *p = gk_malloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *gk_asprintf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	p = gk_malloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void gk_buf_init(struct gk_buf *b, size_t cap)
{
	b->alloc = 64;
	b->data = gk_malloc(b->alloc);
	b->data[0] = '\0';
	b->len = 0;
	b->cap = cap ? cap : SIZE_MAX / 2;
}

void gk_buf_release(struct gk_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->alloc = 0;
}

int gk_buf_add(struct gk_buf *b, const void *data, size_t len)
{
	if (len > b->cap - b->len)
		return -1;
	if (b->len + len + 1 > b->alloc) {
		size_t want = b->alloc * 2;

		while (want < b->len + len + 1)
			want *= 2;
		b->data = gk_realloc(b->data, want);
		b->alloc = want;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int gk_buf_adds(struct gk_buf *b, const char *s)
{
	return gk_buf_add(b, s, strlen(s));
}

int gk_buf_addf(struct gk_buf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	int n, rc;
	char *big;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof(small))
		return gk_buf_add(b, small, (size_t)n);
	big = gk_malloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	rc = gk_buf_add(b, big, (size_t)n);
	free(big);
	return rc;
}

char *gk_buf_detach(struct gk_buf *b)
{
	char *p = b->data;

	if (!p)
		p = gk_strdup("");
	b->data = NULL;
	b->len = b->alloc = 0;
	return p;
}

void gk_strvec_push_take(struct gk_strvec *sv, char *s)
{
	if (sv->n == sv->alloc) {
		sv->alloc = sv->alloc ? sv->alloc * 2 : 8;
		sv->v = gk_realloc(sv->v, sv->alloc * sizeof(*sv->v));
	}
	sv->v[sv->n++] = s;
}

void gk_strvec_push(struct gk_strvec *sv, const char *s)
{
	gk_strvec_push_take(sv, gk_strdup(s));
}

void gk_strvec_release(struct gk_strvec *sv)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->alloc = 0;
}

int gk_strvec_has(const struct gk_strvec *sv, const char *s)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return 1;
	return 0;
}

void gk_sha256_hex(const void *data, size_t len, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	unsigned int i;

	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL))
		mdlen = 0;
	for (i = 0; i < 32; i++) {
		out[2 * i] = i < mdlen ? hex[md[i] >> 4] : '0';
		out[2 * i + 1] = i < mdlen ? hex[md[i] & 15] : '0';
	}
	out[64] = '\0';
}

/* Matches a bracket class at *pp against c; advances *pp past it. */
static int class_match(const char **pp, char c)
{
	const char *p = *pp + 1;
	int negate = 0, hit = 0;

	if (*p == '!' || *p == '^') {
		negate = 1;
		p++;
	}
	do {
		if (p[0] && p[1] == '-' && p[2] && p[2] != ']') {
			if (c >= p[0] && c <= p[2])
				hit = 1;
			p += 3;
		} else {
			if (*p == c)
				hit = 1;
			p++;
		}
	} while (*p && *p != ']');
	if (*p != ']')
		return -1;
	*pp = p + 1;
	return hit != negate;
}

/*
 * The matcher behind both globs.  slash_special: '*' and '?' stop at '/'
 * and only '**' crosses it.  Iterative for '*' runs: one backtrack point
 * for single stars, recursion only for '**' (bounded by its count).
 */
static int glob_rec(const char *p, const char *s, int slash_special, int depth)
{
	const char *star_p = NULL, *star_s = NULL;

	if (depth > 16)
		return 0;
	while (*s || *p) {
		if (p[0] == '*' && p[1] == '*' && slash_special) {
			p += 2;
			if (*p == '/')
				p++;
			for (;; s++) {
				if (glob_rec(p, s, slash_special, depth + 1))
					return 1;
				if (!*s)
					return 0;
			}
		}
		if (*p == '*') {
			star_p = ++p;
			star_s = s;
			continue;
		}
		if (*s && *p == '[') {
			const char *q = p;
			int m = class_match(&q, *s);

			if (m == 1 && !(slash_special && *s == '/')) {
				p = q;
				s++;
				continue;
			}
			if (m == -1 && *s == '[') {
				p++;
				s++;
				continue;
			}
		} else if (*s && (*p == *s ||
				  (*p == '?' && !(slash_special && *s == '/')))) {
			p++;
			s++;
			continue;
		}
		if (star_p && *star_s && !(slash_special && *star_s == '/')) {
			p = star_p;
			s = ++star_s;
			continue;
		}
		return 0;
	}
	return 1;
}

int gk_wildcard_match(const char *pattern, const char *s)
{
	return glob_rec(pattern, s, 0, 0);
}

int gk_glob_match(const char *pattern, const char *path)
{
	size_t plen = strlen(pattern);
	const char *base;

	if (plen && pattern[plen - 1] == '/') {
		char *dir = gk_asprintf("%.*s/**", (int)(plen - 1), pattern);
		int hit = gk_glob_match(dir, path);

		free(dir);
		return hit;
	}
	if (pattern[0] == '/')
		return glob_rec(pattern + 1, path, 1, 0);
	if (strchr(pattern, '/'))
		return glob_rec(pattern, path, 1, 0);
	/* No slash: the pattern names a component at any depth. */
	for (base = path;; base++) {
		const char *end = strchr(base, '/');

		if (!end)
			return glob_rec(pattern, base, 1, 0);
		{
			char *comp = gk_strndup(base, (size_t)(end - base));
			int hit = glob_rec(pattern, comp, 1, 0);

			free(comp);
			if (hit)
				return 1;
		}
		base = end;
	}
}

int gk_file_read(const char *path, size_t max, char **data, size_t *len)
{
	struct gk_buf b;
	char chunk[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	gk_buf_init(&b, max);
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || gk_buf_add(&b, chunk, (size_t)n) < 0) {
			int saved = n < 0 ? errno : EFBIG;

			close(fd);
			gk_buf_release(&b);
			errno = saved;
			return -1;
		}
	}
	close(fd);
	*len = b.len;
	*data = gk_buf_detach(&b);
	return 0;
}

char *gk_exe_dir(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	char *slash;

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	return gk_strdup(buf[0] ? buf : "/");
}

int gk_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int gk_is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int64_t gk_parse_size(const char *s)
{
	char *end;
	unsigned long long v;
	int64_t mult = 1;

	errno = 0;
	if (!s || !*s || *s == '-')
		return -1;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	while (*end == ' ')
		end++;
	switch (*end) {
	case 'k': case 'K': mult = 1024; end++; break;
	case 'm': case 'M': mult = 1024 * 1024; end++; break;
	case 'g': case 'G': mult = 1024LL * 1024 * 1024; end++; break;
	default: break;
	}
	if (mult > 1 && (*end == 'b' || *end == 'B' ||
			 ((*end == 'i') && (end[1] == 'B' || end[1] == 'b'))))
		end += *end == 'i' ? 2 : 1;
	if (*end == 'b' || *end == 'B')
		end++;
	if (*end || v > (unsigned long long)(INT64_MAX / mult))
		return -1;
	return (int64_t)v * mult;
}

void gk_now_iso(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
