# selftests/vm/tests/area-listing.sh - -l and -L against the guest
# kernel's kallsyms and BTF.  Sourced by guest.sh.

bt -L 'kernel.function("vfs_write")'
expect_out "-L kernel.function: the parameters with their BTF types" \
	'kernel.function("vfs_write") $file:struct file* $buf:char const* $count:size_t $pos:loff_t*'
bt -L 'kernel.function("vfs_write").return'
expect_out "-L .return adds \$return" \
	'kernel.function("vfs_write").return $file:struct file* $buf:char const* $count:size_t $pos:loff_t* $return:ssize_t'
bt -l 'kernel.function("vfs_w*")'
grep -qx 'kernel.function("vfs_write")' $T/out && grep -qx 'kernel.function("vfs_writev")' $T/out &&
	ok "-l kernel.function(\"vfs_w*\") lists each function ($(grep -c . $T/out))" ||
	{ fail "-l kernel.function(\"vfs_w*\")"; show $T/out; show $T/err; }
bt -L 'kernel.trace("sched:sched_process_exec")'
expect_out "-L kernel.trace: the tracepoint's arguments by name" \
	'kernel.trace("sched:sched_process_exec") $p:struct task_struct* $old_pid:pid_t $bprm:struct linux_binprm*'
bt -l 'kernel.trace("sched:sched_process_*")'
grep -qx 'kernel.trace("sched:sched_process_fork")' $T/out && grep -qx 'kernel.trace("sched:sched_process_exit")' $T/out &&
	ok "-l kernel.trace pattern ($(grep -c . $T/out) tracepoints)" ||
	{ fail "-l kernel.trace pattern"; show $T/out; show $T/err; }
bt -L 'syscall.read'
expect_out "-L syscall.read: the tapset's variables" \
	'syscall.read name:string fd:long buf_uaddr:long count:long argstr:string'
bt -l 'syscall.*'
grep -qx 'syscall.read' $T/out && grep -qx 'syscall.write' $T/out && ! grep -q syscall_any $T/out &&
	ok "-l syscall.*: one line per system call alias ($(grep -c . $T/out))" ||
	{ fail "-l syscall.*"; show $T/out; show $T/err; }
bt -L 'netdev.receive'
expect_out "-L netdev.receive: alias variables, then the tracepoint's" \
	'netdev.receive dev_name:string length:long protocol:long truesize:long $skb:struct sk_buff*'
if bt -l 'no.such.point'; then fail "-l of nothing exits 0"; else
	[ ! -s $T/out ] && ok "-l of no probe point prints nothing and exits 1" || fail "-l no.such.point printed"
fi
bt -l 'kernel.trace("sched:*")'
if [ -d /sys/kernel/tracing/events ] || [ -d /sys/kernel/debug/tracing/events ]; then
	n=$(grep -c . $T/out)
	[ "$n" -gt 10 ] && ! grep -qv '^kernel.trace("sched:sched_' $T/out &&
		ok "-l kernel.trace(\"sched:*\"): only the sched system's $n tracepoints (tracefs)" ||
		{ fail "-l kernel.trace(\"sched:*\") filters by system"; show $T/out; }
else
	fail "no tracefs in the guest to check tracepoint systems against"
fi
