/*
 * vm_maps_keep_insertion_order.c - SystemTap array semantics of bt_map and
 * the map instructions: unsorted foreach walks insertion order, delete
 * unlinks and re-insertion appends, reading a missing key inserts nothing,
 * a full array raises SystemTap's overflow messages, a % (wrap) array
 * evicts its oldest element, an iterator survives deleting the element it
 * is on (how wildcard delete is compiled), multi-key tuples with strings.
 */
#include <stdlib.h>
#include "check.h"
#include "test_host.h"

static struct bt_map_decl int_map(uint32_t cap, int flags)
{
	struct bt_map_decl d = { 0 };

	d.capacity = cap;
	d.nkeys = 1;
	d.key_kinds[0] = BT_KIND_INT;
	d.val_kind = BT_KIND_INT;
	d.flags = flags;
	return d;
}

/* Walk the order list: "k=v k=v ...". */
static const char *walk(struct bt_map *m)
{
	static char buf[4096];
	size_t o = 0;
	uint32_t i;

	buf[0] = 0;
	for (i = bt_map_first(m); i; i = bt_map_next(m, i)) {
		struct bt_ment *e = bt_map_ent(m, i);

		o += snprintf(buf + o, sizeof(buf) - o, "%s%lld=%lld", o ? " " : "",
			      (long long)bt_map_key_int(m, e, 0),
			      (long long)*(int64_t *)bt_ment_val(m, e));
	}
	return buf;
}

static void set(struct bt_map *m, int64_t k, int64_t v)
{
	struct bt_ment *e = bt_map_insert(m, &k, NULL, NULL);

	if (e)
		*(int64_t *)bt_ment_val(m, e) = v;
}

static void direct_tests(void)
{
	struct bt_map_decl d = int_map(4, 0);
	void *mem = calloc(1, bt_map_mem_size(&d, 4, 512, 0));
	struct bt_map m;
	int64_t k;

	bt_map_init(&m, &d, 4, 512, NULL, mem);
	set(&m, 5, 50);
	set(&m, 1, 10);
	set(&m, 9, 90);
	CHECK_STR(walk(&m), "5=50 1=10 9=90", "insertion order");
	set(&m, 1, 11);
	CHECK_STR(walk(&m), "5=50 1=11 9=90", "update keeps the position");
	k = 1;
	bt_map_delete(&m, &k, NULL);
	CHECK_STR(walk(&m), "5=50 9=90", "delete unlinks");
	set(&m, 1, 12);
	CHECK_STR(walk(&m), "5=50 9=90 1=12", "re-insert appends");
	k = 77;
	CHECK(bt_map_find(&m, &k, NULL) == NULL, "missing key not found");
	CHECK_INT(m.count, 3, "reading does not insert");
	set(&m, 3, 30);
	k = 4;
	CHECK(bt_map_insert(&m, &k, NULL, NULL) == NULL, "full map refuses a new key");
	k = 3;
	CHECK(bt_map_insert(&m, &k, NULL, NULL) != NULL, "full map still updates");
	bt_map_clear(&m);
	CHECK_INT(m.count, 0, "clear empties");
	CHECK_STR(walk(&m), "", "clear empties the order");
	set(&m, 8, 80);
	CHECK_STR(walk(&m), "8=80", "usable after clear");
	free(mem);

	/* wrap: the oldest goes */
	d = int_map(3, BT_MAP_WRAP);
	mem = calloc(1, bt_map_mem_size(&d, 3, 512, 0));
	bt_map_init(&m, &d, 3, 512, NULL, mem);
	set(&m, 1, 1);
	set(&m, 2, 2);
	set(&m, 3, 3);
	set(&m, 4, 4);
	CHECK_STR(walk(&m), "2=2 3=3 4=4", "wrap map evicts the oldest");
	k = 1;
	CHECK(bt_map_find(&m, &k, NULL) == NULL, "evicted key is gone");
	set(&m, 5, 5);
	set(&m, 6, 6);
	CHECK_STR(walk(&m), "4=4 5=5 6=6", "wrap keeps evicting in order");
	free(mem);
}

/* A program exercising the instructions through the VM. */
static void vm_tests(void)
{
	struct progbuild *pb = pb_new();
	struct bt_func_decl fr = th_frame(4, 3, 1, 0);
	struct bt_map_decl d = int_map(4, BT_MAP_SIZED);
	struct bt_map_decl ds = { 0 };
	struct th t = { 0 };
	uint32_t f, f2, f3, m, ms, fmt, fmts, loop, end, j;
	static const int keys[] = { 5, 1, 9, 3 };

	m = pb_map(pb, "a", &d);
	ds.capacity = 8;
	ds.nkeys = 3;
	ds.key_kinds[0] = BT_KIND_STR;
	ds.key_kinds[1] = BT_KIND_INT;
	ds.key_kinds[2] = BT_KIND_STR;
	ds.val_kind = BT_KIND_STR;
	ms = pb_map(pb, "b", &ds);
	fmt = pb_format(pb, "%d=%d\n", 2, 0);
	fmts = pb_format(pb, "[%s,%d,%s]=%s\n", 1, 3);

	/* probe 0: fill, delete 1, re-add 1, read a missing key, foreach */
	f = pb_func_declare(pb, "probe_0");
	pb_func_begin(pb, f);
	for (j = 0; j < 4; j++) {
		pb_emit_imm(pb, BT_OP_LDI, 0, keys[j]);
		pb_emit_imm(pb, BT_OP_LDI, 1, keys[j] * 10);
		th_emit_map(pb, BT_OP_MSET, 0, 1, m, 0, 0, 0, 0);
	}
	pb_emit_imm(pb, BT_OP_LDI, 0, 1);
	th_emit_map(pb, BT_OP_MDEL, 0, 0, m, 0, 0, 0, 0);
	pb_emit_imm(pb, BT_OP_LDI, 1, 11);
	th_emit_map(pb, BT_OP_MADD, 0, 1, m, 0, 0, 0, 0);	/* 1 = 0 + 11 */
	pb_emit_imm(pb, BT_OP_LDI, 0, 1000);
	th_emit_map(pb, BT_OP_MGET, 0, 2, m, 0, 0, 0, 0);	/* missing: 0 */
	th_emit_map(pb, BT_OP_MIN, 0, 3, m, 0, 0, 0, 0);	/* not in */
	pb_emit(pb, BT_OP_ADD, 0, 2, 2, 3);			/* 0 + 0 */
	pb_emit(pb, BT_OP_MCOUNT, 0, 3, m, 0);
	pb_emit(pb, BT_OP_PRINTF, 0, fmt, 2, 0);		/* "0=4" */
	th_emit_map(pb, BT_OP_ITINIT, 0, 0, m, 0, 0, 0, 0);
	loop = pb_emit(pb, BT_OP_ITNEXT, 0, 0, 0, 0);
	pb_emit(pb, BT_OP_ITKEY, 0, 0, 0, 0);
	pb_emit(pb, BT_OP_ITVAL, 0, 1, 0, 0);
	pb_emit(pb, BT_OP_PRINTF, 0, fmt, 0, 0);
	pb_emit(pb, BT_OP_LOOP, 0, loop, 1, 0);
	end = pb_emit(pb, BT_OP_RET, 0, 0, 0, 0);
	pb_insn(pb, loop)->b = end;
	pb_func_end(pb, &fr);
	th_probe(pb, f, "begin");

	/* probe 1: delete every element whose value is > 40 while iterating */
	f2 = pb_func_declare(pb, "probe_1");
	pb_func_begin(pb, f2);
	pb_emit_imm(pb, BT_OP_LDI, 2, 40);
	th_emit_map(pb, BT_OP_ITINIT, 0, 0, m, 0, 0, 0, 0);
	loop = pb_emit(pb, BT_OP_ITNEXT, 0, 0, 0, 0);
	pb_emit(pb, BT_OP_ITKEY, 0, 0, 0, 0);
	pb_emit(pb, BT_OP_ITVAL, 0, 1, 0, 0);
	j = pb_emit(pb, BT_OP_JCMP, BT_CMP_LE, 1, 2, 0);
	th_emit_map(pb, BT_OP_MDEL, 0, 0, m, 0, 0, 0, 0);
	pb_insn(pb, j)->c = pb_emit(pb, BT_OP_LOOP, 0, loop, 1, 0);
	end = pb_emit(pb, BT_OP_NOP, 0, 0, 0, 0);
	pb_insn(pb, loop)->b = end;
	th_emit_map(pb, BT_OP_ITINIT, 0, 0, m, 0, 0, 0, 0);
	loop = pb_emit(pb, BT_OP_ITNEXT, 0, 0, 0, 0);
	pb_emit(pb, BT_OP_ITKEY, 0, 0, 0, 0);
	pb_emit(pb, BT_OP_ITVAL, 0, 1, 0, 0);
	pb_emit(pb, BT_OP_PRINTF, 0, fmt, 0, 0);
	pb_emit(pb, BT_OP_LOOP, 0, loop, 1, 0);
	end = pb_emit(pb, BT_OP_RET, 0, 0, 0, 0);
	pb_insn(pb, loop)->b = end;
	pb_func_end(pb, &fr);
	th_probe(pb, f2, "begin");

	/* probe 2: overflow the sized array (capacity 4) */
	f3 = pb_func_declare(pb, "probe_2");
	pb_func_begin(pb, f3);
	for (j = 0; j < 6; j++) {
		pb_emit_imm(pb, BT_OP_LDI, 0, 100 + j);
		pb_loc(pb, "identifier 'a' at t.stp:3:5");
		th_emit_map(pb, BT_OP_MSET, 0, 0, m, 0, 0, 0, 0);
	}
	pb_emit(pb, BT_OP_RET, 0, 0, 0, 0);
	pb_func_end(pb, &fr);
	th_probe(pb, f3, "begin");

	/* probe 3: string/int mixed keys, string values */
	f3 = pb_func_declare(pb, "probe_3");
	pb_func_begin(pb, f3);
	pb_emit(pb, BT_OP_SLDK, 0, 0, pb_strconst(pb, "x"), 0);
	pb_emit(pb, BT_OP_SLDK, 0, 1, pb_strconst(pb, "y"), 0);
	pb_emit(pb, BT_OP_SLDK, 0, 2, pb_strconst(pb, "val1"), 0);
	pb_emit_imm(pb, BT_OP_LDI, 0, 7);
	th_emit_map(pb, BT_OP_MSETS, 0, 2, ms, 0, 0, 0, 0);
	pb_emit(pb, BT_OP_SLDK, 0, 2, pb_strconst(pb, "val2"), 0);
	pb_emit(pb, BT_OP_SMOV, 0, 1, 0, 0);	/* ["x",7,"x"] */
	th_emit_map(pb, BT_OP_MSETS, 0, 2, ms, 0, 0, 0, 0);
	pb_emit(pb, BT_OP_SLDK, 0, 1, pb_strconst(pb, "y"), 0);
	th_emit_map(pb, BT_OP_MGETS, 0, 2, ms, 0, 0, 0, 0);	/* val1 */
	pb_emit(pb, BT_OP_SMOV, 0, 0, 2, 0);
	pb_emit(pb, BT_OP_SLDK, 0, 1, pb_strconst(pb, "-"), 0);
	pb_emit(pb, BT_OP_SMOV, 0, 2, 1, 0);
	pb_emit(pb, BT_OP_PRINTF, 0, fmts, 0, 0);		/* [val1,7,-]=- */
	th_emit_map(pb, BT_OP_ITINIT, 0, 0, ms, 0, 0, 0, 0);
	loop = pb_emit(pb, BT_OP_ITNEXT, 0, 0, 0, 0);
	pb_emit(pb, BT_OP_ITKEYS, 0, 0, 0, 0);
	pb_emit(pb, BT_OP_ITKEY, 0, 0, 0, 1);
	pb_emit(pb, BT_OP_ITKEYS, 0, 1, 0, 2);
	pb_emit(pb, BT_OP_ITVALS, 0, 2, 0, 0);
	pb_emit(pb, BT_OP_PRINTF, 0, fmts, 0, 0);
	pb_emit(pb, BT_OP_LOOP, 0, loop, 1, 0);
	end = pb_emit(pb, BT_OP_RET, 0, 0, 0, 0);
	pb_insn(pb, loop)->b = end;
	pb_func_end(pb, &fr);
	th_probe(pb, f3, "begin");

	if (th_build(&t, pb) || th_start(&t, 1)) {
		printf("# %s\n", t.diag.msg);
		CHECK(0, "program builds");
		return;
	}
	CHECK_INT(th_run(&t, 0, 0), BT_RUN_OK, "foreach program runs");
	CHECK_STR(t.out, "0=4\n5=50\n9=90\n3=30\n1=11\n",
		  "foreach walks insertion order; MGET of a missing key is 0, not inserted");
	CHECK_INT(th_run(&t, 0, 1), BT_RUN_OK, "delete while iterating runs");
	CHECK_STR(t.out, "3=30\n1=11\n", "iterator survives deleting its element");
	CHECK_INT(th_run(&t, 0, 2), BT_RUN_ERROR, "overflow is an error");
	CHECK_STR(t.out, "ERROR: Array overflow, check size limit (4) near identifier 'a' at t.stp:3:5\n",
		  "sized array overflow message");
	CHECK_INT(th_run(&t, 0, 3), BT_RUN_OK, "string keys run");
	CHECK_STR(t.out, "[val1,7,-]=-\n[x,7,y]=val1\n[x,7,x]=val2\n",
		  "mixed string/int key tuples");
	th_free(&t);

	/* default-capacity overflow text */
	pb = pb_new();
	d = int_map(2, 0);
	m = pb_map(pb, "c", &d);
	f = pb_func_declare(pb, "probe_0");
	pb_func_begin(pb, f);
	for (j = 0; j < 3; j++) {
		pb_emit_imm(pb, BT_OP_LDI, 0, j);
		th_emit_map(pb, BT_OP_MADD, 0, 0, m, 0, 0, 0, 0);
	}
	pb_emit(pb, BT_OP_RET, 0, 0, 0, 0);
	pb_func_end(pb, &fr);
	th_probe(pb, f, "begin");
	CHECK(th_build(&t, pb) == 0 && th_start(&t, 1) == 0, "builds");
	CHECK_INT(th_run(&t, 0, 0), BT_RUN_ERROR, "MADD overflows");
	CHECK_STR(t.out, "ERROR: Array overflow, check MAXMAPENTRIES\n",
		  "MAXMAPENTRIES overflow message");
	th_free(&t);
}

int main(void)
{
	direct_tests();
	vm_tests();
	return check_done();
}
