/* The commands: each returns an exit status (GK_EXIT_*). */
#ifndef GK_SCAN_H
#define GK_SCAN_H

#include "cli.h"

struct gk_session;
struct gk_hfile;

int gk_cmd_scan(struct gk_options *o);

/* Hands one file to every initialised plugin that wants it. */
void gk_scan_hand(struct gk_session *s, struct gk_hfile *hf);
int gk_cmd_plugins(struct gk_options *o);
int gk_cmd_rules(struct gk_options *o);

#endif
