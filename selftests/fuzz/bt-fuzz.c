/*
 * bt-fuzz.c - the guest fuzzer: programs from the structure-aware
 * generator (gen.c) pushed through /dev/bytetap on every vCPU while a
 * load keeps kprobes, tracepoints and timers firing (doc/fuzzing.md).
 *
 *	bt-fuzz [-n PROGRAMS] [-t SECONDS] [-s SEED] [-j WORKERS] [-m MUTATE%]
 *		[-x CONFLICT%] [-c CONTEXT%] [-N MIN] [-k LEVEL] [-H] [-R] [-v]
 *
 * WORKERS processes (default 4 per vCPU, pinned round-robin: a session
 * mostly waits for RCU grace periods, in STOP and in close), each
 * generating programs from its own seed sequence and running every one as
 * a session: open, LOAD (a 4 KiB ring: sessions stay cheap), ATTACH its
 * kprobes, START, for probe-context programs a few milliseconds of load,
 * STOP, read to EOF, close (some sessions are closed right after LOAD or
 * START instead: close must stop them too).  A niced
 * load generator per vCPU (getpid, write, sched_yield) keeps the probed
 * code busy.  Ends after PROGRAMS programs or SECONDS seconds, whichever
 * comes first, then prints a summary (programs generated, accepted,
 * executed, refusals by kind and by reason) and "ok - fuzz: ..." / "FAIL -
 * fuzz: ..." lines: every well-formed program loads, every program the
 * generator knows to be wrong (gen.h: must_refuse, planted conflicts) is
 * refused, no unexpected errno, no kprobe left, (-R) the module unloads.
 *
 * The emulator problem of selftests/vm/README.md: under TCG, patching
 * kernel text (arming or disarming a kprobe, a tracepoint's first and
 * last probe) while another vCPU runs that code can crash the guest with
 * no bytetap involvement.  So by default kprobes and kretprobes go only
 * on a system call private to one worker (getppid for worker 0, ...),
 * which only that worker calls, and only between its own START and STOP
 * (find_kprobes()); tracepoints are quiet ones that only the workers
 * fire, held registered for the whole run (hold_tracepoints()).  The load
 * generators keep timers, timer.profile and the private probes' code
 * busy on both vCPUs.  -H adds kprobes past the entry of busy functions
 * and the busy tracepoints (system calls, the scheduler, timers), for KVM
 * or real hardware.
 *
 * -k 0/1/2: write no / probe-context / every started
 * program's seed to /dev/kmsg first, so a crash's log names it; -v: print
 * every program's seed.  A program is reproduced on the host with
 * build/unit/vm_survives_generated_programs -d SEED.
 *
 * Static (the guest has no libc): built by selftests/vm/suite.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "bt_ioctl.h"
#include "bt_record.h"
#include "gen.h"
#include "reason.h"
#include "progbuild.h"
#include "../vm/guest_util.h"

#define MAXW		16
#define NREASON		512	/* classes per worker; the last: the rest */
#define NKIND		32
#define REASON_LEN	112
#define MAXKP		24

enum phase { PH_IDLE, PH_GEN, PH_LOAD, PH_ATTACH, PH_START, PH_RUN, PH_STOP,
	     PH_READ, PH_CLOSE, PH_DONE };
static const char *const phase_name[] = {
	"idle", "generating", "LOAD", "ATTACH", "START", "running", "STOP",
	"read", "close", "done",
};

struct reason {
	char text[REASON_LEN];
	uint64_t n;
};

/* One worker's state and tallies, in memory shared with the parent. */
struct wstat {
	uint64_t generated, wellformed, mutated, conflicts, conflicts_refused;
	uint64_t loaded, loaded_mutated, wf_refused, executed, ctx_runs;
	uint64_t attach_ok, attach_fail, start_fail, records, rt_errors;
	uint64_t try_bad_loaded, iter_bad_loaded, locks_bad_loaded, must_refuse;
	uint64_t bad_errno, mapreads, closed_early, wf_attach_fail;
	uint64_t cur_seed, cur_n;
	int phase, done;
	uint64_t phase_ns;
	uint64_t phase_total[PH_DONE + 1];	/* ns spent in each phase */
	char first_fail[240];
	unsigned int nreasons;
	struct reason reasons[NREASON];
	unsigned int nkinds;
	struct reason kinds[NKIND];	/* reason_kind() of every refusal, exact */
};

static struct wstat *ws;
static int nworkers;
static uint64_t run_seed;
static int verbose, kmsg_level = 1;
static struct gen_opts base_opts = { .mutate_pct = 50, .conflict_pct = 5, .ctx_pct = 3 };

/* kprobe points: shared offset ones, and one private entry per worker */
static struct gen_kprobe kps[MAXKP];
static uint64_t kp_addr[MAXKP];
static unsigned int nkps;
static struct gen_kprobe priv_kp[MAXW];
static uint64_t priv_addr[MAXW];
static int priv_nr[MAXW];
static const char *tps[16];
static unsigned int ntps;
static int busy;	/* -H: probes on busy code too (not under TCG) */

static int failures;

static void check(int cond, const char *fmt, ...)
{
	va_list ap;

	printf(cond ? "ok - fuzz: " : "FAIL - fuzz: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!cond)
		failures++;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* --- rejection reasons (reason.h) ---------------------------------------------- */

/* Count text in t (n used of max; when full, the last entry takes the rest). */
static void tally(struct reason *t, unsigned int *n, unsigned int max, const char *text)
{
	unsigned int i;

	for (i = 0; i < *n; i++)
		if (!strcmp(t[i].text, text)) {
			t[i].n++;
			return;
		}
	if (*n == max - 1)
		text = "(other reasons)";
	if (*n < max)
		snprintf(t[(*n)++].text, REASON_LEN, "%s", text);
	t[*n - 1].n++;
}

static void add_reason(struct wstat *st, const char *cls)
{
	tally(st->reasons, &st->nreasons, NREASON, cls);
	tally(st->kinds, &st->nkinds, NKIND, reason_kind(cls));
}

static void note_fail(struct wstat *st, const char *fmt, ...)
{
	va_list ap;

	if (st->first_fail[0])
		return;
	va_start(ap, fmt);
	vsnprintf(st->first_fail, sizeof(st->first_fail), fmt, ap);
	va_end(ap);
}

/* --- one program ----------------------------------------------------------------- */

static void set_phase(struct wstat *st, int ph)
{
	uint64_t now = now_ns();

	if (st->phase_ns)
		st->phase_total[st->phase] += now - st->phase_ns;
	st->phase = ph;
	st->phase_ns = now;
}

static int expected_load_errno(int e)
{
	return e == EINVAL || e == ENOMEM || e == E2BIG || e == ENOENT;
}

/* Records read so far: count them, and the ERROR ones. */
static void count_records(struct wstat *st, const uint8_t *buf, ssize_t n)
{
	ssize_t off = 0;

	while (off + (ssize_t)sizeof(struct bt_rec) <= n) {
		struct bt_rec r;

		memcpy(&r, buf + off, sizeof(r));
		if (r.len < sizeof(r) || off + r.len > n)
			break;
		st->records++;
		if (r.type == BT_REC_ERROR)
			st->rt_errors++;
		off += r.len;
	}
}

static uint8_t rbuf[65536];

static void drain(struct wstat *st, int fd, int to_eof)
{
	int i;

	for (i = 0; i < 1000; i++) {
		ssize_t n = read(fd, rbuf, sizeof(rbuf));

		if (n <= 0) {
			if (n < 0 && errno != EAGAIN && errno != EINTR)
				note_fail(st, "read: %s (seed 0x%llx)", strerror(errno),
					  (unsigned long long)st->cur_seed);
			if (n == 0 || !to_eof || errno != EAGAIN)
				return;
			usleep(1000);
			continue;
		}
		count_records(st, rbuf, n);
	}
}

static void map_read(struct wstat *st, int fd, uint64_t r)
{
	struct bt_ioc_map_read mr = { .size = sizeof(mr) };
	static uint8_t buf[4096];

	mr.space = (uint32_t)(r % 3);
	mr.index = (uint32_t)((r >> 8) % 6);
	mr.buf = (uintptr_t)buf;
	mr.buf_len = (r >> 16) & 1 ? sizeof(buf) : 64;
	st->mapreads++;
	if (ioctl(fd, BT_IOC_MAP_READ, &mr) && errno != EINVAL && errno != ENOSPC &&
	    errno != ENOENT && errno != EBUSY) {
		st->bad_errno++;
		note_fail(st, "MAP_READ: %s (seed 0x%llx)", strerror(errno),
			  (unsigned long long)st->cur_seed);
	}
}

/* What fires the quiet tracepoints, from this worker only. */
static void fire_tracepoints(int w)
{
	static const struct itimerval off;
	char name[16];

	snprintf(name, sizeof(name), "bt-fuzz-w%d", w);
	prctl(PR_SET_NAME, name);		/* task_rename */
	setitimer(ITIMER_REAL, &off, NULL);	/* itimer_state */
	kill(getpid(), SIGURG);			/* signal_generate (ignored) */
}

/* A few milliseconds of what the probes watch, from this worker. */
static void load_burst(int w, uint64_t ms, int fd, uint64_t r)
{
	uint64_t end = now_ns() + ms * 1000000ull;
	int devnull = open("/dev/null", O_WRONLY), i = 0;

	while (now_ns() < end) {
		syscall(SYS_getpid);
		if (priv_nr[w] >= 0)
			syscall(priv_nr[w], 0);
		if (write(devnull, "x", 1) < 0)
			break;
		if (++i % 64 == 0) {
			fire_tracepoints(w);
			sched_yield();
			if ((r >> (i / 64 % 48)) & 1)
				map_read(&ws[w], fd, r >> 3);
		}
	}
	close(devnull);
}

static int do_attach(struct wstat *st, int fd, const struct gen_out *out, int w)
{
	struct bt_ioc_probe e[GEN_MAX_ATTACH];
	struct bt_ioc_attach at = { .size = sizeof(at) };
	char log[256] = "", cls[REASON_LEN];
	unsigned int i, n = 0;

	memset(e, 0, sizeof(e));
	for (i = 0; i < out->nattach; i++) {
		unsigned int k = out->attach[i].kp;
		const struct gen_kprobe *kp = k < nkps ? &kps[k] : &priv_kp[w];

		e[n].probe = out->attach[i].probe;
		e[n].addr = (k < nkps ? kp_addr[k] : priv_addr[w]) + kp->offset;
		snprintf(e[n].symbol, sizeof(e[n].symbol), "%s", kp->symbol);
		n++;
	}
	at.probes = (uintptr_t)e;
	at.nprobes = n;
	at.probe_size = sizeof(e[0]);
	at.log_buf = (uintptr_t)log;
	at.log_size = sizeof(log);
	if (ioctl(fd, BT_IOC_ATTACH, &at) == 0) {
		st->attach_ok++;
		return 0;
	}
	st->attach_fail++;
	snprintf(cls, sizeof(cls), "ATTACH: ");
	reason_class(log, errno, cls + 8, sizeof(cls) - 8);
	add_reason(st, cls);
	if (!out->mutated)
		st->wf_attach_fail++;
	if (!out->mutated)
		note_fail(st, "ATTACH of a well-formed program: %s: %s (seed 0x%llx)",
			  strerror(errno), log, (unsigned long long)st->cur_seed);
	return -1;
}

static void kmsg(int w, const struct gen_out *out)
{
	char line[128];
	int fd, n;

	if (kmsg_level == 0 || (kmsg_level == 1 && !out->ctx))
		return;
	fd = open("/dev/kmsg", O_WRONLY);
	if (fd < 0)
		return;
	n = snprintf(line, sizeof(line), "<6>bt-fuzz: w%d #%llu seed 0x%llx%s\n", w,
		     (unsigned long long)ws[w].cur_n, (unsigned long long)ws[w].cur_seed,
		     out->ctx ? " (probe context)" : "");
	if (write(fd, line, n) < 0)
		n = 0;
	close(fd);
}

static void run_one(int w, const struct gen_opts *o, uint64_t seed)
{
	struct wstat *st = &ws[w];
	struct bt_ioc_load ld = { .size = sizeof(ld) };
	struct bt_ioc_start sa = { .size = sizeof(sa) };
	struct bt_ioc_stop so = { .size = sizeof(so) };
	struct gen_out out;
	char log[256] = "", cls[REASON_LEN];
	uint64_t r = seed * 0x9e3779b97f4a7c15ull;
	int fd;

	st->cur_seed = seed;
	set_phase(st, PH_GEN);
	if (verbose)
		printf("# w%d #%llu seed 0x%llx\n", w, (unsigned long long)st->cur_n,
		       (unsigned long long)seed), fflush(stdout);
	if (gen_program(seed, o, &out)) {
		note_fail(st, "the generator failed on seed 0x%llx", (unsigned long long)seed);
		return;
	}
	st->generated++;
	st->conflicts += !!out.conflict;
	st->must_refuse += out.must_refuse;
	if (out.mutated)
		st->mutated++;
	else
		st->wellformed++;
	fd = open("/dev/bytetap", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		note_fail(st, "open /dev/bytetap: %s", strerror(errno));
		st->bad_errno++;
		gen_out_free(&out);
		return;
	}
	set_phase(st, PH_LOAD);
	ld.blob = (uintptr_t)out.blob;
	ld.blob_len = (uint32_t)out.size;
	ld.ring_size = 4096;
	ld.log_buf = (uintptr_t)log;
	ld.log_size = sizeof(log);
	if (ioctl(fd, BT_IOC_LOAD, &ld)) {
		int e = errno;

		reason_class(log, e, cls, sizeof(cls));
		add_reason(st, cls);
		if (out.conflict && e == EINVAL && strstr(log, out.expect))
			st->conflicts_refused++;
		else if (out.conflict)
			note_fail(st, "a planted state conflict (%s) refused for another reason: %s: %s (seed 0x%llx)",
				  out.conflict, strerror(e), log, (unsigned long long)seed);
		if (!expected_load_errno(e)) {
			st->bad_errno++;
			note_fail(st, "LOAD: errno %s: %s (seed 0x%llx)", strerror(e), log,
				  (unsigned long long)seed);
		}
		if (!out.mutated) {
			st->wf_refused++;
			note_fail(st, "LOAD refused a well-formed program: %s: %s (seed 0x%llx)",
				  strerror(e), log, (unsigned long long)seed);
		}
		goto out;
	}
	st->loaded++;
	st->loaded_mutated += out.mutated;
	st->try_bad_loaded += out.try_bad;
	st->iter_bad_loaded += out.iter_bad;
	st->locks_bad_loaded += out.locks_bad;
	if (out.must_refuse) {
		/* a verifier hole: don't run it (it could corrupt the VM) */
		note_fail(st, "LOAD accepted a program the verifier must refuse (%s%s%s%s) (seed 0x%llx)",
			  out.conflict ? out.conflict : out.mutation, out.try_bad ? ", two try stacks" : "",
			  out.iter_bad ? ", iterator not set up" : "",
			  out.locks_bad ? ", lock missing" : "", (unsigned long long)seed);
		goto out;
	}
	if (out.nattach) {
		set_phase(st, PH_ATTACH);
		if (do_attach(st, fd, &out, w))
			goto out;
	}
	/* close() at any point must stop and free the session too */
	if ((r >> 12) % 32 == 0) {
		st->closed_early++;
		goto out;
	}
	kmsg(w, &out);
	set_phase(st, PH_START);
	if (ioctl(fd, BT_IOC_START, &sa)) {
		st->start_fail++;
		snprintf(cls, sizeof(cls), "START: [%s]", strerror(errno));
		add_reason(st, cls);
		goto out;
	}
	st->executed++;
	if (out.ctx) {
		set_phase(st, PH_RUN);
		st->ctx_runs++;
		load_burst(w, 2 + (r >> 40) % 10, fd, r);
		drain(st, fd, 0);
	}
	if ((r >> 12) % 8 == 1) {
		st->closed_early++;
		goto out;
	}
	set_phase(st, PH_STOP);
	so.flags = (r >> 20) % 16 == 0 ? BT_IOC_STOP_NO_END : 0;
	ioctl(fd, BT_IOC_STOP, &so);
	set_phase(st, PH_READ);
	drain(st, fd, 1);
	if ((r >> 24) % 10 == 0)
		map_read(st, fd, r >> 28);
out:
	set_phase(st, PH_CLOSE);
	close(fd);
	gen_out_free(&out);
	set_phase(st, PH_IDLE);
}

static void worker(int w, uint64_t nprog, uint64_t deadline)
{
	struct gen_opts o = base_opts;
	struct gen_kprobe mine[MAXKP + 1];
	unsigned int n = nkps;

	pin(w % (int)sysconf(_SC_NPROCESSORS_ONLN));
	memcpy(mine, kps, sizeof(kps[0]) * nkps);
	if (priv_nr[w] >= 0)
		mine[n++] = priv_kp[w];	/* index nkps: this worker's own */
	o.kprobes = mine;
	o.nkprobes = n;
	o.tracepoints = tps;
	o.ntracepoints = ntps;
	for (ws[w].cur_n = 0; ws[w].cur_n < nprog && now_ns() < deadline; ws[w].cur_n++)
		run_one(w, &o, gen_seed(run_seed, (unsigned int)w, ws[w].cur_n));
	set_phase(&ws[w], PH_DONE);
	ws[w].done = 1;
	_exit(0);
}

/* --- startup: what the guest has ---------------------------------------------------- */

/*
 * Tracepoints, like kprobes, only where the emulator problem cannot bite
 * (see hold_tracepoints()): by default ones whose code nothing in the
 * guest runs but the workers' own load bursts (a thread renaming itself,
 * an interval timer set, a signal sent), with -H also the busy ones
 * (system calls, the scheduler, timers, softirqs) for real hardware or
 * KVM.
 */
static void find_tracepoints(void)
{
	static const char *const cand[][2] = {
		{ "task", "task_rename" }, { "timer", "itimer_state" },
		{ "signal", "signal_generate" },
	};
	static const char *const hot[][2] = {
		{ "raw_syscalls", "sys_enter" }, { "raw_syscalls", "sys_exit" },
		{ "sched", "sched_switch" }, { "sched", "sched_wakeup" },
		{ "timer", "hrtimer_expire_entry" }, { "irq", "softirq_entry" },
	};
	unsigned int i, n = sizeof(cand) / sizeof(cand[0]);
	char path[160];

	for (i = 0; i < n + (busy ? sizeof(hot) / sizeof(hot[0]) : 0); i++) {
		const char *const *c = i < n ? cand[i] : hot[i - n];

		snprintf(path, sizeof(path), "/sys/kernel/tracing/events/%s/%s", c[0], c[1]);
		if (access(path, F_OK) == 0)
			tps[ntps++] = c[1];
	}
}

/*
 * The offsets past the entry where kprobes can go in sym: LOAD a program
 * with a kprobe at each of 5..47 and ATTACH them all as optional; those
 * that register are instruction boundaries kprobes accepts.  Registered
 * disabled, never armed, so nothing is patched.
 */
static unsigned int probe_offsets(const char *sym, uint64_t addr, uint64_t *offs,
				  unsigned int max)
{
	enum { LO = 5, HI = 48 };
	struct progbuild *pb = pb_new();
	struct bt_func_decl fr = { 0 };
	struct bt_ioc_probe e[HI - LO];
	struct bt_ioc_load ld = { .size = sizeof(ld) };
	struct bt_ioc_attach at = { .size = sizeof(at) };
	unsigned int i, n = 0;
	void *blob;
	size_t size;
	int fd;

	pb_limits(pb, &(struct bt_limits){ .maxaction = 10, .maxstringlen = 8 });
	pb_func_declare(pb, "h");
	pb_func_begin(pb, 0);
	pb_emit(pb, BT_OP_RET, 0, 0, 0, 0);
	fr.nregs = 1;
	pb_func_end(pb, &fr);
	memset(e, 0, sizeof(e));
	for (i = LO; i < HI; i++) {
		struct bt_probe_decl d = { .kind = BT_PROBE_KPROBE, .offset = i };

		pb_probe(pb, &d, "k", sym, NULL, 0);
		e[i - LO].probe = i - LO;
		e[i - LO].flags = BT_IOC_PROBE_OPTIONAL;
		e[i - LO].addr = addr + i;
		snprintf(e[i - LO].symbol, sizeof(e[i - LO].symbol), "%s", sym);
	}
	if (pb_serialize(pb, &blob, &size))
		return 0;
	pb_free(pb);
	fd = open("/dev/bytetap", O_RDWR);
	ld.blob = (uintptr_t)blob;
	ld.blob_len = (uint32_t)size;
	ld.ring_size = 4096;
	at.probes = (uintptr_t)e;
	at.nprobes = HI - LO;
	at.probe_size = sizeof(e[0]);
	if (fd >= 0 && ioctl(fd, BT_IOC_LOAD, &ld) == 0 && ioctl(fd, BT_IOC_ATTACH, &at) == 0)
		for (i = 0; i < HI - LO && n < max; i++)
			if (e[i].result == 0)
				offs[n++] = LO + i;
	if (fd >= 0)
		close(fd);
	free(blob);
	return n;
}

/*
 * Kprobes where the emulator problem cannot bite: arming and disarming
 * one writes an int3 into the kernel's text, and on 6.12 under TCG even
 * a kprobe past a busy function's entry (do_sched_yield+5, with the load
 * calling sched_yield on the other vCPU) dies of "Oops: int3" now and
 * then.  So by default kprobes go only on the system call private to each
 * worker, at its entry or as a kretprobe; -H adds the busy functions, at
 * the offsets past their entry that kprobes accepts.
 */
static void find_kprobes(void)
{
	/* functions the load (and the workers) run all the time */
	static const char *const hot[] = {
		"__x64_sys_getpid", "ksys_write", "vfs_write", "do_sched_yield",
	};
	/* system calls nothing else in the guest makes: one per worker */
	static const struct { const char *sym; int nr; } priv[] = {
		{ "__x64_sys_getppid", SYS_getppid }, { "__x64_sys_getpgrp", SYS_getpgrp },
		{ "__x64_sys_getsid", SYS_getsid }, { "__x64_sys_getpriority", SYS_getpriority },
		{ "__x64_sys_getuid", SYS_getuid }, { "__x64_sys_getgid", SYS_getgid },
		{ "__x64_sys_geteuid", SYS_geteuid }, { "__x64_sys_getegid", SYS_getegid },
	};
	unsigned int i, j, n;
	uint64_t offs[48];

	for (i = 0; busy && i < sizeof(hot) / sizeof(hot[0]); i++) {
		uint64_t a = kallsyms(hot[i]);

		if (!a)
			continue;
		n = probe_offsets(hot[i], a, offs, 48);
		/* a few of them, spread over the function's start */
		for (j = 0; j < n && nkps < MAXKP; j += 1 + n / 4) {
			snprintf(kps[nkps].symbol, sizeof(kps[nkps].symbol), "%s", hot[i]);
			kps[nkps].offset = offs[j];
			kp_addr[nkps++] = a;
		}
	}
	for (i = 0; i < MAXW; i++) {
		priv_nr[i] = -1;
		if (i < sizeof(priv) / sizeof(priv[0]) && (priv_addr[i] = kallsyms(priv[i].sym))) {
			snprintf(priv_kp[i].symbol, sizeof(priv_kp[i].symbol), "%s", priv[i].sym);
			priv_kp[i].ret_ok = 1;
			priv_nr[i] = priv[i].nr;
		}
	}
}

/*
 * The emulator problem for tracepoints (selftests/vm/README.md): the
 * kernel patches a tracepoint's code when its first probe registers and
 * its last goes (the static key) and when it goes from one probe to two
 * and back (the static call: the one probe directly, or the iterator),
 * and TCG does not survive that patching while a vCPU runs the code
 * (selftests/vm/tracepoint-toggle crashes 6.12 without bytetap).  So one
 * session holds two probes on every tracepoint the programs may use, from
 * before the load starts until after it ends, registered while nothing
 * runs those tracepoints (find_tracepoints()): the fuzzed sessions' own
 * registrations then only change the probe arrays, which is the module's
 * code under test, and never the kernel's text.  Returns the session's
 * fd, or -1 (and the programs get no tracepoints).
 */
static int hold_tracepoints(void)
{
	struct progbuild *pb = pb_new();
	struct bt_func_decl fr = { 0 };
	struct bt_ioc_load ld = { .size = sizeof(ld) };
	char log[256] = "", point[96];
	unsigned int i;
	void *blob;
	size_t size;
	int fd;

	pb_limits(pb, &(struct bt_limits){ .maxaction = 10, .maxstringlen = 8 });
	pb_func_declare(pb, "hold");
	pb_func_begin(pb, 0);
	pb_emit(pb, BT_OP_RET, 0, 0, 0, 0);
	fr.nregs = 1;
	pb_func_end(pb, &fr);
	for (i = 0; i < 2 * ntps; i++) {
		struct bt_probe_decl d = { .kind = BT_PROBE_TRACEPOINT };

		snprintf(point, sizeof(point), "kernel.trace(\"%s\")", tps[i / 2]);
		pb_probe(pb, &d, point, tps[i / 2], NULL, 0);
	}
	if (pb_serialize(pb, &blob, &size))
		return -1;
	pb_free(pb);
	fd = open("/dev/bytetap", O_RDWR | O_CLOEXEC);
	ld.blob = (uintptr_t)blob;
	ld.blob_len = (uint32_t)size;
	ld.ring_size = 4096;
	ld.log_buf = (uintptr_t)log;
	ld.log_size = sizeof(log);
	if (fd >= 0 && ioctl(fd, BT_IOC_LOAD, &ld)) {
		printf("# bt-fuzz: cannot hold the tracepoints (%s: %s): programs get none\n",
		       strerror(errno), log);
		close(fd);
		fd = -1;
	}
	free(blob);
	if (fd < 0)
		ntps = 0;
	return fd;
}

/* --- load generator -------------------------------------------------------------------- */

static pid_t load_gen(int cpu)
{
	pid_t pid = fork();
	int devnull;

	if (pid)
		return pid;
	pin(cpu);
	setpriority(PRIO_PROCESS, 0, 10);
	devnull = open("/dev/null", O_WRONLY);
	for (;;) {
		syscall(SYS_getpid);
		if (write(devnull, "y", 1) < 0)
			_exit(1);
		sched_yield();
	}
}

/* --- summary ---------------------------------------------------------------------------- */

static int cmp_reason(const void *a, const void *b)
{
	const struct reason *x = a, *y = b;

	return x->n < y->n ? 1 : x->n > y->n ? -1 : strcmp(x->text, y->text);
}

static void merge(struct reason *all, unsigned int *nall, const char *text, uint64_t n)
{
	unsigned int j;

	for (j = 0; j < *nall; j++)
		if (!strcmp(all[j].text, text))
			break;
	if (j == *nall) {
		snprintf(all[j].text, REASON_LEN, "%s", text);
		all[j].n = 0;
		(*nall)++;
	}
	all[j].n += n;
}

static void summary(const struct wstat *t, double secs, int ncpu)
{
	static struct reason all[NREASON * MAXW], kinds[NKIND * MAXW];
	unsigned int nall = 0, nkinds = 0, i;
	uint64_t refused = t->generated - t->loaded;
	int w;

	for (w = 0; w < nworkers; w++) {
		for (i = 0; i < ws[w].nreasons; i++)
			merge(all, &nall, ws[w].reasons[i].text, ws[w].reasons[i].n);
		for (i = 0; i < ws[w].nkinds; i++)
			merge(kinds, &nkinds, ws[w].kinds[i].text, ws[w].kinds[i].n);
	}
	qsort(all, nall, sizeof(all[0]), cmp_reason);
	qsort(kinds, nkinds, sizeof(kinds[0]), cmp_reason);
	printf("# bt-fuzz: seed 0x%llx, %d workers on %d vCPUs, %.1f s, mutated %u%%, state conflicts %u%%, probe context %u%%\n",
	       (unsigned long long)run_seed, nworkers, ncpu, secs, base_opts.mutate_pct,
	       base_opts.conflict_pct, base_opts.ctx_pct);
	printf("#   programs generated %10llu  (%.0f/s)\n", (unsigned long long)t->generated,
	       t->generated / secs);
	printf("#     well-formed      %10llu\n", (unsigned long long)t->wellformed);
	printf("#     mutated          %10llu\n", (unsigned long long)t->mutated - t->conflicts);
	printf("#     state conflicts  %10llu  (%llu refused for that reason)\n",
	       (unsigned long long)t->conflicts, (unsigned long long)t->conflicts_refused);
	printf("#     must be refused  %10llu  (the generator's own walk: two try stacks, iterator, lock)\n",
	       (unsigned long long)t->must_refuse);
	printf("#   accepted by LOAD   %10llu  (%.1f%%; %llu of them mutated)\n",
	       (unsigned long long)t->loaded,
	       t->generated ? 100.0 * t->loaded / t->generated : 0.0,
	       (unsigned long long)t->loaded_mutated);
	printf("#   refused by LOAD    %10llu\n", (unsigned long long)refused);
	printf("#   ATTACH ok / failed %10llu / %llu\n", (unsigned long long)t->attach_ok,
	       (unsigned long long)t->attach_fail);
	printf("#   executed (START)   %10llu  (%llu with probe-context probes armed)\n",
	       (unsigned long long)t->executed, (unsigned long long)t->ctx_runs);
	printf("#   records read       %10llu  (%llu ERROR records: run-time errors)\n",
	       (unsigned long long)t->records, (unsigned long long)t->rt_errors);
	printf("#   MAP_READ calls     %10llu\n", (unsigned long long)t->mapreads);
	printf("#   closed without STOP %9llu  (after LOAD or START)\n",
	       (unsigned long long)t->closed_early);
	printf("#   accepted although a pc has two try stacks: %llu; an iterator is not set up: %llu; a lock is missing: %llu\n",
	       (unsigned long long)t->try_bad_loaded, (unsigned long long)t->iter_bad_loaded,
	       (unsigned long long)t->locks_bad_loaded);
	printf("#   time per phase (all workers):");
	for (i = PH_GEN; i < PH_DONE; i++) {
		uint64_t ns = 0;

		for (w = 0; w < nworkers; w++)
			ns += ws[w].phase_total[i];
		printf(" %s %.1f s", phase_name[i], ns / 1e9);
	}
	printf("\n");
	printf("#   refusals by kind (LOAD, and ATTACH / START failures):\n");
	for (i = 0; i < nkinds; i++)
		printf("#   %9llu  %s\n", (unsigned long long)kinds[i].n, kinds[i].text);
	printf("#   refusals by reason:\n");
	for (i = 0; i < nall && i < 40; i++)
		printf("#   %9llu  %s\n", (unsigned long long)all[i].n, all[i].text);
	if (nall > 40)
		printf("#   (%u more reasons)\n", nall - 40);
}

static int kprobes_left(void)
{
	FILE *f = fopen("/sys/kernel/debug/kprobes/list", "r");
	char line[256];
	int n = 0;

	while (f && fgets(line, sizeof(line), f))
		if (line[0] != '\n')
			n++;
	if (f)
		fclose(f);
	return n;
}

static void usage(void)
{
	fprintf(stderr, "usage: bt-fuzz [-n PROGRAMS] [-t SECONDS] [-s SEED] [-j WORKERS] [-m MUTATE%%]\n"
		"               [-x CONFLICT%%] [-c CONTEXT%%] [-N MIN] [-k 0|1|2] [-H] [-R] [-v]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	uint64_t nprog = UINT64_MAX, secs = 240, minprog = 0, start, deadline;
	int ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN), rmmod = 0, c, w, i;
	pid_t pids[MAXW], loads[MAXW];
	int reported[MAXW] = { 0 }, alive, holder;
	struct wstat tot;
	uint64_t last_progress;

	run_seed = (uint64_t)time(NULL);
	/*
	 * Sessions spend most of their time waiting for RCU grace periods
	 * (STOP and close each wait for one), so more workers than vCPUs
	 * keep the vCPUs busy.
	 */
	nworkers = ncpu * 4 < MAXW ? ncpu * 4 : MAXW;
	while ((c = getopt(argc, argv, "n:t:s:j:m:x:c:N:k:HRv")) != -1) {
		switch (c) {
		case 'n': nprog = strtoull(optarg, NULL, 0); break;
		case 't': secs = strtoull(optarg, NULL, 0); break;
		case 's': run_seed = strtoull(optarg, NULL, 0); break;
		case 'j': nworkers = atoi(optarg); break;
		case 'm': base_opts.mutate_pct = (unsigned int)atoi(optarg); break;
		case 'c': base_opts.ctx_pct = (unsigned int)atoi(optarg); break;
		case 'N': minprog = strtoull(optarg, NULL, 0); break;
		case 'x': base_opts.conflict_pct = (unsigned int)atoi(optarg); break;
		case 'k': kmsg_level = atoi(optarg); break;
		case 'H': busy = 1; break;
		case 'R': rmmod = 1; break;
		case 'v': verbose = 1; break;
		default: usage();
		}
	}
	if (nworkers < 1 || nworkers > MAXW)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (access("/dev/bytetap", F_OK)) {
		check(0, "/dev/bytetap exists (insmod build/module/bytetap.ko first)");
		return 1;
	}
	ws = mmap(NULL, sizeof(*ws) * MAXW, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (ws == MAP_FAILED)
		return 2;
	find_kprobes();
	/* after the startup above: the shell's pipeline has exec'ed by now */
	find_tracepoints();
	holder = ntps ? hold_tracepoints() : -1;
	printf("# bt-fuzz: seed 0x%llx; tracepoints:", (unsigned long long)run_seed);
	for (i = 0; i < (int)ntps; i++)
		printf(" %s", tps[i]);
	printf("; kprobes:");
	for (i = 0; i < (int)nkps; i++)
		printf(" %s+%llu", kps[i].symbol, (unsigned long long)kps[i].offset);
	for (i = 0; i < nworkers; i++)
		if (priv_nr[i] >= 0)
			printf(" %s(w%d)", priv_kp[i].symbol, i);
	printf("\n");

	for (i = 0; i < ncpu && i < MAXW; i++)
		loads[i] = load_gen(i);
	start = now_ns();
	deadline = start + secs * 1000000000ull;
	for (w = 0; w < nworkers; w++) {
		pids[w] = fork();
		if (pids[w] == 0)
			worker(w, nprog / nworkers + (w < (int)(nprog % nworkers)), deadline);
	}
	last_progress = start;
	do {
		uint64_t now;
		int st;

		sleep(1);
		now = now_ns();
		alive = 0;
		for (w = 0; w < nworkers; w++) {
			pid_t p = pids[w] ? waitpid(pids[w], &st, WNOHANG) : 0;

			if (p == pids[w] && p > 0) {
				pids[w] = 0;
				if (!WIFEXITED(st) || WEXITSTATUS(st)) {
					check(0, "worker %d died (%s %d) in %s, program seed 0x%llx", w,
					      WIFSIGNALED(st) ? "signal" : "status",
					      WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st),
					      phase_name[ws[w].phase], (unsigned long long)ws[w].cur_seed);
					reported[w] = 1;
				}
			}
			if (!pids[w])
				continue;
			alive++;
			if (!reported[w] && ws[w].phase != PH_DONE &&
			    (int64_t)(now - ws[w].phase_ns) > 60000000000ll) {
				check(0, "worker %d stuck in %s for 60 s, program seed 0x%llx", w,
				      phase_name[ws[w].phase], (unsigned long long)ws[w].cur_seed);
				reported[w] = 1;
			}
		}
		if (now - last_progress >= 30000000000ull) {
			uint64_t g = 0, l = 0;

			for (w = 0; w < nworkers; w++)
				g += ws[w].generated, l += ws[w].loaded;
			printf("# %.0f s: %llu programs, %llu loaded\n", (now - start) / 1e9,
			       (unsigned long long)g, (unsigned long long)l);
			last_progress = now;
		}
		/* stuck workers can't be waited for forever */
		if (now > deadline + 120000000000ull)
			break;
	} while (alive);
	for (w = 0; w < nworkers; w++)
		if (pids[w]) {
			check(0, "worker %d did not end (in %s, program seed 0x%llx)", w,
			      phase_name[ws[w].phase], (unsigned long long)ws[w].cur_seed);
			kill(pids[w], SIGKILL);
		}
	for (i = 0; i < ncpu && i < MAXW; i++) {
		kill(loads[i], SIGKILL);
		waitpid(loads[i], NULL, 0);
	}
	if (holder >= 0)
		close(holder);	/* the load is gone: the static keys may flip now */

	memset(&tot, 0, sizeof(tot));
	for (w = 0; w < nworkers; w++) {
#define ADD(f) tot.f += ws[w].f
		ADD(generated); ADD(wellformed); ADD(mutated); ADD(conflicts);
		ADD(conflicts_refused); ADD(loaded); ADD(loaded_mutated); ADD(wf_refused);
		ADD(executed); ADD(ctx_runs); ADD(attach_ok); ADD(attach_fail);
		ADD(start_fail); ADD(records); ADD(rt_errors); ADD(try_bad_loaded);
		ADD(iter_bad_loaded); ADD(locks_bad_loaded); ADD(must_refuse);
		ADD(bad_errno); ADD(mapreads); ADD(closed_early); ADD(wf_attach_fail);
#undef ADD
	}
	summary(&tot, (now_ns() - start) / 1e9, ncpu);
	check(tot.generated >= minprog, "%llu programs generated (at least %llu)",
	      (unsigned long long)tot.generated, (unsigned long long)minprog);
	check(tot.executed > 0, "%llu programs executed, %llu with probe-context probes",
	      (unsigned long long)tot.executed, (unsigned long long)tot.ctx_runs);
	check(tot.wf_refused == 0, "LOAD accepted every well-formed program (%llu refused)",
	      (unsigned long long)tot.wf_refused);
	check(tot.wf_attach_fail == 0, "ATTACH accepted every well-formed program's kprobes (%llu refused)",
	      (unsigned long long)tot.wf_attach_fail);
	check(tot.bad_errno == 0, "no unexpected errno (%llu)", (unsigned long long)tot.bad_errno);
	check(tot.try_bad_loaded + tot.iter_bad_loaded + tot.locks_bad_loaded == 0,
	      "LOAD refused every program the generator knows to be wrong (%llu of %llu)",
	      (unsigned long long)(tot.must_refuse - tot.try_bad_loaded - tot.iter_bad_loaded -
				   tot.locks_bad_loaded), (unsigned long long)tot.must_refuse);
	check(tot.conflicts_refused == tot.conflicts,
	      "LOAD refused every planted state conflict for that reason (%llu of %llu)",
	      (unsigned long long)tot.conflicts_refused, (unsigned long long)tot.conflicts);
	check(tot.loaded * 2 >= tot.generated, "most programs were accepted (%.1f%%)",
	      tot.generated ? 100.0 * tot.loaded / tot.generated : 0.0);
	for (w = 0; w < nworkers; w++)
		if (ws[w].first_fail[0])
			printf("#   worker %d, first problem: %s\n", w, ws[w].first_fail);
	i = kprobes_left();
	check(i == 0, "no kprobe left registered at the end (%d)", i);
	if (rmmod) {
		int rc = (int)syscall(SYS_delete_module, "bytetap", O_NONBLOCK);

		check(rc == 0, "rmmod bytetap works after the run%s%s", rc ? ": " : "",
		      rc ? strerror(errno) : "");
	}
	return failures ? 1 : 0;
}
