// SPDX-License-Identifier: GPL-2.0
/*
 * bt_stats.c - statistics aggregates; see bt_stats.h for the exact
 * semantics reproduced here.  All arithmetic that SystemTap lets wrap is
 * done on uint64_t so that it wraps here too without undefined behaviour.
 */
#include "bt_stats.h"
#include "bt_util.h"

/* SystemTap's _stp_div64: x / 0 is 0 here (no error), x / -1 is -x. */
static int64_t sdiv(int64_t x, int64_t y)
{
	if (y == 0)
		return 0;
	if (y == -1)
		return (int64_t)(0 - (uint64_t)x);
	return x / y;
}

static int64_t wadd(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a + (uint64_t)b);
}

static int64_t wsub(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a - (uint64_t)b);
}

static int64_t wmul(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a * (uint64_t)b);
}

static int64_t wshl(int64_t a, unsigned int sh)
{
	return (int64_t)((uint64_t)a << (sh & 63));
}

static int fits32(int64_t v)
{
	return v >= INT32_MIN && v <= INT32_MAX;
}

int bt_stat_linear_nbuckets(const struct bt_map_decl *decl)
{
	if (!fits32(decl->hist_start) || !fits32(decl->hist_stop) ||
	    !fits32(decl->hist_interval) || decl->hist_stop <= decl->hist_start)
		return -1;
	return bt_hist_linear_nbuckets((int32_t)decl->hist_start,
				       (int32_t)decl->hist_stop,
				       (int32_t)decl->hist_interval);
}

int bt_stat_shape_init(struct bt_stat_shape *shape, const struct bt_map_decl *decl)
{
	int n;

	bt_memset(shape, 0, sizeof(*shape));
	shape->hist_kind = decl->hist_kind;
	shape->variance = !!(decl->flags & BT_MAP_VARIANCE);
	shape->shift = decl->var_shift;
	switch (decl->hist_kind) {
	case BT_HIST_NONE:
		break;
	case BT_HIST_LOG:
		shape->nbuckets = BT_HIST_LOG_BUCKETS;
		break;
	case BT_HIST_LINEAR:
		n = bt_stat_linear_nbuckets(decl);
		if (n < 3 || n > BT_HIST_MAX_BUCKETS)
			return -1;
		shape->nbuckets = (uint32_t)n;
		shape->start = (int32_t)decl->hist_start;
		shape->interval = (int32_t)decl->hist_interval;
		break;
	default:
		return -1;
	}
	shape->size = sizeof(struct bt_stat) + shape->nbuckets * sizeof(int64_t);
	return 0;
}

static void add_hist(const struct bt_stat_shape *shape, struct bt_stat *acc,
		     const struct bt_stat *src)
{
	uint32_t j;

	for (j = 0; j < shape->nbuckets; j++)
		acc->hist[j] = wadd(acc->hist[j], src->hist[j]);
}

static int64_t sq_term(int64_t n, int64_t a, int64_t b)
{
	int64_t d = wsub(a, b);

	return wmul(wmul(n, d), d);
}

void bt_stat_clear(const struct bt_stat_shape *shape, struct bt_stat *st)
{
	bt_memset(st, 0, shape->size);
}

void bt_stat_add(const struct bt_stat_shape *shape, struct bt_stat *st, int64_t v)
{
	if (st->count == 0) {
		st->count = 1;
		st->sum = st->min = st->max = v;
		st->avg_s = wshl(v, shape->shift);
		st->m2 = 0;
	} else {
		st->count++;
		st->sum = wadd(st->sum, v);
		if (v > st->max)
			st->max = v;
		if (v < st->min)
			st->min = v;
		if (shape->variance) {
			int64_t vs = wshl(v, shape->shift);
			/* SystemTap keeps delta in an int: keep the truncation */
			int64_t delta = (int32_t)(uint32_t)(uint64_t)wsub(vs, st->avg_s);

			st->avg_s = wadd(st->avg_s, sdiv(delta, st->count));
			st->m2 = wadd(st->m2, wmul(delta, wsub(vs, st->avg_s)));
			st->variance_s = sdiv(st->m2, st->count - 1);
		}
	}
	if (shape->hist_kind == BT_HIST_LOG) {
		st->hist[bt_hist_log_bucket(v) & (BT_HIST_LOG_BUCKETS - 1)]++;
	} else if (shape->hist_kind == BT_HIST_LINEAR) {
		uint32_t b = (uint32_t)bt_hist_linear_bucket(v, shape->start, 0,
							     shape->interval,
							     (int)shape->nbuckets);

		if (b < shape->nbuckets)	/* always; keeps the store in range */
			st->hist[b]++;
	}
}

void bt_stat_scalar_begin(const struct bt_stat_shape *shape, struct bt_stat *out,
			  int64_t acc[2])
{
	bt_stat_clear(shape, out);
	acc[0] = acc[1] = 0;
}

void bt_stat_scalar_add(const struct bt_stat_shape *shape, struct bt_stat *out,
			const struct bt_stat *sd)
{
	if (!sd || !sd->count)
		return;
	if (out->count == 0) {
		out->min = sd->min;
		out->max = sd->max;
	}
	out->count = wadd(out->count, sd->count);
	out->sum = wadd(out->sum, sd->sum);
	if (sd->max > out->max)
		out->max = sd->max;
	if (sd->min < out->min)
		out->min = sd->min;
	add_hist(shape, out, sd);
}

void bt_stat_scalar_mid(const struct bt_stat_shape *shape, struct bt_stat *out)
{
	if (shape->variance)
		out->avg_s = sdiv(wshl(out->sum, shape->shift), out->count);
}

void bt_stat_scalar_var(const struct bt_stat_shape *shape, const struct bt_stat *out,
			const struct bt_stat *sd, int64_t acc[2])
{
	if (!shape->variance || !sd || !sd->count)
		return;
	acc[0] = wadd(acc[0], sq_term(sd->count, sd->avg_s, out->avg_s));
	acc[1] = wadd(acc[1], wmul(sd->count - 1, sd->variance_s));
}

void bt_stat_scalar_end(const struct bt_stat_shape *shape, struct bt_stat *out,
			const int64_t acc[2])
{
	if (shape->variance)
		out->variance_s = sdiv(wadd(acc[0], acc[1]), out->count - 1);
}

void bt_stat_merge_scalar(const struct bt_stat_shape *shape, struct bt_stat *out,
			  const struct bt_stat *const *parts, unsigned int n)
{
	int64_t acc[2];
	unsigned int i;

	bt_stat_scalar_begin(shape, out, acc);
	for (i = 0; i < n; i++)
		bt_stat_scalar_add(shape, out, parts[i]);
	bt_stat_scalar_mid(shape, out);
	for (i = 0; i < n; i++)
		bt_stat_scalar_var(shape, out, parts[i], acc);
	bt_stat_scalar_end(shape, out, acc);
}

void bt_stat_merge_elem(const struct bt_stat_shape *shape, struct bt_stat *acc,
			const struct bt_stat *src)
{
	int64_t n1, avg1, s;

	if (!src->count)
		return;
	if (!acc->count) {
		bt_memcpy(acc, src, shape->size);
		return;
	}
	n1 = acc->count;
	avg1 = acc->avg_s;
	acc->count = wadd(acc->count, src->count);
	acc->sum = wadd(acc->sum, src->sum);
	if (src->min < acc->min)
		acc->min = src->min;
	if (src->max > acc->max)
		acc->max = src->max;
	if (shape->variance) {
		acc->avg_s = sdiv(wshl(acc->sum, shape->shift), acc->count);
		s = sq_term(n1, avg1, acc->avg_s);
		s = wadd(s, wmul(n1 - 1, acc->variance_s));
		s = wadd(s, sq_term(src->count, src->avg_s, acc->avg_s));
		s = wadd(s, wmul(src->count - 1, src->variance_s));
		acc->variance_s = sdiv(s, acc->count - 1);
	}
	add_hist(shape, acc, src);
}

int bt_stat_extract(const struct bt_stat_shape *shape, const struct bt_stat *st,
		    unsigned int agg, int64_t *out)
{
	if (agg == BT_AGG_COUNT) {
		*out = st->count;
		return 0;
	}
	if (agg == BT_AGG_SUM) {
		*out = st->count ? st->sum : 0;
		return 0;
	}
	if (!st->count)
		return -1;
	switch (agg) {
	case BT_AGG_MIN:
		*out = st->min;
		break;
	case BT_AGG_MAX:
		*out = st->max;
		break;
	case BT_AGG_AVG:
		*out = sdiv(st->sum, st->count);
		break;
	case BT_AGG_VARIANCE:
		/* count 1: SystemTap's variance_s is still 0 here */
		/* x86 masks the shift count, and SystemTap allows 2 * 62 */
		*out = st->count < 2 ? 0 :
		       st->variance_s >> ((2 * shape->shift) & 63);
		break;
	default:
		*out = 0;
		break;
	}
	return 0;
}

int64_t bt_stat_sort_key(const struct bt_stat *st, unsigned int agg)
{
	switch (agg) {
	case BT_AGG_COUNT:
		return st->count;
	case BT_AGG_SUM:
		return st->sum;
	case BT_AGG_MIN:
		return st->min;
	case BT_AGG_MAX:
		return st->max;
	case BT_AGG_AVG:
		return sdiv(st->sum, st->count);
	default:
		return 0;	/* _stp_cmp: "should never happen" */
	}
}
