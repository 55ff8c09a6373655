/* Unit tests for step_statuses: what each step still misses, and the security entry. */
#include <stdlib.h>
#include <string.h>

#include "step_fixture.h"
#include "tap.h"
#include "testlib.h"

/* Returns the status of STEP in LIST, or NULL. */
static const struct step_status *find(const struct step_status *list, size_t n, const char *step)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i].step_id, step) == 0)
			return &list[i];
	return NULL;
}

static const char *missing_of(const struct step_status *list, size_t n, const char *step)
{
	const struct step_status *s = find(list, n, step);

	return s ? s->missing : "(no such step)";
}

/* Returns whether STEP is complete in LIST, or -1 when LIST has no such step. */
static int complete_of(const struct step_status *list, size_t n, const char *step)
{
	const struct step_status *s = find(list, n, step);

	return s ? s->complete : -1;
}

static void test_fresh(struct store *st, const struct playbook *pb)
{
	struct wr_error err = {0};
	char *id = fixture_incident(st, "Card payments", "payments_blocked", "sev0");
	struct step_status *list;
	size_t n;
	int rc;

	rc = step_statuses(st, pb, id, &list, &n, &err);
	is_int(rc, 0, "statuses fresh: returns 0");
	is_int((long long)n, 7, "statuses fresh: one per step, no security");
	is_str(n ? list[0].step_id : NULL, "classify", "statuses fresh: playbook order");
	is_str(missing_of(list, n, "classify"), "category, scope", "statuses fresh: classify");
	is_str(missing_of(list, n, "severity"), "severity", "statuses fresh: severity");
	is_str(missing_of(list, n, "record"), "detection source, impacted services",
	       "statuses fresh: record has the start time from detection");
	is_str(missing_of(list, n, "triage"), "confirm-logs, confirm-monitoring, confirm-synthetic, "
	       "isolate, flag-rollback, rate-limit, failover", "statuses fresh: triage items");
	is_str(missing_of(list, n, "impact"), "what is impacted, who is impacted, since when, "
	       "current status", "statuses fresh: impact in plain words");
	is_str(missing_of(list, n, "resolve"), "fix confirmed in monitoring, key customer journeys "
	       "validated, close-tickets", "statuses fresh: resolve");
	is_str(missing_of(list, n, "review"), "root cause, a corrective action, a prevention task",
	       "statuses fresh: review");
	is_int(list[0].complete, 0, "statuses fresh: classify not complete");
	step_statuses_free(list, n);
	free(id);
}

static void test_complete(struct store *st, const struct playbook *pb)
{
	char *leftovers;
	static const char *const triage[] = {
		"confirm-logs", "confirm-monitoring", "confirm-synthetic", "isolate", "flag-rollback",
		"rate-limit",
	};
	const char *services[] = {"card authorisation"};
	struct record_fields fields = {0};
	struct wr_error err = {0};
	char *id = fixture_incident(st, "Card payments", "payments_blocked", "sev0");
	struct step_status *list;
	size_t n;

	step_classify(st, pb, id, "outage", "global", NULL, NULL, &err);
	step_set_severity(st, pb, id, "sev0", NULL, NULL, &err);
	fields.detection_source = "monitoring";
	fields.add_services = services;
	fields.n_add_services = 1;
	step_record(st, pb, id, &fields, NULL, &err);
	for (size_t i = 0; i < sizeof triage / sizeof triage[0]; i++)
		checklist_mark(st, pb, id, "triage", triage[i], 0, NULL, &err);
	step_impact(st, pb, id, "card payments", "some customers", "2018-06-01T13:35Z",
		    "investigating", NULL, &err);
	step_validate(st, pb, id, "journeys", "all four journeys pass", &err);
	action_add(st, id, "corrective", "bob", "2018-07-01", "Fix failover", NULL, &err);

	step_statuses(st, pb, id, &list, &n, &err);
	is_int(complete_of(list, n, "classify"), 1, "statuses: classify complete");
	ok(find(list, n, "classify") && !find(list, n, "classify")->missing,
	   "statuses: complete has no missing");
	is_int(complete_of(list, n, "severity"), 1, "statuses: severity complete");
	is_int(complete_of(list, n, "record"), 1, "statuses: record complete");
	is_str(missing_of(list, n, "triage"), "failover", "statuses: one triage item left");
	is_int(complete_of(list, n, "impact"), 1, "statuses: impact complete");
	is_str(missing_of(list, n, "resolve"), "fix confirmed in monitoring, close-tickets",
	       "statuses: one validation left");
	is_str(missing_of(list, n, "review"), "root cause, a prevention task",
	       "statuses: corrective action counted");
	step_statuses_free(list, n);
	leftovers = step_resolve_leftovers(st, pb, id);
	is_str(leftovers, "fix confirmed in monitoring, close-tickets", "leftovers: resolve step open");
	free(leftovers);

	checklist_mark(st, pb, id, "triage", "failover", 1, "no standby site", &err);
	step_validate(st, pb, id, "monitoring", "decline rate normal", &err);
	leftovers = step_resolve_leftovers(st, pb, id);
	is_str(leftovers, "close-tickets", "leftovers: only the checklist item");
	free(leftovers);
	checklist_mark(st, pb, id, "resolve", "close-tickets", 0, NULL, &err);
	ok(step_resolve_leftovers(st, pb, id) == NULL, "leftovers: none once marked");
	review_root_cause(st, id, "Stale failover address", &err);
	action_add(st, id, "prevention", "carol", "2018-08-01", "Monthly failover test", NULL, &err);

	step_statuses(st, pb, id, &list, &n, &err);
	is_int(complete_of(list, n, "triage"), 1, "statuses: not applicable counts as marked");
	is_int(complete_of(list, n, "resolve"), 1, "statuses: resolve complete");
	is_int(complete_of(list, n, "review"), 1, "statuses: review complete");
	step_statuses_free(list, n);
	free(id);
}

static void test_security(struct store *st, const struct playbook *pb)
{
	struct wr_error err = {0};
	char *id = fixture_incident(st, "Online and mobile banking", "unusual_login_spike", "sev2");
	struct step_status *list;
	size_t n;

	step_statuses(st, pb, id, &list, &n, &err);
	is_int((long long)n, 8, "statuses security: an extra entry");
	is_str(n == 8 ? list[7].step_id : NULL, "security", "statuses security: last");
	is_str(missing_of(list, n, "security"), "contain, preserve, notify, need-to-know, "
	       "safe-language", "statuses security: every action missing");
	step_statuses_free(list, n);

	checklist_mark(st, pb, id, "security", "contain", 0, NULL, &err);
	checklist_mark(st, pb, id, "security", "preserve", 0, NULL, &err);
	checklist_mark(st, pb, id, "security", "notify", 0, NULL, &err);
	checklist_mark(st, pb, id, "security", "need-to-know", 0, NULL, &err);
	checklist_mark(st, pb, id, "security", "safe-language", 1, "not public", &err);
	step_statuses(st, pb, id, &list, &n, &err);
	is_int(complete_of(list, n, "security"), 1, "statuses security: complete when all marked");
	step_statuses_free(list, n);
	free(id);
}

/* Every field the playbook loader accepts in `required` must be one step_statuses can check. */
static void test_known_fields(struct store *st, struct playbook *pb)
{
	static char unknown_name[] = "colour";
	struct wr_error err = {0};
	char *id = fixture_incident(st, "Card payments", "", NULL);
	struct step_status *list;
	char **saved = pb->steps[0].required;
	size_t saved_n = pb->steps[0].n_required, count = 0;
	char *unknown[] = {unknown_name};
	size_t n;
	int rc;

	while (playbook_record_fields[count])
		count++;
	pb->steps[0].required = (char **)playbook_record_fields;
	pb->steps[0].n_required = count;

	rc = step_statuses(st, pb, id, &list, &n, &err);
	is_int(rc, 0, "statuses: every known record field is checked");
	if (rc == 0)
		step_statuses_free(list, n);

	pb->steps[0].required = unknown;
	pb->steps[0].n_required = 1;
	memset(&err, 0, sizeof err);
	rc = step_statuses(st, pb, id, &list, &n, &err);
	is_int(rc, -1, "statuses unknown field: returns -1");
	is_int(err.status, WR_BAD_INPUT, "statuses unknown field: status");

	pb->steps[0].required = saved;
	pb->steps[0].n_required = saved_n;

	memset(&err, 0, sizeof err);
	rc = step_statuses(st, pb, "INC-1999-0001", &list, &n, &err);
	is_int(rc, -1, "statuses unknown incident: returns -1");
	free(id);
}

int main(void)
{
	struct playbook *pb;
	struct store *st;

	fixture_setup();
	pb = test_playbook();
	st = test_store();

	test_fresh(st, pb);
	test_complete(st, pb);
	test_security(st, pb);
	test_known_fields(st, pb);

	store_close(st);
	playbook_free(pb);
	return tap_done();
}
