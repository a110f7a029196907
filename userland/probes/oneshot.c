/*
 * oneshot.c - oneshot: runs once when the session starts, as begin does,
 * and then the session ends as if the handler had called exit() (stap's
 * tapset alias `probe oneshot += begin { exit() }`).
 */
#include <stddef.h>

#include "probes/probes.h"

static const char *const forms[] = {
	"oneshot",
	NULL,
};

static int lower(struct compiler *cc, const struct probe_point *pp,
		 const struct point_info *pi, struct bt_probe_decl *d,
		 const char **symbol)
{
	if (pp->ncomps != 1 || !pp_comp_is(pp->comps, "oneshot"))
		return -1;
	d->kind = BT_PROBE_BEGIN;
	return 0;
}

const struct probe_family probe_family_oneshot = {
	.name = "oneshot",
	.forms = forms,
	.context_free = true,
	.exits = true,
	.lower = lower,
};
