/* Text helpers for reports built from a record; see report_text.h. */
#include <stdlib.h>
#include <string.h>

#include "report_text.h"
#include "textsafe.h"

void report_add(struct strbuf *sb, const char *s, const char *fallback)
{
	char *safe;

	if (!s) {
		sb_add(sb, fallback ? fallback : "");
		return;
	}
	safe = textsafe(s);
	sb_add(sb, safe);
	free(safe);
}

void report_add_block(struct strbuf *sb, const char *indent, const char *s)
{
	char *safe, *line, *next;

	if (str_blank(s))
		return;
	safe = textsafe_escape(s, strlen(s), 1);
	for (line = safe; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		/* A trailing newline in S ends the last line; it does not start an empty one. */
		if (!next && *line == '\0' && line != safe)
			break;
		sb_add(sb, indent);
		sb_add(sb, line);
		sb_addc(sb, '\n');
	}
	free(safe);
}

long long report_minutes(long long seconds)
{
	if (seconds >= 0)
		return (seconds + 59) / 60;
	return -((-seconds + 59) / 60);
}

void report_add_duration(struct strbuf *sb, long long seconds)
{
	long long minutes = report_minutes(seconds);
	long long days, hours;

	if (minutes < 0) {
		sb_addc(sb, '-');
		minutes = -minutes;
	}
	days = minutes / (24 * 60);
	hours = minutes / 60 % 24;
	minutes %= 60;

	if (days)
		sb_addf(sb, "%lld d %lld h %02lld min", days, hours, minutes);
	else if (hours)
		sb_addf(sb, "%lld h %02lld min", hours, minutes);
	else
		sb_addf(sb, "%lld min", minutes);
}

int report_interval(const char *from, const char *to, long long *seconds)
{
	time_t a, b;

	if (str_blank(from) || str_blank(to))
		return -1;
	if (time_parse_iso8601(from, &a) != 0 || time_parse_iso8601(to, &b) != 0)
		return -1;
	*seconds = (long long)(b - a);
	return 0;
}
