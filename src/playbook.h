/*
 * The bank's playbook as data: categories, scopes, severities and their
 * update cadence, risk indicators and the rules that suggest a severity from
 * them, the seven steps with their checklists, the security mini-SOP, the
 * audiences of status updates, customer journeys per product, and the
 * guardrails' word lists. Loaded from a libconfig file and validated whole,
 * so a bank changes its rules by editing data, never by a rebuild.
 */
#ifndef WARROOM_PLAYBOOK_H
#define WARROOM_PLAYBOOK_H

#include <stddef.h>

#include "util.h"

struct config_t;
struct config_setting_t;

/* An entry of a simple vocabulary: categories, scopes, risk indicators. */
struct pb_term {
	char *id;
	char *label;
	char *suggests_category; /* risk indicators only; NULL when none */
};

struct pb_severity {
	char *id;         /* "sev0" */
	char *label;      /* "Sev 0" */
	int rank;         /* 0 is the most severe */
	char *priority;   /* the dashboard priority it corresponds to, "P0" */
	char *meaning;
	int update_due_minutes;   /* an update is due this long after the last; 0: no cadence */
	int update_limit_minutes; /* past this the update is overdue */
};

/* A rule that suggests a severity when any of its indicators is present. */
struct pb_severity_rule {
	char *id;
	char **indicators;
	size_t n_indicators;
	char *severity;
	char *reason;
};

struct pb_item {
	char *id;
	char *text;
};

struct pb_step {
	char *id;        /* "classify" */
	int number;      /* 1..7 */
	char *title;     /* "Classify" */
	char *purpose;
	char **required; /* record fields that must be filled for the step to count as complete */
	size_t n_required;
	struct pb_item *checklist;
	size_t n_checklist;
	int before_close; /* the step must be complete before the incident is closed */
};

struct pb_audience {
	char *id;    /* "cs" */
	char *label; /* "Customer Service" */
	char *receives;
	int incident_channel;  /* inside the incident channel: may see security detail */
	int follows_cadence;   /* updates fall due at the severity's cadence */
	char **required_elements; /* impact facts an update must state: what, who, since, status */
	size_t n_required_elements;
	char *template;        /* draft text with {placeholders} filled from the record */
	char *resolved_template; /* the draft once the incident is resolved; NULL: use template */
};

struct pb_journeys {
	char *product; /* "*" for the default list */
	char **journeys;
	size_t n_journeys;
};

struct playbook {
	char *path;
	char *name;
	char *version;
	char *owner;   /* NULL when the file names none */
	char *mission; /* NULL when the file states none */

	struct pb_term *categories;
	size_t n_categories;
	struct pb_term *scopes;
	size_t n_scopes;
	struct pb_severity *severities; /* in rank order */
	size_t n_severities;
	struct pb_term *indicators;
	size_t n_indicators;
	struct pb_severity_rule *severity_rules;
	size_t n_severity_rules;
	struct pb_step *steps; /* in number order */
	size_t n_steps;
	char **impact_statuses;
	size_t n_impact_statuses;
	struct pb_item *validations; /* confirmations to record before an incident is resolved */
	size_t n_validations;

	char **security_triggers;   /* risk indicators that start the mini-SOP */
	size_t n_security_triggers;
	char **security_categories; /* categories that start the mini-SOP */
	size_t n_security_categories;
	struct pb_item *security_actions;
	size_t n_security_actions;

	struct pb_audience *audiences;
	size_t n_audiences;
	struct pb_journeys *journeys;
	size_t n_journeys;

	struct config_t *config; /* kept for modules that read their own section */
};

/*
 * Loads and validates the playbook at PATH. Every problem found is appended
 * to PROBLEMS as a line "FILE:LINE: what is wrong"; when there is any, the
 * call returns NULL and ERR carries WR_BAD_INPUT and the first problem.
 * The caller frees the result with playbook_free.
 */
struct playbook *playbook_load(const char *path, struct strbuf *problems, struct wr_error *err);
/*
 * playbook_load on the NUL-terminated TEXT, named NAME in problems. An
 * @include in TEXT is read relative to the working folder.
 */
struct playbook *playbook_load_string(const char *name, const char *text, struct strbuf *problems,
				      struct wr_error *err);
void playbook_free(struct playbook *pb);

/*
 * Finds the playbook file: EXPLICIT when given, else $WARROOM_PLAYBOOK, else
 * the first that exists of $XDG_CONFIG_HOME/warroom/playbook.cfg (default
 * ~/.config), SYSCONFDIR/warroom/playbook.cfg, /etc/warroom/playbook.cfg,
 * $WARROOM_DATADIR/playbook.cfg (when set) and PKGDATADIR/playbook.cfg.
 * EXPLICIT, $WARROOM_PLAYBOOK or $WARROOM_DATADIR naming a missing file is an
 * error. Returns a string the caller frees, or NULL with ERR set (WR_BAD_INPUT).
 */
char *playbook_find(const char *explicit_path, struct wr_error *err);

/* Look-ups by id; each returns NULL when the id is unknown. */
const struct pb_term *playbook_category(const struct playbook *pb, const char *id);
const struct pb_term *playbook_scope(const struct playbook *pb, const char *id);
const struct pb_term *playbook_indicator(const struct playbook *pb, const char *id);
const struct pb_severity *playbook_severity(const struct playbook *pb, const char *id);
const struct pb_severity *playbook_severity_for_priority(const struct playbook *pb, const char *priority);
const struct pb_step *playbook_step(const struct playbook *pb, const char *id);
const struct pb_audience *playbook_audience(const struct playbook *pb, const char *id);
/* Returns the journeys listed for PRODUCT, else the default list ("*"), else NULL. */
const struct pb_journeys *playbook_journeys(const struct playbook *pb, const char *product);
/* Returns nonzero when INDICATOR, or CATEGORY, starts the security mini-SOP. */
int playbook_is_security_trigger(const struct playbook *pb, const char *indicator);
int playbook_is_security_category(const struct playbook *pb, const char *category);

/* The record fields a step may list in `required`, NULL-terminated. */
extern const char *const playbook_record_fields[];

/* Returns the libconfig setting at PATH ("guardrails") for modules that read their own section. */
struct config_setting_t *playbook_section(const struct playbook *pb, const char *path);

/* Appends "FILE:LINE: MESSAGE" for SETTING to PROBLEMS; modules use it to report their own sections. */
void playbook_problem(const struct playbook *pb, struct strbuf *problems,
		      const struct config_setting_t *setting, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * Typed reading of libconfig settings with every problem collected as a
 * line "FILE:LINE: what is wrong". The playbook and settings loaders use it,
 * and so can a module that validates its own playbook section. FILE is the
 * file the setting was read from, so an @include'd file names itself.
 */
struct pb_check {
	const char *file;
	struct strbuf *problems;
	int count;           /* problems reported through this checker */
	char first[1024];    /* the first of them, as appended to PROBLEMS */
};

enum {
	PB_REQUIRED = 1 << 0, /* a missing field is a problem */
	PB_NONEMPTY = 1 << 1, /* a blank string or an empty array is a problem */
};

void playbook_check_init(struct pb_check *ck, const char *file, struct strbuf *problems);

/*
 * Reads the libconfig file PATH into CONFIG, which the caller has set up
 * with config_init; an @include is relative to PATH's folder. Reports a
 * missing or unreadable file and a syntax error. Returns 0 or -1.
 */
int playbook_check_read(struct pb_check *ck, struct config_t *config, const char *path);

/* Returns the path of the file SETTING was read from (CK's file when NULL); the caller frees it. */
char *playbook_check_source(const struct pb_check *ck, const struct config_setting_t *setting);

/* Appends "FILE:LINE: MESSAGE" for SETTING (just "FILE: MESSAGE" when SETTING is NULL). */
void playbook_check_problem(struct pb_check *ck, const struct config_setting_t *setting,
			    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * Each reader looks up member NAME of GROUP, whose own name in problems is
 * WHERE ("severities[2]"). They return 1 and set *OUT when the field is
 * present and valid, 0 when it is absent and not PB_REQUIRED, and -1 after
 * reporting a problem. A string points into the config; a string array is
 * copied and the caller frees it with playbook_free_strings.
 */
int playbook_check_string(struct pb_check *ck, const struct config_setting_t *group,
			  const char *where, const char *name, int flags, const char **out);
/* Reads an integer from MIN to 1000000. */
int playbook_check_int(struct pb_check *ck, const struct config_setting_t *group,
		       const char *where, const char *name, int flags, int min, int *out);
int playbook_check_bool(struct pb_check *ck, const struct config_setting_t *group,
			const char *where, const char *name, int flags, int *out);
/* Reads an array or list of strings; PB_NONEMPTY also rejects blank elements. */
int playbook_check_strings(struct pb_check *ck, const struct config_setting_t *group,
			   const char *where, const char *name, int flags,
			   char ***out, size_t *n_out);
void playbook_free_strings(char **strings, size_t n);

/* Reports every member of GROUP whose name is not in KNOWN (NULL-terminated). */
void playbook_check_fields(struct pb_check *ck, const struct config_setting_t *group,
			   const char *where, const char *const known[]);

/* Returns a phrase naming the kind of SETTING for problems: "a string", "a list ( )". */
const char *playbook_setting_kind(const struct config_setting_t *setting);

#endif
