/*
 * check.h - the tiny assertion kit every selftests/unit program uses.
 *
 * Each CHECK prints one line, "ok - WHAT" or "FAIL - WHAT (file:line)", and
 * selftests/run counts those lines.  A program ends with
 * "return check_done();", which exits non-zero when anything failed.
 */
#ifndef BYTETAP_SELFTEST_CHECK_H
#define BYTETAP_SELFTEST_CHECK_H

#include <stdio.h>
#include <string.h>
#include <inttypes.h>

static int check_failures;

#define CHECK(cond, what) do {						\
	if (cond) {							\
		printf("ok - %s\n", (what));				\
	} else {							\
		printf("FAIL - %s (%s:%d)\n", (what), __FILE__, __LINE__); \
		check_failures++;					\
	}								\
} while (0)

#define CHECK_INT(got, want, what) do {					\
	long long got_ = (long long)(got), want_ = (long long)(want);	\
	if (got_ == want_) {						\
		printf("ok - %s\n", (what));				\
	} else {							\
		printf("FAIL - %s: got %lld, want %lld (%s:%d)\n",	\
		       (what), got_, want_, __FILE__, __LINE__);	\
		check_failures++;					\
	}								\
} while (0)

#define CHECK_STR(got, want, what) do {					\
	const char *got_ = (got), *want_ = (want);			\
	if (got_ && want_ && strcmp(got_, want_) == 0) {		\
		printf("ok - %s\n", (what));				\
	} else {							\
		printf("FAIL - %s:\n  got  [%s]\n  want [%s] (%s:%d)\n", \
		       (what), got_ ? got_ : "(null)", want_ ? want_ : "(null)", \
		       __FILE__, __LINE__);				\
		check_failures++;					\
	}								\
} while (0)

static inline int check_done(void)
{
	return check_failures ? 1 : 0;
}

#endif
