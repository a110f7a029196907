/*
 * sema.h - pass 2: tapset loading, alias expansion, symbol resolution,
 * type inference, dead-code removal, read/write sets, and the facts the
 * code generator needs.
 *
 * After parse_script() (parse.h):
 *
 *	if (sema_check(script) != 0)	// errors already printed
 *		fail;
 *
 * The contract with codegen.  A script sema_check() accepted guarantees
 * the following; codegen computes none of it again and checks none of it
 * (it asserts), so every error a script can cause is a pass-2 error.  The
 * one exception is "function or probe too large for the VM", which only
 * register allocation can tell.  Fields are in ast.h.
 *
 * Structure (sema.c)
 *   - script->probes[]: derived probes, aliases expanded, every point
 *     concrete; probe->locals[] lists every local with its type, and
 *     symbol->index is its slot.
 *   - script->funcs[]: the live functions; func->index is the position
 *     there.  E_CALL.func is the head of the same-arity overload chain
 *     (func->next_overload for `next`); E_CALL.builtin is set instead for
 *     VM builtins.
 *   - script->globals[]: the live globals with types, arity, key types,
 *     is_read / is_written / autoprint.
 *
 * Expressions (sema.c)
 *   - every expression has its type (TY_LONG / TY_STRING; TY_STATS only
 *     where a statistic may stand); @defined is folded to E_NUM.
 *   - a scalar global read is not an array or statistic; an E_INDEX read
 *     is not a statistic (those go through @count.., <<<, @hist_*).
 *   - E_HIST stands only as the sole argument of print/println, as a
 *     foreach base or under E_HIST_BUCKET.
 *   - break / continue stand only inside loops (the parser).
 *   - no E_TARGET, E_CAST, E_ENTRY or E_PERF is left (lowered by
 *     target.c, or rejected by sema/facts.c); no sprint of a histogram.
 *   - E_REGEX: re_code / re_len hold the rhs literal compiled by the VM's
 *     regex compiler (check_regex()).
 *
 * Statistics
 *   - symbol->hist: the @hist_* that fixes a statistic's histogram; every
 *     @hist_* on it has the same kind and literal parameters, a positive
 *     interval (ty_hist(), sema/types.c) and 1 to 126 buckets (sema/facts.c).
 *   - symbol->var_shift: 1 + the one @variance shift used on it, 0..62
 *     (sema/facts.c); 0 when @variance is not used.
 *
 * Probe points (sema/facts.c)
 *   - probe_point->decl / ->symbol: the VM's declaration of the point and
 *     the kernel symbol it names (probe_lower(), probes/probes.h); decl is NULL only on an
 *     optional point the VM cannot run.
 *
 * Call graph and lock sets
 *   - func->callees, probe->callees: functions called directly, every
 *     overload `next` may reach (compute_rw(), sema.c).
 *   - func->reads / writes: globals used, transitively through called
 *     functions (compute_rw(); the foreach-modification check).
 *   - script->auto_maxnesting: MAXNESTING derived from the call graph as
 *     SystemTap does (sema/facts.c), used without -DMAXNESTING.
 *   - the VM lock sets of the handlers are not a sema fact: codegen
 *     derives them from the instructions it emits, with the verifier's
 *     own rule (bt_insn_lock_need()), so they match what the kernel
 *     checks.
 */
#ifndef BYTETAP_SEMA_H
#define BYTETAP_SEMA_H

#include "ast.h"

/* Builtin signatures and builtin_lookup(): builtins.h. */
#include "builtins.h"

/* Pass 2.  Returns 0 on success, -1 after printing errors. */
int sema_check(struct script *s);

/* Its last step (sema/facts.c): the probe-point, statistics and MAXNESTING
   facts above.  Returns 0, or -1 after printing every error it found. */
int sema_facts(struct script *s);

#endif /* BYTETAP_SEMA_H */
