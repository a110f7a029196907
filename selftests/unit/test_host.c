/*
 * test_host.c - the unit tests' host (test_host.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test_host.h"
#include "bt_host.h"
#include "bt_record.h"
#include "bt_builtin.h"
#include "hist_render.h"

uint8_t *th_buf;
size_t th_len, th_cap;
int th_exit_calls;
int th_reserve_fail;

void th_reset(void)
{
	th_len = 0;
	th_exit_calls = 0;
	th_reserve_fail = 0;
	th_overtime_checks = 0;
}

void *bt_host_out_reserve(struct bt_ctx *ctx, uint32_t len)
{
	void *p;

	(void)ctx;
	if (th_reserve_fail || len % 8)
		return NULL;
	if (th_len + len > th_cap) {
		th_cap = (th_len + len) * 2 + 4096;
		th_buf = realloc(th_buf, th_cap);
	}
	p = th_buf + th_len;
	memset(p, 0xa5, len);	/* the VM must fill every byte it commits */
	th_len += len;
	return p;
}

void bt_host_out_commit(struct bt_ctx *ctx, void *rec)
{
	(void)ctx;
	(void)rec;
}

int bt_host_builtin(struct bt_ctx *ctx, unsigned int id, const int64_t *iargs,
		    const char *const *sargs, int64_t *iret, char *sret,
		    uint32_t sret_cap)
{
	(void)sargs;
	switch (id) {
	case BT_B_PID:
		*iret = 4242;
		return 0;
	case BT_B_TID:
		*iret = 4243;
		return 0;
	case BT_B_CPU:
		*iret = ctx->cpu;
		return 0;
	case BT_B_EXECNAME:
		snprintf(sret, sret_cap, "testprog");
		return 0;
	case BT_B_KERNEL_STRING:
	case BT_B_KERNEL_STRING_N:
		bt_ctx_failf(ctx, "kernel string copy fault at 0x%llx [man error::fault]",
			     (unsigned long long)iargs[0]);
		return -1;
	default:
		*iret = 0;
		if (sret_cap)
			sret[0] = 0;
		return 0;
	}
}

int bt_host_read_kernel(struct bt_ctx *ctx, void *dst, uint64_t addr, uint32_t len)
{
	/* tests: addresses below 4096 are "readable" and read as their value */
	uint32_t i;

	if (addr + len > 4096) {
		bt_ctx_failf(ctx, "kernel memory read fault at 0x%llx",
			     (unsigned long long)addr);
		return -1;
	}
	for (i = 0; i < len; i++)
		((uint8_t *)dst)[i] = (uint8_t)(addr + i);
	return 0;
}

void bt_host_exit(struct bt_ctx *ctx)
{
	(void)ctx;
	th_exit_calls++;
}

/* th_overtime_after: fail the hit at the Nth time check (0: never). */
int th_overtime_after;
int th_overtime_checks;

int bt_host_overtime(struct bt_ctx *ctx)
{
	th_overtime_checks++;
	if (th_overtime_after && th_overtime_checks >= th_overtime_after) {
		bt_ctx_fail(ctx, "test host: time limit");
		return 1;
	}
	return 0;
}

/* --- programs ----------------------------------------------------------- */

int th_load_blob(struct th *t, const void *blob, size_t size)
{
	memset(&t->diag, 0, sizeof(t->diag));
	free(t->blob);
	t->blob = aligned_alloc(8, (size + 7) & ~(size_t)7);
	memcpy(t->blob, blob, size);
	t->size = size;
	if (bt_load(&t->prog, t->blob, (uint32_t)size, &t->diag))
		return -1;
	if (bt_verify(&t->prog, &t->diag)) {
		if (getenv("TH_DEBUG"))
			fprintf(stderr, "th: %s\n", t->diag.msg);
		return -1;
	}
	return 0;
}

int th_build(struct th *t, struct progbuild *pb)
{
	void *blob;
	size_t size;
	int rc;

	/* hand-built programs declare no locks: give them what the code needs */
	pb_derive_locks(pb);
	if (pb_serialize(pb, &blob, &size)) {
		pb_free(pb);
		snprintf(t->diag.msg, sizeof(t->diag.msg), "pb_serialize failed");
		return -1;
	}
	pb_free(pb);
	rc = th_load_blob(t, blob, size);
	free(blob);
	return rc;
}

int th_start(struct th *t, unsigned int ncpus)
{
	size_t ss = bt_session_size(&t->prog, ncpus), cs = bt_ctx_size(&t->prog);
	unsigned int i;

	if (!ss)
		return -1;
	t->ncpus = ncpus;
	t->sess = aligned_alloc(64, (ss + 63) & ~(size_t)63);
	memset(t->sess, 0, ss);
	if (bt_session_init(t->sess, ss, &t->prog, ncpus))
		return -1;
	t->ctx = calloc(ncpus, sizeof(*t->ctx));
	for (i = 0; i < ncpus; i++) {
		t->ctx[i] = aligned_alloc(64, (cs + 63) & ~(size_t)63);
		memset(t->ctx[i], 0, cs);
		if (bt_ctx_init(t->ctx[i], cs, t->sess, i, NULL))
			return -1;
	}
	th_reset();
	return 0;
}

void th_free(struct th *t)
{
	unsigned int i;

	for (i = 0; t->ctx && i < t->ncpus; i++)
		free(t->ctx[i]);
	free(t->ctx);
	free(t->sess);
	free(t->blob);
	memset(t, 0, offsetof(struct th, out));
}

static const char *loc_of(const struct bt_prog *p, uint32_t pc)
{
	const char *best = NULL;
	uint32_t i;

	for (i = 0; i < p->nlocs && p->locs[i].pc <= pc; i++)
		best = bt_prog_str(p, p->locs[i].text);
	return best;
}

void th_text(struct th *t)
{
	size_t off = 0, o = 0, cap = sizeof(t->out);
	const struct bt_prog *p = &t->prog;

	t->out[0] = 0;
	while (off + sizeof(struct bt_rec) <= th_len) {
		struct bt_rec rec;
		const uint8_t *pl;

		memcpy(&rec, th_buf + off, sizeof(rec));
		if (rec.len < sizeof(rec) || off + rec.len > th_len)
			break;
		pl = th_buf + off + sizeof(rec);
		if (rec.type == BT_REC_PRINTF) {
			const struct bt_fmtinfo *fi = &t->sess->fmts[rec.arg];
			struct bt_fmt_arg args[BT_MAX_FMT_ARGS];
			uint32_t k;

			for (k = 0; k < fi->nkinds; k++) {
				memset(&args[k], 0, sizeof(args[k]));
				if (fi->kinds[k] == BT_FMT_ARG_INT) {
					args[k].kind = BT_FMT_ARG_INT;
					memcpy(&args[k].i, pl, 8);
					pl += 8;
				} else {
					uint16_t n;

					memcpy(&n, pl, 2);
					args[k].kind = BT_FMT_ARG_STR;
					args[k].s = (const char *)pl + 2;
					args[k].len = n;
					pl += 2 + n;
				}
			}
			if (o < cap) {
				int64_t n = bt_fmt_render(fi->text, fi->comps, fi->ncomps,
							  args, fi->nkinds, t->out + o,
							  cap - o - 1, BT_FMT_STREAM, NULL);
				if (n > 0)
					o += (size_t)n;
			}
		} else if (rec.type == BT_REC_HIST) {
			const struct bt_map_decl *d = &p->maps[rec.arg];
			uint32_t nb, nl;
			int64_t counts[BT_HIST_MAX_BUCKETS];
			int64_t n;

			memcpy(&nb, pl, 4);
			memcpy(&nl, pl + 4, 4);
			memcpy(counts, pl + 8, (size_t)nb * 8);
			n = bt_hist_render(d->hist_kind, counts, (int)nb,
					   (int32_t)d->hist_start, (int32_t)d->hist_interval,
					   p->limits.hist_elision, t->out + o, cap - o, NULL);
			if (n > 0)
				o += (size_t)n;
			while (nl-- && o + 1 < cap)
				t->out[o++] = '\n';
		} else if (rec.type == BT_REC_ERROR) {
			const char *loc = rec.arg == BT_REC_NOPC ? NULL : loc_of(p, rec.arg);

			o += snprintf(t->out + o, cap - o, loc ? "ERROR: %s near %s\n" :
				      "ERROR: %s\n", (const char *)pl, loc);
		} else if (rec.type == BT_REC_WARN) {
			o += snprintf(t->out + o, cap - o, "WARNING: %s\n", (const char *)pl);
		}
		if (o >= cap)
			o = cap - 1;
		t->out[o] = 0;
		off += rec.len;
	}
	th_len = 0;
}

int th_run(struct th *t, unsigned int cpu, uint32_t probe)
{
	int rc;

	th_len = 0;
	rc = bt_run_probe(t->ctx[cpu], probe);
	th_text(t);
	return rc;
}

uint32_t th_probe(struct progbuild *pb, uint32_t func, const char *point)
{
	struct bt_probe_decl d = { 0 };

	d.kind = BT_PROBE_BEGIN;
	d.handler = func;
	return pb_probe(pb, &d, point, NULL, NULL, 0);
}

uint32_t th_emit_map(struct progbuild *pb, unsigned int op, unsigned int x,
		     unsigned int a, unsigned int m, unsigned int kb,
		     unsigned int ks, unsigned int eb, unsigned int ec)
{
	uint32_t pc = pb_emit(pb, op, x, a, m, kb);

	pb_emit(pb, BT_OP_EXT, 0, ks, eb, ec);
	return pc;
}
