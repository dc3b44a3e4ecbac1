/*
 * Finding and decoding encoded runs: base64 (standard and URL-safe), hex
 * and percent-encoding.  Only runs that decode to mostly printable text
 * are passed on, so base64 images, hashes, random keys and ordinary
 * identifiers cost one decode of a few bytes and are dropped.
 *
 * The search walks the text once for base64 and hex runs (maximal runs of
 * [A-Za-z0-9+/_-] with up to two '=' after them) and once more, from '%'
 * to '%' with memchr, for percent-encoded runs.
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

static int is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

static int is_b64ish(unsigned char c)
{
	return is_alnum(c) || c == '+' || c == '/' || c == '-' || c == '_';
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
	struct run_shape sh = { 1, 0, 0 };
	size_t i;

	for (i = 0; i < n; i++) {
		if (hex_value(p[i]) < 0)
			sh.hex = 0;
		if (p[i] == '+' || p[i] == '/')
			sh.std = 1;
		else if (p[i] == '-' || p[i] == '_')
			sh.url = 1;
	}
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

static void base64_pass(struct search *s)
{
	const unsigned char *t = s->text;
	size_t i = 0, j, end;

	while (i < s->len && !s->stop && !s->failed) {
		if (!is_b64ish(t[i])) {
			i++;
			continue;
		}
		for (j = i; j < s->len && is_b64ish(t[j]); j++)
			;
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
