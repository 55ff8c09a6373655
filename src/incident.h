/*
 * The incident record as the store holds it, and the calls that create,
 * read and list incidents. The step operations that change a record live in
 * their own modules; each of them is one transaction plus a timeline event.
 */
#ifndef WARROOM_INCIDENT_H
#define WARROOM_INCIDENT_H

#include <stddef.h>

#include "store.h"
#include "util.h"

struct strlist {
	char **items;
	size_t len;
};

/* Appends a copy of S to LIST. */
void strlist_add(struct strlist *list, const char *s);
/* Frees the items and leaves LIST empty. */
void strlist_free(struct strlist *list);
/* Returns nonzero when LIST contains S (exact match). */
int strlist_contains(const struct strlist *list, const char *s);
/*
 * Appends the items of a JSON array of strings to LIST; returns -1 and leaves
 * LIST unchanged when JSON is NULL or not such an array.
 */
int strlist_from_json(struct strlist *list, const char *json);
/* Returns LIST as a JSON array (caller frees), or NULL when an item is not valid UTF-8. */
char *strlist_to_json(const struct strlist *list);

struct incident {
	char *id;
	char *source;
	char *reference;
	char *summary;
	char *category;
	char *scope;
	char *severity;
	char *suggested_severity;
	char *suggestion_rule;
	char *status; /* open, mitigated, resolved, closed */
	char *product;
	struct strlist channels;
	char *priority;
	struct strlist risk_indicators;
	struct strlist impacted_services;
	struct strlist metrics;
	char *detection_source;
	char *reporter;
	char *reproduction;
	char *received_at;
	char *detected_at;
	char *started_at;
	char *created_at;
	char *mitigated_at;
	char *resolved_at;
	char *closed_at;
	char *commander;
	char *impact_what;
	char *impact_who;
	char *impact_since;
	char *impact_status;
	char *root_cause;
	char *vendor_blame_approved_by;
	char *root_cause_approved_by;
	char *extra; /* JSON object of handoff fields warroom does not know */
};

/* Frees INC (from incident_get) with all its fields; NULL is allowed. */
void incident_free(struct incident *inc);

/*
 * Reads the incident ID. Returns NULL with ERR set (WR_BAD_INPUT and
 * "incident ID not found") when there is none. The caller frees the result.
 */
struct incident *incident_get(struct store *st, const char *id, struct wr_error *err);

/*
 * Lists incidents, oldest first; only those not resolved or closed unless
 * ALL. Sets *OUT to an array of *COUNT records the caller frees with
 * incident_list_free.
 */
int incident_list(struct store *st, int all, struct incident **out, size_t *count,
		  struct wr_error *err);
/* Frees an array from incident_list with all its records. */
void incident_list_free(struct incident *list, size_t count);

/*
 * Creates an incident from FIELDS inside the open transaction: allocates the
 * id, sets created_at, inserts the row and appends an "opened" event. SUMMARY
 * is required; other fields may be NULL. The status is always "open";
 * started_at defaults to detected_at, else created_at; times are stored as
 * "YYYY-MM-DDTHH:MM:SSZ". FIELDS is updated to the stored row. Returns -1
 * with ERR set (WR_BAD_INPUT for bad fields or a handoff imported before).
 */
int incident_insert(struct store *st, struct incident *fields, struct wr_error *err);

/*
 * Finds the incident imported from SOURCE + REFERENCE; returns its id (caller
 * frees) or NULL. NULL with ERR->status WR_OK means there is none.
 */
char *incident_find_origin(struct store *st, const char *source, const char *reference,
			   struct wr_error *err);

#endif
