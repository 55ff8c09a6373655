#!/bin/sh
# Console test: the severity picker. The suggested severity is marked with
# the rule behind it. Choosing another opens a prompt for the reason: a
# blank reason is rejected with the form kept open, Esc cancels, and the
# reason given is recorded.
. "$srcdir/tests/ui/lib.sh"

id=INC-2018-0001
run "$WARROOM" import "$fixtures/card-auth-switch-failure.json"
check "import exits 0" test "$status" -eq 0

ui_start -- open $id
check "console opens" ui_wait "$id"
ui_keys s
# The header shows "SEV 0?" already: wait for what only the picker shows.
check "picker lists Sev 3" ui_wait "SEV 3"
check "picker lists Sev 0" screen_has "SEV 0"
check "picker gives the meaning" screen_has "Bug with limited impact"
check "picker marks the suggestion" screen_has "★ suggested: Blocked payments are Sev 0 (rule payments-blocked)"
check "picker gives the cadence" screen_has "updates every 30 min, overdue after 60"

# Esc at the reason leaves the severity as it was.
ui_keys Down Enter
check "override asks for a reason" ui_wait "Sev 1 instead of the suggested Sev 0"
ui_keys Escape
check "reason prompt cancelled" ui_wait "Cancelled."
check "severity still unset" db_is "SELECT ifnull(severity, 'none') FROM incidents" none

# A blank reason is refused and the form stays open for one.
ui_keys s
ui_wait "SEV 0"
ui_keys Down Enter
ui_wait "Sev 1 instead of the suggested Sev 0"
ui_keys Enter
check "blank reason refused" ui_wait "differs from the suggested"
check "form stays open" screen_has "Reason for the override"
ui_type "Only a share of UK transactions fails"
ui_keys Enter
check "override recorded" ui_wait "Severity set to Sev 1."
check "header shows SEV 1" ui_wait "SEV 1"
check "severity stored" db_is "SELECT severity FROM incidents" sev1
check "reason on the timeline" \
	db_is "SELECT count(*) FROM events WHERE kind = 'severity' AND details LIKE '%Only a share of UK%'" 1
check "timeline shows the reason" ui_wait "share of UK transactions fails"

# The severity pane picks too; the suggestion itself needs no reason.
ui_keys 2
check "severity pane" ui_wait "Assign Sev 0-3"
check "pane marks the current one" screen_has "current"
ui_keys Down Enter
check "suggested severity needs no reason" ui_wait "Severity set to Sev 0."
check "severity back to sev0" db_is "SELECT severity FROM incidents" sev0

ui_keys q
check "quit exits 0" ui_wait_exit 0
finish
