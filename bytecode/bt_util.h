/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bt_util.h - tiny freestanding helpers for the VM core.
 *
 * bytecode/ builds into the kernel too, so it may not use libc.  These are
 * the few byte and string helpers the core needs.  Shared by everyone who
 * writes under bytecode/: add to it, don't change what is here.
 *
 * memcpy/memset/memcmp go through the compiler builtins: gcc inlines the
 * small constant-size cases and otherwise calls the symbol, which both the
 * kernel and libc provide.
 */
#ifndef BT_UTIL_H
#define BT_UTIL_H

#include "bt_types.h"

#ifndef __KERNEL__
#include <stdbool.h>
#endif

#define BT_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define BT_ALIGN8(n)		(((n) + 7u) & ~(size_t)7u)
#define BT_MIN(a, b)		((a) < (b) ? (a) : (b))
#define BT_MAX(a, b)		((a) > (b) ? (a) : (b))

#ifdef __GNUC__
#define bt_likely(x)	__builtin_expect(!!(x), 1)
#define bt_unlikely(x)	__builtin_expect(!!(x), 0)
#define bt_noinline	__attribute__((__noinline__))
#define bt_always_inline	inline __attribute__((__always_inline__))
#else
#define bt_likely(x)	(x)
#define bt_unlikely(x)	(x)
#define bt_noinline
#define bt_always_inline	inline
#endif

static inline void bt_memcpy(void *dst, const void *src, size_t n)
{
	__builtin_memcpy(dst, src, n);
}

static inline void bt_memmove(void *dst, const void *src, size_t n)
{
	__builtin_memmove(dst, src, n);
}

static inline void bt_memset(void *dst, int c, size_t n)
{
	__builtin_memset(dst, c, n);
}

static inline int bt_memcmp(const void *a, const void *b, size_t n)
{
	return __builtin_memcmp(a, b, n);
}

/* strlen, but never looks at more than max bytes. */
static inline size_t bt_strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/* strcmp on unsigned bytes, as the kernel's and glibc's strcmp order. */
static inline int bt_strcmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	while (*x && *x == *y) {
		x++;
		y++;
	}
	return (int)*x - (int)*y;
}

/*
 * Copy src into dst of capacity cap (>= 1), truncating, always
 * NUL-terminated; returns the length copied.  Like strlcpy, but src is
 * read only as far as needed.  dst and src may be the same buffer.
 */
static inline size_t bt_strlcpy(char *dst, const char *src, size_t cap)
{
	size_t n = bt_strnlen(src, cap - 1);

	if (dst != src)
		bt_memmove(dst, src, n);
	dst[n] = 0;
	return n;
}

/*
 * A small vsnprintf for diagnostics and error messages: %s %c %d %u %x
 * with an optional l or ll, and %%.  No widths.  Always NUL-terminates
 * (cap >= 1); returns the length written.
 */
typedef __builtin_va_list bt_va_list;
#define bt_va_start(ap, last)	__builtin_va_start(ap, last)
#define bt_va_end(ap)		__builtin_va_end(ap)
#define bt_va_arg(ap, type)	__builtin_va_arg(ap, type)

static inline size_t bt_fmt_u64(char *out, uint64_t v, unsigned int base)
{
	char tmp[24];
	size_t n = 0, i;

	do {
		unsigned int d = (unsigned int)(v % base);

		tmp[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= base;
	} while (v && n < sizeof(tmp));
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	return n;
}

static inline size_t bt_vsnprintf(char *buf, size_t cap, const char *fmt,
				   bt_va_list ap)
{
	size_t n = 0;

/* ch is evaluated exactly once, whether or not it still fits */
#define BT_PUT(ch) do {						\
		char bt_put_c = (ch);					\
									\
		if (n + 1 < cap)					\
			buf[n] = bt_put_c;				\
		n++;							\
	} while (0)
	for (; *fmt; fmt++) {
		char num[24];
		size_t len, i;
		int lng = 0;
		uint64_t u;

		if (*fmt != '%') {
			BT_PUT(*fmt);
			continue;
		}
		fmt++;
		while (*fmt == 'l') {
			lng++;
			fmt++;
		}
		switch (*fmt) {
		case 's': {
			const char *s = bt_va_arg(ap, const char *);

			if (!s)
				s = "(null)";
			/* stop reading once the buffer is full: s may be long */
			while (*s && n + 1 < cap)
				BT_PUT(*s++);
			continue;
		}
		case 'c':
			BT_PUT((char)bt_va_arg(ap, int));
			continue;
		case 'd': {
			int64_t v = lng ? bt_va_arg(ap, long long) : bt_va_arg(ap, int);

			if (v < 0) {
				BT_PUT('-');
				u = 0 - (uint64_t)v;
			} else {
				u = (uint64_t)v;
			}
			len = bt_fmt_u64(num, u, 10);
			break;
		}
		case 'u':
		case 'x':
			u = lng ? bt_va_arg(ap, unsigned long long) :
				  bt_va_arg(ap, unsigned int);
			len = bt_fmt_u64(num, u, *fmt == 'x' ? 16 : 10);
			break;
		case '%':
			BT_PUT('%');
			continue;
		default:
			if (!*fmt)
				fmt--;
			continue;
		}
		for (i = 0; i < len; i++)
			BT_PUT(num[i]);
	}
#undef BT_PUT
	if (cap)
		buf[n < cap ? n : cap - 1] = 0;
	return n < cap ? n : cap - 1;
}

static inline size_t bt_snprintf(char *buf, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline size_t bt_snprintf(char *buf, size_t cap, const char *fmt, ...)
{
	bt_va_list ap;
	size_t n;

	bt_va_start(ap, fmt);
	n = bt_vsnprintf(buf, cap, fmt, ap);
	bt_va_end(ap);
	return n;
}

/*
 * The letter of the C escape for c among \a \b \f \n \r \t \v and a
 * backslash, or 0; each caller adds its own quote character.
 */
static inline char bt_c_escape(uint32_t c)
{
	switch (c) {
	case '\a':
		return 'a';
	case '\b':
		return 'b';
	case '\f':
		return 'f';
	case '\n':
		return 'n';
	case '\r':
		return 'r';
	case '\t':
		return 't';
	case '\v':
		return 'v';
	case '\\':
		return '\\';
	default:
		return 0;
	}
}

#endif /* BT_UTIL_H */
