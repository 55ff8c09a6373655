/*
 * The tamper-evident timeline. Each event carries seq (1, 2, 3... within
 * its incident), prev_hash (the previous event's hash, 64 zeros for the
 * first) and hash: SHA-256 over a length-prefixed encoding of prev_hash,
 * incident id, seq, time, actor, kind and details. Changing an event's
 * stored fields breaks its hash; removing one leaves a gap in seq or a
 * prev_hash that matches nothing.
 */
#ifndef WARROOM_CHAIN_H
#define WARROOM_CHAIN_H

#include <sqlite3.h>

#include "sha256.h"
#include "store.h"
#include "util.h"

/* The fields an event's hash covers, each a NUL-terminated string except SEQ. */
struct chain_event {
	const char *prev_hash;
	const char *incident_id;
	long long seq;
	const char *at;
	const char *actor;
	const char *kind;
	const char *details;
};

/* The prev_hash of an incident's first event: 64 zeros. */
extern const char chain_first_prev_hash[SHA256_HEX_LEN + 1];

/* Outcome of chain_verify. */
enum chain_status {
	CHAIN_OK = 0,
	CHAIN_ALTERED, /* an event's hash does not match its stored fields, or it has none */
	CHAIN_MISSING, /* a gap in seq, or a prev_hash that is not the previous event's hash */
};

/* The result of chain_verify: the first problem in seq order, or ok with the count. */
struct chain_report {
	enum chain_status status;
	long long events;     /* events read up to and including the problem, or all of them */
	long long seq;        /* seq of the event where the problem shows; 0 when ok or unknown */
	long long event_id;   /* that event's row id; 0 when ok */
	char last_hash[SHA256_HEX_LEN + 1]; /* the newest event's hash when ok */
	char message[1024];   /* one line without the incident id, e.g. "event 7 (note, TIME) was altered: ..." */
};

/* Computes the hash of event EV into HASH (64 hex digits). */
void chain_event_hash(const struct chain_event *ev, char hash[SHA256_HEX_LEN + 1]);

/*
 * Checks INCIDENT_ID's timeline in seq order and fills OUT with the first
 * problem or ok. Returns 0 when the check ran, whatever it found; -1 with ERR
 * set when the incident does not exist (WR_BAD_INPUT) or the store fails.
 * NOTE: removing the newest events leaves a shorter chain that is still
 * valid, so compare OUT->last_hash with a value recorded earlier to catch it.
 */
int chain_verify(struct store *st, const char *incident_id, struct chain_report *out,
		 struct wr_error *err);

/*
 * Fills in seq, prev_hash and hash of every event written before schema
 * version 2, inside the migration's open transaction on DB (PATH names the
 * file in messages). Drops the events_no_update trigger for the updates and
 * creates it again. Returns 0, or -1 with ERR set.
 */
int chain_seal_existing(sqlite3 *db, const char *path, struct wr_error *err);

#endif
