insmod vm-module/bytetap.ko
echo A; bytetap -e 'global n; probe kernel.function("__x64_sys_getpid") { if (execname() == "getpid_loop") n++ } probe end { printf("n>0 %d\n", n > 0) }' -T 2 -c 'getpid_loop 100000000'; echo rc=$?
echo B; bytetap -e 'global n; probe kernel.function("__x64_sys_getpid") { if (execname() == "getpid_loop") { n++; if (n == 10) exit() } } probe end { printf("n=%d\n", n) }' -c 'getpid_loop 100000000'; echo rc=$?
echo C; bytetap -e 'probe kernel.function("__x64_sys_getpid") { exit() }' -c 'getpid_loop 100000000'; echo rc=$?
