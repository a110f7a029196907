/*
 * kallsyms_names_addresses.c - address -> symbol from a kallsyms file
 * (ksym_lookup / ksym_format) and print_backtrace() records printed in
 * SystemTap's layout by output.c.
 */
#include <stdlib.h>
#include <unistd.h>
#include "check.h"
#include "kallsyms.h"
#include "output.h"
#include "bt_record.h"

static const char fake[] =
	"0000000000000000 A fixed_percpu_data\n"
	"000000000001f000 A cpu_tss_rw\n"
	"ffffffff81000000 T _stext\n"
	"ffffffff81000000 T startup_64\n"
	"ffffffff81001000 T vfs_read\n"
	"ffffffff81001000 t vfs_read_alias\n"
	"ffffffff810011c0 T vfs_write\n"
	"ffffffff81001400 D some_data\n"
	"ffffffffc0002000 t ext4_fill_super\t[ext4]\n"
	"ffffffffc0000000 t ext4_init\t[ext4]\n"
	"ffffffffc0004000 t lonely\t[tiny]\n";

int main(void)
{
	char path[] = "/tmp/bt-kallsyms-XXXXXX", buf[256];
	int fd = mkstemp(path);
	struct ksym_info k;
	uint8_t rec[sizeof(struct bt_rec) + 3 * 8];
	struct bt_rec h = { sizeof(rec), BT_REC_BACKTRACE, 0, BT_REC_BT_RETURN, 0 };
	uint64_t addrs[3] = { 0xffffffff810011c0ull, 0xffffffff81001010ull, 0xffffffffc0002010ull };
	struct bt_prog prog;
	struct output *o;
	char *text = NULL;
	size_t tlen = 0;
	FILE *mem;

	if (fd < 0 || write(fd, fake, sizeof(fake) - 1) != (ssize_t)sizeof(fake) - 1)
		return 1;
	close(fd);
	setenv("BYTETAP_KALLSYMS", path, 1);

	CHECK(ksym_lookup(0xffffffff81001004ull, &k) == 1 && !strcmp(k.name, "vfs_read") &&
	      !strcmp(k.module, "kernel") && k.size == 0x1c0, "an alias resolves to the first listed");
	ksym_format(buf, sizeof(buf), 0xffffffff81001004ull, KSYM_DATA);
	CHECK_STR(buf, "vfs_read+0x4/0x1c0 [kernel]", "symdata() layout, size to the next symbol");
	ksym_format(buf, sizeof(buf), 0xffffffff810011c0ull, KSYM_NAME);
	CHECK_STR(buf, "vfs_write", "symname() at a symbol's start");
	ksym_format(buf, sizeof(buf), 0xffffffff810011c8ull, KSYM_DATA);
	CHECK_STR(buf, "vfs_write+0x8/0x240 [kernel]", "a data symbol ends a function too, as in the kernel");
	ksym_format(buf, sizeof(buf), 0xffffffffc0002010ull, KSYM_DATA);
	CHECK_STR(buf, "ext4_fill_super+0x10/0x0 [ext4]", "a module's symbol: [module]; its last symbol has no size");
	ksym_format(buf, sizeof(buf), 0xffffffffc0000010ull, KSYM_DATA);
	CHECK_STR(buf, "ext4_init+0x10/0x2000 [ext4]", "a module's lines out of address order are sorted");
	ksym_format(buf, sizeof(buf), 0xffffffffc0004010ull, KSYM_NAME);
	CHECK_STR(buf, "lonely", "a module's only symbol");
	ksym_format(buf, sizeof(buf), 0xffffffffc0904010ull, KSYM_NAME);
	CHECK_STR(buf, "0xffffffffc0904010", "far past a module's last symbol: the hex address");
	ksym_format(buf, sizeof(buf), 0x1f010, KSYM_DATA);
	CHECK_STR(buf, "0x1f010", "absolute (per-CPU) symbols name nothing");
	ksym_format(buf, sizeof(buf), 0, KSYM_FULL);
	CHECK_STR(buf, "0x0", "address 0 is unknown");
	ksym_format(buf, sizeof(buf), 0xffffffff81000008ull, KSYM_FULL);
	CHECK_STR(buf, "0xffffffff81000008 : _stext+0x8/0x1000 [kernel]", "print_backtrace()'s line");

	/* a kretprobe's print_backtrace() record through output.c */
	memcpy(rec, &h, sizeof(h));
	memcpy(rec + sizeof(h), addrs, sizeof(addrs));
	memset(&prog, 0, sizeof(prog));
	mem = open_memstream(&text, &tlen);
	o = output_new(&prog, mem, stderr);
	CHECK_INT(output_records(o, rec, sizeof(rec)), 0, "a BACKTRACE record is no error");
	output_free(o);
	fclose(mem);
	CHECK_STR(text,
		  "Returning from:  0xffffffff810011c0 : vfs_write+0x0/0x240 [kernel]\n"
		  "Returning to  :  0xffffffff81001010 : vfs_read+0x10/0x1c0 [kernel]\n"
		  " 0xffffffffc0002010 : ext4_fill_super+0x10/0x0 [ext4]\n",
		  "print_backtrace() of a kretprobe in stap's layout");
	free(text);
	unlink(path);
	return check_done();
}
