// SPDX-License-Identifier: GPL-2.0
/*
 * bt_isa.c - the operand table generated from BT_OPCODES, shared by the
 * verifier, the disassembler and the code generator.
 */
#include "bt_isa.h"

const struct bt_op_info bt_op_info[BT_OP__COUNT] = {
#define BT_OP_INFO(name, a, b, c, ext, ea, eb, ec)			\
	[BT_OP_##name] = { #name, { BT_O_##a, BT_O_##b, BT_O_##c }, ext,	\
			   { BT_O_##ea, BT_O_##eb, BT_O_##ec } },
	BT_OPCODES(BT_OP_INFO)
#undef BT_OP_INFO
};
