/*
 * util.h - small helpers for user-space code: checked allocation, growable
 * arrays, the hash function and the hash table.
 */
#ifndef BYTETAP_UTIL_H
#define BYTETAP_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * VEC(T): the growable array of userland/ (on the heap; a zeroed one is
 * empty).  VEC_PUSH(v, x) appends; v.n, v.a[i].  The front end's pointer
 * lists that live in the compiler's arena grow the same way through
 * vec_push() (diag.h).
 */
#define VEC(T) struct { T *a; size_t n, cap; }
#define VEC_RESERVE(v, want) do {					\
	if ((want) > (v).cap) {						\
		size_t nc_ = (v).cap ? (v).cap * 2 : 8;			\
		while (nc_ < (want))					\
			nc_ *= 2;					\
		(v).a = xrealloc((v).a, nc_ * sizeof(*(v).a));		\
		(v).cap = nc_;						\
	}								\
} while (0)
#define VEC_PUSH(v, x) do {						\
	VEC_RESERVE(v, (v).n + 1);					\
	(v).a[(v).n++] = (x);						\
} while (0)
/* Appends cnt elements from p; keeps room for one more (a terminator). */
#define VEC_APPEND(v, p, cnt) do {					\
	VEC_RESERVE(v, (v).n + (cnt) + 1);				\
	memcpy((v).a + (v).n, (p), (cnt) * sizeof(*(v).a));		\
	(v).n += (cnt);							\
} while (0)
#define VEC_FREE(v) do { free((v).a); (v).a = NULL; (v).n = (v).cap = 0; } while (0)

/*
 * The hash table of userland/: byte-string keys (any bytes, length given),
 * 64-bit values, open addressing over hash_bytes().  A zeroed table is
 * empty.  By default it lives on the heap, copies its keys and is freed
 * by strmap_free().  With `alloc` set it takes zeroed memory from that
 * allocator (an arena: nothing is freed) and keeps the caller's keys,
 * which must live as long as the table - diag.h's hmap is that kind.
 */
struct strmap {
	struct strmap_slot {
		const char *key;
		size_t len;
		uint64_t hash;
		uint64_t val;
	} *slots;
	size_t cap, n;
	void *(*alloc)(void *ctx, size_t size);	/* NULL: the heap */
	void *ctx;
};

/* FNV-1a, the one hash function of userland/. */
uint64_t hash_bytes(const void *p, size_t n);
/* Returns 1 and sets *val if found. */
int strmap_get(const struct strmap *m, const void *key, size_t len, uint32_t *val);
/* Inserts or replaces. */
void strmap_put(struct strmap *m, const void *key, size_t len, uint32_t val);
/* The same with the whole value: a pointer to it, or NULL if absent. */
uint64_t *strmap_find(const struct strmap *m, const void *key, size_t len);
void strmap_set(struct strmap *m, const void *key, size_t len, uint64_t val);
/* Calls fn on every value, in no particular order. */
void strmap_each(const struct strmap *m, void (*fn)(uint64_t val, void *arg),
		 void *arg);
/* A heap table's memory (an arena table's is the arena's). */
void strmap_free(struct strmap *m);

#endif
