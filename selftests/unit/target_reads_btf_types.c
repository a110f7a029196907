/*
 * target_reads_btf_types.c - target variables ($x, ->, [], $$parms, @cast,
 * @defined, tracepoint argument names) turn into the right reads, against
 * a small BTF built here with libbpf's writer (so the test needs no
 * kernel).  The guest suite checks the same forms against a real kernel.
 */
#include <stdlib.h>
#include <unistd.h>
#include <bpf/btf.h>

#include "check.h"
#include "front_helpers.h"

/*
 *	struct inode { int i_mode; unsigned long i_ino; };            16 bytes
 *	struct file  { int f_flags; unsigned f_a:3, f_b:5;             bitfields
 *	               struct inode *f_inode; char f_name[8];
 *	               union { int f_u1; long f_u2; }; };              40 bytes
 *	long vfs_write(struct file *file, const char *buf, size_t count);
 *	tracepoint foo_event(struct file *fp, int n)  (names from __bpf_trace_foo)
 */
static const char *make_btf(void)
{
	static char path[] = "/tmp/bytetap-btf-XXXXXX";
	struct btf *b = btf__new_empty();
	int i32, u32, u64, ch, cch, inode, pinode, file, pfile, arr, un, sz;
	int proto, tproto, tptr, nproto, pcch, pvoid;
	const void *raw;
	__u32 size;
	int fd;

	i32 = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	u32 = btf__add_int(b, "unsigned int", 4, 0);
	u64 = btf__add_int(b, "long unsigned int", 8, 0);
	ch = btf__add_int(b, "char", 1, BTF_INT_SIGNED);
	cch = btf__add_const(b, ch);
	sz = btf__add_typedef(b, "size_t", u64);

	inode = btf__add_struct(b, "inode", 16);
	btf__add_field(b, "i_mode", i32, 0, 0);
	btf__add_field(b, "i_ino", u64, 64, 0);
	pinode = btf__add_ptr(b, inode);

	arr = btf__add_array(b, u32, ch, 8);
	un = btf__add_union(b, NULL, 8);
	btf__add_field(b, "f_u1", i32, 0, 0);
	btf__add_field(b, "f_u2", u64, 0, 0);

	file = btf__add_struct(b, "file", 40);
	btf__add_field(b, "f_flags", i32, 0, 0);
	btf__add_field(b, "f_a", u32, 32, 3);
	btf__add_field(b, "f_b", u32, 35, 5);
	btf__add_field(b, "f_inode", pinode, 64, 0);
	btf__add_field(b, "f_name", arr, 128, 0);
	btf__add_field(b, NULL, un, 192, 0);
	pfile = btf__add_ptr(b, file);

	/* a prototype's parameters follow it: their types come first */
	pcch = btf__add_ptr(b, cch);
	pvoid = btf__add_ptr(b, 0);
	proto = btf__add_func_proto(b, u64);
	btf__add_func_param(b, "file", pfile);
	btf__add_func_param(b, "buf", pcch);
	btf__add_func_param(b, "count", sz);
	btf__add_func(b, "vfs_write", BTF_FUNC_GLOBAL, proto);

	/* a tracepoint: the typedef's prototype has no names ... */
	tproto = btf__add_func_proto(b, 0);
	btf__add_func_param(b, "", pvoid);
	btf__add_func_param(b, "", pfile);
	btf__add_func_param(b, "", i32);
	tptr = btf__add_ptr(b, tproto);
	btf__add_typedef(b, "btf_trace_foo_event", tptr);
	/* ... the event class's function has them */
	nproto = btf__add_func_proto(b, 0);
	btf__add_func_param(b, "__data", pvoid);
	btf__add_func_param(b, "fp", pfile);
	btf__add_func_param(b, "n", i32);
	btf__add_func(b, "__bpf_trace_foo_class", BTF_FUNC_STATIC, nproto);

	raw = btf__raw_data(b, &size);
	fd = mkstemp(path);
	if (fd < 0 || write(fd, raw, size) != (ssize_t)size)
		return NULL;
	close(fd);
	btf__free(b);
	return path;
}

/* Every probe's body after pass 2, or the first error line. */
static char *p2(const char *text)
{
	char *out = NULL, *err = NULL;
	size_t olen, elen;
	FILE *o = open_memstream(&out, &olen), *e = open_memstream(&err, &elen);
	struct compile_opts co = {
		.script_text = text, .script_name = "t.stp", .no_tapsets = true,
		.tapset_default = "/nonexistent-bytetap-tapsets",
		.kernel_release = "6.1.0-56-amd64", .arch = "x86_64",
		.runtime = "kernel", .err = e,
	};
	struct compiler *cc = compiler_new(&co);
	struct script *sc = parse_script(cc);

	if (sc && sema_check(sc) == 0)
		for (int i = 0; i < sc->nprobes; i++)
			dump_stmt(o, sc->probes[i]->body);
	compiler_free(cc);
	fclose(o);
	fclose(e);
	if (err && *err) {
		char *nl = strchr(err, '\n');

		if (nl)
			*nl = 0;
		free(out);
		return err;
	}
	free(err);
	return out;
}

#define HAS(text, want, what) do {					\
	char *got__ = p2(text);						\
	CHECK(strstr(got__, (want)) != NULL, (what));			\
	if (!strstr(got__, (want)))					\
		printf("    want: %s\n    got:  %s\n", (want), got__);	\
	free(got__);							\
} while (0)

#define F "probe kernel.function(\"vfs_write\") { "
#define R "probe kernel.function(\"vfs_write\").return { "
#define T "probe kernel.trace(\"foo_event\") { "

int main(void)
{
	const char *path = make_btf();

	CHECK(path != NULL, "a BTF blob is written");
	if (!path)
		return check_done();
	setenv("BYTETAP_BTF", path, 1);

	HAS(F "print($count) }", "u64_arg(3)", "$count is the 3rd argument register");
	HAS(F "print($file->f_flags) }", "kernel_int(u64_arg(1))",
	    "a signed int member at offset 0: kernel_int");
	HAS(F "print($file->f_inode->i_ino) }",
	    "kernel_long((kernel_long((u64_arg(1)) + (8))) + (8))",
	    "two pointers: each ->'s offset, then an 8-byte read");
	HAS(F "print($file->f_name) }", "kernel_string_n((u64_arg(1)) + (16), 8)",
	    "a char array reads as a string of its length");
	HAS(F "print($file->f_name[3]) }", "kernel_char((u64_arg(1)) + (19))",
	    "array indexing adds index * element size");
	HAS(F "print($buf[2]) }", "kernel_char((u64_arg(2)) + (2))",
	    "pointer indexing");
	HAS(F "print($file->f_u2) }", "kernel_long((u64_arg(1)) + (24))",
	    "a member of an anonymous union");
	HAS(F "print($file->f_b) }", "(((kernel_char((u64_arg(1)) + (4))) & (255)) >> (3)) & (31)",
	    "a bitfield is read, shifted and masked");
	HAS(F "print(&$file->f_name) }", "print((u64_arg(1)) + (16))",
	    "&member is the address");
	HAS(F "print($$parms) }", "file=0x%x buf=0x%x count=0x%x",
	    "$$parms names every parameter");
	HAS(F "print($file$) }", "{.f_flags=%d, .f_a=%d, .f_b=%d, .f_inode=0x%x, .f_name=",
	    "$file$ pretty-prints the struct's members");
	HAS(R "print($return, $count) }", "returnval()",
	    "$return in a .return probe");
	HAS(R "print($return, $count) }", "__entry_",
	    "parameters in a .return probe are entry values (captured at entry)");
	HAS(F "print(@cast($count, \"struct inode\")->i_ino) }",
	    "kernel_long((u64_arg(3)) + (8))", "@cast(p, \"struct inode\")->member");
	HAS(F "print(@cast(0, \"inode\")->i_ino) }", "kernel_long((0) + (8))",
	    "@cast without 'struct'");
	HAS(F "print(@defined($count), @defined($nope), @defined($file->nope)) }",
	    "print(1, 0, 0)", "@defined folds to 1 or 0");
	HAS(T "print($fp->f_flags, $n) }", "kernel_int(u64_arg(1))",
	    "tracepoint arguments by name, from the event class's function");
	HAS(T "print($n) }", "print(s32_arg(2))", "... in their positions, an int read at its width");

	HAS(F "print($nope) }", "unable to find parameter '$nope' (available: $file $buf $count)",
	    "an unknown parameter lists the ones there are");
	HAS(F "print($file->nope) }", "unable to find member 'nope' for struct file: operator '->'",
	    "an unknown member names the struct, at its '->'");
	HAS(F "print($count->x) }", "'->x' on 'size_t', which is not a struct or a pointer",
	    "-> on a number");
	HAS(F "print($file->f_inode[0]->i_ino + $file) }", "kernel_long",
	    "indexing a struct pointer then ->");
	HAS(F "print(@cast(0, \"struct nosuch\")->x) }", "type 'struct nosuch' not found",
	    "an unknown @cast type");
	HAS("probe kernel.function(\"nosuch\") { print($x) }",
	    "no function nosuch in the kernel's BTF", "a function BTF lacks");
	HAS("probe timer.s(1) { print($x) }", "unresolved target-symbol expression: identifier",
	    "no target variables in a timer probe (stap's words)");
	HAS("probe kernel.function(\"vfs_*\") { print($count) }", "u64_arg(3)",
	    "a pattern is expanded over BTF's functions for $vars");

	unlink(path);
	return check_done();
}
