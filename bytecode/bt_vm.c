// SPDX-License-Identifier: GPL-2.0
/*
 * bt_vm.c - the interpreter (bt_vm.h).
 *
 * The dispatch loop keeps pc, the code base and the frame's register
 * bases in locals and trusts everything bt_verify() proved: there is no
 * type tag, no register range check, no opcode check in it.  Only LOOP,
 * ACT and CALL touch the action budget.  With GCC the loop dispatches by
 * computed goto (one indirect jump per instruction, as in the kernel's
 * BPF interpreter); otherwise by a switch.
 */
#include "bt_vm.h"
#include "bt_builtin.h"
#include "bt_host.h"
#include "bt_record.h"
#include "bt_util.h"

/* objtool must know the dispatch table is a jump table (kernel/bpf/core.c) */
#ifdef __KERNEL__
#include <linux/compiler.h>
#endif
#ifndef __annotate_jump_table
#define __annotate_jump_table
#endif

struct bt_frame {
	struct bt_frame *prev;
	const struct bt_func_decl *f;
	const struct bt_insn *code;
	int64_t *r;
	char *s;
	struct bt_iter *it;
	uint32_t size;		/* bytes, to find the next frame */
	uint32_t ret_pc;	/* where to resume here after a CALL */
	uint16_t ret_b, ret_c;	/* where the callee's result goes */
	uint32_t pad;
};

struct bt_tryent {
	uint32_t depth;		/* frame that owns it */
	uint32_t catch_pc;	/* function-relative */
};

const char bt_msg_skipped_too_many[] =
	"Skipped too many probes, check MAXSKIPPED or try again with stap -t for more details.";

#define A8(n)	BT_ALIGN8(n)

/* --- sizes -------------------------------------------------------------- */

static size_t frame_bytes(const struct bt_func_decl *f, uint32_t slen)
{
	return A8(sizeof(struct bt_frame)) + (size_t)f->nregs * 8 +
	       (size_t)f->niters * sizeof(struct bt_iter) +
	       A8((size_t)f->nstrs * slen);
}

static uint32_t prog_slen(const struct bt_prog *prog)
{
	return prog->limits.maxstringlen;
}

struct ctx_layout {
	size_t errmsg, scratch, tokbuf, match, stat, memdump, fmtargs, rx, rx_size,
	       tries, stack, total;
	size_t stack_size;
	uint32_t errcap, maxtry;
};

static void ctx_layout(const struct bt_prog *prog, struct ctx_layout *l)
{
	uint32_t slen = prog_slen(prog), i, nframes;
	size_t maxframe = A8(sizeof(struct bt_frame)), off;
	uint32_t maxtries = 0;

	for (i = 0; i < prog->nfuncs; i++) {
		size_t fb = frame_bytes(&prog->funcs[i], slen);

		if (fb > maxframe)
			maxframe = fb;
		if (prog->funcs[i].ntries > maxtries)
			maxtries = prog->funcs[i].ntries;
	}
	nframes = prog->limits.maxnesting + 1;
	l->errcap = slen > BT_ERRMSG_MIN ? slen : BT_ERRMSG_MIN;
	off = A8(sizeof(struct bt_ctx));
	l->errmsg = off;
	off += A8(l->errcap);
	l->scratch = off;
	off += A8((size_t)slen * 2);
	l->tokbuf = off;
	off += A8(slen);
	l->match = off;
	off += A8(slen);
	l->stat = off;
	off += A8(sizeof(struct bt_stat) + BT_HIST_MAX_BUCKETS * 8);
	l->memdump = off;
	off += BT_MEMDUMP_MAX;
	l->fmtargs = off;
	off += BT_MAX_FMT_ARGS * (sizeof(int64_t) + sizeof(char *) + sizeof(size_t));
	l->rx_size = 0;
	for (i = 0; i < prog->nregexes; i++) {
		size_t n = bt_regex_scratch_size(prog->regexcode + prog->regexes[i].offset);

		if (n > l->rx_size)
			l->rx_size = n;
	}
	l->rx = off;
	off += A8(l->rx_size);
	l->maxtry = nframes * maxtries;
	l->tries = off;
	off += A8((size_t)l->maxtry * sizeof(struct bt_tryent));
	l->stack = off;
	l->stack_size = (size_t)nframes * maxframe;
	off += l->stack_size;
	l->total = off;
}

size_t bt_ctx_size(const struct bt_prog *prog)
{
	struct ctx_layout l;

	ctx_layout(prog, &l);
	return l.total;
}

/*
 * Session layout: computed by one function so that the size and the
 * initialisation can never disagree.  With sess == NULL it only counts.
 */
static size_t session_layout(const struct bt_prog *prog, unsigned int ncpus,
			     struct bt_session *sess)
{
	uint8_t *base = (uint8_t *)sess;
	uint32_t slen = prog_slen(prog), i;
	uint64_t off = A8(sizeof(struct bt_session));

#define TAKE(ptr, bytes) do {						\
		if (sess)						\
			(ptr) = (void *)(base + off);			\
		off += A8((uint64_t)(bytes));				\
	} while (0)
	if (sess) {
		sess->prog = prog;
		sess->lim = prog->limits;
		sess->ncpus = ncpus;
		sess->slen = slen;
	}
	TAKE(sess->gint, (uint64_t)prog->nglobals * 8);
	TAKE(sess->gstr, (uint64_t)prog->nglobals * slen);
	TAKE(sess->mvars, (uint64_t)prog->nmaps * sizeof(struct bt_mvar));
	TAKE(sess->fmts, (uint64_t)prog->nformats * sizeof(struct bt_fmtinfo));
	for (i = 0; i < prog->nmaps; i++) {
		const struct bt_map_decl *d = &prog->maps[i];
		struct bt_stat_shape shape;
		struct bt_mvar *mv = sess ? &sess->mvars[i] : NULL;
		int stats = d->val_kind == BT_KIND_STATS;
		uint32_t ninst = stats ? ncpus + 1 : 1, k;
		struct bt_map *inst = NULL;
		uint64_t msize;

		bt_memset(&shape, 0, sizeof(shape));
		if (stats && bt_stat_shape_init(&shape, d))
			return 0;
		msize = bt_map_mem_size(d, d->capacity, slen, shape.size);
		TAKE(inst, (uint64_t)ninst * sizeof(struct bt_map));
		if (mv) {
			mv->inst = inst;
			mv->ninst = ninst;
			mv->stats = stats;
			mv->shape = shape;
			if (shape.size > sess->max_stat_size)
				sess->max_stat_size = shape.size;
		}
		for (k = 0; k < ninst; k++) {
			void *mem = NULL;

			TAKE(mem, msize);
			if (sess)
				bt_map_init(&inst[k], d, d->capacity, slen,
					    stats ? &mv->shape : NULL, mem);
		}
	}
	for (i = 0; i < prog->nformats; i++) {
		const struct bt_format_decl *fd = &prog->formats[i];
		const char *text = bt_prog_str(prog, fd->text);
		size_t len = bt_strnlen(text, prog->strtab_size - fd->text);
		size_t ncomps = 0, nkinds = 0, k;
		struct bt_fmtinfo *fi = sess ? &sess->fmts[i] : NULL;
		struct bt_fmt_comp *comps = NULL;
		uint8_t *kinds = NULL;

		if (bt_fmt_parse(text, len, NULL, 0, &ncomps, NULL, 0, &nkinds, NULL) < 0)
			return 0;
		TAKE(comps, ncomps * sizeof(struct bt_fmt_comp));
		TAKE(kinds, nkinds);
		if (fi) {
			fi->text = text;
			fi->len = (uint32_t)len;
			fi->comps = comps;
			fi->kinds = kinds;
			bt_fmt_parse(text, len, comps, ncomps, &ncomps, kinds,
				     nkinds, &nkinds, NULL);
			fi->ncomps = (uint32_t)ncomps;
			fi->nkinds = (uint32_t)nkinds;
			for (k = 0; k < nkinds; k++)
				if (kinds[k] == BT_FMT_ARG_MEM)
					fi->has_mem = 1;
		}
	}
#undef TAKE
	if (off > (uint64_t)(size_t)-1 / 2)
		return 0;
	return (size_t)off;
}

size_t bt_session_size(const struct bt_prog *prog, unsigned int ncpus)
{
	if (ncpus < 1)
		return 0;
	return session_layout(prog, ncpus, NULL);
}

int bt_session_init(struct bt_session *sess, size_t size,
		    const struct bt_prog *prog, unsigned int ncpus)
{
	size_t need = bt_session_size(prog, ncpus);
	uint32_t i;

	if (!need || size < need)
		return -1;
	session_layout(prog, ncpus, sess);
	sess->size = need;
	for (i = 0; i < prog->nglobals; i++) {
		const struct bt_global_decl *g = &prog->globals[i];

		if (!(g->flags & BT_GLOBAL_HAS_INIT))
			continue;
		if (g->kind == BT_KIND_INT)
			sess->gint[i] = prog->consts[g->init];
		else
			bt_strlcpy(sess->gstr + (size_t)i * sess->slen,
				   bt_prog_str(prog, prog->strconsts[g->init]),
				   sess->slen);
	}
	return 0;
}

bool bt_session_note_error(struct bt_session *sess)
{
	int64_t n = __atomic_add_fetch(&sess->error_count, 1, __ATOMIC_RELAXED);

	return n > (int64_t)sess->lim.maxerrors;
}

bool bt_session_note_skip(struct bt_session *sess)
{
	int64_t n = __atomic_add_fetch(&sess->skipped_count, 1, __ATOMIC_RELAXED);

	return n > (int64_t)sess->lim.maxskipped;
}

void bt_session_note_reentrancy(struct bt_session *sess)
{
	__atomic_add_fetch(&sess->reentrant_count, 1, __ATOMIC_RELAXED);
}

size_t bt_session_final_warning(const struct bt_session *sess, char *buf,
				size_t cap)
{
	int64_t e = __atomic_load_n(&sess->error_count, __ATOMIC_RELAXED);
	int64_t s = __atomic_load_n(&sess->skipped_count, __ATOMIC_RELAXED);
	int64_t r = __atomic_load_n(&sess->reentrant_count, __ATOMIC_RELAXED);

	if (!e && !s && !r) {
		if (cap)
			buf[0] = 0;
		return 0;
	}
	/* SystemTap prints these counts as int */
	return bt_snprintf(buf, cap, "WARNING: Number of errors: %d, skipped probes: %d",
			   (int)e, (int)s);
}

int64_t bt_session_global_int(const struct bt_session *sess, uint32_t g)
{
	return g < sess->prog->nglobals ? sess->gint[g] : 0;
}

const char *bt_session_global_str(const struct bt_session *sess, uint32_t g)
{
	return g < sess->prog->nglobals ? sess->gstr + (size_t)g * sess->slen : "";
}

/* --- contexts ----------------------------------------------------------- */

int bt_ctx_init(struct bt_ctx *ctx, size_t size, struct bt_session *sess,
		unsigned int cpu, void *host)
{
	const struct bt_prog *prog = sess->prog;
	uint8_t *base = (uint8_t *)ctx;
	struct ctx_layout l;

	ctx_layout(prog, &l);
	if (size < l.total || cpu >= sess->ncpus)
		return -1;
	bt_memset(ctx, 0, sizeof(*ctx));
	ctx->sess = sess;
	ctx->prog = prog;
	ctx->host = host;
	ctx->cpu = cpu;
	ctx->slen = sess->slen;
	ctx->size = l.total;
	ctx->errmsg = (char *)base + l.errmsg;
	ctx->errcap = l.errcap;
	ctx->scratch = (char *)base + l.scratch;
	ctx->match_str = (char *)base + l.match;
	ctx->stat_tmp = (struct bt_stat *)(base + l.stat);
	ctx->memdump = base + l.memdump;
	ctx->tries = (struct bt_tryent *)(base + l.tries);
	ctx->maxtry = l.maxtry;
	ctx->stack = base + l.stack;
	ctx->stack_size = l.stack_size;
	ctx->rx_scratch = base + l.rx;
	ctx->rx_scratch_size = l.rx_size;
	ctx->errpc = BT_REC_NOPC;
	bt_sf_tokenize_init(&ctx->tok, (char *)base + l.tokbuf, sess->slen);
	bt_ctx_seed(ctx, 0);
	return 0;
}

void bt_ctx_seed(struct bt_ctx *ctx, uint64_t seed)
{
	ctx->prng = seed ? seed : 0x853c49e6748fea9bull;
}

void bt_ctx_fail(struct bt_ctx *ctx, const char *msg)
{
	bt_strlcpy(ctx->errmsg, msg ? msg : "", ctx->errcap);
	ctx->err_set = 1;
}

void bt_ctx_failf(struct bt_ctx *ctx, const char *fmt, ...)
{
	bt_va_list ap;

	bt_va_start(ap, fmt);
	bt_vsnprintf(ctx->errmsg, ctx->errcap, fmt, ap);
	bt_va_end(ap);
	ctx->err_set = 1;
}

const char *bt_ctx_errmsg(const struct bt_ctx *ctx)
{
	return ctx->errmsg;
}

uint32_t bt_ctx_errpc(const struct bt_ctx *ctx)
{
	return ctx->errpc;
}

const char *bt_ctx_pp(const struct bt_ctx *ctx)
{
	if (ctx->pp)
		return ctx->pp;
	if (ctx->probe >= ctx->prog->nprobes)
		return "";
	return bt_prog_str(ctx->prog, ctx->prog->probes[ctx->probe].point);
}

/* --- output ------------------------------------------------------------- */

static void *rec_begin(struct bt_ctx *ctx, uint16_t type, uint32_t arg,
		       uint32_t payload)
{
	uint32_t len = BT_REC_ALIGN((uint32_t)sizeof(struct bt_rec) + payload);
	struct bt_rec *rec = bt_host_out_reserve(ctx, len);

	if (!rec) {
		__atomic_add_fetch(&ctx->sess->drop_count, 1, __ATOMIC_RELAXED);
		return NULL;
	}
	/* zero the tail padding so no stale bytes leave the machine */
	if (len > sizeof(struct bt_rec) + payload)
		bt_memset((uint8_t *)rec + sizeof(struct bt_rec) + payload, 0,
			  len - sizeof(struct bt_rec) - payload);
	rec->len = len;
	rec->type = type;
	rec->flags = 0;
	rec->arg = arg;
	rec->pad = 0;
	return rec;
}

void bt_vm_emit_text(struct bt_ctx *ctx, uint16_t type, uint32_t arg,
		     const char *msg)
{
	uint32_t n = (uint32_t)bt_strnlen(msg, ctx->errcap);
	uint8_t *rec = rec_begin(ctx, type, arg, n + 1);

	if (!rec)
		return;
	bt_memcpy(rec + sizeof(struct bt_rec), msg, n);
	rec[sizeof(struct bt_rec) + n] = 0;
	bt_host_out_commit(ctx, rec);
}

/*
 * Arguments of a format in consumption order.  Strings are the frame's
 * string registers, except %m / %M which dump memory at an int argument.
 * Fills ctx's format argument arrays; returns the number of strings, or
 * -1 after raising an error.
 */
struct fmt_args {
	int64_t *ints;
	const char **strs;
	size_t *lens;
	uint32_t nints, nstrs;
};

static int gather_args(struct bt_ctx *ctx, const struct bt_fmtinfo *fi,
		       const int64_t *r, const char *s, struct fmt_args *fa)
{
	uint32_t slen = ctx->slen, ri = 0, si = 0, k, c, memused = 0;
	int64_t star_prec = -1;

	fa->nints = fa->nstrs = 0;
	k = 0;
	for (c = 0; c < fi->ncomps; c++) {
		const struct bt_fmt_comp *cp = &fi->comps[c];
		uint8_t kind;

		if (cp->conv == BT_FMT_LITERAL)
			continue;
		if (cp->flags & BT_FMT_F_WIDTH_STAR) {
			fa->ints[fa->nints++] = r[ri++];
			k++;
		}
		if (cp->flags & BT_FMT_F_PREC_STAR) {
			star_prec = r[ri];
			fa->ints[fa->nints++] = r[ri++];
			k++;
		}
		kind = k < fi->nkinds ? fi->kinds[k] : BT_FMT_ARG_INT;
		k++;
		if (kind == BT_FMT_ARG_STR) {
			const char *p = s + (size_t)si++ * slen;

			fa->strs[fa->nstrs] = p;
			fa->lens[fa->nstrs++] = bt_strnlen(p, slen - 1);
		} else if (kind == BT_FMT_ARG_MEM) {
			int64_t n = bt_fmt_mem_len(cp, star_prec);
			uint64_t addr = (uint64_t)r[ri++];

			if (n < 0 || n > BT_MEMDUMP_MAX - (int64_t)memused) {
				bt_ctx_failf(ctx, "%lld is too many bytes for a memory dump",
					     (long long)n);
				return -1;
			}
			if (n && bt_host_read_kernel(ctx, ctx->memdump + memused, addr,
						     (uint32_t)n) < 0) {
				if (!ctx->err_set)
					bt_ctx_fail(ctx, "kernel memory read fault");
				return -1;
			}
			fa->strs[fa->nstrs] = (const char *)ctx->memdump + memused;
			fa->lens[fa->nstrs++] = (size_t)n;
			memused += (uint32_t)n;
		} else {
			fa->ints[fa->nints++] = r[ri++];
		}
		star_prec = -1;
	}
	return 0;
}

/* The argument arrays live right after the memory dump buffer (ctx_layout). */
static void fmt_arrays(struct bt_ctx *ctx, struct fmt_args *fa)
{
	uint8_t *p = ctx->memdump + BT_MEMDUMP_MAX;

	fa->ints = (int64_t *)p;
	fa->strs = (const char **)(p + BT_MAX_FMT_ARGS * sizeof(int64_t));
	fa->lens = (size_t *)(p + BT_MAX_FMT_ARGS * (sizeof(int64_t) + sizeof(char *)));
}

/* PRINTF: one record with the arguments in consumption order. */
static int do_printf(struct bt_ctx *ctx, uint32_t fmt, const int64_t *r,
		     const char *s)
{
	const struct bt_fmtinfo *fi = &ctx->sess->fmts[fmt];
	struct fmt_args fa;
	uint32_t payload = 0, k, ii = 0, si = 0;
	uint8_t *rec, *p;

	fmt_arrays(ctx, &fa);
	if (gather_args(ctx, fi, r, s, &fa) < 0)
		return -1;
	for (k = 0; k < fi->nkinds; k++)
		payload += fi->kinds[k] == BT_FMT_ARG_INT ? 8 : 2 + (uint32_t)fa.lens[si++];
	rec = rec_begin(ctx, BT_REC_PRINTF, fmt, payload);
	if (!rec)
		return 0;
	p = rec + sizeof(struct bt_rec);
	si = 0;
	for (k = 0; k < fi->nkinds; k++) {
		if (fi->kinds[k] == BT_FMT_ARG_INT) {
			bt_memcpy(p, &fa.ints[ii++], 8);
			p += 8;
		} else {
			uint16_t n = (uint16_t)fa.lens[si];

			bt_memcpy(p, &n, 2);
			bt_memcpy(p + 2, fa.strs[si++], n);
			p += 2 + n;
		}
	}
	bt_host_out_commit(ctx, rec);
	return 0;
}

/* SPRINTF: render into scratch (the result may overwrite an argument). */
static int do_sprintf(struct bt_ctx *ctx, uint32_t fmt, const int64_t *r,
		      const char *s, char *dst)
{
	const struct bt_fmtinfo *fi = &ctx->sess->fmts[fmt];
	struct fmt_args fa;
	int64_t n;

	fmt_arrays(ctx, &fa);
	if (gather_args(ctx, fi, r, s, &fa) < 0)
		return -1;
	n = bt_fmt_render_split(fi->text, fi->comps, fi->ncomps, fa.ints, fa.nints,
				fa.strs, fa.lens, fa.nstrs, ctx->slen - 1,
				ctx->scratch, ctx->slen, BT_FMT_SPRINT, NULL);
	if (n < 0) {
		bt_ctx_fail(ctx, "sprintf: bad arguments");
		return -1;
	}
	bt_memcpy(dst, ctx->scratch, (size_t)n);
	dst[n] = 0;
	return 0;
}

/* --- maps --------------------------------------------------------------- */

static const char msg_empty[] = "empty aggregate";

static int overflow(struct bt_ctx *ctx, const struct bt_map_decl *d)
{
	if (d->flags & BT_MAP_SIZED)
		bt_ctx_failf(ctx, "Array overflow, check size limit (%u)", d->capacity);
	else
		bt_ctx_fail(ctx, "Array overflow, check MAXMAPENTRIES");
	return -1;
}

/*
 * The statistic m[key] merged over every CPU into ctx->stat_tmp, as
 * SystemTap reads a scalar (total variance) or an array element (pairwise).
 * Histograms only when asked: they cost 1 KiB per CPU to merge.
 */
static struct bt_stat *merged(struct bt_ctx *ctx, const struct bt_mvar *mv,
			      const int64_t *ik, const char *sk, int with_hist,
			      struct bt_stat_shape *sh)
{
	struct bt_stat *out = ctx->stat_tmp;
	uint32_t n = ctx->sess->ncpus, c;

	*sh = mv->shape;
	if (!with_hist) {
		sh->hist_kind = BT_HIST_NONE;
		sh->nbuckets = 0;
		sh->size = sizeof(struct bt_stat);
	}
	if (mv->inst[0].nkeys == 0) {
		int64_t acc[2];

		bt_stat_scalar_begin(sh, out, acc);
		for (c = 0; c < n; c++) {
			struct bt_ment *e = bt_map_find(&mv->inst[c], ik, sk);

			if (e)
				bt_stat_scalar_add(sh, out, bt_ment_val(&mv->inst[c], e));
		}
		bt_stat_scalar_mid(sh, out);
		for (c = 0; c < n && sh->variance; c++) {
			struct bt_ment *e = bt_map_find(&mv->inst[c], ik, sk);

			if (e)
				bt_stat_scalar_var(sh, out, bt_ment_val(&mv->inst[c], e), acc);
		}
		bt_stat_scalar_end(sh, out, acc);
		return out;
	}
	bt_stat_clear(sh, out);
	for (c = 0; c < n; c++) {
		struct bt_ment *e = bt_map_find(&mv->inst[c], ik, sk);

		if (e)
			bt_stat_merge_elem(sh, out, bt_ment_val(&mv->inst[c], e));
	}
	return out;
}

/* --- work and time (bt_vm.h) --------------------------------------------- */

/*
 * The work counter ran out: a new quantum, and ask the host whether the
 * hit has run too long.  Nonzero: it has, and the host has set the error.
 */
static bt_noinline int work_out(struct bt_ctx *ctx)
{
	ctx->work = BT_WORK_QUANTUM;
	ctx->quanta++;
	return bt_host_overtime(ctx);
}

/* Charge n units; nonzero: the hit is over its time. */
static bt_always_inline int charge(struct bt_ctx *ctx, uint64_t n)
{
	ctx->work -= (int64_t)(n > BT_WORK_QUANTUM ? BT_WORK_QUANTUM : n);
	return bt_unlikely(ctx->work < 0) && work_out(ctx);
}

/* A map operation scans at most worst + 1 slots. */
static bt_always_inline uint64_t map_cost(const struct bt_map *m)
{
	return 1 + (m->worst >> 2);
}

/* bt_regex_match_timed()'s tick: a long match stops when over time. */
static int regex_tick(void *arg, uint32_t steps)
{
	return charge(arg, steps / 32 + 1);
}

/* bt_map_sort()'s pass_done: the sort stops when the hit is over time. */
static int sort_pass(void *arg, uint32_t steps)
{
	return charge(arg, steps);
}

/*
 * Fill a statistics map's aggregation table from every CPU's.  -1: an
 * error (catchable), -2: over time.
 */
static int build_agg(struct bt_ctx *ctx, uint32_t mi)
{
	struct bt_mvar *mv = &ctx->sess->mvars[mi];
	uint32_t n = ctx->sess->ncpus, c;
	struct bt_map *agg = &mv->inst[n];

	bt_map_clear(agg);
	for (c = 0; c < n; c++) {
		struct bt_map *m = &mv->inst[c];
		uint32_t i = bt_map_first(m), guard = m->cap;

		if (charge(ctx, (uint64_t)m->count * map_cost(agg)))
			return -2;

		for (; i && guard--; i = bt_map_next(m, i)) {
			struct bt_ment *e = bt_map_ent(m, i), *ae;

			ae = bt_map_insert(agg, bt_ment_ik(m, e), bt_ment_sk(m, e, 0), NULL);
			if (!ae) {
				bt_ctx_failf(ctx, "aggregation overflow in %s",
					     bt_prog_str(ctx->prog, ctx->prog->maps[mi].name));
				return -1;
			}
			bt_stat_merge_elem(&mv->shape, bt_ment_val(agg, ae),
					   bt_ment_val(m, e));
		}
	}
	return 0;
}

static int stats_has(const struct bt_ctx *ctx, const struct bt_mvar *mv,
		     const int64_t *ik, const char *sk)
{
	uint32_t c;

	for (c = 0; c < ctx->sess->ncpus; c++)
		if (bt_map_find(&mv->inst[c], ik, sk))
			return 1;
	return 0;
}

static int emit_hist(struct bt_ctx *ctx, uint32_t mi, const int64_t *ik,
		     const char *sk, uint32_t newlines)
{
	const struct bt_mvar *mv = &ctx->sess->mvars[mi];
	struct bt_stat_shape sh;
	struct bt_stat *st = merged(ctx, mv, ik, sk, 1, &sh);
	uint32_t nb = sh.nbuckets;
	uint8_t *rec;

	if (!st->count) {
		bt_ctx_fail(ctx, msg_empty);
		return -1;
	}
	rec = rec_begin(ctx, BT_REC_HIST, mi, 8 + nb * 8);
	if (!rec)
		return 0;
	bt_memcpy(rec + sizeof(struct bt_rec), &nb, 4);
	bt_memcpy(rec + sizeof(struct bt_rec) + 4, &newlines, 4);
	bt_memcpy(rec + sizeof(struct bt_rec) + 8, st->hist, (size_t)nb * 8);
	bt_host_out_commit(ctx, rec);
	return 0;
}

/* --- regex ---------------------------------------------------------------- */

static int64_t do_match(struct bt_ctx *ctx, const char *str, uint32_t rx)
{
	const struct bt_regex_decl *d = &ctx->prog->regexes[rx];
	const void *code = ctx->prog->regexcode + d->offset;
	size_t len = bt_strnlen(str, ctx->slen - 1);
	int rc;

	/* the matcher charges its steps as it goes, ~32 to a unit of work */
	rc = bt_regex_match_timed(code, str, len, ctx->caps, BT_ARRAY_SIZE(ctx->caps),
				  ctx->rx_scratch, ctx->rx_scratch_size, regex_tick, ctx);
	if (rc == BT_RE_ETIME)
		return -1;
	ctx->matched = rc == 1;
	if (rc != 1)
		return 0;
	ctx->ngroups = bt_regex_ngroups(code);
	bt_memcpy(ctx->match_str, str, len);
	ctx->match_str[len] = 0;
	return 1;
}

/* --- the interpreter ------------------------------------------------------ */

static int cmp(unsigned int x, int64_t a, int64_t b)
{
	switch (x) {
	case BT_CMP_EQ: return a == b;
	case BT_CMP_NE: return a != b;
	case BT_CMP_LT: return a < b;
	case BT_CMP_LE: return a <= b;
	case BT_CMP_GT: return a > b;
	default:        return a >= b;
	}
}

/* Enter a function: its frame right above fp (NULL: the bottom). */
static struct bt_frame *push_frame(struct bt_ctx *ctx, struct bt_frame *fp,
				   uint32_t fi)
{
	const struct bt_func_decl *f = &ctx->prog->funcs[fi];
	uint8_t *p = fp ? (uint8_t *)fp + fp->size : ctx->stack;
	struct bt_frame *nf = (struct bt_frame *)p;
	uint32_t slen = ctx->slen, j;

	nf->prev = fp;
	nf->f = f;
	nf->code = ctx->prog->code + f->code_off;
	nf->r = (int64_t *)(p + A8(sizeof(*nf)));
	nf->it = (struct bt_iter *)(nf->r + f->nregs);
	nf->s = (char *)(nf->it + f->niters);
	nf->size = (uint32_t)frame_bytes(f, slen);
	nf->ret_pc = 0;
	nf->ret_b = nf->ret_c = 0;
	/* zero what a program could read: not the string bytes past NUL */
	bt_memset(nf->r, 0, (size_t)f->nregs * 8 + (size_t)f->niters * sizeof(struct bt_iter));
	for (j = 0; j < f->nstrs; j++)
		nf->s[(size_t)j * slen] = 0;
	return nf;
}

static const char msg_maxaction[] = "MAXACTION exceeded";

/*
 * BT_VM_DEBUG (the ASan builds of the tests): check the verifier's
 * invariants (bt_verify.h I3, I4) where the VM relies on them.  A failure
 * is a verifier bug, so it stops the process on the spot.
 */
#ifdef BT_VM_DEBUG
#define VM_ASSERT(cond)	do { if (!(cond)) __builtin_trap(); } while (0)
#else
#define VM_ASSERT(cond)	do { } while (0)
#endif

/* Wrapping arithmetic without undefined behaviour. */
#define WADD(x, y)	((int64_t)((uint64_t)(x) + (uint64_t)(y)))
#define WSUB(x, y)	((int64_t)((uint64_t)(x) - (uint64_t)(y)))
#define WMUL(x, y)	((int64_t)((uint64_t)(x) * (uint64_t)(y)))

static int interp(struct bt_ctx *ctx, uint32_t func)
{
	const struct bt_prog *prog = ctx->prog;
	struct bt_session *sess = ctx->sess;
	const uint32_t slen = ctx->slen;
	struct bt_frame *fp;
	const struct bt_insn *code, *in;
	int64_t *r;
	char *s;
	int64_t budget = ctx->budget;
	int nopc = 0, uncatchable = 0, rc;
	const char *msg = NULL;

#define SR(i)	(s + (size_t)(i) * slen)
#define RA	r[in->a]
#define RB	r[in->b]
#define RC	r[in->c]
#define EXT	(in + 1)
#define LOAD_FRAME() do { code = fp->code; r = fp->r; s = fp->s; } while (0)
#define RAISE(m) do { msg = (m); goto raise; } while (0)
#define RAISE_SET() do { msg = NULL; goto raise; } while (0)
#define MV(i)	(&sess->mvars[(i)])
#define MAP0(i)	(&sess->mvars[(i)].inst[0])
#define KEYS	&r[in->c], SR(EXT->a)
/* Charge n work units (bt_vm.h); over time ends the handler. */
#define WORK(n) do {							\
	if (bt_unlikely(charge(ctx, (n))))				\
		goto overtime;						\
} while (0)
/*
 * RA = RB op RC for / and %: by 0 is an error, and by -1 gives by_m1,
 * because INT64_MIN / -1 overflows: undefined in C, a trap on x86.
 */
#define DIVIDE(op, by_m1) do {						\
	int64_t y = RC;							\
									\
	if (bt_unlikely(y == 0))					\
		RAISE("division by 0");					\
	RA = y == -1 ? (by_m1) : RB op y;				\
	in++;								\
	NEXT();								\
} while (0)
/* int-valued map m's entry for KEYS, made if new; NULL: the map is full */
#define INSERT_INT(m)							\
	(bt_map_is_i1(m) ? bt_map_insert1((m), RC) :			\
			   bt_map_insert((m), KEYS, NULL))
/* every instance of a map variable: its one, or per cpu and the aggregate */
#define FOR_EACH_INST(m, mv)						\
	for ((m) = (mv)->inst; (m) < (mv)->inst + (mv)->ninst; (m)++)
/*
 * m = what a read of the whole of map in->b sees: its one instance, or
 * for a stats map the aggregate of the per-cpu ones, merged now.
 */
#define WHOLE_MAP(m) do {						\
	(m) = MAP0(in->b);						\
	if (MV(in->b)->stats) {						\
		rc = build_agg(ctx, in->b);				\
		if (rc == -2)						\
			goto overtime;					\
		if (rc)							\
			RAISE_SET();					\
		(m) = &MV(in->b)->inst[sess->ncpus];			\
	}								\
} while (0)
/*
 * Return to the caller's frame, closing the trys this frame left open;
 * a return from the handler's own frame ends the run.
 */
#define POP_FRAME() do {						\
	if (!ctx->depth)						\
		goto done;						\
	while (ctx->ntry && ctx->tries[ctx->ntry - 1].depth >= ctx->depth) \
		ctx->ntry--;						\
	ctx->depth--;							\
	ctx->fp = fp = fp->prev;					\
	LOAD_FRAME();							\
} while (0)
/* An insert found no room: "Array overflow, check ..." for map in->b. */
#define IF_FULL_RAISE(e) do {						\
	if (bt_unlikely(!(e))) {					\
		overflow(ctx, &prog->maps[in->b]);			\
		RAISE_SET();						\
	}								\
} while (0)

#if defined(__GNUC__)
	static const void *const labels[BT_OP__COUNT] __annotate_jump_table = {
#define BT_LABEL(name, a, b, c, e, ea, eb, ec) [BT_OP_##name] = &&L_##name,
		BT_OPCODES(BT_LABEL)
#undef BT_LABEL
	};
#define CASE(name)	L_##name:
#define NEXT()		goto *labels[in->op]
#define DISPATCH()	NEXT()
#else
#define CASE(name)	case BT_OP_##name:
#define NEXT()		goto dispatch
#define DISPATCH()	goto dispatch
#endif

	fp = push_frame(ctx, NULL, func);
	ctx->fp = fp;
	LOAD_FRAME();
	in = code;
	DISPATCH();

#if !defined(__GNUC__)
dispatch:
	switch (in->op) {
#endif
	CASE(NOP)
		in++;
		NEXT();
	CASE(EXT)
		/* the verifier never lets a jump land here */
		uncatchable = 1;
		RAISE("internal error: executed an EXT word");
	CASE(ACT) {
		int64_t left = budget - (int64_t)BT_IMM(in);

		if (left < 0 || ((in->x & BT_ACT_LE0) && left == 0))
			goto maxaction;
		if (!(in->x & BT_ACT_CHECK))
			budget = left;
		in++;
		NEXT();
	}
	CASE(JMP)
		/* I3: this frame has that many open */
		VM_ASSERT(in->x <= ctx->ntry &&
			  (!in->x || ctx->tries[ctx->ntry - in->x].depth == ctx->depth));
		ctx->ntry -= in->x;
		in = code + in->a;
		NEXT();
	CASE(JZ)
		in = RA == 0 ? code + in->b : in + 1;
		NEXT();
	CASE(JNZ)
		in = RA != 0 ? code + in->b : in + 1;
		NEXT();
	CASE(JCMP)
		in = cmp(in->x, RA, RB) ? code + in->c : in + 1;
		NEXT();
	CASE(LOOP)
		budget -= in->b;
		if (budget < 0 || ((in->x & BT_ACT_LE0) && budget == 0))
			goto maxaction;
		WORK((uint32_t)(in - code) - in->a + 1);	/* verified: a <= pc */
		in = code + in->a;
		NEXT();
	CASE(CALL) {
		struct bt_frame *nf;
		const struct bt_func_decl *g = &prog->funcs[in->a];
		uint32_t j;

		if (--budget < 0)
			goto maxaction;
		if (ctx->depth >= sess->lim.maxnesting)
			RAISE("MAXNESTING exceeded");
		WORK(g->code_len);
		nf = push_frame(ctx, fp, in->a);
		for (j = 0; j < g->nparam_i; j++)
			nf->r[j] = r[in->b + j];
		for (j = 0; j < g->nparam_s; j++)
			bt_strlcpy(nf->s + (size_t)j * slen, SR(in->c + j), slen);
		fp->ret_pc = (uint32_t)(in - code) + 1;
		fp->ret_b = in->b;
		fp->ret_c = in->c;
		ctx->depth++;
		ctx->fp = fp = nf;
		LOAD_FRAME();
		in = code;
		NEXT();
	}
	CASE(CALLB)
		WORK(1 + (slen >> 6));	/* string builtins touch up to slen bytes */
		ctx->budget = budget;
		rc = bt_builtin_call(ctx, in->a, r, s, in->b, in->c);
		if (bt_unlikely(rc)) {
			if (rc == -2)
				goto aborted;
			RAISE_SET();
		}
		in++;
		NEXT();
	CASE(RET) {
		const struct bt_func_decl *f = fp->f;

		POP_FRAME();
		if (f->ret_kind == BT_KIND_INT)
			r[fp->ret_b] = 0;
		else if (f->ret_kind == BT_KIND_STR)
			SR(fp->ret_c)[0] = 0;
		in = code + fp->ret_pc;
		NEXT();
	}
	CASE(RETI) {
		int64_t v = RA;

		POP_FRAME();
		r[fp->ret_b] = v;
		in = code + fp->ret_pc;
		NEXT();
	}
	CASE(RETS) {
		const char *v = SR(in->a);

		POP_FRAME();
		bt_strlcpy(SR(fp->ret_c), v, slen);	/* callee is above: no overlap */
		in = code + fp->ret_pc;
		NEXT();
	}
	CASE(NEXT)
		goto done;
	CASE(ERROR)
		nopc = in->x == 0;
		bt_strlcpy(ctx->errmsg, SR(in->a), slen);
		RAISE_SET();
	CASE(EXIT)
		bt_host_exit(ctx);
		in++;
		NEXT();
	CASE(TRY)
		if (bt_unlikely(ctx->ntry >= ctx->maxtry)) {
			uncatchable = 1;
			RAISE("internal error: try stack overflow");
		}
		ctx->tries[ctx->ntry].depth = ctx->depth;
		ctx->tries[ctx->ntry].catch_pc = in->a;
		ctx->ntry++;
		in++;
		NEXT();
	CASE(TRYEND)
		VM_ASSERT(ctx->ntry && ctx->tries[ctx->ntry - 1].depth == ctx->depth);
		if (bt_unlikely(!ctx->ntry || ctx->tries[ctx->ntry - 1].depth != ctx->depth)) {
			uncatchable = 1;
			RAISE("internal error: TRYEND without TRY");
		}
		ctx->ntry--;
		in++;
		NEXT();
	CASE(CATCHMSG)
		bt_strlcpy(SR(in->a), ctx->errmsg, slen);
		in++;
		NEXT();

	CASE(LDI)
		RA = BT_IMM(in);
		in++;
		NEXT();
	CASE(LDK)
		RA = prog->consts[in->b];
		in++;
		NEXT();
	CASE(MOV)
		RA = RB;
		in++;
		NEXT();
	CASE(ADD)
		RA = WADD(RB, RC);
		in++;
		NEXT();
	CASE(SUB)
		RA = WSUB(RB, RC);
		in++;
		NEXT();
	CASE(MUL)
		RA = WMUL(RB, RC);
		in++;
		NEXT();
	CASE(DIV)
		DIVIDE(/, WSUB(0, RB));
	CASE(MOD)
		DIVIDE(%, 0);
	CASE(AND)
		RA = RB & RC;
		in++;
		NEXT();
	CASE(OR)
		RA = RB | RC;
		in++;
		NEXT();
	CASE(XOR)
		RA = RB ^ RC;
		in++;
		NEXT();
	CASE(SHL)
		RA = (int64_t)((uint64_t)RB << (RC & 63));
		in++;
		NEXT();
	CASE(SHR)
		RA = RB >> (RC & 63);	/* GCC: arithmetic */
		in++;
		NEXT();
	CASE(USHR)
		RA = (int64_t)((uint64_t)RB >> (RC & 63));
		in++;
		NEXT();
	CASE(ADDI)
		RA = WADD(RB, (int16_t)in->c);
		in++;
		NEXT();
	CASE(NEG)
		RA = WSUB(0, RB);
		in++;
		NEXT();
	CASE(NOT)
		RA = ~RB;
		in++;
		NEXT();
	CASE(LNOT)
		RA = !RB;
		in++;
		NEXT();
	CASE(CMP)
		RA = cmp(in->x, RB, RC);
		in++;
		NEXT();

	CASE(SLDK)
		bt_strlcpy(SR(in->a), bt_prog_str(prog, prog->strconsts[in->b]), slen);
		in++;
		NEXT();
	CASE(SMOV)
		bt_strlcpy(SR(in->a), SR(in->b), slen);
		in++;
		NEXT();
	CASE(SCAT) {
		char *d = SR(in->a);
		const char *x = SR(in->b), *y = SR(in->c);
		size_t lx = bt_strnlen(x, slen - 1), ly = bt_strnlen(y, slen - 1);
		size_t ny = lx + ly > slen - 1 ? slen - 1 - lx : ly;

		/* y first: when d is y, its bytes move right before x lands */
		bt_memmove(d + lx, y, ny);
		if (d != x)
			bt_memmove(d, x, lx);
		d[lx + ny] = 0;
		in++;
		NEXT();
	}
	CASE(SCMP)
		RA = cmp(in->x, bt_strcmp(SR(in->b), SR(in->c)), 0);
		in++;
		NEXT();
	CASE(MATCH) {
		int64_t m = do_match(ctx, SR(in->b), in->c);

		if (bt_unlikely(m < 0))
			goto overtime;
		RA = m ^ in->x;
		in++;
		NEXT();
	}

	CASE(GLD)
		RA = sess->gint[in->b];
		in++;
		NEXT();
	CASE(GST)
		sess->gint[in->a] = RB;
		in++;
		NEXT();
	CASE(GSLD)
		bt_strlcpy(SR(in->a), sess->gstr + (size_t)in->b * slen, slen);
		in++;
		NEXT();
	CASE(GSST)
		bt_strlcpy(sess->gstr + (size_t)in->a * slen, SR(in->b), slen);
		in++;
		NEXT();

	CASE(MGET) {
		struct bt_map *m = MAP0(in->b);

		if (bt_map_is_i1(m)) {
			RA = bt_map_get1(m, RC);
		} else {
			struct bt_ment *e = bt_map_find(m, KEYS);

			RA = e ? *(int64_t *)bt_ment_val(m, e) : 0;
		}
		WORK(map_cost(m));
		in += 2;
		NEXT();
	}
	CASE(MGETS) {
		struct bt_map *m = MAP0(in->b);
		struct bt_ment *e = bt_map_find(m, KEYS);

		if (e)
			bt_strlcpy(SR(in->a), bt_ment_val(m, e), slen);
		else
			SR(in->a)[0] = 0;
		WORK(map_cost(m));
		in += 2;
		NEXT();
	}
	CASE(MSET) {
		struct bt_map *m = MAP0(in->b);
		struct bt_ment *e = INSERT_INT(m);

		WORK(map_cost(m));
		IF_FULL_RAISE(e);
		*(int64_t *)bt_ment_val(m, e) = RA;
		in += 2;
		NEXT();
	}
	CASE(MSETS) {
		struct bt_map *m = MAP0(in->b);
		struct bt_ment *e = bt_map_insert(m, KEYS, NULL);

		WORK(map_cost(m));
		IF_FULL_RAISE(e);
		bt_strlcpy(bt_ment_val(m, e), SR(in->a), slen);
		in += 2;
		NEXT();
	}
	CASE(MADD) {
		struct bt_map *m = MAP0(in->b);
		struct bt_ment *e = INSERT_INT(m);
		int64_t *v;

		WORK(map_cost(m));
		IF_FULL_RAISE(e);
		v = bt_ment_val(m, e);
		*v = WADD(*v, RA);
		RA = *v;
		in += 2;
		NEXT();
	}
	CASE(MDEL) {
		struct bt_map *m;

		FOR_EACH_INST(m, MV(in->b)) {
			bt_map_delete(m, KEYS);
			WORK(map_cost(m));
		}
		in += 2;
		NEXT();
	}
	CASE(MIN) {
		struct bt_mvar *mv = MV(in->b);

		RA = mv->stats ? stats_has(ctx, mv, KEYS) :
		     bt_map_find(&mv->inst[0], KEYS) != NULL;
		WORK((uint64_t)(mv->stats ? sess->ncpus : 1) * map_cost(&mv->inst[0]));
		in += 2;
		NEXT();
	}
	CASE(MSTAT) {
		struct bt_mvar *mv = MV(in->b);
		struct bt_map *m = &mv->inst[ctx->cpu];
		struct bt_ment *e = m->nkeys == 0 ?
				    (bt_map_first(m) ? bt_map_ent(m, bt_map_first(m)) : NULL) :
				    bt_map_is_i1(m) ? bt_map_hit1(m, RC) : NULL;

		if (!e)
			e = bt_map_insert(m, KEYS, NULL);

		WORK(map_cost(m));
		IF_FULL_RAISE(e);
		bt_stat_add(&mv->shape, bt_ment_val(m, e), RA);
		in += 2;
		NEXT();
	}
	CASE(MAGG) {
		struct bt_stat_shape sh;
		struct bt_stat *st = merged(ctx, MV(in->b), KEYS, 0, &sh);

		WORK((uint64_t)sess->ncpus * map_cost(MAP0(in->b)));
		if (bt_stat_extract(&sh, st, EXT->b, &RA) < 0)
			RAISE(msg_empty);
		in += 2;
		NEXT();
	}
	CASE(MHIST) {
		struct bt_stat_shape sh;
		struct bt_stat *st = merged(ctx, MV(in->b), KEYS, 1, &sh);
		int64_t b = RA;

		WORK((uint64_t)sess->ncpus * map_cost(MAP0(in->b)));
		if (!st->count)
			RAISE(msg_empty);
		if (b < 0 || b >= (int64_t)sh.nbuckets)
			RAISE("histogram index out of range");
		RA = st->hist[b];
		in += 2;
		NEXT();
	}
	CASE(MCLEAR) {
		struct bt_map *m;

		FOR_EACH_INST(m, MV(in->b)) {
			/* a clear visits every entry; a saturated one all maxd */
			WORK(1 + m->count / 4 + (m->sat ? m->nslots / 64 : 0));
			bt_map_clear(m);
		}
		in++;
		NEXT();
	}
	CASE(MCOUNT) {
		struct bt_map *m;

		WHOLE_MAP(m);
		RA = m->count;
		in++;
		NEXT();
	}

	CASE(ITINIT) {
		struct bt_iter *it = &fp->it[in->a];
		struct bt_map *m;

		WHOLE_MAP(m);
		if (in->x != BT_SORT_NONE &&
		    bt_map_sort(m, EXT->a, in->x == BT_SORT_DESC, EXT->b,
				sort_pass, ctx))
			goto overtime;
		it->m = m;
		it->cur = 0;
		it->nxt = bt_map_first(m);
		in += 2;
		NEXT();
	}
	CASE(ITNEXT) {
		struct bt_iter *it = &fp->it[in->a];

		VM_ASSERT(it->m);	/* I4 */
		it->cur = it->nxt;
		if (!it->m || !it->cur) {
			in = code + in->b;
			NEXT();
		}
		it->nxt = bt_map_next(it->m, it->cur);
		in++;
		NEXT();
	}
	CASE(ITKEY) {
		struct bt_iter *it = &fp->it[in->b];

		RA = it->m && bt_map_valid(it->m, it->cur) ?
		     bt_map_key_int(it->m, bt_map_ent(it->m, it->cur), in->c) : 0;
		in++;
		NEXT();
	}
	CASE(ITKEYS) {
		struct bt_iter *it = &fp->it[in->b];

		bt_strlcpy(SR(in->a), it->m && bt_map_valid(it->m, it->cur) ?
			   bt_map_key_str(it->m, bt_map_ent(it->m, it->cur), in->c) : "",
			   slen);
		in++;
		NEXT();
	}
	CASE(ITVAL) {
		struct bt_iter *it = &fp->it[in->b];

		RA = it->m && bt_map_valid(it->m, it->cur) &&
		     it->m->vkind == BT_KIND_INT ?
		     *(int64_t *)bt_ment_val(it->m, bt_map_ent(it->m, it->cur)) : 0;
		in++;
		NEXT();
	}
	CASE(ITVALS) {
		struct bt_iter *it = &fp->it[in->b];

		bt_strlcpy(SR(in->a), it->m && bt_map_valid(it->m, it->cur) &&
			   it->m->vkind == BT_KIND_STR ?
			   (const char *)bt_ment_val(it->m, bt_map_ent(it->m, it->cur)) : "",
			   slen);
		in++;
		NEXT();
	}

	CASE(PRINTF)
		WORK(1 + (slen >> 4));	/* its %s arguments, formatted */
		if (do_printf(ctx, in->a, &r[in->b], SR(in->c)) < 0)
			RAISE_SET();
		in++;
		NEXT();
	CASE(SPRINTF)
		WORK(1 + (slen >> 4));
		if (do_sprintf(ctx, in->a, &r[in->b], SR(in->c), SR(EXT->a)) < 0)
			RAISE_SET();
		in += 2;
		NEXT();
	CASE(PRINTHIST)
		if (emit_hist(ctx, in->b, KEYS, in->x) < 0)
			RAISE_SET();
		in += 2;
		NEXT();
#if !defined(__GNUC__)
	default:
		uncatchable = 1;
		RAISE("internal error: bad opcode");
	}
#endif

maxaction:
	msg = msg_maxaction;
	uncatchable = 1;
	goto raise;
overtime:
	msg = NULL;		/* the host's bt_ctx_fail() text */
	uncatchable = 1;
raise:
	if (msg)
		bt_strlcpy(ctx->errmsg, msg, ctx->errcap);
	ctx->err_set = 0;
	ctx->errpc = nopc ? BT_REC_NOPC : fp->f->code_off + (uint32_t)(in - code);
	VM_ASSERT(ctx->ntry <= ctx->maxtry);	/* I3 */
	if (!uncatchable && ctx->ntry) {
		struct bt_tryent *t = &ctx->tries[--ctx->ntry];

		while (ctx->depth > t->depth) {
			fp = fp->prev;
			ctx->depth--;
		}
		ctx->fp = fp;
		LOAD_FRAME();
		in = code + t->catch_pc;
		nopc = 0;
		DISPATCH();
	}
	ctx->budget = budget;
	bt_vm_emit_text(ctx, BT_REC_ERROR, ctx->errpc, ctx->errmsg);
	return BT_RUN_ERROR;
aborted:
	ctx->budget = budget;
	return BT_RUN_ABORT;
done:
	ctx->budget = budget;
	return BT_RUN_OK;
#undef SR
#undef RA
#undef RB
#undef RC
#undef EXT
#undef KEYS
}

int bt_run_func(struct bt_ctx *ctx, uint32_t func)
{
	const struct bt_prog *prog = ctx->prog;

	if (func >= prog->nfuncs || prog->funcs[func].nparam_i ||
	    prog->funcs[func].nparam_s)
		return BT_RUN_BADPROBE;
	ctx->budget = prog->limits.maxaction;
	ctx->work = BT_WORK_QUANTUM;
	ctx->quanta = 0;
	ctx->depth = 0;
	ctx->ntry = 0;
	ctx->err_set = 0;
	ctx->errpc = BT_REC_NOPC;
	ctx->errmsg[0] = 0;
	return interp(ctx, func);
}

int bt_run_probe(struct bt_ctx *ctx, uint32_t probe)
{
	if (probe >= ctx->prog->nprobes)
		return BT_RUN_BADPROBE;
	ctx->probe = probe;
	return bt_run_func(ctx, ctx->prog->probes[probe].handler);
}
