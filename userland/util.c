/*
 * util.c - checked allocation, the string hash table of util.h, and the
 * verifier's host needs (bt_host.h) for every user-space host.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"
#include "bt_host.h"

/* bt_verify() in user space: plain memory, nothing to yield to. */
void *bt_host_verify_alloc(size_t size)
{
	return malloc(size ? size : 1);
}

void bt_host_verify_free(void *p)
{
	free(p);
}

int bt_host_verify_yield(void)
{
	return 0;
}

static void out_of_memory(void)
{
	fputs("bytetap: out of memory\n", stderr);
	exit(1);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *xstrndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);

	memcpy(d, s, n);
	d[n] = 0;
	return d;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		out_of_memory();
	va_end(ap);
	return s;
}

/* FNV-1a: simple, and good enough for identifiers and constants. */
uint64_t hash_bytes(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = 0xcbf29ce484222325ull;

	while (n--) {
		h ^= *b++;
		h *= 0x100000001b3ull;
	}
	return h;
}

static struct strmap_slot *find_slot(const struct strmap *m, const void *key,
				      size_t len, uint64_t h)
{
	size_t i = h & (m->cap - 1);

	for (;;) {
		struct strmap_slot *s = &m->slots[i];

		if (!s->key || (s->hash == h && s->len == len &&
				memcmp(s->key, key, len) == 0))
			return s;
		i = (i + 1) & (m->cap - 1);
	}
}

uint64_t *strmap_find(const struct strmap *m, const void *key, size_t len)
{
	struct strmap_slot *s;

	if (!m->cap)
		return NULL;
	s = find_slot(m, key, len, hash_bytes(key, len));
	return s->key ? &s->val : NULL;
}

int strmap_get(const struct strmap *m, const void *key, size_t len, uint32_t *val)
{
	uint64_t *v = strmap_find(m, key, len);

	if (!v)
		return 0;
	*val = (uint32_t)*v;
	return 1;
}

static void grow(struct strmap *m)
{
	struct strmap old = *m;
	size_t i, size;

	m->cap = old.cap ? old.cap * 2 : 64;
	size = m->cap * sizeof(*m->slots);
	m->slots = m->alloc ? m->alloc(m->ctx, size) : xcalloc(m->cap, sizeof(*m->slots));
	for (i = 0; i < old.cap; i++) {
		struct strmap_slot *o = &old.slots[i];

		if (o->key)
			*find_slot(m, o->key, o->len, o->hash) = *o;
	}
	if (!m->alloc)
		free(old.slots);
}

void strmap_set(struct strmap *m, const void *key, size_t len, uint64_t val)
{
	uint64_t h = hash_bytes(key, len);
	struct strmap_slot *s;

	if ((m->n + 1) * 2 > m->cap)
		grow(m);
	s = find_slot(m, key, len, h);
	if (!s->key) {
		s->key = m->alloc ? key : xstrndup(key, len);
		s->len = len;
		s->hash = h;
		m->n++;
	}
	s->val = val;
}

void strmap_put(struct strmap *m, const void *key, size_t len, uint32_t val)
{
	strmap_set(m, key, len, val);
}

void strmap_each(const struct strmap *m, void (*fn)(uint64_t val, void *arg),
		 void *arg)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		if (m->slots[i].key)
			fn(m->slots[i].val, arg);
}

void strmap_free(struct strmap *m)
{
	size_t i;

	if (m->alloc)
		return;
	for (i = 0; i < m->cap; i++)
		free((char *)m->slots[i].key);
	free(m->slots);
	m->slots = NULL;
	m->cap = m->n = 0;
}
