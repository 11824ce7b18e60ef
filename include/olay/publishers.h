/* publishers.h: find the publisher a credit line names, by the patterns in
 * rules/publishers/ (*.txt files). Read-only after loading; match data is per call, so one set may
 * be shared by threads. */
#ifndef OLAY_PUBLISHERS_H
#define OLAY_PUBLISHERS_H

#include <stddef.h>
#include <stdio.h>

struct publishers;

/* Load every *.txt file of dir in name order. On error returns NULL and writes
 * "file:line:col: what is wrong" messages to err. A missing directory is an empty set. */
struct publishers *publishers_load(const char *dir, FILE *err);
void publishers_free(struct publishers *p);

/* The publisher of the first pattern (in file order) that matches a line of text, with
 * $1 replaced by the pattern's first group; a malloc'd string, or NULL when none matches. */
char *publishers_find(const struct publishers *p, const char *text, size_t n);

size_t publishers_count(const struct publishers *p);

#endif
