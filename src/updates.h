/*
 * Status updates to an audience (Customer Service, Product, Marketing,
 * Finance, Management and Legal, the incident channel) and their life:
 * draft, approved, published. Drafts are saved as they are typed. Approval
 * runs the guardrails and needs a reason to override their errors.
 * Publishing records who sent the update and can run the publish command
 * that the settings name.
 * Every change is one transaction with a timeline event.
 */
#ifndef WARROOM_UPDATES_H
#define WARROOM_UPDATES_H

#include <stddef.h>
#include <time.h>

#include "guard.h"
#include "incident.h"
#include "playbook.h"
#include "settings.h"
#include "store.h"
#include "util.h"

/* One row of the updates table. Times are ISO 8601 UTC; unset fields are NULL. */
struct update {
	long long id;
	char *incident_id;
	char *audience; /* a playbook audience id */
	char *text;
	char *state;    /* draft, approved, published */
	char *created_by;
	char *created_at;
	char *edited_at;
	char *approved_by;
	char *approved_at;
	int errors_at_approval; /* guardrail errors the approval overrode */
	char *override_reason;
	char *published_by;
	char *published_at;
	char *publish_result; /* "ok", "manual", or "failed: ..." from the last attempt */
};

void update_free(struct update *u);
void update_list_free(struct update *list, size_t n);

/*
 * Creates a draft update of TEXT to AUDIENCE (a playbook audience id) for
 * incident INCIDENT_ID and logs "update drafted". TEXT may be empty, so the
 * console can save a draft before anything is typed, but approval rejects a
 * blank update. Sets *NEW_ID. Returns -1 with ERR set: WR_BAD_INPUT for an
 * unknown incident or audience, WR_FAILED for a closed incident.
 */
int update_draft(struct store *st, const struct playbook *pb, const char *incident_id,
		 const char *audience, const char *text, long long *new_id, struct wr_error *err);

/*
 * Replaces the text of draft UPDATE_ID; the console calls it as the
 * commander types. To keep the timeline readable it logs "update edited" at
 * most once a minute per draft (see updates.c). Returns -1 with ERR set
 * (WR_FAILED) when the update is no longer a draft.
 */
int update_edit(struct store *st, long long update_id, const char *text, struct wr_error *err);

/* Reads update UPDATE_ID into a record the caller frees with update_free; NULL with ERR if none. */
struct update *update_get(struct store *st, long long update_id, struct wr_error *err);

/*
 * Lists INCIDENT_ID's updates, oldest first, only those to AUDIENCE unless
 * it is NULL. Sets *OUT to *N records the caller frees with update_list_free.
 */
int update_list(struct store *st, const char *incident_id, const char *audience,
		struct update **out, size_t *n, struct wr_error *err);

/*
 * Finds the latest update to AUDIENCE of INCIDENT_ID in STATE ("approved" or
 * "published": by approval or publication time). Sets *OUT to a record the
 * caller frees, or to NULL when there is none. Returns -1 only on store errors.
 */
int update_latest(struct store *st, const char *incident_id, const char *audience,
		  const char *state, struct update **out, struct wr_error *err);

/*
 * Fills CTX for checking an update to AUDIENCE of INC: the audience, whether
 * every playbook validation is recorded, the management approvals, and the
 * impacted services as internal names. CTX points into INC and PB, so it is
 * valid while both are. Returns -1 with ERR set for an unknown audience or a
 * store error.
 */
int guard_context_for_incident(struct store *st, const struct playbook *pb,
			       const struct incident *inc, const char *audience,
			       struct guard_context *ctx, struct wr_error *err);

/*
 * Runs the guardrails on update UPDATE_ID against the incident's current record. Sets
 * *FINDINGS to *N findings the caller frees with guard_findings_free.
 */
int update_check(struct store *st, const struct playbook *pb, const struct guard *guard,
		 long long update_id, struct guard_finding **findings, size_t *n,
		 struct wr_error *err);

/* Runs the guardrails on TEXT as if it were an update to AUDIENCE of INCIDENT_ID. */
int update_check_text(struct store *st, const struct playbook *pb, const struct guard *guard,
		      const char *incident_id, const char *audience, const char *text,
		      struct guard_finding **findings, size_t *n, struct wr_error *err);

/*
 * Approves draft UPDATE_ID after running the guardrails. When they find
 * errors, the approval needs a non-blank OVERRIDE_REASON, and the errors'
 * count and the reason are stored and logged. Without errors the reason is
 * not stored. Returns -1 with ERR set (WR_FAILED) when the update is not a
 * draft, is blank, or has errors and no reason.
 */
int update_approve(struct store *st, const struct playbook *pb, const struct guard *guard,
		   long long update_id, const char *override_reason, struct wr_error *err);

/* The command that sends a published update on, run without a shell. */
struct publish_command {
	char **argv;         /* argv[0] is looked up in PATH; NULL-terminated */
	int timeout_seconds; /* the command is killed after this long; 0 means 30 */
};

/*
 * Publishes approved update UPDATE_ID with the publish command the settings
 * name, if any (see update_publish_with).
 */
int update_publish(struct store *st, const struct settings *settings, long long update_id,
		   struct wr_error *err);

/*
 * Publishes approved update UPDATE_ID. When COMMAND is not NULL, it runs
 * first with the update's text on standard input and WARROOM_INCIDENT,
 * WARROOM_AUDIENCE and WARROOM_UPDATE_ID in its environment. When it fails
 * or times out, the failure is stored and logged, the update stays
 * approved, and the call returns -1 with ERR (WR_FAILED) giving the reason.
 * Without a command the publication is recorded as "manual".
 */
int update_publish_with(struct store *st, const struct publish_command *command,
			long long update_id, struct wr_error *err);

/*
 * Returns the playbook template of AUDIENCE filled from INC: {product}
 * {what} {who} {since} {status} {next_update}. A missing fact is filled
 * with wording that marks it as still being confirmed, and NEXT_UPDATE of 0
 * as "a time we will confirm shortly". The caller frees the result; NULL
 * with ERR set when the audience is unknown or has no template.
 */
char *update_template(const struct playbook *pb, const struct incident *inc, const char *audience,
		      time_t next_update, struct wr_error *err);

#endif
