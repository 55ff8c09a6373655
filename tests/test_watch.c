/*
 * Unit tests for watch.c: a commit by another connection, and an observer
 * joining, wake the watch; writes to unrelated files in the same folder do
 * not. Skipped with a TAP "1..0 # SKIP" plan where inotify is not available.
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "presence.h"
#include "tap.h"
#include "testlib.h"
#include "watch.h"

/* Waits up to MS milliseconds for events and returns the flags read; 0 after a timeout. */
static int wait_flags(struct watch *w, int ms)
{
	struct pollfd pfd = {watch_fd(w), POLLIN, 0};
	int flags = 0;

	while (poll(&pfd, 1, ms) > 0) {
		flags |= watch_read(w);
		if (flags)
			break;
	}
	return flags;
}

int main(void)
{
	struct store *st = test_store();
	struct wr_error err = {0};
	struct watch *w;
	struct store *other;
	struct presence *p;
	char *unrelated;
	pid_t child;
	int counted;
	FILE *f;

	w = watch_open(store_path(st));
	if (!w) {
		printf("1..0 # SKIP inotify is not available here\n");
		return 0;
	}
	ok(watch_fd(w) >= 0, "watch has a descriptor");
	is_int(watch_read(w), 0, "nothing pending at first");

	/* A commit through another connection, as another process would make it. */
	other = store_open(store_path(st), 0, &err);
	ok(other != NULL, "second connection opens");
	if (!other)
		return tap_done();
	wait_flags(w, 100); /* opening may write the -wal and -shm */
	is_int(sqlite3_exec(store_db(other), "CREATE TABLE watch_test (x); "
			    "INSERT INTO watch_test VALUES (1)", NULL, NULL, NULL),
	       SQLITE_OK, "commit");
	is_int(wait_flags(w, 1000) & WATCH_DATABASE, WATCH_DATABASE, "commit wakes the watch");

	unrelated = xasprintf("%s/unrelated.txt", test_tmpdir());
	f = fopen(unrelated, "w");
	if (f) {
		fputs("x", f);
		fclose(f);
	}
	is_int(wait_flags(w, 200), 0, "unrelated file ignored");
	free(unrelated);

	p = presence_join(store_path(st), NULL, &err);
	ok(p != NULL, "observer joins");
	is_int(wait_flags(w, 1000) & WATCH_OBSERVERS, WATCH_OBSERVERS, "folder creation seen");
	wait_flags(w, 100);
	presence_leave(p);
	is_int(wait_flags(w, 1000) & WATCH_OBSERVERS, WATCH_OBSERVERS, "leaving seen");

	/* A viewer killed without leaving: its entry stays, but the kernel closes it. */
	child = fork();
	if (child == 0) {
		p = presence_join(store_path(st), NULL, &err);
		pause();
		_exit(0);
	}
	wait_flags(w, 1000); /* the entry appearing */
	wait_flags(w, 100);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	is_int(wait_flags(w, 1000) & WATCH_OBSERVERS, WATCH_OBSERVERS, "killed viewer seen");
	counted = presence_count(store_path(st), NULL);
	is_int(counted, 0, "killed viewer not counted");
	is_int(wait_flags(w, 200) & WATCH_OBSERVERS, WATCH_OBSERVERS, "removal of its entry seen");
	is_int(wait_flags(w, 200), 0, "counting wakes nothing more");

	/* Counting a live viewer opens and closes its entry without waking anyone. */
	child = fork();
	if (child == 0) {
		p = presence_join(store_path(st), NULL, &err);
		pause();
		_exit(0);
	}
	wait_flags(w, 1000);
	wait_flags(w, 100);
	counted = presence_count(store_path(st), NULL);
	is_int(counted, 1, "live viewer counted");
	is_int(wait_flags(w, 200), 0, "counting a live viewer wakes nothing");
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);

	ok(watch_open("/nonexistent-folder/x.db") == NULL, "missing folder gives NULL");
	is_int(watch_fd(NULL), -1, "NULL watch has no descriptor");

	watch_close(w);
	store_close(other);
	store_close(st);
	return tap_done();
}
