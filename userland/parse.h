/*
 * parse.h - the front end's entry points: options, context, parsing.
 *
 * Typical driver:
 *
 *	struct compile_opts o = { .script_file = "t.stp", .args = argv+2,
 *				  .nargs = argc-2, .runtime = "user" };
 *	struct compiler *cc = compiler_new(&o);
 *	struct script *s = parse_script(cc);		// pass 1
 *	if (!s) fail;
 *	if (p == 1) { dump_parse(stdout, s); ... }
 *	if (sema_check(s) != 0) fail;			// pass 2 (sema.h)
 *	if (p == 2) { dump_resolved(stdout, s); ... }
 *	codegen(s) ...
 *	compiler_free(cc);				// frees the whole tree
 *
 * Errors have been printed to opts->err (default stderr) when a function
 * fails; cc->nerrors counts them.
 */
#ifndef BYTETAP_PARSE_H
#define BYTETAP_PARSE_H

#include <stdio.h>
#include "ast.h"
#include "diag.h"

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

	bool unoptimized;		/* -u: keep unused functions/globals */
	bool no_warnings;		/* -w */
	bool listing;			/* -l/-L: every alias as written (no
					   syscall.* shortcut) */
	FILE *err;			/* diagnostics; NULL = stderr */
	int max_errors;			/* 0 = default (stop early) */
};

struct compiler *compiler_new(const struct compile_opts *opts);
void compiler_free(struct compiler *cc);

/*
 * Pass 1: reads, preprocesses and parses the user script.  Returns NULL
 * after printing errors.  The returned script belongs to cc.
 */
struct script *parse_script(struct compiler *cc);

/*
 * Parses one more file (already in the file table) into script->parsed.
 * Used by sema for tapset files; returns NULL on errors.
 */
struct stapfile *parse_file(struct compiler *cc, int file);

/*
 * printf format check with the VM's parser (bt_format.h): returns the
 * number of arguments the format consumes, storing 'l' (long) or 's'
 * (string) for the first `max` of them; *ok = false on an invalid format,
 * with *msg (if msg) set to stap's wording.
 */
int parse_format_args(const char *fmt, char *types, int max, bool *ok,
		      const char **msg);

/* The tapset search path (see compile_opts), computed once. */
const char *const *tapset_dirs(struct compiler *cc, int *n);

/*
 * Limits that keep every recursive walker (parser, sema, dump, codegen)
 * far from the stack limit: nesting of parser recursion (parentheses,
 * blocks, unary chains), and the height of an expression tree (long
 * left-associative chains like 1+1+...+1 are built by loops).
 */
#define PARSE_MAX_DEPTH 500
#define EXPR_MAX_HEIGHT 1000

#endif /* BYTETAP_PARSE_H */
