/*
 * lex.h - SystemTap tokens.
 */
#ifndef BYTETAP_LEX_H
#define BYTETAP_LEX_H

#include "ast.h"
#include "diag.h"

/*
 * Tokenizes files[file] into an arena array ending with a TK_EOF token.
 * On a lexical error it reports it and returns NULL.  `*ntoks` counts the
 * tokens including the EOF.
 */
struct token *lex_file(struct compiler *cc, int file, int *ntoks);

/* Tokenizes text as a new pseudo-file named `name` (for $1 pasting). */
struct token *lex_text(struct compiler *cc, const char *name,
		       const char *text, int *ntoks);

/* Token predicates used by the preprocessor and parser. */
static inline bool tok_is(const struct token *t, const char *s)
{
	return (t->kind == TK_OP || t->kind == TK_KEYWORD) &&
	       t->text[0] == s[0] && !__builtin_strcmp(t->text, s);
}

static inline bool tok_is_ident(const struct token *t, const char *s)
{
	return t->kind == TK_IDENT && !__builtin_strcmp(t->text, s);
}

#endif /* BYTETAP_LEX_H */
