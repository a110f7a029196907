/*
 * gen.h - a structure-aware program generator for fuzzing the verifier,
 * the VM and the kernel module (doc/fuzzing.md).
 *
 * gen_program() turns a 64-bit seed into a whole program blob
 * (bytecode/bt_prog.h), built from the ISA table as a compiler would
 * build it: globals, maps, formats, functions and probe handlers made of
 * structured code (sequences, if/else, counted loops whose only back edge
 * is LOOP, try/catch regions, foreach, calls, map operations with key
 * tuples), every function ending in a terminator, every probe declaring
 * the lock set its code needs.  The same seed always gives the same blob.
 *
 * A configurable fraction of programs is then mutated, structure-aware
 * (retarget a jump, change a JMP's try count, swap / delete / duplicate
 * an instruction, move an operand to a neighbouring index, change a map's
 * keys or capacity, drop or weaken a lock, insert a TRY or TRYEND, raise a
 * limit to something huge) or by plain byte flips of the blob.  Another
 * fraction gets one deliberate state conflict instead (a jump into a try
 * region, a LOOP back into a different try depth, a foreach entered past
 * its ITINIT, ...): well-formed code but for one construct that the
 * verifier must refuse, for a reason the generator knows in advance.
 *
 * Used by selftests/unit/vm_survives_generated_programs.c on the host and
 * by selftests/fuzz/bt-fuzz.c in the test guest (linked statically with
 * bytecode/bt_isa.c, bytecode/bt_builtin.c, bytecode/bt_verify.c for the
 * lock rule bt_insn_lock_need(), userland/progbuild.c and userland/util.c,
 * which has the verifier's host hooks).
 */
#ifndef BYTETAP_FUZZ_GEN_H
#define BYTETAP_FUZZ_GEN_H

#include <stddef.h>
#include <stdint.h>
#include "bt_prog.h"

/* A kprobe point the generator may use: symbol + offset (0: the entry). */
struct gen_kprobe {
	char symbol[64];
	uint64_t offset;
	int ret_ok;		/* may also be a kretprobe (offset 0 only) */
};

struct gen_opts {
	unsigned int mutate_pct;	/* programs mutated, percent */
	unsigned int conflict_pct;	/* with a planted state conflict, percent
					 * (taken before mutate_pct; not mutated) */
	unsigned int ctx_pct;		/* with probe-context probes, percent */
	const struct gen_kprobe *kprobes;	/* usable kprobe points */
	unsigned int nkprobes;
	const char *const *tracepoints;	/* usable tracepoint names */
	unsigned int ntracepoints;
};

#define GEN_MAX_ATTACH	8

/* A kprobe / kretprobe probe of the program: ATTACH it at kprobes[kp]. */
struct gen_attach {
	uint32_t probe;
	unsigned int kp;
};

struct gen_out {
	void *blob;		/* malloc'ed */
	size_t size;
	int mutated;		/* 0: a well-formed program */
	const char *mutation;	/* the first mutation's name, or "none" */
	const char *conflict;	/* the planted state conflict, or NULL */
	const char *expect;	/* ... and what the verifier's message says */
	int ctx;		/* has probe-context probes (timer, kprobe, ...) */
	/*
	 * The generator's own verdicts on the final code, independent of
	 * bt_verify.c (a walk of every path, gen.c): any of them set means
	 * the verifier must refuse the program.  They judge the model, so
	 * after the byte-flipping mutation all four are 0 (not known).
	 */
	int try_bad;		/* some pc is reached with two try stacks, or
				 * a JMP / TRYEND pops more than is open */
	int iter_bad;		/* an iterator is read where ITINIT did not
				 * set it up on every path */
	int locks_bad;		/* some probe's lock set misses a variable */
	int must_refuse;	/* try_bad || iter_bad || locks_bad */
	unsigned int nattach;
	struct gen_attach attach[GEN_MAX_ATTACH];
};

/* Build program seed; 0, or -1 if serializing failed (out->blob NULL). */
int gen_program(uint64_t seed, const struct gen_opts *o, struct gen_out *out);
void gen_out_free(struct gen_out *out);

/* The names of the mutations, for tallies; NULL-terminated. */
extern const char *const gen_mutation_names[];
/* The names of the planted state conflicts; NULL-terminated. */
extern const char *const gen_conflict_names[];

/* A seed per (run seed, worker, program number): splitmix64 of the three. */
uint64_t gen_seed(uint64_t run_seed, unsigned int worker, uint64_t n);

#endif
