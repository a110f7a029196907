/*
 * types.c - pass 2, step 6: type inference to a fixed point, then every
 * value whose type nothing determined reported.
 */
#include <stdio.h>
#include <string.h>

#include "dump.h"
#include "parse.h"

#include "sema/internal.h"

static void type_error_sym(struct sema *S, const struct token *at,
			   struct symbol *v, enum type want)
{
	if (!v->type_tok)
		sema_fail(S, at, "type mismatch: expected %s but found %s",
		     type_name(want), type_name(v->type));
	diag_sema_error(S->cc, at, "type mismatch (%s)", type_name(want));
	diag_sema_error(S->cc, v->type_tok, "type was first inferred"
			" here (%s)", type_name(v->type));
	longjmp(S->fail, 1);
}

/* Unifies a symbol's value type with t; infers it when still unknown. */
static void sym_type(struct sema *S, struct symbol *v, enum type t,
		     const struct token *at)
{
	if (t == TY_UNKNOWN || v->type == t)
		return;
	if (t == TY_STATS && v->kind != SYM_GLOBAL)
		sema_fail(S, at, "stat locals not supported, missing global"
		     " declaration? ");
	if (v->type == TY_UNKNOWN) {
		v->type = t;
		v->type_tok = at;
		S->changed = true;
		return;
	}
	type_error_sym(S, at, v, t);
}

static void key_type(struct sema *S, struct symbol *g, int i, enum type t,
		     const struct token *at)
{
	if (t == TY_UNKNOWN || g->key_types[i] == t)
		return;
	if (t == TY_STATS)
		sema_fail(S, at, "statistics aggregate used as array index");
	if (g->key_types[i] == TY_UNKNOWN) {
		g->key_types[i] = t;
		S->changed = true;
		return;
	}
	sema_fail(S, at, "index %d type mismatch (%s)", i, type_name(t));
}

/* The result type of e is `have`; the context wants `want`. */
static enum type result(struct sema *S, struct expr *e, enum type have,
			enum type want)
{
	e->type = have;
	if (want != TY_UNKNOWN && have != TY_UNKNOWN && have != want)
		sema_fail(S, e->tok, "type mismatch: expected %s but found %s",
		     type_name(want), type_name(have));
	return have;
}

static enum type ty(struct sema *S, struct expr *e, enum type want);

/* Operand of @count & co / @hist_*: a global stats scalar or element. */
static void ty_stats_operand(struct sema *S, struct expr *op)
{
	if (op->kind != E_VAR && op->kind != E_INDEX)
		sema_fail(S, op->tok, "type mismatch: expected stats but found %s",
		     type_name(ty(S, op, TY_UNKNOWN)));
	ty(S, op, TY_STATS);
}

static bool same_hist(const struct expr *a, const struct expr *b)
{
	if (a->hist_kind != b->hist_kind)
		return false;
	for (int i = 0; i < a->nargs; i++)
		if (a->args[i]->num != b->args[i]->num)
			return false;
	return true;
}

static void ty_hist(struct sema *S, struct expr *h)
{
	ty_stats_operand(S, h->lhs);
	h->type = TY_STATS;
	/* one aggregate keeps one histogram layout */
	struct symbol *v = h->lhs->sym;
	if (v) {
		if (!v->hist)
			v->hist = h;
		else if (!same_hist(v->hist, h))
			sema_fail(S, h->tok, "multiple histogram types declared on"
			     " '%s'", v->name);
	}
	if (h->hist_kind == HIST_LINEAR && h->args[2]->num <= 0)
		sema_fail(S, h->args[2]->tok, "histogram interval must be positive");
}

static void ty_keys(struct sema *S, struct symbol *g, struct expr **keys, int n)
{
	for (int i = 0; i < n && i < MAX_ARRAY_KEYS; i++) {
		if (!keys[i])
			continue;
		enum type t = ty(S, keys[i], g->key_types[i]);
		key_type(S, g, i, t, keys[i]->tok);
	}
}

static enum type ty_call(struct sema *S, struct expr *e, enum type want)
{
	if (e->builtin) {
		const struct builtin_sig *b = e->builtin;
		for (int i = 0; i < e->nargs; i++) {
			enum type t = ty(S, e->args[i], b->args[i]);
			if (t == TY_STATS)
				sema_fail(S, e->args[i]->tok, "type mismatch: expected"
				     " long or string but found stats");
		}
		return result(S, e, b->ret, want);
	}
	/* a same-arity overload chain is one function to its callers:
	   parameter and return types are shared */
	enum type ret = TY_UNKNOWN;
	for (struct func *f = e->func; f; f = f->next_overload) {
		for (int i = 0; i < e->nargs; i++) {
			struct symbol *p = f->locals[i];
			enum type t = ty(S, e->args[i], p->type);
			sym_type(S, p, t, e->args[i]->tok);
		}
		if (f->ret_type != TY_UNKNOWN) {
			if (ret != TY_UNKNOWN && ret != f->ret_type)
				sema_fail(S, f->tok, "type mismatch: overloads of '%s'"
				     " return %s and %s", f->name,
				     type_name(ret), type_name(f->ret_type));
			ret = f->ret_type;
		}
	}
	for (struct func *f = e->func; f && ret != TY_UNKNOWN; f = f->next_overload) {
		if (f->ret_type == TY_UNKNOWN) {
			f->ret_type = ret;
			S->changed = true;
		}
	}
	return result(S, e, ret, want);
}

static enum type ty_print(struct sema *S, struct expr *e, enum type want)
{
	if (e->print_kind == PRINT_F) {
		char *types = cc_alloc(S->cc, (size_t)e->nargs + 1);
		bool ok;
		int n = parse_format_args(e->str, types, e->nargs, &ok, NULL);
		if (n != e->nargs)
			sema_fail(S, e->tok, "Wrong number of args to formatted print"
			     " operator");
		for (int i = 0; i < e->nargs; i++)
			ty(S, e->args[i], types[i] == 's' ? TY_STRING : TY_LONG);
	} else if (e->nargs == 1 && e->args[0]->kind == E_HIST &&
		   (e->print_kind == PRINT_PLAIN || e->print_kind == PRINT_LN)) {
		ty_hist(S, e->args[0]);
	} else {
		for (int i = 0; i < e->nargs; i++) {
			enum type t = ty(S, e->args[i], TY_UNKNOWN);
			if (t == TY_STATS)
				sema_fail(S, e->args[i]->tok, "type mismatch: expected"
				     " long or string but found stats");
		}
	}
	return result(S, e, e->is_sprint ? TY_STRING : TY_UNKNOWN, want);
}

/* a = b / a op= b / a <<< b */
static enum type ty_assign(struct sema *S, struct expr *e, enum type want)
{
	struct expr *l = e->lhs;
	if (e->op == OP_AGG) {
		ty(S, l, TY_STATS);
		ty(S, e->rhs, TY_LONG);
		return result(S, e, TY_LONG, want);
	}
	if (e->op == OP_CONCAT) {
		ty(S, l, TY_STRING);
		ty(S, e->rhs, TY_STRING);
		return result(S, e, TY_STRING, want);
	}
	if (e->op != OP_NONE) {
		ty(S, l, TY_LONG);
		ty(S, e->rhs, TY_LONG);
		return result(S, e, TY_LONG, want);
	}
	/* like stap, the value flows right to left: a mismatch is
	   reported at the variable being assigned */
	enum type rt = ty(S, e->rhs, TY_UNKNOWN);
	if (rt == TY_STATS)
		sema_fail(S, e->rhs->tok, "type mismatch: expected long or string"
		     " but found stats");
	enum type lt = ty(S, l, rt != TY_UNKNOWN ? rt : want);
	if (lt == TY_STATS)
		sema_fail(S, e->tok, "cannot assign to statistics aggregate '%s'"
		     " (use <<<)", l->sym ? l->sym->name : "?");
	if (rt == TY_UNKNOWN && lt != TY_UNKNOWN)
		rt = ty(S, e->rhs, lt);
	return result(S, e, lt, want);
}

static bool is_arith(enum op op)
{
	return op != OP_CONCAT && !(op >= OP_LT && op <= OP_NE);
}

static enum type ty(struct sema *S, struct expr *e, enum type want)
{
	switch (e->kind) {
	case E_NUM:
		return result(S, e, TY_LONG, want);
	case E_STR:
		return result(S, e, TY_STRING, want);
	case E_VAR:
		if (e->sym->is_array)
			sema_fail(S, e->tok, "array '%s' used as a scalar", e->sym->name);
		sym_type(S, e->sym, want, e->tok);
		return result(S, e, e->sym->type, want);
	case E_INDEX:
		ty_keys(S, e->sym, e->args, e->nargs);
		sym_type(S, e->sym, want, e->tok);
		return result(S, e, e->sym->type, want);
	case E_IN:
		ty_keys(S, e->lhs->sym, e->lhs->args, e->lhs->nargs);
		e->lhs->type = e->lhs->sym->type;
		return result(S, e, TY_LONG, want);
	case E_CALL:
		return ty_call(S, e, want);
	case E_PRINT:
		return ty_print(S, e, want);
	case E_UNARY:
		ty(S, e->lhs, TY_LONG);
		return result(S, e, TY_LONG, want);
	case E_BINARY:
		if (e->op == OP_CONCAT) {
			ty(S, e->lhs, TY_STRING);
			ty(S, e->rhs, TY_STRING);
			return result(S, e, TY_STRING, want);
		}
		if (is_arith(e->op)) {
			ty(S, e->lhs, TY_LONG);
			ty(S, e->rhs, TY_LONG);
			return result(S, e, TY_LONG, want);
		} else {
			enum type rt = ty(S, e->rhs, TY_UNKNOWN);
			enum type lt = ty(S, e->lhs, rt == TY_STATS ? TY_UNKNOWN : rt);
			if (rt == TY_UNKNOWN && lt != TY_UNKNOWN)
				rt = ty(S, e->rhs, lt);
			if (lt == TY_STATS || rt == TY_STATS)
				sema_fail(S, e->tok, "type mismatch: cannot compare"
				     " statistics aggregates");
			return result(S, e, TY_LONG, want);
		}
	case E_REGEX:
		ty(S, e->lhs, TY_STRING);
		ty(S, e->rhs, TY_STRING);
		return result(S, e, TY_LONG, want);
	case E_ASSIGN:
		return ty_assign(S, e, want);
	case E_PREINC: case E_PREDEC: case E_POSTINC: case E_POSTDEC:
		ty(S, e->lhs, TY_LONG);
		return result(S, e, TY_LONG, want);
	case E_TERNARY: {
		ty(S, e->cond, TY_LONG);
		enum type lt = ty(S, e->lhs, want);
		enum type rt = ty(S, e->rhs, lt != TY_UNKNOWN ? lt : want);
		if (lt == TY_UNKNOWN && rt != TY_UNKNOWN)
			lt = ty(S, e->lhs, rt);
		return result(S, e, lt, want);
	}
	case E_STAT:
		ty_stats_operand(S, e->lhs);
		if (e->rhs)
			ty(S, e->rhs, TY_LONG);
		return result(S, e, TY_LONG, want);
	case E_HIST:
		sema_fail(S, e->tok, "a histogram may only be printed, iterated or"
		     " indexed");
	case E_HIST_BUCKET:
		ty_hist(S, e->lhs);
		ty(S, e->rhs, TY_LONG);
		return result(S, e, TY_LONG, want);
	case E_TARGET:
	case E_CAST:
		if (e->kind == E_TARGET)
			res_target(S, e);
		if (e->lhs)
			ty(S, e->lhs, TY_LONG);
		for (int i = 0; i < e->ncomps; i++)
			if (e->comps[i].index)
				ty(S, e->comps[i].index, TY_LONG);
		/* without debuginfo a target value takes the type its use
		   wants ($value of procfs is a string); long by default */
		if (e->kind == E_TARGET && !e->pretty && want != TY_UNKNOWN &&
		    want != TY_STATS)
			return result(S, e, want, want);
		return result(S, e, e->pretty ? TY_STRING : TY_LONG, want);
	case E_ENTRY:
		return result(S, e, ty(S, e->lhs, want), want);
	case E_PERF:
		return result(S, e, TY_LONG, want);
	case E_DEFINED:
		return result(S, e, TY_LONG, want);
	}
	return TY_UNKNOWN;
}

static void ty_foreach(struct sema *S, struct foreach *fe)
{
	if (fe->base->kind == E_HIST) {
		ty_hist(S, fe->base);
		sym_type(S, fe->keys[0], TY_LONG, fe->key_toks[0]);
		if (fe->value)
			sym_type(S, fe->value, TY_LONG, fe->value_tok);
	} else {
		struct symbol *g = fe->base->sym;
		fe->base->type = g->type;
		if (fe->sort_stat_given && g->type != TY_UNKNOWN &&
		    g->type != TY_STATS)
			sema_fail(S, fe->base->tok, "invalid type %s", type_name(g->type));
		for (int i = 0; i < fe->nkeys; i++) {
			struct symbol *k = fe->keys[i];
			if (g->key_types[i] != TY_UNKNOWN)
				sym_type(S, k, g->key_types[i], fe->key_toks[i]);
			else
				key_type(S, g, i, k->type, fe->key_toks[i]);
		}
		if (fe->value) {
			if (g->type == TY_STATS)
				sym_type(S, fe->value, TY_LONG, fe->value_tok);
			else if (g->type != TY_UNKNOWN)
				sym_type(S, fe->value, g->type, fe->value_tok);
			else
				sym_type(S, g, fe->value->type, fe->value_tok);
		}
		ty_keys(S, g, fe->slice, fe->nslice);
	}
	if (fe->limit)
		ty(S, fe->limit, TY_LONG);
}

static void ty_stmt(struct sema *S, struct stmt *s)
{
	if (!s)
		return;
	switch (s->kind) {
	case S_NULL: case S_BREAK: case S_CONTINUE: case S_NEXT:
		return;
	case S_EXPR:
		ty(S, s->expr, TY_UNKNOWN);
		return;
	case S_BLOCK:
		for (int i = 0; i < s->nstmts; i++)
			ty_stmt(S, s->stmts[i]);
		return;
	case S_IF:
		ty(S, s->expr, TY_LONG);
		ty_stmt(S, s->then);
		ty_stmt(S, s->els);
		return;
	case S_WHILE:
	case S_FOR:
		if (s->init)
			ty(S, s->init, TY_UNKNOWN);
		if (s->expr)
			ty(S, s->expr, TY_LONG);
		if (s->step)
			ty(S, s->step, TY_UNKNOWN);
		ty_stmt(S, s->body);
		return;
	case S_FOREACH:
		ty_foreach(S, s->fe);
		ty_stmt(S, s->fe->body);
		return;
	case S_RETURN:
		if (s->expr && S->cur_func) {
			struct func *f = S->cur_func;
			enum type t = ty(S, s->expr, f->ret_type);
			if (t == TY_STATS)
				sema_fail(S, s->expr->tok, "cannot return a statistics"
				     " aggregate");
			if (f->ret_type == TY_UNKNOWN && t != TY_UNKNOWN) {
				f->ret_type = t;
				S->changed = true;
			}
		}
		return;
	case S_DELETE:
		if (s->expr->kind == E_INDEX)
			ty_keys(S, s->expr->sym, s->expr->args, s->expr->nargs);
		return;
	case S_TRY:
		ty_stmt(S, s->body);
		if (s->catch_var)
			sym_type(S, s->catch_var, TY_STRING, s->catch_tok);
		ty_stmt(S, s->catch_body);
		return;
	}
}

void infer_types(struct sema *S)
{
	do {
		S->changed = false;
		for (int i = 0; i < S->s->nprobes; i++) {
			struct probe *p = S->s->probes[i];
			S->cur_func = NULL;
			S->cur_probe = p;
			for (int k = 0; k < p->npoints; k++)
				if (p->points[k]->cond)
					ty(S, p->points[k]->cond, TY_LONG);
			ty_stmt(S, p->body);
		}
		S->cur_probe = NULL;
		for (int i = 0; i < S->s->nfuncs; i++) {
			S->cur_func = S->s->funcs[i];
			ty_stmt(S, S->cur_func->body);
		}
		S->cur_func = NULL;
	} while (S->changed);
}

/* After the fixpoint: values whose type nothing determined. */
static void unresolved(struct sema *S, const struct token *t)
{
	sema_fail(S, t, "unresolved type ");
}

static void check_sym_known(struct sema *S, struct symbol *v,
			    const struct token *at)
{
	if (v->type == TY_UNKNOWN)
		unresolved(S, at);
	for (int i = 0; v->is_array && i < v->nkeys; i++)
		if (v->key_types[i] == TY_UNKNOWN)
			unresolved(S, at);
}

static void known_stmt(struct sema *S, struct stmt *s);

static void known_expr(struct sema *S, struct expr *e, bool value)
{
	if (!e)
		return;
	if (e->sym && (e->kind == E_VAR || e->kind == E_INDEX))
		check_sym_known(S, e->sym, e->tok);
	if (value && e->type == TY_UNKNOWN && e->kind != E_HIST)
		unresolved(S, e->tok);
	if (e->kind == E_IN) {
		check_sym_known(S, e->lhs->sym, e->lhs->tok);
		for (int i = 0; i < e->lhs->nargs; i++)
			known_expr(S, e->lhs->args[i], true);
		return;
	}
	if (e->kind == E_STAT || e->kind == E_HIST) {
		known_expr(S, e->lhs, false);
		return;
	}
	/* the value of an assignment statement or call is not needed */
	known_expr(S, e->lhs, e->kind != E_HIST_BUCKET);
	known_expr(S, e->rhs, true);
	known_expr(S, e->cond, true);
	for (int i = 0; i < e->nargs; i++)
		known_expr(S, e->args[i], e->kind != E_HIST);
	for (int i = 0; i < e->ncomps; i++)
		known_expr(S, e->comps[i].index, true);
}

static void known_stmt(struct sema *S, struct stmt *s)
{
	if (!s)
		return;
	if (s->kind == S_DELETE) {
		if (s->expr->sym)
			check_sym_known(S, s->expr->sym, s->expr->tok);
		for (int i = 0; i < s->expr->nargs; i++)
			known_expr(S, s->expr->args[i], true);
		return;
	}
	known_expr(S, s->expr, s->kind != S_EXPR);
	known_expr(S, s->init, false);
	known_expr(S, s->step, false);
	known_stmt(S, s->then);
	known_stmt(S, s->els);
	known_stmt(S, s->body);
	known_stmt(S, s->catch_body);
	for (int i = 0; i < s->nstmts; i++)
		known_stmt(S, s->stmts[i]);
	if (s->fe) {
		struct foreach *fe = s->fe;
		for (int i = 0; i < fe->nkeys; i++)
			check_sym_known(S, fe->keys[i], fe->key_toks[i]);
		if (fe->value)
			check_sym_known(S, fe->value, fe->value_tok);
		if (fe->base->kind == E_VAR)
			check_sym_known(S, fe->base->sym, fe->base->tok);
		else
			known_expr(S, fe->base->lhs, false);
		for (int i = 0; i < fe->nslice; i++)
			known_expr(S, fe->slice[i], true);
		known_expr(S, fe->limit, true);
		known_stmt(S, fe->body);
	}
}

void check_known(struct sema *S)
{
	for (int i = 0; i < S->s->nprobes; i++) {
		struct probe *p = S->s->probes[i];
		for (int k = 0; k < p->npoints; k++)
			known_expr(S, p->points[k]->cond, true);
		known_stmt(S, p->body);
		for (int k = 0; k < p->nlocals; k++)
			check_sym_known(S, p->locals[k], p->locals[k]->tok);
	}
	for (int i = 0; i < S->s->nfuncs; i++) {
		struct func *f = S->s->funcs[i];
		known_stmt(S, f->body);
		for (int k = 0; k < f->nlocals; k++)
			check_sym_known(S, f->locals[k], f->locals[k]->tok);
	}
}

