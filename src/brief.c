/* The brief for the reporter and the responders; see brief.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "brief.h"
#include "cadence.h"
#include "report_text.h"
#include "severity.h"
#include "steps.h"
#include "updates.h"

/* The playbook step whose checklist lists the first containment actions. */
#define BRIEF_CONTAINMENT_STEP "triage"
/* The escalation role that the record's commander fills. */
#define BRIEF_COMMANDER_ROLE "commander"
/* The audience the brief drafts an update for. */
#define BRIEF_DRAFT_AUDIENCE "cs"

/* The incident, rules and output buffer the sections of one brief share. */
struct brief {
	struct store *st;
	const struct playbook *pb;
	const struct brief_rules *rules;
	const struct guard *guard;
	const struct incident *inc;
	struct strbuf *out;
	struct wr_error *err;

	const char *category;   /* the record's category, else the suggested one; may be NULL */
	int category_suggested;
	const struct pb_severity *severity; /* the record's severity, else the suggested one */
	int severity_suggested;
	int security;           /* the security mini-SOP applies */
	struct checklist_mark *marks;
	size_t n_marks;
};

/* ---- 1. Reproduction and missing details ---- */

static int lacks_reproduction(struct brief *b)
{
	return str_blank(b->inc->reproduction);
}

static int lacks_detected_at(struct brief *b)
{
	return str_blank(b->inc->detected_at);
}

static int lacks_detection_source(struct brief *b)
{
	return str_blank(b->inc->detection_source);
}

static int lacks_services(struct brief *b)
{
	return b->inc->impacted_services.len == 0;
}

static int lacks_product(struct brief *b)
{
	return str_blank(b->inc->product);
}

static int lacks_channel(struct brief *b)
{
	return b->inc->channels.len == 0;
}

static int lacks_scope(struct brief *b)
{
	return str_blank(b->inc->scope);
}

/* Returns 1 when the record has no evidence of kind log or metric, 0 when it has, -1 on error. */
static int lacks_log_or_metric(struct brief *b)
{
	sqlite3_stmt *stmt;
	int rc, count = 0;

	rc = sqlite3_prepare_v2(store_db(b->st),
				"SELECT COUNT(*) FROM evidence WHERE incident_id = ?"
				" AND kind IN ('log', 'metric')", -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return store_error(b->st, b->err, "reading the evidence");
	sqlite3_bind_text(stmt, 1, b->inc->id, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		count = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW)
		return store_error(b->st, b->err, "reading the evidence");
	return count == 0;
}

/* A detail a useful handoff gives, and how to ask the reporter for it. */
static const struct detail_check {
	int (*lacks)(struct brief *b);
	const char *request;
} detail_checks[] = {
	{lacks_reproduction, "Reproduction steps (reproduction): what you did, on which product "
			     "and channel, what you expected and what happened instead"},
	{lacks_detected_at, "Detection time (detected_at): when the problem was first seen, with "
			    "the time zone"},
	{lacks_detection_source, "Detection source: monitoring, synthetic checks, customer reports "
				 "or another route"},
	{lacks_services, "Affected services: which services or systems show the problem"},
	{lacks_log_or_metric, "Evidence: a log excerpt or a metric (name, value and time) that "
			      "shows the problem"},
	{lacks_product, "Product: which product customers are using when it fails"},
	{lacks_channel, "Channel: where it fails (mobile app, web, branch, ATM, point of sale, "
			"telephone)"},
	{lacks_scope, "Scope: one customer, a segment of customers, or everyone"},
};

static int section_missing(struct brief *b)
{
	size_t asked = 0;

	sb_add(b->out, "\n1. Reproduction and missing details (to the reporter)\n");
	sb_add(b->out, "   To: ");
	report_add(b->out, str_blank(b->inc->reporter) ? NULL : b->inc->reporter,
		   "the reporter (the handoff names none)");
	sb_addc(b->out, '\n');

	for (size_t i = 0; i < sizeof detail_checks / sizeof detail_checks[0]; i++) {
		int lacks = detail_checks[i].lacks(b);

		if (lacks < 0)
			return -1;
		if (!lacks)
			continue;
		if (asked++ == 0)
			sb_add(b->out, "   Thank you for the report. Please reply with what it does not "
			       "give yet:\n");
		sb_addf(b->out, "   - %s\n", detail_checks[i].request);
	}
	if (asked == 0)
		sb_add(b->out, "   Thank you for the report: it gives the reproduction, detection time "
		       "and source, affected services, log or metric evidence, product, channel and "
		       "scope. Please send anything that changes.\n");
	return 0;
}

/* ---- 2. Logging checklist ---- */

static const char *category_label(const struct playbook *pb, const char *category)
{
	const struct pb_term *term = playbook_category(pb, category);

	return term && term->label ? term->label : category;
}

static void logging_list(struct brief *b, const struct brief_logging *entry, const char *title)
{
	sb_addf(b->out, "   %s:\n", title);
	for (size_t i = 0; i < entry->n_checklist; i++)
		sb_addf(b->out, "   - [ ] %s\n", entry->checklist[i]);
}

/* Returns the logging checklist of the security category when the mini-SOP applies, else NULL. */
static const struct brief_logging *security_logging(struct brief *b)
{
	if (!b->security)
		return NULL;
	for (size_t i = 0; i < b->pb->n_security_categories; i++) {
		const struct brief_logging *entry =
			brief_rules_logging(b->rules, b->pb->security_categories[i]);

		if (entry)
			return entry;
	}
	return NULL;
}

/* Returns the logging checklist for the incident's category, else the "*" list, else NULL. */
static const struct brief_logging *category_logging(struct brief *b)
{
	const struct brief_logging *entry = brief_rules_logging(b->rules, b->category);

	return entry ? entry : brief_rules_logging(b->rules, "*");
}

static void section_logging(struct brief *b)
{
	const struct brief_logging *security = security_logging(b);
	const struct brief_logging *category = category_logging(b);
	char title[256];

	sb_add(b->out, "\n2. Logging checklist (to the responders)\n");
	if (b->category)
		sb_addf(b->out, "   Category: %s%s\n", category_label(b->pb, b->category),
			b->category_suggested ? " (suggested; confirm it in step 1)" : "");
	else
		sb_add(b->out, "   Category: not set yet (step 1)\n");

	/* Evidence of a security incident is preserved before anything else touches it. */
	if (security) {
		snprintf(title, sizeof title, "Preserve first, before any change (%s)",
			 category_label(b->pb, security->category));
		logging_list(b, security, title);
	}
	if (category && category != security) {
		snprintf(title, sizeof title, "%s", strcmp(category->category, "*") == 0
			 ? "Collect" : category_label(b->pb, category->category));
		logging_list(b, category, title);
	}
	if (!security && !category)
		sb_add(b->out, "   The playbook has no logging checklist for this category.\n");
}

/* ---- 3. Immediate containment ---- */

static const struct checklist_mark *find_mark(struct brief *b, const char *list, const char *item)
{
	for (size_t i = 0; i < b->n_marks; i++)
		if (strcmp(b->marks[i].list, list) == 0 && strcmp(b->marks[i].item, item) == 0)
			return &b->marks[i];
	return NULL;
}

/* Appends the N items of LIST with their marks: [x] done, [-] not applicable, [ ] open. */
static void checklist_lines(struct brief *b, const char *list, const struct pb_item *items,
			    size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct checklist_mark *mark = find_mark(b, list, items[i].id);
		const char *box = !mark ? "[ ]" : strcmp(mark->state, "done") == 0 ? "[x]" : "[-]";

		sb_addf(b->out, "   - %s %s", box, items[i].text);
		if (mark) {
			sb_add(b->out, strcmp(mark->state, "done") == 0 ? " (done by " : " (not applicable, ");
			report_add(b->out, mark->actor, NULL);
			sb_addc(b->out, ')');
		}
		sb_addc(b->out, '\n');
	}
}

static void section_containment(struct brief *b)
{
	const struct brief_logging *security = security_logging(b);
	const struct brief_logging *category = category_logging(b);
	const struct pb_item *items;
	size_t n;

	sb_add(b->out, "\n3. Immediate containment (to the responders)\n");
	if ((security && security->before_containment) || (category && category->before_containment))
		sb_add(b->out, "   First, before any containment change: work through the \"Preserve "
		       "first\" list in section 2.\n");

	items = checklist_items(b->pb, BRIEF_CONTAINMENT_STEP, &n);
	if (items) {
		const struct pb_step *step = playbook_step(b->pb, BRIEF_CONTAINMENT_STEP);

		sb_addf(b->out, "   %s checklist (step %d):\n", step->title, step->number);
		checklist_lines(b, BRIEF_CONTAINMENT_STEP, items, n);
	} else {
		sb_add(b->out, "   The playbook has no " BRIEF_CONTAINMENT_STEP " checklist.\n");
	}

	if (b->security) {
		sb_add(b->out, "   Security mini-SOP (it applies to this incident):\n");
		checklist_lines(b, "security", b->pb->security_actions, b->pb->n_security_actions);
	}
}

/* ---- 4. Customer Service update draft ---- */

/* Returns when the next Customer Service update is promised; an hour from now without a cadence. */
static time_t next_update_time(struct store *st, const struct playbook *pb,
			       const struct incident *inc)
{
	time_t now = clock_now();
	time_t next = cadence_next_promise(st, pb, inc->id, BRIEF_DRAFT_AUDIENCE, now);

	return next ? next : now + 3600;
}

/* Counts the guardrail errors in TEXT for Customer Service; -1 when the check fails. */
static long draft_errors(const struct guard *guard, const struct guard_context *ctx,
			 const char *text)
{
	struct guard_finding *findings = NULL;
	size_t n = 0;
	long errors;

	if (guard_check(guard, text, ctx, &findings, &n) != 0)
		return -1;
	errors = (long)guard_count_errors(findings, n);
	guard_findings_free(findings, n);
	return errors;
}

/* Returns the record's impact status when the playbook lists it (ignoring case), else "investigating". */
static const char *listed_status(const struct playbook *pb, const struct incident *inc)
{
	for (size_t i = 0; inc->impact_status && i < pb->n_impact_statuses; i++)
		if (strcasecmp(pb->impact_statuses[i], inc->impact_status) == 0)
			return pb->impact_statuses[i];
	return "investigating";
}

/* Fixed wording with only times and a status from the playbook's list, for a flagged template. */
static char *generic_draft(const struct playbook *pb, const struct incident *inc,
			   time_t next_update)
{
	char since[32] = "", next[32];
	time_t start;
	struct tm tm;

	if ((inc->impact_since && time_parse_iso8601(inc->impact_since, &start) == 0) ||
	    (inc->started_at && time_parse_iso8601(inc->started_at, &start) == 0)) {
		localtime_r(&start, &tm);
		strftime(since, sizeof since, "%H:%M %Z", &tm);
	}
	localtime_r(&next_update, &tm);
	strftime(next, sizeof next, "%H:%M %Z", &tm);
	return xasprintf("We are aware of an issue affecting some customers%s%s. Current status: "
			 "%s. We will share the next update by %s.",
			 since[0] ? " since about " : "", since, listed_status(pb, inc), next);
}

char *brief_cs_draft(struct store *st, const struct playbook *pb, const struct guard *guard,
		     const struct incident *inc, enum brief_draft_source *source,
		     struct wr_error *err)
{
	struct guard_context ctx;
	struct incident general;
	time_t next;
	char *text;

	next = next_update_time(st, pb, inc);
	if (guard_context_for_incident(st, pb, inc, BRIEF_DRAFT_AUDIENCE, &ctx, err) != 0)
		return NULL;

	text = update_template(pb, inc, BRIEF_DRAFT_AUDIENCE, next, &(struct wr_error){0});
	if (text && draft_errors(guard, &ctx, text) == 0) {
		if (source)
			*source = BRIEF_DRAFT_RECORD;
		return text;
	}
	free(text);

	/*
	 * The free-text facts are where internal names and speculation come
	 * in; without them the template reads as "one of our services".
	 */
	general = *inc;
	general.product = NULL;
	general.impact_what = NULL;
	general.impact_who = NULL;
	text = update_template(pb, &general, BRIEF_DRAFT_AUDIENCE, next, &(struct wr_error){0});
	if (text && draft_errors(guard, &ctx, text) == 0) {
		if (source)
			*source = BRIEF_DRAFT_GENERAL;
		return text;
	}
	free(text);

	if (source)
		*source = BRIEF_DRAFT_GENERIC;
	return generic_draft(pb, inc, next);
}

static int section_draft(struct brief *b)
{
	static const char *const notes[] = {
		[BRIEF_DRAFT_RECORD] = "Filled from the record.",
		[BRIEF_DRAFT_GENERAL] = ("The record's product, what and who facts are left out "
					 "because the guardrails flagged them; add them back in "
					 "customer wording."),
		[BRIEF_DRAFT_GENERIC] = ("Generic wording: the playbook's template did not pass the "
					 "guardrails for this record."),
	};
	struct guard_finding *findings = NULL;
	enum brief_draft_source source;
	struct guard_context ctx;
	size_t n = 0, errors;
	char *text;

	text = brief_cs_draft(b->st, b->pb, b->guard, b->inc, &source, b->err);
	if (!text)
		return -1;
	if (guard_context_for_incident(b->st, b->pb, b->inc, BRIEF_DRAFT_AUDIENCE, &ctx, b->err) != 0 ||
	    guard_check(b->guard, text, &ctx, &findings, &n) != 0) {
		free(text);
		if (b->err->status == WR_OK)
			error_set(b->err, WR_FAILED, "checking the Customer Service draft failed");
		return -1;
	}
	errors = guard_count_errors(findings, n);

	sb_add(b->out, "\n4. Customer Service update (draft, not approved)\n");
	report_add_block(b->out, "   | ", text);
	sb_addf(b->out, "   %s\n", notes[source]);
	sb_addf(b->out, "   Guardrails: %zu error%s, %zu warning%s\n", errors, errors == 1 ? "" : "s",
		n - errors, n - errors == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++) {
		sb_addf(b->out, "   - %s %s: ", guard_level_name(findings[i].level), findings[i].rule_id);
		report_add(b->out, findings[i].message, NULL);
		sb_addc(b->out, '\n');
	}
	sb_addf(b->out, "   To use it: warroom update %s draft --audience " BRIEF_DRAFT_AUDIENCE
		" TEXT, then approve and publish.\n", b->inc->id);
	guard_findings_free(findings, n);
	free(text);
	return 0;
}

/* ---- 5. Escalation and incident command ---- */

static void role_line(struct brief *b, const char *role_id, const char *why)
{
	const struct brief_role *role = brief_rules_role(b->rules, role_id);

	if (!role)
		return;
	sb_addf(b->out, "   - %s: ", role->label);
	if (strcmp(role->id, BRIEF_COMMANDER_ROLE) == 0 && !str_blank(b->inc->commander)) {
		report_add(b->out, b->inc->commander, NULL);
		sb_add(b->out, " (filled)");
	} else {
		sb_add(b->out, "to fill");
		if (role->duty)
			sb_addf(b->out, "; %s", role->duty);
	}
	if (why)
		sb_addf(b->out, " (%s)", why);
	sb_addc(b->out, '\n');
}

/* Appends the audiences to notify from the severity entry and, for security, the security entry. */
static void notify_lines(struct brief *b, const struct brief_escalation *by_severity)
{
	const struct brief_escalation *security = b->security ? &b->rules->security : NULL;
	size_t shown = 0;

	sb_add(b->out, "   Notify now:\n");
	for (size_t i = 0; i < b->pb->n_audiences; i++) {
		const struct pb_audience *aud = &b->pb->audiences[i];
		int for_severity = 0, for_security = 0;

		for (size_t k = 0; by_severity && k < by_severity->n_notify; k++)
			for_severity |= strcmp(by_severity->notify[k], aud->id) == 0;
		for (size_t k = 0; security && k < security->n_notify; k++)
			for_security |= strcmp(security->notify[k], aud->id) == 0;
		if (!for_severity && !for_security)
			continue;
		sb_addf(b->out, "   - %s (%s%s%s)\n", aud->label ? aud->label : aud->id,
			for_severity ? b->severity->label : "", for_severity && for_security ? "; " : "",
			for_security ? "security incident" : "");
		shown++;
	}
	if (shown == 0)
		sb_add(b->out, "   - no one beyond the audiences below, at their cadence\n");
}

static void cadence_lines(struct brief *b)
{
	const struct pb_severity *sev = b->severity;
	int limit;

	sb_add(b->out, "   Update cadence:\n");
	if (sev->update_due_minutes <= 0) {
		sb_addf(b->out, "   - %s sets no fixed cadence: update each audience when something "
			"changes.\n", sev->label);
		return;
	}
	limit = sev->update_limit_minutes > sev->update_due_minutes ? sev->update_limit_minutes
								  : sev->update_due_minutes;
	for (size_t i = 0; i < b->pb->n_audiences; i++) {
		const struct pb_audience *aud = &b->pb->audiences[i];

		if (!aud->follows_cadence)
			continue;
		sb_addf(b->out, "   - %s update every %d minutes, at the latest every %d minutes\n",
			aud->label ? aud->label : aud->id, sev->update_due_minutes, limit);
	}
}

static void section_escalation(struct brief *b)
{
	const struct brief_escalation *entry;

	sb_add(b->out, "\n5. Escalation and incident command\n");
	if (!b->severity) {
		sb_add(b->out, "   No severity yet: assign one in step 2; the roles, notifications and "
		       "update cadence follow from it.\n");
		return;
	}
	sb_addf(b->out, "   Severity: %s%s\n", b->severity->label,
		b->severity_suggested ? " (suggested; confirm or override it in step 2)" : "");

	entry = brief_rules_severity(b->rules, b->severity->id);
	sb_add(b->out, "   Roles to fill:\n");
	for (size_t i = 0; entry && i < entry->n_roles; i++)
		role_line(b, entry->roles[i], NULL);
	for (size_t i = 0; b->security && i < b->rules->security.n_roles; i++)
		role_line(b, b->rules->security.roles[i], "security mini-SOP");
	if (!entry && !(b->security && b->rules->security.n_roles))
		sb_addf(b->out, "   - the playbook's escalation section lists no roles for %s\n",
			b->severity->label);

	notify_lines(b, entry);
	cadence_lines(b);
}

/* ---- the brief ---- */

/* Works out the category, severity and mini-SOP the sections go by. */
static void brief_context(struct brief *b)
{
	const struct incident *inc = b->inc;

	b->category = str_blank(inc->category) ? NULL : inc->category;
	if (!b->category) {
		b->category = severity_suggest_category(b->pb,
							(const char *const *)inc->risk_indicators.items,
							inc->risk_indicators.len);
		b->category_suggested = b->category != NULL;
	}
	b->severity = playbook_severity(b->pb, inc->severity);
	if (!b->severity) {
		b->severity = playbook_severity(b->pb, inc->suggested_severity);
		b->severity_suggested = b->severity != NULL;
	}
	b->security = step_security_applies(b->pb, inc);
}

char *brief_build(struct store *st, const struct playbook *pb, const struct brief_rules *rules,
		  const struct guard *guard, const char *incident_id, struct wr_error *err)
{
	struct brief b = {.st = st, .pb = pb, .rules = rules, .guard = guard, .err = err};
	struct incident *inc;
	struct strbuf out;
	char now[21];
	int rc;

	inc = incident_get(st, incident_id, err);
	if (!inc)
		return NULL;
	b.inc = inc;
	b.out = &out;
	brief_context(&b);
	if (checklist_marks(st, inc->id, &b.marks, &b.n_marks, err) != 0) {
		incident_free(inc);
		return NULL;
	}

	sb_init(&out);
	time_format_utc(clock_now(), now);
	sb_addf(&out, "Brief for %s, prepared %s\n", inc->id, now);
	report_add(&out, inc->summary, NULL);
	sb_addc(&out, '\n');

	rc = section_missing(&b);
	if (rc == 0) {
		section_logging(&b);
		section_containment(&b);
		rc = section_draft(&b);
	}
	if (rc == 0)
		section_escalation(&b);

	checklist_marks_free(b.marks, b.n_marks);
	incident_free(inc);
	if (rc != 0) {
		sb_free(&out);
		return NULL;
	}
	return sb_take(&out);
}
