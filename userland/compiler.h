/*
 * compiler.h - the front-end context, one per compilation: its options
 * (struct compile_opts), the state the passes keep in it (struct
 * compiler), and its life cycle.  The arena and the file table that live
 * in it are in diag.h.
 */
#ifndef BYTETAP_COMPILER_H
#define BYTETAP_COMPILER_H

#include <stdbool.h>
#include <stdio.h>

struct script;
struct srcfile;

struct compile_opts {
	/* the script: a file ("-" = stdin), or text given with -e */
	const char *script_file;
	const char *script_text;	/* used when script_file is NULL */
	const char *script_name;	/* name for script_text, default
					   "<input>" */

	/* script arguments: $1..$N / @1..@N */
	char *const *args;
	int nargs;

	/*
	 * Tapset directories, searched in this order: the -I dirs, then
	 * $BYTETAP_TAPSETS, then <exe dir>/../tapsets.  Set no_tapsets to
	 * use none (unit tests); tapset_default overrides the last one.
	 */
	const char *const *include_dirs;
	int ninclude_dirs;
	const char *tapset_default;
	bool no_tapsets;

	/* %( %) conditions; NULL means "this machine" */
	const char *kernel_release;	/* kernel_vr, kernel_v, CONFIG_* */
	const char *arch;		/* "x86_64", "arm64", ... */
	const char *runtime;		/* "kernel" (default) or "user" */
	const char *privilege;		/* "stapdev" (default), "stapusr" .. */
	bool guru;			/* -g */
	const char *compatible;		/* --compatible: systemtap_v; NULL
					   = the version bytetap follows */

	bool unoptimized;		/* -u: keep unused functions/globals */
	bool no_warnings;		/* -w */
	bool listing;			/* -l/-L: every alias as written (no
					   syscall.* shortcut) */
	FILE *err;			/* diagnostics; NULL = stderr */
	bool quiet;			/* no diagnostics at all: they are
					   counted, not printed (-l) */
	int max_errors;			/* 0 = default (stop early) */
};

/* The front-end context; one per compilation.  Opaque outside the front
 * end except for the fields documented here. */
struct compiler {
	const struct compile_opts *opts;
	FILE *err;			/* where diagnostics go; NULL: nowhere
					   (counted only, see diag.c) */
	struct script *script;

	/* file table (script->files points here too) */
	struct srcfile **files;
	int nfiles, capfiles;

	int nerrors;			/* errors reported so far */
	int nwarnings;
	int max_errors;			/* stop collecting after this many */

	/* arena */
	struct arena_chunk *chunks;

	/* growth state of script->parsed / user_probes (parse/decl.c) */
	int cap_parsed, cap_user_probes;
	/* the tapset search path (compiler.c: tapset_dirs()) */
	const char **tapset_dirs;
	int ntapset_dirs;

	/* private state of the other front-end files */
	struct pp_state *pp;		/* preproc.c: macro tables, config */
	struct tapset_index *tsidx;	/* sema.c: tapset name index */
};

/* A context for opts (which must outlive it); compiler_free() frees the
   context and every tree and string allocated in it. */
struct compiler *compiler_new(const struct compile_opts *opts);
void compiler_free(struct compiler *cc);

/* The tapset search path (see compile_opts), computed once. */
const char *const *tapset_dirs(struct compiler *cc, int *n);

/*
 * Loads and lexes every file ending in SUFFIX in the tapset path, in
 * directory then name order, and hands FN the tokens of each that lexed.
 */
struct token;
void tapset_each_file(struct compiler *cc, const char *suffix,
		      void (*fn)(struct compiler *cc, struct token *toks,
				 int ntoks, int file, void *arg),
		      void *arg);

#endif /* BYTETAP_COMPILER_H */
