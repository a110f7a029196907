/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * bt_ioctl.h - the ioctl ABI of the bytetap kernel module (/dev/bytetap).
 *
 * This header is all a front end needs to drive the module: it is shared,
 * unchanged, by the module (vm-module/) and by bin/bytetap
 * (userland/rt_kernel.c), and documented in doc/ioctl-abi.md.
 *
 * Model.  One open file of /dev/bytetap is one session; only a process with
 * CAP_SYS_ADMIN may open it (anyone else gets EPERM).  A session goes
 *
 *	open -> LOAD -> ATTACH* -> START -> (read/poll, STATUS)* -> STOP
 *	     -> read until EOF -> close
 *
 * and close() at any point (including the process being killed) stops the
 * session, unregisters every probe, cancels every timer and frees all of
 * its memory.  begin, end and error probes run inside the module, in
 * process context, during START and STOP; kprobes, kretprobes, timer.* and
 * timer.profile run in probe context between them.  Output is a stream of
 * struct bt_rec records (bt_record.h) that read() hands out; the program's
 * formats say how to turn them into text (userland/output.c does it).
 *
 * Versioning and extension.  Every argument struct starts with
 * { __u32 size; __u32 flags; }.  The caller sets size to sizeof() the
 * struct as its header knows it.  The module accepts a smaller struct from
 * an older caller (the missing tail counts as zero) and a larger one from a
 * newer caller only if every byte it does not know is zero (else E2BIG);
 * on output it writes no more than size bytes.  Unknown flag bits are
 * refused with EINVAL.  The command numbers below are matched on type and
 * number only (_IOC_TYPE, _IOC_NR), never on the size encoded in them, so
 * a struct may grow without a new command.  BT_IOC_ABI_MAJOR changes on an
 * incompatible change, BT_IOC_ABI_MINOR on an addition; GET_INFO reports
 * both and works on every version.
 *
 * Errors.  Commands return 0 or -1 with errno.  EINVAL with a message for
 * anything wrong with what was passed: LOAD and ATTACH copy a NUL-terminated
 * explanation to log_buf (when given) - e.g. the verifier's
 * "func 'probe_0' pc 12: jump target 40 out of range".  EBUSY for a
 * command in the wrong session state, EFAULT for a bad pointer, ENOMEM
 * when the session would exceed max_session_mem.
 */
#ifndef BT_IOCTL_H
#define BT_IOCTL_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define BT_DEV_NAME		"bytetap"	/* /dev/bytetap */
#define BT_IOC_ABI_MAJOR	1
#define BT_IOC_ABI_MINOR	2	/* 1: tracepoint probes; 2: GET_INFO ceilings */
#define BT_IOC_MAGIC		0xb7

/* Fixed-size text fields. */
/*
 * A probed function's name incl. its NUL (struct bt_ioc_probe, and the
 * symbol of a kprobe or tracepoint probe in the program): bytetap's own
 * limit, part of this ABI.  It is not the kernel's KSYM_NAME_LEN, which is
 * 512 since Linux 6.1 (128 before; include/linux/kallsyms.h): a function
 * or tracepoint whose name has 128 bytes or more cannot be probed - LOAD
 * refuses the probe ("bad symbol", "bad tracepoint name") and ATTACH the
 * entry ("symbol name missing or not terminated").
 */
#define BT_IOC_SYM_LEN		128
#define BT_IOC_VERSION_LEN	32

/* ------------------------------------------------------------------ */
/* GET_INFO: what this module is and what it allows.  Output only.    */
/* ------------------------------------------------------------------ */
struct bt_ioc_info {
	__u32 size;		/* in: caller's sizeof; out: the module's sizeof */
	__u32 flags;		/* in: 0 */
	__u16 abi_major;	/* BT_IOC_ABI_MAJOR of the module */
	__u16 abi_minor;
	__u16 prog_abi_major;	/* program format (bt_prog.h BT_ABI_*) it runs */
	__u16 prog_abi_minor;
	__u32 ncpus;		/* nr_cpu_ids: CPU numbers are < ncpus */
	__u32 max_attach;	/* kprobe/kretprobe attachments per session */
	__u64 max_blob;		/* largest program LOAD accepts, bytes */
	__u64 max_session_mem;	/* cap on one session's memory (maps, rings, ...) */
	__u32 ring_size_default; /* per-CPU output ring, bytes */
	__u32 ring_size_max;
	__u32 min_timer_ns;	/* shortest timer.* period accepted */
	__u32 features;		/* BT_FEAT_* */
	char version[BT_IOC_VERSION_LEN];	/* module version, NUL-terminated */
	/* ABI minor 2: the module's ceilings (module parameters) */
	__u64 max_total_mem;	/* cap on all sessions' memory together */
	__u64 mem_in_use;	/* bytes all sessions hold now */
	__u32 max_action;	/* largest MAXACTION a program may ask for */
	__u32 max_hit_us;	/* longest handler run in probe context, us
				 * (begin/end/error probes: 10x) */
};

enum bt_ioc_features {
	BT_FEAT_KPROBE = 1 << 0,
	BT_FEAT_KRETPROBE = 1 << 1,
	BT_FEAT_TIMER = 1 << 2,		/* timer.s/ms/us/ns/hz/jiffies (hrtimer) */
	BT_FEAT_PROFILE = 1 << 3,	/* timer.profile */
	BT_FEAT_MAP_READ = 1 << 4,	/* BT_IOC_MAP_READ */
	BT_FEAT_TRACEPOINT = 1 << 5,	/* kernel.trace(): core tracepoints, at LOAD */
};

/* ------------------------------------------------------------------ */
/* LOAD: copy a program in once, check and verify it, allocate it.    */
/* ------------------------------------------------------------------ */
/*
 * The blob is a whole program file (bt_prog.h), copied into the module in
 * one piece; bt_load() and bt_verify() - the same code user space runs -
 * check it there before anything can run it.  Maps, globals, per-CPU
 * contexts and output rings are all allocated here; nothing is allocated
 * once probes run.  Valid once per session.
 */
struct bt_ioc_load {
	__u32 size;
	__u32 flags;		/* 0 */
	__u64 blob;		/* in: user pointer to the program */
	__u32 blob_len;		/* in: its length (<= info.max_blob) */
	__u32 ring_size;	/* in: per-CPU output ring bytes, 0 = default;
				 * rounded up to a power of two */
	__s32 target_pid;	/* in: what target() returns (-x / -c), 0 = none */
	__u32 log_size;		/* in: bytes at log_buf */
	__u64 log_buf;		/* in: user pointer, 0 = no message wanted */
	__u64 mem_used;		/* out: bytes the session allocated */
};

/* ------------------------------------------------------------------ */
/* ATTACH: give kprobe / kretprobe probes their addresses.            */
/* ------------------------------------------------------------------ */
/*
 * User space resolves each KPROBE / KRETPROBE probe point of the program
 * (bt_probe_decl.symbol, which may hold the glob characters * ? [ ]) to
 * functions with /proc/kallsyms and passes one entry per function.  The
 * module checks each entry: probe must be a kprobe/kretprobe declaration,
 * symbol must match the declaration's symbol (exactly, or as a glob), and
 * the kernel's own symbol table must say addr is symbol + the
 * declaration's offset.  A mismatch, an address in this module, or a
 * function kprobes refuses (its blacklist, __kprobes code, not an
 * instruction boundary) fails the entry.  Probes are registered disabled;
 * START enables them all at once.
 *
 * A failing entry without BT_IOC_PROBE_OPTIONAL fails the whole call
 * (EINVAL, ENOENT, ...; nothing of this call stays registered); an
 * optional one just reports its error in result.  May be called several
 * times before START.  begin/end/error/timer/profile probes need no ATTACH;
 * tracepoint probes are registered by LOAD itself (by name, disabled until
 * START).
 */
struct bt_ioc_probe {
	__u32 probe;		/* in: index into the program's PROBES table */
	__u32 flags;		/* in: BT_IOC_PROBE_* */
	__u64 addr;		/* in: address of symbol + offset, from kallsyms */
	char symbol[BT_IOC_SYM_LEN];	/* in: the function's name, NUL-terminated */
	__s32 result;		/* out: 0 or -errno */
	__u32 pad;		/* 0 */
};

enum bt_ioc_probe_flags {
	BT_IOC_PROBE_OPTIONAL = 1,	/* a failure is not an error */
};

struct bt_ioc_attach {
	__u32 size;
	__u32 flags;		/* 0 */
	__u64 probes;		/* in: user pointer to struct bt_ioc_probe[nprobes] */
	__u32 nprobes;
	__u32 probe_size;	/* in: sizeof(struct bt_ioc_probe) as the caller knows it */
	__u64 log_buf;		/* in: message on failure, as LOAD */
	__u32 log_size;
	__u32 nattached;	/* out: entries registered by this call */
};

/* ------------------------------------------------------------------ */
/* START / STOP                                                       */
/* ------------------------------------------------------------------ */
/*
 * START runs the begin probes (in begin(N) order, in process context),
 * then arms every attached kprobe and kretprobe and every timer at once.
 * If a begin probe called exit() or failed, nothing is armed and the
 * session is already asking to stop (STATUS, POLLPRI).
 *
 * STOP disarms everything, waits for running handlers to finish, then runs
 * the end probes (or, when the session ended in error, the error probes),
 * again in process context; their output is in the rings.  read() then
 * returns the remaining records and 0 (EOF) when they are gone.  STOP is
 * also what close() does; it is valid in any state after LOAD and
 * idempotent.
 */
struct bt_ioc_start {
	__u32 size;
	__u32 flags;		/* 0 */
};

struct bt_ioc_stop {
	__u32 size;
	__u32 flags;		/* BT_IOC_STOP_* */
};

enum bt_ioc_stop_flags {
	BT_IOC_STOP_NO_END = 1,	/* don't run the end probes */
};

/* ------------------------------------------------------------------ */
/* STATUS: the session's state and counters.  Output only.            */
/* ------------------------------------------------------------------ */
enum bt_ioc_state {
	BT_STATE_OPEN = 0,	/* nothing loaded */
	BT_STATE_LOADED,	/* LOAD done; ATTACH allowed */
	BT_STATE_RUNNING,	/* START done; probes armed */
	BT_STATE_STOPPED,	/* STOP done (end/error probes have run) */
};

struct bt_ioc_status {
	__u32 size;
	__u32 flags;		/* in: 0 */
	__u32 state;		/* enum bt_ioc_state */
	__u32 exit_requested;	/* exit() was called, an error ended the
				 * session, or the overload guard tripped:
				 * the front end should STOP */
	__u32 error_state;	/* the session ended in error (no end probes) */
	__u32 overload;		/* the overload guard stopped the session */
	__u32 aborted;		/* abort() was called: no end probes */
	__u32 pad;
	__u64 errors;		/* runtime errors (SystemTap's error_count) */
	__u64 skipped;		/* skipped probes counted against MAXSKIPPED
				 * (SystemTap's skipped_count): lock timeouts */
	__u64 skipped_lock;	/* of which: a global's lock was busy */
	__u64 skipped_reentrancy; /* a handler would have nested on a CPU
				 * (reported, not counted against MAXSKIPPED) */
	__u64 kprobe_missed;	/* kprobes' own nmissed, kretprobe misses */
	__u64 records_dropped;	/* output records lost to full rings */
	__u64 hits;		/* handler runs, all probes */
	__u64 probe_cycles;	/* time in handlers, all CPUs (0 with
				 * STP_NO_OVERLOAD, which skips the clock) */
};

/* ------------------------------------------------------------------ */
/* MAP_READ: read a global, array or statistic, merged across CPUs.   */
/* ------------------------------------------------------------------ */
/*
 * Copies out one global (space BT_MAPREAD_GLOBAL) or map (BT_MAPREAD_MAP),
 * index as in the program's GLOBALS / MAPS tables.  Statistics are merged
 * from every CPU's partial at the time of the call.  Allowed while
 * running (it takes the variable's lock for reading, which makes
 * handlers that write it skip while it is held) and after STOP.
 *
 * buf receives entries back to back, each 8-byte aligned:
 *
 *	struct bt_mapread_ent	(len covers the whole entry)
 *	__s64 ikeys[nik]	the integer keys, in tuple order
 *	strings			the string keys, then a string value:
 *				each a __u16 length and the bytes (no NUL)
 *	value			INT: one __s64.  STATS: struct bt_mapread_stat,
 *				then __s64 hist[nbuckets].
 *
 * When buf is too small, the call copies the entries that fit, sets
 * ENOSPC and total to the number of entries there are.
 */
enum bt_mapread_space {
	BT_MAPREAD_GLOBAL = 1,
	BT_MAPREAD_MAP = 2,
};

struct bt_ioc_map_read {
	__u32 size;
	__u32 flags;		/* 0 */
	__u32 space;		/* enum bt_mapread_space */
	__u32 index;
	__u64 buf;		/* in: user pointer */
	__u32 buf_len;
	__u32 count;		/* out: entries written */
	__u32 total;		/* out: entries there are */
	__u32 len;		/* out: bytes written */
};

struct bt_mapread_ent {
	__u32 len;		/* bytes of this entry, multiple of 8 */
	__u16 nik;		/* integer keys */
	__u16 nsk;		/* string keys */
	__u8 val_kind;		/* BT_KIND_INT, BT_KIND_STR, BT_KIND_STATS */
	__u8 pad[7];
};

struct bt_mapread_stat {
	__s64 count, sum, min, max;
	__s64 avg_s, m2, variance_s;	/* as struct bt_stat */
	__u32 nbuckets;
	__u32 pad;
};

/* ------------------------------------------------------------------ */
/* Commands                                                           */
/* ------------------------------------------------------------------ */
#define BT_IOC_GET_INFO		_IOWR(BT_IOC_MAGIC, 0, struct bt_ioc_info)
#define BT_IOC_LOAD		_IOWR(BT_IOC_MAGIC, 1, struct bt_ioc_load)
#define BT_IOC_ATTACH		_IOWR(BT_IOC_MAGIC, 2, struct bt_ioc_attach)
#define BT_IOC_START		_IOW(BT_IOC_MAGIC, 3, struct bt_ioc_start)
#define BT_IOC_STOP		_IOW(BT_IOC_MAGIC, 4, struct bt_ioc_stop)
#define BT_IOC_STATUS		_IOWR(BT_IOC_MAGIC, 5, struct bt_ioc_status)
#define BT_IOC_MAP_READ		_IOWR(BT_IOC_MAGIC, 6, struct bt_ioc_map_read)

/*
 * read(fd, buf, len) returns whole records (struct bt_rec, bt_record.h),
 * back to back, in time order across CPUs as far as it can tell; it never
 * splits a record (EINVAL if len is smaller than the next one; 64 KiB
 * always suffices).  It blocks while the rings are empty and the session
 * is running (EAGAIN with O_NONBLOCK), and returns 0 once the session is
 * stopped and every record has been read.  poll(): POLLIN when records
 * are waiting, POLLPRI when the session asks to be stopped (exit(),
 * error, overload), POLLHUP once STOP is done and nothing is left to read.
 */

#endif /* BT_IOCTL_H */
