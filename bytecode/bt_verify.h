/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bt_verify.h - prove a loaded program safe to run, once, before it runs.
 *
 * After bt_load() has checked the tables, bt_verify() checks the code.
 * What it proves is what the VM (bt_vm.c) relies on without checking, the
 * program's invariants, one line each:
 *
 *  I1 operands: every opcode known, every unused field zero, x within the
 *     opcode's sub-operations; registers < nregs / nstrs, iterator slots <
 *     niters (<= 64); key bases plus the map's int / string key counts,
 *     and call, builtin and format argument bases plus their counts and
 *     result slots, inside the frame (a zero count with no result: base 0);
 *     indexes in range and of the kind the opcode needs (constants,
 *     globals, maps of the right value kind, histograms, functions,
 *     builtins, formats, regexes); MAGG's statistic and variance shift and
 *     ITINIT's sort column match the map's declaration.
 *  I2 jumps: every target inside the function and never an EXT word; EXT
 *     exactly after the instructions that take one; every jump goes
 *     forward except LOOP, whose charge is >= 1 (so every hit ends within
 *     MAXACTION); ACT's charge >= 0; the last instruction is RET, RETI,
 *     RETS, NEXT, LOOP or JMP, and no path falls off the end.
 *  I3 try stack: every instruction is reached with one try stack on every
 *     path (forward edges, LOOP's back edge and each TRY's catch edge);
 *     TRYEND and a JMP that leaves x try blocks pop only blocks that are
 *     open; a catch target is reached with the stack its TRY had; nesting
 *     <= the function's ntries <= BT_MAX_TRY_NEST.  So the VM's try depth
 *     in a frame is always what the code says, never wraps, never runs
 *     past the try table.
 *  I4 iterators: ITNEXT, ITKEY(S) and ITVAL(S) read only an iterator that
 *     ITINIT set up on every path to them (the VM still treats a never-set
 *     slot as empty: frames are zeroed).
 *  I5 lock sets: each probe's LOCKS list holds every global and map that
 *     its handler and every function reachable from it by CALL reads
 *     (shared at least) or writes (exclusive); writes are GST, GSST, MSET,
 *     MSETS, MADD, MDEL, MCLEAR, MCOUNT, and ITINIT when it sorts or
 *     iterates statistics; MSTAT needs nothing, or the shared lock when the
 *     program clears or deletes from that statistics map anywhere.  The
 *     host takes exactly the listed locks, so two CPUs never race on one
 *     variable.
 *  I6 bounded verification: at most BT_VERIFY_MAX_STEPS instruction
 *     visits for lock sets, with bt_host_verify_yield() every
 *     BT_VERIFY_YIELD_STEPS and after each function.
 *
 * What it leaves to run time, where the VM checks cheaply: call depth
 * (MAXNESTING), the action budget (MAXACTION), a hit's running time (the
 * host's bt_host_overtime(), fed by the VM's work counter), map capacity.
 *
 * Rejections name the function and function-relative pc, in the style of
 * the kernel's BPF verifier:
 *	func 'probe_0' pc 12: jump target 40 out of range
 *	func 'f' pc 5: reached from pc 1 inside the try block begun at 0
 *	(depth 1) and from pc 3 outside any try block
 */
#ifndef BT_VERIFY_H
#define BT_VERIFY_H

#include "bt_prog.h"

#define BT_MAX_TRY_NEST	32	/* static try nesting within one function */
#define BT_MAX_ITERS	64	/* iterator slots of one function */
#define BT_VERIFY_MAX_STEPS	(1u << 26)	/* lock-set instruction visits */
#define BT_VERIFY_YIELD_STEPS	(1u << 16)	/* a power of two */

/*
 * Returns 0, or -1 with diag filled in (msg, absolute pc, function).
 * Process context only: it takes scratch memory from the host
 * (bt_host_verify_alloc(), about 16 bytes per instruction of the longest
 * function) and lets it reschedule.
 */
int bt_verify(const struct bt_prog *prog, struct bt_diag *diag);

/*
 * The lock rule of I5 for one instruction, shared with the compiler and
 * the program builder so that they declare exactly what is verified:
 * which global or map in touches (*space: enum bt_lock_space, *index),
 * and how.  map_is_stats: in's map holds statistics.
 */
enum bt_lock_need_kind {
	BT_NEED_NONE,		/* touches no global or map */
	BT_NEED_READ,		/* the shared lock */
	BT_NEED_WRITE,		/* the exclusive lock */
	BT_NEED_STAT_ADD,	/* <<<: none, or shared if the program has
				 * a BT_NEED_STAT_WRITE_ALL on the same map */
	BT_NEED_STAT_WRITE_ALL,	/* exclusive; writes every CPU's partial */
};

int bt_insn_lock_need(const struct bt_insn *in, int map_is_stats,
		      uint8_t *space, uint32_t *index);

#endif /* BT_VERIFY_H */
