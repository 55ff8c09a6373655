/*
 * Unit tests for util.c and textsafe.c: the string buffer and its helpers,
 * error records, ISO 8601 parsing (with invalid dates, times and offsets),
 * the fixed clock, the actor name, and escaping of terminal controls,
 * bidirectional overrides and invalid UTF-8.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap.h"
#include "textsafe.h"
#include "util.h"

#define COUNT(array) (sizeof array / sizeof array[0])

/* ---- strbuf and string helpers ---- */

static void test_strbuf(void)
{
	struct strbuf sb;
	char *taken;

	sb_init(&sb);
	is_str(sb.data, "", "strbuf starts empty");
	is_int(sb.len, 0, "strbuf starts at length 0");

	sb_add(&sb, "incident");
	sb_addc(&sb, ' ');
	sb_addn(&sb, "INC-2026-0001 and more", 13);
	is_str(sb.data, "incident INC-2026-0001", "strbuf add, addc, addn");
	is_int(sb.len, 22, "strbuf length after adds");

	sb_addf(&sb, " sev%d %s", 1, "P1");
	is_str(sb.data, "incident INC-2026-0001 sev1 P1", "strbuf addf");

	taken = sb_take(&sb);
	is_str(taken, "incident INC-2026-0001 sev1 P1", "strbuf take returns text");
	is_str(sb.data, "", "strbuf empty after take");
	is_int(sb.len, 0, "strbuf length 0 after take");
	free(taken);

	taken = sb_take(&sb);
	is_str(taken, "", "strbuf take of empty buffer");
	free(taken);

	sb_add(&sb, "again");
	sb_free(&sb);
	is_str(sb.data, "", "strbuf empty after free");
	is_int(sb.len, 0, "strbuf length 0 after free");
	sb_add(&sb, "reused");
	is_str(sb.data, "reused", "strbuf usable after free");
	sb_free(&sb);
}

static void test_strbuf_growth(void)
{
	struct strbuf sb;
	char chunk[101];
	size_t i;
	int intact = 1;

	memset(chunk, 'x', 100);
	chunk[100] = '\0';
	sb_init(&sb);
	for (i = 0; i < 50; i++)
		sb_add(&sb, chunk);
	sb_addf(&sb, "%s|%05d", chunk, 42);
	is_int(sb.len, 5106, "strbuf grows past its first size");
	for (i = 0; i < 5100; i++)
		if (sb.data[i] != 'x')
			intact = 0;
	ok(intact, "strbuf keeps content when growing");
	is_str(sb.data + 5100, "|00042", "strbuf addf after growth");
	ok(sb.data[sb.len] == '\0', "strbuf stays NUL-terminated");
	sb_free(&sb);
}

static void test_strbuf_binary(void)
{
	struct strbuf sb;

	sb_init(&sb);
	sb_addn(&sb, "a\0b", 3);
	is_int(sb.len, 3, "strbuf addn keeps NUL bytes");
	ok(memcmp(sb.data, "a\0b", 4) == 0, "strbuf NUL byte in content");
	sb_free(&sb);
}

static void test_string_helpers(void)
{
	char *s;
	struct wr_error err = {0};
	char long_value[2000];

	s = xasprintf("%s-%04d-%04d", "INC", 2026, 7);
	is_str(s, "INC-2026-0007", "xasprintf formats");
	free(s);
	s = xstrndup("abcdef", 3);
	is_str(s, "abc", "xstrndup cuts");
	free(s);
	s = xstrdup("");
	is_str(s, "", "xstrdup empty");
	free(s);

	is_int(error_set(&err, WR_BAD_INPUT, "bad %s", "value"), -1, "error_set returns -1");
	is_int(err.status, WR_BAD_INPUT, "error_set status");
	is_str(err.message, "bad value", "error_set message");
	memset(long_value, 'v', sizeof long_value - 1);
	long_value[sizeof long_value - 1] = '\0';
	error_set(&err, WR_FAILED, "%s", long_value);
	is_int(strlen(err.message), sizeof err.message - 1, "error_set truncates long message");
	is_int(error_set(NULL, WR_FAILED, "ignored"), -1, "error_set without record");

	ok(str_blank(NULL), "blank NULL");
	ok(str_blank(""), "blank empty");
	ok(str_blank(" \t\r\n"), "blank white space");
	ok(!str_blank("  x "), "not blank");
}

/* ---- time ---- */

struct time_case {
	const char *text;
	long long want; /* seconds since the epoch */
};

static const struct time_case valid_times[] = {
	{"2026-03-14", 1773446400},
	{"2026-03-14T09:30", 1773480600},
	{"2026-03-14T09:30:00Z", 1773480600},
	{"2026-03-14t09:30:00z", 1773480600},
	{"2026-03-14 09:30:00", 1773480600},
	{"2026-03-14T09:30:00.123456Z", 1773480600},
	{"2026-03-14T09:30:00,5Z", 1773480600},
	{"2026-03-14T11:30:00+02:00", 1773480600},
	{"2026-03-14T04:00:00-05:30", 1773480600},
	{"2026-03-14T04:00:00-0530", 1773480600},
	{"2026-03-14T09:30+00:00", 1773480600},
	{"2024-02-29T00:00:00Z", 1709164800},
	{"2000-02-29T12:00:00Z", 951825600},
	{"2016-12-31T23:59:60Z", 1483228800},
	{"1970-01-01T00:00:00Z", 0},
};

static const char *const invalid_times[] = {
	"",
	"2026",
	"2026-03",
	"2026-3-14",
	"26-03-14",
	"2026/03/14",
	"2026-13-01",
	"2026-00-10",
	"2026-01-00",
	"2026-01-32",
	"2026-04-31",
	"2023-02-29",
	"1900-02-29",
	"2026-03-14T",
	"2026-03-14T9:30",
	"2026-03-14T24:00",
	"2026-03-14T23:60",
	"2026-03-14T23:59:61Z",
	"2026-03-14T09:30:00.Z",
	"2026-03-14T09:30:00+24:00",
	"2026-03-14T09:30:00+01:60",
	"2026-03-14T09:30:00+01",
	"2026-03-14T09:30:00+1:00",
	"2026-03-14T09:30:00 UTC",
	"2026-03-14T09:30:00Zjunk",
	"2026-03-14junk",
	"9999-12-31T23:30-01:00",
	"0000-01-01T00:30+01:00",
	"２０２６-03-14",
};

static void test_time_parse(void)
{
	time_t t;

	for (size_t i = 0; i < COUNT(valid_times); i++) {
		t = -1;
		is_int(time_parse_iso8601(valid_times[i].text, &t), 0, valid_times[i].text);
		is_int(t, valid_times[i].want, valid_times[i].text);
	}
	for (size_t i = 0; i < COUNT(invalid_times); i++)
		is_int(time_parse_iso8601(invalid_times[i], &t), -1, invalid_times[i]);
	is_int(time_parse_iso8601(NULL, &t), -1, "time NULL is invalid");
}

static void test_time_format(void)
{
	char out[21];
	time_t t;

	time_format_utc(1773480600, out);
	is_str(out, "2026-03-14T09:30:00Z", "time format UTC");
	time_format_utc(0, out);
	is_str(out, "1970-01-01T00:00:00Z", "time format epoch");

	ok(time_parse_iso8601("2024-02-29T23:59:59+01:00", &t) == 0, "time round trip parses");
	time_format_utc(t, out);
	is_str(out, "2024-02-29T22:59:59Z", "time round trip in UTC");

	ok(time_parse_iso8601("0018-06-01T13:35:00Z", &t) == 0, "time year 18 parses");
	time_format_utc(t, out);
	is_str(out, "0018-06-01T13:35:00Z", "time year 18 keeps four digits");
}

static void test_clock(void)
{
	time_t before, now;

	setenv("WARROOM_NOW", "2026-03-14T09:30:00Z", 1);
	is_int(clock_now(), 1773480600, "clock fixed by WARROOM_NOW");

	setenv("WARROOM_NOW", "not a time", 1);
	before = time(NULL);
	now = clock_now();
	ok(now >= before && now <= time(NULL), "clock ignores invalid WARROOM_NOW");

	unsetenv("WARROOM_NOW");
	before = time(NULL);
	now = clock_now();
	ok(now >= before && now <= time(NULL), "clock without WARROOM_NOW");
}

static void test_actor(void)
{
	setenv("WARROOM_ACTOR", "Dana Okafor", 1);
	is_str(actor_name(), "Dana Okafor", "actor from WARROOM_ACTOR");
	setenv("WARROOM_ACTOR", "", 1);
	ok(strcmp(actor_name(), "") != 0, "empty WARROOM_ACTOR falls back");
	unsetenv("WARROOM_ACTOR");
	ok(!str_blank(actor_name()), "actor from login name");
}

/* ---- textsafe ---- */

struct escape_case {
	const char *name;
	const char *in;
	size_t len; /* 0: strlen(in) */
	const char *want;
};

static const struct escape_case escape_cases[] = {
	{"plain ASCII", "Card payments failing", 0, "Card payments failing"},
	{"ESC sequence", "\x1b[31mred\x1b[0m", 0, "\\e[31mred\\e[0m"},
	{"OSC title set", "\x1b]0;owned\x07", 0, "\\e]0;owned\\x07"},
	{"C0 controls", "a\x01\x08z", 0, "a\\x01\\x08z"},
	{"DEL", "a\x7f", 0, "a\\x7F"},
	{"newline tab CR", "a\nb\tc\rd", 0, "a\\nb\\tc\\rd"},
	{"backslash", "C:\\temp\\n", 0, "C:\\\\temp\\\\n"},
	{"C1 CSI", "x\xc2\x9b" "31m", 0, "x\\u009B31m"},
	{"C1 NEL", "\xc2\x85", 0, "\\u0085"},
	{"bidi RLO", "abc\xe2\x80\xae" "fed", 0, "abc\\u202Efed"},
	{"bidi LRE", "\xe2\x80\xaa", 0, "\\u202A"},
	{"bidi isolate", "\xe2\x81\xa6x\xe2\x81\xa9", 0, "\\u2066x\\u2069"},
	{"bidi marks", "\xe2\x80\x8e\xe2\x80\x8f", 0, "\\u200E\\u200F"},
	{"invalid byte", "a\xff" "b", 0, "a\\xFFb"},
	{"lone continuation", "\x80", 0, "\\x80"},
	{"overlong slash", "\xc0\xaf", 0, "\\xC0\\xAF"},
	{"overlong three bytes", "\xe0\x80\xaf", 0, "\\xE0\\x80\\xAF"},
	{"surrogate", "\xed\xa0\x80", 0, "\\xED\\xA0\\x80"},
	{"past U+10FFFF", "\xf4\x90\x80\x80", 0, "\\xF4\\x90\\x80\\x80"},
	{"truncated at end", "ok\xe2\x82", 0, "ok\\xE2\\x82"},
	{"NUL inside", "a\0b", 3, "a\\x00b"},
	{"Latin accents", "caf\xc3\xa9 \xc3\xbc", 0, "caf\xc3\xa9 \xc3\xbc"},
	{"CJK", "\xe6\x94\xaf\xe4\xbb\x98\xe5\xa4\xb1\xe8\xb4\xa5", 0,
	 "\xe6\x94\xaf\xe4\xbb\x98\xe5\xa4\xb1\xe8\xb4\xa5"},
	{"emoji", "\xf0\x9f\x9a\xa8 P0", 0, "\xf0\x9f\x9a\xa8 P0"},
	{"euro sign", "\xe2\x82\xac" "12", 0, "\xe2\x82\xac" "12"},
};

static void test_escape(void)
{
	for (size_t i = 0; i < COUNT(escape_cases); i++) {
		const struct escape_case *c = &escape_cases[i];
		char *got = textsafe_escape(c->in, c->len ? c->len : strlen(c->in), 0);

		is_str(got, c->want, c->name);
		free(got);
	}
}

static void test_escape_newlines(void)
{
	char *got;

	got = textsafe_escape("line one\nline two\r\n", 19, 1);
	is_str(got, "line one\nline two\\r\n", "keep newlines");
	free(got);
	got = textsafe_escape("", 0, 0);
	is_str(got, "", "escape empty");
	free(got);
	got = textsafe(NULL);
	is_str(got, "", "textsafe NULL");
	free(got);
	got = textsafe("x\x1b[2Jy\n");
	is_str(got, "x\\e[2Jy\\n", "textsafe string");
	free(got);
}

static void test_distance(void)
{
	char long_text[200];

	memset(long_text, 'a', sizeof long_text - 1);
	long_text[sizeof long_text - 1] = '\0';
	is_int((int)str_distance("global", "global", 2), 0, "distance: same");
	is_int((int)str_distance("globl", "global", 2), 1, "distance: one deletion");
	is_int((int)str_distance("summry", "summary", 2), 1, "distance: one insertion");
	is_int((int)str_distance("prodcut", "product", 2), 2, "distance: swapped pair");
	is_int((int)str_distance("payments_blockd", "payments_blocked", 2), 1,
	       "distance: typo in a long id");
	is_int((int)str_distance("incident", "reference", 2), 3, "distance: far is limit plus one");
	is_int((int)str_distance("", "abc", 5), 3, "distance: from empty");
	is_int((int)str_distance("ab", "abcdef", 2), 3, "distance: lengths too far apart");
	is_int((int)str_distance(long_text, long_text, 2), 3, "distance: too long to compare");
}

int main(void)
{
	test_distance();
	test_strbuf();
	test_strbuf_growth();
	test_strbuf_binary();
	test_string_helpers();
	test_time_parse();
	test_time_format();
	test_clock();
	test_actor();
	test_escape();
	test_escape_newlines();
	return tap_done();
}
