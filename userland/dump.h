/*
 * dump.h - the -p1 (parse tree) and -p2 (resolved script) printers.
 *
 * Both follow stap 4.8's layout so the outputs can be compared with
 * `stap -p1` / `stap -p2`: fully parenthesised expressions, one statement
 * per line followed by ';', no indentation.
 */
#ifndef BYTETAP_DUMP_H
#define BYTETAP_DUMP_H

#include <stdio.h>
#include "ast.h"

/* -p1: every user file as parsed (before tapsets and alias expansion). */
void dump_parse(FILE *out, const struct script *s);

/* -p2: live globals, functions (and used builtins) and derived probes. */
void dump_resolved(FILE *out, const struct script *s);

/* Building blocks, also used by the unit tests. */
void dump_expr(FILE *out, const struct expr *e);
void dump_stmt(FILE *out, const struct stmt *s);
void dump_string_lit(FILE *out, const char *s, size_t len);
const char *type_name(enum type t);

#endif /* BYTETAP_DUMP_H */
