"""A small terminal screen model for the benchmarks in run.py.

Screen.feed() takes the bytes a program writes to its terminal and keeps the
characters each cell shows, so a benchmark can wait until a given text is on
the screen even when curses sends only the cells that changed. It follows
the control sequences that terminfo's xterm-256color entry uses (cursor
addressing, erasing, inserting and deleting characters and lines, scroll
regions, repeat, the alternate screen and the line-drawing character set).
Colours and other attributes are parsed and dropped. Sequences it does not
know are counted in Screen.unknown, so a run can report them.
"""
import codecs
import unicodedata

# The DEC special graphics set (ESC ( 0), as curses uses it for borders.
LINE_DRAWING = {
    "j": "┘", "k": "┐", "l": "┌", "m": "└", "n": "┼", "q": "─", "t": "├",
    "u": "┤", "v": "┴", "w": "┬", "x": "│", "a": "▒", "`": "◆", "~": "·",
}


class Screen:
    """The cells of a ROWS x COLS terminal after the bytes fed so far."""

    def __init__(self, rows, cols):
        self.rows = rows
        self.cols = cols
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.unknown = 0
        self.state = "text"
        self.sequence = ""
        self.graphics = False
        self.last_char = " "
        self.reset()

    def reset(self):
        self.cells = [[" "] * self.cols for _ in range(self.rows)]
        self.y = 0
        self.x = 0
        self.wrap_pending = False
        self.top = 0
        self.bottom = self.rows - 1
        self.saved = (0, 0)

    def text(self):
        """Return the screen as lines, without trailing spaces."""
        return ["".join(row).rstrip() for row in self.cells]

    def row(self, y):
        """Return row Y as text, without trailing spaces."""
        return "".join(self.cells[y]).rstrip()

    def contains(self, needle):
        """Return whether one row shows NEEDLE."""
        return any(needle in line for line in self.text())

    def contains_wrapped(self, needle):
        """Return whether NEEDLE is on the screen, also where it wraps from one row to the next."""
        return needle in "".join("".join(row) for row in self.cells)

    def feed(self, data):
        for ch in self.decoder.decode(data):
            self.feed_char(ch)

    # Parsing -------------------------------------------------------------

    def feed_char(self, ch):
        if self.state == "text":
            if ch == "\x1b":
                self.state = "escape"
                self.sequence = ""
            elif ch < " " or ch == "\x7f":
                self.control(ch)
            else:
                self.put(ch)
        elif self.state == "escape":
            self.escape(ch)
        elif self.state == "csi":
            if "@" <= ch <= "~":
                self.csi(self.sequence, ch)
                self.state = "text"
            else:
                self.sequence += ch
        elif self.state == "charset":
            self.graphics = ch == "0" if self.sequence == "(" else self.graphics
            self.state = "text"
        elif self.state == "string":
            # OSC, DCS and similar strings end at BEL or ESC backslash.
            if ch == "\x07":
                self.state = "text"
            elif ch == "\x1b":
                self.state = "string-escape"
        elif self.state == "string-escape":
            self.state = "text" if ch == "\\" else "string"

    def control(self, ch):
        if ch == "\r":
            self.x = 0
            self.wrap_pending = False
        elif ch == "\n" or ch == "\x0b" or ch == "\x0c":
            self.line_feed()
        elif ch == "\b":
            if self.wrap_pending:
                self.wrap_pending = False
            elif self.x > 0:
                self.x -= 1
        elif ch == "\t":
            self.x = min(self.cols - 1, (self.x // 8 + 1) * 8)
        elif ch in "\x07\x0e\x0f\x00":
            pass
        else:
            self.unknown += 1

    def escape(self, ch):
        self.state = "text"
        if ch == "[":
            self.state = "csi"
            self.sequence = ""
        elif ch in "()*+":
            self.state = "charset"
            self.sequence = ch
        elif ch in "]PX^_":
            self.state = "string"
        elif ch == "7":
            self.saved = (self.y, self.x)
        elif ch == "8":
            self.y, self.x = self.saved
            self.wrap_pending = False
        elif ch == "M":
            self.reverse_index()
        elif ch == "D":
            self.line_feed()
        elif ch == "E":
            self.x = 0
            self.line_feed()
        elif ch == "c":
            self.reset()
        elif ch in "=>":
            pass
        else:
            self.unknown += 1

    def csi(self, params, final):
        private = params[:1] in ("?", ">", "=")
        if private:
            params = params[1:]
        values = []
        if params:
            values = [int(p) if p.isdigit() else 0 for p in params.split(";")]

        def arg(i, default):
            return values[i] if len(values) > i and values[i] else default

        if private:
            if final in "hl" and 1049 in values:
                self.reset()
            return
        if final in "Hf":
            self.move(arg(0, 1) - 1, arg(1, 1) - 1)
        elif final == "A":
            self.move(max(self.y - arg(0, 1), 0), self.x)
        elif final in "Be":
            self.move(min(self.y + arg(0, 1), self.rows - 1), self.x)
        elif final in "Ca":
            self.move(self.y, min(self.x + arg(0, 1), self.cols - 1))
        elif final == "D":
            self.move(self.y, max(self.x - arg(0, 1), 0))
        elif final in "G`":
            self.move(self.y, arg(0, 1) - 1)
        elif final == "d":
            self.move(arg(0, 1) - 1, self.x)
        elif final == "J":
            self.erase_display(arg(0, 0))
        elif final == "K":
            self.erase_line(arg(0, 0))
        elif final == "X":
            for i in range(self.x, min(self.x + arg(0, 1), self.cols)):
                self.cells[self.y][i] = " "
        elif final == "P":
            row = self.cells[self.y]
            n = min(arg(0, 1), self.cols - self.x)
            del row[self.x:self.x + n]
            row.extend([" "] * n)
        elif final == "@":
            row = self.cells[self.y]
            n = min(arg(0, 1), self.cols - self.x)
            row[self.x:self.x] = [" "] * n
            del row[self.cols:]
        elif final == "L":
            self.insert_lines(arg(0, 1))
        elif final == "M":
            self.delete_lines(arg(0, 1))
        elif final == "S":
            for _ in range(arg(0, 1)):
                self.scroll_up()
        elif final == "T":
            for _ in range(arg(0, 1)):
                self.scroll_down()
        elif final == "r":
            self.top = arg(0, 1) - 1
            self.bottom = arg(1, self.rows) - 1
            self.move(0, 0)
        elif final == "b":
            for _ in range(arg(0, 1)):
                self.put(self.last_char)
        elif final in "mhlnstc":
            pass
        else:
            self.unknown += 1

    # Screen operations ---------------------------------------------------

    def move(self, y, x):
        self.y = max(0, min(y, self.rows - 1))
        self.x = max(0, min(x, self.cols - 1))
        self.wrap_pending = False

    def put(self, ch):
        if self.graphics:
            ch = LINE_DRAWING.get(ch, ch)
        width = 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        if unicodedata.combining(ch):
            return
        if self.wrap_pending:
            self.x = 0
            self.line_feed()
            self.wrap_pending = False
        self.cells[self.y][self.x] = ch
        if width == 2 and self.x + 1 < self.cols:
            self.cells[self.y][self.x + 1] = ""
        self.last_char = ch
        if self.x + width >= self.cols:
            self.wrap_pending = True
        else:
            self.x += width

    def line_feed(self):
        if self.y == self.bottom:
            self.scroll_up()
        elif self.y < self.rows - 1:
            self.y += 1

    def reverse_index(self):
        if self.y == self.top:
            self.scroll_down()
        elif self.y > 0:
            self.y -= 1

    def scroll_up(self):
        del self.cells[self.top]
        self.cells.insert(self.bottom, [" "] * self.cols)

    def scroll_down(self):
        del self.cells[self.bottom]
        self.cells.insert(self.top, [" "] * self.cols)

    def insert_lines(self, n):
        if not self.top <= self.y <= self.bottom:
            return
        for _ in range(min(n, self.bottom - self.y + 1)):
            del self.cells[self.bottom]
            self.cells.insert(self.y, [" "] * self.cols)
        self.x = 0

    def delete_lines(self, n):
        if not self.top <= self.y <= self.bottom:
            return
        for _ in range(min(n, self.bottom - self.y + 1)):
            del self.cells[self.y]
            self.cells.insert(self.bottom, [" "] * self.cols)
        self.x = 0

    def erase_display(self, mode):
        if mode == 0:
            self.erase_line(0)
            for y in range(self.y + 1, self.rows):
                self.cells[y] = [" "] * self.cols
        elif mode == 1:
            self.erase_line(1)
            for y in range(0, self.y):
                self.cells[y] = [" "] * self.cols
        else:
            for y in range(self.rows):
                self.cells[y] = [" "] * self.cols

    def erase_line(self, mode):
        row = self.cells[self.y]
        if mode == 0:
            start, end = self.x, self.cols
        elif mode == 1:
            start, end = 0, self.x + 1
        else:
            start, end = 0, self.cols
        for i in range(start, end):
            row[i] = " "
