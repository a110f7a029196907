/*
 * rt_user.c - the user runtime, and the VM host (bt_host.h) for it.
 *
 * The session runs as SystemTap's does: globals initialised, begin probes
 * in begin(N) order, then timers until exit(), Ctrl-C, -T or the end of
 * the -c command; then the end probes (or, after an error, the error
 * probes), the display of write-only globals, and the closing warning
 * when anything went wrong.  The host is single-threaded: one VM context,
 * one "CPU".
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "kallsyms.h"
#include "output.h"
#include "probes/probes.h"
#include "rt_common.h"
#include "rt_user.h"
#include "timing.h"
#include "util.h"
#include "bt_builtin.h"
#include "bt_host.h"
#include "bt_policy.h"
#include "bt_vm.h"

#define OUTBUF_SIZE (256u << 10)

struct timer {
	uint32_t probe;
	uint64_t period, jitter;
	uint64_t next;		/* CLOCK_MONOTONIC ns */
};

struct rt {
	const struct bt_prog *prog;
	const struct options *o;
	struct bt_session *sess;
	size_t sess_size;
	struct bt_ctx *ctx;
	struct output *out;
	uint8_t *buf;		/* output records not yet formatted */
	size_t used;
	char comm[32];
	int exit_requested;
	int failed;		/* the session is in the error state */
	int aborted;
	pid_t child;
	pid_t target;		/* target(): -x PID, or the -c command */
	int release_fd;		/* -c: closing it lets the command exec */
	uint64_t seed;
	struct bt_stat *ptime;	/* -t: [nprobes] handler times, ns */
	struct bt_stat_shape ptime_shape;
};

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static uint64_t real_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int probe_is_user(const struct bt_probe_decl *p)
{
	switch (p->kind) {
	case BT_PROBE_BEGIN: case BT_PROBE_END: case BT_PROBE_ERROR:
	case BT_PROBE_NEVER: case BT_PROBE_TIMER:
		return 1;
	default:
		return 0;
	}
}

bool rt_user_can_run(const struct bt_prog *prog, const struct bt_probe_decl **bad)
{
	uint32_t i;

	for (i = 0; i < prog->nprobes; i++) {
		if (!probe_is_user(&prog->probes[i])) {
			if (bad)
				*bad = &prog->probes[i];
			return false;
		}
	}
	return true;
}

/* --- the host interface ---------------------------------------------------- */

static void flush_output(struct rt *rt)
{
	if (rt->used)
		output_records(rt->out, rt->buf, rt->used);
	rt->used = 0;
}

void *bt_host_out_reserve(struct bt_ctx *ctx, uint32_t len)
{
	struct rt *rt = ctx->host;
	void *p;

	if (rt->used + len > OUTBUF_SIZE)
		flush_output(rt);
	if (len > OUTBUF_SIZE)
		return NULL;
	p = rt->buf + rt->used;
	rt->used += len;
	return p;
}

void bt_host_out_commit(struct bt_ctx *ctx, void *rec)
{
	/* single-threaded: a reserved record is complete when the VM is done */
}

void bt_host_exit(struct bt_ctx *ctx)
{
	struct rt *rt = ctx->host;

	rt->exit_requested = 1;
}

/* MAXACTION bounds a hit here; user space has no CPU to starve. */
int bt_host_overtime(struct bt_ctx *ctx)
{
	return 0;
}

int bt_host_read_kernel(struct bt_ctx *ctx, void *dst, uint64_t addr,
			uint32_t len)
{
	bt_ctx_failf(ctx, "kernel memory at 0x%llx is not readable in the user runtime",
		     (unsigned long long)addr);
	return -1;
}

static void copy_str(char *dst, uint32_t cap, const char *src)
{
	size_t n = strlen(src);

	if (!cap)
		return;
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = 0;
}

int bt_host_builtin(struct bt_ctx *ctx, unsigned int id,
		    const int64_t *iargs, const char *const *sargs,
		    int64_t *iret, char *sret, uint32_t sret_cap)
{
	struct rt *rt = ctx->host;
	struct timespec ts;

	switch (id) {
	case BT_B_PID: *iret = getpid(); return 0;
	case BT_B_TID: *iret = syscall(SYS_gettid); return 0;
	case BT_B_PPID: *iret = getppid(); return 0;
	case BT_B_UID: *iret = getuid(); return 0;
	case BT_B_EUID: *iret = geteuid(); return 0;
	case BT_B_GID: *iret = getgid(); return 0;
	case BT_B_EGID: *iret = getegid(); return 0;
	case BT_B_CPU: *iret = sched_getcpu() < 0 ? 0 : sched_getcpu(); return 0;
	case BT_B_TARGET: *iret = rt->target; return 0;
	case BT_B_EXECNAME: copy_str(sret, sret_cap, rt->comm); return 0;
	case BT_B_PROBEFUNC: copy_str(sret, sret_cap, ""); return 0;
	case BT_B_GETTIMEOFDAY_S: *iret = real_ns() / 1000000000ull; return 0;
	case BT_B_GETTIMEOFDAY_MS: *iret = real_ns() / 1000000ull; return 0;
	case BT_B_GETTIMEOFDAY_US: *iret = real_ns() / 1000ull; return 0;
	case BT_B_GETTIMEOFDAY_NS: *iret = real_ns(); return 0;
	case BT_B_LOCAL_CLOCK_NS: *iret = mono_ns(); return 0;
	case BT_B_LOCAL_CLOCK_US: *iret = mono_ns() / 1000ull; return 0;
	case BT_B_LOCAL_CLOCK_MS: *iret = mono_ns() / 1000000ull; return 0;
	case BT_B_LOCAL_CLOCK_S: *iret = mono_ns() / 1000000000ull; return 0;
	case BT_B_HZ: *iret = PROBE_HZ; return 0;
	case BT_B_JIFFIES:
		clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
		*iret = ((uint64_t)ts.tv_sec * PROBE_NS_PER_SEC + ts.tv_nsec) /
			PROBE_NS_PER_JIFFY;
		return 0;
	case BT_B_INT_ARG: case BT_B_UINT_ARG: case BT_B_LONG_ARG:
	case BT_B_ULONG_ARG: case BT_B_POINTER_ARG: case BT_B_S32_ARG:
	case BT_B_U32_ARG: case BT_B_S64_ARG: case BT_B_U64_ARG:
		/* no probe of the user runtime has registers, as in stap's begin */
		bt_ctx_fail(ctx, "cannot access function args in this context");
		return -1;
	case BT_B_REGISTER: case BT_B_U_REGISTER:
		bt_ctx_fail(ctx, "cannot access CPU registers in this context");
		return -1;
	/*
	 * No probe here has a kernel stack: the frames are none, as in the
	 * kernel runtime's begin probes (bt_builtin.h).  Symbols come from
	 * /proc/kallsyms, so symname() / symdata() still name addresses.
	 */
	case BT_B_CALLER_ADDR: *iret = 0; return 0;
	case BT_B_CALLER: copy_str(sret, sret_cap, "0x0 0x0"); return 0;
	case BT_B_BACKTRACE: case BT_B_SPRINT_BACKTRACE: copy_str(sret, sret_cap, ""); return 0;
	case BT_B_PRINT_BACKTRACE: return 0;
	case BT_B_SYMNAME:
		ksym_format(sret, sret_cap, (uint64_t)iargs[0], KSYM_NAME);
		return 0;
	case BT_B_SYMDATA:
		ksym_format(sret, sret_cap, (uint64_t)iargs[0], KSYM_DATA);
		return 0;
	default:
		break;
	}
	if (id < BT_B__COUNT)
		bt_ctx_failf(ctx, "%s() is not available in the user runtime (try --runtime=kernel)",
			     bt_builtin_info[id].name);
	else
		bt_ctx_fail(ctx, "unknown builtin");
	return -1;
}

/* --- running probes --------------------------------------------------------- */

static void run_probe(struct rt *rt, uint32_t p)
{
	int rc;

	if (rt->aborted)
		return;
	if (rt->ptime) {
		uint64_t t0 = mono_ns();

		rc = bt_run_probe(rt->ctx, p);
		bt_stat_add(&rt->ptime_shape, &rt->ptime[p],
			    (int64_t)(mono_ns() - t0));
	} else {
		rc = bt_run_probe(rt->ctx, p);
	}
	flush_output(rt);
	switch (bt_run_outcome(rt->sess, rc)) {
	case BT_OUTCOME_ERROR: rt->failed = 1; break;
	case BT_OUTCOME_ABORT: rt->aborted = 1; break;
	case BT_OUTCOME_GO_ON: break;
	}
}

/* Run every probe of one kind, in the core's order (bt_policy.h). */
static void run_kind(struct rt *rt, uint16_t kind)
{
	const struct bt_prog *prog = rt->prog;
	uint32_t *idx = xmalloc((prog->nprobes + 1) * sizeof(*idx));
	uint32_t n = bt_probe_order(prog, kind, idx), i;

	for (i = 0; i < n; i++) {
		if (!bt_phase_goes_on(kind, rt->exit_requested, rt->failed, rt->aborted))
			break;
		run_probe(rt, idx[i]);
	}
	free(idx);
}

static uint64_t xorshift(uint64_t *seed)
{
	*seed ^= *seed << 13;
	*seed ^= *seed >> 7;
	*seed ^= *seed << 17;
	return *seed;
}

static uint64_t jittered(struct rt *rt, const struct timer *t)
{
	return bt_timer_next(t->period, t->jitter, t->jitter ? xorshift(&rt->seed) : 0);
}

/*
 * -c CMD: fork it now, so target() is its pid already in begin probes, but
 * let it exec only once the begin probes have run, as SystemTap does.
 */
static void fork_command(struct rt *rt)
{
	pid_t pid = rt_fork_command(rt->o->command, &rt->release_fd);

	if (pid > 0) {
		rt->child = pid;
		rt->target = pid;
	}
}

/* Timers and waiting, until something ends the session. */
static void main_loop(struct rt *rt, struct timer *timers, uint32_t ntimers)
{
	uint64_t end = rt->o->timeout > 0 ?
		       mono_ns() + (uint64_t)(rt->o->timeout * 1e9) : 0;
	sigset_t none;

	sigemptyset(&none);
	for (;;) {
		uint64_t now = mono_ns(), next = UINT64_MAX;
		struct timespec wait;
		uint32_t i;

		if (rt->exit_requested || rt->failed || rt->aborted || rt_signal)
			return;
		if (rt->child > 0 && waitpid(rt->child, NULL, WNOHANG) == rt->child) {
			rt->child = 0;
			return;
		}
		if (end && now >= end)
			return;
		for (i = 0; i < ntimers; i++) {
			if (timers[i].next <= now) {
				run_probe(rt, timers[i].probe);
				timers[i].next += jittered(rt, &timers[i]);
				if (timers[i].next <= now)	/* fell behind: skip ahead */
					timers[i].next = now + jittered(rt, &timers[i]);
				if (rt->exit_requested || rt->failed || rt->aborted)
					return;
			}
			if (timers[i].next < next)
				next = timers[i].next;
		}
		if (end && end < next)
			next = end;
		if (rt->child > 0 && next > now + 10000000ull)
			next = now + 10000000ull;	/* poll the child every 10 ms */
		fflush(stdout);
		now = mono_ns();
		if (next == UINT64_MAX) {
			/* nothing scheduled: wait for a signal */
			ppoll(NULL, 0, NULL, &none);
			continue;
		}
		if (next <= now)
			continue;
		wait.tv_sec = (next - now) / 1000000000ull;
		wait.tv_nsec = (next - now) % 1000000000ull;
		ppoll(NULL, 0, &wait, &none);
	}
}

/*
 * The session's memory: fresh zero pages from mmap, so a large map costs
 * nothing until used, and huge pages where the kernel offers them, since
 * big maps are walked like arrays.
 */
static void *zeroed_region(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (size >= (2u << 20))
		madvise(p, size, MADV_HUGEPAGE);
	return p;
}

static int setup(struct rt *rt)
{
	size_t ssize = bt_session_size(rt->prog, 1), csize;
	FILE *f;

	if (!ssize) {
		fputs("ERROR: the script's maps are too large for memory\n", stderr);
		return -1;
	}
	rt->sess = zeroed_region(ssize);
	if (!rt->sess) {
		fputs("ERROR: out of memory for the session\n", stderr);
		return -1;
	}
	rt->sess_size = ssize;
	if (bt_session_init(rt->sess, ssize, rt->prog, 1) != 0) {
		fputs("ERROR: cannot set up the session\n", stderr);
		return -1;
	}
	csize = bt_ctx_size(rt->prog);
	rt->ctx = aligned_alloc(64, (csize + 63) & ~(size_t)63);
	if (!rt->ctx)
		return -1;
	memset(rt->ctx, 0, csize);
	if (bt_ctx_init(rt->ctx, csize, rt->sess, 0, rt) != 0) {
		fputs("ERROR: cannot set up the VM context\n", stderr);
		return -1;
	}
	rt->seed = mono_ns() ^ ((uint64_t)getpid() << 32) ^ 0x9e3779b97f4a7c15ull;
	bt_ctx_seed(rt->ctx, rt->seed);
	rt->buf = xmalloc(OUTBUF_SIZE);
	rt->out = output_new(rt->prog, stdout, stderr);
	strcpy(rt->comm, "bytetap");
	f = fopen("/proc/self/comm", "r");
	if (f) {
		if (fgets(rt->comm, sizeof(rt->comm), f))
			rt->comm[strcspn(rt->comm, "\n")] = 0;
		fclose(f);
	}
	return 0;
}

/* -t: stap's report after the end probes, into the script's output. */
static void report_timing(struct rt *rt)
{
	struct probe_time *t = xcalloc(rt->prog->nprobes + 1, sizeof(*t));
	struct bt_stat_shape shape;
	uint32_t i;

	timing_shape(&shape);
	for (i = 0; i < rt->prog->nprobes; i++) {
		const struct bt_stat *part = &rt->ptime[i];
		struct bt_stat merged;

		/* one "CPU", merged as stap's _stp_stat_get() merges */
		bt_stat_merge_scalar(&shape, &merged, &part, 1);
		timing_from_stat(&t[i], &merged);
	}
	timing_report(stdout, rt->prog, rt->o, t, false);
	free(t);
}

int rt_user_run(const struct bt_prog *prog, const struct options *o)
{
	const struct bt_probe_decl *bad;
	struct rt rt = { .prog = prog, .o = o, .target = o->target, .release_fd = -1 };
	struct timer *timers;
	uint32_t ntimers = 0, i;
	char warn[128];
	int status;

	if (!rt_user_can_run(prog, &bad)) {
		fprintf(stderr, "ERROR: probe point %s needs the kernel runtime "
			"(run without --runtime=user, as root)\n",
			bt_prog_str(prog, bad->point));
		return 1;
	}
	if (o->output_file && !freopen(o->output_file, "w", stdout)) {
		fprintf(stderr, "ERROR: cannot open %s: %s\n", o->output_file, strerror(errno));
		return 1;
	}
	if (setup(&rt) != 0)
		return 1;
	if (o->timing) {
		timing_shape(&rt.ptime_shape);
		rt.ptime = xcalloc(prog->nprobes + 1, sizeof(*rt.ptime));
		for (i = 0; i < prog->nprobes; i++)
			bt_stat_clear(&rt.ptime_shape, &rt.ptime[i]);
	}

	rt_catch_signals();

	timers = xcalloc(prog->nprobes + 1, sizeof(*timers));
	if (o->command)
		fork_command(&rt);
	run_kind(&rt, BT_PROBE_BEGIN);
	/* the command runs only if the begin probes did not end the session */
	rt_release_command(&rt.release_fd, !rt.exit_requested && !rt.failed);
	for (i = 0; i < prog->nprobes; i++) {
		if (prog->probes[i].kind != BT_PROBE_TIMER)
			continue;
		timers[ntimers].probe = i;
		timers[ntimers].period = prog->probes[i].period_ns;
		timers[ntimers].jitter = prog->probes[i].randomize_ns;
		timers[ntimers].next = mono_ns() + jittered(&rt, &timers[ntimers]);
		ntimers++;
	}
	main_loop(&rt, timers, ntimers);
	run_kind(&rt, bt_final_kind(rt.failed));
	flush_output(&rt);
	if (rt.ptime)
		report_timing(&rt);
	fflush(stdout);
	if (rt.child > 0) {
		kill(rt.child, SIGTERM);
		waitpid(rt.child, NULL, 0);
	}
	if (bt_session_final_warning(rt.sess, warn, sizeof(warn)))
		fprintf(stderr, "%s\n", warn);
	status = rt.sess->error_count ? 1 : 0;
	if (status)
		fputs("Pass 5: run failed.  [man error::pass5]\n", stderr);
	output_free(rt.out);
	free(rt.buf);
	free(rt.ctx);
	munmap(rt.sess, rt.sess_size);
	free(timers);
	free(rt.ptime);
	return status;
}
