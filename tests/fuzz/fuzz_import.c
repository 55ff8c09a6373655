/*
 * Fuzz target for import_buffer: a dry run of the input as a handoff file
 * against the bundled playbook. Every line of output must be safe to print,
 * a failure must come with an error line and no results, and a success with
 * at least one result. Every fuzz_import_store_every-th input that passes the
 * dry run is also imported into a real store, which must accept it.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "import.h"
#include "store.h"

static const char target[] = "import";

unsigned fuzz_import_store_every = 8;

/* The store starts afresh after this many imports, so it stays small and quick. */
#define STORE_IMPORTS_MAX 2000

static char store_dir[256];

static void remove_store_dir(void)
{
	char path[512];

	if (store_dir[0] == '\0')
		return;
	snprintf(path, sizeof path, "%s/fuzz.db", store_dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/fuzz.db-wal", store_dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/fuzz.db-shm", store_dir);
	unlink(path);
	rmdir(store_dir);
}

/* Returns the fuzz store, opening a new one after STORE_IMPORTS_MAX imports. */
static struct store *fuzz_store(void)
{
	static struct store *st;
	static unsigned imports;
	struct wr_error err = {0};
	char path[512];

	if (st && imports++ < STORE_IMPORTS_MAX)
		return st;
	store_close(st);
	imports = 0;

	if (store_dir[0] == '\0') {
		const char *tmp = getenv("TMPDIR");

		snprintf(store_dir, sizeof store_dir, "%s/warroom-fuzz-XXXXXX",
			 tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(store_dir)) {
			perror(store_dir);
			exit(2);
		}
		atexit(remove_store_dir);
	}
	remove_store_dir();
	if (mkdir(store_dir, 0700) != 0) {
		perror(store_dir);
		exit(2);
	}

	snprintf(path, sizeof path, "%s/fuzz.db", store_dir);
	st = store_open(path, STORE_CREATE, &err);
	if (!st) {
		fprintf(stderr, "fuzz: %s: %s\n", path, err.message);
		exit(2);
	}
	/* Durability does not matter here, and syncing every commit would dominate the run time. */
	sqlite3_exec(store_db(st), "PRAGMA synchronous=OFF", NULL, NULL, NULL);
	return st;
}

/* Imports an input that passed the dry run with DRY_N results into the store. */
static void import_into_store(const uint8_t *data, size_t size, size_t dry_n)
{
	struct import_result *results = NULL;
	struct strbuf warnings, errors;
	struct wr_error err = {0};
	size_t n = 0;
	int rc;

	sb_init(&warnings);
	sb_init(&errors);
	rc = import_buffer(fuzz_store(), fuzz_playbook(), "fuzz.json", (const char *)data, size, 0,
			   &results, &n, &warnings, &errors, &err);
	if (rc != 0)
		fuzz_fail(target, "passed the dry run but the import failed: %s", err.message);
	if (n != dry_n)
		fuzz_fail(target, "the dry run had %zu results, the import %zu", dry_n, n);
	for (size_t i = 0; i < n; i++)
		if (!results[i].id)
			fuzz_fail(target, "imported result %zu has no incident id", i);
	fuzz_check_printable(target, "import warnings", warnings.data, warnings.len, 1);
	import_results_free(results, n);
	sb_free(&warnings);
	sb_free(&errors);
}

int fuzz_import_input(const uint8_t *data, size_t size)
{
	static unsigned long passed;
	struct import_result *results = NULL;
	struct strbuf warnings, errors;
	struct wr_error err = {0};
	size_t n = 0;
	int rc;

	sb_init(&warnings);
	sb_init(&errors);
	rc = import_buffer(NULL, fuzz_playbook(), "fuzz.json", (const char *)data, size, 1,
			   &results, &n, &warnings, &errors, &err);

	fuzz_check_printable(target, "import warnings", warnings.data, warnings.len, 1);
	fuzz_check_printable(target, "import errors", errors.data, errors.len, 1);
	if (rc == 0) {
		if (n == 0 || !results)
			fuzz_fail(target, "a dry run succeeded with no results");
		if (errors.len > 0)
			fuzz_fail(target, "a dry run succeeded with error lines");
	} else {
		if (rc != -1)
			fuzz_fail(target, "import_buffer returned %d", rc);
		if (results || n != 0)
			fuzz_fail(target, "a failed dry run returned %zu results", n);
		if (errors.len == 0)
			fuzz_fail(target, "a failed dry run wrote no error line");
		if (warnings.len > 0)
			fuzz_fail(target, "a failed dry run wrote warning lines");
		if (err.status != WR_BAD_INPUT)
			fuzz_fail(target, "a failed dry run has status %d, not WR_BAD_INPUT", err.status);
		fuzz_check_printable(target, "import error message", err.message,
				     strlen(err.message), 0);
	}
	import_results_free(results, n);
	sb_free(&warnings);
	sb_free(&errors);

	if (rc == 0 && fuzz_import_store_every > 0 && passed++ % fuzz_import_store_every == 0)
		import_into_store(data, size, n);
	return 0;
}

#ifdef FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_import_input(data, size);
}
#endif
