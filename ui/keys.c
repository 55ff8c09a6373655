/*
 * The key table; see keys.h. Keys are listed by context in the order the
 * help overlay shows them. Keys that terminals and multiplexers take for
 * themselves are left out: Ctrl-A (screen), Ctrl-B (tmux), Ctrl-S and
 * Ctrl-Q (flow control), Ctrl-Z (suspend), Ctrl-C (interrupt, which quits).
 */
#include <curses.h>

#include "keys.h"

#define ENTER '\r', '\n', KEYF(KEY_ENTER)

static const struct key_binding key_table[] = {
	{CTX_GLOBAL, ACT_HELP, {'?', KEYF(KEY_F(1))}, 0, "? F1", "Show this help", "help"},
	{CTX_GLOBAL, ACT_QUIT, {'q'}, 0, "q",
	 "Quit (asks first while a draft update is not yet approved)", "quit"},
	{CTX_GLOBAL, ACT_REDRAW, {KEYCTRL('L')}, 0, "Ctrl-L", "Redraw the whole screen", NULL},

	{CTX_MOVE, ACT_UP, {KEYF(KEY_UP), 'k'}, 0, "Up k", "Move up", NULL},
	{CTX_MOVE, ACT_DOWN, {KEYF(KEY_DOWN), 'j'}, 0, "Down j", "Move down", NULL},
	{CTX_MOVE, ACT_PAGE_UP, {KEYF(KEY_PPAGE)}, 0, "PgUp", "Move up a page", NULL},
	{CTX_MOVE, ACT_PAGE_DOWN, {KEYF(KEY_NPAGE), ' '}, 0, "PgDn Space", "Move down a page", NULL},
	{CTX_MOVE, ACT_TOP, {KEYF(KEY_HOME), 'g'}, 0, "Home g", "Go to the top", NULL},
	{CTX_MOVE, ACT_BOTTOM, {KEYF(KEY_END), 'G'}, 0, "End G", "Go to the bottom", NULL},

	{CTX_LIST, ACT_OPEN, {ENTER}, 0, "Enter", "Open the incident under the cursor", "open"},
	{CTX_LIST, ACT_SHOW_ALL, {'a'}, 0, "a",
	 "Show all incidents, or only the open ones", "all/open"},

	{CTX_INCIDENT, ACT_STEP_1, {'1', '2', '3', '4', '5', '6', '7'}, 1, "1-7",
	 "Go to step 1 to 7", "step"},
	{CTX_INCIDENT, ACT_SECURITY, {'8'}, 0, "8",
	 "Go to the security mini-SOP (when it applies)", "security"},
	{CTX_INCIDENT, ACT_NEXT_STEP, {'\t', KEYF(KEY_RIGHT), 'l'}, 0, "Tab Right l",
	 "Go to the next step", NULL},
	{CTX_INCIDENT, ACT_PREV_STEP, {KEYF(KEY_BTAB), KEYF(KEY_LEFT), 'h'}, 0, "S-Tab Left h",
	 "Go to the previous step", NULL},
	{CTX_INCIDENT, ACT_SEVERITY, {'s'}, 0, "s", "Choose the severity", "severity"},
	{CTX_INCIDENT, ACT_COMPOSE, {'u'}, 0, "u", "Write a status update", "update"},
	{CTX_INCIDENT, ACT_TIMELINE, {'t'}, 0, "t",
	 "Show the timeline; on wide terminals move into it, in a viewer switch to the pane",
	 "timeline"},
	{CTX_INCIDENT, ACT_SEARCH, {'/'}, 0, "/", "Search the timeline", "search"},
	{CTX_INCIDENT, ACT_SEARCH_NEXT, {'n'}, 0, "n", "Go to the next match, older", NULL},
	{CTX_INCIDENT, ACT_SEARCH_PREV, {'N'}, 0, "N", "Go to the previous match, newer", NULL},
	{CTX_INCIDENT, ACT_NOTE, {'m'}, 0, "m", "Add a note to the timeline", "note"},
	{CTX_INCIDENT, ACT_RESTRICTED_NOTE, {'M'}, 0, "M",
	 "Add a restricted note (security incidents: only its readers see the text)", NULL},
	{CTX_INCIDENT, ACT_BRIEF, {'b'}, 0, "b", "Show the incident brief", "brief"},
	{CTX_INCIDENT, ACT_HANDOVER, {'H'}, 0, "H",
	 "Hand command to another person, with a brief they read first", NULL},
	{CTX_INCIDENT, ACT_BACK, {KEY_ESCAPE}, 0, "Esc",
	 "Leave the timeline, or go back to the incident list", NULL},

	{CTX_PANE, ACT_ACT, {ENTER}, 0, "Enter",
	 "Edit the field or act on the item under the cursor", "edit"},
	{CTX_PANE, ACT_ADD, {'a'}, 0, "a",
	 "Add to the list under the cursor (hypothesis, service, action...)", "add"},
	{CTX_PANE, ACT_REMOVE, {'x', KEYF(KEY_DC)}, 0, "x Delete",
	 "Remove the service, or clear the checklist mark, under the cursor", NULL},
	{CTX_PANE, ACT_EXTERNAL, {'e'}, 0, "e", "Edit the text field under the cursor in $EDITOR",
	 NULL},

	{CTX_TIMELINE, ACT_SEARCH, {'/'}, 0, "/", "Search the timeline", "search"},
	{CTX_TIMELINE, ACT_SEARCH_NEXT, {'n'}, 0, "n", "Go to the next match, older", "next"},
	{CTX_TIMELINE, ACT_SEARCH_PREV, {'N'}, 0, "N", "Go to the previous match, newer", "prev"},
	{CTX_TIMELINE, ACT_BACK, {KEY_ESCAPE}, 0, "Esc",
	 "Go back to the step pane; in a read-only viewer, to the incident list", "back"},

	{CTX_MENU, ACT_CHOOSE, {ENTER}, 0, "Enter", "Choose the entry under the cursor", "choose"},
	{CTX_MENU, ACT_CANCEL, {KEY_ESCAPE, 'q'}, 0, "Esc q", "Close without choosing", "cancel"},

	{CTX_PROMPT, ACT_SUBMIT, {ENTER}, 0, "Enter", "Go to the next field, or submit on the last",
	 "submit"},
	{CTX_PROMPT, ACT_NEXT_FIELD, {'\t', KEYF(KEY_DOWN)}, 0, "Tab Down", "Go to the next field",
	 NULL},
	{CTX_PROMPT, ACT_PREV_FIELD, {KEYF(KEY_BTAB), KEYF(KEY_UP)}, 0, "S-Tab Up",
	 "Go to the previous field", NULL},
	{CTX_PROMPT, ACT_CANCEL, {KEY_ESCAPE}, 0, "Esc", "Cancel", "cancel"},

	{CTX_EDIT, ACT_ED_LEFT, {KEYF(KEY_LEFT)}, 0, "Left", "Move back one character", NULL},
	{CTX_EDIT, ACT_ED_RIGHT, {KEYF(KEY_RIGHT)}, 0, "Right", "Move forward one character", NULL},
	{CTX_EDIT, ACT_ED_WORD_LEFT, {KEYX_CTRL_LEFT}, 0, "Ctrl-Left", "Move back one word", NULL},
	{CTX_EDIT, ACT_ED_WORD_RIGHT, {KEYX_CTRL_RIGHT}, 0, "Ctrl-Right", "Move forward one word",
	 NULL},
	{CTX_EDIT, ACT_ED_UP, {KEYF(KEY_UP)}, 0, "Up", "Move up one line", NULL},
	{CTX_EDIT, ACT_ED_DOWN, {KEYF(KEY_DOWN)}, 0, "Down", "Move down one line", NULL},
	{CTX_EDIT, ACT_ED_HOME, {KEYF(KEY_HOME)}, 0, "Home", "Go to the start of the line", NULL},
	{CTX_EDIT, ACT_ED_END, {KEYF(KEY_END)}, 0, "End", "Go to the end of the line", NULL},
	{CTX_EDIT, ACT_ED_BACKSPACE, {KEYF(KEY_BACKSPACE), 127, KEYCTRL('H')}, 0, "Backspace",
	 "Delete the character before the cursor", NULL},
	{CTX_EDIT, ACT_ED_DELETE, {KEYF(KEY_DC), KEYCTRL('D')}, 0, "Delete Ctrl-D",
	 "Delete the character under the cursor", NULL},
	{CTX_EDIT, ACT_ED_DELETE_WORD, {KEYCTRL('W')}, 0, "Ctrl-W",
	 "Delete the word before the cursor", NULL},
	{CTX_EDIT, ACT_ED_KILL_START, {KEYCTRL('U')}, 0, "Ctrl-U",
	 "Delete to the start of the line", NULL},
	{CTX_EDIT, ACT_ED_KILL_END, {KEYCTRL('K')}, 0, "Ctrl-K", "Delete to the end of the line",
	 NULL},
	{CTX_EDIT, ACT_ED_NEWLINE, {ENTER}, 0, "Enter", "Start a new line (composer)", NULL},

	{CTX_COMPOSER, ACT_CMP_APPROVE, {KEYCTRL('G'), KEYF(KEY_F(5))}, 0, "Ctrl-G F5",
	 "Approve the update (asks for a reason while errors remain)", "approve"},
	{CTX_COMPOSER, ACT_CMP_PUBLISH, {KEYCTRL('P'), KEYF(KEY_F(6))}, 0, "Ctrl-P F6",
	 "Publish the approved update", "publish"},
	{CTX_COMPOSER, ACT_CMP_CLOSE, {KEY_ESCAPE, KEYF(KEY_F(10))}, 0, "Esc F10",
	 "Close the composer (the draft stays saved)", "close"},
	{CTX_COMPOSER, ACT_CMP_AUDIENCE, {KEYCTRL('T'), KEYF(KEY_F(2))}, 0, "Ctrl-T F2",
	 "Choose the audience", "audience"},
	{CTX_COMPOSER, ACT_CMP_TEMPLATE, {KEYCTRL('R'), KEYF(KEY_F(3))}, 0, "Ctrl-R F3",
	 "Start again from the audience's template", "template"},
	{CTX_COMPOSER, ACT_CMP_EDITOR, {KEYCTRL('E'), KEYF(KEY_F(4))}, 0, "Ctrl-E F4",
	 "Edit the text in $EDITOR", "$EDITOR"},
	{CTX_COMPOSER, ACT_CMP_NEXT_FINDING, {KEYCTRL('N'), KEYF(KEY_F(7))}, 0, "Ctrl-N F7",
	 "Move the cursor to the next guardrail finding", "finding"},

	{CTX_OVERLAY, ACT_CLOSE, {KEY_ESCAPE, 'q', '?'}, 0, "Esc q", "Close", "close"},

	/* A dialog lists the answers it offers as "[key] hint" and shows no hint line. */
	{CTX_DIALOG, ACT_DLG_ACK, {'a'}, 0, "a", "Acknowledge the handover and take command",
	 "acknowledge"},
	{CTX_DIALOG, ACT_DLG_VIEW, {'v'}, 0, "v", "Follow the incident read-only", "view read-only"},
	{CTX_DIALOG, ACT_DLG_TAKE, {'t'}, 0, "t",
	 "Take command from the current commander (asks for a reason)", "take command"},
	{CTX_DIALOG, ACT_DLG_BACK, {'q', KEY_ESCAPE}, 0, "q Esc",
	 "Go back to the incident list, or quit where there is none to go back to", "back"},
	/* The same keys as ACT_DLG_BACK in a dialog that cannot go back; its help is the line above. */
	{CTX_DIALOG, ACT_DLG_QUIT, {'q', KEY_ESCAPE}, 0, "q Esc", NULL, "quit"},

	{CTX_HANDOVER, ACT_HO_SEND, {KEYCTRL('G'), KEYF(KEY_F(5))}, 0, "Ctrl-G F5",
	 "Start the handover: the named person acknowledges it to take command", "hand over"},
	{CTX_HANDOVER, ACT_HO_FIELD, {'\t', KEYF(KEY_BTAB)}, 0, "Tab",
	 "Switch between the name and the brief", "field"},
	{CTX_HANDOVER, ACT_HO_CANCEL, {KEY_ESCAPE}, 0, "Esc", "Cancel the handover", "cancel"},
};

static const size_t key_table_len = sizeof key_table / sizeof key_table[0];

static int ctrl_left = -1, ctrl_right = -1;

/* Returns the curses key code for the terminfo capability NAME, or -1. */
static int code_for(const char *name)
{
	char *seq = tigetstr(name);
	int code;

	if (!seq || seq == (char *)-1)
		return -1;
	code = key_defined(seq);
	return code > 0 ? code : -1;
}

void keys_init(void)
{
	ctrl_left = code_for("kLFT5");
	ctrl_right = code_for("kRIT5");
}

enum ui_action keys_lookup(const enum key_context *contexts, size_t n, int key)
{
	if (KEY_IS_FUNCTION(key)) {
		int code = key & ~0x40000000;

		if (code == ctrl_left)
			key = KEYX_CTRL_LEFT;
		else if (code == ctrl_right)
			key = KEYX_CTRL_RIGHT;
	}

	for (size_t c = 0; c < n; c++) {
		for (size_t i = 0; i < key_table_len; i++) {
			const struct key_binding *b = &key_table[i];

			if (b->context != contexts[c])
				continue;
			for (int k = 0; k < 8 && b->keys[k]; k++)
				if (b->keys[k] == key)
					return b->range ? (enum ui_action)(b->action + k) : b->action;
		}
	}
	return ACT_NONE;
}

int keys_action_edits(enum ui_action action)
{
	switch (action) {
	case ACT_SEVERITY:
	case ACT_COMPOSE:
	case ACT_NOTE:
	case ACT_RESTRICTED_NOTE:
	case ACT_HANDOVER:
	case ACT_ACT:
	case ACT_ADD:
	case ACT_REMOVE:
	case ACT_EXTERNAL:
		return 1;
	default:
		return 0;
	}
}

const struct key_binding *keys_table(size_t *n)
{
	*n = key_table_len;
	return key_table;
}

const char *keys_context_title(enum key_context context)
{
	static const char *const titles[CTX_COUNT] = {
		[CTX_GLOBAL] = "Everywhere (except while typing)",
		[CTX_MOVE] = "Lists and scrolled text",
		[CTX_LIST] = "Incident list",
		[CTX_INCIDENT] = "Incident",
		[CTX_PANE] = "Step panes",
		[CTX_TIMELINE] = "Timeline",
		[CTX_MENU] = "Pickers",
		[CTX_PROMPT] = "Prompts and forms",
		[CTX_EDIT] = "Editing text",
		[CTX_COMPOSER] = "Status-update composer",
		[CTX_OVERLAY] = "Help and brief",
		[CTX_DIALOG] = "Questions (who commands, a handover waiting)",
		[CTX_HANDOVER] = "Handing over command",
	};

	return titles[context];
}
