// SPDX-License-Identifier: GPL-2.0
/*
 * bt_regex.c - validate and run the Pike VM programs of SystemTap-dialect
 * EREs (bt_regex.h).  The compiler that makes them runs only in user
 * space: userland/regex_compile.c.
 *
 * The matcher is a Pike VM: one pass over the string, two thread lists
 * indexed by instruction (sparse sets, so a state is never added twice
 * in one step), and an explicit stack for epsilon closures.
 */
#include "bt_regex.h"
#include "bt_util.h"

/* ------------------------------------------------------------------ */
/* Validation                                                          */
/* ------------------------------------------------------------------ */

static bool falls_through(int op)
{
	return op == BT_RE_OP_CHAR || op == BT_RE_OP_ANY ||
	       op == BT_RE_OP_CLASS || op == BT_RE_OP_SAVE ||
	       op == BT_RE_OP_BOL || op == BT_RE_OP_EOL;
}

static bool insn_ok(const uint8_t *p, uint32_t pc, uint32_t ninsns,
		    uint32_t nclasses, uint32_t ngroups)
{
	uint8_t op = p[0], a = p[1];
	uint16_t x = bt_re_rd16(p + 2), y = bt_re_rd16(p + 4);

	if (falls_through(op) && pc + 1 >= ninsns)
		return false;
	switch (op) {
	case BT_RE_OP_MATCH:
	case BT_RE_OP_ANY:
	case BT_RE_OP_BOL:
	case BT_RE_OP_EOL:
		return a == 0 && x == 0 && y == 0;
	case BT_RE_OP_CHAR:
		return x == 0 && y == 0;
	case BT_RE_OP_CLASS:
		return a == 0 && x < nclasses && y == 0;
	case BT_RE_OP_SPLIT:
		return a == 0 && x < ninsns && y < ninsns;
	case BT_RE_OP_JMP:
		return a == 0 && x < ninsns && y == 0;
	case BT_RE_OP_SAVE:
		return a < 2 * ngroups && x == 0 && y == 0;
	default:
		return false;
	}
}

int bt_regex_validate(const void *prog, size_t len)
{
	const uint8_t *p = prog;
	uint32_t ngroups, ninsns, nclasses, pc;

	if (!p || len < BT_RE_HDR_SIZE)
		return BT_RE_EINVAL;
	ngroups = bt_re_rd16(p + 6);
	ninsns = bt_re_rd16(p + 8);
	nclasses = bt_re_rd16(p + 10);
	if (bt_re_rd32(p) != BT_RE_MAGIC || bt_re_rd16(p + 4) != BT_RE_VERSION ||
	    ngroups < 1 || ngroups > BT_RE_MAX_GROUPS ||
	    ninsns < 1 || ninsns > BT_RE_MAX_INSNS ||
	    (uint64_t)ninsns * (1 + ngroups) > BT_RE_MAX_COST ||
	    nclasses > BT_RE_MAX_CLASSES)
		return BT_RE_EINVAL;
	if (bt_re_rd32(p + 12) != len ||
	    len != BT_RE_HDR_SIZE + (size_t)ninsns * BT_RE_INSN_SIZE +
		   (size_t)nclasses * BT_RE_CLASS_SIZE)
		return BT_RE_EINVAL;
	for (pc = 0; pc < ninsns; pc++) {
		if (!insn_ok(p + BT_RE_HDR_SIZE + (size_t)pc * BT_RE_INSN_SIZE,
			     pc, ninsns, nclasses, ngroups))
			return BT_RE_EINVAL;
	}
	return 0;
}

uint32_t bt_regex_cost(const void *prog)
{
	const uint8_t *p = prog;

	return (uint32_t)bt_re_rd16(p + 8) * (1u + bt_re_rd16(p + 6));
}

int bt_regex_ngroups(const void *prog)
{
	return bt_re_rd16((const uint8_t *)prog + 6);
}

/* ------------------------------------------------------------------ */
/* Matching                                                            */
/* ------------------------------------------------------------------ */

/* A thread list: a sparse set of instructions, each with its captures. */
struct re_list {
	int32_t *dense;		/* [ninsns] instruction of entry i */
	int32_t *sparse;	/* [ninsns] entry of instruction pc */
	int32_t *caps;		/* [ninsns * nslots] captures of entry i */
	uint32_t n;
};

struct re_vm {
	const uint8_t *code;
	const uint8_t *classes;
	uint32_t ninsns, nslots;
	const uint8_t *str;
	size_t len;
	bool any_match;		/* yes/no only: stop at the first match */
	struct re_list lists[2];
	int32_t *stack;		/* [2 * (ninsns + 2)] closure work */
	int32_t *work;		/* [nslots] captures along the closure */
	int32_t *best;		/* [nslots] best match so far */
};

static size_t scratch_words(uint32_t ninsns, uint32_t nslots)
{
	return 2 * ((size_t)ninsns * (2 + nslots)) + 2 * ((size_t)ninsns + 2) +
	       2 * (size_t)nslots;
}

size_t bt_regex_scratch_size(const void *prog)
{
	const uint8_t *p = prog;

	return scratch_words(bt_re_rd16(p + 8), 2u * bt_re_rd16(p + 6)) * sizeof(int32_t) +
	       sizeof(int32_t);
}

static bool in_list(const struct re_list *l, uint32_t pc)
{
	uint32_t k = (uint32_t)l->sparse[pc];

	return k < l->n && (uint32_t)l->dense[k] == pc;
}

/*
 * Add the thread at pc, position pos, captures caps, and everything it
 * reaches without consuming a byte, in priority order.  A state already
 * in the list keeps its earlier (better) thread.  Each instruction is
 * entered at most once per list per step, and pushes at most one stack
 * entry, so the stack holds at most ninsns + 1 entries.
 */
static void add_thread(struct re_vm *vm, struct re_list *l, uint32_t pc0,
		       size_t pos, const int32_t *caps)
{
	int32_t *st = vm->stack;
	uint32_t sp = 0;

	bt_memcpy(vm->work, caps, vm->nslots * sizeof(int32_t));
	st[sp++] = (int32_t)pc0;
	st[sp++] = 0;
	while (sp) {
		int32_t a, b;
		uint32_t pc;

		sp -= 2;
		a = st[sp];
		b = st[sp + 1];
		if (a < 0) {		/* undo a SAVE on the way back */
			vm->work[-1 - a] = b;
			continue;
		}
		pc = (uint32_t)a;
		while (!in_list(l, pc)) {
			const uint8_t *p = vm->code + (size_t)pc * BT_RE_INSN_SIZE;
			uint32_t k = l->n++;

			l->dense[k] = (int32_t)pc;
			l->sparse[pc] = (int32_t)k;
			switch (p[0]) {
			case BT_RE_OP_JMP:
				pc = bt_re_rd16(p + 2);
				continue;
			case BT_RE_OP_SPLIT:
				st[sp++] = bt_re_rd16(p + 4);
				st[sp++] = 0;
				pc = bt_re_rd16(p + 2);
				continue;
			case BT_RE_OP_SAVE:
				/* slots the caller did not ask for are skipped */
				if (p[1] < vm->nslots) {
					st[sp++] = -1 - (int32_t)p[1];
					st[sp++] = vm->work[p[1]];
					vm->work[p[1]] = (int32_t)pos;
				}
				pc++;
				continue;
			case BT_RE_OP_BOL:
				if (pos != 0)
					break;
				pc++;
				continue;
			default:	/* consumes a byte or the end, or MATCH */
				bt_memcpy(l->caps + (size_t)k * vm->nslots,
					  vm->work, vm->nslots * sizeof(int32_t));
				break;
			}
			break;
		}
	}
}

static bool byte_ok(const struct re_vm *vm, const uint8_t *p, uint8_t ch)
{
	const uint8_t *cls;

	switch (p[0]) {
	case BT_RE_OP_CHAR:
		return ch == p[1];
	case BT_RE_OP_ANY:
		return ch != 0;
	case BT_RE_OP_CLASS:
		cls = vm->classes + (size_t)bt_re_rd16(p + 2) * BT_RE_CLASS_SIZE;
		return cls[ch >> 3] & (1u << (ch & 7));
	default:
		return false;
	}
}

/*
 * One step at pos: MATCH states update the best match (earliest start,
 * then longest); byte-consuming states move to the next list, and so
 * does EOL at the end: like stap's `$`, it consumes the string's
 * terminating NUL (position len + 1), after which nothing but MATCH can
 * follow - so "$^" and "$$" never match.  Threads that started after
 * the best match's start cannot win and stop.
 */
static void step(struct re_vm *vm, struct re_list *cl, struct re_list *nl,
		 size_t pos, bool *found)
{
	uint32_t i;

	nl->n = 0;
	for (i = 0; i < cl->n; i++) {
		uint32_t pc = (uint32_t)cl->dense[i];
		const uint8_t *p = vm->code + (size_t)pc * BT_RE_INSN_SIZE;
		const int32_t *tc = cl->caps + (size_t)i * vm->nslots;

		if (p[0] != BT_RE_OP_MATCH && p[0] != BT_RE_OP_CHAR &&
		    p[0] != BT_RE_OP_ANY && p[0] != BT_RE_OP_CLASS &&
		    p[0] != BT_RE_OP_EOL)
			continue;
		if (*found && tc[0] > vm->best[0])
			continue;
		if (p[0] == BT_RE_OP_MATCH) {
			if (!*found || tc[0] < vm->best[0] ||
			    (tc[0] == vm->best[0] && tc[1] > vm->best[1])) {
				bt_memcpy(vm->best, tc,
					  vm->nslots * sizeof(int32_t));
				*found = true;
			}
			if (vm->any_match)
				return;
			continue;
		}
		if (p[0] == BT_RE_OP_EOL) {
			if (pos == vm->len)
				add_thread(vm, nl, pc + 1, pos + 1, tc);
		} else if (pos < vm->len && byte_ok(vm, p, vm->str[pos])) {
			add_thread(vm, nl, pc + 1, pos + 1, tc);
		}
	}
}

static void vm_setup(struct re_vm *vm, const uint8_t *p, int32_t *w)
{
	uint32_t n = vm->ninsns, s = vm->nslots, k;

	vm->code = p + BT_RE_HDR_SIZE;
	vm->classes = vm->code + (size_t)n * BT_RE_INSN_SIZE;
	for (k = 0; k < 2; k++) {
		vm->lists[k].dense = w;
		w += n;
		vm->lists[k].sparse = w;
		w += n;
		vm->lists[k].caps = w;
		w += (size_t)n * s;
		vm->lists[k].n = 0;
		bt_memset(vm->lists[k].sparse, 0, n * sizeof(int32_t));
	}
	vm->stack = w;
	w += 2 * ((size_t)n + 2);
	vm->work = w;
	w += s;
	vm->best = w;
	for (k = 0; k < s; k++)
		vm->best[k] = -1;
}

int bt_regex_match(const void *prog, const char *str, size_t len,
		   int32_t *caps, size_t ncaps, void *scratch,
		   size_t scratch_size)
{
	return bt_regex_match_timed(prog, str, len, caps, ncaps, scratch,
				    scratch_size, NULL, NULL);
}

int bt_regex_match_timed(const void *prog, const char *str, size_t len,
			 int32_t *caps, size_t ncaps, void *scratch,
			 size_t scratch_size,
			 int (*tick)(void *arg, uint32_t steps), void *arg)
{
	const uint8_t *p = prog;
	struct re_vm vm;
	uintptr_t base;
	size_t pos, k;
	bool found = false;
	int cur = 0;
	uint32_t steps = 0;

	if (!p || (!str && len) || (!caps && ncaps) || !scratch ||
	    len > 0x7ffffffe)
		return BT_RE_EINVAL;
	if (scratch_size < bt_regex_scratch_size(prog))
		return BT_RE_ESCRATCH;
	vm.ninsns = bt_re_rd16(p + 8);
	/*
	 * Track only the capture slots asked for (at least group 0, which
	 * leftmost-longest needs); with none asked for, any match will do.
	 */
	vm.nslots = 2u * bt_re_rd16(p + 6);
	if (ncaps < vm.nslots)
		vm.nslots = ncaps < 2 ? 2 : (uint32_t)ncaps & ~1u;
	vm.any_match = ncaps == 0;
	vm.str = (const uint8_t *)str;
	vm.len = len;
	base = ((uintptr_t)scratch + 3) & ~(uintptr_t)3;
	vm_setup(&vm, p, (int32_t *)base);

	/*
	 * One step per position, and one past the end for what follows a
	 * `$`; a new thread starts at each position until a match is found.
	 */
	for (pos = 0; pos <= len + 1; pos++) {
		if (!found && pos <= len)
			add_thread(&vm, &vm.lists[cur], 0, pos, vm.best);
		if (vm.lists[cur].n == 0 || (found && vm.any_match))
			break;
		/* each live thread costs about its capture slots to step */
		steps += vm.lists[cur].n * (1 + vm.nslots);
		step(&vm, &vm.lists[cur], &vm.lists[cur ^ 1], pos, &found);
		cur ^= 1;
		if (tick && steps >= BT_RE_TICK_STEPS) {
			if (tick(arg, steps))
				return BT_RE_ETIME;
			steps = 0;
		}
	}
	/* a position after the terminator is the end of the string */
	for (k = 0; k < ncaps; k++) {
		int32_t v = (found && k < vm.nslots) ? vm.best[k] : -1;

		caps[k] = v > (int32_t)len ? (int32_t)len : v;
	}
	return found ? 1 : 0;
}
