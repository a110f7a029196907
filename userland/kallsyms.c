/*
 * kallsyms.c - resolve kprobe probe points against /proc/kallsyms.
 *
 * Lines look like "ffffffff81234560 T vfs_read" or, for modules,
 * "ffffffffc0123450 t foo	[ext4]".  We keep text symbols (t, T, w, W)
 * of the kernel image.  The module checks every address again against its
 * own symbol table, so this only has to be right, not trusted.
 *
 * Also the other way, address -> symbol (ksym_lookup()), for the raw
 * addresses of print_backtrace() records: user space names them, so that
 * the probe only copies a few words.
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

/* A request split: "MODULE:PATTERN" -> module "MODULE", fn "PATTERN". */
struct ksym_split {
	char module[64];	/* "" for the kernel image */
	const char *fn;
	int glob;
};

static void split_req(const char *pattern, struct ksym_split *sp)
{
	const char *colon = strchr(pattern, ':');
	size_t len = colon ? (size_t)(colon - pattern) : 0;

	sp->module[0] = 0;
	sp->fn = pattern;
	if (colon) {
		/* too long for a module name (56): no module has it, so a
		 * truncated copy that matches nothing will do */
		if (len >= sizeof(sp->module))
			len = sizeof(sp->module) - 1;
		memcpy(sp->module, pattern, len);
		sp->module[len] = 0;
		sp->fn = colon + 1;
	}
	sp->glob = ksym_is_glob(sp->fn);
}

/* /proc/kallsyms, or the file BYTETAP_KALLSYMS names (tests); *path set. */
static FILE *open_kallsyms(const char **path)
{
	*path = getenv("BYTETAP_KALLSYMS");
	if (!*path)
		*path = "/proc/kallsyms";
	return fopen(*path, "r");
}

/* One line: "ADDR TYPE NAME [MODULE]".  Returns how many fields it had
 * (3: a kernel symbol, 4: a module's), 0 at the end of the file. */
struct ksym_line {
	unsigned long long addr;
	char type;
	char name[256];
	char mod[128];
	bool bracket;		/* the line has a '[' (a module part) */
};

static int read_kallsyms_line(FILE *f, struct ksym_line *l)
{
	char line[512];
	int k;

	do {
		if (!fgets(line, sizeof(line), f))
			return 0;
		l->mod[0] = 0;
		k = sscanf(line, "%llx %c %255s [%127[^]]]", &l->addr, &l->type,
			   l->name, l->mod);
	} while (k < 3);
	l->bracket = strchr(line, '[') != NULL;
	return k;
}

int ksym_resolve(struct ksym_req *reqs, size_t nreqs, struct ksym_match **out,
		 size_t *nout, size_t max, char *err, size_t errlen)
{
	const char *path;
	struct ksym_match *m = NULL;
	struct ksym_split *sp;
	size_t n = 0, cap = 0, nbl = 0, i;
	struct range *bl;
	uint64_t kp_start = 0, kp_end = 0;
	int any_addr = 0, lines = 0, fields;
	struct ksym_line l;
	FILE *f;

	*out = NULL;
	*nout = 0;
	f = open_kallsyms(&path);
	if (!f) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	sp = calloc(nreqs + 1, sizeof(*sp));
	if (!sp) {
		snprintf(err, errlen, "out of memory");
		fclose(f);
		return -1;
	}
	bl = read_blacklist(&nbl);
	for (i = 0; i < nreqs; i++) {
		reqs[i].nfound = 0;
		reqs[i].module_seen = 0;
		split_req(reqs[i].pattern, &sp[i]);
	}
	while ((fields = read_kallsyms_line(f, &l)) != 0) {
		unsigned long long addr = l.addr;
		const char *name = l.name, *mod = l.mod;
		char type = l.type;

		lines++;
		if (addr)
			any_addr = 1;
		if (fields < 4 && l.bracket)
			continue;	/* a module's, but not as we know them */
		if (!mod[0] && !strcmp(name, "__kprobes_text_start"))
			kp_start = addr;
		else if (!mod[0] && !strcmp(name, "__kprobes_text_end"))
			kp_end = addr;
		if (mod[0])
			for (i = 0; i < nreqs; i++)
				if (!strcmp(sp[i].module, mod))
					reqs[i].module_seen = 1;
		if (type != 't' && type != 'T' && type != 'w' && type != 'W')
			continue;
		/* a name the attach ABI cannot carry whole is no match */
		if (strlen(name) >= sizeof(((struct ksym_match *)0)->name))
			continue;
		for (i = 0; i < nreqs; i++) {
			struct ksym_req *r = &reqs[i];
			int glob = sp[i].glob;
			size_t j;

			/* a kernel function in the image, a module's in that module */
			if (strcmp(sp[i].module, mod))
				continue;
			if (glob ? !ksym_glob(sp[i].fn, name) : strcmp(sp[i].fn, name))
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
					free(sp);
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
	free(sp);
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

/* --- address -> symbol ------------------------------------------------------ */

struct sym {
	uint64_t addr;
	uint32_t name;		/* offsets into the string pool */
	uint32_t module;
	uint32_t order;		/* line number: aliases keep the first listed */
};

static struct {
	int loaded;
	struct sym *syms;
	size_t n;
	char *pool;
	size_t used, cap;
} ks;

static uint32_t pool_add(const char *s, size_t len)
{
	uint32_t at;

	if (ks.used + len + 1 > ks.cap) {
		size_t cap = ks.cap ? ks.cap * 2 : 1 << 20;
		char *p;

		while (cap < ks.used + len + 1)
			cap *= 2;
		p = realloc(ks.pool, cap);
		if (!p)
			return UINT32_MAX;
		ks.pool = p;
		ks.cap = cap;
	}
	at = (uint32_t)ks.used;
	memcpy(ks.pool + at, s, len);
	ks.pool[at + len] = 0;
	ks.used += len + 1;
	return at;
}

static int sym_cmp(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static void load_syms(void)
{
	const char *path;
	uint32_t kernel, last_mod = UINT32_MAX;
	char last_name[256] = "";
	size_t cap = 0;
	struct ksym_line l;
	int k;
	FILE *f;

	ks.loaded = 1;
	f = open_kallsyms(&path);
	if (!f)
		return;
	kernel = pool_add("kernel", 6);
	while ((k = read_kallsyms_line(f, &l)) != 0) {
		unsigned long long addr = l.addr;
		const char *name = l.name, *mod = l.mod;
		char type = l.type;
		struct sym *s;

		/*
		 * No addresses (kptr_restrict, not root) means no table.  Like
		 * the kernel's lookup, skip absolute symbols (per-CPU offsets):
		 * only the kernel half of the address space holds code.
		 */
		if (type == 'a' || type == 'A' || addr < (1ull << 63))
			continue;
		if (ks.n == cap) {
			struct sym *p;

			cap = cap ? cap * 2 : 65536;
			p = realloc(ks.syms, cap * sizeof(*p));
			if (!p)
				break;
			ks.syms = p;
		}
		s = &ks.syms[ks.n];
		s->addr = addr;
		s->name = pool_add(name, strlen(name));
		if (k < 4) {
			s->module = kernel;
		} else if (last_mod != UINT32_MAX && !strcmp(last_name, mod)) {
			s->module = last_mod;	/* one copy per run of a module's lines */
		} else {
			last_mod = s->module = pool_add(mod, strlen(mod));
			snprintf(last_name, sizeof(last_name), "%s", mod);
		}
		if (s->name == UINT32_MAX || s->module == UINT32_MAX)
			break;
		s->order = (uint32_t)ks.n;
		ks.n++;
	}
	fclose(f);
	qsort(ks.syms, ks.n, sizeof(*ks.syms), sym_cmp);
}

/* A module's last symbol has no known end: accept only addresses near it. */
#define KSYM_UNSIZED_SLACK 0x100000

int ksym_lookup(uint64_t addr, struct ksym_info *out)
{
	size_t lo = 0, hi, i, j;
	const struct sym *s;
	uint64_t size = 0;

	if (!ks.loaded)
		load_syms();
	hi = ks.n;
	while (lo < hi) {		/* the first symbol above addr */
		size_t mid = (lo + hi) / 2;

		if (ks.syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return 0;
	i = lo - 1;
	while (i > 0 && ks.syms[i - 1].addr == ks.syms[i].addr)
		i--;			/* the first listed of the aliases */
	s = &ks.syms[i];
	/* Modules are apart in memory, but look a little further for ours. */
	for (j = lo; j < ks.n && j < lo + 64; j++) {
		if (ks.syms[j].module == s->module && ks.syms[j].addr > s->addr) {
			size = ks.syms[j].addr - s->addr;
			break;
		}
	}
	if (size ? addr - s->addr >= size : addr - s->addr >= KSYM_UNSIZED_SLACK)
		return 0;
	out->name = ks.pool + s->name;
	out->module = ks.pool + s->module;
	out->addr = s->addr;
	out->size = size;
	return 1;
}

void ksym_format(char *buf, size_t cap, uint64_t addr, enum ksym_style style)
{
	struct ksym_info k;

	if (!cap)
		return;
	if (!ksym_lookup(addr, &k)) {
		snprintf(buf, cap, "0x%llx", (unsigned long long)addr);
		return;
	}
	switch (style) {
	case KSYM_NAME:
		snprintf(buf, cap, "%s", k.name);
		break;
	case KSYM_DATA:
		snprintf(buf, cap, "%s+0x%llx/0x%llx [%s]", k.name,
			 (unsigned long long)(addr - k.addr), (unsigned long long)k.size,
			 k.module);
		break;
	case KSYM_FULL:
		snprintf(buf, cap, "0x%llx : %s+0x%llx/0x%llx [%s]", (unsigned long long)addr,
			 k.name, (unsigned long long)(addr - k.addr),
			 (unsigned long long)k.size, k.module);
		break;
	}
}
