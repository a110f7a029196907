// SPDX-License-Identifier: GPL-2.0
/*
 * attach.c - kprobes and kretprobes: ATTACH checks every address user
 * space resolved against the kernel's own symbol table and registers the
 * probes disabled; START enables them, teardown unregisters them in
 * batches.  Process context, under the session's mutex.
 */
#include <linux/ctype.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "bt_glob.h"
#include "bytetap.h"

static u64 attach_missed(const struct btk_attach *a)
{
	return a->ret ? a->rp.nmissed + a->rp.kp.nmissed : a->kp.nmissed;
}

/* Unregister every kprobe, in batches so RCU is synchronized once each. */
void btk_unregister_kprobes(struct btk_sess *s)
{
	struct kprobe **kps;
	struct kretprobe **rps;
	u32 i, nk = 0, nr = 0;

	if (!s->natts)
		return;
	kps = kvmalloc_array(s->natts, sizeof(*kps), BTK_GFP);
	rps = kvmalloc_array(s->natts, sizeof(*rps), BTK_GFP);
	for (i = 0; i < s->natts; i++) {
		struct btk_attach *a = s->atts[i];

		if (!a->registered)
			continue;
		if (kps && rps) {
			if (a->ret)
				rps[nr++] = &a->rp;
			else
				kps[nk++] = &a->kp;
		} else if (a->ret) {
			unregister_kretprobe(&a->rp);
		} else {
			unregister_kprobe(&a->kp);
		}
	}
	if (nk)
		unregister_kprobes(kps, nk);
	if (nr)
		unregister_kretprobes(rps, nr);
	for (i = 0; i < s->natts; i++) {
		struct btk_attach *a = s->atts[i];

		if (a->registered)
			s->kprobe_missed += attach_missed(a);
		a->registered = false;
	}
	kvfree(kps);
	kvfree(rps);
}

/* What one attachment holds. */
static u64 attach_mem(const struct btk_attach *a)
{
	return sizeof(*a) + (a->pp ? strlen(a->pp) + 1 : 0);
}

void btk_free_attach(struct btk_sess *s, struct btk_attach *a)
{
	btk_mem_unreserve(s, attach_mem(a));
	kfree(a->pp);
	kfree(a);
}

static int hexval(const char **p, u64 *out)
{
	const char *s = *p;
	u64 v = 0;
	int n = 0;

	if (s[0] != '0' || s[1] != 'x')
		return -1;
	for (s += 2; isxdigit(*s); s++, n++)
		v = v * 16 + hex_to_bin(*s);
	if (!n)
		return -1;
	*out = v;
	*p = s;
	return 0;
}

/*
 * What the kernel's symbol table says addr is: sprint_symbol() prints
 * "name+0xoff/0xsize [module]".  name gets the function's name; mod the
 * module's ("" for the kernel image).  -EINVAL when addr is in no function.
 */
static int sym_at(u64 addr, char *name, size_t cap, u64 *off, char *mod,
		  size_t modcap)
{
	char *buf = kmalloc(KSYM_SYMBOL_LEN, GFP_KERNEL);
	const char *p, *plus;
	u64 size;
	int rc = -EINVAL;

	if (!buf)
		return -ENOMEM;
	sprint_symbol(buf, (unsigned long)addr);
	plus = strchr(buf, '+');
	if (plus) {
		p = plus + 1;
		if (!hexval(&p, off) && *p++ == '/' && !hexval(&p, &size)) {
			strscpy(name, buf, min_t(size_t, cap, plus - buf + 1));
			mod[0] = 0;
			if (*p) {
				/* " [module]"; one we cannot read is still a
				 * module, but none a declaration can name (those
				 * names end before a ':') */
				const char *end = strchr(p, ']');

				if (p[0] != ' ' || p[1] != '[' || !end ||
				    end - (p + 2) >= modcap)
					strscpy(mod, ":?", modcap);
				else
					strscpy(mod, p + 2, end - (p + 2) + 1);
			}
			rc = 0;
		}
	}
	kfree(buf);
	return rc;
}

static int register_one(struct btk_attach *a, u64 addr, const char *symbol, u64 off)
{
	struct kprobe *kp = a->ret ? &a->rp.kp : &a->kp;

	if (symbol) {
		kp->symbol_name = symbol;
		kp->offset = off;
	} else {
		kp->addr = (kprobe_opcode_t *)(unsigned long)addr;
	}
	kp->flags = KPROBE_FLAG_DISABLED;
	if (a->ret)
		return register_kretprobe(&a->rp);
	kp->pre_handler = btk_kprobe_pre;
	return register_kprobe(kp);
}

static void unregister_one(struct btk_attach *a)
{
	if (a->ret)
		unregister_kretprobe(&a->rp);
	else
		unregister_kprobe(&a->kp);
}

/*
 * Register the probe at e->addr after making sure it is e->symbol plus the
 * declaration's offset, in the kernel image (want_mod NULL) or in module
 * want_mod.  Usually the kernel's symbol table names that address
 * e->symbol and we register by address (which also handles two static
 * functions of one name).  When it names another symbol at the same
 * address (an alias: __x64_sys_getpid and __do_sys_getpid), we let kprobes
 * look e->symbol up itself ("want_mod:symbol" for a module's) and check it
 * lands on the same function, at e->addr (or on the instruction after a
 * 4-byte ENDBR there).
 *
 * A module may be unloaded at any time: register_kprobe() refuses an
 * address that is no longer live module text, and holds a reference on
 * the module only while it patches it.  Once registered, kprobes itself
 * disables the probe when the module goes: in 6.1's kernel/kprobes.c,
 * kprobes_module_callback() marks every kprobe in a MODULE_STATE_GOING
 * module's core (or a live one's freed init) text KPROBE_FLAG_GONE with
 * kill_kprobe(), which takes it off the optimizer and, for an armed
 * ftrace-based one, disarms it while ftrace still knows the module (the
 * order fixed by "kprobes: Fix check for probe enabled in kill_kprobe()",
 * in 6.1.y stable).  A gone probe never fires again, enable_kprobe()
 * refuses it (START ignores that), and unregistering it at STOP is fine.
 * So nothing here has to watch module unloads.
 */
static int register_checked(struct btk_attach *a, struct bt_ioc_probe *e, u64 off,
			    const char *want_mod, char *msg)
{
	char *name = kmalloc(2 * BT_IOC_SYM_LEN + 2 * MODULE_NAME_LEN, GFP_KERNEL);
	struct kprobe *kp = a->ret ? &a->rp.kp : &a->kp;
	char *name2, *mod, *mod2, *qual = NULL;
	u64 o = 0, o2 = 0;
	bool by_name;
	int rc;

	if (!name)
		return -ENOMEM;
	name2 = name + BT_IOC_SYM_LEN;
	mod = name2 + BT_IOC_SYM_LEN;
	mod2 = mod + MODULE_NAME_LEN;
	rc = sym_at(e->addr, name, BT_IOC_SYM_LEN, &o, mod, MODULE_NAME_LEN);
	if (rc) {
		snprintf(msg, BTK_LOGSZ, "address 0x%llx is not in any kernel function (%s wanted)",
			 e->addr, e->symbol);
		goto out;
	}
	rc = -EINVAL;
	if (!want_mod && mod[0]) {
		snprintf(msg, BTK_LOGSZ, "address 0x%llx (%s) is in a module, not the kernel image",
			 e->addr, name);
		goto out;
	}
	if (want_mod && strcmp(mod, want_mod)) {
		snprintf(msg, BTK_LOGSZ, "address 0x%llx (%s) is not in module %s but in %s",
			 e->addr, name, want_mod, mod[0] ? mod : "the kernel image");
		goto out;
	}
	if (o != off) {
		snprintf(msg, BTK_LOGSZ, "address 0x%llx is %s+0x%llx, not %s+0x%llx",
			 e->addr, name, o, e->symbol, off);
		goto out;
	}
	by_name = strcmp(name, e->symbol) != 0;
	if (by_name && want_mod) {
		/* kprobes' lookup reads "mod:sym" as sym in that module only */
		qual = kasprintf(GFP_KERNEL, "%s:%s", want_mod, e->symbol);
		if (!qual) {
			rc = -ENOMEM;
			goto out;
		}
	}
	rc = register_one(a, e->addr, by_name ? (qual ? qual : a->name) : NULL, off);
	/* register_kprobe() reads symbol_name only while it registers */
	if (qual)
		kp->symbol_name = NULL;
	if (rc) {
		snprintf(msg, BTK_LOGSZ, "cannot probe %s: the kernel refused it (error %d%s)",
			 e->symbol, rc, rc == -EINVAL ?
			 ": kprobe blacklist, or not an instruction boundary" :
			 rc == -ENOENT ? ": no such function" : "");
		goto out;
	}
	if (by_name) {
		u64 got = (unsigned long)kp->addr;

		if (got < e->addr || got > e->addr + 4 ||
		    sym_at(got, name2, BT_IOC_SYM_LEN, &o2, mod2, MODULE_NAME_LEN) ||
		    strcmp(name, name2) || strcmp(mod, mod2)) {
			unregister_one(a);
			snprintf(msg, BTK_LOGSZ, "address 0x%llx is %s+0x%llx, not %s+0x%llx",
				 e->addr, name, o, e->symbol, off);
			rc = -EINVAL;
			goto out;
		}
	}
	rc = 0;
out:
	kfree(qual);
	kfree(name);
	return rc;
}

static int attach_one(struct btk_sess *s, struct bt_ioc_probe *e, char *msg)
{
	const struct bt_probe_decl *pd;
	const char *pat, *colon;
	char mod[MODULE_NAME_LEN];
	struct btk_attach *a;
	int rc;

	if (e->flags & ~BT_IOC_PROBE_OPTIONAL || e->pad) {
		snprintf(msg, BTK_LOGSZ, "entry for probe %u: unknown flags", e->probe);
		return -EINVAL;
	}
	if (e->probe >= s->prog.nprobes) {
		snprintf(msg, BTK_LOGSZ, "there is no probe %u (the program has %u)", e->probe,
			 s->prog.nprobes);
		return -EINVAL;
	}
	pd = &s->prog.probes[e->probe];
	if (pd->kind != BT_PROBE_KPROBE && pd->kind != BT_PROBE_KRETPROBE) {
		snprintf(msg, BTK_LOGSZ, "probe %u (%s) is not a kprobe", e->probe,
			 bt_prog_str(&s->prog, pd->point));
		return -EINVAL;
	}
	if (strnlen(e->symbol, BT_IOC_SYM_LEN) >= BT_IOC_SYM_LEN || !e->symbol[0]) {
		snprintf(msg, BTK_LOGSZ, "probe %u: symbol name missing or not terminated",
			 e->probe);
		return -EINVAL;
	}
	pat = bt_prog_str(&s->prog, pd->symbol);
	/*
	 * "MOD:PATTERN" (module("MOD").function("PATTERN")): a function of
	 * module MOD, which register_checked() makes sure of; the entry names
	 * the bare function.  Without it, only the kernel image's.
	 */
	mod[0] = 0;
	colon = strchr(pat, ':');
	if (colon) {
		if (colon == pat || colon - pat >= sizeof(mod)) {
			snprintf(msg, BTK_LOGSZ, "probe %u: %s names no module", e->probe, pat);
			return -EINVAL;
		}
		strscpy(mod, pat, colon - pat + 1);
		pat = colon + 1;
	}
	/* sys_NAME also names the x86_64 wrapper __x64_sys_NAME (the front
	 * end's fallback for scripts written before kernel 4.17) */
	if (!bt_glob(pat, e->symbol) &&
	    !(!mod[0] && strncmp(pat, "sys_", 4) == 0 && strncmp(e->symbol, "__x64_", 6) == 0 &&
	      strcmp(pat, e->symbol + 6) == 0)) {
		snprintf(msg, BTK_LOGSZ, "probe %u: function %s does not match %s", e->probe,
			 e->symbol, pat);
		return -EINVAL;
	}
	if (within_module((unsigned long)e->addr, THIS_MODULE)) {
		snprintf(msg, BTK_LOGSZ, "probe %u: bytetap cannot probe itself", e->probe);
		return -EINVAL;
	}
	if (s->natts >= btk_max_attach) {
		snprintf(msg, BTK_LOGSZ, "more than %u kprobes (module parameter max_attach)",
			 btk_max_attach);
		return -E2BIG;
	}
	rc = btk_mem_reserve(s, sizeof(*a), msg, BTK_LOGSZ);
	if (rc)
		return rc;
	a = kzalloc(sizeof(*a), BTK_GFP);
	if (!a) {
		btk_mem_unreserve(s, sizeof(*a));
		return -ENOMEM;
	}
	a->sess = s;
	a->probe = e->probe;
	a->ret = pd->kind == BT_PROBE_KRETPROBE;
	strscpy(a->name, e->symbol, sizeof(a->name));
	if (strpbrk(pat, "*?[")) {
		/* pp() names the function: the point with "PATTERN" -> "symbol" */
		const char *point = bt_prog_str(&s->prog, pd->point);
		size_t pl = strlen(pat);
		const char *q = strstr(point, pat);

		while (q && (q == point || q[-1] != '"' || q[pl] != '"'))
			q = strstr(q + 1, pat);
		if (q)
			a->pp = kasprintf(BTK_GFP, "%.*s%s%s", (int)(q - point), point,
					  e->symbol, q + pl);
		if (a->pp && btk_mem_reserve(s, strlen(a->pp) + 1, msg, BTK_LOGSZ)) {
			kfree(a->pp);	/* pp() falls back to the point as written */
			a->pp = NULL;
			msg[0] = 0;
		}
	}
	if (a->ret) {
		a->rp.handler = btk_kretprobe_handler;
		a->rp.maxactive = pd->maxactive ? min_t(u32, pd->maxactive, 4096) : 0;
	}
	rc = register_checked(a, e, pd->offset, mod[0] ? mod : NULL, msg);
	if (rc) {
		btk_free_attach(s, a);
		return rc;
	}
	a->registered = true;
	s->atts[s->natts++] = a;
	return 0;
}

int btk_ioc_attach(struct btk_sess *s, struct bt_ioc_attach *arg)
{
	char *msg;
	u32 first = s->natts, i, n = 0;
	int rc = 0;

	if (arg->flags)
		return -EINVAL;
	if (s->state != BT_STATE_LOADED)
		return -EBUSY;
	if (arg->probe_size < offsetofend(struct bt_ioc_probe, symbol) ||
	    arg->probe_size > 4096 || arg->nprobes > btk_max_attach)
		return -EINVAL;
	msg = kzalloc(BTK_LOGSZ, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	for (i = 0; i < arg->nprobes; i++) {
		struct bt_ioc_probe e;
		void __user *up = u64_to_user_ptr(arg->probes) + (size_t)i * arg->probe_size;
		int r;

		/* thousands of registrations: give the CPU away, stop on SIGKILL */
		cond_resched();
		if (fatal_signal_pending(current)) {
			rc = -EINTR;
			break;
		}
		r = copy_struct_from_user(&e, sizeof(e), up, arg->probe_size);
		if (r) {
			rc = r;
			break;
		}
		r = attach_one(s, &e, msg);
		if (arg->probe_size >= offsetofend(struct bt_ioc_probe, result) &&
		    put_user(r, (s32 __user *)(up + offsetof(struct bt_ioc_probe, result)))) {
			rc = -EFAULT;
			break;
		}
		if (r && !(e.flags & BT_IOC_PROBE_OPTIONAL)) {
			rc = r;
			break;
		}
		if (!r)
			n++;
		msg[0] = 0;	/* an optional failure is not the call's message */
	}
	if (rc) {
		/* nothing of a failed call stays */
		struct btk_attach **atts = s->atts;

		s->atts += first;
		s->natts -= first;
		btk_unregister_kprobes(s);
		for (i = 0; i < s->natts; i++)
			btk_free_attach(s, s->atts[i]);
		s->atts = atts;
		s->natts = first;
		n = 0;
	}
	arg->nattached = n;
	rc = btk_log_out(arg->log_buf, arg->log_size, msg, rc);
	kfree(msg);
	return rc;
}

/* START: the kprobes were registered disabled; now they fire. */
void btk_enable_kprobes(struct btk_sess *s)
{
	u32 i;

	for (i = 0; i < s->natts; i++) {
		struct btk_attach *a = s->atts[i];

		if (a->ret)
			enable_kretprobe(&a->rp);
		else
			enable_kprobe(&a->kp);
		cond_resched();
	}
}

/* Hits the kprobes missed, those unregistered already included. */
u64 btk_kprobe_missed(struct btk_sess *s)
{
	u64 n = s->kprobe_missed;
	u32 i;

	for (i = 0; i < s->natts; i++)
		if (s->atts[i]->registered)
			n += attach_missed(s->atts[i]);
	return n;
}
