/* link_sort.h: an external sort of (key, value) byte strings in bounded memory.
 *
 * Items are buffered up to a memory budget; a full buffer is sorted and written as a run
 * to an unlinked temporary file under $TMPDIR (else /tmp), so the files disappear when
 * the process ends, normally or not. Reading back merges the runs (a binary heap over
 * k runs) and streams the items in order of key, then value (memcmp, shorter first), so
 * the order depends only on the set of items. Everything that fits in one buffer is
 * never written to disk.
 *
 * Ownership: the sorter copies what it is given; pointers returned by link_sort_next()
 * stay valid until the next call. Library code: -1 on error (out of memory, I/O).
 * Not thread-safe: one sorter per thread. */
#ifndef OLAY_LINK_SORT_H
#define OLAY_LINK_SORT_H

#include <stddef.h>
#include <stdint.h>

struct link_sort;

/* mem: the buffer budget in bytes (items and their index); at least 4096 is used. */
struct link_sort *link_sort_new(size_t mem);
void link_sort_free(struct link_sort *s);

/* Add one item. Returns 0, -1 on error. Not after link_sort_finish(). */
int link_sort_add(struct link_sort *s, const void *key, uint32_t klen, const void *val,
		  uint32_t vlen);

/* No more items: sort the last buffer and open the merge. Returns 0, -1 on error. */
int link_sort_finish(struct link_sort *s);

/* The next item in order: 1 and the pointers set, 0 at the end, -1 on a read error. */
int link_sort_next(struct link_sort *s, const char **key, uint32_t *klen, const char **val,
		   uint32_t *vlen);

/* Items added, runs written to disk, bytes written to them. */
unsigned long long link_sort_items(const struct link_sort *s);
unsigned link_sort_runs(const struct link_sort *s);
unsigned long long link_sort_spilled(const struct link_sort *s);

#endif
