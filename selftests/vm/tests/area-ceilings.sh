# selftests/vm/tests/area-ceilings.sh - the module's own ceilings, seen
# from the front end as a user sees them (doc/ioctl-abi.md "The safety
# contract"); sourced by guest.sh (ok/fail/bt/expect_out/expect_err, $T).
# The raw-ioctl side of the same bounds is selftests/vm/hostile_classes.c.
P=/sys/module/bytetap/parameters

# --- MAXACTION: a program may lower the ceiling, never raise it ------------------
bt -DMAXACTION=5000000 -e 'probe begin { exit() }'
expect_err "MAXACTION over the module's ceiling is refused, naming the parameter" \
	"action budget of 50000000 \\(MAXACTION, x 10 when interruptible\\) is over the module's ceiling of 10000000 \\(module parameter max_action\\)"
bt -DMAXACTION=1000000 -e 'probe begin { println("at the ceiling"); exit() }'
expect_out "MAXACTION at the ceiling runs" "at the ceiling"

# --- the per-hit time guard ------------------------------------------------------
# A timer handler with a million actions of string work runs for seconds
# under the emulator; with STP_NO_OVERLOAD the averaging guard is off, and
# the time guard still ends it.  A shorter bound keeps the test quick.
hit_us=$(cat $P/max_hit_us)
echo 100000 >$P/max_hit_us
bt -DMAXACTION=1000000 -DSTP_NO_OVERLOAD -e 'global s, n
probe timer.ms(20) { for (i = 0; i < 999000; i++) s = sprintf("%s%d", substr(s, 0, 400), i); n++ }
probe end { printf("n=%d\n", n) }'
expect_err "a long hit in a timer probe ends at max_hit_us, even with STP_NO_OVERLOAD" \
	"^ERROR: probe handler ran for more than 100000 us \\(module parameter max_hit_us\\)"

# begin/end probes run inside START/STOP in process context: 10x the bound
echo 20000 >$P/max_hit_us
bt -DMAXACTION=1000000 -e 'global s
probe begin { exit() }
probe end { for (i = 0; i < 999000; i++) s = sprintf("%s%d", substr(s, 0, 400), i); println("not reached") }'
expect_err "a long end probe ends at 10 x max_hit_us" \
	"^ERROR: probe handler ran for more than 200000 us \\(module parameter max_hit_us x 10 for begin, end and error probes\\)"
echo "$hit_us" >$P/max_hit_us

# a sorted foreach over a big map in probe context is bounded the same way
echo 50000 >$P/max_hit_us
bt -DMAXACTION=1000000 -DMAXMAPENTRIES=300000 -DSTP_NO_OVERLOAD -e 'global a, f, m
probe timer.ms(10) {
	if (f < 200000) { for (j = 0; j < 2000; j++) { a[f * 7919 % 200003] = f; f++ } }
	else foreach (k in a-) m++
}
probe timer.s(30) { exit() }'
expect_err "a sort of 200000 entries in a timer probe ends at max_hit_us" \
	"^ERROR: probe handler ran for more than 50000 us"
echo "$hit_us" >$P/max_hit_us

# --- memory ceilings ---------------------------------------------------------------
sess_mem=$(cat $P/max_session_mem)
total_mem=$(cat $P/max_total_mem)
if [ "$sess_mem" -gt 0 ] && [ "$total_mem" -ge "$sess_mem" ]; then
	ok "memory ceilings are set from RAM at load (session $sess_mem, all $total_mem bytes)"
else
	fail "memory ceilings are set from RAM at load (session $sess_mem, all $total_mem bytes)"
fi
echo 4194304 >$P/max_session_mem
bt -e 'global a[200000]
probe begin { a[1] = 1; exit() }'
expect_err "a session over max_session_mem is refused, naming the parameter" \
	"over the limit of 4194304 \\(module parameter max_session_mem\\)"
echo "$sess_mem" >$P/max_session_mem
echo 4194304 >$P/max_total_mem
bt -e 'global a[200000]
probe begin { a[1] = 1; exit() }'
expect_err "sessions together over max_total_mem are refused, naming the parameter" \
	"over the limit of 4194304 \\(module parameter max_total_mem\\)"
echo "$total_mem" >$P/max_total_mem
bt -e 'probe begin { println("memory back"); exit() }'
expect_out "with the ceilings restored, programs load again" "memory back"
