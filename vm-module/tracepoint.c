// SPDX-License-Identifier: GPL-2.0
/*
 * tracepoint.c - kernel.trace() probes: LOAD registers btk_tp_probe() on
 * each probe's core kernel tracepoint (found by name), teardown takes it
 * off again.  Process context, under the session's mutex.
 */
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "bytetap.h"

/* for_each_kernel_tracepoint(): give each btk_tp its tracepoint by name. */
static void tp_match(struct tracepoint *tp, void *priv)
{
	struct btk_sess *s = priv;
	u32 i;

	for (i = 0; i < s->ntps; i++) {
		struct btk_tp *t = &s->tps[i];
		const struct bt_probe_decl *pd = &s->prog.probes[t->probe];

		if (!t->tp && !strcmp(tp->name, bt_prog_str(&s->prog, pd->symbol)))
			t->tp = tp;
	}
}

/*
 * Register a probe function on the tracepoint of every kernel.trace()
 * probe.  Tracepoints need no addresses from user space, so LOAD does
 * this itself (a front end that resolves no kprobe never calls ATTACH);
 * the probes do nothing until START sets the session running, as kprobes
 * are registered disabled until then.  Only the kernel image's
 * tracepoints are looked at (for_each_kernel_tracepoint()): those of
 * modules are not supported.  A tracepoint that is not there fails LOAD
 * unless the probe is optional.  On failure nothing stays registered.
 */
int btk_register_tps(struct btk_sess *s, char *msg)
{
	const struct bt_prog *p = &s->prog;
	u32 i, n = 0;
	int rc;

	if (!s->ntps)
		return 0;
	for (i = 0; i < p->nprobes; i++)
		if (p->probes[i].kind == BT_PROBE_TRACEPOINT) {
			s->tps[n].sess = s;
			s->tps[n].probe = i;
			n++;
		}
	for_each_kernel_tracepoint(tp_match, s);
	for (i = 0; i < s->ntps; i++) {
		struct btk_tp *t = &s->tps[i];
		const struct bt_probe_decl *pd = &p->probes[t->probe];
		bool optional = pd->flags & BT_PROBE_OPTIONAL;

		if (!t->tp) {
			if (optional)
				continue;
			snprintf(msg, BTK_LOGSZ,
				 "no tracepoint %s in the kernel (%s; tracepoints of modules are not supported)",
				 bt_prog_str(p, pd->symbol), bt_prog_str(p, pd->point));
			rc = -ENOENT;
			goto fail;
		}
		rc = tracepoint_probe_register(t->tp, btk_tp_probe, t);
		if (rc) {
			if (optional)
				continue;
			snprintf(msg, BTK_LOGSZ, "cannot register a probe on tracepoint %s (%s): error %d",
				 t->tp->name, bt_prog_str(p, pd->point), rc);
			goto fail;
		}
		t->registered = true;
	}
	return 0;
fail:
	if (btk_unregister_tps(s))
		tracepoint_synchronize_unregister();
	return rc;
}

/*
 * Take every tracepoint probe off its tracepoint; true if there was one.
 * A probe function may still be running (or about to run, on a CPU that
 * read the old probe array) until tracepoint_synchronize_unregister().
 */
bool btk_unregister_tps(struct btk_sess *s)
{
	bool any = false;
	u32 i;

	for (i = 0; i < s->ntps; i++) {
		struct btk_tp *t = &s->tps[i];

		if (!t->registered)
			continue;
		/* fails only if it was not registered, which cannot be */
		WARN_ON_ONCE(tracepoint_probe_unregister(t->tp, btk_tp_probe, t));
		t->registered = false;
		any = true;
	}
	return any;
}
