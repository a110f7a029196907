#!/usr/bin/env bash
# The user runtime: Ctrl-C runs the end probes, -c ends with the command
# and sets target(), kernel probes are refused with the probe named.
. "$(dirname "$0")/lib"
out=$(mktemp)
$BYTETAP --runtime=user -e 'probe begin { println("started") } probe end { println("end ran") }' >"$out" 2>&1 &
pid=$!
for i in $(seq 50); do grep -q started "$out" && break; sleep 0.1; done
kill -INT $pid; wait $pid; rc=$?
expect_status "SIGINT ends the session with status 0" "$rc" 0
expect_contains "SIGINT runs the end probes" "$(cat "$out")" "end ran"
rm -f "$out"
res=$($BYTETAP --runtime=user -c 'sleep 0.3' -e 'probe end { printf("target=%d\n", target()) }' 2>&1); rc=$?
expect_status "-c CMD ends the session when CMD exits" "$rc" 0
if grep -qE '^target=[1-9][0-9]*$' <<<"$res"; then ok "-c sets target() to the command's pid"; else fail "-c sets target(): $res"; fi
res=$($BYTETAP --runtime=user -x 4242 -e 'probe begin { println(target()); exit() }' 2>&1)
expect_contains "-x sets target()" "$res" "4242"
res=$($BYTETAP --runtime=user -e 'probe kernel.function("vfs_read") { println(1) }' 2>&1); rc=$?
expect_status "a kernel probe in the user runtime is refused" "$rc" 1
expect_contains "the refusal names the probe and the runtime" "$res" 'kernel.function("vfs_read") needs the kernel runtime'
res=$($BYTETAP --runtime=user -c 'true' -e 'probe begin { printf("begin target>0:%d\n", target() > 0) }' 2>&1)
expect_contains "-c sets target() already in begin probes" "$res" "begin target>0:1"
