/*
 * options.h - the bytetap command line, SystemTap's where it applies.
 */
#ifndef BYTETAP_OPTIONS_H
#define BYTETAP_OPTIONS_H

#include <stdbool.h>
#include <sys/types.h>
#include "bt_prog.h"

enum runtime_kind { RUNTIME_KERNEL, RUNTIME_USER };

struct options {
	const char *script_file;	/* or NULL with script_text (-e) */
	const char *script_text;
	const char *list_pattern;	/* -l PATTERN: list probe points */
	bool list_vars;			/* -L PATTERN: ... with their variables */
	char **args;			/* $1 .. $N */
	int nargs;
	int last_pass;			/* -p N; 5 = run */
	const char *output_file;	/* -o */
	struct bt_limits limits;	/* defaults + -D */
	bool maxnesting_set;		/* -DMAXNESTING given */
	int verbose;			/* -v count */
	bool no_warnings;		/* -w */
	bool panic_warnings;		/* -W: a warning fails the run */
	bool timing;			/* -t: per-probe timing report */
	int perpass_verbose[5];		/* -v (all passes), --vp ABCDE */
	bool unoptimized;		/* -u */
	bool no_global_display;		/* --no-global-var-display */
	double timeout;			/* -T seconds; 0 = none */
	const char *command;		/* -c */
	pid_t target;			/* -x, or the -c child */
	enum runtime_kind runtime;
	char **include_dirs;		/* -I */
	int ninclude_dirs;
	const char *compatible;		/* --compatible=V: systemtap_v */
	char **globalopts;		/* -G NAME=VALUE, in order */
	int nglobalopts;
	/*
	 * -t: what the report says about each program probe (by index),
	 * "PP, (FILE:LINE:COL)" and ", from: ..." as SystemTap's
	 * stap_probes[] has them; filled by main.c from the script before
	 * the compiler's tree is freed.  NULL entries: no source.
	 */
	char **probe_where;
	char **probe_from;
	unsigned int nprobe_where;
};

/* The SystemTap language version bytetap follows: --compatible's ceiling. */
#define STAP_LANG_VERSION "4.8"

enum {
	OPTIONS_OK = 0,
	OPTIONS_HELP = 1,
	OPTIONS_VERSION = 2,
	OPTIONS_USAGE = 3,	/* error already printed; also show usage */
	OPTIONS_ERROR = 4,	/* error already printed */
	OPTIONS_DONE = 5,	/* nothing to do: exit 0 (--clean-cache) */
};

int options_parse(struct options *o, int argc, char **argv);
void options_free(struct options *o);

/* "Try '--help' ..." as SystemTap ends a command-line error. */
void options_try_help(void);

/*
 * Apply one -D NAME=VALUE.  Returns 0, or -1 for a malformed value.
 * Names SystemTap passes to its C compiler that mean nothing here are
 * accepted and ignored, as SystemTap's own compiler would ignore them.
 */
int options_define(struct options *o, const char *def);

#endif
