/*
 * policy_follows_systemtap.c - the session policy both hosts take from
 * the core (bt_policy.h): probes of a kind run by N, then in script
 * order; begin probes stop at exit() or an error, end and error probes
 * all run, nothing after abort(); the error probes replace the end
 * probes after an error; timer jitter stays within +- randomize.
 */
#include "check.h"
#include "bt_policy.h"

int main(void)
{
	struct bt_probe_decl pd[64] = { 0 };
	struct bt_prog prog = { 0 };
	uint32_t idx[64], n, i, k;
	int ok;

	/* begin(N): N = (i * 7) % 5 - 2, interleaved with end probes */
	for (i = 0; i < 64; i++) {
		pd[i].kind = i % 3 ? BT_PROBE_BEGIN : BT_PROBE_END;
		pd[i].seq = (int64_t)((i * 7) % 5) - 2;
	}
	prog.probes = pd;
	prog.nprobes = 64;
	n = bt_probe_order(&prog, BT_PROBE_BEGIN, idx);
	CHECK_INT(n, 42, "every begin probe, none of the others");
	ok = 1;
	for (k = 1; k < n; k++) {
		int64_t a = pd[idx[k - 1]].seq, b = pd[idx[k]].seq;

		if (a > b || (a == b && idx[k - 1] >= idx[k]))
			ok = 0;
	}
	CHECK(ok, "ordered by N, equal N in script order");
	CHECK_INT(bt_probe_order(&prog, BT_PROBE_ERROR, idx), 0, "no error probes");

	CHECK(bt_phase_goes_on(BT_PROBE_BEGIN, false, false, false), "begin probes run");
	CHECK(!bt_phase_goes_on(BT_PROBE_BEGIN, true, false, false), "... not after exit()");
	CHECK(!bt_phase_goes_on(BT_PROBE_BEGIN, false, true, false), "... not after an error");
	CHECK(bt_phase_goes_on(BT_PROBE_END, true, false, false), "end probes all run after exit()");
	CHECK(bt_phase_goes_on(BT_PROBE_ERROR, true, true, false), "error probes all run after an error");
	CHECK(!bt_phase_goes_on(BT_PROBE_END, false, false, true), "nothing runs after abort()");
	CHECK_INT(bt_final_kind(false), BT_PROBE_END, "a session ends with its end probes");
	CHECK_INT(bt_final_kind(true), BT_PROBE_ERROR, "... or, after an error, its error probes");

	CHECK_INT(bt_timer_next(1000, 0, 12345), 1000, "no jitter: the period");
	CHECK_INT(bt_timer_next(1000, 100, 0), 900, "jitter: period - randomize at least");
	CHECK_INT(bt_timer_next(1000, 100, 200), 1100, "... period + randomize at most");
	CHECK_INT(bt_timer_next(1000, 100, 201), 900, "... r taken modulo 2 * randomize + 1");
	CHECK_INT(bt_timer_next(10, 100, 0), 1, "never below 1 ns");
	return check_done();
}
