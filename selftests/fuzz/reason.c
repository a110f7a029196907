/*
 * reason.c - a refusal message as a class (reason.h).
 *
 * The verifier names functions, pcs, registers and maps in its messages;
 * counting them verbatim would give one "reason" per program.  What is
 * left after dropping those is the rule that was broken.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "reason.h"

void reason_class(const char *msg, int err, char *out, size_t cap)
{
	const char *p = msg;
	size_t o = 0;

	if (!strncmp(p, "func '", 6)) {
		const char *colon = strstr(p, ": ");

		if (colon)
			p = colon + 2;
	}
	if (err && err != EINVAL)
		o += snprintf(out, cap, "[%s] ", strerror(err));
	/* "probe 3 (kernel.trace("x")): ..." - the point is not the rule */
	if (!strncmp(p, "probe ", 6)) {
		const char *end = strstr(p, "): ");

		if (end && strchr(p, '(') < end) {
			o += snprintf(out + o, cap - o, "probe N: ");
			p = end + 3;
		}
	}
	while (*p && o + 2 < cap) {
		/* a quote opens after a space or '(' (not "the probe's") */
		if ((*p == '\'' || *p == '"') && (p == msg || p[-1] == ' ' || p[-1] == '(')) {
			char q = *p++;

			while (*p && *p != q)
				p++;
			if (*p)
				p++;
			out[o++] = q;
			out[o++] = q;
		} else if (p[0] == '0' && p[1] == 'x') {
			for (p += 2; (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'); p++)
				;
			out[o++] = 'N';
		} else if (*p >= '0' && *p <= '9') {
			while ((*p >= '0' && *p <= '9') || *p == '-')
				p++;
			out[o++] = 'N';
		} else {
			out[o++] = *p++;
		}
	}
	out[o < cap ? o : cap - 1] = 0;
	if (!out[0])
		snprintf(out, cap, "[%s] (no message)", strerror(err ? err : EINVAL));
}

/*
 * First match wins; the patterns are pieces of the messages of
 * bytecode/bt_load.c, bt_verify.c and vm-module/ (session.c, attach.c,
 * tracepoint.c).
 */
static const struct { const char *pat, *kind; } kinds[] = {
	{ "ATTACH:", "ATTACH: kprobe refused" },
	{ "START:", "START failed" },
	{ "[Cannot allocate memory]", "module: memory ceiling (ENOMEM)" },
	{ "(MAXACTION, x", "module: MAXACTION over its ceiling" },
	{ "module parameter", "module: other ceilings" },
	{ "TRYEND without TRY", "I3 try stack: pops a block that is not open" },
	{ "try blocks but only", "I3 try stack: pops a block that is not open" },
	{ "reached ", "I3 try stack: two stacks at one pc" },
	{ "LOOP to", "I3 try stack: two stacks at one pc" },
	{ "try blocks nest", "I3 try stack: deeper than ntries" },
	{ "nested deeper", "I3 try stack: deeper than ntries" },
	{ "reads iterator", "I4 iterator not set up on every path" },
	{ "lock set", "I5 lock set misses a variable" },
	{ "locks ", "probe table: lock list malformed" },
	{ "bad lock", "probe table: lock list malformed" },
	{ "jump target", "I2 jumps and ends" },
	{ "LOOP target", "I2 jumps and ends" },
	{ "falls off", "I2 jumps and ends" },
	{ "function ends with", "I2 jumps and ends" },
	{ "EXT", "I2 EXT words" },
	{ "section", "blob layout" },
	{ "STRTAB", "blob layout" },
	{ "magic", "blob layout" },
	{ "blob", "blob layout" },
	{ "header", "blob layout" },
	{ "CODE ", "blob layout" },
	{ "map '':", "map declarations" },
	{ "map N:", "map declarations" },
	{ "global '':", "global declarations" },
	{ "global N:", "global declarations" },
	{ "function '':", "function declarations" },
	{ "function N:", "function declarations" },
	{ "probe N", "probe table" },
	{ "probe kind", "probe table" },
	{ "format N:", "formats" },
	{ "limit", "limits" },
	{ "(no message)", "no message" },
};

const char *reason_kind(const char *cls)
{
	unsigned int i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strstr(cls, kinds[i].pat))
			return kinds[i].kind;
	return "I1 operands";	/* registers, indexes, kinds, unused fields, x */
}
