// SPDX-License-Identifier: GPL-2.0
/*
 * host.c - the VM's kernel host (bytecode/bt_host.h): output rings,
 * context builtins (pid, execname, ...), and never-faulting memory reads.
 *
 * Everything here may run in probe context (kprobe, kretprobe, hrtimer;
 * preemption off, maybe interrupts off): no allocation, no sleeping, no
 * locks.  Memory reads use copy_from_kernel_nofault() and
 * copy_from_user_nofault() and their string forms: a bad address becomes
 * a script error with SystemTap's text, never a fault.
 */
#include <linux/cred.h>
#include <linux/kallsyms.h>
#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/jiffies.h>
#include <linux/ptrace.h>
#include <linux/poll.h>
#include <linux/wait.h>

#include "bytetap.h"
#include "bt_builtin.h"
#include "bt_host.h"
#include "bt_record.h"

/* ------------------------------------------------------------------ */
/* Rings                                                              */
/* ------------------------------------------------------------------ */

int btk_ring_init(struct btk_ring *r, u32 size, int node)
{
	r->buf = vzalloc_node(size, node);
	if (!r->buf)
		return -ENOMEM;
	r->size = size;
	r->mask = size - 1;
	r->head = r->tail = r->pend = 0;
	return 0;
}

void btk_ring_free(struct btk_ring *r)
{
	vfree(r->buf);
	r->buf = NULL;
}

/*
 * Room for a record of len bytes in this context's ring, or NULL: the VM
 * counts a drop.  Handlers never wait.  The process slot (begin, end and
 * error probes, run inside START and STOP with nothing else running) waits
 * for the reader to make room - up to a second, and only until a wait has
 * once failed - so that a large end-of-run report is not lost when the
 * front end reads while STOP runs.
 */
void *bt_host_out_reserve(struct bt_ctx *ctx, uint32_t len)
{
	struct btk_cpu *c = ctx->host;
	struct btk_ring *r = &c->ring;
	u64 head = r->head, tail;
	u32 pos = head & r->mask, contig = r->size - pos;
	u32 need = len + 8, total;

	if (unlikely(!r->buf || (len & 7) || need > r->size / 2))
		return NULL;
	total = need <= contig ? need : contig + need;
	for (;;) {
		struct btk_sess *s = c->sess;
		long w;

		tail = smp_load_acquire(&r->tail);
		if (head + total - tail <= r->size)
			break;
		if (!c->process || s->no_reader)
			return NULL;	/* full: the VM counts the drop */
		wake_up_interruptible_poll(&s->wq, EPOLLIN | EPOLLRDNORM);
		w = wait_event_interruptible_timeout(s->space_wq,
				head + total - smp_load_acquire(&r->tail) <= r->size, HZ);
		if (w <= 0) {
			s->no_reader = true;
			return NULL;
		}
	}
	if (need > contig) {
		*(u64 *)(r->buf + pos) = BTK_WRAP_MARK;
		pos = 0;
	}
	*(u64 *)(r->buf + pos) = ktime_get_mono_fast_ns();
	r->pend = head + total;
	return r->buf + pos + 8;
}

void bt_host_out_commit(struct bt_ctx *ctx, void *rec)
{
	struct btk_cpu *c = ctx->host;

	smp_store_release(&c->ring.head, c->ring.pend);
}

/*
 * The next record of a ring (consumer side), or NULL.  Steps over wrap
 * marks, moving the local tail *t.
 */
static struct bt_rec *ring_peek(struct btk_ring *r, u64 head, u64 *t, u64 *ts)
{
	while (*t != head) {
		u32 pos = *t & r->mask;
		u64 stamp = *(u64 *)(r->buf + pos);
		struct bt_rec *rec;

		if (stamp == BTK_WRAP_MARK) {
			*t += r->size - pos;
			continue;
		}
		rec = (struct bt_rec *)(r->buf + pos + 8);
		if (rec->len < sizeof(*rec) || (rec->len & 7) ||
		    rec->len + 8 > r->size - pos || *t + 8 + rec->len > head) {
			/* cannot happen with the VM's records; never loop on it */
			*t = head;
			return NULL;
		}
		*ts = stamp;
		return rec;
	}
	return NULL;
}

bool btk_rings_nonempty(struct btk_sess *s)
{
	u32 i;

	for (i = 0; i < s->nslots; i++) {
		struct btk_cpu *c = s->cpus[i];

		if (c && smp_load_acquire(&c->ring.head) != READ_ONCE(c->ring.tail))
			return true;
	}
	return false;
}

/*
 * Move whole records, oldest first across the CPUs, into the bounce
 * buffer and then to user space.  Called with read_lock held.
 */
ssize_t btk_rings_read(struct btk_sess *s, char __user *ubuf, size_t len)
{
	size_t cap = min_t(size_t, len, BTK_BOUNCE_SIZE), used = 0;
	u32 i;

	if (!s->bounce || !s->cpus)
		return 0;
	for (;;) {
		struct btk_cpu *best = NULL;
		struct bt_rec *brec = NULL;
		u64 bts = 0, bt = 0;

		for (i = 0; i < s->nslots; i++) {
			struct btk_cpu *c = s->cpus[i];
			struct bt_rec *rec;
			u64 head, t, ts;

			if (!c)
				continue;
			head = smp_load_acquire(&c->ring.head);
			t = c->ring.tail;
			rec = ring_peek(&c->ring, head, &t, &ts);
			if (t != c->ring.tail && !rec)
				smp_store_release(&c->ring.tail, t);
			if (rec && (!best || ts < bts)) {
				best = c;
				brec = rec;
				bts = ts;
				bt = t;
			}
		}
		if (!best)
			break;
		if (used + brec->len > cap) {
			if (!used)
				return -EINVAL;	/* the buffer cannot take one record */
			break;
		}
		memcpy(s->bounce + used, brec, brec->len);
		used += brec->len;
		smp_store_release(&best->ring.tail, bt + 8 + brec->len);
	}
	if (used && wq_has_sleeper(&s->space_wq))
		wake_up(&s->space_wq);
	if (used && copy_to_user(ubuf, s->bounce, used))
		return -EFAULT;
	return used;
}

/* An ERROR record with no source location, from the host itself. */
void btk_emit_error(struct btk_cpu *c, const char *msg)
{
	bt_vm_emit_text(c->ctx, BT_REC_ERROR, BT_REC_NOPC, msg);
}

/* ------------------------------------------------------------------ */
/* exit()                                                             */
/* ------------------------------------------------------------------ */

void bt_host_exit(struct bt_ctx *ctx)
{
	struct btk_cpu *c = ctx->host;

	btk_request_exit(c->sess, false);
}

/* ------------------------------------------------------------------ */
/* Memory                                                             */
/* ------------------------------------------------------------------ */

int bt_host_read_kernel(struct bt_ctx *ctx, void *dst, uint64_t addr,
			uint32_t len)
{
	if (len > BT_MEMDUMP_MAX ||
	    copy_from_kernel_nofault(dst, (const void *)(unsigned long)addr, len)) {
		bt_ctx_failf(ctx, "kernel read fault at 0x%llx [man error::fault]",
			     (unsigned long long)addr);
		return -1;
	}
	return 0;
}

/* SystemTap's clamp_t(int64_t, n + 1, lo, hi), without overflow at n + 1. */
static u32 str_len_arg(int64_t n, u32 lo, u32 hi)
{
	if (n < 0 || n >= (int64_t)hi)
		return n < 0 ? lo : hi;
	return clamp_t(u32, (u32)n + 1, lo, hi);
}

/*
 * strncpy_from_{kernel,user}_nofault() are not exported to modules, so:
 * copy in chunks that never cross a page (a chunk is all readable or not
 * at all), stopping at the first NUL.  Returns the length copied (dst is
 * NUL-terminated, at most len - 1 bytes), or -EFAULT when a byte before
 * the NUL cannot be read.
 */
static long str_nofault(char *dst, unsigned long src, u32 len, bool user)
{
	u32 n = 0;

	while (n + 1 < len) {
		unsigned long at = src + n;
		u32 chunk = min_t(u32, len - 1 - n, PAGE_SIZE - (at & (PAGE_SIZE - 1)));
		const char *nul;
		long rc;

		chunk = min_t(u32, chunk, 64);
		if (user)
			rc = copy_from_user_nofault(dst + n, (const void __user *)at, chunk);
		else
			rc = copy_from_kernel_nofault(dst + n, (const void *)at, chunk);
		if (rc) {
			dst[n] = 0;
			return -EFAULT;
		}
		nul = memchr(dst + n, 0, chunk);
		if (nul)
			return nul - dst;
		n += chunk;
	}
	dst[n] = 0;
	return n;
}

static int kstring(struct bt_ctx *ctx, int64_t addr, u32 len, char *dst)
{
	if (str_nofault(dst, (unsigned long)addr, len, false) < 0) {
		dst[0] = 0;
		bt_ctx_failf(ctx, "kernel string copy fault at 0x%llx [man error::fault]",
			     (unsigned long long)addr);
		return -1;
	}
	return 0;
}

static int ustring(struct bt_ctx *ctx, int64_t addr, u32 len, char *dst)
{
	long rc = str_nofault(dst, (unsigned long)addr, len, true);

	if (rc < 0) {
		strscpy(dst, "<unknown>", len);
		bt_ctx_failf(ctx, "user string copy fault %lld at 0x%llx [man error::fault]",
			     (long long)rc, (unsigned long long)addr);
		return -1;
	}
	return 0;
}

static int kread(struct bt_ctx *ctx, int64_t addr, void *v, size_t n,
		       const char *what)
{
	if (copy_from_kernel_nofault(v, (const void *)(unsigned long)addr, n)) {
		bt_ctx_failf(ctx, "kernel %s copy fault at 0x%llx [man error::fault]",
			     what, (unsigned long long)addr);
		return -1;
	}
	return 0;
}

/* user_long() and friends return 0 when the read faults (no error). */
static int64_t user_read(int64_t addr, size_t n)
{
	union { s64 l; s32 i; s16 s; s8 c; } v = { 0 };

	if (copy_from_user_nofault(&v, (const void __user *)(unsigned long)addr, n))
		return 0;
	switch (n) {
	case 1: return v.c;
	case 2: return v.s;
	case 4: return v.i;
	default: return v.l;
	}
}

/* ------------------------------------------------------------------ */
/* Builtins                                                           */
/* ------------------------------------------------------------------ */

static void copy_str(char *dst, u32 cap, const char *src, size_t max)
{
	size_t n = 0;

	if (!cap)
		return;
	while (n + 1 < cap && n < max && src[n]) {
		dst[n] = READ_ONCE(src[n]);
		n++;
	}
	dst[n] = 0;
}

static void probefunc(struct btk_cpu *c, char *sret, u32 cap)
{
	struct pt_regs *regs = c->regs;

	if (c->att) {
		copy_str(sret, cap, c->att->name, sizeof(c->att->name));
		return;
	}
	if (c->kind == BT_PROBE_PROFILE && regs && !user_mode(regs)) {
		sprint_symbol_no_offset(c->symbuf, instruction_pointer(regs));
		copy_str(sret, cap, c->symbuf, sizeof(c->symbuf));
		return;
	}
	copy_str(sret, cap, "", 1);
}

int bt_host_builtin(struct bt_ctx *ctx, unsigned int id,
		    const int64_t *iargs, const char *const *sargs,
		    int64_t *iret, char *sret, uint32_t sret_cap)
{
	struct btk_cpu *c = ctx->host;
	u32 slen = ctx->slen;
	union { s64 l; s32 i; s16 s; s8 c; } v;

	switch (id) {
	case BT_B_PID:
		*iret = task_tgid_nr(current);
		return 0;
	case BT_B_TID:
		*iret = task_pid_nr(current);
		return 0;
	case BT_B_PPID:
		rcu_read_lock();
		*iret = task_tgid_nr(rcu_dereference(current->real_parent));
		rcu_read_unlock();
		return 0;
	case BT_B_UID:
		*iret = from_kuid_munged(current_user_ns(), current_uid());
		return 0;
	case BT_B_EUID:
		*iret = from_kuid_munged(current_user_ns(), current_euid());
		return 0;
	case BT_B_GID:
		*iret = from_kgid_munged(current_user_ns(), current_gid());
		return 0;
	case BT_B_EGID:
		*iret = from_kgid_munged(current_user_ns(), current_egid());
		return 0;
	case BT_B_EXECNAME:
		if (likely(sret_cap >= TASK_COMM_LEN)) {
			/* comm may change under us, but always ends in NUL */
			memcpy(sret, current->comm, TASK_COMM_LEN);
			sret[TASK_COMM_LEN - 1] = 0;
		} else {
			copy_str(sret, sret_cap, current->comm, TASK_COMM_LEN);
		}
		return 0;
	case BT_B_CPU:
		*iret = raw_smp_processor_id();
		return 0;
	case BT_B_TARGET:
		*iret = c->sess->target;
		return 0;
	case BT_B_PROBEFUNC:
		probefunc(c, sret, sret_cap);
		return 0;
	case BT_B_RETURNVAL:
		if (!c->regs) {
			bt_ctx_failf(ctx, "returnval() not defined in this context %s",
				     bt_ctx_pp(ctx));
			return -1;
		}
		*iret = (s64)regs_return_value(c->regs);
		return 0;
	case BT_B_GETTIMEOFDAY_S:
		*iret = div_u64(ktime_get_real_fast_ns(), NSEC_PER_SEC);
		return 0;
	case BT_B_GETTIMEOFDAY_MS:
		*iret = div_u64(ktime_get_real_fast_ns(), NSEC_PER_MSEC);
		return 0;
	case BT_B_GETTIMEOFDAY_US:
		*iret = div_u64(ktime_get_real_fast_ns(), NSEC_PER_USEC);
		return 0;
	case BT_B_GETTIMEOFDAY_NS:
		*iret = ktime_get_real_fast_ns();
		return 0;
	case BT_B_LOCAL_CLOCK_NS:
		*iret = local_clock();
		return 0;
	case BT_B_LOCAL_CLOCK_US:
		*iret = div_u64(local_clock(), NSEC_PER_USEC);
		return 0;
	case BT_B_LOCAL_CLOCK_MS:
		*iret = div_u64(local_clock(), NSEC_PER_MSEC);
		return 0;
	case BT_B_LOCAL_CLOCK_S:
		*iret = div_u64(local_clock(), NSEC_PER_SEC);
		return 0;
	case BT_B_JIFFIES:
		*iret = jiffies;
		return 0;
	case BT_B_HZ:
		*iret = HZ;
		return 0;
	case BT_B_KERNEL_STRING:
		return kstring(ctx, iargs[0], min(slen, sret_cap), sret);
	case BT_B_KERNEL_STRING_N:
		return kstring(ctx, iargs[0],
				     min(str_len_arg(iargs[1], 1, slen), sret_cap), sret);
	case BT_B_USER_STRING:
		return ustring(ctx, iargs[0],
				   min(str_len_arg(slen, 1, slen - 1), sret_cap), sret);
	case BT_B_USER_STRING_N:
		return ustring(ctx, iargs[0],
				   min(str_len_arg(iargs[1], 1, slen - 1), sret_cap), sret);
	case BT_B_KERNEL_LONG:
		if (kread(ctx, iargs[0], &v.l, 8, "long"))
			return -1;
		*iret = v.l;
		return 0;
	case BT_B_KERNEL_INT:
		if (kread(ctx, iargs[0], &v.i, 4, "int"))
			return -1;
		*iret = v.i;
		return 0;
	case BT_B_KERNEL_SHORT:
		if (kread(ctx, iargs[0], &v.s, 2, "short"))
			return -1;
		*iret = v.s;
		return 0;
	case BT_B_KERNEL_CHAR:
		if (kread(ctx, iargs[0], &v.c, 1, "char"))
			return -1;
		*iret = v.c;
		return 0;
	case BT_B_KERNEL_POINTER:
		if (kread(ctx, iargs[0], &v.l, sizeof(void *), "pointer"))
			return -1;
		*iret = (s64)(unsigned long)v.l;
		return 0;
	case BT_B_USER_LONG:
		*iret = user_read(iargs[0], sizeof(long));
		return 0;
	case BT_B_USER_INT:
		*iret = user_read(iargs[0], 4);
		return 0;
	case BT_B_USER_SHORT:
		*iret = user_read(iargs[0], 2);
		return 0;
	case BT_B_USER_CHAR:
		*iret = user_read(iargs[0], 1);
		return 0;
	default:
		break;
	}
	if (id < BT_B__COUNT)
		bt_ctx_failf(ctx, "%s() is not available in the kernel runtime",
			     bt_builtin_info[id].name);
	else
		bt_ctx_fail(ctx, "unknown builtin");
	return -1;
}
