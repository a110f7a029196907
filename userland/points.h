/*
 * points.h - what a kernel probe point names, read off its components.
 *
 * kernel.function("f@file"), kprobe.function("f"), module("m").function("f"),
 * kprobe.module("m").function("f") and kernel.trace("sys:name") are parsed
 * here once, for the code generator (which kprobe or tracepoint), target
 * variables (which prototype), sema (what to expand) and -l/-L.
 */
#ifndef BYTETAP_POINTS_H
#define BYTETAP_POINTS_H

#include "ast.h"

enum point_kind {
	POINT_OTHER,		/* begin, timer.*, kernel.statement, ... */
	POINT_FUNCTION,		/* a kernel or module function */
	POINT_TRACE,		/* a tracepoint */
};

struct point_info {
	enum point_kind kind;
	bool kprobe;		/* the kprobe.* (DWARF-less) spelling */
	const char *module;	/* "m" of module("m"), '-' spelled '_' as the
				   kernel does; NULL for the kernel */
	int comp;		/* index of the function / trace component */
	const char *pattern;	/* function pattern without "@file"; the
				   tracepoint name without "sys:" */
	const char *system;	/* tracepoint "sys" of "sys:name", or NULL */
	int nafter;		/* components after comp (.call, .return ...) */
	bool ret;		/* .return follows the function */
};

/* Fills *pi; false (kind POINT_OTHER) when pp names no function or
 * tracepoint. */
bool point_info(struct compiler *cc, const struct probe_point *pp,
		struct point_info *pi);

/* "kernel.function(\"x\").return": the text of components c[0..n). */
const char *point_text(struct compiler *cc, const struct pp_comp *c, int n);

/* pp with component k's string argument replaced by name (and its text). */
struct probe_point *point_renamed(struct compiler *cc,
				  const struct probe_point *pp, int k,
				  const char *name);

#endif /* BYTETAP_POINTS_H */
