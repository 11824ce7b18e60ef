/* langid.c: script counts plus stop-word votes. */
#include "olay/langid.h"

#include <string.h>

#include "olay/utf8.h"

/* Frequent function words that are rare in the other language. */
static const char *const tr_words[] = {
	"ve", "bir", "bu", "için", "icin", "ile", "olarak", "olan", "daha", "çok", "cok", "gibi",
	"ancak", "sonra", "kadar", "ama", "veya", "şu", "her", "ise", "değil", "degil", "olduğu",
	"ilgili", "karşı", "göre", "gore", "tarafından", "yaptı", "dedi", "oldu", "üzerine",
	"arasında", "ilişkin", "bulunan", "yapılan", "büyük", "yeni", "bugün", "bugun", NULL};
/* Short words shared with other Latin-script languages (de, da, la, son, mi) are left out:
 * they made French and Spanish look Turkish. */
static const char *const en_words[] = {
	"the", "and", "of", "to", "in", "is", "that", "for", "with", "was", "on", "said", "by",
	"as", "at", "from", "has", "have", "are", "were", "it", "its", "he", "his", "which",
	"an", "be", "this", "after", "but", "not", "will", "who", "their", "they", "had", NULL};

static int in_list(const char *const *list, const char *w, size_t n)
{
	for (; *list; list++)
		if ((*list)[0] == w[0] && strncmp(*list, w, n) == 0 && (*list)[n] == '\0')
			return 1;
	return 0;
}

static int is_latin_letter(unsigned long cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
	       (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7);
}

static int is_arabic_letter(unsigned long cp)
{
	return (cp >= 0x0621 && cp <= 0x064A) || (cp >= 0x066E && cp <= 0x06D3) ||
	       (cp >= 0xFB50 && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFC);
}

static int is_turkish_only(unsigned long cp)
{
	/* ğ Ğ ı İ ş Ş: letters no other major Latin-script language has together */
	return cp == 0x11F || cp == 0x11E || cp == 0x131 || cp == 0x130 || cp == 0x15F || cp == 0x15E;
}

/* Accented letters of other Latin-script languages that Turkish does not use. */
static int is_foreign_latin(unsigned long cp)
{
	return (cp >= 0xC0 && cp <= 0xC5) || (cp >= 0xC8 && cp <= 0xCB) || cp == 0xD1 || cp == 0xDF ||
	       (cp >= 0xE0 && cp <= 0xE5 && cp != 0xE2) || (cp >= 0xE8 && cp <= 0xEB) || cp == 0xF1 ||
	       cp == 0xF5 || cp == 0xF9 || cp == 0xFA || cp == 0xE4;
}

static int is_persian_letter(unsigned long cp)
{
	return cp == 0x067E || cp == 0x0686 || cp == 0x0698 || cp == 0x06AF || cp == 0x06A9;
}

/* Enough text to decide; the rest of a long document adds time, not evidence. */
#define LANGID_MAX_BYTES 65536

const char *langid_detect(const char *s, size_t n)
{
	if (n > LANGID_MAX_BYTES) {
		n = LANGID_MAX_BYTES;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--; /* end on a character boundary */
	}
	size_t arabic = 0, persian = 0, latin = 0, turkish = 0, foreign = 0, tr_hits = 0, en_hits = 0;
	char word[64];
	size_t wlen = 0;
	for (size_t i = 0; i <= n;) {
		uint32_t cp = ' ';
		int len = 1;
		if (i < n) {
			len = utf8_decode(s, n, i, &cp);
			if (len == 0)
				len = 1;
		}
		if (is_latin_letter(cp)) {
			latin++;
			if (is_turkish_only(cp))
				turkish++;
			else if (is_foreign_latin(cp))
				foreign++;
			/* lower-case ASCII; keep other letters' bytes as they are */
			if (wlen + (size_t)len < sizeof word) {
				if (cp < 0x80)
					word[wlen++] = (char)(cp | 0x20);
				else {
					memcpy(word + wlen, s + i, (size_t)len);
					wlen += (size_t)len;
				}
			}
		} else {
			if (is_arabic_letter(cp)) {
				arabic++;
				if (is_persian_letter(cp))
					persian++;
			}
			if (wlen) {
				tr_hits += in_list(tr_words, word, wlen);
				en_hits += in_list(en_words, word, wlen);
				wlen = 0;
			}
		}
		i += (size_t)len;
	}
	size_t letters = arabic + latin;
	if (letters < 10)
		return "und";
	if (arabic * 10 >= letters * 4)
		return persian * 20 > arabic ? "und" : "ar";
	if (foreign >= 2 && foreign > turkish && foreign * 50 > latin)
		return "und"; /* French, Spanish, German, ...: not a language olay codes */
	size_t tr_score = 3 * tr_hits + 2 * turkish, en_score = 3 * en_hits;
	if (tr_score >= 6 && tr_score >= 2 * en_score)
		return "tr";
	if (en_score >= 6 && en_score >= 2 * tr_score)
		return "en";
	return "und";
}
