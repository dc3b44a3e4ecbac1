#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ct_buf_init(struct ct_buf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

void ct_buf_release(struct ct_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

void ct_buf_reset(struct ct_buf *b)
{
	b->len = 0;
	b->failed = 0;
	if (b->p)
		b->p[0] = '\0';
}

/* Makes room for n more bytes and a NUL; 0 on success. */
static int reserve(struct ct_buf *b, size_t n)
{
	size_t want = b->len + n + 1;
	size_t cap;
	char *p;

	if (b->failed || want > b->max) {
		b->failed = 1;
		return -1;
	}
	if (want <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < want)
		cap *= 2;
	if (cap > b->max)
		cap = b->max;
	p = realloc(b->p, cap);
	if (!p) {
		b->failed = 1;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

void ct_buf_addn(struct ct_buf *b, const char *s, size_t n)
{
	if (reserve(b, n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void ct_buf_add(struct ct_buf *b, const char *s)
{
	ct_buf_addn(b, s, strlen(s));
}

void ct_buf_addc(struct ct_buf *b, char c)
{
	ct_buf_addn(b, &c, 1);
}

void ct_buf_addf(struct ct_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void ct_buf_add_json(struct ct_buf *b, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	if (!s) {
		ct_buf_add(b, "null");
		return;
	}
	ct_buf_addc(b, '"');
	for (; *u; u++) {
		if (*u == '"' || *u == '\\') {
			ct_buf_addc(b, '\\');
			ct_buf_addc(b, (char)*u);
		} else if (*u < 0x20) {
			ct_buf_addf(b, "\\u%04x", *u);
		} else {
			ct_buf_addc(b, (char)*u);
		}
	}
	ct_buf_addc(b, '"');
}

const char *ct_buf_str(const struct ct_buf *b)
{
	return b->p ? b->p : "";
}
