#!/bin/sh
# Console test: a commander and three observers (`warroom view`) on one
# database. Each observer shows READ-ONLY, refuses every editing key with
# "Read-only viewer" and leaves the database unchanged. A note added in the
# commander's console or by `warroom note` shows on every console; the
# latency of each is printed as a diagnostic and fails the test above 1 s
# (the 250 ms target is measured by tests/bench/run.py). The commander's
# header counts the observers as they come and go, also one killed with
# SIGKILL, and an observer whose presence folder is unusable still runs
# and shows "observers: ?".
. "$srcdir/tests/ui/lib.sh"

id=INC-2018-0001
run "$WARROOM" import "$fixtures/card-auth-switch-failure.json"
check "import exits 0" test "$status" -eq 0

ui_start -- open $id
check "commander opens" ui_wait "Cmdr alice@"
check "commander shows no observers" ui_wait "observers: 0"
check "commander is not read-only" screen_lacks "READ-ONLY"

for v in v1 v2 v3; do
	ui_start_in $v WARROOM_ACTOR=carol -- view $id
done
for v in v1 v2 v3; do
	check "$v opens" ui_wait_in $v "$id"
	check "$v shows READ-ONLY" ui_wait_in $v "READ-ONLY"
	check "$v names the commander" screen_has "Cmdr alice@"
	check "$v hints no editing keys" screen_lacks "u update"
done
check "commander counts three observers" ui_wait "observers: 3"

# Every editing key in an observer: refused, nothing opens, nothing changes.
dump() {
	sqlite3 -readonly "$WARROOM_DB" .dump
}
dump >"$ui_tmp/before.sql"
for key in Enter a x e s u m H; do
	# A key that only moves clears the last refusal, so each refusal below is new.
	ui_keys_in v1 j
	check "key j clears the message" ui_wait_gone_in v1 "Read-only viewer"
	ui_keys_in v1 "$key"
	check "key $key refused" ui_wait_in v1 "Read-only viewer: changes are made in the commander's console."
	check "key $key opens nothing" screen_lacks "Audience of the update"
	ui_keys_in v1 Escape
done
check "observer keeps running" ui_wait_in v1 "$id"
dump >"$ui_tmp/after.sql"
check "database unchanged by the observer" cmp -s "$ui_tmp/before.sql" "$ui_tmp/after.sql"

# Waits until every session in $sessions shows TEXT, polling all of them
# together from START_MS, and prints the latency of each. Fails when one
# takes more than a second.
latencies() {
	text=$1
	start=$2
	pending=$sessions
	worst=0
	while [ -n "$pending" ]; do
		left=""
		for s in $pending; do
			if ui_tmux capture-pane -p -t "$s" | grep -qF -- "$text"; then
				ms=$(($(ui_now_ms) - start))
				echo "# latency to $s: $ms ms"
				[ $ms -gt $worst ] && worst=$ms
			else
				left="$left $s"
			fi
		done
		pending=$left
		if [ $(($(ui_now_ms) - start)) -gt 5000 ]; then
			echo "# not shown after 5 s on:$pending"
			return 1
		fi
	done
	[ $worst -le 1000 ]
}

# A note typed in the commander's console.
ui_keys m
check "note prompt" ui_wait "Add a note to the timeline"
ui_type "Bridge call moved to room 4"
sessions="v1 v2 v3"
start=$(ui_now_ms)
ui_keys Enter
check "commander's note on every observer within 1 s" latencies "Bridge call moved to room 4" "$start"

# A note from another process.
sessions="$ui_session v1 v2 v3"
start=$(ui_now_ms)
run "$WARROOM" note $id "Supplier confirmed the fix"
check "note command exits 0" test "$status" -eq 0
check "outside note on every console within 1 s" latencies "Supplier confirmed the fix" "$start"

# Observers leaving: with q, and killed without a chance to leave.
ui_keys_in v2 q
check "observer quits" ui_wait_exit_in v2 0
check "commander counts two" ui_wait "observers: 2"
kill -9 "$(cat "$ui_tmp/pid.v3")"
check "commander counts one after SIGKILL" ui_wait "observers: 1"
check "killed observer's entry removed" test "$(ls "$WARROOM_DB.observers" | wc -l)" -eq 1

# Viewing the list: read-only too, and an incident opened from it.
ui_start_in v4 -- view
check "list viewer opens" ui_wait_in v4 "Incidents: open"
check "list shows READ-ONLY" screen_has "READ-ONLY"
ui_keys_in v4 Enter
check "incident opened from the list" ui_wait_in v4 "Cmdr alice@"
check "still READ-ONLY" screen_has "READ-ONLY"
ui_keys_in v4 m
check "note refused after the list" ui_wait_in v4 "Read-only viewer"
ui_keys_in v4 Escape
check "back to the list" ui_wait_in v4 "Incidents: open"
ui_keys_in v4 q
check "list viewer quits" ui_wait_exit_in v4 0

# Presence cannot work: the viewer still runs, and says the count is unknown.
other=$ui_tmp/other.db
run "$WARROOM" --db "$other" import "$fixtures/card-auth-switch-failure.json"
check "second database imported" test "$status" -eq 0
: >"$other.observers"
ui_start_in v5 WARROOM_DB="$other" -- view $id
check "viewer without presence runs" ui_wait_in v5 "READ-ONLY"
check "observers unknown" screen_has "observers: ?"
ui_keys_in v5 q
check "viewer without presence quits" ui_wait_exit_in v5 0

# Wrong uses fail before the screen is touched.
run "$WARROOM" view $id </dev/null
check "view without terminal exits 1" test "$status" -eq 1
check "view without terminal explains" grep -q "the console needs a terminal" "$ui_tmp/err"
run "$WARROOM" view a b
check "view with two ids exits 2" test "$status" -eq 2
ui_start_in v6 WARROOM_DB="$ui_tmp/missing.db" -- view
check "view of a missing database exits 1" ui_wait_exit_in v6 1
check "missing database named" ui_wait_in v6 "no such database"

ui_keys q
check "commander quits" ui_wait_exit 0
check "lease released on quit" db_is "SELECT count(*) FROM leases" 0
finish
