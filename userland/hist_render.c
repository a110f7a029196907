// SPDX-License-Identifier: GPL-2.0
/*
 * hist_render.c - the text of a histogram, exactly as SystemTap prints
 * it (hist_render.h).  User space only: the module sends the buckets in a
 * HIST record and bin/bytetap renders them; the bucketing itself is the
 * core's (bytecode/bt_format.c).
 */
#include "hist_render.h"
#include "bt_util.h"

int64_t bt_hist_log_value(int b)
{
	if (b <= 0)
		return (int64_t)(~(uint64_t)0 << 63);	/* INT64_MIN */
	if (b >= BT_HIST_LOG_BUCKETS)
		b = BT_HIST_LOG_BUCKETS - 1;
	if (b == BT_HIST_LOG_BUCKET0)
		return 0;
	if (b < BT_HIST_LOG_BUCKET0)	/* -(2^(63 - b)) */
		return (int64_t)(~(uint64_t)0 << (63 - b));
	return (int64_t)((uint64_t)1 << (b - BT_HIST_LOG_BUCKET0 - 1));
}

/* Characters of v in decimal, with its '-' (stap's needed_space()). */
static int dec_width(int64_t v)
{
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	int n = v < 0 ? 1 : 0;

	do {
		n++;
		u /= 10;
	} while (u);
	return n;
}

/* printf("%d", v) */
static void out_dec(struct bt_fmt_out *o, int64_t v)
{
	char num[24];

	bt_fmt_out_bytes(o, num, bt_fmt_int(num, sizeof(num), v, BT_FMT_SIGNED, 0, -1, -1));
}

/* printf("%*s", width, s) */
static void out_right(struct bt_fmt_out *o, const char *s, size_t len,
		      int64_t width)
{
	bt_fmt_out_fill(o, ' ', width - (int64_t)len);
	bt_fmt_out_bytes(o, s, len);
}

struct hist_shape {
	int low, high;		/* rows printed: [low, high] */
	bool under, over;	/* linear: under/overflow rows shown */
	int64_t valmax;
	int64_t scale;
	int val_space, cnt_space;
};

/* Steps 1-3 of stap's histogram printer: range, scale, column widths. */
static int hist_shape(struct hist_shape *h, int kind, const int64_t *b,
		      int n, int32_t start, int32_t interval)
{
	int i;

	h->low = -1;
	h->high = 0;
	h->valmax = 0;
	h->under = h->over = false;
	for (i = 0; i < n; i++) {
		if (b[i] > 0 && h->low == -1)
			h->low = i;
		if (b[i] > 0)
			h->high = i;
		if (b[i] > h->valmax)
			h->valmax = b[i];
	}
	if (h->low == -1)
		return BT_FMT_EEMPTY;
	/* Up to two empty rows each side; log never grows below 0. */
	for (i = 0; i < 2; i++) {
		if (h->low > 0 &&
		    (kind == BT_FMT_HIST_LINEAR || h->low != BT_HIST_LOG_BUCKET0))
			h->low--;
		if (h->high < n - 1)
			h->high++;
	}
	if (kind == BT_FMT_HIST_LINEAR) {
		if (h->low == 0 && b[0] == 0)
			h->low++;
		if (h->high == n - 1 && b[h->high] == 0)
			h->high--;
		h->under = h->low == 0;
		h->over = h->high == n - 1;
	}
	h->scale = 1;
	if (h->valmax > BT_HIST_WIDTH)
		h->scale = (h->valmax + BT_HIST_WIDTH - 1) / BT_HIST_WIDTH;
	h->cnt_space = dec_width(h->valmax);
	if (kind == BT_FMT_HIST_LINEAR) {
		/*
		 * stap sizes the label column from start + interval * high
		 * (one interval past the last label), in C int arithmetic.
		 */
		int32_t top = (int32_t)((uint32_t)start +
					(uint32_t)interval * (uint32_t)h->high);

		h->val_space = BT_MAX(dec_width(start) + h->under,
				      dec_width(top) + h->over);
	} else {
		h->val_space = BT_MAX(dec_width(bt_hist_log_value(h->high)),
				      dec_width(bt_hist_log_value(h->low)));
	}
	h->val_space = BT_MAX(h->val_space, 5);
	return 0;
}

/* Is row i, with its neighbours within elision rows, all empty? */
static bool hist_elide(const struct hist_shape *h, const int64_t *b, int n,
		       int i, int32_t elision)
{
	int k, lo = h->low, hi = h->high;
	int e = elision > n ? n : (int)elision;

	if (elision < 0)
		return false;
	if (i - e > lo)
		lo = i - e;
	if (i + e < hi)
		hi = i + e;
	for (k = lo; k <= hi; k++) {
		if (b[k] != 0)
			return false;
	}
	return true;
}

static void hist_row(struct bt_fmt_out *o, const struct hist_shape *h, int kind,
		     const int64_t *b, int n, int i, int32_t start,
		     int32_t interval)
{
	const char *prefix = "";
	int64_t val, nat;

	if (kind == BT_FMT_HIST_LINEAR) {
		if (i == 0) {
			val = start;
			prefix = "<";
		} else if (i == n - 1) {
			val = start + (int64_t)(i - 2) * interval;
			prefix = ">";
		} else {
			val = start + (int64_t)(i - 1) * interval;
		}
	} else {
		val = bt_hist_log_value(i);
	}
	out_right(o, prefix, *prefix ? 1 : 0, h->val_space - dec_width(val));
	out_dec(o, val);
	bt_fmt_out_bytes(o, " |", 2);
	nat = b[i] / h->scale;
	bt_fmt_out_fill(o, '@', nat);
	bt_fmt_out_fill(o, ' ', BT_HIST_WIDTH - nat + 1 + h->cnt_space -
		 dec_width(b[i]));
	out_dec(o, b[i]);
	bt_fmt_out_byte(o, '\n');
}

int64_t bt_hist_render(int kind, const int64_t *buckets, int nbuckets,
		       int32_t start, int32_t interval, int32_t elision,
		       char *buf, size_t cap, size_t *need)
{
	struct bt_fmt_out o = { .buf = buf, .cap = (buf && cap) ? cap - 1 : 0 };
	struct hist_shape h;
	bool eliding = false;
	int i, rc;

	if (!buckets ||
	    (kind == BT_FMT_HIST_LOG && nbuckets != BT_HIST_LOG_BUCKETS) ||
	    (kind == BT_FMT_HIST_LINEAR &&
	     (nbuckets < 3 || nbuckets > BT_HIST_MAX_BUCKETS)) ||
	    (kind != BT_FMT_HIST_LOG && kind != BT_FMT_HIST_LINEAR))
		return BT_FMT_EINVAL;
	rc = hist_shape(&h, kind, buckets, nbuckets, start, interval);
	if (rc)
		return rc;

	out_right(&o, "value", 5, h.val_space);
	bt_fmt_out_bytes(&o, " |", 2);
	bt_fmt_out_fill(&o, '-', BT_HIST_WIDTH);
	bt_fmt_out_bytes(&o, " count\n", 7);
	for (i = h.low; i <= h.high; i++) {
		if (hist_elide(&h, buckets, nbuckets, i, elision)) {
			eliding = true;
			continue;
		}
		if (eliding) {
			bt_fmt_out_fill(&o, ' ', h.val_space);
			bt_fmt_out_bytes(&o, " ~\n", 3);
			eliding = false;
		}
		hist_row(&o, &h, kind, buckets, nbuckets, i, start, interval);
	}
	bt_fmt_out_byte(&o, '\n');
	if (buf && cap)
		buf[o.pos] = 0;
	if (need)
		*need = o.need;
	return (int64_t)o.pos;
}
