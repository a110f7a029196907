/*
 * builtins_table.c - a stand-in table of VM builtin signatures for sema.
 *
 * Both functions are weak: the real table (userland/builtins.h and its
 * .c, owned by the code generator) overrides them by defining
 * builtin_lookup / builtin_lookup_any with the struct from sema.h.
 * The ids here are placeholders.
 */
#include <string.h>
#include "sema.h"

#define L TY_LONG
#define S TY_STRING
#define U TY_UNKNOWN

static const struct builtin_sig stub_builtins[] = {
	/* session / control */
	{ "exit", 0, { 0 }, U, 1, 0, BS_NONE },
	{ "abort", 0, { 0 }, U, 2, 0, BS_NONE },
	{ "error", 1, { S }, U, 3, 0, BS_NONE },
	{ "warn", 1, { S }, U, 4, 0, BS_NONE },
	{ "log", 1, { S }, U, 5, 0, BS_NONE },
	{ "print_char", 1, { L }, U, 6, 0, BS_NONE },
	{ "assert", 1, { L }, U, 7, 0, BS_NONE },
	{ "assert", 2, { L, S }, U, 8, 0, BS_NONE },
	{ "system", 1, { S }, U, 9, 0, BS_NONE },
	/* context */
	{ "pid", 0, { 0 }, L, 10, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "tid", 0, { 0 }, L, 11, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "ppid", 0, { 0 }, L, 12, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "uid", 0, { 0 }, L, 13, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "euid", 0, { 0 }, L, 14, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "gid", 0, { 0 }, L, 15, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "egid", 0, { 0 }, L, 16, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "execname", 0, { 0 }, S, 17, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "pexecname", 0, { 0 }, S, 18, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "cpu", 0, { 0 }, L, 19, 0, BS_NONE },
	{ "target", 0, { 0 }, L, 20, 0, BS_NONE },
	{ "pp", 0, { 0 }, S, 21, 0, BS_NONE },
	{ "probefunc", 0, { 0 }, S, 22, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "ppfunc", 0, { 0 }, S, 23, 0, BS_NONE },
	{ "probemod", 0, { 0 }, S, 24, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "is_return", 0, { 0 }, L, 25, 0, BS_NONE },
	{ "stp_pid", 0, { 0 }, L, 26, 0, BS_NONE },
	{ "cmdline_str", 0, { 0 }, S, 27, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "env_var", 1, { S }, S, 28, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "user_mode", 0, { 0 }, L, 29, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "addr", 0, { 0 }, L, 30, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "uaddr", 0, { 0 }, L, 31, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	/* time */
	{ "gettimeofday_s", 0, { 0 }, L, 40, 0, BS_NONE },
	{ "gettimeofday_ms", 0, { 0 }, L, 41, 0, BS_NONE },
	{ "gettimeofday_us", 0, { 0 }, L, 42, 0, BS_NONE },
	{ "gettimeofday_ns", 0, { 0 }, L, 43, 0, BS_NONE },
	{ "local_clock_s", 0, { 0 }, L, 44, 0, BS_NONE },
	{ "local_clock_ms", 0, { 0 }, L, 45, 0, BS_NONE },
	{ "local_clock_us", 0, { 0 }, L, 46, 0, BS_NONE },
	{ "local_clock_ns", 0, { 0 }, L, 47, 0, BS_NONE },
	{ "jiffies", 0, { 0 }, L, 48, 0, BS_NONE },
	{ "get_cycles", 0, { 0 }, L, 49, 0, BS_NONE },
	{ "HZ", 0, { 0 }, L, 50, 0, BS_NONE },
	{ "ctime", 0, { 0 }, S, 51, 0, BS_NONE },
	{ "ctime", 1, { L }, S, 52, 0, BS_NONE },
	/* strings */
	{ "strlen", 1, { S }, L, 60, 0, BS_NONE },
	{ "substr", 3, { S, L, L }, S, 61, 0, BS_NONE },
	{ "stringat", 2, { S, L }, L, 62, 0, BS_NONE },
	{ "isinstr", 2, { S, S }, L, 63, 0, BS_NONE },
	{ "strpos", 2, { S, S }, L, 64, 0, BS_NONE },
	{ "str_replace", 3, { S, S, S }, S, 65, 0, BS_NONE },
	{ "strtol", 2, { S, L }, L, 66, 0, BS_NONE },
	{ "isdigit", 1, { S }, L, 67, 0, BS_NONE },
	{ "text_str", 1, { S }, S, 68, 0, BS_NONE },
	{ "text_strn", 3, { S, L, L }, S, 69, 0, BS_NONE },
	{ "string_quoted", 1, { S }, S, 70, 0, BS_NONE },
	{ "tokenize", 2, { S, S }, S, 71, 0, BS_NONE },
	{ "matched", 1, { L }, S, 72, 0, BS_NONE },
	{ "matched_str", 0, { 0 }, S, 73, 0, BS_NONE },
	{ "ngroups", 0, { 0 }, L, 74, 0, BS_NONE },
	{ "randint", 1, { L }, L, 75, 0, BS_NONE },
	{ "errno_str", 1, { L }, S, 76, 0, BS_NONE },
	{ "indent", 1, { L }, S, 77, 0, BS_NONE },
	{ "thread_indent", 1, { L }, S, 78, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	/* memory */
	{ "kernel_string", 1, { L }, S, 80, 0, BS_NONE },
	{ "kernel_string", 2, { L, S }, S, 81, 0, BS_NONE },
	{ "kernel_string_n", 2, { L, L }, S, 82, 0, BS_NONE },
	{ "user_string", 1, { L }, S, 83, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "user_string", 2, { L, S }, S, 84, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "user_string_n", 2, { L, L }, S, 85, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "kernel_long", 1, { L }, L, 86, 0, BS_NONE },
	{ "kernel_int", 1, { L }, L, 87, 0, BS_NONE },
	{ "kernel_short", 1, { L }, L, 88, 0, BS_NONE },
	{ "kernel_char", 1, { L }, L, 89, 0, BS_NONE },
	{ "kernel_pointer", 1, { L }, L, 90, 0, BS_NONE },
	{ "user_long", 1, { L }, L, 91, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "user_int", 1, { L }, L, 92, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "user_short", 1, { L }, L, 93, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "user_char", 1, { L }, L, 94, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	/* registers and arguments */
	{ "int_arg", 1, { L }, L, 100, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "uint_arg", 1, { L }, L, 101, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "long_arg", 1, { L }, L, 102, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "ulong_arg", 1, { L }, L, 103, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "pointer_arg", 1, { L }, L, 104, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "s32_arg", 1, { L }, L, 105, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "u32_arg", 1, { L }, L, 106, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "s64_arg", 1, { L }, L, 107, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "u64_arg", 1, { L }, L, 108, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "returnval", 0, { 0 }, L, 109, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "register", 1, { S }, L, 110, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "u_register", 1, { S }, L, 111, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	/* symbols and stacks */
	{ "backtrace", 0, { 0 }, S, 120, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "print_backtrace", 0, { 0 }, U, 121, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "sprint_backtrace", 0, { 0 }, S, 122, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "ubacktrace", 0, { 0 }, S, 123, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "print_ubacktrace", 0, { 0 }, U, 124, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "caller", 0, { 0 }, S, 125, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "caller_addr", 0, { 0 }, L, 126, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "symname", 1, { L }, S, 127, 0, BS_NONE },
	{ "symdata", 1, { L }, S, 128, 0, BS_NONE },
	{ "usymname", 1, { L }, S, 129, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "usymdata", 1, { L }, S, 130, BUILTIN_NEEDS_CONTEXT, BS_NONE },
	{ "print_stack", 1, { S }, U, 131, 0, BS_NONE },
	{ NULL, 0, { 0 }, U, 0, 0, BS_NONE },
};

__attribute__((weak))
const struct builtin_sig *builtin_lookup(const char *name, int nargs)
{
	for (const struct builtin_sig *b = stub_builtins; b->name; b++)
		if (b->nargs == nargs && !strcmp(b->name, name))
			return b;
	return NULL;
}

__attribute__((weak))
const struct builtin_sig *builtin_lookup_any(const char *name)
{
	for (const struct builtin_sig *b = stub_builtins; b->name; b++)
		if (!strcmp(b->name, name))
			return b;
	return NULL;
}
