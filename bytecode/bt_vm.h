/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bt_vm.h - the interpreter and its run-time state.
 *
 * Two kinds of state, both in memory the host gives once, zeroed, and
 * sized by functions here; the VM never allocates:
 *
 * struct bt_session - one per loaded program, shared by every CPU.
 *	bt_session_size(prog, ncpus) bytes; bt_session_init() lays out, in
 *	that one region: the int and string globals (with their initial
 *	values), every map, the parsed formats, and the error / skip / drop
 *	counters.  Maps of statistics get one table per CPU (only that CPU
 *	writes it, so `<<<` takes no lock) plus one aggregation table that
 *	foreach fills by merging them; a scalar statistic is a map with no
 *	keys.  Everything inside refers to the region by pointers computed at
 *	init, so the region must not move afterwards.
 *
 * struct bt_ctx - one per CPU (or per concurrently running handler):
 *	bt_ctx_size(prog) bytes; the frame stack (MAXNESTING + 1 frames of
 *	the largest function: int registers, iterators, MAXSTRINGLEN string
 *	registers), the try stack, the error message, the regex captures,
 *	tokenize()'s state, the PRNG, scratch strings.
 *
 * Running: bt_run_probe(ctx, probe) zeroes a frame for the handler (only
 * nregs ints, the first byte of each string and the iterators), sets the
 * action budget to MAXACTION and interprets.  Output goes to the host as
 * records (bt_record.h).  A runtime error jumps to the innermost TRY's
 * catch target in this or a calling frame; otherwise the VM emits an ERROR
 * record (message, failing pc) and stops the handler: BT_RUN_ERROR.  The
 * host then calls bt_session_note_error() and ends the session when it
 * says so.  "MAXACTION exceeded" and abort() are never caught.
 *
 * Work and time: MAXACTION bounds the statements of a hit, but not what
 * one statement costs, so the VM also counts work, in units of about one
 * instruction: a LOOP charges its body's length, a CALL its callee's
 * length (forward-only code runs each instruction at most once per call
 * or iteration, so that covers every plain instruction), and the heavy
 * instructions what they touch - a regex match its (length x program),
 * a map operation its table's longest probe, a sort or an aggregation
 * the entries it visits, printf its string width.  Every BT_WORK_QUANTUM
 * units it asks bt_host_overtime(), which compares the clock with the
 * host's bound; "too long" ends the handler with the host's message,
 * uncatchable like MAXACTION.  A regex match and a sort also ask in the
 * middle (bt_regex_match_timed(), bt_map_sort()'s passes).  So a hit runs
 * at most its bound plus one quantum plus one instruction that cannot be
 * cut, of which the heaviest walks one map's table once (a clear, or a
 * probe of a table whose keys all collide).
 *
 * Locking is the host's business: it takes the locks a probe's
 * bt_lock_ref list names before bt_run_probe().  Note for the compiler:
 * anything that reorders a map (ITINIT with a sort, and ITINIT, MCOUNT,
 * on a statistics map, which rebuild its aggregation table) writes it.
 */
#ifndef BT_VM_H
#define BT_VM_H

#include "bt_types.h"
#include "bt_prog.h"
#include "bt_map.h"
#include "bt_stats.h"
#include "bt_format.h"
#include "bt_strfn.h"
#include "bt_regex.h"
#include "bt_record.h"

enum bt_run {
	BT_RUN_OK = 0,		/* the handler finished (RET, NEXT) */
	BT_RUN_ERROR = 1,	/* uncaught runtime error; ERROR record emitted */
	BT_RUN_ABORT = 2,	/* abort(): handler cut short, bt_host_exit() called */
	BT_RUN_BADPROBE = -1,	/* no such probe / function */
};

#define BT_WORK_QUANTUM		65536	/* work units between time checks */
#define BT_MEMDUMP_MAX		4096	/* %m / %M: bytes per printf */
#define BT_ERRMSG_MIN		256	/* error buffer: max(this, MAXSTRINGLEN) */

/* One declared map. */
struct bt_mvar {
	struct bt_map *inst;	/* INT/STR: [0]; STATS: [cpu], then [ncpus] = agg */
	uint32_t ninst;
	uint32_t stats;		/* 1 for statistics */
	struct bt_stat_shape shape;
};

/* One format, parsed once at init. */
struct bt_fmtinfo {
	const char *text;
	uint32_t len;
	uint32_t ncomps;
	uint32_t nkinds;
	uint32_t has_mem;	/* a %m / %M in it */
	struct bt_fmt_comp *comps;
	uint8_t *kinds;		/* enum bt_fmt_argkind, in consumption order */
};

struct bt_session {
	const struct bt_prog *prog;
	struct bt_limits lim;
	uint32_t ncpus;
	uint32_t slen;		/* MAXSTRINGLEN */
	size_t size;
	int64_t *gint;		/* [nglobals] (string globals' slots unused) */
	char *gstr;		/* [nglobals][slen] (int globals' slots unused) */
	struct bt_mvar *mvars;	/* [nmaps] */
	struct bt_fmtinfo *fmts; /* [nformats] */
	uint32_t max_stat_size;
	/* accounting, updated atomically from any CPU */
	int64_t error_count;
	int64_t skipped_count;
	int64_t reentrant_count;
	int64_t drop_count;	/* records the host had no room for */
};

/* A foreach in progress. */
struct bt_iter {
	struct bt_map *m;	/* NULL: never initialised */
	uint32_t cur;		/* element, index + 1; 0 before the first */
	uint32_t nxt;		/* the one after, saved so cur may be deleted */
};

struct bt_frame;
struct bt_tryent;

struct bt_ctx {
	struct bt_session *sess;
	const struct bt_prog *prog;
	void *host;		/* the host's own per-context data */
	uint32_t cpu;
	uint32_t probe;		/* current probe index */
	const char *pp;		/* pp() when the host sets it (one function
				 * of a wildcard probe point), else NULL */
	int64_t budget;		/* actions left */
	int64_t work;		/* work units before the next time check */
	uint32_t quanta;	/* bt_host_overtime() calls in this hit */
	uint32_t depth;		/* function frames above the handler's */
	uint32_t ntry, maxtry;
	uint32_t slen;
	struct bt_tryent *tries;
	struct bt_frame *fp;	/* current frame */
	uint8_t *stack;		/* frame memory */
	size_t stack_size;
	/* errors */
	char *errmsg;		/* errcap bytes: the current / last caught error */
	uint32_t errcap;
	uint32_t errpc;		/* absolute pc, or BT_REC_NOPC */
	int err_set;		/* bt_ctx_fail() was called */
	/* builtins' state */
	uint64_t prng;
	struct bt_tokenize tok;
	int32_t matched;	/* the last MATCH succeeded (kept across hits,
				 * as SystemTap's per-CPU context keeps it) */
	int32_t ngroups;	/* its groups, including group 0 */
	int32_t caps[2 * BT_RE_MAX_GROUPS];	/* start, end of each group */
	char *match_str;	/* the subject of the last successful MATCH */
	void *rx_scratch;	/* bt_regex_match()'s work area */
	size_t rx_scratch_size;
	/* scratch */
	char *scratch;		/* 2 strings of slen */
	struct bt_stat *stat_tmp;	/* max_stat_size */
	uint8_t *memdump;	/* BT_MEMDUMP_MAX */
	size_t size;
};

/* --- session ------------------------------------------------------------ */

/* Bytes for a session of prog on ncpus CPUs (>= 1); 0 if absurdly large. */
size_t bt_session_size(const struct bt_prog *prog, unsigned int ncpus);

/*
 * Lay out and initialise a session in mem (size bytes, zeroed, 8-aligned).
 * prog must have passed bt_load() and bt_verify() and outlive the session.
 * Returns 0, or -1 if size is too small.
 */
int bt_session_init(struct bt_session *sess, size_t size,
		    const struct bt_prog *prog, unsigned int ncpus);

/*
 * SystemTap's session accounting, shared by both hosts:
 * bt_session_note_error() counts an error and returns true when the
 * session must stop (error_count > MAXERRORS: by default the first
 * error); bt_session_note_skip() counts a skipped probe (lock timeout, low
 * stack) and returns true when skipped > MAXSKIPPED - the host then
 * reports bt_msg_skipped_too_many as an error and stops;
 * bt_session_note_reentrancy() counts a reentrancy skip, which only
 * shows in the final warning.
 */
bool bt_session_note_error(struct bt_session *sess);
bool bt_session_note_skip(struct bt_session *sess);
void bt_session_note_reentrancy(struct bt_session *sess);
extern const char bt_msg_skipped_too_many[];

/*
 * The line SystemTap prints at shutdown when anything went wrong:
 * "WARNING: Number of errors: N, skipped probes: M" (no newline).
 * Returns its length, or 0 (buf = "") when there is nothing to report.
 */
size_t bt_session_final_warning(const struct bt_session *sess, char *buf,
				size_t cap);

/* Read-only views for hosts (end-of-run output, tests). */
int64_t bt_session_global_int(const struct bt_session *sess, uint32_t g);
const char *bt_session_global_str(const struct bt_session *sess, uint32_t g);

/* --- contexts ----------------------------------------------------------- */

size_t bt_ctx_size(const struct bt_prog *prog);

/* Returns 0, or -1 if size is too small or cpu >= the session's ncpus. */
int bt_ctx_init(struct bt_ctx *ctx, size_t size, struct bt_session *sess,
		unsigned int cpu, void *host);

/* Seed randint()'s generator (xorshift64*). */
void bt_ctx_seed(struct bt_ctx *ctx, uint64_t seed);

/* Run probe handler probe; returns enum bt_run. */
int bt_run_probe(struct bt_ctx *ctx, uint32_t probe);

/* Run function func (which must take no parameters) as a handler. */
int bt_run_func(struct bt_ctx *ctx, uint32_t func);

/*
 * Raise a runtime error from inside the VM's call of the host (a HOST
 * builtin, bt_host_read_kernel()): store the message; the host function
 * then returns a negative value and the VM raises it (catchable).
 * bt_ctx_failf() takes a printf-lite format: %s %c %d %u %x, l / ll.
 */
void bt_ctx_fail(struct bt_ctx *ctx, const char *msg);
void bt_ctx_failf(struct bt_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* After BT_RUN_ERROR: the message and the absolute pc (or BT_REC_NOPC). */
const char *bt_ctx_errmsg(const struct bt_ctx *ctx);
uint32_t bt_ctx_errpc(const struct bt_ctx *ctx);

/* The probe point text of the running handler (pp()). */
const char *bt_ctx_pp(const struct bt_ctx *ctx);

/* --- internal, shared by bt_vm.c and bt_builtins.c ---------------------- */

/*
 * Run builtin id with the CALLB argument convention on frame registers
 * r / s.  Returns 0, -1 for a runtime error (message set), or -2 for
 * abort().
 */
int bt_builtin_call(struct bt_ctx *ctx, unsigned int id, int64_t *r, char *s,
		    uint32_t b, uint32_t c);

/* Emit a WARN record with msg. */
void bt_vm_emit_text(struct bt_ctx *ctx, uint16_t type, uint32_t arg,
		     const char *msg);

#endif /* BT_VM_H */
