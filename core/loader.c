#include "loader.h"

#include "log.h"

#include <dirent.h>
#include <dlfcn.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define MIN_PLUGIN_SIZE (offsetof(struct gk_plugin, fini) + sizeof(void *))

int gk_plugin_check(const struct gk_plugin *p, const char *path)
{
	if (!p)
		return gk_error("plugin '%s': entry returned no descriptor",
				path);
	if (p->abi_version != GK_PLUGIN_ABI_VERSION)
		return gk_error("plugin '%s': built for ABI version %u, this "
				"gatekeeper needs %u; rebuild the plugin",
				path, p->abi_version, GK_PLUGIN_ABI_VERSION);
	if (p->struct_size < MIN_PLUGIN_SIZE)
		return gk_error("plugin '%s': descriptor too small (%u bytes)",
				path, p->struct_size);
	if (!p->name || !*p->name || !p->version || !p->scan_file)
		return gk_error("plugin '%s': descriptor lacks a name, version "
				"or scan_file", path);
	return 0;
}

static struct gk_loaded *find_loaded(struct gk_plugins *ps, const char *name)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		if (strcmp(ps->v[i].desc->name, name) == 0)
			return &ps->v[i];
	return NULL;
}

static int load_one(struct gk_plugins *ps, const char *path,
		    const struct gk_strvec *only)
{
	void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	gk_plugin_entry_fn entry;
	const struct gk_plugin *p;

	if (!dl)
		return gk_error("plugin '%s': %s", path, dlerror());
	*(void **)&entry = dlsym(dl, GK_PLUGIN_ENTRY_SYMBOL);
	if (!entry) {
		dlclose(dl);
		return gk_error("plugin '%s': no symbol %s", path,
				GK_PLUGIN_ENTRY_SYMBOL);
	}
	p = entry();
	if (gk_plugin_check(p, path)) {
		dlclose(dl);
		return -1;
	}
	if (!gk_strvec_has(&ps->names, p->name))
		gk_strvec_push(&ps->names, p->name);
	if (find_loaded(ps, p->name) ||
	    (only->n && !gk_strvec_has(only, p->name))) {
		gk_debug("plugin '%s': %s skipped", path, p->name);
		dlclose(dl);
		return 0;
	}
	ps->v = gk_realloc(ps->v, (ps->n + 1) * sizeof(*ps->v));
	memset(&ps->v[ps->n], 0, sizeof(ps->v[ps->n]));
	ps->v[ps->n].desc = p;
	ps->v[ps->n].dl = dl;
	ps->v[ps->n].path = gk_strdup(path);
	ps->n++;
	gk_debug("plugin '%s': loaded %s %s", path, p->name, p->version);
	return 0;
}

static int has_so_suffix(const char *name)
{
	size_t n = strlen(name);

	return n > 3 && strcmp(name + n - 3, ".so") == 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* *.so in dir, and with nested set, <dir>/<name>/<name>.so too. */
static void collect(const char *dir, int nested, struct gk_strvec *out)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		char *p;

		if (e->d_name[0] == '.')
			continue;
		if (has_so_suffix(e->d_name)) {
			gk_strvec_push_take(out, gk_asprintf("%s/%s", dir,
							     e->d_name));
			continue;
		}
		if (!nested)
			continue;
		p = gk_asprintf("%s/%s/%s.so", dir, e->d_name, e->d_name);
		if (gk_is_file(p))
			gk_strvec_push_take(out, p);
		else
			free(p);
	}
	closedir(d);
}

/* Sorts the paths collected since start, so loading order is stable. */
static void sort_from(struct gk_strvec *out, size_t start)
{
	if (out->n > start)
		qsort(out->v + start, out->n - start, sizeof(char *), cmp_str);
}

static void candidate_paths(const char *plugin_dir, struct gk_strvec *out)
{
	char *exe = gk_exe_dir();
	size_t start;

	if (plugin_dir) {
		start = out->n;
		collect(plugin_dir, 1, out);
		sort_from(out, start);
	}
	if (exe) {
		char *dir = gk_asprintf("%s/plugins", exe);

		start = out->n;
		collect(dir, 1, out);
		sort_from(out, start);
		free(dir);
		free(exe);
	}
	start = out->n;
	collect(GK_LIBDIR, 0, out);
	sort_from(out, start);
}

int gk_plugins_load(struct gk_plugins *ps, const char *plugin_dir,
		    const struct gk_strvec *only)
{
	struct gk_strvec paths = { 0 };
	size_t i;
	int rc = 0;

	if (plugin_dir && !gk_is_dir(plugin_dir))
		return gk_error("plugin directory '%s' does not exist",
				plugin_dir);
	candidate_paths(plugin_dir, &paths);
	for (i = 0; i < paths.n && rc == 0; i++)
		rc = load_one(ps, paths.v[i], only);
	gk_strvec_release(&paths);
	if (rc)
		return -1;
	for (i = 0; i < only->n; i++)
		if (!find_loaded(ps, only->v[i]))
			return gk_error("plugin '%s' not found (looked in %s, "
					"beside the executable and in %s)",
					only->v[i],
					plugin_dir ? plugin_dir : "no --plugin-dir",
					GK_LIBDIR);
	if (ps->n == 0)
		return gk_error("no plugins found beside the executable or in "
				"%s; build them with make or pass --plugin-dir",
				GK_LIBDIR);
	return 0;
}

void gk_plugins_unload(struct gk_plugins *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++) {
		struct gk_loaded *l = &ps->v[i];

		if (l->initialised && l->desc->fini)
			l->desc->fini(l->state);
		/* Sanitizers need the code mapped to symbolise leaks. */
		if (!getenv("GK_KEEP_PLUGINS_MAPPED"))
			dlclose(l->dl);
		free(l->path);
	}
	free(ps->v);
	ps->v = NULL;
	ps->n = 0;
	gk_strvec_release(&ps->names);
}

char *gk_rules_dir(void)
{
	char *exe = gk_exe_dir();
	char *dir;

	if (exe) {
		dir = gk_asprintf("%s/rules", exe);
		free(exe);
		if (gk_is_dir(dir))
			return dir;
		free(dir);
		/* The sanitizer build lives one level below the tree. */
		exe = gk_exe_dir();
		dir = gk_asprintf("%s/../rules", exe);
		free(exe);
		if (gk_is_dir(dir))
			return dir;
		free(dir);
	}
	return gk_asprintf("%s/rules", GK_DATADIR);
}
