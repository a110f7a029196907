/*
 * btf.h - the kernel's own type information (BTF), through libbpf.
 *
 * Target variables ($count, $file->f_inode->i_ino, @cast) and -L listings
 * need the types of kernel functions, tracepoints and structures.  A
 * kernel built with CONFIG_DEBUG_INFO_BTF carries them in
 * /sys/kernel/btf/vmlinux (modules: /sys/kernel/btf/NAME), so no debuginfo
 * package is needed.  BYTETAP_BTF=FILE reads another kernel's BTF (a raw
 * BTF blob or an ELF vmlinux), for tests and cross-compiling.  A kernel
 * with only DWARF debuginfo has it converted by pahole, once and cached
 * (BYTETAP_DEBUG_VMLINUX=FILE names the debuginfo, BYTETAP_CACHE the
 * cache directory).
 *
 * Type ids are those of libbpf's struct btf; a module's BTF is split on top
 * of vmlinux's, so its ids cover the kernel's types too.  Every "type"
 * argument below is such an id; 0 is void.
 */
#ifndef BYTETAP_BTF_H
#define BYTETAP_BTF_H

#include <stdbool.h>
#include <stdint.h>

struct btf;

/* The kernel's BTF, loaded once; NULL with *why set when there is none. */
const struct btf *kbtf_vmlinux(const char **why);
/* A loaded module's BTF ("kernel" = vmlinux); NULL with *why. */
const struct btf *kbtf_module(const char *module, const char **why);

/* Skip typedef, const, volatile, restrict and type tags. */
int kbtf_strip(const struct btf *b, int type);
/* Byte size of a type, or -1 (void, function). */
long kbtf_size(const struct btf *b, int type);
/* A printable C name, SystemTap style: "struct file*", "char const*". */
const char *kbtf_type_name(const struct btf *b, int type);

/* The prototype (a FUNC_PROTO id) of kernel function NAME, or -1. */
int kbtf_func(const struct btf *b, const char *name);
/* Parameters of a FUNC_PROTO: count, and each one's name and type. */
int kbtf_nparams(const struct btf *b, int proto);
const char *kbtf_param_name(const struct btf *b, int proto, int i);
int kbtf_param_type(const struct btf *b, int proto, int i);
int kbtf_return_type(const struct btf *b, int proto);

/*
 * Tracepoint NAME's arguments, as a FUNC_PROTO whose first parameter is
 * the probe's private data (skip it): -1 if the kernel has no such
 * tracepoint.  Names come from the event's own functions when the
 * typedef's prototype has none (see btf.c); *names gets nparams entries,
 * entry 0 unused, unnamed ones "argN".
 */
int kbtf_tracepoint(const struct btf *b, const char *name, const char ***names);

/*
 * Member NAME of struct/union TYPE (stripped), looking inside anonymous
 * members as C does: its type, and its offset in bits from the start of
 * TYPE; *bits = bitfield width, 0 for an ordinary member.  -1 if none.
 */
int kbtf_member(const struct btf *b, int type, const char *name,
		uint32_t *bit_offset, uint32_t *bits);

/* The name of member I of struct/union TYPE ("" if anonymous), NULL
 * past the last one. */
const char *kbtf_member_name(const struct btf *b, int type, int i);

/* "struct foo", "union foo", "enum foo" or a plain name: struct, union,
 * typedef, in that order.  -1 if unknown. */
int kbtf_named_type(const struct btf *b, const char *name);

/* Visit every kernel function / tracepoint whose name matches glob PAT;
 * each name once, in BTF order.  Returns the number visited. */
int kbtf_each_func(const struct btf *b, const char *pat,
		   void (*fn)(const char *name, void *arg), void *arg);
int kbtf_each_tracepoint(const struct btf *b, const char *pat,
			 void (*fn)(const char *name, void *arg), void *arg);

/* Type kinds the target-variable code distinguishes. */
enum kbtf_class {
	KBTF_OTHER,	/* void, function, float: no value */
	KBTF_INT,	/* integer, enum, bool, char */
	KBTF_PTR,
	KBTF_ARRAY,
	KBTF_STRUCT,	/* struct or union */
};
enum kbtf_class kbtf_class(const struct btf *b, int type);
bool kbtf_is_signed(const struct btf *b, int type);
bool kbtf_is_char(const struct btf *b, int type);	/* 1-byte int */
int kbtf_pointee(const struct btf *b, int type);	/* PTR → target */
int kbtf_array_elem(const struct btf *b, int type, uint32_t *nelems);

#endif /* BYTETAP_BTF_H */
