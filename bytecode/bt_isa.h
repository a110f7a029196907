/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bt_isa.h - the bytetap instruction set, in one place.
 *
 * The VM is a statically typed register machine.  Each function (a probe
 * handler is a function with no parameters) owns a frame of
 *
 *	r[0 .. nregs)	64-bit signed integers          ("R" operands)
 *	s[0 .. nstrs)	strings, MAXSTRINGLEN bytes each ("S" operands)
 *	it[0 .. niters)	map iterators for foreach       ("IT" operands)
 *
 * all zeroed ("" for strings) when the frame is entered, so nothing leaks
 * from one probe hit to the next.  The compiler knows every type, so the VM
 * never checks a type at run time; the verifier (bt_verify.c) proves once,
 * before a program runs, that every operand is in range for its kind.
 *
 * Instruction format: 8 bytes, little-endian in the program file.
 *
 *	+--------+--------+-----------------+-----------------+-----------------+
 *	|  op: 8 |  x: 8  |      a: 16      |      b: 16      |      c: 16      |
 *	+--------+--------+-----------------+-----------------+-----------------+
 *
 * IMM means the 32-bit signed immediate b | c << 16 (BT_IMM()).
 * Jump targets are absolute instruction indexes within the current
 * function (a function has at most 65535 instructions).  Every jump goes
 * forward (target > pc) except LOOP, the one back edge, which charges the
 * action budget each time it is taken - that is why every program ends.
 *
 * Map instructions take a key tuple and need more operands than fit in
 * one word, so they are followed by an EXT word (op == BT_OP_EXT) that
 * carries the rest; a jump may never land on an EXT word.  A key tuple for
 * map m, whose declaration lists nkeys key kinds, lives in registers:
 * the integer keys, in tuple order, in r[kb ...], the string keys, in tuple
 * order, in s[ks ...], where kb is the main word's c and ks is EXT.a.
 *
 * Call-like instructions (CALL, CALLB, PRINTF, SPRINTF) take their
 * arguments the same way: the integer arguments in order from r[b], the
 * string arguments in order from s[c]; a result goes to r[b] (integer) or
 * s[c] (string).
 *
 * Runtime errors (division by 0, array overflow, ...) abort the handler,
 * or jump to the innermost TRY's catch target; the error's source location
 * is found from the program's location table by the failing pc.
 */
#ifndef BT_ISA_H
#define BT_ISA_H

#include "bt_types.h"

struct bt_insn {
	uint8_t op;
	uint8_t x;
	uint16_t a;
	uint16_t b;
	uint16_t c;
};

#define BT_IMM(in)	((int32_t)((uint32_t)(in)->b | ((uint32_t)(in)->c << 16)))
#define BT_MAX_FUNC_INSNS	65535u
#define BT_MAX_KEYS		9

/* Value kinds, used by declarations and signatures. */
enum bt_kind {
	BT_KIND_NONE = 0,	/* no value: a function returning nothing */
	BT_KIND_INT = 1,
	BT_KIND_STR = 2,
	BT_KIND_STATS = 3,	/* only as a map value */
};

/* Operand kinds: what the verifier checks each field against. */
enum bt_opd {
	BT_O_NONE,	/* must be zero */
	BT_O_R,		/* int register, read */
	BT_O_RW,	/* int register, written */
	BT_O_S,		/* string register, read */
	BT_O_SW,	/* string register, written */
	BT_O_K,		/* index into the int constant pool */
	BT_O_KS,	/* index into the string constant pool */
	BT_O_G,		/* global of the kind the opcode names */
	BT_O_M,		/* map index */
	BT_O_F,		/* function index */
	BT_O_FMT,	/* format index */
	BT_O_RX,	/* regex index */
	BT_O_T,		/* forward jump target: pc < t < function length */
	BT_O_TB,	/* LOOP target: t <= pc */
	BT_O_IT,	/* iterator slot */
	BT_O_N,		/* plain unsigned number, checked by the opcode's rule */
	BT_O_B,		/* builtin id (bt_builtin.h) */
	BT_O_KEYI,	/* int key base: r[v .. v + int keys of the map) */
	BT_O_KEYS,	/* string key base (in the EXT word) */
	BT_O_ARGI,	/* int argument base, checked against the callee */
	BT_O_ARGS,	/* string argument base, checked against the callee */
	BT_O_IMMLO,	/* low half of a 32-bit immediate (b; c is the high half) */
	BT_O_IMMHI,
};

/* Sub-operations in x. */
enum bt_cmp { BT_CMP_EQ, BT_CMP_NE, BT_CMP_LT, BT_CMP_LE, BT_CMP_GT, BT_CMP_GE };
enum bt_agg {		/* MAGG EXT.b: which statistic to extract */
	BT_AGG_COUNT, BT_AGG_SUM, BT_AGG_MIN, BT_AGG_MAX, BT_AGG_AVG, BT_AGG_VARIANCE,
};
/*
 * ACT / LOOP x: SystemTap checks its budget two ways, and a clone that
 * wants to fail on exactly the same statement needs both: up front for a
 * straight-line body ("if (actionremaining < N)", no charge) and after a
 * basic block ("actionremaining -= N; if (actionremaining <= 0)").
 */
enum bt_act_flags {
	BT_ACT_LE0 = 1,		/* fail when the budget is <= 0, not < 0 */
	BT_ACT_CHECK = 2,	/* ACT only: fail if budget < IMM; don't charge */
};
enum bt_sort {		/* ITINIT x */
	BT_SORT_NONE, BT_SORT_ASC, BT_SORT_DESC,
};

/*
 * The opcode table.  X(NAME, a, b, c, has_ext, ext_a, ext_b, ext_c)
 * Each line's comment is the instruction's specification.  Opcodes are
 * part of the program format: append only, and bump BT_ABI_MINOR
 * (bt_prog.h) with every one appended.
 */
#define BT_OPCODES(X)								\
/* --- control -------------------------------------------------------- */	\
X(NOP,    NONE, NONE, NONE,  0, NONE, NONE, NONE) /* nothing */			\
X(EXT,    NONE, NONE, NONE,  0, NONE, NONE, NONE) /* operand word of the previous insn; never executed */ \
X(ACT,    NONE, IMMLO, IMMHI, 0, NONE, NONE, NONE) /* budget -= IMM (>= 0); < 0: "MAXACTION exceeded" (not catchable); x: enum bt_act_flags */ \
X(JMP,    T,    NONE, NONE,  0, NONE, NONE, NONE) /* leave x try blocks (pop their catch frames: break/continue out of try), pc = a */		\
X(JZ,     R,    T,    NONE,  0, NONE, NONE, NONE) /* if r[a] == 0: pc = b */	\
X(JNZ,    R,    T,    NONE,  0, NONE, NONE, NONE) /* if r[a] != 0: pc = b */	\
X(JCMP,   R,    R,    T,     0, NONE, NONE, NONE) /* if r[a] <x> r[b] (signed, enum bt_cmp): pc = c */ \
X(LOOP,   TB,   N,    NONE,  0, NONE, NONE, NONE) /* budget -= b (>= 1); < 0: "MAXACTION exceeded"; pc = a; x: BT_ACT_LE0 or 0 */ \
X(CALL,   F,    ARGI, ARGS,  0, NONE, NONE, NONE) /* call func a; args from r[b..]/s[c..]; result to r[b]/s[c]; costs 1 action; depth > MAXNESTING: "MAXNESTING exceeded" */ \
X(CALLB,  B,    ARGI, ARGS,  0, NONE, NONE, NONE) /* builtin a, same argument convention as CALL */ \
X(RET,    NONE, NONE, NONE,  0, NONE, NONE, NONE) /* return, no value (int result 0 / "" if the function has a kind) */ \
X(RETI,   R,    NONE, NONE,  0, NONE, NONE, NONE) /* return r[a]; only in a function of ret_kind INT */ \
X(RETS,   S,    NONE, NONE,  0, NONE, NONE, NONE) /* return s[a]; only in a function of ret_kind STR */ \
X(NEXT,   NONE, NONE, NONE,  0, NONE, NONE, NONE) /* leave the probe handler now, from any depth */ \
X(ERROR,  S,    NONE, NONE,  0, NONE, NONE, NONE) /* raise runtime error with message s[a] (catchable); x = 0: error()'s, reported without location; x = 1: with this pc's */ \
X(EXIT,   NONE, NONE, NONE,  0, NONE, NONE, NONE) /* ask the host to end the session; the handler goes on */ \
X(TRY,    T,    NONE, NONE,  0, NONE, NONE, NONE) /* push a catch frame: a catchable error in what follows jumps to a */ \
X(TRYEND, NONE, NONE, NONE,  0, NONE, NONE, NONE) /* pop the innermost catch frame of this function */ \
X(CATCHMSG, SW, NONE, NONE,  0, NONE, NONE, NONE) /* s[a] = message of the error last caught */ \
/* --- integers ------------------------------------------------------- */	\
X(LDI,    RW,   IMMLO, IMMHI, 0, NONE, NONE, NONE) /* r[a] = IMM */			\
X(LDK,    RW,   K,    NONE,  0, NONE, NONE, NONE) /* r[a] = consts[b] */		\
X(MOV,    RW,   R,    NONE,  0, NONE, NONE, NONE) /* r[a] = r[b] */			\
X(ADD,    RW,   R,    R,     0, NONE, NONE, NONE) /* r[a] = r[b] + r[c], wrapping */ \
X(SUB,    RW,   R,    R,     0, NONE, NONE, NONE) /* r[a] = r[b] - r[c], wrapping */ \
X(MUL,    RW,   R,    R,     0, NONE, NONE, NONE) /* r[a] = r[b] * r[c], wrapping */ \
X(DIV,    RW,   R,    R,     0, NONE, NONE, NONE) /* r[a] = r[b] / r[c] toward 0; c == 0: "division by 0"; x / -1 == -x */ \
X(MOD,    RW,   R,    R,     0, NONE, NONE, NONE) /* r[a] = r[b] % r[c]; c == 0: "division by 0"; x % -1 == 0 */ \
X(AND,    RW,   R,    R,     0, NONE, NONE, NONE) /* r[a] = r[b] & r[c] */		\
X(OR,     RW,   R,    R,     0, NONE, NONE, NONE) /* r[a] = r[b] | r[c] */		\
X(XOR,    RW,   R,    R,     0, NONE, NONE, NONE) /* r[a] = r[b] ^ r[c] */		\
X(SHL,    RW,   R,    R,     0, NONE, NONE, NONE) /* r[a] = r[b] << (r[c] & 63) */	\
X(SHR,    RW,   R,    R,     0, NONE, NONE, NONE) /* r[a] = r[b] >> (r[c] & 63), arithmetic */ \
X(USHR,   RW,   R,    R,     0, NONE, NONE, NONE) /* r[a] = (uint64)r[b] >> (r[c] & 63) */ \
X(ADDI,   RW,   R,    N,     0, NONE, NONE, NONE) /* r[a] = r[b] + (int16)c, wrapping */ \
X(NEG,    RW,   R,    NONE,  0, NONE, NONE, NONE) /* r[a] = -r[b], wrapping */	\
X(NOT,    RW,   R,    NONE,  0, NONE, NONE, NONE) /* r[a] = ~r[b] */			\
X(LNOT,   RW,   R,    NONE,  0, NONE, NONE, NONE) /* r[a] = !r[b] */			\
X(CMP,    RW,   R,    R,     0, NONE, NONE, NONE) /* r[a] = r[b] <x> r[c] ? 1 : 0 (signed, enum bt_cmp) */ \
/* --- strings -------------------------------------------------------- */	\
X(SLDK,   SW,   KS,   NONE,  0, NONE, NONE, NONE) /* s[a] = strconsts[b] (truncated to MAXSTRINGLEN-1) */ \
X(SMOV,   SW,   S,    NONE,  0, NONE, NONE, NONE) /* s[a] = s[b] */			\
X(SCAT,   SW,   S,    S,     0, NONE, NONE, NONE) /* s[a] = s[b] . s[c], truncated; a may equal b or c */ \
X(SCMP,   RW,   S,    S,     0, NONE, NONE, NONE) /* r[a] = strcmp(s[b], s[c]) <x> 0 ? 1 : 0 */ \
X(MATCH,  RW,   S,    RX,    0, NONE, NONE, NONE) /* r[a] = s[b] =~ regex c (x = 1: !~); keeps captures for matched() */ \
/* --- scalar globals ------------------------------------------------- */	\
X(GLD,    RW,   G,    NONE,  0, NONE, NONE, NONE) /* r[a] = int global b */	\
X(GST,    G,    R,    NONE,  0, NONE, NONE, NONE) /* int global a = r[b] */	\
X(GSLD,   SW,   G,    NONE,  0, NONE, NONE, NONE) /* s[a] = string global b */	\
X(GSST,   G,    S,    NONE,  0, NONE, NONE, NONE) /* string global a = s[b] */	\
/* --- maps (arrays and statistics; key tuple as in the header) -------- */	\
X(MGET,   RW,   M,    KEYI,  1, KEYS, NONE, NONE) /* r[a] = m[b][key], 0 if absent (no insert) */ \
X(MGETS,  SW,   M,    KEYI,  1, KEYS, NONE, NONE) /* s[a] = m[b][key], "" if absent */ \
X(MSET,   R,    M,    KEYI,  1, KEYS, NONE, NONE) /* m[b][key] = r[a]; full: "Array overflow, check ..." (wrap maps evict the oldest) */ \
X(MSETS,  S,    M,    KEYI,  1, KEYS, NONE, NONE) /* m[b][key] = s[a]; as MSET */ \
X(MADD,   RW,   M,    KEYI,  1, KEYS, NONE, NONE) /* m[b][key] += r[a]; r[a] = the new value; inserts like MSET */ \
X(MDEL,   NONE, M,    KEYI,  1, KEYS, NONE, NONE) /* delete m[b][key] if present */ \
X(MIN,    RW,   M,    KEYI,  1, KEYS, NONE, NONE) /* r[a] = key in m[b] ? 1 : 0 */ \
X(MSTAT,  R,    M,    KEYI,  1, KEYS, NONE, NONE) /* m[b][key] <<< r[a] (per-CPU); inserts like MSET */ \
X(MAGG,   RW,   M,    KEYI,  1, KEYS, N,    N)    /* r[a] = statistic EXT.b (enum bt_agg) of m[b][key], variance shift EXT.c; count/sum of absent = 0, others "empty aggregate" */ \
X(MHIST,  RW,   M,    KEYI,  1, KEYS, NONE, NONE) /* r[a] = count in histogram bucket r[a] of m[b][key]; bad bucket: "histogram index out of range" */ \
X(MCLEAR, NONE, M,    NONE,  0, NONE, NONE, NONE) /* delete every element of m[b] (a stats scalar becomes empty) */ \
X(MCOUNT, RW,   M,    NONE,  0, NONE, NONE, NONE) /* r[a] = number of elements in m[b] */ \
/* --- foreach -------------------------------------------------------- */	\
X(ITINIT, IT,   M,    NONE,  1, N,    N,    NONE) /* iterator a over m[b]; x = enum bt_sort: sort m[b]'s order in place (stable) by column EXT.a (0: value, 1..9: key) with statistic EXT.b for stats values; position before the first element */ \
X(ITNEXT, IT,   T,    NONE,  0, NONE, NONE, NONE) /* advance iterator a; none left: pc = b */ \
X(ITKEY,  RW,   IT,   N,     0, NONE, NONE, NONE) /* r[a] = int key c (tuple position) of iterator b's element */ \
X(ITKEYS, SW,   IT,   N,     0, NONE, NONE, NONE) /* s[a] = string key c of iterator b's element */ \
X(ITVAL,  RW,   IT,   NONE,  0, NONE, NONE, NONE) /* r[a] = int value of iterator b's element */ \
X(ITVALS, SW,   IT,   NONE,  0, NONE, NONE, NONE) /* s[a] = string value of iterator b's element */ \
/* --- output --------------------------------------------------------- */	\
X(PRINTF, FMT,  ARGI, ARGS,  0, NONE, NONE, NONE) /* emit a PRINTF record: format a, args from r[b..]/s[c..] */ \
X(SPRINTF, FMT, ARGI, ARGS,  1, SW,   NONE, NONE) /* s[EXT.a] = format a rendered with args from r[b..]/s[c..] */ \
X(PRINTHIST, NONE, M, KEYI,  1, KEYS, NONE, NONE) /* emit a HIST record of m[b][key]'s histogram; x = extra newlines; empty: "empty aggregate" */

enum bt_op {
#define BT_OP_ENUM(name, a, b, c, ext, ea, eb, ec) BT_OP_##name,
	BT_OPCODES(BT_OP_ENUM)
#undef BT_OP_ENUM
	BT_OP__COUNT
};

/* Per-opcode operand description, generated from BT_OPCODES (bt_isa.c). */
struct bt_op_info {
	const char *name;
	uint8_t opd[3];		/* enum bt_opd for a, b, c */
	uint8_t has_ext;
	uint8_t ext_opd[3];	/* enum bt_opd for EXT.a, EXT.b, EXT.c */
};

extern const struct bt_op_info bt_op_info[BT_OP__COUNT];

#endif /* BT_ISA_H */
