# selftests/vm/tests/area-lifecycle.sh - sessions under fire: the front
# end killed in every phase, rmmod with sessions open, a reader that never
# reads, a thousand sessions, thousands of kprobes.  Sourced by guest.sh
# (ok, fail, bt, $T, $KO); the C parts are bt-hostile-classes tests
# (selftests/vm/hostile_classes.c) and each checks afterwards that every
# session was released and no memory or kprobe was left behind.
#
# Kprobes at a function's entry are only armed and disarmed here on
# functions nothing in the guest runs (the network stack: there is no
# network) or past the fentry call, so that the TCG emulator's own
# problem with live patching (selftests/vm/README.md) stays out of it.

# --- rmmod while sessions are open -------------------------------------------
exec 3<>/dev/bytetap
if rmmod bytetap 2>/dev/null; then
	fail "rmmod bytetap succeeds with a session open"
	insmod $KO
else
	ok "rmmod bytetap is refused while a session is open"
fi
exec 3>&-
: >$T/out
bytetap -e 'probe timer.ms(5) { next } probe begin { println("started") }' >$T/out 2>$T/err &
bpid=$!
i=0; while [ $i -lt 100 ] && ! grep -q started $T/out; do sleep 0.1; i=$((i + 1)); done
if rmmod bytetap 2>/dev/null; then
	fail "rmmod bytetap succeeds while a session runs"
	insmod $KO
else
	ok "rmmod bytetap is refused while a session runs timers"
fi
kill -INT $bpid; wait $bpid
if rmmod bytetap; then ok "rmmod bytetap once they are closed"; else fail "rmmod bytetap after close"; fi
insmod $KO || fail "insmod $KO"

# --- the front end killed while it attaches thousands of kprobes ---------------
# bytetap resolves tcp_* (a few hundred quiet functions) and attaches them
for delay in 0.5 2 4; do
	bytetap -e 'probe kernel.function("tcp_*") { next }' >/dev/null 2>&1 &
	bpid=$!
	sleep $delay
	kill -KILL $bpid; wait $bpid 2>/dev/null
done
i=0; while [ $i -lt 50 ] && [ "$(cat /sys/module/bytetap/refcnt)" != 0 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(grep -c . /sys/kernel/debug/kprobes/list)" = 0 ] && [ "$(cat /sys/module/bytetap/refcnt)" = 0 ] &&
	ok "SIGKILL of bytetap while it loads and attaches kernel.function(\"tcp_*\"): nothing left" ||
	fail "SIGKILL of bytetap during attach: $(grep -c . /sys/kernel/debug/kprobes/list) kprobes, $(cat /sys/module/bytetap/refcnt) sessions left"

# the rest (hostile_classes.c): SIGKILL during a slow LOAD, an ATTACH of
# thousands of kprobes, a flood of output, timers and kprobes firing on
# both CPUs, a long begin probe in START and end probe in STOP; a reader
# that never reads; 1000 sessions at once; max_attach kprobes at +5/+9
for c in kill-load kill-attach kill-flood kill-firing kill-probe no-reader thousand attach-many; do
	hostile_class $c 200
done
