/*
 * Unit tests for presence.c: the observers' folder and its mode, joining,
 * counting live entries, and removing the entries of processes that died
 * without leaving.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "presence.h"
#include "tap.h"
#include "testlib.h"

static char *make_db(const char *name, mode_t mode)
{
	char *path = xasprintf("%s/%s", test_tmpdir(), name);
	FILE *f = fopen(path, "w");

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		exit(99);
	}
	fclose(f);
	chmod(path, mode);
	return path;
}

static mode_t folder_mode(const char *db)
{
	char *folder = xasprintf("%s.observers", db);
	struct stat st;
	mode_t mode = 0;

	if (stat(folder, &st) == 0)
		mode = st.st_mode & 07777;
	free(folder);
	return mode;
}

static void test_folder_mode(void)
{
	struct wr_error err = {0};
	char *db;

	db = make_db("private.db", 0600);
	is_int(presence_prepare(db, NULL, &err), 0, "prepare private");
	is_int(folder_mode(db), 01700, "private folder mode");
	free(db);

	db = make_db("group.db", 0640);
	presence_prepare(db, NULL, &err);
	is_int(folder_mode(db), 01770, "group-readable folder mode");
	free(db);

	db = make_db("world.db", 0644);
	presence_prepare(db, NULL, &err);
	is_int(folder_mode(db), 01777, "world-readable folder mode");
	free(db);

	db = make_db("again.db", 0640);
	presence_prepare(db, NULL, &err);
	is_int(presence_prepare(db, NULL, &err), 0, "prepare twice");
	free(db);
}

static void test_not_a_folder(void)
{
	struct wr_error err = {0};
	char *db = make_db("file.db", 0600);
	char *folder = xasprintf("%s.observers", db);
	FILE *f = fopen(folder, "w");

	if (f)
		fclose(f);
	ok(presence_join(db, NULL, &err) == NULL, "join fails on a file");
	ok(strstr(err.message, "is not a folder") != NULL, "message says not a folder");
	is_int(presence_count(db, NULL), -1, "count unknown");
	free(folder);
	free(db);

	memset(&err, 0, sizeof err);
	db = xasprintf("%s/missing/sub.db", test_tmpdir());
	ok(presence_join(db, NULL, &err) == NULL, "join fails without folder");
	ok(strstr(err.message, "cannot create the observers' folder") != NULL,
	   "message says cannot create");
	free(db);
}

/* Forks a process that joins DB and waits; returns its pid once it has joined. */
static pid_t spawn_observer(const char *db)
{
	int ready[2];
	pid_t pid;
	char c;

	if (pipe(ready) != 0)
		exit(99);
	pid = fork();
	if (pid == 0) {
		struct wr_error err = {0};
		struct presence *p = presence_join(db, NULL, &err);

		close(ready[0]);
		if (write(ready[1], p ? "y" : "n", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1 || c != 'y')
		pid = -1;
	close(ready[0]);
	return pid;
}

static int entries(const char *db)
{
	char *cmd = xasprintf("ls -A '%s.observers' | wc -l", db);
	FILE *f = popen(cmd, "r");
	int n = -1;

	if (f && fscanf(f, "%d", &n) != 1)
		n = -1;
	if (f)
		pclose(f);
	free(cmd);
	return n;
}

static void test_join_count(void)
{
	struct wr_error err = {0};
	char *db = make_db("count.db", 0640);
	struct presence *me;
	pid_t a, b;
	int status;

	is_int(presence_count(db, NULL), -1, "no folder yet");
	me = presence_join(db, NULL, &err);
	ok(me != NULL, "join");
	if (!me)
		return;
	ok(strchr(presence_name(me), '@') != NULL, "name has user@host");
	is_int(presence_count(db, me), 1, "count self");

	a = spawn_observer(db);
	b = spawn_observer(db);
	ok(a > 0, "first observer joined");
	ok(b > 0, "second observer joined");
	is_int(presence_count(db, me), 3, "count three");
	is_int(presence_count(db, me), 3, "count again three");

	/* SIGKILL: the entry stays behind without its lock. */
	kill(a, SIGKILL);
	waitpid(a, &status, 0);
	is_int(entries(db), 3, "killed entry left behind");
	is_int(presence_count(db, me), 2, "killed observer not counted");
	is_int(entries(db), 2, "killed entry removed");

	kill(b, SIGKILL);
	waitpid(b, &status, 0);
	is_int(presence_count(db, me), 1, "second killed");

	presence_leave(me);
	is_int(entries(db), 0, "leave removes the entry");
	is_int(presence_count(db, NULL), 0, "count zero");
	free(db);
}

static void test_odd_entries(void)
{
	struct wr_error err = {0};
	char *db = make_db("odd.db", 0640);
	char *path;
	struct presence *me = presence_join(db, NULL, &err);
	FILE *f;

	ok(me != NULL, "join odd");
	if (!me)
		return;
	path = xasprintf("%s.observers/evil@host.1", db);
	symlink("/etc/passwd", path);
	free(path);
	path = xasprintf("%s.observers/.half@host.2.new", db);
	f = fopen(path, "w");
	if (f)
		fclose(f);
	free(path);
	path = xasprintf("%s.observers/sub", db);
	mkdir(path, 0700);
	free(path);

	is_int(presence_count(db, me), 1, "only self counted");
	path = xasprintf("%s.observers/.half@host.2.new", db);
	ok(access(path, F_OK) == 0, "young half entry kept");
	{
		struct timespec old[2] = {{time(NULL) - 120, 0}, {time(NULL) - 120, 0}};

		utimensat(AT_FDCWD, path, old, AT_SYMLINK_NOFOLLOW);
	}
	is_int(presence_count(db, me), 1, "still only self counted");
	ok(access(path, F_OK) != 0, "old half entry removed");
	free(path);
	path = xasprintf("%s.observers/evil@host.1", db);
	ok(access("/etc/passwd", F_OK) == 0, "symlink target untouched");
	free(path);
	presence_leave(me);
	free(db);
}

int main(void)
{
	test_folder_mode();
	test_not_a_folder();
	test_join_count();
	test_odd_entries();
	return tap_done();
}
