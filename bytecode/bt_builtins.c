// SPDX-License-Identifier: GPL-2.0
/*
 * bt_builtins.c - CALLB: the CORE builtins of bt_builtin.h, and the
 * hand-off of the HOST ones to bt_host_builtin().
 *
 * Arguments follow CALLB's convention: ints from r[b] on, strings from
 * s[c] on (MAXSTRINGLEN apart); an int result goes to r[b], a string
 * result to s[c].  A string result may overwrite an argument, so functions
 * that cannot work in place render into ctx->scratch first.
 */
#include "bt_vm.h"
#include "bt_builtin.h"
#include "bt_host.h"
#include "bt_record.h"
#include "bt_util.h"
#include "bt_syscall_names.h"

#define RANDMAX	(1024 * 1024)	/* randint's limit, as tapset/random.stp */

static uint64_t prng_next(struct bt_ctx *ctx)
{
	uint64_t x = ctx->prng;	/* xorshift64* */

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	ctx->prng = x;
	return x * 0x2545f4914f6cdd1dull;
}

/* Length of pre if s starts with it, else 0; reads s only up to a mismatch. */
static size_t starts_with(const char *s, const char *pre)
{
	size_t i;

	for (i = 0; pre[i]; i++)
		if (s[i] != pre[i])
			return 0;
	return i;
}

/* ppfunc(): the name inside function("...") or inline("...") of pp(). */
static void ppfunc(char *dst, size_t cap, const char *pp)
{
	static const char *const pre[2] = { "function(\"", "inline(\"" };
	size_t n = 0, k, i, pl;

	for (k = 0; k < 2; k++) {
		for (i = 0; pp[i]; i++) {
			pl = starts_with(pp + i, pre[k]);
			if (!pl)
				continue;
			pp += i + pl;
			while (pp[n] && pp[n] != '@' && pp[n] != '"' && n + 1 < cap) {
				dst[n] = pp[n];
				n++;
			}
			dst[n] = 0;
			return;
		}
	}
	dst[0] = 0;
}

static void to_case(char *s, size_t cap, int upper)
{
	size_t i;

	for (i = 0; i + 1 < cap && s[i]; i++) {
		char c = s[i];

		if (upper && c >= 'a' && c <= 'z')
			s[i] = (char)(c - 'a' + 'A');
		else if (!upper && c >= 'A' && c <= 'Z')
			s[i] = (char)(c - 'A' + 'a');
	}
}

static int matched(struct bt_ctx *ctx, int64_t n, char *dst)
{
	int32_t st, en;

	if (!ctx->matched) {
		bt_ctx_failf(ctx, "Attempted to get subexpression %lld from failed match",
			     (long long)n);
		return -1;
	}
	if (n < 0 || n >= ctx->ngroups) {
		bt_ctx_failf(ctx, "Attempted to get nonexistent subexpression %lld",
			     (long long)n);
		return -1;
	}
	st = ctx->caps[2 * n];
	en = ctx->caps[2 * n + 1];
	if (st < 0 || en < 0)
		st = en = 0;	/* the group took no part: "" */
	if (en < st || (uint32_t)en >= ctx->slen)
		st = en = 0;
	bt_memcpy(dst, ctx->match_str + st, (size_t)(en - st));
	dst[en - st] = 0;
	return 0;
}

/* syscall_name(): "" for a number with no 64-bit system call, as stap's array */
static void syscall_name(char *dst, uint32_t cap, int64_t nr)
{
	const char *name = "";

	if (nr >= 0 && (uint64_t)nr < BT_NSYSCALL_NAMES && bt_syscall_names[nr])
		name = bt_syscall_names[nr];
	bt_strlcpy(dst, name, cap);
}

void bt_emit_backtrace(struct bt_ctx *ctx, uint32_t flags,
		       const uint64_t *addrs, uint32_t n)
{
	uint32_t len;
	struct bt_rec *rec;

	if (n > BT_MAXBACKTRACE)
		n = BT_MAXBACKTRACE;
	len = (uint32_t)sizeof(*rec) + n * 8u;	/* already a multiple of 8 */
	rec = bt_host_out_reserve(ctx, len);
	if (!rec) {
		__atomic_add_fetch(&ctx->sess->drop_count, 1, __ATOMIC_RELAXED);
		return;
	}
	rec->len = len;
	rec->type = BT_REC_BACKTRACE;
	rec->flags = 0;
	rec->arg = flags;
	rec->pad = 0;
	bt_memcpy(rec + 1, addrs, n * 8u);
	bt_host_out_commit(ctx, rec);
}

static int host_call(struct bt_ctx *ctx, unsigned int id, int64_t *r, char *s,
		     uint32_t b, uint32_t c)
{
	const struct bt_builtin_info *bi = &bt_builtin_info[id];
	const char *sargs[4];
	uint32_t slen = ctx->slen, j;
	int64_t iret = 0;
	int rc;

	for (j = 0; j < bi->nargs_s && j < 4; j++)
		sargs[j] = s + (size_t)(c + j) * slen;
	ctx->scratch[0] = 0;
	ctx->err_set = 0;
	rc = bt_host_builtin(ctx, id, &r[b], sargs, &iret, ctx->scratch, slen);
	if (rc < 0) {
		if (!ctx->err_set)
			bt_ctx_failf(ctx, "%s failed", bi->name);
		return -1;
	}
	if (bi->ret == 'i') {
		r[b] = iret;
	} else if (bi->ret == 's') {
		ctx->scratch[slen - 1] = 0;
		bt_strlcpy(s + (size_t)c * slen, ctx->scratch, slen);
	}
	return 0;
}

int bt_builtin_call(struct bt_ctx *ctx, unsigned int id, int64_t *r, char *s,
		    uint32_t b, uint32_t c)
{
	uint32_t slen = ctx->slen;
	char *s0 = s + (size_t)c * slen, *s1 = s0 + slen, *s2 = s1 + slen;
	char *tmp = ctx->scratch;
	size_t n;

	switch (id) {
	case BT_B_STRLEN:
		r[b] = bt_sf_strlen(s0, slen);
		return 0;
	case BT_B_SUBSTR:
		bt_sf_substr(s0, slen, s0, r[b], r[b + 1]);
		return 0;
	case BT_B_STRINGAT:
		if (bt_sf_stringat(s0, slen, r[b], &r[b]) < 0) {
			bt_ctx_fail(ctx, "Position out of bounds");
			return -1;
		}
		return 0;
	case BT_B_ISINSTR:
		r[b] = bt_sf_isinstr(s0, s1, slen);
		return 0;
	case BT_B_STRPOS:
		r[b] = bt_sf_strpos(s0, s1, slen);
		return 0;
	case BT_B_STR_REPLACE:
		n = bt_sf_str_replace(tmp, slen, s0, s1, s2);
		break;
	case BT_B_STRTOL:
		r[b] = bt_sf_strtol(s0, r[b], slen);
		return 0;
	case BT_B_ISDIGIT:
		r[b] = bt_sf_isdigit(s0);
		return 0;
	case BT_B_TEXT_STR:
		n = bt_sf_text_str(tmp, slen, s0);
		break;
	case BT_B_TEXT_STRN:
		n = bt_sf_text_strn(tmp, slen, s0, r[b], r[b + 1]);
		break;
	case BT_B_STRING_QUOTED:
		n = bt_sf_string_quoted(tmp, slen, s0);
		break;
	case BT_B_TOKENIZE:
		bt_sf_tokenize(&ctx->tok, s0, s1, s0, slen);
		return 0;
	case BT_B_MATCHED:
		return matched(ctx, r[b], s0);
	case BT_B_MATCHED_STR:
		return matched(ctx, 0, s0);
	case BT_B_NGROUPS:
		if (!ctx->matched) {
			bt_ctx_fail(ctx, "Attempted to get subexpression count from failed match");
			return -1;
		}
		r[b] = ctx->ngroups;
		return 0;
	case BT_B_TOUPPER:
	case BT_B_TOLOWER:
		to_case(s0, slen, id == BT_B_TOUPPER);
		return 0;
	case BT_B_RANDINT:
		if ((uint64_t)r[b] > RANDMAX) {
			bt_ctx_fail(ctx, "range too wide");
			return -1;
		}
		r[b] = r[b] ? (int64_t)(((prng_next(ctx) >> 32) * (uint64_t)r[b]) >> 32) : 0;
		return 0;
	case BT_B_ABORT:
		bt_host_exit(ctx);
		return -2;
	case BT_B_WARN:
		bt_vm_emit_text(ctx, BT_REC_WARN, 0, s0);
		return 0;
	case BT_B_PP:
		bt_strlcpy(s0, bt_ctx_pp(ctx), slen);
		return 0;
	case BT_B_PPFUNC:
		ppfunc(s0, slen, bt_ctx_pp(ctx));
		return 0;
	case BT_B_SYSCALL_NAME:
		syscall_name(s0, slen, r[b]);
		return 0;
	default:
		if (id >= BT_B__COUNT || bt_builtin_info[id].where != BT_BW_HOST) {
			bt_ctx_fail(ctx, "unknown builtin");
			return -1;
		}
		return host_call(ctx, id, r, s, b, c);
	}
	/*
	 * The arms that break built a string result of n bytes in scratch,
	 * since it is made from the very string it replaces.
	 */
	bt_memcpy(s0, tmp, n + 1);
	return 0;
}
