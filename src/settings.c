/*
 * Finding, loading and applying the settings file; see settings.h. The
 * fields are read with the playbook's checker, so problems in both files
 * read the same way.
 */
#include <errno.h>
#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lease.h"
#include "settings.h"

/* Returns nonzero when PATH exists. An unreadable path counts, so that loading names the reason. */
static int path_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 || (errno != ENOENT && errno != ENOTDIR);
}

int settings_find(const char *explicit_path, char **path, struct wr_error *err)
{
	const char *env = getenv("WARROOM_SETTINGS");
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	char *candidates[3] = {NULL, NULL, NULL};
	size_t n = 0;

	*path = NULL;
	if (explicit_path) {
		if (!path_exists(explicit_path))
			return error_set(err, WR_BAD_INPUT, "settings file %s not found: %s",
					 explicit_path, strerror(errno));
		*path = xstrdup(explicit_path);
		return 0;
	}
	if (env && *env) {
		if (!path_exists(env))
			return error_set(err, WR_BAD_INPUT, "WARROOM_SETTINGS names %s, which is not found "
					 "(%s); set it to a settings file or unset it", env, strerror(errno));
		*path = xstrdup(env);
		return 0;
	}

	/* The XDG base directory spec says to ignore a relative XDG_CONFIG_HOME. */
	if (xdg && xdg[0] == '/')
		candidates[n++] = xasprintf("%s/warroom/warroom.cfg", xdg);
	else if (home && *home)
		candidates[n++] = xasprintf("%s/.config/warroom/warroom.cfg", home);
	candidates[n++] = xstrdup(SYSCONFDIR "/warroom/warroom.cfg");
	if (strcmp(SYSCONFDIR, "/etc") != 0)
		candidates[n++] = xstrdup("/etc/warroom/warroom.cfg");

	for (size_t i = 0; i < n; i++) {
		if (!*path && path_exists(candidates[i]))
			*path = candidates[i];
		else
			free(candidates[i]);
	}
	return 0;
}

/* Reads the database path. "~/" expands to $HOME, and any other path must be absolute. */
static void read_database(struct pb_check *ck, const config_setting_t *root, struct settings *s)
{
	const char *value, *home = getenv("HOME");
	const config_setting_t *at;

	if (playbook_check_string(ck, root, "", "database", PB_NONEMPTY, &value) != 1)
		return;
	at = config_setting_get_member(root, "database");
	if (strncmp(value, "~/", 2) == 0) {
		if (!home || !*home) {
			playbook_check_problem(ck, at, "database: \"%s\" starts with ~/ but HOME is not set; "
					       "write an absolute path", value);
			return;
		}
		s->database = xasprintf("%s/%s", home, value + 2);
	} else if (value[0] == '/') {
		s->database = xstrdup(value);
	} else {
		playbook_check_problem(ck, at, "database: \"%s\" is not an absolute path; "
				       "write a path that starts with / or ~/", value);
	}
}

static void read_display_name(struct pb_check *ck, const config_setting_t *root, struct settings *s)
{
	const char *value;

	if (playbook_check_string(ck, root, "", "display_name", PB_NONEMPTY, &value) != 1)
		return;
	for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
		if (*p < 0x20 || *p == 0x7F) {
			playbook_check_problem(ck, config_setting_get_member(root, "display_name"),
					       "display_name: contains a control character (byte 0x%02X)", *p);
			return;
		}
	}
	s->display_name = xstrdup(value);
}

/*
 * Reads the commander lease's timing. The stale limit must be at least twice
 * the heartbeat interval, so that one late heartbeat does not make a live
 * commander's lease stale.
 */
static void read_lease_timing(struct pb_check *ck, const config_setting_t *root, struct settings *s)
{
	int heartbeat = s->lease_heartbeat_seconds, stale = s->lease_stale_seconds;
	int has_heartbeat, has_stale;

	has_heartbeat = playbook_check_int(ck, root, "", "lease_heartbeat_seconds", 0, 1, &heartbeat);
	has_stale = playbook_check_int(ck, root, "", "lease_stale_seconds", 0, 1, &stale);
	if (has_heartbeat < 0 || has_stale < 0)
		return;
	if (stale < 2 * heartbeat) {
		playbook_check_problem(ck, config_setting_get_member(root, has_stale ?
							"lease_stale_seconds" : "lease_heartbeat_seconds"),
				       "lease_stale_seconds (%d) is less than twice lease_heartbeat_seconds "
				       "(%d); one late heartbeat would make a live commander's lease stale",
				       stale, heartbeat);
		return;
	}
	s->lease_heartbeat_seconds = heartbeat;
	s->lease_stale_seconds = stale;
}

static void read_group_name(struct pb_check *ck, const config_setting_t *root, const char *name,
			    char **out)
{
	const char *value;

	if (playbook_check_string(ck, root, "", name, PB_NONEMPTY, &value) == 1)
		*out = xstrdup(value);
}

/* Reads one { severity; update_due_minutes; update_limit_minutes; } override. */
static int read_cadence_entry(struct pb_check *ck, const config_setting_t *group, const char *where,
			      struct settings_cadence *entry)
{
	static const char *const fields[] = {
		"severity", "update_due_minutes", "update_limit_minutes", NULL,
	};
	const char *severity;
	int has_due, has_limit, bad = 0;

	playbook_check_fields(ck, group, where, fields);
	entry->update_due_minutes = -1;
	entry->update_limit_minutes = -1;
	if (playbook_check_string(ck, group, where, "severity", PB_REQUIRED | PB_NONEMPTY,
				  &severity) != 1)
		bad = 1;
	has_due = playbook_check_int(ck, group, where, "update_due_minutes", 0, 0,
				     &entry->update_due_minutes);
	has_limit = playbook_check_int(ck, group, where, "update_limit_minutes", 0, 0,
				       &entry->update_limit_minutes);
	if (has_due < 0 || has_limit < 0)
		bad = 1;
	else if (has_due == 0 && has_limit == 0) {
		playbook_check_problem(ck, group, "%s: sets neither update_due_minutes nor "
				       "update_limit_minutes", where);
		bad = 1;
	}
	if (bad)
		return -1;

	entry->severity = xstrdup(severity);
	entry->file = playbook_check_source(ck, group);
	entry->line = config_setting_source_line(group);
	return 0;
}

static void read_cadence(struct pb_check *ck, const config_setting_t *root, struct settings *s)
{
	const config_setting_t *list = config_setting_get_member(root, "cadence");
	int length;

	if (!list)
		return;
	if (config_setting_type(list) != CONFIG_TYPE_LIST &&
	    !(config_setting_type(list) == CONFIG_TYPE_ARRAY && config_setting_length(list) == 0)) {
		playbook_check_problem(ck, list, "cadence: expected a list of groups ( { ... }, ... ), "
				       "found %s", playbook_setting_kind(list));
		return;
	}
	length = config_setting_length(list);
	s->cadence = xcalloc((size_t)length, sizeof *s->cadence);
	for (int i = 0; i < length; i++) {
		const config_setting_t *group = config_setting_get_elem(list, (unsigned)i);
		struct settings_cadence *entry = &s->cadence[s->n_cadence];
		char where[32];

		snprintf(where, sizeof where, "cadence[%d]", i);
		if (config_setting_type(group) != CONFIG_TYPE_GROUP) {
			playbook_check_problem(ck, group, "%s: expected a group { ... }, found %s",
					       where, playbook_setting_kind(group));
			continue;
		}
		if (read_cadence_entry(ck, group, where, entry) != 0)
			continue;
		for (size_t k = 0; k < s->n_cadence; k++) {
			if (strcmp(s->cadence[k].severity, entry->severity) == 0) {
				playbook_check_problem(ck, config_setting_get_member(group, "severity"),
						       "%s: second override for severity \"%s\" "
						       "(first at line %u)", where, entry->severity,
						       s->cadence[k].line);
				break;
			}
		}
		s->n_cadence++;
	}
}

struct settings *settings_load(const char *explicit_path, struct strbuf *problems,
			       struct wr_error *err)
{
	static const char *const fields[] = {
		"database", "display_name", "cadence", "publish_command", "observers_group",
		"restricted_group", "lease_heartbeat_seconds", "lease_stale_seconds", NULL,
	};
	const config_setting_t *root;
	struct strbuf scratch;
	struct pb_check ck;
	struct settings *s;
	config_t config;
	char *path;

	if (settings_find(explicit_path, &path, err) != 0)
		return NULL;
	s = xcalloc(1, sizeof *s);
	s->lease_heartbeat_seconds = LEASE_HEARTBEAT_SECONDS;
	s->lease_stale_seconds = LEASE_STALE_SECONDS;
	if (!path)
		return s;

	s->path = path;
	sb_init(&scratch);
	playbook_check_init(&ck, s->path, problems ? problems : &scratch);
	config_init(&config);
	if (playbook_check_read(&ck, &config, path) == 0) {
		root = config_root_setting(&config);
		playbook_check_fields(&ck, root, "", fields);
		read_database(&ck, root, s);
		read_display_name(&ck, root, s);
		read_cadence(&ck, root, s);
		playbook_check_strings(&ck, root, "", "publish_command", PB_NONEMPTY,
				       &s->publish_command, &s->n_publish_command);
		read_group_name(&ck, root, "observers_group", &s->observers_group);
		read_group_name(&ck, root, "restricted_group", &s->restricted_group);
		/* One group for both would let every observer read the restricted file. */
		if (s->observers_group && s->restricted_group &&
		    strcmp(s->observers_group, s->restricted_group) == 0)
			playbook_check_problem(&ck, config_setting_get_member(root, "restricted_group"),
					       "restricted_group: \"%s\" is also the observers_group, so"
					       " every observer could read restricted material; name a group"
					       " of the security responders only", s->restricted_group);
		read_lease_timing(&ck, root, s);
	}
	config_destroy(&config);
	sb_free(&scratch);

	if (ck.count > 0) {
		error_set(err, WR_BAD_INPUT, "%s", ck.first);
		settings_free(s);
		return NULL;
	}
	return s;
}

void settings_free(struct settings *s)
{
	if (!s)
		return;
	free(s->path);
	free(s->database);
	free(s->display_name);
	for (size_t i = 0; i < s->n_cadence; i++) {
		free(s->cadence[i].severity);
		free(s->cadence[i].file);
	}
	free(s->cadence);
	playbook_free_strings(s->publish_command, s->n_publish_command);
	free(s->observers_group);
	free(s->restricted_group);
	free(s);
}

/* Appends "FILE:LINE: cadence[INDEX]: MESSAGE" for a cadence override to PROBLEMS. */
static void cadence_problem(struct strbuf *problems, const struct settings_cadence *entry,
			    size_t index, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void cadence_problem(struct strbuf *problems, const struct settings_cadence *entry,
			    size_t index, const char *fmt, ...)
{
	va_list ap;

	if (!problems)
		return;
	sb_addf(problems, "%s:%u: cadence[%zu]: ", entry->file, entry->line, index);
	va_start(ap, fmt);
	sb_vaddf(problems, fmt, ap);
	va_end(ap);
	sb_addc(problems, '\n');
}

/* Returns the index of severity ID in PB, or -1. */
static int severity_index(const struct playbook *pb, const char *id)
{
	for (size_t i = 0; i < pb->n_severities; i++)
		if (strcmp(pb->severities[i].id, id) == 0)
			return (int)i;
	return -1;
}

/*
 * Sets *DUE and *LIMIT to the cadence of override INDEX's severity once it
 * is applied. Returns the severity's index, or -1 after reporting a problem.
 */
static int cadence_result(const struct settings *s, size_t index, const struct playbook *pb,
			  int *due, int *limit, struct strbuf *problems)
{
	const struct settings_cadence *entry = &s->cadence[index];
	int found = severity_index(pb, entry->severity);
	const struct pb_severity *sev;

	if (found < 0) {
		struct strbuf known;

		sb_init(&known);
		for (size_t i = 0; i < pb->n_severities; i++)
			sb_addf(&known, "%s%s", i ? ", " : "", pb->severities[i].id);
		cadence_problem(problems, entry, index, "unknown severity \"%s\"; known: %s",
				entry->severity, known.data);
		sb_free(&known);
		return -1;
	}
	sev = &pb->severities[found];
	*due = entry->update_due_minutes >= 0 ? entry->update_due_minutes : sev->update_due_minutes;
	*limit = entry->update_limit_minutes >= 0 ? entry->update_limit_minutes
						  : sev->update_limit_minutes;
	if (*limit < *due) {
		cadence_problem(problems, entry, index, "update_limit_minutes (%d) would be less than "
				"update_due_minutes (%d) for severity \"%s\"", *limit, *due, entry->severity);
		return -1;
	}
	if (*due == 0 && *limit > 0) {
		cadence_problem(problems, entry, index, "update_limit_minutes (%d) without "
				"update_due_minutes for severity \"%s\": set both, or both to 0 for no "
				"cadence", *limit, entry->severity);
		return -1;
	}
	return found;
}

int settings_apply_cadence(const struct settings *s, struct playbook *pb, struct strbuf *problems)
{
	int due, limit, bad = 0;

	/* Every override is checked before any is applied, so a bad one changes nothing. */
	for (size_t i = 0; i < s->n_cadence; i++)
		if (cadence_result(s, i, pb, &due, &limit, problems) < 0)
			bad = 1;
	if (bad)
		return -1;

	for (size_t i = 0; i < s->n_cadence; i++) {
		int found = cadence_result(s, i, pb, &due, &limit, NULL);

		pb->severities[found].update_due_minutes = due;
		pb->severities[found].update_limit_minutes = limit;
	}
	return 0;
}

void settings_apply_actor(const struct settings *s)
{
	if (s && s->display_name)
		setenv("WARROOM_ACTOR", s->display_name, 0);
}
