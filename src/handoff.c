/*
 * Handoff packets; see handoff.h. One builder per audience, each reading only
 * what that audience may receive: a builder never reads draft updates,
 * unconfirmed hypotheses or unconfirmed windows, so nothing restricted can
 * reach a packet by mistake in the formatting.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cadence.h"
#include "events.h"
#include "handoff.h"
#include "incident.h"
#include "report_text.h"
#include "steps.h"
#include "updates.h"

/* The incident and output buffer a packet builder works on. */
struct packet {
	struct store *st;
	const struct playbook *pb;
	const struct incident *inc;
	struct strbuf *out;
	struct wr_error *err;
};

static const char not_recorded[] = "not recorded yet";

/* Appends "  LABEL VALUE\n", VALUE escaped; a blank value reads as FALLBACK. */
static void packet_field(struct packet *p, const char *label, const char *value,
			 const char *fallback)
{
	sb_addf(p->out, "  %-8s ", label);
	report_add(p->out, str_blank(value) ? NULL : value, fallback);
	sb_addc(p->out, '\n');
}

/* Appends the customer impact statement: what, who, since when, current status. */
static void packet_impact(struct packet *p, const char *title)
{
	sb_addf(p->out, "\n%s\n", title);
	packet_field(p, "What:", p->inc->impact_what, not_recorded);
	packet_field(p, "Who:", p->inc->impact_who, not_recorded);
	packet_field(p, "Since:", p->inc->impact_since, not_recorded);
	if (p->inc->resolved_at)
		packet_field(p, "Status:", "resolved", not_recorded);
	else
		packet_field(p, "Status:", p->inc->impact_status, not_recorded);
}

/* Appends "Label: a, b, c" for LIST, or FALLBACK when it is empty. */
static void packet_list_line(struct packet *p, const char *label, const struct strlist *list,
			     const char *fallback)
{
	sb_addf(p->out, "%s ", label);
	if (list->len == 0)
		sb_add(p->out, fallback);
	for (size_t i = 0; i < list->len; i++) {
		if (i)
			sb_add(p->out, ", ");
		report_add(p->out, list->items[i], NULL);
	}
	sb_addc(p->out, '\n');
}

/* Returns nonzero when update U has been approved (it may since have been published). */
static int update_is_approved(const struct update *u)
{
	return strcmp(u->state, "approved") == 0 || strcmp(u->state, "published") == 0;
}

/* Appends the approval and publication of U on one line. */
static void packet_update_heading(struct packet *p, const struct update *u)
{
	sb_addf(p->out, "  Update %lld, approved %s by ", u->id, u->approved_at ? u->approved_at : "");
	report_add(p->out, u->approved_by, "(unknown)");
	if (strcmp(u->state, "published") == 0) {
		sb_addf(p->out, ", published %s by ", u->published_at ? u->published_at : "");
		report_add(p->out, u->published_by, "(unknown)");
	} else {
		sb_add(p->out, ", not published yet");
	}
	sb_add(p->out, ":\n");
}

/* Compares two ISO 8601 UTC times as strings, which orders them in time; NULL sorts first. */
static int time_compare(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* Customer Service: the latest approved or published update and the four impact facts. */
static int packet_cs(struct packet *p)
{
	struct update *list = NULL, *latest = NULL, *last_published = NULL;
	size_t n = 0;
	time_t published = 0;
	struct cadence cad;

	if (update_list(p->st, p->inc->id, "cs", &list, &n, p->err) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct update *u = &list[i];

		if (!update_is_approved(u))
			continue;
		/* The list is oldest first, so the later update wins a tie. */
		if (!latest || time_compare(u->approved_at, latest->approved_at) >= 0)
			latest = u;
		if (strcmp(u->state, "published") == 0 &&
		    (!last_published || time_compare(u->published_at, last_published->published_at) >= 0))
			last_published = u;
	}

	sb_add(p->out, "\nLatest approved update\n");
	if (latest) {
		packet_update_heading(p, latest);
		report_add_block(p->out, "    ", latest->text);
	} else {
		sb_add(p->out, "  No update is approved yet. Pass nothing on to customers until one is.\n");
	}
	packet_impact(p, "Impact");

	if (last_published && last_published->published_at)
		time_parse_iso8601(last_published->published_at, &published);
	cad = cadence_for(p->pb, p->inc, "cs", published, clock_now());
	if (cad.applies) {
		char due[21], limit[21];

		time_format_utc(cad.due_at, due);
		time_format_utc(cad.limit_at, limit);
		sb_addf(p->out, "\nNext update due %s, at the latest %s (%s).\n", due, limit,
			cadence_state_name(cad.state));
	}
	update_list_free(list, n);
	return 0;
}

/* Appends the extra handoff fields whose names mention a version ("app_version": "5.2.1"). */
static void packet_versions(struct packet *p)
{
	json_error_t error;
	json_t *extra = p->inc->extra ? json_loads(p->inc->extra, 0, &error) : NULL;
	const char *key;
	json_t *value;
	int found = 0;

	sb_add(p->out, "\nAffected versions\n");
	if (json_is_object(extra)) {
		json_object_foreach(extra, key, value) {
			char *text;

			if (!strstr(key, "version"))
				continue;
			text = json_is_string(value) ? xstrdup(json_string_value(value))
						     : json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
			sb_add(p->out, "  - ");
			report_add(p->out, key, NULL);
			sb_add(p->out, ": ");
			report_add(p->out, text, "");
			sb_addc(p->out, '\n');
			free(text);
			found = 1;
		}
	}
	if (!found)
		sb_add(p->out, "  none recorded\n");
	json_decref(extra);
}

/* Product: confirmed hypotheses, reproduction, affected services and versions, user impact. */
static int packet_product(struct packet *p)
{
	struct hypothesis *list = NULL;
	size_t n = 0, confirmed = 0;

	if (hypothesis_list(p->st, p->inc->id, &list, &n, p->err) != 0)
		return -1;

	sb_add(p->out, "\nProduct: ");
	report_add(p->out, str_blank(p->inc->product) ? NULL : p->inc->product, not_recorded);
	sb_addc(p->out, '\n');
	packet_list_line(p, "Channels:", &p->inc->channels, not_recorded);

	sb_add(p->out, "\nConfirmed defect details\n");
	for (size_t i = 0; i < n; i++) {
		if (strcmp(list[i].status, "confirmed") != 0)
			continue;
		sb_addf(p->out, "  - Hypothesis %lld, confirmed %s by ", list[i].id,
			list[i].decided_at ? list[i].decided_at : "");
		report_add(p->out, list[i].decided_by, "(unknown)");
		sb_add(p->out, ":\n");
		report_add_block(p->out, "      ", list[i].text);
		if (!str_blank(list[i].note)) {
			sb_add(p->out, "      Note: ");
			report_add(p->out, list[i].note, NULL);
			sb_addc(p->out, '\n');
		}
		confirmed++;
	}
	if (confirmed == 0)
		sb_add(p->out, "  No hypothesis is confirmed yet; unconfirmed ones are not shared.\n");
	hypothesis_list_free(list, n);

	sb_add(p->out, "\nReproduction\n");
	if (str_blank(p->inc->reproduction))
		sb_addf(p->out, "  %s\n", not_recorded);
	else
		report_add_block(p->out, "  ", p->inc->reproduction);

	sb_add(p->out, "\n");
	packet_list_line(p, "Affected services:", &p->inc->impacted_services, not_recorded);
	packet_versions(p);
	packet_impact(p, "User impact");
	return 0;
}

/* Marketing: approved statements to Marketing, and the root cause only when its sharing is approved. */
static int packet_marketing(struct packet *p)
{
	struct update *list = NULL;
	size_t n = 0, shown = 0;

	if (update_list(p->st, p->inc->id, "marketing", &list, &n, p->err) != 0)
		return -1;

	sb_add(p->out, "\nApproved customer-safe statements, newest first\n");
	for (size_t i = n; i-- > 0;) {
		if (!update_is_approved(&list[i]))
			continue;
		packet_update_heading(p, &list[i]);
		report_add_block(p->out, "    ", list[i].text);
		shown++;
	}
	if (shown == 0)
		sb_add(p->out, "  No statement is approved yet. Say nothing in public until one is.\n");
	update_list_free(list, n);

	sb_add(p->out, "\nRoot cause\n");
	if (str_blank(p->inc->root_cause_approved_by)) {
		sb_add(p->out, "  Not for sharing: no root-cause approval is recorded.\n");
		return 0;
	}
	sb_add(p->out, "  Approved for sharing by ");
	report_add(p->out, p->inc->root_cause_approved_by, NULL);
	sb_add(p->out, ":\n");
	if (str_blank(p->inc->root_cause))
		sb_addf(p->out, "    %s\n", not_recorded);
	else
		report_add_block(p->out, "    ", p->inc->root_cause);
	return 0;
}

/* Finance: confirmed payment-failure windows and their transaction types. */
static int packet_finance(struct packet *p)
{
	struct payment_window *list = NULL;
	struct strlist types = {0};
	size_t n = 0, confirmed = 0;

	if (window_list(p->st, p->inc->id, &list, &n, p->err) != 0)
		return -1;

	sb_add(p->out, "\nConfirmed payment-failure windows (UTC)\n");
	for (size_t i = 0; i < n; i++) {
		long long seconds;

		if (!list[i].confirmed)
			continue;
		sb_addf(p->out, "  - %s to %s", list[i].from, list[i].to ? list[i].to : "");
		if (report_interval(list[i].from, list[i].to, &seconds) == 0) {
			sb_add(p->out, " (");
			report_add_duration(p->out, seconds);
			sb_addc(p->out, ')');
		}
		sb_add(p->out, ": ");
		for (size_t t = 0; t < list[i].types.len; t++) {
			sb_add(p->out, t ? ", " : "");
			report_add(p->out, list[i].types.items[t], NULL);
			if (!strlist_contains(&types, list[i].types.items[t]))
				strlist_add(&types, list[i].types.items[t]);
		}
		sb_addc(p->out, '\n');
		confirmed++;
	}
	if (confirmed == 0)
		sb_add(p->out, "  None confirmed yet.\n");

	sb_add(p->out, "\n");
	packet_list_line(p, "Transaction types affected:", &types, "none confirmed yet");
	if (n > confirmed)
		sb_addf(p->out, "Windows still being confirmed: %zu (shared once confirmed).\n",
			n - confirmed);
	strlist_free(&types);
	window_list_free(list, n);
	return 0;
}

/* Appends "  - AT ACTOR: DETAILS" for each event of KIND; returns how many, or -1. */
static int packet_events(struct packet *p, const char *kind)
{
	struct event *list = NULL;
	size_t n = 0;

	if (events_list(p->st, p->inc->id, kind, &list, &n, p->err) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		sb_addf(p->out, "  - %s ", list[i].at);
		report_add(p->out, list[i].actor, NULL);
		sb_add(p->out, ": ");
		report_add(p->out, list[i].details, NULL);
		sb_addc(p->out, '\n');
	}
	events_free(list, n);
	return (int)n;
}

/* Appends the severity, the suggestion and every severity change with its reason. */
static int packet_severity(struct packet *p)
{
	const struct pb_severity *sev = playbook_severity(p->pb, p->inc->severity);
	const struct pb_severity *suggested = playbook_severity(p->pb, p->inc->suggested_severity);

	sb_add(p->out, "\nSeverity: ");
	if (sev)
		sb_addf(p->out, "%s (%s)", sev->label, sev->meaning);
	else
		sb_add(p->out, "not assigned yet");
	sb_add(p->out, "\nSuggested: ");
	if (suggested) {
		sb_addf(p->out, "%s", suggested->label);
		if (!str_blank(p->inc->suggestion_rule)) {
			sb_add(p->out, " by rule ");
			report_add(p->out, p->inc->suggestion_rule, NULL);
		}
	} else {
		sb_add(p->out, "none");
	}
	sb_addc(p->out, '\n');

	sb_add(p->out, "Severity changes, with the reasons given:\n");
	switch (packet_events(p, "severity")) {
	case -1:
		return -1;
	case 0:
		sb_add(p->out, "  none\n");
		break;
	default:
		break;
	}
	return 0;
}

/* Returns the state of security action ITEM in MARKS, or NULL when it is not marked. */
static const struct checklist_mark *find_mark(const struct checklist_mark *marks, size_t n,
					      const char *list, const char *item)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(marks[i].list, list) == 0 && strcmp(marks[i].item, item) == 0)
			return &marks[i];
	return NULL;
}

/* Appends whether the security mini-SOP applies, why, and the mark of each of its actions. */
static int packet_security(struct packet *p)
{
	struct checklist_mark *marks = NULL;
	size_t n = 0;

	sb_add(p->out, "\nSecurity: ");
	if (!step_security_applies(p->pb, p->inc)) {
		sb_add(p->out, "the security mini-SOP does not apply.\n");
		return 0;
	}
	sb_add(p->out, "the security mini-SOP applies (");
	if (playbook_is_security_category(p->pb, p->inc->category)) {
		sb_add(p->out, "category ");
		report_add(p->out, p->inc->category, NULL);
	} else {
		const char *sep = "risk indicator ";

		for (size_t i = 0; i < p->inc->risk_indicators.len; i++) {
			if (!playbook_is_security_trigger(p->pb, p->inc->risk_indicators.items[i]))
				continue;
			sb_add(p->out, sep);
			report_add(p->out, p->inc->risk_indicators.items[i], NULL);
			sep = ", ";
		}
	}
	sb_add(p->out, ").\n");

	if (checklist_marks(p->st, p->inc->id, &marks, &n, p->err) != 0)
		return -1;
	for (size_t i = 0; i < p->pb->n_security_actions; i++) {
		const struct pb_item *action = &p->pb->security_actions[i];
		const struct checklist_mark *mark = find_mark(marks, n, "security", action->id);

		if (!mark) {
			sb_addf(p->out, "  [ ] %s: not marked\n", action->text);
			continue;
		}
		sb_addf(p->out, "  [%s] %s: %s %s by ", strcmp(mark->state, "done") == 0 ? "x" : "-",
			action->text, strcmp(mark->state, "done") == 0 ? "done" : "not applicable",
			mark->at);
		report_add(p->out, mark->actor, NULL);
		if (!str_blank(mark->note)) {
			sb_add(p->out, " (");
			report_add(p->out, mark->note, NULL);
			sb_addc(p->out, ')');
		}
		sb_addc(p->out, '\n');
	}
	checklist_marks_free(marks, n);
	return 0;
}

static int packet_decisions(struct packet *p)
{
	struct decision *list = NULL;
	size_t n = 0;

	if (decision_list(p->st, p->inc->id, &list, &n, p->err) != 0)
		return -1;
	sb_add(p->out, "\nDecisions\n");
	for (size_t i = 0; i < n; i++) {
		sb_addf(p->out, "  - %s ", list[i].at);
		report_add(p->out, list[i].decided_by, NULL);
		sb_add(p->out, ": ");
		report_add(p->out, list[i].text, NULL);
		sb_addc(p->out, '\n');
	}
	if (n == 0)
		sb_add(p->out, "  none recorded\n");
	decision_list_free(list, n);
	return 0;
}

/* Appends the current approvals and the timeline of approval events. */
static int packet_approvals(struct packet *p)
{
	sb_add(p->out, "\nApprovals\n");
	sb_add(p->out, "  Naming a third party as the cause: ");
	report_add(p->out, str_blank(p->inc->vendor_blame_approved_by) ? NULL
		   : p->inc->vendor_blame_approved_by, "not approved");
	sb_add(p->out, "\n  Sharing the root cause with Marketing: ");
	report_add(p->out, str_blank(p->inc->root_cause_approved_by) ? NULL
		   : p->inc->root_cause_approved_by, "not approved");
	sb_addc(p->out, '\n');
	return packet_events(p, "approval") < 0 ? -1 : 0;
}

/* Appends the departures from a rule: a severity other than the suggested one, guardrail overrides. */
static int packet_overrides(struct packet *p)
{
	struct update *list = NULL;
	size_t n = 0, shown = 0;

	sb_add(p->out, "\nOverrides\n");
	if (!str_blank(p->inc->severity) && !str_blank(p->inc->suggested_severity) &&
	    strcmp(p->inc->severity, p->inc->suggested_severity) != 0) {
		sb_add(p->out, "  - Severity ");
		report_add(p->out, p->inc->severity, NULL);
		sb_add(p->out, " instead of the suggested ");
		report_add(p->out, p->inc->suggested_severity, NULL);
		sb_add(p->out, "; the reason is under Severity changes\n");
		shown++;
	}

	if (update_list(p->st, p->inc->id, NULL, &list, &n, p->err) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (list[i].errors_at_approval <= 0)
			continue;
		sb_addf(p->out, "  - Update %lld to %s approved %s by ", list[i].id, list[i].audience,
			list[i].approved_at ? list[i].approved_at : "");
		report_add(p->out, list[i].approved_by, "(unknown)");
		sb_addf(p->out, " despite %d guardrail error%s: ", list[i].errors_at_approval,
			list[i].errors_at_approval == 1 ? "" : "s");
		report_add(p->out, list[i].override_reason, "(no reason stored)");
		sb_addc(p->out, '\n');
		shown++;
	}
	update_list_free(list, n);
	if (shown == 0)
		sb_add(p->out, "  none\n");
	return 0;
}

/* Management and Legal: severity, security status, decisions, approvals and overrides. */
static int packet_management(struct packet *p)
{
	sb_add(p->out, "\nIncident: ");
	report_add(p->out, p->inc->summary, NULL);
	sb_add(p->out, "\nStatus: ");
	report_add(p->out, p->inc->status, NULL);
	sb_add(p->out, "\nCommander: ");
	report_add(p->out, str_blank(p->inc->commander) ? NULL : p->inc->commander, "not named yet");
	sb_addc(p->out, '\n');

	if (packet_severity(p) != 0 || packet_security(p) != 0 || packet_decisions(p) != 0 ||
	    packet_approvals(p) != 0 || packet_overrides(p) != 0)
		return -1;
	return 0;
}

const char *const handoff_audiences[] = {"cs", "product", "marketing", "finance", "management",
					 NULL};

/* The builder for each entry of handoff_audiences, in the same order. */
static int (*const packet_builders[])(struct packet *) = {
	packet_cs, packet_product, packet_marketing, packet_finance, packet_management,
};

_Static_assert(sizeof handoff_audiences / sizeof handoff_audiences[0] ==
		       sizeof packet_builders / sizeof packet_builders[0] + 1,
	       "one packet builder per handoff audience");

static int unknown_audience(const char *audience, struct wr_error *err)
{
	struct strbuf ids;

	sb_init(&ids);
	for (size_t i = 0; handoff_audiences[i]; i++)
		sb_addf(&ids, "%s%s", i ? ", " : "", handoff_audiences[i]);
	error_set(err, WR_BAD_INPUT, "no handoff packet for audience \"%s\"; use one of: %s",
		  audience ? audience : "", ids.data);
	sb_free(&ids);
	return -1;
}

char *handoff_packet(struct store *st, const struct playbook *pb, const char *incident_id,
		     const char *audience, struct wr_error *err)
{
	const struct pb_audience *aud;
	struct incident *inc;
	struct strbuf out;
	struct packet p;
	size_t which;
	char now[21];

	for (which = 0; handoff_audiences[which]; which++)
		if (audience && strcmp(handoff_audiences[which], audience) == 0)
			break;
	if (!handoff_audiences[which]) {
		unknown_audience(audience, err);
		return NULL;
	}
	aud = playbook_audience(pb, audience);
	if (!aud) {
		error_set(err, WR_BAD_INPUT, "the playbook %s has no audience \"%s\"; add it to its "
			  "audiences list", pb->path ? pb->path : "", audience);
		return NULL;
	}
	inc = incident_get(st, incident_id, err);
	if (!inc)
		return NULL;

	sb_init(&out);
	time_format_utc(clock_now(), now);
	sb_addf(&out, "Handoff to %s: %s\n", aud->label ? aud->label : aud->id, inc->id);
	if (!str_blank(aud->receives))
		sb_addf(&out, "They receive: %s\n", aud->receives);
	sb_addf(&out, "Prepared: %s\n", now);

	p = (struct packet){st, pb, inc, &out, err};
	if (packet_builders[which](&p) != 0) {
		sb_free(&out);
		incident_free(inc);
		return NULL;
	}
	incident_free(inc);
	return sb_take(&out);
}
