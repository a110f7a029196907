/*
 * begin.c - begin, end, error and never (with an optional sequence
 * number): run when the session starts, ends, fails, or not at all.
 */
#include <stddef.h>

#include "probes/probes.h"

static const char *const forms[] = {
	"begin",
	"begin(number)",
	"end",
	"end(number)",
	"error",
	"error(number)",
	"never",
	NULL,
};

static int lower(struct compiler *cc, const struct probe_point *pp,
		 const struct point_info *pi, struct bt_probe_decl *d,
		 const char **symbol)
{
	const struct pp_comp *c = pp->comps;

	if (pp->ncomps != 1)
		return -1;
	if (pp_comp_is(c, "begin"))
		d->kind = BT_PROBE_BEGIN;
	else if (pp_comp_is(c, "end"))
		d->kind = BT_PROBE_END;
	else if (pp_comp_is(c, "error"))
		d->kind = BT_PROBE_ERROR;
	else if (pp_comp_is(c, "never"))
		d->kind = BT_PROBE_NEVER;
	else
		return -1;
	d->seq = pp_comp_num(c, 0);
	return 0;
}

const struct probe_family probe_family_begin = {
	.name = "begin",
	.forms = forms,
	.context_free = true,
	.lower = lower,
};
