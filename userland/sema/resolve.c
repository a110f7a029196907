/*
 * resolve.c - pass 2, step 4: names resolved to symbols, functions and
 * builtins; arity inferred; target expressions lowered; live functions.
 */
#include <stdlib.h>
#include <string.h>

#include "regex_compile.h"
#include "probes/probes.h"
#include "target.h"

#include "sema/internal.h"

static struct symbol *new_local(struct sema *S, const char *name,
				const struct token *tok)
{
	struct symbol *v = cc_alloc(S->cc, sizeof(*v));
	v->kind = SYM_LOCAL;
	v->name = name;
	v->tok = tok;
	v->file = S->scope_file;
	v->index = *S->nlocal_vec;
	vec_push(S->cc, S->local_vec, S->nlocal_vec, S->caplocal_vec, v);
	hmap_put(S->cc, S->locals, name, v);
	return v;
}

/* Locals first (params shadow globals), then globals, else a new local. */
static struct symbol *lookup_var(struct sema *S, const char *name,
				 const struct token *tok, bool create)
{
	struct symbol *v = hmap_get(S->locals, name);
	if (v)
		return v;
	v = find_global(S, name, S->scope_file);
	/* a tapset function's own variables never bind to the user's
	   globals: `global s` in a script must not break a tapset's `s` */
	if (v && S->cur_func && S->cur_func->from_tapset && !v->from_tapset)
		v = NULL;
	if (v)
		return v;
	return create ? new_local(S, name, tok) : NULL;
}

/* Records / checks how many keys a global is used with (0 = scalar). */
static void use_arity(struct sema *S, struct symbol *g, int arity,
		      const struct token *tok)
{
	if (g->kind != SYM_GLOBAL) {
		if (arity > 0)
			sema_fail(S, tok, "unresolved arity-%d global array %s, missing"
			     " global declaration?", arity, g->name);
		return;
	}
	int have = g->arity_tok ? (g->is_array ? g->nkeys : 0) : -1;
	if (have < 0 && g->is_array && arity == 0) {
		/* declared with [N] or %: an array */
		diag_sema_error(S->cc, tok, "inconsistent arity (%d vs array)",
				arity);
		diag_sema_error(S->cc, g->tok, "array declared here");
		longjmp(S->fail, 1);
	}
	if (have < 0) {
		g->arity_tok = tok;
		g->is_array = arity > 0;
		g->nkeys = arity;
		return;
	}
	if (have != arity) {
		diag_sema_error(S->cc, tok, "inconsistent arity (%d vs %d)",
				have, arity);
		diag_sema_error(S->cc, g->arity_tok, "arity %d first inferred here",
				have);
		longjmp(S->fail, 1);
	}
}

static void res_expr(struct sema *S, struct expr *e);
static void res_stmt(struct sema *S, struct stmt *s);

static struct symbol *res_array(struct sema *S, struct expr *e, int arity)
{
	if (arity > MAX_ARRAY_KEYS)
		sema_fail(S, e->tok, "too many array indexes (max %d)", MAX_ARRAY_KEYS);
	struct symbol *g = lookup_var(S, e->name, e->tok, false);
	if (!g || g->kind != SYM_GLOBAL) {
		if (g && arity > 0)
			sema_fail(S, e->tok, "local arrays not allowed ('%s')", e->name);
		sema_fail(S, e->tok, "unresolved arity-%d global array %s, missing"
		     " global declaration?", arity, e->name);
	}
	use_arity(S, g, arity, e->tok);
	return g;
}

/* Replaces target expression e by the builtin calls that read it. */
static void lower_target(struct sema *S, struct expr *e)
{
	struct probe *p = S->cur_probe;
	const char *why = NULL;
	const struct target_ctx *ctx = NULL;
	if (e->kind == E_TARGET) {
		if (!p)
			sema_fail(S, e->tok, "unresolved target-symbol expression:"
			     " target variables exist only in probe handlers");
		ctx = p->target;
		if (!ctx) {
			if (p->npoints == 1)
				target_ctx_of(S->cc, p->points[0], &why);
			/* stap's words where a point has no such context */
			if (!why || !strcmp(why, "this probe point has no target variables"))
				sema_fail(S, e->tok, "unresolved target-symbol expression");
			sema_fail(S, e->tok, "unresolved target-symbol expression: %s", why);
		}
	}
	const struct token *at = e->tok;
	struct expr *l = target_lower(S->cc, ctx, e, &why, &at);
	if (!l)
		sema_fail(S, at, "%s", why);
	*e = *l;
}

void res_target(struct sema *S, struct expr *e)
{
	bool ok = S->cur_probe != NULL;
	for (int i = 0; ok && i < S->cur_probe->npoints; i++)
		if (probe_context_free(S->cur_probe->points[i]))
			ok = false;
	if (!ok)
		sema_fail(S, e->tok, "unresolved target-symbol expression");
}

/* A function becomes live when called from live code; with its whole
   overload chain (reachable through `next`).  Resolved later, in order. */
void mark_live(struct sema *S, struct func *f)
{
	for (; f; f = f->next_overload) {
		if (f->index >= 0)
			continue;
		f->index = S->s->nfuncs;
		vec_push(S->cc, &S->s->funcs, &S->s->nfuncs, &S->capfuncs, f);
	}
}

static void res_call(struct sema *S, struct expr *e)
{
	struct funcset *fs = find_funcs(S, e->name, S->scope_file);
	if (fs) {
		struct func *best = NULL;
		for (int i = 0; i < fs->n; i++)
			if (fs->v[i]->nparams == e->nargs &&
			    (!best || fs->v[i]->priority < best->priority))
				best = fs->v[i];
		if (!best) {
			diag_sema_error(S->cc, e->tok, "arity mismatch found"
					" (function '%s' takes %d args)", e->name,
					fs->v[0]->nparams);
			diag_note(S->cc, NULL, fs->v[0]->tok);
			longjmp(S->fail, 1);
		}
		e->func = best;
		mark_live(S, best);
		return;
	}
	e->builtin = builtin_lookup(e->name, e->nargs);
	if (e->builtin)
		return;
	const struct builtin_sig *any = builtin_lookup_any(e->name);
	if (any)
		sema_fail(S, e->tok, "arity mismatch found (function '%s' takes %d"
		     " args)", e->name, any->nargs);
	sema_fail(S, e->tok, "unresolved function %s", e->name);
}

static bool is_lvalue(const struct expr *e)
{
	return e->kind == E_VAR || e->kind == E_INDEX;
}

/* procfs read probes set $value; other writes are guru-only */
static bool target_writable(struct sema *S, const struct expr *e)
{
	if (S->cc->opts && S->cc->opts->guru)
		return true;
	if (!S->cur_probe || strcmp(e->name, "$value") || e->ncomps)
		return false;
	for (int i = 0; i < S->cur_probe->npoints; i++)
		if (!probe_value_writable(S->cur_probe->points[i]))
			sema_fail(S, e->tok, "procfs $value variable is read-only in a"
			     " procfs write probe");
	return true;
}

static void res_lvalue(struct sema *S, struct expr *e, const struct token *op)
{
	if (!is_lvalue(e)) {
		if (e->kind == E_TARGET && target_writable(S, e))
			return;
		if (e->kind == E_TARGET)
			sema_fail(S, e->tok, "writing to target variables requires"
			     " guru mode");
		diag_sema_error(S->cc, op, "Expecting lvalue for assignment");
		diag_note(S->cc, NULL, e->tok);
		longjmp(S->fail, 1);
	}
}

static void no_wildcards(struct sema *S, struct expr *e)
{
	for (int i = 0; i < e->nargs; i++)
		if (!e->args[i])
			sema_fail(S, e->tok, "wildcard '*' not allowed here");
}

/* Regexes are compiled by the VM's compiler already here, so a bad one
   is a pass-2 error like in stap; codegen takes the code from e. */
static void check_regex(struct sema *S, struct expr *e)
{
	enum { CAP = 64 * 1024 };
	const struct expr *re = e->rhs;
	void *buf = malloc(CAP);
	if (!buf)
		abort();
	size_t size;
	struct bt_regex_error err = { .offset = -1 };
	int rc = bt_regex_compile(re->str, re->str_len, buf, CAP, &size, &err);
	if (rc == 0) {
		uint8_t *code = cc_alloc(S->cc, size ? size : 1);
		memcpy(code, buf, size);
		e->re_code = code;
		e->re_len = size;
	}
	free(buf);
	if (rc == 0)
		return;
	if (err.offset >= 0)
		sema_fail(S, re->tok, "regex compilation error (at position %d): %s",
		     (int)err.offset, err.msg[0] ? err.msg : "invalid regex");
	sema_fail(S, re->tok, "regex compilation error: %s",
	     err.msg[0] ? err.msg : "invalid regex");
}

static void res_expr(struct sema *S, struct expr *e)
{
	if (!e)
		return;
	switch (e->kind) {
	case E_NUM:
	case E_STR:
	case E_PERF:
		return;
	case E_VAR: {
		struct symbol *v = lookup_var(S, e->name, e->tok, true);
		use_arity(S, v, 0, e->tok);
		e->sym = v;
		return;
	}
	case E_INDEX:
		no_wildcards(S, e);
		for (int i = 0; i < e->nargs; i++)
			res_expr(S, e->args[i]);
		e->sym = res_array(S, e, e->nargs);
		return;
	case E_IN:
		for (int i = 0; i < e->lhs->nargs; i++)
			res_expr(S, e->lhs->args[i]);
		e->lhs->sym = res_array(S, e->lhs, e->lhs->nargs);
		return;
	case E_CALL:
		for (int i = 0; i < e->nargs; i++)
			res_expr(S, e->args[i]);
		res_call(S, e);
		return;
	case E_ASSIGN:
		res_lvalue(S, e->lhs, e->tok);
		res_expr(S, e->lhs);
		res_expr(S, e->rhs);
		return;
	case E_PREINC: case E_PREDEC: case E_POSTINC: case E_POSTDEC:
		res_lvalue(S, e->lhs, e->tok);
		res_expr(S, e->lhs);
		return;
	case E_TARGET:
	case E_CAST:
		if (e->kind == E_CAST && !e->str)
			sema_fail(S, e->tok, "typed values (autocast) need debuginfo,"
			     " which is not supported");
		lower_target(S, e);
		res_expr(S, e);
		return;
	case E_REGEX:
		res_expr(S, e->lhs);
		check_regex(S, e);
		return;
	case E_DEFINED: {
		/* 1 if the target expression resolves here, as in stap */
		struct expr *x = e->lhs;
		const char *why;
		while (x->kind == E_ENTRY)
			x = x->lhs;
		e->kind = E_NUM;
		if (x->kind == E_TARGET)
			e->num = S->cur_probe && S->cur_probe->target &&
				 target_lower(S->cc, S->cur_probe->target, x, &why, NULL);
		else if (x->kind == E_CAST)
			e->num = x->str && target_lower(S->cc, NULL, x, &why, NULL);
		else
			e->num = x->kind != E_PERF;
		e->lhs = NULL;
		return;
	}
	default:
		res_expr(S, e->lhs);
		res_expr(S, e->rhs);
		res_expr(S, e->cond);
		for (int i = 0; i < e->nargs; i++)
			res_expr(S, e->args[i]);
		return;
	}
}

static void res_foreach(struct sema *S, struct foreach *fe)
{
	for (int i = 0; i < fe->nslice; i++)
		res_expr(S, fe->slice[i]);
	if (fe->base->kind == E_VAR) {
		struct expr *b = fe->base;
		b->sym = res_array(S, b, fe->nkeys);
		if (fe->slice && fe->nslice != fe->nkeys)
			sema_fail(S, b->tok, "slice has %d keys, array has %d",
			     fe->nslice, fe->nkeys);
	} else {
		res_expr(S, fe->base);
		if (fe->nkeys != 1)
			sema_fail(S, fe->base->tok, "a histogram has exactly one key");
	}
	for (int i = 0; i < fe->nkeys; i++) {
		fe->keys[i] = lookup_var(S, fe->key_names[i], fe->key_toks[i], true);
		use_arity(S, fe->keys[i], 0, fe->key_toks[i]);
	}
	if (fe->value_name) {
		fe->value = lookup_var(S, fe->value_name, fe->value_tok, true);
		use_arity(S, fe->value, 0, fe->value_tok);
	}
	res_expr(S, fe->limit);
	res_stmt(S, fe->body);
}

static void res_stmt(struct sema *S, struct stmt *s)
{
	if (!s)
		return;
	switch (s->kind) {
	case S_FOREACH:
		res_foreach(S, s->fe);
		return;
	case S_DELETE: {
		struct expr *e = s->expr;
		if (e->kind == E_VAR) {
			/* whole array or scalar: arity not known from here */
			struct symbol *v = lookup_var(S, e->name, e->tok, true);
			e->sym = v;
		} else if (e->kind == E_INDEX) {
			for (int i = 0; i < e->nargs; i++)
				res_expr(S, e->args[i]);
			e->sym = res_array(S, e, e->nargs);
		} else {
			sema_fail(S, e->tok, "invalid operand of delete expression");
		}
		return;
	}
	case S_TRY:
		res_stmt(S, s->body);
		if (s->catch_name)
			s->catch_var = lookup_var(S, s->catch_name, s->catch_tok, true);
		res_stmt(S, s->catch_body);
		return;
	case S_RETURN:
		if (s->expr && !S->cur_func)
			sema_fail(S, s->tok, "found 'return' not in function context");
		break;
	default:
		break;
	}
	res_expr(S, s->expr);
	res_expr(S, s->init);
	res_expr(S, s->step);
	res_stmt(S, s->then);
	res_stmt(S, s->els);
	res_stmt(S, s->body);
	for (int i = 0; i < s->nstmts; i++)
		res_stmt(S, s->stmts[i]);
}

static void resolve_func(struct sema *S, struct func *f)
{
	struct hmap locals = { 0 };
	int cap = f->nlocals;
	S->locals = &locals;
	S->local_vec = &f->locals;
	S->nlocal_vec = &f->nlocals;
	S->caplocal_vec = &cap;
	S->scope_file = f->file;
	S->cur_func = f;
	S->cur_probe = NULL;
	for (int i = 0; i < f->nparams; i++)
		hmap_put(S->cc, &locals, f->locals[i]->name, f->locals[i]);
	res_stmt(S, f->body);
	S->cur_func = NULL;
}

static void resolve_probe(struct sema *S, struct probe *p)
{
	struct hmap locals = { 0 };
	int cap = 0;
	S->locals = &locals;
	S->local_vec = &p->locals;
	S->nlocal_vec = &p->nlocals;
	S->caplocal_vec = &cap;
	S->scope_file = p->file;
	S->cur_probe = p;
	S->cur_func = NULL;
	/* conditions may read globals only */
	for (int i = 0; i < p->npoints; i++) {
		struct expr *c = p->points[i]->cond;
		if (!c)
			continue;
		res_expr(S, c);
		if (p->nlocals)
			sema_fail(S, p->nlocals ? p->locals[0]->tok : c->tok,
			     "probe condition must not use local variables");
	}
	res_stmt(S, p->body);
	S->cur_probe = NULL;
}

void resolve_all(struct sema *S, bool keep_all)
{
	for (int i = 0; i < S->s->nprobes; i++)
		resolve_probe(S, S->s->probes[i]);
	if (keep_all)
		for (int i = 0; i < S->nall_funcs; i++)
			mark_live(S, S->all_funcs[i]);
	/* s->funcs grows while we go: called functions join the list */
	for (int i = 0; i < S->s->nfuncs; i++)
		resolve_func(S, S->s->funcs[i]);
}
