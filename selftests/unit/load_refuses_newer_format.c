/*
 * load_refuses_newer_format.c - bt_load() refuses a program whose format
 * minor version is newer than its own (it may call builtins or use probe
 * kinds appended since), saying which versions meet and what to do; the
 * same and older minor versions load.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "test_host.h"

static int load(uint16_t minor, struct bt_diag *d)
{
	struct progbuild *pb = pb_new();
	struct bt_func_decl fr = th_frame(1, 0, 0, 0);
	uint32_t f = pb_func_declare(pb, "probe_0");
	struct bt_prog prog;
	void *blob;
	size_t size;
	int rc;

	/* probe begin { } */
	pb_func_begin(pb, f);
	pb_emit(pb, BT_OP_RET, 0, 0, 0, 0);
	pb_func_end(pb, &fr);
	th_probe(pb, f, "begin");
	if (pb_serialize(pb, &blob, &size))
		abort();
	pb_free(pb);
	((struct bt_file_header *)blob)->abi_minor = minor;
	rc = bt_load(&prog, blob, (uint32_t)size, d);
	free(blob);
	return rc;
}

int main(void)
{
	struct bt_diag d;
	char want[128];

	CHECK_INT(load(BT_ABI_MINOR, &d), 0, "a program of this format version loads");
	if (BT_ABI_MINOR > 0)
		CHECK_INT(load(BT_ABI_MINOR - 1, &d), 0, "an older minor version loads");

	CHECK(load(BT_ABI_MINOR + 1, &d) != 0, "a newer minor version is refused");
	snprintf(want, sizeof(want),
		 "program format %d.%d is newer than this module's %d.%d: update the module",
		 BT_ABI_MAJOR, BT_ABI_MINOR + 1, BT_ABI_MAJOR, BT_ABI_MINOR);
	CHECK_STR(d.msg, want, "... with a message naming both versions");

	CHECK(load(0xffff, &d) != 0 && strstr(d.msg, "is newer than this module's"),
	      "the newest possible minor version is refused the same way");
	return check_done();
}
