/*
 * Fuzz targets for the parsers and filters that take untrusted input. Each
 * target is an entry function that takes one input and checks the results'
 * invariants, calling fuzz_fail when one does not hold. The libFuzzer
 * programs (built with --enable-fuzzing) call these functions from
 * LLVMFuzzerTestOneInput, and tests/fuzz/replay runs the saved corpus and
 * regression inputs through the same functions in every `make check`.
 */
#ifndef WARROOM_FUZZ_H
#define WARROOM_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "guard.h"
#include "playbook.h"

/* Each entry function returns 0, or stops the program through fuzz_fail. */
int fuzz_import_input(const uint8_t *data, size_t size);
int fuzz_playbook_input(const uint8_t *data, size_t size);
int fuzz_guard_input(const uint8_t *data, size_t size);
int fuzz_textsafe_input(const uint8_t *data, size_t size);

/* fuzz_import_input also imports every Nth input that passes the dry run into a real store (8 by default). */
extern unsigned fuzz_import_store_every;

/* Prints "fuzz: TARGET: MESSAGE" to standard error and aborts, so that libFuzzer saves the input. */
_Noreturn void fuzz_fail(const char *target, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Returns "TOP_SRCDIR/RELATIVE" in a static buffer that the next call overwrites. */
const char *fuzz_source_path(const char *relative);

/*
 * Fixes the clock and the actor and returns the bundled playbook, loaded on
 * the first call. Exits with a message when the playbook does not load.
 */
const struct playbook *fuzz_playbook(void);

/* Returns the guardrails of the bundled playbook, compiled on the first call. */
const struct guard *fuzz_guard(void);

/* Returns a NUL-terminated copy of the SIZE bytes at DATA, which the caller frees. */
char *fuzz_text(const uint8_t *data, size_t size);

/*
 * Returns the offset of the first byte of the LEN bytes at S that does not
 * start a valid UTF-8 sequence (no overlong forms, surrogates or code points
 * past U+10FFFF), or LEN when all of it is valid.
 */
size_t fuzz_utf8_invalid_at(const char *s, size_t len);

/*
 * Checks that the LEN bytes at S are safe to print: valid UTF-8 with no C0
 * control but the newline (only when NEWLINES is nonzero), no DEL, no C1
 * control and no bidirectional override or isolate. Fails TARGET with WHAT
 * in the message otherwise.
 */
void fuzz_check_printable(const char *target, const char *what, const char *s, size_t len,
			  int newlines);

#endif
