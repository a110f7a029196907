/*
 * parse/format.c - the printf format check, with the VM's own format
 * parser, shared by the parser's callers (sema) and the runtime.
 */
#include <string.h>
#include "bt_format.h"
#include "parse.h"

/* ---- printf format check ---- */

/*
 * Validates a printf format with the VM's own format parser (bt_format.h)
 * so that the compiler and the runtime agree on every conversion.
 * Returns the number of arguments the format consumes and stores 'l'
 * (long) or 's' (string) for the first `max` of them.
 */
int parse_format_args(const char *fmt, char *types, int max, bool *ok,
		      const char **msg)
{
	enum { NKINDS = 256 };
	uint8_t kinds[NKINDS];
	size_t nc = 0, nk = 0, len = strlen(fmt);
	struct bt_fmt_error err = { 0 };
	int rc = bt_fmt_parse(fmt, len, NULL, 0, &nc, kinds, NKINDS, &nk, &err);
	if (rc == BT_FMT_ETOOMANY)	/* count only; types past NKINDS: long */
		rc = bt_fmt_parse(fmt, len, NULL, 0, &nc, NULL, 0, &nk, &err);
	*ok = rc == 0;
	if (msg)
		*msg = err.msg ? err.msg : bt_fmt_strerror(rc);
	for (size_t i = 0; i < nk && (int)i < max; i++)
		types[i] = i < NKINDS && kinds[i] == BT_FMT_ARG_STR ? 's' : 'l';
	return (int)nk;
}
