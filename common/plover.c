/* plover.c: CAMEO -> PLOVER. */
#include "olay/plover.h"
#include "olay/export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int add_row(void *ctx, char **cols, const char *where, char *err, size_t errlen)
{
	struct plover_table *t = ctx;
	size_t n = strlen(cols[0]);
	if (n < 2 || n > 4 || strspn(cols[0], "0123456789") != n) {
		snprintf(err, errlen, "%s: '%s' is not a CAMEO code", where, cols[0]);
		return -1;
	}
	if (!*cols[1]) {
		snprintf(err, errlen, "%s: code %s has no PLOVER event type", where, cols[0]);
		return -1;
	}
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->e[i].code, cols[0]) == 0) {
			snprintf(err, errlen, "%s: code %s is listed twice", where, cols[0]);
			return -1;
		}
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 256;
		void *p = realloc(t->e, cap * sizeof *t->e);
		if (!p) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		t->e = p;
		t->cap = cap;
	}
	struct plover_entry *e = &t->e[t->n];
	snprintf(e->code, sizeof e->code, "%s", cols[0]);
	e->type = strdup(cols[1]);
	e->mode = strdup(cols[2]);
	e->context = strdup(cols[3]);
	if (!e->type || !e->mode || !e->context) {
		free(e->type), free(e->mode), free(e->context);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	t->n++;
	return 0;
}

int plover_table_load(struct plover_table *t, const char *path, char *err, size_t errlen)
{
	static const char *const header[] = {"code", "event_type", "mode", "context"};
	memset(t, 0, sizeof *t);
	if (export_tsv_read(path, header, 4, add_row, t, err, errlen)) {
		plover_table_release(t);
		return -1;
	}
	return 0;
}

void plover_table_release(struct plover_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->e[i].type);
		free(t->e[i].mode);
		free(t->e[i].context);
	}
	free(t->e);
	memset(t, 0, sizeof *t);
}

static const struct plover_entry *find(const struct plover_table *t, const char *code)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->e[i].code, code) == 0)
			return &t->e[i];
	return NULL;
}

const struct plover_entry *plover_lookup(const struct plover_table *t, const char *code)
{
	char buf[8];
	const struct plover_entry *e = find(t, code);
	if (!e && strlen(code) == 4) {
		snprintf(buf, sizeof buf, "%.3s", code);
		e = find(t, buf);
	}
	if (!e && strlen(code) >= 2) {
		snprintf(buf, sizeof buf, "%.2s0", code);
		e = find(t, buf);
	}
	return e;
}

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *plover_actor(json_t *a, json_t *m, const char *side)
{
	if (!json_is_object(a))
		return json_null();
	json_t *o = json_object();
	json_t *ma = m ? json_object_get(m, side) : NULL;
	json_object_set(o, "text", json_is_object(ma) && json_object_get(ma, "text")
					   ? json_object_get(ma, "text") : json_null());
	static const char *const keep[] = {"code", "name", "country", "group", "role", "entity"};
	for (size_t i = 0; i < sizeof keep / sizeof *keep; i++) {
		json_t *v = json_object_get(a, keep[i]);
		json_object_set(o, keep[i], v ? v : json_null());
	}
	return o;
}

json_t *plover_record(const struct plover_entry *p, json_t *ev)
{
	json_t *m = export_first_mention(ev);
	json_t *r = json_object();
	json_object_set(r, "id", json_object_get(ev, "event_id"));
	json_object_set(r, "date", json_object_get(ev, "date"));
	json_object_set_new(r, "event_type", json_string(p->type));
	json_object_set_new(r, "mode", str_or_null(p->mode));
	json_t *ctx = json_array();
	for (const char *c = p->context; *c;) {
		size_t n = strcspn(c, ";");
		if (n)
			json_array_append_new(ctx, json_stringn(c, n));
		c += n + (c[n] == ';');
	}
	json_object_set_new(r, "context", ctx);
	json_object_set_new(r, "actor", plover_actor(json_object_get(ev, "source"), m, "source"));
	json_object_set_new(r, "recipient", plover_actor(json_object_get(ev, "target"), m, "target"));
	json_t *loc = json_object_get(ev, "location");
	json_object_set(r, "location", loc ? loc : json_null());
	json_t *cameo = json_object();
	json_object_set(cameo, "code", json_object_get(ev, "code"));
	json_object_set(cameo, "root", json_object_get(ev, "root"));
	json_object_set(cameo, "quad", json_object_get(ev, "quad"));
	json_object_set(cameo, "goldstein", json_object_get(ev, "goldstein"));
	json_object_set_new(r, "cameo", cameo);
	json_object_set(r, "num_mentions", json_object_get(ev, "num_mentions"));
	json_object_set(r, "num_sources", json_object_get(ev, "num_sources"));
	json_object_set(r, "num_articles", json_object_get(ev, "num_articles"));
	json_object_set(r, "languages", json_object_get(ev, "languages"));
	json_t *ev_text = m ? json_object_get(json_object_get(m, "evidence"), "text") : NULL;
	json_object_set(r, "text", ev_text ? ev_text : json_null());
	json_object_set(r, "doc_id", m ? json_object_get(m, "doc_id") : json_null());
	json_object_set(r, "url", m && json_object_get(m, "url") ? json_object_get(m, "url")
								   : json_null());
	return r;
}
