# selftests/vm/tests/area-tracepoints.sh - kernel.trace("NAME") probes in
# the module; sourced by guest.sh (ok/fail/bt/expect_out/expect_err, $T,
# $KO).  The module registers a tracepoint probe at LOAD, before the held
# -c workload starts, and unregisters it at STOP, after it has ended (the
# TCG note at the top of guest.sh).

# --- counts and arguments --------------------------------------------------------
# raw_syscalls:sys_enter(struct pt_regs *regs, long id): getpid is 39 on
# x86_64 (execname() too: the sh that -c runs first calls getpid once)
bt -e 'global n
probe kernel.trace("sys_enter") { if (pid() == target() && execname() == "getpid_loop" && long_arg(2) == 39) n++ }
probe end { printf("n=%d\n", n) }' -c 'getpid_loop 500'
expect_out "tracepoint sys_enter counts getpid_loop 500 exactly" "n=500"

# raw_syscalls:sys_exit(struct pt_regs *regs, long ret): arg 1 is the
# syscall's pt_regs (orig_ax at offset 120 is the syscall number, 1 =
# write), arg 2 its return value: write_loop writes 8 bytes at a time
bt -e 'global n, ok
probe kernel.trace("raw_syscalls:sys_exit") {
	if (pid() == target() && kernel_long(pointer_arg(1) + 120) == 1) {
		n++
		if (long_arg(2) == 8 && int_arg(2) == 8 && u32_arg(2) == 8 && s64_arg(2) == 8) ok++
	}
}
probe end { printf("n=%d ok=%d\n", n, ok) }' -c 'write_loop 100'
expect_out "sys_exit: pointer_arg(1) is the pt_regs, long_arg(2) the return value" "n=100 ok=100"

# sched_process_exec(struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm);
# the -c child execs sh, then getpid_loop
bt -e 'global n, ok, p, f
probe kernel.trace("sched:sched_process_exec") {
	if (pid() == target()) {
		n++
		if (execname() == "getpid_loop" && int_arg(2) == pid() && pointer_arg(1) != 0) {
			ok++; p = pp(); f = probefunc()
		}
	}
}
probe end { printf("%d %d %s [%s]\n", n >= 1, ok, p, f) }' -c 'exec getpid_loop 1'
expect_out "SYSTEM:NAME form; int_arg(2) of sched_process_exec; pp(), probefunc()" \
	'1 1 kernel.trace("sched:sched_process_exec") []'

# two probes on one tracepoint, beside a kprobe on the same calls
bt -e 'global a, b, k
probe kernel.trace("sys_enter") { if (execname() == "getpid_loop" && long_arg(2) == 39) a++ }
probe kernel.trace("raw_syscalls:sys_enter") { if (execname() == "getpid_loop" && long_arg(2) == 39) b++ }
probe kernel.function("__x64_sys_getpid") { if (execname() == "getpid_loop") k++ }
probe end { printf("%d %d %d\n", a, b, k) }' -c 'getpid_loop 300'
expect_out "two probes on one tracepoint and a kprobe see the same calls" "300 300 300"

# exit() from a tracepoint probe stops it
bt -e 'global n
probe kernel.trace("sys_enter") { if (execname() == "getpid_loop" && long_arg(2) == 39) { n++; if (n == 10) exit() } }
probe end { printf("n=%d\n", n) }' -c 'getpid_loop 12; exec sleeper 30'
expect_out "exit() from a tracepoint probe stops it and runs end" "n=10"

# tracepoints in the scheduler and, with interrupts off, in hrtimer expiry
bt -e 'global s, h
probe kernel.trace("sched_switch") { s++ }
probe kernel.trace("timer:hrtimer_expire_entry") { h++ }
probe timer.ms(300) { printf("%d %d\n", s > 0, h > 0); exit() }'
expect_out "sched_switch and hrtimer_expire_entry (hardirq) fire" "1 1"

# --- errors ------------------------------------------------------------------------
if bt -e 'probe kernel.trace("bytetap_no_such_tp") { next }'; then
	fail "a missing tracepoint exits 0"
else
	ok "a missing tracepoint exits non-zero"
fi
expect_err "... with a clear message" '^ERROR: .*no tracepoint bytetap_no_such_tp'

bt -e 'probe kernel.trace("bytetap_no_such_tp")? { next } probe begin { println("ran"); exit() }'
expect_out "an optional missing tracepoint is skipped" "ran"
if [ -s $T/err ]; then fail "... silently"; show $T/err; else ok "... silently"; fi

bt -e 'probe kernel.trace("sys_enter") { if (pid() == target()) { println(register("rax")); exit() } }' \
	-c 'exec getpid_loop 1'
expect_err "register() in a tracepoint probe is an error" \
	"^ERROR: cannot access CPU registers in a tracepoint probe .*near identifier 'register'"
bt -e 'probe kernel.trace("sys_enter") { if (pid() == target()) { println(long_arg(13)); exit() } }' \
	-c 'exec getpid_loop 1'
expect_err "long_arg(13) in a tracepoint probe is an error" \
	"^ERROR: cannot access arg\\(13\\): a tracepoint probe has arguments 1..12 near identifier 'long_arg'"
bt -e 'probe kernel.trace("sys_enter") { if (pid() == target()) { println(int_arg(0)); exit() } }' \
	-c 'exec getpid_loop 1'
expect_err "int_arg(0) in a tracepoint probe is an error" "^ERROR: cannot access arg\\(0\\)"
bt -e 'probe kernel.trace("sys_exit") { if (pid() == target()) { println(returnval()); exit() } }' \
	-c 'exec getpid_loop 1'
expect_err "returnval() in a tracepoint probe is an error" \
	'^ERROR: returnval\(\) not defined in this context kernel.trace\("sys_exit"\)'

bt -e 'global x
probe kernel.trace("sys_enter") { if (execname() == "getpid_loop") { for (i = 0; i < 100000; i++) x++ } }' \
	-c 'exec getpid_loop 1'
expect_err "MAXACTION in a tracepoint probe" '^ERROR: MAXACTION exceeded near '

# --- nothing left behind ----------------------------------------------------------
# A probe function left on a tracepoint after rmmod would be called in
# freed module text: the syscalls below would oops (the host checks dmesg).
: >$T/out
bytetap -e 'global n
probe kernel.trace("sys_enter") { n++ }
probe kernel.trace("sched_switch") { n++ }
probe begin { println("started") }' >$T/out 2>$T/err &
bpid=$!
i=0; while [ $i -lt 100 ] && ! grep -q started $T/out; do sleep 0.1; i=$((i + 1)); done
grep -q started $T/out && ok "tracepoint probes armed (for SIGKILL)" || { fail "tracepoint session did not start"; show $T/err; }
kill -KILL $bpid; wait $bpid 2>/dev/null
sleep 0.2
if rmmod bytetap; then
	ok "the module unloads after tracepoint sessions and a SIGKILL"
	getpid_loop 1000 && write_loop 100 && sleeper 0.1 &&
		ok "syscalls, scheduling and exec after rmmod: no tracepoint probe left" ||
		fail "workloads after rmmod"
else
	fail "rmmod after tracepoint sessions"
fi
insmod $KO || fail "insmod $KO"
