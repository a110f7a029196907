#!/usr/bin/env bash
# A compile error names the file, line and column, shows the line and a caret.
. "$(dirname "$0")/lib"
out=$($BYTETAP --runtime=user -e 'probe begin { x = 1 +; }' 2>&1); rc=$?
expect_status "parse error exits non-zero" "$rc" 1
expect_contains "parse error names the token and place" "$out" "<input>:1:22"
expect_contains "parse error shows the source line" "$out" "probe begin { x = 1 +; }"
expect_contains "parse error has a caret" "$out" "^"
out=$($BYTETAP --runtime=user -e 'probe begin { x = 1; x = "s"; println(x) }' 2>&1); rc=$?
expect_status "type error exits non-zero" "$rc" 1
expect_contains "type error says type mismatch" "$out" "type mismatch"
out=$($BYTETAP --runtime=user -e 'probe begin { nosuchfunc(1) }' 2>&1); rc=$?
expect_status "unknown function exits non-zero" "$rc" 1
expect_contains "unknown function is named" "$out" "nosuchfunc"
out=$($BYTETAP --runtime=user /nonexistent/script.stp 2>&1); rc=$?
expect_status "missing script file exits non-zero" "$rc" 1
expect_contains "missing script file is named" "$out" "/nonexistent/script.stp"
