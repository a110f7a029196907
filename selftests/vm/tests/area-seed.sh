# selftests/vm/tests/area-seed.sh - the seed article's scripts
# (selftests/vm/seed/*.stp: as printed, braces restored), run as a user
# would, with traffic for them to see.  Sourced by guest.sh.
S=selftests/vm/seed

# Listing 4: system calls per process, for 10 seconds.  getpid_loop makes
# 500 of them while it runs; any line may come first.
( sleep 3; getpid_loop 500 ) &
bt $S/profile.stp
wait
head -1 $T/out | grep -qx 'System Call Monitoring Started (10 seconds)...' &&
	n=$(sed -n 's/^getpid_loop\[[0-9]*\] = \([0-9]*\)$/\1/p' $T/out) && [ "${n:-0}" -ge 500 ] &&
	ok "seed profile.stp: system calls per process (getpid_loop[PID] = $n)" ||
	{ fail "seed profile.stp"; show $T/out 20; show $T/err; }

# Listing 6: system calls of one process by name: syslogd, fed by logger
syslogd -n -O /tmp/messages &
slpid=$!
sleep 1
( sleep 3; for i in 1 2 3 4 5; do logger "bytetap seed test $i"; done ) &
bt $S/syslog_profile.stp
wait $!
kill $slpid 2>/dev/null; wait $slpid 2>/dev/null
head -1 $T/out | grep -qx 'Syslog Monitoring Started (10 seconds)...' &&
	grep -qE '^(read|recvfrom|recvmsg) = [0-9]+$' $T/out &&
	grep -qE '^(write|writev) = [0-9]+$' $T/out &&
	! grep -vqE '^(Syslog Monitoring Started \(10 seconds\)\.\.\.|[a-z0-9_]+ = [0-9]+)$' $T/out &&
	ok "seed syslog_profile.stp: syslogd's system calls by name ($(sed 1d $T/out | tr '\n' ' '))" ||
	{ fail "seed syslog_profile.stp"; show $T/out 20; show $T/err; }

# Listing 8: packets per device and process until Ctrl-C; ping on lo
ip link set lo up
timeout -s INT 8 bytetap $S/net.stp >$T/out 2>$T/err </dev/null &
btpid=$!
sleep 3
ping -c 3 127.0.0.1 >/dev/null
wait $btpid
grep -qx 'Iface Process........ PID.. RcvPktCnt XmtPktCnt' $T/out &&
	grep -qE '^   lo ping +[0-9]+ +[0-9]+ +[0-9]+$' $T/out &&
	[ "$(awk '$1 == "lo" && $2 == "ping" { print ($4 >= 3 && $5 >= 3) }' $T/out)" = 1 ] &&
	ok "seed net.stp: packets per device and process ($(grep ' lo ping' $T/out | tr -s ' '))" ||
	{ fail "seed net.stp"; show $T/out 20; show $T/err; }

# Listing 10: @hist_log of packet lengths
timeout -s INT 8 bytetap $S/nethist.stp >$T/out 2>$T/err </dev/null &
btpid=$!
sleep 3
ping -c 4 -s 300 127.0.0.1 >/dev/null
wait $btpid
grep -qx 'value |-------------------------------------------------- count' $T/out &&
	grep -qE '^ +256 \|@+ +[0-9]+$' $T/out &&
	ok "seed nethist.stp: @hist_log of packet lengths" ||
	{ fail "seed nethist.stp"; show $T/out 20; show $T/err; }

# Listing 3: kernel.function("sys_sync") on a kernel that names it __x64_sys_sync
bt -c sync $S/sys_sync.stp
expect_out "seed sys_sync.stp: kernel.function(\"sys_sync\") finds __x64_sys_sync" \
	"sys_sync called 1 times, currently by pid 0"
