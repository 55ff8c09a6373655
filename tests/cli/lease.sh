#!/bin/sh
# Command-line tests of the commander's lease and handovers. A command line
# lease belongs to the process that ran warroom: here this script's shell,
# so every call below acts as the same process unless WARROOM_ACTOR names
# another person. A lease taken from `sh -c` belongs to a shell that has
# ended by the next call, which makes it stale on this host.
. "$srcdir/tests/lib.sh"

host=$(uname -n)
id=INC-2026-0001

for cmd in command lease handover; do
	run "$WARROOM" "$cmd" --help
	check "$cmd --help exits 0" status_is 0
	check "$cmd --help prints usage" out_has "^usage: warroom .*$cmd"
done

run "$WARROOM" new --summary "Card authorisations failing" --priority P1
check "new exits 0" status_is 0

# Taking and renewing.
run "$WARROOM" lease "$id"
check "lease before exits 0" status_is 0
check "lease before says nobody" out_is "$id: nobody commands it"
run "$WARROOM" command "$id"
check "command exits 0" status_is 0
check "command names the holder" out_is "$id: command taken by alice on $host (pid $$)"
events=$(rows events)
run "$WARROOM" command "$id"
check "command again renews" out_is "$id: command renewed for alice on $host (pid $$)"
check "renewal writes no event" test "$(rows events)" -eq "$events"
run "$WARROOM" lease "$id"
check "lease shows the holder" out_has "^$id: commanded by alice on $host (pid $$)$"
check "lease shows since" out_has '^  since: 2026-03-02T10:00:00Z$'
check "lease shows live" out_has '^  state: live$'

# Another person is rejected with the commander's name and how to take over.
WARROOM_NOW=2026-03-02T10:00:05Z
export WARROOM_NOW
run env WARROOM_ACTOR=bob "$WARROOM" command "$id"
check "command held exits 1" status_is 1
check "command held names the holder" \
	err_has "is commanded by alice on $host (pid $$) since 2026-03-02T10:00:00Z, last seen 5 s ago"
check "command held suggests a takeover" err_has "--takeover --reason TEXT"
check "rejection writes no event" test "$(rows events)" -eq "$events"
run env WARROOM_ACTOR=bob "$WARROOM" command "$id" --takeover
check "takeover without reason exits 2" status_is 2
run env WARROOM_ACTOR=bob "$WARROOM" command "$id" --reason "why"
check "reason without takeover exits 2" status_is 2
run env WARROOM_ACTOR=bob "$WARROOM" command "$id" --release --takeover --reason x
check "release with takeover exits 2" status_is 2
check "usage errors write no event" test "$(rows events)" -eq "$events"

run env WARROOM_ACTOR=bob "$WARROOM" command "$id" --takeover --reason "alice is on a call"
check "takeover exits 0" status_is 0
check "takeover names both" \
	out_is "$id: command taken by bob on $host (pid $$) over from alice on $host (pid $$)"
run "$WARROOM" log "$id"
check "takeover is on the timeline" out_has "command-taken-over: command taken over from alice@$host"
check "takeover reason is on the timeline" out_has ": alice is on a call$"

# Alice can no longer release what bob holds.
run "$WARROOM" command "$id" --release
check "release by non-holder exits 1" status_is 1
check "release by non-holder names bob" err_has "bob on $host"

# Stale by heartbeat age: 91 s after bob's last call.
WARROOM_NOW=2026-03-02T10:01:36Z
export WARROOM_NOW
run "$WARROOM" lease "$id"
check "lease shows stale" out_has '^  state: stale: no heartbeat for over 90 s$'
run env WARROOM_ACTOR=carol "$WARROOM" command "$id"
check "stale lease taken exits 0" status_is 0
check "stale lease taken says so" out_has "from a stale lease of bob"
run "$WARROOM" log "$id"
check "stale taking is on the timeline" out_has "from a stale lease (bob@$host"

# Stale by ended process: dave's lease belongs to a shell that has ended.
run env WARROOM_ACTOR=dave sh -c '"$0" command "$1" --takeover --reason "carol left"' \
	"$WARROOM" "$id"
check "takeover from sh -c exits 0" status_is 0
run "$WARROOM" lease "$id"
check "lease shows ended process" out_has '^  state: stale: its process has ended$'
run env WARROOM_ACTOR=erin "$WARROOM" command "$id"
check "ended process lease taken exits 0" status_is 0
check "ended process lease taken says stale" out_has "from a stale lease of dave"

# A settings file with a longer stale limit keeps a 91 s old heartbeat live.
cat >"$test_tmp/long.cfg" <<'EOF'
lease_stale_seconds = 300;
EOF
WARROOM_NOW=2026-03-02T10:03:07Z
export WARROOM_NOW
run "$WARROOM" --settings "$test_tmp/long.cfg" lease "$id"
check "longer stale limit keeps it live" out_has '^  state: live$'
run "$WARROOM" lease "$id"
check "default stale limit makes it stale" out_has '^  state: stale: no heartbeat'
cat >"$test_tmp/bad.cfg" <<'EOF'
lease_heartbeat_seconds = 60;
lease_stale_seconds = 100;
EOF
run "$WARROOM" --settings "$test_tmp/bad.cfg" lease "$id"
check "stale limit under twice the heartbeat exits 2" status_is 2
check "stale limit problem names the line" err_has 'bad.cfg:2: lease_stale_seconds (100)'

# Release.
WARROOM_NOW=2026-03-02T10:03:30Z
export WARROOM_NOW
run env WARROOM_ACTOR=erin "$WARROOM" command "$id" --release
check "release exits 0" status_is 0
check "release says so" out_is "$id: command released"
run "$WARROOM" lease "$id"
check "lease after release says nobody" out_is "$id: nobody commands it"
run env WARROOM_ACTOR=erin "$WARROOM" command "$id" --release
check "release twice exits 1" status_is 1

# Handovers.
run "$WARROOM" handover "$id" --to carol
check "handover without command exits 1" status_is 1
run "$WARROOM" command "$id"
run "$WARROOM" hypothesis "$id" add "Card scheme switch capacity exhausted"
events=$(rows events)
run "$WARROOM" handover "$id" --to alice
check "handover to self exits 2" status_is 2
run env WARROOM_ACTOR=bob "$WARROOM" handover "$id" --to carol
check "handover by non-commander exits 1" status_is 1
check "handover by non-commander names alice" err_has "that is alice on $host"
run "$WARROOM" handover "$id" ack 1
check "ack of missing handover exits 2" status_is 2
run "$WARROOM" handover "$id"
check "handover without --to exits 2" status_is 2
check "rejected handovers write no event" test "$(rows events)" -eq "$events"

run "$WARROOM" handover "$id" --to carol
check "handover exits 0" status_is 0
check "handover prints how to ack" \
	out_has "^$id: handover 1 started; command stays with you until carol runs \`warroom handover $id ack 1\`$"
check "handover prints the default brief" out_has '^  Severity: not set (suggested sev1)$'
check "default brief lists open steps" out_has '^    1 classify missing: category'
check "default brief lists hypotheses" out_has '^    1\. Card scheme switch capacity exhausted$'
run "$WARROOM" lease "$id"
check "lease stays until ack" out_has "commanded by alice"

run "$WARROOM" handover "$id" show
check "show exits 0" status_is 0
check "show lists the handover" \
	out_has '^handover 1: alice → carol, started 2026-03-02T10:03:30Z, pending$'

events=$(rows events)
run env WARROOM_ACTOR=dave "$WARROOM" handover "$id" ack 1
check "ack by the wrong person exits 1" status_is 1
check "ack by the wrong person says whose" err_has 'is to carol, not to dave'
check "wrong ack writes no event" test "$(rows events)" -eq "$events"
run env WARROOM_ACTOR=carol "$WARROOM" handover "$id" ack 1
check "ack exits 0" status_is 0
check "ack names the new holder" \
	out_is "$id: handover 1 acknowledged; command passed to carol on $host (pid $$)"
run "$WARROOM" lease "$id"
check "lease moved on ack" out_has "commanded by carol"
run "$WARROOM" handover "$id" show 1
check "show one says acknowledged" out_has ', acknowledged at 2026-03-02T10:03:30Z$'
run "$WARROOM" handover "$id" show 7
check "show of a missing handover exits 2" status_is 2

printf 'Call the card scheme at 11:00.\nBridge: ext 4411\n' >"$test_tmp/brief.txt"
run env WARROOM_ACTOR=carol sh -c '"$0" handover "$1" --to alice --brief - <"$2"' \
	"$WARROOM" "$id" "$test_tmp/brief.txt"
check "handover with brief from stdin exits 0" status_is 0
run "$WARROOM" handover "$id" show 2
check "brief from stdin is kept" out_has '^  Bridge: ext 4411$'

run "$WARROOM" log "$id"
check "log has handover-started" out_has 'handover-started: handover 1 started: alice → carol'
check "log has handover-acknowledged" \
	out_has "handover-acknowledged: handover 1 acknowledged: command passed from alice to carol@$host"

run "$WARROOM" command INC-2026-0099
check "command on an unknown incident exits 2" status_is 2
run "$WARROOM" lease
check "lease without an id exits 2" status_is 2

finish
