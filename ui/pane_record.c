/*
 * Step 3, Record: the start time, the detection source, the commander, the
 * impacted services and metrics, and the hypotheses. A hypothesis is added
 * unconfirmed and later confirmed or rejected with a note; its text is
 * never edited, as the core keeps it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "restricted.h"
#include "ui.h"

/* The record field a prompt sets. */
enum record_field { FIELD_STARTED, FIELD_SOURCE, FIELD_COMMANDER, FIELD_SERVICE, FIELD_METRIC };

static int field_done(struct console *con, void *ctx, char *const *values)
{
	const struct pane_ref *r = ctx;
	struct record_fields fields = {0};
	const char *one[1] = {values[0]};
	struct wr_error err = {0};
	int changed = 1, rc;

	switch ((enum record_field)r->choice) {
	case FIELD_STARTED:
		fields.started_at = values[0];
		break;
	case FIELD_SOURCE:
		fields.detection_source = values[0];
		break;
	case FIELD_COMMANDER:
		fields.commander = values[0];
		break;
	case FIELD_SERVICE:
		fields.add_services = one;
		fields.n_add_services = 1;
		break;
	case FIELD_METRIC:
		fields.add_metrics = one;
		fields.n_add_metrics = 1;
		break;
	}
	rc = step_record(con->st, con->pb, con->iv.id, &fields, &changed, &err);
	if (rc == 0 && !changed)
		return pane_result(con, rc, &err, "Nothing changed: the record already says that.");
	return pane_result(con, rc, &err, "Record updated.");
}

static void field_prompt(struct console *con, enum record_field which, const char *title,
			 const char *label, const char *initial)
{
	struct pane_ref *r = pane_ref_new(NULL, 0);

	r->choice = (int)which;
	prompt_open1(con, title, label, initial, field_done, r);
}

static int started_act(struct console *con, const struct row *row)
{
	field_prompt(con, FIELD_STARTED, "Start time",
		     "When the impact started: ISO 8601, UTC unless an offset is given "
		     "(2018-06-01T13:35Z)",
		     con->iv.inc->started_at);
	return UI_HANDLED;
}

static int source_act(struct console *con, const struct row *row)
{
	field_prompt(con, FIELD_SOURCE, "Detection source",
		     "How the incident was detected (monitoring, customer report...)",
		     con->iv.inc->detection_source);
	return UI_HANDLED;
}

static int commander_act(struct console *con, const struct row *row)
{
	field_prompt(con, FIELD_COMMANDER, "Incident commander", "Who commands the incident",
		     con->iv.inc->commander ? con->iv.inc->commander : actor_name());
	return UI_HANDLED;
}

static int service_add(struct console *con, const struct row *row)
{
	field_prompt(con, FIELD_SERVICE, "Add an impacted service", "Service", NULL);
	return UI_HANDLED;
}

static int metric_add(struct console *con, const struct row *row)
{
	field_prompt(con, FIELD_METRIC, "Add an impacted metric", "Metric (name and value)", NULL);
	return UI_HANDLED;
}

static int service_remove(struct console *con, const struct row *row)
{
	struct record_fields fields = {0};
	const char *one[1] = {row->key};
	struct wr_error err = {0};
	int rc;

	fields.remove_services = one;
	fields.n_remove_services = 1;
	rc = step_record(con->st, con->pb, con->iv.id, &fields, NULL, &err);
	return pane_result(con, rc, &err, "Service removed: %s.", row->key) & ~UI_KEEP;
}

static int service_chosen(struct console *con, void *ctx, int choice)
{
	const struct pane_ref *r = ctx;
	struct row row = {0};

	if (choice != 0)
		return UI_HANDLED;
	row.key = (char *)r->key;
	return service_remove(con, &row);
}

static int service_act(struct console *con, const struct row *row)
{
	static const struct menu_item items[] = {
		{"Remove this service", "It is no longer thought impacted (logged on the timeline)",
		 NULL, ROLE_NORMAL},
		{"Keep it", NULL, NULL, ROLE_NORMAL},
	};

	menu_open(con, row->key, items, 2, 1, service_chosen, pane_ref_new(row->key, 0));
	return UI_HANDLED;
}

static int hypothesis_done(struct console *con, void *ctx, char *const *values)
{
	struct wr_error err = {0};
	int rc = hypothesis_add(con->st, con->iv.id, values[0], NULL, &err);

	return pane_result(con, rc, &err, "Hypothesis added, unconfirmed.");
}

static int restricted_hypothesis_done(struct console *con, void *ctx, char *const *values)
{
	struct wr_error err = {0};
	int rc = restricted_hypothesis_add(con->st, con->settings ? con->settings->restricted_group : NULL,
					   con->iv.id, values[0], NULL, &err);

	return pane_result(con, rc, &err,
			   "Restricted hypothesis added, unconfirmed: its text is in the restricted file.");
}

static int hypothesis_place_chosen(struct console *con, void *ctx, int choice)
{
	if (choice == 1)
		prompt_open1(con, "Add a restricted hypothesis (need-to-know, recorded as unconfirmed)",
			     "Hypothesis", NULL, restricted_hypothesis_done, NULL);
	else
		prompt_open1(con, "Add a hypothesis (recorded as unconfirmed)", "Hypothesis", NULL,
			     hypothesis_done, NULL);
	return UI_HANDLED;
}

static int hypothesis_new(struct console *con, const struct row *row)
{
	static const struct menu_item places[] = {
		{"On the timeline", "Everyone who can see the incident reads it", NULL, ROLE_NORMAL},
		{"Restricted", "Only readers of the restricted file see its text (need-to-know)", NULL,
		 ROLE_NORMAL},
	};

	/* Only a security incident keeps material apart; elsewhere there is no choice to offer. */
	if (con->iv.security)
		menu_open(con, "Add a hypothesis", places, 2, 0, hypothesis_place_chosen, NULL);
	else
		hypothesis_place_chosen(con, NULL, 0);
	return UI_HANDLED;
}

static int decide_done(struct console *con, void *ctx, char *const *values)
{
	const struct pane_ref *r = ctx;
	const char *status = r->choice == 0 ? "confirmed" : "rejected";
	struct wr_error err = {0};
	int rc = hypothesis_decide(con->st, con->iv.id, r->ref, status, values[0], &err);

	return pane_result(con, rc, &err, "Hypothesis %s.", status);
}

static int decide_chosen(struct console *con, void *ctx, int choice)
{
	const struct pane_ref *r = ctx;
	struct pane_ref *copy = pane_ref_new(NULL, r->ref);

	copy->choice = choice;
	prompt_open1(con, choice == 0 ? "Confirm the hypothesis" : "Reject the hypothesis",
		     "Note: what showed it (optional)", NULL, decide_done, copy);
	return UI_HANDLED;
}

static int hypothesis_act(struct console *con, const struct row *row)
{
	static const struct menu_item items[] = {
		{"Confirm", "The evidence supports it", NULL, ROLE_NORMAL},
		{"Reject", "The evidence rules it out", NULL, ROLE_NORMAL},
	};

	menu_open(con, row->value, items, 2, 0, decide_chosen, pane_ref_new(NULL, row->ref));
	return UI_HANDLED;
}

void pane_record_build(struct console *con, struct rows *rows)
{
	const struct incident *inc = con->iv.inc;
	char when[64], by[256], value[128];
	struct row *row;

	pane_intro_rows(con, rows, "record");
	rows_add(rows, ROW_HEADING, "Record", NULL);

	row = rows_add(rows, ROW_FIELD, "Incident id", inc->id);
	row->selectable = 0;
	ui_local_time(inc->started_at, "%Y-%m-%d %H:%M %Z", when, sizeof when);
	row = rows_add(rows, ROW_FIELD, "Started at", when[0] ? when : NULL);
	row->act = started_act;
	if (inc->detected_at) {
		ui_local_time(inc->detected_at, "%Y-%m-%d %H:%M %Z", when, sizeof when);
		row = rows_add(rows, ROW_FIELD, "Detected at", when);
		row->selectable = 0;
	}
	row = rows_add(rows, ROW_FIELD, "Detection source", inc->detection_source);
	row->act = source_act;
	row = rows_add(rows, ROW_FIELD, "Commander", inc->commander);
	row->act = commander_act;
	/* The header's Cmdr is the lease holder of this console, while the record names the incident commander. */
	if (str_blank(inc->commander))
		row_detail(row, "the incident commander for the record and the review; the header's"
			   " Cmdr is who holds the console");
	if (inc->reporter) {
		row = rows_add(rows, ROW_FIELD, "Reported by", inc->reporter);
		row->selectable = 0;
	}

	rows_add(rows, ROW_HEADING, "Impacted services", NULL);
	for (size_t i = 0; i < inc->impacted_services.len; i++) {
		row = rows_add(rows, ROW_ITEM, NULL, inc->impacted_services.items[i]);
		row_mark(row, draw_utf8() ? "\xE2\x80\xA2" : "*", ROLE_NORMAL);
		row->key = xstrdup(inc->impacted_services.items[i]);
		row->act = service_act;
		row->remove = service_remove;
		row->add = service_add;
	}
	row = rows_add(rows, ROW_BUTTON, "+ Add a service", NULL);
	row->act = service_add;
	row->add = service_add;

	rows_add(rows, ROW_HEADING, "Impacted metrics", NULL);
	for (size_t i = 0; i < inc->metrics.len; i++) {
		row = rows_add(rows, ROW_ITEM, NULL, inc->metrics.items[i]);
		row_mark(row, draw_utf8() ? "\xE2\x80\xA2" : "*", ROLE_NORMAL);
		row->add = metric_add;
		row->selectable = 1;
	}
	row = rows_add(rows, ROW_BUTTON, "+ Add a metric", NULL);
	row->act = metric_add;
	row->add = metric_add;

	rows_add(rows, ROW_HEADING, "Hypotheses", NULL);
	for (size_t i = 0; i < con->iv.n_hypotheses; i++) {
		const struct hypothesis *h = &con->iv.hypotheses[i];
		enum theme_role role = strcmp(h->status, "confirmed") == 0  ? ROLE_OK
				       : strcmp(h->status, "rejected") == 0 ? ROLE_DIM
									    : ROLE_WARNING;

		row = rows_add(rows, ROW_ITEM, NULL, h->text);
		snprintf(value, sizeof value, "[%s%s]", h->status, h->restricted ? ", restricted" : "");
		row_mark(row, value, role);
		row->ref = h->id;
		row->act = hypothesis_act;
		row->add = hypothesis_new;
		pane_by(h->added_by, h->added_at, by, sizeof by);
		if (h->decided_by) {
			char decided[256];

			pane_by(h->decided_by, h->decided_at, decided, sizeof decided);
			row_detail(row, "added %s; %s %s%s%s", by, h->status, decided,
				   h->note ? ": " : "", h->note ? h->note : "");
		} else {
			row_detail(row, "added %s", by);
		}
	}
	row = rows_add(rows, ROW_BUTTON, "+ Add a hypothesis", NULL);
	row->act = hypothesis_new;
	row->add = hypothesis_new;

	/* The register is written from the command line, where the files are; here it is shown. */
	rows_add(rows, ROW_HEADING, "Evidence", NULL);
	for (size_t i = 0; i < con->iv.n_evidence; i++) {
		const struct evidence *e = &con->iv.evidence[i];

		row = rows_add(rows, ROW_ITEM, NULL, e->name ? e->name : e->kind);
		row_mark(row, e->kind, ROLE_DIM);
		row->selectable = 0;
		pane_by(e->added_by, e->added_at, by, sizeof by);
		if (e->sha256)
			row_detail(row, "sha256 %.12s..., %lld bytes, added %s", e->sha256, e->size, by);
		else
			row_detail(row, "added %s", by);
	}
	row = rows_add(rows, ROW_ITEM, NULL,
		       "Add files with `warroom evidence ID add FILE`; they are copied read-only and hashed.");
	row->selectable = 0;
}
