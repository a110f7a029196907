/*
 * regex_matches_posix_ere.c - bt_regex_*() implement SystemTap's `=~`:
 * the ERE dialect and its errors, leftmost-longest matching that agrees
 * with glibc's regexec(REG_EXTENDED) on whether and where a pattern
 * matches, capture groups, and a validator that refuses broken programs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <regex.h>

#include "check.h"
#include "regex_compile.h"

static uint8_t prog[1 << 16];
static size_t prog_size;
static struct bt_regex_error rerr;
static uint8_t scratch[1 << 20];
static int32_t caps[2 * BT_RE_MAX_GROUPS];
static int ngroups;

static int compile(const char *pat)
{
	int rc = bt_regex_compile(pat, strlen(pat), prog, sizeof(prog),
				  &prog_size, &rerr);

	if (rc == 0 && bt_regex_validate(prog, prog_size) != 0) {
		printf("# compiled program fails validation: %s\n", pat);
		return -100;
	}
	if (rc == 0)
		ngroups = bt_regex_ngroups(prog);
	return rc;
}

/* 1 match, 0 none, < 0 error */
static int run(const char *str)
{
	return bt_regex_match(prog, str, strlen(str), caps,
			      2 * BT_RE_MAX_GROUPS, scratch, sizeof(scratch));
}

static int re(const char *pat, const char *str)
{
	int rc = compile(pat);

	if (rc) {
		printf("# compile %s: %s\n", pat, rerr.msg);
		return rc;
	}
	return run(str);
}

/* matched(n) as the tapset returns it: "" for an unset group */
static const char *group(const char *str, int n)
{
	static char buf[4][256];
	static int k;
	char *b = buf[k++ & 3];
	int s = caps[2 * n], e = caps[2 * n + 1];

	if (s < 0 || e < 0)
		s = e = 0;
	snprintf(b, 256, "%.*s", e - s, str + s);
	return b;
}

/* SystemTap testsuite facts: 0 = must match, 1 = must not */
static void test_stap_facts(void)
{
	static const struct {
		int code;
		const char *re, *s;
	} t[] = {
		{ 0, "\\\\", "\\" }, { 0, "abc", "xabcy" }, { 0, "ab*bc", "abbbbc" },
		{ 0, "ab?bc", "abbc" }, { 1, "^abc$", "abcc" }, { 1, "a[b-d]e", "abd" },
		{ 0, "a[b-d]e", "ace" }, { 0, "a\\(*b", "ab" }, { 0, "a\\(*b", "a((b" },
		{ 0, "(a+|b)*", "ab" }, { 0, "(a+|b)+", "ab" }, { 0, "([abc])*d", "abbbcd" },
		{ 1, "^(ab|cd)e", "abcde" }, { 0, "[A-Za-z_][A-Za-z0-9_]*", "alpha" },
		{ 0, "(bc+d$|ef*g.|h?i(j|k))", "ij" }, { 1, "(bc+d$|ef*g.|h?i(j|k))", "effg" },
		{ 0, "(((((((((a)))))))))", "a" }, { 1, "\\((.*),", "(.*)\\)" },
		{ 1, "[k]", "ab" }, { 0, "", "" }, { 0, "s*", "ssss" }, { 1, "abc", "zb" },
		{ 0, "", "abc" }, { 0, "^", "abc" }, { 1, "a^", "abc" }, { 1, "^abc", "zabc" },
		{ 1, "ab^c", "abc" }, { 0, "a*^b", "b" }, { 0, "abc", "zabc" },
		{ 0, ".*", "stuffs" }, { 1, "$^", "" }, { 0, "$.*", "" }, { 1, "$a^", "a" },
		{ 0, "$.*", "a" }, { 1, "$.+", "a" }, { 0, ".*^", "" }, { 0, ".*^", "a" },
		{ 1, ".+^", "a" }, { 1, "a^b", "ab" }, { 1, "e$f", "ef" },
		{ 0, "[^ab]", "c" }, { 0, "[^ab]*", "" }, { 0, "h$", "abh" },
		{ 0, "^a(bc+|b[eh])g|.h$", "abh" }, { 0, "^|$", "" }, { 0, "a|$", "" },
		{ 1, "^[[:cntrl:]]$", "q" }, { 0, "^[[:graph:]]+$", "excibitobabble" },
		{ 1, "^[[:graph:]]+$", "many works many words" },
		{ 0, "^[[:print:]]+$", "many works many words" },
		{ 0, "[\\^a]", "a" }, { 1, "[\\^a]", "b" }, { 0, "[\\[:alpha:]]", ":]" },
		{ 1, "[\\[:alpha:]]", ":" }, { 0, "[\\[:alpha:]", ":" },
		{ 0, "[\\[\\:alpha:]", ":" }, { 0, "a[-b]", "a-" }, { 0, "a[b-]", "a-" },
		{ 0, "a]", "a]" }, { 0, "a[]]b", "a]b" }, { 1, "a[^-b]c", "a-c" },
		{ 1, "a[^]b]c", "a]c" }, { 0, "a[^]b]c", "adc" }, { 0, "()ef", "def" },
		{ 0, "()*", "-" }, { 1, "$b", "b" }, { 0, "a\\(b", "a(b" },
		{ 1, "a\\x", "a\\x" }, { 1, "abc)", "-" }, { 0, "a**", "-" },
		{ 0, "a*?", "-" }, { 0, "(a*)*", "-" }, { 0, "(a*)+", "-" },
		{ 0, "(a|)*", "-" }, { 0, "(a*|b)*", "-" }, { 0, "(^)*", "-" },
		{ 0, "(ab|)*", "-" }, { 0, "((a*|b))*", "-" }, { 1, "((((((((((a))))))))))", "-" },
		{ 0, "M[ou]'?am+[ae]r .*([AEae]l[- ])?[GKQ]h?[aeu]+([dtz][dhz]?)+af[iy]",
		  "Mulazim Awwal Mu'ammar Muhammad Abu Minyar al-Qadhafi" },
		{ 0, "^[[:alnum:][:space:]]*$", "Hello world" },
		{ 1, "^[[:xdigit:]]*$", "01234g" }, { 0, "ab{0}c", "ac" },
		{ 1, "ab{0}c", "abc" }, { 0, "ab{1}{1}c", "abc" }, { 1, "ab{1}{1}c", "ac" },
		{ 0, "ab{2}{2}c", "abbbbc" }, { 1, "ab{2}{2}c", "abbbbbc" },
		{ 0, "ab{0}*c", "ac" }, { 1, "ab{0}+c", "abc" }, { 0, "ab{1}{0}c", "ac" },
		{ 0, "du+de", "duuuuuuuuude" },
		{ 0, "d([ou]|hu|hou)+de(tte)?s?", "duuuuuuuuude" },
		{ 0, "[[:d:]][[:l:]][[:s:]][[:u:]]", "1a B" },
	};
	size_t i;
	int bad = 0;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int rc = re(t[i].re, t[i].s);

		if (rc != !t[i].code) {
			printf("# stap fact failed: \"%s\" =~ \"%s\" gave %d\n",
			       t[i].s, t[i].re, rc);
			bad++;
		}
	}
	CHECK_INT(bad, 0, "SystemTap's regex test expectations");
}

/* group expectations of SystemTap's grouping tests and the docs */
static void test_stap_groups(void)
{
	static const struct {
		const char *re, *s, *g0, *g1, *g2;
		int ngroups;
	} t[] = {
		{ "str(ing)", "an example string", "string", "ing", NULL, 2 },
		{ "a*", "aaa", "aaa", NULL, NULL, 1 },
		{ "a?", "aaa", "a", NULL, NULL, 1 },
		{ "(ab)*", "abab", "abab", "ab", NULL, 2 },
		{ "(ab)?", "abab", "ab", "ab", NULL, 2 },
		{ "c(ab)?", "cabab", "cab", "ab", NULL, 2 },
		{ "(a*)a*a", "aaa", "aaa", "aa", NULL, 2 },
		{ "(long|longer)", "longer", "longer", "longer", NULL, 2 },
		{ "a|b", "ab", "a", NULL, NULL, 1 },
		{ "a+|b", "baaab", "b", NULL, NULL, 1 },
		{ "a*|b", "aaab", "aaa", NULL, NULL, 1 },
		{ "a*|b", "baaab", "b", NULL, NULL, 1 },
		{ "b|a*", "baaab", "b", NULL, NULL, 1 },
		{ "(.*).*", "abcdef", "abcdef", "abcdef", NULL, 2 },
		{ "(a+|b)*", "ab", "ab", "b", NULL, 2 },
		{ "(a+|b)+", "ab", "ab", "b", NULL, 2 },
		{ "([abc])*d", "abbbcd", "abbbcd", "c", NULL, 2 },
		{ "(ab|cd)e", "abcde", "cde", "cd", NULL, 2 },
		{ "(bc+d$|ef*g.|h?i(j|k))", "ij", "ij", "ij", "j", 3 },
		{ "(bc+d$|ef*g.|h?i(j|k))", "00effg12", "effg1", "effg1", "", 3 },
		{ "(bc+d$|ef*g.|h?i(j|k))", "bcccd", "bcccd", "bcccd", "", 3 },
		{ "a(bc)d", "abcd", "abcd", "bc", NULL, 2 },
		{ "ab[cde]", "xyabez", "abe", NULL, NULL, 1 },
		{ "^#! */.*/(k|ba||pdk|z)sh", "#! /bin/sh", "#! /bin/sh", "", NULL, 2 },
		{ "[abc]*d", "foacabdxy", "acabd", NULL, NULL, 1 },
		{ "a(.*)b", "a b", "a b", " ", NULL, 2 },
		{ "(^|foo)bar", "bar", "bar", "", NULL, 2 },
		{ "(foo|^)bar", "bazfoobar", "foobar", "foo", NULL, 2 },
		{ "a t.st", "This is a test.", "a test", NULL, NULL, 1 },
		{ "b.*foo", "b\xc3\xa4rfoob\xc3\xa4z", "b\xc3\xa4rfoo", NULL, NULL, 1 },
		{ "a|(b)", "a", "a", "", NULL, 2 },
		{ "a(b)(c)", "abc", "abc", "b", "c", 3 },
		{ "(?:ab)+(c)", "ababc", "ababc", "c", NULL, 2 },
		{ "x(?:y|(z))", "xz", "xz", "z", NULL, 2 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char what[160];
		int rc = re(t[i].re, t[i].s);
		int ok = rc == 1 && ngroups == t[i].ngroups &&
			 !strcmp(group(t[i].s, 0), t[i].g0) &&
			 (!t[i].g1 || !strcmp(group(t[i].s, 1), t[i].g1)) &&
			 (!t[i].g2 || !strcmp(group(t[i].s, 2), t[i].g2));

		snprintf(what, sizeof(what), "\"%s\" =~ \"%s\": groups", t[i].s,
			 t[i].re);
		if (!ok)
			printf("# got rc %d ngroups %d [%s] [%s] [%s]\n", rc,
			       ngroups, group(t[i].s, 0),
			       ngroups > 1 ? group(t[i].s, 1) : "-",
			       ngroups > 2 ? group(t[i].s, 2) : "-");
		CHECK(ok, what);
	}
	/* an unset group is (-1, -1); ngroups counts it */
	re("a|(b)", "a");
	CHECK(caps[2] == -1 && caps[3] == -1 && ngroups == 2, "unset group is -1,-1");
	re("(a)|b", "b");
	CHECK(caps[0] == 0 && caps[1] == 1 && caps[2] == -1, "other branch unset");
	/* caps beyond the program's groups are cleared */
	caps[10] = 77;
	re("(x)", "x");
	CHECK(caps[10] == -1, "extra capture slots set to -1");
}

static void test_syntax_errors(void)
{
	static const struct {
		const char *re, *msg;
		int pos;
	} t[] = {
		{ "a[b-d}+", "unclosed character class", 7 },
		{ "[", "unclosed character class", 1 },
		{ "*a", "unexpected '*'", 0 },
		{ "a|*b", "unexpected '*'", 2 },
		{ "(+a)", "unexpected '+'", 1 },
		{ "{1}", "unexpected '{'", 0 },
		{ "^*", "postfix closure '*' applied to anchoring operator", 1 },
		{ "a$?", "postfix closure '?' applied to anchoring operator", 2 },
		{ "(abc", "expected ), found end of regex", 4 },
		{ "a)b", "unbalanced ')'", 1 },
		{ "a))", "unbalanced ')'", 1 },
		{ "ab\\", "unexpected end of regex", 3 },
		{ "a{", "expected number", 2 },
		{ "a{,3}", "expected number", 2 },
		{ "a{2", "unexpected end of regex", 3 },
		{ "a{2x}", "expected ',' or '}'", 3 },
		{ "a{2,x}", "expected '}' or number", 4 },
		{ "a{2,3", "expected }, found end of regex", 5 },
		{ "a{2,3x", "expected }, found x", 5 },
		{ "a{12345}", "12345 is too large", 2 },
		{ "a{3,2}", "invalid repetition count: minimum above maximum", 5 },
		{ "[z-a]", "Inverted character range z-a", 3 },
		{ "[[:foo:]]", "unknown character class 'foo'", 3 },
		{ "[[:alpha", "unclosed character class '[:alpha'", 8 },
		{ "(?x)", "unexpected '(?x'", 2 },
		{ "(?", "unexpected end of regex", 2 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char what[128];
		int rc = compile(t[i].re);

		snprintf(what, sizeof(what), "error for \"%s\": %s", t[i].re,
			 t[i].msg);
		if (rc != BT_RE_ESYNTAX || strcmp(rerr.msg, t[i].msg) ||
		    rerr.offset != t[i].pos)
			printf("# got rc %d \"%s\" at %d\n", rc, rerr.msg,
			       rerr.offset);
		CHECK(rc == BT_RE_ESYNTAX && !strcmp(rerr.msg, t[i].msg) &&
		      rerr.offset == t[i].pos, what);
	}
	/* a single stray ')' at the very end is ignored, as stap does */
	CHECK(compile("abc)") == 0 && run("abc") == 1, "trailing ) ignored");
	CHECK(compile("(a))") == 0 && ngroups == 2, "trailing ) after a group");
	/* limits */
	CHECK_INT(compile("(a{100}){100}"), BT_RE_ETOOBIG, "huge expansion refused");
	CHECK_INT(compile("((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((a))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))"),
		  BT_RE_ETOOBIG, "nesting deeper than 64 refused");
	{
		char p[256] = "";
		int k;

		for (k = 0; k < 64; k++)
			strcat(p, "(a)");
		CHECK_INT(compile(p), BT_RE_ETOOBIG, "64 capture groups + group 0 refused");
		p[3 * 63] = 0;
		CHECK_INT(compile(p), 0, "63 capture groups accepted");
		CHECK_INT(ngroups, 64, "... and ngroups is 64");
	}
	{
		uint8_t small[200];
		size_t sz;

		CHECK_INT(bt_regex_compile("abc", 3, small, sizeof(small), &sz, &rerr),
			  BT_RE_ENOSPC, "tiny output buffer refused");
	}
	CHECK_INT(compile("a{1000}b{1000}c{1000}"), 0, "a{1000}b{1000}c{1000} fits");
	CHECK_INT(run("aaa"), 0, "... and runs");
}

/* ---------------------- glibc as the oracle ---------------------- */

static long g_total, g_match_bad, g_g0_bad, g_groups_bad, g_groups_total;
static long g_offsets_bad, g_modes_bad;

/* Compare one pattern on one string with glibc; returns 0 if equal. */
static int vs_glibc(const char *pat, const char *str, int check_groups,
		    int verbose)
{
	regex_t r;
	regmatch_t m[BT_RE_MAX_GROUPS];
	int gl, ours, k, bad = 0;

	if (regcomp(&r, pat, REG_EXTENDED))
		return 0;	/* glibc refuses: not comparable */
	if (compile(pat)) {
		regfree(&r);
		if (verbose)
			printf("# we refuse what glibc accepts: %s (%s)\n", pat,
			       rerr.msg);
		g_match_bad++;
		return 1;
	}
	gl = regexec(&r, str, BT_RE_MAX_GROUPS, m, 0) == 0;
	/* yes/no mode and group-0-only mode must agree with the full run */
	{
		int32_t c2[2];
		int yes = bt_regex_match(prog, str, strlen(str), NULL, 0,
					 scratch, sizeof(scratch));
		int g0 = bt_regex_match(prog, str, strlen(str), c2, 2, scratch,
					sizeof(scratch));

		ours = run(str);
		if (yes != ours || g0 != ours ||
		    (ours == 1 && (c2[0] != caps[0] || c2[1] != caps[1])))
			g_modes_bad++;
	}
	g_total++;
	if (gl != ours) {
		g_match_bad++;
		bad = 1;
	} else if (gl && (m[0].rm_so != caps[0] || m[0].rm_eo != caps[1])) {
		g_g0_bad++;
		bad = 1;
	} else if (gl && check_groups) {
		/*
		 * Compare what matched(n) shows a script: the text, "" for
		 * an unset group.  Raw offsets are counted separately.
		 */
		g_groups_total++;
		for (k = 1; k < ngroups; k++) {
			int gs = m[k].rm_so < 0 ? 0 : m[k].rm_so;
			int ge = m[k].rm_so < 0 ? 0 : m[k].rm_eo;
			int os = caps[2 * k] < 0 ? 0 : caps[2 * k];
			int oe = caps[2 * k] < 0 ? 0 : caps[2 * k + 1];

			if (ge - gs != oe - os ||
			    memcmp(str + gs, str + os, ge - gs) != 0) {
				g_groups_bad++;
				bad = 2;
				break;
			}
		}
		for (k = 1; k < ngroups; k++) {
			if (m[k].rm_so != caps[2 * k] ||
			    m[k].rm_eo != caps[2 * k + 1]) {
				g_offsets_bad++;
				break;
			}
		}
	}
	if (bad && verbose) {
		printf("# \"%s\" =~ \"%s\": glibc %d", str, pat, gl);
		for (k = 0; gl && k < ngroups; k++)
			printf(" (%d,%d)", (int)m[k].rm_so, (int)m[k].rm_eo);
		printf(" / ours %d", ours);
		for (k = 0; ours == 1 && k < ngroups; k++)
			printf(" (%d,%d)", caps[2 * k], caps[2 * k + 1]);
		printf("\n");
	}
	regfree(&r);
	return bad;
}

static const char *const corpus_pats[] = {
	"a", "abc", "a*", "a+", "a?", "a|b", "ab|cd", "(a|b)*c", "(ab)+",
	"a.c", ".*", ".+", "^a", "a$", "^$", "^abc$", "[abc]+", "[^abc]+",
	"[a-c]*d", "x[0-9]+y", "a{2}", "a{2,}", "a{1,3}", "a{0,2}b",
	"(a|ab)(c|bcd)", "(a*)(b*)", "(a*)*", "(a*)+", "(a|b)*", "(a+|b+)*",
	"a*b*c*", "(ab|a)(bc|c)", "((a)|b)+", "(a)|(b)", "x(a|b|c)*y",
	"(.*)c(.*)", "(.*)(.*)", "([a-z]+)([0-9]*)", "a(b|c)*d", "(foo|foobar)baz",
	"(a|aa)*b", "(a?)((ab)?)(b?)", "(wee|week)(knights|night)",
	"(.?)(.?)(.?)", "[[:alpha:]]+", "[[:digit:]]+[[:space:]]*",
	"[[:upper:]][[:lower:]]*", "[[:punct:]]", "[[:xdigit:]]{2,4}",
	"(^a|b)c", "(a$|b)", "a||b", "(|a)b", "()", "(a)(b)(c)(d)(e)",
	"((a)(b))*", "(a(b)?)+", "([ab]*)(b)", "z*(x|y)z*", "a.*b.*c",
	"[-a]", "[a-]+", "[]a]+", "[^]a]", "a{0}b", "(ab){2}", "(a|b){3,}",
	"b+a+b+", "(ba|b)*a", "c(a|b)*?d",
};

static const char *const corpus_strs[] = {
	"", "a", "b", "c", "ab", "ba", "abc", "abcd", "aaa", "aab", "abab",
	"xaybzc", "x123y", "foobarbaz", "foobaz", "weeknights", "aaab",
	"Hello World 42", "ab-]c", "abbbcd", "bcccd", "zzxzz", "aabbcc",
	"cabd", "cd", "a\nb", "baaab", "..;;", "1f2e", "ABCdef",
};

static void test_glibc_corpus(void)
{
	size_t i, j;

	g_total = g_match_bad = g_g0_bad = g_groups_bad = g_groups_total = 0;
	g_offsets_bad = 0;
	for (i = 0; i < sizeof(corpus_pats) / sizeof(corpus_pats[0]); i++)
		for (j = 0; j < sizeof(corpus_strs) / sizeof(corpus_strs[0]); j++)
			vs_glibc(corpus_pats[i], corpus_strs[j], 1,
				 g_match_bad + g_g0_bad < 10);
	printf("# corpus: %ld comparisons; matched(n) differs from glibc in %ld of %ld matches (raw offsets in %ld)\n",
	       g_total, g_groups_bad, g_groups_total, g_offsets_bad);
	CHECK(g_total > 1500, "corpus compared with glibc");
	CHECK_INT(g_match_bad, 0, "corpus: match / no match agrees with glibc");
	CHECK_INT(g_g0_bad, 0, "corpus: the match span is glibc's (leftmost-longest)");
}

/*
 * Patterns where Perl-order submatches inside the POSIX overall match
 * coincide with POSIX subexpression rules: all groups must equal glibc's.
 */
static void test_glibc_groups(void)
{
	static const char *const pats[] = {
		"(a*)(b*)", "([a-z]+)([0-9]*)", "(.*)c(.*)", "(a)(b)(c)",
		"x(a|b|c)*y", "(ab)+", "(a|b)*c", "((a)|b)+", "(a)|(b)",
		"([ab]*)(b)", "(foo|foobar)baz", "(wee|week)(knights|night)",
		"(a+|b+)*", "(.*)(.*)", "a(b|c)*d", "(^a|b)c", "(a(b)?)+",
		"(ab|a)(bc|c)", "(abc|ab)(c|bcd)", "((a)(b))*",
	};
	static const char *const strs[] = {
		"aabb", "abc123", "xaybzc", "abc", "xacby", "ababab", "abbac",
		"abab", "b", "abbb", "foobarbaz", "foobaz", "weeknights",
		"aabbab", "abcbd", "bc", "abaab", "abcd", "ac", "aab",
	};
	size_t i, j;

	g_total = g_match_bad = g_g0_bad = g_groups_bad = g_groups_total = 0;
	g_offsets_bad = 0;
	for (i = 0; i < sizeof(pats) / sizeof(pats[0]); i++)
		for (j = 0; j < sizeof(strs) / sizeof(strs[0]); j++)
			vs_glibc(pats[i], strs[j], 1, 1);
	CHECK(g_groups_total > 100, "group comparisons made");
	CHECK_INT(g_match_bad + g_g0_bad + g_groups_bad, 0,
		  "every group agrees with glibc on these patterns");
}

/* ------------------ random patterns against glibc ------------------ */

static unsigned int rng = 12345;

static unsigned int rnd(unsigned int n)
{
	rng = rng * 1103515245u + 12345u;
	return (rng >> 16) % n;
}

static void gen(char *p, size_t *n, size_t cap, int depth)
{
	int kind = rnd(depth > 3 ? 4 : 9);

	if (*n + 16 >= cap)
		kind = 0;
	switch (kind) {
	case 0:
	case 1:
	case 2:
		p[(*n)++] = "abc"[rnd(3)];
		break;
	case 3:
		p[(*n)++] = rnd(4) ? "abc"[rnd(3)] : '.';
		break;
	case 4:
		gen(p, n, cap, depth + 1);
		gen(p, n, cap, depth + 1);
		break;
	case 5:
		p[(*n)++] = '(';
		gen(p, n, cap, depth + 1);
		p[(*n)++] = '|';
		gen(p, n, cap, depth + 1);
		p[(*n)++] = ')';
		break;
	case 6:
		p[(*n)++] = '(';
		gen(p, n, cap, depth + 1);
		p[(*n)++] = ')';
		p[(*n)++] = "*+?"[rnd(3)];
		break;
	case 7:
		p[(*n)++] = '[';
		if (rnd(3) == 0)
			p[(*n)++] = '^';
		p[(*n)++] = "abc"[rnd(3)];
		p[(*n)++] = "abc"[rnd(3)];
		p[(*n)++] = ']';
		break;
	default:
		p[(*n)++] = "abc"[rnd(3)];
		p[(*n)++] = "*+?"[rnd(3)];
		if (rnd(5) == 0) {
			*n -= 1;
			*n += sprintf(p + *n, "{%u,%u}", rnd(2), 1 + rnd(2));
		}
		break;
	}
	p[*n] = 0;
}

static void test_glibc_random(void)
{
	int round, k;

	g_total = g_match_bad = g_g0_bad = g_groups_bad = g_groups_total = 0;
	g_offsets_bad = 0;
	for (round = 0; round < 4000; round++) {
		char pat[128], str[16];
		size_t n = 0;
		int len;

		gen(pat, &n, sizeof(pat) - 20, 0);
		if (rnd(6) == 0) {
			memmove(pat + 1, pat, n + 1);
			pat[0] = '^';
		}
		if (rnd(6) == 0)
			strcat(pat, "$");
		for (k = 0; k < 8; k++) {
			int i;

			len = rnd(10);
			for (i = 0; i < len; i++)
				str[i] = "abcab"[rnd(5)];
			str[len] = 0;
			vs_glibc(pat, str, 1, g_match_bad + g_g0_bad < 10);
		}
	}
	printf("# random: %ld comparisons; matched(n) differs from glibc in %ld of %ld matches (raw offsets in %ld)\n",
	       g_total, g_groups_bad, g_groups_total, g_offsets_bad);
	CHECK(g_total > 20000, "random patterns compared with glibc");
	CHECK_INT(g_match_bad, 0, "random: match / no match agrees with glibc");
	CHECK_INT(g_g0_bad, 0, "random: the match span agrees with glibc");
	CHECK_INT(g_modes_bad, 0, "yes/no and group-0-only runs agree with full runs");
	CHECK(g_groups_bad * 1000 <= g_groups_total,
	      "random: matched(n) text agrees with glibc in >= 99.9% of matches");
}

/* ------------------------- the program ------------------------- */

static void test_validator(void)
{
	uint8_t copy[sizeof(prog)];
	size_t sz;
	int k, rejected = 0, ran = 0;

	CHECK_INT(compile("(a|b)*[x-z]+c{2,3}$"), 0, "compile for validator tests");
	sz = prog_size;
	CHECK_INT(bt_regex_validate(prog, sz), 0, "compiled program validates");
	CHECK_INT(bt_regex_validate(prog, sz - 1), BT_RE_EINVAL, "short length refused");
	CHECK_INT(bt_regex_validate(prog, sz + 1), BT_RE_EINVAL, "long length refused");
	CHECK_INT(bt_regex_validate(prog, 3), BT_RE_EINVAL, "tiny length refused");
	CHECK_INT(bt_regex_validate(NULL, 0), BT_RE_EINVAL, "NULL refused");
	memcpy(copy, prog, sz);
	copy[0] ^= 1;
	CHECK_INT(bt_regex_validate(copy, sz), BT_RE_EINVAL, "bad magic refused");
	memcpy(copy, prog, sz);
	copy[BT_RE_HDR_SIZE + 2] = 0xff;	/* first insn's x */
	copy[BT_RE_HDR_SIZE + 3] = 0x7f;
	CHECK_INT(bt_regex_validate(copy, sz), BT_RE_EINVAL, "wild jump refused");
	memcpy(copy, prog, sz);
	copy[BT_RE_HDR_SIZE] = 42;
	CHECK_INT(bt_regex_validate(copy, sz), BT_RE_EINVAL, "bad opcode refused");
	/* a program whose last instruction falls off the end */
	{
		uint8_t p[BT_RE_HDR_SIZE + BT_RE_INSN_SIZE] = {
			'B', 'T', 'R', 'E', 1, 0, 1, 0, 1, 0, 0, 0,
			BT_RE_HDR_SIZE + BT_RE_INSN_SIZE, 0, 0, 0,
			BT_RE_OP_CHAR, 'a', 0, 0, 0, 0 };

		CHECK_INT(bt_regex_validate(p, sizeof(p)), BT_RE_EINVAL,
			  "falling off the end refused");
		p[BT_RE_HDR_SIZE] = BT_RE_OP_MATCH;
		p[BT_RE_HDR_SIZE + 1] = 0;
		CHECK_INT(bt_regex_validate(p, sizeof(p)), 0, "MATCH-only program is fine");
		CHECK_INT(bt_regex_match(p, "x", 1, caps, 2, scratch,
					 sizeof(scratch)), 1,
			  "a program without SAVEs runs safely");
		p[BT_RE_HDR_SIZE] = BT_RE_OP_SAVE;
		p[BT_RE_HDR_SIZE + 1] = 2;	/* slot 2 with one group */
		CHECK_INT(bt_regex_validate(p, sizeof(p)), BT_RE_EINVAL,
			  "capture slot out of range refused");
	}
	/* random corruption: refused, or runs without harm (ASan watches) */
	srand(99);
	for (k = 0; k < 20000; k++) {
		int flips = 1 + rand() % 3, f;

		memcpy(copy, prog, sz);
		for (f = 0; f < flips; f++)
			copy[rand() % sz] ^= (uint8_t)(1u << (rand() % 8));
		if (bt_regex_validate(copy, sz)) {
			rejected++;
			continue;
		}
		if (bt_regex_match(copy, "abxyzcc", 7, caps, 2 * BT_RE_MAX_GROUPS,
				   scratch, bt_regex_scratch_size(copy)) >= 0)
			ran++;
	}
	printf("# corrupted programs: %d refused, %d ran\n", rejected, ran);
	CHECK_INT(rejected + ran, 20000, "every corrupted program refused or run safely");
	/* scratch accounting */
	compile("(a|b)*c");
	CHECK_INT(bt_regex_match(prog, "abc", 3, caps, 4, scratch,
				 bt_regex_scratch_size(prog) - 1),
		  BT_RE_ESCRATCH, "scratch one byte short refused");
	{
		size_t need = bt_regex_scratch_size(prog);
		uint8_t *tight = malloc(need);

		CHECK_INT(bt_regex_match(prog, "abc", 3, caps, 4, tight, need), 1,
			  "exactly scratch_size bytes is enough (ASan checks)");
		CHECK_INT(bt_regex_match(prog, "zzz", 3, caps, 4, tight, need), 0,
			  "no match");
		free(tight);
	}
}

static void test_anchors(void)
{
	/* stap's $ consumes the terminating NUL; ^ is the initial position */
	CHECK_INT(re("$^", ""), 0, "$^ never matches (stap; glibc differs)");
	CHECK_INT(re("a$$", "a"), 0, "$$ never matches (stap; glibc differs)");
	CHECK_INT(re("^$", ""), 1, "^$ matches the empty string");
	CHECK_INT(re("$.*", "a"), 1, "$.* matches (.* empty after the end)");
	CHECK_INT(re("$.+", "a"), 0, "$.+ cannot match");
	CHECK_INT(re("(a$)", "ba"), 1, "(a$)");
	CHECK(caps[0] == 1 && caps[1] == 2 && caps[2] == 1 && caps[3] == 2,
	      "offsets after $ are clamped to the string's length");
	CHECK_INT(re("(a$|ab)", "ab"), 1, "(a$|ab)");
	CHECK(caps[0] == 0 && caps[1] == 2, "... leftmost-longest");
	CHECK_INT(re("x$|y", "xy"), 1, "x$|y");
	CHECK(caps[0] == 1 && caps[1] == 2, "... x is not at the end, y is");
	CHECK_INT(re("(^a)|b", "ba"), 1, "(^a)|b");
	CHECK(caps[0] == 0 && caps[1] == 1 && caps[2] == -1, "... ^a fails mid-string");
}

static void test_bytes_and_bounds(void)
{
	char s[600];

	/* NUL is data for the matcher, but '.' and [^x] never match it */
	compile("a.b");
	CHECK_INT(bt_regex_match(prog, "a\0b", 3, caps, 2, scratch, sizeof(scratch)),
		  0, ". does not match NUL");
	compile("a[^x]b");
	CHECK_INT(bt_regex_match(prog, "a\0b", 3, caps, 2, scratch, sizeof(scratch)),
		  0, "[^x] does not match NUL");
	compile("b$");
	CHECK_INT(bt_regex_match(prog, "ab\0", 2, caps, 2, scratch, sizeof(scratch)),
		  1, "length, not NUL, ends the string");
	/* high bytes and escapes */
	CHECK_INT(re("\xc3\xa4+", "x\xc3\xa4\xc3\xa4"), 1, "high bytes match as bytes");
	CHECK(caps[0] == 1 && caps[1] == 3, "... + repeats the last byte only");
	CHECK_INT(re("[\xc0-\xff]+", "\xe9t\xe9"), 1, "high-byte ranges");
	CHECK(caps[0] == 0 && caps[1] == 1, "... span");
	CHECK_INT(re("a\\.b", "axb"), 0, "\\. is a literal dot");
	CHECK_INT(re("a\\.b", "a.b"), 1, "\\. matches a dot");
	CHECK_INT(re("\\d", "d"), 1, "\\d is just d (no Perl classes)");
	CHECK_INT(re("[\\]]", "]"), 1, "\\] inside brackets");
	CHECK_INT(re("a\nb", "a\nb"), 1, "newline byte in pattern");
	CHECK_INT(re("a.b", "a\nb"), 1, ". matches newline");
	/* a long subject, MAXSTRINGLEN-sized */
	memset(s, 'a', 511);
	s[511] = 0;
	s[400] = 'b';
	CHECK_INT(re("a*ba*$", s), 1, "511-byte subject");
	CHECK(caps[0] == 0 && caps[1] == 511, "... whole span");
	CHECK_INT(re("(a|aa)*c", s), 0, "no exponential blow-up on (a|aa)*c");
}

int main(void)
{
	test_stap_facts();
	test_stap_groups();
	test_syntax_errors();
	test_glibc_corpus();
	test_glibc_groups();
	test_glibc_random();
	test_validator();
	test_anchors();
	test_bytes_and_bounds();
	return check_done();
}
