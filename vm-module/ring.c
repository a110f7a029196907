// SPDX-License-Identifier: GPL-2.0
/*
 * ring.c - the per-CPU output rings (struct btk_ring): the VM's
 * bt_host_out_reserve() / bt_host_out_commit() produce records in probe
 * context, without locks or waiting (the process slot of begin, end and
 * error probes may wait for room); read() consumes them, oldest first
 * across the CPUs.
 */
#include <linux/minmax.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>

#include "bytetap.h"
#include "bt_host.h"
#include "bt_record.h"

int btk_ring_init(struct btk_ring *r, u32 size, int node)
{
	r->buf = kvzalloc_node(size, BTK_GFP, node);
	if (!r->buf)
		return -ENOMEM;
	r->size = size;
	r->mask = size - 1;
	r->head = r->tail = r->pend = 0;
	return 0;
}

void btk_ring_free(struct btk_ring *r)
{
	kvfree(r->buf);
	r->buf = NULL;
}

/*
 * Room for a record of len bytes in this context's ring, or NULL: the VM
 * counts a drop.  Handlers never wait.  The process slot (begin, end and
 * error probes, run inside START and STOP with nothing else running) waits
 * for the reader to make room - up to a second, and only until a wait has
 * once failed - so that a large end-of-run report is not lost when the
 * front end reads while STOP runs.
 */
void *bt_host_out_reserve(struct bt_ctx *ctx, uint32_t len)
{
	struct btk_cpu *c = ctx->host;
	struct btk_ring *r = &c->ring;
	u64 head = r->head, tail;
	u32 pos = head & r->mask, contig = r->size - pos;
	u32 need = len + 8, total;

	if (unlikely(!r->buf || (len & 7) || need > r->size / 2))
		return NULL;
	total = need <= contig ? need : contig + need;
	for (;;) {
		struct btk_sess *s = c->sess;
		long w;

		tail = smp_load_acquire(&r->tail);
		if (head + total - tail <= r->size)
			break;
		if (!c->process || s->no_reader)
			return NULL;	/* full: the VM counts the drop */
		wake_up_interruptible_poll(&s->wq, EPOLLIN | EPOLLRDNORM);
		w = wait_event_interruptible_timeout(s->space_wq,
				head + total - smp_load_acquire(&r->tail) <= r->size, HZ);
		if (w <= 0) {
			s->no_reader = true;
			return NULL;
		}
	}
	if (need > contig) {
		*(u64 *)(r->buf + pos) = BTK_WRAP_MARK;
		pos = 0;
	}
	*(u64 *)(r->buf + pos) = ktime_get_mono_fast_ns();
	r->pend = head + total;
	return r->buf + pos + 8;
}

void bt_host_out_commit(struct bt_ctx *ctx, void *rec)
{
	struct btk_cpu *c = ctx->host;

	smp_store_release(&c->ring.head, c->ring.pend);
}

/*
 * The next record of a ring (consumer side), or NULL.  Steps over wrap
 * marks, moving the local tail *t.
 */
static struct bt_rec *ring_peek(struct btk_ring *r, u64 head, u64 *t, u64 *ts)
{
	while (*t != head) {
		u32 pos = *t & r->mask;
		u64 stamp = *(u64 *)(r->buf + pos);
		struct bt_rec *rec;

		if (stamp == BTK_WRAP_MARK) {
			*t += r->size - pos;
			continue;
		}
		rec = (struct bt_rec *)(r->buf + pos + 8);
		if (rec->len < sizeof(*rec) || (rec->len & 7) ||
		    rec->len + 8 > r->size - pos || *t + 8 + rec->len > head) {
			/* cannot happen with the VM's records; never loop on it */
			*t = head;
			return NULL;
		}
		*ts = stamp;
		return rec;
	}
	return NULL;
}

bool btk_rings_nonempty(struct btk_sess *s)
{
	u32 i;

	for (i = 0; i < s->nslots; i++) {
		struct btk_cpu *c = s->cpus[i];

		if (c && smp_load_acquire(&c->ring.head) != READ_ONCE(c->ring.tail))
			return true;
	}
	return false;
}

/*
 * Move whole records, oldest first across the CPUs, into the bounce
 * buffer and then to user space.  Called with read_lock held.
 */
ssize_t btk_rings_read(struct btk_sess *s, char __user *ubuf, size_t len)
{
	size_t cap = min_t(size_t, len, BTK_BOUNCE_SIZE), used = 0;
	u32 i;

	if (!s->bounce || !s->cpus)
		return 0;
	for (;;) {
		struct btk_cpu *best = NULL;
		struct bt_rec *brec = NULL;
		u64 bts = 0, bt = 0;

		for (i = 0; i < s->nslots; i++) {
			struct btk_cpu *c = s->cpus[i];
			struct bt_rec *rec;
			u64 head, t, ts;

			if (!c)
				continue;
			head = smp_load_acquire(&c->ring.head);
			t = c->ring.tail;
			rec = ring_peek(&c->ring, head, &t, &ts);
			if (t != c->ring.tail && !rec)
				smp_store_release(&c->ring.tail, t);
			if (rec && (!best || ts < bts)) {
				best = c;
				brec = rec;
				bts = ts;
				bt = t;
			}
		}
		if (!best)
			break;
		if (used + brec->len > cap) {
			if (!used)
				return -EINVAL;	/* the buffer cannot take one record */
			break;
		}
		memcpy(s->bounce + used, brec, brec->len);
		used += brec->len;
		smp_store_release(&best->ring.tail, bt + 8 + brec->len);
	}
	if (used && wq_has_sleeper(&s->space_wq))
		wake_up(&s->space_wq);
	if (used && copy_to_user(ubuf, s->bounce, used))
		return -EFAULT;
	return used;
}

/* An ERROR record with no source location, from the host itself. */
void btk_emit_error(struct btk_cpu *c, const char *msg)
{
	bt_vm_emit_text(c->ctx, BT_REC_ERROR, BT_REC_NOPC, msg);
}
