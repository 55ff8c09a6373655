/*
 * The playbook sections only the brief reads: `logging`, the checklist of
 * what to collect first per category, and `escalation`, the incident-command
 * roles to fill and the audiences to notify per severity and for security
 * incidents. Loaded from the playbook's configuration and validated whole.
 */
#ifndef WARROOM_BRIEF_RULES_H
#define WARROOM_BRIEF_RULES_H

#include <stddef.h>

#include "playbook.h"
#include "util.h"

/* The logging checklist for one category ("*" for an incident not yet classified). */
struct brief_logging {
	char *category;
	char **checklist;
	size_t n_checklist;
	int before_containment; /* collect this before any containment change */
};

/* An incident-command role. */
struct brief_role {
	char *id;
	char *label;
	char *duty; /* NULL when the playbook gives none */
};

/* Role ids to fill and audience ids to notify, for a severity or for security incidents. */
struct brief_escalation {
	char *severity; /* NULL for the security entry */
	char **roles;
	size_t n_roles;
	char **notify;
	size_t n_notify;
};

struct brief_rules {
	struct brief_logging *logging;
	size_t n_logging;
	struct brief_role *roles;
	size_t n_roles;
	struct brief_escalation *severities;
	size_t n_severities;
	struct brief_escalation security; /* empty lists when the playbook has none */
};

/*
 * Reads and validates the `logging` and `escalation` sections of PB: each
 * category, severity, role and audience named must exist. Every problem is
 * appended to PROBLEMS as "FILE:LINE: what is wrong"; when there is any,
 * returns NULL and ERR carries WR_BAD_INPUT and the first. Both sections are
 * optional, and a missing one gives empty lists. Free with brief_rules_free.
 */
struct brief_rules *brief_rules_load(const struct playbook *pb, struct strbuf *problems,
				     struct wr_error *err);
/* Frees RULES from brief_rules_load; NULL is allowed. */
void brief_rules_free(struct brief_rules *rules);

/* Returns the logging checklist for CATEGORY, or NULL when the playbook has none. */
const struct brief_logging *brief_rules_logging(const struct brief_rules *rules,
						const char *category);
/* Returns the escalation entry for SEVERITY (a severity id), or NULL. */
const struct brief_escalation *brief_rules_severity(const struct brief_rules *rules,
						    const char *severity);
/* Returns the role with id ID, or NULL. */
const struct brief_role *brief_rules_role(const struct brief_rules *rules, const char *id);

#endif
