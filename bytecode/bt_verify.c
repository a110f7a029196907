// SPDX-License-Identifier: GPL-2.0
/*
 * bt_verify.c - the code verifier (bt_verify.h).
 *
 * Three passes.  Pass 1, per function, one instruction at a time,
 * table-driven from bt_op_info[]: the generic operand kinds are checked
 * from the table, and the operands whose meaning depends on another
 * operand (map key bases, call arguments, globals of a kind, map value
 * kinds) by a rule per opcode.  Pass 2, per function, follows control
 * flow and proves that the VM state a jump could skip (the try stack, the
 * iterators set up) is the same on every path into an instruction - one
 * word of state per instruction, in scratch memory the host gives.
 * Pass 3 proves every probe's declared lock set covers what its handler
 * and every function it calls touch.  No recursion; the work is bounded
 * (BT_VERIFY_MAX_STEPS) and the host may reschedule along the way.
 */
#include "bt_verify.h"
#include "bt_host.h"
#include "bt_builtin.h"
#include "bt_util.h"

struct vst {
	const struct bt_prog *prog;
	const struct bt_func_decl *f;
	const struct bt_insn *code;
	uint32_t fidx, len, pc;
	struct bt_diag *d;
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

/* An index into one of the program's n-long tables of what. */
static int index_ok(struct vst *v, const char *what, uint32_t val, uint32_t n)
{
	if (val >= n)
		return vfail(v, "%s %u out of range (%u)", what, val, n);
	return 0;
}

/* A jump target (flow through it is checked by check_flow()). */
static int note_jump(struct vst *v, uint32_t t)
{
	if (t < v->len && v->code[t].op == BT_OP_EXT)
		return vfail(v, "jump target %u is an EXT word", t);
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
		return index_ok(v, "constant", val, p->nconsts);
	case BT_O_KS:
		return index_ok(v, "string constant", val, p->nstrconsts);
	case BT_O_F:
		return index_ok(v, "function", val, p->nfuncs);
	case BT_O_FMT:
		return index_ok(v, "format", val, p->nformats);
	case BT_O_RX:
		return index_ok(v, "regex", val, p->nregexes);
	case BT_O_IT:
		if (val >= f->niters)
			return vfail(v, "iterator it%u out of range (niters %u)", val,
				     f->niters);
		return 0;
	case BT_O_B:
		return index_ok(v, "builtin", val, BT_B__COUNT);
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
	if (index_ok(v, "map", m, v->prog->nmaps))
		return NULL;
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

		if (index_ok(v, "global", g, v->prog->nglobals))
			return -1;
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


/* --- pass 1: operands, one instruction at a time --------------------- */

static int check_operands(struct vst *v)
{
	uint32_t last = 0;

	for (v->pc = 0; v->pc < v->len; v->pc++) {
		last = v->pc;
		if (check_insn(v))
			return -1;
		if (bt_op_info[v->code[v->pc].op].has_ext)
			v->pc++;
	}
	v->pc = last;
	if (!is_terminator(v->code[last].op))
		return vfail(v, "function ends with %s, not RET, NEXT or LOOP",
			     opname(v->code[last].op));
	if (v->f->niters > BT_MAX_ITERS)
		return vfail(v, "%u iterator slots, at most %u", v->f->niters, BT_MAX_ITERS);
	return 0;
}

/* --- pass 2: the VM state on every path (invariants I1-I4) ------------ */

/*
 * What is known at the start of an instruction, the same on every path
 * into it:
 *	tries	0: not reached (yet); 1: no try block of this frame is open;
 *		t + 2: the innermost open one is the TRY at t.  The TRY at t
 *		was itself reached with tries[t], so the whole stack is the
 *		chain t, tries[t] - 2, ... and one word per pc holds it.
 *	from	the pc whose edge first set this state (for messages).
 *	iters	iterator slots ITINIT has set up on every path to here.
 */
struct pcstate {
	uint32_t tries;
	uint32_t from;
	uint64_t iters;
};

#define NOT_REACHED	0u
#define NO_TRY		1u
#define FROM_CATCH	0x80000000u	/* in from: the catch edge of the TRY at pc */

struct flow {
	struct vst *v;
	struct pcstate *st;	/* [len] */
	uint32_t maxdepth;
};

static uint32_t try_depth(const struct flow *fl, uint32_t tries)
{
	uint32_t n = 0;

	while (tries > NO_TRY && n <= BT_MAX_TRY_NEST) {
		n++;
		tries = fl->st[tries - 2].tries;
	}
	return n;
}

/* "inside the try block begun at 4 (depth 2)" / "outside any try block" */
static size_t describe(const struct flow *fl, uint32_t tries, char *buf, size_t cap)
{
	if (tries <= NO_TRY)
		return bt_snprintf(buf, cap, "outside any try block");
	return bt_snprintf(buf, cap, "inside the try block begun at %u (depth %u)",
			   tries - 2, try_depth(fl, tries));
}

/* "from pc 3" / "as the catch target of the TRY at 3" */
static const char *from_what(uint32_t from, uint32_t *pc)
{
	*pc = from & ~FROM_CATCH;
	return from & FROM_CATCH ? "as the catch target of the TRY at" : "from pc";
}

/*
 * Control reaches t from pc with this state: merge, or refuse a
 * conflict.  pc | FROM_CATCH: the edge from a TRY to its catch target.
 */
static int edge(struct flow *fl, uint32_t pc, uint32_t t, uint32_t tries,
		uint64_t iters)
{
	struct vst *v = fl->v;
	struct pcstate *d = &fl->st[t];
	char a[64], b[64];
	const char *wa, *wb;
	uint32_t pa, pb;

	if (t >= v->len) {
		v->pc = pc & ~FROM_CATCH;
		return vfail(v, "execution falls off the end of the function");
	}
	if (d->tries == NOT_REACHED) {
		d->tries = tries;
		d->from = pc;
		d->iters = iters;
		return 0;
	}
	d->iters &= iters;
	if (d->tries == tries)
		return 0;
	describe(fl, d->tries, a, sizeof(a));
	describe(fl, tries, b, sizeof(b));
	wa = from_what(d->from, &pa);
	wb = from_what(pc, &pb);
	v->pc = t;
	return vfail(v, "reached %s %u %s and %s %u %s", wa, pa, a, wb, pb, b);
}

static int need_iter(struct flow *fl, uint32_t it, uint64_t iters)
{
	if (it < 64 && (iters >> it & 1))
		return 0;
	return vfail(fl->v, "%s reads iterator it%u, which no ITINIT set up on every path here",
		     opname(fl->v->code[fl->v->pc].op), it);
}

static int flow_insn(struct flow *fl, uint32_t pc)
{
	struct vst *v = fl->v;
	const struct bt_insn *in = &v->code[pc];
	struct pcstate cur = fl->st[pc];
	uint32_t next = pc + 1 + bt_op_info[in->op].has_ext, i, depth;
	int falls = 1;

	v->pc = pc;
	switch (in->op) {
	case BT_OP_TRY:
		depth = try_depth(fl, cur.tries) + 1;
		if (depth > BT_MAX_TRY_NEST)
			return vfail(v, "try blocks nested deeper than %u", BT_MAX_TRY_NEST);
		if (depth > fl->maxdepth)
			fl->maxdepth = depth;
		/* an error anywhere inside pops this block and lands here */
		if (edge(fl, pc | FROM_CATCH, in->a, cur.tries, cur.iters))
			return -1;
		cur.tries = pc + 2;
		break;
	case BT_OP_TRYEND:
		if (cur.tries == NO_TRY) {
			const char *w = from_what(cur.from, &i);

			return vfail(v, "TRYEND without TRY: no try block is open here (reached %s %u)",
				     w, i);
		}
		cur.tries = fl->st[cur.tries - 2].tries;
		break;
	case BT_OP_JMP:
		for (i = 0; i < in->x; i++) {
			if (cur.tries == NO_TRY)
				return vfail(v, "JMP leaves %u try blocks but only %u are open",
					     in->x, i);
			cur.tries = fl->st[cur.tries - 2].tries;
		}
		if (edge(fl, pc, in->a, cur.tries, cur.iters))
			return -1;
		falls = 0;
		break;
	case BT_OP_JZ:
	case BT_OP_JNZ:
		if (edge(fl, pc, in->b, cur.tries, cur.iters))
			return -1;
		break;
	case BT_OP_JCMP:
		if (edge(fl, pc, in->c, cur.tries, cur.iters))
			return -1;
		break;
	case BT_OP_ITNEXT:
		if (need_iter(fl, in->a, cur.iters) ||
		    edge(fl, pc, in->b, cur.tries, cur.iters))
			return -1;
		break;
	case BT_OP_ITKEY:
	case BT_OP_ITKEYS:
	case BT_OP_ITVAL:
	case BT_OP_ITVALS:
		if (need_iter(fl, in->b, cur.iters))
			return -1;
		break;
	case BT_OP_ITINIT:
		cur.iters |= (uint64_t)1 << in->a;	/* a < niters <= 64 */
		break;
	case BT_OP_LOOP: {
		const struct pcstate *t = &fl->st[in->a];
		char a[64], b[64];

		if (t->tries == NOT_REACHED)
			return vfail(v, "LOOP target %u is reached by no forward path", in->a);
		if (t->tries != cur.tries) {
			const char *w = from_what(t->from, &i);

			describe(fl, t->tries, a, sizeof(a));
			describe(fl, cur.tries, b, sizeof(b));
			return vfail(v, "LOOP to %u: the target is reached %s %u %s, the LOOP is %s",
				     in->a, w, i, a, b);
		}
		if (t->iters & ~cur.iters)
			return vfail(v, "LOOP to %u: an iterator set up on the way in is not set up here",
				     in->a);
		falls = 0;
		break;
	}
	case BT_OP_RET:
	case BT_OP_RETI:
	case BT_OP_RETS:	/* RET pops this frame's open try blocks */
	case BT_OP_NEXT:
	case BT_OP_ERROR:	/* goes to a catch target (the TRY's edge) or out */
		falls = 0;
		break;
	}
	return falls ? edge(fl, pc, next, cur.tries, cur.iters) : 0;
}

/*
 * Every jump but LOOP goes forward, so one pass in pc order sees every
 * edge into an instruction before the instruction itself, except LOOP's,
 * which must then agree with what the target was reached with.
 * Instructions no path reaches are never run; their operands were checked
 * anyway.
 */
static int check_flow(struct vst *v, struct pcstate *st)
{
	struct flow fl = { .v = v, .st = st };
	uint32_t pc;

	bt_memset(st, 0, (size_t)v->len * sizeof(*st));
	st[0].tries = NO_TRY;
	for (pc = 0; pc < v->len; pc += 1 + bt_op_info[v->code[pc].op].has_ext) {
		if (st[pc].tries == NOT_REACHED)
			continue;
		if (flow_insn(&fl, pc))
			return -1;
	}
	if (fl.maxdepth > v->f->ntries) {
		v->pc = 0;
		return vfail(v, "try blocks nest %u deep, ntries is %u", fl.maxdepth,
			     v->f->ntries);
	}
	return 0;
}

/* --- pass 3: lock sets (invariant I5) --------------------------------- */

struct access {
	uint8_t space;		/* enum bt_lock_space, 0: none */
	uint8_t write;
	uint32_t index;
};

int bt_insn_lock_need(const struct bt_insn *in, int map_is_stats,
		      uint8_t *space, uint32_t *index)
{
	*space = BT_LOCK_MAP;
	*index = in->b;
	switch (in->op) {
	case BT_OP_GLD:
	case BT_OP_GSLD:
		*space = BT_LOCK_GLOBAL;
		return BT_NEED_READ;
	case BT_OP_GST:
	case BT_OP_GSST:
		*space = BT_LOCK_GLOBAL;
		*index = in->a;
		return BT_NEED_WRITE;
	case BT_OP_MGET:
	case BT_OP_MGETS:
	case BT_OP_MIN:
	case BT_OP_MAGG:
	case BT_OP_MHIST:
	case BT_OP_PRINTHIST:
		return BT_NEED_READ;
	case BT_OP_MDEL:
	case BT_OP_MCLEAR:
		return map_is_stats ? BT_NEED_STAT_WRITE_ALL : BT_NEED_WRITE;
	case BT_OP_MSET:
	case BT_OP_MSETS:
	case BT_OP_MADD:
	case BT_OP_MCOUNT:
		return BT_NEED_WRITE;
	case BT_OP_MSTAT:
		return BT_NEED_STAT_ADD;
	case BT_OP_ITINIT:
		/* sorting reorders the map; on statistics ITINIT rebuilds the
		 * shared aggregation table: both write */
		return in->x != BT_SORT_NONE || map_is_stats ? BT_NEED_WRITE : BT_NEED_READ;
	default:
		*space = 0;
		*index = 0;
		return BT_NEED_NONE;
	}
}

/* What the host must hold around in (I5), given the program's xcpu set. */
static struct access access_of(const struct bt_prog *p, const struct bt_insn *in,
			       const uint8_t *xcpu)
{
	struct access a = { 0, 0, 0 };
	int stats = bt_op_info[in->op].opd[1] == BT_O_M &&
		    p->maps[in->b].val_kind == BT_KIND_STATS;

	switch (bt_insn_lock_need(in, stats, &a.space, &a.index)) {
	case BT_NEED_NONE:
		a.space = 0;
		break;
	case BT_NEED_STAT_ADD:
		if (!(xcpu[a.index >> 3] >> (a.index & 7) & 1))
			a.space = 0;
		break;
	case BT_NEED_READ:
		break;
	default:
		a.write = 1;
		break;
	}
	return a;
}

static int holds(const struct bt_lock_ref *l, uint32_t n, const struct access *a)
{
	uint32_t lo = 0, hi = n;

	/* bt_load() proved each probe's list sorted by (space, index) */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct bt_lock_ref *r = &l[mid];

		if (r->space == a->space && r->index == a->index)
			return r->write >= a->write;
		if (r->space < a->space || (r->space == a->space && r->index < a->index))
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

struct lockck {
	const struct bt_prog *prog;
	struct bt_diag *d;
	uint8_t *xcpu;		/* [nmaps / 8 + 1] */
	uint32_t *seen;		/* [nfuncs]: probe index + 1 that visited it */
	uint32_t *stack;	/* [nfuncs] */
	uint64_t steps;
};

static int step(struct lockck *lk)
{
	if (++lk->steps > BT_VERIFY_MAX_STEPS) {
		bt_snprintf(lk->d->msg, sizeof(lk->d->msg),
			    "the program is too large to verify: more than %u instruction visits checking lock sets",
			    (unsigned int)BT_VERIFY_MAX_STEPS);
		return -1;
	}
	if (!(lk->steps & (BT_VERIFY_YIELD_STEPS - 1)) && bt_host_verify_yield()) {
		bt_snprintf(lk->d->msg, sizeof(lk->d->msg), "verification interrupted");
		return -1;
	}
	return 0;
}

static int lock_missing(struct lockck *lk, uint32_t pi, uint32_t fi, uint32_t pc,
			const struct access *a, int held_shared)
{
	const struct bt_prog *p = lk->prog;
	const struct bt_probe_decl *pd = &p->probes[pi];
	const char *name = a->space == BT_LOCK_GLOBAL ?
			   bt_prog_str(p, p->globals[a->index].name) :
			   bt_prog_str(p, p->maps[a->index].name);

	bt_snprintf(lk->d->msg, sizeof(lk->d->msg),
		    "probe %u (%s): %s at pc %u of '%s' %s %s '%s', but the probe's lock set %s",
		    pi, bt_prog_str(p, pd->point), opname(p->code[p->funcs[fi].code_off + pc].op),
		    pc, bt_prog_str(p, p->funcs[fi].name), a->write ? "writes" : "reads",
		    a->space == BT_LOCK_GLOBAL ? "global" : "map", name,
		    held_shared ? "takes it only shared" : "does not take it");
	lk->d->pc = (int32_t)(p->funcs[fi].code_off + pc);
	lk->d->func = (int32_t)fi;
	return -1;
}

/* Everything probe pi's handler and its callees touch is in its lock set. */
static int check_probe_locks(struct lockck *lk, uint32_t pi)
{
	const struct bt_prog *p = lk->prog;
	const struct bt_probe_decl *pd = &p->probes[pi];
	const struct bt_lock_ref *l = p->locks + pd->lock_off;
	uint32_t sp = 0;

	lk->stack[sp++] = pd->handler;
	lk->seen[pd->handler] = pi + 1;
	while (sp) {
		uint32_t fi = lk->stack[--sp], pc;
		const struct bt_func_decl *f = &p->funcs[fi];
		const struct bt_insn *code = p->code + f->code_off;

		for (pc = 0; pc < f->code_len; pc++) {
			const struct bt_insn *in = &code[pc];
			struct access a;

			if (step(lk))
				return -1;
			if (in->op == BT_OP_CALL && lk->seen[in->a] != pi + 1) {
				lk->seen[in->a] = pi + 1;
				lk->stack[sp++] = in->a;	/* each function once */
			}
			if (in->op == BT_OP_EXT)
				continue;
			a = access_of(p, in, lk->xcpu);
			if (a.space && !holds(l, pd->nlocks, &a)) {
				struct access shared = a;

				shared.write = 0;
				return lock_missing(lk, pi, fi, pc, &a,
						    a.write && holds(l, pd->nlocks, &shared));
			}
		}
	}
	return 0;
}

static int check_locks(const struct bt_prog *p, void *mem, struct bt_diag *d)
{
	struct lockck lk = { .prog = p, .d = d };
	uint32_t i;

	lk.seen = mem;
	lk.stack = lk.seen + p->nfuncs;
	lk.xcpu = (uint8_t *)(lk.stack + p->nfuncs);
	bt_memset(lk.seen, 0, (size_t)p->nfuncs * sizeof(uint32_t));
	bt_memset(lk.xcpu, 0, p->nmaps / 8 + 1);
	/* which statistics maps some instruction clears or deletes from */
	for (i = 0; i < p->ncode; i++) {
		const struct bt_insn *in = &p->code[i];

		/* pass 1 proved every EXT word op EXT, every other a real one */
		if ((in->op == BT_OP_MCLEAR || in->op == BT_OP_MDEL) &&
		    p->maps[in->b].val_kind == BT_KIND_STATS)
			lk.xcpu[in->b >> 3] |= (uint8_t)(1u << (in->b & 7));
	}
	for (i = 0; i < p->nprobes; i++)
		if (check_probe_locks(&lk, i))
			return -1;
	return 0;
}

/* --- the whole program ------------------------------------------------- */

static size_t scratch_size(const struct bt_prog *prog)
{
	size_t maxlen = 1, flow, locks;
	uint32_t i;

	for (i = 0; i < prog->nfuncs; i++)
		if (prog->funcs[i].code_len > maxlen)
			maxlen = prog->funcs[i].code_len;
	flow = maxlen * sizeof(struct pcstate);
	locks = (size_t)prog->nfuncs * 2 * sizeof(uint32_t) + prog->nmaps / 8 + 1;
	return flow > locks ? flow : locks;
}

int bt_verify(const struct bt_prog *prog, struct bt_diag *diag)
{
	struct bt_diag dummy;
	size_t size;
	void *mem;
	uint32_t i;
	int rc = 0;

	if (!diag)
		diag = &dummy;
	bt_memset(diag, 0, sizeof(*diag));
	diag->pc = -1;
	diag->func = -1;
	size = scratch_size(prog);
	mem = bt_host_verify_alloc(size);
	if (!mem) {
		bt_snprintf(diag->msg, sizeof(diag->msg),
			    "no memory for the verifier (%u bytes)", (unsigned int)size);
		return -1;
	}
	for (i = 0; i < prog->nfuncs && !rc; i++) {
		struct vst v = {
			.prog = prog, .f = &prog->funcs[i], .fidx = i, .d = diag,
			.code = prog->code + prog->funcs[i].code_off,
			.len = prog->funcs[i].code_len,
		};

		rc = check_operands(&v) || check_flow(&v, mem);
		if (!rc && bt_host_verify_yield()) {
			bt_snprintf(diag->msg, sizeof(diag->msg), "verification interrupted");
			rc = -1;
		}
	}
	if (!rc)
		rc = check_locks(prog, mem, diag);
	bt_host_verify_free(mem);
	return rc ? -1 : 0;
}
