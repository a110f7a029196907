/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bt_types.h - fixed-width integer types for the freestanding VM core.
 *
 * Everything under bytecode/ compiles both into the kernel module and into
 * the user-space binary, so it may include only this header for its types:
 * the kernel's <linux/types.h> or the C freestanding headers.
 */
#ifndef BT_TYPES_H
#define BT_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/stddef.h>
#include <linux/limits.h>
#ifndef INT64_MIN
#define INT64_MIN S64_MIN
#define INT64_MAX S64_MAX
#define UINT64_MAX U64_MAX
#define UINT32_MAX U32_MAX
#define UINT16_MAX U16_MAX
#define INT32_MAX S32_MAX
#define INT32_MIN S32_MIN
#endif
#else
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#endif

#endif /* BT_TYPES_H */
