/* write_loop N: N write(2)s of a few bytes to /dev/null. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: write_loop N\n");
		return 2;
	}
	long n = atol(argv[1]);
	int fd = open("/dev/null", O_WRONLY);
	if (fd < 0) {
		perror("/dev/null");
		return 1;
	}
	for (long i = 0; i < n; i++)
		if (write(fd, "bytetap\n", 8) != 8) {
			perror("write");
			return 1;
		}
	close(fd);
	return 0;
}
