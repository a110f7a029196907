/*
 * vm_errors_follow_systemtap.c - runtime errors, try/catch and limits as
 * SystemTap has them: a catch in a calling function catches an error
 * raised deeper, the message reaches the catch variable, RET inside a try
 * leaves normally, "MAXNESTING exceeded" is catchable but "MAXACTION
 * exceeded" is not, the budget boundary is exact for both kinds of check,
 * error() is reported without a location, abort() stops at once, host
 * builtin faults are errors, and the session counts errors and skips.
 */
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "test_host.h"
#include "bt_builtin.h"
#include "regex_compile.h"

static struct bt_limits lim(uint32_t maxaction, uint32_t maxnesting)
{
	struct bt_limits l = {
		.maxaction = maxaction, .maxnesting = maxnesting, .maxstringlen = 64,
		.maxmapentries = 16, .maxerrors = 1, .maxskipped = 2, .hist_elision = 2,
	};
	return l;
}

/*
 * f0 (probe): try { call deep(n) } catch (msg) { print msg }; print "after"
 * deep(n): n == 0 ? 1/0 : deep(n-1)
 */
static void catch_across_frames(void)
{
	struct progbuild *pb = pb_new();
	struct bt_func_decl fr = th_frame(2, 1, 0, 1), fd = th_frame(2, 0, 0, 0);
	struct bt_limits l = lim(1000, 4);
	struct th t = { 0 };
	uint32_t f, deep, fs, t1, t2, j, n;

	pb_limits(pb, &l);
	fs = pb_format(pb, "caught: %s\n", 0, 1);
	f = pb_func_declare(pb, "probe_0");
	deep = pb_func_declare(pb, "deep");
	for (n = 2; n <= 6; n += 4) {	/* probe 0: depth 3 (fits); probe 1: depth 7 */
		uint32_t fn = n == 2 ? f : pb_func_declare(pb, "probe_1");

		pb_func_begin(pb, fn);
		t1 = pb_emit(pb, BT_OP_TRY, 0, 0, 0, 0);
		pb_emit_imm(pb, BT_OP_LDI, 0, (int32_t)n);
		pb_loc(pb, "identifier 'deep' at t.stp:1:1");
		pb_emit(pb, BT_OP_CALL, 0, deep, 0, 0);
		pb_emit(pb, BT_OP_TRYEND, 0, 0, 0, 0);
		t2 = pb_emit(pb, BT_OP_JMP, 0, 0, 0, 0);
		pb_insn(pb, t1)->a = pb_emit(pb, BT_OP_CATCHMSG, 0, 0, 0, 0);
		pb_emit(pb, BT_OP_PRINTF, 0, fs, 0, 0);
		pb_insn(pb, t2)->a = pb_emit(pb, BT_OP_SLDK, 0, 0, pb_strconst(pb, "after"), 0);
		pb_emit(pb, BT_OP_PRINTF, 0, fs, 0, 0);
		pb_emit(pb, BT_OP_RET, 0, 0, 0, 0);
		pb_func_end(pb, &fr);
		th_probe(pb, fn, "begin");
	}
	pb_func_begin(pb, deep);
	j = pb_emit(pb, BT_OP_JNZ, 0, 0, 0, 0);
	pb_emit(pb, BT_OP_LDI, 0, 1, 1, 0);
	pb_loc(pb, "operator '/' at t.stp:5:5");
	pb_emit(pb, BT_OP_DIV, 0, 0, 1, 0);
	pb_emit(pb, BT_OP_RETI, 0, 0, 0, 0);
	pb_insn(pb, j)->b = pb_emit(pb, BT_OP_ADDI, 0, 0, 0, (uint16_t)-1);
	pb_loc(pb, "identifier 'deep' at t.stp:6:6");
	pb_emit(pb, BT_OP_CALL, 0, deep, 0, 0);
	pb_emit(pb, BT_OP_RETI, 0, 0, 0, 0);
	fd.nparam_i = 1;
	fd.ret_kind = BT_KIND_INT;
	pb_func_end(pb, &fd);
	if (th_build(&t, pb) || th_start(&t, 1)) {
		printf("# %s\n", t.diag.msg);
		CHECK(0, "try program builds");
		return;
	}
	CHECK_INT(th_run(&t, 0, 0), BT_RUN_OK, "error three calls deep is caught");
	CHECK_STR(t.out, "caught: division by 0\ncaught: after\n", "catch gets the message");
	CHECK_INT(t.ctx[0]->depth, 0, "frames unwound");
	CHECK_INT(th_run(&t, 0, 1), BT_RUN_OK, "MAXNESTING is caught");
	CHECK_STR(t.out, "caught: MAXNESTING exceeded\ncaught: after\n", "MAXNESTING message");
	th_free(&t);
}

/* A loop charging 1 per iteration with MAXACTION 10: where it stops. */
static int loop_until(unsigned int x, int in_try, int *iters)
{
	struct progbuild *pb = pb_new();
	struct bt_func_decl fr = th_frame(2, 0, 0, 1);
	struct bt_limits l = lim(10, 4);
	struct th t = { 0 };
	uint32_t f, g, loop, t1 = 0;
	int rc;

	pb_limits(pb, &l);
	g = pb_global(pb, "n", BT_KIND_INT, 0, 0);
	f = pb_func_declare(pb, "probe_0");
	pb_func_begin(pb, f);
	if (in_try)
		t1 = pb_emit(pb, BT_OP_TRY, 0, 0, 0, 0);
	loop = pb_emit(pb, BT_OP_ADDI, 0, 0, 0, 1);
	pb_emit(pb, BT_OP_GST, 0, g, 0, 0);
	pb_loc(pb, "keyword at t.stp:2:2");
	pb_emit(pb, BT_OP_LOOP, x, loop, 1, 0);
	if (in_try) {
		pb_emit(pb, BT_OP_TRYEND, 0, 0, 0, 0);
		pb_insn(pb, t1)->a = pb_emit(pb, BT_OP_RET, 0, 0, 0, 0);
	}
	pb_func_end(pb, &fr);
	th_probe(pb, f, "begin");
	if (th_build(&t, pb) || th_start(&t, 1)) {
		printf("# %s\n", t.diag.msg);
		th_free(&t);
		return -9;
	}
	rc = th_run(&t, 0, 0);
	*iters = (int)bt_session_global_int(t.sess, g);
	if (in_try)
		CHECK_STR(t.out, "ERROR: MAXACTION exceeded near keyword at t.stp:2:2\n",
			  "MAXACTION inside try is reported, not caught");
	th_free(&t);
	return rc;
}

static void budgets(void)
{
	int n;

	CHECK_INT(loop_until(0, 0, &n), BT_RUN_ERROR, "endless loop ends");
	CHECK_INT(n, 11, "budget -= 1; < 0 fails: 10 charges pass, the 11th fails");
	CHECK_INT(loop_until(BT_ACT_LE0, 0, &n), BT_RUN_ERROR, "endless loop ends (<= 0)");
	CHECK_INT(n, 10, "SystemTap's '<= 0' check: the 10th charge fails");
	CHECK_INT(loop_until(0, 1, &n), BT_RUN_ERROR, "MAXACTION is not caught by try");
}

/* ACT with BT_ACT_CHECK checks without charging. */
static void act_check(void)
{
	struct progbuild *pb = pb_new();
	struct bt_func_decl fr = th_frame(1, 0, 0, 0);
	struct bt_limits l = lim(10, 4);
	struct th t = { 0 };
	uint32_t f;

	pb_limits(pb, &l);
	f = pb_func_declare(pb, "probe_0");
	pb_func_begin(pb, f);
	pb_emit(pb, BT_OP_ACT, BT_ACT_CHECK, 0, 10, 0);	/* 10 < 10? no */
	pb_emit(pb, BT_OP_ACT, BT_ACT_CHECK, 0, 10, 0);	/* still 10 left */
	pb_emit(pb, BT_OP_ACT, 0, 0, 10, 0);		/* 0 left: fine with < 0 */
	pb_emit(pb, BT_OP_RET, 0, 0, 0, 0);
	pb_func_end(pb, &fr);
	th_probe(pb, f, "begin");
	f = pb_func_declare(pb, "probe_1");
	pb_func_begin(pb, f);
	pb_emit(pb, BT_OP_ACT, BT_ACT_CHECK, 0, 11, 0);	/* 10 < 11: fails */
	pb_emit(pb, BT_OP_RET, 0, 0, 0, 0);
	pb_func_end(pb, &fr);
	th_probe(pb, f, "begin");
	CHECK(th_build(&t, pb) == 0 && th_start(&t, 1) == 0, "ACT program builds");
	CHECK_INT(th_run(&t, 0, 0), BT_RUN_OK, "up-front checks do not charge");
	CHECK_INT(th_run(&t, 0, 1), BT_RUN_ERROR, "up-front check fails when too few are left");
	th_free(&t);
}

/* error(), abort(), host faults, warn, pp/ppfunc, strings, accounting. */
static void builtins_and_accounting(void)
{
	struct progbuild *pb = pb_new();
	struct bt_func_decl fr = th_frame(3, 3, 0, 1);
	struct bt_limits l = lim(1000, 4);
	struct th t = { 0 };
	uint32_t f, fs, fi, t1, t2;
	char w[128];

	pb_limits(pb, &l);
	fs = pb_format(pb, "%s|%s|%s\n", 0, 3);
	fi = pb_format(pb, "%d %d %d\n", 3, 0);
	/* probe 0: error("boom") */
	f = pb_func_declare(pb, "probe_0");
	pb_func_begin(pb, f);
	pb_emit(pb, BT_OP_SLDK, 0, 0, pb_strconst(pb, "boom"), 0);
	pb_loc(pb, "identifier 'error' at t.stp:1:1");
	pb_emit(pb, BT_OP_ERROR, 0, 0, 0, 0);
	pb_emit(pb, BT_OP_RET, 0, 0, 0, 0);
	pb_func_end(pb, &fr);
	th_probe(pb, f, "begin");
	/* probe 1: pp, ppfunc, warn, toupper, a caught host fault, abort */
	f = pb_func_declare(pb, "probe_1");
	pb_func_begin(pb, f);
	pb_emit(pb, BT_OP_CALLB, 0, BT_B_PP, 0, 0);
	pb_emit(pb, BT_OP_CALLB, 0, BT_B_PPFUNC, 0, 1);
	pb_emit(pb, BT_OP_SMOV, 0, 2, 1, 0);
	pb_emit(pb, BT_OP_CALLB, 0, BT_B_TOUPPER, 0, 2);
	pb_emit(pb, BT_OP_PRINTF, 0, fs, 0, 0);
	pb_emit(pb, BT_OP_CALLB, 0, BT_B_WARN, 0, 1);
	t1 = pb_emit(pb, BT_OP_TRY, 0, 0, 0, 0);
	pb_emit_imm(pb, BT_OP_LDI, 0, 0x1000);
	pb_emit(pb, BT_OP_CALLB, 0, BT_B_KERNEL_STRING, 0, 0);
	pb_emit(pb, BT_OP_TRYEND, 0, 0, 0, 0);
	t2 = pb_emit(pb, BT_OP_JMP, 0, 0, 0, 0);
	pb_insn(pb, t1)->a = pb_emit(pb, BT_OP_CATCHMSG, 0, 0, 0, 0);
	pb_emit(pb, BT_OP_PRINTF, 0, fs, 0, 0);
	pb_insn(pb, t2)->a = pb_emit(pb, BT_OP_CALLB, 0, BT_B_PID, 0, 0);
	pb_emit_imm(pb, BT_OP_LDI, 1, 10);
	pb_emit(pb, BT_OP_CALLB, 0, BT_B_RANDINT, 1, 0);
	pb_emit(pb, BT_OP_SLDK, 0, 0, pb_strconst(pb, "hello world"), 0);
	pb_emit(pb, BT_OP_CALLB, 0, BT_B_STRLEN, 2, 0);
	pb_emit(pb, BT_OP_PRINTF, 0, fi, 0, 0);
	pb_emit(pb, BT_OP_CALLB, 0, BT_B_ABORT, 0, 0);
	pb_emit(pb, BT_OP_PRINTF, 0, fi, 0, 0);		/* never */
	pb_emit(pb, BT_OP_RET, 0, 0, 0, 0);
	pb_func_end(pb, &fr);
	th_probe(pb, f, "kernel.function(\"vfs_read@fs/read_write.c:450\")");
	CHECK(th_build(&t, pb) == 0 && th_start(&t, 1) == 0, "builtins program builds");

	CHECK_INT(th_run(&t, 0, 0), BT_RUN_ERROR, "error() raises");
	CHECK_STR(t.out, "ERROR: boom\n", "error() is reported without a location");
	CHECK_STR(bt_ctx_errmsg(t.ctx[0]), "boom", "bt_ctx_errmsg");
	CHECK_INT(bt_ctx_errpc(t.ctx[0]), BT_REC_NOPC, "bt_ctx_errpc of error()");
	CHECK(!bt_session_note_error(t.sess), "first error tolerated with MAXERRORS 1");
	CHECK(bt_session_note_error(t.sess), "second error ends the session");

	CHECK_INT(th_run(&t, 0, 1), BT_RUN_ABORT, "abort() ends the handler");
	CHECK_INT(th_exit_calls, 1, "abort() asks the host to exit");
	{
		char want[512];

		snprintf(want, sizeof(want),
			 "kernel.function(\"vfs_read@fs/read_write.c:450\")|vfs_read|VFS_READ\n"
			 "WARNING: vfs_read\n"
			 "kernel string copy fault at 0x1000 [man error::fault]|vfs_read|VFS_READ\n"
			 "4242 %lld 11\n", (long long)bt_session_global_int(t.sess, 0));
		/* randint's value is random: check the line's shape instead */
		CHECK(strncmp(t.out, want, strstr(want, "4242") - want + 5) == 0,
		      "pp, ppfunc, toupper, warn, caught host fault, pid");
		CHECK(strstr(t.out, " 11\n") != NULL, "strlen");
		CHECK(strstr(t.out, "4242 ") && atoi(strstr(t.out, "4242 ") + 5) >= 0 &&
		      atoi(strstr(t.out, "4242 ") + 5) < 10, "randint(10) in [0, 10)");
		CHECK(strstr(t.out, "4242") == strrchr(t.out, '4') - 3 ||
		      strstr(strstr(t.out, "4242") + 1, "4242") == NULL,
		      "nothing printed after abort()");
	}

	CHECK(!bt_session_note_skip(t.sess), "skip 1 of MAXSKIPPED 2");
	CHECK(!bt_session_note_skip(t.sess), "skip 2 of MAXSKIPPED 2");
	CHECK(bt_session_note_skip(t.sess), "skip 3 > MAXSKIPPED");
	bt_session_final_warning(t.sess, w, sizeof(w));
	CHECK_STR(w, "WARNING: Number of errors: 2, skipped probes: 3", "final warning");
	CHECK_STR(bt_msg_skipped_too_many,
		  "Skipped too many probes, check MAXSKIPPED or try again with stap -t for more details.",
		  "MAXSKIPPED message");
	th_free(&t);

	/* no errors, only a reentrancy skip: still warned, with 0 skipped */
	pb = pb_new();
	f = pb_func_declare(pb, "probe_0");
	pb_func_begin(pb, f);
	pb_emit(pb, BT_OP_RET, 0, 0, 0, 0);
	pb_func_end(pb, &fr);
	th_probe(pb, f, "begin");
	CHECK(th_build(&t, pb) == 0 && th_start(&t, 1) == 0, "empty program builds");
	CHECK_INT(bt_session_final_warning(t.sess, w, sizeof(w)), 0, "nothing to warn about");
	bt_session_note_reentrancy(t.sess);
	bt_session_final_warning(t.sess, w, sizeof(w));
	CHECK_STR(w, "WARNING: Number of errors: 0, skipped probes: 0", "reentrancy still warns");
	th_free(&t);
}

/* Records dropped when the host has no room are counted. */
static void drops(void)
{
	struct progbuild *pb = pb_new();
	struct bt_func_decl fr = th_frame(1, 0, 0, 0);
	struct th t = { 0 };
	uint32_t f, fm;

	fm = pb_format(pb, "x\n", 0, 0);
	f = pb_func_declare(pb, "probe_0");
	pb_func_begin(pb, f);
	pb_emit(pb, BT_OP_PRINTF, 0, fm, 0, 0);
	pb_emit(pb, BT_OP_RET, 0, 0, 0, 0);
	pb_func_end(pb, &fr);
	th_probe(pb, f, "begin");
	CHECK(th_build(&t, pb) == 0 && th_start(&t, 1) == 0, "drop program builds");
	th_reserve_fail = 1;
	CHECK_INT(th_run(&t, 0, 0), BT_RUN_OK, "a full buffer is not an error");
	CHECK_INT(t.sess->drop_count, 1, "the drop is counted");
	th_free(&t);
}

/* =~ and matched(): captures kept; a failed match makes matched() an error. */
static void regex_match(void)
{
	struct progbuild *pb = pb_new();
	struct bt_func_decl fr = th_frame(4, 3, 0, 0);
	struct th t = { 0 };
	static uint8_t code[65536];
	size_t size;
	uint32_t f, rx, fm;

	CHECK(bt_regex_compile("a(b+)(x)?c", 10, code, sizeof(code), &size, NULL) == 0,
	      "regex compiles");
	rx = pb_regex(pb, code, size, "a(b+)(x)?c");
	fm = pb_format(pb, "%d %d %d [%s] [%s] [%s]\n", 3, 3);
	f = pb_func_declare(pb, "probe_0");
	pb_func_begin(pb, f);
	pb_emit(pb, BT_OP_SLDK, 0, 0, pb_strconst(pb, "xxabbbcyy"), 0);
	pb_emit(pb, BT_OP_MATCH, 0, 0, 0, rx);
	pb_emit(pb, BT_OP_MATCH, 1, 1, 0, rx);
	pb_emit(pb, BT_OP_CALLB, 0, BT_B_NGROUPS, 2, 0);
	pb_emit(pb, BT_OP_CALLB, 0, BT_B_MATCHED_STR, 0, 0);
	pb_emit_imm(pb, BT_OP_LDI, 3, 1);
	pb_emit(pb, BT_OP_CALLB, 0, BT_B_MATCHED, 3, 1);
	pb_emit_imm(pb, BT_OP_LDI, 3, 2);
	pb_emit(pb, BT_OP_CALLB, 0, BT_B_MATCHED, 3, 2);
	pb_emit(pb, BT_OP_PRINTF, 0, fm, 0, 0);
	pb_emit(pb, BT_OP_SLDK, 0, 0, pb_strconst(pb, "nope"), 0);
	pb_emit(pb, BT_OP_MATCH, 0, 0, 0, rx);
	pb_emit_imm(pb, BT_OP_LDI, 3, 1);
	pb_loc(pb, "identifier 'matched' at t.stp:4:4");
	pb_emit(pb, BT_OP_CALLB, 0, BT_B_MATCHED, 3, 1);
	pb_emit(pb, BT_OP_RET, 0, 0, 0, 0);
	pb_func_end(pb, &fr);
	th_probe(pb, f, "begin");
	if (th_build(&t, pb) || th_start(&t, 1)) {
		printf("# %s\n", t.diag.msg);
		CHECK(0, "regex program builds");
		return;
	}
	CHECK_INT(th_run(&t, 0, 0), BT_RUN_ERROR, "matched() after a failed match raises");
	CHECK_STR(t.out, "1 0 3 [abbbc] [bbb] []\n"
		  "ERROR: Attempted to get subexpression 1 from failed match near identifier 'matched' at t.stp:4:4\n",
		  "=~, !~, ngroups, matched_str, matched(n), unset group");
	th_free(&t);
}

int main(void)
{
	regex_match();
	catch_across_frames();
	budgets();
	act_check();
	builtins_and_accounting();
	drops();
	return check_done();
}
