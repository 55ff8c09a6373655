/*
 * Unit tests for the restricted file: its path, mode and group, restricted
 * notes and hypotheses, and what a reader without access sees.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "events.h"
#include "evidence.h"
#include "restricted.h"
#include "step_fixture.h"
#include "tap.h"
#include "testlib.h"

#define SECRET "attacker address 203.0.113.9 in the proxy logs"
#define SECRET_HYPOTHESIS "stolen admin token used from 203.0.113.9"

/* Prints a TAP skip line for one check that cannot run here. */
static void skip_check(const char *name, const char *why)
{
	tap_count++;
	printf("ok %d - %s # SKIP %s\n", tap_count, name, why);
}

/* Whether the file at PATH contains NEEDLE anywhere, NUL bytes and all. */
static int file_contains(const char *path, const char *needle)
{
	char buf[1 << 16];
	size_t len = strlen(needle), kept = 0;
	ssize_t got;
	int fd = open(path, O_RDONLY);
	int found = 0;

	if (fd < 0)
		return 0;
	while (!found && (got = read(fd, buf + kept, sizeof buf - kept)) > 0) {
		size_t total = kept + (size_t)got;

		found = memmem(buf, total, needle, len) != NULL;
		kept = total < len ? total : len - 1;
		memmove(buf, buf + total - kept, kept);
	}
	close(fd);
	return found;
}

/* Whether the database at PATH or its -wal file contains NEEDLE. */
static int database_contains(const char *path, const char *needle)
{
	char wal[512];

	snprintf(wal, sizeof wal, "%s-wal", path);
	return file_contains(path, needle) || file_contains(wal, needle);
}

static void test_paths(void)
{
	char *p = restricted_path("/srv/warroom/warroom.db");

	is_str(p, "/srv/warroom/warroom.restricted.db", "restricted path: .db replaced");
	free(p);
	p = restricted_path("/srv/warroom/incidents");
	is_str(p, "/srv/warroom/incidents.restricted", "restricted path: suffix added");
	free(p);
	p = restricted_path("x.db.bak");
	is_str(p, "x.db.bak.restricted", "restricted path: .db only at the end");
	free(p);
}

static void test_note(struct store *st)
{
	struct wr_error err = {0};
	char *id = fixture_incident(st, "Card payments", "", NULL);
	char *path = restricted_path(store_path(st));
	struct restricted *r;
	enum restricted_access state;
	struct event *events = NULL;
	long long note_event;
	struct stat sb;
	size_t n = 0;
	char *text;
	int before = fixture_events(st, id), rc;

	r = restricted_open_read(store_path(st), &state, &err);
	ok(r == NULL, "note before: no file to open");
	is_int(state, RESTRICTED_ABSENT, "note before: state absent");
	is_int(err.status, WR_OK, "note before: no error");

	rc = restricted_note_add(st, NULL, id, "  " SECRET " ", &err);
	is_int(rc, 0, "note add: returns 0");
	is_int(fixture_events(st, id), before + 1, "note add: one event");
	is_str(fixture_last_kind(st, id), RESTRICTED_NOTE_EVENT, "note add: event kind");
	ok(strstr(fixture_last_details(st, id), "203.0.113.9") == NULL, "note add: event lacks text");
	ok(database_contains(path, "203.0.113.9"), "note add: restricted file has text");
	ok(stat(path, &sb) == 0, "note add: file created");
	is_int(sb.st_mode & 07777, 0600, "note add: mode 0600");
	ok(!database_contains(store_path(st), "203.0.113.9"), "note add: main file lacks text");

	r = restricted_open_read(store_path(st), &state, &err);
	ok(r != NULL, "note read: opened");
	is_int(state, RESTRICTED_READABLE, "note read: state readable");
	restricted_close(r);

	events_list(st, id, RESTRICTED_NOTE_EVENT, &events, &n, &err);
	is_int((long long)n, 1, "note events: one");
	note_event = n ? events[0].id : 0;
	is_int(restricted_fill_events(store_path(st), id, events, n), RESTRICTED_READABLE,
	       "note fill: readable");
	is_str(n ? events[0].details : NULL, "restricted note: " SECRET, "note fill: text trimmed");
	events_free(events, n);

	r = restricted_open_read(store_path(st), &state, &err);
	text = restricted_text(r, RESTRICTED_NOTE, id, note_event + 1000);
	is_str(text, RESTRICTED_MARKER, "note read: other event is marker");
	free(text);
	text = restricted_text(NULL, RESTRICTED_NOTE, id, note_event);
	is_str(text, RESTRICTED_MARKER, "note read: no access is marker");
	free(text);
	restricted_close(r);

	before = fixture_events(st, id);
	rc = restricted_note_add(st, NULL, id, " \t", &err);
	is_int(rc, -1, "note blank: rejected");
	is_int(err.status, WR_BAD_INPUT, "note blank: bad input");
	is_int(fixture_events(st, id), before, "note blank: no event");

	rc = restricted_note_add(st, NULL, "INC-1999-0001", SECRET, &err);
	is_int(rc, -1, "note unknown incident: rejected");

	free(path);
	free(id);
}

static void test_hypothesis(struct store *st)
{
	struct wr_error err = {0};
	char *id = fixture_incident(st, "Card payments", "", NULL);
	struct hypothesis *list = NULL;
	struct restricted *r;
	enum restricted_access state;
	long long hid = 0;
	size_t n = 0;
	char *text;
	int rc;

	rc = restricted_hypothesis_add(st, NULL, id, SECRET_HYPOTHESIS, &hid, &err);
	is_int(rc, 0, "hypothesis restricted: returns 0");
	ok(hid > 0, "hypothesis restricted: id set");
	is_str(fixture_last_kind(st, id), "hypothesis-added", "hypothesis restricted: event kind");
	ok(strstr(fixture_last_details(st, id), "stolen") == NULL,
	   "hypothesis restricted: event lacks text");

	rc = hypothesis_list(st, id, &list, &n, &err);
	is_int((long long)n, 1, "hypothesis restricted: one row");
	is_str(n ? list[0].text : NULL, RESTRICTED_MARKER, "hypothesis restricted: main text marker");
	is_int(n ? list[0].restricted : 0, 1, "hypothesis restricted: flag set");
	is_str(n ? list[0].status : NULL, "unconfirmed", "hypothesis restricted: unconfirmed");
	hypothesis_list_free(list, n);
	ok(!database_contains(store_path(st), "stolen admin"), "hypothesis restricted: main file lacks text");

	r = restricted_open_read(store_path(st), &state, &err);
	text = restricted_text(r, RESTRICTED_HYPOTHESIS, id, hid);
	is_str(text, SECRET_HYPOTHESIS, "hypothesis restricted: reader gets text");
	free(text);
	restricted_close(r);

	hypothesis_list(st, id, &list, &n, &err);
	restricted_fill_hypotheses(store_path(st), id, list, n);
	is_str(n ? list[0].text : NULL, SECRET_HYPOTHESIS, "hypothesis fill: text");
	hypothesis_list_free(list, n);

	rc = hypothesis_decide(st, id, hid, "rejected", NULL, &err);
	is_int(rc, 0, "hypothesis restricted: can be decided");
	ok(strstr(fixture_last_details(st, id), "stolen") == NULL,
	   "hypothesis restricted: decision lacks text");
	free(id);
}

/* Opens the restricted file as user nobody in a child; returns its state, or -1. */
static int state_as_nobody(const char *db_path)
{
	struct wr_error err = {0};
	enum restricted_access state;
	struct restricted *r;
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		if (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0)
			_exit(100);
		r = restricted_open_read(db_path, &state, &err);
		restricted_close(r);
		_exit((int)state);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void test_denied(struct store *st)
{
	struct wr_error err = {0};
	char *id = fixture_incident(st, "Card payments", "", NULL);

	restricted_note_add(st, NULL, id, SECRET, &err);
	if (geteuid() != 0) {
		skip_check("denied: other user cannot read", "needs root to switch to user nobody");
		free(id);
		return;
	}

	/* The test folder is private; open it up so only the file's own mode stops the reader. */
	chmod(test_tmpdir(), 0755);
	is_int(state_as_nobody(store_path(st)), RESTRICTED_DENIED, "denied: other user cannot read");
	free(id);
}

static void test_evidence(struct store *st)
{
	struct wr_error err = {0};
	char *id = fixture_incident(st, "Card payments", "", NULL);
	char *folder = evidence_restricted_folder(store_path(st), id);
	char source[512], copy[1024];
	const char *paths[1] = {source};
	struct evidence *added = NULL, *list = NULL;
	size_t n_added = 0, n = 0;
	struct stat sb;
	FILE *f;
	int rc;

	snprintf(source, sizeof source, "%s/proxy.log", test_tmpdir());
	f = fopen(source, "w");
	fputs(SECRET "\n", f);
	fclose(f);

	rc = evidence_add_restricted(st, NULL, id, paths, 1, "from the proxy", &added, &n_added,
				     &err);
	is_int(rc, 0, "evidence restricted: returns 0");
	is_int((long long)n_added, 1, "evidence restricted: one added");
	is_str(n_added ? added[0].name : NULL, "proxy.log", "evidence restricted: caller gets name");
	is_str(fixture_last_kind(st, id), "evidence added", "evidence restricted: event kind");
	ok(strstr(fixture_last_details(st, id), "proxy") == NULL,
	   "evidence restricted: event lacks name");
	ok(stat(folder, &sb) == 0, "evidence restricted: folder made");
	is_int(sb.st_mode & 07777, 0700, "evidence restricted: folder 0700");
	snprintf(copy, sizeof copy, "%s/%s-proxy.log", folder, n_added ? added[0].sha256 : "");
	ok(stat(copy, &sb) == 0, "evidence restricted: copy stored");
	is_int(sb.st_mode & 07777, 0400, "evidence restricted: copy 0400");
	ok(!database_contains(store_path(st), "proxy.log"), "evidence restricted: main lacks name");

	evidence_list(st, id, &list, &n, &err);
	is_int((long long)n, 1, "evidence list: one row");
	is_str(n ? list[0].kind : NULL, EVIDENCE_KIND_RESTRICTED, "evidence list: kind restricted");
	is_str(n ? list[0].name : NULL, RESTRICTED_MARKER, "evidence list: name marker");
	ok(n && list[0].sha256 == NULL, "evidence list: no digest");
	is_int(restricted_fill_evidence(store_path(st), id, list, n), RESTRICTED_READABLE,
	       "evidence fill: readable");
	is_str(n ? list[0].name : NULL, "proxy.log", "evidence fill: name");
	is_str(n ? list[0].note : NULL, "from the proxy", "evidence fill: note");
	is_str(n ? list[0].sha256 : NULL, n_added ? added[0].sha256 : "", "evidence fill: digest");
	evidence_free(list, n);

	rc = evidence_add_restricted(st, NULL, id, paths, 1, NULL, &list, &n, &err);
	is_int(rc, -1, "evidence restricted again: rejected");
	is_int(err.status, WR_BAD_INPUT, "evidence restricted again: bad input");
	evidence_list(st, id, &list, &n, &err);
	is_int((long long)n, 1, "evidence restricted again: nothing added");
	evidence_free(list, n);

	evidence_free(added, n_added);
	free(folder);
	free(id);
}

static void test_group(void)
{
	struct wr_error err = {0};
	char path[512];
	char *file;
	struct restricted *r;
	struct group *gr = getgrgid(getegid());
	struct stat sb;

	snprintf(path, sizeof path, "%s/group.db", test_tmpdir());
	file = restricted_path(path);

	r = restricted_open_write(path, "no-such-group-warroom", &err);
	ok(r == NULL, "group unknown: rejected");
	is_int(err.status, WR_BAD_INPUT, "group unknown: bad input");
	ok(stat(file, &sb) != 0, "group unknown: no file left");

	if (!gr) {
		skip_check("group: mode 0660", "the current group has no name");
		free(file);
		return;
	}
	r = restricted_open_write(path, gr->gr_name, &err);
	ok(r != NULL, "group: opened");
	restricted_close(r);
	ok(stat(file, &sb) == 0, "group: file created");
	is_int(sb.st_mode & 07777, 0660, "group: mode 0660");
	is_int(sb.st_gid, gr->gr_gid, "group: owned by the group");
	free(file);
}

int main(void)
{
	struct store *st;

	fixture_setup();
	st = test_store();

	test_paths();
	test_note(st);
	test_hypothesis(st);
	test_evidence(st);
	test_denied(st);
	test_group();

	store_close(st);
	return tap_done();
}
