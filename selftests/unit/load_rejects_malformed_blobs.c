/*
 * load_rejects_malformed_blobs.c - bt_load() treats the blob as hostile:
 * each corruption of a valid program's header, section table, tables or
 * cross-references is refused with a message saying what is wrong, and
 * limits beyond the host's caps are clamped.
 */
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "test_host.h"

static void *good;
static size_t good_size;

static void make_good(void)
{
	struct progbuild *pb = pb_new();
	struct bt_func_decl fr = th_frame(2, 1, 0, 0);
	struct bt_map_decl m = { 0 };
	struct bt_lock_ref locks[2] = { { 0, BT_LOCK_GLOBAL, 1, 0 }, { 0, BT_LOCK_MAP, 0, 0 } };
	struct bt_probe_decl pd = { 0 };
	uint32_t f;

	m.capacity = 8;
	m.nkeys = 1;
	m.key_kinds[0] = BT_KIND_INT;
	m.val_kind = BT_KIND_INT;
	pb_map(pb, "m", &m);
	pb_global(pb, "g", BT_KIND_INT, 1, pb_const(pb, 7));
	pb_format(pb, "%d %s\n", 1, 1);
	f = pb_func_declare(pb, "probe_0");
	pb_func_begin(pb, f);
	pb_loc(pb, "identifier 'x' at t.stp:1:1");
	pb_emit(pb, BT_OP_NOP, 0, 0, 0, 0);
	pb_loc(pb, "identifier 'y' at t.stp:2:1");
	pb_emit(pb, BT_OP_RET, 0, 0, 0, 0);
	pb_func_end(pb, &fr);
	pd.kind = BT_PROBE_BEGIN;
	pd.handler = f;
	pb_probe(pb, &pd, "begin", NULL, locks, 2);
	if (pb_serialize(pb, &good, &good_size))
		abort();
	pb_free(pb);
}

static uint8_t *blob;
static size_t blob_size;

static void fresh(void)
{
	free(blob);
	blob = aligned_alloc(8, good_size);
	memcpy(blob, good, good_size);
	blob_size = good_size;
}

static struct bt_file_header *hdr(void)
{
	return (struct bt_file_header *)blob;
}

static struct bt_section *sec(uint32_t type)
{
	struct bt_section *s = (struct bt_section *)(blob + sizeof(struct bt_file_header));
	uint32_t i;

	for (i = 0; i < hdr()->nsections; i++)
		if (s[i].type == type)
			return &s[i];
	abort();
}

static void *payload(uint32_t type)
{
	return blob + sec(type)->offset;
}

static void expect(const char *what, const char *want)
{
	struct bt_prog prog;
	struct bt_diag d;
	int rc = bt_load(&prog, blob, (uint32_t)blob_size, &d);

	if (!want) {
		if (rc)
			printf("# %s\n", d.msg);
		CHECK(rc == 0, what);
	} else if (rc == 0) {
		CHECK(0, what);
	} else if (!strstr(d.msg, want)) {
		printf("# got: %s\n", d.msg);
		CHECK(0, what);
	} else {
		CHECK(1, what);
	}
	fresh();
}

int main(void)
{
	struct bt_prog prog;
	struct bt_diag d;

	make_good();
	fresh();
	expect("a good blob loads", NULL);

	blob_size = 10;
	expect("truncated below the header", "smaller than its header");
	hdr()->magic ^= 1;
	expect("bad magic", "bad magic");
	hdr()->abi_major = 2;
	expect("newer ABI", "program ABI 2.0");
	hdr()->header_size = 20;
	expect("header size", "header size 20");
	blob_size -= 8;
	expect("size mismatch", "header says");
	hdr()->flags = 1;
	expect("header flags", "unknown header flags");
	hdr()->nsections = 200;
	expect("too many sections", "200 sections");
	hdr()->nsections = BT_SEC__MAX - 2;
	expect("a missing required section", "missing a required section");
	sec(BT_SEC_CONSTS)->type = 77;
	expect("unknown section type", "unknown type 77");
	sec(BT_SEC_CONSTS)->type = BT_SEC_CODE;
	expect("duplicate section", "section CODE appears twice");
	sec(BT_SEC_FUNCS)->offset += 4;
	expect("misaligned section", "not 8-byte aligned");
	sec(BT_SEC_STRTAB)->offset = (uint32_t)good_size;
	expect("section past the end", "outside the blob's payload");
	sec(BT_SEC_STRTAB)->offset = 0;
	expect("section over the header", "outside the blob's payload");
	sec(BT_SEC_CONSTS)->size += 8;
	expect("size not count * element", "is not 1 elements of 8 bytes");
	sec(BT_SEC_CONSTS)->offset = sec(BT_SEC_CODE)->offset;
	expect("overlapping sections", "overlap");
	sec(BT_SEC_CODE)->offset = 0xfffffff8u;
	expect("offset + size wrapping 32 bits", "outside the blob's payload");

	((char *)payload(BT_SEC_STRTAB))[0] = 'x';
	expect("string table not starting with NUL", "must start with the empty string");
	((char *)payload(BT_SEC_STRTAB))[sec(BT_SEC_STRTAB)->size - 1] = 'x';
	expect("string table not ending with NUL", "does not end with a NUL");
	((uint32_t *)payload(BT_SEC_FORMATS))[0] = 100000;
	expect("string reference out of range", "outside STRTAB");

	((struct bt_func_decl *)payload(BT_SEC_FUNCS))->code_len = 0;
	expect("empty function", "0 instructions");
	((struct bt_func_decl *)payload(BT_SEC_FUNCS))->code_off = 1;
	expect("function not at its place", "functions tile CODE");
	((struct bt_func_decl *)payload(BT_SEC_FUNCS))->code_len = 3;
	expect("function past CODE", "outside CODE");
	((struct bt_func_decl *)payload(BT_SEC_FUNCS))->nparam_i = 5;
	expect("more parameters than registers", "more parameters than registers");
	((struct bt_func_decl *)payload(BT_SEC_FUNCS))->ret_kind = 3;
	expect("bad return kind", "bad return kind 3");

	((struct bt_global_decl *)payload(BT_SEC_GLOBALS))->init = 5;
	expect("global init out of range", "initial value 5 out of range");
	((struct bt_global_decl *)payload(BT_SEC_GLOBALS))->kind = BT_KIND_STATS;
	expect("global of kind stats", "bad kind 3");

	((struct bt_map_decl *)payload(BT_SEC_MAPS))->capacity = 0;
	expect("map capacity 0", "capacity 0");
	((struct bt_map_decl *)payload(BT_SEC_MAPS))->capacity = BT_CAP_MAPENTRIES + 1;
	expect("map capacity over the cap", "capacity 4194305");
	((struct bt_map_decl *)payload(BT_SEC_MAPS))->nkeys = 10;
	expect("10 keys", "10 keys");
	((struct bt_map_decl *)payload(BT_SEC_MAPS))->key_kinds[0] = BT_KIND_STATS;
	expect("stats key", "bad kind 3 for key 0");
	((struct bt_map_decl *)payload(BT_SEC_MAPS))->key_kinds[3] = BT_KIND_INT;
	expect("kind for an absent key", "bad kind 1 for key 3");
	((struct bt_map_decl *)payload(BT_SEC_MAPS))->nkeys = 0;
	((struct bt_map_decl *)payload(BT_SEC_MAPS))->key_kinds[0] = 0;
	expect("keyless int map", "only a statistic may be scalar");
	((struct bt_map_decl *)payload(BT_SEC_MAPS))->hist_kind = BT_HIST_LOG;
	expect("histogram on an int map", "histogram on a non-statistic");
	((struct bt_map_decl *)payload(BT_SEC_MAPS))->flags = 0x80;
	expect("unknown map flags", "unknown flags 0x80");
	{
		struct bt_map_decl *m = payload(BT_SEC_MAPS);

		m->val_kind = BT_KIND_STATS;
		m->hist_kind = BT_HIST_LINEAR;
		m->hist_start = 0;
		m->hist_stop = 1000;
		m->hist_interval = 0;
		expect("linear interval 0", "bad @hist_linear(0, 1000, 0)");
		m = payload(BT_SEC_MAPS);
		m->val_kind = BT_KIND_STATS;
		m->hist_kind = BT_HIST_LINEAR;
		m->hist_stop = 1000;
		m->hist_interval = 1;
		expect("too many linear buckets", "bad @hist_linear(0, 1000, 1)");
		m = payload(BT_SEC_MAPS);
		m->val_kind = BT_KIND_STATS;
		m->hist_kind = BT_HIST_LINEAR;
		m->hist_start = 10;
		m->hist_stop = 5;
		m->hist_interval = 1;
		expect("stop below start", "bad @hist_linear(10, 5, 1)");
		m = payload(BT_SEC_MAPS);
		m->val_kind = BT_KIND_STATS;
		m->hist_kind = BT_HIST_LINEAR;
		m->hist_start = 0;
		m->hist_stop = 1000;
		m->hist_interval = 10;
		expect("a sane linear histogram loads", NULL);
		m = payload(BT_SEC_MAPS);
		m->val_kind = BT_KIND_STATS;
		m->flags = BT_MAP_VARIANCE;
		m->var_shift = 63;
		expect("variance shift 63", "bad variance shift 63");
	}

	((struct bt_format_decl *)payload(BT_SEC_FORMATS))->nargs_i = 2;
	expect("format arguments mismatch", "declares 2 int / 1 string arguments");

	((struct bt_probe_decl *)payload(BT_SEC_PROBES))->handler = 3;
	expect("handler out of range", "handler 3 out of range");
	((struct bt_probe_decl *)payload(BT_SEC_PROBES))->kind = 99;
	expect("unknown probe kind", "unknown kind 99");
	((struct bt_func_decl *)payload(BT_SEC_FUNCS))->nparam_i = 1;
	expect("handler with parameters", "takes parameters");
	((struct bt_probe_decl *)payload(BT_SEC_PROBES))->nlocks = 3;
	expect("locks out of range", "locks 0+3 out of range");
	((struct bt_lock_ref *)payload(BT_SEC_LOCKS))[0].space = BT_LOCK_MAP;
	expect("locks not sorted", "locks not sorted");
	((struct bt_lock_ref *)payload(BT_SEC_LOCKS))[1].index = 5;
	expect("lock index out of range", "bad lock 1");

	((struct bt_loc *)payload(BT_SEC_LOCS))[1].pc = 0;
	expect("locations not sorted", "not sorted by pc");
	((struct bt_loc *)payload(BT_SEC_LOCS))[1].pc = 9;
	expect("location pc out of range", "pc 9 or text out of range");

	((struct bt_limits *)payload(BT_SEC_LIMITS))->flags = 4;
	expect("unknown limit flags", "unknown limit flags");
	{
		struct bt_limits *l = payload(BT_SEC_LIMITS);

		l->maxstringlen = 100000;
		l->maxnesting = 100000;
		l->maxmapentries = 0;
		CHECK(bt_load(&prog, blob, (uint32_t)blob_size, &d) == 0, "huge limits load");
		CHECK_INT(prog.limits.maxstringlen, BT_CAP_MAXSTRINGLEN, "MAXSTRINGLEN clamped");
		CHECK_INT(prog.limits.maxnesting, BT_CAP_MAXNESTING, "MAXNESTING clamped");
		CHECK_INT(prog.limits.maxmapentries, 1, "MAXMAPENTRIES at least 1");
		fresh();
	}
	{
		uint8_t *odd = malloc(good_size + 1);

		memcpy(odd + 1, good, good_size);
		CHECK(bt_load(&prog, odd + 1, (uint32_t)good_size, &d) < 0 &&
		      strstr(d.msg, "not 8-byte aligned"), "misaligned blob pointer refused");
		free(odd);
	}
	free(blob);
	free(good);
	return check_done();
}
