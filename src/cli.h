/*
 * The command line: global options, the shared context each subcommand
 * receives, and the subcommands themselves. Each cli_*.c file holds one
 * group of subcommands; main.c holds the table that names them.
 */
#ifndef WARROOM_CLI_H
#define WARROOM_CLI_H

#include <stdio.h>

#include "playbook.h"
#include "settings.h"
#include "store.h"
#include "util.h"

/* What the global options chose; the playbook, settings and store load on first use. */
struct cli_context {
	const char *playbook_path; /* --playbook */
	const char *settings_path; /* --settings */
	const char *db_path;       /* --db */
	struct playbook *playbook;
	struct settings *settings;
	struct store *store;
};

/* A subcommand: its name, a one-line usage and summary, and its handler. */
struct cli_command {
	const char *name;
	const char *usage;
	const char *summary;
	int (*run)(struct cli_context *ctx, int argc, char **argv);
};

/* Returns the loaded playbook (settings' cadence overrides applied), or NULL after printing why. */
struct playbook *cli_playbook(struct cli_context *ctx);
/* Returns the loaded settings, or NULL after printing why. */
struct settings *cli_settings(struct cli_context *ctx);
/* Returns the opened store (flags as for store_open), or NULL after printing why. */
struct store *cli_store(struct cli_context *ctx, int flags);
/* Returns the database path: --db, $WARROOM_DB, the settings' database, or the default. */
char *cli_db_path(struct cli_context *ctx);

/* Prints "warroom: MESSAGE" for ERR to stderr and returns its exit status. */
int cli_fail(const struct wr_error *err);
/* Prints "warroom: MESSAGE" to stderr and returns WR_BAD_INPUT. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Handles what a subcommand's getopt loop returned for C when it is not one
 * of its options: for 'h' prints NAME's usage and then OPTIONS_HELP (may be
 * NULL) and returns WR_OK, otherwise points at --help and returns WR_BAD_INPUT.
 */
int cli_option_problem(const char *name, int c, const char *options_help);
/* Prints the subcommand's usage and summary to OUT. */
void cli_print_usage(const struct cli_command *cmd, FILE *out);
/* Finds a subcommand by name; NULL when unknown. */
const struct cli_command *cli_find(const char *name);

/* Prints S made safe for a terminal (see textsafe.h), without a newline. */
void cli_put(FILE *out, const char *s);

/* Prints "ID: " to standard output, with ID made safe for the terminal. */
void cli_put_id(const char *id);

/* Prints S made safe for a terminal, keeping its line breaks. */
void cli_put_lines(FILE *out, const char *s);

/*
 * Opens the console on INCIDENT_ID, or on the incident list when it is NULL
 * (cli_console.c). Returns an exit status; without a terminal it prints why
 * and returns WR_FAILED.
 */
int cli_console(struct cli_context *ctx, const char *incident_id);
/*
 * Opens the console read-only on INCIDENT_ID, or on the incident list when
 * it is NULL, as an observer (cli_console.c). Returns an exit status; when
 * the database cannot be read it prints why and what to fix, and returns
 * WR_FAILED.
 */
int cli_view(struct cli_context *ctx, const char *incident_id);

struct guard_finding;
/* Prints one guardrail finding as "NAME:LINE:COL: LEVEL: MESSAGE (\"EXCERPT\") [RULE]". */
void cli_print_finding(FILE *out, const char *name, const struct guard_finding *f);

/* Subcommands, one group per cli_*.c file. */
int cmd_import(struct cli_context *ctx, int argc, char **argv);
int cmd_open(struct cli_context *ctx, int argc, char **argv);
int cmd_view(struct cli_context *ctx, int argc, char **argv);
int cmd_new(struct cli_context *ctx, int argc, char **argv);
int cmd_list(struct cli_context *ctx, int argc, char **argv);
int cmd_show(struct cli_context *ctx, int argc, char **argv);
int cmd_log(struct cli_context *ctx, int argc, char **argv);
int cmd_note(struct cli_context *ctx, int argc, char **argv);
int cmd_demo(struct cli_context *ctx, int argc, char **argv);
int cmd_playbook(struct cli_context *ctx, int argc, char **argv);
int cmd_update(struct cli_context *ctx, int argc, char **argv);
int cmd_due(struct cli_context *ctx, int argc, char **argv);
/* The seven steps (cli_steps.c). */
int cmd_classify(struct cli_context *ctx, int argc, char **argv);
int cmd_severity(struct cli_context *ctx, int argc, char **argv);
int cmd_record(struct cli_context *ctx, int argc, char **argv);
int cmd_hypothesis(struct cli_context *ctx, int argc, char **argv);
int cmd_check(struct cli_context *ctx, int argc, char **argv);
int cmd_checklist(struct cli_context *ctx, int argc, char **argv);
int cmd_impact(struct cli_context *ctx, int argc, char **argv);
int cmd_validate(struct cli_context *ctx, int argc, char **argv);
int cmd_journeys(struct cli_context *ctx, int argc, char **argv);
int cmd_mitigate(struct cli_context *ctx, int argc, char **argv);
int cmd_resolve(struct cli_context *ctx, int argc, char **argv);
int cmd_close(struct cli_context *ctx, int argc, char **argv);
int cmd_reopen(struct cli_context *ctx, int argc, char **argv);
int cmd_window(struct cli_context *ctx, int argc, char **argv);
int cmd_rootcause(struct cli_context *ctx, int argc, char **argv);
int cmd_action(struct cli_context *ctx, int argc, char **argv);
int cmd_approve(struct cli_context *ctx, int argc, char **argv);
int cmd_decision(struct cli_context *ctx, int argc, char **argv);
int cmd_status(struct cli_context *ctx, int argc, char **argv);
int cmd_handoff(struct cli_context *ctx, int argc, char **argv);
int cmd_brief(struct cli_context *ctx, int argc, char **argv);
int cmd_export(struct cli_context *ctx, int argc, char **argv);
int cmd_lint(struct cli_context *ctx, int argc, char **argv);
/* The evidence register and the timeline's hash chain (cli_evidence.c). */
int cmd_evidence(struct cli_context *ctx, int argc, char **argv);
int cmd_verify(struct cli_context *ctx, int argc, char **argv);
/* The commander's lease and handovers (cli_lease.c). */
int cmd_command(struct cli_context *ctx, int argc, char **argv);
int cmd_lease(struct cli_context *ctx, int argc, char **argv);
int cmd_handover(struct cli_context *ctx, int argc, char **argv);

#endif
