// SPDX-License-Identifier: GPL-2.0
/*
 * kprobe_bare: one kprobe with an empty pre_handler, to measure what the
 * kprobe mechanism alone costs per hit (the floor under any tracer's cost).
 *
 *   insmod kprobe_bare.ko [symbol=__x64_sys_getpid] [offset=0]
 *
 * At offset 0 of an ftrace-able function the kernel places the probe on the
 * ftrace call (shown as [FTRACE] in /sys/kernel/debug/kprobes/list); a
 * non-zero offset (on an instruction boundary) gives a breakpoint or, when
 * possible, an optimized jump kprobe ([OPTIMIZED]).
 */
#include <linux/kprobes.h>
#include <linux/module.h>

static char *symbol = "__x64_sys_getpid";
module_param(symbol, charp, 0444);
MODULE_PARM_DESC(symbol, "kernel symbol to probe");
static uint offset;
module_param(offset, uint, 0444);
MODULE_PARM_DESC(offset, "byte offset into symbol (an instruction boundary)");

static int bare_pre(struct kprobe *p, struct pt_regs *regs)
{
	return 0;
}

static struct kprobe kp = {
	.pre_handler = bare_pre,
};

static int __init kprobe_bare_init(void)
{
	int ret;

	kp.symbol_name = symbol;
	kp.offset = offset;
	ret = register_kprobe(&kp);
	if (ret < 0) {
		pr_err("kprobe_bare: register_kprobe(%s+%u) failed: %d\n",
		       symbol, offset, ret);
		return ret;
	}
	pr_info("kprobe_bare: probe on %s+%u at %px\n", symbol, offset, kp.addr);
	return 0;
}

static void __exit kprobe_bare_exit(void)
{
	unregister_kprobe(&kp);
	pr_info("kprobe_bare: removed\n");
}

module_init(kprobe_bare_init);
module_exit(kprobe_bare_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kprobe with an empty handler, for benchmarks");
