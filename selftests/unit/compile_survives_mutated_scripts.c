/*
 * compile_survives_mutated_scripts.c - the whole compiler (parse, sema,
 * codegen) never crashes on mangled input, and whatever program it does
 * produce passes the loader and the verifier.
 *
 * Seeds are the script tests under selftests/scripts; each round applies
 * a few random mutations (delete, duplicate or swap a span; insert a token
 * from the language) and compiles the result.  Run under ASan/UBSan by
 * make check, so a memory error fails the test even without a crash.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "check.h"
#include "codegen.h"
#include "parse.h"
#include "sema.h"
#include "bt_prog.h"
#include "bt_verify.h"

#define MAX_SEEDS 256
#define MAX_LEN (64 << 10)

static char *seeds[MAX_SEEDS];
static int nseeds;
static uint64_t rng = 0x2545F4914F6CDD1Dull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void load_seeds(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)) && nseeds < MAX_SEEDS) {
		char path[1024];
		size_t n = strlen(e->d_name);
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (e->d_type == DT_DIR) {
			load_seeds(path);
			continue;
		}
		if (n < 4 || strcmp(e->d_name + n - 4, ".stp"))
			continue;
		f = fopen(path, "r");
		if (!f)
			continue;
		seeds[nseeds] = calloc(1, MAX_LEN + 1);
		fread(seeds[nseeds], 1, MAX_LEN / 4, f);
		fclose(f);
		nseeds++;
	}
	closedir(d);
}

static const char *const tokens[] = {
	"{", "}", "(", ")", "[", "]", ";", ",", "+", "-", "*", "/", "%", "<<<",
	"=", "+=", ".=", "++", "--", "==", "<", ">>>", "&&", "||", "!", "~", "?",
	":", ".", "=~", "!~", "in", "foreach", "limit", "delete", "if", "else",
	"while", "for", "do", "break", "continue", "next", "return", "try",
	"catch", "probe", "global", "function", "private", "begin", "end",
	"timer.ms(1)", "@count(", "@sum(", "@avg(", "@min(", "@hist_log(",
	"@hist_linear(", "@variance(", "\"str\"", "\"%d %s\\n\"", "0", "1",
	"-1", "9223372036854775807", "0x7fffffffffffffff", "$1", "@1", "$#",
	"%(", "%?", "%:", "%)", "@define", "x", "a[1]", "s[\"k\"]", "*",
	"printf(", "println(", "sprintf(", "exit()", "error(\"e\")", "\\",
	"#", "//", "/*", "*/", "\n", " ", "$x", "@cast(", "@entry(",
	"kernel.function(\"vfs_read\")", "substr(", "strlen(", "tokenize(",
};

static void mutate(char *buf, size_t *len)
{
	size_t n = *len, a, b, k;

	switch (rnd() % 5) {
	case 0:		/* delete a span */
		if (!n)
			break;
		a = rnd() % n;
		b = a + rnd() % 16;
		if (b > n)
			b = n;
		memmove(buf + a, buf + b, n - b);
		n -= b - a;
		break;
	case 1:		/* duplicate a span */
		if (!n)
			break;
		a = rnd() % n;
		k = 1 + rnd() % 32;
		if (a + k > n)
			k = n - a;
		if (n + k >= MAX_LEN)
			break;
		memmove(buf + a + k, buf + a, n - a);
		n += k;
		break;
	case 2: {	/* insert a token */
		const char *t = tokens[rnd() % (sizeof(tokens) / sizeof(tokens[0]))];

		k = strlen(t);
		a = n ? rnd() % (n + 1) : 0;
		if (n + k >= MAX_LEN)
			break;
		memmove(buf + a + k, buf + a, n - a);
		memcpy(buf + a, t, k);
		n += k;
		break;
	}
	case 3:		/* flip a byte */
		if (n)
			buf[rnd() % n] = (char)(rnd() % 256 ? rnd() % 128 : 0x80 | rnd());
		break;
	default:	/* swap two bytes far apart */
		if (n > 1) {
			char c;

			a = rnd() % n;
			b = rnd() % n;
			c = buf[a];
			buf[a] = buf[b];
			buf[b] = c;
		}
		break;
	}
	buf[n] = 0;
	*len = n;
}

/* Compile text; returns 1 if a program came out, -1 if the verifier
 * refused one (a compiler bug), 0 if the compiler reported errors. */
static int compile(const char *text, FILE *sink, char *why, size_t whylen)
{
	struct compile_opts co = { 0 };
	struct codegen_opts cg = { 0 };
	struct compiler *cc;
	struct script *s;
	void *blob = NULL;
	size_t size = 0;
	int rc = 0;
	static char *args[] = { "5", "arg" };

	co.script_text = text;
	co.script_name = "fuzz.stp";
	co.args = args;
	co.nargs = 2;
	co.runtime = "user";
	co.no_tapsets = false;
	co.tapset_default = "tapsets";
	co.err = sink;
	cg.limits = (struct bt_limits){ 10000, 10, 512, 2048, 0, 100, 2, 0 };
	cg.maxnesting_auto = true;
	cc = compiler_new(&co);
	s = parse_script(cc);
	if (s && sema_check(s) == 0 && codegen(cc, s, &cg, &blob, &size) == 0) {
		struct bt_prog prog;
		struct bt_diag d = { .pc = -1, .func = -1 };

		if (bt_load(&prog, blob, size, &d) != 0 || bt_verify(&prog, &d) != 0) {
			snprintf(why, whylen, "%s", d.msg);
			rc = -1;
		} else {
			rc = 1;
		}
	}
	free(blob);
	compiler_free(cc);
	return rc;
}

int main(int argc, char **argv)
{
	FILE *sink = fopen("/dev/null", "w");
	double budget = argc > 1 ? atof(argv[1]) : 4.0;
	clock_t start = clock();
	static char buf[MAX_LEN + 1];
	long rounds = 0, compiled = 0, refused = 0;
	char why[256] = "";

	load_seeds("selftests/scripts");
	CHECK(nseeds > 5, "found seed scripts under selftests/scripts");
	if (!nseeds)
		return check_done();
	while ((double)(clock() - start) / CLOCKS_PER_SEC < budget) {
		size_t len;
		int m = 1 + rnd() % 4, rc;

		strcpy(buf, seeds[rnd() % nseeds]);
		len = strlen(buf);
		while (m--)
			mutate(buf, &len);
		rc = compile(buf, sink, why, sizeof(why));
		rounds++;
		if (rc == 1)
			compiled++;
		if (rc < 0) {
			if (!refused)
				fprintf(stderr, "verifier refused compiled program: %s\n--- script:\n%s\n---\n",
					why, buf);
			refused++;
		}
	}
	printf("# %ld mutated scripts, %ld compiled, %ld refused by the verifier\n",
	       rounds, compiled, refused);
	CHECK(rounds > 100, "compiled a useful number of mutated scripts");
	CHECK(compiled > 0, "some mutated scripts still compile");
	CHECK_INT(refused, 0, "every program the compiler produced passes load and verify");
	fclose(sink);
	return check_done();
}
