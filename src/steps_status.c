/*
 * Step completion for an incident: each playbook step's `required` record
 * fields and checklist, plus the security mini-SOP's actions when it
 * applies. The console's step tabs and `warroom status` show the result.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "steps.h"
#include "steps_util.h"

/* The records a status check reads once per incident. */
struct status_facts {
	const struct incident *inc;
	struct checklist_mark *marks;
	size_t n_marks;
	struct strlist missing_validations;
	int corrective;  /* corrective actions recorded */
	int prevention;  /* prevention tasks recorded */
};

/* The source of a record field's value. */
enum field_source {
	FIELD_TEXT,  /* a string member of struct incident, filled when not blank */
	FIELD_LIST,  /* a struct strlist member of struct incident, filled when not empty */
	FIELD_COUNT, /* an int member of struct status_facts, filled when above 0 */
};

/* A record field, its words in "missing: ..." and where to look. */
struct field_check {
	const char *name;
	const char *words;
	enum field_source source;
	size_t offset;
};

/*
 * The fields of playbook_record_fields, which the playbook loader accepts in
 * `required`. "validations" is checked apart: its missing entries are the
 * validations' own texts.
 */
static const struct field_check field_checks[] = {
	{"category", "category", FIELD_TEXT, offsetof(struct incident, category)},
	{"scope", "scope", FIELD_TEXT, offsetof(struct incident, scope)},
	{"severity", "severity", FIELD_TEXT, offsetof(struct incident, severity)},
	{"started_at", "start time", FIELD_TEXT, offsetof(struct incident, started_at)},
	{"detection_source", "detection source", FIELD_TEXT,
	 offsetof(struct incident, detection_source)},
	{"impacted_services", "impacted services", FIELD_LIST,
	 offsetof(struct incident, impacted_services)},
	{"impact_what", "what is impacted", FIELD_TEXT, offsetof(struct incident, impact_what)},
	{"impact_who", "who is impacted", FIELD_TEXT, offsetof(struct incident, impact_who)},
	{"impact_since", "since when", FIELD_TEXT, offsetof(struct incident, impact_since)},
	{"impact_status", "current status", FIELD_TEXT, offsetof(struct incident, impact_status)},
	{"root_cause", "root cause", FIELD_TEXT, offsetof(struct incident, root_cause)},
	{"corrective_action", "a corrective action", FIELD_COUNT,
	 offsetof(struct status_facts, corrective)},
	{"prevention_task", "a prevention task", FIELD_COUNT,
	 offsetof(struct status_facts, prevention)},
};

static int field_filled(const struct status_facts *facts, const struct field_check *check)
{
	const char *inc = (const char *)facts->inc;
	const char *text;
	const struct strlist *list;
	int count;

	switch (check->source) {
	case FIELD_TEXT:
		memcpy(&text, inc + check->offset, sizeof text);
		return !str_blank(text);
	case FIELD_LIST:
		list = (const struct strlist *)(const void *)(inc + check->offset);
		return list->len > 0;
	case FIELD_COUNT:
		memcpy(&count, (const char *)facts + check->offset, sizeof count);
		return count > 0;
	}
	return 0;
}

/* Sets *COUNT to the number of actions of KIND recorded for ID. */
static int count_actions(struct store *st, const char *id, const char *kind, int *count,
			 struct wr_error *err)
{
	sqlite3_stmt *stmt;
	int rc;

	stmt = steps_prepare(st, err, "SELECT COUNT(*) FROM actions WHERE incident_id = ? AND "
			     "kind = ?", "ss", id, kind);
	if (!stmt)
		return -1;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*count = sqlite3_column_int(stmt, 0);
	else
		store_error(st, err, "cannot count the incident's actions");
	store_finalize(st, stmt);
	return rc == SQLITE_ROW ? 0 : -1;
}

static int facts_read(struct store *st, const struct playbook *pb, const struct incident *inc,
		      struct status_facts *facts, struct wr_error *err)
{
	memset(facts, 0, sizeof *facts);
	facts->inc = inc;
	if (checklist_marks(st, inc->id, &facts->marks, &facts->n_marks, err) < 0)
		return -1;
	if (step_validations_missing(st, pb, inc->id, &facts->missing_validations, err) < 0)
		return -1;
	if (count_actions(st, inc->id, "corrective", &facts->corrective, err) < 0 ||
	    count_actions(st, inc->id, "prevention", &facts->prevention, err) < 0)
		return -1;
	return 0;
}

static void facts_free(struct status_facts *facts)
{
	checklist_marks_free(facts->marks, facts->n_marks);
	strlist_free(&facts->missing_validations);
}

static int item_marked(const struct status_facts *facts, const char *list, const char *item)
{
	for (size_t i = 0; i < facts->n_marks; i++)
		if (strcmp(facts->marks[i].list, list) == 0 && strcmp(facts->marks[i].item, item) == 0)
			return 1;
	return 0;
}

static void add_missing(struct strbuf *sb, const char *what)
{
	sb_addf(sb, "%s%s", sb->len ? ", " : "", what);
}

/* Appends what FIELD still needs to MISSING; -1 with ERR for a field warroom cannot check. */
static int check_field(const struct status_facts *facts, const struct pb_step *step,
		       const char *field, struct strbuf *missing, struct wr_error *err)
{
	if (strcmp(field, "validations") == 0) {
		for (size_t i = 0; i < facts->missing_validations.len; i++)
			add_missing(missing, facts->missing_validations.items[i]);
		return 0;
	}
	for (size_t i = 0; i < sizeof field_checks / sizeof field_checks[0]; i++) {
		if (strcmp(field_checks[i].name, field) != 0)
			continue;
		if (!field_filled(facts, &field_checks[i]))
			add_missing(missing, field_checks[i].words);
		return 0;
	}
	return error_set(err, WR_BAD_INPUT, "step %s of the playbook requires \"%s\", a record field "
			 "warroom cannot check; remove it from the step's required list",
			 step->id, field);
}

static void status_set(struct step_status *status, const char *step_id, struct strbuf *missing)
{
	status->step_id = step_id;
	status->complete = missing->len == 0;
	status->missing = missing->len ? sb_take(missing) : NULL;
}

int step_statuses(struct store *st, const struct playbook *pb, const char *id,
		  struct step_status **out, size_t *n, struct wr_error *err)
{
	struct status_facts facts;
	struct step_status *list;
	struct incident *inc;
	struct strbuf missing;
	size_t count = 0;

	*out = NULL;
	*n = 0;
	inc = incident_get(st, id, err);
	if (!inc)
		return -1;
	if (facts_read(st, pb, inc, &facts, err) < 0) {
		facts_free(&facts);
		incident_free(inc);
		return -1;
	}

	list = xcalloc(pb->n_steps + 1, sizeof *list);
	sb_init(&missing);
	for (size_t i = 0; i < pb->n_steps; i++) {
		const struct pb_step *step = &pb->steps[i];

		for (size_t j = 0; j < step->n_required; j++)
			if (check_field(&facts, step, step->required[j], &missing, err) < 0)
				goto fail;
		for (size_t j = 0; j < step->n_checklist; j++)
			if (!item_marked(&facts, step->id, step->checklist[j].id))
				add_missing(&missing, step->checklist[j].id);
		status_set(&list[count++], step->id, &missing);
	}
	if (step_security_applies(pb, inc)) {
		for (size_t j = 0; j < pb->n_security_actions; j++)
			if (!item_marked(&facts, "security", pb->security_actions[j].id))
				add_missing(&missing, pb->security_actions[j].id);
		status_set(&list[count++], "security", &missing);
	}

	sb_free(&missing);
	facts_free(&facts);
	incident_free(inc);
	*out = list;
	*n = count;
	return 0;

fail:
	sb_free(&missing);
	facts_free(&facts);
	incident_free(inc);
	step_statuses_free(list, count);
	return -1;
}

void step_statuses_free(struct step_status *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i].missing);
	free(list);
}

char *step_resolve_leftovers(struct store *st, const struct playbook *pb, const char *id)
{
	struct step_status *list;
	struct wr_error err = {0};
	char *leftovers = NULL;
	size_t n;

	if (step_statuses(st, pb, id, &list, &n, &err) < 0)
		return NULL;
	for (size_t i = 0; i < pb->n_steps && i < n; i++) {
		const struct pb_step *step = &pb->steps[i];

		for (size_t k = 0; k < step->n_required; k++)
			if (strcmp(step->required[k], "validations") == 0 && list[i].missing)
				leftovers = xstrdup(list[i].missing);
	}
	step_statuses_free(list, n);
	return leftovers;
}
