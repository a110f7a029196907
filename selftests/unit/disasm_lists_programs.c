/*
 * disasm_lists_programs.c - the -p3 listing names what instructions use
 * (maps with their key tuples, globals, functions, builtins, formats,
 * constants, jump targets, sub-operations) and prints the tables.
 */
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "progbuild.h"
#include "disasm.h"
#include "bt_builtin.h"

int main(void)
{
	struct progbuild *pb = pb_new();
	struct bt_func_decl fr = { .nregs = 4, .nstrs = 2, .niters = 1 };
	struct bt_map_decl m = { 0 };
	struct bt_prog prog;
	struct bt_diag d;
	uint32_t f, mi, g, j;
	void *blob, *ablob;
	size_t size, n;
	char *text = NULL;
	FILE *out;

	m.capacity = 100;
	m.nkeys = 2;
	m.key_kinds[0] = BT_KIND_INT;
	m.key_kinds[1] = BT_KIND_STR;
	m.val_kind = BT_KIND_INT;
	mi = pb_map(pb, "counts", &m);
	g = pb_global(pb, "total", BT_KIND_INT, 1, pb_const(pb, 42));
	f = pb_func_declare(pb, "probe_0");
	pb_func_begin(pb, f);
	pb_loc(pb, "identifier 'counts' at t.stp:3:5");
	pb_emit(pb, BT_OP_MGET, 0, 3, mi, 1);
	pb_emit(pb, BT_OP_EXT, 0, 1, 0, 0);
	j = pb_emit(pb, BT_OP_JCMP, BT_CMP_LT, 3, 1, 0);
	pb_emit(pb, BT_OP_CALLB, 0, BT_B_SUBSTR, 0, 0);
	pb_emit(pb, BT_OP_LDK, 0, 2, pb_const(pb, 42), 0);
	pb_insn(pb, j)->c = pb_emit(pb, BT_OP_GST, 0, g, 3, 0);
	pb_emit(pb, BT_OP_PRINTF, 0, pb_format(pb, "%d: %s\n", 1, 1), 2, 1);
	pb_emit(pb, BT_OP_RET, 0, 0, 0, 0);
	pb_func_end(pb, &fr);
	{
		struct bt_probe_decl pd = { .kind = BT_PROBE_BEGIN, .handler = f };

		pb_probe(pb, &pd, "begin", NULL, NULL, 0);
	}
	CHECK(pb_serialize(pb, &blob, &size) == 0, "serializes");
	pb_free(pb);
	ablob = aligned_alloc(8, size);
	memcpy(ablob, blob, size);
	CHECK(bt_load(&prog, ablob, (uint32_t)size, &d) == 0, "loads");
	out = open_memstream(&text, &n);
	disasm_program(out, &prog);
	fclose(out);
	CHECK(strstr(text, "function 0 'probe_0': 8 insns, 4 int regs, 2 string regs, 1 iterators") != NULL,
	      "function header");
	CHECK(strstr(text, "     0  MGET      r3, m0 'counts'[r1, s1]\n") != NULL, "map with key tuple");
	CHECK(strstr(text, "        ; identifier 'counts' at t.stp:3:5\n") != NULL, "source locations");
	CHECK(strstr(text, "     2  JCMP.lt   r3, r1, -> 5\n") != NULL, "comparison and jump target");
	CHECK(strstr(text, "     3  CALLB     s0 = substr(s0, r0, r1)\n") != NULL, "builtin call in its order");
	CHECK(strstr(text, "     4  LDK       r2, 42\n") != NULL, "constant value");
	CHECK(strstr(text, "     5  GST       g0 'total', r3\n") != NULL, "global name");
	CHECK(strstr(text, "PRINTF    fmt0 \"%d: %s\\n\"(r2, s1)") != NULL, "format text");
	CHECK(strstr(text, "  g0 'total': long = 42\n") != NULL, "globals table");
	CHECK(strstr(text, "  m0 'counts': [long, string] -> long, capacity 100\n") != NULL, "maps table");
	CHECK(strstr(text, "  probe 0 begin 'begin' -> 'probe_0' seq 0\n") != NULL, "probes table");
	CHECK(strstr(text, "limits: MAXACTION 10000, MAXNESTING 10, MAXSTRINGLEN 512") != NULL, "limits");
	if (check_failures)
		fputs(text, stdout);
	free(text);
	free(blob);
	free(ablob);
	return check_done();
}
