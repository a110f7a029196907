/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bt_glob.h - shell-style glob: * ? [abc] [a-z] [!x] (or [^x]); no escapes.
 * Iterative, so it is safe on any input in the kernel.
 */
#ifndef BT_GLOB_H
#define BT_GLOB_H

#include "bt_types.h"

bool bt_glob(const char *pat, const char *str);

#endif /* BT_GLOB_H */
