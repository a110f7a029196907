#!/usr/bin/env bash
# bench/upstream-suite: with no path it skips cleanly; on a tiny suite of our
# own it scores each directory as upstream's drivers do (-p1 must pass in
# parseok, must fail in parseko; a shell-script test finds the tool as
# "stap"; embedded C is left out; an output test compares byte for byte).
. "$(dirname "$0")/lib"
runner=bench/upstream-suite
BYTETAP=$(cd "$(dirname "$BYTETAP")" && pwd)/$(basename "$BYTETAP")
export BYTETAP

out=$($runner 2>&1); rc=$?
expect_status "no path: exits 0" "$rc" 0
if [ "$(wc -l <<<"$out")" = 1 ] && ! grep -qE '[0-9]+/[0-9]+' <<<"$out"; then ok "no path: one note, no scores"; else fail "no path: $out"; fi

s=$(mktemp -d)
trap 'rm -rf "$s"' EXIT
mkdir -p "$s/parseok" "$s/parseko" "$s/systemtap.printf"
printf '#! stap -p1\nprobe begin { x = 1 + 2; println(x) }\n' >"$s/parseok/sum.stp"
printf '#! stap -p1\nprobe begin { x = (1 + ; }\n' >"$s/parseok/unbalanced.stp"
printf '#! /bin/sh\nstap -p1 -e "probe end { exit() }"\n' >"$s/parseok/shell.stp"
printf '#! stap -p1\n%%{ int x; %%}\nprobe begin { }\n' >"$s/parseok/embedded.stp"
printf '#! stap -p1\nprobe begin { if }\n' >"$s/parseko/dangling_if.stp"
printf '#! stap -p1\nprobe begin { println("fine") }\n' >"$s/parseko/valid.stp"
printf 'probe begin { printf("a%%sc\\n", "b"); println(2 * 21); exit() }\n' >"$s/systemtap.printf/abc.stp"
cat >"$s/systemtap.printf/abc.exp" <<'EOF'
set test "abc"
set ::result_string {abc
42}
foreach runtime [get_runtime_list] {
    if {$runtime != ""} {
	stap_run2 $srcdir/$subdir/$test.stp --runtime=$runtime
    } else {
	stap_run2 $srcdir/$subdir/$test.stp
    }
}
set ::result_string "abc\n43"
stap_run2 $srcdir/$subdir/$test.stp
EOF

out=$($runner --verbose --list-failures "$s" 2>&1); rc=$?
expect_status "fake suite: exits 0" "$rc" 0
expect_contains "parseok: the good script and the shell test pass, the bad one fails" "$out" "parseok 2/3"
expect_contains "parseko: the broken script passes, the valid one fails" "$out" "parseko 1/2"
expect_contains "embedded C is left out and counted" "$out" "left out: 1 embedded C"
expect_contains "the output test passes once and fails once" "$out" "systemtap.printf 1/2"
expect_contains "a failing parseok test is listed with the tool's reason" "$out" "FAIL parseok/unbalanced.stp: parse error"
expect_contains "a parseko test the tool accepts is listed" "$out" "FAIL parseko/valid.stp: accepted (exit 0)"
expect_contains "the output failure names the line" "$out" 'FAIL systemtap.printf/abc.exp#2: line 2 col 2: want "43" got "42"'
if grep -q 'sum.stp\|shell.stp\|dangling_if.stp\|abc.exp#1' <<<"$out"; then fail "passing tests are not listed: $out"; else ok "passing tests are not listed"; fi

out=$($runner --only parseko "$s" 2>&1)
if [ "$out" = "parseko 1/2" ]; then ok "--only runs one directory"; else fail "--only: $out"; fi
