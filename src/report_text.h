/*
 * Text helpers for the reports built from a record: the handoff packets,
 * the brief and the post-incident review. Record values are escaped with
 * textsafe as they are added, so a finished report is safe to print.
 * Durations read the same way in all of them.
 */
#ifndef WARROOM_REPORT_TEXT_H
#define WARROOM_REPORT_TEXT_H

#include "util.h"

/* Appends S escaped with textsafe on one line (a newline reads as \n); NULL adds FALLBACK. */
void report_add(struct strbuf *sb, const char *s, const char *fallback);

/*
 * Appends S escaped with textsafe but keeping its line breaks, each line
 * starting with INDENT and ending with a newline. A blank S adds nothing.
 */
void report_add_block(struct strbuf *sb, const char *indent, const char *s);

/*
 * Appends SECONDS as a duration: "0 min", "47 min", "2 h 05 min",
 * "3 d 4 h 10 min". Partial minutes count as a whole minute; a negative
 * duration gets a leading minus sign.
 */
void report_add_duration(struct strbuf *sb, long long seconds);

/* Returns SECONDS in whole minutes, a partial minute counting as a whole one, away from zero. */
long long report_minutes(long long seconds);

/*
 * Sets *SECONDS to TO minus FROM, both ISO 8601 times. Returns 0, or -1 when
 * either is blank or not a time.
 */
int report_interval(const char *from, const char *to, long long *seconds);

#endif
