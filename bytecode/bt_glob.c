// SPDX-License-Identifier: GPL-2.0
/*
 * bt_glob.c - shell-style wildcard matching of symbol names, shared by the
 * front end (expanding kernel.function("vfs_*") against kallsyms) and the
 * module (checking an attach request against its pattern), so both sides
 * agree on what a pattern matches.
 */
#include "bt_glob.h"

bool bt_glob(const char *pat, const char *str)
{
	const char *bp = NULL, *bs = NULL;

	for (;;) {
		char c = *str, d = *pat;

		if (d == '*') {
			bp = ++pat;
			bs = str;
			continue;
		}
		if (c && d == '?') {
			str++;
			pat++;
			continue;
		}
		if (c && d == '[') {
			const char *p = pat + 1;
			bool inv = *p == '!' || *p == '^', match = false;

			if (inv)
				p++;
			do {
				char lo = *p, hi = lo;

				if (!lo)
					return false;	/* unterminated */
				if (p[1] == '-' && p[2] && p[2] != ']') {
					hi = p[2];
					p += 2;
				}
				if (c >= lo && c <= hi)
					match = true;
				p++;
			} while (*p != ']');
			if (match != inv) {
				pat = p + 1;
				str++;
				continue;
			}
		} else if (c && c == d) {
			str++;
			pat++;
			continue;
		} else if (!c && !d) {
			return true;
		}
		if (!bp || !*bs)
			return false;
		pat = bp;
		str = ++bs;
	}
}
