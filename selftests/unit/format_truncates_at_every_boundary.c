/*
 * format_truncates_at_every_boundary.c - every formatting and string
 * routine of the core, which the kernel runs on program data, ends and
 * stays inside its buffer whatever its arguments: each conversion of the
 * diagnostics formatter (bt_snprintf) and of the script's printf
 * (bt_fmt_render), and each string builtin, is run with extreme
 * arguments at every buffer size from 1 to past the whole output.  At
 * each size: the bytes past the buffer are untouched, the result is
 * NUL-terminated inside it (sprintf mode) and says how much it wrote, and
 * what a cut leaves is the start of the whole output wherever the
 * routine's contract says so.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "bt_format.h"
#include "bt_strfn.h"
#include "bt_util.h"

#define GUARD	32
#define POISON	0xa5

static char long_str[1200];	/* longer than any buffer tried, no NUL */

static int guard_ok(const unsigned char *buf, size_t cap)
{
	size_t i;

	for (i = cap; i < cap + GUARD; i++)
		if (buf[i] != POISON)
			return 0;
	return 1;
}

static unsigned char *fresh(size_t cap)
{
	static unsigned char mem[8192 + GUARD];

	memset(mem, POISON, cap + GUARD);
	return mem;
}

/* --- bt_snprintf: diagnostics ------------------------------------------- */

static int diag_bad;

static void diag_case(const char *what, const char *want, size_t (*fn)(char *, size_t))
{
	size_t full = strlen(want), cap;

	for (cap = 1; cap <= full + 2; cap++) {
		unsigned char *buf = fresh(cap);
		size_t n = fn((char *)buf, cap);
		size_t expect = full < cap ? full : cap - 1;

		if (!guard_ok(buf, cap) || n != expect || buf[n] != 0 ||
		    memcmp(buf, want, n) != 0) {
			printf("# %s at cap %zu: n=%zu\n", what, cap, n);
			diag_bad++;
			return;
		}
	}
}

#define DIAG(name, fmt, ...)						\
	static size_t name(char *b, size_t c)				\
	{ return bt_snprintf(b, c, fmt, __VA_ARGS__); }
DIAG(d_s, "<%s>", long_str)
DIAG(d_s2, "%s%s%s", "ab", long_str, "cd")
static const char *volatile no_str;	/* NULL, out of the compiler's sight */
DIAG(d_null, "%s|", no_str)
DIAG(d_c, "%c%c%c", 'x', 'y', 'z')
DIAG(d_d, "%d %d %d", 0, -1, (int)0x80000000)
DIAG(d_ld, "%ld %lld", (long)INT64_MIN, (long long)INT64_MAX)
DIAG(d_u, "%u %lu %llu", 4294967295u, 0ul, (unsigned long long)UINT64_MAX)
DIAG(d_x, "%x %llx", 0xdeadbeefu, (unsigned long long)UINT64_MAX)
DIAG(d_pct, "%%%d%%", 7)
DIAG(d_mix, "func '%s' pc %u: %s %d", long_str + 900, 12u, "why", -5)

static void diag_formatter(void)
{
	char want[4096];

	snprintf(want, sizeof(want), "<%s>", long_str);
	diag_case("%s long", want, d_s);
	snprintf(want, sizeof(want), "ab%scd", long_str);
	diag_case("%s%s%s", want, d_s2);
	diag_case("%s NULL", "(null)|", d_null);
	diag_case("%c", "xyz", d_c);
	snprintf(want, sizeof(want), "%d %d %d", 0, -1, (int)0x80000000);
	diag_case("%d", want, d_d);
	snprintf(want, sizeof(want), "%ld %lld", (long)INT64_MIN, (long long)INT64_MAX);
	diag_case("%ld %lld", want, d_ld);
	snprintf(want, sizeof(want), "%u %lu %llu", 4294967295u, 0ul,
		 (unsigned long long)UINT64_MAX);
	diag_case("%u", want, d_u);
	snprintf(want, sizeof(want), "%x %llx", 0xdeadbeefu, (unsigned long long)UINT64_MAX);
	diag_case("%x", want, d_x);
	diag_case("%%", "%7%", d_pct);
	snprintf(want, sizeof(want), "func '%s' pc %u: %s %d", long_str + 900, 12u, "why", -5);
	diag_case("mixed", want, d_mix);
	CHECK_INT(diag_bad, 0,
		  "bt_snprintf: every conversion, cut at every size, ends inside the buffer with the output's start");
}

/* --- bt_fmt_render: the script's printf and sprintf ---------------------- */

static const int64_t int_pool[] = { 0, -1, INT64_MIN, INT64_MAX, 255, 1234567 };
static const char *const str_pool[] = { "", "x", long_str, "a\tb\"c" };

static const char *const formats[] = {
	"%d", "%i", "%u", "%o", "%x", "%X", "%p", "%c", "%s", "%b", "%m", "%M",
	"%%", "%-20d|", "%+d", "% d", "%#o", "%#x", "%020d", "%.30d", "%*d",
	"%.*s", "%-*s|", "%300s", "%.3s", "%5c", "%#p", "%*.*d", "%d %x",
	"%s %s %s", "lit %d lit %s lit", "%1000d", "%.1000x", "%0*X", "%.*m",
};

static int render_bad;

static void render_one(const char *fmt, unsigned int rot)
{
	struct bt_fmt_comp comps[32];
	struct bt_fmt_arg args[16];
	uint8_t kinds[16];
	size_t ncomps, nkinds, i, need, cap;
	static char full[16384];
	int64_t nfull;
	int plain = !strpbrk(fmt, "0123456789*.- +#") && !strstr(fmt, "%c");

	if (bt_fmt_parse(fmt, strlen(fmt), comps, 32, &ncomps, kinds, 16, &nkinds, NULL)) {
		printf("# cannot parse %s\n", fmt);
		render_bad++;
		return;
	}
	for (i = 0; i < nkinds; i++) {
		args[i].kind = kinds[i] == BT_FMT_ARG_INT ? BT_FMT_ARG_INT : BT_FMT_ARG_STR;
		args[i].i = int_pool[(i + rot) % 6];
		/* a '*' width or precision gets something sane or huge */
		if (kinds[i] == BT_FMT_ARG_INT && i + 1 < nkinds && strchr(fmt, '*'))
			args[i].i = rot % 2 ? 40 : 100000;
		args[i].s = str_pool[(i + rot) % 4];
		args[i].len = strlen(args[i].s);
	}
	nfull = bt_fmt_render(fmt, comps, ncomps, args, nkinds, full, sizeof(full),
			      BT_FMT_STREAM, &need);
	if (nfull < 0) {
		printf("# render %s failed: %lld\n", fmt, (long long)nfull);
		render_bad++;
		return;
	}
	for (cap = 1; cap <= (size_t)nfull + 2 && cap <= 8192; cap++) {
		unsigned char *buf = fresh(cap);
		int64_t n = bt_fmt_render(fmt, comps, ncomps, args, nkinds, (char *)buf,
					  cap, BT_FMT_SPRINT, &need);

		if (n < 0 || (size_t)n > cap - 1 || buf[n] != 0 || !guard_ok(buf, cap) ||
		    (plain && memcmp(buf, full, (size_t)n) != 0)) {
			printf("# sprint %s rot %u at cap %zu: n=%lld\n", fmt, rot, cap, (long long)n);
			render_bad++;
			return;
		}
		buf = fresh(cap);
		n = bt_fmt_render(fmt, comps, ncomps, args, nkinds, (char *)buf, cap,
				  BT_FMT_STREAM, &need);
		/* %b writes whole binary values, %M whole hex pairs, or none */
		if (n < 0 || (size_t)n > cap || !guard_ok(buf, cap) ||
		    (!strstr(fmt, "%b") && !strstr(fmt, "%M") &&
		     (size_t)n != ((size_t)nfull < cap ? (size_t)nfull : cap)) ||
		    memcmp(buf, full, (size_t)n) != 0) {
			printf("# stream %s rot %u at cap %zu: n=%lld of %lld: %.*s vs %.*s\n", fmt, rot,
			       cap, (long long)n, (long long)nfull, (int)n, (char *)buf, (int)nfull, full);
			render_bad++;
			return;
		}
	}
}

static void script_printf(void)
{
	unsigned int f, rot;

	for (f = 0; f < BT_ARRAY_SIZE(formats); f++)
		for (rot = 0; rot < 4; rot++)
			render_one(formats[f], rot);
	CHECK_INT(render_bad, 0,
		  "printf/sprintf: every conversion with extreme arguments, at every buffer size, stays inside and ends");
}

/* --- string builtins ------------------------------------------------------ */

static int str_bad;

/* Each builtin as "write into dst of cap": returns its length. */
typedef size_t (*strfn)(char *dst, size_t cap, const char *in);

static size_t f_substr(char *d, size_t c, const char *in) { return bt_sf_substr(d, c, in, 1, INT64_MAX - 1); }
static size_t f_replace(char *d, size_t c, const char *in) { return bt_sf_str_replace(d, c, in, "a", "<long replacement>"); }
static size_t f_text(char *d, size_t c, const char *in) { return bt_sf_text_str(d, c, in); }
static size_t f_textn(char *d, size_t c, const char *in) { return bt_sf_text_strn(d, c, in, 0, 1); }
static size_t f_textn5(char *d, size_t c, const char *in) { return bt_sf_text_strn(d, c, in, 5, 1); }
static size_t f_quoted(char *d, size_t c, const char *in) { return bt_sf_string_quoted(d, c, in); }
static size_t f_concat(char *d, size_t c, const char *in) { return bt_str_concat(d, c, in, in); }
static size_t f_long(char *d, size_t c, const char *in) { return bt_str_from_long(d, c, INT64_MIN); }
static size_t f_hex(char *d, size_t c, const char *in) { return bt_str_from_hex(d, c, -1, true); }

static size_t f_tokenize(char *d, size_t c, const char *in)
{
	static char state[8192];
	struct bt_tokenize t;

	bt_sf_tokenize_init(&t, state, c);
	return bt_sf_tokenize(&t, in, " a", d, c);
}

static const struct { const char *name; strfn fn; int prefix; } strfns[] = {
	{ "substr", f_substr, 1 },
	{ "str_replace", f_replace, 1 },
	{ "text_str", f_text, 0 },
	{ "text_strn", f_textn, 0 },
	{ "text_strn(5)", f_textn5, 0 },
	{ "string_quoted", f_quoted, 0 },
	{ "concat", f_concat, 1 },
	{ "from_long", f_long, 1 },
	{ "from_hex", f_hex, 1 },
	{ "tokenize", f_tokenize, 0 },
};

static void string_builtins(void)
{
	static char in[4][1300], full[8192];
	size_t i, k, cap;

	strcpy(in[0], "");
	strcpy(in[1], "banana split");
	memcpy(in[2], long_str, sizeof(long_str));
	in[2][sizeof(long_str)] = 0;
	for (i = 0; i < 1200; i++)	/* every byte value: escapes everywhere */
		in[3][i] = (char)(1 + i % 255);
	in[3][1200] = 0;
	for (k = 0; k < BT_ARRAY_SIZE(strfns); k++) {
		for (i = 0; i < 4; i++) {
			size_t nfull = strfns[k].fn(full, sizeof(full), in[i]);

			for (cap = 1; cap <= nfull + 2 && cap <= 4096; cap++) {
				unsigned char *buf = fresh(cap);
				size_t n = strfns[k].fn((char *)buf, cap, in[i]);

				if (n > cap - 1 || buf[n] != 0 || strlen((char *)buf) != n ||
				    !guard_ok(buf, cap) ||
				    (strfns[k].prefix && memcmp(buf, full, n) != 0)) {
					printf("# %s input %zu at cap %zu: n=%zu\n",
					       strfns[k].name, i, cap, n);
					str_bad++;
					break;
				}
			}
		}
	}
	CHECK_INT(str_bad, 0,
		  "string builtins: every one, on every kind of input, at every buffer size, stays inside and ends");
}

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof(long_str); i++)
		long_str[i] = (char)('a' + i % 26);
	long_str[sizeof(long_str) - 1] = 0;
	diag_formatter();
	script_printf();
	string_builtins();
	return check_done();
}
