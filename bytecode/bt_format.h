/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bt_format.h - SystemTap's printf, byte for byte, and histogram buckets.
 *
 * Freestanding (kernel and user space).  Three parts:
 *
 *   1. bt_fmt_parse(): a format string -> components + the kinds of the
 *      arguments it consumes, with SystemTap's grammar and error texts.
 *      The compiler type-checks printf with it; the formatter renders
 *      from its output.
 *   2. bt_fmt_render(): components + arguments -> bytes, with the exact
 *      conversions of SystemTap's runtime (which differ from C's in
 *      places: see the notes on each conversion below).
 *   3. bt_hist_*(): histogram bucketing.  The histogram text is user
 *      space's (userland/hist_render.h): the module sends buckets.
 *
 * Output never depends on NUL termination of arguments: %b and %c can
 * write NUL bytes, so lengths are explicit everywhere.
 */
#ifndef BT_FORMAT_H
#define BT_FORMAT_H

#include "bt_types.h"

/* ------------------------------------------------------------------ */
/* Parsing                                                             */
/* ------------------------------------------------------------------ */

enum bt_fmt_conv {
	BT_FMT_LITERAL = 0,	/* text: fmt[lit_off .. lit_off + lit_len) */
	BT_FMT_SIGNED,		/* %d %i */
	BT_FMT_UNSIGNED,	/* %u */
	BT_FMT_OCTAL,		/* %o */
	BT_FMT_HEX,		/* %x */
	BT_FMT_HEX_UPPER,	/* %X */
	BT_FMT_POINTER,		/* %p: same as %#x */
	BT_FMT_STRING,		/* %s */
	BT_FMT_CHAR,		/* %c */
	BT_FMT_BINARY,		/* %b, %1b %2b %4b %8b, %.Nb */
	BT_FMT_MEMORY,		/* %m: raw bytes */
	BT_FMT_MEMORY_HEX,	/* %M: bytes as lowercase hex pairs */
};

/* Component flags.  The first five are the single allowed flag char. */
#define BT_FMT_F_ZEROPAD	0x01	/* '0' */
#define BT_FMT_F_PLUS		0x02	/* '+' */
#define BT_FMT_F_SPACE		0x04	/* ' ' */
#define BT_FMT_F_LEFT		0x08	/* '-' */
#define BT_FMT_F_SPECIAL	0x10	/* '#' */
#define BT_FMT_F_WIDTH_STAR	0x20	/* '*' width: consumes an int arg */
#define BT_FMT_F_PREC_STAR	0x40	/* '.*' precision: consumes an int arg */

/* Widths and precisions written in the format saturate at this. */
#define BT_FMT_NUM_MAX		0x7fffffff

struct bt_fmt_comp {
	uint8_t conv;		/* enum bt_fmt_conv */
	uint8_t flags;		/* BT_FMT_F_* */
	uint16_t pad;
	int32_t width;		/* -1: none (or '*') */
	int32_t prec;		/* -1: none (or '.*') */
	uint32_t lit_off;	/* BT_FMT_LITERAL: span of the format text */
	uint32_t lit_len;
};

/*
 * Argument kinds, in the order the format consumes them.  '*' widths and
 * precisions come first, as INT, before their conversion's own argument.
 * MEM (%m, %M) is a long (an address) in the script, so the type checker
 * treats it as INT; the VM reads the memory and hands the renderer the
 * bytes as a string argument (see bt_fmt_mem_len()).
 */
enum bt_fmt_argkind {
	BT_FMT_ARG_INT = 1,
	BT_FMT_ARG_STR = 2,
	BT_FMT_ARG_MEM = 3,
};

/* Errors (negative returns). */
enum {
	BT_FMT_OK = 0,
	BT_FMT_EBADCONV = -1,	/* "invalid or missing conversion specifier" */
	BT_FMT_ETRAILING = -2,	/* "trailing incomplete print format conversion" */
	BT_FMT_ETOOMANY = -3,	/* more components or args than the arrays hold */
	BT_FMT_EARGS = -4,	/* render: argument missing or of the wrong kind */
	BT_FMT_EINVAL = -5,	/* bad parameters */
	BT_FMT_EEMPTY = -6,	/* histogram with no samples */
};

struct bt_fmt_error {
	uint32_t offset;	/* byte offset of the offending character */
	uint32_t spec;		/* byte offset of the '%' that starts the spec */
	const char *msg;	/* SystemTap's wording, static text */
};

/*
 * Parse fmt[0 .. len) (the format as the script's string literal gives it,
 * escapes already decoded).  Components go to comps[0 .. max_comps),
 * argument kinds (enum bt_fmt_argkind) to kinds[0 .. max_kinds); either
 * array may be NULL with its max 0 when only counting is wanted, but then
 * BT_FMT_ETOOMANY is not reported for it.  *ncomps / *nkinds get the counts.
 * Returns 0 or a negative BT_FMT_E*, with err (may be NULL) filled in.
 */
int bt_fmt_parse(const char *fmt, size_t len,
		 struct bt_fmt_comp *comps, size_t max_comps, size_t *ncomps,
		 uint8_t *kinds, size_t max_kinds, size_t *nkinds,
		 struct bt_fmt_error *err);

/* Message text for a BT_FMT_E* code. */
const char *bt_fmt_strerror(int code);

/* ------------------------------------------------------------------ */
/* Rendering                                                           */
/* ------------------------------------------------------------------ */

/* One argument: an int, or a byte string (ptr, len; NULs allowed). */
struct bt_fmt_arg {
	uint8_t kind;		/* BT_FMT_ARG_INT or BT_FMT_ARG_STR */
	int64_t i;
	const char *s;
	size_t len;
};

/*
 * Render modes, as SystemTap's two callers of its formatter behave:
 *
 * BT_FMT_SPRINT	sprintf() into a string of capacity cap (MAXSTRINGLEN):
 *			at most cap - 1 bytes, then a NUL; a width or precision
 *			is clamped to the room left at that point (counting
 *			the NUL's byte), so a right-aligned number that does
 *			not fit shows its leading digits, as in stap.
 * BT_FMT_STREAM	printf() to the output stream: at most cap bytes, no
 *			NUL; widths and precisions are clamped to
 *			BT_FMT_STREAM_CLAMP (STP_BUFFER_SIZE), and SystemTap
 *			truncates one printf's output at the same size, so pass
 *			cap = BT_FMT_STREAM_CLAMP to match it.
 */
enum bt_fmt_mode { BT_FMT_SPRINT = 0, BT_FMT_STREAM = 1 };
#define BT_FMT_STREAM_CLAMP	8192

/*
 * Render the parsed format (fmt is the same text given to bt_fmt_parse)
 * with args[0 .. nargs), consumed in the order of its kinds; an INT kind
 * takes an INT arg, STR and MEM take a STR arg.  Extra args are ignored.
 * Writes into buf[0 .. cap) as the mode says; *need (may be NULL) gets the
 * length of the whole rendering (saturating): with STREAM, or when
 * nothing was cut, that is the untruncated length; once SPRINT runs out
 * of room later widths are clamped, so it is then only a lower bound.
 * Returns the number of bytes written (not counting a NUL), or BT_FMT_EARGS.
 */
int64_t bt_fmt_render(const char *fmt, const struct bt_fmt_comp *comps,
		      size_t ncomps, const struct bt_fmt_arg *args, size_t nargs,
		      char *buf, size_t cap, int mode, size_t *need);

/*
 * Same, with arguments split by kind as the VM keeps them: the INT kinds
 * take ints[] in order, the STR and MEM kinds take strs[] in order, with
 * lengths strlens[] or, if strlens is NULL, each string's NUL-terminated
 * length but at most str_max bytes.
 */
int64_t bt_fmt_render_split(const char *fmt, const struct bt_fmt_comp *comps,
			    size_t ncomps, const int64_t *ints, size_t nints,
			    const char *const *strs, const size_t *strlens,
			    size_t nstrs, size_t str_max,
			    char *buf, size_t cap, int mode, size_t *need);

/*
 * How many bytes of memory a %m / %M conversion dumps, given its
 * precision ('.*' value for BT_FMT_F_PREC_STAR, else ignored): the
 * precision if > 0, else 1.  SystemTap refuses more than PAGE_SIZE with
 * the runtime error "N is too many bytes for a memory dump"; that check
 * (on the unclamped value) belongs to the VM.
 */
int64_t bt_fmt_mem_len(const struct bt_fmt_comp *comp, int64_t star_prec);

/*
 * One integer conversion on its own (no NUL added, truncated to cap):
 * conv is BT_FMT_SIGNED .. BT_FMT_POINTER, flags BT_FMT_F_*, width and
 * prec -1 for none.  Returns the untruncated length.
 */
size_t bt_fmt_int(char *buf, size_t cap, int64_t v, int conv, int flags,
		  int32_t width, int32_t prec);

/*
 * The writer the renderers share, with stap's truncation rules: bytes go
 * to buf[pos] while pos < cap; need counts every byte the rendering
 * produces.  Once a byte did not fit, later ones cannot either (pos never
 * moves back), which is how stap's writer behaves too.
 */
struct bt_fmt_out {
	char *buf;
	size_t cap;
	size_t pos;
	size_t need;
};

void bt_fmt_out_byte(struct bt_fmt_out *o, char c);
void bt_fmt_out_fill(struct bt_fmt_out *o, char c, int64_t n);	/* n x c */
void bt_fmt_out_bytes(struct bt_fmt_out *o, const char *s, size_t n);

/* ------------------------------------------------------------------ */
/* Histograms                                                          */
/* ------------------------------------------------------------------ */

/* Kinds: the same values as enum bt_hist_kind in bt_prog.h. */
#define BT_FMT_HIST_LOG		1
#define BT_FMT_HIST_LINEAR	2

#define BT_HIST_LOG_BUCKETS	128
#define BT_HIST_LOG_BUCKET0	64	/* the bucket of 0 */
#define BT_HIST_MAX_BUCKETS	128	/* STP_MAX_BUCKETS, linear incl. under/over */
#define BT_HIST_WIDTH		50	/* '@' columns */
#define BT_HIST_ELISION_DEFAULT	2

/*
 * @hist_log bucket of v, 0 .. 127: 0 -> 64; v > 0 -> 64 + bit length of v;
 * v < 0 -> 64 - bit length of |v| (INT64_MIN -> 0).
 */
int bt_hist_log_bucket(int64_t v);

/*
 * Number of buckets of @hist_linear(start, stop, interval):
 * (stop - start) / interval + 3 (C int division; + underflow and overflow
 * buckets).  SystemTap's runtime refuses the histogram, with a WARNING and
 * a failed start, when interval is 0 (BT_HIST_EZERO) or the count is not
 * in 3 .. BT_HIST_MAX_BUCKETS (BT_HIST_ERANGE); we also give BT_HIST_ERANGE
 * for interval < 0, which its runtime accepts but then buckets wrongly.
 * The runtime stores start/stop/interval as C int, hence int32_t here.
 */
#define BT_HIST_EZERO	(-1)	/* "histogram: interval cannot be zero." */
#define BT_HIST_ERANGE	(-2)	/* "histogram: Number of buckets must be between 1 and 126" */
int bt_hist_linear_nbuckets(int32_t start, int32_t stop, int32_t interval);

/*
 * Linear bucket of v: 0 if v < start (underflow), else
 * (v - start) / interval + 1, clamped to nbuckets - 1 (overflow).
 * v - start wraps as in the runtime's int64 arithmetic.  stop is not used
 * (the bucket count carries it) and is there for symmetry.
 */
int bt_hist_linear_bucket(int64_t v, int32_t start, int32_t stop,
			  int32_t interval, int nbuckets);

#endif /* BT_FORMAT_H */
