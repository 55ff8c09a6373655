/*
 * Unit tests for the brief and its playbook sections. They cover the details
 * a handoff lacks, preservation first for security incidents, and a
 * Customer Service draft free of guardrail errors for every fixture. They
 * also cover the escalation per severity and FILE:LINE problems for bad
 * `logging` and `escalation` sections.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brief.h"
#include "incident.h"
#include "outputs_fixture.h"
#include "steps.h"
#include "tap.h"
#include "testlib.h"
#include "updates.h"

static const char *const fixtures[] = {
	"card-auth-switch-failure",
	"card-processor-supplier-declines",
	"cdn-config-global-errors",
	"core-banking-migration-logins",
};

static struct brief_rules *rules_or_exit(const struct playbook *pb)
{
	struct wr_error err = {0};
	struct strbuf problems;
	struct brief_rules *rules;

	sb_init(&problems);
	rules = brief_rules_load(pb, &problems, &err);
	if (!rules) {
		fprintf(stderr, "brief sections do not load:\n%s\n", problems.data);
		exit(99);
	}
	sb_free(&problems);
	return rules;
}

static char *brief(struct store *st, const struct playbook *pb, const struct brief_rules *rules,
		   const struct guard *guard, const char *id)
{
	struct wr_error err = {0};
	char *text = brief_build(st, pb, rules, guard, id, &err);

	if (!text) {
		fprintf(stderr, "brief_build %s: %s\n", id, err.message);
		exit(99);
	}
	return text;
}

/* Writes TEXT to a new file in the temporary folder and returns its path (static buffer). */
static const char *write_temp(const char *name, const char *text)
{
	static char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", test_tmpdir(), name);
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		fprintf(stderr, "cannot write %s\n", path);
		exit(99);
	}
	return path;
}

/* Returns the 1-based line of the first occurrence of NEEDLE in TEXT, or 0. */
static int line_of(const char *text, const char *needle)
{
	const char *at = strstr(text, needle);
	int line = 1;

	if (!at)
		return 0;
	for (const char *p = text; p < at; p++)
		line += *p == '\n';
	return line;
}

/* Returns a copy of TEXT from START up to END (or its end); exits when START is missing. */
static char *section(const char *text, const char *start, const char *end)
{
	const char *from = strstr(text, start);
	const char *to = from ? strstr(from, end) : NULL;

	if (!from) {
		fprintf(stderr, "no \"%s\" in:\n%s\n", start, text);
		exit(99);
	}
	return to ? xstrndup(from, (size_t)(to - from)) : xstrdup(from);
}

/* Replaces the one occurrence of OLD in *TEXT with NEW, or exits. */
static void replace(char **text, const char *old, const char *new)
{
	char *at = strstr(*text, old);
	char *out;

	if (!at || strstr(at + 1, old)) {
		fprintf(stderr, "test playbook: \"%s\" is not found exactly once\n", old);
		exit(99);
	}
	out = xasprintf("%.*s%s%s", (int)(at - *text), *text, new, at + strlen(old));
	free(*text);
	*text = out;
}

static void test_rules_bundled(const struct playbook *pb)
{
	struct brief_rules *rules = rules_or_exit(pb);
	const struct brief_logging *security = brief_rules_logging(rules, "security");
	size_t with_logging = 0, with_escalation = 0;

	for (size_t i = 0; i < pb->n_categories; i++)
		with_logging += brief_rules_logging(rules, pb->categories[i].id) != NULL;
	for (size_t i = 0; i < pb->n_severities; i++)
		with_escalation += brief_rules_severity(rules, pb->severities[i].id) != NULL;

	is_int(with_logging, pb->n_categories, "rules: a logging list per category");
	ok(brief_rules_logging(rules, "*") != NULL, "rules: a list for unclassified");
	is_int(with_escalation, pb->n_severities, "rules: escalation per severity");
	ok(security && security->before_containment, "rules: security before containment");
	ok(security && strstr(security->checklist[0], "Preserve logs and evidence") != NULL,
	   "rules: security list starts with preservation");
	ok(brief_rules_role(rules, "commander") != NULL, "rules: commander role");
	is_int(rules->security.n_notify, 1, "rules: security notifies one audience");
	brief_rules_free(rules);
}

static void test_rules_problems(void)
{
	char *text = test_read_file(test_path("data/playbook.cfg"));
	struct wr_error err = {0};
	struct strbuf problems, want;
	struct brief_rules *rules;
	struct playbook *pb;
	const char *path;

	replace(&text, "{ category = \"outage\";", "{ category = \"outages\";");
	replace(&text, "{ severity = \"sev3\";", "{ severity = \"sev9\";");
	replace(&text, "\"technical\"]; notify = [\"management\"]; }",
		"\"technical\"]; notify = [\"press\"]; }");
	replace(&text, "security = { roles = [\"security\"];", "security = { roles = [\"guard\"];");
	replace(&text, "{ category = \"bug\";", "{ category = \"bug\"; owner = \"x\";");
	path = write_temp("bad-brief.cfg", text);

	sb_init(&problems);
	pb = playbook_load(path, &problems, &err);
	if (!pb) {
		fprintf(stderr, "test playbook does not load:\n%s\n", problems.data);
		exit(99);
	}
	rules = brief_rules_load(pb, &problems, &err);
	ok(rules == NULL, "bad sections: refused");
	is_int(err.status, WR_BAD_INPUT, "bad sections: bad input");

	sb_init(&want);
	sb_addf(&want, "%s:%d: logging[0].category: unknown category (or \"*\") \"outages\"", path,
		line_of(text, "\"outages\""));
	ok(strstr(problems.data, want.data) != NULL, "bad sections: unknown category at its line");
	ok(strncmp(err.message, want.data, want.len) == 0, "bad sections: first problem in error");
	sb_free(&want);

	sb_addf(&want, "%s:%d: escalation.severities[3].severity: unknown severity \"sev9\"", path,
		line_of(text, "\"sev9\""));
	ok(strstr(problems.data, want.data) != NULL, "bad sections: unknown severity at its line");
	sb_free(&want);

	sb_addf(&want, "%s:%d: escalation.severities[0].notify[0]: unknown audience \"press\"", path,
		line_of(text, "\"press\""));
	ok(strstr(problems.data, want.data) != NULL, "bad sections: unknown audience at its line");
	sb_free(&want);

	sb_addf(&want, "%s:%d: escalation.security.roles[0]: unknown role \"guard\"", path,
		line_of(text, "\"guard\""));
	ok(strstr(problems.data, want.data) != NULL, "bad sections: unknown role at its line");
	sb_free(&want);

	sb_addf(&want, "%s:%d: logging[2]: unknown field \"owner\"", path,
		line_of(text, "owner = \"x\""));
	ok(strstr(problems.data, want.data) != NULL, "bad sections: unknown field at its line");
	sb_free(&want);

	is_int(outputs_count(problems.data, "\n"), 5, "bad sections: five problems");
	sb_free(&problems);
	playbook_free(pb);
	free(text);
}

static void test_missing_details(struct store *st, const struct playbook *pb,
				 const struct brief_rules *rules, const struct guard *guard)
{
	const char *path;
	char *id, *text, *requests;

	outputs_clock("2018-06-01T14:00:00Z");
	path = write_temp("no-repro.json",
			  "{\"summary\": \"Transfers fail in the app\", \"source\": \"t\","
			  " \"reference\": \"B1\", \"product\": \"Online and mobile banking\","
			  " \"channel\": \"mobile app\", \"scope\": \"segment\","
			  " \"detection_source\": \"customer reports\","
			  " \"affected_services\": [\"transfers\"],"
			  " \"evidence\": [{\"kind\": \"log\", \"text\": \"transfer rejected\"}]}");
	id = outputs_import(st, pb, path);
	text = brief(st, pb, rules, guard, id);
	ok(strstr(text, "Reproduction steps (reproduction)") != NULL, "missing: asks for reproduction");
	ok(strstr(text, "Detection time (detected_at)") != NULL, "missing: asks for detected_at");
	ok(strstr(text, "Product:") == NULL, "missing: product given");
	ok(strstr(text, "Channel:") == NULL, "missing: channel given");
	ok(strstr(text, "Evidence:") == NULL, "missing: log given");
	ok(strstr(text, "Affected services:") == NULL, "missing: services given");
	requests = section(text, "1. Reproduction", "2. Logging");
	is_int(outputs_count(requests, "\n   - "), 2, "missing: asks for exactly two");
	free(requests);
	free(text);
	free(id);

	path = write_temp("bare.json", "{\"summary\": \"Something is wrong\", \"source\": \"t\","
			  " \"reference\": \"B2\"}");
	id = outputs_import(st, pb, path);
	text = brief(st, pb, rules, guard, id);
	ok(strstr(text, "Evidence: a log excerpt or a metric") != NULL, "bare: asks for evidence");
	ok(strstr(text, "Product: which product") != NULL, "bare: asks for product");
	ok(strstr(text, "Channel: where it fails") != NULL, "bare: asks for channel");
	ok(strstr(text, "Affected services: which") != NULL, "bare: asks for services");
	ok(strstr(text, "Scope: one customer") != NULL, "bare: asks for scope");
	ok(strstr(text, "the reporter (the handoff names none)") != NULL, "bare: no reporter");
	ok(strstr(text, "Category: not set yet") != NULL, "bare: no category");
	ok(strstr(text, "No severity yet") != NULL, "bare: no severity");
	free(text);
	free(id);
}

static void test_complete_handoff(struct store *st, const struct playbook *pb,
				  const struct brief_rules *rules, const struct guard *guard)
{
	char *id, *text;

	outputs_clock("2018-06-01T14:00:00Z");
	id = outputs_import(st, pb, "card-auth-switch-failure");
	text = brief(st, pb, rules, guard, id);
	ok(strstr(text, "(reproduction)") == NULL, "complete: no reproduction request");
	ok(strstr(text, "(detected_at)") == NULL, "complete: no detected_at request");
	ok(strstr(text, "Thank you for the report: it gives") != NULL, "complete: says so");
	ok(strstr(text, "To: payments operations on-call") != NULL, "complete: addresses reporter");
	ok(strstr(text, "Category: Outage (suggested") != NULL, "complete: suggested category");
	ok(strstr(text, "Load balancer, gateway and edge logs") != NULL, "complete: outage logging");
	ok(strstr(text, "Preserve first") == NULL, "complete: no preservation list");
	ok(strstr(text, "Security mini-SOP") == NULL, "complete: no mini-SOP");
	ok(strstr(text, "- [ ] Safe mitigation: fail over") != NULL, "complete: triage checklist");
	ok(strstr(text, "Management and Legal (Sev 0)") != NULL, "complete: sev0 notifies management");
	ok(strstr(text, "Security lead") == NULL, "complete: no security lead");
	free(text);
	free(id);
}

static void test_security(struct store *st, const struct playbook *pb,
			  const struct brief_rules *rules, const struct guard *guard)
{
	struct wr_error err = {0};
	const char *logging, *first_item, *containment, *contain;
	char *id, *text;

	outputs_clock("2018-04-22T19:30:00Z");
	id = outputs_import(st, pb, "core-banking-migration-logins");
	text = brief(st, pb, rules, guard, id);
	logging = strstr(text, "2. Logging checklist");
	first_item = logging ? strstr(logging, "- [ ] ") : NULL;
	containment = strstr(text, "3. Immediate containment");
	contain = strstr(text, "- [ ] Contain immediately");

	ok(first_item && strncmp(first_item, "- [ ] Preserve logs and evidence before any change",
				 50) == 0, "security: preservation is the first item");
	ok(strstr(text, "Preserve first, before any change (Security):") != NULL,
	   "security: preservation heading");
	ok(first_item && containment && first_item < containment,
	   "security: preservation before containment");
	ok(containment && contain && containment < contain, "security: mini-SOP in containment");
	ok(strstr(text, "First, before any containment change") != NULL,
	   "security: containment waits for preservation");
	ok(strstr(text, "- Security lead: to fill") != NULL, "security: security lead");
	ok(strstr(text, "- Management and Legal (Sev 0; security incident)") != NULL,
	   "security: notify management and legal");
	free(text);

	/* Classified as an outage, it is still a security incident: preservation comes first. */
	outputs_must(step_classify(st, pb, id, "outage", NULL, NULL, NULL, &err), "classify", &err);
	text = brief(st, pb, rules, guard, id);
	ok(line_of(text, "Preserve first") > 0 && line_of(text, "   Outage:") > 0 &&
	   line_of(text, "Preserve first") < line_of(text, "   Outage:"),
	   "security outage: preservation before outage list");
	free(text);
	free(id);
}

static void test_drafts_clean(struct store *st, const struct playbook *pb,
			      const struct brief_rules *rules, const struct guard *guard)
{
	for (size_t i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
		struct guard_finding *findings = NULL;
		struct wr_error err = {0};
		struct guard_context ctx;
		struct incident *inc;
		char *id, *draft, *text, name[160];
		size_t n = 0;

		outputs_clock("2021-06-08T10:00:00Z");
		id = outputs_import(st, pb, fixtures[i]);
		inc = incident_get(st, id, &err);
		draft = inc ? brief_cs_draft(st, pb, guard, inc, NULL, &err) : NULL;
		if (!draft || guard_context_for_incident(st, pb, inc, "cs", &ctx, &err) != 0 ||
		    guard_check(guard, draft, &ctx, &findings, &n) != 0) {
			fprintf(stderr, "draft for %s: %s\n", fixtures[i], err.message);
			exit(99);
		}
		snprintf(name, sizeof name, "draft %s: no guardrail errors", fixtures[i]);
		is_int(guard_count_errors(findings, n), 0, name);

		text = brief(st, pb, rules, guard, id);
		snprintf(name, sizeof name, "brief %s: reports no errors", fixtures[i]);
		ok(strstr(text, "Guardrails: 0 errors") != NULL, name);

		guard_findings_free(findings, n);
		free(text);
		free(draft);
		incident_free(inc);
		free(id);
	}
}

static void test_draft_fallback(struct store *st, const struct playbook *pb,
				const struct guard *guard)
{
	struct guard_finding *findings = NULL;
	enum brief_draft_source source = BRIEF_DRAFT_RECORD;
	struct wr_error err = {0};
	struct guard_context ctx;
	struct incident *inc;
	char *id, *draft;
	size_t n = 0;

	outputs_clock("2018-06-01T14:00:00Z");
	id = outputs_import(st, pb, "card-auth-switch-failure");
	outputs_must(step_impact(st, pb, id, "payments through the primary switch in the data centre",
				 "some customers", "2018-06-01T13:35:00Z", "investigating", NULL,
				 &err), "impact", &err);
	inc = incident_get(st, id, &err);
	draft = brief_cs_draft(st, pb, guard, inc, &source, &err);
	outputs_must(draft ? 0 : -1, "brief_cs_draft", &err);
	outputs_must(guard_context_for_incident(st, pb, inc, "cs", &ctx, &err), "context", &err);
	guard_check(guard, draft, &ctx, &findings, &n);

	is_int(source, BRIEF_DRAFT_GENERAL, "fallback: facts left out");
	ok(strstr(draft, "primary switch") == NULL, "fallback: no internal name");
	ok(strstr(draft, "13:35 UTC") != NULL, "fallback: keeps the start time");
	is_int(guard_count_errors(findings, n), 0, "fallback: no guardrail errors");
	guard_findings_free(findings, n);
	free(draft);
	incident_free(inc);
	free(id);
}

/* A playbook whose Customer Service template always promises a fix: only generic wording passes. */
static void test_draft_generic(void)
{
	char *text = test_read_file(test_path("data/playbook.cfg"));
	enum brief_draft_source source = BRIEF_DRAFT_RECORD;
	struct guard_finding *findings = NULL;
	struct wr_error err = {0};
	struct guard_context ctx;
	struct strbuf problems;
	struct playbook *pb;
	struct incident *inc;
	struct guard *guard;
	struct store *st;
	char *id, *draft;
	size_t n = 0;

	replace(&text, "template = \"We are aware of an issue affecting {what}.",
		"template = \"We guarantee a fix for {what}.");
	sb_init(&problems);
	pb = playbook_load(write_temp("promise.cfg", text), &problems, &err);
	outputs_must(pb ? 0 : -1, "promise playbook", &err);
	guard = outputs_guard(pb);
	st = test_store();

	outputs_clock("2018-06-01T14:00:00Z");
	id = outputs_import(st, pb, "card-auth-switch-failure");
	inc = incident_get(st, id, &err);
	draft = brief_cs_draft(st, pb, guard, inc, &source, &err);
	outputs_must(draft ? 0 : -1, "brief_cs_draft", &err);
	outputs_must(guard_context_for_incident(st, pb, inc, "cs", &ctx, &err), "context", &err);
	guard_check(guard, draft, &ctx, &findings, &n);

	is_int(source, BRIEF_DRAFT_GENERIC, "generic: template flagged");
	ok(strstr(draft, "guarantee") == NULL, "generic: no promise");
	ok(strstr(draft, "since about 13:35 UTC") != NULL, "generic: start time");
	ok(strstr(draft, "Current status: investigating") != NULL, "generic: status");
	is_int(guard_count_errors(findings, n), 0, "generic: no guardrail errors");

	guard_findings_free(findings, n);
	free(draft);
	incident_free(inc);
	free(id);
	store_close(st);
	guard_free(guard);
	playbook_free(pb);
	sb_free(&problems);
	free(text);
}

static void test_escalation(struct store *st, const struct playbook *pb,
			    const struct brief_rules *rules, const struct guard *guard)
{
	const char *path;
	char *id, *text;

	id = outputs_walk(st, pb, guard);
	text = brief(st, pb, rules, guard, id);
	ok(strstr(text, "Severity: Sev 1\n") != NULL, "sev1: confirmed severity");
	ok(strstr(text, "- Incident commander: alice (filled)") != NULL, "sev1: commander filled");
	ok(strstr(text, "- Scribe: to fill") != NULL, "sev1: scribe to fill");
	ok(strstr(text, "- no one beyond the audiences below") != NULL, "sev1: no one to notify");
	ok(strstr(text, "- Customer Service update every 30 minutes, at the latest every 60 "
		  "minutes") != NULL, "sev1: cadence line");
	ok(strstr(text, "- [x] Confirm the issue in the logs (done by alice)") != NULL,
	   "sev1: marked triage item");
	free(text);
	free(id);

	outputs_clock("2018-06-01T14:00:00Z");
	path = write_temp("sev2.json", "{\"summary\": \"Statement PDF shows the wrong logo\","
			  " \"source\": \"t\", \"reference\": \"S2\", \"priority\": \"P2\","
			  " \"risk_indicators\": [\"limited_impact\"]}");
	id = outputs_import(st, pb, path);
	text = brief(st, pb, rules, guard, id);
	ok(strstr(text, "Sev 2 sets no fixed cadence") != NULL, "sev2: no cadence");
	ok(strstr(text, "- Scribe:") == NULL, "sev2: no scribe");
	ok(strstr(text, "Category: Bug (suggested") != NULL, "sev2: bug category");
	free(text);
	free(id);
}

static void test_unknown_incident(struct store *st, const struct playbook *pb,
				  const struct brief_rules *rules, const struct guard *guard)
{
	struct wr_error err = {0};
	char *text = brief_build(st, pb, rules, guard, "INC-1999-0001", &err);

	ok(text == NULL, "unknown incident: no brief");
	is_int(err.status, WR_BAD_INPUT, "unknown incident: bad input");
}

int main(void)
{
	struct brief_rules *rules;
	struct playbook *pb;
	struct guard *guard;
	struct store *st;

	outputs_setup("2018-06-01T14:00:00Z");
	pb = test_playbook();
	guard = outputs_guard(pb);
	rules = rules_or_exit(pb);
	st = test_store();

	test_rules_bundled(pb);
	test_rules_problems();
	test_missing_details(st, pb, rules, guard);
	test_complete_handoff(st, pb, rules, guard);
	test_security(st, pb, rules, guard);
	test_drafts_clean(st, pb, rules, guard);
	test_draft_fallback(st, pb, guard);
	test_draft_generic();
	test_escalation(st, pb, rules, guard);
	test_unknown_incident(st, pb, rules, guard);

	store_close(st);
	brief_rules_free(rules);
	guard_free(guard);
	playbook_free(pb);
	return tap_done();
}
