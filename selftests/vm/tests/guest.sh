#!/bin/sh
# selftests/vm/tests/guest.sh - the kernel runtime's checks, run INSIDE the
# test guest in one boot (selftests/vm/suite starts it):
#
#   selftests/vm/run -- sh selftests/vm/tests/guest.sh
#
# Prints "ok - guest: ..." / "FAIL - guest: ..." lines.  The host checks
# the guest's dmesg for Oops / BUG / WARNING after it.
#
# Under QEMU TCG with 2 vCPUs the kernel's live code patching (ftrace,
# which kprobes at a function's entry use) can crash the guest when
# another vCPU runs the patched function at that very moment (the same
# happens with ftrace's own function tracer and with selftests/kprobe-bare,
# no bytetap involved).  So every test arranges for the probed function to
# be quiet while probes are armed and disarmed: the -c workload starts
# after START, and ends (or sleeps) before STOP.
cd /bytetap || exit 2
T=/tmp/bt
mkdir -p $T
KO=${BYTETAP_KO:-build/module/bytetap.ko}	# the Makefile's MODULE_KO; another build: also set BYTETAP_MODULE
nfail=0

ok() { echo "ok - guest: $*"; }
fail() { echo "FAIL - guest: $*"; nfail=$((nfail + 1)); }
show() { sed 's/^/    | /' "$1" | head -${2:-8}; }

# expect NAME WANT_STDOUT: compare $T/out
expect_out() {
	if [ "$(cat $T/out)" = "$2" ]; then
		ok "$1"
	else
		fail "$1"
		echo "    want: $2"
		echo "    stdout:"; show $T/out
		echo "    stderr:"; show $T/err
	fi
}
# expect_err NAME PATTERN: $T/err has a line matching PATTERN (grep -E)
expect_err() {
	if grep -qE "$2" $T/err; then
		ok "$1"
	else
		fail "$1 (stderr lacks /$2/)"
		echo "    stdout:"; show $T/out
		echo "    stderr:"; show $T/err
	fi
}
bt() { timeout 120 bytetap "$@" >$T/out 2>$T/err </dev/null; }
# hostile_class TEST [SECS]: one test of selftests/vm/hostile_classes.c,
# which prints its own ok/FAIL lines; one that does not finish fails
hostile_class() {
	timeout "${2:-150}" bt-hostile-classes "$1" >$T/class 2>&1 </dev/null
	hc_rc=$?
	cat $T/class
	nfail=$((nfail + $(grep -c '^FAIL' $T/class)))
	[ $hc_rc -le 1 ] || fail "bt-hostile-classes $1 did not finish (status $hc_rc)"
}
probes_left() { grep -c getpid /sys/kernel/debug/kprobes/list 2>/dev/null; }

# --- the module loads by itself from the build tree ------------------------
rmmod bytetap 2>/dev/null
bt -e 'probe begin { println("hello from the kernel"); exit() }'
expect_out "bytetap loads the module and runs begin" "hello from the kernel"
if [ -c /dev/bytetap ] && grep -q '^bytetap ' /proc/modules; then
	ok "/dev/bytetap exists after the automatic load"
else
	fail "/dev/bytetap missing after the automatic load"
fi

# --- exact counts --------------------------------------------------------------
bt -e 'global n
probe kernel.function("__x64_sys_getpid") { if (execname() == "getpid_loop") n++ }
probe end { printf("n=%d\n", n) }' -c 'getpid_loop 12345'
expect_out "kprobe hits counted exactly (12345 getpid calls)" "n=12345"

bt -e 'global n, ok
probe kernel.function("__x64_sys_getpid").return {
	if (execname() == "getpid_loop") { n++; if (returnval() == pid()) ok++ }
}
probe end { printf("n=%d ok=%d\n", n, ok) }' -c 'getpid_loop 2000'
expect_out "kretprobe hits and returnval() == pid()" "n=2000 ok=2000"

bt -e 'global s
probe kernel.function("__x64_sys_getpid") { if (execname() == "getpid_loop") s <<< tid() % 7 + 1 }
probe end { printf("%d %d\n", @count(s), @sum(s) > 0) }' -c 'getpid_loop 3000'
expect_out "per-CPU statistics merged (@count)" "3000 1"

bt -e 'global c
probe kernel.function("__x64_sys_getpid") { c[execname(), cpu()]++ }
probe end { foreach ([e, k] in c) if (e == "getpid_loop") t += c[e, k]; printf("%d\n", t) }' \
	-c 'taskset 1 getpid_loop 500; taskset 2 getpid_loop 700'
expect_out "a map filled from both CPUs" "1200"

bt -e 'probe kernel.function("__x64_sys_getpid") {
	if (execname() == "getpid_loop") {
		printf("%s|%s|%s|%d|%d\n", probefunc(), ppfunc(), pp(), pid() == target(), tid() == pid())
		exit()
	}
}' -c 'exec getpid_loop 1'
expect_out "probefunc, ppfunc, pp, target in a kprobe" \
	'__x64_sys_getpid|__x64_sys_getpid|kernel.function("__x64_sys_getpid")|1|1'

# --- arguments and registers by position (int_arg(), register(), ...) ---------
# __x64_sys_getpid(const struct pt_regs *regs): arg 1 is the syscall's
# pt_regs, whose orig_ax (offset 120) is getpid's number, 39
bt -e 'probe kernel.function("__x64_sys_getpid") {
	if (execname() == "getpid_loop") {
		p = pointer_arg(1); l = long_arg(1)
		printf("%d %d %d %d %d %d\n", p != 0, kernel_long(p + 120),
		       register("rdi") == l && u_register("rdi") == l && ulong_arg(1) == l && u64_arg(1) == l && s64_arg(1) == l,
		       int_arg(1) == s32_arg(1) && int_arg(1) == ((l & 0xffffffff) ^ 0x80000000) - 0x80000000,
		       uint_arg(1) == (l & 0xffffffff) && u32_arg(1) == uint_arg(1),
		       register("edi") == int_arg(1) && u_register("edi") == uint_arg(1))
		exit()
	}
}' -c 'exec getpid_loop 1'
expect_out "pointer_arg, long_arg, int_arg, register in a kprobe" "1 39 1 1 1 1"
# ksys_write(fd, buf, count): write_loop writes "bytetap\n" to /dev/null
bt -e 'global n, ok
probe kernel.function("ksys_write") {
	if (execname() == "write_loop") {
		n++
		if (int_arg(1) > 2 && uint_arg(1) == int_arg(1) && user_string_n(pointer_arg(2), 7) == "bytetap" &&
		    long_arg(3) == 8 && register("rdx") == 8) ok++
	}
}
probe end { printf("n=%d ok=%d\n", n, ok) }' -c 'write_loop 100'
expect_out "int_arg(1), pointer_arg(2), long_arg(3), register(\"rdx\") of ksys_write" "n=100 ok=100"
bt -e 'probe kernel.function("__x64_sys_getpid") { if (execname() == "getpid_loop") println(register("xyz")) }' \
	-c 'exec getpid_loop 1'
expect_err "an unknown register is an error" "^ERROR: Unknown register: xyz near identifier 'register'"
bt -e 'probe begin { println(int_arg(1)) }'
expect_err "int_arg() in begin is an error" "^ERROR: cannot access function args in this context near identifier 'int_arg'"
bt -e 'probe timer.ms(10) { println(register("rax")) }'
expect_err "register() in a timer is an error" "^ERROR: cannot access CPU registers in this context near identifier 'register'"

# --- wildcards: one kprobe per function, pp() names it --------------------------
# (quiet functions only: getpid, getppid, getpgid; see the TCG note above)
bt -e 'global c
probe kernel.function("__x64_sys_getp*d") { if (execname() == "getpid_loop") c[probefunc(), pp()]++ }
probe end { foreach ([f, p] in c) printf("%s %s %d\n", f, p, c[f, p]) }' -c 'getpid_loop 50'
expect_out "a wildcard attaches every match; probefunc, pp name the function" \
	'__x64_sys_getpid kernel.function("__x64_sys_getpid") 50'
bt -v -e 'probe kernel.function("__x64_sys_getp*d").return { next }' -T 0.1
expect_err "... one kprobe per function matched" '^bytetap: ([3-9]|[1-9][0-9]+) kprobes attached'
bt -l 'kernel.function("vfs_rea*")'
if grep -qx 'kernel.function("vfs_read")' $T/out; then ok "-l lists a wildcard's functions"; else
	fail "-l lists a wildcard's functions"; show $T/out; show $T/err; fi
bt -l 'kernel.function("vfs_read").return'
expect_out "-l of a plain name" 'kernel.function("vfs_read").return'
bt -l 'kernel.function("no_such_function_xyz")' && fail "-l with no match exits 0" ||
	ok "-l with no match exits 1"

# all on CPU 0, so that the timer interrupts the kprobe handler there
timeout 120 taskset 1 bytetap -v -DSTP_NO_OVERLOAD -e 'global x, y
probe kernel.function("__x64_sys_getpid") { if (execname() == "getpid_loop") for (i = 0; i < 2000; i++) x++ }
probe timer.us(20) { y++ }' -c 'getpid_loop 200' >$T/out 2>$T/err </dev/null
expect_err "a timer that would nest in a kprobe handler is skipped and counted" \
	'hits, [1-9][0-9]* reentrant'
expect_err "... and reported like SystemTap" '^WARNING: Number of errors: 0, skipped probes: 0$'

bt -e 'probe kernel.function("__x64_sys_getpid") {
	if (execname() == "getpid_loop") {
		printf("%d %d %d %d %d %d %d %d %d %d\n", ppid() > 1, uid(), euid(), gid(),
		       gettimeofday_s() > 1600000000, gettimeofday_ms() / 1000 - gettimeofday_s() <= 1,
		       gettimeofday_ns() > gettimeofday_us(), local_clock_ns() > 0, jiffies() > 0,
		       returnval() == returnval())
		exit()
	}
}
probe end { printf("%d %s\n", cpu() >= 0, probefunc() == "" ? "end-has-no-function" : probefunc()) }' \
	-c 'getpid_loop 1'
expect_out "ppid, uid, euid, gid, gettimeofday_*, local_clock_ns, jiffies; probefunc in end" \
	"1 0 0 0 1 1 1 1 1 1
1 end-has-no-function"
bt -e 'probe begin { println(returnval()) }'
expect_err "returnval() in begin is an error" '^ERROR: returnval\(\) not defined in this context begin'

# --- timers --------------------------------------------------------------------
bt -e 'global n
probe timer.ms(10) { n++ }
probe timer.s(1) { printf("%d\n", n >= 40 && n <= 110); exit() }'
expect_out "timer.ms(10) fires about 100 times a second" "1"
bt -e 'global n
probe timer.profile { n[cpu()]++ }
probe timer.ms(400) { printf("%d\n", (0 in n) && (1 in n)); exit() }'
expect_out "timer.profile fires on every CPU" "1"
bt -e 'global n
probe timer.hz(200) { n++ }
probe timer.ms(300).randomize(50) { printf("%d\n", n > 20); exit() }'
expect_out "timer.hz and .randomize" "1"

# --- begin / end order, exit() -------------------------------------------------
bt -e 'probe begin(2) { println("b2") } probe begin(-1) { println("b-1") }
probe begin { println("b0") } probe end(5) { println("e5") } probe end { println("e0") }
probe timer.ms(50) { println("t"); exit() }'
expect_out "begin(N) and end(N) run in order around the probes" "b-1
b0
b2
t
e0
e5"

bt -e 'global n
probe kernel.function("__x64_sys_getpid") { if (execname() == "getpid_loop") { n++; if (n == 10) exit() } }
probe end { printf("n=%d\n", n) }' -c 'getpid_loop 12; exec sleeper 30'
expect_out "exit() from a kprobe stops the probes and runs end" "n=10"

bt -e 'probe begin { println("a"); exit(); println("b") } probe begin(1) { println("never") }
probe end { println("end") }'
expect_out "exit() in begin: the handler finishes, later begins are skipped" "a
b
end"

bt -e 'global a[3000]
probe begin { for (i = 0; i < 3000; i++) a[i] = sprintf("%0400d", i) }
probe timer.ms(10) { exit() }
probe end { foreach (k in a+) printf("%s\n", a[k]) }'
if [ "$(grep -c . $T/out)" = 3000 ] && ! grep -q 'transport failures' $T/err; then
	ok "end probes printing more than a ring holds lose nothing"
else
	fail "end probes printing more than a ring holds: $(grep -c . $T/out) lines"; show $T/err 3
fi

# --- -c / -x / target() ---------------------------------------------------------
bt -e 'probe begin { printf("%d\n", target() > 0) } probe end { println("end") }' -c 'sleeper 0.2'
expect_out "-c CMD: target() is set and the session ends with CMD" "1
end"
sleeper 20 &
spid=$!
bt -x $spid -e 'probe begin { printf("%d\n", target()); exit() }'
expect_out "-x PID sets target()" "$spid"
kill $spid 2>/dev/null; wait $spid 2>/dev/null
bt -T 1 -e 'probe begin { println("b") } probe end { println("end") }'
expect_out "-T ends the session and runs end" "b
end"

# --- Ctrl-C and SIGKILL of the front end ------------------------------------------
: >$T/out	# (the background job truncates it later than the loop below looks)
bytetap -e 'global n
probe kernel.function("__x64_sys_getpid") { n++ }
probe begin { println("started") } probe end { printf("ended %d\n", n >= 0) }' >$T/out 2>$T/err &
bpid=$!
i=0; while [ $i -lt 100 ] && ! grep -q started $T/out; do sleep 0.1; i=$((i + 1)); done
kill -INT $bpid; wait $bpid
expect_out "SIGINT runs the end probes" "started
ended 1"
[ "$(probes_left)" = 0 ] && ok "no kprobe left after SIGINT" || fail "kprobes left after SIGINT"

: >$T/out
bytetap -e 'global n
probe kernel.function("__x64_sys_getpid") { n++ }
probe kernel.function("__x64_sys_getpid").return { n++ }
probe timer.ms(1) { n++ }
probe begin { println("started") }' >$T/out 2>$T/err &
bpid=$!
i=0; while [ $i -lt 100 ] && ! grep -q started $T/out; do sleep 0.1; i=$((i + 1)); done
[ "$(probes_left)" = 2 ] && ok "kprobe and kretprobe listed while running" ||
	{ fail "kprobes not listed while running"; cat /sys/kernel/debug/kprobes/list; show $T/out; show $T/err; }
kill -KILL $bpid; wait $bpid 2>/dev/null
sleep 0.2
[ "$(probes_left)" = 0 ] && ok "SIGKILL of the front end: no kprobe left" ||
	{ fail "SIGKILL of the front end: kprobes left"; cat /sys/kernel/debug/kprobes/list; }
if rmmod bytetap; then ok "the module unloads after SIGKILL"; else fail "rmmod after SIGKILL"; fi
insmod $KO || fail "insmod $KO"

# --- errors, with SystemTap's texts ------------------------------------------------
bt -e 'probe begin { println(kernel_string(0xffff800000000000)) }'
expect_err "a bad kernel address is a script error with its location" \
	'^ERROR: kernel string copy fault at 0xffff800000000000 \[man error::fault\] near identifier .kernel_string. at <input>:1:23$'
expect_err "... counted in the closing warning" '^WARNING: Number of errors: 1, skipped probes: 0$'
bt -e 'probe kernel.function("__x64_sys_getpid") {
	if (execname() == "getpid_loop") printf("%d\n", kernel_long(0x10) + user_long(0x10))
}' -c 'getpid_loop 1'
expect_err "a bad address in probe context is an error too" '^ERROR: kernel long copy fault at 0x10'
bt -e 'probe kernel.function("__x64_sys_getpid") {
	if (execname() == "getpid_loop") { println(user_string(0x1000)); exit() }
}' -c 'getpid_loop 1'
expect_err "user_string of an unmapped address" '^ERROR: user string copy fault -14 at 0x1000'
bt -e 'global x
probe kernel.function("__x64_sys_getpid") { if (execname() == "getpid_loop") { for (i = 0; i < 100000; i++) x++ } }' \
	-c 'getpid_loop 1'
expect_err "MAXACTION in a kprobe" '^ERROR: MAXACTION exceeded near '
bt -DMAXACTION=100 -e 'probe begin { for (i = 0; i < 2000; i++) x++ }'
expect_err "MAXACTION (-DMAXACTION) in begin" '^ERROR: MAXACTION exceeded near '
bt -e 'global a[10]
probe begin { for (i = 0; i < 20; i++) a[i] = i }'
expect_err "a sized array overflows with the size" '^ERROR: Array overflow, check size limit \(10\) near '
bt -DMAXMAPENTRIES=50 -e 'global a, i
probe kernel.function("__x64_sys_getpid") { if (execname() == "getpid_loop") a[tid(), i++] = 1 }' \
	-c 'getpid_loop 100'
expect_err "MAXMAPENTRIES in a kprobe" '^ERROR: Array overflow, check MAXMAPENTRIES near '
bt -e 'global x
probe timer.us(200) { for (i = 0; i < 3000; i++) x++ }
probe end { println("end not run") }' -T 20
expect_err "the overload guard stops a session eating the CPU" \
	'^ERROR: probe overhead \([0-9]+ cycles\) exceeded threshold \(500000000 cycles\) in last 1000000000 cycles'
grep -q 'end not run' $T/out && fail "end probes ran after overload" || ok "no end probes after overload"
bt -e 'probe begin { error("boom") } probe end { println("end") } probe error { println("error probe") }'
expect_out "after an error: error probes, not end probes" "error probe"

# --- hostile programs and ioctls -----------------------------------------------------
bl=""
for f in do_int3 exc_int3 notify_die kprobe_int3_handler; do
	grep -q " $f\$" /sys/kernel/debug/kprobes/blacklist 2>/dev/null || \
		grep -q "	$f\$" /sys/kernel/debug/kprobes/blacklist 2>/dev/null || continue
	grep -q " [tT] $f\$" /proc/kallsyms && { bl=$f; break; }
done
[ -n "$bl" ] || bl=$(awk '{print $2}' /sys/kernel/debug/kprobes/blacklist | while read f; do
	grep -q " [tT] $f\$" /proc/kallsyms && { echo $f; break; }; done)
bytetap -p4 -o $T/good.btp -e 'global n, s, a[100]
probe kernel.function("__x64_sys_getpid") { n++; s <<< n; a[n % 100] = n }
probe timer.ms(5) { if (n % 3) n += 1 }
probe begin { for (i = 0; i < 10; i++) a[i] = i; printf("%d %s\n", n, "x") }
probe end { foreach (k in a) if (k < 3) printf("%d=%d\n", k, a[k]); print(@hist_log(s)) }' >/dev/null &&
bytetap -p4 -o $T/bl.btp -e "probe kernel.function(\"$bl\") { next }" >/dev/null ||
	fail "bytetap -p4 for the hostile tests"
# the initramfs root is 0700 (a mktemp -d dir): let the unprivileged open get
# as far as the module
chmod 755 /
session_mem=$(cat /sys/module/bytetap/parameters/max_session_mem)
echo 8388608 >/sys/module/bytetap/parameters/max_session_mem
bt-hostile $T/good.btp $T/bl.btp "$bl" >$T/hostile 2>&1
cat $T/hostile
grep -q '^ok - hostile: 3000 randomly' $T/hostile || fail "bt-hostile did not finish"
echo "$session_mem" >/sys/module/bytetap/parameters/max_session_mem
bt -e "probe kernel.function(\"$bl\") { next }"
expect_err "the front end shows the module's refusal of a blacklisted function" \
	"^ERROR: cannot attach kernel.function\\(\"$bl\"\\): cannot probe $bl: the kernel refused it"

# --- the syscall tapset (tapsets/linux/syscalls.stp) ------------------------------
bt -e 'global n, a
probe syscall.write { if (pid() == target()) { n++; a = sprintf("%s(%s)", name, argstr) } }
probe end { printf("n=%d %s\n", n, a) }' -c 'write_loop 100'
sed -i 's/write([0-9]*, /write(FD, /' $T/out
expect_out "syscall.write: every write of write_loop, with its argstr" 'n=100 write(FD, "bytetap\n", 8)'
bt -e 'global n, ok
probe syscall.write.return { if (pid() == target()) { n++; if (retval == 8 && retstr == "8") ok++ } }
probe end { printf("n=%d ok=%d\n", n, ok) }' -c 'write_loop 100'
expect_out "syscall.write.return: retval and retstr" "n=100 ok=100"
bt -e 'global n, a
probe syscall.getpid { if (execname() == "getpid_loop") { n++; a = name . "(" . argstr . ")" } }
probe end { printf("n=%d %s\n", n, a) }' -c 'getpid_loop 500'
expect_out "syscall.getpid: the count of getpid_loop 500" "n=500 getpid()"

# --- per-area checks: selftests/vm/tests/area-*.sh, sourced in name order ----
# Each uses ok/fail/bt/expect_out/expect_err above and must leave no probe
# armed and the module loaded.
for area in selftests/vm/tests/area-*.sh; do
	[ -f "$area" ] && . "$area"
done

# --- the end: nothing left behind ------------------------------------------------------
[ "$(grep -c . /sys/kernel/debug/kprobes/list 2>/dev/null)" = 0 ] && ok "no kprobe left at the end" ||
	{ fail "kprobes left at the end"; cat /sys/kernel/debug/kprobes/list; }
if rmmod bytetap; then ok "the module unloads at the end"; else fail "rmmod bytetap at the end"; fi
exit $nfail
