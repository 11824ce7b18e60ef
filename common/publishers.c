/* publishers.c: credit-line patterns -> publisher names. */
#include "olay/publishers.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "olay/buf.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

struct pub_rule {
	char *publisher; /* may contain $1 */
	pcre2_code *re;
};

struct publishers {
	struct pub_rule *rules;
	size_t n, cap;
};

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Parse "PUBLISHER<TAB>PATTERN" lines; '#' lines and blank lines are comments. */
static int load_file(struct publishers *p, const char *path, FILE *err)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(err, "%s: cannot open: %s\n", path, strerror(errno));
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned long lineno = 0;
	int errors = 0;
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		size_t i = 0;
		while (line[i] == ' ')
			i++;
		if (line[i] == '\0' || line[i] == '#')
			continue;
		char *tab = strchr(line, '\t');
		if (!tab || tab == line) {
			fprintf(err, "%s:%lu:1: expected PUBLISHER<TAB>PATTERN\n", path, lineno);
			errors++;
			continue;
		}
		*tab = '\0';
		const char *pat = tab + 1;
		while (*pat == '\t')
			pat++;
		int ec;
		PCRE2_SIZE off;
		pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
					       PCRE2_UTF | PCRE2_UCP | PCRE2_MULTILINE, &ec, &off, NULL);
		if (!re) {
			PCRE2_UCHAR msg[256];
			pcre2_get_error_message(ec, msg, sizeof msg);
			fprintf(err, "%s:%lu:%zu: bad pattern: %s\n", path, lineno,
				(size_t)(pat - line) + off + 1, msg);
			errors++;
			continue;
		}
		pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
		if (p->n == p->cap) {
			size_t nc = p->cap ? 2 * p->cap : 16;
			struct pub_rule *r = realloc(p->rules, nc * sizeof *r);
			if (!r) {
				pcre2_code_free(re);
				errors++;
				break;
			}
			p->rules = r;
			p->cap = nc;
		}
		p->rules[p->n].publisher = strdup(line);
		p->rules[p->n].re = re;
		p->n++;
	}
	free(line);
	fclose(f);
	return errors ? -1 : 0;
}

struct publishers *publishers_load(const char *dir, FILE *err)
{
	struct publishers *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	DIR *d = opendir(dir);
	if (!d)
		return p; /* no credit-line rules: no publisher found */
	char **names = NULL;
	size_t nn = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		if (l > 4 && strcmp(de->d_name + l - 4, ".txt") == 0) {
			char **nn2 = realloc(names, (nn + 1) * sizeof *names);
			if (!nn2)
				break;
			names = nn2;
			names[nn++] = strdup(de->d_name);
		}
	}
	closedir(d);
	qsort(names, nn, sizeof *names, cmp_names);
	int errors = 0;
	for (size_t i = 0; i < nn; i++) {
		struct buf path = BUF_INIT;
		buf_adds(&path, dir);
		buf_adds(&path, "/");
		buf_adds(&path, names[i]);
		if (load_file(p, path.p, err))
			errors++;
		buf_release(&path);
		free(names[i]);
	}
	free(names);
	if (errors) {
		publishers_free(p);
		return NULL;
	}
	return p;
}

void publishers_free(struct publishers *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		free(p->rules[i].publisher);
		pcre2_code_free(p->rules[i].re);
	}
	free(p->rules);
	free(p);
}

size_t publishers_count(const struct publishers *p)
{
	return p ? p->n : 0;
}

char *publishers_find(const struct publishers *p, const char *text, size_t n)
{
	if (!p)
		return NULL;
	pcre2_match_data *md = pcre2_match_data_create(8, NULL);
	char *result = NULL;
	for (size_t i = 0; md && i < p->n && !result; i++) {
		if (pcre2_match(p->rules[i].re, (PCRE2_SPTR)text, n, 0, 0, md, NULL) <= 0)
			continue;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		struct buf out = BUF_INIT;
		for (const char *s = p->rules[i].publisher; *s; s++) {
			if (s[0] == '$' && s[1] == '1') {
				if (pcre2_get_ovector_count(md) > 1 && ov[2] != PCRE2_UNSET)
					buf_add(&out, text + ov[2], ov[3] - ov[2]);
				s++;
			} else {
				buf_addc(&out, *s);
			}
		}
		result = buf_detach(&out, NULL);
		if (result && !*result) { /* an empty capture names nobody */
			free(result);
			result = NULL;
		}
	}
	pcre2_match_data_free(md);
	return result;
}
