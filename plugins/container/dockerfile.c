#include "dockerfile.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"

#define MAX_HEREDOCS 8
#define MAX_DELIM 64

struct reader {
	const char *p, *end;
	int line; /* of the line last returned */
};

/* The next physical line without its end of line; 0 at the end. */
static int next_line(struct reader *r, const char **s, size_t *n)
{
	const char *nl;

	if (r->p >= r->end)
		return 0;
	*s = r->p;
	nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
	*n = (size_t)((nl ? nl : r->end) - r->p);
	r->p = nl ? nl + 1 : r->end;
	if (*n && (*s)[*n - 1] == '\r')
		(*n)--;
	r->line++;
	return 1;
}

static size_t skip_space(const char *s, size_t i, size_t n)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

static int blank_or_comment(const char *s, size_t n)
{
	size_t i = skip_space(s, 0, n);

	return i == n || s[i] == '#';
}

/* "# name=value" with a directive BuildKit knows; sets the escape. */
static int directive(const char *s, size_t n, struct ct_dockerfile *df)
{
	size_t i = skip_space(s, 0, n), k, v;

	if (i == n || s[i] != '#')
		return 0;
	i = skip_space(s, i + 1, n);
	for (k = i; k < n && (isalnum((unsigned char)s[k]) || s[k] == '_');)
		k++;
	v = skip_space(s, k, n);
	if (k == i || v == n || s[v] != '=')
		return 0;
	v = skip_space(s, v + 1, n);
	if (k - i == 6 && strncasecmp(s + i, "escape", 6) == 0) {
		if (v < n && (s[v] == '`' || s[v] == '\\'))
			df->escape = s[v];
		return 1;
	}
	return (k - i == 6 && strncasecmp(s + i, "syntax", 6) == 0) ||
	       (k - i == 5 && strncasecmp(s + i, "check", 5) == 0);
}

static void read_directives(struct reader *r, struct ct_dockerfile *df)
{
	struct reader peek = *r;
	const char *s;
	size_t n;

	while (next_line(&peek, &s, &n) && directive(s, n, df))
		*r = peek;
}

/* Appends a line and every line it continues into; comment and empty
 * lines inside a continuation are dropped. */
static void join_continued(struct reader *r, char esc, struct ct_buf *b,
			   const char *s, size_t n)
{
	for (;;) {
		size_t len = n;

		while (len && isspace((unsigned char)s[len - 1]))
			len--;
		if (!len || s[len - 1] != esc) {
			ct_buf_addn(b, s, n);
			return;
		}
		ct_buf_addn(b, s, len - 1);
		do {
			if (!next_line(r, &s, &n))
				return;
		} while (blank_or_comment(s, n));
	}
}

struct heredoc {
	char delim[MAX_DELIM];
	int strip_tabs; /* <<- */
};

/* Reads one "<<[-]['"]WORD['"]" marker at s[i] into h; returns the
 * index after it, or 0 when s[i] starts none. */
static size_t heredoc_marker(const char *s, size_t i, size_t n,
			     struct heredoc *h)
{
	size_t j = i + 2, k;
	char quote = 0;

	h->strip_tabs = j < n && s[j] == '-';
	j += (size_t)h->strip_tabs;
	if (j < n && (s[j] == '"' || s[j] == '\''))
		quote = s[j++];
	if (j >= n || !(isalpha((unsigned char)s[j]) || s[j] == '_'))
		return 0;
	for (k = j; k < n && (isalnum((unsigned char)s[k]) || s[k] == '_');)
		k++;
	if (k - j >= MAX_DELIM || (quote && (k >= n || s[k] != quote)))
		return 0;
	memcpy(h->delim, s + j, k - j);
	h->delim[k - j] = '\0';
	return k + (quote ? 1 : 0);
}

static size_t find_heredocs(const char *args, struct heredoc *h)
{
	size_t n = strlen(args), i, next, count = 0;

	for (i = 0; i + 2 < n && count < MAX_HEREDOCS; i++) {
		if (args[i] != '<' || args[i + 1] != '<')
			continue;
		if (args[i + 2] == '<') { /* a here-string */
			while (i + 1 < n && args[i + 1] == '<')
				i++;
			continue;
		}
		next = heredoc_marker(args, i, n, &h[count]);
		if (next) {
			count++;
			i = next - 1;
		}
	}
	return count;
}

static int is_delim(const char *s, size_t n, const struct heredoc *h)
{
	size_t len = strlen(h->delim);

	while (h->strip_tabs && n && *s == '\t') {
		s++;
		n--;
	}
	return n == len && memcmp(s, h->delim, len) == 0;
}

/* Appends each heredoc body, line by line, after a '\n'. */
static void read_heredocs(struct reader *r, struct ct_buf *b,
			  const struct heredoc *h, size_t count)
{
	const char *s;
	size_t i, n;

	for (i = 0; i < count; i++)
		while (next_line(r, &s, &n) && !is_delim(s, n, &h[i])) {
			ct_buf_addc(b, '\n');
			ct_buf_addn(b, s, n);
		}
}

static int takes_heredoc(const char *cmd)
{
	return strcmp(cmd, "RUN") == 0 || strcmp(cmd, "COPY") == 0 ||
	       strcmp(cmd, "ADD") == 0;
}

static int instr_push(struct ct_dockerfile *df, const char *text, int line,
		      int end_line)
{
	struct ct_instr *in;
	size_t k = 0, a;

	if (df->n == df->cap) {
		size_t cap = df->cap ? df->cap * 2 : 32;
		void *p = realloc(df->ins, cap * sizeof(*df->ins));

		if (!p)
			return -1;
		df->ins = p;
		df->cap = cap;
	}
	while (text[k] && !isspace((unsigned char)text[k]))
		k++;
	a = k;
	while (text[a] && isspace((unsigned char)text[a]))
		a++;
	in = &df->ins[df->n];
	in->cmd = strndup(text, k);
	in->args = strdup(text + a);
	if (!in->cmd || !in->args) {
		free(in->cmd);
		free(in->args);
		return -1;
	}
	for (a = 0; a < k; a++)
		in->cmd[a] = (char)toupper((unsigned char)in->cmd[a]);
	in->line = line;
	in->end_line = end_line;
	df->n++;
	return 0;
}

/* Reads one instruction that starts on line s; 0, or -1 on OOM. */
static int read_instruction(struct reader *r, struct ct_dockerfile *df,
			    struct ct_buf *b, const char *s, size_t n)
{
	struct heredoc h[MAX_HEREDOCS];
	size_t i = skip_space(s, 0, n), count, k;
	int line = r->line;
	const char *t;
	char cmd[8];

	ct_buf_reset(b);
	join_continued(r, df->escape, b, s + i, n - i);
	t = ct_buf_str(b);
	for (k = 0; k < sizeof(cmd) - 1 && isalpha((unsigned char)t[k]); k++)
		cmd[k] = (char)toupper((unsigned char)t[k]);
	cmd[k] = '\0';
	if (takes_heredoc(cmd)) {
		count = find_heredocs(ct_buf_str(b), h);
		read_heredocs(r, b, h, count);
	}
	if (b->failed) {
		df->truncated = 1;
		return 0;
	}
	return instr_push(df, ct_buf_str(b), line, r->line);
}

int ct_dockerfile_parse(const char *data, size_t size,
			struct ct_dockerfile *df)
{
	struct reader r = { data, data + size, 0 };
	struct ct_buf b;
	const char *s;
	size_t n;
	int rc = 0;

	memset(df, 0, sizeof(*df));
	df->escape = '\\';
	ct_buf_init(&b, CT_DF_MAX_LINE);
	read_directives(&r, df);
	while (rc == 0 && next_line(&r, &s, &n)) {
		if (blank_or_comment(s, n))
			continue;
		if (df->n >= CT_DF_MAX_INSTR) {
			df->truncated = 1;
			break;
		}
		rc = read_instruction(&r, df, &b, s, n);
	}
	ct_buf_release(&b);
	return rc;
}

void ct_dockerfile_release(struct ct_dockerfile *df)
{
	size_t i;

	for (i = 0; i < df->n; i++) {
		free(df->ins[i].cmd);
		free(df->ins[i].args);
	}
	free(df->ins);
	memset(df, 0, sizeof(*df));
}
