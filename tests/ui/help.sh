#!/bin/sh
# Console test: the help overlay. `?` lists every key by where it works,
# from the same table the handlers use; it scrolls, and Esc, q or ? close
# it. In a text field `?` is typed, not taken as help.
. "$srcdir/tests/ui/lib.sh"

run "$WARROOM" import "$fixtures/card-auth-switch-failure.json"
check "import exits 0" test "$status" -eq 0

ui_start -- open INC-2018-0001
check "console opens" ui_wait "INC-2018-0001"
ui_keys ?
check "help opens" ui_wait "Help: keys"
check "global keys listed" screen_has "Everywhere (except while typing)"
check "quit key explained" screen_has "Quit (asks first while a draft update is not yet approved)"
check "movement keys listed" screen_has "Up k"
check "step keys listed" screen_has "Go to step 1 to 7"
check "severity key listed" screen_has "Choose the severity"
check "position shown" screen_has "1-35 of"
ui_keys End
check "help scrolls to the end" ui_wait "Status-update composer"
check "composer keys listed" screen_has "Approve the update (asks for a reason while errors remain)"
check "editing keys listed" screen_has "Delete the word before the cursor"
ui_keys Escape
check "Esc closes help" ui_wait_gone "Help: keys"
ui_keys ?
ui_wait "Help: keys"
ui_keys ?
check "? closes help" ui_wait_gone "Help: keys"
ui_keys ?
ui_wait "Help: keys"
ui_keys q
check "q closes help" ui_wait_gone "Help: keys"
check "q in help leaves the console running" test ! -f "$ui_tmp/exit"

# In the note prompt, ? is text.
ui_keys m
check "note prompt" ui_wait "Add a note to the timeline"
ui_type "why?"
check "? typed into the prompt" ui_wait "why?"
check "help not opened from a prompt" screen_lacks "Help: keys"
ui_keys Enter
check "note added" ui_wait "Note added to the timeline."
check "note stored" db_is "SELECT count(*) FROM events WHERE kind = 'note' AND details LIKE '%why?%'" 1
ui_keys q
check "quit exits 0" ui_wait_exit 0
finish
