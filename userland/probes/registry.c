/*
 * registry.c - the table of probe families and the dispatch over it
 * (probes.h).  A new family is a file probes/NAME.c defining
 * `const struct probe_family probe_family_NAME` and one X(NAME) row below.
 */
#include <fnmatch.h>
#include <string.h>

#include "diag.h"
#include "probes/probes.h"

#define PROBE_FAMILIES(X)	\
	X(begin)		\
	X(oneshot)		\
	X(timer)		\
	X(kernel)		\
	X(module)		\
	X(trace)		\
	X(procfs)		\
	X(perf)			\
	X(process)		\
	X(data)			\
	X(mark)			\
	X(netfilter)

#define DECLARE(name) extern const struct probe_family probe_family_##name;
#define ROW(name) &probe_family_##name,
PROBE_FAMILIES(DECLARE)
static const struct probe_family *const families[] = { PROBE_FAMILIES(ROW) };
#define NFAMILIES (sizeof(families) / sizeof(families[0]))

bool pp_comp_is(const struct pp_comp *c, const char *name)
{
	return !strcmp(c->name, name);
}

const char *pp_comp_str(const struct pp_comp *c)
{
	return c->arg && c->arg->kind == E_STR ? c->arg->str : NULL;
}

int64_t pp_comp_num(const struct pp_comp *c, int64_t dflt)
{
	return c->arg && c->arg->kind == E_NUM ? c->arg->num : dflt;
}

/* Number of leading components of pp matching form `pat`; ncomps + 1
 * when the whole point matches. */
static int match_form(const struct probe_point *pp, const char *pat)
{
	const char *c = pat;
	int k = 0;

	while (*c) {
		const char *dot = strchr(c, '.');
		size_t len = dot ? (size_t)(dot - c) : strlen(c);
		const char *paren = memchr(c, '(', len);
		size_t nlen = paren ? (size_t)(paren - c) : len;
		const struct pp_comp *u;
		enum expr_kind want;
		char name[64];

		if (k >= pp->ncomps || nlen >= sizeof(name))
			return k;
		memcpy(name, c, nlen);
		name[nlen] = 0;
		u = &pp->comps[k];
		if (fnmatch(u->name, name, 0) != 0)
			return k;
		want = !paren ? E_PERF : paren[1] == 'n' ? E_NUM : E_STR;
		if (u->arg ? u->arg->kind != want : want != E_PERF)
			return k;
		k++;
		c = dot ? dot + 1 : c + len;
	}
	return k == pp->ncomps ? k + 1 : k;
}

/* The family of the first form pp matches as a whole; *best as in
 * probe_point_valid(). */
static const struct probe_family *find(const struct probe_point *pp, int *best)
{
	size_t f;
	int i, m;

	*best = 0;
	for (f = 0; f < NFAMILIES; f++) {
		for (i = 0; families[f]->forms[i]; i++) {
			m = match_form(pp, families[f]->forms[i]);
			if (m > pp->ncomps)
				return families[f];
			if (m > *best)
				*best = m;
		}
	}
	return NULL;
}

const struct probe_family *probe_family_of(const struct probe_point *pp)
{
	int best;

	return find(pp, &best);
}

bool probe_point_valid(const struct probe_point *pp, int *best)
{
	return find(pp, best) != NULL;
}

bool point_info(struct compiler *cc, const struct probe_point *pp,
		struct point_info *pi)
{
	const struct probe_family *f = probe_family_of(pp);

	memset(pi, 0, sizeof(*pi));
	if (!f || !f->parse || !f->parse(cc, pp, pi)) {
		memset(pi, 0, sizeof(*pi));
		return false;
	}
	return true;
}

void probe_expand_add(struct probe_expand *x, const char *name)
{
	vec_push(x->cc, &x->v, &x->n, &x->cap,
		 point_renamed(x->cc, x->pp, x->k, name));
}

int probe_expand(struct compiler *cc, const struct probe_point *pp,
		 struct probe_point ***out)
{
	const struct probe_family *f = probe_family_of(pp);
	struct probe_expand x = { .cc = cc, .pp = pp };
	struct point_info pi;
	int n;

	if (!f || !f->expand || !point_info(cc, pp, &pi))
		return -1;
	x.k = pi.comp;
	n = f->expand(&x, &pi);
	if (n < 0)
		return n;
	*out = x.v;
	return x.n;
}

bool probe_expands_globs(const struct probe_point *pp)
{
	const struct probe_family *f = probe_family_of(pp);

	return f && f->expand_globs;
}

bool probe_resolves(struct compiler *cc, const struct probe_point *pp)
{
	const struct probe_family *f = probe_family_of(pp);
	struct probe_point **v;
	struct point_info pi;

	if (probe_expand(cc, pp, &v) > 0)
		return true;
	point_info(cc, pp, &pi);
	return !f || !f->resolves || f->resolves(cc, pp, &pi);
}

struct target_ctx *probe_context(struct compiler *cc,
				 const struct probe_point *pp, const char **why)
{
	const struct probe_family *f = probe_family_of(pp);
	struct point_info pi;

	if (!f || !f->context) {
		*why = "this probe point has no target variables";
		return NULL;
	}
	point_info(cc, pp, &pi);
	return f->context(cc, pp, &pi, why);
}

bool probe_context_free(const struct probe_point *pp)
{
	const struct probe_family *f = probe_family_of(pp);

	return f && f->context_free;
}

bool probe_value_writable(const struct probe_point *pp)
{
	const struct probe_family *f = probe_family_of(pp);

	return f && f->value_writable && f->value_writable(pp);
}

bool probe_exits(const struct probe_point *pp)
{
	const struct probe_family *f = probe_family_of(pp);

	return f && f->exits;
}

int probe_lower(struct compiler *cc, const struct probe_point *pp,
		struct bt_probe_decl *d, const char **symbol)
{
	const struct probe_family *f = probe_family_of(pp);
	struct point_info pi;

	*symbol = NULL;
	if (!f || !f->lower)
		return -1;
	point_info(cc, pp, &pi);
	return f->lower(cc, pp, &pi, d, symbol);
}

void probe_list(struct compiler *cc, const struct probe_point *pp,
		probe_emit_fn emit, void *arg)
{
	const struct probe_family *f = probe_family_of(pp);
	struct point_info pi;

	if (!f || !f->list) {
		emit(pp, arg);
		return;
	}
	point_info(cc, pp, &pi);
	f->list(cc, pp, &pi, emit, arg);
}
