/*
 * function.c - what the function families (kernel.function,
 * kprobe.function, module("m").function) share: the .function("f")
 * component and what follows it, BTF and kallsyms look-ups, the kprobe
 * or kretprobe row, and -l / -L one line per function matched.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "diag.h"
#include "kallsyms.h"
#include "probes/probes.h"
#include "target.h"
#include "util.h"

/* The kernel names modules with '_' where their files have '-'. */
const char *func_module_name(struct compiler *cc, const char *m)
{
	char *s = cc_strdup(cc, m), *q;

	for (q = s; *q; q++)
		if (*q == '-')
			*q = '_';
	return s;
}

/* "vfs_write@fs/read_write.c:584" -> "vfs_write": BTF and kallsyms have
 * no files. */
static const char *bare_function(struct compiler *cc, const char *spec)
{
	const char *at = strchr(spec, '@');

	return at ? cc_strndup(cc, spec, (size_t)(at - spec)) : spec;
}

bool func_parse_at(struct compiler *cc, const struct probe_point *pp, int fc,
		   struct point_info *pi)
{
	const struct pp_comp *c = pp->comps;

	if (!pp_comp_is(&c[fc], "function") || !pp_comp_str(&c[fc]))
		return false;
	pi->kind = POINT_FUNCTION;
	pi->comp = fc;
	pi->pattern = bare_function(cc, pp_comp_str(&c[fc]));
	pi->nafter = pp->ncomps - fc - 1;
	pi->ret = pi->nafter >= 1 && pp_comp_is(&c[fc + 1], "return");
	return true;
}

static void expand_one(const char *name, void *arg)
{
	probe_expand_add(arg, name);
}

int func_expand(struct probe_expand *x, const struct point_info *pi)
{
	const struct btf *b;
	const char *why;

	if (pi->kind != POINT_FUNCTION || !(b = target_btf(pi, &why)))
		return -1;
	kbtf_each_func(b, pi->pattern, expand_one, x);
	return x->n;
}

/* The functions kallsyms knows for pi ("m:f" for a module's), into *m. */
static int kallsyms_funcs(const struct point_info *pi, struct ksym_match **m,
			  size_t *nm, char *err, size_t errlen)
{
	struct ksym_req req = { .pattern = pi->pattern };
	char *qual = NULL;
	int rc;

	if (pi->module)
		req.pattern = qual = xasprintf("%s:%s", pi->module, pi->pattern);
	rc = ksym_resolve(&req, 1, m, nm, (size_t)-1, err, errlen);
	free(qual);
	return rc;
}

/* BTF found nothing: /proc/kallsyms knows the functions BTF leaves out
 * (the x86_64 syscall wrappers). */
bool func_resolves(struct compiler *cc, const struct probe_point *pp,
		   const struct point_info *pi)
{
	struct ksym_match *m = NULL;
	size_t nm = 0;
	char err[256];
	bool found;

	if (pi->kind != POINT_FUNCTION)
		return pi->kind == POINT_OTHER;
	found = kallsyms_funcs(pi, &m, &nm, err, sizeof(err)) == 0 && nm > 0;
	free(m);
	return found;
}

struct target_ctx *func_context(struct compiler *cc,
				const struct probe_point *pp,
				const struct point_info *pi, const char **why)
{
	if (pi->kprobe) {
		*why = "kprobe.function probes have no target variables "
		       "(use kernel.function, or int_arg(N) and friends)";
		return NULL;
	}
	if (pi->kind != POINT_FUNCTION) {
		*why = "this probe point has no target variables";
		return NULL;
	}
	return target_func_ctx(cc, pi, why);
}

/*
 * kernel.function("f"), kprobe.function("f"), and a loaded module's
 * function: module("m").function("f") and kprobe.module("m").function("f").
 * Those ask for "m:f" (the kprobes "mod:sym" notation): the front end and
 * the kernel module look for f in module m only.
 */
int func_lower(struct compiler *cc, const struct probe_point *pp,
	       const struct point_info *pi, struct bt_probe_decl *d,
	       const char **symbol)
{
	const struct pp_comp *after = &pp->comps[pi->comp + 1];

	/* a ':' left would make a kernel function a module's; one module by
	 * name, no globs (pp() could not name it) */
	if (pi->kind != POINT_FUNCTION || !*pi->pattern ||
	    strchr(pi->pattern, ':') ||
	    (pi->module && (!*pi->module || strpbrk(pi->module, "*?[]:/ "))))
		return -1;
	*symbol = pi->module ? cc_printf(cc, "%s:%s", pi->module, pi->pattern) :
		  pi->pattern;
	d->kind = pi->ret ? BT_PROBE_KRETPROBE : BT_PROBE_KPROBE;
	if (pi->ret && pi->nafter == 2 && pp_comp_is(&after[1], "maxactive"))
		d->maxactive = pp_comp_num(&after[1], 0);
	else if (pi->nafter > (pi->ret ? 1 : 0) &&
		 !(pi->nafter == 1 && pp_comp_is(&after[0], "call")))
		return -1;
	return 0;
}

/* One point per function matched: BTF for a plain name, /proc/kallsyms
 * for a glob or a module's function (it knows whether m is loaded). */
void func_list(struct compiler *cc, const struct probe_point *pp,
	       const struct point_info *pi, probe_emit_fn emit, void *arg)
{
	const struct btf *b = kbtf_vmlinux(NULL);
	struct ksym_match *m = NULL;
	size_t nm = 0, j;
	char err[256];

	if (pi->kind != POINT_FUNCTION ||
	    (!pi->module && !ksym_is_glob(pi->pattern) && b &&
	     kbtf_func(b, pi->pattern) > 0)) {
		emit(pp, arg);
		return;
	}
	if (kallsyms_funcs(pi, &m, &nm, err, sizeof(err)) != 0) {
		fprintf(stderr, "ERROR: %s\n", err);
		return;
	}
	for (j = 0; j < nm; j++)
		emit(point_renamed(cc, pp, pi->comp, m[j].name), arg);
	free(m);
}
