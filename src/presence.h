/*
 * Who is watching: one small file per running viewer in the presence
 * folder beside the database, DB + ".observers/". A viewer creates
 * "USER@HOST.PID" there and holds an fcntl write lock on it while it runs,
 * so an entry counts only while its process lives: a viewer killed with
 * SIGKILL leaves a file whose lock is gone, and whoever counts next removes
 * it when the folder's sticky bit lets them. Presence never stops a viewer:
 * when the folder cannot be created or written, the count is unknown.
 *
 * The folder has the sticky bit and is writable by the classes (group,
 * others) that may read the database, or by observers_group when the
 * settings name one, so every observer can add and remove its own entry
 * but not another's.
 */
#ifndef WARROOM_PRESENCE_H
#define WARROOM_PRESENCE_H

#include "util.h"

struct presence;

/*
 * Creates the presence folder of the database at DB_PATH when it is
 * missing, with the mode described above. GROUP (may be NULL) is the
 * observers' Unix group from the settings; the folder gets that group
 * when this user may give it. Returns 0 when the folder exists, -1 with
 * ERR set when it cannot be created.
 */
int presence_prepare(const char *db_path, const char *group, struct wr_error *err);

/*
 * Adds this process to the observers of the database at DB_PATH, creating
 * the folder as presence_prepare does. Returns the entry, which stays
 * locked until presence_leave, or NULL with ERR set when the folder cannot
 * be created or written.
 */
struct presence *presence_join(const char *db_path, const char *group, struct wr_error *err);

/* Removes this process's entry, releases its lock and frees P; NULL is allowed. */
void presence_leave(struct presence *p);

/*
 * Counts the running observers of the database at DB_PATH: the entries
 * whose lock is held, plus SELF (this process's own entry, may be NULL),
 * whose lock this process cannot test. Removes the entries of processes
 * that are gone, where the folder's permissions allow. Returns the count,
 * or -1 when the folder is missing or cannot be read.
 */
int presence_count(const char *db_path, const struct presence *self);

/* Returns the name of this process's entry ("USER@HOST.PID"). */
const char *presence_name(const struct presence *p);

#endif
