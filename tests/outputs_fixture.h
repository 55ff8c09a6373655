/*
 * Set-up shared by the output tests (test_handoff, test_brief,
 * test_export): a clock the test moves forward, fixtures imported from
 * tests/fixtures, and one incident walked through all seven steps with
 * updates, drafts, hypotheses and windows that must or must not show up.
 */
#ifndef WARROOM_OUTPUTS_FIXTURE_H
#define WARROOM_OUTPUTS_FIXTURE_H

#include "guard.h"
#include "playbook.h"
#include "store.h"

/* Text in the walked-through incident that no packet may show. */
#define WALK_DRAFT_CS "Draft for Customer Service that nobody approved"
#define WALK_DRAFT_MARKETING "Draft statement for Marketing that nobody approved"
#define WALK_UNCONFIRMED "A certificate on the scheme link may have expired"
#define WALK_REJECTED "The card scheme itself is rejecting authorisations"
#define WALK_OPEN_WINDOW_FROM "2018-06-01T15:00:00Z"
#define WALK_OPEN_WINDOW_TYPE "cash withdrawal"
#define WALK_ROOT_CAUSE "The link to the card scheme switch ran out of capacity and failover did not start"

/* Text that the right packets do show. */
#define WALK_CONFIRMED "Authorisation requests time out on the primary switch link"
#define WALK_CS_FIRST "We are aware of an issue affecting card payments. Some customers may be affected since about 13:35 UTC. Current status: investigating. We will share the next update by 14:30 UTC."
#define WALK_CS_LATEST "Card payments are working again for most customers and we are monitoring. Some customers may have seen declined card payments since about 13:35 UTC. We will share the next update by 16:00 UTC."
#define WALK_MARKETING "Some customers may have trouble paying by card. We will share the next update by 15:00 UTC."
#define WALK_SEVERITY_REASON "Only a share of card payments fail, so payments are not blocked"
#define WALK_OVERRIDE_REASON "The payments director accepted the wording"
#define WALK_DECISION "Keep the backup switch on standby until the scheme confirms the fix"
#define WALK_WINDOW_FROM "2018-06-01T13:35:00Z"
#define WALK_WINDOW_TO "2018-06-01T14:50:00Z"

/* Fixes the actor at "alice", TZ at UTC, and the clock at ISO (WARROOM_NOW). */
void outputs_setup(const char *iso);

/* Moves the clock (WARROOM_NOW) to ISO. */
void outputs_clock(const char *iso);

/* Loads the bundled playbook's guardrails, or exits. */
struct guard *outputs_guard(const struct playbook *pb);

/* Imports tests/fixtures/NAME.json (or PATH when NAME contains '/'); returns the id, which the caller frees. */
char *outputs_import(struct store *st, const struct playbook *pb, const char *name);

/*
 * Drafts TEXT to AUDIENCE; with APPROVE approves it (with OVERRIDE as the
 * reason when the guardrails find errors), with PUBLISH publishes it too.
 * Returns the update id; exits when a step is refused.
 */
long long outputs_update(struct store *st, const struct playbook *pb, const struct guard *guard,
			 const char *id, const char *audience, const char *text, int approve,
			 int publish, const char *override);

/*
 * Imports the card-authorisation fixture and walks it through every step
 * between 13:55 and 15:40 on 2018-06-01: started 13:20, mitigated 14:30,
 * resolved 15:40, Customer Service updates published at 14:02 and 15:17,
 * with the drafts, hypotheses and windows named above. Returns the id.
 */
char *outputs_walk(struct store *st, const struct playbook *pb, const struct guard *guard);

/* Fails the test program (exit 99) with WHAT and ERR's message when RC is not 0. */
void outputs_must(int rc, const char *what, const struct wr_error *err);

/* Returns the number of times NEEDLE occurs in HAYSTACK. */
int outputs_count(const char *haystack, const char *needle);

#endif
