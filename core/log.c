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

void gk_vlog(int level, const char *who, const char *fmt, va_list ap)
{
	char msg[2048];

	if (!gk_log_enabled(level))
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
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
