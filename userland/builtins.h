/*
 * builtins.h - the functions a script can call without defining them:
 * the VM's builtins (bytecode/bt_builtin.h) plus a few that compile to
 * dedicated instructions (exit, error, log, ...).  Sema resolves calls
 * with builtin_lookup(); codegen emits what `bt_id` / `special` say.
 * A script function or tapset function of the same name and arity wins.
 */
#ifndef BYTETAP_BUILTINS_H
#define BYTETAP_BUILTINS_H

#include "ast.h"

#define BUILTIN_MAX_ARGS 6

enum builtin_special {
	BS_NONE,		/* a CALLB of bt_id */
	BS_EXIT,		/* exit(): EXIT */
	BS_ERROR,		/* error(msg): ERROR */
	BS_LOG,			/* log(msg): printf("%s\n", msg) */
	BS_PRINT_CHAR,		/* print_char(c): printf("%c", c) */
};

/* Field order matters: builtins.c initialises its tables by position. */
struct builtin_sig {
	const char *name;
	int nargs;
	enum type args[BUILTIN_MAX_ARGS];
	enum type ret;			/* TY_UNKNOWN: returns nothing */
	int id;				/* enum bt_builtin_id, or -1 */
	unsigned flags;			/* BUILTIN_* */
	enum builtin_special special;
};

#define BUILTIN_NEEDS_CONTEXT	0x1	/* needs probe context (regs, task) */
#define BUILTIN_GURU		0x2	/* only with -g */

/* The builtin called name with nargs arguments, or NULL. */
const struct builtin_sig *builtin_lookup(const char *name, int nargs);

/* One builtin of that name with any arity, or NULL (for messages). */
const struct builtin_sig *builtin_lookup_any(const char *name);

#endif
