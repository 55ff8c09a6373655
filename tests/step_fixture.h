/*
 * Set-up shared by the step tests (test_steps, test_hypothesis,
 * test_checklist, test_resolve, test_review, test_step_status): a fixed
 * clock and actor, incidents made to order, and timeline counts that show
 * whether a call wrote an event.
 */
#ifndef WARROOM_STEP_FIXTURE_H
#define WARROOM_STEP_FIXTURE_H

#include "steps.h"
#include "store.h"

/* The clock the fixture fixes, as WARROOM_NOW. */
#define FIXTURE_NOW "2018-06-01T15:00:00Z"

/* Fixes the clock at FIXTURE_NOW and the actor at "alice". */
void fixture_setup(void);

/*
 * Creates an incident about PRODUCT with the comma-separated risk
 * INDICATORS (may be empty) and SUGGESTED severity (may be NULL). Returns
 * its id, which the caller frees, and exits when the store rejects it.
 */
char *fixture_incident(struct store *st, const char *product, const char *indicators,
		       const char *suggested);

/* Sets a column of incident ID directly, for states the steps reach only after many calls. */
void fixture_set(struct store *st, const char *id, const char *column, const char *value);

/* Returns how many timeline events incident ID has. */
int fixture_events(struct store *st, const char *id);

/* Returns the kind or details of ID's newest event in a static buffer ("" when none). */
const char *fixture_last_kind(struct store *st, const char *id);
const char *fixture_last_details(struct store *st, const char *id);

/* Returns ID's column COLUMN as text in a static buffer, or NULL when it is NULL. */
const char *fixture_column(struct store *st, const char *id, const char *column);

/*
 * Checks that a call was rejected: RC is -1, ERR's status is WANT_STATUS and
 * the incident's timeline still has BEFORE events. NAME prefixes each check.
 */
#define check_rejected(st, id, before, rc, err, want_status, name)                        \
	do {                                                                               \
		is_int((rc), -1, name ": returns -1");                                     \
		is_int((err).status, (want_status), name ": status");                      \
		is_int(fixture_events((st), (id)), (before), name ": no event");           \
	} while (0)

#endif
