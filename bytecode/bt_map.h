/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bt_map.h - SystemTap associative arrays: preallocated fixed-capacity
 * hash tables with keys and values inline and insertion order kept.
 *
 * Memory (all of it given at init, zeroed; nothing is allocated later):
 *
 *	heads[nbuckets]		uint32 chain heads, entry index + 1 (0: none);
 *				nbuckets = the power of two >= capacity
 *	entries[capacity]	each esize bytes:
 *		struct bt_ment	hash chain link, order list links, hash
 *		int64_t ik[nik]	the integer keys, in tuple order
 *		char sk[nsk][slen]	the string keys (MAXSTRINGLEN each)
 *		value		int64_t, char[slen], or struct bt_stat + buckets
 *
 * so a map costs capacity * entry size, as SystemTap's does.  Links are
 * entry indexes + 1 so that zeroed memory is an empty map.  Entries are
 * handed out first from the never-used tail (nfresh), then from the free
 * list of deleted ones.
 *
 * Order: a doubly linked list through every live entry.  Insertion
 * appends; delete unlinks (re-insertion appends again); an unsorted
 * foreach walks it; bt_map_sort() reorders it in place (stable), so a
 * later unsorted foreach sees the last sort order, as in SystemTap.  A
 * full BT_MAP_WRAP map reuses the entry at the front of the list.
 *
 * Every walk is bounded by the capacity and every index read from an
 * entry is range-checked before use, so a stale iterator (its element
 * deleted under it) stays memory-safe.
 */
#ifndef BT_MAP_H
#define BT_MAP_H

#include "bt_types.h"
#include "bt_prog.h"
#include "bt_stats.h"

struct bt_ment {
	uint32_t hnext;		/* next in the hash chain, index + 1 */
	uint32_t prev;		/* order list, index + 1 */
	uint32_t next;		/* order list, or free list; index + 1 */
	uint32_t hash;
};

struct bt_map {
	/* layout, fixed at init */
	uint8_t *ents;
	uint32_t *heads;
	uint32_t cap;
	uint32_t esize;
	uint32_t mask;		/* nbuckets - 1 */
	uint32_t slen;		/* bytes per string */
	uint32_t soff;		/* offset of the string keys in an entry */
	uint32_t voff;		/* offset of the value */
	uint16_t nik, nsk;
	uint8_t vkind;		/* enum bt_kind of the value */
	uint8_t flags;		/* enum bt_map_flags */
	uint8_t nkeys;
	uint8_t kidx[BT_MAX_KEYS];	/* tuple position -> index in its kind */
	uint8_t kkind[BT_MAX_KEYS];	/* tuple position -> BT_KIND_INT/STR */
	const struct bt_stat_shape *shape;	/* stats values */
	/* state */
	uint32_t count;
	uint32_t head, tail;	/* order list */
	uint32_t freel;		/* free list */
	uint32_t nfresh;	/* entries [0, nfresh) were handed out */
};

enum bt_map_err {
	BT_MAP_OK = 0,
	BT_MAP_FULL = -1,	/* "Array overflow, check ..." */
};

/* Bytes of one entry and of the whole map (heads + entries). */
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

static inline struct bt_ment *bt_map_ent(const struct bt_map *m, uint32_t idx1)
{
	return (struct bt_ment *)(m->ents + (size_t)(idx1 - 1) * m->esize);
}

static inline uint32_t bt_map_idx(const struct bt_map *m, const struct bt_ment *e)
{
	return (uint32_t)(((const uint8_t *)e - m->ents) / m->esize) + 1;
}

static inline int64_t *bt_ment_ik(const struct bt_map *m, struct bt_ment *e)
{
	(void)m;
	return (int64_t *)(e + 1);
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

/* The hash of a single integer key: bt_map_hash() for nik 1, nsk 0. */
/*
 * Nearby integers go to nearby buckets (the high bits are folded in, not
 * scrambled), so scripts that walk dense integer keys - loops over i,
 * pids, CPU numbers - touch memory in order, as an array would.
 */
static inline uint32_t bt_map_hash1(int64_t k)
{
	uint64_t u = (uint64_t)k;

	return (uint32_t)(u ^ (u >> 20) ^ (u >> 40));
}

/* Is this a map with exactly one integer key (the fast path)? */
static inline int bt_map_is_i1(const struct bt_map *m)
{
	return m->nik == 1 && m->nsk == 0;
}

/* bt_map_find() for a map with one integer key, inlined into the VM. */
static inline struct bt_ment *bt_map_find1(const struct bt_map *m, int64_t k)
{
	uint32_t h = bt_map_hash1(k);
	uint32_t i = m->heads[h & m->mask];
	uint32_t guard = m->cap;

	while (i && i <= m->cap && guard--) {
		struct bt_ment *e = bt_map_ent(m, i);

		if (e->hash == h && *(int64_t *)(e + 1) == k)
			return e;
		i = e->hnext;
	}
	return NULL;
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

/* Delete the entry with this key, if any. */
void bt_map_delete(struct bt_map *m, const int64_t *ik, const char *sk);
void bt_map_delete_ent(struct bt_map *m, struct bt_ment *e);

/* Delete everything. */
void bt_map_clear(struct bt_map *m);

/* Order-list walking by index + 1; 0 is the end.  Bounds-checked. */
static inline uint32_t bt_map_first(const struct bt_map *m)
{
	return m->head <= m->cap ? m->head : 0;
}

static inline uint32_t bt_map_next(const struct bt_map *m, uint32_t idx1)
{
	uint32_t n;

	if (idx1 == 0 || idx1 > m->cap)
		return 0;
	n = bt_map_ent(m, idx1)->next;
	return n <= m->cap ? n : 0;
}

/* Key of tuple position pos (0-based) of an entry. */
int64_t bt_map_key_int(const struct bt_map *m, struct bt_ment *e, uint32_t pos);
const char *bt_map_key_str(const struct bt_map *m, struct bt_ment *e, uint32_t pos);

/*
 * Stable in-place sort of the order list.  col 0: by value (stats: by
 * statistic agg, enum bt_agg), col 1..nkeys: by that key; desc: 1 for
 * descending.  Strings compare as strcmp.  O(n log n), iterative.
 */
void bt_map_sort(struct bt_map *m, uint32_t col, int desc, unsigned int agg);

#endif /* BT_MAP_H */
