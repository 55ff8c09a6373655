/*
 * The seven steps' operations on an incident. Each call validates its input
 * against the playbook, then in one transaction updates the record and
 * appends a timeline event; a refused call changes nothing. Each returns 0,
 * or -1 with ERR set (WR_BAD_INPUT for bad input, WR_FAILED for a change the
 * playbook's rules refuse, such as resolving before both validations).
 *
 * Text arguments are stored without leading and trailing white space, and a
 * blank one counts as missing. Times are ISO 8601, stored as UTC "...Z", and
 * a time later than now is rejected. A closed incident rejects the changes
 * of steps 1 to 6 until it is reopened. The review (step 7), payment
 * windows, approvals, decisions and notes are still accepted there.
 *
 * Timeline event kinds written here: classified, severity, started-at,
 * detection-source, service-added, service-removed, metric-added, commander,
 * hypothesis-added, hypothesis-confirmed, hypothesis-rejected,
 * checklist-marked, checklist-cleared, impact, validated, mitigated,
 * resolved, closed, reopened, window-added, window-end, window-confirmed,
 * root-cause, action-added, action-done, approval, decision, note.
 */
#ifndef WARROOM_STEPS_H
#define WARROOM_STEPS_H

#include <stddef.h>

#include "incident.h"
#include "playbook.h"
#include "store.h"

/*
 * Step 1: sets category and scope, each a playbook id (either may be NULL
 * to keep it); REASON is optional. Sets *CHANGED (when not NULL) to 0 when
 * both already had these values, in which case no event is written.
 */
int step_classify(struct store *st, const struct playbook *pb, const char *id,
		  const char *category, const char *scope, const char *reason, int *changed,
		  struct wr_error *err);

/*
 * Returns the playbook severity that TEXT names: its id ("sev1"), its label
 * ("Sev 1") or its rank as a bare number ("1"), ignoring case, spaces, "-"
 * and "_". Returns NULL when TEXT names none.
 */
const struct pb_severity *step_severity_find(const struct playbook *pb, const char *text);

/*
 * Step 2: sets the severity (any form step_severity_find accepts). A
 * severity other than the suggested one needs a non-blank REASON. The event
 * records the old and the new value. Setting the current severity again
 * writes nothing and sets *CHANGED (when not NULL) to 0.
 */
int step_set_severity(struct store *st, const struct playbook *pb, const char *id,
		      const char *severity, const char *reason, int *changed,
		      struct wr_error *err);

/*
 * Step 3: the record's fields. Each NULL argument keeps its value. Adding a
 * service or metric that is already listed (ignoring ASCII case) changes
 * nothing, and removing one that is not listed is rejected. One event per change.
 */
struct record_fields {
	const char *started_at;       /* ISO 8601 */
	const char *detection_source;
	const char *const *add_services; /* impacted services to add */
	size_t n_add_services;
	const char *const *remove_services;
	size_t n_remove_services;
	const char *const *add_metrics;  /* impacted metrics to add */
	size_t n_add_metrics;
	const char *commander;
};
/* Sets *CHANGED (when not NULL) to 0 when every field already had its value. */
int step_record(struct store *st, const struct playbook *pb, const char *id,
		const struct record_fields *fields, int *changed, struct wr_error *err);

/* Hypotheses: added unconfirmed, later confirmed or rejected with a note; text never edited. */
struct hypothesis {
	long long id;
	char *text;
	char *status; /* unconfirmed, confirmed, rejected */
	char *added_by;
	char *added_at;
	char *decided_by;
	char *decided_at;
	char *note;
	int restricted; /* 1: TEXT is "[restricted]"; the real text is in the restricted file */
};
/* Adds an unconfirmed hypothesis; sets *NEW_ID (when not NULL) to its id. */
int hypothesis_add(struct store *st, const char *id, const char *text, long long *new_id,
		   struct wr_error *err);
/*
 * Sets hypothesis HID to STATUS ("confirmed" or "rejected"); only an
 * unconfirmed one may change (WR_FAILED otherwise). NOTE is optional.
 */
int hypothesis_decide(struct store *st, const char *id, long long hid, const char *status,
		      const char *note, struct wr_error *err);
/* Lists ID's hypotheses, oldest first; free with hypothesis_list_free. */
int hypothesis_list(struct store *st, const char *id, struct hypothesis **out, size_t *n,
		    struct wr_error *err);
void hypothesis_list_free(struct hypothesis *list, size_t n);

/*
 * Checklists: LIST is a step id ("triage", "resolve") or "security" for the
 * mini-SOP; ITEM an item id of that list in the playbook. Marks it done, or
 * not applicable when NA, with an optional note (required for NA). Marking
 * again replaces the mark; the event names the old mark and the new one.
 * "security" is rejected (WR_FAILED) for an incident the mini-SOP does not
 * apply to.
 */
int checklist_mark(struct store *st, const struct playbook *pb, const char *id, const char *list,
		   const char *item, int na, const char *note, struct wr_error *err);
/* Clears a mark, logged as a correction. Clearing an unmarked item is rejected (WR_FAILED). */
int checklist_clear(struct store *st, const struct playbook *pb, const char *id, const char *list,
		    const char *item, struct wr_error *err);
/*
 * Returns the playbook items of LIST (a step id or "security") and sets *N;
 * NULL with *N 0 when LIST is unknown or has no checklist. Points into PB.
 */
const struct pb_item *checklist_items(const struct playbook *pb, const char *list, size_t *n);
struct checklist_mark {
	char *list;
	char *item;
	char *state; /* done, na */
	char *note;
	char *actor;
	char *at;
};
/* Lists ID's marks ordered by list and item; free with checklist_marks_free. */
int checklist_marks(struct store *st, const char *id, struct checklist_mark **out, size_t *n,
		    struct wr_error *err);
void checklist_marks_free(struct checklist_mark *marks, size_t n);

/*
 * Step 5: the customer impact statement. WHAT and WHO are free text, SINCE
 * an ISO 8601 time, STATUS one of the playbook's impact_statuses (ignoring
 * case); all four are required. Sets *CHANGED (when not NULL) to 0 when the
 * statement is the same as the recorded one, and then writes nothing.
 */
int step_impact(struct store *st, const struct playbook *pb, const char *id, const char *what,
		const char *who, const char *since, const char *status, int *changed,
		struct wr_error *err);

/*
 * Step 6: records a validation (a playbook validation id: "monitoring",
 * "journeys") with a non-blank note. Recording a kind again replaces it; the
 * event keeps the earlier note.
 */
int step_validate(struct store *st, const struct playbook *pb, const char *id, const char *kind,
		  const char *note, struct wr_error *err);
struct validation {
	char *kind;
	char *note;
	char *actor;
	char *at;
};
/* Lists ID's recorded validations; free with step_validations_free. */
int step_validations(struct store *st, const char *id, struct validation **out, size_t *n,
		     struct wr_error *err);
void step_validations_free(struct validation *list, size_t n);
/* Returns how many of the playbook's validations are recorded for ID, or -1. */
int step_validations_done(struct store *st, const struct playbook *pb, const char *id,
			  struct wr_error *err);
/* Appends to MISSING the text of each playbook validation not recorded for ID; 0 or -1. */
int step_validations_missing(struct store *st, const struct playbook *pb, const char *id,
			     struct strlist *missing, struct wr_error *err);
/*
 * Marks an open incident mitigated (a mitigation is in place, not yet
 * validated). AT is when it happened (ISO 8601), or NULL for now; it may not
 * be in the future nor before the start.
 */
int step_mitigate(struct store *st, const char *id, const char *at, const char *note,
		  struct wr_error *err);
/*
 * Resolves an open or mitigated incident and sets resolved_at to AT, or now
 * when AT is NULL. Rejected (WR_FAILED) until every playbook validation is
 * recorded.
 */
int step_resolve(struct store *st, const struct playbook *pb, const char *id, const char *at,
		 const char *note, struct wr_error *err);
/*
 * Returns 0 when ID may be resolved now, else -1 with ERR set to the refusal
 * step_resolve would give, so a screen can say it before asking for a note.
 */
int step_resolve_ready(struct store *st, const struct playbook *pb, const char *id,
		       struct wr_error *err);
/*
 * Closes a resolved incident (WR_FAILED for any other status) and sets
 * closed_at. The playbook's before_close steps must be complete, or REASON
 * (NULL or blank when none) explains closing without them; the
 * event then names what was missing. Without a reason an incomplete step is
 * WR_FAILED, naming what it misses.
 */
int step_close(struct store *st, const struct playbook *pb, const char *id, const char *reason,
	       struct wr_error *err);
/*
 * Reopens a resolved or closed incident with a non-blank REASON: the status
 * becomes open, mitigated_at, resolved_at and closed_at are cleared, and so
 * are the validations, which must be recorded again before resolving.
 */
int step_reopen(struct store *st, const char *id, const char *reason, struct wr_error *err);

/*
 * A payment-failure window for Finance: FROM and TO ISO 8601 times, TO
 * not before FROM and NULL while the window is still open; TYPES a non-empty
 * list of transaction types ("card", "transfer"). CONFIRMED needs TO. Sets
 * *NEW_ID (when not NULL) to the window's id.
 */
int window_add(struct store *st, const char *id, const char *from, const char *to,
	       const char *const *types, size_t n_types, int confirmed, long long *new_id,
	       struct wr_error *err);
/* Sets the end of window WID; rejected (WR_FAILED) once the window is confirmed. */
int window_set_end(struct store *st, const char *id, long long wid, const char *to,
		   struct wr_error *err);
/* Confirms window WID; rejected (WR_FAILED) while it has no end or when already confirmed. */
int window_confirm(struct store *st, const char *id, long long wid, struct wr_error *err);
struct payment_window {
	long long id;
	char *from;
	char *to; /* NULL while open */
	struct strlist types;
	int confirmed;
	char *added_by;
	char *added_at;
};
/* Lists ID's payment windows by start time; free with window_list_free. */
int window_list(struct store *st, const char *id, struct payment_window **out, size_t *n,
		struct wr_error *err);
void window_list_free(struct payment_window *list, size_t n);

/* Step 7: the root cause (replacing an earlier one is logged with both; the same text writes nothing). */
int review_root_cause(struct store *st, const char *id, const char *text, struct wr_error *err);
/*
 * A corrective action or prevention task: KIND "corrective" or "prevention",
 * OWNER non-blank, DUE a calendar date "YYYY-MM-DD". Sets *NEW_ID (when not
 * NULL) to the action's id.
 */
int action_add(struct store *st, const char *id, const char *kind, const char *owner,
	       const char *due, const char *text, long long *new_id, struct wr_error *err);
/* Marks action AID done; rejected (WR_FAILED) when it already is. */
int action_done(struct store *st, const char *id, long long aid, struct wr_error *err);
struct action {
	long long id;
	char *kind;
	char *owner;
	char *due;
	char *text;
	char *done_at; /* NULL while open */
	char *added_by;
	char *added_at;
};
/* Lists ID's actions, oldest first; free with action_list_free. */
int action_list(struct store *st, const char *id, struct action **out, size_t *n,
		struct wr_error *err);
void action_list_free(struct action *list, size_t n);

/*
 * Management approvals the guardrails consult: WHAT is "vendor-blame" (naming
 * a third party as the cause) or "root-cause" (sharing it with Marketing).
 * Sets the incident's vendor_blame_approved_by or root_cause_approved_by to
 * APPROVER; a later approval replaces it and the event names both.
 */
int approval_record(struct store *st, const char *id, const char *what, const char *approver,
		    const char *note, struct wr_error *err);
/* A decision for the record (Management and Legal packets list them). */
int decision_add(struct store *st, const char *id, const char *text, struct wr_error *err);
struct decision {
	long long id;
	char *text;
	char *decided_by;
	char *at;
};
/* Lists ID's decisions, oldest first; free with decision_list_free. */
int decision_list(struct store *st, const char *id, struct decision **out, size_t *n,
		  struct wr_error *err);
void decision_list_free(struct decision *list, size_t n);
/* A free-text note on the timeline. */
int note_add(struct store *st, const char *id, const char *text, struct wr_error *err);

/* Whether the security mini-SOP applies to INC: its category or any of its risk indicators starts it. */
int step_security_applies(const struct playbook *pb, const struct incident *inc);

/* Completion of one step (or the mini-SOP) for the tabs' marks: what is missing, if anything. */
struct step_status {
	const char *step_id; /* playbook step id, or "security" */
	int complete;
	char *missing; /* comma-separated names of what is missing; NULL when complete */
};
/*
 * Fills OUT with one entry per playbook step, plus "security" when the
 * mini-SOP applies. A step is complete when every record field it requires
 * is filled and every item of its checklist is marked done or not
 * applicable. MISSING names fields in plain words ("start time") and
 * checklist items by id. Free with step_statuses_free.
 */
int step_statuses(struct store *st, const struct playbook *pb, const char *id,
		  struct step_status **out, size_t *n, struct wr_error *err);
void step_statuses_free(struct step_status *list, size_t n);
/*
 * Returns what the step that contains the validations still misses once ID is
 * resolved, such as "close-tickets" (the caller frees it), or NULL when
 * nothing is missing or the incident cannot be read. Resolving does not wait
 * for it, so the caller mentions it.
 */
char *step_resolve_leftovers(struct store *st, const struct playbook *pb, const char *id);

#endif
