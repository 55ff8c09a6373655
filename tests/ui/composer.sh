#!/bin/sh
# Console test: the status-update composer. A Customer Service update
# starts from the playbook template. A promised fix time is flagged with its
# line, column and words as it is typed, and the draft is saved within a
# second. Approval with the error requests a reason; the edited text is
# approved clean and published. Also covered: wide characters, $EDITOR, an
# override recorded with its reason, and quitting with a draft unapproved.
. "$srcdir/tests/ui/lib.sh"

id=INC-2018-0001
run "$WARROOM" import "$fixtures/card-auth-switch-failure.json"
check "import exits 0" test "$status" -eq 0

# $EDITOR is a script in place of the user's editor: it rewrites the file it is given.
cat >"$ui_tmp/editor.sh" <<'EOS'
#!/bin/sh
printf 'Some card payments are failing. We will share the next update by 15:30 UTC.\n' >"$1"
EOS
chmod +x "$ui_tmp/editor.sh"

ui_start EDITOR="$ui_tmp/editor.sh" -- open $id
check "console opens" ui_wait "$id"
ui_keys u
check "audience menu" ui_wait "Audience of the update"
check "audience menu says what each receives" screen_has "An approved status update every 30 to 60 minutes"
ui_keys Enter
check "composer opens on Customer Service" ui_wait "Status update to Customer Service"
check "template filled from the record" screen_has "We are aware of an issue affecting Card payments"
check "template is clean" ui_wait "Guardrails: ✓ no findings"
check "nothing saved before an edit" db_is "SELECT count(*) FROM updates" 0

ui_type " We expect to be back within 2 hours."
check "promise flagged" ui_wait "Guardrails: 1 error, 0 warnings"
check "finding names line and column" screen_has "error 1:210 fix-time-promise"
check "finding gives the rule's message" screen_has "Do not promise when the service will be back"
check "finding quotes the words" screen_has '"expect to be back within 2 hours"'
check "draft saved as typed" \
	ui_wait_db "SELECT count(*) FROM updates WHERE state = 'draft' AND text LIKE '%within 2 hours.'" 1
check "title says saved" ui_wait "draft, saved"

# Approving with the error requests a reason; Esc leaves it a draft.
ui_keys C-g
check "approval asks for a reason" ui_wait "The guardrails found 1 error: approve anyway?"
ui_keys Escape
check "approval cancelled" ui_wait "Cancelled."
check "still a draft" db_is "SELECT state FROM updates" draft

# Ctrl-W deletes the promise word by word, as in a shell: each word with the
# spaces after it, so the space before "We" stays. Then the text is clean.
for w in 1 2 3 4 5 6 7 8; do
	ui_keys C-w
done
check "promise removed" ui_wait "Guardrails: ✓ no findings"
check "text ends as the template did" screen_has "the next update by 15:30 UTC."

# Wide characters take two columns each, and the next character follows
# them directly; Backspace removes whole characters.
ui_type "東京x"
check "wide characters shown" ui_wait "東京x"
ui_keys BSpace BSpace BSpace
check "wide characters removed" ui_wait_gone "東京"
check "edited text saved" \
	ui_wait_db "SELECT count(*) FROM updates WHERE text LIKE '%by 15:30 UTC. '" 1

ui_keys C-g
check "clean update approved" ui_wait "Approved. Ctrl-P (F6) publishes it."
check "approved in the store" db_is "SELECT state || '|' || errors_at_approval FROM updates" "approved|0"
check "approved text is editable no more" ui_wait "approved, saved"
ui_keys C-p
check "published by hand is said plainly" ui_wait "Marked published to Customer Service. No publish command is set"
check "published in the store" db_is "SELECT state FROM updates" published
check "countdown restarts" ui_wait "Customer Service update in 30m"

# A new draft from the template, rewritten in $EDITOR.
ui_keys C-r
check "new draft from the template" ui_wait "new, not saved yet"
ui_keys C-e
check "editor text shown" ui_wait "Some card payments are failing."
check "editor text saved" \
	ui_wait_db "SELECT count(*) FROM updates WHERE state = 'draft' AND text LIKE 'Some card payments%'" 1

# An error approved with a reason keeps the count and the reason.
ui_type " Back within 2 hours."
check "second promise flagged" ui_wait "1 error"
ui_keys C-g
ui_wait "approve anyway?"
ui_type "Management asked to give the expected time"
ui_keys Enter
check "override approved" ui_wait "Approved."
check "override stored" db_is \
	"SELECT errors_at_approval || '|' || override_reason FROM updates WHERE id = 2" \
	"1|Management asked to give the expected time"

# Several lines: Enter starts a line; Up, Down, Home and End move by line.
ui_keys C-r
ui_wait "new, not saved yet"
ui_keys C-u
ui_type "line one"
ui_keys Enter
ui_type "second line here"
ui_keys Up
ui_type "X"
ui_keys Down Home
ui_type ">"
ui_keys End
ui_type "<"
check "Up keeps to the column it can" ui_wait "line oneX"
check "Home and End reach the line's ends" ui_wait ">second line here<"
check "lines saved with a newline" ui_wait_db \
	"SELECT count(*) FROM updates WHERE state = 'draft' AND text = 'line oneX' || char(10) || '>second line here<'" 1

# A draft left unapproved: q opens a confirmation first.
ui_keys C-r
ui_wait "new, not saved yet"
ui_keys C-u
ui_type "Draft for later."
check "third draft saved" ui_wait_db "SELECT count(*) FROM updates WHERE state = 'draft'" 1
ui_keys Escape
check "composer closed, draft kept" ui_wait "Draft to Customer Service saved, not approved."
ui_keys q
check "quit asks about the draft" ui_wait "A status update is still a draft, not approved. Quit?"
ui_keys Enter
check "staying keeps the console" ui_wait_gone "Quit?"
check "console still running" test ! -f "$ui_tmp/exit"
ui_keys q
ui_wait "Quit?"
ui_keys Down Enter
check "quit exits 0" ui_wait_exit 0
check "draft kept after quit" db_is "SELECT text FROM updates WHERE state = 'draft'" "Draft for later."
finish
