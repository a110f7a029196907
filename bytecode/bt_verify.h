/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bt_verify.h - prove a loaded program safe to run, once, before it runs.
 *
 * After bt_load() has checked the tables, bt_verify() checks the code of
 * every function, in one linear pass per function (O(code size), no
 * recursion, no allocation, a few hundred bytes of stack):
 *
 *  - every opcode known, every unused field zero, x within the opcode's
 *    sub-operations;
 *  - registers < nregs / nstrs, iterator slots < niters; key bases plus the
 *    map's int / string key counts inside the frame; call, builtin and
 *    format argument bases plus their counts, and result slots, inside the
 *    frame (a zero count with no result must have base 0);
 *  - indexes in range and of the right kind: int / string constants,
 *    globals of the opcode's kind, maps of the value kind the opcode needs
 *    (MGET an INT map, MSTAT a STATS map, MHIST a histogram, ...),
 *    functions, builtins, formats, regexes; MAGG's statistic and variance
 *    shift match the map's declaration; ITINIT's sort column exists;
 *  - forward jump targets in (pc, len), LOOP targets <= pc with a charge
 *    >= 1, never a jump onto an EXT word; EXT present exactly after the
 *    instructions that need one; ACT's immediate >= 0;
 *  - the last instruction is an unconditional terminator (RET, RETI, RETS,
 *    NEXT or LOOP; a JMP cannot be last), so execution never falls off;
 *  - TRY/TRYEND nest as brackets in code order, each TRY's catch target
 *    lies after its TRYEND, no jump leaves a try region except to its
 *    TRYEND, no LOOP re-enters one from outside, and the nesting depth is
 *    <= the function's ntries (and <= BT_MAX_TRY_NEST).
 *
 * What it does not prove statically, the VM checks cheaply at run time and
 * turns into an error rather than undefined behaviour: that an iterator
 * slot was initialised for the map whose keys ITKEY reads, that the try
 * stack doesn't overflow via a forward jump into a try region.
 *
 * Rejections name the function and function-relative pc, in the style of
 * the kernel's BPF verifier:
 *	func 'probe_0' pc 12: jump target 40 out of range
 */
#ifndef BT_VERIFY_H
#define BT_VERIFY_H

#include "bt_prog.h"

#define BT_MAX_TRY_NEST	32	/* static try nesting within one function */

/* Returns 0, or -1 with diag filled in (msg, absolute pc, function). */
int bt_verify(const struct bt_prog *prog, struct bt_diag *diag);

#endif /* BT_VERIFY_H */
