#!/bin/sh
# Console test: opening imported real handoffs with `warroom open ID`. The
# header, the step tabs, the first open step's pane and the timeline beside
# it show the record. Then q leaves the console and restores the screen.
. "$srcdir/tests/ui/lib.sh"

run "$WARROOM" import "$fixtures/card-auth-switch-failure.json" \
	"$fixtures/core-banking-migration-logins.json"
check "import exits 0" test "$status" -eq 0

ui_start -- open INC-2018-0001
check "header shows the id" ui_wait "INC-2018-0001"
check "header shows the suggested severity" screen_has "SEV 0?"
check "header shows the state" screen_has " OPEN "
check "header shows the product" screen_has "Card payments"
check "header shows the commander" screen_has "Cmdr alice@"
check "header shows the age" screen_has "Age 1h 25m"
check "header shows the overdue update" screen_has "Customer Service update OVERDUE by 25m"
check "summary line" screen_has "Card authorisations failing for a share of UK transactions"
check "tab 1 shown open" screen_has "1 Classify ·"
check "tab 3 shown complete" screen_has "3 Record ✓"
check "tab 7 shown" screen_has "7 Review"
check "no security tab for a card outage" screen_lacks "Security"
check "no security key hint for a card outage" screen_lacks "8 security"
check "pane starts on classify" screen_has "Name the category and the scope."
check "missing fields listed" screen_has "Missing: category"
check "suggested category marked" screen_has "Suggested by the risk indicators: Outage"
check "risk indicators listed" screen_has "Payments blocked (suggests Outage)"
check "timeline beside the pane" screen_has "Timeline (4 events)"
check "taking command logged" screen_has "command taken by alice@"
check "timeline has the import" screen_has "from ops-dashboard DASH-2018-06-01-0007"
check "key hints shown" screen_has "? help"

ui_keys 3
check "record lists the evidence" ui_wait "Evidence"
ui_keys G
check "the handoff is the first evidence" ui_wait "card-auth-switch-failure.json"
check "evidence items from the handoff" screen_has "metric uk_card_auth_decline_rate"
ui_keys 1

ui_keys b
check "brief opens" ui_wait "Brief for INC-2018-0001"
check "brief has its sections" screen_has "1. Reproduction and missing details"
ui_keys Escape
check "brief closes" ui_wait_gone "Brief for INC-2018-0001"

ui_keys q
check "q exits 0" ui_wait_exit 0
check "screen restored after q" ui_wait_gone "INC-2018-0001"

# The migration incident suspects a data exposure: the security mini-SOP applies.
ui_start -- open INC-2018-0002
check "second incident opens" ui_wait "INC-2018-0002"
check "security tab shown" screen_has "8 Security"
check "security key hinted" screen_has "8 security"
check "severity suggested sev 0" screen_has "SEV 0?"
ui_keys 8
check "security tab opens" ui_wait "The security mini-SOP applies"
check "security trigger named" screen_has "risk indicator data_exposure"
check "security actions listed" screen_has "Preserve logs and evidence"

# Need-to-know material from the console: its text goes to the restricted file only.
restricted_db=$ui_tmp/test.restricted.db
ui_keys M
check "restricted note prompt" ui_wait "Add a restricted note (need-to-know)"
ui_type "Attacker IP 203.0.113.7 seen in the auth logs"
ui_keys Enter
check "restricted note added" ui_wait "Restricted note added"
check "restricted note shown to its reader" ui_wait "Attacker IP 203.0.113.7"
check "restricted note not in the database" \
	db_is "SELECT count(*) FROM events WHERE details LIKE '%203.0.113.7%'" 0
check "restricted note in the restricted file" \
	test "$(sqlite3 "$restricted_db" "SELECT count(*) FROM restricted_notes WHERE text LIKE '%203.0.113.7%'")" -eq 1
ui_keys 3
check "record pane of the security incident" ui_wait "Start the record"
ui_keys G Enter
check "hypothesis asks where it goes" ui_wait "Only readers of the restricted file see its text"
ui_keys Down Enter
check "restricted hypothesis prompt" ui_wait "Add a restricted hypothesis"
ui_type "Credential stuffing from a botnet"
ui_keys Enter
check "restricted hypothesis added" ui_wait "Restricted hypothesis added, unconfirmed"
check "restricted hypothesis marked" ui_wait "[unconfirmed, restricted] Credential stuffing"
check "restricted hypothesis not in the database" \
	db_is "SELECT count(*) FROM hypotheses WHERE restricted = 1 AND text NOT LIKE '%botnet%'" 1
ui_keys q
check "q exits 0 again" ui_wait_exit 0

# A restricted note on an incident that is not a security one is refused.
ui_start -- open INC-2018-0001
check "first incident opens again" ui_wait "INC-2018-0001"
ui_keys M
check "restricted note refused outside security" ui_wait "Restricted notes are for security incidents"
ui_keys q
check "q exits 0 a third time" ui_wait_exit 0

# Text from a handoff never reaches the terminal raw, because control
# characters and direction overrides show escaped. Combining and wide
# characters take the columns the terminal gives them, so the text after
# them lines up.
cat >"$ui_tmp/odd.json" <<'EOF2'
{"handoff_version": 1, "source": "ops-dashboard", "reference": "ODD-1",
 "received_at": "2018-06-01T13:52:00Z", "detected_at": "2018-06-01T13:35:00Z",
 "summary": "Odd \u001b[2J\u001b[31mred\u0007 text \u202Eabc, Cafe\u0301 and \u6771\u4eac wide",
 "product": "Card payments", "priority": "P2", "risk_indicators": ["limited_impact"]}
EOF2
run "$WARROOM" import "$ui_tmp/odd.json"
check "odd handoff imported" test "$status" -eq 0
ui_start -- open INC-2018-0003
check "odd incident opens" ui_wait "INC-2018-0003"
check "escape sequences shown escaped" screen_has 'Odd \e[2J\e[31mred\x07 text \u202Eabc'
check "combining and wide characters line up" \
	screen_has "$(printf 'Cafe\314\201 and \346\235\261\344\272\254 wide')"
ui_keys q
check "odd incident quits" ui_wait_exit 0

# Wrong uses fail before the screen is touched.
ui_start -- open INC-2018-0099
check "unknown incident exits 2" ui_wait_exit 2
check "unknown incident says so" ui_wait "INC-2018-0099"
run "$WARROOM" open INC-2018-0001 </dev/null
check "no terminal exits 1" test "$status" -eq 1
check "no terminal explains" grep -q "the console needs a terminal" "$ui_tmp/err"
run "$WARROOM" open
check "open without id exits 2" test "$status" -eq 2

finish
