// SPDX-License-Identifier: GPL-2.0
/*
 * host.c - the VM's kernel host (bytecode/bt_host.h) but for output
 * (ring.c): the hit's time guard, the verifier's allocations, exit(),
 * never-faulting memory reads and the context builtins (pid, execname,
 * arguments, backtraces, ...).
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
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/stacktrace.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/jiffies.h>
#include <linux/ptrace.h>
#ifdef CONFIG_X86
#include <asm/unwind.h>
#endif

#include "bytetap.h"
#include "bt_builtin.h"
#include "bt_host.h"
#include "bt_record.h"

/* ------------------------------------------------------------------ */
/* The hit's time guard                                               */
/* ------------------------------------------------------------------ */

/*
 * Called by the VM every BT_WORK_QUANTUM units of work (bt_vm.h).  The
 * first call of a hit starts the clock, so that the hits that never get
 * that far - nearly all of them - never read it.  A hit in probe context
 * may run max_hit_us; begin, end and error probes (process context,
 * inside START and STOP) ten times that, giving the CPU away at every
 * check, and a fatal signal ends them.  This is the safety net under the
 * overload guard: STP_NO_OVERLOAD turns that off, never this.  Too long
 * ends the session with an error.
 *
 * The clock is ktime_get_mono_fast_ns(), which reads the clocksource.
 * local_clock() would not do: where the TSC is unstable (marked so at
 * boot, or by the clocksource watchdog) it only advances up to one tick
 * past this CPU's last tick, and a hit in probe context runs with the
 * tick held off, so the guard never fired (hits of 9 to 21 s in a 6.1
 * guest whose TSC the kernel found unsynchronized).
 */
int bt_host_overtime(struct bt_ctx *ctx)
{
	struct btk_cpu *c = ctx->host;
	u64 now = ktime_get_mono_fast_ns(), bound;

	if (c->process) {
		cond_resched();
		if (fatal_signal_pending(current)) {
			bt_ctx_fail(ctx, "probe handler interrupted: the front end was killed");
			WRITE_ONCE(c->sess->error_state, 1);
			return 1;
		}
	}
	if (ctx->quanta <= 1) {
		c->hit_start = now;
		return 0;
	}
	bound = (u64)READ_ONCE(btk_max_hit_us) * NSEC_PER_USEC;
	if (c->process)
		bound *= 10;
	if (now - c->hit_start <= bound)
		return 0;
	bt_ctx_failf(ctx, "probe handler ran for more than %llu us (module parameter max_hit_us%s)",
		     (unsigned long long)div_u64(bound, NSEC_PER_USEC),
		     c->process ? " x 10 for begin, end and error probes" : "");
	if (c->process)
		WRITE_ONCE(c->sess->error_state, 1);
	else
		btk_request_exit(c->sess, true);
	return 1;
}

/* ------------------------------------------------------------------ */
/* The verifier's needs (process context, inside LOAD)                */
/* ------------------------------------------------------------------ */

/* Charged to the caller's memory cgroup; a failure refuses the program. */
void *bt_host_verify_alloc(size_t size)
{
	return kvmalloc(size, BTK_GFP);
}

void bt_host_verify_free(void *p)
{
	kvfree(p);
}

/* A long verification gives the CPU away and ends on SIGKILL. */
int bt_host_verify_yield(void)
{
	cond_resched();
	return fatal_signal_pending(current);
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

/*
 * The probed function's arguments and registers (SystemTap's DWARF-less
 * int_arg() family and register(), x86_64 only): the registers saved by
 * a kprobe or kretprobe (at return they no longer hold the arguments,
 * but like SystemTap we read what they hold), or those a timer.profile
 * tick interrupted.  Other probes have none.
 */
static struct pt_regs *probe_regs(struct btk_cpu *c)
{
	if (c->kind != BT_PROBE_KPROBE && c->kind != BT_PROBE_KRETPROBE &&
	    c->kind != BT_PROBE_PROFILE)
		return NULL;
	return c->regs;
}

/*
 * A kernel.trace() probe's argument n (1-based): what the tracepoint
 * passed, as btk_tp_probe() received it (see there for the 12-argument
 * contract).  Narrowed as for kprobes.
 */
static int tp_arg(struct bt_ctx *ctx, struct btk_cpu *c, int64_t n,
		  int width, bool sign, int64_t *iret)
{
	u64 val;

	if (n < 1 || n > BTK_TP_NARGS || !c->tp_args) {
		bt_ctx_failf(ctx, "cannot access arg(%lld): a tracepoint probe has arguments 1..%d",
			     (long long)n, BTK_TP_NARGS);
		return -1;
	}
	val = c->tp_args[n - 1];
	if (width == 4)
		*iret = sign ? (s64)(s32)val : (s64)(u32)val;
	else
		*iret = (s64)val;
	return 0;
}

#ifdef CONFIG_X86_64
/* How each builtin reads an argument: width 4 or 8, sign-extended or not. */
static int probe_arg(struct bt_ctx *ctx, struct btk_cpu *c, int64_t n,
		     int width, bool sign, int64_t *iret)
{
	struct pt_regs *regs = probe_regs(c);
	unsigned long val;

	if (c->kind == BT_PROBE_TRACEPOINT)
		return tp_arg(ctx, c, n, width, sign, iret);
	if (!regs) {
		bt_ctx_fail(ctx, "cannot access function args in this context");
		return -1;
	}
	switch (n) {
	case 1: val = regs->di; break;
	case 2: val = regs->si; break;
	case 3: val = regs->dx; break;
	case 4: val = regs->cx; break;
	case 5: val = regs->r8; break;
	case 6: val = regs->r9; break;
	default:
		/* arguments 7.. are on the kernel stack above the return address */
		if (n < 7 || n > 64 || user_mode(regs)) {
			bt_ctx_failf(ctx, "cannot access arg(%lld)", (long long)n);
			return -1;
		}
		if (copy_from_kernel_nofault(&val, (const void *)(regs->sp + 8 * (n - 6)),
					     sizeof(val))) {
			bt_ctx_failf(ctx, "kernel fault at 0x%llx accessing arg(%lld)",
				     (unsigned long long)(regs->sp + 8 * (n - 6)),
				     (long long)n);
			return -1;
		}
		break;
	}
	if (width == 4)
		*iret = sign ? (s64)(s32)val : (s64)(u32)val;
	else
		*iret = (s64)val;
	return 0;
}

static const struct { const char *name; u16 off; u8 width; } reg_names[] = {
#define R64(n, f) { n, offsetof(struct pt_regs, f), 8 }
#define R32(n, f) { n, offsetof(struct pt_regs, f), 4 }
#define R16(n, f) { n, offsetof(struct pt_regs, f), 2 }
#define R8(n, f, hi) { n, offsetof(struct pt_regs, f) + (hi), 1 }
	R64("rax", ax), R64("rbx", bx), R64("rcx", cx), R64("rdx", dx),
	R64("rsi", si), R64("rdi", di), R64("rbp", bp), R64("rsp", sp),
	R64("r8", r8), R64("r9", r9), R64("r10", r10), R64("r11", r11),
	R64("r12", r12), R64("r13", r13), R64("r14", r14), R64("r15", r15),
	R64("rip", ip), R64("orig_rax", orig_ax), R64("xcs", cs),
	R64("eflags", flags), R64("xss", ss),
	R32("eax", ax), R32("ebx", bx), R32("ecx", cx), R32("edx", dx),
	R32("esi", si), R32("edi", di), R32("ebp", bp), R32("esp", sp),
	R32("eip", ip), R32("orig_eax", orig_ax),
	R16("ax", ax), R16("bx", bx), R16("cx", cx), R16("dx", dx),
	R16("si", si), R16("di", di), R16("bp", bp), R16("sp", sp),
	R16("ip", ip), R16("orig_ax", orig_ax), R16("cs", cs),
	R16("flags", flags), R16("ss", ss),
	R8("al", ax, 0), R8("ah", ax, 1), R8("bl", bx, 0), R8("bh", bx, 1),
	R8("cl", cx, 0), R8("ch", cx, 1), R8("dl", dx, 0), R8("dh", dx, 1),
#undef R64
#undef R32
#undef R16
#undef R8
};

static int probe_register(struct bt_ctx *ctx, struct btk_cpu *c,
			  const char *name, bool sign, int64_t *iret)
{
	struct pt_regs *regs = probe_regs(c);
	size_t i;
	u64 v;

	if (c->kind == BT_PROBE_TRACEPOINT) {
		bt_ctx_fail(ctx, "cannot access CPU registers in a tracepoint probe (no registers are saved; use the *_arg() builtins)");
		return -1;
	}
	if (!regs) {
		bt_ctx_fail(ctx, "cannot access CPU registers in this context");
		return -1;
	}
	for (i = 0; i < ARRAY_SIZE(reg_names); i++)
		if (!strcmp(reg_names[i].name, name))
			break;
	if (i == ARRAY_SIZE(reg_names)) {
		bt_ctx_failf(ctx, "Unknown register: %s", name);
		return -1;
	}
	v = *(const u64 *)((const char *)regs + (reg_names[i].off & ~7u));
	switch (reg_names[i].width) {
	case 1:
		v >>= 8 * (reg_names[i].off & 7);
		*iret = sign ? (s64)(s8)v : (s64)(u8)v;
		break;
	case 2:
		*iret = sign ? (s64)(s16)v : (s64)(u16)v;
		break;
	case 4:
		*iret = sign ? (s64)(s32)v : (s64)(u32)v;
		break;
	default:
		*iret = (s64)v;
		break;
	}
	return 0;
}
#else
static int probe_arg(struct bt_ctx *ctx, struct btk_cpu *c, int64_t n,
		     int width, bool sign, int64_t *iret)
{
	if (c->kind == BT_PROBE_TRACEPOINT)
		return tp_arg(ctx, c, n, width, sign, iret);
	bt_ctx_fail(ctx, "cannot access function args in this context");
	return -1;
}

static int probe_register(struct bt_ctx *ctx, struct btk_cpu *c,
			  const char *name, bool sign, int64_t *iret)
{
	bt_ctx_fail(ctx, "cannot access CPU registers in this context");
	return -1;
}
#endif

/* ------------------------------------------------------------------ */
/* Stacks and symbols: backtrace(), caller(), symname(), ...          */
/* ------------------------------------------------------------------ */

#ifdef CONFIG_X86
/*
 * Unwind from a probe's registers (kernel mode) with the kernel's own
 * unwinder (ORC on the kernels we run on), as arch_stack_walk() does;
 * stack_trace_save_regs() itself is not exported.  unwind_start() with
 * regs steps past the regs frame, so the first address is the return
 * address of the function regs->ip is in.
 */
static u32 unwind_regs(struct pt_regs *regs, u64 *addrs, u32 n, u32 max)
{
	struct unwind_state state;

	for (unwind_start(&state, current, regs, NULL);
	     n < max && !unwind_done(&state); unwind_next_frame(&state)) {
		unsigned long a = unwind_get_return_address(&state);

		if (!a)
			break;
		addrs[n++] = a;
	}
	return n;
}
#else
static u32 unwind_regs(struct pt_regs *regs, u64 *addrs, u32 n, u32 max)
{
	return n;
}
#endif

/*
 * The current stack from the first return address outside this module:
 * for timer.* and kernel.trace() probes, which have no probed registers,
 * this starts at the hrtimer or tracepoint code that called us.
 */
static u32 current_frames(u64 *addrs, u32 max)
{
	unsigned long buf[BT_MAXBACKTRACE + 16];
	unsigned int n = stack_trace_save(buf, ARRAY_SIZE(buf), 0), i = 0;
	u32 k = 0;

	while (i < n && within_module(buf[i], THIS_MODULE))
		i++;
	while (i < n && k < max)
		addrs[k++] = buf[i++];
	return k;
}

/*
 * The probe's kernel stack (bt_builtin.h): frame 0 where the probe
 * stopped - a kprobe's address (regs->ip is past the breakpoint), or in a
 * kretprobe regs->ip, which rethook has set to the real return address -
 * then the unwound return addresses.
 */
static u32 probe_frames(struct btk_cpu *c, u64 *addrs, u32 max)
{
	struct pt_regs *regs = c->regs;

	if (c->process || !max)
		return 0;
	switch (c->kind) {
	case BT_PROBE_KPROBE:
	case BT_PROBE_KRETPROBE:
	case BT_PROBE_PROFILE:
		if (!regs || user_mode(regs))
			return 0;
		if (c->kind == BT_PROBE_KPROBE && c->att)
			addrs[0] = (unsigned long)c->att->kp.addr;
		else
			addrs[0] = instruction_pointer(regs);
		return unwind_regs(regs, addrs, 1, max);
	case BT_PROBE_TIMER:
	case BT_PROBE_TRACEPOINT:
		return current_frames(addrs, max);
	default:
		return 0;
	}
}

/*
 * sprint_symbol() gives "name+0xoff/0xsize", " [mod]" after it for a
 * module's symbol, or "0xaddr" for no symbol.  SystemTap names the kernel
 * image "kernel" and leaves out what a style does not show.
 */
enum sym_style { SYM_NAME, SYM_DATA, SYM_SIMPLE };

static int sym_text(struct btk_cpu *c, char *dst, size_t cap, u64 addr,
		    enum sym_style style)
{
	char *buf = c->symbuf, *mod, *slash;

	if (!cap)
		return 0;
	sprint_symbol(buf, (unsigned long)addr);
	if (buf[0] == '0' && buf[1] == 'x')
		return scnprintf(dst, cap, "%s", buf);
	mod = strstr(buf, " [");
	if (mod)
		*mod++ = 0;
	else
		mod = "[kernel]";
	if (style == SYM_DATA)
		return scnprintf(dst, cap, "%s %s", buf, mod);
	slash = strchr(buf, '/');
	if (slash)
		*slash = 0;
	if (style == SYM_SIMPLE)
		return scnprintf(dst, cap, "%s %s", buf, mod);
	slash = strchr(buf, '+');
	if (slash)
		*slash = 0;
	return scnprintf(dst, cap, "%s", buf);
}

static u64 caller_addr(struct btk_cpu *c)
{
	u64 addrs[2];

	return probe_frames(c, addrs, 2) == 2 ? addrs[1] : 0;
}

/* backtrace(), sprint_backtrace(): cut at the string's end, as stap's */
static void backtrace_str(struct btk_cpu *c, char *dst, u32 cap, bool named)
{
	u64 addrs[BT_MAXBACKTRACE];
	u32 n = probe_frames(c, addrs, BT_MAXBACKTRACE), i;
	size_t len = 0;

	dst[0] = 0;
	for (i = 0; i < n && len + 1 < cap; i++) {
		if (named) {
			len += sym_text(c, dst + len, cap - len, addrs[i], SYM_SIMPLE);
			len += scnprintf(dst + len, cap - len, "\n");
		} else {
			len += scnprintf(dst + len, cap - len, "0x%llx ", addrs[i]);
		}
	}
}

/* print_backtrace(): the addresses go out raw; user space names them. */
static void print_backtrace(struct btk_cpu *c)
{
	u64 addrs[BT_MAXBACKTRACE + 1];
	u32 n, flags = 0;

	if (c->kind == BT_PROBE_KRETPROBE && c->att && !c->process) {
		addrs[0] = (unsigned long)c->att->rp.kp.addr;
		flags = BT_REC_BT_RETURN;
		n = probe_frames(c, addrs + 1, BT_MAXBACKTRACE);
		n = n ? n + 1 : 0;
	} else {
		n = probe_frames(c, addrs, BT_MAXBACKTRACE);
	}
	if (n)
		bt_emit_backtrace(c->ctx, flags, addrs, n);
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
		/* a tracepoint probe has no registers (regs is NULL) */
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
	case BT_B_INT_ARG:
	case BT_B_S32_ARG:
		return probe_arg(ctx, c, iargs[0], 4, true, iret);
	case BT_B_UINT_ARG:
	case BT_B_U32_ARG:
		return probe_arg(ctx, c, iargs[0], 4, false, iret);
	case BT_B_LONG_ARG:
	case BT_B_ULONG_ARG:
	case BT_B_POINTER_ARG:
	case BT_B_S64_ARG:
	case BT_B_U64_ARG:
		return probe_arg(ctx, c, iargs[0], 8, false, iret);
	case BT_B_REGISTER:
		return probe_register(ctx, c, sargs[0], true, iret);
	case BT_B_U_REGISTER:
		return probe_register(ctx, c, sargs[0], false, iret);
	case BT_B_CALLER_ADDR:
		*iret = (s64)caller_addr(c);
		return 0;
	case BT_B_CALLER: {
		u64 a = caller_addr(c);
		int n = sym_text(c, sret, sret_cap, a, SYM_NAME);

		scnprintf(sret + n, sret_cap - n, " 0x%llx", a);
		return 0;
	}
	case BT_B_SYMNAME:
		sym_text(c, sret, sret_cap, (u64)iargs[0], SYM_NAME);
		return 0;
	case BT_B_SYMDATA:
		sym_text(c, sret, sret_cap, (u64)iargs[0], SYM_DATA);
		return 0;
	case BT_B_BACKTRACE:
		backtrace_str(c, sret, sret_cap, false);
		return 0;
	case BT_B_SPRINT_BACKTRACE:
		backtrace_str(c, sret, sret_cap, true);
		return 0;
	case BT_B_PRINT_BACKTRACE:
		print_backtrace(c);
		return 0;
	case BT_B_TASK_CURRENT:
		*iret = (s64)(unsigned long)current;
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
