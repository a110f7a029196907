/*
 * progbuild.h - assemble a program and write it in the file format of
 * bytecode/bt_prog.h.
 *
 * The code generator (and tests that hand-assemble programs) declare
 * functions, emit instructions into them one function at a time, add
 * tables, then serialize.  Pools are deduplicated: adding the same
 * constant, string or format twice returns the same index.
 */
#ifndef BYTETAP_PROGBUILD_H
#define BYTETAP_PROGBUILD_H

#include <stddef.h>
#include <stdint.h>
#include "bt_prog.h"

struct progbuild;

struct progbuild *pb_new(void);
void pb_free(struct progbuild *pb);

/* Pools. */
uint32_t pb_str(struct progbuild *pb, const char *s);		/* STRTAB offset */
uint32_t pb_strconst(struct progbuild *pb, const char *s);	/* STRCONSTS index */
uint32_t pb_const(struct progbuild *pb, int64_t v);		/* CONSTS index */

/* Declarations; each returns its index. */
uint32_t pb_global(struct progbuild *pb, const char *name, int kind,
		   int has_init, uint32_t init);
uint32_t pb_map(struct progbuild *pb, const char *name,
		const struct bt_map_decl *decl);	/* decl->name is set here */
uint32_t pb_format(struct progbuild *pb, const char *text,
		   unsigned nargs_i, unsigned nargs_s);
uint32_t pb_regex(struct progbuild *pb, const void *code, size_t size,
		  const char *source);
uint32_t pb_probe(struct progbuild *pb, const struct bt_probe_decl *decl,
		  const char *point, const char *symbol,
		  const struct bt_lock_ref *locks, unsigned nlocks);
void pb_limits(struct progbuild *pb, const struct bt_limits *limits);

/*
 * Give every probe declared without locks the lock set its code needs,
 * by the verifier's rule (bt_insn_lock_need()); probes with a hand-made
 * set keep it.  For hand-assembled programs (tests); call before
 * pb_serialize().
 */
void pb_derive_locks(struct progbuild *pb);

/*
 * Functions.  pb_func_declare() reserves an index (so calls can name a
 * function generated later); pb_func_begin() makes it the one that
 * pb_emit() appends to, until pb_func_end() records its frame sizes.
 */
uint32_t pb_func_declare(struct progbuild *pb, const char *name);
void pb_func_begin(struct progbuild *pb, uint32_t func);
void pb_func_end(struct progbuild *pb, const struct bt_func_decl *frame);
uint32_t pb_nfuncs(const struct progbuild *pb);

/* Emit into the current function; returns the instruction's pc in it. */
uint32_t pb_emit(struct progbuild *pb, unsigned op, unsigned x,
		 unsigned a, unsigned b, unsigned c);
uint32_t pb_emit_imm(struct progbuild *pb, unsigned op, unsigned a, int32_t imm);
uint32_t pb_pc(const struct progbuild *pb);	/* pc the next emit gets */
struct bt_insn *pb_insn(struct progbuild *pb, uint32_t pc);	/* to patch */

/* Errors raised from pc on are reported "near TEXT". */
void pb_loc(struct progbuild *pb, const char *text);

/* Write the whole program; *blob is malloc'ed.  Returns 0 or -1. */
int pb_serialize(struct progbuild *pb, void **blob, size_t *size);

#endif
