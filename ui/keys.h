/*
 * The one key table. Every key the console reacts to is a row here: where it
 * works (a context), what it does (an action), its keys, and its help text.
 * Key handlers look keys up here, and the help overlay and the key hints at
 * the bottom of the screen are generated from the same rows.
 */
#ifndef WARROOM_UI_KEYS_H
#define WARROOM_UI_KEYS_H

#include <stddef.h>

/* A key as the console passes it around: a character, or KEYF(code) for a curses function key. */
#define KEYF(code) (0x40000000 | (code))
#define KEY_IS_FUNCTION(key) (((key) & 0x40000000) != 0)
#define KEYCTRL(c) ((c) & 0x1F)
#define KEY_ESCAPE 27
/* Keys whose curses code depends on the terminal, resolved by keys_init. */
#define KEYX_CTRL_LEFT KEYF(0x3FFF0001)
#define KEYX_CTRL_RIGHT KEYF(0x3FFF0002)

enum key_context {
	CTX_GLOBAL,   /* everywhere but while typing text */
	CTX_MOVE,     /* lists and scrolled text */
	CTX_LIST,     /* the incident list */
	CTX_INCIDENT, /* an open incident */
	CTX_PANE,     /* a step's pane */
	CTX_TIMELINE, /* the timeline */
	CTX_MENU,     /* pickers */
	CTX_PROMPT,   /* one-line prompts and forms */
	CTX_EDIT,     /* editing text */
	CTX_COMPOSER, /* the status-update composer */
	CTX_OVERLAY,  /* help and the brief */
	CTX_DIALOG,   /* a question with lettered answers: the lease, a handover */
	CTX_HANDOVER, /* writing a handover to the next commander */
	CTX_COUNT
};

enum ui_action {
	ACT_NONE,
	ACT_HELP,
	ACT_QUIT,
	ACT_REDRAW,
	ACT_UP,
	ACT_DOWN,
	ACT_PAGE_UP,
	ACT_PAGE_DOWN,
	ACT_TOP,
	ACT_BOTTOM,
	ACT_OPEN,
	ACT_SHOW_ALL,
	ACT_STEP_1, /* ACT_STEP_1 + n - 1 is step n, up to seven */
	ACT_STEP_7 = ACT_STEP_1 + 6,
	ACT_SECURITY,
	ACT_NEXT_STEP,
	ACT_PREV_STEP,
	ACT_TIMELINE,
	ACT_SEVERITY,
	ACT_COMPOSE,
	ACT_BRIEF,
	ACT_SEARCH,
	ACT_SEARCH_NEXT,
	ACT_SEARCH_PREV,
	ACT_NOTE,
	ACT_RESTRICTED_NOTE,
	ACT_BACK,
	ACT_ACT,
	ACT_ADD,
	ACT_REMOVE,
	ACT_EXTERNAL,
	ACT_CHOOSE,
	ACT_CANCEL,
	ACT_SUBMIT,
	ACT_NEXT_FIELD,
	ACT_PREV_FIELD,
	ACT_ED_LEFT,
	ACT_ED_RIGHT,
	ACT_ED_UP,
	ACT_ED_DOWN,
	ACT_ED_WORD_LEFT,
	ACT_ED_WORD_RIGHT,
	ACT_ED_HOME,
	ACT_ED_END,
	ACT_ED_BACKSPACE,
	ACT_ED_DELETE,
	ACT_ED_DELETE_WORD,
	ACT_ED_KILL_START,
	ACT_ED_KILL_END,
	ACT_ED_NEWLINE,
	ACT_CMP_AUDIENCE,
	ACT_CMP_TEMPLATE,
	ACT_CMP_EDITOR,
	ACT_CMP_APPROVE,
	ACT_CMP_PUBLISH,
	ACT_CMP_NEXT_FINDING,
	ACT_CMP_CLOSE,
	ACT_CLOSE,
	ACT_HANDOVER,
	ACT_DLG_VIEW,
	ACT_DLG_TAKE,
	ACT_DLG_ACK,
	ACT_DLG_BACK,
	ACT_DLG_QUIT,
	ACT_HO_SEND,
	ACT_HO_FIELD,
	ACT_HO_CANCEL,
	ACT_COUNT
};

/* One row of the key table. */
struct key_binding {
	enum key_context context;
	enum ui_action action;
	int keys[8];       /* up to eight keys; 0 ends the list */
	int range;         /* the Nth key means ACTION + N (the step keys 1-7) */
	const char *label; /* the keys as help shows them */
	const char *help;  /* what the action does, or NULL when another line of help describes it */
	const char *hint;  /* a word for the key hints, or NULL to leave it out */
};

/* Resolves the terminal-dependent keys (Ctrl-Left, Ctrl-Right); after initscr. */
void keys_init(void);

/*
 * Returns the action KEY has in the first of the N CONTEXTS that binds it,
 * or ACT_NONE.
 */
enum ui_action keys_lookup(const enum key_context *contexts, size_t n, int key);

/* Returns nonzero when ACTION changes the incident, so that a read-only console refuses it. */
int keys_action_edits(enum ui_action action);

/* Returns the table and sets *N to its length. */
const struct key_binding *keys_table(size_t *n);
/* Returns the title of a context as the help overlay shows it. */
const char *keys_context_title(enum key_context context);

#endif
