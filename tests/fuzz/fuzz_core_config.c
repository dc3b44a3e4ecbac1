/*
 * libFuzzer target: gatekeeper.yaml parsing (libyaml into the bounded
 * tree, then the settings and the policy read from it).
 */
#include "config.h"
#include "log.h"
#include "policy.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gk_config c;
	struct gk_policy p;

	gk_log_set_level(-1);
	gk_config_init(&c);
	if (gk_config_parse(&c, "fuzz.yaml", (const char *)data, size) == 0) {
		gk_policy_load(&p, &c, "2026-01-01");
		gk_policy_release(&p);
	}
	free(gk_config_plugin_json(&c, "secret", "/rules"));
	gk_config_release(&c);
	return 0;
}
