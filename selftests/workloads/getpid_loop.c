/* getpid_loop N [-t]: make N real getpid system calls.
 * syscall(SYS_getpid) rather than getpid() so that no libc caching can skip
 * the kernel entry.  With -t, print the mean time per call, measured with
 * CLOCK_MONOTONIC around the whole loop, as "NS_PER_CALL <float>". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

int main(int argc, char **argv)
{
	long n = -1;
	int timed = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-t"))
			timed = 1;
		else
			n = atol(argv[i]);
	}
	if (n < 0) {
		fprintf(stderr, "usage: getpid_loop [-t] N\n");
		return 2;
	}
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++)
		syscall(SYS_getpid);
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (timed) {
		double ns = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
		printf("NS_PER_CALL %.1f\n", n ? ns / n : 0.0);
	}
	return 0;
}
