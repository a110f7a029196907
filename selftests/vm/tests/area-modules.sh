# selftests/vm/tests/area-modules.sh - module("NAME").function("PATTERN")
# and kprobe.module("NAME").function("PATTERN") probes, sourced by guest.sh
# (uses its ok/fail/bt/expect_out/expect_err).
#
# selftests/modules/bt_testmod (built by selftests/vm/suite) has two
# functions nothing else calls: `echo N >$BTT_RUN` calls btt_work(i) for
# i = 0 .. N-1 (returning 2*i), then btt_aux(N) once (returning N + 1;
# also named bt_testmod_aux_alias).
# So they are quiet while probes are armed and disarmed (the TCG note in
# guest.sh): the -c workload runs between START and STOP.
BTT_KO=selftests/modules/bt_testmod/bt_testmod.ko
BTT_RUN=/sys/kernel/debug/bt_testmod/run

area_modules() {
	rmmod bt_testmod 2>/dev/null
	if ! insmod $BTT_KO; then
		fail "insmod $BTT_KO"
		return
	fi

	# --- hits, pp(), .call, .return ---------------------------------------
	bt -e 'global n
probe module("bt_testmod").function("btt_work") { n++ }
probe end { printf("n=%d\n", n) }' -c "echo 1234 >$BTT_RUN"
	expect_out "module(\"bt_testmod\").function: hits counted exactly (1234 calls)" "n=1234"

	bt -e 'global c
probe module("bt_testmod").function("btt_work") { c[pp(), probefunc(), ppfunc()]++ }
probe end { foreach ([p, f, g] in c) printf("%s|%s|%s|%d\n", p, f, g, c[p, f, g]) }' \
		-c "echo 3 >$BTT_RUN"
	expect_out "pp(), probefunc(), ppfunc() in a module function" \
		'module("bt_testmod").function("btt_work")|btt_work|btt_work|3'

	bt -e 'global n, s
probe module("bt_testmod").function("btt_aux").call { n++; s += int_arg(1) }
probe end { printf("n=%d s=%d\n", n, s) }' -c "echo 5 >$BTT_RUN; echo 7 >$BTT_RUN"
	expect_out ".call, and int_arg(1) of a module function" "n=2 s=12"

	bt -e 'global n, s, p
probe module("bt_testmod").function("btt_work").return { n++; s += returnval(); p = pp() }
probe end { printf("n=%d s=%d %s\n", n, s, p) }' -c "echo 500 >$BTT_RUN"
	expect_out ".return: hits and returnval() (sum of 2*i, i < 500)" \
		'n=500 s=249500 module("bt_testmod").function("btt_work").return'

	bt -e 'global n
probe module("bt_testmod").function("btt_aux").return.maxactive(4) { if (returnval() == 10) n++ }
probe end { printf("n=%d\n", n) }' -c "echo 9 >$BTT_RUN; echo 9 >$BTT_RUN"
	expect_out ".return.maxactive(N)" "n=2"

	bt -e 'global n
probe kprobe.module("bt_testmod").function("btt_work") { n++ }
probe kprobe.module("bt_testmod").function("btt_work").return { n += 1000 }
probe end { printf("n=%d\n", n) }' -c "echo 7 >$BTT_RUN"
	expect_out "kprobe.module(...).function and .return" "n=7007"

	# two names at one address: whichever the kernel's symbol table does not
	# give is checked by name ("bt_testmod:NAME") through kprobes
	bt -e 'global a, b
probe module("bt_testmod").function("btt_aux") { a++ }
probe module("bt_testmod").function("bt_testmod_aux_alias") { b++ }
probe end { printf("%d %d\n", a, b) }' -c "echo 2 >$BTT_RUN; echo 2 >$BTT_RUN"
	expect_out "a module function and its alias both attach and fire" "2 2"

	# --- globs: one kprobe per function, pp() names it ----------------------
	bt -e 'global c
probe module("bt_testmod").function("btt_*") { c[pp()]++ }
probe end { foreach (p in c+) printf("%s %d\n", p, c[p]) }' -c "echo 20 >$BTT_RUN"
	expect_out "a glob attaches every function of the module it matches" \
		'module("bt_testmod").function("btt_aux") 1
module("bt_testmod").function("btt_work") 20'
	bt -e 'global c
probe kprobe.module("bt_testmod").function("btt_?ork").return { c[probefunc()]++ }
probe end { foreach (p in c) printf("%s %d\n", p, c[p]) }' -c "echo 4 >$BTT_RUN"
	expect_out "... kprobe.module with a ? glob, .return" "btt_work 4"

	# --- -l -----------------------------------------------------------------
	bt -l 'module("bt_testmod").function("*")'
	if grep -qx 'module("bt_testmod").function("btt_work")' $T/out &&
	   grep -qx 'module("bt_testmod").function("bt_testmod_write")' $T/out &&
	   ! grep -q 'vfs_read' $T/out; then
		ok "-l lists a module's functions (and only its)"
	else
		fail "-l lists a module's functions"; show $T/out; show $T/err
	fi
	bt -l 'module("bt_testmod").function("btt_*").return'
	expect_out "-l of a module glob with .return" \
		'module("bt_testmod").function("btt_aux").return
module("bt_testmod").function("btt_work").return'
	bt -l 'module("bt_nosuchmod").function("*")' && fail "-l of a module not loaded exits 0" ||
		ok "-l of a module not loaded exits 1"

	# --- errors ---------------------------------------------------------------
	bt -e 'probe module("bt_nosuchmod").function("f") { next }' &&
		fail "a module not loaded: exit status 0" || ok "a module not loaded: non-zero exit"
	expect_err "... and a clear error" \
		'no match for module\("bt_nosuchmod"\)\.function\("f"\) \(module bt_nosuchmod is not loaded\)'
	bt -e 'probe module("bt_testmod").function("no_such_fn") { next }' &&
		fail "a function the module lacks: exit status 0" || ok "a function the module lacks: non-zero exit"
	expect_err "... and a clear error" 'no function no_such_fn in module bt_testmod'
	bt -e 'probe module("bt_nosuchmod").function("f") ?, module("bt_testmod").function("nope*") ? { next }
probe begin { println("ran"); exit() }'
	if [ "$(cat $T/out)" = ran ] && [ ! -s $T/err ]; then
		ok "? makes a missing module or function silent"
	else
		fail "? makes a missing module or function silent"; show $T/out; show $T/err
	fi
	# no silent change for kernel functions: a module's function is none
	bt -e 'probe kernel.function("btt_work") { next }' &&
		fail "kernel.function of a module's function: exit status 0" ||
		ok "kernel.function of a module's function: non-zero exit"
	expect_err "... not found in the kernel image" 'no match for kernel\.function\("btt_work"\)'
	bt -e 'probe kprobe.function("btt_work") { next }' &&
		fail "kprobe.function of a module's function: exit status 0" ||
		ok "kprobe.function of a module's function: non-zero exit"
	bt -T 1 -e 'probe module("bytetap").function("btk_ioc_attach") { next }'
	expect_err "bytetap's own functions are refused" \
		'^ERROR: cannot attach module\("bytetap"\)\.function\("btk_ioc_attach"\): .*bytetap cannot probe itself'

	# --- the module checks what the front end says: a lying kallsyms ----------
	ka=$(grep ' btt_work	\[bt_testmod\]$' /proc/kallsyms | cut -d' ' -f1)
	kg=$(grep ' T __x64_sys_getpid$' /proc/kallsyms | cut -d' ' -f1)
	printf '%s t btt_work\t[bt_testmod]\n' "$kg" >$T/ks1
	printf '%s T btt_work\n' "$ka" >$T/ks2
	printf '%s t btt_work\t[bt_other]\n' "$ka" >$T/ks3
	export BYTETAP_KALLSYMS=$T/ks1
	bt -e 'probe module("bt_testmod").function("btt_work") { next }'
	expect_err "the module refuses a kernel-image address for a module's function" \
		'\([_a-z]*sys_getpid\) is not in module bt_testmod but in the kernel image'
	export BYTETAP_KALLSYMS=$T/ks2
	bt -e 'probe kernel.function("btt_work") { next }'
	expect_err "... a module's address for a kernel function" \
		'\(btt_work\) is in a module, not the kernel image'
	export BYTETAP_KALLSYMS=$T/ks3
	bt -e 'probe module("bt_other").function("btt_work") { next }'
	expect_err "... another module's address" '\(btt_work\) is not in module bt_other but in bt_testmod'
	unset BYTETAP_KALLSYMS

	# --- the probed module is unloaded while the session runs -----------------
	: >$T/out
	bytetap -e 'global n
probe module("bt_testmod").function("btt_work") { n++ }
probe begin { println("started") } probe end { printf("n=%d\n", n) }' >$T/out 2>$T/err </dev/null &
	bpid=$!
	i=0; while [ $i -lt 100 ] && ! grep -q started $T/out; do sleep 0.1; i=$((i + 1)); done
	echo 10 >$BTT_RUN
	if rmmod bt_testmod; then ok "rmmod of a module with armed probes"; else fail "rmmod bt_testmod while probed"; fi
	sleep 0.2
	kill -INT $bpid; wait $bpid
	expect_out "... the session goes on and ends normally" "started
n=10"
	[ "$(grep -c . /sys/kernel/debug/kprobes/list 2>/dev/null)" = 0 ] &&
		ok "... no kprobe left after the session" ||
		{ fail "kprobes left after unloading a probed module"; cat /sys/kernel/debug/kprobes/list; }
	bt -e 'probe module("bt_testmod").function("btt_work") { next }'
	expect_err "after rmmod: the module is not loaded" '\(module bt_testmod is not loaded\)'
	# loaded again (at another address, maybe): probes work as before
	if insmod $BTT_KO; then
		bt -e 'global n
probe module("bt_testmod").function("btt_work") { n++ }
probe end { printf("n=%d\n", n) }' -c "echo 11 >$BTT_RUN"
		expect_out "the module loaded again is probed afresh" "n=11"
		rmmod bt_testmod || fail "rmmod bt_testmod at the end"
	else
		fail "insmod $BTT_KO again"
	fi
}

if [ -f $BTT_KO ]; then
	area_modules
else
	fail "module probes: $BTT_KO was not built (selftests/vm/suite builds it)"
fi
