/*
 * parse_preproc.c - @define macros, %( %) conditionals and $1/@1/$#/@#.
 * The expected texts are stap 4.8's -p1 output for the same scripts run
 * as `stap -r 6.1.0-56-amd64 -p1 -e SCRIPT 10 xyz` (x86_64).
 */
#include "check.h"
#include "front_helpers.h"

static const struct { const char *src, *p1; } cases[] = {
	{ "probe begin { print(%( kernel_v >= \"2.6\" %? 1 %: 2 %)) }",
		"probe begin{\n"
		"print(1);\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { print(%( kernel_v < \"2.6\" %? 1 %: 2 %)) }",
		"probe begin{\n"
		"print(2);\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { print(%( kernel_vr == \"6.1*\" %? 1 %: 2 %)) }",
		"probe begin{\n"
		"print(1);\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { print(%( arch == \"x86_64\" %? 1 %: 2 %)) }",
		"probe begin{\n"
		"print(1);\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { print(%( arch != \"x86_64\" && kernel_v > \"1\" %? 1 %: 2 %)) }",
		"probe begin{\n"
		"print(2);\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { print(%( arch == \"foo\" || kernel_v > \"1\" %? 1 %: 2 %)) }",
		"probe begin{\n"
		"print(1);\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { print(%( systemtap_v >= \"4.0\" %? 1 %: 2 %)) }",
		"probe begin{\n"
		"print(1);\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { print(%( systemtap_v >= \"5.0\" %? 1 %: 2 %)) }",
		"probe begin{\n"
		"print(2);\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { print(%( $# == 2 %? 1 %: 2 %)) }",
		"probe begin{\n"
		"print(1);\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { print(%( $1 == 10 %? @2 %: \"no\" %)) }",
		"probe begin{\n"
		"print(\"xyz\");\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { print(%( @2 == \"xyz\" %? \"yes\" %: \"no\" %)) }",
		"probe begin{\n"
		"print(\"yes\");\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { print($1, @1, $#, @#) }",
		"probe begin{\n"
		"print(10, \"10\", 2, \"2\");\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { print(%( CONFIG_NOPE == \"y\" %? 1 %: 2 %)) }",
		"probe begin{\n"
		"print(2);\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { print(%( runtime == \"kernel\" %? 1 %: 2 %)) }",
		"probe begin{\n"
		"print(1);\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { print(%( guru_mode == 0 %? 1 %: 2 %)) }",
		"probe begin{\n"
		"print(1);\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { print(%( systemtap_privilege == \"stapdev\" %? 1 %: 2 %)) }",
		"probe begin{\n"
		"print(1);\n"
		"}\n"
		"\n"
		"" },
	{ "@define foo %( 3 %) probe begin { print(@foo) }",
		"probe begin{\n"
		"print(3);\n"
		"}\n"
		"\n"
		"" },
	{ "@define add(a,b) %( (@a + @b) %) probe begin { print(@add(1, 2 * 3)) }",
		"probe begin{\n"
		"print((1) + ((2) * (3)));\n"
		"}\n"
		"\n"
		"" },
	{ "@define add(a,b) %( (@a + @b) %) @define twice(x) %( @add(@x, @x) %) probe begin { print(@twice(5)) }",
		"probe begin{\n"
		"print((5) + (5));\n"
		"}\n"
		"\n"
		"" },
	{ "@define f(a) %( %( @a == 1 %? \"one\" %: \"other\" %) %) probe begin { print(@f(1), @f(2)) }",
		"probe begin{\n"
		"print(\"one\", \"other\");\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { print(%( 1 == 1 %? %( 2 == 3 %? \"a\" %: \"b\" %) %: \"c\" %)) }",
		"probe begin{\n"
		"print(\"b\");\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { %( 1 == 0 %? %{ junk %} %) print(1) }",
		"probe begin{\n"
		"print(1);\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { print(\"a\" \"b\" @2) }",
		"probe begin{\n"
		"print(\"abxyz\");\n"
		"}\n"
		"\n"
		"" },
	{ "probe begin { print(1) } %( kernel_v >= \"3.0\" %? probe end { print(2) } %)",
		"probe begin{\n"
		"print(1);\n"
		"}\n"
		"probe end{\n"
		"print(2);\n"
		"}\n"
		"\n"
		"" },
};

static char *p1_with_args(const char *src)
{
	const char *args[] = { "10", "xyz" };
	struct fe_opts fo = { .pass = 1, .args = args, .nargs = 2 };
	struct fe_result r = fe_run_opts(src, &fo);
	char *body;
	if (r.rc == 0) {
		const char *p = strchr(r.out, '\n');
		p = p ? strchr(p + 1, '\n') : NULL;
		body = strdup(p ? p + 1 : "");
	} else {
		body = strdup(r.err);
	}
	fe_free(&r);
	return body;
}

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = p1_with_args(cases[i].src);
		CHECK_STR(got, cases[i].p1, cases[i].src);
		free(got);
	}

	/* $1 pastes tokens (no parentheses: 5+5 * 2 == 15), @2 is a string */
	const char *args[] = { "5+5", "two words" };
	struct fe_opts fo = { .pass = 1, .args = args, .nargs = 2 };
	struct fe_result r = fe_run_opts("probe begin { x = $1 * 2; s = @2 }", &fo);
	CHECK(r.rc == 0 && strstr(r.out, "(x) = ((5) + ((5) * (2)));") != NULL,
	      "$1 pastes tokens");
	CHECK(r.rc == 0 && strstr(r.out, "(s) = (\"two words\");") != NULL,
	      "@2 is a string literal");
	fe_free(&r);

	/* $1 pasting itself must not loop */
	const char *self[] = { "$1" };
	fo.args = self;
	fo.nargs = 1;
	r = fe_run_opts("probe begin { x = $1 }", &fo);
	CHECK(r.rc == 0 && strstr(r.out, "$1") != NULL, "$1 = \"$1\" terminates");
	fe_free(&r);

	/* kernel_vr with wildcards, CONFIG_ of an unknown kernel is unset */
	r = fe_run("probe begin { print(%( kernel_vr == \"6.1.0-*-amd64\" "
		   "%? 1 %: 2 %), %( CONFIG_NOPE_X == \"y\" %? 3 %: 4 %)) }", 1);
	CHECK(r.rc == 0 && strstr(r.out, "print(1, 4);") != NULL,
	      "kernel_vr fnmatch, CONFIG_ unset");
	fe_free(&r);

	/* nested conditionals; the skipped branch may hold junk */
	r = fe_run("probe begin { %( 1 == 2 %? %( junk %? %) ) ) %: print(7) %) }", 1);
	CHECK(r.rc == 0 && strstr(r.out, "print(7);") != NULL,
	      "skipped branch is not parsed");
	fe_free(&r);
	return check_done();
}
