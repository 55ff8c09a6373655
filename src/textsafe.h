/*
 * Making untrusted text safe to print. Handoffs and notes come from outside
 * and may carry escape sequences that would reprogram a terminal, so every
 * byte that reaches a terminal goes through here first.
 */
#ifndef WARROOM_TEXTSAFE_H
#define WARROOM_TEXTSAFE_H

#include <stddef.h>

/*
 * Returns a copy of the LEN bytes at S in which control characters read as
 * \n, \t, \r, \e or \xNN, a backslash as \\, and bytes that are not valid
 * UTF-8 as \xNN. Valid UTF-8 text other than controls passes unchanged.
 * With KEEP_NEWLINES, newlines stay as they are. The caller frees the result.
 */
char *textsafe_escape(const char *s, size_t len, int keep_newlines);

/* textsafe_escape on a NUL-terminated string; NULL gives "". */
char *textsafe(const char *s);

#endif
