/*
 * Dashboard handoff import; see import.h for the fields. A file goes
 * through four steps: parse it with jansson, validate every handoff into an
 * incident record (collecting all errors), look up handoffs imported before,
 * then write every new one in a single transaction.
 *
 * The verbatim evidence is the handoff's own bytes from the input: jansson
 * keeps no source positions, so a small scanner walks the text that jansson
 * has already accepted to find where each handoff and evidence item starts
 * and ends.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "import.h"
#include "incident.h"
#include "severity.h"
#include "textsafe.h"

/* Larger files are rejected before parsing. Each bundled handoff is under 2 KB. */
#define IMPORT_MAX_FILE_BYTES (64u * 1024 * 1024)
/* Errors and warnings reported per file; the rest are counted. */
#define IMPORT_MAX_MESSAGES 50
/* Values quoted in messages are cut to this many characters. */
#define IMPORT_QUOTE_CHARS 60

/* A byte range [start, end) of the input. */
struct span {
	size_t start;
	size_t end;
};

struct evidence_item {
	char *kind; /* NULL: stored as "note" */
	char *name;
	char *at;   /* normalised to UTC */
	char *body; /* the item's JSON text as given */
};

/* One validated handoff, ready to write. */
struct handoff {
	struct incident *fields;
	char *raw; /* the handoff's JSON text as given */
	struct evidence_item *items;
	size_t n_items;
	struct severity_suggestion suggestion;
	int has_suggestion;
	char *existing_id; /* set when the store already contains this source and reference */
	long first;        /* index of an earlier handoff of the file with the same origin, or -1 */
};

struct import_ctx {
	const struct playbook *pb;
	const char *data;
	size_t len;
	const char *name;  /* as given, for the store */
	char *safe_name;   /* escaped, for messages */
	long index;        /* the handoff's index in an array, -1 for a single object */
	struct strbuf warnings; /* passed to the caller only on success, when something was kept */
	struct strbuf *errors;
	size_t n_warnings;
	size_t n_errors;
	struct strbuf first_error;
	char *quotes[4];   /* recent shortened() results, freed as the ring turns */
	unsigned next_quote;
	char *priorities;  /* "P0, P1, P2, P3" from the playbook */
	char *known_indicators; /* the playbook's indicator ids, built on first use */
};

/* Messages. */

static void ctx_init(struct import_ctx *c, const struct playbook *pb, const char *name,
		     const char *data, size_t len, struct strbuf *errors)
{
	struct strbuf list;

	memset(c, 0, sizeof *c);
	c->pb = pb;
	c->data = data;
	c->len = len;
	c->name = name;
	c->safe_name = textsafe(name);
	c->index = -1;
	sb_init(&c->warnings);
	c->errors = errors;
	sb_init(&c->first_error);

	sb_init(&list);
	for (size_t i = 0; i < pb->n_severities; i++) {
		if (!pb->severities[i].priority)
			continue;
		if (list.len)
			sb_add(&list, ", ");
		sb_add(&list, pb->severities[i].priority);
	}
	c->priorities = sb_take(&list);
	sb_free(&list);
}

static void ctx_free(struct import_ctx *c)
{
	free(c->safe_name);
	free(c->priorities);
	free(c->known_indicators);
	sb_free(&c->warnings);
	sb_free(&c->first_error);
	for (size_t i = 0; i < sizeof c->quotes / sizeof c->quotes[0]; i++)
		free(c->quotes[i]);
}

/*
 * Returns LEN bytes of S escaped for a terminal and cut after
 * IMPORT_QUOTE_CHARS characters, in double quotes when QUOTES. The string
 * lives until four more calls, which is enough for one message.
 */
static const char *shortened(struct import_ctx *c, const char *s, size_t len, int quotes)
{
	size_t cut = 0, chars = 0;
	unsigned slot = c->next_quote++ % (sizeof c->quotes / sizeof c->quotes[0]);
	const char *mark = quotes ? "\"" : "";
	char *escaped;

	/* Count UTF-8 lead bytes, so that no character is cut in half. */
	while (cut < len) {
		if (((unsigned char)s[cut] & 0xC0) != 0x80 && chars++ == IMPORT_QUOTE_CHARS)
			break;
		cut++;
	}
	escaped = textsafe_escape(s, cut, 0);
	free(c->quotes[slot]);
	c->quotes[slot] = xasprintf("%s%s%s%s", mark, escaped, cut < len ? "..." : "", mark);
	free(escaped);
	return c->quotes[slot];
}

static const char *quoted_str(struct import_ctx *c, const char *s)
{
	return shortened(c, s, strlen(s), 1);
}

/* Returns the playbook's risk indicator ids as "a, b and c", a text that C owns. */
static const char *known_indicators(struct import_ctx *c)
{
	struct strbuf sb;

	if (c->known_indicators)
		return c->known_indicators;
	sb_init(&sb);
	for (size_t i = 0; i < c->pb->n_indicators; i++) {
		if (i + 1 == c->pb->n_indicators && i > 0)
			sb_add(&sb, " and ");
		else if (i > 0)
			sb_add(&sb, ", ");
		sb_add(&sb, c->pb->indicators[i].id);
	}
	if (sb.len == 0)
		sb_add(&sb, "none");
	c->known_indicators = sb_take(&sb);
	return c->known_indicators;
}

/* Returns the id among the N TERMS nearest to S within two edits, or NULL when none is that near. */
static const char *nearest_term(const char *s, const struct pb_term *terms, size_t n)
{
	const char *best = NULL;
	size_t best_distance = 3;

	for (size_t i = 0; i < n; i++) {
		size_t d = str_distance(s, terms[i].id, 2);

		if (d < best_distance) {
			best = terms[i].id;
			best_distance = d;
		}
	}
	return best;
}

/*
 * Appends "NAME: [INDEX].FIELD: MESSAGE" to the errors (IS_ERROR) or the
 * warnings. FIELD NULL leaves out the index and field, and FIELD "" names
 * the handoff itself. Past IMPORT_MAX_MESSAGES lines it only counts.
 */
static void report(struct import_ctx *c, int is_error, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void report(struct import_ctx *c, int is_error, const char *field, const char *fmt, ...)
{
	struct strbuf *out = is_error ? c->errors : &c->warnings;
	size_t count = is_error ? ++c->n_errors : ++c->n_warnings;
	struct strbuf line;
	va_list ap;

	if (count > IMPORT_MAX_MESSAGES)
		return;

	sb_init(&line);
	sb_addf(&line, "%s: ", c->safe_name);
	if (field) {
		if (c->index >= 0)
			sb_addf(&line, "[%ld]", c->index);
		if (c->index >= 0 && *field)
			sb_addc(&line, '.');
		sb_add(&line, field);
		if (c->index >= 0 || *field)
			sb_add(&line, ": ");
	}
	va_start(ap, fmt);
	sb_vaddf(&line, fmt, ap);
	va_end(ap);

	if (is_error && count == 1)
		sb_add(&c->first_error, line.data);
	if (out) {
		sb_add(out, line.data);
		sb_addc(out, '\n');
	}
	sb_free(&line);
}

/* Adds a closing line for the messages past the limit. */
static void report_overflow(struct import_ctx *c)
{
	if (c->errors && c->n_errors > IMPORT_MAX_MESSAGES)
		sb_addf(c->errors, "%s: %zu more errors not shown\n", c->safe_name,
			c->n_errors - IMPORT_MAX_MESSAGES);
	if (c->n_warnings > IMPORT_MAX_MESSAGES)
		sb_addf(&c->warnings, "%s: %zu more warnings not shown\n", c->safe_name,
			c->n_warnings - IMPORT_MAX_MESSAGES);
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
		return "true";
	case JSON_FALSE:
		return "false";
	case JSON_NULL:
		return "null";
	}
	return "an unknown JSON type";
}

/* Scanning the raw text. The input has passed jansson, so it is valid JSON. */

static size_t skip_space(const char *p, size_t pos, size_t end)
{
	while (pos < end && (p[pos] == ' ' || p[pos] == '\t' || p[pos] == '\n' || p[pos] == '\r'))
		pos++;
	return pos;
}

/* Returns the offset past the string whose opening quote is at POS. */
static size_t skip_string(const char *p, size_t pos, size_t end)
{
	for (pos++; pos < end && p[pos] != '"'; pos++)
		if (p[pos] == '\\')
			pos++;
	return pos < end ? pos + 1 : end;
}

/* Returns the offset past the value that starts at POS. */
static size_t skip_value(const char *p, size_t pos, size_t end)
{
	int depth = 0;

	if (p[pos] == '"')
		return skip_string(p, pos, end);

	if (p[pos] == '{' || p[pos] == '[') {
		while (pos < end) {
			char ch = p[pos];

			if (ch == '"') {
				pos = skip_string(p, pos, end);
				continue;
			}
			pos++;
			if (ch == '{' || ch == '[')
				depth++;
			else if ((ch == '}' || ch == ']') && --depth == 0)
				return pos;
		}
		return end;
	}

	/* A number, true, false or null ends at a delimiter. */
	while (pos < end && p[pos] != ',' && p[pos] != ']' && p[pos] != '}' && p[pos] != ' ' &&
	       p[pos] != '\t' && p[pos] != '\n' && p[pos] != '\r')
		pos++;
	return pos;
}

/* Sets OUT to the spans of the array's elements, up to MAX; returns how many there are. */
static size_t raw_elements(const char *p, struct span array, struct span *out, size_t max)
{
	size_t pos = array.start + 1, count = 0;

	for (;;) {
		size_t start;

		pos = skip_space(p, pos, array.end);
		if (pos >= array.end || p[pos] == ']')
			return count;
		start = pos;
		pos = skip_value(p, pos, array.end);
		if (count < max) {
			out[count].start = start;
			out[count].end = pos;
		}
		count++;
		pos = skip_space(p, pos, array.end);
		if (pos < array.end && p[pos] == ',')
			pos++;
	}
}

/* Finds the value of member KEY in the object at OBJECT; returns 0 and sets *OUT, or -1. */
static int raw_member(const char *p, struct span object, const char *key, struct span *out)
{
	size_t pos = object.start + 1;

	for (;;) {
		size_t key_start, key_end;
		json_t *decoded;
		int match;

		pos = skip_space(p, pos, object.end);
		if (pos >= object.end || p[pos] != '"')
			return -1;
		key_start = pos;
		key_end = skip_string(p, pos, object.end);

		/* Keys may be written with escapes, so compare them decoded. */
		decoded = json_loadb(p + key_start, key_end - key_start, JSON_DECODE_ANY, NULL);
		match = decoded && json_is_string(decoded) && strcmp(json_string_value(decoded), key) == 0;
		json_decref(decoded);

		pos = skip_space(p, key_end, object.end);
		if (pos < object.end && p[pos] == ':')
			pos++;
		pos = skip_space(p, pos, object.end);
		out->start = pos;
		pos = skip_value(p, pos, object.end);
		out->end = pos;
		if (match)
			return 0;
		pos = skip_space(p, pos, object.end);
		if (pos < object.end && p[pos] == ',')
			pos++;
	}
}

/* Validation of one handoff's fields. */

enum field_kind {
	FIELD_SUMMARY,
	FIELD_TEXT,
	FIELD_TIME,
	FIELD_PRIORITY,
	FIELD_SCOPE,
	FIELD_CHANNEL,
	FIELD_LIST,
	FIELD_INDICATORS,
	FIELD_EVIDENCE,
	FIELD_VERSION,
};

/* A handoff field and the incident member it fills (OFFSET; 0 for evidence and version). */
struct field_spec {
	const char *name;
	enum field_kind kind;
	size_t offset;
};

static const struct field_spec field_specs[] = {
	{"summary", FIELD_SUMMARY, offsetof(struct incident, summary)},
	{"source", FIELD_TEXT, offsetof(struct incident, source)},
	{"reference", FIELD_TEXT, offsetof(struct incident, reference)},
	{"received_at", FIELD_TIME, offsetof(struct incident, received_at)},
	{"detected_at", FIELD_TIME, offsetof(struct incident, detected_at)},
	{"detection_source", FIELD_TEXT, offsetof(struct incident, detection_source)},
	{"product", FIELD_TEXT, offsetof(struct incident, product)},
	{"channel", FIELD_CHANNEL, offsetof(struct incident, channels)},
	{"priority", FIELD_PRIORITY, offsetof(struct incident, priority)},
	{"scope", FIELD_SCOPE, offsetof(struct incident, scope)},
	{"risk_indicators", FIELD_INDICATORS, offsetof(struct incident, risk_indicators)},
	{"evidence", FIELD_EVIDENCE, 0},
	{"reproduction", FIELD_TEXT, offsetof(struct incident, reproduction)},
	{"affected_services", FIELD_LIST, offsetof(struct incident, impacted_services)},
	{"reporter", FIELD_TEXT, offsetof(struct incident, reporter)},
	{"handoff_version", FIELD_VERSION, 0},
};

/* The members an evidence item may have; all are strings. Others stay in the item's body. */
static const char *const evidence_members[] = {"kind", "name", "value", "text", "url", "at"};

static char **text_member(struct incident *inc, size_t offset)
{
	return (char **)((char *)inc + offset);
}

static struct strlist *list_member(struct incident *inc, size_t offset)
{
	return (struct strlist *)((char *)inc + offset);
}

static const struct field_spec *find_field(const char *name)
{
	for (size_t i = 0; i < sizeof field_specs / sizeof field_specs[0]; i++)
		if (strcmp(field_specs[i].name, name) == 0)
			return &field_specs[i];
	return NULL;
}

/*
 * Returns V's text when it is a string the store can keep, else reports the
 * problem under FIELD and returns NULL. A string with "\u0000" cannot be
 * kept because the store's C strings end at a NUL. EXPECTED names the
 * accepted types for the message.
 */
static const char *check_string(struct import_ctx *c, const char *field, const json_t *v,
				const char *expected)
{
	const char *s;

	if (!json_is_string(v)) {
		report(c, 1, field, "expected %s, got %s", expected, type_name(v));
		return NULL;
	}
	s = json_string_value(v);
	if (strlen(s) != json_string_length(v)) {
		report(c, 1, field, "contains a NUL character (\\u0000), which cannot be stored; remove it");
		return NULL;
	}
	return s;
}

/* Returns nonzero when a string anywhere in V contains a NUL character. */
static int json_contains_nul(const json_t *v)
{
	const char *key;
	json_t *member;
	size_t i;

	if (json_is_string(v))
		return strlen(json_string_value(v)) != json_string_length(v);
	if (json_is_array(v)) {
		json_array_foreach((json_t *)v, i, member)
			if (json_contains_nul(member))
				return 1;
	} else if (json_is_object(v)) {
		json_object_foreach((json_t *)v, key, member)
			if (json_contains_nul(member))
				return 1;
	}
	return 0;
}

/* Parses an ISO 8601 time into *OUT as UTC "...Z"; reports under FIELD and returns -1 when invalid. */
static int check_time(struct import_ctx *c, const char *field, const json_t *v, char **out)
{
	const char *s = check_string(c, field, v, "a string");
	char utc[21];
	time_t t;

	if (!s)
		return -1;
	if (time_parse_iso8601(s, &t) != 0) {
		report(c, 1, field, "invalid time %s; expected ISO 8601 such as 2024-05-01T13:35:00Z",
		       quoted_str(c, s));
		return -1;
	}
	time_format_utc(t, utc);
	*out = xstrdup(utc);
	return 0;
}

/* Fills LIST from an array of strings; with IS_INDICATORS, warns about indicators the playbook lacks. */
static void check_string_list(struct import_ctx *c, const char *field, const json_t *v,
			      struct strlist *list, int is_indicators)
{
	char path[512];
	size_t i;
	json_t *item;

	if (!json_is_array(v)) {
		report(c, 1, field, "expected an array of strings, got %s", type_name(v));
		return;
	}
	json_array_foreach(v, i, item) {
		const char *s;

		snprintf(path, sizeof path, "%s[%zu]", field, i);
		s = check_string(c, path, item, "a string");
		if (!s)
			continue;
		if (is_indicators && !playbook_indicator(c->pb, s)) {
			const char *near = nearest_term(s, c->pb->indicators, c->pb->n_indicators);

			/* An unknown indicator suggests no severity, so a typo can lower the suggestion. */
			if (near)
				report(c, 0, path, "unknown risk indicator %s, so it suggests no severity;"
				       " kept (did you mean \"%s\"?)", quoted_str(c, s), near);
			else
				report(c, 0, path, "unknown risk indicator %s, so it suggests no severity;"
				       " kept (the playbook knows %s)", quoted_str(c, s), known_indicators(c));
		}
		strlist_add(list, s);
	}
}

static void check_channel(struct import_ctx *c, const char *field, const json_t *v,
			  struct strlist *list)
{
	const char *s;

	if (json_is_array(v)) {
		check_string_list(c, field, v, list, 0);
		return;
	}
	s = check_string(c, field, v, "a string or an array of strings");
	if (s)
		strlist_add(list, s);
}

static void check_priority(struct import_ctx *c, const char *field, const json_t *v, char **out)
{
	const char *s = check_string(c, field, v, "a string");

	if (!s)
		return;
	if (!playbook_severity_for_priority(c->pb, s)) {
		report(c, 1, field, "expected one of %s, got %s", c->priorities, quoted_str(c, s));
		return;
	}
	*out = xstrdup(s);
}

static void check_version(struct import_ctx *c, const char *field, const json_t *v)
{
	if (!json_is_integer(v)) {
		report(c, 1, field, "expected the integer 1, got %s", type_name(v));
		return;
	}
	if (json_integer_value(v) != 1)
		report(c, 1, field, "unsupported version %" JSON_INTEGER_FORMAT
		       "; this warroom reads handoff version 1", json_integer_value(v));
}

static void evidence_item_free(struct evidence_item *item)
{
	free(item->kind);
	free(item->name);
	free(item->at);
	free(item->body);
}

/* Validates evidence item INDEX (an object) into ITEM; BODY is its JSON text as given. */
static void check_evidence_item(struct import_ctx *c, const json_t *v, size_t index,
				struct evidence_item *item)
{
	char path[512];
	const char *key;
	json_t *member;

	json_object_foreach((json_t *)v, key, member) {
		const char *s;
		int known = 0;

		for (size_t k = 0; k < sizeof evidence_members / sizeof evidence_members[0]; k++)
			known |= strcmp(key, evidence_members[k]) == 0;
		if (!known || json_is_null(member))
			continue;

		snprintf(path, sizeof path, "evidence[%zu].%s", index, key);
		if (strcmp(key, "at") == 0) {
			check_time(c, path, member, &item->at);
			continue;
		}
		s = check_string(c, path, member, "a string");
		if (!s)
			continue;
		if (strcmp(key, "kind") == 0) {
			if (strcmp(s, "handoff") == 0) {
				report(c, 1, path, "\"handoff\" is the kind of the imported handoff itself;"
				       " use another kind");
				continue;
			}
			item->kind = xstrdup(s);
		} else if (strcmp(key, "name") == 0) {
			item->name = xstrdup(s);
		}
	}
}

/* Returns nonzero when evidence ITEM has none of name, value, text or url, so it has no content to show. */
static int evidence_shows_nothing(const json_t *item)
{
	static const char *const content[] = {"name", "value", "text", "url"};

	for (size_t k = 0; k < sizeof content / sizeof content[0]; k++) {
		const json_t *member = json_object_get(item, content[k]);

		if (member && !json_is_null(member))
			return 0;
	}
	return 1;
}

static void check_evidence(struct import_ctx *c, const char *field, const json_t *v,
			   struct span handoff_span, struct handoff *h)
{
	struct span evidence_span, *spans;
	size_t n = json_is_array(v) ? json_array_size(v) : 0, found = 0;
	char path[512];
	size_t i;
	json_t *item;

	if (!json_is_array(v)) {
		report(c, 1, field, "expected an array of objects, got %s", type_name(v));
		return;
	}

	spans = xcalloc(n, sizeof *spans);
	if (raw_member(c->data, handoff_span, field, &evidence_span) == 0)
		found = raw_elements(c->data, evidence_span, spans, n);

	h->items = xcalloc(n, sizeof *h->items);
	h->n_items = n;
	json_array_foreach(v, i, item) {
		snprintf(path, sizeof path, "%s[%zu]", field, i);
		if (!json_is_object(item)) {
			report(c, 1, path, "expected an object, got %s", type_name(item));
			continue;
		}
		check_evidence_item(c, item, i, &h->items[i]);
		if (evidence_shows_nothing(item))
			report(c, 0, path, "has no name, value, text or url; kept, but it shows nothing");

		/* The scanner and jansson agree on valid JSON; the fallback only guards that belief. */
		if (found == n)
			h->items[i].body = xstrndup(c->data + spans[i].start, spans[i].end - spans[i].start);
		else
			h->items[i].body = json_dumps(item, JSON_COMPACT);
	}
	free(spans);
}

/* Validates one member of a handoff against its field spec. */
static void check_field(struct import_ctx *c, const struct field_spec *spec, const json_t *v,
			struct span handoff_span, struct handoff *h)
{
	struct incident *inc = h->fields;
	const char *s;

	switch (spec->kind) {
	case FIELD_SUMMARY:
		s = check_string(c, spec->name, v, "a string");
		if (s && str_blank(s))
			report(c, 1, spec->name, "empty; every handoff needs a summary of the problem");
		else if (s)
			*text_member(inc, spec->offset) = xstrdup(s);
		break;
	case FIELD_TEXT:
		s = check_string(c, spec->name, v, "a string");
		if (s)
			*text_member(inc, spec->offset) = xstrdup(s);
		break;
	case FIELD_TIME:
		check_time(c, spec->name, v, text_member(inc, spec->offset));
		break;
	case FIELD_PRIORITY:
		check_priority(c, spec->name, v, text_member(inc, spec->offset));
		break;
	case FIELD_SCOPE:
		s = check_string(c, spec->name, v, "a string");
		if (s && !playbook_scope(c->pb, s)) {
			const char *near = nearest_term(s, c->pb->scopes, c->pb->n_scopes);

			if (near)
				report(c, 0, spec->name, "unknown scope %s; kept (did you mean \"%s\"?)",
				       quoted_str(c, s), near);
			else
				report(c, 0, spec->name, "unknown scope %s; kept", quoted_str(c, s));
		}
		if (s)
			*text_member(inc, spec->offset) = xstrdup(s);
		break;
	case FIELD_CHANNEL:
		check_channel(c, spec->name, v, list_member(inc, spec->offset));
		break;
	case FIELD_LIST:
		check_string_list(c, spec->name, v, list_member(inc, spec->offset), 0);
		break;
	case FIELD_INDICATORS:
		check_string_list(c, spec->name, v, list_member(inc, spec->offset), 1);
		break;
	case FIELD_EVIDENCE:
		check_evidence(c, spec->name, v, handoff_span, h);
		break;
	case FIELD_VERSION:
		check_version(c, spec->name, v);
		break;
	}
}

static void handoff_free(struct handoff *h)
{
	if (h->fields)
		incident_free(h->fields);
	free(h->raw);
	for (size_t i = 0; i < h->n_items; i++)
		evidence_item_free(&h->items[i]);
	free(h->items);
	free(h->existing_id);
}

/* Builds the suggestion_rule text: "RULE (INDICATOR)", or "priority (P1)". */
static char *suggestion_rule_text(const struct handoff *h)
{
	const struct severity_suggestion *s = &h->suggestion;

	if (s->indicator)
		return xasprintf("%s (%s)", s->rule_id, s->indicator);
	return xasprintf("%s (%s)", s->rule_id, h->fields->priority);
}

/* Validates the handoff object V, whose text is SPAN, into H; problems go to the reports. */
static void check_handoff(struct import_ctx *c, const json_t *v, struct span span, struct handoff *h)
{
	json_t *extra = json_object();
	char path[512];
	const char *key;
	json_t *member;
	size_t errors_before = c->n_errors;

	h->first = -1;
	h->fields = xcalloc(1, sizeof *h->fields);
	h->raw = xstrndup(c->data + span.start, span.end - span.start);

	json_object_foreach((json_t *)v, key, member) {
		const struct field_spec *spec = find_field(key);

		if (!spec) {
			snprintf(path, sizeof path, "%s", shortened(c, key, strlen(key), 0));
			/* The store reads the extra fields back with jansson, which rejects a NUL. */
			if (json_contains_nul(member)) {
				report(c, 1, path, "contains a NUL character (\\u0000), which cannot"
				       " be stored; remove it");
				continue;
			}
			const char *near = NULL;
			size_t best = 3;

			for (size_t i = 0; i < sizeof field_specs / sizeof field_specs[0]; i++) {
				size_t d = str_distance(key, field_specs[i].name, 2);

				if (d < best) {
					near = field_specs[i].name;
					best = d;
				}
			}
			if (near)
				report(c, 0, path, "unknown field; kept in the incident's extra fields"
				       " (did you mean \"%s\"?)", near);
			else
				report(c, 0, path, "unknown field; kept in the incident's extra fields");
			json_object_set(extra, key, member);
			continue;
		}
		/* A null optional field is absent; summary must be a string. */
		if (json_is_null(member) && spec->kind != FIELD_SUMMARY)
			continue;
		check_field(c, spec, member, span, h);
	}

	if (!json_object_get(v, "summary")) {
		const char *near = NULL;

		/* The unknown-field warning with its hint is not shown once there is an error. */
		json_object_foreach((json_t *)v, key, member) {
			if (!near && str_distance(key, "summary", 2) <= 2)
				near = key;
		}
		if (near)
			report(c, 1, "summary", "missing; every handoff needs a summary of the problem"
			       " (is the field %s meant to be it?)", quoted_str(c, near));
		else
			report(c, 1, "summary", "missing; every handoff needs a summary of the problem");
	}
	if (json_object_size(extra) > 0)
		h->fields->extra = json_dumps(extra, JSON_COMPACT);
	json_decref(extra);
	if (c->n_errors > errors_before)
		return;

	if (!h->fields->source || !h->fields->reference)
		report(c, 0, "", "no source and reference to recognise it by;"
		       " importing it again opens a second incident");
	/* The start drives the age and the update cadence, so take the earliest time the handoff gives. */
	if (h->fields->detected_at) {
		h->fields->started_at = xstrdup(h->fields->detected_at);
	} else if (h->fields->received_at) {
		h->fields->started_at = xstrdup(h->fields->received_at);
		report(c, 0, "detected_at", "missing; the incident starts at received_at until the"
		       " record gives the real start");
	} else {
		report(c, 0, "detected_at", "missing; the incident starts at the import time until"
		       " the record gives the real start");
	}

	h->has_suggestion = severity_suggest(c->pb,
					     (const char *const *)h->fields->risk_indicators.items,
					     h->fields->risk_indicators.len, h->fields->priority,
					     &h->suggestion) == 0;
	if (h->has_suggestion) {
		h->fields->suggested_severity = xstrdup(h->suggestion.severity);
		h->fields->suggestion_rule = suggestion_rule_text(h);
	}
}

/*
 * Parses the input and validates every handoff into *HANDOFFS (*COUNT of
 * them, which the caller frees). Returns -1 when the input cannot be
 * parsed; validation problems are only counted in C.
 */
static int check_input(struct import_ctx *c, struct handoff **handoffs, size_t *count)
{
	json_error_t jerr;
	json_t *root;
	struct span whole, *spans;
	size_t n, found;

	*handoffs = NULL;
	*count = 0;

	whole.start = skip_space(c->data, 0, c->len);
	if (whole.start == c->len) {
		report(c, 1, NULL, "empty file; expected a handoff object or an array of them");
		return -1;
	}

	/*
	 * Duplicate keys are rejected because which one counts would be a guess.
	 * "\u0000" is let through so that the field it is in gets named.
	 */
	root = json_loadb(c->data, c->len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL,
			  &jerr);
	if (!root) {
		char *text = textsafe(jerr.text);

		c->n_errors++;
		sb_addf(&c->first_error, "%s:%d:%d: invalid JSON: %s", c->safe_name, jerr.line,
			jerr.column, text);
		if (c->errors)
			sb_addf(c->errors, "%s\n", c->first_error.data);
		free(text);
		return -1;
	}
	whole.end = skip_value(c->data, whole.start, c->len);

	if (json_is_object(root)) {
		*handoffs = xcalloc(1, sizeof **handoffs);
		*count = 1;
		check_handoff(c, root, whole, *handoffs);
		json_decref(root);
		return 0;
	}
	if (!json_is_array(root)) {
		report(c, 1, NULL, "expected a handoff object or an array of them, got %s",
		       type_name(root));
		json_decref(root);
		return -1;
	}

	n = json_array_size(root);
	if (n == 0) {
		report(c, 1, NULL, "no handoffs: the array is empty");
		json_decref(root);
		return -1;
	}
	spans = xcalloc(n, sizeof *spans);
	found = raw_elements(c->data, whole, spans, n);
	*handoffs = xcalloc(n, sizeof **handoffs);
	*count = n;
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_array_get(root, i);

		c->index = (long)i;
		(*handoffs)[i].first = -1;
		if (!json_is_object(v)) {
			report(c, 1, "", "expected a handoff object, got %s", type_name(v));
			continue;
		}
		if (found != n) {
			/* Unreachable while the scanner agrees with jansson; reject rather than guess. */
			report(c, 1, "", "could not find the handoff's text in the file");
			continue;
		}
		check_handoff(c, v, spans[i], &(*handoffs)[i]);
	}
	c->index = -1;
	free(spans);
	json_decref(root);
	return 0;
}

/* Duplicates and writing. */

static int same_origin(const struct incident *a, const struct incident *b)
{
	return a->source && a->reference && b->source && b->reference &&
	       strcmp(a->source, b->source) == 0 && strcmp(a->reference, b->reference) == 0;
}

/* A handoff's place in the file, for sorting by origin. */
struct origin_entry {
	const struct incident *fields;
	size_t index;
};

/* Orders by source, then reference, then place in the file; handoffs without both come first. */
static int origin_compare(const void *a, const void *b)
{
	const struct origin_entry *x = a, *y = b;
	int known_x = x->fields->source && x->fields->reference;
	int known_y = y->fields->source && y->fields->reference;
	int c;

	if (known_x != known_y)
		return known_x - known_y;
	if (known_x) {
		c = strcmp(x->fields->source, y->fields->source);
		if (c == 0)
			c = strcmp(x->fields->reference, y->fields->reference);
		if (c != 0)
			return c;
	}
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * Sets FIRST of each handoff that repeats the origin of an earlier one in
 * the file. Sorting keeps this O(n log n): a file of 10,000 handoffs took
 * 50 million comparisons when each handoff was compared with all before it.
 */
static void mark_repeats(struct handoff *handoffs, size_t n)
{
	struct origin_entry *order = xcalloc(n ? n : 1, sizeof *order);

	for (size_t i = 0; i < n; i++) {
		order[i].fields = handoffs[i].fields;
		order[i].index = i;
	}
	qsort(order, n, sizeof *order, origin_compare);

	/* Equal origins sort together, the earliest in the file first: the others point to it. */
	for (size_t i = 1, head = 0; i < n; i++) {
		if (!same_origin(order[head].fields, order[i].fields)) {
			head = i;
			continue;
		}
		handoffs[order[i].index].first = (long)order[head].index;
	}
	free(order);
}

/* Marks handoffs that the store already contains, and repeats of an earlier handoff of the file. */
static int find_duplicates(struct store *st, struct handoff *handoffs, size_t n,
			   struct wr_error *err)
{
	mark_repeats(handoffs, n);
	for (size_t i = 0; i < n; i++) {
		struct incident *f = handoffs[i].fields;

		if (handoffs[i].first >= 0 || !st || !f->source || !f->reference)
			continue;

		err->status = WR_OK;
		handoffs[i].existing_id = incident_find_origin(st, f->source, f->reference, err);
		if (!handoffs[i].existing_id && err->status != WR_OK)
			return -1;
	}
	return 0;
}

static int insert_evidence(struct store *st, const char *incident_id, const char *kind,
			   const char *name, const char *body, const char *at, struct wr_error *err)
{
	sqlite3_stmt *stmt = NULL;
	char added_at[21];
	int rc;

	time_format_utc(clock_now(), added_at);
	rc = store_prepare(st,
			   "INSERT INTO evidence (incident_id, kind, name, body, at, added_by, added_at)"
			   " VALUES (?, ?, ?, ?, ?, ?, ?)",
			   &stmt);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(stmt, 1, incident_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 4, body, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 5, at, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 6, actor_name(), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 7, added_at, -1, SQLITE_STATIC);
		rc = sqlite3_step(stmt);
	}
	store_finalize(st, stmt);
	if (rc != SQLITE_DONE) {
		char *action = xasprintf("storing %s evidence of %s", kind, incident_id);

		store_error(st, err, action);
		free(action);
		return -1;
	}
	return 0;
}

/* Writes one new incident with its evidence and timeline events inside the open transaction. */
static int write_handoff(struct store *st, const struct import_ctx *c, struct handoff *h,
			 struct wr_error *err)
{
	struct incident *f = h->fields;
	const char *id;

	if (incident_insert(st, f, err) != 0)
		return -1;
	id = f->id;

	if (insert_evidence(st, id, "handoff", c->name, h->raw, f->received_at, err) != 0)
		return -1;
	for (size_t i = 0; i < h->n_items; i++) {
		struct evidence_item *item = &h->items[i];

		if (insert_evidence(st, id, item->kind ? item->kind : "note", item->name, item->body,
				    item->at, err) != 0)
			return -1;
	}

	if (store_event(st, id, "imported", err, "from %s %s",
			f->source ? f->source : c->name,
			f->reference ? f->reference : "(no reference)") != 0)
		return -1;
	if (h->has_suggestion)
		return store_event(st, id, "severity suggested", err, "suggested %s by rule %s: %s",
				   h->suggestion.severity, h->suggestion.rule_id, h->suggestion.reason);
	return store_event(st, id, "severity suggested", err,
			   "no severity suggested: no risk indicator matched a rule and the handoff"
			   " has no priority");
}

static int write_all(struct store *st, const struct import_ctx *c, struct handoff *handoffs,
		     size_t n, struct wr_error *err)
{
	if (store_begin(st, err) != 0)
		return -1;
	if (find_duplicates(st, handoffs, n, err) != 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		if (handoffs[i].first >= 0 || handoffs[i].existing_id)
			continue;
		if (write_handoff(st, c, &handoffs[i], err) != 0)
			goto fail;
	}
	if (store_commit(st, err) != 0)
		goto fail;
	return 0;

fail:
	store_rollback(st);
	return -1;
}

static struct import_result *make_results(struct handoff *handoffs, size_t n)
{
	struct import_result *results = xcalloc(n, sizeof *results);

	for (size_t i = 0; i < n; i++) {
		struct handoff *h = &handoffs[i];
		struct handoff *origin = h->first >= 0 ? &handoffs[h->first] : h;
		const char *id = origin->existing_id ? origin->existing_id : origin->fields->id;

		results[i].id = id ? xstrdup(id) : NULL;
		results[i].reference = h->fields->reference ? xstrdup(h->fields->reference) : NULL;
		results[i].already = h->first >= 0 || h->existing_id != NULL;
	}
	return results;
}

int import_buffer(struct store *st, const struct playbook *pb, const char *name,
		  const char *data, size_t len, int dry_run, struct import_result **results,
		  size_t *n, struct strbuf *warnings, struct strbuf *errors, struct wr_error *err)
{
	struct import_ctx c;
	struct handoff *handoffs = NULL;
	size_t count = 0;
	int rc = -1, store_status;

	*results = NULL;
	*n = 0;

	/* A UTF-8 byte order mark, which some Windows tools write, is not part of the JSON. */
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	ctx_init(&c, pb, name, data, len, errors);

	if (check_input(&c, &handoffs, &count) != 0 || c.n_errors > 0) {
		report_overflow(&c);
		if (c.n_errors > 1)
			error_set(err, WR_BAD_INPUT, "%s (and %zu more errors); nothing was imported",
				  c.first_error.data, c.n_errors - 1);
		else
			error_set(err, WR_BAD_INPUT, "%s; nothing was imported", c.first_error.data);
		goto done;
	}
	report_overflow(&c);

	if (dry_run)
		store_status = find_duplicates(st, handoffs, count, err);
	else
		store_status = write_all(st, &c, handoffs, count, err);
	if (store_status != 0) {
		/* The store's message may quote stored text, so the line gets escaped too. */
		char *safe = textsafe(err->message);

		if (errors)
			sb_addf(errors, "%s: %s; nothing was imported\n", c.safe_name, safe);
		free(safe);
		goto done;
	}

	if (warnings)
		sb_add(warnings, c.warnings.data);
	*results = make_results(handoffs, count);
	*n = count;
	rc = 0;

done:
	for (size_t i = 0; i < count; i++)
		handoff_free(&handoffs[i]);
	free(handoffs);
	ctx_free(&c);
	return rc;
}

/* Reads all of PATH ("-": standard input) into a string the caller frees. */
static char *read_input(const char *path, const char *safe_name, size_t *len, struct wr_error *err)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	struct strbuf sb;
	char chunk[65536];
	size_t got;
	int failed;

	if (!f) {
		error_set(err, WR_BAD_INPUT, "%s: cannot open: %s", safe_name, strerror(errno));
		return NULL;
	}

	sb_init(&sb);
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
		sb_addn(&sb, chunk, got);
		if (sb.len > IMPORT_MAX_FILE_BYTES) {
			error_set(err, WR_BAD_INPUT, "%s: larger than %u MiB; split the handoffs into"
				  " smaller files", safe_name, IMPORT_MAX_FILE_BYTES / (1024 * 1024));
			break;
		}
	}
	failed = ferror(f);
	if (failed)
		error_set(err, WR_BAD_INPUT, "%s: cannot read: %s", safe_name, strerror(errno));
	if (f != stdin)
		fclose(f);
	if (failed || sb.len > IMPORT_MAX_FILE_BYTES) {
		sb_free(&sb);
		return NULL;
	}
	*len = sb.len;
	return sb_take(&sb);
}

static int import_path(struct store *st, const struct playbook *pb, const char *path, int dry_run,
		       struct import_result **results, size_t *n, struct strbuf *warnings,
		       struct strbuf *errors, struct wr_error *err)
{
	const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	char *safe_name = textsafe(name);
	size_t len = 0;
	char *data = read_input(path, safe_name, &len, err);
	int rc;

	free(safe_name);
	*results = NULL;
	*n = 0;
	if (!data) {
		if (errors)
			sb_addf(errors, "%s\n", err->message);
		return -1;
	}
	rc = import_buffer(st, pb, name, data, len, dry_run, results, n, warnings, errors, err);
	free(data);
	return rc;
}

int import_file(struct store *st, const struct playbook *pb, const char *path,
		struct import_result **results, size_t *n, struct strbuf *warnings,
		struct strbuf *errors, struct wr_error *err)
{
	return import_path(st, pb, path, 0, results, n, warnings, errors, err);
}

int import_check_file(struct store *st, const struct playbook *pb, const char *path,
		      struct import_result **results, size_t *n, struct strbuf *warnings,
		      struct strbuf *errors, struct wr_error *err)
{
	return import_path(st, pb, path, 1, results, n, warnings, errors, err);
}

void import_results_free(struct import_result *results, size_t n)
{
	if (!results)
		return;
	for (size_t i = 0; i < n; i++) {
		free(results[i].id);
		free(results[i].reference);
	}
	free(results);
}
