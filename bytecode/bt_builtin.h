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
 * Ids are part of the program ABI: append only.
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
	X(U_REGISTER,	"u_register",	'i', "s",   HOST)

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

#endif /* BT_BUILTIN_H */
