/* encoding.c: UTF-8 validation, legacy code-page repair, line-end normalisation. */
#include "olay/encoding.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>

#include "olay/utf8.h"

static const char *const codepages[3] = {"WINDOWS-1252", "WINDOWS-1254", "WINDOWS-1256"};
static const char *const codepage_names[3] = {"windows-1252", "windows-1254", "windows-1256"};
enum { CP1252, CP1254, CP1256 };

int encoder_init(struct encoder *e, const char *forced, int strict_utf8)
{
	memset(e, 0, sizeof *e);
	e->forced = forced;
	e->strict_utf8 = strict_utf8;
	for (int t = 0; t < 3; t++) {
		iconv_t cd = iconv_open("UTF-8", codepages[t]);
		if (cd == (iconv_t)-1)
			return -1;
		for (int b = 0x80; b < 0x100; b++) {
			char in = (char)b, out[8];
			char *ip = &in, *op = out;
			size_t il = 1, ol = sizeof out;
			iconv(cd, NULL, NULL, NULL, NULL);
			uint32_t cp = 0xFFFD; /* a byte the code page leaves undefined */
			if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1)
				utf8_decode(out, (size_t)(op - out), 0, &cp);
			e->table[t][b - 0x80] = cp;
		}
		iconv_close(cd);
	}
	if (forced) {
		iconv_t cd = iconv_open("UTF-8", forced);
		if (cd == (iconv_t)-1)
			return -1;
		iconv_close(cd);
	}
	return 0;
}

const char *enc_status_text(enum enc_status s)
{
	switch (s) {
	case ENC_OK: return "ok";
	case ENC_EMPTY: return "empty document";
	case ENC_NUL: return "NUL byte";
	case ENC_INVALID: return "invalid UTF-8";
	case ENC_UNDECODABLE: return "cannot decode";
	case ENC_NOMEM: return "out of memory";
	}
	return "?";
}

/* Which code page stray bytes most likely come from, judged by the valid UTF-8 letters
 * around them (Arabic script, Turkish-only letters) or, for a wholly legacy document, by
 * the byte values themselves. */
static int guess_codepage(const unsigned char *s, size_t n, int whole)
{
	size_t arabic = 0, turkish = 0, high = 0, letters = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int len = whole ? 0 : utf8_decode((const char *)s, n, i, &cp);
		if (len <= 1) {
			unsigned char c = s[i];
			if (c >= 0x80) {
				high++;
				/* cp1254: ğ ı ş İ Ş Ğ at F0 FD FE DD DE D0 */
				if (c == 0xF0 || c == 0xFD || c == 0xFE || c == 0xDD || c == 0xDE || c == 0xD0)
					turkish++;
			} else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
				letters++;
			}
			i++;
			continue;
		}
		if (cp >= 0x0600 && cp <= 0x06FF)
			arabic++;
		else if (cp == 0x011F || cp == 0x011E || cp == 0x0131 || cp == 0x0130 ||
			 cp == 0x015F || cp == 0x015E)
			turkish++;
		i += (size_t)len;
	}
	if (whole) {
		/* Arabic text in cp1256 is mostly high bytes; Latin text mostly ASCII letters. */
		if (high > letters)
			return CP1256;
		return turkish * 50 >= high && turkish > 0 ? CP1254 : CP1252;
	}
	if (arabic > 0 && arabic >= turkish)
		return CP1256;
	return turkish > 0 ? CP1254 : CP1252;
}

static int add_cp(struct buf *out, uint32_t cp)
{
	char tmp[4];
	return buf_add(out, tmp, (size_t)utf8_encode(cp, tmp));
}

/* Copy s into out, turning CRLF and lone CR into LF. */
static int add_text(struct buf *out, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\r')
			continue;
		if (buf_add(out, s + start, i - start) || buf_addc(out, '\n'))
			return -1;
		if (i + 1 < n && s[i + 1] == '\n')
			i++;
		start = i + 1;
	}
	return buf_add(out, s + start, n - start);
}

static enum enc_status decode_forced(struct encoder *e, const char *raw, size_t n, struct buf *out,
				     struct enc_result *res)
{
	iconv_t cd = iconv_open("UTF-8", e->forced);
	if (cd == (iconv_t)-1)
		return ENC_UNDECODABLE;
	struct buf tmp = BUF_INIT;
	char *ip = (char *)raw;
	size_t il = n;
	enum enc_status st = ENC_OK;
	while (il > 0) {
		if (buf_grow(&tmp, il * 4 + 16)) {
			st = ENC_NOMEM;
			break;
		}
		char *op = tmp.p + tmp.len;
		size_t ol = tmp.cap - tmp.len - 1;
		size_t r = iconv(cd, &ip, &il, &op, &ol);
		tmp.len = (size_t)(op - tmp.p);
		if (r == (size_t)-1 && errno != E2BIG) {
			res->offset = (size_t)(ip - raw);
			st = ENC_UNDECODABLE;
			break;
		}
	}
	iconv_close(cd);
	if (st == ENC_OK) {
		if (add_text(out, tmp.p ? tmp.p : "", tmp.len))
			st = ENC_NOMEM;
		res->repaired = n;
		res->encoding = e->forced;
	}
	buf_release(&tmp);
	return st;
}

enum enc_status encoder_decode(struct encoder *e, const char *raw, size_t n, struct buf *out,
			       struct enc_result *res)
{
	buf_reset(out);
	res->repaired = 0;
	res->encoding = "utf-8";
	res->offset = 0;

	const char *nul = memchr(raw, '\0', n);
	if (nul) {
		res->offset = (size_t)(nul - raw);
		return ENC_NUL;
	}
	if (n >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0) {
		raw += 3;
		n -= 3;
	}
	enum enc_status st = ENC_OK;
	if (e->forced) {
		st = decode_forced(e, raw, n, out, res);
	} else if (utf8_valid(raw, n, &res->offset)) {
		if (add_text(out, raw, n))
			st = ENC_NOMEM;
	} else if (e->strict_utf8) {
		st = ENC_INVALID;
	} else {
		/* Count invalid bytes against valid multi-byte characters to tell stray bytes in
		 * UTF-8 text from a document wholly in a legacy code page (whose high bytes only
		 * rarely happen to form a valid UTF-8 sequence). */
		size_t bad = 0, valid = 0;
		for (size_t i = 0; i < n;) {
			uint32_t cp;
			if ((unsigned char)raw[i] < 0x80) {
				i++;
				continue;
			}
			int len = utf8_decode(raw, n, i, &cp);
			if (len == 0) {
				bad++;
				i++;
			} else {
				valid++;
				i += (size_t)len;
			}
		}
		int whole = valid * 4 < bad;
		int cp = guess_codepage((const unsigned char *)raw, n, whole);
		struct buf tmp = BUF_INIT;
		for (size_t i = 0; i < n && st == ENC_OK;) {
			unsigned char c = (unsigned char)raw[i];
			uint32_t u;
			int len = (c < 0x80) ? 1 : whole ? 0 : utf8_decode(raw, n, i, &u);
			if (len > 0) {
				if (buf_add(&tmp, raw + i, (size_t)len))
					st = ENC_NOMEM;
				i += (size_t)len;
			} else {
				if (add_cp(&tmp, e->table[cp][c - 0x80]))
					st = ENC_NOMEM;
				res->repaired++;
				i++;
			}
		}
		if (st == ENC_OK && add_text(out, tmp.p ? tmp.p : "", tmp.len))
			st = ENC_NOMEM;
		buf_release(&tmp);
		res->encoding = codepage_names[cp];
	}
	if (st != ENC_OK)
		return st;
	for (size_t i = 0; i < out->len; i++)
		if (out->p[i] != ' ' && out->p[i] != '\n' && out->p[i] != '\t')
			return ENC_OK;
	return ENC_EMPTY;
}
