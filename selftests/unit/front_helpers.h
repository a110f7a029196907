/*
 * front_helpers.h - run the front end (parse, sema, dumps) on a string,
 * for the parse_* / sema_* unit tests.
 */
#ifndef BYTETAP_FRONT_HELPERS_H
#define BYTETAP_FRONT_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parse.h"
#include "sema.h"
#include "dump.h"

struct fe_result {
	int rc;		/* 0 ok, 1 pass 1 failed, 2 pass 2 failed */
	char *out;	/* the -p1 / -p2 dump */
	char *err;	/* diagnostics */
};

struct fe_opts {
	int pass;			/* 1 or 2 (default 2) */
	const char *const *args;	/* $1.. */
	int nargs;
	const char *tapsets;		/* tapset dir, NULL = none */
	bool unoptimized;
	const char *name;		/* script name, default "t.stp" */
};

static __attribute__((unused)) struct fe_result fe_run_opts(const char *text, const struct fe_opts *fo)
{
	struct fe_result r = { 0 };
	size_t olen, elen;
	FILE *out = open_memstream(&r.out, &olen);
	FILE *err = open_memstream(&r.err, &elen);
	const char *inc[1];
	struct compile_opts o = {
		.script_text = text,
		.script_name = fo->name ? fo->name : "t.stp",
		.args = (char *const *)fo->args,
		.nargs = fo->nargs,
		.no_tapsets = fo->tapsets == NULL,
		.tapset_default = "/nonexistent-bytetap-tapsets",
		.unoptimized = fo->unoptimized,
		.kernel_release = "6.1.0-56-amd64",
		.arch = "x86_64",
		.runtime = "kernel",
		.err = err,
	};
	if (fo->tapsets) {
		inc[0] = fo->tapsets;
		o.include_dirs = inc;
		o.ninclude_dirs = 1;
	}
	struct compiler *cc = compiler_new(&o);
	struct script *s = parse_script(cc);
	if (!s) {
		r.rc = 1;
	} else if (fo->pass == 1) {
		dump_parse(out, s);
	} else if (sema_check(s) != 0) {
		r.rc = 2;
	} else {
		dump_resolved(out, s);
	}
	compiler_free(cc);
	fclose(out);
	fclose(err);
	return r;
}

static __attribute__((unused)) struct fe_result fe_run(const char *text, int pass)
{
	struct fe_opts fo = { .pass = pass };
	return fe_run_opts(text, &fo);
}

static __attribute__((unused)) void fe_free(struct fe_result *r)
{
	free(r->out);
	free(r->err);
}

/* The -p1 body of a one-probe script, without the two header lines. */
static __attribute__((unused)) char *fe_p1_body(const char *text)
{
	struct fe_result r = fe_run(text, 1);
	char *body = NULL;
	if (r.rc == 0) {
		const char *p = r.out;
		for (int i = 0; i < 2 && p; i++) {
			p = strchr(p, '\n');
			if (p)
				p++;
		}
		body = strdup(p ? p : "");
	} else {
		body = strdup(r.err);
	}
	fe_free(&r);
	return body;
}

/* The first line of the diagnostics (the error message itself). */
static __attribute__((unused)) char *fe_first_error(const char *text, int pass)
{
	struct fe_result r = fe_run(text, pass);
	char *line = strdup(r.err ? r.err : "");
	char *nl = strchr(line, '\n');
	if (nl)
		*nl = 0;
	fe_free(&r);
	return line;
}

#endif
