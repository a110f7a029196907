/*
 * procfs.c - procfs("name").read / .write: files under /proc/systemtap (not run yet).
 * Points of these forms validate as in stap; lowering them is to come.
 */
#include <stddef.h>
#include <string.h>

#include "probes/probes.h"

static const char *const forms[] = {
	"procfs.read",
	"procfs.read.maxsize(number)",
	"procfs.umask(number).read",
	"procfs.umask(number).read.maxsize(number)",
	"procfs.umask(number).write",
	"procfs.write",
	"procfs(string).read",
	"procfs(string).read.maxsize(number)",
	"procfs(string).umask(number).read",
	"procfs(string).umask(number).read.maxsize(number)",
	"procfs(string).umask(number).write",
	"procfs(string).write",
	NULL,
};

/* A procfs read probe hands the file's contents back in $value. */
static bool value_writable(const struct probe_point *pp)
{
	int k;

	if (strcmp(pp->comps[0].name, "procfs"))
		return false;
	for (k = 1; k < pp->ncomps; k++)
		if (!strcmp(pp->comps[k].name, "read"))
			return true;
	return false;
}

const struct probe_family probe_family_procfs = {
	.name = "procfs",
	.forms = forms,
	.value_writable = value_writable,
};
