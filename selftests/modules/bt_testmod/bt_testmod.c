// SPDX-License-Identifier: GPL-2.0
/*
 * bt_testmod: functions of a module that run only on demand, for the
 * guest suite's module("bt_testmod").function("...") probes
 * (selftests/vm/tests/area-modules.sh).
 *
 *   echo N >/sys/kernel/debug/bt_testmod/run
 *
 * calls btt_work(i) for i = 0 .. N-1, then btt_aux(N) once (also named
 * bt_testmod_aux_alias).  Nothing else calls them, so they are quiet
 * while probes are armed (see the TCG note in selftests/vm/tests/guest.sh).
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kstrtox.h>
#include <linux/module.h>

static struct dentry *dir;
static long btt_sum;

/* noinline and used: each is a function of its own in kallsyms */
noinline long btt_work(long i)
{
	/* keep the call from being folded away */
	WRITE_ONCE(btt_sum, READ_ONCE(btt_sum) + i);
	return i * 2;
}

noinline long btt_aux(long n)
{
	WRITE_ONCE(btt_sum, READ_ONCE(btt_sum) - n);
	return n + 1;
}

/* a second name at btt_aux's address: the kernel module's alias check */
long bt_testmod_aux_alias(long n) __attribute__((alias("btt_aux")));

static ssize_t bt_testmod_write(struct file *f, const char __user *buf,
				size_t len, loff_t *ppos)
{
	long n, i;
	int rc;

	rc = kstrtol_from_user(buf, len, 10, &n);
	if (rc)
		return rc;
	if (n < 0 || n > 10000000)
		return -EINVAL;
	for (i = 0; i < n; i++)
		btt_work(i);
	btt_aux(n);
	return len;
}

static const struct file_operations bt_testmod_fops = {
	.owner = THIS_MODULE,
	.write = bt_testmod_write,
};

static int __init bt_testmod_init(void)
{
	dir = debugfs_create_dir("bt_testmod", NULL);
	debugfs_create_file("run", 0200, dir, NULL, &bt_testmod_fops);
	return 0;
}

static void __exit bt_testmod_exit(void)
{
	debugfs_remove_recursive(dir);
}

module_init(bt_testmod_init);
module_exit(bt_testmod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("bytetap selftest: module functions to probe on demand");
