/*
 * guest_util.h - small helpers the guest test programs share
 * (selftests/vm/hostile.c, hostile_classes.c, selftests/fuzz/bt-fuzz.c).
 */
#ifndef BYTETAP_GUEST_UTIL_H
#define BYTETAP_GUEST_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The address of a kernel-image symbol (not a module's), or 0. */
static inline uint64_t kallsyms(const char *name)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[512], sym[256], t;
	unsigned long long a;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %c %255s", &a, &t, sym) == 3 && !strcmp(sym, name) &&
		    !strchr(line, '[')) {
			fclose(f);
			return a;
		}
	if (f)
		fclose(f);
	return 0;
}

#endif
