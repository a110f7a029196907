/*
 * parse.c - recursive-descent parser for the SystemTap language.
 *
 * Input is the preprocessed token-pointer array of one file; output a
 * struct stapfile of declarations.  The parser stops at the first error
 * (longjmp back to parse_file), which keeps every function free of error
 * plumbing.  Recursion is bounded by PARSE_MAX_DEPTH and expression trees
 * by EXPR_MAX_HEIGHT, so hostile input gets an error, not a stack overflow.
 *
 * Precedence, lowest first (SystemTap's parse.cxx):
 *   assignment (right)  ?:  ||  &&  |  ^  &  in  comparison/regex
 *   << >> >>>  .  + -  * / %  unary + - ! ~  ++ --  postfix/primary
 */
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bt_format.h"
#include "lex.h"
#include "parse.h"
#include "preproc.h"

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

static const struct token *peek(struct parser *p)
{
	return p->toks[p->pos];
}

static const struct token *peek2(struct parser *p)
{
	return p->pos + 1 < p->n ? p->toks[p->pos + 1] : p->toks[p->n - 1];
}

static const struct token *next(struct parser *p)
{
	const struct token *t = p->toks[p->pos];
	if (t->kind != TK_EOF)
		p->pos++;
	return t;
}

static bool is(struct parser *p, const char *s)
{
	return tok_is(peek(p), s);
}

static bool accept(struct parser *p, const char *s)
{
	if (!is(p, s))
		return false;
	next(p);
	return true;
}

static __attribute__((noreturn, format(printf, 3, 4)))
void fail(struct parser *p, const struct token *t, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	diag_parse_error(p->cc, t, "%s", buf);
	longjmp(p->fail, 1);
}

static const struct token *expect(struct parser *p, const char *s)
{
	if (!is(p, s))
		fail(p, peek(p), "expected '%s'", s);
	return next(p);
}

static const struct token *expect_ident(struct parser *p)
{
	const struct token *t = peek(p);
	if (t->kind != TK_IDENT || t->text[0] == '$' || t->text[0] == '@')
		fail(p, t, "expected identifier");
	return next(p);
}

/* Bounds recursion: every recursive production calls enter/leave. */
static void enter(struct parser *p)
{
	if (++p->depth > PARSE_MAX_DEPTH)
		fail(p, peek(p), "expression nested too deeply");
}

static void leave(struct parser *p)
{
	p->depth--;
}

/* ---- node constructors ---- */

static struct expr *new_expr(struct parser *p, enum expr_kind kind,
			     const struct token *tok)
{
	struct expr *e = cc_alloc(p->cc, sizeof(*e));
	e->kind = kind;
	e->tok = tok;
	e->height = 1;
	return e;
}

/* Records the height of e from its children; fails when too tall. */
static struct expr *grown(struct parser *p, struct expr *e)
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
		fail(p, e->tok, "expression nested too deeply");
	return e;
}

static struct expr *new_binary(struct parser *p, enum expr_kind kind,
			       enum op op, const struct token *tok,
			       struct expr *lhs, struct expr *rhs)
{
	struct expr *e = new_expr(p, kind, tok);
	e->op = op;
	e->lhs = lhs;
	e->rhs = rhs;
	return grown(p, e);
}

static struct stmt *new_stmt(struct parser *p, enum stmt_kind kind,
			     const struct token *tok)
{
	struct stmt *s = cc_alloc(p->cc, sizeof(*s));
	s->kind = kind;
	s->tok = tok;
	return s;
}

/* ---- literals ---- */

/* One or more adjacent string literals, joined. */
static struct expr *parse_string(struct parser *p)
{
	const struct token *t = peek(p);
	if (t->kind != TK_STRING)
		fail(p, t, "expected literal string");
	next(p);
	struct expr *e = new_expr(p, E_STR, t);
	e->str = t->str;
	e->str_len = t->str_len;
	if (peek(p)->kind != TK_STRING)
		return e;
	size_t len = t->str_len, cap = len + 64;
	char *buf = malloc(cap);
	if (!buf)
		abort();
	memcpy(buf, t->str, len);
	while (peek(p)->kind == TK_STRING) {
		const struct token *u = next(p);
		if (len + u->str_len + 1 > cap) {
			cap = (len + u->str_len + 1) * 2;
			char *nb = realloc(buf, cap);
			if (!nb)
				abort();
			buf = nb;
		}
		memcpy(buf + len, u->str, u->str_len);
		len += u->str_len;
	}
	e->str = cc_strndup(p->cc, buf, len);
	e->str_len = len;
	free(buf);
	return e;
}

/* A number literal, optionally negated: probe point and global
   initialiser arguments may be negative. */
static struct expr *parse_number(struct parser *p)
{
	const struct token *t = peek(p);
	bool neg = false;
	if (tok_is(t, "-")) {
		neg = true;
		next(p);
	}
	const struct token *n = peek(p);
	if (n->kind != TK_NUMBER)
		fail(p, n, "expected number");
	next(p);
	struct expr *e = new_expr(p, E_NUM, neg ? t : n);
	/* unsigned negate: -(-2^63) wraps like stap's literals do */
	e->num = neg ? (int64_t)(0 - (uint64_t)n->num) : n->num;
	return e;
}

static struct expr *parse_literal(struct parser *p)
{
	const struct token *t = peek(p);
	if (t->kind == TK_STRING)
		return parse_string(p);
	if (t->kind == TK_NUMBER || tok_is(t, "-"))
		return parse_number(p);
	fail(p, t, "expected literal string or number");
}

/* ---- printf format check ---- */

/*
 * Validates a printf format with the VM's own format parser (bt_format.h)
 * so that the compiler and the runtime agree on every conversion.
 * Returns the number of arguments the format consumes and stores 'l'
 * (long) or 's' (string) for the first `max` of them.
 */
int parse_format_args(const char *fmt, char *types, int max, bool *ok,
		      const char **msg)
{
	enum { NKINDS = 256 };
	uint8_t kinds[NKINDS];
	size_t nc = 0, nk = 0, len = strlen(fmt);
	struct bt_fmt_error err = { 0 };
	int rc = bt_fmt_parse(fmt, len, NULL, 0, &nc, kinds, NKINDS, &nk, &err);
	if (rc == BT_FMT_ETOOMANY)	/* count only; types past NKINDS: long */
		rc = bt_fmt_parse(fmt, len, NULL, 0, &nc, NULL, 0, &nk, &err);
	*ok = rc == 0;
	if (msg)
		*msg = err.msg ? err.msg : bt_fmt_strerror(rc);
	for (size_t i = 0; i < nk && (int)i < max; i++)
		types[i] = i < NKINDS && kinds[i] == BT_FMT_ARG_STR ? 's' : 'l';
	return (int)nk;
}

/* ---- expressions ---- */

static struct expr *parse_expr(struct parser *p);
static struct expr *parse_unary(struct parser *p);
static struct expr *parse_ternary(struct parser *p);

static void push_arg(struct parser *p, struct expr *e, struct expr *a, int *cap)
{
	vec_push(p->cc, &e->args, &e->nargs, cap, a);
}

/* [k1, *, k3]: index keys where '*' is a wildcard (NULL). */
static void parse_keys(struct parser *p, struct expr *e, const char *close)
{
	int cap = 0;
	if (is(p, close))
		fail(p, peek(p), "expected index expression");
	do {
		if (accept(p, "*"))
			push_arg(p, e, NULL, &cap);
		else
			push_arg(p, e, parse_expr(p), &cap);
	} while (accept(p, ","));
	expect(p, close);
}

/* ->field and [index] after a target variable or @cast. */
static void parse_target_chain(struct parser *p, struct expr *e)
{
	int cap = 0;
	for (;;) {
		struct target_comp c = { 0 };
		if (is(p, "->")) {
			c.tok = next(p);
			const struct token *f = peek(p);
			if (f->kind != TK_IDENT && f->kind != TK_KEYWORD)
				fail(p, f, "expected field name");
			next(p);
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
		} else if (is(p, "[")) {
			c.tok = next(p);
			c.is_index = true;
			c.index = parse_expr(p);
			expect(p, "]");
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
	const struct token *t = next(p);
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
	struct expr *e = new_expr(p, E_CAST, peek(p));
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
	expect(p, "(");
	int cap = 0;
	if (e->print_kind == PRINT_F || e->print_kind == PRINT_D ||
	    e->print_kind == PRINT_DLN) {
		const struct token *ft = peek(p);
		struct expr *f = parse_string(p);
		e->str = f->str;
		e->str_len = f->str_len;
		if (e->print_kind == PRINT_F) {
			bool ok;
			const char *msg;
			parse_format_args(f->str, NULL, 0, &ok, &msg);
			if (!ok)
				fail(p, ft, "%s", msg);
		}
		if (!is(p, ")")) {
			expect(p, ",");
			do
				push_arg(p, e, parse_expr(p), &cap);
			while (accept(p, ","));
		}
	} else if (!is(p, ")")) {
		do
			push_arg(p, e, parse_expr(p), &cap);
		while (accept(p, ","));
	}
	const struct token *close = expect(p, ")");
	if (e->nargs == 0 && e->print_kind != PRINT_F &&
	    !(e->print_kind == PRINT_LN))
		fail(p, name, "expected at least one argument to '%s'", name->text);
	/* a delimiter joins at least two values */
	if (e->nargs == 1 && (e->print_kind == PRINT_D ||
			      e->print_kind == PRINT_DLN))
		fail(p, close, "'%s' needs at least two values to join",
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
	expect(p, "(");
	int cap = 0;
	if (!is(p, ")")) {
		do
			push_arg(p, e, parse_expr(p), &cap);
		while (accept(p, ","));
	}
	expect(p, ")");
	return grown(p, e);
}

static enum stat_op stat_op_of(const char *s)
{
	if (!strcmp(s, "@count")) return STAT_COUNT;
	if (!strcmp(s, "@sum")) return STAT_SUM;
	if (!strcmp(s, "@min")) return STAT_MIN;
	if (!strcmp(s, "@max")) return STAT_MAX;
	if (!strcmp(s, "@avg")) return STAT_AVG;
	return STAT_VARIANCE;
}

static bool is_stat_kw(const struct token *t)
{
	return t->kind == TK_KEYWORD &&
	       (!strcmp(t->text, "@count") || !strcmp(t->text, "@sum") ||
		!strcmp(t->text, "@min") || !strcmp(t->text, "@max") ||
		!strcmp(t->text, "@avg") || !strcmp(t->text, "@variance"));
}

/* @hist_log(e) / @hist_linear(e, start, stop, step) */
static struct expr *parse_hist(struct parser *p)
{
	const struct token *t = next(p);
	struct expr *e = new_expr(p, E_HIST, t);
	e->hist_kind = !strcmp(t->text, "@hist_log") ? HIST_LOG : HIST_LINEAR;
	expect(p, "(");
	e->lhs = parse_expr(p);
	if (e->hist_kind == HIST_LINEAR) {
		int cap = 0;
		for (int i = 0; i < 3; i++) {
			expect(p, ",");
			push_arg(p, e, parse_number(p), &cap);
		}
	}
	expect(p, ")");
	return grown(p, e);
}

/* @-keyword operators other than the stats/hist ones. */
static struct expr *parse_at_op(struct parser *p)
{
	const struct token *t = peek(p);
	const char *s = t->text;
	if (is_stat_kw(t)) {
		next(p);
		struct expr *e = new_expr(p, E_STAT, t);
		e->stat_op = stat_op_of(s);
		expect(p, "(");
		e->lhs = parse_expr(p);
		if (e->stat_op == STAT_VARIANCE && accept(p, ","))
			e->rhs = parse_number(p);
		expect(p, ")");
		return grown(p, e);
	}
	if (!strcmp(s, "@hist_log") || !strcmp(s, "@hist_linear")) {
		struct expr *h = parse_hist(p);
		if (is(p, "[")) {
			const struct token *b = next(p);
			struct expr *e = new_binary(p, E_HIST_BUCKET, OP_NONE, b,
						    h, parse_expr(p));
			expect(p, "]");
			return e;
		}
		return h;
	}
	next(p);
	if (!strcmp(s, "@cast")) {
		struct expr *e = new_expr(p, E_CAST, t);
		expect(p, "(");
		e->lhs = parse_expr(p);
		expect(p, ",");
		struct expr *ty = parse_string(p);
		e->str = ty->str;
		e->str_len = ty->str_len;
		if (accept(p, ","))
			e->str2 = parse_string(p)->str;
		expect(p, ")");
		parse_target_chain(p, e);
		return e;
	}
	if (!strcmp(s, "@defined") || !strcmp(s, "@entry")) {
		struct expr *e = new_expr(p, !strcmp(s, "@entry") ? E_ENTRY :
					  E_DEFINED, t);
		expect(p, "(");
		e->lhs = parse_expr(p);
		expect(p, ")");
		return grown(p, e);
	}
	if (!strcmp(s, "@perf")) {
		struct expr *e = new_expr(p, E_PERF, t);
		expect(p, "(");
		const struct token *nt = peek(p);
		struct expr *n = parse_string(p);
		if (!n->str_len)
			fail(p, nt, "expected non-empty string");
		e->str = n->str;
		e->str_len = n->str_len;
		expect(p, ")");
		return e;
	}
	if (!strcmp(s, "@var")) {
		struct expr *e = new_expr(p, E_TARGET, t);
		expect(p, "(");
		struct expr *n = parse_string(p);
		const char *mod = accept(p, ",") ? parse_string(p)->str : NULL;
		expect(p, ")");
		e->name = mod ? cc_printf(p->cc, "@var(\"%s\", \"%s\")", n->str, mod)
			      : cc_printf(p->cc, "@var(\"%s\")", n->str);
		e->str = n->str;
		e->str2 = mod;
		parse_target_chain(p, e);
		return e;
	}
	fail(p, t, "'%s' is not supported", s);
}

static struct expr *parse_primary(struct parser *p)
{
	const struct token *t = peek(p);
	switch (t->kind) {
	case TK_NUMBER: {
		next(p);
		struct expr *e = new_expr(p, E_NUM, t);
		e->num = t->num;
		return e;
	}
	case TK_STRING:
		return parse_string(p);
	case TK_EMBEDDED:
		fail(p, t, "embedded C is not supported");
	case TK_KEYWORD:
		if (t->text[0] == '@')
			return parse_at_op(p);
		break;
	case TK_IDENT:
		if (t->text[0] == '$')
			return parse_target(p, false);
		if (t->text[0] == '@')
			fail(p, t, "unknown operator %s", t->text);
		next(p);
		struct expr *e;
		if (is(p, "(")) {
			e = parse_call(p, t);
		} else if (is(p, "[")) {
			next(p);
			e = new_expr(p, E_INDEX, t);
			e->name = t->text;
			parse_keys(p, e, "]");
			grown(p, e);
		} else {
			e = new_expr(p, E_VAR, t);
			e->name = t->text;
		}
		if (is(p, "->"))
			return parse_autocast(p, e);
		return e;
	case TK_OP:
		if (tok_is(t, "(")) {
			next(p);
			struct expr *inner = parse_expr(p);
			expect(p, ")");
			if (is(p, "->") || is(p, "["))
				return parse_autocast(p, inner);
			return inner;
		}
		break;
	case TK_EOF:
		fail(p, t, "expected value");
	}
	fail(p, t, "expected literal string or number");
}

/* ++x --x x++ x-- */
static struct expr *parse_crement(struct parser *p)
{
	const struct token *t = peek(p);
	if (tok_is(t, "++") || tok_is(t, "--")) {
		/* like stap, the operand takes no postfix ++/--: in
		   "-- a\n ++ a" the second ++ starts a new statement */
		next(p);
		struct expr *e = new_expr(p, tok_is(t, "++") ? E_PREINC : E_PREDEC, t);
		e->lhs = parse_primary(p);
		return grown(p, e);
	}
	struct expr *e = parse_primary(p);
	t = peek(p);
	if (tok_is(t, "++") || tok_is(t, "--")) {
		next(p);
		struct expr *post = new_expr(p, tok_is(t, "++") ? E_POSTINC : E_POSTDEC, t);
		post->lhs = e;
		return grown(p, post);
	}
	return e;
}

static struct expr *parse_unary(struct parser *p)
{
	const struct token *t = peek(p);
	enum op op = OP_NONE;
	if (tok_is(t, "-")) op = OP_NEG;
	else if (tok_is(t, "+")) op = OP_PLUS;
	else if (tok_is(t, "!")) op = OP_NOT;
	else if (tok_is(t, "~")) op = OP_BITNOT;
	else if (tok_is(t, "&")) {
		/* address of a target variable or of an autocast value */
		next(p);
		if (peek(p)->kind == TK_IDENT && peek(p)->text[0] == '$')
			return parse_target(p, true);
		enter(p);
		struct expr *v = parse_unary(p);
		leave(p);
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
	next(p);
	enter(p);
	struct expr *e = new_expr(p, E_UNARY, t);
	e->op = op;
	e->lhs = parse_unary(p);
	leave(p);
	return grown(p, e);
}

/* One left-associative binary level. */
struct binop { const char *tok; enum op op; };

static struct expr *parse_left(struct parser *p, const struct binop *ops,
			       struct expr *(*sub)(struct parser *))
{
	struct expr *e = sub(p);
	for (;;) {
		const struct token *t = peek(p);
		int i;
		for (i = 0; ops[i].tok; i++)
			if (tok_is(t, ops[i].tok))
				break;
		if (!ops[i].tok)
			return e;
		next(p);
		e = new_binary(p, E_BINARY, ops[i].op, t, e, sub(p));
	}
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

static struct expr *parse_concat(struct parser *p)
{
	static const struct binop ops[] = { { ".", OP_CONCAT }, { NULL, 0 } };
	return parse_left(p, ops, parse_add);
}

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
		const struct token *t = peek(p);
		if (tok_is(t, "=~") || tok_is(t, "!~")) {
			next(p);
			struct expr *re = parse_string(p);
			return new_binary(p, E_REGEX, tok_is(t, "=~") ? OP_MATCH :
					  OP_NMATCH, t, e, re);
		}
		int i;
		for (i = 0; ops[i].tok; i++)
			if (tok_is(t, ops[i].tok))
				break;
		if (!ops[i].tok)
			return e;
		next(p);
		e = new_binary(p, E_BINARY, ops[i].op, t, e, parse_shift(p));
	}
}

/* k in a, [k1, k2] in a, [*, k] in a */
static struct expr *parse_in(struct parser *p)
{
	struct expr *idx;
	if (is(p, "[")) {
		const struct token *lb = next(p);
		idx = new_expr(p, E_INDEX, lb);
		parse_keys(p, idx, "]");
		if (!is(p, "in"))
			fail(p, peek(p), "expected 'in'");
	} else {
		struct expr *k = parse_comparison(p);
		if (!is(p, "in"))
			return k;
		idx = new_expr(p, E_INDEX, k->tok);
		int cap = 0;
		push_arg(p, idx, k, &cap);
	}
	const struct token *in = next(p);
	const struct token *arr = expect_ident(p);
	idx->tok = arr;
	idx->name = arr->text;
	grown(p, idx);
	return new_binary(p, E_IN, OP_NONE, in, idx, NULL);
}

static struct expr *parse_bitand(struct parser *p)
{
	static const struct binop ops[] = { { "&", OP_BITAND }, { NULL, 0 } };
	return parse_left(p, ops, parse_in);
}

static struct expr *parse_bitxor(struct parser *p)
{
	static const struct binop ops[] = { { "^", OP_BITXOR }, { NULL, 0 } };
	return parse_left(p, ops, parse_bitand);
}

static struct expr *parse_bitor(struct parser *p)
{
	static const struct binop ops[] = { { "|", OP_BITOR }, { NULL, 0 } };
	return parse_left(p, ops, parse_bitxor);
}

static struct expr *parse_land(struct parser *p)
{
	static const struct binop ops[] = { { "&&", OP_LAND }, { NULL, 0 } };
	return parse_left(p, ops, parse_bitor);
}

static struct expr *parse_lor(struct parser *p)
{
	static const struct binop ops[] = { { "||", OP_LOR }, { NULL, 0 } };
	return parse_left(p, ops, parse_land);
}

static struct expr *parse_ternary(struct parser *p)
{
	struct expr *c = parse_lor(p);
	if (!is(p, "?"))
		return c;
	const struct token *q = next(p);
	enter(p);
	struct expr *e = new_expr(p, E_TERNARY, q);
	e->cond = c;
	e->lhs = parse_expr(p);
	expect(p, ":");
	e->rhs = parse_ternary(p);
	leave(p);
	return grown(p, e);
}

static const struct binop assign_ops[] = {
	{ "=", OP_NONE }, { "+=", OP_ADD }, { "-=", OP_SUB }, { "*=", OP_MUL },
	{ "/=", OP_DIV }, { "%=", OP_MOD }, { "<<=", OP_SHL }, { ">>=", OP_SHR },
	{ "&=", OP_BITAND }, { "^=", OP_BITXOR }, { "|=", OP_BITOR },
	{ ".=", OP_CONCAT }, { "<<<", OP_AGG }, { NULL, 0 },
};

/* Assignment is right-associative; lvalue-ness is checked by sema. */
static struct expr *parse_expr(struct parser *p)
{
	enter(p);
	struct expr *lhs = parse_ternary(p);
	const struct token *t = peek(p);
	for (int i = 0; assign_ops[i].tok; i++) {
		if (tok_is(t, assign_ops[i].tok)) {
			next(p);
			struct expr *e = new_binary(p, E_ASSIGN, assign_ops[i].op,
						    t, lhs, parse_expr(p));
			leave(p);
			return e;
		}
	}
	leave(p);
	return lhs;
}

/* ---- statements ---- */

static struct stmt *parse_stmt(struct parser *p);

static struct stmt *parse_block(struct parser *p)
{
	const struct token *lb = peek(p);
	if (lb->kind == TK_EMBEDDED)
		fail(p, lb, "embedded C is not supported");
	expect(p, "{");
	struct stmt *s = new_stmt(p, S_BLOCK, lb);
	int cap = 0;
	enter(p);
	while (!is(p, "}")) {
		if (peek(p)->kind == TK_EOF)
			fail(p, peek(p), "expected '}'");
		/* a ';' not eaten by an expression statement is a null
		   statement, as in stap (it shows in -p1 output) */
		vec_push(p->cc, &s->stmts, &s->nstmts, &cap, parse_stmt(p));
	}
	leave(p);
	next(p);
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
	if (accept(p, "+"))
		return 1;
	if (accept(p, "-"))
		return -1;
	return 0;
}

static void set_sort(struct parser *p, struct foreach *fe, int dir, int key,
		     const struct token *at)
{
	if (!dir)
		return;
	if (fe->sort_dir)
		fail(p, at, "multiple sort directives");
	fe->sort_dir = dir;
	fe->sort_key = key;
}

static struct stmt *parse_foreach(struct parser *p)
{
	const struct token *kw = next(p);
	struct stmt *s = new_stmt(p, S_FOREACH, kw);
	struct foreach *fe = cc_alloc(p->cc, sizeof(*fe));
	s->fe = fe;
	expect(p, "(");
	/* value variable: V = ..., V+ = ..., V- = ... (also lexed V -= ...) */
	const struct token *t1 = peek(p), *t2 = peek2(p);
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
			next(p);
		}
		if (is_value) {
			next(p);
			next(p);
			fe->value_name = t1->text;
			fe->value_tok = t1;
			set_sort(p, fe, dir, 0, t1);
		}
	}
	/* keys */
	if (accept(p, "[")) {
		do {
			if (fe->nkeys >= MAX_ARRAY_KEYS)
				fail(p, peek(p), "too many foreach keys (max %d)",
				     MAX_ARRAY_KEYS);
			const struct token *k = expect_ident(p);
			fe->key_names[fe->nkeys] = k->text;
			fe->key_toks[fe->nkeys] = k;
			fe->nkeys++;
			set_sort(p, fe, parse_sort_mark(p), fe->nkeys, k);
		} while (accept(p, ","));
		expect(p, "]");
	} else {
		const struct token *k = expect_ident(p);
		fe->key_names[0] = k->text;
		fe->key_toks[0] = k;
		fe->nkeys = 1;
		set_sort(p, fe, parse_sort_mark(p), 1, k);
	}
	expect(p, "in");
	/* the array or histogram */
	const struct token *b = peek(p);
	if (tok_is(b, "@hist_log") || tok_is(b, "@hist_linear")) {
		fe->base = parse_hist(p);
	} else {
		b = expect_ident(p);
		fe->base = new_expr(p, E_VAR, b);
		fe->base->name = b->text;
		if (accept(p, "[")) {
			struct expr *tmp = new_expr(p, E_INDEX, b);
			parse_keys(p, tmp, "]");
			fe->slice = tmp->args;
			fe->nslice = tmp->nargs;
		}
	}
	set_sort(p, fe, parse_sort_mark(p), 0, b);
	if (is_stat_kw(peek(p))) {
		const struct token *st = next(p);
		int dir = parse_sort_mark(p);
		if (!dir)
			fail(p, peek(p), "expected sort directive");
		set_sort(p, fe, dir, 0, st);
		fe->sort_stat = stat_op_of(st->text);
		fe->sort_stat_given = true;
	}
	if (accept(p, "limit"))
		fe->limit = parse_expr(p);
	expect(p, ")");
	fe->body = parse_loop_body(p);
	return s;
}

static struct stmt *parse_for(struct parser *p)
{
	struct stmt *s = new_stmt(p, S_FOR, next(p));
	expect(p, "(");
	if (!is(p, ";"))
		s->init = parse_expr(p);
	expect(p, ";");
	if (!is(p, ";"))
		s->expr = parse_expr(p);
	expect(p, ";");
	if (!is(p, ")"))
		s->step = parse_expr(p);
	expect(p, ")");
	s->body = parse_loop_body(p);
	return s;
}

static struct stmt *parse_try(struct parser *p)
{
	struct stmt *s = new_stmt(p, S_TRY, next(p));
	s->body = parse_block(p);
	expect(p, "catch");
	if (accept(p, "(")) {
		const struct token *v = expect_ident(p);
		s->catch_name = v->text;
		s->catch_tok = v;
		expect(p, ")");
	}
	s->catch_body = parse_block(p);
	return s;
}

static struct stmt *parse_simple_kw(struct parser *p, const struct token *t)
{
	if (tok_is(t, "break") || tok_is(t, "continue")) {
		if (!p->loops)
			fail(p, t, "found '%s' not in loop context", t->text);
		next(p);
		return new_stmt(p, tok_is(t, "break") ? S_BREAK : S_CONTINUE, t);
	}
	if (tok_is(t, "next")) {
		next(p);
		return new_stmt(p, S_NEXT, t);
	}
	if (tok_is(t, "return")) {
		if (!p->in_function)
			fail(p, t, "found 'return' not in function context");
		next(p);
		struct stmt *s = new_stmt(p, S_RETURN, t);
		if (!is(p, ";") && !is(p, "}"))
			s->expr = parse_expr(p);
		return s;
	}
	/* delete */
	next(p);
	struct stmt *s = new_stmt(p, S_DELETE, t);
	s->expr = parse_unary(p);
	return s;
}

static struct stmt *parse_stmt(struct parser *p)
{
	const struct token *t = peek(p);
	struct stmt *s;
	enter(p);
	if (tok_is(t, ";")) {
		next(p);
		s = new_stmt(p, S_NULL, t);
	} else if (tok_is(t, "{")) {
		s = parse_block(p);
	} else if (tok_is(t, "if")) {
		next(p);
		s = new_stmt(p, S_IF, t);
		expect(p, "(");
		s->expr = parse_expr(p);
		expect(p, ")");
		s->then = parse_stmt(p);
		if (accept(p, "else"))
			s->els = parse_stmt(p);
	} else if (tok_is(t, "while")) {
		next(p);
		s = new_stmt(p, S_WHILE, t);
		expect(p, "(");
		s->expr = parse_expr(p);
		expect(p, ")");
		s->body = parse_loop_body(p);
	} else if (tok_is_ident(t, "do") && tok_is(peek2(p), "{")) {
		/* do { ... } while (E); "do" stays usable as a name */
		next(p);
		s = new_stmt(p, S_WHILE, t);
		s->do_while = true;
		s->body = parse_loop_body(p);
		expect(p, "while");
		expect(p, "(");
		s->expr = parse_expr(p);
		expect(p, ")");
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
		accept(p, ";");
	} else if (t->kind == TK_EMBEDDED) {
		fail(p, t, "embedded C is not supported");
	} else if (t->kind == TK_KEYWORD && t->text[0] != '@') {
		fail(p, t, "expected statement");
	} else {
		s = new_stmt(p, S_EXPR, t);
		s->expr = parse_expr(p);
		accept(p, ";");
	}
	leave(p);
	return s;
}

/* ---- probe points ---- */

static bool is_name_piece(const struct token *t)
{
	return t->kind == TK_IDENT || t->kind == TK_KEYWORD ||
	       t->kind == TK_NUMBER || tok_is(t, "*");
}

/* A component name: adjacent pieces like sys*open or ** glue together. */
static const char *parse_pp_name(struct parser *p, const struct token **first)
{
	const struct token *t = peek(p);
	if (!(t->kind == TK_IDENT || t->kind == TK_KEYWORD || tok_is(t, "*")) ||
	    t->text[0] == '$' || t->text[0] == '@')
		fail(p, t, "expected probe point component");
	*first = t;
	next(p);
	const struct token *last = t;
	size_t len = strlen(t->text);
	int n = 1;
	while (is_name_piece(peek(p)) && !peek(p)->space_before &&
	       peek(p)->pos.line == last->pos.line &&
	       peek(p)->pos.file == last->pos.file) {
		last = next(p);
		len += strlen(last->text);
		n++;
	}
	if (n == 1)
		return t->text;
	char *s = cc_alloc(p->cc, len + 1);
	for (int i = 0; i < n; i++)
		strcat(s, p->toks[p->pos - n + i]->text);
	return s;
}

static void append_escaped(char **buf, size_t *len, size_t *cap,
			   const char *s, size_t n);

/* Printable form of a probe point: name("arg").name(5) */
static const char *pp_text(struct parser *p, struct probe_point *pp)
{
	size_t len = 0, cap = 64;
	char *buf = malloc(cap);
	if (!buf)
		abort();
	buf[0] = 0;
	for (int i = 0; i < pp->ncomps; i++) {
		struct pp_comp *c = &pp->comps[i];
		if (i)
			append_escaped(&buf, &len, &cap, ".", 1);
		append_escaped(&buf, &len, &cap, c->name, strlen(c->name));
		if (!c->arg)
			continue;
		if (c->arg->kind == E_NUM) {
			char num[32];
			snprintf(num, sizeof(num), "(%lld)", (long long)c->arg->num);
			append_escaped(&buf, &len, &cap, num, strlen(num));
		} else {
			append_escaped(&buf, &len, &cap, "(\"", 2);
			const char *s = c->arg->str;
			for (size_t k = 0; k < c->arg->str_len; k++) {
				char esc[8];
				unsigned char ch = (unsigned char)s[k];
				if (ch == '"' || ch == '\\')
					snprintf(esc, sizeof(esc), "\\%c", ch);
				else if (ch < 0x20 || ch >= 0x7f)
					snprintf(esc, sizeof(esc), "\\%03o", ch);
				else
					snprintf(esc, sizeof(esc), "%c", ch);
				append_escaped(&buf, &len, &cap, esc, strlen(esc));
			}
			append_escaped(&buf, &len, &cap, "\")", 2);
		}
	}
	const char *r = cc_strndup(p->cc, buf, len);
	free(buf);
	return r;
}

static void append_escaped(char **buf, size_t *len, size_t *cap,
			   const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		char *nb = realloc(*buf, *cap);
		if (!nb)
			abort();
		*buf = nb;
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = 0;
}

/*
 * Brace expansion: a component may be {alt, alt, ...} where each alt is
 * itself a dotted sequence (braces nest); the point expands to the
 * product, in order: {a,b}.{c,d} -> a.c a.d b.c b.d.
 */
#define MAX_PP_EXPANSION 10000

struct pp_seqs {
	struct pp_comp **v;	/* each a component array */
	int *len;
	int n, cap;
};

static void seqs_add(struct parser *p, struct pp_seqs *s, struct pp_comp *v,
		     int len)
{
	if (s->n == s->cap) {
		int ncap = s->cap ? s->cap * 2 : 4;
		struct pp_comp **nv = cc_alloc(p->cc, sizeof(*nv) * (size_t)ncap);
		int *nl = cc_alloc(p->cc, sizeof(*nl) * (size_t)ncap);
		if (s->n) {
			memcpy(nv, s->v, sizeof(*nv) * (size_t)s->n);
			memcpy(nl, s->len, sizeof(*nl) * (size_t)s->n);
		}
		s->v = nv;
		s->len = nl;
		s->cap = ncap;
	}
	s->v[s->n] = v;
	s->len[s->n++] = len;
}

static struct pp_seqs parse_pp_seq(struct parser *p);

static struct pp_seqs parse_pp_elem(struct parser *p)
{
	struct pp_seqs r = { 0 };
	if (is(p, "{")) {
		const struct token *lb = next(p);
		enter(p);
		do {
			struct pp_seqs sub = parse_pp_seq(p);
			for (int i = 0; i < sub.n; i++)
				seqs_add(p, &r, sub.v[i], sub.len[i]);
			if (r.n > MAX_PP_EXPANSION)
				fail(p, lb, "probe point expansion too large");
		} while (accept(p, ","));
		expect(p, "}");
		leave(p);
		return r;
	}
	struct pp_comp *c = cc_alloc(p->cc, sizeof(*c));
	c->name = parse_pp_name(p, &c->tok);
	if (accept(p, "(")) {
		c->arg = parse_literal(p);
		expect(p, ")");
	}
	seqs_add(p, &r, c, 1);
	return r;
}

static struct pp_seqs parse_pp_seq(struct parser *p)
{
	struct pp_seqs acc = { 0 };
	seqs_add(p, &acc, NULL, 0);
	do {
		const struct token *at = peek(p);
		struct pp_seqs e = parse_pp_elem(p);
		if ((long)acc.n * e.n > MAX_PP_EXPANSION)
			fail(p, at, "probe point expansion too large");
		struct pp_seqs prod = { 0 };
		for (int i = 0; i < acc.n; i++) {
			for (int k = 0; k < e.n; k++) {
				int len = acc.len[i] + e.len[k];
				struct pp_comp *v = cc_alloc(p->cc, sizeof(*v) * (size_t)len);
				if (acc.len[i])
					memcpy(v, acc.v[i], sizeof(*v) * (size_t)acc.len[i]);
				memcpy(v + acc.len[i], e.v[k], sizeof(*v) * (size_t)e.len[k]);
				seqs_add(p, &prod, v, len);
			}
		}
		acc = prod;
	} while (accept(p, "."));
	return acc;
}

/* One written point (possibly several after brace expansion). */
static void parse_probe_point(struct parser *p, struct probe_point ***pts,
			      int *n, int *cap, bool allow_cond)
{
	const struct token *first = peek(p);
	struct pp_seqs seqs = parse_pp_seq(p);
	bool optional = false, sufficient = false;
	struct expr *cond = NULL;
	if (accept(p, "?")) {
		optional = true;
	} else if (accept(p, "!")) {
		optional = true;
		sufficient = true;
	}
	if (allow_cond && is(p, "if")) {
		next(p);
		expect(p, "(");
		cond = parse_expr(p);
		expect(p, ")");
	}
	for (int i = 0; i < seqs.n; i++) {
		struct probe_point *pp = cc_alloc(p->cc, sizeof(*pp));
		pp->tok = seqs.len[i] ? seqs.v[i][0].tok : first;
		pp->comps = seqs.v[i];
		pp->ncomps = seqs.len[i];
		pp->optional = optional;
		pp->sufficient = sufficient;
		pp->cond = cond;
		pp->text = pp_text(p, pp);
		vec_push(p->cc, pts, n, cap, pp);
	}
}

static void parse_pp_list(struct parser *p, struct probe_point ***pts,
			  int *n, bool allow_cond)
{
	int cap = 0;
	do
		parse_probe_point(p, pts, n, &cap, allow_cond);
	while (accept(p, ","));
}

/* ---- top level ---- */

static void add_decl(struct parser *p, struct decl *d)
{
	vec_push(p->cc, &p->sf->decls, &p->sf->ndecls, &p->capdecls, d);
}

static struct stmt *parse_body(struct parser *p, bool in_function)
{
	p->in_function = in_function;
	p->loops = 0;
	struct stmt *s = parse_block(p);
	p->in_function = false;
	return s;
}

static void parse_probe(struct parser *p)
{
	const struct token *kw = next(p);
	struct probe_point **pts = NULL;
	int npts = 0;
	parse_pp_list(p, &pts, &npts, true);
	if (is(p, "=") || is(p, "+=")) {
		const struct token *eq = next(p);
		struct probe_point *name = pts[0];
		if (npts != 1 || name->optional || name->cond)
			fail(p, eq, "probe alias must name a single probe point");
		struct alias *a = cc_alloc(p->cc, sizeof(*a));
		a->name = name->comps;
		a->nname = name->ncomps;
		a->text = name->text;
		a->tok = kw;
		a->file = p->file;
		a->from_tapset = p->is_tapset;
		parse_pp_list(p, &a->points, &a->npoints, true);
		struct stmt *body = parse_body(p, false);
		if (tok_is(eq, "="))
			a->prologue = body;
		else
			a->epilogue = body;
		if (tok_is(eq, "=") && is(p, ",") && tok_is(peek2(p), "{")) {
			next(p);
			a->epilogue = parse_body(p, false);
		}
		struct decl *d = cc_alloc(p->cc, sizeof(*d));
		d->kind = D_ALIAS;
		d->alias = a;
		add_decl(p, d);
		return;
	}
	struct probe *pr = cc_alloc(p->cc, sizeof(*pr));
	pr->points = pts;
	pr->npoints = npts;
	pr->tok = kw;
	pr->file = p->file;
	pr->body = parse_body(p, false);
	struct decl *d = cc_alloc(p->cc, sizeof(*d));
	d->kind = D_PROBE;
	d->probe = pr;
	add_decl(p, d);
}

static enum type parse_type_name(struct parser *p)
{
	const struct token *t = peek(p);
	if (tok_is(t, "long")) {
		next(p);
		return TY_LONG;
	}
	if (tok_is(t, "string")) {
		next(p);
		return TY_STRING;
	}
	fail(p, t, "expected 'long' or 'string'");
}

static void parse_function(struct parser *p, bool is_private)
{
	next(p);	/* 'function' */
	const struct token *name = expect_ident(p);
	struct func *f = cc_alloc(p->cc, sizeof(*f));
	f->name = name->text;
	f->tok = name;
	f->is_private = is_private;
	f->from_tapset = p->is_tapset;
	f->file = p->file;
	f->priority = p->is_tapset ? 1 : 0;
	if (accept(p, ":")) {
		f->ret_type = parse_type_name(p);
		f->ret_declared = true;
	}
	expect(p, "(");
	int cap = 0;
	if (!is(p, ")")) {
		do {
			const struct token *pt = expect_ident(p);
			struct symbol *s = cc_alloc(p->cc, sizeof(*s));
			s->kind = SYM_PARAM;
			s->name = pt->text;
			s->tok = pt;
			s->index = f->nlocals;
			s->file = p->file;
			if (accept(p, ":"))
				s->type = parse_type_name(p);
			for (int i = 0; i < f->nlocals; i++)
				if (!strcmp(f->locals[i]->name, s->name))
					fail(p, pt, "duplicate parameter '%s'", s->name);
			vec_push(p->cc, &f->locals, &f->nlocals, &cap, s);
		} while (accept(p, ","));
	}
	expect(p, ")");
	f->nparams = f->nlocals;
	if (accept(p, ":")) {
		struct expr *pri = parse_number(p);
		f->priority = pri->num;
	}
	f->body = parse_body(p, true);
	struct decl *d = cc_alloc(p->cc, sizeof(*d));
	d->kind = D_FUNC;
	d->func = f;
	add_decl(p, d);
}

static void parse_global(struct parser *p, bool is_private)
{
	struct decl *d = cc_alloc(p->cc, sizeof(*d));
	d->kind = D_GLOBAL;
	int cap = 0;
	do {
		const struct token *name = expect_ident(p);
		struct symbol *s = cc_alloc(p->cc, sizeof(*s));
		s->kind = SYM_GLOBAL;
		s->name = name->text;
		s->tok = name;
		s->is_private = is_private;
		s->file = p->file;
		s->from_tapset = p->is_tapset;
		struct symbol *old = hmap_get(&p->globals, s->name);
		if (old)
			fail(p, name, old->is_private != is_private ?
			     "global versus private variable declaration conflict" :
			     "duplicate global name");
		hmap_put(p->cc, &p->globals, s->name, s);
		if (accept(p, "%")) {
			s->wrap = true;
			s->is_array = true;
		}
		if (accept(p, "[")) {
			const struct token *nt = peek(p);
			if (nt->kind != TK_NUMBER || nt->num <= 0)
				fail(p, nt, "expected positive array size");
			next(p);
			s->size = nt->num;
			s->is_array = true;
			expect(p, "]");
		}
		if (!s->is_array && accept(p, "="))
			s->init = parse_literal(p);
		vec_push(p->cc, &d->globals, &d->nglobals, &cap, s);
	} while (accept(p, ","));
	accept(p, ";");
	add_decl(p, d);
}

static void parse_toplevel(struct parser *p)
{
	const struct token *t = peek(p);
	if (tok_is(t, "probe")) {
		parse_probe(p);
	} else if (tok_is(t, "global")) {
		next(p);
		parse_global(p, false);
	} else if (tok_is(t, "function")) {
		parse_function(p, false);
	} else if (tok_is(t, "private")) {
		next(p);
		if (is(p, "function"))
			parse_function(p, true);
		else {
			accept(p, "global");
			parse_global(p, true);
		}
	} else if (t->kind == TK_EMBEDDED) {
		fail(p, t, "embedded C is not supported");
	} else {
		fail(p, t, "expected 'probe', 'global', 'private', 'function',"
		     " or '%%{'");
	}
}

struct stapfile *parse_file(struct compiler *cc, int file)
{
	int ntoks, npp;
	struct token *toks = lex_file(cc, file, &ntoks);
	if (!toks)
		return NULL;
	const struct token **pp = preprocess(cc, toks, ntoks, &npp);
	if (!pp)
		return NULL;
	struct parser *p = calloc(1, sizeof(*p));
	if (!p)
		abort();
	p->cc = cc;
	p->toks = pp;
	p->n = npp;
	p->file = file;
	p->is_tapset = cc->files[file]->is_tapset;
	p->sf = cc_alloc(cc, sizeof(*p->sf));
	p->sf->file = file;
	struct stapfile *result = NULL;
	if (setjmp(p->fail) == 0) {
		while (peek(p)->kind != TK_EOF)
			parse_toplevel(p);
		result = p->sf;
	}
	free(p);
	if (result && cc->script) {
		struct script *s = cc->script;
		vec_push(cc, &s->parsed, &s->nparsed, &cc->cap_parsed, result);
		for (int i = 0; i < result->ndecls; i++) {
			struct decl *d = result->decls[i];
			if (d->kind == D_PROBE) {
				vec_push(cc, &s->user_probes, &s->nuser_probes,
					 &cc->cap_user_probes, d->probe);
			}
		}
	}
	return result;
}

/* ---- context and entry points ---- */

struct compiler *compiler_new(const struct compile_opts *opts)
{
	struct compiler boot = { 0 };
	struct compiler *cc = cc_alloc(&boot, sizeof(*cc));
	cc->chunks = boot.chunks;
	cc->opts = opts;
	cc->err = opts && opts->err ? opts->err : stderr;
	cc->max_errors = opts && opts->max_errors ? opts->max_errors : 1;
	return cc;
}

void compiler_free(struct compiler *cc)
{
	if (!cc)
		return;
	struct arena_chunk *c = cc->chunks;
	/* cc itself lives in one of the chunks: read the list first */
	while (c) {
		struct arena_chunk *n = *(struct arena_chunk **)c;
		free(c);
		c = n;
	}
}

/* A tapset dir and, as in stap's layout, its DIR/ARCH, DIR/linux and
   DIR/linux/ARCH subdirectories where they exist. */
static void add_tapset_dir(struct compiler *cc, int *cap, const char *dir)
{
	const char *arch = pp_arch(cc);
	const char *cands[4] = {
		dir,
		cc_printf(cc, "%s/%s", dir, arch),
		cc_printf(cc, "%s/linux", dir),
		cc_printf(cc, "%s/linux/%s", dir, arch),
	};
	for (int i = 0; i < 4; i++) {
		struct stat st;
		if (i == 0 || (stat(cands[i], &st) == 0 && S_ISDIR(st.st_mode)))
			vec_push(cc, &cc->tapset_dirs, &cc->ntapset_dirs, cap,
				 (void *)cands[i]);
	}
}

const char *const *tapset_dirs(struct compiler *cc, int *n)
{
	static const char *const none[1];
	const struct compile_opts *o = cc->opts;
	if (cc->tapset_dirs) {
		*n = cc->ntapset_dirs;
		return cc->tapset_dirs;
	}
	int cap = 0;
	if (o && o->no_tapsets) {
		*n = 0;
		return none;
	}
	for (int i = 0; o && i < o->ninclude_dirs; i++)
		add_tapset_dir(cc, &cap, o->include_dirs[i]);
	const char *env = getenv("BYTETAP_TAPSETS");
	if (env && *env)
		add_tapset_dir(cc, &cap, cc_strdup(cc, env));
	if (o && o->tapset_default) {
		add_tapset_dir(cc, &cap, o->tapset_default);
	} else {
		char exe[4096];
		ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		if (len > 0) {
			exe[len] = 0;
			char *slash = strrchr(exe, '/');
			if (slash) {
				*slash = 0;
				add_tapset_dir(cc, &cap, cc_printf(cc, "%s/../tapsets", exe));
			}
		}
	}
	*n = cc->ntapset_dirs;
	return cc->tapset_dirs ? cc->tapset_dirs : none;
}

struct script *parse_script(struct compiler *cc)
{
	const struct compile_opts *o = cc->opts;
	struct script *s = cc_alloc(cc, sizeof(*s));
	s->cc = cc;
	cc->script = s;
	s->files = cc->files;
	s->nfiles = cc->nfiles;
	int f;
	if (o && o->script_file) {
		f = cc_load_file(cc, o->script_file, false);
		if (f < 0) {
			diag_plain_error(cc, "cannot open script file '%s'",
					 o->script_file);
			return NULL;
		}
	} else {
		const char *text = o && o->script_text ? o->script_text : "";
		f = cc_add_file(cc, o && o->script_name ? o->script_name :
				"<input>", text, strlen(text), false);
	}
	struct stapfile *sf = parse_file(cc, f);
	if (!sf)
		return NULL;
	if (sf->ndecls == 0) {
		fprintf(cc->err, "Input file '%s' is empty.\n", cc->files[f]->name);
		cc->nerrors++;
		return NULL;
	}
	s->nuser = s->nparsed;
	return s;
}
