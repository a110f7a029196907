/*
 * vm_arith_matches_systemtap.c - integer and string arithmetic as
 * SystemTap's generated C does it: wrapping 64-bit math, / and % toward
 * zero with the x / -1 and x % -1 special cases, "division by 0", shifts
 * masked to 6 bits, >> arithmetic, >>> logical, comparisons signed,
 * strings cut at MAXSTRINGLEN - 1 bytes, SCAT aliasing its operands.
 */
#include <stdlib.h>
#include "check.h"
#include "test_host.h"

static char errbuf[256];

/* r0 = a OP b (x for CMP), via a one-function program. */
static int64_t binop(unsigned int op, unsigned int x, int64_t a, int64_t b, int *err)
{
	struct progbuild *pb = pb_new();
	struct bt_func_decl fr = th_frame(3, 0, 0, 0);
	struct th t = { 0 };
	uint32_t f, g;
	int64_t v = 0;
	int rc;

	g = pb_global(pb, "res", BT_KIND_INT, 0, 0);
	f = pb_func_declare(pb, "probe_0");
	pb_func_begin(pb, f);
	pb_emit(pb, BT_OP_LDK, 0, 1, pb_const(pb, a), 0);
	pb_emit(pb, BT_OP_LDK, 0, 2, pb_const(pb, b), 0);
	pb_loc(pb, "operator at t.stp:1:1");
	if (op == BT_OP_NEG || op == BT_OP_NOT || op == BT_OP_LNOT)
		pb_emit(pb, op, x, 0, 1, 0);
	else
		pb_emit(pb, op, x, 0, 1, 2);
	pb_emit(pb, BT_OP_GST, 0, g, 0, 0);
	pb_emit(pb, BT_OP_RET, 0, 0, 0, 0);
	pb_func_end(pb, &fr);
	th_probe(pb, f, "begin");
	if (th_build(&t, pb) || th_start(&t, 1)) {
		printf("# build: %s\n", t.diag.msg);
		*err = -1;
		th_free(&t);
		return 0;
	}
	rc = th_run(&t, 0, 0);
	*err = rc;
	memcpy(errbuf, t.out, sizeof(errbuf) - 1);
	v = bt_session_global_int(t.sess, g);
	th_free(&t);
	return v;
}

static void check_op(const char *what, unsigned int op, unsigned int x,
		     int64_t a, int64_t b, int64_t want)
{
	int err;
	int64_t got = binop(op, x, a, b, &err);

	CHECK_INT(err, BT_RUN_OK, what);
	CHECK_INT(got, want, what);
}

static void check_div0(const char *what, unsigned int op)
{
	int err;

	binop(op, 0, 7, 0, &err);
	CHECK_INT(err, BT_RUN_ERROR, what);
	CHECK_STR(errbuf, "ERROR: division by 0 near operator at t.stp:1:1\n", what);
}

/* s0 = "abc", s1 = "defg"; SCAT a, b, c; return s[a] through a global. */
static void check_scat(unsigned int a, unsigned int b, unsigned int c,
		       uint32_t maxstr, const char *want, const char *what)
{
	struct progbuild *pb = pb_new();
	struct bt_func_decl fr = th_frame(0, 3, 0, 0);
	struct bt_limits lim = {
		.maxaction = 1000, .maxnesting = 10, .maxstringlen = maxstr,
		.maxmapentries = 100, .maxskipped = 100, .hist_elision = 2,
	};
	struct th t = { 0 };
	uint32_t f, g;

	pb_limits(pb, &lim);
	g = pb_global(pb, "res", BT_KIND_STR, 0, 0);
	f = pb_func_declare(pb, "probe_0");
	pb_func_begin(pb, f);
	pb_emit(pb, BT_OP_SLDK, 0, 0, pb_strconst(pb, "abc"), 0);
	pb_emit(pb, BT_OP_SLDK, 0, 1, pb_strconst(pb, "defg"), 0);
	pb_emit(pb, BT_OP_SCAT, 0, a, b, c);
	pb_emit(pb, BT_OP_GSST, 0, g, a, 0);
	pb_emit(pb, BT_OP_RET, 0, 0, 0, 0);
	pb_func_end(pb, &fr);
	th_probe(pb, f, "begin");
	CHECK(th_build(&t, pb) == 0 && th_start(&t, 1) == 0, what);
	CHECK_INT(th_run(&t, 0, 0), BT_RUN_OK, what);
	CHECK_STR(bt_session_global_str(t.sess, g), want, what);
	th_free(&t);
}

int main(void)
{
	check_op("add wraps", BT_OP_ADD, 0, INT64_MAX, 1, INT64_MIN);
	check_op("sub wraps", BT_OP_SUB, 0, INT64_MIN, 1, INT64_MAX);
	check_op("mul wraps", BT_OP_MUL, 0, INT64_MAX, 2, -2);
	check_op("7 / 2 = 3", BT_OP_DIV, 0, 7, 2, 3);
	check_op("-7 / 2 = -3 (toward 0)", BT_OP_DIV, 0, -7, 2, -3);
	check_op("7 / -2 = -3", BT_OP_DIV, 0, 7, -2, -3);
	check_op("-7 % 2 = -1", BT_OP_MOD, 0, -7, 2, -1);
	check_op("7 % -2 = 1", BT_OP_MOD, 0, 7, -2, 1);
	check_op("INT64_MIN / -1 = INT64_MIN", BT_OP_DIV, 0, INT64_MIN, -1, INT64_MIN);
	check_op("INT64_MIN % -1 = 0", BT_OP_MOD, 0, INT64_MIN, -1, 0);
	check_op("x % -1 = 0", BT_OP_MOD, 0, 17, -1, 0);
	check_op("x / -1 = -x", BT_OP_DIV, 0, 17, -1, -17);
	check_div0("x / 0 raises division by 0", BT_OP_DIV);
	check_div0("x % 0 raises division by 0", BT_OP_MOD);
	check_op("1 << 64 = 1 (count & 63)", BT_OP_SHL, 0, 1, 64, 1);
	check_op("1 << 65 = 2", BT_OP_SHL, 0, 1, 65, 2);
	check_op("1 << 63 = INT64_MIN", BT_OP_SHL, 0, 1, 63, INT64_MIN);
	check_op("-16 >> 2 = -4 (arithmetic)", BT_OP_SHR, 0, -16, 2, -4);
	check_op("-1 >>> 60 = 15 (logical)", BT_OP_USHR, 0, -1, 60, 15);
	check_op("-1 >> -1 (count 63) = -1", BT_OP_SHR, 0, -1, -1, -1);
	check_op("and", BT_OP_AND, 0, 0xf0f0, 0xff00, 0xf000);
	check_op("or", BT_OP_OR, 0, 0xf0f0, 0xff00, 0xfff0);
	check_op("xor", BT_OP_XOR, 0, 0xf0f0, 0xff00, 0x0ff0);
	check_op("neg INT64_MIN wraps", BT_OP_NEG, 0, INT64_MIN, 0, INT64_MIN);
	check_op("not", BT_OP_NOT, 0, 0, 0, -1);
	check_op("lnot 5 = 0", BT_OP_LNOT, 0, 5, 0, 0);
	check_op("lnot 0 = 1", BT_OP_LNOT, 0, 0, 0, 1);
	check_op("-1 < 1 is signed", BT_OP_CMP, BT_CMP_LT, -1, 1, 1);
	check_op("cmp ge", BT_OP_CMP, BT_CMP_GE, 3, 3, 1);
	check_op("cmp ne", BT_OP_CMP, BT_CMP_NE, 3, 3, 0);
	check_op("cmp gt", BT_OP_CMP, BT_CMP_GT, INT64_MIN, INT64_MAX, 0);

	check_scat(2, 0, 1, 512, "abcdefg", "concat into a third register");
	check_scat(0, 0, 1, 512, "abcdefg", "concat onto its left operand");
	check_scat(1, 0, 1, 512, "abcdefg", "concat into its right operand");
	check_scat(0, 0, 0, 512, "abcabc", "concat a string with itself");
	check_scat(1, 1, 0, 512, "defgabc", "concat, other order, aliased");
	check_scat(2, 0, 1, 6, "abcde", "concat truncated to MAXSTRINGLEN-1");
	check_scat(1, 0, 1, 6, "abcde", "aliased concat truncated");
	check_scat(0, 0, 0, 5, "abca", "self concat truncated");
	return check_done();
}
