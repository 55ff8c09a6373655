/* Unit tests for the update cadence: due and overdue boundaries, when no cadence applies, the clock's start. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadence.h"
#include "settings.h"
#include "tap.h"
#include "testlib.h"
#include "updates.h"

#define T0 "2025-03-04T10:00:00Z"

static time_t at(const char *iso)
{
	time_t t = 0;

	if (time_parse_iso8601(iso, &t) != 0) {
		fprintf(stderr, "bad time in test: %s\n", iso);
		exit(99);
	}
	return t;
}

/* An incident in memory: SEVERITY (may be NULL), STATUS, started at T0. */
static struct incident incident_in_memory(const char *severity, const char *status)
{
	struct incident inc = {0};

	inc.id = "INC-2025-0001";
	inc.severity = (char *)severity;
	inc.status = (char *)status;
	inc.started_at = T0;
	inc.created_at = "2025-03-04T10:05:00Z";
	return inc;
}

static void test_sev0_boundaries(const struct playbook *pb)
{
	struct incident inc = incident_in_memory("sev0", "open");
	struct cadence c;

	c = cadence_for(pb, &inc, "cs", 0, at("2025-03-04T10:29:59Z"));
	is_int(c.applies, 1, "sev0 cs: cadence applies");
	is_int(c.state, CADENCE_OK, "sev0 cs: ok one second before due");
	is_int(c.seconds_left, 1, "sev0 cs: one second left before due");
	is_int(c.last, at(T0), "sev0 cs: clock starts at started_at");
	is_int(c.due_at, at("2025-03-04T10:30:00Z"), "sev0 cs: due after 30 minutes");
	is_int(c.limit_at, at("2025-03-04T11:00:00Z"), "sev0 cs: limit after 60 minutes");

	c = cadence_for(pb, &inc, "cs", 0, at("2025-03-04T10:30:00Z"));
	is_int(c.state, CADENCE_DUE, "sev0 cs: due exactly at 30 minutes");
	is_int(c.seconds_left, 1800, "sev0 cs: due counts down to the limit");

	c = cadence_for(pb, &inc, "cs", 0, at("2025-03-04T11:00:00Z"));
	is_int(c.state, CADENCE_DUE, "sev0 cs: still due exactly at the limit");
	is_int(c.seconds_left, 0, "sev0 cs: no time left at the limit");

	c = cadence_for(pb, &inc, "cs", 0, at("2025-03-04T11:00:01Z"));
	is_int(c.state, CADENCE_OVERDUE, "sev0 cs: overdue one second past the limit");
	is_int(c.seconds_left, -1, "sev0 cs: overdue seconds are negative");

	c = cadence_for(pb, &inc, "management", 0, at("2025-03-04T10:10:00Z"));
	is_int(c.state, CADENCE_OK, "sev0 management: follows the cadence");
	is_int(c.seconds_left, 1200, "sev0 management: 20 minutes to due");
}

static void test_no_cadence(const struct playbook *pb)
{
	struct incident inc = incident_in_memory("sev2", "open");
	struct cadence c;
	time_t late = at("2025-03-04T18:00:00Z");

	c = cadence_for(pb, &inc, "cs", 0, late);
	is_int(c.applies, 0, "sev2: no cadence");
	is_int(c.state, CADENCE_NONE, "sev2: state none");
	is_int(c.due_at, 0, "sev2: no due time");

	inc = incident_in_memory("sev3", "open");
	c = cadence_for(pb, &inc, "cs", 0, late);
	is_int(c.state, CADENCE_NONE, "sev3: state none");

	inc = incident_in_memory("sev0", "resolved");
	c = cadence_for(pb, &inc, "cs", 0, late);
	is_int(c.state, CADENCE_NONE, "resolved sev0: state none");

	inc = incident_in_memory("sev0", "closed");
	c = cadence_for(pb, &inc, "cs", 0, late);
	is_int(c.state, CADENCE_NONE, "closed sev0: state none");

	inc = incident_in_memory("sev1", "mitigated");
	c = cadence_for(pb, &inc, "cs", 0, late);
	is_int(c.state, CADENCE_OVERDUE, "mitigated sev1: cadence goes on");

	inc = incident_in_memory("sev0", "open");
	c = cadence_for(pb, &inc, "marketing", 0, late);
	is_int(c.state, CADENCE_NONE, "marketing: follows no cadence");
	c = cadence_for(pb, &inc, "no-such-audience", 0, late);
	is_int(c.state, CADENCE_NONE, "unknown audience: state none");

	inc = incident_in_memory(NULL, "open");
	c = cadence_for(pb, &inc, "cs", 0, late);
	is_int(c.state, CADENCE_NONE, "no severity at all: state none");
}

static void test_suggested_severity(const struct playbook *pb)
{
	struct incident inc = incident_in_memory(NULL, "open");
	struct cadence c;

	inc.suggested_severity = "sev1";
	c = cadence_for(pb, &inc, "cs", 0, at("2025-03-04T10:45:00Z"));
	is_int(c.applies, 1, "suggested sev1: cadence applies");
	is_int(c.state, CADENCE_DUE, "suggested sev1: due after 45 minutes");

	inc.severity = "sev2";
	c = cadence_for(pb, &inc, "cs", 0, at("2025-03-04T10:45:00Z"));
	is_int(c.state, CADENCE_NONE, "set severity wins over the suggestion");
}

static void test_clock_start(const struct playbook *pb)
{
	struct incident inc = incident_in_memory("sev0", "open");
	struct cadence c;

	c = cadence_for(pb, &inc, "cs", at("2025-03-04T10:50:00Z"), at("2025-03-04T11:10:00Z"));
	is_int(c.last, at("2025-03-04T10:50:00Z"), "clock: starts at the last published update");
	is_int(c.state, CADENCE_OK, "clock: ok 20 minutes after the last update");
	is_int(c.seconds_left, 600, "clock: 10 minutes to due");

	inc.started_at = NULL;
	c = cadence_for(pb, &inc, "cs", 0, at("2025-03-04T10:35:00Z"));
	is_int(c.last, at("2025-03-04T10:05:00Z"), "clock: created_at without started_at");
	is_int(c.state, CADENCE_DUE, "clock: due 30 minutes after created_at");
}

static void test_settings_override(void)
{
	struct playbook *pb = test_playbook();
	struct incident inc = incident_in_memory("sev0", "open");
	struct strbuf problems;
	struct wr_error err = {0};
	struct settings *s;
	struct cadence c;
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/cadence.cfg", test_tmpdir());
	f = fopen(path, "w");
	if (!f)
		exit(99);
	fputs("cadence = ( { severity = \"sev0\"; update_due_minutes = 15; update_limit_minutes = 20; },\n"
	      "            { severity = \"sev2\"; update_due_minutes = 120; update_limit_minutes = 180; } );\n",
	      f);
	fclose(f);

	sb_init(&problems);
	s = settings_load(path, &problems, &err);
	ok(s != NULL, "override: settings load");
	if (!s) {
		printf("# %s\n", problems.data);
		sb_free(&problems);
		playbook_free(pb);
		return;
	}
	is_int(settings_apply_cadence(s, pb, &problems), 0, "override: applied");

	c = cadence_for(pb, &inc, "cs", 0, at("2025-03-04T10:16:00Z"));
	is_int(c.state, CADENCE_DUE, "override: sev0 due after 15 minutes");
	c = cadence_for(pb, &inc, "cs", 0, at("2025-03-04T10:20:01Z"));
	is_int(c.state, CADENCE_OVERDUE, "override: sev0 overdue after 20 minutes");

	inc.severity = "sev2";
	c = cadence_for(pb, &inc, "cs", 0, at("2025-03-04T12:30:00Z"));
	is_int(c.state, CADENCE_DUE, "override: sev2 gains a cadence");

	settings_free(s);
	sb_free(&problems);
	playbook_free(pb);
}

/* Creates a sev0 incident started at T0 in ST; returns its id, which the caller frees. */
static char *create_incident(struct store *st)
{
	struct incident *fields = xcalloc(1, sizeof *fields);
	struct wr_error err = {0};
	char *id;

	fields->summary = xstrdup("Card payments declined");
	fields->severity = xstrdup("sev0");
	fields->started_at = xstrdup(T0);
	if (store_begin(st, &err) != 0 || incident_insert(st, fields, &err) != 0 ||
	    store_commit(st, &err) != 0) {
		fprintf(stderr, "creating the test incident: %s\n", err.message);
		exit(99);
	}
	id = xstrdup(fields->id);
	incident_free(fields);
	return id;
}

static void test_cadence_all(const struct playbook *pb)
{
	struct store *st = test_store();
	struct cadence_entry *entries = NULL;
	struct wr_error err = {0};
	long long uid;
	size_t n = 0;
	char *id;

	setenv("WARROOM_NOW", "2025-03-04T10:20:00Z", 1);
	id = create_incident(st);
	if (update_draft(st, pb, id, "cs", "Card payments are failing for some customers.", &uid,
			 &err) != 0) {
		fprintf(stderr, "draft: %s\n", err.message);
		exit(99);
	}
	if (store_begin(st, &err) != 0 ||
	    sqlite3_exec(store_db(st),
			 "UPDATE updates SET state = 'published', published_at = '2025-03-04T10:20:00Z'",
			 NULL, NULL, NULL) != SQLITE_OK ||
	    store_commit(st, &err) != 0)
		exit(99);

	is_int(cadence_all(st, pb, id, at("2025-03-04T10:55:00Z"), &entries, &n, &err), 0,
	       "all: returns 0");
	is_int(n, 2, "all: one entry per cadence audience");
	if (n == 2) {
		is_str(entries[0].audience->id, "cs", "all: cs first, in playbook order");
		is_int(entries[0].cadence.last, at("2025-03-04T10:20:00Z"),
		       "all: cs clock from its published update");
		is_int(entries[0].cadence.state, CADENCE_DUE, "all: cs due 35 minutes after it");
		is_str(entries[1].audience->id, "management", "all: management second");
		is_int(entries[1].cadence.last, at(T0), "all: management clock from the start");
		is_int(entries[1].cadence.state, CADENCE_DUE, "all: management due at 55 minutes");
	}
	free(entries);

	/* The promise in a template: the due time, or a new interval once it has passed. */
	is_int(cadence_all(st, pb, id, at("2025-03-04T10:40:00Z"), &entries, &n, &err), 0,
	       "promise: cadence read");
	if (n == 2) {
		time_t interval = entries[0].cadence.due_at - entries[0].cadence.last;

		is_int(cadence_next_promise(st, pb, id, "cs", at("2025-03-04T10:40:00Z")),
		       entries[0].cadence.due_at, "promise: the due time before it passes");
		is_int(cadence_next_promise(st, pb, id, "cs", at("2025-03-04T11:30:00Z")),
		       at("2025-03-04T11:30:00Z") + interval, "promise: now plus the interval once overdue");
		is_int(cadence_next_promise(st, pb, id, "finance", at("2025-03-04T10:40:00Z")),
		       entries[0].cadence.due_at, "promise: an audience without cadence takes the first");
		ok(interval > 0, "promise: the interval is positive");
	}
	free(entries);
	is_int(cadence_next_promise(st, pb, "INC-2025-9999", "cs", at(T0)), 0,
	       "promise: unknown incident gives none");

	is_int(cadence_all(st, pb, "INC-2025-9999", at(T0), &entries, &n, &err), -1,
	       "all: unknown incident fails");
	is_int(err.status, WR_BAD_INPUT, "all: unknown incident is bad input");

	unsetenv("WARROOM_NOW");
	free(id);
	store_close(st);
}

static void test_names_and_minutes(void)
{
	is_str(cadence_state_name(CADENCE_NONE), "none", "name: none");
	is_str(cadence_state_name(CADENCE_OK), "ok", "name: ok");
	is_str(cadence_state_name(CADENCE_DUE), "due", "name: due");
	is_str(cadence_state_name(CADENCE_OVERDUE), "overdue", "name: overdue");
	is_int(cadence_minutes(0), 0, "minutes: zero");
	is_int(cadence_minutes(30), 1, "minutes: 30 s rounds up");
	is_int(cadence_minutes(60), 1, "minutes: 60 s is one");
	is_int(cadence_minutes(61), 2, "minutes: 61 s rounds up");
	is_int(cadence_minutes(-1), -1, "minutes: 1 s past is -1");
	is_int(cadence_minutes(-120), -2, "minutes: 120 s past is -2");
}

int main(void)
{
	struct playbook *pb = test_playbook();

	test_sev0_boundaries(pb);
	test_no_cadence(pb);
	test_suggested_severity(pb);
	test_clock_start(pb);
	test_settings_override();
	test_cadence_all(pb);
	test_names_and_minutes();
	playbook_free(pb);
	return tap_done();
}
