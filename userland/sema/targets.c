/*
 * targets.c - pass 2, step 3c: target variables.  One probe per context
 * (concrete function or tracepoint), @entry captures in .return probes.
 */
#include <string.h>

#include "probes/probes.h"
#include "target.h"

#include "sema/internal.h"

#define MAX_TARGET_SPLIT 4096	/* handlers copied for $vars, per probe */

/*
 * A handler that reads $vars needs one concrete function or tracepoint
 * per probe (each has its own parameters): such probes are split over
 * the names their points match in BTF.  Tracepoint patterns are always
 * expanded here, since the module attaches tracepoints by exact name.
 * In a .return probe, @entry(e) and parameters (entry values, as in
 * SystemTap) become a global keyed by tid(), written by a companion
 * entry probe and read-and-deleted at the top of the return handler.
 */
static bool note_target(struct expr *e, void *arg)
{
	bool *found = arg;
	if (e->kind == E_TARGET || e->kind == E_ENTRY)
		*found = true;
	return !*found;
}

static bool uses_targets(struct stmt *body)
{
	bool found = false;
	ast_walk_stmt(body, note_target, &found);
	return found;
}

static bool has_glob(const char *s)
{
	return s && strpbrk(s, "*?[");
}

/* The concrete points of pp (itself if nothing to expand). */
static int concrete_points(struct sema *S, struct probe_point *pp,
			   bool targets, struct probe_point ***out)
{
	bool glob = false;
	for (int k = 0; k < pp->ncomps; k++)
		if (pp->comps[k].arg && pp->comps[k].arg->kind == E_STR &&
		    has_glob(pp->comps[k].arg->str))
			glob = true;
	if (targets || (glob && probe_expands_globs(pp))) {
		int n = probe_expand(S->cc, pp, out);
		if (n > 0 || (n == 0 && glob))
			return n;
	}
	*out = cc_alloc(S->cc, sizeof(**out));
	(*out)[0] = pp;
	return 1;
}

struct entry_caps {
	struct sema *S;
	struct probe *p;
	struct stmt *entry_body;	/* the companion probe's block */
	struct stmt **pro;		/* prologue of the return handler */
	int npro, cappro, capentry;
};

static struct expr *mk_expr(struct sema *S, enum expr_kind k,
			    const struct token *tok)
{
	struct expr *e = cc_alloc(S->cc, sizeof(*e));
	e->kind = k;
	e->tok = tok;
	e->height = 1;
	return e;
}

static struct stmt *mk_stmt(struct sema *S, enum stmt_kind k, struct expr *e)
{
	struct stmt *s = cc_alloc(S->cc, sizeof(*s));
	s->kind = k;
	s->tok = e->tok;
	s->expr = e;
	return s;
}

/* name[tid()] */
static struct expr *by_tid(struct sema *S, const char *name,
			   const struct token *tok)
{
	struct expr *t = mk_expr(S, E_CALL, tok), *ix = mk_expr(S, E_INDEX, tok);
	t->name = "tid";
	ix->name = name;
	ix->args = cc_alloc(S->cc, sizeof(*ix->args));
	ix->args[0] = t;
	ix->nargs = 1;
	ix->height = 2;
	return ix;
}

/* Replaces *e (an entry value) by a local loaded in the prologue. */
static void capture(struct entry_caps *c, struct expr *e, struct expr *value)
{
	struct sema *S = c->S;
	int k = S->nall_globals;
	const char *g = cc_printf(S->cc, "__entry_%d", k);
	const char *v = cc_printf(S->cc, "__entry_%d_value", k);
	struct symbol *sym = cc_alloc(S->cc, sizeof(*sym));
	const struct token *tok = e->tok;

	sym->kind = SYM_GLOBAL;
	sym->name = g;
	sym->tok = tok;
	sym->file = c->p->file;
	sym->from_tapset = true;	/* internal: never printed at the end */
	add_global(S, sym);

	struct expr *set = mk_expr(S, E_ASSIGN, tok);
	set->lhs = by_tid(S, g, tok);
	set->rhs = value;
	set->height = value->height + 1;
	vec_push(S->cc, &c->entry_body->stmts, &c->entry_body->nstmts,
		 &c->capentry, mk_stmt(S, S_EXPR, set));

	struct expr *lv = mk_expr(S, E_VAR, tok), *get = mk_expr(S, E_ASSIGN, tok);
	lv->name = v;
	get->lhs = lv;
	get->rhs = by_tid(S, g, tok);
	get->height = 3;
	vec_push(S->cc, &c->pro, &c->npro, &c->cappro, mk_stmt(S, S_EXPR, get));
	vec_push(S->cc, &c->pro, &c->npro, &c->cappro,
		 mk_stmt(S, S_DELETE, by_tid(S, g, tok)));

	struct expr *use = mk_expr(S, E_VAR, tok);
	use->name = v;
	*e = *use;
}

/* Entry values in a return handler: @entry(e), and target variables
   other than $return (as in SystemTap); not under @defined. */
static bool note_entry_value(struct expr *e, void *arg)
{
	struct entry_caps *c = arg;
	if (e->kind == E_DEFINED)
		return false;
	if (e->kind == E_ENTRY) {
		capture(c, e, e->lhs);
		return false;
	}
	if (e->kind == E_TARGET && !target_is_return_value(e)) {
		capture(c, e, ast_clone_expr(c->S->cc, e));
		return false;
	}
	return true;
}

static void add_entry_captures(struct sema *S, struct probe *p)
{
	struct stmt *eb = cc_alloc(S->cc, sizeof(*eb));
	struct entry_caps c = { .S = S, .p = p, .entry_body = eb };

	eb->kind = S_BLOCK;
	eb->tok = p->body->tok;
	ast_walk_stmt(p->body, note_entry_value, &c);
	if (!c.npro)
		return;
	vec_push(S->cc, &c.pro, &c.npro, &c.cappro, p->body);
	struct stmt *nb = cc_alloc(S->cc, sizeof(*nb));
	nb->kind = S_BLOCK;
	nb->tok = p->body->tok;
	nb->stmts = c.pro;
	nb->nstmts = c.npro;
	p->body = nb;

	struct probe_point **pt = cc_alloc(S->cc, sizeof(*pt));
	pt[0] = target_entry_point(S->cc, p->points[0]);
	add_derived(S, p->orig ? p->orig : p, p->via, pt, 1, eb);
	struct probe *ep = S->s->probes[S->s->nprobes - 1];
	ep->target = target_entry_ctx(S->cc, p->target);
}

static void split_for_targets(struct sema *S)
{
	int n = S->s->nprobes, kept = 0;
	struct probe **out = NULL;
	int nout = 0, capout = 0;

	for (int i = 0; i < n; i++) {
		struct probe *p = S->s->probes[i];
		bool targets = uses_targets(p->body);
		struct probe_point **all = NULL;
		int nall = 0, capall = 0;

		for (int k = 0; k < p->npoints; k++) {
			struct probe_point **v;
			int m = concrete_points(S, p->points[k], targets, &v);
			if (m == 0 && !p->points[k]->optional)
				sema_fail(S, p->points[k]->tok, "no match for probe point %s"
				     " in the kernel's BTF", p->points[k]->text);
			for (int j = 0; j < m; j++)
				vec_push(S->cc, &all, &nall, &capall, v[j]);
			/* pp! : when it resolves, the points after it are not
			   needed (SystemTap's "sufficient") */
			if (p->points[k]->sufficient && m > 0 &&
			    probe_resolves(S->cc, p->points[k]))
				break;
		}
		if (!nall)
			continue;
		if (targets && nall > MAX_TARGET_SPLIT)
			sema_fail(S, p->points[0]->tok, "%d functions for one handler that"
			     " reads target variables (each needs its own copy; at"
			     " most %d): narrow the pattern", nall, MAX_TARGET_SPLIT);
		if (!targets || nall == 1) {
			p->points = all;
			p->npoints = nall;
			vec_push(S->cc, &out, &nout, &capout, p);
			continue;
		}
		for (int j = 0; j < nall; j++) {
			struct probe *d = cc_alloc(S->cc, sizeof(*d));
			*d = *p;
			d->points = cc_alloc(S->cc, sizeof(*d->points));
			d->points[0] = all[j];
			d->npoints = 1;
			d->body = ast_clone_stmt(S->cc, p->body);
			vec_push(S->cc, &out, &nout, &capout, d);
		}
	}
	S->s->probes = out;
	S->s->nprobes = nout;
	S->capprobes = capout;
	for (int i = 0; i < nout; i++)
		out[i]->index = i;
	(void)kept;
}

void prepare_targets(struct sema *S)
{
	split_for_targets(S);
	int n = S->s->nprobes;
	for (int i = 0; i < n; i++) {
		struct probe *p = S->s->probes[i];
		const char *why = NULL;
		if (p->npoints != 1 || !uses_targets(p->body))
			continue;
		p->target = target_ctx_of(S->cc, p->points[0], &why);
		if (!p->target)
			continue;	/* reported where a $var is used */
		if (p->target->kind == TCTX_RETURN)
			add_entry_captures(S, p);
	}
}

