/*
 * rt_common.h - what both runtimes (rt_user.c, rt_kernel.c) do around a
 * session: catch the signals that end it, and run the -c command, held
 * back until the begin probes have run.
 */
#ifndef BYTETAP_RT_COMMON_H
#define BYTETAP_RT_COMMON_H

#include <signal.h>
#include <sys/types.h>

/* The signal that asked the session to end (SIGINT, SIGTERM, SIGHUP), or 0. */
extern volatile sig_atomic_t rt_signal;

/*
 * Catch SIGINT, SIGTERM and SIGHUP into rt_signal and block them, so that
 * none is lost: a runtime unblocks them only while it waits (ppoll).
 */
void rt_catch_signals(void);

/*
 * Fork `sh -c CMD` with default signals, held until rt_release_command().
 * Returns its pid (target()) and sets *go_fd, or -1.
 */
pid_t rt_fork_command(const char *cmd, int *go_fd);

/* Let the held command exec (go), or make it exit 127 without running. */
void rt_release_command(int *go_fd, int go);

#endif
