/*
 * Unit tests for the post-incident review export: every section, the
 * response times and the update gaps of a walked-through incident, escaping
 * for Markdown and terminals, and the atomic write with --output.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "events.h"
#include "export.h"
#include "outputs_fixture.h"
#include "steps.h"
#include "tap.h"
#include "testlib.h"

static char *review(struct store *st, const struct playbook *pb, const char *id)
{
	struct wr_error err = {0};
	char *text = export_review(st, pb, id, &err);

	if (!text) {
		fprintf(stderr, "export_review %s: %s\n", id, err.message);
		exit(99);
	}
	return text;
}

/* Returns the lines of TEXT after the heading START up to the next "## " heading; the caller frees it. */
static char *section(const char *text, const char *start)
{
	const char *from = strstr(text, start);
	const char *to;

	if (!from)
		return xstrdup("");
	to = strstr(from + strlen(start), "\n## ");
	return to ? xstrndup(from, (size_t)(to - from)) : xstrdup(from);
}

static void test_sections(const char *text)
{
	static const char *const headings[] = {
		"# Post-incident review: INC-",
		"\n## Summary\n",
		"\n## Impact\n",
		"\n### Payment-failure windows\n",
		"\n## Timeline\n",
		"\n## Root cause\n",
		"\n## Corrective actions and prevention tasks\n",
		"\n## Hypotheses\n",
		"\n## Communications review\n",
		"\n## Response times\n",
	};
	const char *previous = text;

	for (size_t i = 0; i < sizeof headings / sizeof headings[0]; i++) {
		const char *at = strstr(text, headings[i]);
		char name[128];

		snprintf(name, sizeof name, "sections: %s in order", headings[i] + (i ? 1 : 0));
		for (char *p = name; *p; p++)
			if (*p == '\n')
				*p = ' ';
		ok(at != NULL && at >= previous, name);
		if (at)
			previous = at;
	}
}

static void test_walk(struct store *st, const struct playbook *pb, const char *id)
{
	struct event *events = NULL;
	struct wr_error err = {0};
	char *text = review(st, pb, id);
	char *part;
	size_t n = 0;

	test_sections(text);

	part = section(text, "## Impact");
	ok(strstr(part, "- **What:** card payments\n") != NULL, "impact: what");
	ok(strstr(part, "- **Who:** some customers paying by card\n") != NULL, "impact: who");
	ok(strstr(part, "- **Since:** 2018-06-01T13:35:00Z\n") != NULL, "impact: since");
	ok(strstr(part, "- **Status in the last impact statement:** investigating\n") != NULL,
	   "impact: status");
	ok(strstr(part, "- **Scope:** Global\n") != NULL, "impact: scope");
	ok(strstr(part, "- **Severity:** Sev 1 (suggested Sev 0 by rule payments-blocked") != NULL,
	   "impact: severity");
	ok(strstr(part, "| " WALK_WINDOW_FROM " | " WALK_WINDOW_TO " | 1 h 15 min | card, "
		  "contactless | yes |") != NULL, "impact: confirmed window");
	ok(strstr(part, "| " WALK_OPEN_WINDOW_FROM " | 2018-06-01T15:10:00Z | 10 min | "
		  WALK_OPEN_WINDOW_TYPE " | no |") != NULL, "impact: unconfirmed window marked");
	free(part);

	outputs_must(events_list(st, id, NULL, &events, &n, &err), "events", &err);
	part = section(text, "## Timeline");
	is_int(outputs_count(part, "\n| 2018-"), (long long)n, "timeline: one row per event");
	ok(strstr(part, "| 2018-06-01T13:56:00Z | alice | severity | severity (none) → sev1 "
		  "(suggested sev0): " WALK_SEVERITY_REASON " |") != NULL,
	   "timeline: time, actor, kind, details");
	ok(strstr(part, WALK_SEVERITY_REASON) != NULL, "timeline: severity reason");
	ok(strstr(part, "Timeline integrity: the hash chain of ") != NULL, "timeline: chain verifies");
	ok(strstr(part, "the last hash is `") != NULL, "timeline: last hash stated");
	events_free(events, n);
	free(part);

	part = section(text, "## Root cause");
	ok(strstr(part, "> " WALK_ROOT_CAUSE "\n") != NULL, "root cause: quoted");
	ok(strstr(part, "- **Sharing with Marketing approved by:** not approved") != NULL,
	   "root cause: approval state");
	free(part);

	part = section(text, "## Corrective actions");
	ok(strstr(part, "| corrective | Add capacity to the scheme link | payments platform team | "
		  "2018-06-15 | 2018-06-01T15:40:00Z |") != NULL, "actions: done corrective action");
	ok(strstr(part, "| prevention | Test switch failover every month | site reliability | "
		  "2018-07-01 | open |") != NULL, "actions: open prevention task");
	free(part);

	part = section(text, "## Hypotheses");
	ok(strstr(part, "| " WALK_CONFIRMED " | confirmed | 2018-06-01T14:00:00Z by alice | seen in "
		  "the switch logs |") != NULL, "hypotheses: confirmed with note");
	ok(strstr(part, "| " WALK_REJECTED " | rejected |") != NULL, "hypotheses: rejected");
	ok(strstr(part, "| " WALK_UNCONFIRMED " | unconfirmed |  |  |") != NULL,
	   "hypotheses: unconfirmed");
	free(part);

	part = section(text, "## Communications review");
	ok(strstr(part, "| cs | published | 2018-06-01T14:02:00Z | 42 min after the start (within "
		  "60) | alice |") != NULL, "comms: first update within the limit");
	ok(strstr(part, "| cs | published | 2018-06-01T15:17:00Z | 75 min (over the 60-minute limit)")
	   != NULL, "comms: second update over the limit");
	ok(strstr(part, WALK_OVERRIDE_REASON) != NULL, "comms: override reason");
	ok(strstr(part, "| marketing | approved | not published |  | alice |") != NULL,
	   "comms: approved marketing statement");
	ok(strstr(part, "| cs | draft | not published |") != NULL, "comms: draft listed");
	ok(strstr(part, "> " WALK_DRAFT_CS "\n") != NULL, "comms: draft text in the review");
	free(part);

	part = section(text, "## Response times");
	ok(strstr(part, "- **Time to detect:** 15 min (started 2018-06-01T13:20:00Z, detected "
		  "2018-06-01T13:35:00Z)") != NULL, "times: detect");
	ok(strstr(part, "- **Time to mitigate:** 1 h 10 min (started 2018-06-01T13:20:00Z, "
		  "mitigated 2018-06-01T14:30:00Z)") != NULL, "times: mitigate");
	ok(strstr(part, "- **Time to resolve:** 2 h 20 min (started 2018-06-01T13:20:00Z, "
		  "resolved 2018-06-01T15:40:00Z)") != NULL, "times: resolve");
	free(part);
	free(text);
}

static void test_not_reached(struct store *st, const struct playbook *pb)
{
	char *id, *text;

	outputs_clock("2021-06-08T10:30:00Z");
	id = outputs_import(st, pb, "cdn-config-global-errors");
	text = review(st, pb, id);
	ok(strstr(text, "- **Time to detect:** 0 min") != NULL, "fresh: detected at the start");
	ok(strstr(text, "- **Time to mitigate:** not reached\n") != NULL, "fresh: mitigate not reached");
	ok(strstr(text, "- **Time to resolve:** not reached\n") != NULL, "fresh: resolve not reached");
	ok(strstr(text, "No status update was written.") != NULL, "fresh: no updates");
	ok(strstr(text, "Not recorded yet.") != NULL, "fresh: no root cause");
	free(text);
	free(id);
}

static void test_escaping(struct store *st, const struct playbook *pb)
{
	char path[4096];
	struct wr_error err = {0};
	char *id, *text;
	FILE *f;

	snprintf(path, sizeof path, "%s/escape.json", test_tmpdir());
	f = fopen(path, "w");
	if (!f)
		exit(99);
	fputs("{\"summary\": \"a | b *bold* [link](x) \\u001b[31mred <img>\", \"source\": \"t\","
	      " \"reference\": \"E1\"}", f);
	fclose(f);

	outputs_clock("2018-06-01T14:00:00Z");
	id = outputs_import(st, pb, path);
	outputs_must(review_root_cause(st, id, "# not a heading\n- not a list\n1. not numbered",
				       &err), "root cause", &err);
	text = review(st, pb, id);
	ok(strchr(text, '\x1b') == NULL, "escaping: no raw ESC");
	ok(strstr(text, "a \\| b \\*bold\\* \\[link\\](x) \\\\e\\[31mred \\<img\\>") != NULL,
	   "escaping: summary");
	ok(strstr(text, "> \\# not a heading  \n> \\- not a list  \n> 1\\. not numbered\n") != NULL,
	   "escaping: line starts in a quote");
	ok(strstr(text, "| opened | a \\| b") != NULL, "escaping: timeline cell");
	free(text);
	free(id);
}

/* Returns how many entries of folder DIR start with PREFIX. */
static int files_starting(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int count = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		count += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	closedir(d);
	return count;
}

static void test_write_file(void)
{
	char dir[2048], path[4096], *content;
	struct wr_error err = {0};
	struct stat sb;

	snprintf(dir, sizeof dir, "%s/out", test_tmpdir());
	if (mkdir(dir, 0755) != 0)
		exit(99);
	snprintf(path, sizeof path, "%s/review.md", dir);

	umask(022);
	is_int(export_write_file(path, "# first\n", &err), 0, "write: succeeds");
	ok(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600, "write: mode 0600");
	content = test_read_file(path);
	is_str(content, "# first\n", "write: content");
	free(content);

	is_int(export_write_file(path, "# second\n", &err), 0, "write again: succeeds");
	content = test_read_file(path);
	is_str(content, "# second\n", "write again: replaces the content");
	free(content);
	is_int(files_starting(dir, ".review.md."), 0, "write: no temporary file left");
	is_int(files_starting(dir, ""), 3, "write: only the review in the folder");
}

static void test_write_refused(void)
{
	char path[4096];
	struct wr_error err = {0};
	struct stat sb;

	snprintf(path, sizeof path, "%s/missing/review.md", test_tmpdir());
	is_int(export_write_file(path, "# x\n", &err), -1, "missing folder: refused");
	is_int(err.status, WR_BAD_INPUT, "missing folder: bad input");
	ok(strstr(err.message, "/missing") != NULL, "missing folder: names the folder");
	ok(strstr(err.message, "No such file or directory") != NULL, "missing folder: says why");
	ok(strstr(err.message, "choose an existing folder you can write to") != NULL,
	   "missing folder: says what to do");
	ok(stat(path, &sb) != 0 && errno == ENOENT, "missing folder: no file");

	snprintf(path, sizeof path, "%s/plain", test_tmpdir());
	fclose(fopen(path, "w"));
	snprintf(path, sizeof path, "%s/plain/review.md", test_tmpdir());
	err = (struct wr_error){0};
	is_int(export_write_file(path, "# x\n", &err), -1, "file as folder: refused");
	ok(strstr(err.message, "Not a directory") != NULL, "file as folder: says why");

	snprintf(path, sizeof path, "%s/out/", test_tmpdir());
	err = (struct wr_error){0};
	is_int(export_write_file(path, "# x\n", &err), -1, "folder as file: refused");
	ok(strstr(err.message, "names no file") != NULL, "folder as file: says why");

	/* Permission bits do not stop root, so this case runs only for other users. */
	if (geteuid() != 0) {
		char dir[2048];

		snprintf(dir, sizeof dir, "%s/locked", test_tmpdir());
		mkdir(dir, 0500);
		snprintf(path, sizeof path, "%s/review.md", dir);
		err = (struct wr_error){0};
		is_int(export_write_file(path, "# x\n", &err), -1, "read-only folder: refused");
		ok(strstr(err.message, "Permission denied") != NULL, "read-only folder: says why");
		is_int(files_starting(dir, ""), 2, "read-only folder: nothing written");
		chmod(dir, 0700);
	}
}

int main(void)
{
	struct wr_error err = {0};
	struct playbook *pb;
	struct guard *guard;
	struct store *st;
	char *id, *text;

	outputs_setup("2018-06-01T13:55:00Z");
	pb = test_playbook();
	guard = outputs_guard(pb);
	st = test_store();
	id = outputs_walk(st, pb, guard);

	test_walk(st, pb, id);
	test_not_reached(st, pb);
	test_escaping(st, pb);
	test_write_file();
	test_write_refused();

	text = export_review(st, pb, "INC-1999-0001", &err);
	ok(text == NULL, "unknown incident: no review");
	is_int(err.status, WR_BAD_INPUT, "unknown incident: bad input");

	free(id);
	store_close(st);
	guard_free(guard);
	playbook_free(pb);
	return tap_done();
}
