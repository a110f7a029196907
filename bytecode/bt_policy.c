// SPDX-License-Identifier: GPL-2.0
/*
 * bt_policy.c - the session policy both hosts follow (bt_policy.h).
 */
#include "bt_policy.h"

/* (seq, index): begin(N) order, script order for equal N. */
static bool before(const struct bt_prog *prog, uint32_t x, uint32_t y)
{
	int64_t sx = prog->probes[x].seq, sy = prog->probes[y].seq;

	return sx != sy ? sx < sy : x < y;
}

static void sift_down(const struct bt_prog *prog, uint32_t *a, uint32_t i,
		      uint32_t n)
{
	for (;;) {
		uint32_t top = i, l = 2 * i + 1, r = l + 1, t;

		if (l < n && before(prog, a[top], a[l]))
			top = l;
		if (r < n && before(prog, a[top], a[r]))
			top = r;
		if (top == i)
			return;
		t = a[i];
		a[i] = a[top];
		a[top] = t;
		i = top;
	}
}

uint32_t bt_probe_order(const struct bt_prog *prog, uint16_t kind,
			uint32_t *idx)
{
	uint32_t n = 0, i, t;

	for (i = 0; i < prog->nprobes; i++)
		if (prog->probes[i].kind == kind)
			idx[n++] = i;
	/* heapsort: the order is total, so stability does not matter */
	for (i = n / 2; i-- > 0;)
		sift_down(prog, idx, i, n);
	for (i = n; i-- > 1;) {
		t = idx[0];
		idx[0] = idx[i];
		idx[i] = t;
		sift_down(prog, idx, 0, i);
	}
	return n;
}

enum bt_outcome bt_run_outcome(struct bt_session *sess, int rc)
{
	if (rc == BT_RUN_ERROR)
		return bt_session_note_error(sess) ? BT_OUTCOME_ERROR : BT_OUTCOME_GO_ON;
	if (rc == BT_RUN_ABORT)
		return BT_OUTCOME_ABORT;
	return BT_OUTCOME_GO_ON;
}

bool bt_phase_goes_on(uint16_t kind, bool exit_requested, bool error_state,
		      bool aborted)
{
	if (aborted)
		return false;
	if (kind == BT_PROBE_BEGIN)
		return !exit_requested && !error_state;
	return true;
}

uint16_t bt_final_kind(bool error_state)
{
	return error_state ? BT_PROBE_ERROR : BT_PROBE_END;
}

uint64_t bt_timer_next(uint64_t period, uint64_t jitter, uint64_t r)
{
	if (!jitter)
		return period;
	r %= 2 * jitter + 1;
	return period + r > jitter ? period + r - jitter : 1;
}
