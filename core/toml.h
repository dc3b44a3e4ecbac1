/*
 * A strict TOML 1.0 reader that builds a cJSON tree.
 *
 *   tables and inline tables    objects
 *   arrays of tables            arrays of objects
 *   strings (all four kinds)    strings
 *   integers and floats         numbers (a double: integers beyond 2^53
 *                               lose precision; inf and nan print as null)
 *   booleans                    true / false
 *   dates and times             strings, exactly as written
 *
 * Everything TOML forbids is an error: a duplicate key, a table defined
 * twice, a dotted key extending a table defined elsewhere, an array of
 * tables appended to a static array, bad escapes, invalid UTF-8, control
 * characters.  A string or key holding U+0000 is refused too, because a
 * cJSON string cannot carry it.
 *
 * Limits: the caller bounds the document (len); nesting of arrays, inline
 * tables and key parts is at most GK_TOML_MAX_DEPTH; a string or key is at
 * most GK_TOML_MAX_STRING bytes.
 */
#ifndef GK_TOML_H
#define GK_TOML_H

#include <cjson/cJSON.h>
#include <stddef.h>

#define GK_TOML_MAX_DEPTH 64
#define GK_TOML_MAX_STRING (1u << 20)

/*
 * Parses data[0, len).  Returns a new cJSON object the caller frees with
 * cJSON_Delete(), or NULL with one line in err:
 *   'NAME' line L column C: problem
 * Lines and columns are 1-based; a column counts bytes.
 */
cJSON *gk_toml_parse(const char *name, const char *data, size_t len,
		     char *err, size_t errlen);

#endif
