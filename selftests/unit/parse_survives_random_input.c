/*
 * parse_survives_random_input.c - random and mutated scripts through
 * lex + preprocess + parse + sema + both dumps must never crash (this runs
 * under ASan/UBSan in make check).  Deterministic PRNG, bounded by a time
 * budget.  BYTETAP_FUZZ_SECONDS / BYTETAP_FUZZ_SEED override the budget
 * and the seed.
 */
#include <time.h>
#include <unistd.h>
#include "check.h"
#include "front_helpers.h"

static const char *const seeds[] = {
	"global a[100], b%, s = \"x\\n\", n = -3\n"
	"probe begin, timer.ms(100)? { a[1, \"x\"] = 5; b[pid()] <<< 1;\n"
	"  foreach ([k1, k2-] in a limit 5) printf(\"%d %s\\n\", k1, k2);\n"
	"  print(@count(b[1])); print(@hist_log(b[1])); delete a[*, \"x\"] }\n",

	"function f:long (x:long, y:string) :3 { if (x > 0) return f(x - 1, y) else return strlen(y) }\n"
	"probe end { try { error(sprint(f(3, \"ab\"))) } catch (m) { println(m) }\n"
	"  while (i < 10) { i++; if (i % 2) continue; j .= \"x\" }\n"
	"  for (;;) break; x = i ? \"a\" : \"b\"; print(x =~ \"a+\", matched(0)) }\n",

	"@define twice(x) %( ((@x) * 2) %)\n"
	"%( kernel_v >= \"2.6\" && arch == \"x86_64\" %? probe begin { print(@twice($1)) } %:\n"
	"probe begin { print(@1) } %)\n"
	"probe foo = begin { v = 1 }, { exit() } probe foo { print(v, $#, @#) }\n",

	"probe tsalias.* { print(tsfunc(n), @tsmacro) } probe tsnest { print(m) }\n"
	"function local_f(x) { return tsfunc(x) + tsglob }\n"
	"probe begin { tsglob = local_f(2); print(tsglob) }\n",

	"global st, h probe kprobe.function(\"vfs_read\").return { st <<< returnval(); h[execname()]++;\n"
	"  println(@hist_linear(st, 0, 100, 10)); print(@defined(@entry($x)), @defined($y), @defined($x->y[2])) }\n"
	"probe timer.s(1) { foreach (v = [k] in h+ limit 3) printd(\",\", k, v); print(@sum(st)) }\n",
};

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static const char *const fragments[] = {
	"(", ")", "{", "}", "[", "]", ",", ";", "%(", "%?", "%:", "%)", "%{", "%}",
	"@define", "@1", "$1", "$#", "@#", "<<<", ">>>", ".=", "=~", "!~", "++",
	"--", "->", "\"", "\\", "/*", "*/", "#", "//", "\n", "probe", "global",
	"function", "foreach", "in", "limit", "delete", "try", "catch", "if",
	"else", "return", "next", "break", "@count(", "@hist_log(", "@cast(",
	"$x", "$$vars", "a[1]", "1", "-", "9223372036854775808", "0x", "08",
	"*", "?", "!", ":", "=", "+=", "private", "string", "long",
};

/* One mutation of buf (a malloc'd NUL-terminated string). */
static char *mutate(char *buf)
{
	size_t len = strlen(buf);
	size_t pos = len ? next_rand() % (len + 1) : 0;
	int op = next_rand() % 5;
	char *out;
	if (op == 0 && len) {
		/* delete a span */
		size_t n = 1 + next_rand() % 8;
		if (pos + n > len)
			n = len - pos;
		memmove(buf + pos, buf + pos + n, len - pos - n + 1);
		return buf;
	}
	if (op == 1 && len) {
		/* flip a byte, sometimes to a non-ASCII one */
		if (pos == len)
			pos--;
		buf[pos] = (char)(next_rand() % 2 ? 32 + next_rand() % 95 :
				  1 + next_rand() % 255);
		return buf;
	}
	if (op == 2 && len) {
		/* duplicate a chunk elsewhere */
		size_t from = next_rand() % len, n = 1 + next_rand() % 32;
		if (from + n > len)
			n = len - from;
		out = malloc(len + n + 1);
		memcpy(out, buf, pos);
		memcpy(out + pos, buf + from, n);
		memcpy(out + pos + n, buf + pos, len - pos + 1);
		free(buf);
		return out;
	}
	/* insert a fragment */
	const char *f = fragments[next_rand() % (sizeof(fragments) / sizeof(fragments[0]))];
	size_t n = strlen(f);
	out = malloc(len + n + 1);
	memcpy(out, buf, pos);
	memcpy(out + pos, f, n);
	memcpy(out + pos + n, buf + pos, len - pos + 1);
	free(buf);
	return out;
}

static char *random_text(void)
{
	size_t n = next_rand() % 200;
	char *s = malloc(n + 1);
	for (size_t i = 0; i < n; i++)
		s[i] = (char)(next_rand() % 4 ? 32 + next_rand() % 95 : "\n\t(){}\"%$@"[next_rand() % 10]);
	s[n] = 0;
	return s;
}

/* A small tapset directory, used by a quarter of the runs. */
static char tapdir[64];

static void put(const char *name, const char *text)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/%s", tapdir, name);
	FILE *f = fopen(path, "w");
	if (!f)
		abort();
	fputs(text, f);
	fclose(f);
}

static void make_tapsets(void)
{
	snprintf(tapdir, sizeof(tapdir), "/tmp/bytetap-fuzz-XXXXXX");
	if (!mkdtemp(tapdir))
		abort();
	put("a.stp", "global tsglob\nfunction tsfunc:long(x:long) { return x * 2 }\n"
	    "probe tsalias.one = begin { n = 1 }\nprobe tsalias.two = end { n = 2 }, { exit() }\n"
	    "probe tsnest = tsalias.one { m = n }\n");
	put("b.stp", "private function hidden() { return 1 } function usehidden() { return hidden() }\n");
	put("bad.stp", "function broken( { \n");
	put("m.stpm", "@define tsmacro %( (1 + 2) %)\n");
}

static void remove_tapsets(void)
{
	const char *names[] = { "a.stp", "b.stp", "bad.stp", "m.stpm" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[128];
		snprintf(path, sizeof(path), "%s/%s", tapdir, names[i]);
		unlink(path);
	}
	rmdir(tapdir);
}

static void run_one(const char *text, FILE *null)
{
	const char *dirs[] = { tapdir };
	const char *args[] = { "5+5", "str" };
	struct compile_opts o = {
		.script_text = text, .script_name = "fuzz.stp",
		.args = (char *const *)args, .nargs = next_rand() % 3,
		.no_tapsets = true, .err = null,
		.kernel_release = "6.1.0-56-amd64", .arch = "x86_64",
		.unoptimized = next_rand() % 4 == 0,
	};
	if (next_rand() % 4 == 0) {
		o.no_tapsets = false;
		o.include_dirs = dirs;
		o.ninclude_dirs = 1;
		o.tapset_default = "/nonexistent-bytetap-tapsets";
	}
	struct compiler *cc = compiler_new(&o);
	struct script *s = parse_script(cc);
	if (s) {
		dump_parse(null, s);
		if (sema_check(s) == 0)
			dump_resolved(null, s);
	}
	compiler_free(cc);
}

int main(void)
{
	FILE *null = fopen("/dev/null", "w");
	double budget = 3.0;
	const char *env = getenv("BYTETAP_FUZZ_SECONDS");
	if (env)
		budget = atof(env);
	env = getenv("BYTETAP_FUZZ_SEED");
	if (env && strtoull(env, NULL, 0))
		rng = strtoull(env, NULL, 0);
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	long runs = 0;
	const size_t nseeds = sizeof(seeds) / sizeof(seeds[0]);

	make_tapsets();
	/* the seeds themselves must be valid */
	for (size_t i = 0; i < nseeds; i++) {
		const char *args[] = { "5+5", "str" };
		struct fe_opts fo = { .pass = 2, .args = args, .nargs = 2,
				      .tapsets = tapdir };
		struct fe_result r = fe_run_opts(seeds[i], &fo);
		CHECK_INT(r.rc, 0, "seed script compiles");
		if (r.rc)
			printf("%s", r.err);
		fe_free(&r);
	}
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9 > budget)
			break;
		char *text;
		if (next_rand() % 8 == 0) {
			text = random_text();
		} else {
			text = strdup(seeds[next_rand() % nseeds]);
			int nmut = 1 + next_rand() % 6;
			for (int i = 0; i < nmut; i++)
				text = mutate(text);
		}
		run_one(text, null);
		free(text);
		runs++;
	}
	fclose(null);
	remove_tapsets();
	printf("# %ld random/mutated scripts\n", runs);
	CHECK(runs > 0, "survived random and mutated scripts");
	return check_done();
}
