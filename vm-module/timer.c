// SPDX-License-Identifier: GPL-2.0
/*
 * timer.c - timer.* and timer.profile probes: the hrtimers LOAD sets up,
 * START arms (timer.profile: one pinned to each CPU) and teardown
 * cancels.  Their handler is btk_hrtimer_fn() (probes.c).
 */
#include <linux/hrtimer.h>
#include <linux/cpu.h>
#include <linux/random.h>
#include <linux/smp.h>

#include "bytetap.h"

/* LOAD: one hrtimer per timer.* probe, and one per CPU per timer.profile. */
void btk_init_timers(struct btk_sess *s)
{
	const struct bt_prog *p = &s->prog;
	u32 i, cpu, n = 0;

	for (i = 0; i < p->nprobes; i++) {
		const struct bt_probe_decl *pd = &p->probes[i];

		if (pd->kind == BT_PROBE_TIMER) {
			struct btk_timer *t = &s->timers[n++];

			hrtimer_init(&t->hr, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
			t->hr.function = btk_hrtimer_fn;
			t->sess = s;
			t->probe = i;
			t->period = pd->period_ns;
			t->jitter = pd->randomize_ns;
			prandom_seed_state(&t->rnd, get_random_u64());
		} else if (pd->kind == BT_PROBE_PROFILE) {
			for (cpu = 0; cpu < s->ncpus; cpu++) {
				struct btk_timer *t = &s->timers[n++];

				hrtimer_init(&t->hr, CLOCK_MONOTONIC,
					     HRTIMER_MODE_REL_PINNED_HARD);
				t->hr.function = btk_hrtimer_fn;
				t->sess = s;
				t->probe = i;
				t->profile = true;
				t->cpu = cpu;
				t->period = TICK_NSEC;
			}
		}
	}
	s->ntimers = n;
}

static void start_profile_cpu(void *info)
{
	struct btk_sess *s = info;
	u32 i, cpu = smp_processor_id();

	for (i = 0; i < s->ntimers; i++) {
		struct btk_timer *t = &s->timers[i];

		if (!t->profile || t->cpu != cpu)
			continue;
		hrtimer_start(&t->hr, ns_to_ktime(t->period), HRTIMER_MODE_REL_PINNED_HARD);
	}
}

/* START: arm every timer; the profile timers on their own CPUs. */
void btk_start_timers(struct btk_sess *s)
{
	u32 i;

	for (i = 0; i < s->ntimers; i++) {
		struct btk_timer *t = &s->timers[i];

		if (t->profile)
			continue;
		hrtimer_start(&t->hr, ns_to_ktime(t->period), HRTIMER_MODE_REL_HARD);
		t->armed = true;
	}
	cpus_read_lock();
	on_each_cpu(start_profile_cpu, s, 1);
	/* the others cannot run a handler before they come online */
	for (i = 0; i < s->ntimers; i++)
		if (s->timers[i].profile)
			s->timers[i].armed = true;
	cpus_read_unlock();
}

/* Teardown: after this no timer handler of the session runs. */
void btk_cancel_timers(struct btk_sess *s)
{
	u32 i;

	for (i = 0; i < s->ntimers; i++)
		if (s->timers[i].armed) {
			hrtimer_cancel(&s->timers[i].hr);
			s->timers[i].armed = false;
		}
}
