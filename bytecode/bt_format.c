// SPDX-License-Identifier: GPL-2.0
/*
 * bt_format.c - SystemTap's printf grammar, its conversions, and its
 * histogram text.
 *
 * Written from SystemTap's documented and observed behaviour (stap 4.8):
 * the grammar is %[flag][width|*][.prec|.*][l]conv with a single flag
 * character; conversions follow the kernel-style number formatter stap's
 * runtime uses, which differs from C printf in a few visible ways
 * (noted where they happen).  Freestanding: no libc, no floating point,
 * no recursion, every loop bounded by its input or output size.
 */
#include "bt_format.h"
#include "bt_util.h"

/* ------------------------------------------------------------------ */
/* Parsing                                                             */
/* ------------------------------------------------------------------ */

static const char msg_badconv[] = "invalid or missing conversion specifier";
static const char msg_trailing[] =
	"trailing incomplete print format conversion";

const char *bt_fmt_strerror(int code)
{
	switch (code) {
	case BT_FMT_OK:
		return "success";
	case BT_FMT_EBADCONV:
		return msg_badconv;
	case BT_FMT_ETRAILING:
		return msg_trailing;
	case BT_FMT_ETOOMANY:
		return "too many format conversions";
	case BT_FMT_EARGS:
		return "format argument missing or of the wrong type";
	case BT_FMT_EEMPTY:
		return "empty aggregate";
	default:
		return "invalid argument";
	}
}

static bool fmt_isdigit(char c)
{
	return c >= '0' && c <= '9';
}

struct fmt_parser {
	const char *fmt;
	size_t len;
	struct bt_fmt_comp *comps;
	size_t max_comps;
	size_t ncomps;
	uint8_t *kinds;
	size_t max_kinds;
	size_t nkinds;
};

static int push_comp(struct fmt_parser *p, const struct bt_fmt_comp *c)
{
	if (p->comps) {
		if (p->ncomps >= p->max_comps)
			return BT_FMT_ETOOMANY;
		p->comps[p->ncomps] = *c;
	}
	p->ncomps++;
	return 0;
}

static int push_kind(struct fmt_parser *p, uint8_t kind)
{
	if (p->kinds) {
		if (p->nkinds >= p->max_kinds)
			return BT_FMT_ETOOMANY;
		p->kinds[p->nkinds] = kind;
	}
	p->nkinds++;
	return 0;
}

static int push_literal(struct fmt_parser *p, size_t from, size_t to)
{
	struct bt_fmt_comp c = { .conv = BT_FMT_LITERAL, .width = -1,
				 .prec = -1 };

	if (to <= from)
		return 0;
	c.lit_off = (uint32_t)from;
	c.lit_len = (uint32_t)(to - from);
	return push_comp(p, &c);
}

/* A decimal run at *i, saturating at BT_FMT_NUM_MAX. */
static int32_t parse_num(const struct fmt_parser *p, size_t *i)
{
	int64_t v = 0;

	while (*i < p->len && fmt_isdigit(p->fmt[*i])) {
		v = v * 10 + (p->fmt[*i] - '0');
		if (v > BT_FMT_NUM_MAX)
			v = BT_FMT_NUM_MAX;
		(*i)++;
	}
	return (int32_t)v;
}

static int conv_of(char c)
{
	switch (c) {
	case 'd':
	case 'i':
		return BT_FMT_SIGNED;
	case 'u':
		return BT_FMT_UNSIGNED;
	case 'o':
		return BT_FMT_OCTAL;
	case 'x':
		return BT_FMT_HEX;
	case 'X':
		return BT_FMT_HEX_UPPER;
	case 'p':
		return BT_FMT_POINTER;
	case 's':
		return BT_FMT_STRING;
	case 'c':
		return BT_FMT_CHAR;
	case 'b':
		return BT_FMT_BINARY;
	case 'm':
		return BT_FMT_MEMORY;
	case 'M':
		return BT_FMT_MEMORY_HEX;
	default:
		return BT_FMT_LITERAL;
	}
}

static uint8_t flag_of(char c)
{
	switch (c) {
	case '0':
		return BT_FMT_F_ZEROPAD;
	case '+':
		return BT_FMT_F_PLUS;
	case ' ':
		return BT_FMT_F_SPACE;
	case '-':
		return BT_FMT_F_LEFT;
	case '#':
		return BT_FMT_F_SPECIAL;
	default:
		return 0;
	}
}

static int push_conv_kinds(struct fmt_parser *p, const struct bt_fmt_comp *c)
{
	int rc = 0;
	uint8_t kind = BT_FMT_ARG_INT;

	if (c->flags & BT_FMT_F_WIDTH_STAR)
		rc = push_kind(p, BT_FMT_ARG_INT);
	if (!rc && (c->flags & BT_FMT_F_PREC_STAR))
		rc = push_kind(p, BT_FMT_ARG_INT);
	if (c->conv == BT_FMT_STRING)
		kind = BT_FMT_ARG_STR;
	else if (c->conv == BT_FMT_MEMORY || c->conv == BT_FMT_MEMORY_HEX)
		kind = BT_FMT_ARG_MEM;
	if (!rc)
		rc = push_kind(p, kind);
	return rc;
}

/*
 * A width or precision at *i: '*' sets star in *flags, digits set *num.
 * Returns whether either was there.
 */
static bool parse_wp(const struct fmt_parser *p, size_t *i, uint8_t star,
		     uint8_t *flags, int32_t *num)
{
	if (*i < p->len && p->fmt[*i] == '*') {
		*flags |= star;
		(*i)++;
		return true;
	}
	if (*i < p->len && fmt_isdigit(p->fmt[*i])) {
		*num = parse_num(p, i);
		return true;
	}
	return false;
}

/*
 * One conversion spec; *i points just after its '%'.  Returns 0 with *i
 * after the spec, 1 when the format ended inside a spec that had nothing
 * in it but an 'l' or a bare '.' (stap silently drops those), or an error.
 */
static int parse_spec(struct fmt_parser *p, size_t *i, size_t spec,
		      struct bt_fmt_error *err)
{
	struct bt_fmt_comp c = { .width = -1, .prec = -1 };
	bool seen = false;	/* anything stap counts as a started spec */
	int rc;

	c.flags = flag_of(p->fmt[*i]);
	if (c.flags) {
		seen = true;
		(*i)++;
	}
	if (parse_wp(p, i, BT_FMT_F_WIDTH_STAR, &c.flags, &c.width))
		seen = true;
	if (*i < p->len && p->fmt[*i] == '.') {
		(*i)++;
		if (parse_wp(p, i, BT_FMT_F_PREC_STAR, &c.flags, &c.prec))
			seen = true;
	}
	if (*i < p->len && p->fmt[*i] == 'l')
		(*i)++;
	if (*i >= p->len) {
		if (!seen)
			return 1;
		if (err) {
			err->offset = (uint32_t)*i;
			err->spec = (uint32_t)spec;
			err->msg = msg_trailing;
		}
		return BT_FMT_ETRAILING;
	}
	c.conv = (uint8_t)conv_of(p->fmt[*i]);
	if (c.conv == BT_FMT_LITERAL) {
		if (err) {
			err->offset = (uint32_t)*i;
			err->spec = (uint32_t)spec;
			err->msg = msg_badconv;
		}
		return BT_FMT_EBADCONV;
	}
	(*i)++;
	/* %p is %#x since stap 1.3. */
	if (c.conv == BT_FMT_POINTER)
		c.flags |= BT_FMT_F_SPECIAL;
	rc = push_comp(p, &c);
	if (!rc)
		rc = push_conv_kinds(p, &c);
	return rc;
}

int bt_fmt_parse(const char *fmt, size_t len,
		 struct bt_fmt_comp *comps, size_t max_comps, size_t *ncomps,
		 uint8_t *kinds, size_t max_kinds, size_t *nkinds,
		 struct bt_fmt_error *err)
{
	struct fmt_parser p = {
		.fmt = fmt, .len = len, .comps = comps, .max_comps = max_comps,
		.kinds = kinds, .max_kinds = max_kinds,
	};
	size_t i = 0, lit = 0;
	int rc = 0;

	if (len > 0xffffffffu)
		return BT_FMT_EINVAL;
	while (i < len && rc == 0) {
		size_t spec;

		if (fmt[i] != '%') {
			i++;
			continue;
		}
		/*
		 * A '%' that ends the format is an error in stap 4.8 (its
		 * parser reads past the end there and then fails).
		 */
		if (i + 1 == len) {
			if (err) {
				err->offset = (uint32_t)len;
				err->spec = (uint32_t)i;
				err->msg = msg_badconv;
			}
			rc = BT_FMT_EBADCONV;
			break;
		}
		/* "%%": keep the first '%' as the end of the literal. */
		if (fmt[i + 1] == '%') {
			rc = push_literal(&p, lit, i + 1);
			i += 2;
			lit = i;
			continue;
		}
		rc = push_literal(&p, lit, i);
		if (rc)
			break;
		spec = i++;
		rc = parse_spec(&p, &i, spec, err);
		lit = i;
		if (rc == 1) {	/* dropped trailing "%l" / "%." */
			rc = 0;
			break;
		}
	}
	if (rc == 0)
		rc = push_literal(&p, lit, i);
	if (rc == BT_FMT_ETOOMANY && err) {
		err->offset = (uint32_t)i;
		err->spec = (uint32_t)i;
		err->msg = bt_fmt_strerror(rc);
	}
	if (ncomps)
		*ncomps = p.ncomps;
	if (nkinds)
		*nkinds = p.nkinds;
	return rc;
}

/* ------------------------------------------------------------------ */
/* Output with stap's truncation rules                                 */
/* ------------------------------------------------------------------ */

/* struct bt_fmt_out (bt_format.h): stap's writer. */
static void need_add(struct bt_fmt_out *o, size_t n)
{
	o->need = (o->need + n < o->need) ? (size_t)-1 : o->need + n;
}

void bt_fmt_out_byte(struct bt_fmt_out *o, char c)
{
	if (o->pos < o->cap)
		o->buf[o->pos++] = c;
	need_add(o, 1);
}

void bt_fmt_out_fill(struct bt_fmt_out *o, char c, int64_t n)
{
	size_t room, k;

	if (n <= 0)
		return;
	room = o->cap - o->pos;
	k = (uint64_t)n < room ? (size_t)n : room;
	if (k) {
		bt_memset(o->buf + o->pos, c, k);
		o->pos += k;
	}
	need_add(o, (uint64_t)n > (size_t)-1 ? (size_t)-1 : (size_t)n);
}

void bt_fmt_out_bytes(struct bt_fmt_out *o, const char *s, size_t n)
{
	size_t room = o->cap - o->pos;
	size_t k = n < room ? n : room;

	if (k) {
		bt_memcpy(o->buf + o->pos, s, k);
		o->pos += k;
	}
	need_add(o, n);
}

/* ------------------------------------------------------------------ */
/* Conversions                                                         */
/* ------------------------------------------------------------------ */

/* The kernel-style flags stap's number formatter takes. */
#define NF_ZEROPAD	0x01
#define NF_SIGN		0x02	/* %d %i only: the value is signed */
#define NF_PLUS		0x04
#define NF_SPACE	0x08
#define NF_LEFT		0x10
#define NF_SPECIAL	0x20
#define NF_LARGE	0x40

static int nf_flags(const struct bt_fmt_comp *c)
{
	int f = 0;

	if (c->flags & BT_FMT_F_ZEROPAD)
		f |= NF_ZEROPAD;
	if (c->flags & BT_FMT_F_PLUS)
		f |= NF_PLUS;
	if (c->flags & BT_FMT_F_SPACE)
		f |= NF_SPACE;
	if (c->flags & BT_FMT_F_LEFT)
		f |= NF_LEFT;
	if (c->flags & BT_FMT_F_SPECIAL)
		f |= NF_SPECIAL;
	if (c->conv == BT_FMT_SIGNED)
		f |= NF_SIGN;
	if (c->conv == BT_FMT_HEX_UPPER)
		f |= NF_LARGE;
	return f;
}

static int base_of(int conv)
{
	switch (conv) {
	case BT_FMT_OCTAL:
		return 8;
	case BT_FMT_HEX:
	case BT_FMT_HEX_UPPER:
	case BT_FMT_POINTER:
		return 16;
	default:
		return 10;
	}
}

/*
 * One integer.  Unlike C: the '0' flag still pads with zeros when a
 * precision is given (%08.3d of 5 is 00000005), a precision of 0 still
 * prints "0" for 0, and '#' always adds its prefix (%#x of 0 is 0x0,
 * %#o of 0 is 00).  width and prec are -1 when absent.
 */
static void out_number(struct bt_fmt_out *o, uint64_t num, int base,
		       int64_t width, int64_t prec, int flags)
{
	static const char lower[] = "0123456789abcdef";
	static const char upper[] = "0123456789ABCDEF";
	const char *digits = (flags & NF_LARGE) ? upper : lower;
	char tmp[66];
	char sign = 0;
	int n = 0;

	if (flags & NF_LEFT)
		flags &= ~NF_ZEROPAD;
	if (flags & NF_SIGN) {
		if ((int64_t)num < 0) {
			sign = '-';
			num = 0 - num;
			width--;
		} else if (flags & NF_PLUS) {
			sign = '+';
			width--;
		} else if (flags & NF_SPACE) {
			sign = ' ';
			width--;
		}
	}
	if (flags & NF_SPECIAL) {
		if (base == 16)
			width -= 2;
		else if (base == 8)
			width--;
	}
	do {
		tmp[n++] = digits[num % (unsigned int)base];
		num /= (unsigned int)base;
	} while (num != 0 && n < (int)sizeof(tmp));
	if (prec < n)
		prec = n;
	width -= prec;
	if (!(flags & (NF_ZEROPAD | NF_LEFT))) {
		bt_fmt_out_fill(o, ' ', width);
		width = 0;
	}
	if (sign)
		bt_fmt_out_byte(o, sign);
	if ((flags & NF_SPECIAL) && base == 8) {
		bt_fmt_out_byte(o, '0');
	} else if ((flags & NF_SPECIAL) && base == 16) {
		bt_fmt_out_byte(o, '0');
		bt_fmt_out_byte(o, (flags & NF_LARGE) ? 'X' : 'x');
	}
	if (!(flags & NF_LEFT)) {
		bt_fmt_out_fill(o, (flags & NF_ZEROPAD) ? '0' : ' ', width);
		width = 0;
	}
	bt_fmt_out_fill(o, '0', prec - n);
	while (n > 0)
		bt_fmt_out_byte(o, tmp[--n]);
	bt_fmt_out_fill(o, ' ', width);
}

/* The escape letter %#c uses for c, or 0 for an octal escape. */
static char char_escape(unsigned char c)
{
	return c == '\'' ? '\'' : bt_c_escape(c);
}

/* %c: the low byte; with '#', non-printables as C escapes. */
static void out_char(struct bt_fmt_out *o, unsigned char c, int64_t width,
		     int flags)
{
	bool quote = (flags & NF_SPECIAL) &&
		     (c < 0x20 || c > 0x7e || c == '\'' || c == '\\');
	char esc = quote ? char_escape(c) : 0;
	int size = !quote ? 1 : esc ? 2 : 4;

	if (!(flags & NF_LEFT))
		bt_fmt_out_fill(o, ' ', width - size);
	if (!quote) {
		bt_fmt_out_byte(o, (char)c);
	} else if (esc) {
		bt_fmt_out_byte(o, '\\');
		bt_fmt_out_byte(o, esc);
	} else {
		bt_fmt_out_byte(o, '\\');
		bt_fmt_out_byte(o, (char)('0' + ((c >> 6) & 3)));
		bt_fmt_out_byte(o, (char)('0' + ((c >> 3) & 7)));
		bt_fmt_out_byte(o, (char)('0' + (c & 7)));
	}
	if (flags & NF_LEFT)
		bt_fmt_out_fill(o, ' ', width - size);
}

/*
 * %s, %m, %M.  %s stops at a NUL and at the precision; %m/%M dump len
 * bytes (the precision if > 0, else 1; the caller clips to what it has).
 * stap quirk kept: with the '0' flag a NUL byte follows the field.
 */
static void out_memory(struct bt_fmt_out *o, const char *s, size_t len,
		       int64_t width, int conv, int flags)
{
	static const char hex[] = "0123456789abcdef";
	int64_t shown = (conv == BT_FMT_MEMORY_HEX) ? 2 * (int64_t)len
						     : (int64_t)len;
	size_t i;

	if (!(flags & NF_LEFT))
		bt_fmt_out_fill(o, ' ', width - shown);
	if (conv == BT_FMT_MEMORY_HEX) {
		/* stap writes a hex pair only when both digits fit. */
		for (i = 0; i < len; i++) {
			unsigned char b = (unsigned char)s[i];

			if (o->pos + 2 <= o->cap) {
				o->buf[o->pos++] = hex[b >> 4];
				o->buf[o->pos++] = hex[b & 15];
			} else {
				/* the rest is cut: nothing more fits or is written */
				o->cap = o->pos;
			}
			need_add(o, 2);
		}
	} else {
		bt_fmt_out_bytes(o, s, len);
	}
	if (flags & NF_LEFT)
		bt_fmt_out_fill(o, ' ', width - shown);
	if (flags & NF_ZEROPAD)
		bt_fmt_out_byte(o, 0);
}

static int64_t binary_prec(int64_t p)
{
	return (p == 1 || p == 2 || p == 4 || p == 8) ? p : -1;
}

/*
 * %b: the value's low prec bytes, little-endian (the native order of the
 * machines stap runs on), NUL-padded to width.  Width and precision stand
 * in for each other; a size other than 1, 2, 4 or 8 means 8.  stap writes
 * the value only if all of it fits, and then goes on at the same place.
 */
static void out_binary(struct bt_fmt_out *o, int64_t v, int64_t width,
		       int64_t prec, int flags)
{
	uint64_t u = (uint64_t)v;
	int64_t i;

	prec = binary_prec(prec);
	if (width < 0) {
		width = prec < 0 ? 8 : prec;
		if (prec < 0)
			prec = 8;
	} else if (prec < 0) {
		prec = binary_prec(width);
		if (prec < 0)
			prec = 8;
	}
	if (!(flags & NF_LEFT))
		bt_fmt_out_fill(o, 0, width - prec);
	if (o->pos + (size_t)prec <= o->cap) {
		for (i = 0; i < prec; i++)
			o->buf[o->pos++] = (char)(u >> (8 * i));
	}
	need_add(o, (size_t)prec);
	if (flags & NF_LEFT)
		bt_fmt_out_fill(o, 0, width - prec);
}

/* ------------------------------------------------------------------ */
/* Rendering                                                           */
/* ------------------------------------------------------------------ */

/* Where the arguments come from: one tagged array, or split by kind. */
struct fmt_args {
	const struct bt_fmt_arg *tagged;
	size_t ntagged;
	const int64_t *ints;
	size_t nints;
	const char *const *strs;
	const size_t *strlens;
	size_t nstrs;
	size_t str_max;
	size_t next_tagged, next_int, next_str;
};

static bool arg_int(struct fmt_args *a, int64_t *v)
{
	if (a->tagged) {
		const struct bt_fmt_arg *x;

		if (a->next_tagged >= a->ntagged)
			return false;
		x = &a->tagged[a->next_tagged++];
		if (x->kind != BT_FMT_ARG_INT)
			return false;
		*v = x->i;
		return true;
	}
	if (a->next_int >= a->nints)
		return false;
	*v = a->ints[a->next_int++];
	return true;
}

static bool arg_str(struct fmt_args *a, const char **s, size_t *len)
{
	if (a->tagged) {
		const struct bt_fmt_arg *x;

		if (a->next_tagged >= a->ntagged)
			return false;
		x = &a->tagged[a->next_tagged++];
		if (x->kind != BT_FMT_ARG_STR || (!x->s && x->len))
			return false;
		*s = x->s ? x->s : "";
		*len = x->len;
		return true;
	}
	if (a->next_str >= a->nstrs || !a->strs[a->next_str])
		return false;
	*s = a->strs[a->next_str];
	*len = a->strlens ? a->strlens[a->next_str]
			  : bt_strnlen(*s, a->str_max);
	a->next_str++;
	return true;
}

/*
 * A width or precision as stap's generated code clamps it: to C int
 * first (the low 32 bits), then into [0, limit].  -1 means absent.
 */
static int64_t clamp_wp(int64_t v, int64_t limit)
{
	int32_t i = (int32_t)(uint32_t)(uint64_t)v;

	if (i < 0)
		return 0;
	return i > limit ? limit : i;
}

/*
 * The width or precision a conversion renders with: with star the next
 * int argument, else the format's own (-1: none, *out stays); clamped.
 * false: no argument left for the star.
 */
static bool take_wp(struct fmt_args *a, bool star, int32_t given,
		    int64_t limit, int64_t *out)
{
	int64_t v;

	if (star) {
		if (!arg_int(a, &v))
			return false;
		*out = clamp_wp(v, limit);
	} else if (given >= 0) {
		*out = clamp_wp(given, limit);
	}
	return true;
}

static int render_conv(struct bt_fmt_out *o, const struct bt_fmt_comp *c,
		       struct fmt_args *a, int mode)
{
	int64_t width = -1, prec = -1, v = 0;
	/*
	 * stap's sprintf clamps to the room left including the NUL's byte
	 * (end - str + 1), its printf to the transport buffer size.
	 */
	int64_t limit = mode == BT_FMT_STREAM ? BT_FMT_STREAM_CLAMP :
			o->pos < o->cap ? (int64_t)BT_MIN(o->cap - o->pos,
						(size_t)BT_FMT_NUM_MAX) : 0;
	int flags = nf_flags(c);
	const char *s;
	size_t len;

	if (!take_wp(a, c->flags & BT_FMT_F_WIDTH_STAR, c->width, limit,
		     &width) ||
	    !take_wp(a, c->flags & BT_FMT_F_PREC_STAR, c->prec, limit, &prec))
		return BT_FMT_EARGS;

	switch (c->conv) {
	case BT_FMT_STRING:
		if (!arg_str(a, &s, &len))
			return BT_FMT_EARGS;
		/* An absent precision still bounds %s at the stream size. */
		len = bt_strnlen(s, BT_MIN(len, (size_t)(prec < 0 ?
					BT_FMT_STREAM_CLAMP : prec)));
		out_memory(o, s, len, width, c->conv, flags);
		return 0;
	case BT_FMT_MEMORY:
	case BT_FMT_MEMORY_HEX:
		if (!arg_str(a, &s, &len))
			return BT_FMT_EARGS;
		len = BT_MIN(len, (size_t)(prec > 0 ? prec : 1));
		out_memory(o, s, len, width, c->conv, flags);
		return 0;
	default:
		break;
	}
	if (!arg_int(a, &v))
		return BT_FMT_EARGS;
	switch (c->conv) {
	case BT_FMT_CHAR:
		out_char(o, (unsigned char)v, width, flags);
		break;
	case BT_FMT_BINARY:
		out_binary(o, v, width, prec, flags);
		break;
	default:
		out_number(o, (uint64_t)v, base_of(c->conv), width, prec,
			   flags);
		break;
	}
	return 0;
}

static int64_t render(const char *fmt, const struct bt_fmt_comp *comps,
		      size_t ncomps, struct fmt_args *a, char *buf,
		      size_t cap, int mode, size_t *need)
{
	struct bt_fmt_out o = { .buf = buf, .cap = buf ? cap : 0 };
	size_t i;
	int rc = 0;

	for (i = 0; i < ncomps && rc == 0; i++) {
		const struct bt_fmt_comp *c = &comps[i];

		if (c->conv == BT_FMT_LITERAL)
			bt_fmt_out_bytes(&o, fmt + c->lit_off, c->lit_len);
		else
			rc = render_conv(&o, c, a, mode);
	}
	/*
	 * sprint: stap fills up to cap bytes, then the NUL goes after the
	 * output or, when full, over its last byte.
	 */
	if (mode == BT_FMT_SPRINT && buf && cap > 0) {
		if (o.pos >= cap)
			o.pos = cap - 1;
		buf[o.pos] = 0;
	}
	if (need)
		*need = o.need;
	return rc ? rc : (int64_t)o.pos;
}

int64_t bt_fmt_render(const char *fmt, const struct bt_fmt_comp *comps,
		      size_t ncomps, const struct bt_fmt_arg *args, size_t nargs,
		      char *buf, size_t cap, int mode, size_t *need)
{
	static const struct bt_fmt_arg none;
	struct fmt_args a = { .tagged = args ? args : &none,
			      .ntagged = args ? nargs : 0 };

	return render(fmt, comps, ncomps, &a, buf, cap, mode, need);
}

int64_t bt_fmt_render_split(const char *fmt, const struct bt_fmt_comp *comps,
			    size_t ncomps, const int64_t *ints, size_t nints,
			    const char *const *strs, const size_t *strlens,
			    size_t nstrs, size_t str_max,
			    char *buf, size_t cap, int mode, size_t *need)
{
	struct fmt_args a = {
		.ints = ints, .nints = ints ? nints : 0,
		.strs = strs, .strlens = strlens, .nstrs = strs ? nstrs : 0,
		.str_max = str_max,
	};

	return render(fmt, comps, ncomps, &a, buf, cap, mode, need);
}

int64_t bt_fmt_mem_len(const struct bt_fmt_comp *comp, int64_t star_prec)
{
	int64_t p = comp->prec;

	if (comp->flags & BT_FMT_F_PREC_STAR)
		p = star_prec;
	return p > 0 ? p : 1;
}

size_t bt_fmt_int(char *buf, size_t cap, int64_t v, int conv, int flags,
		  int32_t width, int32_t prec)
{
	struct bt_fmt_comp c = { .conv = (uint8_t)conv, .flags = (uint8_t)flags };
	struct bt_fmt_out o = { .buf = buf, .cap = buf ? cap : 0 };

	if (conv == BT_FMT_POINTER)
		c.flags |= BT_FMT_F_SPECIAL;
	out_number(&o, (uint64_t)v, base_of(conv), width, prec, nf_flags(&c));
	return o.need;
}

/* ------------------------------------------------------------------ */
/* Histograms                                                          */
/* ------------------------------------------------------------------ */

int bt_hist_log_bucket(int64_t v)
{
	uint64_t u;
	int bits = 0, step;

	if (v == 0)
		return BT_HIST_LOG_BUCKET0;
	u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	/* bit length by halving steps: 32, 16, 8, 4, 2, 1 */
	for (step = 32; step > 0; step >>= 1) {
		if (u >> step) {
			u >>= step;
			bits += step;
		}
	}
	bits += 1;
	return v < 0 ? BT_HIST_LOG_BUCKET0 - bits : BT_HIST_LOG_BUCKET0 + bits;
}

int bt_hist_linear_nbuckets(int32_t start, int32_t stop, int32_t interval)
{
	int64_t n;

	if (interval == 0)
		return BT_HIST_EZERO;
	if (interval < 0)
		return BT_HIST_ERANGE;
	n = ((int64_t)stop - start) / interval + 3;
	if (n < 3 || n > BT_HIST_MAX_BUCKETS)
		return BT_HIST_ERANGE;
	return (int)n;
}

int bt_hist_linear_bucket(int64_t v, int32_t start, int32_t stop,
			  int32_t interval, int nbuckets)
{
	int64_t d = (int64_t)((uint64_t)v - (uint64_t)(int64_t)start);
	uint64_t b;

	(void)stop;
	if (nbuckets < 1)
		return 0;
	if (d < 0 || interval <= 0)
		return 0;
	b = (uint64_t)d / (uint32_t)interval + 1;
	if (b >= (uint64_t)(nbuckets - 1))
		return nbuckets - 1;
	return (int)b;
}
