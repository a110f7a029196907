#!/usr/bin/env bash
# -l lists probe points like stap -l; the register/argument builtins
# (int_arg() ..., register()) are errors where there are no registers.
. "$(dirname "$0")/lib"
out=$($BYTETAP -l begin 2>&1); rc=$?
expect_status "-l begin exits 0" "$rc" 0
if [ "$out" = "begin" ]; then ok "-l begin prints begin"; else fail "-l begin prints [$out]"; fi
out=$($BYTETAP -l 'timer.ms(100)' 2>&1); rc=$?
expect_status "-l timer.ms(100) exits 0" "$rc" 0
expect_contains "-l timer.ms(100) prints the point" "$out" "timer.ms(100)"
out=$($BYTETAP -l 'end(3)' 2>&1)
expect_contains "-l end(3) prints the point" "$out" "end(3)"
out=$($BYTETAP -l oneshot 2>&1); rc=$?
expect_status "-l oneshot exits 0" "$rc" 0
if [ "$out" = "oneshot" ]; then ok "-l oneshot prints oneshot"; else fail "-l oneshot prints [$out]"; fi
out=$($BYTETAP -l 'no.such.point' 2>&1); rc=$?
expect_status "-l of no probe point exits 1" "$rc" 1
if [ -z "$out" ]; then ok "-l of no probe point prints nothing"; else fail "-l of no probe point prints [$out]"; fi
out=$($BYTETAP --runtime=user -e 'probe begin { println(int_arg(1)) }' 2>&1); rc=$?
expect_status "int_arg() in begin fails the session" "$rc" 1
expect_contains "int_arg() in begin: stap's error" "$out" "ERROR: cannot access function args in this context near identifier 'int_arg'"
out=$($BYTETAP --runtime=user -e 'probe begin { println(register("rdi")) }' 2>&1)
expect_contains "register() in begin: stap's error" "$out" "ERROR: cannot access CPU registers in this context near identifier 'register'"
out=$($BYTETAP -p2 -e 'probe kernel.function("f") { println(int_arg(1) + uint_arg(1) + long_arg(2) + ulong_arg(3) + pointer_arg(4) + s32_arg(5) + u32_arg(6) + s64_arg(1) + u64_arg(1) + register("rax") + u_register("eax")) }' 2>&1); rc=$?
expect_status "the argument and register builtins are known (-p2)" "$rc" 0
