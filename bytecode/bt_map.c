// SPDX-License-Identifier: GPL-2.0
/*
 * bt_map.c - fixed-capacity hash tables with insertion order (bt_map.h).
 */
#include "bt_map.h"
#include "bt_util.h"

#define GOLDEN	0x9e3779b97f4a7c15ull

static uint32_t value_size(const struct bt_map_decl *decl, uint32_t slen,
			   uint32_t stat_size)
{
	switch (decl->val_kind) {
	case BT_KIND_INT:
		return 8;
	case BT_KIND_STR:
		return (uint32_t)BT_ALIGN8(slen);
	default:
		return (uint32_t)BT_ALIGN8(stat_size);
	}
}

static void count_keys(const struct bt_map_decl *decl, uint32_t *nik, uint32_t *nsk)
{
	uint32_t i;

	*nik = *nsk = 0;
	for (i = 0; i < decl->nkeys && i < BT_MAX_KEYS; i++) {
		if (decl->key_kinds[i] == BT_KIND_STR)
			(*nsk)++;
		else
			(*nik)++;
	}
}

uint32_t bt_map_entry_size(const struct bt_map_decl *decl, uint32_t slen,
			   uint32_t stat_size)
{
	uint32_t nik, nsk;

	count_keys(decl, &nik, &nsk);
	return (uint32_t)(sizeof(struct bt_ment) + nik * 8 +
			  BT_ALIGN8((size_t)nsk * slen) +
			  value_size(decl, slen, stat_size));
}

static uint32_t nbuckets_for(uint32_t cap)
{
	uint32_t n = 1;

	while (n < cap && n < (1u << 31))
		n <<= 1;
	return n;
}

uint64_t bt_map_mem_size(const struct bt_map_decl *decl, uint32_t cap,
			 uint32_t slen, uint32_t stat_size)
{
	uint64_t heads = BT_ALIGN8((uint64_t)nbuckets_for(cap) * 4);

	return heads + (uint64_t)cap * bt_map_entry_size(decl, slen, stat_size);
}

void bt_map_init(struct bt_map *m, const struct bt_map_decl *decl, uint32_t cap,
		 uint32_t slen, const struct bt_stat_shape *shape, void *mem)
{
	uint32_t nik, nsk, i, ni = 0, ns = 0;
	uint32_t nb = nbuckets_for(cap);

	bt_memset(m, 0, sizeof(*m));
	count_keys(decl, &nik, &nsk);
	m->heads = mem;
	m->ents = (uint8_t *)mem + BT_ALIGN8((size_t)nb * 4);
	m->cap = cap;
	m->mask = nb - 1;
	m->slen = slen;
	m->nik = (uint16_t)nik;
	m->nsk = (uint16_t)nsk;
	m->soff = (uint32_t)(sizeof(struct bt_ment) + nik * 8);
	m->voff = (uint32_t)(m->soff + BT_ALIGN8((size_t)nsk * slen));
	m->esize = bt_map_entry_size(decl, slen, shape ? shape->size : 0);
	m->vkind = decl->val_kind;
	m->flags = decl->flags;
	m->nkeys = decl->nkeys;
	m->shape = shape;
	for (i = 0; i < decl->nkeys && i < BT_MAX_KEYS; i++) {
		m->kkind[i] = decl->key_kinds[i];
		m->kidx[i] = (uint8_t)(decl->key_kinds[i] == BT_KIND_STR ? ns++ : ni++);
	}
}

/*
 * The hash of a key tuple.  Integers: a multiply-xorshift per key (the
 * common single-integer key costs one multiply); strings: FNV-1a.
 */
uint32_t bt_map_hash(const struct bt_map *m, const int64_t *ik, const char *sk)
{
	uint64_t h = GOLDEN;
	uint32_t i;

	if (m->nik == 1 && m->nsk == 0)
		return bt_map_hash1(ik[0]);
	for (i = 0; i < m->nik; i++) {
		h = (h ^ (uint64_t)ik[i]) * GOLDEN;
		h ^= h >> 29;
	}
	for (i = 0; i < m->nsk; i++) {
		const unsigned char *s = (const unsigned char *)sk + (size_t)i * m->slen;
		uint64_t f = 0xcbf29ce484222325ull;
		uint32_t j;

		for (j = 0; j < m->slen && s[j]; j++)
			f = (f ^ s[j]) * 0x100000001b3ull;
		h = (h ^ f) * GOLDEN;
		h ^= h >> 29;
	}
	return (uint32_t)(h ^ (h >> 32));
}

static int keys_eq(const struct bt_map *m, struct bt_ment *e, const int64_t *ik,
		   const char *sk)
{
	const int64_t *eik = bt_ment_ik(m, e);
	uint32_t i;

	for (i = 0; i < m->nik; i++)
		if (eik[i] != ik[i])
			return 0;
	for (i = 0; i < m->nsk; i++)
		if (bt_strcmp(bt_ment_sk(m, e, i), sk + (size_t)i * m->slen))
			return 0;
	return 1;
}

static struct bt_ment *find_h(const struct bt_map *m, uint32_t h,
			      const int64_t *ik, const char *sk)
{
	uint32_t i = m->heads[h & m->mask];
	uint32_t guard = m->cap;

	while (i && i <= m->cap && guard--) {
		struct bt_ment *e = bt_map_ent(m, i);

		if (e->hash == h && keys_eq(m, e, ik, sk))
			return e;
		i = e->hnext;
	}
	return NULL;
}

struct bt_ment *bt_map_find(const struct bt_map *m, const int64_t *ik,
			    const char *sk)
{
	if (!m->count)
		return NULL;
	return find_h(m, bt_map_hash(m, ik, sk), ik, sk);
}

static void unlink_hash(struct bt_map *m, struct bt_ment *e, uint32_t idx)
{
	uint32_t *link = &m->heads[e->hash & m->mask];
	uint32_t guard = m->cap;

	while (*link && *link <= m->cap && guard--) {
		if (*link == idx) {
			*link = e->hnext;
			return;
		}
		link = &bt_map_ent(m, *link)->hnext;
	}
}

static void unlink_list(struct bt_map *m, struct bt_ment *e)
{
	if (e->prev && e->prev <= m->cap)
		bt_map_ent(m, e->prev)->next = e->next;
	else
		m->head = e->next;
	if (e->next && e->next <= m->cap)
		bt_map_ent(m, e->next)->prev = e->prev;
	else
		m->tail = e->prev;
}

/* A free entry index + 1, or 0; a full wrap map gives up its oldest. */
static uint32_t alloc_ent(struct bt_map *m)
{
	uint32_t idx;

	if (m->freel && m->freel <= m->cap) {
		idx = m->freel;
		m->freel = bt_map_ent(m, idx)->next;
		return idx;
	}
	if (m->nfresh < m->cap)
		return ++m->nfresh;
	if ((m->flags & BT_MAP_WRAP) && m->head && m->head <= m->cap) {
		struct bt_ment *e;

		idx = m->head;
		e = bt_map_ent(m, idx);
		unlink_hash(m, e, idx);
		unlink_list(m, e);
		m->count--;
		return idx;
	}
	return 0;
}

static void clear_value(struct bt_map *m, struct bt_ment *e)
{
	void *v = bt_ment_val(m, e);

	if (m->vkind == BT_KIND_INT)
		*(int64_t *)v = 0;
	else if (m->vkind == BT_KIND_STR)
		*(char *)v = 0;
	else if (m->shape)
		bt_stat_clear(m->shape, v);
}

struct bt_ment *bt_map_insert(struct bt_map *m, const int64_t *ik, const char *sk,
			      int *inserted)
{
	uint32_t h = bt_map_hash(m, ik, sk);
	struct bt_ment *e = m->count ? find_h(m, h, ik, sk) : NULL;
	uint32_t idx, i, *head;

	if (inserted)
		*inserted = 0;
	if (e)
		return e;
	idx = alloc_ent(m);
	if (!idx)
		return NULL;
	e = bt_map_ent(m, idx);
	e->hash = h;
	if (m->nik)
		bt_memcpy(bt_ment_ik(m, e), ik, (size_t)m->nik * 8);
	for (i = 0; i < m->nsk; i++)
		bt_strlcpy(bt_ment_sk(m, e, i), sk + (size_t)i * m->slen, m->slen);
	clear_value(m, e);
	head = &m->heads[h & m->mask];
	e->hnext = *head;
	*head = idx;
	e->next = 0;
	e->prev = m->tail;
	if (m->tail && m->tail <= m->cap)
		bt_map_ent(m, m->tail)->next = idx;
	else
		m->head = idx;
	m->tail = idx;
	m->count++;
	if (inserted)
		*inserted = 1;
	return e;
}

void bt_map_delete_ent(struct bt_map *m, struct bt_ment *e)
{
	uint32_t idx = bt_map_idx(m, e);

	unlink_hash(m, e, idx);
	unlink_list(m, e);
	/*
	 * e->next becomes the free-list link: an iterator standing on e
	 * saved its successor before the loop body ran (ITNEXT), and a stale
	 * one only ever follows in-range indexes.
	 */
	e->prev = 0;
	e->next = m->freel;
	m->freel = idx;
	m->count--;
}

void bt_map_delete(struct bt_map *m, const int64_t *ik, const char *sk)
{
	struct bt_ment *e = bt_map_find(m, ik, sk);

	if (e)
		bt_map_delete_ent(m, e);
}

void bt_map_clear(struct bt_map *m)
{
	uint32_t nb = m->mask + 1;

	if (m->count < nb / 8) {
		/* few entries: zero only their chains */
		uint32_t i = m->head, guard = m->count;

		while (i && i <= m->cap && guard--) {
			struct bt_ment *e = bt_map_ent(m, i);

			m->heads[e->hash & m->mask] = 0;
			i = e->next;
		}
	} else {
		bt_memset(m->heads, 0, (size_t)nb * 4);
	}
	m->count = 0;
	m->head = m->tail = 0;
	m->freel = 0;
	m->nfresh = 0;
}

int64_t bt_map_key_int(const struct bt_map *m, struct bt_ment *e, uint32_t pos)
{
	if (pos >= m->nkeys || m->kkind[pos] != BT_KIND_INT)
		return 0;
	return bt_ment_ik(m, e)[m->kidx[pos]];
}

const char *bt_map_key_str(const struct bt_map *m, struct bt_ment *e, uint32_t pos)
{
	if (pos >= m->nkeys || m->kkind[pos] != BT_KIND_STR)
		return "";
	return bt_ment_sk(m, e, m->kidx[pos]);
}

/* --- sorting ------------------------------------------------------------ */

struct sort_spec {
	uint32_t col;
	int desc;
	unsigned int agg;
	int is_str;
};

/* SystemTap's _stp_cmp: does p belong after q? */
static int after(const struct bt_map *m, const struct sort_spec *sp,
		 uint32_t p, uint32_t q)
{
	struct bt_ment *a = bt_map_ent(m, p), *b = bt_map_ent(m, q);
	int64_t x, y;

	if (sp->col == 0) {
		if (m->vkind == BT_KIND_INT) {
			x = *(int64_t *)bt_ment_val(m, a);
			y = *(int64_t *)bt_ment_val(m, b);
		} else if (m->vkind == BT_KIND_STR) {
			x = bt_strcmp(bt_ment_val(m, a), bt_ment_val(m, b));
			y = 0;
		} else {
			x = bt_stat_sort_key(bt_ment_val(m, a), sp->agg);
			y = bt_stat_sort_key(bt_ment_val(m, b), sp->agg);
		}
	} else if (sp->is_str) {
		x = bt_strcmp(bt_map_key_str(m, a, sp->col - 1),
			      bt_map_key_str(m, b, sp->col - 1));
		y = 0;
	} else {
		x = bt_map_key_int(m, a, sp->col - 1);
		y = bt_map_key_int(m, b, sp->col - 1);
	}
	return sp->desc ? x < y : x > y;
}

#define NEXT(i) (bt_map_ent(m, (i))->next)

/*
 * Bottom-up merge sort of the order list (Simon Tatham's, which is also
 * SystemTap's _stp_map_sort): stable, no extra memory, no recursion,
 * about log2(count) passes of count steps.
 */
void bt_map_sort(struct bt_map *m, uint32_t col, int desc, unsigned int agg)
{
	struct sort_spec sp = { col, desc, agg, 0 };
	uint32_t list = m->head, insize, prev, i, n;

	if (m->count < 2 || col > m->nkeys)
		return;
	if (col > 0)
		sp.is_str = m->kkind[col - 1] == BT_KIND_STR;
	for (insize = 1; insize && insize < 2 * m->count; insize *= 2) {
		uint32_t p = list, tail = 0, nmerges = 0;

		list = 0;
		while (p) {
			uint32_t q = p, psize = 0, qsize = insize;

			nmerges++;
			while (psize < insize && q) {
				psize++;
				q = NEXT(q);
			}
			while (psize > 0 || (qsize > 0 && q)) {
				uint32_t e;

				if (psize && (!qsize || !q || !after(m, &sp, p, q))) {
					e = p;
					p = NEXT(p);
					psize--;
				} else {
					e = q;
					q = NEXT(q);
					qsize--;
				}
				if (tail)
					NEXT(tail) = e;
				else
					list = e;
				tail = e;
			}
			p = q;
		}
		if (tail)
			NEXT(tail) = 0;
		if (nmerges <= 1)
			break;
	}
	/* rebuild the back links */
	prev = 0;
	n = 0;
	for (i = list; i && n < m->count; i = NEXT(i), n++) {
		bt_map_ent(m, i)->prev = prev;
		prev = i;
	}
	m->head = list;
	m->tail = prev;
}
