/*
 * One logging call for the whole host.  Messages go to stderr, are
 * lowercase and name the file and the problem.  Warnings show by default;
 * -v adds info, -vv debug; -q leaves only errors.
 */
#ifndef GK_LOG_H
#define GK_LOG_H

#include <gatekeeper/plugin.h>
#include <stdarg.h>

void gk_log_set_level(int level);
int gk_log_level(void);

/* True when a message at this level would be printed. */
int gk_log_enabled(int level);

/* who may be NULL (the host itself) or a plugin name used as prefix. */
void gk_log(int level, const char *who, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void gk_vlog(int level, const char *who, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* Logs an error and returns -1, for "return gk_error(...)". */
int gk_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define gk_warn(...) gk_log(GK_LOG_WARN, NULL, __VA_ARGS__)
#define gk_info(...) gk_log(GK_LOG_INFO, NULL, __VA_ARGS__)
#define gk_debug(...) gk_log(GK_LOG_DEBUG, NULL, __VA_ARGS__)

#endif
