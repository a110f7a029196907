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
	const char *pattern;	/* a function name, or a glob (* ? [...]);
				   "MODULE:PATTERN" for a loaded module's */
	uint64_t offset;	/* added to the function's address */
	uint32_t probe;		/* the program's probe index, passed through */
	unsigned nfound;	/* out: functions matched */
	unsigned module_seen;	/* out: "MODULE:" and MODULE has symbols
				   (it is loaded) */
};

/* One function found for a request. */
struct ksym_match {
	uint32_t req;		/* index into the request array */
	uint64_t addr;		/* function address + offset */
	char name[128];
};

/*
 * One pass over /proc/kallsyms (or $BYTETAP_KALLSYMS) for every request:
 * text symbols of the kernel image, or with "MODULE:PATTERN" only those
 * of that module (the "[MODULE]" lines; a match's name is the bare
 * function name).  Exact names match
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

/*
 * Address -> symbol, for print_backtrace() records and the user runtime's
 * symname() / symdata(): every symbol of /proc/kallsyms (or
 * $BYTETAP_KALLSYMS), read once on first use and sorted.  A symbol's size
 * runs to the next higher address of the same module, as the kernel's
 * kallsyms reckons it; aliases resolve to the first one listed.  Returns
 * 1 and fills *out when addr lies in a symbol, else 0 (also when the file
 * cannot be read or hides its addresses).
 */
struct ksym_info {
	const char *name;
	const char *module;	/* "kernel" for the kernel image */
	uint64_t addr;		/* the symbol's start */
	uint64_t size;		/* 0 when unknown (a module's last symbol) */
};
int ksym_lookup(uint64_t addr, struct ksym_info *out);

/* How ksym_format() names an address, as SystemTap's functions do. */
enum ksym_style {
	KSYM_NAME,	/* symname():  "vfs_read" */
	KSYM_DATA,	/* symdata():  "vfs_read+0x4/0x1c0 [kernel]" */
	KSYM_FULL,	/* print_backtrace(): "0xffffffff81234564 : " + KSYM_DATA */
};

/* addr as style gives it, or "0x<hex>" alone for an unknown address. */
void ksym_format(char *buf, size_t cap, uint64_t addr, enum ksym_style style);

#endif
