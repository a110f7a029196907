#!/bin/sh
# selftests/vm/tests/fuzz.sh - the guest fuzzer (selftests/fuzz/bt-fuzz.c,
# doc/fuzzing.md), run INSIDE the test guest in a boot of its own:
#
#   selftests/vm/run --timeout 600 -- sh selftests/vm/tests/fuzz.sh [SECONDS [PROGRAMS [BT-FUZZ OPTIONS...]]]
#
# At most SECONDS of fuzzing (300); PROGRAMS (100000): stop after that
# many programs, and fail if the time ran out first (0: fuzz for SECONDS,
# no minimum).  selftests/vm/suite starts it with BYTETAP_FUZZ_SECONDS and
# BYTETAP_FUZZ_PROGRAMS (the environment does not reach the guest, hence
# the arguments).  Prints "ok - guest fuzz: ..." / "FAIL - guest fuzz:
# ..." lines; besides bt-fuzz's own checks, the kernel log written during
# the run must show no lockup, RCU stall, hung task, KASAN report or oops.
cd /bytetap || exit 2
secs=${1:-300}
programs=${2:-100000}
[ $# -ge 2 ] && shift 2 || shift $#
count=""
[ "$programs" -gt 0 ] && count="-n $programs -N $programs"
KO=build/module/bytetap.ko	# the Makefile's MODULE_KO
nfail=0
ok() { echo "ok - guest fuzz: $*"; }
fail() { echo "FAIL - guest fuzz: $*"; nfail=$((nfail + 1)); }

rmmod bytetap 2>/dev/null
if ! insmod $KO; then
	fail "insmod $KO"
	exit 1
fi
echo "bytetap-fuzz: fuzzing starts" >/dev/kmsg
ncpu=$(grep -c '^processor' /proc/cpuinfo)
echo "# guest fuzz: ${count:+$programs programs in at most }$secs s on $ncpu vCPUs, $(uname -r)"

# live (a hung guest must still show how far it got), and kept to check
{ bt-fuzz -t "$secs" $count -R "$@" 2>&1; echo $? >/tmp/fuzz.rc; } | tee /tmp/fuzz.out |
	sed 's/^ok - fuzz: /ok - guest fuzz: /; s/^FAIL - fuzz: /FAIL - guest fuzz: /'
rc=$(cat /tmp/fuzz.rc)
grep -q '^FAIL - ' /tmp/fuzz.out && nfail=$((nfail + 1))
[ $rc = 0 ] || grep -q '^FAIL - ' /tmp/fuzz.out || fail "bt-fuzz exited with status $rc"

# What the kernel said while we fuzzed (the host checks Oops, BUG: and
# WARNING: too; lockups, stalls and hung tasks are ours to catch).
dmesg | sed -n '/bytetap-fuzz: fuzzing starts/,$p' >/tmp/fuzz.dmesg
bad=$(grep -E 'soft lockup|hard LOCKUP|rcu.*stall|blocked for more than|KASAN|Oops|BUG:|general protection|Call Trace' /tmp/fuzz.dmesg)
if [ -n "$bad" ]; then
	fail "the kernel log shows a lockup, stall, hung task or oops:"
	echo "$bad" | head -20 | sed 's/^/    | /'
else
	ok "no lockup, RCU stall, hung task, KASAN report or oops in the kernel log"
fi
echo "# guest fuzz: the fuzz run ended"
[ $nfail = 0 ]
