/*
 * disasm.h - `bytetap -p3`: a loaded program as readable assembly.
 *
 * Each function: its name, frame sizes and code, one instruction a line,
 * with the names of the maps, globals, functions, builtins, formats and
 * constants it uses, and jump targets:
 *
 *	  12  MGET     r3, m2 'counts'[r4, s1]
 *
 * then the tables: globals, maps (key and value kinds, capacity, flags,
 * histogram), probes (points, handlers, locks), formats, regexes, limits.
 * Linear in the program's size; one buffered write per line.
 */
#ifndef BYTETAP_DISASM_H
#define BYTETAP_DISASM_H

#include <stdio.h>
#include "bt_prog.h"

/* The whole program. */
void disasm_program(FILE *out, const struct bt_prog *prog);

/* One function's code. */
void disasm_function(FILE *out, const struct bt_prog *prog, uint32_t func);

/*
 * One instruction (function-relative pc) into buf; returns the number of
 * words it occupies (2 with an EXT word), or 1.
 */
unsigned int disasm_insn(char *buf, size_t cap, const struct bt_prog *prog,
			 uint32_t func, uint32_t pc);

#endif
