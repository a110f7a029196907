/*
 * point_decl.h - a concrete probe point as the VM's probe declaration
 * (the kind and parameters of bt_probe_decl in bytecode/bt_prog.h).
 */
#ifndef BYTETAP_POINT_DECL_H
#define BYTETAP_POINT_DECL_H

#include "ast.h"
#include "bt_prog.h"

/*
 * Fills d's kind and parameters, and *symbol with what the kernel looks
 * up (a function "f" or "module:f", a tracepoint), or NULL.  Returns 0,
 * or -1 when the VM cannot run this point.
 */
int point_decl(struct compiler *cc, const struct probe_point *pp,
	       struct bt_probe_decl *d, const char **symbol);

#endif /* BYTETAP_POINT_DECL_H */
