/* gdelt.c: GDELT 2.0 Events rows. Column order from the GDELT 2.0 Event codebook. */
#include "olay/gdelt.h"
#include "olay/export.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int add_country(void *ctx, char **cols, const char *where, char *err, size_t errlen)
{
	struct gdelt_countries *t = ctx;
	if (strlen(cols[0]) != 3 || (*cols[2] && strlen(cols[2]) != 2)) {
		snprintf(err, errlen, "%s: expected an alpha-3 code and a two-letter FIPS code", where);
		return -1;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 256;
		void *p = realloc(t->c, cap * sizeof *t->c);
		if (!p) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		t->c = p;
		t->cap = cap;
	}
	struct gdelt_country *c = &t->c[t->n];
	memcpy(c->iso3, cols[0], 4);
	snprintf(c->fips, sizeof c->fips, "%s", cols[2]);
	if (!(c->name = strdup(cols[3]))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	t->n++;
	return 0;
}

int gdelt_countries_load(struct gdelt_countries *t, const char *path, char *err, size_t errlen)
{
	static const char *const header[] = {"iso3", "iso2", "fips", "name"};
	memset(t, 0, sizeof *t);
	if (export_tsv_read(path, header, 4, add_country, t, err, errlen)) {
		gdelt_countries_release(t);
		return -1;
	}
	return 0;
}

void gdelt_countries_release(struct gdelt_countries *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->c[i].name);
	free(t->c);
	memset(t, 0, sizeof *t);
}

const struct gdelt_country *gdelt_country(const struct gdelt_countries *t, const char *iso3)
{
	if (!iso3)
		return NULL;
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->c[i].iso3, iso3) == 0)
			return &t->c[i];
	return NULL;
}

unsigned long long gdelt_event_number(const char *event_id)
{
	return strtoull(event_id, NULL, 16) & ((1ULL << 53) - 1);
}

static const char *str(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) && *json_string_value(v) ? json_string_value(v) : NULL;
}

/* GDELT writes actor names in capitals: ASCII letters are raised, the rest kept. */
static void upper_field(struct csvout *out, const char *s)
{
	if (!s) {
		csvout_field(out, NULL);
		return;
	}
	char *u = strdup(s);
	if (!u) {
		out->failed = 1;
		return;
	}
	for (char *p = u; *p; p++)
		if ((unsigned char)*p < 0x80)
			*p = (char)toupper((unsigned char)*p);
	csvout_field(out, u);
	free(u);
}

/* Columns 5-14 or 15-24: Code, Name, CountryCode, KnownGroupCode, EthnicCode,
 * Religion1Code, Religion2Code, Type1Code, Type2Code, Type3Code. */
static void actor_columns(json_t *a, struct csvout *out)
{
	csvout_field(out, str(a, "code"));
	upper_field(out, str(a, "name"));
	csvout_field(out, str(a, "country"));
	csvout_field(out, str(a, "group"));
	csvout_field(out, NULL); /* ethnic: olay does not code it */
	csvout_field(out, NULL); /* religion 1 */
	csvout_field(out, NULL); /* religion 2 */
	csvout_field(out, str(a, "role"));
	csvout_field(out, NULL);
	csvout_field(out, NULL);
}

static void empty_fields(struct csvout *out, int n)
{
	while (n-- > 0)
		csvout_field(out, NULL);
}

/* GDELT's geographic resolution types. */
static int geo_type(const char *place_type)
{
	if (!place_type)
		return 4;
	if (strcmp(place_type, "country") == 0)
		return 1;
	if (strcmp(place_type, "region") == 0)
		return 5; /* WORLDSTATE */
	return 4;         /* WORLDCITY: cities, crossings */
}

/* Columns 51-58: ActionGeo_Type, FullName, CountryCode (FIPS), ADM1Code, ADM2Code, Lat,
 * Long, FeatureID. */
static void action_geo(const struct gdelt_countries *t, json_t *loc, struct csvout *out)
{
	if (!json_is_object(loc)) {
		empty_fields(out, 8);
		return;
	}
	const char *type = str(loc, "type"), *name = str(loc, "name");
	const struct gdelt_country *c = gdelt_country(t, str(loc, "country"));
	csvout_fieldf(out, "%d", geo_type(type));
	if (name && c && geo_type(type) != 1)
		csvout_fieldf(out, "%s, %s", name, c->name);
	else
		csvout_field(out, name ? name : c ? c->name : NULL);
	csvout_field(out, c && *c->fips ? c->fips : NULL);
	/* ADM1: GDELT gives the country code when it knows no finer division */
	csvout_field(out, c && *c->fips ? c->fips : NULL);
	csvout_field(out, NULL);
	json_t *lat = json_object_get(loc, "lat"), *lon = json_object_get(loc, "lon");
	if (json_is_number(lat) && json_is_number(lon)) {
		csvout_fieldf(out, "%.4f", json_number_value(lat));
		csvout_fieldf(out, "%.4f", json_number_value(lon));
	} else {
		empty_fields(out, 2);
	}
	/* FeatureID: GDELT gives a country its FIPS code, other places their gazetteer id */
	csvout_field(out, geo_type(type) == 1 && c && *c->fips ? c->fips : str(loc, "id"));
}

void gdelt_row(const struct gdelt_countries *t, json_t *ev, struct csvout *out)
{
	const char *date = str(ev, "date"), *code = str(ev, "code");
	int y = atoi(date), m = atoi(date + 5), d = atoi(date + 8);
	json_t *first = export_first_mention(ev);

	csvout_fieldf(out, "%llu", gdelt_event_number(str(ev, "event_id")));   /* 0 */
	csvout_fieldf(out, "%04d%02d%02d", y, m, d);                          /* 1 SQLDATE */
	csvout_fieldf(out, "%04d%02d", y, m);                                 /* 2 MonthYear */
	csvout_fieldf(out, "%04d", y);                                        /* 3 Year */
	/* 4 FractionDate: GDELT's own formula, ((month - 1) * 30 + day) / 365 */
	csvout_fieldf(out, "%.4f", y + ((m - 1) * 30 + d) / 365.0);
	actor_columns(json_object_get(ev, "source"), out);                    /* 5-14 */
	actor_columns(json_object_get(ev, "target"), out);                    /* 15-24 */
	json_t *sent = first ? json_object_get(first, "sentence") : NULL;
	/* 25 IsRootEvent: GDELT marks events of the lead paragraph; olay: headline or
	 * first sentence */
	csvout_field(out, json_is_integer(sent) && json_integer_value(sent) <= 1 ? "1" : "0");
	csvout_field(out, code);                                              /* 26 EventCode */
	csvout_fieldf(out, "%.3s", code);                                     /* 27 BaseCode */
	csvout_field(out, str(ev, "root"));                                   /* 28 RootCode */
	csvout_fieldf(out, "%d", (int)json_integer_value(json_object_get(ev, "quad")));
	csvout_fieldf(out, "%.1f", json_number_value(json_object_get(ev, "goldstein")));
	csvout_fieldf(out, "%lld", (long long)json_integer_value(json_object_get(ev, "num_mentions")));
	csvout_fieldf(out, "%lld", (long long)json_integer_value(json_object_get(ev, "num_sources")));
	csvout_fieldf(out, "%lld", (long long)json_integer_value(json_object_get(ev, "num_articles")));
	csvout_field(out, NULL);       /* 34 AvgTone: olay does not score tone */
	empty_fields(out, 8);          /* 35-42 Actor1Geo: olay does not place actors */
	empty_fields(out, 8);          /* 43-50 Actor2Geo */
	action_geo(t, json_object_get(ev, "location"), out);                  /* 51-58 */
	csvout_fieldf(out, "%04d%02d%02d000000", y, m, d);  /* 59 DATEADDED: the event's date */
	/* 60 SOURCEURL: the first mention's URL, else any mention's */
	const char *url = first ? str(first, "url") : NULL;
	json_t *ms = json_object_get(ev, "mentions"), *mm;
	size_t i;
	json_array_foreach(ms, i, mm) if (!url) url = str(mm, "url");
	csvout_field(out, url);
	csvout_end_row(out);
}
