/*
 * parse_errors.c - exact diagnostics for parse errors (pass 1): lexer, preprocessor and parser messages.
 * Wording and token descriptions follow stap 4.8 (checked by running
 * stap -p1 on the same scripts); every message carries file:line:col,
 * the source line and a caret.
 */
#include "check.h"
#include "front_helpers.h"

static const struct { const char *src, *err; } cases[] = {
	{ "probe begin { x = (1 + { }",
		"parse error: expected literal string or number\n"
		"        saw: operator '{' at t.stp:1:24\n"
		"     source: probe begin { x = (1 + { }\n"
		"                                    ^\n"
		"\n"
		"" },
	{ "probe begin { x = 1 +",
		"parse error: expected value\n"
		"        saw: t.stp EOF\n"
		"\n"
		"" },
	{ "probe begin {\n"
		"\tx = 08\n"
		"}",
		"parse error: number invalid or out of range\n"
		"        saw: number '08' at t.stp:2:6\n"
		"     source: \tx = 08\n"
		"             \t    ^\n"
		"\n"
		"" },
	{ "probe begin { x = \"abc\n"
		"\" }",
		"parse error: Could not find matching closing quote\n"
		"         at: string '' at t.stp:1:19\n"
		"     source: probe begin { x = \"abc\n"
		"                               ^\n"
		"\n"
		"" },
	{ "probe begin { print($3) }",
		"parse error: command line argument out of range [1-2]\n"
		"         at: identifier '$3' at t.stp:1:21\n"
		"     source: probe begin { print($3) }\n"
		"                                 ^\n"
		"\n"
		"" },
	{ "probe begin { print(@foo) }",
		"parse error: unknown operator @foo\n"
		"        saw: operator '@foo' at t.stp:1:21\n"
		"     source: probe begin { print(@foo) }\n"
		"                                 ^\n"
		"\n"
		"" },
	{ "probe begin { return 1 }",
		"parse error: found 'return' not in function context\n"
		"        saw: keyword at t.stp:1:15\n"
		"     source: probe begin { return 1 }\n"
		"                           ^\n"
		"\n"
		"" },
	{ "probe begin { break }",
		"parse error: found 'break' not in loop context\n"
		"        saw: keyword at t.stp:1:15\n"
		"     source: probe begin { break }\n"
		"                           ^\n"
		"\n"
		"" },
	{ "probe begin { %( foo == 1 %? print(1) %) }",
		"parse error: expected 'arch', 'kernel_v', 'kernel_vr', 'systemtap_v',\n"
		"             'runtime', 'systemtap_privilege', 'CONFIG_...', or\n"
		"             comparison between strings or integers\n"
		"         at: identifier 'foo' at t.stp:1:18\n"
		"     source: probe begin { %( foo == 1 %? print(1) %) }\n"
		"                              ^\n"
		"\n"
		"" },
	{ "probe begin { %( 1 == 1 %? print(1) }",
		"parse error: incomplete conditional at end of file\n"
		"         at: operator '%(' at t.stp:1:15\n"
		"     source: probe begin { %( 1 == 1 %? print(1) }\n"
		"                           ^\n"
		"\n"
		"" },
	{ "probe begin { print(1) %) }",
		"parse error: incomplete conditional - missing '%('\n"
		"         at: operator '%)' at t.stp:1:24\n"
		"     source: probe begin { print(1) %) }\n"
		"                                    ^\n"
		"\n"
		"" },
	{ "probe begin { printf(\"%q\", 1) }",
		"parse error: invalid or missing conversion specifier\n"
		"        saw: string '%q' at t.stp:1:22\n"
		"     source: probe begin { printf(\"%q\", 1) }\n"
		"                                  ^\n"
		"\n"
		"" },
	{ "probe begin { printf(fmt, 1) }",
		"parse error: expected literal string\n"
		"        saw: identifier 'fmt' at t.stp:1:22\n"
		"     source: probe begin { printf(fmt, 1) }\n"
		"                                  ^\n"
		"\n"
		"" },
	{ "probe begin { x = 1 } %{ int x; %}",
		"parse error: embedded C is not supported\n"
		"        saw: embedded-code at t.stp:1:23\n"
		"     source: probe begin { x = 1 } %{ int x; %}\n"
		"                                   ^\n"
		"\n"
		"" },
	{ "probe begin { foreach (k in a @sum) print(k) }",
		"parse error: expected sort directive\n"
		"        saw: operator ')' at t.stp:1:35\n"
		"     source: probe begin { foreach (k in a @sum) print(k) }\n"
		"                                               ^\n"
		"\n"
		"" },
	{ "function f( { }",
		"parse error: expected identifier\n"
		"        saw: operator '{' at t.stp:1:13\n"
		"     source: function f( { }\n"
		"                         ^\n"
		"\n"
		"" },
	{ "probe begin { x = y /* unterminated",
		"parse error: unterminated comment\n"
		"         at: operator '/*' at t.stp:1:21\n"
		"     source: probe begin { x = y /* unterminated\n"
		"                                 ^\n"
		"\n"
		"" },
	{ "@define f(a) %( @a %) probe begin { print(@f) }",
		"parse error: expected '(' in invocation of macro '@f' taking 1 parameter\n"
		"         at: operator ')' at t.stp:1:45\n"
		"     source: @define f(a) %( @a %) probe begin { print(@f) }\n"
		"                                                         ^\n"
		"\n"
		"" },
	{ "@define f(a) %( @a %) probe begin { print(@f(1, 2)) }",
		"parse error: too many parameters for macro '@f' (expected 1)\n"
		"         at: operator ')' at t.stp:1:50\n"
		"     source: @define f(a) %( @a %) probe begin { print(@f(1, 2)) }\n"
		"                                                              ^\n"
		"\n"
		"" },
	{ "@define f %( @f %) probe begin { print(@f) }",
		"parse error: macro expansion nested too deeply\n"
		"         at: operator '@f' at t.stp:1:14\n"
		"     source: @define f %( @f %) probe begin { print(@f) }\n"
		"                          ^\n"
		"\n"
		"" },
	{ "probe begin { x = `1 }",
		"parse error: unexpected character '`'\n"
		"         at: operator '`' at t.stp:1:19\n"
		"     source: probe begin { x = `1 }\n"
		"                               ^\n"
		"\n"
		"" },
	{ "probe begin { foreach ([a-, b+] in x) print(a) }",
		"parse error: multiple sort directives\n"
		"        saw: identifier 'b' at t.stp:1:29\n"
		"     source: probe begin { foreach ([a-, b+] in x) print(a) }\n"
		"                                         ^\n"
		"\n"
		"" },
	{ "probe begin { a = 1 } probe",
		"parse error: expected probe point component\n"
		"        saw: t.stp EOF\n"
		"\n"
		"" },
	{ "global a, a probe begin { a = 1 }",
		"parse error: duplicate global name\n"
		"        saw: identifier 'a' at t.stp:1:11\n"
		"     source: global a, a probe begin { a = 1 }\n"
		"                       ^\n"
		"\n"
		"" },
	{ "global g\n"
		"private g\n"
		"probe begin { g = 1 }",
		"parse error: global versus private variable declaration conflict\n"
		"        saw: identifier 'g' at t.stp:2:9\n"
		"     source: private g\n"
		"                     ^\n"
		"\n"
		"" },
	{ "probe begin { printd(\",\", 1) }",
		"parse error: 'printd' needs at least two values to join\n"
		"        saw: operator ')' at t.stp:1:28\n"
		"     source: probe begin { printd(\",\", 1) }\n"
		"                                        ^\n"
		"\n"
		"" },
	{ "probe begin { x = @perf(\"\") }",
		"parse error: expected non-empty string\n"
		"        saw: string '' at t.stp:1:25\n"
		"     source: probe begin { x = @perf(\"\") }\n"
		"                                     ^\n"
		"\n"
		"" },
	{ "@define define %( 1 %) probe begin { }",
		"parse error: attempt to redefine '@define'\n"
		"         at: identifier 'define' at t.stp:1:9\n"
		"     source: @define define %( 1 %) probe begin { }\n"
		"                     ^\n"
		"\n"
		"" },
	{ "probe begin { %( 1 == 0 %? print(1) %? print(2) %) }",
		"parse error: incomplete conditional - missing '%('\n"
		"         at: operator '%?' at t.stp:1:37\n"
		"     source: probe begin { %( 1 == 0 %? print(1) %? print(2) %) }\n"
		"                                                 ^\n"
		"\n"
		"" },
	{ "%( arch >= \"x\" %? probe begin { } %)",
		"parse error: expected '==' or '!='\n"
		"         at: operator '>=' at t.stp:1:9\n"
		"     source: %( arch >= \"x\" %? probe begin { } %)\n"
		"                     ^\n"
		"\n"
		"" },
	{ "%( guru_mode == 2 %? probe begin { } %)",
		"parse error: expected 0 or 1\n"
		"         at: operator '==' at t.stp:1:14\n"
		"     source: %( guru_mode == 2 %? probe begin { } %)\n"
		"                          ^\n"
		"\n"
		"" },
	{ "#! stap -p1\n"
		"\n"
		"# only a comment\n"
		"",
		"Input file 't.stp' is empty.\n"
		"" },
};

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *args[] = { "a", "b" };
		struct fe_opts fo = { .pass = 1, .args = args, .nargs = 2 };
		struct fe_result r = fe_run_opts(cases[i].src, &fo);
		CHECK(r.rc == 1, cases[i].src);
		CHECK_STR(r.err, cases[i].err, cases[i].src);
		fe_free(&r);
	}
	return check_done();
}
