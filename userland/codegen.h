/*
 * codegen.h - from a checked script (after sema_check) to a program blob
 * in the format of bytecode/bt_prog.h.
 */
#ifndef BYTETAP_CODEGEN_H
#define BYTETAP_CODEGEN_H

#include <stdbool.h>
#include <stddef.h>
#include "ast.h"
#include "bt_prog.h"

struct codegen_opts {
	struct bt_limits limits;	/* from the defaults and -D */
	bool no_global_display;		/* --no-global-var-display */
	bool maxnesting_auto;		/* no -DMAXNESTING: derive it as SystemTap
					   does, from the call graph */
};

/*
 * Returns 0 and a malloc'ed blob, or -1 after reporting errors through
 * the compiler's diagnostics.
 */
int codegen(struct compiler *cc, struct script *s,
	    const struct codegen_opts *opts, void **blob, size_t *size);

#endif
