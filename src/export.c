/*
 * The post-incident review in Markdown, and writing it to a file without
 * ever leaving a partial one; see export.h.
 *
 * Every record value goes through textsafe first, which turns control
 * characters into visible escapes, so a terminal showing the raw file
 * stays safe. Markdown's special characters are then backslash-escaped, so
 * a value cannot add links, emphasis, headings or table cells to the
 * rendered document.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chain.h"
#include "events.h"
#include "export.h"
#include "incident.h"
#include "report_text.h"
#include "steps.h"
#include "textsafe.h"
#include "updates.h"

/* The incident, severity and output buffer the sections of one review share. */
struct review {
	struct store *st;
	const struct playbook *pb;
	const struct incident *inc;
	const struct pb_severity *severity; /* the record's, else the suggested one; may be NULL */
	struct strbuf *out;
	struct wr_error *err;
};

/* ---- Markdown text ---- */

/* Characters that start emphasis, code, links, HTML, entities, table cells or strike-through. */
static int md_inline_special(char c)
{
	return c != '\0' && strchr("\\`*_[]<>|&~", c) != NULL;
}

/*
 * Appends SAFE, text already escaped with textsafe, with Markdown specials
 * escaped. AT_LINE_START also escapes what would start a heading, list,
 * quote or rule at the start of a line.
 */
static void md_escape(struct strbuf *sb, const char *safe, int at_line_start)
{
	const char *p = safe;

	if (at_line_start) {
		const char *digits;

		while (*p == ' ')
			sb_addc(sb, *p++);
		for (digits = p; *digits >= '0' && *digits <= '9'; digits++)
			;
		if (*p && strchr("#+-=>", *p)) {
			sb_addc(sb, '\\');
			sb_addc(sb, *p++);
		} else if (digits > p && (*digits == '.' || *digits == ')')) {
			sb_addn(sb, p, (size_t)(digits - p));
			sb_addc(sb, '\\');
			sb_addc(sb, *digits);
			p = digits + 1;
		}
	}
	for (; *p; p++) {
		if (md_inline_special(*p))
			sb_addc(sb, '\\');
		sb_addc(sb, *p);
	}
}

/* Appends S on one line (a line break reads as \n), escaped; a blank S adds FALLBACK as is. */
static void md_add(struct strbuf *sb, const char *s, const char *fallback)
{
	char *safe;

	if (str_blank(s)) {
		sb_add(sb, fallback);
		return;
	}
	safe = textsafe(s);
	md_escape(sb, safe, 0);
	free(safe);
}

/* Appends S as a table cell (see md_add) and the " | " that ends it. */
static void md_cell(struct strbuf *sb, const char *s, const char *fallback)
{
	md_add(sb, s, fallback);
	sb_add(sb, " | ");
}

/* Starts a table section of N rows: NONE when there are none, else the HEADER lines. */
static void md_table(struct strbuf *sb, size_t n, const char *none, const char *header)
{
	sb_add(sb, n == 0 ? none : header);
}

/* Appends S as lines that start with PREFIX ("> "), keeping its line breaks as hard breaks. */
static void md_block(struct strbuf *sb, const char *prefix, const char *s)
{
	char *safe = textsafe_escape(s, strlen(s), 1);
	char *line = safe, *next;

	for (; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		sb_add(sb, prefix);
		md_escape(sb, line, 1);
		/* Two spaces end a line with a hard break, except the last one. */
		sb_add(sb, next ? "  \n" : "\n");
	}
	free(safe);
}

/* Appends "- **LABEL:** VALUE\n" with VALUE escaped; a blank value reads as FALLBACK. */
static void md_item(struct strbuf *sb, const char *label, const char *value, const char *fallback)
{
	sb_addf(sb, "- **%s:** ", label);
	md_add(sb, value, fallback);
	sb_addc(sb, '\n');
}

/* Appends "a, b, c" of LIST escaped, or FALLBACK when it is empty. */
static void md_list(struct strbuf *sb, const struct strlist *list, const char *fallback)
{
	if (list->len == 0)
		sb_add(sb, fallback);
	for (size_t i = 0; i < list->len; i++) {
		if (i)
			sb_add(sb, ", ");
		md_add(sb, list->items[i], "");
	}
}

/* ---- sections ---- */

static void section_title(struct review *r)
{
	char now[21];

	time_format_utc(clock_now(), now);
	sb_add(r->out, "# Post-incident review: ");
	md_add(r->out, r->inc->id, "");
	sb_addf(r->out, "\n\nGenerated %s from the incident record. All times are UTC.\n", now);
}

/* Appends the severity with its label, and the suggestion when there is one. */
static void severity_text(struct review *r)
{
	const struct pb_severity *set = playbook_severity(r->pb, r->inc->severity);
	const struct pb_severity *suggested = playbook_severity(r->pb, r->inc->suggested_severity);

	if (set)
		sb_add(r->out, set->label);
	else
		sb_add(r->out, "not assigned");
	if (suggested) {
		sb_addf(r->out, " (suggested %s", suggested->label);
		if (!str_blank(r->inc->suggestion_rule)) {
			sb_add(r->out, " by rule ");
			md_add(r->out, r->inc->suggestion_rule, "");
		}
		sb_addc(r->out, ')');
	}
}

static void section_summary(struct review *r)
{
	const struct incident *inc = r->inc;
	const struct pb_term *category = playbook_category(r->pb, inc->category);

	sb_add(r->out, "\n## Summary\n\n");
	md_add(r->out, inc->summary, "No summary recorded.");
	sb_add(r->out, "\n\n");
	md_item(r->out, "Product", inc->product, "not recorded");
	sb_add(r->out, "- **Channels:** ");
	md_list(r->out, &inc->channels, "not recorded");
	sb_addc(r->out, '\n');
	md_item(r->out, "Category", category && category->label ? category->label : inc->category,
		"not classified");
	md_item(r->out, "Status", inc->status, "unknown");
	md_item(r->out, "Commander", inc->commander, "not named");
	md_item(r->out, "Reported by", inc->reporter, "not recorded");
	md_item(r->out, "Source", inc->source, "entered by hand");
	md_item(r->out, "Reference", inc->reference, "none");
	sb_addf(r->out, "- **Security mini-SOP:** %s\n",
		step_security_applies(r->pb, inc) ? "applies" : "does not apply");
}

static int section_impact(struct review *r)
{
	const struct incident *inc = r->inc;
	const struct pb_term *scope = playbook_scope(r->pb, inc->scope);
	struct payment_window *windows = NULL;
	size_t n = 0;

	sb_add(r->out, "\n## Impact\n\n");
	md_item(r->out, "What", inc->impact_what, "not recorded");
	md_item(r->out, "Who", inc->impact_who, "not recorded");
	md_item(r->out, "Since", inc->impact_since, "not recorded");
	md_item(r->out, "Status in the last impact statement", inc->impact_status, "not recorded");
	md_item(r->out, "Scope", scope && scope->label ? scope->label : inc->scope, "not recorded");
	sb_add(r->out, "- **Severity:** ");
	severity_text(r);
	sb_add(r->out, "\n- **Impacted services:** ");
	md_list(r->out, &inc->impacted_services, "not recorded");
	sb_add(r->out, "\n- **Impacted metrics:** ");
	md_list(r->out, &inc->metrics, "not recorded");
	sb_addc(r->out, '\n');

	if (window_list(r->st, inc->id, &windows, &n, r->err) != 0)
		return -1;
	sb_add(r->out, "\n### Payment-failure windows\n\n");
	md_table(r->out, n, "None recorded.\n",
		 "| From | To | Duration | Transaction types | Confirmed |\n"
		 "| --- | --- | --- | --- | --- |\n");
	for (size_t i = 0; i < n; i++) {
		long long seconds;

		sb_add(r->out, "| ");
		md_cell(r->out, windows[i].from, "");
		md_cell(r->out, windows[i].to, "still open");
		if (report_interval(windows[i].from, windows[i].to, &seconds) == 0)
			report_add_duration(r->out, seconds);
		sb_add(r->out, " | ");
		md_list(r->out, &windows[i].types, "");
		sb_addf(r->out, " | %s |\n", windows[i].confirmed ? "yes" : "no");
	}
	window_list_free(windows, n);
	return 0;
}

/*
 * States whether the timeline's hash chain verifies, with its last hash: a
 * reader who keeps this document can later check that the stored timeline
 * was not rewritten since.
 */
static int section_integrity(struct review *r)
{
	struct chain_report report;

	if (chain_verify(r->st, r->inc->id, &report, r->err) != 0)
		return -1;
	sb_add(r->out, "\n");
	if (report.status == CHAIN_OK)
		sb_addf(r->out, "Timeline integrity: the hash chain of %lld events verifies; "
			"the last hash is `%s`.\n", report.events, report.last_hash);
	else {
		sb_add(r->out, "Timeline integrity: **the hash chain does not verify**: ");
		md_add(r->out, report.message, "");
		sb_add(r->out, "\n");
	}
	return 0;
}

static int section_timeline(struct review *r)
{
	struct event *events = NULL;
	size_t n = 0;

	if (events_list(r->st, r->inc->id, NULL, &events, &n, r->err) != 0)
		return -1;
	sb_add(r->out, "\n## Timeline\n\n");
	sb_add(r->out, "| Time (UTC) | Actor | Event | Details |\n| --- | --- | --- | --- |\n");
	for (size_t i = 0; i < n; i++) {
		sb_add(r->out, "| ");
		md_cell(r->out, events[i].at, "");
		md_cell(r->out, events[i].actor, "");
		md_cell(r->out, events[i].kind, "");
		md_add(r->out, events[i].details, "");
		sb_add(r->out, " |\n");
	}
	events_free(events, n);
	return section_integrity(r);
}

static void section_root_cause(struct review *r)
{
	sb_add(r->out, "\n## Root cause\n\n");
	if (str_blank(r->inc->root_cause))
		sb_add(r->out, "Not recorded yet.\n");
	else
		md_block(r->out, "> ", r->inc->root_cause);
	sb_add(r->out, "\n");
	md_item(r->out, "Sharing with Marketing approved by", r->inc->root_cause_approved_by,
		"not approved");
	md_item(r->out, "Naming a third party as the cause approved by",
		r->inc->vendor_blame_approved_by, "not approved");
}

static int section_actions(struct review *r)
{
	struct action *actions = NULL;
	size_t n = 0;

	if (action_list(r->st, r->inc->id, &actions, &n, r->err) != 0)
		return -1;
	sb_add(r->out, "\n## Corrective actions and prevention tasks\n\n");
	md_table(r->out, n, "None recorded yet.\n",
		 "| # | Kind | Action | Owner | Due | Done |\n"
		 "| --- | --- | --- | --- | --- | --- |\n");
	for (size_t i = 0; i < n; i++) {
		sb_addf(r->out, "| %lld | ", actions[i].id);
		md_cell(r->out, actions[i].kind, "");
		md_cell(r->out, actions[i].text, "");
		md_cell(r->out, actions[i].owner, "");
		md_cell(r->out, actions[i].due, "");
		md_add(r->out, actions[i].done_at, "open");
		sb_add(r->out, " |\n");
	}
	action_list_free(actions, n);
	return 0;
}

static int section_hypotheses(struct review *r)
{
	struct hypothesis *list = NULL;
	size_t n = 0;

	if (hypothesis_list(r->st, r->inc->id, &list, &n, r->err) != 0)
		return -1;
	sb_add(r->out, "\n## Hypotheses\n\n");
	md_table(r->out, n, "None recorded.\n",
		 "| # | Hypothesis | Outcome | Decided | Note |\n"
		 "| --- | --- | --- | --- | --- |\n");
	for (size_t i = 0; i < n; i++) {
		sb_addf(r->out, "| %lld | ", list[i].id);
		md_cell(r->out, list[i].text, "");
		md_cell(r->out, list[i].status, "");
		if (!str_blank(list[i].decided_at)) {
			md_add(r->out, list[i].decided_at, "");
			sb_add(r->out, " by ");
			md_add(r->out, list[i].decided_by, "unknown");
		}
		sb_add(r->out, " | ");
		md_add(r->out, list[i].note, "");
		sb_add(r->out, " |\n");
	}
	hypothesis_list_free(list, n);
	return 0;
}

/* Returns the update limit in minutes that applies to AUDIENCE, or 0 when none does. */
static int audience_limit(struct review *r, const char *audience)
{
	const struct pb_audience *aud = playbook_audience(r->pb, audience);
	const struct pb_severity *sev = r->severity;

	if (!aud || !aud->follows_cadence || !sev || sev->update_due_minutes <= 0)
		return 0;
	return sev->update_limit_minutes > sev->update_due_minutes ? sev->update_limit_minutes
								   : sev->update_due_minutes;
}

/*
 * Returns the publication before update I to the same audience: the latest
 * published earlier (an earlier id wins a tie), or NULL for the first.
 */
static const struct update *previous_published(const struct update *list, size_t n, size_t i)
{
	const struct update *u = &list[i], *best = NULL;

	for (size_t k = 0; k < n; k++) {
		const struct update *v = &list[k];
		int order;

		if (k == i || !v->published_at || strcmp(v->audience, u->audience) != 0)
			continue;
		order = strcmp(v->published_at, u->published_at);
		if (order > 0 || (order == 0 && v->id > u->id))
			continue;
		if (!best || strcmp(v->published_at, best->published_at) > 0 ||
		    (strcmp(v->published_at, best->published_at) == 0 && v->id > best->id))
			best = v;
	}
	return best;
}

/* Appends the gap before published update I and how it compares with the audience's limit. */
static void update_gap(struct review *r, const struct update *list, size_t n, size_t i)
{
	const struct update *u = &list[i];
	const struct update *previous = previous_published(list, n, i);
	const char *from = previous ? previous->published_at : r->inc->started_at;
	int limit = audience_limit(r, u->audience);
	long long seconds, minutes;

	if (report_interval(from, u->published_at, &seconds) != 0)
		return;
	minutes = report_minutes(seconds);
	sb_addf(r->out, "%lld min%s", minutes, previous ? "" : " after the start");
	if (limit <= 0)
		return;
	if (seconds <= (long long)limit * 60)
		sb_addf(r->out, " (within %d)", limit);
	else
		sb_addf(r->out, " (over the %d-minute limit)", limit);
}

static int section_communications(struct review *r)
{
	struct update *list = NULL;
	size_t n = 0;

	if (update_list(r->st, r->inc->id, NULL, &list, &n, r->err) != 0)
		return -1;
	sb_add(r->out, "\n## Communications review\n\n");
	if (n == 0) {
		sb_add(r->out, "No status update was written.\n");
		update_list_free(list, n);
		return 0;
	}
	/* NOTE: the limits are those of the severity at export time, even if it changed during the incident. */
	sb_add(r->out, "Gaps count from the previous update published to the same audience, or from "
	       "the start for the first; limits are the update cadence of the current severity.\n\n");
	sb_add(r->out, "| # | Audience | State | Published (UTC) | Gap | Approved by | Override |\n"
	       "| --- | --- | --- | --- | --- | --- | --- |\n");
	for (size_t i = 0; i < n; i++) {
		const struct update *u = &list[i];

		sb_addf(r->out, "| %lld | ", u->id);
		md_cell(r->out, u->audience, "");
		md_cell(r->out, u->state, "");
		md_cell(r->out, u->published_at, "not published");
		if (u->published_at)
			update_gap(r, list, n, i);
		sb_add(r->out, " | ");
		md_cell(r->out, u->approved_by, "");
		if (u->errors_at_approval > 0) {
			sb_addf(r->out, "%d guardrail error%s: ", u->errors_at_approval,
				u->errors_at_approval == 1 ? "" : "s");
			md_add(r->out, u->override_reason, "no reason stored");
		}
		sb_add(r->out, " |\n");
	}

	sb_add(r->out, "\n### Update texts\n");
	for (size_t i = 0; i < n; i++) {
		sb_addf(r->out, "\n**Update %lld** to ", list[i].id);
		md_add(r->out, list[i].audience, "");
		sb_add(r->out, ", ");
		md_add(r->out, list[i].state, "");
		sb_add(r->out, ":\n\n");
		md_block(r->out, "> ", list[i].text);
	}
	update_list_free(list, n);
	return 0;
}

/* Appends "- **LABEL:** DURATION (FROM_NAME FROM, TO_NAME TO)", or "not reached" without TO. */
static void response_time(struct review *r, const char *label, const char *to_name,
			  const char *to)
{
	long long seconds;

	sb_addf(r->out, "- **%s:** ", label);
	if (report_interval(r->inc->started_at, to, &seconds) != 0) {
		sb_add(r->out, "not reached\n");
		return;
	}
	report_add_duration(r->out, seconds);
	sb_add(r->out, " (started ");
	md_add(r->out, r->inc->started_at, "");
	sb_addf(r->out, ", %s ", to_name);
	md_add(r->out, to, "");
	sb_add(r->out, ")\n");
}

static void section_response_times(struct review *r)
{
	sb_add(r->out, "\n## Response times\n\n");
	response_time(r, "Time to detect", "detected", r->inc->detected_at);
	response_time(r, "Time to mitigate", "mitigated", r->inc->mitigated_at);
	response_time(r, "Time to resolve", "resolved", r->inc->resolved_at);
}

char *export_review(struct store *st, const struct playbook *pb, const char *incident_id,
		    struct wr_error *err)
{
	struct review r = {.st = st, .pb = pb, .err = err};
	struct incident *inc;
	struct strbuf out;
	int rc;

	inc = incident_get(st, incident_id, err);
	if (!inc)
		return NULL;
	r.inc = inc;
	r.out = &out;
	r.severity = playbook_severity(pb, inc->severity);
	if (!r.severity)
		r.severity = playbook_severity(pb, inc->suggested_severity);

	sb_init(&out);
	section_title(&r);
	section_summary(&r);
	rc = section_impact(&r);
	if (rc == 0)
		rc = section_timeline(&r);
	if (rc == 0) {
		section_root_cause(&r);
		rc = section_actions(&r);
	}
	if (rc == 0)
		rc = section_hypotheses(&r);
	if (rc == 0)
		rc = section_communications(&r);
	if (rc == 0)
		section_response_times(&r);

	incident_free(inc);
	if (rc != 0) {
		sb_free(&out);
		return NULL;
	}
	return sb_take(&out);
}

/* ---- writing the file ---- */

/* Writes LEN bytes of DATA to FD, retrying short writes; 0 or -1 with errno set. */
static int write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

int export_write_file(const char *path, const char *text, struct wr_error *err)
{
	const char *slash = strrchr(path, '/');
	char *folder, *temp;
	int fd, saved;

	if (str_blank(path) || (slash && slash[1] == '\0'))
		return error_set(err, WR_BAD_INPUT, "--output \"%s\" names no file; give a file name "
				 "such as review.md", path);
	if (!slash)
		folder = xstrdup(".");
	else if (slash == path)
		folder = xstrdup("/");
	else
		folder = xstrndup(path, (size_t)(slash - path));
	temp = xasprintf("%s/.%s.XXXXXX", folder, slash ? slash + 1 : path);

	/* mkstemp creates the file with mode 0600; fchmod makes sure whatever the umask. */
	fd = mkstemp(temp);
	if (fd < 0) {
		saved = errno;
		error_set(err, WR_BAD_INPUT, "cannot write the review to %s: cannot create a file in "
			  "the folder %s: %s; choose an existing folder you can write to", path,
			  folder, strerror(saved));
		free(temp);
		free(folder);
		return -1;
	}
	if (fchmod(fd, 0600) != 0 || write_all(fd, text, strlen(text)) != 0 || fsync(fd) != 0) {
		saved = errno;
		close(fd);
		unlink(temp);
		error_set(err, WR_FAILED, "writing the review to %s failed: %s; nothing was written",
			  path, strerror(saved));
		free(temp);
		free(folder);
		return -1;
	}
	if (close(fd) != 0 || rename(temp, path) != 0) {
		saved = errno;
		unlink(temp);
		error_set(err, WR_FAILED, "writing the review to %s failed: %s; nothing was written",
			  path, strerror(saved));
		free(temp);
		free(folder);
		return -1;
	}

	/* Flushing the folder makes the rename itself survive a power cut. */
	fd = open(folder, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(temp);
	free(folder);
	return 0;
}
