// SPDX-License-Identifier: GPL-2.0
/*
 * regex_compile.c - compile SystemTap-dialect EREs to the Pike VM program
 * that the core validates and runs (bytecode/bt_regex.c).  User space
 * only: the module never compiles a pattern.
 *
 * The compiler works without recursion or allocation: it reads the
 * pattern once, left to right, keeping a stack of open parentheses and,
 * per level, at most three code fragments (the alternatives so far, and
 * up to two atoms of the current one).  Fragments are contiguous ranges
 * of instructions, emitted in pattern order, with jumps relative while
 * compiling, so wrapping a fragment (inserting a SPLIT before it) or
 * copying it (for {m,n}) is a memmove/memcpy.  Jumps become absolute at
 * the end.  All its state lives in the caller's output buffer.
 */
#include "regex_compile.h"
#include "bt_util.h"

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void wr32(uint8_t *p, uint32_t v)
{
	wr16(p, (uint16_t)v);
	wr16(p + 2, (uint16_t)(v >> 16));
}

/* ------------------------------------------------------------------ */
/* Compiler state                                                      */
/* ------------------------------------------------------------------ */

#define FRAG_ANCHOR	1	/* a bare ^ or $: no quantifier allowed */

struct re_frag {
	uint32_t start, end;	/* instructions [start, end) */
	uint32_t flags;
};

/* One open parenthesis (level 0: the whole pattern). */
struct re_level {
	int32_t group;		/* capture group number, -1 for (?:...) */
	uint32_t base;		/* its first fragment in frags[] */
	uint8_t has_alt;	/* frags[base] holds the alternatives so far */
	uint8_t natoms;		/* atoms of the current alternative: 0..2 */
};

struct re_comp {
	const uint8_t *pat;
	size_t len, i;
	uint8_t *out;		/* program: header, insns, ... */
	uint8_t *ctop;		/* classes: [ctop - 32 * nclasses, ctop) */
	uint32_t ninsns, nclasses, ngroups;
	uint32_t nfrags, nlevels;
	struct re_frag frags[3 * (BT_RE_MAX_DEPTH + 1)];
	struct re_level levels[BT_RE_MAX_DEPTH + 1];
	struct bt_regex_error *err;
};

/* Error text: a + b[0 .. blen) + d, cut to fit. */
static int fail(struct re_comp *c, int code, size_t off, const char *a,
		const char *b, size_t blen, const char *d)
{
	struct bt_regex_error *e = c->err;
	size_t n = 0, k, cap;

	if (!e)
		return code;
	cap = sizeof(e->msg) - 1;
	e->offset = off > 0x7fffffff ? -1 : (int32_t)off;
	for (k = 0; a && a[k] && n < cap; k++)
		e->msg[n++] = a[k];
	for (k = 0; b && k < blen && n < cap; k++)
		e->msg[n++] = b[k];
	for (k = 0; d && d[k] && n < cap; k++)
		e->msg[n++] = d[k];
	e->msg[n] = 0;
	return code;
}

static int fail_msg(struct re_comp *c, size_t off, const char *msg)
{
	return fail(c, BT_RE_ESYNTAX, off, msg, NULL, 0, NULL);
}

static uint8_t *insn(struct re_comp *c, uint32_t idx)
{
	return c->out + BT_RE_HDR_SIZE + (size_t)idx * BT_RE_INSN_SIZE;
}

static int too_big(struct re_comp *c)
{
	return fail(c, BT_RE_ETOOBIG, c->i, "regular expression too large",
		    NULL, 0, NULL);
}

/* Is there room for more instructions (and classes)? */
static int need_room(struct re_comp *c, uint32_t more_insns,
		     uint32_t more_classes)
{
	size_t insn_end, class_floor;

	if ((uint64_t)c->ninsns + more_insns + 1 > BT_RE_MAX_INSNS)
		return too_big(c);
	if (c->nclasses + more_classes > BT_RE_MAX_CLASSES)
		return fail(c, BT_RE_ETOOBIG, c->i,
			    "too many character classes", NULL, 0, NULL);
	insn_end = BT_RE_HDR_SIZE +
		   ((size_t)c->ninsns + more_insns + 1) * BT_RE_INSN_SIZE;
	class_floor = (size_t)(c->ctop - c->out) -
		      (size_t)(c->nclasses + more_classes) * BT_RE_CLASS_SIZE;
	if (insn_end > class_floor)
		return fail(c, BT_RE_ENOSPC, c->i, "output buffer too small",
			    NULL, 0, NULL);
	return 0;
}

/* A jump target, as stored while compiling: relative to idx. */
static uint16_t rel(uint32_t target, uint32_t idx)
{
	return (uint16_t)(int16_t)((int32_t)target - (int32_t)idx);
}

/*
 * Write instruction idx.  For SPLIT and JMP, x and y are targets (kept
 * relative until finish()); for CLASS, x is the class; else 0.
 */
static void put(struct re_comp *c, uint32_t idx, int op, int a,
		uint32_t x, uint32_t y)
{
	uint8_t *p = insn(c, idx);
	bool jump = op == BT_RE_OP_SPLIT || op == BT_RE_OP_JMP;

	p[0] = (uint8_t)op;
	p[1] = (uint8_t)a;
	wr16(p + 2, jump ? rel(x, idx) : (uint16_t)x);
	wr16(p + 4, op == BT_RE_OP_SPLIT ? rel(y, idx) : 0);
}

/* Open a gap of n instructions at pos (room already checked). */
static void gap(struct re_comp *c, uint32_t pos, uint32_t n)
{
	bt_memmove(insn(c, pos + n), insn(c, pos),
		   (size_t)(c->ninsns - pos) * BT_RE_INSN_SIZE);
	c->ninsns += n;
}

/* Append a copy of instructions [from, from + k) (room checked). */
static void copy_code(struct re_comp *c, uint32_t from, uint32_t k)
{
	bt_memcpy(insn(c, c->ninsns), insn(c, from),
		  (size_t)k * BT_RE_INSN_SIZE);
	c->ninsns += k;
}

/* ------------------------------------------------------------------ */
/* Fragments                                                           */
/* ------------------------------------------------------------------ */

static struct re_level *top_level(struct re_comp *c)
{
	return &c->levels[c->nlevels - 1];
}

static struct re_frag *top_frag(struct re_comp *c)
{
	return &c->frags[c->nfrags - 1];
}

/* Merge the two topmost fragments, which are adjacent, into one. */
static void concat_top(struct re_comp *c)
{
	struct re_frag *a = &c->frags[c->nfrags - 2];

	a->end = c->frags[c->nfrags - 1].end;
	a->flags = 0;
	c->nfrags--;
}

/* Push fragment f as the next atom of the current level. */
static void push_atom(struct re_comp *c, struct re_frag f)
{
	struct re_level *l = top_level(c);

	if (l->natoms == 2) {
		concat_top(c);
		l->natoms = 1;
	}
	c->frags[c->nfrags++] = f;
	l->natoms++;
}

static int emit_atom(struct re_comp *c, int op, int a, uint32_t x,
		     uint32_t flags)
{
	struct re_frag f;
	int rc = need_room(c, 1, 0);

	if (rc)
		return rc;
	f.start = c->ninsns;
	f.end = c->ninsns + 1;
	f.flags = flags;
	put(c, c->ninsns++, op, a, x, 0);
	push_atom(c, f);
	return 0;
}

/*
 * Close the current alternative of the top level: its atoms become one
 * fragment, joined with the earlier alternatives (if any) as
 *	SPLIT L1, L2; L1: <earlier>; JMP END; L2: <this>; END:
 * so earlier alternatives are preferred.
 */
static int end_alternative(struct re_comp *c)
{
	struct re_level *l = top_level(c);
	struct re_frag *a, *b;
	uint32_t s, m, e;
	int rc;

	if (l->natoms == 2)
		concat_top(c);
	if (l->natoms == 0) {
		struct re_frag f = { c->ninsns, c->ninsns, 0 };

		c->frags[c->nfrags++] = f;
	}
	l->natoms = 0;
	if (!l->has_alt) {
		l->has_alt = 1;
		top_frag(c)->flags = 0;
		return 0;
	}
	rc = need_room(c, 2, 0);
	if (rc)
		return rc;
	a = &c->frags[c->nfrags - 2];
	b = &c->frags[c->nfrags - 1];
	s = a->start;
	m = b->start;
	e = b->end;
	gap(c, s, 1);			/* a: [s+1, m+1), b: [m+1, e+1) */
	gap(c, m + 1, 1);		/* b: [m+2, e+2) */
	put(c, s, BT_RE_OP_SPLIT, 0, s + 1, m + 2);
	put(c, m + 1, BT_RE_OP_JMP, 0, e + 2, 0);
	a->end = e + 2;
	a->flags = 0;
	c->nfrags--;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Quantifiers                                                         */
/* ------------------------------------------------------------------ */

/* f{min,max} with max == -1 for no upper bound; greedy. */
static int repeat(struct re_comp *c, int32_t min, int32_t max)
{
	struct re_frag *f = top_frag(c);
	uint32_t s = f->start, k = f->end - f->start, end, i;
	uint64_t total;
	int rc;

	if (max == 0) {			/* x{0} and x{0,0}: nothing */
		c->ninsns = s;
		f->end = s;
		f->flags = 0;
		return 0;
	}
	if (max < 0) {
		if (min == 0) {		/* x*: L: SPLIT B, E; B: x; JMP L; E: */
			rc = need_room(c, 2, 0);
			if (rc)
				return rc;
			gap(c, s, 1);
			put(c, s, BT_RE_OP_SPLIT, 0, s + 1, s + k + 2);
			put(c, s + k + 1, BT_RE_OP_JMP, 0, s, 0);
			c->ninsns = s + k + 2;
			f->end = s + k + 2;
			f->flags = 0;
			return 0;
		}
		/* x{m,}: m - 1 copies, then x+ : L: x; SPLIT L, E; E: */
		total = (uint64_t)k * min + 1;
		if (total > BT_RE_MAX_INSNS)
			return too_big(c);
		rc = need_room(c, (uint32_t)(total - k), 0);
		if (rc)
			return rc;
		for (i = 1; i < (uint32_t)min; i++)
			copy_code(c, s, k);
		put(c, c->ninsns, BT_RE_OP_SPLIT, 0, c->ninsns - k,
		    c->ninsns + 1);
		c->ninsns++;
		f->end = c->ninsns;
		f->flags = 0;
		return 0;
	}
	/* x{m,n}: m copies, then n - m times "SPLIT +1, END; x" */
	total = (uint64_t)k * min + (uint64_t)(max - min) * (k + 1);
	if (total > BT_RE_MAX_INSNS)
		return too_big(c);
	rc = need_room(c, (uint32_t)(total > k ? total - k : 0), 0);
	if (rc)
		return rc;
	end = s + (uint32_t)total;
	if (min == 0) {
		gap(c, s, 1);
		put(c, s, BT_RE_OP_SPLIT, 0, s + 1, end);
		s++;
	}
	for (i = 1; i < (uint32_t)min; i++)
		copy_code(c, s, k);
	for (i = (min == 0); i < (uint32_t)(max - min); i++) {
		put(c, c->ninsns, BT_RE_OP_SPLIT, 0, c->ninsns + 1, end);
		c->ninsns++;
		copy_code(c, s, k);
	}
	f->end = c->ninsns;
	f->flags = 0;
	return 0;
}

/* Digits at the cursor, as stap reads a {m,n} count. */
static int parse_count(struct re_comp *c, int32_t *v)
{
	size_t from = c->i;
	int64_t n = 0;

	while (c->i < c->len && c->pat[c->i] >= '0' && c->pat[c->i] <= '9') {
		if (n <= BT_RE_MAX_REPEAT)
			n = n * 10 + (c->pat[c->i] - '0');
		c->i++;
	}
	if (c->i == from)
		return fail_msg(c, c->i, "expected number");
	if (n > BT_RE_MAX_REPEAT)
		return fail(c, BT_RE_ESYNTAX, from, "",
			    (const char *)c->pat + from, c->i - from,
			    " is too large");
	*v = (int32_t)n;
	return 0;
}

/* After '{': "m}", "m,}" or "m,n}". */
static int parse_braces(struct re_comp *c, int32_t *min, int32_t *max)
{
	int rc = parse_count(c, min);

	if (rc)
		return rc;
	if (c->i >= c->len)
		return fail_msg(c, c->i, "unexpected end of regex");
	if (c->pat[c->i] == '}') {
		c->i++;
		*max = *min;
		return 0;
	}
	if (c->pat[c->i] != ',')
		return fail_msg(c, c->i, "expected ',' or '}'");
	c->i++;
	if (c->i < c->len && c->pat[c->i] == '}') {
		c->i++;
		*max = -1;
		return 0;
	}
	if (c->i >= c->len || c->pat[c->i] < '0' || c->pat[c->i] > '9')
		return fail_msg(c, c->i, "expected '}' or number");
	rc = parse_count(c, max);
	if (rc)
		return rc;
	if (c->i >= c->len)
		return fail_msg(c, c->i, "expected }, found end of regex");
	if (c->pat[c->i] != '}')
		return fail(c, BT_RE_ESYNTAX, c->i, "expected }, found ",
			    (const char *)c->pat + c->i, 1, NULL);
	c->i++;
	if (*max < *min)
		return fail_msg(c, c->i - 1,
				"invalid repetition count: minimum above maximum");
	return 0;
}

static int quantifier(struct re_comp *c)
{
	char q = (char)c->pat[c->i];
	int32_t min = 0, max = -1;
	int rc;

	if (top_level(c)->natoms == 0)
		return fail(c, BT_RE_ESYNTAX, c->i, "unexpected '", &q, 1, "'");
	if (top_frag(c)->flags & FRAG_ANCHOR)
		return fail(c, BT_RE_ESYNTAX, c->i, "postfix closure '", &q, 1,
			    "' applied to anchoring operator");
	c->i++;
	if (q == '+') {
		min = 1;
	} else if (q == '?') {
		max = 1;
	} else if (q == '{') {
		rc = parse_braces(c, &min, &max);
		if (rc)
			return rc;
	}
	return repeat(c, min, max);
}

/* ------------------------------------------------------------------ */
/* Bracket expressions                                                 */
/* ------------------------------------------------------------------ */

static void set_range(uint8_t *bm, unsigned int lo, unsigned int hi)
{
	unsigned int b;

	for (b = lo; b <= hi && b < 256; b++)
		bm[b >> 3] |= (uint8_t)(1u << (b & 7));
}

/* Named classes: name, and (lo, hi) byte pairs. */
static const struct {
	char name[8];
	char ranges[10];
} named_classes[] = {
	{ "alpha", "AZaz" },
	{ "alnum", "AZaz09" },
	{ "blank", "  \t\t" },
	{ "cntrl", "\x01\x1f\x7f\x7f" },
	{ "d", "09" },
	{ "digit", "09" },
	{ "xdigit", "09afAF" },
	{ "graph", "\x21\x7e" },
	{ "l", "az" },
	{ "lower", "az" },
	{ "print", "\x20\x7e" },
	{ "punct", "\x21\x2f\x3a\x40\x5b\x60\x7b\x7e" },
	{ "s", "  \t\r" },
	{ "space", "  \t\r" },
	{ "u", "AZ" },
	{ "upper", "AZ" },
};

static bool named_class(const uint8_t *name, size_t n, uint8_t *bm)
{
	size_t k, j;

	for (k = 0; k < BT_ARRAY_SIZE(named_classes); k++) {
		const char *nm = named_classes[k].name;
		const char *r = named_classes[k].ranges;

		if (n >= sizeof(named_classes[k].name))
			continue;
		for (j = 0; j < n && nm[j] && nm[j] == (char)name[j]; j++)
			;
		if (j != n || nm[j])
			continue;
		for (j = 0; j + 1 < sizeof(named_classes[k].ranges) && r[j];
		     j += 2)
			set_range(bm, (uint8_t)r[j], (uint8_t)r[j + 1]);
		return true;
	}
	return false;
}

/* "[:name:]" at the cursor (which is at the '['). */
static int bracket_named(struct re_comp *c, uint8_t *bm)
{
	size_t from = c->i + 2, k;

	for (k = from; k < c->len; k++) {
		if (c->pat[k] == ':' && k + 1 < c->len && c->pat[k + 1] == ']')
			break;
	}
	if (k >= c->len) {
		c->i = c->len;
		return fail(c, BT_RE_ESYNTAX, c->len,
			    "unclosed character class '[:",
			    (const char *)c->pat + from, c->len - from, "'");
	}
	if (!named_class(c->pat + from, k - from, bm))
		return fail(c, BT_RE_ESYNTAX, from, "unknown character class '",
			    (const char *)c->pat + from, k - from, "'");
	c->i = k + 2;
	return 0;
}

/* One item of a bracket expression: a byte, a range, or [:name:]. */
static int bracket_item(struct re_comp *c, uint8_t *bm)
{
	uint8_t lo = c->pat[c->i], hi;

	if (lo == '[' && c->i + 1 < c->len && c->pat[c->i + 1] == ':')
		return bracket_named(c, bm);
	if (lo == '\\') {		/* stap: '\' escapes inside [] too */
		if (++c->i >= c->len)
			return fail_msg(c, c->i, "unexpected end of regex");
		lo = c->pat[c->i];
	}
	c->i++;
	if (c->i + 1 < c->len && c->pat[c->i] == '-' &&
	    c->pat[c->i + 1] != ']') {
		hi = c->pat[c->i + 1];
		if (hi < lo) {
			char r[3] = { (char)lo, '-', (char)hi };

			return fail(c, BT_RE_ESYNTAX, c->i + 1,
				    "Inverted character range ", r, 3, NULL);
		}
		c->i += 2;
		set_range(bm, lo, hi);
		return 0;
	}
	set_range(bm, lo, lo);
	return 0;
}

/* Index of class bm, adding it unless an equal one exists. */
static int add_class(struct re_comp *c, const uint8_t *bm, uint32_t *idx)
{
	uint8_t *base = c->ctop - (size_t)c->nclasses * BT_RE_CLASS_SIZE;
	uint32_t k;
	int rc;

	for (k = 0; k < c->nclasses; k++) {
		if (!bt_memcmp(base + (size_t)k * BT_RE_CLASS_SIZE, bm,
			       BT_RE_CLASS_SIZE)) {
			*idx = k;
			return 0;
		}
	}
	rc = need_room(c, 1, 1);
	if (rc)
		return rc;
	/* the block grows down: shift it, append at its end */
	bt_memmove(base - BT_RE_CLASS_SIZE, base,
		   (size_t)c->nclasses * BT_RE_CLASS_SIZE);
	bt_memcpy(c->ctop - BT_RE_CLASS_SIZE, bm, BT_RE_CLASS_SIZE);
	*idx = c->nclasses++;
	return 0;
}

/* After '[': items up to the closing ']' (a leading ']' is an item). */
static int bracket(struct re_comp *c)
{
	uint8_t bm[BT_RE_CLASS_SIZE];
	bool neg = false;
	uint32_t idx;
	size_t k;
	int rc;

	bt_memset(bm, 0, sizeof(bm));
	if (c->i < c->len && c->pat[c->i] == '^') {
		neg = true;
		c->i++;
	}
	/* each round consumes at least one byte */
	for (;;) {
		if (c->i >= c->len)
			return fail_msg(c, c->i, "unclosed character class");
		rc = bracket_item(c, bm);
		if (rc)
			return rc;
		if (c->i < c->len && c->pat[c->i] == ']')
			break;
	}
	c->i++;
	if (neg) {
		for (k = 0; k < sizeof(bm); k++)
			bm[k] = (uint8_t)~bm[k];
	}
	bm[0] &= (uint8_t)~1u;		/* never NUL */
	rc = add_class(c, bm, &idx);
	if (rc)
		return rc;
	return emit_atom(c, BT_RE_OP_CLASS, 0, idx, 0);
}

/* ------------------------------------------------------------------ */
/* Groups                                                              */
/* ------------------------------------------------------------------ */

static int open_group(struct re_comp *c)
{
	struct re_level *l;
	int32_t group = -1;

	c->i++;
	if (c->i < c->len && c->pat[c->i] == '?') {
		c->i++;
		if (c->i >= c->len)
			return fail_msg(c, c->i, "unexpected end of regex");
		if (c->pat[c->i] != ':')
			return fail(c, BT_RE_ESYNTAX, c->i, "unexpected '(?",
				    (const char *)c->pat + c->i, 1, "'");
		c->i++;
	} else {
		if (c->ngroups >= BT_RE_MAX_GROUPS)
			return fail(c, BT_RE_ETOOBIG, c->i - 1,
				    "too many groups", NULL, 0, NULL);
		group = (int32_t)c->ngroups++;
	}
	if (c->nlevels > BT_RE_MAX_DEPTH)
		return fail(c, BT_RE_ETOOBIG, c->i - 1,
			    "regular expression nested too deeply", NULL, 0,
			    NULL);
	l = &c->levels[c->nlevels++];
	l->group = group;
	l->base = c->nfrags;
	l->has_alt = 0;
	l->natoms = 0;
	return 0;
}

/* End the top level: one fragment, wrapped in SAVEs if it captures. */
static int close_level(struct re_comp *c, struct re_frag *out)
{
	struct re_level *l = top_level(c);
	struct re_frag f;
	int rc = end_alternative(c);

	if (rc)
		return rc;
	f = *top_frag(c);
	if (l->group >= 0) {
		rc = need_room(c, 2, 0);
		if (rc)
			return rc;
		gap(c, f.start, 1);
		put(c, f.start, BT_RE_OP_SAVE, 2 * l->group, 0, 0);
		put(c, f.end + 1, BT_RE_OP_SAVE, 2 * l->group + 1, 0, 0);
		c->ninsns = f.end + 2;
		f.end += 2;
	}
	f.flags = 0;
	c->nfrags--;
	c->nlevels--;
	*out = f;
	return 0;
}

static int close_group(struct re_comp *c)
{
	struct re_frag f;
	int rc;

	if (c->nlevels == 1) {
		/* stap's parser misses a stray ')' that ends the pattern */
		if (c->i + 1 == c->len) {
			c->i++;
			return 0;
		}
		return fail_msg(c, c->i, "unbalanced ')'");
	}
	rc = close_level(c, &f);
	if (rc)
		return rc;
	c->i++;
	push_atom(c, f);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Driver                                                              */
/* ------------------------------------------------------------------ */

static int compile_one(struct re_comp *c)
{
	uint8_t ch = c->pat[c->i];

	switch (ch) {
	case '(':
		return open_group(c);
	case ')':
		return close_group(c);
	case '|':
		c->i++;
		return end_alternative(c);
	case '*':
	case '+':
	case '?':
	case '{':
		return quantifier(c);
	case '^':
	case '$':
		c->i++;
		return emit_atom(c, ch == '^' ? BT_RE_OP_BOL : BT_RE_OP_EOL, 0,
				 0, FRAG_ANCHOR);
	case '.':
		c->i++;
		return emit_atom(c, BT_RE_OP_ANY, 0, 0, 0);
	case '[':
		c->i++;
		return bracket(c);
	case '\\':		/* the next byte, literally */
		if (++c->i >= c->len)
			return fail_msg(c, c->i, "unexpected end of regex");
		ch = c->pat[c->i++];
		return emit_atom(c, BT_RE_OP_CHAR, ch, 0, 0);
	default:
		c->i++;
		return emit_atom(c, BT_RE_OP_CHAR, ch, 0, 0);
	}
}

/* Relative jumps to absolute, classes after the code, the header. */
static size_t finish(struct re_comp *c)
{
	uint32_t k;
	size_t code_end, size;

	for (k = 0; k < c->ninsns; k++) {
		uint8_t *p = insn(c, k);

		if (p[0] == BT_RE_OP_SPLIT || p[0] == BT_RE_OP_JMP) {
			wr16(p + 2, (uint16_t)((int32_t)k + (int16_t)bt_re_rd16(p + 2)));
			if (p[0] == BT_RE_OP_SPLIT)
				wr16(p + 4, (uint16_t)((int32_t)k +
						       (int16_t)bt_re_rd16(p + 4)));
		}
	}
	code_end = BT_RE_HDR_SIZE + (size_t)c->ninsns * BT_RE_INSN_SIZE;
	bt_memmove(c->out + code_end,
		   c->ctop - (size_t)c->nclasses * BT_RE_CLASS_SIZE,
		   (size_t)c->nclasses * BT_RE_CLASS_SIZE);
	size = code_end + (size_t)c->nclasses * BT_RE_CLASS_SIZE;
	wr32(c->out, BT_RE_MAGIC);
	wr16(c->out + 4, BT_RE_VERSION);
	wr16(c->out + 6, (uint16_t)c->ngroups);
	wr16(c->out + 8, (uint16_t)c->ninsns);
	wr16(c->out + 10, (uint16_t)c->nclasses);
	wr32(c->out + 12, (uint32_t)size);
	return size;
}

int bt_regex_compile(const char *pat, size_t len, void *out, size_t cap,
		     size_t *size, struct bt_regex_error *err)
{
	uintptr_t top = (uintptr_t)out + cap;
	struct re_comp *c;
	struct re_frag whole;
	int rc = 0;

	if (err) {
		err->offset = -1;
		err->msg[0] = 0;
	}
	if (!out || !pat || cap < sizeof(*c) + BT_RE_HDR_SIZE + 256 ||
	    top < (uintptr_t)out) {
		if (err)
			bt_strlcpy(err->msg, "output buffer too small",
				   sizeof(err->msg));
		return BT_RE_ENOSPC;
	}
	/* the compiler's state sits at the top of the buffer */
	c = (struct re_comp *)((top - sizeof(*c)) & ~(uintptr_t)7);
	bt_memset(c, 0, sizeof(*c));
	c->pat = (const uint8_t *)pat;
	c->len = len;
	c->out = out;
	c->ctop = (uint8_t *)c;
	c->err = err;
	c->ngroups = 1;
	c->nlevels = 1;		/* level 0: the whole pattern, group 0 */

	/* every call consumes at least one byte or fails */
	while (rc == 0 && c->i < c->len)
		rc = compile_one(c);
	if (rc == 0 && c->nlevels > 1)
		rc = fail_msg(c, c->len, "expected ), found end of regex");
	if (rc == 0)
		rc = close_level(c, &whole);
	if (rc == 0)
		rc = need_room(c, 1, 0);
	if (rc)
		return rc;
	put(c, c->ninsns++, BT_RE_OP_MATCH, 0, 0, 0);
	if ((uint64_t)c->ninsns * (1 + c->ngroups) > BT_RE_MAX_COST)
		return fail(c, BT_RE_ETOOBIG, 0,
			    "regular expression too complex (instructions x groups)",
			    NULL, 0, NULL);
	*size = finish(c);
	return 0;
}
