/*
 * A minimal TAP producer for the unit tests: each check prints "ok N - name"
 * or "not ok N - name" with the failing expression, and tap_done prints the
 * plan and returns the exit status automake's TAP driver expects.
 */
#ifndef WARROOM_TAP_H
#define WARROOM_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_count;
static int tap_failed;

static inline int tap_check(int ok, const char *name, const char *expr, const char *file, int line)
{
	tap_count++;
	if (ok) {
		printf("ok %d - %s\n", tap_count, name);
		return 1;
	}
	tap_failed++;
	printf("not ok %d - %s\n#   %s:%d: %s\n", tap_count, name, file, line, expr);
	return 0;
}

/* Checks a condition. */
#define ok(cond, name) tap_check(!!(cond), (name), #cond, __FILE__, __LINE__)

/* Checks that two strings are equal, printing both when they are not. */
#define is_str(got, want, name)                                                        \
	do {                                                                           \
		const char *tap_got_ = (got), *tap_want_ = (want);                     \
		int tap_same_ = (tap_got_ == NULL && tap_want_ == NULL) ||             \
				(tap_got_ && tap_want_ && strcmp(tap_got_, tap_want_) == 0); \
		if (!tap_check(tap_same_, (name), #got " == " #want, __FILE__, __LINE__)) \
			printf("#   got:  \"%s\"\n#   want: \"%s\"\n",                   \
			       tap_got_ ? tap_got_ : "(null)",                         \
			       tap_want_ ? tap_want_ : "(null)");                      \
	} while (0)

/* Checks that two integers are equal, printing both when they are not. */
#define is_int(got, want, name)                                                        \
	do {                                                                           \
		long long tap_got_ = (got), tap_want_ = (want);                        \
		if (!tap_check(tap_got_ == tap_want_, (name), #got " == " #want,       \
			       __FILE__, __LINE__))                                    \
			printf("#   got:  %lld\n#   want: %lld\n", tap_got_, tap_want_);  \
	} while (0)

/* Prints the plan; returns 0 when every check passed. */
static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif
