/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bt_prog.h - the compiled program: its file format, and the checked view
 * of it that the loader builds.
 *
 * A program is one contiguous little-endian blob:
 *
 *	struct bt_file_header
 *	struct bt_section[nsections]	(type, offset, size, count)
 *	section payloads, each 8-byte aligned, in any order
 *
 * The same blob is written by `bytetap -p4 -o FILE`, pushed to the kernel
 * module by ioctl, and run by the user runtime.  bt_load() treats every
 * byte as hostile: it checks the header, that every section lies inside
 * the blob without overlapping another, that size == count * element size,
 * that every string-table offset points at a NUL-terminated string, and
 * every cross-reference between tables; bt_verify() then checks the code.
 * After that the program is immutable and the VM trusts it.
 *
 * Strings are referenced by byte offset into the STRTAB section.  Probe
 * points are symbolic (their text and, for kprobes, symbol + offset): they
 * are resolved to addresses only when the program is attached.
 */
#ifndef BT_PROG_H
#define BT_PROG_H

#include "bt_types.h"
#include "bt_isa.h"

#define BT_MAGIC	0x50415442u	/* "BTAP" */
/*
 * The program format's version.  BT_ABI_MAJOR changes on an incompatible
 * change; BT_ABI_MINOR is bumped whenever something is appended that an
 * older loader would not know: a builtin (bt_builtin.h BT_BUILTINS), a
 * probe kind (enum bt_probe_kind below), an opcode or a section type.
 * bt_load() refuses a program whose minor version is newer than its own
 * ("program format 1.N is newer than this module's 1.M: update the
 * module"), and runs every older one.  Minor versions:
 *	0: builtins up to task_current, probe kinds up to TRACEPOINT.
 */
#define BT_ABI_MAJOR	1
#define BT_ABI_MINOR	0
#define BT_MAX_BLOB	(64u << 20)	/* a program file is at most 64 MiB */

struct bt_file_header {
	uint32_t magic;
	uint16_t abi_major;	/* incompatible changes */
	uint16_t abi_minor;	/* compatible additions */
	uint32_t header_size;	/* sizeof(struct bt_file_header) */
	uint32_t total_size;	/* the whole blob */
	uint32_t nsections;
	uint32_t flags;		/* none defined yet; must be 0 */
};

/* Append only, and bump BT_ABI_MINOR with every new type (see above). */
enum bt_section_type {
	BT_SEC_CODE = 1,	/* struct bt_insn[] */
	BT_SEC_FUNCS,		/* struct bt_func_decl[] */
	BT_SEC_CONSTS,		/* int64_t[]: the int constant pool */
	BT_SEC_STRTAB,		/* bytes: NUL-terminated strings, offset 0 is "" */
	BT_SEC_STRCONSTS,	/* uint32_t[]: string constant pool, STRTAB offsets */
	BT_SEC_GLOBALS,		/* struct bt_global_decl[] */
	BT_SEC_MAPS,		/* struct bt_map_decl[] */
	BT_SEC_FORMATS,		/* struct bt_format_decl[] */
	BT_SEC_REGEXES,		/* struct bt_regex_decl[] */
	BT_SEC_REGEXCODE,	/* bytes: compiled regex programs (bt_regex.h) */
	BT_SEC_PROBES,		/* struct bt_probe_decl[] */
	BT_SEC_LOCKS,		/* struct bt_lock_ref[]: per-probe global sets */
	BT_SEC_LOCS,		/* struct bt_loc[]: pc -> source location, sorted */
	BT_SEC_LIMITS,		/* one struct bt_limits */
	BT_SEC__MAX
};

struct bt_section {
	uint32_t type;		/* enum bt_section_type; each type at most once */
	uint32_t offset;	/* from the start of the blob, 8-byte aligned */
	uint32_t size;		/* bytes */
	uint32_t count;		/* elements */
};

struct bt_func_decl {
	uint32_t name;		/* STRTAB */
	uint32_t code_off;	/* first instruction, index into CODE */
	uint32_t code_len;	/* instructions, 1 .. BT_MAX_FUNC_INSNS */
	uint16_t nregs;		/* frame sizes */
	uint16_t nstrs;
	uint16_t niters;
	uint16_t ntries;	/* deepest TRY nesting inside this function */
	uint16_t nparam_i;	/* int parameters -> r[0 ..) */
	uint16_t nparam_s;	/* string parameters -> s[0 ..) */
	uint8_t ret_kind;	/* enum bt_kind: NONE, INT or STR */
	uint8_t pad[3];
};

enum bt_global_flags {
	BT_GLOBAL_HAS_INIT = 1,	/* init holds a constant-pool index */
};

struct bt_global_decl {
	uint32_t name;		/* STRTAB */
	uint8_t kind;		/* BT_KIND_INT or BT_KIND_STR */
	uint8_t flags;		/* enum bt_global_flags */
	uint16_t pad;
	uint32_t init;		/* CONSTS index (int) or STRCONSTS index (string) */
};

enum bt_map_flags {
	BT_MAP_WRAP = 1,	/* global a% : when full, reuse the oldest entry */
	BT_MAP_SIZED = 2,	/* global a[N] : overflow text names the size */
	BT_MAP_VARIANCE = 4,	/* stats: @variance is extracted somewhere, so
				 * keep Welford state, with shift var_shift */
};

enum bt_hist_kind { BT_HIST_NONE, BT_HIST_LOG, BT_HIST_LINEAR };

struct bt_map_decl {
	uint32_t name;		/* STRTAB */
	uint32_t capacity;	/* entries, >= 1 */
	uint8_t nkeys;		/* 0 (a scalar statistic) .. BT_MAX_KEYS */
	uint8_t val_kind;	/* BT_KIND_INT, BT_KIND_STR or BT_KIND_STATS */
	uint8_t flags;		/* enum bt_map_flags */
	uint8_t hist_kind;	/* enum bt_hist_kind, stats only */
	uint8_t key_kinds[BT_MAX_KEYS];	/* BT_KIND_INT or BT_KIND_STR */
	uint8_t var_shift;	/* stats with BT_MAP_VARIANCE: @variance's shift,
				 * 0..62, one per variable as in SystemTap */
	uint8_t pad[2];
	int64_t hist_start;	/* linear histograms: start, stop, interval */
	int64_t hist_stop;
	int64_t hist_interval;
};

/* A printf-style format; its argument kinds follow from parsing text. */
#define BT_MAX_FMT_ARGS	64	/* arguments one format may consume */

struct bt_format_decl {
	uint32_t text;		/* STRTAB: SystemTap printf format */
	uint16_t nargs_i;	/* int arguments it consumes (incl. '*') */
	uint16_t nargs_s;	/* string arguments */
};

struct bt_regex_decl {
	uint32_t offset;	/* into REGEXCODE */
	uint32_t size;
	uint32_t source;	/* STRTAB: the pattern as written, for messages */
	uint32_t pad;
};

/* Append only, and bump BT_ABI_MINOR with every new kind (see above). */
enum bt_probe_kind {
	BT_PROBE_BEGIN = 1,
	BT_PROBE_END,
	BT_PROBE_ERROR,
	BT_PROBE_NEVER,
	BT_PROBE_TIMER,		/* timer.{s,ms,us,ns,hz,jiffies}: period_ns */
	BT_PROBE_PROFILE,	/* timer.profile: every tick on every CPU */
	BT_PROBE_KPROBE,	/* symbol + offset */
	BT_PROBE_KRETPROBE,	/* symbol, maxactive */
	BT_PROBE_TRACEPOINT,	/* symbol = tracepoint name */
	BT_PROBE__MAX
};

enum bt_probe_flags {
	BT_PROBE_OPTIONAL = 1,	/* pp? : missing is not an error */
};

struct bt_probe_decl {
	uint16_t kind;		/* enum bt_probe_kind */
	uint16_t flags;		/* enum bt_probe_flags */
	uint32_t handler;	/* FUNCS index; a function with no parameters */
	int64_t seq;		/* begin(N) / end(N) / error(N) order */
	uint64_t period_ns;	/* timers */
	uint64_t randomize_ns;	/* timers: +- uniform jitter */
	uint64_t offset;	/* kprobes: byte offset from symbol */
	uint32_t point;		/* STRTAB: the probe point as pp() shows it */
	uint32_t symbol;	/* STRTAB: kprobe symbol / tracepoint name, or "" */
	uint32_t maxactive;	/* kretprobes; 0 = default */
	uint32_t lock_off;	/* LOCKS[lock_off .. lock_off + nlocks) */
	uint32_t nlocks;
	uint32_t pad;
};

enum bt_lock_space { BT_LOCK_GLOBAL = 1, BT_LOCK_MAP = 2 };

/* A global or map a probe handler touches; sorted by (space, index). */
struct bt_lock_ref {
	uint32_t index;
	uint8_t space;		/* enum bt_lock_space */
	uint8_t write;		/* 1: written somewhere in the handler */
	uint16_t pad;
};

/* From code index pc on (until the next entry), errors are "near text". */
struct bt_loc {
	uint32_t pc;		/* absolute index into CODE */
	uint32_t text;		/* STRTAB: e.g. "operator '/' at t.stp:2:32" */
};

/* SystemTap's limits, with its names; -D NAME=VALUE sets them. */
struct bt_limits {
	uint32_t maxaction;		/* statements per probe hit */
	uint32_t maxnesting;		/* call depth */
	uint32_t maxstringlen;		/* bytes per string, incl. the NUL */
	uint32_t maxmapentries;		/* default array capacity */
	uint32_t maxerrors;		/* errors tolerated before the session ends */
	uint32_t maxskipped;		/* skipped probes tolerated */
	int32_t hist_elision;		/* HIST_ELISION */
	uint32_t flags;			/* enum bt_limit_flags */
};

enum bt_limit_flags {
	BT_LIMIT_NO_OVERLOAD = 1,	/* STP_NO_OVERLOAD */
};

/* Defaults, as SystemTap's runtime has them on 64-bit. */
#define BT_DEF_MAXACTION	10000	/* MAXACTION_INTERRUPTIBLE = 10 * MAXACTION */
#define BT_DEF_MAXNESTING	10
#define BT_DEF_MAXSTRINGLEN	512
#define BT_DEF_MAXMAPENTRIES	2048
#define BT_DEF_MAXERRORS	0
#define BT_DEF_MAXSKIPPED	100
#define BT_DEF_HIST_ELISION	2

static inline struct bt_limits bt_default_limits(void)
{
	struct bt_limits l = {
		.maxaction = BT_DEF_MAXACTION,
		.maxnesting = BT_DEF_MAXNESTING,
		.maxstringlen = BT_DEF_MAXSTRINGLEN,
		.maxmapentries = BT_DEF_MAXMAPENTRIES,
		.maxerrors = BT_DEF_MAXERRORS,
		.maxskipped = BT_DEF_MAXSKIPPED,
		.hist_elision = BT_DEF_HIST_ELISION,
	};

	return l;
}

/* Hard caps a host enforces whatever the program asks for. */
#define BT_CAP_MAXSTRINGLEN	4096
#define BT_CAP_MAXNESTING	256
#define BT_CAP_MAPENTRIES	(1u << 22)

/*
 * The loaded program: pointers into the blob, each table bounds-checked
 * by bt_load().  The blob must stay alive and unchanged while this is used.
 */
struct bt_prog {
	const uint8_t *blob;
	uint32_t blob_size;
	const struct bt_insn *code;	uint32_t ncode;
	const struct bt_func_decl *funcs;	uint32_t nfuncs;
	const int64_t *consts;		uint32_t nconsts;
	const char *strtab;		uint32_t strtab_size;
	const uint32_t *strconsts;	uint32_t nstrconsts;
	const struct bt_global_decl *globals;	uint32_t nglobals;
	const struct bt_map_decl *maps;	uint32_t nmaps;
	const struct bt_format_decl *formats;	uint32_t nformats;
	const struct bt_regex_decl *regexes;	uint32_t nregexes;
	const uint8_t *regexcode;	uint32_t regexcode_size;
	const struct bt_probe_decl *probes;	uint32_t nprobes;
	const struct bt_lock_ref *locks;	uint32_t nlocks;
	const struct bt_loc *locs;	uint32_t nlocs;
	struct bt_limits limits;
};

/* Why a program was refused: the first problem found, in words. */
struct bt_diag {
	char msg[160];
	int32_t pc;		/* absolute code index, or -1 */
	int32_t func;		/* function index, or -1 */
};

/* Returns 0, or -1 with diag filled in. */
int bt_load(struct bt_prog *prog, const void *blob, uint32_t size,
	    struct bt_diag *diag);

/* A string-table entry; bt_load() proved it NUL-terminated. */
static inline const char *bt_prog_str(const struct bt_prog *prog, uint32_t off)
{
	return off < prog->strtab_size ? prog->strtab + off : "";
}

#endif /* BT_PROG_H */
