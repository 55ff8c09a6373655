#!/bin/sh
# Command-line tests of need-to-know material: `note --restricted` and
# `hypothesis add --restricted` keep their text in the restricted file
# beside the database, never in the database, a handoff packet or an
# export. Run as root, the test adds a user, removed at exit, and checks
# that the operating system keeps that user out of the restricted file
# while the user still reads the database and sees "[restricted]".
. "$srcdir/tests/lib.sh"

secret_note="attacker address 203.0.113.9 in the proxy logs"
secret_hypothesis="stolen admin token used from 198.51.100.7"
restricted_file=$test_tmp/test.restricted.db
id=INC-2026-0001

run "$WARROOM" import "$fixtures/card-auth-switch-failure.json"
check "import exits 0" status_is 0

run "$WARROOM" note $id --restricted "$secret_note"
check "note --restricted exits 0" status_is 0
run "$WARROOM" hypothesis $id add --restricted "$secret_hypothesis"
check "hypothesis add --restricted exits 0" status_is 0
check "hypothesis add --restricted names it" out_has "hypothesis 1 added"
run "$WARROOM" hypothesis $id add "Switch failover misconfigured"
check "hypothesis add plain exits 0" status_is 0

run "$WARROOM" hypothesis $id list --restricted
check "hypothesis list --restricted exits 2" status_is 2
run "$WARROOM" note $id --restricted "   "
check "note --restricted blank exits 2" status_is 2

run stat -c %a "$restricted_file"
check "restricted file mode 600" out_is 600

# Evidence: ordinary until the incident is a security one, then restricted by default.
printf 'proxy log line from 203.0.113.9\n' >"$test_tmp/capture-7f3a.pcap"
printf 'switch vendor ticket\n' >"$test_tmp/ticket.txt"
printf 'login spike graph\n' >"$test_tmp/graph.txt"
run "$WARROOM" evidence $id add "$test_tmp/ticket.txt"
check "evidence plain exits 0" status_is 0
check "evidence plain not restricted" out_lacks "restricted evidence"
run "$WARROOM" classify $id --category security --reason "phishing kit found"
check "classify security exits 0" status_is 0
run "$WARROOM" evidence $id add "$test_tmp/capture-7f3a.pcap"
check "evidence security exits 0" status_is 0
check "evidence security is restricted" out_has "restricted evidence 7 added"
run "$WARROOM" evidence $id add --unrestricted "$test_tmp/graph.txt"
check "evidence --unrestricted exits 0" status_is 0
check "evidence --unrestricted is plain" out_lacks "restricted evidence"
run "$WARROOM" evidence $id verify
check "owner verifies restricted copies" status_is 0
check "restricted copy checked" out_has "^evidence 7 .*capture-7f3a.pcap: ok$"
run "$WARROOM" evidence $id add --restricted --unrestricted "$test_tmp/graph.txt"
check "evidence both flags exits 2" status_is 2
run "$WARROOM" evidence $id list --restricted
check "evidence list --restricted exits 2" status_is 2
run stat -c %a "$test_tmp/test.restricted-evidence/$id"
check "restricted folder mode 700" out_is 700
run "$WARROOM" evidence $id list
check "owner evidence list shows name" out_has "capture-7f3a.pcap"
run "$WARROOM" log $id
check "log lacks evidence name" out_lacks "capture-7f3a.pcap"

# The owner reads everything.
run "$WARROOM" hypothesis $id list
check "owner list shows text" out_has "$secret_hypothesis"
check "owner list shows plain" out_has "Switch failover misconfigured"
run "$WARROOM" log $id
check "owner log shows note" out_has "restricted note: $secret_note"
check "owner log hides hypothesis" out_lacks "stolen admin"

# Nothing restricted in the database, the timeline, the packets or the export.
run grep -a -c "203.0.113.9" "$WARROOM_DB" "$WARROOM_DB-wal"
check "database lacks note" out_lacks ":[1-9]"
run grep -a -c "stolen admin" "$WARROOM_DB" "$WARROOM_DB-wal"
check "database lacks hypothesis" out_lacks ":[1-9]"
run grep -a -c "capture-7f3a.pcap" "$WARROOM_DB" "$WARROOM_DB-wal"
check "database lacks evidence name" out_lacks ":[1-9]"
run grep -a -c "203.0.113.9" "$restricted_file" "$restricted_file-wal"
check "restricted file has note" out_has ":[1-9]"
for audience in cs product marketing finance management; do
	run "$WARROOM" handoff $id --audience $audience
	check "handoff $audience exits 0" status_is 0
	check "handoff $audience lacks note" out_lacks "203.0.113.9"
	check "handoff $audience lacks hypothesis" out_lacks "stolen admin"
	check "handoff $audience lacks evidence" out_lacks "capture-7f3a.pcap"
done
run "$WARROOM" brief $id
check "brief lacks hypothesis" out_lacks "stolen admin"
check "brief lacks note" out_lacks "203.0.113.9"
run "$WARROOM" export $id --output "$test_tmp/review.md"
check "export exits 0" status_is 0
run cat "$test_tmp/review.md"
check "export lacks note" out_lacks "203.0.113.9"
check "export lacks hypothesis" out_lacks "stolen admin"
check "export lacks evidence" out_lacks "capture-7f3a.pcap"

# --include-restricted adds the material for a user who can read it.
run "$WARROOM" export $id --include-restricted
check "export include exits 0" status_is 0
check "export include has note" out_has "$secret_note"
check "export include has hypothesis" out_has "hypothesis 1; alice; $secret_hypothesis"
check "export include has evidence" out_has "evidence 7; capture-7f3a.pcap"
run "$WARROOM" handoff $id --audience product --include-restricted
check "handoff include exits 0" status_is 0
check "handoff include has note" out_has "$secret_note"

# Another user: the database is readable, the restricted file is not.
reader=wr-r-$$
if [ "$(id -u)" -ne 0 ] || ! command -v useradd >/dev/null || ! command -v runuser >/dev/null; then
	for name in "reader cannot read file" "reader cannot list folder" "reader list exits 0" \
		"reader list shows marker" "reader list lacks text" "reader log exits 0" \
		"reader log shows marker" "reader log lacks note" "reader evidence exits 0" \
		"reader evidence shows marker" "reader evidence lacks name" \
		"reader verify fails" "reader verify says why" \
		"reader include rejected" "reader include names fix" "reader include prints nothing" \
		"group file mode 660" "group wal and shm match" \
		"group file group" "group member reads" "group outsider denied"; do
		tap_n=$((tap_n + 1))
		echo "ok $tap_n - $name # SKIP needs root, useradd and runuser"
	done
	finish
	exit
fi

useradd --no-create-home --shell /usr/sbin/nologin "$reader" || exit 99
trap 'userdel "$reader" 2>/dev/null; rm -rf "$test_tmp"' EXIT
chmod 0755 "$test_tmp"
chmod 0644 "$WARROOM_DB" "$WARROOM_DB-wal" "$WARROOM_DB-shm"
as_reader() {
	runuser -u "$reader" -- env WARROOM_DB="$WARROOM_DB" WARROOM_PLAYBOOK="$WARROOM_PLAYBOOK" \
		XDG_CONFIG_HOME="$XDG_CONFIG_HOME" XDG_DATA_HOME="$XDG_DATA_HOME" "$@"
}

run as_reader cat "$restricted_file"
check "reader cannot read file" err_has "Permission denied"
run as_reader ls "$test_tmp/test.restricted-evidence"
check "reader cannot list folder" err_has "Permission denied"
run as_reader "$WARROOM" hypothesis $id list
check "reader list exits 0" status_is 0
check "reader list shows marker" out_has "^1  unconfirmed  \[restricted\]$"
check "reader list lacks text" out_lacks "stolen admin"
run as_reader "$WARROOM" log $id
check "reader log exits 0" status_is 0
check "reader log shows marker" out_has "restricted note: \[restricted\]"
check "reader log lacks note" out_lacks "203.0.113.9"
run as_reader "$WARROOM" evidence $id list
check "reader evidence exits 0" status_is 0
check "reader evidence shows marker" out_has "^7 .*restricted .*\[restricted\]$"
check "reader evidence lacks name" out_lacks "capture-7f3a.pcap"
run as_reader "$WARROOM" evidence $id verify
check "reader verify fails" status_is 1
check "reader verify says why" out_has "restricted: not checked"
run as_reader "$WARROOM" export $id --include-restricted
check "reader include rejected" status_is 1
check "reader include names fix" err_has "permission denied; --include-restricted needs read access"
check "reader include prints nothing" out_lines 0

# With restricted_group set, the file is 0660 in that group: members read, others do not.
group=wr-g-$$
groupadd "$group" || exit 99
trap 'userdel "$reader" 2>/dev/null; groupdel "$group" 2>/dev/null; rm -rf "$test_tmp"' EXIT
printf 'restricted_group = "%s";\n' "$group" >"$test_tmp/group.cfg"
group_db=$test_tmp/group.db
run "$WARROOM" --db "$group_db" import "$fixtures/card-auth-switch-failure.json"
WARROOM_SETTINGS=$test_tmp/group.cfg run "$WARROOM" --db "$group_db" note $id --restricted "$secret_note"
run stat -c %a "$test_tmp/group.restricted.db"
check "group file mode 660" out_is 660
run stat -c %G "$test_tmp/group.restricted.db"
check "group file group" out_is "$group"
chmod 0644 "$group_db" "$group_db-wal" "$group_db-shm"
run stat -c "%a %G" "$test_tmp/group.restricted.db-wal" "$test_tmp/group.restricted.db-shm"
check "group wal and shm match" out_is "660 $group
660 $group"
run as_reader "$WARROOM" --db "$group_db" log $id
check "group outsider denied" out_has "restricted note: \[restricted\]"
usermod -a -G "$group" "$reader"
run as_reader "$WARROOM" --db "$group_db" log $id
check "group member reads" out_has "restricted note: $secret_note"

finish
