#include "version.h"

#include <ctype.h>
#include <string.h>

#define MAX_ITEM 256

/* Rank of one byte of a non-digit run; 0 is the end of the run. */
static int rank(char c)
{
	if (c == '\0' || isdigit((unsigned char)c))
		return 0;
	if (c == '~')
		return -1;
	if (isalpha((unsigned char)c))
		return (unsigned char)c;
	return (unsigned char)c + 256;
}

static int cmp_text_run(const char **a, const char **b)
{
	while (rank(**a) || rank(**b)) {
		int d = rank(**a) - rank(**b);

		if (d)
			return d;
		(*a)++;
		(*b)++;
	}
	return 0;
}

static int cmp_digit_run(const char **a, const char **b)
{
	const char *x, *y;
	size_t nx, ny;
	int d;

	while (**a == '0')
		(*a)++;
	while (**b == '0')
		(*b)++;
	for (x = *a; isdigit((unsigned char)*x); x++)
		;
	for (y = *b; isdigit((unsigned char)*y); y++)
		;
	nx = (size_t)(x - *a);
	ny = (size_t)(y - *b);
	d = nx == ny ? memcmp(*a, *b, nx) : (nx < ny ? -1 : 1);
	*a = x;
	*b = y;
	return d;
}

/* The epoch of "N:rest" (0 without one); *rest is after the colon. */
static unsigned long epoch_of(const char *v, const char **rest)
{
	unsigned long e = 0;
	const char *p = v;

	while (isdigit((unsigned char)*p) && e < 100000000UL)
		e = e * 10 + (unsigned long)(*p++ - '0');
	if (*p == ':' && p != v) {
		*rest = p + 1;
		return e;
	}
	*rest = v;
	return 0;
}

int ct_version_cmp(const char *a, const char *b)
{
	unsigned long ea = epoch_of(a, &a), eb = epoch_of(b, &b);
	int d;

	if (ea != eb)
		return ea < eb ? -1 : 1;
	while (*a || *b) {
		d = cmp_text_run(&a, &b);
		if (d)
			return d;
		d = cmp_digit_run(&a, &b);
		if (d)
			return d;
	}
	return 0;
}

int ct_version_next(const char **cursor, const char **item, size_t *len)
{
	const char *p = *cursor;

	while (*p) {
		const char *start, *end;

		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		start = p;
		while (*p && *p != ',')
			p++;
		end = p;
		while (end > start && isspace((unsigned char)end[-1]))
			end--;
		if (end > start) {
			*cursor = p;
			*item = start;
			*len = (size_t)(end - start);
			return 1;
		}
	}
	*cursor = p;
	return 0;
}

/* Copies n bytes of s into a NUL-terminated item buffer, truncating. */
static void copy_item(char dst[MAX_ITEM], const char *s, size_t n)
{
	if (n >= MAX_ITEM)
		n = MAX_ITEM - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

size_t ct_version_pick_fix(const char *list, const char *installed,
			   struct ct_buf *out)
{
	char above[MAX_ITEM] = "", lowest[MAX_ITEM] = "", cur[MAX_ITEM];
	const char *cursor = list, *item;
	size_t len, count = 0;

	while (list && ct_version_next(&cursor, &item, &len)) {
		copy_item(cur, item, len);
		if (!count++ || ct_version_cmp(cur, lowest) < 0)
			memcpy(lowest, cur, sizeof(cur));
		if (installed && ct_version_cmp(cur, installed) > 0 &&
		    (!above[0] || ct_version_cmp(cur, above) < 0))
			memcpy(above, cur, sizeof(cur));
	}
	if (count)
		ct_buf_add(out, above[0] ? above : lowest);
	return count;
}
