/*
 * codegen/stmt.c - statements, and the frame of each bytecode function:
 * locals to registers, the body, the declared register counts.
 */
#include <assert.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

static void gen_stmt(struct fn *f, struct stmt *st);

static int is_compound(const struct stmt *st)
{
	switch (st->kind) {
	case S_IF: case S_WHILE: case S_FOR: case S_FOREACH: case S_TRY:
	case S_BLOCK:
		return 1;
	default:
		return 0;
	}
}

static void gen_block(struct fn *f, struct stmt **stmts, int n)
{
	int i = 0;

	while (i < n) {
		int j = i, count = 0;

		/* one ACT for a run of simple statements and what ends it */
		while (j < n) {
			if (stmts[j]->kind != S_BLOCK && stmts[j]->kind != S_NULL)
				count++;
			if (is_compound(stmts[j++]))
				break;
		}
		if (count) {
			loc(f, stmts[i]->tok);
			pb_emit(f->g->pb, BT_OP_ACT, BT_ACT_LE0, 0,
				(uint32_t)count & 0xffff, (uint32_t)count >> 16);
		}
		for (; i < j; i++)
			gen_stmt(f, stmts[i]);
	}
}

void gen_body(struct fn *f, struct stmt *st)
{
	if (st->kind == S_BLOCK)
		gen_block(f, st->stmts, st->nstmts);
	else
		gen_block(f, &st, 1);
}

static void push_loop(struct fn *f, struct loopctx *lc, struct label *brk,
		      struct label *cont)
{
	lc->brk = brk;
	lc->cont = cont;
	lc->try_depth = f->try_depth;
	lc->outer = f->loop;
	f->loop = lc;
}

/*
 * A loop's body with break and continue bound to BRK and CONT; continue
 * lands after it.
 */
static void gen_loop_body(struct fn *f, struct stmt *body, struct label *brk,
			  struct label *cont)
{
	struct loopctx lc;

	push_loop(f, &lc, brk, cont);
	gen_body(f, body);
	f->loop = lc.outer;
	label_here(f, cont);
}

/* The jump back to HEAD that ends a loop, and its break label after it. */
static void close_loop(struct fn *f, uint32_t head, struct label *brk)
{
	emit(f, BT_OP_LOOP, BT_ACT_LE0, head, 1, 0);
	label_here(f, brk);
}

/* do BODY while (E): the body first; continue goes to the test */
static void gen_do_while(struct fn *f, struct stmt *st)
{
	struct label *brk = label_new(), *cont = label_new();
	uint32_t head = pb_pc(f->g->pb);

	gen_loop_body(f, st->body, brk, cont);
	gen_branch(f, st->expr, 0, brk);
	close_loop(f, head, brk);
}

static void gen_while(struct fn *f, struct stmt *st)
{
	struct label *brk = label_new(), *cont = label_new();
	uint32_t head = pb_pc(f->g->pb);

	if (st->do_while) {
		free(brk);
		free(cont);
		gen_do_while(f, st);
		return;
	}

	gen_branch(f, st->expr, 0, brk);
	gen_loop_body(f, st->body, brk, cont);
	close_loop(f, head, brk);
}

static void gen_for(struct fn *f, struct stmt *st)
{
	struct label *brk = label_new(), *cont = label_new();
	uint32_t head;

	if (st->init)
		gen(f, st->init, -1);
	head = pb_pc(f->g->pb);
	if (st->expr)
		gen_branch(f, st->expr, 0, brk);
	gen_loop_body(f, st->body, brk, cont);
	if (st->step) {
		int mr = f->top_r, ms = f->top_s;

		if (st->step->kind == E_POSTINC)	/* value unused */
			st->step->kind = E_PREINC;
		else if (st->step->kind == E_POSTDEC)
			st->step->kind = E_PREDEC;

		gen(f, st->step, -1);
		f->top_r = mr;
		f->top_s = ms;
	}
	close_loop(f, head, brk);
}

/* Load an iterator's key c (or value) into sym, a local or a global. */
static void assign_local(struct fn *f, struct symbol *sym, unsigned op_int,
			 unsigned op_str, int it, int c)
{
	int str, reg;

	if (!sym)
		return;
	str = sym->type == TY_STRING;
	if (sym->kind != SYM_GLOBAL) {
		emit(f, str ? op_str : op_int, 0, f->local_reg[sym->index], it, c);
		return;
	}
	/* stap allows a global as a foreach variable */
	reg = str ? tmp_s(f) : tmp_r(f);
	emit(f, str ? op_str : op_int, 0, reg, it, c);
	emit(f, str ? BT_OP_GSST : BT_OP_GST, 0, slot_of(f, sym)->index, reg, 0);
	if (str)
		f->top_s--;
	else
		f->top_r--;
}

/* sym = int register v, for a local or a global */
static void store_sym(struct fn *f, struct symbol *sym, int v)
{
	if (sym->kind == SYM_GLOBAL)
		emit(f, BT_OP_GST, 0, slot_of(f, sym)->index, v, 0);
	else
		emit(f, BT_OP_MOV, 0, f->local_reg[sym->index], v, 0);
}

/* foreach over the buckets of a histogram: b = 0 .. nbuckets-1 */
static void gen_foreach_hist(struct fn *f, struct stmt *st)
{
	struct foreach *fe = st->fe;
	struct expr *h = fe->base, *lv = h->lhs;
	struct gslot *gs = slot_of(f, lv->sym);
	struct label *brk = label_new(), *cont = label_new();
	int nb, kb = 0, ks = 0, i, lim, b, cnt;
	uint32_t head;

	nb = gs->hist_kind == BT_HIST_LOG ? 128 :
	     (int)((gs->hist_stop - gs->hist_start) / gs->hist_interval + 3);
	if (lv->kind == E_INDEX)
		gen_keys(f, lv->sym, lv->args, lv->nargs, &kb, &ks);
	i = tmp_r(f);
	lim = tmp_r(f);
	cnt = tmp_r(f);
	load_int(f, i, -1);
	load_int(f, lim, nb - 1);
	head = pb_pc(f->g->pb);
	jump(f, brk, BT_OP_JCMP, BT_CMP_GE, i, lim);
	emit(f, BT_OP_ADDI, 0, i, i, 1);
	b = tmp_r(f);
	emit(f, BT_OP_MOV, 0, b, i, 0);
	if (fe->keys[0])
		store_sym(f, fe->keys[0], b);
	if (fe->value) {
		emit(f, BT_OP_MOV, 0, cnt, i, 0);
		loc(f, h->tok);
		emit_map(f, BT_OP_MHIST, 0, cnt, lv->sym, kb, ks, 0, 0);
		store_sym(f, fe->value, cnt);
	}
	gen_loop_body(f, fe->body, brk, cont);
	close_loop(f, head, brk);
}

static void gen_foreach(struct fn *f, struct stmt *st)
{
	struct foreach *fe = st->fe;
	struct symbol *arr;
	struct label *brk = label_new(), *cont = label_new();
	int slice[MAX_ARRAY_KEYS], i, it, lim = -1, n = -1;
	unsigned sort = BT_SORT_NONE, col = 0, stat = BT_AGG_COUNT;
	uint32_t head;

	if (fe->base->kind == E_HIST) {
		free(brk);
		free(cont);
		gen_foreach_hist(f, st);
		return;
	}
	arr = fe->base->sym;
	if (fe->slice)
		gen_slice_values(f, arr, fe->slice, fe->nkeys, slice);
	else
		for (i = 0; i < fe->nkeys; i++)
			slice[i] = -1;
	if (fe->limit) {
		lim = gen(f, fe->limit, tmp_r(f));
		n = tmp_r(f);
		load_int(f, n, 0);
	}
	if (fe->sort_dir)
		sort = fe->sort_dir > 0 ? BT_SORT_ASC : BT_SORT_DESC;
	col = fe->sort_key;
	stat = agg_of[fe->sort_stat];
	it = f->top_it++;
	if (f->top_it > f->max_it)
		f->max_it = f->top_it;
	loc(f, fe->base->tok);
	emit(f, BT_OP_ITINIT, sort, it, slot_of(f, arr)->index, 0);
	emit(f, BT_OP_EXT, 0, col, stat, 0);
	head = pb_pc(f->g->pb);
	jump(f, brk, BT_OP_ITNEXT, 0, it, 0);
	emit_slice_filter(f, arr, it, slice, fe->nkeys, cont);
	if (fe->limit) {
		jump(f, brk, BT_OP_JCMP, BT_CMP_GE, n, lim);
		emit(f, BT_OP_ADDI, 0, n, n, 1);
	}
	for (i = 0; i < fe->nkeys; i++)
		assign_local(f, fe->keys[i], BT_OP_ITKEY, BT_OP_ITKEYS, it, i);
	if (fe->value && arr->type != TY_STATS)
		assign_local(f, fe->value, BT_OP_ITVAL, BT_OP_ITVALS, it, 0);
	gen_loop_body(f, fe->body, brk, cont);
	close_loop(f, head, brk);
	f->top_it--;
}

static void delete_match(struct fn *f, int it, struct symbol *arr,
			 struct label *done, void *arg)
{
	int kb, ks, ni = 0, ns = 0, i;

	for (i = 0; i < arr->nkeys; i++) {
		if (arr->key_types[i] == TY_STRING)
			ns++;
		else
			ni++;
	}
	kb = ni ? block_r(f, ni) : 0;
	ks = ns ? block_s(f, ns) : 0;
	ni = ns = 0;
	for (i = 0; i < arr->nkeys; i++) {
		if (arr->key_types[i] == TY_STRING)
			emit(f, BT_OP_ITKEYS, 0, ks + ns++, it, i);
		else
			emit(f, BT_OP_ITKEY, 0, kb + ni++, it, i);
	}
	emit_map(f, BT_OP_MDEL, 0, 0, arr, kb, ks, 0, 0);
}

static void gen_delete(struct fn *f, struct stmt *st)
{
	struct expr *e = st->expr;
	struct symbol *sym = e->sym;
	int kb, ks, i;

	if (e->kind == E_VAR) {
		/*
		 * A deleted scalar is reset to its type's empty value, as in
		 * stap.  Sema types the symbol, not this bare operand (it is
		 * never read), so the symbol's type says which value and
		 * which store.
		 */
		bool str = sym->type == TY_STRING;
		int v;

		if (sym->is_array || sym->type == TY_STATS) {
			emit(f, BT_OP_MCLEAR, 0, 0, slot_of(f, sym)->index, 0);
			return;
		}
		v = str ? tmp_s(f) : tmp_r(f);
		if (str)
			load_str(f, v, "");
		else
			load_int(f, v, 0);
		if (sym->kind == SYM_GLOBAL)
			emit(f, str ? BT_OP_GSST : BT_OP_GST, 0,
			     slot_of(f, sym)->index, v, 0);
		else
			emit(f, str ? BT_OP_SMOV : BT_OP_MOV, 0,
			     f->local_reg[sym->index], v, 0);
		return;
	}
	for (i = 0; i < e->nargs; i++)
		if (!e->args[i])
			break;
	if (i < e->nargs) {
		for_matching(f, sym, e->args, e->nargs, delete_match, NULL);
		return;
	}
	gen_keys(f, sym, e->args, e->nargs, &kb, &ks);
	emit_map(f, BT_OP_MDEL, 0, 0, sym, kb, ks, 0, 0);
}

static void gen_try(struct fn *f, struct stmt *st)
{
	struct label *lcatch = label_new(), *lend = label_new();

	jump(f, lcatch, BT_OP_TRY, 0, 0, 0);
	f->try_depth++;
	if (f->try_depth > f->max_try)
		f->max_try = f->try_depth;
	gen_body(f, st->body);
	f->try_depth--;
	emit(f, BT_OP_TRYEND, 0, 0, 0, 0);
	jump(f, lend, BT_OP_JMP, 0, 0, 0);
	label_here(f, lcatch);
	if (st->catch_var)
		emit(f, BT_OP_CATCHMSG, 0, f->local_reg[st->catch_var->index], 0, 0);
	if (st->catch_body)
		gen_body(f, st->catch_body);
	label_here(f, lend);
}

static void gen_jump_out(struct fn *f, struct stmt *st, int is_break)
{
	assert(f->loop);	/* the parser allows break/continue only in loops */
	/* leaving try blocks on the way pops their catch frames */
	jump(f, is_break ? f->loop->brk : f->loop->cont, BT_OP_JMP,
	     f->try_depth - f->loop->try_depth, 0, 0);
}

static void gen_return(struct fn *f, struct stmt *st)
{
	int v;

	if (!f->func) {
		emit(f, BT_OP_NEXT, 0, 0, 0, 0);
		return;
	}
	if (!st->expr || f->func->ret_type == TY_UNKNOWN) {
		if (st->expr)
			gen(f, st->expr, -1);
		emit(f, BT_OP_RET, 0, 0, 0, 0);
		return;
	}
	v = gen(f, st->expr, -1);
	emit(f, f->func->ret_type == TY_STRING ? BT_OP_RETS : BT_OP_RETI, 0, v, 0, 0);
}

/* `next` in a function: call the next overload with the same arguments. */
static void gen_next_overload(struct fn *f, struct stmt *st)
{
	struct func *fn = f->func, *nx = fn->next_overload;
	int ni = 0, ns = 0, rb, sb, i;
	int err;

	if (!nx) {
		err = tmp_s(f);
		load_str(f, err, "next called with no more overloads");
		loc(f, st->tok);
		emit(f, BT_OP_ERROR, 0, err, 0, 0);
		return;
	}
	for (i = 0; i < fn->nparams; i++) {
		if (fn->locals[i]->type == TY_STRING)
			ns++;
		else
			ni++;
	}
	rb = block_r(f, ni ? ni : 1);
	sb = block_s(f, ns ? ns : 1);
	ni = ns = 0;
	for (i = 0; i < fn->nparams; i++) {
		int r = f->local_reg[fn->locals[i]->index];

		if (fn->locals[i]->type == TY_STRING)
			emit(f, BT_OP_SMOV, 0, sb + ns++, r, 0);
		else
			emit(f, BT_OP_MOV, 0, rb + ni++, r, 0);
	}
	loc(f, st->tok);
	emit(f, BT_OP_CALL, 0, nx->index, rb, sb);
	if (fn->ret_type == TY_STRING)
		emit(f, BT_OP_RETS, 0, sb, 0, 0);
	else if (fn->ret_type == TY_LONG)
		emit(f, BT_OP_RETI, 0, rb, 0, 0);
	else
		emit(f, BT_OP_RET, 0, 0, 0, 0);
}

static void gen_stmt(struct fn *f, struct stmt *st)
{
	int mark_r = f->top_r, mark_s = f->top_s;
	struct label *lelse, *lend;

	switch (st->kind) {
	case S_NULL:
		break;
	case S_EXPR:
		if (st->expr->kind == E_POSTINC)
			st->expr->kind = E_PREINC;	/* value unused */
		else if (st->expr->kind == E_POSTDEC)
			st->expr->kind = E_PREDEC;
		gen(f, st->expr, -1);
		break;
	case S_BLOCK:
		gen_block(f, st->stmts, st->nstmts);
		break;
	case S_IF:
		lelse = label_new();
		gen_branch(f, st->expr, 0, lelse);
		gen_body(f, st->then);
		if (st->els) {
			lend = label_new();
			jump(f, lend, BT_OP_JMP, 0, 0, 0);
			label_here(f, lelse);
			gen_body(f, st->els);
			label_here(f, lend);
		} else {
			label_here(f, lelse);
		}
		break;
	case S_WHILE:
		gen_while(f, st);
		break;
	case S_FOR:
		gen_for(f, st);
		break;
	case S_FOREACH:
		gen_foreach(f, st);
		break;
	case S_BREAK:
		gen_jump_out(f, st, 1);
		break;
	case S_CONTINUE:
		gen_jump_out(f, st, 0);
		break;
	case S_NEXT:
		if (f->func)
			gen_next_overload(f, st);
		else
			emit(f, BT_OP_NEXT, 0, 0, 0, 0);
		break;
	case S_RETURN:
		gen_return(f, st);
		break;
	case S_DELETE:
		gen_delete(f, st);
		break;
	case S_TRY:
		gen_try(f, st);
		break;
	}
	f->top_r = mark_r;
	f->top_s = mark_s;
}

/* --- functions and probes -------------------------------------------- */

/* Give every local a register; params first, ints and strings apart. */
static void assign_locals(struct fn *f, struct symbol **locals, int n,
			  int *nparam_i, int *nparam_s, int nparams)
{
	int i;

	f->local_reg = xcalloc(n ? n : 1, sizeof(int));
	for (i = 0; i < n; i++) {
		struct symbol *sym = locals[i];

		if (sym->type == TY_STRING)
			f->local_reg[sym->index] = tmp_s(f);
		else
			f->local_reg[sym->index] = tmp_r(f);
		if (i + 1 == nparams) {
			*nparam_i = f->top_r;
			*nparam_s = f->top_s;
		}
	}
}

void finish_fn(struct fn *f, int nparam_i, int nparam_s, int ret)
{
	struct bt_func_decl d = { 0 };

	if (f->max_r > 65535 || f->max_s > 65535 ||
	    pb_pc(f->g->pb) >= BT_MAX_FUNC_INSNS) {
		cg_error(f->g, f->func ? f->func->tok : f->probe->tok,
			 "function or probe too large for the VM");
	}
	d.nregs = f->max_r;
	d.nstrs = f->max_s;
	d.niters = f->max_it;
	d.ntries = f->max_try;
	d.nparam_i = nparam_i;
	d.nparam_s = nparam_s;
	d.ret_kind = ret;
	pb_func_end(f->g->pb, &d);
	free(f->local_reg);
}

void gen_func(struct gen *g, struct func *fn)
{
	struct fn f = { .g = g, .func = fn };
	int npi = 0, nps = 0;
	int ret = fn->ret_type == TY_LONG ? BT_KIND_INT :
		  fn->ret_type == TY_STRING ? BT_KIND_STR : BT_KIND_NONE;

	begin_func(g, fn->index);
	assign_locals(&f, fn->locals, fn->nlocals, &npi, &nps, fn->nparams);
	gen_body(&f, fn->body);
	emit(&f, BT_OP_RET, 0, 0, 0, 0);
	finish_fn(&f, npi, nps, ret);
}

/* Probe conditions `probe X if (c)`: skip the handler when c is false. */
void gen_probe_body(struct gen *g, struct probe *p, uint32_t index)
{
	struct fn f = { .g = g, .probe = p };
	int npi = 0, nps = 0, i;

	begin_func(g, index);
	assign_locals(&f, p->locals, p->nlocals, &npi, &nps, 0);
	for (i = 0; i < p->npoints; i++) {
		if (p->points[i]->cond && p->npoints == 1) {
			struct label *run = label_new();

			gen_branch(&f, p->points[i]->cond, 1, run);
			emit(&f, BT_OP_NEXT, 0, 0, 0, 0);
			label_here(&f, run);
		}
	}
	gen_body(&f, p->body);
	emit(&f, BT_OP_RET, 0, 0, 0, 0);
	finish_fn(&f, 0, 0, BT_KIND_NONE);
}
