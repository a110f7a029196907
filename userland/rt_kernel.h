/*
 * rt_kernel.h - the kernel runtime: run a program in the bytetap kernel
 * module through /dev/bytetap (bytecode/bt_ioctl.h).
 */
#ifndef BYTETAP_RT_KERNEL_H
#define BYTETAP_RT_KERNEL_H

#include <stddef.h>
#include "bt_prog.h"
#include "options.h"

/* rt_kernel_run()'s status when the module can't be reached at all. */
#define RT_KERNEL_UNAVAILABLE (-2)

/*
 * Open /dev/bytetap, loading the module first if it is not loaded (from
 * $BYTETAP_MODULE, the build tree next to this binary, or
 * /lib/modules/RELEASE/{extra,updates}/).  Returns an fd, or -1 with a
 * message in err.
 */
int rt_kernel_open(char *err, size_t errlen);

/*
 * Run the program (blob as written by codegen, prog its loaded view) to
 * the end: resolve kprobes, LOAD, ATTACH, START, stream the output until
 * exit(), an error, Ctrl-C, -T or the end of -c CMD, then STOP (end
 * probes) and print what is left.  Returns the exit status, or
 * RT_KERNEL_UNAVAILABLE (message already printed when quiet is false).
 */
int rt_kernel_run(const struct bt_prog *prog, const void *blob, size_t size,
		  const struct options *o, int quiet_unavailable);

#endif
