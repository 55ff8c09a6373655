/*
 * Unit tests for the playbook loader and the settings file: the bundled
 * playbook's contents and look-ups, each validation problem from a small
 * broken file in tests/playbooks/ with its exact "FILE:LINE: ..." line, the
 * search order for both files, and cadence overrides.
 */
#include <errno.h>
#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "playbook.h"
#include "settings.h"
#include "tap.h"
#include "testlib.h"

#define COUNT(array) (sizeof array / sizeof array[0])

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) == EOF || fclose(f) != 0) {
		fprintf(stderr, "write %s: %s\n", path, strerror(errno));
		exit(99);
	}
}

/* Creates folder PATH and its parents. */
static void make_dirs(const char *path)
{
	char *copy = xstrdup(path);

	for (char *p = copy + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(copy, 0700);
		*p = '/';
	}
	mkdir(copy, 0700);
	free(copy);
}

/* Returns a path under the test's temporary folder; the caller frees it. */
static char *tmp_path(const char *relative)
{
	return xasprintf("%s/%s", test_tmpdir(), relative);
}

static int file_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* ---- the bundled playbook ---- */

static void test_bundled_counts(const struct playbook *pb)
{
	is_str(pb->name, "Development / IT Playbook", "bundled name");
	is_str(pb->version, "1.0", "bundled version");
	is_str(pb->owner, "IT Operations Lead", "bundled owner");
	is_int(pb->n_categories, 5, "bundled categories");
	is_int(pb->n_scopes, 3, "bundled scopes");
	is_int(pb->n_severities, 4, "bundled severities");
	is_int(pb->n_indicators, 12, "bundled risk indicators");
	is_int(pb->n_severity_rules, 8, "bundled severity rules");
	is_int(pb->n_steps, 7, "bundled steps");
	is_int(pb->n_impact_statuses, 3, "bundled impact statuses");
	is_int(pb->n_validations, 2, "bundled validations");
	is_int(pb->n_journeys, 5, "bundled journey lists");
	is_int(pb->n_security_categories, 1, "bundled security categories");
	is_int(pb->n_security_triggers, 5, "bundled security triggers");
	is_int(pb->n_security_actions, 5, "bundled security actions");
	is_int(pb->n_audiences, 6, "bundled audiences");
}

static void test_bundled_severities(const struct playbook *pb)
{
	const struct pb_severity *sev;

	for (size_t i = 0; i < pb->n_severities; i++)
		is_int(pb->severities[i].rank, (long long)i, "severity rank is position");

	sev = playbook_severity(pb, "sev1");
	ok(sev != NULL, "severity sev1 found");
	if (sev) {
		is_str(sev->label, "Sev 1", "sev1 label");
		is_str(sev->priority, "P1", "sev1 priority");
		is_int(sev->rank, 1, "sev1 rank");
		is_int(sev->update_due_minutes, 30, "sev1 update due");
		is_int(sev->update_limit_minutes, 60, "sev1 update limit");
	}
	sev = playbook_severity(pb, "sev3");
	ok(sev && sev->update_due_minutes == 0, "sev3 has no cadence");
	ok(playbook_severity(pb, "sev9") == NULL, "unknown severity is NULL");
	ok(playbook_severity(pb, NULL) == NULL, "NULL severity is NULL");

	sev = playbook_severity_for_priority(pb, "P2");
	is_str(sev ? sev->id : NULL, "sev2", "priority P2 is sev2");
	sev = playbook_severity_for_priority(pb, "P0");
	is_str(sev ? sev->id : NULL, "sev0", "priority P0 is sev0");
	ok(playbook_severity_for_priority(pb, "P7") == NULL, "priority P7 is unknown");
}

static void test_bundled_lookups(const struct playbook *pb)
{
	const struct pb_term *term;
	const struct pb_step *step;
	const struct pb_audience *audience;
	const struct pb_journeys *journeys;

	term = playbook_indicator(pb, "phishing");
	is_str(term ? term->suggests_category : NULL, "security", "phishing suggests security");
	ok(playbook_indicator(pb, "no_such_indicator") == NULL, "unknown indicator is NULL");
	term = playbook_category(pb, "third_party");
	is_str(term ? term->label : NULL, "Third-party dependency", "category label");
	ok(playbook_category(pb, "weather") == NULL, "unknown category is NULL");
	term = playbook_scope(pb, "segment");
	is_str(term ? term->label : NULL, "Segment", "scope label");

	for (size_t i = 0; i < pb->n_steps; i++)
		is_int(pb->steps[i].number, (long long)i + 1, "steps in number order");
	step = playbook_step(pb, "triage");
	ok(step != NULL, "step triage found");
	if (step) {
		is_int(step->number, 4, "triage is step 4");
		is_int(step->n_checklist, 7, "triage checklist items");
		is_str(step->checklist[0].id, "confirm-logs", "triage first item");
	}
	step = playbook_step(pb, "impact");
	ok(step && step->n_required == 4, "impact requires four fields");
	ok(playbook_step(pb, "celebrate") == NULL, "unknown step is NULL");

	audience = playbook_audience(pb, "cs");
	ok(audience != NULL, "audience cs found");
	if (audience) {
		is_int(audience->n_required_elements, 4, "cs required elements");
		is_int(audience->follows_cadence, 1, "cs follows cadence");
		is_int(audience->incident_channel, 0, "cs is outside the channel");
	}
	audience = playbook_audience(pb, "management");
	ok(audience && audience->incident_channel, "management is in the channel");

	journeys = playbook_journeys(pb, "Card payments");
	ok(journeys && journeys->n_journeys == 4, "card payments journeys");
	journeys = playbook_journeys(pb, "Mortgage portal");
	is_str(journeys ? journeys->product : NULL, "*", "unlisted product gets default");
	journeys = playbook_journeys(pb, NULL);
	is_str(journeys ? journeys->product : NULL, "*", "no product gets default");

	ok(playbook_is_security_trigger(pb, "phishing"), "phishing is a security trigger");
	ok(playbook_is_security_trigger(pb, "data_exposure"), "data exposure is a trigger");
	ok(!playbook_is_security_trigger(pb, "cosmetic"), "cosmetic is no trigger");
	ok(!playbook_is_security_trigger(pb, NULL), "NULL is no trigger");
	ok(playbook_is_security_category(pb, "security"), "security category starts SOP");
	ok(!playbook_is_security_category(pb, "bug"), "bug category does not");

	is_str(pb->validations[0].id, "monitoring", "first validation id");
	is_str(pb->impact_statuses[1], "mitigation applied", "second impact status");
	ok(playbook_section(pb, "guardrails") != NULL, "guardrails section kept");
	ok(playbook_section(pb, "no_such_section") == NULL, "unknown section is NULL");
}

/* ---- broken playbooks ---- */

struct broken_case {
	const char *file;     /* under tests/playbooks/ */
	const char *expected; /* every problem line, "@" standing for the file's path */
};

static const struct broken_case broken_cases[] = {
	{"syntax-error.cfg", "@:5: syntax error; look for a missing ';', '\"' or bracket on this line"
			     " or the one before\n"},
	{"missing-field.cfg", "@:8: severities[1]: missing required field \"priority\"\n"},
	{"wrong-type.cfg",
	 "@:8: severities[0].update_due_minutes: expected an integer, found a string\n"},
	{"duplicate-id.cfg", "@:7: categories[2]: duplicate id \"outage\" (first at line 5)\n"},
	{"rule-unknown-severity.cfg",
	 "@:13: severity_rules[0].severity: unknown severity \"sev9\"; known: sev0, sev1\n"},
	{"rule-unknown-indicator.cfg",
	 "@:14: severity_rules[0].indicators[1]: unknown risk indicator \"payment_blocked\"; "
	 "known: widespread_outage, payments_blocked\n"},
	{"security-unknown-trigger.cfg",
	 "@:12: security_sop.triggers[1]: unknown risk indicator \"account_takeover\"; "
	 "known: phishing\n"},
	{"security-unknown-category.cfg",
	 "@:9: security_sop.categories[0]: unknown category \"security\"; known: outage\n"},
	{"indicator-unknown-category.cfg",
	 "@:10: risk_indicators[1].suggests_category: unknown category \"security\"; "
	 "known: outage\n"},
	{"priority-form.cfg",
	 "@:8: severities[1].priority: \"P10\" is not a priority: expected P0 to P9\n"},
	{"priority-duplicate.cfg",
	 "@:9: severities[2].priority: duplicate priority \"P1\" (first at line 8)\n"},
	{"step-order.cfg",
	 "@:9: steps[1].number: step number 3 is out of order: expected 2 "
	 "(steps are listed in order and numbered from 1)\n"},
	{"step-duplicate.cfg",
	 "@:10: steps[1].number: duplicate step number 1 (first at line 8)\n"},
	{"cadence-limit.cfg",
	 "@:9: severities[0]: update_limit_minutes (20) is less than update_due_minutes (30)\n"},
	{"step-required-unknown.cfg",
	 "@:9: steps[0].required[1]: unknown record field \"scoop\"; known: category, scope, "
	 "severity, started_at, detection_source, impacted_services, impact_what, impact_who, "
	 "impact_since, impact_status, validations, root_cause, corrective_action, "
	 "prevention_task\n"},
	{"template-placeholder.cfg",
	 "@:11: audiences[1].template: unknown placeholder {start}; known: "
	 "{product} {what} {who} {since} {status} {next_update} {resolved}\n"},
	{"empty-lists.cfg",
	 "@:4: categories: empty list: at least one category is needed\n"
	 "@:5: scopes: empty list: at least one scope is needed\n"
	 "@:6: severities: empty list: at least one severity is needed\n"
	 "@:7: steps: empty list: at least one step is needed\n"
	 "@:8: audiences: empty list: at least one audience is needed\n"},
	{"many-problems.cfg",
	 "@:19: unknown setting \"severity_rule\"\n"
	 "@: missing required setting \"version\"\n"
	 "@:5: categories[1]: duplicate id \"outage\" (first at line 4)\n"
	 "@:9: severities[0]: unknown field \"colour\"\n"
	 "@:10: severities[1].priority: \"1\" is not a priority: expected P0 to P9\n"
	 "@:13: severity_rules[0].indicators[0]: unknown risk indicator \"widespread_outage\"; "
	 "known: none\n"
	 "@: missing setting \"impact_statuses\": a step requires impact_status, so list the "
	 "statuses to choose from\n"
	 "@:17: audiences[0].incident_channel: expected true or false, found a string\n"
	 "@:18: audiences[0].template: \"{\" without a closing \"}\"\n"},
};

/* Returns TEMPLATE with each "@" replaced by PATH; the caller frees it. */
static char *expand_path(const char *template, const char *path)
{
	struct strbuf sb;

	sb_init(&sb);
	for (const char *p = template; *p; p++) {
		if (*p == '@')
			sb_add(&sb, path);
		else
			sb_addc(&sb, *p);
	}
	return sb_take(&sb);
}

static void test_broken(const struct broken_case *c)
{
	char *path = xasprintf("%s/tests/playbooks/%s", test_srcdir(), c->file);
	char *expected = expand_path(c->expected, path);
	char *first_line = xstrndup(expected, strcspn(expected, "\n"));
	struct wr_error err = {0};
	struct strbuf problems;
	struct playbook *pb;

	sb_init(&problems);
	pb = playbook_load(path, &problems, &err);
	ok(pb == NULL, c->file);
	is_int(err.status, WR_BAD_INPUT, c->file);
	is_str(problems.data, expected, c->file);
	is_str(err.message, first_line, c->file);

	playbook_free(pb);
	sb_free(&problems);
	free(first_line);
	free(expected);
	free(path);
}

static void test_minimal(void)
{
	const char *path = test_path("tests/playbooks/minimal.cfg");
	struct wr_error err = {0};
	struct strbuf problems;
	struct playbook *pb;

	sb_init(&problems);
	pb = playbook_load(path, &problems, &err);
	ok(pb != NULL, "minimal playbook loads");
	is_str(problems.data, "", "minimal has no problems");
	if (pb) {
		ok(playbook_journeys(pb, "Card payments") == NULL, "no journeys, no default");
		ok(pb->owner == NULL, "minimal has no owner");
		is_int(pb->n_indicators, 0, "minimal has no indicators");
	}
	playbook_free(pb);
	sb_free(&problems);
}

static void test_missing_file(void)
{
	char *path = tmp_path("no-such-playbook.cfg");
	char *expected = xasprintf("%s: could not open: No such file or directory\n", path);
	struct wr_error err = {0};
	struct strbuf problems;

	sb_init(&problems);
	ok(playbook_load(path, &problems, &err) == NULL, "missing playbook fails");
	is_str(problems.data, expected, "missing playbook message");
	is_int(err.status, WR_BAD_INPUT, "missing playbook status");
	sb_free(&problems);
	free(expected);
	free(path);
}

/* A problem in an @include'd file names that file and its line. */
static void test_include(void)
{
	char *main_path = tmp_path("include-main.cfg");
	char *part_path = tmp_path("include-part.cfg");
	char *expected = xasprintf("%s:3: categories[1]: duplicate id \"outage\" (first at line 2)\n",
				   part_path);
	struct wr_error err = {0};
	struct strbuf problems;

	write_file(part_path, "categories = (\n"
			      "  { id = \"outage\"; label = \"Outage\"; },\n"
			      "  { id = \"outage\"; label = \"Again\"; }\n"
			      ");\n");
	write_file(main_path, "name = \"Include\";\nversion = \"1\";\n"
			      "@include \"include-part.cfg\"\n"
			      "scopes = ( { id = \"global\"; label = \"Global\"; } );\n"
			      "severities = ( { id = \"sev0\"; label = \"Sev 0\"; priority = \"P0\";"
			      " meaning = \"Worst\"; } );\n"
			      "steps = ( { id = \"a\"; number = 1; title = \"A\"; purpose = \"A.\"; } );\n"
			      "audiences = ( { id = \"cs\"; label = \"CS\"; receives = \"U\";"
			      " template = \"{what}\"; } );\n");

	sb_init(&problems);
	ok(playbook_load(main_path, &problems, &err) == NULL, "include problem fails load");
	is_str(problems.data, expected, "include problem names the part");
	sb_free(&problems);
	free(expected);
	free(part_path);
	free(main_path);
}

/* playbook_section and playbook_problem, as a module checking its own section uses them. */
static void test_section_problem(void)
{
	char *path = tmp_path("with-guardrails.cfg");
	char *minimal = test_read_file(test_path("tests/playbooks/minimal.cfg"));
	char *text = xasprintf("%sguardrails = (\n  { id = \"promise\"; level = \"loud\"; }\n);\n",
			       minimal);
	struct wr_error err = {0};
	struct strbuf problems;
	struct playbook *pb;
	config_setting_t *section, *rule;
	char *expected;

	write_file(path, text);
	sb_init(&problems);
	pb = playbook_load(path, &problems, &err);
	ok(pb != NULL, "playbook with guardrails loads");
	if (!pb)
		goto out;
	section = playbook_section(pb, "guardrails");
	ok(section && config_setting_length(section) == 1, "guardrails section found");
	rule = section ? config_setting_get_elem(section, 0) : NULL;
	playbook_problem(pb, &problems, config_setting_get_member(rule, "level"),
			 "guardrails[0].level: \"%s\" is not a level", "loud");
	expected = xasprintf("%s:15: guardrails[0].level: \"loud\" is not a level\n", path);
	is_str(problems.data, expected, "playbook_problem line");
	free(expected);

	sb_free(&problems);
	sb_init(&problems);
	playbook_problem(pb, &problems, NULL, "guardrails: missing");
	expected = xasprintf("%s: guardrails: missing\n", path);
	is_str(problems.data, expected, "playbook_problem without line");
	free(expected);
	playbook_free(pb);
out:
	sb_free(&problems);
	free(text);
	free(minimal);
	free(path);
}

/* ---- finding the playbook ---- */

static void clear_find_env(void)
{
	unsetenv("WARROOM_PLAYBOOK");
	unsetenv("WARROOM_DATADIR");
	unsetenv("WARROOM_SETTINGS");
	unsetenv("XDG_CONFIG_HOME");
}

/* Checks that playbook_find returns WANT (NULL: an error containing WANT_ERROR). */
static void check_find(const char *explicit_path, const char *want, const char *want_error,
		       const char *name)
{
	struct wr_error err = {0};
	char *found = playbook_find(explicit_path, &err);

	is_str(found, want, name);
	if (!want) {
		is_int(err.status, WR_BAD_INPUT, name);
		ok(strstr(err.message, want_error) != NULL, name);
		if (!strstr(err.message, want_error))
			printf("#   message: %s\n", err.message);
	}
	free(found);
}

static int system_playbook_exists(void)
{
	return file_exists(SYSCONFDIR "/warroom/playbook.cfg") ||
	       file_exists("/etc/warroom/playbook.cfg");
}

static void test_find_order(void)
{
	char *explicit_path = tmp_path("find/explicit.cfg");
	char *env_path = tmp_path("find/env.cfg");
	char *missing = tmp_path("find/missing.cfg");
	char *xdg = tmp_path("find/xdg");
	char *xdg_file = tmp_path("find/xdg/warroom/playbook.cfg");
	char *home = tmp_path("find/home");
	char *home_file = tmp_path("find/home/.config/warroom/playbook.cfg");
	char *datadir = tmp_path("find/data");
	char *datadir_file = tmp_path("find/data/playbook.cfg");
	char *empty_dir = tmp_path("find/empty");

	make_dirs(xdg);
	make_dirs(empty_dir);
	write_file(explicit_path, "");
	write_file(env_path, "");
	clear_find_env();
	setenv("HOME", home, 1);

	check_find(explicit_path, explicit_path, NULL, "find explicit path");
	check_find(missing, NULL, missing, "find explicit missing");
	setenv("WARROOM_PLAYBOOK", env_path, 1);
	check_find(explicit_path, explicit_path, NULL, "find explicit beats env");
	check_find(NULL, env_path, NULL, "find env path");
	setenv("WARROOM_PLAYBOOK", missing, 1);
	check_find(NULL, NULL, "WARROOM_PLAYBOOK names", "find env missing");
	unsetenv("WARROOM_PLAYBOOK");

	make_dirs(home_file);
	rmdir(home_file);
	write_file(home_file, "");
	check_find(NULL, home_file, NULL, "find HOME config");
	setenv("XDG_CONFIG_HOME", "relative/config", 1);
	check_find(NULL, home_file, NULL, "find ignores relative XDG");
	make_dirs(xdg_file);
	rmdir(xdg_file);
	write_file(xdg_file, "");
	setenv("XDG_CONFIG_HOME", xdg, 1);
	check_find(NULL, xdg_file, NULL, "find XDG config");

	/* With no user config, the search reaches the system and data folders. */
	setenv("XDG_CONFIG_HOME", empty_dir, 1);
	setenv("HOME", empty_dir, 1);
	if (system_playbook_exists()) {
		ok(1, "find datadir # SKIP a system-wide playbook is installed");
	} else {
		make_dirs(datadir);
		write_file(datadir_file, "");
		setenv("WARROOM_DATADIR", datadir, 1);
		check_find(NULL, datadir_file, NULL, "find datadir");
		setenv("WARROOM_DATADIR", empty_dir, 1);
		check_find(NULL, NULL, "WARROOM_DATADIR names", "find datadir missing");
		unsetenv("WARROOM_DATADIR");
		if (file_exists(PKGDATADIR "/playbook.cfg"))
			check_find(NULL, PKGDATADIR "/playbook.cfg", NULL, "find installed default");
		else
			check_find(NULL, SOURCE_DATADIR "/playbook.cfg", NULL, "find source tree default");
	}

	clear_find_env();
	free(explicit_path);
	free(env_path);
	free(missing);
	free(xdg);
	free(xdg_file);
	free(home);
	free(home_file);
	free(datadir);
	free(datadir_file);
	free(empty_dir);
}

/* ---- settings ---- */

/* Writes TEXT to a temporary settings file and loads it; problems go to PROBLEMS. */
static struct settings *load_settings_text(const char *name, const char *text,
					   struct strbuf *problems, struct wr_error *err,
					   char **path_out)
{
	char *path = tmp_path(name);
	struct settings *s;

	write_file(path, text);
	s = settings_load(path, problems, err);
	*path_out = path;
	return s;
}

static int system_settings_exist(void)
{
	return file_exists(SYSCONFDIR "/warroom/warroom.cfg") ||
	       file_exists("/etc/warroom/warroom.cfg");
}

static void test_settings_defaults(void)
{
	char *empty_dir = tmp_path("settings-empty");
	struct wr_error err = {0};
	struct strbuf problems;
	struct settings *s;

	make_dirs(empty_dir);
	clear_find_env();
	setenv("XDG_CONFIG_HOME", empty_dir, 1);
	setenv("HOME", empty_dir, 1);
	sb_init(&problems);
	if (system_settings_exist()) {
		ok(1, "settings defaults # SKIP a system-wide warroom.cfg is installed");
	} else {
		s = settings_load(NULL, &problems, &err);
		ok(s != NULL, "settings defaults load");
		if (s) {
			ok(s->path == NULL, "defaults have no path");
			ok(s->database == NULL, "defaults have no database");
			ok(s->display_name == NULL, "defaults have no display name");
			is_int(s->n_cadence, 0, "defaults have no cadence");
			ok(s->publish_command == NULL, "defaults have no publish command");
		}
		settings_free(s);
	}
	clear_find_env();
	free(empty_dir);

	s = settings_load(test_path("data/warroom.cfg"), &problems, &err);
	ok(s != NULL, "example settings load");
	is_str(problems.data, "", "example settings have no problems");
	settings_free(s);
	sb_free(&problems);
}

static void test_settings_full(void)
{
	char *home = tmp_path("settings-home");
	char *want_db = tmp_path("settings-home/incidents/warroom.db");
	struct wr_error err = {0};
	struct strbuf problems;
	struct settings *s;
	char *path;

	setenv("HOME", home, 1);
	sb_init(&problems);
	s = load_settings_text("settings-full.cfg",
			       "database = \"~/incidents/warroom.db\";\n"
			       "display_name = \"Dana Okafor (IC)\";\n"
			       "cadence = (\n"
			       "  { severity = \"sev1\"; update_due_minutes = 20; update_limit_minutes = 45; },\n"
			       "  { severity = \"sev2\"; update_due_minutes = 60; update_limit_minutes = 90; },\n"
			       "  { severity = \"sev0\"; update_limit_minutes = 50; }\n"
			       ");\n"
			       "publish_command = [\"/usr/local/bin/post-status\", \"--channel\", \"incidents\"];\n"
			       "observers_group = \"warroom-observers\";\n"
			       "restricted_group = \"warroom-security\";\n",
			       &problems, &err, &path);
	ok(s != NULL, "full settings load");
	is_str(problems.data, "", "full settings have no problems");
	if (s) {
		is_str(s->path, path, "settings path");
		is_str(s->database, want_db, "database tilde expanded");
		is_str(s->display_name, "Dana Okafor (IC)", "display name");
		is_int(s->n_cadence, 3, "cadence overrides");
		is_int(s->cadence[2].update_due_minutes, -1, "unset due keeps playbook's");
		is_int(s->n_publish_command, 3, "publish argv length");
		is_str(s->publish_command[1], "--channel", "publish argv element");
		ok(s->publish_command[3] == NULL, "publish argv NULL-terminated");
		is_str(s->observers_group, "warroom-observers", "observers group");
		is_str(s->restricted_group, "warroom-security", "restricted group");
	}

	if (s) {
		struct playbook *pb = test_playbook();

		is_int(settings_apply_cadence(s, pb, &problems), 0, "cadence applies");
		is_int(playbook_severity(pb, "sev1")->update_due_minutes, 20, "sev1 due overridden");
		is_int(playbook_severity(pb, "sev1")->update_limit_minutes, 45, "sev1 limit overridden");
		is_int(playbook_severity(pb, "sev2")->update_due_minutes, 60, "sev2 gains a cadence");
		is_int(playbook_severity(pb, "sev0")->update_due_minutes, 30, "sev0 due kept");
		is_int(playbook_severity(pb, "sev0")->update_limit_minutes, 50, "sev0 limit overridden");
		is_int(playbook_severity(pb, "sev3")->update_due_minutes, 0, "sev3 untouched");
		is_str(problems.data, "", "cadence applies without problems");
		playbook_free(pb);
	}

	if (s) {
		unsetenv("WARROOM_ACTOR");
		settings_apply_actor(s);
		is_str(actor_name(), "Dana Okafor (IC)", "display name becomes actor");
		setenv("WARROOM_ACTOR", "script", 1);
		settings_apply_actor(s);
		is_str(actor_name(), "script", "WARROOM_ACTOR wins over display name");
		unsetenv("WARROOM_ACTOR");
	}

	settings_free(s);
	sb_free(&problems);
	free(path);
	free(want_db);
	free(home);
}

static void test_settings_bad_cadence(void)
{
	struct wr_error err = {0};
	struct strbuf problems;
	struct playbook *pb = test_playbook();
	struct settings *s;
	char *path, *expected;

	sb_init(&problems);
	s = load_settings_text("settings-cadence.cfg",
			       "# Overrides for a playbook without sev9.\n"
			       "cadence = (\n"
			       "  { severity = \"sev1\"; update_due_minutes = 20; },\n"
			       "  { severity = \"sev9\"; update_due_minutes = 20; },\n"
			       "  { severity = \"sev0\"; update_due_minutes = 90; }\n"
			       ");\n",
			       &problems, &err, &path);
	ok(s != NULL, "cadence settings load");
	if (!s)
		goto out;
	is_int(settings_apply_cadence(s, pb, &problems), -1, "bad cadence is rejected");
	expected = xasprintf("%1$s:4: cadence[1]: unknown severity \"sev9\"; known: sev0, sev1, sev2, sev3\n"
			     "%1$s:5: cadence[2]: update_limit_minutes (60) would be less than "
			     "update_due_minutes (90) for severity \"sev0\"\n", path);
	is_str(problems.data, expected, "bad cadence problems");
	is_int(playbook_severity(pb, "sev1")->update_due_minutes, 30, "bad cadence changes nothing");
	free(expected);
out:
	settings_free(s);
	playbook_free(pb);
	sb_free(&problems);
	free(path);
}

static void test_settings_problems(void)
{
	struct wr_error err = {0};
	struct strbuf problems;
	struct settings *s;
	char *path, *expected, *first_line;

	sb_init(&problems);
	s = load_settings_text("settings-bad.cfg",
			       "database = \"incidents/warroom.db\";\n"
			       "display_name = \"Dana\\x1b[31m\";\n"
			       "colour = \"red\";\n"
			       "cadence = (\n"
			       "  { severity = \"sev1\"; update_due_minutes = 20; },\n"
			       "  { severity = \"sev1\"; update_limit_minutes = 40; },\n"
			       "  { severity = \"sev2\"; }\n"
			       ");\n"
			       "publish_command = \"post-status --channel incidents\";\n"
			       "observers_group = \"\";\n",
			       &problems, &err, &path);
	ok(s == NULL, "bad settings fail");
	is_int(err.status, WR_BAD_INPUT, "bad settings status");
	expected = xasprintf("%1$s:3: unknown setting \"colour\"\n"
			     "%1$s:1: database: \"incidents/warroom.db\" is not an absolute path; "
			     "write a path that starts with / or ~/\n"
			     "%1$s:2: display_name: contains a control character (byte 0x1B)\n"
			     "%1$s:6: cadence[1]: second override for severity \"sev1\" (first at line 5)\n"
			     "%1$s:7: cadence[2]: sets neither update_due_minutes nor update_limit_minutes\n"
			     "%1$s:9: publish_command: expected an array of strings [\"...\", ...], "
			     "found a string\n"
			     "%1$s:10: observers_group: must not be empty\n", path);
	is_str(problems.data, expected, "bad settings problems");
	first_line = xstrndup(expected, strcspn(expected, "\n"));
	is_str(err.message, first_line, "bad settings first problem");
	free(first_line);
	free(expected);
	free(path);

	sb_free(&problems);
	sb_init(&problems);
	s = load_settings_text("settings-groups.cfg",
			       "observers_group = \"warroom\";\n"
			       "restricted_group = \"warroom\";\n",
			       &problems, &err, &path);
	ok(s == NULL, "same group for observers and restricted fails");
	expected = xasprintf("%s:2: restricted_group: \"warroom\" is also the observers_group, so"
			     " every observer could read restricted material; name a group of the"
			     " security responders only\n", path);
	is_str(problems.data, expected, "same group problem");
	free(expected);
	free(path);

	sb_free(&problems);
	sb_init(&problems);
	s = load_settings_text("settings-syntax.cfg", "database = \"/tmp/x.db\"\ncadence = (;\n",
			       &problems, &err, &path);
	ok(s == NULL, "settings syntax error fails");
	expected = xasprintf("%s:2: syntax error; look for a missing ';', '\"' or bracket on this"
			     " line or the one before\n", path);
	is_str(problems.data, expected, "settings syntax error line");
	free(expected);
	free(path);

	unsetenv("HOME");
	sb_free(&problems);
	sb_init(&problems);
	s = load_settings_text("settings-nohome.cfg", "database = \"~/w.db\";\n",
			       &problems, &err, &path);
	ok(s == NULL, "tilde without HOME fails");
	expected = xasprintf("%s:1: database: \"~/w.db\" starts with ~/ but HOME is not set; "
			     "write an absolute path\n", path);
	is_str(problems.data, expected, "tilde without HOME message");
	free(expected);
	free(path);
	sb_free(&problems);
}

static void check_settings_find(const char *explicit_path, const char *want, const char *name)
{
	struct wr_error err = {0};
	char *found = NULL;

	is_int(settings_find(explicit_path, &found, &err), 0, name);
	is_str(found, want, name);
	free(found);
}

static void test_settings_find(void)
{
	char *explicit_path = tmp_path("sfind/explicit.cfg");
	char *missing = tmp_path("sfind/missing.cfg");
	char *xdg = tmp_path("sfind/xdg");
	char *xdg_file = tmp_path("sfind/xdg/warroom/warroom.cfg");
	char *empty_dir = tmp_path("sfind/empty");
	struct wr_error err = {0};
	char *found = NULL;

	make_dirs(xdg_file);
	rmdir(xdg_file);
	make_dirs(empty_dir);
	write_file(explicit_path, "");
	write_file(xdg_file, "");
	clear_find_env();
	setenv("HOME", empty_dir, 1);

	check_settings_find(explicit_path, explicit_path, "settings explicit path");
	is_int(settings_find(missing, &found, &err), -1, "settings explicit missing");
	ok(strstr(err.message, missing) != NULL, "settings missing file named");
	is_int(err.status, WR_BAD_INPUT, "settings missing status");

	setenv("WARROOM_SETTINGS", explicit_path, 1);
	check_settings_find(NULL, explicit_path, "settings env path");
	setenv("WARROOM_SETTINGS", missing, 1);
	is_int(settings_find(NULL, &found, &err), -1, "settings env missing");
	ok(strstr(err.message, "WARROOM_SETTINGS names") != NULL, "settings env named");
	unsetenv("WARROOM_SETTINGS");

	setenv("XDG_CONFIG_HOME", xdg, 1);
	check_settings_find(NULL, xdg_file, "settings XDG config");
	setenv("XDG_CONFIG_HOME", empty_dir, 1);
	if (system_settings_exist())
		ok(1, "settings none found # SKIP a system-wide warroom.cfg is installed");
	else
		check_settings_find(NULL, NULL, "settings none found");

	clear_find_env();
	free(explicit_path);
	free(missing);
	free(xdg);
	free(xdg_file);
	free(empty_dir);
}

int main(void)
{
	struct playbook *pb = test_playbook();

	test_bundled_counts(pb);
	test_bundled_severities(pb);
	test_bundled_lookups(pb);
	playbook_free(pb);

	test_minimal();
	for (size_t i = 0; i < COUNT(broken_cases); i++)
		test_broken(&broken_cases[i]);
	test_missing_file();
	test_include();
	test_section_problem();
	test_find_order();

	test_settings_defaults();
	test_settings_full();
	test_settings_bad_cadence();
	test_settings_problems();
	test_settings_find();
	return tap_done();
}
