/*
 * The commander's lease: one commander per incident. The lease row names
 * the process in command (user, host, pid), when it took command and its
 * last heartbeat. A holder whose heartbeat is older than the stale limit,
 * or whose process is gone on this host, has a stale lease that the next
 * acquirer takes without a takeover. Handovers pass command to a named
 * person with a written brief; the lease moves when that person
 * acknowledges it.
 *
 * Every call that changes the lease or a handover runs in one write
 * transaction (BEGIN IMMEDIATE), so two processes acquiring at once are
 * served one after the other and the second sees the first's lease. A
 * rejected call changes nothing and writes no event.
 *
 * Timeline event kinds written here: command-taken, command-taken-over,
 * command-released, handover-started, handover-acknowledged.
 */
#ifndef WARROOM_LEASE_H
#define WARROOM_LEASE_H

#include <stddef.h>
#include <time.h>

#include "playbook.h"
#include "store.h"
#include "util.h"

/* Default heartbeat interval and stale limit in seconds, used when the settings leave them out. */
#define LEASE_HEARTBEAT_SECONDS 15
#define LEASE_STALE_SECONDS 90

/* A process that holds, or asks for, command of an incident. */
struct lease_holder {
	char name[256]; /* actor_name(): the display name or the login name */
	char host[256]; /* gethostname() */
	long pid;
};

/* An incident's lease as read from the store. */
struct lease {
	int held;            /* 0 when nobody holds command; the fields below are then empty */
	struct lease_holder holder;
	time_t taken_at;     /* when this holder took command */
	time_t heartbeat_at; /* the holder's last heartbeat */
	long age;            /* seconds from heartbeat_at to now, 0 when the heartbeat is in the future */
	int pid_gone;        /* the holder is on this host and its process no longer exists */
	int stale;           /* age is past the stale limit, or pid_gone */
};

/*
 * Fills ME with actor_name(), this host's name and PID: getpid() for a
 * long-running console, or the pid of a process that outlives a short
 * command (see cmd_command). Returns -1 with ERR set (WR_BAD_INPUT) when the
 * name or the host name is blank or longer than 255 bytes.
 */
int lease_holder_self(struct lease_holder *me, long pid, struct wr_error *err);

/* Returns nonzero when A and B are the same process: same name, host and pid. */
int lease_holder_same(const struct lease_holder *a, const struct lease_holder *b);

/*
 * Takes command of INCIDENT_ID for ME. A missing lease is created, and ME's
 * own lease gets a fresh heartbeat (no event). A stale lease is replaced and
 * logged ("command taken from a stale lease"). A live lease of another
 * holder is replaced only when TAKEOVER is set and REASON is not blank
 * (WR_BAD_INPUT otherwise). The takeover event names both holders and the
 * reason. Without TAKEOVER the call fails with WR_FAILED and a message that
 * names the holder. STALE_SECONDS is the stale limit (settings:
 * lease_stale_seconds). FOUND (when not NULL) is set to the lease as it was
 * before the call, so that a caller can name the holder it was rejected by
 * or replaced. Returns 0, or -1 with ERR set. A closed incident may be commanded.
 */
int lease_acquire(struct store *st, const char *incident_id, const struct lease_holder *me,
		  int stale_seconds, int takeover, const char *reason, struct lease *found,
		  struct wr_error *err);

/*
 * Sets the heartbeat of ME's lease on INCIDENT_ID to now and writes no event.
 * Returns -1 with ERR set (WR_FAILED) when ME no longer holds the lease, for
 * example after a takeover. The console then has to stop writing as commander.
 * A busy database fails the same way, so a caller tells the two apart with
 * lease_get: command is lost only when the lease no longer names ME.
 */
int lease_heartbeat(struct store *st, const char *incident_id, const struct lease_holder *me,
		    struct wr_error *err);

/*
 * Gives up ME's command of INCIDENT_ID and logs "command released".
 * Returns -1 with ERR set (WR_FAILED) when nobody or another process holds it.
 */
int lease_release(struct store *st, const char *incident_id, const struct lease_holder *me,
		  struct wr_error *err);

/*
 * Reads INCIDENT_ID's lease into OUT and judges it against STALE_SECONDS;
 * OUT->held is 0 when nobody holds command. Works on a read-only store.
 * Returns -1 with ERR set when the incident is unknown (WR_BAD_INPUT) or the
 * store fails.
 */
int lease_get(struct store *st, const char *incident_id, int stale_seconds, struct lease *out,
	      struct wr_error *err);

/*
 * Writes "NAME on HOST (pid PID) since TAKEN, last seen AGE ago" for L into
 * SB, with times in UTC. The text is not escaped; pass it through textsafe
 * before it reaches a terminal.
 */
void lease_describe(const struct lease *l, struct strbuf *sb);

/* A handover from one commander to another, with the brief the incoming one reads. */
struct handover {
	long long id;
	char *from_holder;     /* the outgoing commander's name */
	char *to_holder;       /* the incoming commander's name */
	char *brief;
	char *created_at;
	char *acknowledged_at; /* NULL while not acknowledged */
	const char *state;     /* "pending", "acknowledged", "replaced" or "outdated" */
};

/*
 * Builds the default handover brief of INCIDENT_ID from its record: summary,
 * severity, status, the steps still open with what each misses, the
 * unconfirmed hypotheses and when the next update to each audience is due.
 * Sets *OUT to text the caller frees. Returns -1 with ERR set.
 */
int handover_default_brief(struct store *st, const struct playbook *pb, const char *incident_id,
			   char **out, struct wr_error *err);

/*
 * Starts a handover of INCIDENT_ID from ME to the person named TO_NAME and
 * logs "handover started". BRIEF is the text for the incoming commander; a
 * NULL or blank BRIEF gets handover_default_brief's text. ME's name must
 * hold the lease, from any host or process (WR_FAILED otherwise). A newer
 * handover replaces any still pending. The lease does not move until the
 * handover is acknowledged. Sets *NEW_ID (when not NULL). Returns 0, or -1
 * with ERR set.
 */
int handover_start(struct store *st, const struct playbook *pb, const char *incident_id,
		   const struct lease_holder *me, const char *to_name, const char *brief,
		   long long *new_id, struct wr_error *err);

/*
 * Acknowledges handover HANDOVER_ID of INCIDENT_ID as ME, which must be the
 * person it names (WR_FAILED otherwise), moves the lease to ME and logs
 * "handover acknowledged". Rejected (WR_FAILED) when the handover was
 * acknowledged or replaced already, or when someone other than its outgoing
 * commander holds command now. Returns 0, or -1 with ERR set.
 */
int handover_acknowledge(struct store *st, const char *incident_id, long long handover_id,
			 const struct lease_holder *me, struct wr_error *err);

/*
 * Lists INCIDENT_ID's handovers, oldest first, each with its state. Free
 * with handover_list_free. Returns -1 with ERR set when the incident is
 * unknown or the store fails.
 */
int handover_list(struct store *st, const char *incident_id, struct handover **out, size_t *n,
		  struct wr_error *err);
void handover_list_free(struct handover *list, size_t n);

#endif
