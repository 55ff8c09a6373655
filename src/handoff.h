/*
 * Handoff packets: what each audience outside the incident team receives,
 * built from the record and nothing else.
 *   Customer Service: the latest approved update and the four impact facts.
 *   Product: the confirmed defect details.
 *   Marketing: approved statements, and the root cause once its sharing is
 *   approved.
 *   Finance: confirmed payment-failure windows.
 *   Management and Legal: severity, security status, decisions, approvals
 *   and overrides.
 * Drafts, unconfirmed hypotheses and unconfirmed windows never appear in a
 * packet.
 */
#ifndef WARROOM_HANDOFF_H
#define WARROOM_HANDOFF_H

#include "playbook.h"
#include "store.h"
#include "util.h"

/* The audience ids that have a packet, in the order help text lists them; NULL-terminated. */
extern const char *const handoff_audiences[];

/*
 * Builds the packet for AUDIENCE (one of handoff_audiences, and an audience
 * of the playbook) of incident INCIDENT_ID at the current time (clock_now).
 * Record values in it are escaped with textsafe, so it may be printed as is.
 * Returns a string the caller frees, or NULL with ERR set: WR_BAD_INPUT for
 * an unknown incident or audience, WR_FAILED when the store fails.
 */
char *handoff_packet(struct store *st, const struct playbook *pb, const char *incident_id,
		     const char *audience, struct wr_error *err);

#endif
