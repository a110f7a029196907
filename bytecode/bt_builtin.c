// SPDX-License-Identifier: GPL-2.0
/*
 * bt_builtin.c - the builtin table generated from BT_BUILTINS.
 */
#include "bt_builtin.h"

/* Count the i / s letters of a signature at compile time. */
#define BT_COUNT_CH(s, ch)						\
	((sizeof(s) > 1 && (s)[0] == ch) + (sizeof(s) > 2 && (s)[1] == ch) + \
	 (sizeof(s) > 3 && (s)[2] == ch) + (sizeof(s) > 4 && (s)[3] == ch) + \
	 (sizeof(s) > 5 && (s)[4] == ch) + (sizeof(s) > 6 && (s)[5] == ch))

const struct bt_builtin_info bt_builtin_info[BT_B__COUNT] = {
#define BT_BUILTIN_INFO(id, nm, r, a, w)				\
	[BT_B_##id] = { nm, r, a, BT_COUNT_CH(a, 'i'), BT_COUNT_CH(a, 's'), BT_BW_##w },
	BT_BUILTINS(BT_BUILTIN_INFO)
#undef BT_BUILTIN_INFO
};
