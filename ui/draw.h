/*
 * Drawing text on the console. Every string is UTF-8 and is measured in
 * display columns (wcwidth), never in bytes, so wide and combining
 * characters line up. Data strings go through textsafe() before they are
 * drawn, so control characters and bidirectional overrides show escaped.
 * In a locale that is not UTF-8, characters outside ASCII show as '?'.
 */
#ifndef WARROOM_UI_DRAW_H
#define WARROOM_UI_DRAW_H

#include <curses.h>
#include <stddef.h>
#include <stdint.h>

/* Sets up the drawing helpers for the current locale; call once after setlocale. */
void draw_init(void);
/* Returns nonzero when the locale's codeset is UTF-8 (Unicode borders and marks). */
int draw_utf8(void);

/*
 * Decodes the UTF-8 sequence at S (at most LEN bytes, LEN > 0) into *CP and
 * returns its length; an invalid byte decodes as U+FFFD with length 1.
 */
size_t draw_decode(const char *s, size_t len, uint32_t *cp);
/* Returns the display width of code point CP in this locale: 0, 1 or 2. */
int draw_cp_width(uint32_t cp);
/* Returns the display width in columns of S as draw_text would show it. */
int draw_width(const char *s);

/*
 * Draws S at Y, X of WIN in at most MAXW columns with ATTR, escaping
 * control characters. A string that does not fit ends in an ellipsis.
 * Returns the number of columns drawn.
 */
int draw_text(WINDOW *win, int y, int x, const char *s, int maxw, attr_t attr);
/* Like draw_text but for text that the program wrote itself: no escaping. */
int draw_label(WINDOW *win, int y, int x, const char *s, int maxw, attr_t attr);
/* Fills N columns from Y, X with spaces in ATTR. */
void draw_blank(WINDOW *win, int y, int x, int n, attr_t attr);

/* Draws a horizontal or vertical line of N cells (Unicode or ASCII). */
void draw_hline(WINDOW *win, int y, int x, int n, attr_t attr);
void draw_vline(WINDOW *win, int y, int x, int n, attr_t attr);
/* Draws " TITLE " into the top border of a box at Y, X that is W columns wide. */
void draw_title(int y, int x, int w, const char *title);
/* Draws a box border around the rectangle at Y, X of H rows and W columns. */
void draw_box(WINDOW *win, int y, int x, int h, int w, attr_t attr);

/*
 * Wraps S (escaped first) into lines of at most WIDTH columns, breaking at
 * spaces where it can and at newlines when KEEP_NEWLINES. Sets *LINES to an
 * array of *N strings; free it with draw_lines_free.
 */
void draw_wrap(const char *s, int width, int keep_newlines, char ***lines, size_t *n);
/* Like draw_wrap, keeping newlines, for text already made safe (textsafe with newlines kept). */
void draw_wrap_safe(const char *s, int width, char ***lines, size_t *n);
void draw_lines_free(char **lines, size_t n);

/*
 * Draws S like draw_text and shows every occurrence of TERM in it (ASCII
 * letters compared without case) in HIGHLIGHT, for search matches. A NULL or
 * empty TERM highlights nothing. Returns the number of columns drawn.
 */
int draw_text_marked(WINDOW *win, int y, int x, const char *s, int maxw, attr_t attr,
		     const char *term, attr_t highlight);
/* Like draw_text_marked for text that is already safe: no escaping. */
int draw_label_marked(WINDOW *win, int y, int x, const char *s, int maxw, attr_t attr,
		      const char *term, attr_t highlight);
/* Returns a pointer to the first occurrence of TERM in S, ASCII case folded, or NULL. */
const char *draw_find(const char *s, const char *term);

/* Mark glyphs that have an ASCII form for terminals that are not UTF-8. */
enum draw_glyph {
	GLYPH_CHECK,    /* a step or item that is complete */
	GLYPH_OPEN,     /* a step that is not */
	GLYPH_NA,       /* an item marked not applicable */
	GLYPH_ARROW,    /* the selected row */
	GLYPH_STAR,     /* the suggested choice */
	GLYPH_ELLIPSIS, /* text cut short */
	GLYPH_DOT,      /* a separator between header fields */
	GLYPH_WARNING,  /* a warning finding or a due update */
	GLYPH_ALERT,    /* an error finding or an overdue update */
};
/* Returns the glyph in Unicode or its ASCII form, per draw_utf8(). */
const char *draw_glyph(enum draw_glyph glyph);

#endif
