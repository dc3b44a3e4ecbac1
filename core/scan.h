/* The commands: each returns an exit status (GK_EXIT_*). */
#ifndef GK_SCAN_H
#define GK_SCAN_H

#include "cli.h"

int gk_cmd_scan(struct gk_options *o);
int gk_cmd_plugins(struct gk_options *o);
int gk_cmd_rules(struct gk_options *o);

#endif
