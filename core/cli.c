#include "cli.h"

#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const commands[] = {
	"scan", "gate", "report", "scans", "diff", "rules", "plugins",
	"init", "hook", "version", "help",
};

void gk_cli_usage(FILE *out)
{
	fputs("usage: gatekeeper <command> [options]\n"
	      "commands:\n"
	      "  scan [PATH]        scan a tree (default .), gate, report\n"
	      "  gate [PATH]        re-evaluate the policy on a stored scan\n"
	      "  report [PATH]      re-render the reports of a stored scan\n"
	      "  scans              list the scans in the database\n"
	      "  diff [A [B]]       new, fixed and unchanged findings between "
	      "two scans\n"
	      "  init [PATH]        write gatekeeper.yaml with the default "
	      "policy\n"
	      "  rules [list]       list the rules of the loaded plugins\n"
	      "  plugins            list the loaded plugins\n"
	      "  hook install       make git's pre-commit hook run "
	      "scan --staged\n"
	      "  version            print the version\n"
	      "options:\n"
	      "  --format FMT[=FILE]  text|json|sarif|junit|markdown|github "
	      "(repeatable)\n"
	      "  --output FILE        write the report to FILE\n"
	      "  --db FILE            database (default "
	      "PATH/.gatekeeper/gatekeeper.db, :memory: for none)\n"
	      "  --config FILE        policy and settings (default "
	      "PATH/gatekeeper.yaml)\n"
	      "  --plugins a,b        run only these plugins\n"
	      "  --plugin-dir DIR     load plugins from DIR too\n"
	      "  --trivy-report FILE  ingest a Trivy JSON report "
	      "(repeatable)\n"
	      "  --grype-report FILE  ingest a Grype JSON report "
	      "(repeatable)\n"
	      "  --baseline B         last, a scan id, or a JSON or SARIF "
	      "report: what `new: true` gates compare with\n"
	      "  --scan ID            gate/report: this scan (default: the "
	      "latest)\n"
	      "  --root PATH          scans/diff: only the scans of PATH\n"
	      "  --sarif-category C   SARIF category ({plugin} is replaced; "
	      "default gatekeeper/{plugin})\n"
	      "  --staged             scan only what the index adds "
	      "(pre-commit)\n"
	      "  --history[=RANGE]    scan what each commit adds (default: "
	      "all refs)\n"
	      "  --gitleaks-config F  read gitleaks rules and allowlists "
	      "(default PATH/.gitleaks.toml)\n"
	      "  --force              init, hook install: replace an "
	      "existing file\n"
	      "  -j N                 worker threads (default: CPUs)\n"
	      "  -q, -v, --no-color   quieter, more verbose, no colour\n"
	      "  -h, --help           this text\n"
	      "exit status: 0 pass, 1 a gate failed, 2 usage or "
	      "configuration error, 3 runtime error\n",
	      out);
}

static int usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("gatekeeper: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nusage: gatekeeper <command> [options]; "
	      "see 'gatekeeper help'\n", stderr);
	return GK_EXIT_USAGE;
}

static void split_list(struct gk_strvec *sv, const char *list)
{
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, ",");

		if (n)
			gk_strvec_push_take(sv, gk_strndup(p, n));
		p += n;
		if (*p == ',')
			p++;
	}
}

static int add_format(struct gk_options *o, const char *spec)
{
	const char *eq = strchr(spec, '=');
	struct gk_format_req *r;

	o->formats = gk_realloc(o->formats,
				(o->nformats + 1) * sizeof(*o->formats));
	r = &o->formats[o->nformats++];
	r->format = eq ? gk_strndup(spec, (size_t)(eq - spec)) : gk_strdup(spec);
	r->path = eq && eq[1] ? gk_strdup(eq + 1) : NULL;
	return 0;
}

/* Options taking a value: name, and where the value goes. */
enum opt_id {
	O_FORMAT, O_OUTPUT, O_DB, O_CONFIG, O_PLUGINS, O_PLUGIN_DIR,
	O_BASELINE, O_SBOM, O_TRIVY, O_GRYPE, O_GITLEAKS, O_JOBS, O_SCAN,
	O_ROOT, O_SARIF_CATEGORY
};

static const struct {
	const char *name;
	enum opt_id id;
} valued[] = {
	{ "--format", O_FORMAT },        { "-f", O_FORMAT },
	{ "--output", O_OUTPUT },        { "-o", O_OUTPUT },
	{ "--db", O_DB },                { "--config", O_CONFIG },
	{ "-c", O_CONFIG },              { "--plugins", O_PLUGINS },
	{ "--plugin-dir", O_PLUGIN_DIR }, { "--baseline", O_BASELINE },
	{ "--sbom", O_SBOM },            { "--trivy-report", O_TRIVY },
	{ "--grype-report", O_GRYPE },   { "--gitleaks-config", O_GITLEAKS },
	{ "-j", O_JOBS },                { "--jobs", O_JOBS },
	{ "--scan", O_SCAN },            { "--root", O_ROOT },
	{ "--sarif-category", O_SARIF_CATEGORY },
};

static int set_valued(struct gk_options *o, enum opt_id id, const char *v)
{
	char *end;
	long n;

	switch (id) {
	case O_FORMAT: return add_format(o, v);
	case O_OUTPUT: o->output = v; break;
	case O_DB: o->db = v; break;
	case O_CONFIG: o->config = v; break;
	case O_PLUGINS: split_list(&o->plugins, v); break;
	case O_PLUGIN_DIR: o->plugin_dir = v; break;
	case O_BASELINE: o->baseline = v; break;
	case O_SBOM: o->sbom = v; break;
	case O_TRIVY: gk_strvec_push(&o->trivy_reports, v); break;
	case O_GRYPE: gk_strvec_push(&o->grype_reports, v); break;
	case O_GITLEAKS: o->gitleaks_config = v; break;
	case O_SCAN: o->scan_id = v; break;
	case O_ROOT: o->root_filter = v; break;
	case O_SARIF_CATEGORY: o->sarif_category = v; break;
	case O_JOBS:
		n = strtol(v, &end, 10);
		if (*end || n < 1 || n > 256)
			return usage_error("-j takes a number from 1 to 256, "
					   "not '%s'", v);
		o->jobs = (int)n;
		break;
	}
	return 0;
}

static int parse_flag(struct gk_options *o, const char *a)
{
	if (!strcmp(a, "-q") || !strcmp(a, "--quiet"))
		o->quiet = 1;
	else if (!strcmp(a, "-v") || !strcmp(a, "--verbose"))
		o->verbose++;
	else if (!strcmp(a, "-vv"))
		o->verbose += 2;
	else if (!strcmp(a, "--no-color") || !strcmp(a, "--no-colour"))
		o->no_color = 1;
	else if (!strcmp(a, "--staged"))
		o->staged = 1;
	else if (!strcmp(a, "--history"))
		o->history = 1;
	else if (!strncmp(a, "--history=", 10)) {
		o->history = 1;
		o->history_range = a + 10;
	} else if (!strcmp(a, "--force"))
		o->force = 1;
	else if (!strcmp(a, "--help") || !strcmp(a, "-h"))
		o->help = 1;
	else
		return usage_error("unknown option '%s'", a);
	return 0;
}

/*
 * After --history, is the next argument its RANGE rather than the PATH to
 * scan?  A range is anything that is not an option and not a directory:
 * `--history main..topic .` and `--history .` both read as meant.
 */
static int takes_range(const char *next)
{
	return next[0] != '-' && !gk_is_dir(next);
}

/* Handles argv[*i]; may consume the next argument as a value. */
static int parse_option(struct gk_options *o, int argc, char **argv, int *i)
{
	const char *a = argv[*i];
	size_t k;

	for (k = 0; k < GK_ARRAY_SIZE(valued); k++) {
		size_t n = strlen(valued[k].name);

		if (strncmp(a, valued[k].name, n) != 0)
			continue;
		if (a[n] == '=' && a[1] == '-')
			return set_valued(o, valued[k].id, a + n + 1);
		/* -j4, -ofile: a short option with its value attached */
		if (a[n] != '\0' && n == 2 && a[1] != '-')
			return set_valued(o, valued[k].id, a + n);
		if (a[n] != '\0')
			continue;
		if (*i + 1 >= argc)
			return usage_error("option '%s' needs a value", a);
		return set_valued(o, valued[k].id, argv[++*i]);
	}
	if (!strcmp(a, "--history") && *i + 1 < argc &&
	    takes_range(argv[*i + 1])) {
		o->history = 1;
		o->history_range = argv[++*i];
		return 0;
	}
	return parse_flag(o, a);
}

static int known_command(const char *c)
{
	size_t k;

	for (k = 0; k < GK_ARRAY_SIZE(commands); k++)
		if (!strcmp(commands[k], c))
			return 1;
	return 0;
}

int gk_cli_parse(struct gk_options *o, int argc, char **argv)
{
	int i, only_args = 0, rc;

	memset(o, 0, sizeof(*o));
	if (argc < 2)
		return usage_error("%s", "no command given");
	o->command = argv[1];
	if (!strcmp(o->command, "--version") || !strcmp(o->command, "-V"))
		o->command = "version";
	if (!strcmp(o->command, "--help") || !strcmp(o->command, "-h"))
		o->command = "help";
	if (!known_command(o->command))
		return usage_error("unknown command '%s'", o->command);
	for (i = 2; i < argc; i++) {
		if (!only_args && !strcmp(argv[i], "--")) {
			only_args = 1;
		} else if (!only_args && argv[i][0] == '-' && argv[i][1]) {
			rc = parse_option(o, argc, argv, &i);
			if (rc)
				return rc;
		} else {
			gk_strvec_push(&o->args, argv[i]);
		}
	}
	return 0;
}

void gk_options_release(struct gk_options *o)
{
	size_t i;

	for (i = 0; i < o->nformats; i++) {
		free(o->formats[i].format);
		free(o->formats[i].path);
	}
	free(o->formats);
	gk_strvec_release(&o->args);
	gk_strvec_release(&o->plugins);
	gk_strvec_release(&o->trivy_reports);
	gk_strvec_release(&o->grype_reports);
	memset(o, 0, sizeof(*o));
}
