// SPDX-License-Identifier: GPL-2.0
/*
 * bt_verify.c - the code verifier (bt_verify.h).
 *
 * One forward pass per function, table-driven from bt_op_info[]: the
 * generic operand kinds are checked from the table, and the operands whose
 * meaning depends on another operand (map key bases, call arguments,
 * globals of a kind, map value kinds) by a rule per opcode.  State is O(1)
 * plus the try bracket stack, so the kernel can run it on a small stack.
 */
#include "bt_verify.h"
#include "bt_builtin.h"
#include "bt_util.h"

struct try_br {
	uint32_t try_pc;
	uint32_t catch_pc;
	uint32_t max_target;	/* furthest forward jump that stays inside */
	uint32_t min_exit;	/* nearest target of a JMP that leaves it */
};

struct vst {
	const struct bt_prog *prog;
	const struct bt_func_decl *f;
	const struct bt_insn *code;
	uint32_t fidx, len, pc;
	struct bt_diag *d;
	uint32_t depth, maxdepth;
	struct try_br tries[BT_MAX_TRY_NEST];
};

static int vfail(struct vst *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int vfail(struct vst *v, const char *fmt, ...)
{
	bt_va_list ap;
	size_t n;

	n = bt_snprintf(v->d->msg, sizeof(v->d->msg), "func '%s' pc %u: ",
			bt_prog_str(v->prog, v->f->name), v->pc);
	bt_va_start(ap, fmt);
	bt_vsnprintf(v->d->msg + n, sizeof(v->d->msg) - n, fmt, ap);
	bt_va_end(ap);
	v->d->pc = (int32_t)(v->f->code_off + v->pc);
	v->d->func = (int32_t)v->fidx;
	return -1;
}

static const char *opname(unsigned int op)
{
	return op < BT_OP__COUNT ? bt_op_info[op].name : "?";
}

static void key_counts(const struct bt_map_decl *m, uint32_t *nik, uint32_t *nsk)
{
	uint32_t i;

	*nik = *nsk = 0;
	for (i = 0; i < m->nkeys; i++) {
		if (m->key_kinds[i] == BT_KIND_STR)
			(*nsk)++;
		else
			(*nik)++;
	}
}

/* A base + count range of registers inside a frame of n. */
static int range_ok(uint32_t base, uint32_t count, uint32_t n)
{
	return count == 0 ? base == 0 : (uint64_t)base + count <= n;
}

/*
 * A jump stays inside the innermost try block, except a JMP whose x says
 * how many enclosing try blocks it leaves (break / continue out of a try):
 * its target must lie past the end of each of them, checked at their
 * TRYEND, and inside the next one out.
 */
static int note_jump(struct vst *v, uint32_t t)
{
	const struct bt_insn *in = &v->code[v->pc];
	uint32_t leave = in->op == BT_OP_JMP ? in->x : 0, i;

	if (t < v->len && v->code[t].op == BT_OP_EXT)
		return vfail(v, "jump target %u is an EXT word", t);
	if (leave > v->depth)
		return vfail(v, "JMP leaves %u try blocks but is inside %u", leave, v->depth);
	for (i = 0; i < leave; i++) {
		struct try_br *br = &v->tries[v->depth - 1 - i];

		if (t < br->min_exit)
			br->min_exit = t;
	}
	if (v->depth > leave) {
		struct try_br *br = &v->tries[v->depth - 1 - leave];

		if (t <= br->try_pc)
			return vfail(v, "jump to %u leaves the try block begun at %u",
				     t, br->try_pc);
		if (t > br->max_target)
			br->max_target = t;
	}
	return 0;
}

/* The operands the table describes completely. */
static int check_generic(struct vst *v, unsigned int kind, uint32_t val,
			 const char *field)
{
	const struct bt_prog *p = v->prog;
	const struct bt_func_decl *f = v->f;

	switch (kind) {
	case BT_O_NONE:
		if (val)
			return vfail(v, "%s: unused field %s is %u, must be 0",
				     opname(v->code[v->pc].op), field, val);
		return 0;
	case BT_O_R:
	case BT_O_RW:
		if (val >= f->nregs)
			return vfail(v, "%s: register r%u out of range (nregs %u)",
				     opname(v->code[v->pc].op), val, f->nregs);
		return 0;
	case BT_O_S:
	case BT_O_SW:
		if (val >= f->nstrs)
			return vfail(v, "%s: string register s%u out of range (nstrs %u)",
				     opname(v->code[v->pc].op), val, f->nstrs);
		return 0;
	case BT_O_K:
		if (val >= p->nconsts)
			return vfail(v, "constant %u out of range (%u)", val, p->nconsts);
		return 0;
	case BT_O_KS:
		if (val >= p->nstrconsts)
			return vfail(v, "string constant %u out of range (%u)", val,
				     p->nstrconsts);
		return 0;
	case BT_O_F:
		if (val >= p->nfuncs)
			return vfail(v, "function %u out of range (%u)", val, p->nfuncs);
		return 0;
	case BT_O_FMT:
		if (val >= p->nformats)
			return vfail(v, "format %u out of range (%u)", val, p->nformats);
		return 0;
	case BT_O_RX:
		if (val >= p->nregexes)
			return vfail(v, "regex %u out of range (%u)", val, p->nregexes);
		return 0;
	case BT_O_IT:
		if (val >= f->niters)
			return vfail(v, "iterator it%u out of range (niters %u)", val,
				     f->niters);
		return 0;
	case BT_O_B:
		if (val >= BT_B__COUNT)
			return vfail(v, "builtin %u out of range (%u)", val, BT_B__COUNT);
		return 0;
	case BT_O_T:
		if (val <= v->pc || val >= v->len)
			return vfail(v, "jump target %u out of range", val);
		return note_jump(v, val);
	case BT_O_TB:
		if (val > v->pc)
			return vfail(v, "LOOP target %u is not backward", val);
		return note_jump(v, val);
	default:
		return 0;	/* checked by the opcode's rule */
	}
}

static const struct bt_map_decl *map_of(struct vst *v, uint32_t m)
{
	if (m >= v->prog->nmaps) {
		vfail(v, "map %u out of range (%u)", m, v->prog->nmaps);
		return NULL;
	}
	return &v->prog->maps[m];
}

static int check_map_kind(struct vst *v, const struct bt_map_decl *m,
			  unsigned int op)
{
	const char *name = bt_prog_str(v->prog, m->name);
	int want = 0;

	switch (op) {
	case BT_OP_MGET:
	case BT_OP_MSET:
	case BT_OP_MADD:
		want = BT_KIND_INT;
		break;
	case BT_OP_MGETS:
	case BT_OP_MSETS:
		want = BT_KIND_STR;
		break;
	case BT_OP_MSTAT:
	case BT_OP_MAGG:
	case BT_OP_MHIST:
	case BT_OP_PRINTHIST:
		want = BT_KIND_STATS;
		break;
	}
	if (want && m->val_kind != want)
		return vfail(v, "%s on map '%s' whose values are not %s", opname(op),
			     name, want == BT_KIND_INT ? "integers" :
			     want == BT_KIND_STR ? "strings" : "statistics");
	if ((op == BT_OP_MHIST || op == BT_OP_PRINTHIST) &&
	    m->hist_kind == BT_HIST_NONE)
		return vfail(v, "%s on map '%s' which has no histogram", opname(op), name);
	if (m->nkeys == 0 && op != BT_OP_MSTAT && op != BT_OP_MAGG &&
	    op != BT_OP_MHIST && op != BT_OP_PRINTHIST && op != BT_OP_MCLEAR)
		return vfail(v, "%s on scalar statistic '%s'", opname(op), name);
	return 0;
}

/* Map instructions: m in b, int key base in c, string key base in EXT.a. */
static int check_map_insn(struct vst *v, const struct bt_insn *in,
			  const struct bt_insn *ext)
{
	const struct bt_op_info *oi = &bt_op_info[in->op];
	const struct bt_map_decl *m = map_of(v, in->b);
	uint32_t nik, nsk;

	if (!m || check_map_kind(v, m, in->op))
		return -1;
	key_counts(m, &nik, &nsk);
	if (oi->opd[2] == BT_O_KEYI && !range_ok(in->c, nik, v->f->nregs))
		return vfail(v, "%s: int keys r%u..+%u of map '%s' outside the frame (nregs %u)",
			     opname(in->op), in->c, nik,
			     bt_prog_str(v->prog, m->name), v->f->nregs);
	if (ext && oi->ext_opd[0] == BT_O_KEYS && !range_ok(ext->a, nsk, v->f->nstrs))
		return vfail(v, "%s: string keys s%u..+%u of map '%s' outside the frame (nstrs %u)",
			     opname(in->op), ext->a, nsk,
			     bt_prog_str(v->prog, m->name), v->f->nstrs);
	if (in->op == BT_OP_MAGG) {
		if (ext->b > BT_AGG_VARIANCE)
			return vfail(v, "MAGG: unknown statistic %u", ext->b);
		if (ext->b == BT_AGG_VARIANCE ?
		    !(m->flags & BT_MAP_VARIANCE) || ext->c != m->var_shift :
		    ext->c != 0)
			return vfail(v, "MAGG: variance shift %u does not match map '%s'",
				     ext->c, bt_prog_str(v->prog, m->name));
	}
	if (in->op == BT_OP_ITINIT) {
		if (ext->a > m->nkeys)
			return vfail(v, "ITINIT: sort column %u, map '%s' has %u keys",
				     ext->a, bt_prog_str(v->prog, m->name), m->nkeys);
		if (ext->b > (ext->a == 0 && m->val_kind == BT_KIND_STATS ?
			      BT_AGG_VARIANCE : 0))
			return vfail(v, "ITINIT: bad sort statistic %u", ext->b);
	}
	return 0;
}

/* CALL, CALLB, PRINTF, SPRINTF: arguments from r[b..], s[c..]. */
static int check_args(struct vst *v, const struct bt_insn *in)
{
	uint32_t ni, ns;
	uint32_t ri = 0, rs = 0;

	switch (in->op) {
	case BT_OP_CALL: {
		const struct bt_func_decl *g = &v->prog->funcs[in->a];

		ni = g->nparam_i;
		ns = g->nparam_s;
		ri = g->ret_kind == BT_KIND_INT;
		rs = g->ret_kind == BT_KIND_STR;
		break;
	}
	case BT_OP_CALLB: {
		const struct bt_builtin_info *b = &bt_builtin_info[in->a];

		ni = b->nargs_i;
		ns = b->nargs_s;
		ri = b->ret == 'i';
		rs = b->ret == 's';
		break;
	}
	default: {
		const struct bt_format_decl *fm = &v->prog->formats[in->a];

		ni = fm->nargs_i;
		ns = fm->nargs_s;
		break;
	}
	}
	if (!range_ok(in->b, ni ? ni : ri, v->f->nregs))
		return vfail(v, "%s: int arguments r%u..+%u outside the frame (nregs %u)",
			     opname(in->op), in->b, ni ? ni : ri, v->f->nregs);
	if (!range_ok(in->c, ns ? ns : rs, v->f->nstrs))
		return vfail(v, "%s: string arguments s%u..+%u outside the frame (nstrs %u)",
			     opname(in->op), in->c, ns ? ns : rs, v->f->nstrs);
	return 0;
}

static unsigned int max_x(unsigned int op)
{
	switch (op) {
	case BT_OP_JCMP:
	case BT_OP_CMP:
	case BT_OP_SCMP:
		return BT_CMP_GE;
	case BT_OP_MATCH:
	case BT_OP_ERROR:
		return 1;
	case BT_OP_JMP:
		return BT_MAX_TRY_NEST;
	case BT_OP_ITINIT:
		return BT_SORT_DESC;
	case BT_OP_ACT:
		return BT_ACT_LE0 | BT_ACT_CHECK;
	case BT_OP_LOOP:
		return BT_ACT_LE0;
	case BT_OP_PRINTHIST:
		return 255;
	default:
		return 0;
	}
}

static int check_try(struct vst *v, const struct bt_insn *in)
{
	struct try_br *br;

	if (in->op == BT_OP_TRY) {
		if (v->depth >= BT_MAX_TRY_NEST)
			return vfail(v, "try blocks nested deeper than %u", BT_MAX_TRY_NEST);
		br = &v->tries[v->depth++];
		br->try_pc = v->pc;
		br->catch_pc = in->a;
		br->max_target = 0;
		br->min_exit = UINT32_MAX;
		if (v->depth > v->maxdepth)
			v->maxdepth = v->depth;
		return 0;
	}
	if (!v->depth)
		return vfail(v, "TRYEND without TRY");
	br = &v->tries[--v->depth];
	if (br->catch_pc <= v->pc)
		return vfail(v, "catch target %u of the TRY at %u is inside its try block",
			     br->catch_pc, br->try_pc);
	if (br->max_target > v->pc)
		return vfail(v, "jump to %u leaves the try block begun at %u",
			     br->max_target, br->try_pc);
	if (br->min_exit <= v->pc)
		return vfail(v, "JMP leaving the try block begun at %u lands inside it, at %u",
			     br->try_pc, br->min_exit);
	/* the catch block belongs to the enclosing region */
	if (v->depth) {
		struct try_br *up = &v->tries[v->depth - 1];

		if (br->catch_pc > up->max_target)
			up->max_target = br->catch_pc;
	}
	return 0;
}

static int is_terminator(unsigned int op)
{
	return op == BT_OP_RET || op == BT_OP_RETI || op == BT_OP_RETS ||
	       op == BT_OP_NEXT || op == BT_OP_LOOP || op == BT_OP_JMP;
}

static int check_insn(struct vst *v)
{
	const struct bt_insn *in = &v->code[v->pc];
	const struct bt_insn *ext = NULL;
	const struct bt_op_info *oi;
	unsigned int op = in->op;
	uint32_t f3[3] = { in->a, in->b, in->c };
	static const char *const names[3] = { "a", "b", "c" };
	static const char *const enames[3] = { "EXT.a", "EXT.b", "EXT.c" };
	uint32_t i;

	if (op >= BT_OP__COUNT)
		return vfail(v, "unknown opcode %u", op);
	if (op == BT_OP_EXT)
		return vfail(v, "EXT word without an instruction that takes one");
	oi = &bt_op_info[op];
	if (in->x > max_x(op))
		return vfail(v, "%s: x = %u out of range", oi->name, in->x);
	if (oi->has_ext) {
		if (v->pc + 1 >= v->len || v->code[v->pc + 1].op != BT_OP_EXT)
			return vfail(v, "%s needs an EXT word after it", oi->name);
		ext = &v->code[v->pc + 1];
		if (ext->x)
			return vfail(v, "EXT: x must be 0");
	}
	for (i = 0; i < 3; i++)
		if (check_generic(v, oi->opd[i], f3[i], names[i]))
			return -1;
	if (ext) {
		uint32_t e3[3] = { ext->a, ext->b, ext->c };

		for (i = 0; i < 3; i++)
			if (check_generic(v, oi->ext_opd[i], e3[i], enames[i]))
				return -1;
	}
	switch (op) {
	case BT_OP_ACT:
		if (BT_IMM(in) < 0)
			return vfail(v, "ACT: negative charge %d", BT_IMM(in));
		return 0;
	case BT_OP_LOOP:
		if (in->b < 1)
			return vfail(v, "LOOP: charge must be >= 1");
		return 0;
	case BT_OP_GLD:
	case BT_OP_GSLD:
	case BT_OP_GST:
	case BT_OP_GSST: {
		uint32_t g = (op == BT_OP_GLD || op == BT_OP_GSLD) ? in->b : in->a;
		int want = (op == BT_OP_GLD || op == BT_OP_GST) ? BT_KIND_INT : BT_KIND_STR;

		if (g >= v->prog->nglobals)
			return vfail(v, "global %u out of range (%u)", g, v->prog->nglobals);
		if (v->prog->globals[g].kind != want)
			return vfail(v, "%s on %s global '%s'", oi->name,
				     want == BT_KIND_INT ? "string" : "integer",
				     bt_prog_str(v->prog, v->prog->globals[g].name));
		return 0;
	}
	case BT_OP_CALL:
	case BT_OP_CALLB:
	case BT_OP_PRINTF:
	case BT_OP_SPRINTF:
		return check_args(v, in);
	case BT_OP_TRY:
	case BT_OP_TRYEND:
		return check_try(v, in);
	case BT_OP_RETI:
	case BT_OP_RETS:
		if (v->f->ret_kind != (op == BT_OP_RETI ? BT_KIND_INT : BT_KIND_STR))
			return vfail(v, "%s in a function that does not return %s",
				     oi->name, op == BT_OP_RETI ? "an integer" : "a string");
		return 0;
	case BT_OP_ITKEY:
	case BT_OP_ITKEYS:
		if (in->c >= BT_MAX_KEYS)
			return vfail(v, "%s: key position %u out of range", oi->name, in->c);
		return 0;
	case BT_OP_MCLEAR:
	case BT_OP_MCOUNT: {
		const struct bt_map_decl *m = map_of(v, in->b);

		return m ? check_map_kind(v, m, op) : -1;
	}
	default:
		if (oi->opd[1] == BT_O_M)
			return check_map_insn(v, in, ext);
		return 0;
	}
}

static int verify_func(const struct bt_prog *prog, uint32_t fi, struct bt_diag *d)
{
	struct vst v;
	uint32_t last = 0;

	bt_memset(&v, 0, sizeof(v));
	v.prog = prog;
	v.f = &prog->funcs[fi];
	v.fidx = fi;
	v.code = prog->code + v.f->code_off;
	v.len = v.f->code_len;
	v.d = d;
	for (v.pc = 0; v.pc < v.len; v.pc++) {
		last = v.pc;
		if (check_insn(&v))
			return -1;
		if (bt_op_info[v.code[v.pc].op].has_ext)
			v.pc++;
	}
	v.pc = last;
	if (!is_terminator(v.code[last].op))
		return vfail(&v, "function ends with %s, not RET, NEXT or LOOP",
			     opname(v.code[last].op));
	if (v.depth)
		return vfail(&v, "TRY at %u has no TRYEND", v.tries[v.depth - 1].try_pc);
	if (v.maxdepth > v.f->ntries)
		return vfail(&v, "try blocks nest %u deep, ntries is %u", v.maxdepth,
			     v.f->ntries);
	return 0;
}

int bt_verify(const struct bt_prog *prog, struct bt_diag *diag)
{
	struct bt_diag dummy;
	uint32_t i;

	if (!diag)
		diag = &dummy;
	bt_memset(diag, 0, sizeof(*diag));
	diag->pc = -1;
	diag->func = -1;
	for (i = 0; i < prog->nfuncs; i++)
		if (verify_func(prog, i, diag))
			return -1;
	return 0;
}
