#!/bin/sh
# Command-line tests of `warroom update` and `warroom due`. A draft that
# promises a fix time is caught, and approval without an override is
# rejected. The edited clean text is approved and published, and the publish
# command runs without a shell. `due` reports the cadence and exits 1 when
# an update is overdue.
. "$srcdir/tests/lib.sh"

run "$WARROOM" new --summary "Card payments declined at terminals" --product "Card payments" --priority P0
check "new incident exits 0" status_is 0
id=INC-2026-0001

# The clock starts at the incident's creation, 10:00.
run "$WARROOM" due --format tsv
check "due exits 0 while ok" status_is 0
check "due tsv: cs ok, due 10:30, limit 11:00, 30 minutes" \
	out_has "^$id	sev0	cs	ok	2026-03-02T10:30:00Z	2026-03-02T11:00:00Z	30\$"
check "due tsv: management follows the cadence" out_has "^$id	sev0	management	ok	"
check "due tsv: marketing follows none" out_lacks "	marketing	"

WARROOM_NOW=2026-03-02T10:45:00Z run "$WARROOM" due
check "due exits 0 while due" status_is 0
check "due text: overdue in 15 min" out_has "cs .*due .*overdue in 15 min"

WARROOM_NOW=2026-03-02T11:00:01Z run "$WARROOM" due "$id"
check "due exits 1 when overdue" status_is 1
check "due text: overdue by 1 min" out_has "cs .*overdue .*overdue by 1 min"

run "$WARROOM" due --format xml
check "due bad format exits 2" status_is 2

# A draft that promises a fix time.
run "$WARROOM" update "$id" draft --audience cs "Card payments will be fixed within 2 hours."
check "draft exits 0" status_is 0
check "draft prints the update id" out_is 1
check "draft shows the finding" err_has "^update-1:1:[0-9]*: error: .*\[fix-time-promise\]$"

run "$WARROOM" update "$id" check 1
check "check exits 1 on errors" status_is 1
check "check prints lint format" out_has "^update-1:1:[0-9]*: error: .*\[fix-time-promise\]$"
check "check prints a summary" out_has "^update-1: 1 error"

run "$WARROOM" update "$id" approve 1
check "approve without override exits 1" status_is 1
check "approve names the count" err_has "update 1 has 1 guardrail error; approve with --override REASON"
check "approve shows the finding" err_has "fix-time-promise"

run "$WARROOM" update "$id" approve 1 --override " "
check "approve blank override exits 2" status_is 2

run "$WARROOM" update "$id" publish 1
check "publish a draft exits 1" status_is 1
check "publish a draft says approve first" err_has "approve it before publishing"

clean="We are aware of an issue affecting card payments. Some customers may be affected since about 09:50 UTC. Current status: investigating. We will share the next update by 10:30 UTC."
run "$WARROOM" update "$id" edit 1 "$clean"
check "edit to clean text exits 0" status_is 0
check "edit clean text has no findings" [ ! -s "$test_tmp/err" ]

run "$WARROOM" update "$id" check 1
check "check clean exits 0" status_is 0
check "check clean prints nothing" [ ! -s "$test_tmp/out" ]

run "$WARROOM" update "$id" approve 1
check "approve clean exits 0" status_is 0
check "approve prints the outcome" out_is "update 1 approved"

run "$WARROOM" update "$id" edit 1 "Changed after approval"
check "edit after approve exits 1" status_is 1
check "edit after approve says why" err_has "already approved"

WARROOM_NOW=2026-03-02T10:20:00Z run "$WARROOM" update "$id" publish 1
check "publish exits 0" status_is 0
check "publish by hand is recorded as manual" out_is "update 1 marked published (manual): no publish command is set, so send the text by hand"

run "$WARROOM" update "$id" show 1
check "show exits 0" status_is 0
check "show state" out_has "^state: *published"
check "show audience label" out_has "^audience: *cs (Customer Service)"
check "show publisher" out_has "^published: *2026-03-02T10:20:00Z by alice"
check "show text" out_has "^We are aware of an issue affecting card payments"

# The cs clock restarts at the publication; management's still runs from 10:00.
WARROOM_NOW=2026-03-02T10:40:00Z run "$WARROOM" due --format tsv
check "due after publish: cs from 10:20" \
	out_has "^$id	sev0	cs	ok	2026-03-02T10:50:00Z	2026-03-02T11:20:00Z	10\$"
check "due after publish: management due" out_has "^$id	sev0	management	due	"

# Overriding the guardrails is stored and logged.
run "$WARROOM" update "$id" draft --audience management "Incident on card payments: service will be back within 2 hours. Customers affected since 09:50. Status: investigating."
check "second draft prints id 2" out_is 2
run "$WARROOM" update "$id" approve 2 --override "Head of IT confirmed the window"
check "approve with override exits 0" status_is 0
check "approve with override says so" out_has "^update 2 approved, overriding 1 guardrail error"
run "$WARROOM" log "$id" --format tsv
check "override is on the timeline" out_has "override: Head of IT confirmed the window (1 error)"
check "errors at approval stored" \
	[ "$(sqlite3 "$WARROOM_DB" "SELECT errors_at_approval FROM updates WHERE id = 2")" = 1 ]

# A draft from the playbook's template, filled from the record.
run "$WARROOM" update "$id" draft --audience cs --template
check "template draft exits 0" status_is 0
check "template draft prints id 3" out_is 3
check "template draft passes the guardrails" [ ! -s "$test_tmp/err" ]
run "$WARROOM" update "$id" show 3
check "template names the product" out_has "affecting Card payments"
check "template marks the unknown who" out_has "Customers (numbers still being confirmed)"
check "template promises the next update at the due time" out_has "next update by 10:50 UTC"

# Text from standard input.
echo "$clean" | run "$WARROOM" update "$id" draft --audience product -
check "draft from stdin prints id 4" out_is 4
run sqlite3 "$WARROOM_DB" "SELECT text FROM updates WHERE id = 4"
check "stdin text stored without the newline" out_is "$clean"

run "$WARROOM" update "$id" list
check "list exits 0" status_is 0
check "list has a header and four rows" out_lines 5
check "list row 1 published" out_has "^1 *cs *published"
check "list row 2 approved" out_has "^2 *management *approved"

run "$WARROOM" update "$id" list --audience cs --format tsv
check "list tsv filters the audience" out_lines 2
check "list tsv row fields" out_has "^1	cs	published	"

# The publish command: run without a shell, text on standard input.
cat >"$test_tmp/publish.sh" <<'EOF'
#!/bin/sh
cat >"$1.text"
printf '%s\n' "$2" >"$1.arg"
printf '%s %s %s\n' "$WARROOM_INCIDENT" "$WARROOM_AUDIENCE" "$WARROOM_UPDATE_ID" >"$1.env"
EOF
chmod +x "$test_tmp/publish.sh"
cat >"$test_tmp/settings.cfg" <<EOF
publish_command = ["$test_tmp/publish.sh", "$test_tmp/sent", "a b; touch $test_tmp/injected"];
EOF
run "$WARROOM" update "$id" approve 3
run "$WARROOM" --settings "$test_tmp/settings.cfg" update "$id" publish 3
check "publish with command exits 0" status_is 0
check "publish with command result ok" out_is "update 3 published (ok)"
check "publish command got the text" [ "$(cat "$test_tmp/sent.text")" = "$(sqlite3 "$WARROOM_DB" "SELECT text FROM updates WHERE id = 3")" ]
check "publish command got the argument unchanged" [ "$(cat "$test_tmp/sent.arg")" = "a b; touch $test_tmp/injected" ]
check "publish command ran no shell" [ ! -e "$test_tmp/injected" ]
check "publish command environment" [ "$(cat "$test_tmp/sent.env")" = "$id cs 3" ]

cat >"$test_tmp/fail.sh" <<'EOF'
#!/bin/sh
echo "gateway refused the message" >&2
exit 3
EOF
chmod +x "$test_tmp/fail.sh"
echo "publish_command = [\"$test_tmp/fail.sh\"];" >"$test_tmp/fail.cfg"
run "$WARROOM" --settings "$test_tmp/fail.cfg" update "$id" publish 2
check "failed publish exits 1" status_is 1
check "failed publish gives the reason" err_has "exit 3: gateway refused the message"
check "failed publish stays approved" \
	[ "$(sqlite3 "$WARROOM_DB" "SELECT state FROM updates WHERE id = 2")" = approved ]
run "$WARROOM" log "$id" --format tsv
check "failed publish is on the timeline" out_has "update publish failed"

# Bad input.
run "$WARROOM" update "$id" draft --audience press "text"
check "unknown audience exits 2" status_is 2
check "unknown audience is named" err_has 'unknown audience "press"'
run "$WARROOM" update "$id" draft "text"
check "draft without audience exits 2" status_is 2
run "$WARROOM" update "$id" draft --audience cs --template "text"
check "template with text exits 2" status_is 2
run "$WARROOM" update "$id" show 99
check "unknown update exits 2" status_is 2
run "$WARROOM" update "$id" show x1
check "bad update id exits 2" status_is 2
run "$WARROOM" update "$id" frobnicate
check "unknown action exits 2" status_is 2
run "$WARROOM" update INC-2026-0099 list
check "unknown incident exits 2" status_is 2
run "$WARROOM" new --summary "Statement download slow" --priority P2
run "$WARROOM" update INC-2026-0002 show 1
check "update of another incident exits 2" status_is 2
check "update of another incident says whose" err_has "belongs to $id"
check "rejected input stores nothing" [ "$(rows updates)" -eq 4 ]

WARROOM_NOW=2026-03-02T10:40:00Z run "$WARROOM" due INC-2026-0002
check "due sev2 exits 0" status_is 0
check "due sev2 has no cadence" out_has "none .*no cadence at sev2"

run "$WARROOM" update --help
check "update --help exits 0" status_is 0
check "update --help lists the actions" out_has "approve UID \[--override REASON\]"

finish
