/*
 * codegen/globals.c - globals and maps (with each statistic's histogram
 * and @variance shape), and the end probe that prints write-only globals.
 */
#include <assert.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* A statistic's histogram layout, as sema fixed it (sema.h). */
static void hist_shape(struct gslot *gs, const struct expr *h)
{
	gs->hist_kind = h->hist_kind == HIST_LOG ? BT_HIST_LOG : BT_HIST_LINEAR;
	if (gs->hist_kind != BT_HIST_LINEAR)
		return;
	assert(h->nargs == 3 && h->args[0]->kind == E_NUM &&
	       h->args[1]->kind == E_NUM && h->args[2]->kind == E_NUM &&
	       h->args[2]->num > 0);
	gs->hist_start = h->args[0]->num;
	gs->hist_stop = h->args[1]->num;
	gs->hist_interval = h->args[2]->num;
}

void gen_globals(struct gen *g)
{
	struct script *s = g->s;
	int i, k;

	g->gslots = xcalloc(s->nglobals ? s->nglobals : 1, sizeof(*g->gslots));

	for (i = 0; i < s->nglobals; i++) {
		struct symbol *sym = s->globals[i];
		struct gslot *gs = &g->gslots[sym->index];

		if (sym->hist)
			hist_shape(gs, sym->hist);
		gs->variance = sym->var_shift;
		if (sym->is_array || sym->type == TY_STATS) {
			struct bt_map_decl m = { 0 };

			m.nkeys = sym->is_array ? sym->nkeys : 0;
			for (k = 0; k < m.nkeys; k++)
				m.key_kinds[k] = sym->key_types[k] == TY_STRING ?
						 BT_KIND_STR : BT_KIND_INT;
			m.val_kind = sym->type == TY_STATS ? BT_KIND_STATS :
				     sym->type == TY_STRING ? BT_KIND_STR : BT_KIND_INT;
			m.capacity = sym->size > 0 ? (uint32_t)sym->size :
				     (m.nkeys ? g->opts->limits.maxmapentries : 1);
			m.flags = (sym->wrap ? BT_MAP_WRAP : 0) |
				  (sym->size > 0 ? BT_MAP_SIZED : 0);
			m.hist_kind = gs->hist_kind;
			if (gs->variance) {
				m.flags |= BT_MAP_VARIANCE;
				m.var_shift = gs->variance - 1;
			}
			m.hist_start = gs->hist_start;
			m.hist_stop = gs->hist_stop;
			m.hist_interval = gs->hist_interval;
			gs->is_map = 1;
			gs->index = pb_map(g->pb, sym->name, &m);
			g->map_is_stats = xrealloc(g->map_is_stats, gs->index + 1);
			g->map_is_stats[gs->index] = m.val_kind == BT_KIND_STATS;
			if (gs->index + 1 > g->nmaps_known)
				g->nmaps_known = gs->index + 1;
		} else {
			int has = sym->init != NULL;
			uint32_t init = 0;

			if (has && sym->type == TY_STRING)
				init = pb_strconst(g->pb, sym->init->str);
			else if (has)
				init = pb_const(g->pb, sym->init->num);
			gs->index = pb_global(g->pb, sym->name,
					      sym->type == TY_STRING ? BT_KIND_STR : BT_KIND_INT,
					      has, init);
		}
	}
}

/*
 * The end probe SystemTap adds to print globals that are written but
 * never read: scalars as NAME=value, arrays sorted by value descending.
 */
static void autoprint_global(struct fn *f, struct symbol *sym)
{
	struct gen *g = f->g;
	struct gslot *gs = &g->gslots[sym->index];
	int mark_r = f->top_r, mark_s = f->top_s;

	if (!sym->is_array && sym->type != TY_STATS) {
		char *fmt = xasprintf(sym->type == TY_STRING ? "%s=\"%%s\"\n" : "%s=%%d\n",
				      sym->name);
		int r;

		if (sym->type == TY_STRING) {
			r = tmp_s(f);
			emit(f, BT_OP_GSLD, 0, r, gs->index, 0);
			emit(f, BT_OP_PRINTF, 0, pb_format(g->pb, fmt, 0, 1), 0, r);
		} else {
			r = tmp_r(f);
			emit(f, BT_OP_GLD, 0, r, gs->index, 0);
			emit(f, BT_OP_PRINTF, 0, pb_format(g->pb, fmt, 1, 0), r, 0);
		}
		free(fmt);
	} else if (!sym->is_array) {
		/* a scalar statistic */
		static const unsigned aggs[] = { BT_AGG_COUNT, BT_AGG_MIN, BT_AGG_MAX,
						 BT_AGG_SUM, BT_AGG_AVG };
		char *fmt = xasprintf("%s @count=%%d @min=%%d @max=%%d @sum=%%d @avg=%%d\n",
				      sym->name);
		char *fmt0 = xasprintf("%s @count=0x0\n", sym->name);
		struct label *empty = label_new(), *end = label_new();
		int rb = block_r(f, 5), k;

		emit(f, BT_OP_MAGG, 0, rb, gs->index, 0);
		emit(f, BT_OP_EXT, 0, 0, BT_AGG_COUNT, 0);
		jump(f, empty, BT_OP_JZ, 0, rb, 0);
		for (k = 1; k < 5; k++) {
			emit(f, BT_OP_MAGG, 0, rb + k, gs->index, 0);
			emit(f, BT_OP_EXT, 0, 0, aggs[k], 0);
		}
		emit(f, BT_OP_PRINTF, 0, pb_format(g->pb, fmt, 5, 0), rb, 0);
		jump(f, end, BT_OP_JMP, 0, 0, 0);
		label_here(f, empty);
		emit(f, BT_OP_PRINTF, 0, pb_format(g->pb, fmt0, 0, 0), 0, 0);
		label_here(f, end);
		free(fmt);
		free(fmt0);
	} else {
		charvec fmt = { 0 };
		int nk = sym->nkeys, ni = 0, ns = 0, k, it, rb, sb;
		int val_i = sym->type != TY_STRING, nvi, nvs;
		struct label *done = label_new();
		uint32_t head;

		for (k = 0; k < nk; k++)
			sym->key_types[k] == TY_STRING ? ns++ : ni++;
		fmt_append_lit(&fmt, sym->name, strlen(sym->name));
		VEC_PUSH(fmt, '[');
		for (k = 0; k < nk; k++) {
			const char *c = sym->key_types[k] == TY_STRING ? "\"%s\"" : "%d";

			if (k)
				VEC_PUSH(fmt, ',');
			while (*c)
				VEC_PUSH(fmt, *c++);
		}
		{
			const char *tail = sym->type == TY_STATS ?
				"] @count=%d @min=%d @max=%d @sum=%d @avg=%d\n" :
				sym->type == TY_STRING ? "]=\"%s\"\n" : "]=%d\n";
			while (*tail)
				VEC_PUSH(fmt, *tail++);
		}
		VEC_PUSH(fmt, 0);
		nvi = sym->type == TY_STATS ? 5 : val_i;
		nvs = sym->type == TY_STRING;
		/* arguments: key ints then value ints; key strings then value string */
		rb = block_r(f, ni + nvi);
		sb = block_s(f, ns + nvs);
		it = f->top_it++;
		if (f->top_it > f->max_it)
			f->max_it = f->top_it;
		emit(f, BT_OP_ITINIT, BT_SORT_DESC, it, gs->index, 0);
		emit(f, BT_OP_EXT, 0, 0, BT_AGG_COUNT, 0);
		head = pb_pc(g->pb);
		jump(f, done, BT_OP_ITNEXT, 0, it, 0);
		{
			int ci = 0, cs = 0;

			for (k = 0; k < nk; k++) {
				if (sym->key_types[k] == TY_STRING)
					emit(f, BT_OP_ITKEYS, 0, sb + cs++, it, k);
				else
					emit(f, BT_OP_ITKEY, 0, rb + ci++, it, k);
			}
			if (sym->type == TY_STATS) {
				static const unsigned aggs[] = { BT_AGG_COUNT, BT_AGG_MIN,
								 BT_AGG_MAX, BT_AGG_SUM, BT_AGG_AVG };
				for (k = 0; k < 5; k++) {
					emit(f, BT_OP_MAGG, 0, rb + ni + k, gs->index, rb);
					emit(f, BT_OP_EXT, 0, sb, aggs[k], 0);
				}
			} else if (sym->type == TY_STRING) {
				emit(f, BT_OP_ITVALS, 0, sb + ns, it, 0);
			} else {
				emit(f, BT_OP_ITVAL, 0, rb + ni, it, 0);
			}
		}
		emit(f, BT_OP_PRINTF, 0, pb_format(g->pb, fmt.a, ni + nvi, ns + nvs), rb, sb);
		emit(f, BT_OP_LOOP, BT_ACT_LE0, head, 1, 0);
		label_here(f, done);
		f->top_it--;
		VEC_FREE(fmt);
	}
	f->top_r = mark_r;
	f->top_s = mark_s;
}

void gen_autoprint(struct gen *g)
{
	struct script *s = g->s;
	struct fn f = { .g = g };
	struct pending_probe pend = { .decl = { .kind = BT_PROBE_END }, .point = "end" };
	uint32_t fi;
	int i, any = 0;

	for (i = 0; i < s->nglobals; i++)
		any |= s->globals[i]->autoprint;
	if (!any || g->opts->no_global_display)
		return;
	fi = declare_func(g, "end (global display)");
	begin_func(g, fi);
	for (i = 0; i < s->nglobals; i++) {
		if (!s->globals[i]->autoprint)
			continue;
		pb_loc(g->pb, "global display");
		autoprint_global(&f, s->globals[i]);
	}
	emit(&f, BT_OP_RET, 0, 0, 0, 0);
	finish_fn(&f, 0, 0, BT_KIND_NONE);
	pend.decl.handler = fi;
	VEC_PUSH(g->probes, pend);
}
