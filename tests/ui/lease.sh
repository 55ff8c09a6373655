#!/bin/sh
# Console test: the commander's lease. The first console to open an
# incident commands it. A second commander sees who does and can view
# read-only or take command with a reason; the first then turns read-only
# at its next heartbeat. A lease whose process was killed is stale and
# taken without asking. A handover names the next commander with an
# editable brief, and that person acknowledges it when they open the
# incident. SIGTERM and SIGHUP release the lease on the way out.
. "$srcdir/tests/ui/lib.sh"

id=INC-2018-0001
run "$WARROOM" import "$fixtures/card-auth-switch-failure.json"
check "import exits 0" test "$status" -eq 0

# Heartbeats every second, so a console notices a takeover quickly.
mkdir -p "$XDG_CONFIG_HOME/warroom"
cat >"$XDG_CONFIG_HOME/warroom/warroom.cfg" <<'EOF'
lease_heartbeat_seconds = 1;
lease_stale_seconds = 2;
EOF

ui_start -- open $id
check "alice commands" ui_wait "Cmdr alice@"
check "lease stored" db_is "SELECT holder FROM leases" "alice"

# bob opens the same incident: a dialog names alice.
ui_start_in bob WARROOM_ACTOR=bob -- open $id
check "dialog names the commander" ui_wait_in bob "$id is commanded by alice on "
check "dialog says since when" screen_has "since 15:00 (last seen 0s ago)."
check "dialog offers the answers" screen_has "[v] view read-only  [t] take command  [q] back"
ui_keys_in bob m
check "other keys do nothing under the dialog" screen_lacks "Add a note to the timeline"
ui_keys_in bob v
check "bob views read-only" ui_wait_in bob "READ-ONLY"
check "read-only said" screen_has "Read-only viewer: changes are made in the commander's console."
ui_keys_in bob m
check "bob's note refused" ui_wait_in bob "Read-only viewer: alice on "
check "alice still holds the lease" db_is "SELECT holder FROM leases" "alice"
check "watching commander counts as an observer" ui_wait "observers: 1"

# q in the dialog of a console opened on the incident quits it.
ui_start_in bob WARROOM_ACTOR=bob -- open $id
check "dialog again" ui_wait_in bob "[t] take command"
ui_keys_in bob q
check "q leaves" ui_wait_exit_in bob 0

# Taking command: a reason is required.
ui_start_in bob WARROOM_ACTOR=bob -- open $id
check "dialog a third time" ui_wait_in bob "[t] take command"
ui_keys_in bob t
check "takeover asks to confirm" ui_wait_in bob "Take command of $id from alice on "
ui_keys_in bob Enter
check "blank reason refused" ui_wait_in bob "Give a reason for taking command"
check "nothing taken yet" db_is "SELECT holder FROM leases" "alice"
ui_keys_in bob Escape
check "Esc goes back to the question" ui_wait_in bob "[v] view read-only"
ui_keys_in bob t
ui_wait_in bob "Take command of"
ui_keys_in bob -l "alice lost her connection"
ui_keys_in bob Enter
check "bob commands" ui_wait_in bob "You command $id now"
check "bob in the header" ui_wait_in bob "Cmdr bob@"
check "lease moved" db_is "SELECT holder FROM leases" "bob"
check "takeover on the timeline" \
	db_is "SELECT count(*) FROM events WHERE kind = 'command-taken-over' AND details LIKE '%alice lost her connection%'" 1
check "alice learns at her heartbeat" ui_wait "Read-only viewer: bob on "
check "alice is read-only" screen_has "READ-ONLY"
ui_keys m
check "alice's note refused" ui_wait "Read-only viewer: bob on "
ui_keys q
check "alice quits" ui_wait_exit 0
check "bob keeps the lease" db_is "SELECT holder FROM leases" "bob"

# bob's console dies: its lease is stale and taken without asking.
# Until its parent reaps it, kill(pid, 0) still succeeds for a killed process.
kill -9 "$(cat "$ui_tmp/pid.bob")"
check "bob's console killed" ui_wait_exit_in bob 137
ui_start -- open $id
check "stale lease taken" ui_wait "the lease of bob on "
check "stale reason given" screen_has "was stale (its process has ended)."
check "alice commands again" db_is "SELECT holder FROM leases" "alice"

# A handover to carol with the default brief, edited.
ui_keys H
check "handover form" ui_wait "Hand over command of $id"
check "default brief shown" screen_has "Card authorisations failing"
ui_type "carol"
ui_keys Tab C-k
ui_type "Watch the backup link. "
ui_keys C-g
check "handover started" ui_wait "Handover to carol started"
check "handover stored" db_is "SELECT to_holder FROM handovers WHERE acknowledged_at IS NULL" "carol"
check "edited brief stored" \
	db_is "SELECT count(*) FROM handovers WHERE brief LIKE 'Watch the backup link.%'" 1
check "alice keeps command until acknowledged" db_is "SELECT holder FROM leases" "alice"

ui_start_in carol WARROOM_ACTOR=carol -- open $id
check "carol sees the handover" ui_wait_in carol "Handover from alice waiting for you"
check "brief shown to carol" screen_has "Watch the backup link."
check "acknowledge offered" screen_has "[a] acknowledge"
ui_keys_in carol a
check "carol commands" ui_wait_in carol "the handover from alice is acknowledged"
check "lease with carol" db_is "SELECT holder FROM leases" "carol"
check "acknowledged on the timeline" \
	db_is "SELECT count(*) FROM events WHERE kind = 'handover-acknowledged'" 1
check "alice learns of it" ui_wait "Read-only viewer: carol on "

# SIGTERM and SIGHUP release the lease through the loop.
ui_signal TERM
check "alice's console ends on SIGTERM" ui_wait_exit 143
kill -s TERM "$(cat "$ui_tmp/pid.carol")"
check "carol's console ends on SIGTERM" ui_wait_exit_in carol 143
check "SIGTERM released the lease" db_is "SELECT count(*) FROM leases" 0
check "release on the timeline" \
	db_is "SELECT count(*) FROM events WHERE kind = 'command-released' AND actor = 'carol'" 1
ui_start -- open $id
check "alice commands once more" ui_wait "Cmdr alice@"
ui_signal HUP
check "SIGHUP exits 129" ui_wait_exit 129
check "SIGHUP released the lease" db_is "SELECT count(*) FROM leases" 0
finish
