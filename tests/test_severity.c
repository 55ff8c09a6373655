/*
 * Unit tests for the severity and category suggestions and for when the
 * security mini-SOP applies, against the bundled playbook.
 */
#include <stdio.h>
#include <string.h>

#include "severity.h"
#include "tap.h"
#include "testlib.h"

#define COUNT(array) (sizeof array / sizeof array[0])

/* Each indicator of each rule, alone, suggests that rule's severity. */
static void test_each_rule(const struct playbook *pb)
{
	ok(pb->n_severity_rules > 0, "playbook has severity rules");
	for (size_t i = 0; i < pb->n_severity_rules; i++) {
		const struct pb_severity_rule *rule = &pb->severity_rules[i];

		for (size_t j = 0; j < rule->n_indicators; j++) {
			const char *indicators[] = {rule->indicators[j]};
			struct severity_suggestion s;
			char name[160];

			snprintf(name, sizeof name, "rule %s: %s", rule->id, rule->indicators[j]);
			is_int(severity_suggest(pb, indicators, 1, NULL, &s), 0, name);
			is_str(s.severity, rule->severity, name);
			is_str(s.rule_id, rule->id, name);
			is_str(s.indicator, rule->indicators[j], name);
			is_str(s.reason, rule->reason, name);
		}
	}
}

static void test_most_severe(const struct playbook *pb)
{
	const char *mixed[] = {"cosmetic", "limited_impact", "high_error_volume", "payments_blocked"};
	const char *security[] = {"phishing", "account_takeover_pattern"};
	const char *tie[] = {"payments_blocked", "widespread_outage"};
	const char *both[] = {"data_exposure", "security_breach_suspected"};
	const char *rule_over_priority[] = {"cosmetic"};
	struct severity_suggestion s;

	is_int(severity_suggest(pb, mixed, COUNT(mixed), "P3", &s), 0, "most severe: mixed");
	is_str(s.severity, "sev0", "most severe: mixed severity");
	is_str(s.rule_id, "payments-blocked", "most severe: mixed rule");
	is_str(s.indicator, "payments_blocked", "most severe: mixed indicator");

	is_int(severity_suggest(pb, security, COUNT(security), NULL, &s), 0, "most severe: security");
	is_str(s.severity, "sev1", "most severe: security severity");
	is_str(s.rule_id, "account-takeover", "most severe: security rule");

	/* Both rules are Sev 0; widespread-outage comes first in the file. */
	is_int(severity_suggest(pb, tie, COUNT(tie), NULL, &s), 0, "tie");
	is_str(s.rule_id, "widespread-outage", "tie: first rule in file wins");
	is_str(s.indicator, "widespread_outage", "tie: indicator of that rule");

	is_int(severity_suggest(pb, both, COUNT(both), NULL, &s), 0, "two indicators of one rule");
	is_str(s.rule_id, "breach-suspected", "two indicators: rule");
	is_str(s.indicator, "data_exposure", "two indicators: first listed");

	is_int(severity_suggest(pb, rule_over_priority, 1, "P0", &s), 0, "rule over priority");
	is_str(s.severity, "sev3", "rule over priority: severity");
	is_str(s.rule_id, "cosmetic", "rule over priority: rule");
}

static void test_priority_fallback(const struct playbook *pb)
{
	struct severity_suggestion s;

	ok(pb->n_severities == 4, "playbook has four severities");
	for (size_t i = 0; i < pb->n_severities; i++) {
		const struct pb_severity *sev = &pb->severities[i];
		char name[64];

		snprintf(name, sizeof name, "priority %s", sev->priority);
		is_int(severity_suggest(pb, NULL, 0, sev->priority, &s), 0, name);
		is_str(s.severity, sev->id, name);
		is_str(s.rule_id, SEVERITY_RULE_PRIORITY, name);
		ok(s.indicator == NULL, name);
	}

	is_int(severity_suggest(pb, NULL, 0, "P1", &s), 0, "priority P1 reason");
	is_str(s.reason, "No risk indicator matched; the dashboard priority P1 corresponds to Sev 1",
	       "priority P1 reason text");
}

static void test_no_suggestion(const struct playbook *pb)
{
	const char *unknown[] = {"no_such_indicator"};
	const char *no_rule[] = {"third_party_dependency"};
	struct severity_suggestion s;

	is_int(severity_suggest(pb, NULL, 0, NULL, &s), -1, "nothing: no indicators, no priority");
	is_int(severity_suggest(pb, NULL, 0, "P9", &s), -1, "nothing: unknown priority");
	is_int(severity_suggest(pb, NULL, 0, "", &s), -1, "nothing: empty priority");
	is_int(severity_suggest(pb, unknown, 1, NULL, &s), -1, "nothing: unknown indicator");
	is_int(severity_suggest(pb, no_rule, 1, NULL, &s), -1, "nothing: indicator without rule");
}

static void test_unknown_indicator(const struct playbook *pb)
{
	const char *with_known[] = {"no_such_indicator", "cosmetic"};
	const char *with_priority[] = {"no_such_indicator"};
	struct severity_suggestion s;

	is_int(severity_suggest(pb, with_known, 2, NULL, &s), 0, "unknown ignored: known matches");
	is_str(s.rule_id, "cosmetic", "unknown ignored: rule");
	is_str(s.indicator, "cosmetic", "unknown ignored: indicator");

	is_int(severity_suggest(pb, with_priority, 1, "P2", &s), 0, "unknown ignored: priority");
	is_str(s.severity, "sev2", "unknown ignored: priority severity");
	is_str(s.rule_id, SEVERITY_RULE_PRIORITY, "unknown ignored: priority rule");
}

static void test_category(const struct playbook *pb)
{
	const char *card[] = {"payments_blocked", "high_error_volume"};
	const char *card_reversed[] = {"high_error_volume", "payments_blocked"};
	const char *breach[] = {"widespread_outage", "data_exposure"};
	const char *signal[] = {"cosmetic", "unusual_login_spike"};
	const char *vendor[] = {"third_party_dependency"};
	const char *vendor_and_rule[] = {"third_party_dependency", "major_degradation"};
	const char *bugs[] = {"cosmetic", "limited_impact"};
	const char *unknown[] = {"no_such_indicator"};

	is_str(severity_suggest_category(pb, card, 2), "outage", "category: card outage");
	is_str(severity_suggest_category(pb, card_reversed, 2), "outage",
	       "category: most severe, not first");
	is_str(severity_suggest_category(pb, breach, 2), "security", "category: security first");
	is_str(severity_suggest_category(pb, signal, 2), "security", "category: security signal");
	is_str(severity_suggest_category(pb, vendor, 1), "third_party", "category: without a rule");
	is_str(severity_suggest_category(pb, vendor_and_rule, 2), "degradation",
	       "category: rule beats no rule");
	is_str(severity_suggest_category(pb, bugs, 2), "bug", "category: bug");
	ok(severity_suggest_category(pb, NULL, 0) == NULL, "category: no indicators");
	ok(severity_suggest_category(pb, unknown, 1) == NULL, "category: unknown indicator");
}

static void test_security(const struct playbook *pb)
{
	const char *plain[] = {"payments_blocked", "widespread_outage"};
	const char *unknown[] = {"no_such_indicator"};

	ok(severity_security_applies(pb, "security", NULL, 0), "security: by category");
	ok(!severity_security_applies(pb, "outage", NULL, 0), "security: other category");
	ok(!severity_security_applies(pb, NULL, NULL, 0), "security: nothing");
	ok(!severity_security_applies(pb, "outage", plain, 2), "security: plain indicators");
	ok(!severity_security_applies(pb, NULL, unknown, 1), "security: unknown indicator");

	ok(pb->n_security_triggers > 0, "security: playbook has triggers");
	for (size_t i = 0; i < pb->n_security_triggers; i++) {
		const char *indicators[] = {"payments_blocked", pb->security_triggers[i]};
		char name[128];

		snprintf(name, sizeof name, "security: trigger %s", pb->security_triggers[i]);
		ok(severity_security_applies(pb, "outage", indicators, 2), name);
	}
}

int main(void)
{
	struct playbook *pb = test_playbook();

	test_each_rule(pb);
	test_most_severe(pb);
	test_priority_fallback(pb);
	test_no_suggestion(pb);
	test_unknown_indicator(pb);
	test_category(pb);
	test_security(pb);

	playbook_free(pb);
	return tap_done();
}
