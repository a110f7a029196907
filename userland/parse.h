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
#include "compiler.h"
#include "diag.h"

/* struct compile_opts, compiler_new() and compiler_free(): compiler.h */

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

/*
 * Limits that keep every recursive walker (parser, sema, dump, codegen)
 * far from the stack limit: nesting of parser recursion (parentheses,
 * blocks, unary chains), and the height of an expression tree (long
 * left-associative chains like 1+1+...+1 are built by loops).
 */
#define PARSE_MAX_DEPTH 500
#define EXPR_MAX_HEIGHT 1000

#endif /* BYTETAP_PARSE_H */
