/*
 * gen.c - the structure-aware program generator (gen.h).
 *
 * A program is first built in a small model of its own (tables, and each
 * function's code as an array of words), because most mutations are
 * easier and more meaningful there than in the blob: deleting an
 * instruction can renumber the jumps around it, a map can change its key
 * kinds after its code exists.  The model is then serialized with
 * userland/progbuild.c, and some blobs get byte flips on top.
 *
 * Code is built the way a compiler builds it, as structured statements:
 * every forward jump targets a label placed later in the same statement,
 * so each label is reached with the try-block stack it is placed under;
 * break and continue leave with JMP x = the try blocks opened inside the
 * loop; the only back edge is LOOP.  Register conventions keep loops
 * finite: the top LOOP_REGS int registers are loop counters that nothing
 * else writes.
 *
 * Then the generator judges the final code itself (state_check(),
 * locks_cover()), so that the drivers can tell a verifier hole from a
 * mutant that happens to be harmless: gen_out.must_refuse.  Planted
 * state conflicts (plant_conflict()) are the cases it knows to be wrong
 * in advance, with the verifier's reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gen.h"
#include "bt_isa.h"
#include "bt_builtin.h"
#include "bt_verify.h"
#include "progbuild.h"
#include "util.h"

#define MAXF		8	/* functions */
#define MAXM		5	/* maps */
#define MAXG		5	/* globals */
#define MAXP		6	/* probes */
#define MAXFMT		5
#define MAXLOOP		4	/* loop nesting (counted loops and foreach) */
#define LOOP_REGS	3	/* counted loops nest at most this deep */
#define MAXIT		2	/* foreach nesting */
#define MAXTRY		4	/* generated try nesting */
#define MAXNEST		3	/* statement nesting */
#define MAXFIX		16	/* breaks / continues per loop */

/* --- random numbers ------------------------------------------------------ */

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t gen_seed(uint64_t run_seed, unsigned int worker, uint64_t n)
{
	uint64_t s = run_seed ^ ((uint64_t)worker << 56) ^ (n * 0x2545f4914f6cdd1dull);

	return splitmix(&s);
}

/* --- the model ----------------------------------------------------------- */

struct gfunc {
	struct bt_insn *code;
	uint32_t n, cap;
	struct bt_func_decl fr;
	unsigned int wregs;	/* int registers the body writes: [0, wregs) */
	int handler;
	char name[24];
};

struct gprobe {
	struct bt_probe_decl d;
	char point[96];
	char symbol[64];
	struct bt_lock_ref locks[MAXG + MAXM + 2];
	unsigned int nlocks;
	int kp;			/* index into opts->kprobes, or -1 */
};

struct gfmt {
	uint32_t idx;		/* progbuild's format index */
	uint16_t ni, ns;
};

struct gglobal {
	uint8_t kind, has_init;
	uint32_t init;
};

struct gen {
	uint64_t rs;		/* xorshift64* state */
	const struct gen_opts *o;
	struct progbuild *pb;
	struct bt_limits lim;
	unsigned int nglobals, nmaps, nfmts, nfuncs, nprobes;
	struct gglobal globals[MAXG];
	struct bt_map_decl maps[MAXM];
	struct gfmt fmts[MAXFMT];
	struct gfunc f[MAXF];
	struct gprobe p[MAXP];
	uint32_t kc[12];	/* int constant pool indexes */
	uint32_t sc[12];	/* string constant pool indexes */
	int ctx;
	int conflict;		/* CF_* planted in function conflict_fn, or -1 */
	unsigned int conflict_fn;
	const char *mutation;
};

static uint64_t rnd(struct gen *g)
{
	uint64_t x = g->rs;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	g->rs = x;
	return x * 0x2545f4914f6cdd1dull;
}

static unsigned int rn(struct gen *g, unsigned int n)
{
	return n ? (unsigned int)(rnd(g) % n) : 0;
}

static int chance(struct gen *g, unsigned int pct)
{
	return rn(g, 100) < pct;
}

/* --- emitting code ------------------------------------------------------- */

struct fix {
	uint32_t pc;
	uint8_t field;		/* 0: a, 1: b, 2: c */
};

struct loopctx {
	int try_depth;		/* try depth at the loop's head */
	struct fix brk[MAXFIX], cont[MAXFIX];
	unsigned int nbrk, ncont;
};

struct cg {
	struct gen *g;
	struct gfunc *f;
	unsigned int fi;
	int try_depth, max_try;
	int it_depth, max_it;
	int ncount;		/* counted loops open (counter registers in use) */
	int nloops;
	struct loopctx loops[MAXLOOP];
	int stmts;		/* statements left to generate in this function */
	int nest;
};

static uint32_t emit(struct cg *c, unsigned int op, unsigned int x, unsigned int a,
		     unsigned int b, unsigned int cc)
{
	struct gfunc *f = c->f;

	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 64;
		f->code = xrealloc(f->code, f->cap * sizeof(*f->code));
	}
	f->code[f->n].op = op;
	f->code[f->n].x = x;
	f->code[f->n].a = a;
	f->code[f->n].b = b;
	f->code[f->n].c = cc;
	return f->n++;
}

static uint32_t emit_imm(struct cg *c, unsigned int op, unsigned int x, unsigned int a,
			 int32_t imm)
{
	uint32_t u = (uint32_t)imm;

	return emit(c, op, x, a, u & 0xffff, u >> 16);
}

/* A map instruction and its EXT word. */
static uint32_t emit_map(struct cg *c, unsigned int op, unsigned int x, unsigned int a,
			 unsigned int m, unsigned int kb, unsigned int ks,
			 unsigned int eb, unsigned int ec)
{
	uint32_t pc = emit(c, op, x, a, m, kb);

	emit(c, BT_OP_EXT, 0, ks, eb, ec);
	return pc;
}

static struct fix fix_of(uint32_t pc, int field)
{
	struct fix fx = { pc, (uint8_t)field };

	return fx;
}

/* Point a recorded jump at the next instruction to be emitted. */
static void land(struct cg *c, struct fix fx)
{
	struct bt_insn *in = &c->f->code[fx.pc];
	uint16_t here = (uint16_t)c->f->n;

	if (fx.field == 0)
		in->a = here;
	else if (fx.field == 1)
		in->b = here;
	else
		in->c = here;
}

/* --- operands -------------------------------------------------------------- */

static unsigned int r_rd(struct cg *c)
{
	return rn(c->g, c->f->fr.nregs);
}

static unsigned int r_wr(struct cg *c)
{
	return rn(c->g, c->f->wregs);
}

static unsigned int s_any(struct cg *c)
{
	return rn(c->g, c->f->fr.nstrs);
}

/* Base of n consecutive writable int registers (0 when n is 0). */
static unsigned int r_block(struct cg *c, unsigned int n)
{
	if (!n || n > c->f->wregs)
		return 0;
	return rn(c->g, c->f->wregs - n + 1);
}

static unsigned int s_block(struct cg *c, unsigned int n)
{
	if (!n || n > c->f->fr.nstrs)
		return 0;
	return rn(c->g, c->f->fr.nstrs - n + 1);
}

/* A value worth putting in a register: mostly small, sometimes extreme. */
static void load_int(struct cg *c, unsigned int r)
{
	struct gen *g = c->g;

	if (chance(g, 75))
		emit_imm(c, BT_OP_LDI, 0, r, (int32_t)rn(g, 10) - 1);
	else if (chance(g, 50))
		emit(c, BT_OP_LDK, 0, r, g->kc[rn(g, 12)], 0);
	else
		emit_imm(c, BT_OP_LDI, 0, r, (int32_t)(uint32_t)rnd(g));
}

static void load_str(struct cg *c, unsigned int s, int short_only)
{
	struct gen *g = c->g;

	emit(c, BT_OP_SLDK, 0, s, g->sc[rn(g, short_only ? 4 : 12)], 0);
}

static void key_counts(const struct bt_map_decl *m, unsigned int *nik, unsigned int *nsk)
{
	unsigned int i;

	*nik = *nsk = 0;
	for (i = 0; i < m->nkeys; i++) {
		if (m->key_kinds[i] == BT_KIND_STR)
			(*nsk)++;
		else
			(*nik)++;
	}
}

/* --- statements ---------------------------------------------------------- */

static void gen_block(struct cg *c, int n);

static void gen_arith(struct cg *c)
{
	static const uint8_t bin[] = {
		BT_OP_ADD, BT_OP_SUB, BT_OP_MUL, BT_OP_DIV, BT_OP_MOD, BT_OP_AND,
		BT_OP_OR, BT_OP_XOR, BT_OP_SHL, BT_OP_SHR, BT_OP_USHR,
	};
	static const uint8_t un[] = { BT_OP_MOV, BT_OP_NEG, BT_OP_NOT, BT_OP_LNOT };
	struct gen *g = c->g;

	switch (rn(g, 6)) {
	case 0:
		load_int(c, r_wr(c));
		break;
	case 1:
		emit(c, un[rn(g, sizeof(un))], 0, r_wr(c), r_rd(c), 0);
		break;
	case 2:
		emit(c, BT_OP_ADDI, 0, r_wr(c), r_rd(c), (uint16_t)((int)rn(g, 64) - 32));
		break;
	case 3:
		emit(c, BT_OP_CMP, rn(g, BT_CMP_GE + 1), r_wr(c), r_rd(c), r_rd(c));
		break;
	default: {
		unsigned int op = bin[rn(g, sizeof(bin))], d = r_rd(c);

		/* mostly a divisor that is not 0, or most handlers would end there */
		if ((op == BT_OP_DIV || op == BT_OP_MOD) && chance(g, 80) && d < c->f->wregs)
			emit_imm(c, BT_OP_LDI, 0, d, (int32_t)rn(g, 7) - 3 ? : 1);
		emit(c, op, 0, r_wr(c), r_rd(c), d);
		break;
	}
	}
}

static void gen_string(struct cg *c)
{
	struct gen *g = c->g;

	switch (rn(g, 5)) {
	case 0:
	case 1:
		load_str(c, s_any(c), 0);
		break;
	case 2:
		emit(c, BT_OP_SMOV, 0, s_any(c), s_any(c), 0);
		break;
	case 3:
		emit(c, BT_OP_SCAT, 0, s_any(c), s_any(c), s_any(c));
		break;
	default:
		emit(c, BT_OP_SCMP, rn(g, BT_CMP_GE + 1), r_wr(c), s_any(c), s_any(c));
		break;
	}
}

static void gen_global(struct cg *c)
{
	struct gen *g = c->g;
	unsigned int gi = rn(g, g->nglobals);
	int wr = chance(g, 40);

	if (g->globals[gi].kind == BT_KIND_INT) {
		if (wr)
			emit(c, BT_OP_GST, 0, gi, r_rd(c), 0);
		else
			emit(c, BT_OP_GLD, 0, r_wr(c), gi, 0);
	} else {
		if (wr)
			emit(c, BT_OP_GSST, 0, gi, s_any(c), 0);
		else
			emit(c, BT_OP_GSLD, 0, s_any(c), gi, 0);
	}
}

/* Fill a key tuple's registers with values likely to hit existing keys. */
static void load_keys(struct cg *c, const struct bt_map_decl *m, unsigned int kb,
		      unsigned int ks)
{
	unsigned int nik, nsk, i;

	key_counts(m, &nik, &nsk);
	for (i = 0; i < nik; i++)
		if (chance(c->g, 60))
			emit_imm(c, BT_OP_LDI, 0, kb + i, (int32_t)rn(c->g, m->capacity + 3));
	for (i = 0; i < nsk; i++)
		if (chance(c->g, 50))
			load_str(c, ks + i, 1);
}

/* One operation on map mi with the key tuple at kb / ks. */
static void gen_map_op_at(struct cg *c, unsigned int mi, unsigned int kb, unsigned int ks)
{
	struct gen *g = c->g;
	const struct bt_map_decl *m = &g->maps[mi];
	unsigned int r = rn(g, 10);

	if (m->val_kind == BT_KIND_STATS) {
		int hist = m->hist_kind != BT_HIST_NONE;
		/* @count and @sum of nothing are 0, the others an error */
		unsigned int stat = chance(g, 50) ? rn(g, 2) :
				    rn(g, (m->flags & BT_MAP_VARIANCE) ? 6 : 5);

		if (r < 4) {
			emit_map(c, BT_OP_MSTAT, 0, r_rd(c), mi, kb, ks, 0, 0);
		} else if (r < 6) {
			emit_map(c, BT_OP_MAGG, 0, r_wr(c), mi, kb, ks, stat,
				 stat == BT_AGG_VARIANCE ? m->var_shift : 0);
		} else if (r == 6 && hist) {
			unsigned int ra = r_wr(c);

			if (chance(g, 50))
				emit_map(c, BT_OP_MSTAT, 0, r_rd(c), mi, kb, ks, 0, 0);

			emit_imm(c, BT_OP_LDI, 0, ra, (int32_t)rn(g, 24) - 1);
			emit_map(c, BT_OP_MHIST, 0, ra, mi, kb, ks, 0, 0);
		} else if (r == 7 && hist) {
			emit_map(c, BT_OP_PRINTHIST, rn(g, 3), 0, mi, kb, ks, 0, 0);
		} else if (m->nkeys == 0 || r == 8) {
			if (m->nkeys && chance(g, 50))
				emit_map(c, BT_OP_MIN, 0, r_wr(c), mi, kb, ks, 0, 0);
			else if (m->nkeys && chance(g, 50))
				emit(c, BT_OP_MCOUNT, 0, r_wr(c), mi, 0);
			else
				emit_map(c, BT_OP_MSTAT, 0, r_rd(c), mi, kb, ks, 0, 0);
		} else if (chance(g, 70)) {
			emit_map(c, BT_OP_MDEL, 0, 0, mi, kb, ks, 0, 0);
		} else {
			emit(c, BT_OP_MCLEAR, 0, 0, mi, 0);
		}
		return;
	}
	if (r < 3)
		emit_map(c, m->val_kind == BT_KIND_INT ? BT_OP_MGET : BT_OP_MGETS, 0,
			 m->val_kind == BT_KIND_INT ? r_wr(c) : s_any(c), mi, kb, ks, 0, 0);
	else if (r < 6)
		emit_map(c, m->val_kind == BT_KIND_INT ? BT_OP_MSET : BT_OP_MSETS, 0,
			 m->val_kind == BT_KIND_INT ? r_rd(c) : s_any(c), mi, kb, ks, 0, 0);
	else if (r == 6 && m->val_kind == BT_KIND_INT)
		emit_map(c, BT_OP_MADD, 0, r_wr(c), mi, kb, ks, 0, 0);
	else if (r == 7)
		emit_map(c, BT_OP_MIN, 0, r_wr(c), mi, kb, ks, 0, 0);
	else if (r == 8)
		emit_map(c, BT_OP_MDEL, 0, 0, mi, kb, ks, 0, 0);
	else if (chance(g, 70))
		emit(c, BT_OP_MCOUNT, 0, r_wr(c), mi, 0);
	else
		emit(c, BT_OP_MCLEAR, 0, 0, mi, 0);
}

static void gen_map(struct cg *c)
{
	struct gen *g = c->g;
	unsigned int mi = rn(g, g->nmaps), nik, nsk, kb, ks;

	key_counts(&g->maps[mi], &nik, &nsk);
	kb = r_block(c, nik);
	ks = s_block(c, nsk);
	load_keys(c, &g->maps[mi], kb, ks);
	gen_map_op_at(c, mi, kb, ks);
}

/* Builtins that read memory at an address argument. */
static int takes_address(unsigned int id)
{
	switch (id) {
	case BT_B_KERNEL_STRING: case BT_B_KERNEL_STRING_N: case BT_B_USER_STRING:
	case BT_B_USER_STRING_N: case BT_B_KERNEL_LONG: case BT_B_KERNEL_INT:
	case BT_B_KERNEL_SHORT: case BT_B_KERNEL_CHAR: case BT_B_KERNEL_POINTER:
	case BT_B_USER_LONG: case BT_B_USER_INT: case BT_B_USER_SHORT:
	case BT_B_USER_CHAR: case BT_B_SYMNAME: case BT_B_SYMDATA:
		return 1;
	default:
		return 0;
	}
}

static void gen_callb(struct cg *c)
{
	struct gen *g = c->g;
	unsigned int id = rn(g, BT_B__COUNT), ni, ns, b, s, i;
	const struct bt_builtin_info *bi;

	/* abort() ends the session, matched() & co. fail without a MATCH: rare */
	if ((id == BT_B_ABORT || id == BT_B_MATCHED || id == BT_B_MATCHED_STR ||
	     id == BT_B_NGROUPS) && !chance(g, 10))
		id = BT_B_STRLEN;
	bi = &bt_builtin_info[id];
	ni = bi->nargs_i ? bi->nargs_i : bi->ret == 'i';
	ns = bi->nargs_s ? bi->nargs_s : bi->ret == 's';
	b = r_block(c, ni);
	s = s_block(c, ns);
	if (takes_address(id) && chance(g, 70))
		emit(c, BT_OP_LDK, 0, b, g->kc[rn(g, 12)], 0);
	else
		for (i = 0; i < bi->nargs_i; i++)
			if (chance(g, 50))
				emit_imm(c, BT_OP_LDI, 0, b + i, (int32_t)rn(g, 12) - 2);
	if ((id == BT_B_REGISTER || id == BT_B_U_REGISTER) && chance(g, 80))
		emit(c, BT_OP_SLDK, 0, s, g->sc[4 + rn(g, 3)], 0);
	emit(c, BT_OP_CALLB, 0, id, b, s);
}

static void gen_call(struct cg *c)
{
	struct gen *g = c->g;
	unsigned int fi = rn(g, g->nfuncs), ni, ns, b, s;
	const struct bt_func_decl *fr;

	/* mostly calls down the function list, sometimes recursion */
	if (fi <= c->fi && chance(g, 85)) {
		if (c->fi + 1 >= g->nfuncs) {
			gen_arith(c);
			return;
		}
		fi = c->fi + 1 + rn(g, g->nfuncs - c->fi - 1);
	}
	fr = &g->f[fi].fr;

	ni = fr->nparam_i ? fr->nparam_i : fr->ret_kind == BT_KIND_INT;
	ns = fr->nparam_s ? fr->nparam_s : fr->ret_kind == BT_KIND_STR;
	b = r_block(c, ni);
	s = s_block(c, ns);
	if (fr->nparam_i && chance(g, 50))
		emit_imm(c, BT_OP_LDI, 0, b, (int32_t)rn(g, 6));
	emit(c, BT_OP_CALL, 0, fi, b, s);
}

static void gen_print(struct cg *c)
{
	struct gen *g = c->g;
	const struct gfmt *fm = &g->fmts[rn(g, g->nfmts)];
	unsigned int b = r_block(c, fm->ni), s = s_block(c, fm->ns);

	if (chance(g, 70)) {
		emit(c, BT_OP_PRINTF, 0, fm->idx, b, s);
	} else {
		emit(c, BT_OP_SPRINTF, 0, fm->idx, b, s);
		emit(c, BT_OP_EXT, 0, s_any(c), 0, 0);
	}
}

/* A conditional forward jump; returns the fix for its target. */
static struct fix gen_cond(struct cg *c)
{
	struct gen *g = c->g;
	uint32_t pc;

	switch (rn(g, 3)) {
	case 0:
		return fix_of(emit(c, BT_OP_JZ, 0, r_rd(c), 0, 0), 1);
	case 1:
		return fix_of(emit(c, BT_OP_JNZ, 0, r_rd(c), 0, 0), 1);
	default:
		pc = emit(c, BT_OP_JCMP, rn(g, BT_CMP_GE + 1), r_rd(c), r_rd(c), 0);
		return fix_of(pc, 2);
	}
}

static int sub_len(struct cg *c)
{
	return 1 + rn(c->g, 4);
}

static void gen_if(struct cg *c)
{
	struct fix cond = gen_cond(c), end;

	gen_block(c, sub_len(c));
	if (chance(c->g, 50)) {
		end = fix_of(emit(c, BT_OP_JMP, 0, 0, 0, 0), 0);
		land(c, cond);
		gen_block(c, sub_len(c));
		land(c, end);
	} else {
		land(c, cond);
	}
}

static struct loopctx *push_loop(struct cg *c)
{
	struct loopctx *l = &c->loops[c->nloops++];

	memset(l, 0, sizeof(*l));
	l->try_depth = c->try_depth;
	return l;
}

/* After the body: continues land on the LOOP, the rest after it. */
static void close_loop(struct cg *c, struct loopctx *l, uint32_t top, struct fix exit)
{
	unsigned int i;

	for (i = 0; i < l->ncont; i++)
		land(c, l->cont[i]);
	emit(c, BT_OP_LOOP, chance(c->g, 20) ? BT_ACT_LE0 : 0, top, 1 + rn(c->g, 3), 0);
	land(c, exit);
	for (i = 0; i < l->nbrk; i++)
		land(c, l->brk[i]);
	c->nloops--;
}

/* for (n = N; n; n--) { ... }: the counter is a reserved register. */
static void gen_loop(struct cg *c)
{
	struct gen *g = c->g;
	unsigned int cnt = c->f->wregs + c->ncount;
	int32_t n = chance(g, 95) ? (int32_t)rn(g, 7) : (int32_t)(1000 + rn(g, 100000));
	struct loopctx *l;
	struct fix exit;
	uint32_t top;

	emit_imm(c, BT_OP_LDI, 0, cnt, n);
	top = c->f->n;
	exit = fix_of(emit(c, BT_OP_JZ, 0, cnt, 0, 0), 1);
	emit(c, BT_OP_ADDI, 0, cnt, cnt, 0xffff);
	c->ncount++;
	l = push_loop(c);
	gen_block(c, sub_len(c));
	c->ncount--;
	close_loop(c, l, top, exit);
}

/* foreach ([k...] in m [sorted]) { keys, value, body, maybe m[k...] op } */
static void gen_foreach(struct cg *c, unsigned int mi)
{
	struct gen *g = c->g;
	const struct bt_map_decl *m = &g->maps[mi];
	unsigned int it = c->it_depth, sort = chance(g, 35) ? 1 + rn(g, 2) : 0;
	unsigned int col = 0, stat = 0, nik, nsk, kb, ks, i, ki = 0, si = 0;
	struct loopctx *l;
	struct fix exit;
	uint32_t top;

	if (sort) {
		col = rn(g, m->nkeys + 1);
		if (col == 0 && m->val_kind == BT_KIND_STATS)
			stat = rn(g, (m->flags & BT_MAP_VARIANCE) ? 6 : 5);
	}
	if (++c->it_depth > c->max_it)
		c->max_it = c->it_depth;
	emit_map(c, BT_OP_ITINIT, sort, it, mi, 0, col, stat, 0);
	top = c->f->n;
	exit = fix_of(emit(c, BT_OP_ITNEXT, 0, it, 0, 0), 1);
	key_counts(m, &nik, &nsk);
	kb = r_block(c, nik);
	ks = s_block(c, nsk);
	for (i = 0; i < m->nkeys; i++) {
		if (m->key_kinds[i] == BT_KIND_STR)
			emit(c, BT_OP_ITKEYS, 0, ks + si++, it, i);
		else
			emit(c, BT_OP_ITKEY, 0, kb + ki++, it, i);
	}
	if (m->val_kind == BT_KIND_STR)
		emit(c, BT_OP_ITVALS, 0, s_any(c), it, 0);
	else if (chance(g, 70))
		emit(c, BT_OP_ITVAL, 0, r_wr(c), it, 0);
	l = push_loop(c);
	if (chance(g, 40))
		gen_map_op_at(c, mi, kb, ks);	/* e.g. delete the current element */
	gen_block(c, sub_len(c));
	close_loop(c, l, top, exit);
	c->it_depth--;
}

static void gen_try(struct cg *c)
{
	struct gen *g = c->g;
	struct fix t = fix_of(emit(c, BT_OP_TRY, 0, 0, 0, 0), 0), end;

	if (++c->try_depth > c->max_try)
		c->max_try = c->try_depth;
	gen_block(c, sub_len(c));
	emit(c, BT_OP_TRYEND, 0, 0, 0, 0);
	c->try_depth--;
	if (chance(g, 85)) {
		end = fix_of(emit(c, BT_OP_JMP, 0, 0, 0, 0), 0);
		land(c, t);
		if (chance(g, 70))
			emit(c, BT_OP_CATCHMSG, 0, s_any(c), 0, 0);
		if (chance(g, 60))
			gen_block(c, sub_len(c));
		land(c, end);
	} else {
		/* the catch block is also the fall-through path */
		land(c, t);
	}
}

/* if (r) break; / if (r) continue; out of the innermost loop. */
static void gen_break(struct cg *c)
{
	struct loopctx *l = &c->loops[c->nloops - 1];
	int brk = chance(c->g, 60);
	unsigned int *n = brk ? &l->nbrk : &l->ncont;
	struct fix skip = gen_cond(c);
	uint32_t pc;

	if (*n < MAXFIX) {
		pc = emit(c, BT_OP_JMP, (unsigned int)(c->try_depth - l->try_depth), 0, 0, 0);
		(brk ? l->brk : l->cont)[(*n)++] = fix_of(pc, 0);
	}
	land(c, skip);
}

/* if (r) return [v]; / if (r) next; */
static void gen_return(struct cg *c)
{
	struct fix skip = gen_cond(c);
	unsigned int rk = c->f->fr.ret_kind;

	if (rk == BT_KIND_INT && chance(c->g, 70))
		emit(c, BT_OP_RETI, 0, r_rd(c), 0, 0);
	else if (rk == BT_KIND_STR && chance(c->g, 70))
		emit(c, BT_OP_RETS, 0, s_any(c), 0, 0);
	else
		emit(c, chance(c->g, 20) ? BT_OP_NEXT : BT_OP_RET, 0, 0, 0, 0);
	land(c, skip);
}

static void gen_misc(struct cg *c)
{
	struct gen *g = c->g;
	struct fix skip;

	switch (rn(g, 6)) {
	case 0:
		skip = gen_cond(c);
		emit(c, BT_OP_ERROR, rn(g, 2), s_any(c), 0, 0);
		land(c, skip);
		break;
	case 1:
		gen_arith(c);
		break;
	case 2:
		emit(c, BT_OP_CATCHMSG, 0, s_any(c), 0, 0);
		break;
	case 3:
		emit_imm(c, BT_OP_ACT, rn(g, 4), 0, (int32_t)rn(g, 20));
		break;
	case 4:
		if (chance(g, 15))
			emit(c, BT_OP_EXIT, 0, 0, 0, 0);
		else
			emit(c, BT_OP_NOP, 0, 0, 0, 0);
		break;
	default:
		gen_string(c);
		break;
	}
}

static int iterable_map(struct gen *g)
{
	unsigned int start = rn(g, g->nmaps + 1), i;

	for (i = 0; i < g->nmaps; i++) {
		unsigned int m = (start + i) % g->nmaps;

		if (g->maps[m].nkeys)
			return (int)m;
	}
	return -1;
}

static void gen_stmt(struct cg *c)
{
	struct gen *g = c->g;
	int deep = c->nest < MAXNEST && c->stmts > 2;
	unsigned int r = rn(g, 100);
	int m;

	c->stmts--;
	c->nest++;
	if (r < 22)
		gen_arith(c);
	else if (r < 32)
		gen_string(c);
	else if (r < 38 && g->nglobals)
		gen_global(c);
	else if (r < 56 && g->nmaps)
		gen_map(c);
	else if (r < 62)
		gen_callb(c);
	else if (r < 66)
		gen_call(c);
	else if (r < 71)
		gen_print(c);
	else if (r < 78 && deep)
		gen_if(c);
	else if (r < 82 && deep && c->ncount < LOOP_REGS && c->nloops < MAXLOOP)
		gen_loop(c);
	else if (r < 86 && deep && c->it_depth < MAXIT && c->nloops < MAXLOOP &&
		 (m = iterable_map(g)) >= 0)
		gen_foreach(c, (unsigned int)m);
	else if (r < 91 && deep && c->try_depth < MAXTRY)
		gen_try(c);
	else if (r < 94 && c->nloops)
		gen_break(c);
	else if (r < 96)
		gen_return(c);
	else
		gen_misc(c);
	c->nest--;
}

static void gen_block(struct cg *c, int n)
{
	while (n-- > 0 && c->stmts > 0)
		gen_stmt(c);
}

/* --- planted state conflicts ------------------------------------------------ */

/*
 * Well-formed code but for one construct that reaches an instruction in
 * two VM states, each a way a front end (or an attacker) could get the
 * try stack or the iterators wrong; the verifier must refuse every one,
 * with a message that says so (conflict_expect: a piece of it).  Planted
 * at a function's top level (no try block, loop or foreach open), so the
 * conflict is the construct's own.  Iterator conflicts use the slot
 * MAXIT, which no generated foreach uses, so that no earlier foreach can
 * have set it up.
 */
enum {
	CF_INTO_TRY, CF_OUT_OF_TRY, CF_LEAVE_TOO_MANY, CF_TRYEND_UNMATCHED,
	CF_LOOP_INTO_TRY, CF_CATCH_IN_TRY, CF_SKIP_ITINIT, CF_ITER_NEVER, CF__COUNT
};

const char *const gen_conflict_names[] = {
	"jump into a try region past its TRY",
	"jump out of a try region without leaving it",
	"JMP leaves more try blocks than are open",
	"TRYEND with no try block open",
	"LOOP back from inside a try region",
	"catch target inside another try region",
	"foreach entered past its ITINIT",
	"iterator read outside any foreach",
	NULL,
};

static const char *const conflict_expect[] = {
	"reached", "reached", "JMP leaves", "TRYEND without TRY", "LOOP to",
	"as the catch target", "reads iterator", "reads iterator",
};

static void open_try(struct cg *c)
{
	if (++c->try_depth > c->max_try)
		c->max_try = c->try_depth;
}

/* TRYEND, then the catch block of the TRY whose target is t. */
static void close_try(struct cg *c, struct fix t)
{
	struct fix end;

	emit(c, BT_OP_TRYEND, 0, 0, 0, 0);
	c->try_depth--;
	end = fix_of(emit(c, BT_OP_JMP, 0, 0, 0, 0), 0);
	land(c, t);
	emit(c, BT_OP_CATCHMSG, 0, s_any(c), 0, 0);
	land(c, end);
}

static struct fix emit_try(struct cg *c)
{
	struct fix t = fix_of(emit(c, BT_OP_TRY, 0, 0, 0, 0), 0);

	open_try(c);
	return t;
}

static void plant_conflict(struct cg *c, int kind)
{
	struct gen *g = c->g;
	struct fix t, t2, j, skip, exit, inner[3];
	unsigned int cnt, i, n;
	uint32_t top, pc;
	int m;

	c->stmts += 4;		/* something inside the constructs */
	switch (kind) {
	case CF_INTO_TRY:	/* if (r) goto L; try { ...; L: ... } */
		j = gen_cond(c);
		t = emit_try(c);
		gen_block(c, sub_len(c));
		land(c, j);
		gen_block(c, sub_len(c));
		close_try(c, t);
		break;
	case CF_OUT_OF_TRY:	/* try { ...; if (r) goto L; ... } L: (JZ has no x) */
		t = emit_try(c);
		gen_block(c, sub_len(c));
		j = gen_cond(c);
		gen_block(c, sub_len(c));
		close_try(c, t);
		land(c, j);
		break;
	case CF_LEAVE_TOO_MANY:	/* n try blocks open, a JMP leaving more */
		n = rn(g, 3);
		for (i = 0; i < n; i++)
			inner[i] = emit_try(c);
		skip = gen_cond(c);
		j = fix_of(emit(c, BT_OP_JMP, (unsigned int)c->try_depth + 1 + rn(g, 2), 0, 0, 0), 0);
		land(c, skip);
		gen_block(c, sub_len(c));
		while (n--)
			close_try(c, inner[n]);
		land(c, j);
		break;
	case CF_TRYEND_UNMATCHED:
		if (chance(g, 50)) {	/* if (r) TRYEND */
			skip = gen_cond(c);
			emit(c, BT_OP_TRYEND, 0, 0, 0, 0);
			land(c, skip);
		} else {		/* try { ... } with two TRYENDs */
			t = emit_try(c);
			gen_block(c, sub_len(c));
			emit(c, BT_OP_TRYEND, 0, 0, 0, 0);
			close_try(c, t);	/* the second TRYEND */
		}
		break;
	case CF_LOOP_INTO_TRY:	/* for (...) { try { ... LOOP } }: no TRYEND on the back edge */
		cnt = c->f->wregs + c->ncount;
		emit_imm(c, BT_OP_LDI, 0, cnt, (int32_t)rn(g, 7));
		top = c->f->n;
		exit = fix_of(emit(c, BT_OP_JZ, 0, cnt, 0, 0), 1);
		emit(c, BT_OP_ADDI, 0, cnt, cnt, 0xffff);
		c->ncount++;
		t = emit_try(c);
		gen_block(c, sub_len(c));
		emit(c, BT_OP_LOOP, 0, top, 1, 0);
		c->try_depth--;
		c->ncount--;
		land(c, t);
		land(c, exit);
		break;
	case CF_CATCH_IN_TRY:	/* try { } whose catch target is inside a later try block */
		t2 = emit_try(c);
		gen_block(c, sub_len(c));
		emit(c, BT_OP_TRYEND, 0, 0, 0, 0);
		c->try_depth--;
		t = emit_try(c);
		gen_block(c, sub_len(c));
		land(c, t2);
		gen_block(c, sub_len(c));
		close_try(c, t);
		break;
	case CF_SKIP_ITINIT:	/* if (r) goto the ITNEXT of a foreach */
		if ((m = iterable_map(g)) >= 0) {
			int saved = c->it_depth;

			pc = emit(c, BT_OP_JZ, 0, r_rd(c), 0, 0);
			c->it_depth = MAXIT;
			gen_foreach(c, (unsigned int)m);	/* ITINIT + EXT first */
			c->it_depth = saved;
			c->f->code[pc].b = (uint16_t)(pc + 3);
			break;
		}
		/* no map to iterate */
		/* fall through */
	default:		/* CF_ITER_NEVER */
		emit(c, BT_OP_ITVAL, 0, r_wr(c), MAXIT, 0);
		if (c->max_it < MAXIT + 1)
			c->max_it = MAXIT + 1;
		break;
	}
}

/* The last instruction: a return of the function's kind, or an endless loop. */
static void gen_end(struct cg *c)
{
	struct gen *g = c->g;
	unsigned int rk = c->f->fr.ret_kind;

	if (chance(g, 5) && c->ncount < LOOP_REGS) {
		/* n = N; while (1) { if (!--n) return; ... }: ends in LOOP */
		unsigned int cnt = c->f->wregs;
		uint32_t top;
		struct fix cont;

		emit_imm(c, BT_OP_LDI, 0, cnt, (int32_t)rn(g, 5));
		top = emit(c, BT_OP_ADDI, 0, cnt, cnt, 0xffff);
		cont = fix_of(emit(c, BT_OP_JNZ, 0, cnt, 0, 0), 1);
		emit(c, BT_OP_RET, 0, 0, 0, 0);
		land(c, cont);
		c->ncount++;
		c->stmts = 2;
		gen_block(c, 2);
		c->ncount--;
		emit(c, BT_OP_LOOP, 0, top, 1, 0);
		return;
	}
	if (rk == BT_KIND_INT && chance(g, 80))
		emit(c, BT_OP_RETI, 0, r_rd(c), 0, 0);
	else if (rk == BT_KIND_STR && chance(g, 80))
		emit(c, BT_OP_RETS, 0, s_any(c), 0, 0);
	else
		emit(c, c->f->handler && chance(g, 20) ? BT_OP_NEXT : BT_OP_RET, 0, 0, 0, 0);
}

/* conflict: one of CF_*, planted after some of the statements, or -1 */
static void gen_function(struct gen *g, unsigned int fi, int stmts, int conflict)
{
	struct cg c;

	memset(&c, 0, sizeof(c));
	c.g = g;
	c.f = &g->f[fi];
	c.fi = fi;
	c.stmts = stmts;
	if (conflict >= 0) {
		gen_block(&c, (int)rn(g, (unsigned int)stmts / 2 + 1));
		plant_conflict(&c, conflict);
	}
	while (c.stmts > 0)
		gen_block(&c, c.stmts);
	gen_end(&c);
	c.f->fr.niters = (uint16_t)(c.max_it + (chance(g, 10) ? 1 : 0));
	c.f->fr.ntries = (uint16_t)(c.max_try + (chance(g, 10) ? 1 : 0));
}

/* --- tables ----------------------------------------------------------------- */

static const char *const str_pool[12] = {
	"", "a", "bb", "key",		/* short: map keys */
	"rax", "rip", "nosuchreg",	/* register() names */
	"hello world", "%d%s%n", " \t,", "0x1234",
	"a rather long string that will not fit in a small MAXSTRINGLEN limit at all, "
	"no, not even close; it goes on and on for well over a hundred bytes",
};

static const int64_t int_pool[12] = {
	0, 1, -1, 4096, INT64_MAX, INT64_MIN,
	(int64_t)0xffffffff81000000ull,	/* kernel text (nokaslr) */
	(int64_t)0xffff888000000000ull,	/* the direct map */
	(int64_t)0x00007ffffffff000ull,	/* top of user space */
	(int64_t)0xdead000000000000ull,	/* non-canonical */
	39,				/* __NR_getpid */
	(int64_t)0xffffffffff600000ull,	/* vsyscall page */
};

static void gen_pools(struct gen *g)
{
	unsigned int i;

	for (i = 0; i < 12; i++) {
		g->kc[i] = pb_const(g->pb, int_pool[i]);
		g->sc[i] = pb_strconst(g->pb, str_pool[i]);
	}
}

static void gen_limits(struct gen *g)
{
	static const uint32_t act[] = { 50, 200, 1000, 5000, 10000 };
	static const uint32_t slen[] = { 8, 32, 64, 128, 256, 512 };
	struct bt_limits *l = &g->lim;

	*l = bt_default_limits();
	l->maxaction = act[rn(g, g->ctx ? 3 : 5)];
	l->maxnesting = chance(g, 5) ? 0 : 1 + rn(g, 10);
	l->maxstringlen = slen[rn(g, 6)];
	l->maxerrors = chance(g, 20) ? rn(g, 5) : 0;
}

static void gen_globals(struct gen *g)
{
	unsigned int i;

	g->nglobals = rn(g, MAXG);
	for (i = 0; i < g->nglobals; i++) {
		struct gglobal *gl = &g->globals[i];

		gl->kind = chance(g, 60) ? BT_KIND_INT : BT_KIND_STR;
		gl->has_init = chance(g, 50);
		if (gl->has_init)
			gl->init = gl->kind == BT_KIND_INT ? g->kc[rn(g, 12)] : g->sc[rn(g, 12)];
	}
}

static void gen_one_map(struct gen *g, struct bt_map_decl *m)
{
	unsigned int k, r = rn(g, 100);

	memset(m, 0, sizeof(*m));
	m->val_kind = r < 40 ? BT_KIND_INT : r < 65 ? BT_KIND_STR : BT_KIND_STATS;
	if (m->val_kind == BT_KIND_STATS)
		m->nkeys = chance(g, 25) ? 0 : 1 + rn(g, 3);
	else
		m->nkeys = 1 + rn(g, 3);
	for (k = 0; k < m->nkeys; k++)
		m->key_kinds[k] = chance(g, 65) ? BT_KIND_INT : BT_KIND_STR;
	m->capacity = chance(g, 85) ? 1 + rn(g, 16) : 64 << rn(g, 3);
	if (m->nkeys == 0)
		m->capacity = 1;
	if (chance(g, 20))
		m->flags |= BT_MAP_WRAP;
	if (chance(g, 30))
		m->flags |= BT_MAP_SIZED;
	if (m->val_kind != BT_KIND_STATS)
		return;
	if (chance(g, 30)) {
		m->flags |= BT_MAP_VARIANCE;
		m->var_shift = rn(g, 4);
	}
	r = rn(g, 10);
	if (r < 3) {
		m->hist_kind = BT_HIST_LOG;
	} else if (r < 6) {
		m->hist_kind = BT_HIST_LINEAR;
		m->hist_start = (int64_t)rn(g, 31) - 20;
		m->hist_interval = 1 + rn(g, 10);
		m->hist_stop = m->hist_start + m->hist_interval * (1 + rn(g, 20));
	}
}

static void gen_maps(struct gen *g)
{
	unsigned int i;

	g->nmaps = rn(g, MAXM);
	for (i = 0; i < g->nmaps; i++)
		gen_one_map(g, &g->maps[i]);
}

/* Formats from pieces whose argument kinds are known. */
static void gen_formats(struct gen *g)
{
	static const struct { const char *s; uint8_t ni, ns; } piece[] = {
		{ "%d", 1, 0 }, { "%5d", 1, 0 }, { "%-3i", 1, 0 }, { "%u", 1, 0 },
		{ "%x", 1, 0 }, { "%#X", 1, 0 }, { "%o", 1, 0 }, { "%p", 1, 0 },
		{ "%c", 1, 0 }, { "%s", 0, 1 }, { "%.3s", 0, 1 }, { "%-8s", 0, 1 },
		{ "%*d", 2, 0 }, { "%.*s", 1, 1 }, { "%b", 1, 0 }, { "%4b", 1, 0 },
		{ "%.4m", 1, 0 }, { "%.8M", 1, 0 }, { "%%", 0, 0 }, { "x=", 0, 0 },
		{ " ", 0, 0 },
	};
	unsigned int i, j;

	g->nfmts = 1 + rn(g, MAXFMT);
	for (i = 0; i < g->nfmts; i++) {
		char text[128] = "";
		unsigned int ni = 0, ns = 0, n = rn(g, 5);

		for (j = 0; j < n; j++) {
			unsigned int p = rn(g, sizeof(piece) / sizeof(piece[0]));

			if (ni + piece[p].ni > 4 || ns + piece[p].ns > 3)
				continue;
			strcat(text, piece[p].s);
			ni += piece[p].ni;
			ns += piece[p].ns;
		}
		strcat(text, chance(g, 80) ? "\n" : "");
		g->fmts[i].idx = pb_format(g->pb, text, ni, ns);
		g->fmts[i].ni = ni;
		g->fmts[i].ns = ns;
	}
}

static void gen_frame(struct gen *g, struct gfunc *f, int handler)
{
	memset(&f->fr, 0, sizeof(f->fr));
	f->handler = handler;
	f->wregs = 6 + rn(g, 7);
	f->fr.nregs = f->wregs + LOOP_REGS;
	f->fr.nstrs = 4 + rn(g, 5);
	if (!handler) {
		f->fr.nparam_i = rn(g, 3);
		f->fr.nparam_s = rn(g, 3);
		f->fr.ret_kind = rn(g, 3);	/* NONE, INT, STR */
	}
}

/* A probe-context probe: timer, profile, tracepoint or kprobe. */
static void gen_ctx_probe(struct gen *g, struct gprobe *p)
{
	const struct gen_opts *o = g->o;
	unsigned int r = rn(g, 100);

	if (r < 30 && o->nkprobes) {
		const struct gen_kprobe *k;

		p->kp = (int)rn(g, o->nkprobes);
		k = &o->kprobes[p->kp];
		p->d.kind = k->ret_ok && chance(g, 30) ? BT_PROBE_KRETPROBE : BT_PROBE_KPROBE;
		p->d.offset = k->offset;
		snprintf(p->symbol, sizeof(p->symbol), "%s", k->symbol);
		snprintf(p->point, sizeof(p->point), "kernel.function(\"%s\")%s+%llu",
			 k->symbol, p->d.kind == BT_PROBE_KRETPROBE ? ".return" : "",
			 (unsigned long long)k->offset);
	} else if (r < 55 && o->ntracepoints) {
		const char *tp = o->tracepoints[rn(g, o->ntracepoints)];

		p->d.kind = BT_PROBE_TRACEPOINT;
		snprintf(p->symbol, sizeof(p->symbol), "%s", tp);
		snprintf(p->point, sizeof(p->point), "kernel.trace(\"%s\")", tp);
	} else if (r < 75) {
		p->d.kind = BT_PROBE_PROFILE;
		snprintf(p->point, sizeof(p->point), "timer.profile");
	} else {
		static const uint64_t period[] = { 100000, 1000000, 4000000, 10000000 };

		p->d.kind = BT_PROBE_TIMER;
		p->d.period_ns = period[rn(g, 4)];
		if (chance(g, 30))
			p->d.randomize_ns = p->d.period_ns / 4;
		snprintf(p->point, sizeof(p->point), "timer.ns(%llu)",
			 (unsigned long long)p->d.period_ns);
	}
}

static void gen_probes(struct gen *g)
{
	static const char *const pname[] = { "", "begin", "end", "error", "never" };
	unsigned int nh, nctx = 0, i;

	g->nprobes = 1 + rn(g, 3);
	g->ctx = chance(g, g->o->ctx_pct);
	if (g->ctx)
		nctx = 1 + rn(g, 2);
	g->nprobes += nctx;
	nh = g->nprobes - (g->nprobes > 1 && chance(g, 20));	/* sometimes shared */
	g->nfuncs = nh + rn(g, 4);
	if (g->nfuncs > MAXF)
		g->nfuncs = MAXF;
	for (i = 0; i < g->nfuncs; i++) {
		gen_frame(g, &g->f[i], i < nh);
		snprintf(g->f[i].name, sizeof(g->f[i].name), i < nh ? "probe_%u" : "fn_%u", i);
	}
	for (i = 0; i < g->nprobes; i++) {
		struct gprobe *p = &g->p[i];
		unsigned int r = rn(g, 100);

		memset(p, 0, sizeof(*p));
		p->kp = -1;
		p->d.handler = i < nh ? i : rn(g, nh);
		if (i >= g->nprobes - nctx) {
			gen_ctx_probe(g, p);
			continue;
		}
		p->d.kind = r < 65 ? BT_PROBE_BEGIN : r < 88 ? BT_PROBE_END :
			    r < 97 ? BT_PROBE_ERROR : BT_PROBE_NEVER;
		p->d.seq = (int64_t)rn(g, 3) - 1;
		snprintf(p->point, sizeof(p->point), "%s", pname[p->d.kind]);
	}
}

/* --- what code touches: lock sets ------------------------------------------ */

enum { ACC_READ = 1, ACC_WRITE = 2, ACC_ADD = 4 };

struct access {
	uint8_t g[MAXG + 1];
	uint8_t m[MAXM + 1];
	uint8_t calls[MAXF];
};

/* Instruction words of op: 2 with an EXT word. */
static unsigned int words(const struct bt_insn *in)
{
	return in->op < BT_OP__COUNT && bt_op_info[in->op].has_ext ? 2 : 1;
}

/*
 * What in touches, by the verifier's own rule (bt_insn_lock_need(), I5 of
 * bt_verify.h), so that the generator declares what is verified and a
 * change of the rule reaches the fuzzer.  Out-of-range indexes (mutants)
 * go to a slot of their own.
 */
static void note_insn(const struct gen *g, const struct bt_insn *in, struct access *a)
{
	uint8_t space, acc;
	uint32_t index;
	int stats;

	if (in->op >= BT_OP__COUNT || in->op == BT_OP_EXT)
		return;
	if (in->op == BT_OP_CALL) {
		if (in->a < g->nfuncs)
			a->calls[in->a] = 1;
		return;
	}
	stats = bt_op_info[in->op].opd[1] == BT_O_M && in->b < g->nmaps &&
		g->maps[in->b].val_kind == BT_KIND_STATS;
	switch (bt_insn_lock_need(in, stats, &space, &index)) {
	case BT_NEED_NONE:
		return;
	case BT_NEED_READ:
		acc = ACC_READ;
		break;
	case BT_NEED_STAT_ADD:
		acc = ACC_ADD;	/* shared if the program shrinks the map: below */
		break;
	default:
		acc = ACC_WRITE;
		break;
	}
	if (space == BT_LOCK_GLOBAL)
		a->g[index < g->nglobals ? index : MAXG] |= acc;
	else
		a->m[index < g->nmaps ? index : MAXM] |= acc;
}

static void func_access(const struct gen *g, unsigned int fi, struct access *a)
{
	const struct gfunc *f = &g->f[fi];
	uint32_t pc;

	for (pc = 0; pc < f->n; pc += words(&f->code[pc]))
		note_insn(g, &f->code[pc], a);
}

/* Maps some code deletes from (MDEL, MCLEAR): then <<< needs a shared lock. */
static void shrunk_maps(const struct gen *g, uint8_t *shrunk)
{
	unsigned int fi;
	uint32_t pc;

	memset(shrunk, 0, MAXM + 1);
	for (fi = 0; fi < g->nfuncs; fi++) {
		const struct gfunc *f = &g->f[fi];

		for (pc = 0; pc < f->n; pc += words(&f->code[pc])) {
			const struct bt_insn *in = &f->code[pc];

			if ((in->op == BT_OP_MDEL || in->op == BT_OP_MCLEAR) && in->b < g->nmaps &&
			    g->maps[in->b].val_kind == BT_KIND_STATS)
				shrunk[in->b] = 1;
		}
	}
}

/* The lock set handler fi and everything it calls need, sorted. */
static unsigned int needed_locks(const struct gen *g, unsigned int fi,
				 struct bt_lock_ref *out)
{
	struct access all, one;
	uint8_t seen[MAXF] = { 0 }, todo[MAXF], shrunk[MAXM + 1];
	unsigned int ntodo = 0, i, n = 0;

	memset(&all, 0, sizeof(all));
	todo[ntodo++] = (uint8_t)fi;
	seen[fi] = 1;
	while (ntodo) {
		unsigned int f = todo[--ntodo];

		memset(&one, 0, sizeof(one));
		func_access(g, f, &one);
		for (i = 0; i < MAXG + 1; i++)
			all.g[i] |= one.g[i];
		for (i = 0; i < MAXM + 1; i++)
			all.m[i] |= one.m[i];
		for (i = 0; i < g->nfuncs; i++)
			if (one.calls[i] && !seen[i]) {
				seen[i] = 1;
				todo[ntodo++] = (uint8_t)i;
			}
	}
	shrunk_maps(g, shrunk);
	for (i = 0; i < g->nglobals; i++)
		if (all.g[i]) {
			out[n].space = BT_LOCK_GLOBAL;
			out[n].index = i;
			out[n].write = !!(all.g[i] & ACC_WRITE);
			out[n++].pad = 0;
		}
	for (i = 0; i < g->nmaps; i++) {
		uint8_t acc = all.m[i];

		if ((acc & ACC_ADD) && shrunk[i])
			acc |= ACC_READ;
		if (acc & (ACC_READ | ACC_WRITE)) {
			out[n].space = BT_LOCK_MAP;
			out[n].index = i;
			out[n].write = !!(acc & ACC_WRITE);
			out[n++].pad = 0;
		}
	}
	return n;
}

static void gen_locks(struct gen *g)
{
	unsigned int i;

	for (i = 0; i < g->nprobes; i++)
		g->p[i].nlocks = needed_locks(g, g->p[i].d.handler, g->p[i].locks);
}

/* Does every probe declare (at least) what its code needs? */
static int locks_cover(const struct gen *g)
{
	struct bt_lock_ref need[MAXG + MAXM + 2];
	unsigned int i, j, k, n;

	for (i = 0; i < g->nprobes; i++) {
		const struct gprobe *p = &g->p[i];

		if (p->d.handler >= g->nfuncs)
			continue;
		n = needed_locks(g, p->d.handler, need);
		for (j = 0; j < n; j++) {
			for (k = 0; k < p->nlocks; k++)
				if (p->locks[k].space == need[j].space &&
				    p->locks[k].index == need[j].index &&
				    p->locks[k].write >= need[j].write)
					break;
			if (k == p->nlocks)
				return 0;
		}
	}
	return 1;
}

/* --- VM state on every path: try stacks and iterators ------------------------ */

/*
 * The generator's own proof of invariants I3 and I4 of bt_verify.h, done
 * differently from bt_verify.c (a worklist over every path to a fixed
 * point, with the whole stack of open TRYs at each pc, rather than one
 * pass in pc order), so that the two can check each other: a pc reached
 * twice must see the same try stack, a JMP may pop only what is open, a
 * TRYEND needs its TRY; an error inside a try region goes to the catch
 * target with the stack as it was before the TRY.  Iterators: the slots
 * ITINIT set up on every path to a pc (intersected where paths meet,
 * re-walked until nothing shrinks), and every ITNEXT / ITKEY(S) /
 * ITVAL(S) must read one of those.  Out-of-range targets and operands are
 * the verifier's business (the walk ignores them).
 */
#define TS_MAX	(BT_MAX_TRY_NEST + 8)

struct tstate {
	uint8_t seen, queued, depth;
	uint16_t tries[TS_MAX];	/* pcs of the open TRYs, innermost last */
	uint64_t iters;		/* iterator slots set up on every path here */
};

enum { STATE_TRY_BAD = 1, STATE_ITER_BAD = 2 };

struct walk {
	struct tstate *st;
	uint32_t *work, nwork, n;
};

static int ts_same(const struct tstate *a, const struct tstate *b)
{
	return a->depth == b->depth &&
	       !memcmp(a->tries, b->tries, a->depth * sizeof(a->tries[0]));
}

/* Control reaches to with state s: 0, or STATE_TRY_BAD on a conflict. */
static int ts_flow(struct walk *w, uint32_t to, const struct tstate *s)
{
	struct tstate *d;

	if (to >= w->n)
		return 0;
	d = &w->st[to];
	if (!d->seen) {
		*d = *s;
		d->seen = 1;
	} else if (!ts_same(d, s)) {
		return STATE_TRY_BAD;
	} else if ((d->iters & s->iters) != d->iters) {
		d->iters &= s->iters;	/* fewer slots known: walk on from here again */
	} else {
		return 0;
	}
	if (!d->queued) {
		d->queued = 1;
		w->work[w->nwork++] = to;
	}
	return 0;
}

/* The iterator slot in reads (ITNEXT a, ITKEY & co. b), or -1. */
static int iter_read(const struct bt_insn *in)
{
	switch (in->op) {
	case BT_OP_ITNEXT:
		return in->a;
	case BT_OP_ITKEY: case BT_OP_ITKEYS: case BT_OP_ITVAL: case BT_OP_ITVALS:
		return in->b;
	default:
		return -1;
	}
}

static int state_check(const struct bt_insn *code, uint32_t n)
{
	struct walk w = { xcalloc(n + 1, sizeof(struct tstate)),
			  xcalloc(n + 1, sizeof(uint32_t)), 0, n };
	struct tstate s;
	uint32_t pc;
	int bad = 0, it;

	memset(&s, 0, sizeof(s));
	bad |= ts_flow(&w, 0, &s);
	while (w.nwork && !bad) {
		const struct bt_insn *in;
		uint32_t next;

		pc = w.work[--w.nwork];
		w.st[pc].queued = 0;
		in = &code[pc];
		next = pc + words(in);
		s = w.st[pc];
		s.seen = s.queued = 0;
		switch (in->op) {
		case BT_OP_TRY:
			bad |= ts_flow(&w, in->a, &s);
			if (s.depth >= TS_MAX)
				break;	/* the verifier's nesting limit */
			s.tries[s.depth++] = (uint16_t)pc;
			bad |= ts_flow(&w, next, &s);
			break;
		case BT_OP_TRYEND:
			if (!s.depth) {
				bad |= STATE_TRY_BAD;
				break;
			}
			s.depth--;
			bad |= ts_flow(&w, next, &s);
			break;
		case BT_OP_JMP:
			if (in->x > s.depth) {
				bad |= STATE_TRY_BAD;
				break;
			}
			s.depth -= in->x;
			bad |= ts_flow(&w, in->a, &s);
			break;
		case BT_OP_JZ: case BT_OP_JNZ: case BT_OP_ITNEXT:
			bad |= ts_flow(&w, in->b, &s);
			bad |= ts_flow(&w, next, &s);
			break;
		case BT_OP_JCMP:
			bad |= ts_flow(&w, in->c, &s);
			bad |= ts_flow(&w, next, &s);
			break;
		case BT_OP_LOOP:
			bad |= ts_flow(&w, in->a, &s);
			break;
		case BT_OP_RET: case BT_OP_RETI: case BT_OP_RETS: case BT_OP_NEXT:
		case BT_OP_ERROR:
			break;
		case BT_OP_ITINIT:
			if (in->a < 64)
				s.iters |= 1ull << in->a;
			bad |= ts_flow(&w, next, &s);
			break;
		default:
			bad |= ts_flow(&w, next, &s);
			break;
		}
	}
	/* the iterator sets are final only now */
	for (pc = 0; pc < n && !bad; pc++)
		if (w.st[pc].seen && (it = iter_read(&code[pc])) >= 0 &&
		    (it >= 64 || !(w.st[pc].iters >> it & 1)))
			bad |= STATE_ITER_BAD;
	free(w.st);
	free(w.work);
	return bad;
}

static int states_bad(const struct gen *g)
{
	unsigned int i;
	int bad = 0;

	for (i = 0; i < g->nfuncs; i++)
		bad |= state_check(g->f[i].code, g->f[i].n);
	return bad;
}

/* --- mutations ------------------------------------------------------------ */

enum {
	MUT_RETARGET, MUT_JMPX, MUT_SWAP, MUT_DELETE, MUT_DUP, MUT_OPERAND,
	MUT_OPCODE, MUT_MAP, MUT_LOCK_DROP, MUT_LOCK_FLIP, MUT_LOCK_ORDER,
	MUT_TRY, MUT_LIMIT, MUT_FRAME, MUT_PROBE, MUT_BYTES, MUT__COUNT
};

const char *const gen_mutation_names[] = {
	"retarget a jump", "change a JMP's x", "swap instructions",
	"delete an instruction", "duplicate an instruction", "neighbouring operand",
	"change an opcode", "change a map", "drop a lock", "flip a lock's write flag",
	"unsort the locks", "insert TRY/TRYEND", "change a limit", "change a frame",
	"change a probe", "byte flips", NULL,
};

/* Which fields of in (0..2 main, 3..5 EXT) are jump targets. */
static int is_target(const struct bt_insn *in, int field)
{
	if (in->op >= BT_OP__COUNT || field > 2)
		return 0;
	return bt_op_info[in->op].opd[field] == BT_O_T ||
	       bt_op_info[in->op].opd[field] == BT_O_TB;
}

static uint16_t *field_of(struct bt_insn *in, int field)
{
	return field == 0 ? &in->a : field == 1 ? &in->b : &in->c;
}

static struct gfunc *pick_func(struct gen *g)
{
	return &g->f[rn(g, g->nfuncs)];
}

/* Every jump target t >= from moves by delta (an insert or a delete). */
static void shift_targets(struct gfunc *f, uint32_t from, int delta)
{
	uint32_t pc;
	int k;

	for (pc = 0; pc < f->n; pc++)
		for (k = 0; k < 3; k++)
			if (is_target(&f->code[pc], k)) {
				uint16_t *t = field_of(&f->code[pc], k);

				if (*t >= from)
					*t = (uint16_t)(*t + delta);
			}
}

static void insert_words(struct gfunc *f, uint32_t at, const struct bt_insn *w,
			 unsigned int n)
{
	if (f->n + n > f->cap) {
		f->cap = f->n + n + 16;
		f->code = xrealloc(f->code, f->cap * sizeof(*f->code));
	}
	memmove(&f->code[at + n], &f->code[at], (f->n - at) * sizeof(*f->code));
	memcpy(&f->code[at], w, n * sizeof(*w));
	f->n += n;
}

static int find_op(struct gen *g, struct gfunc *f, int (*want)(const struct bt_insn *))
{
	uint32_t start = rn(g, f->n), i;

	for (i = 0; i < f->n; i++) {
		uint32_t pc = (start + i) % f->n;

		if (want(&f->code[pc]))
			return (int)pc;
	}
	return -1;
}

static int is_jump(const struct bt_insn *in)
{
	return is_target(in, 0) || is_target(in, 1) || is_target(in, 2);
}

static int is_jmp(const struct bt_insn *in)
{
	return in->op == BT_OP_JMP;
}

static int mut_retarget(struct gen *g)
{
	struct gfunc *f = pick_func(g);
	int pc = find_op(g, f, is_jump), k;
	uint16_t *t;

	if (pc < 0)
		return -1;
	for (k = 0; !is_target(&f->code[pc], k); k++)
		;
	t = field_of(&f->code[pc], k);
	if (chance(g, 40))
		*t = (uint16_t)rn(g, f->n + 2);
	else
		*t = (uint16_t)(*t + (chance(g, 50) ? 1 : -1) * (int)(1 + rn(g, 3)));
	return 0;
}

static int mut_jmpx(struct gen *g)
{
	struct gfunc *f = pick_func(g);
	int pc = find_op(g, f, is_jmp);

	if (pc < 0)
		return -1;
	if (chance(g, 70))
		f->code[pc].x = (uint8_t)(f->code[pc].x + (chance(g, 50) ? 1 : -1));
	else
		f->code[pc].x = (uint8_t)rn(g, BT_MAX_TRY_NEST + 3);
	return 0;
}

static int mut_swap(struct gen *g)
{
	struct gfunc *f = pick_func(g);
	uint32_t pc;
	struct bt_insn t;

	if (f->n < 2)
		return -1;
	pc = rn(g, f->n - 1);
	t = f->code[pc];
	f->code[pc] = f->code[pc + 1];
	f->code[pc + 1] = t;
	return 0;
}

/* Delete one instruction (with its EXT word, mostly), renumbering jumps. */
static int mut_delete(struct gen *g)
{
	struct gfunc *f = pick_func(g);
	uint32_t pc, n = 1;

	if (f->n < 2)
		return -1;
	pc = rn(g, f->n - 1);
	if (chance(g, 80)) {
		while (pc && f->code[pc].op == BT_OP_EXT)
			pc--;
		n = words(&f->code[pc]);
	}
	memmove(&f->code[pc], &f->code[pc + n], (f->n - pc - n) * sizeof(*f->code));
	f->n -= n;
	shift_targets(f, pc + 1, -(int)n);
	return 0;
}

static int mut_dup(struct gen *g)
{
	struct gfunc *f = pick_func(g);
	struct bt_insn w[2];
	uint32_t pc = rn(g, f->n), n;

	while (pc && f->code[pc].op == BT_OP_EXT)
		pc--;
	n = pc + 1 < f->n ? words(&f->code[pc]) : 1;
	memcpy(w, &f->code[pc], n * sizeof(w[0]));
	insert_words(f, pc + n, w, n);
	shift_targets(f, pc + n, (int)n);
	return 0;
}

/* Move one operand (not a jump target) to a neighbouring index. */
static int mut_operand(struct gen *g)
{
	struct gfunc *f = pick_func(g);
	uint32_t pc = rn(g, f->n);
	struct bt_insn *in = &f->code[pc];
	const struct bt_op_info *oi;
	uint16_t *fl;
	int k, tries;

	if (in->op == BT_OP_EXT && pc > 0)
		in--;
	if (in->op >= BT_OP__COUNT)
		return -1;
	oi = &bt_op_info[in->op];
	for (tries = 0; tries < 6; tries++) {
		k = (int)rn(g, oi->has_ext && in + 1 < f->code + f->n ? 6 : 3);
		if (k < 3 ? oi->opd[k] == BT_O_NONE || is_target(in, k) :
			    oi->ext_opd[k - 3] == BT_O_NONE)
			continue;
		fl = k < 3 ? field_of(in, k) : field_of(in + 1, k - 3);
		*fl = (uint16_t)(*fl + (chance(g, 60) ? 1 : -1) * (int)(1 + rn(g, 2)));
		return 0;
	}
	return -1;
}

static int mut_opcode(struct gen *g)
{
	struct gfunc *f = pick_func(g);
	struct bt_insn *in = &f->code[rn(g, f->n)];

	if (chance(g, 60))
		in->op = (uint8_t)(in->op + (chance(g, 50) ? 1 : -1));
	else
		in->op = (uint8_t)rn(g, BT_OP__COUNT + 2);
	return 0;
}

static int mut_map(struct gen *g)
{
	struct bt_map_decl *m;

	if (!g->nmaps)
		return -1;
	m = &g->maps[rn(g, g->nmaps)];
	switch (rn(g, 6)) {
	case 0:		/* huge: the module's memory ceilings refuse it */
		m->capacity = chance(g, 50) ? BT_CAP_MAPENTRIES : (uint32_t)rnd(g);
		break;
	case 1:
		m->capacity = rn(g, 3);
		break;
	case 2:
		if (m->nkeys)
			m->key_kinds[rn(g, m->nkeys)] ^= BT_KIND_INT ^ BT_KIND_STR;
		else
			return -1;
		break;
	case 3:
		if (m->nkeys < BT_MAX_KEYS && chance(g, 50))
			m->key_kinds[m->nkeys++] = chance(g, 50) ? BT_KIND_INT : BT_KIND_STR;
		else if (m->nkeys)
			m->key_kinds[--m->nkeys] = 0;
		break;
	case 4:
		m->val_kind = (uint8_t)(1 + rn(g, 3));
		break;
	default:
		m->hist_kind = (uint8_t)rn(g, 3);
		m->flags ^= (uint8_t)(1u << rn(g, 4));
		break;
	}
	return 0;
}

static struct gprobe *probe_with_locks(struct gen *g)
{
	unsigned int start = rn(g, g->nprobes), i;

	for (i = 0; i < g->nprobes; i++) {
		struct gprobe *p = &g->p[(start + i) % g->nprobes];

		if (p->nlocks)
			return p;
	}
	return NULL;
}

static int mut_lock(struct gen *g, int how)
{
	struct gprobe *p = probe_with_locks(g);
	unsigned int k;

	if (!p)
		return -1;
	k = rn(g, p->nlocks);
	if (how == MUT_LOCK_DROP) {
		memmove(&p->locks[k], &p->locks[k + 1], (p->nlocks - k - 1) * sizeof(p->locks[0]));
		p->nlocks--;
	} else if (how == MUT_LOCK_FLIP) {
		p->locks[k].write ^= 1;
	} else if (p->nlocks > 1) {
		struct bt_lock_ref t = p->locks[0];

		p->locks[0] = p->locks[p->nlocks - 1];
		p->locks[p->nlocks - 1] = t;
	} else {
		p->locks[1] = p->locks[0];	/* a duplicate */
		p->nlocks = 2;
	}
	return 0;
}

static int mut_try(struct gen *g)
{
	struct gfunc *f = pick_func(g);
	uint32_t pc = rn(g, f->n);
	struct bt_insn w = { 0 };

	while (pc && f->code[pc].op == BT_OP_EXT)
		pc--;
	if (chance(g, 50)) {
		w.op = BT_OP_TRY;
		w.a = (uint16_t)(pc + 1 + rn(g, f->n - pc + 1));
	} else {
		w.op = BT_OP_TRYEND;
	}
	shift_targets(f, pc, 1);
	insert_words(f, pc, &w, 1);
	if (chance(g, 70))
		f->fr.ntries++;
	return 0;
}

static int mut_limit(struct gen *g)
{
	struct bt_limits *l = &g->lim;

	switch (rn(g, 6)) {
	case 0:		/* above the module's max_action ceiling */
		l->maxaction = chance(g, 50) ? UINT32_MAX : INT32_MAX;
		break;
	case 1:
		l->maxnesting = chance(g, 50) ? 0 : chance(g, 50) ? BT_CAP_MAXNESTING : UINT32_MAX;
		break;
	case 2:
		l->maxstringlen = chance(g, 30) ? 1 : chance(g, 50) ? 2 : BT_CAP_MAXSTRINGLEN;
		break;
	case 3:
		l->maxaction = chance(g, 50) ? 0 : 1;
		break;
	case 4:
		/* no overload guard: the per-hit time guard still bounds a hit */
		l->flags = chance(g, 50) ? BT_LIMIT_NO_OVERLOAD : 1u << rn(g, 32);
		break;
	default:
		l->maxerrors = chance(g, 50) ? UINT32_MAX : 0;
		l->maxskipped = rn(g, 2);
		break;
	}
	return 0;
}

static int mut_frame(struct gen *g)
{
	struct gfunc *f = pick_func(g);

	switch (rn(g, 6)) {
	case 0:
		f->fr.nregs = (uint16_t)(f->fr.nregs + (chance(g, 70) ? -1 : 1000));
		break;
	case 1:
		f->fr.nstrs = (uint16_t)(f->fr.nstrs + (chance(g, 70) ? -1 : 1000));
		break;
	case 2:
		f->fr.niters = (uint16_t)(f->fr.niters + (chance(g, 50) ? -1 : 1));
		break;
	case 3:
		f->fr.ntries = (uint16_t)(f->fr.ntries + (chance(g, 50) ? -1 : 1));
		break;
	case 4:
		f->fr.nparam_i = (uint16_t)(f->fr.nparam_i + (chance(g, 50) ? -1 : 1));
		break;
	default:
		f->fr.ret_kind = (uint8_t)rn(g, 4);
		break;
	}
	return 0;
}

static int mut_probe(struct gen *g)
{
	struct gprobe *p = &g->p[rn(g, g->nprobes)];

	switch (rn(g, 4)) {
	case 0: {
		/* a kprobe without ATTACH, or a begin probe with a period... */
		p->d.kind = (uint16_t)(1 + rn(g, BT_PROBE__MAX));
		break;
	}
	case 1:
		p->d.handler = rn(g, g->nfuncs + 1);
		break;
	case 2:
		p->d.period_ns = chance(g, 50) ? rn(g, 20000) : rnd(g);
		break;
	default:
		p->d.offset += 1 + rn(g, 3);
		break;
	}
	return 0;
}

static int mutate_model(struct gen *g, int which)
{
	switch (which) {
	case MUT_RETARGET: return mut_retarget(g);
	case MUT_JMPX: return mut_jmpx(g);
	case MUT_SWAP: return mut_swap(g);
	case MUT_DELETE: return mut_delete(g);
	case MUT_DUP: return mut_dup(g);
	case MUT_OPERAND: return mut_operand(g);
	case MUT_OPCODE: return mut_opcode(g);
	case MUT_MAP: return mut_map(g);
	case MUT_LOCK_DROP: case MUT_LOCK_FLIP: case MUT_LOCK_ORDER:
		return mut_lock(g, which);
	case MUT_TRY: return mut_try(g);
	case MUT_LIMIT: return mut_limit(g);
	case MUT_FRAME: return mut_frame(g);
	case MUT_PROBE: return mut_probe(g);
	default:
		return 0;	/* MUT_BYTES, after serializing */
	}
}

/* Byte flips anywhere in the blob, mostly in the code. */
static void flip_bytes(struct gen *g, uint8_t *b, size_t size)
{
	unsigned int n = 1 + rn(g, 4), i;

	for (i = 0; i < n; i++) {
		size_t at = rn(g, (unsigned int)size);

		if (chance(g, 50))
			b[at] ^= (uint8_t)(1u << rn(g, 8));
		else
			b[at] = (uint8_t)rnd(g);
	}
}

/* --- serializing -------------------------------------------------------------- */

static int serialize(struct gen *g, struct gen_out *out)
{
	struct progbuild *pb = g->pb;
	unsigned int i;
	uint32_t pc;
	char name[16];
	int rc;

	for (i = 0; i < g->nglobals; i++) {
		snprintf(name, sizeof(name), "g%u", i);
		pb_global(pb, name, g->globals[i].kind, g->globals[i].has_init,
			  g->globals[i].init);
	}
	for (i = 0; i < g->nmaps; i++) {
		snprintf(name, sizeof(name), "m%u", i);
		pb_map(pb, name, &g->maps[i]);
	}
	for (i = 0; i < g->nfuncs; i++)
		pb_func_declare(pb, g->f[i].name);
	for (i = 0; i < g->nfuncs; i++) {
		struct gfunc *f = &g->f[i];

		pb_func_begin(pb, i);
		pb_loc(pb, f->name);
		for (pc = 0; pc < f->n; pc++) {
			const struct bt_insn *in = &f->code[pc];

			pb_emit(pb, in->op, in->x, in->a, in->b, in->c);
		}
		pb_func_end(pb, &f->fr);
	}
	for (i = 0; i < g->nprobes; i++) {
		struct gprobe *p = &g->p[i];

		pb_probe(pb, &p->d, p->point, p->symbol, p->locks, p->nlocks);
		if ((p->d.kind == BT_PROBE_KPROBE || p->d.kind == BT_PROBE_KRETPROBE) &&
		    p->kp >= 0 && out->nattach < GEN_MAX_ATTACH) {
			out->attach[out->nattach].probe = i;
			out->attach[out->nattach++].kp = (unsigned int)p->kp;
		}
	}
	pb_limits(pb, &g->lim);
	rc = pb_serialize(pb, &out->blob, &out->size);
	pb_free(pb);
	g->pb = NULL;
	return rc;
}

/* --- the whole program ---------------------------------------------------------- */

static void gen_code(struct gen *g)
{
	unsigned int i;

	for (i = 0; i < g->nfuncs; i++) {
		/* probe-context handlers stay short: they run on every hit */
		int n = g->ctx ? 3 + (int)rn(g, 12) : 3 + (int)rn(g, 30);

		gen_function(g, i, n, g->conflict >= 0 && i == g->conflict_fn ? g->conflict : -1);
	}
}

static void free_model(struct gen *g)
{
	unsigned int i;

	for (i = 0; i < MAXF; i++)
		free(g->f[i].code);
	if (g->pb)
		pb_free(g->pb);
}

int gen_program(uint64_t seed, const struct gen_opts *o, struct gen_out *out)
{
	struct gen *g = xcalloc(1, sizeof(*g));
	int nmut = 0, rc, bytes = 0;

	memset(out, 0, sizeof(*out));
	g->rs = splitmix(&seed) | 1;
	g->o = o;
	g->pb = pb_new();
	g->mutation = "none";
	gen_pools(g);
	gen_probes(g);
	gen_limits(g);
	gen_globals(g);
	gen_maps(g);
	gen_formats(g);
	g->conflict = -1;
	if (chance(g, o->conflict_pct)) {
		g->conflict = (int)rn(g, CF__COUNT);
		g->conflict_fn = rn(g, g->nfuncs);
	}
	gen_code(g);
	gen_locks(g);

	if (g->conflict >= 0) {
		nmut = 1;	/* not well-formed, and no mutation on top */
		g->mutation = "state conflict";
		out->conflict = gen_conflict_names[g->conflict];
		out->expect = conflict_expect[g->conflict];
	} else if (chance(g, o->mutate_pct)) {
		int want = chance(g, 70) ? 1 : 2 + (int)rn(g, 2), tries;

		for (tries = 0; nmut < want && tries < 20; tries++) {
			int which = (int)rn(g, MUT__COUNT);

			if (mutate_model(g, which) == 0) {
				if (!nmut)
					g->mutation = gen_mutation_names[which];
				bytes |= which == MUT_BYTES;
				nmut++;
			}
		}
	}
	out->mutated = nmut > 0;
	out->mutation = g->mutation;
	out->ctx = g->ctx;
	rc = states_bad(g);
	out->try_bad = !!(rc & STATE_TRY_BAD);
	out->iter_bad = !!(rc & STATE_ITER_BAD);
	out->locks_bad = !locks_cover(g);
	out->must_refuse = out->try_bad || out->iter_bad || out->locks_bad;
	rc = serialize(g, out);
	if (rc == 0 && bytes) {
		flip_bytes(g, out->blob, out->size);
		/*
		 * The verdicts above are about the model; a flipped byte can
		 * change any of them (a TRYEND's opcode 17 with one bit flipped
		 * is DIV), so after MUT_BYTES nothing is known either way.
		 */
		out->try_bad = out->iter_bad = out->locks_bad = out->must_refuse = 0;
	}
	free_model(g);
	free(g);
	return rc;
}

void gen_out_free(struct gen_out *out)
{
	free(out->blob);
	out->blob = NULL;
}
