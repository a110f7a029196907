/*
 * codegen/probe.c - each probe's declarations (one per point, as sema
 * resolved them) and its handler's lock set, derived from the code it and
 * its callees run.
 */
#include <assert.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "diag.h"
#include "bt_verify.h"

/* Everything function f and what it calls touch, into *all. */
static void collect_access(struct gen *g, uint32_t f, uint8_t *seen,
			   accvec *all)
{
	VEC(uint32_t) todo = { 0 };

	VEC_PUSH(todo, f);
	seen[f] = 1;
	while (todo.n) {
		struct fnacc *fa = &g->fnacc.a[todo.a[--todo.n]];
		size_t i;

		for (i = 0; i < fa->acc.n; i++)
			VEC_PUSH(*all, fa->acc.a[i]);
		for (i = 0; i < fa->callees.n; i++) {
			if (!seen[fa->callees.a[i]]) {
				seen[fa->callees.a[i]] = 1;
				VEC_PUSH(todo, fa->callees.a[i]);
			}
		}
	}
	VEC_FREE(todo);
}

static int access_cmp(const void *a, const void *b)
{
	const struct access *x = a, *y = b;

	if (x->space != y->space)
		return x->space - y->space;
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * The lock set of a handler: a shared lock for what it only reads, the
 * exclusive one for what it writes.  A statistic that is only added to
 * (<<<) needs none: each CPU adds to its own partial, as in SystemTap -
 * unless the program clears or deletes from it somewhere (xcpu), which
 * writes every CPU's partial: then <<< takes the shared lock.
 */
static unsigned handler_locks(struct gen *g, uint32_t f, struct bt_lock_ref **out)
{
	accvec all = { 0 };
	uint8_t *seen = xcalloc(g->fnacc.n + 1, 1);
	struct bt_lock_ref *l;
	size_t i = 0, j;
	unsigned n = 0;

	collect_access(g, f, seen, &all);
	free(seen);
	if (all.n)
		qsort(all.a, all.n, sizeof(*all.a), access_cmp);
	l = xcalloc(all.n + 1, sizeof(*l));
	while (i < all.n) {
		unsigned mode = 0;

		for (j = i; j < all.n && !access_cmp(&all.a[i], &all.a[j]); j++)
			mode |= all.a[j].mode;
		if ((mode & ACC_ADD) && all.a[i].space == BT_LOCK_MAP &&
		    g->map_xcpu[all.a[i].index])
			mode |= ACC_READ;
		if (mode & (ACC_READ | ACC_WRITE)) {
			l[n].space = all.a[i].space;
			l[n].index = all.a[i].index;
			l[n].write = (mode & ACC_WRITE) ? 1 : 0;
			n++;
		}
		i = j;
	}
	VEC_FREE(all);
	*out = l;
	return n;
}

/* Now that all code exists, give each probe its lock set. */
void add_probes(struct gen *g)
{
	size_t i, j;

	g->map_xcpu = xcalloc(g->nmaps_known + 1, 1);
	for (i = 0; i < g->fnacc.n; i++)
		for (j = 0; j < g->fnacc.a[i].acc.n; j++) {
			const struct access *a = &g->fnacc.a[i].acc.a[j];

			if ((a->mode & ACC_XCPU) && a->index < g->nmaps_known)
				g->map_xcpu[a->index] = 1;
		}

	for (i = 0; i < g->probes.n; i++) {
		struct pending_probe *pp = &g->probes.a[i];
		struct bt_lock_ref *locks;
		unsigned n = handler_locks(g, pp->decl.handler, &locks);

		pb_probe(g->pb, &pp->decl, pp->point, pp->symbol, locks, n);
		free(locks);
	}
	VEC_FREE(g->probes);
}

void gen_probe(struct gen *g, struct probe *p)
{
	uint32_t fi = declare_func(g, p->points[0]->text);
	int i;

	for (i = 0; i < p->npoints; i++) {
		struct probe_point *pp = p->points[i];
		struct bt_probe_decl d;

		/* sema declared every point it did not reject (optional) */
		if (!pp->decl) {
			assert(pp->optional);
			continue;
		}
		d = *pp->decl;
		d.handler = fi;
		d.flags = pp->optional ? BT_PROBE_OPTIONAL : 0;
		{
			struct pending_probe pend = { d, pp->text, pp->symbol };

			VEC_PUSH(g->probes, pend);
		}
	}
	gen_probe_body(g, p, fi);
}
