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

void strlist_add(struct strlist *list, const char *s);
void strlist_free(struct strlist *list);
int strlist_contains(const struct strlist *list, const char *s);
/* Parses a JSON array of strings into LIST; returns -1 when JSON is not one. */
int strlist_from_json(struct strlist *list, const char *json);
/* Returns LIST as a JSON array; the caller frees it. */
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
void incident_list_free(struct incident *list, size_t count);

/*
 * Creates an incident from FIELDS inside the open transaction: allocates the
 * id (written into FIELDS->id), sets created_at, inserts the row and appends
 * an "opened" event. SUMMARY is required; other fields may be NULL.
 */
int incident_insert(struct store *st, struct incident *fields, struct wr_error *err);

/* Finds the incident imported from SOURCE + REFERENCE; returns its id (caller frees) or NULL. */
char *incident_find_origin(struct store *st, const char *source, const char *reference,
			   struct wr_error *err);

#endif
