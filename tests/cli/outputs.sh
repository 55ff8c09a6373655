#!/bin/sh
# Command-line tests of `warroom handoff`, `warroom brief` and `warroom
# export`: exit statuses, the key lines of each output, drafts and
# unconfirmed facts kept out of the packets, and --output writing a 0600
# file or nothing at all.
. "$srcdir/tests/lib.sh"

run "$WARROOM" import "$fixtures/card-auth-switch-failure.json"
check "import exits 0" status_is 0
id=INC-2026-0001

approved="We are aware of an issue affecting card payments. Some customers may be affected since about 09:50 UTC. Current status: investigating. We will share the next update by 10:30 UTC."
draft="Unapproved wording that must stay inside the war room"

run "$WARROOM" update "$id" draft --audience cs "$approved"
check "draft exits 0" status_is 0
uid=$(cat "$test_tmp/out")
run "$WARROOM" update "$id" approve "$uid"
check "approve exits 0" status_is 0
run "$WARROOM" update "$id" publish "$uid"
check "publish exits 0" status_is 0
run "$WARROOM" update "$id" draft --audience cs "$draft"
check "second draft exits 0" status_is 0
run "$WARROOM" hypothesis "$id" add "An unchecked idea about the switch"
check "hypothesis exits 0" status_is 0
run "$WARROOM" window "$id" --from 2018-06-01T13:35:00Z --to 2018-06-01T14:50:00Z --types card
check "window exits 0" status_is 0

# handoff
run "$WARROOM" handoff "$id"
check "handoff without audience exits 2" status_is 2
check "handoff without audience names the option" err_has "--audience is required"

run "$WARROOM" handoff "$id" --audience press
check "handoff unknown audience exits 2" status_is 2
check "handoff unknown audience names it" err_has 'no handoff packet for audience "press"'

run "$WARROOM" handoff INC-2026-0099 --audience cs
check "handoff unknown incident exits 2" status_is 2
check "handoff unknown incident names it" err_has "INC-2026-0099"

run "$WARROOM" handoff "$id" --audience cs
check "handoff cs exits 0" status_is 0
check "handoff cs title" out_has "^Handoff to Customer Service: $id\$"
check "handoff cs shows the published update" out_has "share the next update by 10:30 UTC"
check "handoff cs shows the impact facts" out_has "^  What: "

for audience in cs product marketing finance management; do
	run "$WARROOM" handoff "$id" --audience "$audience"
	check "handoff $audience exits 0" status_is 0
	check "handoff $audience has no draft" out_lacks "$draft"
	check "handoff $audience has no unconfirmed hypothesis" out_lacks "An unchecked idea"
	check "handoff $audience has no unconfirmed window" out_lacks "2018-06-01T13:35:00Z"
done

run "$WARROOM" window "$id" confirm 1
check "window confirm exits 0" status_is 0
run "$WARROOM" handoff "$id" --audience finance
check "handoff finance shows the confirmed window" \
	out_has "^  - 2018-06-01T13:35:00Z to 2018-06-01T14:50:00Z (1 h 15 min): card\$"

# brief
run "$WARROOM" brief "$id"
check "brief exits 0" status_is 0
check "brief section 1" out_has "^1\. Reproduction and missing details (to the reporter)\$"
check "brief section 2" out_has "^2\. Logging checklist (to the responders)\$"
check "brief section 3" out_has "^3\. Immediate containment (to the responders)\$"
check "brief section 4" out_has "^4\. Customer Service update (draft, not approved)\$"
check "brief section 5" out_has "^5\. Escalation and incident command\$"
check "brief draft passes the guardrails" out_has "Guardrails: 0 errors"
check "brief cadence" out_has "Customer Service update every 30 minutes, at the latest every 60 minutes"

printf '{"summary": "Transfers fail", "source": "t", "reference": "R1", "product": "Online and mobile banking"}' \
	>"$test_tmp/bare.json"
run "$WARROOM" import "$test_tmp/bare.json"
check "bare import exits 0" status_is 0
run "$WARROOM" brief INC-2026-0002
check "bare brief exits 0" status_is 0
check "bare brief asks for reproduction" out_has "Reproduction steps (reproduction)"
check "bare brief asks for detected_at" out_has "Detection time (detected_at)"
check "bare brief does not ask for the product" out_lacks "Product: which product"

sed 's/{ category = "outage";/{ category = "outages";/' "$srcdir/data/playbook.cfg" >"$test_tmp/bad.cfg"
line=$(grep -n 'category = "outages"' "$test_tmp/bad.cfg" | cut -d: -f1)
run "$WARROOM" --playbook "$test_tmp/bad.cfg" brief "$id"
check "brief bad playbook exits 2" status_is 2
check "brief bad playbook names file and line" \
	err_has "bad.cfg:$line: logging\[0\]\.category: unknown category"

run "$WARROOM" brief INC-2026-0099
check "brief unknown incident exits 2" status_is 2

# export
run "$WARROOM" export "$id"
check "export exits 0" status_is 0
check "export title" out_has "^# Post-incident review: INC-2026-0001\$"
check "export timeline" out_has "^## Timeline\$"
check "export communications" out_has "^## Communications review\$"
check "export response times" out_has "^- \*\*Time to resolve:\*\* not reached\$"
cp "$test_tmp/out" "$test_tmp/stdout.md"

run "$WARROOM" export "$id" --output "$test_tmp/review.md"
check "export --output exits 0" status_is 0
check "export --output prints nothing" [ ! -s "$test_tmp/out" ]
check "export --output mode 0600" [ "$(stat -c %a "$test_tmp/review.md")" = 600 ]
check "export --output matches stdout" cmp -s "$test_tmp/review.md" "$test_tmp/stdout.md"

run "$WARROOM" export "$id" --output "$test_tmp/missing/review.md"
check "export unwritable folder exits 2" status_is 2
check "export unwritable folder says why" err_has "cannot create a file in the folder .*missing"
check "export unwritable folder leaves no file" [ ! -e "$test_tmp/missing/review.md" ]

run "$WARROOM" export INC-2026-0099
check "export unknown incident exits 2" status_is 2

printf '{"summary": "bell\\u0007 and \\u001b[31mred", "source": "t", "reference": "R2"}' >"$test_tmp/esc.json"
run "$WARROOM" import "$test_tmp/esc.json"
run "$WARROOM" export INC-2026-0003
check "export escapes ESC" out_has 'bell\\\\x07 and \\\\e\\\[31mred'
check "export sends no raw ESC" sh -c "! grep -q \"$(printf '\033')\" '$test_tmp/out'"
run "$WARROOM" handoff INC-2026-0003 --audience management
check "handoff sends no raw ESC" sh -c "! grep -q \"$(printf '\033')\" '$test_tmp/out'"

finish
