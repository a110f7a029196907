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

struct builtin_sig {
	const char *name;
	enum type ret;			/* TY_UNKNOWN: returns nothing */
	int nargs;
	enum type args[BUILTIN_MAX_ARGS];
	int bt_id;			/* enum bt_builtin_id, or -1 */
	enum builtin_special special;
};

/* The builtin called name with nargs arguments, or NULL. */
const struct builtin_sig *builtin_lookup(const char *name, int nargs);

/* Is there a builtin of that name with any arity? (for messages) */
int builtin_exists(const char *name);

#endif
