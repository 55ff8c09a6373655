/*
 * Noticing writes to the database by other processes without polling it.
 * On Linux an inotify watch on the database's folder reports writes to the
 * database file and its -wal, and a second watch reports observers joining
 * and leaving in the presence folder (DB.observers/, see presence.h). The
 * caller polls watch_fd() with its terminal and confirms a change with
 * PRAGMA data_version, because inotify reports a WAL write before its
 * commit is visible. Elsewhere, or when inotify fails, watch_open returns
 * NULL and the caller falls back to a timer.
 */
#ifndef WARROOM_WATCH_H
#define WARROOM_WATCH_H

struct watch;

/* What watch_read saw; flags combine. */
enum {
	WATCH_DATABASE = 1 << 0,  /* the database file or its -wal was written, created or replaced */
	WATCH_OBSERVERS = 1 << 1, /* an entry of the presence folder came or went, or its viewer died */
};

/*
 * Starts watching the database at DB_PATH. Returns NULL when inotify is not
 * available or the folder cannot be watched (no read permission, the
 * per-user inotify limit reached); the caller then checks on a timer.
 */
struct watch *watch_open(const char *db_path);
/* Stops watching and frees W; NULL is allowed. */
void watch_close(struct watch *w);
/* Returns the descriptor to poll for POLLIN, or -1 for a NULL watch. */
int watch_fd(const struct watch *w);
/*
 * Reads every pending event without blocking and returns the WATCH_* flags
 * of what changed; 0 when nothing relevant happened.
 */
int watch_read(struct watch *w);

#endif
