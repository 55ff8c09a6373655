/* The observers' presence folder: one locked file per running viewer; see presence.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "presence.h"

struct presence {
	int fd;       /* the entry, open and write-locked */
	char *path;   /* FOLDER/NAME */
	char *name;
};

static char *folder_path(const char *db_path)
{
	return xasprintf("%s.observers", db_path);
}

/*
 * Picks the folder's mode and group. Writable for observers_group when this
 * user can give the folder that group, else for the classes that may read
 * the database file. The sticky bit keeps each entry to its owner.
 */
static void set_folder_access(const char *folder, const char *db_path, const char *group)
{
	mode_t mode = S_ISVTX | S_IRWXU;
	struct stat db, st;

	if (group) {
		struct group *gr = getgrnam(group);

		if (gr && chown(folder, (uid_t)-1, gr->gr_gid) == 0) {
			chmod(folder, mode | S_IRWXG);
			return;
		}
	}
	if (stat(db_path, &db) != 0 || stat(folder, &st) != 0) {
		chmod(folder, mode);
		return;
	}
	if (st.st_gid != db.st_gid && chown(folder, (uid_t)-1, db.st_gid) == 0)
		st.st_gid = db.st_gid;
	if ((db.st_mode & S_IRGRP) && st.st_gid == db.st_gid)
		mode |= S_IRWXG;
	if (db.st_mode & S_IROTH)
		mode |= S_IRWXO;
	chmod(folder, mode);
}

int presence_prepare(const char *db_path, const char *group, struct wr_error *err)
{
	char *folder = folder_path(db_path);
	struct stat st;

	if (lstat(folder, &st) != 0) {
		if (mkdir(folder, S_IRWXU) == 0)
			set_folder_access(folder, db_path, group);
		else if (errno != EEXIST) {
			error_set(err, WR_FAILED, "%s: cannot create the observers' folder: %s", folder,
				  strerror(errno));
			free(folder);
			return -1;
		}
		if (lstat(folder, &st) != 0) {
			error_set(err, WR_FAILED, "%s: cannot read the observers' folder: %s", folder,
				  strerror(errno));
			free(folder);
			return -1;
		}
	}
	if (!S_ISDIR(st.st_mode)) {
		error_set(err, WR_FAILED, "%s: is not a folder; remove it so that observers can be counted",
			  folder);
		free(folder);
		return -1;
	}
	free(folder);
	return 0;
}

/* Copies S into OUT, keeping letters, digits, '.', '_' and '-' and turning the rest into '_'. */
static void name_part(const char *s, char *out, size_t size)
{
	size_t i = 0;

	for (; s[i] && i + 1 < size; i++) {
		char c = s[i];
		int keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			   c == '.' || c == '_' || c == '-';

		out[i] = keep ? c : '_';
	}
	out[i] = '\0';
}

/* Builds "USER@HOST.PID" from the login name, the host name and the pid. */
static char *entry_name(void)
{
	struct passwd *pw = getpwuid(getuid());
	char user[65], host[65], raw_host[256];

	if (pw && pw->pw_name && pw->pw_name[0])
		name_part(pw->pw_name, user, sizeof user);
	else
		snprintf(user, sizeof user, "uid%lu", (unsigned long)getuid());
	if (gethostname(raw_host, sizeof raw_host) != 0 || !raw_host[0])
		snprintf(raw_host, sizeof raw_host, "localhost");
	raw_host[sizeof raw_host - 1] = '\0';
	name_part(raw_host, host, sizeof host);
	return xasprintf("%s@%s.%ld", user, host, (long)getpid());
}

/* Takes a write lock on the whole file FD without waiting. */
static int lock_entry(int fd)
{
	struct flock fl = {0};

	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	return fcntl(fd, F_SETLK, &fl);
}

/*
 * Creates the entry under a dot name, locks it, then renames it into
 * place, so that no counter ever sees a final name without its lock.
 * Counters leave dot files alone for a minute; should one still remove it
 * before the lock (a viewer stopped for that long), the rename fails with
 * ENOENT and the caller tries again.
 */
static int create_entry(struct presence *p, const char *folder, struct wr_error *err)
{
	char *tmp = xasprintf("%s/.%s.new", folder, p->name);
	int fd;

	unlink(tmp); /* left by an earlier process with this pid */
	fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		error_set(err, WR_FAILED, "%s: cannot add this viewer to the observers: %s", folder,
			  strerror(errno));
		free(tmp);
		return -1;
	}
	/* Readable by every observer, whatever the umask, so they can test its lock. */
	fchmod(fd, 0644);
	if (lock_entry(fd) != 0 || rename(tmp, p->path) != 0) {
		int saved = errno;

		close(fd);
		unlink(tmp);
		free(tmp);
		errno = saved;
		return saved == ENOENT ? 1 : error_set(err, WR_FAILED,
							 "%s: cannot add this viewer to the observers: %s",
							 folder, strerror(saved));
	}
	free(tmp);
	p->fd = fd;
	return 0;
}

struct presence *presence_join(const char *db_path, const char *group, struct wr_error *err)
{
	struct presence *p;
	char *folder;
	int rc = 1;

	if (presence_prepare(db_path, group, err) != 0)
		return NULL;
	folder = folder_path(db_path);
	p = xcalloc(1, sizeof *p);
	p->fd = -1;
	p->name = entry_name();
	p->path = xasprintf("%s/%s", folder, p->name);
	for (int attempt = 0; attempt < 3 && rc == 1; attempt++)
		rc = create_entry(p, folder, err);
	if (rc == 1)
		error_set(err, WR_FAILED, "%s: cannot add this viewer to the observers: its entry "
			  "was removed three times while it was created", folder);
	free(folder);
	if (rc != 0) {
		presence_leave(p);
		return NULL;
	}
	return p;
}

void presence_leave(struct presence *p)
{
	if (!p)
		return;
	if (p->fd >= 0) {
		/* Unlinked while still locked, so no counter sees it unlocked and alive. */
		unlink(p->path);
		close(p->fd);
	}
	free(p->path);
	free(p->name);
	free(p);
}

const char *presence_name(const struct presence *p)
{
	return p->name;
}

/*
 * Returns 1 when another process holds a lock on the entry at PATH, 0 when
 * nobody does (the entry was then removed if permitted), -1 when it is not
 * an entry (not a regular file, or unreadable).
 */
static int entry_alive(const char *path)
{
	struct flock fl = {0};
	struct stat st, again;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_GETLK, &fl) != 0) {
		close(fd);
		return -1;
	}
	close(fd);
	if (fl.l_type != F_UNLCK)
		return 1;

	/* Gone: remove it, unless a new entry has taken the name since. */
	if (lstat(path, &again) == 0 && again.st_ino == st.st_ino && again.st_dev == st.st_dev)
		unlink(path);
	return 0;
}

/*
 * Returns nonzero when the dot file at PATH is younger than a minute: an
 * entry that a viewer may still be locking, which must not be removed.
 */
static int being_created(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 && time(NULL) - st.st_mtime < 60;
}

int presence_count(const char *db_path, const struct presence *self)
{
	char *folder = folder_path(db_path);
	DIR *dir = opendir(folder);
	struct dirent *de;
	int count = 0;

	if (!dir) {
		free(folder);
		return -1;
	}
	while ((de = readdir(dir))) {
		char *path;
		int alive;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		/* Own entry: opening and closing it here would drop this process's own lock. */
		if (self && strcmp(de->d_name, self->name) == 0) {
			count++;
			continue;
		}
		path = xasprintf("%s/%s", folder, de->d_name);
		/* A dot name is an entry still being created: never counted, removed once old. */
		if (de->d_name[0] == '.') {
			if (!being_created(path))
				entry_alive(path);
			free(path);
			continue;
		}
		alive = entry_alive(path);
		free(path);
		if (alive == 1)
			count++;
	}
	closedir(dir);
	free(folder);
	return count;
}
