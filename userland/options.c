/*
 * options.c - parse the command line into struct options.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include "options.h"
#include "util.h"

/* -D values collected before the effective MAXACTION is computed. */
struct limit_defs {
	long long maxaction, maxaction_interruptible, interruptible;
};

static int parse_ll(const char *s, long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 0);
	return (errno || end == s || *end) ? -1 : 0;
}

static int set_u32(uint32_t *dst, long long v, long long min, long long max)
{
	if (v < min || v > max)
		return -1;
	*dst = (uint32_t)v;
	return 0;
}

static struct limit_defs defs;

int options_define(struct options *o, const char *def)
{
	const char *eq = strchr(def, '=');
	char name[64];
	long long v;
	size_t n;

	n = eq ? (size_t)(eq - def) : strlen(def);
	if (n == 0 || n >= sizeof(name))
		return -1;
	memcpy(name, def, n);
	name[n] = 0;
	if (!eq) {
		v = 1;		/* -DNAME alone means 1, as with cc */
	} else if (parse_ll(eq + 1, &v) != 0) {
		return -1;
	}
	if (!strcmp(name, "MAXACTION"))
		return v < 1 || v > INT_MAX ? -1 : (defs.maxaction = v, 0);
	if (!strcmp(name, "MAXACTION_INTERRUPTIBLE"))
		return v < 1 || v > INT_MAX ? -1 : (defs.maxaction_interruptible = v, 0);
	if (!strcmp(name, "INTERRUPTIBLE"))
		return (defs.interruptible = v ? 1 : 0, 0);
	if (!strcmp(name, "MAXNESTING"))
		return o->maxnesting_set = true, set_u32(&o->limits.maxnesting, v, 1, BT_CAP_MAXNESTING);
	if (!strcmp(name, "MAXSTRINGLEN"))
		return set_u32(&o->limits.maxstringlen, v, 2, BT_CAP_MAXSTRINGLEN);
	if (!strcmp(name, "MAXMAPENTRIES"))
		return set_u32(&o->limits.maxmapentries, v, 1, BT_CAP_MAPENTRIES);
	if (!strcmp(name, "MAXERRORS"))
		return set_u32(&o->limits.maxerrors, v, 0, INT_MAX);
	if (!strcmp(name, "MAXSKIPPED"))
		return set_u32(&o->limits.maxskipped, v, 0, INT_MAX);
	if (!strcmp(name, "HIST_ELISION")) {
		if (v < INT_MIN || v > INT_MAX)
			return -1;
		o->limits.hist_elision = (int32_t)v;
		return 0;
	}
	if (!strcmp(name, "STP_NO_OVERLOAD")) {
		o->limits.flags |= BT_LIMIT_NO_OVERLOAD;
		return 0;
	}
	return 0;
}

/* SystemTap: the budget is MAXACTION_INTERRUPTIBLE (10 x MAXACTION)
 * unless INTERRUPTIBLE=0. */
static void finish_limits(struct options *o)
{
	long long base = defs.maxaction ? defs.maxaction : 1000;
	long long intr = defs.maxaction_interruptible ?
			 defs.maxaction_interruptible : base * 10;

	if (intr > INT_MAX)
		intr = INT_MAX;
	o->limits.maxaction = defs.interruptible ? intr : base;
}

/* Long options without a short form: codes past any character. */
enum {
	LO_RUNTIME = 256, LO_NO_GLOBAL_DISPLAY, LO_COMPATIBLE, LO_VP,
	LO_LDD, LO_ALL_MODULES, LO_PRIVILEGE, LO_UNPRIVILEGED, LO_COLOR,
	LO_PROLOGUE, LO_RLIMIT_AS, LO_RLIMIT_CPU, LO_RLIMIT_NPROC,
	LO_RLIMIT_STACK, LO_RLIMIT_FSIZE, LO_SUPPRESS_TIME_LIMITS,
	LO_CLEAN_CACHE, LO_DUMP,
	LO_MEANINGLESS,		/* accepted: it changes nothing here */
	LO_REFUSED,		/* refused with the reason in refusals[] */
};

/*
 * stap 4.8's long options (cmdline.cxx), every one: each works, is
 * accepted because it only steers how stap builds its module (bytetap
 * builds none), or is refused with a reason - never "unrecognized".
 */
static const struct option long_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "runtime", required_argument, NULL, LO_RUNTIME },
	{ "no-global-var-display", no_argument, NULL, LO_NO_GLOBAL_DISPLAY },
	{ "compatible", required_argument, NULL, LO_COMPATIBLE },
	{ "vp", required_argument, NULL, LO_VP },
	{ "ldd", no_argument, NULL, LO_LDD },
	{ "all-modules", no_argument, NULL, LO_ALL_MODULES },
	{ "privilege", required_argument, NULL, LO_PRIVILEGE },
	{ "unprivileged", no_argument, NULL, LO_UNPRIVILEGED },
	{ "color", optional_argument, NULL, LO_COLOR },
	{ "colour", optional_argument, NULL, LO_COLOR },
	{ "prologue-searching", optional_argument, NULL, LO_PROLOGUE },
	{ "rlimit-as", required_argument, NULL, LO_RLIMIT_AS },
	{ "rlimit-cpu", required_argument, NULL, LO_RLIMIT_CPU },
	{ "rlimit-nproc", required_argument, NULL, LO_RLIMIT_NPROC },
	{ "rlimit-stack", required_argument, NULL, LO_RLIMIT_STACK },
	{ "rlimit-fsize", required_argument, NULL, LO_RLIMIT_FSIZE },
	{ "suppress-time-limits", no_argument, NULL, LO_SUPPRESS_TIME_LIMITS },
	{ "clean-cache", no_argument, NULL, LO_CLEAN_CACHE },
	{ "dump-probe-types", no_argument, NULL, LO_DUMP },
	{ "dump-probe-aliases", no_argument, NULL, LO_DUMP },
	{ "dump-functions", no_argument, NULL, LO_DUMP },
	/* build, cache and debuginfo steering: nothing to steer here */
	{ "disable-cache", no_argument, NULL, LO_MEANINGLESS },
	{ "poison-cache", no_argument, NULL, LO_MEANINGLESS },
	{ "tmpdir", required_argument, NULL, LO_MEANINGLESS },
	{ "download-debuginfo", optional_argument, NULL, LO_MEANINGLESS },
	{ "modinfo", required_argument, NULL, LO_MEANINGLESS },
	{ "save-uprobes", no_argument, NULL, LO_MEANINGLESS },
	{ "build-as", optional_argument, NULL, LO_MEANINGLESS },
	{ "debug", no_argument, NULL, LO_MEANINGLESS },
	/* refused: see refusals[] */
	{ "skip-badvars", no_argument, NULL, LO_REFUSED },
	{ "client-options", no_argument, NULL, LO_REFUSED },
	{ "use-server", optional_argument, NULL, LO_REFUSED },
	{ "list-servers", optional_argument, NULL, LO_REFUSED },
	{ "trust-servers", optional_argument, NULL, LO_REFUSED },
	{ "use-server-on-error", optional_argument, NULL, LO_REFUSED },
	{ "use-http-server", required_argument, NULL, LO_REFUSED },
	{ "sign-module", optional_argument, NULL, LO_REFUSED },
	{ "remote", required_argument, NULL, LO_REFUSED },
	{ "remote-prefix", no_argument, NULL, LO_REFUSED },
	{ "check-version", no_argument, NULL, LO_REFUSED },
	{ "suppress-handler-errors", no_argument, NULL, LO_REFUSED },
	{ "sysroot", required_argument, NULL, LO_REFUSED },
	{ "sysenv", required_argument, NULL, LO_REFUSED },
	{ "dyninst", no_argument, NULL, LO_REFUSED },
	{ "bpf", no_argument, NULL, LO_REFUSED },
	{ "benchmark-sdt", no_argument, NULL, LO_REFUSED },
	{ "benchmark-sdt-loops", required_argument, NULL, LO_REFUSED },
	{ "benchmark-sdt-threads", required_argument, NULL, LO_REFUSED },
	{ "target-namespaces", required_argument, NULL, LO_REFUSED },
	{ "monitor", optional_argument, NULL, LO_REFUSED },
	{ "interactive", no_argument, NULL, LO_REFUSED },
	{ "example", no_argument, NULL, LO_REFUSED },
	{ "language-server", no_argument, NULL, LO_REFUSED },
	{ "semantic-keep-going", no_argument, NULL, LO_REFUSED },
	{ NULL, 0, NULL, 0 },
};

/*
 * stap's short options (STAP_SHORT_OPTIONS but its undocumented J/j).
 * The leading ':' makes a missing argument ':' rather than '?'.  No '+':
 * GNU permutation, as stap - options may follow the script file
 * ("stap x.stp -T 1"); the words that are not options stay in order, the
 * first the script (without -e), the rest $1..; "--" ends the options.
 */
#define SHORT_OPTS ":hVvtp:I:e:E:o:R:r:a:m:kgPc:x:D:bs:uqiwl:d:L:FS:B:WG:T:"

/* Reasons several refused options share. */
#define NO_SERVERS "there are no compile servers: nothing is compiled to a module"
#define NO_SDT "there are no SDT markers to benchmark"
#define THIS_MACHINE "scripts run against this machine's own kernel and files"
#define USE_LIST "list probe points with -l 'PATTERN' (or -L)"

/* Why a stap option is refused; by short option, or long option name. */
static const struct refusal {
	int shortopt;
	const char *longopt;
	const char *why;
} refusals[] = {
	{ 'g', NULL, "guru mode is for embedded C and writing kernel memory; "
		"bytetap runs no embedded C, by design: the module runs only "
		"bytecode its verifier accepts" },
	{ 'E', NULL, "a run compiles one script (a file or -e); put the extra probes in it" },
	{ 'R', NULL, "there is no C runtime to look for: the VM is built into "
		"bytetap and its module" },
	{ 'm', NULL, "scripts run in the one generic bytetap module, so there is "
		"no per-script module to name" },
	{ 'P', NULL, "function probes fire at the entry, where BTF describes the "
		"parameters; there is no prologue to search" },
	{ 'b', NULL, "there are no per-CPU output files: the per-CPU rings are "
		"merged into one stream" },
	{ 's', NULL, "the output rings are sized by the module (the ring_size_default "
		"and ring_size_max it reports), not per run" },
	{ 'q', NULL, "tapset coverage goes into stap's sqlite database; bytetap "
		"keeps none" },
	{ 'i', NULL, "there is no interactive mode" },
	{ 'F', NULL, "there is no flight recorder mode" },
	{ 'S', NULL, "output files are not rotated" },
	{ 0, "skip-badvars", "a $variable that cannot be resolved is an error, "
		"never a silent 0" },
	{ 0, "client-options", NO_SERVERS },
	{ 0, "use-server", NO_SERVERS },
	{ 0, "list-servers", NO_SERVERS },
	{ 0, "trust-servers", NO_SERVERS },
	{ 0, "use-server-on-error", NO_SERVERS },
	{ 0, "use-http-server", NO_SERVERS },
	{ 0, "sign-module", "no module is built, so there is none to sign" },
	{ 0, "remote", "scripts run on this machine only" },
	{ 0, "remote-prefix", "scripts run on this machine only" },
	{ 0, "check-version", "there are no version-dependent syntax warnings" },
	{ 0, "suppress-handler-errors", "a handler's runtime error always counts "
		"(MAXERRORS ends the session)" },
	{ 0, "sysroot", THIS_MACHINE },
	{ 0, "sysenv", THIS_MACHINE },
	{ 0, "dyninst", "use --runtime=user for scripts that need no kernel probe" },
	{ 0, "bpf", "bytetap runs its own bytecode, not eBPF; use --runtime=user "
		"or the kernel runtime" },
	{ 0, "benchmark-sdt", NO_SDT },
	{ 0, "benchmark-sdt-loops", NO_SDT },
	{ 0, "benchmark-sdt-threads", NO_SDT },
	{ 0, "target-namespaces", "target() and friends use this pid namespace" },
	{ 0, "monitor", "there is no monitor mode" },
	{ 0, "interactive", "there is no interactive mode" },
	{ 0, "example", "there is no example catalogue" },
	{ 0, "language-server", "there is no language server" },
	{ 0, "semantic-keep-going", "pass 2 already reports the errors it finds "
		"before it stops" },
	{ 0, "dump-probe-types", USE_LIST },
	{ 0, "dump-probe-aliases", USE_LIST },
	{ 0, "dump-functions", "read the tapsets/ directory" },
};

static int refuse(int shortopt, const char *longopt, const char *why)
{
	if (longopt)
		fprintf(stderr, "bytetap does not implement --%s: %s\n", longopt, why);
	else
		fprintf(stderr, "bytetap does not implement -%c: %s\n", shortopt, why);
	return OPTIONS_ERROR;
}

static const char *why_of(int shortopt, const char *longopt)
{
	size_t i;

	for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++)
		if ((shortopt && refusals[i].shortopt == shortopt) ||
		    (longopt && refusals[i].longopt && !strcmp(refusals[i].longopt, longopt)))
			return refusals[i].why;
	return "it has no meaning here";
}

static int refuse_known(int shortopt, const char *longopt)
{
	return refuse(shortopt, longopt, why_of(shortopt, longopt));
}

static const char *long_name(int code, int index)
{
	size_t i;

	if (index >= 0)
		return long_opts[index].name;
	for (i = 0; long_opts[i].name; i++)
		if (long_opts[i].val == code)
			return long_opts[i].name;
	return "?";
}

/*
 * getopt's own messages (opterr = 0 keeps it quiet), said with the
 * command's name rather than argv[0], which may be any path.  stap's
 * come from the same glibc getopt.
 */
static int bad_option(int c, char **argv)
{
	if (c == ':') {
		if (optopt > 0 && optopt < 256)
			fprintf(stderr, "bytetap: option requires an argument -- '%c'\n", optopt);
		else
			fprintf(stderr, "bytetap: option '%s' requires an argument\n",
				argv[optind - 1]);
	} else if (optopt >= 256 || (optopt && !strncmp(argv[optind - 1], "--", 2))) {
		char *eq = strchr(argv[optind - 1], '=');

		fprintf(stderr, "bytetap: option '%.*s' doesn't allow an argument\n",
			eq ? (int)(eq - argv[optind - 1]) : (int)strlen(argv[optind - 1]),
			argv[optind - 1]);
	} else if (optopt) {
		fprintf(stderr, "bytetap: invalid option -- '%c'\n", optopt);
	} else {
		fprintf(stderr, "bytetap: unrecognized option '%s'\n", argv[optind - 1]);
	}
	return OPTIONS_USAGE;
}

void options_try_help(void)
{
	fputs("Try '--help' for more information. [man stap]\n", stderr);
}

static int set_rlimit(int res, const char *name, const char *arg)
{
	struct rlimit rl;
	char *end;

	if (!*arg) {
		fprintf(stderr, "An --%s option value must be specified.\n", name);
		return -1;
	}
	errno = 0;
	rl.rlim_cur = rl.rlim_max = strtoul(arg, &end, 0);
	if (*end || errno) {
		fprintf(stderr, "Unable to convert resource limit '%s' for %s\n", arg, name);
		return -1;
	}
	if (setrlimit(res, &rl) != 0) {
		fprintf(stderr, "Unable to set resource limits for %s: %s\n", name,
			strerror(errno));
		return -1;
	}
	return 0;
}

/* [a-z_][a-z0-9_]*=[a-z0-9_.-]+, case-insensitive: stap's -G pattern. */
static bool globalopt_ok(const char *s)
{
	const char *eq = strchr(s, '=');
	const char *p;

	if (!eq || eq == s || !eq[1] || isdigit((unsigned char)s[0]))
		return false;
	for (p = s; p < eq; p++)
		if (!isalnum((unsigned char)*p) && *p != '_')
			return false;
	for (p = eq + 1; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_.-", *p))
			return false;
	return true;
}

/* The machine's name as stap says it (-a): uname -m, a few renamed. */
static const char *this_arch(const struct utsname *u)
{
	if (!strcmp(u->machine, "aarch64"))
		return "arm64";
	if (u->machine[0] == 'i' && !strcmp(u->machine + 2, "86"))
		return "i386";
	return u->machine;
}

/* -p, -T, -x, -c, -d: stap's checks and its messages. */
static int one_value(struct options *o, int c, const char *arg)
{
	char *end;
	long long v;

	switch (c) {
	case 'p':
		v = strtol(arg, &end, 10);
		if (*end || end == arg || v < 1 || v > 5) {
			fputs("Invalid pass number (should be 1-5).\n", stderr);
			return -1;
		}
		o->last_pass = (int)v;
		return 0;
	case 'T':
		o->timeout = strtod(arg, &end);
		if (*end || end == arg || !(o->timeout * 1000 >= 1) || o->timeout > INT_MAX / 1000) {
			fputs("Invalid timeout interval.\n", stderr);
			return -1;
		}
		return 0;
	case 'x':
		errno = 0;
		v = strtoll(arg, &end, 10);
		if (*end || end == arg || errno || v < 0 || v > INT_MAX) {
			fputs("Invalid target process ID number.\n", stderr);
			return -1;
		}
		o->target = (pid_t)v;
		return 0;
	case 'c':
		if (!*arg) {
			fputs("Empty CMD string invalid.\n", stderr);
			return -1;
		}
		o->command = arg;
		return 0;
	case 'd':
		if (!*arg) {
			fputs("Data object (-d) cannot be empty.\n", stderr);
			return -1;
		}
		return 0;	/* symbols come from kallsyms and BTF: nothing to add */
	}
	return -1;
}

/* The options that take a value, with a check of their own. */
static int long_value(struct options *o, int c, const char *name, const char *arg)
{
	switch (c) {
	case LO_RUNTIME:
		if (!strcmp(arg, "user")) {
			o->runtime = RUNTIME_USER;
		} else if (!strcmp(arg, "kernel")) {
			o->runtime = RUNTIME_KERNEL;
		} else if (!strcmp(arg, "dyninst") || !strcmp(arg, "bpf")) {
			fprintf(stderr, "bytetap does not implement --runtime=%s: "
				"its runtimes are kernel (the default) and user\n", arg);
			return -1;
		} else {
			fprintf(stderr, "ERROR: %s is an invalid argument for --runtime\n", arg);
			return -1;
		}
		return 0;
	case LO_COMPATIBLE:
		if (strverscmp(arg, STAP_LANG_VERSION) > 0) {
			fprintf(stderr, "ERROR: systemtap version %s cannot be compatible "
				"with future version %s\n", STAP_LANG_VERSION, arg);
			return -1;
		}
		o->compatible = arg;
		return 0;
	case LO_VP: {
		size_t i, n = strlen(arg);

		for (i = 0; i < n && n <= 5; i++)
			if (!isdigit((unsigned char)arg[i]))
				break;
		if (n < 1 || n > 5 || i < n) {
			fputs("Invalid --vp argument: it takes 1 to 5 digits.\n", stderr);
			return -1;
		}
		for (i = 0; i < n; i++)
			o->perpass_verbose[i] += arg[i] - '0';
		return 0;
	}
	case LO_PRIVILEGE:
		if (strcmp(arg, "stapdev") && strcmp(arg, "stapsys") && strcmp(arg, "stapusr")) {
			fprintf(stderr, "Invalid argument '%s' for --privilege.\n", arg);
			return -1;
		}
		if (strcmp(arg, "stapdev")) {
			fprintf(stderr, "bytetap does not implement --privilege=%s: scripts "
				"are not checked against its restrictions; only root "
				"(stapdev) runs them\n", arg);
			return -1;
		}
		return 0;
	case LO_COLOR:
		if (arg && strcmp(arg, "always") && strcmp(arg, "auto") && strcmp(arg, "never")) {
			fprintf(stderr, "Invalid argument '%s' for --%s.\n", arg, name);
			return -1;
		}
		if (!arg || strcmp(arg, "never")) {
			fprintf(stderr, "bytetap does not implement --%s=%s: its messages "
				"are never coloured\n", name, arg ? arg : "always");
			return -1;
		}
		return 0;
	case LO_PROLOGUE:
		if (arg && strcmp(arg, "always") && strcmp(arg, "auto") && strcmp(arg, "never")) {
			fprintf(stderr, "Invalid argument '%s' for --prologue-searching.\n", arg);
			return -1;
		}
		if (!arg || strcmp(arg, "never")) {
			refuse(0, "prologue-searching", why_of('P', NULL));
			return -1;
		}
		return 0;
	case LO_RLIMIT_AS:
		return set_rlimit(RLIMIT_AS, name, arg);
	case LO_RLIMIT_CPU:
		return set_rlimit(RLIMIT_CPU, name, arg);
	case LO_RLIMIT_NPROC:
		return set_rlimit(RLIMIT_NPROC, name, arg);
	case LO_RLIMIT_STACK:
		return set_rlimit(RLIMIT_STACK, name, arg);
	case LO_RLIMIT_FSIZE:
		return set_rlimit(RLIMIT_FSIZE, name, arg);
	}
	return -1;
}

/* -r and -a: only this machine's own kernel and architecture. */
static int native_only(int c, const char *arg)
{
	struct utsname u;
	char tree[sizeof(u.release) + 32];

	if (uname(&u) != 0)
		return -1;
	snprintf(tree, sizeof(tree), "/lib/modules/%s/build", u.release);
	if (c == 'r' && (!strcmp(arg, u.release) || !strcmp(arg, tree)))
		return 0;
	if (c == 'a' && !strcmp(arg, this_arch(&u)))
		return 0;
	fprintf(stderr, "bytetap does not implement -%c %s: scripts are compiled for "
		"the running kernel (%s, %s), whose BTF and kallsyms they use\n",
		c, arg, u.release, this_arch(&u));
	return -1;
}

/* stap's checks once every option is known (check_options()). */
static int check_combination(struct options *o, bool have_list, int argc, char **argv)
{
	if (have_list && (o->script_text || optind < argc)) {
		fputs("Cannot specify a script with -l/-L/--dump-* switches.\n", stderr);
		return OPTIONS_USAGE;
	}
	if (have_list && o->last_pass != 5) {
		fputs("Cannot specify -p with -l/-L/--dump-* switches.\n", stderr);
		return OPTIONS_USAGE;
	}
	if (!o->script_text && !have_list) {
		if (optind >= argc) {
			fputs("A script must be specified.\n", stderr);
			return OPTIONS_USAGE;
		}
		o->script_file = argv[optind++];
	}
	if (o->command && o->target) {
		fputs("You can't specify -c and -x together.\n", stderr);
		return OPTIONS_USAGE;
	}
	return OPTIONS_OK;
}

int options_parse(struct options *o, int argc, char **argv)
{
	bool have_list = false;
	int c, li, i;

	memset(o, 0, sizeof(*o));
	memset(&defs, 0, sizeof(defs));
	defs.interruptible = 1;
	o->last_pass = 5;
	o->runtime = RUNTIME_KERNEL;
	o->limits = bt_default_limits();	/* maxaction: finish_limits() */
	opterr = 0;
	optind = 1;
	while (li = -1, (c = getopt_long(argc, argv, SHORT_OPTS, long_opts, &li)) != -1) {
		switch (c) {
		case 'e':
			if (o->script_text) {
				fputs("Only one script can be given on the command line.\n", stderr);
				return OPTIONS_ERROR;
			}
			o->script_text = optarg;
			break;
		case 'l':
		case 'L':
			if (have_list) {
				fputs("ERROR: only one of the -l/-L/--dump-* switches may be "
				      "specified\n", stderr);
				return OPTIONS_ERROR;
			}
			have_list = true;
			o->list_pattern = optarg;
			o->list_vars = c == 'L';
			o->no_warnings = true;
			break;
		case 'p':
		case 'T':
		case 'x':
		case 'c':
		case 'd':
			if (one_value(o, c, optarg) != 0)
				return OPTIONS_ERROR;
			break;
		case 'o':
			o->output_file = optarg;
			break;
		case 'D':
			if (options_define(o, optarg) != 0) {
				fprintf(stderr, "bytetap: invalid -D '%s'\n", optarg);
				return OPTIONS_ERROR;
			}
			break;
		case 'G':
			if (!globalopt_ok(optarg)) {
				fprintf(stderr, "ERROR: Safety pattern mismatch for -G parameter "
					"('%s' vs. '^[a-z_][a-z0-9_]*=[a-z0-9_.-]+$') rc=1\n", optarg);
				return OPTIONS_ERROR;
			}
			o->globalopts = xrealloc(o->globalopts,
						 (o->nglobalopts + 1) * sizeof(char *));
			o->globalopts[o->nglobalopts++] = optarg;
			break;
		case 'I':
			o->include_dirs = xrealloc(o->include_dirs,
						   (o->ninclude_dirs + 1) * sizeof(char *));
			o->include_dirs[o->ninclude_dirs++] = optarg;
			break;
		case 'v':
			o->verbose++;
			for (i = 0; i < 5; i++)
				o->perpass_verbose[i]++;
			break;
		case 'w':
			o->no_warnings = true;
			break;
		case 'W':
			o->panic_warnings = true;
			break;
		case 't':
			o->timing = true;
			break;
		case 'u':
			o->unoptimized = true;
			break;
		case 'k':	/* no temporary directory is made: nothing to keep */
		case 'B':	/* nothing is built with kbuild */
		case LO_LDD:	/* user-space symbols: none are probed */
		case LO_ALL_MODULES:	/* kallsyms has every loaded module's */
		case LO_MEANINGLESS:
			break;
		case 'r':
		case 'a':
			if (native_only(c, optarg) != 0)
				return OPTIONS_ERROR;
			break;
		case LO_NO_GLOBAL_DISPLAY:
			o->no_global_display = true;
			break;
		case LO_RUNTIME:
		case LO_COMPATIBLE:
		case LO_VP:
		case LO_PRIVILEGE:
		case LO_COLOR:
		case LO_PROLOGUE:
		case LO_RLIMIT_AS:
		case LO_RLIMIT_CPU:
		case LO_RLIMIT_NPROC:
		case LO_RLIMIT_STACK:
		case LO_RLIMIT_FSIZE:
			if (long_value(o, c, long_name(c, li), optarg) != 0)
				return OPTIONS_ERROR;
			break;
		case LO_UNPRIVILEGED:
			fputs("bytetap does not implement --unprivileged: scripts are not "
			      "checked against stapusr's restrictions; only root (stapdev) "
			      "runs them\n", stderr);
			return OPTIONS_ERROR;
		case LO_SUPPRESS_TIME_LIMITS:
			/* stap's own check; -g is refused, so it never holds */
			fputs("ERROR --suppress-time-limits requires guru mode (-g)\n", stderr);
			return OPTIONS_ERROR;
		case LO_CLEAN_CACHE:
			return OPTIONS_DONE;	/* there is no cache to clean */
		case LO_DUMP:
		case LO_REFUSED:
			return refuse_known(0, long_name(c, li));
		case 'h':
			return OPTIONS_HELP;
		case 'V':
			return OPTIONS_VERSION;
		case ':':
		case '?':
			return bad_option(c, argv);
		default:
			return refuse_known(c, NULL);
		}
	}
	c = check_combination(o, have_list, argc, argv);
	if (c != OPTIONS_OK)
		return c;
	o->args = argv + optind;
	o->nargs = argc - optind;
	finish_limits(o);
	return OPTIONS_OK;
}

void options_free(struct options *o)
{
	unsigned int i;

	free(o->include_dirs);
	o->include_dirs = NULL;
	free(o->globalopts);
	o->globalopts = NULL;
	for (i = 0; i < o->nprobe_where; i++) {
		free(o->probe_where[i]);
		free(o->probe_from[i]);
	}
	free(o->probe_where);
	free(o->probe_from);
	o->probe_where = o->probe_from = NULL;
	o->nprobe_where = 0;
}
