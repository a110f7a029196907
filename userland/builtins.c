/*
 * builtins.c - the builtin signature table, derived from the VM's table
 * (bt_builtin.h) so that the two can never disagree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "builtins.h"
#include "bt_builtin.h"
#include "util.h"

static const struct builtin_sig specials[] = {
	{ "exit", 0, { 0 }, TY_UNKNOWN, -1, 0, BS_EXIT },
	{ "error", 1, { TY_STRING }, TY_UNKNOWN, -1, 0, BS_ERROR },
	{ "log", 1, { TY_STRING }, TY_UNKNOWN, -1, 0, BS_LOG },
	{ "print_char", 1, { TY_LONG }, TY_UNKNOWN, -1, 0, BS_PRINT_CHAR },
};

static struct builtin_sig *table;
static size_t ntable;
static struct strmap by_name_arity;	/* "name/N" -> table index */
static struct strmap by_name;

static enum type letter_type(char c)
{
	return c == 'i' ? TY_LONG : c == 's' ? TY_STRING : TY_UNKNOWN;
}

static void add(const struct builtin_sig *sig)
{
	char key[96];
	int n = snprintf(key, sizeof(key), "%s/%d", sig->name, sig->nargs);

	table[ntable] = *sig;
	strmap_put(&by_name_arity, key, n, ntable);
	strmap_put(&by_name, sig->name, strlen(sig->name), ntable);
	ntable++;
}

static void build_table(void)
{
	size_t i;

	table = xcalloc(BT_B__COUNT + sizeof(specials) / sizeof(specials[0]),
			sizeof(*table));
	for (i = 0; i < BT_B__COUNT; i++) {
		const struct bt_builtin_info *b = &bt_builtin_info[i];
		struct builtin_sig sig = { 0 };
		int k;

		sig.name = b->name;
		sig.ret = letter_type(b->ret);
		sig.nargs = strlen(b->args);
		for (k = 0; k < sig.nargs && k < BUILTIN_MAX_ARGS; k++)
			sig.args[k] = letter_type(b->args[k]);
		sig.id = i;
		if (b->where == BT_BW_HOST)
			sig.flags = BUILTIN_NEEDS_CONTEXT;
		add(&sig);
	}
	for (i = 0; i < sizeof(specials) / sizeof(specials[0]); i++)
		add(&specials[i]);
}

const struct builtin_sig *builtin_lookup(const char *name, int nargs)
{
	char key[96];
	uint32_t idx;
	int n;

	if (!table)
		build_table();
	n = snprintf(key, sizeof(key), "%s/%d", name, nargs);
	if (n <= 0 || (size_t)n >= sizeof(key))
		return NULL;
	return strmap_get(&by_name_arity, key, n, &idx) ? &table[idx] : NULL;
}

const struct builtin_sig *builtin_lookup_any(const char *name)
{
	uint32_t idx;

	if (!table)
		build_table();
	return strmap_get(&by_name, name, strlen(name), &idx) ? &table[idx] : NULL;
}
