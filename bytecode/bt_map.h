/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bt_map.h - SystemTap associative arrays: preallocated fixed-capacity
 * hash tables with keys and values inline and insertion order kept.
 *
 * Open addressing, the entries stored in the slot array itself, linear
 * probing.  Memory (all of it given at init, zeroed; nothing is allocated
 * later):
 *
 *	slots[nslots]	each esize bytes:
 *		struct bt_ment	order list links and the in-use bit (8 bytes)
 *		uint32_t hash	(+ 4 pad) only in maps with a string key
 *		int64_t ik[nik]	the integer keys, in tuple order
 *		char sk[nsk][slen]	the string keys (MAXSTRINGLEN each)
 *		value		int64_t, char[slen], or struct bt_stat + buckets
 *	maxd[nslots]	uint16 per slot: how far past this slot a key whose
 *			home it is may lie (see below)
 *
 * nslots is the power of two >= capacity * 5/4, so the table is at most
 * 80% full: a map costs nslots * (esize + 2) bytes, 1.25x to 2.5x (2x for
 * a power-of-two capacity such as the default 2048) SystemTap's
 * capacity * entry.  An int -> int entry is 24 bytes.  Slots that are
 * never used are never written, so on a host that hands out lazily zeroed
 * pages (the user runtime's mmap) they cost no memory either.  capacity
 * still bounds the number of entries, as in SystemTap.
 *
 * Lookup: a key's home is a slot index from its hash; the key lies in one
 * of slots home .. home + maxd[home] (mod nslots): the first free one when
 * it was inserted.  maxd[home] is exact, the distance of the farthest such
 * key or 0 (insert raises it, deleting the farthest key lowers it), and
 * the home slot's BT_MENT_FAR bit says whether it is > 0, so the common
 * cases read the home slot and nothing else: a hit, a miss on a free or
 * foreign-held slot, an insert into a free one.  A delete just marks its
 * slot free: no tombstones, nothing to clean, and a missing key whose home
 * lies inside a run of other keys costs one slot, not a walk along the
 * run.  maxd saturates at 0xffff, meaning "probe the whole table"
 * (correct, slow, reset by clear; it takes a run of 64 Ki taken slots).
 *
 * A single integer key is its own hash (bt_map_home1()): keys below
 * nslots - loop counters, pids, CPU numbers - sit in slot k, so walking
 * dense integer keys walks memory in order, as an array would, and a hit
 * reads one slot; a sliding window of consecutive keys (a % map keyed by
 * a counter) never collides with itself; strided keys (aligned addresses,
 * multiples of nslots) still spread over the table.  Other key tuples
 * hash with a multiply-xorshift per integer and FNV-1a per string; maps
 * with a string key keep the hash in the entry to skip most strcmps.
 *
 * Entries never move once inserted: iterators and the order list refer to
 * them by slot index + 1 (0: none), so that zeroed memory is an empty map.
 *
 * Order: a doubly linked list through every live entry.  Insertion
 * appends; delete unlinks (re-insertion appends again); an unsorted
 * foreach walks it; bt_map_sort() reorders it in place (stable), so a
 * later unsorted foreach sees the last sort order, as in SystemTap.  A
 * full BT_MAP_WRAP map deletes the entry at the front of the list to make
 * room.  A deleted entry keeps its successor link (without the in-use
 * bit), so an iterator standing on it walks on to where it would have.
 *
 * Every walk and probe is bounded (by the count or nslots) and every
 * index read from memory is range-checked before use, so a stale iterator
 * (its element deleted under it) stays memory-safe.
 */
#ifndef BT_MAP_H
#define BT_MAP_H

#include "bt_types.h"
#include "bt_prog.h"
#include "bt_stats.h"
#include "bt_util.h"

/* The VM's fast paths: inlined whatever the compiler thinks of their size. */
#define BT_MAP_FAST	static inline __attribute__((always_inline))

struct bt_ment {
	uint32_t prev;		/* order list, index + 1 */
	uint32_t next;		/* order list, index + 1, | BT_MENT_* bits */
};

#define BT_MENT_LIVE	0x80000000u	/* the slot holds an entry */
#define BT_MENT_FAR	0x40000000u	/* maxd of this slot may be > 0 */
#define BT_MENT_LINK	0x3fffffffu	/* so nslots <= 2^29 */
#define BT_MAP_MAXD_SAT	0xffffu		/* maxd: probe every slot */

struct bt_map {
	/* layout, fixed at init */
	uint8_t *ents;		/* the slots */
	uint16_t *maxd;		/* [nslots] */
	uint32_t cap;		/* most entries at once */
	uint32_t nslots;	/* power of two */
	uint32_t mask;		/* nslots - 1 */
	uint32_t esize;
	uint32_t slen;		/* bytes per string */
	uint32_t ikoff;		/* offset of the integer keys in an entry */
	uint32_t soff;		/* offset of the string keys */
	uint32_t voff;		/* offset of the value */
	uint16_t nik, nsk;
	uint8_t bits;		/* log2(nslots), >= 1 */
	uint8_t hshift;		/* bt_map_home1(): 64 - bits */
	uint8_t jshift;		/* 64 - log2(jmask + 1), or 63 */
	uint32_t step;		/* nslots / 8 + 1 (odd) */
	uint32_t jmask;		/* nslots / 16 - 1, or 0 */
	uint8_t vkind;		/* enum bt_kind of the value */
	uint8_t flags;		/* enum bt_map_flags */
	uint8_t nkeys;
	uint8_t kidx[BT_MAX_KEYS];	/* tuple position -> index in its kind */
	uint8_t kkind[BT_MAX_KEYS];	/* tuple position -> BT_KIND_INT/STR */
	const struct bt_stat_shape *shape;	/* stats values */
	/* state */
	uint32_t count;
	uint32_t head, tail;	/* order list */
	uint32_t sat;		/* a maxd saturated since the last clear */
	uint32_t worst;		/* the largest maxd since the last clear (nslots
				 * once one saturated): no find or insert scans
				 * more than worst + 1 slots, which the VM
				 * charges as work (bt_vm.h) */
};

enum bt_map_err {
	BT_MAP_OK = 0,
	BT_MAP_FULL = -1,	/* "Array overflow, check ..." */
};

/* Bytes of one entry (slot) and of the whole map (slots + maxd). */
uint32_t bt_map_entry_size(const struct bt_map_decl *decl, uint32_t slen,
			   uint32_t stat_size);
uint64_t bt_map_mem_size(const struct bt_map_decl *decl, uint32_t cap,
			 uint32_t slen, uint32_t stat_size);

/*
 * Lay a map out in mem (bt_map_mem_size() bytes, zeroed, 8-aligned).
 * cap overrides decl->capacity (an aggregation map may differ).
 */
void bt_map_init(struct bt_map *m, const struct bt_map_decl *decl, uint32_t cap,
		 uint32_t slen, const struct bt_stat_shape *shape, void *mem);

/* Is idx1 (index + 1) a slot of m? */
static inline int bt_map_valid(const struct bt_map *m, uint32_t idx1)
{
	return idx1 - 1 < m->nslots;	/* 0 wraps to UINT32_MAX */
}

/* The entry in slot idx1 - 1; the caller checked bt_map_valid(). */
static inline struct bt_ment *bt_map_ent(const struct bt_map *m, uint32_t idx1)
{
	return (struct bt_ment *)(m->ents + (size_t)(idx1 - 1) * m->esize);
}

static inline uint32_t bt_map_idx(const struct bt_map *m, const struct bt_ment *e)
{
	return (uint32_t)(((const uint8_t *)e - m->ents) / m->esize) + 1;
}

static inline int bt_ment_live(const struct bt_ment *e)
{
	return (e->next & BT_MENT_LIVE) != 0;
}

static inline int64_t *bt_ment_ik(const struct bt_map *m, struct bt_ment *e)
{
	return (int64_t *)((char *)e + m->ikoff);
}

static inline char *bt_ment_sk(const struct bt_map *m, struct bt_ment *e, uint32_t j)
{
	return (char *)e + m->soff + (size_t)j * m->slen;
}

static inline void *bt_ment_val(const struct bt_map *m, struct bt_ment *e)
{
	return (char *)e + m->voff;
}

/*
 * A key tuple: the integer keys at ik[0 .. nik), the string keys at
 * sk, sk + slen, ... (how they lie in a VM frame).
 */
uint32_t bt_map_hash(const struct bt_map *m, const int64_t *ik, const char *sk);

/* Is this a map with exactly one integer key (the fast path)? */
static inline int bt_map_is_i1(const struct bt_map *m)
{
	return m->nik == 1 && m->nsk == 0;
}

/*
 * The home slot of a single integer key.  With b = k >> bits, the number
 * of the nslots-long block of key space k is in:
 *
 *	home = k + off(b)  (mod nslots)
 *	off(b) = b * step + jitter(b) + mix(b >> bits)
 *
 * jitter() and mix() take the top bits of a multiply by 2^64 / phi, into
 * [0, nslots / 16) and [0, nslots).  So keys 0 <= k < nslots are their own
 * home, and each block of keys is laid out in order, shifted; the next
 * block is shifted by nslots/16 + 2 .. 3 nslots/16 more (mix() only moves
 * every nslots blocks), so a run of consecutive keys as long as the map
 * can hold never collides with itself - what a % map keyed by a counter,
 * or dense keys not starting at 0, go through.  step (odd) and mix()
 * spread keys nslots or a power of two apart, jitter() keeps any stride
 * from lining keys up on a few homes (simulated over every stride up to
 * 3 * nslots: never more than ~40 keys on one home, as for a multiply
 * hash).
 */
BT_MAP_FAST uint32_t bt_map_home1(const struct bt_map *m, int64_t k)
{
	uint64_t u = (uint64_t)k, b = u >> m->bits, mix, jit;

	if (bt_likely(!b))
		return (uint32_t)u;	/* 0 <= k < nslots */
	mix = ((b >> m->bits) * 0x9e3779b97f4a7c15ull) >> m->hshift;
	jit = ((b * 0x9e3779b97f4a7c15ull) >> m->jshift) & m->jmask;
	return (uint32_t)(u + b * m->step + mix + jit) & m->mask;
}

/*
 * The entry for k if it sits in its home slot, else NULL (it may still be
 * further on): the whole lookup for dense integer keys, inlined into the
 * VM.  One integer-key maps only.
 */
BT_MAP_FAST struct bt_ment *bt_map_hit1(const struct bt_map *m, int64_t k)
{
	struct bt_ment *e = (struct bt_ment *)(m->ents +
					       (size_t)bt_map_home1(m, k) * m->esize);

	if (*(const int64_t *)(e + 1) == k && bt_ment_live(e))
		return e;
	return NULL;
}

/* bt_map_find() for a map with one integer key. */
struct bt_ment *bt_map_find1_slow(const struct bt_map *m, int64_t k);

BT_MAP_FAST struct bt_ment *bt_map_find1(const struct bt_map *m, int64_t k)
{
	struct bt_ment *e = (struct bt_ment *)(m->ents +
					       (size_t)bt_map_home1(m, k) * m->esize);

	if (*(const int64_t *)(e + 1) == k && bt_ment_live(e))
		return e;
	if (!(e->next & BT_MENT_FAR))
		return NULL;	/* no key of this home lies further on */
	return bt_map_find1_slow(m, k);
}

/* The entry with this key, or NULL.  Never inserts. */
struct bt_ment *bt_map_find(const struct bt_map *m, const int64_t *ik,
			    const char *sk);

/*
 * The entry with this key, inserted (value 0 / "" / empty) at the end of
 * the order if absent.  NULL when the map is full (and not wrapping).
 * *inserted tells whether it is new (may be NULL).
 */
struct bt_ment *bt_map_insert(struct bt_map *m, const int64_t *ik, const char *sk,
			      int *inserted);

/*
 * Link entry idx1 (index + 1; e, just filled in) in at the end of the
 * order and count it.  For bt_map.c and the inline insert below.
 */
BT_MAP_FAST void bt_map_append(struct bt_map *m, struct bt_ment *e, uint32_t idx1)
{
	uint32_t t = m->tail;

	if (bt_map_valid(m, t)) {
		struct bt_ment *te = bt_map_ent(m, t);

		te->next = (te->next & ~BT_MENT_LINK) | idx1;
		e->prev = t;
	} else {
		m->head = idx1;
		e->prev = 0;
	}
	e->next = BT_MENT_LIVE | (e->next & BT_MENT_FAR);
	m->tail = idx1;
	m->count++;
}

/*
 * bt_map_insert() for a map with one integer key and integer values, the
 * common cases inlined into the VM: k in its home slot, or k new, its home
 * slot free and no key of that home further on (then it goes there).
 * Those two are told apart without a branch (both write the same fields,
 * unchanged for a hit), so that a run of lookups that miss the cache is
 * not serialised by branches mispredicted on what they load; the one
 * branch, to the general case, is rarely taken.
 */
BT_MAP_FAST struct bt_ment *bt_map_insert1(struct bt_map *m, int64_t k)
{
	uint32_t s = bt_map_home1(m, k), t = m->tail, tv = bt_map_valid(m, t);
	struct bt_ment *e = (struct bt_ment *)(m->ents + (size_t)s * m->esize);
	struct bt_ment *te;
	uint32_t nx = e->next, hit, ins, mask;
	int64_t *v;

	hit = (*(const int64_t *)(e + 1) == k) & (nx >> 31);
	ins = ((nx & (BT_MENT_LIVE | BT_MENT_FAR)) == 0) & (m->count < m->cap) &
	      (m->vkind == BT_KIND_INT);
	/* (an empty map, no tail, takes the general case once) */
	if (bt_unlikely(!((hit | ins) & tv)))
		return bt_map_insert(m, &k, NULL, NULL);
	mask = 0u - ins;
	te = bt_map_ent(m, t);
	te->next = (te->next & ~(BT_MENT_LINK & mask)) | ((s + 1) & mask);
	e->prev = (e->prev & ~mask) | (t & mask);
	e->next = (nx & ~mask) | (BT_MENT_LIVE & mask);
	*(int64_t *)(e + 1) = k;
	v = (int64_t *)bt_ment_val(m, e);
	*v &= ~(int64_t)(int32_t)mask;
	m->tail = (t & ~mask) | ((s + 1) & mask);
	m->count += ins;
	return e;
}

/*
 * m[k] of a map with one integer key and integer values, 0 when absent;
 * a miss in the home slot branches only if a key of that home lies
 * further on.
 */
BT_MAP_FAST int64_t bt_map_get1(const struct bt_map *m, int64_t k)
{
	struct bt_ment *e = (struct bt_ment *)(m->ents +
					       (size_t)bt_map_home1(m, k) * m->esize);
	uint32_t nx = e->next;
	int64_t v = *(const int64_t *)bt_ment_val(m, e);
	int64_t hit = (*(const int64_t *)(e + 1) == k) & (nx >> 31);

	if (bt_unlikely(!hit && (nx & BT_MENT_FAR))) {
		e = bt_map_find1_slow(m, k);
		return e ? *(const int64_t *)bt_ment_val(m, e) : 0;
	}
	return v & -hit;
}

/* Delete the entry with this key, if any. */
void bt_map_delete(struct bt_map *m, const int64_t *ik, const char *sk);
/* Delete this entry (a no-op unless it is a live entry of m). */
void bt_map_delete_ent(struct bt_map *m, struct bt_ment *e);

/* Delete everything. */
void bt_map_clear(struct bt_map *m);

/* Order-list walking by index + 1; 0 is the end.  Bounds-checked. */
static inline uint32_t bt_map_first(const struct bt_map *m)
{
	return bt_map_valid(m, m->head) ? m->head : 0;
}

static inline uint32_t bt_map_next(const struct bt_map *m, uint32_t idx1)
{
	uint32_t n;

	if (!bt_map_valid(m, idx1))
		return 0;
	n = bt_map_ent(m, idx1)->next & BT_MENT_LINK;
	return bt_map_valid(m, n) ? n : 0;
}

/* Key of tuple position pos (0-based) of an entry. */
int64_t bt_map_key_int(const struct bt_map *m, struct bt_ment *e, uint32_t pos);
const char *bt_map_key_str(const struct bt_map *m, struct bt_ment *e, uint32_t pos);

/*
 * Stable in-place sort of the order list.  col 0: by value (stats: by
 * statistic agg, enum bt_agg), col 1..nkeys: by that key; desc: 1 for
 * descending.  Strings compare as strcmp.  O(n log n), iterative.
 */
int bt_map_sort(struct bt_map *m, uint32_t col, int desc, unsigned int agg,
		int (*pass_done)(void *arg, uint32_t steps), void *arg);

#endif /* BT_MAP_H */
