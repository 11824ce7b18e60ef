/* encoding.h: turn raw article bytes into clean UTF-8 text.
 *
 * Scraped news is mostly UTF-8 with stray bytes of a Windows code page (smart quotes
 * 0x91-0x94 from old sites), or wholly in a legacy code page. The repair decodes such bytes
 * with the code page of the text's script: Windows-1254 for Turkish, 1256 for Arabic, 1252
 * otherwise; a document most of whose non-ASCII bytes are not UTF-8 is decoded whole.
 *
 * Not thread-safe: a struct encoder holds iconv descriptors. */
#ifndef OLAY_ENCODING_H
#define OLAY_ENCODING_H

#include <stddef.h>
#include <stdint.h>

#include "olay/buf.h"

enum enc_status {
	ENC_OK = 0,
	ENC_EMPTY,    /* nothing but white space */
	ENC_NUL,      /* a NUL byte at *offset */
	ENC_INVALID,  /* invalid UTF-8 at *offset, and repair was not allowed */
	ENC_UNDECODABLE, /* the forced encoding cannot decode the bytes at *offset */
	ENC_NOMEM
};

struct encoder {
	const char *forced; /* --encoding NAME: decode every document with NAME (iconv) */
	int strict_utf8;    /* --strict-utf8: reject invalid UTF-8 instead of repairing */
	uint32_t table[3][128]; /* bytes 0x80-0xFF of windows-1252, -1254, -1256 */
};

struct enc_result {
	size_t repaired;      /* bytes decoded from a code page (all of them when whole) */
	const char *encoding; /* "utf-8" or the code page used */
	size_t offset;        /* where the problem is, for ENC_NUL/ENC_INVALID/ENC_UNDECODABLE */
};

/* Build the code page tables (iconv). Returns 0, or -1 when iconv lacks a code page or
 * the forced encoding is unknown to iconv. */
int encoder_init(struct encoder *e, const char *forced, int strict_utf8);

/* Decode raw[0..n) into out (cleared first): BOM dropped, CRLF and lone CR become LF,
 * invalid bytes repaired per the rules above. */
enum enc_status encoder_decode(struct encoder *e, const char *raw, size_t n, struct buf *out,
			       struct enc_result *res);

const char *enc_status_text(enum enc_status s);

#endif
