#!/bin/sh
# Command-line tests of the general commands: help, version, new, list,
# show, log, note, the playbook check, exit statuses and the database file.
. "$srcdir/tests/lib.sh"

run "$WARROOM" --help
check "help exits 0" status_is 0
check "help lists import" out_has '^  import'

run "$WARROOM" --version
check "version exits 0" status_is 0
check "version prints the name" out_has '^warroom '

for cmd in import new list show log note demo playbook; do
	run "$WARROOM" "$cmd" --help
	check "$cmd --help exits 0" status_is 0
	check "$cmd --help prints usage" out_has "^usage: warroom .*$cmd"
done

run "$WARROOM" frobnicate
check "unknown command exits 2" status_is 2
check "unknown command is named" err_has 'unknown command "frobnicate"'

run "$WARROOM" list
check "list on a missing database exits 1" status_is 1
check "missing database is named" err_has "$WARROOM_DB"

run "$WARROOM" new --summary "Login failures on the mobile app" --product "Online and mobile banking" \
	--channel "mobile app" --priority P2
check "new exits 0" status_is 0
check "new prints the id" out_is INC-2026-0001
check "database is not world-readable" sh -c "[ -z \"\$(find '$WARROOM_DB' -perm /o+rwx)\" ]"

run "$WARROOM" new --summary "x" --priority urgent
check "new with bad priority exits 2" status_is 2
run "$WARROOM" new
check "new without summary exits 2" status_is 2

run "$WARROOM" show INC-2026-0001 --format json
check "new suggests from priority" out_has '"suggested_severity": "sev2"'
check "show json has channels" out_has '"mobile app"'

run "$WARROOM" show INC-2026-0099
check "show unknown id exits 2" status_is 2
check "show unknown id names it" err_has 'INC-2026-0099'

run "$WARROOM" note INC-2026-0001 "Checked the login service dashboards"
check "note exits 0" status_is 0
run "$WARROOM" log INC-2026-0001 --format tsv
check "log tsv shows the note" out_has '^2026-03-02T10:00:00Z	alice	note	Checked the login service dashboards$'
check "log starts with opened" sh -c "head -n 1 '$test_tmp/out' | grep -q '	opened	'"

WARROOM_NOW=2027-01-05T09:00:00Z run "$WARROOM" new --summary "new year"
check "id sequence restarts each year" out_is INC-2027-0001

run "$WARROOM" list --format tsv
check "list tsv shows both" out_lines 2

run "$WARROOM" playbook check
check "bundled playbook checks ok" status_is 0
printf 'severities = (\n  { id = "sev0"; }\n);\n' >"$test_tmp/broken.cfg"
run "$WARROOM" playbook check "$test_tmp/broken.cfg"
check "broken playbook exits 2" status_is 2
check "broken playbook names file and line" err_has 'broken.cfg:2: '
run "$WARROOM" --playbook "$test_tmp/broken.cfg" list
check "list with a broken --playbook exits 2" status_is 2
check "list with a broken --playbook names it" err_has 'broken.cfg:2: '

# Every command that --help lists has its own entry in the man page.
"$WARROOM" --help | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p' >"$test_tmp/commands"
check "help lists commands" [ -s "$test_tmp/commands" ]
while read -r cmd; do
	check "man page documents $cmd" grep -q "^\.BR\{0,1\} \"\{0,1\}$cmd[ \"]" "$srcdir/data/warroom.1"
done <"$test_tmp/commands"

run "$WARROOM" --db "$test_tmp/other.db" list
check "--db overrides WARROOM_DB" err_has 'other.db'

finish
