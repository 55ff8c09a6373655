#!/bin/sh
# Concurrent writers on one database: four processes each add 200 notes with
# `warroom note` at once, two per incident, while a fifth renews its command
# of the first incident 100 times. Every write must land: no process may
# fail or report a locked or busy database, and all notes must be stored. Each incident's timeline must be in one consistent order. Its ids,
# times, sequence numbers and hash chain agree, and each writer's notes
# appear in the order it wrote them.
. "$srcdir/tests/lib.sh"

# The real clock, so that event times show the order of the commits.
unset WARROOM_NOW

writers="1 2 3 4"
notes=200
renewals=100

# Under `make check-valgrind` (which sets VALGRIND_LOG_DIR) every run of the
# program costs over a second of CPU time, so the writers do a tenth of the work.
if [ -n "${VALGRIND_LOG_DIR:-}" ]; then
	notes=20
	renewals=10
fi

run "$WARROOM" new --summary "Card authorisations failing"
check "first incident exits 0" status_is 0
run "$WARROOM" new --summary "Mobile app logins failing"
check "second incident exits 0" status_is 0
base=$(rows events)

# Writer W adds notes "wW nI" to incident (W mod 2) + 1 and records each failure.
write_notes() {
	w=$1
	incident=INC-2026-000$((w % 2 + 1))
	i=1
	while [ "$i" -le "$notes" ]; do
		"$WARROOM" note "$incident" "w$w n$i" 2>>"$test_tmp/err.$w" ||
			echo "note $i failed" >>"$test_tmp/failed.$w"
		i=$((i + 1))
	done
}

# Renews command of the first incident; this subshell is the lease's holder process.
renew_command() {
	i=1
	while [ "$i" -le "$renewals" ]; do
		"$WARROOM" command INC-2026-0001 >/dev/null 2>>"$test_tmp/err.lease" ||
			echo "renewal $i failed" >>"$test_tmp/failed.lease"
		i=$((i + 1))
	done
}

pids=
for w in $writers; do
	: >"$test_tmp/err.$w"
	write_notes "$w" &
	pids="$pids $!"
done
: >"$test_tmp/err.lease"
renew_command &
pids="$pids $!"
for pid in $pids; do
	wait "$pid"
done

failures=$(cat "$test_tmp"/failed.* 2>/dev/null | wc -l)
check "no write failed" test "$failures" -eq 0
check "no process reported a locked database" \
	sh -c "! grep -qi 'locked' '$test_tmp'/err.*"
check "no process reported a busy database" sh -c "! grep -qi 'busy' '$test_tmp'/err.*"
check "no process wrote to stderr" sh -c "! cat '$test_tmp'/err.* | grep -q ."
check "all notes stored" \
	test "$(sqlite3 "$WARROOM_DB" "SELECT count(*) FROM events WHERE kind = 'note'")" \
	-eq $((4 * notes))
check "only notes and one lease event added" test "$(rows events)" -eq $((base + 4 * notes + 1))
for n in 1 2; do
	check "incident $n has half the notes" test "$(sqlite3 "$WARROOM_DB" \
		"SELECT count(*) FROM events WHERE kind = 'note' AND incident_id = 'INC-2026-000$n'")" \
		-eq $((2 * notes))
done

# Each writer's notes, read in id order, are n1, n2, n3 and so on.
for w in $writers; do
	sqlite3 "$WARROOM_DB" "SELECT details FROM events WHERE kind = 'note' AND details LIKE 'w$w n%'
		ORDER BY id" | sed "s/^w$w n//" >"$test_tmp/order.$w"
	check "writer $w notes in order" \
		sh -c "seq 1 $notes | cmp -s - '$test_tmp/order.$w'"
done

# Within an incident, ids, times, sequence numbers and the hash chain agree.
out_of_order=$(sqlite3 "$WARROOM_DB" "SELECT count(*) FROM (SELECT at, lag(at) OVER w AS prev_at
	FROM events WINDOW w AS (PARTITION BY incident_id ORDER BY id)) WHERE at < prev_at")
check "event times follow ids" test "$out_of_order" -eq 0
bad_seq=$(sqlite3 "$WARROOM_DB" "SELECT count(*) FROM (SELECT seq, row_number() OVER w AS n
	FROM events WINDOW w AS (PARTITION BY incident_id ORDER BY id)) WHERE seq IS NOT n")
check "sequence numbers follow ids without gaps" test "$bad_seq" -eq 0
bad_links=$(sqlite3 "$WARROOM_DB" "SELECT count(*) FROM (SELECT prev_hash, lag(hash) OVER w AS
	prev FROM events WINDOW w AS (PARTITION BY incident_id ORDER BY id)) WHERE prev IS NOT NULL
	AND prev_hash IS NOT prev")
check "each event links to the one before" test "$bad_links" -eq 0

run "$WARROOM" lease INC-2026-0001
check "the renewing process held command" out_has '^INC-2026-0001: commanded by alice'

finish
