// SPDX-License-Identifier: GPL-2.0
/*
 * bt_load.c - parse and bounds-check a program blob (bt_prog.h).
 *
 * The blob is hostile input: it may come from a buggy compiler or through
 * the kernel's ioctl.  Every offset, size, count and cross-reference is
 * checked before it is used, with 64-bit arithmetic so that no sum can
 * wrap, and nothing outside blob[0 .. size) is ever read.  The code itself
 * is checked afterwards by bt_verify().
 *
 * Beyond what bt_prog.h states, the loader requires:
 *  - the blob itself 8-byte aligned in memory (the tables are read in place);
 *  - the functions' code ranges to tile CODE in function order (function 0
 *    starts at 0, each next one where the previous ends, the last ends at
 *    the end of CODE) - which is how progbuild lays them out, and makes
 *    "inside CODE and non-overlapping" an O(n) check;
 *  - histogram parameters within int32 (SystemTap's runtime keeps them in
 *    ints);
 *  - reserved fields zero.
 */
#include "bt_prog.h"
#include "bt_util.h"
#include "bt_stats.h"
#include "bt_format.h"
#include "bt_regex.h"

static int fail(struct bt_diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int fail(struct bt_diag *d, const char *fmt, ...)
{
	bt_va_list ap;

	bt_va_start(ap, fmt);
	bt_vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	bt_va_end(ap);
	return -1;
}

/*
 * The sections bt_load() views in place: each one's BT_SEC_ name, the
 * type of its elements (a byte for byte sections) and the struct bt_prog
 * array and count it fills.  LIMITS is copied instead (load_limits()).
 */
#define VIEWED_SECTIONS(X)						\
	X(CODE, struct bt_insn, code, ncode)				\
	X(FUNCS, struct bt_func_decl, funcs, nfuncs)			\
	X(CONSTS, int64_t, consts, nconsts)				\
	X(STRTAB, char, strtab, strtab_size)				\
	X(STRCONSTS, uint32_t, strconsts, nstrconsts)			\
	X(GLOBALS, struct bt_global_decl, globals, nglobals)		\
	X(MAPS, struct bt_map_decl, maps, nmaps)			\
	X(FORMATS, struct bt_format_decl, formats, nformats)		\
	X(REGEXES, struct bt_regex_decl, regexes, nregexes)		\
	X(REGEXCODE, uint8_t, regexcode, regexcode_size)		\
	X(PROBES, struct bt_probe_decl, probes, nprobes)		\
	X(LOCKS, struct bt_lock_ref, locks, nlocks)			\
	X(LOCS, struct bt_loc, locs, nlocs)

#define SEC_NAME(sec, type, field, nfield)	[BT_SEC_##sec] = #sec,
static const char *const sec_names[BT_SEC__MAX] = {
	VIEWED_SECTIONS(SEC_NAME)
	[BT_SEC_LIMITS] = "LIMITS",
};
#undef SEC_NAME

/* Element size of each section type; 1 for byte sections. */
#define SEC_ELEM(sec, type, field, nfield)	[BT_SEC_##sec] = sizeof(type),
static const uint32_t sec_elem[BT_SEC__MAX] = {
	VIEWED_SECTIONS(SEC_ELEM)
	[BT_SEC_LIMITS] = sizeof(struct bt_limits),
};
#undef SEC_ELEM

struct sec_view {
	const uint8_t *p;
	uint32_t size, count;
	int present;
};

static int all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i])
			return 0;
	return 1;
}

static int str_ok(const struct bt_prog *prog, uint32_t off)
{
	return off < prog->strtab_size;
}

static int load_sections(struct sec_view *sv, const uint8_t *blob, uint32_t size,
			 struct bt_diag *d)
{
	const struct bt_file_header *h = (const void *)blob;
	const struct bt_section *sh;
	uint64_t table_end;
	uint32_t i, j;

	if (size < sizeof(*h))
		return fail(d, "blob of %u bytes is smaller than its header", size);
	if (h->magic != BT_MAGIC)
		return fail(d, "bad magic 0x%x (not a bytetap program)", h->magic);
	if (h->abi_major != BT_ABI_MAJOR)
		return fail(d, "program ABI %u.%u, this VM runs %u.x",
			    h->abi_major, h->abi_minor, BT_ABI_MAJOR);
	/*
	 * A newer minor version may use builtins or probe kinds appended
	 * after this loader was built (bt_prog.h): say so, rather than let
	 * the verifier find an index it does not know.
	 */
	if (h->abi_minor > BT_ABI_MINOR)
		return fail(d, "program format %u.%u is newer than this module's %u.%u: update the module",
			    h->abi_major, h->abi_minor, BT_ABI_MAJOR, BT_ABI_MINOR);
	if (h->header_size != sizeof(*h))
		return fail(d, "header size %u, expected %u", h->header_size,
			    (unsigned int)sizeof(*h));
	if (h->total_size != size)
		return fail(d, "header says %u bytes, blob has %u", h->total_size, size);
	if (size > BT_MAX_BLOB)
		return fail(d, "blob of %u bytes exceeds the %u byte limit", size,
			    BT_MAX_BLOB);
	if (h->flags)
		return fail(d, "unknown header flags 0x%x", h->flags);
	if (h->nsections >= BT_SEC__MAX)
		return fail(d, "%u sections, at most %u", h->nsections, BT_SEC__MAX - 1);
	table_end = (uint64_t)sizeof(*h) + (uint64_t)h->nsections * sizeof(*sh);
	if (table_end > size)
		return fail(d, "section table runs past the end of the blob");
	sh = (const void *)(blob + sizeof(*h));
	for (i = 0; i < h->nsections; i++) {
		const struct bt_section *s = &sh[i];
		uint64_t end = (uint64_t)s->offset + s->size;

		if (s->type == 0 || s->type >= BT_SEC__MAX)
			return fail(d, "section %u: unknown type %u", i, s->type);
		if (sv[s->type].present)
			return fail(d, "section %s appears twice", sec_names[s->type]);
		if (s->offset & 7)
			return fail(d, "section %s: offset %u not 8-byte aligned",
				    sec_names[s->type], s->offset);
		if (s->size && (s->offset < table_end || end > size))
			return fail(d, "section %s: bytes %u..%llu outside the blob's payload",
				    sec_names[s->type], s->offset,
				    (unsigned long long)end);
		if ((uint64_t)s->count * sec_elem[s->type] != s->size)
			return fail(d, "section %s: size %u is not %u elements of %u bytes",
				    sec_names[s->type], s->size, s->count,
				    sec_elem[s->type]);
		for (j = 0; j < i; j++) {
			const struct bt_section *o = &sh[j];

			if (!s->size || !o->size)
				continue;
			if (s->offset < (uint64_t)o->offset + o->size &&
			    o->offset < end)
				return fail(d, "sections %s and %s overlap",
					    sec_names[s->type], sec_names[o->type]);
		}
		sv[s->type].present = 1;
		sv[s->type].p = blob + (s->size ? s->offset : 0);
		sv[s->type].size = s->size;
		sv[s->type].count = s->count;
	}
	if (!sv[BT_SEC_CODE].present || !sv[BT_SEC_FUNCS].present ||
	    !sv[BT_SEC_STRTAB].present || !sv[BT_SEC_LIMITS].present)
		return fail(d, "missing a required section (CODE, FUNCS, STRTAB, LIMITS)");
	if (sv[BT_SEC_LIMITS].count != 1)
		return fail(d, "section LIMITS must hold exactly one entry");
	return 0;
}

static uint32_t clamp32(uint32_t v, uint32_t lo, uint32_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static int load_limits(struct bt_prog *prog, const struct sec_view *sv,
		       struct bt_diag *d)
{
	struct bt_limits *l = &prog->limits;

	bt_memcpy(l, sv[BT_SEC_LIMITS].p, sizeof(*l));
	if (l->flags & ~(uint32_t)BT_LIMIT_NO_OVERLOAD)
		return fail(d, "unknown limit flags 0x%x", l->flags);
	/* a program may ask for anything; the host's caps win */
	l->maxaction = clamp32(l->maxaction, 1, INT32_MAX);
	l->maxnesting = clamp32(l->maxnesting, 0, BT_CAP_MAXNESTING);
	l->maxstringlen = clamp32(l->maxstringlen, 1, BT_CAP_MAXSTRINGLEN);
	l->maxmapentries = clamp32(l->maxmapentries, 1, BT_CAP_MAPENTRIES);
	return 0;
}

static int load_strings(struct bt_prog *prog, struct bt_diag *d)
{
	uint32_t i;

	if (prog->strtab_size == 0 || prog->strtab[0] != 0)
		return fail(d, "STRTAB must start with the empty string");
	/* a final NUL makes every offset inside the table a C string */
	if (prog->strtab[prog->strtab_size - 1] != 0)
		return fail(d, "STRTAB does not end with a NUL");
	for (i = 0; i < prog->nstrconsts; i++)
		if (!str_ok(prog, prog->strconsts[i]))
			return fail(d, "string constant %u: offset %u outside STRTAB",
				    i, prog->strconsts[i]);
	return 0;
}

static int load_funcs(struct bt_prog *prog, struct bt_diag *d)
{
	uint64_t next = 0;
	uint32_t i;

	for (i = 0; i < prog->nfuncs; i++) {
		const struct bt_func_decl *f = &prog->funcs[i];

		d->func = (int32_t)i;
		if (!str_ok(prog, f->name))
			return fail(d, "function %u: name offset %u outside STRTAB",
				    i, f->name);
		if (f->code_len < 1 || f->code_len > BT_MAX_FUNC_INSNS)
			return fail(d, "function '%s': %u instructions (1..%u)",
				    bt_prog_str(prog, f->name), f->code_len,
				    BT_MAX_FUNC_INSNS);
		if (f->code_off != next)
			return fail(d, "function '%s': code at %u, expected %llu (functions tile CODE in order)",
				    bt_prog_str(prog, f->name), f->code_off,
				    (unsigned long long)next);
		next = (uint64_t)f->code_off + f->code_len;
		if (next > prog->ncode)
			return fail(d, "function '%s': code %u..%llu outside CODE (%u)",
				    bt_prog_str(prog, f->name), f->code_off,
				    (unsigned long long)next, prog->ncode);
		if (f->nparam_i > f->nregs || f->nparam_s > f->nstrs)
			return fail(d, "function '%s': more parameters than registers",
				    bt_prog_str(prog, f->name));
		if (f->ret_kind != BT_KIND_NONE && f->ret_kind != BT_KIND_INT &&
		    f->ret_kind != BT_KIND_STR)
			return fail(d, "function '%s': bad return kind %u",
				    bt_prog_str(prog, f->name), f->ret_kind);
		if (!all_zero(f->pad, sizeof(f->pad)))
			return fail(d, "function '%s': reserved bytes not zero",
				    bt_prog_str(prog, f->name));
	}
	d->func = -1;
	if (next != prog->ncode)
		return fail(d, "CODE has %u instructions, functions cover %llu",
			    prog->ncode, (unsigned long long)next);
	return 0;
}

static int load_globals(struct bt_prog *prog, struct bt_diag *d)
{
	uint32_t i;

	for (i = 0; i < prog->nglobals; i++) {
		const struct bt_global_decl *g = &prog->globals[i];

		if (!str_ok(prog, g->name))
			return fail(d, "global %u: name offset outside STRTAB", i);
		if (g->kind != BT_KIND_INT && g->kind != BT_KIND_STR)
			return fail(d, "global '%s': bad kind %u",
				    bt_prog_str(prog, g->name), g->kind);
		if (g->flags & ~BT_GLOBAL_HAS_INIT || g->pad)
			return fail(d, "global '%s': unknown flags", bt_prog_str(prog, g->name));
		if (!(g->flags & BT_GLOBAL_HAS_INIT)) {
			if (g->init)
				return fail(d, "global '%s': init without BT_GLOBAL_HAS_INIT",
					    bt_prog_str(prog, g->name));
		} else if (g->kind == BT_KIND_INT ? g->init >= prog->nconsts :
			   g->init >= prog->nstrconsts) {
			return fail(d, "global '%s': initial value %u out of range",
				    bt_prog_str(prog, g->name), g->init);
		}
	}
	return 0;
}

static int load_map(struct bt_prog *prog, uint32_t i, struct bt_diag *d)
{
	const struct bt_map_decl *m = &prog->maps[i];
	const char *name;
	uint32_t k;
	int is_stats;

	if (!str_ok(prog, m->name))
		return fail(d, "map %u: name offset outside STRTAB", i);
	name = bt_prog_str(prog, m->name);
	if (m->capacity < 1 || m->capacity > BT_CAP_MAPENTRIES)
		return fail(d, "map '%s': capacity %u (1..%u)", name, m->capacity,
			    BT_CAP_MAPENTRIES);
	if (m->nkeys > BT_MAX_KEYS)
		return fail(d, "map '%s': %u keys (at most %u)", name, m->nkeys, BT_MAX_KEYS);
	for (k = 0; k < BT_MAX_KEYS; k++) {
		uint8_t kk = m->key_kinds[k];

		if (k < m->nkeys ? kk != BT_KIND_INT && kk != BT_KIND_STR : kk != 0)
			return fail(d, "map '%s': bad kind %u for key %u", name, kk, k);
	}
	if (m->val_kind != BT_KIND_INT && m->val_kind != BT_KIND_STR &&
	    m->val_kind != BT_KIND_STATS)
		return fail(d, "map '%s': bad value kind %u", name, m->val_kind);
	is_stats = m->val_kind == BT_KIND_STATS;
	if (m->nkeys == 0 && !is_stats)
		return fail(d, "map '%s': no keys (only a statistic may be scalar)", name);
	if (m->flags & ~(BT_MAP_WRAP | BT_MAP_SIZED | BT_MAP_VARIANCE))
		return fail(d, "map '%s': unknown flags 0x%x", name, m->flags);
	if ((m->flags & BT_MAP_VARIANCE) && !is_stats)
		return fail(d, "map '%s': variance on a non-statistic", name);
	if (m->var_shift > 62 || (m->var_shift && !(m->flags & BT_MAP_VARIANCE)))
		return fail(d, "map '%s': bad variance shift %u", name, m->var_shift);
	if (!all_zero(m->pad, sizeof(m->pad)))
		return fail(d, "map '%s': reserved bytes not zero", name);
	if (!is_stats && m->hist_kind != BT_HIST_NONE)
		return fail(d, "map '%s': histogram on a non-statistic", name);
	if (m->hist_kind == BT_HIST_LINEAR) {
		int n = bt_stat_linear_nbuckets(m);

		if (n < 3 || n > BT_HIST_MAX_BUCKETS)
			return fail(d, "map '%s': bad @hist_linear(%lld, %lld, %lld)",
				    name, (long long)m->hist_start,
				    (long long)m->hist_stop, (long long)m->hist_interval);
	} else if (m->hist_kind == BT_HIST_LOG || m->hist_kind == BT_HIST_NONE) {
		if (m->hist_start || m->hist_stop || m->hist_interval)
			return fail(d, "map '%s': linear parameters without @hist_linear",
				    name);
	} else {
		return fail(d, "map '%s': bad histogram kind %u", name, m->hist_kind);
	}
	return 0;
}

static int load_formats(struct bt_prog *prog, struct bt_diag *d)
{
	uint32_t i;

	for (i = 0; i < prog->nformats; i++) {
		const struct bt_format_decl *f = &prog->formats[i];
		struct bt_fmt_error err;
		const char *text;
		size_t ncomps = 0, nkinds = 0, len, k;
		uint32_t ni = 0, ns = 0;
		uint8_t kinds[BT_MAX_FMT_ARGS];
		int rc;

		if (!str_ok(prog, f->text))
			return fail(d, "format %u: text offset outside STRTAB", i);
		text = bt_prog_str(prog, f->text);
		len = bt_strnlen(text, prog->strtab_size - f->text);
		rc = bt_fmt_parse(text, len, NULL, 0, &ncomps, kinds,
				  sizeof(kinds), &nkinds, &err);
		if (rc == BT_FMT_ETOOMANY)
			return fail(d, "format %u: more than %u arguments", i,
				    (unsigned int)sizeof(kinds));
		if (rc < 0)
			return fail(d, "format %u: %s", i, bt_fmt_strerror(rc));
		for (k = 0; k < nkinds && k < sizeof(kinds); k++) {
			if (kinds[k] == BT_FMT_ARG_STR)
				ns++;
			else
				ni++;	/* INT, and MEM: an address */
		}
		if (ni != f->nargs_i || ns != f->nargs_s)
			return fail(d, "format %u: declares %u int / %u string arguments, \"%s\" takes %u / %u",
				    i, f->nargs_i, f->nargs_s, text, ni, ns);
	}
	return 0;
}

static int load_regexes(struct bt_prog *prog, struct bt_diag *d)
{
	uint32_t i;

	for (i = 0; i < prog->nregexes; i++) {
		const struct bt_regex_decl *r = &prog->regexes[i];

		if ((uint64_t)r->offset + r->size > prog->regexcode_size)
			return fail(d, "regex %u: code %u+%u outside REGEXCODE", i,
				    r->offset, r->size);
		if (!str_ok(prog, r->source) || r->pad)
			return fail(d, "regex %u: bad source or reserved field", i);
		if (bt_regex_validate(prog->regexcode + r->offset, r->size) < 0)
			return fail(d, "regex %u ('%s'): invalid compiled program", i,
				    bt_prog_str(prog, r->source));
	}
	return 0;
}

static int load_probes(struct bt_prog *prog, struct bt_diag *d)
{
	uint32_t i, j;

	for (i = 0; i < prog->nprobes; i++) {
		const struct bt_probe_decl *p = &prog->probes[i];
		const struct bt_func_decl *f;

		if (p->kind == 0 || p->kind >= BT_PROBE__MAX)
			return fail(d, "probe %u: unknown kind %u", i, p->kind);
		if (p->flags & ~BT_PROBE_OPTIONAL || p->pad)
			return fail(d, "probe %u: unknown flags", i);
		if (p->handler >= prog->nfuncs)
			return fail(d, "probe %u: handler %u out of range", i, p->handler);
		f = &prog->funcs[p->handler];
		if (f->nparam_i || f->nparam_s)
			return fail(d, "probe %u: handler '%s' takes parameters", i,
				    bt_prog_str(prog, f->name));
		if (!str_ok(prog, p->point) || !str_ok(prog, p->symbol))
			return fail(d, "probe %u: point or symbol outside STRTAB", i);
		if ((uint64_t)p->lock_off + p->nlocks > prog->nlocks)
			return fail(d, "probe %u: locks %u+%u out of range", i,
				    p->lock_off, p->nlocks);
		for (j = 0; j < p->nlocks; j++) {
			const struct bt_lock_ref *l = &prog->locks[p->lock_off + j];
			uint32_t lim = l->space == BT_LOCK_GLOBAL ? prog->nglobals :
				       l->space == BT_LOCK_MAP ? prog->nmaps : 0;

			if (l->index >= lim || l->write > 1 || l->pad)
				return fail(d, "probe %u: bad lock %u", i, j);
			if (j > 0) {
				const struct bt_lock_ref *o = l - 1;

				if (o->space > l->space ||
				    (o->space == l->space && o->index >= l->index))
					return fail(d, "probe %u: locks not sorted", i);
			}
		}
	}
	return 0;
}

static int load_locs(struct bt_prog *prog, struct bt_diag *d)
{
	uint32_t i;

	for (i = 0; i < prog->nlocs; i++) {
		const struct bt_loc *l = &prog->locs[i];

		if (l->pc >= prog->ncode || !str_ok(prog, l->text))
			return fail(d, "location %u: pc %u or text out of range", i, l->pc);
		if (i && l->pc <= prog->locs[i - 1].pc)
			return fail(d, "location %u: not sorted by pc", i);
	}
	return 0;
}

int bt_load(struct bt_prog *prog, const void *blob, uint32_t size,
	    struct bt_diag *diag)
{
	struct sec_view sv[BT_SEC__MAX];
	struct bt_diag dummy;
	uint32_t i;

	if (!diag)
		diag = &dummy;
	bt_memset(diag, 0, sizeof(*diag));
	diag->pc = -1;
	diag->func = -1;
	bt_memset(prog, 0, sizeof(*prog));
	bt_memset(sv, 0, sizeof(sv));
	if (!blob || ((uintptr_t)blob & 7))
		return fail(diag, "blob is not 8-byte aligned in memory");
	if (load_sections(sv, blob, size, diag))
		return -1;
	prog->blob = blob;
	prog->blob_size = size;
#define VIEW(sec, type, field, nfield)				\
	prog->field = (const type *)sv[BT_SEC_##sec].p;		\
	prog->nfield = sv[BT_SEC_##sec].count;
	VIEWED_SECTIONS(VIEW)
#undef VIEW
	if (load_limits(prog, sv, diag) || load_strings(prog, diag) ||
	    load_funcs(prog, diag) || load_globals(prog, diag))
		goto bad;
	for (i = 0; i < prog->nmaps; i++)
		if (load_map(prog, i, diag))
			goto bad;
	if (load_formats(prog, diag) || load_regexes(prog, diag) ||
	    load_probes(prog, diag) || load_locs(prog, diag))
		goto bad;
	return 0;
bad:
	bt_memset(prog, 0, sizeof(*prog));
	return -1;
}
