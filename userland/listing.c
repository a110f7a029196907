/*
 * listing.c - -l / -L (see listing.h).
 *
 * The pattern is compiled as "probe PATTERN { exit() }" through pass 2,
 * quietly (a pattern that is no probe point lists nothing), with every
 * alias expanded as written.  Each derived probe then names its points:
 * an alias by its own name (syscall.read), any other point as its
 * family lists it (probes/: a kernel function pattern by the functions
 * it matches), else as written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "listing.h"
#include "parse.h"
#include "probes/probes.h"
#include "sema.h"
#include "target.h"
#include "util.h"

struct lines {
	char **v;
	size_t n, cap;
};

static void add_line(struct lines *l, char *s)
{
	if (l->n == l->cap)
		l->v = xrealloc(l->v, (l->cap = l->cap ? 2 * l->cap : 64) * sizeof(*l->v));
	l->v[l->n++] = s;
}

static int strp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* " name:string fd:long": the variables an alias's handler sets. */
static const char *alias_vars(struct compiler *cc, const struct probe *p)
{
	const char *t = "";
	int i;

	for (i = 0; i < p->nlocals; i++) {
		const struct symbol *v = p->locals[i];

		if (v->name[0] == '_' && v->name[1] == '_')
			continue;	/* the tapset's own temporaries */
		t = cc_printf(cc, "%s %s%s%s", t, v->name,
			      v->type == TY_LONG ? ":long" :
			      v->type == TY_STRING ? ":string" : "",
			      "");
	}
	return t;
}

static const char *point_vars(struct compiler *cc, const struct probe_point *pp)
{
	const char *why;
	struct target_ctx *ctx = target_ctx_of(cc, pp, &why);

	return ctx ? target_vars_text(cc, ctx) : "";
}

struct emit_ctx {
	struct compiler *cc;
	bool vars;
	struct lines *out;
};

/* One point its family lists for a pattern, with -L its variables. */
static void emit_point(const struct probe_point *pp, void *arg)
{
	struct emit_ctx *e = arg;

	add_line(e->out, xasprintf("%s%s", pp->text,
				   e->vars ? point_vars(e->cc, pp) : ""));
}

int list_probe_points(const struct options *o)
{
	struct compile_opts co = { 0 };
	struct lines out = { 0 };
	struct compiler *cc;
	struct script *s;
	char *text = xasprintf("probe %s { exit() }\n", o->list_pattern);
	bool ok = false;
	size_t i;

	co.script_text = text;
	co.include_dirs = (const char *const *)o->include_dirs;
	co.ninclude_dirs = o->ninclude_dirs;
	co.runtime = "kernel";
	co.no_warnings = true;
	co.unoptimized = true;		/* keep every alias variable */
	co.listing = true;
	co.quiet = true;		/* a pattern that matches nothing: exit 1 */
	cc = compiler_new(&co);
	s = parse_script(cc);
	ok = s && sema_check(s) == 0;
	for (int k = 0; ok && k < s->nprobes; k++) {
		const struct probe *p = s->probes[k];

		for (int j = 0; j < p->npoints; j++) {
			const struct probe_point *pp = p->points[j];
			struct emit_ctx e = { cc, o->list_vars, &out };

			if (p->via)
				add_line(&out, xasprintf("%s%s%s", p->via->text,
					 o->list_vars ? alias_vars(cc, p) : "",
					 o->list_vars ? point_vars(cc, pp) : ""));
			else
				probe_list(cc, pp, emit_point, &e);
		}
	}
	compiler_free(cc);
	free(text);
	if (out.n)
		qsort(out.v, out.n, sizeof(*out.v), strp_cmp);
	for (i = 0; i < out.n; i++)
		if (!i || strcmp(out.v[i], out.v[i - 1]))
			puts(out.v[i]);
	for (i = 0; i < out.n; i++)
		free(out.v[i]);
	free(out.v);
	return out.n ? 0 : 1;
}
