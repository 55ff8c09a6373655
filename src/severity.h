/*
 * The severity and category that warroom suggests for a new incident, from
 * the dashboard's risk indicators and priority and the playbook's rules. The
 * commander confirms or overrides both; nothing here changes a record.
 */
#ifndef WARROOM_SEVERITY_H
#define WARROOM_SEVERITY_H

#include <stddef.h>

#include "playbook.h"

/* The rule id recorded when the suggestion comes from the dashboard priority. */
#define SEVERITY_RULE_PRIORITY "priority"

/*
 * A suggested severity and why. SEVERITY and RULE_ID point into the playbook
 * (RULE_ID is SEVERITY_RULE_PRIORITY for the priority fallback). INDICATOR is
 * the caller's matching indicator string, or NULL for the priority fallback.
 * REASON points into the playbook, or into REASON_TEXT for the priority
 * fallback, so a copy of the struct must not outlive the original.
 */
struct severity_suggestion {
	const char *severity;
	const char *rule_id;
	const char *indicator;
	const char *reason;
	char reason_text[160];
};

/*
 * Suggests a severity for the N risk INDICATORS and the dashboard PRIORITY
 * (either may be empty or NULL). The matching rule whose severity ranks most
 * severe wins, and the first in the playbook wins a tie. When no rule
 * matches, the severity whose priority equals PRIORITY is suggested.
 * Unknown indicators match no rule. Returns 0 and fills OUT, or -1 when
 * nothing can be suggested.
 */
int severity_suggest(const struct playbook *pb, const char *const *indicators, size_t n,
		     const char *priority, struct severity_suggestion *out);

/*
 * Suggests a category id from the indicators' suggested categories: a
 * security category when any indicator suggests one, else the category of
 * the indicator whose rule is most severe, else the first indicator's that
 * has one. Returns a string in the playbook, or NULL when no indicator
 * suggests a category.
 */
const char *severity_suggest_category(const struct playbook *pb, const char *const *indicators,
				      size_t n);

/*
 * Returns nonzero when the security mini-SOP applies: CATEGORY (may be NULL)
 * is one of the playbook's security categories, or any of the N INDICATORS
 * is one of its security triggers.
 */
int severity_security_applies(const struct playbook *pb, const char *category,
			      const char *const *indicators, size_t n);

#endif
