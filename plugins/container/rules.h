/* The static rules of the container plugin (Dockerfile and compose
 * checks).  Vulnerability findings use the vulnerability id instead. */
#ifndef CT_RULES_H
#define CT_RULES_H

#include <gatekeeper/plugin.h>

#define CT_RULE_IMAGE_LATEST "container-image-latest"
#define CT_RULE_IMAGE_UNPINNED "container-image-unpinned"
#define CT_RULE_ROOT_USER "dockerfile-root-user"
#define CT_RULE_ADD_URL "dockerfile-add-url"
#define CT_RULE_PIPE_SHELL "dockerfile-curl-pipe-shell"
#define CT_RULE_APT_RECOMMENDS "dockerfile-apt-recommends"
#define CT_RULE_APT_LISTS "dockerfile-apt-lists"
#define CT_RULE_SECRET_ENV "dockerfile-secret-env"
#define CT_RULE_SUDO "dockerfile-sudo"
#define CT_RULE_EXPOSE_SSH "dockerfile-expose-ssh"
#define CT_RULE_NO_HEALTHCHECK "dockerfile-no-healthcheck"

#define CT_NRULES 11

/* Defined with exactly CT_NRULES entries (the compiler checks). */
extern const struct gk_rule_info ct_rules[CT_NRULES];

/* The rule with this id; NULL when there is none. */
const struct gk_rule_info *ct_rule(const char *id);

#endif
