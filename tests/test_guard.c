/*
 * Unit tests for the status-update guardrails. Each rule of the bundled
 * playbook runs on a clear example and a near miss, with positions in
 * characters. Further tests cover the checks that use the incident's state
 * and the audience, and the validation of the guardrails section with the
 * line of each problem.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guard.h"
#include "playbook.h"
#include "tap.h"
#include "testlib.h"
#include "util.h"

static struct guard *bundled;

/* Checks TEXT for AUDIENCE with no incident; the caller frees the findings. */
static struct guard_finding *check_ctx(const char *text, const struct guard_context *ctx, size_t *n)
{
	struct guard_finding *findings = NULL;

	if (guard_check(bundled, text, ctx, &findings, n) != 0) {
		printf("# guard_check failed on \"%s\"\n", text);
		*n = 0;
	}
	return findings;
}

static struct guard_finding *check_for(const char *text, const char *audience, size_t *n)
{
	struct guard_context ctx = {.audience = audience};

	return check_ctx(text, &ctx, n);
}

static const struct guard_finding *find_rule(const struct guard_finding *findings, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(findings[i].rule_id, id) == 0)
			return &findings[i];
	return NULL;
}

static size_t count_rule(const struct guard_finding *findings, size_t n, const char *id)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i++)
		count += strcmp(findings[i].rule_id, id) == 0;
	return count;
}

/* Returns nonzero when rule ID finds something in TEXT for AUDIENCE. */
static int flags(const char *text, const char *audience, const char *id)
{
	size_t n;
	struct guard_finding *findings = check_for(text, audience, &n);
	int found = find_rule(findings, n, id) != NULL;

	guard_findings_free(findings, n);
	return found;
}

/* Returns the level rule ID reports TEXT at for CTX, or GUARD_OFF when it finds nothing. */
static int level_in(const char *text, const struct guard_context *ctx, const char *id)
{
	size_t n;
	struct guard_finding *findings = check_ctx(text, ctx, &n);
	const struct guard_finding *f = find_rule(findings, n, id);
	int level = f ? f->level : GUARD_OFF;

	guard_findings_free(findings, n);
	return level;
}

static void test_bundled_loads(void)
{
	ok(bundled != NULL, "bundled guardrails load");
	is_int(guard_rule_count(bundled), 10, "bundled has ten rules");
	is_str(guard_rule_id(bundled, 0), "fix-time-promise", "first rule id");
	is_int(guard_rule_level(bundled, 0, "incident"), GUARD_WARNING, "per-audience level");
	is_int(guard_rule_level(bundled, 0, "cs"), GUARD_ERROR, "default level");
	is_int(guard_check(bundled, NULL, NULL, NULL, NULL), -1, "check rejects NULL");
}

static void test_fix_time_promise(void)
{
	const char *text = "Card payments are failing.\nService should be back shortly.";
	size_t n;
	struct guard_finding *findings = check_for(text, "cs", &n);
	const struct guard_finding *f = find_rule(findings, n, "fix-time-promise");

	ok(f != NULL, "promise: back shortly found");
	if (f) {
		is_int(f->line, 2, "promise: line");
		is_int(f->column, 9, "promise: column");
		is_int(f->offset, 35, "promise: offset");
		is_str(f->excerpt, "should be back shortly", "promise: excerpt");
		is_int(f->level, GUARD_ERROR, "promise: error for cs");
	}
	guard_findings_free(findings, n);

	ok(flags("We expect to be back in 15 minutes.", "cs", "fix-time-promise"), "promise: expect back in");
	ok(flags("Hotfix is underway, ETA 1h.", "cs", "fix-time-promise"), "promise: ETA");
	ok(flags("Expected downtime: 10 minutes.", "cs", "fix-time-promise"), "promise: downtime");
	ok(flags("This won't happen again.", "cs", "fix-time-promise"), "promise: never again");
	ok(!flags("We will share the next update in 30 minutes.", "cs", "fix-time-promise"),
	   "promise: next update in 30 minutes");
	ok(!flags("Next update in 1 hour.", "cs", "fix-time-promise"), "promise: next update in 1 hour");
	ok(!flags("We will provide an update within 30 minutes.", "cs", "fix-time-promise"),
	   "promise: update within 30 minutes");
	ok(!flags("We are working to restore service as soon as possible.", "cs", "fix-time-promise"),
	   "promise: as soon as possible");
	ok(!flags("We do not have an ETA yet.", "cs", "fix-time-promise"), "promise: no ETA yet");
	ok(!flags("Some payments failed over the past 30 minutes.", "cs", "fix-time-promise"),
	   "promise: past 30 minutes");
	ok(!flags("The beta is open.", "cs", "fix-time-promise"), "promise: ETA inside a word");
}

/* An allowed phrase hides only itself: a promise in the same sentence is still found. */
static void test_allow_masks_only_itself(void)
{
	const char *text = "We will post an update in 30 minutes and expect to be back in 2 hours.";
	size_t n;
	struct guard_finding *findings = check_for(text, "cs", &n);
	const struct guard_finding *f = find_rule(findings, n, "fix-time-promise");

	ok(f != NULL, "allow: later promise found");
	if (f)
		ok(strstr(f->excerpt, "update") == NULL, "allow: finding skips the allowed text");
	is_int(count_rule(findings, n, "fix-time-promise"), 1, "allow: one promise");
	guard_findings_free(findings, n);
}

static void test_utf8_column(void)
{
	/* "é" takes 2 bytes and "—" 3, but each is one column. */
	const char *text = "Status: investigating.\nCafé card payments — ETA 1h";
	size_t n;
	struct guard_finding *findings = check_for(text, "cs", &n);
	const struct guard_finding *f = find_rule(findings, n, "fix-time-promise");

	ok(f != NULL, "utf8: ETA found");
	if (f) {
		is_int(f->line, 2, "utf8: line");
		is_int(f->column, 22, "utf8: character column");
		is_int(f->offset, 23 + 24, "utf8: byte offset");
		is_str(f->excerpt, "ETA", "utf8: excerpt");
	}
	guard_findings_free(findings, n);
}

static void test_resolution_claim(void)
{
	const char *text = "The issue has been resolved.";
	struct guard_context open = {.audience = "cs", .has_incident = 1};
	struct guard_context validated = {.audience = "cs", .has_incident = 1, .validations_done = 1};
	struct guard_context none = {.audience = "cs"};

	is_int(level_in(text, &open, "resolution-claim"), GUARD_ERROR, "resolved: error before validations");
	is_int(level_in(text, &none, "resolution-claim"), GUARD_WARNING, "resolved: warning without incident");
	is_int(level_in(text, &validated, "resolution-claim"), GUARD_OFF, "resolved: nothing once validated");
	is_int(level_in("We are working to resolve the issue.", &open, "resolution-claim"), GUARD_OFF,
	       "resolved: working to resolve");
	is_int(level_in("We will update once service is restored.", &open, "resolution-claim"), GUARD_OFF,
	       "resolved: once restored");
}

static void test_vendor_blame(void)
{
	const char *text = "The outage was caused by a failure at our card processor.";
	struct guard_context plain = {.audience = "cs"};
	struct guard_context approved = {.audience = "cs", .vendor_approved = 1};

	is_int(level_in(text, &plain, "vendor-blame"), GUARD_ERROR, "vendor: blame found");
	is_int(level_in(text, &approved, "vendor-blame"), GUARD_OFF, "vendor: approval suppresses");
	ok(flags("Payments fail due to an AWS outage.", "cs", "vendor-blame"), "vendor: named vendor");
	ok(flags("Our CDN provider Akamai broke the config.", "cs", "vendor-blame"), "vendor: provider broke");
	ok(flags("Our vendor is to blame.", "cs", "vendor-blame"), "vendor: is to blame");
	ok(flags("We see packet loss upstream.", "cs", "vendor-blame"), "vendor: upstream");
	ok(!flags("We are working with our card processor to restore service.", "cs", "vendor-blame"),
	   "vendor: working with, no blame");
	ok(!flags("Microsoft Teams notifications are delayed.", "cs", "vendor-blame"), "vendor: product name");
	is_int(level_in(text, &(struct guard_context){.audience = "incident"}, "vendor-blame"), GUARD_OFF,
	       "vendor: off in incident channel");
}

static void test_internal_detail(void)
{
	const char *names[] = {"ledger-sync"};
	struct guard_context ctx = {.audience = "cs", .internal_names = names, .n_internal_names = 1};
	size_t n;
	struct guard_finding *findings;
	const struct guard_finding *f;

	ok(flags("Errors come from db01.payments.internal.", "cs", "internal-detail"), "internal: .internal host");
	ok(flags("Traffic to 10.20.30.40 is dropped.", "cs", "internal-detail"), "internal: IPv4");
	ok(flags("Traffic to 2001:db8::1 is dropped.", "cs", "internal-detail"), "internal: IPv6");
	ok(flags("The card scheme switch is not responding.", "cs", "internal-detail"), "internal: playbook name");
	ok(flags("One of our file servers failed over.", "cs", "internal-detail"), "internal: infrastructure");
	ok(flags("High load on our MySQL primary.", "cs", "internal-detail"), "internal: product name");
	ok(!flags("Version 1.2.3 of the app is affected.", "cs", "internal-detail"), "internal: version number");
	ok(!flags("Failures started at 14:05:30 UTC.", "cs", "internal-detail"), "internal: time is no IPv6");
	ok(!flags("Address 999.1.1.1 is not an IP.", "cs", "internal-detail"), "internal: invalid IPv4");
	ok(!flags("Some customers cannot log in.", "cs", "internal-detail"), "internal: plain text");
	ok(!flags("The database is fine.", "incident", "internal-detail"), "internal: off in incident channel");

	findings = check_ctx("Ledger-Sync jobs are delayed.", &ctx, &n);
	f = find_rule(findings, n, "internal-detail");
	ok(f != NULL, "internal: incident service name");
	if (f)
		is_str(f->excerpt, "Ledger-Sync", "internal: name excerpt");
	guard_findings_free(findings, n);
	ok(!flags("Ledger-Sync jobs are delayed.", "cs", "internal-detail"), "internal: name only from context");

	{
		const char *services[] = {"mobile banking"};
		struct guard_context product_ctx = {.audience = "cs", .internal_names = services,
						    .n_internal_names = 1,
						    .product = "Online and mobile banking"};

		findings = check_ctx("Some customers cannot use mobile banking.", &product_ctx, &n);
		ok(find_rule(findings, n, "internal-detail") == NULL, "internal: name inside product is public");
		guard_findings_free(findings, n);
		product_ctx.product = "Card payments";
		findings = check_ctx("Some customers cannot use mobile banking.", &product_ctx, &n);
		ok(find_rule(findings, n, "internal-detail") != NULL, "internal: name outside product flagged");
		guard_findings_free(findings, n);
	}
}

static void test_security_detail(void)
{
	const char *text = "An attacker used stolen credentials.";
	size_t n;
	struct guard_finding *findings = check_for(text, "cs", &n);

	is_int(count_rule(findings, n, "security-detail"), 2, "security: attacker and credentials");
	guard_findings_free(findings, n);
	ok(flags("We are mitigating a DDoS attack.", "marketing", "security-detail"), "security: DDoS");
	ok(flags("Patch for CVE-2024-12345 applied.", "cs", "security-detail"), "security: CVE id");
	ok(!flags(text, "incident", "security-detail"), "security: off in incident channel");
	ok(!flags(text, "management", "security-detail"), "security: off for management");
	ok(!flags("We are attacking the backlog.", "cs", "security-detail"), "security: attacking");
}

static void test_personal_data(void)
{
	ok(flags("Card 4111 1111 1111 1111 was declined.", "cs", "personal-data"), "card: Luhn valid");
	ok(!flags("Card 4111 1111 1111 1112 was declined.", "cs", "personal-data"), "card: Luhn invalid");
	ok(flags("Refund to 4111-1111-1111-1111 sent.", "cs", "personal-data"), "card: dashes");
	ok(flags("IBAN GB82 WEST 1234 5698 7654 32 affected.", "cs", "personal-data"), "iban: valid");
	ok(!flags("IBAN GB82 WEST 1234 5698 7654 33 affected.", "cs", "personal-data"), "iban: invalid");
	ok(flags("The payment for account 12345678 failed.", "cs", "personal-data"), "account: number");
	ok(flags("Check sort code 12-34-56 first.", "cs", "personal-data"), "account: sort code");
	ok(!flags("Some account holders cannot log in.", "cs", "personal-data"), "account: plain word");
	ok(flags("Customer jane.doe@example.com reported it.", "cs", "personal-data"), "email: personal");
	ok(!flags("Write to support@bank.example for help.", "cs", "personal-data"), "email: role mailbox");
	ok(flags("Customer on +44 20 7946 0958 reported it.", "cs", "personal-data"), "phone: international");
	ok(!flags("Failures from 2024-05-28 onwards.", "cs", "personal-data"), "phone: a date is not one");
}

static void test_root_cause_jargon_speculation(void)
{
	const char *cause = "The outage was caused by a faulty deploy.";
	struct guard_context marketing = {.audience = "marketing"};
	struct guard_context approved = {.audience = "marketing", .root_cause_approved = 1};

	is_int(level_in(cause, &marketing, "root-cause"), GUARD_ERROR, "root cause: marketing");
	is_int(level_in(cause, &approved, "root-cause"), GUARD_OFF, "root cause: approved");
	ok(!flags(cause, "cs", "root-cause"), "root cause: not for cs");
	ok(flags("Elevated latency and 5xx errors.", "cs", "jargon"), "jargon: cs");
	ok(!flags("Elevated latency and 5xx errors.", "management", "jargon"), "jargon: not management");
	ok(!flags("Some card payments are slow.", "cs", "jargon"), "jargon: plain words");
	ok(flags("We believe the cause is a network fault.", "cs", "speculation"), "speculation: believe");
	ok(!flags("We believe the cause is a network fault.", "incident", "speculation"),
	   "speculation: off in incident channel");
	ok(!flags("The cause is confirmed.", "cs", "speculation"), "speculation: confirmed");
}

static void test_missing_element(void)
{
	size_t n;
	struct guard_finding *findings = check_for("We are investigating.", "cs", &n);
	const struct guard_finding *f;

	is_int(count_rule(findings, n, "missing-element"), 3, "missing: three facts");
	f = find_rule(findings, n, "missing-element");
	if (f) {
		is_int(f->length, 0, "missing: no span");
		is_int(f->level, GUARD_WARNING, "missing: warning");
	}
	ok(n >= 3 && strstr(findings[0].message, "what is impacted") != NULL, "missing: names what");
	ok(n >= 3 && strstr(findings[1].message, "who is impacted") != NULL, "missing: names who");
	ok(n >= 3 && strstr(findings[2].message, "since when") != NULL, "missing: names since");
	guard_findings_free(findings, n);

	findings = check_for("Card payments fail for some customers.", "cs", &n);
	is_int(count_rule(findings, n, "missing-element"), 2, "missing: since and status");
	f = find_rule(findings, n, "missing-element");
	ok(f && strstr(f->message, "since when") != NULL, "missing: since first");
	guard_findings_free(findings, n);

	findings = check_for("Card payments are failing for some customers since about 14:05. "
			     "We are investigating.", "cs", &n);
	is_int(count_rule(findings, n, "missing-element"), 0, "missing: complete update");
	guard_findings_free(findings, n);

	ok(!flags("We are investigating.", "marketing", "missing-element"), "missing: only for cs");
}

static void test_sorted_and_counted(void)
{
	const char *text = "Our database failed. Back shortly. An attacker is involved.";
	size_t n;
	struct guard_finding *findings = check_for(text, "cs", &n);
	int sorted = 1;

	for (size_t i = 1; i < n; i++)
		sorted &= findings[i - 1].offset <= findings[i].offset;
	ok(sorted, "findings sorted by offset");
	is_int(guard_count_errors(findings, n), 3, "three errors");
	guard_findings_free(findings, n);
}

/* ---- validation of the section ---- */

static const char base_playbook[] =
	"name = \"Guard test\";\n"
	"version = \"1\";\n"
	"categories = ( { id = \"outage\"; label = \"Outage\"; } );\n"
	"scopes = ( { id = \"global\"; label = \"Global\"; } );\n"
	"severities = ( { id = \"sev0\"; label = \"Sev 0\"; priority = \"P0\"; meaning = \"Worst\";\n"
	"  update_due_minutes = 30; update_limit_minutes = 60; } );\n"
	"steps = ( { id = \"classify\"; number = 1; title = \"Classify\"; purpose = \"Name it.\"; } );\n"
	"audiences = (\n"
	"  { id = \"cs\"; label = \"CS\"; receives = \"Updates\"; template = \"{what}\";\n"
	"    elements = [\"what\"]; },\n"
	"  { id = \"incident\"; label = \"Incident\"; receives = \"All\"; template = \"{what}\";\n"
	"    incident_channel = true; }\n"
	");\n";

/* Returns the 1-based line of the first occurrence of NEEDLE in TEXT, or 0. */
static int line_of(const char *text, const char *needle)
{
	const char *at = strstr(text, needle);
	int line = 1;

	if (!at)
		return 0;
	for (const char *p = text; p < at; p++)
		line += *p == '\n';
	return line;
}

/* Writes BASE plus GUARDRAILS to a file, loads it and the guard; returns the problems text. */
static char *load_problems(const char *name, const char *guardrails, char **path_out, char **text_out)
{
	static int serial;
	struct strbuf problems;
	struct wr_error err = {0};
	struct playbook *pb;
	struct guard *g;
	char *path = xasprintf("%s/%s-%d.cfg", test_tmpdir(), name, ++serial);
	char *text = xasprintf("%s%s", base_playbook, guardrails);
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) == EOF || fclose(f) != 0) {
		printf("# cannot write %s\n", path);
		exit(99);
	}
	sb_init(&problems);
	pb = playbook_load(path, &problems, &err);
	if (!pb) {
		printf("# playbook %s does not load:\n%s", path, problems.data);
		exit(99);
	}
	g = guard_load(pb, &problems, &err);
	if (g) {
		guard_free(g);
	} else if (err.status != WR_BAD_INPUT) {
		printf("# guard_load failed with status %d: %s\n", err.status, err.message);
	}
	playbook_free(pb);
	*path_out = path;
	*text_out = text;
	return sb_take(&problems);
}

/* Checks that PROBLEMS contains "PATH:LINE: ..." with LINE that of NEEDLE in TEXT, and WORDS after it. */
static void problem_at(const char *problems, const char *path, const char *text, const char *needle,
		       const char *words, const char *name)
{
	char *prefix = xasprintf("%s:%d: ", path, line_of(text, needle));
	const char *at = strstr(problems, prefix);

	if (!ok(at != NULL && strstr(at, words) != NULL && strcspn(at, "\n") > strlen(prefix), name))
		printf("#   want \"%s...%s\" in:\n%s", prefix, words, problems);
	free(prefix);
}

static void test_validation(void)
{
	const char *section =
		"guardrails = (\n"
		"  { id = \"missing-element\"; message = \"Say it\"; level = \"warning\";\n"
		"    elements = ( { id = \"what\"; message = \"Say what\"; patterns = [\"broken\"]; } ); },\n"
		"  { id = \"one\"; message = \"One\";\n"
		"    level = \"fatal\";\n"
		"    patterns = [\"a\"]; },\n"
		"  { id = \"two\"; message = \"Two\"; level = \"error\";\n"
		"    levels = { nobody = \"error\"; };\n"
		"    patterns = [\"b\"]; },\n"
		"  { id = \"three\"; message = \"Three\"; level = \"error\";\n"
		"    patterns = [\"ok\", \"(unclosed\"]; },\n"
		"  { id = \"two\"; message = \"Again\"; level = \"error\"; patterns = [\"c\"]; },\n"
		"  { id = \"silent\"; level = \"error\"; patterns = [\"d\"]; },\n"
		"  { id = \"lists\"; message = \"Lists\"; level = \"error\";\n"
		"    patterns = [\"{nolist} down\"]; },\n"
		"  { id = \"typo\"; message = \"Typo\"; level = \"error\"; paterns = [\"e\"]; },\n"
		"  { id = \"checked\"; message = \"Checked\"; level = \"error\";\n"
		"    patterns = ( { pattern = \"[0-9]+\"; check = \"crc\"; } ); },\n"
		"  { id = \"empty\"; message = \"Empty\"; level = \"error\"; patterns = [\"x*\"]; }\n"
		");\n";
	char *path, *text;
	char *problems = load_problems("broken", section, &path, &text);

	problem_at(problems, path, text, "level = \"fatal\"", "unknown level \"fatal\"", "validate: unknown level");
	problem_at(problems, path, text, "nobody = ", "unknown audience \"nobody\"", "validate: unknown audience");
	problem_at(problems, path, text, "\"(unclosed\"", "does not compile", "validate: bad pattern");
	problem_at(problems, path, text, "{ id = \"two\"; message = \"Again\"", "duplicate rule id \"two\"",
		   "validate: duplicate id");
	problem_at(problems, path, text, "{ id = \"silent\"", "missing message", "validate: missing message");
	problem_at(problems, path, text, "\"{nolist} down\"", "no such word list", "validate: unknown list");
	problem_at(problems, path, text, "paterns", "unknown field \"paterns\"", "validate: unknown field");
	problem_at(problems, path, text, "check = \"crc\"", "unknown check \"crc\"", "validate: unknown check");
	problem_at(problems, path, text, "\"x*\"", "matches empty text", "validate: empty match");
	free(problems);
	free(path);
	free(text);
}

static void test_validation_regcomp_size(void)
{
	const char *section =
		"guardrails = (\n"
		"  { id = \"missing-element\"; message = \"Say it\"; level = \"warning\";\n"
		"    elements = ( { id = \"what\"; message = \"Say what\"; patterns = [\"fail\"]; } ); },\n"
		"  { id = \"stacked\"; message = \"Stacked\"; level = \"error\";\n"
		"    patterns = [\"wo++rking\"]; },\n"
		"  { id = \"nested\"; message = \"Nested\"; level = \"error\";\n"
		"    define = { pair = \"((ab|cd){100}){100}\"; };\n"
		"    patterns = [\"x{pair}{100}y\"]; },\n"
		"  { id = \"counted\"; message = \"Counted\"; level = \"error\";\n"
		"    patterns = [\"[^.]{0,50}(a|b){2,3}\", \"[0-9]+\\\\+[{]1,2}\"]; }\n"
		");\n";
	char *path, *text;
	char *problems = load_problems("regcomp", section, &path, &text);

	problem_at(problems, path, text, "\"wo++rking\"", "quantifier right after another",
		   "validate: stacked quantifiers");
	problem_at(problems, path, text, "\"x{pair}{100}y\"", "is too large",
		   "validate: nested repetitions");
	ok(strstr(problems, "(counted)") == NULL, "validate: small repetitions pass");
	free(problems);
	free(path);
	free(text);
}

static void test_validation_elements(void)
{
	const char *section =
		"guardrails = (\n"
		"  { id = \"jargon\"; message = \"Plain words\"; level = \"warning\"; patterns = [\"latency\"]; }\n"
		");\n";
	char *path, *text;
	char *problems = load_problems("elements", section, &path, &text);

	problem_at(problems, path, text, "guardrails = (", "requires the impact fact \"what\"",
		   "validate: element without heuristic");
	free(problems);
	free(path);
	free(text);

	problems = load_problems("valid",
				 "guardrails = (\n"
				 "  { id = \"missing-element\"; message = \"Say it\"; level = \"warning\";\n"
				 "    elements = ( { id = \"what\"; message = \"Say what\"; patterns = [\"fail\"]; } ); }\n"
				 ");\n", &path, &text);
	is_str(problems, "", "validate: valid section has no problems");
	free(problems);
	free(path);
	free(text);
}

int main(void)
{
	struct playbook *pb = test_playbook();
	struct strbuf problems;
	struct wr_error err = {0};

	sb_init(&problems);
	bundled = guard_load(pb, &problems, &err);
	if (!bundled) {
		printf("Bail out! bundled guardrails do not load:\n%s", problems.data);
		return 1;
	}

	test_bundled_loads();
	test_fix_time_promise();
	test_allow_masks_only_itself();
	test_utf8_column();
	test_resolution_claim();
	test_vendor_blame();
	test_internal_detail();
	test_security_detail();
	test_personal_data();
	test_root_cause_jargon_speculation();
	test_missing_element();
	test_sorted_and_counted();
	test_validation();
	test_validation_regcomp_size();
	test_validation_elements();

	guard_free(bundled);
	playbook_free(pb);
	sb_free(&problems);
	return tap_done();
}
