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
#include "bt_ioctl.h"
#include "bt_verify.h"
#include "diag.h"
#include "preproc.h"

#define BYTETAP_VERSION "0.1"

static void usage(FILE *f)
{
	fputs("Usage: bytetap [OPTIONS] FILE [ARGS...]       run the script in FILE ('-': stdin)\n"
	      "   or: bytetap [OPTIONS] -e SCRIPT [ARGS...]  run the given script\n"
	      "   or: bytetap [OPTIONS] -l PROBE             list matching probe points\n"
	      "   or: bytetap [OPTIONS] -L PROBE             ... with their variables\n"
	      "Compile a SystemTap-language script to bytecode and run it.\n"
	      "Options may come before or after FILE, as with stap; the words that are\n"
	      "not options are ARGS ($1, @1, ...); '--' ends the options.\n"
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
	      "  -G VAR=VALUE       start global VAR (a number or a string) at VALUE\n"
	      "  -T SECONDS         end the session after SECONDS\n"
	      "  -c CMD             run CMD; end when it exits; target() is its pid\n"
	      "  -x PID             set target() to PID\n"
	      "  -I DIR             look for tapsets in DIR too\n"
	      "  -v                 more messages (timing of each pass); --vp ABCDE: per pass\n"
	      "  -w                 no warnings\n"
	      "  -W                 warnings are errors: a run that gives one fails\n"
	      "  -t                 print each probe's hits and time at the end\n"
	      "  -u                 keep unused functions and globals\n"
	      "  --runtime=user     run in user space (begin/end/error/never/timer probes)\n"
	      "  --runtime=kernel   run in the bytetap kernel module (the default)\n"
	      "  --no-global-var-display  do not print write-only globals at the end\n"
	      "  --compatible=V     %( systemtap_v %) conditions see V (at most " STAP_LANG_VERSION ")\n"
	      "  --privilege=stapdev, --color=never, --prologue-searching=never\n"
	      "  --rlimit-as/-cpu/-nproc/-stack/-fsize=N  limit this process, as stap\n"
	      "  -h, --help, -V, --version\n"
	      "\n"
	      "Accepted, with nothing to do here (bytetap builds no module, and reads\n"
	      "symbols from kallsyms and BTF): -d OBJECT, --ldd, --all-modules, -k, -B,\n"
	      "--disable-cache, --poison-cache, --clean-cache, --tmpdir, --modinfo,\n"
	      "--download-debuginfo, --save-uprobes, --build-as, --debug, -r and -a\n"
	      "naming this machine's kernel and architecture.\n"
	      "Any other stap option (-g, -E, -b, -s, -q, ...) is refused with the reason.\n", f);
}

/* stap -V's layout (session.cxx version()), about bytetap. */
static void version(void)
{
	printf("bytetap translator/driver (version %s, bytecode ABI %d.%d, "
	       "ioctl ABI %d.%d)\n"
	       "The SystemTap " STAP_LANG_VERSION " language, compiled to bytecode for "
	       "one generic kernel module\n"
	       "This is free software; see the source for copying conditions.\n"
	       "tested kernel versions: 6.1 ... 6.12\n"
	       "enabled features: BTF KPROBES KRETPROBES TRACEPOINTS TIMERS "
	       "USER-RUNTIME\n",
	       BYTETAP_VERSION, BT_ABI_MAJOR, BT_ABI_MINOR,
	       BT_IOC_ABI_MAJOR, BT_IOC_ABI_MINOR);
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

	if (o->perpass_verbose[pass - 1] < 1)
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

/*
 * -W: stap's "turn warnings into errors" - a pass that gave a warning
 * fails.  (-w silences them first; they are then not counted either.)
 */
static bool warnings_fail(const struct options *o, struct compiler *cc)
{
	if (!o->panic_warnings || cc->nwarnings == 0)
		return false;
	fprintf(stderr, "ERROR: %d warning%s, which -W makes errors\n",
		cc->nwarnings, cc->nwarnings == 1 ? "" : "s");
	return true;
}

/*
 * stap's pass-2 warning for a script argument nothing used, except when
 * the script reads them as argv[] (the argv tapset's globals).
 */
static void warn_unused_args(struct compiler *cc, struct script *s, int nargs)
{
	int i;

	for (i = 0; i < s->nglobals; i++)
		if (!strcmp(s->globals[i]->name, "argc") ||
		    !strcmp(s->globals[i]->name, "argv"))
			return;
	for (i = 1; i <= nargs; i++)
		if (!pp_arg_used(cc, i))
			diag_warning(cc, NULL, "unused command line option $%d/@%d", i, i);
}

/*
 * -G NAME=VALUE: the initial value of a scalar global, as stap's module
 * parameters are (number or string, by the global's type).  Applied to
 * the checked script, so -p2 shows the script as written.
 */
static int apply_globalopts(struct compiler *cc, struct script *s, const struct options *o)
{
	int i, j;

	for (i = 0; i < o->nglobalopts; i++) {
		const char *opt = o->globalopts[i], *val = strchr(opt, '=') + 1;
		size_t n = (size_t)(val - 1 - opt);
		struct symbol *g = NULL;
		struct expr *e;

		for (j = 0; j < s->nglobals && !g; j++)
			if (!s->globals[j]->is_private && strlen(s->globals[j]->name) == n &&
			    !strncmp(s->globals[j]->name, opt, n))
				g = s->globals[j];
		if (!g || g->is_array || (g->type != TY_LONG && g->type != TY_STRING)) {
			fprintf(stderr, "ERROR: -G %s: Unknown parameter '%.*s': the script has "
				"no %sglobal of that name (one used, a number or a string)\n",
				opt, (int)n, opt, g ? "scalar " : "");
			return -1;
		}
		e = cc_alloc(cc, sizeof(*e));
		e->tok = g->tok;
		e->type = g->type;
		if (g->type == TY_STRING) {
			e->kind = E_STR;
			e->str = val;
			e->str_len = strlen(val);
		} else {
			/* the kernel's int64_t parameter: [-]digits, any base prefix */
			char *end;
			bool neg = *val == '-';
			unsigned long long u;

			errno = 0;
			u = strtoull(val + neg, &end, 0);
			if (*end || end == val + neg || errno || val[neg] == '-' ||
			    u > (unsigned long long)INT64_MAX + neg) {
				fprintf(stderr, "ERROR: -G %s: Invalid parameters: global '%s' "
					"is a number and '%s' is not one\n", opt, g->name, val);
				return -1;
			}
			e->kind = E_NUM;
			e->num = neg ? (int64_t)(0 - u) : (int64_t)u;
		}
		g->init = e;
	}
	return 0;
}

/*
 * -t: what SystemTap's probe table says of each probe, for the report
 * at the end: where it is written and what it was derived from.  In the
 * program's probe order, which is codegen's: each probe's declared
 * points in turn, then the global display (placed at the first global
 * it shows, as stap places its display probes at the globals).
 */
static void note_probe_sources(struct options *o, struct script *s)
{
	unsigned int k = 0, nprobes = 1;
	int i, j;

	for (i = 0; i < s->nprobes; i++)
		nprobes += (unsigned int)s->probes[i]->npoints;
	o->probe_where = xcalloc(nprobes + 1, sizeof(char *));
	o->probe_from = xcalloc(nprobes + 1, sizeof(char *));
	for (i = 0; i < s->nprobes; i++) {
		const struct probe *p = s->probes[i];
		const struct token *t = p->orig ? p->orig->tok : p->tok;

		for (j = 0; j < p->npoints && k < nprobes; j++) {
			if (!p->points[j]->decl)
				continue;
			o->probe_where[k] = xasprintf("%s:%d:%d", s->files[t->pos.file]->name,
						      t->pos.line, t->pos.col);
			o->probe_from[k++] = p->via ?
				xasprintf(" from: %s from: %s", p->points[j]->text, p->via->text) :
				xasprintf(" from: %s", p->points[j]->text);
		}
	}
	for (i = 0; i < s->nglobals && k < nprobes; i++) {
		const struct token *t = s->globals[i]->tok;

		if (!s->globals[i]->autoprint)
			continue;
		o->probe_where[k] = xasprintf("%s:%d:%d", s->files[t->pos.file]->name,
					      t->pos.line, t->pos.col);
		o->probe_from[k++] = xasprintf(" from: end");
		break;
	}
	o->nprobe_where = k;
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
		version();
		return 0;
	}
	if (rc == OPTIONS_DONE) {
		options_free(&o);
		return 0;
	}
	if (rc != 0) {
		if (rc == OPTIONS_USAGE)
			options_try_help();
		options_free(&o);
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
	co.compatible = o.compatible;
	cc = compiler_new(&co);

	s = parse_script(cc);
	if (!s || warnings_fail(&o, cc)) {
		fputs("Pass 1: parse failed.  [man error::pass1]\n", stderr);
		goto fail;
	}
	pass_done(&o, 1, "parsed user script", t0);
	if (o.last_pass == 1) {
		dump_parse(stdout, s);
		goto done;
	}
	rc = sema_check(s);
	if (rc == 0)
		warn_unused_args(cc, s, o.nargs);
	if (rc != 0 || warnings_fail(&o, cc)) {
		fputs("Pass 2: analysis failed.  [man error::pass2]\n", stderr);
		goto fail;
	}
	pass_done(&o, 2, "analyzed script", t0);
	if (o.last_pass == 2) {
		dump_resolved(stdout, s);
		goto done;
	}
	if (apply_globalopts(cc, s, &o) != 0) {
		fputs("Pass 3: translation failed.  [man error::pass3]\n", stderr);
		goto fail;
	}
	cg.limits = o.limits;
	cg.no_global_display = o.no_global_display;
	cg.maxnesting_auto = !o.maxnesting_set;
	if (codegen(cc, s, &cg, &blob, &size) != 0 || warnings_fail(&o, cc)) {
		fputs("Pass 3: translation failed.  [man error::pass3]\n", stderr);
		free(blob);
		goto fail;
	}
	if (o.timing)
		note_probe_sources(&o, s);
	compiler_free(cc);
	rc = use_program(&o, blob, size, t0);
	free(blob);
	options_free(&o);
	return rc;
done:
	compiler_free(cc);
	options_free(&o);
	return 0;
fail:
	compiler_free(cc);
	options_free(&o);
	return 1;
}
