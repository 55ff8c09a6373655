/*
 * Escaping untrusted text for the terminal; see textsafe.h. The UTF-8
 * decoder rejects overlong forms, surrogates and code points past U+10FFFF,
 * and treats the C1 controls (U+0080..U+009F) like C0 controls, because some
 * terminals act on them. Bidirectional overrides and isolates are escaped
 * too, so that text cannot reorder what is shown around it.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "textsafe.h"
#include "util.h"

/* Returns the length of the valid UTF-8 sequence at S (at most LEN bytes) and its code point, or 0. */
static size_t utf8_sequence(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t need;
	uint32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0) {
		need = 2;
		c = s[0] & 0x1F;
		min = 0x80;
	} else if ((s[0] & 0xF0) == 0xE0) {
		need = 3;
		c = s[0] & 0x0F;
		min = 0x800;
	} else if ((s[0] & 0xF8) == 0xF0) {
		need = 4;
		c = s[0] & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (need > len)
		return 0;
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return need;
}

char *textsafe_escape(const char *text, size_t len, int keep_newlines)
{
	const unsigned char *s = (const unsigned char *)text;
	struct strbuf sb;
	size_t i = 0;

	sb_init(&sb);
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_sequence(s + i, len - i, &cp);

		if (n == 0) {
			sb_addf(&sb, "\\x%02X", s[i]);
			i++;
			continue;
		}
		if (cp == '\\') {
			sb_add(&sb, "\\\\");
		} else if (cp == '\n') {
			sb_add(&sb, keep_newlines ? "\n" : "\\n");
		} else if (cp == '\t') {
			sb_add(&sb, "\\t");
		} else if (cp == '\r') {
			sb_add(&sb, "\\r");
		} else if (cp == 0x1B) {
			sb_add(&sb, "\\e");
		} else if (cp < 0x20 || cp == 0x7F) {
			sb_addf(&sb, "\\x%02X", (unsigned)cp);
		} else if ((cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
			   (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F) {
			sb_addf(&sb, "\\u%04X", (unsigned)cp);
		} else {
			sb_addn(&sb, text + i, n);
		}
		i += n;
	}
	return sb_take(&sb);
}

char *textsafe(const char *s)
{
	return s ? textsafe_escape(s, strlen(s), 0) : xstrdup("");
}
