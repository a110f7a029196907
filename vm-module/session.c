// SPDX-License-Identifier: GPL-2.0
/*
 * session.c - a session's life: LOAD, ATTACH, START, STOP, STATUS,
 * MAP_READ, and teardown.  All of it runs in process context under the
 * session's mutex; handlers only ever see a fully built session.
 */
#include <linux/cpumask.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/sched/signal.h>
#include <linux/vmalloc.h>
#include <linux/delay.h>
#include <linux/log2.h>
#include <linux/poll.h>
#include <linux/ctype.h>
#include <linux/cpu.h>
#include <linux/tracepoint.h>

#include "bt_glob.h"
#include "bytetap.h"
#include "bt_map.h"
#include "bt_record.h"
#include "bt_verify.h"

#define LOGSZ 256

/* Copy a message to the caller's log buffer (if any); always returns rc. */
static int log_out(u64 ubuf, u32 size, const char *msg, int rc)
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

static u64 attach_missed(const struct btk_attach *a)
{
	return a->ret ? a->rp.nmissed + a->rp.kp.nmissed : a->kp.nmissed;
}

/* Unregister every probe, in batches so RCU is synchronized once each. */
static void unregister_all(struct btk_sess *s)
{
	struct kprobe **kps;
	struct kretprobe **rps;
	u32 i, nk = 0, nr = 0;

	if (!s->natts)
		return;
	kps = kvmalloc_array(s->natts, sizeof(*kps), BTK_GFP);
	rps = kvmalloc_array(s->natts, sizeof(*rps), BTK_GFP);
	for (i = 0; i < s->natts; i++) {
		struct btk_attach *a = s->atts[i];

		if (!a->registered)
			continue;
		if (kps && rps) {
			if (a->ret)
				rps[nr++] = &a->rp;
			else
				kps[nk++] = &a->kp;
		} else if (a->ret) {
			unregister_kretprobe(&a->rp);
		} else {
			unregister_kprobe(&a->kp);
		}
	}
	if (nk)
		unregister_kprobes(kps, nk);
	if (nr)
		unregister_kretprobes(rps, nr);
	for (i = 0; i < s->natts; i++) {
		struct btk_attach *a = s->atts[i];

		if (a->registered)
			s->kprobe_missed += attach_missed(a);
		a->registered = false;
	}
	kvfree(kps);
	kvfree(rps);
}

/*
 * Take every tracepoint probe off its tracepoint; true if there was one.
 * A probe function may still be running (or about to run, on a CPU that
 * read the old probe array) until tracepoint_synchronize_unregister().
 */
static bool unregister_tps(struct btk_sess *s)
{
	bool any = false;
	u32 i;

	for (i = 0; i < s->ntps; i++) {
		struct btk_tp *t = &s->tps[i];

		if (!t->registered)
			continue;
		/* fails only if it was not registered, which cannot be */
		WARN_ON_ONCE(tracepoint_probe_unregister(t->tp, btk_tp_probe, t));
		t->registered = false;
		any = true;
	}
	return any;
}

/*
 * Stop every handler for good: after this returns no handler of the
 * session runs or will run.  Idempotent.
 */
static void disarm(struct btk_sess *s)
{
	u32 i;

	WRITE_ONCE(s->run, BTK_STOPPING);
	for (i = 0; i < s->ntimers; i++)
		if (s->timers[i].armed) {
			hrtimer_cancel(&s->timers[i].hr);
			s->timers[i].armed = false;
		}
	unregister_all(s);
	/*
	 * kprobe and hrtimer handlers run with preemption off: an RCU grace
	 * period waits for them.  Tracepoint probes may also run under SRCU
	 * (rcuidle and faultable tracepoints), which only
	 * tracepoint_synchronize_unregister() waits for; it includes the
	 * synchronize_rcu().
	 */
	if (unregister_tps(s))
		tracepoint_synchronize_unregister();
	else
		synchronize_rcu();
}

/* ------------------------------------------------------------------ */
/* Memory ceilings                                                    */
/* ------------------------------------------------------------------ */

/*
 * Count bytes against the session's ceiling and the module's: 0, or
 * -ENOMEM with msg (LOGSZ) naming the ceiling.  Reserved before the
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

static void mem_unreserve(struct btk_sess *s, u64 bytes)
{
	bytes = min(bytes, s->mem);
	s->mem -= bytes;
	atomic64_sub(bytes, &btk_mem_in_use);
}

/* What one attachment holds. */
static u64 attach_mem(const struct btk_attach *a)
{
	return sizeof(*a) + (a->pp ? strlen(a->pp) + 1 : 0);
}

static void free_attach(struct btk_sess *s, struct btk_attach *a)
{
	mem_unreserve(s, attach_mem(a));
	kfree(a->pp);
	kfree(a);
}

static void free_program(struct btk_sess *s)
{
	u32 i;

	if (s->atts) {
		for (i = 0; i < s->natts; i++)
			free_attach(s, s->atts[i]);
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
	mem_unreserve(s, s->mem);
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

/* for_each_kernel_tracepoint(): give each btk_tp its tracepoint by name. */
static void tp_match(struct tracepoint *tp, void *priv)
{
	struct btk_sess *s = priv;
	u32 i;

	for (i = 0; i < s->ntps; i++) {
		struct btk_tp *t = &s->tps[i];
		const struct bt_probe_decl *pd = &s->prog.probes[t->probe];

		if (!t->tp && !strcmp(tp->name, bt_prog_str(&s->prog, pd->symbol)))
			t->tp = tp;
	}
}

/*
 * Register a probe function on the tracepoint of every kernel.trace()
 * probe.  Tracepoints need no addresses from user space, so LOAD does
 * this itself (a front end that resolves no kprobe never calls ATTACH);
 * the probes do nothing until START sets the session running, as kprobes
 * are registered disabled until then.  Only the kernel image's
 * tracepoints are looked at (for_each_kernel_tracepoint()): those of
 * modules are not supported.  A tracepoint that is not there fails LOAD
 * unless the probe is optional.  On failure nothing stays registered.
 */
static int register_tps(struct btk_sess *s, char *msg)
{
	const struct bt_prog *p = &s->prog;
	u32 i, n = 0;
	int rc;

	if (!s->ntps)
		return 0;
	for (i = 0; i < p->nprobes; i++)
		if (p->probes[i].kind == BT_PROBE_TRACEPOINT) {
			s->tps[n].sess = s;
			s->tps[n].probe = i;
			n++;
		}
	for_each_kernel_tracepoint(tp_match, s);
	for (i = 0; i < s->ntps; i++) {
		struct btk_tp *t = &s->tps[i];
		const struct bt_probe_decl *pd = &p->probes[t->probe];
		bool optional = pd->flags & BT_PROBE_OPTIONAL;

		if (!t->tp) {
			if (optional)
				continue;
			snprintf(msg, LOGSZ,
				 "no tracepoint %s in the kernel (%s; tracepoints of modules are not supported)",
				 bt_prog_str(p, pd->symbol), bt_prog_str(p, pd->point));
			rc = -ENOENT;
			goto fail;
		}
		rc = tracepoint_probe_register(t->tp, btk_tp_probe, t);
		if (rc) {
			if (optional)
				continue;
			snprintf(msg, LOGSZ, "cannot register a probe on tracepoint %s (%s): error %d",
				 t->tp->name, bt_prog_str(p, pd->point), rc);
			goto fail;
		}
		t->registered = true;
	}
	return 0;
fail:
	if (unregister_tps(s))
		tracepoint_synchronize_unregister();
	return rc;
}

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
				snprintf(msg, LOGSZ,
					 "probe %u (%s): timer period %llu ns outside %u ns .. 1000 hours",
					 i, pp, pd->period_ns, BTK_MIN_TIMER_NS);
				return -EINVAL;
			}
			if (pd->randomize_ns > pd->period_ns) {
				snprintf(msg, LOGSZ, "probe %u (%s): randomize larger than the period",
					 i, pp);
				return -EINVAL;
			}
			break;
		case BT_PROBE_KPROBE:
		case BT_PROBE_KRETPROBE:
			if (strlen(bt_prog_str(p, pd->symbol)) >= BT_IOC_SYM_LEN ||
			    !bt_prog_str(p, pd->symbol)[0]) {
				snprintf(msg, LOGSZ, "probe %u (%s): bad symbol", i, pp);
				return -EINVAL;
			}
			if (pd->kind == BT_PROBE_KRETPROBE && pd->offset) {
				snprintf(msg, LOGSZ, "probe %u (%s): a return probe has no offset",
					 i, pp);
				return -EINVAL;
			}
			break;
		case BT_PROBE_TRACEPOINT:
			if (IS_ENABLED(CONFIG_CFI_CLANG)) {
				/* btk_tp_probe() fits no tracepoint's prototype exactly */
				snprintf(msg, LOGSZ,
					 "probe %u (%s): tracepoint probes are not supported on a kernel with kCFI (CONFIG_CFI_CLANG)",
					 i, pp);
				return -EINVAL;
			}
			if (strlen(bt_prog_str(p, pd->symbol)) >= BT_IOC_SYM_LEN ||
			    !bt_prog_str(p, pd->symbol)[0]) {
				snprintf(msg, LOGSZ, "probe %u (%s): bad tracepoint name", i, pp);
				return -EINVAL;
			}
			break;
		default:
			snprintf(msg, LOGSZ, "probe %u (%s): probe kind %u not supported by the module",
				 i, pp, pd->kind);
			return -EINVAL;
		}
	}
	return 0;
}

static void btk_init_timers(struct btk_sess *s)
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
	msg = kzalloc(LOGSZ, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rc = -EINVAL;
	if (!a->blob_len || a->blob_len > btk_max_blob) {
		snprintf(msg, LOGSZ, "program size %u outside 1 .. %u bytes",
			 a->blob_len, btk_max_blob);
		goto fail;
	}
	ring = a->ring_size ? a->ring_size : btk_ring_size_default;
	if (ring > btk_ring_size_max) {
		snprintf(msg, LOGSZ, "ring size %u over the limit of %u", ring,
			 btk_ring_size_max);
		goto fail;
	}
	ring = roundup_pow_of_two(max(ring, 4096u));

	/* the program is copied in once; only this copy is ever looked at */
	rc = btk_mem_reserve(s, a->blob_len, msg, LOGSZ);
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
		snprintf(msg, LOGSZ, "%s", diag.msg);
		goto fail;
	}
	rc = check_probes(s, msg);
	if (rc)
		goto fail;
	/* the program may lower the module's ceilings, never raise them */
	if (s->prog.limits.maxaction > READ_ONCE(btk_max_action)) {
		rc = -EINVAL;
		snprintf(msg, LOGSZ,
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
		snprintf(msg, LOGSZ, "%u tracepoint probes, more than %u (module parameter max_attach)",
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
		snprintf(msg, LOGSZ, "the program's maps and globals need more memory than can be counted");
		goto fail;
	}
	rc = btk_mem_reserve(s, total, msg, LOGSZ);
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
		snprintf(msg, LOGSZ, "cannot lay out the session");
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
			snprintf(msg, LOGSZ, "cannot lay out the VM context");
			goto fail;
		}
		bt_ctx_seed(c->ctx, get_random_u64());
	}
	btk_init_timers(s);
	s->ring_size = ring;
	s->target = a->target_pid;
	s->no_overload = !!(s->prog.limits.flags & BT_LIMIT_NO_OVERLOAD);
	/* last: from here on probe functions may look at the session */
	rc = register_tps(s, msg);
	if (rc)
		goto fail;
	a->mem_used = s->mem;
	s->state = BT_STATE_LOADED;
	kfree(msg);
	return 0;

fail:
	free_program(s);
	memset(&s->prog, 0, sizeof(s->prog));
	rc = log_out(a->log_buf, a->log_size, msg, rc);
	kfree(msg);
	return rc;
}

/* ------------------------------------------------------------------ */
/* ATTACH                                                             */
/* ------------------------------------------------------------------ */


static int hexval(const char **p, u64 *out)
{
	const char *s = *p;
	u64 v = 0;
	int n = 0;

	if (s[0] != '0' || s[1] != 'x')
		return -1;
	for (s += 2; isxdigit(*s); s++, n++)
		v = v * 16 + hex_to_bin(*s);
	if (!n)
		return -1;
	*out = v;
	*p = s;
	return 0;
}

/*
 * What the kernel's symbol table says addr is: sprint_symbol() prints
 * "name+0xoff/0xsize [module]".  name gets the function's name; mod the
 * module's ("" for the kernel image).  -EINVAL when addr is in no function.
 */
static int sym_at(u64 addr, char *name, size_t cap, u64 *off, char *mod,
		  size_t modcap)
{
	char *buf = kmalloc(KSYM_SYMBOL_LEN, GFP_KERNEL);
	const char *p, *plus;
	u64 size;
	int rc = -EINVAL;

	if (!buf)
		return -ENOMEM;
	sprint_symbol(buf, (unsigned long)addr);
	plus = strchr(buf, '+');
	if (plus) {
		p = plus + 1;
		if (!hexval(&p, off) && *p++ == '/' && !hexval(&p, &size)) {
			strscpy(name, buf, min_t(size_t, cap, plus - buf + 1));
			mod[0] = 0;
			if (*p) {
				/* " [module]"; one we cannot read is still a
				 * module, but none a declaration can name (those
				 * names end before a ':') */
				const char *end = strchr(p, ']');

				if (p[0] != ' ' || p[1] != '[' || !end ||
				    end - (p + 2) >= modcap)
					strscpy(mod, ":?", modcap);
				else
					strscpy(mod, p + 2, end - (p + 2) + 1);
			}
			rc = 0;
		}
	}
	kfree(buf);
	return rc;
}

static int register_one(struct btk_attach *a, u64 addr, const char *symbol, u64 off)
{
	struct kprobe *kp = a->ret ? &a->rp.kp : &a->kp;

	if (symbol) {
		kp->symbol_name = symbol;
		kp->offset = off;
	} else {
		kp->addr = (kprobe_opcode_t *)(unsigned long)addr;
	}
	kp->flags = KPROBE_FLAG_DISABLED;
	if (a->ret)
		return register_kretprobe(&a->rp);
	kp->pre_handler = btk_kprobe_pre;
	return register_kprobe(kp);
}

static void unregister_one(struct btk_attach *a)
{
	if (a->ret)
		unregister_kretprobe(&a->rp);
	else
		unregister_kprobe(&a->kp);
}

/*
 * Register the probe at e->addr after making sure it is e->symbol plus the
 * declaration's offset, in the kernel image (want_mod NULL) or in module
 * want_mod.  Usually the kernel's symbol table names that address
 * e->symbol and we register by address (which also handles two static
 * functions of one name).  When it names another symbol at the same
 * address (an alias: __x64_sys_getpid and __do_sys_getpid), we let kprobes
 * look e->symbol up itself ("want_mod:symbol" for a module's) and check it
 * lands on the same function, at e->addr (or on the instruction after a
 * 4-byte ENDBR there).
 *
 * A module may be unloaded at any time: register_kprobe() refuses an
 * address that is no longer live module text, and holds a reference on
 * the module only while it patches it.  Once registered, kprobes itself
 * disables the probe when the module goes: in 6.1's kernel/kprobes.c,
 * kprobes_module_callback() marks every kprobe in a MODULE_STATE_GOING
 * module's core (or a live one's freed init) text KPROBE_FLAG_GONE with
 * kill_kprobe(), which takes it off the optimizer and, for an armed
 * ftrace-based one, disarms it while ftrace still knows the module (the
 * order fixed by "kprobes: Fix check for probe enabled in kill_kprobe()",
 * in 6.1.y stable).  A gone probe never fires again, enable_kprobe()
 * refuses it (START ignores that), and unregistering it at STOP is fine.
 * So nothing here has to watch module unloads.
 */
static int register_checked(struct btk_attach *a, struct bt_ioc_probe *e, u64 off,
			    const char *want_mod, char *msg)
{
	char *name = kmalloc(2 * BT_IOC_SYM_LEN + 2 * MODULE_NAME_LEN, GFP_KERNEL);
	struct kprobe *kp = a->ret ? &a->rp.kp : &a->kp;
	char *name2, *mod, *mod2, *qual = NULL;
	u64 o = 0, o2 = 0;
	bool by_name;
	int rc;

	if (!name)
		return -ENOMEM;
	name2 = name + BT_IOC_SYM_LEN;
	mod = name2 + BT_IOC_SYM_LEN;
	mod2 = mod + MODULE_NAME_LEN;
	rc = sym_at(e->addr, name, BT_IOC_SYM_LEN, &o, mod, MODULE_NAME_LEN);
	if (rc) {
		snprintf(msg, LOGSZ, "address 0x%llx is not in any kernel function (%s wanted)",
			 e->addr, e->symbol);
		goto out;
	}
	rc = -EINVAL;
	if (!want_mod && mod[0]) {
		snprintf(msg, LOGSZ, "address 0x%llx (%s) is in a module, not the kernel image",
			 e->addr, name);
		goto out;
	}
	if (want_mod && strcmp(mod, want_mod)) {
		snprintf(msg, LOGSZ, "address 0x%llx (%s) is not in module %s but in %s",
			 e->addr, name, want_mod, mod[0] ? mod : "the kernel image");
		goto out;
	}
	if (o != off) {
		snprintf(msg, LOGSZ, "address 0x%llx is %s+0x%llx, not %s+0x%llx",
			 e->addr, name, o, e->symbol, off);
		goto out;
	}
	by_name = strcmp(name, e->symbol) != 0;
	if (by_name && want_mod) {
		/* kprobes' lookup reads "mod:sym" as sym in that module only */
		qual = kasprintf(GFP_KERNEL, "%s:%s", want_mod, e->symbol);
		if (!qual) {
			rc = -ENOMEM;
			goto out;
		}
	}
	rc = register_one(a, e->addr, by_name ? (qual ? qual : a->name) : NULL, off);
	/* register_kprobe() reads symbol_name only while it registers */
	if (qual)
		kp->symbol_name = NULL;
	if (rc) {
		snprintf(msg, LOGSZ, "cannot probe %s: the kernel refused it (error %d%s)",
			 e->symbol, rc, rc == -EINVAL ?
			 ": kprobe blacklist, or not an instruction boundary" :
			 rc == -ENOENT ? ": no such function" : "");
		goto out;
	}
	if (by_name) {
		u64 got = (unsigned long)kp->addr;

		if (got < e->addr || got > e->addr + 4 ||
		    sym_at(got, name2, BT_IOC_SYM_LEN, &o2, mod2, MODULE_NAME_LEN) ||
		    strcmp(name, name2) || strcmp(mod, mod2)) {
			unregister_one(a);
			snprintf(msg, LOGSZ, "address 0x%llx is %s+0x%llx, not %s+0x%llx",
				 e->addr, name, o, e->symbol, off);
			rc = -EINVAL;
			goto out;
		}
	}
	rc = 0;
out:
	kfree(qual);
	kfree(name);
	return rc;
}

static int attach_one(struct btk_sess *s, struct bt_ioc_probe *e, char *msg)
{
	const struct bt_probe_decl *pd;
	const char *pat, *colon;
	char mod[MODULE_NAME_LEN];
	struct btk_attach *a;
	int rc;

	if (e->flags & ~BT_IOC_PROBE_OPTIONAL || e->pad) {
		snprintf(msg, LOGSZ, "entry for probe %u: unknown flags", e->probe);
		return -EINVAL;
	}
	if (e->probe >= s->prog.nprobes) {
		snprintf(msg, LOGSZ, "there is no probe %u (the program has %u)", e->probe,
			 s->prog.nprobes);
		return -EINVAL;
	}
	pd = &s->prog.probes[e->probe];
	if (pd->kind != BT_PROBE_KPROBE && pd->kind != BT_PROBE_KRETPROBE) {
		snprintf(msg, LOGSZ, "probe %u (%s) is not a kprobe", e->probe,
			 bt_prog_str(&s->prog, pd->point));
		return -EINVAL;
	}
	if (strnlen(e->symbol, BT_IOC_SYM_LEN) >= BT_IOC_SYM_LEN || !e->symbol[0]) {
		snprintf(msg, LOGSZ, "probe %u: symbol name missing or not terminated",
			 e->probe);
		return -EINVAL;
	}
	pat = bt_prog_str(&s->prog, pd->symbol);
	/*
	 * "MOD:PATTERN" (module("MOD").function("PATTERN")): a function of
	 * module MOD, which register_checked() makes sure of; the entry names
	 * the bare function.  Without it, only the kernel image's.
	 */
	mod[0] = 0;
	colon = strchr(pat, ':');
	if (colon) {
		if (colon == pat || colon - pat >= sizeof(mod)) {
			snprintf(msg, LOGSZ, "probe %u: %s names no module", e->probe, pat);
			return -EINVAL;
		}
		strscpy(mod, pat, colon - pat + 1);
		pat = colon + 1;
	}
	/* sys_NAME also names the x86_64 wrapper __x64_sys_NAME (the front
	 * end's fallback for scripts written before kernel 4.17) */
	if (!bt_glob(pat, e->symbol) &&
	    !(!mod[0] && strncmp(pat, "sys_", 4) == 0 && strncmp(e->symbol, "__x64_", 6) == 0 &&
	      strcmp(pat, e->symbol + 6) == 0)) {
		snprintf(msg, LOGSZ, "probe %u: function %s does not match %s", e->probe,
			 e->symbol, pat);
		return -EINVAL;
	}
	if (within_module((unsigned long)e->addr, THIS_MODULE)) {
		snprintf(msg, LOGSZ, "probe %u: bytetap cannot probe itself", e->probe);
		return -EINVAL;
	}
	if (s->natts >= btk_max_attach) {
		snprintf(msg, LOGSZ, "more than %u kprobes (module parameter max_attach)",
			 btk_max_attach);
		return -E2BIG;
	}
	rc = btk_mem_reserve(s, sizeof(*a), msg, LOGSZ);
	if (rc)
		return rc;
	a = kzalloc(sizeof(*a), BTK_GFP);
	if (!a) {
		mem_unreserve(s, sizeof(*a));
		return -ENOMEM;
	}
	a->sess = s;
	a->probe = e->probe;
	a->ret = pd->kind == BT_PROBE_KRETPROBE;
	strscpy(a->name, e->symbol, sizeof(a->name));
	if (strpbrk(pat, "*?[")) {
		/* pp() names the function: the point with "PATTERN" -> "symbol" */
		const char *point = bt_prog_str(&s->prog, pd->point);
		size_t pl = strlen(pat);
		const char *q = strstr(point, pat);

		while (q && (q == point || q[-1] != '"' || q[pl] != '"'))
			q = strstr(q + 1, pat);
		if (q)
			a->pp = kasprintf(BTK_GFP, "%.*s%s%s", (int)(q - point), point,
					  e->symbol, q + pl);
		if (a->pp && btk_mem_reserve(s, strlen(a->pp) + 1, msg, LOGSZ)) {
			kfree(a->pp);	/* pp() falls back to the point as written */
			a->pp = NULL;
			msg[0] = 0;
		}
	}
	if (a->ret) {
		a->rp.handler = btk_kretprobe_handler;
		a->rp.maxactive = pd->maxactive ? min_t(u32, pd->maxactive, 4096) : 0;
	}
	rc = register_checked(a, e, pd->offset, mod[0] ? mod : NULL, msg);
	if (rc) {
		free_attach(s, a);
		return rc;
	}
	a->registered = true;
	s->atts[s->natts++] = a;
	return 0;
}

int btk_ioc_attach(struct btk_sess *s, struct bt_ioc_attach *arg)
{
	char *msg;
	u32 first = s->natts, i, n = 0;
	int rc = 0;

	if (arg->flags)
		return -EINVAL;
	if (s->state != BT_STATE_LOADED)
		return -EBUSY;
	if (arg->probe_size < offsetofend(struct bt_ioc_probe, symbol) ||
	    arg->probe_size > 4096 || arg->nprobes > btk_max_attach)
		return -EINVAL;
	msg = kzalloc(LOGSZ, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	for (i = 0; i < arg->nprobes; i++) {
		struct bt_ioc_probe e;
		void __user *up = u64_to_user_ptr(arg->probes) + (size_t)i * arg->probe_size;
		int r;

		/* thousands of registrations: give the CPU away, stop on SIGKILL */
		cond_resched();
		if (fatal_signal_pending(current)) {
			rc = -EINTR;
			break;
		}
		r = copy_struct_from_user(&e, sizeof(e), up, arg->probe_size);
		if (r) {
			rc = r;
			break;
		}
		r = attach_one(s, &e, msg);
		if (arg->probe_size >= offsetofend(struct bt_ioc_probe, result) &&
		    put_user(r, (s32 __user *)(up + offsetof(struct bt_ioc_probe, result)))) {
			rc = -EFAULT;
			break;
		}
		if (r && !(e.flags & BT_IOC_PROBE_OPTIONAL)) {
			rc = r;
			break;
		}
		if (!r)
			n++;
		msg[0] = 0;	/* an optional failure is not the call's message */
	}
	if (rc) {
		/* nothing of a failed call stays */
		struct btk_attach **atts = s->atts;

		s->atts += first;
		s->natts -= first;
		unregister_all(s);
		for (i = 0; i < s->natts; i++)
			free_attach(s, s->atts[i]);
		s->atts = atts;
		s->natts = first;
		n = 0;
	}
	arg->nattached = n;
	rc = log_out(arg->log_buf, arg->log_size, msg, rc);
	kfree(msg);
	return rc;
}

/* ------------------------------------------------------------------ */
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

int btk_ioc_start(struct btk_sess *s, struct bt_ioc_start *arg)
{
	u32 i;

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
		for (i = 0; i < s->natts; i++) {
			struct btk_attach *a = s->atts[i];

			if (a->ret)
				enable_kretprobe(&a->rp);
			else
				enable_kprobe(&a->kp);
			cond_resched();
		}
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
	st->kprobe_missed = s->kprobe_missed;
	for (i = 0; i < s->natts; i++)
		if (s->atts[i]->registered)
			st->kprobe_missed += attach_missed(s->atts[i]);
	for (i = 0; i < s->nslots; i++) {
		struct btk_cpu *c = s->cpus[i];

		if (!c)
			continue;
		st->hits += READ_ONCE(c->hits);
		st->skipped_lock += READ_ONCE(c->skipped_lock);
		st->probe_cycles += READ_ONCE(c->cycles);
	}
}

/* ------------------------------------------------------------------ */
/* MAP_READ                                                           */
/* ------------------------------------------------------------------ */

struct mr {
	u8 *buf;		/* one entry being built */
	size_t cap, len;
	char __user *out;
	u32 out_cap, used, count, total;
	bool full;
};

static void mr_put(struct mr *m, const void *p, size_t n)
{
	if (m->len + n <= m->cap)
		memcpy(m->buf + m->len, p, n);
	m->len += n;
}

static void mr_str(struct mr *m, const char *str, size_t max)
{
	u16 n = strnlen(str, max);

	mr_put(m, &n, 2);
	mr_put(m, str, n);
}

static int mr_flush(struct mr *m)
{
	struct bt_mapread_ent *e = (struct bt_mapread_ent *)m->buf;
	size_t len = ALIGN(m->len, 8);

	m->total++;
	if (m->full || len > m->cap || m->used + len > m->out_cap) {
		m->full = true;
		return 0;
	}
	memset(m->buf + m->len, 0, len - m->len);
	e->len = len;
	if (copy_to_user(m->out + m->used, m->buf, len))
		return -EFAULT;
	m->used += len;
	m->count++;
	return 0;
}

static void mr_begin(struct mr *m, u16 nik, u16 nsk, u8 kind)
{
	struct bt_mapread_ent e = { .nik = nik, .nsk = nsk, .val_kind = kind };

	m->len = 0;
	mr_put(m, &e, sizeof(e));
}

static void mr_stat(struct mr *m, const struct bt_stat_shape *sh,
		    const struct bt_stat *st)
{
	struct bt_mapread_stat o = {
		.count = st->count, .sum = st->sum, .min = st->min, .max = st->max,
		.avg_s = st->avg_s, .m2 = st->m2, .variance_s = st->variance_s,
		.nbuckets = sh->nbuckets,
	};

	mr_put(m, &o, sizeof(o));
	mr_put(m, st->hist, (size_t)sh->nbuckets * 8);
}

/* One map entry's keys; the value follows. */
static void mr_keys(struct mr *m, const struct bt_map *map, struct bt_ment *e)
{
	u32 j;

	mr_put(m, bt_ment_ik(map, e), (size_t)map->nik * 8);
	for (j = 0; j < map->nsk; j++)
		mr_str(m, bt_ment_sk(map, e, j), map->slen);
}

static int read_stats(struct btk_sess *s, struct mr *m, struct bt_mvar *mv)
{
	const struct bt_stat_shape *sh = &mv->shape;
	struct bt_stat *acc = kvzalloc(sh->size, BTK_GFP);
	u32 c, d, n = s->vm->ncpus;	/* every CPU's partial and the process slot's */
	int rc = 0;

	if (!acc)
		return -ENOMEM;
	for (c = 0; c < n && !rc; c++) {
		struct bt_map *map = &mv->inst[c];
		u32 i = bt_map_first(map), guard = map->cap;

		for (; i && guard-- && !rc; i = bt_map_next(map, i)) {
			struct bt_ment *e = bt_map_ent(map, i);
			const int64_t *ik = bt_ment_ik(map, e);
			const char *sk = bt_ment_sk(map, e, 0);
			bool seen = false;
			s64 vacc[2];

			for (d = 0; d < c && !seen; d++)
				seen = bt_map_find(&mv->inst[d], ik, sk) != NULL;
			if (seen)
				continue;
			if (map->nkeys == 0) {
				bt_stat_scalar_begin(sh, acc, vacc);
				for (d = c; d < n; d++) {
					struct bt_ment *f = bt_map_find(&mv->inst[d], ik, sk);

					if (f)
						bt_stat_scalar_add(sh, acc, bt_ment_val(&mv->inst[d], f));
				}
				bt_stat_scalar_mid(sh, acc);
				for (d = c; d < n && sh->variance; d++) {
					struct bt_ment *f = bt_map_find(&mv->inst[d], ik, sk);

					if (f)
						bt_stat_scalar_var(sh, acc,
								   bt_ment_val(&mv->inst[d], f), vacc);
				}
				bt_stat_scalar_end(sh, acc, vacc);
			} else {
				bt_stat_clear(sh, acc);
				for (d = c; d < n; d++) {
					struct bt_ment *f = bt_map_find(&mv->inst[d], ik, sk);

					if (f)
						bt_stat_merge_elem(sh, acc, bt_ment_val(&mv->inst[d], f));
				}
			}
			mr_begin(m, map->nik, map->nsk, BT_KIND_STATS);
			mr_keys(m, map, e);
			mr_stat(m, sh, acc);
			rc = mr_flush(m);
			cond_resched();
		}
	}
	kvfree(acc);
	return rc;
}

static int read_map(struct btk_sess *s, struct mr *m, u32 index)
{
	struct bt_mvar *mv = &s->vm->mvars[index];
	struct bt_map *map = &mv->inst[0];
	u32 i, guard;
	int rc = 0;

	if (mv->stats)
		return read_stats(s, m, mv);
	i = bt_map_first(map);
	guard = map->cap;
	for (; i && guard-- && !rc; i = bt_map_next(map, i)) {
		struct bt_ment *e = bt_map_ent(map, i);

		mr_begin(m, map->nik, map->nsk, map->vkind);
		mr_keys(m, map, e);
		if (map->vkind == BT_KIND_INT)
			mr_put(m, bt_ment_val(map, e), 8);
		else
			mr_str(m, bt_ment_val(map, e), map->slen);
		rc = mr_flush(m);
		cond_resched();
	}
	return rc;
}

int btk_ioc_map_read(struct btk_sess *s, struct bt_ioc_map_read *arg)
{
	struct mr m = { 0 };
	atomic_t *lock;
	bool write = false;
	int rc, tries;

	if (arg->flags)
		return -EINVAL;
	if (s->state == BT_STATE_OPEN)
		return -EBUSY;
	if (arg->space == BT_MAPREAD_GLOBAL && arg->index < s->prog.nglobals) {
		lock = &s->glocks[arg->index];
	} else if (arg->space == BT_MAPREAD_MAP && arg->index < s->prog.nmaps) {
		lock = &s->mlocks[arg->index];
		/* handlers add to statistics under the shared lock */
		write = s->vm->mvars[arg->index].stats;
	} else {
		return -EINVAL;
	}
	m.cap = sizeof(struct bt_mapread_ent) + BT_MAX_KEYS * (8 + 2 + s->vm->slen) +
		2 + s->vm->slen + sizeof(struct bt_mapread_stat) +
		s->vm->max_stat_size + 16;
	m.buf = kvmalloc(m.cap, BTK_GFP);
	if (!m.buf)
		return -ENOMEM;
	m.out = u64_to_user_ptr(arg->buf);
	m.out_cap = arg->buf_len;
	for (tries = 0; !btk_trylock(lock, write); tries++) {
		if (tries > 1000 || fatal_signal_pending(current)) {
			kvfree(m.buf);
			return -EBUSY;
		}
		usleep_range(500, 1000);
	}
	if (arg->space == BT_MAPREAD_GLOBAL) {
		const struct bt_global_decl *g = &s->prog.globals[arg->index];

		mr_begin(&m, 0, 0, g->kind);
		if (g->kind == BT_KIND_INT) {
			s64 v = bt_session_global_int(s->vm, arg->index);

			mr_put(&m, &v, 8);
		} else {
			mr_str(&m, bt_session_global_str(s->vm, arg->index), s->vm->slen);
		}
		rc = mr_flush(&m);
	} else {
		rc = read_map(s, &m, arg->index);
	}
	btk_unlock(lock, write);
	kvfree(m.buf);
	arg->count = m.count;
	arg->total = m.total;
	arg->len = m.used;
	if (!rc && m.full)
		rc = -ENOSPC;
	return rc;
}
