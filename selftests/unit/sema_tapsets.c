/*
 * sema_tapsets.c - lazy tapset loading: only files that define names the
 * script needs are parsed (to closure), private names stay file-local,
 * aliases (=, +=, combined, nested, wildcards) expand, *.stpm macros work,
 * and broken files nobody needs stay silent.
 */
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"
#include "front_helpers.h"

static char dir[64];

static void put(const char *name, const char *text)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f)
		abort();
	fputs(text, f);
	fclose(f);
}

static struct fe_result run(const char *src)
{
	struct fe_opts fo = { .pass = 2, .tapsets = dir };
	return fe_run_opts(src, &fo);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/bytetap-tapsets-XXXXXX");
	if (!mkdtemp(dir))
		abort();
	put("a.stp", "global tapglob\n"
	    "function foo:long(x:long) { return x * 2 }\n"
	    "probe myalias = begin { v = 1 }\n");
	put("b.stp", "function bar() { tapglob = 5; return foo(1) }\n");
	put("c.stp", "private function hidden() { return 1 }\n"
	    "private global secret\n"
	    "function usehidden() { secret = 2; return hidden() + secret }\n");
	put("d.stp", "function broken( { this is not valid\n");
	put("e.stp", "probe fam.one = timer.ms(1) { n = \"one\" }\n"
	    "probe fam.two = timer.ms(2) { n = \"two\" }\n"
	    "probe fam.nest = fam.one { m = 2 }\n"
	    "probe oneshot = begin { o = 1 }, { exit() }\n"
	    "probe ep += end { e = 3 }\n");
	put("f.stp", "function only_in_f() { return %( 1 == 1 %? 7 %: 8 %) }\n");
	put("m.stpm", "@define twice(x) %( ((@x) * 2) %)\n");

	struct fe_result r = run("probe myalias { print(v, bar(), usehidden(), @twice(3)) }");
	CHECK_INT(r.rc, 0, "functions, globals, aliases and macros from tapsets");
	CHECK(strstr(r.out, "tapglob:long\n") != NULL, "tapset global pulled in");
	CHECK(strstr(r.out, "foo:long (x:long)\n") != NULL, "foo pulled in via bar");
	CHECK(strstr(r.out, "hidden:long ()\n") != NULL, "private function usable in its file");
	CHECK(strstr(r.out, "begin /* <- myalias <- myalias */") != NULL, "alias expanded");
	CHECK(strstr(r.err, "broken") == NULL && r.err[0] == 0,
	      "unneeded broken file stays silent");
	fe_free(&r);

	r = run("probe begin { print(hidden()) }");
	CHECK_INT(r.rc, 2, "private function invisible outside its file");
	CHECK(strstr(r.err, "unresolved function hidden") != NULL, "message");
	fe_free(&r);

	r = run("probe begin { secret = 1; print(secret) }");
	CHECK_INT(r.rc, 0, "a private tapset global doesn't capture a user name");
	CHECK(strstr(r.out, "secret") && strstr(r.out, "# locals\n  secret:long"),
	      "secret is a local here");
	fe_free(&r);

	r = run("probe fam.* { print(n) }");
	CHECK_INT(r.rc, 0, "wildcard over aliases");
	CHECK(strstr(r.out, "timer.ms(1) /* <- fam.one <- fam.* */") &&
	      strstr(r.out, "timer.ms(2) /* <- fam.two <- fam.* */"),
	      "fam.* matches fam.one and fam.two");
	fe_free(&r);

	r = run("probe fam.nest { print(m, n) } probe oneshot { print(o) } probe ep { print(e) }");
	CHECK_INT(r.rc, 0, "nested, combined and += aliases");
	fe_free(&r);

	r = run("probe begin { print(only_in_f()) }");
	CHECK_INT(r.rc, 0, "tapset with a conditional");
	fe_free(&r);

	r = run("probe begin { print(d_undefined()) }");
	CHECK_INT(r.rc, 2, "unknown function still an error");
	fe_free(&r);

	/* a user definition wins over the tapset one */
	r = run("function foo(x) { return \"mine\" } probe begin { print(foo(1)) }");
	CHECK_INT(r.rc, 0, "user foo shadows tapset foo");
	CHECK(strstr(r.out, "foo:string (x:long)") != NULL, "the user's foo");
	fe_free(&r);

	const char *names[] = { "a.stp", "b.stp", "c.stp", "d.stp", "e.stp",
				"f.stp", "m.stpm" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[128];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
	return check_done();
}
