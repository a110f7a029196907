/*
 * vm_hit_time_guard.c - the VM's work counter (bt_vm.h "Work and time"):
 * a hit that MAXACTION would let run for hours asks the host's time guard
 * every BT_WORK_QUANTUM units, the guard's verdict ends the handler with
 * the host's message and no try block catches it; calls, loops, sorts and
 * regex matches are all charged; a sort stopped between passes leaves its
 * map whole, and so does a regex match at its next tick; a pattern over
 * BT_RE_MAX_COST is refused by the compiler and by the kernel's
 * validation.
 */
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "test_host.h"
#include "regex_compile.h"

static struct bt_limits lim(uint32_t maxaction)
{
	struct bt_limits l = {
		.maxaction = maxaction, .maxnesting = 8, .maxstringlen = 64,
		.maxmapentries = 16, .maxerrors = 1, .maxskipped = 2, .hist_elision = 2,
	};
	return l;
}

/*
 * probe_0: an endless loop (LOOP to itself), MAXACTION 2^31 - 1, inside a
 * try block when in_try.  probe_1: the same loop through a CALL of a
 * 3-instruction function, so that only CALL charges grow the work.
 */
static void endless_loops(int in_try)
{
	struct progbuild *pb = pb_new();
	struct bt_func_decl fr = th_frame(1, 1, 0, 1), fl = th_frame(1, 0, 0, 0);
	struct bt_limits l = lim(0x7fffffff);
	struct th t = { 0 };
	uint32_t f, g, leaf, top, t1 = 0, j;

	pb_limits(pb, &l);
	f = pb_func_declare(pb, "probe_0");
	g = pb_func_declare(pb, "probe_1");
	leaf = pb_func_declare(pb, "leaf");
	pb_func_begin(pb, f);
	if (in_try)
		t1 = pb_emit(pb, BT_OP_TRY, 0, 0, 0, 0);
	top = pb_emit(pb, BT_OP_NOP, 0, 0, 0, 0);
	pb_emit(pb, BT_OP_LOOP, 0, top, 1, 0);
	if (in_try) {
		pb_insn(pb, t1)->a = pb_emit(pb, BT_OP_CATCHMSG, 0, 0, 0, 0);
		pb_emit(pb, BT_OP_RET, 0, 0, 0, 0);
	}
	pb_func_end(pb, &fr);
	th_probe(pb, f, "begin");
	pb_func_begin(pb, g);
	top = pb_emit(pb, BT_OP_CALL, 0, leaf, 0, 0);
	j = pb_emit(pb, BT_OP_LOOP, 0, top, 1, 0);
	(void)j;
	pb_func_end(pb, &fl);
	th_probe(pb, g, "begin");
	pb_func_begin(pb, leaf);
	pb_emit(pb, BT_OP_NOP, 0, 0, 0, 0);
	pb_emit(pb, BT_OP_NOP, 0, 0, 0, 0);
	pb_emit(pb, BT_OP_RET, 0, 0, 0, 0);
	pb_func_end(pb, &fl);
	if (th_build(&t, pb) || th_start(&t, 1)) {
		CHECK(0, "endless loop programs build");
		printf("# %s\n", t.diag.msg);
		th_free(&t);
		return;
	}

	th_reset();
	th_overtime_after = 3;
	CHECK_INT(th_run(&t, 0, 0), BT_RUN_ERROR,
		  in_try ? "an endless loop in a try block ends: the time guard is not caught"
			 : "an endless loop ends at the host's time guard");
	CHECK(strstr(t.out, "test host: time limit") != NULL,
	      "the error is the host's message");
	CHECK(strstr(t.out, "caught") == NULL && strstr(t.out, "MAXACTION") == NULL,
	      "not MAXACTION, not caught");
	CHECK_INT(th_overtime_checks, 3, "the guard was asked 3 times, once per quantum");

	th_reset();
	th_overtime_after = 2;
	CHECK_INT(th_run(&t, 0, 1), BT_RUN_ERROR, "a loop of calls ends at the time guard");
	CHECK_INT(th_overtime_checks, 2, "calls are charged their callee's length");

	/* a guard that never says "too long": the loop runs out of MAXACTION */
	th_reset();
	th_overtime_after = 0;
	th_free(&t);
	th_reset();
}

/* A short hit never asks the guard: the first quantum is free. */
static void short_hits_free(void)
{
	struct progbuild *pb = pb_new();
	struct bt_func_decl fr = th_frame(1, 0, 0, 0);
	struct bt_limits l = lim(100000);
	struct th t = { 0 };
	uint32_t f, top;

	pb_limits(pb, &l);
	f = pb_func_declare(pb, "probe_0");
	pb_func_begin(pb, f);
	top = pb_emit(pb, BT_OP_NOP, 0, 0, 0, 0);
	pb_emit(pb, BT_OP_LOOP, 0, top, 1, 0);
	pb_func_end(pb, &fr);
	th_probe(pb, f, "begin");
	if (th_build(&t, pb) || th_start(&t, 1)) {
		CHECK(0, "short loop builds");
		th_free(&t);
		return;
	}
	th_reset();
	th_overtime_after = 1;
	CHECK_INT(th_run(&t, 0, 0), BT_RUN_ERROR, "MAXACTION 100000 of 2-instruction loops: the first quantum runs out");
	CHECK(strstr(t.out, "test host: time limit") != NULL,
	      "200000 units of work reach the guard before MAXACTION");
	th_reset();
	th_overtime_after = 0;
	CHECK_INT(th_run(&t, 0, 0), BT_RUN_ERROR, "a patient guard lets MAXACTION end it");
	CHECK(strstr(t.out, "MAXACTION") != NULL, "... with MAXACTION's message");
	CHECK_INT(th_overtime_checks, 3, "asked after each of the 3 full quanta");
	th_free(&t);
	th_reset();
}

/* --- sorting stopped between passes ------------------------------------- */

static int passes_left;

static int stop_after(void *arg, uint32_t steps)
{
	uint32_t *total = arg;

	*total += steps;
	return --passes_left <= 0;
}

/* Every entry once forward, the back links agree, count matches. */
static int list_whole(struct bt_map *m)
{
	uint32_t i, prev = 0, n = 0;

	for (i = bt_map_first(m); i; i = bt_map_next(m, i)) {
		if (bt_map_ent(m, i)->prev != prev || ++n > m->count)
			return 0;
		prev = i;
	}
	return n == m->count && m->tail == prev;
}

static void sort_stops_whole(void)
{
	struct bt_map_decl d = { 0 };
	struct bt_map m;
	uint32_t cap = 5000, i, steps = 0;
	int64_t k, last;
	void *mem;
	int sorted = 1;

	d.capacity = cap;
	d.nkeys = 1;
	d.key_kinds[0] = BT_KIND_INT;
	d.val_kind = BT_KIND_INT;
	mem = calloc(1, bt_map_mem_size(&d, cap, 16, 0));
	bt_map_init(&m, &d, cap, 16, NULL, mem);
	for (i = 0; i < cap; i++) {
		k = (int64_t)((i * 2654435761u) % 100003);
		*(int64_t *)bt_ment_val(&m, bt_map_insert(&m, &k, NULL, NULL)) = k;
	}
	passes_left = 3;
	CHECK_INT(bt_map_sort(&m, 0, 0, 0, stop_after, &steps), -1,
		  "a sort told to stop after 3 passes stops");
	CHECK_INT(steps, 3 * m.count, "each pass reports the entries it moved");
	CHECK(list_whole(&m), "the stopped sort leaves the order list whole");
	passes_left = 1000;
	CHECK_INT(bt_map_sort(&m, 0, 0, 0, stop_after, &steps), 0,
		  "the sort runs to the end when not stopped");
	last = -1;
	for (i = bt_map_first(&m); i; i = bt_map_next(&m, i)) {
		k = *(int64_t *)bt_ment_val(&m, bt_map_ent(&m, i));
		if (k < last)
			sorted = 0;
		last = k;
	}
	CHECK(sorted && list_whole(&m), "a later sort of the same map finishes the job");
	free(mem);
}

/* --- regex cost ----------------------------------------------------------- */

static int ticks, stop_at_tick;

static int tick(void *arg, uint32_t steps)
{
	return ++ticks == stop_at_tick;
}

static void regex_cost_capped(void)
{
	static uint8_t out[1 << 20];
	struct bt_regex_error err;
	char pat[4096];
	size_t size, n = 0;
	int i, rc;

	/* 60 groups of a 20-character class run: 60 x 20 x 61 is over 65536 */
	for (i = 0; i < 60; i++)
		n += (size_t)snprintf(pat + n, sizeof(pat) - n, "(a{20})");
	rc = bt_regex_compile(pat, n, out, sizeof(out), &size, &err);
	CHECK_INT(rc, BT_RE_ETOOBIG, "a pattern over BT_RE_MAX_COST is refused");
	CHECK(strstr(err.msg, "too complex") != NULL, "... saying it is too complex");

	rc = bt_regex_compile("(a{2000})", 9, out, sizeof(out), &size, &err);
	CHECK_INT(rc, 0, "a pattern under the cost compiles");
	CHECK(bt_regex_cost(out) <= BT_RE_MAX_COST && bt_regex_cost(out) >= 4000,
	      "its cost is instructions x (1 + groups)");
	CHECK_INT(bt_regex_validate(out, size), 0, "and validates");
	{
		static char subject[4001], scratch[1 << 20];
		int32_t caps[4], caps2[4];

		memset(subject, 'a', 4000);
		ticks = 0;
		stop_at_tick = 2;
		CHECK_INT(bt_regex_match_timed(out, subject, 4000, caps, 4, scratch,
					       sizeof(scratch), tick, NULL), BT_RE_ETIME,
			  "a long match stops when its tick says so");
		CHECK_INT(ticks, 2, "... at that tick");
		ticks = 0;
		stop_at_tick = 0;
		rc = bt_regex_match_timed(out, subject, 4000, caps, 4, scratch,
					  sizeof(scratch), tick, NULL);
		CHECK(rc == bt_regex_match(out, subject, 4000, caps2, 4, scratch,
					   sizeof(scratch)) && ticks > 2 &&
		      caps[0] == caps2[0] && caps[1] == caps2[1],
		      "a patient tick changes nothing about the match");
	}
	/* claim 64 groups in the header: the kernel's check refuses it */
	out[6] = 64;
	out[7] = 0;
	CHECK(bt_regex_validate(out, size) != 0,
	      "validation refuses a program whose instructions x groups is over the cost");
}

int main(void)
{
	endless_loops(0);
	endless_loops(1);
	short_hits_free();
	sort_stops_whole();
	regex_cost_capped();
	return check_done();
}
