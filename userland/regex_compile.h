/* SPDX-License-Identifier: GPL-2.0 */
/*
 * regex_compile.h - the compiler half of SystemTap's `=~` (user space
 * only): a pattern -> the program that the core's bt_regex_validate() and
 * bt_regex_match() check and run (bytecode/bt_regex.h has the dialect,
 * the program layout and the limits).
 */
#ifndef BYTETAP_REGEX_COMPILE_H
#define BYTETAP_REGEX_COMPILE_H

#include "bt_regex.h"

struct bt_regex_error {
	int32_t offset;		/* byte offset in the pattern, or -1 */
	char msg[96];		/* stap's wording where it has one */
};

/*
 * Compile pat[0 .. len) into out[0 .. cap), which is also the work area
 * (64 KiB is plenty for any sane pattern).  On success *size is the
 * program's length in bytes.  SystemTap reports failures as
 * "regex compilation error (at position N): MSG".
 */
int bt_regex_compile(const char *pat, size_t len, void *out, size_t cap,
		     size_t *size, struct bt_regex_error *err);

#endif /* BYTETAP_REGEX_COMPILE_H */
