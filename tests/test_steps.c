/* Unit tests for steps 1, 2, 3 and 5: classify, severity, record and the impact statement. */
#include <stdlib.h>
#include <string.h>

#include "step_fixture.h"
#include "tap.h"
#include "testlib.h"

static void test_classify(struct store *st, const struct playbook *pb)
{
	struct wr_error err = {0};
	char *id = fixture_incident(st, "Card payments", "payments_blocked", "sev0");
	int before, changed = -1, rc;

	before = fixture_events(st, id);
	rc = step_classify(st, pb, id, "outage", "global", "switch down", &changed, &err);
	is_int(rc, 0, "classify: returns 0");
	is_int(changed, 1, "classify: changed");
	is_str(fixture_column(st, id, "category"), "outage", "classify: category stored");
	is_str(fixture_column(st, id, "scope"), "global", "classify: scope stored");
	is_int(fixture_events(st, id), before + 1, "classify: one event");
	is_str(fixture_last_kind(st, id), "classified", "classify: event kind");
	is_str(fixture_last_details(st, id),
	       "category (none) → outage, scope (none) → global: switch down",
	       "classify: event names old and new");

	before = fixture_events(st, id);
	rc = step_classify(st, pb, id, NULL, "segment", NULL, &changed, &err);
	is_int(rc, 0, "classify scope only: returns 0");
	is_str(fixture_column(st, id, "category"), "outage", "classify scope only: category kept");
	is_str(fixture_last_details(st, id), "scope global → segment",
	       "classify scope only: event details");

	before = fixture_events(st, id);
	rc = step_classify(st, pb, id, "outage", "segment", NULL, &changed, &err);
	is_int(rc, 0, "classify same: returns 0");
	is_int(changed, 0, "classify same: not changed");
	is_int(fixture_events(st, id), before, "classify same: no event");

	memset(&err, 0, sizeof err);
	rc = step_classify(st, pb, id, "meltdown", NULL, NULL, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "classify unknown category");
	is_str(err.message, "unknown category \"meltdown\"; one of: outage, degradation, bug, "
	       "security, third_party", "classify unknown category: message lists ids");
	is_str(fixture_column(st, id, "category"), "outage", "classify unknown category: kept");

	memset(&err, 0, sizeof err);
	rc = step_classify(st, pb, id, "bug", "planet", NULL, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "classify unknown scope");
	is_str(fixture_column(st, id, "category"), "outage", "classify unknown scope: category kept");

	memset(&err, 0, sizeof err);
	rc = step_classify(st, pb, id, NULL, NULL, NULL, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "classify nothing");

	memset(&err, 0, sizeof err);
	rc = step_classify(st, pb, "INC-1999-0001", "bug", NULL, NULL, NULL, &err);
	is_int(rc, -1, "classify unknown incident: returns -1");
	is_int(err.status, WR_BAD_INPUT, "classify unknown incident: status");

	fixture_set(st, id, "status", "closed");
	memset(&err, 0, sizeof err);
	rc = step_classify(st, pb, id, "bug", NULL, NULL, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "classify closed incident");
	free(id);
}

static void test_severity_find(const struct playbook *pb)
{
	const struct pb_severity *sev;

	sev = step_severity_find(pb, "sev1");
	is_str(sev ? sev->id : NULL, "sev1", "severity find: id");
	sev = step_severity_find(pb, "Sev 1");
	is_str(sev ? sev->id : NULL, "sev1", "severity find: label");
	sev = step_severity_find(pb, "1");
	is_str(sev ? sev->id : NULL, "sev1", "severity find: bare digit");
	sev = step_severity_find(pb, "SEV-0");
	is_str(sev ? sev->id : NULL, "sev0", "severity find: upper case with dash");
	ok(step_severity_find(pb, "P1") == NULL, "severity find: priority is not a severity");
	ok(step_severity_find(pb, "9") == NULL, "severity find: unknown number");
	ok(step_severity_find(pb, "") == NULL, "severity find: empty");
	ok(step_severity_find(pb, NULL) == NULL, "severity find: NULL");
}

static void test_severity(struct store *st, const struct playbook *pb)
{
	struct wr_error err = {0};
	char *id = fixture_incident(st, "Card payments", "payments_blocked", "sev0");
	char *plain = fixture_incident(st, "Card payments", "", NULL);
	int before, changed = -1, rc;

	before = fixture_events(st, id);
	rc = step_set_severity(st, pb, id, "sev2", NULL, &changed, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "severity override without reason");
	is_str(err.message, "sev2 differs from the suggested sev0; give the reason for the override",
	       "severity override without reason: message");
	ok(fixture_column(st, id, "severity") == NULL, "severity override without reason: not set");

	memset(&err, 0, sizeof err);
	rc = step_set_severity(st, pb, id, "sev2", "   ", NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "severity override blank reason");

	rc = step_set_severity(st, pb, id, "Sev 0", NULL, &changed, &err);
	is_int(rc, 0, "severity as suggested: returns 0");
	is_int(changed, 1, "severity as suggested: changed");
	is_str(fixture_column(st, id, "severity"), "sev0", "severity as suggested: stored as id");
	is_str(fixture_last_kind(st, id), "severity", "severity as suggested: event kind");
	is_str(fixture_last_details(st, id), "severity (none) → sev0 (suggested sev0)",
	       "severity as suggested: event details");

	rc = step_set_severity(st, pb, id, "1", "backup switch carries most traffic", &changed, &err);
	is_int(rc, 0, "severity override: returns 0");
	is_str(fixture_column(st, id, "severity"), "sev1", "severity override: stored");
	is_str(fixture_last_details(st, id),
	       "severity sev0 → sev1 (suggested sev0): backup switch carries most traffic",
	       "severity override: event names old, new, suggestion and reason");

	before = fixture_events(st, id);
	rc = step_set_severity(st, pb, id, "sev1", NULL, &changed, &err);
	is_int(rc, 0, "severity same again: returns 0");
	is_int(changed, 0, "severity same again: not changed");
	is_int(fixture_events(st, id), before, "severity same again: no event");

	memset(&err, 0, sizeof err);
	rc = step_set_severity(st, pb, id, "sev9", "x", NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "severity unknown");
	is_str(err.message, "unknown severity \"sev9\"; one of: sev0, sev1, sev2, sev3 (or its "
	       "number alone)", "severity unknown: message");

	rc = step_set_severity(st, pb, plain, "sev3", NULL, &changed, &err);
	is_int(rc, 0, "severity without suggestion: no reason needed");
	is_str(fixture_last_details(st, plain), "severity (none) → sev3",
	       "severity without suggestion: event details");
	free(id);
	free(plain);
}

static void test_record(struct store *st, const struct playbook *pb)
{
	struct wr_error err = {0};
	char *id = fixture_incident(st, "Card payments", "", NULL);
	const char *services[] = {"card authorisation", "card scheme connectivity"};
	const char *same_service[] = {"Card Authorisation"};
	const char *absent[] = {"mobile app"};
	const char *metrics[] = {"uk_card_auth_decline_rate"};
	const char *blank[] = {"  "};
	struct record_fields fields = {0};
	struct incident *inc;
	int before, changed = -1, rc;

	before = fixture_events(st, id);
	fields.started_at = "2018-06-01T15:30+02:00";
	fields.detection_source = " monitoring ";
	fields.add_services = services;
	fields.n_add_services = 2;
	fields.add_metrics = metrics;
	fields.n_add_metrics = 1;
	fields.commander = "alice";
	rc = step_record(st, pb, id, &fields, &changed, &err);
	is_int(rc, 0, "record: returns 0");
	is_int(changed, 1, "record: changed");
	is_str(fixture_column(st, id, "started_at"), "2018-06-01T13:30:00Z",
	       "record: start time normalised to UTC");
	is_str(fixture_column(st, id, "detection_source"), "monitoring",
	       "record: detection source trimmed");
	is_str(fixture_column(st, id, "impacted_services"),
	       "[\"card authorisation\",\"card scheme connectivity\"]", "record: services stored");
	is_str(fixture_column(st, id, "metrics"), "[\"uk_card_auth_decline_rate\"]",
	       "record: metrics stored");
	is_str(fixture_column(st, id, "commander"), "alice", "record: commander stored");
	is_int(fixture_events(st, id), before + 6, "record: one event per change");
	is_str(fixture_last_details(st, id), "commander (none) → alice", "record: commander event");

	memset(&fields, 0, sizeof fields);
	before = fixture_events(st, id);
	fields.add_services = same_service;
	fields.n_add_services = 1;
	fields.started_at = "2018-06-01T13:30:00Z";
	rc = step_record(st, pb, id, &fields, &changed, &err);
	is_int(rc, 0, "record same values: returns 0");
	is_int(changed, 0, "record same values: not changed");
	is_int(fixture_events(st, id), before, "record same values: no event");

	memset(&fields, 0, sizeof fields);
	fields.remove_services = services;
	fields.n_remove_services = 1;
	rc = step_record(st, pb, id, &fields, &changed, &err);
	is_int(rc, 0, "record remove service: returns 0");
	inc = incident_get(st, id, &err);
	is_int(inc ? (long long)inc->impacted_services.len : -1, 1, "record remove service: one left");
	is_str(inc ? inc->impacted_services.items[0] : NULL, "card scheme connectivity",
	       "record remove service: the other kept");
	incident_free(inc);
	is_str(fixture_last_kind(st, id), "service-removed", "record remove service: event kind");

	before = fixture_events(st, id);
	memset(&fields, 0, sizeof fields);
	memset(&err, 0, sizeof err);
	fields.remove_services = absent;
	fields.n_remove_services = 1;
	fields.commander = "bob";
	rc = step_record(st, pb, id, &fields, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "record remove absent service");
	is_str(fixture_column(st, id, "commander"), "alice",
	       "record remove absent service: other fields unchanged");

	memset(&fields, 0, sizeof fields);
	memset(&err, 0, sizeof err);
	fields.add_services = absent;
	fields.n_add_services = 1;
	fields.remove_services = absent;
	fields.n_remove_services = 1;
	rc = step_record(st, pb, id, &fields, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "record add and remove same");

	memset(&fields, 0, sizeof fields);
	memset(&err, 0, sizeof err);
	fields.started_at = "yesterday";
	rc = step_record(st, pb, id, &fields, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "record invalid start time");

	memset(&err, 0, sizeof err);
	fields.started_at = "2018-06-01T15:00:01Z";
	rc = step_record(st, pb, id, &fields, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "record start in the future");

	memset(&fields, 0, sizeof fields);
	memset(&err, 0, sizeof err);
	fields.detection_source = " ";
	rc = step_record(st, pb, id, &fields, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "record blank detection source");

	memset(&fields, 0, sizeof fields);
	memset(&err, 0, sizeof err);
	fields.commander = "";
	rc = step_record(st, pb, id, &fields, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "record blank commander");

	memset(&fields, 0, sizeof fields);
	memset(&err, 0, sizeof err);
	fields.add_metrics = blank;
	fields.n_add_metrics = 1;
	rc = step_record(st, pb, id, &fields, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "record blank metric");
	free(id);
}

static void test_impact(struct store *st, const struct playbook *pb)
{
	struct wr_error err = {0};
	char *id = fixture_incident(st, "Card payments", "", NULL);
	int before, changed = -1, rc;

	before = fixture_events(st, id);
	rc = step_impact(st, pb, id, "card payments", "some customers", "2018-06-01T14:35+01:00",
			 "Investigating", &changed, &err);
	is_int(rc, 0, "impact: returns 0");
	is_int(changed, 1, "impact: changed");
	is_str(fixture_column(st, id, "impact_status"), "investigating",
	       "impact: status stored as the playbook spells it");
	is_str(fixture_column(st, id, "impact_since"), "2018-06-01T13:35:00Z",
	       "impact: since normalised to UTC");
	is_int(fixture_events(st, id), before + 1, "impact: one event");
	is_str(fixture_last_details(st, id), "impact statement: what: card payments; who: some "
	       "customers; since: 2018-06-01T13:35:00Z; status: investigating",
	       "impact: event has the statement");

	rc = step_impact(st, pb, id, "card payments", "some customers", "2018-06-01T13:35:00Z",
			 "mitigation applied", &changed, &err);
	is_int(rc, 0, "impact update: returns 0");
	is_str(fixture_last_details(st, id), "impact statement: what: card payments; who: some "
	       "customers; since: 2018-06-01T13:35:00Z; status: mitigation applied (changed: status "
	       "\"investigating\" → \"mitigation applied\")", "impact update: event names the change");

	before = fixture_events(st, id);
	rc = step_impact(st, pb, id, "card payments", "some customers", "2018-06-01T13:35:00Z",
			 "mitigation applied", &changed, &err);
	is_int(rc, 0, "impact same: returns 0");
	is_int(changed, 0, "impact same: not changed");
	is_int(fixture_events(st, id), before, "impact same: no event");

	memset(&err, 0, sizeof err);
	rc = step_impact(st, pb, id, "card payments", "some customers", "2018-06-01T13:35:00Z",
			 "fixed", NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "impact unknown status");
	is_str(err.message, "unknown impact status \"fixed\"; one of: \"investigating\", "
	       "\"mitigation applied\", \"monitoring\"", "impact unknown status: message");

	memset(&err, 0, sizeof err);
	rc = step_impact(st, pb, id, "", "some customers", "2018-06-01T13:35:00Z", "monitoring",
			 NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "impact missing what");

	memset(&err, 0, sizeof err);
	rc = step_impact(st, pb, id, "card payments", NULL, "2018-06-01T13:35:00Z", "monitoring",
			 NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "impact missing who");

	memset(&err, 0, sizeof err);
	rc = step_impact(st, pb, id, "card payments", "some customers", "mid-afternoon",
			 "monitoring", NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "impact invalid since");

	memset(&err, 0, sizeof err);
	rc = step_impact(st, pb, id, "card payments", "some customers", "2018-06-01T13:35:00Z",
			 NULL, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "impact missing status");
	is_str(fixture_column(st, id, "impact_status"), "mitigation applied",
	       "impact rejected: statement kept");
	free(id);
}

static void test_security_applies(const struct playbook *pb)
{
	struct incident inc = {0};

	inc.category = "outage";
	strlist_add(&inc.risk_indicators, "payments_blocked");
	is_int(step_security_applies(pb, &inc), 0, "security applies: not for an outage");

	strlist_add(&inc.risk_indicators, "unusual_login_spike");
	is_int(step_security_applies(pb, &inc), 1, "security applies: trigger indicator");
	strlist_free(&inc.risk_indicators);

	inc.category = "security";
	is_int(step_security_applies(pb, &inc), 1, "security applies: security category");
}

int main(void)
{
	struct playbook *pb;
	struct store *st;

	fixture_setup();
	pb = test_playbook();
	st = test_store();

	test_classify(st, pb);
	test_severity_find(pb);
	test_severity(st, pb);
	test_record(st, pb);
	test_impact(st, pb);
	test_security_applies(pb);

	store_close(st);
	playbook_free(pb);
	return tap_done();
}
