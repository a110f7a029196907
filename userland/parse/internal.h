/*
 * parse/internal.h - what the files of the parser share: the parser state
 * of one file, its token cursor, error exit and node constructors, and the
 * productions one file calls in another.
 *
 * Input is the preprocessed token-pointer array of one file; output a
 * struct stapfile of declarations.  The parser stops at the first error
 * (p_fail() longjmps back to parse_file), which keeps every production
 * free of error plumbing.  Recursion is bounded by PARSE_MAX_DEPTH
 * (p_enter/p_leave) and expression trees by EXPR_MAX_HEIGHT (grown()), so
 * hostile input gets an error, not a stack overflow.
 */
#ifndef BYTETAP_PARSE_INTERNAL_H
#define BYTETAP_PARSE_INTERNAL_H

#include <setjmp.h>
#include "lex.h"
#include "parse.h"

struct parser {
	struct compiler *cc;
	const struct token **toks;
	int pos, n;
	int file;
	bool is_tapset;
	int depth;		/* recursion depth, see enter() */
	int loops;		/* enclosing loops, for break/continue */
	bool in_function;	/* return is allowed */
	jmp_buf fail;
	struct stapfile *sf;
	int capdecls;
	struct hmap globals;	/* this file's globals, for duplicates */
};

/* cursor.c: tokens, errors, recursion bound */
const struct token *p_peek(struct parser *p);
const struct token *p_peek2(struct parser *p);
const struct token *p_next(struct parser *p);
bool p_is(struct parser *p, const char *s);	/* next token is s */
bool p_accept(struct parser *p, const char *s);	/* consumes it if so */
const struct token *p_expect(struct parser *p, const char *s);
const struct token *p_expect_ident(struct parser *p);
void p_fail(struct parser *p, const struct token *t, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));
void p_enter(struct parser *p);		/* every recursive production */
void p_leave(struct parser *p);

/* cursor.c: nodes and literals */
struct expr *new_expr(struct parser *p, enum expr_kind kind,
		      const struct token *tok);
struct expr *grown(struct parser *p, struct expr *e);	/* height check */
struct expr *new_binary(struct parser *p, enum expr_kind kind, enum op op,
			const struct token *tok, struct expr *lhs,
			struct expr *rhs);
struct stmt *new_stmt(struct parser *p, enum stmt_kind kind,
		      const struct token *tok);
struct expr *parse_string(struct parser *p);	/* adjacent ones joined */
struct expr *parse_number(struct parser *p);
struct expr *parse_literal(struct parser *p);	/* number or string */

/* expr.c */
struct expr *parse_expr(struct parser *p);
struct expr *parse_unary(struct parser *p);
void parse_keys(struct parser *p, struct expr *e, const char *close);
struct expr *parse_hist(struct parser *p);
bool is_stat_kw(const struct token *t);		/* @count, @sum, ... */
enum stat_op stat_op_of(const char *s);

/* stmt.c */
struct stmt *parse_block(struct parser *p);

#endif /* BYTETAP_PARSE_INTERNAL_H */
