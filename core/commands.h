/*
 * The commands that work on the database without scanning: each returns
 * an exit status (GK_EXIT_*).
 *
 *   gate [PATH] [--scan ID] [--baseline B]  re-evaluate the policy
 *   report [PATH] [--scan ID]               re-render the reports
 *   scans [--root PATH]                     list the scans
 *   diff [A [B]] [--root PATH]              new, fixed and unchanged
 *   init [PATH] [--force]                   write the default policy
 */
#ifndef GK_COMMANDS_H
#define GK_COMMANDS_H

#include "cli.h"

int gk_cmd_gate(struct gk_options *o);
int gk_cmd_report(struct gk_options *o);
int gk_cmd_scans(struct gk_options *o);
int gk_cmd_diff(struct gk_options *o);
int gk_cmd_init(struct gk_options *o);
int gk_cmd_hook(struct gk_options *o);

/* Known formats, each to its own destination; 0 or -1 (logged). */
int gk_report_check_formats(const struct gk_options *o);

#endif
