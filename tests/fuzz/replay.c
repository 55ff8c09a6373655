/*
 * Replays every saved fuzz input (tests/fuzz/corpus/TARGET and
 * tests/fuzz/regressions/TARGET) through the fuzz targets' entry functions,
 * without libFuzzer, so that each input a fuzzer once broke the program with
 * is checked in every `make check`. Each input runs in a child process, so a
 * crash or a failed invariant fails that input's test and the rest still run.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz.h"
#include "../tap.h"

/*
 * Each input's child may use this much memory, so that an input that makes
 * the code allocate without bound fails its test instead of exhausting the
 * machine. AddressSanitizer reserves terabytes of address space, so under it
 * the limit is on resident memory instead (hard_rss_limit_mb).
 */
#define REPLAY_MAX_MIB 1024
#define STRINGIFY(x) #x
#define DECIMAL(x) STRINGIFY(x)

#if defined(__SANITIZE_ADDRESS__)
#define REPLAY_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define REPLAY_ASAN 1
#endif
#endif

#ifdef REPLAY_ASAN
const char *__asan_default_options(void);

const char *__asan_default_options(void)
{
	return "hard_rss_limit_mb=" DECIMAL(REPLAY_MAX_MIB);
}
#endif

struct target {
	const char *name;
	int (*entry)(const uint8_t *data, size_t size);
};

static const struct target targets[] = {
	{"import", fuzz_import_input},
	{"playbook", fuzz_playbook_input},
	{"guard", fuzz_guard_input},
	{"textsafe", fuzz_textsafe_input},
};

/* Reads the file at PATH into a buffer the caller frees; returns NULL with errno set. */
static uint8_t *read_input(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb;
	char chunk[4096];
	size_t n;

	if (!f)
		return NULL;
	sb_init(&sb);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		sb_addn(&sb, chunk, n);
	fclose(f);
	*size = sb.len;
	return (uint8_t *)sb_take(&sb);
}

/* Runs ENTRY on the file at PATH in a child process; returns nonzero when the child exited with 0. */
static int replay_file(const struct target *t, const char *path)
{
	uint8_t *data;
	size_t size = 0;
	pid_t pid;
	int status;

	data = read_input(path, &size);
	if (!data) {
		printf("# %s: %s\n", path, strerror(errno));
		return 0;
	}

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("# fork: %s\n", strerror(errno));
		free(data);
		return 0;
	}
	if (pid == 0) {
		int rc;
#ifndef REPLAY_ASAN
		struct rlimit limit = {(rlim_t)REPLAY_MAX_MIB << 20, (rlim_t)REPLAY_MAX_MIB << 20};

		setrlimit(RLIMIT_AS, &limit);
#endif
		rc = t->entry(data, size);

		free(data);
		exit(rc == 0 ? 0 : 1);
	}
	free(data);

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			printf("# waitpid: %s\n", strerror(errno));
			return 0;
		}
	}
	if (WIFSIGNALED(status))
		printf("# %s: killed by signal %d\n", path, WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0)
		printf("# %s: exit status %d\n", path, WEXITSTATUS(status));
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Replays every file in the folder KIND/TARGET (KIND is "corpus" or
 * "regressions"), in name order. Returns the number of files, or -1 when the
 * folder cannot be read; a missing folder counts as empty.
 */
static int replay_folder(const struct target *t, const char *kind)
{
	char folder[4096], relative[256];
	char **names = NULL;
	size_t n = 0;
	struct dirent *entry;
	DIR *dir;

	snprintf(relative, sizeof relative, "tests/fuzz/%s/%s", kind, t->name);
	snprintf(folder, sizeof folder, "%s", fuzz_source_path(relative));
	dir = opendir(folder);
	if (!dir) {
		if (errno == ENOENT)
			return 0;
		printf("# %s: %s\n", folder, strerror(errno));
		return -1;
	}
	while ((entry = readdir(dir)) != NULL) {
		if (entry->d_name[0] == '.')
			continue;
		names = xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = xstrdup(entry->d_name);
	}
	closedir(dir);
	if (n > 1)
		qsort(names, n, sizeof *names, compare_names);

	for (size_t i = 0; i < n; i++) {
		char path[8192], name[512];
		struct stat st;

		snprintf(path, sizeof path, "%s/%s", folder, names[i]);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			snprintf(name, sizeof name, "%s %s/%s", t->name, kind, names[i]);
			ok(replay_file(t, path), name);
		}
		free(names[i]);
	}
	free(names);
	return (int)n;
}

int main(void)
{
	/* Every valid handoff also goes through a real import, which a fuzzer run does only now and then. */
	fuzz_import_store_every = 1;

	/* Loaded here, once, so that the children inherit the playbook and guardrails. */
	fuzz_playbook();
	fuzz_guard();

	for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
		char name[64];
		int corpus = replay_folder(&targets[i], "corpus");
		int regressions = replay_folder(&targets[i], "regressions");

		snprintf(name, sizeof name, "%s corpus present", targets[i].name);
		ok(corpus > 0, name);
		snprintf(name, sizeof name, "%s regressions readable", targets[i].name);
		ok(regressions >= 0, name);
	}
	return tap_done();
}
