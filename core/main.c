/* gatekeeper: scan a repository with plugins, gate on the findings. */
#include "cli.h"
#include "commands.h"
#include "log.h"
#include "scan.h"

#include <stdio.h>
#include <string.h>

static int dispatch(struct gk_options *o)
{
	if (!strcmp(o->command, "version")) {
		printf("gatekeeper %s (plugin ABI %u)\n", GK_VERSION,
		       GK_PLUGIN_ABI_VERSION);
		return GK_EXIT_PASS;
	}
	if (!strcmp(o->command, "help") || o->help) {
		gk_cli_usage(stdout);
		return GK_EXIT_PASS;
	}
	if (!strcmp(o->command, "scan"))
		return gk_cmd_scan(o);
	if (!strcmp(o->command, "plugins"))
		return gk_cmd_plugins(o);
	if (!strcmp(o->command, "rules"))
		return gk_cmd_rules(o);
	if (!strcmp(o->command, "gate"))
		return gk_cmd_gate(o);
	if (!strcmp(o->command, "report"))
		return gk_cmd_report(o);
	if (!strcmp(o->command, "scans"))
		return gk_cmd_scans(o);
	if (!strcmp(o->command, "diff"))
		return gk_cmd_diff(o);
	if (!strcmp(o->command, "init"))
		return gk_cmd_init(o);
	if (!strcmp(o->command, "hook"))
		return gk_cmd_hook(o);
	gk_error("'%s' is not available in this build", o->command);
	return GK_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	struct gk_options o;
	int rc = gk_cli_parse(&o, argc, argv);

	if (rc == 0) {
		if (o.quiet)
			gk_log_set_level(GK_LOG_ERROR);
		else if (o.verbose)
			gk_log_set_level(o.verbose > 1 ? GK_LOG_DEBUG
						       : GK_LOG_INFO);
		rc = dispatch(&o);
	}
	gk_options_release(&o);
	return rc;
}
