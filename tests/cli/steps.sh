#!/bin/sh
# Command-line tests of the seven steps. One imported card incident is walked
# from classification to resolution and review. On the way, the script checks
# the rejected calls and their exit statuses: a severity override without a
# reason, resolving before the validations, the security list on an outage,
# bad dates.
. "$srcdir/tests/lib.sh"

# The handoff was received at 13:52 on 2018-06-01; the walk happens that afternoon.
WARROOM_NOW=2018-06-01T16:00:00Z
export WARROOM_NOW
id=INC-2018-0001

for cmd in classify severity record hypothesis check checklist impact validate journeys \
	mitigate resolve close reopen window rootcause action approve decision status; do
	run "$WARROOM" "$cmd" --help
	check "$cmd --help exits 0" status_is 0
	check "$cmd --help prints usage" out_has "^usage: warroom .*$cmd"
done
run "$WARROOM" severity --help
check "severity --help explains SEV" out_has 'its number'
run "$WARROOM" impact --help
check "impact --help lists options" out_has '^  --status S'

run "$WARROOM" import "$fixtures/card-auth-switch-failure.json"
check "import exits 0" status_is 0
check "import prints the id" out_has "^$id	imported"

run "$WARROOM" status "$id"
check "status before the walk exits 0" status_is 0
check "status names missing category" out_has '^1 classify missing: category$'
check "status lists triage items" out_has '^4 triage missing: confirm-logs, confirm-monitoring'
check "status has no security line" out_lacks '^security'

# Step 1.
run "$WARROOM" classify "$id" --category meltdown
check "classify unknown category exits 2" status_is 2
check "classify unknown category lists ids" err_has 'one of: outage, degradation'
run "$WARROOM" classify "$id" --category outage --scope global --reason "switch fault"
check "classify exits 0" status_is 0
check "classify prints the result" out_is "$id: category outage, scope global"
run "$WARROOM" classify "$id" --category outage
check "classify again says unchanged" out_is "$id: unchanged, category outage, scope global"

# Step 2.
events=$(rows events)
run "$WARROOM" severity "$id" sev2
check "severity override without reason exits 2" status_is 2
check "severity override names the suggestion" \
	err_has 'sev2 differs from the suggested sev0; give the reason for the override'
check "severity without reason names the option" err_has '^Give it with --reason TEXT.$'
check "rejected severity wrote no event" test "$(rows events)" -eq "$events"
run "$WARROOM" severity "$id" "Sev 1" --reason "backup switch carries most traffic"
check "severity override exits 0" status_is 0
check "severity override prints it" out_is "$id: severity sev1 (suggested sev0)"
run "$WARROOM" severity "$id" 0
check "severity by number exits 0" status_is 0
run "$WARROOM" severity "$id" sev0
check "severity again says nothing changed" out_is "$id: severity is already sev0; nothing changed"

# Step 3.
run "$WARROOM" record "$id" --started 2018-06-01T14:30+01:00 --service "card authorisation" \
	--metric uk_card_auth_decline_rate --commander alice
check "record exits 0" status_is 0
check "record normalises the start time" out_has '^  start time: 2018-06-01T13:30:00Z$'
check "record keeps imported services" \
	out_has '^  impacted services: card authorisation, card scheme connectivity$'
run "$WARROOM" record "$id" --remove-service "mobile app"
check "record removing an absent service exits 2" status_is 2
run "$WARROOM" record "$id" --started 2019-01-01T00:00Z
check "record start in the future exits 2" status_is 2
run "$WARROOM" record "$id"
check "record without options exits 2" status_is 2

run "$WARROOM" hypothesis "$id" add "Backup switch failover is misconfigured"
check "hypothesis add exits 0" status_is 0
check "hypothesis add prints the number" out_is "$id: hypothesis 1 added (unconfirmed)"
run "$WARROOM" hypothesis "$id" add "Card scheme switch capacity exhausted"
run "$WARROOM" hypothesis "$id" confirm 1 --note "stale address in the failover config"
check "hypothesis confirm exits 0" status_is 0
run "$WARROOM" hypothesis "$id" reject 1
check "hypothesis decided twice exits 1" status_is 1
check "hypothesis decided twice says why" err_has 'already confirmed'
run "$WARROOM" hypothesis "$id" reject 2
run "$WARROOM" hypothesis "$id" list
check "hypothesis list shows confirmed" out_has '^1  confirmed    Backup switch failover is misconfigured$'
check "hypothesis list shows rejected" out_has '^2  rejected     Card scheme'
run "$WARROOM" hypothesis "$id" confirm one
check "hypothesis bad number exits 2" status_is 2

# Step 4.
for item in confirm-logs confirm-monitoring confirm-synthetic isolate flag-rollback; do
	run "$WARROOM" check "$id" "$item"
	check "check $item exits 0" status_is 0
done
check "check prints the mark" out_is "$id: triage flag-rollback done"
run "$WARROOM" check "$id" rate-limit --na
check "check na without note exits 2" status_is 2
run "$WARROOM" check "$id" rate-limit --na --note "no client causes the load"
check "check na with note exits 0" status_is 0
run "$WARROOM" check "$id" failover --note "traffic moved to the backup switch"
run "$WARROOM" check "$id" contain
check "security list on an outage exits 1" status_is 1
check "security list on an outage says why" err_has 'does not apply'
run "$WARROOM" check "$id" shred-logs
check "check unknown item exits 2" status_is 2
run "$WARROOM" checklist "$id"
check "checklist exits 0" status_is 0
check "checklist shows done items" out_has '^  \[x\] confirm-logs: Confirm the issue in the logs (done by alice'
check "checklist shows na items" out_has '^  \[-\] rate-limit: .*(not applicable, by alice at .*: no client'
check "checklist shows open items" out_has '^  \[ \] close-tickets: '

# Step 5.
run "$WARROOM" impact "$id" --what "card payments" --who "some customers" \
	--since 2018-06-01T13:35Z --status fixed
check "impact unknown status exits 2" status_is 2
run "$WARROOM" impact "$id" --what "card payments" --who "some customers"
check "impact missing fields exits 2" status_is 2
run "$WARROOM" impact "$id" --what "card payments" --who "some customers" \
	--since 2018-06-01T13:35Z --status "mitigation applied"
check "impact exits 0" status_is 0
check "impact prints the status" out_has '^  status: mitigation applied$'

# Step 6.
run "$WARROOM" mitigate "$id" --at 2018-06-01T11:00:00Z --note "too early"
check "mitigate before the start exits 2" status_is 2
check "mitigate before the start is named" err_has 'before the incident started'
run "$WARROOM" mitigate "$id" --at 2018-06-01T17:00:00Z
check "mitigate in the future exits 2" status_is 2
run "$WARROOM" mitigate "$id" --at 2018-06-01T15:10:00Z --note "traffic on the backup switch"
check "mitigate exits 0" status_is 0
check "mitigate prints it" out_is "$id: mitigated"

events=$(rows events)
run "$WARROOM" resolve "$id"
check "resolve before validations exits 1" status_is 1
check "resolve before validations names both" err_has "cannot resolve $id: not yet recorded: fix confirmed in monitoring, key customer journeys validated"
check "rejected resolve wrote no event" test "$(rows events)" -eq "$events"
run "$WARROOM" show "$id" --format json
check "rejected resolve kept the status" out_has '"status": "mitigated"'

run "$WARROOM" journeys "$id"
check "journeys exits 0" status_is 0
check "journeys names the product" out_has '^Key customer journeys for Card payments:$'
check "journeys lists ATM withdrawal" out_has '^  ATM withdrawal$'
check "journeys says not yet validated" out_has '^Not yet validated'

run "$WARROOM" validate "$id" smoke --note "ok"
check "validate unknown kind exits 2" status_is 2
run "$WARROOM" validate "$id" monitoring
check "validate without note exits 2" status_is 2
run "$WARROOM" validate "$id" monitoring --note "decline rate back at 1.2% for 30 minutes"
check "validate monitoring exits 0" status_is 0
check "validate counts" out_is "$id: validation monitoring recorded (1 of 2)"
run "$WARROOM" resolve "$id"
check "resolve with one validation exits 1" status_is 1
check "resolve with one validation names the other" err_has 'not yet recorded: key customer journeys validated$'
run "$WARROOM" validate "$id" journeys --note "all fine"
check "validate journeys without names warns" err_has 'warning: the note does not name any key journey'
run "$WARROOM" validate "$id" journeys --note "chip-and-PIN purchase, contactless purchase, online card purchase and ATM withdrawal pass"
check "validate journeys exits 0" status_is 0
check "validate journeys with names does not warn" sh -c "[ ! -s '$test_tmp/err' ]"
run "$WARROOM" check "$id" close-tickets
check "check close-tickets exits 0" status_is 0

run "$WARROOM" window "$id" --from 2018-06-01T13:35Z --to 2018-06-01T13:00Z --types card
check "window ending before its start exits 2" status_is 2
run "$WARROOM" window "$id" --from 2018-06-01T13:35Z
check "window without types exits 2" status_is 2
run "$WARROOM" window "$id" --from 2018-06-01T13:35Z --types card,atm
check "window add exits 0" status_is 0
check "window add prints the number" out_is "$id: payment failure window 1 added"
run "$WARROOM" window "$id" confirm 1
check "window confirm while open exits 1" status_is 1
run "$WARROOM" window "$id" end 1 --to 2018-06-01T15:10Z
check "window end exits 0" status_is 0
run "$WARROOM" window "$id" confirm 1
check "window confirm exits 0" status_is 0
run "$WARROOM" window "$id" list
check "window list shows it" out_has '^1  2018-06-01T13:35:00Z to 2018-06-01T15:10:00Z  confirmed    card, atm$'

run "$WARROOM" resolve "$id" --note "monitoring and journeys confirm the fix"
check "resolve exits 0" status_is 0
check "resolve prints it" out_is "$id: resolved"
run "$WARROOM" show "$id" --format json
check "resolved status stored" out_has '"status": "resolved"'
check "resolved time stored" out_has '"resolved_at": "2018-06-01T16:00:00Z"'
check "mitigation time given with --at stored" out_has '"mitigated_at": "2018-06-01T15:10:00Z"'

# Step 7.
run "$WARROOM" rootcause "$id" "A stale address in the failover configuration kept the backup switch idle"
check "rootcause exits 0" status_is 0
run "$WARROOM" action "$id" add --kind corrective --owner bob --due 2018-02-30 "Fix the address"
check "action bad due date exits 2" status_is 2
check "action bad due date says the format" err_has 'YYYY-MM-DD'
run "$WARROOM" action "$id" add --kind corrective --owner bob --due 2018-06-15 "Fix the failover address"
check "action corrective exits 0" status_is 0
check "action prints the number" out_is "$id: corrective action 1 added"
run "$WARROOM" action "$id" add --kind prevention --owner carol --due 2018-07-01 "Test failover monthly"
check "action prevention exits 0" status_is 0
run "$WARROOM" action "$id" done 1
check "action done exits 0" status_is 0
run "$WARROOM" action "$id" done 1
check "action done twice exits 1" status_is 1
run "$WARROOM" action "$id" list
check "action list shows done" out_has '^1  corrective  due 2018-06-15  done  bob: Fix the failover address$'
check "action list shows open" out_has '^2  prevention  due 2018-07-01  open  carol: '

run "$WARROOM" approve "$id" vendor-blame
check "approve without --by exits 2" status_is 2
run "$WARROOM" approve "$id" blame --by "Dana Reyes"
check "approve unknown kind exits 2" status_is 2
run "$WARROOM" approve "$id" root-cause --by "Dana Reyes" --note "for the customer FAQ"
check "approve exits 0" status_is 0
check "approve prints it" out_is "$id: root-cause approved by Dana Reyes"
run "$WARROOM" decision "$id" "Keep UK traffic on the backup switch until the vendor fix"
check "decision exits 0" status_is 0

run "$WARROOM" status "$id"
check "status after the walk: classify" out_has '^1 classify complete$'
check "status after the walk: triage" out_has '^4 triage complete$'
check "status after the walk: resolve" out_has '^6 resolve complete$'
check "status after the walk: review" out_has '^7 review complete$'
check "status after the walk: seven lines" out_lines 7

run "$WARROOM" close "$id"
check "close exits 0" status_is 0
run "$WARROOM" classify "$id" --scope segment
check "classify a closed incident exits 1" status_is 1
run "$WARROOM" reopen "$id"
check "reopen without reason exits 2" status_is 2
run "$WARROOM" reopen "$id" --reason "declines back at 20%"
check "reopen exits 0" status_is 0
run "$WARROOM" resolve "$id"
check "resolve after reopen needs validations again" status_is 1

run "$WARROOM" log "$id" --format tsv
check "log has the severity override" out_has 'severity	severity (none) → sev1 (suggested sev0): backup switch carries most traffic$'
check "log has the resolution" out_has 'resolved	status mitigated → resolved: monitoring and journeys confirm the fix$'

# The security list opens once a risk indicator starts the mini-SOP.
cat >"$test_tmp/spike.json" <<'EOF'
{"source": "ops-dashboard", "reference": "DASH-TEST-1", "summary": "Unusual login spike on the mobile app",
 "product": "Online and mobile banking", "priority": "P2", "risk_indicators": ["unusual_login_spike"]}
EOF
run "$WARROOM" import "$test_tmp/spike.json"
sec=$(cut -f 1 "$test_tmp/out")
run "$WARROOM" check "$sec" contain
check "security list with a trigger exits 0" status_is 0
run "$WARROOM" status "$sec"
check "status shows the security line" out_has '^security missing: preserve, notify, need-to-know, safe-language$'

# Closing waits for the post-incident review, unless a reason is given.
run "$WARROOM" validate "$sec" monitoring --note "login rate normal"
run "$WARROOM" validate "$sec" journeys --note "login and payments pass"
run "$WARROOM" resolve "$sec"
check "spike resolved" status_is 0
check "resolve names the open checklist items" \
	err_has '^note: resolved with checklist items still open: close-tickets; `warroom check ID ITEM` marks each$'
run "$WARROOM" close "$sec"
check "close before the review exits 1" status_is 1
check "close before the review says what is missing" \
	err_has 'the post-incident work is not done (Review: root cause, a corrective action, a prevention task)'
check "close before the review names the option" err_has '^Give it with --reason TEXT.$'
run "$WARROOM" close "$sec" --reason "false alarm: a load test"
check "close with a reason exits 0" status_is 0
run "$WARROOM" log "$sec" --format tsv
check "log names what the close skipped" \
	out_has 'closed	status resolved → closed: closed without Review: root cause, a corrective action, a prevention task; reason: false alarm: a load test$'

run "$WARROOM" status INC-2018-0099
check "status of an unknown incident exits 2" status_is 2

finish
