/*
 * libFuzzer target: the TOML reader.  A parsed tree is printed back, so
 * every node it made is walked once.
 */
#include "toml.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	cJSON *j = gk_toml_parse("fuzz.toml", (const char *)data, size, err,
				 sizeof(err));
	char *text;

	if (!j)
		return 0;
	text = cJSON_PrintUnformatted(j);
	cJSON_free(text);
	cJSON_Delete(j);
	return 0;
}
