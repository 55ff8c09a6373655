/*
 * Unit tests for the commander's lease and handovers: acquiring, renewing,
 * rejecting a live holder, takeover, stale leases by heartbeat age and by
 * ended process, heartbeat, release, handovers and their rejections, the
 * lease settings, and two processes acquiring at once.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lease.h"
#include "settings.h"
#include "step_fixture.h"
#include "tap.h"
#include "testlib.h"

/* A host name that is never this machine's, so the process check does not apply. */
#define REMOTE_HOST "jump1.test.invalid"

/* Fills H by hand for a person on HOST with PID. */
static void holder(struct lease_holder *h, const char *name, const char *host, long pid)
{
	memset(h, 0, sizeof *h);
	snprintf(h->name, sizeof h->name, "%s", name);
	snprintf(h->host, sizeof h->host, "%s", host);
	h->pid = pid;
}

/* Makes NAME the actor of the next changes, as that person's own warroom would. */
static void act_as(const char *name)
{
	setenv("WARROOM_ACTOR", name, 1);
}

static void set_now(const char *iso)
{
	setenv("WARROOM_NOW", iso, 1);
}

/* Returns the pid of a process that has ended and been reaped. */
static long ended_pid(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	return (long)pid;
}

static void test_acquire_and_refresh(struct store *st)
{
	struct wr_error err = {0};
	struct lease_holder alice;
	struct lease found, now;
	char *id = fixture_incident(st, "Card payments", "", NULL);
	int before, rc;

	holder(&alice, "alice", REMOTE_HOST, 1001);
	before = fixture_events(st, id);
	rc = lease_acquire(st, id, &alice, 90, 0, NULL, &found, &err);
	is_int(rc, 0, "acquire free: returns 0");
	is_int(found.held, 0, "acquire free: nobody held it");
	is_int(fixture_events(st, id), before + 1, "acquire free: one event");
	is_str(fixture_last_kind(st, id), "command-taken", "acquire free: event kind");
	is_str(fixture_last_details(st, id), "command taken by alice@" REMOTE_HOST " (pid 1001)",
	       "acquire free: event details");

	rc = lease_get(st, id, 90, &now, &err);
	is_int(rc, 0, "lease get: returns 0");
	is_int(now.held, 1, "lease get: held");
	is_str(now.holder.name, "alice", "lease get: holder name");
	is_str(now.holder.host, REMOTE_HOST, "lease get: holder host");
	is_int(now.holder.pid, 1001, "lease get: holder pid");
	is_int(now.stale, 0, "lease get: live");
	is_int(now.age, 0, "lease get: seen now");

	/* A minute later the same process renews: heartbeat moves, taken_at stays, no event. */
	set_now("2018-06-01T15:01:00Z");
	before = fixture_events(st, id);
	rc = lease_acquire(st, id, &alice, 90, 0, NULL, &found, &err);
	is_int(rc, 0, "acquire own: returns 0");
	is_int(found.held, 1, "acquire own: found held");
	ok(lease_holder_same(&found.holder, &alice), "acquire own: found is me");
	is_int(fixture_events(st, id), before, "acquire own: no event");
	lease_get(st, id, 90, &now, &err);
	is_int((long long)(now.heartbeat_at - now.taken_at), 60, "acquire own: heartbeat renewed");

	set_now("2018-06-01T15:02:00Z");
	rc = lease_heartbeat(st, id, &alice, &err);
	is_int(rc, 0, "heartbeat: returns 0");
	is_int(fixture_events(st, id), before, "heartbeat: no event");
	lease_get(st, id, 90, &now, &err);
	is_int((long long)(now.heartbeat_at - now.taken_at), 120, "heartbeat: time stored");

	set_now(FIXTURE_NOW);
	free(id);
}

static void test_reject_and_takeover(struct store *st)
{
	struct wr_error err = {0};
	struct lease_holder alice, bob;
	struct lease found, now;
	char *id = fixture_incident(st, "Card payments", "", NULL);
	int before, rc;

	holder(&alice, "alice", REMOTE_HOST, 1001);
	holder(&bob, "bob", "jump2.test.invalid", 4242);
	set_now("2018-06-01T10:02:00Z");
	lease_acquire(st, id, &alice, 90, 0, NULL, NULL, &err);

	/* Five seconds later bob tries: alice is live, so he is rejected with her facts. */
	set_now("2018-06-01T10:02:05Z");
	act_as("bob");
	before = fixture_events(st, id);
	memset(&err, 0, sizeof err);
	rc = lease_acquire(st, id, &bob, 90, 0, NULL, &found, &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "acquire live");
	is_int(found.held, 1, "acquire live: found held");
	is_str(found.holder.name, "alice", "acquire live: holder name");
	is_str(found.holder.host, REMOTE_HOST, "acquire live: holder host");
	is_int(found.holder.pid, 1001, "acquire live: holder pid");
	is_int(found.age, 5, "acquire live: last seen 5 s ago");
	is_int(found.stale, 0, "acquire live: not stale");
	ok(strstr(err.message, "is commanded by alice on " REMOTE_HOST " (pid 1001) since "
		  "2018-06-01T10:02:00Z, last seen 5 s ago") != NULL, "acquire live: message");

	/* At the limit exactly the lease is still live. */
	set_now("2018-06-01T10:03:30Z");
	memset(&err, 0, sizeof err);
	rc = lease_acquire(st, id, &bob, 90, 0, NULL, &found, &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "acquire at limit");

	memset(&err, 0, sizeof err);
	rc = lease_acquire(st, id, &bob, 90, 1, "  ", &found, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "takeover blank reason");
	ok(strstr(err.message, "a takeover needs a reason") != NULL,
	   "takeover blank reason: message");

	rc = lease_acquire(st, id, &bob, 90, 1, " alice unreachable by phone ", &found, &err);
	is_int(rc, 0, "takeover: returns 0");
	is_str(found.holder.name, "alice", "takeover: found the old holder");
	is_int(fixture_events(st, id), before + 1, "takeover: one event");
	is_str(fixture_last_kind(st, id), "command-taken-over", "takeover: event kind");
	is_str(fixture_last_details(st, id), "command taken over from alice@" REMOTE_HOST
	       " (pid 1001) by bob@jump2.test.invalid (pid 4242): alice unreachable by phone",
	       "takeover: event details");
	lease_get(st, id, 90, &now, &err);
	ok(lease_holder_same(&now.holder, &bob), "takeover: bob holds it");

	/* Alice's console notices on its next heartbeat and release. */
	act_as("alice");
	before = fixture_events(st, id);
	memset(&err, 0, sizeof err);
	rc = lease_heartbeat(st, id, &alice, &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "heartbeat after takeover");
	ok(strstr(err.message, "does not command") && strstr(err.message, "bob on jump2"),
	   "heartbeat after takeover: names bob");
	lease_get(st, id, 90, &now, &err);
	ok(lease_holder_same(&now.holder, &bob), "heartbeat after takeover: lease kept");

	memset(&err, 0, sizeof err);
	rc = lease_release(st, id, &alice, &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "release by non-holder");

	set_now(FIXTURE_NOW);
	free(id);
}

static void test_stale(struct store *st)
{
	struct wr_error err = {0};
	struct lease_holder bob, carol, dave, erin, self;
	struct lease found, now;
	char *id = fixture_incident(st, "Card payments", "", NULL);
	int before, rc;

	/* Stale by heartbeat age: 91 s without a heartbeat against a 90 s limit. */
	holder(&bob, "bob", REMOTE_HOST, 4242);
	holder(&carol, "carol", "jump3.test.invalid", 77);
	set_now("2018-06-01T10:02:00Z");
	act_as("bob");
	lease_acquire(st, id, &bob, 90, 0, NULL, NULL, &err);
	set_now("2018-06-01T10:03:31Z");
	act_as("carol");
	rc = lease_get(st, id, 90, &now, &err);
	is_int(now.stale, 1, "stale age: lease get says stale");
	is_int(now.pid_gone, 0, "stale age: remote process not checked");
	before = fixture_events(st, id);
	rc = lease_acquire(st, id, &carol, 90, 0, NULL, &found, &err);
	is_int(rc, 0, "stale age: taken without takeover");
	is_int(found.stale, 1, "stale age: found stale");
	is_int(fixture_events(st, id), before + 1, "stale age: one event");
	is_str(fixture_last_kind(st, id), "command-taken", "stale age: event kind");
	is_str(fixture_last_details(st, id), "command taken by carol@jump3.test.invalid (pid 77) "
	       "from a stale lease (bob@" REMOTE_HOST ", pid 4242, last seen 2018-06-01T10:02:00Z)",
	       "stale age: event details");

	/* A longer stale limit keeps the same heartbeat age live. */
	set_now("2018-06-01T10:05:00Z");
	lease_get(st, id, 300, &now, &err);
	is_int(now.stale, 0, "stale limit 300: live at 89 s");

	/* Stale by ended process on this host, with a fresh heartbeat. */
	lease_holder_self(&dave, ended_pid(), &err);
	snprintf(dave.name, sizeof dave.name, "dave");
	holder(&erin, "erin", REMOTE_HOST, 5);
	act_as("dave");
	rc = lease_acquire(st, id, &dave, 90, 1, "carol went home", NULL, &err);
	is_int(rc, 0, "takeover by dave: returns 0");
	act_as("erin");
	rc = lease_get(st, id, 90, &now, &err);
	is_int(now.pid_gone, 1, "ended process: pid gone");
	is_int(now.stale, 1, "ended process: stale");
	is_int(now.age, 0, "ended process: heartbeat fresh");
	before = fixture_events(st, id);
	rc = lease_acquire(st, id, &erin, 90, 0, NULL, &found, &err);
	is_int(rc, 0, "ended process: taken without takeover");
	is_int(fixture_events(st, id), before + 1, "ended process: one event");
	ok(strstr(fixture_last_details(st, id), "from a stale lease (dave@") != NULL,
	   "ended process: stale lease logged");
	ok(strstr(fixture_last_details(st, id), "process ended)") != NULL,
	   "ended process: reason logged");

	/* A live process on this host keeps its lease: this test program's own pid. */
	lease_holder_self(&self, (long)getpid(), &err);
	snprintf(self.name, sizeof self.name, "frank");
	act_as("frank");
	rc = lease_acquire(st, id, &self, 90, 1, "erin asked me to", NULL, &err);
	is_int(rc, 0, "takeover by frank: returns 0");
	act_as("erin");
	before = fixture_events(st, id);
	memset(&err, 0, sizeof err);
	rc = lease_acquire(st, id, &erin, 90, 0, NULL, &found, &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "live local process");
	is_int(found.pid_gone, 0, "live local process: pid exists");

	set_now(FIXTURE_NOW);
	act_as("alice");
	free(id);
}

static void test_release(struct store *st)
{
	struct wr_error err = {0};
	struct lease_holder alice, other_pid;
	struct lease now;
	char *id = fixture_incident(st, "Card payments", "", NULL);
	int before, rc;

	holder(&alice, "alice", REMOTE_HOST, 1001);
	holder(&other_pid, "alice", REMOTE_HOST, 1002);

	before = fixture_events(st, id);
	memset(&err, 0, sizeof err);
	rc = lease_release(st, id, &alice, &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "release unheld");
	ok(strstr(err.message, "nobody does") != NULL, "release unheld: message");

	lease_acquire(st, id, &alice, 90, 0, NULL, NULL, &err);
	before = fixture_events(st, id);
	memset(&err, 0, sizeof err);
	rc = lease_release(st, id, &other_pid, &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "release by other process");

	rc = lease_release(st, id, &alice, &err);
	is_int(rc, 0, "release: returns 0");
	is_int(fixture_events(st, id), before + 1, "release: one event");
	is_str(fixture_last_kind(st, id), "command-released", "release: event kind");
	is_str(fixture_last_details(st, id), "command released by alice@" REMOTE_HOST " (pid 1001)",
	       "release: event details");
	lease_get(st, id, 90, &now, &err);
	is_int(now.held, 0, "release: nobody holds it");

	memset(&err, 0, sizeof err);
	rc = lease_get(st, "INC-2018-9999", 90, &now, &err);
	is_int(rc, -1, "lease get unknown: returns -1");
	is_int(err.status, WR_BAD_INPUT, "lease get unknown: status");
	memset(&err, 0, sizeof err);
	rc = lease_acquire(st, "INC-2018-9999", &alice, 90, 0, NULL, NULL, &err);
	is_int(err.status, WR_BAD_INPUT, "acquire unknown: status");
	memset(&err, 0, sizeof err);
	rc = lease_acquire(st, id, &alice, 0, 0, NULL, NULL, &err);
	check_rejected(st, id, before + 1, rc, err, WR_BAD_INPUT, "acquire zero limit");
	other_pid.pid = 0;
	memset(&err, 0, sizeof err);
	rc = lease_acquire(st, id, &other_pid, 90, 0, NULL, NULL, &err);
	check_rejected(st, id, before + 1, rc, err, WR_BAD_INPUT, "acquire pid 0");
	free(id);
}

static void test_handover(struct store *st, const struct playbook *pb)
{
	struct wr_error err = {0};
	struct lease_holder alice, carol, dave;
	struct handover *list;
	struct lease now;
	char *id = fixture_incident(st, "Card payments", "", "sev1");
	long long hid = 0;
	size_t n;
	int before, rc;

	holder(&alice, "alice", REMOTE_HOST, 1001);
	holder(&carol, "carol", "jump3.test.invalid", 77);
	holder(&dave, "dave", "jump4.test.invalid", 88);
	hypothesis_add(st, id, "Backup switch failover is misconfigured", NULL, &err);

	before = fixture_events(st, id);
	memset(&err, 0, sizeof err);
	rc = handover_start(st, pb, id, &alice, "carol", NULL, &hid, &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "handover unheld");

	lease_acquire(st, id, &alice, 90, 0, NULL, NULL, &err);
	before = fixture_events(st, id);
	memset(&err, 0, sizeof err);
	rc = handover_start(st, pb, id, &alice, " alice ", NULL, &hid, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "handover to self");
	memset(&err, 0, sizeof err);
	rc = handover_start(st, pb, id, &alice, "", NULL, &hid, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "handover to nobody");
	act_as("dave");
	memset(&err, 0, sizeof err);
	rc = handover_start(st, pb, id, &dave, "carol", NULL, &hid, &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "handover by non-holder");
	act_as("alice");

	rc = handover_start(st, pb, id, &alice, "carol", NULL, &hid, &err);
	is_int(rc, 0, "handover start: returns 0");
	ok(hid > 0, "handover start: id set");
	is_int(fixture_events(st, id), before + 1, "handover start: one event");
	is_str(fixture_last_kind(st, id), "handover-started", "handover start: event kind");
	lease_get(st, id, 90, &now, &err);
	ok(lease_holder_same(&now.holder, &alice), "handover start: lease stays");

	rc = handover_list(st, id, &list, &n, &err);
	is_int(rc, 0, "handover list: returns 0");
	is_int((long long)n, 1, "handover list: one");
	is_str(n ? list[0].state : NULL, "pending", "handover list: pending");
	is_str(n ? list[0].from_holder : NULL, "alice", "handover list: from");
	is_str(n ? list[0].to_holder : NULL, "carol", "handover list: to");
	ok(n && strstr(list[0].brief, "Severity: not set (suggested sev1)\n"),
	   "default brief: severity");
	ok(n && strstr(list[0].brief, "Status: open\n"), "default brief: status");
	ok(n && strstr(list[0].brief, "Open steps:\n  1 classify missing: category"),
	   "default brief: open steps");
	ok(n && strstr(list[0].brief, "  1. Backup switch failover is misconfigured\n"),
	   "default brief: hypotheses");
	ok(n && strstr(list[0].brief, "Next status updates:\n"), "default brief: cadence");
	handover_list_free(list, n);

	/* The wrong person cannot acknowledge; the lease stays with alice. */
	act_as("dave");
	before = fixture_events(st, id);
	memset(&err, 0, sizeof err);
	rc = handover_acknowledge(st, id, hid, &dave, &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "ack wrong person");
	ok(strstr(err.message, "is to carol, not to dave") != NULL, "ack wrong person: message");
	lease_get(st, id, 90, &now, &err);
	ok(lease_holder_same(&now.holder, &alice), "ack wrong person: lease stays");
	memset(&err, 0, sizeof err);
	rc = handover_acknowledge(st, id, hid + 100, &dave, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "ack unknown handover");

	act_as("carol");
	rc = handover_acknowledge(st, id, hid, &carol, &err);
	is_int(rc, 0, "ack: returns 0");
	is_int(fixture_events(st, id), before + 1, "ack: one event");
	is_str(fixture_last_kind(st, id), "handover-acknowledged", "ack: event kind");
	is_str(fixture_last_details(st, id), "handover 1 acknowledged: command passed from alice "
	       "to carol@jump3.test.invalid (pid 77)", "ack: event details");
	lease_get(st, id, 90, &now, &err);
	ok(lease_holder_same(&now.holder, &carol), "ack: lease moved to carol");

	before = fixture_events(st, id);
	memset(&err, 0, sizeof err);
	rc = handover_acknowledge(st, id, hid, &carol, &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "ack twice");

	/* A newer handover replaces a pending one. */
	rc = handover_start(st, pb, id, &carol, "alice", "Call the card scheme at 16:00.", &hid,
			    &err);
	is_int(rc, 0, "handover with brief: returns 0");
	rc = handover_start(st, pb, id, &carol, "dave", NULL, NULL, &err);
	is_int(rc, 0, "second handover: returns 0");
	handover_list(st, id, &list, &n, &err);
	is_int((long long)n, 3, "handover list: three");
	is_str(n == 3 ? list[0].state : NULL, "acknowledged", "handover list: first acknowledged");
	is_str(n == 3 ? list[1].state : NULL, "replaced", "handover list: second replaced");
	is_str(n == 3 ? list[1].brief : NULL, "Call the card scheme at 16:00.",
	       "handover list: given brief kept");
	is_str(n == 3 ? list[2].state : NULL, "pending", "handover list: third pending");
	handover_list_free(list, n);
	act_as("alice");
	before = fixture_events(st, id);
	memset(&err, 0, sizeof err);
	rc = handover_acknowledge(st, id, hid, &alice, &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "ack replaced");

	/* Once someone else takes command, the pending handover to dave is outdated. */
	rc = lease_acquire(st, id, &alice, 90, 1, "carol lost her connection", NULL, &err);
	is_int(rc, 0, "takeover during handover: returns 0");
	act_as("dave");
	before = fixture_events(st, id);
	memset(&err, 0, sizeof err);
	rc = handover_acknowledge(st, id, hid + 1, &dave, &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "ack outdated");
	ok(strstr(err.message, "outdated") != NULL, "ack outdated: message");
	lease_get(st, id, 90, &now, &err);
	ok(lease_holder_same(&now.holder, &alice), "ack outdated: lease stays");

	act_as("alice");
	free(id);
}

/* Writes TEXT as a settings file and loads it. */
static struct settings *settings_text(const char *name, const char *text, struct strbuf *problems)
{
	char path[600];
	struct wr_error err = {0};
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", test_tmpdir(), name);
	f = fopen(path, "w");
	if (!f)
		return NULL;
	fputs(text, f);
	fclose(f);
	sb_init(problems);
	return settings_load(path, problems, &err);
}

static void test_settings(void)
{
	struct strbuf problems;
	struct settings *s;

	s = settings_text("lease-default.cfg", "display_name = \"Dana\";\n", &problems);
	ok(s != NULL, "lease settings default: loads");
	is_int(s ? s->lease_heartbeat_seconds : 0, 15, "lease settings default: heartbeat");
	is_int(s ? s->lease_stale_seconds : 0, 90, "lease settings default: stale");
	settings_free(s);
	sb_free(&problems);

	s = settings_text("lease-set.cfg", "lease_heartbeat_seconds = 30;\n"
			  "lease_stale_seconds = 120;\n", &problems);
	ok(s != NULL, "lease settings set: loads");
	is_int(s ? s->lease_heartbeat_seconds : 0, 30, "lease settings set: heartbeat");
	is_int(s ? s->lease_stale_seconds : 0, 120, "lease settings set: stale");
	settings_free(s);
	sb_free(&problems);

	s = settings_text("lease-short.cfg", "lease_heartbeat_seconds = 60;\n", &problems);
	ok(s == NULL, "lease settings short stale: rejected");
	ok(problems.data && strstr(problems.data, "lease-short.cfg:1: lease_stale_seconds (90) is "
				   "less than twice lease_heartbeat_seconds (60)"),
	   "lease settings short stale: problem");
	settings_free(s);
	sb_free(&problems);

	s = settings_text("lease-zero.cfg", "lease_stale_seconds = 0;\n", &problems);
	ok(s == NULL, "lease settings zero: rejected");
	ok(problems.data && strstr(problems.data, "lease_stale_seconds"),
	   "lease settings zero: names the field");
	settings_free(s);
	sb_free(&problems);
}

/*
 * Two processes, each with its own connection, acquire the same free lease
 * at once, in 20 rounds. Exactly one wins each round, the other gets an
 * error that names the winner, and one event is written.
 */
static void test_race(struct store *st)
{
	const int rounds = 20;
	int single_winner = 0, single_event = 0;

	for (int r = 0; r < rounds; r++) {
		char *id = fixture_incident(st, "Card payments", "", NULL);
		int before = fixture_events(st, id);
		int wins = 0;
		pid_t kids[2];

		for (int k = 0; k < 2; k++) {
			kids[k] = fork();
			if (kids[k] == 0) {
				struct wr_error err = {0};
				struct lease_holder me;
				struct store *mine = store_open(store_path(st), 0, &err);
				int rc;

				holder(&me, k ? "bob" : "carol", REMOTE_HOST, 100 + k);
				rc = mine ? lease_acquire(mine, id, &me, 90, 0, NULL, NULL, &err) : -1;
				store_close(mine);
				free(id);
				/*
				 * The loser must see the winner's lease, not a busy
				 * database. _exit: the parent's exit handlers remove
				 * the test folder.
				 */
				if (rc == 0)
					_exit(0);
				_exit(strstr(err.message, "is commanded by bob") ||
				      strstr(err.message, "is commanded by carol") ? 1 : 2);
			}
		}
		for (int k = 0; k < 2; k++) {
			int status = 0;

			waitpid(kids[k], &status, 0);
			if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
				wins++;
			else if (!WIFEXITED(status) || WEXITSTATUS(status) != 1)
				wins = 100;
		}
		single_winner += wins == 1;
		single_event += fixture_events(st, id) == before + 1;
		free(id);
	}
	is_int(single_winner, rounds, "race: one winner per round");
	is_int(single_event, rounds, "race: one event per round");
}

int main(void)
{
	struct playbook *pb;
	struct store *st;

	fixture_setup();
	pb = test_playbook();
	st = test_store();

	test_acquire_and_refresh(st);
	test_reject_and_takeover(st);
	test_stale(st);
	test_release(st);
	test_handover(st, pb);
	test_settings();
	test_race(st);

	store_close(st);
	playbook_free(pb);
	return tap_done();
}
