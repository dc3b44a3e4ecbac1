#include "fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

char *fixture_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	assert_true(n >= 0);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	*len = fread(buf, 1, (size_t)n, f);
	fclose(f);
	buf[*len] = '\0';
	return buf;
}

size_t fixture_unescape(char *s)
{
	char *out = s, *in = s;

	while (*in) {
		if (in[0] != '\\' || !in[1]) {
			*out++ = *in++;
			continue;
		}
		if (in[1] == 'x' && in[2] && in[3]) {
			char hex[3] = { in[2], in[3], 0 };

			*out++ = (char)strtol(hex, NULL, 16);
			in += 4;
			continue;
		}
		*out++ = in[1] == 'n' ? '\n' : in[1] == 't' ? '\t' : in[1];
		in += 2;
	}
	*out = '\0';
	return (size_t)(out - s);
}
