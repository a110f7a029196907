/*
 * timing.c - the -t report (timing.h).
 */
#include <string.h>
#include "timing.h"

void timing_shape(struct bt_stat_shape *shape)
{
	memset(shape, 0, sizeof(*shape));
	shape->variance = 1;
	shape->size = sizeof(struct bt_stat);
}

void timing_from_stat(struct probe_time *t, const struct bt_stat *st)
{
	t->count = st->count;
	t->sum = st->sum;
	t->min = st->min;
	t->max = st->max;
	t->variance = st->variance_s;	/* shift 0: no scaling back */
}

void timing_report(FILE *f, const struct bt_prog *prog, const struct options *o,
		   const struct probe_time *t, bool kernel)
{
	uint32_t i;

	fputs("----- probe hit report: \n", f);
	for (i = 0; i < prog->nprobes; i++) {
		const char *where = i < o->nprobe_where ? o->probe_where[i] : NULL;
		const char *from = i < o->nprobe_where ? o->probe_from[i] : NULL;

		if (!t[i].count)
			continue;
		/* @avg's arithmetic: truncated toward zero, as _stp_div64 */
		fprintf(f, "%s, (%s), hits: %lld, %s: %lldmin/%lldavg/%lldmax, "
			"variance: %lld,%s, index: %u\n",
			bt_prog_str(prog, prog->probes[i].point), where ? where : "<unknown>",
			(long long)t[i].count, kernel ? "cycles" : "nsecs",
			(long long)t[i].min, (long long)(t[i].sum / t[i].count),
			(long long)t[i].max, (long long)t[i].variance,
			from ? from : "", i);
	}
	if (kernel)
		fputs("----- refresh report:\n", f);
	fflush(f);
}
