/*
 * Unit tests for status updates: drafting, editing, the guardrail check,
 * approval with and without an override, publishing with and without a
 * publish command, listing, and the audience templates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guard.h"
#include "steps.h"
#include "tap.h"
#include "testlib.h"
#include "updates.h"

/* Text that passes the bundled guardrails for Customer Service. */
#define CLEAN_TEXT                                                                         \
	"We are aware of an issue affecting card payments. Some customers may be affected " \
	"since about 10:00 UTC. Current status: investigating. We will share the next "     \
	"update by 10:30 UTC."

/* Text that promises a fix time, which the bundled guardrails reject. */
#define PROMISE_TEXT "Card payments will be fixed within 2 hours."

static struct playbook *pb;
static struct guard *guard;

static void set_now(const char *iso)
{
	setenv("WARROOM_NOW", iso, 1);
}

/* Creates an incident with the impact fields filled; returns its id, which the caller frees. */
static char *create_incident(struct store *st, const char *severity)
{
	struct incident *fields = xcalloc(1, sizeof *fields);
	struct wr_error err = {0};
	char *id;

	fields->summary = xstrdup("Card payments declined at terminals");
	fields->severity = severity ? xstrdup(severity) : NULL;
	fields->product = xstrdup("Card payments");
	fields->started_at = xstrdup("2025-03-04T09:40:00Z");
	strlist_add(&fields->impacted_services, "auth-switch-02");
	if (store_begin(st, &err) != 0 || incident_insert(st, fields, &err) != 0 ||
	    store_commit(st, &err) != 0) {
		fprintf(stderr, "creating the test incident: %s\n", err.message);
		exit(99);
	}
	id = xstrdup(fields->id);
	incident_free(fields);
	return id;
}

/* Runs SQL that returns one integer, for counting rows. */
static long long query_int(struct store *st, const char *sql)
{
	sqlite3_stmt *stmt = NULL;
	long long value = -1;

	if (sqlite3_prepare_v2(store_db(st), sql, -1, &stmt, NULL) == SQLITE_OK &&
	    sqlite3_step(stmt) == SQLITE_ROW)
		value = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return value;
}

/* Returns the details of the last event of KIND, or "" (a static buffer). */
static const char *last_event(struct store *st, const char *kind)
{
	static char details[1024];
	sqlite3_stmt *stmt = NULL;

	details[0] = '\0';
	if (sqlite3_prepare_v2(store_db(st),
			       "SELECT details FROM events WHERE kind = ? ORDER BY id DESC LIMIT 1", -1,
			       &stmt, NULL) == SQLITE_OK) {
		sqlite3_bind_text(stmt, 1, kind, -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) == SQLITE_ROW)
			snprintf(details, sizeof details, "%s", sqlite3_column_text(stmt, 0));
	}
	sqlite3_finalize(stmt);
	return details;
}

static long long count_events(struct store *st, const char *kind)
{
	char *sql = xasprintf("SELECT count(*) FROM events WHERE kind = '%s'", kind);
	long long n = query_int(st, sql);

	free(sql);
	return n;
}

/* Drafts TEXT to AUDIENCE and approves it; returns its id, or exits. */
static long long approved_update(struct store *st, const char *id, const char *text)
{
	struct wr_error err = {0};
	long long uid = 0;

	if (update_draft(st, pb, id, "cs", text, &uid, &err) != 0 ||
	    update_approve(st, pb, guard, uid, NULL, &err) != 0) {
		fprintf(stderr, "preparing an approved update: %s\n", err.message);
		exit(99);
	}
	return uid;
}

static void test_draft(void)
{
	struct store *st = test_store();
	struct wr_error err = {0};
	struct update *u;
	long long uid = 0;
	char *id = create_incident(st, "sev0");

	set_now("2025-03-04T10:00:00Z");
	is_int(update_draft(st, pb, id, "cs", CLEAN_TEXT, &uid, &err), 0, "draft: saved");
	ok(uid > 0, "draft: id set");
	u = update_get(st, uid, &err);
	ok(u != NULL, "draft: readable");
	if (u) {
		is_str(u->state, "draft", "draft: state draft");
		is_str(u->audience, "cs", "draft: audience stored");
		is_str(u->text, CLEAN_TEXT, "draft: text stored");
		is_str(u->incident_id, id, "draft: incident stored");
		is_str(u->created_at, "2025-03-04T10:00:00Z", "draft: created_at");
		is_str(u->edited_at, "2025-03-04T10:00:00Z", "draft: edited_at");
		ok(u->approved_at == NULL, "draft: not approved");
	}
	update_free(u);
	is_int(count_events(st, "update drafted"), 1, "draft: one event");

	err = (struct wr_error){0};
	is_int(update_draft(st, pb, id, "press", CLEAN_TEXT, &uid, &err), -1,
	       "draft: unknown audience rejected");
	is_int(err.status, WR_BAD_INPUT, "draft: unknown audience is bad input");
	ok(strstr(err.message, "\"press\"") != NULL, "draft: message names the audience");
	ok(strstr(err.message, "cs, product") != NULL, "draft: message lists the audiences");

	err = (struct wr_error){0};
	is_int(update_draft(st, pb, "INC-2025-9999", "cs", CLEAN_TEXT, &uid, &err), -1,
	       "draft: unknown incident rejected");
	is_int(err.status, WR_BAD_INPUT, "draft: unknown incident is bad input");
	is_int(query_int(st, "SELECT count(*) FROM updates"), 1, "draft: rejected ones store nothing");

	err = (struct wr_error){0};
	u = update_get(st, 4242, &err);
	ok(u == NULL, "get: unknown update is NULL");
	is_int(err.status, WR_BAD_INPUT, "get: unknown update is bad input");

	sqlite3_exec(store_db(st), "UPDATE incidents SET status = 'closed'", NULL, NULL, NULL);
	err = (struct wr_error){0};
	is_int(update_draft(st, pb, id, "cs", CLEAN_TEXT, &uid, &err), -1,
	       "draft: closed incident rejected");
	is_int(err.status, WR_FAILED, "draft: closed incident is refused");

	free(id);
	store_close(st);
}

static void test_edit(void)
{
	struct store *st = test_store();
	struct wr_error err = {0};
	struct update *u;
	long long uid = 0;
	char *id = create_incident(st, "sev0");

	set_now("2025-03-04T10:00:00Z");
	update_draft(st, pb, id, "cs", "We are aware", &uid, &err);

	set_now("2025-03-04T10:00:10Z");
	is_int(update_edit(st, uid, "We are aware of an issue", &err), 0, "edit: saved");
	u = update_get(st, uid, &err);
	is_str(u ? u->text : NULL, "We are aware of an issue", "edit: text replaced");
	is_str(u ? u->edited_at : NULL, "2025-03-04T10:00:10Z", "edit: edited_at moved");
	update_free(u);
	is_int(count_events(st, "update edited"), 0, "edit: none logged within a minute of the draft");

	set_now("2025-03-04T10:01:05Z");
	update_edit(st, uid, "We are aware of an issue affecting", &err);
	is_int(count_events(st, "update edited"), 1, "edit: logged once a minute has passed");
	ok(strstr(last_event(st, "update edited"), "update ") != NULL, "edit: event names the update");

	set_now("2025-03-04T10:01:30Z");
	update_edit(st, uid, "We are aware of an issue affecting card", &err);
	is_int(count_events(st, "update edited"), 1, "edit: not logged again within the minute");

	set_now("2025-03-04T10:02:05Z");
	update_edit(st, uid, "We are aware of an issue affecting card payments", &err);
	is_int(count_events(st, "update edited"), 2, "edit: logged again after the next minute");

	set_now("2025-03-04T10:05:00Z");
	is_int(update_edit(st, uid, "We are aware of an issue affecting card payments", &err), 0,
	       "edit: same text accepted");
	is_int(count_events(st, "update edited"), 2, "edit: same text logs nothing");

	err = (struct wr_error){0};
	is_int(update_edit(st, 4242, "text", &err), -1, "edit: unknown update rejected");
	is_int(err.status, WR_BAD_INPUT, "edit: unknown update is bad input");

	/* Approve, then try to edit. */
	update_edit(st, uid, CLEAN_TEXT, &err);
	err = (struct wr_error){0};
	is_int(update_approve(st, pb, guard, uid, NULL, &err), 0, "edit: clean text approves");
	err = (struct wr_error){0};
	is_int(update_edit(st, uid, "Changed after approval", &err), -1, "edit after approve: rejected");
	is_int(err.status, WR_FAILED, "edit after approve: refused");
	ok(strstr(err.message, "already approved") != NULL, "edit after approve: message says why");
	u = update_get(st, uid, &err);
	is_str(u ? u->text : NULL, CLEAN_TEXT, "edit after approve: text unchanged");
	update_free(u);

	free(id);
	store_close(st);
}

static void test_check(void)
{
	struct store *st = test_store();
	struct guard_finding *findings = NULL;
	struct wr_error err = {0};
	struct guard_context ctx;
	struct incident *inc;
	long long uid = 0;
	size_t n = 0;
	int found = 0;
	char *id = create_incident(st, "sev0");

	set_now("2025-03-04T10:00:00Z");
	update_draft(st, pb, id, "cs", PROMISE_TEXT, &uid, &err);
	is_int(update_check(st, pb, guard, uid, &findings, &n, &err), 0, "check: runs");
	for (size_t i = 0; i < n; i++)
		if (strcmp(findings[i].rule_id, "fix-time-promise") == 0 &&
		    findings[i].level == GUARD_ERROR)
			found = 1;
	ok(found, "check: fix-time promise is an error");
	guard_findings_free(findings, n);

	is_int(update_check_text(st, pb, guard, id, "cs", CLEAN_TEXT, &findings, &n, &err), 0,
	       "check text: runs");
	is_int(guard_count_errors(findings, n), 0, "check text: clean text has no errors");
	guard_findings_free(findings, n);

	err = (struct wr_error){0};
	is_int(update_check_text(st, pb, guard, id, "press", CLEAN_TEXT, &findings, &n, &err), -1,
	       "check text: unknown audience rejected");

	/* The context reflects the incident's validations, approvals and services. */
	inc = incident_get(st, id, &err);
	is_int(guard_context_for_incident(st, pb, inc, "cs", &ctx, &err), 0, "context: filled");
	is_str(ctx.audience, "cs", "context: audience");
	is_int(ctx.has_incident, 1, "context: has incident");
	is_int(ctx.validations_done, 0, "context: no validations yet");
	is_int(ctx.vendor_approved, 0, "context: vendor not approved");
	is_int(ctx.root_cause_approved, 0, "context: root cause not approved");
	is_int(ctx.n_internal_names, 1, "context: one internal name");
	is_str(ctx.n_internal_names ? ctx.internal_names[0] : NULL, "auth-switch-02",
	       "context: impacted service is an internal name");
	incident_free(inc);

	if (step_validate(st, pb, id, "monitoring", "error rate back to normal", &err) != 0 ||
	    step_validate(st, pb, id, "journeys", "purchase and ATM checked", &err) != 0 ||
	    approval_record(st, id, "vendor-blame", "Head of IT", "evidence reviewed", &err) != 0 ||
	    approval_record(st, id, "root-cause", "Head of IT", "may be shared", &err) != 0)
		printf("# recording validations and approvals: %s\n", err.message);
	inc = incident_get(st, id, &err);
	guard_context_for_incident(st, pb, inc, "marketing", &ctx, &err);
	is_int(ctx.validations_done, 1, "context: validations recorded");
	is_int(ctx.vendor_approved, 1, "context: vendor approved");
	is_int(ctx.root_cause_approved, 1, "context: root cause approved");
	incident_free(inc);

	free(id);
	store_close(st);
}

static void test_approve(void)
{
	struct store *st = test_store();
	struct wr_error err = {0};
	struct update *u;
	long long uid = 0;
	char *id = create_incident(st, "sev0");

	set_now("2025-03-04T10:00:00Z");
	setenv("WARROOM_ACTOR", "commander-ana", 1);
	update_draft(st, pb, id, "cs", PROMISE_TEXT, &uid, &err);

	is_int(update_approve(st, pb, guard, uid, NULL, &err), -1, "approve with errors: rejected");
	is_int(err.status, WR_FAILED, "approve with errors: refused");
	ok(strstr(err.message, "guardrail error") != NULL, "approve with errors: message counts them");
	ok(strstr(err.message, "--override REASON") != NULL, "approve with errors: message says how");
	u = update_get(st, uid, &err);
	is_str(u ? u->state : NULL, "draft", "approve with errors: stays a draft");
	update_free(u);
	is_int(count_events(st, "update approved"), 0, "approve with errors: nothing logged");

	err = (struct wr_error){0};
	is_int(update_approve(st, pb, guard, uid, "   ", &err), -1, "approve blank override: rejected");

	set_now("2025-03-04T10:05:00Z");
	err = (struct wr_error){0};
	is_int(update_approve(st, pb, guard, uid, "Head of CS agreed to the wording", &err), 0,
	       "approve with override: accepted");
	u = update_get(st, uid, &err);
	if (u) {
		is_str(u->state, "approved", "override: state approved");
		is_str(u->approved_by, "commander-ana", "override: approved_by");
		is_str(u->approved_at, "2025-03-04T10:05:00Z", "override: approved_at");
		ok(u->errors_at_approval >= 1, "override: errors stored");
		is_str(u->override_reason, "Head of CS agreed to the wording", "override: reason stored");
	}
	ok(strstr(last_event(st, "update approved"), "override: Head of CS agreed to the wording (") !=
		   NULL,
	   "override: event records the reason");
	ok(strstr(last_event(st, "update approved"), " error") != NULL,
	   "override: event records the errors");
	update_free(u);

	err = (struct wr_error){0};
	is_int(update_approve(st, pb, guard, uid, "again", &err), -1, "approve twice: rejected");
	is_int(err.status, WR_FAILED, "approve twice: refused");

	/* A clean update needs no reason, and a reason given is not stored. */
	err = (struct wr_error){0};
	update_draft(st, pb, id, "cs", CLEAN_TEXT, &uid, &err);
	is_int(update_approve(st, pb, guard, uid, "not needed", &err), 0, "approve clean: accepted");
	u = update_get(st, uid, &err);
	is_int(u ? u->errors_at_approval : -1, 0, "approve clean: no errors stored");
	ok(u && u->override_reason == NULL, "approve clean: no override stored");
	update_free(u);
	ok(strstr(last_event(st, "update approved"), "override") == NULL,
	   "approve clean: event has no override");

	err = (struct wr_error){0};
	update_draft(st, pb, id, "cs", "  ", &uid, &err);
	is_int(update_approve(st, pb, guard, uid, "reason", &err), -1, "approve blank text: rejected");

	unsetenv("WARROOM_ACTOR");
	free(id);
	store_close(st);
}

/* Writes an executable shell script NAME with BODY into the temporary folder; returns its path. */
static char *write_script(const char *name, const char *body)
{
	char *path = xasprintf("%s/%s", test_tmpdir(), name);
	FILE *f = fopen(path, "w");

	if (!f)
		exit(99);
	fprintf(f, "#!/bin/sh\n%s", body);
	fclose(f);
	chmod(path, 0755);
	return path;
}

static void test_publish_states(void)
{
	struct store *st = test_store();
	struct wr_error err = {0};
	struct update *u;
	long long uid = 0;
	char *id = create_incident(st, "sev0");

	set_now("2025-03-04T10:00:00Z");
	update_draft(st, pb, id, "cs", CLEAN_TEXT, &uid, &err);
	is_int(update_publish_with(st, NULL, uid, &err), -1, "publish draft: rejected");
	is_int(err.status, WR_FAILED, "publish draft: refused");
	ok(strstr(err.message, "approve it before publishing") != NULL, "publish draft: message");

	err = (struct wr_error){0};
	update_approve(st, pb, guard, uid, NULL, &err);
	set_now("2025-03-04T10:10:00Z");
	setenv("WARROOM_ACTOR", "commander-ana", 1);
	is_int(update_publish_with(st, NULL, uid, &err), 0, "publish by hand: recorded");
	u = update_get(st, uid, &err);
	if (u) {
		is_str(u->state, "published", "publish by hand: state");
		is_str(u->published_at, "2025-03-04T10:10:00Z", "publish by hand: published_at");
		is_str(u->published_by, "commander-ana", "publish by hand: published_by");
		is_str(u->publish_result, "manual", "publish by hand: result manual");
	}
	update_free(u);
	is_int(count_events(st, "update published"), 1, "publish by hand: event");

	err = (struct wr_error){0};
	is_int(update_publish_with(st, NULL, uid, &err), -1, "publish twice: rejected");
	is_int(err.status, WR_FAILED, "publish twice: refused");

	/* update_publish with settings that name no command publishes by hand. */
	{
		struct settings settings = {0};
		long long uid2 = approved_update(st, id, CLEAN_TEXT);

		err = (struct wr_error){0};
		is_int(update_publish(st, &settings, uid2, &err), 0, "publish without a command: ok");
		u = update_get(st, uid2, &err);
		is_str(u ? u->publish_result : NULL, "manual", "publish without a command: manual");
		update_free(u);
	}

	unsetenv("WARROOM_ACTOR");
	free(id);
	store_close(st);
}

static void test_publish_command(void)
{
	struct store *st = test_store();
	struct wr_error err = {0};
	struct update *u;
	char *id = create_incident(st, "sev0");
	char *script = write_script("publish-ok.sh",
				    "out=\"$1\"; shift\n"
				    "cat > \"$out\"\n"
				    "for a in \"$@\"; do printf '[%s]\\n' \"$a\"; done > \"$out.argv\"\n"
				    "printf '%s|%s|%s\\n' \"$WARROOM_INCIDENT\" \"$WARROOM_AUDIENCE\" "
				    "\"$WARROOM_UPDATE_ID\" > \"$out.env\"\n");
	char *out = xasprintf("%s/published.txt", test_tmpdir());
	char *argv_path = xasprintf("%s.argv", out);
	char *env_path = xasprintf("%s.env", out);
	char *injected = xasprintf("%s/injected", test_tmpdir());
	char *tricky = xasprintf("two words; touch %s", injected);
	char *args[] = {script, out, tricky, "$HOME", NULL};
	struct publish_command cmd = {args, 10};
	char *want_env, *want_argv;
	long long uid;
	char *got;

	set_now("2025-03-04T10:00:00Z");
	uid = approved_update(st, id, CLEAN_TEXT);
	is_int(update_publish_with(st, &cmd, uid, &err), 0, "command: publishes");
	got = test_read_file(out);
	is_str(got, CLEAN_TEXT, "command: text arrives on standard input");
	free(got);
	got = test_read_file(argv_path);
	want_argv = xasprintf("[%s]\n[$HOME]\n", tricky);
	is_str(got, want_argv, "command: arguments arrive unchanged");
	free(got);
	free(want_argv);
	ok(access(injected, F_OK) != 0, "command: no shell ran the argument");
	got = test_read_file(env_path);
	want_env = xasprintf("%s|cs|%lld\n", id, uid);
	is_str(got, want_env, "command: environment names incident, audience, update");
	free(got);
	free(want_env);
	u = update_get(st, uid, &err);
	is_str(u ? u->state : NULL, "published", "command: state published");
	is_str(u ? u->publish_result : NULL, "ok", "command: result ok");
	update_free(u);
	ok(strstr(last_event(st, "update published"), "publish-ok.sh") != NULL,
	   "command: event names the command");

	free(script);
	free(out);
	free(argv_path);
	free(env_path);
	free(injected);
	free(tricky);
	free(id);
	store_close(st);
}

static void test_publish_failures(void)
{
	struct store *st = test_store();
	struct wr_error err = {0};
	struct update *u;
	char *id = create_incident(st, "sev0");
	char *fail = write_script("publish-fail.sh",
				  "cat > /dev/null\n"
				  "echo 'relay refused the message' >&2\n"
				  "echo 'second line' >&2\n"
				  "exit 3\n");
	char *slow = write_script("publish-slow.sh", "sleep 20\n");
	char *fail_args[] = {fail, NULL};
	char *missing_args[] = {"/nonexistent/warroom-publish", NULL};
	char *slow_args[] = {slow, NULL};
	struct publish_command fail_cmd = {fail_args, 10};
	struct publish_command missing_cmd = {missing_args, 10};
	struct publish_command slow_cmd = {slow_args, 1};
	long long uid;

	set_now("2025-03-04T10:00:00Z");
	uid = approved_update(st, id, CLEAN_TEXT);
	is_int(update_publish_with(st, &fail_cmd, uid, &err), -1, "failing command: rejected");
	is_int(err.status, WR_FAILED, "failing command: WR_FAILED");
	ok(strstr(err.message, "exit 3: relay refused the message") != NULL,
	   "failing command: message has status and stderr");
	ok(strstr(err.message, "stays approved") != NULL, "failing command: message says it stays approved");
	u = update_get(st, uid, &err);
	is_str(u ? u->state : NULL, "approved", "failing command: stays approved");
	is_str(u ? u->publish_result : NULL, "failed: exit 3: relay refused the message",
	       "failing command: result recorded");
	ok(u && u->published_at == NULL, "failing command: no published_at");
	update_free(u);
	is_int(count_events(st, "update publish failed"), 1, "failing command: event persists");
	ok(strstr(last_event(st, "update publish failed"), "exit 3") != NULL,
	   "failing command: event has the reason");
	is_int(count_events(st, "update published"), 0, "failing command: not logged as published");

	err = (struct wr_error){0};
	is_int(update_publish_with(st, &missing_cmd, uid, &err), -1, "missing binary: rejected");
	u = update_get(st, uid, &err);
	is_str(u ? u->publish_result : NULL,
	       "failed: cannot run \"/nonexistent/warroom-publish\": No such file or directory",
	       "missing binary: result recorded");
	is_str(u ? u->state : NULL, "approved", "missing binary: stays approved");
	update_free(u);

	err = (struct wr_error){0};
	is_int(update_publish_with(st, &slow_cmd, uid, &err), -1, "slow command: rejected");
	u = update_get(st, uid, &err);
	is_str(u ? u->publish_result : NULL, "failed: timed out after 1 s", "slow command: timed out");
	update_free(u);

	/* After the failures a working publication still goes through. */
	err = (struct wr_error){0};
	is_int(update_publish_with(st, NULL, uid, &err), 0, "after failures: publishes");

	free(fail);
	free(slow);
	free(id);
	store_close(st);
}

static void test_publish_large_text(void)
{
	struct store *st = test_store();
	struct wr_error err = {0};
	struct strbuf text;
	char *id = create_incident(st, "sev0");
	char *ignore = write_script("publish-ignore.sh", "exit 0\n");
	char *copy = write_script("publish-copy.sh", "cat > \"$1\"\n");
	char *out = xasprintf("%s/large.txt", test_tmpdir());
	char *ignore_args[] = {ignore, NULL};
	char *copy_args[] = {copy, out, NULL};
	struct publish_command ignore_cmd = {ignore_args, 10};
	struct publish_command copy_cmd = {copy_args, 10};
	long long uid;
	char *got;

	/* More than a pipe buffer holds, so that writing must wait for the reader. */
	sb_init(&text);
	sb_add(&text, CLEAN_TEXT);
	while (text.len < 300000)
		sb_add(&text, " Current status: investigating.");

	set_now("2025-03-04T10:00:00Z");
	uid = approved_update(st, id, text.data);
	is_int(update_publish_with(st, &ignore_cmd, uid, &err), 0,
	       "large text: a command that reads nothing still succeeds");

	uid = approved_update(st, id, text.data);
	is_int(update_publish_with(st, &copy_cmd, uid, &err), 0, "large text: copied");
	got = test_read_file(out);
	is_int(strlen(got), text.len, "large text: every byte arrives");
	free(got);

	sb_free(&text);
	free(ignore);
	free(copy);
	free(out);
	free(id);
	store_close(st);
}

static void test_list_latest(void)
{
	struct store *st = test_store();
	struct wr_error err = {0};
	struct update *list = NULL, *u = NULL;
	size_t n = 0;
	long long first, second, mgmt = 0;
	char *id = create_incident(st, "sev0");

	set_now("2025-03-04T10:00:00Z");
	first = approved_update(st, id, CLEAN_TEXT);
	update_publish_with(st, NULL, first, &err);
	set_now("2025-03-04T10:30:00Z");
	second = approved_update(st, id, CLEAN_TEXT);
	update_publish_with(st, NULL, second, &err);
	update_draft(st, pb, id, "management", "Incident on card payments.", &mgmt, &err);

	is_int(update_list(st, id, NULL, &list, &n, &err), 0, "list: runs");
	is_int(n, 3, "list: every update");
	if (n == 3) {
		is_int(list[0].id, first, "list: oldest first");
		is_str(list[2].audience, "management", "list: management last");
	}
	update_list_free(list, n);

	update_list(st, id, "management", &list, &n, &err);
	is_int(n, 1, "list: audience filter");
	update_list_free(list, n);

	is_int(update_latest(st, id, "cs", "published", &u, &err), 0, "latest: runs");
	is_int(u ? u->id : 0, second, "latest: newest published");
	update_free(u);

	update_latest(st, id, "management", "published", &u, &err);
	ok(u == NULL, "latest: none published to management");
	update_latest(st, id, "cs", "approved", &u, &err);
	ok(u == NULL, "latest: none left approved for cs");

	free(id);
	store_close(st);
}

static void test_template(void)
{
	struct store *st = test_store();
	struct guard_finding *findings = NULL;
	struct wr_error err = {0};
	struct incident *inc;
	time_t next;
	size_t n = 0;
	char *id = create_incident(st, "sev0");
	char *text;

	time_parse_iso8601("2025-03-04T10:30:00Z", &next);
	inc = incident_get(st, id, &err);

	/* Nothing of the impact statement recorded yet. */
	text = update_template(pb, inc, "cs", next, &err);
	is_str(text,
	       "We are aware of an issue affecting Card payments. Customers (numbers still being "
	       "confirmed) may be affected since about 09:40 UTC. Current status: investigating. "
	       "We will share the next update by 10:30 UTC.",
	       "template: missing facts filled from the record");
	update_check_text(st, pb, guard, id, "cs", text, &findings, &n, &err);
	is_int(guard_count_errors(findings, n), 0, "template: missing-fact wording passes guardrails");
	for (size_t i = 0; i < n; i++)
		printf("# %s: %s\n", findings[i].rule_id, findings[i].message);
	guard_findings_free(findings, n);
	free(text);
	incident_free(inc);

	set_now("2025-03-04T10:00:00Z");
	if (step_impact(st, pb, id, "card payments at terminals", "Some customers",
			"2025-03-04T09:45:00Z", "mitigation applied", NULL, &err) != 0)
		printf("# step_impact: %s\n", err.message);
	inc = incident_get(st, id, &err);
	text = update_template(pb, inc, "cs", next, &err);
	is_str(text,
	       "We are aware of an issue affecting card payments at terminals. Some customers may "
	       "be affected since about 09:45 UTC. Current status: mitigation applied. We will "
	       "share the next update by 10:30 UTC.",
	       "template: impact statement filled");
	free(text);

	text = update_template(pb, inc, "incident", 0, &err);
	is_str(text, "Card payments at terminals: mitigation applied.", "template: incident channel");
	free(text);

	text = update_template(pb, inc, "marketing", 0, &err);
	ok(text && strstr(text, "a time we will confirm shortly") != NULL,
	   "template: no next update time");
	free(text);

	/* Record text at the start of a template's sentence gets a capital; mid-sentence it stays. */
	incident_free(inc);
	if (step_impact(st, pb, id, "card payments at terminals", "some customers in the UK",
			"2025-03-04T09:45:00Z", "mitigation applied", NULL, &err) != 0)
		printf("# step_impact: %s\n", err.message);
	inc = incident_get(st, id, &err);
	text = update_template(pb, inc, "cs", next, &err);
	ok(text && strstr(text, "terminals. Some customers in the UK may be affected") != NULL,
	   "template: sentence start capitalised");
	ok(text && strstr(text, "affecting card payments at terminals.") != NULL,
	   "template: mid-sentence kept");
	free(text);

	/* A day later the start time needs its date. */
	set_now("2025-03-05T10:00:00Z");
	text = update_template(pb, inc, "cs", next, &err);
	ok(text && strstr(text, "since about 2025-03-04 09:45 UTC.") != NULL,
	   "template: another day's time has its date");
	free(text);
	set_now("2025-03-04T10:00:00Z");

	err = (struct wr_error){0};
	text = update_template(pb, inc, "press", next, &err);
	ok(text == NULL, "template: unknown audience");
	is_int(err.status, WR_BAD_INPUT, "template: unknown audience is bad input");
	incident_free(inc);

	/* Resolved: the audience's resolution notice replaces the "we are aware" draft. */
	inc = incident_get(st, id, &err);
	free(inc->status);
	inc->status = xstrdup("resolved");
	free(inc->resolved_at);
	inc->resolved_at = xstrdup("2025-03-04T11:20:00Z");
	text = update_template(pb, inc, "cs", next, &err);
	ok(text && strstr(text, "is resolved") != NULL, "template: resolved notice");
	ok(text && strstr(text, "since 11:20 UTC") != NULL, "template: resolution time filled");
	ok(text && strstr(text, "We are aware") == NULL, "template: no open-incident wording");
	free(text);
	text = update_template(pb, inc, "incident", 0, &err);
	is_str(text, "Card payments at terminals: resolved.", "template: no resolved form kept");
	free(text);
	incident_free(inc);

	free(id);
	store_close(st);
}

int main(void)
{
	struct strbuf problems;
	struct wr_error err = {0};

	pb = test_playbook();
	sb_init(&problems);
	guard = guard_load(pb, &problems, &err);
	if (!guard) {
		fprintf(stderr, "guardrails do not load:\n%s\n", problems.data);
		return 99;
	}
	sb_free(&problems);
	unsetenv("WARROOM_ACTOR");

	test_draft();
	test_edit();
	test_check();
	test_approve();
	test_publish_states();
	test_publish_command();
	test_publish_failures();
	test_publish_large_text();
	test_list_latest();
	test_template();

	guard_free(guard);
	playbook_free(pb);
	return tap_done();
}
