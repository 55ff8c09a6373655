#!/bin/sh
# Console test: one imported card incident walked through the seven steps
# to resolved, by keys only. Each change is checked on the screen (the
# message line, the tab's completion mark, the header) and in the database.
. "$srcdir/tests/ui/lib.sh"

id=INC-2018-0001
run "$WARROOM" import "$fixtures/card-auth-switch-failure.json"
check "import exits 0" test "$status" -eq 0

ui_start -- open $id
check "console opens on classify" ui_wait "Name the category and the scope."

# Step 1: the suggested category is where the picker's cursor starts.
ui_keys Enter
check "category picker opens" ui_wait "suggested by the risk indicators"
ui_keys Enter
check "category set" ui_wait "Category set to Outage."
check "classify tab complete" ui_wait "1 Classify ✓"
check "category stored" db_is "SELECT category FROM incidents WHERE id = '$id'" outage

# Step 2: the suggested severity needs no reason.
ui_keys 2
check "severity pane" ui_wait "Assign Sev 0-3"
check "suggestion and rule shown" screen_has "Blocked payments are Sev 0 (rule"
ui_keys s
check "picker opens" ui_wait "suggested: Blocked payments are Sev 0"
ui_keys Enter
check "severity set" ui_wait "Severity set to Sev 0."
check "header shows SEV 0" ui_wait "SEV 0"
check "severity tab complete" screen_has "2 Severity ✓"

# Step 3: the commander and a hypothesis, confirmed with a note.
ui_keys 3
check "record pane" ui_wait "Start the record"
ui_keys Down Down
check "unnamed commander explained" ui_wait "the incident commander for the record"
ui_keys Enter
check "commander prompt" ui_wait "Who commands the incident"
ui_keys C-u
ui_type "Dana Whitfield"
ui_keys Enter
check "commander recorded" ui_wait "Record updated."
check "record shows the commander" ui_wait "Dana Whitfield"
check "header shows the lease holder" screen_has "Cmdr alice@"
ui_keys G Enter
check "hypothesis prompt" ui_wait "Add a hypothesis (recorded as unconfirmed)"
ui_type "Backup switch failed to take over"
ui_keys Enter
check "hypothesis added" ui_wait "Hypothesis added, unconfirmed."
check "hypothesis shown unconfirmed" screen_has "[unconfirmed] Backup switch failed to take over"
ui_keys Up Enter
check "decision menu" ui_wait "The evidence supports it"
ui_keys Enter
check "confirm note prompt" ui_wait "Confirm the hypothesis"
ui_type "switch logs show no failover"
ui_keys Enter
check "hypothesis confirmed" ui_wait "Hypothesis confirmed."
check "hypothesis shown confirmed" ui_wait "[confirmed] Backup switch failed to take over"
check "hypothesis stored" db_is "SELECT status FROM hypotheses" confirmed

# Step 4: every triage item, one of them not applicable.
ui_keys 4
check "triage pane" ui_wait "Triage and containment"
n=1
while [ $n -le 7 ]; do
	ui_keys Enter
	ui_wait "Mark the item done" || break
	if [ $n -eq 6 ]; then
		ui_keys Down Enter
		ui_wait "Why it does not apply" || break
		ui_type "no rate limit on the switch link"
	else
		ui_keys Enter
		ui_wait "Note (optional)" || break
	fi
	ui_keys Enter
	ui_wait_gone "Note (optional)" || break
	ui_wait_gone "Why it does not apply" || break
	ui_keys Down
	n=$((n + 1))
done
check "seven items marked" test $n -eq 8
check "triage tab complete" ui_wait "4 Triage ✓"
check "not applicable shown" screen_has "Not applicable, by alice"
check "marks stored" db_is "SELECT count(*) FROM checklist WHERE list = 'triage'" 7

# Step 5: one form for the three facts, then the status picker.
ui_keys 5
check "impact pane" ui_wait "Customer impact statement"
ui_keys Enter
check "impact form" ui_wait "What is impacted (for example"
ui_type "card payments in the UK"
ui_keys Enter
ui_type "some customers"
ui_keys Enter Enter
check "status picker" ui_wait "Current status"
ui_keys Enter
check "impact recorded" ui_wait "Impact statement recorded."
check "impact tab complete" ui_wait "5 Impact ✓"
check "impact stored" db_is "SELECT impact_who || '|' || impact_status FROM incidents" \
	"some customers|investigating"

# Step 6: resolving before the validations shows the core's refusal.
ui_keys 6
check "resolve pane" ui_wait "Validations before resolving"
check "journeys for the product" screen_has "contactless purchase"
ui_keys G Enter
check "resolve refused before the note" ui_wait "cannot resolve $id: not yet recorded"
check "no note asked while refused" screen_lacks "Note: how it was fixed"
check "still open" db_is "SELECT status FROM incidents" open
ui_keys g Enter
check "validation prompt" ui_wait "what you checked and saw"
ui_type "decline rate back to 1.2% baseline"
ui_keys Enter
check "monitoring validated" ui_wait "Validation recorded: monitoring."
ui_keys Down Enter
check "second validation prompt" ui_wait "what you checked and saw"
ui_type "chip-and-PIN, contactless and online purchases pass"
ui_keys Enter
check "journeys validated" ui_wait "Validation recorded: journeys."
ui_keys Down Enter
check "tickets item menu" ui_wait "Mark the item done"
ui_keys Enter
ui_wait "Note (optional)"
ui_keys Enter
check "tickets closed" ui_wait "Marked done: Coordinate with Customer Service"
ui_keys G Enter
ui_wait "Note: how it was fixed"
ui_type "traffic moved to the backup switch"
ui_keys Enter
check "incident resolved" ui_wait "Incident resolved."
check "header shows RESOLVED" ui_wait "RESOLVED"
check "header shows how long it lasted" screen_has "Lasted 1h 25m"
check "resolve tab complete" screen_has "6 Resolve ✓"
check "resolved stored" db_is "SELECT status FROM incidents" resolved

# Step 7: root cause, one action of each kind, and the Markdown export.
ui_keys 7
check "review pane" ui_wait "Post-incident review"
ui_keys Enter
check "root cause prompt" ui_wait "What caused the incident"
ui_type "Primary switch half-failed and health checks kept it in service"
ui_keys Enter
check "root cause recorded" ui_wait "Root cause recorded."
ui_keys Down Enter
check "corrective form" ui_wait "Add a corrective action"
ui_type "Payments platform team"
ui_keys Enter
ui_type "2018-06-15"
ui_keys Enter
ui_type "Fail over on partial health"
ui_keys Enter
check "corrective added" ui_wait "Corrective action added."
# The cursor stays on the button it pressed; the prevention button is next.
ui_keys Down Enter
check "prevention form" ui_wait "Add a prevention task"
ui_type "SRE"
ui_keys Enter
ui_type "2018-07-01"
ui_keys Enter
ui_type "Quarterly failover drill"
ui_keys Enter
check "prevention added" ui_wait "Prevention task added."
check "review tab complete" ui_wait "7 Review ✓"
check "actions stored" db_is "SELECT count(*) FROM actions" 2
ui_keys G Up Enter
check "export prompt" ui_wait "Export the post-incident review"
ui_keys C-u
ui_type "$ui_tmp/review.md"
ui_keys Enter
check "export written" ui_wait "Review written to"
check "export file has the root cause" grep -q "Primary switch half-failed" "$ui_tmp/review.md"

ui_keys q
check "quit exits 0" ui_wait_exit 0

# Three hours later the length of a resolved incident has not grown.
ui_start WARROOM_NOW=2018-06-01T18:00:00Z -- open $id
check "reopened resolved" ui_wait "RESOLVED"
check "length kept after resolving" screen_has "Lasted 1h 25m"

# The review is complete, so closing requests only a confirmation.
ui_keys 7
check "review pane again" ui_wait "Post-incident review"
ui_keys G Enter
check "close asks to confirm" ui_wait "Close the incident?"
ui_keys Up Enter
check "incident closed" ui_wait "Incident closed."
check "closed stored" db_is "SELECT status FROM incidents" closed
ui_keys q
check "quit again exits 0" ui_wait_exit 0
finish
