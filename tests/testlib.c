/* Shared set-up for the unit tests; see testlib.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"
#include "util.h"

static char tmpdir[256];

static void remove_tmpdir(void)
{
	char command[512];

	if (tmpdir[0] == '\0' || getenv("WARROOM_KEEP_TMP"))
		return;
	snprintf(command, sizeof command, "rm -rf '%s'", tmpdir);
	if (system(command) != 0)
		fprintf(stderr, "# could not remove %s\n", tmpdir);
}

const char *test_srcdir(void)
{
	const char *dir = getenv("srcdir");

	return dir && *dir ? dir : ".";
}

const char *test_path(const char *relative)
{
	static char path[4096];

	snprintf(path, sizeof path, "%s/%s", test_srcdir(), relative);
	return path;
}

const char *test_tmpdir(void)
{
	const char *base = getenv("TMPDIR");

	if (tmpdir[0])
		return tmpdir;
	snprintf(tmpdir, sizeof tmpdir, "%s/warroom-test-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmpdir)) {
		fprintf(stderr, "mkdtemp %s: %s\n", tmpdir, strerror(errno));
		exit(99);
	}
	atexit(remove_tmpdir);
	return tmpdir;
}

struct playbook *test_playbook(void)
{
	struct strbuf problems;
	struct wr_error err = {0};
	struct playbook *pb;

	sb_init(&problems);
	pb = playbook_load(test_path("data/playbook.cfg"), &problems, &err);
	if (!pb) {
		fprintf(stderr, "bundled playbook does not load:\n%s\n", problems.data);
		exit(99);
	}
	sb_free(&problems);
	return pb;
}

struct store *test_store(void)
{
	static int serial;
	char path[512];
	struct wr_error err = {0};
	struct store *st;

	snprintf(path, sizeof path, "%s/test-%d.db", test_tmpdir(), ++serial);
	st = store_open(path, STORE_CREATE, &err);
	if (!st) {
		fprintf(stderr, "store_open %s: %s\n", path, err.message);
		exit(99);
	}
	return st;
}

char *test_read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb;
	char chunk[4096];
	size_t n;

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		exit(99);
	}
	sb_init(&sb);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		sb_addn(&sb, chunk, n);
	fclose(f);
	return sb_take(&sb);
}
