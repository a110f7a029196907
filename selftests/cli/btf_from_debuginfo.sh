#!/usr/bin/env bash
# A kernel without BTF but with debuginfo: bytetap converts the DWARF to
# BTF with pahole once, keeps it, and reads target variables from it.
. "$(dirname "$0")/lib"
if ! command -v pahole >/dev/null; then
	fail "pahole is not installed (apt-get install dwarves)"
	exit 0
fi
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
gcc -g -O1 -c "$(dirname "$0")/data/debuginfo_kernel.c" -o "$t/vmlinux" || { fail "gcc -g"; exit 0; }
export BYTETAP_DEBUG_VMLINUX=$t/vmlinux BYTETAP_CACHE=$t/cache
unset BYTETAP_BTF
out=$($BYTETAP -p3 -e 'probe kernel.function("my_write") { println($count, $file->f_inode->i_ino) }' 2>&1); rc=$?
expect_status "target variables from converted debuginfo compile" "$rc" 0
expect_contains "the conversion says what it does" "$out" "converting the DWARF of $t/vmlinux with pahole"
reads=$(grep -cE 'CALLB +r[0-9]+ = kernel_long' <<<"$out")
eights=$(grep -cE 'LDI +r[0-9]+, 8$' <<<"$out")
if [ "$reads" = 2 ] && [ "$eights" = 2 ]; then
	ok "\$file->f_inode->i_ino: two 8-byte reads at offsets 8 and 8, as the DWARF says"
else
	fail "\$file->f_inode->i_ino reads ($reads reads, $eights offsets of 8)"; sed 's/^/    /' <<<"$out"
fi
n=$(ls "$t/cache" | wc -l)
expect_status "the converted BTF is kept in BYTETAP_CACHE" "$n" 1
out=$($BYTETAP -L 'kernel.function("my_write")' 2>&1)
if [ "$out" = 'kernel.function("my_write") $file:struct file* $buf:char const* $count:size_t' ]; then
	ok "-L from the kept BTF, without converting again"
else
	fail "-L from converted debuginfo: [$out]"
fi
out=$(BYTETAP_DEBUG_VMLINUX=$t/missing $BYTETAP -p2 -e 'probe kernel.function("my_write") { println($count) }' 2>&1); rc=$?
expect_status "missing debuginfo is an error" "$rc" 1
expect_contains "... that names the file" "$out" "cannot read $t/missing (BYTETAP_DEBUG_VMLINUX)"
