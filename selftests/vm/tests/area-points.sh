# selftests/vm/tests/area-points.sh - probe point forms: kernel.statement,
# ! (sufficient) and ? (optional), probe lists, aliases' pp(), syscall.*
# on the raw_syscalls tracepoints, netdev.*, task_* functions.  Sourced by
# guest.sh.

# the first instruction after the entry's ftrace call (with or without IBT)
for off in 5 9; do
	bt -e 'global n, p
probe kernel.statement("__x64_sys_getpid+'$off'") { if (execname() == "getpid_loop") { n++; p = pp() } }
probe end { printf("%d %s\n", n, p) }' -c 'getpid_loop 20'
	grep -q 'error -84' $T/err || break
done
expect_out "kernel.statement(\"FUNC+OFFSET\") probes inside the function" \
	"20 kernel.statement(\"__x64_sys_getpid+$off\")"
bt -e 'probe kernel.statement("__x64_sys_getpid+1") { next }'
expect_err "kernel.statement off an instruction boundary is refused clearly" \
	'^ERROR: cannot attach kernel.statement\("__x64_sys_getpid\+1"\)'

bt -e 'global n, w
probe kernel.function("no_such_function")!, kernel.function("__x64_sys_getpid")!, kernel.function("__x64_sys_getppid") {
	if (execname() == "getpid_loop") { n++; w[pp()] = 1 } }
probe end { printf("%d", n); foreach (p in w) printf(" %s", p); println("") }' -c 'getpid_loop 10'
expect_out "! : the first point that resolves is enough, later ones are dropped" \
	'10 kernel.function("__x64_sys_getpid")'

bt -e 'probe kernel.function("no_such_function")?, kernel.trace("no_such_tracepoint")?, timer.ms(100) { println(pp()); exit() }'
expect_out "? : missing points are skipped; a probe list shares one handler" 'timer.ms(100)'

# syscall.* with only name/pid/execname: two tracepoints, not a kprobe per call
bt -v -e 'global c
probe syscall.* { if (execname() == "getpid_loop") c[name]++ }
probe end { printf("getpid=%d write=%d\n", c["getpid"], c["write"]) }' -c 'getpid_loop 300'
if grep -q '^getpid=300 write=0$' $T/out && grep -q '0 kprobes attached' $T/err; then
	ok "syscall.* counts every system call by name through raw_syscalls (no kprobes)"
elif grep -q '^getpid=300 write=0$' $T/out && ! grep -q 'kprobes attached' $T/err; then
	ok "syscall.* counts every system call by name through raw_syscalls (no kprobes)"
else
	fail "syscall.* via raw_syscalls"; show $T/out; show $T/err
fi
bt -e 'global r
probe syscall.*.return { if (pid() == target() && name == "write") r[retstr]++ }
probe end { foreach (s in r) printf("%s=%d\n", s, r[s]) }' -c 'write_loop 40'
expect_out "syscall.*.return: retstr of every write" "8=40"
bt -e 'global a
probe syscall.* { if (pid() == target() && name == "write") a = argstr }
probe end { println(a) }' -c 'write_loop 2'
sed -i 's/^[0-9]*, /FD, /' $T/out
expect_out "syscall.* reading argstr expands alias by alias, as SystemTap does" 'FD, "bytetap\n", 8'

# task_* (tapsets/linux/task.stp, @cast through BTF)
bt -e 'probe kernel.function("__x64_sys_getpid") { if (execname() == "getpid_loop") {
	t = task_current()
	printf("%d %d %s %d %d\n", task_pid(t) == pid(), task_tid(t) == tid(), task_execname(t),
		task_pid(task_parent(t)) == ppid(), task_cpu(t) == cpu()); exit() } }' -c 'getpid_loop 1'
expect_out "task_current, task_pid, task_tid, task_execname, task_parent, task_cpu" "1 1 getpid_loop 1 1"

# netdev.* variables, per packet
ip link set lo up
bt -e 'global n, bad
probe netdev.transmit { if (dev_name == "lo") { n++; if (length < 84 || protocol != 8) bad++ } }
probe timer.s(4) { printf("%d %d\n", n >= 2, bad); exit() }' &
sleep 2; ping -c 2 127.0.0.1 >/dev/null; wait
expect_out "netdev.transmit: dev_name, length, protocol (ETH_P_IP, network order)" "1 0"

# .call and .return.maxactive(N) on kernel.function and kprobe.function
bt -e 'global a, b
probe kernel.function("__x64_sys_getpid").call { if (execname() == "getpid_loop") a++ }
probe kprobe.function("__x64_sys_getpid").return.maxactive(4) { if (execname() == "getpid_loop") b++ }
probe end { printf("%d %d\n", a, b) }' -c 'getpid_loop 30'
expect_out ".call and .return.maxactive(N)" "30 30"
