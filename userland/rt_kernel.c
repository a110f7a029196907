/*
 * rt_kernel.c - the kernel runtime: drive the bytetap module.
 *
 *	open /dev/bytetap (insmod the module first if needed)
 *	GET_INFO	check the ABI
 *	kallsyms	addresses for kprobe / kretprobe probe points
 *	-c CMD		fork it, held on a pipe, so target() is its pid
 *	LOAD		the program, verified in the kernel
 *	ATTACH		the kprobes, registered disabled
 *	START		begin probes, then every probe armed at once; CMD runs
 *	poll / read	records -> userland/output.c, until exit(), an error,
 *			the overload guard, Ctrl-C / SIGTERM, -T, or CMD's end
 *	STOP		everything disarmed, then the end (or error) probes
 *	read to EOF	what they printed; STATUS for the closing warnings
 *
 * Formatting happens here, never in the kernel.  If this process dies
 * (even by SIGKILL) the kernel closes the file and the module tears the
 * session down by itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "kallsyms.h"
#include "output.h"
#include "rt_kernel.h"
#include "rt_common.h"
#include "util.h"
#include "bt_ioctl.h"
#include "bt_vm.h"

#define DEV_PATH	"/dev/" BT_DEV_NAME
#define READ_BUF	(256u << 10)

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* --- finding and loading the module ----------------------------------------- */

/*
 * The kernel release a .ko was built for: the first word of its
 * "vermagic=" string.  0, or -1 if there is none.
 */
static int ko_release(int fd, char *out, size_t cap)
{
	static const char key[] = "vermagic=";
	struct stat st;
	char *buf, *p, *end;
	int rc = -1;

	if (fstat(fd, &st) != 0 || st.st_size <= 0 || st.st_size > (64 << 20))
		return -1;
	buf = malloc(st.st_size + 1);
	if (!buf)
		return -1;
	if (pread(fd, buf, st.st_size, 0) == st.st_size) {
		buf[st.st_size] = 0;
		end = buf + st.st_size;
		for (p = buf; p + sizeof(key) < end; p++) {
			if (*p == 'v' && !memcmp(p, key, sizeof(key) - 1)) {
				size_t n = strcspn(p + sizeof(key) - 1, " \0");

				if (n < cap) {
					memcpy(out, p + sizeof(key) - 1, n);
					out[n] = 0;
					rc = 0;
				}
				break;
			}
		}
	}
	free(buf);
	return rc;
}

static int try_insmod(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;
	char rel[128];
	struct utsname u;

	if (fd < 0)
		return 1;	/* not there: try the next place */
	/* don't even ask a kernel to load a module built for another one */
	if (uname(&u) == 0 && ko_release(fd, rel, sizeof(rel)) == 0 &&
	    strcmp(rel, u.release) != 0) {
		snprintf(err, errlen, "%s was built for kernel %s, this is %s (make KDIR=...)",
			 path, rel, u.release);
		close(fd);
		return -1;
	}
	rc = syscall(SYS_finit_module, fd, "", 0);
	if (rc != 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot load %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* The module in the build tree, below its top (the Makefile's MODULE_KO). */
#ifndef BT_MODULE_KO
#define BT_MODULE_KO "build/module/bytetap.ko"
#endif

static int load_module(char *err, size_t errlen)
{
	char exe[PATH_MAX], path[PATH_MAX + 64];
	const char *env = getenv("BYTETAP_MODULE");
	struct utsname u;
	ssize_t n;
	int rc;

	if (env && *env)
		return try_insmod(env, err, errlen) > 0 ?
		       (snprintf(err, errlen, "cannot open %s", env), -1) :
		       try_insmod(env, err, errlen);
	/* the build tree: bin/bytetap -> ../build/module/bytetap.ko */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;

		exe[n] = 0;
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = 0;
			snprintf(path, sizeof(path), "%s/../%s", exe, BT_MODULE_KO);
			rc = try_insmod(path, err, errlen);
			if (rc <= 0)
				return rc;
		}
	}
	if (uname(&u) == 0) {
		static const char *const sub[] = { "extra", "updates", "kernel/extra" };
		size_t i;

		for (i = 0; i < sizeof(sub) / sizeof(sub[0]); i++) {
			snprintf(path, sizeof(path), "/lib/modules/%s/%s/bytetap.ko",
				 u.release, sub[i]);
			rc = try_insmod(path, err, errlen);
			if (rc <= 0)
				return rc;
		}
	}
	if (system("modprobe -q bytetap 2>/dev/null") == 0)
		return 0;
	snprintf(err, errlen, "the bytetap module is not loaded and bytetap.ko was not found "
		 "(build it with make, or set BYTETAP_MODULE)");
	return -1;
}

/* devtmpfs makes the node; without it, make it from sysfs. */
static void make_node(void)
{
	FILE *f = fopen("/sys/class/misc/" BT_DEV_NAME "/dev", "r");
	unsigned maj, min;

	if (!f)
		return;
	if (fscanf(f, "%u:%u", &maj, &min) == 2)
		mknod(DEV_PATH, S_IFCHR | 0666, makedev(maj, min));
	fclose(f);
}

int rt_kernel_open(char *err, size_t errlen)
{
	int fd, i;

	fd = open(DEV_PATH, O_RDWR | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	if (errno == EPERM || errno == EACCES) {
		snprintf(err, errlen, "cannot open %s: %s (the kernel runtime needs CAP_SYS_ADMIN)",
			 DEV_PATH, strerror(errno));
		return -1;
	}
	if (access("/sys/module/bytetap", F_OK) != 0 && load_module(err, errlen) != 0)
		return -1;
	for (i = 0; i < 300; i++) {
		fd = open(DEV_PATH, O_RDWR | O_CLOEXEC);
		if (fd >= 0)
			return fd;
		if (errno != ENOENT)
			break;
		if (i == 50)
			make_node();
		usleep(10000);
	}
	snprintf(err, errlen, "cannot open %s: %s", DEV_PATH, strerror(errno));
	return -1;
}

/* --- the session -------------------------------------------------------------- */

struct rk {
	const struct bt_prog *prog;
	const struct options *o;
	int fd;
	struct output *out;
	uint8_t *buf;
	pid_t child;
	int go_pipe;		/* write end: closing it lets CMD run */
	int nerr_records;
};

/* Format what the rings hold; after STOP, everything up to EOF. */
static void drain(struct rk *k)
{
	for (;;) {
		ssize_t n = read(k->fd, k->buf, READ_BUF);

		if (n > 0) {
			k->nerr_records += output_records(k->out, k->buf, (size_t)n);
			fflush(stdout);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		return;		/* 0: EOF; EAGAIN: nothing more now */
	}
}

/*
 * START and STOP run the begin and end probes inside the ioctl; their
 * output goes to the rings while the ioctl runs.  So issue the ioctl from
 * a second thread and keep reading here, or a large end-of-run report
 * would overflow a ring.
 */
struct ioc_job {
	int fd;
	unsigned long cmd;
	void *arg;
	int rc;
	int err;
	int done;
};

static void *ioc_thread(void *p)
{
	struct ioc_job *j = p;

	j->rc = ioctl(j->fd, j->cmd, j->arg);
	j->err = errno;
	__atomic_store_n(&j->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static int ioctl_draining(struct rk *k, unsigned long cmd, void *arg)
{
	struct ioc_job j = { .fd = k->fd, .cmd = cmd, .arg = arg };
	pthread_t t;

	if (pthread_create(&t, NULL, ioc_thread, &j) != 0)
		return ioctl(k->fd, cmd, arg);
	while (!__atomic_load_n(&j.done, __ATOMIC_ACQUIRE)) {
		struct pollfd pfd = { .fd = k->fd, .events = POLLIN };

		if (poll(&pfd, 1, 10) > 0 && (pfd.revents & POLLIN))
			drain(k);
	}
	pthread_join(t, NULL);
	errno = j.err;
	return j.rc;
}


/*
 * kernel.function("sys_sync"): since 4.17 x86_64 has no sys_NAME symbols,
 * only the __x64_sys_NAME wrappers (SYSCALL_DEFINE), so a plain sys_NAME
 * that matched nothing is looked up again under that name, as scripts
 * written for older kernels (and the SystemTap article) expect.
 */
static int syscall_wrapper_retry(struct ksym_req *reqs, size_t nreq,
				 struct ksym_match **m, size_t *nm,
				 size_t max_attach)
{
	struct ksym_match *more = NULL;
	struct ksym_req *again;
	size_t i, n = 0, nmore = 0;
	char err[256];
	int rc = 0;

	again = xcalloc(nreq + 1, sizeof(*again));
	for (i = 0; i < nreq; i++) {
		if (reqs[i].nfound || strncmp(reqs[i].pattern, "sys_", 4) ||
		    ksym_is_glob(reqs[i].pattern))
			continue;
		again[n] = reqs[i];
		again[n].pattern = xasprintf("__x64_%s", reqs[i].pattern);
		again[n].probe = (uint32_t)i;	/* back to this request */
		n++;
	}
	if (n && ksym_resolve(again, n, &more, &nmore, max_attach, err, sizeof(err)) == 0) {
		for (i = 0; i < nmore; i++) {
			size_t r = again[more[i].req].probe;

			reqs[r].nfound++;
			more[i].req = (uint32_t)r;
		}
		*m = xrealloc(*m, (*nm + nmore + 1) * sizeof(**m));
		memcpy(*m + *nm, more, nmore * sizeof(*more));
		*nm += nmore;
	} else if (n) {
		fprintf(stderr, "ERROR: %s\n", err);
		rc = -1;
	}
	for (i = 0; i < n; i++)
		free((char *)again[i].pattern);
	free(again);
	free(more);
	return rc;
}

/* Fork CMD, held until START has run the begin probes. */
static int start_command(struct rk *k)
{
	pid_t pid = rt_fork_command(k->o->command, &k->go_pipe);

	if (pid < 0)
		return -1;
	k->child = pid;
	return 0;
}

static void end_command(struct rk *k, int go)
{
	rt_release_command(&k->go_pipe, go);
}

static int resolve_and_attach(struct rk *k, const struct bt_ioc_info *info)
{
	const struct bt_prog *prog = k->prog;
	struct ksym_req *reqs;
	struct ksym_match *m = NULL;
	struct bt_ioc_probe *ents;
	struct bt_ioc_attach at = { .size = sizeof(at) };
	size_t nreq = 0, nm = 0, i;
	char err[256], log[512] = "";
	int rc = 0;

	reqs = xcalloc(prog->nprobes + 1, sizeof(*reqs));
	for (i = 0; i < prog->nprobes; i++) {
		const struct bt_probe_decl *pd = &prog->probes[i];

		if (pd->kind != BT_PROBE_KPROBE && pd->kind != BT_PROBE_KRETPROBE)
			continue;
		reqs[nreq].pattern = bt_prog_str(prog, pd->symbol);
		reqs[nreq].offset = pd->offset;
		reqs[nreq].probe = (uint32_t)i;
		nreq++;
	}
	if (!nreq) {
		free(reqs);
		return 0;
	}
	if (ksym_resolve(reqs, nreq, &m, &nm, info->max_attach, err, sizeof(err)) != 0) {
		fprintf(stderr, "ERROR: %s\n", err);
		free(reqs);
		return -1;
	}
	if (syscall_wrapper_retry(reqs, nreq, &m, &nm, info->max_attach) != 0) {
		free(m);
		free(reqs);
		return -1;
	}
	for (i = 0; i < nreq; i++) {
		const struct bt_probe_decl *pd = &prog->probes[reqs[i].probe];
		/* module("m").function("f") asks for "m:f" */
		const char *colon = strchr(reqs[i].pattern, ':');

		if (reqs[i].nfound || (pd->flags & BT_PROBE_OPTIONAL))
			continue;
		if (colon && !reqs[i].module_seen)
			fprintf(stderr, "semantic error: while resolving probe point: no match for %s "
				"(module %.*s is not loaded)\n", bt_prog_str(prog, pd->point),
				(int)(colon - reqs[i].pattern), reqs[i].pattern);
		else if (colon)
			fprintf(stderr, "semantic error: while resolving probe point: no match for %s "
				"(no function %s in module %.*s)\n", bt_prog_str(prog, pd->point),
				colon + 1, (int)(colon - reqs[i].pattern), reqs[i].pattern);
		else
			fprintf(stderr, "semantic error: while resolving probe point: no match for %s "
				"(no function %s in /proc/kallsyms)\n",
				bt_prog_str(prog, pd->point), reqs[i].pattern);
		rc = -1;
	}
	if (rc || !nm) {
		free(m);
		free(reqs);
		return rc;
	}
	ents = xcalloc(nm, sizeof(*ents));
	for (i = 0; i < nm; i++) {
		const struct bt_probe_decl *pd = &prog->probes[reqs[m[i].req].probe];

		ents[i].probe = reqs[m[i].req].probe;
		/* as in SystemTap, a function a wildcard matched that kprobes
		 * refuses is skipped, not an error */
		ents[i].flags = (pd->flags & BT_PROBE_OPTIONAL) ||
				ksym_is_glob(reqs[m[i].req].pattern) ?
				BT_IOC_PROBE_OPTIONAL : 0;
		ents[i].addr = m[i].addr;
		snprintf(ents[i].symbol, sizeof(ents[i].symbol), "%s", m[i].name);
	}
	at.probes = (uint64_t)(uintptr_t)ents;
	at.nprobes = (uint32_t)nm;
	at.probe_size = sizeof(*ents);
	at.log_buf = (uint64_t)(uintptr_t)log;
	at.log_size = sizeof(log);
	if (ioctl(k->fd, BT_IOC_ATTACH, &at) != 0) {
		int e = errno;

		for (i = 0; i < nm; i++)
			if (ents[i].result && !(ents[i].flags & BT_IOC_PROBE_OPTIONAL))
				break;
		fprintf(stderr, "ERROR: cannot attach %s: %s\n",
			i < nm ? bt_prog_str(prog, prog->probes[ents[i].probe].point) : "probes",
			log[0] ? log : strerror(e));
		rc = -1;
	} else if (k->o->verbose) {
		fprintf(stderr, "bytetap: %u kprobes attached\n", at.nattached);
	}
	free(ents);
	free(m);
	free(reqs);
	return rc;
}

static int status(struct rk *k, struct bt_ioc_status *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	return ioctl(k->fd, BT_IOC_STATUS, st);
}

/* Wait for records or the end; returns when the session should stop. */
static void main_loop(struct rk *k)
{
	uint64_t end = k->o->timeout > 0 ?
		       mono_ns() + (uint64_t)(k->o->timeout * 1e9) : 0;
	sigset_t none;

	sigemptyset(&none);
	for (;;) {
		struct pollfd pfd = { .fd = k->fd, .events = POLLIN | POLLPRI };
		struct timespec wait, *wp = NULL;
		uint64_t now = mono_ns(), left = UINT64_MAX;
		int n;

		if (rt_signal)
			return;
		if (k->child > 0) {
			int ws;

			if (waitpid(k->child, &ws, WNOHANG) == k->child) {
				k->child = 0;
				return;
			}
			left = 50000000ull;	/* look at CMD every 50 ms */
		}
		if (end) {
			if (now >= end)
				return;
			if (end - now < left)
				left = end - now;
		}
		if (left != UINT64_MAX) {
			wait.tv_sec = left / 1000000000ull;
			wait.tv_nsec = left % 1000000000ull;
			wp = &wait;
		}
		n = ppoll(&pfd, 1, wp, &none);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (n == 0)
			continue;
		if (pfd.revents & POLLIN)
			drain(k);
		if (pfd.revents & (POLLPRI | POLLHUP | POLLERR | POLLNVAL))
			return;
	}
}

int rt_kernel_run(const struct bt_prog *prog, const void *blob, size_t size,
		  const struct options *o, int quiet_unavailable)
{
	struct rk k = { .prog = prog, .o = o, .fd = -1, .go_pipe = -1 };
	struct bt_ioc_info info = { .size = sizeof(info) };
	struct bt_ioc_load ld = { .size = sizeof(ld) };
	struct bt_ioc_start start = { .size = sizeof(start) };
	struct bt_ioc_stop stop = { .size = sizeof(stop) };
	struct bt_ioc_status st;
	struct bt_session fake;
	char err[512], log[512] = "", warn[160];
	int rc = 1;

	k.fd = rt_kernel_open(err, sizeof(err));
	if (k.fd < 0) {
		if (!quiet_unavailable)
			fprintf(stderr, "ERROR: %s\n", err);
		return RT_KERNEL_UNAVAILABLE;
	}
	/* reads never block: poll() says when there is something */
	fcntl(k.fd, F_SETFL, fcntl(k.fd, F_GETFL) | O_NONBLOCK);
	if (ioctl(k.fd, BT_IOC_GET_INFO, &info) != 0 || info.abi_major != BT_IOC_ABI_MAJOR ||
	    info.prog_abi_major != BT_ABI_MAJOR) {
		fprintf(stderr, "ERROR: the loaded bytetap module speaks ioctl ABI %u.%u / program ABI %u.%u; "
			"this bytetap needs %d.x / %d.x (rmmod bytetap and try again)\n",
			info.abi_major, info.abi_minor, info.prog_abi_major,
			info.prog_abi_minor, BT_IOC_ABI_MAJOR, BT_ABI_MAJOR);
		close(k.fd);
		return 1;
	}
	if (o->output_file && !freopen(o->output_file, "w", stdout)) {
		fprintf(stderr, "ERROR: cannot open %s: %s\n", o->output_file, strerror(errno));
		close(k.fd);
		return 1;
	}

	rt_catch_signals();

	if (o->command && start_command(&k) != 0) {
		fprintf(stderr, "ERROR: cannot run %s: %s\n", o->command, strerror(errno));
		goto out;
	}
	ld.blob = (uint64_t)(uintptr_t)blob;
	ld.blob_len = (uint32_t)size;
	ld.target_pid = k.child > 0 ? k.child : o->target;
	ld.log_buf = (uint64_t)(uintptr_t)log;
	ld.log_size = sizeof(log);
	if (ioctl(k.fd, BT_IOC_LOAD, &ld) != 0) {
		int e = errno;

		fprintf(stderr, "ERROR: the bytetap module refused the program: %s\n",
			log[0] ? log : strerror(e));
		goto out;
	}
	if (o->verbose)
		fprintf(stderr, "bytetap: module %s, session memory %llu bytes\n", info.version,
			(unsigned long long)ld.mem_used);
	if (resolve_and_attach(&k, &info) != 0)
		goto out;
	k.out = output_new(prog, stdout, stderr);
	k.buf = xmalloc(READ_BUF);
	if (ioctl_draining(&k, BT_IOC_START, &start) != 0) {
		fprintf(stderr, "ERROR: cannot start the session: %s\n", strerror(errno));
		goto out;
	}
	drain(&k);
	end_command(&k, 1);
	main_loop(&k);
	if (ioctl_draining(&k, BT_IOC_STOP, &stop) != 0)
		fprintf(stderr, "ERROR: cannot stop the session: %s\n", strerror(errno));
	drain(&k);
	fflush(stdout);
	if (status(&k, &st) == 0) {
		if (st.records_dropped)
			fprintf(stderr, "WARNING: There were %llu transport failures.\n",
				(unsigned long long)st.records_dropped);
		memset(&fake, 0, sizeof(fake));
		fake.error_count = (int64_t)st.errors;
		fake.skipped_count = (int64_t)st.skipped;
		fake.reentrant_count = (int64_t)st.skipped_reentrancy;
		if (bt_session_final_warning(&fake, warn, sizeof(warn)))
			fprintf(stderr, "%s\n", warn);
		if (o->verbose)
			fprintf(stderr, "bytetap: %llu hits, %llu reentrant, %llu lock skips, "
				"%llu kprobe misses, %llu cycles in handlers\n",
				(unsigned long long)st.hits,
				(unsigned long long)st.skipped_reentrancy,
				(unsigned long long)st.skipped_lock,
				(unsigned long long)st.kprobe_missed,
				(unsigned long long)st.probe_cycles);
		rc = st.errors ? 1 : 0;
	}
	if (rc)
		fputs("Pass 5: run failed.  [man error::pass5]\n", stderr);
out:
	end_command(&k, 0);
	if (k.child > 0) {
		kill(k.child, SIGTERM);
		waitpid(k.child, NULL, 0);
	}
	if (k.out)
		output_free(k.out);
	free(k.buf);
	close(k.fd);
	return rc;
}
