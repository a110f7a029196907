/*
 * hostile_classes.c - regression tests of issue 8, "No program can hurt the
 * kernel": hand-built programs pushed straight through /dev/bytetap, one
 * per class of failure an attack on the module found, plus lifecycle
 * tests (sessions killed, never read, opened by the thousand).  Runs as
 * root in the test guest, one test per invocation so that a test that
 * takes the guest down names itself:
 *
 *	bt-hostile-classes TEST [N]
 *
 * TEST is one of the names in tests[] at the bottom (bt-hostile-classes
 * with no argument lists them); N runs only the Nth case of a test that
 * has several (try-depth, maxaction, strings, locks, kill-probe).  Prints
 * "ok - guest: ..." / "FAIL - guest: ..." lines saying what was measured,
 * and exits with the number of FAIL lines (2 for a usage or setup error).  The host checks dmesg
 * after the boot (soft lockups, RCU stalls, oopses, OOM kills).
 *
 * Each class test is built so that the unfixed module crashes, hangs or
 * starves the guest on it, and a fixed one refuses or cuts short the
 * program within seconds.  Where the fix's exact words are not part of
 * the contract, the checks ask for the substance (EINVAL and a message
 * naming the instruction, an ERROR record, ENOMEM and a message naming a
 * limit) rather than a text.
 *
 * The bounds checked are the module's own, read with GET_INFO
 * (doc/ioctl-abi.md, "The safety contract"): an error must name the
 * module parameter that bounds it (max_action, max_hit_us,
 * max_session_mem, max_total_mem, max_attach), a CPU may be stuck in a
 * probe handler no longer than max_hit_us and a second, a begin or end
 * probe may hold START or STOP no longer than 10 x max_hit_us.
 *
 * Built static by selftests/vm/suite (the guest has no libc), linked with
 * userland/progbuild.c and userland/util.c (the assembler the unit tests
 * use; its lock-set rule is the verifier's, bt_verify.c and bt_builtin.c)
 * and the core's bt_isa.c and bt_regex.c (for the regex compiler).
 * Programs declare their lock sets by hand, so that the lock-set tests
 * can get them wrong on purpose.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bt_builtin.h"
#include "bt_ioctl.h"
#include "bt_isa.h"
#include "bt_prog.h"
#include "bt_record.h"
#include "regex_compile.h"
#include "progbuild.h"
#include "guest_util.h"

#define PHI	0x9e3779b97f4a7c15ll	/* a multiplier that scatters values */

static int nfail;
static int only = -1;	/* bt-hostile-classes TEST N: only case N of TEST */

static void report(int good, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void report(int good, const char *fmt, ...)
{
	va_list ap;

	printf(good ? "ok - guest: " : "FAIL - guest: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!good)
		nfail++;
}

/* A diagnostic line under the check it explains. */
static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
	va_list ap;

	printf("    ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void msleep(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* --- programs ------------------------------------------------------------ */

struct blob {
	void *p;
	size_t n;
};

#define EMIT(op, x, a, b, c)	pb_emit(pb, BT_OP_##op, (x), (a), (b), (c))
#define EXTW(a, b, c)		pb_emit(pb, BT_OP_EXT, 0, (a), (b), (c))
#define LDI(r, v)		pb_emit_imm(pb, BT_OP_LDI, (r), (v))
#define LDK(r, v)		EMIT(LDK, 0, (r), pb_const(pb, (v)), 0)
#define RET()			EMIT(RET, 0, 0, 0, 0)

static struct bt_func_decl frame(unsigned int nregs, unsigned int nstrs,
				 unsigned int niters, unsigned int ntries)
{
	struct bt_func_decl f = { 0 };

	f.nregs = nregs;
	f.nstrs = nstrs;
	f.niters = niters;
	f.ntries = ntries;
	return f;
}

static uint32_t probe(struct progbuild *pb, unsigned int kind, uint32_t func,
		      uint64_t period_ns, const char *point, const char *symbol,
		      uint64_t offset, const struct bt_lock_ref *locks, unsigned int nlocks)
{
	struct bt_probe_decl d = { 0 };

	d.kind = kind;
	d.handler = func;
	d.period_ns = period_ns;
	d.offset = offset;
	return pb_probe(pb, &d, point, symbol, locks, nlocks);
}

static uint32_t int_map(struct progbuild *pb, const char *name, uint32_t cap)
{
	struct bt_map_decl m = { 0 };

	m.capacity = cap;
	m.nkeys = 1;
	m.key_kinds[0] = BT_KIND_INT;
	m.val_kind = BT_KIND_INT;
	return pb_map(pb, name, &m);
}

static struct bt_lock_ref lock(unsigned int space, uint32_t index, int write)
{
	struct bt_lock_ref l = { 0 };

	l.index = index;
	l.space = space;
	l.write = write;
	return l;
}

static struct blob finish(struct progbuild *pb)
{
	struct blob b;

	if (pb_serialize(pb, &b.p, &b.n)) {
		fprintf(stderr, "pb_serialize failed\n");
		exit(2);
	}
	pb_free(pb);
	return b;
}

/*
 * for (r[k] = from; r[k] < to; ) { unroll x { body } } with one action
 * per round: the budget counts back edges, not instructions, which is
 * how a default MAXACTION still buys a lot of work.  body advances r[k].
 * r[lim] holds to.
 */
static void unrolled(struct progbuild *pb, unsigned int k, unsigned int lim,
		     int64_t from, int64_t to, unsigned int unroll,
		     void (*body)(struct progbuild *pb, void *arg), void *arg)
{
	uint32_t top, jc, i;

	LDK(k, from);
	LDK(lim, to);
	top = pb_pc(pb);
	for (i = 0; i < unroll; i++)
		body(pb, arg);
	jc = EMIT(JCMP, BT_CMP_GE, k, lim, 0);
	EMIT(LOOP, 0, top, 1, 0);
	pb_insn(pb, jc)->c = pb_pc(pb);
}

/* map[r0] = r0 * PHI; r0++  (r2 holds PHI, r1 is scratch) */
static void fill_body(struct progbuild *pb, void *arg)
{
	uint32_t map = *(uint32_t *)arg;

	EMIT(MUL, 0, 1, 0, 2);
	EMIT(MSET, 0, 1, map, 0);
	EXTW(0, 0, 0);
	EMIT(ADDI, 0, 0, 0, 1);
}

/* A begin-probe body: map[k] = k * PHI for k in [from, to). */
static void emit_fill(struct progbuild *pb, uint32_t map, int64_t from, int64_t to,
		      unsigned int unroll)
{
	LDK(2, PHI);
	unrolled(pb, 0, 3, from, to, unroll, fill_body, &map);
}

/* --- sessions ------------------------------------------------------------- */

static char logbuf[1024];

/*
 * BT_CLASSES_DUMP=DIR: also write every program LOADed to DIR/NNN.btp,
 * and run without the module (ioctls on /dev/null fail), to check the
 * programs with the user-space loader and verifier on the host.
 */
static const char *dump_dir;

static int dev_open(void)
{
	int fd = open(dump_dir ? "/dev/null" : "/dev/bytetap", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		perror("/dev/bytetap");
		exit(2);
	}
	return fd;
}

/* LOAD: 0 or errno, the module's message in logbuf. */
static int load(int fd, struct blob b, uint32_t ring, uint64_t *mem)
{
	struct bt_ioc_load ld = { .size = sizeof(ld) };

	if (dump_dir) {
		static int seq;
		char path[4096];
		FILE *f;

		snprintf(path, sizeof(path), "%s/%03d.btp", dump_dir, seq++);
		f = fopen(path, "wb");
		if (!f || fwrite(b.p, 1, b.n, f) != b.n || fclose(f))
			perror(path);
	}
	logbuf[0] = 0;
	ld.blob = (uintptr_t)b.p;
	ld.blob_len = (uint32_t)b.n;
	ld.ring_size = ring;
	ld.log_buf = (uintptr_t)logbuf;
	ld.log_size = sizeof(logbuf);
	if (ioctl(fd, BT_IOC_LOAD, &ld))
		return errno;
	if (mem)
		*mem = ld.mem_used;
	return 0;
}

static int attach(int fd, struct bt_ioc_probe *e, uint32_t n, uint32_t *nattached)
{
	struct bt_ioc_attach at = { .size = sizeof(at) };
	int rc;

	logbuf[0] = 0;
	at.probes = (uintptr_t)e;
	at.nprobes = n;
	at.probe_size = sizeof(*e);
	at.log_buf = (uintptr_t)logbuf;
	at.log_size = sizeof(logbuf);
	rc = ioctl(fd, BT_IOC_ATTACH, &at) ? errno : 0;
	if (nattached)
		*nattached = at.nattached;
	return rc;
}

static int start(int fd)
{
	struct bt_ioc_start st = { .size = sizeof(st) };

	return ioctl(fd, BT_IOC_START, &st) ? errno : 0;
}

static int stop(int fd)
{
	struct bt_ioc_stop sp = { .size = sizeof(sp) };

	return ioctl(fd, BT_IOC_STOP, &sp) ? errno : 0;
}

static int status(int fd, struct bt_ioc_status *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	return ioctl(fd, BT_IOC_STATUS, st) ? errno : 0;
}

/*
 * GET_INFO, once.  A module older than ABI 1.2 writes back a shorter
 * struct (info.size says how much): its ceilings read as 0, and
 * has_ceilings() is false.
 */
static struct bt_ioc_info minfo;
static int minfo_rc = -1;

static const struct bt_ioc_info *module_info(void)
{
	if (minfo_rc < 0) {
		int fd = dev_open();

		memset(&minfo, 0, sizeof(minfo));
		minfo.size = sizeof(minfo);
		minfo_rc = ioctl(fd, BT_IOC_GET_INFO, &minfo) ? errno : 0;
		close(fd);
		if (minfo_rc || minfo.size > sizeof(minfo))
			minfo.size = 0;
	}
	return &minfo;
}

static int has_ceilings(void)
{
	const struct bt_ioc_info *i = module_info();

	return i->size >= offsetof(struct bt_ioc_info, max_hit_us) + sizeof(i->max_hit_us) &&
	       i->max_hit_us && i->max_action;
}

/* The module's max_hit_us in seconds (the default where it has none). */
static double hit_bound(void)
{
	return has_ceilings() ? module_info()->max_hit_us / 1e6 : 0.5;
}

/*
 * The longest a CPU may be seen stuck: a hit in probe context runs up to
 * max_hit_us plus one work quantum and one instruction; a second on top
 * is the emulator's noise.  Begin, end and error probes reschedule, so
 * they stall nothing.
 */
static double stall_bound(void)
{
	return hit_bound() + 1.0;
}

struct recs {
	unsigned int nprintf, nerror, nwarn;
	int64_t first_int;		/* of the first PRINTF record */
	char error[200];		/* the first ERROR record's message */
};

static void take(struct recs *r, const uint8_t *buf, size_t n)
{
	while (n >= sizeof(struct bt_rec)) {
		struct bt_rec h;

		memcpy(&h, buf, sizeof(h));
		if (h.len < sizeof(h) || h.len > n)
			break;
		switch (h.type) {
		case BT_REC_PRINTF:
			if (!r->nprintf && h.len >= sizeof(h) + 8)
				memcpy(&r->first_int, buf + sizeof(h), 8);
			r->nprintf++;
			break;
		case BT_REC_ERROR:
			if (!r->nerror)
				snprintf(r->error, sizeof(r->error), "%.*s",
					 (int)(h.len - sizeof(h)), buf + sizeof(h));
			r->nerror++;
			break;
		case BT_REC_WARN:
			r->nwarn++;
			break;
		}
		buf += h.len;
		n -= h.len;
	}
}

/* After STOP: read every record left, until EOF. */
static void drain(int fd, struct recs *r)
{
	static uint8_t buf[1 << 16];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		take(r, buf, n);
}

/* Seconds until the session asks to be stopped, or -1 after limit. */
static double wait_end(int fd, double limit)
{
	double t0 = now();
	struct bt_ioc_status st;

	while (now() - t0 < limit) {
		if (status(fd, &st) == 0 && st.exit_requested)
			return now() - t0;
		msleep(20);
	}
	return -1;
}

/* --- the guest ------------------------------------------------------------- */

static long meminfo_kb(const char *key)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	size_t kl = strlen(key);
	long v = -1;

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, kl) && line[kl] == ':') {
			v = atol(line + kl + 1);
			break;
		}
	if (f)
		fclose(f);
	return v;
}

/*
 * MemAvailable once it is back within 32 MB of base_kb, or after 10 s:
 * freed memory shows up in it late (the guest saw tens of MB come back
 * 3 to 5 s after the last session closed).
 */
static long mem_back(long base_kb)
{
	long v = meminfo_kb("MemAvailable");
	int i;

	for (i = 0; i < 50 && v < base_kb - 32 * 1024; i++) {
		msleep(200);
		v = meminfo_kb("MemAvailable");
	}
	return v;
}

static long read_long(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/* Open files of /dev/bytetap: the module's reference count. */
static long sessions_open(void)
{
	return read_long("/sys/module/bytetap/refcnt");
}

/* Wait (up to 5 s) for every session's file to be released. */
static long sessions_settle(void)
{
	long n = sessions_open();
	int i;

	for (i = 0; i < 250 && n > 0; i++) {
		msleep(20);
		n = sessions_open();
	}
	return n;
}

static int kprobes_listed(void)
{
	FILE *f = fopen("/sys/kernel/debug/kprobes/list", "r");
	char line[512];
	int n = 0;

	while (f && fgets(line, sizeof(line), f))
		n++;
	if (f)
		fclose(f);
	return f ? n : -1;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/*
 * Heartbeats: one process pinned to each of the two vCPUs wakes every
 * 5 ms and records the longest gap between its wake-ups.  A CPU stuck in
 * a probe handler (hardirq for a timer, preemption off for a kprobe)
 * shows as a gap as long as the handler ran.
 */
struct heartbeat {
	volatile long long max_us[2];
	volatile long long last_us[2];	/* its latest wake-up */
	volatile int reset[2];
};

static struct heartbeat *hb;
static pid_t hb_pid[2];

static long long mono_us(void)
{
	return (long long)(now() * 1e6);
}

static void hb_start(void)
{
	int i;

	hb = mmap(NULL, sizeof(*hb), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (hb == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	for (i = 0; i < 2; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			long long last;

			pin(i);
			last = mono_us();
			for (;;) {
				long long t = mono_us();

				if (hb->reset[i]) {
					hb->reset[i] = 0;
					hb->max_us[i] = 0;
					last = t;
				}
				if (t - last > hb->max_us[i])
					hb->max_us[i] = t - last;
				last = t;
				hb->last_us[i] = t;
				msleep(5);
			}
		}
		hb_pid[i] = pid;
	}
}

static void hb_reset(void)
{
	hb->reset[0] = hb->reset[1] = 1;
	msleep(30);
	hb->last_us[0] = hb->last_us[1] = mono_us();
}

/*
 * The longer of the two CPUs' longest gaps since hb_reset(), seconds,
 * counting a gap still going on (a CPU stuck right now).
 */
static double hb_worst(void)
{
	long long t = mono_us(), w = 0;
	int i;

	for (i = 0; i < 2; i++) {
		if (hb->max_us[i] > w)
			w = hb->max_us[i];
		if (hb->last_us[i] && t - hb->last_us[i] > w)
			w = t - hb->last_us[i];
	}
	return w / 1e6;
}

static void hb_stop(void)
{
	int i;

	for (i = 0; i < 2; i++)
		if (hb_pid[i] > 0) {
			kill(hb_pid[i], SIGKILL);
			waitpid(hb_pid[i], NULL, 0);
			hb_pid[i] = 0;
		}
}

/* ===================================================================== */
/* Class 1: try depth of the VM wrapped by code the verifier let through */
/* ===================================================================== */

/*
 * The verifier of today walks a function once in pc order and keeps the
 * try nesting of the text, not of the paths that reach an instruction.
 * Each variant below reaches a "JMP x = 1" (leave one try block) on a
 * path that never ran its TRY: the VM's try depth goes from 0 to
 * 0xffffffff, and the division by zero after it jumps through
 * tries[0xfffffffe], far past the end of the try table.
 */
enum { TRY_JUMP_IN, TRY_TRYEND_ALONE, TRY_LOOP_IN, TRY_GOOD, TRY_GOOD_LEAVE };

static struct blob try_prog(const char *name, int variant)
{
	struct progbuild *pb = pb_new();
	uint32_t fmt = pb_format(pb, "%d\n", 1, 0);
	uint32_t f = pb_func_declare(pb, name);
	struct bt_func_decl fr = frame(3, 0, 0, 2);

	pb_func_begin(pb, f);
	LDI(0, 1);				/* 0 */
	LDI(1, 0);				/* 1 */
	switch (variant) {
	case TRY_JUMP_IN:
		EMIT(JMP, 0, 4, 0, 0);		/* 2: over the TRY, into its block */
		EMIT(TRY, 0, 7, 0, 0);		/* 3 */
		EMIT(JMP, 1, 6, 0, 0);		/* 4: leave one try block: 0 -> ~0 */
		EMIT(TRYEND, 0, 0, 0, 0);	/* 5 */
		EMIT(DIV, 0, 0, 0, 1);		/* 6: r0 / 0 */
		RET();				/* 7: the catch target */
		break;
	case TRY_TRYEND_ALONE:
		EMIT(TRY, 0, 12, 0, 0);		/* 2: outer */
		EMIT(JZ, 0, 1, 5, 0);		/* 3: r1 == 0: skip the inner TRY */
		EMIT(TRY, 0, 7, 0, 0);		/* 4: inner */
		EMIT(TRYEND, 0, 0, 0, 0);	/* 5: pops the outer's frame */
		EMIT(JMP, 0, 8, 0, 0);		/* 6 */
		EMIT(NOP, 0, 0, 0, 0);		/* 7: inner catch */
		EMIT(JMP, 1, 10, 0, 0);		/* 8: leave the outer: 0 -> ~0 */
		EMIT(TRYEND, 0, 0, 0, 0);	/* 9 */
		EMIT(DIV, 0, 0, 0, 1);		/* 10 */
		RET();				/* 11 */
		RET();				/* 12: outer catch */
		break;
	case TRY_LOOP_IN:
		LDI(2, 0);			/* 2: passes */
		EMIT(TRY, 0, 11, 0, 0);		/* 3 */
		EMIT(JMP, 1, 6, 0, 0);		/* 4: leave it (fine the first time) */
		EMIT(TRYEND, 0, 0, 0, 0);	/* 5 */
		EMIT(JNZ, 0, 2, 9, 0);		/* 6: second pass: divide */
		LDI(2, 1);			/* 7 */
		EMIT(LOOP, 0, 4, 1, 0);		/* 8: back into the block, past its TRY */
		EMIT(DIV, 0, 0, 0, 1);		/* 9 */
		RET();				/* 10 */
		RET();				/* 11: catch */
		break;
	case TRY_GOOD_LEAVE:	/* the same moves, on paths that ran their TRYs */
		EMIT(TRY, 0, 11, 0, 0);		/* 2: outer */
		EMIT(TRY, 0, 8, 0, 0);		/* 3: inner */
		EMIT(JNZ, 0, 1, 6, 0);		/* 4: r1 == 0: on */
		EMIT(JMP, 1, 7, 0, 0);		/* 5: leave the inner block */
		EMIT(TRYEND, 0, 0, 0, 0);	/* 6: or close it */
		EMIT(DIV, 0, 0, 0, 1);		/* 7: r0 / 0, in the outer block */
		EMIT(NOP, 0, 0, 0, 0);		/* 8: inner catch */
		EMIT(TRYEND, 0, 0, 0, 0);	/* 9 */
		RET();				/* 10 */
		LDI(0, 42);			/* 11: outer catch */
		EMIT(PRINTF, 0, fmt, 0, 0);	/* 12 */
		RET();				/* 13 */
		break;
	case TRY_GOOD:
		EMIT(TRY, 0, 6, 0, 0);		/* 2 */
		EMIT(DIV, 0, 0, 0, 1);		/* 3 */
		EMIT(TRYEND, 0, 0, 0, 0);	/* 4 */
		RET();				/* 5 */
		LDI(0, 42);			/* 6: catch */
		EMIT(PRINTF, 0, fmt, 0, 0);	/* 7 */
		RET();				/* 8 */
		break;
	}
	pb_func_end(pb, &fr);
	probe(pb, BT_PROBE_BEGIN, f, 0, "begin", NULL, 0, NULL, 0);
	return finish(pb);
}

static void t_try_depth(void)
{
	static const struct { const char *name, *what; int variant; } cases[] = {
		{ "try_jump_in", "a jump over a TRY into its block, then JMP x=1 out of it",
		  TRY_JUMP_IN },
		{ "try_tryend_alone", "a TRYEND reached on a path that skipped its TRY",
		  TRY_TRYEND_ALONE },
		{ "try_loop_in", "a LOOP from outside back into a try block", TRY_LOOP_IN },
	};
	struct recs r = { 0 };
	struct blob b;
	size_t i;
	int fd, rc;

	for (i = 0; i < 2; i++) {
		b = try_prog(i ? "try_good_leave" : "try_good", i ? TRY_GOOD_LEAVE : TRY_GOOD);
		memset(&r, 0, sizeof(r));
		fd = dev_open();
		rc = load(fd, b, 0, NULL);
		if (!rc)
			rc = start(fd);
		if (!rc)
			rc = stop(fd);
		drain(fd, &r);
		close(fd);
		free(b.p);
		report(!rc && r.nprintf == 1 && r.first_int == 42 && !r.nerror,
		       "try depth: %s loads and catches a division by 0 (%s, %u records, value %lld)",
		       i ? "a JMP leaving an inner try block, then a TRYEND on the other path,"
			 : "a correct try block",
		       rc ? logbuf : "ok", r.nprintf, (long long)r.first_int);
	}

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char want[64];

		if (only >= 0 && (size_t)only != i)
			continue;
		b = try_prog(cases[i].name, cases[i].variant);
		snprintf(want, sizeof(want), "func '%s' pc ", cases[i].name);
		fd = dev_open();
		rc = load(fd, b, 0, NULL);
		if (rc == EINVAL && strstr(logbuf, want)) {
			report(1, "try depth: %s: LOAD refuses it (%s)", cases[i].what, logbuf);
		} else if (rc) {
			report(0, "try depth: %s: LOAD fails with %s, not EINVAL naming the instruction (%s)",
			       cases[i].what, strerror(rc), logbuf);
		} else {
			/* the bug: START runs the begin probe, which oopses in interp() */
			report(0, "try depth: %s: LOAD accepted it; running its begin probe (START)",
			       cases[i].what);
			memset(&r, 0, sizeof(r));
			rc = start(fd);
			stop(fd);
			drain(fd, &r);
			note("START: %s; error record: %s", rc ? strerror(rc) : "ok",
			     r.nerror ? r.error : "none");
		}
		close(fd);
		free(b.p);
	}
}

/* ===================================================================== */
/* Class 2: long texts in LOAD and ATTACH messages                        */
/* ===================================================================== */

static char *longstr(char c, size_t n, const char *tail)
{
	char *s = malloc(n + strlen(tail) + 1);

	memset(s, c, n);
	strcpy(s + n, tail);
	return s;
}

/*
 * Each program is refused by a message that prints a long name with %s
 * (the verifier's "func '%s' pc %u: ", bt_load's "map '%s': ..."): the
 * core's bt_vsnprintf once stopped advancing a %s argument that no
 * longer fit and spun forever in the LOAD ioctl.
 */
static void t_long_texts(void)
{
	char *fname = longstr('f', 300, ""), *gname = longstr('g', 300, "");
	char *mname = longstr('m', 400, ""), *point = longstr('p', 3000, "");
	char *pat = longstr('a', 120, "*"), *sym = longstr('b', 127, "");
	struct bt_ioc_probe e[2];
	struct progbuild *pb;
	struct blob b;
	double t0, dt;
	uint32_t f, g, n;
	int fd, rc, k, ok;

	for (k = 0; k < 4; k++) {
		const char *what = "", *want = "";
		char wantbuf[64];
		struct bt_map_decl md = { 0 };
		struct bt_func_decl fr = frame(2, 1, 0, 0);

		pb = pb_new();
		f = pb_func_declare(pb, k == 0 ? fname : "h");
		pb_func_begin(pb, f);
		switch (k) {
		case 0:	/* the verifier: "func '<300 f>' pc 0: MOV: register r5 ..." */
			what = "a 300-character function name with a bad register";
			EMIT(MOV, 0, 5, 0, 0);
			snprintf(wantbuf, sizeof(wantbuf), "func 'ffffffffff");
			break;
		case 1:	/* the verifier, %s at the end: "GSLD on integer global '<300 g>'" */
			what = "a 300-character global name in a type error";
			g = pb_global(pb, gname, BT_KIND_INT, 0, 0);
			EMIT(GSLD, 0, 0, g, 0);
			snprintf(wantbuf, sizeof(wantbuf), "GSLD on integer global 'gggggggggg");
			break;
		case 2:	/* bt_load: "map '<400 m>': capacity 0 (1..N)" */
			what = "a 400-character map name with capacity 0";
			md.nkeys = 1;
			md.key_kinds[0] = BT_KIND_INT;
			md.val_kind = BT_KIND_INT;
			pb_map(pb, mname, &md);
			snprintf(wantbuf, sizeof(wantbuf), "map 'mmmmmmmmmm");
			break;
		case 3:	/* the module: "probe 0 (<3000 p>): timer period 1 ns outside ..." */
			what = "a 3000-character probe point with a bad timer period";
			snprintf(wantbuf, sizeof(wantbuf), "probe 0 (pppppppppp");
			break;
		}
		want = wantbuf;
		RET();
		pb_func_end(pb, &fr);
		probe(pb, k == 3 ? BT_PROBE_TIMER : BT_PROBE_BEGIN, f, k == 3 ? 1 : 0,
		      k == 3 ? point : "begin", NULL, 0, NULL, 0);
		b = finish(pb);
		fd = dev_open();
		t0 = now();
		rc = load(fd, b, 0, NULL);
		dt = now() - t0;
		close(fd);
		free(b.p);
		ok = rc == EINVAL && dt < 2 && strnlen(logbuf, sizeof(logbuf)) < sizeof(logbuf) &&
		     strstr(logbuf, want);
		report(ok, "long texts: %s: LOAD returns %s in %.3f s with a %zu-byte message (%.60s...)",
		       what, rc ? strerror(rc) : "0", dt, strnlen(logbuf, sizeof(logbuf)), logbuf);
	}

	/* ATTACH: a begin probe with a 3000-character point; a kprobe on a
	 * 121-character glob, offered a 127-character function */
	pb = pb_new();
	f = pb_func_declare(pb, "h");
	pb_func_begin(pb, f);
	RET();
	{
		struct bt_func_decl fr = frame(1, 0, 0, 0);

		pb_func_end(pb, &fr);
	}
	probe(pb, BT_PROBE_BEGIN, f, 0, point, NULL, 0, NULL, 0);
	probe(pb, BT_PROBE_KPROBE, f, 0, point, pat, 0, NULL, 0);
	b = finish(pb);
	fd = dev_open();
	rc = load(fd, b, 0, NULL);
	if (rc) {
		report(0, "long texts: load the ATTACH program: %s (%s)", strerror(rc), logbuf);
	} else {
		memset(e, 0, sizeof(e));
		e[0].probe = 0;
		e[0].addr = kallsyms("vfs_read");
		snprintf(e[0].symbol, sizeof(e[0].symbol), "vfs_read");
		e[1].probe = 1;
		e[1].addr = e[0].addr;
		snprintf(e[1].symbol, sizeof(e[1].symbol), "%s", sym);
		for (k = 0; k < 2; k++) {
			t0 = now();
			rc = attach(fd, &e[k], 1, &n);
			dt = now() - t0;
			ok = rc == EINVAL && dt < 2 && strnlen(logbuf, sizeof(logbuf)) < sizeof(logbuf) &&
			     strstr(logbuf, k ? "bbbbbbbbbb" : "ppppppppp");
			report(ok, "long texts: ATTACH of %s: %s in %.3f s with a %zu-byte message (%.60s...)",
			       k ? "a 127-character function to a long glob" :
			       "a begin probe with a 3000-character point",
			       rc ? strerror(rc) : "0", dt, strnlen(logbuf, sizeof(logbuf)), logbuf);
		}
	}
	close(fd);
	free(b.p);
	free(fname);
	free(gname);
	free(mname);
	free(point);
	free(pat);
	free(sym);
}

/* ===================================================================== */
/* Class 3: unbounded work in probe context                               */
/* ===================================================================== */

/*
 * Where a hog's work runs.  A timer probe runs it in hardirq on one CPU;
 * a kprobe inside __x64_sys_getpid runs it in the calling task with
 * preemption off, where the soft-lockup watchdog sees a stuck CPU.  The
 * kprobes sit past the fentry call (offset 5; 9 after an ENDBR, which
 * one is an instruction boundary the kernel decides): int3 kprobes, which
 * the TCG emulator survives being armed while the other vCPU runs the
 * function (see selftests/vm/README.md).  Begin and end probes run in
 * process context, inside START and STOP.
 */
enum trigger { ON_TIMER, ON_GETPID, IN_BEGIN, IN_END };
static int trigger_probe;	/* the first of the two kprobe declarations */

static void add_trigger(struct progbuild *pb, enum trigger how, uint32_t func,
			const struct bt_lock_ref *locks, unsigned int nlocks)
{
	switch (how) {
	case ON_TIMER:
		probe(pb, BT_PROBE_TIMER, func, 100000000, "timer.ms(100)", NULL, 0, locks,
		      nlocks);
		return;
	case IN_BEGIN:
		probe(pb, BT_PROBE_BEGIN, func, 0, "begin", NULL, 0, locks, nlocks);
		return;
	case IN_END:
		probe(pb, BT_PROBE_END, func, 0, "end", NULL, 0, locks, nlocks);
		return;
	case ON_GETPID:
		break;
	}
	trigger_probe = probe(pb, BT_PROBE_KPROBE, func, 0,
			      "kernel.statement(\"__x64_sys_getpid+5\")", "__x64_sys_getpid",
			      5, locks, nlocks);
	probe(pb, BT_PROBE_KPROBE, func, 0, "kernel.statement(\"__x64_sys_getpid+9\")",
	      "__x64_sys_getpid", 9, locks, nlocks);
}

static int attach_getpid(int fd, uint32_t first)
{
	uint64_t a = kallsyms("__x64_sys_getpid");
	struct bt_ioc_probe e[2];
	uint32_t n = 0;
	int i, rc;

	memset(e, 0, sizeof(e));
	for (i = 0; i < 2; i++) {
		e[i].probe = first + i;
		e[i].addr = a + (i ? 9 : 5);
		e[i].flags = BT_IOC_PROBE_OPTIONAL;
		snprintf(e[i].symbol, sizeof(e[i].symbol), "__x64_sys_getpid");
	}
	rc = attach(fd, e, 2, &n);
	return rc ? rc : n ? 0 : ENOENT;
}

/* one getpid() from CPU 1: the kprobe's hit */
static pid_t getpid_once(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		pin(1);
		syscall(SYS_getpid);
		_exit(0);
	}
	return pid;
}

/*
 * LOAD must refuse the program: errno want_rc and a message holding
 * want_text.
 */
static void refused(const char *what, struct blob b, int want_rc, const char *want_text)
{
	int fd = dev_open(), rc;
	double t0 = now(), dt;

	rc = load(fd, b, 0, NULL);
	dt = now() - t0;
	free(b.p);
	if (!rc) {
		report(0, "%s: LOAD accepts it (not run)", what);
	} else {
		report(rc == want_rc && strstr(logbuf, want_text) && dt < 2,
		       "%s: LOAD refuses it in %.2f s: %s (%s)", what, dt, strerror(rc), logbuf);
	}
	close(fd);
}

/*
 * Run a program whose probe would run "forever" (minutes or hours in one
 * hit), and check that the session ends with an ERROR record naming
 * want (the module parameter that bounds it, or the map's refusal) in
 * bounded time, while both CPUs keep running user space.  In a begin or
 * end probe, START or STOP itself must return within 10 x max_hit_us.
 */
static void hog(const char *what, struct blob b, enum trigger how, const char *want)
{
	struct bt_ioc_status st;
	struct recs r = { 0 };
	double t0, tstart, tend, tstop, worst = 0, bound = 10 * hit_bound() + 2;
	uint64_t mem = 0;
	int fd = dev_open(), rc, in_time;
	pid_t caller = 0;

	rc = load(fd, b, 1 << 16, &mem);
	free(b.p);
	if (rc) {
		report(0, "%s: LOAD refuses it: %s (%s)", what, strerror(rc), logbuf);
		close(fd);
		return;
	}
	if (how == ON_GETPID && (rc = attach_getpid(fd, trigger_probe))) {
		report(0, "%s: ATTACH inside __x64_sys_getpid: %s (%s)", what, strerror(rc), logbuf);
		close(fd);
		return;
	}
	hb_reset();
	t0 = now();
	rc = start(fd);
	tstart = now() - t0;
	if (how == ON_GETPID)
		caller = getpid_once();
	if (how == ON_TIMER || how == ON_GETPID) {
		tend = wait_end(fd, 30);
		if (tend < 0)
			/* what the unfixed module does; STOP below hangs waiting
			 * for the handler, so say so first */
			report(0, "%s: still running 30 s after START (longest CPU stall so far %.1f s)",
			       what, hb_worst());
	} else {
		tend = how == IN_BEGIN ? tstart : 0;
	}
	if (how != IN_END)
		worst = hb_worst();
	t0 = now();
	stop(fd);
	tstop = now() - t0;
	if (how == IN_END) {
		worst = hb_worst();
		tend = tstop;
	}
	status(fd, &st);
	drain(fd, &r);
	close(fd);
	if (caller > 0)
		waitpid(caller, NULL, 0);
	if (tend < 0)
		return;
	in_time = how == IN_BEGIN ? tstart < bound : how == IN_END ? tstop < bound : tstop < 2;
	report(r.nerror && strstr(r.error, want) && (st.error_state || st.errors) &&
	       worst < stall_bound() && in_time,
	       "%s: the session ends with an error %.2f s after START (\"%s\"); %llu hits, longest CPU stall %.2f s, START %.2f s, STOP %.2f s, %llu MB",
	       what, tend, r.nerror ? r.error : "no ERROR record",
	       (unsigned long long)st.hits, worst, tstart, tstop,
	       (unsigned long long)(mem >> 20));
}

static struct bt_limits limits(uint32_t maxaction)
{
	struct bt_limits l = bt_default_limits();

	l.maxaction = maxaction;
	return l;
}

/* loop { r0 += r1, width times } with MAXACTION maxaction */
static struct blob spin_prog(uint32_t maxaction, unsigned int width, enum trigger how)
{
	struct progbuild *pb = pb_new();
	struct bt_limits l = limits(maxaction);
	struct bt_func_decl fr = frame(2, 0, 0, 0);
	uint32_t f = pb_func_declare(pb, "spin"), i;

	pb_limits(pb, &l);
	pb_func_begin(pb, f);
	LDI(1, 1);
	for (i = 0; i < width; i++)
		EMIT(ADD, 0, 0, 0, 1);
	EMIT(LOOP, 0, 1, 1, 0);
	pb_func_end(pb, &fr);
	add_trigger(pb, how, f, NULL, 0);
	return finish(pb);
}

/* The module's max_action (what an unfixed module takes: 10 M). */
static uint32_t max_action(void)
{
	return has_ceilings() ? module_info()->max_action : 10000000;
}

static void t_maxaction(void)
{
	char what[200];

	/* a program may lower the ceiling, never raise it */
	if (only < 0 || only == 0)
		refused("unbounded work: MAXACTION 2^31-1 from the blob, a LOOP in a kprobe in getpid",
			spin_prog(0x7fffffff, 8, ON_GETPID), EINVAL, "module parameter max_action");
	if (only < 0 || only == 1) {
		snprintf(what, sizeof(what), "unbounded work: MAXACTION %u, one over max_action",
			 max_action() + 1);
		refused(what, spin_prog(max_action() + 1, 8, ON_GETPID), EINVAL,
			"module parameter max_action");
	}
	/* at the ceiling, 65000 instructions per action: hours in one hit */
	if (only < 0 || only == 2) {
		snprintf(what, sizeof(what),
			 "unbounded work: MAXACTION %u (max_action) of 65000-instruction loop bodies in a kprobe in getpid",
			 max_action());
		hog(what, spin_prog(max_action(), 65000, ON_GETPID), ON_GETPID, "max_hit_us");
	}
	/* a MAXACTION anyone uses, in hardirq */
	if (only < 0 || only == 3)
		hog("unbounded work: MAXACTION 100000 of 65000-instruction loop bodies in timer.ms(100)",
		    spin_prog(100000, 65000, ON_TIMER), ON_TIMER, "max_hit_us");
}

/*
 * Nested loops of string work at MAXSTRINGLEN 4096: an outer loop that
 * only MAXACTION ends, an inner one of 1000 rounds, each round a
 * concatenation, a sprintf and a comparison of 4 KiB strings, 8 times
 * over.  A million actions of that is minutes of work in one hit.
 */
static void str_body(struct progbuild *pb, void *arg)
{
	uint32_t fmt = *(uint32_t *)arg;

	EMIT(SCAT, 0, 2, 0, 1);			/* s2 = s0 . s1 */
	EMIT(SPRINTF, 0, fmt, 0, 1);		/* s3 = sprintf("%s%s", s1, s2) */
	EXTW(3, 0, 0);
	EMIT(SCMP, BT_CMP_NE, 1, 3, 2);		/* r1 = s3 != s2 */
	EMIT(ADDI, 0, 0, 0, 1);
}

static struct blob strings_prog(enum trigger how)
{
	struct progbuild *pb = pb_new();
	struct bt_limits l = limits(1000000);
	struct bt_func_decl fr = frame(4, 4, 0, 0);
	uint32_t f = pb_func_declare(pb, "strings"), fmt, top;
	char *a = longstr('a', 2040, ""), *b = longstr('b', 2040, "");

	l.maxstringlen = BT_CAP_MAXSTRINGLEN;
	l.flags = BT_LIMIT_NO_OVERLOAD;		/* the time guard is not the overload guard */
	pb_limits(pb, &l);
	fmt = pb_format(pb, "%s%s", 0, 2);
	pb_func_begin(pb, f);
	EMIT(SLDK, 0, 0, pb_strconst(pb, a), 0);
	EMIT(SLDK, 0, 1, pb_strconst(pb, b), 0);
	top = pb_pc(pb);
	unrolled(pb, 0, 3, 0, 1000, 8, str_body, &fmt);
	EMIT(LOOP, 0, top, 1, 0);
	pb_func_end(pb, &fr);
	add_trigger(pb, how, f, NULL, 0);
	free(a);
	free(b);
	return finish(pb);
}

static void t_strings(void)
{
	if (only < 0 || only == 0)
		hog("unbounded work: nested loops of 4 KiB string concatenations, sprintfs and compares, MAXACTION 1000000, STP_NO_OVERLOAD, in a kprobe in getpid",
		    strings_prog(ON_GETPID), ON_GETPID, "max_hit_us");
	if (only < 0 || only == 1)
		hog("unbounded work: the same string work in timer.ms(100)",
		    strings_prog(ON_TIMER), ON_TIMER, "max_hit_us");
	if (only < 0 || only == 2)
		hog("unbounded work: the same string work in a begin probe (inside START)",
		    strings_prog(IN_BEGIN), IN_BEGIN, "max_hit_us");
	if (only < 0 || only == 3)
		hog("unbounded work: the same string work in an end probe (inside STOP)",
		    strings_prog(IN_END), IN_END, "max_hit_us");
}

/* ITINIT sorted ascending, then descending, again and again */
static void t_sort(void)
{
	struct progbuild *pb = pb_new();
	struct bt_func_decl ff = frame(4, 0, 0, 0), fs = frame(1, 0, 1, 0);
	uint32_t fill = pb_func_declare(pb, "fill"), sorter = pb_func_declare(pb, "sorter");
	uint32_t big = int_map(pb, "big", 1u << 20);
	struct bt_lock_ref lk = lock(BT_LOCK_MAP, big, 1);

	/* begin: a million entries, 256 inserts per action */
	pb_func_begin(pb, fill);
	emit_fill(pb, big, 0, 1 << 20, 256);
	RET();
	pb_func_end(pb, &ff);
	/* timer: each sort is 20 passes over a million entries, one action */
	pb_func_begin(pb, sorter);
	EMIT(ITINIT, BT_SORT_ASC, 0, big, 0);
	EXTW(0, 0, 0);
	EMIT(ITINIT, BT_SORT_DESC, 0, big, 0);
	EXTW(0, 0, 0);
	EMIT(LOOP, 0, 0, 1, 0);
	pb_func_end(pb, &fs);
	probe(pb, BT_PROBE_BEGIN, fill, 0, "begin", NULL, 0, &lk, 1);
	add_trigger(pb, ON_TIMER, sorter, &lk, 1);
	hog("one expensive action: sorted foreach over a 1M-entry map in timer.ms(100)",
	    finish(pb), ON_TIMER, "max_hit_us");
}

/*
 * MATCH of a 4000-byte string against the biggest regex of its shape the
 * compiler takes: (a|.){0,n}x keeps ~2n threads alive at every position
 * and never matches (about 0.2 s on a 2020s x86 core, in one instruction).
 */
static void t_regex(void)
{
	static uint8_t code[1 << 20];
	struct progbuild *pb;
	struct bt_regex_error err;
	struct bt_limits l = limits(BT_DEF_MAXACTION);
	struct bt_func_decl fr = frame(1, 1, 0, 0);
	char pat[64], *subject = longstr('a', 4000, "");
	size_t size = 0;
	uint32_t f, rx, sc;
	int n, rc = -1;

	for (n = 4000; n > 100; n -= 50) {
		snprintf(pat, sizeof(pat), "(a|.){0,%d}x", n);
		rc = bt_regex_compile(pat, strlen(pat), code, sizeof(code), &size, &err);
		if (rc == 0)
			break;
	}
	if (rc) {
		report(0, "one expensive action: cannot compile a big regex (%s)", err.msg);
		return;
	}
	pb = pb_new();
	l.maxstringlen = BT_CAP_MAXSTRINGLEN;
	pb_limits(pb, &l);
	rx = pb_regex(pb, code, size, pat);
	sc = pb_strconst(pb, subject);
	f = pb_func_declare(pb, "matcher");
	pb_func_begin(pb, f);
	EMIT(SLDK, 0, 0, sc, 0);
	EMIT(MATCH, 0, 0, 0, rx);
	EMIT(LOOP, 0, 1, 1, 0);
	pb_func_end(pb, &fr);
	add_trigger(pb, ON_GETPID, f, NULL, 0);
	note("regex %s: %zu bytes of program, subject 4000 bytes", pat, size);
	hog("one expensive action: MATCH of 4000 bytes against a big regex in a kprobe in getpid",
	    finish(pb), ON_GETPID, "max_hit_us");
	free(subject);
}

/*
 * Colliding keys.  A one-integer-key map puts key k < nslots in slot k,
 * so keys 0 .. L-1 fill slots 0 .. L-1 in one run.  Keys nslots + j of
 * the next block land at home j + off(1), inside that run: each insert
 * walks to the run's end (~L slots), which saturates its home's probe
 * distance, and from then on every lookup of such a key walks the table.
 * The VM charges each map operation its table's longest probe as work
 * (bt_vm.h), so the time guard ends the hit: a max_hit_us error.
 */
static void coll_insert(struct progbuild *pb, void *arg)
{
	uint32_t map = *(uint32_t *)arg;

	EMIT(MSET, 0, 1, map, 0);
	EXTW(0, 0, 0);
	EMIT(ADDI, 0, 0, 0, 1);
}

static void t_collide(void)
{
	struct progbuild *pb = pb_new();
	struct bt_func_decl ff = frame(4, 0, 0, 0), fc = frame(4, 0, 0, 0);
	uint32_t fill = pb_func_declare(pb, "fill"), probef = pb_func_declare(pb, "collide");
	const uint32_t cap = 200000, nslots = 1u << 18, dense = 777 * 256;
	uint32_t coll = int_map(pb, "coll", cap), top, i;
	struct bt_lock_ref lk = lock(BT_LOCK_MAP, coll, 1);

	pb_func_begin(pb, fill);
	emit_fill(pb, coll, 0, dense, 256);
	RET();
	pb_func_end(pb, &ff);

	pb_func_begin(pb, probef);
	LDI(1, 7);
	unrolled(pb, 0, 3, nslots, nslots + 256, 16, coll_insert, &coll);
	/* now look the first one up, 100 times per action, until MAXACTION */
	LDK(0, nslots);
	top = pb_pc(pb);
	for (i = 0; i < 100; i++) {
		EMIT(MGET, 0, 1, coll, 0);
		EXTW(0, 0, 0);
	}
	EMIT(LOOP, 0, top, 1, 0);
	pb_func_end(pb, &fc);
	probe(pb, BT_PROBE_BEGIN, fill, 0, "begin", NULL, 0, &lk, 1);
	add_trigger(pb, ON_GETPID, probef, &lk, 1);
	hog("expensive actions: inserts and lookups of keys colliding ~150000 slots from home in a kprobe in getpid: the time guard ends the hit",
	    finish(pb), ON_GETPID, "max_hit_us");
}

/* ===================================================================== */
/* Class 4: lock sets declared by the program                             */
/* ===================================================================== */

enum { RACE_NOLOCKS, RACE_CALLEE, RACE_GLOBAL, RACE_READLOCK, RACE_CORRECT };

/*
 * The race.  race_map (map 0) holds 4 KiB string values, so one slot is
 * bigger than everything the session puts before the map's slots.  On
 * CPU 0, timer.profile sorts it by value, both ways, again and again; on
 * the others it clears it and fills it again.  A clear in the middle of a merge pass
 * cuts the order list the sort is walking: it then compares "slot 0",
 * the slot before the first, which lies before the session's vmalloc
 * area - the fault the attack found in bt_map_sort.
 */
#define RACE_KEYS	1024
#define RACE_SECS	5	/* how long the correct one races */

/* race_map[r0] = s[r0 % 8 constant]; r0++ */
static void race_fill_body(struct progbuild *pb, void *arg)
{
	static unsigned int n;
	uint32_t map = *(uint32_t *)arg;
	char v[16];

	snprintf(v, sizeof(v), "value %u", n++ % 8);
	EMIT(SLDK, 0, 0, pb_strconst(pb, v), 0);
	EMIT(MSETS, 0, 0, map, 0);
	EXTW(0, 0, 0);
	EMIT(ADDI, 0, 0, 0, 1);
}

static void race_body(struct progbuild *pb, uint32_t rmap, uint32_t cnt, int gcount)
{
	uint32_t jw, je1, jdone, top;

	EMIT(CALLB, 0, BT_B_CPU, 0, 0);		/* r4 = cpu() */
	EMIT(MOV, 0, 4, 0, 0);
	LDI(1, 1);
	EMIT(MADD, 0, 1, cnt, 4);		/* cnt[cpu()] += 1 */
	EXTW(0, 0, 0);
	if (gcount >= 0) {			/* race_count++ */
		EMIT(GLD, 0, 2, gcount, 0);
		EMIT(ADDI, 0, 2, 2, 1);
		EMIT(GST, 0, gcount, 2, 0);
	}
	jw = EMIT(JNZ, 0, 4, 0, 0);
	/*
	 * CPU 0: 8 times, sort by value both ways: most of its time, so
	 * that the other CPUs' clears land in the middle of a sort (a hit
	 * of tens of ms under the emulator, well within max_hit_us)
	 */
	LDI(3, 0);
	LDI(2, 8);
	top = pb_pc(pb);
	EMIT(ITINIT, BT_SORT_ASC, 0, rmap, 0);
	EXTW(0, 0, 0);
	EMIT(ITINIT, BT_SORT_DESC, 0, rmap, 0);
	EXTW(0, 0, 0);
	EMIT(ADDI, 0, 3, 3, 1);
	jdone = EMIT(JCMP, BT_CMP_GE, 3, 2, 0);
	EMIT(LOOP, 0, top, 1, 0);
	pb_insn(pb, jdone)->c = pb_pc(pb);
	je1 = EMIT(ITNEXT, 0, 0, 0, 0);	/* and look at one element */
	EMIT(ITVALS, 0, 0, 0, 0);
	pb_insn(pb, je1)->b = pb_pc(pb);
	RET();
	/* the others: clear it, fill it again */
	pb_insn(pb, jw)->b = pb_pc(pb);
	EMIT(MCLEAR, 0, 0, rmap, 0);
	unrolled(pb, 0, 3, 0, RACE_KEYS, 16, race_fill_body, &rmap);
	RET();
}

static struct blob race_prog(int variant)
{
	struct progbuild *pb = pb_new();
	struct bt_limits l = limits(BT_DEF_MAXACTION);
	struct bt_func_decl ff = frame(4, 1, 0, 0), fp = frame(5, 1, 1, 0);
	uint32_t fill = pb_func_declare(pb, "fill"), prof = pb_func_declare(pb, "profile");
	uint32_t touch = pb_func_declare(pb, "touch");
	struct bt_map_decl sm = { 0 };
	uint32_t rmap, cnt;
	/* no global in the one that runs unfixed: nothing before the map */
	int g = variant == RACE_NOLOCKS ? -1 :
		(int)pb_global(pb, "race_count", BT_KIND_INT, 0, 0);
	struct bt_lock_ref fl, pl[3];
	unsigned int npl = 0;

	sm.capacity = 2 * RACE_KEYS;
	sm.nkeys = 1;
	sm.key_kinds[0] = BT_KIND_INT;
	sm.val_kind = BT_KIND_STR;
	rmap = pb_map(pb, "race_map", &sm);
	cnt = int_map(pb, "cnt", 64);
	fl = lock(BT_LOCK_MAP, rmap, 1);
	/* a sorter busy on CPU 0 is the point: no overload guard; skips are
	 * expected where the locks are right */
	l.flags = BT_LIMIT_NO_OVERLOAD;
	l.maxskipped = 1000000;
	l.maxstringlen = BT_CAP_MAXSTRINGLEN;
	pb_limits(pb, &l);
	pb_func_begin(pb, fill);
	unrolled(pb, 0, 3, 0, RACE_KEYS, 16, race_fill_body, &rmap);
	RET();
	pb_func_end(pb, &ff);
	pb_func_begin(pb, prof);
	if (variant == RACE_CALLEE) {
		EMIT(CALL, 0, touch, 0, 0);
		RET();
	} else {
		race_body(pb, rmap, cnt, g);
	}
	pb_func_end(pb, &fp);
	pb_func_begin(pb, touch);
	if (variant == RACE_CALLEE)
		race_body(pb, rmap, cnt, g);
	else
		RET();
	pb_func_end(pb, &fp);
	switch (variant) {
	case RACE_NOLOCKS:
		break;
	case RACE_CALLEE:	/* race_map only in the callee, and not declared */
		pl[npl++] = lock(BT_LOCK_GLOBAL, g, 1);
		pl[npl++] = lock(BT_LOCK_MAP, cnt, 1);
		break;
	case RACE_GLOBAL:	/* the global written without its lock */
		pl[npl++] = lock(BT_LOCK_MAP, rmap, 1);
		pl[npl++] = lock(BT_LOCK_MAP, cnt, 1);
		break;
	case RACE_READLOCK:	/* race_map sorted and written under a shared lock */
		pl[npl++] = lock(BT_LOCK_GLOBAL, g, 1);
		pl[npl++] = lock(BT_LOCK_MAP, rmap, 0);
		pl[npl++] = lock(BT_LOCK_MAP, cnt, 1);
		break;
	case RACE_CORRECT:
		pl[npl++] = lock(BT_LOCK_GLOBAL, g, 1);
		pl[npl++] = lock(BT_LOCK_MAP, rmap, 1);
		pl[npl++] = lock(BT_LOCK_MAP, cnt, 1);
		break;
	}
	probe(pb, BT_PROBE_BEGIN, fill, 0, "begin", NULL, 0, &fl, 1);
	probe(pb, BT_PROBE_PROFILE, prof, 0, "timer.profile", NULL, 0, pl, npl);
	return finish(pb);
}

/* cnt[0] and cnt[1] from MAP_READ of map index 1 */
static void read_cnt(int fd, int64_t out[2])
{
	static uint8_t buf[1 << 14];
	struct bt_ioc_map_read mr = { .size = sizeof(mr) };
	uint32_t off = 0, i;

	out[0] = out[1] = 0;
	mr.space = BT_MAPREAD_MAP;
	mr.index = 1;
	mr.buf = (uintptr_t)buf;
	mr.buf_len = sizeof(buf);
	if (ioctl(fd, BT_IOC_MAP_READ, &mr))
		return;
	for (i = 0; i < mr.count && off + sizeof(struct bt_mapread_ent) + 16 <= mr.len; i++) {
		struct bt_mapread_ent e;
		int64_t k, v;

		memcpy(&e, buf + off, sizeof(e));
		memcpy(&k, buf + off + sizeof(e), 8);
		memcpy(&v, buf + off + sizeof(e) + 8, 8);
		if (k >= 0 && k < 2)
			out[k] = v;
		if (e.len < sizeof(e))
			break;
		off += e.len;
	}
}

static void t_locks(void)
{
	static const struct { int variant; const char *what, *var; } bad[] = {
		{ RACE_CALLEE, "race_map touched only in a callee, not declared", "race_map" },
		{ RACE_GLOBAL, "a global written without its lock", "race_count" },
		{ RACE_READLOCK, "race_map sorted and written under a read lock", "race_map" },
		{ RACE_NOLOCKS, "timer.profile sorting and clearing race_map, no locks declared",
		  "map '" },
	};
	struct bt_ioc_status st;
	struct recs r = { 0 };
	struct blob b;
	int64_t c[2];
	size_t i;
	int fd, rc;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (only >= 0 && (size_t)only != i)
			continue;
		b = race_prog(bad[i].variant);
		fd = dev_open();
		rc = load(fd, b, 0, NULL);
		free(b.p);
		if (rc == EINVAL && strstr(logbuf, bad[i].var) && strstr(logbuf, "timer.profile")) {
			report(1, "lock sets: %s: LOAD refuses it (%s)", bad[i].what, logbuf);
		} else if (rc) {
			report(0, "lock sets: %s: LOAD fails with %s, without naming the probe and %s (%s)",
			       bad[i].what, strerror(rc), bad[i].var, logbuf);
		} else if (bad[i].variant != RACE_NOLOCKS) {
			report(0, "lock sets: %s: LOAD accepted it (not run)", bad[i].what);
		} else {
			/* the bug: both CPUs on one map without a lock */
			report(0, "lock sets: %s: LOAD accepted it; running it on both CPUs for 10 s",
			       bad[i].what);
			rc = start(fd);
			msleep(10000);
			stop(fd);
			status(fd, &st);
			note("START %s; %llu hits, %llu errors", rc ? strerror(rc) : "ok",
			     (unsigned long long)st.hits, (unsigned long long)st.errors);
		}
		close(fd);
	}

	/* the same code with the right declaration: runs, on both CPUs */
	b = race_prog(RACE_CORRECT);
	fd = dev_open();
	rc = load(fd, b, 0, NULL);
	free(b.p);
	if (rc) {
		report(0, "lock sets: the correctly declared program: LOAD %s (%s)", strerror(rc),
		       logbuf);
		close(fd);
		return;
	}
	rc = start(fd);
	msleep(RACE_SECS * 1000);
	read_cnt(fd, c);
	stop(fd);
	status(fd, &st);
	drain(fd, &r);
	close(fd);
	report(!rc && c[0] > 0 && c[1] > 0 && !st.errors && !r.nerror,
	       "lock sets: declared correctly, timer.profile sorts and refills race_map on both CPUs for %d s: %lld + %lld hits, %llu skipped for a busy lock, %llu errors%s%s",
	       RACE_SECS, (long long)c[0], (long long)c[1], (unsigned long long)st.skipped_lock,
	       (unsigned long long)st.errors, r.nerror ? ": " : "", r.nerror ? r.error : "");
}

/* ===================================================================== */
/* Class 5: memory                                                        */
/* ===================================================================== */

/* nmaps int -> int maps of cap entries each, and a begin probe */
static struct blob maps_prog(int nmaps, uint32_t cap)
{
	struct progbuild *pb = pb_new();
	struct bt_func_decl fr = frame(1, 0, 0, 0);
	uint32_t f = pb_func_declare(pb, "nothing");
	int i;

	for (i = 0; i < nmaps; i++) {
		char name[16];

		snprintf(name, sizeof(name), "mem%d", i);
		int_map(pb, name, cap);
	}
	pb_func_begin(pb, f);
	RET();
	pb_func_end(pb, &fr);
	probe(pb, BT_PROBE_BEGIN, f, 0, "begin", NULL, 0, NULL, 0);
	return finish(pb);
}

/* The reproducer: four 1M-entry maps, ~210 MB. */
static struct blob big_prog(void)
{
	return maps_prog(4, 1u << 20);
}

struct loadres {
	int rc;
	uint64_t mem;
	char log[200];
};

/*
 * k sessions LOAD b at once, each in a child that then holds its session
 * open; par_release() lets them go.  A module-wide ceiling must hold
 * against LOADs that race.
 */
struct par {
	int k, hold;
	pid_t pid[16];
	struct loadres res[16];
	int nok, nnomem, nother, killed;
	uint64_t sum;
};

static void par_load(struct par *p, int k, struct blob b)
{
	int res_pipe[2], hold[2], i;

	memset(p, 0, sizeof(*p));
	p->k = k;
	if (pipe(res_pipe) || pipe(hold)) {
		perror("pipe");
		exit(2);
	}
	for (i = 0; i < k; i++) {
		p->pid[i] = fork();
		if (p->pid[i] == 0) {
			struct loadres lr = { 0 };
			int fd = dev_open();
			char c;

			close(res_pipe[0]);
			close(hold[1]);
			lr.rc = load(fd, b, 0, &lr.mem);
			snprintf(lr.log, sizeof(lr.log), "%.199s", logbuf);
			if (write(res_pipe[1], &lr, sizeof(lr)) != sizeof(lr))
				_exit(3);
			/* keep the session until the parent has measured */
			while (read(hold[0], &c, 1) > 0)
				;
			_exit(0);
		}
	}
	close(res_pipe[1]);
	close(hold[0]);
	p->hold = hold[1];
	for (i = 0; i < k; i++) {
		if (read(res_pipe[0], &p->res[i], sizeof(p->res[i])) != sizeof(p->res[i])) {
			p->res[i].rc = -1;
			snprintf(p->res[i].log, sizeof(p->res[i].log), "(no answer: the child died)");
		}
		if (p->res[i].rc == 0) {
			p->nok++;
			p->sum += p->res[i].mem;
		} else if (p->res[i].rc == ENOMEM) {
			p->nnomem++;
		} else {
			p->nother++;
		}
	}
	close(res_pipe[0]);
}

/* ENOMEM answers whose message names the module parameter param */
static int par_named(const struct par *p, const char *param)
{
	char want[64];
	int i, n = 0;

	snprintf(want, sizeof(want), "(module parameter %s)", param);
	for (i = 0; i < p->k; i++)
		n += p->res[i].rc == ENOMEM && strstr(p->res[i].log, want) != NULL;
	return n;
}

static void par_notes(const struct par *p)
{
	int i;

	for (i = 0; i < p->k; i++)
		note("session %d: %s, %llu MB (%s)", i, p->res[i].rc == 0 ? "loaded" :
		     p->res[i].rc < 0 ? "?" : strerror(p->res[i].rc),
		     (unsigned long long)(p->res[i].mem >> 20), p->res[i].log);
}

static void par_release(struct par *p)
{
	int i, st;

	close(p->hold);
	for (i = 0; i < p->k; i++) {
		waitpid(p->pid[i], &st, 0);
		p->killed += WIFSIGNALED(st);
	}
	sessions_settle();
}

/* mem_in_use from a fresh GET_INFO (~0 from a module without it) */
static uint64_t mem_in_use(void)
{
	struct bt_ioc_info info = { .size = sizeof(info) };
	int fd = dev_open();
	int rc = ioctl(fd, BT_IOC_GET_INFO, &info);

	close(fd);
	return rc || info.size < offsetof(struct bt_ioc_info, mem_in_use) + 8 ? ~0ull :
	       info.mem_in_use;
}

/* mem_used of one LOAD of b, 0 if refused */
static uint64_t load_size(struct blob b)
{
	uint64_t mem = 0;
	int fd = dev_open();

	if (load(fd, b, 0, &mem))
		mem = 0;
	close(fd);
	free(b.p);
	return mem;
}

static void t_memory(void)
{
	const struct bt_ioc_info *mi = module_info();
	long total = meminfo_kb("MemTotal"), base = meminfo_kb("MemAvailable"), peak, after;
	uint64_t smax = mi->max_session_mem, tmax = mi->max_total_mem, per_map, empty, sess;
	struct blob b;
	struct par p;
	int nmaps, k, fits;
	char want[64];

	/* GET_INFO reports the ceilings, as the parameters in sysfs say */
	report(has_ceilings() && mi->abi_minor >= 2 && smax > 0 && tmax >= smax &&
	       (long)smax == read_long("/sys/module/bytetap/parameters/max_session_mem") &&
	       (long)tmax == read_long("/sys/module/bytetap/parameters/max_total_mem") &&
	       (long)mi->max_action == read_long("/sys/module/bytetap/parameters/max_action") &&
	       (long)mi->max_hit_us == read_long("/sys/module/bytetap/parameters/max_hit_us") &&
	       mem_in_use() == 0 && smax <= (uint64_t)total * 1024 / 4,
	       "memory: GET_INFO (ABI %u.%u) reports the ceilings: max_session_mem %llu MB, max_total_mem %llu MB, mem_in_use %lld, max_action %u, max_hit_us %u (guest RAM %ld MB)",
	       mi->abi_major, mi->abi_minor, (unsigned long long)(smax >> 20),
	       (unsigned long long)(tmax >> 20), (long long)mem_in_use(), mi->max_action,
	       mi->max_hit_us, total >> 10);

	/*
	 * The reproducer: five sessions of four 1M-entry maps at
	 * once, ~1 GB in all (the OOM killer panicked the 1 GiB guest).
	 */
	b = big_prog();
	par_load(&p, 5, b);
	free(b.p);
	peak = meminfo_kb("MemAvailable");
	par_notes(&p);
	snprintf(want, sizeof(want), "%s", p.nok ? "max_total_mem" : "max_session_mem");
	report(p.nnomem >= 1 && !p.nother &&
	       par_named(&p, "max_session_mem") + par_named(&p, "max_total_mem") == p.nnomem &&
	       (!tmax || p.sum <= tmax) && peak >= total / 4,
	       "memory: 5 parallel LOADs of four 1M-entry maps: %d loaded (%llu MB), %d refused with ENOMEM naming %s; %ld of %ld MB still available",
	       p.nok, (unsigned long long)(p.sum >> 20), p.nnomem, want, peak >> 10, total >> 10);
	par_release(&p);
	report(!p.killed, "memory: no process killed (%d)", p.killed);

	/*
	 * The module-wide ceiling: sessions each under max_session_mem, more
	 * of them than max_total_mem holds, at once.  Their size from what
	 * a map of 1M (or fewer) entries costs.
	 */
	empty = load_size(maps_prog(0, 1));
	for (k = 20, per_map = 0, nmaps = 0; k >= 12 && !nmaps; k--) {
		per_map = load_size(maps_prog(1, 1u << k)) - empty;
		nmaps = per_map && smax > empty ? (int)((smax * 9 / 10 - empty) / per_map) : 0;
	}
	if (nmaps > 32)
		nmaps = 32;
	if (!nmaps || !tmax) {
		report(0, "memory: sizing sessions under max_session_mem (%llu): a map costs %llu bytes",
		       (unsigned long long)smax, (unsigned long long)per_map);
		return;
	}
	k++;
	b = maps_prog(nmaps, 1u << k);
	sess = load_size(maps_prog(nmaps, 1u << k));
	fits = (int)(tmax / (sess ? sess : 1));
	par_load(&p, fits + 2 > 16 ? 16 : fits + 2, b);
	free(b.p);
	peak = meminfo_kb("MemAvailable");
	{
		uint64_t inuse = mem_in_use();

		par_notes(&p);
		report(p.nok == fits && p.nnomem == p.k - fits && !p.nother &&
		       par_named(&p, "max_total_mem") == p.nnomem && p.sum <= tmax &&
		       inuse >= p.sum && inuse <= tmax,
		       "memory: %d parallel LOADs of %d maps of %u entries (%llu MB each): %d loaded (%llu MB; mem_in_use %llu MB), %d refused with ENOMEM naming max_total_mem (%llu MB)",
		       p.k, nmaps, 1u << k, (unsigned long long)(sess >> 20), p.nok,
		       (unsigned long long)(p.sum >> 20), (unsigned long long)(inuse >> 20),
		       p.nnomem, (unsigned long long)(tmax >> 20));
	}
	par_release(&p);
	after = mem_back(base);
	report(!p.killed && after >= base - 32 * 1024 && mem_in_use() == 0,
	       "memory: all closed: mem_in_use %lld, %ld MB available (%ld before, %ld with them loaded), %d processes killed",
	       (long long)mem_in_use(), after >> 10, base >> 10, peak >> 10, p.killed);
}

/* ===================================================================== */
/* Lifecycle                                                              */
/* ===================================================================== */

/* begin { printf("%d\n", 1) } with the smallest of everything */
static struct blob tiny_prog(void)
{
	struct progbuild *pb = pb_new();
	struct bt_limits l = limits(100);
	struct bt_func_decl fr = frame(1, 0, 0, 0);
	uint32_t fmt = pb_format(pb, "%d\n", 1, 0);
	uint32_t f = pb_func_declare(pb, "begin");

	l.maxnesting = 1;
	l.maxstringlen = 64;
	pb_limits(pb, &l);
	pb_func_begin(pb, f);
	LDI(0, 1);
	EMIT(PRINTF, 0, fmt, 0, 0);
	RET();
	pb_func_end(pb, &fr);
	probe(pb, BT_PROBE_BEGIN, f, 0, "begin", NULL, 0, NULL, 0);
	return finish(pb);
}

/*
 * timer.profile { printf 32 records } on every CPU, and an end probe
 * printing 300: more than its 4 KiB ring holds when nobody reads.
 */
static struct blob flood_prog(void)
{
	struct progbuild *pb = pb_new();
	struct bt_limits l = limits(BT_DEF_MAXACTION);
	struct bt_func_decl fr = frame(1, 0, 0, 0);
	uint32_t fmt = pb_format(pb, "flood %d\n", 1, 0);
	uint32_t fp = pb_func_declare(pb, "flood"), fe = pb_func_declare(pb, "end");
	int i;

	l.flags = BT_LIMIT_NO_OVERLOAD;
	pb_limits(pb, &l);
	pb_func_begin(pb, fp);
	for (i = 0; i < 32; i++) {
		LDI(0, i);
		EMIT(PRINTF, 0, fmt, 0, 0);
	}
	RET();
	pb_func_end(pb, &fr);
	pb_func_begin(pb, fe);
	for (i = 0; i < 300; i++) {
		LDI(0, i);
		EMIT(PRINTF, 0, fmt, 0, 0);
	}
	RET();
	pb_func_end(pb, &fr);
	probe(pb, BT_PROBE_PROFILE, fp, 0, "timer.profile", NULL, 0, NULL, 0);
	probe(pb, BT_PROBE_END, fe, 0, "end", NULL, 0, NULL, 0);
	return finish(pb);
}

/*
 * Hits from everywhere: timer.profile, timer.ms(1) and kprobes inside
 * __x64_sys_getpid, each counting into cnt[cpu()].  The kprobes sit past
 * the fentry call (offset 5; 9 after an ENDBR): int3 kprobes.  On 6.1 the
 * TCG emulator survives those being armed and disarmed while the other
 * vCPU runs the function; on 6.12 it does not, with no bytetap involved
 * (selftests/kprobe-bare at +9, selftests/vm/README.md), so t_kill_firing
 * keeps the getpid loop on the CPU that arms and disarms.
 */
static struct blob firing_prog(void)
{
	struct progbuild *pb = pb_new();
	struct bt_func_decl fr = frame(2, 0, 0, 0);
	uint32_t f = pb_func_declare(pb, "count");
	uint32_t cnt = int_map(pb, "cnt", 64);
	struct bt_lock_ref lk = lock(BT_LOCK_MAP, cnt, 1);

	pb_func_begin(pb, f);
	EMIT(CALLB, 0, BT_B_CPU, 0, 0);
	LDI(1, 1);
	EMIT(MADD, 0, 1, cnt, 0);
	EXTW(0, 0, 0);
	RET();
	pb_func_end(pb, &fr);
	probe(pb, BT_PROBE_PROFILE, f, 0, "timer.profile", NULL, 0, &lk, 1);
	probe(pb, BT_PROBE_TIMER, f, 1000000, "timer.ms(1)", NULL, 0, &lk, 1);
	probe(pb, BT_PROBE_KPROBE, f, 0, "kernel.statement(\"__x64_sys_getpid+5\")",
	      "__x64_sys_getpid", 5, &lk, 1);
	probe(pb, BT_PROBE_KPROBE, f, 0, "kernel.statement(\"__x64_sys_getpid+9\")",
	      "__x64_sys_getpid", 9, &lk, 1);
	return finish(pb);
}

/* Kprobe declarations matching every function at +5 and +9, counting hits. */
static struct blob anyfunc_prog(void)
{
	struct progbuild *pb = pb_new();
	struct bt_func_decl fr = frame(2, 0, 0, 0);
	uint32_t f = pb_func_declare(pb, "any");
	uint32_t g = pb_global(pb, "hits", BT_KIND_INT, 0, 0);
	struct bt_lock_ref lk = lock(BT_LOCK_GLOBAL, g, 1);

	pb_func_begin(pb, f);
	EMIT(GLD, 0, 0, g, 0);
	EMIT(ADDI, 0, 0, 0, 1);
	EMIT(GST, 0, g, 0, 0);
	RET();
	pb_func_end(pb, &fr);
	/* probe 0 at +5, probe 1 at +9 (quiet_functions() below) */
	probe(pb, BT_PROBE_KPROBE, f, 0, "kernel.statement(\"*+5\")", "*", 5, &lk, 1);
	probe(pb, BT_PROBE_KPROBE, f, 0, "kernel.statement(\"*+9\")", "*", 9, &lk, 1);
	return finish(pb);
}

/*
 * Functions nothing in the guest runs (it has no network): kprobes can be
 * armed and disarmed on them under TCG without the emulator's problem.
 * Two entries per function (kprobes stacks probes on one address), up to
 * max entries.  Returns how many.
 */
static const char *const quiet_prefixes[] = {
	"tcp_", "udp_", "inet_", "ip_", "ipv4_", "fib_", "xfrm", "icmp_", "arp_",
	"netlbl_", "cipso_", "ping_", "igmp_", "ip6", "fib6_", "inet6_", "ipmr_",
	"udp4_", "tcp4_", "fib4_", "devinet_",
};

/* ... except what timers and work items of the stack run even so */
static const char *const busy_words[] = { "timer", "work", "_gc", "periodic", "rcu" };

static int blacklisted(const char *name)
{
	static char *bl;
	static size_t bln;
	char pat[300];

	if (!bl) {
		FILE *f = fopen("/sys/kernel/debug/kprobes/blacklist", "r");
		char line[400];
		size_t cap = 1 << 16;

		bl = calloc(1, cap);
		while (f && fgets(line, sizeof(line), f)) {
			char *t = strchr(line, '\t');
			size_t l;

			if (!t)
				continue;
			l = strlen(t);
			if (bln + l + 2 >= cap)
				bl = realloc(bl, cap *= 2);
			memcpy(bl + bln, t, l);	/* "\tname\n" */
			bln += l;
			bl[bln] = 0;
		}
		if (f)
			fclose(f);
	}
	snprintf(pat, sizeof(pat), "\t%s\n", name);
	return strstr(bl, pat) != NULL;
}

/*
 * Kprobes past the fentry call of each quiet function, as
 * kernel.statement("FUNC+9") would put them: int3 kprobes, not the
 * ftrace-based ones of a function's entry (the emulator's problem,
 * selftests/vm/README.md).  The call is at +0 or, after an ENDBR, at +4,
 * so one of +5 and +9 is the next instruction; both are offered,
 * optional, and kprobes refuses the one inside an instruction.  Up to
 * max entries; returns how many.
 */
static uint32_t quiet_functions(struct bt_ioc_probe *e, uint32_t max)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[512], sym[256], t;
	unsigned long long a;
	uint32_t n = 0, k, off;

	while (f && n + 2 <= max && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %255s", &a, &t, sym) != 3 || (t != 't' && t != 'T') ||
		    strchr(line, '[') || strchr(sym, '.') || strlen(sym) >= BT_IOC_SYM_LEN)
			continue;
		for (k = 0; k < sizeof(quiet_prefixes) / sizeof(quiet_prefixes[0]); k++)
			if (!strncmp(sym, quiet_prefixes[k], strlen(quiet_prefixes[k])))
				break;
		if (k == sizeof(quiet_prefixes) / sizeof(quiet_prefixes[0]) || blacklisted(sym))
			continue;
		for (k = 0; k < sizeof(busy_words) / sizeof(busy_words[0]); k++)
			if (strstr(sym, busy_words[k]))
				break;
		if (k < sizeof(busy_words) / sizeof(busy_words[0]))
			continue;
		for (off = 5; off <= 9; off += 4) {
			memset(&e[n], 0, sizeof(e[n]));
			e[n].probe = off == 5 ? 0 : 1;	/* anyfunc_prog()'s */
			e[n].addr = a + off;
			e[n].flags = BT_IOC_PROBE_OPTIONAL;	/* mid-instruction, notrace, ...: skipped */
			snprintf(e[n].symbol, sizeof(e[n].symbol), "%s", sym);
			n++;
		}
	}
	if (f)
		fclose(f);
	return n;
}

/* max_attach from GET_INFO */
static uint32_t max_attach(void)
{
	return module_info()->max_attach ? module_info()->max_attach : 4096;
}

static void t_attach_many(void)
{
	uint32_t max = max_attach(), n, got = 0, got2 = 0, nf = 0, i, j;
	struct bt_ioc_probe *e = calloc(2 * max + 2, sizeof(*e)), *e2, one;
	struct bt_ioc_status st;
	struct blob b = anyfunc_prog();
	double t0, tatt, tatt2, tstart, tstop, tclose;
	int fd, rc, rc2, rc3, listed, armed_rc;

	/* every quiet function once (one of its two entries) ... */
	n = quiet_functions(e, 2 * max);
	fd = dev_open();
	rc = load(fd, b, 0, NULL);
	free(b.p);
	if (rc) {
		report(0, "many kprobes: LOAD: %s (%s)", strerror(rc), logbuf);
		close(fd);
		free(e);
		return;
	}
	t0 = now();
	rc = attach(fd, e, n, &got);
	tatt = now() - t0;
	listed = kprobes_listed();
	for (i = 0; i < n; i++)
		nf += e[i].result == 0;
	report(!rc && got == nf && got >= 1000 && got <= max && listed == (int)got,
	       "many kprobes: ATTACH of %u entries (+5 and +9 of %u quiet functions) in one call: %s, %u attached in %.1f s, %d listed%s%s",
	       n, n / 2, rc ? strerror(rc) : "ok", got, tatt, listed, rc ? ": " : "",
	       rc ? logbuf : "");
	if (got < n / 4) {	/* say why the first few were refused */
		for (i = j = 0; i < n && j < 4; i++)
			if (e[i].result) {
				note("%s+%llu: %s", e[i].symbol,
				     (unsigned long long)(i % 2 ? 9 : 5), strerror(-e[i].result));
				j++;
			}
	}
	/* ... then the ones that took, again and again, up to max_attach in all */
	e2 = calloc(max + 1, sizeof(*e2));
	for (i = j = 0; nf && got + j < max; i = (i + 1) % n)
		if (e[i].result == 0) {
			e2[j] = e[i];
			e2[j++].flags = 0;
		}
	t0 = now();
	rc2 = attach(fd, e2, j, &got2);
	tatt2 = now() - t0;
	one = e2[0];
	rc3 = attach(fd, &one, 1, NULL);
	report(!rc2 && got + got2 == max && rc3 == E2BIG && strstr(logbuf, "max_attach"),
	       "many kprobes: %u more (more kprobes on the same addresses) in %.1f s: %u attached; one more gets %s (%s)",
	       got2, tatt2, got + got2, rc3 ? strerror(rc3) : "0", logbuf);
	/* arm them all (nothing runs these functions), then take them down */
	t0 = now();
	armed_rc = start(fd);
	tstart = now() - t0;
	msleep(200);
	t0 = now();
	stop(fd);
	tstop = now() - t0;
	status(fd, &st);
	t0 = now();
	close(fd);
	tclose = now() - t0;
	listed = kprobes_listed();
	report(!armed_rc && listed == 0 && !st.errors,
	       "many kprobes: START arms %u in %.1f s, STOP in %.1f s, close in %.1f s; %d kprobes left, %llu hits",
	       got + got2, tstart, tstop, tclose, listed, (unsigned long long)st.hits);
	free(e);
	free(e2);
}

/*
 * SIGKILL a child at delays spread over the phase to hit.  The child
 * writes 'a' to the pipe when it enters the phase and 'b' when it leaves
 * it; a kill that landed between the two is counted as "during".
 */
static int kill_rounds(const char *what, int rounds, int step_ms,
		       void (*child)(int wfd, void *arg), void *arg)
{
	int i, during = 0, before = 0;

	for (i = 0; i < rounds; i++) {
		int p[2], st, fl;
		char c, seen[4] = "";
		size_t ns = 0;
		pid_t pid;

		if (pipe(p)) {
			perror("pipe");
			exit(2);
		}
		pid = fork();
		if (pid == 0) {
			close(p[0]);
			child(p[1], arg);
			_exit(0);
		}
		close(p[1]);
		/* wait for the child to open its session, then the delay */
		if (read(p[0], &c, 1) == 1 && ns < 3)
			seen[ns++] = c;
		msleep(i * step_ms);
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		fl = fcntl(p[0], F_GETFL);
		fcntl(p[0], F_SETFL, fl | O_NONBLOCK);
		while (ns < 3 && read(p[0], &c, 1) == 1)
			seen[ns++] = c;
		close(p[0]);
		if (!strchr(seen, 'a'))
			before++;
		else if (!strchr(seen, 'b'))
			during++;
	}
	note("%s: %d kills, %d during the phase, %d before it", what, rounds, during, before);
	return during;
}

static void mark(int wfd, char c)
{
	if (write(wfd, &c, 1) != 1)
		_exit(3);
}

static void child_load(int wfd, void *arg)
{
	struct blob *b = arg;
	int fd = dev_open();

	mark(wfd, 'o');
	mark(wfd, 'a');
	load(fd, *b, 0, NULL);
	mark(wfd, 'b');
	start(fd);
	pause();
}

struct attach_arg {
	struct blob b;
	struct bt_ioc_probe *e;
	uint32_t n;
};

static void child_attach(int wfd, void *arg)
{
	struct attach_arg *a = arg;
	int fd = dev_open();

	if (load(fd, a->b, 0, NULL))
		_exit(3);
	mark(wfd, 'o');
	mark(wfd, 'a');
	attach(fd, a->e, a->n, NULL);
	mark(wfd, 'b');
	pause();
}

/* reads its output, but slowly: the rings stay full */
static void child_flood(int wfd, void *arg)
{
	static uint8_t buf[1 << 16];
	int fd = dev_open();

	if (load(fd, *(struct blob *)arg, 0, NULL) || start(fd))
		_exit(3);
	mark(wfd, 'o');
	mark(wfd, 'a');
	for (;;) {
		if (read(fd, buf, sizeof(buf)) < 0 && errno != EINTR)
			break;
		usleep(2000);
	}
	pause();
}

static uint64_t getpid_addr;

static void child_firing(int wfd, void *arg)
{
	struct bt_ioc_probe e[2];
	static uint8_t buf[1 << 16];
	uint32_t n = 0;
	int fd;

	pin(1);	/* arm and disarm on the CPU that runs the getpid loop */
	fd = dev_open();
	memset(e, 0, sizeof(e));
	e[0].probe = 2;
	e[1].probe = 3;
	e[0].addr = getpid_addr + 5;
	e[1].addr = getpid_addr + 9;
	e[0].flags = e[1].flags = BT_IOC_PROBE_OPTIONAL;
	snprintf(e[0].symbol, sizeof(e[0].symbol), "__x64_sys_getpid");
	snprintf(e[1].symbol, sizeof(e[1].symbol), "__x64_sys_getpid");
	if (load(fd, *(struct blob *)arg, 0, NULL) || attach(fd, e, 2, &n) || n < 1 ||
	    start(fd))
		_exit(3);
	mark(wfd, 'o');
	mark(wfd, 'a');
	for (;;)
		if (read(fd, buf, sizeof(buf)) < 0 && errno != EINTR)
			break;
	pause();
}

/*
 * After kills: every session released, memory and kprobes back; and at
 * least one kill landed inside the phase (else the test tested nothing).
 */
static void check_clean(const char *what, long base_kb, int during)
{
	long left = sessions_settle(), after;
	int kp;

	after = mem_back(base_kb);
	kp = kprobes_listed();
	report(left == 0 && kp == 0 && after >= base_kb - 32 * 1024 && during > 0 &&
	       (!has_ceilings() || mem_in_use() == 0),
	       "%s: %d kills inside it; every session released (%ld open), %d kprobes left, %ld MB available (%ld before)",
	       what, during, left, kp, after >> 10, base_kb >> 10);
}

/*
 * A LOAD that takes a while: maps of about half of max_session_mem to
 * allocate and zero, and 24 functions of 65535 instructions (12 MB of
 * code) for the verifier, each called from the begin probe so that the
 * lock sets walk them all.
 */
static struct blob slow_load_prog(void)
{
	struct progbuild *pb = pb_new();
	struct bt_func_decl fr = frame(2, 0, 0, 0);
	uint64_t smax = module_info()->max_session_mem;
	uint32_t f = pb_func_declare(pb, "begin"), g[24];
	int nmaps = smax ? (int)(smax / 2 / (26u << 20)) : 2, i, j;

	for (i = 0; i < nmaps && i < 8; i++) {
		char name[16];

		snprintf(name, sizeof(name), "mem%d", i);
		int_map(pb, name, 1u << 20);	/* 2 Mi slots of 26 bytes */
	}
	for (i = 0; i < 24; i++) {
		char name[16];

		snprintf(name, sizeof(name), "f%d", i);
		g[i] = pb_func_declare(pb, name);
	}
	pb_func_begin(pb, f);
	for (i = 0; i < 24; i++)
		EMIT(CALL, 0, g[i], 0, 0);
	RET();
	pb_func_end(pb, &fr);
	for (i = 0; i < 24; i++) {
		pb_func_begin(pb, g[i]);
		LDI(1, 1);
		for (j = 0; j < 65535 - 2; j++)
			EMIT(ADD, 0, 0, 0, 1);
		RET();
		pb_func_end(pb, &fr);
	}
	probe(pb, BT_PROBE_BEGIN, f, 0, "begin", NULL, 0, NULL, 0);
	return finish(pb);
}

static void t_kill_load(void)
{
	struct blob b = slow_load_prog();
	long base = meminfo_kb("MemAvailable");
	uint64_t mem = 0;
	double t0, dt;
	int fd, rc, during;

	/* how long one LOAD takes, to spread the kills over it */
	fd = dev_open();
	t0 = now();
	rc = load(fd, b, 0, &mem);
	dt = now() - t0;
	close(fd);
	note("one LOAD of %zu KB of program and %llu MB: %s in %.2f s", b.n >> 10,
	     (unsigned long long)(mem >> 20), rc ? strerror(rc) : "ok", dt);
	if (rc) {
		report(0, "SIGKILL during LOAD: the program does not load (%s)", logbuf);
		free(b.p);
		return;
	}
	sessions_settle();
	during = kill_rounds("SIGKILL during LOAD", 10, (int)(dt * 1000 / 8) + 1, child_load, &b);
	check_clean("SIGKILL during LOAD of 12 MB of code and big maps", base, during);
	free(b.p);
}

static void t_kill_attach(void)
{
	uint32_t max = max_attach();
	struct attach_arg a;
	long base = meminfo_kb("MemAvailable");
	int during;

	a.e = calloc(2 * max, sizeof(*a.e));
	a.n = quiet_functions(a.e, 2 * max);
	a.b = anyfunc_prog();
	during = kill_rounds("SIGKILL during ATTACH", 6, 400, child_attach, &a);
	check_clean("SIGKILL during an ATTACH of thousands of kprobes", base, during);
	free(a.b.p);
	free(a.e);
}

static void t_kill_flood(void)
{
	struct blob b = flood_prog();
	long base = meminfo_kb("MemAvailable");
	int during = kill_rounds("SIGKILL during a flood of output", 5, 300, child_flood, &b);

	check_clean("SIGKILL during a flood of output from both CPUs", base, during);
	free(b.p);
}

/* a workload of selftests/workloads (getpid_loop, open_loop) pinned to cpu */
static pid_t pinned_loop(const char *name, int cpu)
{
	pid_t pid = fork();

	if (pid == 0) {
		pin(cpu);
		execlp(name, name, "2000000000", (char *)NULL);
		_exit(127);
	}
	return pid;
}

static pid_t getpid_loop(int cpu) { return pinned_loop("getpid_loop", cpu); }
static pid_t open_loop(int cpu) { return pinned_loop("open_loop", cpu); }

static void t_kill_firing(void)
{
	struct blob b = firing_prog();
	long base = meminfo_kb("MemAvailable");
	pid_t w0, w1;
	int alive, during;

	/*
	 * The kprobes fire on CPU 1, where the session's owner arms them and,
	 * killed, disarms them; CPU 0 runs timer.profile and a loop of
	 * another system call.  (Patching a function that the other vCPU is
	 * running crashes a 6.12 guest under TCG: see firing_prog.)
	 */
	getpid_addr = kallsyms("__x64_sys_getpid");
	w0 = open_loop(0);
	w1 = getpid_loop(1);
	msleep(200);
	during = kill_rounds("SIGKILL while timers and kprobes fire", 5, 250,
			     child_firing, &b);
	alive = kill(w0, 0) == 0 && kill(w1, 0) == 0 && waitpid(w0, NULL, WNOHANG) == 0 &&
		waitpid(w1, NULL, WNOHANG) == 0;
	kill(w0, SIGKILL);
	kill(w1, SIGKILL);
	waitpid(w0, NULL, 0);
	waitpid(w1, NULL, 0);
	report(alive, "SIGKILL while timers and kprobes fire: the open and getpid loops on CPUs 0 and 1 run on");
	check_clean("SIGKILL while timer.profile, timer.ms(1) (both CPUs) and kprobes in getpid (CPU 1) fire",
		    base, during);
	free(b.p);
}

/*
 * SIGKILL while START runs a begin probe, or STOP an end probe, that
 * would work for minutes: the probe stops at the signal, the process
 * dies at once (well before 10 x max_hit_us) and its session is freed.
 */
static void kill_in_probe(enum trigger how)
{
	const char *what = how == IN_BEGIN ? "START running a long begin probe" :
			   "STOP running a long end probe";
	struct blob b = strings_prog(how);
	long base = meminfo_kb("MemAvailable");
	double t0, tdie;
	int p[2], st;
	char c = 0;
	pid_t pid;

	if (pipe(p)) {
		perror("pipe");
		exit(2);
	}
	pid = fork();
	if (pid == 0) {
		int fd = dev_open();

		close(p[0]);
		if (load(fd, b, 0, NULL) || (how == IN_END && start(fd)))
			_exit(3);
		mark(p[1], 'a');
		if (how == IN_BEGIN)
			start(fd);
		else
			stop(fd);
		mark(p[1], 'b');
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1 || c != 'a') {
		waitpid(pid, &st, 0);
		report(0, "SIGKILL during %s: the child did not get there (status %d)", what, st);
		close(p[0]);
		free(b.p);
		return;
	}
	msleep(1000);
	t0 = now();
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	tdie = now() - t0;
	c = 0;
	if (read(p[0], &c, 1) != 1)
		c = 0;
	close(p[0]);
	report(WIFSIGNALED(st) && c != 'b' && tdie < 1.0,
	       "SIGKILL during %s: the process is gone %.2f s after the signal (%s)",
	       what, tdie, c == 'b' ? "but the ioctl had returned before" : "killed inside it");
	check_clean(how == IN_BEGIN ? "SIGKILL during START in a long begin probe" :
		    "SIGKILL during STOP in a long end probe", base, c != 'b');
	free(b.p);
}

static void t_kill_probe(void)
{
	if (only < 0 || only == 0)
		kill_in_probe(IN_BEGIN);
	if (only < 0 || only == 1)
		kill_in_probe(IN_END);
}

static void t_noreader(void)
{
	struct blob b = flood_prog();
	struct bt_ioc_status s1, s2, s3;
	struct recs r = { 0 };
	double t0, tstop;
	int fd = dev_open(), rc;

	rc = load(fd, b, 4096, NULL);
	free(b.p);
	if (rc || start(fd)) {
		report(0, "a reader that never reads: LOAD/START: %s (%s)", strerror(rc), logbuf);
		close(fd);
		return;
	}
	msleep(1500);
	status(fd, &s1);
	msleep(1000);
	status(fd, &s2);
	t0 = now();
	rc = stop(fd);
	tstop = now() - t0;
	status(fd, &s3);
	drain(fd, &r);
	close(fd);
	report(s1.records_dropped > 0 && s2.hits > s1.hits && s2.state == BT_STATE_RUNNING &&
	       !s2.exit_requested,
	       "a reader that never reads: records dropped and counted (%llu, then %llu), the probes run on (%llu, then %llu hits)",
	       (unsigned long long)s1.records_dropped, (unsigned long long)s2.records_dropped,
	       (unsigned long long)s1.hits, (unsigned long long)s2.hits);
	report(!rc && tstop < 3 && s3.state == BT_STATE_STOPPED && r.nprintf > 0,
	       "a reader that never reads: STOP returns in %.2f s (end probes print into a full ring), then %u records read to EOF, %llu dropped in all",
	       tstop, r.nprintf, (unsigned long long)s3.records_dropped);
}

static void t_thousand(void)
{
	enum { N = 1000 };
	static int fds[N];
	struct rlimit rl = { 4096, 4096 };
	struct blob b = tiny_prog();
	long base = meminfo_kb("MemAvailable"), peak, after, open_now;
	uint64_t mem = 0, sum = 0;
	int i, nopen = 0, nload = 0, nstart = 0, first_rc = 0;
	double t0 = now(), tup, tdown;
	char first_log[200] = "";

	setrlimit(RLIMIT_NOFILE, &rl);
	for (i = 0; i < N; i++) {
		int rc;

		fds[i] = open("/dev/bytetap", O_RDWR | O_CLOEXEC);
		if (fds[i] < 0)
			continue;
		nopen++;
		rc = load(fds[i], b, 4096, &mem);
		if (rc) {
			if (!first_rc) {
				first_rc = rc;
				snprintf(first_log, sizeof(first_log), "%.199s", logbuf);
			}
			continue;
		}
		nload++;
		sum += mem;
		nstart += start(fds[i]) == 0;
	}
	tup = now() - t0;
	peak = meminfo_kb("MemAvailable");
	open_now = sessions_open();
	t0 = now();
	for (i = 0; i < N; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	tdown = now() - t0;
	sessions_settle();
	after = mem_back(base);
	report(nopen == N && nload == N && nstart == N && open_now >= N,
	       "1000 sessions at once: %d opened, %d loaded (%llu KB each), %d started in %.1f s; %ld open in the module%s%s",
	       nopen, nload, (unsigned long long)(nload ? (sum / nload) >> 10 : 0), nstart, tup,
	       open_now, first_rc ? "; first refusal: " : "", first_rc ? first_log : "");
	report(sessions_open() == 0 && after >= base - 32 * 1024,
	       "1000 sessions at once: closed in %.1f s; %ld open after, %ld MB available (%ld before, %ld with them open)",
	       tdown, sessions_open(), after >> 10, base >> 10, peak >> 10);
	free(b.p);
}

/* ===================================================================== */

static const struct {
	const char *name;
	void (*fn)(void);
	int heartbeat;
} tests[] = {
	{ "try-depth", t_try_depth, 0 },
	{ "long-texts", t_long_texts, 0 },
	{ "maxaction", t_maxaction, 1 },
	{ "strings", t_strings, 1 },
	{ "sort", t_sort, 1 },
	{ "regex", t_regex, 1 },
	{ "collide", t_collide, 1 },
	{ "locks", t_locks, 0 },
	{ "memory", t_memory, 0 },
	{ "kill-load", t_kill_load, 0 },
	{ "kill-attach", t_kill_attach, 0 },
	{ "kill-flood", t_kill_flood, 0 },
	{ "kill-firing", t_kill_firing, 0 },
	{ "kill-probe", t_kill_probe, 0 },
	{ "no-reader", t_noreader, 0 },
	{ "thousand", t_thousand, 0 },
	{ "attach-many", t_attach_many, 0 },
};

int main(int argc, char **argv)
{
	size_t i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	dump_dir = getenv("BT_CLASSES_DUMP");
	if (argc == 3)
		only = atoi(argv[2]);
	for (i = 0; (argc == 2 || argc == 3) && i < sizeof(tests) / sizeof(tests[0]); i++) {
		if (strcmp(argv[1], tests[i].name))
			continue;
		if (tests[i].heartbeat)
			hb_start();
		tests[i].fn();
		if (tests[i].heartbeat)
			hb_stop();
		return nfail ? 1 : 0;
	}
	fprintf(stderr, "usage: bt-hostile-classes TEST\ntests:");
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		fprintf(stderr, " %s", tests[i].name);
	fprintf(stderr, "\n");
	return 2;
}
