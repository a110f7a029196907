#!/usr/bin/env bash
# The command line as stap's: options after the script file, clustered
# flags, -G, -V, -t, and stap's refusals (-g, two scripts, -c with -x).
. "$(dirname "$0")/lib"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
printf 'probe begin { printf("%%s %%d\\n", @1, $2); exit() }\n' >"$t/args.stp"

out=$($BYTETAP "$t/args.stp" --runtime=user hello 5 2>&1); rc=$?
expect_status "an option after the script file is an option" "$rc" 0
if [ "$out" = "hello 5" ]; then ok "words after the script stay its arguments"; else fail "permutation: $out"; fi
out=$($BYTETAP --runtime=user "$t/args.stp" -- -x 7 2>&1)
if [ "$out" = "-x 7" ]; then ok "-- ends the options"; else fail "--: $out"; fi

out=$($BYTETAP -wp1 -e 'probe begin { println(1) }' 2>&1); rc=$?
expect_status "-wp1 is -w -p1" "$rc" 0
expect_contains "-wp1 stops after pass 1" "$out" "probe begin"
out=$($BYTETAP -wZ -e 'probe begin {}' 2>&1); rc=$?
expect_status "an unknown clustered flag fails" "$rc" 1
expect_contains "the unknown flag is named" "$out" "invalid option -- 'Z'"

out=$($BYTETAP --runtime=user -G n=5 -G s=hi -e 'global n, s
probe begin { printf("%d %s\n", n, s); exit() }' 2>&1)
if [ "$out" = "5 hi" ]; then ok "-G sets a number and a string global"; else fail "-G: $out"; fi
out=$($BYTETAP --runtime=user -G nosuch=5 -e 'global n; probe begin { exit() }' 2>&1); rc=$?
expect_status "-G of an unknown global fails" "$rc" 1
expect_contains "-G names the unknown global" "$out" "Unknown parameter 'nosuch'"

out=$($BYTETAP -V 2>&1); rc=$?
expect_status "-V exits 0" "$rc" 0
expect_contains "-V names bytetap" "$out" "bytetap translator/driver"

out=$($BYTETAP --runtime=user -t -e 'probe begin { exit() }' 2>&1)
expect_contains "-t prints stap's probe hit report" "$out" "----- probe hit report:"
expect_contains "-t counts the begin probe's hit" "$out" "begin, (<input>:1:1), hits: 1,"

out=$($BYTETAP -g -e 'probe begin {}' 2>&1); rc=$?
expect_status "-g is refused" "$rc" 1
expect_contains "-g says why" "$out" "bytetap does not implement -g"
out=$($BYTETAP -e 'probe begin {}' -e 'probe end {}' 2>&1); rc=$?
expect_status "two -e fail" "$rc" 1
expect_contains "two -e: stap's text" "$out" "Only one script can be given on the command line."
out=$($BYTETAP -c true -x 1 -e 'probe begin {}' 2>&1); rc=$?
expect_status "-c with -x fails" "$rc" 1
expect_contains "-c with -x: stap's text" "$out" "You can't specify -c and -x together."
