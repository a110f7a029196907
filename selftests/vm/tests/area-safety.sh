# selftests/vm/tests/area-safety.sh - issue 8, "No program can hurt the
# kernel": one program per class of failure an attack through
# /dev/bytetap found (selftests/vm/hostile_classes.c builds them by hand).
# Before the fix each of these crashed, hung or starved the guest; after
# it each runs in seconds.  Sourced by guest.sh (ok, fail, $T).
#
#  try-depth   a path into a try block that skips its TRY wraps the VM's
#              try depth (oops in interp() from START): LOAD refuses it
#  long-texts  long names in LOAD and ATTACH messages (LOAD spun forever
#              in bt_vsnprintf): EINVAL at once, the message truncated
#  maxaction, sort, regex, collide
#              a timer probe with hours of work in one hit (MAXACTION
#              2^31 from the blob, sorted foreach over 1M entries, a big
#              regex, colliding map keys): the hit is cut short, the
#              session ends with an ERROR record, both CPUs stay usable
#  locks       timer.profile on both CPUs on one map without a declared
#              lock (bt_map_sort faulted in a timer interrupt): LOAD
#              refuses a lock set that misses what the code touches
#  memory      five sessions of ~210 MB each at once (the OOM killer
#              panicked the 1 GiB guest): later ones get ENOMEM
#
# Each prints its own ok/FAIL lines (hostile_class in guest.sh).
for c in try-depth long-texts maxaction sort regex collide locks memory; do
	hostile_class $c
done
[ "$(grep -c . /sys/kernel/debug/kprobes/list 2>/dev/null)" = 0 ] ||
	fail "kprobes left after the issue-8 class tests"
