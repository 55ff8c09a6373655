#!/bin/sh
# Console test: resizing at any moment keeps every state. The screen grows
# to 200x50 and shrinks to 40x12, where a notice replaces the layout and
# keys other than q are ignored. Back at 120x40 it has the same tab, the
# same row under the cursor and a half-typed prompt.
. "$srcdir/tests/ui/lib.sh"

run "$WARROOM" import "$fixtures/card-auth-switch-failure.json"
check "import exits 0" test "$status" -eq 0

ui_start -- open INC-2018-0001
check "console opens" ui_wait "INC-2018-0001"
ui_keys 4 j j
check "third triage item selected" ui_wait "▸ [ ] Confirm the issue with synthetic checks"

ui_resize 200 50
check "wide layout" ui_wait_line 50 "? help"
check "same row selected when wide" screen_has "▸ [ ] Confirm the issue with synthetic checks"
check "timeline beside when wide" screen_has "Timeline (4 events)"
check "tabs at full length" screen_has "4 Triage ·"

ui_resize 40 12
check "too small notice" ui_wait "Terminal too small: enlarge to at"
check "minimum named" screen_has "80×24"
check "no layout while too small" screen_lacks "Triage"
ui_keys 6
ui_resize 120 40
check "layout back" ui_wait "Triage and containment"
check "keys ignored while too small" screen_lacks "Validations before resolving"
check "same row selected after shrinking" screen_has "▸ [ ] Confirm the issue with synthetic checks"

ui_resize 80 24
check "80x24 is enough" ui_wait "Triage and containment"
check "80x24 is not too small" screen_lacks "Terminal too small"
check "timeline not beside at 80" screen_lacks "Timeline ("
check "hints at the bottom" ui_wait_line 24 "? help"

# A half-typed note survives two resizes.
ui_keys m
check "note prompt" ui_wait "Add a note to the timeline"
ui_type "half typed"
ui_wait "half typed"
ui_resize 200 50
check "prompt kept when wide" ui_wait "half typed"
ui_resize 40 12
check "notice over the prompt" ui_wait "Terminal too small"
ui_resize 120 40
check "prompt back with its text" ui_wait "half typed"
ui_type " note"
ui_keys Enter
check "note added after resizes" ui_wait "Note added to the timeline."
check "note stored" db_is "SELECT count(*) FROM events WHERE details = 'half typed note'" 1

# q still quits while the terminal is too small.
ui_resize 40 12
ui_wait "Terminal too small"
ui_keys q
check "q quits while too small" ui_wait_exit 0
finish
