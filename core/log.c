#include "log.h"

#include <pthread.h>
#include <stdio.h>

static int threshold = GK_LOG_WARN;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void gk_log_set_level(int level)
{
	threshold = level;
}

int gk_log_level(void)
{
	return threshold;
}

int gk_log_enabled(int level)
{
	return level <= threshold;
}

static const char *level_word(int level)
{
	switch (level) {
	case GK_LOG_ERROR:
		return "error";
	case GK_LOG_WARN:
		return "warning";
	case GK_LOG_INFO:
		return "info";
	default:
		return "debug";
	}
}

/*
 * Messages name files of the scanned tree, whose names may hold escape
 * sequences or newlines: control characters are written as \xNN so a
 * message is one line and cannot drive the terminal.
 */
static void defang(const char *in, char *out, size_t cap)
{
	size_t o = 0;

	for (; *in && o + 5 < cap; in++) {
		unsigned char c = (unsigned char)*in;

		if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(out + o, cap - o, "\\x%02x", c);
		else
			out[o++] = (char)c;
	}
	out[o] = '\0';
}

void gk_vlog(int level, const char *who, const char *fmt, va_list ap)
{
	char raw[2048], msg[2048];

	if (!gk_log_enabled(level))
		return;
	vsnprintf(raw, sizeof(raw), fmt, ap);
	defang(raw, msg, sizeof(msg));
	pthread_mutex_lock(&log_lock);
	if (who)
		fprintf(stderr, "gatekeeper: %s: %s: %s\n", level_word(level),
			who, msg);
	else
		fprintf(stderr, "gatekeeper: %s: %s\n", level_word(level), msg);
	pthread_mutex_unlock(&log_lock);
}

void gk_log(int level, const char *who, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gk_vlog(level, who, fmt, ap);
	va_end(ap);
}

int gk_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gk_vlog(GK_LOG_ERROR, NULL, fmt, ap);
	va_end(ap);
	return -1;
}
