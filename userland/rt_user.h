/*
 * rt_user.h - the user runtime: run a verified program whose probes need
 * no kernel (begin, end, error, never, timer.*) in this process, on the
 * same VM core the kernel module uses.
 */
#ifndef BYTETAP_RT_USER_H
#define BYTETAP_RT_USER_H

#include <stdbool.h>
#include "bt_prog.h"
#include "options.h"

/*
 * Can every probe of prog run in user space?  If not and bad is given,
 * *bad is the first probe that needs the kernel.
 */
bool rt_user_can_run(const struct bt_prog *prog, const struct bt_probe_decl **bad);

/* Run prog to the end; returns the process exit status. */
int rt_user_run(const struct bt_prog *prog, const struct options *o);

#endif
