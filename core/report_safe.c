/*
 * Untrusted text in reports: file names, titles and messages come from
 * scanned trees and foreign reports, so they may hold terminal escapes,
 * line breaks or bytes that are not UTF-8.  Text formats show such bytes
 * escaped; JSON formats replace what is not UTF-8.
 */
#include "report.h"

#include "util.h"

#include <stdint.h>
#include <string.h>

/* Is c a UTF-8 continuation byte within [lo, hi]? */
static int cont(unsigned char c, unsigned char lo, unsigned char hi)
{
	return c >= lo && c <= hi;
}

/*
 * Length (1-4) of the well-formed UTF-8 sequence at s, with its code
 * point in *cp; 0 when s starts with a byte no such sequence starts with
 * (overlong forms, surrogates and code points past U+10FFFF included).
 */
static size_t utf8_seq(const unsigned char *s, uint32_t *cp)
{
	unsigned char c = s[0];

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf && cont(s[1], 0x80, 0xbf)) {
		*cp = (uint32_t)(c & 0x1f) << 6 | (s[1] & 0x3f);
		return 2;
	}
	if (c >= 0xe0 && c <= 0xef &&
	    cont(s[1], c == 0xe0 ? 0xa0 : 0x80, c == 0xed ? 0x9f : 0xbf) &&
	    cont(s[2], 0x80, 0xbf)) {
		*cp = (uint32_t)(c & 0x0f) << 12 |
		      (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4 &&
	    cont(s[1], c == 0xf0 ? 0x90 : 0x80, c == 0xf4 ? 0x8f : 0xbf) &&
	    cont(s[2], 0x80, 0xbf) && cont(s[3], 0x80, 0xbf)) {
		*cp = (uint32_t)(c & 0x07) << 18 |
		      (uint32_t)(s[1] & 0x3f) << 12 |
		      (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
		return 4;
	}
	return 0;
}

/* Control characters (C0, DEL, C1) and the noncharacters XML forbids. */
static int unprintable(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0xfffe ||
	       cp == 0xffff;
}

void gk_report_put(FILE *out, const char *s, gk_report_putc_fn *put)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	size_t n, i;

	while (p && *p) {
		n = utf8_seq(p, &cp);
		if (n == 0 || unprintable(cp)) {
			for (i = 0; i < (n ? n : 1); i++)
				fprintf(out, "\\x%02x", p[i]);
		} else {
			for (i = 0; i < n; i++) {
				if (put)
					put(out, p[i]);
				else
					fputc(p[i], out);
			}
		}
		p += n ? n : 1;
	}
}

char *gk_report_utf8_fix(const char *text)
{
	const unsigned char *p = (const unsigned char *)text, *run = p;
	struct gk_buf b;
	uint32_t cp;
	size_t n;

	gk_buf_init(&b, 0);
	while (*p) {
		n = utf8_seq(p, &cp);
		if (n) {
			p += n;
			continue;
		}
		gk_buf_add(&b, run, (size_t)(p - run));
		gk_buf_adds(&b, "\xef\xbf\xbd");
		run = ++p;
	}
	gk_buf_add(&b, run, (size_t)(p - run));
	return gk_buf_detach(&b);
}
