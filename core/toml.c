/*
 * The TOML reader: one pass over the text, building the cJSON tree as it
 * goes.  While parsing, the valueint of each object and array node (unused
 * by cJSON for those types) holds the flags below, which say how the node
 * came to be and so whether a later header or dotted key may extend it;
 * they are cleared before the tree is returned.
 */
#include "toml.h"

#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	T_DEFINED = 1, /* a [header] named this table */
	T_DOTTED = 2,  /* made by a dotted key */
	T_FROZEN = 4,  /* an inline table or a static array: closed */
	T_AOT = 8      /* an array made by [[header]] */
};

struct tp {
	const char *name;
	const unsigned char *s;
	size_t len, pos;
	char *err;
	size_t errlen;
	int failed;
	int depth;  /* arrays and inline tables open around pos */
	cJSON *cur; /* the table key/value lines go into */
};

/* ---- errors and positions ---------------------------------------------- */

static int fail_at(struct tp *p, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail_at(struct tp *p, size_t at, const char *fmt, ...)
{
	char msg[256];
	size_t i, bol = 0;
	int line = 1;
	va_list ap;

	if (p->failed)
		return -1;
	p->failed = 1;
	for (i = 0; i < at && i < p->len; i++)
		if (p->s[i] == '\n') {
			line++;
			bol = i + 1;
		}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, "'%s' line %d column %zu: %s", p->name,
		 line, at - bol + 1, msg);
	return -1;
}

#define fail(p, ...) fail_at((p), (p)->pos, __VA_ARGS__)

static int peek(const struct tp *p)
{
	return p->pos < p->len ? p->s[p->pos] : -1;
}

static int peek_at(const struct tp *p, size_t off)
{
	return p->pos + off < p->len ? p->s[p->pos + off] : -1;
}

static int starts(const struct tp *p, const char *lit)
{
	size_t n = strlen(lit);

	return p->len - p->pos >= n && memcmp(p->s + p->pos, lit, n) == 0;
}

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	uint32_t c;
	size_t k, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		k = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		k = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		k = 4;
	else
		return 0;
	if (n < k)
		return 0;
	c = s[0] & (0x7f >> k);
	for (i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((k == 3 && c < 0x800) || (k == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	return k;
}

static int check_utf8(struct tp *p)
{
	size_t i = 0, k;

	while (i < p->len) {
		k = utf8_len(p->s + i, p->len - i);
		if (!k)
			return fail_at(p, i, "invalid UTF-8");
		i += k;
	}
	return 0;
}

/* A control character TOML allows in no string or comment (tab is ok). */
static int is_control(int c)
{
	return (c >= 0 && c < 0x20 && c != '\t') || c == 0x7f;
}

/* ---- blanks, comments, line ends --------------------------------------- */

static void skip_ws(struct tp *p)
{
	while (peek(p) == ' ' || peek(p) == '\t')
		p->pos++;
}

static int skip_comment(struct tp *p)
{
	if (peek(p) != '#')
		return 0;
	while (p->pos < p->len && p->s[p->pos] != '\n') {
		int c = p->s[p->pos];

		if (c == '\r' && peek_at(p, 1) == '\n')
			break;
		if (is_control(c))
			return fail(p, "control character in a comment");
		p->pos++;
	}
	return 0;
}

static int eat_newline(struct tp *p)
{
	if (peek(p) == '\n') {
		p->pos++;
		return 1;
	}
	if (peek(p) == '\r' && peek_at(p, 1) == '\n') {
		p->pos += 2;
		return 1;
	}
	return 0;
}

/* After a key/value pair or a header: blanks, a comment, then a line end. */
static int end_of_line(struct tp *p)
{
	skip_ws(p);
	if (skip_comment(p))
		return -1;
	if (p->pos >= p->len || eat_newline(p))
		return 0;
	return fail(p, "expected the end of the line");
}

/* Inside an array: blanks, comments and line ends, in any number. */
static int skip_blank_lines(struct tp *p)
{
	for (;;) {
		skip_ws(p);
		if (skip_comment(p))
			return -1;
		if (!eat_newline(p))
			return 0;
	}
}

/* ---- strings ------------------------------------------------------------ */

static int put(struct tp *p, struct gk_buf *b, const void *s, size_t n)
{
	if (b->len + n > GK_TOML_MAX_STRING)
		return fail(p, "a string longer than %u bytes",
			    GK_TOML_MAX_STRING);
	gk_buf_add(b, s, n);
	return 0;
}

static int put_utf8(struct tp *p, struct gk_buf *b, uint32_t c)
{
	unsigned char u[4];
	size_t n;

	if (c < 0x80) {
		u[0] = (unsigned char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (unsigned char)(0xc0 | c >> 6);
		u[1] = (unsigned char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (unsigned char)(0xe0 | c >> 12);
		u[1] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		u[2] = (unsigned char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xf0 | c >> 18);
		u[1] = (unsigned char)(0x80 | (c >> 12 & 0x3f));
		u[2] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		u[3] = (unsigned char)(0x80 | (c & 0x3f));
		n = 4;
	}
	return put(p, b, u, n);
}

static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* \uXXXX or \UXXXXXXXX; pos is on the 'u' or 'U'. */
static int unicode_escape(struct tp *p, struct gk_buf *b)
{
	size_t at = p->pos - 1, n = peek(p) == 'u' ? 4 : 8, i;
	uint32_t c = 0;

	p->pos++;
	for (i = 0; i < n; i++) {
		int h = hex_value(peek(p));

		if (h < 0)
			return fail(p, "expected %zu hex digits after '\\%c'",
				    n, n == 4 ? 'u' : 'U');
		c = c << 4 | (uint32_t)h;
		p->pos++;
	}
	if (c == 0)
		return fail_at(p, at, "U+0000 is not supported");
	if ((c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return fail_at(p, at, "'\\%c' names no Unicode scalar value",
			       n == 4 ? 'u' : 'U');
	return put_utf8(p, b, c);
}

/* In a multi-line basic string: a backslash ending a line trims it. */
static int line_ending_backslash(struct tp *p)
{
	size_t save = p->pos;

	skip_ws(p);
	if (!eat_newline(p)) {
		p->pos = save;
		return 0;
	}
	for (;;) {
		skip_ws(p);
		if (!eat_newline(p))
			return 1;
	}
}

/* pos is on the backslash. */
static int escape(struct tp *p, struct gk_buf *b, int multi)
{
	static const char from[] = "btnfr\"\\", to[] = "\b\t\n\f\r\"\\";
	const char *k;
	int c;

	p->pos++;
	if (multi && line_ending_backslash(p))
		return 0;
	c = peek(p);
	if (c == 'u' || c == 'U')
		return unicode_escape(p, b);
	k = c > 0 ? strchr(from, c) : NULL;
	if (!k)
		return fail_at(p, p->pos - 1, "invalid escape sequence");
	p->pos++;
	return put(p, b, &to[k - from], 1);
}

/*
 * At a closing run of quotes q (''' or """): up to two more quotes before
 * the delimiter belong to the content.  Returns 1 when the string ended.
 */
static int multi_close(struct tp *p, struct gk_buf *b, int q)
{
	size_t n = 0;

	while (peek_at(p, n) == q)
		n++;
	if (n < 3)
		return 0;
	if (n > 5)
		return fail_at(p, p->pos + 5, "too many quotes");
	if (put(p, b, p->s + p->pos, n - 3))
		return -1;
	p->pos += n;
	return 1;
}

/* One character of a multi-line string body that is not a quote run. */
static int multi_char(struct tp *p, struct gk_buf *b, int q)
{
	int c = peek(p);

	if (c == '\r' && peek_at(p, 1) == '\n') {
		p->pos += 2;
		return put(p, b, "\r\n", 2);
	}
	if (c == '\\' && q == '"')
		return escape(p, b, 1);
	if (is_control(c) && c != '\n')
		return fail(p, "control character in a string");
	p->pos++;
	return put(p, b, p->s + p->pos - 1, 1);
}

static int multi_string(struct tp *p, struct gk_buf *b, int q)
{
	size_t at = p->pos;
	int rc;

	p->pos += 3;
	eat_newline(p);
	for (;;) {
		if (p->pos >= p->len)
			return fail_at(p, at, "unterminated string");
		rc = peek(p) == q ? multi_close(p, b, q) : 0;
		if (rc)
			return rc < 0 ? -1 : 0;
		if (peek(p) == q) {
			p->pos++;
			rc = put(p, b, p->s + p->pos - 1, 1);
		} else {
			rc = multi_char(p, b, q);
		}
		if (rc)
			return -1;
	}
}

static int single_string(struct tp *p, struct gk_buf *b, int q)
{
	size_t at = p->pos;
	int c;

	p->pos++;
	for (;;) {
		c = peek(p);
		if (c < 0 || c == '\n' || (c == '\r' && peek_at(p, 1) == '\n'))
			return fail_at(p, at, "unterminated string");
		if (c == q) {
			p->pos++;
			return 0;
		}
		if (c == '\\' && q == '"') {
			if (escape(p, b, 0))
				return -1;
			continue;
		}
		if (is_control(c))
			return fail(p, "control character in a string");
		p->pos++;
		if (put(p, b, p->s + p->pos - 1, 1))
			return -1;
	}
}

/* A string of any kind at pos (multi-line ones only when multi). */
static int parse_string(struct tp *p, struct gk_buf *b, int multi)
{
	int q = peek(p);

	if (starts(p, q == '"' ? "\"\"\"" : "'''")) {
		if (!multi)
			return fail(p, "a multi-line string cannot be a key");
		return multi_string(p, b, q);
	}
	return single_string(p, b, q);
}

/* ---- keys --------------------------------------------------------------- */

static int is_bare(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static int key_part(struct tp *p, struct gk_strvec *parts)
{
	struct gk_buf b;
	size_t start = p->pos;

	gk_buf_init(&b, 0);
	if (peek(p) == '"' || peek(p) == '\'') {
		if (parse_string(p, &b, 0)) {
			gk_buf_release(&b);
			return -1;
		}
	} else {
		while (is_bare(peek(p)))
			p->pos++;
		if (p->pos == start) {
			gk_buf_release(&b);
			return fail(p, "expected a key");
		}
		gk_buf_add(&b, p->s + start, p->pos - start);
	}
	if (b.len && memchr(b.data, '\0', b.len)) {
		gk_buf_release(&b);
		return fail_at(p, start, "U+0000 is not supported");
	}
	gk_strvec_push_take(parts, gk_buf_detach(&b));
	return 0;
}

/* A dotted key: its parts, in order, into parts. */
static int parse_key(struct tp *p, struct gk_strvec *parts)
{
	for (;;) {
		skip_ws(p);
		if (parts->n == GK_TOML_MAX_DEPTH)
			return fail(p, "a key of more than %d parts",
				    GK_TOML_MAX_DEPTH);
		if (key_part(p, parts))
			return -1;
		skip_ws(p);
		if (peek(p) != '.')
			return 0;
		p->pos++;
	}
}

/* The parts joined with '.', for messages: a static buffer. */
static const char *key_text(const struct gk_strvec *parts, size_t n)
{
	static _Thread_local char buf[128];
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < n && len < sizeof(buf); i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
					i ? "." : "", parts->v[i]);
	return buf;
}

/* ---- numbers and dates -------------------------------------------------- */

/* Digits of a base with '_' only between digits; at least one digit. */
static int digits_ok(const char *s, size_t n, int base)
{
	size_t i;

	if (n == 0 || s[0] == '_' || s[n - 1] == '_')
		return 0;
	for (i = 0; i < n; i++) {
		int h = hex_value(s[i]);

		if (s[i] == '_') {
			if (s[i + 1] == '_')
				return 0;
			continue;
		}
		if (h < 0 || h >= base)
			return 0;
	}
	return 1;
}

/* The token without '_', NUL-terminated into out (at least n + 1). */
static void strip_underscores(const char *s, size_t n, char *out)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (s[i] != '_')
			out[k++] = s[i];
	out[k] = '\0';
}

static cJSON *prefixed_int(struct tp *p, const char *t, size_t n, size_t at)
{
	int base = t[1] == 'x' ? 16 : t[1] == 'o' ? 8 : 2;
	char clean[72];
	unsigned long long v;

	if (!digits_ok(t + 2, n - 2, base) || n > 66) {
		fail_at(p, at, "invalid number");
		return NULL;
	}
	strip_underscores(t + 2, n - 2, clean);
	errno = 0;
	v = strtoull(clean, NULL, base);
	if (errno || v > INT64_MAX) {
		fail_at(p, at, "integer out of range");
		return NULL;
	}
	return cJSON_CreateNumber((double)v);
}

/* [+-]? (0 | [1-9] digits) (. digits)? ([eE] [+-]? digits)?; *is_float. */
static int decimal_ok(const char *t, size_t n, int *is_float)
{
	size_t i = (t[0] == '+' || t[0] == '-'), j;

	for (j = i; j < n && t[j] != '.' && t[j] != 'e' && t[j] != 'E'; j++)
		;
	if (!digits_ok(t + i, j - i, 10) || (t[i] == '0' && j - i > 1))
		return 0;
	*is_float = j < n;
	if (j < n && t[j] == '.') {
		for (i = ++j; j < n && t[j] != 'e' && t[j] != 'E'; j++)
			;
		if (!digits_ok(t + i, j - i, 10))
			return 0;
	}
	if (j < n) {
		j++;
		if (j < n && (t[j] == '+' || t[j] == '-'))
			j++;
		if (!digits_ok(t + j, n - j, 10))
			return 0;
	}
	return 1;
}

static int is_special_float(const char *t)
{
	static const char *const names[] = { "inf", "+inf", "-inf",
					     "nan", "+nan", "-nan" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(t, names[i]) == 0)
			return 1;
	return 0;
}

static cJSON *number(struct tp *p, const char *t, size_t n, size_t at)
{
	char clean[256];
	int is_float = 0;
	double d;

	if (n >= 3 && t[0] == '0' && strchr("xob", t[1]))
		return prefixed_int(p, t, n, at);
	if (is_special_float(t)) {
		d = t[n - 3] == 'i' ? INFINITY : NAN;
		return cJSON_CreateNumber(t[0] == '-' ? -d : d);
	}
	if (n >= sizeof(clean) || !decimal_ok(t, n, &is_float)) {
		fail_at(p, at, "invalid number");
		return NULL;
	}
	strip_underscores(t, n, clean);
	errno = 0;
	if (!is_float) {
		long long v = strtoll(clean, NULL, 10);

		if (errno) {
			fail_at(p, at, "integer out of range");
			return NULL;
		}
		return cJSON_CreateNumber((double)v);
	}
	return cJSON_CreateNumber(strtod(clean, NULL));
}

/* n decimal digits at s into *v. */
static int fixed_digits(const char *s, size_t n, int *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		*v = *v * 10 + (s[i] - '0');
	}
	return 1;
}

static int days_in(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
				 31 };

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return d[m - 1];
}

/* YYYY-MM-DD at t; 10 bytes. */
static int date_ok(const char *t, size_t n)
{
	int y, m, d;

	return n >= 10 && fixed_digits(t, 4, &y) && t[4] == '-' &&
	       fixed_digits(t + 5, 2, &m) && t[7] == '-' &&
	       fixed_digits(t + 8, 2, &d) && m >= 1 && m <= 12 && d >= 1 &&
	       d <= days_in(y, m);
}

/* HH:MM:SS(.frac)? at t; returns the bytes used, or 0. */
static size_t time_len(const char *t, size_t n)
{
	int h, m, s;
	size_t i = 8;

	if (n < 8 || !fixed_digits(t, 2, &h) || t[2] != ':' ||
	    !fixed_digits(t + 3, 2, &m) || t[5] != ':' ||
	    !fixed_digits(t + 6, 2, &s) || h > 23 || m > 59 || s > 60)
		return 0;
	if (i < n && t[i] == '.') {
		for (i++; i < n && t[i] >= '0' && t[i] <= '9'; i++)
			;
		if (i == 9)
			return 0;
	}
	return i;
}

/* Z, z or +HH:MM / -HH:MM, all of t[0, n). */
static int offset_ok(const char *t, size_t n)
{
	int h, m;

	if (n == 1)
		return t[0] == 'Z' || t[0] == 'z';
	return n == 6 && (t[0] == '+' || t[0] == '-') &&
	       fixed_digits(t + 1, 2, &h) && t[3] == ':' &&
	       fixed_digits(t + 4, 2, &m) && h <= 23 && m <= 59;
}

static int datetime_ok(const char *t, size_t n)
{
	size_t k;

	if (n >= 3 && t[2] == ':')
		return time_len(t, n) == n;
	if (!date_ok(t, n))
		return 0;
	if (n == 10)
		return 1;
	if (t[10] != 'T' && t[10] != 't' && t[10] != ' ')
		return 0;
	k = time_len(t + 11, n - 11);
	return k && (11 + k == n || offset_ok(t + 11 + k, n - 11 - k));
}

static int is_token_char(int c)
{
	return is_bare(c) || c == '+' || c == '.' || c == ':';
}

/* The token at pos: a number, a date or a time; a date may hold a ' '. */
static size_t token_len(const struct tp *p)
{
	size_t n = 0;

	while (is_token_char(peek_at(p, n)))
		n++;
	if (n == 10 && peek_at(p, n) == ' ' && peek_at(p, 11) >= '0' &&
	    peek_at(p, 11) <= '9' && date_ok((const char *)p->s + p->pos, n)) {
		n++;
		while (is_token_char(peek_at(p, n)))
			n++;
	}
	return n;
}

static cJSON *number_or_date(struct tp *p)
{
	const char *t = (const char *)p->s + p->pos;
	size_t at = p->pos, n = token_len(p);
	char *s;
	cJSON *v;

	p->pos += n;
	if (n >= 8 && (t[2] == ':' || t[4] == '-')) {
		if (!datetime_ok(t, n)) {
			fail_at(p, at, "invalid date or time");
			return NULL;
		}
		s = gk_strndup(t, n);
		v = cJSON_CreateString(s);
		free(s);
		return v;
	}
	s = gk_strndup(t, n);
	v = number(p, s, n, at);
	free(s);
	return v;
}

/* ---- values -------------------------------------------------------------- */

static cJSON *parse_value(struct tp *p);
static int insert_kv(struct tp *p, cJSON *t, const struct gk_strvec *parts,
		     cJSON *v, size_t at);

static cJSON *string_value(struct tp *p)
{
	struct gk_buf b;
	cJSON *v = NULL;

	gk_buf_init(&b, 0);
	if (parse_string(p, &b, 1) == 0) {
		if (b.len && memchr(b.data, '\0', b.len))
			fail(p, "U+0000 is not supported");
		else
			v = cJSON_CreateString(b.data);
	}
	gk_buf_release(&b);
	return v;
}

static int enter(struct tp *p)
{
	if (p->depth == GK_TOML_MAX_DEPTH)
		return fail(p, "nested deeper than %d levels",
			    GK_TOML_MAX_DEPTH);
	p->depth++;
	p->pos++;
	return 0;
}

static cJSON *array_value(struct tp *p)
{
	cJSON *arr, *v;

	if (enter(p))
		return NULL;
	arr = cJSON_CreateArray();
	arr->valueint = T_FROZEN;
	for (;;) {
		if (skip_blank_lines(p))
			break;
		if (peek(p) == ']')
			goto closed;
		if (!(v = parse_value(p)))
			break;
		cJSON_AddItemToArray(arr, v);
		if (skip_blank_lines(p))
			break;
		if (peek(p) == ']')
			goto closed;
		if (peek(p) != ',') {
			fail(p, "expected ',' or ']' in an array");
			break;
		}
		p->pos++;
	}
	cJSON_Delete(arr);
	return NULL;
closed:
	p->pos++;
	p->depth--;
	return arr;
}

/* One "key = value" into t; pos is on the key. */
static int key_value(struct tp *p, cJSON *t)
{
	struct gk_strvec parts = { 0 };
	size_t at = p->pos;
	cJSON *v = NULL;
	int rc = -1;

	if (parse_key(p, &parts))
		goto done;
	if (peek(p) != '=') {
		fail(p, "expected '=' after the key");
		goto done;
	}
	p->pos++;
	skip_ws(p);
	if (!(v = parse_value(p)))
		goto done;
	rc = insert_kv(p, t, &parts, v, at);
	v = NULL;
done:
	cJSON_Delete(v);
	gk_strvec_release(&parts);
	return rc;
}

/* Closes t and every table and array inside it to later extension. */
static void freeze(cJSON *t)
{
	cJSON *c;

	t->valueint |= T_FROZEN;
	cJSON_ArrayForEach(c, t)
		if (cJSON_IsObject(c) || cJSON_IsArray(c))
			freeze(c);
}

static cJSON *inline_table(struct tp *p)
{
	cJSON *t;

	if (enter(p))
		return NULL;
	t = cJSON_CreateObject();
	skip_ws(p);
	if (peek(p) == '}')
		goto closed;
	for (;;) {
		if (key_value(p, t))
			break;
		skip_ws(p);
		if (peek(p) == '}')
			goto closed;
		if (peek(p) != ',') {
			fail(p, "expected ',' or '}' in an inline table");
			break;
		}
		p->pos++;
		skip_ws(p);
	}
	cJSON_Delete(t);
	return NULL;
closed:
	p->pos++;
	p->depth--;
	freeze(t);
	return t;
}

static cJSON *word_value(struct tp *p)
{
	int c;

	if (starts(p, "true") || starts(p, "false")) {
		int yes = peek(p) == 't';

		c = peek_at(p, yes ? 4 : 5);
		if (!is_bare(c)) {
			p->pos += yes ? 4 : 5;
			return cJSON_CreateBool(yes);
		}
	}
	if (starts(p, "inf") || starts(p, "nan"))
		return number_or_date(p);
	fail(p, "expected a value");
	return NULL;
}

static cJSON *parse_value(struct tp *p)
{
	int c = peek(p);

	if (c == '"' || c == '\'')
		return string_value(p);
	if (c == '[')
		return array_value(p);
	if (c == '{')
		return inline_table(p);
	if (c == '+' || c == '-' || (c >= '0' && c <= '9'))
		return number_or_date(p);
	return word_value(p);
}

/* ---- placing keys and tables --------------------------------------------- */

/*
 * Adds v under parts in t.  Every part but the last names a table that a
 * dotted key made (it is made when missing); the last must be new.  Takes
 * v in every case.
 */
static int insert_kv(struct tp *p, cJSON *t, const struct gk_strvec *parts,
		     cJSON *v, size_t at)
{
	size_t i;
	cJSON *c;

	for (i = 0; i + 1 < parts->n; i++) {
		c = cJSON_GetObjectItemCaseSensitive(t, parts->v[i]);
		if (!c) {
			c = cJSON_AddObjectToObject(t, parts->v[i]);
			c->valueint = T_DOTTED;
		} else if (!cJSON_IsObject(c) || !(c->valueint & T_DOTTED) ||
			   (c->valueint & T_FROZEN)) {
			cJSON_Delete(v);
			return fail_at(p, at, "'%s' cannot be extended here",
				       key_text(parts, i + 1));
		}
		t = c;
	}
	if (cJSON_GetObjectItemCaseSensitive(t, parts->v[i])) {
		cJSON_Delete(v);
		return fail_at(p, at, "duplicate key '%s'",
			       key_text(parts, parts->n));
	}
	cJSON_AddItemToObject(t, parts->v[i], v);
	return 0;
}

/* The table a header's part i leads into: made, or the last of an AOT. */
static cJSON *header_step(struct tp *p, cJSON *t,
			  const struct gk_strvec *parts, size_t i, size_t at)
{
	cJSON *c = cJSON_GetObjectItemCaseSensitive(t, parts->v[i]);

	if (!c)
		return cJSON_AddObjectToObject(t, parts->v[i]);
	if (cJSON_IsArray(c) && (c->valueint & T_AOT))
		c = cJSON_GetArrayItem(c, cJSON_GetArraySize(c) - 1);
	if (cJSON_IsObject(c) && !(c->valueint & T_FROZEN))
		return c;
	fail_at(p, at, "'%s' is not a table that can be extended",
		key_text(parts, i + 1));
	return NULL;
}

static cJSON *table_header(struct tp *p, cJSON *t,
			   const struct gk_strvec *parts, size_t at)
{
	const char *last = parts->v[parts->n - 1];
	cJSON *c = cJSON_GetObjectItemCaseSensitive(t, last);

	if (!c) {
		c = cJSON_AddObjectToObject(t, last);
		c->valueint = T_DEFINED;
		return c;
	}
	if (!cJSON_IsObject(c) ||
	    (c->valueint & (T_DEFINED | T_DOTTED | T_FROZEN))) {
		fail_at(p, at, "'%s' is already defined",
			key_text(parts, parts->n));
		return NULL;
	}
	c->valueint |= T_DEFINED;
	return c;
}

static cJSON *array_header(struct tp *p, cJSON *t,
			   const struct gk_strvec *parts, size_t at)
{
	const char *last = parts->v[parts->n - 1];
	cJSON *c = cJSON_GetObjectItemCaseSensitive(t, last), *e;

	if (!c) {
		c = cJSON_AddArrayToObject(t, last);
		c->valueint = T_AOT;
	} else if (!cJSON_IsArray(c) || !(c->valueint & T_AOT)) {
		fail_at(p, at, "'%s' is not an array of tables",
			key_text(parts, parts->n));
		return NULL;
	}
	e = cJSON_CreateObject();
	e->valueint = T_DEFINED;
	cJSON_AddItemToArray(c, e);
	return e;
}

/* The closing ']' or ']]' of a header. */
static int header_close(struct tp *p, int aot)
{
	if (peek(p) != ']' || (aot && peek_at(p, 1) != ']'))
		return fail(p, "expected '%s' to close the header",
			    aot ? "]]" : "]");
	p->pos += aot ? 2 : 1;
	return end_of_line(p);
}

static int parse_header(struct tp *p, cJSON *root)
{
	struct gk_strvec parts = { 0 };
	size_t at = p->pos, i;
	int aot = peek_at(p, 1) == '[';
	cJSON *t = root;

	p->pos += aot ? 2 : 1;
	if (parse_key(p, &parts) || header_close(p, aot))
		goto fail;
	for (i = 0; t && i + 1 < parts.n; i++)
		t = header_step(p, t, &parts, i, at);
	if (t)
		t = aot ? array_header(p, t, &parts, at)
			: table_header(p, t, &parts, at);
	p->cur = t;
fail:
	gk_strvec_release(&parts);
	return p->failed ? -1 : 0;
}

static int parse_document(struct tp *p, cJSON *root)
{
	p->cur = root;
	while (p->pos < p->len) {
		skip_ws(p);
		if (skip_comment(p))
			return -1;
		if (p->pos >= p->len || eat_newline(p))
			continue;
		if (peek(p) == '[') {
			if (parse_header(p, root))
				return -1;
		} else if (key_value(p, p->cur) || end_of_line(p)) {
			return -1;
		}
	}
	return 0;
}

static void clear_flags(cJSON *t)
{
	cJSON *c;

	t->valueint = 0;
	cJSON_ArrayForEach(c, t)
		if (cJSON_IsObject(c) || cJSON_IsArray(c))
			clear_flags(c);
}

cJSON *gk_toml_parse(const char *name, const char *data, size_t len,
		     char *err, size_t errlen)
{
	struct tp p;
	cJSON *root = cJSON_CreateObject();

	memset(&p, 0, sizeof(p));
	p.name = name;
	p.s = (const unsigned char *)data;
	p.len = data ? len : 0;
	p.err = err;
	p.errlen = errlen;
	if (errlen)
		err[0] = '\0';
	if (check_utf8(&p) || parse_document(&p, root)) {
		cJSON_Delete(root);
		return NULL;
	}
	clear_flags(root);
	return root;
}
