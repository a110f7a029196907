/*
 * rt_common.c - signals and the -c command, shared by both runtimes.
 */
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include "rt_common.h"

volatile sig_atomic_t rt_signal;

static void on_signal(int sig)
{
	rt_signal = sig;
}

void rt_catch_signals(void)
{
	struct sigaction sa = { 0 };
	sigset_t block;

	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, NULL);
}

pid_t rt_fork_command(const char *cmd, int *go_fd)
{
	int p[2];
	pid_t pid;

	if (pipe(p) != 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		sigset_t none;
		char c;

		close(p[1]);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		if (read(p[0], &c, 1) != 0)	/* EOF: go; a byte: give up */
			_exit(127);
		close(p[0]);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(p[0]);
	*go_fd = p[1];
	return pid;
}

void rt_release_command(int *go_fd, int go)
{
	if (*go_fd < 0)
		return;
	if (!go) {
		ssize_t n = write(*go_fd, "x", 1);

		(void)n;
	}
	close(*go_fd);
	*go_fd = -1;
}
