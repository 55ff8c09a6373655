/* The brief's playbook sections, `logging` and `escalation`; see brief_rules.h. */
#include <libconfig.h>
#include <stdlib.h>
#include <string.h>

#include "brief_rules.h"

/* The logging entry for an incident whose category is not set yet. */
#define BRIEF_ANY_CATEGORY "*"

struct rules_loader {
	const struct playbook *pb;
	struct pb_check ck;
	struct brief_rules *rules;
};

/* Returns SECTION when it is a list of groups (or an empty array), else reports it and returns NULL. */
static const config_setting_t *group_list(struct rules_loader *ld, const config_setting_t *section,
					  const char *where)
{
	int type = config_setting_type(section);

	if (type == CONFIG_TYPE_LIST || (type == CONFIG_TYPE_ARRAY && config_setting_length(section) == 0))
		return section;
	playbook_check_problem(&ld->ck, section, "%s: expected a list ( { ... }, ... ), found %s",
			       where, playbook_setting_kind(section));
	return NULL;
}

/* Returns element I of LIST when it is a group, else reports it and returns NULL. */
static const config_setting_t *list_group(struct rules_loader *ld, const config_setting_t *list,
					  int i, const char *where)
{
	const config_setting_t *elem = config_setting_get_elem(list, (unsigned)i);

	if (config_setting_type(elem) == CONFIG_TYPE_GROUP)
		return elem;
	playbook_check_problem(&ld->ck, elem, "%s: expected a group { ... }, found %s", where,
			       playbook_setting_kind(elem));
	return NULL;
}

/* Appends "a, b, c" of the N ids at BASE, each STRIDE bytes apart, the id being the first member. */
static void list_ids(struct strbuf *sb, const void *base, size_t n, size_t stride)
{
	for (size_t i = 0; i < n; i++) {
		const char *id = *(char *const *)((const char *)base + i * stride);

		sb_addf(sb, "%s%s", i ? ", " : "", id ? id : "");
	}
}

/* Reports "WHERE: unknown WHAT "VALUE"; known: ..." at SETTING. */
static void report_unknown(struct rules_loader *ld, const config_setting_t *setting,
			   const char *where, const char *what, const char *value, const void *ids,
			   size_t n, size_t stride)
{
	struct strbuf known;

	sb_init(&known);
	list_ids(&known, ids, n, stride);
	playbook_check_problem(&ld->ck, setting, "%s: unknown %s \"%s\"; known: %s", where, what,
			       value, known.len ? known.data : "none");
	sb_free(&known);
}

static void read_logging_entry(struct rules_loader *ld, const config_setting_t *group,
			       const char *where)
{
	static const char *const fields[] = {"category", "checklist", "before_containment", NULL};
	const struct playbook *pb = ld->pb;
	struct brief_logging *entry = &ld->rules->logging[ld->rules->n_logging];
	const char *category = NULL;

	playbook_check_fields(&ld->ck, group, where, fields);
	if (playbook_check_string(&ld->ck, group, where, "category", PB_REQUIRED | PB_NONEMPTY,
				  &category) == 1) {
		const config_setting_t *at = config_setting_get_member(group, "category");

		if (strcmp(category, BRIEF_ANY_CATEGORY) != 0 && !playbook_category(pb, category)) {
			char path[96];

			snprintf(path, sizeof path, "%s.category", where);
			report_unknown(ld, at, path, "category (or \"*\")", category, pb->categories,
				       pb->n_categories, sizeof *pb->categories);
		} else if (brief_rules_logging(ld->rules, category)) {
			playbook_check_problem(&ld->ck, at, "%s.category: \"%s\" has a logging "
					       "checklist already; merge the two", where, category);
		}
	}
	playbook_check_strings(&ld->ck, group, where, "checklist", PB_REQUIRED | PB_NONEMPTY,
			       &entry->checklist, &entry->n_checklist);
	playbook_check_bool(&ld->ck, group, where, "before_containment", 0,
			    &entry->before_containment);

	entry->category = xstrdup(category ? category : "");
	ld->rules->n_logging++;
}

static void read_logging(struct rules_loader *ld)
{
	const config_setting_t *section = playbook_section(ld->pb, "logging");
	int length;

	if (!section || !group_list(ld, section, "logging"))
		return;
	length = config_setting_length(section);
	ld->rules->logging = xcalloc((size_t)length, sizeof *ld->rules->logging);
	for (int i = 0; i < length; i++) {
		const config_setting_t *group;
		char where[64];

		snprintf(where, sizeof where, "logging[%d]", i);
		group = list_group(ld, section, i, where);
		if (group)
			read_logging_entry(ld, group, where);
	}
}

static void read_roles(struct rules_loader *ld, const config_setting_t *escalation)
{
	static const char *const fields[] = {"id", "label", "duty", NULL};
	const config_setting_t *list = config_setting_get_member(escalation, "roles");
	struct brief_rules *rules = ld->rules;
	int length;

	if (!list) {
		playbook_check_problem(&ld->ck, escalation, "escalation: missing required field \"roles\"");
		return;
	}
	if (!group_list(ld, list, "escalation.roles"))
		return;
	length = config_setting_length(list);
	rules->roles = xcalloc((size_t)length, sizeof *rules->roles);
	for (int i = 0; i < length; i++) {
		const config_setting_t *group;
		const char *id = NULL, *label = NULL, *duty = NULL;
		char where[64];

		snprintf(where, sizeof where, "escalation.roles[%d]", i);
		group = list_group(ld, list, i, where);
		if (!group)
			continue;
		playbook_check_fields(&ld->ck, group, where, fields);
		if (playbook_check_string(&ld->ck, group, where, "id", PB_REQUIRED | PB_NONEMPTY,
					  &id) == 1 && brief_rules_role(rules, id))
			playbook_check_problem(&ld->ck, config_setting_get_member(group, "id"),
					       "%s.id: duplicate role id \"%s\"", where, id);
		playbook_check_string(&ld->ck, group, where, "label", PB_REQUIRED | PB_NONEMPTY, &label);
		playbook_check_string(&ld->ck, group, where, "duty", PB_NONEMPTY, &duty);

		rules->roles[rules->n_roles].id = xstrdup(id ? id : "");
		rules->roles[rules->n_roles].label = xstrdup(label ? label : "");
		rules->roles[rules->n_roles].duty = duty ? xstrdup(duty) : NULL;
		rules->n_roles++;
	}
}

/* Reads the roles and notify lists of GROUP into ENTRY and checks every name in them. */
static void read_escalation_lists(struct rules_loader *ld, const config_setting_t *group,
				  const char *where, struct brief_escalation *entry)
{
	const struct playbook *pb = ld->pb;

	if (playbook_check_strings(&ld->ck, group, where, "roles", PB_REQUIRED | PB_NONEMPTY,
				   &entry->roles, &entry->n_roles) == 1) {
		const config_setting_t *array = config_setting_get_member(group, "roles");

		for (size_t i = 0; i < entry->n_roles; i++) {
			char path[96];

			if (brief_rules_role(ld->rules, entry->roles[i]))
				continue;
			snprintf(path, sizeof path, "%s.roles[%zu]", where, i);
			report_unknown(ld, config_setting_get_elem(array, (unsigned)i), path, "role",
				       entry->roles[i], ld->rules->roles, ld->rules->n_roles,
				       sizeof *ld->rules->roles);
		}
	}
	/* An empty notify list is fine: the lower severities notify no one at once. */
	if (playbook_check_strings(&ld->ck, group, where, "notify", 0, &entry->notify,
				   &entry->n_notify) == 1) {
		const config_setting_t *array = config_setting_get_member(group, "notify");

		for (size_t i = 0; i < entry->n_notify; i++) {
			char path[96];

			if (playbook_audience(pb, entry->notify[i]))
				continue;
			snprintf(path, sizeof path, "%s.notify[%zu]", where, i);
			report_unknown(ld, config_setting_get_elem(array, (unsigned)i), path, "audience",
				       entry->notify[i], pb->audiences, pb->n_audiences,
				       sizeof *pb->audiences);
		}
	}
}

static void read_severities(struct rules_loader *ld, const config_setting_t *escalation)
{
	static const char *const fields[] = {"severity", "roles", "notify", NULL};
	const config_setting_t *list = config_setting_get_member(escalation, "severities");
	const struct playbook *pb = ld->pb;
	struct brief_rules *rules = ld->rules;
	int length;

	if (!list) {
		playbook_check_problem(&ld->ck, escalation,
				       "escalation: missing required field \"severities\"");
		return;
	}
	if (!group_list(ld, list, "escalation.severities"))
		return;
	length = config_setting_length(list);
	rules->severities = xcalloc((size_t)length, sizeof *rules->severities);
	for (int i = 0; i < length; i++) {
		struct brief_escalation *entry = &rules->severities[rules->n_severities];
		const config_setting_t *group;
		const char *severity = NULL;
		char where[64];

		snprintf(where, sizeof where, "escalation.severities[%d]", i);
		group = list_group(ld, list, i, where);
		if (!group)
			continue;
		playbook_check_fields(&ld->ck, group, where, fields);
		if (playbook_check_string(&ld->ck, group, where, "severity", PB_REQUIRED | PB_NONEMPTY,
					  &severity) == 1) {
			const config_setting_t *at = config_setting_get_member(group, "severity");
			char path[96];

			snprintf(path, sizeof path, "%s.severity", where);
			if (!playbook_severity(pb, severity))
				report_unknown(ld, at, path, "severity", severity, pb->severities,
					       pb->n_severities, sizeof *pb->severities);
			else if (brief_rules_severity(rules, severity))
				playbook_check_problem(&ld->ck, at, "%s: \"%s\" is listed already; "
						       "merge the two", path, severity);
		}
		read_escalation_lists(ld, group, where, entry);
		entry->severity = xstrdup(severity ? severity : "");
		rules->n_severities++;
	}
}

static void read_security(struct rules_loader *ld, const config_setting_t *escalation)
{
	static const char *const fields[] = {"roles", "notify", NULL};
	const config_setting_t *group = config_setting_get_member(escalation, "security");

	if (!group)
		return;
	if (config_setting_type(group) != CONFIG_TYPE_GROUP) {
		playbook_check_problem(&ld->ck, group, "escalation.security: expected a group { ... }, "
				       "found %s", playbook_setting_kind(group));
		return;
	}
	playbook_check_fields(&ld->ck, group, "escalation.security", fields);
	read_escalation_lists(ld, group, "escalation.security", &ld->rules->security);
}

static void read_escalation(struct rules_loader *ld)
{
	static const char *const fields[] = {"roles", "severities", "security", NULL};
	const config_setting_t *escalation = playbook_section(ld->pb, "escalation");

	if (!escalation)
		return;
	if (config_setting_type(escalation) != CONFIG_TYPE_GROUP) {
		playbook_check_problem(&ld->ck, escalation, "escalation: expected a group { ... }, "
				       "found %s", playbook_setting_kind(escalation));
		return;
	}
	playbook_check_fields(&ld->ck, escalation, "escalation", fields);
	/* Roles first: the severity and security entries refer to them. */
	read_roles(ld, escalation);
	read_severities(ld, escalation);
	read_security(ld, escalation);
}

struct brief_rules *brief_rules_load(const struct playbook *pb, struct strbuf *problems,
				     struct wr_error *err)
{
	struct rules_loader ld = {.pb = pb};

	playbook_check_init(&ld.ck, pb->path, problems);
	ld.rules = xcalloc(1, sizeof *ld.rules);
	read_logging(&ld);
	read_escalation(&ld);

	if (ld.ck.count > 0) {
		error_set(err, WR_BAD_INPUT, "%s", ld.ck.first);
		brief_rules_free(ld.rules);
		return NULL;
	}
	return ld.rules;
}

static void escalation_free(struct brief_escalation *entry)
{
	free(entry->severity);
	playbook_free_strings(entry->roles, entry->n_roles);
	playbook_free_strings(entry->notify, entry->n_notify);
}

void brief_rules_free(struct brief_rules *rules)
{
	if (!rules)
		return;
	for (size_t i = 0; i < rules->n_logging; i++) {
		free(rules->logging[i].category);
		playbook_free_strings(rules->logging[i].checklist, rules->logging[i].n_checklist);
	}
	free(rules->logging);
	for (size_t i = 0; i < rules->n_roles; i++) {
		free(rules->roles[i].id);
		free(rules->roles[i].label);
		free(rules->roles[i].duty);
	}
	free(rules->roles);
	for (size_t i = 0; i < rules->n_severities; i++)
		escalation_free(&rules->severities[i]);
	free(rules->severities);
	escalation_free(&rules->security);
	free(rules);
}

const struct brief_logging *brief_rules_logging(const struct brief_rules *rules,
						const char *category)
{
	if (!category)
		return NULL;
	for (size_t i = 0; i < rules->n_logging; i++)
		if (strcmp(rules->logging[i].category, category) == 0)
			return &rules->logging[i];
	return NULL;
}

const struct brief_escalation *brief_rules_severity(const struct brief_rules *rules,
						    const char *severity)
{
	if (!severity)
		return NULL;
	for (size_t i = 0; i < rules->n_severities; i++)
		if (strcmp(rules->severities[i].severity, severity) == 0)
			return &rules->severities[i];
	return NULL;
}

const struct brief_role *brief_rules_role(const struct brief_rules *rules, const char *id)
{
	if (!id)
		return NULL;
	for (size_t i = 0; i < rules->n_roles; i++)
		if (strcmp(rules->roles[i].id, id) == 0)
			return &rules->roles[i];
	return NULL;
}
