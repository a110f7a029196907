/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bt_host.h - what the VM core asks of the place it runs in.
 *
 * The VM core (bytecode/) is linked into two hosts: the kernel module
 * (vm-module/) and the user runtime (userland/rt_user.c).  Each host
 * defines these functions; there are no function pointers, so the calls
 * are direct and CFI-clean.  Every function here may be called from probe
 * context in the kernel: none may sleep, allocate or spin without bound.
 */
#ifndef BT_HOST_H
#define BT_HOST_H

#include "bt_types.h"

struct bt_ctx;

/*
 * Output records.  The VM never formats text for output: it emits compact
 * records that user space formats.  bt_host_out_reserve() returns space
 * for one record of len bytes (a multiple of 8) in the current CPU's
 * buffer, or NULL when the buffer is full - the VM then counts a drop.
 * The record becomes visible to the reader on bt_host_out_commit().
 */
void *bt_host_out_reserve(struct bt_ctx *ctx, uint32_t len);
void bt_host_out_commit(struct bt_ctx *ctx, void *rec);

/*
 * A HOST builtin (bt_builtin.h): ints in iargs[], strings in sargs[],
 * result in *iret or in sret (capacity sret_cap, always NUL-terminated).
 * Returns 0, or a negative value after calling bt_ctx_fail() with the
 * error text (e.g. a faulting read), which raises a runtime error.
 */
int bt_host_builtin(struct bt_ctx *ctx, unsigned int id,
		    const int64_t *iargs, const char *const *sargs,
		    int64_t *iret, char *sret, uint32_t sret_cap);

/*
 * Copy len bytes (at most 4096) of kernel memory at addr, without
 * faulting, for printf's %m / %M.  Returns 0, or a negative value after
 * calling bt_ctx_fail() with the error text.  A host without kernel memory
 * (the user runtime) just fails.
 */
int bt_host_read_kernel(struct bt_ctx *ctx, void *dst, uint64_t addr,
			uint32_t len);

/* exit() was called: end the session once running handlers finish. */
void bt_host_exit(struct bt_ctx *ctx);

/*
 * The hit's time guard.  The VM calls this every BT_WORK_QUANTUM units of
 * work (bt_vm.h: a LOOP costs its body's length, a CALL its callee's,
 * heavy instructions their size).  Nonzero: the hit has run too long;
 * the host has called bt_ctx_fail() with the reason, and the VM ends the
 * handler with that error, uncatchable.  The kernel compares the clock
 * with its bound (and, in process context, reschedules here).
 */
int bt_host_overtime(struct bt_ctx *ctx);

/*
 * The verifier's needs.  bt_verify() runs in process context, once per
 * program, before anything runs: these are the only exceptions to "may
 * be called from probe context" above.  bt_host_verify_alloc() returns
 * size bytes (any contents) or NULL, and the program is then refused;
 * bt_host_verify_yield() may reschedule and returns nonzero to give up
 * (the caller has a fatal signal pending).
 */
void *bt_host_verify_alloc(size_t size);
void bt_host_verify_free(void *p);
int bt_host_verify_yield(void);

#endif /* BT_HOST_H */
