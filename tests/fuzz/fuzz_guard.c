/*
 * Fuzz target for guard_check: the input is a status update checked by the
 * bundled guardrails for every audience and for none, once without an
 * incident and twice with one (nothing approved or validated, then
 * everything). Each finding must lie inside the text, quote it exactly,
 * carry a level, rule and message, and come in offset order with the right
 * line.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static const char target[] = "guard";

/* Service names an incident might have, so the internal-name rule has something to find. */
static const char *const internal_names[] = {"core-banking", "card-auth-switch", "cdn"};

/* Checks the N findings guard_check returned for TEXT (LEN bytes). */
static void check_findings(const char *text, size_t len, const struct guard_finding *findings,
			   size_t n)
{
	size_t errors = 0;

	for (size_t i = 0; i < n; i++) {
		const struct guard_finding *f = &findings[i];
		size_t line_start = 0;
		int line = 1;

		if (f->offset > len || f->length > len - f->offset)
			fuzz_fail(target, "finding %zu (%zu+%zu) ends past the %zu-byte text", i,
				  f->offset, f->length, len);
		if (i > 0 && f->offset < findings[i - 1].offset)
			fuzz_fail(target, "finding %zu is out of offset order", i);
		if (f->level != GUARD_ERROR && f->level != GUARD_WARNING)
			fuzz_fail(target, "finding %zu has level %d", i, f->level);
		if (!f->rule_id || !f->message || !f->excerpt)
			fuzz_fail(target, "finding %zu lacks a rule id, message or excerpt", i);
		if (strlen(f->excerpt) != f->length ||
		    memcmp(f->excerpt, text + f->offset, f->length) != 0)
			fuzz_fail(target, "finding %zu's excerpt is not the text at its offset", i);

		for (size_t p = 0; p < f->offset; p++) {
			if (text[p] == '\n') {
				line++;
				line_start = p + 1;
			}
		}
		if (f->line != line)
			fuzz_fail(target, "finding %zu is on line %d, not %d", i, f->line, line);
		if (f->column < 1 || (size_t)f->column > f->offset - line_start + 1)
			fuzz_fail(target, "finding %zu has column %d", i, f->column);
		if (f->level == GUARD_ERROR)
			errors++;
	}
	if (guard_count_errors(findings, n) != errors)
		fuzz_fail(target, "guard_count_errors is %zu, not %zu", guard_count_errors(findings, n),
			  errors);
}

/* Checks TEXT for CTX and checks the findings. */
static void check_text(const struct guard *g, const char *text, const struct guard_context *ctx)
{
	struct guard_finding *findings = NULL;
	size_t n = 0;

	if (guard_check(g, text, ctx, &findings, &n) != 0)
		fuzz_fail(target, "guard_check failed for audience %s",
			  ctx->audience ? ctx->audience : "(none)");
	if ((n == 0) != (findings == NULL))
		fuzz_fail(target, "%zu findings but the array is %s", n, findings ? "set" : "NULL");
	check_findings(text, strlen(text), findings, n);
	guard_findings_free(findings, n);
}

int fuzz_guard_input(const uint8_t *data, size_t size)
{
	const struct playbook *pb = fuzz_playbook();
	const struct guard *g = fuzz_guard();
	char *text = fuzz_text(data, size);

	for (size_t a = 0; a <= pb->n_audiences; a++) {
		struct guard_context ctx = {0};

		ctx.audience = a < pb->n_audiences ? pb->audiences[a].id : NULL;
		check_text(g, text, &ctx);

		ctx.has_incident = 1;
		ctx.internal_names = internal_names;
		ctx.n_internal_names = sizeof internal_names / sizeof internal_names[0];
		check_text(g, text, &ctx);

		ctx.validations_done = 1;
		ctx.vendor_approved = 1;
		ctx.root_cause_approved = 1;
		check_text(g, text, &ctx);
	}
	free(text);
	return 0;
}

#ifdef FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_guard_input(data, size);
}
#endif
