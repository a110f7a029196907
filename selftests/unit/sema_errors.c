/*
 * sema_errors.c - exact diagnostics for semantic errors (pass 2): resolution and type messages.
 * Wording and token descriptions follow stap 4.8 (checked by running
 * stap -p2 on the same scripts); every message carries file:line:col,
 * the source line and a caret.
 */
#include "check.h"
#include "front_helpers.h"

static const struct { const char *src, *err; } cases[] = {
	{ "global g = 5 probe begin { g = \"s\" }",
		"semantic error: type mismatch: expected string but found long: identifier 'g' at t.stp:1:28\n"
		"        source: global g = 5 probe begin { g = \"s\" }\n"
		"                                           ^\n"
		"\n"
		"" },
	{ "probe begin { print(f()) }",
		"semantic error: unresolved function f: identifier 'f' at t.stp:1:21\n"
		"        source: probe begin { print(f()) }\n"
		"                                    ^\n"
		"\n"
		"" },
	{ "function f(x) { return x } probe begin { f(1, 2) }",
		"semantic error: arity mismatch found (function 'f' takes 1 args): identifier 'f' at t.stp:1:42\n"
		"        source: function f(x) { return x } probe begin { f(1, 2) }\n"
		"                                                         ^\n"
		"\n"
		"identifier 'f' at t.stp:1:10\n"
		"        source: function f(x) { return x } probe begin { f(1, 2) }\n"
		"                         ^\n"
		"\n"
		"" },
	{ "global a probe begin { a = 1; a[1] = 2 }",
		"semantic error: inconsistent arity (0 vs 1): identifier 'a' at t.stp:1:31\n"
		"        source: global a probe begin { a = 1; a[1] = 2 }\n"
		"                                              ^\n"
		"\n"
		"semantic error: arity 0 first inferred here: identifier 'a' at t.stp:1:24\n"
		"        source: global a probe begin { a = 1; a[1] = 2 }\n"
		"                                       ^\n"
		"\n"
		"" },
	{ "probe begin { a[1] = 1 }",
		"semantic error: unresolved arity-1 global array a, missing global declaration?: identifier 'a' at t.stp:1:15\n"
		"        source: probe begin { a[1] = 1 }\n"
		"                              ^\n"
		"\n"
		"" },
	{ "probe begin { print(x) }",
		"semantic error: unresolved type : identifier 'x' at t.stp:1:21\n"
		"        source: probe begin { print(x) }\n"
		"                                    ^\n"
		"\n"
		"" },
	{ "global a probe begin { a[1] = 1; foreach (k in a) a[k] = 2 }",
		"semantic error: variable 'a' modified during 'foreach' iteration: identifier 'a' at t.stp:1:51\n"
		"        source: global a probe begin { a[1] = 1; foreach (k in a) a[k] = 2 }\n"
		"                                                                  ^\n"
		"\n"
		"" },
	{ "global a probe begin { a[1] = 1; foreach (k in a) f() } function f() { delete a }",
		"semantic error: variable 'a' modified during 'foreach' iteration: identifier 'f' at t.stp:1:51\n"
		"        source: global a probe begin { a[1] = 1; foreach (k in a) f() } function f() { delete a }\n"
		"                                                                  ^\n"
		"\n"
		"" },
	{ "probe begin { 1 = 2 }",
		"semantic error: Expecting lvalue for assignment: operator '=' at t.stp:1:17\n"
		"        source: probe begin { 1 = 2 }\n"
		"                                ^\n"
		"\n"
		"number '1' at t.stp:1:15\n"
		"        source: probe begin { 1 = 2 }\n"
		"                              ^\n"
		"\n"
		"" },
	{ "probe begin { delete 5 }",
		"semantic error: invalid operand of delete expression: number '5' at t.stp:1:22\n"
		"        source: probe begin { delete 5 }\n"
		"                                     ^\n"
		"\n"
		"" },
	{ "probe begin { print($x) }",
		"semantic error: unresolved target-symbol expression: identifier '$x' at t.stp:1:21\n"
		"        source: probe begin { print($x) }\n"
		"                                    ^\n"
		"\n"
		"" },
	{ "probe begin { print(@count(x)) }",
		"semantic error: stat locals not supported, missing global declaration? : identifier 'x' at t.stp:1:28\n"
		"        source: probe begin { print(@count(x)) }\n"
		"                                           ^\n"
		"\n"
		"" },
	{ "global s probe begin { s <<< 1; print(@hist_linear(s, 0, 10, 1)); print(@hist_log(s)) }",
		"semantic error: multiple histogram types declared on 's': operator '@hist_log' at t.stp:1:73\n"
		"        source: global s probe begin { s <<< 1; print(@hist_linear(s, 0, 10, 1)); print(@hist_log(s)) }\n"
		"                                                                                        ^\n"
		"\n"
		"" },
	{ "probe begin { printf(\"%d %s\", 1) }",
		"semantic error: Wrong number of args to formatted print operator: identifier 'printf' at t.stp:1:15\n"
		"        source: probe begin { printf(\"%d %s\", 1) }\n"
		"                              ^\n"
		"\n"
		"" },
	{ "probe begin { printf(\"%d\", \"s\") }",
		"semantic error: type mismatch: expected long but found string: string 's' at t.stp:1:28\n"
		"        source: probe begin { printf(\"%d\", \"s\") }\n"
		"                                           ^\n"
		"\n"
		"" },
	{ "global a probe begin { a[1] = 1; print(a[\"x\"]) }",
		"semantic error: type mismatch: expected long but found string: string 'x' at t.stp:1:42\n"
		"        source: global a probe begin { a[1] = 1; print(a[\"x\"]) }\n"
		"                                                         ^\n"
		"\n"
		"" },
	{ "probe foo { }",
		"semantic error: while resolving probe point: identifier 'foo' at t.stp:1:7\n"
		"        source: probe foo { }\n"
		"                      ^\n"
		"\n"
		"semantic error: probe point mismatch: identifier 'foo' at t.stp:1:7\n"
		"        source: probe foo { }\n"
		"                      ^\n"
		"\n"
		"" },
	{ "probe timer.ms(\"x\") { }",
		"semantic error: while resolving probe point: identifier 'timer' at t.stp:1:7\n"
		"        source: probe timer.ms(\"x\") { }\n"
		"                      ^\n"
		"\n"
		"semantic error: probe point mismatch: identifier 'ms' at t.stp:1:13\n"
		"        source: probe timer.ms(\"x\") { }\n"
		"                            ^\n"
		"\n"
		"" },
	{ "function f(a) { return a } probe begin { print(f(1)); print(f(\"s\")) }",
		"semantic error: type mismatch: expected long but found string: string 's' at t.stp:1:63\n"
		"        source: function f(a) { return a } probe begin { print(f(1)); print(f(\"s\")) }\n"
		"                                                                              ^\n"
		"\n"
		"" },
	{ "global a probe begin { a[1] = 1; foreach ([x, y] in a) print(x) }",
		"semantic error: inconsistent arity (1 vs 2): identifier 'a' at t.stp:1:53\n"
		"        source: global a probe begin { a[1] = 1; foreach ([x, y] in a) print(x) }\n"
		"                                                                    ^\n"
		"\n"
		"semantic error: arity 1 first inferred here: identifier 'a' at t.stp:1:24\n"
		"        source: global a probe begin { a[1] = 1; foreach ([x, y] in a) print(x) }\n"
		"                                       ^\n"
		"\n"
		"" },
	{ "global s probe begin { s <<< 1; s = 2 }",
		"semantic error: type mismatch (long): identifier 's' at t.stp:1:33\n"
		"        source: global s probe begin { s <<< 1; s = 2 }\n"
		"                                                ^\n"
		"\n"
		"semantic error: type was first inferred here (stats): identifier 's' at t.stp:1:24\n"
		"        source: global s probe begin { s <<< 1; s = 2 }\n"
		"                                       ^\n"
		"\n"
		"" },
	{ "probe begin { if (\"s\") print(1) }",
		"semantic error: type mismatch: expected long but found string: string 's' at t.stp:1:19\n"
		"        source: probe begin { if (\"s\") print(1) }\n"
		"                                  ^\n"
		"\n"
		"" },
	{ "global a probe begin { a[1] = 1; a[1, 2] = 1 }",
		"semantic error: inconsistent arity (1 vs 2): identifier 'a' at t.stp:1:34\n"
		"        source: global a probe begin { a[1] = 1; a[1, 2] = 1 }\n"
		"                                                 ^\n"
		"\n"
		"semantic error: arity 1 first inferred here: identifier 'a' at t.stp:1:24\n"
		"        source: global a probe begin { a[1] = 1; a[1, 2] = 1 }\n"
		"                                       ^\n"
		"\n"
		"" },
	{ "probe begin { x = ++\"s\" }",
		"semantic error: Expecting lvalue for assignment: operator '++' at t.stp:1:19\n"
		"        source: probe begin { x = ++\"s\" }\n"
		"                                  ^\n"
		"\n"
		"string 's' at t.stp:1:21\n"
		"        source: probe begin { x = ++\"s\" }\n"
		"                                    ^\n"
		"\n"
		"" },
};

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *args[] = { "a", "b" };
		struct fe_opts fo = { .pass = 2, .args = args, .nargs = 2 };
		struct fe_result r = fe_run_opts(cases[i].src, &fo);
		CHECK(r.rc == 2, cases[i].src);
		CHECK_STR(r.err, cases[i].err, cases[i].src);
		fe_free(&r);
	}
	return check_done();
}
