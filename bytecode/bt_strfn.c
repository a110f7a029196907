// SPDX-License-Identifier: GPL-2.0
/*
 * bt_strfn.c - the core tapset's string functions, with SystemTap 4.8's
 * edge cases (out-of-range arguments, truncation at MAXSTRINGLEN, the
 * kernel's strtol rules, the escaping of text_str and its "..." marker).
 * Freestanding; every loop is bounded by cap.
 */
#include "bt_strfn.h"
#include "bt_util.h"

/* Length of an input string: up to its NUL, never past cap - 1 bytes. */
static size_t slen(const char *s, size_t cap)
{
	return cap ? bt_strnlen(s, cap - 1) : 0;
}

/* Put src[0 .. n) into dst (cap >= 1), cut at cap - 1, NUL-terminated. */
static size_t put_str(char *dst, size_t cap, const char *src, size_t n)
{
	if (!cap)
		return 0;
	if (n > cap - 1)
		n = cap - 1;
	if (n && dst != src)
		bt_memmove(dst, src, n);
	dst[n] = 0;
	return n;
}

/* First occurrence of needle[0 .. nlen) in hay[0 .. hlen), or -1. */
static int64_t find(const char *hay, size_t hlen, const char *needle,
		    size_t nlen)
{
	size_t i;

	if (nlen == 0)
		return 0;
	if (nlen > hlen)
		return -1;
	for (i = 0; i + nlen <= hlen; i++) {
		if (hay[i] == needle[0] && bt_memcmp(hay + i, needle, nlen) == 0)
			return (int64_t)i;
	}
	return -1;
}

int64_t bt_sf_strlen(const char *s, size_t cap)
{
	return (int64_t)slen(s, cap);
}

size_t bt_sf_substr(char *dst, size_t cap, const char *str, int64_t start,
		    int64_t length)
{
	size_t len = slen(str, cap);
	/* stap: strlcpy size = clamp(length + 1, 0, MAXSTRINGLEN) */
	int64_t size = (int64_t)((uint64_t)length + 1);
	size_t n;

	if (!cap)
		return 0;
	if (start < 0 || (uint64_t)start >= len || size <= 1) {
		dst[0] = 0;
		return 0;
	}
	n = len - (size_t)start;
	if ((uint64_t)(size - 1) < n)
		n = (size_t)(size - 1);
	return put_str(dst, cap, str + start, n);
}

int bt_sf_stringat(const char *str, size_t cap, int64_t pos, int64_t *out)
{
	size_t len = slen(str, cap);

	if (pos < 0 || (uint64_t)pos >= len) {
		*out = 0;
		return BT_SF_EBOUNDS;
	}
	*out = (int64_t)(signed char)str[pos];
	return 0;
}

int64_t bt_sf_isinstr(const char *s1, const char *s2, size_t cap)
{
	return find(s1, slen(s1, cap), s2, slen(s2, cap)) >= 0;
}

int64_t bt_sf_strpos(const char *s1, const char *s2, size_t cap)
{
	return find(s1, slen(s1, cap), s2, slen(s2, cap));
}

size_t bt_sf_str_replace(char *dst, size_t cap, const char *str,
			 const char *from, const char *to)
{
	size_t len = slen(str, cap), flen = slen(from, cap), tlen = slen(to, cap);
	size_t in = 0, out = 0, room;

	if (!cap)
		return 0;
	room = cap - 1;
	if (flen == 0)
		return put_str(dst, cap, str, len);
	/* Each round consumes flen >= 1 input bytes: at most len rounds. */
	while (in < len) {
		int64_t at = find(str + in, len - in, from, flen);
		size_t keep = at < 0 ? len - in : (size_t)at;
		size_t k = BT_MIN(keep, room - out);

		bt_memcpy(dst + out, str + in, k);
		out += k;
		if (at < 0)
			break;
		k = BT_MIN(tlen, room - out);
		bt_memcpy(dst + out, to, k);
		out += k;
		in += keep + flen;
	}
	dst[out] = 0;
	return out;
}

static int hexval(char c)
{
	char lc = (char)(c | 0x20);

	if (c >= '0' && c <= '9')
		return c - '0';
	if (lc >= 'a' && lc <= 'f')
		return lc - 'a' + 10;
	return 99;
}

int64_t bt_sf_strtol(const char *str, int64_t base, size_t cap)
{
	size_t len = slen(str, cap), i = 0;
	uint64_t res = 0, b;
	bool neg = false;

	if (base < 0 || base == 1 || base > 36)
		return 0;
	b = (uint64_t)base;
	if (i < len && str[i] == '-') {
		neg = true;
		i++;
	}
	/* the kernel's radix rules */
	if (b == 0) {
		if (i < len && str[i] == '0') {
			if (i + 2 < len && (str[i + 1] | 0x20) == 'x' &&
			    hexval(str[i + 2]) < 16)
				b = 16;
			else
				b = 8;
		} else {
			b = 10;
		}
	}
	if (b == 16 && i + 1 < len && str[i] == '0' &&
	    (str[i + 1] | 0x20) == 'x')
		i += 2;
	for (; i < len; i++) {
		int v = hexval(str[i]);

		if ((uint64_t)v >= b)
			break;
		res = res * b + (uint64_t)v;
	}
	return (int64_t)(neg ? 0 - res : res);
}

int64_t bt_sf_isdigit(const char *str)
{
	return str[0] >= '0' && str[0] <= '9';
}

/* ------------------------------------------------------------------ */
/* text_str and friends                                                */
/* ------------------------------------------------------------------ */

/*
 * One character of in[0 .. size): a well-formed 2..4 byte UTF-8 sequence
 * (not overlong, not a surrogate, <= U+10FFFF) gives its code point and
 * length; anything else is one byte, as is.
 */
static int decode_utf8(const unsigned char *in, size_t size, uint32_t *cp)
{
	uint32_t c = in[0];
	int n, i;

	if ((c & 0xe0) == 0xc0 && size >= 2) {
		n = 2;
		c &= 0x1f;
	} else if ((c & 0xf0) == 0xe0 && size >= 3) {
		n = 3;
		c &= 0x0f;
	} else if ((c & 0xf8) == 0xf0 && size >= 4) {
		n = 4;
		c &= 0x07;
	} else {
		goto verbatim;
	}
	for (i = 1; i < n; i++) {
		if ((in[i] & 0xc0) != 0x80)
			goto verbatim;
		c = (c << 6) | (in[i] & 0x3f);
	}
	if ((c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff || c < 0x80 ||
	    (n == 3 && c < 0x800) || (n == 4 && c < 0x10000))
		goto verbatim;
	*cp = c;
	return n;
verbatim:
	*cp = in[0];
	return 1;
}

/* The letter of a two-character escape for c, or 0. */
static char short_escape(uint32_t c)
{
	return c == '"' ? '"' : bt_c_escape(c);
}

/* Bytes written by a text escaper; nothing lands past lim. */
struct esc_out {
	char *dst;
	size_t lim;		/* cap - 1 */
	size_t pos;
};

static void eput(struct esc_out *o, char c)
{
	if (o->pos < o->lim)
		o->dst[o->pos] = c;
	o->pos++;
}

/* The escape of code point c (num bytes: 1, 2, 4, 6 or 10). */
static void emit_char(struct esc_out *o, uint32_t c, int num)
{
	static const char hex[] = "0123456789ABCDEF";
	int i;

	if (num == 1) {
		eput(o, (char)c);
		return;
	}
	eput(o, '\\');
	if (num == 2) {
		eput(o, short_escape(c));
	} else if (num == 4) {
		eput(o, (char)('0' + ((c >> 6) & 3)));
		eput(o, (char)('0' + ((c >> 3) & 7)));
		eput(o, (char)('0' + (c & 7)));
	} else {
		eput(o, num == 6 ? 'u' : 'U');
		for (i = num - 3; i >= 0; i--)
			eput(o, hex[(c >> (4 * i)) & 15]);
	}
}

/* Output bytes for c, decoded from an n-byte sequence. */
static int escape_len(uint32_t c, int n)
{
	if (n > 1)
		return c <= 0xffff ? 6 : 10;
	if (c >= 0x20 && c <= 0x7e && c != '"' && c != '\\')
		return 1;
	return short_escape(c) ? 2 : 4;
}

/*
 * SystemTap's text escaper.  inlen/outlen <= 0 or > cap - 1 mean cap - 1.
 * Output is budgeted by outlen; quoted output spends 2 of a budget of at
 * least 5 on the quotes.  When quoted input is cut, the output is cut
 * back to leave room for "..." after the closing quote, dropping a whole
 * escape rather than part of one.  Quirk kept: if the character that did
 * not fit was the input's last, no "..." is added.
 */
static size_t text_escape(char *dst, size_t cap, const char *input,
			  int64_t inlen, int64_t outlen, bool quoted)
{
	const unsigned char *in = (const unsigned char *)input;
	struct esc_out o = { .dst = dst, .lim = cap ? cap - 1 : 0 };
	int64_t max = cap ? (int64_t)cap - 1 : 0;
	int64_t esc = -1, esc_len = 0;
	uint32_t c = 0;
	size_t ip = 0;

	if (!cap)
		return 0;
	if (inlen <= 0 || inlen > max)
		inlen = max;
	if (outlen <= 0 || outlen > max)
		outlen = max;
	if (quoted) {
		outlen = BT_MAX(outlen, 5) - 2;
		eput(&o, '"');
	}
	/* Each round consumes >= 1 input byte: at most cap rounds. */
	while (inlen > 0) {
		int n = decode_utf8(in + ip, (size_t)inlen, &c);
		int num;

		if (c == 0 || outlen <= 0)
			break;
		ip += n;
		inlen -= n;
		num = escape_len(c, n);
		if (num > 1 && esc < 0 && outlen - 3 < num) {
			esc = (int64_t)o.pos;
			esc_len = num;
		}
		if (outlen < num)
			break;
		emit_char(&o, c, num);
		outlen -= num;
	}
	if (quoted) {
		if (c != 0 && inlen > 0) {
			int64_t cut = (int64_t)o.pos - 3 + outlen;

			if (esc >= 0 && esc < cut && cut < esc + esc_len)
				cut = esc;
			if (cut > (int64_t)o.pos)	/* cannot happen; be safe */
				cut = (int64_t)o.pos;
			o.pos = (size_t)cut;
			eput(&o, '"');
			eput(&o, '.');
			eput(&o, '.');
			eput(&o, '.');
		} else {
			eput(&o, '"');
		}
	}
	if (o.pos > o.lim)
		o.pos = o.lim;
	dst[o.pos] = 0;
	return o.pos;
}

size_t bt_sf_text_str(char *dst, size_t cap, const char *input)
{
	return text_escape(dst, cap, input, 0, 0, false);
}

size_t bt_sf_text_strn(char *dst, size_t cap, const char *input, int64_t len,
		       int64_t quoted)
{
	/* stap clamps len to [0, MAXSTRINGLEN] first */
	if (len < 0)
		len = 0;
	if ((uint64_t)len > cap)
		len = (int64_t)cap;
	return text_escape(dst, cap, input, 0, len, quoted != 0);
}

size_t bt_sf_string_quoted(char *dst, size_t cap, const char *str)
{
	return text_escape(dst, cap, str, (int64_t)cap, (int64_t)cap, true);
}

/* ------------------------------------------------------------------ */
/* tokenize                                                            */
/* ------------------------------------------------------------------ */

void bt_sf_tokenize_init(struct bt_tokenize *t, char *buf, size_t cap)
{
	t->buf = buf;
	t->cap = cap;
	t->pos = 0;
	t->end = 0;
	t->active = false;
	if (buf && cap)
		buf[0] = 0;
}

static bool is_delim(char c, const char *delim, size_t dlen)
{
	size_t i;

	for (i = 0; i < dlen; i++) {
		if (delim[i] == c)
			return true;
	}
	return false;
}

size_t bt_sf_tokenize(struct bt_tokenize *t, const char *input,
		      const char *delim, char *dst, size_t cap)
{
	size_t dlen = slen(delim, cap), from = 0, to = 0;
	size_t rounds;

	if (!cap)
		return 0;
	if (input[0] && t->buf && t->cap) {
		t->end = put_str(t->buf, t->cap, input, slen(input, t->cap));
		t->pos = 0;
		t->active = true;
	}
	/* strsep until a non-empty token; each round moves pos by >= 1 */
	for (rounds = 0; rounds <= t->end && t->active; rounds++) {
		size_t k = t->pos;

		while (k < t->end && !is_delim(t->buf[k], delim, dlen))
			k++;
		from = t->pos;
		to = k;
		if (k < t->end) {
			t->pos = k + 1;
		} else {
			t->pos = t->end;
			t->active = false;
		}
		if (to > from)
			break;
	}
	if (to <= from) {
		dst[0] = 0;
		return 0;
	}
	return put_str(dst, cap, t->buf + from, to - from);
}

/* ------------------------------------------------------------------ */
/* Building strings                                                    */
/* ------------------------------------------------------------------ */

size_t bt_str_concat(char *dst, size_t cap, const char *a, const char *b)
{
	size_t na, nb;

	if (!cap)
		return 0;
	na = slen(a, cap);
	nb = BT_MIN(slen(b, cap), cap - 1 - na);
	/* b first: when b is dst its bytes move right, clear of a's. */
	if (nb)
		bt_memmove(dst + na, b, nb);
	if (na && dst != a)
		bt_memmove(dst, a, na);
	dst[na + nb] = 0;
	return na + nb;
}

static size_t put_digits(char *dst, size_t cap, uint64_t u, unsigned int base,
			 const char *prefix, bool neg)
{
	static const char hex[] = "0123456789abcdef";
	char tmp[24];
	size_t n = 0, len = 0, i;

	do {
		tmp[n++] = hex[u % base];
		u /= base;
	} while (u && n < sizeof(tmp));
	if (!cap)
		return 0;
	if (neg && len < cap - 1)
		dst[len++] = '-';
	for (i = 0; prefix[i] && len < cap - 1; i++)
		dst[len++] = prefix[i];
	while (n > 0 && len < cap - 1)
		dst[len++] = tmp[--n];
	dst[len] = 0;
	return len;
}

size_t bt_str_from_long(char *dst, size_t cap, int64_t v)
{
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	return put_digits(dst, cap, u, 10, "", v < 0);
}

size_t bt_str_from_hex(char *dst, size_t cap, int64_t v, bool prefix)
{
	return put_digits(dst, cap, (uint64_t)v, 16, prefix ? "0x" : "", false);
}
