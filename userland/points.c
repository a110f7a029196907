/*
 * points.c - probe point text and copies (see points.h).
 */
#include <string.h>

#include "diag.h"
#include "points.h"

const char *point_text(struct compiler *cc, const struct pp_comp *c, int n)
{
	const char *t = "";
	int i;

	for (i = 0; i < n; i++) {
		const char *sep = i ? "." : "";

		if (c[i].arg && c[i].arg->kind == E_STR)
			t = cc_printf(cc, "%s%s%s(\"%s\")", t, sep, c[i].name,
				      c[i].arg->str);
		else if (c[i].arg)
			t = cc_printf(cc, "%s%s%s(%lld)", t, sep, c[i].name,
				      (long long)c[i].arg->num);
		else
			t = cc_printf(cc, "%s%s%s", t, sep, c[i].name);
	}
	return t;
}

struct probe_point *point_renamed(struct compiler *cc,
				  const struct probe_point *pp, int k,
				  const char *name)
{
	struct probe_point *np = cc_alloc(cc, sizeof(*np));
	struct expr *arg = cc_alloc(cc, sizeof(*arg));

	*np = *pp;
	np->comps = cc_alloc(cc, sizeof(*np->comps) * (size_t)pp->ncomps);
	memcpy(np->comps, pp->comps, sizeof(*np->comps) * (size_t)pp->ncomps);
	*arg = *pp->comps[k].arg;
	arg->str = cc_strdup(cc, name);
	arg->str_len = strlen(name);
	np->comps[k].arg = arg;
	np->text = point_text(cc, np->comps, np->ncomps);
	return np;
}
