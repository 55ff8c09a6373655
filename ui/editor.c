/*
 * Editing UTF-8 text; see editor.h. The screen layout is recomputed from
 * the text on every draw and every vertical move: a list of visual lines,
 * each a byte range, wrapped at spaces where a word would not fit. Every
 * width comes from cell_width, so the cursor lands where the text shows.
 */
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "editor.h"
#include "textsafe.h"
#include "util.h"

void editor_init(struct editor *ed, const char *text, int multiline)
{
	memset(ed, 0, sizeof *ed);
	ed->multiline = multiline;
	ed->goal_col = -1;
	ed->cap = 64;
	ed->text = xmalloc(ed->cap);
	ed->text[0] = '\0';
	if (text)
		editor_set_text(ed, text);
	ed->changed = 0;
}

void editor_free(struct editor *ed)
{
	free(ed->text);
	ed->text = NULL;
	ed->len = ed->cap = ed->cursor = 0;
}

static void reserve(struct editor *ed, size_t extra)
{
	while (ed->len + extra + 1 > ed->cap)
		ed->cap *= 2;
	ed->text = xrealloc(ed->text, ed->cap);
}

void editor_set_text(struct editor *ed, const char *text)
{
	size_t n = strlen(text);

	ed->len = 0;
	reserve(ed, n);
	memcpy(ed->text, text, n + 1);
	ed->len = n;
	ed->cursor = n;
	ed->goal_col = -1;
	ed->changed = 1;
}

/* Returns the code point at byte I and sets *N to its length. */
static uint32_t char_at(const struct editor *ed, size_t i, size_t *n)
{
	uint32_t cp;

	*n = draw_decode(ed->text + i, ed->len - i, &cp);
	return cp;
}

/* Returns nonzero when the character at I is a mark that combines with the one before it. */
static int is_combining(const struct editor *ed, size_t i)
{
	size_t n;
	uint32_t cp;

	if (i >= ed->len)
		return 0;
	cp = char_at(ed, i, &n);
	return cp >= 0x20 && cp != 0x7F && draw_cp_width(cp) == 0;
}

/* The start of the character before byte I (skipping back over UTF-8 continuation bytes). */
static size_t prev_char(const struct editor *ed, size_t i)
{
	if (i == 0)
		return 0;
	i--;
	while (i > 0 && ((unsigned char)ed->text[i] & 0xC0) == 0x80)
		i--;
	return i;
}

/* The start of the character cell before I: its base character, not a combining mark. */
static size_t prev_cell(const struct editor *ed, size_t i)
{
	i = prev_char(ed, i);
	while (i > 0 && is_combining(ed, i))
		i = prev_char(ed, i);
	return i;
}

/* The start of the character cell after I. */
static size_t next_cell(const struct editor *ed, size_t i)
{
	size_t n;

	if (i >= ed->len)
		return ed->len;
	char_at(ed, i, &n);
	i += n;
	while (i < ed->len && is_combining(ed, i)) {
		char_at(ed, i, &n);
		i += n;
	}
	return i;
}

void editor_set_cursor(struct editor *ed, size_t offset)
{
	if (offset > ed->len)
		offset = ed->len;
	while (offset > 0 && (((unsigned char)ed->text[offset] & 0xC0) == 0x80 ||
			      is_combining(ed, offset)))
		offset--;
	ed->cursor = offset;
	ed->goal_col = -1;
}

/*
 * Returns the columns the character at I takes on screen and writes what
 * shows there into SHOWN (NUL-terminated, at most 16 bytes): the character,
 * or its escaped form for a control character.
 */
static int cell_width(const struct editor *ed, size_t i, size_t *n, char shown[16])
{
	uint32_t cp = char_at(ed, i, n);
	char *safe;
	int w;

	if (cp == '\\' || (cp >= 0x20 && cp != 0x7F && !(cp >= 0x80 && cp <= 0x9F) &&
			   !(cp >= 0x202A && cp <= 0x202E) && !(cp >= 0x2066 && cp <= 0x2069) &&
			   cp != 0x200E && cp != 0x200F && cp != 0xFFFD)) {
		memcpy(shown, ed->text + i, *n);
		shown[*n] = '\0';
		return draw_cp_width(cp);
	}

	/* A control or direction character, or a byte that is not UTF-8: show it escaped. */
	safe = textsafe_escape(ed->text + i, *n, 0);
	snprintf(shown, 16, "%s", safe);
	w = (int)strlen(shown);
	free(safe);
	return w;
}

/* One visual line: the bytes [start, end) of the text. */
struct vline {
	size_t start, end;
};

/* Splits the text into visual lines of at most WIDTH columns; returns them (caller frees). */
static struct vline *layout(const struct editor *ed, int width, size_t *count)
{
	struct vline *lines = NULL;
	size_t n = 0, cap = 0, i = 0, start = 0, last_space = (size_t)-1;
	int col = 0;

	if (width < 2)
		width = 2;
#define PUSH(s, e)                                                              \
	do {                                                                    \
		if (n == cap) {                                                 \
			cap = cap ? cap * 2 : 16;                               \
			lines = xrealloc(lines, cap * sizeof *lines);           \
		}                                                               \
		lines[n].start = (s);                                           \
		lines[n].end = (e);                                             \
		n++;                                                            \
	} while (0)

	while (i < ed->len) {
		char shown[16];
		size_t len;
		int w;

		if (ed->multiline && ed->text[i] == '\n') {
			PUSH(start, i);
			i++;
			start = i;
			col = 0;
			last_space = (size_t)-1;
			continue;
		}
		w = cell_width(ed, i, &len, shown);
		if (ed->multiline && col + w > width - 1 && col > 0) {
			/* Wrap after the last space on the line, or here when there is none. */
			if (last_space != (size_t)-1 && last_space > start) {
				PUSH(start, last_space + 1);
				start = last_space + 1;
			} else {
				PUSH(start, i);
				start = i;
			}
			last_space = (size_t)-1;
			col = 0;
			for (size_t j = start; j < i;) {
				size_t l2;

				col += cell_width(ed, j, &l2, shown);
				j += l2;
			}
			continue;
		}
		if (ed->text[i] == ' ')
			last_space = i;
		col += w;
		i += len;
	}
	PUSH(start, ed->len);
#undef PUSH
	*count = n;
	return lines;
}

/* Returns the visual line that has the cursor. */
static size_t cursor_line(const struct editor *ed, const struct vline *lines, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		int last = k + 1 == n || lines[k + 1].start != lines[k].end;

		/* At a soft wrap the cursor belongs to the next line; at a newline, to this one. */
		if (ed->cursor >= lines[k].start &&
		    (ed->cursor < lines[k].end || (ed->cursor == lines[k].end && last)))
			return k;
	}
	return n ? n - 1 : 0;
}

/* Returns the column of byte AT within visual line LINE. */
static int column_of(const struct editor *ed, const struct vline *line, size_t at)
{
	int col = 0;
	char shown[16];

	for (size_t i = line->start; i < at && i < line->end;) {
		size_t len;

		col += cell_width(ed, i, &len, shown);
		i += len;
	}
	return col;
}

/* Returns nonzero when visual line K ends at a newline or the end of the text, not a soft wrap. */
static int hard_end(const struct vline *lines, size_t n, size_t k)
{
	return k + 1 == n || lines[k + 1].start != lines[k].end;
}

/* Returns the byte in visual line K nearest to column GOAL without passing it. */
static size_t byte_at_column(const struct editor *ed, const struct vline *lines, size_t n,
			     size_t k, int goal)
{
	size_t i = lines[k].start, limit = lines[k].end;
	char shown[16];
	int col = 0;

	/* The position at a soft wrap belongs to the next line. */
	if (!hard_end(lines, n, k) && limit > lines[k].start)
		limit = prev_cell(ed, limit);
	while (i < limit) {
		size_t len;
		int w = cell_width(ed, i, &len, shown);

		if (col + w > goal)
			break;
		col += w;
		i = next_cell(ed, i);
	}
	return i;
}

static void insert(struct editor *ed, const char *bytes, size_t n)
{
	reserve(ed, n);
	memmove(ed->text + ed->cursor + n, ed->text + ed->cursor, ed->len - ed->cursor + 1);
	memcpy(ed->text + ed->cursor, bytes, n);
	ed->len += n;
	ed->cursor += n;
	ed->changed = 1;
}

static void delete_range(struct editor *ed, size_t from, size_t to)
{
	if (to <= from)
		return;
	memmove(ed->text + from, ed->text + to, ed->len - to + 1);
	ed->len -= to - from;
	ed->cursor = from;
	ed->changed = 1;
}

static int is_space_at(const struct editor *ed, size_t i)
{
	return ed->text[i] == ' ' || ed->text[i] == '\n' || ed->text[i] == '\t';
}

static size_t word_left(const struct editor *ed, size_t i)
{
	while (i > 0 && is_space_at(ed, prev_char(ed, i)))
		i = prev_char(ed, i);
	while (i > 0 && !is_space_at(ed, prev_char(ed, i)))
		i = prev_cell(ed, i);
	return i;
}

static size_t word_right(const struct editor *ed, size_t i)
{
	while (i < ed->len && is_space_at(ed, i))
		i++;
	while (i < ed->len && !is_space_at(ed, i))
		i = next_cell(ed, i);
	return i;
}

static size_t line_start(const struct editor *ed, size_t i)
{
	while (i > 0 && ed->text[i - 1] != '\n')
		i--;
	return i;
}

static size_t line_end(const struct editor *ed, size_t i)
{
	while (i < ed->len && ed->text[i] != '\n')
		i++;
	return i;
}

/* Moves the cursor DELTA visual lines, keeping to the column it started from. */
static int move_vertical(struct editor *ed, int delta)
{
	size_t n, k;
	struct vline *lines = layout(ed, ed->width > 0 ? ed->width : 78, &n);
	long target;
	int goal;

	k = cursor_line(ed, lines, n);
	goal = ed->goal_col >= 0 ? ed->goal_col : column_of(ed, &lines[k], ed->cursor);
	target = (long)k + delta;
	if (target < 0)
		ed->cursor = 0;
	else if (target >= (long)n)
		ed->cursor = ed->len;
	else
		ed->cursor = byte_at_column(ed, lines, n, (size_t)target, goal);
	ed->goal_col = goal;
	free(lines);
	return 1;
}

int editor_key(struct editor *ed, enum ui_action action, int key)
{
	switch (action) {
	case ACT_ED_LEFT:
		ed->cursor = prev_cell(ed, ed->cursor);
		break;
	case ACT_ED_RIGHT:
		ed->cursor = next_cell(ed, ed->cursor);
		break;
	case ACT_ED_WORD_LEFT:
		ed->cursor = word_left(ed, ed->cursor);
		break;
	case ACT_ED_WORD_RIGHT:
		ed->cursor = word_right(ed, ed->cursor);
		break;
	case ACT_ED_HOME:
		ed->cursor = ed->multiline ? line_start(ed, ed->cursor) : 0;
		break;
	case ACT_ED_END:
		ed->cursor = ed->multiline ? line_end(ed, ed->cursor) : ed->len;
		break;
	case ACT_ED_UP:
	case ACT_ED_DOWN:
		if (!ed->multiline)
			return 0;
		return move_vertical(ed, action == ACT_ED_UP ? -1 : 1);
	case ACT_ED_BACKSPACE:
		delete_range(ed, prev_cell(ed, ed->cursor), ed->cursor);
		break;
	case ACT_ED_DELETE:
		delete_range(ed, ed->cursor, next_cell(ed, ed->cursor));
		break;
	case ACT_ED_DELETE_WORD:
		delete_range(ed, word_left(ed, ed->cursor), ed->cursor);
		break;
	case ACT_ED_KILL_START:
		delete_range(ed, ed->multiline ? line_start(ed, ed->cursor) : 0, ed->cursor);
		break;
	case ACT_ED_KILL_END: {
		size_t end = ed->multiline ? line_end(ed, ed->cursor) : ed->len;

		delete_range(ed, ed->cursor, end);
		break;
	}
	case ACT_ED_NEWLINE:
		if (!ed->multiline)
			return 0;
		insert(ed, "\n", 1);
		break;
	default: {
		char buf[4];
		uint32_t cp;
		size_t n;

		/* Any other key inserts itself when it is a printable character. */
		if (KEY_IS_FUNCTION(key) || key < 0x20 || key == 0x7F || key > 0x10FFFF ||
		    (key >= 0x80 && key <= 0x9F) || (key >= 0xD800 && key <= 0xDFFF))
			return 0;
		cp = (uint32_t)key;
		if (cp < 0x80) {
			buf[0] = (char)cp;
			n = 1;
		} else if (cp < 0x800) {
			buf[0] = (char)(0xC0 | (cp >> 6));
			buf[1] = (char)(0x80 | (cp & 0x3F));
			n = 2;
		} else if (cp < 0x10000) {
			buf[0] = (char)(0xE0 | (cp >> 12));
			buf[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
			buf[2] = (char)(0x80 | (cp & 0x3F));
			n = 3;
		} else {
			buf[0] = (char)(0xF0 | (cp >> 18));
			buf[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
			buf[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
			buf[3] = (char)(0x80 | (cp & 0x3F));
			n = 4;
		}
		insert(ed, buf, n);
		break;
	}
	}
	ed->goal_col = -1;
	return 1;
}

/* Returns the mark attribute for byte I, or ATTR when no mark covers it. */
static attr_t attr_at(size_t i, attr_t attr, const struct editor_mark *marks, size_t n)
{
	for (size_t m = 0; m < n; m++)
		if (i >= marks[m].offset && i < marks[m].offset + marks[m].length)
			return marks[m].attr;
	return attr;
}

/* Draws the character cell at byte I at Y, X; returns its width and sets *NEXT past it. */
static int draw_cell(const struct editor *ed, WINDOW *win, int y, int x, size_t i, size_t *next,
		     attr_t attr)
{
	char shown[16];
	size_t len;
	int w = cell_width(ed, i, &len, shown);

	*next = next_cell(ed, i);
	if (*next == i + len && shown[0] != ed->text[i]) {
		/* An escaped character: draw its escaped form. */
		draw_label(win, y, x, shown, w, attr);
	} else {
		char *cell = xstrndup(ed->text + i, *next - i);

		draw_label(win, y, x, cell, w ? w : 1, attr);
		free(cell);
	}
	return w;
}

void editor_draw(struct editor *ed, WINDOW *win, int y, int x, int h, int w, attr_t attr,
		 const struct editor_mark *marks, size_t n_marks, int *cursor_y, int *cursor_x)
{
	struct vline *lines;
	size_t n, k;

	if (h <= 0 || w <= 1)
		return;
	ed->width = w;

	if (!ed->multiline) {
		struct vline whole = {0, ed->len};
		int ccol = column_of(ed, &whole, ed->cursor), col = 0;

		if (ccol < ed->hscroll)
			ed->hscroll = ccol;
		if (ccol >= ed->hscroll + w)
			ed->hscroll = ccol - w + 1;
		draw_blank(win, y, x, w, attr);
		for (size_t i = 0; i < ed->len;) {
			size_t next;
			char shown[16];
			size_t len;
			int cw = cell_width(ed, i, &len, shown);

			if (col >= ed->hscroll && col + cw <= ed->hscroll + w)
				draw_cell(ed, win, y, x + col - ed->hscroll, i, &next,
					  attr_at(i, attr, marks, n_marks));
			else
				next = next_cell(ed, i);
			col += cw;
			i = next;
		}
		*cursor_y = y;
		*cursor_x = x + ccol - ed->hscroll;
		return;
	}

	lines = layout(ed, w, &n);
	k = cursor_line(ed, lines, n);
	if ((int)k < ed->top)
		ed->top = (int)k;
	if ((int)k >= ed->top + h)
		ed->top = (int)k - h + 1;
	if (ed->top > 0 && (size_t)ed->top + (size_t)h > n)
		ed->top = n > (size_t)h ? (int)(n - (size_t)h) : 0;

	for (int r = 0; r < h; r++) {
		size_t line = (size_t)ed->top + (size_t)r;
		int col = 0;

		draw_blank(win, y + r, x, w, attr);
		if (line >= n)
			continue;
		for (size_t i = lines[line].start; i < lines[line].end;) {
			size_t next;

			if (ed->text[i] == '\n')
				break;
			col += draw_cell(ed, win, y + r, x + col, i, &next,
					 attr_at(i, attr, marks, n_marks));
			i = next;
			if (col >= w)
				break;
		}
	}
	*cursor_y = y + (int)k - ed->top;
	*cursor_x = x + column_of(ed, &lines[k], ed->cursor);
	free(lines);
}
