/*
 * sema.c - pass 2 (SystemTap's "elaborate").
 *
 * Steps, in order (each a small group of functions below):
 *   1. collect declarations of the parsed files into name tables
 *   2. pull in tapset files that define names the code uses, to closure
 *   3. expand probe aliases into derived probes
 *   4. resolve names to symbols / functions / builtins; infer arity
 *   5. drop unused functions and globals (unless -u)
 *   6. infer types to a fixpoint, then report what stayed unresolved
 *   7. read/write sets, foreach-modification check, autoprint flags
 *
 * Sema stops at the first error (longjmp to sema_check), like the parser.
 */
#include <dirent.h>
#include <fnmatch.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include "regex_compile.h"
#include "dump.h"
#include "lex.h"
#include "parse.h"
#include "sema.h"
#include "points.h"
#include "target.h"
#include "kallsyms.h"

#define MAX_ALIAS_DEPTH 32
#define MAX_DERIVED_PROBES 100000	/* stops exponential alias fan-out */
#define MAX_TARGET_SPLIT 4096	/* handlers copied for $vars, per probe */

/* All overloads of one function name visible in one table. */
struct funcset {
	struct func **v;
	int n, cap;
};

/* Files that declare a name, from the tapset index. */
struct filelist {
	int *v;
	int n, cap;
};

struct tapset_index {
	struct hmap funcs, globals, aliases;	/* name -> struct filelist */
	const char **alias_names;		/* for wildcard matching */
	int *alias_files;
	int nalias, capalias;
	bool *loaded;				/* by file index */
	int nloaded;
};

struct sema {
	struct compiler *cc;
	struct script *s;
	jmp_buf fail;

	struct hmap globals;		/* public globals */
	struct hmap funcs;		/* public functions: name -> funcset */
	struct hmap *priv_globals;	/* per file */
	struct hmap *priv_funcs;
	int npriv;

	struct symbol **all_globals;
	int nall_globals, capall_globals;
	struct func **all_funcs;
	int nall_funcs, capall_funcs;
	struct alias **aliases;
	int naliases, capaliases;
	struct hmap alias_by_name;	/* text -> struct alias list (funcset-like) */

	int ncollected;			/* parsed files already collected */
	int nprobes_expanded;

	/* resolution scope */
	struct hmap *locals;
	struct symbol ***local_vec;
	int *nlocal_vec, *caplocal_vec;
	int scope_file;
	struct probe *cur_probe;
	struct func *cur_func;

	/* type inference */
	struct hmap hists;		/* "%p" of a stats symbol -> E_HIST */
	bool *func_pure;		/* by func->index: no side effects */
	bool changed;
	int stamp;
	int capprobes, capfuncs, capglobals;
};

static __attribute__((noreturn, format(printf, 3, 4)))
void fail(struct sema *S, const struct token *t, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	diag_sema_error(S->cc, t, "%s", buf);
	longjmp(S->fail, 1);
}

/* ==== 1. declarations ==== */

static void ensure_priv(struct sema *S, int file)
{
	if (file < S->npriv)
		return;
	int n = S->cc->nfiles > file + 1 ? S->cc->nfiles : file + 1;
	n *= 2;
	struct hmap *g = cc_alloc(S->cc, sizeof(*g) * (size_t)n);
	struct hmap *f = cc_alloc(S->cc, sizeof(*f) * (size_t)n);
	if (S->npriv) {
		memcpy(g, S->priv_globals, sizeof(*g) * (size_t)S->npriv);
		memcpy(f, S->priv_funcs, sizeof(*f) * (size_t)S->npriv);
	}
	S->priv_globals = g;
	S->priv_funcs = f;
	S->npriv = n;
}

static struct symbol *find_global(struct sema *S, const char *name, int file)
{
	if (file < S->npriv) {
		struct symbol *g = hmap_get(&S->priv_globals[file], name);
		if (g)
			return g;
	}
	return hmap_get(&S->globals, name);
}

static struct funcset *find_funcs(struct sema *S, const char *name, int file)
{
	if (file < S->npriv) {
		struct funcset *fs = hmap_get(&S->priv_funcs[file], name);
		if (fs)
			return fs;
	}
	return hmap_get(&S->funcs, name);
}

static void add_global(struct sema *S, struct symbol *g)
{
	ensure_priv(S, g->file);
	struct hmap *t = g->is_private ? &S->priv_globals[g->file] : &S->globals;
	struct symbol *old = hmap_get(t, g->name);
	if (old) {
		diag_parse_error(S->cc, g->tok, "duplicate global name");
		longjmp(S->fail, 1);
	}
	hmap_put(S->cc, t, g->name, g);
	vec_push(S->cc, &S->all_globals, &S->nall_globals, &S->capall_globals, g);
}

static void add_func(struct sema *S, struct func *f)
{
	ensure_priv(S, f->file);
	struct hmap *t = f->is_private ? &S->priv_funcs[f->file] : &S->funcs;
	struct funcset *fs = hmap_get(t, f->name);
	if (!fs) {
		fs = cc_alloc(S->cc, sizeof(*fs));
		hmap_put(S->cc, t, f->name, fs);
	}
	f->index = -1;		/* not live (yet) */
	vec_push(S->cc, &fs->v, &fs->n, &fs->cap, f);
	vec_push(S->cc, &S->all_funcs, &S->nall_funcs, &S->capall_funcs, f);
}

static void add_alias(struct sema *S, struct alias *a)
{
	vec_push(S->cc, &S->aliases, &S->naliases, &S->capaliases, a);
	struct funcset *l = hmap_get(&S->alias_by_name, a->text);
	if (!l) {
		l = cc_alloc(S->cc, sizeof(*l));
		hmap_put(S->cc, &S->alias_by_name, a->text, l);
	}
	vec_push(S->cc, &l->v, &l->n, &l->cap, (struct func *)a);
}

/* Registers the declarations of parsed files not yet seen. */
static void collect_new_files(struct sema *S)
{
	for (; S->ncollected < S->s->nparsed; S->ncollected++) {
		struct stapfile *sf = S->s->parsed[S->ncollected];
		for (int i = 0; i < sf->ndecls; i++) {
			struct decl *d = sf->decls[i];
			switch (d->kind) {
			case D_GLOBAL:
				for (int k = 0; k < d->nglobals; k++)
					add_global(S, d->globals[k]);
				break;
			case D_FUNC:
				add_func(S, d->func);
				break;
			case D_ALIAS:
				add_alias(S, d->alias);
				break;
			case D_PROBE:
				break;
			}
		}
	}
}

/* ==== 2. tapset index and loading ==== */

static void index_add(struct compiler *cc, struct hmap *m, const char *name,
		      int file)
{
	struct filelist *fl = hmap_get(m, name);
	if (!fl) {
		fl = cc_alloc(cc, sizeof(*fl));
		hmap_put(cc, m, name, fl);
	}
	if (fl->n && fl->v[fl->n - 1] == file)
		return;
	if (fl->n == fl->cap) {
		int ncap = fl->cap ? fl->cap * 2 : 2;
		int *nv = cc_alloc(cc, sizeof(int) * (size_t)ncap);
		if (fl->n)
			memcpy(nv, fl->v, sizeof(int) * (size_t)fl->n);
		fl->v = nv;
		fl->cap = ncap;
	}
	fl->v[fl->n++] = file;
}

static bool plain_ident(const struct token *t)
{
	return t->kind == TK_IDENT && t->text[0] != '$' && t->text[0] != '@';
}

/*
 * Indexes one tapset file from its raw tokens: which functions, probe
 * aliases and globals it defines (private ones are file-scoped and never
 * looked up from outside).  Conditionals are ignored: a name declared in
 * any branch counts, parsing decides later.
 */
static void index_tokens(struct compiler *cc, struct tapset_index *ix,
			 const struct token *t, int n, int file)
{
	for (int i = 0; i < n; i++) {
		bool priv = i > 0 && tok_is(&t[i - 1], "private");
		if (tok_is(&t[i], "function") && i + 1 < n && plain_ident(&t[i + 1])) {
			if (!priv)
				index_add(cc, &ix->funcs, t[i + 1].text, file);
		} else if (tok_is(&t[i], "global") && !priv) {
			int j = i + 1;
			while (j < n && plain_ident(&t[j])) {
				index_add(cc, &ix->globals, t[j].text, file);
				j++;
				while (j < n && !tok_is(&t[j], ",") &&
				       !tok_is(&t[j], "probe") &&
				       !tok_is(&t[j], "function") &&
				       !tok_is(&t[j], "global") &&
				       !tok_is(&t[j], "private") &&
				       t[j].kind != TK_EOF && j < i + 12)
					j++;
				if (j < n && tok_is(&t[j], ","))
					j++;
				else
					break;
			}
		} else if (tok_is(&t[i], "probe")) {
			/* probe a.b.c = / += : an alias definition */
			int j = i + 1;
			size_t len = 0;
			while (j < n && (t[j].kind == TK_IDENT || t[j].kind == TK_KEYWORD) &&
			       t[j].text[0] != '$' && t[j].text[0] != '@') {
				len += strlen(t[j].text) + 1;
				j++;
				if (j < n && tok_is(&t[j], "."))
					j++;
				else
					break;
			}
			if (j < n && j > i + 1 &&
			    (tok_is(&t[j], "=") || tok_is(&t[j], "+="))) {
				char *name = cc_alloc(cc, len + 1);
				for (int k = i + 1; k < j; k++)
					strcat(name, t[k].text);
				index_add(cc, &ix->aliases, name, file);
				vec_push(cc, &ix->alias_names, &ix->nalias,
					 &ix->capalias, name);
				/* files parallel to names */
				int *nf = cc_alloc(cc, sizeof(int) * (size_t)ix->capalias);
				if (ix->nalias > 1)
					memcpy(nf, ix->alias_files,
					       sizeof(int) * (size_t)(ix->nalias - 1));
				ix->alias_files = nf;
				ix->alias_files[ix->nalias - 1] = file;
			}
		}
	}
}

static struct tapset_index *tapset_index(struct sema *S)
{
	struct compiler *cc = S->cc;
	if (cc->tsidx)
		return cc->tsidx;
	struct tapset_index *ix = cc_alloc(cc, sizeof(*ix));
	cc->tsidx = ix;
	int ndirs;
	const char *const *dirs = tapset_dirs(cc, &ndirs);
	/* lexical errors in files nobody uses must stay quiet */
	FILE *saved = cc->err;
	int saved_errors = cc->nerrors;
	FILE *null = fopen("/dev/null", "w");
	if (null)
		cc->err = null;
	for (int d = 0; d < ndirs; d++) {
		struct dirent **ents;
		int n = scandir(dirs[d], &ents, NULL, alphasort);
		if (n < 0)
			continue;
		for (int i = 0; i < n; i++) {
			const char *nm = ents[i]->d_name;
			size_t len = strlen(nm);
			if (len > 4 && !strcmp(nm + len - 4, ".stp")) {
				char *path = cc_printf(cc, "%s/%s", dirs[d], nm);
				int f = cc_load_file(cc, path, true);
				int nt;
				struct token *toks = f >= 0 ? lex_file(cc, f, &nt) : NULL;
				if (toks)
					index_tokens(cc, ix, toks, nt, f);
			}
			free(ents[i]);
		}
		free(ents);
	}
	if (null) {
		fclose(null);
		cc->err = saved;
	}
	cc->nerrors = saved_errors;
	return ix;
}

static bool load_files(struct sema *S, struct filelist *fl)
{
	struct tapset_index *ix = S->cc->tsidx;
	bool any = false;
	for (int i = 0; fl && i < fl->n; i++) {
		int f = fl->v[i];
		if (f >= ix->nloaded) {
			int n = S->cc->nfiles * 2 + 8;
			bool *nl = cc_alloc(S->cc, sizeof(bool) * (size_t)n);
			if (ix->nloaded)
				memcpy(nl, ix->loaded, sizeof(bool) * (size_t)ix->nloaded);
			ix->loaded = nl;
			ix->nloaded = n;
		}
		if (ix->loaded[f])
			continue;
		ix->loaded[f] = true;
		if (!parse_file(S->cc, f))
			longjmp(S->fail, 1);
		any = true;
	}
	return any;
}

/* Name-collection walk: which functions / variables does code use? */
struct need {
	struct sema *S;
	int file;
	bool loaded;
};

static void need_func(struct need *nd, const char *name)
{
	struct sema *S = nd->S;
	if (find_funcs(S, name, nd->file))
		return;
	struct tapset_index *ix = tapset_index(S);
	if (load_files(S, hmap_get(&ix->funcs, name)))
		nd->loaded = true;
}

static void need_var(struct need *nd, const char *name)
{
	struct sema *S = nd->S;
	if (!name || find_global(S, name, nd->file))
		return;
	struct tapset_index *ix = tapset_index(S);
	if (ix->globals.n && load_files(S, hmap_get(&ix->globals, name)))
		nd->loaded = true;
}

static void need_stmt(struct need *nd, struct stmt *s);

static void need_expr(struct need *nd, struct expr *e)
{
	if (!e)
		return;
	if (e->kind == E_CALL)
		need_func(nd, e->name);
	else if (e->kind == E_VAR || e->kind == E_INDEX)
		need_var(nd, e->name);
	need_expr(nd, e->lhs);
	need_expr(nd, e->rhs);
	need_expr(nd, e->cond);
	for (int i = 0; i < e->nargs; i++)
		need_expr(nd, e->args[i]);
	for (int i = 0; i < e->ncomps; i++)
		need_expr(nd, e->comps[i].index);
}

static void need_stmt(struct need *nd, struct stmt *s)
{
	if (!s)
		return;
	need_expr(nd, s->expr);
	need_expr(nd, s->init);
	need_expr(nd, s->step);
	need_stmt(nd, s->then);
	need_stmt(nd, s->els);
	need_stmt(nd, s->body);
	need_stmt(nd, s->catch_body);
	for (int i = 0; i < s->nstmts; i++)
		need_stmt(nd, s->stmts[i]);
	if (s->fe) {
		need_expr(nd, s->fe->base);
		need_expr(nd, s->fe->limit);
		for (int i = 0; i < s->fe->nslice; i++)
			need_expr(nd, s->fe->slice[i]);
		need_stmt(nd, s->fe->body);
	}
}

/* Does alias name `a` match the first comps of point pp? */
static bool alias_matches(const struct alias *a, const struct probe_point *pp,
			  bool exact)
{
	if (exact ? pp->ncomps != a->nname : pp->ncomps <= a->nname)
		return false;
	for (int i = 0; i < a->nname; i++) {
		const struct pp_comp *u = &pp->comps[i], *n = &a->name[i];
		if (fnmatch(u->name, n->name, 0) != 0)
			return false;
		if (!u->arg != !n->arg)
			return false;
		if (u->arg && (u->arg->kind != n->arg->kind ||
			       (u->arg->kind == E_NUM ? u->arg->num != n->arg->num :
				strcmp(u->arg->str, n->arg->str) != 0)))
			return false;
	}
	return true;
}

static bool has_wildcard(const struct probe_point *pp)
{
	for (int i = 0; i < pp->ncomps; i++)
		if (strchr(pp->comps[i].name, '*'))
			return true;
	return false;
}

/* Pulls in tapset files defining aliases this point may name. */
static void need_point(struct need *nd, const struct probe_point *pp)
{
	struct sema *S = nd->S;
	need_expr(nd, pp->cond);
	struct tapset_index *ix = tapset_index(S);
	if (!has_wildcard(pp)) {
		/* every prefix may be an alias name (suffix rule) */
		char *buf = NULL;
		size_t len = 0;
		for (int i = 0; i < pp->ncomps; i++) {
			if (pp->comps[i].arg)
				break;
			size_t add = strlen(pp->comps[i].name) + 2;
			char *nb = realloc(buf, len + add);
			if (!nb)
				abort();
			buf = nb;
			if (i)
				buf[len++] = '.';
			strcpy(buf + len, pp->comps[i].name);
			len += strlen(pp->comps[i].name);
			if (hmap_get(&S->alias_by_name, buf))
				continue;
			if (load_files(S, hmap_get(&ix->aliases, buf)))
				nd->loaded = true;
		}
		free(buf);
		return;
	}
	for (int i = 0; i < ix->nalias; i++) {
		/* match the alias name against the pattern, componentwise */
		const char *name = ix->alias_names[i];
		int ncomp = 1;
		for (const char *c = name; *c; c++)
			ncomp += *c == '.';
		if (ncomp > pp->ncomps)
			continue;
		const char *c = name;
		bool ok = true;
		for (int k = 0; k < ncomp && ok; k++) {
			const char *dot = strchr(c, '.');
			size_t l = dot ? (size_t)(dot - c) : strlen(c);
			char comp[256];
			if (l >= sizeof(comp) || pp->comps[k].arg) {
				ok = false;
				break;
			}
			memcpy(comp, c, l);
			comp[l] = 0;
			ok = fnmatch(pp->comps[k].name, comp, 0) == 0;
			c = dot ? dot + 1 : c + l;
		}
		if (ok) {
			struct filelist fl = { &ix->alias_files[i], 1, 1 };
			if (load_files(S, &fl))
				nd->loaded = true;
		}
	}
}

/* Repeats until no new tapset file is pulled in. */
static void load_tapsets(struct sema *S)
{
	int scanned = 0;
	for (;;) {
		collect_new_files(S);
		if (scanned == S->s->nparsed)
			break;
		for (; scanned < S->s->nparsed; scanned++) {
			struct stapfile *sf = S->s->parsed[scanned];
			struct need nd = { S, sf->file, false };
			for (int i = 0; i < sf->ndecls; i++) {
				struct decl *d = sf->decls[i];
				if (d->kind == D_FUNC) {
					need_stmt(&nd, d->func->body);
				} else if (d->kind == D_PROBE) {
					for (int k = 0; k < d->probe->npoints; k++)
						need_point(&nd, d->probe->points[k]);
					need_stmt(&nd, d->probe->body);
				} else if (d->kind == D_ALIAS) {
					for (int k = 0; k < d->alias->npoints; k++)
						need_point(&nd, d->alias->points[k]);
					need_stmt(&nd, d->alias->prologue);
					need_stmt(&nd, d->alias->epilogue);
				}
				/* newly loaded files register before the next decl
				   so their names are not looked up again */
				if (nd.loaded) {
					collect_new_files(S);
					nd.loaded = false;
				}
			}
		}
	}
}

/* ==== 3. alias expansion ==== */

static struct expr *clone_expr(struct compiler *cc, const struct expr *e);
static struct stmt *clone_stmt(struct compiler *cc, const struct stmt *s);

static struct expr **clone_args(struct compiler *cc, struct expr *const *a, int n)
{
	if (!n)
		return NULL;
	struct expr **v = cc_alloc(cc, sizeof(*v) * (size_t)n);
	for (int i = 0; i < n; i++)
		v[i] = clone_expr(cc, a[i]);
	return v;
}

static struct expr *clone_expr(struct compiler *cc, const struct expr *e)
{
	if (!e)
		return NULL;
	struct expr *c = cc_alloc(cc, sizeof(*c));
	*c = *e;
	c->lhs = clone_expr(cc, e->lhs);
	c->rhs = clone_expr(cc, e->rhs);
	c->cond = clone_expr(cc, e->cond);
	c->args = clone_args(cc, e->args, e->nargs);
	if (e->ncomps) {
		c->comps = cc_alloc(cc, sizeof(*c->comps) * (size_t)e->ncomps);
		for (int i = 0; i < e->ncomps; i++) {
			c->comps[i] = e->comps[i];
			c->comps[i].index = clone_expr(cc, e->comps[i].index);
		}
	}
	return c;
}

static struct stmt *clone_stmt(struct compiler *cc, const struct stmt *s)
{
	if (!s)
		return NULL;
	struct stmt *c = cc_alloc(cc, sizeof(*c));
	*c = *s;
	c->expr = clone_expr(cc, s->expr);
	c->init = clone_expr(cc, s->init);
	c->step = clone_expr(cc, s->step);
	c->then = clone_stmt(cc, s->then);
	c->els = clone_stmt(cc, s->els);
	c->body = clone_stmt(cc, s->body);
	c->catch_body = clone_stmt(cc, s->catch_body);
	if (s->nstmts) {
		c->stmts = cc_alloc(cc, sizeof(*c->stmts) * (size_t)s->nstmts);
		for (int i = 0; i < s->nstmts; i++)
			c->stmts[i] = clone_stmt(cc, s->stmts[i]);
	}
	if (s->fe) {
		struct foreach *fe = cc_alloc(cc, sizeof(*fe));
		*fe = *s->fe;
		fe->base = clone_expr(cc, s->fe->base);
		fe->limit = clone_expr(cc, s->fe->limit);
		fe->slice = clone_args(cc, s->fe->slice, s->fe->nslice);
		fe->body = clone_stmt(cc, s->fe->body);
		c->fe = fe;
	}
	return c;
}

/* { pro; body; epi } */
static struct stmt *wrap_body(struct compiler *cc, const struct alias *a,
			      struct stmt *body)
{
	struct stmt *b = cc_alloc(cc, sizeof(*b));
	b->kind = S_BLOCK;
	b->tok = body->tok;
	int cap = 0;
	if (a->prologue)
		vec_push(cc, &b->stmts, &b->nstmts, &cap, clone_stmt(cc, a->prologue));
	vec_push(cc, &b->stmts, &b->nstmts, &cap, body);
	if (a->epilogue)
		vec_push(cc, &b->stmts, &b->nstmts, &cap, clone_stmt(cc, a->epilogue));
	return b;
}

/* An alias target point with the user point's suffix, flags, condition. */
static struct probe_point *derive_point(struct compiler *cc,
					const struct probe_point *target,
					const struct probe_point *user, int nname)
{
	struct probe_point *np = cc_alloc(cc, sizeof(*np));
	*np = *target;
	int extra = user->ncomps - nname;
	if (extra > 0) {
		np->ncomps = target->ncomps + extra;
		np->comps = cc_alloc(cc, sizeof(*np->comps) * (size_t)np->ncomps);
		memcpy(np->comps, target->comps, sizeof(*np->comps) * (size_t)target->ncomps);
		memcpy(np->comps + target->ncomps, user->comps + nname,
		       sizeof(*np->comps) * (size_t)extra);
		np->text = cc_printf(cc, "%s", target->text);
		for (int i = nname; i < user->ncomps; i++) {
			const struct pp_comp *c = &user->comps[i];
			if (c->arg && c->arg->kind == E_NUM)
				np->text = cc_printf(cc, "%s.%s(%lld)", np->text, c->name,
						     (long long)c->arg->num);
			else if (c->arg)
				np->text = cc_printf(cc, "%s.%s(\"%s\")", np->text,
						     c->name, c->arg->str);
			else
				np->text = cc_printf(cc, "%s.%s", np->text, c->name);
		}
	}
	np->optional = target->optional || user->optional;
	np->sufficient = target->sufficient || user->sufficient;
	/* every derived probe resolves its own copy of the condition */
	np->cond = clone_expr(cc, target->cond ? target->cond : user->cond);
	return np;
}

static void add_derived(struct sema *S, struct probe *orig,
			const struct alias *via, struct probe_point **pts,
			int npts, struct stmt *body)
{
	struct probe *d = cc_alloc(S->cc, sizeof(*d));
	d->points = pts;
	d->npoints = npts;
	d->body = body;
	d->tok = orig->tok;
	d->file = orig->file;
	d->orig = orig;
	d->via = via;
	d->index = S->s->nprobes;
	vec_push(S->cc, &S->s->probes, &S->s->nprobes, &S->capprobes, d);
}

static bool is_builtin_point(const struct probe_point *pp);


/* Names assigned (name = ...) in an alias body: its context variables. */
struct names {
	struct compiler *cc;
	struct hmap set;
};

static bool note_assigned(struct expr *e, void *arg)
{
	struct names *n = arg;
	if (e->kind == E_ASSIGN && e->lhs && e->lhs->kind == E_VAR)
		hmap_put(n->cc, &n->set, e->lhs->name, (void *)e->lhs->name);
	return true;
}

/* Does a walk read a variable in `theirs` that is not in `have`? */
struct reads_other {
	struct hmap *theirs, *have;
	bool found;
};

static bool note_read_other(struct expr *e, void *arg)
{
	struct reads_other *r = arg;
	if (e->kind == E_VAR && hmap_get(r->theirs, e->name) &&
	    !hmap_get(r->have, e->name))
		r->found = true;
	return !r->found;
}

/*
 * syscall.* (and syscall.*.return) the cheap way.  SystemTap expands the
 * wildcard into one kprobe pair per system call, which takes seconds to
 * arm.  When the handler reads nothing but what the tapset's syscall_any
 * alias provides (name, syscall_nr; retval, retstr), the two raw_syscalls
 * tracepoints serve every system call at once; otherwise (argstr, fd, ...)
 * the point expands alias by alias as in SystemTap.
 */
static const struct alias *syscall_any_alias(struct sema *S,
					     const struct probe_point *pp,
					     const struct stmt *body)
{
	bool ret = pp->ncomps == 3 && !strcmp(pp->comps[2].name, "return") &&
		   !pp->comps[2].arg;
	if (!(pp->ncomps == 2 || ret) || strcmp(pp->comps[0].name, "syscall") ||
	    strcmp(pp->comps[1].name, "*") || pp->comps[0].arg || pp->comps[1].arg)
		return NULL;
	struct funcset *fs = hmap_get(&S->alias_by_name,
				      ret ? "syscall_any.return" : "syscall_any");
	if (!fs || !fs->n)
		return NULL;
	const struct alias *any = (const struct alias *)fs->v[0];
	struct names have = { .cc = S->cc }, theirs = { .cc = S->cc };
	ast_walk_stmt(any->prologue, note_assigned, &have);
	for (int i = 0; i < S->naliases; i++)
		if (alias_matches(S->aliases[i], pp, false) ||
		    alias_matches(S->aliases[i], pp, true))
			ast_walk_stmt(S->aliases[i]->prologue, note_assigned, &theirs);
	struct reads_other r = { &theirs.set, &have.set, false };
	ast_walk_stmt((struct stmt *)body, note_read_other, &r);
	return r.found ? NULL : any;
}

/*
 * Expands one point of a user probe.  `body` is the handler as built so
 * far (user body wrapped by inner aliases' bodies); plain points collect
 * in `plain` to share one derived probe.
 */
static void expand_point(struct sema *S, struct probe *orig,
			 struct probe_point *pp, struct stmt *body,
			 const struct alias *via, int depth,
			 struct probe_point ***plain, int *nplain, int *capplain)
{
	if (depth > MAX_ALIAS_DEPTH)
		fail(S, pp->tok, "probe alias expansion nested too deeply");
	if (S->s->nprobes + *nplain > MAX_DERIVED_PROBES)
		fail(S, pp->tok, "probe alias expansion too large");
	const struct alias *any = S->cc->opts && S->cc->opts->listing ? NULL :
		syscall_any_alias(S, pp, body);
	if (any) {
		struct probe_point *np = derive_point(S->cc, any->points[0], pp,
						      pp->ncomps);
		struct stmt *nb = wrap_body(S->cc, any, body);
		struct probe_point **sub = NULL;
		int nsub = 0, capsub = 0;
		expand_point(S, orig, np, nb, any, depth + 1, &sub, &nsub, &capsub);
		if (nsub)
			add_derived(S, orig, any, sub, nsub, clone_stmt(S->cc, nb));
		return;
	}
	/* exact-length matches first; the suffix rule only when none */
	bool found = false;
	for (int pass = 0; pass < 2 && !found; pass++) {
		for (int i = 0; i < S->naliases; i++) {
			struct alias *a = S->aliases[i];
			if (a->is_private && a->file != orig->file)
				continue;
			if (!alias_matches(a, pp, pass == 0))
				continue;
			/* a built-in point wins over an alias plus suffix:
			   timer.profile = timer.profile.tick must end */
			if (pass == 1 && is_builtin_point(pp))
				continue;
			found = true;
			struct stmt *nb = wrap_body(S->cc, a, body);
			struct probe_point **sub = NULL;
			int nsub = 0, capsub = 0;
			for (int k = 0; k < a->npoints; k++) {
				struct probe_point *np = derive_point(S->cc,
					a->points[k], pp, a->nname);
				expand_point(S, orig, np, nb, a, depth + 1,
					     &sub, &nsub, &capsub);
			}
			if (nsub)
				add_derived(S, orig, a, sub, nsub,
					    clone_stmt(S->cc, nb));
		}
	}
	if (!found)
		vec_push(S->cc, plain, nplain, capplain, pp);
}

static void expand_probes(struct sema *S)
{
	for (int i = 0; i < S->s->nuser_probes; i++) {
		struct probe *p = S->s->user_probes[i];
		struct probe_point **plain = NULL;
		int nplain = 0, cap = 0;
		for (int k = 0; k < p->npoints; k++)
			expand_point(S, p, p->points[k], p->body, NULL, 0,
				     &plain, &nplain, &cap);
		if (nplain)
			add_derived(S, p, NULL, plain, nplain,
				    clone_stmt(S->cc, p->body));
	}
}

/* ==== 3b. probe point validation ==== */

/*
 * The probe point forms stap 4.8 knows (stap --dump-probe-types), used to
 * reject points that are neither an alias nor a built-in family.  Which of
 * these the VM can actually run is codegen's business.
 */
static const char *const probe_types[] = {
	"begin", "begin(number)", "end",
	"end(number)", "error", "error(number)",
	"kernel.data(number).length(number).rw", "kernel.data(number).length(number).write", "kernel.data(number).rw",
	"kernel.data(number).write", "kernel.data(string).rw", "kernel.data(string).write",
	"kernel.function(number)", "kernel.function(number).call", "kernel.function(number).exported",
	"kernel.function(number).return", "kernel.function(number).return.maxactive(number)", "kernel.function(string)",
	"kernel.function(string).call", "kernel.function(string).callee(string)", "kernel.function(string).callee(string).call",
	"kernel.function(string).callee(string).return", "kernel.function(string).callees", "kernel.function(string).callees(number)",
	"kernel.function(string).exported", "kernel.function(string).inline", "kernel.function(string).label(string)",
	"kernel.function(string).return", "kernel.function(string).return.maxactive(number)", "kernel.mark(string)",
	"kernel.mark(string).format(string)", "kernel.statement(number)", "kernel.statement(number).absolute",
	"kernel.statement(number).nearest", "kernel.statement(string)", "kernel.statement(string).nearest",
	"kernel.trace(string)", "kprobe.function(string)", "kprobe.function(string).call",
	"kprobe.function(string).return", "kprobe.function(string).return.maxactive(number)", "kprobe.module(string).function(string)",
	"kprobe.module(string).function(string).call", "kprobe.module(string).function(string).return", "kprobe.module(string).function(string).return.maxactive(number)",
	"kprobe.statement(number).absolute", "module(string).function(number)", "module(string).function(number).call",
	"module(string).function(number).exported", "module(string).function(number).return", "module(string).function(number).return.maxactive(number)",
	"module(string).function(string)", "module(string).function(string).call", "module(string).function(string).callee(string)",
	"module(string).function(string).callee(string).call", "module(string).function(string).callee(string).return", "module(string).function(string).callees",
	"module(string).function(string).callees(number)", "module(string).function(string).exported", "module(string).function(string).inline",
	"module(string).function(string).label(string)", "module(string).function(string).return", "module(string).function(string).return.maxactive(number)",
	"module(string).statement(number)", "module(string).statement(number).nearest", "module(string).statement(string)",
	"module(string).statement(string).nearest", "netfilter.hook(string).pf(string)", "netfilter.hook(string).pf(string).priority(string)",
	"netfilter.pf(string).hook(string)", "netfilter.pf(string).hook(string).priority(string)", "never",
	"perf.type(number).config(number)", "perf.type(number).config(number).counter(string)", "perf.type(number).config(number).hz(number)",
	"perf.type(number).config(number).process", "perf.type(number).config(number).process(string)", "perf.type(number).config(number).process(string).counter(string)",
	"perf.type(number).config(number).sample(number)", "process.begin", "process.end",
	"process.function(number)", "process.function(number).call", "process.function(number).exported",
	"process.function(number).return", "process.function(string)", "process.function(string).call",
	"process.function(string).callee(string)", "process.function(string).callee(string).call", "process.function(string).callee(string).return",
	"process.function(string).callees", "process.function(string).callees(number)", "process.function(string).exported",
	"process.function(string).inline", "process.function(string).label(string)", "process.function(string).return",
	"process.library(string).function(number)", "process.library(string).function(number).call", "process.library(string).function(number).exported",
	"process.library(string).function(number).return", "process.library(string).function(string)", "process.library(string).function(string).call",
	"process.library(string).function(string).callee(string)", "process.library(string).function(string).callee(string).call", "process.library(string).function(string).callee(string).return",
	"process.library(string).function(string).callees", "process.library(string).function(string).callees(number)", "process.library(string).function(string).exported",
	"process.library(string).function(string).inline", "process.library(string).function(string).label(string)", "process.library(string).function(string).return",
	"process.library(string).mark(string)", "process.library(string).plt", "process.library(string).plt.return",
	"process.library(string).plt(string)", "process.library(string).plt(string).return", "process.library(string).provider(string).mark(string)",
	"process.library(string).statement(number)", "process.library(string).statement(number).nearest", "process.library(string).statement(string)",
	"process.library(string).statement(string).nearest", "process.mark(string)", "process.plt",
	"process.plt.return", "process.plt(string)", "process.plt(string).return",
	"process.provider(string).mark(string)", "process.statement(number)", "process.statement(number).nearest",
	"process.statement(string)", "process.statement(string).nearest", "process.syscall",
	"process.syscall.return", "process.thread.begin", "process.thread.end",
	"process(number).begin", "process(number).end", "process(number).function(number)",
	"process(number).function(number).call", "process(number).function(number).exported", "process(number).function(number).return",
	"process(number).function(string)", "process(number).function(string).call", "process(number).function(string).callee(string)",
	"process(number).function(string).callee(string).call", "process(number).function(string).callee(string).return", "process(number).function(string).callees",
	"process(number).function(string).callees(number)", "process(number).function(string).exported", "process(number).function(string).inline",
	"process(number).function(string).label(string)", "process(number).function(string).return", "process(number).insn",
	"process(number).insn.block", "process(number).mark(string)", "process(number).plt",
	"process(number).plt.return", "process(number).plt(string)", "process(number).plt(string).return",
	"process(number).provider(string).mark(string)", "process(number).statement(number)", "process(number).statement(number).absolute",
	"process(number).statement(number).absolute.return", "process(number).statement(number).nearest", "process(number).statement(string)",
	"process(number).statement(string).nearest", "process(number).syscall", "process(number).syscall.return",
	"process(number).thread.begin", "process(number).thread.end", "process(string).begin",
	"process(string).end", "process(string).function(number)", "process(string).function(number).call",
	"process(string).function(number).exported", "process(string).function(number).return", "process(string).function(string)",
	"process(string).function(string).call", "process(string).function(string).callee(string)", "process(string).function(string).callee(string).call",
	"process(string).function(string).callee(string).return", "process(string).function(string).callees", "process(string).function(string).callees(number)",
	"process(string).function(string).exported", "process(string).function(string).inline", "process(string).function(string).label(string)",
	"process(string).function(string).return", "process(string).insn", "process(string).insn.block",
	"process(string).library(string).function(number)", "process(string).library(string).function(number).call", "process(string).library(string).function(number).exported",
	"process(string).library(string).function(number).return", "process(string).library(string).function(string)", "process(string).library(string).function(string).call",
	"process(string).library(string).function(string).callee(string)", "process(string).library(string).function(string).callee(string).call", "process(string).library(string).function(string).callee(string).return",
	"process(string).library(string).function(string).callees", "process(string).library(string).function(string).callees(number)", "process(string).library(string).function(string).exported",
	"process(string).library(string).function(string).inline", "process(string).library(string).function(string).label(string)", "process(string).library(string).function(string).return",
	"process(string).library(string).mark(string)", "process(string).library(string).plt", "process(string).library(string).plt.return",
	"process(string).library(string).plt(string)", "process(string).library(string).plt(string).return", "process(string).library(string).provider(string).mark(string)",
	"process(string).library(string).statement(number)", "process(string).library(string).statement(number).nearest", "process(string).library(string).statement(string)",
	"process(string).library(string).statement(string).nearest", "process(string).mark(string)", "process(string).plt",
	"process(string).plt.return", "process(string).plt(string)", "process(string).plt(string).return",
	"process(string).provider(string).mark(string)", "process(string).statement(number)", "process(string).statement(number).nearest",
	"process(string).statement(string)", "process(string).statement(string).nearest", "process(string).syscall",
	"process(string).syscall.return", "process(string).thread.begin", "process(string).thread.end",
	"procfs.read", "procfs.read.maxsize(number)", "procfs.umask(number).read",
	"procfs.umask(number).read.maxsize(number)", "procfs.umask(number).write", "procfs.write",
	"procfs(string).read", "procfs(string).read.maxsize(number)", "procfs(string).umask(number).read",
	"procfs(string).umask(number).read.maxsize(number)", "procfs(string).umask(number).write", "procfs(string).write",
	"timer.hz(number)", "timer.jiffies(number)", "timer.jiffies(number).randomize(number)",
	"timer.ms(number)", "timer.ms(number).randomize(number)", "timer.msec(number)",
	"timer.msec(number).randomize(number)", "timer.ns(number)", "timer.ns(number).randomize(number)",
	"timer.nsec(number)", "timer.nsec(number).randomize(number)", "timer.profile.tick",
	"timer.s(number)", "timer.s(number).randomize(number)", "timer.sec(number)",
	"timer.sec(number).randomize(number)", "timer.us(number)", "timer.us(number).randomize(number)",
	"timer.usec(number)", "timer.usec(number).randomize(number)",
};

/* Number of leading components of pp matching pattern `pat`; ncomps+1
   when the whole point matches. */
static int match_probe_type(const struct probe_point *pp, const char *pat)
{
	int k = 0;
	const char *c = pat;
	while (*c) {
		const char *dot = strchr(c, '.');
		size_t len = dot ? (size_t)(dot - c) : strlen(c);
		const char *paren = memchr(c, '(', len);
		size_t nlen = paren ? (size_t)(paren - c) : len;
		char name[64];
		if (k >= pp->ncomps || nlen >= sizeof(name))
			return k;
		memcpy(name, c, nlen);
		name[nlen] = 0;
		const struct pp_comp *u = &pp->comps[k];
		if (fnmatch(u->name, name, 0) != 0)
			return k;
		enum expr_kind want = !paren ? E_PERF : paren[1] == 'n' ? E_NUM : E_STR;
		if (u->arg ? u->arg->kind != want : want != E_PERF)
			return k;
		k++;
		c = dot ? dot + 1 : c + len;
	}
	return k == pp->ncomps ? k + 1 : k;
}

/* Is pp, as written, one of the built-in probe point forms? */
static bool is_builtin_point(const struct probe_point *pp)
{
	for (size_t t = 0; t < sizeof(probe_types) / sizeof(probe_types[0]); t++)
		if (match_probe_type(pp, probe_types[t]) > pp->ncomps)
			return true;
	return false;
}

/* Drops optional points that match nothing; errors for the others. */
static void validate_points(struct sema *S)
{
	struct script *s = S->s;
	int kept = 0;
	for (int i = 0; i < s->nprobes; i++) {
		struct probe *p = s->probes[i];
		int np = 0;
		for (int k = 0; k < p->npoints; k++) {
			struct probe_point *pp = p->points[k];
			int best = 0;
			for (size_t t = 0; t < sizeof(probe_types) / sizeof(probe_types[0]); t++) {
				int m = match_probe_type(pp, probe_types[t]);
				if (m > best)
					best = m;
			}
			if (best > pp->ncomps) {
				p->points[np++] = pp;
				continue;
			}
			if (pp->optional)
				continue;
			diag_sema_error(S->cc, pp->comps[0].tok, "while resolving"
					" probe point");
			fail(S, pp->comps[best < pp->ncomps ? best : 0].tok,
			     "probe point mismatch");
		}
		p->npoints = np;
		if (np) {
			p->index = kept;
			s->probes[kept++] = p;
		}
	}
	s->nprobes = kept;
}

/* ==== 3c. target variables: one probe per context, @entry captures ==== */

/*
 * A handler that reads $vars needs one concrete function or tracepoint
 * per probe (each has its own parameters): such probes are split over
 * the names their points match in BTF.  Tracepoint patterns are always
 * expanded here, since the module attaches tracepoints by exact name.
 * In a .return probe, @entry(e) and parameters (entry values, as in
 * SystemTap) become a global keyed by tid(), written by a companion
 * entry probe and read-and-deleted at the top of the return handler.
 */
static bool note_target(struct expr *e, void *arg)
{
	bool *found = arg;
	if (e->kind == E_TARGET || e->kind == E_ENTRY)
		*found = true;
	return !*found;
}

static bool uses_targets(struct stmt *body)
{
	bool found = false;
	ast_walk_stmt(body, note_target, &found);
	return found;
}

static bool has_glob(const char *s)
{
	return s && strpbrk(s, "*?[");
}

/* The concrete points of pp (itself if nothing to expand). */
static int concrete_points(struct sema *S, struct probe_point *pp,
			   bool targets, struct probe_point ***out)
{
	bool glob = false;
	for (int k = 0; k < pp->ncomps; k++)
		if (pp->comps[k].arg && pp->comps[k].arg->kind == E_STR &&
		    has_glob(pp->comps[k].arg->str))
			glob = true;
	struct point_info pi;
	if (targets || (glob && point_info(S->cc, pp, &pi) && pi.kind == POINT_TRACE)) {
		int n = target_expand(S->cc, pp, out);
		if (n > 0 || (n == 0 && glob))
			return n;
	}
	*out = cc_alloc(S->cc, sizeof(**out));
	(*out)[0] = pp;
	return 1;
}

/* Does a function or tracepoint point name something this kernel has?
   BTF first; /proc/kallsyms for functions BTF leaves out (the x86_64
   syscall wrappers); other points are assumed to. */
static bool point_resolves(struct sema *S, struct probe_point *pp)
{
	struct probe_point **v;
	struct point_info pi;
	if (target_expand(S->cc, pp, &v) > 0)
		return true;
	if (!point_info(S->cc, pp, &pi) || pi.kind != POINT_FUNCTION)
		return pi.kind == POINT_OTHER;
	struct ksym_req req = { .pattern = pi.module ?
		cc_printf(S->cc, "%s:%s", pi.module, pi.pattern) : pi.pattern };
	struct ksym_match *m = NULL;
	size_t nm = 0;
	char err[256];
	bool found = ksym_resolve(&req, 1, &m, &nm, (size_t)-1, err, sizeof(err)) == 0 &&
		nm > 0;
	free(m);
	return found;
}

struct entry_caps {
	struct sema *S;
	struct probe *p;
	struct stmt *entry_body;	/* the companion probe's block */
	struct stmt **pro;		/* prologue of the return handler */
	int npro, cappro, capentry;
};

static struct expr *mk_expr(struct sema *S, enum expr_kind k,
			    const struct token *tok)
{
	struct expr *e = cc_alloc(S->cc, sizeof(*e));
	e->kind = k;
	e->tok = tok;
	e->height = 1;
	return e;
}

static struct stmt *mk_stmt(struct sema *S, enum stmt_kind k, struct expr *e)
{
	struct stmt *s = cc_alloc(S->cc, sizeof(*s));
	s->kind = k;
	s->tok = e->tok;
	s->expr = e;
	return s;
}

/* name[tid()] */
static struct expr *by_tid(struct sema *S, const char *name,
			   const struct token *tok)
{
	struct expr *t = mk_expr(S, E_CALL, tok), *ix = mk_expr(S, E_INDEX, tok);
	t->name = "tid";
	ix->name = name;
	ix->args = cc_alloc(S->cc, sizeof(*ix->args));
	ix->args[0] = t;
	ix->nargs = 1;
	ix->height = 2;
	return ix;
}

/* Replaces *e (an entry value) by a local loaded in the prologue. */
static void capture(struct entry_caps *c, struct expr *e, struct expr *value)
{
	struct sema *S = c->S;
	int k = S->nall_globals;
	const char *g = cc_printf(S->cc, "__entry_%d", k);
	const char *v = cc_printf(S->cc, "__entry_%d_value", k);
	struct symbol *sym = cc_alloc(S->cc, sizeof(*sym));
	const struct token *tok = e->tok;

	sym->kind = SYM_GLOBAL;
	sym->name = g;
	sym->tok = tok;
	sym->file = c->p->file;
	sym->from_tapset = true;	/* internal: never printed at the end */
	add_global(S, sym);

	struct expr *set = mk_expr(S, E_ASSIGN, tok);
	set->lhs = by_tid(S, g, tok);
	set->rhs = value;
	set->height = value->height + 1;
	vec_push(S->cc, &c->entry_body->stmts, &c->entry_body->nstmts,
		 &c->capentry, mk_stmt(S, S_EXPR, set));

	struct expr *lv = mk_expr(S, E_VAR, tok), *get = mk_expr(S, E_ASSIGN, tok);
	lv->name = v;
	get->lhs = lv;
	get->rhs = by_tid(S, g, tok);
	get->height = 3;
	vec_push(S->cc, &c->pro, &c->npro, &c->cappro, mk_stmt(S, S_EXPR, get));
	vec_push(S->cc, &c->pro, &c->npro, &c->cappro,
		 mk_stmt(S, S_DELETE, by_tid(S, g, tok)));

	struct expr *use = mk_expr(S, E_VAR, tok);
	use->name = v;
	*e = *use;
}

/* Entry values in a return handler: @entry(e), and target variables
   other than $return (as in SystemTap); not under @defined. */
static bool note_entry_value(struct expr *e, void *arg)
{
	struct entry_caps *c = arg;
	if (e->kind == E_DEFINED)
		return false;
	if (e->kind == E_ENTRY) {
		capture(c, e, e->lhs);
		return false;
	}
	if (e->kind == E_TARGET && !target_is_return_value(e)) {
		capture(c, e, clone_expr(c->S->cc, e));
		return false;
	}
	return true;
}

static void add_entry_captures(struct sema *S, struct probe *p)
{
	struct stmt *eb = cc_alloc(S->cc, sizeof(*eb));
	struct entry_caps c = { .S = S, .p = p, .entry_body = eb };

	eb->kind = S_BLOCK;
	eb->tok = p->body->tok;
	ast_walk_stmt(p->body, note_entry_value, &c);
	if (!c.npro)
		return;
	vec_push(S->cc, &c.pro, &c.npro, &c.cappro, p->body);
	struct stmt *nb = cc_alloc(S->cc, sizeof(*nb));
	nb->kind = S_BLOCK;
	nb->tok = p->body->tok;
	nb->stmts = c.pro;
	nb->nstmts = c.npro;
	p->body = nb;

	struct probe_point **pt = cc_alloc(S->cc, sizeof(*pt));
	pt[0] = target_entry_point(S->cc, p->points[0]);
	add_derived(S, p->orig ? p->orig : p, p->via, pt, 1, eb);
	struct probe *ep = S->s->probes[S->s->nprobes - 1];
	ep->target = target_entry_ctx(S->cc, p->target);
}

static void split_for_targets(struct sema *S)
{
	int n = S->s->nprobes, kept = 0;
	struct probe **out = NULL;
	int nout = 0, capout = 0;

	for (int i = 0; i < n; i++) {
		struct probe *p = S->s->probes[i];
		bool targets = uses_targets(p->body);
		struct probe_point **all = NULL;
		int nall = 0, capall = 0;

		for (int k = 0; k < p->npoints; k++) {
			struct probe_point **v;
			int m = concrete_points(S, p->points[k], targets, &v);
			if (m == 0 && !p->points[k]->optional)
				fail(S, p->points[k]->tok, "no match for probe point %s"
				     " in the kernel's BTF", p->points[k]->text);
			for (int j = 0; j < m; j++)
				vec_push(S->cc, &all, &nall, &capall, v[j]);
			/* pp! : when it resolves, the points after it are not
			   needed (SystemTap's "sufficient") */
			if (p->points[k]->sufficient && m > 0 &&
			    point_resolves(S, p->points[k]))
				break;
		}
		if (!nall)
			continue;
		if (targets && nall > MAX_TARGET_SPLIT)
			fail(S, p->points[0]->tok, "%d functions for one handler that"
			     " reads target variables (each needs its own copy; at"
			     " most %d): narrow the pattern", nall, MAX_TARGET_SPLIT);
		if (!targets || nall == 1) {
			p->points = all;
			p->npoints = nall;
			vec_push(S->cc, &out, &nout, &capout, p);
			continue;
		}
		for (int j = 0; j < nall; j++) {
			struct probe *d = cc_alloc(S->cc, sizeof(*d));
			*d = *p;
			d->points = cc_alloc(S->cc, sizeof(*d->points));
			d->points[0] = all[j];
			d->npoints = 1;
			d->body = clone_stmt(S->cc, p->body);
			vec_push(S->cc, &out, &nout, &capout, d);
		}
	}
	S->s->probes = out;
	S->s->nprobes = nout;
	S->capprobes = capout;
	for (int i = 0; i < nout; i++)
		out[i]->index = i;
	(void)kept;
}

static void prepare_targets(struct sema *S)
{
	split_for_targets(S);
	int n = S->s->nprobes;
	for (int i = 0; i < n; i++) {
		struct probe *p = S->s->probes[i];
		const char *why = NULL;
		if (p->npoints != 1 || !uses_targets(p->body))
			continue;
		p->target = target_ctx_of(S->cc, p->points[0], &why);
		if (!p->target)
			continue;	/* reported where a $var is used */
		if (p->target->kind == TCTX_RETURN)
			add_entry_captures(S, p);
	}
}

/* ==== 4. name resolution ==== */

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
			fail(S, tok, "unresolved arity-%d global array %s, missing"
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
		fail(S, e->tok, "too many array indexes (max %d)", MAX_ARRAY_KEYS);
	struct symbol *g = lookup_var(S, e->name, e->tok, false);
	if (!g || g->kind != SYM_GLOBAL) {
		if (g && arity > 0)
			fail(S, e->tok, "local arrays not allowed ('%s')", e->name);
		fail(S, e->tok, "unresolved arity-%d global array %s, missing"
		     " global declaration?", arity, e->name);
	}
	use_arity(S, g, arity, e->tok);
	return g;
}

static bool is_context_free_point(const struct probe_point *pp)
{
	const char *n = pp->comps[0].name;
	return !strcmp(n, "begin") || !strcmp(n, "end") || !strcmp(n, "error") ||
	       !strcmp(n, "never") || !strcmp(n, "timer");
}

/* Replaces target expression e by the builtin calls that read it. */
static void lower_target(struct sema *S, struct expr *e)
{
	struct probe *p = S->cur_probe;
	const char *why = NULL;
	const struct target_ctx *ctx = NULL;
	if (e->kind == E_TARGET) {
		if (!p)
			fail(S, e->tok, "unresolved target-symbol expression:"
			     " target variables exist only in probe handlers");
		ctx = p->target;
		if (!ctx) {
			if (p->npoints == 1)
				target_ctx_of(S->cc, p->points[0], &why);
			/* stap's words where a point has no such context */
			if (!why || !strcmp(why, "this probe point has no target variables"))
				fail(S, e->tok, "unresolved target-symbol expression");
			fail(S, e->tok, "unresolved target-symbol expression: %s", why);
		}
	}
	const struct token *at = e->tok;
	struct expr *l = target_lower(S->cc, ctx, e, &why, &at);
	if (!l)
		fail(S, at, "%s", why);
	*e = *l;
}

static void res_target(struct sema *S, struct expr *e)
{
	bool ok = S->cur_probe != NULL;
	for (int i = 0; ok && i < S->cur_probe->npoints; i++)
		if (is_context_free_point(S->cur_probe->points[i]))
			ok = false;
	if (!ok)
		fail(S, e->tok, "unresolved target-symbol expression");
}

/* A function becomes live when called from live code; with its whole
   overload chain (reachable through `next`).  Resolved later, in order. */
static void mark_live(struct sema *S, struct func *f)
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
		fail(S, e->tok, "arity mismatch found (function '%s' takes %d"
		     " args)", e->name, any->nargs);
	fail(S, e->tok, "unresolved function %s", e->name);
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
	for (int i = 0; i < S->cur_probe->npoints; i++) {
		const struct probe_point *pp = S->cur_probe->points[i];
		bool is_read = false;
		for (int k = 1; k < pp->ncomps; k++)
			is_read |= !strcmp(pp->comps[k].name, "read");
		if (strcmp(pp->comps[0].name, "procfs") || !is_read)
			fail(S, e->tok, "procfs $value variable is read-only in a"
			     " procfs write probe");
	}
	return true;
}

static void res_lvalue(struct sema *S, struct expr *e, const struct token *op)
{
	if (!is_lvalue(e)) {
		if (e->kind == E_TARGET && target_writable(S, e))
			return;
		if (e->kind == E_TARGET)
			fail(S, e->tok, "writing to target variables requires"
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
			fail(S, e->tok, "wildcard '*' not allowed here");
}

/* Regexes are compiled by the VM's compiler already here, so a bad one
   is a pass-2 error like in stap. */
static void check_regex(struct sema *S, const struct expr *re)
{
	enum { CAP = 64 * 1024 };
	void *buf = malloc(CAP);
	if (!buf)
		abort();
	size_t size;
	struct bt_regex_error err = { .offset = -1 };
	int rc = bt_regex_compile(re->str, re->str_len, buf, CAP, &size, &err);
	free(buf);
	if (rc == 0)
		return;
	if (err.offset >= 0)
		fail(S, re->tok, "regex compilation error (at position %d): %s",
		     (int)err.offset, err.msg[0] ? err.msg : "invalid regex");
	fail(S, re->tok, "regex compilation error: %s",
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
			fail(S, e->tok, "typed values (autocast) need debuginfo,"
			     " which is not supported");
		lower_target(S, e);
		res_expr(S, e);
		return;
	case E_REGEX:
		res_expr(S, e->lhs);
		check_regex(S, e->rhs);
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
			fail(S, b->tok, "slice has %d keys, array has %d",
			     fe->nslice, fe->nkeys);
	} else {
		res_expr(S, fe->base);
		if (fe->nkeys != 1)
			fail(S, fe->base->tok, "a histogram has exactly one key");
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
			fail(S, e->tok, "invalid operand of delete expression");
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
			fail(S, s->tok, "found 'return' not in function context");
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
			fail(S, p->nlocals ? p->locals[0]->tok : c->tok,
			     "probe condition must not use local variables");
	}
	res_stmt(S, p->body);
	S->cur_probe = NULL;
}

/* Orders each same-arity overload group by priority into a chain. */
static void chain_overloads(struct funcset *fs)
{
	for (int i = 0; i < fs->n; i++) {
		struct func *f = fs->v[i];
		struct func *nextf = NULL;
		for (int k = 0; k < fs->n; k++) {
			struct func *g = fs->v[k];
			if (g == f || g->nparams != f->nparams)
				continue;
			/* the next one: lowest priority above f's, ties by order */
			bool after = g->priority > f->priority ||
				     (g->priority == f->priority && k > i);
			if (!after)
				continue;
			if (!nextf || g->priority < nextf->priority)
				nextf = g;
		}
		f->next_overload = nextf;
	}
}

static void chain_all(struct hmap *m)
{
	for (int i = 0; i < m->cap; i++)
		if (m->keys[i])
			chain_overloads(m->vals[i]);
}

/* ==== 5. dead local stores ==== */

/*
 * Like stap, assignments to locals that are never read are dropped before
 * type checking (keeping the right-hand side when it has side effects):
 * alias prologues compute many variables (argstr, ...) a handler may not
 * use.  symbol->stamp counts reads here.
 */
static bool is_local(const struct expr *e)
{
	return e->kind == E_VAR && e->sym && e->sym->kind != SYM_GLOBAL;
}

static void reads_expr(struct expr *e, bool stmt_level)
{
	if (!e)
		return;
	switch (e->kind) {
	case E_VAR:
		if (e->sym && e->sym->kind != SYM_GLOBAL)
			e->sym->stamp++;
		return;
	case E_ASSIGN:
		/* the target of '=' is not read (x += e and x++ read x and
		   stay, as in stap) */
		if (!(is_local(e->lhs) && (e->op == OP_NONE || e->op == OP_AGG)))
			reads_expr(e->lhs, false);
		reads_expr(e->rhs, false);
		return;
	default:
		reads_expr(e->lhs, false);
		reads_expr(e->rhs, false);
		reads_expr(e->cond, false);
		for (int i = 0; i < e->nargs; i++)
			reads_expr(e->args[i], false);
		for (int i = 0; i < e->ncomps; i++)
			reads_expr(e->comps[i].index, false);
		return;
	}
}

static void reads_stmt(struct stmt *s)
{
	if (!s)
		return;
	if (s->kind == S_DELETE) {
		if (!is_local(s->expr))
			reads_expr(s->expr, false);
		return;
	}
	reads_expr(s->expr, s->kind == S_EXPR);
	reads_expr(s->init, true);
	reads_expr(s->step, true);
	reads_stmt(s->then);
	reads_stmt(s->els);
	reads_stmt(s->body);
	reads_stmt(s->catch_body);
	for (int i = 0; i < s->nstmts; i++)
		reads_stmt(s->stmts[i]);
	if (s->fe) {
		reads_expr(s->fe->base, false);
		reads_expr(s->fe->limit, false);
		for (int i = 0; i < s->fe->nslice; i++)
			reads_expr(s->fe->slice[i], false);
		reads_stmt(s->fe->body);
	}
}

/*
 * Side-effect free: no output, no void builtins, no calls of impure script
 * functions, no assignments -- except, inside a function body
 * (`local_writes`), to that function's own locals.
 */
static bool pure_ex(struct sema *S, const struct expr *e, bool local_writes)
{
	if (!e)
		return true;
	switch (e->kind) {
	case E_ASSIGN: case E_PREINC: case E_PREDEC: case E_POSTINC: case E_POSTDEC:
		if (!local_writes || !is_local(e->lhs))
			return false;
		break;
	case E_CALL:
		if (!e->builtin && !e->func)
			return false;
		if (e->builtin && e->builtin->ret == TY_UNKNOWN)
			return false;
		for (const struct func *f = e->func; f; f = f->next_overload)
			if (f->index < 0 || !S->func_pure || !S->func_pure[f->index])
				return false;
		break;
	case E_PRINT:
		if (!e->is_sprint)
			return false;
		break;
	default:
		break;
	}
	if (!pure_ex(S, e->lhs, local_writes) || !pure_ex(S, e->rhs, local_writes) ||
	    !pure_ex(S, e->cond, local_writes))
		return false;
	for (int i = 0; i < e->nargs; i++)
		if (!pure_ex(S, e->args[i], local_writes))
			return false;
	for (int i = 0; i < e->ncomps; i++)
		if (!pure_ex(S, e->comps[i].index, local_writes))
			return false;
	return true;
}

static bool pure(struct sema *S, const struct expr *e)
{
	return pure_ex(S, e, false);
}

static bool pure_body(struct sema *S, const struct stmt *s)
{
	if (!s)
		return true;
	if (s->kind == S_DELETE && !is_local(s->expr))
		return false;
	if (s->kind == S_TRY && s->catch_var && s->catch_var->kind == SYM_GLOBAL)
		return false;
	if (!pure_ex(S, s->expr, true) || !pure_ex(S, s->init, true) ||
	    !pure_ex(S, s->step, true))
		return false;
	if (!pure_body(S, s->then) || !pure_body(S, s->els) ||
	    !pure_body(S, s->body) || !pure_body(S, s->catch_body))
		return false;
	for (int i = 0; i < s->nstmts; i++)
		if (!pure_body(S, s->stmts[i]))
			return false;
	if (s->fe) {
		const struct foreach *fe = s->fe;
		for (int i = 0; i < fe->nkeys; i++)
			if (fe->keys[i]->kind == SYM_GLOBAL)
				return false;
		if (fe->value && fe->value->kind == SYM_GLOBAL)
			return false;
		if (!pure_ex(S, fe->limit, true) || !pure_body(S, fe->body))
			return false;
		for (int i = 0; i < fe->nslice; i++)
			if (!pure_ex(S, fe->slice[i], true))
				return false;
	}
	return true;
}

/* Which live functions have no side effects (greatest fixpoint, so
   recursion alone doesn't make a function impure). */
static void find_pure_funcs(struct sema *S)
{
	int n = S->s->nfuncs;
	S->func_pure = cc_alloc(S->cc, sizeof(bool) * (size_t)(n + 1));
	for (int i = 0; i < n; i++)
		S->func_pure[i] = true;
	bool changed;
	do {
		changed = false;
		for (int i = 0; i < n; i++) {
			if (S->func_pure[i] && !pure_body(S, S->s->funcs[i]->body)) {
				S->func_pure[i] = false;
				changed = true;
			}
		}
	} while (changed);
}

static bool dead(const struct expr *e)
{
	return is_local(e) && e->sym->stamp == 0;
}

/* Returns e with dead stores removed; NULL when nothing is left of a
   statement-level expression. */
static struct expr *elide_expr(struct sema *S, struct expr *e, bool stmt_level)
{
	if (!e)
		return NULL;
	if (e->kind == E_ASSIGN && (e->op == OP_NONE || e->op == OP_AGG) &&
	    dead(e->lhs)) {
		S->changed = true;
		return elide_expr(S, e->rhs, stmt_level);
	}
	e->lhs = elide_expr(S, e->lhs, false);
	e->rhs = elide_expr(S, e->rhs, false);
	e->cond = elide_expr(S, e->cond, false);
	for (int i = 0; i < e->nargs; i++)
		e->args[i] = elide_expr(S, e->args[i], false);
	for (int i = 0; i < e->ncomps; i++)
		e->comps[i].index = elide_expr(S, e->comps[i].index, false);
	return e;
}

/* A statement-level expression after elision: kept only if it still
   does something. */
static struct expr *elide_top(struct sema *S, struct expr *e)
{
	bool before = S->changed;
	S->changed = false;
	struct expr *r = elide_expr(S, e, true);
	bool changed = S->changed;
	/* like stap, statements without side effects go too */
	if (r && pure(S, r)) {
		S->changed = true;
		return NULL;
	}
	S->changed = before || changed;
	return r;
}

static bool empty_stmt(const struct stmt *s)
{
	if (!s || s->kind == S_NULL)
		return true;
	if (s->kind != S_BLOCK)
		return false;
	for (int i = 0; i < s->nstmts; i++)
		if (!empty_stmt(s->stmts[i]))
			return false;
	return true;
}

static void elide_stmt(struct sema *S, struct stmt *s)
{
	if (!s)
		return;
	switch (s->kind) {
	case S_EXPR:
		s->expr = elide_top(S, s->expr);
		if (!s->expr)
			s->kind = S_NULL;
		return;
	case S_DELETE:
		if (dead(s->expr)) {
			s->kind = S_NULL;
			s->expr = NULL;
			S->changed = true;
		}
		return;
	case S_FOR:
	case S_WHILE:
		s->init = elide_top(S, s->init);
		s->step = elide_top(S, s->step);
		break;
	default:
		break;
	}
	s->expr = elide_expr(S, s->expr, false);
	if (s->kind == S_IF && s->expr->kind == E_NUM) {
		/* if (0) / if (1), e.g. after @defined() folding */
		struct stmt *keep = s->expr->num ? s->then : s->els;
		if (keep) {
			*s = *keep;
		} else {
			s->kind = S_NULL;
			s->expr = NULL;
			s->then = s->els = NULL;
		}
		S->changed = true;
		elide_stmt(S, s);
		return;
	}
	elide_stmt(S, s->then);
	elide_stmt(S, s->els);
	if (s->kind == S_FOREACH && empty_stmt(s->fe->body) &&
	    pure(S, s->fe->limit) && !s->fe->value) {
		bool slice_pure = true;
		for (int i = 0; i < s->fe->nslice; i++)
			slice_pure &= pure(S, s->fe->slice[i]);
		if (slice_pure) {
			s->kind = S_NULL;
			s->fe = NULL;
			S->changed = true;
			return;
		}
	}
	if (s->kind == S_IF && pure(S, s->expr) && empty_stmt(s->then) &&
	    empty_stmt(s->els)) {
		/* if (pure) {} else {} does nothing */
		s->kind = S_NULL;
		s->expr = NULL;
		s->then = s->els = NULL;
		S->changed = true;
		return;
	}
	elide_stmt(S, s->body);
	elide_stmt(S, s->catch_body);
	for (int i = 0; i < s->nstmts; i++)
		elide_stmt(S, s->stmts[i]);
	if (s->fe) {
		s->fe->limit = elide_expr(S, s->fe->limit, false);
		for (int i = 0; i < s->fe->nslice; i++)
			s->fe->slice[i] = elide_expr(S, s->fe->slice[i], false);
		elide_stmt(S, s->fe->body);
	}
}

/* Marks locals still referenced at all (stamp = 1). */
static void refs_stmt(struct stmt *s);

static void refs_expr(struct expr *e)
{
	if (!e)
		return;
	if ((e->kind == E_VAR || e->kind == E_INDEX) && e->sym &&
	    e->sym->kind != SYM_GLOBAL)
		e->sym->stamp = 1;
	refs_expr(e->lhs);
	refs_expr(e->rhs);
	refs_expr(e->cond);
	for (int i = 0; i < e->nargs; i++)
		refs_expr(e->args[i]);
	for (int i = 0; i < e->ncomps; i++)
		refs_expr(e->comps[i].index);
}

static void refs_stmt(struct stmt *s)
{
	if (!s)
		return;
	refs_expr(s->expr);
	refs_expr(s->init);
	refs_expr(s->step);
	refs_stmt(s->then);
	refs_stmt(s->els);
	refs_stmt(s->body);
	refs_stmt(s->catch_body);
	if (s->catch_var)
		s->catch_var->stamp = 1;
	for (int i = 0; i < s->nstmts; i++)
		refs_stmt(s->stmts[i]);
	if (s->fe) {
		for (int i = 0; i < s->fe->nkeys; i++)
			s->fe->keys[i]->stamp = 1;
		if (s->fe->value)
			s->fe->value->stamp = 1;
		refs_expr(s->fe->base);
		refs_expr(s->fe->limit);
		for (int i = 0; i < s->fe->nslice; i++)
			refs_expr(s->fe->slice[i]);
		refs_stmt(s->fe->body);
	}
}

static void elide_unit(struct sema *S, struct stmt *body, struct symbol **locals,
		       int *nlocals, int nparams)
{
	for (int round = 0; round < 16; round++) {
		for (int i = 0; i < *nlocals; i++)
			locals[i]->stamp = 0;
		reads_stmt(body);
		S->changed = false;
		elide_stmt(S, body);
		if (!S->changed)
			break;
	}
	/* drop locals nothing mentions any more; renumber the slots */
	for (int i = 0; i < *nlocals; i++)
		locals[i]->stamp = 0;
	refs_stmt(body);
	int n = 0;
	for (int i = 0; i < *nlocals; i++) {
		if (i < nparams || locals[i]->stamp) {
			locals[i]->index = n;
			locals[n++] = locals[i];
		}
		locals[i]->stamp = 0;
	}
	*nlocals = n;
	S->changed = false;
}

/* Live functions again after elision: calls may have gone away. */
static void calls_stmt(struct sema *S, struct stmt *s);

static void calls_expr(struct sema *S, struct expr *e)
{
	if (!e)
		return;
	if (e->kind == E_CALL && e->func)
		mark_live(S, e->func);
	calls_expr(S, e->lhs);
	calls_expr(S, e->rhs);
	calls_expr(S, e->cond);
	for (int i = 0; i < e->nargs; i++)
		calls_expr(S, e->args[i]);
	for (int i = 0; i < e->ncomps; i++)
		calls_expr(S, e->comps[i].index);
}

static void calls_stmt(struct sema *S, struct stmt *s)
{
	if (!s)
		return;
	calls_expr(S, s->expr);
	calls_expr(S, s->init);
	calls_expr(S, s->step);
	calls_stmt(S, s->then);
	calls_stmt(S, s->els);
	calls_stmt(S, s->body);
	calls_stmt(S, s->catch_body);
	for (int i = 0; i < s->nstmts; i++)
		calls_stmt(S, s->stmts[i]);
	if (s->fe) {
		calls_expr(S, s->fe->base);
		calls_expr(S, s->fe->limit);
		for (int i = 0; i < s->fe->nslice; i++)
			calls_expr(S, s->fe->slice[i]);
		calls_stmt(S, s->fe->body);
	}
}

static void prune_funcs(struct sema *S)
{
	struct script *s = S->s;
	for (int i = 0; i < s->nfuncs; i++)
		s->funcs[i]->index = -1;
	s->nfuncs = 0;
	for (int i = 0; i < s->nprobes; i++) {
		for (int k = 0; k < s->probes[i]->npoints; k++)
			calls_expr(S, s->probes[i]->points[k]->cond);
		calls_stmt(S, s->probes[i]->body);
	}
	for (int i = 0; i < s->nfuncs; i++)
		calls_stmt(S, s->funcs[i]->body);
}

static void elide_dead_stores(struct sema *S)
{
	struct script *s = S->s;
	int kept = 0;
	find_pure_funcs(S);
	for (int i = 0; i < s->nprobes; i++) {
		struct probe *p = s->probes[i];
		elide_unit(S, p->body, p->locals, &p->nlocals, 0);
		/* like stap, a handler that does nothing is dropped */
		if (empty_stmt(p->body))
			continue;
		p->index = kept;
		s->probes[kept++] = p;
	}
	s->nprobes = kept;
	if (!kept)
		fail(S, NULL, "no probes found");
	for (int i = 0; i < S->s->nfuncs; i++) {
		struct func *f = S->s->funcs[i];
		elide_unit(S, f->body, f->locals, &f->nlocals, f->nparams);
	}
	prune_funcs(S);
}

/* ==== 6. types ==== */

static void type_error_sym(struct sema *S, const struct token *at,
			   struct symbol *v, enum type want)
{
	if (!v->type_tok)
		fail(S, at, "type mismatch: expected %s but found %s",
		     type_name(want), type_name(v->type));
	diag_sema_error(S->cc, at, "type mismatch (%s)", type_name(want));
	diag_sema_error(S->cc, v->type_tok, "type was first inferred"
			" here (%s)", type_name(v->type));
	longjmp(S->fail, 1);
}

/* Unifies a symbol's value type with t; infers it when still unknown. */
static void sym_type(struct sema *S, struct symbol *v, enum type t,
		     const struct token *at)
{
	if (t == TY_UNKNOWN || v->type == t)
		return;
	if (t == TY_STATS && v->kind != SYM_GLOBAL)
		fail(S, at, "stat locals not supported, missing global"
		     " declaration? ");
	if (v->type == TY_UNKNOWN) {
		v->type = t;
		v->type_tok = at;
		S->changed = true;
		return;
	}
	type_error_sym(S, at, v, t);
}

static void key_type(struct sema *S, struct symbol *g, int i, enum type t,
		     const struct token *at)
{
	if (t == TY_UNKNOWN || g->key_types[i] == t)
		return;
	if (t == TY_STATS)
		fail(S, at, "statistics aggregate used as array index");
	if (g->key_types[i] == TY_UNKNOWN) {
		g->key_types[i] = t;
		S->changed = true;
		return;
	}
	fail(S, at, "index %d type mismatch (%s)", i, type_name(t));
}

/* The result type of e is `have`; the context wants `want`. */
static enum type result(struct sema *S, struct expr *e, enum type have,
			enum type want)
{
	e->type = have;
	if (want != TY_UNKNOWN && have != TY_UNKNOWN && have != want)
		fail(S, e->tok, "type mismatch: expected %s but found %s",
		     type_name(want), type_name(have));
	return have;
}

static enum type ty(struct sema *S, struct expr *e, enum type want);

/* Operand of @count & co / @hist_*: a global stats scalar or element. */
static void ty_stats_operand(struct sema *S, struct expr *op)
{
	if (op->kind != E_VAR && op->kind != E_INDEX)
		fail(S, op->tok, "type mismatch: expected stats but found %s",
		     type_name(ty(S, op, TY_UNKNOWN)));
	ty(S, op, TY_STATS);
}

static bool same_hist(const struct expr *a, const struct expr *b)
{
	if (a->hist_kind != b->hist_kind)
		return false;
	for (int i = 0; i < a->nargs; i++)
		if (a->args[i]->num != b->args[i]->num)
			return false;
	return true;
}

static void ty_hist(struct sema *S, struct expr *h)
{
	ty_stats_operand(S, h->lhs);
	h->type = TY_STATS;
	/* one aggregate keeps one histogram layout */
	struct symbol *v = h->lhs->sym;
	if (v) {
		char key[32];
		snprintf(key, sizeof(key), "%p", (void *)v);
		const struct expr *first = hmap_get(&S->hists, key);
		if (!first)
			hmap_put(S->cc, &S->hists, cc_strdup(S->cc, key), h);
		else if (!same_hist(first, h))
			fail(S, h->tok, "multiple histogram types declared on"
			     " '%s'", v->name);
	}
	if (h->hist_kind == HIST_LINEAR && h->args[2]->num <= 0)
		fail(S, h->args[2]->tok, "histogram interval must be positive");
}

static void ty_keys(struct sema *S, struct symbol *g, struct expr **keys, int n)
{
	for (int i = 0; i < n && i < MAX_ARRAY_KEYS; i++) {
		if (!keys[i])
			continue;
		enum type t = ty(S, keys[i], g->key_types[i]);
		key_type(S, g, i, t, keys[i]->tok);
	}
}

static enum type ty_call(struct sema *S, struct expr *e, enum type want)
{
	if (e->builtin) {
		const struct builtin_sig *b = e->builtin;
		for (int i = 0; i < e->nargs; i++) {
			enum type t = ty(S, e->args[i], b->args[i]);
			if (t == TY_STATS)
				fail(S, e->args[i]->tok, "type mismatch: expected"
				     " long or string but found stats");
		}
		return result(S, e, b->ret, want);
	}
	/* a same-arity overload chain is one function to its callers:
	   parameter and return types are shared */
	enum type ret = TY_UNKNOWN;
	for (struct func *f = e->func; f; f = f->next_overload) {
		for (int i = 0; i < e->nargs; i++) {
			struct symbol *p = f->locals[i];
			enum type t = ty(S, e->args[i], p->type);
			sym_type(S, p, t, e->args[i]->tok);
		}
		if (f->ret_type != TY_UNKNOWN) {
			if (ret != TY_UNKNOWN && ret != f->ret_type)
				fail(S, f->tok, "type mismatch: overloads of '%s'"
				     " return %s and %s", f->name,
				     type_name(ret), type_name(f->ret_type));
			ret = f->ret_type;
		}
	}
	for (struct func *f = e->func; f && ret != TY_UNKNOWN; f = f->next_overload) {
		if (f->ret_type == TY_UNKNOWN) {
			f->ret_type = ret;
			S->changed = true;
		}
	}
	return result(S, e, ret, want);
}

static enum type ty_print(struct sema *S, struct expr *e, enum type want)
{
	if (e->print_kind == PRINT_F) {
		char *types = cc_alloc(S->cc, (size_t)e->nargs + 1);
		bool ok;
		int n = parse_format_args(e->str, types, e->nargs, &ok, NULL);
		if (n != e->nargs)
			fail(S, e->tok, "Wrong number of args to formatted print"
			     " operator");
		for (int i = 0; i < e->nargs; i++)
			ty(S, e->args[i], types[i] == 's' ? TY_STRING : TY_LONG);
	} else if (e->nargs == 1 && e->args[0]->kind == E_HIST &&
		   (e->print_kind == PRINT_PLAIN || e->print_kind == PRINT_LN)) {
		ty_hist(S, e->args[0]);
	} else {
		for (int i = 0; i < e->nargs; i++) {
			enum type t = ty(S, e->args[i], TY_UNKNOWN);
			if (t == TY_STATS)
				fail(S, e->args[i]->tok, "type mismatch: expected"
				     " long or string but found stats");
		}
	}
	return result(S, e, e->is_sprint ? TY_STRING : TY_UNKNOWN, want);
}

/* a = b / a op= b / a <<< b */
static enum type ty_assign(struct sema *S, struct expr *e, enum type want)
{
	struct expr *l = e->lhs;
	if (e->op == OP_AGG) {
		ty(S, l, TY_STATS);
		ty(S, e->rhs, TY_LONG);
		return result(S, e, TY_LONG, want);
	}
	if (e->op == OP_CONCAT) {
		ty(S, l, TY_STRING);
		ty(S, e->rhs, TY_STRING);
		return result(S, e, TY_STRING, want);
	}
	if (e->op != OP_NONE) {
		ty(S, l, TY_LONG);
		ty(S, e->rhs, TY_LONG);
		return result(S, e, TY_LONG, want);
	}
	/* like stap, the value flows right to left: a mismatch is
	   reported at the variable being assigned */
	enum type rt = ty(S, e->rhs, TY_UNKNOWN);
	if (rt == TY_STATS)
		fail(S, e->rhs->tok, "type mismatch: expected long or string"
		     " but found stats");
	enum type lt = ty(S, l, rt != TY_UNKNOWN ? rt : want);
	if (lt == TY_STATS)
		fail(S, e->tok, "cannot assign to statistics aggregate '%s'"
		     " (use <<<)", l->sym ? l->sym->name : "?");
	if (rt == TY_UNKNOWN && lt != TY_UNKNOWN)
		rt = ty(S, e->rhs, lt);
	return result(S, e, lt, want);
}

static bool is_arith(enum op op)
{
	return op != OP_CONCAT && !(op >= OP_LT && op <= OP_NE);
}

static enum type ty(struct sema *S, struct expr *e, enum type want)
{
	switch (e->kind) {
	case E_NUM:
		return result(S, e, TY_LONG, want);
	case E_STR:
		return result(S, e, TY_STRING, want);
	case E_VAR:
		if (e->sym->is_array)
			fail(S, e->tok, "array '%s' used as a scalar", e->sym->name);
		sym_type(S, e->sym, want, e->tok);
		return result(S, e, e->sym->type, want);
	case E_INDEX:
		ty_keys(S, e->sym, e->args, e->nargs);
		sym_type(S, e->sym, want, e->tok);
		return result(S, e, e->sym->type, want);
	case E_IN:
		ty_keys(S, e->lhs->sym, e->lhs->args, e->lhs->nargs);
		e->lhs->type = e->lhs->sym->type;
		return result(S, e, TY_LONG, want);
	case E_CALL:
		return ty_call(S, e, want);
	case E_PRINT:
		return ty_print(S, e, want);
	case E_UNARY:
		ty(S, e->lhs, TY_LONG);
		return result(S, e, TY_LONG, want);
	case E_BINARY:
		if (e->op == OP_CONCAT) {
			ty(S, e->lhs, TY_STRING);
			ty(S, e->rhs, TY_STRING);
			return result(S, e, TY_STRING, want);
		}
		if (is_arith(e->op)) {
			ty(S, e->lhs, TY_LONG);
			ty(S, e->rhs, TY_LONG);
			return result(S, e, TY_LONG, want);
		} else {
			enum type rt = ty(S, e->rhs, TY_UNKNOWN);
			enum type lt = ty(S, e->lhs, rt == TY_STATS ? TY_UNKNOWN : rt);
			if (rt == TY_UNKNOWN && lt != TY_UNKNOWN)
				rt = ty(S, e->rhs, lt);
			if (lt == TY_STATS || rt == TY_STATS)
				fail(S, e->tok, "type mismatch: cannot compare"
				     " statistics aggregates");
			return result(S, e, TY_LONG, want);
		}
	case E_REGEX:
		ty(S, e->lhs, TY_STRING);
		ty(S, e->rhs, TY_STRING);
		return result(S, e, TY_LONG, want);
	case E_ASSIGN:
		return ty_assign(S, e, want);
	case E_PREINC: case E_PREDEC: case E_POSTINC: case E_POSTDEC:
		ty(S, e->lhs, TY_LONG);
		return result(S, e, TY_LONG, want);
	case E_TERNARY: {
		ty(S, e->cond, TY_LONG);
		enum type lt = ty(S, e->lhs, want);
		enum type rt = ty(S, e->rhs, lt != TY_UNKNOWN ? lt : want);
		if (lt == TY_UNKNOWN && rt != TY_UNKNOWN)
			lt = ty(S, e->lhs, rt);
		return result(S, e, lt, want);
	}
	case E_STAT:
		ty_stats_operand(S, e->lhs);
		if (e->rhs)
			ty(S, e->rhs, TY_LONG);
		return result(S, e, TY_LONG, want);
	case E_HIST:
		fail(S, e->tok, "a histogram may only be printed, iterated or"
		     " indexed");
	case E_HIST_BUCKET:
		ty_hist(S, e->lhs);
		ty(S, e->rhs, TY_LONG);
		return result(S, e, TY_LONG, want);
	case E_TARGET:
	case E_CAST:
		if (e->kind == E_TARGET)
			res_target(S, e);
		if (e->lhs)
			ty(S, e->lhs, TY_LONG);
		for (int i = 0; i < e->ncomps; i++)
			if (e->comps[i].index)
				ty(S, e->comps[i].index, TY_LONG);
		/* without debuginfo a target value takes the type its use
		   wants ($value of procfs is a string); long by default */
		if (e->kind == E_TARGET && !e->pretty && want != TY_UNKNOWN &&
		    want != TY_STATS)
			return result(S, e, want, want);
		return result(S, e, e->pretty ? TY_STRING : TY_LONG, want);
	case E_ENTRY:
		return result(S, e, ty(S, e->lhs, want), want);
	case E_PERF:
		return result(S, e, TY_LONG, want);
	case E_DEFINED:
		return result(S, e, TY_LONG, want);
	}
	return TY_UNKNOWN;
}

static void ty_foreach(struct sema *S, struct foreach *fe)
{
	if (fe->base->kind == E_HIST) {
		ty_hist(S, fe->base);
		sym_type(S, fe->keys[0], TY_LONG, fe->key_toks[0]);
		if (fe->value)
			sym_type(S, fe->value, TY_LONG, fe->value_tok);
	} else {
		struct symbol *g = fe->base->sym;
		fe->base->type = g->type;
		if (fe->sort_stat_given && g->type != TY_UNKNOWN &&
		    g->type != TY_STATS)
			fail(S, fe->base->tok, "invalid type %s", type_name(g->type));
		for (int i = 0; i < fe->nkeys; i++) {
			struct symbol *k = fe->keys[i];
			if (g->key_types[i] != TY_UNKNOWN)
				sym_type(S, k, g->key_types[i], fe->key_toks[i]);
			else
				key_type(S, g, i, k->type, fe->key_toks[i]);
		}
		if (fe->value) {
			if (g->type == TY_STATS)
				sym_type(S, fe->value, TY_LONG, fe->value_tok);
			else if (g->type != TY_UNKNOWN)
				sym_type(S, fe->value, g->type, fe->value_tok);
			else
				sym_type(S, g, fe->value->type, fe->value_tok);
		}
		ty_keys(S, g, fe->slice, fe->nslice);
	}
	if (fe->limit)
		ty(S, fe->limit, TY_LONG);
}

static void ty_stmt(struct sema *S, struct stmt *s)
{
	if (!s)
		return;
	switch (s->kind) {
	case S_NULL: case S_BREAK: case S_CONTINUE: case S_NEXT:
		return;
	case S_EXPR:
		ty(S, s->expr, TY_UNKNOWN);
		return;
	case S_BLOCK:
		for (int i = 0; i < s->nstmts; i++)
			ty_stmt(S, s->stmts[i]);
		return;
	case S_IF:
		ty(S, s->expr, TY_LONG);
		ty_stmt(S, s->then);
		ty_stmt(S, s->els);
		return;
	case S_WHILE:
	case S_FOR:
		if (s->init)
			ty(S, s->init, TY_UNKNOWN);
		if (s->expr)
			ty(S, s->expr, TY_LONG);
		if (s->step)
			ty(S, s->step, TY_UNKNOWN);
		ty_stmt(S, s->body);
		return;
	case S_FOREACH:
		ty_foreach(S, s->fe);
		ty_stmt(S, s->fe->body);
		return;
	case S_RETURN:
		if (s->expr && S->cur_func) {
			struct func *f = S->cur_func;
			enum type t = ty(S, s->expr, f->ret_type);
			if (t == TY_STATS)
				fail(S, s->expr->tok, "cannot return a statistics"
				     " aggregate");
			if (f->ret_type == TY_UNKNOWN && t != TY_UNKNOWN) {
				f->ret_type = t;
				S->changed = true;
			}
		}
		return;
	case S_DELETE:
		if (s->expr->kind == E_INDEX)
			ty_keys(S, s->expr->sym, s->expr->args, s->expr->nargs);
		return;
	case S_TRY:
		ty_stmt(S, s->body);
		if (s->catch_var)
			sym_type(S, s->catch_var, TY_STRING, s->catch_tok);
		ty_stmt(S, s->catch_body);
		return;
	}
}

static void infer_types(struct sema *S)
{
	do {
		S->changed = false;
		for (int i = 0; i < S->s->nprobes; i++) {
			struct probe *p = S->s->probes[i];
			S->cur_func = NULL;
			S->cur_probe = p;
			for (int k = 0; k < p->npoints; k++)
				if (p->points[k]->cond)
					ty(S, p->points[k]->cond, TY_LONG);
			ty_stmt(S, p->body);
		}
		S->cur_probe = NULL;
		for (int i = 0; i < S->s->nfuncs; i++) {
			S->cur_func = S->s->funcs[i];
			ty_stmt(S, S->cur_func->body);
		}
		S->cur_func = NULL;
	} while (S->changed);
}

/* After the fixpoint: values whose type nothing determined. */
static void unresolved(struct sema *S, const struct token *t)
{
	fail(S, t, "unresolved type ");
}

static void check_sym_known(struct sema *S, struct symbol *v,
			    const struct token *at)
{
	if (v->type == TY_UNKNOWN)
		unresolved(S, at);
	for (int i = 0; v->is_array && i < v->nkeys; i++)
		if (v->key_types[i] == TY_UNKNOWN)
			unresolved(S, at);
}

static void known_stmt(struct sema *S, struct stmt *s);

static void known_expr(struct sema *S, struct expr *e, bool value)
{
	if (!e)
		return;
	if (e->sym && (e->kind == E_VAR || e->kind == E_INDEX))
		check_sym_known(S, e->sym, e->tok);
	if (value && e->type == TY_UNKNOWN && e->kind != E_HIST)
		unresolved(S, e->tok);
	if (e->kind == E_IN) {
		check_sym_known(S, e->lhs->sym, e->lhs->tok);
		for (int i = 0; i < e->lhs->nargs; i++)
			known_expr(S, e->lhs->args[i], true);
		return;
	}
	if (e->kind == E_STAT || e->kind == E_HIST) {
		known_expr(S, e->lhs, false);
		return;
	}
	/* the value of an assignment statement or call is not needed */
	known_expr(S, e->lhs, e->kind != E_HIST_BUCKET);
	known_expr(S, e->rhs, true);
	known_expr(S, e->cond, true);
	for (int i = 0; i < e->nargs; i++)
		known_expr(S, e->args[i], e->kind != E_HIST);
	for (int i = 0; i < e->ncomps; i++)
		known_expr(S, e->comps[i].index, true);
}

static void known_stmt(struct sema *S, struct stmt *s)
{
	if (!s)
		return;
	if (s->kind == S_DELETE) {
		if (s->expr->sym)
			check_sym_known(S, s->expr->sym, s->expr->tok);
		for (int i = 0; i < s->expr->nargs; i++)
			known_expr(S, s->expr->args[i], true);
		return;
	}
	known_expr(S, s->expr, s->kind != S_EXPR);
	known_expr(S, s->init, false);
	known_expr(S, s->step, false);
	known_stmt(S, s->then);
	known_stmt(S, s->els);
	known_stmt(S, s->body);
	known_stmt(S, s->catch_body);
	for (int i = 0; i < s->nstmts; i++)
		known_stmt(S, s->stmts[i]);
	if (s->fe) {
		struct foreach *fe = s->fe;
		for (int i = 0; i < fe->nkeys; i++)
			check_sym_known(S, fe->keys[i], fe->key_toks[i]);
		if (fe->value)
			check_sym_known(S, fe->value, fe->value_tok);
		if (fe->base->kind == E_VAR)
			check_sym_known(S, fe->base->sym, fe->base->tok);
		else
			known_expr(S, fe->base->lhs, false);
		for (int i = 0; i < fe->nslice; i++)
			known_expr(S, fe->slice[i], true);
		known_expr(S, fe->limit, true);
		known_stmt(S, fe->body);
	}
}

static void check_known(struct sema *S)
{
	for (int i = 0; i < S->s->nprobes; i++) {
		struct probe *p = S->s->probes[i];
		for (int k = 0; k < p->npoints; k++)
			known_expr(S, p->points[k]->cond, true);
		known_stmt(S, p->body);
		for (int k = 0; k < p->nlocals; k++)
			check_sym_known(S, p->locals[k], p->locals[k]->tok);
	}
	for (int i = 0; i < S->s->nfuncs; i++) {
		struct func *f = S->s->funcs[i];
		known_stmt(S, f->body);
		for (int k = 0; k < f->nlocals; k++)
			check_sym_known(S, f->locals[k], f->locals[k]->tok);
	}
}

/* ==== 7. read/write sets, foreach check, autoprint ==== */

struct rw {
	struct sema *S;
	int unit;			/* stamp base for dedupe */
	struct symbol ***reads, ***writes;
	int *nreads, *nwrites;
	int capr, capw;
	struct func ***callees;
	int *ncallees, capc;
};

static void rw_mark(struct rw *rw, struct symbol *v, bool write)
{
	if (!v || v->kind != SYM_GLOBAL)
		return;
	if (v->stamp >> 2 != rw->unit)
		v->stamp = rw->unit << 2;
	int bit = write ? 2 : 1;
	if (v->stamp & bit)
		return;
	v->stamp |= bit;
	if (write) {
		v->is_written = true;
		vec_push(rw->S->cc, rw->writes, rw->nwrites, &rw->capw, v);
	} else {
		v->is_read = true;
		vec_push(rw->S->cc, rw->reads, rw->nreads, &rw->capr, v);
	}
}

static void rw_expr(struct rw *rw, struct expr *e);

static void rw_lvalue(struct rw *rw, struct expr *l, bool also_read)
{
	rw_mark(rw, l->sym, true);
	if (also_read)
		rw_mark(rw, l->sym, false);
	for (int i = 0; i < l->nargs; i++)
		rw_expr(rw, l->args[i]);
}

static void rw_expr(struct rw *rw, struct expr *e)
{
	if (!e)
		return;
	switch (e->kind) {
	case E_VAR:
	case E_INDEX:
		rw_mark(rw, e->sym, false);
		break;
	case E_IN:
		rw_mark(rw, e->lhs->sym, false);
		for (int i = 0; i < e->lhs->nargs; i++)
			rw_expr(rw, e->lhs->args[i]);
		return;
	case E_ASSIGN:
		rw_lvalue(rw, e->lhs, e->op != OP_NONE && e->op != OP_AGG);
		rw_expr(rw, e->rhs);
		return;
	case E_PREINC: case E_PREDEC: case E_POSTINC: case E_POSTDEC:
		rw_lvalue(rw, e->lhs, true);
		return;
	case E_CALL:
		for (struct func *f = e->func; f; f = f->next_overload) {
			bool seen = false;
			for (int i = 0; i < *rw->ncallees; i++)
				seen |= (*rw->callees)[i] == f;
			if (!seen)
				vec_push(rw->S->cc, rw->callees, rw->ncallees,
					 &rw->capc, f);
		}
		break;
	default:
		break;
	}
	rw_expr(rw, e->lhs);
	rw_expr(rw, e->rhs);
	rw_expr(rw, e->cond);
	for (int i = 0; i < e->nargs; i++)
		rw_expr(rw, e->args[i]);
	for (int i = 0; i < e->ncomps; i++)
		rw_expr(rw, e->comps[i].index);
}

static void rw_stmt(struct rw *rw, struct stmt *s)
{
	if (!s)
		return;
	if (s->kind == S_DELETE) {
		rw_lvalue(rw, s->expr, false);
		return;
	}
	if (s->kind == S_TRY && s->catch_var)
		rw_mark(rw, s->catch_var, true);
	rw_expr(rw, s->expr);
	rw_expr(rw, s->init);
	rw_expr(rw, s->step);
	rw_stmt(rw, s->then);
	rw_stmt(rw, s->els);
	rw_stmt(rw, s->body);
	rw_stmt(rw, s->catch_body);
	for (int i = 0; i < s->nstmts; i++)
		rw_stmt(rw, s->stmts[i]);
	if (s->fe) {
		struct foreach *fe = s->fe;
		rw_expr(rw, fe->base);
		for (int i = 0; i < fe->nkeys; i++)
			rw_mark(rw, fe->keys[i], true);
		if (fe->value)
			rw_mark(rw, fe->value, true);
		for (int i = 0; i < fe->nslice; i++)
			rw_expr(rw, fe->slice[i]);
		rw_expr(rw, fe->limit);
		rw_stmt(rw, fe->body);
	}
}

/* Functions reachable from `from` (not including itself unless on a
   cycle): DFS with a per-root stamp in `seen`. */
static int reach(struct sema *S, struct func *const *from, int nfrom,
		 int *seen, int stamp, struct func **out)
{
	int n = 0, top = 0;
	struct func **stack = malloc(sizeof(*stack) * (size_t)(S->s->nfuncs + 1));
	if (!stack)
		abort();
	for (int i = 0; i < nfrom; i++) {
		if (seen[from[i]->index] == stamp)
			continue;
		seen[from[i]->index] = stamp;
		stack[top++] = from[i];
		out[n++] = from[i];
	}
	while (top) {
		struct func *f = stack[--top];
		for (int i = 0; i < f->ncallees; i++) {
			struct func *g = f->callees[i];
			if (seen[g->index] == stamp)
				continue;
			seen[g->index] = stamp;
			stack[top++] = g;
			out[n++] = g;
		}
	}
	free(stack);
	return n;
}

/* Merges the direct sets of `fs` into the given sets (deduped). */
static void union_sets(struct sema *S, int unit, struct func **fs, int n,
		       struct symbol ***reads, int *nreads,
		       struct symbol ***writes, int *nwrites)
{
	struct symbol **r = NULL, **w = NULL;
	int nr = 0, nw = 0, cr = 0, cw = 0;
	for (int i = 0; i < *nreads; i++) {
		(*reads)[i]->stamp = unit << 2 | 1;
		vec_push(S->cc, &r, &nr, &cr, (*reads)[i]);
	}
	for (int i = 0; i < *nwrites; i++) {
		struct symbol *v = (*writes)[i];
		if (v->stamp >> 2 != unit)
			v->stamp = unit << 2;
		v->stamp |= 2;
		vec_push(S->cc, &w, &nw, &cw, v);
	}
	for (int k = 0; k < n; k++) {
		struct func *f = fs[k];
		/* f->reads are still the direct sets at this point */
		for (int i = 0; i < f->nreads; i++) {
			struct symbol *v = f->reads[i];
			if (v->stamp >> 2 != unit)
				v->stamp = unit << 2;
			if (!(v->stamp & 1)) {
				v->stamp |= 1;
				vec_push(S->cc, &r, &nr, &cr, v);
			}
		}
		for (int i = 0; i < f->nwrites; i++) {
			struct symbol *v = f->writes[i];
			if (v->stamp >> 2 != unit)
				v->stamp = unit << 2;
			if (!(v->stamp & 2)) {
				v->stamp |= 2;
				vec_push(S->cc, &w, &nw, &cw, v);
			}
		}
	}
	*reads = r;
	*nreads = nr;
	*writes = w;
	*nwrites = nw;
}

/* Direct sets and callees of every live unit, then transitive sets. */
static void compute_rw(struct sema *S)
{
	struct script *s = S->s;
	int unit = 1;
	for (int i = 0; i < s->nfuncs; i++) {
		struct func *f = s->funcs[i];
		struct rw rw = { S, unit++, &f->reads, &f->writes, &f->nreads,
				 &f->nwrites, 0, 0, &f->callees, &f->ncallees, 0 };
		rw_stmt(&rw, f->body);
	}
	struct func ***pcallees = cc_alloc(S->cc, sizeof(*pcallees) * (size_t)(s->nprobes + 1));
	int *npcallees = cc_alloc(S->cc, sizeof(int) * (size_t)(s->nprobes + 1));
	for (int i = 0; i < s->nprobes; i++) {
		struct probe *p = s->probes[i];
		struct rw rw = { S, unit++, &p->reads, &p->writes, &p->nreads,
				 &p->nwrites, 0, 0, &pcallees[i], &npcallees[i], 0 };
		for (int k = 0; k < p->npoints; k++)
			rw_expr(&rw, p->points[k]->cond);
		rw_stmt(&rw, p->body);
	}
	/* transitive: compute all from the direct sets before replacing */
	int *seen = calloc((size_t)s->nfuncs + 1, sizeof(int));
	struct func **out = malloc(sizeof(*out) * (size_t)(s->nfuncs + 1));
	if (!seen || !out)
		abort();
	struct symbol ***fr = calloc((size_t)s->nfuncs + 1, sizeof(*fr));
	struct symbol ***fw = calloc((size_t)s->nfuncs + 1, sizeof(*fw));
	int *nfr = calloc((size_t)s->nfuncs + 1, sizeof(int));
	int *nfw = calloc((size_t)s->nfuncs + 1, sizeof(int));
	if (!fr || !fw || !nfr || !nfw)
		abort();
	int st = 1;
	for (int i = 0; i < s->nprobes; i++) {
		struct probe *p = s->probes[i];
		int n = reach(S, pcallees[i], npcallees[i], seen, st++, out);
		union_sets(S, unit++, out, n, &p->reads, &p->nreads, &p->writes,
			   &p->nwrites);
	}
	for (int i = 0; i < s->nfuncs; i++) {
		struct func *f = s->funcs[i];
		int n = reach(S, f->callees, f->ncallees, seen, st, out);
		f->recursive = seen[f->index] == st;
		st++;
		fr[i] = f->reads;
		fw[i] = f->writes;
		nfr[i] = f->nreads;
		nfw[i] = f->nwrites;
		union_sets(S, unit++, out, n, &fr[i], &nfr[i], &fw[i], &nfw[i]);
	}
	for (int i = 0; i < s->nfuncs; i++) {
		struct func *f = s->funcs[i];
		f->reads = fr[i];
		f->writes = fw[i];
		f->nreads = nfr[i];
		f->nwrites = nfw[i];
	}
	free(seen);
	free(out);
	free(fr);
	free(fw);
	free(nfr);
	free(nfw);
}

/* foreach (.. in A) must not modify A, directly or through calls. */
struct fecheck {
	struct sema *S;
	struct symbol *arrays[64];
	int n;
};

static void fe_expr(struct fecheck *fc, struct expr *e);

static void fe_written(struct fecheck *fc, struct symbol *v,
		       const struct token *at)
{
	for (int i = 0; i < fc->n; i++)
		if (fc->arrays[i] == v)
			fail(fc->S, at, "variable '%s' modified during 'foreach'"
			     " iteration", v->name);
}

static void fe_expr(struct fecheck *fc, struct expr *e)
{
	if (!e)
		return;
	if (e->kind == E_ASSIGN || e->kind == E_PREINC || e->kind == E_PREDEC ||
	    e->kind == E_POSTINC || e->kind == E_POSTDEC)
		fe_written(fc, e->lhs->sym, e->lhs->tok);
	if (e->kind == E_CALL && e->func)
		for (struct func *f = e->func; f; f = f->next_overload)
			for (int i = 0; i < f->nwrites; i++)
				fe_written(fc, f->writes[i], e->tok);
	fe_expr(fc, e->lhs);
	fe_expr(fc, e->rhs);
	fe_expr(fc, e->cond);
	for (int i = 0; i < e->nargs; i++)
		fe_expr(fc, e->args[i]);
	for (int i = 0; i < e->ncomps; i++)
		fe_expr(fc, e->comps[i].index);
}

static void fe_stmt(struct fecheck *fc, struct stmt *s)
{
	if (!s)
		return;
	if (s->kind == S_DELETE)
		fe_written(fc, s->expr->sym, s->expr->tok);
	fe_expr(fc, s->expr);
	fe_expr(fc, s->init);
	fe_expr(fc, s->step);
	fe_stmt(fc, s->then);
	fe_stmt(fc, s->els);
	fe_stmt(fc, s->body);
	fe_stmt(fc, s->catch_body);
	for (int i = 0; i < s->nstmts; i++)
		fe_stmt(fc, s->stmts[i]);
	if (s->fe) {
		struct foreach *fe = s->fe;
		struct expr *b = fe->base->kind == E_HIST ? fe->base->lhs : fe->base;
		fe_expr(fc, fe->limit);
		for (int i = 0; i < fe->nslice; i++)
			fe_expr(fc, fe->slice[i]);
		bool pushed = b->sym && fc->n < 64;
		if (pushed)
			fc->arrays[fc->n++] = b->sym;
		fe_stmt(fc, fe->body);
		if (pushed)
			fc->n--;
	}
}

static void check_foreach(struct sema *S)
{
	struct fecheck fc = { .S = S };
	for (int i = 0; i < S->s->nprobes; i++)
		fe_stmt(&fc, S->s->probes[i]->body);
	for (int i = 0; i < S->s->nfuncs; i++)
		fe_stmt(&fc, S->s->funcs[i]->body);
}

/* script->globals: live ones (or all with -u), in declaration order. */
static void finish_globals(struct sema *S, bool keep_all)
{
	for (int i = 0; i < S->nall_globals; i++) {
		struct symbol *g = S->all_globals[i];
		if (!keep_all && !g->is_read && !g->is_written)
			continue;
		g->index = S->s->nglobals;
		vec_push(S->cc, &S->s->globals, &S->s->nglobals, &S->capglobals, g);
		g->autoprint = g->is_written && !g->is_read && !g->from_tapset;
		if (g->init && !g->is_array && g->type == TY_UNKNOWN)
			g->type = g->init->kind == E_NUM ? TY_LONG : TY_STRING;
	}
}

/* Globals with literal initialisers have that type from the start. */
static void init_global_types(struct sema *S)
{
	for (int i = 0; i < S->nall_globals; i++) {
		struct symbol *g = S->all_globals[i];
		if (g->init) {
			/* no type_tok: stap words a clash with an initialised
			   global as "expected T but found U" */
			g->type = g->init->kind == E_NUM ? TY_LONG : TY_STRING;
			g->init->type = g->type;
			g->arity_tok = g->tok;
		}
	}
}

static void resolve_all(struct sema *S, bool keep_all)
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

int sema_check(struct script *s)
{
	struct compiler *cc = s->cc;
	struct sema *S = calloc(1, sizeof(*S));
	if (!S)
		abort();
	S->cc = cc;
	S->s = s;
	bool keep_all = cc->opts && cc->opts->unoptimized;
	int rc = -1;
	if (setjmp(S->fail) == 0) {
		load_tapsets(S);
		chain_all(&S->funcs);
		for (int i = 0; i < S->npriv; i++)
			chain_all(&S->priv_funcs[i]);
		init_global_types(S);
		expand_probes(S);
		validate_points(S);
		prepare_targets(S);
		if (s->nprobes == 0)
			fail(S, NULL, "no probes found");
		resolve_all(S, keep_all);
		if (!keep_all)
			elide_dead_stores(S);
		infer_types(S);
		check_known(S);
		compute_rw(S);
		check_foreach(S);
		finish_globals(S, keep_all);
		rc = 0;
	}
	free(S);
	return rc;
}
