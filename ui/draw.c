/*
 * Text drawing for the console; see draw.h. Every width comes from
 * draw_cp_width, so the layout code, the wrapper and the editor agree on
 * where every character falls.
 */
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "draw.h"
#include "textsafe.h"
#include "theme.h"
#include "util.h"

static int locale_utf8;

void draw_init(void)
{
	const char *codeset = nl_langinfo(CODESET);

	locale_utf8 = codeset && (strcasecmp(codeset, "UTF-8") == 0 || strcasecmp(codeset, "utf8") == 0);
}

int draw_utf8(void)
{
	return locale_utf8;
}

size_t draw_decode(const char *text, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t need;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0) {
		need = 2;
		c = s[0] & 0x1F;
	} else if ((s[0] & 0xF0) == 0xE0) {
		need = 3;
		c = s[0] & 0x0F;
	} else if ((s[0] & 0xF8) == 0xF0) {
		need = 4;
		c = s[0] & 0x07;
	} else {
		*cp = 0xFFFD;
		return 1;
	}
	if (need > len) {
		*cp = 0xFFFD;
		return 1;
	}
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return 1;
		}
		c = (c << 6) | (s[i] & 0x3F);
	}
	*cp = c;
	return need;
}

int draw_cp_width(uint32_t cp)
{
	int w;

	if (cp < 0x80)
		return 1; /* controls reach here only escaped, and '?' is one column too */
	if (!locale_utf8)
		return 1; /* shown as '?' */
	w = wcwidth((wchar_t)cp);
	if (w < 0)
		return 1; /* shown as '?' */
	return w > 2 ? 2 : w;
}

/* The character that stands for CP on screen: CP itself, or '?' when the terminal cannot show it. */
static wchar_t shown_char(uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7F)
		return L'?';
	if (cp < 0x80)
		return (wchar_t)cp;
	if (!locale_utf8 || wcwidth((wchar_t)cp) < 0)
		return L'?';
	return (wchar_t)cp;
}

int draw_width(const char *s)
{
	char *safe = textsafe(s);
	size_t len = strlen(safe), i = 0;
	int width = 0;

	while (i < len) {
		uint32_t cp;

		i += draw_decode(safe + i, len - i, &cp);
		width += draw_cp_width(cp);
	}
	free(safe);
	return width;
}

/* Writes one screen cell: a spacing character and the combining ones that follow it. */
static void put_cell(WINDOW *win, const wchar_t *chars, size_t n, attr_t attr)
{
	wchar_t wcs[CCHARW_MAX + 1];
	cchar_t cell;
	size_t k = n < CCHARW_MAX ? n : CCHARW_MAX;

	memcpy(wcs, chars, k * sizeof *wcs);
	wcs[k] = L'\0';
	setcchar(&cell, wcs, attr & ~A_COLOR, (short)PAIR_NUMBER(attr), NULL);
	wadd_wch(win, &cell);
}

/*
 * Draws S (already safe) in at most MAXW columns, never splitting a wide
 * character; bytes flagged in MASK use HIGHLIGHT. Returns the columns drawn.
 */
static int render(WINDOW *win, int y, int x, const char *s, int maxw, attr_t attr,
		  const unsigned char *mask, attr_t highlight)
{
	size_t len = strlen(s), i = 0;
	int total = 0, limit, col = 0;
	const char *ellipsis = draw_glyph(GLYPH_ELLIPSIS);
	wchar_t cell[CCHARW_MAX + 1];
	size_t cell_n = 0;
	attr_t cell_attr = attr;

	if (maxw <= 0)
		return 0;

	/* Measure first, to know whether the text needs an ellipsis. */
	while (i < len) {
		uint32_t cp;

		i += draw_decode(s + i, len - i, &cp);
		total += draw_cp_width(cp);
	}
	limit = total > maxw ? maxw - 1 : maxw;

	wmove(win, y, x);
	i = 0;
	while (i < len) {
		uint32_t cp;
		size_t start = i;
		int w;

		i += draw_decode(s + i, len - i, &cp);
		w = draw_cp_width(cp);
		if (w == 0) {
			if (cell_n == 0) {
				/* A combining mark with nothing to sit on gets a space. */
				if (col + 1 > limit)
					break;
				cell[cell_n++] = L' ';
				cell_attr = mask && mask[start] ? highlight : attr;
				col++;
			}
			if (cell_n < CCHARW_MAX)
				cell[cell_n++] = shown_char(cp);
			continue;
		}
		if (cell_n) {
			put_cell(win, cell, cell_n, cell_attr);
			cell_n = 0;
		}
		if (col + w > limit)
			break;
		cell[cell_n++] = shown_char(cp);
		cell_attr = mask && mask[start] ? highlight : attr;
		col += w;
	}
	if (cell_n)
		put_cell(win, cell, cell_n, cell_attr);

	if (total > maxw) {
		/* A wide character may have left one column free before the ellipsis. */
		while (col < maxw - 1) {
			waddch(win, ' ' | attr);
			col++;
		}
		if (locale_utf8) {
			wchar_t dots[] = {L'\x2026'};

			put_cell(win, dots, 1, attr);
		} else {
			waddstr(win, ellipsis);
		}
		col++;
	}
	return col;
}

int draw_label(WINDOW *win, int y, int x, const char *s, int maxw, attr_t attr)
{
	return render(win, y, x, s, maxw, attr, NULL, 0);
}

int draw_text(WINDOW *win, int y, int x, const char *s, int maxw, attr_t attr)
{
	char *safe = textsafe(s);
	int n = render(win, y, x, safe, maxw, attr, NULL, 0);

	free(safe);
	return n;
}

const char *draw_find(const char *s, const char *term)
{
	size_t n;

	if (!s || !term || !*term)
		return NULL;
	n = strlen(term);
	for (; *s; s++)
		if (strncasecmp(s, term, n) == 0)
			return s;
	return NULL;
}

int draw_label_marked(WINDOW *win, int y, int x, const char *s, int maxw, attr_t attr,
		      const char *term, attr_t highlight)
{
	size_t len = strlen(s);
	unsigned char *mask = NULL;
	int n;

	if (term && *term) {
		size_t tlen = strlen(term);
		const char *p = s;

		mask = xcalloc(len + 1, 1);
		while ((p = draw_find(p, term))) {
			memset(mask + (p - s), 1, tlen);
			p += tlen;
		}
	}
	n = render(win, y, x, s, maxw, attr, mask, highlight);
	free(mask);
	return n;
}

int draw_text_marked(WINDOW *win, int y, int x, const char *s, int maxw, attr_t attr,
		     const char *term, attr_t highlight)
{
	char *safe = textsafe(s);
	int n = draw_label_marked(win, y, x, safe, maxw, attr, term, highlight);

	free(safe);
	return n;
}

void draw_blank(WINDOW *win, int y, int x, int n, attr_t attr)
{
	if (n <= 0)
		return;
	wmove(win, y, x);
	for (int i = 0; i < n; i++)
		waddch(win, ' ' | attr);
}

void draw_hline(WINDOW *win, int y, int x, int n, attr_t attr)
{
	if (n <= 0)
		return;
	mvwhline(win, y, x, (locale_utf8 ? ACS_HLINE : '-') | attr, n);
}

void draw_vline(WINDOW *win, int y, int x, int n, attr_t attr)
{
	if (n <= 0)
		return;
	mvwvline(win, y, x, (locale_utf8 ? ACS_VLINE : '|') | attr, n);
}

void draw_box(WINDOW *win, int y, int x, int h, int w, attr_t attr)
{
	chtype ul = locale_utf8 ? ACS_ULCORNER : '+', ur = locale_utf8 ? ACS_URCORNER : '+';
	chtype ll = locale_utf8 ? ACS_LLCORNER : '+', lr = locale_utf8 ? ACS_LRCORNER : '+';

	if (h < 2 || w < 2)
		return;
	draw_hline(win, y, x + 1, w - 2, attr);
	draw_hline(win, y + h - 1, x + 1, w - 2, attr);
	draw_vline(win, y + 1, x, h - 2, attr);
	draw_vline(win, y + 1, x + w - 1, h - 2, attr);
	mvwaddch(win, y, x, ul | attr);
	mvwaddch(win, y, x + w - 1, ur | attr);
	mvwaddch(win, y + h - 1, x, ll | attr);
	mvwaddch(win, y + h - 1, x + w - 1, lr | attr);
}

void draw_title(int y, int x, int w, const char *title)
{
	char *padded = xasprintf(" %s ", title);

	draw_text(stdscr, y, x + 2, padded, w - 4, theme_attr(ROLE_TITLE));
	free(padded);
}

/* Appends S[FROM, TO) to LINES, growing the array. */
static void add_line(char ***lines, size_t *n, size_t *cap, const char *s, size_t from, size_t to)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		*lines = xrealloc(*lines, *cap * sizeof **lines);
	}
	(*lines)[(*n)++] = xstrndup(s + from, to - from);
}

/* Wraps the paragraph S[POS, END), which has no newline, into LINES. */
static void wrap_paragraph(const char *s, size_t pos, size_t end, int width, char ***lines,
			   size_t *n, size_t *cap)
{
	if (pos == end) {
		add_line(lines, n, cap, s, pos, end);
		return;
	}
	while (pos < end) {
		size_t j = pos, last_space = end, step = 1;
		uint32_t cp = 0;
		int col = 0;

		/* Take as many characters as fit; zero-width ones stay with their base. */
		while (j < end) {
			int w;

			step = draw_decode(s + j, end - j, &cp);
			w = draw_cp_width(cp);
			if (col + w > width)
				break;
			if (cp == ' ')
				last_space = j;
			col += w;
			j += step;
		}
		if (j >= end) {
			add_line(lines, n, cap, s, pos, end);
			return;
		}

		if (cp == ' ') {
			add_line(lines, n, cap, s, pos, j);
			pos = j + 1;
		} else if (last_space != end && last_space > pos) {
			add_line(lines, n, cap, s, pos, last_space);
			pos = last_space + 1;
		} else {
			/* One word longer than the line, or a character wider than it: cut it. */
			if (j == pos)
				j += step;
			add_line(lines, n, cap, s, pos, j);
			pos = j;
		}
	}
}

static void wrap(char *safe, int width, char ***lines, size_t *n)
{
	size_t len = strlen(safe), cap = 0, start = 0;

	*lines = NULL;
	*n = 0;
	if (width < 1)
		width = 1;

	for (size_t i = 0; i <= len; i++) {
		if (i < len && safe[i] != '\n')
			continue;
		wrap_paragraph(safe, start, i, width, lines, n, &cap);
		start = i + 1;
	}
	free(safe);
}

void draw_wrap(const char *s, int width, int keep_newlines, char ***lines, size_t *n)
{
	wrap(s ? textsafe_escape(s, strlen(s), keep_newlines) : xstrdup(""), width, lines, n);
}

void draw_wrap_safe(const char *s, int width, char ***lines, size_t *n)
{
	wrap(xstrdup(s ? s : ""), width, lines, n);
}

void draw_lines_free(char **lines, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

const char *draw_glyph(enum draw_glyph glyph)
{
	static const char *const unicode[] = {
		[GLYPH_CHECK] = "\xE2\x9C\x93",     /* ✓ */
		[GLYPH_OPEN] = "\xC2\xB7",          /* · */
		[GLYPH_NA] = "\xE2\x80\x93",        /* – */
		[GLYPH_ARROW] = "\xE2\x96\xB8",     /* ▸ */
		[GLYPH_STAR] = "\xE2\x98\x85",      /* ★ */
		[GLYPH_ELLIPSIS] = "\xE2\x80\xA6",  /* … */
		[GLYPH_DOT] = "\xC2\xB7",           /* · */
		[GLYPH_WARNING] = "\xE2\x96\xB3",   /* △ */
		[GLYPH_ALERT] = "\xE2\x96\xB2",     /* ▲ */
	};
	static const char *const ascii[] = {
		[GLYPH_CHECK] = "+",
		[GLYPH_OPEN] = "-",
		[GLYPH_NA] = "~",
		[GLYPH_ARROW] = ">",
		[GLYPH_STAR] = "*",
		[GLYPH_ELLIPSIS] = "~",
		[GLYPH_DOT] = "|",
		[GLYPH_WARNING] = "!",
		[GLYPH_ALERT] = "!!",
	};

	return locale_utf8 ? unicode[glyph] : ascii[glyph];
}
