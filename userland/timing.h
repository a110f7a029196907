/*
 * timing.h - the -t report: SystemTap's "probe hit report" at the end of
 * a session, with bytetap's own measurements of each probe's runs.
 */
#ifndef BYTETAP_TIMING_H
#define BYTETAP_TIMING_H

#include <stdbool.h>
#include <stdio.h>
#include "bt_prog.h"
#include "bt_stats.h"
#include "options.h"

/* One probe's handler runs: count, sum, min, max, variance (merged). */
struct probe_time {
	int64_t count, sum, min, max, variance;
};

/*
 * The shape of a per-probe time statistic: no histogram, variance kept
 * (SystemTap's Stat of STAT_OP_MIN/MAX/AVG/VARIANCE), shift 0.
 */
void timing_shape(struct bt_stat_shape *shape);

/* A merged partial as the report's numbers. */
void timing_from_stat(struct probe_time *t, const struct bt_stat *st);

/*
 * Print stap 4.8's report to f: "----- probe hit report: ", then one
 * line per probe that ran,
 *	PP, (FILE:LINE:COL), hits: N, UNIT: MINmin/AVGavg/MAXmax, variance: V,
 *	    from: POINT, index: I
 * (on one line), UNIT "cycles" in the kernel and "nsecs" in user space
 * as stap's kernel and dyninst runtimes say; the kernel runtime then has
 * stap's "----- refresh report:" (empty: bytetap never refreshes probes).
 */
void timing_report(FILE *f, const struct bt_prog *prog, const struct options *o,
		   const struct probe_time *t, bool kernel);

#endif
