/*
 * target.h - target variables: $name, $name->field[i], $$parms, $return,
 * @cast(p, "type")->field, turned into ordinary script expressions.
 *
 * The VM knows nothing of kernel types.  With the kernel's BTF (btf.h),
 * sema rewrites each target expression into calls of builtins the VM has:
 *
 *	$count                  (size_t, 3rd parameter)  u64_arg(3)
 *	$file->f_inode->i_ino   kernel_long(kernel_pointer(u64_arg(1) + 32) + 64)
 *	$task->comm             kernel_string_n(... + OFF, 16)
 *	$$parms                 sprintf("file=0x%x buf=0x%x ...", ...)
 *
 * so every read is the VM's nofault read, and a bad pointer is a script
 * error at the expression's location.
 *
 * A context belongs to one concrete probe point: a kernel function's
 * entry or return, or a tracepoint.  Sema splits a probe whose handler
 * uses target variables into one probe per function its points match
 * (target_expand), since each function has its own parameters.
 */
#ifndef BYTETAP_TARGET_H
#define BYTETAP_TARGET_H

#include "ast.h"

struct btf;
struct point_info;

enum target_kind {
	TCTX_FUNC,		/* kernel.function("f"), .call */
	TCTX_RETURN,		/* kernel.function("f").return */
	TCTX_TRACE,		/* kernel.trace("name") */
};

struct target_ctx {
	enum target_kind kind;
	const struct btf *btf;
	int proto;		/* FUNC_PROTO of the function / tracepoint */
	const char **names;	/* tracepoints: argument names (index 1..) */
	const char *where;	/* "function vfs_write", for messages */
};

/*
 * The context of one concrete point, or NULL with *why: the point has no
 * target variables (begin, timer, kprobe.function), or no BTF says what
 * they are.
 */
struct target_ctx *target_ctx_of(struct compiler *cc,
				 const struct probe_point *pp, const char **why);

/* The contexts of a function's entry or return and of a tracepoint, as
 * the families' context hooks (probes/) ask for them. */
struct target_ctx *target_func_ctx(struct compiler *cc,
				   const struct point_info *pi, const char **why);
struct target_ctx *target_trace_ctx(struct compiler *cc,
				    const struct point_info *pi, const char **why);
/* The BTF that types pi's function or tracepoint (a module's, or the
 * kernel's), or NULL with *why. */
const struct btf *target_btf(const struct point_info *pi, const char **why);

/* The entry context matching a .return one (for @entry). */
struct target_ctx *target_entry_ctx(struct compiler *cc,
				    const struct target_ctx *ret);

/* pp without its .return (and .maxactive): where @entry values are taken */
struct probe_point *target_entry_point(struct compiler *cc,
				       const struct probe_point *pp);

/*
 * E (an E_TARGET or E_CAST) as a plain expression tree over builtin
 * calls, or NULL with *why (arena string) saying what is wrong and *at
 * the token of the step that failed (e.g. the '->' of a missing member;
 * at may be NULL).  ctx may
 * be NULL for @cast.  The result is not yet resolved.
 */
struct expr *target_lower(struct compiler *cc, const struct target_ctx *ctx,
			  const struct expr *e, const char **why,
			  const struct token **at);

/* Is E a $$name or $name target the return context means at return
 * ($return, $$return)?  Others in a .return probe are entry values. */
bool target_is_return_value(const struct expr *e);

/* " $file:struct file* $buf:char const* ...": what -L shows for ctx. */
const char *target_vars_text(struct compiler *cc, const struct target_ctx *ctx);

#endif /* BYTETAP_TARGET_H */
