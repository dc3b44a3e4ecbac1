/*
 * A growable, NUL-terminated text buffer with a size cap fixed when it is
 * made.  Appending past the cap (or failing to allocate) sets `failed` and
 * leaves the text as it was; callers check `failed` once at the end.
 * The buffer owns its storage: ct_buf_release() frees it.
 */
#ifndef CT_BUF_H
#define CT_BUF_H

#include <stddef.h>

struct ct_buf {
	char *p;
	size_t len, cap, max;
	int failed;
};

void ct_buf_init(struct ct_buf *b, size_t max);
void ct_buf_release(struct ct_buf *b);
/* Empties the text, keeps the storage, clears `failed`. */
void ct_buf_reset(struct ct_buf *b);
void ct_buf_addn(struct ct_buf *b, const char *s, size_t n);
void ct_buf_add(struct ct_buf *b, const char *s);
void ct_buf_addc(struct ct_buf *b, char c);
void ct_buf_addf(struct ct_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Appends s as a JSON string literal, quotes included (NULL: null). */
void ct_buf_add_json(struct ct_buf *b, const char *s);
/* The text, never NULL ("" before the first append). */
const char *ct_buf_str(const struct ct_buf *b);

#endif
