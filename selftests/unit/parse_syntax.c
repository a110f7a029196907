/*
 * parse_syntax.c - the parser against stap 4.8: every case's expected text
 * is what `stap -p1 -e CASE` printed (minus its two header lines), so the
 * tree shape, precedence and associativity match SystemTap's.
 */
#include "check.h"
#include "front_helpers.h"

static const struct { const char *src, *p1; } cases[] = {
	{ "probe begin { x = 1 + 2 * 3 - 4 / 5 % 6 }",
		"probe begin{\n"
		"(x) = (((1) + ((2) * (3))) - (((4) / (5)) % (6)));\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { x = 1 << 2 >> 3 . \"a\" . \"b\" }",
		"probe begin{\n"
		"(x) = (((1) << (2)) >> (((3) . (\"a\")) . (\"b\")));\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { x = a < b == c != d >= e <= f > g }",
		"probe begin{\n"
		"(x) = (((((((a) < (b)) == (c)) != (d)) >= (e)) <= (f)) > (g));\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { x = a || b && c | d ^ e & f }",
		"probe begin{\n"
		"(x) = ((a) || ((b) && ((c) | ((d) ^ ((e) & (f))))));\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { x = -a + +b - !c ~ ~d }",
		"probe begin{\n"
		"(x) = (((-(a)) + (+(b))) - (!(c)));\n"
		"~(~(d));\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { x = a ? b : c ? d : e }",
		"probe begin{\n"
		"(x) = ((a)?(b):((c)?(d):(e)));\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { x = y = z += 1 }",
		"probe begin{\n"
		"(x) = ((y) = ((z) += (1)));\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { a -= 1; a *= 2; a /= 3; a %= 4; a <<= 5; a >>= 6; a &= 7; a |= 8; a ^= 9; a .= \"x\" }",
		"probe begin{\n"
		"(a) -= (1);\n"
		"(a) *= (2);\n"
		"(a) /= (3);\n"
		"(a) %= (4);\n"
		"(a) <<= (5);\n"
		"(a) >>= (6);\n"
		"(a) &= (7);\n"
		"(a) |= (8);\n"
		"(a) ^= (9);\n"
		"(a) .= (\"x\");\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { ++x; --x; x++; x--; y = x++ + ++x }",
		"probe begin{\n"
		"++(x);\n"
		"--(x);\n"
		"(x)++;\n"
		"(x)--;\n"
		"(y) = (((x)++) + (++(x)));\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { s = \"a\" \"b\" \"c\" }",
		"probe begin{\n"
		"(s) = (\"abc\");\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { x = 0x1f + 017 + 18446744073709551615 + 9223372036854775808 }",
		"probe begin{\n"
		"(x) = ((((31) + (15)) + (-1)) + (-9223372036854775808));\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { x = arr[1, \"a\", y] ; y = [1, 2] in arr; z = k in arr; w = [*, 1] in arr }",
		"probe begin{\n"
		"(x) = (arr[1, \"a\", y]);\n"
		"(y) = ([1, 2] in arr);\n"
		"(z) = ([k] in arr);\n"
		"(w) = ([*, 1] in arr);\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { arr[1] <<< 5; print(@count(arr[1]), @sum(s), @min(s), @max(s), @avg(s), @variance(s), @variance(s, 3)) }",
		"probe begin{\n"
		"(arr[1]) <<< (5);\n"
		"print(@count(arr[1]), @sum(s), @min(s), @max(s), @avg(s), @variance(s), @variance(s, 3));\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { print(@hist_log(s)); print(@hist_linear(s, 0, 100, 10)); x = @hist_log(s)[2] }",
		"probe begin{\n"
		"print(@hist_log(s));\n"
		"print(@hist_linear(s, 0, 100, 10));\n"
		"(x) = (@hist_log(s)[2]);\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { if (x) y = 1 }",
		"probe begin{\n"
		"if (x) (y) = (1)\n"
		";\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { if (x) { y = 1 } else if (z) y = 2 else { y = 3 } }",
		"probe begin{\n"
		"if (x) {\n"
		"(y) = (1);\n"
		"}\n"
		"else if (z) (y) = (2)\n"
		"else {\n"
		"(y) = (3);\n"
		"}\n"
		"\n"
		";\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { while (i < 10) { i++; if (i == 5) continue; if (i == 8) break } }",
		"probe begin{\n"
		"for (; (i) < (10); ) {\n"
		"(i)++;\n"
		"if ((i) == (5)) continue\n"
		";\n"
		"if ((i) == (8)) break\n"
		";\n"
		"};\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { for (i = 0; i < 3; i++) print(i); for (;;) break }",
		"probe begin{\n"
		"for ((i) = (0); (i) < (3); (i)++) print(i);\n"
		"for (; 1; ) break;\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { foreach (k in a) print(k); foreach ([k1, k2] in a) print(k1) }",
		"probe begin{\n"
		"foreach ([k] in a) print(k);\n"
		"foreach ([k1, k2] in a) print(k1);\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { foreach (k- in a limit 10) print(k); foreach (v = [k1, k2+] in a) print(v) }",
		"probe begin{\n"
		"foreach ([k-] in a limit 10) print(k);\n"
		"foreach (v = [k1, k2+] in a) print(v);\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { foreach (v = k in a-) print(v); foreach (k in a+ limit x + 1) print(k) }",
		"probe begin{\n"
		"foreach (v = [k] in a-) print(v);\n"
		"foreach ([k] in a+ limit (x) + (1)) print(k);\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { foreach ([k1, k2] in a[1, *]) print(k1); foreach (k in st @max+) print(k) }",
		"probe begin{\n"
		"foreach ([k1, k2] in a[1, *]) print(k1);\n"
		"foreach ([k] in st @max+) print(k);\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { foreach (b in @hist_log(st)) print(b); foreach (n = b in @hist_linear(st, 0, 10, 2)) print(n) }",
		"probe begin{\n"
		"foreach ([b] in @hist_log(st)) print(b);\n"
		"foreach (n = [b] in @hist_linear(st, 0, 10, 2)) print(n);\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { delete a; delete a[1]; delete a[*, 2]; delete x }",
		"probe begin{\n"
		"delete a;\n"
		"delete a[1];\n"
		"delete a[*, 2];\n"
		"delete x;\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { try { x = 1 } catch { y = 2 }; try { error(\"e\") } catch (m) { println(m) } }",
		"probe begin{\n"
		"try {\n"
		"{\n"
		"(x) = (1);\n"
		"}\n"
		"} catch {\n"
		"{\n"
		"(y) = (2);\n"
		"}\n"
		"}\n"
		";\n"
		";;\n"
		"try {\n"
		"{\n"
		"error(\"e\");\n"
		"}\n"
		"} catch (m) {\n"
		"{\n"
		"println(m);\n"
		"}\n"
		"}\n"
		";\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { next; }",
		"probe begin{\n"
		"next;\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { print(1); println(1, \"a\"); printd(\",\", 1, 2); printdln(\",\", 1, 2); printf(\"%d\", 1); x = sprint(1); y = sprintln(2); z = sprintd(\",\", 1, 2); w = sprintdln(\",\", 1, 2); q = sprintf(\"%s\", \"a\") }",
		"probe begin{\n"
		"print(1);\n"
		"println(1, \"a\");\n"
		"printd(\",\", 1, 2);\n"
		"printdln(\",\", 1, 2);\n"
		"printf(\"%d\", 1);\n"
		"(x) = (sprint(1));\n"
		"(y) = (sprintln(2));\n"
		"(z) = (sprintd(\",\", 1, 2));\n"
		"(w) = (sprintdln(\",\", 1, 2));\n"
		"(q) = (sprintf(\"%s\", \"a\"));\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { print($x, $x->y, $x->y[1]->z, &$x, $$vars, $$parms) }",
		"probe begin{\n"
		"print($x, $x->y, $x->y[1]->z, &$x, $$vars, $$parms);\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { print(@cast(p, \"task_struct\")->pid, @cast(p, \"task_struct\", \"kernel\")->comm) }",
		"probe begin{\n"
		"print(@cast(p, \"task_struct\")->pid, @cast(p, \"task_struct\", \"kernel\")->comm);\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { print(@entry($x), @defined($y), @perf(\"cycles\")) }",
		"probe begin{\n"
		"print(@entry($x), @defined($y), @perf(\"cycles\"));\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { print(@var(\"jiffies\"), @var(\"x@file.c\", \"mod\")->y) }",
		"probe begin{\n"
		"print(@var(\"jiffies\"), @var(\"x@file.c\", \"mod\")->y);\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin, end, timer.ms(100), timer.s(1).randomize(2) { print(1) }",
		"probe begin,end,timer.ms(100),timer.s(1).randomize(2){\n"
		"print(1);\n"
		"}\n"
		"\n"
		"" },
	{ "probe kernel.function(\"vfs_*\").return?, kprobe.function(\"x\").call!, syscall.*.return { print(1) }",
		"probe kernel.function(\"vfs_*\").return?,kprobe.function(\"x\").call!,syscall.*.return{\n"
		"print(1);\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin(-5), end(10), process(\"/bin/ls\").function(\"main\") { print(1) }",
		"probe begin(-5),end(10),process(\"/bin/ls\").function(\"main\"){\n"
		"print(1);\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin if (x > 0), end { print(1) }",
		"probe begin if ((x) > (0)),end{\n"
		"print(1);\n"
		"}\n"
		"\n"
		"" },
	{ "global a, b[10], c%, d%[5], e = 1, f = \"str\", g = -2",
		"global a\n"
		"global b[10]\n"
		"global c%\n"
		"global d%[5]\n"
		"global e = 1\n"
		"global f = \"str\"\n"
		"global g = -2\n"
		"\n"
		"" },
	{ "private global h",
		"global h\n"
		"\n"
		"" },
	{ "function f1() { return 1 }",
		"function f1 ()\n"
		"{\n"
		"return 1;\n"
		"}\n"
		"\n"
		"" },
	{ "function f2:long (a:long, b:string) { return a }",
		"function f2 (a, b)\n"
		"{\n"
		"return a;\n"
		"}\n"
		"\n"
		"" },
	{ "function f3(a) : 5 { return a }",
		"function f3 (a)\n"
		"{\n"
		"return a;\n"
		"}\n"
		"\n"
		"" },
	{ "private function f4(x) { next }",
		"function f4 (x)\n"
		"{\n"
		"next;\n"
		"}\n"
		"\n"
		"" },
	{ "probe myname = begin { x = 1 }",
		"probe myname = begin{\n"
		"(x) = (1);\n"
		"}\n"
		"\n"
		"" },
	{ "probe myname2 += end { y = 1 }",
		"probe myname2 += end{\n"
		"(y) = (1);\n"
		"}\n"
		"\n"
		"" },
	/* stap drops the epilogue of the combined form from -p1 */
	{ "probe myname3 = begin { x = 1 }, { y = 2 }",
		"probe myname3 = begin{\n"
		"(x) = (1);\n"
		"}, {\n"
		"(y) = (2);\n"
		"}\n"
		"\n"
		"" },
	{ "probe a.b.c = begin, end { x = 1 }",
		"probe a.b.c = begin, end{\n"
		"(x) = (1);\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { x = y ; ; ; z = w }",
		"probe begin{\n"
		"(x) = (y);\n"
		";;\n"
		";;\n"
		"(z) = (w);\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { x = \"tab\\there\\\"quote\\\\back\" }",
		"probe begin{\n"
		"(x) = (\"tab\\there\\\"quote\\\\back\");\n"
		"}\n"
		"\n"
		"" },
};

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = fe_p1_body(cases[i].src);
		CHECK_STR(got, cases[i].p1, cases[i].src);
		free(got);
	}
	return check_done();
}
