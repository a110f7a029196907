/*
 * kallsyms.h - find kernel functions for kprobe probe points by name or
 * glob in /proc/kallsyms (the kernel runtime's address resolution).
 */
#ifndef BYTETAP_KALLSYMS_H
#define BYTETAP_KALLSYMS_H

#include <stddef.h>
#include <stdint.h>

/* What to look for: one per kprobe / kretprobe probe of the program. */
struct ksym_req {
	const char *pattern;	/* a function name, or a glob (* ? [...]) */
	uint64_t offset;	/* added to the function's address */
	uint32_t probe;		/* the program's probe index, passed through */
	unsigned nfound;	/* out: functions matched */
};

/* One function found for a request. */
struct ksym_match {
	uint32_t req;		/* index into the request array */
	uint64_t addr;		/* function address + offset */
	char name[128];
};

/*
 * One pass over /proc/kallsyms (or $BYTETAP_KALLSYMS) for every request:
 * text symbols of the kernel image (not modules).  Exact names match
 * every symbol of that name; globs skip compiler clones (names with a
 * '.'), functions in /sys/kernel/debug/kprobes/blacklist and the
 * __kprobes section.  Each address is matched at most once per request
 * (aliases).  Returns 0 and a malloc'ed array, or -1 with err set (the
 * file can't be read, or it shows no addresses: kptr_restrict).
 */
int ksym_resolve(struct ksym_req *reqs, size_t nreqs, struct ksym_match **out,
		 size_t *nout, size_t max, char *err, size_t errlen);

/* Shell-style glob as the module checks it: * ? [abc] [a-z] [!x]. */
int ksym_glob(const char *pat, const char *str);
int ksym_is_glob(const char *pat);

#endif
