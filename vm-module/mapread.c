// SPDX-License-Identifier: GPL-2.0
/*
 * mapread.c - MAP_READ: a map's or a global statistic's entries, merged
 * across CPUs, copied out in the entry format of bt_ioctl.h.  Process
 * context, under the session's mutex, while no handler runs.
 */
#include <linux/delay.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "bytetap.h"
#include "bt_map.h"
#include "bt_record.h"

struct mr {
	u8 *buf;		/* one entry being built */
	size_t cap, len;
	char __user *out;
	u32 out_cap, used, count, total;
	bool full;
};

static void mr_put(struct mr *m, const void *p, size_t n)
{
	if (m->len + n <= m->cap)
		memcpy(m->buf + m->len, p, n);
	m->len += n;
}

static void mr_str(struct mr *m, const char *str, size_t max)
{
	u16 n = strnlen(str, max);

	mr_put(m, &n, 2);
	mr_put(m, str, n);
}

static int mr_flush(struct mr *m)
{
	struct bt_mapread_ent *e = (struct bt_mapread_ent *)m->buf;
	size_t len = ALIGN(m->len, 8);

	m->total++;
	if (m->full || len > m->cap || m->used + len > m->out_cap) {
		m->full = true;
		return 0;
	}
	memset(m->buf + m->len, 0, len - m->len);
	e->len = len;
	if (copy_to_user(m->out + m->used, m->buf, len))
		return -EFAULT;
	m->used += len;
	m->count++;
	return 0;
}

static void mr_begin(struct mr *m, u16 nik, u16 nsk, u8 kind)
{
	struct bt_mapread_ent e = { .nik = nik, .nsk = nsk, .val_kind = kind };

	m->len = 0;
	mr_put(m, &e, sizeof(e));
}

static void mr_stat(struct mr *m, const struct bt_stat_shape *sh,
		    const struct bt_stat *st)
{
	struct bt_mapread_stat o = {
		.count = st->count, .sum = st->sum, .min = st->min, .max = st->max,
		.avg_s = st->avg_s, .m2 = st->m2, .variance_s = st->variance_s,
		.nbuckets = sh->nbuckets,
	};

	mr_put(m, &o, sizeof(o));
	mr_put(m, st->hist, (size_t)sh->nbuckets * 8);
}

/* One map entry's keys; the value follows. */
static void mr_keys(struct mr *m, const struct bt_map *map, struct bt_ment *e)
{
	u32 j;

	mr_put(m, bt_ment_ik(map, e), (size_t)map->nik * 8);
	for (j = 0; j < map->nsk; j++)
		mr_str(m, bt_ment_sk(map, e, j), map->slen);
}

static int read_stats(struct btk_sess *s, struct mr *m, struct bt_mvar *mv)
{
	const struct bt_stat_shape *sh = &mv->shape;
	struct bt_stat *acc = kvzalloc(sh->size, BTK_GFP);
	u32 c, d, n = s->vm->ncpus;	/* every CPU's partial and the process slot's */
	int rc = 0;

	if (!acc)
		return -ENOMEM;
	for (c = 0; c < n && !rc; c++) {
		struct bt_map *map = &mv->inst[c];
		u32 i = bt_map_first(map), guard = map->cap;

		for (; i && guard-- && !rc; i = bt_map_next(map, i)) {
			struct bt_ment *e = bt_map_ent(map, i);
			const int64_t *ik = bt_ment_ik(map, e);
			const char *sk = bt_ment_sk(map, e, 0);
			bool seen = false;
			s64 vacc[2];

			for (d = 0; d < c && !seen; d++)
				seen = bt_map_find(&mv->inst[d], ik, sk) != NULL;
			if (seen)
				continue;
			if (map->nkeys == 0) {
				bt_stat_scalar_begin(sh, acc, vacc);
				for (d = c; d < n; d++) {
					struct bt_ment *f = bt_map_find(&mv->inst[d], ik, sk);

					if (f)
						bt_stat_scalar_add(sh, acc, bt_ment_val(&mv->inst[d], f));
				}
				bt_stat_scalar_mid(sh, acc);
				for (d = c; d < n && sh->variance; d++) {
					struct bt_ment *f = bt_map_find(&mv->inst[d], ik, sk);

					if (f)
						bt_stat_scalar_var(sh, acc,
								   bt_ment_val(&mv->inst[d], f), vacc);
				}
				bt_stat_scalar_end(sh, acc, vacc);
			} else {
				bt_stat_clear(sh, acc);
				for (d = c; d < n; d++) {
					struct bt_ment *f = bt_map_find(&mv->inst[d], ik, sk);

					if (f)
						bt_stat_merge_elem(sh, acc, bt_ment_val(&mv->inst[d], f));
				}
			}
			mr_begin(m, map->nik, map->nsk, BT_KIND_STATS);
			mr_keys(m, map, e);
			mr_stat(m, sh, acc);
			rc = mr_flush(m);
			cond_resched();
		}
	}
	kvfree(acc);
	return rc;
}

static int read_map(struct btk_sess *s, struct mr *m, u32 index)
{
	struct bt_mvar *mv = &s->vm->mvars[index];
	struct bt_map *map = &mv->inst[0];
	u32 i, guard;
	int rc = 0;

	if (mv->stats)
		return read_stats(s, m, mv);
	i = bt_map_first(map);
	guard = map->cap;
	for (; i && guard-- && !rc; i = bt_map_next(map, i)) {
		struct bt_ment *e = bt_map_ent(map, i);

		mr_begin(m, map->nik, map->nsk, map->vkind);
		mr_keys(m, map, e);
		if (map->vkind == BT_KIND_INT)
			mr_put(m, bt_ment_val(map, e), 8);
		else
			mr_str(m, bt_ment_val(map, e), map->slen);
		rc = mr_flush(m);
		cond_resched();
	}
	return rc;
}

int btk_ioc_map_read(struct btk_sess *s, struct bt_ioc_map_read *arg)
{
	struct mr m = { 0 };
	atomic_t *lock;
	bool write = false;
	int rc, tries;

	if (arg->flags)
		return -EINVAL;
	if (s->state == BT_STATE_OPEN)
		return -EBUSY;
	if (arg->space == BT_MAPREAD_GLOBAL && arg->index < s->prog.nglobals) {
		lock = &s->glocks[arg->index];
	} else if (arg->space == BT_MAPREAD_MAP && arg->index < s->prog.nmaps) {
		lock = &s->mlocks[arg->index];
		/* handlers add to statistics under the shared lock */
		write = s->vm->mvars[arg->index].stats;
	} else {
		return -EINVAL;
	}
	m.cap = sizeof(struct bt_mapread_ent) + BT_MAX_KEYS * (8 + 2 + s->vm->slen) +
		2 + s->vm->slen + sizeof(struct bt_mapread_stat) +
		s->vm->max_stat_size + 16;
	m.buf = kvmalloc(m.cap, BTK_GFP);
	if (!m.buf)
		return -ENOMEM;
	m.out = u64_to_user_ptr(arg->buf);
	m.out_cap = arg->buf_len;
	for (tries = 0; !btk_trylock(lock, write); tries++) {
		if (tries > 1000 || fatal_signal_pending(current)) {
			kvfree(m.buf);
			return -EBUSY;
		}
		usleep_range(500, 1000);
	}
	if (arg->space == BT_MAPREAD_GLOBAL) {
		const struct bt_global_decl *g = &s->prog.globals[arg->index];

		mr_begin(&m, 0, 0, g->kind);
		if (g->kind == BT_KIND_INT) {
			s64 v = bt_session_global_int(s->vm, arg->index);

			mr_put(&m, &v, 8);
		} else {
			mr_str(&m, bt_session_global_str(s->vm, arg->index), s->vm->slen);
		}
		rc = mr_flush(&m);
	} else {
		rc = read_map(s, &m, arg->index);
	}
	btk_unlock(lock, write);
	kvfree(m.buf);
	arg->count = m.count;
	arg->total = m.total;
	arg->len = m.used;
	if (!rc && m.full)
		rc = -ENOSPC;
	return rc;
}
