/*
 * points.h - probe point text and copies.  What a point names (a
 * function, a tracepoint) is its family's business: probes/probes.h.
 */
#ifndef BYTETAP_POINTS_H
#define BYTETAP_POINTS_H

#include "ast.h"

/* "kernel.function(\"x\").return": the text of components c[0..n). */
const char *point_text(struct compiler *cc, const struct pp_comp *c, int n);

/* pp with component k's string argument replaced by name (and its text). */
struct probe_point *point_renamed(struct compiler *cc,
				  const struct probe_point *pp, int k,
				  const char *name);

#endif /* BYTETAP_POINTS_H */
