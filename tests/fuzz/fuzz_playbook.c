/*
 * Fuzz target for the playbook loaders: the input is read as a playbook with
 * playbook_load_string, and a playbook that loads is read again by
 * guard_load and brief_rules_load, whose guardrails then check a few status
 * updates for each of its audiences. A rejected playbook must come with at
 * least one problem line.
 */
#include <stdlib.h>
#include <string.h>

#include "brief_rules.h"
#include "fuzz.h"

static const char target[] = "playbook";

/* Status updates for the guardrails a fuzzed playbook defines. */
static const char *const samples[] = {
	"We are aware of an issue affecting card payments since 14:05. Current status: investigating.",
	"The outage at our card processor is fixed and will be back in 10 minutes.",
	"Customer John Smith, IBAN DE89370400440532013000, cannot log in to core-banking.",
	"",
};

/* Fails unless a call that returned nothing reported at least one problem and WR_BAD_INPUT. */
static void check_rejected(const char *what, const struct strbuf *problems,
			   const struct wr_error *err)
{
	if (problems->len == 0)
		fuzz_fail(target, "%s failed without a problem line", what);
	if (err->status != WR_BAD_INPUT)
		fuzz_fail(target, "%s failed with status %d, not WR_BAD_INPUT", what, err->status);
}

/* Runs the guardrails of PB on the samples for every audience and for none. */
static void check_guard(const struct playbook *pb, const struct guard *g)
{
	for (size_t a = 0; a <= pb->n_audiences; a++) {
		struct guard_context ctx = {0};

		ctx.audience = a < pb->n_audiences ? pb->audiences[a].id : NULL;
		ctx.has_incident = 1;
		for (size_t s = 0; s < sizeof samples / sizeof samples[0]; s++) {
			struct guard_finding *findings = NULL;
			size_t n = 0;

			if (guard_check(g, samples[s], &ctx, &findings, &n) != 0)
				fuzz_fail(target, "guard_check failed on sample %zu", s);
			for (size_t i = 0; i < n; i++)
				if (findings[i].offset + findings[i].length > strlen(samples[s]))
					fuzz_fail(target, "finding %zu of sample %zu ends past the text",
						  i, s);
			guard_findings_free(findings, n);
		}
	}
}

int fuzz_playbook_input(const uint8_t *data, size_t size)
{
	struct strbuf problems;
	struct wr_error err = {0};
	struct playbook *pb;
	struct guard *g;
	struct brief_rules *rules;
	char *text;

	/* An @include would read files from the working folder, which is not the playbook under test. */
	if (memmem(data, size, "@include", 8))
		return 0;

	fuzz_playbook();
	text = fuzz_text(data, size);
	sb_init(&problems);
	pb = playbook_load_string("fuzz.cfg", text, &problems, &err);
	if (!pb) {
		check_rejected("playbook_load_string", &problems, &err);
		goto done;
	}

	sb_free(&problems);
	memset(&err, 0, sizeof err);
	g = guard_load(pb, &problems, &err);
	if (g)
		check_guard(pb, g);
	else
		check_rejected("guard_load", &problems, &err);
	guard_free(g);

	sb_free(&problems);
	memset(&err, 0, sizeof err);
	rules = brief_rules_load(pb, &problems, &err);
	if (!rules)
		check_rejected("brief_rules_load", &problems, &err);
	brief_rules_free(rules);
	playbook_free(pb);

done:
	sb_free(&problems);
	free(text);
	return 0;
}

#ifdef FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_playbook_input(data, size);
}
#endif
