/*
 * tapsets.c - pass 2, step 2: the tapset index (which file declares which
 * function, global, alias), and pulling in the files the code needs, to
 * closure.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"
#include "parse.h"

#include "sema/internal.h"

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

static void index_file(struct compiler *cc, struct token *toks, int nt,
		       int file, void *arg)
{
	index_tokens(cc, arg, toks, nt, file);
}

static struct tapset_index *tapset_index(struct sema *S)
{
	struct compiler *cc = S->cc;
	if (cc->tsidx)
		return cc->tsidx;
	struct tapset_index *ix = cc_alloc(cc, sizeof(*ix));
	cc->tsidx = ix;
	/* lexical errors in files nobody uses must stay quiet */
	FILE *saved = cc->err;
	int saved_errors = cc->nerrors;
	cc->err = NULL;			/* no error stream: counted only */
	tapset_each_file(cc, ".stp", index_file, ix);
	cc->err = saved;
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
	if (load_files(S, hmap_get(&ix->globals, name)))
		nd->loaded = true;
}

static bool need_visit(struct expr *e, void *arg)
{
	if (e->kind == E_CALL)
		need_func(arg, e->name);
	else if (e->kind == E_VAR || e->kind == E_INDEX)
		need_var(arg, e->name);
	return true;
}

static void need_stmt(struct need *nd, struct stmt *s)
{
	ast_walk_stmt(s, need_visit, nd);
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
	ast_walk_expr(pp->cond, need_visit, nd);
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
void load_tapsets(struct sema *S)
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

