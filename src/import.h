/*
 * Importing dashboard handoffs: a JSON file holding one handoff object or an
 * array of them becomes one incident per handoff, with the handoff kept
 * verbatim as evidence, its evidence items as evidence rows, and a severity
 * suggestion on the timeline. A file is validated whole before anything is
 * written, and all of its handoffs are written in one transaction, so a file
 * is imported entirely or not at all.
 *
 * Handoff fields (a null value counts as absent, except for summary):
 *   summary           string, required, not blank
 *   source, reference strings; together they identify the handoff, so a
 *                     handoff already in the store is not imported again
 *   received_at, detected_at   ISO 8601 times, stored as UTC "...Z"
 *   detection_source, product, scope, reproduction, reporter   strings
 *   channel           string or array of strings
 *   priority          a priority some severity of the playbook has (P0..P3)
 *   risk_indicators, affected_services   arrays of strings
 *   evidence          array of objects whose kind, name, value, text, url
 *                     and at members are strings (at: ISO 8601); the kind
 *                     "handoff" is reserved for the handoff itself
 *   handoff_version   the integer 1
 * Other fields are kept in the incident's extra JSON object. Unknown risk
 * indicators and scopes are kept and reported as warnings. A duplicate key
 * or a "\u0000" in a stored string is an error. A UTF-8 byte order mark at
 * the start of the file is skipped.
 */
#ifndef WARROOM_IMPORT_H
#define WARROOM_IMPORT_H

#include <stddef.h>

#include "playbook.h"
#include "store.h"
#include "util.h"

/* The outcome for one handoff of a file, in file order. */
struct import_result {
	char *id;        /* the new incident, or the existing one when ALREADY; NULL for a new one in a dry run */
	char *reference; /* the handoff's reference, or NULL */
	int already;     /* the same source and reference were imported before, or earlier in the file */
};

/*
 * Imports the handoffs in the file at PATH ("-" reads standard input) into
 * ST. Sets *RESULTS to *N results that the caller frees with
 * import_results_free. Appends one line per warning to WARNINGS (only when
 * the import succeeds) and per error to ERRORS; either may be NULL. Each
 * line starts with the file name. Print the lines as they are: file names
 * and values in them are already escaped with textsafe, and long values are
 * shortened. Returns 0, or -1 with ERR set and at least one line in ERRORS.
 * ERR's status is WR_BAD_INPUT when the file cannot be read or any handoff
 * in it is invalid, and its message is then the first error line and a
 * count of the others. It is WR_FAILED when the store rejects the change.
 * On -1 nothing from the file is stored and *RESULTS is NULL.
 */
int import_file(struct store *st, const struct playbook *pb, const char *path,
		struct import_result **results, size_t *n, struct strbuf *warnings,
		struct strbuf *errors, struct wr_error *err);

/* import_file without writing: validates PATH and reports what an import would do. ST may be NULL. */
int import_check_file(struct store *st, const struct playbook *pb, const char *path,
		      struct import_result **results, size_t *n, struct strbuf *warnings,
		      struct strbuf *errors, struct wr_error *err);

/*
 * import_file on the LEN bytes at DATA, named NAME in messages. With DRY_RUN
 * nothing is written and ST may be NULL; when ST is given, handoffs already
 * in it are still reported as such.
 */
int import_buffer(struct store *st, const struct playbook *pb, const char *name,
		  const char *data, size_t len, int dry_run, struct import_result **results,
		  size_t *n, struct strbuf *warnings, struct strbuf *errors, struct wr_error *err);

/* Frees the N RESULTS of an import; NULL is allowed. */
void import_results_free(struct import_result *results, size_t n);

#endif
