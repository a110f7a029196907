/*
 * preproc.h - the token-level preprocessor: @define macros, %( %)
 * conditionals, $1/@1/$#/@# script arguments.
 */
#ifndef BYTETAP_PREPROC_H
#define BYTETAP_PREPROC_H

#include "ast.h"
#include "diag.h"

/*
 * Preprocesses the tokens of one file (from lex_file) into a NULL-free
 * array of token pointers ending with the file's TK_EOF token.  Macros
 * defined with @define are local to the file; library macros come from
 * the *.stpm files in the tapset directories.  Returns NULL on errors.
 */
const struct token **preprocess(struct compiler *cc, struct token *toks,
				int ntoks, int *nout);

/*
 * Evaluates "kernel_vr OP STR" style operands; exposed for unit tests.
 * Returns 1/0, or -1 after reporting an error.
 */
int pp_eval_condition(struct compiler *cc, const struct token **cond, int n);

/* The architecture the %( arch == ... %) conditions see ("x86_64"). */
const char *pp_arch(struct compiler *cc);

/*
 * Was script argument idx (1-based, $idx or @idx) expanded anywhere?
 * stap warns about the ones that never were.
 */
bool pp_arg_used(struct compiler *cc, int idx);

#endif /* BYTETAP_PREPROC_H */
