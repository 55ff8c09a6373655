/*
 * Shared set-up and checks for the fuzz targets; see fuzz.h. The UTF-8
 * decoder here is written apart from src/textsafe.c on purpose, so that the
 * checks do not share a mistake with the code they check.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#ifndef FUZZ_TOP_SRCDIR
#error "FUZZ_TOP_SRCDIR must name the source tree's top folder"
#endif

/*
 * Suppressions that LeakSanitizer reads at start-up. libconfig 1.5 leaks the
 * text of a string token that a syntax error discards (fixed in libconfig
 * 1.7.3), so a broken playbook leaks a few bytes inside the library. The
 * scanner allocates that text in strbuf_append, or in libconfig_yylex for an
 * empty string.
 */
const char *__lsan_default_suppressions(void);

const char *__lsan_default_suppressions(void)
{
	return "leak:strbuf_append\nleak:libconfig_yylex\n";
}

/* Keeps LeakSanitizer's list of the suppressions it used out of every test log. */
const char *__lsan_default_options(void);

const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}

void fuzz_fail(const char *target, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz: %s: ", target);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

const char *fuzz_source_path(const char *relative)
{
	static char path[4096];

	snprintf(path, sizeof path, "%s/%s", FUZZ_TOP_SRCDIR, relative);
	return path;
}

const struct playbook *fuzz_playbook(void)
{
	static struct playbook *pb;
	struct strbuf problems;
	struct wr_error err = {0};

	if (pb)
		return pb;

	/* Imports and the guardrails read the clock and the actor, so both are fixed for repeatable runs. */
	setenv("WARROOM_NOW", "2026-03-02T10:00:00Z", 1);
	setenv("WARROOM_ACTOR", "fuzz", 1);
	setenv("TZ", "UTC", 1);

	sb_init(&problems);
	pb = playbook_load(fuzz_source_path("data/playbook.cfg"), &problems, &err);
	if (!pb) {
		fprintf(stderr, "fuzz: the bundled playbook does not load:\n%s", problems.data);
		exit(2);
	}
	sb_free(&problems);
	return pb;
}

const struct guard *fuzz_guard(void)
{
	static struct guard *g;
	struct strbuf problems;
	struct wr_error err = {0};

	if (g)
		return g;
	sb_init(&problems);
	g = guard_load(fuzz_playbook(), &problems, &err);
	if (!g) {
		fprintf(stderr, "fuzz: the bundled guardrails do not load:\n%s", problems.data);
		exit(2);
	}
	sb_free(&problems);
	return g;
}

char *fuzz_text(const uint8_t *data, size_t size)
{
	char *text = xmalloc(size + 1);

	if (size > 0)
		memcpy(text, data, size);
	text[size] = '\0';
	return text;
}

/* Decodes the UTF-8 sequence at S (LEN bytes left); returns its length and sets *CP, or returns 0. */
static size_t utf8_decode(const unsigned char *s, size_t len, unsigned long *cp)
{
	static const unsigned long smallest[] = {0, 0, 0x80, 0x800, 0x10000};
	size_t need;
	unsigned long c;

	if (s[0] <= 0x7F) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC0 && s[0] <= 0xDF) {
		need = 2;
		c = s[0] & 0x1Fu;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		need = 3;
		c = s[0] & 0x0Fu;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF7) {
		need = 4;
		c = s[0] & 0x07u;
	} else {
		return 0;
	}
	if (len < need)
		return 0;
	for (size_t i = 1; i < need; i++) {
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
		c = c * 64 + (s[i] & 0x3Fu);
	}
	if (c < smallest[need] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return need;
}

size_t fuzz_utf8_invalid_at(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned long cp;
		size_t n = utf8_decode(u + i, len - i, &cp);

		if (n == 0)
			return i;
		i += n;
	}
	return len;
}

/* Returns nonzero for a code point a terminal may act on or that reorders text. */
static int is_unsafe(unsigned long cp, int newlines)
{
	if (cp == '\n')
		return !newlines;
	if (cp < 0x20 || cp == 0x7F)
		return 1;
	if (cp >= 0x80 && cp <= 0x9F)
		return 1;
	if (cp == 0x200E || cp == 0x200F)
		return 1;
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

void fuzz_check_printable(const char *target, const char *what, const char *s, size_t len,
			  int newlines)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned long cp;
		size_t n = utf8_decode(u + i, len - i, &cp);

		if (n == 0)
			fuzz_fail(target, "%s: invalid UTF-8 byte 0x%02X at offset %zu", what, u[i], i);
		if (is_unsafe(cp, newlines))
			fuzz_fail(target, "%s: unsafe code point U+%04lX at offset %zu", what, cp, i);
		i += n;
	}
}
