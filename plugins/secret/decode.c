/*
 * Finding and decoding encoded runs: base64 (standard and URL-safe), hex
 * and percent-encoding.  Only runs that decode to mostly printable text
 * are passed on, so base64 images, hashes, random keys and ordinary
 * identifiers cost one decode of a few bytes and are dropped.
 *
 * The search walks the text once for base64 and hex runs (maximal runs of
 * [A-Za-z0-9+/_-] with up to two '=' after them) and once more, from '%'
 * to '%' with memchr, for percent-encoded runs.  Bytes are classified by
 * one table lookup; a run too short to decode costs only its walk.
 */
#include "decode.h"
#include "secret.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

/* The search over one text: the caller's callback and a scratch buffer. */
struct search {
	const unsigned char *text;
	size_t len;
	size_t *budget;
	secret_decoded_fn fn;
	void *arg;
	unsigned char *buf; /* decoded bytes of the current run */
	size_t cap;
	int stop;   /* fn asked to stop, or the budget ran out */
	int failed; /* out of memory */
};

/* Byte classes: what a byte can be part of. */
enum {
	C_B64 = 1,  /* a digit of either base64 alphabet */
	C_HEX = 2,  /* a hex digit */
	C_STD = 4,  /* '+' or '/': standard base64 only */
	C_URL = 8,  /* '-' or '_': URL-safe base64 only */
	C_ALNUM = 16
};

#define ALNUM(c) [c] = C_B64 | C_ALNUM
#define HEXDIG(c) [c] = C_B64 | C_ALNUM | C_HEX
#define R10(m, c) m(c), m(c + 1), m(c + 2), m(c + 3), m(c + 4), m(c + 5), \
	m(c + 6), m(c + 7), m(c + 8), m(c + 9)

static const unsigned char byte_class[256] = {
	R10(HEXDIG, '0'),
	HEXDIG('a'), HEXDIG('b'), HEXDIG('c'), HEXDIG('d'), HEXDIG('e'),
	HEXDIG('f'), HEXDIG('A'), HEXDIG('B'), HEXDIG('C'), HEXDIG('D'),
	HEXDIG('E'), HEXDIG('F'),
	R10(ALNUM, 'g'), R10(ALNUM, 'q'),
	R10(ALNUM, 'G'), R10(ALNUM, 'Q'),
	['+'] = C_B64 | C_STD, ['/'] = C_B64 | C_STD,
	['-'] = C_B64 | C_URL, ['_'] = C_B64 | C_URL,
};

static int is_alnum(unsigned char c)
{
	return byte_class[c] & C_ALNUM;
}

static int hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The 6-bit value of a base64 digit of either alphabet, or -1. */
static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

static int is_text_byte(unsigned char c)
{
	return (c >= 0x20 && c < 0x7f) || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Tracks how much of the output is not text.  Returns 0 as soon as the
 * output can no longer be mostly text: more than two bytes plus a tenth
 * of those written so far.
 */
static int still_text(unsigned char c, size_t written, size_t *bad)
{
	if (!is_text_byte(c))
		(*bad)++;
	return *bad <= 2 + written / 10;
}

static int reserve(struct search *s, size_t n)
{
	unsigned char *b;

	if (n <= s->cap)
		return 1;
	b = realloc(s->buf, n);
	if (!b) {
		s->failed = 1;
		return 0;
	}
	s->buf = b;
	s->cap = n;
	return 1;
}

/* Decodes base64 digits into s->buf; 0 when the output is not text. */
static size_t decode_b64(struct search *s, const unsigned char *in, size_t n)
{
	size_t i, out = 0, bad = 0;
	unsigned acc = 0;
	int bits = 0;

	for (i = 0; i < n; i++) {
		acc = acc << 6 | (unsigned)b64_value(in[i]);
		bits += 6;
		if (bits < 8)
			continue;
		bits -= 8;
		s->buf[out] = (unsigned char)(acc >> bits);
		acc &= (1u << bits) - 1;
		if (!still_text(s->buf[out], out + 1, &bad))
			return 0;
		out++;
	}
	return out;
}

static size_t decode_hex(struct search *s, const unsigned char *in, size_t n)
{
	size_t i, out = 0, bad = 0;

	for (i = 0; i + 1 < n; i += 2) {
		s->buf[out] = (unsigned char)(hex_value(in[i]) << 4 |
					      hex_value(in[i + 1]));
		if (!still_text(s->buf[out], out + 1, &bad))
			return 0;
		out++;
	}
	return out;
}

/* Hands a decoded run to the callback, within the budget. */
static void deliver(struct search *s, size_t start, size_t len,
		    const char *kind, size_t size)
{
	struct secret_decoded d = { start, len, kind, s->buf, size };

	if (size < SECRET_DECODE_MIN_OUT)
		return;
	if (size > *s->budget) {
		s->stop = 1;
		return;
	}
	*s->budget -= size;
	if (s->fn(s->arg, &d))
		s->stop = 1;
}

/* What a run of base64 digits is made of. */
struct run_shape {
	int hex;  /* only hex digits */
	int std;  /* has '+' or '/' */
	int url;  /* has '-' or '_' */
};

static struct run_shape shape_of(const unsigned char *p, size_t n)
{
	unsigned all = C_HEX, any = 0;
	struct run_shape sh;
	size_t i;

	for (i = 0; i < n; i++) {
		all &= byte_class[p[i]];
		any |= byte_class[p[i]];
	}
	sh.hex = (all & C_HEX) != 0;
	sh.std = (any & C_STD) != 0;
	sh.url = (any & C_URL) != 0;
	return sh;
}

/*
 * One run: digits at [i, j), padding up to end.  A run of hex digits is
 * read as hex only; others as base64 of one alphabet.  A base64 length
 * of 1 modulo 4 cannot be whole, so such runs are skipped.
 */
static void try_run(struct search *s, size_t i, size_t j, size_t end)
{
	const unsigned char *p = s->text + i;
	size_t n = j - i, size;
	struct run_shape sh;

	if (n < SECRET_DECODE_MIN_B64 || n > SECRET_DECODE_MAX_RUN)
		return;
	sh = shape_of(p, n);
	if (!reserve(s, n))
		return;
	if (sh.hex) {
		if (n >= SECRET_DECODE_MIN_HEX && n % 2 == 0 &&
		    (size = decode_hex(s, p, n)) > 0)
			deliver(s, i, n, "hex", size);
		return;
	}
	if ((sh.std && sh.url) || n % 4 == 1)
		return;
	size = decode_b64(s, p, n);
	if (size > 0)
		deliver(s, i, end - i, "base64", size);
}

static int is_b64(const unsigned char *t, size_t i)
{
	return byte_class[t[i]] & C_B64;
}

/*
 * The next run of base64 digits at least SECRET_DECODE_MIN_B64 long in
 * t[i, len), as [*a, *b); 0 when there is none.  t[i - 1] or t[i] is not
 * a digit, so no run reaches back before i.  A run that long holds the
 * byte MIN - 1 after its start, so the search looks at that byte first
 * and, when it is not a digit, skips every start up to it unread.
 */
static int next_run(const unsigned char *t, size_t i, size_t len,
		    size_t *a, size_t *b)
{
	const size_t reach = SECRET_DECODE_MIN_B64 - 1;
	size_t k, j;

	while (len - i > reach) {
		k = i + reach;
		if (!is_b64(t, k)) {
			i = k + 1;
			continue;
		}
		for (j = k; j > i && is_b64(t, j - 1); j--)
			;
		for (k++; k < len && is_b64(t, k); k++)
			;
		if (k - j > reach) {
			*a = j;
			*b = k;
			return 1;
		}
		i = k;
	}
	return 0;
}

static void base64_pass(struct search *s)
{
	const unsigned char *t = s->text;
	size_t i = 0, j, end;

	while (!s->stop && !s->failed && next_run(t, i, s->len, &i, &j)) {
		for (end = j; end < s->len && end - j < 2 && t[end] == '=';
		     end++)
			;
		try_run(s, i, j, end);
		i = end;
	}
}

/* Bytes a percent-encoded run (a URL, a form body) is made of. */
static int is_pct_char(unsigned char c)
{
	return is_alnum(c) || (c != 0 && strchr("-._~%!$&*+,;=:@/?#", c));
}

static int is_escape(const unsigned char *t, size_t len, size_t k)
{
	return k + 2 < len && t[k] == '%' && hex_value(t[k + 1]) >= 0 &&
	       hex_value(t[k + 2]) >= 0;
}

/* Decodes the run [a, b); 0 when it is not text or has no escape. */
static size_t decode_pct(struct search *s, size_t a, size_t b)
{
	const unsigned char *t = s->text;
	size_t k = a, out = 0, bad = 0, escapes = 0;

	while (k < b) {
		unsigned char c = t[k++];

		if (c == '%' && is_escape(t, b, k - 1)) {
			c = (unsigned char)(hex_value(t[k]) << 4 |
					    hex_value(t[k + 1]));
			k += 2;
			escapes++;
		}
		s->buf[out] = c;
		if (!still_text(c, out + 1, &bad))
			return 0;
		out++;
	}
	return escapes ? out : 0;
}

static void percent_pass(struct search *s)
{
	const unsigned char *t = s->text, *p;
	size_t from = 0, done = 0;

	while (!s->stop && !s->failed &&
	       (p = memchr(t + from, '%', s->len - from)) != NULL) {
		size_t k = (size_t)(p - t), a = k, b = k, size;

		from = k + 1;
		if (k < done || !is_escape(t, s->len, k))
			continue;
		while (a > done && is_pct_char(t[a - 1]))
			a--;
		while (b < s->len && is_pct_char(t[b]))
			b++;
		done = from = b;
		if (b - a > SECRET_DECODE_MAX_RUN || !reserve(s, b - a))
			continue;
		size = decode_pct(s, a, b);
		if (size > 0)
			deliver(s, a, b - a, "percent", size);
	}
}

int secret_decode_each(const unsigned char *text, size_t len,
		       size_t *budget, secret_decoded_fn fn, void *arg)
{
	struct search s = { text, len, budget, fn, arg, NULL, 0, 0, 0 };

	base64_pass(&s);
	percent_pass(&s);
	free(s.buf);
	return s.failed ? -1 : 0;
}

int secret_decode_configure(struct secret_state *st, const cJSON *cfg)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(cfg, "decode_depth");

	st->decode_set = 1;
	st->decode_depth = SECRET_DECODE_DEPTH;
	if (!v)
		return 0;
	if (!cJSON_IsNumber(v) || v->valuedouble < 0 ||
	    v->valuedouble > SECRET_DECODE_MAX_DEPTH ||
	    v->valuedouble != (double)v->valueint) {
		st->api->log(st->host, GK_LOG_ERROR,
			     "config: 'decode_depth' must be a whole number "
			     "from 0 to %d",
			     SECRET_DECODE_MAX_DEPTH);
		return -1;
	}
	st->decode_depth = v->valueint;
	return 0;
}

int secret_decode_depth(const struct secret_state *st)
{
	return st->decode_set ? st->decode_depth : SECRET_DECODE_DEPTH;
}
