/*
 * btf.c - kernel type information from BTF (see btf.h), read with libbpf.
 *
 * libbpf parses and validates the blob; this file only answers the
 * questions target variables ask: a function's parameters, a tracepoint's
 * arguments, a member's offset, a type's name.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btf.h"
#include "bt_glob.h"
#include "util.h"

static struct btf *vmlinux;
static const char *vmlinux_why;
static bool vmlinux_tried;

static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level; (void)fmt; (void)ap;
	return 0;
}

/*
 * A kernel without BTF but with its debuginfo installed: pahole (Debian's
 * dwarves, which reads DWARF with elfutils' libdw) converts the DWARF to
 * BTF once; the result is cached by release and file size/time.
 */
static const char *debug_vmlinux(void)
{
	static char path[512];
	const char *env = getenv("BYTETAP_DEBUG_VMLINUX");
	static const char *const places[] = {
		"/usr/lib/debug/boot/vmlinux-%s",
		"/usr/lib/debug/lib/modules/%s/vmlinux",
		"/lib/modules/%s/build/vmlinux",
	};
	struct utsname u;
	size_t i;

	if (env && *env)
		return env;
	if (uname(&u) != 0)
		return NULL;
	for (i = 0; i < sizeof(places) / sizeof(places[0]); i++) {
		snprintf(path, sizeof(path), places[i], u.release);
		if (access(path, R_OK) == 0)
			return path;
	}
	return NULL;
}

static struct btf *btf_from_dwarf(const char *dwarf, const char **why)
{
	const char *home = getenv("HOME"), *dir = getenv("BYTETAP_CACHE");
	char cache[600], tmp[640];
	struct stat st, cst;
	struct btf *b;
	pid_t pid;
	int status;

	if (stat(dwarf, &st) != 0) {
		*why = xasprintf("cannot read %s (BYTETAP_DEBUG_VMLINUX)", dwarf);
		return NULL;
	}
	if (!dir || !*dir)
		dir = xasprintf("%s/.cache/bytetap", home && *home ? home : "/tmp");
	mkdir(dir, 0755);
	snprintf(cache, sizeof(cache), "%s/btf-%llx-%llx-%llx", dir,
		 (unsigned long long)st.st_ino, (unsigned long long)st.st_size,
		 (unsigned long long)st.st_mtime);
	if (stat(cache, &cst) != 0) {
		snprintf(tmp, sizeof(tmp), "%s.%d", cache, (int)getpid());
		fprintf(stderr, "bytetap: no BTF for this kernel: converting the DWARF "
			"of %s with pahole (once; kept in %s)\n", dwarf, cache);
		pid = fork();
		if (pid == 0) {
			char arg[700];
			int fd = open("/dev/null", O_WRONLY);

			if (fd >= 0)
				dup2(fd, 1);
			snprintf(arg, sizeof(arg), "--btf_encode_detached=%s", tmp);
			execlp("pahole", "pahole", arg, dwarf, (char *)NULL);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			unlink(tmp);
			*why = pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 127 ?
				xasprintf("the kernel has no BTF, and pahole (apt-get install "
					  "dwarves) is not there to convert %s", dwarf) :
				xasprintf("pahole could not convert the DWARF of %s to BTF",
					  dwarf);
			return NULL;
		}
		if (rename(tmp, cache) != 0) {
			unlink(tmp);
			*why = xasprintf("cannot keep the converted BTF in %s", cache);
			return NULL;
		}
	}
	b = btf__parse(cache, NULL);
	if (!b || libbpf_get_error(b)) {
		*why = xasprintf("cannot read the converted BTF %s", cache);
		return NULL;
	}
	return b;
}

const struct btf *kbtf_vmlinux(const char **why)
{
	if (!vmlinux_tried) {
		const char *path = getenv("BYTETAP_BTF");
		const char *dwarf = getenv("BYTETAP_DEBUG_VMLINUX");

		vmlinux_tried = true;
		libbpf_set_print(quiet_print);
		if (path && *path) {
			vmlinux = btf__parse(path, NULL);
			vmlinux_why = xasprintf("cannot read BTF from %s (BYTETAP_BTF)", path);
		} else if (dwarf && *dwarf) {
			vmlinux = btf_from_dwarf(dwarf, &vmlinux_why);
		} else {
			/* /sys/kernel/btf/vmlinux, else a vmlinux's .BTF section */
			vmlinux = btf__load_vmlinux_btf();
			if (!vmlinux || libbpf_get_error(vmlinux)) {
				vmlinux = NULL;
				dwarf = debug_vmlinux();
				vmlinux_why = "the kernel has no BTF (/sys/kernel/btf/vmlinux; "
					"CONFIG_DEBUG_INFO_BTF) and no debuginfo was found "
					"(linux-image-*-dbg)";
				if (dwarf)
					vmlinux = btf_from_dwarf(dwarf, &vmlinux_why);
			}
		}
		if (vmlinux && libbpf_get_error(vmlinux))
			vmlinux = NULL;
	}
	if (!vmlinux && why)
		*why = vmlinux_why;
	return vmlinux;
}

/* Modules asked for, with their BTF or, when there is none, why: the
 * table owns both, so a caller's *why needs no freeing. */
#define MAX_MODULES 64
static struct { char *name; struct btf *btf; char *why; } modules[MAX_MODULES];
static int nmodules;

const struct btf *kbtf_module(const char *module, const char **why)
{
	const struct btf *base = kbtf_vmlinux(why);
	struct btf *b;
	char path[256];
	int i;

	if (!base || !strcmp(module, "kernel"))
		return base;
	for (i = 0; i < nmodules; i++)
		if (!strcmp(modules[i].name, module)) {
			if (!modules[i].btf && why)
				*why = modules[i].why;
			return modules[i].btf;
		}
	if (nmodules == MAX_MODULES) {
		if (why)
			*why = "too many modules named in one script";
		return NULL;
	}
	snprintf(path, sizeof(path), "/sys/kernel/btf/%s", module);
	b = btf__parse_split(path, (struct btf *)base);
	modules[nmodules].name = xstrdup(module);
	if (!b || libbpf_get_error(b)) {
		b = NULL;
		modules[nmodules].why = xasprintf("no BTF for module %s (%s: is it loaded?)",
						  module, path);
		if (why)
			*why = modules[nmodules].why;
	}
	modules[nmodules++].btf = b;
	return b;
}

int kbtf_strip(const struct btf *b, int type)
{
	int n;

	for (n = 0; type > 0 && n < 64; n++) {
		const struct btf_type *t = btf__type_by_id(b, type);

		if (!t)
			return 0;
		switch (btf_kind(t)) {
		case BTF_KIND_TYPEDEF: case BTF_KIND_CONST:
		case BTF_KIND_VOLATILE: case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG:
			type = t->type;
			break;
		default:
			return type;
		}
	}
	return type;
}

long kbtf_size(const struct btf *b, int type)
{
	long n = type > 0 ? btf__resolve_size(b, type) : -1;

	return n < 0 ? -1 : n;
}

enum kbtf_class kbtf_class(const struct btf *b, int type)
{
	const struct btf_type *t = btf__type_by_id(b, kbtf_strip(b, type));

	if (!t || type <= 0)
		return KBTF_OTHER;
	switch (btf_kind(t)) {
	case BTF_KIND_INT: case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
		return KBTF_INT;
	case BTF_KIND_PTR:
		return KBTF_PTR;
	case BTF_KIND_ARRAY:
		return KBTF_ARRAY;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		return KBTF_STRUCT;
	default:
		return KBTF_OTHER;
	}
}

bool kbtf_is_signed(const struct btf *b, int type)
{
	const struct btf_type *t = btf__type_by_id(b, kbtf_strip(b, type));

	if (!t)
		return false;
	if (btf_is_int(t))
		return btf_int_encoding(t) & BTF_INT_SIGNED;
	if (btf_is_enum(t) || btf_is_enum64(t))
		return btf_kflag(t);
	return false;
}

bool kbtf_is_char(const struct btf *b, int type)
{
	const struct btf_type *t = btf__type_by_id(b, kbtf_strip(b, type));

	return t && btf_is_int(t) && t->size == 1;
}

int kbtf_pointee(const struct btf *b, int type)
{
	const struct btf_type *t = btf__type_by_id(b, kbtf_strip(b, type));

	return t && btf_is_ptr(t) ? (int)t->type : -1;
}

int kbtf_array_elem(const struct btf *b, int type, uint32_t *nelems)
{
	const struct btf_type *t = btf__type_by_id(b, kbtf_strip(b, type));

	if (!t || !btf_is_array(t))
		return -1;
	*nelems = btf_array(t)->nelems;
	return (int)btf_array(t)->type;
}


/* --- a name index: libbpf's find_named() is a linear scan ----- */

struct name_index {
	const struct btf *b;
	uint32_t *slots;	/* type ids; 0 = empty */
	size_t mask;
};
static struct name_index indexes[4];
static int nindexes;

static uint64_t hash_name(const char *s)
{
	return hash_bytes(s, strlen(s));
}

static struct name_index *index_of(const struct btf *b)
{
	struct name_index *ix;
	size_t cap = 1, n = btf__type_cnt(b);
	uint32_t id;
	int i;

	for (i = 0; i < nindexes; i++)
		if (indexes[i].b == b)
			return &indexes[i];
	ix = &indexes[nindexes < 4 ? nindexes++ : 3];
	free(ix->slots);
	while (cap < 2 * n)
		cap <<= 1;
	ix->b = b;
	ix->mask = cap - 1;
	ix->slots = xcalloc(cap, sizeof(*ix->slots));
	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(b, id);
		const char *name = btf__name_by_offset(b, t->name_off);
		size_t h;

		if (!name || !*name)
			continue;
		for (h = hash_name(name) & ix->mask; ix->slots[h]; h = (h + 1) & ix->mask)
			;
		ix->slots[h] = id;
	}
	return ix;
}

/* The first type of KIND named NAME, or -1 (as btf__find_by_name_kind). */
static int find_named(const struct btf *b, const char *name, int kind)
{
	struct name_index *ix = index_of(b);
	int best = -1;
	size_t h;

	for (h = hash_name(name) & ix->mask; ix->slots[h]; h = (h + 1) & ix->mask) {
		const struct btf_type *t = btf__type_by_id(b, ix->slots[h]);

		if (btf_kind(t) == kind && !strcmp(btf__name_by_offset(b, t->name_off), name) &&
		    (best < 0 || (int)ix->slots[h] < best))
			best = (int)ix->slots[h];
	}
	return best;
}

/* --- names ---------------------------------------------------------------- */

static void name_into(const struct btf *b, int type, char *out, size_t cap,
		      int depth)
{
	const struct btf_type *t = type > 0 ? btf__type_by_id(b, type) : NULL;
	const char *n;
	char inner[200];

	if (depth > 16) {
		snprintf(out, cap, "...");
		return;
	}
	if (!t) {
		snprintf(out, cap, "void");
		return;
	}
	n = btf__name_by_offset(b, t->name_off);
	if (!n || !*n)
		n = NULL;
	switch (btf_kind(t)) {
	case BTF_KIND_INT: case BTF_KIND_FLOAT: case BTF_KIND_TYPEDEF:
		snprintf(out, cap, "%s", n ? n : "?");
		return;
	case BTF_KIND_STRUCT:
		snprintf(out, cap, "struct %s", n ? n : "{...}");
		return;
	case BTF_KIND_UNION:
		snprintf(out, cap, "union %s", n ? n : "{...}");
		return;
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
		snprintf(out, cap, "enum %s", n ? n : "{...}");
		return;
	case BTF_KIND_FWD:
		snprintf(out, cap, "%s %s", btf_kflag(t) ? "union" : "struct",
			 n ? n : "?");
		return;
	case BTF_KIND_PTR:
		name_into(b, t->type, inner, sizeof(inner), depth + 1);
		if (btf_is_func_proto(btf__type_by_id(b, kbtf_strip(b, t->type)) ?:
				      t))
			snprintf(out, cap, "%s", inner);
		else
			snprintf(out, cap, "%s*", inner);
		return;
	case BTF_KIND_CONST: case BTF_KIND_VOLATILE: case BTF_KIND_RESTRICT:
		name_into(b, t->type, inner, sizeof(inner), depth + 1);
		snprintf(out, cap, "%s %s", inner,
			 btf_is_const(t) ? "const" :
			 btf_is_volatile(t) ? "volatile" : "restrict");
		return;
	case BTF_KIND_TYPE_TAG:
		name_into(b, t->type, out, cap, depth + 1);
		return;
	case BTF_KIND_ARRAY:
		name_into(b, btf_array(t)->type, inner, sizeof(inner), depth + 1);
		snprintf(out, cap, "%s[%u]", inner, btf_array(t)->nelems);
		return;
	case BTF_KIND_FUNC_PROTO:
		name_into(b, t->type, inner, sizeof(inner), depth + 1);
		snprintf(out, cap, "%s (*)(...)", inner);
		return;
	default:
		snprintf(out, cap, "%s", n ? n : "?");
		return;
	}
}

const char *kbtf_type_name(const struct btf *b, int type)
{
	static char bufs[4][256];
	static int next;
	char *out = bufs[next++ & 3];

	name_into(b, type, out, sizeof(bufs[0]), 0);
	return out;
}

/* --- functions and tracepoints --------------------------------------------- */

int kbtf_func(const struct btf *b, const char *name)
{
	int id = find_named(b, name, BTF_KIND_FUNC);
	const struct btf_type *t = id > 0 ? btf__type_by_id(b, id) : NULL;

	return t ? (int)t->type : -1;
}

int kbtf_nparams(const struct btf *b, int proto)
{
	const struct btf_type *t = btf__type_by_id(b, proto);
	int n;

	if (!t || !btf_is_func_proto(t))
		return 0;
	n = btf_vlen(t);
	/* f(void) is one unnamed parameter of type 0 in some encoders; a
	 * trailing type 0 means "..." */
	if (n && btf_params(t)[n - 1].type == 0)
		n--;
	return n;
}

const char *kbtf_param_name(const struct btf *b, int proto, int i)
{
	const struct btf_type *t = btf__type_by_id(b, proto);

	return btf__name_by_offset(b, btf_params(t)[i].name_off);
}

int kbtf_param_type(const struct btf *b, int proto, int i)
{
	return (int)btf_params(btf__type_by_id(b, proto))[i].type;
}

int kbtf_return_type(const struct btf *b, int proto)
{
	return (int)btf__type_by_id(b, proto)->type;
}

/* Same parameter types, in order: the prototype of the same event. */
static bool same_params(const struct btf *b, int p1, int p2)
{
	const struct btf_type *a = btf__type_by_id(b, p1);
	const struct btf_type *c = btf__type_by_id(b, p2);
	int i;

	if (!a || !c || !btf_is_func_proto(a) || !btf_is_func_proto(c) ||
	    btf_vlen(a) != btf_vlen(c))
		return false;
	for (i = 0; i < btf_vlen(a); i++)
		if (btf_params(a)[i].type != btf_params(c)[i].type)
			return false;
	return true;
}

static bool proto_has_names(const struct btf *b, int proto)
{
	const struct btf_type *t = btf__type_by_id(b, proto);

	return btf_vlen(t) > 1 && *btf__name_by_offset(b, btf_params(t)[1].name_off);
}

/*
 * The typedef btf_trace_NAME (one per tracepoint) gives the argument
 * types, but the compiler records no parameter names in a function
 * pointer type.  The functions generated for the event carry them:
 * __probestub_NAME (kernels ≥ 6.4), else the event class's
 * __bpf_trace_CLASS / trace_event_raw_event_CLASS.  The class name is not
 * recorded, so the first such function with the same parameter types
 * stands in; all events of a class share both.
 */
static const struct btf *cand_btf;
static int *cands, ncands;

static int named_proto(const struct btf *b, const char *tp, int proto)
{
	static const char *const prefixes[] = {
		"__probestub_", "__bpf_trace_", "trace_event_raw_event_",
	};
	char name[256];
	int i, n, id;

	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "%s%s", prefixes[i], tp);
		id = kbtf_func(b, name);
		if (id > 0 && same_params(b, id, proto) && proto_has_names(b, id))
			return id;
	}
	/* the event functions' prototypes, found once per BTF */
	if (cand_btf != b) {
		free(cands);
		cands = NULL;
		ncands = 0;
		cand_btf = b;
		n = (int)btf__type_cnt(b);
		for (id = 1; id < n; id++) {
			const struct btf_type *t = btf__type_by_id(b, id);
			const char *fn;

			if (!btf_is_func(t))
				continue;
			fn = btf__name_by_offset(b, t->name_off);
			if (strncmp(fn, "__bpf_trace_", 12) &&
			    strncmp(fn, "trace_event_raw_event_", 22))
				continue;
			if (!proto_has_names(b, (int)t->type))
				continue;
			if (!(ncands & 255))
				cands = xrealloc(cands, (ncands + 256) * sizeof(*cands));
			cands[ncands++] = (int)t->type;
		}
	}
	for (i = 0; i < ncands; i++)
		if (same_params(b, cands[i], proto))
			return cands[i];
	return -1;
}

int kbtf_tracepoint(const struct btf *b, const char *tp, const char ***names)
{
	char name[256];
	int td, proto, named, i, n;
	const struct btf_type *t;
	const char **v;

	snprintf(name, sizeof(name), "btf_trace_%s", tp);
	td = find_named(b, name, BTF_KIND_TYPEDEF);
	if (td <= 0)
		return -1;
	t = btf__type_by_id(b, btf__type_by_id(b, td)->type);
	if (!t || !btf_is_ptr(t))
		return -1;
	proto = (int)t->type;
	if (!btf_is_func_proto(btf__type_by_id(b, proto)))
		return -1;
	named = names ? named_proto(b, tp, proto) : -1;
	n = kbtf_nparams(b, proto);
	if (names) {
		v = xcalloc((size_t)n + 1, sizeof(*v));
		for (i = 1; i < n; i++) {
			const char *pn = named > 0 ? kbtf_param_name(b, named, i) :
				kbtf_param_name(b, proto, i);

			v[i] = pn && *pn ? xstrdup(pn) : xasprintf("arg%d", i);
		}
		*names = v;
	}
	return proto;
}

/* --- members and named types ----------------------------------------------- */

int kbtf_member(const struct btf *b, int type, const char *name,
		uint32_t *bit_offset, uint32_t *bits)
{
	const struct btf_type *t = btf__type_by_id(b, kbtf_strip(b, type));
	const struct btf_member *m;
	int i;

	if (!t || !(btf_is_struct(t) || btf_is_union(t)))
		return -1;
	m = btf_members(t);
	for (i = 0; i < btf_vlen(t); i++, m++) {
		const char *mn = btf__name_by_offset(b, m->name_off);
		uint32_t off = btf_member_bit_offset(t, (uint32_t)i);

		if (mn && *mn) {
			if (strcmp(mn, name))
				continue;
			*bit_offset = off;
			*bits = btf_member_bitfield_size(t, (uint32_t)i);
			return (int)m->type;
		} else {
			uint32_t inner_off, inner_bits;
			int r = kbtf_member(b, (int)m->type, name, &inner_off,
					    &inner_bits);

			if (r >= 0) {
				*bit_offset = off + inner_off;
				*bits = inner_bits;
				return r;
			}
		}
	}
	return -1;
}

const char *kbtf_member_name(const struct btf *b, int type, int i)
{
	const struct btf_type *t = btf__type_by_id(b, kbtf_strip(b, type));

	if (!t || !(btf_is_struct(t) || btf_is_union(t)) || i >= btf_vlen(t))
		return NULL;
	return btf__name_by_offset(b, btf_members(t)[i].name_off);
}

int kbtf_named_type(const struct btf *b, const char *name)
{
	static const struct { const char *prefix; int kind; } tagged[] = {
		{ "struct ", BTF_KIND_STRUCT }, { "union ", BTF_KIND_UNION },
		{ "enum ", BTF_KIND_ENUM },
	};
	size_t i;
	int id;

	while (*name == ' ')
		name++;
	for (i = 0; i < sizeof(tagged) / sizeof(tagged[0]); i++) {
		size_t n = strlen(tagged[i].prefix);

		if (!strncmp(name, tagged[i].prefix, n)) {
			id = find_named(b, name + n, tagged[i].kind);
			return id > 0 ? id : -1;
		}
	}
	if ((id = find_named(b, name, BTF_KIND_STRUCT)) > 0 ||
	    (id = find_named(b, name, BTF_KIND_UNION)) > 0 ||
	    (id = find_named(b, name, BTF_KIND_TYPEDEF)) > 0 ||
	    (id = find_named(b, name, BTF_KIND_INT)) > 0)
		return id;
	return -1;
}

/* --- enumeration ------------------------------------------------------------ */

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Names of kind KIND (with PREFIX, which is cut) that match PAT, once
 * each; sorted, so duplicates (static functions) collapse. */
static int each_named(const struct btf *b, int kind, const char *prefix,
		      const char *pat, void (*fn)(const char *, void *),
		      void *arg)
{
	size_t plen = strlen(prefix), n = 0, cap = 0, i;
	const char **v = NULL;
	int id, cnt = (int)btf__type_cnt(b), seen = 0;
	const struct btf *base = btf__base_btf(b);

	/* a module's BTF is split on vmlinux's: only its own types */
	for (id = base ? (int)btf__type_cnt(base) : 1; id < cnt; id++) {
		const struct btf_type *t = btf__type_by_id(b, id);
		const char *name;

		if (btf_kind(t) != kind)
			continue;
		name = btf__name_by_offset(b, t->name_off);
		if (!name || strncmp(name, prefix, plen) || !bt_glob(pat, name + plen))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[n++] = name + plen;
	}
	if (n)
		qsort(v, n, sizeof(*v), name_cmp);
	for (i = 0; i < n; i++) {
		if (i && !strcmp(v[i], v[i - 1]))
			continue;
		fn(v[i], arg);
		seen++;
	}
	free(v);
	return seen;
}

int kbtf_each_func(const struct btf *b, const char *pat,
		   void (*fn)(const char *name, void *arg), void *arg)
{
	return each_named(b, BTF_KIND_FUNC, "", pat, fn, arg);
}

int kbtf_each_tracepoint(const struct btf *b, const char *pat,
			 void (*fn)(const char *name, void *arg), void *arg)
{
	return each_named(b, BTF_KIND_TYPEDEF, "btf_trace_", pat, fn, arg);
}
