/*
 * Severity and category suggestions from risk indicators; see severity.h.
 * The rules, their order and the severities' ranks all come from the
 * playbook, so a bank changes what is suggested by editing data.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "severity.h"

static int list_contains(char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

/* Returns the first of the N INDICATORS that RULE lists, or NULL. */
static const char *rule_match(const struct pb_severity_rule *rule, const char *const *indicators,
			      size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (indicators[i] && list_contains(rule->indicators, rule->n_indicators, indicators[i]))
			return indicators[i];
	return NULL;
}

/* Returns the rank of the most severe rule that lists INDICATOR, or INT_MAX when none does. */
static int indicator_rank(const struct playbook *pb, const char *indicator)
{
	int best = INT_MAX;

	for (size_t i = 0; i < pb->n_severity_rules; i++) {
		const struct pb_severity_rule *rule = &pb->severity_rules[i];
		const struct pb_severity *sev = playbook_severity(pb, rule->severity);

		if (sev && sev->rank < best && list_contains(rule->indicators, rule->n_indicators, indicator))
			best = sev->rank;
	}
	return best;
}

int severity_suggest(const struct playbook *pb, const char *const *indicators, size_t n,
		     const char *priority, struct severity_suggestion *out)
{
	const struct pb_severity_rule *best_rule = NULL;
	const struct pb_severity *best_sev = NULL;
	const char *best_indicator = NULL;
	const struct pb_severity *by_priority;

	memset(out, 0, sizeof *out);

	/* Strictly lower ranks replace the best so far, so the first rule wins a tie. */
	for (size_t i = 0; i < pb->n_severity_rules; i++) {
		const struct pb_severity_rule *rule = &pb->severity_rules[i];
		const struct pb_severity *sev = playbook_severity(pb, rule->severity);
		const char *matched = rule_match(rule, indicators, n);

		if (!sev || !matched)
			continue;
		if (!best_sev || sev->rank < best_sev->rank) {
			best_rule = rule;
			best_sev = sev;
			best_indicator = matched;
		}
	}
	if (best_rule) {
		out->severity = best_sev->id;
		out->rule_id = best_rule->id;
		out->indicator = best_indicator;
		out->reason = best_rule->reason;
		return 0;
	}

	by_priority = priority ? playbook_severity_for_priority(pb, priority) : NULL;
	if (!by_priority)
		return -1;
	out->severity = by_priority->id;
	out->rule_id = SEVERITY_RULE_PRIORITY;
	snprintf(out->reason_text, sizeof out->reason_text,
		 "No risk indicator matched; the dashboard priority %s corresponds to %s",
		 by_priority->priority, by_priority->label);
	out->reason = out->reason_text;
	return 0;
}

const char *severity_suggest_category(const struct playbook *pb, const char *const *indicators,
				      size_t n)
{
	const char *best = NULL;
	int best_rank = INT_MAX;

	for (size_t i = 0; i < n; i++) {
		const struct pb_term *term = indicators[i] ? playbook_indicator(pb, indicators[i]) : NULL;

		if (term && term->suggests_category &&
		    list_contains(pb->security_categories, pb->n_security_categories,
				  term->suggests_category))
			return term->suggests_category;
	}

	/* No security category: the most severe indicator's, the first one on a tie. */
	for (size_t i = 0; i < n; i++) {
		const struct pb_term *term = indicators[i] ? playbook_indicator(pb, indicators[i]) : NULL;
		int rank;

		if (!term || !term->suggests_category)
			continue;
		rank = indicator_rank(pb, term->id);
		if (!best || rank < best_rank) {
			best = term->suggests_category;
			best_rank = rank;
		}
	}
	return best;
}

int severity_security_applies(const struct playbook *pb, const char *category,
			      const char *const *indicators, size_t n)
{
	if (category && list_contains(pb->security_categories, pb->n_security_categories, category))
		return 1;
	for (size_t i = 0; i < n; i++)
		if (indicators[i] && playbook_is_security_trigger(pb, indicators[i]))
			return 1;
	return 0;
}
