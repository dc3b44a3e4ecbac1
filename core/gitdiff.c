#include "gitdiff.h"

#include <stdlib.h>
#include <string.h>

struct parser {
	struct gk_diff_commit commit;
	int have_commit;
	struct gk_diff_file *file;
	int next_line; /* new-file line of the next '+' line */
	size_t max_bytes;
	gk_diff_fn fn;
	void *arg;
};

void gk_diff_file_free(struct gk_diff_file *f)
{
	if (!f)
		return;
	free(f->path);
	gk_buf_release(&f->data);
	free(f->line_map);
	free(f);
}

static int octal_digit(char c)
{
	return c >= '0' && c <= '7';
}

char *gk_git_unquote(const char *s, size_t len)
{
	struct gk_buf b;
	size_t i;

	if (len < 2 || s[0] != '"' || s[len - 1] != '"')
		return gk_strndup(s, len);
	gk_buf_init(&b, 0);
	for (i = 1; i + 1 < len; i++) {
		char c = s[i];

		if (c == '\\' && i + 2 < len) {
			c = s[++i];
			if (c == 't')
				c = '\t';
			else if (c == 'n')
				c = '\n';
			else if (octal_digit(c) && i + 2 < len - 1 &&
				 octal_digit(s[i + 1]) && octal_digit(s[i + 2])) {
				c = (char)(((c - '0') << 6) |
					   ((s[i + 1] - '0') << 3) |
					   (s[i + 2] - '0'));
				i += 2;
			}
		}
		gk_buf_add(&b, &c, 1);
	}
	return gk_buf_detach(&b);
}

static void commit_release(struct gk_diff_commit *c)
{
	free(c->id);
	free(c->author);
	free(c->email);
	free(c->date);
	memset(c, 0, sizeof(*c));
}

/* Hands the current file block to the callback. */
static int flush_file(struct parser *p)
{
	struct gk_diff_file *f = p->file;

	p->file = NULL;
	if (!f)
		return 0;
	if (!f->path || (!f->nlines && !f->binary)) {
		gk_diff_file_free(f);
		return 0;
	}
	return p->fn(p->arg, p->have_commit ? &p->commit : NULL, f);
}

/* "\001<sha>\037<name>\037<email>\037<date>" */
static int read_commit(struct parser *p, const char *line)
{
	const char *fields[4];
	size_t lens[4], i;
	const char *s = line + 1;
	int rc = flush_file(p);

	for (i = 0; i < 4; i++) {
		size_t n = strcspn(s, "\037\n");

		fields[i] = s;
		lens[i] = n;
		s += n;
		if (*s == '\037')
			s++;
	}
	commit_release(&p->commit);
	p->commit.id = gk_strndup(fields[0], lens[0]);
	p->commit.author = gk_strndup(fields[1], lens[1]);
	p->commit.email = gk_strndup(fields[2], lens[2]);
	p->commit.date = gk_strndup(fields[3], lens[3]);
	p->have_commit = 1;
	return rc;
}

static int start_file(struct parser *p)
{
	int rc = flush_file(p);

	p->file = gk_calloc(1, sizeof(*p->file));
	gk_buf_init(&p->file->data, p->max_bytes);
	return rc;
}

/* "+++ b/path", "+++ \"b/odd\tpath\"" or "+++ /dev/null". */
static void read_new_path(struct parser *p, const char *s, size_t len)
{
	char *path;

	if (!p->file)
		return;
	free(p->file->path);
	p->file->path = NULL;
	/* git ends an unquoted name holding a space with a TAB */
	if (len && s[0] != '"' && s[len - 1] == '\t')
		len--;
	path = gk_git_unquote(s, len);
	if (strncmp(path, "b/", 2) == 0)
		p->file->path = gk_strdup(path + 2);
	free(path);
}

/* "Binary files a/x and b/x differ": the new path is the second one. */
static void read_binary(struct parser *p, const char *line, size_t len)
{
	const char *and = strstr(line, " and ");
	const char *end = line + len;

	p->file->binary = 1;
	if (!and || len < 7 || strncmp(end - 7, " differ", 7) != 0)
		return;
	read_new_path(p, and + 5, (size_t)(end - 7 - (and + 5)));
}

static void read_hunk(struct parser *p, const char *line)
{
	const char *plus = strstr(line, " +");

	p->next_line = plus ? atoi(plus + 2) : 0;
}

static void add_line(struct parser *p, const char *text, size_t len)
{
	struct gk_diff_file *f = p->file;

	if (!f || !f->path || f->truncated)
		return;
	if (gk_buf_add(&f->data, text, len) < 0 ||
	    gk_buf_add(&f->data, "\n", 1) < 0) {
		f->truncated = 1;
		return;
	}
	if (f->nlines == f->alloc) {
		f->alloc = f->alloc ? f->alloc * 2 : 64;
		f->line_map = gk_realloc(f->line_map,
					 f->alloc * sizeof(*f->line_map));
	}
	f->line_map[f->nlines++] = p->next_line++;
}

static int read_line(struct parser *p, const char *line, size_t len)
{
	if (len && line[len - 1] == '\n')
		len--;
	if (line[0] == GK_GITDIFF_COMMIT_MARK)
		return read_commit(p, line);
	if (!strncmp(line, "diff --git ", 11))
		return start_file(p);
	if (!p->file)
		return 0;
	if (!strncmp(line, "+++ ", 4) && p->next_line == 0)
		read_new_path(p, line + 4, len - 4);
	else if (!strncmp(line, "Binary files ", 13))
		read_binary(p, line, len);
	else if (!strncmp(line, "@@ ", 3))
		read_hunk(p, line);
	else if (line[0] == '+' && p->next_line > 0)
		add_line(p, line + 1, len - 1);
	return 0;
}

int gk_gitdiff_parse(FILE *in, size_t max_bytes, gk_diff_fn fn, void *arg)
{
	struct parser p;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;

	memset(&p, 0, sizeof(p));
	p.max_bytes = max_bytes;
	p.fn = fn;
	p.arg = arg;
	while (rc == 0 && (n = getline(&line, &cap, in)) > 0) {
		if (!strncmp(line, "diff --git ", 11) ||
		    line[0] == GK_GITDIFF_COMMIT_MARK)
			p.next_line = 0;
		rc = read_line(&p, line, (size_t)n);
	}
	if (rc == 0)
		rc = flush_file(&p);
	else
		gk_diff_file_free(p.file);
	if (rc == 0 && ferror(in))
		rc = -1;
	free(line);
	commit_release(&p.commit);
	return rc;
}
