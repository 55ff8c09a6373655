#!/bin/sh
# Console test: `warroom` with no command opens the incident list. Enter
# opens the incident under the cursor, Esc goes back to the list, and a
# shows resolved and closed incidents too. Without a terminal the command
# refuses with a pointer to the script-friendly commands.
. "$srcdir/tests/ui/lib.sh"

# An empty database first: the list shows how to import a handoff.
ui_start --
check "empty list opens" ui_wait "Incidents: open (0)"
check "empty list says how to import" screen_has "warroom import FILE"
ui_keys q
check "quit from the empty list" ui_wait_exit 0

run "$WARROOM" import "$fixtures/card-auth-switch-failure.json" \
	"$fixtures/cdn-config-global-errors.json" "$fixtures/card-processor-supplier-declines.json"
check "import exits 0" test "$status" -eq 0
run "$WARROOM" severity INC-2018-0002 sev0
check "severity set" test "$status" -eq 0
run "$WARROOM" validate INC-2018-0003 monitoring --note "declines back to normal"
run "$WARROOM" validate INC-2018-0003 journeys --note "top-up and payment pass"
run "$WARROOM" resolve INC-2018-0003
check "third incident resolved" test "$status" -eq 0

ui_start --
check "list opens" ui_wait "Incidents: open (2)"
check "column titles" screen_has "  ID             SEV    STATE     AGE      UPDATE   PRODUCT"
check "overdue update shown in the list" screen_has "OVERDUE"
check "first incident listed" screen_has "INC-2018-0001"
check "severity in words" screen_has "SEV 0"
check "resolved incident left out" screen_lacks "INC-2018-0003"
check "cursor on the first" screen_has "▸ INC-2018-0001"
ui_keys a
check "a shows all" ui_wait "Incidents: all (3)"
check "resolved incident listed" screen_has "resolved"
ui_keys a
check "a shows the open ones again" ui_wait "Incidents: open (2)"

ui_keys j Enter
check "Enter opens the incident" ui_wait "Public website and mobile app API return errors"
check "incident header" screen_has "INC-2018-0002"
ui_keys Escape
check "Esc goes back to the list" ui_wait "Incidents: open (2)"
check "cursor kept on the incident" screen_has "▸ INC-2018-0002"
ui_keys q
check "quit exits 0" ui_wait_exit 0

# The resolved incident has no review: closing it from the console needs a reason.
ui_start -- open INC-2018-0003
check "resolved incident opens" ui_wait "INC-2018-0003"
ui_keys 7
check "its review pane" ui_wait "Post-incident review"
ui_keys G Enter
check "close menu" ui_wait "Close the incident?"
ui_keys Up Enter
check "reason asked for" ui_wait "The review is not complete: why close without it?"
ui_type "Supplier incident; the supplier runs the review"
ui_keys Enter
check "closed without the review" ui_wait "Incident closed without a complete review."
check "close reason stored" \
	db_is "SELECT count(*) FROM events WHERE kind = 'closed' AND details LIKE '%reason: Supplier incident%'" 1
ui_keys q
check "quit after closing exits 0" ui_wait_exit 0

run "$WARROOM"
check "no terminal exits 1" test "$status" -eq 1
check "no terminal points to list and show" \
	grep -q 'the console needs a terminal; use `warroom list` or `warroom show` in scripts' \
	"$ui_tmp/err"
finish
