/* Unit tests for step 7: root cause, actions, approvals, decisions and notes. */
#include <stdlib.h>
#include <string.h>

#include "step_fixture.h"
#include "tap.h"
#include "testlib.h"

static void test_root_cause(struct store *st)
{
	struct wr_error err = {0};
	char *id = fixture_incident(st, "Card payments", "", NULL);
	int before, rc;

	rc = review_root_cause(st, id, "Stale address in the failover configuration", &err);
	is_int(rc, 0, "root cause: returns 0");
	is_str(fixture_column(st, id, "root_cause"), "Stale address in the failover configuration",
	       "root cause: stored");
	is_str(fixture_last_kind(st, id), "root-cause", "root cause: event kind");
	is_str(fixture_last_details(st, id), "root cause: Stale address in the failover "
	       "configuration", "root cause: event details");

	rc = review_root_cause(st, id, "Switch certificate rotation left the backup unhealthy", &err);
	is_int(rc, 0, "root cause replace: returns 0");
	is_str(fixture_last_details(st, id), "root cause replaced: Switch certificate rotation left "
	       "the backup unhealthy; was: Stale address in the failover configuration",
	       "root cause replace: event names both");

	before = fixture_events(st, id);
	rc = review_root_cause(st, id, "Switch certificate rotation left the backup unhealthy ", &err);
	is_int(rc, 0, "root cause same: returns 0");
	is_int(fixture_events(st, id), before, "root cause same: no event");

	memset(&err, 0, sizeof err);
	rc = review_root_cause(st, id, "", &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "root cause blank");

	fixture_set(st, id, "status", "closed");
	rc = review_root_cause(st, id, "Certificate rotation runbook skipped the backup", &err);
	is_int(rc, 0, "root cause closed incident: accepted");
	free(id);
}

static void test_actions(struct store *st)
{
	static const char *const bad_dates[] = {
		"2024-02-30", "2023-02-29", "2024-2-3", "2024-13-01", "tomorrow", "2024-03-01T10:00Z",
		"", NULL,
	};
	struct wr_error err = {0};
	char *id = fixture_incident(st, "Card payments", "", NULL);
	struct action *list;
	long long aid = 0, second = 0;
	size_t n;
	int before, rc;

	before = fixture_events(st, id);
	rc = action_add(st, id, "corrective", " bob ", "2024-02-29", "Fix the failover address",
			&aid, &err);
	is_int(rc, 0, "action add: returns 0");
	ok(aid > 0, "action add: id set");
	is_int(fixture_events(st, id), before + 1, "action add: one event");
	is_str(fixture_last_details(st, id), "corrective action 1 for bob, due 2024-02-29: Fix the "
	       "failover address", "action add: event details");
	rc = action_add(st, id, "prevention", "carol", "2024-03-31", "Test failover monthly",
			&second, &err);
	is_int(rc, 0, "action add prevention: returns 0");

	before = fixture_events(st, id);
	for (size_t i = 0; i < sizeof bad_dates / sizeof bad_dates[0]; i++) {
		memset(&err, 0, sizeof err);
		rc = action_add(st, id, "corrective", "bob", bad_dates[i], "x", NULL, &err);
		is_int(rc, -1, "action invalid due: returns -1");
		is_int(err.status, WR_BAD_INPUT, "action invalid due: status");
	}
	is_int(fixture_events(st, id), before, "action invalid due: no event");

	memset(&err, 0, sizeof err);
	rc = action_add(st, id, "cleanup", "bob", "2024-03-01", "x", NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "action invalid kind");
	memset(&err, 0, sizeof err);
	rc = action_add(st, id, "corrective", "  ", "2024-03-01", "x", NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "action blank owner");
	memset(&err, 0, sizeof err);
	rc = action_add(st, id, "corrective", "bob", "2024-03-01", NULL, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "action blank text");

	rc = action_done(st, id, aid, &err);
	is_int(rc, 0, "action done: returns 0");
	is_str(fixture_last_details(st, id), "corrective action 1 done: Fix the failover address",
	       "action done: event details");
	before = fixture_events(st, id);
	memset(&err, 0, sizeof err);
	rc = action_done(st, id, aid, &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "action done twice");
	memset(&err, 0, sizeof err);
	rc = action_done(st, id, 999, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "action done unknown");

	rc = action_list(st, id, &list, &n, &err);
	is_int(rc, 0, "action list: returns 0");
	is_int((long long)n, 2, "action list: two");
	is_str(n ? list[0].owner : NULL, "bob", "action list: owner trimmed");
	is_str(n ? list[0].done_at : NULL, FIXTURE_NOW, "action list: done time");
	is_str(n > 1 ? list[1].kind : NULL, "prevention", "action list: kind");
	ok(n > 1 && list[1].done_at == NULL, "action list: open action");
	action_list_free(list, n);
	free(id);
}

static void test_approvals(struct store *st)
{
	struct wr_error err = {0};
	char *id = fixture_incident(st, "Card payments", "", NULL);
	int before, rc;

	rc = approval_record(st, id, "vendor-blame", "Dana Reyes", "switch vendor confirmed fault",
			     &err);
	is_int(rc, 0, "approval vendor-blame: returns 0");
	is_str(fixture_column(st, id, "vendor_blame_approved_by"), "Dana Reyes",
	       "approval vendor-blame: column set");
	is_str(fixture_last_kind(st, id), "approval", "approval vendor-blame: event kind");
	is_str(fixture_last_details(st, id), "vendor-blame approved by Dana Reyes (naming a third "
	       "party as the cause): switch vendor confirmed fault",
	       "approval vendor-blame: event details");
	ok(fixture_column(st, id, "root_cause_approved_by") == NULL,
	   "approval vendor-blame: root cause approval untouched");

	rc = approval_record(st, id, "root-cause", "Dana Reyes", NULL, &err);
	is_int(rc, 0, "approval root-cause: returns 0");
	is_str(fixture_column(st, id, "root_cause_approved_by"), "Dana Reyes",
	       "approval root-cause: column set");

	rc = approval_record(st, id, "root-cause", "Sam Okafor", NULL, &err);
	is_int(rc, 0, "approval replace: returns 0");
	is_str(fixture_last_details(st, id), "root-cause approved by Sam Okafor (sharing the root "
	       "cause with Marketing); replaces the approval by Dana Reyes",
	       "approval replace: event names both");

	before = fixture_events(st, id);
	memset(&err, 0, sizeof err);
	rc = approval_record(st, id, "blame", "Dana Reyes", NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "approval unknown");
	memset(&err, 0, sizeof err);
	rc = approval_record(st, id, "vendor-blame", " ", NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "approval blank approver");
	free(id);
}

static void test_decisions_notes(struct store *st)
{
	struct wr_error err = {0};
	char *id = fixture_incident(st, "Card payments", "", NULL);
	struct decision *list;
	size_t n;
	int before, rc;

	rc = decision_add(st, id, "Route all UK traffic through the backup switch", &err);
	is_int(rc, 0, "decision: returns 0");
	is_str(fixture_last_kind(st, id), "decision", "decision: event kind");
	rc = decision_list(st, id, &list, &n, &err);
	is_int((long long)n, 1, "decision list: one");
	is_str(n ? list[0].text : NULL, "Route all UK traffic through the backup switch",
	       "decision list: text");
	is_str(n ? list[0].decided_by : NULL, "alice", "decision list: decided by");
	decision_list_free(list, n);

	before = fixture_events(st, id);
	memset(&err, 0, sizeof err);
	rc = decision_add(st, id, "", &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "decision blank");

	rc = note_add(st, id, "Vendor bridge call opened", &err);
	is_int(rc, 0, "note: returns 0");
	is_str(fixture_last_kind(st, id), "note", "note: event kind");
	is_str(fixture_last_details(st, id), "Vendor bridge call opened", "note: event details");

	before = fixture_events(st, id);
	memset(&err, 0, sizeof err);
	rc = note_add(st, id, "\n", &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "note blank");

	fixture_set(st, id, "status", "closed");
	rc = note_add(st, id, "Review meeting booked", &err);
	is_int(rc, 0, "note closed incident: accepted");

	memset(&err, 0, sizeof err);
	rc = note_add(st, "INC-1999-0001", "x", &err);
	is_int(rc, -1, "note unknown incident: returns -1");
	is_int(err.status, WR_BAD_INPUT, "note unknown incident: status");
	free(id);
}

int main(void)
{
	struct store *st;

	fixture_setup();
	st = test_store();

	test_root_cause(st);
	test_actions(st);
	test_approvals(st);
	test_decisions_notes(st);

	store_close(st);
	return tap_done();
}
