/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bt_builtin.h - the functions a script calls that the VM provides
 * (CALLB).  One table, shared by the compiler (names and types), the
 * verifier (argument ranges) and the VM (dispatch).
 *
 * X(ID, "script name", ret, "args", where)
 *	ret	i (long), s (string) or v (nothing)
 *	args	one letter per parameter in order: i or s.  Arguments are
 *		passed as CALLB describes: ints in order from r[b], strings
 *		in order from s[c]; the result goes to r[b] or s[c].
 *	where	CORE: computed by the VM core (bt_builtins.c);
 *		HOST: asks the host (bt_host_builtin()), e.g. pid().
 *
 * Ids are part of the program ABI: append only, and bump BT_ABI_MINOR
 * (bt_prog.h) with every builtin appended, so that an older module
 * refuses a program that may call it instead of failing on its index.
 */
#ifndef BT_BUILTIN_H
#define BT_BUILTIN_H

#include "bt_types.h"

#define BT_BUILTINS(X)							\
	/* strings (core tapset) */					\
	X(STRLEN,	"strlen",	'i', "s",   CORE)		\
	X(SUBSTR,	"substr",	's', "sii", CORE)		\
	X(STRINGAT,	"stringat",	'i', "si",  CORE)		\
	X(ISINSTR,	"isinstr",	'i', "ss",  CORE)		\
	X(STRPOS,	"strpos",	'i', "ss",  CORE)		\
	X(STR_REPLACE,	"str_replace",	's', "sss", CORE)		\
	X(STRTOL,	"strtol",	'i', "si",  CORE)		\
	X(ISDIGIT,	"isdigit",	'i', "s",   CORE)		\
	X(TEXT_STR,	"text_str",	's', "s",   CORE)		\
	X(TEXT_STRN,	"text_strn",	's', "sii", CORE)		\
	X(STRING_QUOTED, "string_quoted", 's', "s", CORE)		\
	X(TOKENIZE,	"tokenize",	's', "ss",  CORE)		\
	X(MATCHED,	"matched",	's', "i",   CORE)		\
	X(MATCHED_STR,	"matched_str",	's', "",    CORE)		\
	X(NGROUPS,	"ngroups",	'i', "",    CORE)		\
	X(TOUPPER,	"toupper",	's', "s",   CORE)		\
	X(TOLOWER,	"tolower",	's', "s",   CORE)		\
	X(RANDINT,	"randint",	'i', "i",   CORE)		\
	X(ABORT,	"abort",	'v', "",    CORE)		\
	X(WARN,		"warn",		'v', "s",   CORE)		\
	/* process and CPU context */					\
	X(PID,		"pid",		'i', "",    HOST)		\
	X(TID,		"tid",		'i', "",    HOST)		\
	X(PPID,		"ppid",		'i', "",    HOST)		\
	X(UID,		"uid",		'i', "",    HOST)		\
	X(EUID,		"euid",		'i', "",    HOST)		\
	X(GID,		"gid",		'i', "",    HOST)		\
	X(EGID,		"egid",		'i', "",    HOST)		\
	X(EXECNAME,	"execname",	's', "",    HOST)		\
	X(CPU,		"cpu",		'i', "",    HOST)		\
	X(TARGET,	"target",	'i', "",    HOST)		\
	X(PP,		"pp",		's', "",    CORE)		\
	X(PROBEFUNC,	"probefunc",	's', "",    HOST)		\
	X(PPFUNC,	"ppfunc",	's', "",    CORE)		\
	X(RETURNVAL,	"returnval",	'i', "",    HOST)		\
	/* time */							\
	X(GETTIMEOFDAY_S,  "gettimeofday_s",  'i', "", HOST)		\
	X(GETTIMEOFDAY_MS, "gettimeofday_ms", 'i', "", HOST)		\
	X(GETTIMEOFDAY_US, "gettimeofday_us", 'i', "", HOST)		\
	X(GETTIMEOFDAY_NS, "gettimeofday_ns", 'i', "", HOST)		\
	X(LOCAL_CLOCK_NS,  "local_clock_ns",  'i', "", HOST)		\
	X(LOCAL_CLOCK_US,  "local_clock_us",  'i', "", HOST)		\
	X(LOCAL_CLOCK_MS,  "local_clock_ms",  'i', "", HOST)		\
	X(LOCAL_CLOCK_S,   "local_clock_s",   'i', "", HOST)		\
	X(JIFFIES,	"jiffies",	'i', "",    HOST)		\
	X(HZ,		"HZ",		'i', "",    HOST)		\
	/* memory (nofault reads) */					\
	X(KERNEL_STRING,   "kernel_string",   's', "i",  HOST)		\
	X(KERNEL_STRING_N, "kernel_string_n", 's', "ii", HOST)		\
	X(USER_STRING,     "user_string",     's', "i",  HOST)		\
	X(USER_STRING_N,   "user_string_n",   's', "ii", HOST)		\
	X(KERNEL_LONG,	"kernel_long",	'i', "i",   HOST)		\
	X(KERNEL_INT,	"kernel_int",	'i', "i",   HOST)		\
	X(KERNEL_SHORT,	"kernel_short",	'i', "i",   HOST)		\
	X(KERNEL_CHAR,	"kernel_char",	'i', "i",   HOST)		\
	X(KERNEL_POINTER, "kernel_pointer", 'i', "i", HOST)		\
	X(USER_LONG,	"user_long",	'i', "i",   HOST)		\
	X(USER_INT,	"user_int",	'i', "i",   HOST)		\
	X(USER_SHORT,	"user_short",	'i', "i",   HOST)		\
	X(USER_CHAR,	"user_char",	'i', "i",   HOST)		\
	/* probed function's arguments and registers (x86_64 pt_regs) */ \
	X(INT_ARG,	"int_arg",	'i', "i",   HOST)		\
	X(UINT_ARG,	"uint_arg",	'i', "i",   HOST)		\
	X(LONG_ARG,	"long_arg",	'i', "i",   HOST)		\
	X(ULONG_ARG,	"ulong_arg",	'i', "i",   HOST)		\
	X(POINTER_ARG,	"pointer_arg",	'i', "i",   HOST)		\
	X(S32_ARG,	"s32_arg",	'i', "i",   HOST)		\
	X(U32_ARG,	"u32_arg",	'i', "i",   HOST)		\
	X(S64_ARG,	"s64_arg",	'i', "i",   HOST)		\
	X(U64_ARG,	"u64_arg",	'i', "i",   HOST)		\
	X(REGISTER,	"register",	'i', "s",   HOST)		\
	X(U_REGISTER,	"u_register",	'i', "s",   HOST)		\
	/* system calls, symbols, stacks, the task (contracts below) */	\
	X(SYSCALL_NAME,	"syscall_name",	's', "i",   CORE)		\
	X(CALLER_ADDR,	"caller_addr",	'i', "",    HOST)		\
	X(CALLER,	"caller",	's', "",    HOST)		\
	X(SYMNAME,	"symname",	's', "i",   HOST)		\
	X(SYMDATA,	"symdata",	's', "i",   HOST)		\
	X(BACKTRACE,	"backtrace",	's', "",    HOST)		\
	X(PRINT_BACKTRACE, "print_backtrace", 'v', "", HOST)		\
	X(SPRINT_BACKTRACE, "sprint_backtrace", 's', "", HOST)	\
	X(TASK_CURRENT,	"task_current",	'i', "",    HOST)

/*
 * Contracts of the system call, symbol, stack and task builtins
 * (SystemTap 4.8's, x86_64).  "Frames" are the kernel stack of the probe:
 * frame 0 is where the probe stopped (a kprobe's address; in a kretprobe,
 * the address the function returns to) and frames 1.. are the return
 * addresses found by unwinding the probe's registers, at most
 * BT_MAXBACKTRACE in all (SystemTap's MAXBACKTRACE).  timer.profile has
 * the interrupted registers (no frames when user code was interrupted);
 * timer.* and kernel.trace() probes, which have none, unwind the current
 * stack from the first return address outside the module.  begin, end and
 * error probes, and every probe of the user runtime, have no frames.
 * Addresses print as "0x%x" does ("0x0", no padding); a symbol line is
 * "NAME+0xOFF/0xSIZE [MODULE]", MODULE "kernel" for the kernel image.
 *
 *	syscall_name(nr)	the x86_64 name of system call nr ("getpid"
 *				for 39), "" for a number with none
 *				(bt_syscall_names.h: the 64-bit table, for
 *				32-bit tasks too)
 *	caller_addr()		frame 1, as stap's stack(1): in a kprobe at a
 *				function's entry, its return address (into
 *				the caller); in a kretprobe, the caller's own
 *				return address; 0 without one
 *	caller()		sprintf("%s 0x%x", symname(a), a) of
 *				a = caller_addr()
 *	symname(addr)		the kernel symbol containing addr, else addr
 *				as "0x%x"; of aliases, the kernel's choice
 *				(e.g. __do_sys_getpid for __x64_sys_getpid)
 *	symdata(addr)		"NAME+0xOFF/0xSIZE [MODULE]", else addr as
 *				"0x%x"
 *	backtrace()		the frames as "0x%x " each (a trailing space,
 *				as SystemTap's), cut at MAXSTRINGLEN
 *	print_backtrace()	prints one line per frame,
 *				" 0xADDR : NAME+0xOFF/0xSIZE [MODULE]"; in a
 *				kretprobe, first "Returning from: " and the
 *				function's line, then "Returning to  : " before
 *				frame 0.  The VM emits the raw addresses (a
 *				BACKTRACE record); user space names them from
 *				/proc/kallsyms.
 *	sprint_backtrace()	"NAME+0xOFF [MODULE]\n" per frame, cut at
 *				MAXSTRINGLEN
 *	task_current()		the address of the current task_struct; the
 *				user runtime has none: an error
 *
 * symname, symdata, caller and sprint_backtrace name addresses in the
 * kernel (sprint_symbol()); in the user runtime symname and symdata read
 * /proc/kallsyms (addresses hidden to non-root: the hex form).
 */
#define BT_MAXBACKTRACE 20

enum bt_builtin_id {
#define BT_BUILTIN_ENUM(id, name, ret, args, where) BT_B_##id,
	BT_BUILTINS(BT_BUILTIN_ENUM)
#undef BT_BUILTIN_ENUM
	BT_B__COUNT
};

enum bt_builtin_where { BT_BW_CORE, BT_BW_HOST };

struct bt_builtin_info {
	const char *name;
	char ret;		/* 'i', 's' or 'v' */
	const char *args;	/* "sii" ... */
	uint8_t nargs_i;	/* derived from args */
	uint8_t nargs_s;
	uint8_t where;		/* enum bt_builtin_where */
};

extern const struct bt_builtin_info bt_builtin_info[BT_B__COUNT];

struct bt_ctx;

/*
 * print_backtrace() of a host: emit one BACKTRACE record (bt_record.h) of
 * n addresses (n <= BT_MAXBACKTRACE), flags BT_REC_BT_*, or count a drop
 * when the output buffer is full.  Safe in probe context.
 */
void bt_emit_backtrace(struct bt_ctx *ctx, uint32_t flags,
		       const uint64_t *addrs, uint32_t n);

#endif /* BT_BUILTIN_H */
