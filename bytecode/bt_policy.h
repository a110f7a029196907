/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bt_policy.h - the session policy both hosts follow (the module's
 * vm-module/ and the user runtime's userland/rt_user.c), written once:
 *
 *   - the order probes of one kind run in: begin(N), end(N) and error(N)
 *     by N, equal N in script order (bt_probe_order());
 *   - what a handler's result means for the session (bt_run_outcome());
 *   - which probes of a phase still run (bt_phase_goes_on()), and which
 *     kind ends the session (bt_final_kind()): end probes, or error
 *     probes after an error;
 *   - a timer's next interval with its randomize jitter (bt_timer_next()).
 *
 * The hosts keep only the mechanism: threads, timers, locks, output.
 */
#ifndef BT_POLICY_H
#define BT_POLICY_H

#include "bt_types.h"
#include "bt_prog.h"
#include "bt_vm.h"

/*
 * The probes of one kind, in the order they run, into idx[] (room for
 * prog->nprobes entries).  Returns how many.  No allocation, O(n log n).
 */
uint32_t bt_probe_order(const struct bt_prog *prog, uint16_t kind,
			uint32_t *idx);

enum bt_outcome {
	BT_OUTCOME_GO_ON = 0,	/* nothing changes */
	BT_OUTCOME_ERROR,	/* the session enters the error state: it ends,
				 * and its error probes run instead of end */
	BT_OUTCOME_ABORT,	/* abort(): it ends at once, no end or error probe */
};

/*
 * What bt_run_probe()'s result rc means for the session: an error is
 * counted (bt_session_note_error()) and ends the session past MAXERRORS.
 */
enum bt_outcome bt_run_outcome(struct bt_session *sess, int rc);

/*
 * May the next probe of a phase (kind) run?  Never after an abort; the
 * begin probes stop at exit() or an error; end and error probes all run.
 */
bool bt_phase_goes_on(uint16_t kind, bool exit_requested, bool error_state,
		      bool aborted);

/* The probes that end a session: error probes after an error, else end. */
uint16_t bt_final_kind(bool error_state);

/*
 * A timer's next interval: period, moved by randomize (jitter) to
 * uniform in [period - jitter, period + jitter] by the host's random
 * number r (r % (2 * jitter + 1)), and at least 1 ns.
 */
uint64_t bt_timer_next(uint64_t period, uint64_t jitter, uint64_t r);

#endif /* BT_POLICY_H */
