/*
 * format_histogram_exact.c - bt_hist_*() bucket values the way SystemTap
 * does and print histograms byte for byte as it does: the examples of the
 * inventory (section 6.2) verbatim, then random histograms against a plain
 * reference model of the documented rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#include "check.h"
#include "hist_render.h"

static int64_t bk[BT_HIST_MAX_BUCKETS];
static int nb, kind;
static int32_t h_start, h_stop, h_int;
static char out[1 << 16];

static void linear(int32_t start, int32_t stop, int32_t interval)
{
	kind = BT_FMT_HIST_LINEAR;
	h_start = start;
	h_stop = stop;
	h_int = interval;
	nb = bt_hist_linear_nbuckets(start, stop, interval);
	memset(bk, 0, sizeof(bk));
}

static void logh(void)
{
	kind = BT_FMT_HIST_LOG;
	nb = BT_HIST_LOG_BUCKETS;
	h_start = h_stop = h_int = 0;
	memset(bk, 0, sizeof(bk));
}

static void add(int64_t v)
{
	if (kind == BT_FMT_HIST_LOG)
		bk[bt_hist_log_bucket(v)]++;
	else
		bk[bt_hist_linear_bucket(v, h_start, h_stop, h_int, nb)]++;
}

static const char *render(int32_t elision)
{
	int64_t n = bt_hist_render(kind, bk, nb, h_start, h_int, elision, out,
				   sizeof(out), NULL);

	if (n < 0)
		snprintf(out, sizeof(out), "ERROR %lld", (long long)n);
	return out;
}

static void test_log_buckets(void)
{
	CHECK_INT(bt_hist_log_bucket(0), 64, "log bucket of 0");
	CHECK_INT(bt_hist_log_bucket(1), 65, "log bucket of 1");
	CHECK_INT(bt_hist_log_bucket(2), 66, "log bucket of 2");
	CHECK_INT(bt_hist_log_bucket(3), 66, "log bucket of 3");
	CHECK_INT(bt_hist_log_bucket(4), 67, "log bucket of 4");
	CHECK_INT(bt_hist_log_bucket(7), 67, "log bucket of 7");
	CHECK_INT(bt_hist_log_bucket(INT64_MAX), 127, "log bucket of INT64_MAX");
	CHECK_INT(bt_hist_log_bucket(-1), 63, "log bucket of -1");
	CHECK_INT(bt_hist_log_bucket(-2), 62, "log bucket of -2");
	CHECK_INT(bt_hist_log_bucket(-3), 62, "log bucket of -3");
	CHECK_INT(bt_hist_log_bucket(-INT64_MAX), 1, "log bucket of -INT64_MAX");
	CHECK_INT(bt_hist_log_bucket(INT64_MIN), 0, "log bucket of INT64_MIN");
	CHECK_INT(bt_hist_log_value(64), 0, "log label of bucket 64");
	CHECK_INT(bt_hist_log_value(65), 1, "log label of bucket 65");
	CHECK_INT(bt_hist_log_value(67), 4, "log label of bucket 67");
	CHECK_INT(bt_hist_log_value(127), 1LL << 62, "log label of bucket 127");
	CHECK_INT(bt_hist_log_value(63), -1, "log label of bucket 63");
	CHECK_INT(bt_hist_log_value(62), -2, "log label of bucket 62");
	CHECK(bt_hist_log_value(0) == INT64_MIN, "log label of bucket 0");
	{
		int b, bad = 0;
		int64_t v;

		/* every bucket's label falls in that bucket */
		for (b = 0; b < 128; b++)
			if (bt_hist_log_bucket(bt_hist_log_value(b)) != b)
				bad++;
		/* and powers of two start buckets */
		for (b = 0; b < 63; b++) {
			v = (int64_t)1 << b;
			if (bt_hist_log_bucket(v) != 65 + b ||
			    bt_hist_log_bucket(v - 1) != 64 + b ||
			    bt_hist_log_bucket(-v) != 63 - b)
				bad++;
		}
		CHECK_INT(bad, 0, "log buckets at every power of two");
	}
}

static void test_linear_buckets(void)
{
	CHECK_INT(bt_hist_linear_nbuckets(0, 1500, 50), 33, "(0,1500,50): 33 buckets");
	CHECK_INT(bt_hist_linear_nbuckets(250, 1000, 50), 18, "(250,1000,50): 18 buckets");
	CHECK_INT(bt_hist_linear_nbuckets(0, 7, 2), 6, "(0,7,2): int division");
	CHECK_INT(bt_hist_linear_nbuckets(0, 0, 1), 3, "(0,0,1): 3 buckets");
	CHECK_INT(bt_hist_linear_nbuckets(0, 125, 1), 128, "(0,125,1): 128 buckets");
	CHECK_INT(bt_hist_linear_nbuckets(0, 126, 1), BT_HIST_ERANGE, "(0,126,1): too many");
	CHECK_INT(bt_hist_linear_nbuckets(0, 1500, 0), BT_HIST_EZERO, "interval 0");
	CHECK_INT(bt_hist_linear_nbuckets(0, 1500, -1), BT_HIST_ERANGE, "interval -1");
	CHECK_INT(bt_hist_linear_nbuckets(100, 0, 10), BT_HIST_ERANGE, "stop < start");

	CHECK_INT(bt_hist_linear_bucket(-1, 0, 1500, 50, 33), 0, "underflow");
	CHECK_INT(bt_hist_linear_bucket(0, 0, 1500, 50, 33), 1, "first bucket");
	CHECK_INT(bt_hist_linear_bucket(49, 0, 1500, 50, 33), 1, "first bucket end");
	CHECK_INT(bt_hist_linear_bucket(50, 0, 1500, 50, 33), 2, "second bucket");
	CHECK_INT(bt_hist_linear_bucket(1500, 0, 1500, 50, 33), 31, "1500 is a payload row");
	CHECK_INT(bt_hist_linear_bucket(1549, 0, 1500, 50, 33), 31, "1549 still in it");
	CHECK_INT(bt_hist_linear_bucket(1550, 0, 1500, 50, 33), 32, "1550 overflows");
	CHECK_INT(bt_hist_linear_bucket(INT64_MAX, 0, 1500, 50, 33), 32, "INT64_MAX overflows");
	CHECK_INT(bt_hist_linear_bucket(INT64_MIN, 0, 1500, 50, 33), 0, "INT64_MIN underflows");
	CHECK_INT(bt_hist_linear_bucket(-15, -100, 100, 10, 23), 9, "negative start");
	CHECK_INT(bt_hist_linear_bucket(INT64_MAX, -10, 100, 10, 14), 0,
		  "v - start wraps as in int64 (INT64_MAX - -10 < 0: underflow)");
}

static void test_inventory_examples(void)
{
	/* @hist_linear(a, 0, 1500, 50) of {444, 999} */
	linear(0, 1500, 50);
	add(444);
	add(999);
	CHECK_STR(render(2),
		  "value |-------------------------------------------------- count\n"
		  "  300 |                                                   0\n"
		  "  350 |                                                   0\n"
		  "  400 |@                                                  1\n"
		  "  450 |                                                   0\n"
		  "  500 |                                                   0\n"
		  "      ~\n"
		  "  850 |                                                   0\n"
		  "  900 |                                                   0\n"
		  "  950 |@                                                  1\n"
		  " 1000 |                                                   0\n"
		  " 1050 |                                                   0\n"
		  "\n", "linear (0,1500,50) of {444,999}, HIST_ELISION 2");

	/* @hist_log of {-1, 1} */
	logh();
	add(-1);
	add(1);
	CHECK_STR(render(2),
		  "value |-------------------------------------------------- count\n"
		  "   -4 |                                                   0\n"
		  "   -2 |                                                   0\n"
		  "   -1 |@                                                  1\n"
		  "    0 |                                                   0\n"
		  "    1 |@                                                  1\n"
		  "    2 |                                                   0\n"
		  "    4 |                                                   0\n"
		  "\n", "log of {-1, 1}");

	/* @hist_log of {0}: no rows below 0 */
	logh();
	add(0);
	CHECK_STR(render(2),
		  "value |-------------------------------------------------- count\n"
		  "    0 |@                                                  1\n"
		  "    1 |                                                   0\n"
		  "    2 |                                                   0\n"
		  "\n", "log of {0}");

	/* linear (250,1000,50), key*m samples: under/overflow, scale 14 */
	{
		int k, m;
		const char *s;

		linear(250, 1000, 50);
		for (k = 0; k < 100; k++)
			for (m = 1; m <= 15; m++) {
				add((int64_t)k * m);
				if (m == 12)
					add((int64_t)k * m);
			}
		s = render(2);
		{
			const char *w =
			"value |-------------------------------------------------- count\n"
			" <250 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@   680\n"
			"  250 |@@@@@@                                              94\n";
			CHECK(strncmp(s, w, strlen(w)) == 0,
			      "linear over/under: header, <250 and 250 rows");
		}
		CHECK(strstr(s,
			" 1000 |@                                                   23\n"
			">1000 |@@@@@@@                                            102\n"
			"\n") != NULL && s[strlen(s) - 2] == '\n',
		      "linear over/under: 1000 and >1000 rows, then an empty line");
		CHECK_INT(bk[0], 680, "680 samples below 250");
	}
}

static void test_elision(void)
{
	const char *hdr =
		"value |-------------------------------------------------- count\n";
	char want[4096];

	/* HIST_ELISION=0: every empty row goes, each gap becomes one ~ */
	linear(0, 1500, 50);
	add(444);
	add(999);
	snprintf(want, sizeof(want), "%s"
		 "      ~\n"
		 "  400 |@                                                  1\n"
		 "      ~\n"
		 "  950 |@                                                  1\n"
		 "\n", hdr);
	CHECK_STR(render(0), want, "HIST_ELISION=0");
	/* HIST_ELISION<0: nothing elided */
	{
		const char *s = render(-1);
		int rows = 0;

		for (; *s; s++)
			rows += *s == '\n';
		CHECK_INT(rows, 1 + 16 + 1, "HIST_ELISION=-1: all 16 rows 300..1050");
	}
	/* HIST_ELISION=1: keep one empty neighbour each side */
	snprintf(want, sizeof(want), "%s"
		 "      ~\n"
		 "  350 |                                                   0\n"
		 "  400 |@                                                  1\n"
		 "  450 |                                                   0\n"
		 "      ~\n"
		 "  900 |                                                   0\n"
		 "  950 |@                                                  1\n"
		 " 1000 |                                                   0\n"
		 "\n", hdr);
	CHECK_STR(render(1), want, "HIST_ELISION=1");
	/* huge elision: nothing can be elided (window covers everything) */
	CHECK(strstr(render(1000), "~") == NULL, "HIST_ELISION huge: no ~");

	/* the log column widens for negative labels */
	logh();
	add(-2);
	add(-4096);
	snprintf(want, sizeof(want),
		 " value |-------------------------------------------------- count\n"
		 "       ~\n"
		 " -4096 |@                                                  1\n"
		 "       ~\n"
		 "    -2 |@                                                  1\n"
		 "\n");
	CHECK_STR(render(0), want, "log of {-2,-4096}, HIST_ELISION=0");
}

static void test_scale_and_widths(void)
{
	const char *s;
	int i;

	/* 51 samples: scale 2 (ceil(51/50)), 25 '@' */
	logh();
	for (i = 0; i < 51; i++)
		add(5);
	s = render(2);
	CHECK(strstr(s, "    4 |@@@@@@@@@@@@@@@@@@@@@@@@@                          51\n")
	      != NULL, "scale = ceil(valmax/50)");
	/* big counts widen the count column */
	logh();
	bk[70] = 16689;
	bk[68] = 3;
	s = render(2);
	/* scale = ceil(16689/50) = 334: 49 '@'; count column 5 wide */
	CHECK(strstr(s, "    8 |                                                       3\n") &&
	      strstr(s, "   32 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@  16689\n"),
	      "count column width follows the largest count");
	/* under + over with negative start */
	linear(-100, 100, 10);
	add(-1000);
	add(1000);
	s = render(-1);
	CHECK(strncmp(s, "value |", 7) == 0 && strstr(s, "\n<-100 |@") &&
	      strstr(s, "\n -100 |") && strstr(s, "\n >100 |@"),
	      "linear <-100 / >100 labels, column sized by the < prefix");
	/* empty and invalid */
	linear(0, 10, 1);
	CHECK_STR(render(2), "ERROR -6", "all-empty histogram refused");
	CHECK_INT(bt_hist_render(BT_FMT_HIST_LOG, bk, 10, 0, 0, 2, out,
				 sizeof(out), NULL), BT_FMT_EINVAL,
		  "log histogram must have 128 buckets");
	CHECK_INT(bt_hist_render(7, bk, 10, 0, 0, 2, out, sizeof(out), NULL),
		  BT_FMT_EINVAL, "unknown kind refused");
}

static void test_truncation(void)
{
	char small[40];
	size_t need = 0;
	int64_t n, full;

	logh();
	add(0);
	full = bt_hist_render(kind, bk, nb, 0, 0, 2, out, sizeof(out), NULL);
	n = bt_hist_render(kind, bk, nb, 0, 0, 2, small, sizeof(small), &need);
	CHECK(n == 39 && small[39] == 0 && memcmp(small, out, 39) == 0,
	      "truncated to cap - 1 bytes and NUL-terminated");
	CHECK_INT(need, full, "untruncated length reported");
	n = bt_hist_render(kind, bk, nb, 0, 0, 2, NULL, 0, &need);
	CHECK(n == 0 && (int64_t)need == full, "measure only");
}

/* ---------- reference model of the documented rules, using libc ---------- */

static int dw(int64_t v)
{
	char t[32];
	return snprintf(t, sizeof(t), "%lld", (long long)v);
}

static int64_t label(int i)
{
	if (kind == BT_FMT_HIST_LOG)
		return i == 64 ? 0 : i < 64 ? -(int64_t)(((uint64_t)1 << (63 - i)) - 1) - 1
					    : (int64_t)1 << (i - 65);
	if (i == 0)
		return h_start;
	if (i == nb - 1)
		return h_start + (int64_t)(i - 2) * h_int;
	return h_start + (int64_t)(i - 1) * h_int;
}

static void model(char *dst, size_t cap, int elision)
{
	int low = -1, high = 0, i, k, vs, cs, under = 0, over = 0;
	int64_t vmax = 0, scale;
	size_t p = 0;
	int eliding = 0;

	for (i = 0; i < nb; i++) {
		if (bk[i] > 0 && low < 0)
			low = i;
		if (bk[i] > 0)
			high = i;
		if (bk[i] > vmax)
			vmax = bk[i];
	}
	for (i = 0; i < 2; i++) {
		if (low > 0 && (kind == BT_FMT_HIST_LINEAR || low != 64))
			low--;
		if (high < nb - 1)
			high++;
	}
	if (kind == BT_FMT_HIST_LINEAR) {
		if (low == 0 && bk[0] == 0)
			low++;
		if (high == nb - 1 && bk[high] == 0)
			high--;
		under = low == 0;
		over = high == nb - 1;
	}
	scale = vmax <= 50 ? 1 : (vmax + 49) / 50;
	cs = dw(vmax);
	if (kind == BT_FMT_HIST_LINEAR) {
		int a = dw(h_start) + under;
		int b = dw((int32_t)(h_start + h_int * high)) + over;
		vs = a > b ? a : b;
	} else {
		int a = dw(label(high)), b = dw(label(low));
		vs = a > b ? a : b;
	}
	if (vs < 5)
		vs = 5;
	p += snprintf(dst + p, cap - p, "%*s |", vs, "value");
	for (i = 0; i < 50; i++)
		p += snprintf(dst + p, cap - p, "-");
	p += snprintf(dst + p, cap - p, " count\n");
	for (i = low; i <= high; i++) {
		const char *pre = "";
		int64_t v;

		if (elision >= 0) {
			int e = elision < nb ? elision : nb, lo = low, hi = high, z = 1;

			if (i - e > lo)
				lo = i - e;
			if (i + e < hi)
				hi = i + e;
			for (k = lo; k <= hi; k++)
				if (bk[k])
					z = 0;
			if (z) {
				eliding = 1;
				continue;
			}
			if (eliding) {
				p += snprintf(dst + p, cap - p, "%*s ~\n", vs, "");
				eliding = 0;
			}
		}
		if (kind == BT_FMT_HIST_LINEAR && i == 0)
			pre = "<";
		else if (kind == BT_FMT_HIST_LINEAR && i == nb - 1)
			pre = ">";
		v = label(i);
		p += snprintf(dst + p, cap - p, "%*s%lld |", vs - dw(v), pre,
			      (long long)v);
		for (k = 0; k < bk[i] / scale; k++)
			p += snprintf(dst + p, cap - p, "@");
		p += snprintf(dst + p, cap - p, "%*lld\n",
			      (int)(50 - bk[i] / scale + 1 + cs), (long long)bk[i]);
	}
	snprintf(dst + p, cap - p, "\n");
}

static void test_against_model(void)
{
	static char want[1 << 16];
	int round, bad = 0, total = 0;

	srand(12345);
	for (round = 0; round < 3000; round++) {
		int n = 1 + rand() % 40, i, el = rand() % 6 - 1;

		if (round % 2) {
			int32_t start = rand() % 2000 - 1000;
			int32_t iv = 1 + rand() % 100;
			int32_t stop = start + iv * (rand() % 125);

			linear(start, stop, iv);
			if (nb < 0)
				continue;
		} else {
			logh();
		}
		for (i = 0; i < n; i++) {
			int64_t v;

			switch (rand() % 4) {
			case 0:
				v = rand() % 100 - 50;
				break;
			case 1:
				v = (int64_t)rand() * rand() - (int64_t)rand() * 3;
				break;
			case 2:
				v = (int64_t)(rand() % 3000) - 1500;
				break;
			default:
				v = 0;
				break;
			}
			add(v);
			if (rand() % 5 == 0)	/* big counts now and then */
				bk[rand() % nb] += rand() % 500;
		}
		model(want, sizeof(want), el);
		total++;
		if (strcmp(render(el), want) != 0 && bad++ < 3)
			printf("# mismatch:\n%s\n# model:\n%s\n", out, want);
	}
	printf("# %d random histograms compared\n", total);
	CHECK_INT(bad, 0, "random histograms match the reference model");
}

int main(void)
{
	test_log_buckets();
	test_linear_buckets();
	test_inventory_examples();
	test_elision();
	test_scale_and_widths();
	test_truncation();
	test_against_model();
	return check_done();
}
