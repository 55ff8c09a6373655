/*
 * The declarations the console's files share: the console's state, the
 * overlay stack, the rows that step panes are built from, and the entry
 * points of each view. Only ui/ includes this header.
 *
 * Data flow: console.c runs one poll() loop. A key goes to the top overlay,
 * or to the base view (the incident list or an incident) when there is
 * none. Handlers return UI_* flags instead of acting globally. The loop
 * rereads the incident from the store after UI_RELOAD, or when another
 * process changed the database, and draws the whole screen once per pass
 * when anything changed. Every change to an incident is a call into src/;
 * ui/ shows what the core returns and adds no rule of its own.
 */
#ifndef WARROOM_UI_UI_H
#define WARROOM_UI_UI_H

#include <curses.h>
#include <stddef.h>
#include <time.h>

#include "console.h"
#include "draw.h"
#include "events.h"
#include "evidence.h"
#include "incident.h"
#include "keys.h"
#include "lease.h"
#include "playbook.h"
#include "steps.h"
#include "store.h"
#include "theme.h"
#include "updates.h"
#include "util.h"

struct console;

/* What a handler requests from the loop; flags combine. */
enum {
	UI_IGNORED = 0,
	UI_HANDLED = 1 << 0,
	UI_RELOAD = 1 << 1, /* the incident changed: reread it and redraw */
	UI_QUIT = 1 << 2,
	UI_CLOSE = 1 << 3,  /* close the overlay that returned it */
	UI_KEEP = 1 << 4,   /* a prompt's or menu's callback: stay open (the input was refused) */
};

/* The smallest screen the layout works in; below it a notice requests a larger one. */
#define UI_MIN_COLS 80
#define UI_MIN_ROWS 24
/* From this width on, the timeline is shown beside the step pane. */
#define UI_SIDE_TIMELINE_COLS 120

/* An overlay: a view drawn above the base view that takes the keys first. */
struct layer_ops {
	const enum key_context *contexts; /* where its keys are looked up, for the hints too */
	size_t n_contexts;
	void (*draw)(struct console *con, void *data);
	int (*key)(struct console *con, void *data, int key);
	void (*tick)(struct console *con, void *data);  /* once a second; may be NULL */
	int (*pending)(struct console *con, void *data); /* unsaved or unapproved work; may be NULL */
	void (*closing)(struct console *con, void *data); /* before free, to save; may be NULL */
	void (*free)(void *data);
};

struct layer {
	const struct layer_ops *ops;
	void *data;
};

#define UI_MAX_LAYERS 8
/* Tabs beyond this many playbook steps are not shown (the playbook has seven). */
#define UI_MAX_TABS 16

/* One row of a step pane; see rows.c. */
enum row_kind {
	ROW_HEADING, /* a section title */
	ROW_TEXT,    /* wrapped text, not selectable */
	ROW_FIELD,   /* "label  value" */
	ROW_ITEM,    /* a mark, the item's text, and a detail line */
	ROW_BUTTON,  /* an action to take */
};

struct row;
typedef int (*row_fn)(struct console *con, const struct row *row);

struct row {
	enum row_kind kind;
	char *label;  /* text the program wrote: a field's name, a heading, a button */
	char *value;  /* data, escaped when drawn; NULL shows "not set" for a field */
	char *detail; /* a dimmed line under an item or a field: who marked it, the note */
	char *mark;   /* a check box or state word before an item */
	enum theme_role mark_role;
	enum theme_role value_role;
	int selectable;
	row_fn act;      /* Enter */
	row_fn add;      /* a */
	row_fn remove;   /* x */
	row_fn external; /* e: edit in $EDITOR */
	char *key;       /* the item's id (checklist item, validation, service) */
	long long ref;   /* a numeric id (hypothesis, action, window) */
};

struct rows {
	struct row *items;
	size_t n, cap;
};

/* Appends a row; LABEL and VALUE are copied (either may be NULL). Returns the row to fill in. */
struct row *rows_add(struct rows *rows, enum row_kind kind, const char *label, const char *value);
/* Sets a row's mark (copied) and its role. */
void row_mark(struct row *row, const char *mark, enum theme_role role);
/* Sets a row's detail line from a printf format. */
void row_detail(struct row *row, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rows_free(struct rows *rows);
/* Moves *CURSOR to the selectable row DELTA steps away (clamped); returns nonzero when it moved. */
int rows_move(const struct rows *rows, int *cursor, int delta);
/* Returns a string that names ROW across rebuilds (kind, label, key or id); the caller frees it. */
char *rows_identity(const struct row *row);
/* Returns the index of the row whose identity is IDENTITY, or -1. */
int rows_find(const struct rows *rows, const char *identity);
/* Puts *CURSOR on a selectable row, the nearest to where it was. */
void rows_clamp(const struct rows *rows, int *cursor);
/* Draws ROWS in the rectangle, scrolled so that the cursor row shows; updates *TOP. */
void rows_draw(struct console *con, const struct rows *rows, int y, int x, int h, int w,
	       int cursor, int *top, int focused);

/*
 * The timeline of the open incident; see timeline.c. Events are named by
 * their id, and only the events on screen are held in memory.
 */
struct timeline {
	size_t n;               /* events in the whole timeline */
	long long newest;       /* the newest event's id, 0 when there is none */
	long long bottom;       /* the id of the event shown at the bottom */
	int follow;             /* keep the newest event at the bottom */
	char *search;           /* the last search term, or NULL */
	long long match;        /* the id of the current match, or -1 */
	int match_counted;      /* match_nth and match_total are up to date */
	long match_nth, match_total; /* the match's rank among all matches, for the title */
	struct event *window;   /* the events up to BOTTOM, oldest first, as last read */
	size_t n_window;
	long long window_bottom; /* the BOTTOM that WINDOW was read for, 0 when none */
	size_t window_limit;    /* the number of events that read requested */
};

/* The open incident and what its panes show. */
struct incident_view {
	char *id;
	struct incident *inc;
	struct step_status *statuses;
	size_t n_statuses;
	struct hypothesis *hypotheses;
	size_t n_hypotheses;
	struct evidence *evidence; /* the register, oldest first; restricted rows show the marker */
	size_t n_evidence;
	struct checklist_mark *marks;
	size_t n_marks;
	struct validation *validations;
	size_t n_validations;
	struct action *actions;
	size_t n_actions;
	struct payment_window *windows;
	size_t n_windows;
	struct decision *decisions;
	size_t n_decisions;
	struct update *updates;
	size_t n_updates;
	struct timeline timeline;

	int security;              /* the security mini-SOP applies */
	int tab;                   /* 0..n_steps-1 a step; n_steps the security tab */
	int cursor[UI_MAX_TABS];   /* per tab: the selected row */
	int top[UI_MAX_TABS];      /* per tab: the first row shown */
	char *cursor_row[UI_MAX_TABS]; /* per tab: rows_identity of the selected row */
	int timeline_focus;        /* keys go to the timeline beside the pane */
	int timeline_only;         /* the timeline fills the body: narrow screens, or OBSERVING */
	int observing;             /* the incident is followed read-only (incident_view_observe) */
	char load_error[1024];      /* why the last reload failed, shown in the pane */
};

/* The incident list. */
struct list_view {
	struct incident *items;
	size_t n;
	int cursor, top;
	int all; /* resolved and closed ones too */
};

/* The screen's regions, from layout.c. */
struct layout {
	int rows, cols;
	int too_small;
	int header_y, header_h;
	int tabs_y;
	int body_y, body_h;
	int pane_x, pane_w;
	int timeline_x, timeline_w; /* timeline_w is 0 when it is not beside the pane */
	int message_y, hints_y;
};

struct watch;
struct presence;

struct console {
	struct store *st;
	struct playbook *pb;
	struct settings *settings;
	int readonly;       /* changes are refused: a viewer, or a commander who chose to view */
	int store_readonly; /* the store is open read-only, so no incident can be commanded */
	int viewer;         /* started by `warroom view`: never takes command */

	/* Live updates and presence; see console.c. */
	struct watch *watch;       /* NULL without inotify: the one-second timer checks instead */
	struct presence *presence; /* this viewer's entry in the presence folder, or NULL */
	int presence_tried; /* a join was attempted while watching; not retried until command returns */
	int observers;             /* running viewers of the database, -1 when unknown */
	long long data_version;    /* PRAGMA data_version at the last reload */

	/* The commander's lease on the open incident; see command.c. */
	struct lease_holder me;
	int have_me;       /* ME is valid */
	int commanding;    /* this console holds the open incident's lease */
	struct lease lease; /* the open incident's lease as last read, for the header */
	int lease_known;   /* LEASE was read */
	struct timespec next_heartbeat; /* CLOCK_MONOTONIC */

	enum { VIEW_LIST, VIEW_INCIDENT } view;
	int from_list; /* the incident was opened from the list: Esc goes back */
	struct list_view list;
	struct incident_view iv;

	struct layer layers[UI_MAX_LAYERS];
	int n_layers;

	struct guard *guard; /* the playbook's guardrails, loaded on first use */
	struct layout lay;
	char message[1024];
	int message_error;
	int dirty;      /* something changed: draw at the end of this pass */
	int command_pending; /* take command (and offer drafts) once the first screen is drawn */
	int cursor_y, cursor_x, cursor_on; /* where a text field wants the cursor */
	time_t now;
	time_t redraw_at; /* when a duration on screen changes its text: redraw then */
};

/* console.c */
/* Pushes an overlay; DATA is freed with OPS->free when it closes. */
void console_push(struct console *con, const struct layer_ops *ops, void *data);
/* Closes the overlay whose data is DATA. */
void console_close(struct console *con, void *data);
/* Shows a result on the message line. */
void ui_message(struct console *con, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Shows the core's error message on the message line. */
void ui_error(struct console *con, const struct wr_error *err);
/*
 * Returns nonzero, after saying "Read-only viewer" and why on the message
 * line, when this console may not change the open incident.
 */
int ui_readonly(struct console *con);
/*
 * Leaves curses, runs ARGV (a program and its arguments) on the terminal and
 * comes back. Returns the program's exit status, or -1 when it could not run.
 */
int console_run_program(struct console *con, char *const argv[]);
/* Opens incident ID in the incident view; returns 0, or -1 with the message line set. */
int console_open_incident(struct console *con, const char *id);
/* Goes back to the incident list. */
void console_show_list(struct console *con);
/* Returns the guardrails, loading them on first use; NULL with the message line set on failure. */
const struct guard *console_guard(struct console *con);
/* Returns the key contexts of the top overlay or the base view, for the hints. */
const enum key_context *console_contexts(struct console *con, size_t *n);

/* terminal.c: returns nonzero when terminfo has an entry for the terminal type NAME. */
int terminal_known(const char *name);

/* layout.c */
void layout_compute(struct console *con);
void layout_draw_too_small(struct console *con);

/* header.c, tabs.c, statusbar.c */
void header_draw(struct console *con);
/* Writes "observers: N", or "observers: ?" when they cannot be counted, into OUT. */
void header_observers(struct console *con, char *out, size_t size);
void tabs_draw(struct console *con);
/* Returns the number of step tabs (the playbook's steps, at most UI_MAX_TABS - 1). */
int tabs_steps(const struct console *con);
/* Returns the number of tabs: the step tabs, and the security tab when it applies. */
int tabs_count(const struct console *con);
/* Returns the playbook step id of TAB, or "security". */
const char *tabs_step_id(const struct console *con, int tab);
void statusbar_draw(struct console *con);

/* list.c */
void list_load(struct console *con);
void list_free(struct list_view *list);
void list_draw(struct console *con);
int list_key(struct console *con, int key);

/* incident_view.c */
int incident_view_load(struct console *con);
void incident_view_free(struct incident_view *iv);
void incident_view_draw(struct console *con);
int incident_view_key(struct console *con, int key);
/*
 * Shows the open incident as an observer follows it: the timeline alone at
 * full width at any terminal width, with `t` switching to the step pane and
 * back. It is for a console that cannot change the incident. The commander's
 * layout returns when an incident is opened again with command.
 */
void incident_view_observe(struct console *con);
/* Returns nonzero when keys go to the timeline: it has the focus beside the pane, or fills the body. */
int incident_view_in_timeline(const struct console *con);
/* Returns the checklist mark of ITEM in LIST for the open incident, or NULL. */
const struct checklist_mark *incident_view_mark(const struct console *con, const char *list,
						const char *item);

/* The step panes: each fills ROWS from the open incident. */
void pane_classify_build(struct console *con, struct rows *rows);
void pane_severity_build(struct console *con, struct rows *rows);
void pane_record_build(struct console *con, struct rows *rows);
void pane_triage_build(struct console *con, struct rows *rows);
void pane_impact_build(struct console *con, struct rows *rows);
void pane_resolve_build(struct console *con, struct rows *rows);
void pane_review_build(struct console *con, struct rows *rows);
void pane_security_build(struct console *con, struct rows *rows);
/* A step the console has no pane for: its purpose, required fields and checklist. */
void pane_generic_build(struct console *con, struct rows *rows, const struct pb_step *step);
/*
 * Adds the rows of checklist LIST ("triage", "resolve", "security") with
 * its N ITEMS; Enter marks an item done or not applicable, x clears it.
 */
void pane_checklist_rows(struct console *con, struct rows *rows, const char *list,
			 const struct pb_item *items, size_t n);
/* Adds the step's purpose as a text row, and what step_statuses lists as missing. */
void pane_intro_rows(struct console *con, struct rows *rows, const char *step_id);

/* pane_common.c: what a pane's prompt or menu callback needs to find its item again. */
struct pane_ref {
	char list[64];    /* a checklist: a step id or "security" */
	char key[512];    /* an item id, a field name, a service */
	long long ref;    /* a numeric id */
	int choice;       /* a menu choice made before a prompt */
	char values[4][1024]; /* fields carried from a form to a menu and back */
};
/* Returns a new ref (one block, freed with free()) holding a copy of KEY (may be NULL) and REF. */
struct pane_ref *pane_ref_new(const char *key, long long ref);
/*
 * Reports the result RC of a core call: on success shows the message FMT
 * and returns UI_RELOAD; on failure shows ERR and returns UI_KEEP for bad
 * input (the prompt stays open to correct it) or UI_HANDLED for a refusal.
 */
int pane_result(struct console *con, int rc, const struct wr_error *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Formats "by ACTOR at TIME" (local time) into OUT. */
void pane_by(const char *actor, const char *at, char *out, size_t size);

/* timeline.c */
int timeline_load(struct console *con);
void timeline_free(struct timeline *tl);
void timeline_draw(struct console *con, int y, int x, int h, int w, int focused);
int timeline_key(struct console *con, enum ui_action action);
/* Asks for a search term and jumps to the newest match. */
int timeline_search_prompt(struct console *con);

/* menu.c: a list of choices in a box. */
struct menu_item {
	const char *label;  /* program text or data, escaped when drawn */
	const char *detail; /* a dimmed second line, or NULL */
	const char *mark;   /* a note after the label ("current", "suggested"), or NULL */
	enum theme_role mark_role;
};
typedef int (*menu_done_fn)(struct console *con, void *ctx, int choice);
/*
 * Opens a menu of N ITEMS (copied) with the cursor on INITIAL. DONE runs
 * with the chosen index; CTX (malloc'd or NULL) is freed when the menu closes.
 */
void menu_open(struct console *con, const char *title, const struct menu_item *items, size_t n,
	       int initial, menu_done_fn done, void *ctx);

/* picker.c: the severity picker. */
int picker_open(struct console *con);
/* Sets severity SEVERITY_ID, first asking for the reason when it is not the suggested one. */
int picker_choose(struct console *con, const char *severity_id);
/* Describes the suggested severity and the rule behind it into OUT; returns the severity or NULL. */
const struct pb_severity *picker_suggestion(struct console *con, char *out, size_t size);

/* prompt.c: one or more one-line fields in a box. */
typedef int (*prompt_done_fn)(struct console *con, void *ctx, char *const *values);
/*
 * Opens a form of N fields with LABELS and INITIAL values (NULL for empty).
 * DONE runs with the N values on Enter in the last field; returning UI_KEEP
 * keeps the form open. CTX (malloc'd or NULL) is freed when the form closes.
 */
void prompt_open(struct console *con, const char *title, const char *const *labels,
		 const char *const *initial, size_t n, prompt_done_fn done, void *ctx);
/* A form with one field. */
void prompt_open1(struct console *con, const char *title, const char *label, const char *initial,
		  prompt_done_fn done, void *ctx);

/* pager.c: a scrollable page of text in a box (help, the brief). */
struct pager_line {
	char *text;          /* already safe to draw (textsafe applied to any data in it) */
	enum theme_role role;
};
/* Opens a pager over LINES (taken over, freed when it closes); N of them. */
void pager_open(struct console *con, const char *title, struct pager_line *lines, size_t n);

/* dialog.c: a question answered with one letter ([v] view read-only, [t] take command...). */
typedef int (*dialog_done_fn)(struct console *con, void *ctx, enum ui_action answer);
/*
 * Opens a dialog titled TITLE that shows TEXT (data allowed: it is escaped)
 * and the N ANSWERS (CTX_DIALOG actions of the key table). DONE runs with
 * the answer chosen and returns UI_* flags; UI_CLOSE closes the dialog. CTX
 * (malloc'd or NULL) is freed with the dialog. Returns the dialog, for
 * dialog_is_open and console_close, or NULL when no more overlays fit.
 */
void *dialog_open(struct console *con, const char *title, const char *text,
		  const enum ui_action *answers, size_t n, dialog_done_fn done, void *ctx);
/* Returns nonzero while DIALOG is still on the overlay stack. */
int dialog_is_open(struct console *con, void *dialog);

/* command.c: the commander's lease on the open incident. */
/*
 * Takes command of the incident just opened, unless this console is a
 * viewer: a free or stale lease is taken at once (the message line says
 * when it was stale), a handover waiting for this user or another live
 * commander opens a dialog, and the incident stays read-only until this
 * console holds the lease.
 */
void command_open(struct console *con);
/* Rereads the open incident's lease for the header. */
void command_refresh(struct console *con);
/* Renews the lease when its heartbeat is due; a lost lease makes the console read-only. */
void command_tick(struct console *con);
/* Gives up command of the open incident, if this console holds it. */
void command_release(struct console *con);
/* Writes "alice on jump1" for the lease's holder into OUT. */
void command_holder_text(const struct lease *l, char *out, size_t size);

/* handover.c: `H`, handing command to a named person with an editable brief. */
int handover_open(struct console *con);

/* help.c, brief.c, composer.c */
void help_open(struct console *con);
int brief_open(struct console *con);
int composer_open(struct console *con);

/* external.c */
/*
 * Lets the user edit TEXT in $VISUAL or $EDITOR (else vi) through a
 * private temporary file. Returns the new text (caller frees), or NULL with
 * the message line set when the editor failed or left the text unchanged.
 */
char *external_edit(struct console *con, const char *text);

/* Formats the ISO 8601 UTC time ISO in the local zone as FORMAT (strftime); "" when invalid. */
void ui_local_time(const char *iso, const char *format, char *out, size_t size);
/* Formats the duration SECONDS as "2h 05m", "3d 4h" or "45s". */
void ui_duration(long long seconds, char *out, size_t size);
/*
 * Returns the seconds for which every duration formatted since the last call
 * keeps its text as the clock moves (LLONG_MAX when none was), and starts
 * over. The console redraws for the clock only when that time is up.
 */
long long ui_duration_stable(void);
/*
 * Formats how long INC has run into OUT: up to NOW while it is open, up to
 * its resolution or closing once it has one. Returns 1 when that length is
 * final, 0 while it grows with the clock, and -1 when there is none to show.
 */
int ui_incident_age(time_t now, const struct incident *inc, char *out, size_t size);

#endif
