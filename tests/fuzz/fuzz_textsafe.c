/*
 * Fuzz target for textsafe_escape: its output must be safe to print (see
 * fuzz_check_printable), at most four bytes per input byte, and decode back
 * to the input, which shows that no two inputs escape to the same text.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "textsafe.h"

static const char target[] = "textsafe";

/* Returns the value of the hex digit C, or -1. */
static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Reads the COUNT upper-case hex digits at S into *VALUE; fails when one is missing. */
static void read_hex(const char *s, size_t count, unsigned long *value)
{
	*value = 0;
	for (size_t i = 0; i < count; i++) {
		int digit = hex_value(s[i]);

		if (digit < 0)
			fuzz_fail(target, "escape with a bad hex digit near \"%.*s\"", (int)count, s);
		*value = *value * 16 + (unsigned long)digit;
	}
}

/* Appends code point CP, which the escaper wrote as \uXXXX, to OUT as UTF-8. */
static void add_utf8(struct strbuf *out, unsigned long cp)
{
	if (cp < 0x80 || cp > 0xFFFF)
		fuzz_fail(target, "\\u escape of U+%04lX, which needs no \\u escape", cp);
	if (cp < 0x800) {
		sb_addc(out, (char)(0xC0 | (cp >> 6)));
	} else {
		sb_addc(out, (char)(0xE0 | (cp >> 12)));
		sb_addc(out, (char)(0x80 | ((cp >> 6) & 0x3F)));
	}
	sb_addc(out, (char)(0x80 | (cp & 0x3F)));
}

/* Decodes the escapes textsafe_escape writes; fails on a backslash it does not write. */
static char *unescape(const char *s, size_t len, size_t *out_len)
{
	struct strbuf out;
	size_t i = 0;

	sb_init(&out);
	while (i < len) {
		unsigned long value;

		if (s[i] != '\\') {
			sb_addc(&out, s[i++]);
			continue;
		}
		if (i + 1 >= len)
			fuzz_fail(target, "backslash at the end of the output");
		switch (s[i + 1]) {
		case '\\':
			sb_addc(&out, '\\');
			i += 2;
			break;
		case 'n':
			sb_addc(&out, '\n');
			i += 2;
			break;
		case 't':
			sb_addc(&out, '\t');
			i += 2;
			break;
		case 'r':
			sb_addc(&out, '\r');
			i += 2;
			break;
		case 'e':
			sb_addc(&out, '\x1b');
			i += 2;
			break;
		case 'x':
			if (i + 4 > len)
				fuzz_fail(target, "\\x escape cut short at the end of the output");
			read_hex(s + i + 2, 2, &value);
			sb_addc(&out, (char)value);
			i += 4;
			break;
		case 'u':
			if (i + 6 > len)
				fuzz_fail(target, "\\u escape cut short at the end of the output");
			read_hex(s + i + 2, 4, &value);
			add_utf8(&out, value);
			i += 6;
			break;
		default:
			fuzz_fail(target, "unknown escape \"\\%c\" at output offset %zu", s[i + 1], i);
		}
	}
	*out_len = out.len;
	return sb_take(&out);
}

/* Escapes the input with and without KEEP_NEWLINES and checks the result. */
static void check_escape(const uint8_t *data, size_t size, int keep_newlines)
{
	char *escaped = textsafe_escape((const char *)data, size, keep_newlines);
	size_t len = strlen(escaped);
	size_t back_len;
	char *back;

	fuzz_check_printable(target, "textsafe_escape output", escaped, len, keep_newlines);
	if (len > 4 * size)
		fuzz_fail(target, "output of %zu bytes for %zu input bytes", len, size);

	back = unescape(escaped, len, &back_len);
	if (back_len != size || (size > 0 && memcmp(back, data, size) != 0))
		fuzz_fail(target, "output does not decode back to the input (keep_newlines %d)",
			  keep_newlines);
	free(back);
	free(escaped);
}

int fuzz_textsafe_input(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	char *whole, *safe;

	check_escape(data, size, 0);
	check_escape(data, size, 1);

	/* textsafe() reads up to the first NUL and must match textsafe_escape on that prefix. */
	whole = textsafe_escape(text, strlen(text), 0);
	safe = textsafe(text);
	if (strcmp(whole, safe) != 0)
		fuzz_fail(target, "textsafe() differs from textsafe_escape() on the same text");
	free(whole);
	free(safe);
	free(text);
	return 0;
}

#ifdef FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_textsafe_input(data, size);
}
#endif
