/* ingest.c: raw article -> document record (FORMAT.md "Document"). */
#include "olay/ingest.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "olay/buf.h"
#include "olay/langid.h"
#include "olay/sha256.h"

const char *const ingest_field_keys[NFIELDS] = {"id", "date", "title", "url", "text", "lang",
						"publisher"};

int ingester_init(struct ingester *in, const struct ingest_options *opt, const char *rules_dir,
		  FILE *err)
{
	memset(in, 0, sizeof *in);
	in->opt = *opt;
	if (encoder_init(&in->enc, opt->encoding, opt->strict_utf8)) {
		fprintf(err, "unknown encoding '%s' (iconv -l lists the names)\n",
			opt->encoding ? opt->encoding : "WINDOWS-125x");
		return -1;
	}
	in->dates = date_finder_new();
	if (!in->dates) {
		fprintf(err, "BUG: a date pattern does not compile\n");
		return -1;
	}
	struct buf dir = BUF_INIT;
	buf_adds(&dir, rules_dir);
	buf_adds(&dir, "/publishers");
	in->pubs = publishers_load(dir.p, err);
	buf_release(&dir);
	return in->pubs ? 0 : -1;
}

void ingester_release(struct ingester *in)
{
	date_finder_free(in->dates);
	publishers_free(in->pubs);
	strmap_release(&in->ids);
	strmap_release(&in->texts);
}

/* Fingerprint of the text with white space runs collapsed, for exact-duplicate detection.
 * Runs of non-space bytes are hashed whole. */
static int is_ws(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f';
}

static void text_fingerprint(const char *s, size_t n, char hex[65])
{
	struct sha256 c;
	unsigned char d[32];
	sha256_init(&c);
	size_t i = 0;
	int first = 1;
	while (i < n) {
		while (i < n && is_ws(s[i]))
			i++;
		size_t start = i;
		while (i < n && !is_ws(s[i]))
			i++;
		if (i > start) {
			if (!first)
				sha256_update(&c, " ", 1);
			sha256_update(&c, s + start, i - start);
			first = 0;
		}
	}
	sha256_final(&c, d);
	for (int k = 0; k < 32; k++)
		snprintf(hex + 2 * k, 3, "%02x", d[k]);
}

/* A field's value as a string: strings as they are, integers printed; else NULL. */
static const char *field_string(json_t *v, char *tmp, size_t tmplen)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(tmp, tmplen, "%lld", (long long)json_integer_value(v));
		return tmp;
	}
	return NULL;
}

/* "2025-09-17", "2025-09-17T10:00:00Z", "20250917" -> YYYY-MM-DD, else 0. */
static int parse_date_field(const char *s, char out[11])
{
	char tmp[11];
	size_t n = strlen(s);
	if (n >= 10 && (n == 10 || s[10] == 'T' || s[10] == ' ')) {
		memcpy(tmp, s, 10);
		tmp[10] = '\0';
	} else if (n == 8 && strspn(s, "0123456789") == 8) {
		snprintf(tmp, sizeof tmp, "%.4s-%.2s-%.2s", s, s + 4, s + 6);
	} else {
		return 0;
	}
	if (!date_valid(tmp))
		return 0;
	memcpy(out, tmp, 11);
	return 1;
}

static const char *canonical_lang(const char *s)
{
	static const char *const forms[][4] = {{"tr", "tur", "turkish", "türkçe"},
					       {"ar", "ara", "arabic", "العربية"},
					       {"en", "eng", "english", NULL},
					       {"und", "und", NULL, NULL}};
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
		for (int j = 0; j < 4 && forms[i][j]; j++)
			if (strcasecmp(s, forms[i][j]) == 0)
				return forms[i][0];
	return NULL;
}

/* First non-empty line that is not a dateline, trimmed; NULL when none. */
static json_t *first_line_title(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t e = i;
		while (e < n && s[e] != '\n')
			e++;
		size_t a = i, b = e;
		while (a < b && isspace((unsigned char)s[a]))
			a++;
		while (b > a && isspace((unsigned char)s[b - 1]))
			b--;
		if (b > a && !(b - a >= 15 && strncasecmp(s + a, "date ", 5) == 0 &&
			       isdigit((unsigned char)s[a + 5])))
			return json_stringn(s + a, b - a);
		i = e + 1;
	}
	return json_null();
}

static json_t *string_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

enum ingest_status ingest_document(struct ingester *in, const char *raw, size_t n, json_t *fields,
				   const char *fallback_id, const char *source_file, long source_line,
				   json_t **doc, char *why, size_t whylen, char *warn, size_t warnlen)
{
	char tmp[64];
	*doc = NULL;
	if (warn && warnlen)
		warn[0] = '\0';
	if (in->opt.max_bytes && n > in->opt.max_bytes) {
		snprintf(why, whylen, "document is %zu bytes, over --max-bytes %zu", n,
			 in->opt.max_bytes);
		return INGEST_REJECT;
	}
	struct buf text = BUF_INIT;
	struct enc_result er;
	enum enc_status es = encoder_decode(&in->enc, raw, n, &text, &er);
	switch (es) {
	case ENC_OK:
		break;
	case ENC_NOMEM:
		buf_release(&text);
		return INGEST_NOMEM;
	case ENC_EMPTY:
		snprintf(why, whylen, "empty document");
		buf_release(&text);
		return INGEST_REJECT;
	case ENC_NUL:
		snprintf(why, whylen, "NUL byte at byte offset %zu", er.offset);
		buf_release(&text);
		return INGEST_REJECT;
	case ENC_INVALID:
		snprintf(why, whylen, "invalid UTF-8 at byte offset %zu (--strict-utf8)", er.offset);
		buf_release(&text);
		return INGEST_REJECT;
	case ENC_UNDECODABLE:
		snprintf(why, whylen, "cannot decode as %s at byte offset %zu", in->enc.forced,
			 er.offset);
		buf_release(&text);
		return INGEST_REJECT;
	}

	/* exact duplicates: same text after white space normalisation */
	char fp[65];
	text_fingerprint(text.p, text.len, fp);
	const char *first = strmap_get(&in->texts, fp);
	if (first) {
		snprintf(why, whylen, "duplicate of '%s'", first);
		buf_release(&text);
		return INGEST_DUPLICATE;
	}

	/* doc_id: the record's id, else the fallback; made unique with -2, -3, ... */
	const char *id = field_string(json_object_get(fields, "doc_id"), tmp, sizeof tmp);
	if (!id || !*id)
		id = fallback_id;
	struct buf uid = BUF_INIT;
	buf_adds(&uid, id);
	for (int k = 2; strmap_get(&in->ids, uid.p); k++) {
		buf_reset(&uid);
		buf_adds(&uid, id);
		snprintf(tmp, sizeof tmp, "-%d", k);
		buf_adds(&uid, tmp);
	}

	/* language: field, option, detection */
	const char *lang = NULL, *lang_source = "detected";
	if (in->opt.lang) {
		lang = in->opt.lang;
		lang_source = "option";
	} else {
		json_t *lf = json_object_get(fields, "lang");
		if (json_is_string(lf) && json_string_length(lf)) {
			lang = canonical_lang(json_string_value(lf));
			if (lang)
				lang_source = "field";
			else if (warn)
				snprintf(warn, warnlen, "field 'lang' is not a language olay knows: '%.40s'; detected instead",
					 json_string_value(lf));
		}
		if (!lang)
			lang = langid_detect(text.p, text.len);
	}

	/* date: field, dateline, text, option */
	char date[11];
	const char *date_source = NULL;
	json_t *df = json_object_get(fields, "date");
	if (df && !json_is_null(df)) {
		const char *ds = json_is_string(df) ? json_string_value(df) : NULL;
		if (ds && parse_date_field(ds, date))
			date_source = "field";
		else if (ds && !*ds)
			; /* an empty cell: no date given */
		else {
			in->bad_fields++;
			if (warn)
				snprintf(warn, warnlen, "field 'date' is not a date (%.40s); looked in the text instead",
					 ds ? ds : "not a string");
		}
	}
	if (!date_source && date_find_dateline(in->dates, text.p, text.len, date))
		date_source = "dateline";
	if (!date_source && date_find_in_text(in->dates, text.p, text.len, lang, date))
		date_source = "text";
	if (!date_source && in->opt.date) {
		memcpy(date, in->opt.date, 11);
		date_source = "option";
	}

	/* title: the field, else (for a text file, not a CSV/JSONL record) its first line */
	json_t *title = json_object_get(fields, "title");
	title = json_is_string(title) ? json_incref(title)
	      : source_line > 0       ? json_null()
				      : first_line_title(text.p, text.len);
	json_t *pf = json_object_get(fields, "publisher");
	char *publisher = NULL;
	if (json_is_string(pf) && json_string_length(pf))
		publisher = strdup(json_string_value(pf));
	else
		publisher = publishers_find(in->pubs, text.p, text.len);
	json_t *url = json_object_get(fields, "url");

	char sha[65];
	sha256_hex(text.p, text.len, sha);

	json_t *d = json_object();
	json_object_set_new(d, "doc_id", json_string(uid.p));
	json_object_set_new(d, "title", title);
	json_object_set_new(d, "date", date_source ? json_string(date) : json_null());
	json_object_set_new(d, "date_source", string_or_null(date_source));
	json_object_set_new(d, "lang", json_string(lang));
	json_object_set_new(d, "lang_source", json_string(lang_source));
	json_object_set_new(d, "publisher", string_or_null(publisher));
	json_object_set_new(d, "url", json_is_string(url) ? json_incref(url) : json_null());
	json_object_set_new(d, "source_file", json_string(source_file));
	json_object_set_new(d, "source_line", source_line > 0 ? json_integer(source_line) : json_null());
	json_object_set_new(d, "sha256", json_string(sha));
	json_object_set_new(d, "bytes", json_integer((json_int_t)text.len));
	json_object_set_new(d, "repaired", json_integer((json_int_t)er.repaired));
	json_object_set_new(d, "encoding", json_string(er.encoding));
	/* the record's own fields pass through untouched */
	const char *key;
	json_t *val;
	json_object_foreach(fields, key, val) {
		if (!json_object_get(d, key) && strcmp(key, "text") != 0)
			json_object_set(d, key, val);
	}
	json_object_set_new(d, "text", json_stringn(text.p, text.len));
	free(publisher);

	if (strmap_put(&in->ids, uid.p, NULL) || strmap_put(&in->texts, fp, uid.p)) {
		json_decref(d);
		buf_release(&uid);
		buf_release(&text);
		return INGEST_NOMEM;
	}
	in->repaired_bytes += er.repaired;
	buf_release(&uid);
	buf_release(&text);
	*doc = d;
	return INGEST_OK;
}
