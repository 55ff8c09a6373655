/*
 * Status-update guardrails: checks a draft update against the playbook's
 * rules and returns findings with line and column. The rules forbid promised
 * fix times, unapproved vendor blame, internal or security detail outside
 * the incident channel, personal data, and a claim of resolution before the
 * validations. They also ask for plain language and for the impact facts
 * Customer Service needs.
 *
 * The rules are data in the playbook's `guardrails` list: each has an id, a
 * message, a level per audience, POSIX extended regular expressions and
 * `allow` expressions that cancel a match they overlap. guard_load compiles
 * every expression once, so guard_check is cheap enough to run on every
 * keystroke of the composer.
 */
#ifndef WARROOM_GUARD_H
#define WARROOM_GUARD_H

#include <stddef.h>

#include "playbook.h"
#include "util.h"

/* Finding levels, ordered so that a larger value is more serious. */
enum {
	GUARD_OFF = 0,
	GUARD_WARNING = 1,
	GUARD_ERROR = 2,
};

/* The audience and incident state an update is checked for, besides its text. */
struct guard_context {
	const char *audience;   /* audience id ("cs"); NULL applies each rule's default level */
	int has_incident;       /* the update belongs to a recorded incident */
	int validations_done;   /* the incident records every resolution validation */
	int vendor_approved;    /* Management approved naming a vendor as the cause */
	int root_cause_approved; /* the root cause may be shared with Marketing */
	const char *const *internal_names; /* the incident's own service names; may be NULL */
	size_t n_internal_names;
	/* The product's customer-facing name; service names it contains are not internal. May be NULL. */
	const char *product;
};

/* One problem found in a text. Offsets and lengths are in bytes. */
struct guard_finding {
	const char *rule_id; /* points into the guard; valid until guard_free */
	int level;           /* GUARD_ERROR or GUARD_WARNING */
	int line;            /* 1-based */
	int column;          /* 1-based, in characters (UTF-8 code points) */
	size_t offset;
	size_t length;       /* 0 for a finding about something missing */
	char *message;
	char *excerpt;       /* the matched text, unescaped; "" when length is 0 */
};

struct guard;

/*
 * Reads and compiles the `guardrails` section of PB. Every problem found is
 * appended to PROBLEMS as "FILE:LINE: what is wrong"; when there is any, the
 * call returns NULL and ERR carries WR_BAD_INPUT and the first problem.
 * The caller frees the result with guard_free.
 */
struct guard *guard_load(const struct playbook *pb, struct strbuf *problems, struct wr_error *err);
void guard_free(struct guard *g);

/*
 * Checks TEXT for the audience and incident state in CTX. Stores an array of
 * findings sorted by offset in *OUT (NULL when there are none) and its size
 * in *N; the caller frees it with guard_findings_free. Returns 0, or -1 when
 * an argument is NULL.
 */
int guard_check(const struct guard *g, const char *text, const struct guard_context *ctx,
		struct guard_finding **out, size_t *n);
void guard_findings_free(struct guard_finding *findings, size_t n);

/* Returns how many of the N findings are at GUARD_ERROR. */
size_t guard_count_errors(const struct guard_finding *findings, size_t n);

/* Returns "error", "warning" or "off" for LEVEL. */
const char *guard_level_name(int level);

/* The loaded rules, in playbook order, for help screens and `warroom lint --rules`. */
size_t guard_rule_count(const struct guard *g);
const char *guard_rule_id(const struct guard *g, size_t i);
const char *guard_rule_message(const struct guard *g, size_t i);
/*
 * Returns rule I's level for AUDIENCE (NULL: its default level) before the
 * incident's state applies; missing-element is off for audiences that
 * require no impact facts.
 */
int guard_rule_level(const struct guard *g, size_t i, const char *audience);

#endif
