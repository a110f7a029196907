/*
 * probes.h - the probe families: one registry row per family.
 *
 * A family (begin/end/error/never, timer, kernel.function, module(),
 * kernel.trace, procfs, ...) says in its own file, probes/NAME.c:
 *   - forms:   the point forms stap 4.8 knows for it (stap
 *              --dump-probe-types); sema validates points against them
 *   - parse:   what a point names (a function, a tracepoint) for target
 *              variables, resolution and listing
 *   - expand, resolves: how a pattern resolves (BTF, kallsyms, tracefs)
 *   - context: what target variables the point offers (target.h)
 *   - lower:   its row in the program's probe table (struct bt_probe_decl)
 *   - list:    what -l / -L print for it
 * and registry.c has the table and the dispatch.  Adding a family is one
 * new file here plus one row in registry.c.
 */
#ifndef BYTETAP_PROBES_H
#define BYTETAP_PROBES_H

#include <stdbool.h>

#include "ast.h"
#include "bt_prog.h"
#include "points.h"

struct target_ctx;

/* The tick rate the timer family (timer.jiffies) and the user runtime's
 * HZ() and jiffies() assume: Debian's default. */
#define PROBE_HZ		250
#define PROBE_NS_PER_SEC	1000000000ull
#define PROBE_NS_PER_JIFFY	(PROBE_NS_PER_SEC / PROBE_HZ)

enum point_kind {
	POINT_OTHER,		/* begin, timer.*, kernel.statement, ... */
	POINT_FUNCTION,		/* a kernel or module function */
	POINT_TRACE,		/* a tracepoint */
};

/* What a point names, as its family's parse reads it. */
struct point_info {
	enum point_kind kind;
	bool kprobe;		/* the kprobe.* (DWARF-less) spelling */
	const char *module;	/* "m" of module("m"), '-' spelled '_' as the
				   kernel does; NULL for the kernel */
	int comp;		/* index of the function / trace component */
	const char *pattern;	/* function pattern without "@file"; the
				   tracepoint name without "sys:" */
	const char *system;	/* tracepoint "sys" of "sys:name", or NULL */
	int nafter;		/* components after comp (.call, .return ...) */
	bool ret;		/* .return follows the function */
};

/* What expand hooks collect: concrete points, pp with a new name. */
struct probe_expand {
	struct compiler *cc;
	const struct probe_point *pp;
	int k;			/* the component renamed */
	struct probe_point **v;
	int n, cap;
};

/* Called by a list hook for each point a pattern stands for. */
typedef void (*probe_emit_fn)(const struct probe_point *pp, void *arg);

struct probe_family {
	const char *name;		/* "timer": for messages and docs */
	const char *const *forms;	/* NULL-terminated, stap's spelling */

	/* Fills *pi (zeroed by the caller); false: the point names no
	 * function or tracepoint.  NULL: never does. */
	bool (*parse)(struct compiler *cc, const struct probe_point *pp,
		      struct point_info *pi);
	/* Concrete points for a pattern, with probe_expand_add(); -1 when
	 * pp is not expandable (left alone).  NULL: never is. */
	int (*expand)(struct probe_expand *x, const struct point_info *pi);
	/* Patterns are expanded at compile time even without target
	 * variables (the runtime attaches by exact name). */
	bool expand_globs;
	/* Does the point name something this kernel has, when expand found
	 * nothing?  NULL: assumed to. */
	bool (*resolves)(struct compiler *cc, const struct probe_point *pp,
			 const struct point_info *pi);

	/* Target variables: the context of one concrete point, or NULL with
	 * *why.  NULL: "this probe point has no target variables". */
	struct target_ctx *(*context)(struct compiler *cc,
				      const struct probe_point *pp,
				      const struct point_info *pi,
				      const char **why);
	/* $var here is plainly "unresolved" (no context at all). */
	bool context_free;
	/* May the handler write $value? */
	bool (*value_writable)(const struct probe_point *pp);
	/* The session ends after the handler has run, as if it called
	 * exit(): the point gets a handler of its own, exit() appended. */
	bool exits;

	/* The point's row in the probe table: fills kind, seq, period, ...
	 * and *symbol; 0, or -1 "probe point not supported".  NULL: none
	 * of its points is supported yet. */
	int (*lower)(struct compiler *cc, const struct probe_point *pp,
		     const struct point_info *pi, struct bt_probe_decl *d,
		     const char **symbol);

	/* -l / -L: the points pp stands for.  NULL: pp as written. */
	void (*list)(struct compiler *cc, const struct probe_point *pp,
		     const struct point_info *pi, probe_emit_fn emit, void *arg);
};

/* The family a point belongs to (the first whose form it matches as a
 * whole), or NULL: no built-in form, neither an alias. */
const struct probe_family *probe_family_of(const struct probe_point *pp);

/* Is pp one of the built-in forms?  Else *best: how many of its leading
 * components some form matches (for the error's position). */
bool probe_point_valid(const struct probe_point *pp, int *best);

/* Fills *pi; false (kind POINT_OTHER) when pp names no function or
 * tracepoint. */
bool point_info(struct compiler *cc, const struct probe_point *pp,
		struct point_info *pi);

/* The family's expand: concrete points in *out (arena), how many; -1 if
 * pp is not expandable. */
int probe_expand(struct compiler *cc, const struct probe_point *pp,
		 struct probe_point ***out);
/* probe_expand() was asked for a glob without target variables. */
bool probe_expands_globs(const struct probe_point *pp);
/* Does pp name something this kernel has (pp! "sufficient")? */
bool probe_resolves(struct compiler *cc, const struct probe_point *pp);
/* Target context of a concrete point (target_ctx_of() in target.h). */
struct target_ctx *probe_context(struct compiler *cc,
				 const struct probe_point *pp, const char **why);
bool probe_context_free(const struct probe_point *pp);
bool probe_value_writable(const struct probe_point *pp);
bool probe_exits(const struct probe_point *pp);
/* Fills d and *symbol for a concrete point; 0, or -1: not supported. */
int probe_lower(struct compiler *cc, const struct probe_point *pp,
		struct bt_probe_decl *d, const char **symbol);
/* Calls emit for each point pp stands for in -l / -L. */
void probe_list(struct compiler *cc, const struct probe_point *pp,
		probe_emit_fn emit, void *arg);

/* ---- for the families ---- */

void probe_expand_add(struct probe_expand *x, const char *name);
bool pp_comp_is(const struct pp_comp *c, const char *name);
const char *pp_comp_str(const struct pp_comp *c);
int64_t pp_comp_num(const struct pp_comp *c, int64_t dflt);

/* Shared by the function families (kernel.function, module().function):
 * probes/function.c. */
bool func_parse_at(struct compiler *cc, const struct probe_point *pp, int fc,
		   struct point_info *pi);
const char *func_module_name(struct compiler *cc, const char *m);
int func_expand(struct probe_expand *x, const struct point_info *pi);
bool func_resolves(struct compiler *cc, const struct probe_point *pp,
		   const struct point_info *pi);
struct target_ctx *func_context(struct compiler *cc,
				const struct probe_point *pp,
				const struct point_info *pi, const char **why);
int func_lower(struct compiler *cc, const struct probe_point *pp,
	       const struct point_info *pi, struct bt_probe_decl *d,
	       const char **symbol);
void func_list(struct compiler *cc, const struct probe_point *pp,
	       const struct point_info *pi, probe_emit_fn emit, void *arg);

#endif /* BYTETAP_PROBES_H */
