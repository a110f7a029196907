/*
 * disasm.c - the -p3 listing (disasm.h).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include "disasm.h"
#include "bt_isa.h"
#include "bt_builtin.h"

struct sb {
	char *p;
	size_t n, cap;
};

static void put(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct sb *b, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (b->n >= b->cap)
		return;
	va_start(ap, fmt);
	k = vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
	va_end(ap);
	if (k > 0)
		b->n = b->n + (size_t)k < b->cap ? b->n + (size_t)k : b->cap - 1;
}

/* A string, quoted and escaped, cut at max bytes. */
static void put_quoted(struct sb *b, const char *s, size_t max)
{
	size_t i;

	put(b, "\"");
	for (i = 0; s[i] && i < max; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			put(b, "\\%c", c);
		else if (c == '\n')
			put(b, "\\n");
		else if (c == '\t')
			put(b, "\\t");
		else if (c < 32 || c >= 127)
			put(b, "\\%03o", c);
		else
			put(b, "%c", c);
	}
	put(b, s[i] ? "\"..." : "\"");
}

static const char *kind_name(unsigned int k)
{
	switch (k) {
	case BT_KIND_NONE: return "none";
	case BT_KIND_INT: return "long";
	case BT_KIND_STR: return "string";
	case BT_KIND_STATS: return "stats";
	default: return "?";
	}
}

static const char *const cmp_names[] = { "eq", "ne", "lt", "le", "gt", "ge" };
static const char *const agg_names[] = { "@count", "@sum", "@min", "@max", "@avg", "@variance" };

/* [r4, s1]: a map's key tuple in declaration order. */
static void put_keys(struct sb *b, const struct bt_map_decl *m, unsigned int kb,
		     unsigned int ks)
{
	unsigned int i, ni = 0, ns = 0;

	put(b, "[");
	for (i = 0; i < m->nkeys; i++) {
		if (m->key_kinds[i] == BT_KIND_STR)
			put(b, "%ss%u", i ? ", " : "", ks + ns++);
		else
			put(b, "%sr%u", i ? ", " : "", kb + ni++);
	}
	put(b, "]");
}

static void put_map(struct sb *b, const struct bt_prog *p, unsigned int m)
{
	if (m < p->nmaps)
		put(b, "m%u '%s'", m, bt_prog_str(p, p->maps[m].name));
	else
		put(b, "m%u", m);
}

/* (r1, r2, s0): ni ints from r[rb], ns strings from s[sb]. */
static void put_args(struct sb *b, unsigned int ni, unsigned int ns, unsigned int rb,
		     unsigned int sbase)
{
	unsigned int i;

	put(b, "(");
	for (i = 0; i < ni; i++)
		put(b, "%sr%u", i ? ", " : "", rb + i);
	for (i = 0; i < ns; i++)
		put(b, "%ss%u", i || ni ? ", " : "", sbase + i);
	put(b, ")");
}

static void put_operand(struct sb *b, const struct bt_prog *p, unsigned int kind,
			unsigned int v)
{
	switch (kind) {
	case BT_O_R:
	case BT_O_RW:
		put(b, "r%u", v);
		break;
	case BT_O_S:
	case BT_O_SW:
		put(b, "s%u", v);
		break;
	case BT_O_K:
		if (v < p->nconsts)
			put(b, "%" PRId64, p->consts[v]);
		else
			put(b, "k%u", v);
		break;
	case BT_O_KS:
		if (v < p->nstrconsts)
			put_quoted(b, bt_prog_str(p, p->strconsts[v]), 40);
		else
			put(b, "ks%u", v);
		break;
	case BT_O_G:
		if (v < p->nglobals)
			put(b, "g%u '%s'", v, bt_prog_str(p, p->globals[v].name));
		else
			put(b, "g%u", v);
		break;
	case BT_O_M:
		put_map(b, p, v);
		break;
	case BT_O_F:
		if (v < p->nfuncs)
			put(b, "'%s'", bt_prog_str(p, p->funcs[v].name));
		else
			put(b, "f%u", v);
		break;
	case BT_O_FMT:
		put(b, "fmt%u ", v);
		if (v < p->nformats)
			put_quoted(b, bt_prog_str(p, p->formats[v].text), 40);
		break;
	case BT_O_RX:
		if (v < p->nregexes)
			put(b, "rx%u /%s/", v, bt_prog_str(p, p->regexes[v].source));
		else
			put(b, "rx%u", v);
		break;
	case BT_O_T:
	case BT_O_TB:
		put(b, "-> %u", v);
		break;
	case BT_O_IT:
		put(b, "it%u", v);
		break;
	case BT_O_B:
		put(b, "%s", v < BT_B__COUNT ? bt_builtin_info[v].name : "?");
		break;
	default:
		put(b, "%u", v);
		break;
	}
}

unsigned int disasm_insn(char *buf, size_t cap, const struct bt_prog *p,
			 uint32_t func, uint32_t pc)
{
	const struct bt_func_decl *f = &p->funcs[func];
	const struct bt_insn *in = &p->code[f->code_off + pc];
	const struct bt_insn *ext = NULL;
	const struct bt_op_info *oi;
	struct sb b = { buf, 0, cap };
	char name[24];
	unsigned int op = in->op, i, first = 1, words = 1;
	uint32_t f3[3] = { in->a, in->b, in->c };

	buf[0] = 0;
	if (op >= BT_OP__COUNT) {
		put(&b, ".word   op=%u x=%u a=%u b=%u c=%u", op, in->x, in->a, in->b, in->c);
		return 1;
	}
	oi = &bt_op_info[op];
	if (oi->has_ext && pc + 1 < f->code_len) {
		ext = in + 1;
		words = 2;
	}
	/* the mnemonic, with its sub-operation */
	if ((op == BT_OP_JCMP || op == BT_OP_CMP || op == BT_OP_SCMP) && in->x < 6)
		snprintf(name, sizeof(name), "%s.%s", oi->name, cmp_names[in->x]);
	else if (op == BT_OP_MATCH && in->x)
		snprintf(name, sizeof(name), "NMATCH");
	else if (op == BT_OP_MAGG && ext && ext->b < 6)
		snprintf(name, sizeof(name), "MAGG.%s", agg_names[ext->b] + 1);
	else if (op == BT_OP_ITINIT && in->x)
		snprintf(name, sizeof(name), "ITINIT.%s", in->x == BT_SORT_ASC ? "asc" : "desc");
	else
		snprintf(name, sizeof(name), "%s", oi->name);
	put(&b, "%-9s ", name);

	switch (op) {
	case BT_OP_ACT:
	case BT_OP_LDI:
		if (op == BT_OP_LDI)
			put(&b, "r%u, ", in->a);
		put(&b, "%d", BT_IMM(in));
		if (op == BT_OP_ACT && in->x)
			put(&b, "%s%s", in->x & BT_ACT_LE0 ? " le0" : "",
			    in->x & BT_ACT_CHECK ? " check" : "");
		return words;
	case BT_OP_LOOP:
		put(&b, "-> %u, %u%s", in->a, in->b, in->x & BT_ACT_LE0 ? " le0" : "");
		return words;
	case BT_OP_ADDI:
		put(&b, "r%u, r%u, %d", in->a, in->b, (int16_t)in->c);
		return words;
	case BT_OP_CALL:
	case BT_OP_CALLB:
	case BT_OP_PRINTF:
	case BT_OP_SPRINTF: {
		unsigned int ni = 0, ns = 0;
		char ret = 'v';

		if (op == BT_OP_CALL && in->a < p->nfuncs) {
			ni = p->funcs[in->a].nparam_i;
			ns = p->funcs[in->a].nparam_s;
			ret = p->funcs[in->a].ret_kind == BT_KIND_INT ? 'i' :
			      p->funcs[in->a].ret_kind == BT_KIND_STR ? 's' : 'v';
		} else if (op == BT_OP_CALLB && in->a < BT_B__COUNT) {
			ni = bt_builtin_info[in->a].nargs_i;
			ns = bt_builtin_info[in->a].nargs_s;
			ret = bt_builtin_info[in->a].ret;
		} else if (in->a < p->nformats) {
			ni = p->formats[in->a].nargs_i;
			ns = p->formats[in->a].nargs_s;
		}
		if (ret == 'i')
			put(&b, "r%u = ", in->b);
		else if (ret == 's')
			put(&b, "s%u = ", in->c);
		else if (op == BT_OP_SPRINTF && ext)
			put(&b, "s%u = ", ext->a);
		put_operand(&b, p, oi->opd[0], in->a);
		if (op == BT_OP_CALLB && in->a < BT_B__COUNT) {
			/* in the builtin's own argument order */
			const char *sig = bt_builtin_info[in->a].args;
			unsigned int ri = in->b, si = in->c, j;

			put(&b, "(");
			for (j = 0; sig[j]; j++)
				put(&b, sig[j] == 's' ? "%ss%u" : "%sr%u", j ? ", " : "",
				    sig[j] == 's' ? si++ : ri++);
			put(&b, ")");
		} else {
			put_args(&b, ni, ns, in->b, in->c);
		}
		return words;
	}
	default:
		break;
	}
	for (i = 0; i < 3; i++) {
		unsigned int k = oi->opd[i];

		if (k == BT_O_NONE || k == BT_O_IMMHI || k == BT_O_KEYI)
			continue;
		if (op == BT_OP_ITKEY || op == BT_OP_ITKEYS) {
			if (i == 2) {
				put(&b, ", key %u", f3[i]);
				continue;
			}
		}
		put(&b, "%s", first ? "" : ", ");
		first = 0;
		put_operand(&b, p, k, f3[i]);
	}
	if (oi->opd[2] == BT_O_KEYI && ext && in->b < p->nmaps)
		put_keys(&b, &p->maps[in->b], in->c, ext->a);
	if (op == BT_OP_MAGG && ext && ext->b == BT_AGG_VARIANCE && ext->c)
		put(&b, ", shift %u", ext->c);
	if (op == BT_OP_ITINIT && ext && in->x) {
		if (ext->a == 0)
			put(&b, " by value%s%s", ext->b < 6 && in->b < p->nmaps &&
			    p->maps[in->b].val_kind == BT_KIND_STATS ? " " : "",
			    ext->b < 6 && in->b < p->nmaps &&
			    p->maps[in->b].val_kind == BT_KIND_STATS ? agg_names[ext->b] : "");
		else
			put(&b, " by key %u", ext->a);
	}
	if (op == BT_OP_PRINTHIST && in->x)
		put(&b, " +%u newlines", in->x);
	if (op == BT_OP_ERROR && in->x)
		put(&b, " (located)");
	return words;
}

void disasm_function(FILE *out, const struct bt_prog *p, uint32_t fi)
{
	const struct bt_func_decl *f = &p->funcs[fi];
	char line[512];
	uint32_t pc, li = 0;

	fprintf(out, "function %u '%s': %u insns, %u int regs, %u string regs, %u iterators, %u tries",
		fi, bt_prog_str(p, f->name), f->code_len, f->nregs, f->nstrs, f->niters,
		f->ntries);
	if (f->nparam_i || f->nparam_s)
		fprintf(out, ", params %u int + %u string", f->nparam_i, f->nparam_s);
	if (f->ret_kind)
		fprintf(out, ", returns %s", kind_name(f->ret_kind));
	fputc('\n', out);
	/* locations are sorted by absolute pc: walk them alongside */
	while (li < p->nlocs && p->locs[li].pc < f->code_off)
		li++;
	for (pc = 0; pc < f->code_len;) {
		unsigned int w = disasm_insn(line, sizeof(line), p, fi, pc);

		for (; li < p->nlocs && p->locs[li].pc <= f->code_off + pc; li++)
			if (p->locs[li].pc >= f->code_off)
				fprintf(out, "        ; %s\n", bt_prog_str(p, p->locs[li].text));
		fprintf(out, "  %4u  %s\n", pc, line);
		pc += w;
	}
	fputc('\n', out);
}

static const char *probe_kind(unsigned int k)
{
	static const char *const n[] = {
		"?", "begin", "end", "error", "never", "timer", "profile",
		"kprobe", "kretprobe", "tracepoint",
	};

	return k < sizeof(n) / sizeof(n[0]) ? n[k] : "?";
}

static void tables(FILE *out, const struct bt_prog *p)
{
	const struct bt_limits *l = &p->limits;
	uint32_t i, k;
	char buf[256];
	struct sb b;

	if (p->nglobals)
		fprintf(out, "globals:\n");
	for (i = 0; i < p->nglobals; i++) {
		const struct bt_global_decl *g = &p->globals[i];

		fprintf(out, "  g%u '%s': %s", i, bt_prog_str(p, g->name), kind_name(g->kind));
		if (g->flags & BT_GLOBAL_HAS_INIT) {
			b = (struct sb){ buf, 0, sizeof(buf) };
			put_operand(&b, p, g->kind == BT_KIND_INT ? BT_O_K : BT_O_KS, g->init);
			fprintf(out, " = %s", buf);
		}
		fputc('\n', out);
	}
	if (p->nmaps)
		fprintf(out, "maps:\n");
	for (i = 0; i < p->nmaps; i++) {
		const struct bt_map_decl *m = &p->maps[i];

		fprintf(out, "  m%u '%s': [", i, bt_prog_str(p, m->name));
		for (k = 0; k < m->nkeys; k++)
			fprintf(out, "%s%s", k ? ", " : "", kind_name(m->key_kinds[k]));
		fprintf(out, "] -> %s, capacity %u%s%s", kind_name(m->val_kind), m->capacity,
			m->flags & BT_MAP_WRAP ? ", wrap" : "",
			m->flags & BT_MAP_SIZED ? ", sized" : "");
		if (m->flags & BT_MAP_VARIANCE)
			fprintf(out, ", @variance shift %u", m->var_shift);
		if (m->hist_kind == BT_HIST_LOG)
			fprintf(out, ", @hist_log");
		else if (m->hist_kind == BT_HIST_LINEAR)
			fprintf(out, ", @hist_linear(%" PRId64 ", %" PRId64 ", %" PRId64 ")",
				m->hist_start, m->hist_stop, m->hist_interval);
		fputc('\n', out);
	}
	if (p->nprobes)
		fprintf(out, "probes:\n");
	for (i = 0; i < p->nprobes; i++) {
		const struct bt_probe_decl *pr = &p->probes[i];

		fprintf(out, "  probe %u %s '%s' -> '%s'", i, probe_kind(pr->kind),
			bt_prog_str(p, pr->point),
			pr->handler < p->nfuncs ? bt_prog_str(p, p->funcs[pr->handler].name) : "?");
		if (pr->kind == BT_PROBE_BEGIN || pr->kind == BT_PROBE_END ||
		    pr->kind == BT_PROBE_ERROR)
			fprintf(out, " seq %" PRId64, pr->seq);
		if (pr->period_ns)
			fprintf(out, " period %" PRIu64 "ns", pr->period_ns);
		if (pr->randomize_ns)
			fprintf(out, " +-%" PRIu64 "ns", pr->randomize_ns);
		if (*bt_prog_str(p, pr->symbol))
			fprintf(out, " symbol %s+%" PRIu64, bt_prog_str(p, pr->symbol), pr->offset);
		if (pr->maxactive)
			fprintf(out, " maxactive %u", pr->maxactive);
		if (pr->flags & BT_PROBE_OPTIONAL)
			fprintf(out, " optional");
		if (pr->nlocks) {
			fprintf(out, " locks");
			for (k = 0; k < pr->nlocks && pr->lock_off + k < p->nlocks; k++) {
				const struct bt_lock_ref *lr = &p->locks[pr->lock_off + k];
				const char *nm = lr->space == BT_LOCK_GLOBAL && lr->index < p->nglobals ?
					bt_prog_str(p, p->globals[lr->index].name) :
					lr->space == BT_LOCK_MAP && lr->index < p->nmaps ?
					bt_prog_str(p, p->maps[lr->index].name) : "?";

				fprintf(out, " %s%s", nm, lr->write ? "(w)" : "(r)");
			}
		}
		fputc('\n', out);
	}
	if (p->nformats)
		fprintf(out, "formats:\n");
	for (i = 0; i < p->nformats; i++) {
		b = (struct sb){ buf, 0, sizeof(buf) };
		put_quoted(&b, bt_prog_str(p, p->formats[i].text), 200);
		fprintf(out, "  fmt%u %s: %u int, %u string args\n", i, buf,
			p->formats[i].nargs_i, p->formats[i].nargs_s);
	}
	if (p->nregexes)
		fprintf(out, "regexes:\n");
	for (i = 0; i < p->nregexes; i++)
		fprintf(out, "  rx%u /%s/: %u bytes\n", i,
			bt_prog_str(p, p->regexes[i].source), p->regexes[i].size);
	fprintf(out, "limits: MAXACTION %u, MAXNESTING %u, MAXSTRINGLEN %u, MAXMAPENTRIES %u, "
		"MAXERRORS %u, MAXSKIPPED %u, HIST_ELISION %d%s\n",
		l->maxaction, l->maxnesting, l->maxstringlen, l->maxmapentries,
		l->maxerrors, l->maxskipped, l->hist_elision,
		l->flags & BT_LIMIT_NO_OVERLOAD ? ", STP_NO_OVERLOAD" : "");
}

void disasm_program(FILE *out, const struct bt_prog *p)
{
	uint32_t i;

	for (i = 0; i < p->nfuncs; i++)
		disasm_function(out, p, i);
	tables(out, p);
}
