/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bt_record.h - the output records the VM emits and user space formats.
 *
 * A record is a header followed by a payload; len covers both and is a
 * multiple of 8, so records pack back to back in a buffer.  Integers in
 * payloads are little-endian and may be unaligned (read with memcpy).
 *
 *	PRINTF	arg = format index.  Payload: the arguments in the order the
 *		format consumes them; an int is 8 bytes, a string is a
 *		uint16 length followed by that many bytes (no NUL).
 *	HIST	arg = map index.  Payload: uint32 nbuckets, uint32 trailing
 *		newlines to add (println), then int64 counts[nbuckets] of
 *		the merged histogram; its shape comes from the map's
 *		declaration.
 *	ERROR	arg = absolute pc that failed (BT_REC_NOPC if none).
 *		Payload: the message, NUL-terminated.  Printed as
 *		"ERROR: <message> near <location of pc>".
 *	WARN	arg = 0.  Payload: the message, NUL-terminated.  Printed as
 *		"WARNING: <message>".
 *	BACKTRACE  arg = flags (BT_REC_BT_*).  Payload: uint64 addresses,
 *		as many as fit in len, frame 0 first: print_backtrace().
 *		User space names them from /proc/kallsyms, one line each:
 *		" 0x<addr> : <sym>+0x<off>/0x<size> [<module>]" ("kernel"
 *		for the kernel image), " 0x<addr>" alone for no symbol.
 *		With BT_REC_BT_RETURN (a kretprobe) the first address is the
 *		probed function's, printed after "Returning from: ", and the
 *		second line starts "Returning to  : ".
 */
#ifndef BT_RECORD_H
#define BT_RECORD_H

#include "bt_types.h"

struct bt_rec {
	uint32_t len;
	uint16_t type;		/* enum bt_rec_type */
	uint16_t flags;		/* none yet */
	uint32_t arg;
	uint32_t pad;
};

enum bt_rec_type {
	BT_REC_PRINTF = 1,
	BT_REC_HIST,
	BT_REC_ERROR,
	BT_REC_WARN,
	BT_REC_BACKTRACE,
};

#define BT_REC_BT_RETURN 0x1u	/* BACKTRACE: addrs[0] is the returning function */

#define BT_REC_NOPC 0xffffffffu
#define BT_REC_ALIGN(n) (((n) + 7u) & ~7u)

#endif /* BT_RECORD_H */
