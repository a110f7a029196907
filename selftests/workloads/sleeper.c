/* sleeper SECONDS: sleep (fractions allowed), then exit 0. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: sleeper SECONDS\n");
		return 2;
	}
	double s = atof(argv[1]);
	struct timespec ts = { (time_t)s, (long)((s - (time_t)s) * 1e9) };
	while (nanosleep(&ts, &ts) != 0)
		;	/* interrupted by a handled signal: sleep the rest */
	return 0;
}
