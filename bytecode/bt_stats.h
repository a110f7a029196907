/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bt_stats.h - statistics aggregates (x <<< v), exactly as SystemTap's
 * runtime computes them (runtime/stat-common.c, stat.c, map.c).
 *
 * Each CPU owns a partial (struct bt_stat, followed by the histogram
 * buckets when the variable has one) that only it writes; readers merge
 * the partials.  The arithmetic, including SystemTap's integer quirks, is
 * reproduced on purpose:
 *
 *  - @avg is sum / count, truncated toward zero.
 *  - Variance uses Welford's online algorithm in integers, on values
 *    scaled by << shift, with the running delta truncated to 32 bits
 *    (SystemTap declares it "int").  Per partial:
 *	delta = (int32)((v << sh) - avg_s); avg_s += delta / count;
 *	M2 += delta * ((v << sh) - avg_s); variance_s = M2 / (count - 1)
 *  - A scalar statistic is merged with the "total variance" formula, even
 *    when only one CPU has data (_stp_stat_get):
 *	avg_s = (sum << sh) / n
 *	variance_s = (sum_i n_i (avg_i - avg_s)^2 + (n_i - 1) var_i) / (n - 1)
 *    so samples 1..5 give @variance 12, not 7.
 *  - An array element is merged pairwise, CPU by CPU (_new_map_copy_stat):
 *    the first CPU with data is copied as is, each further one is combined
 *    with the same formula over the two parts.  With one CPU the per-CPU
 *    value is the answer: 18,9,54,1,2,18,18,18,18,18 gives 216 as an array
 *    element but 217 as a scalar.
 *  - @variance = variance_s >> (2 * shift).
 *
 * Variance is only maintained when the map declares BT_MAP_VARIANCE (it
 * costs a division per sample), as SystemTap only does when @variance is
 * extracted somewhere.
 */
#ifndef BT_STATS_H
#define BT_STATS_H

#include "bt_types.h"
#include "bt_isa.h"
#include "bt_prog.h"
#include "bt_format.h"	/* bucketing: bt_hist_*_bucket(), BT_HIST_* */

struct bt_stat {
	int64_t count;
	int64_t sum;
	int64_t min;
	int64_t max;
	int64_t avg_s;		/* running mean << shift */
	int64_t m2;		/* Welford's sum of squared differences */
	int64_t variance_s;	/* M2 / (count - 1), still << 2 * shift */
	int64_t hist[];		/* shape->nbuckets counts */
};

/* What a map declaration says about its statistics; computed once. */
struct bt_stat_shape {
	uint8_t hist_kind;	/* enum bt_hist_kind */
	uint8_t variance;	/* maintain Welford state */
	uint8_t shift;		/* @variance shift */
	uint8_t pad;
	uint32_t nbuckets;	/* 0 without a histogram */
	int32_t start;		/* linear only; SystemTap keeps these in ints */
	int32_t interval;
	uint32_t size;		/* bytes of one struct bt_stat + buckets */
};

/*
 * Fill *shape from a stats map declaration.  Returns 0, or -1 if the
 * histogram parameters are unusable (bt_load() already refused those).
 */
int bt_stat_shape_init(struct bt_stat_shape *shape, const struct bt_map_decl *decl);

/*
 * The buckets of a linear histogram declaration, or -1 if unusable
 * (parameters outside int32, interval <= 0, stop <= start, or more than
 * BT_HIST_MAX_BUCKETS).
 */
int bt_stat_linear_nbuckets(const struct bt_map_decl *decl);

/* Start empty. */
void bt_stat_clear(const struct bt_stat_shape *shape, struct bt_stat *st);

/* x <<< v on one partial (__stp_stat_add). */
void bt_stat_add(const struct bt_stat_shape *shape, struct bt_stat *st, int64_t v);

/*
 * Merge for a scalar: out = all parts[0..n) (NULL entries are skipped),
 * by _stp_stat_get's total-variance formula.  out must not be a part.
 */
void bt_stat_merge_scalar(const struct bt_stat_shape *shape, struct bt_stat *out,
			  const struct bt_stat *const *parts, unsigned int n);

/*
 * The same merge one part at a time, for callers that find the parts one
 * by one: bt_stat_scalar_begin(out); bt_stat_scalar_add(out, part) for
 * every part; bt_stat_scalar_mid(out); bt_stat_scalar_var(out, part, acc)
 * for every part again; bt_stat_scalar_end(out, acc).
 */
void bt_stat_scalar_begin(const struct bt_stat_shape *shape, struct bt_stat *out,
			  int64_t acc[2]);
void bt_stat_scalar_add(const struct bt_stat_shape *shape, struct bt_stat *out,
			const struct bt_stat *part);
void bt_stat_scalar_mid(const struct bt_stat_shape *shape, struct bt_stat *out);
void bt_stat_scalar_var(const struct bt_stat_shape *shape, const struct bt_stat *out,
			const struct bt_stat *part, int64_t acc[2]);
void bt_stat_scalar_end(const struct bt_stat_shape *shape, struct bt_stat *out,
			const int64_t acc[2]);

/*
 * Merge for an array element: fold one more CPU's part into acc
 * (_new_map_copy_stat with add = 1).  Start with acc cleared; an empty
 * acc copies src as is.
 */
void bt_stat_merge_elem(const struct bt_stat_shape *shape, struct bt_stat *acc,
			const struct bt_stat *src);

/*
 * Extract statistic agg (enum bt_agg) of a merged stat.  @count and @sum
 * of an empty aggregate are 0; the others return -1 ("empty aggregate").
 */
int bt_stat_extract(const struct bt_stat_shape *shape, const struct bt_stat *st,
		    unsigned int agg, int64_t *out);

/* The sort key SystemTap's _stp_cmp uses for statistic agg (variance: 0). */
int64_t bt_stat_sort_key(const struct bt_stat *st, unsigned int agg);

#endif /* BT_STATS_H */
