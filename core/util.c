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
	char *p;

	n = strnlen(s, n);
	p = gk_malloc(n + 1);

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

enum tok_kind { T_LIT, T_ANY, T_CLASS, T_STAR, T_DSTAR, T_DSTAR_DIR };

struct tok {
	enum tok_kind kind;
	char c;
	const char *cls; /* T_CLASS: the '[' of the class in the pattern */
};

/* Splits a pattern into tokens; n receives their count. */
static struct tok *tokenize(const char *p, int slash_special, size_t *n)
{
	struct tok *t = gk_calloc(strlen(p) + 1, sizeof(*t));
	size_t k = 0;

	while (*p) {
		const char *q = p;

		if (p[0] == '*' && p[1] == '*' && slash_special) {
			while (*p == '*')
				p++;
			t[k].kind = *p == '/' ? T_DSTAR_DIR : T_DSTAR;
			p += *p == '/';
		} else if (*p == '*') {
			t[k].kind = slash_special ? T_STAR : T_DSTAR;
			p++;
		} else if (*p == '?') {
			t[k].kind = T_ANY;
			p++;
		} else if (*p == '[' && class_match(&q, 'a') >= 0) {
			t[k].kind = T_CLASS;
			t[k].cls = p;
			p = q;
		} else {
			t[k].kind = T_LIT;
			t[k].c = *p++;
		}
		k++;
	}
	*n = k;
	return t;
}

/* Adds state i and every state reachable from it without a character. */
static void closure(const struct tok *t, size_t n, unsigned char *set,
		    size_t i)
{
	while (i <= n && !set[i]) {
		set[i] = 1;
		if (i == n || (t[i].kind != T_STAR && t[i].kind != T_DSTAR &&
			       t[i].kind != T_DSTAR_DIR))
			break;
		i++;
	}
}

/* The states after reading c from the states in cur. */
static void step(const struct tok *t, size_t n, const unsigned char *cur,
		 unsigned char *next, char c)
{
	size_t i;

	memset(next, 0, n + 1);
	for (i = 0; i < n; i++) {
		const char *q;

		if (!cur[i])
			continue;
		switch (t[i].kind) {
		case T_LIT:
			if (c == t[i].c)
				closure(t, n, next, i + 1);
			break;
		case T_ANY:
			if (c != '/')
				closure(t, n, next, i + 1);
			break;
		case T_CLASS:
			q = t[i].cls;
			if (c != '/' && class_match(&q, c) == 1)
				closure(t, n, next, i + 1);
			break;
		case T_STAR:
			if (c != '/')
				closure(t, n, next, i);
			break;
		case T_DSTAR:
			closure(t, n, next, i);
			break;
		case T_DSTAR_DIR:
			closure(t, n, next, i);
			if (c == '/')
				closure(t, n, next, i + 1);
			break;
		}
	}
}

/*
 * The matcher behind both globs: a simulation of the pattern's automaton,
 * one set of states per character, so time is bounded by the pattern's
 * length times the string's, whatever the pattern.  slash_special: '*'
 * and '?' stop at '/', and only '**' crosses it.
 */
static int glob_run(const char *p, const char *s, int slash_special)
{
	size_t n;
	struct tok *t = tokenize(p, slash_special, &n);
	unsigned char *cur = gk_calloc(n + 1, 1), *next = gk_calloc(n + 1, 1);
	int hit;

	closure(t, n, cur, 0);
	for (; *s; s++) {
		unsigned char *tmp;

		step(t, n, cur, next, *s);
		tmp = cur;
		cur = next;
		next = tmp;
	}
	hit = cur[n];
	free(t);
	free(cur);
	free(next);
	return hit;
}

int gk_wildcard_match(const char *pattern, const char *s)
{
	return glob_run(pattern, s, 0);
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
		return glob_run(pattern + 1, path, 1);
	if (strchr(pattern, '/'))
		return glob_run(pattern, path, 1);
	/* No slash: the pattern names a component at any depth. */
	for (base = path;; base++) {
		const char *end = strchr(base, '/');

		if (!end)
			return glob_run(pattern, base, 1);
		{
			char *comp = gk_strndup(base, (size_t)(end - base));
			int hit = glob_run(pattern, comp, 1);

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
