# selftests/vm/tests/area-safety.sh - issue 8, "No program can hurt the
# kernel": one program per class of failure an attack through
# /dev/bytetap found (selftests/vm/hostile_classes.c builds them by hand).
# Before the fix each of these crashed, hung or starved the guest; after
# it each is refused at LOAD or cut short within max_hit_us.  Sourced by
# guest.sh (ok, fail, hostile_class).
#
#  try-depth   a path into a try block that skips its TRY wraps the VM's
#              try depth (oops in interp() from START): LOAD refuses it,
#              naming the pc; correct try blocks run
#  long-texts  long names in LOAD and ATTACH messages (LOAD spun forever
#              in bt_vsnprintf): EINVAL at once, the message truncated
#  maxaction   MAXACTION over the module parameter max_action: refused at
#              LOAD; at the ceiling, hours of work in one kprobe hit: the
#              max_hit_us error ends the session
#  strings, sort, regex, collide
#              minutes of work in one hit within MAXACTION (nested loops
#              of 4 KiB string work, a sorted foreach over 1M entries, a
#              big regex, colliding map keys) in a kprobe or a timer, and
#              in begin/end probes inside START/STOP: an ERROR record
#              ends the session in bounded time, and a heartbeat pinned to
#              each CPU sees no multi-second stall
#  locks       timer.profile on both CPUs on one map without a declared
#              lock (bt_map_sort faulted in a timer interrupt): LOAD
#              refuses a lock set that misses what the code touches; the
#              correctly locked race runs for seconds
#  memory      five sessions of ~210 MB each at once (the OOM killer
#              panicked the 1 GiB guest): ENOMEM naming max_session_mem;
#              sessions under it, more than max_total_mem holds: ENOMEM
#              naming max_total_mem; GET_INFO reports both and mem_in_use
#
# Each prints its own ok/FAIL lines (hostile_class in guest.sh).
for c in try-depth long-texts maxaction strings sort regex collide locks memory; do
	hostile_class $c
done
[ "$(grep -c . /sys/kernel/debug/kprobes/list 2>/dev/null)" = 0 ] ||
	fail "kprobes left after the issue-8 class tests"
