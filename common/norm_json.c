/* norm_json.c: the fast path of reading a record line (see norm_scan_record in norm.h).
 *
 * jansson parses a news document at about 50 MB/s and writes it back at about 100 MB/s;
 * that alone would hold normalize under its throughput floor. Most lines normalize reads
 * come from ingest, which wrote them with jansson: flat objects in jansson's own compact
 * form. For those, the line is checked strictly (any doubt sends it to jansson), the text
 * is unescaped directly, and the line is written back as it came. */
#include "olay/norm.h"
#include "olay/stage.h"
#include "olay/utf8.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KEYS 64

/* A string at line[*i] (just after its opening quote) in jansson's compact form: bytes
 * from 0x20 up except '"' and '\\', valid UTF-8, escapes only \" \\ \b \f \n \r \t.
 * Returns 1 and moves *i past the closing quote; *escapes tells whether any occurred. */
static int scan_string(const char *s, size_t n, size_t *i, int *escapes)
{
	size_t j = *i, run = j;
	*escapes = 0;
	while (j < n) {
		unsigned char c = (unsigned char)s[j];
		if (c == '"') {
			if (!utf8_valid(s + run, j - run, NULL))
				return 0;
			*i = j + 1;
			return 1;
		}
		if (c < 0x20)
			return 0;
		if (c == '\\') {
			if (j + 1 >= n)
				return 0;
			char e = s[j + 1];
			if (e != '"' && e != '\\' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't')
				return 0; /* \u and \/ : jansson would write them differently */
			if (!utf8_valid(s + run, j - run, NULL))
				return 0;
			*escapes = 1;
			j += 2;
			run = j;
			continue;
		}
		j++;
	}
	return 0;
}

static int unescape(const char *s, size_t a, size_t b, struct buf *out)
{
	out->len = 0;
	if (buf_grow(out, b - a) < 0)
		return -1;
	char *o = out->p;
	for (size_t i = a; i < b; i++) {
		if (s[i] != '\\') {
			*o++ = s[i];
			continue;
		}
		switch (s[++i]) {
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		default: *o++ = s[i];
		}
	}
	out->len = (size_t)(o - out->p);
	out->p[out->len] = '\0';
	return 0;
}

/* An integer as jansson writes it: -?(0|[1-9][0-9]*), at most 18 digits, not -0. */
static int scan_integer(const char *s, size_t n, size_t *i)
{
	size_t j = *i, d;
	if (j < n && s[j] == '-')
		j++;
	d = j;
	while (j < n && s[j] >= '0' && s[j] <= '9')
		j++;
	if (j == d || j - d > 18 || (s[d] == '0' && j - d > 1) || (s[d] == '0' && d > *i))
		return 0;
	if (j < n && (s[j] == '.' || s[j] == 'e' || s[j] == 'E'))
		return 0;
	*i = j;
	return 1;
}

static int key_is(const char *s, size_t a, size_t b, const char *k)
{
	size_t l = strlen(k);
	return b - a == l && memcmp(s + a, k, l) == 0;
}

int norm_scan_record(const char *s, size_t n, struct buf *scratch, struct norm_record *r)
{
	size_t keys[MAX_KEYS][2], nkeys = 0;
	memset(r, 0, sizeof(*r));
	if (n < 2 || s[0] != '{' || s[n - 1] != '}')
		return 0;
	size_t i = 1;
	if (s[i] == '}')
		return i + 1 == n;
	for (;;) {
		int esc;
		if (s[i] != '"')
			return 0;
		size_t ka = ++i;
		if (!scan_string(s, n, &i, &esc) || esc)
			return 0;
		size_t kb = i - 1;
		if (nkeys == MAX_KEYS)
			return 0;
		for (size_t k = 0; k < nkeys; k++)
			if (keys[k][1] - keys[k][0] == kb - ka && memcmp(s + keys[k][0], s + ka, kb - ka) == 0)
				return 0; /* a duplicate: the parser rejects it */
		keys[nkeys][0] = ka;
		keys[nkeys][1] = kb;
		nkeys++;
		if (key_is(s, ka, kb, "sentences") || key_is(s, ka, kb, "removed") ||
		    key_is(s, ka, kb, "norm"))
			return 0;
		int is_text = key_is(s, ka, kb, "text"), is_lang = key_is(s, ka, kb, "lang");
		if (i >= n || s[i] != ':')
			return 0;
		i++;
		if (i >= n)
			return 0;
		char c = s[i];
		if (c == '"') {
			size_t va = ++i;
			if (!scan_string(s, n, &i, &esc))
				return 0;
			size_t vb = i - 1;
			if (is_text) {
				r->text_state = 1;
				if (esc) {
					if (unescape(s, va, vb, scratch) < 0)
						return -1;
					r->text = scratch->p;
					r->text_len = scratch->len;
				} else {
					r->text = s + va;
					r->text_len = vb - va;
				}
			} else if (is_lang) {
				if (esc)
					return 0;
				r->lang_state = 1;
				size_t l = vb - va < sizeof r->lang - 1 ? vb - va : sizeof r->lang - 1;
				memcpy(r->lang, s + va, l);
				r->lang[l] = '\0';
			}
		} else if (c == '-' || (c >= '0' && c <= '9')) {
			if (!scan_integer(s, n, &i))
				return 0;
			r->text_state = is_text ? 2 : r->text_state;
			r->lang_state = is_lang ? 2 : r->lang_state;
		} else if (n - i >= 4 && memcmp(s + i, "null", 4) == 0) {
			i += 4;
			r->text_state = is_text ? 2 : r->text_state;
		} else if (n - i >= 4 && memcmp(s + i, "true", 4) == 0) {
			i += 4;
			r->text_state = is_text ? 2 : r->text_state;
			r->lang_state = is_lang ? 2 : r->lang_state;
		} else if (n - i >= 5 && memcmp(s + i, "false", 5) == 0) {
			i += 5;
			r->text_state = is_text ? 2 : r->text_state;
			r->lang_state = is_lang ? 2 : r->lang_state;
		} else {
			return 0; /* nested arrays and objects, reals: the parser's business */
		}
		if (i >= n)
			return 0;
		if (s[i] == '}')
			return i + 1 == n;
		if (s[i] != ',')
			return 0;
		i++;
	}
}

void norm_line_release(struct norm_line *r)
{
	buf_release(&r->out);
	json_decref(r->rec);
	r->rec = NULL;
	r->why = NULL;
}

/* Append the record head (without its closing brace), the new members and "}\n". */
static int finish(const struct norm_opts *opts, const char *head, size_t headlen,
		  const char *lang, const char *text, size_t textlen, struct norm_line *r)
{
	if (buf_add(&r->out, head, headlen - 1) < 0 || (headlen > 2 && buf_addc(&r->out, ',') < 0) ||
	    norm_document(opts, lang_from_code(lang), text, textlen, &r->out, &r->c) < 0 ||
	    buf_adds(&r->out, "}\n") < 0) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

int norm_line(const struct norm_opts *opts, const char *line, size_t len, struct buf *scratch,
	      struct norm_line *r)
{
	struct norm_record fr;
	buf_reset(&r->out);
	json_decref(r->rec);
	r->rec = NULL;
	r->why = NULL;
	memset(&r->c, 0, sizeof r->c);
	int fast = norm_scan_record(line, len, scratch, &fr);
	if (fast < 0)
		return -1;
	if (fast && fr.text_state == 1 && fr.lang_state != 2)
		return finish(opts, line, len, fr.lang_state ? fr.lang : NULL, fr.text, fr.text_len, r);

	json_t *rec = record_parse(line, len, r->why_buf, sizeof r->why_buf);
	if (!rec) {
		r->why = r->why_buf;
		return 0;
	}
	json_t *text = json_object_get(rec, "text"), *lang = json_object_get(rec, "lang");
	r->why = !text ? "missing field 'text'"
		 : !json_is_string(text) ? "field 'text' is not a string"
		 : lang && !json_is_null(lang) && !json_is_string(lang) ? "field 'lang' is not a string"
		 : NULL;
	if (r->why) {
		r->rec = rec;
		return 0;
	}
	/* a second run replaces what the first added */
	json_object_del(rec, "sentences");
	json_object_del(rec, "removed");
	json_object_del(rec, "norm");
	char *head = json_dumps(rec, JSON_COMPACT | JSON_REAL_PRECISION(10));
	int rc = head ? finish(opts, head, strlen(head), json_string_value(lang),
			       json_string_value(text), json_string_length(text), r)
		      : -1;
	free(head);
	json_decref(rec);
	if (rc < 0)
		errno = ENOMEM;
	return rc;
}
