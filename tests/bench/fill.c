/*
 * Appends timeline events to an existing incident for the benchmarks in
 * tests/bench/run.py. Every event goes through store_event, so the rows are
 * the ones the console and `warroom log` read in use. Each event is a
 * "note" whose actor and details are taken in turn from small fixed lists,
 * written in transactions of up to 10,000 events. Event K's details end in
 * "#K" (1-based, zero-padded to seven digits), so a test can find it on a
 * screen. The clock starts at --start and advances --step seconds per event.
 *
 * usage: bench_fill --db FILE --incident ID --events N [--start ISO8601] [--step SECONDS]
 *        [--first K]
 *   --first  the number of the first event's tag (default 1), for appending more later
 *
 * After the last commit it prints one line "committed MONOTONIC_SECONDS" with
 * the CLOCK_MONOTONIC time at which the commit returned, so a test can time
 * how long the change takes to reach a console.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store.h"
#include "util.h"

#define FILL_BATCH 10000

static const char *const actors[] = {
	"a.okafor", "j.lindqvist", "m.haddad", "s.pereira", "ops-bridge", "r.nakamura",
};

static const char *const details[] = {
	"Card scheme switch still timing out on the primary link; retry rate unchanged",
	"Decline rate at 31% over the last five minutes, down from the peak",
	"Network team confirms packet loss between the primary data centre and the switch",
	"Backup switch health check passes; failover not yet triggered",
	"Customer services report a rise in calls about declined contactless payments at "
	"supermarkets and petrol stations; script updated with the holding statement",
	"Change freeze confirmed with the change advisory board",
	"Supplier bridge call joined; their status page shows no incident",
	"Authorisation latency p95 at 4.1 s against a 1.5 s target",
};

/* Parses TEXT as a whole decimal number into *OUT; returns -1 when it is not one. */
static int parse_long(const char *text, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(text, &end, 10);
	return errno || end == text || *end ? -1 : 0;
}

static void usage(void)
{
	fputs("usage: bench_fill --db FILE --incident ID --events N [--start ISO8601] "
	      "[--step SECONDS] [--first K]\n", stderr);
}

/* Writes events FIRST .. FIRST+COUNT-1 in one transaction. Returns 0, or -1 with ERR set. */
static int fill_batch(struct store *st, const char *incident_id, long first, long count,
		      time_t start, long step, struct wr_error *err)
{
	char at[21];

	if (store_begin(st, err) != 0)
		return -1;
	for (long k = first; k < first + count; k++) {
		time_format_utc(start + (time_t)((k - 1) * step), at);
		setenv("WARROOM_NOW", at, 1);
		setenv("WARROOM_ACTOR", actors[k % (long)(sizeof actors / sizeof actors[0])], 1);
		if (store_event(st, incident_id, "note", err, "%s #%07ld",
				details[k % (long)(sizeof details / sizeof details[0])], k) != 0) {
			store_rollback(st);
			return -1;
		}
	}
	return store_commit(st, err);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{"db", required_argument, NULL, 'd'},
		{"incident", required_argument, NULL, 'i'},
		{"events", required_argument, NULL, 'n'},
		{"start", required_argument, NULL, 's'},
		{"step", required_argument, NULL, 't'},
		{"first", required_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	const char *db = NULL, *incident_id = NULL, *start_text = "2026-03-02T08:00:00Z";
	long events = -1, step = 5, first = 1;
	struct wr_error err = {0};
	struct timespec done;
	struct store *st;
	time_t start;
	int c, bad = 0;

	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'i': incident_id = optarg; break;
		case 'n': bad |= parse_long(optarg, &events); break;
		case 's': start_text = optarg; break;
		case 't': bad |= parse_long(optarg, &step); break;
		case 'f': bad |= parse_long(optarg, &first); break;
		default: usage(); return 2;
		}
	}
	if (bad || !db || !incident_id || events < 0 || step < 0 || first < 1 || optind != argc) {
		usage();
		return 2;
	}
	if (time_parse_iso8601(start_text, &start) != 0) {
		fprintf(stderr, "bench_fill: --start %s is not an ISO 8601 time such as "
				"2026-03-02T08:00:00Z\n", start_text);
		return 2;
	}

	st = store_open(db, 0, &err);
	if (!st) {
		fprintf(stderr, "bench_fill: %s\n", err.message);
		return 1;
	}

	for (long done_count = 0; done_count < events; done_count += FILL_BATCH) {
		long count = events - done_count < FILL_BATCH ? events - done_count : FILL_BATCH;

		if (fill_batch(st, incident_id, first + done_count, count, start, step, &err) != 0) {
			fprintf(stderr, "bench_fill: %s\n", err.message);
			store_close(st);
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &done);
	store_close(st);

	printf("committed %.6f\n", (double)done.tv_sec + (double)done.tv_nsec / 1e9);
	return 0;
}
