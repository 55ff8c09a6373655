#!/bin/sh
# Console test: nothing committed is lost when a session ends badly. The
# composer saves a draft about a second after each keystroke, so SIGKILL
# loses at most that second; a closed terminal (the SSH session dropped)
# and SIGHUP save the last keystrokes and release the lease on the way out.
# The next open offers the unsent draft back, and the composer says whose
# draft from when it restored.
. "$srcdir/tests/ui/lib.sh"

id=INC-2018-0001
run "$WARROOM" import "$fixtures/card-auth-switch-failure.json"
check "import exits 0" test "$status" -eq 0

draft() {
	sqlite3 "$WARROOM_DB" "SELECT text FROM updates WHERE state = 'draft'"
}

# SIGKILL a moment after typing: the autosave already has the text.
ui_start -- open $id
check "console opens" ui_wait "Cmdr alice@"
ui_keys u
ui_wait "Audience of the update"
ui_keys Enter
ui_wait "Status update to Customer Service"
ui_keys C-u
ui_type "Saved by the timer."
check "autosave within a second or two" ui_wait_db "SELECT text FROM updates WHERE state = 'draft'" \
	"Saved by the timer."
ui_type " Lost with SIGKILL."
kill -9 "$(cat "$ui_tmp/pid")"
check "SIGKILL ends the console" ui_wait_exit 137
check "only the last second lost" test "$(draft)" = "Saved by the timer."
check "lease left behind" db_is "SELECT holder FROM leases" "alice"

# The next open: the dead console's lease is stale, and the draft is offered back.
ui_start -- open $id
check "stale lease taken back" ui_wait "was stale (its process has ended)"
ui_keys u
check "audience menu marks the draft" ui_wait "(unsent draft from 15:00 by alice)"
ui_keys Escape
ui_signal TERM
check "SIGTERM ends the console" ui_wait_exit 143
ui_start -- open $id
check "draft offered on open" \
	ui_wait "Unsent draft to Customer Service from 15:00 by alice: press u to continue it."
ui_keys u
ui_wait "(unsent draft from 15:00 by alice)"
ui_keys Enter
check "composer says it restored the draft" \
	ui_wait "Draft from 15:00 by alice restored: to Customer Service, unsent and not approved."
check "restored text shown" screen_has "Saved by the timer."

# The terminal closes (an SSH session dropped): the last keystrokes are saved.
ui_type " Typed before the drop."
ui_wait "Typed before the drop."
pid=$(cat "$ui_tmp/pid")
ui_tmux kill-session -t "$ui_session"
check "last keystrokes saved" ui_wait_db "SELECT text FROM updates WHERE state = 'draft'" \
	"Saved by the timer. Typed before the drop."
check "lease released" ui_wait_db "SELECT count(*) FROM leases" 0
gone() {
	tries=$((UI_TIMEOUT * 10))
	while kill -0 "$1" 2>/dev/null && [ "$tries" -gt 0 ]; do
		sleep 0.1
		tries=$((tries - 1))
	done
	! kill -0 "$1" 2>/dev/null
}
check "console gone with its terminal" gone "$pid"

# SIGHUP: the same.
ui_start -- open $id
ui_wait "Unsent draft to Customer Service"
ui_keys u
ui_wait "(unsent draft from 15:00 by alice)"
ui_keys Enter
ui_wait "restored"
ui_type " And before SIGHUP."
ui_wait "And before SIGHUP."
ui_signal HUP
check "SIGHUP exits 129" ui_wait_exit 129
check "keystrokes before SIGHUP saved" \
	test "$(draft)" = "Saved by the timer. Typed before the drop. And before SIGHUP."
check "lease released after SIGHUP" db_is "SELECT count(*) FROM leases" 0
finish
