/*
 * codegen/expr.c - expressions: gen() puts an expression's value in a
 * register (the one asked for, or a temporary), gen_branch() jumps on
 * its truth.  Also map keys, calls, printing, and the array-slice loops
 * that `in`, delete and foreach share.
 */
#include <assert.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "builtins.h"
#include "bt_builtin.h"

/* Does evaluating e write anything (so operand order matters)? */
static int has_effects(const struct expr *e)
{
	int i;

	if (!e)
		return 0;
	switch (e->kind) {
	case E_ASSIGN: case E_PREINC: case E_PREDEC: case E_POSTINC:
	case E_POSTDEC: case E_CALL: case E_PRINT: case E_REGEX:
		return 1;
	default:
		break;
	}
	if (has_effects(e->lhs) || has_effects(e->rhs) || has_effects(e->cond))
		return 1;
	for (i = 0; i < e->nargs; i++)
		if (has_effects(e->args[i]))
			return 1;
	return 0;
}


/*
 * Value of e in a register (a string one when STR) that later code may
 * not overwrite: a local that LATER may change is copied first.
 */
static int gen_stable(struct fn *f, struct expr *e, struct expr *later,
		      bool str)
{
	int r = gen(f, e, -1);

	if (has_effects(later) && e->kind == E_VAR && e->sym->kind != SYM_GLOBAL) {
		int t = str ? tmp_s(f) : tmp_r(f);

		emit(f, str ? BT_OP_SMOV : BT_OP_MOV, 0, t, r, 0);
		return t;
	}
	return r;
}

static int gen_int_stable(struct fn *f, struct expr *e, struct expr *later)
{
	return gen_stable(f, e, later, false);
}

static int gen_str_stable(struct fn *f, struct expr *e, struct expr *later)
{
	return gen_stable(f, e, later, true);
}
/*
 * Evaluate a key tuple into consecutive registers: int keys from *kb,
 * string keys from *ks.  NULL keys (wildcards) are not allowed here.
 */
void gen_keys(struct fn *f, struct symbol *arr, struct expr **keys,
		     int nkeys, int *kb, int *ks)
{
	int ni = 0, ns = 0, i;

	for (i = 0; i < nkeys; i++) {
		if (arr->key_types[i] == TY_STRING)
			ns++;
		else
			ni++;
	}
	*kb = ni ? block_r(f, ni) : 0;
	*ks = ns ? block_s(f, ns) : 0;
	ni = ns = 0;
	for (i = 0; i < nkeys; i++) {
		if (arr->key_types[i] == TY_STRING)
			gen(f, keys[i], *ks + ns++);
		else
			gen(f, keys[i], *kb + ni++);
	}
}
static int gen_var(struct fn *f, struct expr *e, int dst)
{
	struct symbol *sym = e->sym;

	if (sym->kind != SYM_GLOBAL) {
		int r = f->local_reg[sym->index];

		if (dst < 0 || dst == r)
			return r;
		emit(f, is_str(e) ? BT_OP_SMOV : BT_OP_MOV, 0, dst, r, 0);
		return dst;
	}
	assert(!sym->is_array && sym->type != TY_STATS);
	if (is_str(e)) {
		dst = want_s(f, dst);
		emit(f, BT_OP_GSLD, 0, dst, slot_of(f, sym)->index, 0);
	} else {
		dst = want_r(f, dst);
		emit(f, BT_OP_GLD, 0, dst, slot_of(f, sym)->index, 0);
	}
	return dst;
}

static int gen_index(struct fn *f, struct expr *e, int dst)
{
	int kb, ks;

	assert(e->sym->type != TY_STATS);
	gen_keys(f, e->sym, e->args, e->nargs, &kb, &ks);
	loc(f, e->tok);
	if (is_str(e)) {
		dst = want_s(f, dst);
		emit_map(f, BT_OP_MGETS, 0, dst, e->sym, kb, ks, 0, 0);
	} else {
		dst = want_r(f, dst);
		emit_map(f, BT_OP_MGET, 0, dst, e->sym, kb, ks, 0, 0);
	}
	return dst;
}
/*
 * Arguments of a call-like instruction: ints in order from *rb, strings
 * from *sb.  res_kind reserves a result slot of that type.
 */
static void gen_args(struct fn *f, struct expr **args, int nargs,
		     int res_kind, int *rb, int *sb)
{
	int ni = 0, ns = 0, i;

	for (i = 0; i < nargs; i++) {
		if (is_str(args[i]))
			ns++;
		else
			ni++;
	}
	if (res_kind == TY_LONG && ni == 0)
		ni = 1;
	if (res_kind == TY_STRING && ns == 0)
		ns = 1;
	*rb = ni ? block_r(f, ni) : 0;
	*sb = ns ? block_s(f, ns) : 0;
	ni = ns = 0;
	for (i = 0; i < nargs; i++) {
		if (is_str(args[i]))
			gen(f, args[i], *sb + ns++);
		else
			gen(f, args[i], *rb + ni++);
	}
}

static int gen_hist_print(struct fn *f, struct expr *e, struct expr *h)
{
	struct expr *base = h->lhs;
	int kb = 0, ks = 0;

	assert(!e->is_sprint);
	if (base->kind == E_INDEX)
		gen_keys(f, base->sym, base->args, base->nargs, &kb, &ks);
	loc(f, h->tok);
	emit_map(f, BT_OP_PRINTHIST, e->print_kind == PRINT_LN ? 1 : 0, 0,
		 base->sym, kb, ks, 0, 0);
	return -1;
}

static int gen_print(struct fn *f, struct expr *e, int dst)
{
	charvec fmt = { 0 };
	int rb, sb, i, ni = 0, ns = 0;
	uint32_t fi;

	if ((e->print_kind == PRINT_PLAIN || e->print_kind == PRINT_LN) &&
	    e->nargs == 1 && e->args[0]->kind == E_HIST)
		return gen_hist_print(f, e, e->args[0]);

	if (e->print_kind == PRINT_F) {
		fmt_append_lit(&fmt, "", 0);
		VEC_RESERVE(fmt, e->str_len + 1);
		memcpy(fmt.a, e->str, e->str_len);
		fmt.n = e->str_len;
	} else {
		for (i = 0; i < e->nargs; i++) {
			const char *conv = is_str(e->args[i]) ? "%s" : "%d";

			if (i && (e->print_kind == PRINT_D || e->print_kind == PRINT_DLN))
				fmt_append_lit(&fmt, e->str, e->str_len);
			VEC_PUSH(fmt, conv[0]);
			VEC_PUSH(fmt, conv[1]);
		}
		if (e->print_kind == PRINT_LN || e->print_kind == PRINT_DLN)
			VEC_PUSH(fmt, '\n');
	}
	VEC_PUSH(fmt, 0);
	for (i = 0; i < e->nargs; i++) {
		if (is_str(e->args[i]))
			ns++;
		else
			ni++;
	}
	fi = pb_format(f->g->pb, fmt.a, ni, ns);
	VEC_FREE(fmt);
	gen_args(f, e->args, e->nargs, TY_UNKNOWN, &rb, &sb);
	loc(f, e->tok);
	if (!e->is_sprint) {
		emit(f, BT_OP_PRINTF, 0, fi, rb, sb);
		return -1;
	}
	dst = want_s(f, dst);
	emit(f, BT_OP_SPRINTF, 0, fi, rb, sb);
	emit(f, BT_OP_EXT, 0, dst, 0, 0);
	return dst;
}

static int gen_builtin(struct fn *f, struct expr *e, int dst)
{
	const struct builtin_sig *b = e->builtin;
	int rb, sb;
	uint32_t fi;

	switch (b->special) {
	case BS_EXIT:
		emit(f, BT_OP_EXIT, 0, 0, 0, 0);
		return -1;
	case BS_ERROR:
		sb = gen(f, e->args[0], -1);
		loc(f, e->tok);
		emit(f, BT_OP_ERROR, 0, sb, 0, 0);
		return -1;
	case BS_LOG:
	case BS_PRINT_CHAR:
		fi = b->special == BS_LOG ? pb_format(f->g->pb, "%s\n", 0, 1)
					  : pb_format(f->g->pb, "%c", 1, 0);
		gen_args(f, e->args, e->nargs, TY_UNKNOWN, &rb, &sb);
		emit(f, BT_OP_PRINTF, 0, fi, rb, sb);
		return -1;
	case BS_NONE:
		break;
	}
	gen_args(f, e->args, e->nargs, b->ret, &rb, &sb);
	loc(f, e->tok);
	emit(f, BT_OP_CALLB, 0, b->id, rb, sb);
	if (b->ret == TY_LONG) {
		if (dst >= 0 && dst != rb)
			emit(f, BT_OP_MOV, 0, dst, rb, 0);
		return dst >= 0 ? dst : rb;
	}
	if (b->ret == TY_STRING) {
		if (dst >= 0 && dst != sb)
			emit(f, BT_OP_SMOV, 0, dst, sb, 0);
		return dst >= 0 ? dst : sb;
	}
	return -1;
}

static int gen_call(struct fn *f, struct expr *e, int dst)
{
	int rb, sb;

	if (e->builtin)
		return gen_builtin(f, e, dst);
	gen_args(f, e->args, e->nargs, e->func->ret_type, &rb, &sb);
	loc(f, e->tok);
	emit(f, BT_OP_CALL, 0, e->func->index, rb, sb);
	if (e->func->ret_type == TY_LONG) {
		if (dst >= 0 && dst != rb)
			emit(f, BT_OP_MOV, 0, dst, rb, 0);
		return dst >= 0 ? dst : rb;
	}
	if (e->func->ret_type == TY_STRING) {
		if (dst >= 0 && dst != sb)
			emit(f, BT_OP_SMOV, 0, dst, sb, 0);
		return dst >= 0 ? dst : sb;
	}
	return -1;
}

static unsigned arith_op(enum op op)
{
	switch (op) {
	case OP_ADD: return BT_OP_ADD;
	case OP_SUB: return BT_OP_SUB;
	case OP_MUL: return BT_OP_MUL;
	case OP_DIV: return BT_OP_DIV;
	case OP_MOD: return BT_OP_MOD;
	case OP_SHL: return BT_OP_SHL;
	case OP_SHR: return BT_OP_SHR;
	case OP_USHR: return BT_OP_USHR;
	case OP_BITAND: return BT_OP_AND;
	case OP_BITOR: return BT_OP_OR;
	case OP_BITXOR: return BT_OP_XOR;
	default: return BT_OP_NOP;
	}
}

static int cmp_of(enum op op)
{
	switch (op) {
	case OP_EQ: return BT_CMP_EQ;
	case OP_NE: return BT_CMP_NE;
	case OP_LT: return BT_CMP_LT;
	case OP_LE: return BT_CMP_LE;
	case OP_GT: return BT_CMP_GT;
	case OP_GE: return BT_CMP_GE;
	default: return -1;
	}
}

static int cmp_negate(int c)
{
	static const int neg[] = {
		[BT_CMP_EQ] = BT_CMP_NE, [BT_CMP_NE] = BT_CMP_EQ,
		[BT_CMP_LT] = BT_CMP_GE, [BT_CMP_LE] = BT_CMP_GT,
		[BT_CMP_GT] = BT_CMP_LE, [BT_CMP_GE] = BT_CMP_LT,
	};
	return neg[c];
}

static int gen_logical(struct fn *f, struct expr *e, int dst)
{
	struct label *lfalse = label_new(), *lend = label_new();

	dst = want_r(f, dst);
	gen_branch(f, e, 0, lfalse);
	load_int(f, dst, 1);
	jump(f, lend, BT_OP_JMP, 0, 0, 0);
	label_here(f, lfalse);
	load_int(f, dst, 0);
	label_here(f, lend);
	return dst;
}

static int gen_binary(struct fn *f, struct expr *e, int dst)
{
	int mark_r = f->top_r, mark_s = f->top_s;
	int a, b, c;

	if (e->op == OP_LAND || e->op == OP_LOR)
		return gen_logical(f, e, dst);
	c = cmp_of(e->op);
	if (e->op == OP_CONCAT) {
		a = gen_str_stable(f, e->lhs, e->rhs);
		b = gen(f, e->rhs, -1);
		dst = want_s(f, dst);
		emit(f, BT_OP_SCAT, 0, dst, a, b);
		return dst;
	}
	if (c >= 0 && is_str(e->lhs)) {
		a = gen_str_stable(f, e->lhs, e->rhs);
		b = gen(f, e->rhs, -1);
		dst = want_r(f, dst);
		emit(f, BT_OP_SCMP, c, dst, a, b);
		return dst;
	}
	a = gen_int_stable(f, e->lhs, e->rhs);
	b = gen(f, e->rhs, -1);
	/* the operands are dead once combined; reuse their temporaries */
	if (dst < 0) {
		/* the VM reads operands before writing, so a temp may be reused */
		f->top_r = mark_r;
		f->top_s = mark_s;
		dst = tmp_r(f);
	}
	if (c >= 0) {
		emit(f, BT_OP_CMP, c, dst, a, b);
		return dst;
	}
	if (e->op == OP_DIV || e->op == OP_MOD)
		loc(f, e->tok);
	emit(f, arith_op(e->op), 0, dst, a, b);
	return dst;
}

static int gen_unary(struct fn *f, struct expr *e, int dst)
{
	int a = gen(f, e->lhs, -1);

	switch (e->op) {
	case OP_PLUS:
		if (dst >= 0 && dst != a)
			emit(f, BT_OP_MOV, 0, dst, a, 0);
		return dst >= 0 ? dst : a;
	case OP_NEG:
		dst = want_r(f, dst);
		emit(f, BT_OP_NEG, 0, dst, a, 0);
		return dst;
	case OP_BITNOT:
		dst = want_r(f, dst);
		emit(f, BT_OP_NOT, 0, dst, a, 0);
		return dst;
	default:
		dst = want_r(f, dst);
		emit(f, BT_OP_LNOT, 0, dst, a, 0);
		return dst;
	}
}

/* The regex was compiled by sema (e->re_code). */
static int gen_regex(struct fn *f, struct expr *e, int dst)
{
	uint32_t rx;
	int s;

	assert(e->rhs && e->rhs->kind == E_STR && e->re_code);
	rx = pb_regex(f->g->pb, e->re_code, e->re_len, e->rhs->str);
	s = gen(f, e->lhs, -1);
	dst = want_r(f, dst);
	emit(f, BT_OP_MATCH, e->op == OP_NMATCH, dst, s, rx);
	return dst;
}

/* Store value register v (of e's type) into lvalue lv. */
void store_lvalue(struct fn *f, struct expr *lv, int v, int kb, int ks)
{
	struct symbol *sym = lv->sym;

	if (lv->kind == E_INDEX) {
		emit_map(f, is_str(lv) ? BT_OP_MSETS : BT_OP_MSET, 0, v, sym, kb, ks, 0, 0);
	} else if (sym->kind == SYM_GLOBAL) {
		emit(f, is_str(lv) ? BT_OP_GSST : BT_OP_GST, 0,
		     slot_of(f, sym)->index, v, 0);
	} else if (f->local_reg[sym->index] != v) {
		emit(f, is_str(lv) ? BT_OP_SMOV : BT_OP_MOV, 0,
		     f->local_reg[sym->index], v, 0);
	}
}

/* Current value of lvalue lv (keys already in kb/ks). */
static int load_lvalue(struct fn *f, struct expr *lv, int kb, int ks)
{
	struct symbol *sym = lv->sym;
	int d;

	if (lv->kind == E_INDEX) {
		d = is_str(lv) ? tmp_s(f) : tmp_r(f);
		emit_map(f, is_str(lv) ? BT_OP_MGETS : BT_OP_MGET, 0, d, sym, kb, ks, 0, 0);
		return d;
	}
	if (sym->kind == SYM_GLOBAL)
		return gen_var(f, lv, -1);
	return f->local_reg[sym->index];
}

static int gen_agg(struct fn *f, struct expr *e)
{
	struct expr *lv = e->lhs;
	int kb = 0, ks = 0, v;

	if (lv->kind == E_INDEX)
		gen_keys(f, lv->sym, lv->args, lv->nargs, &kb, &ks);
	v = gen(f, e->rhs, -1);
	loc(f, lv->tok);
	emit_map(f, BT_OP_MSTAT, 0, v, lv->sym, kb, ks, 0, 0);
	return v;
}

static int gen_assign(struct fn *f, struct expr *e, int dst)
{
	struct expr *lv = e->lhs;
	struct symbol *sym = lv->sym;
	int kb = 0, ks = 0, v, cur;

	if (e->op == OP_AGG)
		return gen_agg(f, e);
	if (lv->kind == E_INDEX)
		gen_keys(f, sym, lv->args, lv->nargs, &kb, &ks);

	if (e->op == OP_NONE) {
		int into = -1;

		if (lv->kind == E_VAR && sym->kind != SYM_GLOBAL)
			into = f->local_reg[sym->index];
		v = gen(f, e->rhs, into);
		loc(f, lv->tok);
		store_lvalue(f, lv, v, kb, ks);
		goto out;
	}
	if (lv->kind == E_INDEX && e->op == OP_ADD && is_long(lv)) {
		v = tmp_r(f);
		gen(f, e->rhs, v);
		loc(f, lv->tok);
		emit_map(f, BT_OP_MADD, 0, v, sym, kb, ks, 0, 0);
		goto out;
	}
	loc(f, lv->tok);
	cur = load_lvalue(f, lv, kb, ks);
	if (e->op == OP_CONCAT) {
		int r = gen(f, e->rhs, -1);

		v = lv->kind == E_VAR && sym->kind != SYM_GLOBAL ? cur : tmp_s(f);
		emit(f, BT_OP_SCAT, 0, v, cur, r);
	} else {
		int r = gen(f, e->rhs, -1);

		v = lv->kind == E_VAR && sym->kind != SYM_GLOBAL ? cur : tmp_r(f);
		if (e->op == OP_DIV || e->op == OP_MOD)
			loc(f, e->tok);
		emit(f, arith_op(e->op), 0, v, cur, r);
	}
	loc(f, lv->tok);
	store_lvalue(f, lv, v, kb, ks);
out:
	if (dst >= 0 && dst != v)
		emit(f, is_str(lv) ? BT_OP_SMOV : BT_OP_MOV, 0, dst, v, 0);
	return dst >= 0 ? dst : v;
}

static int gen_incdec(struct fn *f, struct expr *e, int dst)
{
	struct expr *lv = e->lhs;
	struct symbol *sym = lv->sym;
	int delta = (e->kind == E_PREINC || e->kind == E_POSTINC) ? 1 : -1;
	int post = e->kind == E_POSTINC || e->kind == E_POSTDEC;
	int kb = 0, ks = 0, v, res;

	if (lv->kind == E_INDEX) {
		gen_keys(f, sym, lv->args, lv->nargs, &kb, &ks);
		v = tmp_r(f);
		load_int(f, v, delta);
		loc(f, lv->tok);
		emit_map(f, BT_OP_MADD, 0, v, sym, kb, ks, 0, 0);
		if (post)
			emit(f, BT_OP_ADDI, 0, v, v, (uint16_t)(int16_t)-delta);
		res = v;
	} else if (sym->kind == SYM_GLOBAL) {
		v = gen_var(f, lv, -1);
		res = v;
		if (post && dst != -2) {
			res = tmp_r(f);
			emit(f, BT_OP_MOV, 0, res, v, 0);
		}
		emit(f, BT_OP_ADDI, 0, v, v, (uint16_t)(int16_t)delta);
		emit(f, BT_OP_GST, 0, slot_of(f, sym)->index, v, 0);
	} else {
		v = f->local_reg[sym->index];
		res = v;
		if (post && dst != -2) {
			res = tmp_r(f);
			emit(f, BT_OP_MOV, 0, res, v, 0);
		}
		emit(f, BT_OP_ADDI, 0, v, v, (uint16_t)(int16_t)delta);
	}
	if (dst >= 0 && dst != res)
		emit(f, BT_OP_MOV, 0, dst, res, 0);
	return dst >= 0 ? dst : res;
}

static int gen_ternary(struct fn *f, struct expr *e, int dst)
{
	struct label *lelse = label_new(), *lend = label_new();

	dst = is_str(e) ? want_s(f, dst) : want_r(f, dst);
	gen_branch(f, e->cond, 0, lelse);
	gen(f, e->lhs, dst);
	jump(f, lend, BT_OP_JMP, 0, 0, 0);
	label_here(f, lelse);
	gen(f, e->rhs, dst);
	label_here(f, lend);
	return dst;
}

/*
 * A key slice a[k1, *, k3]: the given keys' values in registers (vals[i]),
 * -1 for the wildcards; evaluated once, before the loop.
 */
void gen_slice_values(struct fn *f, struct symbol *arr, struct expr **keys,
			     int nkeys, int *vals)
{
	int i;

	for (i = 0; i < nkeys; i++) {
		vals[i] = -1;
		if (keys[i])
			vals[i] = gen(f, keys[i], arr->key_types[i] == TY_STRING ?
				      tmp_s(f) : tmp_r(f));
	}
}

/* Jump to skip unless iterator it's element matches every non-wildcard key. */
void emit_slice_filter(struct fn *f, struct symbol *arr, int it,
			      const int *vals, int nkeys, struct label *skip)
{
	int i;

	for (i = 0; i < nkeys; i++) {
		if (vals[i] < 0)
			continue;
		if (arr->key_types[i] == TY_STRING) {
			int k = tmp_s(f), r = tmp_r(f);

			emit(f, BT_OP_ITKEYS, 0, k, it, i);
			emit(f, BT_OP_SCMP, BT_CMP_NE, r, k, vals[i]);
			jump(f, skip, BT_OP_JNZ, 0, r, 0);
		} else {
			int k = tmp_r(f);

			emit(f, BT_OP_ITKEY, 0, k, it, i);
			jump(f, skip, BT_OP_JCMP, BT_CMP_NE, k, vals[i]);
		}
	}
}

void for_matching(struct fn *f, struct symbol *arr, struct expr **keys,
			 int nkeys, match_fn body, void *arg)
{
	int fixed[MAX_ARRAY_KEYS], it;
	struct label *done = label_new();
	uint32_t head;

	gen_slice_values(f, arr, keys, nkeys, fixed);
	it = f->top_it++;
	if (f->top_it > f->max_it)
		f->max_it = f->top_it;
	emit(f, BT_OP_ITINIT, BT_SORT_NONE, it, slot_of(f, arr)->index, 0);
	emit(f, BT_OP_EXT, 0, 0, 0, 0);
	head = pb_pc(f->g->pb);
	jump(f, done, BT_OP_ITNEXT, 0, it, 0);
	{
		struct label *skip = label_new();

		emit_slice_filter(f, arr, it, fixed, nkeys, skip);
		body(f, it, arr, done, arg);
		label_here(f, skip);
	}
	emit(f, BT_OP_LOOP, BT_ACT_LE0, head, 1, 0);
	label_here(f, done);
	f->top_it--;
}

static void match_found(struct fn *f, int it, struct symbol *arr,
			struct label *done, void *arg)
{
	load_int(f, *(int *)arg, 1);
	jump(f, done, BT_OP_JMP, 0, 0, 0);
}

static int gen_in(struct fn *f, struct expr *e, int dst)
{
	struct expr *idx = e->lhs;
	int kb, ks, i;

	dst = want_r(f, dst);
	for (i = 0; i < idx->nargs; i++)
		if (!idx->args[i])
			break;
	if (i < idx->nargs) {
		load_int(f, dst, 0);
		for_matching(f, idx->sym, idx->args, idx->nargs, match_found, &dst);
		return dst;
	}
	gen_keys(f, idx->sym, idx->args, idx->nargs, &kb, &ks);
	emit_map(f, BT_OP_MIN, 0, dst, idx->sym, kb, ks, 0, 0);
	return dst;
}

const unsigned agg_of[] = {
	[STAT_COUNT] = BT_AGG_COUNT, [STAT_SUM] = BT_AGG_SUM,
	[STAT_MIN] = BT_AGG_MIN, [STAT_MAX] = BT_AGG_MAX,
	[STAT_AVG] = BT_AGG_AVG, [STAT_VARIANCE] = BT_AGG_VARIANCE,
};

static int gen_stat(struct fn *f, struct expr *e, int dst)
{
	struct expr *lv = e->lhs;
	int kb = 0, ks = 0, shift = 0;

	if (lv->kind == E_INDEX)
		gen_keys(f, lv->sym, lv->args, lv->nargs, &kb, &ks);
	if (e->stat_op == STAT_VARIANCE && e->rhs)
		shift = (int)e->rhs->num;
	dst = want_r(f, dst);
	loc(f, e->tok);
	emit_map(f, BT_OP_MAGG, 0, dst, lv->sym, kb, ks, agg_of[e->stat_op], shift);
	return dst;
}

static int gen_hist_bucket(struct fn *f, struct expr *e, int dst)
{
	struct expr *lv = e->lhs->lhs;
	int kb = 0, ks = 0;

	if (lv->kind == E_INDEX)
		gen_keys(f, lv->sym, lv->args, lv->nargs, &kb, &ks);
	dst = want_r(f, dst);
	gen(f, e->rhs, dst);
	loc(f, e->tok);
	emit_map(f, BT_OP_MHIST, 0, dst, lv->sym, kb, ks, 0, 0);
	return dst;
}

int gen(struct fn *f, struct expr *e, int dst)
{
	switch (e->kind) {
	case E_NUM:
		dst = want_r(f, dst);
		load_int(f, dst, e->num);
		return dst;
	case E_STR:
		dst = want_s(f, dst);
		load_str(f, dst, e->str);
		return dst;
	case E_VAR:
		return gen_var(f, e, dst);
	case E_INDEX:
		return gen_index(f, e, dst);
	case E_CALL:
		return gen_call(f, e, dst);
	case E_PRINT:
		return gen_print(f, e, dst);
	case E_UNARY:
		return gen_unary(f, e, dst);
	case E_BINARY:
		return gen_binary(f, e, dst);
	case E_REGEX:
		return gen_regex(f, e, dst);
	case E_ASSIGN:
		return gen_assign(f, e, dst);
	case E_PREINC: case E_PREDEC: case E_POSTINC: case E_POSTDEC:
		return gen_incdec(f, e, dst);
	case E_TERNARY:
		return gen_ternary(f, e, dst);
	case E_IN:
		return gen_in(f, e, dst);
	case E_STAT:
		return gen_stat(f, e, dst);
	case E_HIST_BUCKET:
		return gen_hist_bucket(f, e, dst);
	case E_DEFINED:
		dst = want_r(f, dst);
		load_int(f, dst, e->num);
		return dst;
	case E_HIST:		/* only under print, foreach, [bucket] */
	case E_TARGET: case E_CAST: case E_ENTRY: case E_PERF:	/* sema */
		break;
	}
	assert(!"expression sema does not let through");
	return is_str(e) ? want_s(f, dst) : want_r(f, dst);
}

/*
 * Jump to l when e's truth equals `when` (1: true, 0: false); fall
 * through otherwise.  Integer comparisons become one JCMP.
 */
void gen_branch(struct fn *f, struct expr *e, int when, struct label *l)
{
	int mark_r = f->top_r, mark_s = f->top_s;
	int c, a, b;

	if (e->kind == E_UNARY && e->op == OP_NOT) {
		gen_branch(f, e->lhs, !when, l);
		return;
	}
	if (e->kind == E_BINARY && (e->op == OP_LAND || e->op == OP_LOR)) {
		/* && jumping on false, or || jumping on true: both halves go to l */
		if ((e->op == OP_LAND) == !when) {
			gen_branch(f, e->lhs, when, l);
			gen_branch(f, e->rhs, when, l);
		} else {
			struct label *skip = label_new();

			gen_branch(f, e->lhs, !when, skip);
			gen_branch(f, e->rhs, when, l);
			label_here(f, skip);
		}
		return;
	}
	c = e->kind == E_BINARY ? cmp_of(e->op) : -1;
	if (c >= 0 && is_long(e->lhs)) {
		a = gen_int_stable(f, e->lhs, e->rhs);
		b = gen(f, e->rhs, -1);
		jump(f, l, BT_OP_JCMP, when ? c : cmp_negate(c), a, b);
	} else {
		a = gen(f, e, -1);
		jump(f, l, when ? BT_OP_JNZ : BT_OP_JZ, 0, a, 0);
	}
	f->top_r = mark_r;
	f->top_s = mark_s;
}
