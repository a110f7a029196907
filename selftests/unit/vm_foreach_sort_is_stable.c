/*
 * vm_foreach_sort_is_stable.c - foreach sorting as SystemTap does it: a
 * stable merge sort applied in place to the array's order, so ties keep
 * their previous order and a later unsorted foreach sees the last sort;
 * by value or any key, ascending or descending; strings by strcmp
 * (unsigned bytes); statistics by the chosen extractor.  Checked against
 * a reference stable sort on thousands of random elements with ties.
 */
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "test_host.h"

static struct bt_map_decl decl2(uint32_t cap)
{
	struct bt_map_decl d = { 0 };

	d.capacity = cap;
	d.nkeys = 2;
	d.key_kinds[0] = BT_KIND_INT;
	d.key_kinds[1] = BT_KIND_STR;
	d.val_kind = BT_KIND_INT;
	return d;
}

struct elem {
	int64_t k;
	char s[8];
	int64_t v;
};

static struct bt_map *mk(struct bt_map_decl *d, uint32_t cap, void **mem)
{
	struct bt_map *m = calloc(1, sizeof(*m));

	*mem = calloc(1, bt_map_mem_size(d, cap, 16, 0));
	bt_map_init(m, d, cap, 16, NULL, *mem);
	return m;
}

static void put(struct bt_map *m, const struct elem *e)
{
	char sk[16] = { 0 };
	struct bt_ment *x;

	strcpy(sk, e->s);
	x = bt_map_insert(m, &e->k, sk, NULL);
	*(int64_t *)bt_ment_val(m, x) = e->v;
}

static const char *walk(struct bt_map *m)
{
	static char buf[8192];
	size_t o = 0;
	uint32_t i;

	buf[0] = 0;
	for (i = bt_map_first(m); i; i = bt_map_next(m, i)) {
		struct bt_ment *e = bt_map_ent(m, i);

		o += snprintf(buf + o, sizeof(buf) - o, "%s%lld%s:%lld", o ? " " : "",
			      (long long)bt_map_key_int(m, e, 0), bt_map_key_str(m, e, 1),
			      (long long)*(int64_t *)bt_ment_val(m, e));
	}
	return buf;
}

static void small_cases(void)
{
	static const struct elem es[] = {
		{ 5, "e", 2 }, { 3, "c", 1 }, { 9, "B", 2 }, { 1, "a", 1 }, { 7, "aa", 3 },
	};
	struct bt_map_decl d = decl2(8);
	void *mem;
	struct bt_map *m = mk(&d, 8, &mem);
	unsigned int i;

	for (i = 0; i < 5; i++)
		put(m, &es[i]);
	bt_map_sort(m, 0, 0, 0, NULL, NULL);
	CHECK_STR(walk(m), "3c:1 1a:1 5e:2 9B:2 7aa:3", "by value ascending, ties in insertion order");
	bt_map_sort(m, 0, 1, 0, NULL, NULL);
	CHECK_STR(walk(m), "7aa:3 5e:2 9B:2 3c:1 1a:1", "by value descending, ties keep the prior order");
	CHECK_STR(walk(m), "7aa:3 5e:2 9B:2 3c:1 1a:1", "unsorted walk sees the last sort");
	bt_map_sort(m, 1, 0, 0, NULL, NULL);
	CHECK_STR(walk(m), "1a:1 3c:1 5e:2 7aa:3 9B:2", "by int key ascending");
	bt_map_sort(m, 2, 0, 0, NULL, NULL);
	CHECK_STR(walk(m), "9B:2 1a:1 7aa:3 3c:1 5e:2", "by string key: strcmp order ('B' < 'a')");
	bt_map_sort(m, 2, 1, 0, NULL, NULL);
	CHECK_STR(walk(m), "5e:2 3c:1 7aa:3 1a:1 9B:2", "by string key descending");
	put(m, &(struct elem){ 4, "d", 0 });
	CHECK_STR(walk(m), "5e:2 3c:1 7aa:3 1a:1 9B:2 4d:0", "insert after a sort appends");
	free(mem);
	free(m);
}

static int ref_cmp_col;
static int ref_desc;

static int ref_after(const struct elem *a, const struct elem *b)
{
	int64_t x, y;

	if (ref_cmp_col == 0) {
		x = a->v;
		y = b->v;
	} else if (ref_cmp_col == 1) {
		x = a->k;
		y = b->k;
	} else {
		x = strcmp(a->s, b->s);
		y = 0;
	}
	return ref_desc ? x < y : x > y;
}

/* Reference: stable insertion sort. */
static void ref_sort(struct elem *a, int n)
{
	int i, j;

	for (i = 1; i < n; i++) {
		struct elem e = a[i];

		for (j = i; j > 0 && ref_after(&a[j - 1], &e); j--)
			a[j] = a[j - 1];
		a[j] = e;
	}
}

static void random_cases(void)
{
	enum { N = 3000 };
	struct bt_map_decl d = decl2(N);
	struct elem *ref = calloc(N, sizeof(*ref));
	void *mem;
	struct bt_map *m = mk(&d, N, &mem);
	unsigned int seed = 12345, round;
	int i, ok = 1;

	for (i = 0; i < N; i++) {
		seed = seed * 1103515245 + 12345;
		ref[i].k = i;		/* unique keys */
		ref[i].v = (seed >> 16) % 17;	/* many ties */
		snprintf(ref[i].s, sizeof(ref[i].s), "%c%c", 'a' + (seed >> 8) % 5,
			 'a' + (seed >> 4) % 3);
		put(m, &ref[i]);
	}
	for (round = 0; round < 6; round++) {
		uint32_t it;

		ref_cmp_col = round % 3 == 1 ? 0 : round % 3 == 0 ? 2 : 0;
		ref_desc = round & 1;
		ref_sort(ref, N);
		bt_map_sort(m, ref_cmp_col == 2 ? 2 : ref_cmp_col, ref_desc, 0, NULL, NULL);
		i = 0;
		for (it = bt_map_first(m); it; it = bt_map_next(m, it), i++) {
			struct bt_ment *e = bt_map_ent(m, it);

			if (i >= N || bt_map_key_int(m, e, 0) != ref[i].k)
				ok = 0;
		}
		if (i != N)
			ok = 0;
	}
	CHECK(ok, "merge sort equals a reference stable sort on 3000 random elements");
	/* back links rebuilt: walk backwards */
	{
		uint32_t it = m->tail, n = 0;

		while (it && n <= N) {
			n++;
			it = bt_map_ent(m, it)->prev;
		}
		CHECK_INT(n, N, "prev links consistent after sorting");
	}
	free(mem);
	free(m);
	free(ref);
}

/* ITINIT with a sort, then a plain ITINIT, through the VM; stats by @sum. */
static void vm_cases(void)
{
	struct progbuild *pb = pb_new();
	struct bt_func_decl fr = th_frame(3, 0, 1, 0);
	struct bt_map_decl d = { 0 }, ds = { 0 };
	struct th t = { 0 };
	uint32_t f, m, st, fmt, loop, end, j, pass;
	static const int kv[][2] = { { 1, 30 }, { 2, 10 }, { 3, 20 }, { 4, 10 } };

	d.capacity = 8;
	d.nkeys = 1;
	d.key_kinds[0] = BT_KIND_INT;
	d.val_kind = BT_KIND_INT;
	m = pb_map(pb, "a", &d);
	ds = d;
	ds.val_kind = BT_KIND_STATS;
	st = pb_map(pb, "s", &ds);
	fmt = pb_format(pb, "%d:%d ", 2, 0);
	f = pb_func_declare(pb, "probe_0");
	pb_func_begin(pb, f);
	for (j = 0; j < 4; j++) {
		pb_emit_imm(pb, BT_OP_LDI, 0, kv[j][0]);
		pb_emit_imm(pb, BT_OP_LDI, 1, kv[j][1]);
		th_emit_map(pb, BT_OP_MSET, 0, 1, m, 0, 0, 0, 0);
		th_emit_map(pb, BT_OP_MSTAT, 0, 1, st, 0, 0, 0, 0);
		th_emit_map(pb, BT_OP_MSTAT, 0, 1, st, 0, 0, 0, 0);
	}
	/* foreach ([k] in a-) then foreach (k in a) then stats by @sum+ */
	for (pass = 0; pass < 3; pass++) {
		uint32_t map = pass == 2 ? st : m;

		th_emit_map(pb, BT_OP_ITINIT, pass == 0 ? BT_SORT_DESC :
			    pass == 2 ? BT_SORT_ASC : BT_SORT_NONE, 0, map, 0, 0,
			    pass == 2 ? BT_AGG_SUM : 0, 0);
		loop = pb_emit(pb, BT_OP_ITNEXT, 0, 0, 0, 0);
		pb_emit(pb, BT_OP_ITKEY, 0, 0, 0, 0);
		if (pass == 2) {
			pb_emit(pb, BT_OP_MOV, 0, 2, 0, 0);
			th_emit_map(pb, BT_OP_MAGG, 0, 1, st, 2, 0, BT_AGG_SUM, 0);
		} else {
			pb_emit(pb, BT_OP_ITVAL, 0, 1, 0, 0);
		}
		pb_emit(pb, BT_OP_PRINTF, 0, fmt, 0, 0);
		pb_emit(pb, BT_OP_LOOP, 0, loop, 1, 0);
		end = pb_emit(pb, BT_OP_NOP, 0, 0, 0, 0);
		pb_insn(pb, loop)->b = end;
	}
	pb_emit(pb, BT_OP_RET, 0, 0, 0, 0);
	pb_func_end(pb, &fr);
	th_probe(pb, f, "begin");
	if (th_build(&t, pb) || th_start(&t, 1)) {
		printf("# %s\n", t.diag.msg);
		CHECK(0, "sort program builds");
		return;
	}
	CHECK_INT(th_run(&t, 0, 0), BT_RUN_OK, "sort program runs");
	CHECK_STR(t.out, "1:30 3:20 2:10 4:10 1:30 3:20 2:10 4:10 2:20 4:20 3:40 1:60 ",
		  "sorted desc, unsorted sees it, stats by @sum ascending");
	th_free(&t);
}

int main(void)
{
	small_cases();
	random_cases();
	vm_cases();
	return check_done();
}
