/*
 * sema.h - pass 2: tapset loading, alias expansion, symbol resolution,
 * type inference, dead-code removal, read/write sets.
 *
 * After parse_script() (parse.h):
 *
 *	if (sema_check(script) != 0)	// errors already printed
 *		fail;
 *
 * On success (see ast.h for the fields):
 *   - script->probes[]: derived probes, aliases expanded, bodies resolved;
 *     probe->locals[] lists every local with its type (registers).
 *   - script->funcs[]: live functions; E_CALL.func is the head of the
 *     same-arity overload chain (func->next_overload for `next`);
 *     E_CALL.builtin is set instead for VM builtins.
 *   - script->globals[]: live globals with types, arity, key types,
 *     is_read / is_written / autoprint.
 *   - every expression has its type; @defined is folded to a number.
 *   - probe->reads/writes, func->reads/writes: globals used, transitively
 *     through called functions (lock sets).
 *   - func->callees / func->recursive: the call graph (MAXNESTING).
 */
#ifndef BYTETAP_SEMA_H
#define BYTETAP_SEMA_H

#include "ast.h"

/* Builtin signatures and builtin_lookup(): builtins.h. */
#include "builtins.h"

/* Pass 2.  Returns 0 on success, -1 after printing errors. */
int sema_check(struct script *s);

#endif /* BYTETAP_SEMA_H */
