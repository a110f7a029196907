#!/usr/bin/env bash
# --help, --version, -p1..-p4, -o, -D and bad options behave like stap's.
. "$(dirname "$0")/lib"
out=$($BYTETAP --help 2>&1); rc=$?
expect_status "--help exits 0" "$rc" 0
expect_contains "--help describes -e" "$out" "-e SCRIPT"
out=$($BYTETAP --version 2>&1); rc=$?
expect_status "--version exits 0" "$rc" 0
expect_contains "--version names bytetap" "$out" "bytetap"
out=$($BYTETAP -p1 -e 'probe begin { printf("%d\n", 1 + 2) }' 2>&1); rc=$?
expect_status "-p1 exits 0" "$rc" 0
expect_contains "-p1 prints the parsed probe" "$out" "probe begin"
out=$($BYTETAP -p2 -e 'global g; probe begin { g = 1 }' 2>&1); rc=$?
expect_status "-p2 exits 0" "$rc" 0
expect_contains "-p2 prints the typed global" "$out" "g:long"
out=$($BYTETAP -p3 -e 'probe begin { x = 6; println(x / 2) }' 2>&1); rc=$?
expect_status "-p3 exits 0" "$rc" 0
expect_contains "-p3 prints bytecode" "$out" "DIV"
tmp=$(mktemp)
out=$($BYTETAP -p4 -o "$tmp" -e 'probe begin { exit() }' 2>&1); rc=$?
expect_status "-p4 -o exits 0" "$rc" 0
if [ "$(head -c 4 "$tmp")" = "BTAP" ]; then ok "-p4 writes a program file"; else fail "-p4 writes a program file"; fi
$BYTETAP --runtime=user -o "$tmp" -e 'probe begin { println("to file"); exit() }'
expect_contains "-o sends output to the file" "$(cat "$tmp")" "to file"
rm -f "$tmp"
out=$($BYTETAP --runtime=user -DMAXSTRINGLEN=4 -e 'probe begin { println("abcdef"); exit() }' 2>&1)
expect_contains "-D sets a limit" "$out" "abc"
out=$($BYTETAP --runtime=user -DMAXSTRINGLEN=x -e 'probe begin { exit() }' 2>&1); rc=$?
expect_status "a bad -D value is refused" "$rc" 1
out=$($BYTETAP --bogus 2>&1); rc=$?
expect_status "an unknown option is refused" "$rc" 1
expect_contains "an unknown option is named" "$out" "--bogus"
