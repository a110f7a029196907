/*
 * main.c - the bytetap command: options, the compile passes, and handing
 * the program to a runtime.
 *
 *	pass 1	parse			(-p1 prints the parse tree)
 *	pass 2	elaborate: tapsets, types	(-p2 prints the resolved script)
 *	pass 3	generate and verify bytecode	(-p3 prints it as assembly)
 *	pass 4	write the program file	(-p4 -o FILE)
 *	pass 5	run it: in the kernel module, or in user space
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "codegen.h"
#include "disasm.h"
#include "dump.h"
#include "kallsyms.h"
#include "listing.h"
#include "options.h"
#include "parse.h"
#include "rt_kernel.h"
#include "rt_user.h"
#include "sema.h"
#include "util.h"
#include "bt_verify.h"

#define BYTETAP_VERSION "0.1"

static void usage(FILE *f)
{
	fputs("Usage: bytetap [OPTIONS] SCRIPT [ARGS...]\n"
	      "       bytetap [OPTIONS] -e 'SCRIPT' [ARGS...]\n"
	      "Compile a SystemTap-language script to bytecode and run it.\n"
	      "\n"
	      "  -e SCRIPT          run the script given on the command line\n"
	      "  -l PATTERN         list the probe points PATTERN matches, e.g.\n"
	      "                     'kernel.function(\"vfs_*\")'; exit 1 if none\n"
	      "  -L PATTERN         the same, with the variables each point offers\n"
	      "  -p N               stop after pass N: 1 parse, 2 elaborate,\n"
	      "                     3 print bytecode, 4 write the program (-o FILE)\n"
	      "  -o FILE            send output (or the -p4 program) to FILE\n"
	      "  -D NAME=VALUE      set a limit: MAXACTION, MAXACTION_INTERRUPTIBLE,\n"
	      "                     INTERRUPTIBLE, MAXNESTING, MAXSTRINGLEN, MAXMAPENTRIES,\n"
	      "                     MAXERRORS, MAXSKIPPED, HIST_ELISION, STP_NO_OVERLOAD\n"
	      "  -T SECONDS         end the session after SECONDS\n"
	      "  -c CMD             run CMD; end when it exits; target() is its pid\n"
	      "  -x PID             set target() to PID\n"
	      "  -I DIR             look for tapsets in DIR too\n"
	      "  -v                 more messages (timing of each pass)\n"
	      "  -w                 no warnings\n"
	      "  -u                 keep unused functions and globals\n"
	      "  --runtime=user     run in user space (begin/end/error/never/timer probes)\n"
	      "  --runtime=kernel   run in the bytetap kernel module (the default)\n"
	      "  --no-global-var-display  do not print write-only globals at the end\n"
	      "  --help, --version\n", f);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* SystemTap's "Pass N: ... in Xusr/Ysys/Zreal ms." */
static void pass_done(const struct options *o, int pass, const char *what,
		      double start)
{
	struct rusage ru;

	if (o->verbose < 1)
		return;
	getrusage(RUSAGE_SELF, &ru);
	fprintf(stderr, "Pass %d: %s in %ldusr/%ldsys/%.0freal ms.\n", pass, what,
		ru.ru_utime.tv_sec * 1000 + ru.ru_utime.tv_usec / 1000,
		ru.ru_stime.tv_sec * 1000 + ru.ru_stime.tv_usec / 1000,
		now_ms() - start);
}

static int write_file(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
		fprintf(stderr, "bytetap: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Passes 3 and on: load and verify what codegen wrote, then act on it. */
static int use_program(struct options *o, void *blob, size_t size, double t0)
{
	struct bt_prog prog;
	struct bt_diag diag = { .pc = -1, .func = -1 };

	if (bt_load(&prog, blob, size, &diag) != 0 || bt_verify(&prog, &diag) != 0) {
		fprintf(stderr, "bytetap: internal error: the compiled program was refused: %s\n",
			diag.msg);
		return 1;
	}
	pass_done(o, 3, "translated to bytecode", t0);
	if (o->last_pass == 3) {
		if (o->output_file && !freopen(o->output_file, "w", stdout)) {
			perror(o->output_file);
			return 1;
		}
		disasm_program(stdout, &prog);
		return 0;
	}
	if (o->last_pass == 4) {
		const char *path = o->output_file ? o->output_file : "bytetap.btp";

		if (write_file(path, blob, size) != 0)
			return 1;
		puts(path);
		pass_done(o, 4, "wrote the program", t0);
		return 0;
	}
	if (o->runtime == RUNTIME_KERNEL) {
		/* without the module, a script that needs no kernel runs in user space */
		int user_ok = rt_user_can_run(&prog, NULL);
		int krc = rt_kernel_run(&prog, blob, size, o, user_ok);

		if (krc != RT_KERNEL_UNAVAILABLE)
			return krc;
		if (!user_ok)
			return 1;
	}
	return rt_user_run(&prog, o);
}

int main(int argc, char **argv)
{
	struct options o;
	struct compile_opts co = { 0 };
	struct compiler *cc;
	struct script *s;
	struct codegen_opts cg = { 0 };
	void *blob = NULL;
	size_t size = 0;
	double t0 = now_ms();
	int rc;

	rc = options_parse(&o, argc, argv);
	if (rc == OPTIONS_HELP) {
		usage(stdout);
		return 0;
	}
	if (rc == OPTIONS_VERSION) {
		printf("bytetap %s (bytecode ABI %d.%d)\n", BYTETAP_VERSION,
		       BT_ABI_MAJOR, BT_ABI_MINOR);
		return 0;
	}
	if (rc != 0) {
		if (rc == OPTIONS_USAGE)
			usage(stderr);
		return 1;
	}

	if (o.list_pattern) {
		rc = list_probe_points(&o);
		options_free(&o);
		return rc;
	}
	co.script_file = o.script_file;
	co.script_text = o.script_text;
	co.args = o.args;
	co.nargs = o.nargs;
	co.include_dirs = (const char *const *)o.include_dirs;
	co.ninclude_dirs = o.ninclude_dirs;
	co.runtime = o.runtime == RUNTIME_USER ? "user" : "kernel";
	co.unoptimized = o.unoptimized;
	co.no_warnings = o.no_warnings;
	cc = compiler_new(&co);

	s = parse_script(cc);
	if (!s) {
		fputs("Pass 1: parse failed.  [man error::pass1]\n", stderr);
		compiler_free(cc);
		return 1;
	}
	pass_done(&o, 1, "parsed user script", t0);
	if (o.last_pass == 1) {
		dump_parse(stdout, s);
		compiler_free(cc);
		return 0;
	}
	if (sema_check(s) != 0) {
		fputs("Pass 2: analysis failed.  [man error::pass2]\n", stderr);
		compiler_free(cc);
		return 1;
	}
	pass_done(&o, 2, "analyzed script", t0);
	if (o.last_pass == 2) {
		dump_resolved(stdout, s);
		compiler_free(cc);
		return 0;
	}
	cg.limits = o.limits;
	cg.no_global_display = o.no_global_display;
	cg.maxnesting_auto = !o.maxnesting_set;
	if (codegen(cc, s, &cg, &blob, &size) != 0) {
		fputs("Pass 3: translation failed.  [man error::pass3]\n", stderr);
		compiler_free(cc);
		return 1;
	}
	compiler_free(cc);
	rc = use_program(&o, blob, size, t0);
	free(blob);
	options_free(&o);
	return rc;
}
