/*
 * parse/stmt.c - statements: blocks, if, loops, foreach, try, and the
 * simple keyword statements (break, continue, next, return, delete).
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* ---- statements ---- */

static struct stmt *parse_stmt(struct parser *p);

struct stmt *parse_block(struct parser *p)
{
	const struct token *lb = p_peek(p);
	if (lb->kind == TK_EMBEDDED)
		p_fail(p, lb, "embedded C is not supported");
	p_expect(p, "{");
	struct stmt *s = new_stmt(p, S_BLOCK, lb);
	int cap = 0;
	p_enter(p);
	while (!p_is(p, "}")) {
		if (p_peek(p)->kind == TK_EOF)
			p_fail(p, p_peek(p), "expected '}'");
		/* a ';' not eaten by an expression statement is a null
		   statement, as in stap (it shows in -p1 output) */
		vec_push(p->cc, &s->stmts, &s->nstmts, &cap, parse_stmt(p));
	}
	p_leave(p);
	p_next(p);
	return s;
}

static struct stmt *parse_loop_body(struct parser *p)
{
	p->loops++;
	struct stmt *s = parse_stmt(p);
	p->loops--;
	return s;
}

/* An optional sort mark after a foreach key/value/array. */
static int parse_sort_mark(struct parser *p)
{
	if (p_accept(p, "+"))
		return 1;
	if (p_accept(p, "-"))
		return -1;
	return 0;
}

static void set_sort(struct parser *p, struct foreach *fe, int dir, int key,
		     const struct token *at)
{
	if (!dir)
		return;
	if (fe->sort_dir)
		p_fail(p, at, "multiple sort directives");
	fe->sort_dir = dir;
	fe->sort_key = key;
}

static struct stmt *parse_foreach(struct parser *p)
{
	const struct token *kw = p_next(p);
	struct stmt *s = new_stmt(p, S_FOREACH, kw);
	struct foreach *fe = cc_alloc(p->cc, sizeof(*fe));
	s->fe = fe;
	p_expect(p, "(");
	/* value variable: V = ..., V+ = ..., V- = ... (also lexed V -= ...) */
	const struct token *t1 = p_peek(p), *t2 = p_peek2(p);
	if (t1->kind == TK_IDENT && t1->text[0] != '$' && t1->text[0] != '@') {
		int dir = 0;
		bool is_value = false;
		if (tok_is(t2, "=")) {
			is_value = true;
		} else if (tok_is(t2, "+=") || tok_is(t2, "-=")) {
			is_value = true;
			dir = t2->text[0] == '+' ? 1 : -1;
		} else if ((tok_is(t2, "+") || tok_is(t2, "-")) &&
			   p->pos + 2 < p->n && tok_is(p->toks[p->pos + 2], "=")) {
			is_value = true;
			dir = t2->text[0] == '+' ? 1 : -1;
			p_next(p);
		}
		if (is_value) {
			p_next(p);
			p_next(p);
			fe->value_name = t1->text;
			fe->value_tok = t1;
			set_sort(p, fe, dir, 0, t1);
		}
	}
	/* keys */
	if (p_accept(p, "[")) {
		do {
			if (fe->nkeys >= MAX_ARRAY_KEYS)
				p_fail(p, p_peek(p), "too many foreach keys (max %d)",
				     MAX_ARRAY_KEYS);
			const struct token *k = p_expect_ident(p);
			fe->key_names[fe->nkeys] = k->text;
			fe->key_toks[fe->nkeys] = k;
			fe->nkeys++;
			set_sort(p, fe, parse_sort_mark(p), fe->nkeys, k);
		} while (p_accept(p, ","));
		p_expect(p, "]");
	} else {
		const struct token *k = p_expect_ident(p);
		fe->key_names[0] = k->text;
		fe->key_toks[0] = k;
		fe->nkeys = 1;
		set_sort(p, fe, parse_sort_mark(p), 1, k);
	}
	p_expect(p, "in");
	/* the array or histogram */
	const struct token *b = p_peek(p);
	if (tok_is(b, "@hist_log") || tok_is(b, "@hist_linear")) {
		fe->base = parse_hist(p);
	} else {
		b = p_expect_ident(p);
		fe->base = new_expr(p, E_VAR, b);
		fe->base->name = b->text;
		if (p_accept(p, "[")) {
			struct expr *tmp = new_expr(p, E_INDEX, b);
			parse_keys(p, tmp, "]");
			fe->slice = tmp->args;
			fe->nslice = tmp->nargs;
		}
	}
	set_sort(p, fe, parse_sort_mark(p), 0, b);
	if (is_stat_kw(p_peek(p))) {
		const struct token *st = p_next(p);
		int dir = parse_sort_mark(p);
		if (!dir)
			p_fail(p, p_peek(p), "expected sort directive");
		set_sort(p, fe, dir, 0, st);
		fe->sort_stat = stat_op_of(st->text);
		fe->sort_stat_given = true;
	}
	if (p_accept(p, "limit"))
		fe->limit = parse_expr(p);
	p_expect(p, ")");
	fe->body = parse_loop_body(p);
	return s;
}

static struct stmt *parse_for(struct parser *p)
{
	struct stmt *s = new_stmt(p, S_FOR, p_next(p));
	p_expect(p, "(");
	if (!p_is(p, ";"))
		s->init = parse_expr(p);
	p_expect(p, ";");
	if (!p_is(p, ";"))
		s->expr = parse_expr(p);
	p_expect(p, ";");
	if (!p_is(p, ")"))
		s->step = parse_expr(p);
	p_expect(p, ")");
	s->body = parse_loop_body(p);
	return s;
}

static struct stmt *parse_try(struct parser *p)
{
	struct stmt *s = new_stmt(p, S_TRY, p_next(p));
	s->body = parse_block(p);
	p_expect(p, "catch");
	if (p_accept(p, "(")) {
		const struct token *v = p_expect_ident(p);
		s->catch_name = v->text;
		s->catch_tok = v;
		p_expect(p, ")");
	}
	s->catch_body = parse_block(p);
	return s;
}

static struct stmt *parse_simple_kw(struct parser *p, const struct token *t)
{
	if (tok_is(t, "break") || tok_is(t, "continue")) {
		if (!p->loops)
			p_fail(p, t, "found '%s' not in loop context", t->text);
		p_next(p);
		return new_stmt(p, tok_is(t, "break") ? S_BREAK : S_CONTINUE, t);
	}
	if (tok_is(t, "next")) {
		p_next(p);
		return new_stmt(p, S_NEXT, t);
	}
	if (tok_is(t, "return")) {
		if (!p->in_function)
			p_fail(p, t, "found 'return' not in function context");
		p_next(p);
		struct stmt *s = new_stmt(p, S_RETURN, t);
		if (!p_is(p, ";") && !p_is(p, "}"))
			s->expr = parse_expr(p);
		return s;
	}
	/* delete */
	p_next(p);
	struct stmt *s = new_stmt(p, S_DELETE, t);
	s->expr = parse_unary(p);
	return s;
}

static struct stmt *parse_stmt(struct parser *p)
{
	const struct token *t = p_peek(p);
	struct stmt *s;
	p_enter(p);
	if (tok_is(t, ";")) {
		p_next(p);
		s = new_stmt(p, S_NULL, t);
	} else if (tok_is(t, "{")) {
		s = parse_block(p);
	} else if (tok_is(t, "if")) {
		p_next(p);
		s = new_stmt(p, S_IF, t);
		p_expect(p, "(");
		s->expr = parse_expr(p);
		p_expect(p, ")");
		s->then = parse_stmt(p);
		if (p_accept(p, "else"))
			s->els = parse_stmt(p);
	} else if (tok_is(t, "while")) {
		p_next(p);
		s = new_stmt(p, S_WHILE, t);
		p_expect(p, "(");
		s->expr = parse_expr(p);
		p_expect(p, ")");
		s->body = parse_loop_body(p);
	} else if (tok_is_ident(t, "do") && tok_is(p_peek2(p), "{")) {
		/* do { ... } while (E); "do" stays usable as a name */
		p_next(p);
		s = new_stmt(p, S_WHILE, t);
		s->do_while = true;
		s->body = parse_loop_body(p);
		p_expect(p, "while");
		p_expect(p, "(");
		s->expr = parse_expr(p);
		p_expect(p, ")");
	} else if (tok_is(t, "for")) {
		s = parse_for(p);
	} else if (tok_is(t, "foreach")) {
		s = parse_foreach(p);
	} else if (tok_is(t, "try")) {
		s = parse_try(p);
	} else if (tok_is(t, "break") || tok_is(t, "continue") ||
		   tok_is(t, "next") || tok_is(t, "return") ||
		   tok_is(t, "delete")) {
		s = parse_simple_kw(p, t);
		p_accept(p, ";");
	} else if (t->kind == TK_EMBEDDED) {
		p_fail(p, t, "embedded C is not supported");
	} else if (t->kind == TK_KEYWORD && t->text[0] != '@') {
		p_fail(p, t, "expected statement");
	} else {
		s = new_stmt(p, S_EXPR, t);
		s->expr = parse_expr(p);
		p_accept(p, ";");
	}
	p_leave(p);
	return s;
}
