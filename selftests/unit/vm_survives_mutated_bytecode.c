/*
 * vm_survives_mutated_bytecode.c - take valid programs that use most of
 * the instruction set, corrupt them thousands of times (bytes set, bits
 * flipped, small values written into operand fields, the blob truncated
 * or extended), and require that bt_load() + bt_verify() either refuse
 * each mutant or that every probe of it runs to completion or to an error
 * without any sanitizer report.  Deterministic (fixed seed), bounded to a
 * few seconds.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "check.h"
#include "test_host.h"
#include "bt_builtin.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Program A: arithmetic, strings, maps, foreach with delete, try/catch, calls. */
static struct progbuild *prog_a(void)
{
	struct progbuild *pb = pb_new();
	struct bt_func_decl fr = th_frame(8, 4, 2, 2), fc = th_frame(3, 2, 0, 0);
	struct bt_map_decl m = { 0 }, ms = { 0 }, st = { 0 };
	struct bt_limits lim = {
		.maxaction = 500, .maxnesting = 5, .maxstringlen = 64,
		.maxmapentries = 16, .maxskipped = 100, .hist_elision = 2,
	};
	uint32_t f, fn, im, sm, sst, fmt, sfmt, g, gs, loop, end, t1, t2, j;

	pb_limits(pb, &lim);
	m.capacity = 8;
	m.nkeys = 2;
	m.key_kinds[0] = BT_KIND_INT;
	m.key_kinds[1] = BT_KIND_STR;
	m.val_kind = BT_KIND_INT;
	m.flags = BT_MAP_WRAP;
	im = pb_map(pb, "m", &m);
	ms.capacity = 4;
	ms.nkeys = 1;
	ms.key_kinds[0] = BT_KIND_STR;
	ms.val_kind = BT_KIND_STR;
	sm = pb_map(pb, "ms", &ms);
	st.capacity = 16;
	st.nkeys = 1;
	st.key_kinds[0] = BT_KIND_INT;
	st.val_kind = BT_KIND_STATS;
	st.flags = BT_MAP_VARIANCE;
	st.var_shift = 1;
	st.hist_kind = BT_HIST_LINEAR;
	st.hist_start = -10;
	st.hist_stop = 100;
	st.hist_interval = 10;
	sst = pb_map(pb, "st", &st);
	g = pb_global(pb, "g", BT_KIND_INT, 1, pb_const(pb, 3));
	gs = pb_global(pb, "gs", BT_KIND_STR, 1, pb_strconst(pb, "hello"));
	fmt = pb_format(pb, "%d %s %5.2s|%-4d|%x\n", 3, 2);
	sfmt = pb_format(pb, "<%s:%d>", 1, 1);

	f = pb_func_declare(pb, "probe_a");
	fn = pb_func_declare(pb, "rec");
	pb_func_begin(pb, f);
	pb_emit_imm(pb, BT_OP_ACT, 0, 5);
	pb_emit(pb, BT_OP_GLD, 0, 0, g, 0);
	pb_emit(pb, BT_OP_GSLD, 0, 0, gs, 0);
	for (j = 0; j < 12; j++) {
		pb_emit_imm(pb, BT_OP_LDI, 1, (int32_t)(j * 37 - 100));
		pb_emit(pb, BT_OP_MUL, 0, 2, 1, 1);
		pb_emit(pb, BT_OP_ADDI, 0, 0, 0, j);
		th_emit_map(pb, BT_OP_MADD, 0, 2, im, 0, 0, 0, 0);
		th_emit_map(pb, BT_OP_MSTAT, 0, 1, sst, 0, 0, 0, 0);
		pb_emit(pb, BT_OP_SCAT, 0, 0, 0, 0);
	}
	pb_emit(pb, BT_OP_SPRINTF, 0, sfmt, 0, 0);
	pb_emit(pb, BT_OP_EXT, 0, 1, 0, 0);
	th_emit_map(pb, BT_OP_MSETS, 0, 1, sm, 0, 0, 0, 0);
	pb_emit(pb, BT_OP_CALLB, 0, BT_B_STRLEN, 3, 1);
	pb_emit(pb, BT_OP_CALLB, 0, BT_B_SUBSTR, 3, 1);
	pb_emit(pb, BT_OP_CALLB, 0, BT_B_TOUPPER, 0, 1);
	pb_emit(pb, BT_OP_SLDK, 0, 2, pb_strconst(pb, " "), 0);
	pb_emit(pb, BT_OP_CALLB, 0, BT_B_TOKENIZE, 0, 1);
	pb_emit(pb, BT_OP_CALLB, 0, BT_B_RANDINT, 4, 0);
	pb_emit(pb, BT_OP_PRINTF, 0, fmt, 0, 0);
	/* try { x / 0 } catch (msg) { } */
	t1 = pb_emit(pb, BT_OP_TRY, 0, 0, 0, 0);
	pb_emit_imm(pb, BT_OP_LDI, 5, 0);
	pb_emit(pb, BT_OP_DIV, 0, 6, 0, 5);
	pb_emit(pb, BT_OP_TRYEND, 0, 0, 0, 0);
	t2 = pb_emit(pb, BT_OP_JMP, 0, 0, 0, 0);
	pb_insn(pb, t1)->a = pb_emit(pb, BT_OP_CATCHMSG, 0, 3, 0, 0);
	pb_insn(pb, t2)->a = pb_emit(pb, BT_OP_NOP, 0, 0, 0, 0);
	/* foreach ([k, s] in m-) { delete m[k, s] if odd } */
	th_emit_map(pb, BT_OP_ITINIT, BT_SORT_DESC, 0, im, 0, 0, 0, 0);
	loop = pb_emit(pb, BT_OP_ITNEXT, 0, 0, 0, 0);
	pb_emit(pb, BT_OP_ITKEY, 0, 0, 0, 0);
	pb_emit(pb, BT_OP_ITKEYS, 0, 0, 0, 1);
	pb_emit(pb, BT_OP_ITVAL, 0, 1, 0, 0);
	pb_emit_imm(pb, BT_OP_LDI, 2, 1);
	pb_emit(pb, BT_OP_AND, 0, 2, 1, 2);
	t1 = pb_emit(pb, BT_OP_JZ, 0, 2, 0, 0);
	th_emit_map(pb, BT_OP_MDEL, 0, 0, im, 0, 0, 0, 0);
	pb_insn(pb, t1)->b = pb_emit(pb, BT_OP_LOOP, 0, loop, 2, 0);
	end = pb_emit(pb, BT_OP_NOP, 0, 0, 0, 0);
	pb_insn(pb, loop)->b = end;
	/* stats: foreach over the aggregate, extract, print a histogram */
	th_emit_map(pb, BT_OP_ITINIT, BT_SORT_ASC, 1, sst, 0, 0, BT_AGG_AVG, 0);
	loop = pb_emit(pb, BT_OP_ITNEXT, 0, 1, 0, 0);
	pb_emit(pb, BT_OP_ITKEY, 0, 0, 1, 0);
	th_emit_map(pb, BT_OP_MAGG, 0, 1, sst, 0, 0, BT_AGG_VARIANCE, 1);
	th_emit_map(pb, BT_OP_PRINTHIST, 1, 0, sst, 0, 0, 0, 0);
	pb_emit_imm(pb, BT_OP_LDI, 1, 3);
	th_emit_map(pb, BT_OP_MHIST, 0, 1, sst, 0, 0, 0, 0);
	pb_emit(pb, BT_OP_LOOP, 0, loop, 1, 0);
	end = pb_emit(pb, BT_OP_NOP, 0, 0, 0, 0);
	pb_insn(pb, loop)->b = end;
	pb_emit(pb, BT_OP_MCOUNT, 0, 7, sst, 0);
	pb_emit(pb, BT_OP_CALL, 0, fn, 7, 1);
	pb_emit(pb, BT_OP_GST, 0, g, 7, 0);
	pb_emit(pb, BT_OP_MCLEAR, 0, 0, im, 0);
	pb_emit(pb, BT_OP_SLDK, 0, 0, pb_strconst(pb, "done"), 0);
	pb_emit(pb, BT_OP_ERROR, 1, 0, 0, 0);
	pb_emit(pb, BT_OP_RET, 0, 0, 0, 0);
	pb_func_end(pb, &fr);
	th_probe(pb, f, "kernel.function(\"vfs_read@fs/read_write.c:1\")");

	/* rec(n, s): n > 0 ? rec(n - 1, s . "x") + 1 : strlen(s) */
	pb_func_begin(pb, fn);
	t1 = pb_emit(pb, BT_OP_JZ, 0, 0, 0, 0);
	pb_emit(pb, BT_OP_ADDI, 0, 1, 0, (uint16_t)-1);
	pb_emit(pb, BT_OP_SLDK, 0, 1, pb_strconst(pb, "x"), 0);
	pb_emit(pb, BT_OP_SCAT, 0, 1, 0, 1);
	pb_emit(pb, BT_OP_CALL, 0, fn, 1, 1);
	pb_emit(pb, BT_OP_ADDI, 0, 1, 1, 1);
	pb_emit(pb, BT_OP_RETI, 0, 1, 0, 0);
	pb_insn(pb, t1)->b = pb_emit(pb, BT_OP_CALLB, 0, BT_B_STRLEN, 2, 0);
	pb_emit(pb, BT_OP_RETI, 0, 2, 0, 0);
	fc.nparam_i = 1;
	fc.nparam_s = 1;
	fc.ret_kind = BT_KIND_INT;
	pb_func_end(pb, &fc);
	return pb;
}

/* Program B: a loop that exhausts MAXACTION, scalar stats, exit, warn. */
static struct progbuild *prog_b(void)
{
	struct progbuild *pb = pb_new();
	struct bt_func_decl fr = th_frame(4, 2, 0, 0);
	struct bt_map_decl st = { 0 };
	uint32_t f, s, loop, fmt;

	st.capacity = 1;
	st.val_kind = BT_KIND_STATS;
	st.hist_kind = BT_HIST_LOG;
	s = pb_map(pb, "s", &st);
	fmt = pb_format(pb, "%s%d%c%p\n", 3, 1);
	f = pb_func_declare(pb, "probe_b");
	pb_func_begin(pb, f);
	pb_emit(pb, BT_OP_EXIT, 0, 0, 0, 0);
	pb_emit(pb, BT_OP_CALLB, 0, BT_B_PP, 0, 0);
	pb_emit(pb, BT_OP_CALLB, 0, BT_B_PPFUNC, 0, 1);
	pb_emit(pb, BT_OP_CALLB, 0, BT_B_WARN, 0, 1);
	pb_emit(pb, BT_OP_CALLB, 0, BT_B_PID, 1, 0);
	pb_emit(pb, BT_OP_PRINTF, 0, fmt, 0, 0);
	loop = pb_emit(pb, BT_OP_ADDI, 0, 0, 0, 1);
	th_emit_map(pb, BT_OP_MSTAT, 0, 0, s, 0, 0, 0, 0);
	th_emit_map(pb, BT_OP_MAGG, 0, 2, s, 0, 0, BT_AGG_MAX, 0);
	pb_emit(pb, BT_OP_SCMP, BT_CMP_LT, 3, 0, 1);
	pb_emit(pb, BT_OP_JCMP, BT_CMP_GT, 0, 3, loop + 9);
	pb_emit(pb, BT_OP_CALLB, 0, BT_B_KERNEL_STRING, 0, 0);
	pb_emit(pb, BT_OP_LOOP, BT_ACT_LE0, loop, 3, 0);
	pb_emit(pb, BT_OP_RET, 0, 0, 0, 0);
	pb_func_end(pb, &fr);
	th_probe(pb, f, "timer.ms(100)");
	return pb;
}

static int run_all(struct th *t)
{
	uint32_t p;
	int bad = 0;

	for (p = 0; p < t->prog.nprobes; p++) {
		int rc = bt_run_probe(t->ctx[p % t->ncpus], p);

		if (rc < 0 || rc > BT_RUN_ABORT)
			bad = 1;
		th_len = 0;
	}
	return bad;
}

int main(void)
{
	struct progbuild *(*gens[2])(void) = { prog_a, prog_b };
	unsigned int accepted = 0, refused = 0, runs = 0, g;
	clock_t start = clock();
	int bad = 0;

	for (g = 0; g < 2; g++) {
		struct th t = { 0 };
		void *blob;
		size_t size;
		uint8_t *mut;
		unsigned int i;
		uint32_t code_off = 0, code_size = 0, k;
		const struct bt_section *sh;

		struct progbuild *pb = gens[g]();

		pb_derive_locks(pb);
		if (pb_serialize(pb, &blob, &size))
			abort();
		pb_free(pb);
		if (th_load_blob(&t, blob, size) || th_start(&t, 2)) {
			printf("# base program %u: %s\n", g, t.diag.msg);
			CHECK(0, "base program loads");
			continue;
		}
		CHECK(run_all(&t) == 0, "base program runs");
		if (getenv("SHOW")) {
			bt_run_probe(t.ctx[0], 0);
			th_text(&t);
			printf("%s", t.out);
		}
		th_free(&t);
		sh = (const void *)((uint8_t *)blob + sizeof(struct bt_file_header));
		for (k = 0; k < ((struct bt_file_header *)blob)->nsections; k++)
			if (sh[k].type == BT_SEC_CODE) {
				code_off = sh[k].offset;
				code_size = sh[k].size;
			}
		mut = malloc(size + 64);
		for (i = 0; i < 40000; i++) {
			size_t msize = size;
			unsigned int nmut = 1 + rnd() % 2, j;

			memcpy(mut, blob, size);
			for (j = 0; j < nmut; j++) {
				uint64_t r = rnd();
				size_t at = (r & 3) ? code_off + (r >> 8) % code_size :
						      (r >> 8) % size;

				switch ((r >> 2) % 6) {
				case 0:
					mut[at] = (uint8_t)(r >> 40);
					break;
				case 1:
					mut[at] ^= (uint8_t)(1u << ((r >> 40) % 8));
					break;
				case 2:
				case 3:
					mut[at] = (uint8_t)((r >> 40) % 12);
					break;
				case 4:
					msize = (r >> 40) % (size + 1);	/* truncate */
					break;
				default:
					memmove(mut + at + 8, mut + at, size - at);	/* insert */
					memset(mut + at, (int)(r >> 40) & 0xff, 8);
					break;
				}
			}
			if (th_load_blob(&t, mut, msize)) {
				refused++;
				th_free(&t);
				continue;
			}
			accepted++;
			if (bt_session_size(&t.prog, 2) < (64u << 20) &&
			    bt_ctx_size(&t.prog) < (64u << 20) && th_start(&t, 2) == 0) {
				bad |= run_all(&t);
				runs++;
			}
			th_free(&t);
		}
		free(mut);
		free(blob);
	}
	printf("# %u mutants refused, %u accepted, %u run, %.2fs\n", refused,
	       accepted, runs, (double)(clock() - start) / CLOCKS_PER_SEC);
	CHECK(!bad, "every accepted mutant ran to completion or to an error");
	CHECK(accepted > 100, "some mutants got through the verifier and ran");
	return check_done();
}
