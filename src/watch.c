/* Noticing writes to the database through inotify; see watch.h. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef __linux__
#include <sys/inotify.h>
#endif

#include "util.h"
#include "watch.h"

#ifdef __linux__

struct watch {
	int fd;
	int folder_wd;    /* the database's folder */
	int observers_wd; /* DB.observers/, or -1 while it does not exist or cannot be watched */
	char *db_name;    /* the database file's name in its folder */
	char *wal_name;
	char *observers_name;
	char *observers_path;
};

/* Events on the folder that can mean new data: writes, and files created or renamed over. */
#define FOLDER_EVENTS (IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO | IN_DELETE)
/*
 * Entries coming and going, and an entry closed after writing: the kernel
 * closes a viewer's entry when the viewer dies, even of SIGKILL, and the
 * entry is the only file in the folder that is opened for writing.
 */
#define OBSERVER_EVENTS (IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM | IN_CLOSE_WRITE)

static void watch_observers(struct watch *w)
{
	if (w->observers_wd >= 0)
		return;
	w->observers_wd = inotify_add_watch(w->fd, w->observers_path, OBSERVER_EVENTS | IN_ONLYDIR);
}

struct watch *watch_open(const char *db_path)
{
	const char *slash = strrchr(db_path, '/');
	struct watch *w;
	char *folder;

	w = xcalloc(1, sizeof *w);
	w->observers_wd = -1;
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd < 0) {
		free(w);
		return NULL;
	}

	if (!slash)
		folder = xstrdup(".");
	else if (slash == db_path)
		folder = xstrdup("/");
	else
		folder = xstrndup(db_path, (size_t)(slash - db_path));
	w->db_name = xstrdup(slash ? slash + 1 : db_path);
	w->wal_name = xasprintf("%s-wal", w->db_name);
	w->observers_name = xasprintf("%s.observers", w->db_name);
	w->observers_path = xasprintf("%s.observers", db_path);

	w->folder_wd = inotify_add_watch(w->fd, folder, FOLDER_EVENTS | IN_ONLYDIR);
	free(folder);
	if (w->folder_wd < 0) {
		watch_close(w);
		return NULL;
	}
	watch_observers(w);
	return w;
}

void watch_close(struct watch *w)
{
	if (!w)
		return;
	close(w->fd);
	free(w->db_name);
	free(w->wal_name);
	free(w->observers_name);
	free(w->observers_path);
	free(w);
}

int watch_fd(const struct watch *w)
{
	return w ? w->fd : -1;
}

/* Returns the flags for one event. */
static int classify(struct watch *w, const struct inotify_event *ev)
{
	if (ev->wd == w->observers_wd && w->observers_wd >= 0) {
		if (ev->mask & IN_IGNORED) {
			/* The folder was removed: watch it again if it comes back. */
			w->observers_wd = -1;
		}
		return WATCH_OBSERVERS;
	}
	if (ev->wd != w->folder_wd || !ev->len)
		return 0;
	if (strcmp(ev->name, w->db_name) == 0 || strcmp(ev->name, w->wal_name) == 0)
		return WATCH_DATABASE;
	if (strcmp(ev->name, w->observers_name) == 0) {
		if (ev->mask & (IN_CREATE | IN_MOVED_TO))
			watch_observers(w);
		return WATCH_OBSERVERS;
	}
	return 0;
}

int watch_read(struct watch *w)
{
	/* Aligned for struct inotify_event; room for many events per read. */
	char buf[16 * (sizeof(struct inotify_event) + NAME_MAX + 1)]
		__attribute__((aligned(__alignof__(struct inotify_event))));
	int flags = 0;

	if (!w)
		return 0;
	for (;;) {
		ssize_t len = read(w->fd, buf, sizeof buf);

		if (len < 0 && errno == EINTR)
			continue;
		if (len <= 0)
			break;
		for (char *p = buf; p < buf + len;) {
			const struct inotify_event *ev = (const struct inotify_event *)(void *)p;

			if (ev->mask & IN_Q_OVERFLOW)
				flags |= WATCH_DATABASE | WATCH_OBSERVERS; /* events were lost */
			else
				flags |= classify(w, ev);
			p += sizeof *ev + ev->len;
		}
	}
	return flags;
}

#else /* no inotify: the caller checks on its timer */

struct watch *watch_open(const char *db_path)
{
	(void)db_path;
	return NULL;
}

void watch_close(struct watch *w)
{
	(void)w;
}

int watch_fd(const struct watch *w)
{
	(void)w;
	return -1;
}

int watch_read(struct watch *w)
{
	(void)w;
	return 0;
}

#endif
