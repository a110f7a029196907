/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bt_strfn.h - the core tapset's string functions (SystemTap 4.8
 * tapset/string.stp and tokenize.stp), freestanding.
 *
 * Conventions, for every function here:
 *   - cap is MAXSTRINGLEN, the runtime's string size including the NUL.
 *     Input strings are NUL-terminated and hold at most cap - 1 bytes;
 *     no input is ever read past cap - 1 bytes even without a NUL.
 *   - A string result goes to dst of capacity cap: at most cap - 1 bytes,
 *     always NUL-terminated (cap >= 1); the function returns its length.
 *   - dst must not overlap an input, except where a function says so.
 *     (The VM's CALLB puts a string result over the first string
 *     argument: for text_str/text_strn/string_quoted/str_replace it has
 *     to render into a scratch string first.)
 */
#ifndef BT_STRFN_H
#define BT_STRFN_H

#include "bt_types.h"

/* Runtime errors a function can raise (negative returns). */
#define BT_SF_EBOUNDS	(-1)	/* stringat: "Position out of bounds" */

/* strlen(s) */
int64_t bt_sf_strlen(const char *s, size_t cap);

/*
 * substr(str, start, length): length bytes from start (0-based), fewer at
 * the end of str; "" when start is outside [0, strlen).  As in stap,
 * length + 1 wraps in int64 (so length INT64_MAX gives "").
 * dst may be str.
 */
size_t bt_sf_substr(char *dst, size_t cap, const char *str, int64_t start,
		    int64_t length);

/*
 * stringat(str, pos): 0 and *out = the byte at pos as a C char on x86
 * (signed: 0x80..0xff give -128..-1), or BT_SF_EBOUNDS with *out = 0 when
 * pos is outside [0, strlen): the caller raises "Position out of bounds".
 */
int bt_sf_stringat(const char *str, size_t cap, int64_t pos, int64_t *out);

/* isinstr(s1, s2): 1 if s2 occurs in s1 ("" occurs everywhere), else 0. */
int64_t bt_sf_isinstr(const char *s1, const char *s2, size_t cap);

/* strpos(s1, s2): offset of the first s2 in s1, 0 for "", -1 if absent. */
int64_t bt_sf_strpos(const char *s1, const char *s2, size_t cap);

/*
 * str_replace(str, from, to): every non-overlapping occurrence of from,
 * left to right, replaced by to; from == "" returns str unchanged.
 * The result is cut at cap - 1 bytes.
 */
size_t bt_sf_str_replace(char *dst, size_t cap, const char *str,
			 const char *from, const char *to);

/*
 * strtol(str, base), as the kernel's simple_strtol() that stap calls:
 * an optional leading '-' (no '+', no leading blanks); base 0 picks 16 for
 * "0x" + hex digit, 8 for a leading '0', else 10; base 16 skips a "0x";
 * digits are 0-9 and a-f/A-F only, each must be < base; it stops at the
 * first other byte; overflow wraps (modulo 2^64).  So bases 17..36 accept
 * only the hex letters, as on Linux.  Our choice for a base outside
 * {0, 2..36}: the result is 0 (the kernel would do odd things there).
 */
int64_t bt_sf_strtol(const char *str, int64_t base, size_t cap);

/* isdigit(str): 1 if the first byte is '0'..'9', else 0. */
int64_t bt_sf_isdigit(const char *str);

/*
 * text_str(input): non-printable bytes as C escapes (\n, \t, ..., \" and
 * \\ and octal \ooo), well-formed multi-byte UTF-8 as \uXXXX or
 * \UXXXXXXXX; at most cap - 1 bytes of output.
 */
size_t bt_sf_text_str(char *dst, size_t cap, const char *input);

/*
 * text_strn(input, len, quoted): as text_str but the output is limited to
 * len bytes (0 means cap - 1); with quoted != 0 the text is put in double
 * quotes within that limit and, when the input did not fit, followed by
 * "..." after the closing quote (an escape is never cut in two).
 */
size_t bt_sf_text_strn(char *dst, size_t cap, const char *input, int64_t len,
		       int64_t quoted);

/* string_quoted(str): text_strn(str, 0, 1). */
size_t bt_sf_string_quoted(char *dst, size_t cap, const char *str);

/*
 * tokenize(input, delim) / tokenize(delim): the state lives in the
 * caller's struct (SystemTap keeps it per CPU context, so it survives from
 * one probe hit to the next on that CPU).  buf has capacity cap and holds
 * the string being split.  A non-empty input starts over on it; an empty
 * one continues.  Returns the next non-empty token, delimited by any byte
 * of delim, or "" when none is left.  dst may be input.
 */
struct bt_tokenize {
	char *buf;		/* caller's memory, cap bytes */
	size_t cap;
	size_t pos;		/* next byte to look at */
	size_t end;		/* length of the string in buf */
	bool active;		/* false: nothing left (strsep's NULL) */
};

void bt_sf_tokenize_init(struct bt_tokenize *t, char *buf, size_t cap);
size_t bt_sf_tokenize(struct bt_tokenize *t, const char *input,
		      const char *delim, char *dst, size_t cap);

/*
 * a . b, cut at cap - 1 bytes.  dst may be a, or b, or both; otherwise
 * neither may overlap dst.
 */
size_t bt_str_concat(char *dst, size_t cap, const char *a, const char *b);

/* v in decimal (as print(v) / sprint(v)); returns the length written. */
size_t bt_str_from_long(char *dst, size_t cap, int64_t v);

/* v as unsigned hex, lowercase; with prefix, "0x" first (as %p / %#x). */
size_t bt_str_from_hex(char *dst, size_t cap, int64_t v, bool prefix);

#endif /* BT_STRFN_H */
