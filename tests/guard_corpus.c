/*
 * Runs the guardrails over a tab-separated corpus for tests/guard/score.py.
 * Reads rows "ID<TAB>...TEXT..." on standard input (a first line starting
 * with "update_id" is a header and skipped) and prints "ID<TAB>RULE,RULE"
 * per row: the ids of the rules that found something, each once, in the
 * order of their first finding. The context is an update with no incident.
 *
 * usage: guard_corpus [--playbook FILE] [--audience ID] [--column N] [--findings]
 *   --column    the 1-based column that contains the text (default 2)
 *   --findings  also print each finding: rule, level, line:column and the matched text
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guard.h"
#include "playbook.h"
#include "testlib.h"
#include "util.h"

/* Returns column N (1-based) of the tab-separated LINE, cut in place, or NULL. */
static char *column_of(char *line, int n)
{
	char *field = line;

	for (int i = 1; i < n; i++) {
		field = strchr(field, '\t');
		if (!field)
			return NULL;
		field++;
	}
	field[strcspn(field, "\t")] = '\0';
	return field;
}

static void print_rules(const char *id, const struct guard_finding *findings, size_t n)
{
	printf("%s\t", id);
	for (size_t i = 0, printed = 0; i < n; i++) {
		int seen = 0;

		for (size_t j = 0; j < i; j++)
			seen |= strcmp(findings[j].rule_id, findings[i].rule_id) == 0;
		if (seen)
			continue;
		printf("%s%s", printed++ ? "," : "", findings[i].rule_id);
	}
	putchar('\n');
}

static void print_findings(const struct guard_finding *findings, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("  %s %s %d:%d \"%s\"\n", findings[i].rule_id, guard_level_name(findings[i].level),
		       findings[i].line, findings[i].column, findings[i].excerpt);
}

int main(int argc, char **argv)
{
	const char *playbook_path = NULL, *audience = "cs";
	int column = 2, show_findings = 0;
	struct guard_context ctx = {0};
	struct strbuf problems;
	struct wr_error err = {0};
	struct playbook *pb;
	struct guard *g;
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	long row = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--playbook") == 0 && i + 1 < argc) {
			playbook_path = argv[++i];
		} else if (strcmp(argv[i], "--audience") == 0 && i + 1 < argc) {
			audience = argv[++i];
		} else if (strcmp(argv[i], "--column") == 0 && i + 1 < argc) {
			column = atoi(argv[++i]);
		} else if (strcmp(argv[i], "--findings") == 0) {
			show_findings = 1;
		} else {
			fprintf(stderr, "usage: guard_corpus [--playbook FILE] [--audience ID] [--column N] "
				"[--findings]\n");
			return 2;
		}
	}
	if (column < 2) {
		fprintf(stderr, "guard_corpus: --column must be 2 or more; column 1 is the row id\n");
		return 2;
	}

	sb_init(&problems);
	pb = playbook_load(playbook_path ? playbook_path : test_path("data/playbook.cfg"), &problems, &err);
	if (!pb) {
		fprintf(stderr, "guard_corpus: %s\n", problems.len ? problems.data : err.message);
		return 2;
	}
	g = guard_load(pb, &problems, &err);
	if (!g) {
		fprintf(stderr, "guard_corpus: %s", problems.data);
		return 2;
	}
	ctx.audience = audience;

	while ((got = getline(&line, &cap, stdin)) > 0) {
		struct guard_finding *findings;
		size_t n;
		char *text;

		line[strcspn(line, "\r\n")] = '\0';
		if (row++ == 0 && strncmp(line, "update_id\t", 10) == 0)
			continue;
		text = column_of(line, column);
		line[strcspn(line, "\t")] = '\0';
		if (!text) {
			fprintf(stderr, "guard_corpus: line %ld has no column %d\n", row, column);
			return 2;
		}
		if (guard_check(g, text, &ctx, &findings, &n) != 0) {
			fprintf(stderr, "guard_corpus: guard_check failed on line %ld\n", row);
			return 2;
		}
		print_rules(line, findings, n);
		if (show_findings)
			print_findings(findings, n);
		guard_findings_free(findings, n);
	}

	free(line);
	guard_free(g);
	playbook_free(pb);
	sb_free(&problems);
	return 0;
}
