/* Set-up shared by the output tests; see outputs_fixture.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "import.h"
#include "outputs_fixture.h"
#include "steps.h"
#include "testlib.h"
#include "updates.h"

void outputs_must(int rc, const char *what, const struct wr_error *err)
{
	if (rc == 0)
		return;
	fprintf(stderr, "outputs fixture: %s: %s\n", what, err->message);
	exit(99);
}

void outputs_setup(const char *iso)
{
	setenv("WARROOM_ACTOR", "alice", 1);
	setenv("TZ", "UTC", 1);
	tzset();
	outputs_clock(iso);
}

void outputs_clock(const char *iso)
{
	setenv("WARROOM_NOW", iso, 1);
}

struct guard *outputs_guard(const struct playbook *pb)
{
	struct wr_error err = {0};
	struct strbuf problems;
	struct guard *guard;

	sb_init(&problems);
	guard = guard_load(pb, &problems, &err);
	if (!guard) {
		fprintf(stderr, "outputs fixture: guardrails do not load:\n%s\n",
			problems.len ? problems.data : err.message);
		exit(99);
	}
	sb_free(&problems);
	return guard;
}

char *outputs_import(struct store *st, const struct playbook *pb, const char *name)
{
	struct import_result *results = NULL;
	struct wr_error err = {0};
	char path[4096];
	size_t n = 0;
	char *id;

	if (strchr(name, '/'))
		snprintf(path, sizeof path, "%s", name);
	else
		snprintf(path, sizeof path, "%s/tests/fixtures/%s.json", test_srcdir(), name);
	outputs_must(import_file(st, pb, path, &results, &n, NULL, NULL, &err), path, &err);
	if (n != 1 || !results[0].id) {
		fprintf(stderr, "outputs fixture: %s: expected one new incident\n", path);
		exit(99);
	}
	id = xstrdup(results[0].id);
	import_results_free(results, n);
	return id;
}

long long outputs_update(struct store *st, const struct playbook *pb, const struct guard *guard,
			 const char *id, const char *audience, const char *text, int approve,
			 int publish, const char *override)
{
	struct wr_error err = {0};
	long long uid;

	outputs_must(update_draft(st, pb, id, audience, text, &uid, &err), "update_draft", &err);
	if (approve)
		outputs_must(update_approve(st, pb, guard, uid, override, &err), "update_approve",
			     &err);
	if (publish)
		outputs_must(update_publish_with(st, NULL, uid, &err), "update_publish", &err);
	return uid;
}

/* Steps 1 to 5 up to the first published update. */
static void walk_open(struct store *st, const struct playbook *pb, const char *id)
{
	struct record_fields record = {0};
	struct wr_error err = {0};
	long long confirmed, rejected;

	outputs_clock("2018-06-01T13:56:00Z");
	outputs_must(step_classify(st, pb, id, "outage", "global", NULL, NULL, &err), "classify",
		     &err);
	outputs_must(step_set_severity(st, pb, id, "sev1", WALK_SEVERITY_REASON, NULL, &err),
		     "severity", &err);
	record.started_at = "2018-06-01T13:20:00Z";
	record.commander = "alice";
	outputs_must(step_record(st, pb, id, &record, NULL, &err), "record", &err);
	outputs_must(hypothesis_add(st, id, WALK_CONFIRMED, &confirmed, &err), "hypothesis", &err);
	outputs_must(hypothesis_add(st, id, WALK_UNCONFIRMED, NULL, &err), "hypothesis", &err);
	outputs_must(hypothesis_add(st, id, WALK_REJECTED, &rejected, &err), "hypothesis", &err);
	outputs_must(checklist_mark(st, pb, id, "triage", "confirm-logs", 0, NULL, &err),
		     "checklist", &err);

	outputs_clock("2018-06-01T13:58:00Z");
	outputs_must(step_impact(st, pb, id, "card payments", "some customers paying by card",
				 "2018-06-01T13:35:00Z", "investigating", NULL, &err),
		     "impact", &err);

	outputs_clock("2018-06-01T14:00:00Z");
	outputs_must(hypothesis_decide(st, id, confirmed, "confirmed", "seen in the switch logs",
				       &err), "confirm", &err);
	outputs_must(hypothesis_decide(st, id, rejected, "rejected", NULL, &err), "reject", &err);
}

char *outputs_walk(struct store *st, const struct playbook *pb, const struct guard *guard)
{
	const char *const card_types[] = {"card", "contactless"};
	const char *const open_types[] = {WALK_OPEN_WINDOW_TYPE};
	struct wr_error err = {0};
	long long wid, aid;
	char *id;

	outputs_clock("2018-06-01T13:55:00Z");
	id = outputs_import(st, pb, "card-auth-switch-failure");
	walk_open(st, pb, id);

	outputs_clock("2018-06-01T14:02:00Z");
	outputs_update(st, pb, guard, id, "cs", WALK_CS_FIRST, 1, 1, NULL);

	outputs_clock("2018-06-01T14:10:00Z");
	outputs_update(st, pb, guard, id, "marketing", WALK_MARKETING, 1, 0, NULL);
	outputs_update(st, pb, guard, id, "marketing", WALK_DRAFT_MARKETING, 0, 0, NULL);
	outputs_update(st, pb, guard, id, "cs", WALK_DRAFT_CS, 0, 0, NULL);

	outputs_clock("2018-06-01T14:30:00Z");
	outputs_must(step_mitigate(st, id, NULL, "failed over to the backup switch", &err), "mitigate",
		     &err);

	outputs_clock("2018-06-01T14:55:00Z");
	outputs_must(window_add(st, id, WALK_WINDOW_FROM, WALK_WINDOW_TO, card_types, 2, 1, &wid,
				&err), "window", &err);

	outputs_clock("2018-06-01T15:17:00Z");
	outputs_update(st, pb, guard, id, "cs", WALK_CS_LATEST, 1, 1, WALK_OVERRIDE_REASON);

	outputs_clock("2018-06-01T15:20:00Z");
	outputs_must(window_add(st, id, WALK_OPEN_WINDOW_FROM, "2018-06-01T15:10:00Z", open_types,
				1, 0, &wid, &err), "window", &err);

	outputs_clock("2018-06-01T15:30:00Z");
	outputs_must(step_validate(st, pb, id, "monitoring", "decline rate back to 1.1%", &err),
		     "validate", &err);
	outputs_must(step_validate(st, pb, id, "journeys", "chip-and-PIN and contactless tested",
				   &err), "validate", &err);

	outputs_clock("2018-06-01T15:40:00Z");
	outputs_must(step_resolve(st, pb, id, NULL, NULL, &err), "resolve", &err);
	outputs_must(review_root_cause(st, id, WALK_ROOT_CAUSE, &err), "root cause", &err);
	outputs_must(action_add(st, id, "corrective", "payments platform team", "2018-06-15",
				"Add capacity to the scheme link", &aid, &err), "action", &err);
	outputs_must(action_done(st, id, aid, &err), "action done", &err);
	outputs_must(action_add(st, id, "prevention", "site reliability", "2018-07-01",
				"Test switch failover every month", NULL, &err), "action", &err);
	outputs_must(decision_add(st, id, WALK_DECISION, &err), "decision", &err);
	return id;
}

int outputs_count(const char *haystack, const char *needle)
{
	int count = 0;

	for (const char *p = haystack; (p = strstr(p, needle)); p += strlen(needle))
		count++;
	return count;
}
