/* Unit tests for step 6: validations, the resolve gate, status moves and payment windows. */
#include <stdlib.h>
#include <string.h>

#include "step_fixture.h"
#include "tap.h"
#include "testlib.h"

static void test_validate(struct store *st, const struct playbook *pb)
{
	struct wr_error err = {0};
	char *id = fixture_incident(st, "Card payments", "", NULL);
	struct validation *list;
	size_t n;
	int before, rc;

	is_int(step_validations_done(st, pb, id, &err), 0, "validations done: none at first");

	before = fixture_events(st, id);
	memset(&err, 0, sizeof err);
	rc = step_validate(st, pb, id, "smoke-test", "ok", &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "validate unknown kind");
	is_str(err.message, "unknown validation \"smoke-test\"; one of: monitoring, journeys",
	       "validate unknown kind: message");

	memset(&err, 0, sizeof err);
	rc = step_validate(st, pb, id, "monitoring", " ", &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "validate blank note");

	rc = step_validate(st, pb, id, "monitoring", "decline rate back to 1.1%", &err);
	is_int(rc, 0, "validate: returns 0");
	is_str(fixture_last_kind(st, id), "validated", "validate: event kind");
	is_str(fixture_last_details(st, id), "validation monitoring (Fix confirmed in monitoring): "
	       "decline rate back to 1.1%", "validate: event details");
	is_int(step_validations_done(st, pb, id, &err), 1, "validations done: one");

	rc = step_validate(st, pb, id, "monitoring", "decline rate 1.0% for an hour", &err);
	is_int(rc, 0, "validate again: returns 0");
	is_str(fixture_last_details(st, id), "validation monitoring (Fix confirmed in monitoring): "
	       "decline rate 1.0% for an hour; replaces the note by alice: decline rate back to 1.1%",
	       "validate again: event keeps the earlier note");
	is_int(step_validations_done(st, pb, id, &err), 1, "validations done: still one");

	rc = step_validations(st, id, &list, &n, &err);
	is_int(rc, 0, "validations list: returns 0");
	is_int((long long)n, 1, "validations list: one");
	is_str(n ? list[0].note : NULL, "decline rate 1.0% for an hour", "validations list: note");
	step_validations_free(list, n);
	free(id);
}

static void test_resolve_gate(struct store *st, const struct playbook *pb)
{
	struct wr_error err = {0};
	char *id = fixture_incident(st, "Card payments", "", NULL);
	char message[256];
	int before, rc;

	before = fixture_events(st, id);
	rc = step_resolve(st, pb, id, NULL, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "resolve without validations");
	snprintf(message, sizeof message, "cannot resolve %s: not yet recorded: fix confirmed in "
		 "monitoring, key customer journeys validated", id);
	is_str(err.message, message, "resolve without validations: message");
	memset(&err, 0, sizeof err);
	is_int(step_resolve_ready(st, pb, id, &err), -1, "resolve ready: refused early");
	is_str(err.message, message, "resolve ready: same message");
	is_str(fixture_column(st, id, "status"), "open", "resolve without validations: still open");
	ok(fixture_column(st, id, "resolved_at") == NULL, "resolve without validations: no time");

	step_validate(st, pb, id, "monitoring", "decline rate normal", &err);
	before = fixture_events(st, id);
	memset(&err, 0, sizeof err);
	rc = step_resolve(st, pb, id, NULL, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "resolve with one validation");
	snprintf(message, sizeof message, "cannot resolve %s: not yet recorded: key customer "
		 "journeys validated", id);
	is_str(err.message, message, "resolve with one validation: message");

	rc = step_mitigate(st, id, NULL, "traffic moved to the backup switch", &err);
	is_int(rc, 0, "mitigate: returns 0");
	is_str(fixture_column(st, id, "status"), "mitigated", "mitigate: status");
	is_str(fixture_column(st, id, "mitigated_at"), FIXTURE_NOW, "mitigate: time set");
	is_str(fixture_last_details(st, id), "status open → mitigated: traffic moved to the backup "
	       "switch", "mitigate: event details");

	before = fixture_events(st, id);
	memset(&err, 0, sizeof err);
	rc = step_mitigate(st, id, NULL, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "mitigate twice");

	step_validate(st, pb, id, "journeys", "chip-and-PIN, contactless, online, ATM all pass", &err);
	is_int(step_resolve_ready(st, pb, id, &err), 0, "resolve ready: both validations");
	rc = step_resolve(st, pb, id, NULL, "both validations recorded", &err);
	is_int(rc, 0, "resolve: returns 0");
	is_str(fixture_column(st, id, "status"), "resolved", "resolve: status");
	is_str(fixture_column(st, id, "resolved_at"), FIXTURE_NOW, "resolve: time set");
	is_str(fixture_last_kind(st, id), "resolved", "resolve: event kind");
	is_str(fixture_last_details(st, id), "status mitigated → resolved: both validations recorded",
	       "resolve: event details");

	before = fixture_events(st, id);
	memset(&err, 0, sizeof err);
	rc = step_resolve(st, pb, id, NULL, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "resolve twice");
	memset(&err, 0, sizeof err);
	rc = step_mitigate(st, id, NULL, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "mitigate resolved");
	free(id);
}

static void test_close_reopen(struct store *st, const struct playbook *pb)
{
	struct wr_error err = {0};
	char *id = fixture_incident(st, "Card payments", "", NULL);
	char *expected;
	int before, rc;

	before = fixture_events(st, id);
	rc = step_close(st, pb, id, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "close open incident");
	memset(&err, 0, sizeof err);
	rc = step_reopen(st, id, "still failing", &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "reopen open incident");

	step_validate(st, pb, id, "monitoring", "normal", &err);
	step_validate(st, pb, id, "journeys", "all pass", &err);
	step_resolve(st, pb, id, NULL, NULL, &err);

	/* The review (a before_close step) is empty: closing needs a reason. */
	before = fixture_events(st, id);
	rc = step_close(st, pb, id, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "close before the review");
	expected = xasprintf("cannot close %s: the post-incident work is not done (Review: root "
			     "cause, a corrective action, a prevention task); record it first, or "
			     "give a reason to close without it", id);
	is_str(err.message, expected, "close before the review: message");
	free(expected);
	memset(&err, 0, sizeof err);
	rc = step_close(st, pb, id, "   ", &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "close with a blank reason");

	memset(&err, 0, sizeof err);
	rc = step_close(st, pb, id, " duplicate of INC-2018-0002 ", &err);
	is_int(rc, 0, "close with a reason: returns 0");
	is_str(fixture_column(st, id, "status"), "closed", "close with a reason: status");
	is_str(fixture_column(st, id, "closed_at"), FIXTURE_NOW, "close with a reason: time set");
	is_str(fixture_last_details(st, id), "status resolved → closed: closed without Review: root "
	       "cause, a corrective action, a prevention task; reason: duplicate of INC-2018-0002",
	       "close with a reason: event details");

	before = fixture_events(st, id);
	memset(&err, 0, sizeof err);
	rc = step_close(st, pb, id, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "close twice");
	memset(&err, 0, sizeof err);
	rc = step_validate(st, pb, id, "monitoring", "again", &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "validate closed incident");
	memset(&err, 0, sizeof err);
	rc = step_reopen(st, id, "  ", &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "reopen without reason");

	rc = step_reopen(st, id, "declines back at 20%", &err);
	is_int(rc, 0, "reopen: returns 0");
	is_str(fixture_column(st, id, "status"), "open", "reopen: status");
	ok(fixture_column(st, id, "resolved_at") == NULL, "reopen: resolved time cleared");
	ok(fixture_column(st, id, "closed_at") == NULL, "reopen: closed time cleared");
	is_int(step_validations_done(st, pb, id, &err), 0, "reopen: validations cleared");
	is_str(fixture_last_kind(st, id), "reopened", "reopen: event kind");
	is_str(fixture_last_details(st, id), "status closed → open: declines back at 20%; the "
	       "validations are cleared and must be recorded again before resolving",
	       "reopen: event details");

	before = fixture_events(st, id);
	memset(&err, 0, sizeof err);
	rc = step_resolve(st, pb, id, NULL, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "resolve after reopen");
	free(id);
}

static void test_close_after_review(struct store *st, const struct playbook *pb)
{
	struct wr_error err = {0};
	char *id = fixture_incident(st, "Card payments", "", NULL);
	int before, rc;

	step_validate(st, pb, id, "monitoring", "normal", &err);
	step_validate(st, pb, id, "journeys", "all pass", &err);
	step_resolve(st, pb, id, NULL, NULL, &err);
	review_root_cause(st, id, "The primary switch half-failed", &err);
	action_add(st, id, "corrective", "Network", "2018-06-15", "Fix the failover", NULL, &err);
	before = fixture_events(st, id);
	rc = step_close(st, pb, id, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "close without a prevention task");

	memset(&err, 0, sizeof err);
	action_add(st, id, "prevention", "SRE", "2018-07-01", "Quarterly drill", NULL, &err);
	rc = step_close(st, pb, id, NULL, &err);
	is_int(rc, 0, "close after the review: returns 0");
	is_str(fixture_column(st, id, "status"), "closed", "close after the review: status");
	is_str(fixture_last_details(st, id), "status resolved → closed",
	       "close after the review: event details");
	free(id);
}

static void test_windows(struct store *st)
{
	const char *types[] = {"card", " transfer ", "Card"};
	const char *blank_type[] = {"card", ""};
	struct wr_error err = {0};
	char *id = fixture_incident(st, "Card payments", "", NULL);
	struct payment_window *list;
	long long open_window = 0, closed_window = 0;
	size_t n;
	int before, rc;

	before = fixture_events(st, id);
	rc = window_add(st, id, "2018-06-01T13:35Z", NULL, types, 3, 0, &open_window, &err);
	is_int(rc, 0, "window add open: returns 0");
	ok(open_window > 0, "window add open: id set");
	is_int(fixture_events(st, id), before + 1, "window add open: one event");
	is_str(fixture_last_details(st, id), "payment failure window 1: 2018-06-01T13:35:00Z to "
	       "(still open), types card, transfer, unconfirmed", "window add open: event details");

	rc = window_add(st, id, "2018-06-01T14:00:00+01:00", "2018-06-01T13:40Z", types, 1, 1,
			&closed_window, &err);
	is_int(rc, 0, "window add confirmed: returns 0");

	rc = window_list(st, id, &list, &n, &err);
	is_int(rc, 0, "window list: returns 0");
	is_int((long long)n, 2, "window list: two");
	is_str(n ? list[0].from : NULL, "2018-06-01T13:00:00Z", "window list: by start, UTC");
	is_str(n ? list[0].to : NULL, "2018-06-01T13:40:00Z", "window list: end");
	is_int(n ? list[0].confirmed : -1, 1, "window list: confirmed flag");
	is_int(n > 1 ? (long long)list[1].types.len : -1, 2, "window list: repeated type dropped");
	is_str(n > 1 ? list[1].types.items[1] : NULL, "transfer", "window list: type trimmed");
	ok(n > 1 && list[1].to == NULL, "window list: open window has no end");
	window_list_free(list, n);

	before = fixture_events(st, id);
	memset(&err, 0, sizeof err);
	rc = window_add(st, id, "2018-06-01T14:00Z", "2018-06-01T13:00Z", types, 1, 0, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "window end before start");
	memset(&err, 0, sizeof err);
	rc = window_add(st, id, "2018-06-01T14:00Z", NULL, types, 0, 0, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "window without types");
	memset(&err, 0, sizeof err);
	rc = window_add(st, id, "2018-06-01T14:00Z", NULL, blank_type, 2, 0, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "window blank type");
	memset(&err, 0, sizeof err);
	rc = window_add(st, id, "2018-06-01T14:00Z", NULL, types, 1, 1, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "window confirmed without end");
	memset(&err, 0, sizeof err);
	rc = window_add(st, id, "14:00", NULL, types, 1, 0, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "window invalid start");
	memset(&err, 0, sizeof err);
	rc = window_add(st, id, NULL, NULL, types, 1, 0, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "window missing start");
	memset(&err, 0, sizeof err);
	rc = window_add(st, id, "2018-06-02T14:00Z", NULL, types, 1, 0, NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "window in the future");

	memset(&err, 0, sizeof err);
	rc = window_confirm(st, id, open_window, &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "window confirm open");
	memset(&err, 0, sizeof err);
	rc = window_confirm(st, id, closed_window, &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "window confirm twice");
	memset(&err, 0, sizeof err);
	rc = window_confirm(st, id, 999, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "window confirm unknown");
	memset(&err, 0, sizeof err);
	rc = window_set_end(st, id, closed_window, "2018-06-01T14:30Z", &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "window end of confirmed");
	memset(&err, 0, sizeof err);
	rc = window_set_end(st, id, open_window, "2018-06-01T13:00Z", &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "window end before its start");

	rc = window_set_end(st, id, open_window, "2018-06-01T14:45Z", &err);
	is_int(rc, 0, "window set end: returns 0");
	is_str(fixture_last_details(st, id), "payment failure window 1 end (still open) → "
	       "2018-06-01T14:45:00Z", "window set end: event details");
	rc = window_confirm(st, id, open_window, &err);
	is_int(rc, 0, "window confirm: returns 0");
	is_str(fixture_last_kind(st, id), "window-confirmed", "window confirm: event kind");
	is_str(fixture_last_details(st, id), "payment failure window 1 (2018-06-01T13:35:00Z to "
	       "2018-06-01T14:45:00Z) confirmed", "window confirm: event details");
	free(id);
}

int main(void)
{
	struct playbook *pb;
	struct store *st;

	fixture_setup();
	pb = test_playbook();
	st = test_store();

	test_validate(st, pb);
	test_resolve_gate(st, pb);
	test_close_reopen(st, pb);
	test_close_after_review(st, pb);
	test_windows(st);

	store_close(st);
	playbook_free(pb);
	return tap_done();
}
