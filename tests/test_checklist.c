/* Unit tests for checklist marks: triage, resolve and the security mini-SOP. */
#include <stdlib.h>
#include <string.h>

#include "step_fixture.h"
#include "tap.h"
#include "testlib.h"

static void test_items(const struct playbook *pb)
{
	const struct pb_item *items;
	size_t n;

	items = checklist_items(pb, "triage", &n);
	is_int((long long)n, 7, "checklist items: triage has seven");
	is_str(items ? items[0].id : NULL, "confirm-logs", "checklist items: triage first item");
	items = checklist_items(pb, "resolve", &n);
	is_int((long long)n, 1, "checklist items: resolve has one");
	items = checklist_items(pb, "security", &n);
	is_int((long long)n, 5, "checklist items: security has five");
	is_str(items ? items[0].id : NULL, "contain", "checklist items: security first action");
	items = checklist_items(pb, "classify", &n);
	ok(items == NULL, "checklist items: a step without a checklist");
	items = checklist_items(pb, "nonsense", &n);
	ok(items == NULL, "checklist items: unknown list");
	is_int((long long)n, 0, "checklist items: unknown list has none");
}

static void test_mark(struct store *st, const struct playbook *pb)
{
	struct wr_error err = {0};
	char *id = fixture_incident(st, "Card payments", "payments_blocked", "sev0");
	struct checklist_mark *marks;
	size_t n;
	int before, rc;

	before = fixture_events(st, id);
	rc = checklist_mark(st, pb, id, "triage", "confirm-logs", 0, NULL, &err);
	is_int(rc, 0, "checklist mark done: returns 0");
	is_int(fixture_events(st, id), before + 1, "checklist mark done: one event");
	is_str(fixture_last_kind(st, id), "checklist-marked", "checklist mark done: event kind");
	is_str(fixture_last_details(st, id), "triage confirm-logs: done",
	       "checklist mark done: event details");

	rc = checklist_marks(st, id, &marks, &n, &err);
	is_int(rc, 0, "checklist marks: returns 0");
	is_int((long long)n, 1, "checklist marks: one");
	is_str(n ? marks[0].state : NULL, "done", "checklist marks: state");
	is_str(n ? marks[0].actor : NULL, "alice", "checklist marks: who");
	is_str(n ? marks[0].at : NULL, FIXTURE_NOW, "checklist marks: when");
	checklist_marks_free(marks, n);

	before = fixture_events(st, id);
	memset(&err, 0, sizeof err);
	rc = checklist_mark(st, pb, id, "triage", "failover", 1, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "checklist na without note");
	memset(&err, 0, sizeof err);
	rc = checklist_mark(st, pb, id, "triage", "failover", 1, "  ", &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "checklist na blank note");

	rc = checklist_mark(st, pb, id, "triage", "failover", 1, "no standby site for the switch",
			    &err);
	is_int(rc, 0, "checklist na with note: returns 0");
	is_str(fixture_last_details(st, id), "triage failover: not applicable (note: no standby "
	       "site for the switch)", "checklist na with note: event details");

	rc = checklist_mark(st, pb, id, "triage", "failover", 0, NULL, &err);
	is_int(rc, 0, "checklist mark again: returns 0");
	is_str(fixture_last_details(st, id), "triage failover: done; replaces not applicable by "
	       "alice at " FIXTURE_NOW " (note: no standby site for the switch)",
	       "checklist mark again: event names both marks");
	rc = checklist_marks(st, id, &marks, &n, &err);
	is_int((long long)n, 2, "checklist mark again: still two marks");
	is_str(n > 1 ? marks[1].state : NULL, "done", "checklist mark again: replaced state");
	ok(n > 1 && marks[1].note == NULL, "checklist mark again: old note gone");
	checklist_marks_free(marks, n);

	before = fixture_events(st, id);
	memset(&err, 0, sizeof err);
	rc = checklist_mark(st, pb, id, "triage", "close-tickets", 0, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "checklist item of another list");
	is_str(err.message, "unknown item \"close-tickets\" on the triage checklist; one of: "
	       "confirm-logs, confirm-monitoring, confirm-synthetic, isolate, flag-rollback, "
	       "rate-limit, failover", "checklist item of another list: message");

	memset(&err, 0, sizeof err);
	rc = checklist_mark(st, pb, id, "review", "x", 0, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "checklist step without list");
	is_str(err.message, "unknown checklist \"review\"; one of: triage, resolve, security",
	       "checklist step without list: message");

	memset(&err, 0, sizeof err);
	rc = checklist_mark(st, pb, "INC-1999-0001", "triage", "isolate", 0, NULL, &err);
	is_int(rc, -1, "checklist unknown incident: returns -1");
	is_int(err.status, WR_BAD_INPUT, "checklist unknown incident: status");

	rc = checklist_clear(st, pb, id, "triage", "confirm-logs", &err);
	is_int(rc, 0, "checklist clear: returns 0");
	is_str(fixture_last_kind(st, id), "checklist-cleared", "checklist clear: event kind");
	is_str(fixture_last_details(st, id), "triage confirm-logs: mark cleared, was done by alice "
	       "at " FIXTURE_NOW, "checklist clear: event names the old mark");
	rc = checklist_marks(st, id, &marks, &n, &err);
	is_int((long long)n, 1, "checklist clear: mark removed");
	checklist_marks_free(marks, n);

	before = fixture_events(st, id);
	memset(&err, 0, sizeof err);
	rc = checklist_clear(st, pb, id, "triage", "confirm-logs", &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "checklist clear unmarked");

	fixture_set(st, id, "status", "closed");
	memset(&err, 0, sizeof err);
	rc = checklist_mark(st, pb, id, "triage", "isolate", 0, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "checklist closed incident");
	free(id);
}

static void test_security(struct store *st, const struct playbook *pb)
{
	struct wr_error err = {0};
	char *outage = fixture_incident(st, "Card payments", "payments_blocked", "sev0");
	char *spike = fixture_incident(st, "Online and mobile banking",
				       "unusual_login_spike,high_error_volume", "sev1");
	char *breach = fixture_incident(st, "Online and mobile banking", "", NULL);
	int before, rc;

	before = fixture_events(st, outage);
	rc = checklist_mark(st, pb, outage, "security", "contain", 0, NULL, &err);
	check_rejected(st, outage, before, rc, err, WR_FAILED, "security list not applicable");
	is_str(err.message, "the security checklist does not apply to INC-2018-0002: its category "
	       "is (none) and none of its risk indicators (payments_blocked) starts the security "
	       "mini-SOP", "security list not applicable: message");

	rc = checklist_mark(st, pb, spike, "security", "contain", 0, NULL, &err);
	is_int(rc, 0, "security list with a trigger: returns 0");
	is_str(fixture_last_details(st, spike), "security contain: done",
	       "security list with a trigger: event details");

	fixture_set(st, breach, "category", "security");
	rc = checklist_mark(st, pb, breach, "security", "preserve", 0, "disk images taken", &err);
	is_int(rc, 0, "security list for the category: returns 0");

	memset(&err, 0, sizeof err);
	before = fixture_events(st, spike);
	rc = checklist_mark(st, pb, spike, "security", "shred-logs", 0, NULL, &err);
	check_rejected(st, spike, before, rc, err, WR_BAD_INPUT, "security unknown action");
	free(outage);
	free(spike);
	free(breach);
}

int main(void)
{
	struct playbook *pb;
	struct store *st;

	fixture_setup();
	pb = test_playbook();
	st = test_store();

	test_items(pb);
	test_mark(st, pb);
	test_security(st, pb);

	store_close(st);
	playbook_free(pb);
	return tap_done();
}
