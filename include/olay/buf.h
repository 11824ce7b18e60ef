/* buf.h: a growable byte buffer, always NUL-terminated. A struct buf owns its bytes:
 * buf_release() frees them; buf_detach() hands them to the caller. Functions that can
 * allocate return 0, or -1 when out of memory (the buffer is then unchanged). */
#ifndef OLAY_BUF_H
#define OLAY_BUF_H

#include <stddef.h>

struct buf {
	char *p;
	size_t len, cap;
};
#define BUF_INIT {NULL, 0, 0}

int buf_grow(struct buf *b, size_t extra);
int buf_add(struct buf *b, const void *data, size_t n);
int buf_addc(struct buf *b, char c);
int buf_adds(struct buf *b, const char *s);
void buf_reset(struct buf *b);
void buf_release(struct buf *b);
char *buf_detach(struct buf *b, size_t *len);

#endif
