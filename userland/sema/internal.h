/*
 * internal.h - what the files of pass 2 share (private to sema/).
 *
 * sema.c (the driver) runs the passes in order on one struct sema:
 *   scope.c    declarations of the parsed files into name tables
 *   tapsets.c  pulls in tapset files that define names the code uses
 *   alias.c    expands probe aliases into derived probes; validates points
 *   targets.c  one probe per target-variable context, @entry captures
 *   resolve.c  names to symbols / functions / builtins; arity
 *   elide.c    dead local stores, side-effect-free statements, dead code
 *   types.c    type inference to a fixed point; what stayed unknown
 *   effects.c  read/write sets and the call graph
 *   foreach.c  foreach must not modify the array it iterates
 * Sema stops at the first error: sema_fail() longjmps to sema_check().
 */
#ifndef BYTETAP_SEMA_INTERNAL_H
#define BYTETAP_SEMA_INTERNAL_H

#include <setjmp.h>

#include "diag.h"
#include "parse.h"
#include "sema.h"

/* All overloads of one function name visible in one table. */
struct funcset {
	struct func **v;
	int n, cap;
};

struct sema {
	struct compiler *cc;
	struct script *s;
	jmp_buf fail;

	struct hmap globals;		/* public globals */
	struct hmap funcs;		/* public functions: name -> funcset */
	struct hmap *priv_globals;	/* per file */
	struct hmap *priv_funcs;
	int npriv;

	struct symbol **all_globals;
	int nall_globals, capall_globals;
	struct func **all_funcs;
	int nall_funcs, capall_funcs;
	struct alias **aliases;
	int naliases, capaliases;
	struct hmap alias_by_name;	/* text -> struct alias list (funcset-like) */

	int ncollected;			/* parsed files already collected */
	int nprobes_expanded;

	/* resolution scope */
	struct hmap *locals;
	struct symbol ***local_vec;
	int *nlocal_vec, *caplocal_vec;
	int scope_file;
	struct probe *cur_probe;
	struct func *cur_func;

	/* type inference */
	bool *func_pure;		/* by func->index: no side effects */
	bool changed;
	int stamp;
	int capprobes, capfuncs, capglobals;
};

/* sema.c */
__attribute__((noreturn, format(printf, 3, 4)))
void sema_fail(struct sema *S, const struct token *t, const char *fmt, ...);

/* scope.c */
struct symbol *find_global(struct sema *S, const char *name, int file);
struct funcset *find_funcs(struct sema *S, const char *name, int file);
void add_global(struct sema *S, struct symbol *g);
void collect_new_files(struct sema *S);
void chain_all(struct hmap *m);

/* tapsets.c */
void load_tapsets(struct sema *S);

/* alias.c */
void expand_probes(struct sema *S);
void validate_points(struct sema *S);
void add_derived(struct sema *S, struct probe *orig, const struct alias *via,
		 struct probe_point **pts, int npts, struct stmt *body);

/* targets.c */
void prepare_targets(struct sema *S);

/* resolve.c */
void resolve_all(struct sema *S, bool keep_all);
void mark_live(struct sema *S, struct func *f);
void res_target(struct sema *S, struct expr *e);

/* elide.c */
void elide_dead_stores(struct sema *S);

/* types.c */
void infer_types(struct sema *S);
void check_known(struct sema *S);

/* effects.c */
void compute_rw(struct sema *S);

/* foreach.c */
void check_foreach(struct sema *S);

#endif /* BYTETAP_SEMA_INTERNAL_H */
