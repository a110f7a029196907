/*
 * kallsyms.c - resolve kprobe probe points against /proc/kallsyms.
 *
 * Lines look like "ffffffff81234560 T vfs_read" or, for modules,
 * "ffffffffc0123450 t foo	[ext4]".  We keep text symbols (t, T, w, W)
 * of the kernel image.  The module checks every address again against its
 * own symbol table, so this only has to be right, not trusted.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kallsyms.h"
#include "bt_glob.h"

int ksym_is_glob(const char *pat)
{
	return strpbrk(pat, "*?[") != NULL;
}

int ksym_glob(const char *pat, const char *str)
{
	return bt_glob(pat, str);
}

struct range {
	uint64_t start, end;
};

/* /sys/kernel/debug/kprobes/blacklist: "0xstart-0xend\tsymbol" */
static struct range *read_blacklist(size_t *n)
{
	FILE *f = fopen("/sys/kernel/debug/kprobes/blacklist", "r");
	struct range *r = NULL;
	size_t cap = 0;
	char line[512];

	*n = 0;
	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long a, b;

		if (sscanf(line, "0x%llx-0x%llx", &a, &b) != 2 || !a)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			r = realloc(r, cap * sizeof(*r));
			if (!r) {
				fclose(f);
				*n = 0;
				return NULL;
			}
		}
		r[*n].start = a;
		r[*n].end = b;
		(*n)++;
	}
	fclose(f);
	return r;
}

static int blacklisted(const struct range *r, size_t n, uint64_t addr)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (addr >= r[i].start && addr < r[i].end)
			return 1;
	return 0;
}

int ksym_resolve(struct ksym_req *reqs, size_t nreqs, struct ksym_match **out,
		 size_t *nout, size_t max, char *err, size_t errlen)
{
	const char *path = getenv("BYTETAP_KALLSYMS");
	struct ksym_match *m = NULL;
	size_t n = 0, cap = 0, nbl = 0, i;
	struct range *bl;
	uint64_t kp_start = 0, kp_end = 0;
	int any_addr = 0, lines = 0;
	char line[512];
	FILE *f;

	*out = NULL;
	*nout = 0;
	if (!path)
		path = "/proc/kallsyms";
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	bl = read_blacklist(&nbl);
	for (i = 0; i < nreqs; i++)
		reqs[i].nfound = 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long addr;
		char type, name[256];

		lines++;
		if (sscanf(line, "%llx %c %255s", &addr, &type, name) != 3)
			continue;
		if (addr)
			any_addr = 1;
		if (strchr(line, '['))
			continue;	/* a module's symbol */
		if (!strcmp(name, "__kprobes_text_start"))
			kp_start = addr;
		else if (!strcmp(name, "__kprobes_text_end"))
			kp_end = addr;
		if (type != 't' && type != 'T' && type != 'w' && type != 'W')
			continue;
		/* a name the attach ABI cannot carry whole is no match */
		if (strlen(name) >= sizeof(((struct ksym_match *)0)->name))
			continue;
		for (i = 0; i < nreqs; i++) {
			struct ksym_req *r = &reqs[i];
			int glob = ksym_is_glob(r->pattern);
			size_t j;

			if (glob ? !ksym_glob(r->pattern, name) : strcmp(r->pattern, name))
				continue;
			if (glob && (strchr(name, '.') || blacklisted(bl, nbl, addr)))
				continue;
			for (j = 0; j < n; j++)
				if (m[j].req == i && m[j].addr == addr + r->offset)
					break;
			if (j < n)
				continue;	/* an alias of one we have */
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				m = realloc(m, cap * sizeof(*m));
				if (!m) {
					snprintf(err, errlen, "out of memory");
					fclose(f);
					free(bl);
					return -1;
				}
			}
			m[n].req = (uint32_t)i;
			m[n].addr = addr + r->offset;
			memcpy(m[n].name, name, sizeof(m[n].name) - 1);
			m[n].name[sizeof(m[n].name) - 1] = 0;
			n++;
			r->nfound++;
		}
	}
	fclose(f);
	free(bl);
	if (lines && !any_addr) {
		free(m);
		snprintf(err, errlen, "%s shows no addresses (kernel.kptr_restrict, or not root)",
			 path);
		return -1;
	}
	/* functions in the __kprobes section can never be probed: drop glob hits */
	if (kp_start && kp_end) {
		size_t k = 0;

		for (i = 0; i < n; i++) {
			if (ksym_is_glob(reqs[m[i].req].pattern) &&
			    m[i].addr >= kp_start && m[i].addr < kp_end) {
				reqs[m[i].req].nfound--;
				continue;
			}
			m[k++] = m[i];
		}
		n = k;
	}
	if (n > max) {
		free(m);
		snprintf(err, errlen, "the probe points match %zu functions, more than the module's limit of %zu",
			 n, max);
		return -1;
	}
	*out = m;
	*nout = n;
	return 0;
}
