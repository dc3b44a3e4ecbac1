/*
 * Small byte-string helpers of the secret plugin: entropy, stopword
 * normalisation, redaction and binary detection.
 */
#include "secret.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int secret_is_binary(const unsigned char *data, size_t len)
{
	if (len > SECRET_BINARY_HEAD)
		len = SECRET_BINARY_HEAD;
	return len > 0 && memchr(data, 0, len) != NULL;
}

double secret_entropy(const unsigned char *s, size_t len)
{
	size_t counts[256] = { 0 };
	double h = 0.0;
	size_t i;

	if (len == 0)
		return 0.0;
	for (i = 0; i < len; i++)
		counts[s[i]]++;
	for (i = 0; i < 256; i++) {
		double p;

		if (counts[i] == 0)
			continue;
		p = (double)counts[i] / (double)len;
		h -= p * log2(p);
	}
	return h;
}

char *secret_stopword_norm(const unsigned char *s, size_t len)
{
	char *out = malloc(len + 1);
	size_t i, n = 0;

	if (!out)
		return NULL;
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c >= 'A' && c <= 'Z')
			out[n++] = (char)(c - 'A' + 'a');
		else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			out[n++] = (char)c;
	}
	out[n] = '\0';
	return out;
}

/*
 * Shows at most 4 leading bytes of the secret, and never more than half
 * of it, followed by "***".  Bytes outside printable ASCII show as '?'
 * so the snippet is always valid UTF-8.
 */
void secret_redact(const unsigned char *s, size_t len, char *out,
		   size_t outlen)
{
	size_t shown = len >= 8 ? 4 : len / 2;
	size_t i;

	if (outlen < shown + 4)
		shown = 0;
	for (i = 0; i < shown; i++)
		out[i] = (s[i] >= 0x21 && s[i] <= 0x7e) ? (char)s[i] : '?';
	memcpy(out + shown, "***", 4);
}
