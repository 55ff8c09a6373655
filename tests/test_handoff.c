/*
 * Unit tests for the handoff packets: what each audience receives from a
 * walked-through incident, and that drafts, unconfirmed hypotheses,
 * unconfirmed windows and an unapproved root cause never leak into one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handoff.h"
#include "incident.h"
#include "outputs_fixture.h"
#include "steps.h"
#include "tap.h"
#include "testlib.h"

/* Returns the packet for AUDIENCE, or exits when it cannot be built. */
static char *packet(struct store *st, const struct playbook *pb, const char *id,
		    const char *audience)
{
	struct wr_error err = {0};
	char *text = handoff_packet(st, pb, id, audience, &err);

	if (!text) {
		fprintf(stderr, "handoff_packet %s %s: %s\n", id, audience, err.message);
		exit(99);
	}
	return text;
}

static void test_errors(struct store *st, const struct playbook *pb, const char *id)
{
	struct wr_error err = {0};
	char *text;

	text = handoff_packet(st, pb, id, "press", &err);
	ok(text == NULL, "unknown audience: no packet");
	is_int(err.status, WR_BAD_INPUT, "unknown audience: bad input");
	ok(strstr(err.message, "\"press\"") != NULL, "unknown audience: names the value");
	ok(strstr(err.message, "cs, product, marketing, finance, management") != NULL,
	   "unknown audience: lists the audiences");

	err = (struct wr_error){0};
	text = handoff_packet(st, pb, id, "incident", &err);
	ok(text == NULL, "incident channel: no packet");

	err = (struct wr_error){0};
	text = handoff_packet(st, pb, "INC-1999-0001", "cs", &err);
	ok(text == NULL, "unknown incident: no packet");
	is_int(err.status, WR_BAD_INPUT, "unknown incident: bad input");
}

/* Nothing unapproved or unconfirmed appears in any packet. */
static void test_no_leaks(struct store *st, const struct playbook *pb, const char *id)
{
	for (size_t i = 0; handoff_audiences[i]; i++) {
		const char *audience = handoff_audiences[i];
		char *text = packet(st, pb, id, audience);
		char name[128];

		snprintf(name, sizeof name, "%s: no Customer Service draft", audience);
		ok(strstr(text, WALK_DRAFT_CS) == NULL, name);
		snprintf(name, sizeof name, "%s: no Marketing draft", audience);
		ok(strstr(text, WALK_DRAFT_MARKETING) == NULL, name);
		snprintf(name, sizeof name, "%s: no unconfirmed hypothesis", audience);
		ok(strstr(text, WALK_UNCONFIRMED) == NULL, name);
		snprintf(name, sizeof name, "%s: no rejected hypothesis", audience);
		ok(strstr(text, WALK_REJECTED) == NULL, name);
		snprintf(name, sizeof name, "%s: no unconfirmed window", audience);
		ok(strstr(text, WALK_OPEN_WINDOW_FROM) == NULL, name);
		snprintf(name, sizeof name, "%s: no unconfirmed window type", audience);
		ok(strstr(text, WALK_OPEN_WINDOW_TYPE) == NULL, name);
		snprintf(name, sizeof name, "%s: no root cause before approval", audience);
		ok(strstr(text, WALK_ROOT_CAUSE) == NULL, name);
		free(text);
	}
}

static void test_cs(struct store *st, const struct playbook *pb, const char *id)
{
	char *text = packet(st, pb, id, "cs");

	ok(strncmp(text, "Handoff to Customer Service: ", 29) == 0, "cs: title names the audience");
	ok(strstr(text, WALK_CS_LATEST) != NULL, "cs: latest published update");
	ok(strstr(text, WALK_CS_FIRST) == NULL, "cs: no earlier update");
	ok(strstr(text, "published 2018-06-01T15:17:00Z by alice") != NULL,
	   "cs: when and by whom published");
	ok(strstr(text, "What:    card payments\n") != NULL, "cs: what");
	ok(strstr(text, "Who:     some customers paying by card\n") != NULL, "cs: who");
	ok(strstr(text, "Since:   2018-06-01T13:35:00Z\n") != NULL, "cs: since");
	ok(strstr(text, "Status:  resolved\n") != NULL, "cs: status resolved once resolved");
	free(text);
}

static void test_cs_nothing_approved(struct store *st, const struct playbook *pb,
				     const struct guard *guard)
{
	char *id, *text;

	outputs_clock("2018-06-01T14:00:00Z");
	id = outputs_import(st, pb, "card-processor-supplier-declines");
	outputs_update(st, pb, guard, id, "cs", WALK_DRAFT_CS, 0, 0, NULL);
	text = packet(st, pb, id, "cs");
	ok(strstr(text, "No update is approved yet.") != NULL, "cs draft only: says none approved");
	ok(strstr(text, WALK_DRAFT_CS) == NULL, "cs draft only: draft withheld");
	ok(strstr(text, "What:    not recorded yet") != NULL, "cs draft only: facts not recorded");
	free(text);

	/* An approval that was never published is passed on too. */
	outputs_update(st, pb, guard, id, "cs", WALK_CS_FIRST, 1, 0, NULL);
	text = packet(st, pb, id, "cs");
	ok(strstr(text, WALK_CS_FIRST) != NULL, "cs approved: update shown");
	ok(strstr(text, "not published yet") != NULL, "cs approved: not published yet");
	free(text);
	free(id);
}

static void test_product(struct store *st, const struct playbook *pb, const char *id)
{
	char *text = packet(st, pb, id, "product");

	ok(strstr(text, WALK_CONFIRMED) != NULL, "product: confirmed hypothesis");
	ok(strstr(text, "Note: seen in the switch logs") != NULL, "product: confirmation note");
	ok(strstr(text, "Attempt any chip-and-PIN") != NULL, "product: reproduction");
	ok(strstr(text, "Affected services: card authorisation, card scheme connectivity") != NULL,
	   "product: affected services");
	ok(strstr(text, "Product: Card payments") != NULL, "product: product");
	ok(strstr(text, "What:    card payments") != NULL, "product: user impact");
	ok(strstr(text, "none recorded") != NULL, "product: no versions recorded");
	free(text);
}

static void test_product_versions(struct store *st, const struct playbook *pb)
{
	char path[4096];
	FILE *f;
	char *id, *text;

	snprintf(path, sizeof path, "%s/versions.json", test_tmpdir());
	f = fopen(path, "w");
	if (!f)
		exit(99);
	fputs("{\"summary\": \"Transfers fail in the app\", \"source\": \"t\", \"reference\": \"V1\","
	      " \"app_version\": \"5.2.1\", \"affected_versions\": [\"5.2.0\", \"5.2.1\"]}", f);
	fclose(f);

	id = outputs_import(st, pb, path);
	text = packet(st, pb, id, "product");
	ok(strstr(text, "- app_version: 5.2.1\n") != NULL, "product: version field");
	ok(strstr(text, "- affected_versions: [\"5.2.0\",\"5.2.1\"]\n") != NULL,
	   "product: version list");
	ok(strstr(text, "No hypothesis is confirmed yet") != NULL, "product: none confirmed");
	ok(strstr(text, "Reproduction\n  not recorded yet") != NULL, "product: no reproduction");
	free(text);
	free(id);
}

static void test_marketing(struct store *st, const struct playbook *pb, const char *id)
{
	struct wr_error err = {0};
	char *text = packet(st, pb, id, "marketing");

	ok(strstr(text, WALK_MARKETING) != NULL, "marketing: approved statement");
	ok(strstr(text, "Not for sharing: no root-cause approval is recorded.") != NULL,
	   "marketing: root cause withheld");
	ok(strstr(text, WALK_ROOT_CAUSE) == NULL, "marketing: no root cause text");
	free(text);

	outputs_must(approval_record(st, id, "root-cause", "Dana Director", NULL, &err), "approval",
		     &err);
	text = packet(st, pb, id, "marketing");
	ok(strstr(text, WALK_ROOT_CAUSE) != NULL, "marketing approved: root cause shown");
	ok(strstr(text, "Approved for sharing by Dana Director") != NULL,
	   "marketing approved: names the approver");
	free(text);
}

static void test_finance(struct store *st, const struct playbook *pb, const char *id)
{
	char *text = packet(st, pb, id, "finance");

	ok(strstr(text, "- " WALK_WINDOW_FROM " to " WALK_WINDOW_TO " (1 h 15 min): card, "
		  "contactless\n") != NULL, "finance: confirmed window");
	ok(strstr(text, "Transaction types affected: card, contactless\n") != NULL,
	   "finance: transaction types");
	ok(strstr(text, "Windows still being confirmed: 1") != NULL, "finance: counts unconfirmed");
	free(text);
}

static void test_management(struct store *st, const struct playbook *pb, const char *id)
{
	char *text = packet(st, pb, id, "management");

	ok(strstr(text, "Severity: Sev 1 (") != NULL, "management: severity");
	ok(strstr(text, "Suggested: Sev 0 by rule payments-blocked") != NULL,
	   "management: suggestion");
	ok(strstr(text, WALK_SEVERITY_REASON) != NULL, "management: severity reason");
	ok(strstr(text, "Severity sev1 instead of the suggested sev0") != NULL,
	   "management: severity override");
	ok(strstr(text, WALK_OVERRIDE_REASON) != NULL, "management: guardrail override reason");
	ok(strstr(text, WALK_DECISION) != NULL, "management: decision");
	ok(strstr(text, "Sharing the root cause with Marketing: Dana Director") != NULL,
	   "management: current approval");
	ok(strstr(text, "root-cause approved by Dana Director") != NULL,
	   "management: approval event");
	ok(strstr(text, "the security mini-SOP does not apply") != NULL,
	   "management: security does not apply");
	ok(strstr(text, WALK_CS_LATEST) == NULL, "management: no update texts");
	free(text);
}

static void test_management_security(struct store *st, const struct playbook *pb)
{
	struct wr_error err = {0};
	char *id, *text;

	outputs_clock("2018-04-22T19:30:00Z");
	id = outputs_import(st, pb, "core-banking-migration-logins");
	outputs_must(checklist_mark(st, pb, id, "security", "contain", 0, NULL, &err), "mark", &err);
	outputs_must(checklist_mark(st, pb, id, "security", "safe-language", 1, "not public yet",
				    &err), "mark", &err);
	text = packet(st, pb, id, "management");
	ok(strstr(text, "the security mini-SOP applies (risk indicator data_exposure)") != NULL,
	   "management security: applies and why");
	ok(strstr(text, "[x] Contain immediately: done 2018-04-22T19:30:00Z by alice") != NULL,
	   "management security: done action");
	ok(strstr(text, "[ ] Preserve logs and evidence: not marked") != NULL,
	   "management security: open action");
	ok(strstr(text, "not applicable 2018-04-22T19:30:00Z by alice (not public yet)") != NULL,
	   "management security: not applicable action");
	free(text);
	free(id);
}

static void test_escaping(struct store *st, const struct playbook *pb)
{
	struct wr_error err = {0};
	char *id, *text;

	outputs_clock("2021-06-08T10:00:00Z");
	id = outputs_import(st, pb, "cdn-config-global-errors");
	outputs_must(step_impact(st, pb, id, "web \x1b[31mred\x1b[0m", "everyone", "2021-06-08T09:48:00Z",
				 "investigating", NULL, &err), "impact", &err);
	text = packet(st, pb, id, "cs");
	ok(strchr(text, '\x1b') == NULL, "escaping: no raw ESC");
	ok(strstr(text, "web \\e[31mred\\e[0m") != NULL, "escaping: ESC shown escaped");
	free(text);
	free(id);
}

int main(void)
{
	struct playbook *pb;
	struct guard *guard;
	struct store *st;
	char *id;

	outputs_setup("2018-06-01T13:55:00Z");
	pb = test_playbook();
	guard = outputs_guard(pb);
	st = test_store();
	id = outputs_walk(st, pb, guard);

	test_errors(st, pb, id);
	test_no_leaks(st, pb, id);
	test_cs(st, pb, id);
	test_cs_nothing_approved(st, pb, guard);
	test_product(st, pb, id);
	test_product_versions(st, pb);
	test_marketing(st, pb, id);
	test_finance(st, pb, id);
	test_management(st, pb, id);
	test_management_security(st, pb);
	test_escaping(st, pb);

	free(id);
	store_close(st);
	guard_free(guard);
	playbook_free(pb);
	return tap_done();
}
