/*
 * vm_stats_variance_exact.c - statistics exactly as SystemTap computes
 * them: @avg truncates, @variance by integer Welford per CPU then the
 * total-variance merge for scalars (1..5 -> 12, shift 1 -> 2) but the
 * per-CPU value for a single-CPU array element (18,9,54,1,2,18x5 -> 216
 * as an array element, 217 as a scalar), @count/@sum of an empty
 * aggregate are 0 and the others raise "empty aggregate", histogram
 * buckets and "histogram index out of range", merge over several CPUs,
 * and PRINTHIST's text matching the inventory's examples.
 */
#include <stdlib.h>
#include "check.h"
#include "test_host.h"

static struct bt_map_decl stat_decl(int nkeys, int variance, int shift, int hist)
{
	struct bt_map_decl d = { 0 };

	d.capacity = 16;
	d.nkeys = nkeys;
	if (nkeys)
		d.key_kinds[0] = BT_KIND_INT;
	d.val_kind = BT_KIND_STATS;
	d.flags = variance ? BT_MAP_VARIANCE : 0;
	d.var_shift = shift;
	d.hist_kind = hist;
	if (hist == BT_HIST_LINEAR) {
		d.hist_start = 0;
		d.hist_stop = 1500;
		d.hist_interval = 50;
	}
	return d;
}

/*
 * Program: probe 0 adds samples[] to scalar s and to a[1]; probe 1
 * extracts each statistic of s and a[1] into globals g[0..11]; probe 2
 * prints the histogram of s.
 */
struct prog_ids {
	uint32_t g[12];
};

static int build(struct th *t, struct prog_ids *ids, const int64_t *samples,
		 unsigned int n, int shift, int hist, unsigned int ncpus)
{
	struct progbuild *pb = pb_new();
	struct bt_func_decl fr = th_frame(4, 0, 0, 0);
	struct bt_map_decl ds = stat_decl(0, 1, shift, hist);
	struct bt_map_decl da = stat_decl(1, 1, shift, hist);
	uint32_t f, s, a, i, k;
	char name[16];

	s = pb_map(pb, "s", &ds);
	a = pb_map(pb, "a", &da);
	for (i = 0; i < 12; i++) {
		snprintf(name, sizeof(name), "g%u", i);
		ids->g[i] = pb_global(pb, name, BT_KIND_INT, 0, 0);
	}
	f = pb_func_declare(pb, "probe_add");
	pb_func_begin(pb, f);
	pb_emit_imm(pb, BT_OP_LDI, 1, 1);	/* key 1 */
	for (i = 0; i < n; i++) {
		pb_emit(pb, BT_OP_LDK, 0, 0, pb_const(pb, samples[i]), 0);
		th_emit_map(pb, BT_OP_MSTAT, 0, 0, s, 0, 0, 0, 0);
		th_emit_map(pb, BT_OP_MSTAT, 0, 0, a, 1, 0, 0, 0);
	}
	pb_emit(pb, BT_OP_RET, 0, 0, 0, 0);
	pb_func_end(pb, &fr);
	th_probe(pb, f, "begin");

	f = pb_func_declare(pb, "probe_get");
	pb_func_begin(pb, f);
	pb_emit_imm(pb, BT_OP_LDI, 1, 1);
	for (k = 0; k <= BT_AGG_VARIANCE; k++) {
		unsigned int sh = k == BT_AGG_VARIANCE ? shift : 0;

		pb_loc(pb, "operator '@extract' at t.stp:1:1");
		th_emit_map(pb, BT_OP_MAGG, 0, 0, s, 0, 0, k, sh);
		pb_emit(pb, BT_OP_GST, 0, ids->g[k], 0, 0);
		th_emit_map(pb, BT_OP_MAGG, 0, 0, a, 1, 0, k, sh);
		pb_emit(pb, BT_OP_GST, 0, ids->g[6 + k], 0, 0);
	}
	pb_emit(pb, BT_OP_RET, 0, 0, 0, 0);
	pb_func_end(pb, &fr);
	th_probe(pb, f, "begin");

	if (hist) {
		f = pb_func_declare(pb, "probe_print");
		pb_func_begin(pb, f);
		pb_loc(pb, "identifier 'print' at t.stp:2:2");
		th_emit_map(pb, BT_OP_PRINTHIST, 0, 0, s, 0, 0, 0, 0);
		pb_emit(pb, BT_OP_RET, 0, 0, 0, 0);
		pb_func_end(pb, &fr);
		th_probe(pb, f, "begin");
	}
	if (th_build(t, pb) || th_start(t, ncpus)) {
		printf("# %s\n", t->diag.msg);
		return -1;
	}
	return 0;
}

static int64_t G(struct th *t, struct prog_ids *ids, int k)
{
	return bt_session_global_int(t->sess, ids->g[k]);
}

static void variance_cases(void)
{
	static const int64_t one_to_five[] = { 1, 2, 3, 4, 5 };
	static const int64_t fl2[] = { 18, 9, 54, 1, 2, 18, 18, 18, 18, 18 };
	struct prog_ids ids;
	struct th t = { 0 };

	CHECK(build(&t, &ids, one_to_five, 5, 0, 0, 1) == 0, "1..5 builds");
	CHECK_INT(th_run(&t, 0, 0), BT_RUN_OK, "adds");
	CHECK_INT(th_run(&t, 0, 1), BT_RUN_OK, "extracts");
	CHECK_INT(G(&t, &ids, BT_AGG_COUNT), 5, "@count 1..5");
	CHECK_INT(G(&t, &ids, BT_AGG_SUM), 15, "@sum 1..5");
	CHECK_INT(G(&t, &ids, BT_AGG_MIN), 1, "@min 1..5");
	CHECK_INT(G(&t, &ids, BT_AGG_MAX), 5, "@max 1..5");
	CHECK_INT(G(&t, &ids, BT_AGG_AVG), 3, "@avg 1..5");
	CHECK_INT(G(&t, &ids, BT_AGG_VARIANCE), 12, "@variance of scalar 1..5 is 12 (stap(1))");
	CHECK_INT(G(&t, &ids, 6 + BT_AGG_VARIANCE), 7, "@variance of array element 1..5 is the per-CPU 7");
	th_free(&t);

	CHECK(build(&t, &ids, one_to_five, 5, 1, 0, 1) == 0, "1..5 shift 1 builds");
	th_run(&t, 0, 0);
	th_run(&t, 0, 1);
	CHECK_INT(G(&t, &ids, BT_AGG_VARIANCE), 2, "@variance(s, 1) of scalar 1..5 is 2");
	th_free(&t);

	CHECK(build(&t, &ids, fl2, 10, 0, 0, 1) == 0, "foreach_limit2 builds");
	th_run(&t, 0, 0);
	th_run(&t, 0, 1);
	CHECK_INT(G(&t, &ids, BT_AGG_VARIANCE), 217, "18,9,54,1,2,18x5 as a scalar: 217");
	CHECK_INT(G(&t, &ids, 6 + BT_AGG_VARIANCE), 216, "18,9,54,1,2,18x5 as an array element: 216");
	CHECK_INT(G(&t, &ids, BT_AGG_AVG), 17, "@avg truncates (174/10)");
	th_free(&t);

	{
		static const int64_t neg[] = { -7, 2 };

		CHECK(build(&t, &ids, neg, 2, 0, 0, 1) == 0, "negative avg builds");
		th_run(&t, 0, 0);
		th_run(&t, 0, 1);
		CHECK_INT(G(&t, &ids, BT_AGG_AVG), -2, "@avg truncates toward zero (-5/2)");
		CHECK_INT(G(&t, &ids, BT_AGG_MIN), -7, "@min negative");
		th_free(&t);
	}

	/* one sample: variance 0 both ways */
	{
		static const int64_t one[] = { 42 };

		CHECK(build(&t, &ids, one, 1, 0, 0, 1) == 0, "one sample builds");
		th_run(&t, 0, 0);
		th_run(&t, 0, 1);
		CHECK_INT(G(&t, &ids, BT_AGG_VARIANCE), 0, "@variance of one sample (scalar)");
		CHECK_INT(G(&t, &ids, 6 + BT_AGG_VARIANCE), 0, "@variance of one sample (element)");
		th_free(&t);
	}

	/* empty: count/sum are 0, min raises */
	CHECK(build(&t, &ids, NULL, 0, 0, 0, 1) == 0, "empty builds");
	CHECK_INT(th_run(&t, 0, 1), BT_RUN_ERROR, "@min of empty is an error");
	CHECK_STR(t.out, "ERROR: empty aggregate near operator '@extract' at t.stp:1:1\n",
		  "empty aggregate message");
	CHECK_INT(G(&t, &ids, BT_AGG_COUNT), 0, "@count of empty is 0");
	CHECK_INT(G(&t, &ids, 6 + BT_AGG_COUNT), 0, "@count of a missing element is 0");
	CHECK_INT(G(&t, &ids, BT_AGG_SUM), 0, "@sum of empty is 0");
	th_free(&t);
}

/* Two CPUs: samples split, merged as SystemTap merges. */
static void multi_cpu(void)
{
	static const int64_t a[] = { 1, 2, 3 }, b[] = { 10, 20 };
	struct bt_map_decl d = stat_decl(0, 1, 0, 0);
	struct bt_stat_shape sh;
	struct bt_stat *p0 = calloc(1, 256), *p1 = calloc(1, 256), *o = calloc(1, 256);
	const struct bt_stat *parts[2] = { p0, p1 };
	unsigned int i;

	bt_stat_shape_init(&sh, &d);
	for (i = 0; i < 3; i++)
		bt_stat_add(&sh, p0, a[i]);
	for (i = 0; i < 2; i++)
		bt_stat_add(&sh, p1, b[i]);
	bt_stat_merge_scalar(&sh, o, parts, 2);
	CHECK_INT(o->count, 5, "2-CPU scalar count");
	CHECK_INT(o->sum, 36, "2-CPU scalar sum");
	CHECK_INT(o->min, 1, "2-CPU scalar min");
	CHECK_INT(o->max, 20, "2-CPU scalar max");
	/*
	 * cpu0: avg_s 2 (1, then +1/2=0 -> 1, +2/3=0 -> 1: avg_s 1), M2 =
	 * 1 + 4 = 5, var 2; cpu1: avg 10 -> +10/2 = 15, M2 = 10*5 = 50, var 50.
	 * agg avg 36/5 = 7; S1 = 3*(1-7)^2 + 2*(15-7)^2 = 108 + 128 = 236;
	 * S2 = 2*2 + 1*50 = 54; (236+54)/4 = 72.
	 */
	CHECK_INT(o->variance_s, 72, "2-CPU scalar variance (total variance formula)");
	bt_stat_clear(&sh, o);
	bt_stat_merge_elem(&sh, o, p0);
	CHECK_INT(o->variance_s, 2, "element: first CPU copied as is");
	bt_stat_merge_elem(&sh, o, p1);
	CHECK_INT(o->variance_s, 72, "element: second CPU merged pairwise");
	free(p0);
	free(p1);
	free(o);

	/* through the VM, on two contexts */
	{
		struct prog_ids ids;
		struct th t = { 0 };
		static const int64_t s5[] = { 5 };

		CHECK(build(&t, &ids, s5, 1, 0, 0, 2) == 0, "2-CPU program builds");
		CHECK_INT(th_run(&t, 0, 0), BT_RUN_OK, "cpu 0 adds");
		CHECK_INT(th_run(&t, 1, 0), BT_RUN_OK, "cpu 1 adds");
		CHECK_INT(th_run(&t, 1, 0), BT_RUN_OK, "cpu 1 adds again");
		CHECK_INT(th_run(&t, 0, 1), BT_RUN_OK, "extract");
		CHECK_INT(G(&t, &ids, BT_AGG_COUNT), 3, "scalar counts every CPU");
		CHECK_INT(G(&t, &ids, 6 + BT_AGG_SUM), 15, "element sums every CPU");
		th_free(&t);
	}
}

static void histograms(void)
{
	static const int64_t lin[] = { 444, 999 };
	static const int64_t lg[] = { -1, 1 };
	static const int64_t zero[] = { 0 };
	struct prog_ids ids;
	struct th t = { 0 };

	CHECK(build(&t, &ids, lin, 2, 0, BT_HIST_LINEAR, 1) == 0, "linear builds");
	th_run(&t, 0, 0);
	CHECK_INT(th_run(&t, 0, 2), BT_RUN_OK, "print linear");
	CHECK_STR(t.out,
		  "value |-------------------------------------------------- count\n"
		  "  300 |                                                   0\n"
		  "  350 |                                                   0\n"
		  "  400 |@                                                  1\n"
		  "  450 |                                                   0\n"
		  "  500 |                                                   0\n"
		  "      ~\n"
		  "  850 |                                                   0\n"
		  "  900 |                                                   0\n"
		  "  950 |@                                                  1\n"
		  " 1000 |                                                   0\n"
		  " 1050 |                                                   0\n"
		  "\n", "@hist_linear(0,1500,50) of {444, 999} (linear_nearlyempty.exp)");
	th_free(&t);

	CHECK(build(&t, &ids, lg, 2, 0, BT_HIST_LOG, 1) == 0, "log builds");
	th_run(&t, 0, 0);
	th_run(&t, 0, 2);
	CHECK_STR(t.out,
		  "value |-------------------------------------------------- count\n"
		  "   -4 |                                                   0\n"
		  "   -2 |                                                   0\n"
		  "   -1 |@                                                  1\n"
		  "    0 |                                                   0\n"
		  "    1 |@                                                  1\n"
		  "    2 |                                                   0\n"
		  "    4 |                                                   0\n"
		  "\n", "@hist_log of {-1, 1} (log_edge.exp)");
	th_free(&t);

	CHECK(build(&t, &ids, zero, 1, 0, BT_HIST_LOG, 1) == 0, "log {0} builds");
	th_run(&t, 0, 0);
	th_run(&t, 0, 2);
	CHECK_STR(t.out,
		  "value |-------------------------------------------------- count\n"
		  "    0 |@                                                  1\n"
		  "    1 |                                                   0\n"
		  "    2 |                                                   0\n"
		  "\n", "@hist_log of {0} (elision.exp)");
	th_free(&t);

	CHECK(build(&t, &ids, NULL, 0, 0, BT_HIST_LOG, 1) == 0, "empty hist builds");
	CHECK_INT(th_run(&t, 0, 2), BT_RUN_ERROR, "printing an empty histogram fails");
	CHECK_STR(t.out, "ERROR: empty aggregate near identifier 'print' at t.stp:2:2\n",
		  "empty histogram message");
	th_free(&t);

	/* MHIST: bucket counts, index checks */
	{
		struct progbuild *pb = pb_new();
		struct bt_func_decl fr = th_frame(2, 0, 0, 0);
		struct bt_map_decl d = stat_decl(0, 0, 0, BT_HIST_LOG);
		uint32_t f, s, g;

		s = pb_map(pb, "s", &d);
		g = pb_global(pb, "g", BT_KIND_INT, 0, 0);
		f = pb_func_declare(pb, "probe_0");
		pb_func_begin(pb, f);
		pb_emit_imm(pb, BT_OP_LDI, 0, 5);
		th_emit_map(pb, BT_OP_MSTAT, 0, 0, s, 0, 0, 0, 0);
		th_emit_map(pb, BT_OP_MSTAT, 0, 0, s, 0, 0, 0, 0);
		pb_emit_imm(pb, BT_OP_LDI, 0, 67);	/* 4..7 */
		th_emit_map(pb, BT_OP_MHIST, 0, 0, s, 0, 0, 0, 0);
		pb_emit(pb, BT_OP_GST, 0, g, 0, 0);
		pb_emit_imm(pb, BT_OP_LDI, 0, 128);
		pb_loc(pb, "operator '[' at t.stp:9:9");
		th_emit_map(pb, BT_OP_MHIST, 0, 0, s, 0, 0, 0, 0);
		pb_emit(pb, BT_OP_RET, 0, 0, 0, 0);
		pb_func_end(pb, &fr);
		th_probe(pb, f, "begin");
		CHECK(th_build(&t, pb) == 0 && th_start(&t, 1) == 0, "MHIST builds");
		CHECK_INT(th_run(&t, 0, 0), BT_RUN_ERROR, "bucket 128 is out of range");
		CHECK_INT(bt_session_global_int(t.sess, g), 2, "@hist_log(s)[67] counts 5 twice");
		CHECK_STR(t.out, "ERROR: histogram index out of range near operator '[' at t.stp:9:9\n",
			  "histogram index message");
		th_free(&t);
	}
}

int main(void)
{
	variance_cases();
	multi_cpu();
	histograms();
	return check_done();
}
