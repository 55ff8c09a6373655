#!/bin/sh
# Console test: leaving on a signal. SIGTERM, SIGHUP and Ctrl-C (SIGINT)
# end the console through its loop: the terminal is restored (the alternate
# screen is left), the exit status is 128 plus the signal's number, and the
# composer's last keystrokes are saved on the way out.
. "$srcdir/tests/ui/lib.sh"

id=INC-2018-0001
run "$WARROOM" import "$fixtures/card-auth-switch-failure.json"
check "import exits 0" test "$status" -eq 0

# SIGTERM right after typing, before the once-a-second autosave could run.
ui_start -- open $id
check "console opens" ui_wait "$id"
ui_keys u
ui_wait "Audience of the update"
ui_keys Enter
ui_wait "Status update to Customer Service"
ui_keys C-u
ui_type "Typed just before the signal."
ui_wait "Typed just before the signal."
ui_signal TERM
check "SIGTERM exits 143" ui_wait_exit 143
check "screen restored after SIGTERM" ui_wait_gone "Status update to Customer Service"
check "draft saved on the way out" \
	db_is "SELECT text FROM updates WHERE state = 'draft'" "Typed just before the signal."

ui_start -- open $id
check "console opens again" ui_wait "$id"
ui_keys C-c
check "Ctrl-C exits 130" ui_wait_exit 130
check "screen restored after Ctrl-C" ui_wait_gone "$id"

ui_start -- open $id
check "console opens a third time" ui_wait "$id"
ui_keys m
ui_wait "Add a note to the timeline"
ui_signal HUP
check "SIGHUP exits 129" ui_wait_exit 129
check "screen restored after SIGHUP" ui_wait_gone "Add a note to the timeline"
finish
