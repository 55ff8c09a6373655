/*
 * The brief: the first reply to the reporter and the responders of an
 * incident, built from the playbook and the record. It has five sections:
 *   1. the reproduction steps and details the handoff lacks,
 *   2. the logging checklist for the category, evidence preservation first
 *      for security incidents,
 *   3. immediate containment actions,
 *   4. a Customer Service update draft that passes the guardrails,
 *   5. the roles, notifications and update cadence the severity calls for.
 */
#ifndef WARROOM_BRIEF_H
#define WARROOM_BRIEF_H

#include "brief_rules.h"
#include "guard.h"
#include "incident.h"
#include "playbook.h"
#include "store.h"
#include "util.h"

/* The source of the text brief_cs_draft returns. */
enum brief_draft_source {
	BRIEF_DRAFT_RECORD,  /* the Customer Service template filled from the record */
	BRIEF_DRAFT_GENERAL, /* the template without the record's free-text facts */
	BRIEF_DRAFT_GENERIC, /* fixed generic wording, when the template itself is flagged */
};

/*
 * Drafts a Customer Service update for INC: the playbook's "cs" template
 * filled from the record, next update by the Customer Service cadence. When
 * the guardrails find errors in it, falls back to the template without the
 * product, what and who facts, then to fixed generic wording. Sets *SOURCE
 * (when not NULL). Returns the raw text (not escaped) the caller frees, or
 * NULL with ERR set when the store fails.
 */
char *brief_cs_draft(struct store *st, const struct playbook *pb, const struct guard *guard,
		     const struct incident *inc, enum brief_draft_source *source,
		     struct wr_error *err);

/*
 * Builds the brief for incident INCIDENT_ID with RULES (brief_rules_load)
 * and GUARD (guard_load). Record values in it are escaped with textsafe, so
 * it may be printed as is. Returns a string the caller frees, or NULL with
 * ERR set: WR_BAD_INPUT for an unknown incident, WR_FAILED when the store
 * fails.
 */
char *brief_build(struct store *st, const struct playbook *pb, const struct brief_rules *rules,
		  const struct guard *guard, const char *incident_id, struct wr_error *err);

#endif
