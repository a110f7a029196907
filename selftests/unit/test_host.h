/*
 * test_host.h - a host for unit tests of the VM core (bt_host.h), plus
 * helpers to assemble, load, verify and run programs.
 *
 * Records are appended to one memory buffer; th_text() renders them as
 * the user runtime would print them (PRINTF through bt_fmt_render, HIST
 * through bt_hist_render, "ERROR: msg near loc", "WARNING: msg").
 *
 * Link: the test, selftests/unit/test_host.c, every bytecode .c file,
 * userland/progbuild.c and userland/util.c (not the real rt_user.c, which
 * defines the same bt_host_* functions).
 */
#ifndef BYTETAP_TEST_HOST_H
#define BYTETAP_TEST_HOST_H

#include <stddef.h>
#include <stdint.h>
#include "bt_prog.h"
#include "bt_vm.h"
#include "bt_verify.h"
#include "progbuild.h"

/* Host state. */
extern uint8_t *th_buf;		/* records */
extern size_t th_len, th_cap;
extern int th_exit_calls;
extern int th_overtime_after;	/* fail the hit at the Nth bt_host_overtime() (0: never) */
extern int th_overtime_checks;	/* bt_host_overtime() calls so far */
extern int th_reserve_fail;	/* make bt_host_out_reserve() return NULL */
void th_reset(void);

/* A program, loaded, with a session and one context per CPU. */
struct th {
	void *blob;
	size_t size;
	struct bt_prog prog;
	struct bt_diag diag;
	struct bt_session *sess;
	struct bt_ctx **ctx;
	unsigned int ncpus;
	char out[65536];	/* th_text() of the last run */
};

/* Serialize pb (freed), bt_load + bt_verify; 0 or -1 (th->diag says why). */
int th_build(struct th *t, struct progbuild *pb);
/* Load a raw blob (copied). */
int th_load_blob(struct th *t, const void *blob, size_t size);
/* Session + contexts. */
int th_start(struct th *t, unsigned int ncpus);
void th_free(struct th *t);

/* Run probe p on cpu, then render all records into t->out; returns rc. */
int th_run(struct th *t, unsigned int cpu, uint32_t probe);
/* Render the records in th_buf (and clear them). */
void th_text(struct th *t);

/* A probe declaration of kind BEGIN for handler f. */
uint32_t th_probe(struct progbuild *pb, uint32_t func, const char *point);

/* Frame declaration shorthand. */
static inline struct bt_func_decl th_frame(unsigned int nregs, unsigned int nstrs,
					   unsigned int niters, unsigned int ntries)
{
	struct bt_func_decl f = { 0 };

	f.nregs = nregs;
	f.nstrs = nstrs;
	f.niters = niters;
	f.ntries = ntries;
	return f;
}

/* Emit a map instruction and its EXT word. */
uint32_t th_emit_map(struct progbuild *pb, unsigned int op, unsigned int x,
		     unsigned int a, unsigned int m, unsigned int kb,
		     unsigned int ks, unsigned int eb, unsigned int ec);

#endif
