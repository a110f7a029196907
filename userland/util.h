/*
 * util.h - small helpers for user-space code: checked allocation, growable
 * arrays and a string-keyed hash table.
 */
#ifndef BYTETAP_UTIL_H
#define BYTETAP_UTIL_H

#include <stddef.h>
#include <stdint.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * VEC(T): a growable array.  VEC_PUSH(v, x) appends; v.n, v.a[i].
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
#define VEC_FREE(v) do { free((v).a); (v).a = NULL; (v).n = (v).cap = 0; } while (0)

/* A hash table from byte strings to uint32 values (keys are copied). */
struct strmap {
	struct strmap_slot { char *key; size_t len; uint64_t hash; uint32_t val; } *slots;
	size_t cap, n;
};

uint64_t hash_bytes(const void *p, size_t n);
/* Returns 1 and sets *val if found. */
int strmap_get(const struct strmap *m, const void *key, size_t len, uint32_t *val);
/* Inserts or replaces. */
void strmap_put(struct strmap *m, const void *key, size_t len, uint32_t val);
void strmap_free(struct strmap *m);

#endif
