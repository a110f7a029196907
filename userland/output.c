/*
 * output.c - format the VM's output records, as SystemTap's staprun would
 * print them.  Formats are parsed once per program and cached.
 */
#include <stdlib.h>
#include <string.h>
#include "output.h"
#include "hist_render.h"
#include "bt_record.h"
#include "kallsyms.h"
#include "util.h"

#define MAX_COMPS 256
#define MAX_ARGS 64

struct parsed_fmt {
	int ok;
	struct bt_fmt_comp *comps;
	size_t ncomps;
	uint8_t kinds[MAX_ARGS];
	size_t nkinds;
};

struct output {
	const struct bt_prog *prog;
	FILE *out, *err;
	struct parsed_fmt *fmts;	/* by format index, parsed on first use */
	char *buf;			/* rendering buffer */
	size_t cap;			/* >= BT_FMT_STREAM_CLAMP; grows for histograms */
};

struct output *output_new(const struct bt_prog *prog, FILE *out, FILE *err)
{
	struct output *o = xcalloc(1, sizeof(*o));

	o->prog = prog;
	o->out = out;
	o->err = err;
	o->fmts = xcalloc(prog->nformats ? prog->nformats : 1, sizeof(*o->fmts));
	o->cap = BT_FMT_STREAM_CLAMP;
	o->buf = xmalloc(o->cap);
	return o;
}

void output_free(struct output *o)
{
	uint32_t i;

	if (!o)
		return;
	for (i = 0; i < o->prog->nformats; i++)
		free(o->fmts[i].comps);
	free(o->fmts);
	free(o->buf);
	free(o);
}

static struct parsed_fmt *get_fmt(struct output *o, uint32_t idx)
{
	struct parsed_fmt *pf = &o->fmts[idx];
	const char *text;
	struct bt_fmt_comp comps[MAX_COMPS];
	struct bt_fmt_error err;

	if (pf->ok)
		return pf;
	text = bt_prog_str(o->prog, o->prog->formats[idx].text);
	if (bt_fmt_parse(text, strlen(text), comps, MAX_COMPS, &pf->ncomps,
			 pf->kinds, MAX_ARGS, &pf->nkinds, &err) < 0)
		return NULL;
	pf->comps = xmalloc(pf->ncomps * sizeof(*comps));
	memcpy(pf->comps, comps, pf->ncomps * sizeof(*comps));
	pf->ok = 1;
	return pf;
}

/* Decode a PRINTF payload into formatter arguments. */
static int decode_args(const struct parsed_fmt *pf, const uint8_t *p,
		       const uint8_t *end, struct bt_fmt_arg *args)
{
	size_t i;

	for (i = 0; i < pf->nkinds; i++) {
		if (pf->kinds[i] == BT_FMT_ARG_INT) {
			if (end - p < 8)
				return -1;
			args[i].kind = BT_FMT_ARG_INT;
			memcpy(&args[i].i, p, 8);
			p += 8;
		} else {
			uint16_t len;

			if (end - p < 2)
				return -1;
			memcpy(&len, p, 2);
			p += 2;
			if (end - p < len)
				return -1;
			args[i].kind = BT_FMT_ARG_STR;
			args[i].s = (const char *)p;
			args[i].len = len;
			p += len;
		}
	}
	return 0;
}

static void print_printf(struct output *o, const struct bt_rec *r,
			 const uint8_t *p, const uint8_t *end)
{
	struct bt_fmt_arg args[MAX_ARGS];
	struct parsed_fmt *pf;
	const char *text;
	int64_t n;

	if (r->arg >= o->prog->nformats || !(pf = get_fmt(o, r->arg)))
		return;
	if (decode_args(pf, p, end, args) < 0)
		return;
	text = bt_prog_str(o->prog, o->prog->formats[r->arg].text);
	/* one printf is cut at STP_BUFFER_SIZE, as in stap, however big buf is */
	n = bt_fmt_render(text, pf->comps, pf->ncomps, args, pf->nkinds,
			  o->buf, BT_FMT_STREAM_CLAMP, BT_FMT_STREAM, NULL);
	if (n > 0)
		fwrite(o->buf, 1, n, o->out);
}

static void print_hist(struct output *o, const struct bt_rec *r,
		       const uint8_t *p, const uint8_t *end)
{
	const struct bt_map_decl *m;
	uint32_t nb, nl;
	int64_t *counts;
	size_t need = 0;
	int64_t n;
	int kind;

	if (r->arg >= o->prog->nmaps || end - p < 8)
		return;
	m = &o->prog->maps[r->arg];
	memcpy(&nb, p, 4);
	memcpy(&nl, p + 4, 4);
	p += 8;
	if (nb > BT_HIST_MAX_BUCKETS || (size_t)(end - p) < nb * 8u)
		return;
	counts = xmalloc(nb * 8u + 8);
	memcpy(counts, p, nb * 8u);
	kind = m->hist_kind == BT_HIST_LOG ? BT_FMT_HIST_LOG : BT_FMT_HIST_LINEAR;
	n = bt_hist_render(kind, counts, nb, (int32_t)m->hist_start,
			   (int32_t)m->hist_interval, o->prog->limits.hist_elision,
			   o->buf, o->cap, &need);
	/*
	 * SystemTap prints a histogram line by line, so unlike one printf's
	 * text it is never cut at STP_BUFFER_SIZE: a wide log histogram
	 * runs to ~10 KB.  Grow the buffer to the whole text and render
	 * again (the NUL takes one byte more).
	 */
	if (n >= 0 && need >= o->cap) {
		o->cap = need + 1;
		o->buf = xrealloc(o->buf, o->cap);
		n = bt_hist_render(kind, counts, nb, (int32_t)m->hist_start,
				   (int32_t)m->hist_interval,
				   o->prog->limits.hist_elision, o->buf, o->cap,
				   NULL);
	}
	if (n > 0)
		fwrite(o->buf, 1, n, o->out);
	while (nl--)
		fputc('\n', o->out);
	free(counts);
}

/*
 * print_backtrace(): SystemTap's layout, one " 0xADDR : SYM+0xOFF/0xSIZE
 * [MODULE]" line per frame, named from /proc/kallsyms (loaded on the
 * first backtrace).
 */
static void print_backtrace(struct output *o, const struct bt_rec *r,
			    const uint8_t *p, const uint8_t *end)
{
	size_t n = (size_t)(end - p) / 8, i;
	char line[512];

	for (i = 0; i < n; i++) {
		uint64_t addr;

		memcpy(&addr, p + 8 * i, 8);
		ksym_format(line, sizeof(line), addr, KSYM_FULL);
		if (r->arg & BT_REC_BT_RETURN) {
			if (i == 0)
				fputs("Returning from: ", o->out);
			else if (i == 1)
				fputs("Returning to  : ", o->out);
		}
		fprintf(o->out, " %s\n", line);
	}
}

const char *output_location(const struct bt_prog *prog, uint32_t pc)
{
	size_t lo = 0, hi = prog->nlocs;

	if (pc == BT_REC_NOPC || !prog->nlocs)
		return NULL;
	/* the last entry whose pc <= the failing pc */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (prog->locs[mid].pc <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	return bt_prog_str(prog, prog->locs[lo - 1].text);
}

static void print_msg(struct output *o, const struct bt_rec *r,
		      const uint8_t *p, const uint8_t *end)
{
	int len = (int)strnlen((const char *)p, end - p);

	if (r->type == BT_REC_WARN) {
		fprintf(o->err, "WARNING: %.*s\n", len, (const char *)p);
	} else {
		const char *where = output_location(o->prog, r->arg);

		fflush(o->out);
		if (where)
			fprintf(o->err, "ERROR: %.*s near %s\n", len, (const char *)p, where);
		else
			fprintf(o->err, "ERROR: %.*s\n", len, (const char *)p);
	}
}

int output_records(struct output *o, const void *buf, size_t len)
{
	const uint8_t *p = buf, *end = p + len;
	int errors = 0;

	while (end - p >= (long)sizeof(struct bt_rec)) {
		struct bt_rec r;
		const uint8_t *payload;

		memcpy(&r, p, sizeof(r));
		if (r.len < sizeof(r) || r.len > (size_t)(end - p))
			break;
		payload = p + sizeof(r);
		switch (r.type) {
		case BT_REC_PRINTF:
			print_printf(o, &r, payload, p + r.len);
			break;
		case BT_REC_HIST:
			print_hist(o, &r, payload, p + r.len);
			break;
		case BT_REC_BACKTRACE:
			print_backtrace(o, &r, payload, p + r.len);
			break;
		case BT_REC_ERROR:
			errors++;
			/* fall through */
		case BT_REC_WARN:
			print_msg(o, &r, payload, p + r.len);
			break;
		}
		p += BT_REC_ALIGN(r.len);
	}
	return errors;
}
