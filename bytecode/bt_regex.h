/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bt_regex.h - SystemTap's `=~`: POSIX extended regular expressions
 * without back-references, compiled to a small position-independent
 * program and run by a bounded Pike VM (Thompson NFA simulation).
 *
 * The compiler side (bt_regex_compile(), userland/regex_compile.h) runs
 * in user space only; the core, and so the kernel, only ever sees the
 * program, checks it with bt_regex_validate(), and runs it with
 * bt_regex_match() in caller-provided scratch memory: O(len * ninsns)
 * steps, no recursion, no allocation.
 *
 * Dialect (SystemTap's): . [] [^] ranges, [:alpha:]-style classes (also
 * [:d:] [:l:] [:s:] [:u:]), * + ? {m} {m,} {m,n} (stackable: a**, a{2}{3}),
 * | ( ) (?:...), anchors ^ $ anywhere (they never match mid-string),
 * '\' makes the next byte literal, also inside brackets (unlike POSIX).
 * As in stap, `$` consumes the string's terminating NUL, so nothing can
 * follow it but the end of the pattern: "$^" and "a$$" never match
 * (glibc matches both).  Bytes >= 0x80 are plain bytes here, as in
 * glibc's C locale; stap's DFA lumps them into one "unknown" character,
 * so there a literal high byte in a pattern never matches - we don't
 * copy that limitation.
 * The pattern is the string literal's bytes with its C escapes already
 * decoded (\n is a newline byte, "\\." reaches us as \.).  '.' and
 * negated classes match any byte but NUL.  A single unmatched ')' as the
 * very last byte is ignored, as stap's parser does; elsewhere it is an
 * error.
 *
 * Matching: the overall match is POSIX leftmost-longest (earliest start,
 * then longest).  Among the ways to match that exact span, groups are
 * taken from the most preferred one in Perl order (greedy quantifiers,
 * left alternatives first), which usually agrees with POSIX's
 * subexpression rules but not always: e.g. (a|ab)(c|bcd)(d*) on "abcd"
 * gives "a","bcd","" where POSIX says "ab","c","d".  A group inside a
 * loop reports its last iteration; a group that did not take part is
 * (-1, -1) (matched(n) is then "").  A group that could only match
 * the empty string inside a loop, like (a?)* on "b", may be reported
 * unset where glibc says (0,0): matched(n) is "" either way.
 *
 * Program layout (little-endian, no alignment needed):
 *	u32 magic BT_RE_MAGIC, u16 version, u16 ngroups (incl. group 0),
 *	u16 ninsns, u16 nclasses, u32 total size
 *	ninsns x 6-byte instructions: u8 op, u8 a, u16 x, u16 y
 *	nclasses x 32-byte bitmaps (bit c of byte c / 8: byte value c)
 */
#ifndef BT_REGEX_H
#define BT_REGEX_H

#include "bt_types.h"

#define BT_RE_MAGIC		0x45525442u	/* "BTRE" */
#define BT_RE_VERSION		1
#define BT_RE_HDR_SIZE		16
#define BT_RE_INSN_SIZE		6
#define BT_RE_CLASS_SIZE	32

#define BT_RE_MAX_INSNS		8192
#define BT_RE_MAX_GROUPS	64	/* including group 0 */
#define BT_RE_MAX_CLASSES	256
#define BT_RE_MAX_DEPTH		64	/* nested parentheses */
#define BT_RE_MAX_REPEAT	12344	/* largest {m,n} count, as stap */
/*
 * A match costs about (len + 2) * ninsns * (1 + ngroups) steps, and it
 * runs in probe context: a program's ninsns * (1 + ngroups) is at most
 * this, so one match of a 4 KiB string (BT_CAP_MAXSTRINGLEN) is at most
 * about 270 million steps and one of the default 512 bytes 34 million.
 * The compiler refuses a pattern over it; bt_regex_validate() too.
 */
#define BT_RE_MAX_COST		65536

/* Instructions.  Jump targets x, y are absolute instruction indexes. */
enum bt_re_op {
	BT_RE_OP_MATCH = 0,	/* success */
	BT_RE_OP_CHAR,		/* byte == a, then next */
	BT_RE_OP_ANY,		/* any byte but NUL, then next */
	BT_RE_OP_CLASS,		/* byte in class x, then next */
	BT_RE_OP_SPLIT,		/* go to x, and (less preferred) to y */
	BT_RE_OP_JMP,		/* go to x */
	BT_RE_OP_SAVE,		/* capture slot a = position, then next */
	BT_RE_OP_BOL,		/* position == 0, then next */
	BT_RE_OP_EOL,		/* position == length: step past the end, then next */
	BT_RE_OP__COUNT
};

/* Errors (negative returns). */
#define BT_RE_ESYNTAX	(-1)	/* the pattern is not a valid regex */
#define BT_RE_ETOOBIG	(-2)	/* over a BT_RE_MAX_* limit */
#define BT_RE_ENOSPC	(-3)	/* output buffer too small */
#define BT_RE_EINVAL	(-4)	/* bad program, bad arguments */
#define BT_RE_ESCRATCH	(-5)	/* scratch memory too small */
#define BT_RE_ETIME	(-6)	/* bt_regex_match_timed(): tick said stop */
#define BT_RE_TICK_STEPS	8192	/* steps between tick() calls, about */

/* The program's little-endian fields (no alignment needed). */
static inline uint16_t bt_re_rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t bt_re_rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/*
 * Check a program from an untrusted source: header, sizes, limits, every
 * opcode, operand and jump target.  Returns 0 or BT_RE_EINVAL.  The
 * functions below assume a validated program.
 */
int bt_regex_validate(const void *prog, size_t len);

/* Groups, including group 0: ngroups() after a successful match. */
int bt_regex_ngroups(const void *prog);

/* ninsns x (1 + ngroups): a match's steps per input byte, at most. */
uint32_t bt_regex_cost(const void *prog);

/* Bytes of scratch memory bt_regex_match() needs for this program. */
size_t bt_regex_scratch_size(const void *prog);

/*
 * Search str[0 .. len) (NUL bytes are data) for the leftmost-longest
 * match.  Returns 1 and fills caps[0 .. ncaps) with the group offsets
 * (caps[2n], caps[2n+1]: start and end of group n, -1 if unset; slots
 * past 2 * ngroups are set to -1), 0 if there is no match, or
 * BT_RE_ESCRATCH / BT_RE_EINVAL.
 *
 * Cost is O((len + 2) * ninsns * slots tracked), and only the slots
 * asked for are tracked: pass ncaps = 2 * ngroups when the script uses
 * matched()/ngroups() anywhere (they read the last match of the
 * context), or caps NULL and ncaps 0 for a plain yes/no, which also
 * stops at the first match found.
 */
int bt_regex_match(const void *prog, const char *str, size_t len,
		   int32_t *caps, size_t ncaps, void *scratch,
		   size_t scratch_size);

/*
 * The same, calling tick(arg, steps) after about every BT_RE_TICK_STEPS
 * steps with the steps since the last call: a nonzero return stops the
 * match with BT_RE_ETIME (caps untouched).  The VM's time guard runs
 * there, so that one long match in probe context cannot outlast it.
 */
int bt_regex_match_timed(const void *prog, const char *str, size_t len,
			 int32_t *caps, size_t ncaps, void *scratch,
			 size_t scratch_size,
			 int (*tick)(void *arg, uint32_t steps), void *arg);

#endif /* BT_REGEX_H */
