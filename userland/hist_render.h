/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hist_render.h - histogram text, SystemTap's byte for byte (user space
 * only; the bucketing is the core's, bytecode/bt_format.h).
 */
#ifndef BYTETAP_HIST_RENDER_H
#define BYTETAP_HIST_RENDER_H

#include "bt_format.h"

/* The label SystemTap prints for log bucket b (0 .. 127). */
int64_t bt_hist_log_value(int b);

/*
 * The text of a histogram, exactly as SystemTap prints it: header line,
 * rows from the first to the last non-empty bucket widened by up to two
 * empty buckets each side, runs of empty rows elided to a "~" line
 * (elision = HIST_ELISION: rows whose neighbours within that distance are
 * all empty are skipped; < 0 elides nothing), and a final empty line.
 * kind is BT_FMT_HIST_LOG (nbuckets must be 128) or BT_FMT_HIST_LINEAR
 * (start, interval as declared; nbuckets from bt_hist_linear_nbuckets()).
 * Writes at most cap - 1 bytes and a NUL (when cap > 0); *need (may be
 * NULL) gets the full length.  Returns the bytes written, BT_FMT_EINVAL, or
 * BT_FMT_EEMPTY when every bucket is 0 (the caller reports SystemTap's
 * "empty aggregate" before getting here).
 */
int64_t bt_hist_render(int kind, const int64_t *buckets, int nbuckets,
		       int32_t start, int32_t interval, int32_t elision,
		       char *buf, size_t cap, size_t *need);

#endif /* BYTETAP_HIST_RENDER_H */
