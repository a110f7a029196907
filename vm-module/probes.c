// SPDX-License-Identifier: GPL-2.0
/*
 * probes.c - running handlers: the probe-context protocol.
 *
 * A kprobe, kretprobe, tracepoint or hrtimer fires btk_fire():
 *
 *  1. the session must be running (exit(), an error or STOP turn that
 *     off, and every later hit returns at once, as SystemTap's
 *     session_state check does);
 *  2. preemption off; this CPU's struct btk_cpu: if its busy flag is set,
 *     a handler is already running here (we interrupted it), so this one
 *     is skipped and counted as reentrancy, as SystemTap does;
 *  3. the locks the program's LOCKS table lists for the probe, all or
 *     nothing, each only by trylock, at most BTK_MAXTRYLOCK rounds; a
 *     miss skips the probe and counts it (MAXSKIPPED ends the session);
 *  4. bt_run_probe() on this CPU's VM context (bounded by MAXACTION);
 *  5. errors are counted (MAXERRORS ends the session) and the time spent
 *     feeds the overload guard (STP_OVERLOAD: more than 500M of 1G cycles
 *     on a CPU ends the session) unless STP_NO_OVERLOAD.
 *
 * Locks are one atomic_t per global and per map: 0 free, > 0 readers,
 * -1 a writer.  They are only ever tried, never waited for, so they are
 * safe in any context (hardirq, PREEMPT_RT, NMI) and cannot deadlock.
 */
#include <linux/delay.h>
#include <linux/kprobes.h>
#include <linux/preempt.h>
#include <linux/sched/clock.h>
#include <linux/timex.h>
#include <linux/poll.h>
#include <asm/irq_regs.h>

#include "bytetap.h"
#include "bt_record.h"

static inline u64 btk_cycles(void)
{
#ifdef CONFIG_X86
	return get_cycles();
#else
	return local_clock();
#endif
}

__always_inline bool btk_trylock(atomic_t *l, bool write)
{
	int v, n;

	if (write)
		return atomic_cmpxchg_acquire(l, 0, -1) == 0;
	v = atomic_read(l);
	for (n = 0; n < 64; n++) {
		if (v < 0)
			return false;
		if (atomic_try_cmpxchg_acquire(l, &v, v + 1))
			return true;
	}
	return false;
}

__always_inline void btk_unlock(atomic_t *l, bool write)
{
	if (write)
		atomic_set_release(l, 0);
	else
		atomic_dec_return_release(l);
}

static inline atomic_t *lock_of(struct btk_sess *s, const struct bt_lock_ref *l)
{
	return l->space == BT_LOCK_MAP ? &s->mlocks[l->index] : &s->glocks[l->index];
}

static inline bool lock_ref(struct btk_sess *s, const struct bt_lock_ref *l)
{
	return btk_trylock(lock_of(s, l), l->write);
}

static inline void unlock_ref(struct btk_sess *s, const struct bt_lock_ref *l)
{
	btk_unlock(lock_of(s, l), l->write);
}

/* Take every lock probe needs, or none; tries rounds at most. */
static noinline bool lock_probe_slow(struct btk_sess *s, const struct bt_lock_ref *l,
				     u32 n, int tries)
{
	u32 i;

	while (tries-- > 0) {
		for (i = 0; i < n; i++)
			if (!lock_ref(s, &l[i]))
				break;
		if (i == n)
			return true;
		while (i--)
			unlock_ref(s, &l[i]);
		if (tries)
			ndelay(BTK_TRYLOCKDELAY_NS);
	}
	return false;
}

/* The common case, one lock free at the first try, inline. */
static __always_inline bool lock_probe(struct btk_sess *s, const struct bt_probe_decl *pd)
{
	const struct bt_lock_ref *l = s->prog.locks + pd->lock_off;

	if (likely(pd->nlocks == 1) && likely(lock_ref(s, l)))
		return true;
	return lock_probe_slow(s, l, pd->nlocks, BTK_MAXTRYLOCK);
}

static __always_inline void unlock_probe(struct btk_sess *s, const struct bt_probe_decl *pd)
{
	const struct bt_lock_ref *l = s->prog.locks + pd->lock_off;
	u32 i = pd->nlocks;

	while (i--)
		unlock_ref(s, &l[i]);
}

static void btk_exit_work(struct irq_work *w);

/*
 * End the session: handlers stop at once, the front end is told (POLLPRI)
 * and calls STOP, which runs the end (or error) probes.  Any context.
 */
void btk_request_exit(struct btk_sess *s, bool error)
{
	if (error)
		WRITE_ONCE(s->error_state, 1);
	WRITE_ONCE(s->run, BTK_STOPPING);
	if (!xchg(&s->exit_requested, 1))
		irq_work_queue(&s->exit_work);
}

/* What a handler's end means for the session. */
static void after_run(struct btk_sess *s, int rc)
{
	switch (bt_run_outcome(s->vm, rc)) {
	case BT_OUTCOME_ERROR:
		btk_request_exit(s, true);
		break;
	case BT_OUTCOME_ABORT:
		WRITE_ONCE(s->aborted, 1);
		btk_request_exit(s, false);
		break;
	case BT_OUTCOME_GO_ON:
		break;
	}
}

static noinline void overloaded(struct btk_sess *s, struct btk_cpu *c)
{
	char msg[160];

	snprintf(msg, sizeof(msg),
		 "probe overhead (%lld cycles) exceeded threshold (%lld cycles) in last %lld cycles",
		 (long long)c->ov_sum, BTK_OVERLOAD_THRESHOLD, BTK_OVERLOAD_INTERVAL);
	btk_emit_error(c, msg);
	WRITE_ONCE(s->overload, 1);
	bt_session_note_error(s->vm);
	btk_request_exit(s, true);
}

static noinline void lock_skipped(struct btk_sess *s, struct btk_cpu *c)
{
	c->skipped_lock++;
	if (bt_session_note_skip(s->vm)) {
		btk_emit_error(c, bt_msg_skipped_too_many);
		btk_request_exit(s, true);
	}
}

void btk_fire(struct btk_sess *s, u32 probe, const struct btk_attach *a,
	      struct pt_regs *regs, const u64 *tp_args)
{
	const struct bt_probe_decl *pd;
	struct btk_cpu *c;
	u64 t0 = 0;
	int rc;

	if (READ_ONCE(s->run) != BTK_RUN)
		return;
	preempt_disable_notrace();
	c = s->cpus[raw_smp_processor_id()];
	if (unlikely(c->busy)) {
		bt_session_note_reentrancy(s->vm);
		goto out;
	}
	c->busy = 1;
	barrier();
	if (!s->no_overload)
		t0 = btk_cycles();
	pd = &s->prog.probes[probe];
	if (pd->nlocks && unlikely(!lock_probe(s, pd))) {
		lock_skipped(s, c);
		goto done;
	}
	c->regs = regs;
	c->att = a;
	c->tp_args = tp_args;
	c->ctx->pp = a ? a->pp : NULL;
	c->kind = pd->kind;
	rc = bt_run_probe(c->ctx, probe);
	if (pd->nlocks)
		unlock_probe(s, pd);
	c->hits++;
	if (unlikely(rc != BT_RUN_OK))
		after_run(s, rc);
	if (!s->no_overload) {
		u64 t1 = btk_cycles();

		c->cycles += t1 - t0;
		c->ov_sum += t1 - t0;
		if (t1 - c->ov_base > BTK_OVERLOAD_INTERVAL) {
			if (c->ov_sum > BTK_OVERLOAD_THRESHOLD)
				overloaded(s, c);
			c->ov_base = t1;
			c->ov_sum = 0;
		}
	}
done:
	barrier();
	c->busy = 0;
out:
	preempt_enable_notrace();
}

/*
 * begin, end and error probes: process context, from START and STOP,
 * while no other handler of this session can run (nothing is armed) and
 * under the session's mutex.  They have a slot of their own (context,
 * statistics partial, ring), so they need not pin a CPU, and they may wait
 * for ring space.  Returns the bt_run_probe() result.
 */
int btk_run_process(struct btk_sess *s, u32 probe)
{
	struct btk_cpu *c = s->cpus[s->ncpus];
	int rc;

	c->busy = 1;
	c->regs = NULL;
	c->att = NULL;
	c->tp_args = NULL;
	c->ctx->pp = NULL;
	c->kind = s->prog.probes[probe].kind;
	rc = bt_run_probe(c->ctx, probe);
	c->hits++;
	c->busy = 0;
	switch (bt_run_outcome(s->vm, rc)) {
	case BT_OUTCOME_ERROR:
		WRITE_ONCE(s->error_state, 1);
		break;
	case BT_OUTCOME_ABORT:
		WRITE_ONCE(s->aborted, 1);
		break;
	case BT_OUTCOME_GO_ON:
		break;
	}
	return rc;
}

int btk_kprobe_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct btk_attach *a = container_of(kp, struct btk_attach, kp);

	btk_fire(a->sess, a->probe, a, regs, NULL);
	return 0;
}
NOKPROBE_SYMBOL(btk_kprobe_pre);

int btk_kretprobe_handler(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct kretprobe *rp = get_kretprobe(ri);
	struct btk_attach *a;

	if (unlikely(!rp))
		return 0;
	a = container_of(rp, struct btk_attach, rp);
	btk_fire(a->sess, a->probe, a, regs, NULL);
	return 0;
}
NOKPROBE_SYMBOL(btk_kretprobe_handler);

enum hrtimer_restart btk_hrtimer_fn(struct hrtimer *hr)
{
	struct btk_timer *t = container_of(hr, struct btk_timer, hr);
	struct btk_sess *s = t->sess;
	u64 next;

	btk_fire(s, t->probe, NULL, get_irq_regs(), NULL);
	if (READ_ONCE(s->run) != BTK_RUN)
		return HRTIMER_NORESTART;
	next = bt_timer_next(t->period, t->jitter,
			     t->jitter ? prandom_u32_state(&t->rnd) : 0);
	hrtimer_forward_now(hr, ns_to_ktime(next));
	return HRTIMER_RESTART;
}

/*
 * The probe function of every kernel.trace() probe, whatever the
 * tracepoint's prototype.  A tracepoint calls its probes as
 * void (*)(void *data, proto): on x86_64 every tracepoint argument is a
 * scalar of at most 64 bits or a pointer, each passed in one register or
 * one stack slot, so declaring twelve u64 gets the real arguments first
 * and, past them, whatever the unused registers and the caller's stack
 * slots hold - read, never trusted, and harmless to read.  Arguments
 * narrower than 64 bits may come with garbage in the upper bits: the
 * 32-bit argument builtins truncate.  A kernel built with kCFI
 * (CONFIG_CFI_CLANG) would trap on the prototype mismatch, so LOAD
 * refuses tracepoint probes there; Debian's gcc-built kernels have none.
 *
 * The tracepoint calls this with preemption off (6.1) or inside an SRCU /
 * tasks-trace read section (faultable tracepoints of later kernels);
 * btk_fire() disables preemption itself either way, as for kprobes, and
 * STOP's tracepoint_synchronize_unregister() waits for both kinds.
 */
void btk_tp_probe(void *data, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5, u64 a6,
		  u64 a7, u64 a8, u64 a9, u64 a10, u64 a11, u64 a12)
{
	struct btk_tp *t = data;
	u64 args[BTK_TP_NARGS] = { a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12 };

	btk_fire(t->sess, t->probe, NULL, NULL, args);
}
NOKPROBE_SYMBOL(btk_tp_probe);

static void btk_exit_work(struct irq_work *w)
{
	struct btk_sess *s = container_of(w, struct btk_sess, exit_work);

	wake_up_interruptible_poll(&s->wq, EPOLLPRI);
}

void btk_init_exit_work(struct btk_sess *s)
{
	init_irq_work(&s->exit_work, btk_exit_work);
}
