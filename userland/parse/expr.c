/*
 * parse/expr.c - expressions, by precedence climbing (lowest first, as
 * SystemTap's parse.cxx):
 *   assignment (right)  ?:  ||  &&  |  ^  &  in  comparison/regex
 *   << >> >>>  .  + -  * / %  unary + - ! ~  ++ --  postfix/primary
 * and the @-operators, target variables, calls and the print family.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* ---- expressions ---- */

static struct expr *parse_ternary(struct parser *p);

static void push_arg(struct parser *p, struct expr *e, struct expr *a, int *cap)
{
	vec_push(p->cc, &e->args, &e->nargs, cap, a);
}

/* [k1, *, k3]: index keys where '*' is a wildcard (NULL). */
void parse_keys(struct parser *p, struct expr *e, const char *close)
{
	int cap = 0;
	if (p_is(p, close))
		p_fail(p, p_peek(p), "expected index expression");
	do {
		if (p_accept(p, "*"))
			push_arg(p, e, NULL, &cap);
		else
			push_arg(p, e, parse_expr(p), &cap);
	} while (p_accept(p, ","));
	p_expect(p, close);
}

/* ->field and [index] after a target variable or @cast. */
static void parse_target_chain(struct parser *p, struct expr *e)
{
	int cap = 0;
	for (;;) {
		struct target_comp c = { 0 };
		if (p_is(p, "->")) {
			c.tok = p_next(p);
			const struct token *f = p_peek(p);
			if (f->kind != TK_IDENT && f->kind != TK_KEYWORD)
				p_fail(p, f, "expected field name");
			p_next(p);
			c.name = f->text;
			/* $x->f$ / $x->f$$: pretty-print the member */
			size_t n = strlen(c.name);
			while (n > 1 && c.name[n - 1] == '$' && e->pretty < 2) {
				n--;
				e->pretty++;
			}
			if (e->pretty)
				c.name = cc_strndup(p->cc, c.name, n);
		} else if (e->pretty) {
			break;
		} else if (p_is(p, "[")) {
			c.tok = p_next(p);
			c.is_index = true;
			c.index = parse_expr(p);
			p_expect(p, "]");
		} else {
			break;
		}
		if (e->ncomps == cap) {
			int ncap = cap ? cap * 2 : 4;
			struct target_comp *nc = cc_alloc(p->cc, sizeof(*nc) * (size_t)ncap);
			if (e->ncomps)
				memcpy(nc, e->comps, sizeof(*nc) * (size_t)e->ncomps);
			e->comps = nc;
			cap = ncap;
		}
		e->comps[e->ncomps++] = c;
	}
	grown(p, e);
}

static struct expr *parse_target(struct parser *p, bool addr_of)
{
	const struct token *t = p_next(p);
	struct expr *e = new_expr(p, E_TARGET, t);
	const char *s = t->text;
	size_t len = strlen(s);
	/* $x$ / $x$$ pretty-print suffixes; $$vars itself starts with $$ */
	size_t start = s[1] == '$' ? 2 : 1;
	while (len > start + 1 && s[len - 1] == '$' && e->pretty < 2) {
		len--;
		e->pretty++;
	}
	e->name = cc_strndup(p->cc, s, len);
	e->addr_of = addr_of;
	parse_target_chain(p, e);
	return e;
}

/*
 * Autocast: (expr)->field, (expr)[i], var->field, &expr.  Typed values
 * need debuginfo; the parser accepts them like stap, sema rejects them.
 * An autocast is an E_CAST without a type name (str == NULL).
 */
static struct expr *parse_autocast(struct parser *p, struct expr *base)
{
	struct expr *e = new_expr(p, E_CAST, p_peek(p));
	e->lhs = base;
	parse_target_chain(p, e);
	return e;
}

static const char *const print_names[] = {
	"print", "println", "printd", "printdln", "printf",
	"sprint", "sprintln", "sprintd", "sprintdln", "sprintf", NULL,
};

static int print_index(const char *name)
{
	if (name[0] != 'p' && name[0] != 's')
		return -1;
	for (int i = 0; print_names[i]; i++)
		if (!strcmp(print_names[i], name))
			return i;
	return -1;
}

/* print(...) and friends: special forms with literal format/delimiter. */
static struct expr *parse_print(struct parser *p, const struct token *name,
				int which)
{
	struct expr *e = new_expr(p, E_PRINT, name);
	e->name = name->text;
	e->is_sprint = which >= 5;
	static const enum print_kind kinds[] = {
		PRINT_PLAIN, PRINT_LN, PRINT_D, PRINT_DLN, PRINT_F,
	};
	e->print_kind = kinds[which % 5];
	p_expect(p, "(");
	int cap = 0;
	if (e->print_kind == PRINT_F || e->print_kind == PRINT_D ||
	    e->print_kind == PRINT_DLN) {
		const struct token *ft = p_peek(p);
		struct expr *f = parse_string(p);
		e->str = f->str;
		e->str_len = f->str_len;
		if (e->print_kind == PRINT_F) {
			bool ok;
			const char *msg;
			parse_format_args(f->str, NULL, 0, &ok, &msg);
			if (!ok)
				p_fail(p, ft, "%s", msg);
		}
		if (!p_is(p, ")")) {
			p_expect(p, ",");
			do
				push_arg(p, e, parse_expr(p), &cap);
			while (p_accept(p, ","));
		}
	} else if (!p_is(p, ")")) {
		do
			push_arg(p, e, parse_expr(p), &cap);
		while (p_accept(p, ","));
	}
	const struct token *close = p_expect(p, ")");
	if (e->nargs == 0 && e->print_kind != PRINT_F &&
	    !(e->print_kind == PRINT_LN))
		p_fail(p, name, "expected at least one argument to '%s'", name->text);
	/* a delimiter joins at least two values */
	if (e->nargs == 1 && (e->print_kind == PRINT_D ||
			      e->print_kind == PRINT_DLN))
		p_fail(p, close, "'%s' needs at least two values to join",
		     name->text);
	return grown(p, e);
}

static struct expr *parse_call(struct parser *p, const struct token *name)
{
	int which = print_index(name->text);
	if (which >= 0)
		return parse_print(p, name, which);
	struct expr *e = new_expr(p, E_CALL, name);
	e->name = name->text;
	p_expect(p, "(");
	int cap = 0;
	if (!p_is(p, ")")) {
		do
			push_arg(p, e, parse_expr(p), &cap);
		while (p_accept(p, ","));
	}
	p_expect(p, ")");
	return grown(p, e);
}

enum stat_op stat_op_of(const char *s)
{
	if (!strcmp(s, "@count")) return STAT_COUNT;
	if (!strcmp(s, "@sum")) return STAT_SUM;
	if (!strcmp(s, "@min")) return STAT_MIN;
	if (!strcmp(s, "@max")) return STAT_MAX;
	if (!strcmp(s, "@avg")) return STAT_AVG;
	return STAT_VARIANCE;
}

bool is_stat_kw(const struct token *t)
{
	return t->kind == TK_KEYWORD &&
	       (!strcmp(t->text, "@count") || !strcmp(t->text, "@sum") ||
		!strcmp(t->text, "@min") || !strcmp(t->text, "@max") ||
		!strcmp(t->text, "@avg") || !strcmp(t->text, "@variance"));
}

/* @hist_log(e) / @hist_linear(e, start, stop, step) */
struct expr *parse_hist(struct parser *p)
{
	const struct token *t = p_next(p);
	struct expr *e = new_expr(p, E_HIST, t);
	e->hist_kind = !strcmp(t->text, "@hist_log") ? HIST_LOG : HIST_LINEAR;
	p_expect(p, "(");
	e->lhs = parse_expr(p);
	if (e->hist_kind == HIST_LINEAR) {
		int cap = 0;
		for (int i = 0; i < 3; i++) {
			p_expect(p, ",");
			push_arg(p, e, parse_number(p), &cap);
		}
	}
	p_expect(p, ")");
	return grown(p, e);
}

/* @-keyword operators other than the stats/hist ones. */
static struct expr *parse_at_op(struct parser *p)
{
	const struct token *t = p_peek(p);
	const char *s = t->text;
	if (is_stat_kw(t)) {
		p_next(p);
		struct expr *e = new_expr(p, E_STAT, t);
		e->stat_op = stat_op_of(s);
		p_expect(p, "(");
		e->lhs = parse_expr(p);
		if (e->stat_op == STAT_VARIANCE && p_accept(p, ","))
			e->rhs = parse_number(p);
		p_expect(p, ")");
		return grown(p, e);
	}
	if (!strcmp(s, "@hist_log") || !strcmp(s, "@hist_linear")) {
		struct expr *h = parse_hist(p);
		if (p_is(p, "[")) {
			const struct token *b = p_next(p);
			struct expr *e = new_binary(p, E_HIST_BUCKET, OP_NONE, b,
						    h, parse_expr(p));
			p_expect(p, "]");
			return e;
		}
		return h;
	}
	p_next(p);
	if (!strcmp(s, "@cast")) {
		struct expr *e = new_expr(p, E_CAST, t);
		p_expect(p, "(");
		e->lhs = parse_expr(p);
		p_expect(p, ",");
		struct expr *ty = parse_string(p);
		e->str = ty->str;
		e->str_len = ty->str_len;
		if (p_accept(p, ","))
			e->str2 = parse_string(p)->str;
		p_expect(p, ")");
		parse_target_chain(p, e);
		return e;
	}
	if (!strcmp(s, "@defined") || !strcmp(s, "@entry")) {
		struct expr *e = new_expr(p, !strcmp(s, "@entry") ? E_ENTRY :
					  E_DEFINED, t);
		p_expect(p, "(");
		e->lhs = parse_expr(p);
		p_expect(p, ")");
		return grown(p, e);
	}
	if (!strcmp(s, "@perf")) {
		struct expr *e = new_expr(p, E_PERF, t);
		p_expect(p, "(");
		const struct token *nt = p_peek(p);
		struct expr *n = parse_string(p);
		if (!n->str_len)
			p_fail(p, nt, "expected non-empty string");
		e->str = n->str;
		e->str_len = n->str_len;
		p_expect(p, ")");
		return e;
	}
	if (!strcmp(s, "@var")) {
		struct expr *e = new_expr(p, E_TARGET, t);
		p_expect(p, "(");
		struct expr *n = parse_string(p);
		const char *mod = p_accept(p, ",") ? parse_string(p)->str : NULL;
		p_expect(p, ")");
		e->name = mod ? cc_printf(p->cc, "@var(\"%s\", \"%s\")", n->str, mod)
			      : cc_printf(p->cc, "@var(\"%s\")", n->str);
		e->str = n->str;
		e->str2 = mod;
		parse_target_chain(p, e);
		return e;
	}
	p_fail(p, t, "'%s' is not supported", s);
}

static struct expr *parse_primary(struct parser *p)
{
	const struct token *t = p_peek(p);
	switch (t->kind) {
	case TK_NUMBER: {
		p_next(p);
		struct expr *e = new_expr(p, E_NUM, t);
		e->num = t->num;
		return e;
	}
	case TK_STRING:
		return parse_string(p);
	case TK_EMBEDDED:
		p_fail(p, t, "embedded C is not supported");
	case TK_KEYWORD:
		if (t->text[0] == '@')
			return parse_at_op(p);
		break;
	case TK_IDENT:
		if (t->text[0] == '$')
			return parse_target(p, false);
		if (t->text[0] == '@')
			p_fail(p, t, "unknown operator %s", t->text);
		p_next(p);
		struct expr *e;
		if (p_is(p, "(")) {
			e = parse_call(p, t);
		} else if (p_is(p, "[")) {
			p_next(p);
			e = new_expr(p, E_INDEX, t);
			e->name = t->text;
			parse_keys(p, e, "]");
			grown(p, e);
		} else {
			e = new_expr(p, E_VAR, t);
			e->name = t->text;
		}
		if (p_is(p, "->"))
			return parse_autocast(p, e);
		return e;
	case TK_OP:
		if (tok_is(t, "(")) {
			p_next(p);
			struct expr *inner = parse_expr(p);
			p_expect(p, ")");
			if (p_is(p, "->") || p_is(p, "["))
				return parse_autocast(p, inner);
			return inner;
		}
		break;
	case TK_EOF:
		p_fail(p, t, "expected value");
	}
	p_fail(p, t, "expected literal string or number");
}

/* ++x --x x++ x-- */
static struct expr *parse_crement(struct parser *p)
{
	const struct token *t = p_peek(p);
	if (tok_is(t, "++") || tok_is(t, "--")) {
		/* like stap, the operand takes no postfix ++/--: in
		   "-- a\n ++ a" the second ++ starts a new statement */
		p_next(p);
		struct expr *e = new_expr(p, tok_is(t, "++") ? E_PREINC : E_PREDEC, t);
		e->lhs = parse_primary(p);
		return grown(p, e);
	}
	struct expr *e = parse_primary(p);
	t = p_peek(p);
	if (tok_is(t, "++") || tok_is(t, "--")) {
		p_next(p);
		struct expr *post = new_expr(p, tok_is(t, "++") ? E_POSTINC : E_POSTDEC, t);
		post->lhs = e;
		return grown(p, post);
	}
	return e;
}

struct expr *parse_unary(struct parser *p)
{
	const struct token *t = p_peek(p);
	enum op op = OP_NONE;
	if (tok_is(t, "-")) op = OP_NEG;
	else if (tok_is(t, "+")) op = OP_PLUS;
	else if (tok_is(t, "!")) op = OP_NOT;
	else if (tok_is(t, "~")) op = OP_BITNOT;
	else if (tok_is(t, "&")) {
		/* address of a target variable or of an autocast value */
		p_next(p);
		if (p_peek(p)->kind == TK_IDENT && p_peek(p)->text[0] == '$')
			return parse_target(p, true);
		p_enter(p);
		struct expr *v = parse_unary(p);
		p_leave(p);
		if (v->kind != E_CAST || v->addr_of) {
			struct expr *c = new_expr(p, E_CAST, t);
			c->lhs = v;
			v = grown(p, c);
		}
		v->addr_of = true;
		return v;
	}
	if (op == OP_NONE)
		return parse_crement(p);
	p_next(p);
	p_enter(p);
	struct expr *e = new_expr(p, E_UNARY, t);
	e->op = op;
	e->lhs = parse_unary(p);
	p_leave(p);
	return grown(p, e);
}

/* One left-associative binary level. */
struct binop { const char *tok; enum op op; };

/* The entry of the NULL-ended table OPS that token t spells, or NULL. */
static const struct binop *find_binop(const struct binop *ops,
				      const struct token *t)
{
	for (; ops->tok; ops++)
		if (tok_is(t, ops->tok))
			return ops;
	return NULL;
}

static struct expr *parse_left(struct parser *p, const struct binop *ops,
			       struct expr *(*sub)(struct parser *))
{
	struct expr *e = sub(p);
	for (;;) {
		const struct token *t = p_peek(p);
		const struct binop *o = find_binop(ops, t);
		if (!o)
			return e;
		p_next(p);
		e = new_binary(p, E_BINARY, o->op, t, e, sub(p));
	}
}

/*
 * A left-associative level with one operator TEXT (OP) over the level
 * NEXT that binds tighter.
 */
#define BINARY_LEVEL(name, text, op, next)				\
	static struct expr *name(struct parser *p)			\
	{								\
		static const struct binop ops[] = {			\
			{ text, op }, { NULL, 0 } };			\
		return parse_left(p, ops, next);			\
	}

static struct expr *parse_mul(struct parser *p)
{
	static const struct binop ops[] = {
		{ "*", OP_MUL }, { "/", OP_DIV }, { "%", OP_MOD }, { NULL, 0 } };
	return parse_left(p, ops, parse_unary);
}

static struct expr *parse_add(struct parser *p)
{
	static const struct binop ops[] = {
		{ "+", OP_ADD }, { "-", OP_SUB }, { NULL, 0 } };
	return parse_left(p, ops, parse_mul);
}

BINARY_LEVEL(parse_concat, ".", OP_CONCAT, parse_add)

static struct expr *parse_shift(struct parser *p)
{
	static const struct binop ops[] = {
		{ "<<", OP_SHL }, { ">>", OP_SHR }, { ">>>", OP_USHR },
		{ NULL, 0 } };
	return parse_left(p, ops, parse_concat);
}

/* Comparisons chain left-associatively; a regex match ends the chain. */
static struct expr *parse_comparison(struct parser *p)
{
	static const struct binop ops[] = {
		{ "<", OP_LT }, { "<=", OP_LE }, { ">", OP_GT }, { ">=", OP_GE },
		{ "==", OP_EQ }, { "!=", OP_NE }, { NULL, 0 } };
	struct expr *e = parse_shift(p);
	for (;;) {
		const struct token *t = p_peek(p);
		if (tok_is(t, "=~") || tok_is(t, "!~")) {
			p_next(p);
			struct expr *re = parse_string(p);
			return new_binary(p, E_REGEX, tok_is(t, "=~") ? OP_MATCH :
					  OP_NMATCH, t, e, re);
		}
		const struct binop *o = find_binop(ops, t);
		if (!o)
			return e;
		p_next(p);
		e = new_binary(p, E_BINARY, o->op, t, e, parse_shift(p));
	}
}

/* k in a, [k1, k2] in a, [*, k] in a */
static struct expr *parse_in(struct parser *p)
{
	struct expr *idx;
	if (p_is(p, "[")) {
		const struct token *lb = p_next(p);
		idx = new_expr(p, E_INDEX, lb);
		parse_keys(p, idx, "]");
		if (!p_is(p, "in"))
			p_fail(p, p_peek(p), "expected 'in'");
	} else {
		struct expr *k = parse_comparison(p);
		if (!p_is(p, "in"))
			return k;
		idx = new_expr(p, E_INDEX, k->tok);
		int cap = 0;
		push_arg(p, idx, k, &cap);
	}
	const struct token *in = p_next(p);
	const struct token *arr = p_expect_ident(p);
	idx->tok = arr;
	idx->name = arr->text;
	grown(p, idx);
	return new_binary(p, E_IN, OP_NONE, in, idx, NULL);
}

BINARY_LEVEL(parse_bitand, "&", OP_BITAND, parse_in)

BINARY_LEVEL(parse_bitxor, "^", OP_BITXOR, parse_bitand)

BINARY_LEVEL(parse_bitor, "|", OP_BITOR, parse_bitxor)

BINARY_LEVEL(parse_land, "&&", OP_LAND, parse_bitor)

BINARY_LEVEL(parse_lor, "||", OP_LOR, parse_land)

static struct expr *parse_ternary(struct parser *p)
{
	struct expr *c = parse_lor(p);
	if (!p_is(p, "?"))
		return c;
	const struct token *q = p_next(p);
	p_enter(p);
	struct expr *e = new_expr(p, E_TERNARY, q);
	e->cond = c;
	e->lhs = parse_expr(p);
	p_expect(p, ":");
	e->rhs = parse_ternary(p);
	p_leave(p);
	return grown(p, e);
}

static const struct binop assign_ops[] = {
	{ "=", OP_NONE }, { "+=", OP_ADD }, { "-=", OP_SUB }, { "*=", OP_MUL },
	{ "/=", OP_DIV }, { "%=", OP_MOD }, { "<<=", OP_SHL }, { ">>=", OP_SHR },
	{ "&=", OP_BITAND }, { "^=", OP_BITXOR }, { "|=", OP_BITOR },
	{ ".=", OP_CONCAT }, { "<<<", OP_AGG }, { NULL, 0 },
};

/* Assignment is right-associative; lvalue-ness is checked by sema. */
struct expr *parse_expr(struct parser *p)
{
	p_enter(p);
	struct expr *lhs = parse_ternary(p);
	const struct token *t = p_peek(p);
	for (int i = 0; assign_ops[i].tok; i++) {
		if (tok_is(t, assign_ops[i].tok)) {
			p_next(p);
			struct expr *e = new_binary(p, E_ASSIGN, assign_ops[i].op,
						    t, lhs, parse_expr(p));
			p_leave(p);
			return e;
		}
	}
	p_leave(p);
	return lhs;
}
