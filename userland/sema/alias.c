/*
 * alias.c - pass 2, step 3: probe aliases expanded into derived probes
 * (prologue, user body, epilogue), and every point validated against the
 * forms of the probe families (probes/).
 */
#include <fnmatch.h>
#include <string.h>

#include "probes/probes.h"

#include "sema/internal.h"

#define MAX_ALIAS_DEPTH 32
#define MAX_DERIVED_PROBES 100000	/* stops exponential alias fan-out */

/* Does alias name `a` match the first comps of point pp? */
static bool alias_matches(const struct alias *a, const struct probe_point *pp,
			  bool exact)
{
	if (exact ? pp->ncomps != a->nname : pp->ncomps <= a->nname)
		return false;
	for (int i = 0; i < a->nname; i++) {
		const struct pp_comp *u = &pp->comps[i], *n = &a->name[i];
		if (fnmatch(u->name, n->name, 0) != 0)
			return false;
		if (!u->arg != !n->arg)
			return false;
		if (u->arg && (u->arg->kind != n->arg->kind ||
			       (u->arg->kind == E_NUM ? u->arg->num != n->arg->num :
				strcmp(u->arg->str, n->arg->str) != 0)))
			return false;
	}
	return true;
}

/* { pro; body; epi } */
static struct stmt *wrap_body(struct compiler *cc, const struct alias *a,
			      struct stmt *body)
{
	struct stmt *b = cc_alloc(cc, sizeof(*b));
	b->kind = S_BLOCK;
	b->tok = body->tok;
	int cap = 0;
	if (a->prologue)
		vec_push(cc, &b->stmts, &b->nstmts, &cap, ast_clone_stmt(cc, a->prologue));
	vec_push(cc, &b->stmts, &b->nstmts, &cap, body);
	if (a->epilogue)
		vec_push(cc, &b->stmts, &b->nstmts, &cap, ast_clone_stmt(cc, a->epilogue));
	return b;
}

/* An alias target point with the user point's suffix, flags, condition. */
static struct probe_point *derive_point(struct compiler *cc,
					const struct probe_point *target,
					const struct probe_point *user, int nname)
{
	struct probe_point *np = cc_alloc(cc, sizeof(*np));
	*np = *target;
	int extra = user->ncomps - nname;
	if (extra > 0) {
		np->ncomps = target->ncomps + extra;
		np->comps = cc_alloc(cc, sizeof(*np->comps) * (size_t)np->ncomps);
		memcpy(np->comps, target->comps, sizeof(*np->comps) * (size_t)target->ncomps);
		memcpy(np->comps + target->ncomps, user->comps + nname,
		       sizeof(*np->comps) * (size_t)extra);
		np->text = cc_printf(cc, "%s", target->text);
		for (int i = nname; i < user->ncomps; i++) {
			const struct pp_comp *c = &user->comps[i];
			if (c->arg && c->arg->kind == E_NUM)
				np->text = cc_printf(cc, "%s.%s(%lld)", np->text, c->name,
						     (long long)c->arg->num);
			else if (c->arg)
				np->text = cc_printf(cc, "%s.%s(\"%s\")", np->text,
						     c->name, c->arg->str);
			else
				np->text = cc_printf(cc, "%s.%s", np->text, c->name);
		}
	}
	np->optional = target->optional || user->optional;
	np->sufficient = target->sufficient || user->sufficient;
	/* every derived probe resolves its own copy of the condition */
	np->cond = ast_clone_expr(cc, target->cond ? target->cond : user->cond);
	return np;
}

void add_derived(struct sema *S, struct probe *orig,
			const struct alias *via, struct probe_point **pts,
			int npts, struct stmt *body)
{
	struct probe *d = cc_alloc(S->cc, sizeof(*d));
	d->points = pts;
	d->npoints = npts;
	d->body = body;
	d->tok = orig->tok;
	d->file = orig->file;
	d->orig = orig;
	d->via = via;
	d->index = S->s->nprobes;
	vec_push(S->cc, &S->s->probes, &S->s->nprobes, &S->capprobes, d);
}

static bool is_builtin_point(const struct probe_point *pp);

/* A point whose family ends the session: its own probe, { body; exit() }. */
static void add_exiting(struct sema *S, struct probe *orig,
			const struct alias *via, struct probe_point *pp,
			struct stmt *body)
{
	struct probe_point **pts = cc_alloc(S->cc, sizeof(*pts));
	struct expr *call = cc_alloc(S->cc, sizeof(*call));
	struct stmt *st = cc_alloc(S->cc, sizeof(*st));
	struct stmt *b = cc_alloc(S->cc, sizeof(*b));
	int cap = 0;

	call->kind = E_CALL;
	call->name = "exit";
	call->tok = pp->tok;
	call->height = 1;
	st->kind = S_EXPR;
	st->tok = pp->tok;
	st->expr = call;
	b->kind = S_BLOCK;
	b->tok = body->tok;
	vec_push(S->cc, &b->stmts, &b->nstmts, &cap, ast_clone_stmt(S->cc, body));
	vec_push(S->cc, &b->stmts, &b->nstmts, &cap, st);
	pts[0] = pp;
	add_derived(S, orig, via, pts, 1, b);
}

/* Names assigned (name = ...) in an alias body: its context variables. */
struct names {
	struct compiler *cc;
	struct hmap set;
};

static bool note_assigned(struct expr *e, void *arg)
{
	struct names *n = arg;
	if (e->kind == E_ASSIGN && e->lhs && e->lhs->kind == E_VAR)
		hmap_put(n->cc, &n->set, e->lhs->name, (void *)e->lhs->name);
	return true;
}

/* Does a walk read a variable in `theirs` that is not in `have`? */
struct reads_other {
	struct hmap *theirs, *have;
	bool found;
};

static bool note_read_other(struct expr *e, void *arg)
{
	struct reads_other *r = arg;
	if (e->kind == E_VAR && hmap_get(r->theirs, e->name) &&
	    !hmap_get(r->have, e->name))
		r->found = true;
	return !r->found;
}

/*
 * syscall.* (and syscall.*.return) the cheap way.  SystemTap expands the
 * wildcard into one kprobe pair per system call, which takes seconds to
 * arm.  When the handler reads nothing but what the tapset's syscall_any
 * alias provides (name, syscall_nr; retval, retstr), the two raw_syscalls
 * tracepoints serve every system call at once; otherwise (argstr, fd, ...)
 * the point expands alias by alias as in SystemTap.
 */
static const struct alias *syscall_any_alias(struct sema *S,
					     const struct probe_point *pp,
					     const struct stmt *body)
{
	bool ret = pp->ncomps == 3 && !strcmp(pp->comps[2].name, "return") &&
		   !pp->comps[2].arg;
	if (!(pp->ncomps == 2 || ret) || strcmp(pp->comps[0].name, "syscall") ||
	    strcmp(pp->comps[1].name, "*") || pp->comps[0].arg || pp->comps[1].arg)
		return NULL;
	struct funcset *fs = hmap_get(&S->alias_by_name,
				      ret ? "syscall_any.return" : "syscall_any");
	if (!fs || !fs->n)
		return NULL;
	const struct alias *any = (const struct alias *)fs->v[0];
	struct names have = { .cc = S->cc }, theirs = { .cc = S->cc };
	ast_walk_stmt(any->prologue, note_assigned, &have);
	for (int i = 0; i < S->naliases; i++)
		if (alias_matches(S->aliases[i], pp, false) ||
		    alias_matches(S->aliases[i], pp, true))
			ast_walk_stmt(S->aliases[i]->prologue, note_assigned, &theirs);
	struct reads_other r = { &theirs.set, &have.set, false };
	ast_walk_stmt((struct stmt *)body, note_read_other, &r);
	return r.found ? NULL : any;
}

/*
 * Expands one point of a user probe.  `body` is the handler as built so
 * far (user body wrapped by inner aliases' bodies); plain points collect
 * in `plain` to share one derived probe.
 */
static void expand_point(struct sema *S, struct probe *orig,
			 struct probe_point *pp, struct stmt *body,
			 const struct alias *via, int depth,
			 struct probe_point ***plain, int *nplain, int *capplain)
{
	if (depth > MAX_ALIAS_DEPTH)
		sema_fail(S, pp->tok, "probe alias expansion nested too deeply");
	if (S->s->nprobes + *nplain > MAX_DERIVED_PROBES)
		sema_fail(S, pp->tok, "probe alias expansion too large");
	const struct alias *any = S->cc->opts && S->cc->opts->listing ? NULL :
		syscall_any_alias(S, pp, body);
	if (any) {
		struct probe_point *np = derive_point(S->cc, any->points[0], pp,
						      pp->ncomps);
		struct stmt *nb = wrap_body(S->cc, any, body);
		struct probe_point **sub = NULL;
		int nsub = 0, capsub = 0;
		expand_point(S, orig, np, nb, any, depth + 1, &sub, &nsub, &capsub);
		if (nsub)
			add_derived(S, orig, any, sub, nsub, ast_clone_stmt(S->cc, nb));
		return;
	}
	/* exact-length matches first; the suffix rule only when none */
	bool found = false;
	for (int pass = 0; pass < 2 && !found; pass++) {
		for (int i = 0; i < S->naliases; i++) {
			struct alias *a = S->aliases[i];
			if (a->is_private && a->file != orig->file)
				continue;
			if (!alias_matches(a, pp, pass == 0))
				continue;
			/* a built-in point wins over an alias plus suffix:
			   timer.profile = timer.profile.tick must end */
			if (pass == 1 && is_builtin_point(pp))
				continue;
			found = true;
			struct stmt *nb = wrap_body(S->cc, a, body);
			struct probe_point **sub = NULL;
			int nsub = 0, capsub = 0;
			for (int k = 0; k < a->npoints; k++) {
				struct probe_point *np = derive_point(S->cc,
					a->points[k], pp, a->nname);
				expand_point(S, orig, np, nb, a, depth + 1,
					     &sub, &nsub, &capsub);
			}
			if (nsub)
				add_derived(S, orig, a, sub, nsub,
					    ast_clone_stmt(S->cc, nb));
		}
	}
	if (!found && probe_exits(pp))
		add_exiting(S, orig, via, pp, body);
	else if (!found)
		vec_push(S->cc, plain, nplain, capplain, pp);
}

void expand_probes(struct sema *S)
{
	for (int i = 0; i < S->s->nuser_probes; i++) {
		struct probe *p = S->s->user_probes[i];
		struct probe_point **plain = NULL;
		int nplain = 0, cap = 0;
		for (int k = 0; k < p->npoints; k++)
			expand_point(S, p, p->points[k], p->body, NULL, 0,
				     &plain, &nplain, &cap);
		if (nplain)
			add_derived(S, p, NULL, plain, nplain,
				    ast_clone_stmt(S->cc, p->body));
	}
}

/* ==== 3b. probe point validation ==== */

/* Is pp, as written, one of the built-in probe point forms? */
static bool is_builtin_point(const struct probe_point *pp)
{
	int best;

	return probe_point_valid(pp, &best);
}

/* Drops optional points that match nothing; errors for the others. */
void validate_points(struct sema *S)
{
	struct script *s = S->s;
	int kept = 0;
	for (int i = 0; i < s->nprobes; i++) {
		struct probe *p = s->probes[i];
		int np = 0;
		for (int k = 0; k < p->npoints; k++) {
			struct probe_point *pp = p->points[k];
			int best;
			if (probe_point_valid(pp, &best)) {
				p->points[np++] = pp;
				continue;
			}
			if (pp->optional)
				continue;
			diag_sema_error(S->cc, pp->comps[0].tok, "while resolving"
					" probe point");
			sema_fail(S, pp->comps[best < pp->ncomps ? best : 0].tok,
			     "probe point mismatch");
		}
		p->npoints = np;
		if (np) {
			p->index = kept;
			s->probes[kept++] = p;
		}
	}
	s->nprobes = kept;
}

