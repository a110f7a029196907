/*
 * target.c - target variables as builtin calls (see target.h).
 *
 * A target expression is walked left to right keeping a "typed value":
 * a BTF type plus either the value itself (a function argument, a
 * pointer just read) or the address of an object in kernel memory (a
 * struct member, an array element).  `->f` and `[i]` move the address;
 * the end of the chain reads the value with the read of its size.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "bt_glob.h"
#include "diag.h"
#include "points.h"
#include "probes/probes.h"
#include "target.h"

/* x86_64: the first six integer arguments travel in registers. */
#define MAX_ARG_SLOTS 64

/* --- building expressions ------------------------------------------------ */

struct lower {
	struct compiler *cc;
	const struct token *tok;	/* every new node points here */
	const struct btf *b;
	const char *why;
};

static struct expr *node(struct lower *L, enum expr_kind kind)
{
	struct expr *e = cc_alloc(L->cc, sizeof(*e));

	e->kind = kind;
	e->tok = L->tok;
	e->height = 1;
	return e;
}

static struct expr *height(struct expr *e)
{
	int h = 0, i;

	if (e->lhs && e->lhs->height > h)
		h = e->lhs->height;
	if (e->rhs && e->rhs->height > h)
		h = e->rhs->height;
	for (i = 0; i < e->nargs; i++)
		if (e->args[i]->height > h)
			h = e->args[i]->height;
	e->height = h + 1;
	return e;
}

static struct expr *num(struct lower *L, int64_t v)
{
	struct expr *e = node(L, E_NUM);

	e->num = v;
	return e;
}

static struct expr *str(struct lower *L, const char *s)
{
	struct expr *e = node(L, E_STR);

	e->str = cc_strdup(L->cc, s);
	e->str_len = strlen(s);
	return e;
}

static struct expr *call(struct lower *L, const char *fn, int n,
			 struct expr *a, struct expr *b)
{
	struct expr *e = node(L, E_CALL);

	e->name = fn;
	e->nargs = n;
	if (n) {
		e->args = cc_alloc(L->cc, sizeof(*e->args) * (size_t)n);
		e->args[0] = a;
		if (n > 1)
			e->args[1] = b;
	}
	return height(e);
}

static struct expr *bin(struct lower *L, enum op op, struct expr *l,
			struct expr *r)
{
	struct expr *e;

	if (op == OP_ADD && r->kind == E_NUM && r->num == 0)
		return l;
	if (op == OP_ADD && l->kind == E_BINARY && l->op == OP_ADD &&
	    l->rhs->kind == E_NUM && r->kind == E_NUM) {
		/* (p + 8) + 16 = p + 24: member chains fold their offsets */
		return bin(L, OP_ADD, l->lhs, num(L, l->rhs->num + r->num));
	}
	e = node(L, E_BINARY);
	e->op = op;
	e->lhs = l;
	e->rhs = r;
	return height(e);
}

static __attribute__((format(printf, 2, 3)))
void *failf(struct lower *L, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	L->why = cc_strdup(L->cc, buf);
	return NULL;
}

/* v narrowed to SIZE bytes, sign-extended if SIGNED. */
static struct expr *narrow(struct lower *L, struct expr *v, long size,
			   bool is_signed)
{
	int64_t sign;

	if (size >= 8)
		return v;
	v = bin(L, OP_BITAND, v, num(L, (int64_t)((1ull << (8 * size)) - 1)));
	if (!is_signed)
		return v;
	sign = (int64_t)(1ull << (8 * size - 1));
	return bin(L, OP_SUB, bin(L, OP_BITXOR, v, num(L, sign)), num(L, sign));
}

/* --- typed values ------------------------------------------------------------ */

struct tval {
	int type;		/* BTF type, unstripped */
	struct expr *val;	/* the value itself, or */
	bool exact;		/* ... already of the type's width and sign */
	struct expr *addr;	/* where it lives in kernel memory */
	uint32_t bitoff;	/* bitfield: bit offset from addr, */
	uint32_t bits;		/* and width (0: not a bitfield) */
};

static const char *tname(struct lower *L, int type)
{
	return cc_strdup(L->cc, kbtf_type_name(L->b, type));
}

/* Read SIZE bytes at ADDR as an integer. */
static struct expr *read_int(struct lower *L, struct expr *addr, long size,
			     bool is_signed)
{
	static const char *const readers[] = {
		[1] = "kernel_char", [2] = "kernel_short", [4] = "kernel_int",
		[8] = "kernel_long",
	};
	struct expr *v;

	if (size != 1 && size != 2 && size != 4 && size != 8)
		return failf(L, "cannot read a %ld-byte integer", size);
	v = call(L, readers[size], 1, addr, NULL);
	/* the kernel_* reads sign-extend */
	return is_signed || size == 8 ? v : narrow(L, v, size, false);
}

static struct expr *read_bitfield(struct lower *L, const struct tval *tv)
{
	uint32_t byte = tv->bitoff / 8, shift = tv->bitoff % 8;
	uint32_t need = shift + tv->bits;
	long size = need <= 8 ? 1 : need <= 16 ? 2 : need <= 32 ? 4 : 8;
	struct expr *v;

	if (need > 64)
		return failf(L, "bitfield too wide");
	v = read_int(L, bin(L, OP_ADD, tv->addr, num(L, byte)), size, false);
	if (size == 8)	/* kernel_long sign-extends; >> must not */
		v = bin(L, OP_USHR, v, num(L, shift));
	else if (shift)
		v = bin(L, OP_SHR, v, num(L, shift));
	v = bin(L, OP_BITAND, v, num(L, tv->bits == 64 ? -1 :
				    (int64_t)((1ull << tv->bits) - 1)));
	if (kbtf_is_signed(L->b, tv->type) && tv->bits < 64) {
		int64_t sign = (int64_t)(1ull << (tv->bits - 1));

		v = bin(L, OP_SUB, bin(L, OP_BITXOR, v, num(L, sign)), num(L, sign));
	}
	return v;
}

/* The value of tv, as the script sees it: a number, or a string for a
 * char array. */
static struct expr *rvalue(struct lower *L, const struct tval *tv)
{
	long size = kbtf_size(L->b, tv->type);
	uint32_t n;
	int elem;

	switch (kbtf_class(L->b, tv->type)) {
	case KBTF_INT:
	case KBTF_PTR:
		if (tv->val)
			return tv->exact ? tv->val : narrow(L, tv->val, size,
				kbtf_is_signed(L->b, tv->type));
		if (tv->bits)
			return read_bitfield(L, tv);
		return read_int(L, tv->addr, size, kbtf_is_signed(L->b, tv->type));
	case KBTF_ARRAY:
		elem = kbtf_array_elem(L->b, tv->type, &n);
		if (tv->addr && kbtf_is_char(L->b, elem))
			return call(L, "kernel_string_n", 2, tv->addr,
				    num(L, n ? n : 1));
		return failf(L, "'%s' is an array: index it, or take its address "
			     "with &", tname(L, tv->type));
	case KBTF_STRUCT:
		return failf(L, "'%s' is not a value: use -> to read a member, "
			     "& for its address, or $var$ to print it", tname(L, tv->type));
	default:
		return failf(L, "'%s' has no value bytetap can read", tname(L, tv->type));
	}
}

static bool member(struct lower *L, struct tval *tv, const char *name)
{
	struct expr *base;
	uint32_t off, bits;
	int st, m;

	switch (kbtf_class(L->b, tv->type)) {
	case KBTF_PTR:
		base = rvalue(L, tv);
		st = kbtf_pointee(L->b, tv->type);
		break;
	case KBTF_STRUCT:
		if (!tv->addr) {
			failf(L, "'%s' passed by value: its members cannot be "
			      "read", tname(L, tv->type));
			return false;
		}
		base = tv->addr;
		st = tv->type;
		break;
	default:
		failf(L, "'->%s' on '%s', which is not a struct or a pointer to "
		      "one", name, tname(L, tv->type));
		return false;
	}
	if (!base)
		return false;
	if (kbtf_class(L->b, st) != KBTF_STRUCT) {
		failf(L, "'->%s' on a pointer to '%s', which is not a struct",
		      name, tname(L, st));
		return false;
	}
	m = kbtf_member(L->b, st, name, &off, &bits);
	if (m < 0) {
		failf(L, "unable to find member '%s' for %s", name, tname(L, st));
		return false;
	}
	tv->type = m;
	tv->val = NULL;
	tv->exact = false;
	if (bits) {
		tv->addr = base;
		tv->bitoff = off;
		tv->bits = bits;
	} else {
		tv->addr = bin(L, OP_ADD, base, num(L, off / 8));
		tv->bits = 0;
	}
	return true;
}

static bool element(struct lower *L, struct tval *tv, struct expr *index)
{
	struct expr *base;
	uint32_t n;
	int elem;
	long size;

	switch (kbtf_class(L->b, tv->type)) {
	case KBTF_PTR:
		base = rvalue(L, tv);
		elem = kbtf_pointee(L->b, tv->type);
		break;
	case KBTF_ARRAY:
		if (!tv->addr) {
			failf(L, "an array passed by value");
			return false;
		}
		base = tv->addr;
		elem = kbtf_array_elem(L->b, tv->type, &n);
		break;
	default:
		failf(L, "'[]' on '%s', which is not an array or a pointer", tname(L, tv->type));
		return false;
	}
	size = kbtf_size(L->b, elem);
	if (!base)
		return false;
	if (size <= 0) {
		failf(L, "cannot index '%s': its elements have no size", tname(L, tv->type));
		return false;
	}
	tv->type = elem;
	tv->val = NULL;
	tv->exact = false;
	tv->bits = 0;
	if (index->kind == E_NUM)
		tv->addr = bin(L, OP_ADD, base, num(L, index->num * size));
	else
		tv->addr = bin(L, OP_ADD, base,
			       bin(L, OP_MUL, index, num(L, size)));
	return true;
}

/* --- pretty printing: $$parms, $var$ ------------------------------------------- */

struct fmt {
	char *text;
	size_t len, cap;
	struct expr **args;
	int nargs, cap_args;
};

static void fmt_add(struct lower *L, struct fmt *f, const char *s)
{
	size_t n = strlen(s);

	if (f->len + n + 1 > f->cap) {
		size_t cap = (f->len + n + 1) * 2;
		char *t = cc_alloc(L->cc, cap);

		if (f->len)
			memcpy(t, f->text, f->len);
		f->text = t;
		f->cap = cap;
	}
	memcpy(f->text + f->len, s, n + 1);
	f->len += n;
}

static void fmt_arg(struct lower *L, struct fmt *f, const char *conv,
		    struct expr *v)
{
	if (f->nargs == f->cap_args) {
		int cap = f->cap_args ? f->cap_args * 2 : 8;
		struct expr **a = cc_alloc(L->cc, sizeof(*a) * (size_t)cap);

		if (f->nargs)
			memcpy(a, f->args, sizeof(*a) * (size_t)f->nargs);
		f->args = a;
		f->cap_args = cap;
	}
	f->args[f->nargs++] = v;
	fmt_add(L, f, conv);
}

static struct expr *fmt_sprintf(struct lower *L, struct fmt *f)
{
	struct expr *e = node(L, E_PRINT);

	e->name = "sprintf";
	e->print_kind = PRINT_F;
	e->is_sprint = true;
	e->str = f->text ? f->text : "";
	e->str_len = f->len;
	e->args = f->args;
	e->nargs = f->nargs;
	return height(e);
}

/*
 * One value in SystemTap's pretty style: numbers in hex for $$parms
 * (pretty == 0), in decimal inside $x$ structs; pointers in hex; char
 * arrays quoted; a nested struct is {...} at depth 1 ($x$) or expanded
 * ($x$$, up to depth 2).
 */
static void pretty_value(struct lower *L, struct fmt *f, const struct tval *tv,
			 int pretty, int depth)
{
	enum kbtf_class c = kbtf_class(L->b, tv->type);
	uint32_t n;

	if (c == KBTF_PTR && pretty && depth == 0 &&
	    kbtf_class(L->b, kbtf_pointee(L->b, tv->type)) == KBTF_STRUCT) {
		/* $file$: the struct the pointer points at, as stap shows it */
		struct tval st = { .type = kbtf_pointee(L->b, tv->type),
				   .addr = rvalue(L, tv) };

		if (st.addr) {
			pretty_value(L, f, &st, pretty, depth);
			return;
		}
	}
	if (c == KBTF_STRUCT && tv->addr && pretty && depth < pretty) {
		int st = kbtf_strip(L->b, tv->type), i, shown = 0;
		const char *sep = "";

		fmt_add(L, f, "{");
		/* members by walking the names BTF lists */
		for (i = 0; shown < 24; i++) {
			struct tval m = *tv;
			const char *mn = kbtf_member_name(L->b, st, i);

			if (!mn)
				break;
			if (!*mn)
				continue;	/* anonymous union: skipped */
			if (!member(L, &m, mn)) {
				L->why = NULL;
				continue;
			}
			fmt_add(L, f, sep);
			fmt_add(L, f, cc_printf(L->cc, ".%s=", mn));
			pretty_value(L, f, &m, pretty, depth + 1);
			sep = ", ";
			shown++;
		}
		fmt_add(L, f, "}");
		return;
	}
	if (c == KBTF_STRUCT || (c == KBTF_ARRAY && !tv->addr)) {
		fmt_add(L, f, "{...}");
		return;
	}
	if (c == KBTF_ARRAY) {
		if (kbtf_is_char(L->b, kbtf_array_elem(L->b, tv->type, &n))) {
			fmt_arg(L, f, "\"%s\"", rvalue(L, tv));
			return;
		}
		fmt_add(L, f, "[...]");
		return;
	}
	if (c == KBTF_INT || c == KBTF_PTR) {
		struct expr *v = rvalue(L, tv);

		if (v)
			fmt_arg(L, f, c == KBTF_INT && pretty ? "%d" : "0x%x", v);
		else
			fmt_add(L, f, "?");
		L->why = NULL;
		return;
	}
	fmt_add(L, f, "?");
}

/* --- contexts ------------------------------------------------------------------ */

/* The BTF that types pi's function or tracepoint. */
const struct btf *target_btf(const struct point_info *pi, const char **why)
{
	return pi->module ? kbtf_module(pi->module, why) : kbtf_vmlinux(why);
}

/* A tracepoint's argument names, copied into the arena. */
static const char **trace_names(struct compiler *cc, const struct btf *b,
				const char *name, int *proto)
{
	const char **names = NULL, **v = NULL;
	int i, n;

	*proto = kbtf_tracepoint(b, name, &names);
	if (!names)
		return NULL;
	n = kbtf_nparams(b, *proto);
	v = cc_alloc(cc, sizeof(*v) * (size_t)(n + 1));
	for (i = 1; i < n; i++) {
		v[i] = cc_strdup(cc, names[i]);
		free((char *)names[i]);
	}
	free(names);
	return v;
}

struct target_ctx *target_ctx_of(struct compiler *cc,
				 const struct probe_point *pp, const char **why)
{
	return probe_context(cc, pp, why);
}

/*
 * A context of KIND at point PI, named "WHAT PATTERN", on the BTF the point
 * reads; NULL (and *why) when there is no BTF.
 */
static struct target_ctx *new_point_ctx(struct compiler *cc,
					const struct point_info *pi,
					enum target_kind kind,
					const char *what, const char **why)
{
	const struct btf *b = target_btf(pi, why);
	struct target_ctx *ctx;

	if (!b)
		return NULL;
	ctx = cc_alloc(cc, sizeof(*ctx));
	ctx->btf = b;
	ctx->kind = kind;
	ctx->where = cc_printf(cc, "%s %s", what, pi->pattern);
	return ctx;
}

struct target_ctx *target_trace_ctx(struct compiler *cc,
				    const struct point_info *pi, const char **why)
{
	struct target_ctx *ctx = new_point_ctx(cc, pi, TCTX_TRACE,
					       "tracepoint", why);

	if (!ctx)
		return NULL;
	ctx->names = trace_names(cc, ctx->btf, pi->pattern, &ctx->proto);
	if (ctx->proto < 0) {
		*why = cc_printf(cc, "no tracepoint %s in the kernel's BTF",
				 pi->pattern);
		return NULL;
	}
	return ctx;
}

struct target_ctx *target_func_ctx(struct compiler *cc,
				   const struct point_info *pi, const char **why)
{
	struct target_ctx *ctx = new_point_ctx(cc, pi, pi->ret ? TCTX_RETURN :
					       TCTX_FUNC, "function", why);

	if (!ctx)
		return NULL;
	ctx->proto = kbtf_func(ctx->btf, pi->pattern);
	if (ctx->proto < 0) {
		*why = cc_printf(cc, "no function %s in the %s BTF", pi->pattern,
				 pi->module ? "module's" : "kernel's");
		return NULL;
	}
	return ctx;
}

struct target_ctx *target_entry_ctx(struct compiler *cc,
				    const struct target_ctx *ret)
{
	struct target_ctx *c = cc_alloc(cc, sizeof(*c));

	*c = *ret;
	c->kind = TCTX_FUNC;
	return c;
}

struct probe_point *target_entry_point(struct compiler *cc,
				       const struct probe_point *pp)
{
	struct probe_point *np = cc_alloc(cc, sizeof(*np));
	struct point_info pi;

	point_info(cc, pp, &pi);
	*np = *pp;
	np->ncomps = pi.comp + 1;
	np->text = point_text(cc, np->comps, np->ncomps);
	np->cond = NULL;
	return np;
}

/* --- lowering --------------------------------------------------------------------- */

bool target_is_return_value(const struct expr *e)
{
	return e->kind == E_TARGET &&
	       (!strcmp(e->name, "$return") || !strcmp(e->name, "$$return"));
}

/* The x86_64 register or stack slot (1-based) of parameter i. */
static int arg_slot(const struct target_ctx *ctx, int i, const char **why)
{
	int slot = 1, k;

	if (ctx->kind == TCTX_TRACE)
		return i;	/* the tracepoint's own argument list */
	for (k = 0; k < i; k++) {
		long size = kbtf_size(ctx->btf, kbtf_param_type(ctx->btf, ctx->proto, k));

		/* a struct of 9..16 bytes takes two registers; a bigger one
		 * goes on the stack before the register arguments run out */
		slot += size > 8 && size <= 16 ? 2 : size > 16 ? 0 : 1;
	}
	if (kbtf_size(ctx->btf, kbtf_param_type(ctx->btf, ctx->proto, i)) > 8) {
		*why = "a struct passed by value cannot be read";
		return -1;
	}
	return slot;
}

/* The parameters a context offers, as (name, index) in order. */
static int first_param(const struct target_ctx *ctx)
{
	return ctx->kind == TCTX_TRACE ? 1 : 0;	/* skip void *__data */
}

static const char *param_name(const struct target_ctx *ctx, int i)
{
	return ctx->kind == TCTX_TRACE ? ctx->names[i] :
		kbtf_param_name(ctx->btf, ctx->proto, i);
}

/*
 * Parameter i as it arrives: the argument builtin of its width reads it
 * already sign- or zero-extended (one VM call, where masking a 64-bit read
 * would add arithmetic to every hit); 1- and 2-byte ones are narrowed by
 * rvalue().
 */
static bool arg_value(struct lower *L, const struct target_ctx *ctx, int i,
		      struct tval *tv)
{
	int slot = arg_slot(ctx, i, &L->why);
	long size;
	const char *fn = "u64_arg";

	tv->type = kbtf_param_type(ctx->btf, ctx->proto, i);
	if (slot < 0)
		return false;
	size = kbtf_size(ctx->btf, tv->type);
	tv->exact = size == 8 || size == 4;
	if (size == 4)
		fn = kbtf_is_signed(ctx->btf, tv->type) ? "s32_arg" : "u32_arg";
	tv->val = call(L, fn, 1, num(L, slot), NULL);
	return true;
}

/* $$parms / $$vars / $$return as sprintf(...) */
static struct expr *all_params(struct lower *L, const struct target_ctx *ctx,
			       const struct expr *e)
{
	struct fmt f = { 0 };
	int i, n;

	if (!strcmp(e->name, "$$return")) {
		struct tval tv = { .type = kbtf_return_type(ctx->btf, ctx->proto) };

		if (ctx->kind != TCTX_RETURN)
			return failf(L, "$$return is only available in .return "
				     "probes");
		if (!tv.type)
			return str(L, "");
		tv.val = call(L, "returnval", 0, NULL, NULL);
		fmt_add(L, &f, "return=");
		pretty_value(L, &f, &tv, e->pretty, 0);
		return fmt_sprintf(L, &f);
	}
	if (!strcmp(e->name, "$$locals"))
		return str(L, "");	/* BTF knows no locals */
	if (strcmp(e->name, "$$parms") && strcmp(e->name, "$$vars"))
		return failf(L, "unknown context variable %s", e->name);
	n = kbtf_nparams(ctx->btf, ctx->proto);
	for (i = first_param(ctx); i < n; i++) {
		struct tval tv = { 0 };

		fmt_add(L, &f, cc_printf(L->cc, "%s%s=", f.len ? " " : "",
					 param_name(ctx, i)));
		if (!arg_value(L, ctx, i, &tv)) {
			L->why = NULL;
			fmt_add(L, &f, "{...}");
			continue;
		}
		pretty_value(L, &f, &tv, e->pretty, 0);
	}
	return fmt_sprintf(L, &f);
}

/* Where a named target starts: a parameter or $return. */
static bool start_target(struct lower *L, const struct target_ctx *ctx,
			 const struct expr *e, struct tval *tv)
{
	const char *name = e->name + 1;
	int i, n;

	if (!strcmp(name, "return")) {
		if (ctx->kind != TCTX_RETURN) {
			failf(L, "$return is only available in .return probes");
			return false;
		}
		tv->type = kbtf_return_type(ctx->btf, ctx->proto);
		if (!tv->type) {
			failf(L, "%s returns void", ctx->where);
			return false;
		}
		tv->val = call(L, "returnval", 0, NULL, NULL);
		return true;
	}
	n = kbtf_nparams(ctx->btf, ctx->proto);
	for (i = first_param(ctx); i < n; i++) {
		if (strcmp(param_name(ctx, i), name))
			continue;
		return arg_value(L, ctx, i, tv);
	}
	{
		const char *have = "";

		for (i = first_param(ctx); i < n; i++)
			have = cc_printf(L->cc, "%s $%s", have, param_name(ctx, i));
		failf(L, "unable to find parameter '%s' (available:%s)", e->name,
		      *have ? have : " none");
	}
	return false;
}

/*
 * The BTF of @cast's MODULES, as stap searches them: a list split by ':',
 * tried in order, the first that has type NAME winning.  "kernel..." and a
 * "<header.h>" (stap compiles the header; its types are the kernel's UAPI
 * ones, which the kernel's BTF has) mean vmlinux.
 */
static const struct btf *cast_btf(struct compiler *cc, const char *modules,
				  const char *name, int *type,
				  const char **module, const char **why)
{
	const char *p = modules, *bwhy = NULL;
	const struct btf *b;

	*why = NULL;
	while (*p) {
		size_t n = strcspn(p, ":");
		char *m = cc_printf(cc, "%.*s", (int)n, p);

		if (!strncmp(m, "kernel", 6) || m[0] == '<' || !*m)
			m = "kernel";
		b = kbtf_module(m, &bwhy);
		if (b && (*type = kbtf_named_type(b, name)) >= 0) {
			*module = m;
			return b;
		}
		if (!*why)
			*why = b ? cc_printf(cc, "type '%s' not found in the %s BTF",
					     name, m) : bwhy;
		p += n;
		if (*p == ':')
			p++;
	}
	if (!*why)
		*why = "no module named";
	return NULL;
}

struct expr *target_lower(struct compiler *cc, const struct target_ctx *ctx,
			  const struct expr *e, const char **why,
			  const struct token **at)
{
	struct lower L = { .cc = cc, .tok = e->tok };
	struct tval tv = { 0 };
	struct expr *r = NULL;
	int i;

	if (e->kind == E_CAST) {
		const char *module = NULL;
		int type;

		L.b = cast_btf(cc, e->str2 ? e->str2 : "kernel", e->str,
			       &type, &module, why);
		if (!L.b)
			return NULL;
		if (!e->ncomps && !e->pretty)
			return e->lhs;		/* @cast(p, "T") is p */
		tv.type = type;
		tv.addr = e->lhs;
	} else {
		if (!ctx) {
			*why = "no target variables here";
			return NULL;
		}
		L.b = ctx->btf;
		if (e->name[0] == '@') {
			*why = "@var needs debuginfo, which bytetap does not read; "
			       "use @cast";
			return NULL;
		}
		if (e->name[1] == '$') {
			r = all_params(&L, ctx, e);
			goto out;
		}
		if (!start_target(&L, ctx, e, &tv))
			goto out;
	}
	for (i = 0; i < e->ncomps; i++) {
		const struct target_comp *c = &e->comps[i];

		L.tok = c->tok ? c->tok : e->tok;
		if (!(c->is_index ? element(&L, &tv, c->index) :
				    member(&L, &tv, c->name)))
			goto out;
	}
	L.tok = e->tok;
	if (e->addr_of) {
		if (!tv.addr || tv.bits) {
			failf(&L, "cannot take the address of %s", tv.bits ?
			      "a bitfield" : "a value that is not in memory");
			goto out;
		}
		r = tv.addr;
	} else if (e->pretty) {
		struct fmt f = { 0 };

		pretty_value(&L, &f, &tv, e->pretty, 0);
		r = fmt_sprintf(&L, &f);
	} else {
		r = rvalue(&L, &tv);
	}
out:
	if (!r) {
		*why = L.why ? L.why : "cannot read this target variable";
		if (at)
			*at = L.tok;
	}
	return r;
}

const char *target_vars_text(struct compiler *cc, const struct target_ctx *ctx)
{
	const char *t = "";
	int i, n = kbtf_nparams(ctx->btf, ctx->proto);

	for (i = first_param(ctx); i < n; i++)
		t = cc_printf(cc, "%s $%s:%s", t, param_name(ctx, i),
			      kbtf_type_name(ctx->btf,
					     kbtf_param_type(ctx->btf, ctx->proto, i)));
	if (ctx->kind == TCTX_RETURN && kbtf_return_type(ctx->btf, ctx->proto))
		t = cc_printf(cc, "%s $return:%s", t,
			      kbtf_type_name(ctx->btf,
					     kbtf_return_type(ctx->btf, ctx->proto)));
	return t;
}
