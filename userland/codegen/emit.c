/*
 * codegen/emit.c - the instruction stream of one bytecode function:
 * register blocks, emitting (and noting what each instruction touches,
 * for the lock sets), source locations, forward labels, constants.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "diag.h"
#include "bt_verify.h"

/* --- small helpers -------------------------------------------------- */

void cg_error(struct gen *g, const struct token *tok, const char *msg)
{
	diag_sema_error(g->cc, tok, "%s", msg);
	g->errors++;
}

/* A block of n consecutive int (or string) registers above those in use. */
int block_r(struct fn *f, int n)
{
	int base = f->top_r;

	f->top_r += n;
	if (f->top_r > f->max_r)
		f->max_r = f->top_r;
	return base;
}

int block_s(struct fn *f, int n)
{
	int base = f->top_s;

	f->top_s += n;
	if (f->top_s > f->max_s)
		f->max_s = f->top_s;
	return base;
}

int tmp_r(struct fn *f)
{
	return block_r(f, 1);
}

int tmp_s(struct fn *f)
{
	return block_s(f, 1);
}

static void note(struct gen *g, unsigned space, uint32_t index, unsigned mode)
{
	struct access a = { space, mode, index };

	VEC_PUSH(g->fnacc.a[g->cur_func].acc, a);
}

/*
 * Which global or map an instruction touches, and how: the verifier's own
 * rule (bt_insn_lock_need(), invariant I5), so that the lock sets
 * declared here are exactly the ones the kernel checks.
 */
static void note_access(struct gen *g, unsigned op, unsigned x, unsigned a,
			unsigned b)
{
	struct bt_insn in = { .op = op, .x = x, .a = a, .b = b };
	static const uint8_t mode[] = {
		[BT_NEED_READ] = ACC_READ, [BT_NEED_WRITE] = ACC_WRITE,
		[BT_NEED_STAT_ADD] = ACC_ADD,
		[BT_NEED_STAT_WRITE_ALL] = ACC_WRITE | ACC_XCPU,
	};
	int stats = bt_op_info[op].opd[1] == BT_O_M && b < g->nmaps_known &&
		    g->map_is_stats[b];
	uint8_t space;
	uint32_t index;
	int need;

	if (op == BT_OP_CALL) {
		VEC_PUSH(g->fnacc.a[g->cur_func].callees, a);
		return;
	}
	need = bt_insn_lock_need(&in, stats, &space, &index);
	if (need != BT_NEED_NONE)
		note(g, space, index, mode[need]);
}

uint32_t emit(struct fn *f, unsigned op, unsigned x, unsigned a,
		     unsigned b, unsigned c)
{
	note_access(f->g, op, x, a, b);
	return pb_emit(f->g->pb, op, x, a, b, c);
}

uint32_t declare_func(struct gen *g, const char *name)
{
	struct fnacc none = { 0 };

	VEC_PUSH(g->fnacc, none);
	return pb_func_declare(g->pb, name);
}

void begin_func(struct gen *g, uint32_t index)
{
	g->cur_func = index;
	pb_func_begin(g->pb, index);
}

void loc(struct fn *f, const struct token *tok)
{
	if (tok)
		pb_loc(f->g->pb, diag_token_desc(f->g->cc, tok));
}

struct label *label_new(void)
{
	struct label *l = xcalloc(1, sizeof(*l));

	l->target = -1;
	return l;
}

/* Which field of a jump holds its target. */
static void set_target(struct bt_insn *in, uint32_t t)
{
	switch (in->op) {
	case BT_OP_JMP:
	case BT_OP_TRY:
		in->a = t;
		break;
	case BT_OP_JZ:
	case BT_OP_JNZ:
	case BT_OP_ITNEXT:
		in->b = t;
		break;
	case BT_OP_JCMP:
		in->c = t;
		break;
	}
}

/* Emit a forward jump to l (op's other operands given). */
void jump(struct fn *f, struct label *l, unsigned op, unsigned x,
		 unsigned a, unsigned b)
{
	uint32_t pc = emit(f, op, x, a, b, 0);

	VEC_PUSH(l->refs, pc);
}

void label_here(struct fn *f, struct label *l)
{
	size_t i;

	l->target = pb_pc(f->g->pb);
	for (i = 0; i < l->refs.n; i++)
		set_target(pb_insn(f->g->pb, l->refs.a[i]), l->target);
	VEC_FREE(l->refs);
	free(l);
}

int is_long(const struct expr *e)
{
	return e->type == TY_LONG;
}

int is_str(const struct expr *e)
{
	return e->type == TY_STRING;
}

void load_int(struct fn *f, int dst, int64_t v)
{
	if (v >= INT32_MIN && v <= INT32_MAX) {
		pb_emit_imm(f->g->pb, BT_OP_LDI, dst, (int32_t)v);
	} else {
		emit(f, BT_OP_LDK, 0, dst, pb_const(f->g->pb, v), 0);
	}
}

void load_str(struct fn *f, int dst, const char *s)
{
	emit(f, BT_OP_SLDK, 0, dst, pb_strconst(f->g->pb, s), 0);
}
/* --- globals and maps ------------------------------------------------ */

struct gslot *slot_of(struct fn *f, struct symbol *sym)
{
	return &f->g->gslots[sym->index];
}
void emit_map(struct fn *f, unsigned op, unsigned x, unsigned a,
		     struct symbol *arr, int kb, int ks, unsigned eb, unsigned ec)
{
	emit(f, op, x, a, slot_of(f, arr)->index, kb);
	emit(f, BT_OP_EXT, 0, ks, eb, ec);
}
int want_r(struct fn *f, int dst)
{
	return dst >= 0 ? dst : tmp_r(f);
}

int want_s(struct fn *f, int dst)
{
	return dst >= 0 ? dst : tmp_s(f);
}
/* Escape % for a synthesized format. */
void fmt_append_lit(charvec *v, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '%')
			VEC_PUSH(*v, '%');
		VEC_PUSH(*v, s[i]);
	}
}
