/*
 * parse/decl.c - one file's top level: probe points (with their {a,b}
 * alternatives expanded), probes, aliases, functions and globals;
 * parse_file(), which lexes, preprocesses and parses one file, and
 * parse_script() (pass 1), which does so for the user script.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "lex.h"
#include "preproc.h"

/* ---- probe points ---- */

static bool is_name_piece(const struct token *t)
{
	return t->kind == TK_IDENT || t->kind == TK_KEYWORD ||
	       t->kind == TK_NUMBER || tok_is(t, "*");
}

/* A component name: adjacent pieces like sys*open or ** glue together. */
static const char *parse_pp_name(struct parser *p, const struct token **first)
{
	const struct token *t = p_peek(p);
	if (!(t->kind == TK_IDENT || t->kind == TK_KEYWORD || tok_is(t, "*")) ||
	    t->text[0] == '$' || t->text[0] == '@')
		p_fail(p, t, "expected probe point component");
	*first = t;
	p_next(p);
	const struct token *last = t;
	size_t len = strlen(t->text);
	int n = 1;
	while (is_name_piece(p_peek(p)) && !p_peek(p)->space_before &&
	       p_peek(p)->pos.line == last->pos.line &&
	       p_peek(p)->pos.file == last->pos.file) {
		last = p_next(p);
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

/* Printable form of a probe point: name("arg").name(5) */
static const char *pp_text(struct parser *p, struct probe_point *pp)
{
	VEC(char) buf = { 0 };
	for (int i = 0; i < pp->ncomps; i++) {
		struct pp_comp *c = &pp->comps[i];
		if (i)
			VEC_APPEND(buf, ".", 1);
		VEC_APPEND(buf, c->name, strlen(c->name));
		if (!c->arg)
			continue;
		if (c->arg->kind == E_NUM) {
			char num[32];
			snprintf(num, sizeof(num), "(%lld)", (long long)c->arg->num);
			VEC_APPEND(buf, num, strlen(num));
		} else {
			VEC_APPEND(buf, "(\"", 2);
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
				VEC_APPEND(buf, esc, strlen(esc));
			}
			VEC_APPEND(buf, "\")", 2);
		}
	}
	VEC_RESERVE(buf, 1);
	const char *r = cc_strndup(p->cc, buf.a, buf.n);
	VEC_FREE(buf);
	return r;
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
	if (p_is(p, "{")) {
		const struct token *lb = p_next(p);
		p_enter(p);
		do {
			struct pp_seqs sub = parse_pp_seq(p);
			for (int i = 0; i < sub.n; i++)
				seqs_add(p, &r, sub.v[i], sub.len[i]);
			if (r.n > MAX_PP_EXPANSION)
				p_fail(p, lb, "probe point expansion too large");
		} while (p_accept(p, ","));
		p_expect(p, "}");
		p_leave(p);
		return r;
	}
	struct pp_comp *c = cc_alloc(p->cc, sizeof(*c));
	c->name = parse_pp_name(p, &c->tok);
	if (p_accept(p, "(")) {
		c->arg = parse_literal(p);
		p_expect(p, ")");
	}
	seqs_add(p, &r, c, 1);
	return r;
}

static struct pp_seqs parse_pp_seq(struct parser *p)
{
	struct pp_seqs acc = { 0 };
	seqs_add(p, &acc, NULL, 0);
	do {
		const struct token *at = p_peek(p);
		struct pp_seqs e = parse_pp_elem(p);
		if ((long)acc.n * e.n > MAX_PP_EXPANSION)
			p_fail(p, at, "probe point expansion too large");
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
	} while (p_accept(p, "."));
	return acc;
}

/* One written point (possibly several after brace expansion). */
static void parse_probe_point(struct parser *p, struct probe_point ***pts,
			      int *n, int *cap, bool allow_cond)
{
	const struct token *first = p_peek(p);
	struct pp_seqs seqs = parse_pp_seq(p);
	bool optional = false, sufficient = false;
	struct expr *cond = NULL;
	if (p_accept(p, "?")) {
		optional = true;
	} else if (p_accept(p, "!")) {
		optional = true;
		sufficient = true;
	}
	if (allow_cond && p_is(p, "if")) {
		p_next(p);
		p_expect(p, "(");
		cond = parse_expr(p);
		p_expect(p, ")");
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
	while (p_accept(p, ","));
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
	const struct token *kw = p_next(p);
	struct probe_point **pts = NULL;
	int npts = 0;
	parse_pp_list(p, &pts, &npts, true);
	if (p_is(p, "=") || p_is(p, "+=")) {
		const struct token *eq = p_next(p);
		struct probe_point *name = pts[0];
		if (npts != 1 || name->optional || name->cond)
			p_fail(p, eq, "probe alias must name a single probe point");
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
		if (tok_is(eq, "=") && p_is(p, ",") && tok_is(p_peek2(p), "{")) {
			p_next(p);
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
	const struct token *t = p_peek(p);
	if (tok_is(t, "long")) {
		p_next(p);
		return TY_LONG;
	}
	if (tok_is(t, "string")) {
		p_next(p);
		return TY_STRING;
	}
	p_fail(p, t, "expected 'long' or 'string'");
}

static void parse_function(struct parser *p, bool is_private)
{
	p_next(p);	/* 'function' */
	const struct token *name = p_expect_ident(p);
	struct func *f = cc_alloc(p->cc, sizeof(*f));
	f->name = name->text;
	f->tok = name;
	f->is_private = is_private;
	f->from_tapset = p->is_tapset;
	f->file = p->file;
	f->priority = p->is_tapset ? 1 : 0;
	if (p_accept(p, ":")) {
		f->ret_type = parse_type_name(p);
		f->ret_declared = true;
	}
	p_expect(p, "(");
	int cap = 0;
	if (!p_is(p, ")")) {
		do {
			const struct token *pt = p_expect_ident(p);
			struct symbol *s = cc_alloc(p->cc, sizeof(*s));
			s->kind = SYM_PARAM;
			s->name = pt->text;
			s->tok = pt;
			s->index = f->nlocals;
			s->file = p->file;
			if (p_accept(p, ":"))
				s->type = parse_type_name(p);
			for (int i = 0; i < f->nlocals; i++)
				if (!strcmp(f->locals[i]->name, s->name))
					p_fail(p, pt, "duplicate parameter '%s'", s->name);
			vec_push(p->cc, &f->locals, &f->nlocals, &cap, s);
		} while (p_accept(p, ","));
	}
	p_expect(p, ")");
	f->nparams = f->nlocals;
	if (p_accept(p, ":")) {
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
		const struct token *name = p_expect_ident(p);
		struct symbol *s = cc_alloc(p->cc, sizeof(*s));
		s->kind = SYM_GLOBAL;
		s->name = name->text;
		s->tok = name;
		s->is_private = is_private;
		s->file = p->file;
		s->from_tapset = p->is_tapset;
		struct symbol *old = hmap_get(&p->globals, s->name);
		if (old)
			p_fail(p, name, old->is_private != is_private ?
			     "global versus private variable declaration conflict" :
			     "duplicate global name");
		hmap_put(p->cc, &p->globals, s->name, s);
		if (p_accept(p, "%")) {
			s->wrap = true;
			s->is_array = true;
		}
		if (p_accept(p, "[")) {
			const struct token *nt = p_peek(p);
			if (nt->kind != TK_NUMBER || nt->num <= 0)
				p_fail(p, nt, "expected positive array size");
			p_next(p);
			s->size = nt->num;
			s->is_array = true;
			p_expect(p, "]");
		}
		if (!s->is_array && p_accept(p, "="))
			s->init = parse_literal(p);
		vec_push(p->cc, &d->globals, &d->nglobals, &cap, s);
	} while (p_accept(p, ","));
	p_accept(p, ";");
	add_decl(p, d);
}

static void parse_toplevel(struct parser *p)
{
	const struct token *t = p_peek(p);
	if (tok_is(t, "probe")) {
		parse_probe(p);
	} else if (tok_is(t, "global")) {
		p_next(p);
		parse_global(p, false);
	} else if (tok_is(t, "function")) {
		parse_function(p, false);
	} else if (tok_is(t, "private")) {
		p_next(p);
		if (p_is(p, "function"))
			parse_function(p, true);
		else {
			p_accept(p, "global");
			parse_global(p, true);
		}
	} else if (t->kind == TK_EMBEDDED) {
		p_fail(p, t, "embedded C is not supported");
	} else {
		p_fail(p, t, "expected 'probe', 'global', 'private', 'function',"
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
		while (p_peek(p)->kind != TK_EOF)
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

/* Pass 1: the user script (a file, or the text of -e). */
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
		if (cc->err)
			fprintf(cc->err, "Input file '%s' is empty.\n", cc->files[f]->name);
		cc->nerrors++;
		return NULL;
	}
	s->nuser = s->nparsed;
	return s;
}
