/* Times and durations as the console shows them: in the local zone, to the minute. */
#include <limits.h>
#include <stdio.h>

#include "ui.h"

/* The minimum seconds until a duration formatted since the last ui_duration_stable call reads differently. */
static long long duration_stable = LLONG_MAX;

void ui_local_time(const char *iso, const char *format, char *out, size_t size)
{
	struct tm tm;
	time_t t;

	if (size)
		out[0] = '\0';
	if (!iso || time_parse_iso8601(iso, &t) < 0)
		return;
	localtime_r(&t, &tm);
	/* FORMAT is always one of the console's own literals. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (strftime(out, size, format, &tm) == 0 && size)
		out[0] = '\0';
#pragma GCC diagnostic pop
}

/*
 * Notes when the text for SECONDS (not negative) changes: at the next
 * multiple of its unit, whether the duration grows (an age) or shrinks (a
 * countdown), so the nearer of the two is taken.
 */
static void note_stable(long long seconds)
{
	long long unit, grow, shrink;

	if (seconds < 60)
		unit = 1;
	else if (seconds < 86400)
		unit = 60;
	else if (seconds < 100LL * 86400)
		unit = 3600;
	else
		unit = 86400;
	grow = unit - seconds % unit;
	shrink = seconds % unit + 1;
	if (grow < duration_stable)
		duration_stable = grow;
	if (shrink < duration_stable)
		duration_stable = shrink;
}

long long ui_duration_stable(void)
{
	long long stable = duration_stable;

	duration_stable = LLONG_MAX;
	return stable;
}

/* Formats SECONDS (not negative) with SIGN in front. */
static void format_duration(const char *sign, long long seconds, char *out, size_t size)
{
	if (seconds < 60)
		snprintf(out, size, "%s%llds", sign, seconds);
	else if (seconds < 3600)
		snprintf(out, size, "%s%lldm", sign, seconds / 60);
	else if (seconds < 86400)
		snprintf(out, size, "%s%lldh %02lldm", sign, seconds / 3600, seconds % 3600 / 60);
	else if (seconds < 100LL * 86400)
		snprintf(out, size, "%s%lldd %lldh", sign, seconds / 86400, seconds % 86400 / 3600);
	else
		snprintf(out, size, "%s%lldd", sign, seconds / 86400);
}

void ui_duration(long long seconds, char *out, size_t size)
{
	const char *sign = "";

	if (seconds < 0) {
		sign = "-";
		seconds = -seconds;
	}
	note_stable(seconds);
	format_duration(sign, seconds, out, size);
}

int ui_incident_age(time_t now, const struct incident *inc, char *out, size_t size)
{
	const char *start = inc->started_at ? inc->started_at
			    : inc->detected_at ? inc->detected_at : inc->created_at;
	const char *end = inc->resolved_at ? inc->resolved_at : inc->closed_at;
	time_t from, to = now;

	if (size)
		out[0] = '\0';
	if (!start || time_parse_iso8601(start, &from) < 0)
		return -1;
	if (end && time_parse_iso8601(end, &to) < 0)
		end = NULL;
	if (!end)
		to = now;
	/* A start after the end (a handoff from another clock) has no length to show. */
	if (to < from)
		return -1;
	if (end) {
		format_duration("", (long long)(to - from), out, size);
		return 1;
	}
	ui_duration((long long)(to - from), out, size);
	return 0;
}
