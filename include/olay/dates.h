/* dates.h: find a document's date in its text.
 *
 * A struct date_finder holds compiled PCRE2 patterns (read-only after date_finder_init,
 * so one finder may be shared by threads that each pass their own scratch). */
#ifndef OLAY_DATES_H
#define OLAY_DATES_H

#include <stddef.h>

struct date_finder;

struct date_finder *date_finder_new(void); /* NULL when a pattern fails to compile (a bug) */
void date_finder_free(struct date_finder *f);

/* A dateline in the first lines: `date 2025-09-17`, `Tarih: 2025-09-17`, `التاريخ: ...`.
 * Writes YYYY-MM-DD into out and returns 1, else 0. */
int date_find_dateline(struct date_finder *f, const char *text, size_t n, char out[11]);

/* The first full date written in the text (day, month and year) in Turkish (`29 Aralık
 * 2018`, `29.12.2018`), Arabic (`29 ديسمبر 2018`, `29 كانون الأول 2018`, Arabic-Indic
 * digits too) or English (`December 29, 2018`, `29 Dec 2018`), or ISO `2018-12-29`.
 * lang ("tr", "ar", "en", "und") decides how 01/02/2018 reads: day first except in English.
 * Returns 1 and writes out, else 0. */
int date_find_in_text(struct date_finder *f, const char *text, size_t n, const char *lang,
		      char out[11]);

/* 1 if s is a valid calendar date YYYY-MM-DD (1800..2199). */
int date_valid(const char *s);

#endif
