/*
 * A UTF-8 text editor for one field: a single line for prompts, or many
 * lines, word-wrapped, for the status-update composer. The cursor is a byte
 * offset that always sits at the start of a character, never between a
 * character and the combining marks that follow it. Control characters in
 * the text show escaped, as textsafe() writes them.
 */
#ifndef WARROOM_UI_EDITOR_H
#define WARROOM_UI_EDITOR_H

#include <curses.h>
#include <stddef.h>

#include "keys.h"

struct editor {
	char *text;
	size_t len, cap;
	size_t cursor;   /* byte offset into TEXT */
	int multiline;
	int goal_col;    /* the column Up and Down aim for; -1 when unset */
	int top;         /* the first visual line shown (multi-line) */
	int hscroll;     /* the first column shown (one line) */
	int width;       /* the columns of the last draw, which Up and Down move in */
	int changed;     /* set by every edit; the owner clears it after saving */
};

/* A byte range to draw in another attribute: a guardrail finding's words. */
struct editor_mark {
	size_t offset;
	size_t length;
	attr_t attr;
};

/* Starts an editor on a copy of TEXT (NULL for empty) with the cursor at its end. */
void editor_init(struct editor *ed, const char *text, int multiline);
void editor_free(struct editor *ed);
/* Replaces the text and puts the cursor at its end; sets CHANGED. */
void editor_set_text(struct editor *ed, const char *text);
/* Moves the cursor to byte OFFSET, moved back to the start of its character. */
void editor_set_cursor(struct editor *ed, size_t offset);

/*
 * Applies ACTION (an ACT_ED_* action) or inserts KEY when it is a printable
 * character. Returns nonzero when the key was used.
 */
int editor_key(struct editor *ed, enum ui_action action, int key);

/*
 * Draws the text in the rectangle at Y, X of H rows and W columns with
 * ATTR, the N MARKS over it, and scrolls to keep the cursor visible. Sets
 * *CURSOR_Y and *CURSOR_X to where the terminal's cursor belongs.
 */
void editor_draw(struct editor *ed, WINDOW *win, int y, int x, int h, int w, attr_t attr,
		 const struct editor_mark *marks, size_t n, int *cursor_y, int *cursor_x);

#endif
