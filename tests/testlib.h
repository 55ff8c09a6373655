/*
 * Shared set-up for the unit tests: where the source tree's data lives, a
 * fresh temporary folder per test program, and loading the bundled playbook.
 */
#ifndef WARROOM_TESTLIB_H
#define WARROOM_TESTLIB_H

#include "playbook.h"
#include "store.h"

/* Returns the source tree's top folder, from $srcdir (set by make check) or ".". */
const char *test_srcdir(void);

/* Returns "SRCDIR/RELATIVE" in a static buffer that the next call overwrites. */
const char *test_path(const char *relative);

/* Creates a fresh temporary folder, removed at exit; returns its path. */
const char *test_tmpdir(void);

/* Loads data/playbook.cfg from the source tree, or exits with a message. */
struct playbook *test_playbook(void);

/* Opens a new, empty store in the temporary folder, or exits with a message. */
struct store *test_store(void);

/* Reads a whole file into a string the caller frees; exits on failure. */
char *test_read_file(const char *path);

#endif
