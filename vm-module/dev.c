// SPDX-License-Identifier: GPL-2.0
/*
 * dev.c - the bytetap module: /dev/bytetap, its file operations and the
 * ioctl dispatcher (the ABI is bytecode/bt_ioctl.h, doc/ioctl-abi.md).
 *
 * Only CAP_SYS_ADMIN may open the device (the node is world-openable so
 * that everyone else gets EPERM from here rather than EACCES from the
 * VFS).  Each open file is a session; release() tears it down whatever
 * state it is in, so a front end killed with SIGKILL leaves nothing
 * behind.  The file holds a module reference (fops.owner), so the
 * module unloads once no session is open.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>

#include "bytetap.h"

/*
 * Ceilings.  A program's own limits (MAXACTION, ...) travel in its blob,
 * so they may only lower these, never raise them; memory is decided here
 * from what LOAD and ATTACH allocate, never from what the program says.
 * 0 for a memory ceiling means "the default for this machine's RAM",
 * computed at load (btk_init()).
 */
unsigned long btk_max_session_mem;
module_param_named(max_session_mem, btk_max_session_mem, ulong, 0644);
MODULE_PARM_DESC(max_session_mem, "most bytes one session may allocate (default: RAM/8, at most 256 MiB)");

unsigned long btk_max_total_mem;
module_param_named(max_total_mem, btk_max_total_mem, ulong, 0644);
MODULE_PARM_DESC(max_total_mem, "most bytes all sessions together may allocate (default: RAM/4)");

unsigned int btk_max_action = 10000000;
module_param_named(max_action, btk_max_action, uint, 0644);
MODULE_PARM_DESC(max_action, "largest action budget (MAXACTION) a program may ask for (default 10000000)");

unsigned int btk_max_hit_us = 500000;
module_param_named(max_hit_us, btk_max_hit_us, uint, 0644);
MODULE_PARM_DESC(max_hit_us, "longest a probe handler may run, microseconds; begin/end probes 10x (default 500000)");

atomic64_t btk_mem_in_use = ATOMIC64_INIT(0);

unsigned int btk_max_blob = 16u << 20;
module_param_named(max_blob, btk_max_blob, uint, 0644);
MODULE_PARM_DESC(max_blob, "largest program accepted, bytes (default 16 MiB)");

unsigned int btk_max_attach = 4096;
module_param_named(max_attach, btk_max_attach, uint, 0444);
MODULE_PARM_DESC(max_attach, "most kprobes per session (default 4096)");

unsigned int btk_ring_size_default = 1u << 20;
module_param_named(ring_size, btk_ring_size_default, uint, 0644);
MODULE_PARM_DESC(ring_size, "default per-CPU output ring, bytes (default 1 MiB)");

unsigned int btk_ring_size_max = 64u << 20;

static int btk_open(struct inode *inode, struct file *file)
{
	struct btk_sess *s;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	s = btk_sess_new();
	if (!s)
		return -ENOMEM;
	file->private_data = s;
	return nonseekable_open(inode, file);
}

static int btk_release(struct inode *inode, struct file *file)
{
	struct btk_sess *s = file->private_data;

	btk_sess_free(s);
	return 0;
}

static ssize_t btk_read(struct file *file, char __user *buf, size_t len,
			loff_t *ppos)
{
	struct btk_sess *s = file->private_data;
	ssize_t n;

	if (!len)
		return 0;
	for (;;) {
		int state = smp_load_acquire(&s->state);

		if (state == BT_STATE_OPEN)
			return -EINVAL;
		if (mutex_lock_interruptible(&s->read_lock))
			return -ERESTARTSYS;
		n = btk_rings_read(s, buf, len);
		mutex_unlock(&s->read_lock);
		if (n)
			return n;
		if (state == BT_STATE_STOPPED)
			return 0;
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(s->wq, btk_rings_nonempty(s) ||
					     smp_load_acquire(&s->state) == BT_STATE_STOPPED))
			return -ERESTARTSYS;
	}
}

static __poll_t btk_poll(struct file *file, poll_table *wait)
{
	struct btk_sess *s = file->private_data;
	__poll_t mask = 0;
	int state;

	poll_wait(file, &s->wq, wait);
	state = smp_load_acquire(&s->state);
	if (state == BT_STATE_OPEN)
		return 0;
	if (btk_rings_nonempty(s))
		mask |= EPOLLIN | EPOLLRDNORM;
	else if (state == BT_STATE_STOPPED)
		mask |= EPOLLHUP;
	if (state == BT_STATE_RUNNING && READ_ONCE(s->exit_requested))
		mask |= EPOLLPRI;
	return mask;
}

/*
 * Size-extensible argument structs: the first __u32 is the caller's
 * sizeof; copy_struct_from_user() zero-extends an older, shorter struct
 * and refuses a newer, longer one unless its extra bytes are zero.
 */
static int arg_in(void *k, size_t ksize, void __user *u, u32 *usize)
{
	u32 n;
	int rc;

	if (get_user(n, (u32 __user *)u))
		return -EFAULT;
	if (n < 8 || n > PAGE_SIZE)
		return n < 8 ? -EINVAL : -E2BIG;
	rc = copy_struct_from_user(k, ksize, u, n);
	if (rc)
		return rc;
	*usize = n;
	return 0;
}

static int arg_out(void __user *u, const void *k, size_t ksize, u32 usize)
{
	return copy_to_user(u, k, min_t(size_t, ksize, usize)) ? -EFAULT : 0;
}

static int ioc_info(void __user *u)
{
	struct bt_ioc_info info;
	u32 usize;
	int rc = arg_in(&info, sizeof(info), u, &usize);

	if (rc)
		return rc;
	if (info.flags)
		return -EINVAL;
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	info.abi_major = BT_IOC_ABI_MAJOR;
	info.abi_minor = BT_IOC_ABI_MINOR;
	info.prog_abi_major = BT_ABI_MAJOR;
	info.prog_abi_minor = BT_ABI_MINOR;
	info.ncpus = nr_cpu_ids;
	info.max_attach = btk_max_attach;
	info.max_blob = btk_max_blob;
	info.max_session_mem = READ_ONCE(btk_max_session_mem);
	info.max_total_mem = READ_ONCE(btk_max_total_mem);
	info.mem_in_use = atomic64_read(&btk_mem_in_use);
	info.max_action = READ_ONCE(btk_max_action);
	info.max_hit_us = READ_ONCE(btk_max_hit_us);
	info.ring_size_default = btk_ring_size_default;
	info.ring_size_max = btk_ring_size_max;
	info.min_timer_ns = BTK_MIN_TIMER_NS;
	info.features = BT_FEAT_KPROBE | BT_FEAT_KRETPROBE | BT_FEAT_TIMER |
			BT_FEAT_PROFILE | BT_FEAT_MAP_READ | BT_FEAT_TRACEPOINT;
	strscpy(info.version, BTK_VERSION, sizeof(info.version));
	return arg_out(u, &info, sizeof(info), usize);
}

static long btk_ioctl(struct file *file, unsigned int cmd, unsigned long uarg)
{
	struct btk_sess *s = file->private_data;
	void __user *u = (void __user *)uarg;
	union {
		struct bt_ioc_load load;
		struct bt_ioc_attach attach;
		struct bt_ioc_start start;
		struct bt_ioc_stop stop;
		struct bt_ioc_status status;
		struct bt_ioc_map_read map_read;
	} a;
	size_t ksize;
	u32 usize;
	long rc;

	if (_IOC_TYPE(cmd) != BT_IOC_MAGIC)
		return -ENOTTY;
	switch (_IOC_NR(cmd)) {
	case _IOC_NR(BT_IOC_GET_INFO):
		return ioc_info(u);
	case _IOC_NR(BT_IOC_LOAD):
		ksize = sizeof(a.load);
		break;
	case _IOC_NR(BT_IOC_ATTACH):
		ksize = sizeof(a.attach);
		break;
	case _IOC_NR(BT_IOC_START):
		ksize = sizeof(a.start);
		break;
	case _IOC_NR(BT_IOC_STOP):
		ksize = sizeof(a.stop);
		break;
	case _IOC_NR(BT_IOC_STATUS):
		ksize = sizeof(a.status);
		break;
	case _IOC_NR(BT_IOC_MAP_READ):
		ksize = sizeof(a.map_read);
		break;
	default:
		return -ENOTTY;
	}
	rc = arg_in(&a, ksize, u, &usize);
	if (rc)
		return rc;
	if (mutex_lock_interruptible(&s->lock))
		return -ERESTARTSYS;
	switch (_IOC_NR(cmd)) {
	case _IOC_NR(BT_IOC_LOAD):
		rc = btk_ioc_load(s, &a.load);
		break;
	case _IOC_NR(BT_IOC_ATTACH):
		rc = btk_ioc_attach(s, &a.attach);
		break;
	case _IOC_NR(BT_IOC_START):
		rc = btk_ioc_start(s, &a.start);
		break;
	case _IOC_NR(BT_IOC_STOP):
		rc = btk_ioc_stop(s, a.stop.flags);
		break;
	case _IOC_NR(BT_IOC_STATUS):
		if (a.status.flags) {
			rc = -EINVAL;
			break;
		}
		memset(&a.status, 0, sizeof(a.status));
		a.status.size = usize;
		btk_ioc_status(s, &a.status);
		rc = 0;
		break;
	case _IOC_NR(BT_IOC_MAP_READ):
		rc = btk_ioc_map_read(s, &a.map_read);
		break;
	}
	mutex_unlock(&s->lock);
	if (!rc || rc == -ENOSPC || (rc == -EINVAL && _IOC_NR(cmd) == _IOC_NR(BT_IOC_ATTACH))) {
		long r = arg_out(u, &a, ksize, usize);

		if (r)
			rc = r;
	}
	return rc;
}

static const struct file_operations btk_fops = {
	.owner = THIS_MODULE,
	.open = btk_open,
	.release = btk_release,
	.read = btk_read,
	.poll = btk_poll,
	.unlocked_ioctl = btk_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice btk_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = BT_DEV_NAME,
	.fops = &btk_fops,
	.mode = 0666,
};

static int __init btk_init(void)
{
	unsigned long ram = totalram_pages() << PAGE_SHIFT;
	int rc;

	if (!btk_max_total_mem)
		btk_max_total_mem = ram / 4;
	if (!btk_max_session_mem)
		btk_max_session_mem = min(ram / 8, 256ul << 20);
	rc = misc_register(&btk_misc);

	if (rc)
		pr_err("bytetap: cannot register /dev/%s: %d\n", BT_DEV_NAME, rc);
	else
		pr_info("bytetap %s: /dev/%s ready (ioctl ABI %d.%d)\n", BTK_VERSION,
			BT_DEV_NAME, BT_IOC_ABI_MAJOR, BT_IOC_ABI_MINOR);
	return rc;
}

static void __exit btk_exit(void)
{
	misc_deregister(&btk_misc);
}

module_init(btk_init);
module_exit(btk_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("bytetap: runs verified bytecode tracing programs on kprobes and timers");
MODULE_VERSION(BTK_VERSION);
