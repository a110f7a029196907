/*
 * progbuild.c - assemble a program and serialize it (see progbuild.h and
 * bytecode/bt_prog.h for the format).
 */
#include <stdlib.h>
#include <string.h>
#include "progbuild.h"
#include "bt_verify.h"
#include "util.h"

struct pb_loc_rel {
	uint32_t pc;		/* relative to the function */
	uint32_t text;		/* STRTAB */
};

struct pb_func {
	struct bt_func_decl decl;
	VEC(struct bt_insn) code;
	VEC(struct pb_loc_rel) locs;
	int defined;
};

struct progbuild {
	VEC(char) strtab;
	struct strmap strtab_index;
	VEC(uint32_t) strconsts;
	struct strmap strconst_index;
	VEC(int64_t) consts;
	struct strmap const_index;
	VEC(struct bt_global_decl) globals;
	VEC(struct bt_map_decl) maps;
	VEC(struct bt_format_decl) formats;
	struct strmap format_index;
	VEC(struct bt_regex_decl) regexes;
	VEC(uint8_t) regexcode;
	VEC(struct bt_probe_decl) probes;
	VEC(struct bt_lock_ref) locks;
	VEC(struct pb_func) funcs;
	struct bt_limits limits;
	struct pb_func *cur;
	uint32_t pending_loc;	/* STRTAB offset + 1, or 0 */
};

struct progbuild *pb_new(void)
{
	struct progbuild *pb = xcalloc(1, sizeof(*pb));

	pb_str(pb, "");		/* offset 0 is the empty string */
	pb->limits = bt_default_limits();
	return pb;
}

void pb_free(struct progbuild *pb)
{
	size_t i;

	if (!pb)
		return;
	for (i = 0; i < pb->funcs.n; i++) {
		VEC_FREE(pb->funcs.a[i].code);
		VEC_FREE(pb->funcs.a[i].locs);
	}
	VEC_FREE(pb->funcs);
	VEC_FREE(pb->strtab);
	VEC_FREE(pb->strconsts);
	VEC_FREE(pb->consts);
	VEC_FREE(pb->globals);
	VEC_FREE(pb->maps);
	VEC_FREE(pb->formats);
	VEC_FREE(pb->regexes);
	VEC_FREE(pb->regexcode);
	VEC_FREE(pb->probes);
	VEC_FREE(pb->locks);
	strmap_free(&pb->strtab_index);
	strmap_free(&pb->strconst_index);
	strmap_free(&pb->const_index);
	strmap_free(&pb->format_index);
	free(pb);
}

uint32_t pb_str(struct progbuild *pb, const char *s)
{
	size_t len = strlen(s);
	uint32_t off;

	if (strmap_get(&pb->strtab_index, s, len, &off))
		return off;
	off = pb->strtab.n;
	VEC_RESERVE(pb->strtab, pb->strtab.n + len + 1);
	memcpy(pb->strtab.a + pb->strtab.n, s, len + 1);
	pb->strtab.n += len + 1;
	strmap_put(&pb->strtab_index, s, len, off);
	return off;
}

uint32_t pb_strconst(struct progbuild *pb, const char *s)
{
	uint32_t idx;

	if (strmap_get(&pb->strconst_index, s, strlen(s), &idx))
		return idx;
	idx = pb->strconsts.n;
	VEC_PUSH(pb->strconsts, pb_str(pb, s));
	strmap_put(&pb->strconst_index, s, strlen(s), idx);
	return idx;
}

uint32_t pb_const(struct progbuild *pb, int64_t v)
{
	uint32_t idx;

	if (strmap_get(&pb->const_index, &v, sizeof(v), &idx))
		return idx;
	idx = pb->consts.n;
	VEC_PUSH(pb->consts, v);
	strmap_put(&pb->const_index, &v, sizeof(v), idx);
	return idx;
}

uint32_t pb_global(struct progbuild *pb, const char *name, int kind,
		   int has_init, uint32_t init)
{
	struct bt_global_decl g = {
		.name = pb_str(pb, name),
		.kind = kind,
		.flags = has_init ? BT_GLOBAL_HAS_INIT : 0,
		.init = has_init ? init : 0,
	};

	VEC_PUSH(pb->globals, g);
	return pb->globals.n - 1;
}

uint32_t pb_map(struct progbuild *pb, const char *name,
		const struct bt_map_decl *decl)
{
	struct bt_map_decl m = *decl;

	m.name = pb_str(pb, name);
	VEC_PUSH(pb->maps, m);
	return pb->maps.n - 1;
}

uint32_t pb_format(struct progbuild *pb, const char *text,
		   unsigned nargs_i, unsigned nargs_s)
{
	struct bt_format_decl f = { pb_str(pb, text), nargs_i, nargs_s };
	uint32_t idx;

	if (strmap_get(&pb->format_index, text, strlen(text), &idx))
		return idx;
	idx = pb->formats.n;
	VEC_PUSH(pb->formats, f);
	strmap_put(&pb->format_index, text, strlen(text), idx);
	return idx;
}

uint32_t pb_regex(struct progbuild *pb, const void *code, size_t size,
		  const char *source)
{
	struct bt_regex_decl r = {
		.offset = pb->regexcode.n,
		.size = size,
		.source = pb_str(pb, source),
	};

	VEC_RESERVE(pb->regexcode, pb->regexcode.n + size);
	memcpy(pb->regexcode.a + pb->regexcode.n, code, size);
	pb->regexcode.n += size;
	/* keep every program 8-byte aligned inside the section */
	while (pb->regexcode.n % 8)
		VEC_PUSH(pb->regexcode, 0);
	VEC_PUSH(pb->regexes, r);
	return pb->regexes.n - 1;
}

uint32_t pb_probe(struct progbuild *pb, const struct bt_probe_decl *decl,
		  const char *point, const char *symbol,
		  const struct bt_lock_ref *locks, unsigned nlocks)
{
	struct bt_probe_decl p = *decl;
	unsigned i;

	p.point = pb_str(pb, point);
	p.symbol = pb_str(pb, symbol ? symbol : "");
	p.lock_off = pb->locks.n;
	p.nlocks = nlocks;
	for (i = 0; i < nlocks; i++)
		VEC_PUSH(pb->locks, locks[i]);
	VEC_PUSH(pb->probes, p);
	return pb->probes.n - 1;
}

typedef VEC(struct bt_lock_ref) lockvec;

static int ref_cmp(const void *a, const void *b)
{
	const struct bt_lock_ref *x = a, *y = b;

	if (x->space != y->space)
		return x->space - y->space;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Add the lock in's rule asks for to l (n entries, merged later). */
static void need_lock(struct progbuild *pb, const struct bt_insn *in,
		      const uint8_t *xcpu, lockvec *l)
{
	int stats = bt_op_info[in->op].opd[1] == BT_O_M && in->b < pb->maps.n &&
		    pb->maps.a[in->b].val_kind == BT_KIND_STATS;
	struct bt_lock_ref r = { 0 };
	uint8_t space;
	uint32_t index;
	int need = bt_insn_lock_need(in, stats, &space, &index);

	if (need == BT_NEED_NONE || (need == BT_NEED_STAT_ADD && !xcpu[index]))
		return;
	r.space = space;
	r.index = index;
	r.write = need == BT_NEED_WRITE || need == BT_NEED_STAT_WRITE_ALL;
	VEC_PUSH(*l, r);
}

void pb_derive_locks(struct progbuild *pb)
{
	lockvec out = { 0 };
	uint8_t *xcpu = xcalloc(pb->maps.n + 1, 1), *seen;
	uint32_t *todo;
	size_t i, j, k;

	for (i = 0; i < pb->funcs.n; i++)
		for (j = 0; j < pb->funcs.a[i].code.n; j++) {
			const struct bt_insn *in = &pb->funcs.a[i].code.a[j];

			if ((in->op == BT_OP_MCLEAR || in->op == BT_OP_MDEL) &&
			    in->b < pb->maps.n && pb->maps.a[in->b].val_kind == BT_KIND_STATS)
				xcpu[in->b] = 1;
		}
	seen = xcalloc(pb->funcs.n + 1, 1);
	todo = xcalloc(pb->funcs.n + 1, sizeof(*todo));
	for (i = 0; i < pb->probes.n; i++) {
		struct bt_probe_decl *p = &pb->probes.a[i];
		lockvec l = { 0 };
		size_t sp = 0;

		if (p->nlocks) {	/* declared by hand: keep */
			uint32_t off = out.n;

			for (k = 0; k < p->nlocks; k++)
				VEC_PUSH(out, pb->locks.a[p->lock_off + k]);
			p->lock_off = off;
			continue;
		}
		memset(seen, 0, pb->funcs.n + 1);
		if (p->handler < pb->funcs.n) {
			todo[sp++] = p->handler;
			seen[p->handler] = 1;
		}
		while (sp) {
			struct pb_func *f = &pb->funcs.a[todo[--sp]];

			for (j = 0; j < f->code.n; j++) {
				const struct bt_insn *in = &f->code.a[j];

				if (in->op == BT_OP_EXT)
					continue;
				if (in->op == BT_OP_CALL && in->a < pb->funcs.n && !seen[in->a]) {
					seen[in->a] = 1;
					todo[sp++] = in->a;
				}
				if (in->op < BT_OP__COUNT)
					need_lock(pb, in, xcpu, &l);
			}
		}
		if (l.n)
			qsort(l.a, l.n, sizeof(*l.a), ref_cmp);
		p->lock_off = out.n;
		p->nlocks = 0;
		for (j = 0; j < l.n; j = k) {
			struct bt_lock_ref r = l.a[j];

			for (k = j; k < l.n && !ref_cmp(&l.a[j], &l.a[k]); k++)
				r.write |= l.a[k].write;
			VEC_PUSH(out, r);
			p->nlocks++;
		}
		VEC_FREE(l);
	}
	VEC_FREE(pb->locks);
	pb->locks.a = out.a;
	pb->locks.n = out.n;
	pb->locks.cap = out.cap;
	free(xcpu);
	free(seen);
	free(todo);
}

void pb_limits(struct progbuild *pb, const struct bt_limits *limits)
{
	pb->limits = *limits;
}

uint32_t pb_func_declare(struct progbuild *pb, const char *name)
{
	struct pb_func f = { 0 };

	f.decl.name = pb_str(pb, name);
	VEC_PUSH(pb->funcs, f);
	return pb->funcs.n - 1;
}

void pb_func_begin(struct progbuild *pb, uint32_t func)
{
	pb->cur = &pb->funcs.a[func];
	pb->pending_loc = 0;
}

void pb_func_end(struct progbuild *pb, const struct bt_func_decl *frame)
{
	struct pb_func *f = pb->cur;
	uint32_t name = f->decl.name;

	f->decl = *frame;
	f->decl.name = name;
	f->defined = 1;
	pb->cur = NULL;
}

uint32_t pb_nfuncs(const struct progbuild *pb)
{
	return pb->funcs.n;
}

uint32_t pb_pc(const struct progbuild *pb)
{
	return pb->cur->code.n;
}

struct bt_insn *pb_insn(struct progbuild *pb, uint32_t pc)
{
	return &pb->cur->code.a[pc];
}

void pb_loc(struct progbuild *pb, const char *text)
{
	pb->pending_loc = pb_str(pb, text) + 1;
}

uint32_t pb_emit(struct progbuild *pb, unsigned op, unsigned x,
		 unsigned a, unsigned b, unsigned c)
{
	struct pb_func *f = pb->cur;
	struct bt_insn in = { op, x, a, b, c };

	if (pb->pending_loc) {
		struct pb_loc_rel l = { f->code.n, pb->pending_loc - 1 };

		/* one location per pc: a later pb_loc at the same pc wins */
		if (f->locs.n && f->locs.a[f->locs.n - 1].pc == l.pc)
			f->locs.a[f->locs.n - 1] = l;
		else
			VEC_PUSH(f->locs, l);
		pb->pending_loc = 0;
	}
	VEC_PUSH(f->code, in);
	return f->code.n - 1;
}

uint32_t pb_emit_imm(struct progbuild *pb, unsigned op, unsigned a, int32_t imm)
{
	uint32_t u = (uint32_t)imm;

	return pb_emit(pb, op, 0, a, u & 0xffff, u >> 16);
}

/* --- serialization ------------------------------------------------------ */

struct blob {
	uint8_t *buf;
	size_t n, cap;
};

static size_t blob_append(struct blob *b, const void *p, size_t n)
{
	size_t off = (b->n + 7) & ~(size_t)7;

	if (off + n > b->cap) {
		b->cap = (off + n) * 2 + 4096;
		b->buf = xrealloc(b->buf, b->cap);
	}
	memset(b->buf + b->n, 0, off - b->n);
	if (n)
		memcpy(b->buf + off, p, n);
	b->n = off + n;
	return off;
}

int pb_serialize(struct progbuild *pb, void **out, size_t *out_size)
{
	VEC(struct bt_insn) code = { 0 };
	VEC(struct bt_func_decl) funcs = { 0 };
	VEC(struct bt_loc) locs = { 0 };
	struct { const void *p; size_t size, count; uint32_t type; } sec[BT_SEC__MAX];
	struct bt_file_header hdr = { 0 };
	struct bt_section sh[BT_SEC__MAX];
	struct blob b = { 0 };
	unsigned nsec = 0, i;
	size_t j;

	for (j = 0; j < pb->funcs.n; j++) {
		struct pb_func *f = &pb->funcs.a[j];
		struct bt_func_decl d = f->decl;
		size_t k;

		if (!f->defined)
			return -1;
		d.code_off = code.n;
		d.code_len = f->code.n;
		for (k = 0; k < f->locs.n; k++) {
			struct bt_loc l = { code.n + f->locs.a[k].pc, f->locs.a[k].text };

			VEC_PUSH(locs, l);
		}
		VEC_RESERVE(code, code.n + f->code.n);
		memcpy(code.a + code.n, f->code.a, f->code.n * sizeof(struct bt_insn));
		code.n += f->code.n;
		VEC_PUSH(funcs, d);
	}

#define SEC(t, v) do { sec[nsec].type = (t); sec[nsec].p = (v).a;	\
		sec[nsec].size = (v).n * sizeof(*(v).a); sec[nsec].count = (v).n; nsec++; } while (0)
	SEC(BT_SEC_CODE, code);
	SEC(BT_SEC_FUNCS, funcs);
	SEC(BT_SEC_CONSTS, pb->consts);
	SEC(BT_SEC_STRTAB, pb->strtab);
	SEC(BT_SEC_STRCONSTS, pb->strconsts);
	SEC(BT_SEC_GLOBALS, pb->globals);
	SEC(BT_SEC_MAPS, pb->maps);
	SEC(BT_SEC_FORMATS, pb->formats);
	SEC(BT_SEC_REGEXES, pb->regexes);
	SEC(BT_SEC_REGEXCODE, pb->regexcode);
	SEC(BT_SEC_PROBES, pb->probes);
	SEC(BT_SEC_LOCKS, pb->locks);
	SEC(BT_SEC_LOCS, locs);
#undef SEC
	sec[nsec].type = BT_SEC_LIMITS;
	sec[nsec].p = &pb->limits;
	sec[nsec].size = sizeof(pb->limits);
	sec[nsec].count = 1;
	nsec++;

	blob_append(&b, &hdr, sizeof(hdr));
	blob_append(&b, sh, nsec * sizeof(sh[0]));
	for (i = 0; i < nsec; i++) {
		sh[i].type = sec[i].type;
		sh[i].offset = blob_append(&b, sec[i].p, sec[i].size);
		sh[i].size = sec[i].size;
		sh[i].count = sec[i].count;
	}
	blob_append(&b, NULL, 0);
	b.n = (b.n + 7) & ~(size_t)7;
	hdr.magic = BT_MAGIC;
	hdr.abi_major = BT_ABI_MAJOR;
	hdr.abi_minor = BT_ABI_MINOR;
	hdr.header_size = sizeof(hdr);
	hdr.total_size = b.n;
	hdr.nsections = nsec;
	memcpy(b.buf, &hdr, sizeof(hdr));
	memcpy(b.buf + sizeof(hdr), sh, nsec * sizeof(sh[0]));

	VEC_FREE(code);
	VEC_FREE(funcs);
	VEC_FREE(locs);
	if (b.n > BT_MAX_BLOB) {
		free(b.buf);
		return -1;
	}
	*out = b.buf;
	*out_size = b.n;
	return 0;
}
