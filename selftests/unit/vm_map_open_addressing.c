/*
 * vm_map_open_addressing.c - bt_map's open-addressing table (bt_map.h)
 * against a plain reference model: long random runs of insert, update,
 * lookup, delete, re-insert and clear on maps of every key shape (one
 * integer, one string, int/string/int tuples), with keys chosen to
 * collide (multiples of the table size, keys forced onto one home slot,
 * negative keys, INT64_MIN/MAX, aligned addresses) as well as dense and
 * random ones; full maps refuse new keys, % maps evict their oldest.
 * After every step the table's invariants are checked from the outside:
 * the order list is the model's order, forwards and backwards, the live
 * slots are exactly the listed ones, every key lies within maxd of its
 * home, maxd is exact and BT_MENT_FAR marks it.  Then the inlined VM fast
 * paths (bt_map_insert1, bt_map_get1) against the general ones, freed
 * slots being reused, maxd saturating, iterators surviving deletes, the
 * memory-size contract, and the map instructions run through the VM.
 */
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "test_host.h"

#define SLEN	16
#define MAXN	4096

struct key {
	int64_t ik[3];
	char sk[2 * SLEN];	/* the string keys, SLEN apart, as in a frame */
};

struct model {
	struct key k[MAXN];
	int64_t v[MAXN];
	uint32_t n;
};

static uint64_t rng_state = 88172645463325252ull;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dull;
}

static struct bt_map_decl decl(int shape, uint32_t cap, int flags)
{
	struct bt_map_decl d = { 0 };

	d.capacity = cap;
	d.val_kind = BT_KIND_INT;
	d.flags = flags;
	switch (shape) {
	case 0:		/* [int] */
		d.nkeys = 1;
		d.key_kinds[0] = BT_KIND_INT;
		break;
	case 1:		/* [string] */
		d.nkeys = 1;
		d.key_kinds[0] = BT_KIND_STR;
		break;
	default:	/* [int, string, int] */
		d.nkeys = 3;
		d.key_kinds[0] = BT_KIND_INT;
		d.key_kinds[1] = BT_KIND_STR;
		d.key_kinds[2] = BT_KIND_INT;
		break;
	}
	return d;
}

static void *mk(struct bt_map *m, const struct bt_map_decl *d, uint32_t cap)
{
	void *mem = calloc(1, bt_map_mem_size(d, cap, SLEN, 0));

	bt_map_init(m, d, cap, SLEN, NULL, mem);
	return mem;
}

static int key_eq(const struct bt_map *m, const struct key *a, const struct key *b)
{
	uint32_t i;

	for (i = 0; i < m->nik; i++)
		if (a->ik[i] != b->ik[i])
			return 0;
	for (i = 0; i < m->nsk; i++)
		if (strcmp(a->sk + i * SLEN, b->sk + i * SLEN))
			return 0;
	return 1;
}

static int ent_is(const struct bt_map *m, struct bt_ment *e, const struct key *k)
{
	struct key x;
	uint32_t i;

	memset(&x, 0, sizeof(x));
	for (i = 0; i < m->nik; i++)
		x.ik[i] = bt_ment_ik(m, e)[i];
	for (i = 0; i < m->nsk; i++)
		snprintf(x.sk + i * SLEN, SLEN, "%s", bt_ment_sk(m, e, i));
	return key_eq(m, &x, k);
}

static int model_find(const struct bt_map *m, const struct model *md,
		      const struct key *k)
{
	uint32_t i;

	for (i = 0; i < md->n; i++)
		if (key_eq(m, &md->k[i], k))
			return (int)i;
	return -1;
}

static void model_del(struct model *md, int i)
{
	memmove(&md->k[i], &md->k[i + 1], (md->n - i - 1) * sizeof(md->k[0]));
	memmove(&md->v[i], &md->v[i + 1], (md->n - i - 1) * sizeof(md->v[0]));
	md->n--;
}

static uint32_t home_of(const struct bt_map *m, struct bt_ment *e)
{
	if (bt_map_is_i1(m))
		return bt_map_home1(m, bt_ment_ik(m, e)[0]);
	return bt_map_hash(m, bt_ment_ik(m, e), bt_ment_sk(m, e, 0)) & m->mask;
}

/*
 * The table's invariants, checked from outside; returns NULL or what is
 * wrong.  md may be NULL (no model to compare the order with).
 */
static const char *invariants(const struct bt_map *m, const struct model *md)
{
	static uint32_t far[1 << 17];
	uint32_t i, n = 0, prev = 0, live = 0;

	if (m->nslots > (1u << 17))
		return "test table too small";
	if (m->nslots & (m->nslots - 1) || m->mask != m->nslots - 1)
		return "nslots not a power of two";
	if ((uint64_t)m->nslots * 4 < (uint64_t)m->cap * 5)
		return "nslots < capacity * 5/4";
	for (i = bt_map_first(m); i; i = bt_map_next(m, i)) {
		struct bt_ment *e = bt_map_ent(m, i);

		if (n >= m->count)
			return "order list longer than count";
		if (!bt_ment_live(e))
			return "dead entry in the order list";
		if (e->prev != prev)
			return "prev link wrong";
		if (md && (n >= md->n || !ent_is(m, e, &md->k[n])))
			return "order differs from the model";
		if (md && *(int64_t *)bt_ment_val(m, e) != md->v[n])
			return "value differs from the model";
		prev = i;
		n++;
	}
	if (n != m->count || (md && n != md->n))
		return "count wrong";
	if (m->tail != prev)
		return "tail wrong";
	memset(far, 0, sizeof(far[0]) * m->nslots);
	for (i = 0; i < m->nslots; i++) {
		struct bt_ment *e = bt_map_ent(m, i + 1);
		uint32_t h, d;

		if (!bt_ment_live(e))
			continue;
		live++;
		h = home_of(m, e);
		d = (i - h) & m->mask;
		if (d > far[h])
			far[h] = d;
		if (d && !(bt_map_ent(m, h + 1)->next & BT_MENT_FAR))
			return "displaced key, home without BT_MENT_FAR";
		if (m->maxd[h] != BT_MAP_MAXD_SAT && d > m->maxd[h])
			return "key beyond maxd of its home";
	}
	if (live != m->count)
		return "live slots not all in the order list";
	for (i = 0; i < m->nslots; i++) {
		if (m->maxd[i] == BT_MAP_MAXD_SAT)
			continue;
		if (m->maxd[i] != far[i])
			return "maxd not exact";
		if (m->maxd[i] && !(bt_map_ent(m, i + 1)->next & BT_MENT_FAR))
			return "maxd > 0 without BT_MENT_FAR";
	}
	return NULL;
}

/* A key of the map's shape: kind of distribution by the low bits of r. */
static void gen_key(const struct bt_map *m, struct key *k, unsigned int pool)
{
	uint64_t r = rnd();
	int64_t x;

	memset(k, 0, sizeof(*k));
	switch (r % 9) {
	case 0:		/* dense */
		x = (int64_t)((r >> 8) % pool);
		break;
	case 1:		/* multiples of the table size */
		x = (int64_t)((r >> 8) % pool) * m->nslots;
		break;
	case 2:		/* small negative */
		x = -(int64_t)((r >> 8) % pool) - 1;
		break;
	case 3: {	/* the extremes and around them */
		static const int64_t ext[] = { INT64_MIN, INT64_MIN + 1, INT64_MAX,
					       INT64_MAX - 1, 0, -1, 1 };

		x = ext[(r >> 8) % 7];
		break;
	}
	case 4:		/* page-aligned kernel-like addresses */
		x = (int64_t)(0xffff888000000000ull + ((r >> 8) % pool) * 4096);
		break;
	case 5:		/* multiples of a large power of two */
		x = (int64_t)(((r >> 8) % pool) << 40);
		break;
	default:	/* dense again, but past the table */
		x = (int64_t)((r >> 8) % pool) + 3 * (int64_t)m->nslots;
		break;
	}
	k->ik[0] = x;
	k->ik[1] = (int64_t)((r >> 40) % 3) - 1;
	k->ik[2] = x ^ 5;
	if (m->nsk) {
		/* common prefixes, so the stored hash and strcmp both matter */
		snprintf(k->sk, SLEN, "key/%lld", (long long)(x % 1000));
		if (m->nsk > 1)
			snprintf(k->sk + SLEN, SLEN, "%c", 'a' + (int)(r >> 60));
	}
}

/*
 * A random run on one map against the model.  fast: use the VM's inlined
 * paths for a one-integer-key map.
 */
static const char *churn(int shape, uint32_t cap, int flags, unsigned int steps,
			 unsigned int pool, int fast)
{
	static struct model md;
	struct bt_map_decl d = decl(shape, cap, flags);
	struct bt_map m;
	void *mem = mk(&m, &d, cap);
	const char *bad = NULL;
	unsigned int s;

	md.n = 0;
	for (s = 0; s < steps && !bad; s++) {
		struct key k;
		uint64_t op = rnd() % 100;
		int at;

		gen_key(&m, &k, pool);
		at = model_find(&m, &md, &k);
		if (op < 50) {		/* set k = s (or += s) */
			struct bt_ment *e;
			int add = op & 1;

			if (fast && bt_map_is_i1(&m)) {
				e = bt_map_insert1(&m, k.ik[0]);
			} else {
				int ins = -1;

				e = bt_map_insert(&m, k.ik, k.sk, &ins);
				if (e && ins != (at < 0))
					bad = "insert: *inserted wrong";
			}
			if (at < 0 && md.n == cap && !(flags & BT_MAP_WRAP)) {
				if (e)
					bad = "full map took a new key";
				continue;
			}
			if (!e) {
				bad = "insert failed";
				break;
			}
			if (!ent_is(&m, e, &k))
				bad = "insert returned another key";
			if (at < 0) {
				if (md.n == cap)
					model_del(&md, 0);	/* wrap: oldest */
				if (*(int64_t *)bt_ment_val(&m, e) != 0)
					bad = "new entry not 0";
				at = (int)md.n++;
				md.k[at] = k;
				md.v[at] = 0;
			}
			if (add)
				*(int64_t *)bt_ment_val(&m, e) += s;
			else
				*(int64_t *)bt_ment_val(&m, e) = s;
			md.v[at] = add ? md.v[at] + s : s;
		} else if (op < 80) {	/* read */
			struct bt_ment *e = bt_map_find(&m, k.ik, k.sk);

			if ((e != NULL) != (at >= 0))
				bad = "find: membership differs";
			else if (e && *(int64_t *)bt_ment_val(&m, e) != md.v[at])
				bad = "find: value differs";
			if (bt_map_is_i1(&m)) {
				if (bt_map_find1(&m, k.ik[0]) != e)
					bad = "find1 differs from find";
				if (bt_map_get1(&m, k.ik[0]) != (at >= 0 ? md.v[at] : 0))
					bad = "get1: value differs";
			}
		} else if (op < 97) {	/* delete */
			bt_map_delete(&m, k.ik, k.sk);
			if (at >= 0)
				model_del(&md, at);
		} else if (op < 98) {	/* delete the oldest through its entry */
			if (md.n) {
				bt_map_delete_ent(&m, bt_map_ent(&m, bt_map_first(&m)));
				model_del(&md, 0);
			}
		} else if (op == 98 && rnd() % 8 == 0) {
			bt_map_clear(&m);
			md.n = 0;
		}
		if (!bad && (s % 7 == 0 || s + 1 == steps))
			bad = invariants(&m, &md);
	}
	if (!bad) {
		/* emptying it leaves no maxd and no BT_MENT_FAR behind */
		uint32_t i;

		while (md.n) {
			bt_map_delete(&m, md.k[md.n / 2].ik, md.k[md.n / 2].sk);
			model_del(&md, (int)(md.n / 2));
		}
		bad = invariants(&m, &md);
		for (i = 0; i < m.nslots && !bad; i++)
			if (m.maxd[i] || (bt_map_ent(&m, i + 1)->next & BT_MENT_FAR))
				bad = "maxd left after deleting everything";
	}
	free(mem);
	return bad;
}

static void churn_tests(void)
{
	static const char *const shape_name[] = { "[int]", "[string]", "[int,string,int]" };
	char what[160];
	int shape, wrap, fast;

	for (shape = 0; shape < 3; shape++) {
		for (wrap = 0; wrap < 2; wrap++) {
			for (fast = 0; fast < (shape ? 1 : 2); fast++) {
				const char *bad;

				/* small pool: mostly updates and re-inserts; big: a full map */
				bad = churn(shape, 300, wrap ? BT_MAP_WRAP : 0, 30000, 200, fast);
				if (!bad)
					bad = churn(shape, 300, wrap ? BT_MAP_WRAP : 0, 30000, 5000, fast);
				if (!bad)
					bad = churn(shape, 5, wrap ? BT_MAP_WRAP : 0, 5000, 12, fast);
				snprintf(what, sizeof(what), "%s%s%s: random churn matches the model, invariants hold%s%s",
					 shape_name[shape], wrap ? "%" : "", fast ? " (VM fast paths)" : "",
					 bad ? ": " : "", bad ? bad : "");
				CHECK(!bad, what);
			}
		}
	}
}

/* The key in block hi (k >> bits == hi) whose home is h (one-int-key maps). */
static int64_t key_at(const struct bt_map *m, uint64_t hi, uint32_t h)
{
	int64_t base = (int64_t)(hi << m->bits);

	/* within a block, home1 is the low bits plus a per-block offset */
	return base + (int64_t)((h - bt_map_home1(m, base)) & m->mask);
}

/* n keys that all have home slot h in m. */
static void same_home(const struct bt_map *m, uint32_t h, int64_t *keys, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		keys[i] = key_at(m, i + 1, h);
}

static void collision_tests(void)
{
	struct bt_map_decl d = decl(0, 400, 0);
	struct bt_map m;
	void *mem = mk(&m, &d, 400);
	int64_t keys[300], k;
	uint32_t i, h = m.mask - 3;	/* near the end: the stretch wraps */
	const char *bad;
	int ok = 1;

	same_home(&m, h, keys, 300);
	for (i = 0; i < 300; i++)
		ok &= bt_map_home1(&m, keys[i]) == h;
	CHECK(ok, "300 keys forced onto one home slot");
	for (i = 0; i < 300; i++)
		*(int64_t *)bt_ment_val(&m, bt_map_insert1(&m, keys[i])) = i;
	CHECK_INT(m.maxd[h], 299, "maxd of the shared home is the farthest key");
	CHECK(bt_map_ent(&m, h + 1)->next & BT_MENT_FAR, "home slot marked BT_MENT_FAR");
	ok = 1;
	for (i = 0; i < 300; i++)
		ok &= bt_map_get1(&m, keys[i]) == (int64_t)i &&
		      bt_map_find(&m, &keys[i], NULL) == bt_map_find1(&m, keys[i]);
	CHECK(ok, "every colliding key found, across the end of the table");
	k = keys[299] + ((int64_t)1 << m.bits);
	while (bt_map_home1(&m, k) != h)
		k += (int64_t)1 << m.bits;	/* hits it within 2^bits tries */
	CHECK(bt_map_find(&m, &k, NULL) == NULL, "a missing key of that home: not found");
	CHECK_INT(m.count, 300, "and not inserted");
	bad = invariants(&m, NULL);
	CHECK(!bad, bad ? bad : "invariants hold with a 300-slot stretch");

	/* free slots in the stretch are reused; maxd shrinks from the far end */
	for (i = 0; i < 300; i += 2)
		bt_map_delete(&m, &keys[i], NULL);
	CHECK_INT(m.maxd[h], 299, "deleting inner keys keeps maxd");
	bt_map_delete(&m, &keys[299], NULL);
	CHECK_INT(m.maxd[h], 297, "deleting the farthest shrinks maxd to the next");
	for (i = 0; i < 300; i += 2)
		bt_map_insert1(&m, keys[i]);
	CHECK(m.maxd[h] == 298 && m.count == 299,
	      "re-inserted keys reuse the 149 freed slots inside the stretch first");
	bad = invariants(&m, NULL);
	CHECK(!bad, bad ? bad : "invariants hold after reuse");
	for (i = 0; i < 299; i++)
		bt_map_delete(&m, &keys[i], NULL);
	CHECK(m.maxd[h] == 0 && !(bt_map_ent(&m, h + 1)->next & BT_MENT_FAR) && m.count == 0,
	      "deleting them all: maxd 0, BT_MENT_FAR off");

	/* a dense run, then a key homed inside it: found after the run */
	for (i = 0; i < 350; i++)
		bt_map_insert1(&m, i);
	k = key_at(&m, 1, 10);
	CHECK_INT(bt_map_home1(&m, k), 10, "a big key homed inside the dense run");
	*(int64_t *)bt_ment_val(&m, bt_map_insert1(&m, k)) = 77;
	CHECK_INT(bt_map_get1(&m, k), 77, "found past the run");
	CHECK_INT(m.maxd[10], 340, "its home's maxd spans the run");
	CHECK(bt_map_find1(&m, k + ((int64_t)1 << 62)) == NULL &&
	      bt_map_get1(&m, 11) == 0 && bt_map_find1(&m, 11) != NULL,
	      "other homes in the run stay one-slot lookups");
	bad = invariants(&m, NULL);
	CHECK(!bad, bad ? bad : "invariants hold with a dense run");
	bt_map_clear(&m);
	ok = m.count == 0 && bt_map_first(&m) == 0;
	for (i = 0; i < m.nslots; i++)
		ok &= m.maxd[i] == 0 && !(bt_map_ent(&m, i + 1)->next &
					  (BT_MENT_FAR | BT_MENT_LIVE));
	CHECK(ok, "clear leaves no live slot, maxd or BT_MENT_FAR");
	free(mem);

	/* dense keys lie in slot k: the array-like layout the design is for */
	d = decl(0, 1000, 0);
	mem = mk(&m, &d, 1000);
	ok = 1;
	for (i = 0; i < 1000; i++)
		ok &= bt_map_idx(&m, bt_map_insert1(&m, i)) == i + 1;
	CHECK(ok, "keys 0..999 sit in slots 0..999");
	ok = 1;
	for (i = 0; i < 1000; i++)
		ok &= bt_map_home1(&m, (int64_t)i * m.nslots) !=
		      bt_map_home1(&m, (int64_t)(i + 1) * m.nslots);
	CHECK(ok, "multiples of the table size get different homes");
	free(mem);
}

/*
 * A % map keyed by a counter: the window of live keys slides through key
 * space, and no key is ever displaced from its home.
 */
static void window_tests(void)
{
	static const uint32_t caps[] = { 6, 100, 1638, 3000 };
	uint32_t c;

	for (c = 0; c < BT_ARRAY_SIZE(caps); c++) {
		struct bt_map_decl d = decl(0, caps[c], BT_MAP_WRAP);
		struct bt_map m;
		void *mem = mk(&m, &d, caps[c]);
		/* up to nslots^2 keys: one stretch of the mix() term */
		uint64_t n = BT_MIN((uint64_t)m.nslots * m.nslots, 300000), k;
		uint64_t moved = 0;
		char what[120];

		for (k = 0; k < n; k++) {
			struct bt_ment *e = bt_map_insert1(&m, (int64_t)k);

			*(int64_t *)bt_ment_val(&m, e) = (int64_t)k;
			moved += bt_map_idx(&m, e) - 1 != bt_map_home1(&m, (int64_t)k);
			if (k >= caps[c] && bt_map_get1(&m, (int64_t)(k - caps[c] + 1)) !=
			    (int64_t)(k - caps[c] + 1))
				moved += 1000000;
		}
		snprintf(what, sizeof(what), "%%[%u] keyed by a counter: every key in its home slot, "
			 "the window intact (%llu off)", caps[c], (unsigned long long)moved);
		CHECK(moved == 0 && m.count == caps[c] && !invariants(&m, NULL), what);
		free(mem);
	}
}

/* maxd saturates at 0xffff displacements: still correct, cleared by clear. */
static void saturation_test(void)
{
	struct bt_map_decl d = decl(0, 80000, 0);
	struct bt_map m;
	void *mem = mk(&m, &d, 80000);
	int64_t k, miss;
	uint32_t i;
	const char *bad;

	for (i = 0; i < 70000; i++)
		bt_map_insert1(&m, i);
	k = key_at(&m, 1, 0);
	CHECK_INT(bt_map_home1(&m, k), 0, "a key homed at slot 0, under a 70000-key run");
	*(int64_t *)bt_ment_val(&m, bt_map_insert1(&m, k)) = 5;
	CHECK(m.maxd[0] == BT_MAP_MAXD_SAT && m.sat, "its maxd saturates");
	CHECK_INT(bt_map_get1(&m, k), 5, "and it is found");
	miss = k + ((int64_t)2 << m.bits);
	while (bt_map_home1(&m, miss) != 0)
		miss += (int64_t)1 << m.bits;
	CHECK(bt_map_find(&m, &miss, NULL) == NULL, "a missing key of that home is not");
	bad = invariants(&m, NULL);
	CHECK(!bad, bad ? bad : "invariants hold when saturated");
	bt_map_delete(&m, &k, NULL);
	CHECK(bt_map_find(&m, &k, NULL) == NULL && m.count == 70000, "deleted");
	bt_map_clear(&m);
	CHECK(m.maxd[0] == 0 && !m.sat, "clear resets a saturated maxd");
	bt_map_insert1(&m, 1);
	CHECK(bt_map_find1(&m, 0) == NULL && bt_map_get1(&m, 1) == 0 && m.count == 1,
	      "usable after clear");
	free(mem);
}

/* Deleting under an iterator, as ITNEXT walks (nxt saved first). */
static void iterator_tests(void)
{
	struct bt_map_decl d = decl(0, 50, 0);
	struct bt_map m;
	void *mem = mk(&m, &d, 50);
	uint32_t cur, nxt, n = 0, guard = 1000;
	int64_t i, k;
	char buf[512];
	size_t o = 0;

	for (i = 0; i < 40; i++)
		*(int64_t *)bt_ment_val(&m, bt_map_insert1(&m, i * 64)) = i;
	/* delete each element while on it, and its successor's successor */
	for (nxt = bt_map_first(&m); (cur = nxt) && guard--;) {
		struct bt_ment *e = bt_map_ent(&m, cur);
		uint32_t after;

		nxt = bt_map_next(&m, cur);
		k = bt_map_key_int(&m, e, 0);
		o += snprintf(buf + o, sizeof(buf) - o, "%lld ", (long long)(k / 64));
		bt_map_delete_ent(&m, e);
		after = bt_map_next(&m, nxt);
		if (after)
			bt_map_delete_ent(&m, bt_map_ent(&m, after));
		n++;
	}
	CHECK_STR(buf, "0 1 3 5 7 9 11 13 15 17 19 21 23 25 27 29 31 33 35 37 39 ",
		  "iterator survives deleting its element and the one after next");
	CHECK_INT(m.count, 0, "all gone");
	/* a stale position: the deleted entry keeps its successor */
	for (i = 0; i < 5; i++)
		bt_map_insert1(&m, i);
	k = 2;
	cur = bt_map_idx(&m, bt_map_find1(&m, 2));
	bt_map_delete(&m, &k, NULL);
	nxt = bt_map_next(&m, cur);
	CHECK(nxt && bt_map_key_int(&m, bt_map_ent(&m, nxt), 0) == 3,
	      "a deleted entry still leads to its old successor");
	CHECK(bt_map_next(&m, 0) == 0 && bt_map_next(&m, m.nslots + 1) == 0 &&
	      bt_map_next(&m, 0xffffffffu) == 0, "out-of-range positions end the walk");
	free(mem);
}

/* Sorting rewrites links: the flag bits must survive it. */
static void sort_test(void)
{
	struct bt_map_decl d = decl(0, 300, 0);
	struct bt_map m;
	void *mem = mk(&m, &d, 300);
	int64_t keys[40];
	uint32_t i, n = 0;
	int64_t last = INT64_MIN;
	const char *bad;
	int ok = 1;

	same_home(&m, 7, keys, 40);
	for (i = 0; i < 40; i++)
		*(int64_t *)bt_ment_val(&m, bt_map_insert1(&m, keys[i])) = (i * 7) % 13;
	for (i = 0; i < 200; i++)
		*(int64_t *)bt_ment_val(&m, bt_map_insert1(&m, 1000 + i * 3)) = i % 11;
	bt_map_sort(&m, 0, 0, 0, NULL, NULL);
	for (i = bt_map_first(&m); i; i = bt_map_next(&m, i), n++) {
		int64_t v = *(int64_t *)bt_ment_val(&m, bt_map_ent(&m, i));

		ok &= v >= last;
		last = v;
	}
	CHECK(ok && n == 240, "sorted by value");
	bad = invariants(&m, NULL);
	CHECK(!bad, bad ? bad : "invariants (BT_MENT_FAR, live bits, prev links) hold after a sort");
	ok = 1;
	for (i = 0; i < 40; i++)
		ok &= bt_map_find1(&m, keys[i]) != NULL;
	CHECK(ok, "colliding keys still found after a sort");
	free(mem);
}

/* The memory contract bt_vm.c's session layout relies on. */
static void size_tests(void)
{
	static const uint32_t caps[] = { 1, 2, 3, 4, 5, 100, 2048, 3277, 4000001 };
	uint32_t i;
	int ok = 1;

	for (i = 0; i < BT_ARRAY_SIZE(caps); i++) {
		struct bt_map_decl d = decl((int)(i % 3), caps[i], 0);
		uint64_t size = bt_map_mem_size(&d, caps[i], SLEN, 0);
		uint32_t es = bt_map_entry_size(&d, SLEN, 0);
		uint8_t *mem = malloc(64);
		struct bt_map m;
		uint64_t n;

		bt_map_init(&m, &d, caps[i], SLEN, NULL, mem);
		n = m.nslots;
		ok &= m.esize == es && es % 8 == 0;
		ok &= n >= 2 && (n & (n - 1)) == 0 && n * 4 >= (uint64_t)caps[i] * 5 &&
		      (n / 2) * 4 < (uint64_t)caps[i] * 5 + 8;
		ok &= size == n * es + ((n * 2 + 7) & ~7ull);
		ok &= (uint8_t *)m.maxd == mem + n * es;
		free(mem);
	}
	CHECK(ok, "nslots: the power of two >= capacity * 5/4; mem size = slots + maxd");
	{
		struct bt_map_decl d = decl(0, 10, 0);

		CHECK_INT(bt_map_entry_size(&d, SLEN, 0), 24, "an int -> int entry is 24 bytes");
	}
}

/* The map instructions through the VM: the inlined paths in bt_vm.c. */
static void vm_test(void)
{
	struct progbuild *pb = pb_new();
	struct bt_func_decl fr = th_frame(4, 0, 1, 0);
	struct bt_map_decl d = decl(0, 8, BT_MAP_SIZED);
	struct th t = { 0 };
	uint32_t f, mi, fmt, loop, end, j;
	static const int64_t keys[] = { INT64_MIN, INT64_MAX, -1, 0, 16, 32, 48,
					(int64_t)1 << 62 };

	mi = pb_map(pb, "a", &d);
	fmt = pb_format(pb, "%d=%d\n", 2, 0);
	f = pb_func_declare(pb, "probe_0");
	pb_func_begin(pb, f);
	for (j = 0; j < 8; j++) {		/* a[k] = j; a[k] += 100 */
		pb_emit(pb, BT_OP_LDK, 0, 0, pb_const(pb, keys[j]), 0);
		pb_emit_imm(pb, BT_OP_LDI, 1, (int32_t)j);
		th_emit_map(pb, BT_OP_MSET, 0, 1, mi, 0, 0, 0, 0);
		pb_emit_imm(pb, BT_OP_LDI, 1, 100);
		th_emit_map(pb, BT_OP_MADD, 0, 1, mi, 0, 0, 0, 0);
	}
	for (j = 0; j < 8; j += 3) {		/* delete a[k0], a[k3], a[k6] */
		pb_emit(pb, BT_OP_LDK, 0, 0, pb_const(pb, keys[j]), 0);
		th_emit_map(pb, BT_OP_MDEL, 0, 0, mi, 0, 0, 0, 0);
	}
	pb_emit(pb, BT_OP_LDK, 0, 0, pb_const(pb, keys[0]), 0);	/* re-add k0 */
	pb_emit_imm(pb, BT_OP_LDI, 1, 5);
	th_emit_map(pb, BT_OP_MADD, 0, 1, mi, 0, 0, 0, 0);
	pb_emit(pb, BT_OP_LDK, 0, 0, pb_const(pb, keys[3]), 0);	/* read deleted: 0 */
	th_emit_map(pb, BT_OP_MGET, 0, 1, mi, 0, 0, 0, 0);
	th_emit_map(pb, BT_OP_MIN, 0, 2, mi, 0, 0, 0, 0);
	pb_emit(pb, BT_OP_ADD, 0, 1, 1, 2);
	pb_emit(pb, BT_OP_LDK, 0, 0, pb_const(pb, keys[1]), 0);	/* 101 */
	th_emit_map(pb, BT_OP_MGET, 0, 2, mi, 0, 0, 0, 0);
	th_emit_map(pb, BT_OP_MIN, 0, 3, mi, 0, 0, 0, 0);
	pb_emit(pb, BT_OP_ADD, 0, 2, 2, 3);			/* 102 */
	pb_emit(pb, BT_OP_PRINTF, 0, fmt, 1, 0);		/* "0=102" */
	th_emit_map(pb, BT_OP_ITINIT, 0, 0, mi, 0, 0, 0, 0);
	loop = pb_emit(pb, BT_OP_ITNEXT, 0, 0, 0, 0);
	pb_emit(pb, BT_OP_ITKEY, 0, 0, 0, 0);
	pb_emit(pb, BT_OP_ITVAL, 0, 1, 0, 0);
	pb_emit(pb, BT_OP_PRINTF, 0, fmt, 0, 0);
	pb_emit(pb, BT_OP_LOOP, 0, loop, 1, 0);
	end = pb_emit(pb, BT_OP_RET, 0, 0, 0, 0);
	pb_insn(pb, loop)->b = end;
	pb_func_end(pb, &fr);
	th_probe(pb, f, "begin");

	f = pb_func_declare(pb, "probe_1");	/* fill past the size: error */
	pb_func_begin(pb, f);
	for (j = 0; j < 4; j++) {
		pb_emit_imm(pb, BT_OP_LDI, 0, 1000 + (int32_t)j * 8);
		pb_emit_imm(pb, BT_OP_LDI, 1, 1);
		pb_loc(pb, "identifier 'a' at t.stp:1:1");
		th_emit_map(pb, BT_OP_MADD, 0, 1, mi, 0, 0, 0, 0);
	}
	pb_emit(pb, BT_OP_RET, 0, 0, 0, 0);
	pb_func_end(pb, &fr);
	th_probe(pb, f, "begin");

	if (th_build(&t, pb) || th_start(&t, 1)) {
		printf("# %s\n", t.diag.msg);
		CHECK(0, "program builds");
		return;
	}
	CHECK_INT(th_run(&t, 0, 0), BT_RUN_OK, "map program runs");
	CHECK_STR(t.out, "0=102\n"
		  "9223372036854775807=101\n-1=102\n16=104\n32=105\n"
		  "4611686018427387904=107\n-9223372036854775808=5\n",
		  "MSET/MADD/MGET/MIN/MDEL with extreme keys, insertion order kept");
	CHECK_INT(th_run(&t, 0, 1), BT_RUN_ERROR, "a third new key overflows a[8]");
	CHECK_STR(t.out, "ERROR: Array overflow, check size limit (8) near identifier 'a' at t.stp:1:1\n",
		  "sized overflow message from the inlined insert");
	th_free(&t);
}

int main(void)
{
	size_tests();
	collision_tests();
	saturation_test();
	window_tests();
	iterator_tests();
	sort_test();
	churn_tests();
	vm_test();
	return check_done();
}
