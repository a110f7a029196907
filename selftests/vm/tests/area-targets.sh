# selftests/vm/tests/area-targets.sh - target variables from the kernel's
# BTF ($param, ->member, [i], $return, @entry, $$parms, $x$, @cast,
# @defined), sourced by guest.sh (its helpers: ok, fail, bt, expect_*).

# --- the issue's own example: no debuginfo, only /sys/kernel/btf/vmlinux -------------
bt -e 'probe kernel.function("vfs_write") {
	if (pid() == target()) printf("%d %s", $count, user_string_n($buf, $count)) }' \
	-c 'write_loop 3'
expect_out "\$count and user_string_n(\$buf, \$count) in vfs_write" "8 bytetap
8 bytetap
8 bytetap"

ino=$(stat -c %i /dev/null)
bt -e 'probe kernel.function("vfs_write") {
	if (pid() == target()) { println($file->f_inode->i_ino); exit() } }' -c 'write_loop 1'
expect_out "\$file->f_inode->i_ino reads through two pointers (the inode of /dev/null)" "$ino"

bt -e 'probe kernel.function("vfs_write") {
	if (pid() == target()) { println($$parms); exit() } }' -c 'write_loop 1'
if grep -qE '^file=0x[0-9a-f]{8,} buf=0x[0-9a-f]+ count=0x8 pos=0x[0-9a-f]+$' $T/out; then
	ok "\$\$parms: every parameter, by name, in hex"
else
	fail "\$\$parms"; show $T/out; show $T/err
fi

bt -e 'probe kernel.function("vfs_write") {
	if (pid() == target()) { println($file->f_path$); exit() } }' -c 'write_loop 1'
if grep -qE '^\{\.mnt=0x[0-9a-f]+, \.dentry=0x[0-9a-f]+\}$' $T/out; then
	ok "\$var\$ prints a struct's members"
else
	fail "\$var\$ of struct path"; show $T/out; show $T/err
fi

# --- return probes: $return, and parameters as they were at entry --------------------
bt -e 'global n, good
probe kernel.function("vfs_write").return {
	if (pid() == target()) { n++; if ($return == 8 && $count == 8 && @entry($count * 2) == 16) good++ } }
probe end { printf("%d %d\n", n, good) }' -c 'write_loop 50'
expect_out "\$return, \$count and @entry(\$count * 2) in vfs_write.return" "50 50"

# --- tracepoints: the arguments by the names in the kernel's source ---------------------
bt -e 'probe kernel.trace("sched:sched_process_exec") {
	if (execname() == "write_loop") { printf("%s %d %d %c\n", $p->comm, $p->pid == pid(), $old_pid == pid(), $p->comm[0]); exit() } }' \
	-c 'write_loop 1'
expect_out "kernel.trace: \$p->comm, \$p->pid, \$old_pid and \$p->comm[0]" "write_loop 1 1 w"

bt -e 'probe kernel.trace("sched_process_exec") {
	if (pid() == target()) { println(@cast($p, "struct task_struct")->tgid == pid(), " ",
		@cast($p, "task_struct")->real_parent->pid > 0); exit() } }' -c 'write_loop 1'
expect_out "@cast(p, \"task_struct\")->field, with and without 'struct'" "1 1"

bt -e 'probe kernel.trace("sched_process_exec") {
	if (pid() == target()) { println(@cast($p, "task_struct", "no_such_mod:kernel")->tgid == pid()); exit() } }' -c 'write_loop 1'
expect_out "@cast's module list is searched in order, as stap's (\"absent:kernel\")" "1"
bt -p2 -e 'probe begin { println(@cast(0, "task_struct", "no_such_mod_a:no_such_mod_b")->tgid) }'
expect_err "@cast on modules none of which has BTF names the first" "no BTF for module no_such_mod_a"

bt -e 'probe kernel.trace("sched:sched_process_e*") { printf("%s ", pp()) }
probe timer.s(1) { exit() }' -c 'write_loop 1'
if grep -q 'kernel.trace("sched:sched_process_exec")' $T/out && grep -q 'kernel.trace("sched:sched_process_exit")' $T/out; then
	ok "kernel.trace patterns expand over the tracepoints BTF lists"
else
	fail "kernel.trace(\"sched:sched_process_e*\")"; show $T/out; show $T/err
fi

# --- compile-time answers ------------------------------------------------------------------
bt -e 'probe kernel.function("vfs_write") { if (pid() == target()) {
	printf("%d%d%d%d\n", @defined($count), @defined($nope), @defined(@cast(0, "file")->f_mode),
		@defined(@cast(0, "file")->nope)); exit() } }' -c 'write_loop 1'
expect_out "@defined: 1 for what BTF has, 0 otherwise" "1010"
bt -e 'probe kernel.function("vfs_write") { println($file->nosuch) }'
expect_err "a member BTF lacks is a semantic error that names the struct" \
	"unable to find member 'nosuch' for struct file"
bt -e 'probe kernel.function("vfs_write") { println($nosuch) }'
expect_err "an unknown parameter lists the ones there are" \
	"unable to find parameter '.nosuch' \(available: .file .buf .count .pos\)"

# --- a bad pointer is a script error at its place, not an oops -----------------------------
bt -e 'probe kernel.trace("sched_process_exec") {
	if (pid() == target()) println(@cast($p - $p + 16, "task_struct")->pid) }' -c 'write_loop 1'
expect_err "reading through a bad pointer is a script error with its location" \
	"^ERROR: kernel int copy fault at 0x.* near .*<input>:2"

# pointer indexing and arithmetic on kernel types: $pos[0] is *pos, and
# &$file->f_pos is $file plus the member's offset
bt -e 'probe kernel.function("vfs_write") { if (pid() == target()) {
	printf("%d %d\n", $pos[0] == kernel_long($pos), &$file->f_pos - $file == &@cast(0, "struct file")->f_pos); exit() } }' -c 'write_loop 1'
expect_out "\$ptr[0], &\$p->member and &@cast(0, T)->member (offsetof)" "1 1"

# --- a module's own BTF: the dummy network driver (loaded at boot) -----------------
if [ -d /sys/kernel/btf/dummy ] || [ -f /sys/kernel/btf/dummy ]; then
	ip link set dummy0 up
	ip addr add 10.77.0.1/24 dev dummy0
	bt -e 'probe module("dummy").function("dummy_xmit") {
	printf("%s %d %d\n", $dev->name, $skb->len > 0, @cast($skb, "struct sk_buff", "dummy")->dev == $dev); exit() }
	probe timer.s(5) { println("timeout"); exit() }' &
	sleep 2; ping -c 1 -W 1 10.77.0.2 >/dev/null 2>&1; wait
	expect_out "module(\"dummy\").function(\"dummy_xmit\"): \$dev->name, \$skb->len, @cast(.., \"dummy\") from the module's BTF" "dummy0 1 1"
	bt -L 'module("dummy").function("dummy_xmit")'
	expect_out "-L of a module function: its BTF types" \
		'module("dummy").function("dummy_xmit") $skb:struct sk_buff* $dev:struct net_device*'
	ip link set dummy0 down
else
	fail "the dummy module (BYTETAP_VM_MODULES=dummy) has no BTF in the guest"
fi
