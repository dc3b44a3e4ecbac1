/*
 * Dockerfile parsing: physical lines become instructions, with parser
 * directives (escape), comments, line continuations and heredocs handled
 * as BuildKit does.  The checks live in dockercheck.c.
 */
#ifndef CT_DOCKERFILE_H
#define CT_DOCKERFILE_H

#include <stddef.h>

/* Limits on what one Dockerfile may hold. */
#define CT_DF_MAX_INSTR 20000
#define CT_DF_MAX_LINE ((size_t)1 << 20)

struct ct_instr {
	char *cmd;    /* the keyword, uppercased: "FROM", "RUN" */
	char *args;   /* the rest, continuations joined; heredoc bodies
		       * follow, each line after a '\n' */
	int line;     /* first physical line, 1-based */
	int end_line; /* last physical line, heredoc included */
};

/* The parse of one file; owns its instructions. */
struct ct_dockerfile {
	struct ct_instr *ins;
	size_t n, cap;
	char escape;   /* '\\' or '`' */
	int truncated; /* a limit was reached: later text is unparsed */
};

/* Parses size bytes of data into df; 0, or -1 when out of memory. */
int ct_dockerfile_parse(const char *data, size_t size,
			struct ct_dockerfile *df);
void ct_dockerfile_release(struct ct_dockerfile *df);

#endif
