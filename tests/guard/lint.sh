#!/bin/sh
# Command-line tests of `warroom lint`: findings with file, line and
# column, exit statuses, standard input, TSV, the rule listing, and the
# incident's validations and approvals as context.
. "$srcdir/tests/lib.sh"

clean="We are aware of an issue affecting card payments. Some customers may be affected since about 14:05. Current status: investigating. We will share the next update by 15:00."
printf '%s\n' "$clean" >"$test_tmp/clean.txt"
printf 'Status: investigating.\nCafé payments — back shortly.\n' >"$test_tmp/promise.txt"
printf 'The issue has been resolved for all customers since 14:05.\n' >"$test_tmp/resolved.txt"
printf 'Card payments fail for some customers since 14:05 due to an outage at our card processor. We are investigating.\n' >"$test_tmp/vendor.txt"

run "$WARROOM" lint "$test_tmp/clean.txt"
check "clean text exits 0" status_is 0
check "clean text prints nothing" out_is ""

run "$WARROOM" lint "$test_tmp/promise.txt"
check "promise exits 1" status_is 1
check "promise has file, line and character column" \
	out_has "promise.txt:2:17: error: .*(\"back shortly\") \[fix-time-promise\]$"
check "promise summary" out_has "promise.txt: 1 error, 3 warnings"

run sh -c "\"$WARROOM\" lint - <'$test_tmp/promise.txt'"
check "stdin exits 1" status_is 1
check "stdin is named" out_has "^stdin:2:17: error: .*\[fix-time-promise\]$"

run "$WARROOM" lint --audience incident --format tsv "$test_tmp/promise.txt"
check "incident channel only warns" status_is 0
check "tsv row" out_has "promise.txt	2	17	warning	fix-time-promise	back shortly	"

run "$WARROOM" lint --rules --format tsv
check "rules exits 0" status_is 0
check "rules lists security off for management" out_has "^security-detail	management	off$"
check "rules lists missing-element off for marketing" out_has "^missing-element	marketing	off$"

run "$WARROOM" lint --audience nobody "$test_tmp/clean.txt"
check "unknown audience exits 2" status_is 2
check "unknown audience is named" err_has 'unknown audience "nobody"'

run "$WARROOM" lint "$test_tmp/missing.txt"
check "missing file exits 2" status_is 2
check "missing file is named" err_has "missing.txt"

run "$WARROOM" lint --format xml "$test_tmp/clean.txt"
check "bad format exits 2" status_is 2

run "$WARROOM" lint "$test_tmp/resolved.txt"
check "resolution without incident only warns" status_is 0
check "resolution warning" out_has "warning: .*\[resolution-claim\]$"

run "$WARROOM" new --summary "Card payments failing" --product "Card payments" --priority P1
id=$(cat "$test_tmp/out")
run "$WARROOM" lint --incident "$id" "$test_tmp/resolved.txt"
check "resolution before validations exits 1" status_is 1
check "resolution error" out_has "error: .*\[resolution-claim\]$"

run "$WARROOM" lint --incident "$id" "$test_tmp/vendor.txt"
check "vendor blame exits 1" status_is 1
check "vendor blame error" out_has "error: .*\[vendor-blame\]$"
run "$WARROOM" approve "$id" vendor-blame --by "Head of IT" --note "Processor confirmed the fault"
check "approve vendor blame exits 0" status_is 0
run "$WARROOM" lint --incident "$id" "$test_tmp/vendor.txt"
check "approved vendor blame exits 0" status_is 0
check "approved vendor blame not reported" out_lacks "vendor-blame"

run "$WARROOM" lint --incident INC-2026-0099 "$test_tmp/clean.txt"
check "unknown incident fails" sh -c '[ "$0" -ne 0 ]' "$status"
check "unknown incident is named" err_has "INC-2026-0099"

finish
