/*
 * strfn_core_tapset.c - bt_sf_*() behave as SystemTap 4.8's core tapset
 * string functions: results, out-of-range arguments, truncation at
 * MAXSTRINGLEN, empty strings, tokenize's state, text_str's escapes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#include "check.h"
#include "bt_strfn.h"

#define MSL 512

static char r[4096];

static const char *substr(const char *s, int64_t start, int64_t len)
{
	bt_sf_substr(r, MSL, s, start, len);
	return r;
}

static void test_strlen_substr(void)
{
	const char *s = "Hello World!";
	char big[MSL + 100];

	CHECK_INT(bt_sf_strlen("", MSL), 0, "strlen empty");
	CHECK_INT(bt_sf_strlen(s, MSL), 12, "strlen");
	memset(big, 'x', sizeof(big));
	CHECK_INT(bt_sf_strlen(big, MSL), MSL - 1,
		  "strlen never reads past MAXSTRINGLEN - 1");

	CHECK_STR(substr(s, 0, 0), "", "substr 0,0");
	CHECK_STR(substr(s, -1, 10), "", "substr -1,10: negative start");
	CHECK_STR(substr(s, 10, 0), "", "substr 10,0");
	CHECK_STR(substr(s, 0, 1), "H", "substr 0,1");
	CHECK_STR(substr(s, 2, 5), "llo W", "substr 2,5");
	CHECK_STR(substr(s, 11, 1), "!", "substr 11,1: last byte");
	CHECK_STR(substr(s, 11, 100), "!", "substr 11,100");
	CHECK_STR(substr(s, 12, 1), "", "substr 12,1: start == strlen");
	CHECK_STR(substr(s, 0, 10), "Hello Worl", "substr 0,10");
	CHECK_STR(substr(s, 0, 100000), "Hello World!", "substr 0,100000");
	CHECK_STR(substr(s, 3, -5), "", "substr negative length");
	CHECK_STR(substr(s, 0, INT64_MAX), "",
		  "substr length INT64_MAX: length + 1 wraps, as in stap");
	CHECK_STR(substr(s, INT64_MIN, 3), "", "substr INT64_MIN start");
	CHECK_STR(substr("", 0, 5), "", "substr of empty");
	/* truncation at MAXSTRINGLEN: a 16-byte string */
	bt_sf_substr(r, 8, "abcdefg", 1, 100);
	CHECK_STR(r, "bcdefg", "substr cut at cap - 1");
	/* dst may be the input */
	strcpy(big, "0123456789");
	bt_sf_substr(big, MSL, big, 3, 4);
	CHECK_STR(big, "3456", "substr in place");
}

static void test_stringat(void)
{
	int64_t v = 99;

	CHECK(bt_sf_stringat("abc", MSL, 0, &v) == 0 && v == 'a', "stringat 0");
	CHECK(bt_sf_stringat("abc", MSL, 2, &v) == 0 && v == 'c', "stringat 2");
	CHECK(bt_sf_stringat("abc", MSL, 3, &v) == BT_SF_EBOUNDS && v == 0,
	      "stringat at strlen: Position out of bounds");
	CHECK(bt_sf_stringat("abc", MSL, -1, &v) == BT_SF_EBOUNDS,
	      "stringat -1: out of bounds");
	CHECK(bt_sf_stringat("", MSL, 0, &v) == BT_SF_EBOUNDS, "stringat of empty");
	CHECK(bt_sf_stringat("\xe9", MSL, 0, &v) == 0 && v == -23,
	      "stringat of 0xe9 is a signed char (-23), as on x86");
}

static void test_search(void)
{
	CHECK_INT(bt_sf_strpos("foo", "abcfoobad", MSL), -1, "strpos needle longer");
	CHECK_INT(bt_sf_strpos("abcfoobad", "foo", MSL), 3, "strpos 3");
	CHECK_INT(bt_sf_strpos("foo", "foo", MSL), 0, "strpos equal");
	CHECK_INT(bt_sf_strpos("foo", "", MSL), 0, "strpos empty needle");
	CHECK_INT(bt_sf_strpos("", "foo", MSL), -1, "strpos empty haystack");
	CHECK_INT(bt_sf_strpos("", "", MSL), 0, "strpos both empty");
	CHECK_INT(bt_sf_strpos("aaab", "aab", MSL), 1, "strpos after a false start");
	CHECK_INT(bt_sf_strpos("abcabc", "c", MSL), 2, "strpos first occurrence");
	CHECK_INT(bt_sf_isinstr("abcfoobad", "foo", MSL), 1, "isinstr yes");
	CHECK_INT(bt_sf_isinstr("abc", "abcd", MSL), 0, "isinstr no");
	CHECK_INT(bt_sf_isinstr("abc", "", MSL), 1, "isinstr empty");
	CHECK_INT(bt_sf_isinstr("", "", MSL), 1, "isinstr both empty");
	{
		char big[64];

		memset(big, 'a', sizeof(big));	/* no NUL: bounded by cap */
		CHECK_INT(bt_sf_strpos(big, "b", 32), -1, "strpos bounded by cap");
		CHECK_INT(bt_sf_strpos(big, "aaa", 32), 0, "strpos in unterminated input");
	}
}

static void test_str_replace(void)
{
	const char *s1 = "hello system tap";
	const char *s2 = "Here I am, on the road again. there I am, up on the "
			 "stage, Here I go, playing star again. There I go, turn "
			 "the page.- Bob Seger";

	bt_sf_str_replace(r, MSL, s1, "system", "pointer");
	CHECK_STR(r, "hello pointer tap", "str_replace middle");
	bt_sf_str_replace(r, MSL, s1, "hello", "pointer");
	CHECK_STR(r, "pointer system tap", "str_replace start");
	bt_sf_str_replace(r, MSL, s1, "tap", "pointer");
	CHECK_STR(r, "hello system pointer", "str_replace end");
	bt_sf_str_replace(r, MSL, s2, "Here", "here");
	CHECK(strncmp(r, "here I am", 9) == 0 && strstr(r, "here I go") &&
	      strstr(r, "There I go"), "str_replace all occurrences, case-sensitive");
	/* MAXSTRINGLEN 128: the longer result is cut at 127 bytes */
	bt_sf_str_replace(r, 128, s2, "road", "bored");
	CHECK_INT(strlen(r), 127, "str_replace cut at cap - 1");
	CHECK(strcmp(r + strlen(r) - 8, "Bob Sege") == 0,
	      "str_replace truncated tail");
	bt_sf_str_replace(r, MSL, s1, "system", "");
	CHECK_STR(r, "hello  tap", "str_replace with empty");
	bt_sf_str_replace(r, MSL, s1, "", "pointer");
	CHECK_STR(r, s1, "str_replace of empty: unchanged");
	bt_sf_str_replace(r, MSL, "", "", "pointer");
	CHECK_STR(r, "", "str_replace all empty");
	bt_sf_str_replace(r, MSL, "aaaa", "aa", "b");
	CHECK_STR(r, "bb", "str_replace non-overlapping, left to right");
	bt_sf_str_replace(r, MSL, "aaa", "aa", "xyz");
	CHECK_STR(r, "xyza", "str_replace leftmost first");
	bt_sf_str_replace(r, MSL, "abab", "ab", "abab");
	CHECK_STR(r, "abababab", "str_replace does not rescan its output");
	bt_sf_str_replace(r, 4, "abcdef", "b", "XYZ");
	CHECK_STR(r, "aXY", "str_replace cut inside a replacement");
}

static void test_strtol(void)
{
	static const struct {
		const char *s;
		int64_t base, want;
	} t[] = {
		{ "1", 10, 1 }, { "-1", 10, -1 }, { "123456789", 10, 123456789 },
		{ "-123456789", 10, -123456789 }, { "abcdef", 10, 0 },
		{ "1a2b3c4d5e6f7g8h9", 10, 1 }, { " 1 2 3 4", 10, 0 },
		{ "", 10, 0 }, { "1000", 10, 1000 }, { "1000", 16, 4096 },
		{ "1000", 8, 512 }, { "1000", 2, 8 },
		{ "0x1f", 16, 31 }, { "0X1F", 16, 31 }, { "0x1f", 0, 31 },
		{ "0x", 0, 0 }, { "0xg", 0, 0 }, { "017", 0, 15 }, { "019", 0, 1 },
		{ "19", 0, 19 }, { "-0x10", 0, -16 }, { "-017", 0, -15 },
		{ "+5", 10, 0 }, { "--5", 10, 0 }, { "12abc", 16, 0x12abc },
		{ "ff", 16, 255 }, { "FF", 16, 255 }, { "777", 8, 511 }, { "8", 8, 0 },
		{ "101102", 2, 22 }, { "zz", 36, 0 }, { "ff", 36, 555 },
		{ "ag", 17, 10 }, { "9223372036854775807", 10, INT64_MAX },
		{ "9223372036854775808", 10, INT64_MIN },
		{ "-9223372036854775808", 10, INT64_MIN },
		{ "18446744073709551615", 10, -1 },
		{ "18446744073709551616", 10, 0 },
		{ "123", 1, 0 }, { "123", -5, 0 }, { "123", 37, 0 },
		{ "0x10", 10, 0 }, { "0x10", 8, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char what[96];

		snprintf(what, sizeof(what), "strtol(\"%s\", %lld)", t[i].s,
			 (long long)t[i].base);
		CHECK_INT(bt_sf_strtol(t[i].s, t[i].base, MSL), t[i].want, what);
	}
	/* where the kernel and glibc agree (bases 2..16, no sign, no blanks) */
	{
		int bad = 0, n;

		srand(7);
		for (n = 0; n < 20000; n++) {
			char s[24];
			int base = 2 + rand() % 15, len = rand() % 12, k;
			unsigned long long w;

			for (k = 0; k < len; k++)
				s[k] = "0123456789abcdefABCDEFxz "[rand() % 25];
			s[len] = 0;
			if (len > 1 && s[0] == '0' && (s[1] | 0x20) == 'x')
				continue;	/* "0x" prefixes: tested above */
			if (len && s[0] == ' ')
				continue;	/* glibc skips blanks */
			w = strtoull(s, NULL, base);
			if ((unsigned long long)bt_sf_strtol(s, base, MSL) != w)
				bad++;
		}
		CHECK_INT(bad, 0, "strtol agrees with glibc strtoull on plain digits");
	}
}

static void test_isdigit(void)
{
	CHECK_INT(bt_sf_isdigit("5abc"), 1, "isdigit 5abc");
	CHECK_INT(bt_sf_isdigit("a5"), 0, "isdigit a5");
	CHECK_INT(bt_sf_isdigit(""), 0, "isdigit empty");
	CHECK_INT(bt_sf_isdigit("0"), 1, "isdigit 0");
	CHECK_INT(bt_sf_isdigit("9"), 1, "isdigit 9");
	CHECK_INT(bt_sf_isdigit("/"), 0, "isdigit /");
}

static const char *tstr(const char *s)
{
	bt_sf_text_str(r, MSL, s);
	return r;
}

static const char *tstrn(const char *s, int64_t len, int64_t q)
{
	bt_sf_text_strn(r, MSL, s, len, q);
	return r;
}

static void test_text_str(void)
{
	const char *a = "1234567890", *b = "12345678901234567890";
	const char *c = "123456789012345678901234567890";
	const char *x = "\n\nXYZZY\031", *y = "\077\231\a\n\n\r\n";
	const char *xy = "\n\nXYZZY\031\077\231\a\n\n\r\n";

	CHECK_STR(tstr(a), a, "text_str printable");
	CHECK_STR(tstr(""), "", "text_str empty");
	CHECK_STR(tstrn(b, 0, 0), b, "text_strn len 0 = no limit");
	CHECK_STR(tstrn(b, 10, 0), "1234567890", "text_strn len 10");
	CHECK_STR(tstrn(a, 0, 1), "\"1234567890\"", "text_strn quoted");
	CHECK_STR(tstrn(a, 10, 1), "\"12345\"...", "text_strn len 10 quoted, cut");
	CHECK_STR(tstrn(c, 10, 1), "\"12345\"...", "text_strn len 10 quoted, longer");
	CHECK_STR(tstrn(a, 12, 1), "\"1234567890\"", "text_strn len 12 quoted fits");
	CHECK_STR(tstrn(b, 12, 1), "\"1234567\"...", "text_strn len 12 quoted, cut");

	CHECK_STR(tstr(x), "\\n\\nXYZZY\\031", "text_str escapes");
	CHECK_STR(tstr(y), "?\\231\\a\\n\\n\\r\\n", "text_str octal for high bytes");
	CHECK_STR(tstr(xy), "\\n\\nXYZZY\\031?\\231\\a\\n\\n\\r\\n", "text_str mixed");
	CHECK_STR(tstrn(x, 10, 0), "\\n\\nXYZZY", "text_strn drops an escape that does not fit");
	CHECK_STR(tstrn(y, 10, 0), "?\\231\\a\\n", "text_strn len 10");
	CHECK_STR(tstrn(y, 12, 0), "?\\231\\a\\n\\n", "text_strn len 12");
	CHECK_STR(tstrn(x, 0, 1), "\"\\n\\nXYZZY\\031\"", "quoted escapes");
	CHECK_STR(tstrn(x, 10, 1), "\"\\n\\nX\"...", "quoted cut");
	CHECK_STR(tstrn(y, 10, 1), "\"?\\231\"...",
		  "quoted cut drops a whole escape, not half of one");
	CHECK_STR(tstrn(xy, 10, 1), "\"\\n\\nX\"...", "quoted cut, mixed");
	CHECK_STR(tstrn(x, 15, 1), "\"\\n\\nXYZZY\\031\"", "quoted len 15 fits");
	CHECK_STR(tstrn(y, 15, 1), "\"?\\231\\a\\n\"...", "quoted len 15 cut");
	CHECK_STR(tstrn(xy, 15, 1), "\"\\n\\nXYZZY\"...", "quoted len 15, escape at the cut");
	CHECK_STR(tstrn("ab", 1, 1), "\"ab\"", "quoted budget is at least 5");
	CHECK_STR(tstrn("abcdef", -3, 0), "abcdef", "negative len = no limit");

	/* quotes and backslashes, and string_quoted */
	CHECK_STR(tstr("a\"b\\c"), "a\\\"b\\\\c", "text_str escapes \" and \\");
	bt_sf_string_quoted(r, MSL, "");
	CHECK_STR(r, "\"\"", "string_quoted empty");
	bt_sf_string_quoted(r, MSL, "hello world");
	CHECK_STR(r, "\"hello world\"", "string_quoted");
	bt_sf_string_quoted(r, MSL, "hello\nworld");
	CHECK_STR(r, "\"hello\\nworld\"", "string_quoted newline");
	bt_sf_string_quoted(r, MSL, "\"hello\nworld\"");
	CHECK_STR(r, "\"\\\"hello\\nworld\\\"\"", "string_quoted quotes");

	/* UTF-8: code points, malformed input byte by byte */
	CHECK_STR(tstr("\x7f\xc2\x80\xce\x91\xce\xa9\xdf\xbf\xe0\xa0\x80\xe2\x98\xba"
		       "\xef\xbf\xbf\xf0\x90\x80\x80\xf0\x9f\x98\x88\xf4\x8f\xbf\xbf"),
		  "\\177\\u0080\\u0391\\u03A9\\u07FF\\u0800\\u263A\\uFFFF"
		  "\\U00010000\\U0001F608\\U0010FFFF", "text_str UTF-8 as \\u / \\U");
	CHECK_STR(tstr("\xc0\x80"), "\\300\\200", "overlong UTF-8 stays bytes");
	CHECK_STR(tstr("\xed\xa0\x80"), "\\355\\240\\200", "surrogate stays bytes");
	CHECK_STR(tstr("\xf4\x90\x80\x80"), "\\364\\220\\200\\200", "> U+10FFFF stays bytes");
	CHECK_STR(tstr("\xe2\x98"), "\\342\\230", "truncated sequence stays bytes");
	CHECK_STR(tstr("\xc3" "A"), "\\303A", "bad continuation");
	CHECK_STR(tstrn("\xe2\x98\xba", 5, 0), "", "a \\u escape that does not fit is dropped");
	CHECK_STR(tstrn("ab\xe2\x98\xba" "cd", 9, 1), "\"ab\"...",
		  "quoted cut before a \\u escape");

	/* the whole output stays within MAXSTRINGLEN */
	{
		char in[MSL];
		size_t n;

		memset(in, 1, MSL - 1);	/* every byte becomes \001 */
		in[MSL - 1] = 0;
		n = bt_sf_text_str(r, MSL, in);
		CHECK(n == 508 && strlen(r) == 508, "text_str of 511 control bytes: 127 escapes");
		n = bt_sf_string_quoted(r, MSL, in);
		CHECK(n <= MSL - 1 && r[0] == '"' && strcmp(r + n - 4, "\"...") == 0,
		      "string_quoted of a long string ends in \"...");
		CHECK_INT(n, 1 + 504 + 4, "string_quoted cut at a whole escape");
		memset(in, 'a', MSL - 1);
		n = bt_sf_string_quoted(r, MSL, in);
		CHECK_INT(n, MSL - 1, "string_quoted of 511 letters fills the string");
		CHECK(strcmp(r + n - 4, "\"...") == 0, "... after the quote");
		n = bt_sf_string_quoted(r, 6, "abcdefgh");
		CHECK(n == 5 && strcmp(r, "\"\"...") == 0,
		      "MAXSTRINGLEN 6: the quote budget of 3 all goes to \"...");
	}
}

static void test_tokenize(void)
{
	char buf[MSL], tok[MSL];
	struct bt_tokenize t;
	char got[1024];
	const char *in;

#define TOKALL(str, delim) do {						\
		got[0] = 0;						\
		in = (str);						\
		bt_sf_tokenize(&t, in, delim, tok, MSL);		\
		while (tok[0]) {					\
			strcat(got, tok);				\
			strcat(got, "/");				\
			bt_sf_tokenize(&t, "", delim, tok, MSL);	\
		}							\
	} while (0)

	bt_sf_tokenize_init(&t, buf, MSL);
	bt_sf_tokenize(&t, "", ",", tok, MSL);
	CHECK_STR(tok, "", "tokenize with no string yet");
	TOKALL("one|two|three|four", "|");
	CHECK_STR(got, "one/two/three/four/", "tokenize by |");
	TOKALL("one|two|three", ",");
	CHECK_STR(got, "one|two|three/", "no delimiter: the whole string");
	TOKALL("a,b,c,d,e,f,g", ",");
	CHECK_STR(got, "a/b/c/d/e/f/g/", "single-letter tokens");
	TOKALL("1,,2,3, ,4", ",");
	CHECK_STR(got, "1/2/3/ /4/", "empty tokens skipped, a blank one kept");
	TOKALL("", ",");
	CHECK_STR(got, "", "empty input: nothing");
	TOKALL("this is a string, which has two delimiters", ", ");
	CHECK_STR(got, "this/is/a/string/which/has/two/delimiters/",
		  "any byte of delim delimits");
	TOKALL(",,,a,,,", ",");
	CHECK_STR(got, "a/", "leading and trailing delimiters");
	TOKALL("abc", "");
	CHECK_STR(got, "abc/", "empty delim: the whole string");
	/* exhausted: more calls keep returning "" */
	bt_sf_tokenize(&t, "", ",", tok, MSL);
	CHECK_STR(tok, "", "exhausted stays exhausted");
	/* a new non-empty input restarts; delim can change between calls */
	bt_sf_tokenize(&t, "a b,c", " ", tok, MSL);
	CHECK_STR(tok, "a", "restart");
	bt_sf_tokenize(&t, "", ",", tok, MSL);
	CHECK_STR(tok, "b", "delim changes between calls");
	bt_sf_tokenize(&t, "", ",", tok, MSL);
	CHECK_STR(tok, "c", "last token");
	/* state is per struct: two states do not interfere */
	{
		char buf2[MSL];
		struct bt_tokenize t2;

		bt_sf_tokenize_init(&t2, buf2, MSL);
		bt_sf_tokenize(&t, "x:y", ":", tok, MSL);
		bt_sf_tokenize(&t2, "p:q", ":", tok, MSL);
		bt_sf_tokenize(&t, "", ":", tok, MSL);
		CHECK_STR(tok, "y", "independent states");
	}
	/* dst may be the input; long input cut at MAXSTRINGLEN */
	strcpy(tok, "left right");
	bt_sf_tokenize(&t, tok, " ", tok, MSL);
	CHECK_STR(tok, "left", "tokenize in place");
	bt_sf_tokenize(&t, "", " ", tok, MSL);
	CHECK_STR(tok, "right", "tokenize in place, state kept");
	{
		char small[8];
		struct bt_tokenize ts;

		bt_sf_tokenize_init(&ts, small, sizeof(small));
		bt_sf_tokenize(&ts, "abcdefghij klm", " ", tok, sizeof(small));
		CHECK_STR(tok, "abcdefg", "state holds only MAXSTRINGLEN - 1 bytes");
		bt_sf_tokenize(&ts, "", " ", tok, sizeof(small));
		CHECK_STR(tok, "", "the cut-off rest is gone");
	}
#undef TOKALL
}

static void test_building(void)
{
	char buf[16];

	bt_str_concat(r, MSL, "abc", "def");
	CHECK_STR(r, "abcdef", "concat");
	bt_str_concat(r, MSL, "", "");
	CHECK_STR(r, "", "concat empty");
	CHECK_INT(bt_str_concat(buf, 8, "abcde", "fghij"), 7, "concat cut length");
	CHECK_STR(buf, "abcdefg", "concat cut at cap - 1");
	CHECK_INT(bt_str_concat(buf, 8, "abcdefghijk", "xyz"), 7, "concat: a alone fills it");
	CHECK_STR(buf, "abcdefg", "concat: a cut");
	strcpy(buf, "ab");
	bt_str_concat(buf, sizeof(buf), buf, "cd");
	CHECK_STR(buf, "abcd", "concat dst == a");
	strcpy(buf, "xy");
	bt_str_concat(buf, sizeof(buf), "uvw", buf);
	CHECK_STR(buf, "uvwxy", "concat dst == b");
	strcpy(buf, "pq");
	bt_str_concat(buf, sizeof(buf), buf, buf);
	CHECK_STR(buf, "pqpq", "concat dst == a == b");

	bt_str_from_long(r, MSL, 0);
	CHECK_STR(r, "0", "from_long 0");
	bt_str_from_long(r, MSL, -42);
	CHECK_STR(r, "-42", "from_long -42");
	bt_str_from_long(r, MSL, INT64_MIN);
	CHECK_STR(r, "-9223372036854775808", "from_long INT64_MIN");
	bt_str_from_long(r, MSL, INT64_MAX);
	CHECK_STR(r, "9223372036854775807", "from_long INT64_MAX");
	bt_str_from_long(buf, 4, 123456);
	CHECK_STR(buf, "123", "from_long cut");
	bt_str_from_hex(r, MSL, 255, false);
	CHECK_STR(r, "ff", "from_hex");
	bt_str_from_hex(r, MSL, -1, true);
	CHECK_STR(r, "0xffffffffffffffff", "from_hex -1 with prefix");
	bt_str_from_hex(r, MSL, 0, true);
	CHECK_STR(r, "0x0", "from_hex 0 with prefix (as %p)");
}

int main(void)
{
	test_strlen_substr();
	test_stringat();
	test_search();
	test_str_replace();
	test_strtol();
	test_isdigit();
	test_text_str();
	test_tokenize();
	test_building();
	return check_done();
}
