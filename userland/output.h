/*
 * output.h - turn the VM's output records (bytecode/bt_record.h) into
 * text: printf records through the shared formatter, histograms, and
 * ERROR / WARNING lines with their source locations.
 */
#ifndef BYTETAP_OUTPUT_H
#define BYTETAP_OUTPUT_H

#include <stdio.h>
#include <stddef.h>
#include "bt_prog.h"

struct output;

struct output *output_new(const struct bt_prog *prog, FILE *out, FILE *err);
void output_free(struct output *o);

/* Format every record in buf[0 .. len).  Returns the number of ERROR records. */
int output_records(struct output *o, const void *buf, size_t len);

/* "operator '/' at t.stp:2:32" for an absolute pc, or NULL. */
const char *output_location(const struct bt_prog *prog, uint32_t pc);

#endif
