/* langid.h: which of olay's languages a text is in, from script and stop-word evidence.
 * Pure function; thread-safe. */
#ifndef OLAY_LANGID_H
#define OLAY_LANGID_H

#include <stddef.h>

/* "tr", "ar", "en" or "und" (static strings). Judged on the first 64 KiB. Arabic wins when Arabic letters are at least
 * 40% of all letters, so an Arabic article with an English photo caption is Arabic; Latin
 * text is Turkish or English by Turkish letters and stop words, "und" when the evidence is
 * thin or neither clearly wins (other Latin-script languages, Persian). */
const char *langid_detect(const char *s, size_t n);

#endif
