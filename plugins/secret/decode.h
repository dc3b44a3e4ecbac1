/*
 * Decoding encoded runs of scanned text (decode.c).
 *
 * A secret is sometimes stored encoded: a Kubernetes Secret's base64
 * values, a hex-dumped configuration, a percent-encoded URL.  The scanner
 * looks for such runs, decodes those that turn out to be text, and scans
 * the decoded text with the same rules; a finding there is reported at the
 * encoded run.  Decoded text is itself searched again, up to a depth.
 */
#ifndef SECRET_DECODE_H
#define SECRET_DECODE_H

#include <stddef.h>

struct cJSON;
struct secret_state;

#define SECRET_DECODE_DEPTH 2            /* default decode_depth */
#define SECRET_DECODE_MAX_DEPTH 8        /* largest decode_depth accepted */
#define SECRET_DECODE_MIN_B64 20         /* shortest base64 run decoded */
#define SECRET_DECODE_MIN_HEX 32         /* shortest hex run decoded */
#define SECRET_DECODE_MIN_OUT 8          /* shortest decoded text kept */
#define SECRET_DECODE_MAX_RUN (256u << 10)   /* longest run decoded */
#define SECRET_DECODE_BUDGET (4u << 20)  /* decoded bytes kept per file */

/* One encoded run of a text and the text it decodes to. */
struct secret_decoded {
	size_t start, len;         /* the encoded run, as offsets */
	const char *kind;          /* "base64", "hex" or "percent" */
	const unsigned char *data; /* decoded bytes, valid during the call */
	size_t size;
};

/* Called for each run; non-zero stops the search. */
typedef int (*secret_decoded_fn)(void *arg, const struct secret_decoded *d);

/*
 * Calls fn for every run of text[0, len) that decodes to mostly printable
 * text of at least SECRET_DECODE_MIN_OUT bytes, in order of the runs'
 * starts.  *budget is the number of decoded bytes the caller still
 * accepts; each run passed to fn is subtracted, and the search stops when
 * the next would not fit.  Returns 0, or -1 when memory ran out.
 */
int secret_decode_each(const unsigned char *text, size_t len,
		       size_t *budget, secret_decoded_fn fn, void *arg);

/*
 * Reads "decode_depth" from the plugin's configuration (a JSON object):
 * 0 turns decoding off, absent means SECRET_DECODE_DEPTH.  0, or -1 after
 * logging a bad value.
 */
int secret_decode_configure(struct secret_state *st, const struct cJSON *cfg);

/* The depth a scan decodes to: the configured one, or the default. */
int secret_decode_depth(const struct secret_state *st);

#endif
