/*
 * verify_rejects_hostile_code.c - table-driven: each bad function is
 * rejected by bt_verify() with a message naming the function and pc, in
 * the BPF verifier's style; good ones are accepted.
 */
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "test_host.h"
#include "bt_builtin.h"

#define MAXI 12

struct ins {
	unsigned int op, x, a, b, c;
};

struct vcase {
	const char *what;
	struct bt_func_decl frame;	/* nregs, nstrs, niters, ntries, ... */
	struct ins code[MAXI];
	int n;
	const char *want;		/* NULL: must be accepted */
};

#define F(r, s, it, tr)	{ .nregs = r, .nstrs = s, .niters = it, .ntries = tr }
#define I(op, x, a, b, c) { BT_OP_##op, x, a, b, c }
#define RET I(RET, 0, 0, 0, 0)
#define EXTW(a, b, c) I(EXT, 0, a, b, c)

/*
 * Fixed tables: maps 0 (int->int), 1 (str->str), 2 (stats, no hist,
 * variance shift 2), 3 (int->stats with log hist); globals 0 (int),
 * 1 (string); format 0 "%d %s"; function 1 "callee" (1 int, 1 string
 * parameter, returns int); function 2 "voidf" (no params, no result).
 */
static const struct vcase cases[] = {
	{ "accepts a good function", F(2, 2, 1, 1), {
		I(LDI, 0, 0, 5, 0), I(TRY, 0, 4, 0, 0), I(DIV, 0, 1, 0, 0),
		I(TRYEND, 0, 0, 0, 0), I(MGET, 0, 1, 0, 0), EXTW(0, 0, 0),
		I(CALL, 0, 1, 0, 0), RET }, 8, NULL },
	{ "unknown opcode", F(1, 0, 0, 0), { I(NOP, 0, 0, 0, 0), { 200, 0, 0, 0, 0 }, RET }, 3,
	  "func 'f' pc 1: unknown opcode 200" },
	{ "register out of range", F(2, 0, 0, 0), { I(MOV, 0, 5, 0, 0), RET }, 2,
	  "func 'f' pc 0: MOV: register r5 out of range (nregs 2)" },
	{ "string register out of range", F(0, 1, 0, 0), { I(SMOV, 0, 0, 1, 0), RET }, 2,
	  "string register s1 out of range" },
	{ "unused field not zero", F(1, 0, 0, 0), { I(RET, 0, 1, 0, 0) }, 1,
	  "func 'f' pc 0: RET: unused field a is 1, must be 0" },
	{ "x not zero", F(3, 0, 0, 0), { I(ADD, 1, 0, 1, 2), RET }, 2, "ADD: x = 1 out of range" },
	{ "jump target out of range", F(1, 0, 0, 0), { I(NOP, 0, 0, 0, 0), I(JMP, 0, 40, 0, 0), RET }, 3,
	  "func 'f' pc 1: jump target 40 out of range" },
	{ "backward JMP", F(1, 0, 0, 0), { I(NOP, 0, 0, 0, 0), I(JMP, 0, 0, 0, 0), RET }, 3,
	  "func 'f' pc 1: jump target 0 out of range" },
	{ "JZ onto itself", F(1, 0, 0, 0), { I(JZ, 0, 0, 0, 0), RET }, 2, "jump target 0 out of range" },
	{ "forward LOOP", F(1, 0, 0, 0), { I(LOOP, 0, 2, 1, 0), RET, RET }, 3,
	  "LOOP target 2 is not backward" },
	{ "LOOP without charge", F(1, 0, 0, 0), { I(NOP, 0, 0, 0, 0), I(LOOP, 0, 0, 0, 0) }, 2,
	  "LOOP: charge must be >= 1" },
	{ "jump onto an EXT word", F(2, 0, 0, 0), { I(JMP, 0, 2, 0, 0), I(MGET, 0, 0, 0, 1), EXTW(0, 0, 0), RET }, 4,
	  "jump target 2 is an EXT word" },
	{ "missing EXT", F(2, 0, 0, 0), { I(MGET, 0, 0, 0, 1), RET }, 2, "MGET needs an EXT word" },
	{ "stray EXT", F(1, 0, 0, 0), { EXTW(0, 0, 0), RET }, 2, "EXT word without an instruction" },
	{ "EXT field not zero", F(2, 0, 0, 0), { I(MGET, 0, 0, 0, 1), EXTW(0, 1, 0), RET }, 3,
	  "unused field EXT.b is 1" },
	{ "falls off the end", F(2, 0, 0, 0), { I(MOV, 0, 0, 1, 0) }, 1,
	  "func 'f' pc 0: function ends with MOV" },
	{ "ends with a conditional jump's fallthrough", F(1, 0, 0, 0), { I(JZ, 0, 0, 2, 0), RET, I(NOP, 0, 0, 0, 0) }, 3,
	  "function ends with NOP" },
	{ "negative ACT", F(1, 0, 0, 0), { I(ACT, 0, 0, 0xffff, 0xffff), RET }, 2, "ACT: negative charge -1" },
	{ "ACT x out of range", F(1, 0, 0, 0), { I(ACT, 4, 0, 1, 0), RET }, 2, "ACT: x = 4 out of range" },
	{ "MGET on a string map", F(2, 1, 0, 0), { I(MGET, 0, 0, 1, 0), EXTW(0, 0, 0), RET }, 3,
	  "MGET on map 'sm' whose values are not integers" },
	{ "MSTAT on an int map", F(2, 0, 0, 0), { I(MSTAT, 0, 0, 0, 1), EXTW(0, 0, 0), RET }, 3,
	  "MSTAT on map 'im' whose values are not statistics" },
	{ "MHIST without histogram", F(2, 0, 0, 0), { I(MHIST, 0, 0, 2, 0), EXTW(0, 0, 0), RET }, 3,
	  "MHIST on map 'st' which has no histogram" },
	{ "ITINIT on a scalar", F(2, 0, 1, 0), { I(ITINIT, 0, 0, 2, 0), EXTW(0, 0, 0), RET }, 3,
	  "ITINIT on scalar statistic 'st'" },
	{ "int key base outside the frame", F(2, 0, 0, 0), { I(MGET, 0, 0, 0, 2), EXTW(0, 0, 0), RET }, 3,
	  "MGET: int keys r2..+1 of map 'im' outside the frame (nregs 2)" },
	{ "string key base outside the frame", F(0, 2, 0, 0), { I(MGETS, 0, 0, 1, 0), EXTW(2, 0, 0), RET }, 3,
	  "MGETS: string keys s2..+1 of map 'sm' outside the frame (nstrs 2)" },
	{ "unused key base not zero", F(2, 2, 0, 0), { I(MGETS, 0, 0, 1, 1), EXTW(0, 0, 0), RET }, 3,
	  "int keys r1..+0 of map 'sm'" },
	{ "map out of range", F(2, 0, 0, 0), { I(MGET, 0, 0, 9, 0), EXTW(0, 0, 0), RET }, 3,
	  "map 9 out of range (4)" },
	{ "GLD of a string global", F(1, 0, 0, 0), { I(GLD, 0, 0, 1, 0), RET }, 2,
	  "GLD on string global 'gs'" },
	{ "GSST of an int global", F(0, 1, 0, 0), { I(GSST, 0, 0, 0, 0), RET }, 2,
	  "GSST on integer global 'gi'" },
	{ "global out of range", F(1, 0, 0, 0), { I(GST, 0, 9, 0, 0), RET }, 2, "global 9 out of range (2)" },
	{ "constant out of range", F(1, 0, 0, 0), { I(LDK, 0, 0, 99, 0), RET }, 2, "constant 99 out of range" },
	{ "string constant out of range", F(0, 1, 0, 0), { I(SLDK, 0, 0, 99, 0), RET }, 2,
	  "string constant 99 out of range" },
	{ "call arguments outside the frame", F(1, 1, 0, 0), { I(CALL, 0, 1, 1, 0), RET }, 2,
	  "CALL: int arguments r1..+1 outside the frame (nregs 1)" },
	{ "call result slot outside the frame", F(0, 1, 0, 0), { I(CALL, 0, 1, 0, 0), RET }, 2,
	  "CALL: int arguments r0..+1 outside the frame (nregs 0)" },
	{ "function out of range", F(1, 0, 0, 0), { I(CALL, 0, 7, 0, 0), RET }, 2, "function 7 out of range" },
	{ "builtin out of range", F(1, 0, 0, 0), { I(CALLB, 0, 250, 0, 0), RET }, 2, "builtin 250 out of range" },
	{ "builtin arguments outside the frame", F(1, 0, 0, 0), { I(CALLB, 0, BT_B_STRLEN, 0, 0), RET }, 2,
	  "CALLB: string arguments s0..+1 outside the frame (nstrs 0)" },
	{ "format arguments outside the frame", F(1, 0, 0, 0), { I(PRINTF, 0, 0, 0, 0), RET }, 2,
	  "PRINTF: string arguments s0..+1 outside the frame (nstrs 0)" },
	{ "format out of range", F(1, 1, 0, 0), { I(PRINTF, 0, 3, 0, 0), RET }, 2, "format 3 out of range" },
	{ "regex out of range", F(1, 1, 0, 0), { I(MATCH, 0, 0, 0, 0), RET }, 2, "regex 0 out of range (0)" },
	{ "iterator out of range", F(1, 0, 1, 0), { I(ITNEXT, 0, 3, 1, 0), RET }, 2,
	  "iterator it3 out of range (niters 1)" },
	{ "TRYEND without TRY", F(1, 0, 0, 1), { I(TRYEND, 0, 0, 0, 0), RET }, 2, "func 'f' pc 0: TRYEND without TRY: no try block is open here" },
	{ "accepts a return inside a try block (RET pops it)", F(1, 0, 0, 1),
	  { I(TRY, 0, 2, 0, 0), RET, RET }, 3, NULL },
	{ "jump into a try block over its TRY, then leave it (try depth wrap)", F(2, 0, 0, 1), {
		I(JZ, 0, 0, 2, 0), I(TRY, 0, 5, 0, 0), I(JMP, 1, 6, 0, 0), I(TRYEND, 0, 0, 0, 0),
		RET, RET, I(DIV, 0, 0, 0, 1), RET }, 8,
	  "func 'f' pc 2: reached from pc 0 outside any try block and from pc 1 inside the try block begun at 1 (depth 1)" },
	{ "JMP leaves more try blocks than are open", F(1, 0, 0, 1), {
		I(TRY, 0, 3, 0, 0), I(JMP, 2, 4, 0, 0), I(TRYEND, 0, 0, 0, 0), RET, RET }, 5,
	  "func 'f' pc 1: JMP leaves 2 try blocks but only 1 are open" },
	{ "TRYEND on a path that skipped its TRY", F(2, 0, 0, 1), {
		I(JZ, 0, 0, 2, 0), I(TRY, 0, 4, 0, 0), I(TRYEND, 0, 0, 0, 0), RET, RET }, 5,
	  "func 'f' pc 2: reached from pc 0 outside any try block and from pc 1 inside" },
	{ "accepts break out of a try block (JMP x = 1)", F(1, 0, 0, 1), {
		I(TRY, 0, 3, 0, 0), I(JMP, 1, 4, 0, 0), I(TRYEND, 0, 0, 0, 0), RET, RET }, 5, NULL },
	{ "accepts a catch block after its try block", F(2, 0, 0, 1), {
		I(TRY, 0, 4, 0, 0), I(DIV, 0, 0, 0, 1), I(TRYEND, 0, 0, 0, 0), I(JMP, 0, 5, 0, 0),
		I(LDI, 0, 0, 1, 0), RET }, 6, NULL },
	{ "ITNEXT on an iterator not set up on every path", F(2, 0, 1, 0), {
		I(JZ, 0, 0, 3, 0), I(ITINIT, 0, 0, 0, 0), EXTW(0, 0, 0), I(ITNEXT, 0, 0, 4, 0), RET }, 5,
	  "func 'f' pc 3: ITNEXT reads iterator it0, which no ITINIT set up on every path here" },
	{ "ITKEY before any ITINIT", F(2, 0, 1, 0), { I(ITKEY, 0, 0, 0, 0), RET }, 2,
	  "ITKEY reads iterator it0" },
	{ "accepts a foreach loop", F(2, 0, 1, 0), {
		I(ITINIT, 0, 0, 0, 0), EXTW(0, 0, 0), I(ITNEXT, 0, 0, 5, 0), I(ITKEY, 0, 0, 0, 0),
		I(LOOP, 0, 2, 1, 0), RET }, 6, NULL },
	{ "LOOP to an instruction no forward path reaches", F(1, 0, 0, 0), {
		I(JMP, 0, 2, 0, 0), I(NOP, 0, 0, 0, 0), I(LOOP, 0, 1, 1, 0) }, 3,
	  "func 'f' pc 2: LOOP target 1 is reached by no forward path" },
	{ "too many iterator slots", F(1, 0, 65, 0), { RET }, 1, "65 iterator slots, at most 64" },
	{ "ntries too small", F(1, 0, 0, 0), { I(TRY, 0, 3, 0, 0), I(TRYEND, 0, 0, 0, 0), RET, RET }, 4,
	  "try blocks nest 1 deep, ntries is 0" },
	{ "nested tries need ntries 2", F(1, 0, 0, 1), {
		I(TRY, 0, 6, 0, 0), I(TRY, 0, 4, 0, 0), I(TRYEND, 0, 0, 0, 0), I(JMP, 0, 5, 0, 0),
		I(NOP, 0, 0, 0, 0), I(TRYEND, 0, 0, 0, 0), RET }, 7, "nest 2 deep, ntries is 1" },
	{ "jump out of a try block", F(1, 0, 0, 1), {
		I(TRY, 0, 4, 0, 0), I(JMP, 0, 5, 0, 0), I(TRYEND, 0, 0, 0, 0), I(JMP, 0, 5, 0, 0),
		I(NOP, 0, 0, 0, 0), RET }, 6,
	  "func 'f' pc 5: reached from pc 1 inside the try block begun at 0 (depth 1) and from pc 4 outside any try block" },
	{ "LOOP out of a try block", F(1, 0, 0, 1), {
		I(NOP, 0, 0, 0, 0), I(TRY, 0, 4, 0, 0), I(LOOP, 0, 0, 1, 0), I(TRYEND, 0, 0, 0, 0), RET }, 5,
	  "func 'f' pc 2: LOOP to 0: the target is reached from pc 0 outside any try block, the LOOP is inside the try block begun at 1 (depth 1)" },
	{ "catch target inside its block", F(1, 0, 0, 1), {
		I(TRY, 0, 1, 0, 0), I(TRYEND, 0, 0, 0, 0), RET }, 3,
	  "func 'f' pc 1: reached as the catch target of the TRY at 0 outside any try block and from pc 0 inside the try block begun at 0 (depth 1)" },
	{ "RETI in a void function", F(1, 0, 0, 0), { I(RETI, 0, 0, 0, 0) }, 1,
	  "RETI in a function that does not return an integer" },
	{ "MAGG variance shift mismatch", F(1, 0, 0, 0), { I(MAGG, 0, 0, 2, 0), EXTW(0, BT_AGG_VARIANCE, 1), RET }, 3,
	  "MAGG: variance shift 1 does not match map 'st'" },
	{ "MAGG unknown statistic", F(1, 0, 0, 0), { I(MAGG, 0, 0, 2, 0), EXTW(0, 9, 0), RET }, 3,
	  "MAGG: unknown statistic 9" },
	{ "ITINIT sort column", F(1, 0, 1, 0), { I(ITINIT, 0, 0, 0, 0), EXTW(3, 0, 0), RET }, 3,
	  "ITINIT: sort column 3, map 'im' has 1 keys" },
	{ "ITINIT statistic on an int map", F(1, 0, 1, 0), { I(ITINIT, 1, 0, 0, 0), EXTW(0, 2, 0), RET }, 3,
	  "ITINIT: bad sort statistic 2" },
	{ "ITKEY position", F(1, 0, 1, 0), { I(ITKEY, 0, 0, 0, 9), RET }, 2, "ITKEY: key position 9 out of range" },
	{ "CMP x out of range", F(3, 0, 0, 0), { I(CMP, 6, 0, 1, 2), RET }, 2, "CMP: x = 6 out of range" },
	{ "ITINIT sort x out of range", F(1, 0, 1, 0), { I(ITINIT, 3, 0, 0, 0), EXTW(0, 0, 0), RET }, 3,
	  "ITINIT: x = 3 out of range" },
};

static int build_case(struct th *t, const struct vcase *vc)
{
	struct progbuild *pb = pb_new();
	struct bt_map_decl im = { 0 }, sm = { 0 }, st = { 0 }, sh = { 0 };
	struct bt_func_decl callee = th_frame(1, 1, 0, 0), voidf = th_frame(0, 0, 0, 0);
	uint32_t f, g;
	int i;

	im.capacity = 4;
	im.nkeys = 1;
	im.key_kinds[0] = BT_KIND_INT;
	im.val_kind = BT_KIND_INT;
	sm = im;
	sm.key_kinds[0] = BT_KIND_STR;
	sm.val_kind = BT_KIND_STR;
	st.capacity = 1;
	st.val_kind = BT_KIND_STATS;
	st.flags = BT_MAP_VARIANCE;
	st.var_shift = 2;
	sh = im;
	sh.val_kind = BT_KIND_STATS;
	sh.hist_kind = BT_HIST_LOG;
	pb_map(pb, "im", &im);
	pb_map(pb, "sm", &sm);
	pb_map(pb, "st", &st);
	pb_map(pb, "sh", &sh);
	pb_global(pb, "gi", BT_KIND_INT, 0, 0);
	pb_global(pb, "gs", BT_KIND_STR, 0, 0);
	pb_format(pb, "%d %s", 1, 1);
	pb_const(pb, 1);
	pb_strconst(pb, "x");
	f = pb_func_declare(pb, "f");
	g = pb_func_declare(pb, "callee");
	pb_func_declare(pb, "voidf");
	pb_func_begin(pb, f);
	for (i = 0; i < vc->n; i++)
		pb_emit(pb, vc->code[i].op, vc->code[i].x, vc->code[i].a,
			vc->code[i].b, vc->code[i].c);
	pb_func_end(pb, &vc->frame);
	pb_func_begin(pb, g);
	pb_emit(pb, BT_OP_RETI, 0, 0, 0, 0);
	callee.nparam_i = 1;
	callee.nparam_s = 1;
	callee.ret_kind = BT_KIND_INT;
	pb_func_end(pb, &callee);
	pb_func_begin(pb, g + 1);
	pb_emit(pb, BT_OP_RET, 0, 0, 0, 0);
	pb_func_end(pb, &voidf);
	return th_build(t, pb);
}

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct vcase *vc = &cases[i];
		struct th t = { 0 };
		int rc = build_case(&t, vc);

		if (!vc->want) {
			if (rc)
				printf("# %s\n", t.diag.msg);
			CHECK(rc == 0, vc->what);
		} else if (rc == 0) {
			CHECK(0, vc->what);
		} else if (!strstr(t.diag.msg, vc->want)) {
			printf("# got: %s\n", t.diag.msg);
			CHECK(0, vc->what);
		} else {
			CHECK(t.diag.func == 0 && t.diag.pc >= 0, vc->what);
		}
		th_free(&t);
	}
	return check_done();
}
