/*
 * effects.c - pass 2, step 7: the globals each probe and function reads and
 * writes (directly, then through what it calls) and the call graph.
 */
#include <stdlib.h>

#include "sema/internal.h"

struct rw {
	struct sema *S;
	int unit;			/* stamp base for dedupe */
	struct symbol ***reads, ***writes;
	int *nreads, *nwrites;
	int capr, capw;
	struct func ***callees;
	int *ncallees, capc;
	const struct expr *target;	/* the lvalue being written */
};

static void rw_mark(struct rw *rw, struct symbol *v, bool write)
{
	if (!v || v->kind != SYM_GLOBAL)
		return;
	if (v->stamp >> 2 != rw->unit)
		v->stamp = rw->unit << 2;
	int bit = write ? 2 : 1;
	if (v->stamp & bit)
		return;
	v->stamp |= bit;
	if (write) {
		v->is_written = true;
		vec_push(rw->S->cc, rw->writes, rw->nwrites, &rw->capw, v);
	} else {
		v->is_read = true;
		vec_push(rw->S->cc, rw->reads, rw->nreads, &rw->capr, v);
	}
}

/* An assignment, ++/-- or delete writes l (and reads it unless plain '=',
 * '<<<' or delete); its keys are read as the walk goes on. */
static void rw_lvalue(struct rw *rw, const struct expr *l, bool also_read)
{
	rw_mark(rw, l->sym, true);
	if (also_read)
		rw_mark(rw, l->sym, false);
	rw->target = l;
}

static void rw_call(struct rw *rw, const struct expr *e)
{
	for (struct func *f = e->func; f; f = f->next_overload) {
		bool seen = false;

		for (int i = 0; i < *rw->ncallees; i++)
			seen |= (*rw->callees)[i] == f;
		if (!seen)
			vec_push(rw->S->cc, rw->callees, rw->ncallees, &rw->capc, f);
	}
}

static bool rw_expr(struct expr *e, void *arg)
{
	struct rw *rw = arg;

	switch (e->kind) {
	case E_VAR:
	case E_INDEX:
		if (e != rw->target)
			rw_mark(rw, e->sym, false);
		break;
	case E_ASSIGN:
		rw_lvalue(rw, e->lhs, e->op != OP_NONE && e->op != OP_AGG);
		break;
	case E_PREINC: case E_PREDEC: case E_POSTINC: case E_POSTDEC:
		rw_lvalue(rw, e->lhs, true);
		break;
	case E_CALL:
		rw_call(rw, e);
		break;
	default:
		break;
	}
	return true;
}

static bool rw_stmt(struct stmt *s, void *arg)
{
	struct rw *rw = arg;
	struct foreach *fe = s->fe;

	if (s->kind == S_DELETE)
		rw_lvalue(rw, s->expr, false);
	if (s->kind == S_TRY && s->catch_var)
		rw_mark(rw, s->catch_var, true);
	for (int i = 0; fe && i < fe->nkeys; i++)
		rw_mark(rw, fe->keys[i], true);
	if (fe && fe->value)
		rw_mark(rw, fe->value, true);
	return true;
}

/* Functions reachable from `from` (not including itself unless on a
   cycle): DFS with a per-root stamp in `seen`. */
static int reach(struct sema *S, struct func *const *from, int nfrom,
		 int *seen, int stamp, struct func **out)
{
	int n = 0, top = 0;
	struct func **stack = malloc(sizeof(*stack) * (size_t)(S->s->nfuncs + 1));
	if (!stack)
		abort();
	for (int i = 0; i < nfrom; i++) {
		if (seen[from[i]->index] == stamp)
			continue;
		seen[from[i]->index] = stamp;
		stack[top++] = from[i];
		out[n++] = from[i];
	}
	while (top) {
		struct func *f = stack[--top];
		for (int i = 0; i < f->ncallees; i++) {
			struct func *g = f->callees[i];
			if (seen[g->index] == stamp)
				continue;
			seen[g->index] = stamp;
			stack[top++] = g;
			out[n++] = g;
		}
	}
	free(stack);
	return n;
}

/* Merges the direct sets of `fs` into the given sets (deduped). */
static void union_sets(struct sema *S, int unit, struct func **fs, int n,
		       struct symbol ***reads, int *nreads,
		       struct symbol ***writes, int *nwrites)
{
	struct symbol **r = NULL, **w = NULL;
	int nr = 0, nw = 0, cr = 0, cw = 0;
	for (int i = 0; i < *nreads; i++) {
		(*reads)[i]->stamp = unit << 2 | 1;
		vec_push(S->cc, &r, &nr, &cr, (*reads)[i]);
	}
	for (int i = 0; i < *nwrites; i++) {
		struct symbol *v = (*writes)[i];
		if (v->stamp >> 2 != unit)
			v->stamp = unit << 2;
		v->stamp |= 2;
		vec_push(S->cc, &w, &nw, &cw, v);
	}
	for (int k = 0; k < n; k++) {
		struct func *f = fs[k];
		/* f->reads are still the direct sets at this point */
		for (int i = 0; i < f->nreads; i++) {
			struct symbol *v = f->reads[i];
			if (v->stamp >> 2 != unit)
				v->stamp = unit << 2;
			if (!(v->stamp & 1)) {
				v->stamp |= 1;
				vec_push(S->cc, &r, &nr, &cr, v);
			}
		}
		for (int i = 0; i < f->nwrites; i++) {
			struct symbol *v = f->writes[i];
			if (v->stamp >> 2 != unit)
				v->stamp = unit << 2;
			if (!(v->stamp & 2)) {
				v->stamp |= 2;
				vec_push(S->cc, &w, &nw, &cw, v);
			}
		}
	}
	*reads = r;
	*nreads = nr;
	*writes = w;
	*nwrites = nw;
}

/* Direct sets and callees of every live unit, then transitive sets. */
void compute_rw(struct sema *S)
{
	struct script *s = S->s;
	int unit = 1;
	for (int i = 0; i < s->nfuncs; i++) {
		struct func *f = s->funcs[i];
		struct rw rw = { S, unit++, &f->reads, &f->writes, &f->nreads,
				 &f->nwrites, 0, 0, &f->callees, &f->ncallees, 0, NULL };
		struct ast_visitor v = { .expr_pre = rw_expr, .stmt_pre = rw_stmt,
					 .arg = &rw };

		ast_visit_stmt(f->body, &v);
	}
	for (int i = 0; i < s->nprobes; i++) {
		struct probe *p = s->probes[i];
		struct symbol **reads = NULL, **writes = NULL;
		int nreads = 0, nwrites = 0;	/* only is_read/is_written */
		struct rw rw = { S, unit++, &reads, &writes, &nreads,
				 &nwrites, 0, 0, &p->callees, &p->ncallees, 0, NULL };
		struct ast_visitor v = { .expr_pre = rw_expr, .stmt_pre = rw_stmt,
					 .arg = &rw };

		for (int k = 0; k < p->npoints; k++)
			ast_visit_expr(p->points[k]->cond, &v);
		ast_visit_stmt(p->body, &v);
	}
	/* transitive: compute all from the direct sets before replacing */
	int *seen = calloc((size_t)s->nfuncs + 1, sizeof(int));
	struct func **out = malloc(sizeof(*out) * (size_t)(s->nfuncs + 1));
	if (!seen || !out)
		abort();
	struct symbol ***fr = calloc((size_t)s->nfuncs + 1, sizeof(*fr));
	struct symbol ***fw = calloc((size_t)s->nfuncs + 1, sizeof(*fw));
	int *nfr = calloc((size_t)s->nfuncs + 1, sizeof(int));
	int *nfw = calloc((size_t)s->nfuncs + 1, sizeof(int));
	if (!fr || !fw || !nfr || !nfw)
		abort();
	int st = 1;
	for (int i = 0; i < s->nfuncs; i++) {
		struct func *f = s->funcs[i];
		int n = reach(S, f->callees, f->ncallees, seen, st++, out);
		fr[i] = f->reads;
		fw[i] = f->writes;
		nfr[i] = f->nreads;
		nfw[i] = f->nwrites;
		union_sets(S, unit++, out, n, &fr[i], &nfr[i], &fw[i], &nfw[i]);
	}
	for (int i = 0; i < s->nfuncs; i++) {
		struct func *f = s->funcs[i];
		f->reads = fr[i];
		f->writes = fw[i];
		f->nreads = nfr[i];
		f->nwrites = nfw[i];
	}
	free(seen);
	free(out);
	free(fr);
	free(fw);
	free(nfr);
	free(nfw);
}

