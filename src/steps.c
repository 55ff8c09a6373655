/*
 * Steps 1, 2, 3 and 5 of the playbook: classification, severity, the
 * incident record and the customer impact statement. Each change is one
 * transaction with a timeline event that names the old and the new value.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "severity.h"
#include "steps.h"
#include "steps_util.h"

/* Appends "a, b, c" of the N ids of TERMS, for "one of:" hints. */
static void join_terms(struct strbuf *sb, const struct pb_term *terms, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sb_addf(sb, "%s%s", i ? ", " : "", terms[i].id);
}

static int unknown_term(struct wr_error *err, const char *what, const char *value,
			const struct pb_term *terms, size_t n)
{
	struct strbuf sb;

	sb_init(&sb);
	join_terms(&sb, terms, n);
	error_set(err, WR_BAD_INPUT, "unknown %s \"%s\"; one of: %s", what, value, sb.data);
	sb_free(&sb);
	return -1;
}

int step_classify(struct store *st, const struct playbook *pb, const char *id,
		  const char *category, const char *scope, const char *reason, int *changed,
		  struct wr_error *err)
{
	struct incident *inc;
	struct strbuf details;
	int new_category, new_scope;

	if (changed)
		*changed = 0;
	if (!category && !scope)
		return error_set(err, WR_BAD_INPUT, "nothing to classify; give a category, a scope or both");
	if (category && !playbook_category(pb, category))
		return unknown_term(err, "category", category, pb->categories, pb->n_categories);
	if (scope && !playbook_scope(pb, scope))
		return unknown_term(err, "scope", scope, pb->scopes, pb->n_scopes);

	inc = steps_begin(st, id, STEPS_OPEN_ONLY, err);
	if (!inc)
		return -1;
	new_category = category && !steps_same(inc->category, category);
	new_scope = scope && !steps_same(inc->scope, scope);
	if (!new_category && !new_scope)
		return steps_unchanged(st, inc);

	if (steps_exec(st, err, "UPDATE incidents SET category = ?, scope = ? WHERE id = ?", "sss",
		       new_category ? category : inc->category, new_scope ? scope : inc->scope,
		       inc->id) < 0)
		return steps_abort(st, inc);

	sb_init(&details);
	if (new_category)
		sb_addf(&details, "category %s → %s", steps_or_none(inc->category), category);
	if (new_scope)
		sb_addf(&details, "%sscope %s → %s", new_category ? ", " : "",
			steps_or_none(inc->scope), scope);
	if (!str_blank(reason)) {
		char *trimmed = steps_trim(reason);

		sb_addf(&details, ": %s", trimmed);
		free(trimmed);
	}
	if (store_event(st, inc->id, "classified", err, "%s", details.data) < 0) {
		sb_free(&details);
		return steps_abort(st, inc);
	}
	sb_free(&details);

	if (steps_commit(st, inc, err) < 0)
		return -1;
	if (changed)
		*changed = 1;
	return 0;
}

/* Copies TEXT lower-cased and without spaces, "-" and "_" into OUT of SIZE bytes. */
static void severity_key(const char *text, char *out, size_t size)
{
	size_t len = 0;

	for (; *text && len + 1 < size; text++) {
		if (*text == ' ' || *text == '-' || *text == '_' || *text == '\t')
			continue;
		out[len++] = (char)tolower((unsigned char)*text);
	}
	out[len] = '\0';
}

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

const struct pb_severity *step_severity_find(const struct playbook *pb, const char *text)
{
	char key[64], id_key[64], label_key[64];

	if (str_blank(text))
		return NULL;
	severity_key(text, key, sizeof key);

	for (size_t i = 0; i < pb->n_severities; i++) {
		const struct pb_severity *sev = &pb->severities[i];

		severity_key(sev->id, id_key, sizeof id_key);
		severity_key(sev->label ? sev->label : sev->id, label_key, sizeof label_key);
		if (strcmp(key, id_key) == 0 || strcmp(key, label_key) == 0)
			return sev;
		if (all_digits(key) && strlen(key) < 6 && atoi(key) == sev->rank)
			return sev;
	}
	return NULL;
}

static int unknown_severity(const struct playbook *pb, const char *value, struct wr_error *err)
{
	struct strbuf sb;

	sb_init(&sb);
	for (size_t i = 0; i < pb->n_severities; i++)
		sb_addf(&sb, "%s%s", i ? ", " : "", pb->severities[i].id);
	error_set(err, WR_BAD_INPUT, "unknown severity \"%s\"; one of: %s (or its number alone)",
		  value, sb.data);
	sb_free(&sb);
	return -1;
}

int step_set_severity(struct store *st, const struct playbook *pb, const char *id,
		      const char *severity, const char *reason, int *changed,
		      struct wr_error *err)
{
	const struct pb_severity *sev;
	struct incident *inc;
	char *reason_text = NULL;
	int rc;

	if (changed)
		*changed = 0;
	sev = step_severity_find(pb, severity);
	if (!sev)
		return unknown_severity(pb, severity ? severity : "", err);

	inc = steps_begin(st, id, STEPS_OPEN_ONLY, err);
	if (!inc)
		return -1;
	if (steps_same(inc->severity, sev->id))
		return steps_unchanged(st, inc);

	/* The playbook requires a reason whenever the commander departs from the suggestion. */
	if (!str_blank(inc->suggested_severity) && strcmp(inc->suggested_severity, sev->id) != 0 &&
	    str_blank(reason)) {
		error_set(err, WR_BAD_INPUT, "%s differs from the suggested %s; give the reason for the override",
			  sev->id, inc->suggested_severity);
		return steps_abort(st, inc);
	}

	if (steps_exec(st, err, "UPDATE incidents SET severity = ? WHERE id = ?", "ss", sev->id,
		       inc->id) < 0)
		return steps_abort(st, inc);

	reason_text = str_blank(reason) ? NULL : steps_trim(reason);
	if (!str_blank(inc->suggested_severity))
		rc = store_event(st, inc->id, "severity", err, "severity %s → %s (suggested %s)%s%s",
				 steps_or_none(inc->severity), sev->id, inc->suggested_severity,
				 reason_text ? ": " : "", reason_text ? reason_text : "");
	else
		rc = store_event(st, inc->id, "severity", err, "severity %s → %s%s%s",
				 steps_or_none(inc->severity), sev->id, reason_text ? ": " : "",
				 reason_text ? reason_text : "");
	free(reason_text);
	if (rc < 0)
		return steps_abort(st, inc);

	if (steps_commit(st, inc, err) < 0)
		return -1;
	if (changed)
		*changed = 1;
	return 0;
}

/* Returns the index of S in LIST ignoring ASCII case, or -1. */
static long list_find(const struct strlist *list, const char *s)
{
	for (size_t i = 0; i < list->len; i++)
		if (strcasecmp(list->items[i], s) == 0)
			return (long)i;
	return -1;
}

static void list_remove(struct strlist *list, size_t index)
{
	free(list->items[index]);
	memmove(&list->items[index], &list->items[index + 1],
		(list->len - index - 1) * sizeof list->items[0]);
	list->len--;
}

/* Returns a copy of the N NAMES, trimmed, or NULL with ERR set when one is blank. */
static struct strlist *trimmed_names(const char *const *names, size_t n, const char *what,
				     struct wr_error *err)
{
	struct strlist *list = xcalloc(1, sizeof *list);

	for (size_t i = 0; i < n; i++) {
		char *name;

		if (str_blank(names[i])) {
			error_set(err, WR_BAD_INPUT, "blank %s; give its name", what);
			strlist_free(list);
			free(list);
			return NULL;
		}
		name = steps_trim(names[i]);
		strlist_add(list, name);
		free(name);
	}
	return list;
}

static void names_free(struct strlist *list)
{
	if (!list)
		return;
	strlist_free(list);
	free(list);
}

/* The step 3 input after validation: trimmed and normalised, NULL where unchanged. */
struct record_input {
	char started_at[21];
	int has_started_at;
	char *detection_source;
	char *commander;
	struct strlist *add_services;
	struct strlist *remove_services;
	struct strlist *add_metrics;
};

static void record_input_free(struct record_input *in)
{
	free(in->detection_source);
	free(in->commander);
	names_free(in->add_services);
	names_free(in->remove_services);
	names_free(in->add_metrics);
}

static int record_input_read(const struct record_fields *fields, struct record_input *in,
			     struct wr_error *err)
{
	memset(in, 0, sizeof *in);
	if (fields->started_at) {
		if (steps_parse_time("start time", fields->started_at, in->started_at, err) < 0)
			return -1;
		in->has_started_at = 1;
	}
	if (fields->detection_source) {
		if (str_blank(fields->detection_source))
			return error_set(err, WR_BAD_INPUT, "blank detection source; say how the "
					 "incident was detected, such as monitoring");
		in->detection_source = steps_trim(fields->detection_source);
	}
	if (fields->commander) {
		if (str_blank(fields->commander))
			return error_set(err, WR_BAD_INPUT, "blank commander; give the incident "
					 "commander's name");
		in->commander = steps_trim(fields->commander);
	}

	in->add_services = trimmed_names(fields->add_services, fields->n_add_services,
					 "impacted service", err);
	if (!in->add_services)
		return -1;
	in->remove_services = trimmed_names(fields->remove_services, fields->n_remove_services,
					    "impacted service to remove", err);
	if (!in->remove_services)
		return -1;
	in->add_metrics = trimmed_names(fields->add_metrics, fields->n_add_metrics, "metric", err);
	if (!in->add_metrics)
		return -1;

	for (size_t i = 0; i < in->add_services->len; i++)
		if (list_find(in->remove_services, in->add_services->items[i]) >= 0)
			return error_set(err, WR_BAD_INPUT, "service \"%s\" is both added and removed; "
					 "give it once", in->add_services->items[i]);
	return 0;
}

/* Sets column COLUMN of INC to VALUE with an event "LABEL OLD → NEW"; 1 when it changed, 0, or -1. */
static int record_set(struct store *st, struct incident *inc, const char *column, const char *old,
		      const char *value, const char *kind, const char *label, struct wr_error *err)
{
	char sql[128];

	if (steps_same(old, value))
		return 0;
	snprintf(sql, sizeof sql, "UPDATE incidents SET %s = ? WHERE id = ?", column);
	if (steps_exec(st, err, sql, "ss", value, inc->id) < 0)
		return -1;
	if (store_event(st, inc->id, kind, err, "%s %s → %s", label, steps_or_none(old), value) < 0)
		return -1;
	return 1;
}

static int not_listed(struct wr_error *err, const struct incident *inc, const char *name)
{
	struct strbuf sb;

	sb_init(&sb);
	for (size_t i = 0; i < inc->impacted_services.len; i++)
		sb_addf(&sb, "%s%s", i ? ", " : "", inc->impacted_services.items[i]);
	error_set(err, WR_BAD_INPUT, "service \"%s\" is not an impacted service of %s (%s)", name,
		  inc->id, sb.len ? sb.data : "it lists none");
	sb_free(&sb);
	return -1;
}

/* Applies the service and metric list changes with one event each; returns how many, or -1. */
static int record_lists(struct store *st, struct incident *inc, const struct record_input *in,
			struct wr_error *err)
{
	struct strlist *services = &inc->impacted_services, *metrics = &inc->metrics;
	int count = 0, services_changed = 0, metrics_changed = 0;
	char *json;

	for (size_t i = 0; i < in->remove_services->len; i++) {
		const char *name = in->remove_services->items[i];
		long at = list_find(services, name);

		if (at < 0)
			return not_listed(err, inc, name);
		if (store_event(st, inc->id, "service-removed", err, "impacted service removed: %s",
				services->items[at]) < 0)
			return -1;
		list_remove(services, (size_t)at);
		services_changed = 1;
		count++;
	}
	for (size_t i = 0; i < in->add_services->len; i++) {
		const char *name = in->add_services->items[i];

		if (list_find(services, name) >= 0)
			continue;
		if (store_event(st, inc->id, "service-added", err, "impacted service added: %s", name) < 0)
			return -1;
		strlist_add(services, name);
		services_changed = 1;
		count++;
	}
	for (size_t i = 0; i < in->add_metrics->len; i++) {
		const char *name = in->add_metrics->items[i];

		if (list_find(metrics, name) >= 0)
			continue;
		if (store_event(st, inc->id, "metric-added", err, "impacted metric added: %s", name) < 0)
			return -1;
		strlist_add(metrics, name);
		metrics_changed = 1;
		count++;
	}

	if (services_changed) {
		json = strlist_to_json(services);
		if (steps_exec(st, err, "UPDATE incidents SET impacted_services = ? WHERE id = ?", "ss",
			       json, inc->id) < 0) {
			free(json);
			return -1;
		}
		free(json);
	}
	if (metrics_changed) {
		json = strlist_to_json(metrics);
		if (steps_exec(st, err, "UPDATE incidents SET metrics = ? WHERE id = ?", "ss", json,
			       inc->id) < 0) {
			free(json);
			return -1;
		}
		free(json);
	}
	return count;
}

int step_record(struct store *st, const struct playbook *pb, const char *id,
		const struct record_fields *fields, int *changed, struct wr_error *err)
{
	struct record_input in;
	struct incident *inc;
	int count = 0, rc;

	if (changed)
		*changed = 0;
	if (record_input_read(fields, &in, err) < 0) {
		record_input_free(&in);
		return -1;
	}

	inc = steps_begin(st, id, STEPS_OPEN_ONLY, err);
	if (!inc) {
		record_input_free(&in);
		return -1;
	}

	if (in.has_started_at) {
		rc = record_set(st, inc, "started_at", inc->started_at, in.started_at, "started-at",
				"start time", err);
		if (rc < 0)
			goto fail;
		count += rc;
	}
	if (in.detection_source) {
		rc = record_set(st, inc, "detection_source", inc->detection_source,
				in.detection_source, "detection-source", "detection source", err);
		if (rc < 0)
			goto fail;
		count += rc;
	}
	rc = record_lists(st, inc, &in, err);
	if (rc < 0)
		goto fail;
	count += rc;
	if (in.commander) {
		rc = record_set(st, inc, "commander", inc->commander, in.commander, "commander",
				"commander", err);
		if (rc < 0)
			goto fail;
		count += rc;
	}
	record_input_free(&in);

	if (count == 0)
		return steps_unchanged(st, inc);
	if (steps_commit(st, inc, err) < 0)
		return -1;
	if (changed)
		*changed = 1;
	return 0;

fail:
	record_input_free(&in);
	return steps_abort(st, inc);
}

/* Returns the playbook's spelling of STATUS (compared ignoring case), or NULL. */
static const char *impact_status_find(const struct playbook *pb, const char *status)
{
	for (size_t i = 0; i < pb->n_impact_statuses; i++)
		if (strcasecmp(pb->impact_statuses[i], status) == 0)
			return pb->impact_statuses[i];
	return NULL;
}

static int unknown_impact_status(const struct playbook *pb, const char *status,
				 struct wr_error *err)
{
	struct strbuf sb;

	sb_init(&sb);
	for (size_t i = 0; i < pb->n_impact_statuses; i++)
		sb_addf(&sb, "%s\"%s\"", i ? ", " : "", pb->impact_statuses[i]);
	error_set(err, WR_BAD_INPUT, "unknown impact status \"%s\"; one of: %s", status, sb.data);
	sb_free(&sb);
	return -1;
}

/* Appends "LABEL OLD → NEW" to SB when the value changed and there was an old one. */
static void impact_change(struct strbuf *sb, const char *label, const char *old, const char *value)
{
	if (str_blank(old) || steps_same(old, value))
		return;
	sb_addf(sb, "%s%s \"%s\" → \"%s\"", sb->len ? "; " : "", label, old, value);
}

int step_impact(struct store *st, const struct playbook *pb, const char *id, const char *what,
		const char *who, const char *since, const char *status, int *changed,
		struct wr_error *err)
{
	const char *status_id;
	char since_utc[21];
	char *what_text, *who_text;
	struct incident *inc;
	struct strbuf was;
	int rc;

	if (changed)
		*changed = 0;
	if (str_blank(what))
		return error_set(err, WR_BAD_INPUT, "missing what is impacted, such as card payments or login");
	if (str_blank(who))
		return error_set(err, WR_BAD_INPUT, "missing who is impacted, such as some customers or all customers");
	if (str_blank(status))
		return unknown_impact_status(pb, "", err);
	status_id = impact_status_find(pb, status);
	if (!status_id)
		return unknown_impact_status(pb, status, err);
	if (steps_parse_time("impact start (since)", since, since_utc, err) < 0)
		return -1;

	inc = steps_begin(st, id, STEPS_OPEN_ONLY, err);
	if (!inc)
		return -1;
	what_text = steps_trim(what);
	who_text = steps_trim(who);
	if (steps_same(inc->impact_what, what_text) && steps_same(inc->impact_who, who_text) &&
	    steps_same(inc->impact_since, since_utc) && steps_same(inc->impact_status, status_id)) {
		free(what_text);
		free(who_text);
		return steps_unchanged(st, inc);
	}

	sb_init(&was);
	impact_change(&was, "what", inc->impact_what, what_text);
	impact_change(&was, "who", inc->impact_who, who_text);
	impact_change(&was, "since", inc->impact_since, since_utc);
	impact_change(&was, "status", inc->impact_status, status_id);

	rc = steps_exec(st, err, "UPDATE incidents SET impact_what = ?, impact_who = ?, "
			"impact_since = ?, impact_status = ? WHERE id = ?", "sssss",
			what_text, who_text, since_utc, status_id, inc->id);
	if (rc == 0)
		rc = store_event(st, inc->id, "impact", err,
				 "impact statement: what: %s; who: %s; since: %s; status: %s%s%s%s",
				 what_text, who_text, since_utc, status_id,
				 was.len ? " (changed: " : "", was.data, was.len ? ")" : "");
	free(what_text);
	free(who_text);
	sb_free(&was);
	if (rc < 0)
		return steps_abort(st, inc);

	if (steps_commit(st, inc, err) < 0)
		return -1;
	if (changed)
		*changed = 1;
	return 0;
}

int step_security_applies(const struct playbook *pb, const struct incident *inc)
{
	return severity_security_applies(pb, inc->category,
					 (const char *const *)inc->risk_indicators.items,
					 inc->risk_indicators.len);
}
