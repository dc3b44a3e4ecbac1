/*
 * Small helpers shared by the host: allocation that aborts on exhaustion,
 * a growable byte buffer with a cap, path and glob helpers, SHA-256.
 */
#ifndef GK_UTIL_H
#define GK_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define GK_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void *gk_malloc(size_t n);
void *gk_calloc(size_t n, size_t size);
void *gk_realloc(void *p, size_t n);
char *gk_strdup(const char *s);
/* At most n bytes of s, stopping early at a NUL. */
char *gk_strndup(const char *s, size_t n);
/* A new string printf would print; the caller frees it. */
char *gk_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * A growable buffer, always NUL-terminated.  cap bounds its length: an
 * append past it fails with -1 and leaves the buffer as it was.
 * gk_buf_release frees the data; the struct itself is the caller's.
 */
struct gk_buf {
	char *data;
	size_t len, alloc, cap;
};

void gk_buf_init(struct gk_buf *b, size_t cap);
void gk_buf_release(struct gk_buf *b);
int gk_buf_add(struct gk_buf *b, const void *data, size_t len);
int gk_buf_adds(struct gk_buf *b, const char *s);
int gk_buf_addf(struct gk_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Hands the data over to the caller (never NULL) and empties b. */
char *gk_buf_detach(struct gk_buf *b);

/* A dynamic array of owned strings. */
struct gk_strvec {
	char **v;
	size_t n, alloc;
};

void gk_strvec_push(struct gk_strvec *sv, const char *s);
void gk_strvec_push_take(struct gk_strvec *sv, char *s);
void gk_strvec_release(struct gk_strvec *sv);
int gk_strvec_has(const struct gk_strvec *sv, const char *s);

/* 64 lowercase hex digits and a NUL into out. */
void gk_sha256_hex(const void *data, size_t len, char out[65]);

/*
 * Glob over '/'-separated paths: '*' and '?' stay within one component,
 * '**' spans components, [...] is a class.  A pattern with no '/' matches
 * the last component anywhere; one ending in '/' matches a directory and
 * all below it.  Returns 1 on a match.
 */
int gk_glob_match(const char *pattern, const char *path);
/* Plain glob over a whole string ('*' matches anything, '/' included). */
int gk_wildcard_match(const char *pattern, const char *s);

/* Reads a whole file of at most max bytes.  0, or -1 with errno set. */
int gk_file_read(const char *path, size_t max, char **data, size_t *len);

/* The directory holding the running executable, or NULL. Caller frees. */
char *gk_exe_dir(void);
int gk_is_dir(const char *path);
int gk_is_file(const char *path);

/* "10MB", "512k", "1048576" -> bytes; -1 when it does not parse. */
int64_t gk_parse_size(const char *s);

/* ISO-8601 UTC time of now, "2026-12-04T16:47:48Z". */
void gk_now_iso(char out[32]);

#endif
