# selftests/vm/tests/area-context.sh - syscall_name(), caller(), symname(),
# symdata(), backtraces and task_current() in the kernel runtime.  Sourced
# by guest.sh (its helpers ok/fail/bt/expect_out/expect_err/show).
#
# __x64_sys_getpid is called by the system call dispatcher: do_syscall_64,
# or x64_sys_call on kernels with the 2024 dispatch switch.  On 6.1 it is
# an alias of __do_sys_getpid, the name the kernel's kallsyms (and so
# bytetap) gives the address.
ctx_disp='(do_syscall_64|x64_sys_call)'
ctx_getpid='(__x64_sys_getpid|__do_sys_getpid)'

# ctx_expect_re NAME ERE: every line of $T/out matches ERE, and there is one
ctx_expect_re() {
	if [ -s $T/out ] && ! grep -qvE "$2" $T/out; then
		ok "$1"
	else
		fail "$1"
		echo "    want lines: /$2/"
		echo "    stdout:"; show $T/out
		echo "    stderr:"; show $T/err
	fi
}

bt -e 'probe kernel.function("__x64_sys_getpid") {
	if (execname() == "getpid_loop") {
		println(syscall_name(39))
		println(syscall_name(kernel_long(pointer_arg(1) + 120)))
		exit()
	}
}' -c 'exec getpid_loop 1'
expect_out "syscall_name(39) and of regs->orig_ax in the kernel" "getpid
getpid"

bt -e 'probe kernel.function("__x64_sys_getpid") {
	if (execname() == "getpid_loop") {
		a = caller_addr()
		println(symname(a))
		println(symdata(a))
		println(caller())
		printf("%d\n", caller() == sprintf("%s 0x%x", symname(a), a))
		exit()
	}
}' -c 'exec getpid_loop 1'
ctx_expect_re "caller_addr() in a kprobe is in the dispatcher; symname, symdata, caller" \
	"^$ctx_disp\$|^$ctx_disp\\+0x[0-9a-f]+/0x[0-9a-f]+ \\[kernel\\]\$|^$ctx_disp 0x[0-9a-f]{16}\$|^1\$"

# print_backtrace(): named in user space from /proc/kallsyms; the first
# line is the probe's own address, the second the caller, whose line the
# kernel's symdata() must match exactly.
bt -e 'probe kernel.function("__x64_sys_getpid") {
	if (execname() == "getpid_loop") {
		a = caller_addr()
		printf(" 0x%x : %s\n", a, symdata(a))
		print_backtrace()
		exit()
	}
}' -c 'exec getpid_loop 1'
# frame 0 is where the kprobe sits: +0x0, or +0x4 past an IBT endbr64 (6.12)
if sed -n 2p $T/out | grep -qE "^ 0xffffffff[0-9a-f]{8} : $ctx_getpid\\+0x[04]/0x[0-9a-f]+ \\[kernel\\]\$" &&
   [ "$(sed -n 1p $T/out)" = "$(sed -n 3p $T/out)" ] &&
   grep -qE '^ 0x[0-9a-f]+ : do_syscall_64\+0x[0-9a-f]+/0x[0-9a-f]+ \[kernel\]$' $T/out &&
   grep -qE '^ 0x[0-9a-f]+ : entry_SYSCALL_64' $T/out && [ "$(grep -c . $T/out)" -le 21 ]; then
	ok "print_backtrace() in stap's layout: probed function, dispatcher, entry; user space names as symdata()"
else
	fail "print_backtrace() in a kprobe"; show $T/out 22; show $T/err
fi

bt -e 'probe kernel.function("__x64_sys_getpid") {
	if (execname() == "getpid_loop") {
		b = backtrace(); f = tokenize(b, " ")
		s = sprint_backtrace()
		printf("%d;%s;%s;%d\n", b =~ "^(0x[0-9a-f]+ )+$", symname(strtol(f, 16)),
		       tokenize(s, "\n"), isinstr(s, "\ndo_syscall_64+0x"))
		exit()
	}
}' -c 'exec getpid_loop 1'
ctx_expect_re "backtrace() is hex words; sprint_backtrace() is sym+0xoff [kernel] lines" \
	"^1;$ctx_getpid;$ctx_getpid\\+0x[04] \\[kernel\\];1\$"

bt -e 'probe kernel.function("__x64_sys_getpid").return {
	if (execname() == "getpid_loop") { print_backtrace(); printf("%s\n", symname(caller_addr())); exit() }
}' -c 'exec getpid_loop 1'
if sed -n 1p $T/out | grep -qE "^Returning from:  0x[0-9a-f]+ : $ctx_getpid\\+0x[04]/0x[0-9a-f]+ \\[kernel\\]\$" &&
   sed -n 2p $T/out | grep -qE "^Returning to  :  0x[0-9a-f]+ : $ctx_disp\\+0x[0-9a-f]+/0x[0-9a-f]+ \\[kernel\\]\$"; then
	ok "print_backtrace() in a kretprobe: Returning from / Returning to the real caller"
	# caller_addr() is stack(1) there: the caller's own return address
	if [ "$(sed -n 3p $T/out | sed 's/.* : //; s/+.*//')" = "$(tail -n 1 $T/out)" ] &&
	   [ -n "$(tail -n 1 $T/out)" ]; then
		ok "caller_addr() in a kretprobe is frame 1: $(tail -n 1 $T/out)"
	else
		fail "caller_addr() in a kretprobe is frame 1"; show $T/out 22
	fi
else
	fail "print_backtrace() in a kretprobe"; show $T/out 22; show $T/err
fi

bt -e 'probe kernel.function("__x64_sys_getpid") {
	if (execname() == "getpid_loop") {
		t = task_current()
		printf("%d %d %d\n", t != 0, t == task_current(), t < 0)
		exit()
	}
}
probe end { printf("%d\n", task_current() != 0) }' -c 'exec getpid_loop 1'
expect_out "task_current() is a kernel address, the same twice in a probe; also in end" "1 1 1
1"

bt -e 'probe begin { printf("[%s] %d [%s] [%s]\n", backtrace(), caller_addr(), caller(), sprint_backtrace()); print_backtrace(); exit() }'
expect_out "begin has no kernel stack: empty backtraces, caller_addr() 0" "[] 0 [0x0 0x0] []"

bt -e 'probe timer.ms(10) { s = sprint_backtrace(); printf("%d %d\n", isinstr(s, "hrtimer"), isinstr(s, "bytetap")); exit() }'
expect_out "a timer's backtrace starts at the hrtimer code, outside the module" "1 0"

bt -e 'probe kernel.trace("sys_enter") {
	if (execname() == "getpid_loop") {
		s = sprint_backtrace()
		printf("%d %d\n", isinstr(s, "do_syscall_64+0x"), isinstr(s, "[bytetap]"))
		exit()
	}
}' -c 'exec getpid_loop 1'
expect_out "a tracepoint probe's backtrace: the kernel's frames, none of the module's" "1 0"
