// SPDX-License-Identifier: GPL-2.0
/*
 * bt_map.c - fixed-capacity open-addressing hash tables with insertion
 * order (bt_map.h).
 */
#include "bt_map.h"
#include "bt_util.h"

#define GOLDEN	0x9e3779b97f4a7c15ull
#define NONE	0xffffffffu

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

/* Offsets in an entry: the hash (maps with a string key), keys, value. */
struct layout {
	uint32_t nik, nsk, ikoff, soff, voff, esize;
};

static void layout(const struct bt_map_decl *decl, uint32_t slen,
		   uint32_t stat_size, struct layout *l)
{
	count_keys(decl, &l->nik, &l->nsk);
	l->ikoff = (uint32_t)sizeof(struct bt_ment) + (l->nsk ? 8 : 0);
	l->soff = l->ikoff + l->nik * 8;
	l->voff = (uint32_t)(l->soff + BT_ALIGN8((size_t)l->nsk * slen));
	l->esize = l->voff + value_size(decl, slen, stat_size);
}

uint32_t bt_map_entry_size(const struct bt_map_decl *decl, uint32_t slen,
			   uint32_t stat_size)
{
	struct layout l;

	layout(decl, slen, stat_size, &l);
	return l.esize;
}

/* The power of two >= cap * 5/4 (so > cap), at least 2; log2 in *bits. */
static uint32_t nslots_for(uint32_t cap, uint32_t *bits)
{
	uint64_t want = (uint64_t)cap + ((uint64_t)cap + 3) / 4;
	uint32_t n = 2, b = 1;

	while (n < want && n < (1u << 29)) {
		n <<= 1;
		b++;
	}
	if (bits)
		*bits = b;
	return n;
}

uint64_t bt_map_mem_size(const struct bt_map_decl *decl, uint32_t cap,
			 uint32_t slen, uint32_t stat_size)
{
	uint64_t n = nslots_for(cap, NULL);

	return n * bt_map_entry_size(decl, slen, stat_size) + BT_ALIGN8(n * 2);
}

void bt_map_init(struct bt_map *m, const struct bt_map_decl *decl, uint32_t cap,
		 uint32_t slen, const struct bt_stat_shape *shape, void *mem)
{
	uint32_t bits, i, ni = 0, ns = 0;
	uint32_t n = nslots_for(cap, &bits);
	struct layout l;

	bt_memset(m, 0, sizeof(*m));
	layout(decl, slen, shape ? shape->size : 0, &l);
	m->ents = mem;
	m->maxd = (uint16_t *)((uint8_t *)mem + (size_t)n * l.esize);
	m->cap = cap;
	m->nslots = n;
	m->mask = n - 1;
	m->bits = (uint8_t)bits;
	m->hshift = (uint8_t)(64 - bits);
	m->step = (n >> 3) | 1;
	m->jmask = bits > 4 ? (n >> 4) - 1 : 0;
	m->jshift = (uint8_t)(bits > 5 ? 64 - (bits - 4) : 63);
	m->slen = slen;
	m->nik = (uint16_t)l.nik;
	m->nsk = (uint16_t)l.nsk;
	m->ikoff = l.ikoff;
	m->soff = l.soff;
	m->voff = l.voff;
	m->esize = l.esize;
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
 * The hash of a key tuple (any shape; one-integer-key maps place keys
 * with bt_map_home1() instead).  Integers: a multiply-xorshift per key;
 * strings: FNV-1a.
 */
uint32_t bt_map_hash(const struct bt_map *m, const int64_t *ik, const char *sk)
{
	uint64_t h = GOLDEN;
	uint32_t i;

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

static inline struct bt_ment *slot(const struct bt_map *m, uint32_t s)
{
	return (struct bt_ment *)(m->ents + (size_t)(s & m->mask) * m->esize);
}

/* The stored hash of a map with a string key. */
static inline uint32_t *ent_hash(struct bt_ment *e)
{
	return (uint32_t *)(e + 1);
}

/* The home slot of a key tuple; *h: its hash (maps with a string key). */
static inline uint32_t home_of(const struct bt_map *m, const int64_t *ik,
			       const char *sk, uint32_t *h)
{
	if (bt_map_is_i1(m)) {
		*h = 0;
		return bt_map_home1(m, ik[0]);
	}
	*h = bt_map_hash(m, ik, sk);
	return *h & m->mask;
}

/* The home slot of the key of a live entry. */
static inline uint32_t ent_home(const struct bt_map *m, struct bt_ment *e)
{
	if (bt_map_is_i1(m))
		return bt_map_home1(m, bt_ment_ik(m, e)[0]);
	if (m->nsk)
		return *ent_hash(e) & m->mask;
	return bt_map_hash(m, bt_ment_ik(m, e), NULL) & m->mask;
}

/*
 * How far past home a key living there may be: maxd[home], looked up only
 * when the home slot says there is such a key (BT_MENT_FAR), so that the
 * common case reads one slot and nothing else.
 */
static inline uint32_t stretch(const struct bt_map *m, uint32_t home)
{
	uint32_t n;

	if (!(slot(m, home)->next & BT_MENT_FAR))
		return 0;
	n = m->maxd[home & m->mask];
	return n >= BT_MAP_MAXD_SAT || n > m->mask ? m->mask : n;
}

static int keys_eq(const struct bt_map *m, struct bt_ment *e, uint32_t h,
		   const int64_t *ik, const char *sk)
{
	const int64_t *eik = bt_ment_ik(m, e);
	uint32_t i;

	if (m->nsk && *ent_hash(e) != h)
		return 0;
	for (i = 0; i < m->nik; i++)
		if (eik[i] != ik[i])
			return 0;
	for (i = 0; i < m->nsk; i++)
		if (bt_strcmp(bt_ment_sk(m, e, i), sk + (size_t)i * m->slen))
			return 0;
	return 1;
}

struct bt_ment *bt_map_find1_slow(const struct bt_map *m, int64_t k)
{
	uint32_t home = bt_map_home1(m, k), n = stretch(m, home), d;

	for (d = 0; d <= n; d++) {
		struct bt_ment *e = slot(m, home + d);

		if (*(const int64_t *)(e + 1) == k && bt_ment_live(e))
			return e;
	}
	return NULL;
}

/* The slot (index + 1) holding this key, or 0. */
static uint32_t find_idx(const struct bt_map *m, const int64_t *ik, const char *sk)
{
	uint32_t h, home, n, d;
	int i1 = bt_map_is_i1(m);

	if (!m->count)
		return 0;
	home = home_of(m, ik, sk, &h);
	n = stretch(m, home);
	for (d = 0; d <= n; d++) {
		struct bt_ment *e = slot(m, home + d);

		if (bt_ment_live(e) && (i1 ? *(const int64_t *)(e + 1) == ik[0] :
					keys_eq(m, e, h, ik, sk)))
			return ((home + d) & m->mask) + 1;
	}
	return 0;
}

struct bt_ment *bt_map_find(const struct bt_map *m, const int64_t *ik,
			    const char *sk)
{
	uint32_t idx;

	if (bt_map_is_i1(m))
		return m->count ? bt_map_find1(m, ik[0]) : NULL;
	idx = find_idx(m, ik, sk);
	return idx ? bt_map_ent(m, idx) : NULL;
}

static void unlink_list(struct bt_map *m, struct bt_ment *e)
{
	uint32_t p = e->prev, n = e->next & BT_MENT_LINK;

	if (bt_map_valid(m, p)) {
		struct bt_ment *pe = bt_map_ent(m, p);

		pe->next = (pe->next & ~BT_MENT_LINK) | n;
	} else {
		m->head = n;
	}
	if (bt_map_valid(m, n))
		bt_map_ent(m, n)->prev = p;
	else
		m->tail = p;
}

/*
 * Entry s (a slot index), at distance d past its home, was deleted: if it
 * was the farthest of its home's keys, shrink maxd[home] to the farthest
 * one left, so that misses stay short.
 */
static void shrink_maxd(struct bt_map *m, uint32_t home, uint32_t d)
{
	uint16_t *md = &m->maxd[home];

	if (!d || !(slot(m, home)->next & BT_MENT_FAR) ||
	    *md != d || *md >= BT_MAP_MAXD_SAT)
		return;
	while (d > 0) {
		struct bt_ment *e = slot(m, home + d - 1);

		if (bt_ment_live(e) && ent_home(m, e) == home)
			break;
		d--;
	}
	if (d > 1) {
		*md = (uint16_t)(d - 1);
	} else {
		*md = 0;
		slot(m, home)->next &= ~BT_MENT_FAR;
	}
}

/* A key of home now lies d slots past it. */
static void raise_maxd(struct bt_map *m, uint32_t home, uint32_t d)
{
	uint16_t *md = &m->maxd[home];

	if (d <= *md)
		return;
	if (d >= BT_MAP_MAXD_SAT) {
		*md = BT_MAP_MAXD_SAT;
		m->sat = 1;
		m->worst = m->nslots;
	} else {
		*md = (uint16_t)d;
		if (d > m->worst)
			m->worst = d;
	}
	slot(m, home)->next |= BT_MENT_FAR;
}

/* Delete the live entry in slot idx1 - 1. */
static void delete_at(struct bt_map *m, uint32_t idx)
{
	struct bt_ment *e = bt_map_ent(m, idx);
	uint32_t home = ent_home(m, e);

	unlink_list(m, e);
	/*
	 * The slot is free now.  Its successor link stays (without the live
	 * bit) so that an iterator standing on it goes on where it would have.
	 */
	e->next &= ~BT_MENT_LIVE;
	e->prev = 0;
	if (m->count)
		m->count--;
	shrink_maxd(m, home, (idx - 1 - home) & m->mask);
}

void bt_map_delete_ent(struct bt_map *m, struct bt_ment *e)
{
	uint32_t idx;

	if ((uint8_t *)e < m->ents)
		return;
	idx = bt_map_idx(m, e);
	if (bt_map_valid(m, idx) && bt_map_ent(m, idx) == e && bt_ment_live(e))
		delete_at(m, idx);
}

void bt_map_delete(struct bt_map *m, const int64_t *ik, const char *sk)
{
	uint32_t idx = find_idx(m, ik, sk);

	if (idx)
		delete_at(m, idx);
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
	uint32_t h, home = home_of(m, ik, sk, &h);
	uint32_t n, d, fd = NONE, idx, i;
	int i1 = bt_map_is_i1(m);
	struct bt_ment *e;

	if (inserted)
		*inserted = 0;
	n = stretch(m, home);
	/* the key's own stretch: the key itself, or the first free slot */
	for (d = 0; d <= n; d++) {
		e = slot(m, home + d);
		if (!bt_ment_live(e)) {
			if (fd == NONE)
				fd = d;
		} else if (i1 ? *(const int64_t *)(e + 1) == ik[0] :
			   keys_eq(m, e, h, ik, sk)) {
			return e;
		}
	}
	if (m->count >= m->cap) {
		/* full: a wrapping map drops its oldest entry */
		uint32_t old = bt_map_first(m);

		if (!(m->flags & BT_MAP_WRAP) || !old ||
		    !bt_ment_live(bt_map_ent(m, old)))
			return NULL;
		delete_at(m, old);
		if (fd == NONE && ((old - 1 - home) & m->mask) <= n)
			fd = (old - 1 - home) & m->mask;
	}
	if (fd == NONE) {
		/* past the stretch: the first free slot, which extends it */
		for (d = n + 1; d <= m->mask; d++) {
			if (!bt_ment_live(slot(m, home + d))) {
				fd = d;
				break;
			}
		}
		if (fd == NONE)
			return NULL;	/* only if count lies */
	}
	if (fd)		/* (the eviction may have shrunk maxd[home] below n) */
		raise_maxd(m, home, fd);
	idx = ((home + fd) & m->mask) + 1;
	e = bt_map_ent(m, idx);
	if (m->nsk)
		*ent_hash(e) = h;
	for (i = 0; i < m->nik; i++)
		bt_ment_ik(m, e)[i] = ik[i];
	for (i = 0; i < m->nsk; i++)
		bt_strlcpy(bt_ment_sk(m, e, i), sk + (size_t)i * m->slen, m->slen);
	clear_value(m, e);
	bt_map_append(m, e, idx);
	if (inserted)
		*inserted = 1;
	return e;
}

void bt_map_clear(struct bt_map *m)
{
	uint32_t i = bt_map_first(m), guard = m->count;

	/*
	 * maxd is exact, so only the homes of live keys can have one > 0
	 * (unless one saturated: then all of maxd goes; a BT_MENT_FAR left
	 * on a slot is only a hint to look at maxd).
	 */
	while (i && guard--) {
		struct bt_ment *e = bt_map_ent(m, i);
		uint32_t home = ent_home(m, e);

		i = bt_map_next(m, i);
		e->next &= ~(BT_MENT_LIVE | BT_MENT_LINK);
		e->prev = 0;
		m->maxd[home] = 0;
		slot(m, home)->next &= ~BT_MENT_FAR;
	}
	if (m->sat)
		bt_memset(m->maxd, 0, (size_t)m->nslots * 2);
	m->count = 0;
	m->head = m->tail = 0;
	m->sat = 0;
	m->worst = 0;
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

/* i is a live entry: set its successor */
static inline void set_next(struct bt_map *m, uint32_t i, uint32_t n)
{
	struct bt_ment *e = bt_map_ent(m, i);

	e->next = (e->next & ~BT_MENT_LINK) | n;
}

/* Make list (linked forward, ending in 0) the order list again. */
static void relink(struct bt_map *m, uint32_t list)
{
	uint32_t prev = 0, n = 0, i;

	for (i = list; i && n < m->count; i = bt_map_next(m, i), n++) {
		bt_map_ent(m, i)->prev = prev;
		prev = i;
	}
	m->head = list;
	m->tail = prev;
}

/*
 * Bottom-up merge sort of the order list (Simon Tatham's, which is also
 * SystemTap's _stp_map_sort): stable, no extra memory, no recursion,
 * about log2(count) passes of count steps.  Links are range-checked as
 * they are read (bt_map_next()), and a pass stops after count elements.
 *
 * Between passes the list is whole (every entry once, in some order), so
 * pass_done (if not NULL) may stop the sort there: it is told the steps
 * the pass took, and a nonzero return leaves the map consistent but only
 * partly sorted, and bt_map_sort() returns -1.  That is how a sort of a
 * large map in probe context stays under the host's time bound.
 */
int bt_map_sort(struct bt_map *m, uint32_t col, int desc, unsigned int agg,
		int (*pass_done)(void *arg, uint32_t steps), void *arg)
{
	struct sort_spec sp = { col, desc, agg, 0 };
	uint32_t list = bt_map_first(m), insize;

	if (m->count < 2 || col > m->nkeys)
		return 0;
	if (col > 0)
		sp.is_str = m->kkind[col - 1] == BT_KIND_STR;
	for (insize = 1; insize && insize < 2 * m->count; insize *= 2) {
		uint32_t p = list, tail = 0, nmerges = 0, done = 0;

		list = 0;
		while (p) {
			uint32_t q = p, psize = 0, qsize = insize;

			nmerges++;
			while (psize < insize && q) {
				psize++;
				q = bt_map_next(m, q);
			}
			while (psize > 0 || (qsize > 0 && q)) {
				uint32_t e;

				if (psize && (!qsize || !q || !after(m, &sp, p, q))) {
					e = p;
					p = bt_map_next(m, p);
					psize--;
				} else {
					e = q;
					q = bt_map_next(m, q);
					qsize--;
				}
				if (tail)
					set_next(m, tail, e);
				else
					list = e;
				tail = e;
				if (++done >= m->count)
					psize = qsize = q = 0;	/* a longer list lies */
			}
			p = q;
		}
		if (tail)
			set_next(m, tail, 0);
		if (nmerges <= 1)
			break;
		if (pass_done && pass_done(arg, done)) {
			relink(m, list);
			return -1;
		}
	}
	relink(m, list);
	return 0;
}
