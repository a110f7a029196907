/*
 * options.c - parse the command line into struct options.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static const struct option long_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "runtime", required_argument, NULL, 'R' },
	{ "no-global-var-display", no_argument, NULL, 'G' },
	{ NULL, 0, NULL, 0 },
};

int options_parse(struct options *o, int argc, char **argv)
{
	int c;

	memset(o, 0, sizeof(*o));
	memset(&defs, 0, sizeof(defs));
	defs.interruptible = 1;
	o->last_pass = 5;
	o->runtime = RUNTIME_KERNEL;
	o->limits = bt_default_limits();	/* maxaction: finish_limits() */
	opterr = 0;
	/* '+': the first non-option is the script; what follows is its args */
	while ((c = getopt_long(argc, argv, "+e:l:L:p:o:D:T:c:x:I:vwuh", long_opts, NULL)) != -1) {
		long long v;

		switch (c) {
		case 'e':
			o->script_text = optarg;
			break;
		case 'l':
		case 'L':
			o->list_pattern = optarg;
			o->list_vars = c == 'L';
			break;
		case 'p':
			if (parse_ll(optarg, &v) || v < 1 || v > 5) {
				fprintf(stderr, "bytetap: invalid -p '%s': passes are 1 to 5\n", optarg);
				return OPTIONS_ERROR;
			}
			o->last_pass = (int)v;
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
		case 'T': {
			char *end;

			o->timeout = strtod(optarg, &end);
			if (*end || o->timeout <= 0) {
				fprintf(stderr, "bytetap: invalid -T '%s'\n", optarg);
				return OPTIONS_ERROR;
			}
			break;
		}
		case 'c':
			o->command = optarg;
			break;
		case 'x':
			if (parse_ll(optarg, &v) || v <= 0 || v > INT_MAX) {
				fprintf(stderr, "bytetap: invalid -x '%s'\n", optarg);
				return OPTIONS_ERROR;
			}
			o->target = (pid_t)v;
			break;
		case 'I':
			o->include_dirs = xrealloc(o->include_dirs,
						   (o->ninclude_dirs + 1) * sizeof(char *));
			o->include_dirs[o->ninclude_dirs++] = optarg;
			break;
		case 'v':
			o->verbose++;
			break;
		case 'w':
			o->no_warnings = true;
			break;
		case 'u':
			o->unoptimized = true;
			break;
		case 'G':
			o->no_global_display = true;
			break;
		case 'R':
			if (!strcmp(optarg, "user")) {
				o->runtime = RUNTIME_USER;
			} else if (!strcmp(optarg, "kernel")) {
				o->runtime = RUNTIME_KERNEL;
			} else {
				fprintf(stderr, "bytetap: unknown runtime '%s' (user or kernel)\n", optarg);
				return OPTIONS_ERROR;
			}
			break;
		case 'h':
			return OPTIONS_HELP;
		case 'V':
			return OPTIONS_VERSION;
		default:
			if (optopt && strchr("elpoDTcxI", optopt))
				fprintf(stderr, "bytetap: option -%c needs an argument\n", optopt);
			else
				fprintf(stderr, "bytetap: unknown option '%s'\n", argv[optind - 1]);
			return OPTIONS_USAGE;
		}
	}
	if (!o->script_text && !o->list_pattern) {
		if (optind >= argc) {
			fputs("bytetap: no script: give a file or -e 'SCRIPT'\n", stderr);
			return OPTIONS_USAGE;
		}
		o->script_file = argv[optind++];
	}
	o->args = argv + optind;
	o->nargs = argc - optind;
	finish_limits(o);
	return OPTIONS_OK;
}

void options_free(struct options *o)
{
	free(o->include_dirs);
	o->include_dirs = NULL;
}
