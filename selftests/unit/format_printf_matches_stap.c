/*
 * format_printf_matches_stap.c - bt_fmt_parse()/bt_fmt_render() follow
 * SystemTap's printf: its grammar and error texts, its conversions (with
 * the places where they differ from C), and its truncation rules.
 * Where C and SystemTap agree, glibc's snprintf is the oracle.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#include "check.h"
#include "bt_format.h"

#define MAXC 64

static struct bt_fmt_arg I(int64_t v)
{
	struct bt_fmt_arg a = { .kind = BT_FMT_ARG_INT, .i = v };
	return a;
}

static struct bt_fmt_arg S(const char *s)
{
	struct bt_fmt_arg a = { .kind = BT_FMT_ARG_STR, .s = s, .len = strlen(s) };
	return a;
}

static struct bt_fmt_arg B(const char *s, size_t n)
{
	struct bt_fmt_arg a = { .kind = BT_FMT_ARG_STR, .s = s, .len = n };
	return a;
}

static char out[16384];
static int64_t outlen;

/* sprintf-mode render with a capacity; returns out (NUL-terminated). */
static const char *fmt_cap(size_t cap, const char *fmt,
			   const struct bt_fmt_arg *args, size_t nargs)
{
	struct bt_fmt_comp comps[MAXC];
	size_t nc = 0, nk = 0;
	uint8_t kinds[MAXC];
	struct bt_fmt_error err;
	int rc = bt_fmt_parse(fmt, strlen(fmt), comps, MAXC, &nc, kinds, MAXC,
			      &nk, &err);

	if (rc) {
		snprintf(out, sizeof(out), "PARSE-ERROR %d at %u: %s", rc,
			 err.offset, err.msg);
		return out;
	}
	outlen = bt_fmt_render(fmt, comps, nc, args, nargs, out, cap,
			       BT_FMT_SPRINT, NULL);
	if (outlen < 0)
		snprintf(out, sizeof(out), "RENDER-ERROR %lld", (long long)outlen);
	return out;
}

#define F(fmt, ...) ({							\
	struct bt_fmt_arg a_[] = { I(0), __VA_ARGS__ };			\
	fmt_cap(sizeof(out), fmt, a_ + 1, sizeof(a_) / sizeof(a_[0]) - 1); \
})
#define F0(fmt) fmt_cap(sizeof(out), fmt, NULL, 0)

/* stream-mode render: raw bytes, no NUL */
static int64_t fmt_stream(char *buf, size_t cap, const char *fmt,
			  const struct bt_fmt_arg *args, size_t nargs,
			  size_t *need)
{
	struct bt_fmt_comp comps[MAXC];
	size_t nc = 0;

	if (bt_fmt_parse(fmt, strlen(fmt), comps, MAXC, &nc, NULL, 0, NULL,
			 NULL))
		return -100;
	return bt_fmt_render(fmt, comps, nc, args, nargs, buf, cap,
			     BT_FMT_STREAM, need);
}

static void test_examples_from_stap_docs(void)
{
	/* systemtap.printf/int1.exp */
	CHECK_STR(F("%016d", I(-1)), "-000000000000001", "%016d of -1");
	CHECK_STR(F("%x", I(-1024)), "fffffffffffffc00", "%x of -1024");
	CHECK_STR(F("%#o", I(1)), "01", "%#o of 1");
	CHECK_STR(F("%u", I(-1)), "18446744073709551615", "%u of -1");
	CHECK_STR(F("%ud", I(5)), "5d", "%ud is %u then a literal d");
	/* stap(1) examples */
	CHECK_STR(F("%c is %s; %x or %X or %p; %d or %u\n", I(97), S("alice"),
		    I(0x1234abcd), I(0x1234abcd), I(0x1234abcd), I(-1), I(-1)),
		  "a is alice; 1234abcd or 1234ABCD or 0x1234abcd; -1 or 18446744073709551615\n",
		  "stap(1) printf example");
	CHECK_STR(F("%#o %#x %#X\n", I(1), I(2), I(3)), "01 0x2 0X3\n",
		  "%#o %#x %#X");
	CHECK_STR(F("%#c %#c %#c\n", I(0), I(9), I(42)), "\\000 \\t *\n",
		  "%#c escapes");
	/* langref: %1b */
	CHECK_STR(F("%3d: %1b%1b%1b\n", I(97), I(97), I(97 - 32), I(97 - 64)),
		  " 97: aA!\n", "%1b langref example");
	CHECK_STR(F("%3d: %1b%1b%1b\n", I(109), I(109), I(109 - 32), I(109 - 64)),
		  "109: mM-\n", "%1b langref example, last line");
	CHECK_STR(F("%d, %s\n", I(10), S("mystring")), "10, mystring\n",
		  "%d, %s");
}

static void test_binary(void)
{
	char buf[64];
	struct bt_fmt_arg a[2] = { I(0xc0dedbad), I(0x12345678) };
	static const unsigned char want[16] = {
		0xad, 0xdb, 0xde, 0xc0, 0, 0, 0, 0,
		0x78, 0x56, 0x34, 0x12, 0, 0, 0, 0 };
	size_t need = 0;
	int64_t n = fmt_stream(buf, sizeof(buf), "%b%b", a, 2, &need);

	CHECK_INT(n, 16, "%b%b writes 16 bytes");
	CHECK_INT(need, 16, "%b%b needs 16 bytes");
	CHECK(memcmp(buf, want, 16) == 0, "%b%b little-endian bytes");

	n = fmt_stream(buf, sizeof(buf), "%2b|%4b|%8b|%1b",
		       (struct bt_fmt_arg[]){ I(0x0102), I(0x03040506),
					      I(0x0708), I(0x1ff) }, 4, NULL);
	CHECK_INT(n, 2 + 1 + 4 + 1 + 8 + 1 + 1, "%Nb sizes");
	CHECK(memcmp(buf, "\x02\x01|\x06\x05\x04\x03|\x08\x07\0\0\0\0\0\0|\xff",
		     n) == 0, "%Nb bytes");

	/* width and precision stand in for each other; odd sizes mean 8 */
	n = fmt_stream(buf, sizeof(buf), "%3b", (struct bt_fmt_arg[]){ I(1) },
		       1, NULL);
	CHECK_INT(n, 8, "%3b writes 8 bytes");
	n = fmt_stream(buf, sizeof(buf), "%.2b", (struct bt_fmt_arg[]){ I(0x4142) },
		       1, NULL);
	CHECK(n == 2 && memcmp(buf, "BA", 2) == 0, "%.2b writes 2 bytes");
	n = fmt_stream(buf, sizeof(buf), "%4.2b|%-4.2b",
		       (struct bt_fmt_arg[]){ I(0x4142), I(0x4142) }, 2, NULL);
	CHECK(n == 9 && memcmp(buf, "\0\0BA|BA\0\0", 9) == 0,
	      "%4.2b pads with NULs left, %-4.2b right");
	n = fmt_stream(buf, sizeof(buf), "%*b",
		       (struct bt_fmt_arg[]){ I(4), I(0x41424344) }, 2, NULL);
	CHECK(n == 4 && memcmp(buf, "DCBA", 4) == 0, "%*b with 4");
	/* sprint: all of the value or nothing, then go on at the same place */
	{
		struct bt_fmt_arg x[3] = { S("abc"), I(0x4141414141414141LL),
					   S("de") };
		CHECK_STR(fmt_cap(8, "%s%b%s", x, 3), "abcde",
			  "%b that does not fit is skipped (sprint)");
	}
}

static void test_numbers(void)
{
	CHECK_STR(F("%d %i", I(INT64_MIN), I(INT64_MAX)),
		  "-9223372036854775808 9223372036854775807", "%d extremes");
	CHECK_STR(F("%-5d|", I(42)), "42   |", "%-5d");
	CHECK_STR(F("%+d %+d", I(5), I(-5)), "+5 -5", "%+d");
	CHECK_STR(F("% d|% d", I(5), I(-5)), " 5|-5", "% d");
	CHECK_STR(F("%5.3d|", I(7)), "  007|", "%5.3d: precision is min digits");
	CHECK_STR(F("%*d|", I(6), I(-12)), "   -12|", "%*d");
	CHECK_STR(F("%-*d|", I(4), I(1)), "1   |", "%-*d");
	CHECK_STR(F("%*d|", I(-4), I(1)), "1|",
		  "negative * width clamps to 0 (not left-justify as in C)");
	CHECK_STR(F("%*d|", I(0x100000003LL), I(1)), "  1|",
		  "* width is truncated to C int first");
	CHECK_STR(F("%.*d|", I(4), I(3)), "0003|", "%.*d");
	CHECK_STR(F("%-05d|", I(3)), "3    |", "%-05d: the 0 is part of the width");
	CHECK_STR(F("%05d|", I(-3)), "-0003|", "%05d negative");
	CHECK_STR(F("%+05d|", I(3)), "   +3|",
		  "%+05d: one flag only, so 05 is the width (no zero padding)");
	CHECK_STR(F("%lx %ld", I(255), I(-2)), "ff -2", "l is accepted and ignored");
	CHECK_STR(F("%o %X", I(8), I(0xabc)), "10 ABC", "%o %X");
	CHECK_STR(F("%p", I(0)), "0x0", "%p of 0");
	CHECK_STR(F("%20p|", I(0x1234)), "              0x1234|", "%20p");
	CHECK_STR(F("%-10p|", I(0x12)), "0x12      |", "%-10p");
	CHECK_STR(F("%010p|", I(0x12)), "0x00000012|", "%010p zero-pads after 0x");
	CHECK_STR(F("%#10x|%#X|", I(255), I(255)), "      0xff|0XFF|",
		  "%#10x / %#X");
	CHECK_STR(F("%#-10x", I(1)), "PARSE-ERROR -1 at 2: invalid or missing conversion specifier",
		  "%#-10x: a second flag is refused");
	/* where stap's formatter differs from C's */
	CHECK_STR(F("%08.3d|", I(5)), "00000005|",
		  "%08.3d: 0 flag still pads with zeros under a precision");
	CHECK_STR(F("%.0d|%.d|", I(0), I(0)), "0|0|", "precision 0 still prints 0");
	CHECK_STR(F("%#x|%#o|%#X", I(0), I(0), I(0)), "0x0|00|0X0",
		  "# prefix even for 0");
	CHECK_STR(F("%#.3o", I(8)), "0010", "%#.3o: prefix and precision both");
	CHECK_STR(F("%#d", I(12)), "12", "%#d: # does nothing in base 10");
	CHECK_STR(F("%+u %+x % o", I(1), I(1), I(1)), "1 1 1",
		  "+ and space only for %d/%i");
	CHECK_STR(F("%.30d", I(-1)), "-000000000000000000000000000001",
		  "long precision");
}

static void test_chars_and_strings(void)
{
	char buf[64];
	int64_t n;

	CHECK_STR(F("%c%c", I(97), I(256 + 98)), "ab", "%c takes the low byte");
	CHECK_STR(F("%3c|%-3c|", I('x'), I('y')), "  x|y  |", "%c width");
	CHECK_STR(F("%#c%#c%#c%#c%#c", I('\n'), I('\''), I('\\'), I(0x7f),
		    I(0xff)), "\\n\\'\\\\\\177\\377", "%#c escapes");
	CHECK_STR(F("%#5c|%#c|", I(1), I('\a')), " \\001|\\a|",
		  "%#c escape padded");
	CHECK_STR(F("%#c", I(' ')), " ", "%#c of space");
	n = fmt_stream(buf, sizeof(buf), "%c", (struct bt_fmt_arg[]){ I(0) },
		       1, NULL);
	CHECK(n == 1 && buf[0] == 0, "%c of 0 is a NUL byte");

	CHECK_STR(F("[%s]", S("")), "[]", "%s empty");
	CHECK_STR(F("[%5s][%-5s]", S("ab"), S("cd")), "[   ab][cd   ]", "%s width");
	CHECK_STR(F("[%.2s][%5.2s][%.0s]", S("abc"), S("xyz"), S("q")),
		  "[ab][   xy][]", "%s precision truncates");
	CHECK_STR(F("[%.*s]", I(3), S("abcdef")), "[abc]", "%.*s");
	CHECK_STR(F("[%.*s]", I(-1), S("abcdef")), "[]",
		  "%.*s with a negative precision clamps to 0");
	CHECK_STR(F("[%*s]", I(4), S("a")), "[   a]", "%*s");
	CHECK_STR(F("[%s]", B("ab\0cd", 5)), "[ab]", "%s stops at a NUL");
	CHECK_STR(F("100%%"), "100%", "%%");
	CHECK_STR(F("%%d%%"), "%d%", "%% around");
	/* stap quirk: the 0 flag on %s appends a NUL after the field */
	n = fmt_stream(buf, sizeof(buf), "%05s|",
		       (struct bt_fmt_arg[]){ S("ab") }, 1, NULL);
	CHECK(n == 7 && memcmp(buf, "   ab\0|", 7) == 0,
	      "%05s: spaces, then a NUL byte after the field");
}

static void test_memory(void)
{
	char buf[64];
	int64_t n;
	struct bt_fmt_comp c = { .conv = BT_FMT_MEMORY, .prec = -1 };

	n = fmt_stream(buf, sizeof(buf), "%.4m|%.3M|%M",
		       (struct bt_fmt_arg[]){ B("ab\0d", 4), B("\x01\xab\xff", 3),
					      B("Z", 1) }, 3, NULL);
	CHECK(n == 4 + 1 + 6 + 1 + 2 &&
	      memcmp(buf, "ab\0d|01abff|5a", n) == 0, "%m raw, %M hex");
	n = fmt_stream(buf, sizeof(buf), "%6.2M|%-6.2M|",
		       (struct bt_fmt_arg[]){ B("\x12\x34", 2), B("\x12\x34", 2) },
		       2, NULL);
	CHECK(n == 14 && memcmp(buf, "  1234|1234  |", 14) == 0, "%M width");
	CHECK_INT(bt_fmt_mem_len(&c, 0), 1, "%m without precision dumps 1 byte");
	c.prec = 16;
	CHECK_INT(bt_fmt_mem_len(&c, 0), 16, "%.16m dumps 16 bytes");
	c.flags = BT_FMT_F_PREC_STAR;
	CHECK_INT(bt_fmt_mem_len(&c, 0), 1, "%.*m with 0 dumps 1 byte");
	CHECK_INT(bt_fmt_mem_len(&c, 5000), 5000, "%.*m with 5000 (VM refuses > PAGE_SIZE)");
}

static void test_parse_grammar(void)
{
	struct bt_fmt_comp comps[MAXC];
	uint8_t kinds[MAXC];
	size_t nc, nk;
	struct bt_fmt_error err;
	int rc;

	/* accepted forms (checked with stap 4.8 -p3) */
	static const char *const ok[] = {
		"%-05d", "%08.3d", "%*d", "%.*s", "%5.2s", "%ld", "%3b", "%.2b",
		"%05s", "%ud", "%i", "%p", "%#p", "%-20p", "%m", "%M", "%.5m",
		"%%", "x%%", "%1b%2b%4b%8b", "%#c", "% d", "%+d", "%#x", "%.d",
	};
	/* refused: "invalid or missing conversion specifier" */
	static const char *const bad[] = {
		"%#-8x", "%+ d", "%lld", "%q", "%-+d", "%", "abc%", "%5\t",
		"%l\t", "%.\t", "%h", "%n", "%e", "%f", "%0#x",
	};
	/* refused: "trailing incomplete print format conversion" */
	static const char *const trailing[] = {
		"%5", "%-", "%*", "%.*", "%.5l", "%.5", "x%0", "%#",
	};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		rc = bt_fmt_parse(ok[i], strlen(ok[i]), comps, MAXC, &nc, kinds,
				  MAXC, &nk, &err);
		CHECK_INT(rc, 0, ok[i]);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rc = bt_fmt_parse(bad[i], strlen(bad[i]), comps, MAXC, &nc,
				  kinds, MAXC, &nk, &err);
		CHECK(rc == BT_FMT_EBADCONV &&
		      strcmp(err.msg, "invalid or missing conversion specifier") == 0,
		      bad[i]);
	}
	for (i = 0; i < sizeof(trailing) / sizeof(trailing[0]); i++) {
		rc = bt_fmt_parse(trailing[i], strlen(trailing[i]), comps, MAXC,
				  &nc, kinds, MAXC, &nk, &err);
		CHECK(rc == BT_FMT_ETRAILING &&
		      strcmp(err.msg, "trailing incomplete print format conversion") == 0,
		      trailing[i]);
	}

	/* error offsets */
	rc = bt_fmt_parse("ab%#-8x", 7, comps, MAXC, &nc, kinds, MAXC, &nk, &err);
	CHECK(rc == BT_FMT_EBADCONV && err.offset == 4 && err.spec == 2,
	      "offset of the bad byte and of its %");
	rc = bt_fmt_parse("x%", 2, comps, MAXC, &nc, kinds, MAXC, &nk, &err);
	CHECK(rc == BT_FMT_EBADCONV && err.offset == 2 && err.spec == 1,
	      "lone trailing %: missing conversion at the end");

	/* a trailing bare %l or %. is dropped silently, as stap does */
	rc = bt_fmt_parse("ab%l", 4, comps, MAXC, &nc, kinds, MAXC, &nk, &err);
	CHECK(rc == 0 && nc == 1 && nk == 0 && comps[0].lit_len == 2,
	      "trailing %l dropped");
	rc = bt_fmt_parse("%.", 2, comps, MAXC, &nc, kinds, MAXC, &nk, &err);
	CHECK(rc == 0 && nc == 0 && nk == 0, "trailing %. dropped");
	CHECK_STR(F0("ab%l"), "ab", "trailing %l renders nothing");

	/* components and argument kinds */
	rc = bt_fmt_parse("a%*.*dz%s%%%-3.2m%c", 19, comps, MAXC, &nc, kinds,
			  MAXC, &nk, &err);
	CHECK_INT(rc, 0, "mixed format parses");
	CHECK_INT(nk, 6, "mixed format: 6 arguments");
	CHECK(kinds[0] == BT_FMT_ARG_INT && kinds[1] == BT_FMT_ARG_INT &&
	      kinds[2] == BT_FMT_ARG_INT && kinds[3] == BT_FMT_ARG_STR &&
	      kinds[4] == BT_FMT_ARG_MEM && kinds[5] == BT_FMT_ARG_INT,
	      "mixed format: kinds int int int str mem int");
	CHECK(nc == 7 && comps[0].conv == BT_FMT_LITERAL && comps[0].lit_len == 1 &&
	      comps[1].conv == BT_FMT_SIGNED &&
	      (comps[1].flags & (BT_FMT_F_WIDTH_STAR | BT_FMT_F_PREC_STAR)) ==
	      (BT_FMT_F_WIDTH_STAR | BT_FMT_F_PREC_STAR) &&
	      comps[2].conv == BT_FMT_LITERAL && comps[3].conv == BT_FMT_STRING &&
	      comps[4].conv == BT_FMT_LITERAL && comps[4].lit_len == 1 &&
	      comps[5].conv == BT_FMT_MEMORY && comps[5].width == 3 &&
	      comps[5].prec == 2 && (comps[5].flags & BT_FMT_F_LEFT) &&
	      comps[6].conv == BT_FMT_CHAR, "mixed format: components");
	rc = bt_fmt_parse("%p", 2, comps, MAXC, &nc, kinds, MAXC, &nk, &err);
	CHECK(rc == 0 && comps[0].conv == BT_FMT_POINTER &&
	      (comps[0].flags & BT_FMT_F_SPECIAL), "%p carries #");
	rc = bt_fmt_parse("%99999999999999d", 16, comps, MAXC, &nc, kinds, MAXC,
			  &nk, &err);
	CHECK(rc == 0 && comps[0].width == BT_FMT_NUM_MAX, "huge width saturates");

	/* counting only, and bounds */
	rc = bt_fmt_parse("%d%d%d", 6, NULL, 0, &nc, NULL, 0, &nk, &err);
	CHECK(rc == 0 && nc == 3 && nk == 3, "count-only parse");
	rc = bt_fmt_parse("%d%d%d", 6, comps, 2, &nc, kinds, MAXC, &nk, &err);
	CHECK_INT(rc, BT_FMT_ETOOMANY, "component array bound");
	rc = bt_fmt_parse("%*d", 3, comps, MAXC, &nc, kinds, 1, &nk, &err);
	CHECK_INT(rc, BT_FMT_ETOOMANY, "kinds array bound");
	rc = bt_fmt_parse("", 0, comps, MAXC, &nc, kinds, MAXC, &nk, &err);
	CHECK(rc == 0 && nc == 0 && nk == 0, "empty format");
}

static void test_args_checked(void)
{
	CHECK_STR(F("%d", S("x")), "RENDER-ERROR -4", "string for %d refused");
	CHECK_STR(F("%s", I(1)), "RENDER-ERROR -4", "int for %s refused");
	CHECK_STR(F0("%d"), "RENDER-ERROR -4", "missing argument refused");
	CHECK_STR(F("%*d", I(1)), "RENDER-ERROR -4", "missing argument after *");
}

static void test_split_args(void)
{
	const char *fmt = "%s=%*d %.3m %s";
	struct bt_fmt_comp comps[MAXC];
	size_t nc;
	int64_t ints[] = { 4, 7 };
	const char *strs[] = { "key", "abcdef", "tail" };
	char buf[64];
	int64_t n;

	CHECK_INT(bt_fmt_parse(fmt, strlen(fmt), comps, MAXC, &nc, NULL, 0,
			       NULL, NULL), 0, "split: parse");
	n = bt_fmt_render_split(fmt, comps, nc, ints, 2, strs, NULL, 3, 512,
				buf, sizeof(buf), BT_FMT_SPRINT, NULL);
	CHECK_INT(n, 17, "split: length");
	CHECK_STR(buf, "key=   7 abc tail", "split: ints and strings by kind");
	n = bt_fmt_render_split(fmt, comps, nc, ints, 1, strs, NULL, 3, 512,
				buf, sizeof(buf), BT_FMT_SPRINT, NULL);
	CHECK_INT(n, BT_FMT_EARGS, "split: too few ints");
}

static void test_truncation(void)
{
	char buf[32];
	size_t need = 0;
	int64_t n;
	struct bt_fmt_comp comps[MAXC];
	size_t nc;
	struct bt_fmt_arg a[2] = { S("hello world"), I(123456) };

	bt_fmt_parse("%s %d", 5, comps, MAXC, &nc, NULL, 0, NULL, NULL);
	n = bt_fmt_render("%s %d", comps, nc, a, 2, buf, 8, BT_FMT_SPRINT, &need);
	CHECK(n == 7 && strcmp(buf, "hello w") == 0,
	      "sprint: cap - 1 bytes and a NUL");
	CHECK_INT(need, 18, "sprint: untruncated length reported");
	n = bt_fmt_render("%s %d", comps, nc, a, 2, buf, 1, BT_FMT_SPRINT, &need);
	CHECK(n == 0 && buf[0] == 0, "sprint: cap 1 gives an empty string");
	n = bt_fmt_render("%s %d", comps, nc, a, 2, NULL, 0, BT_FMT_SPRINT, &need);
	CHECK(n == 0 && need == 18, "measure only with no buffer");
	memset(buf, 'Z', sizeof(buf));
	n = bt_fmt_render("%s %d", comps, nc, a, 2, buf, 8, BT_FMT_STREAM, &need);
	CHECK(n == 8 && memcmp(buf, "hello wo", 8) == 0 && buf[8] == 'Z',
	      "stream: cap bytes, no NUL, nothing past cap");

	/* sprint clamps a width to the room left, so digits can show */
	{
		struct bt_fmt_arg x[1] = { I(123) };

		CHECK_STR(fmt_cap(8, "ab%10d", x, 1), "ab   12",
			  "sprint: width clamped to the room left (stap)");
		CHECK_STR(fmt_cap(8, "ab%-10d", x, 1), "ab123  ",
			  "sprint: left-justified, cut");
		CHECK_STR(fmt_cap(8, "ab%.10d", x, 1), "ab00012",
			  "sprint: precision clamped to the room left");
	}
	/* MAXSTRINGLEN-style: widths clamp to the string size */
	{
		static char big[600];
		struct bt_fmt_arg x[1] = { I(5) };

		bt_fmt_parse("%1000d", 6, comps, MAXC, &nc, NULL, 0, NULL, NULL);
		n = bt_fmt_render("%1000d", comps, nc, x, 1, big, 512,
				  BT_FMT_SPRINT, &need);
		CHECK(n == 511 && strspn(big, " ") == 511 && big[511] == 0,
		      "sprint into MAXSTRINGLEN 512: 511 spaces");
		CHECK_INT(need, 512, "width clamped to the string size");
		bt_fmt_parse("%-1000d", 7, comps, MAXC, &nc, NULL, 0, NULL, NULL);
		n = bt_fmt_render("%-1000d", comps, nc, x, 1, big, 512,
				  BT_FMT_SPRINT, &need);
		CHECK(n == 511 && big[0] == '5' && big[1] == ' ',
		      "left-justified wide field truncated");
	}
	/* stream: widths clamp at STP_BUFFER_SIZE */
	{
		static char big[BT_FMT_STREAM_CLAMP + 16];
		struct bt_fmt_arg x[1] = { I(7) };

		bt_fmt_parse("%9000d", 6, comps, MAXC, &nc, NULL, 0, NULL, NULL);
		n = bt_fmt_render("%9000d", comps, nc, x, 1, big,
				  BT_FMT_STREAM_CLAMP, BT_FMT_STREAM, &need);
		CHECK(n == BT_FMT_STREAM_CLAMP && big[n - 1] == '7' &&
		      big[n - 2] == ' ', "stream: width clamps at 8192");
	}
}

/*
 * Differential: every integer spec where C's printf and stap's agree
 * must render as glibc's snprintf does.
 */
static void test_against_glibc(void)
{
	static const char convs[] = "diuoxX";
	static const char flags[] = "\0-+ 0#";
	static const int64_t vals[] = {
		0, 1, -1, 7, -7, 8, 10, 255, -255, 4096, 0x7fffffff,
		-0x80000000LL, INT64_MAX, INT64_MIN, 1234567890123LL,
		-987654321, 0x1234abcd, 077, 100,
	};
	int ci, fi, w, p, vi;
	long tested = 0, bad = 0;

	for (ci = 0; convs[ci]; ci++)
	for (fi = 0; fi < 6; fi++)
	for (w = -1; w <= 22; w += 3)
	for (p = -1; p <= 21; p += 2)
	for (vi = 0; vi < (int)(sizeof(vals) / sizeof(vals[0])); vi++) {
		char conv = convs[ci], flag = flags[fi];
		int64_t v = vals[vi];
		char sf[32], cf[32], want[128];
		const char *got;
		int k = 0, j = 0;

		/* where C and stap differ by design (tested above) */
		if (flag == '0' && p >= 0)
			continue;
		if (p == 0 && v == 0)
			continue;
		if (flag == '#' && (conv == 'd' || conv == 'i' || conv == 'u'))
			continue;
		if (flag == '#' && v == 0)
			continue;
		if (flag == '#' && conv == 'o' && p >= 0)
			continue;
		sf[k++] = '%';
		cf[j++] = '%';
		if (flag) {
			sf[k++] = flag;
			cf[j++] = flag;
		}
		if (w >= 0) {
			k += sprintf(sf + k, "%d", w);
			j += sprintf(cf + j, "%d", w);
		}
		if (p >= 0) {
			k += sprintf(sf + k, ".%d", p);
			j += sprintf(cf + j, ".%d", p);
		}
		sf[k++] = conv;
		sf[k] = 0;
		cf[j++] = 'l';
		cf[j++] = 'l';
		cf[j++] = conv;
		cf[j] = 0;
		if (conv == 'd' || conv == 'i')
			snprintf(want, sizeof(want), cf, (long long)v);
		else
			snprintf(want, sizeof(want), cf, (unsigned long long)v);
		{
			struct bt_fmt_arg a[1] = { I(v) };
			got = fmt_cap(sizeof(out), sf, a, 1);
		}
		tested++;
		if (strcmp(got, want) != 0) {
			if (bad++ < 10)
				printf("# mismatch %s of %lld: got [%s] want [%s]\n",
				       sf, (long long)v, got, want);
		}
	}
	printf("# %ld integer specs compared with glibc\n", tested);
	CHECK(tested > 10000, "many integer specs compared with glibc");
	CHECK_INT(bad, 0, "integer conversions agree with glibc where C and stap agree");

	/* strings and chars */
	{
		static const char *strs[] = { "", "a", "hello", "a longer string!" };
		int si;

		tested = bad = 0;
		for (si = 0; si < 4; si++)
		for (fi = 0; fi < 2; fi++)
		for (w = -1; w <= 20; w += 3)
		for (p = -1; p <= 20; p += 3) {
			char sf[32], want[128];
			const char *got;
			int k = 0;

			sf[k++] = '%';
			if (fi)
				sf[k++] = '-';
			if (w >= 0)
				k += sprintf(sf + k, "%d", w);
			if (p >= 0)
				k += sprintf(sf + k, ".%d", p);
			sf[k++] = 's';
			sf[k] = 0;
			snprintf(want, sizeof(want), sf, strs[si]);
			{
				struct bt_fmt_arg a[1] = { S(strs[si]) };
				got = fmt_cap(sizeof(out), sf, a, 1);
			}
			tested++;
			if (strcmp(got, want) != 0 && bad++ < 5)
				printf("# mismatch %s: [%s] [%s]\n", sf, got, want);
		}
		CHECK_INT(bad, 0, "%s agrees with glibc");
		for (vi = 32; vi < 127; vi++) {
			char want[16];
			struct bt_fmt_arg a[1] = { I(vi) };

			snprintf(want, sizeof(want), "%-3c|%3c", vi, vi);
			{
				struct bt_fmt_arg b2[2] = { I(vi), I(vi) };
				(void)a;
				if (strcmp(fmt_cap(sizeof(out), "%-3c|%3c", b2, 2),
					   want) != 0)
					bad++;
			}
		}
		CHECK_INT(bad, 0, "%c agrees with glibc for printable characters");
	}
}

static void test_fmt_int_helper(void)
{
	char buf[32];
	size_t n;

	n = bt_fmt_int(buf, sizeof(buf), -42, BT_FMT_SIGNED, 0, -1, -1);
	buf[n] = 0;
	CHECK_STR(buf, "-42", "bt_fmt_int decimal");
	n = bt_fmt_int(buf, sizeof(buf), 255, BT_FMT_HEX, BT_FMT_F_SPECIAL, 8, -1);
	buf[n] = 0;
	CHECK_STR(buf, "    0xff", "bt_fmt_int %#8x");
	n = bt_fmt_int(buf, sizeof(buf), 0x1234, BT_FMT_POINTER, 0, -1, -1);
	buf[n] = 0;
	CHECK_STR(buf, "0x1234", "bt_fmt_int pointer");
	n = bt_fmt_int(buf, 2, 12345, BT_FMT_SIGNED, 0, -1, -1);
	CHECK(n == 5 && memcmp(buf, "12", 2) == 0, "bt_fmt_int truncates, returns full length");
}

int main(void)
{
	test_examples_from_stap_docs();
	test_binary();
	test_numbers();
	test_chars_and_strings();
	test_memory();
	test_parse_grammar();
	test_args_checked();
	test_split_args();
	test_truncation();
	test_against_glibc();
	test_fmt_int_helper();
	return check_done();
}
