/* Unit tests for hypotheses: added unconfirmed, decided once, text never edited. */
#include <stdlib.h>
#include <string.h>

#include "step_fixture.h"
#include "tap.h"
#include "testlib.h"

static void test_lifecycle(struct store *st)
{
	struct wr_error err = {0};
	char *id = fixture_incident(st, "Card payments", "", NULL);
	struct hypothesis *list;
	long long first = 0, second = 0;
	size_t n;
	int before, rc;

	before = fixture_events(st, id);
	rc = hypothesis_add(st, id, "  Backup switch failover is misconfigured ", &first, &err);
	is_int(rc, 0, "hypothesis add: returns 0");
	ok(first > 0, "hypothesis add: id set");
	is_int(fixture_events(st, id), before + 1, "hypothesis add: one event");
	is_str(fixture_last_kind(st, id), "hypothesis-added", "hypothesis add: event kind");

	rc = hypothesis_add(st, id, "Card scheme switch capacity exhausted", &second, &err);
	is_int(rc, 0, "hypothesis add second: returns 0");

	rc = hypothesis_list(st, id, &list, &n, &err);
	is_int(rc, 0, "hypothesis list: returns 0");
	is_int((long long)n, 2, "hypothesis list: two");
	is_str(n ? list[0].text : NULL, "Backup switch failover is misconfigured",
	       "hypothesis list: text trimmed, oldest first");
	is_str(n ? list[0].status : NULL, "unconfirmed", "hypothesis list: added unconfirmed");
	is_str(n ? list[0].added_by : NULL, "alice", "hypothesis list: added by the actor");
	is_str(n ? list[0].added_at : NULL, FIXTURE_NOW, "hypothesis list: added at now");
	ok(n && list[0].decided_at == NULL, "hypothesis list: not decided");
	hypothesis_list_free(list, n);

	rc = hypothesis_decide(st, id, first, "confirmed", "failover config had a stale address",
			       &err);
	is_int(rc, 0, "hypothesis confirm: returns 0");
	is_str(fixture_last_kind(st, id), "hypothesis-confirmed", "hypothesis confirm: event kind");
	is_str(fixture_last_details(st, id), "hypothesis 1 unconfirmed → confirmed: Backup switch "
	       "failover is misconfigured (note: failover config had a stale address)",
	       "hypothesis confirm: event details");

	rc = hypothesis_decide(st, id, second, "rejected", NULL, &err);
	is_int(rc, 0, "hypothesis reject: returns 0");
	is_str(fixture_last_kind(st, id), "hypothesis-rejected", "hypothesis reject: event kind");

	rc = hypothesis_list(st, id, &list, &n, &err);
	is_str(n ? list[0].status : NULL, "confirmed", "hypothesis confirmed: status stored");
	is_str(n ? list[0].decided_by : NULL, "alice", "hypothesis confirmed: decided by");
	is_str(n ? list[0].note : NULL, "failover config had a stale address",
	       "hypothesis confirmed: note stored");
	is_str(n > 1 ? list[1].status : NULL, "rejected", "hypothesis rejected: status stored");
	ok(n > 1 && list[1].note == NULL, "hypothesis rejected: no note");
	hypothesis_list_free(list, n);

	before = fixture_events(st, id);
	memset(&err, 0, sizeof err);
	rc = hypothesis_decide(st, id, first, "rejected", "changed my mind", &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "hypothesis re-decide");
	is_str(err.message, "hypothesis 1 is already confirmed, and a decision is final; add a new "
	       "hypothesis instead", "hypothesis re-decide: message");
	is_str(fixture_last_kind(st, id), "hypothesis-rejected", "hypothesis re-decide: no new event");

	memset(&err, 0, sizeof err);
	rc = hypothesis_decide(st, id, second, "confirmed", NULL, &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "hypothesis re-decide rejected");

	rc = hypothesis_list(st, id, &list, &n, &err);
	is_str(n ? list[0].status : NULL, "confirmed", "hypothesis re-decide: status kept");
	hypothesis_list_free(list, n);
	free(id);
}

static void test_rejected_calls(struct store *st)
{
	struct wr_error err = {0};
	char *id = fixture_incident(st, "Card payments", "", NULL);
	char *other = fixture_incident(st, "Card payments", "", NULL);
	long long hid = 0, foreign = 0;
	int before, rc;

	hypothesis_add(st, id, "Switch overload", &hid, &err);
	hypothesis_add(st, other, "Certificate expired", &foreign, &err);
	before = fixture_events(st, id);

	memset(&err, 0, sizeof err);
	rc = hypothesis_add(st, id, " \t", NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "hypothesis add blank");

	memset(&err, 0, sizeof err);
	rc = hypothesis_decide(st, id, hid, "maybe", NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "hypothesis invalid decision");

	memset(&err, 0, sizeof err);
	rc = hypothesis_decide(st, id, hid, "unconfirmed", NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "hypothesis back to unconfirmed");

	memset(&err, 0, sizeof err);
	rc = hypothesis_decide(st, id, 999, "confirmed", NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "hypothesis unknown id");

	memset(&err, 0, sizeof err);
	rc = hypothesis_decide(st, id, foreign, "confirmed", NULL, &err);
	check_rejected(st, id, before, rc, err, WR_BAD_INPUT, "hypothesis of another incident");

	memset(&err, 0, sizeof err);
	rc = hypothesis_add(st, "INC-1999-0001", "x", NULL, &err);
	is_int(rc, -1, "hypothesis add unknown incident: returns -1");
	is_int(err.status, WR_BAD_INPUT, "hypothesis add unknown incident: status");

	fixture_set(st, id, "status", "closed");
	memset(&err, 0, sizeof err);
	rc = hypothesis_add(st, id, "Another idea", NULL, &err);
	check_rejected(st, id, before, rc, err, WR_FAILED, "hypothesis add closed incident");
	free(id);
	free(other);
}

static void test_text_fixed(struct store *st)
{
	struct wr_error err = {0};
	char *id = fixture_incident(st, "Card payments", "", NULL);
	long long hid = 0;
	char *sql;
	int rc;

	hypothesis_add(st, id, "Original text", &hid, &err);
	sql = xasprintf("UPDATE hypotheses SET text = 'edited' WHERE id = %lld", hid);
	rc = sqlite3_exec(store_db(st), sql, NULL, NULL, NULL);
	ok(rc != SQLITE_OK, "hypothesis text: the store rejects an edit");
	free(sql);
	free(id);
}

int main(void)
{
	struct playbook *pb;
	struct store *st;

	fixture_setup();
	pb = test_playbook();
	st = test_store();

	test_lifecycle(st);
	test_rejected_calls(st);
	test_text_fixed(st);

	store_close(st);
	playbook_free(pb);
	return tap_done();
}
