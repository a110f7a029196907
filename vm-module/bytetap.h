/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bytetap.h - internals of the bytetap kernel module.
 *
 * One open file of /dev/bytetap is one session (struct btk_sess).  The
 * session owns a copy of the verified program, the VM's shared state
 * (struct bt_session: globals, maps, per-CPU statistics), one struct
 * btk_cpu per possible CPU (the VM context, the output ring, the busy
 * flag that stops handlers from nesting, counters, the overload guard),
 * one lock word per global and per map, and the probes: kprobes and
 * kretprobes (struct btk_attach), tracepoint probes (struct btk_tp),
 * hrtimers for timer.* and, per CPU, for timer.profile.  Everything is
 * allocated by LOAD and ATTACH, in process context; nothing is allocated,
 * and nothing sleeps, once probes run.
 */
#ifndef BYTETAP_H
#define BYTETAP_H

#include <linux/atomic.h>
#include <linux/hrtimer.h>
#include <linux/irq_work.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/mutex.h>
#include <linux/prandom.h>
#include <linux/timer.h>
#include <linux/tracepoint.h>
#include <linux/types.h>
#include <linux/wait.h>

#include "bt_ioctl.h"
#include "bt_policy.h"
#include "bt_prog.h"
#include "bt_vm.h"

#define BTK_VERSION		"0.1"

/* SystemTap's MAXTRYLOCK / TRYLOCKDELAY, with a shorter delay. */
#define BTK_MAXTRYLOCK		100
#define BTK_TRYLOCKDELAY_NS	1000

/* STP_OVERLOAD_INTERVAL / STP_OVERLOAD_THRESHOLD, in cycles as there. */
#define BTK_OVERLOAD_INTERVAL	1000000000LL
#define BTK_OVERLOAD_THRESHOLD	500000000LL

#define BTK_BOUNCE_SIZE		(64u << 10)	/* read() staging buffer */
#define BTK_MIN_TIMER_NS	10000u		/* shortest timer.* period */
#define BTK_WRAP_MARK		(~0ull)		/* ring: rest of the buffer unused */

/*
 * Every allocation a program causes: charged to the caller's memory
 * cgroup, and no allocation-failure splat (a failure is an ENOMEM that
 * says which ceiling or allocation it was).
 */
#define BTK_GFP			(GFP_KERNEL_ACCOUNT | __GFP_NOWARN)

/*
 * Arguments a tracepoint probe passes on: btk_tp_probe() takes this many
 * u64 after its data pointer, whatever the tracepoint's prototype.
 */
#define BTK_TP_NARGS		12

/* What handlers see: may they run? */
enum btk_run {
	BTK_IDLE = 0,		/* not started yet */
	BTK_RUN,		/* armed and running */
	BTK_STOPPING,		/* exit(), error or STOP: handlers return at once */
};

/*
 * A per-CPU output ring: a single producer (the handler that owns the
 * CPU's busy flag) and a single consumer (read(), under read_lock).
 * Positions count bytes forever; each entry is a u64 timestamp, then the
 * record.  A timestamp of BTK_WRAP_MARK means "skip to the start".
 */
struct btk_ring {
	u8 *buf;
	u32 size;		/* power of two */
	u32 mask;
	u64 head;		/* published end (producer, release) */
	u64 tail;		/* consumed up to (consumer, release) */
	u64 pend;		/* end of the record being written */
};

struct btk_attach;

/* Per-CPU state; also the VM context's host pointer. */
struct btk_cpu {
	struct btk_sess *sess;
	struct bt_ctx *ctx;
	int busy;		/* a handler runs on this CPU */
	bool process;		/* the slot of begin/end/error probes */
	u32 cpu;		/* CPU number; the process slot: ncpus */
	struct btk_ring ring;
	/* the probe being run, for the host builtins */
	struct pt_regs *regs;
	const struct btk_attach *att;
	const u64 *tp_args;	/* a tracepoint's [BTK_TP_NARGS] arguments */
	u32 kind;		/* enum bt_probe_kind */
	u64 hit_start;		/* ktime_get_mono_fast_ns() at the hit's first time check */
	/* counters, written only by this CPU */
	u64 hits;
	u64 skipped_lock;
	u64 cycles;
	/* overload guard (SystemTap's per-context cycles_base / cycles_sum) */
	u64 ov_base;
	u64 ov_sum;
	char symbuf[KSYM_SYMBOL_LEN];
};

/* One kprobe or kretprobe on one function. */
struct btk_attach {
	union {
		struct kprobe kp;
		struct kretprobe rp;
	};
	struct btk_sess *sess;
	u32 probe;		/* index into prog.probes */
	bool ret;		/* kretprobe */
	bool registered;
	char name[BT_IOC_SYM_LEN];	/* probefunc() */
	char *pp;		/* pp() of one function of a wildcard point */
};

/*
 * One kernel.trace("NAME") probe: a probe function on one core kernel
 * tracepoint.  It is also the probe function's data pointer, which tells
 * two probes on one tracepoint apart.
 */
struct btk_tp {
	struct tracepoint *tp;	/* NULL: not found (an optional probe) */
	struct btk_sess *sess;
	u32 probe;		/* index into prog.probes */
	bool registered;
};

/* One timer.* probe, or one CPU's timer.profile. */
struct btk_timer {
	struct hrtimer hr;
	struct btk_sess *sess;
	u32 probe;
	u32 cpu;		/* timer.profile: the CPU it is pinned to */
	bool profile;
	bool armed;
	u64 period;
	u64 jitter;
	struct rnd_state rnd;
};

struct btk_sess {
	struct mutex lock;		/* ioctls */
	struct mutex read_lock;		/* the ring consumer */
	int state;			/* enum bt_ioc_state */
	int run;			/* enum btk_run, read by handlers */
	int exit_requested;
	int error_state;
	int overload;
	int aborted;
	bool no_overload;
	s32 target;

	void *blob;
	struct bt_prog prog;
	struct bt_session *vm;
	size_t vm_size;
	u64 mem;			/* bytes allocated, counted in btk_mem_in_use */

	u32 ncpus;			/* nr_cpu_ids */
	u32 nslots;			/* ncpus + 1: the CPUs and the process slot */
	struct btk_cpu **cpus;		/* [nslots], NULL for impossible CPUs;
					 * [ncpus] runs begin/end/error probes */
	u32 ring_size;

	atomic_t *glocks;		/* [nglobals] */
	atomic_t *mlocks;		/* [nmaps] */

	struct btk_attach **atts;	/* [max_attach] */
	u32 natts;
	u64 kprobe_missed;		/* nmissed of unregistered probes */

	struct btk_tp *tps;		/* one per TRACEPOINT probe, registered by LOAD */
	u32 ntps;

	struct btk_timer *timers;	/* timer.* then profile x ncpus */
	u32 ntimers;

	wait_queue_head_t wq;		/* readers */
	wait_queue_head_t space_wq;	/* the process slot waiting for ring space */
	bool no_reader;			/* ... gave up waiting once: drop from now on */
	struct timer_list wake_timer;
	bool wake_timer_on;
	struct irq_work exit_work;
	u8 *bounce;
};

/* module parameters (dev.c) */
extern unsigned long btk_max_session_mem;
extern unsigned long btk_max_total_mem;
extern unsigned int btk_max_action;
extern unsigned int btk_max_hit_us;
extern atomic64_t btk_mem_in_use;	/* bytes every session holds (session.c) */
extern unsigned int btk_max_blob;
extern unsigned int btk_max_attach;
extern unsigned int btk_ring_size_default;
extern unsigned int btk_ring_size_max;

#define BTK_LOGSZ		256	/* an ioctl's error message */

/* session.c: lifecycle */
struct btk_sess *btk_sess_new(void);
void btk_sess_free(struct btk_sess *s);
int btk_ioc_load(struct btk_sess *s, struct bt_ioc_load *arg);
int btk_ioc_start(struct btk_sess *s, struct bt_ioc_start *arg);
int btk_ioc_stop(struct btk_sess *s, u32 flags);
void btk_ioc_status(struct btk_sess *s, struct bt_ioc_status *st);
int btk_log_out(u64 ubuf, u32 size, const char *msg, int rc);

/* session.c: memory ceilings */
int btk_mem_reserve(struct btk_sess *s, u64 bytes, char *msg, size_t msgsz);
void btk_mem_unreserve(struct btk_sess *s, u64 bytes);

/* attach.c: kprobes and kretprobes */
int btk_ioc_attach(struct btk_sess *s, struct bt_ioc_attach *arg);
void btk_enable_kprobes(struct btk_sess *s);
void btk_unregister_kprobes(struct btk_sess *s);
void btk_free_attach(struct btk_sess *s, struct btk_attach *a);
u64 btk_kprobe_missed(struct btk_sess *s);

/* tracepoint.c */
int btk_register_tps(struct btk_sess *s, char *msg);
bool btk_unregister_tps(struct btk_sess *s);

/* timer.c */
void btk_init_timers(struct btk_sess *s);
void btk_start_timers(struct btk_sess *s);
void btk_cancel_timers(struct btk_sess *s);

/* mapread.c */
int btk_ioc_map_read(struct btk_sess *s, struct bt_ioc_map_read *arg);

/* probes.c */
void btk_fire(struct btk_sess *s, u32 probe, const struct btk_attach *a,
	      struct pt_regs *regs, const u64 *tp_args);
int btk_run_process(struct btk_sess *s, u32 probe);
void btk_request_exit(struct btk_sess *s, bool error);
int btk_kprobe_pre(struct kprobe *kp, struct pt_regs *regs);
int btk_kretprobe_handler(struct kretprobe_instance *ri, struct pt_regs *regs);
enum hrtimer_restart btk_hrtimer_fn(struct hrtimer *hr);
void btk_tp_probe(void *data, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5, u64 a6,
		  u64 a7, u64 a8, u64 a9, u64 a10, u64 a11, u64 a12);
bool btk_trylock(atomic_t *l, bool write);
void btk_unlock(atomic_t *l, bool write);
void btk_init_exit_work(struct btk_sess *s);

/* ring.c */
int btk_ring_init(struct btk_ring *r, u32 size, int node);
void btk_ring_free(struct btk_ring *r);
bool btk_rings_nonempty(struct btk_sess *s);
ssize_t btk_rings_read(struct btk_sess *s, char __user *ubuf, size_t len);
void btk_emit_error(struct btk_cpu *c, const char *msg);

#endif /* BYTETAP_H */
