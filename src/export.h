/*
 * The post-incident review as Markdown: summary, impact, the whole
 * timeline, root cause, corrective actions and prevention tasks, hypotheses
 * and their outcomes, a review of every status update against the cadence,
 * and the times to detect, mitigate and resolve. Record values are escaped
 * for Markdown and for terminals, so the document is safe to print and to
 * render.
 */
#ifndef WARROOM_EXPORT_H
#define WARROOM_EXPORT_H

#include "playbook.h"
#include "store.h"
#include "util.h"

/*
 * Builds the review of incident INCIDENT_ID at the current time
 * (clock_now). Returns the Markdown text the caller frees, or NULL with ERR
 * set: WR_BAD_INPUT for an unknown incident, WR_FAILED when the store fails.
 */
char *export_review(struct store *st, const struct playbook *pb, const char *incident_id,
		    struct wr_error *err);

/*
 * Writes TEXT to PATH atomically: into a new file of mode 0600 in PATH's
 * folder, flushed to disk, then renamed over PATH, so PATH contains either its
 * old content or all of TEXT. Returns 0, or -1 with ERR set (WR_BAD_INPUT
 * when the folder is missing or not writable, WR_FAILED when writing fails)
 * and no file left behind.
 */
int export_write_file(const char *path, const char *text, struct wr_error *err);

#endif
