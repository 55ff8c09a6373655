#!/bin/sh
# Command-line tests of `warroom verify` and `warroom evidence`. verify
# must name an event altered with sqlite3 and report one that was deleted.
# evidence add, list and verify are checked, and rejected input must store
# nothing and leave no copy behind.
. "$srcdir/tests/lib.sh"

hello_sha=5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03
folder=$test_tmp/test.evidence/INC-2026-0001

for cmd in evidence verify; do
	run "$WARROOM" "$cmd" --help
	check "$cmd --help exits 0" status_is 0
	check "$cmd --help prints usage" out_has "^usage: warroom .*$cmd"
done

run "$WARROOM" import "$fixtures/card-auth-switch-failure.json"
check "import exits 0" status_is 0
WARROOM_NOW=2026-03-02T10:05:00Z run "$WARROOM" note INC-2026-0001 "Switch vendor called"
check "note exits 0" status_is 0

# verify: an untouched timeline
run "$WARROOM" verify INC-2026-0001
check "verify exits 0" status_is 0
check "verify says ok with the count" out_has '^INC-2026-0001: ok, 4 events, last hash [0-9a-f]\{64\}$'
run "$WARROOM" verify INC-2026-0099
check "verify unknown id exits 2" status_is 2
check "verify unknown id is named" err_has 'INC-2026-0099'
run "$WARROOM" verify
check "verify without id exits 2" status_is 2

# evidence add
printf 'hello\n' >"$test_tmp/switch.log"
mkdir "$test_tmp/logs"
run "$WARROOM" evidence INC-2026-0001 add "$test_tmp/switch.log" --note "exported from the switch"
check "evidence add exits 0" status_is 0
check "evidence add prints the hash" out_has "evidence 6 added: .*/switch.log sha256 $hello_sha (6 bytes)"
check "copy is stored" [ -f "$folder/$hello_sha-switch.log" ]
check "copy is read-only" [ "$(stat -c %a "$folder/$hello_sha-switch.log")" = 400 ]
check "folder is private" [ "$(stat -c %a "$folder")" = 700 ]
check "folder holds only the copy" [ "$(ls -A "$folder" | wc -l)" -eq 1 ]
run "$WARROOM" log INC-2026-0001 --format tsv
check "timeline names the file and hash" \
	out_has "	evidence added	file switch.log added as evidence 6: sha256 $hello_sha, 6 bytes; note: exported from the switch$"

# evidence add: refused input adds nothing
rows_before=$(rows evidence)
run "$WARROOM" evidence INC-2026-0001 add "$test_tmp/switch.log"
check "duplicate exits 2" status_is 2
check "duplicate names the earlier evidence" err_has 'already registered as evidence 6 of INC-2026-0001'
run "$WARROOM" evidence INC-2026-0001 add "$test_tmp/logs"
check "folder exits 2" status_is 2
check "folder is explained" err_has 'logs: is a folder'
printf 'second\n' >"$test_tmp/second.log"
run "$WARROOM" evidence INC-2026-0001 add "$test_tmp/second.log" "$test_tmp/missing.log"
check "batch with a missing file exits 2" status_is 2
check "missing file is named" err_has 'missing.log: no such file'
check "refused adds store no rows" [ "$(rows evidence)" -eq "$rows_before" ]
check "refused adds leave no copies" [ "$(ls -A "$folder" | wc -l)" -eq 1 ]
run "$WARROOM" evidence INC-2026-0099 add "$test_tmp/second.log"
check "unknown incident exits 2" status_is 2

# evidence list
run "$WARROOM" evidence INC-2026-0001 list
check "list exits 0" status_is 0
check "list shows the handoff row" out_has '^1 *handoff '
check "list shows the file" out_has "^6 *file *5891b5b522d5 *6 alice .*/switch.log$"
run "$WARROOM" evidence INC-2026-0001 list --format tsv
check "list tsv has the full hash" out_has "^6	file	$hello_sha	6	alice	"

# evidence verify
run "$WARROOM" evidence INC-2026-0001 verify
check "evidence verify exits 0" status_is 0
check "evidence verify says ok" out_has '^evidence 6 .*/switch.log: ok$'
chmod u+w "$folder/$hello_sha-switch.log"
printf 'tampered\n' >>"$folder/$hello_sha-switch.log"
run "$WARROOM" evidence INC-2026-0001 verify
check "changed copy exits 1" status_is 1
check "changed copy shows both hashes" out_has "switch.log: changed (expected $hello_sha got [0-9a-f]\{64\})$"
rm -f "$folder/$hello_sha-switch.log"
run "$WARROOM" evidence INC-2026-0001 verify
check "missing copy exits 1" status_is 1
check "missing copy is reported" out_has 'switch.log: missing'

# evidence: usage
run "$WARROOM" evidence INC-2026-0001 frobnicate
check "unknown action exits 2" status_is 2
run "$WARROOM" evidence INC-2026-0001 add
check "add without files exits 2" status_is 2
run "$WARROOM" evidence INC-2026-0001 list extra
check "list with an argument exits 2" status_is 2
run "$WARROOM" evidence INC-2026-0001 verify --note x
check "note with verify exits 2" status_is 2

# verify: the evidence events joined the chain
run "$WARROOM" verify INC-2026-0001
check "verify after evidence exits 0" status_is 0

# verify: an event altered with sqlite3 is named
sqlite3 "$WARROOM_DB" "DROP TRIGGER events_no_update; UPDATE events SET details = 'Nobody called' WHERE incident_id = 'INC-2026-0001' AND seq = 4"
run "$WARROOM" verify INC-2026-0001
check "altered event exits 1" status_is 1
check "altered event is named" \
	out_is 'INC-2026-0001: event 4 (note, 2026-03-02T10:05:00Z) was altered: its hash does not match its contents'

# verify: a deleted event leaves a gap
run "$WARROOM" new --summary "Second incident"
check "new exits 0" status_is 0
run "$WARROOM" note INC-2026-0002 "first note"
run "$WARROOM" note INC-2026-0002 "second note"
sqlite3 "$WARROOM_DB" "DROP TRIGGER events_no_delete; DELETE FROM events WHERE incident_id = 'INC-2026-0002' AND seq = 2"
run "$WARROOM" verify INC-2026-0002
check "deleted event exits 1" status_is 1
check "deleted event is reported" \
	out_is 'INC-2026-0002: event 2 is missing: event 3 (note, 2026-03-02T10:00:00Z) follows event 1'

finish
