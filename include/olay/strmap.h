/* strmap.h: a hash map from strings to strings (open addressing, FNV-1a). The map owns
 * copies of its keys and values. Not thread-safe. */
#ifndef OLAY_STRMAP_H
#define OLAY_STRMAP_H

#include <stddef.h>

struct strmap {
	char **keys, **vals;
	size_t n, cap;
};
#define STRMAP_INIT {NULL, NULL, 0, 0}

/* The value stored for key, or NULL. */
const char *strmap_get(const struct strmap *m, const char *key);
/* Store a copy of key -> val (val may be NULL), replacing an old value. 0, or -1 (ENOMEM). */
int strmap_put(struct strmap *m, const char *key, const char *val);
void strmap_release(struct strmap *m);

unsigned long long hash_fnv1a(const void *data, size_t n);

#endif
