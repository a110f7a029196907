/*
 * parse/cursor.c - the parser's cursor over one file's tokens, its error
 * exit, the recursion bound, node constructors and literals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

const struct token *p_peek(struct parser *p)
{
	return p->toks[p->pos];
}

const struct token *p_peek2(struct parser *p)
{
	return p->pos + 1 < p->n ? p->toks[p->pos + 1] : p->toks[p->n - 1];
}

const struct token *p_next(struct parser *p)
{
	const struct token *t = p->toks[p->pos];
	if (t->kind != TK_EOF)
		p->pos++;
	return t;
}

bool p_is(struct parser *p, const char *s)
{
	return tok_is(p_peek(p), s);
}

bool p_accept(struct parser *p, const char *s)
{
	if (!p_is(p, s))
		return false;
	p_next(p);
	return true;
}

void p_fail(struct parser *p, const struct token *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_verror(p->cc, DIAG_PARSE, t, fmt, ap);
	va_end(ap);
	longjmp(p->fail, 1);
}

const struct token *p_expect(struct parser *p, const char *s)
{
	if (!p_is(p, s))
		p_fail(p, p_peek(p), "expected '%s'", s);
	return p_next(p);
}

const struct token *p_expect_ident(struct parser *p)
{
	const struct token *t = p_peek(p);
	if (t->kind != TK_IDENT || t->text[0] == '$' || t->text[0] == '@')
		p_fail(p, t, "expected identifier");
	return p_next(p);
}

/* Bounds recursion: every recursive production calls enter/leave. */
void p_enter(struct parser *p)
{
	if (++p->depth > PARSE_MAX_DEPTH)
		p_fail(p, p_peek(p), "expression nested too deeply");
}

void p_leave(struct parser *p)
{
	p->depth--;
}

/* ---- node constructors ---- */

struct expr *new_expr(struct parser *p, enum expr_kind kind,
			     const struct token *tok)
{
	struct expr *e = cc_alloc(p->cc, sizeof(*e));
	e->kind = kind;
	e->tok = tok;
	e->height = 1;
	return e;
}

/* Records the height of e from its children; fails when too tall. */
struct expr *grown(struct parser *p, struct expr *e)
{
	int h = 0;
	if (e->lhs && e->lhs->height > h) h = e->lhs->height;
	if (e->rhs && e->rhs->height > h) h = e->rhs->height;
	if (e->cond && e->cond->height > h) h = e->cond->height;
	for (int i = 0; i < e->nargs; i++)
		if (e->args[i] && e->args[i]->height > h)
			h = e->args[i]->height;
	for (int i = 0; i < e->ncomps; i++)
		if (e->comps[i].index && e->comps[i].index->height > h)
			h = e->comps[i].index->height;
	e->height = h + 1;
	if (e->height > EXPR_MAX_HEIGHT)
		p_fail(p, e->tok, "expression nested too deeply");
	return e;
}

struct expr *new_binary(struct parser *p, enum expr_kind kind,
			       enum op op, const struct token *tok,
			       struct expr *lhs, struct expr *rhs)
{
	struct expr *e = new_expr(p, kind, tok);
	e->op = op;
	e->lhs = lhs;
	e->rhs = rhs;
	return grown(p, e);
}

struct stmt *new_stmt(struct parser *p, enum stmt_kind kind,
			     const struct token *tok)
{
	struct stmt *s = cc_alloc(p->cc, sizeof(*s));
	s->kind = kind;
	s->tok = tok;
	return s;
}

/* ---- literals ---- */

/* One or more adjacent string literals, joined. */
struct expr *parse_string(struct parser *p)
{
	const struct token *t = p_peek(p);
	if (t->kind != TK_STRING)
		p_fail(p, t, "expected literal string");
	p_next(p);
	struct expr *e = new_expr(p, E_STR, t);
	e->str = t->str;
	e->str_len = t->str_len;
	if (p_peek(p)->kind != TK_STRING)
		return e;
	VEC(char) buf = { 0 };
	VEC_APPEND(buf, t->str, t->str_len);
	while (p_peek(p)->kind == TK_STRING) {
		const struct token *u = p_next(p);
		VEC_APPEND(buf, u->str, u->str_len);
	}
	e->str = cc_strndup(p->cc, buf.a, buf.n);
	e->str_len = buf.n;
	VEC_FREE(buf);
	return e;
}

/* A number literal, optionally negated: probe point and global
   initialiser arguments may be negative. */
struct expr *parse_number(struct parser *p)
{
	const struct token *t = p_peek(p);
	bool neg = false;
	if (tok_is(t, "-")) {
		neg = true;
		p_next(p);
	}
	const struct token *n = p_peek(p);
	if (n->kind != TK_NUMBER)
		p_fail(p, n, "expected number");
	p_next(p);
	struct expr *e = new_expr(p, E_NUM, neg ? t : n);
	/* unsigned negate: -(-2^63) wraps like stap's literals do */
	e->num = neg ? (int64_t)(0 - (uint64_t)n->num) : n->num;
	return e;
}

struct expr *parse_literal(struct parser *p)
{
	const struct token *t = p_peek(p);
	if (t->kind == TK_STRING)
		return parse_string(p);
	if (t->kind == TK_NUMBER || tok_is(t, "-"))
		return parse_number(p);
	p_fail(p, t, "expected literal string or number");
}
