// SPDX-License-Identifier: GPL-2.0
/*
 * session.c - a session's life: LOAD (the program checked and the
 * session laid out), START (begin probes, then everything armed), STOP
 * (everything disarmed, then end or error probes), STATUS, and teardown.
 * All of it runs in process context under the session's mutex; handlers
 * only ever see a fully built session.  Attaching is attach.c,
 * tracepoint.c and timer.c; MAP_READ is mapread.c.
 */
#include <linux/cpumask.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "bytetap.h"
#include "bt_verify.h"

/* Copy a message to the caller's log buffer (if any); always returns rc. */
int btk_log_out(u64 ubuf, u32 size, const char *msg, int rc)
{
	size_t n;

	if (!ubuf || !size || !msg[0])
		return rc;
	n = min_t(size_t, strlen(msg), size - 1);
	if (copy_to_user(u64_to_user_ptr(ubuf), msg, n) ||
	    put_user('\0', (char __user *)u64_to_user_ptr(ubuf) + n))
		return -EFAULT;
	return rc;
}

static void wake_timer_fn(struct timer_list *t)
{
	struct btk_sess *s = from_timer(s, t, wake_timer);

	if (btk_rings_nonempty(s))
		wake_up_interruptible_poll(&s->wq, EPOLLIN | EPOLLRDNORM);
	if (READ_ONCE(s->wake_timer_on))
		mod_timer(&s->wake_timer, jiffies + max(1UL, msecs_to_jiffies(10)));
}

struct btk_sess *btk_sess_new(void)
{
	struct btk_sess *s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);

	if (!s)
		return NULL;
	mutex_init(&s->lock);
	mutex_init(&s->read_lock);
	init_waitqueue_head(&s->wq);
	init_waitqueue_head(&s->space_wq);
	timer_setup(&s->wake_timer, wake_timer_fn, 0);
	btk_init_exit_work(s);
	s->state = BT_STATE_OPEN;
	return s;
}

/* ------------------------------------------------------------------ */
/* Disarming and freeing                                              */
/* ------------------------------------------------------------------ */

/*
 * Stop every handler for good: after this returns no handler of the
 * session runs or will run.  Idempotent.
 */
static void disarm(struct btk_sess *s)
{
	WRITE_ONCE(s->run, BTK_STOPPING);
	btk_cancel_timers(s);
	btk_unregister_kprobes(s);
	/*
	 * kprobe and hrtimer handlers run with preemption off: an RCU grace
	 * period waits for them.  Tracepoint probes may also run under SRCU
	 * (rcuidle and faultable tracepoints), which only
	 * tracepoint_synchronize_unregister() waits for; it includes the
	 * synchronize_rcu().
	 */
	if (btk_unregister_tps(s))
		tracepoint_synchronize_unregister();
	else
		synchronize_rcu();
}

/* ------------------------------------------------------------------ */
/* Memory ceilings                                                    */
/* ------------------------------------------------------------------ */

/*
 * Count bytes against the session's ceiling and the module's: 0, or
 * -ENOMEM with msg (BTK_LOGSZ) naming the ceiling.  Reserved before the
 * allocation, so that no blob makes the module allocate past either.
 */
int btk_mem_reserve(struct btk_sess *s, u64 bytes, char *msg, size_t msgsz)
{
	u64 cap = READ_ONCE(btk_max_session_mem);
	u64 all = READ_ONCE(btk_max_total_mem);
	u64 now;

	if (bytes > cap || s->mem + bytes > cap) {
		snprintf(msg, msgsz,
			 "the session needs %llu bytes, over the limit of %llu (module parameter max_session_mem)",
			 s->mem + bytes, cap);
		return -ENOMEM;
	}
	now = atomic64_add_return(bytes, &btk_mem_in_use);
	if (now > all) {
		atomic64_sub(bytes, &btk_mem_in_use);
		snprintf(msg, msgsz,
			 "the session needs %llu bytes, and with the other sessions' %llu that is over the limit of %llu (module parameter max_total_mem)",
			 s->mem + bytes, now - bytes - s->mem, all);
		return -ENOMEM;
	}
	s->mem += bytes;
	return 0;
}

void btk_mem_unreserve(struct btk_sess *s, u64 bytes)
{
	bytes = min(bytes, s->mem);
	s->mem -= bytes;
	atomic64_sub(bytes, &btk_mem_in_use);
}

static void free_program(struct btk_sess *s)
{
	u32 i;

	if (s->atts) {
		for (i = 0; i < s->natts; i++)
			btk_free_attach(s, s->atts[i]);
		kvfree(s->atts);
		s->atts = NULL;
	}
	s->natts = 0;
	kvfree(s->tps);
	s->tps = NULL;
	s->ntps = 0;
	kvfree(s->timers);
	s->timers = NULL;
	s->ntimers = 0;
	if (s->cpus) {
		for (i = 0; i < s->nslots; i++) {
			if (!s->cpus[i])
				continue;
			btk_ring_free(&s->cpus[i]->ring);
			kvfree(s->cpus[i]);
		}
		kfree(s->cpus);
		s->cpus = NULL;
	}
	kvfree(s->glocks);
	kvfree(s->mlocks);
	s->glocks = s->mlocks = NULL;
	kvfree(s->vm);
	s->vm = NULL;
	kvfree(s->bounce);
	s->bounce = NULL;
	kvfree(s->blob);
	s->blob = NULL;
	btk_mem_unreserve(s, s->mem);
}

void btk_sess_free(struct btk_sess *s)
{
	if (s->state != BT_STATE_OPEN) {
		disarm(s);
		WRITE_ONCE(s->wake_timer_on, false);
		del_timer_sync(&s->wake_timer);
		irq_work_sync(&s->exit_work);
		free_program(s);
	}
	kfree(s);
}

/* ------------------------------------------------------------------ */
/* LOAD                                                               */
/* ------------------------------------------------------------------ */

static int check_probes(struct btk_sess *s, char *msg)
{
	const struct bt_prog *p = &s->prog;
	u32 i;

	for (i = 0; i < p->nprobes; i++) {
		const struct bt_probe_decl *pd = &p->probes[i];
		const char *pp = bt_prog_str(p, pd->point);

		switch (pd->kind) {
		case BT_PROBE_BEGIN:
		case BT_PROBE_END:
		case BT_PROBE_ERROR:
		case BT_PROBE_NEVER:
		case BT_PROBE_PROFILE:
			break;
		case BT_PROBE_TIMER:
			if (pd->period_ns < BTK_MIN_TIMER_NS ||
			    pd->period_ns > 1000ull * NSEC_PER_SEC * 3600) {
				snprintf(msg, BTK_LOGSZ,
					 "probe %u (%s): timer period %llu ns outside %u ns .. 1000 hours",
					 i, pp, pd->period_ns, BTK_MIN_TIMER_NS);
				return -EINVAL;
			}
			if (pd->randomize_ns > pd->period_ns) {
				snprintf(msg, BTK_LOGSZ, "probe %u (%s): randomize larger than the period",
					 i, pp);
				return -EINVAL;
			}
			break;
		case BT_PROBE_KPROBE:
		case BT_PROBE_KRETPROBE:
			if (strlen(bt_prog_str(p, pd->symbol)) >= BT_IOC_SYM_LEN ||
			    !bt_prog_str(p, pd->symbol)[0]) {
				snprintf(msg, BTK_LOGSZ, "probe %u (%s): bad symbol", i, pp);
				return -EINVAL;
			}
			if (pd->kind == BT_PROBE_KRETPROBE && pd->offset) {
				snprintf(msg, BTK_LOGSZ, "probe %u (%s): a return probe has no offset",
					 i, pp);
				return -EINVAL;
			}
			break;
		case BT_PROBE_TRACEPOINT:
			if (IS_ENABLED(CONFIG_CFI_CLANG)) {
				/* btk_tp_probe() fits no tracepoint's prototype exactly */
				snprintf(msg, BTK_LOGSZ,
					 "probe %u (%s): tracepoint probes are not supported on a kernel with kCFI (CONFIG_CFI_CLANG)",
					 i, pp);
				return -EINVAL;
			}
			if (strlen(bt_prog_str(p, pd->symbol)) >= BT_IOC_SYM_LEN ||
			    !bt_prog_str(p, pd->symbol)[0]) {
				snprintf(msg, BTK_LOGSZ, "probe %u (%s): bad tracepoint name", i, pp);
				return -EINVAL;
			}
			break;
		default:
			snprintf(msg, BTK_LOGSZ, "probe %u (%s): probe kind %u not supported by the module",
				 i, pp, pd->kind);
			return -EINVAL;
		}
	}
	return 0;
}

int btk_ioc_load(struct btk_sess *s, struct bt_ioc_load *a)
{
	struct bt_diag diag = { .pc = -1, .func = -1 };
	char *msg;
	size_t ctx_size, cpu_size, locks;
	u64 total;
	u32 ring, ntimers = 0, ntps = 0, i;
	int cpu, rc;

	if (a->flags)
		return -EINVAL;
	if (s->state != BT_STATE_OPEN)
		return -EBUSY;
	msg = kzalloc(BTK_LOGSZ, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rc = -EINVAL;
	if (!a->blob_len || a->blob_len > btk_max_blob) {
		snprintf(msg, BTK_LOGSZ, "program size %u outside 1 .. %u bytes",
			 a->blob_len, btk_max_blob);
		goto fail;
	}
	ring = a->ring_size ? a->ring_size : btk_ring_size_default;
	if (ring > btk_ring_size_max) {
		snprintf(msg, BTK_LOGSZ, "ring size %u over the limit of %u", ring,
			 btk_ring_size_max);
		goto fail;
	}
	ring = roundup_pow_of_two(max(ring, 4096u));

	/* the program is copied in once; only this copy is ever looked at */
	rc = btk_mem_reserve(s, a->blob_len, msg, BTK_LOGSZ);
	if (rc)
		goto fail;
	rc = -ENOMEM;
	s->blob = kvmalloc(a->blob_len, BTK_GFP);
	if (!s->blob)
		goto fail;
	rc = -EFAULT;
	if (copy_from_user(s->blob, u64_to_user_ptr(a->blob), a->blob_len))
		goto fail;
	rc = -EINVAL;
	if (bt_load(&s->prog, s->blob, a->blob_len, &diag) != 0 ||
	    bt_verify(&s->prog, &diag) != 0) {
		snprintf(msg, BTK_LOGSZ, "%s", diag.msg);
		goto fail;
	}
	rc = check_probes(s, msg);
	if (rc)
		goto fail;
	/* the program may lower the module's ceilings, never raise them */
	if (s->prog.limits.maxaction > READ_ONCE(btk_max_action)) {
		rc = -EINVAL;
		snprintf(msg, BTK_LOGSZ,
			 "the action budget of %u (MAXACTION, x 10 when interruptible) is over the module's ceiling of %u (module parameter max_action)",
			 s->prog.limits.maxaction, READ_ONCE(btk_max_action));
		goto fail;
	}

	/* sizes, against the session cap */
	s->ncpus = nr_cpu_ids;
	s->nslots = s->ncpus + 1;
	s->vm_size = bt_session_size(&s->prog, s->nslots);
	ctx_size = bt_ctx_size(&s->prog);
	cpu_size = ALIGN(sizeof(struct btk_cpu), 64) + ctx_size;
	locks = sizeof(atomic_t) * ((size_t)s->prog.nglobals + s->prog.nmaps + 2);
	for (i = 0; i < s->prog.nprobes; i++) {
		if (s->prog.probes[i].kind == BT_PROBE_TIMER)
			ntimers++;
		else if (s->prog.probes[i].kind == BT_PROBE_PROFILE)
			ntimers += s->ncpus;
		else if (s->prog.probes[i].kind == BT_PROBE_TRACEPOINT)
			ntps++;
	}
	if (ntps > btk_max_attach) {
		rc = -E2BIG;
		snprintf(msg, BTK_LOGSZ, "%u tracepoint probes, more than %u (module parameter max_attach)",
			 ntps, btk_max_attach);
		goto fail;
	}
	total = s->vm_size + locks + BTK_BOUNCE_SIZE +
		(u64)(num_possible_cpus() + 1) * (cpu_size + ring) +
		(u64)ntimers * sizeof(struct btk_timer) +
		(u64)ntps * sizeof(struct btk_tp) +
		(u64)btk_max_attach * sizeof(void *);
	rc = -ENOMEM;
	if (!s->vm_size) {
		snprintf(msg, BTK_LOGSZ, "the program's maps and globals need more memory than can be counted");
		goto fail;
	}
	rc = btk_mem_reserve(s, total, msg, BTK_LOGSZ);
	if (rc)
		goto fail;
	rc = -ENOMEM;
	s->vm = kvzalloc(s->vm_size, BTK_GFP);
	s->cpus = kcalloc(s->nslots, sizeof(*s->cpus), BTK_GFP);
	s->glocks = kvcalloc(s->prog.nglobals + 1, sizeof(atomic_t), BTK_GFP);
	s->mlocks = kvcalloc(s->prog.nmaps + 1, sizeof(atomic_t), BTK_GFP);
	s->atts = kvcalloc(btk_max_attach, sizeof(*s->atts), BTK_GFP);
	s->timers = kvcalloc(ntimers + 1, sizeof(*s->timers), BTK_GFP);
	s->tps = kvcalloc(ntps + 1, sizeof(*s->tps), BTK_GFP);
	s->bounce = kvmalloc(BTK_BOUNCE_SIZE, BTK_GFP);
	if (!s->vm || !s->cpus || !s->glocks || !s->mlocks || !s->atts ||
	    !s->timers || !s->tps || !s->bounce)
		goto fail;
	s->ntps = ntps;
	rc = -EINVAL;
	if (bt_session_init(s->vm, s->vm_size, &s->prog, s->nslots) != 0) {
		snprintf(msg, BTK_LOGSZ, "cannot lay out the session");
		goto fail;
	}
	for (cpu = 0; cpu < s->nslots; cpu++) {
		bool process = cpu == s->ncpus;
		int node = process ? NUMA_NO_NODE : cpu_to_node(cpu);
		struct btk_cpu *c;

		if (!process && !cpu_possible(cpu))
			continue;
		rc = -ENOMEM;
		c = kvzalloc_node(cpu_size, BTK_GFP, node);
		if (!c)
			goto fail;
		s->cpus[cpu] = c;
		c->sess = s;
		c->cpu = cpu;
		c->process = process;
		c->ctx = (struct bt_ctx *)((u8 *)c + ALIGN(sizeof(*c), 64));
		if (btk_ring_init(&c->ring, ring, node))
			goto fail;
		rc = -EINVAL;
		if (bt_ctx_init(c->ctx, ctx_size, s->vm, cpu, c) != 0) {
			snprintf(msg, BTK_LOGSZ, "cannot lay out the VM context");
			goto fail;
		}
		bt_ctx_seed(c->ctx, get_random_u64());
	}
	btk_init_timers(s);
	s->ring_size = ring;
	s->target = a->target_pid;
	s->no_overload = !!(s->prog.limits.flags & BT_LIMIT_NO_OVERLOAD);
	/* last: from here on probe functions may look at the session */
	rc = btk_register_tps(s, msg);
	if (rc)
		goto fail;
	a->mem_used = s->mem;
	s->state = BT_STATE_LOADED;
	kfree(msg);
	return 0;

fail:
	free_program(s);
	memset(&s->prog, 0, sizeof(s->prog));
	rc = btk_log_out(a->log_buf, a->log_size, msg, rc);
	kfree(msg);
	return rc;
}

/* START / STOP                                                       */
/* ------------------------------------------------------------------ */

/*
 * Run every probe of one kind in the core's order (bt_policy.h), in
 * process context.
 */
static void run_kind(struct btk_sess *s, u16 kind)
{
	const struct bt_prog *p = &s->prog;
	u32 *idx, n, i;

	idx = kvmalloc_array(p->nprobes + 1, sizeof(*idx), BTK_GFP);
	if (!idx)
		return;
	n = bt_probe_order(p, kind, idx);
	for (i = 0; i < n; i++) {
		if (!bt_phase_goes_on(kind, READ_ONCE(s->exit_requested),
				      READ_ONCE(s->error_state),
				      READ_ONCE(s->aborted)))
			break;
		btk_run_process(s, idx[i]);
		cond_resched();
	}
	kvfree(idx);
}

int btk_ioc_start(struct btk_sess *s, struct bt_ioc_start *arg)
{
	if (arg->flags)
		return -EINVAL;
	if (s->state != BT_STATE_LOADED)
		return -EBUSY;
	/* readers are woken while the begin probes print */
	WRITE_ONCE(s->wake_timer_on, true);
	mod_timer(&s->wake_timer, jiffies + 1);
	run_kind(s, BT_PROBE_BEGIN);
	if (!s->exit_requested && !s->error_state && !s->aborted) {
		WRITE_ONCE(s->run, BTK_RUN);
		btk_enable_kprobes(s);
		btk_start_timers(s);
	} else {
		/* exit() or an error in a begin probe */
		if (!s->exit_requested)
			btk_request_exit(s, false);
	}
	smp_store_release(&s->state, BT_STATE_RUNNING);
	wake_up_interruptible_all(&s->wq);
	return 0;
}

int btk_ioc_stop(struct btk_sess *s, u32 flags)
{
	int was = s->state;

	if (flags & ~BT_IOC_STOP_NO_END)
		return -EINVAL;
	if (was == BT_STATE_OPEN)
		return -EBUSY;
	if (was == BT_STATE_STOPPED)
		return 0;
	disarm(s);
	if (was == BT_STATE_RUNNING && !(flags & BT_IOC_STOP_NO_END))
		run_kind(s, bt_final_kind(READ_ONCE(s->error_state)));
	WRITE_ONCE(s->wake_timer_on, false);
	del_timer_sync(&s->wake_timer);
	smp_store_release(&s->state, BT_STATE_STOPPED);
	wake_up_interruptible_all(&s->wq);
	return 0;
}

/* ------------------------------------------------------------------ */
/* STATUS                                                             */
/* ------------------------------------------------------------------ */

void btk_ioc_status(struct btk_sess *s, struct bt_ioc_status *st)
{
	u32 i;

	st->state = READ_ONCE(s->state);
	st->exit_requested = READ_ONCE(s->exit_requested);
	st->error_state = READ_ONCE(s->error_state);
	st->overload = READ_ONCE(s->overload);
	st->aborted = READ_ONCE(s->aborted);
	if (st->state == BT_STATE_OPEN)
		return;
	st->errors = READ_ONCE(s->vm->error_count);
	st->skipped = READ_ONCE(s->vm->skipped_count);
	st->skipped_reentrancy = READ_ONCE(s->vm->reentrant_count);
	st->records_dropped = READ_ONCE(s->vm->drop_count);
	st->kprobe_missed = btk_kprobe_missed(s);
	for (i = 0; i < s->nslots; i++) {
		struct btk_cpu *c = s->cpus[i];

		if (!c)
			continue;
		st->hits += READ_ONCE(c->hits);
		st->skipped_lock += READ_ONCE(c->skipped_lock);
		st->probe_cycles += READ_ONCE(c->cycles);
	}
}
