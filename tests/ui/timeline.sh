#!/bin/sh
# Console test: the timeline. It is beside the pane from 120 columns and
# its own view (`t`) below that, with the newest event at the bottom. It
# scrolls by event, `/` searches it ignoring case, n goes to the older match
# and N to the newer one, and times show in the local time zone. Opening
# the incident takes command of it and quitting gives it up, each an event.
. "$srcdir/tests/ui/lib.sh"

id=INC-2018-0001
WARROOM_NOW=2018-06-01T14:00:00Z run "$WARROOM" import "$fixtures/card-auth-switch-failure.json"
check "import exits 0" test "$status" -eq 0

# Twenty notes, ten minutes apart from 14:01 on; two mention an alarm.
i=1
while [ $i -le 20 ]; do
	minute=$(printf '%02d' $(( (i - 1) * 2 + 1 )))
	case $i in
	3) text="note 03: switch alarm raised" ;;
	15) text="note 15: second Alarm on the backup link" ;;
	*) text="note $(printf '%02d' $i): status unchanged" ;;
	esac
	WARROOM_NOW=2018-06-01T14:$minute:00Z run "$WARROOM" note $id "$text"
	[ "$status" -eq 0 ] || break
	i=$((i + 1))
done
check "twenty notes added" test $i -eq 21

# 100 columns: the pane alone, the timeline on `t`.
UI_COLS=100 ui_start -- open $id
check "console opens" ui_wait "Name the category and the scope."
check "no timeline beside the pane" screen_lacks "Timeline ("
ui_keys t
check "timeline view" ui_wait "Timeline (24 events)"
check "newest note shown" screen_has "note 20: status unchanged"
check "oldest event scrolled off" screen_lacks "(source ops-dashboard"
check "newest at the bottom" ui_wait_line 38 "command taken by alice@"
check "note before it" ui_wait_line 36 "note 20: status unchanged"
check "time in UTC" screen_has "14:39 alice note"

ui_keys k k k
check "scrolled up by events" ui_wait "Timeline (24 events) scrolled"
check "newest now below the view" screen_lacks "note 20"
ui_keys G
check "End goes back to the newest" ui_wait "note 20: status unchanged"
ui_keys g
check "Home shows the oldest" ui_wait "(source ops-dashboard"

ui_keys /
check "search prompt" ui_wait "Search the timeline"
ui_type "ALARM"
ui_keys Enter
check "newest match first, ignoring case" ui_wait "/ALARM: match 2 of 2"
check "match shown" screen_has "second Alarm on the backup link"
ui_keys n
check "n goes to the older match" ui_wait "/ALARM: match 1 of 2"
check "older match shown" screen_has "note 03: switch alarm raised"
ui_keys N
check "N goes to the newer match" ui_wait "/ALARM: match 2 of 2"
ui_keys n n
check "n wraps around" ui_wait "/ALARM: match 2 of 2"
ui_keys /
check "second search names the first" ui_wait 'Search the timeline (now "ALARM"'
ui_type "nowhere"
ui_keys Enter
check "no match said" ui_wait 'No event matches "nowhere".'

ui_keys Escape
check "Esc goes back to the pane" ui_wait "Name the category and the scope."
ui_keys q
check "quit exits 0" ui_wait_exit 0

# 120 columns: beside the pane; `t` moves the keys into it; local time.
TZ=Europe/London ui_start TZ=Europe/London -- open $id
check "timeline beside the pane" ui_wait "Timeline (26 events)"
check "pane beside it" screen_has "Name the category and the scope."
check "time in the local zone" screen_has "15:39 alice note"
ui_keys t k
check "keys go to the timeline" ui_wait "Timeline (26 events) scrolled"
ui_keys Escape j
check "Esc gives the keys back to the pane" ui_wait "▸ Scope"
check "timeline keeps its place" screen_has "Timeline (26 events) scrolled"

# A change another process commits shows within about a second (PRAGMA data_version).
ui_keys t G Escape
ui_wait "Timeline (26 events) "
WARROOM_NOW=2018-06-01T14:50:00Z run "$WARROOM" note $id "note from another terminal"
check "outside note added" test "$status" -eq 0
check "outside change shows" ui_wait "note from another terminal"
check "event count follows" screen_has "Timeline (27 events)"
ui_keys q
check "quit exits 0 again" ui_wait_exit 0
finish
