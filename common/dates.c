/* dates.c: date lines and written dates in Turkish, Arabic and English. */
#include "olay/dates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "olay/buf.h"
#include "olay/utf8.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* Month names; index = month number - 1 within each group of twelve. Turkish names are
 * listed with and without Turkish letters, and in upper case because PCRE2's caseless mode
 * does not know that I lower-cases to ı. */
static const char *const tr_months[12] = {
	"ocak|OCAK", "şubat|Şubat|subat|ŞUBAT|SUBAT", "mart|MART", "nisan|NİSAN|NISAN",
	"mayıs|mayis|MAYIS", "haziran|HAZİRAN|HAZIRAN", "temmuz|TEMMUZ",
	"ağustos|agustos|AĞUSTOS|AGUSTOS", "eylül|eylul|EYLÜL|EYLUL", "ekim|EKİM|EKIM",
	"kasım|kasim|KASIM", "aralık|aralik|ARALIK"};
static const char *const ar_months[12] = {
	"يناير|كانون الثاني|جانفي", "فبراير|شباط|فيفري", "مارس|آذار|اذار",
	"أبريل|ابريل|إبريل|نيسان|أفريل", "مايو|أيار|ايار|ماي", "يونيو|يونيه|حزيران|جوان",
	"يوليو|يوليه|تموز|جويلية", "أغسطس|اغسطس|آب|اب|أوت", "سبتمبر|أيلول|ايلول",
	"أكتوبر|اكتوبر|تشرين الأول|تشرين الاول", "نوفمبر|تشرين الثاني", "ديسمبر|كانون الأول|كانون الاول"};
static const char *const en_months[12] = {
	"january|jan", "february|feb", "march|mar", "april|apr", "may", "june|jun", "july|jul",
	"august|aug", "september|sept|sep", "october|oct", "november|nov", "december|dec"};

enum form { F_ISO, F_NUMERIC, F_DMY_NAME, F_MDY_NAME, F_AR, NFORMS };

struct date_finder {
	pcre2_code *dateline;
	pcre2_code *form[NFORMS];
};

static pcre2_code *compile(const char *pat)
{
	int err;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
				       PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_MULTILINE,
				       &err, &off, NULL);
	if (re)
		pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return re;
}

/* "(?:a|b)(?:c|d)..." with each month in its own numbered group-free alternation; the
 * month number is found afterwards by matching the name against each month's list. */
static void add_months(struct buf *b, const char *const months[12])
{
	buf_adds(b, "(");
	for (int m = 0; m < 12; m++) {
		if (m)
			buf_adds(b, "|");
		buf_adds(b, months[m]);
	}
	buf_adds(b, ")");
}

struct date_finder *date_finder_new(void)
{
	struct date_finder *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	struct buf b = BUF_INIT;
	const char *nb = "(?<![\\p{L}\\p{N}])", *na = "(?![\\p{L}\\p{N}])";
	f->dateline = compile("\\A(?:[^\\n]*\\n){0,4}?\\h*(?:date|tarih|التاريخ)\\h*:?\\h*"
			      "(\\d{4})-(\\d{2})-(\\d{2})(?!\\d)");
	f->form[F_ISO] = compile("(?<![\\d-])(\\d{4})-(\\d{2})-(\\d{2})(?![\\d-])");
	f->form[F_NUMERIC] = compile("(?<![\\d./])(\\d{1,2})([./])(\\d{1,2})\\2(\\d{4})(?![\\d./])");
	/* 29 Aralık 2018, 29 Dec. 2018, 29th December 2018 */
	buf_adds(&b, nb);
	buf_adds(&b, "(\\d{1,2})(?:st|nd|rd|th)?\\h+");
	buf_adds(&b, "(?:");
	add_months(&b, tr_months);
	buf_adds(&b, "|");
	add_months(&b, en_months);
	buf_adds(&b, ")\\.?,?\\h+(\\d{4})");
	buf_adds(&b, na);
	f->form[F_DMY_NAME] = compile(b.p);
	buf_reset(&b);
	/* December 29, 2018 */
	buf_adds(&b, nb);
	add_months(&b, en_months);
	buf_adds(&b, "\\.?\\h+(\\d{1,2})(?:st|nd|rd|th)?,?\\h+(\\d{4})");
	buf_adds(&b, na);
	f->form[F_MDY_NAME] = compile(b.p);
	buf_reset(&b);
	/* 29 ديسمبر 2018, 29 كانون الأول 2018, 15 يوليو/ تموز 2016 */
	buf_adds(&b, nb);
	buf_adds(&b, "(\\d{1,2})\\h+");
	add_months(&b, ar_months);
	buf_adds(&b, "(?:\\h*/\\h*");
	add_months(&b, ar_months);
	buf_adds(&b, ")?\\h+(?:عام\\h+|سنة\\h+)?(\\d{4})");
	buf_adds(&b, na);
	f->form[F_AR] = compile(b.p);
	buf_release(&b);
	for (int i = 0; i < NFORMS; i++)
		if (!f->form[i]) {
			date_finder_free(f);
			return NULL;
		}
	if (!f->dateline) {
		date_finder_free(f);
		return NULL;
	}
	return f;
}

void date_finder_free(struct date_finder *f)
{
	if (!f)
		return;
	pcre2_code_free(f->dateline);
	for (int i = 0; i < NFORMS; i++)
		pcre2_code_free(f->form[i]);
	free(f);
}

int date_valid(const char *s)
{
	int y, m, d;
	char tail;
	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return 0;
	if (s[4] != '-' || s[7] != '-' || y < 1800 || y > 2199 || m < 1 || m > 12 || d < 1)
		return 0;
	static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	return 1;
}

static int make_date(int y, int m, int d, char out[11])
{
	char tmp[32];
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
	if (!date_valid(tmp))
		return 0;
	memcpy(out, tmp, 11);
	return 1;
}

static int group_int(pcre2_match_data *md, const char *s, int g)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	if (ov[2 * g] == PCRE2_UNSET)
		return -1;
	return atoi(s + ov[2 * g]);
}

/* Month number (1-12) of a matched month name, 0 if none: the alternation is one capture
 * group, so the name is looked up in the lists again. */
static int month_of(const char *const months[12], const char *name, size_t n)
{
	for (int m = 0; m < 12; m++) {
		const char *p = months[m];
		while (*p) {
			const char *bar = strchr(p, '|');
			size_t len = bar ? (size_t)(bar - p) : strlen(p);
			if (len == n && strncasecmp(p, name, n) == 0)
				return m + 1;
			p += len + (bar ? 1 : 0);
		}
	}
	return 0;
}

/* A copy with Arabic-Indic and Persian digits as ASCII. Offsets in the copy differ from
 * the original's, which does not matter: only which date comes first is used. */
static char *ascii_digits(const char *s, size_t n, size_t *outn)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int len = utf8_decode(s, n, i, &cp);
		if (len == 2 && ((cp >= 0x660 && cp <= 0x669) || (cp >= 0x6F0 && cp <= 0x6F9))) {
			if (buf_addc(&b, (char)('0' + (cp & 0xF))))
				goto fail;
			i += 2;
			continue;
		}
		if (len == 0)
			len = 1;
		if (buf_add(&b, s + i, (size_t)len))
			goto fail;
		i += (size_t)len;
	}
	if (buf_grow(&b, 0))
		goto fail;
	return buf_detach(&b, outn);
fail:
	buf_release(&b);
	return NULL;
}

int date_find_dateline(struct date_finder *f, const char *text, size_t n, char out[11])
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(f->dateline, NULL);
	int ok = 0;
	if (md && pcre2_match(f->dateline, (PCRE2_SPTR)text, n, 0, 0, md, NULL) > 0)
		ok = make_date(group_int(md, text, 1), group_int(md, text, 2), group_int(md, text, 3),
			       out);
	pcre2_match_data_free(md);
	return ok;
}

int date_find_in_text(struct date_finder *f, const char *text, size_t n, const char *lang,
		      char out[11])
{
	size_t dn;
	char *s = ascii_digits(text, n, &dn);
	if (!s)
		return 0;
	pcre2_match_data *md = pcre2_match_data_create(16, NULL);
	size_t best = (size_t)-1;
	char found[11] = "";
	for (int form = 0; form < NFORMS && md; form++) {
		PCRE2_SIZE start = 0;
		/* the first valid date of this form, earlier than the best so far */
		while (start < dn && pcre2_match(f->form[form], (PCRE2_SPTR)s, dn, start, 0, md, NULL) > 0) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
			if (ov[0] >= best)
				break;
			int y = -1, m = 0, d = -1;
			switch (form) {
			case F_ISO:
				y = group_int(md, s, 1); m = group_int(md, s, 2); d = group_int(md, s, 3);
				break;
			case F_NUMERIC: {
				int a = group_int(md, s, 1), b2 = group_int(md, s, 3);
				y = group_int(md, s, 4);
				int month_first = strcmp(lang, "en") == 0 && s[ov[4]] == '/';
				d = month_first ? b2 : a;
				m = month_first ? a : b2;
				break;
			}
			case F_DMY_NAME: {
				d = group_int(md, s, 1);
				y = group_int(md, s, 4);
				int g = ov[4] != PCRE2_UNSET ? 2 : 3;
				const char *const *months = g == 2 ? tr_months : en_months;
				m = month_of(months, s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
				break;
			}
			case F_MDY_NAME:
				m = month_of(en_months, s + ov[2], ov[3] - ov[2]);
				d = group_int(md, s, 2); y = group_int(md, s, 3);
				break;
			case F_AR:
				d = group_int(md, s, 1);
				m = month_of(ar_months, s + ov[4], ov[5] - ov[4]);
				y = group_int(md, s, 4);
				break;
			}
			char tmp[11];
			if (m > 0 && make_date(y, m, d, tmp)) {
				best = ov[0];
				memcpy(found, tmp, 11);
				break;
			}
			start = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
		}
	}
	pcre2_match_data_free(md);
	free(s);
	if (best == (size_t)-1)
		return 0;
	memcpy(out, found, 11);
	return 1;
}
