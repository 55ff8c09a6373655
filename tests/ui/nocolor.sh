#!/bin/sh
# Console test: colour is never the only signal. With NO_COLOR set the
# screen carries no colour at all, yet severity, state, the selected row and
# the overdue update still read as words, marks and reverse video. A locale
# that is not UTF-8 gets ASCII borders and marks instead of Unicode.
. "$srcdir/tests/ui/lib.sh"

# Colour escapes in a capture-pane -e screen: SGR 30-37/40-47, 90-97/100-107 or 38;/48; forms.
has_colour() {
	grep -qE "$(printf '\033')\\[([0-9;]*;)?(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9;]*)?m" "$ui_tmp/screen"
}
has_reverse() {
	grep -qE "$(printf '\033')\\[([0-9;]*;)?7(;[0-9;]*)?m" "$ui_tmp/screen"
}

run "$WARROOM" import "$fixtures/card-auth-switch-failure.json"
check "import exits 0" test "$status" -eq 0
run "$WARROOM" severity INC-2018-0001 sev0
check "severity set" test "$status" -eq 0

# With colours: the same screen does use colour, so the checks below can fail.
ui_start -- open INC-2018-0001
check "colour console opens" ui_wait "SEV 0"
ui_capture -e
check "colours used by default" has_colour
ui_keys q
ui_wait_exit 0

ui_start NO_COLOR=1 -- open INC-2018-0001
check "monochrome console opens" ui_wait "SEV 0"
check "overdue update said in words" screen_has "▲ Customer Service update OVERDUE by 25m"
check "state said in words" screen_has " OPEN "
check "completion marks shown" screen_has "2 Severity ✓"
check "cursor marked by an arrow" screen_has "▸ Category"
ui_capture -e
check "no colour with NO_COLOR" eval '! has_colour'
check "reverse video marks header and cursor" has_reverse
ui_keys s
check "picker readable" ui_wait "★ suggested: Blocked payments are Sev 0"
ui_capture -e
check "picker has no colour" eval '! has_colour'
ui_keys Escape q
check "quit exits 0" ui_wait_exit 0

# A terminal without colours at all gets the monochrome table too.
ui_start TERM=vt100 -- open INC-2018-0001
check "vt100 console opens" ui_wait "SEV 0"
ui_capture -e
check "no colour on vt100" eval '! has_colour'
ui_keys q
check "vt100 quit exits 0" ui_wait_exit 0

# The C locale: ASCII borders, marks and notices.
ui_start LC_ALL=C -- open INC-2018-0001
check "ASCII console opens" ui_wait "SEV 0"
check "ASCII completion mark" screen_has "2 Severity +"
check "ASCII open mark" screen_has "1 Classify -"
check "ASCII cursor" screen_has "> Category"
check "ASCII separators" screen_has "| 2 Severity"
check "ASCII rules" screen_has "-----"
check "no Unicode left" eval '! grep -q "$(printf "\342")" "$ui_tmp/screen"'
ui_resize 40 12
check "ASCII too-small notice" ui_wait "least 80x24"
ui_resize 120 40
ui_keys q
check "ASCII quit exits 0" ui_wait_exit 0
finish
