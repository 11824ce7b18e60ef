/* strmap.c: string -> string hash map. */
#include "olay/strmap.h"

#include <stdlib.h>
#include <string.h>

unsigned long long hash_fnv1a(const void *data, size_t n)
{
	const unsigned char *p = data;
	unsigned long long h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static size_t slot(char *const *keys, size_t cap, const char *key)
{
	size_t i = (size_t)hash_fnv1a(key, strlen(key)) & (cap - 1);
	while (keys[i] && strcmp(keys[i], key) != 0)
		i = (i + 1) & (cap - 1);
	return i;
}

const char *strmap_get(const struct strmap *m, const char *key)
{
	if (!m->cap)
		return NULL;
	size_t i = slot(m->keys, m->cap, key);
	return m->keys[i] ? (m->vals[i] ? m->vals[i] : "") : NULL;
}

static int rehash(struct strmap *m, size_t cap)
{
	char **keys = calloc(cap, sizeof *keys), **vals = calloc(cap, sizeof *vals);
	if (!keys || !vals) {
		free(keys);
		free(vals);
		return -1;
	}
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->keys[i])
			continue;
		size_t j = slot(keys, cap, m->keys[i]);
		keys[j] = m->keys[i];
		vals[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->cap = cap;
	return 0;
}

int strmap_put(struct strmap *m, const char *key, const char *val)
{
	if ((m->n + 1) * 2 > m->cap && rehash(m, m->cap ? m->cap * 2 : 64))
		return -1;
	size_t i = slot(m->keys, m->cap, key);
	char *v = val ? strdup(val) : NULL;
	if (val && !v)
		return -1;
	if (m->keys[i]) {
		free(m->vals[i]);
		m->vals[i] = v;
		return 0;
	}
	m->keys[i] = strdup(key);
	if (!m->keys[i]) {
		free(v);
		return -1;
	}
	m->vals[i] = v;
	m->n++;
	return 0;
}

void strmap_release(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++) {
		free(m->keys[i]);
		free(m->vals[i]);
	}
	free(m->keys);
	free(m->vals);
	m->keys = m->vals = NULL;
	m->n = m->cap = 0;
}
