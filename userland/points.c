/*
 * points.c - reading kernel probe points (see points.h).
 */
#include <string.h>

#include "diag.h"
#include "points.h"

static const char *comp_string(const struct pp_comp *c)
{
	return c->arg && c->arg->kind == E_STR ? c->arg->str : NULL;
}

static bool comp_is(const struct pp_comp *c, const char *name)
{
	return !strcmp(c->name, name);
}

/* "vfs_write@fs/read_write.c:584" -> "vfs_write": BTF and kallsyms have
 * no files. */
static const char *bare_function(struct compiler *cc, const char *spec)
{
	const char *at = strchr(spec, '@');

	return at ? cc_strndup(cc, spec, (size_t)(at - spec)) : spec;
}

/* The kernel names modules with '_' where their files have '-'. */
static const char *module_name(struct compiler *cc, const char *m)
{
	char *s = cc_strdup(cc, m), *q;

	for (q = s; *q; q++)
		if (*q == '-')
			*q = '_';
	return s;
}

bool point_info(struct compiler *cc, const struct probe_point *pp,
		struct point_info *pi)
{
	const struct pp_comp *c = pp->comps;
	int n = pp->ncomps, fc = 0;

	memset(pi, 0, sizeof(*pi));
	if (n == 2 && comp_is(&c[0], "kernel") && comp_is(&c[1], "trace") &&
	    comp_string(&c[1])) {
		const char *spec = comp_string(&c[1]), *colon = strchr(spec, ':');

		pi->kind = POINT_TRACE;
		pi->comp = 1;
		pi->pattern = colon ? colon + 1 : spec;
		pi->system = colon ? cc_strndup(cc, spec, (size_t)(colon - spec)) : NULL;
		return true;
	}
	if (n >= 2 && comp_is(&c[0], "module") && comp_string(&c[0])) {
		pi->module = module_name(cc, comp_string(&c[0]));
		fc = 1;
	} else if (n >= 3 && comp_is(&c[0], "kprobe") && comp_is(&c[1], "module") &&
		   comp_string(&c[1])) {
		pi->module = module_name(cc, comp_string(&c[1]));
		pi->kprobe = true;
		fc = 2;
	} else if (n >= 2 && (comp_is(&c[0], "kernel") || comp_is(&c[0], "kprobe"))) {
		pi->kprobe = comp_is(&c[0], "kprobe");
		fc = 1;
	}
	if (!fc || !comp_is(&c[fc], "function") || !comp_string(&c[fc])) {
		memset(pi, 0, sizeof(*pi));
		return false;
	}
	pi->kind = POINT_FUNCTION;
	pi->comp = fc;
	pi->pattern = bare_function(cc, comp_string(&c[fc]));
	pi->nafter = n - fc - 1;
	pi->ret = pi->nafter >= 1 && comp_is(&c[fc + 1], "return");
	return true;
}

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
