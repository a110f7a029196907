/*
 * scope.c - pass 2, step 1: the declarations of the parsed files into name
 * tables (public, and per file for private ones); overload chains.
 */
#include <string.h>

#include "sema/internal.h"

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

struct symbol *find_global(struct sema *S, const char *name, int file)
{
	if (file < S->npriv) {
		struct symbol *g = hmap_get(&S->priv_globals[file], name);
		if (g)
			return g;
	}
	return hmap_get(&S->globals, name);
}

struct funcset *find_funcs(struct sema *S, const char *name, int file)
{
	if (file < S->npriv) {
		struct funcset *fs = hmap_get(&S->priv_funcs[file], name);
		if (fs)
			return fs;
	}
	return hmap_get(&S->funcs, name);
}

void add_global(struct sema *S, struct symbol *g)
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
void collect_new_files(struct sema *S)
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

static void chain_one(void *fs, void *arg)
{
	chain_overloads(fs);
}

void chain_all(struct hmap *m)
{
	hmap_each(m, chain_one, NULL);
}

