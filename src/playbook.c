/*
 * Loading and validating the playbook; see playbook.h. The loader reads the
 * sections in dependency order (categories and severities before the rules
 * that name them) and keeps going after a problem, so one run lists every
 * problem in the file. Strings are copied out of libconfig's tree, and the
 * tree itself stays in pb->config for the sections other modules read.
 */
#include <errno.h>
#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "playbook.h"

const char *const playbook_record_fields[] = {
	"category", "scope", "severity", "started_at", "detection_source",
	"impacted_services", "impact_what", "impact_who", "impact_since",
	"impact_status", "validations", "root_cause", "corrective_action",
	"prevention_task", NULL,
};

/* The impact facts an audience's update may be required to state. */
static const char *const impact_elements[] = {"what", "who", "since", "status", NULL};

/* The placeholders a status update template may use. */
static const char *const template_placeholders[] = {
	"product", "what", "who", "since", "status", "next_update", "resolved", NULL,
};

/* The ids seen so far in one list, to report duplicates with the first line. */
struct idset {
	const char **ids;
	unsigned *lines;
	size_t n;
};

struct loader {
	struct pb_check ck;
	struct playbook *pb;
	const config_setting_t *root;
};

/* ---- the checker: typed reads that report problems ---- */

void playbook_check_init(struct pb_check *ck, const char *file, struct strbuf *problems)
{
	ck->file = file;
	ck->problems = problems;
	ck->count = 0;
	ck->first[0] = '\0';
}

static void check_vproblem_at(struct pb_check *ck, const char *file, unsigned line,
			      const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));

static void check_vproblem_at(struct pb_check *ck, const char *file, unsigned line,
			      const char *fmt, va_list ap)
{
	struct strbuf text;

	sb_init(&text);
	if (line > 0)
		sb_addf(&text, "%s:%u: ", file, line);
	else
		sb_addf(&text, "%s: ", file);
	sb_vaddf(&text, fmt, ap);

	if (ck->count == 0)
		snprintf(ck->first, sizeof ck->first, "%s", text.data);
	ck->count++;
	if (ck->problems) {
		sb_add(ck->problems, text.data);
		sb_addc(ck->problems, '\n');
	}
	sb_free(&text);
}

static void check_problem_at(struct pb_check *ck, const char *file, unsigned line,
			     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void check_problem_at(struct pb_check *ck, const char *file, unsigned line,
			     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	check_vproblem_at(ck, file, line, fmt, ap);
	va_end(ap);
}

/*
 * Returns NAME, a file name libconfig recorded, as a path from the working
 * folder. libconfig 1.5 records an @include'd file by the name written in
 * the directive and opens it from the include folder, which
 * playbook_check_read sets to the folder of the file it reads (MAIN_FILE).
 */
static char *resolve_source(const char *main_file, const char *name)
{
	const char *slash = strrchr(main_file, '/');

	if (!name || strcmp(name, main_file) == 0)
		return xstrdup(main_file);
	if (name[0] == '/' || !slash)
		return xstrdup(name);
	return xasprintf("%.*s/%s", (int)(slash - main_file), main_file, name);
}

char *playbook_check_source(const struct pb_check *ck, const config_setting_t *setting)
{
	return resolve_source(ck->file, setting ? config_setting_source_file(setting) : NULL);
}

void playbook_check_problem(struct pb_check *ck, const config_setting_t *setting,
			    const char *fmt, ...)
{
	char *file = playbook_check_source(ck, setting);
	unsigned line = setting ? config_setting_source_line(setting) : 0;
	va_list ap;

	va_start(ap, fmt);
	check_vproblem_at(ck, file, line, fmt, ap);
	va_end(ap);
	free(file);
}

const char *playbook_setting_kind(const config_setting_t *setting)
{
	switch (config_setting_type(setting)) {
	case CONFIG_TYPE_GROUP:
		return "a group { }";
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		return "an integer";
	case CONFIG_TYPE_FLOAT:
		return "a decimal number";
	case CONFIG_TYPE_STRING:
		return "a string";
	case CONFIG_TYPE_BOOL:
		return "true or false";
	case CONFIG_TYPE_ARRAY:
		return "an array [ ]";
	case CONFIG_TYPE_LIST:
		return "a list ( )";
	default:
		return "an unknown kind of value";
	}
}

/* Writes "WHERE.NAME", or just NAME at the top level, into OUT. */
static void field_path(char *out, size_t size, const char *where, const char *name)
{
	if (where && *where)
		snprintf(out, size, "%s.%s", where, name);
	else
		snprintf(out, size, "%s", name);
}

/* Looks up NAME in GROUP, and reports it when it is missing but required. */
static const config_setting_t *check_member(struct pb_check *ck, const config_setting_t *group,
					    const char *where, const char *name, int flags)
{
	const config_setting_t *s = config_setting_get_member(group, name);

	if (s || !(flags & PB_REQUIRED))
		return s;
	if (where && *where)
		playbook_check_problem(ck, group, "%s: missing required field \"%s\"", where, name);
	else
		playbook_check_problem(ck, NULL, "missing required setting \"%s\"", name);
	return NULL;
}

int playbook_check_string(struct pb_check *ck, const config_setting_t *group,
			  const char *where, const char *name, int flags, const char **out)
{
	const config_setting_t *s = check_member(ck, group, where, name, flags);
	char path[256];

	if (!s)
		return flags & PB_REQUIRED ? -1 : 0;
	field_path(path, sizeof path, where, name);
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		playbook_check_problem(ck, s, "%s: expected a string in double quotes, found %s",
				       path, playbook_setting_kind(s));
		return -1;
	}
	if ((flags & PB_NONEMPTY) && str_blank(config_setting_get_string(s))) {
		playbook_check_problem(ck, s, "%s: must not be empty", path);
		return -1;
	}
	*out = config_setting_get_string(s);
	return 1;
}

int playbook_check_int(struct pb_check *ck, const config_setting_t *group,
		       const char *where, const char *name, int flags, int min, int *out)
{
	const config_setting_t *s = check_member(ck, group, where, name, flags);
	char path[256];
	long long value;

	if (!s)
		return flags & PB_REQUIRED ? -1 : 0;
	field_path(path, sizeof path, where, name);
	if (config_setting_type(s) != CONFIG_TYPE_INT && config_setting_type(s) != CONFIG_TYPE_INT64) {
		playbook_check_problem(ck, s, "%s: expected an integer, found %s",
				       path, playbook_setting_kind(s));
		return -1;
	}
	/* The upper bound keeps a count of minutes in seconds well inside an int. */
	value = config_setting_get_int64(s);
	if (value < min || value > 1000000) {
		playbook_check_problem(ck, s, "%s: %lld is out of range: expected %d to 1000000",
				       path, value, min);
		return -1;
	}
	*out = (int)value;
	return 1;
}

int playbook_check_bool(struct pb_check *ck, const config_setting_t *group,
			const char *where, const char *name, int flags, int *out)
{
	const config_setting_t *s = check_member(ck, group, where, name, flags);
	char path[256];

	if (!s)
		return flags & PB_REQUIRED ? -1 : 0;
	field_path(path, sizeof path, where, name);
	if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
		playbook_check_problem(ck, s, "%s: expected true or false, found %s",
				       path, playbook_setting_kind(s));
		return -1;
	}
	*out = config_setting_get_bool(s);
	return 1;
}

void playbook_free_strings(char **strings, size_t n)
{
	if (!strings)
		return;
	for (size_t i = 0; i < n; i++)
		free(strings[i]);
	free(strings);
}

int playbook_check_strings(struct pb_check *ck, const config_setting_t *group,
			   const char *where, const char *name, int flags,
			   char ***out, size_t *n_out)
{
	const config_setting_t *s = check_member(ck, group, where, name, flags);
	char path[256];
	char **strings;
	size_t n = 0;
	int length, bad = 0;

	if (!s)
		return flags & PB_REQUIRED ? -1 : 0;
	field_path(path, sizeof path, where, name);
	if (config_setting_type(s) != CONFIG_TYPE_ARRAY && config_setting_type(s) != CONFIG_TYPE_LIST) {
		playbook_check_problem(ck, s, "%s: expected an array of strings [\"...\", ...], found %s",
				       path, playbook_setting_kind(s));
		return -1;
	}
	length = config_setting_length(s);
	if (length == 0 && (flags & PB_NONEMPTY)) {
		playbook_check_problem(ck, s, "%s: empty array: at least one value is needed", path);
		return -1;
	}

	/* One slot more than needed, so that the array is also NULL-terminated. */
	strings = xcalloc((size_t)length + 1, sizeof *strings);
	for (int i = 0; i < length; i++) {
		const config_setting_t *elem = config_setting_get_elem(s, (unsigned)i);

		if (config_setting_type(elem) != CONFIG_TYPE_STRING) {
			playbook_check_problem(ck, elem, "%s[%d]: expected a string, found %s",
					       path, i, playbook_setting_kind(elem));
			bad = 1;
			continue;
		}
		if ((flags & PB_NONEMPTY) && str_blank(config_setting_get_string(elem))) {
			playbook_check_problem(ck, elem, "%s[%d]: must not be empty", path, i);
			bad = 1;
			continue;
		}
		strings[n++] = xstrdup(config_setting_get_string(elem));
	}
	if (bad) {
		playbook_free_strings(strings, n);
		return -1;
	}
	*out = strings;
	*n_out = n;
	return 1;
}

static int name_known(const char *const known[], const char *name)
{
	for (size_t i = 0; known[i]; i++)
		if (strcmp(known[i], name) == 0)
			return 1;
	return 0;
}

void playbook_check_fields(struct pb_check *ck, const config_setting_t *group,
			   const char *where, const char *const known[])
{
	int length = config_setting_length(group);

	for (int i = 0; i < length; i++) {
		const config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
		const char *name = config_setting_name(s);

		if (!name || name_known(known, name))
			continue;
		if (where && *where)
			playbook_check_problem(ck, s, "%s: unknown field \"%s\"", where, name);
		else
			playbook_check_problem(ck, s, "unknown setting \"%s\"", name);
	}
}

/* ---- loader helpers ---- */

/* Returns the index of ID in SET, or -1. */
static long idset_find(const struct idset *set, const char *id)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->ids[i], id) == 0)
			return (long)i;
	return -1;
}

static void idset_push(struct idset *set, const char *id, const config_setting_t *setting)
{
	set->ids = xrealloc(set->ids, (set->n + 1) * sizeof *set->ids);
	set->lines = xrealloc(set->lines, (set->n + 1) * sizeof *set->lines);
	set->ids[set->n] = id;
	set->lines[set->n] = config_setting_source_line(setting);
	set->n++;
}

/* Adds ID to SET, or reports it at SETTING and returns -1 when SET already has it. */
static int idset_add(struct loader *ld, struct idset *set, const char *id,
		     const config_setting_t *setting, const char *where, const char *what)
{
	long first = idset_find(set, id);

	if (first >= 0) {
		playbook_check_problem(&ld->ck, setting, "%s: duplicate %s \"%s\" (first at line %u)",
				       where, what, id, set->lines[first]);
		return -1;
	}
	idset_push(set, id, setting);
	return 0;
}

static void idset_free(struct idset *set)
{
	free(set->ids);
	free(set->lines);
	set->ids = NULL;
	set->lines = NULL;
	set->n = 0;
}

/* Returns the line of member NAME of GROUP when it exists, else of GROUP, for problems about it. */
static const config_setting_t *member_or_group(const config_setting_t *group, const char *name)
{
	const config_setting_t *s = config_setting_get_member(group, name);

	return s ? s : group;
}

/*
 * Looks up the top-level list NAME. Reports a missing required list, a value
 * that is not a list of groups and, with PB_NONEMPTY, an empty list. Returns
 * the list, or NULL when it is absent or unusable.
 */
static const config_setting_t *read_list(struct loader *ld, const char *name, int flags,
					 const char *noun)
{
	const config_setting_t *s = check_member(&ld->ck, ld->root, "", name, flags);
	int type;

	if (!s)
		return NULL;
	type = config_setting_type(s);
	if (type != CONFIG_TYPE_LIST && !(type == CONFIG_TYPE_ARRAY && config_setting_length(s) == 0)) {
		playbook_check_problem(&ld->ck, s, "%s: expected a list of groups ( { ... }, ... ), found %s",
				       name, playbook_setting_kind(s));
		return NULL;
	}
	if (config_setting_length(s) == 0 && (flags & PB_NONEMPTY)) {
		playbook_check_problem(&ld->ck, s, "%s: empty list: at least one %s is needed", name, noun);
		return NULL;
	}
	return s;
}

/* Returns element I of LIST when it is a group, else reports it and returns NULL. */
static const config_setting_t *list_group(struct loader *ld, const config_setting_t *list,
					  int i, const char *where)
{
	const config_setting_t *elem = config_setting_get_elem(list, (unsigned)i);

	if (config_setting_type(elem) != CONFIG_TYPE_GROUP) {
		playbook_check_problem(&ld->ck, elem, "%s: expected a group { ... }, found %s",
				       where, playbook_setting_kind(elem));
		return NULL;
	}
	return elem;
}

/* Reads the required, non-blank `id` of GROUP and reports a duplicate in SET. Returns a copy or NULL. */
static char *read_id(struct loader *ld, const config_setting_t *group, const char *where,
		     struct idset *set, const char *what)
{
	const char *id;

	if (playbook_check_string(&ld->ck, group, where, "id", PB_REQUIRED | PB_NONEMPTY, &id) != 1)
		return NULL;
	if (idset_add(ld, set, id, member_or_group(group, "id"), where, what) != 0)
		return NULL;
	return xstrdup(id);
}

/* Reads a string field into a fresh copy. *OUT stays NULL when the field is absent or invalid. */
static void read_text(struct loader *ld, const config_setting_t *group, const char *where,
		      const char *name, int flags, char **out)
{
	const char *value;

	if (playbook_check_string(&ld->ck, group, where, name, flags, &value) == 1)
		*out = xstrdup(value);
}

/* Appends the ids in IDS (N of them, at STRIDE bytes apart) as "a, b, c" to SB. */
static void list_ids(struct strbuf *sb, const void *ids, size_t n, size_t stride)
{
	const char *base = ids;

	for (size_t i = 0; i < n; i++) {
		const char *id = *(char *const *)(const void *)(base + i * stride);

		if (!id)
			continue;
		if (sb->len > 0)
			sb_add(sb, ", ");
		sb_add(sb, id);
	}
}

/* Reports "WHERE: unknown WHAT "VALUE"; known: ..." at SETTING. */
static void report_unknown(struct loader *ld, const config_setting_t *setting, const char *where,
			   const char *what, const char *value, const void *ids, size_t n,
			   size_t stride)
{
	struct strbuf known;

	sb_init(&known);
	list_ids(&known, ids, n, stride);
	playbook_check_problem(&ld->ck, setting, "%s: unknown %s \"%s\"; known: %s",
			       where, what, value, known.len ? known.data : "none");
	sb_free(&known);
}

/* ---- sections ---- */

static void read_header(struct loader *ld)
{
	/*
	 * NOTE: a top-level section that another module reads through
	 * playbook_section must be listed here, or the playbook is rejected.
	 * The check catches a misspelt optional section, which would otherwise
	 * drop its rules without a word.
	 */
	static const char *const sections[] = {
		"name", "version", "owner", "mission", "categories", "scopes", "severities",
		"risk_indicators", "severity_rules", "steps", "impact_statuses", "validations",
		"journeys", "security_sop", "audiences", "guardrails", "logging", "escalation", NULL,
	};
	struct playbook *pb = ld->pb;

	playbook_check_fields(&ld->ck, ld->root, "", sections);
	read_text(ld, ld->root, "", "name", PB_REQUIRED | PB_NONEMPTY, &pb->name);
	read_text(ld, ld->root, "", "version", PB_REQUIRED | PB_NONEMPTY, &pb->version);
	read_text(ld, ld->root, "", "owner", 0, &pb->owner);
	read_text(ld, ld->root, "", "mission", 0, &pb->mission);
}

/* Reads a vocabulary list (categories, scopes, risk indicators). */
static void read_terms(struct loader *ld, const char *name, int flags, const char *noun,
		       int with_suggests, struct pb_term **out, size_t *n_out)
{
	static const char *const fields[] = {"id", "label", NULL};
	static const char *const indicator_fields[] = {"id", "label", "suggests_category", NULL};
	const config_setting_t *list = read_list(ld, name, flags, noun);
	struct idset ids = {0};
	struct pb_term *terms;
	size_t n = 0;
	int length;

	if (!list)
		return;
	length = config_setting_length(list);
	terms = xcalloc((size_t)length, sizeof *terms);
	for (int i = 0; i < length; i++) {
		const config_setting_t *group;
		struct pb_term *term = &terms[n];
		char where[64];
		const char *suggests;

		snprintf(where, sizeof where, "%s[%d]", name, i);
		group = list_group(ld, list, i, where);
		if (!group)
			continue;
		playbook_check_fields(&ld->ck, group, where, with_suggests ? indicator_fields : fields);
		term->id = read_id(ld, group, where, &ids, "id");
		read_text(ld, group, where, "label", PB_REQUIRED | PB_NONEMPTY, &term->label);
		if (with_suggests &&
		    playbook_check_string(&ld->ck, group, where, "suggests_category", PB_NONEMPTY,
					  &suggests) == 1) {
			char path[96];

			snprintf(path, sizeof path, "%s.suggests_category", where);
			if (!playbook_category(ld->pb, suggests))
				report_unknown(ld, config_setting_get_member(group, "suggests_category"),
					       path, "category", suggests, ld->pb->categories,
					       ld->pb->n_categories, sizeof *ld->pb->categories);
			term->suggests_category = xstrdup(suggests);
		}
		if (term->id) {
			n++;
		} else {
			free(term->label);
			free(term->suggests_category);
			memset(term, 0, sizeof *term);
		}
	}
	idset_free(&ids);
	*out = terms;
	*n_out = n;
}

/* Returns nonzero when PRIORITY is "P0" to "P9". */
static int priority_valid(const char *priority)
{
	return priority[0] == 'P' && priority[1] >= '0' && priority[1] <= '9' && priority[2] == '\0';
}

static void read_severity_cadence(struct loader *ld, const config_setting_t *group,
				  const char *where, struct pb_severity *sev)
{
	int due = 0, limit = 0;

	if (playbook_check_int(&ld->ck, group, where, "update_due_minutes", 0, 0, &due) < 0 ||
	    playbook_check_int(&ld->ck, group, where, "update_limit_minutes", 0, 0, &limit) < 0)
		return;
	sev->update_due_minutes = due;
	sev->update_limit_minutes = limit;
	if (limit < due)
		playbook_check_problem(&ld->ck, member_or_group(group, "update_limit_minutes"),
				       "%s: update_limit_minutes (%d) is less than update_due_minutes (%d)",
				       where, limit, due);
	else if (due == 0 && limit > 0)
		playbook_check_problem(&ld->ck, member_or_group(group, "update_limit_minutes"),
				       "%s: update_limit_minutes (%d) without update_due_minutes: "
				       "set both, or both to 0 for no cadence", where, limit);
}

static void read_severities(struct loader *ld)
{
	static const char *const fields[] = {
		"id", "label", "priority", "meaning", "update_due_minutes", "update_limit_minutes", NULL,
	};
	const config_setting_t *list = read_list(ld, "severities", PB_REQUIRED | PB_NONEMPTY, "severity");
	struct playbook *pb = ld->pb;
	struct idset ids = {0}, priorities = {0};
	int length;

	if (!list)
		return;
	length = config_setting_length(list);
	pb->severities = xcalloc((size_t)length, sizeof *pb->severities);
	for (int i = 0; i < length; i++) {
		struct pb_severity *sev = &pb->severities[pb->n_severities];
		const config_setting_t *group;
		const char *priority;
		char where[64], path[96];

		snprintf(where, sizeof where, "severities[%d]", i);
		group = list_group(ld, list, i, where);
		if (!group)
			continue;
		playbook_check_fields(&ld->ck, group, where, fields);
		sev->id = read_id(ld, group, where, &ids, "id");
		read_text(ld, group, where, "label", PB_REQUIRED | PB_NONEMPTY, &sev->label);
		read_text(ld, group, where, "meaning", PB_REQUIRED | PB_NONEMPTY, &sev->meaning);

		snprintf(path, sizeof path, "%s.priority", where);
		if (playbook_check_string(&ld->ck, group, where, "priority", PB_REQUIRED, &priority) == 1) {
			const config_setting_t *at = config_setting_get_member(group, "priority");

			if (!priority_valid(priority))
				playbook_check_problem(&ld->ck, at, "%s: \"%s\" is not a priority: "
						       "expected P0 to P9", path, priority);
			else
				idset_add(ld, &priorities, priority, at, path, "priority");
			sev->priority = xstrdup(priority);
		}
		read_severity_cadence(ld, group, where, sev);

		if (sev->id) {
			sev->rank = (int)pb->n_severities;
			pb->n_severities++;
		} else {
			free(sev->label);
			free(sev->meaning);
			free(sev->priority);
			memset(sev, 0, sizeof *sev);
		}
	}
	idset_free(&ids);
	idset_free(&priorities);
}

/* Reports each element of the string array NAME in GROUP that is not a known risk indicator. */
static void check_indicator_refs(struct loader *ld, const config_setting_t *group, const char *where,
				 const char *name, char **values, size_t n)
{
	const config_setting_t *array = config_setting_get_member(group, name);

	for (size_t i = 0; i < n; i++) {
		char path[96];

		if (playbook_indicator(ld->pb, values[i]))
			continue;
		field_path(path, sizeof path, where, name);
		snprintf(path + strlen(path), sizeof path - strlen(path), "[%zu]", i);
		report_unknown(ld, config_setting_get_elem(array, (unsigned)i), path, "risk indicator",
			       values[i], ld->pb->indicators, ld->pb->n_indicators,
			       sizeof *ld->pb->indicators);
	}
}

static void read_severity_rules(struct loader *ld)
{
	static const char *const fields[] = {"id", "indicators", "severity", "reason", NULL};
	const config_setting_t *list = read_list(ld, "severity_rules", 0, "rule");
	struct playbook *pb = ld->pb;
	struct idset ids = {0};
	int length;

	if (!list)
		return;
	length = config_setting_length(list);
	pb->severity_rules = xcalloc((size_t)length, sizeof *pb->severity_rules);
	for (int i = 0; i < length; i++) {
		struct pb_severity_rule *rule = &pb->severity_rules[pb->n_severity_rules];
		const config_setting_t *group;
		const char *severity;
		char where[64];

		snprintf(where, sizeof where, "severity_rules[%d]", i);
		group = list_group(ld, list, i, where);
		if (!group)
			continue;
		playbook_check_fields(&ld->ck, group, where, fields);
		rule->id = read_id(ld, group, where, &ids, "id");
		read_text(ld, group, where, "reason", PB_REQUIRED | PB_NONEMPTY, &rule->reason);
		if (playbook_check_strings(&ld->ck, group, where, "indicators", PB_REQUIRED | PB_NONEMPTY,
					   &rule->indicators, &rule->n_indicators) == 1)
			check_indicator_refs(ld, group, where, "indicators", rule->indicators,
					     rule->n_indicators);
		if (playbook_check_string(&ld->ck, group, where, "severity", PB_REQUIRED | PB_NONEMPTY,
					  &severity) == 1) {
			char path[96];

			snprintf(path, sizeof path, "%s.severity", where);
			if (!playbook_severity(pb, severity))
				report_unknown(ld, config_setting_get_member(group, "severity"), path,
					       "severity", severity, pb->severities, pb->n_severities,
					       sizeof *pb->severities);
			rule->severity = xstrdup(severity);
		}
		pb->n_severity_rules++;
	}
	idset_free(&ids);
}

/* Reads LIST, a list of { id; text; } items, and reports ids already in IDS. */
static void read_items(struct loader *ld, const config_setting_t *list, const char *where,
		       struct idset *ids, struct pb_item **out, size_t *n_out)
{
	static const char *const fields[] = {"id", "text", NULL};
	struct pb_item *items;
	size_t n = 0;
	int length = config_setting_length(list);

	items = xcalloc((size_t)length, sizeof *items);
	for (int i = 0; i < length; i++) {
		const config_setting_t *group;
		char item_where[128];

		snprintf(item_where, sizeof item_where, "%s[%d]", where, i);
		group = list_group(ld, list, i, item_where);
		if (!group)
			continue;
		playbook_check_fields(&ld->ck, group, item_where, fields);
		items[n].id = read_id(ld, group, item_where, ids, "id");
		read_text(ld, group, item_where, "text", PB_REQUIRED | PB_NONEMPTY, &items[n].text);
		n++;
	}
	*out = items;
	*n_out = n;
}

/* Returns member NAME of GROUP when it is a list of groups (or an empty array), else reports it. */
static const config_setting_t *member_list(struct loader *ld, const config_setting_t *group,
					   const char *where, const char *name)
{
	const config_setting_t *s = config_setting_get_member(group, name);
	char path[96];
	int type;

	if (!s)
		return NULL;
	type = config_setting_type(s);
	if (type == CONFIG_TYPE_LIST || (type == CONFIG_TYPE_ARRAY && config_setting_length(s) == 0))
		return s;
	field_path(path, sizeof path, where, name);
	playbook_check_problem(&ld->ck, s, "%s: expected a list of groups ( { ... }, ... ), found %s",
			       path, playbook_setting_kind(s));
	return NULL;
}

/* Reports each name in the step's `required` that is not a record field. */
static void check_required_fields(struct loader *ld, const config_setting_t *group,
				  const char *where, const struct pb_step *step)
{
	const config_setting_t *array = config_setting_get_member(group, "required");

	for (size_t i = 0; i < step->n_required; i++) {
		struct strbuf known;

		if (name_known(playbook_record_fields, step->required[i]))
			continue;
		sb_init(&known);
		for (size_t k = 0; playbook_record_fields[k]; k++)
			sb_addf(&known, "%s%s", k ? ", " : "", playbook_record_fields[k]);
		playbook_check_problem(&ld->ck, config_setting_get_elem(array, (unsigned)i),
				       "%s.required[%zu]: unknown record field \"%s\"; known: %s",
				       where, i, step->required[i], known.data);
		sb_free(&known);
	}
}

/*
 * Checks that step numbers run 1, 2, 3... in the order the steps are listed,
 * so the steps array is in number order without sorting. NUMBER_TEXT is the
 * number as a string, kept alive by the caller while NUMBERS is in use.
 */
static void check_step_number(struct loader *ld, const config_setting_t *group, const char *where,
			      int number, const char *number_text, size_t position,
			      struct idset *numbers)
{
	const config_setting_t *at = member_or_group(group, "number");
	long first = idset_find(numbers, number_text);

	if (first >= 0) {
		playbook_check_problem(&ld->ck, at, "%s.number: duplicate step number %d (first at line %u)",
				       where, number, numbers->lines[first]);
		return;
	}
	idset_push(numbers, number_text, at);
	if ((size_t)number != position + 1)
		playbook_check_problem(&ld->ck, at, "%s.number: step number %d is out of order: "
				       "expected %zu (steps are listed in order and numbered from 1)",
				       where, number, position + 1);
}

static void read_steps(struct loader *ld)
{
	static const char *const fields[] = {
		"id", "number", "title", "purpose", "required", "checklist", "before_close", NULL,
	};
	const config_setting_t *list = read_list(ld, "steps", PB_REQUIRED | PB_NONEMPTY, "step");
	struct playbook *pb = ld->pb;
	struct idset ids = {0}, numbers = {0}, checklist_ids = {0};
	char **number_texts;
	int length;

	if (!list)
		return;
	length = config_setting_length(list);
	pb->steps = xcalloc((size_t)length, sizeof *pb->steps);
	number_texts = xcalloc((size_t)length, sizeof *number_texts);
	for (int i = 0; i < length; i++) {
		struct pb_step *step = &pb->steps[pb->n_steps];
		const config_setting_t *group, *checklist;
		char where[64];

		snprintf(where, sizeof where, "steps[%d]", i);
		group = list_group(ld, list, i, where);
		if (!group)
			continue;
		playbook_check_fields(&ld->ck, group, where, fields);
		step->id = read_id(ld, group, where, &ids, "id");
		read_text(ld, group, where, "title", PB_REQUIRED | PB_NONEMPTY, &step->title);
		read_text(ld, group, where, "purpose", PB_REQUIRED | PB_NONEMPTY, &step->purpose);

		if (playbook_check_int(&ld->ck, group, where, "number", PB_REQUIRED, 1,
				       &step->number) == 1) {
			number_texts[i] = xasprintf("%d", step->number);
			check_step_number(ld, group, where, step->number, number_texts[i], (size_t)i,
					  &numbers);
		}

		if (playbook_check_strings(&ld->ck, group, where, "required", PB_NONEMPTY,
					   &step->required, &step->n_required) == 1)
			check_required_fields(ld, group, where, step);
		playbook_check_bool(&ld->ck, group, where, "before_close", 0, &step->before_close);

		checklist = member_list(ld, group, where, "checklist");
		if (checklist) {
			char checklist_where[96];

			snprintf(checklist_where, sizeof checklist_where, "%s.checklist", where);
			read_items(ld, checklist, checklist_where, &checklist_ids, &step->checklist,
				   &step->n_checklist);
		}
		pb->n_steps++;
	}
	for (int i = 0; i < length; i++)
		free(number_texts[i]);
	free(number_texts);
	idset_free(&ids);
	idset_free(&numbers);
	idset_free(&checklist_ids);
}

static int step_requires(const struct playbook *pb, const char *field)
{
	for (size_t i = 0; i < pb->n_steps; i++)
		for (size_t k = 0; k < pb->steps[i].n_required; k++)
			if (strcmp(pb->steps[i].required[k], field) == 0)
				return 1;
	return 0;
}

static void read_impact_statuses(struct loader *ld)
{
	struct playbook *pb = ld->pb;
	const config_setting_t *s = config_setting_get_member(ld->root, "impact_statuses");
	struct idset seen = {0};

	if (playbook_check_strings(&ld->ck, ld->root, "", "impact_statuses", PB_NONEMPTY,
				   &pb->impact_statuses, &pb->n_impact_statuses) == 1) {
		for (size_t i = 0; i < pb->n_impact_statuses; i++) {
			char where[64];

			snprintf(where, sizeof where, "impact_statuses[%zu]", i);
			idset_add(ld, &seen, pb->impact_statuses[i],
				  config_setting_get_elem(s, (unsigned)i), where, "status");
		}
	}
	idset_free(&seen);

	if (!s && step_requires(pb, "impact_status"))
		playbook_check_problem(&ld->ck, NULL, "missing setting \"impact_statuses\": "
				       "a step requires impact_status, so list the statuses to choose from");
}

static void read_validations(struct loader *ld)
{
	struct playbook *pb = ld->pb;
	const config_setting_t *present = config_setting_get_member(ld->root, "validations");
	const config_setting_t *list = read_list(ld, "validations", 0, "validation");
	struct idset ids = {0};

	if (list)
		read_items(ld, list, "validations", &ids, &pb->validations, &pb->n_validations);
	idset_free(&ids);

	if (!step_requires(pb, "validations"))
		return;
	if (!present)
		playbook_check_problem(&ld->ck, NULL, "missing setting \"validations\": "
				       "a step requires validations, so list the confirmations to record");
	else if (list && config_setting_length(list) == 0)
		playbook_check_problem(&ld->ck, list, "validations: empty list: a step requires "
				       "validations, so at least one confirmation is needed");
}

static void read_journeys(struct loader *ld)
{
	static const char *const fields[] = {"product", "journeys", NULL};
	const config_setting_t *list = read_list(ld, "journeys", 0, "product");
	struct playbook *pb = ld->pb;
	struct idset products = {0};
	int length;

	if (!list)
		return;
	length = config_setting_length(list);
	pb->journeys = xcalloc((size_t)length, sizeof *pb->journeys);
	for (int i = 0; i < length; i++) {
		struct pb_journeys *entry = &pb->journeys[pb->n_journeys];
		const config_setting_t *group;
		const char *product;
		char where[64];

		snprintf(where, sizeof where, "journeys[%d]", i);
		group = list_group(ld, list, i, where);
		if (!group)
			continue;
		playbook_check_fields(&ld->ck, group, where, fields);
		if (playbook_check_string(&ld->ck, group, where, "product", PB_REQUIRED | PB_NONEMPTY,
					  &product) == 1 &&
		    idset_add(ld, &products, product, config_setting_get_member(group, "product"),
			      where, "product") == 0)
			entry->product = xstrdup(product);
		playbook_check_strings(&ld->ck, group, where, "journeys", PB_REQUIRED | PB_NONEMPTY,
				       &entry->journeys, &entry->n_journeys);
		pb->n_journeys++;
	}
	idset_free(&products);
}

static void read_security_sop(struct loader *ld)
{
	static const char *const fields[] = {"categories", "triggers", "actions", NULL};
	const config_setting_t *sop = config_setting_get_member(ld->root, "security_sop");
	const config_setting_t *actions;
	struct playbook *pb = ld->pb;
	struct idset ids = {0};

	if (!sop)
		return;
	if (config_setting_type(sop) != CONFIG_TYPE_GROUP) {
		playbook_check_problem(&ld->ck, sop, "security_sop: expected a group { ... }, found %s",
				       playbook_setting_kind(sop));
		return;
	}
	playbook_check_fields(&ld->ck, sop, "security_sop", fields);

	if (playbook_check_strings(&ld->ck, sop, "security_sop", "categories", PB_NONEMPTY,
				   &pb->security_categories, &pb->n_security_categories) == 1) {
		const config_setting_t *array = config_setting_get_member(sop, "categories");

		for (size_t i = 0; i < pb->n_security_categories; i++) {
			char path[64];

			if (playbook_category(pb, pb->security_categories[i]))
				continue;
			snprintf(path, sizeof path, "security_sop.categories[%zu]", i);
			report_unknown(ld, config_setting_get_elem(array, (unsigned)i), path, "category",
				       pb->security_categories[i], pb->categories, pb->n_categories,
				       sizeof *pb->categories);
		}
	}

	if (playbook_check_strings(&ld->ck, sop, "security_sop", "triggers", PB_NONEMPTY,
				   &pb->security_triggers, &pb->n_security_triggers) == 1)
		check_indicator_refs(ld, sop, "security_sop", "triggers", pb->security_triggers,
				     pb->n_security_triggers);

	actions = member_list(ld, sop, "security_sop", "actions");
	if (actions)
		read_items(ld, actions, "security_sop.actions", &ids, &pb->security_actions,
			   &pb->n_security_actions);
	idset_free(&ids);
}

/* Reports each {placeholder} in TEMPLATE, the value of FIELD, that is not known, and a "{" left open. */
static void check_template(struct loader *ld, const config_setting_t *at, const char *where,
			   const char *field, const char *template)
{
	const char *p = template;

	while ((p = strchr(p, '{')) != NULL) {
		const char *end = strchr(p + 1, '}');
		char *name;

		if (!end) {
			playbook_check_problem(&ld->ck, at, "%s.%s: \"{\" without a closing \"}\"",
					       where, field);
			return;
		}
		name = xstrndup(p + 1, (size_t)(end - p - 1));
		if (!name_known(template_placeholders, name))
			playbook_check_problem(&ld->ck, at, "%s.%s: unknown placeholder {%s}; known: "
					       "{product} {what} {who} {since} {status} {next_update} "
					       "{resolved}", where, field, name);
		free(name);
		p = end + 1;
	}
}

static void read_audience_elements(struct loader *ld, const config_setting_t *group,
				   const char *where, struct pb_audience *audience)
{
	const config_setting_t *array;

	if (playbook_check_strings(&ld->ck, group, where, "elements", PB_NONEMPTY,
				   &audience->required_elements, &audience->n_required_elements) != 1)
		return;
	array = config_setting_get_member(group, "elements");
	for (size_t i = 0; i < audience->n_required_elements; i++) {
		if (name_known(impact_elements, audience->required_elements[i]))
			continue;
		playbook_check_problem(&ld->ck, config_setting_get_elem(array, (unsigned)i),
				       "%s.elements[%zu]: unknown impact element \"%s\"; known: "
				       "what, who, since, status",
				       where, i, audience->required_elements[i]);
	}
}

static void read_audiences(struct loader *ld)
{
	static const char *const fields[] = {
		"id", "label", "receives", "incident_channel", "follows_cadence", "elements",
		"template", "resolved_template", NULL,
	};
	const config_setting_t *list = read_list(ld, "audiences", PB_REQUIRED | PB_NONEMPTY, "audience");
	struct playbook *pb = ld->pb;
	struct idset ids = {0};
	int length;

	if (!list)
		return;
	length = config_setting_length(list);
	pb->audiences = xcalloc((size_t)length, sizeof *pb->audiences);
	for (int i = 0; i < length; i++) {
		struct pb_audience *audience = &pb->audiences[pb->n_audiences];
		const config_setting_t *group;
		char where[64];

		snprintf(where, sizeof where, "audiences[%d]", i);
		group = list_group(ld, list, i, where);
		if (!group)
			continue;
		playbook_check_fields(&ld->ck, group, where, fields);
		audience->id = read_id(ld, group, where, &ids, "id");
		read_text(ld, group, where, "label", PB_REQUIRED | PB_NONEMPTY, &audience->label);
		read_text(ld, group, where, "receives", PB_REQUIRED | PB_NONEMPTY, &audience->receives);
		playbook_check_bool(&ld->ck, group, where, "incident_channel", 0,
				    &audience->incident_channel);
		playbook_check_bool(&ld->ck, group, where, "follows_cadence", 0,
				    &audience->follows_cadence);
		read_audience_elements(ld, group, where, audience);
		read_text(ld, group, where, "template", PB_REQUIRED | PB_NONEMPTY, &audience->template);
		if (audience->template)
			check_template(ld, config_setting_get_member(group, "template"), where,
				       "template", audience->template);
		read_text(ld, group, where, "resolved_template", PB_NONEMPTY,
			  &audience->resolved_template);
		if (audience->resolved_template)
			check_template(ld, config_setting_get_member(group, "resolved_template"), where,
				       "resolved_template", audience->resolved_template);
		pb->n_audiences++;
	}
	idset_free(&ids);
}

/* ---- loading ---- */

/* Reports the error libconfig recorded for a read of CONFIG that failed. */
static void report_read_error(struct pb_check *ck, const struct config_t *config)
{
	char *file;

	if (config_error_type(config) == CONFIG_ERR_FILE_IO) {
		playbook_check_problem(ck, NULL, "could not read: %s", config_error_text(config));
		return;
	}
	file = resolve_source(ck->file, config_error_file(config));
	/* libconfig names the line where parsing stopped, which can be past the real slip. */
	if (strcmp(config_error_text(config), "syntax error") == 0)
		check_problem_at(ck, file, (unsigned)config_error_line(config), "syntax error; look"
				 " for a missing ';', '\"' or bracket on this line or the one before");
	else
		check_problem_at(ck, file, (unsigned)config_error_line(config), "%s",
				 config_error_text(config));
	free(file);
}

int playbook_check_read(struct pb_check *ck, struct config_t *config, const char *path)
{
	struct stat st;
	char *dir, *slash;

	if (stat(path, &st) != 0) {
		playbook_check_problem(ck, NULL, "could not open: %s", strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		playbook_check_problem(ck, NULL, "not a regular file");
		return -1;
	}

	/* libconfig 1.5 resolves a relative @include against the include folder, else the working one. */
	dir = xstrdup(path);
	slash = strrchr(dir, '/');
	if (slash) {
		slash[slash == dir ? 1 : 0] = '\0';
		config_set_include_dir(config, dir);
	}
	free(dir);

	if (config_read_file(config, path) == CONFIG_TRUE)
		return 0;
	report_read_error(ck, config);
	return -1;
}

/* Reads TEXT into CONFIG like playbook_check_read; an @include in it is read from the working folder. */
static int check_read_string(struct pb_check *ck, struct config_t *config, const char *text)
{
	if (config_read_string(config, text) == CONFIG_TRUE)
		return 0;
	report_read_error(ck, config);
	return -1;
}

/*
 * Loads a playbook from the file PATH or, when TEXT is not NULL, from TEXT
 * with PATH as its name in problems.
 */
static struct playbook *load(const char *path, const char *text, struct strbuf *problems,
			     struct wr_error *err)
{
	struct playbook *pb = xcalloc(1, sizeof *pb);
	struct strbuf scratch;
	struct loader ld;
	int read;

	sb_init(&scratch);
	pb->path = xstrdup(path);
	pb->config = xmalloc(sizeof *pb->config);
	config_init(pb->config);
	ld.pb = pb;
	playbook_check_init(&ld.ck, pb->path, problems ? problems : &scratch);

	if (text)
		read = check_read_string(&ld.ck, pb->config, text);
	else
		read = playbook_check_read(&ld.ck, pb->config, path);
	if (read == 0) {
		ld.root = config_root_setting(pb->config);
		read_header(&ld);
		read_terms(&ld, "categories", PB_REQUIRED | PB_NONEMPTY, "category", 0,
			   &pb->categories, &pb->n_categories);
		read_terms(&ld, "scopes", PB_REQUIRED | PB_NONEMPTY, "scope", 0,
			   &pb->scopes, &pb->n_scopes);
		read_severities(&ld);
		read_terms(&ld, "risk_indicators", 0, "risk indicator", 1,
			   &pb->indicators, &pb->n_indicators);
		read_severity_rules(&ld);
		read_steps(&ld);
		read_impact_statuses(&ld);
		read_validations(&ld);
		read_journeys(&ld);
		read_security_sop(&ld);
		read_audiences(&ld);
	}
	sb_free(&scratch);

	if (ld.ck.count > 0) {
		error_set(err, WR_BAD_INPUT, "%s", ld.ck.first);
		playbook_free(pb);
		return NULL;
	}
	return pb;
}

struct playbook *playbook_load(const char *path, struct strbuf *problems, struct wr_error *err)
{
	return load(path, NULL, problems, err);
}

struct playbook *playbook_load_string(const char *name, const char *text, struct strbuf *problems,
				      struct wr_error *err)
{
	return load(name, text, problems, err);
}

/* ---- freeing ---- */

static void free_terms(struct pb_term *terms, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(terms[i].id);
		free(terms[i].label);
		free(terms[i].suggests_category);
	}
	free(terms);
}

static void free_items(struct pb_item *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(items[i].id);
		free(items[i].text);
	}
	free(items);
}

void playbook_free(struct playbook *pb)
{
	if (!pb)
		return;
	free(pb->path);
	free(pb->name);
	free(pb->version);
	free(pb->owner);
	free(pb->mission);
	free_terms(pb->categories, pb->n_categories);
	free_terms(pb->scopes, pb->n_scopes);
	free_terms(pb->indicators, pb->n_indicators);

	for (size_t i = 0; i < pb->n_severities; i++) {
		free(pb->severities[i].id);
		free(pb->severities[i].label);
		free(pb->severities[i].priority);
		free(pb->severities[i].meaning);
	}
	free(pb->severities);

	for (size_t i = 0; i < pb->n_severity_rules; i++) {
		free(pb->severity_rules[i].id);
		playbook_free_strings(pb->severity_rules[i].indicators, pb->severity_rules[i].n_indicators);
		free(pb->severity_rules[i].severity);
		free(pb->severity_rules[i].reason);
	}
	free(pb->severity_rules);

	for (size_t i = 0; i < pb->n_steps; i++) {
		free(pb->steps[i].id);
		free(pb->steps[i].title);
		free(pb->steps[i].purpose);
		playbook_free_strings(pb->steps[i].required, pb->steps[i].n_required);
		free_items(pb->steps[i].checklist, pb->steps[i].n_checklist);
	}
	free(pb->steps);

	playbook_free_strings(pb->impact_statuses, pb->n_impact_statuses);
	free_items(pb->validations, pb->n_validations);
	playbook_free_strings(pb->security_triggers, pb->n_security_triggers);
	playbook_free_strings(pb->security_categories, pb->n_security_categories);
	free_items(pb->security_actions, pb->n_security_actions);

	for (size_t i = 0; i < pb->n_audiences; i++) {
		free(pb->audiences[i].id);
		free(pb->audiences[i].label);
		free(pb->audiences[i].receives);
		playbook_free_strings(pb->audiences[i].required_elements,
				      pb->audiences[i].n_required_elements);
		free(pb->audiences[i].template);
		free(pb->audiences[i].resolved_template);
	}
	free(pb->audiences);

	for (size_t i = 0; i < pb->n_journeys; i++) {
		free(pb->journeys[i].product);
		playbook_free_strings(pb->journeys[i].journeys, pb->journeys[i].n_journeys);
	}
	free(pb->journeys);

	if (pb->config) {
		config_destroy(pb->config);
		free(pb->config);
	}
	free(pb);
}

/* ---- look-ups ---- */

static const struct pb_term *find_term(const struct pb_term *terms, size_t n, const char *id)
{
	if (!id)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (terms[i].id && strcmp(terms[i].id, id) == 0)
			return &terms[i];
	return NULL;
}

const struct pb_term *playbook_category(const struct playbook *pb, const char *id)
{
	return find_term(pb->categories, pb->n_categories, id);
}

const struct pb_term *playbook_scope(const struct playbook *pb, const char *id)
{
	return find_term(pb->scopes, pb->n_scopes, id);
}

const struct pb_term *playbook_indicator(const struct playbook *pb, const char *id)
{
	return find_term(pb->indicators, pb->n_indicators, id);
}

const struct pb_severity *playbook_severity(const struct playbook *pb, const char *id)
{
	if (!id)
		return NULL;
	for (size_t i = 0; i < pb->n_severities; i++)
		if (pb->severities[i].id && strcmp(pb->severities[i].id, id) == 0)
			return &pb->severities[i];
	return NULL;
}

const struct pb_severity *playbook_severity_for_priority(const struct playbook *pb,
							 const char *priority)
{
	if (!priority)
		return NULL;
	for (size_t i = 0; i < pb->n_severities; i++)
		if (pb->severities[i].priority && strcmp(pb->severities[i].priority, priority) == 0)
			return &pb->severities[i];
	return NULL;
}

const struct pb_step *playbook_step(const struct playbook *pb, const char *id)
{
	if (!id)
		return NULL;
	for (size_t i = 0; i < pb->n_steps; i++)
		if (pb->steps[i].id && strcmp(pb->steps[i].id, id) == 0)
			return &pb->steps[i];
	return NULL;
}

const struct pb_audience *playbook_audience(const struct playbook *pb, const char *id)
{
	if (!id)
		return NULL;
	for (size_t i = 0; i < pb->n_audiences; i++)
		if (pb->audiences[i].id && strcmp(pb->audiences[i].id, id) == 0)
			return &pb->audiences[i];
	return NULL;
}

static const struct pb_journeys *find_journeys(const struct playbook *pb, const char *product)
{
	for (size_t i = 0; i < pb->n_journeys; i++)
		if (pb->journeys[i].product && strcmp(pb->journeys[i].product, product) == 0)
			return &pb->journeys[i];
	return NULL;
}

const struct pb_journeys *playbook_journeys(const struct playbook *pb, const char *product)
{
	const struct pb_journeys *found = product ? find_journeys(pb, product) : NULL;

	return found ? found : find_journeys(pb, "*");
}

static int string_listed(char *const *strings, size_t n, const char *s)
{
	if (!s)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(strings[i], s) == 0)
			return 1;
	return 0;
}

int playbook_is_security_trigger(const struct playbook *pb, const char *indicator)
{
	return string_listed(pb->security_triggers, pb->n_security_triggers, indicator);
}

int playbook_is_security_category(const struct playbook *pb, const char *category)
{
	return string_listed(pb->security_categories, pb->n_security_categories, category);
}

struct config_setting_t *playbook_section(const struct playbook *pb, const char *path)
{
	if (!pb->config)
		return NULL;
	return config_lookup(pb->config, path);
}

void playbook_problem(const struct playbook *pb, struct strbuf *problems,
		      const struct config_setting_t *setting, const char *fmt, ...)
{
	struct pb_check ck;
	char *file;
	unsigned line = setting ? config_setting_source_line(setting) : 0;
	va_list ap;

	playbook_check_init(&ck, pb->path, problems);
	file = playbook_check_source(&ck, setting);
	va_start(ap, fmt);
	check_vproblem_at(&ck, file, line, fmt, ap);
	va_end(ap);
	free(file);
}

/* ---- finding the file ---- */

/* Returns nonzero when PATH exists. An unreadable path counts, so that loading names the reason. */
static int path_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 || (errno != ENOENT && errno != ENOTDIR);
}

/* Returns the user's config folder per the XDG base directory spec, or NULL. The caller frees it. */
static char *user_config_dir(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");

	/* The spec says to ignore a relative XDG_CONFIG_HOME. */
	if (xdg && xdg[0] == '/')
		return xstrdup(xdg);
	if (home && *home)
		return xasprintf("%s/.config", home);
	return NULL;
}

/* Returns CANDIDATE when it exists. Otherwise appends it to the searched list in TRIED and frees it. */
static char *try_candidate(char *candidate, struct strbuf *tried)
{
	if (path_exists(candidate))
		return candidate;
	sb_addf(tried, "%s%s", tried->len ? ", " : "", candidate);
	free(candidate);
	return NULL;
}

char *playbook_find(const char *explicit_path, struct wr_error *err)
{
	const char *env = getenv("WARROOM_PLAYBOOK");
	const char *datadir = getenv("WARROOM_DATADIR");
	struct strbuf tried;
	char *dir, *found = NULL;

	if (explicit_path) {
		if (!path_exists(explicit_path)) {
			error_set(err, WR_BAD_INPUT, "playbook %s not found: %s", explicit_path,
				  strerror(errno));
			return NULL;
		}
		return xstrdup(explicit_path);
	}
	if (env && *env) {
		if (!path_exists(env)) {
			error_set(err, WR_BAD_INPUT, "WARROOM_PLAYBOOK names %s, which is not found (%s); "
				  "set it to a playbook file or unset it", env, strerror(errno));
			return NULL;
		}
		return xstrdup(env);
	}

	sb_init(&tried);
	dir = user_config_dir();
	if (dir) {
		found = try_candidate(xasprintf("%s/warroom/playbook.cfg", dir), &tried);
		free(dir);
	}
	if (!found)
		found = try_candidate(xstrdup(SYSCONFDIR "/warroom/playbook.cfg"), &tried);
	if (!found && strcmp(SYSCONFDIR, "/etc") != 0)
		found = try_candidate(xstrdup("/etc/warroom/playbook.cfg"), &tried);
	if (!found && datadir && *datadir) {
		found = try_candidate(xasprintf("%s/playbook.cfg", datadir), &tried);
		if (!found) {
			error_set(err, WR_BAD_INPUT, "WARROOM_DATADIR names %s, which has no playbook.cfg; "
				  "set it to the folder of the installed data or unset it", datadir);
			sb_free(&tried);
			return NULL;
		}
	}
	if (!found)
		found = try_candidate(xstrdup(PKGDATADIR "/playbook.cfg"), &tried);
#ifdef SOURCE_DATADIR
	/* A binary run from its build folder before `make install` uses the source tree's playbook. */
	if (!found)
		found = try_candidate(xstrdup(SOURCE_DATADIR "/playbook.cfg"), &tried);
#endif
	if (!found)
		error_set(err, WR_BAD_INPUT, "no playbook found (looked for %s); "
			  "pass --playbook FILE or set WARROOM_PLAYBOOK", tried.data);
	sb_free(&tried);
	return found;
}
