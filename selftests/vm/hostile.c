/*
 * hostile.c - push bad things straight through /dev/bytetap's ioctls and
 * check the module refuses each with the right errno (and a message)
 * instead of crashing.  Runs as root in the test guest:
 *
 *	bt-hostile GOOD.btp BLACKLISTED.btp BLACKLISTED_FUNC
 *
 * GOOD.btp is a program (bytetap -p4) with a kprobe on __x64_sys_getpid;
 * BLACKLISTED.btp one with a kprobe on a function in the kprobe blacklist.
 * Prints "ok - ..." / "FAIL - ..." lines; the host checks dmesg after.
 * Built static by selftests/vm/suite (the guest has no libc).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bt_ioctl.h"
#include "bt_isa.h"
#include "bt_prog.h"
#include "guest_util.h"

static int failures;

static void check(int cond, const char *fmt, ...)
{
	va_list ap;

	printf(cond ? "ok - hostile: " : "FAIL - hostile: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!cond)
		failures++;
}

static void *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f) {
		perror(path);
		exit(2);
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n ? n : 1);
	if (fread(buf, 1, n, f) != (size_t)n)
		exit(2);
	fclose(f);
	*len = n;
	return buf;
}

static int dev(void)
{
	int fd = open("/dev/bytetap", O_RDWR);

	if (fd < 0) {
		perror("/dev/bytetap");
		exit(2);
	}
	return fd;
}

static char logbuf[512];

/* LOAD on a fresh session; returns 0 or errno.  The fd is closed. */
static int try_load(const void *blob, size_t len, int keep, int *fdp)
{
	struct bt_ioc_load ld = { .size = sizeof(ld) };
	int fd = dev(), rc;

	logbuf[0] = 0;
	ld.blob = (uintptr_t)blob;
	ld.blob_len = (uint32_t)len;
	ld.log_buf = (uintptr_t)logbuf;
	ld.log_size = sizeof(logbuf);
	rc = ioctl(fd, BT_IOC_LOAD, &ld) ? errno : 0;
	if (keep && !rc)
		*fdp = fd;
	else
		close(fd);
	return rc;
}

static const struct bt_section *section(const uint8_t *blob, uint32_t type)
{
	const struct bt_file_header *h = (const void *)blob;
	const struct bt_section *s = (const void *)(blob + h->header_size);
	uint32_t i;

	for (i = 0; i < h->nsections; i++)
		if (s[i].type == type)
			return &s[i];
	return NULL;
}

/* ATTACH one entry on a loaded session; returns 0 or errno. */
static int try_attach(int fd, uint32_t probe, uint64_t addr, const char *sym)
{
	struct bt_ioc_probe e = { .probe = probe, .addr = addr };
	struct bt_ioc_attach at = { .size = sizeof(at) };

	snprintf(e.symbol, sizeof(e.symbol), "%s", sym);
	at.probes = (uintptr_t)&e;
	at.nprobes = 1;
	at.probe_size = sizeof(e);
	at.log_buf = (uintptr_t)logbuf;
	at.log_size = sizeof(logbuf);
	logbuf[0] = 0;
	return ioctl(fd, BT_IOC_ATTACH, &at) ? errno : 0;
}

static uint32_t first_kprobe(const uint8_t *blob)
{
	const struct bt_section *s = section(blob, BT_SEC_PROBES);
	const struct bt_probe_decl *p = (const void *)(blob + s->offset);
	uint32_t i;

	for (i = 0; i < s->count; i++)
		if (p[i].kind == BT_PROBE_KPROBE)
			return i;
	return 0;
}

static void test_eperm(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		int fd;

		if (setgid(65534) || setuid(65534))
			_exit(3);
		fd = open("/dev/bytetap", O_RDWR);
		_exit(fd >= 0 ? 100 : errno);
	}
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == EPERM,
	      "an unprivileged open of /dev/bytetap gets EPERM (got %s)",
	      !WIFEXITED(st) ? "a signal" : WEXITSTATUS(st) == 100 ? "an fd" :
	      strerror(WEXITSTATUS(st)));
}

static void test_info(void)
{
	struct bt_ioc_info info = { .size = sizeof(info) };
	struct { struct bt_ioc_info i; uint64_t extra; } big = { { .size = sizeof(big) }, 1 };
	uint32_t tiny = 4;
	int fd = dev();

	int rc = ioctl(fd, BT_IOC_GET_INFO, &info);

	check(rc == 0 && info.abi_major == BT_IOC_ABI_MAJOR &&
	      info.prog_abi_major == BT_ABI_MAJOR && info.size == sizeof(info),
	      "GET_INFO reports ABI %u.%u, module %s", info.abi_major, info.abi_minor,
	      info.version);
	check(ioctl(fd, BT_IOC_GET_INFO, &big) != 0 && errno == E2BIG,
	      "a longer struct with non-zero unknown bytes gets E2BIG");
	big.extra = 0;
	check(ioctl(fd, BT_IOC_GET_INFO, &big) == 0, "a longer struct with a zero tail is accepted");
	check(ioctl(fd, BT_IOC_GET_INFO, &tiny) != 0 && errno == EINVAL,
	      "a struct too short for size and flags gets EINVAL");
	check(ioctl(fd, _IO(BT_IOC_MAGIC, 99), &info) != 0 && errno == ENOTTY,
	      "an unknown command gets ENOTTY");
	{
		struct bt_ioc_start st = { .size = sizeof(st) };
		char c;

		check(ioctl(fd, BT_IOC_START, &st) != 0 && errno == EBUSY,
		      "START before LOAD gets EBUSY");
		check(read(fd, &c, 1) < 0 && errno == EINVAL, "read() before LOAD gets EINVAL");
	}
	close(fd);
}

static void expect_einval(const void *blob, size_t len, const char *what)
{
	int rc = try_load(blob, len, 0, NULL);

	check(rc == EINVAL && logbuf[0], "%s: EINVAL (%s)", what, rc ? logbuf : "accepted!");
}

static void test_load(const uint8_t *good, size_t len)
{
	uint8_t *b = malloc(len);
	const struct bt_section *code = section(good, BT_SEC_CODE);
	struct bt_insn *ins;
	uint32_t i, n, cut[] = { 1, 8, 23, 24, 40, (uint32_t)len / 2, (uint32_t)len - 8,
				 (uint32_t)len - 1 };
	int rc, jumps = 0, regs = 0, ops = 0, fuzz_ok = 1, accepted = 0;

	rc = try_load(good, len, 0, NULL);
	check(rc == 0, "the good program loads (%s)", rc ? logbuf : "ok");
	rc = try_load(good, 0, 0, NULL);
	check(rc == EINVAL, "an empty program: EINVAL");
	for (i = 0; i < sizeof(cut) / sizeof(cut[0]); i++) {
		char what[64];

		snprintf(what, sizeof(what), "truncated to %u of %zu bytes", cut[i], len);
		expect_einval(good, cut[i], what);
	}
	memcpy(b, good, len);
	b[0] ^= 0xff;
	expect_einval(b, len, "bad magic");
	memcpy(b, good, len);
	((struct bt_file_header *)b)->abi_major = 99;
	expect_einval(b, len, "a future ABI major");
	memcpy(b, good, len);
	((struct bt_file_header *)b)->nsections = 0x7fffffff;
	expect_einval(b, len, "2^31 sections");
	memcpy(b, good, len);
	((struct bt_section *)(b + sizeof(struct bt_file_header)))[0].offset = 0xfffffff0;
	expect_einval(b, len, "a section outside the blob");

	/* every instruction: an unknown opcode, a register out of range, a wild jump */
	n = code->count;
	for (i = 0; i < n; i++) {
		const struct bt_insn *g = (const void *)(good + code->offset) + i * sizeof(*g);
		uint8_t op = g->op;

		memcpy(b, good, len);
		ins = (void *)(b + code->offset + i * sizeof(*ins));
		if (op == BT_OP_EXT)
			continue;
		ins->op = 0xee;
		rc = try_load(b, len, 0, NULL);
		ops += rc == EINVAL;
		if (rc != EINVAL)
			check(0, "insn %u: unknown opcode accepted", i);
		memcpy(b, good, len);
		if (bt_op_info[op].opd[0] == BT_O_R || bt_op_info[op].opd[0] == BT_O_RW) {
			ins->a = 0xfff0;
			rc = try_load(b, len, 0, NULL);
			regs++;
			if (rc != EINVAL)
				check(0, "insn %u (%s): register 0xfff0 accepted", i,
				      bt_op_info[op].name);
		}
		memcpy(b, good, len);
		if (op == BT_OP_JMP || op == BT_OP_JZ || op == BT_OP_JNZ || op == BT_OP_JCMP) {
			uint16_t *t = op == BT_OP_JMP ? &ins->a : op == BT_OP_JCMP ? &ins->c : &ins->b;
			uint16_t targets[] = { 0xffff, 0, (uint16_t)(n + 5) };
			unsigned k;

			for (k = 0; k < 3; k++) {
				memcpy(b, good, len);
				*t = targets[k];
				rc = try_load(b, len, 0, NULL);
				jumps++;
				if (rc != EINVAL)
					check(0, "insn %u: jump to %u accepted", i, targets[k]);
			}
		}
	}
	check(ops > 0, "%d instructions with an unknown opcode: all EINVAL", ops);
	check(regs > 0, "%d instructions with a register out of range: all EINVAL", regs);
	check(jumps > 0, "%d wild / backward jumps: all EINVAL", jumps);

	/* random corruption: refused or accepted, never anything worse */
	srand(1234);
	for (i = 0; i < 3000; i++) {
		uint32_t k, flips = 1 + rand() % 4;
		int fd = -1;

		memcpy(b, good, len);
		for (k = 0; k < flips; k++)
			b[rand() % len] ^= (uint8_t)(1 + rand() % 255);
		rc = try_load(b, len, 1, &fd);
		if (rc == 0) {
			struct bt_ioc_start st = { .size = sizeof(st) };
			struct bt_ioc_stop sp = { .size = sizeof(sp) };

			/* it verified: running it must be safe too */
			accepted++;
			ioctl(fd, BT_IOC_START, &st);
			ioctl(fd, BT_IOC_STOP, &sp);
			close(fd);
		} else if (rc != EINVAL && rc != ENOMEM) {
			fuzz_ok = 0;
			printf("  fuzz %u: errno %d\n", i, rc);
		}
	}
	check(fuzz_ok, "3000 randomly corrupted programs: EINVAL or accepted (%d accepted, run)",
	      accepted);
	free(b);
}

static void test_attach(const uint8_t *good, size_t len, const uint8_t *bl, size_t bllen,
			const char *blfunc)
{
	uint32_t kp = first_kprobe(good);
	uint64_t getpid = kallsyms("__x64_sys_getpid"), vfs = kallsyms("vfs_read");
	struct bt_ioc_start st = { .size = sizeof(st) };
	int fd, rc;

	if (try_load(good, len, 1, &fd) != 0) {
		check(0, "load for attach tests: %s", logbuf);
		return;
	}
	rc = try_attach(fd, kp, vfs, "__x64_sys_getpid");
	check(rc == EINVAL, "an address that is another function: EINVAL (%s)", logbuf);
	rc = try_attach(fd, kp, getpid + 1, "__x64_sys_getpid");
	check(rc == EINVAL, "an address inside the function: EINVAL (%s)", logbuf);
	rc = try_attach(fd, kp, vfs, "vfs_read");
	check(rc == EINVAL, "a function the probe point does not name: EINVAL (%s)", logbuf);
	rc = try_attach(fd, kp, 0xffffffffc0000000ull, "__x64_sys_getpid");
	check(rc == EINVAL, "an address in no function: EINVAL (%s)", logbuf);
	rc = try_attach(fd, kp + 1000, getpid, "__x64_sys_getpid");
	check(rc == EINVAL, "a probe index out of range: EINVAL (%s)", logbuf);
	rc = try_attach(fd, kp, getpid, "__x64_sys_getpid");
	check(rc == 0, "the right address attaches (%s)", rc ? logbuf : "ok");
	check(ioctl(fd, BT_IOC_START, &st) == 0, "START");
	rc = try_attach(fd, kp, getpid, "__x64_sys_getpid");
	check(rc == EBUSY, "ATTACH after START: EBUSY");
	close(fd);

	if (try_load(bl, bllen, 1, &fd) != 0) {
		check(0, "load the blacklisted-function program: %s", logbuf);
		return;
	}
	rc = try_attach(fd, first_kprobe(bl), kallsyms(blfunc), blfunc);
	check(rc == EINVAL, "a blacklisted function (%s): EINVAL (%s)", blfunc, logbuf);
	close(fd);
}

/* index of the global or map called name, or -1 */
static int find_var(const uint8_t *blob, uint32_t type, const char *name)
{
	const struct bt_section *st = section(blob, BT_SEC_STRTAB), *s = section(blob, type);
	uint32_t i, esz = type == BT_SEC_GLOBALS ? sizeof(struct bt_global_decl) :
			  sizeof(struct bt_map_decl);

	for (i = 0; s && i < s->count; i++) {
		uint32_t off = *(const uint32_t *)(blob + s->offset + i * esz);

		if (!strcmp((const char *)blob + st->offset + off, name))
			return (int)i;
	}
	return -1;
}

static int map_read(int fd, uint32_t space, uint32_t index, void *buf, uint32_t len,
		    struct bt_ioc_map_read *mr)
{
	memset(mr, 0, sizeof(*mr));
	mr->size = sizeof(*mr);
	mr->space = space;
	mr->index = index;
	mr->buf = (uintptr_t)buf;
	mr->buf_len = len;
	return ioctl(fd, BT_IOC_MAP_READ, mr) ? errno : 0;
}

static void test_map_read(const uint8_t *good, size_t len)
{
	uint32_t kp = first_kprobe(good);
	int gn = find_var(good, BT_SEC_GLOBALS, "n"), ms = find_var(good, BT_SEC_MAPS, "s"),
	    ma = find_var(good, BT_SEC_MAPS, "a");
	struct bt_ioc_start st = { .size = sizeof(st) };
	struct bt_ioc_stop sp = { .size = sizeof(sp) };
	struct bt_ioc_map_read mr;
	struct bt_mapread_ent *e;
	struct bt_mapread_stat *stat;
	static uint8_t buf[1 << 16];
	int64_t v;
	int fd, rc, i;

	if (gn < 0 || ms < 0 || ma < 0 || try_load(good, len, 1, &fd) != 0 ||
	    try_attach(fd, kp, kallsyms("__x64_sys_getpid"), "__x64_sys_getpid") != 0 ||
	    ioctl(fd, BT_IOC_START, &st) != 0) {
		check(0, "set up for MAP_READ (%d %d %d: %s)", gn, ms, ma, logbuf);
		return;
	}
	for (i = 0; i < 25; i++)
		syscall(SYS_getpid);
	rc = map_read(fd, BT_MAPREAD_GLOBAL, gn, buf, sizeof(buf), &mr);
	e = (void *)buf;
	memcpy(&v, buf + sizeof(*e), 8);
	check(rc == 0 && mr.count == 1 && e->val_kind == BT_KIND_INT && v >= 25,
	      "MAP_READ of a global while running: n = %lld", (long long)v);
	rc = map_read(fd, BT_MAPREAD_MAP, ms, buf, sizeof(buf), &mr);
	stat = (void *)(buf + sizeof(*e));
	check(rc == 0 && mr.count == 1 && e->val_kind == BT_KIND_STATS && stat->count >= 25 &&
	      stat->min == 1, "MAP_READ of a statistic merges the CPUs: @count %lld @min %lld",
	      (long long)stat->count, (long long)stat->min);
	rc = map_read(fd, BT_MAPREAD_MAP, ma, buf, sizeof(buf), &mr);
	check(rc == 0 && mr.count == mr.total && mr.total >= 10 && e->nik == 1,
	      "MAP_READ of an array: %u entries", mr.total);
	rc = map_read(fd, BT_MAPREAD_MAP, ma, buf, 40, &mr);
	check(rc == ENOSPC && mr.count < mr.total, "MAP_READ into a small buffer: ENOSPC");
	rc = map_read(fd, BT_MAPREAD_MAP, 999, buf, sizeof(buf), &mr);
	check(rc == EINVAL, "MAP_READ of map 999: EINVAL");
	check(ioctl(fd, BT_IOC_STOP, &sp) == 0, "STOP");
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	check(read(fd, buf, sizeof(buf)) == 0, "read() after STOP reaches EOF");
	close(fd);
}

int main(int argc, char **argv)
{
	size_t len, bllen;
	uint8_t *good, *bl;

	if (argc != 4) {
		fprintf(stderr, "usage: bt-hostile GOOD.btp BLACKLISTED.btp FUNC\n");
		return 2;
	}
	good = slurp(argv[1], &len);
	bl = slurp(argv[2], &bllen);
	test_eperm();
	test_info();
	test_load(good, len);
	test_attach(good, len, bl, bllen, argv[3]);
	test_map_read(good, len);
	return failures ? 1 : 0;
}
